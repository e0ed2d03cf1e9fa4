//! Purchasing options and cost (SEMANTICS §4, §1.4, §2.12): On-Demand prices and per-second
//! billing, Reserved Instances (terms, payment options, scope, size flexibility, the hourly
//! 3600 s rule), Spot (prices, max price, interruption, rebalance recommendations), the
//! mixed-instances allocation of an Auto Scaling group, Capacity Rebalancing, and a cost ledger.
//!
//! The parts:
//! - [`Prices`]: the caller's price table — an On-Demand [`Rate`] per instance type (fixed) and a
//!   Spot price plus a caller-reported capacity per pool (type × zone) that the caller updates.
//! - [`Account`]: the cost ledger of one group. It meters members with the lifecycle module's
//!   [`crate::lifecycle::BillingClock`] (per-second, 60 s minimum per start), applies the
//!   group's [`Reservation`]s clock-hour by clock-hour, prices Spot usage at the price in effect,
//!   and answers what was spent on On-Demand, reserved and Spot capacity over `[from, to)`.
//! - [`Mix`]: the mixed-instances policy as pure functions — the On-Demand/Spot [`split`], what
//!   to launch next and what to terminate first, given member views and the desired capacity.
//! - [`rebalance`]: Capacity Rebalancing as a pure decision over members and pools.
//! - [`spot`]: max-price checks, which members the Spot price interrupts, and delivering the
//!   interruption to a [`crate::lifecycle::Instance`] (which owns the 2-minute notice and the
//!   terminate / stop / hibernate behaviours).
//!
//! Not wired into `crate::group::Group` yet: every input is a plain view ([`MemberView`],
//! [`RebalanceView`]) or an instance id, so the group can feed these functions from its members
//! in a later change without this module knowing the group's internals.
//!
//! Money: [`Money`] is exact to 1/3600 of a millionth of the caller's unit, so that a [`Rate`]
//! (millionths per hour) times billed seconds is exact and the ledger equals the sum of billed
//! seconds × price with no rounding. The unit is the caller's: dollars for a bill, or watt-hours
//! for a board that budgets energy (a rate is then watts).

mod account;
#[cfg(test)]
mod work;
#[cfg(test)]
pub(crate) use work::WORK as SETTLE_WORK;
mod error;
mod kept;
mod mixed;
#[cfg(not(target_os = "none"))]
pub(crate) use mixed::Tally;
mod price;
mod quiet;
pub mod rebalance;
mod reserved;
pub mod spot;

pub use account::{Account, HourRecord, MeterView, Spend, UpfrontAccounting};
pub use error::{PurchaseError, ReservationRule};
pub use mixed::{
    Distribution, Launch, MemberView, Mix, OnDemandStrategy, Override, Split, SpotStrategy, Step,
    split,
};
pub use price::{PricedType, Prices, SpotPool};
pub use rebalance::{RebalanceStep, RebalanceView};
pub use reserved::{Payment, Reservation, Scope, ScopeKind, Term};
pub use spot::SpotSignal;

use core::fmt;

/// The most instance types a price table holds (an ASG accepts up to 40 overrides; a small
/// controller rarely prices more than a handful).
pub const MAX_TYPES: usize = 16;
/// The most zones, as the group allows.
pub const MAX_ZONES: usize = crate::zone::MAX_ZONES;
/// The most Spot pools (type × zone) a price table holds.
pub const MAX_POOLS: usize = 64;
/// The most reservations an account holds at once (expired ones are dropped).
pub const MAX_RESERVATIONS: usize = 16;

const SECS_PER_HOUR: u64 = 3600;
const MS_PER_HOUR: u64 = 3_600_000;

/// An amount of the caller's unit, exact to 1/3600 of a millionth (a [`Rate`] × seconds).
///
/// Sums saturate at about 5.1 × 10⁹ units; nothing in a ledger of a realistic fleet comes near.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Money(u64);

impl Money {
    /// Nothing.
    pub const ZERO: Self = Self(0);

    /// An amount of `micros` millionths, saturating.
    pub const fn from_micros(micros: u64) -> Self {
        Self(micros.saturating_mul(SECS_PER_HOUR))
    }

    /// An amount in the exact unit (1/3600 of a millionth).
    pub const fn from_exact(exact: u64) -> Self {
        Self(exact)
    }

    /// The amount in the exact unit (1/3600 of a millionth): a rate in millionths per hour
    /// times seconds.
    pub const fn exact(self) -> u64 {
        self.0
    }

    /// The amount in millionths, rounded half up.
    pub const fn micros(self) -> u64 {
        self.0.saturating_add(SECS_PER_HOUR / 2) / SECS_PER_HOUR
    }

    /// The sum, saturating.
    #[must_use]
    pub const fn saturating_add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }

    /// The difference, saturating at zero.
    #[must_use]
    pub const fn saturating_sub(self, other: Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }

    /// The sum, or `None` on overflow.
    pub const fn checked_add(self, other: Self) -> Option<Self> {
        match self.0.checked_add(other.0) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The amount times `n`, saturating.
    #[must_use]
    pub const fn saturating_mul(self, n: u64) -> Self {
        Self(self.0.saturating_mul(n))
    }
}

/// Prints millionths with six decimals: `12.345678`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.micros();
        write!(f, "{}.{:06}", m / 1_000_000, m % 1_000_000)
    }
}

/// A price per hour in millionths of the caller's unit (`0.096`/h is `from_micros(96_000)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Rate(u64);

impl Rate {
    /// Free.
    pub const ZERO: Self = Self(0);

    /// A rate of `micros` millionths per hour.
    pub const fn from_micros(micros: u64) -> Self {
        Self(micros)
    }

    /// The rate in millionths per hour.
    pub const fn micros(self) -> u64 {
        self.0
    }

    /// What `secs` seconds cost at this rate, exactly (saturating).
    pub const fn for_secs(self, secs: u64) -> Money {
        Money(self.0.saturating_mul(secs))
    }

    /// What one hour costs.
    pub const fn per_hour(self) -> Money {
        self.for_secs(SECS_PER_HOUR)
    }

    /// The rate times `n` (n instances, or n units), saturating.
    #[must_use]
    pub const fn saturating_mul(self, n: u64) -> Self {
        Self(self.0.saturating_mul(n))
    }
}

/// Prints millionths with six decimals and `/h`: `0.096000/h`.
impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:06}/h", self.0 / 1_000_000, self.0 % 1_000_000)
    }
}

vocabulary! {
    /// How a member is bought, as the purchase module cares (reservations apply to On-Demand
    /// usage; they are a billing discount, not a market).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum MarketKind: "market" {
        /// On-Demand (reservations may cover it).
        #[default]
        OnDemand = 0 => "on_demand" | "on-demand",
        /// Spot.
        Spot = 1 => "spot",
    }
}

impl From<crate::lifecycle::Market> for MarketKind {
    fn from(m: crate::lifecycle::Market) -> Self {
        match m {
            crate::lifecycle::Market::OnDemand => Self::OnDemand,
            crate::lifecycle::Market::Spot { .. } => Self::Spot,
        }
    }
}

/// The clock-hour index (hours since the epoch) of an instant.
const fn hour_of(t: crate::time::Instant) -> u64 {
    t.total_millis() / MS_PER_HOUR
}

/// The start of clock-hour `h`.
const fn hour_start(h: u64) -> crate::time::Instant {
    crate::time::Instant::from_millis(h.saturating_mul(MS_PER_HOUR))
}

fn check_zone(zone: u8) -> Result<(), PurchaseError> {
    if usize::from(zone) < MAX_ZONES {
        Ok(())
    } else {
        Err(PurchaseError::ZoneOutOfRange { zone })
    }
}

#[cfg(test)]
mod tests;
