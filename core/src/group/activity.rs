//! Scaling activities: a bounded record of what the group did and why, in the service's words
//! (`DescribeScalingActivities`).
//!
//! Where we differ: the service keeps six weeks of activities; a group keeps its last `H`
//! (oldest evicted first) and counts every activity it ever started, so a caller can tell that
//! entries were evicted. Times print as the caller's clock (`@12.000s`), since the core has no
//! calendar.

use core::fmt;

use crate::id::InstanceId;
use crate::time::Instant;

/// What the activity does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum ActivityKind {
    /// Launching a new instance.
    Launch,
    /// Terminating an instance.
    Terminate,
    /// Moving an instance to Standby.
    EnterStandby,
    /// Moving an instance out of Standby.
    ExitStandby,
    /// Attaching an existing instance.
    Attach,
    /// Detaching an instance.
    Detach,
    /// A scale-in that found nothing it may terminate.
    ScaleIn,
    /// Launching an instance into the warm pool.
    WarmLaunch,
    /// Taking an instance out of the warm pool into service.
    WarmStart,
    /// Returning an instance to the warm pool on scale-in.
    WarmReturn,
}

/// Why the activity happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum Cause {
    /// Desired and actual capacity differ; capacity moves `from` → `to`.
    Difference {
        /// Capacity before.
        from: u32,
        /// Capacity after.
        to: u32,
    },
    /// An EC2 status report: the instance is not running.
    Ec2Health,
    /// `SetInstanceHealth` marked it unhealthy.
    UserHealth,
    /// A load balancer health check failed.
    LoadBalancerHealth,
    /// Zones are out of balance.
    Rebalance,
    /// A launch lifecycle hook answered or timed out with `ABANDON`.
    HookAbandoned,
    /// A user request (standby, attach, detach), moving capacity `from` → `to`.
    UserRequest {
        /// Capacity before.
        from: u32,
        /// Capacity after.
        to: u32,
    },
    /// Desired capacity fell but every remaining instance is protected from scale-in.
    AllProtected,
    /// The instance reached the group's maximum instance lifetime.
    MaxLifetime,
    /// An instance refresh replaces the instance.
    InstanceRefresh,
    /// The warm pool is below its target size.
    WarmPoolFill,
    /// The warm pool is above its target size.
    WarmPoolTrim,
    /// Capacity Rebalancing replaces a Spot Instance at elevated risk or under an
    /// interruption notice (SEMANTICS §2.12).
    CapacityRebalance,
    /// Spot capacity is wanted but no pool can launch: none has spare capacity at or under
    /// the max price (SEMANTICS §4.5).
    NoSpotCapacity,
}

/// `StatusCode` of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum ActivityStatus {
    /// `PreInService`: launched, not yet running.
    PreInService,
    /// `InProgress`.
    InProgress,
    /// `MidLifecycleAction`: waiting on a lifecycle hook.
    MidLifecycleAction,
    /// `Successful`.
    Successful,
    /// `Failed`.
    Failed,
    /// `Cancelled`.
    Cancelled,
}

impl ActivityStatus {
    /// The service's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PreInService => "PreInService",
            Self::InProgress => "InProgress",
            Self::MidLifecycleAction => "MidLifecycleAction",
            Self::Successful => "Successful",
            Self::Failed => "Failed",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether the activity has ended.
    pub const fn is_done(self) -> bool {
        matches!(self, Self::Successful | Self::Failed | Self::Cancelled)
    }
}

impl fmt::Display for ActivityStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One scaling activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Activity {
    /// Sequence number, from 1, unique within the group.
    pub seq: u32,
    /// What it does.
    pub kind: ActivityKind,
    /// The instance it concerns, if any.
    pub instance: Option<InstanceId>,
    /// Why.
    pub cause: Cause,
    /// Its status.
    pub status: ActivityStatus,
    /// When it started.
    pub start: Instant,
    /// When it ended.
    pub end: Option<Instant>,
}

impl Activity {
    /// The `Description` line, such as `Launching a new EC2 instance: i-0123…`.
    pub fn description(&self) -> Description<'_> {
        Description(self)
    }

    /// The `Cause` text, such as `At @60.000s an instance was started in response to a
    /// difference between desired and actual capacity, increasing the capacity from 2 to 3.`
    pub fn cause_text(&self) -> CauseText<'_> {
        CauseText(self)
    }
}

/// Formats [`Activity::description`].
pub struct Description<'a>(&'a Activity);

impl fmt::Display for Description<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0;
        f.write_str(match a.kind {
            ActivityKind::Launch => "Launching a new EC2 instance",
            ActivityKind::Terminate => "Terminating EC2 instance",
            ActivityKind::EnterStandby => "Moving EC2 instance to Standby",
            ActivityKind::ExitStandby => "Moving EC2 instance out of Standby",
            ActivityKind::Attach => "Attaching an existing EC2 instance",
            ActivityKind::Detach => "Detaching EC2 instance",
            ActivityKind::ScaleIn => "Scaling in",
            ActivityKind::WarmLaunch => "Launching a new EC2 instance into warm pool",
            ActivityKind::WarmStart => "Launching a new EC2 instance from warm pool",
            ActivityKind::WarmReturn => "Returning EC2 instance to warm pool",
        })?;
        match a.instance {
            Some(id) => write!(f, ": {id}"),
            None => Ok(()),
        }
    }
}

/// Formats [`Activity::cause_text`].
pub struct CauseText<'a>(&'a Activity);

impl fmt::Display for CauseText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0;
        let instance_phrase = match a.kind {
            ActivityKind::Launch | ActivityKind::WarmLaunch | ActivityKind::WarmStart => {
                "an instance was started"
            }
            _ => "an instance was taken out of service",
        };
        write!(f, "At {} ", a.start)?;
        match a.cause {
            Cause::Difference { from, to } => {
                let verb = if to >= from {
                    "increasing"
                } else {
                    "shrinking"
                };
                write!(
                    f,
                    "{instance_phrase} in response to a difference between desired and actual \
                     capacity, {verb} the capacity from {from} to {to}."
                )
            }
            Cause::Ec2Health => write!(
                f,
                "{instance_phrase} in response to an EC2 health check indicating it has been \
                 terminated or stopped."
            ),
            Cause::UserHealth => write!(f, "{instance_phrase} in response to a user health-check."),
            Cause::LoadBalancerHealth => {
                write!(
                    f,
                    "{instance_phrase} in response to an ELB system health check failure."
                )
            }
            Cause::Rebalance => {
                write!(
                    f,
                    "{instance_phrase} in order to rebalance instances across zones."
                )
            }
            Cause::InstanceRefresh => {
                write!(f, "{instance_phrase} in response to an instance refresh.")
            }
            Cause::WarmPoolFill => {
                write!(
                    f,
                    "{instance_phrase} in response to the warm pool being below its size."
                )
            }
            Cause::WarmPoolTrim => {
                write!(
                    f,
                    "{instance_phrase} in response to the warm pool being above its size."
                )
            }
            Cause::MaxLifetime => write!(
                f,
                "{instance_phrase} in response to the instance reaching its maximum instance \
                 lifetime."
            ),
            Cause::HookAbandoned => write!(
                f,
                "{instance_phrase} in response to a launch lifecycle hook that was abandoned."
            ),
            Cause::UserRequest { from, to } => {
                let what = match a.kind {
                    ActivityKind::EnterStandby => "was moved to standby",
                    ActivityKind::ExitStandby => "was moved out of standby",
                    ActivityKind::Attach => "was attached",
                    _ => "was detached",
                };
                write!(
                    f,
                    "instance {} {what} in response to a user request",
                    InstanceText(a.instance)
                )?;
                if from == to {
                    write!(f, ", keeping the capacity at {to}.")
                } else {
                    let verb = if to > from { "increasing" } else { "shrinking" };
                    write!(f, ", {verb} the capacity from {from} to {to}.")
                }
            }
            Cause::CapacityRebalance => write!(
                f,
                "{instance_phrase} in response to a Spot rebalance recommendation or \
                 interruption notice (Capacity Rebalancing)."
            ),
            Cause::NoSpotCapacity => f.write_str(
                "Could not launch Spot capacity: no Spot pool has spare capacity at or under the \
                 maximum price.",
            ),
            Cause::AllProtected => f.write_str(
                "Could not scale to desired capacity because all remaining instances are \
                 protected from scale-in.",
            ),
        }
    }
}

struct InstanceText(Option<InstanceId>);

impl fmt::Display for InstanceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, "{id}"),
            None => f.write_str("(none)"),
        }
    }
}

/// Prints `seq | status | description | cause`.
impl fmt::Display for Activity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "#{} {} | {} | {}",
            self.seq,
            self.status,
            self.description(),
            self.cause_text()
        )
    }
}

/// The last `H` activities of a group.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct History<const H: usize> {
    pub(super) entries: heapless::Deque<Activity, H>,
    pub(super) started: u32,
    /// Whether the entries hold consecutive sequence numbers, as starting activities keeps them
    /// (each new one is one past the last); not known of a decoded history. A cache, not state:
    /// not encoded, and equal to any other.
    #[serde(skip)]
    pub(super) consecutive: Consecutive,
}

/// See [`History`]'s `consecutive`: with it, the activity numbered `seq` is the entry at
/// `seq` minus the oldest one's number, and setting its status needs no search (issue 20: the
/// search was a tenth of the simulator's reports of boots and terminations).
pub(super) type Consecutive = super::Cached<bool>;

impl<const H: usize> Default for History<H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const H: usize> History<H> {
    /// An empty history.
    pub const fn new() -> Self {
        Self {
            entries: heapless::Deque::new(),
            started: 0,
            consecutive: super::Cached(true),
        }
    }

    /// How many activities were ever started (sequence numbers run 1..=started).
    pub fn started(&self) -> u32 {
        self.started
    }

    /// The activities kept, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Activity> {
        self.entries.iter()
    }

    /// The activity with sequence number `seq`, if still kept.
    pub fn get(&self, seq: u32) -> Option<&Activity> {
        self.entries.iter().find(|a| a.seq == seq)
    }
}
