//! What the group asks the caller to do, and what the caller reports back (DESIGN.md loop).

use core::fmt;

use super::config::{HookResult, HookTransition};
use super::member::HealthSource;
use crate::id::{InstanceId, TemplateId};
use crate::lifecycle::InstanceState;
use crate::purchase::MarketKind;

/// An action for the caller to perform. The group has already recorded the decision; the caller
/// reports the outcome with an [`Event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Action {
    /// `RunInstances`: power on a node from `template` version `version` in zone `zone` and give
    /// it the id `id`. Report [`Event::Booted`] or [`Event::LaunchFailed`].
    Launch {
        /// The id the new instance takes.
        id: InstanceId,
        /// Index into the group's zone list.
        zone: u8,
        /// The launch template.
        template: TemplateId,
        /// The resolved version.
        version: u32,
        /// On-Demand or Spot (always On-Demand without a mixed-instances policy).
        market: MarketKind,
        /// Index of the instance type in the group's price table (the template's type, 0,
        /// without a mixed-instances policy).
        instance_type: u8,
    },
    /// `TerminateInstances`: power the node off for good. Report [`Event::Terminated`].
    Terminate {
        /// The instance.
        id: InstanceId,
    },
    /// `StartInstances`: start a warm-pool instance for service. Report [`Event::Booted`].
    Start {
        /// The instance.
        id: InstanceId,
    },
    /// `StopInstances`: stop (or hibernate) an instance into the warm pool. Report
    /// [`Event::Ec2State`] with `stopped` when it is.
    Stop {
        /// The instance.
        id: InstanceId,
        /// Hibernate rather than stop.
        hibernate: bool,
    },
    /// Notify a lifecycle hook's target that `id` waits on it. Answer with
    /// [`Event::HookCompleted`] or [`Event::HookHeartbeat`].
    NotifyHook {
        /// The instance.
        id: InstanceId,
        /// Index of the hook in the group's hook list.
        hook: u8,
        /// Which transition is paused.
        transition: HookTransition,
    },
}

vocabulary! {
    /// What an [`Action`] asks for, without its data: `fc_group_action.kind` (0 is C's
    /// `FC_GROUP_ACTION_KIND_UNKNOWN`) and the kind Python returns (a hibernating stop aside).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum ActionKind: "action kind" {
        /// [`Action::Launch`].
        Launch = 1 => "launch",
        /// [`Action::Terminate`].
        Terminate = 2 => "terminate",
        /// [`Action::Start`].
        Start = 3 => "start",
        /// [`Action::Stop`].
        Stop = 4 => "stop",
        /// [`Action::NotifyHook`].
        NotifyHook = 5 => "notify_hook",
    }
}

impl Action {
    /// What this action asks for, without its data.
    pub const fn kind(&self) -> ActionKind {
        match self {
            Self::Launch { .. } => ActionKind::Launch,
            Self::Terminate { .. } => ActionKind::Terminate,
            Self::Start { .. } => ActionKind::Start,
            Self::Stop { .. } => ActionKind::Stop,
            Self::NotifyHook { .. } => ActionKind::NotifyHook,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Launch {
                id,
                zone,
                template,
                version,
                market,
                instance_type,
            } => {
                write!(
                    f,
                    "launch {id} in zone {zone} from {template} version {version}"
                )?;
                // The plain form stays the same for groups without a mixed-instances policy.
                if *market == MarketKind::Spot || *instance_type != 0 {
                    write!(f, " as {} type {instance_type}", market.aws_str())?;
                }
                Ok(())
            }
            Self::Terminate { id } => write!(f, "terminate {id}"),
            Self::Start { id } => write!(f, "start {id}"),
            Self::Stop {
                id,
                hibernate: false,
            } => write!(f, "stop {id}"),
            Self::Stop {
                id,
                hibernate: true,
            } => write!(f, "hibernate {id}"),
            Self::NotifyHook {
                id,
                hook,
                transition,
            } => {
                write!(f, "notify hook {hook} ({}) for {id}", transition.aws_str())
            }
        }
    }
}

/// A report from the world about a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Event {
    /// The instance is `running`.
    Booted(InstanceId),
    /// The launch failed; the instance never ran.
    LaunchFailed(InstanceId),
    /// The instance is `terminated` (after a [`Action::Terminate`], or unexpectedly).
    Terminated(InstanceId),
    /// EC2 reports another state (stopped, stopping, shutting-down …): a member that is not
    /// `running` is unhealthy at once (SEMANTICS §2.2).
    Ec2State(InstanceId, InstanceState),
    /// A health check failed (`SetInstanceHealth` or a load balancer).
    Unhealthy(InstanceId, HealthSource),
    /// `CompleteLifecycleAction`.
    HookCompleted(InstanceId, u8, HookResult),
    /// `RecordLifecycleActionHeartbeat`.
    HookHeartbeat(InstanceId, u8),
    /// `EC2 Spot Instance Interruption Warning`: EC2 stops, hibernates or terminates this Spot
    /// member in 2 minutes; report what it then does with [`Event::Ec2State`] or
    /// [`Event::Terminated`] (SEMANTICS §1.4, §2.12).
    SpotInterruption(InstanceId),
    /// `EC2 Instance Rebalance Recommendation`: this Spot member is at elevated risk of
    /// interruption (SEMANTICS §1.4, §2.12).
    RebalanceRecommendation(InstanceId),
}

vocabulary! {
    /// What an [`Event`] reports, without its data: `fc_group_event.kind`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum EventKind: "event kind" {
        /// [`Event::Booted`].
        Booted = 1 => "booted",
        /// [`Event::LaunchFailed`].
        LaunchFailed = 2 => "launch_failed",
        /// [`Event::Terminated`].
        Terminated = 3 => "terminated",
        /// [`Event::Ec2State`].
        Ec2State = 4 => "ec2_state",
        /// [`Event::Unhealthy`].
        Unhealthy = 5 => "unhealthy",
        /// [`Event::HookCompleted`].
        HookCompleted = 6 => "hook_completed",
        /// [`Event::HookHeartbeat`].
        HookHeartbeat = 7 => "hook_heartbeat",
        /// [`Event::SpotInterruption`].
        SpotInterruption = 8 => "spot_interruption",
        /// [`Event::RebalanceRecommendation`].
        RebalanceRecommendation = 9 => "rebalance_recommendation",
    }
}

impl Event {
    /// What this event reports, without its data.
    pub const fn kind(&self) -> EventKind {
        match self {
            Self::Booted(_) => EventKind::Booted,
            Self::LaunchFailed(_) => EventKind::LaunchFailed,
            Self::Terminated(_) => EventKind::Terminated,
            Self::Ec2State(..) => EventKind::Ec2State,
            Self::Unhealthy(..) => EventKind::Unhealthy,
            Self::HookCompleted(..) => EventKind::HookCompleted,
            Self::HookHeartbeat(..) => EventKind::HookHeartbeat,
            Self::SpotInterruption(_) => EventKind::SpotInterruption,
            Self::RebalanceRecommendation(_) => EventKind::RebalanceRecommendation,
        }
    }

    /// The instance the event is about.
    pub fn id(&self) -> InstanceId {
        match *self {
            Self::Booted(id)
            | Self::LaunchFailed(id)
            | Self::Terminated(id)
            | Self::Ec2State(id, _)
            | Self::Unhealthy(id, _)
            | Self::HookCompleted(id, _, _)
            | Self::HookHeartbeat(id, _)
            | Self::SpotInterruption(id)
            | Self::RebalanceRecommendation(id) => id,
        }
    }
}
