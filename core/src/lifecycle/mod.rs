//! The EC2 instance lifecycle (SEMANTICS §1): states and codes, every legal transition and the
//! event that causes it, state-change reasons, and the billing clock.
//!
//! ```text
//!  launch ──► pending ──booted──► running ──stop/hibernate/OS shutdown──► stopping ──► stopped
//!               ▲                  │  ▲ reboot (stays running)                            │
//!               └────────start─────┼──┴──────────────────────────────────────────────────┘
//!                                  ▼
//!  any non-terminated ──terminate──► shutting-down ──powered off──► terminated (absorbing)
//! ```
//!
//! The core is sans-IO: a request (`start`, `stop`, `terminate` …) moves the instance into the
//! transitional state at once and returns; the transition completes when the world reports it
//! ([`Report::Booted`], [`Report::PoweredOff`]) or when a caller-set deadline from [`Timeouts`]
//! passes and [`Instance::tick`] is called. An illegal request returns an error naming the state
//! and leaves the instance unchanged.
//!
//! Modelling choices where the service is silent or only observed:
//! - Stopping a `pending` instance is refused, as observed on real EC2 (SEMANTICS §1.2 calls it
//!   observed, not contractual).
//! - Repeating a request the instance is already carrying out (stop while stopping or stopped,
//!   terminate while shutting down or terminated, start while pending or running) succeeds and
//!   changes nothing, as the EC2 APIs are idempotent.
//! - A forced stop cuts power: it completes to `stopped` at once, from `pending`, `running` or
//!   `stopping` (the CLI's rule, SEMANTICS §1.2).
//! - Time is billed in started seconds (per-second billing with each partial second rounded up).

mod error;
pub use error::{LaunchRule, LifecycleError};

mod billing;
mod fleet;
mod instance;

pub use billing::BillingClock;
pub use fleet::Fleet;
pub use instance::{Instance, SPOT_NOTICE, SpotNotice, StateChange, TERMINATED_VISIBLE, Timeouts};
// What a launch is made of comes from the catalog (a launch template resolves to it).
pub use crate::catalog::{
    InterruptionBehavior, LaunchSpec, Market, ShutdownBehavior, SpotRequestType,
};

vocabulary! {
    /// The six EC2 instance states with their `InstanceState.Code` values (SEMANTICS §1.1),
    /// spelled as `InstanceStateName`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[repr(u8)]
    pub enum InstanceState: "instance state" {
        /// Launching or starting; not billed.
        Pending = 0 => "pending",
        /// Running; billed per second with a 60 s minimum each time it enters this state.
        Running = 16 => "running",
        /// Terminating; not billed.
        ShuttingDown = 32 => "shutting-down",
        /// Gone; absorbing. Visible for about an hour.
        Terminated = 48 => "terminated",
        /// Stopping; billed only while hibernating.
        Stopping = 64 => "stopping",
        /// Stopped; not billed (storage aside).
        Stopped = 80 => "stopped",
    }
}

impl InstanceState {
    /// The `InstanceState.Code` value.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The `InstanceStateName` spelling (the canonical one, [`Self::as_str`]).
    pub const fn name(self) -> &'static str {
        self.as_str()
    }

    /// The state of a 16-bit `InstanceState.Code`; the high byte is internal to EC2 and masked off.
    ///
    /// # Errors
    /// [`LifecycleError::InvalidStateCode`] for a low byte that is not a state code.
    pub fn from_code(code: u16) -> Result<Self, LifecycleError> {
        Self::ALL
            .iter()
            .copied()
            .find(|s| u16::from(s.code()) == code & 0xFF)
            .ok_or(LifecycleError::InvalidStateCode { code })
    }

    /// The state of an `InstanceStateName`.
    ///
    /// # Errors
    /// [`LifecycleError::InvalidStateName`] for any other text.
    pub fn from_name(name: &str) -> Result<Self, LifecycleError> {
        <Self as crate::vocab::Vocabulary>::from_name(name).ok_or(LifecycleError::InvalidStateName)
    }

    /// Whether usage is billed in this state, given whether a stop is a hibernation.
    pub const fn is_billed(self, hibernating: bool) -> bool {
        matches!(self, Self::Running) || (hibernating && matches!(self, Self::Stopping))
    }
}

vocabulary! {
    /// A request or report that can move an instance; named in errors and state changes. The
    /// canonical spelling is the verb phrase messages use; the C numbers are those of
    /// `fc_operation` (0 is C's `FC_OPERATION_UNKNOWN`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum Operation: "operation" {
        /// `RunInstances`.
        Launch = 1 => "launch",
        /// `StartInstances`.
        Start = 2 => "start",
        /// `StopInstances`.
        Stop = 3 => "stop",
        /// `StopInstances Force=true`.
        ForceStop = 4 => "force stop",
        /// `StopInstances Hibernate=true`.
        Hibernate = 5 => "hibernate",
        /// `RebootInstances`.
        Reboot = 6 => "reboot",
        /// `TerminateInstances`.
        Terminate = 7 => "terminate",
        /// The world reports the instance finished booting.
        Boot = 8 => "report booted",
        /// The world reports the instance is powered off.
        PowerOff = 9 => "report powered off",
        /// The world reports the launch or start failed.
        Fail = 10 => "report a failed launch",
        /// The world reports the guest OS shut itself down.
        OsShutdown = 11 => "report an os shutdown",
        /// The world reports hibernation failed (a normal stop follows).
        HibernationFailure = 12 => "report a failed hibernation",
        /// The world reports a scheduled retirement.
        Retirement = 13 => "report a scheduled retirement",
        /// EC2 interrupts a Spot Instance.
        SpotInterruption = 14 => "interrupt as spot",
        /// EC2 restarts a Spot Instance it had stopped.
        SpotRestart = 15 => "restart as spot",
        /// A caller-set deadline passed.
        Deadline = 16 => "complete on deadline",
    }
}

vocabulary! {
    /// `StateReason.Code`: why an instance last changed state (SEMANTICS §1.2). The canonical
    /// spelling is the code; the C numbers are those of `fc_state_reason` (0 is C's "none").
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum StateReason: "state reason" {
        /// `Server.InsufficientInstanceCapacity`.
        InsufficientInstanceCapacity = 1 => "Server.InsufficientInstanceCapacity",
        /// `Server.InternalError`.
        ServerInternalError = 2 => "Server.InternalError",
        /// `Server.ScheduledStop`: scheduled retirement.
        ScheduledStop = 3 => "Server.ScheduledStop",
        /// `Server.SpotInstanceShutdown`: a Spot interruption stopped or hibernated the instance.
        SpotInstanceShutdown = 4 => "Server.SpotInstanceShutdown",
        /// `Server.SpotInstanceTermination`: a Spot interruption terminated the instance.
        SpotInstanceTermination = 5 => "Server.SpotInstanceTermination",
        /// `Client.InstanceInitiatedShutdown`: the guest OS shut down.
        InstanceInitiatedShutdown = 6 => "Client.InstanceInitiatedShutdown",
        /// `Client.InstanceTerminated`: terminated during launch.
        InstanceTerminated = 7 => "Client.InstanceTerminated",
        /// `Client.InternalError`.
        ClientInternalError = 8 => "Client.InternalError",
        /// `Client.InvalidSnapshot.NotFound`.
        InvalidSnapshotNotFound = 9 => "Client.InvalidSnapshot.NotFound",
        /// `Client.UserInitiatedHibernate`.
        UserInitiatedHibernate = 10 => "Client.UserInitiatedHibernate",
        /// `Client.UserInitiatedShutdown`: a stop or terminate request.
        UserInitiatedShutdown = 11 => "Client.UserInitiatedShutdown",
        /// `Client.VolumeLimitExceeded`.
        VolumeLimitExceeded = 12 => "Client.VolumeLimitExceeded",
    }
}

impl StateReason {
    /// The `StateReason.Code` spelling (the canonical one, [`Self::as_str`]).
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// The `StateReason.Message` text, as EC2 words it.
    pub const fn message(self) -> &'static str {
        match self {
            Self::InsufficientInstanceCapacity => {
                "Server.InsufficientInstanceCapacity: Insufficient capacity to satisfy the request"
            }
            Self::ServerInternalError => "Server.InternalError: Internal error on launch",
            Self::ScheduledStop => "Server.ScheduledStop: Stopped due to scheduled retirement",
            Self::SpotInstanceShutdown => {
                "Server.SpotInstanceShutdown: The instance was stopped because the Spot price \
                 exceeded the bid price or capacity was unavailable"
            }
            Self::SpotInstanceTermination => {
                "Server.SpotInstanceTermination: The instance was terminated because the Spot \
                 price exceeded the bid price or capacity was unavailable"
            }
            Self::InstanceInitiatedShutdown => {
                "Client.InstanceInitiatedShutdown: Instance initiated shutdown"
            }
            Self::InstanceTerminated => {
                "Client.InstanceTerminated: The instance was terminated during launch"
            }
            Self::ClientInternalError => "Client.InternalError: Client error on launch",
            Self::InvalidSnapshotNotFound => {
                "Client.InvalidSnapshot.NotFound: The specified snapshot was not found"
            }
            Self::UserInitiatedHibernate => {
                "Client.UserInitiatedHibernate: User initiated hibernate"
            }
            Self::UserInitiatedShutdown => "Client.UserInitiatedShutdown: User initiated shutdown",
            Self::VolumeLimitExceeded => {
                "Client.VolumeLimitExceeded: The limit on the number of EBS volumes or total \
                 storage was exceeded"
            }
        }
    }
}

/// A report from the world about one instance: the caller saw something happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Report {
    /// The instance finished booting: `pending` → `running`.
    Booted,
    /// The instance is powered off: `stopping` → `stopped`, `shutting-down` → `terminated`.
    PoweredOff,
    /// The launch or start failed: a launch ends `terminated`, a start returns to `stopped`.
    Failed(StateReason),
    /// The guest OS shut down: stop or terminate by the shutdown behaviour; an instance-store
    /// instance always terminates.
    OsShutdown,
    /// Hibernation failed while stopping; EC2 carries on with a normal stop (billing ends).
    HibernationFailed,
    /// Scheduled retirement: an EBS-backed instance stops, an instance-store one terminates.
    Retirement,
    /// EC2 interrupts this Spot Instance: a 2-minute notice, then the interruption behaviour
    /// (hibernation starts at once).
    SpotInterruption,
    /// EC2 restarts a Spot Instance that an interruption stopped.
    SpotRestart,
}

vocabulary! {
    /// What a [`Report`] says, without its data: what C passes to `fc_fleet_report` (its
    /// `fc_report` numbers; `Failed` has its own function, so C's enum leaves it out) and the
    /// event names Python reads.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum ReportKind: "report" {
        /// [`Report::Booted`].
        Booted = 1 => "booted",
        /// [`Report::PoweredOff`].
        PoweredOff = 2 => "powered_off",
        /// [`Report::Failed`] (with a reason).
        Failed = 8 => "failed",
        /// [`Report::OsShutdown`].
        OsShutdown = 3 => "os_shutdown",
        /// [`Report::HibernationFailed`].
        HibernationFailed = 4 => "hibernation_failed",
        /// [`Report::Retirement`].
        Retirement = 5 => "retirement",
        /// [`Report::SpotInterruption`].
        SpotInterruption = 6 => "spot_interruption",
        /// [`Report::SpotRestart`].
        SpotRestart = 7 => "spot_restart",
    }
}

impl Report {
    /// What this report says, without its data.
    pub const fn kind(self) -> ReportKind {
        match self {
            Self::Booted => ReportKind::Booted,
            Self::PoweredOff => ReportKind::PoweredOff,
            Self::Failed(_) => ReportKind::Failed,
            Self::OsShutdown => ReportKind::OsShutdown,
            Self::HibernationFailed => ReportKind::HibernationFailed,
            Self::Retirement => ReportKind::Retirement,
            Self::SpotInterruption => ReportKind::SpotInterruption,
            Self::SpotRestart => ReportKind::SpotRestart,
        }
    }

    /// The report of `kind` when that kind carries no data; `None` for
    /// [`ReportKind::Failed`], which needs a reason.
    pub const fn of_kind(kind: ReportKind) -> Option<Self> {
        Some(match kind {
            ReportKind::Booted => Self::Booted,
            ReportKind::PoweredOff => Self::PoweredOff,
            ReportKind::Failed => return None,
            ReportKind::OsShutdown => Self::OsShutdown,
            ReportKind::HibernationFailed => Self::HibernationFailed,
            ReportKind::Retirement => Self::Retirement,
            ReportKind::SpotInterruption => Self::SpotInterruption,
            ReportKind::SpotRestart => Self::SpotRestart,
        })
    }
}

#[cfg(test)]
mod tests;
