//! Why a purchasing or cost request was refused (codes 1900–1999).

use core::fmt;

use crate::error::{Error, ErrorKind};
use crate::time::Instant;

/// Which rule a reservation breaks (SEMANTICS §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ReservationRule {
    /// The instance count is zero.
    ZeroCount,
    /// All Upfront has no hourly charge.
    AllUpfrontHourly,
    /// No Upfront has no upfront charge.
    NoUpfrontUpfront,
    /// Partial Upfront needs both an upfront and an hourly charge.
    PartialUpfrontCharges,
    /// The reservation starts in an hour the ledger has already closed.
    StartsInClosedHour,
    /// The reserved type has no entry in the price table.
    UnknownType,
}

impl ReservationRule {
    /// A sentence naming the rule.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ZeroCount => "a reservation covers at least one instance",
            Self::AllUpfrontHourly => "an All Upfront reservation has no hourly charge",
            Self::NoUpfrontUpfront => "a No Upfront reservation has no upfront charge",
            Self::PartialUpfrontCharges => {
                "a Partial Upfront reservation has both an upfront and an hourly charge"
            }
            Self::StartsInClosedHour => {
                "the reservation starts in an hour the ledger has closed; start it now or later"
            }
            Self::UnknownType => "the reserved instance type has no entry in the price table",
        }
    }
}

/// A refused purchasing, pricing or cost-accounting request. The receiver is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PurchaseError {
    /// The instance type has no entry in the price table.
    UnknownType,
    /// The price table already has this instance type.
    DuplicateType,
    /// No Spot price has been set for this type in this zone.
    UnknownPool {
        /// Index of the type in the price table.
        instance_type: u8,
        /// Zone index.
        zone: u8,
    },
    /// A zone index is not below [`crate::purchase::MAX_ZONES`].
    ZoneOutOfRange {
        /// The index given.
        zone: u8,
    },
    /// `SpotMaxPrice` must be more than 0.001 per unit hour.
    MaxPriceTooLow,
    /// `WeightedCapacity` must be 1–999.
    InvalidWeight {
        /// The weight given.
        weight: u16,
    },
    /// `OnDemandPercentageAboveBaseCapacity` must be 0–100.
    InvalidPercentage {
        /// The percentage given.
        percent: u8,
    },
    /// `SpotInstancePools` must be 1–20.
    InvalidPoolCount {
        /// The count given.
        pools: u8,
    },
    /// A mixed-instances policy needs at least one override, each type at most once.
    InvalidOverrides,
    /// A reservation breaks a rule.
    InvalidReservation {
        /// The rule.
        rule: ReservationRule,
    },
    /// A fixed-capacity table is full.
    Full {
        /// Which table: `"types"`, `"spot pools"`, `"reservations"` or `"members"`.
        table: &'static str,
        /// Its capacity.
        capacity: usize,
    },
    /// No metered member has this instance id.
    UnknownMember,
    /// A member with this instance id is already metered.
    DuplicateMember,
    /// `now` is before the time the ledger was last settled to.
    TimeWentBack {
        /// The time the ledger is settled to.
        settled: Instant,
    },
    /// An interval bound is not on a clock-hour (the ledger keeps hourly records).
    UnalignedInterval,
    /// An interval ends before it starts.
    ReversedInterval,
    /// The interval reaches hours the ledger no longer keeps, or has not reached yet.
    IntervalNotKept {
        /// The start of the oldest hour still kept.
        oldest: Instant,
        /// The end of the open (newest) hour.
        newest: Instant,
    },
}

impl fmt::Display for PurchaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownType => {
                f.write_str("instance type has no price; add it to the price table")
            }
            Self::DuplicateType => f.write_str("the price table already has this instance type"),
            Self::UnknownPool {
                instance_type,
                zone,
            } => write!(
                f,
                "no Spot price for type #{instance_type} in zone #{zone}; set one first"
            ),
            Self::ZoneOutOfRange { zone } => write!(
                f,
                "zone index {zone} is out of range (at most {} zones)",
                super::MAX_ZONES
            ),
            Self::MaxPriceTooLow => f.write_str("Spot max price must be more than 0.001"),
            Self::InvalidWeight { weight } => {
                write!(f, "weighted capacity must be 1-999, got {weight}")
            }
            Self::InvalidPercentage { percent } => write!(
                f,
                "on-demand percentage above base must be 0-100, got {percent}"
            ),
            Self::InvalidPoolCount { pools } => {
                write!(f, "Spot instance pools must be 1-20, got {pools}")
            }
            Self::InvalidOverrides => f.write_str(
                "a mixed-instances policy needs 1 or more overrides, each priced type at most once",
            ),
            Self::InvalidReservation { rule } => f.write_str(rule.as_str()),
            Self::Full { table, capacity } => {
                write!(f, "the purchase module holds at most {capacity} {table}")
            }
            Self::UnknownMember => f.write_str("no metered member has this instance id"),
            Self::DuplicateMember => f.write_str("this instance is already metered"),
            Self::TimeWentBack { settled } => write!(
                f,
                "time went back: the ledger is settled to {settled}; pass a later time"
            ),
            Self::UnalignedInterval => {
                f.write_str("interval bounds must be on a clock-hour (a multiple of 3600 s)")
            }
            Self::ReversedInterval => f.write_str("interval ends before it starts"),
            Self::IntervalNotKept { oldest, newest } => write!(
                f,
                "the ledger keeps hours from {oldest} to {newest} only; ask within them"
            ),
        }
    }
}

impl core::error::Error for PurchaseError {}

impl Error for PurchaseError {
    fn code(&self) -> u32 {
        match self {
            Self::UnknownType => 1900,
            Self::DuplicateType => 1901,
            Self::UnknownPool { .. } => 1902,
            Self::ZoneOutOfRange { .. } => 1903,
            Self::MaxPriceTooLow => 1904,
            Self::InvalidWeight { .. } => 1905,
            Self::InvalidPercentage { .. } => 1906,
            Self::InvalidPoolCount { .. } => 1907,
            Self::InvalidOverrides => 1908,
            Self::InvalidReservation { .. } => 1909,
            Self::Full { .. } => 1910,
            Self::UnknownMember => 1911,
            Self::DuplicateMember => 1912,
            Self::TimeWentBack { .. } => 1913,
            Self::UnalignedInterval => 1914,
            Self::ReversedInterval => 1915,
            Self::IntervalNotKept { .. } => 1916,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::UnknownType | Self::UnknownPool { .. } | Self::UnknownMember => {
                ErrorKind::NotFound
            }
            Self::Full { .. } => ErrorKind::CapacityExceeded,
            Self::TimeWentBack { .. } | Self::IntervalNotKept { .. } => ErrorKind::InvalidState,
            Self::DuplicateType
            | Self::ZoneOutOfRange { .. }
            | Self::MaxPriceTooLow
            | Self::InvalidWeight { .. }
            | Self::InvalidPercentage { .. }
            | Self::InvalidPoolCount { .. }
            | Self::InvalidOverrides
            | Self::InvalidReservation { .. }
            | Self::DuplicateMember
            | Self::UnalignedInterval
            | Self::ReversedInterval => ErrorKind::InvalidArgument,
        }
    }
}
