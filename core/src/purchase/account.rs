//! The cost ledger of one group (SEMANTICS §4.1, §4.2, §4.4).
//!
//! Model:
//! - Each metered member has a [`BillingClock`] from the lifecycle module: a session opens when
//!   the instance enters a billed state (`running`, or `stopping` while hibernating) and closes
//!   when it leaves it; each session bills started seconds with a 60 s minimum, and the minimum
//!   is charged from the moment the session opens.
//! - Billed seconds are attributed to the clock-hour in which the clock reaches them: the
//!   ledger reads every member's clock at each hour boundary it crosses, so a session running
//!   10:59:30–11:10:00 bills 60 s to hour 10 (its minimum) and 570 s to hour 11.
//! - On-Demand seconds are gathered per pool (type × zone) for the open hour; when the hour
//!   closes the active reservations are applied (see the reserved-instance model) and the
//!   remaining seconds are charged at the type's On-Demand rate.
//! - Spot seconds are charged at the pool's Spot price in effect when they are billed; a price
//!   change settles the ledger first ([`Account::set_spot_price`]).
//! - Reservations charge their hourly rate × count every active hour, used or not; the upfront
//!   charge is taken in the first hour ([`UpfrontAccounting::AtPurchase`], cash view) or spread
//!   evenly over the term's hours ([`UpfrontAccounting::Amortized`]).
//!
//! Bounded memory: the last `H` closed hours are kept as [`HourRecord`]s in a ring, plus the
//! open hour and the running totals since the account began. [`Account::spend`] answers for
//! any whole-hour interval inside what is kept (hours before the account began count as zero)
//! and refuses older ones with [`PurchaseError::IntervalNotKept`].
//!
//! Cost: settling does not walk the clock hour by hour. Hours in which nothing changes (the
//! same members billing a full hour or nothing, the same prices, no reservation starting,
//! passing its upfront hour or ending) spend the same, so a run of them is settled as one hour
//! times the count; a gap with no billed member is skipped in one step (its reservation
//! charges still added). One call costs a few passes over the members per reservation
//! boundary it crosses, and at most `H` hour records written, whatever time it is given
//! (issue 19). A test holds the result to the hour-by-hour walk, field for field.

use super::price::Prices;
use super::quiet::{PAST_MINIMUM, Quiet, add_usage};
use super::reserved::{
    Applied, Grid, Totals, apply_into, apply_totals, apply_totals_traced, row_sums,
};
use super::{
    MAX_RESERVATIONS, MAX_TYPES, MAX_ZONES, MarketKind, Money, PurchaseError, Reservation,
    ReservationRule, Scope, check_zone, hour_of, hour_start,
};
use crate::id::InstanceId;
use crate::lifecycle::{BillingClock, Instance, InstanceState};
use crate::time::{Duration, Instant};

/// Whether quiet steps may be deferred (`purchase::quiet::Defer`): host builds only, so that
/// the microcontroller builds pay no flash for it (their ledgers take every step's quiet path).
const DEFER: bool = cfg!(not(target_os = "none"));

vocabulary! {
    /// When an upfront reservation charge shows in the ledger.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum UpfrontAccounting: "upfront accounting" {
        /// In the hour the term starts (what was paid, when).
        #[default]
        AtPurchase = 0 => "at_purchase",
        /// Spread evenly over every hour of the term, the remainder in the first hour (what the
        /// capacity cost, hour by hour).
        Amortized = 1 => "amortized",
    }
}

/// What was spent over an interval, by purchasing option, with reservation coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Spend {
    /// On-Demand usage not covered by a reservation.
    pub on_demand: Money,
    /// Reservation charges (hourly, and upfront as [`UpfrontAccounting`] says).
    pub reserved: Money,
    /// Spot usage.
    pub spot: Money,
    /// Billed On-Demand seconds, covered or not.
    pub on_demand_secs: u64,
    /// On-Demand seconds a reservation covered.
    pub covered_secs: u64,
    /// What the covered seconds would have cost On-Demand.
    pub covered_value: Money,
    /// Billed Spot seconds.
    pub spot_secs: u64,
    /// Normalized seconds (quarter units) the active reservations offered.
    pub reserved_capacity: u64,
    /// Normalized seconds (quarter units) of it that covered usage.
    pub reserved_used: u64,
}

impl Spend {
    /// Everything spent.
    pub fn total(&self) -> Money {
        self.on_demand
            .saturating_add(self.reserved)
            .saturating_add(self.spot)
    }

    /// Reservation coverage in per mille of On-Demand seconds (`None` with no On-Demand use).
    pub fn coverage_permille(&self) -> Option<u64> {
        permille(self.covered_secs, self.on_demand_secs)
    }

    /// Reservation utilisation in per mille of what they offered (`None` with none active).
    pub fn utilisation_permille(&self) -> Option<u64> {
        permille(self.reserved_used, self.reserved_capacity)
    }

    /// Adds `other` into `self`.
    pub fn add(&mut self, other: &Self) {
        self.on_demand = self.on_demand.saturating_add(other.on_demand);
        self.reserved = self.reserved.saturating_add(other.reserved);
        self.spot = self.spot.saturating_add(other.spot);
        self.on_demand_secs = self.on_demand_secs.saturating_add(other.on_demand_secs);
        self.covered_secs = self.covered_secs.saturating_add(other.covered_secs);
        self.covered_value = self.covered_value.saturating_add(other.covered_value);
        self.spot_secs = self.spot_secs.saturating_add(other.spot_secs);
        self.reserved_capacity = self
            .reserved_capacity
            .saturating_add(other.reserved_capacity);
        self.reserved_used = self.reserved_used.saturating_add(other.reserved_used);
    }
}

impl Spend {
    /// `self` plus `k` times what `per` adds per second to the fields usage grows (the
    /// reservations' charges and capacity do not grow with usage), saturating.
    #[inline]
    fn grown(&self, per: &Self, k: u64) -> Self {
        let grow = |a: u64, p: u64| a.saturating_add(p.saturating_mul(k));
        let money = |a: Money, p: Money| a.saturating_add(p.saturating_mul(k));
        Self {
            on_demand: money(self.on_demand, per.on_demand),
            reserved: self.reserved,
            spot: money(self.spot, per.spot),
            on_demand_secs: grow(self.on_demand_secs, per.on_demand_secs),
            covered_secs: grow(self.covered_secs, per.covered_secs),
            covered_value: money(self.covered_value, per.covered_value),
            spot_secs: grow(self.spot_secs, per.spot_secs),
            reserved_capacity: self.reserved_capacity,
            reserved_used: grow(self.reserved_used, per.reserved_used),
        }
    }

    /// `n` hours alike: every field times `n`, saturating as `n` additions would.
    fn times(&self, n: u64) -> Self {
        Self {
            on_demand: self.on_demand.saturating_mul(n),
            reserved: self.reserved.saturating_mul(n),
            spot: self.spot.saturating_mul(n),
            on_demand_secs: self.on_demand_secs.saturating_mul(n),
            covered_secs: self.covered_secs.saturating_mul(n),
            covered_value: self.covered_value.saturating_mul(n),
            spot_secs: self.spot_secs.saturating_mul(n),
            reserved_capacity: self.reserved_capacity.saturating_mul(n),
            reserved_used: self.reserved_used.saturating_mul(n),
        }
    }
}

/// The work one [`Account::settle`] did, so tests can show it does not grow with time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Steps {
    /// Passes over the members that closed one hour or one run of alike hours.
    pub hours: u64,
    /// Passes over the members that checked whether a run of hours is alike.
    pub probes: u64,
}

fn permille(part: u64, whole: u64) -> Option<u64> {
    let p = u128::from(part).saturating_mul(1000);
    let v = p.checked_div(u128::from(whole))?;
    Some(u64::try_from(v).unwrap_or(u64::MAX))
}

/// One closed clock-hour of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct HourRecord {
    /// Hours since the epoch.
    pub hour: u64,
    /// What was spent in it.
    pub spend: Spend,
}

impl HourRecord {
    /// When the hour starts.
    pub const fn start(&self) -> Instant {
        hour_start(self.hour)
    }
}

/// A metered member, as the ledger reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MeterView {
    /// The instance.
    pub id: InstanceId,
    /// Index of its type in the price table.
    pub instance_type: u8,
    /// Zone index.
    pub zone: u8,
    /// How it is bought.
    pub market: MarketKind,
    /// Billed usage up to the time the ledger is settled to.
    pub billed: Duration,
    /// What its Spot usage cost (zero for On-Demand: reservations apply to the pool's hour,
    /// not to one member).
    pub spot: Money,
    /// Whether a billing session is open.
    pub billing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
struct Metered {
    id: InstanceId,
    instance_type: u8,
    zone: u8,
    market: MarketKind,
    clock: BillingClock,
    /// Billed usage already attributed to an hour.
    accounted: Duration,
    spot: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Open {
    hour: u64,
    on_demand: Grid,
    spot: Money,
    spot_secs: u64,
}

impl Open {
    const fn new(hour: u64) -> Self {
        Self {
            hour,
            on_demand: [[0; MAX_ZONES]; MAX_TYPES],
            spot: Money::ZERO,
            spot_secs: 0,
        }
    }
}

/// The cost ledger of one group: up to `M` metered members and `H` closed hours of history.
///
/// Size: `80 × H + 72 × M` bytes plus about 4 KiB (price table, open hour, reservations,
/// and 632 bytes for quiet steps: open sessions counted per pool and summed, usage per type,
/// the open hour's kept spend); `Account<64, 168>` is 22 320 bytes on `x86_64` (`size_of` is
/// printed by the tests).
///
/// Equality and the snapshot encoding see the members as brought up to the time the ledger
/// is settled to, whether or not a quiet step has done so yet (`purchase::quiet`).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Account<const M: usize, const H: usize> {
    prices: Prices,
    reservations: heapless::Vec<Reservation, MAX_RESERVATIONS>,
    upfront: UpfrontAccounting,
    members: heapless::Vec<Metered, M>,
    settled: Instant,
    first_hour: u64,
    /// The oldest hour [`Account::spend`] can still answer for.
    kept_from: u64,
    open: Open,
    history: heapless::Deque<HourRecord, H>,
    closed: Spend,
    /// The open sessions counted per pool, for quiet steps; not encoded (rebuilt from the
    /// members' clocks by the first member pass).
    #[serde(skip)]
    quiet: Quiet,
}

impl<const M: usize, const H: usize> Account<M, H> {
    /// A ledger that starts at `start` with the caller's price table.
    pub fn new(prices: Prices, start: Instant, upfront: UpfrontAccounting) -> Self {
        let h = hour_of(start);
        Self {
            prices,
            reservations: heapless::Vec::new(),
            upfront,
            members: heapless::Vec::new(),
            settled: start,
            first_hour: h,
            kept_from: h,
            open: Open::new(h),
            history: heapless::Deque::new(),
            closed: Spend::default(),
            quiet: Quiet {
                rows: Some([0; MAX_TYPES]),
                ..Quiet::default()
            },
        }
    }

    /// The price table.
    pub fn prices(&self) -> &Prices {
        &self.prices
    }

    /// The time the ledger is settled to.
    pub fn settled(&self) -> Instant {
        self.settled
    }

    /// The reservations not yet expired, in the order they were added.
    pub fn reservations(&self) -> impl Iterator<Item = &Reservation> {
        self.reservations.iter()
    }

    /// The closed hours still kept, oldest first.
    pub fn history(&self) -> impl Iterator<Item = &HourRecord> {
        self.history.iter()
    }

    /// Adds a reservation (SEMANTICS §4.2).
    ///
    /// # Errors
    /// [`PurchaseError::InvalidReservation`] for a bad reservation, one whose type is not
    /// priced or one that starts in a closed hour; [`PurchaseError::ZoneOutOfRange`];
    /// [`PurchaseError::Full`].
    pub fn reserve(&mut self, r: Reservation) -> Result<(), PurchaseError> {
        r.validate()?;
        self.flush();
        if self.prices.get(r.instance_type).is_none() {
            return Err(PurchaseError::InvalidReservation {
                rule: ReservationRule::UnknownType,
            });
        }
        if let Scope::Zonal { zone } = r.scope {
            check_zone(zone)?;
        }
        if r.first_hour() < self.open.hour {
            return Err(PurchaseError::InvalidReservation {
                rule: ReservationRule::StartsInClosedHour,
            });
        }
        self.reservations.push(r).map_err(|_| PurchaseError::Full {
            table: "reservations",
            capacity: MAX_RESERVATIONS,
        })?;
        self.quiet.spend.valid = false;
        Ok(())
    }

    /// Starts metering an instance (not yet billed: report its state with
    /// [`Account::observe`]).
    ///
    /// # Errors
    /// [`PurchaseError::UnknownType`], [`PurchaseError::ZoneOutOfRange`],
    /// [`PurchaseError::UnknownPool`] for Spot without a price in that pool,
    /// [`PurchaseError::DuplicateMember`], [`PurchaseError::Full`].
    pub fn track(
        &mut self,
        id: InstanceId,
        instance_type: u8,
        zone: u8,
        market: MarketKind,
    ) -> Result<(), PurchaseError> {
        self.prices
            .get(instance_type)
            .ok_or(PurchaseError::UnknownType)?;
        check_zone(zone)?;
        if market == MarketKind::Spot && self.prices.spot(instance_type, zone).is_none() {
            return Err(PurchaseError::UnknownPool {
                instance_type,
                zone,
            });
        }
        if self.members.iter().any(|m| m.id == id) {
            return Err(PurchaseError::DuplicateMember);
        }
        self.flush();
        self.members
            .push(Metered {
                id,
                instance_type,
                zone,
                market,
                clock: BillingClock::new(),
                accounted: Duration::ZERO,
                spot: Money::ZERO,
            })
            .map_err(|_| PurchaseError::Full {
                table: "members",
                capacity: M,
            })
    }

    /// Reports an instance's EC2 state at `now`: a billed state opens a billing session, any
    /// other closes it (SEMANTICS §1.1, §1.3, §4.1).
    ///
    /// # Errors
    /// [`PurchaseError::UnknownMember`], [`PurchaseError::TimeWentBack`].
    pub fn observe(
        &mut self,
        now: Instant,
        id: InstanceId,
        state: InstanceState,
        hibernating: bool,
    ) -> Result<(), PurchaseError> {
        let i = self.position(id)?;
        self.observe_index(now, i, state, hibernating)
    }

    /// [`Account::observe`] of member `id` looked for at index `at` of the metered members
    /// first (where a caller that keeps its own members in the ledger's order has it), then
    /// searched for: ids are unique in the ledger, so both find the same index (host builds;
    /// issue 20: the search was a large part of a group's report).
    ///
    /// # Errors
    /// As [`Account::observe`].
    #[cfg(not(target_os = "none"))]
    pub(crate) fn observe_at(
        &mut self,
        at: usize,
        now: Instant,
        id: InstanceId,
        state: InstanceState,
        hibernating: bool,
    ) -> Result<(), PurchaseError> {
        let i = self.position_at(at, id)?;
        self.observe_index(now, i, state, hibernating)
    }

    /// [`Account::observe`] of the member at index `i`.
    #[inline]
    fn observe_index(
        &mut self,
        now: Instant,
        i: usize,
        state: InstanceState,
        hibernating: bool,
    ) -> Result<(), PurchaseError> {
        self.settle(now)?;
        self.flush();
        let billed = state.is_billed(hibernating);
        let open = self.members.get(i).is_some_and(|m| m.clock.is_open());
        if self.counts_kept() {
            // Nothing changes: a billed state with a session open, or none with none.
            if billed == open {
                return Ok(());
            }
            // A session closes: the member alone catches up and leaves its pool's count.
            if !billed && self.close_counted(now, i) {
                return Ok(());
            }
            // A session opens: the member alone catches up and is young until past its minimum.
            if billed && self.open_counted(now, i) {
                return Ok(());
            }
        }
        // The clock may change: the members first catch up with the open hour, and the
        // counts are rebuilt by the next member pass.
        self.sync_members();
        self.quiet.valid = false;
        if let Some(m) = self.members.get_mut(i) {
            if state.is_billed(hibernating) {
                m.clock.open(now);
            } else {
                m.clock.close(now);
            }
        }
        Ok(())
    }

    /// [`Account::observe`] with the state of a lifecycle [`Instance`].
    ///
    /// # Errors
    /// As [`Account::observe`].
    pub fn sync(&mut self, now: Instant, instance: &Instance) -> Result<(), PurchaseError> {
        self.observe(
            now,
            instance.id(),
            instance.state(),
            instance.is_hibernating(),
        )
    }

    /// Stops metering an instance at `now` (its spend stays in the ledger).
    ///
    /// # Errors
    /// [`PurchaseError::UnknownMember`], [`PurchaseError::TimeWentBack`].
    pub fn forget(&mut self, now: Instant, id: InstanceId) -> Result<MeterView, PurchaseError> {
        let i = self.position(id)?;
        self.forget_index(now, i)
    }

    /// [`Account::forget`] of member `id` looked for at index `at` first, then searched for,
    /// as [`Account::observe_at`].
    ///
    /// # Errors
    /// As [`Account::forget`].
    #[cfg(not(target_os = "none"))]
    pub(crate) fn forget_at(
        &mut self,
        at: usize,
        now: Instant,
        id: InstanceId,
    ) -> Result<MeterView, PurchaseError> {
        let i = self.position_at(at, id)?;
        self.forget_index(now, i)
    }

    /// [`Account::forget`] of the member at index `i`.
    #[inline]
    fn forget_index(&mut self, now: Instant, i: usize) -> Result<MeterView, PurchaseError> {
        self.settle(now)?;
        self.flush();
        // The member leaves its pool's count if it has a session open (none: it is in no
        // count), and its view is brought up to date on its own: the others may stay behind.
        let kept = self.counts_kept()
            && match self.members.get(i) {
                Some(m) if m.clock.is_open() => self.leave_counted(now, i),
                Some(_) => true,
                None => false,
            };
        if !kept {
            self.sync_members();
            self.quiet.valid = false;
        }
        let m = crate::fixed::remove(&mut self.members, i).ok_or(PurchaseError::UnknownMember)?;
        self.quiet.removed(i);
        Ok(self.view(&m))
    }

    /// Whether the counts of `purchase::quiet` may be kept across a change that allows it
    /// (tests: not in the member-pass reference).
    #[cfg_attr(not(test), allow(clippy::unused_self))]
    fn counts_kept(&self) -> bool {
        #[cfg(test)]
        if self.quiet.off {
            return false;
        }
        true
    }

    /// Closes member `i`'s session at `now`, the time the open hour holds, keeping the counts
    /// of `purchase::quiet`: the member leaves its pool's count. It may stay behind with the
    /// others: a closed clock bills at any later time what the open one billed at `now`, so
    /// catching it up later gives what catching it up now gives (at the same Spot price: a
    /// price change catches every member up first). `false`, with nothing changed, when the
    /// counts do not hold.
    fn close_counted(&mut self, now: Instant, i: usize) -> bool {
        if !self.leave_counted(now, i) {
            return false;
        }
        if let Some(m) = self.members.get_mut(i) {
            m.clock.close(now);
        }
        true
    }

    /// Opens member `i`'s session at `now`, the time the open hour holds, keeping the counts of
    /// `purchase::quiet`: the member is caught up alone (a closed clock bills at `now` what it
    /// bills at any time after) and becomes young, brought forward by itself at each quiet
    /// step until past its minimum. `false`, with nothing changed, when the counts do not hold
    /// or the young list is full.
    fn open_counted(&mut self, now: Instant, i: usize) -> bool {
        if !self.quiet.valid || self.quiet.attributed != now || self.quiet.young.is_full() {
            return false;
        }
        let (Ok(index), Some(m)) = (u16::try_from(i), self.members.get_mut(i)) else {
            return false;
        };
        if self.quiet.lazy {
            *m = caught_up(m, now, &self.prices);
        }
        m.clock.open(now);
        self.quiet.young.push(index).is_ok()
    }

    /// Member `i`'s open session leaves its pool's count at `now`, the time the open hour
    /// holds (`false`, with nothing changed, when the counts do not hold). A young member is
    /// in no pool: it leaves the young list (it is never behind the open hour).
    fn leave_counted(&mut self, now: Instant, i: usize) -> bool {
        if !self.quiet.valid || self.quiet.attributed != now {
            return false;
        }
        if self.quiet.leave_young(i) {
            return true;
        }
        self.members
            .get(i)
            .is_some_and(|m| self.quiet.leave(m.instance_type, m.zone, m.market))
    }

    /// A metered member.
    pub fn member(&self, id: InstanceId) -> Option<MeterView> {
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| self.view(m))
    }

    /// Every metered member.
    pub fn members(&self) -> impl Iterator<Item = MeterView> + '_ {
        self.members.iter().map(|m| self.view(m))
    }

    fn view(&self, m: &Metered) -> MeterView {
        let m = self.current(m);
        MeterView {
            id: m.id,
            instance_type: m.instance_type,
            zone: m.zone,
            market: m.market,
            billed: m.clock.billed(self.settled),
            spot: m.spot,
            billing: m.clock.is_open(),
        }
    }

    /// Member `m` brought up to the time the open hour holds (what it is once
    /// [`Account::sync_members`] ran).
    fn current(&self, m: &Metered) -> Metered {
        if self.quiet.lazy && !self.is_young(m) {
            caught_up(m, self.quiet.attributed, &self.prices)
        } else {
            *m
        }
    }

    /// Brings every member's `accounted` and `spot` up to the time the open hour holds, after
    /// quiet steps that brought the open hour forward without them: before anything reads them
    /// or changes a clock or a price.
    fn sync_members(&mut self) {
        if !self.quiet.lazy {
            return;
        }
        let at = self.quiet.attributed;
        let young = &self.quiet.young;
        for (i, m) in self.members.iter_mut().enumerate() {
            // A young member is never behind: a quiet step brings it forward itself.
            if young.iter().any(|&y| usize::from(y) == i) {
                continue;
            }
            *m = caught_up(m, at, &self.prices);
        }
        self.quiet.lazy = false;
    }

    /// Whether `m` is young (`purchase::quiet`): brought forward by each quiet step itself, so
    /// never behind the open hour, though its clock may bill more at that time (the minimum of
    /// a session opened then, not yet attributed).
    fn is_young(&self, m: &Metered) -> bool {
        self.quiet.young.iter().any(|&y| {
            self.members
                .get(usize::from(y))
                .is_some_and(|x| x.id == m.id)
        })
    }

    fn position(&self, id: InstanceId) -> Result<usize, PurchaseError> {
        self.members
            .iter()
            .position(|m| m.id == id)
            .ok_or(PurchaseError::UnknownMember)
    }

    /// [`Account::position`], looking at index `at` first.
    #[cfg(not(target_os = "none"))]
    fn position_at(&self, at: usize, id: InstanceId) -> Result<usize, PurchaseError> {
        let i = if self.members.get(at).is_some_and(|m| m.id == id) {
            Ok(at)
        } else {
            self.position(id)
        };
        #[cfg(test)]
        assert_eq!(i, self.position(id), "the index looked at first");
        i
    }

    /// Sets a pool's Spot price from `now` on, settling first so that earlier seconds keep the
    /// earlier price. Adds the pool (with `capacity` 0) if it had no price.
    ///
    /// # Errors
    /// [`PurchaseError::UnknownType`], [`PurchaseError::ZoneOutOfRange`],
    /// [`PurchaseError::Full`], [`PurchaseError::TimeWentBack`].
    pub fn set_spot_price(
        &mut self,
        now: Instant,
        instance_type: u8,
        zone: u8,
        price: super::Rate,
    ) -> Result<(), PurchaseError> {
        let capacity = self
            .prices
            .spot(instance_type, zone)
            .map_or(0, |p| p.capacity);
        let mut prices = self.prices.clone();
        prices.set_spot(instance_type, zone, price, capacity)?;
        self.settle(now)?;
        self.flush();
        // Spot seconds before `now` keep the earlier price.
        self.sync_members();
        self.quiet.valid = false;
        self.quiet.spend.valid = false;
        self.prices = prices;
        Ok(())
    }

    /// Replaces the price table from `now` on, settling first so that earlier seconds keep the
    /// earlier prices. Indices are the caller's: every metered member's type must still be
    /// priced, and every Spot member's pool still have a price.
    ///
    /// # Errors
    /// [`PurchaseError::UnknownType`], [`PurchaseError::UnknownPool`],
    /// [`PurchaseError::TimeWentBack`].
    pub fn set_prices(&mut self, now: Instant, prices: Prices) -> Result<(), PurchaseError> {
        if now < self.settled {
            return Err(PurchaseError::TimeWentBack {
                settled: self.settled,
            });
        }
        for m in &self.members {
            prices
                .get(m.instance_type)
                .ok_or(PurchaseError::UnknownType)?;
            if m.market == MarketKind::Spot && prices.spot(m.instance_type, m.zone).is_none() {
                return Err(PurchaseError::UnknownPool {
                    instance_type: m.instance_type,
                    zone: m.zone,
                });
            }
        }
        for r in &self.reservations {
            prices
                .get(r.instance_type)
                .ok_or(PurchaseError::UnknownType)?;
        }
        self.settle(now)?;
        self.flush();
        self.sync_members();
        self.quiet.valid = false;
        self.quiet.spend.valid = false;
        self.prices = prices;
        Ok(())
    }

    /// Sets a pool's caller-reported spare capacity (it does not change what is billed).
    ///
    /// # Errors
    /// [`PurchaseError::UnknownPool`].
    pub fn set_spot_capacity(
        &mut self,
        instance_type: u8,
        zone: u8,
        capacity: u32,
    ) -> Result<(), PurchaseError> {
        self.flush();
        self.prices.set_spot_capacity(instance_type, zone, capacity)
    }

    /// Brings the ledger to `now`: attributes billed seconds to their hours and closes every
    /// hour that ended.
    ///
    /// Its cost does not grow with the time it is given: a run of closed hours that are alike
    /// (the same members billed, the same prices, no reservation starting or ending) is settled
    /// in one step, by multiplication.
    ///
    /// # Errors
    /// [`PurchaseError::TimeWentBack`] if `now` is before the time already settled to.
    #[inline]
    pub fn settle(&mut self, now: Instant) -> Result<(), PurchaseError> {
        // A deferred step first, inlined into the callers: most of a simulation's steps.
        if now >= self.settled && self.defer(now) {
            return Ok(());
        }
        self.settle_counted(now).map(|_| ())
    }

    /// [`Account::settle`], returning the work it did (what the regression tests measure).
    #[inline(never)]
    pub(crate) fn settle_counted(&mut self, now: Instant) -> Result<Steps, PurchaseError> {
        if now < self.settled {
            return Err(PurchaseError::TimeWentBack {
                settled: self.settled,
            });
        }
        if self.defer(now) {
            return Ok(Steps::default());
        }
        self.flush();
        let target = hour_of(now);
        let mut steps = Steps::default();
        // Whether the open hour has had nothing attributed to it since it opened: only then is
        // its usage the clocks' growth over the whole hour, which a run needs.
        let mut fresh = false;
        loop {
            let h = self.open.hour;
            // By hour index, not by instant: the end of the last hour saturates at the largest
            // instant, which must not look like an hour that never ends.
            if h >= target {
                break;
            }
            let end = hour_start(h.saturating_add(1));
            let run = if fresh {
                self.sync_members();
                self.alike_hours(h, target, &mut steps)
            } else {
                1
            };
            self.attribute(end);
            // A run moves every member's `accounted` and `spot` (closing one hour reads none:
            // the members may stay behind the open hour across it).
            if run > 1 {
                self.sync_members();
            }
            self.close_hours(run);
            steps.hours = steps.hours.saturating_add(1);
            fresh = true;
            self.skip_idle(target);
        }
        self.attribute(now);
        self.settled = now;
        self.keep_open_spend();
        self.arm();
        // The test-only work counter (`purchase/work.rs`), for the cost property tests.
        #[cfg(test)]
        super::work::add(steps.hours.saturating_add(steps.probes));
        Ok(steps)
    }

    /// The ledger as it settled before runs of alike hours: one pass per closed hour (idle
    /// gaps aside). The reference the tests hold [`Account::settle`] to.
    #[cfg(test)]
    pub(crate) fn settle_hourly(&mut self, now: Instant) -> Result<u64, PurchaseError> {
        if now < self.settled {
            return Err(PurchaseError::TimeWentBack {
                settled: self.settled,
            });
        }
        self.flush();
        let mut hours = 0u64;
        loop {
            if self.open.hour >= hour_of(now) {
                break;
            }
            let end = hour_start(self.open.hour.saturating_add(1));
            self.attribute(end);
            self.sync_members();
            self.close_hours(1);
            hours = hours.saturating_add(1);
            self.skip_idle(hour_of(now));
        }
        self.attribute(now);
        self.settled = now;
        Ok(hours)
    }

    /// Tests only: every step takes the member pass (the reference quiet steps are held to).
    #[cfg(test)]
    pub(crate) fn member_passes_only(&mut self) {
        self.flush();
        self.quiet.off = true;
    }

    /// Tests only: the open hour's usage per type as kept step by step.
    #[cfg(test)]
    pub(crate) fn kept_rows(&self) -> Option<super::reserved::Rows> {
        let mut a = self.clone();
        a.flush();
        a.quiet.rows
    }

    /// Tests only: the open hour's usage per type, its grid's rows summed.
    #[cfg(test)]
    pub(crate) fn summed_rows(&self) -> Option<super::reserved::Rows> {
        row_sums(&self.open_now().on_demand)
    }

    /// Tests only: seconds of quiet steps deferred (`purchase::quiet::Defer`).
    #[cfg(test)]
    pub(crate) fn deferred_secs(&self) -> u32 {
        self.quiet.defer.secs
    }

    /// Tests only: how many members are young (`purchase::quiet`).
    #[cfg(test)]
    pub(crate) fn young_members(&self) -> usize {
        self.quiet.young.len()
    }

    /// Tests only: whether quiet steps have brought the open hour further than the members.
    #[cfg(test)]
    pub(crate) fn members_behind(&self) -> bool {
        self.quiet.lazy
    }

    /// How many closed hours from `h` on (at most up to `target`, exclusive) spend exactly what
    /// hour `h` spends, so that they settle as one hour times the count.
    ///
    /// Hour `h` is fresh (nothing attributed to it yet). Hours `h .. h + k` are alike when:
    /// - the prices are the same (they change only through calls that settle first);
    /// - no reservation starts, ends or passes its first (upfront) hour inside the run, so each
    ///   reservation is active, and charges the same, in every hour of it;
    /// - every member bills the same seconds in every hour of it: either none (no session, or
    ///   its bill has saturated) or a full 3600 s (a session open and past its 60 s minimum).
    ///   The clocks cannot change inside one settle call, and an hour bills at most 3600 s, so
    ///   `k − 1` further hours that add `(k − 1) × s` seconds between them billed `s` each.
    ///
    /// The first of these conditions holds for the whole call; the run is cut at the next
    /// reservation boundary, then shortened (by bisection, since a shorter prefix of a run is a
    /// run) while some member's clock does not bill a full hour in each of its hours, which
    /// happens only as a bill reaches the largest [`Duration`].
    fn alike_hours(&self, h: u64, target: u64, steps: &mut Steps) -> u64 {
        let mut k_max = target.saturating_sub(h);
        for r in &self.reservations {
            for b in [
                r.first_hour(),
                r.first_hour().saturating_add(1),
                r.end_hour(),
            ] {
                if b > h {
                    k_max = k_max.min(b.saturating_sub(h));
                }
            }
        }
        if k_max <= 1 {
            return 1;
        }
        let first_end = hour_start(h.saturating_add(1));
        let full = Duration::from_secs(super::SECS_PER_HOUR);
        // What each member bills in hour `h`.
        let first = |m: &Metered| m.clock.billed(first_end).saturating_sub(m.accounted);
        if self
            .members
            .iter()
            .any(|m| first(m) != Duration::ZERO && first(m) != full)
        {
            return 1;
        }
        let alike = |k: u64, steps: &mut Steps| -> bool {
            steps.probes = steps.probes.saturating_add(1);
            let last_end = hour_start(h.saturating_add(k));
            self.members.iter().all(|m| {
                let grown = m
                    .clock
                    .billed(last_end)
                    .saturating_sub(m.clock.billed(first_end));
                first(m)
                    .total_millis()
                    .checked_mul(k.saturating_sub(1))
                    .is_some_and(|want| grown.total_millis() == want)
            })
        };
        if alike(k_max, steps) {
            return k_max;
        }
        // `alike(lo)` holds and `alike(hi)` does not.
        let (mut lo, mut hi) = (1u64, k_max);
        while hi.saturating_sub(lo) > 1 {
            let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
            if alike(mid, steps) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Closes the open hour and the `run − 1` hours after it, all alike: the open hour holds
    /// the usage of one of them (attributed up to its end); the members' clocks are brought to
    /// the end of the last, and their Spot costs grow by the same amount each hour.
    fn close_hours(&mut self, run: u64) {
        let h = self.open.hour;
        let more = run.saturating_sub(1);
        if more > 0 {
            let last_end = hour_start(h.saturating_add(run));
            for m in &mut self.members {
                let billed = m.clock.billed(last_end);
                if m.market == MarketKind::Spot {
                    let secs = billed
                        .saturating_sub(m.accounted)
                        .total_secs()
                        .checked_div(more)
                        .unwrap_or(0);
                    let price = self
                        .prices
                        .spot(m.instance_type, m.zone)
                        .map_or(super::Rate::ZERO, |p| p.price);
                    m.spot = m
                        .spot
                        .saturating_add(price.for_secs(secs).saturating_mul(more));
                }
                m.accounted = billed;
            }
            self.quiet.attributed = last_end;
        }
        let spend = self.open_spend();
        self.closed.add(&spend.times(run));
        let keep = u64::try_from(H).unwrap_or(u64::MAX);
        let mut first = h;
        if run > keep {
            // Pushing the hours one by one would have evicted every older record, then each
            // other, up to the first of the last `H`.
            first = h.saturating_add(run.saturating_sub(keep));
            self.history.clear();
            self.kept_from = first;
        }
        let stop = h.saturating_add(run);
        let mut hour = first;
        while hour < stop {
            self.push_record(HourRecord { hour, spend });
            hour = hour.saturating_add(1);
        }
        self.open = Open::new(stop);
        self.quiet.rows = Some([0; MAX_TYPES]);
        self.quiet.spend.valid = false;
        self.drop_expired();
    }

    /// Keeps a closed hour's record, evicting the oldest when the ring is full.
    fn push_record(&mut self, record: HourRecord) {
        if self.history.is_full()
            && let Some(old) = self.history.pop_front()
        {
            self.kept_from = old.hour.saturating_add(1);
        }
        if H == 0 {
            self.kept_from = record.hour.saturating_add(1);
        }
        // Cannot fail: a slot was freed above when full (or H is 0 and nothing is kept).
        let _ = self.history.push_back(record);
    }

    /// With no session open, closes empty hours up to `target` at once: only the last `H` of
    /// them get records, the rest go straight into the totals.
    fn skip_idle(&mut self, target: u64) {
        if self.members.iter().any(|m| m.clock.is_open()) {
            return;
        }
        let keep = u64::try_from(H).unwrap_or(u64::MAX);
        let skip_to = target.saturating_sub(keep);
        if skip_to <= self.open.hour {
            return;
        }
        let from = self.open.hour;
        for r in &self.reservations {
            self.closed
                .add(&idle_charge(r, from, skip_to, &self.prices, self.upfront));
        }
        self.history.clear();
        self.open = Open::new(skip_to);
        self.quiet.rows = Some([0; MAX_TYPES]);
        self.quiet.spend.valid = false;
        self.kept_from = skip_to;
        self.drop_expired();
    }

    /// Moves every member's billed usage up to `t` into the open hour: by the counts of open
    /// sessions per pool when the step is quiet (`purchase::quiet`), else member by member.
    fn attribute(&mut self, t: Instant) {
        if let Some(k) = self.quiet.span(t) {
            self.attribute_quiet(k);
            self.attribute_young(t);
            self.quiet.attributed = t;
        } else {
            self.sync_members();
            self.attribute_members(t);
        }
    }

    /// A quiet step of `k` whole seconds: every open session bills `k` seconds, so each pool
    /// adds its count × `k` seconds (and a Spot pool count × its price for `k` seconds: a
    /// saturating sum of equal parts is their saturating product). The members' own figures
    /// are left behind until [`Account::sync_members`].
    fn attribute_quiet(&mut self, k: u64) {
        if k == 0 {
            return;
        }
        if !self.attribute_summed(k) {
            self.attribute_pools(k);
        }
        self.quiet.lazy = true;
    }

    /// A quiet step by the sums over the pools ([`super::quiet::PerSecond`]): the Spot cost
    /// and seconds as one product each, the On-Demand seconds type by type, the grid's cells
    /// pool by pool. The pools' own saturating sums are these exact ones when nothing
    /// overflows; `false`, with nothing done, when something could.
    fn attribute_summed(&mut self, k: u64) -> bool {
        let sums = &self.quiet.per_second;
        // A count (`u32`) times `k` fits in 64 bits below.
        if !sums.ok || k > u64::from(u32::MAX) {
            return false;
        }
        let Some(spot) = sums
            .spot_cost
            .checked_mul(k)
            .and_then(|c| self.open.spot.checked_add(Money::from_exact(c)))
        else {
            return false;
        };
        let Some(spot_secs) = sums
            .spot_count
            .checked_mul(k)
            .and_then(|n| self.open.spot_secs.checked_add(n))
        else {
            return false;
        };
        // The On-Demand pools come first ([`super::quiet::Quiet::sum`]).
        let on_demand = self.quiet.pools.iter();
        for p in on_demand.take_while(|p| p.market == MarketKind::OnDemand) {
            if let Some(c) = self
                .open
                .on_demand
                .get_mut(usize::from(p.instance_type))
                .and_then(|row| row.get_mut(usize::from(p.zone)))
            {
                *c = c.saturating_add(u64::from(p.count).saturating_mul(k));
            }
        }
        let mut types = sums.types;
        while types != 0 {
            let t = types.trailing_zeros();
            types &= types.wrapping_sub(1);
            let (Ok(t), Ok(i)) = (u8::try_from(t), usize::try_from(t)) else {
                continue;
            };
            let n = sums.on_demand.get(i).copied().unwrap_or(0);
            let secs = u64::from(n).saturating_mul(k);
            add_usage(&mut self.quiet.rows, t, secs);
            self.quiet.spend.add(&self.prices, t, secs);
        }
        self.open.spot = spot;
        self.open.spot_secs = spot_secs;
        true
    }

    /// A quiet step pool by pool (the sums could overflow: each pool saturates on its own).
    fn attribute_pools(&mut self, k: u64) {
        for p in &self.quiet.pools {
            let n = u64::from(p.count);
            let secs = n.saturating_mul(k);
            match p.market {
                MarketKind::OnDemand => {
                    if let Some(c) = self
                        .open
                        .on_demand
                        .get_mut(usize::from(p.instance_type))
                        .and_then(|row| row.get_mut(usize::from(p.zone)))
                    {
                        *c = c.saturating_add(secs);
                        add_usage(&mut self.quiet.rows, p.instance_type, secs);
                        self.quiet.spend.add(&self.prices, p.instance_type, secs);
                    }
                }
                MarketKind::Spot => {
                    let cost = p.rate.for_secs(k).saturating_mul(n);
                    self.open.spot = self.open.spot.saturating_add(cost);
                    self.open.spot_secs = self.open.spot_secs.saturating_add(secs);
                }
            }
        }
    }

    /// The young members of a quiet step brought up to `t` one by one, as the member pass
    /// brings every member; those past their 60 s minimum at `t` join their pool's count.
    fn attribute_young(&mut self, t: Instant) {
        if self.quiet.young.is_empty() {
            return;
        }
        let mut joined = false;
        let mut j = 0;
        while let Some(&y) = self.quiet.young.get(j) {
            let Some(m) = self.members.get_mut(usize::from(y)) else {
                // Not reached (the list follows every removal); the member pass recounts.
                self.quiet.valid = false;
                return;
            };
            let rate = pool_rate(m, &self.prices);
            attribute_member(&mut self.open, &mut self.quiet, &self.prices, m, t, rate);
            let (start, closed) = m.clock.session();
            if start.is_some_and(|s| s.saturating_add(PAST_MINIMUM) <= t) {
                self.quiet
                    .count(start, closed, m.instance_type, m.zone, m.market, rate);
                let _ = crate::fixed::remove(&mut self.quiet.young, j);
                joined = true;
            } else {
                j = j.saturating_add(1);
            }
        }
        if joined {
            self.quiet.sum();
        }
    }

    /// Moves every member's billed usage up to `t` into the open hour, one member at a time,
    /// and counts the open sessions again.
    fn attribute_members(&mut self, t: Instant) {
        self.quiet.restart(t);
        for m in &mut self.members {
            let (start, closed) = m.clock.session();
            let rate = pool_rate(m, &self.prices);
            self.quiet
                .count(start, closed, m.instance_type, m.zone, m.market, rate);
            attribute_member(&mut self.open, &mut self.quiet, &self.prices, m, t, rate);
        }
        self.quiet.sum();
        // After a restore the usage per type is summed once.
        if self.quiet.rows.is_none() {
            self.quiet.rows = row_sums(&self.open.on_demand);
        }
    }

    fn drop_expired(&mut self) {
        let h = self.open.hour;
        self.reservations.retain(|r| r.end_hour() > h);
    }

    /// Builds the kept open-hour spend (`purchase::kept`) when it was dropped, so that the
    /// steps after this one add to it instead of applying the reservations again.
    fn keep_open_spend(&mut self) {
        if !self.quiet.spend.valid {
            self.build_open_spend();
        }
    }

    /// A settle to `now` deferred (`purchase::quiet::Defer`): when armed, `now` in reach and
    /// whole seconds after the time settled to, the step only counts its seconds (what the
    /// quiet step [`Account::attribute`] would add is `k` times the armed rate). Whether it was.
    #[inline]
    fn defer(&mut self, now: Instant) -> bool {
        let q = &mut self.quiet;
        let d = &mut q.defer;
        if !DEFER || d.cap == 0 || now > d.until {
            return false;
        }
        let ms = now.saturating_duration_since(self.settled).total_millis();
        let Ok(k) = u32::try_from(ms / 1000) else {
            return false;
        };
        let secs = d.secs.saturating_add(k);
        if !ms.is_multiple_of(1000) || secs > d.cap {
            return false;
        }
        d.secs = secs;
        if k > 0 {
            // As the quiet step: the members stay behind the open hour.
            q.lazy = true;
        }
        q.attributed = now;
        self.settled = now;
        true
    }

    /// Adds the deferred seconds to the open hour, as the quiet steps would have one by one:
    /// one quiet step of their sum adds what they add (every sum is exact: [`Account::arm`]
    /// checked that none overflows, and the grid's saturating cells add `count × k` alike),
    /// and disarms: whatever comes next may change the open sessions, prices or reservations.
    fn flush(&mut self) {
        let d = &mut self.quiet.defer;
        d.cap = 0;
        let secs = core::mem::take(&mut d.secs);
        if secs > 0 {
            self.attribute_quiet(u64::from(secs));
        }
    }

    /// After a settle: arms deferral (`purchase::quiet::Defer`) when the next quiet steps would
    /// each add the same per second: the counts hold (no session inside its minimum, no young
    /// member), the kept spend grows linearly in every type that grows ([`Kept::linear`]),
    /// and an hour of it overflows none of the open hour's sums. The cap: until an absorbing
    /// reservation's room is used up; the reach: the open hour's last instant and
    /// [`Quiet::limit`].
    fn arm(&mut self) {
        let q = &mut self.quiet;
        q.defer.cap = 0;
        if !DEFER || q.span(self.settled) != Some(0) || !q.young.is_empty() || !q.per_second.ok {
            return;
        }
        let horizon = super::SECS_PER_HOUR;
        let sums = &q.per_second;
        let Some((rate, cap)) = q
            .spend
            .linear(&self.prices, &sums.on_demand, sums.types, horizon)
        else {
            return;
        };
        let far = |a: u64, per: u64| per.checked_mul(horizon).and_then(|g| a.checked_add(g));
        if far(self.open.spot.exact(), sums.spot_cost).is_none()
            || far(self.open.spot_secs, sums.spot_count).is_none()
        {
            return;
        }
        let Some(rows) = &q.rows else {
            return;
        };
        for (&row, &n) in rows.iter().zip(&sums.on_demand) {
            if far(row, u64::from(n)).is_none() {
                return;
            }
        }
        let end = hour_start(self.open.hour.saturating_add(1));
        let last = Instant::from_millis(end.total_millis().saturating_sub(1));
        q.defer.until = last.min(q.limit);
        q.defer.rate = Spend {
            on_demand: rate.on_demand,
            covered_value: rate.covered_value,
            spot: Money::from_exact(sums.spot_cost),
            on_demand_secs: rate.on_demand_secs,
            covered_secs: rate.covered_secs,
            spot_secs: sums.spot_count,
            reserved_used: rate.used,
            ..Spend::default()
        };
        q.defer.cap = u32::try_from(cap).unwrap_or(u32::MAX);
        let mut base = self.closed;
        base.add(&self.spend_from(&self.quiet.spend.totals, self.quiet.spend.reserved));
        self.quiet.defer.base = base;
    }

    /// The open hour's spend `s` (as kept) with the deferred seconds added.
    #[inline]
    fn with_deferred(&self, s: Spend) -> Spend {
        let d = &self.quiet.defer;
        if !DEFER || d.secs == 0 {
            return s;
        }
        s.grown(&d.rate, u64::from(d.secs))
    }

    /// Whether the open hours are equal, the deferred seconds added.
    fn same_open(&self, other: &Self) -> bool {
        if DEFER && (self.quiet.defer.secs > 0 || other.quiet.defer.secs > 0) {
            return self.open_now() == other.open_now();
        }
        self.open == other.open
    }

    /// The open hour with the deferred seconds added (what [`Account::flush`] leaves): what
    /// equality and the snapshot see.
    fn open_now(&self) -> Open {
        let mut open = self.open;
        let k = u64::from(self.quiet.defer.secs);
        if !DEFER || k == 0 {
            return open;
        }
        let on_demand = self.quiet.pools.iter();
        for p in on_demand.take_while(|p| p.market == MarketKind::OnDemand) {
            if let Some(c) = open
                .on_demand
                .get_mut(usize::from(p.instance_type))
                .and_then(|row| row.get_mut(usize::from(p.zone)))
            {
                *c = c.saturating_add(u64::from(p.count).saturating_mul(k));
            }
        }
        let sums = &self.quiet.per_second;
        open.spot = open
            .spot
            .saturating_add(Money::from_exact(sums.spot_cost.saturating_mul(k)));
        open.spot_secs = open
            .spot_secs
            .saturating_add(sums.spot_count.saturating_mul(k));
        open
    }

    /// [`Account::keep_open_spend`]'s build. Out of line: the walk's scratch stays out of
    /// the frames of the callers, which mostly find the spend kept.
    #[inline(never)]
    fn build_open_spend(&mut self) {
        #[cfg(test)]
        if self.quiet.off {
            return;
        }
        let Some(rows) = &self.quiet.rows else {
            return;
        };
        let h = self.open.hour;
        let kept = &mut self.quiet.spend;
        let Some(totals) = apply_totals_traced(
            &self.open.on_demand,
            rows,
            &self.prices,
            self.reservations.iter(),
            h,
            &mut kept.regimes,
        ) else {
            return;
        };
        kept.totals = totals;
        kept.reserved = self.reservations.iter().fold(Money::ZERO, |a, r| {
            a.saturating_add(r.charge(h, self.upfront))
        });
        kept.valid = true;
    }

    /// The open hour so far, with reservations applied to the usage billed until now.
    fn open_spend(&self) -> Spend {
        self.open_spend_with(true)
    }

    /// The open hour's spend from its On-Demand and reserved totals and its Spot figures.
    fn spend_from(&self, x: &Totals, reserved: Money) -> Spend {
        Spend {
            on_demand: x.on_demand,
            reserved,
            spot: self.open.spot,
            on_demand_secs: x.on_demand_secs,
            covered_secs: x.covered_secs,
            covered_value: x.covered_value,
            spot_secs: self.open.spot_secs,
            reserved_capacity: x.capacity,
            reserved_used: x.used,
        }
    }

    /// [`Account::open_spend`]; `skip_unused`: types with no usage are skipped (the fast
    /// path) or summed like the others (the reference the tests hold the fast path to).
    pub(crate) fn open_spend_with(&self, skip_unused: bool) -> Spend {
        let kept = &self.quiet.spend;
        if skip_unused && kept.valid {
            let s = self.spend_from(&kept.totals, kept.reserved);
            return self.with_deferred(s);
        }
        // The reference reads the grid: the deferred steps added first.
        #[cfg(test)]
        if self.quiet.defer.secs > 0 {
            let mut a = self.clone();
            a.flush();
            return a.open_spend_with(skip_unused);
        }
        let h = self.open.hour;
        let reserved = || {
            self.reservations.iter().fold(Money::ZERO, |a, r| {
                a.saturating_add(r.charge(h, self.upfront))
            })
        };
        // Summed type by type, without the covered grid (the fast path; `None` only where a
        // sum would overflow).
        let summed;
        let rows = if let Some(rows) = &self.quiet.rows {
            Some(rows)
        } else {
            summed = row_sums(&self.open.on_demand);
            summed.as_ref()
        };
        if skip_unused
            && let Some(x) = rows.and_then(|rows| {
                apply_totals(
                    &self.open.on_demand,
                    rows,
                    &self.prices,
                    self.reservations.iter(),
                    h,
                    None,
                )
            })
        {
            return self.spend_from(&x, reserved());
        }
        let mut applied = Applied::new();
        apply_into(
            &self.open.on_demand,
            &self.prices,
            self.reservations.iter(),
            h,
            &mut applied,
        );
        let mut s = Spend {
            spot: self.open.spot,
            spot_secs: self.open.spot_secs,
            reserved_capacity: applied.capacity,
            reserved_used: applied.used,
            ..Spend::default()
        };
        for (t, (used_row, cov_row)) in self
            .open
            .on_demand
            .iter()
            .zip(applied.covered.iter())
            .enumerate()
        {
            // A type with no usage adds nothing (what is covered is at most what is used, and
            // nothing costs nothing): most rows of the grid, every step of a simulation. Tested
            // by or-ing the row, which compiles to a few vector instructions (`all` became a
            // `memcmp` call per row).
            if skip_unused && used_row.iter().fold(0, |a, &u| a | u) == 0 {
                continue;
            }
            let rate = u8::try_from(t)
                .ok()
                .and_then(|t| self.prices.on_demand(t))
                .unwrap_or(super::Rate::ZERO);
            for (&used, &cov) in used_row.iter().zip(cov_row) {
                s.on_demand = s
                    .on_demand
                    .saturating_add(rate.for_secs(used.saturating_sub(cov)));
                s.covered_value = s.covered_value.saturating_add(rate.for_secs(cov));
                s.on_demand_secs = s.on_demand_secs.saturating_add(used);
                s.covered_secs = s.covered_secs.saturating_add(cov);
            }
        }
        s.reserved = reserved();
        s
    }

    /// Everything spent since the account began, the open hour included (as settled so far).
    pub fn total(&self) -> Spend {
        let d = &self.quiet.defer;
        if DEFER && d.cap > 0 {
            // Armed: the total when armed plus the deferred seconds (the sums are exact below
            // the saturation `Spend::add` applies: `Account::arm`).
            return d.base.grown(&d.rate, u64::from(d.secs));
        }
        let mut s = self.closed;
        s.add(&self.open_spend());
        s
    }

    /// What was spent over `[from, to)`; both on clock-hours. The open hour counts as far as it
    /// is settled; hours before the account began count as zero.
    ///
    /// # Errors
    /// [`PurchaseError::UnalignedInterval`], [`PurchaseError::ReversedInterval`],
    /// [`PurchaseError::IntervalNotKept`] when the interval starts before the oldest hour kept
    /// or ends after the open hour.
    pub fn spend(&self, from: Instant, to: Instant) -> Result<Spend, PurchaseError> {
        let ms = super::MS_PER_HOUR;
        if !from.total_millis().is_multiple_of(ms) || !to.total_millis().is_multiple_of(ms) {
            return Err(PurchaseError::UnalignedInterval);
        }
        if to < from {
            return Err(PurchaseError::ReversedInterval);
        }
        let (a, b) = (hour_of(from), hour_of(to));
        let newest = self.open.hour.saturating_add(1);
        let lost = a < self.kept_from && self.kept_from != self.first_hour;
        if lost || b > newest {
            return Err(PurchaseError::IntervalNotKept {
                oldest: hour_start(self.kept_from),
                newest: hour_start(newest),
            });
        }
        let mut s = Spend::default();
        for r in self.history.iter().filter(|r| r.hour >= a && r.hour < b) {
            s.add(&r.spend);
        }
        if self.open.hour >= a && self.open.hour < b {
            s.add(&self.open_spend());
        }
        Ok(s)
    }
}

/// Member `m` with its billed usage up to `at` accounted and its Spot seconds priced, as the
/// member pass would have left it: quiet steps share one price (a price change settles and
/// catches up first), and a saturating sum of the parts is the saturating price of the whole.
/// The price a member's seconds cost in its pool: its Spot price, zero for On-Demand (the open
/// hour prices On-Demand seconds when it is totalled).
fn pool_rate(m: &Metered, prices: &Prices) -> super::Rate {
    match m.market {
        MarketKind::OnDemand => super::Rate::ZERO,
        MarketKind::Spot => prices
            .spot(m.instance_type, m.zone)
            .map_or(super::Rate::ZERO, |p| p.price),
    }
}

/// Moves member `m`'s billed usage up to `t` into the open hour (and the kept usage and spend
/// of `quiet`), at `rate` for Spot: one member's part of the member pass.
fn attribute_member(
    open: &mut Open,
    quiet: &mut Quiet,
    prices: &Prices,
    m: &mut Metered,
    t: Instant,
    rate: super::Rate,
) {
    let billed = m.clock.billed(t);
    let secs = billed.saturating_sub(m.accounted).total_secs();
    m.accounted = billed;
    if secs == 0 {
        return;
    }
    match m.market {
        MarketKind::OnDemand => {
            if let Some(c) = open
                .on_demand
                .get_mut(usize::from(m.instance_type))
                .and_then(|row| row.get_mut(usize::from(m.zone)))
            {
                *c = c.saturating_add(secs);
                add_usage(&mut quiet.rows, m.instance_type, secs);
                quiet.spend.add(prices, m.instance_type, secs);
            }
        }
        MarketKind::Spot => {
            let cost = rate.for_secs(secs);
            m.spot = m.spot.saturating_add(cost);
            open.spot = open.spot.saturating_add(cost);
            open.spot_secs = open.spot_secs.saturating_add(secs);
        }
    }
}

fn caught_up(m: &Metered, at: Instant, prices: &Prices) -> Metered {
    let mut m = *m;
    let billed = m.clock.billed(at);
    let secs = billed.saturating_sub(m.accounted).total_secs();
    m.accounted = billed;
    if secs > 0 && m.market == MarketKind::Spot {
        let price = prices
            .spot(m.instance_type, m.zone)
            .map_or(super::Rate::ZERO, |p| p.price);
        m.spot = m.spot.saturating_add(price.for_secs(secs));
    }
    m
}

impl<const M: usize, const H: usize> PartialEq for Account<M, H> {
    /// Field by field, the members as brought up to the open hour (the counts of
    /// `purchase::quiet` are a cache and not compared).
    fn eq(&self, other: &Self) -> bool {
        self.prices == other.prices
            && self.reservations == other.reservations
            && self.upfront == other.upfront
            && self.members.len() == other.members.len()
            && self
                .members
                .iter()
                .zip(other.members.iter())
                .all(|(a, b)| self.current(a) == other.current(b))
            && self.settled == other.settled
            && self.first_hour == other.first_hour
            && self.kept_from == other.kept_from
            && self.same_open(other)
            && self.history == other.history
            && self.closed == other.closed
    }
}

impl<const M: usize, const H: usize> Eq for Account<M, H> {}

/// The members as brought up to the open hour, encoded as the vector they are stored in.
struct CurrentMembers<'a, const M: usize, const H: usize>(&'a Account<M, H>);

impl<const M: usize, const H: usize> serde::Serialize for CurrentMembers<'_, M, H> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        serializer.collect_seq(a.members.iter().map(|m| a.current(m)))
    }
}

/// The encoding `derive(Serialize)` gave (snapshot format 4, unchanged), the members as
/// brought up to the open hour and without the counts of `purchase::quiet`: a snapshot taken
/// after quiet steps is the one taken after member passes.
impl<const M: usize, const H: usize> serde::Serialize for Account<M, H> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut s = serializer.serialize_struct("Account", 10)?;
        s.serialize_field("prices", &self.prices)?;
        s.serialize_field("reservations", &self.reservations)?;
        s.serialize_field("upfront", &self.upfront)?;
        s.serialize_field("members", &CurrentMembers(self))?;
        s.serialize_field("settled", &self.settled)?;
        s.serialize_field("first_hour", &self.first_hour)?;
        s.serialize_field("kept_from", &self.kept_from)?;
        if DEFER && self.quiet.defer.secs > 0 {
            s.serialize_field("open", &self.open_now())?;
        } else {
            // No copy of the open hour where nothing is deferred (the microcontrollers).
            s.serialize_field("open", &self.open)?;
        }
        s.serialize_field("history", &self.history)?;
        s.serialize_field("closed", &self.closed)?;
        s.end()
    }
}

/// Reservation charges and offered capacity over idle hours `[from, to)`.
fn idle_charge(
    r: &Reservation,
    from: u64,
    to: u64,
    prices: &Prices,
    upfront: UpfrontAccounting,
) -> Spend {
    let a = from.max(r.first_hour());
    let b = to.min(r.end_hour());
    let hours = b.saturating_sub(a);
    if hours == 0 {
        return Spend::default();
    }
    // Every active hour but the first charges the same; the first may carry upfront.
    let first = r.charge(a, upfront);
    let rest = r.charge(a.saturating_add(1), upfront);
    let q = prices
        .get(r.instance_type)
        .map_or(0, |p| u64::from(p.normalization.quarters()));
    Spend {
        reserved: first.saturating_add(rest.saturating_mul(hours.saturating_sub(1))),
        reserved_capacity: u64::from(r.count)
            .saturating_mul(super::SECS_PER_HOUR)
            .saturating_mul(q)
            .saturating_mul(hours),
        ..Spend::default()
    }
}
