//! The Auto Scaling group's error, with its `Display` text, stable numeric code (1100s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use crate::error::{Error, ErrorKind};
use crate::id::{IdError, InstanceId};
use crate::scaling::ScalingError;

/// Why an Auto Scaling group request was refused (SEMANTICS §2). Messages follow the service's
/// `ValidationError` wording where it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum GroupError {
    /// Desired capacity outside `[min, max]` on create or update.
    DesiredOutOfRange {
        /// The desired capacity asked for.
        desired: u32,
        /// `MinSize`.
        min: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `MaxSize` below `MinSize`.
    MaxBelowMin {
        /// `MinSize`.
        min: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `SetDesiredCapacity` above `MaxSize`.
    DesiredAboveMax {
        /// The desired capacity asked for.
        desired: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `SetDesiredCapacity` below `MinSize`.
    DesiredBelowMin {
        /// The desired capacity asked for.
        desired: u32,
        /// `MinSize`.
        min: u32,
    },
    /// `ScalingActivityInProgress`: `HonorCooldown` was set and the group is in cooldown.
    InCooldown,
    /// No member has this id.
    UnknownMember {
        /// The id.
        id: InstanceId,
    },
    /// The member is not in a state this request accepts.
    WrongMemberState {
        /// The member.
        id: InstanceId,
        /// Its state, in the service's spelling.
        state: &'static str,
    },
    /// More instance ids in one call than the service accepts.
    TooManyIds {
        /// Ids given.
        count: usize,
        /// The most the call accepts (20 for standby/attach/detach, 50 for protection).
        limit: usize,
    },
    /// The request would take desired capacity below `MinSize`.
    BelowMin {
        /// Desired capacity after the request.
        desired: u32,
        /// `MinSize`.
        min: u32,
    },
    /// The request would take desired capacity above `MaxSize`.
    AboveMax {
        /// Desired capacity after the request.
        desired: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `MaxSize` is above the group's fixed capacity `N`.
    MaxAboveCapacity {
        /// `MaxSize`.
        max: u32,
        /// The group's capacity.
        capacity: usize,
    },
    /// The group's member storage is full.
    Full {
        /// Its capacity.
        capacity: usize,
    },
    /// A lifecycle hook heartbeat timeout outside 30–7200 s.
    HeartbeatOutOfRange {
        /// The timeout given, in seconds.
        seconds: u64,
    },
    /// The group already has the most lifecycle hooks it can hold.
    TooManyHooks,
    /// No lifecycle hook has this index.
    UnknownHook {
        /// The index.
        hook: u8,
    },
    /// The member is not waiting on this hook.
    NotWaiting {
        /// The member.
        id: InstanceId,
        /// The hook.
        hook: u8,
    },
    /// Zones are empty, repeated, too long or too many.
    InvalidZones,
    /// Termination policies repeat, are empty, or list `Default` before the end.
    InvalidTerminationPolicies,
    /// An instance is already a member.
    AlreadyMember {
        /// The instance.
        id: InstanceId,
    },
    /// A numeric setting is out of range.
    OutOfRange {
        /// The field, as the service names it.
        field: &'static str,
    },
    /// `InstanceRefreshInProgress`: a refresh is already running.
    RefreshInProgress,
    /// `ActiveInstanceRefreshNotFound`: no refresh is running.
    NoActiveRefresh,
    /// No scaling policy has this index.
    UnknownPolicy {
        /// The index.
        policy: u8,
    },
    /// The group holds no more scaling policies.
    TooManyPolicies,
    /// A scaling policy is invalid or cannot run (see the inner error).
    Scaling(ScalingError),
    /// Another scheduled action starts at the same time.
    ScheduleConflict,
    /// The group holds no more scheduled actions.
    TooManyScheduled,
    /// No scheduled action has this name.
    UnknownScheduledAction,
    /// An id could not be generated.
    Id(IdError),
    /// No metric of the group has this index.
    UnknownMetric {
        /// The index.
        metric: u8,
    },
    /// The group keeps no more metrics.
    TooManyMetrics,
    /// Another metric of the group has this name.
    DuplicateMetric,
    /// The group holds no more alarms.
    TooManyAlarms,
    /// A purchasing, pricing or cost request was refused (codes 1900s).
    Purchase(crate::purchase::PurchaseError),
    /// The member is not a Spot Instance, so it gets no Spot notice or recommendation.
    NotSpot {
        /// The member.
        id: InstanceId,
    },
    /// A warm pool and a mixed-instances policy cannot be used together (the service refuses
    /// both on one group).
    WarmPoolWithMixedInstances,
    /// The group has no price table yet: give it one with `set_prices` first.
    NoPrices,
    /// The group's parts do not store what the call needs (an HPA, a predictive policy or a
    /// price ledger in a lean group): choose parts that keep it (`group::parts`).
    PartNotStored {
        /// The part, as `group::Parts` names it.
        part: &'static str,
    },
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DesiredOutOfRange { desired, min, max } => write!(
                f,
                "desired capacity:{desired} must be between the specified min size:{min} and \
                 max size:{max}"
            ),
            Self::MaxBelowMin { min, max } => {
                write!(
                    f,
                    "max bound, {max}, must be greater than or equal to min bound, {min}"
                )
            }
            Self::DesiredAboveMax { desired, max } => write!(
                f,
                "new SetDesiredCapacity value {desired} is above max value {max} for the \
                 AutoScalingGroup"
            ),
            Self::DesiredBelowMin { desired, min } => write!(
                f,
                "new SetDesiredCapacity value {desired} is below min value {min} for the \
                 AutoScalingGroup"
            ),
            Self::InCooldown => f.write_str(
                "scaling activity in progress: the group is in cooldown and HonorCooldown is set",
            ),
            Self::UnknownMember { id } => write!(f, "instance {id} is not part of the group"),
            Self::WrongMemberState { id, state } => {
                write!(
                    f,
                    "instance {id} is {state}: the request does not apply in that state"
                )
            }
            Self::TooManyIds { count, limit } => {
                write!(
                    f,
                    "{count} instance ids given; the call accepts at most {limit}"
                )
            }
            Self::BelowMin { desired, min } => write!(
                f,
                "the request would take desired capacity to {desired}, below min size {min}; \
                 lower min size first"
            ),
            Self::AboveMax { desired, max } => write!(
                f,
                "the request would take desired capacity to {desired}, above max size {max}"
            ),
            Self::MaxAboveCapacity { max, capacity } => {
                write!(
                    f,
                    "max size {max} is above the group's capacity of {capacity} members"
                )
            }
            Self::Full { capacity } => {
                write!(f, "the group holds at most {capacity} members")
            }
            Self::HeartbeatOutOfRange { seconds } => {
                write!(f, "heartbeat timeout {seconds} s is outside 30-7200 s")
            }
            Self::TooManyHooks => f.write_str("the group holds no more lifecycle hooks"),
            Self::UnknownHook { hook } => write!(f, "lifecycle hook {hook} does not exist"),
            Self::NotWaiting { id, hook } => {
                write!(f, "instance {id} is not waiting on lifecycle hook {hook}")
            }
            Self::InvalidZones => {
                f.write_str("zones must be 1-8 distinct names of 1-32 characters")
            }
            Self::InvalidTerminationPolicies => f.write_str(
                "termination policies must be distinct, at least one, with Default last",
            ),
            Self::AlreadyMember { id } => write!(f, "instance {id} is already part of the group"),
            Self::OutOfRange { field } => write!(f, "{field} is out of range"),
            Self::RefreshInProgress => f.write_str("an instance refresh is already in progress"),
            Self::NoActiveRefresh => f.write_str("no instance refresh is in progress"),
            Self::UnknownPolicy { policy } => write!(f, "scaling policy {policy} does not exist"),
            Self::TooManyPolicies => f.write_str("the group holds no more scaling policies"),
            Self::Scaling(e) => fmt::Display::fmt(e, f),
            Self::ScheduleConflict => {
                f.write_str("another scheduled action of the group starts at the same time")
            }
            Self::TooManyScheduled => f.write_str("the group holds no more scheduled actions"),
            Self::UnknownScheduledAction => f.write_str("no scheduled action has this name"),
            Self::Id(e) => fmt::Display::fmt(e, f),
            Self::UnknownMetric { metric } => write!(f, "metric {metric} does not exist"),
            Self::TooManyMetrics => f.write_str("the group keeps no more metrics"),
            Self::DuplicateMetric => f.write_str("the group already has a metric of this name"),
            Self::TooManyAlarms => f.write_str("the group holds no more alarms"),
            Self::Purchase(e) => fmt::Display::fmt(e, f),
            Self::NotSpot { id } => write!(f, "instance {id} is not a Spot Instance"),
            Self::WarmPoolWithMixedInstances => f.write_str(
                "a group with a mixed-instances policy cannot have a warm pool (and the reverse)",
            ),
            Self::NoPrices => {
                f.write_str("the group has no price table; give it one with set_prices first")
            }
            Self::PartNotStored { part } => write!(
                f,
                "this group's parts do not store {part}; build it with parts that keep it"
            ),
        }
    }
}

impl core::error::Error for GroupError {}

impl Error for GroupError {
    fn code(&self) -> u32 {
        match self {
            Self::DesiredOutOfRange { .. } => 1100,
            Self::MaxBelowMin { .. } => 1101,
            Self::DesiredAboveMax { .. } => 1102,
            Self::DesiredBelowMin { .. } => 1103,
            Self::InCooldown => 1104,
            Self::UnknownMember { .. } => 1105,
            Self::WrongMemberState { .. } => 1106,
            Self::TooManyIds { .. } => 1107,
            Self::BelowMin { .. } => 1108,
            Self::AboveMax { .. } => 1109,
            Self::MaxAboveCapacity { .. } => 1110,
            Self::Full { .. } => 1111,
            Self::HeartbeatOutOfRange { .. } => 1112,
            Self::TooManyHooks => 1113,
            Self::UnknownHook { .. } => 1114,
            Self::NotWaiting { .. } => 1115,
            Self::InvalidZones => 1116,
            Self::InvalidTerminationPolicies => 1117,
            Self::AlreadyMember { .. } => 1118,
            Self::OutOfRange { .. } => 1119,
            Self::RefreshInProgress => 1120,
            Self::NoActiveRefresh => 1121,
            Self::UnknownPolicy { .. } => 1122,
            Self::TooManyPolicies => 1123,
            Self::Scaling(e) => e.code(),
            Self::ScheduleConflict => 1124,
            Self::TooManyScheduled => 1125,
            Self::UnknownScheduledAction => 1126,
            Self::Id(e) => e.code(),
            Self::UnknownMetric { .. } => 1127,
            Self::TooManyMetrics => 1128,
            Self::DuplicateMetric => 1129,
            Self::TooManyAlarms => 1130,
            Self::Purchase(e) => e.code(),
            Self::NotSpot { .. } => 1131,
            Self::WarmPoolWithMixedInstances => 1132,
            Self::NoPrices => 1133,
            Self::PartNotStored { .. } => 1134,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::InCooldown
            | Self::WrongMemberState { .. }
            | Self::NotWaiting { .. }
            | Self::RefreshInProgress
            | Self::NoActiveRefresh
            | Self::NotSpot { .. }
            | Self::NoPrices => ErrorKind::InvalidState,
            Self::UnknownMember { .. } | Self::UnknownHook { .. } | Self::UnknownPolicy { .. } => {
                ErrorKind::NotFound
            }
            Self::TooManyPolicies
            | Self::TooManyScheduled
            | Self::TooManyMetrics
            | Self::TooManyAlarms
            | Self::PartNotStored { .. } => ErrorKind::CapacityExceeded,
            Self::UnknownScheduledAction | Self::UnknownMetric { .. } => ErrorKind::NotFound,
            Self::Scaling(e) => e.kind(),
            Self::Full { .. } | Self::TooManyHooks | Self::MaxAboveCapacity { .. } => {
                ErrorKind::CapacityExceeded
            }
            Self::Id(e) => e.kind(),
            Self::Purchase(e) => e.kind(),
            Self::WarmPoolWithMixedInstances => ErrorKind::Unsupported,
            _ => ErrorKind::InvalidArgument,
        }
    }
}

impl From<crate::purchase::PurchaseError> for GroupError {
    fn from(e: crate::purchase::PurchaseError) -> Self {
        Self::Purchase(e)
    }
}

impl From<ScalingError> for GroupError {
    fn from(e: ScalingError) -> Self {
        Self::Scaling(e)
    }
}

impl From<IdError> for GroupError {
    fn from(e: IdError) -> Self {
        Self::Id(e)
    }
}
