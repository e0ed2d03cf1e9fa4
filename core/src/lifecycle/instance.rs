//! One EC2 instance and its state machine (SEMANTICS §1.1–§1.4).

use core::fmt;

use super::{
    BillingClock, InstanceState, InterruptionBehavior, LaunchSpec, Market, Operation, Report,
    ShutdownBehavior, SpotRequestType, StateReason,
};
use crate::catalog::{InstanceType, RootDeviceType};
use crate::id::InstanceId;
use crate::lifecycle::{LaunchRule, LifecycleError};
use crate::time::{Duration, Instant};

// The launch spec is the catalog's; its launch rules are the lifecycle's.
impl LaunchSpec {
    /// Checks the launch rules of SEMANTICS §1.3 and §1.4. Hibernation's size prerequisites
    /// (under 150 GiB, not bare metal) are checked for bare-metal names and the built-in
    /// types; [`LaunchSpec::validate_for`] checks them against any described type.
    ///
    /// # Errors
    /// [`LifecycleError::InvalidLaunch`] naming the rule.
    pub fn validate(&self) -> Result<(), LifecycleError> {
        match InstanceType::builtin(self.instance_type.as_str()) {
            Ok(t) => self.validate_for(&t),
            Err(_) => self.check(None),
        }
    }

    /// [`LaunchSpec::validate`] with the memory of `instance_type`, the description of the
    /// spec's type (a user-defined one from the catalog, say).
    ///
    /// # Errors
    /// [`LifecycleError::InvalidLaunch`] naming the rule.
    pub fn validate_for(&self, instance_type: &InstanceType) -> Result<(), LifecycleError> {
        self.check(Some(instance_type.memory_mib))
    }

    fn check(&self, memory_mib: Option<u32>) -> Result<(), LifecycleError> {
        let ebs = self.root_device == RootDeviceType::Ebs;
        let too_big = memory_mib.is_some_and(|m| m >= InstanceType::HIBERNATION_MEMORY_MIB);
        let broken = if self.hibernation_configured && !ebs {
            Some(LaunchRule::HibernationNeedsEbs)
        } else if self.hibernation_configured && self.instance_type.is_bare_metal() {
            Some(LaunchRule::HibernationBareMetal)
        } else if self.hibernation_configured && too_big {
            Some(LaunchRule::HibernationMemory)
        } else if let Market::Spot {
            request,
            interruption,
        } = self.market
        {
            let stops = interruption != InterruptionBehavior::Terminate;
            if self.disable_api_termination {
                Some(LaunchRule::SpotTerminationProtection)
            } else if stops && request != SpotRequestType::Persistent {
                Some(LaunchRule::SpotStopNeedsPersistent)
            } else if stops && !ebs {
                Some(LaunchRule::SpotStopNeedsEbs)
            } else {
                None
            }
        } else {
            None
        };
        match broken {
            Some(rule) => Err(LifecycleError::InvalidLaunch { rule }),
            None => Ok(()),
        }
    }
}

/// How long before a Spot interruption EC2 gives notice (SEMANTICS §1.4).
pub const SPOT_NOTICE: Duration = Duration::from_mins(2);

/// How long a terminated instance stays describable (SEMANTICS §1.1).
pub const TERMINATED_VISIBLE: Duration = Duration::from_hours(1);

/// Caller-set deadlines after which a transition completes without a report from the world.
///
/// `None` (the default) waits for the world. A board that always boots within 40 s can set
/// `boot: Some(Duration::from_secs(40))` so that `tick` moves it to `running` then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Timeouts {
    /// `pending` → `running`.
    pub boot: Option<Duration>,
    /// `stopping` → `stopped` (a hard power-off, as EC2 does to a stuck stop).
    pub stop: Option<Duration>,
    /// `shutting-down` → `terminated`.
    pub shutdown: Option<Duration>,
}

/// A Spot interruption notice (`spot/instance-action` in IMDS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SpotNotice {
    /// What will happen.
    pub action: InterruptionBehavior,
    /// When the notice was given.
    pub notice_time: Instant,
    /// When the action happens: 2 minutes after notice, or at once for hibernation.
    pub action_time: Instant,
}

/// One change of state, as the caller logs or acts on it.
///
/// Idempotent requests and reboots give a change whose `from` equals `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StateChange {
    /// The instance.
    pub id: InstanceId,
    /// State before.
    pub from: InstanceState,
    /// State after.
    pub to: InstanceState,
    /// What caused it.
    pub cause: Operation,
    /// The instance's state reason after the change.
    pub reason: Option<StateReason>,
    /// When.
    pub at: Instant,
}

impl StateChange {
    /// Whether the state actually changed.
    pub fn is_transition(&self) -> bool {
        self.from != self.to
    }
}

/// Prints `i-0123… running -> stopping (stop: Client.UserInitiatedShutdown)`.
impl fmt::Display for StateChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} -> {} ({}",
            self.id, self.from, self.to, self.cause
        )?;
        if let Some(r) = self.reason {
            write!(f, ": {r}")?;
        }
        f.write_str(")")
    }
}

/// One EC2 instance.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Instance {
    id: InstanceId,
    spec: LaunchSpec,
    state: InstanceState,
    reason: Option<StateReason>,
    launched_at: Instant,
    state_since: Instant,
    deadline: Option<Instant>,
    timeouts: Timeouts,
    /// The current stop is a hibernation (billed while stopping).
    hibernating: bool,
    /// The instance has been `running` at least once (a failed start returns to `stopped`).
    ever_running: bool,
    /// A Spot interruption stopped it; only EC2 restarts it.
    spot_stopped: bool,
    spot_notice: Option<SpotNotice>,
    reboots: u32,
    billing: BillingClock,
}

impl Instance {
    /// `RunInstances` for one instance: it enters `pending` at `now`.
    ///
    /// # Errors
    /// [`LifecycleError::InvalidLaunch`] if the spec breaks a launch rule.
    pub fn launch(
        now: Instant,
        id: InstanceId,
        spec: LaunchSpec,
        timeouts: Timeouts,
    ) -> Result<Self, LifecycleError> {
        spec.validate()?;
        Ok(Self {
            id,
            spec,
            state: InstanceState::Pending,
            reason: None,
            launched_at: now,
            state_since: now,
            deadline: timeouts.boot.map(|d| now.saturating_add(d)),
            timeouts,
            hibernating: false,
            ever_running: false,
            spot_stopped: false,
            spot_notice: None,
            reboots: 0,
            billing: BillingClock::new(),
        })
    }

    /// The instance id.
    pub fn id(&self) -> InstanceId {
        self.id
    }

    /// How it was launched.
    pub fn spec(&self) -> &LaunchSpec {
        &self.spec
    }

    /// The current state.
    pub fn state(&self) -> InstanceState {
        self.state
    }

    /// Why it last changed state, if EC2 would say.
    pub fn state_reason(&self) -> Option<StateReason> {
        self.reason
    }

    /// When it was launched.
    pub fn launched_at(&self) -> Instant {
        self.launched_at
    }

    /// When it entered its current state.
    pub fn state_since(&self) -> Instant {
        self.state_since
    }

    /// Whether the current stop is a hibernation.
    pub fn is_hibernating(&self) -> bool {
        self.hibernating
    }

    /// The last Spot interruption notice, if any.
    pub fn spot_notice(&self) -> Option<SpotNotice> {
        self.spot_notice
    }

    /// How many reboots it has had.
    pub fn reboots(&self) -> u32 {
        self.reboots
    }

    /// Its billing clock.
    pub fn billing(&self) -> &BillingClock {
        &self.billing
    }

    /// Billed usage up to `now` (SEMANTICS §1.1).
    pub fn billed(&self, now: Instant) -> Duration {
        self.billing.billed(now)
    }

    /// Whether a terminated instance is past its hour of visibility and may be forgotten.
    pub fn is_expired(&self, now: Instant) -> bool {
        self.state == InstanceState::Terminated
            && now.saturating_duration_since(self.state_since) >= TERMINATED_VISIBLE
    }

    /// When [`Instance::tick`] next has work: a transition deadline or a Spot action.
    pub fn next_deadline(&self) -> Option<Instant> {
        let spot = self.pending_spot_action();
        match (self.deadline, spot) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn pending_spot_action(&self) -> Option<Instant> {
        match (self.state, self.spot_notice) {
            (InstanceState::Running, Some(n)) => Some(n.action_time),
            _ => None,
        }
    }

    /// `StartInstances`: `stopped` → `pending`, with a new 60 s minimum once it runs.
    ///
    /// # Errors
    /// [`LifecycleError::InstanceStoreRoot`] for an instance-store root,
    /// [`LifecycleError::SpotInterrupted`] for a Spot Instance an interruption stopped,
    /// [`LifecycleError::IncorrectState`] from `stopping`, `shutting-down` or `terminated`.
    pub fn start(&mut self, now: Instant) -> Result<StateChange, LifecycleError> {
        self.require_ebs(Operation::Start)?;
        match self.state {
            InstanceState::Pending | InstanceState::Running => {
                Ok(self.unchanged(now, Operation::Start))
            }
            InstanceState::Stopped if self.spot_stopped => {
                Err(LifecycleError::SpotInterrupted { id: self.id })
            }
            InstanceState::Stopped => {
                Ok(self.enter(now, InstanceState::Pending, Operation::Start, None))
            }
            _ => Err(self.incorrect(Operation::Start)),
        }
    }

    /// `StopInstances`: `running` → `stopping`; with `force`, power is cut and the instance is
    /// `stopped` at once (from `pending`, `running` or `stopping`).
    ///
    /// # Errors
    /// [`LifecycleError::InstanceStoreRoot`] for an instance-store root,
    /// [`LifecycleError::SpotNotPersistent`] for a one-time Spot Instance,
    /// [`LifecycleError::IncorrectState`] from `pending` (without `force`), `shutting-down` or
    /// `terminated`.
    pub fn stop(&mut self, now: Instant, force: bool) -> Result<StateChange, LifecycleError> {
        let op = if force {
            Operation::ForceStop
        } else {
            Operation::Stop
        };
        self.require_ebs(op)?;
        self.require_stoppable_market()?;
        let reason = Some(StateReason::UserInitiatedShutdown);
        match (self.state, force) {
            (InstanceState::Stopped, _) | (InstanceState::Stopping, false) => {
                Ok(self.unchanged(now, op))
            }
            (InstanceState::Running, false) => {
                Ok(self.enter(now, InstanceState::Stopping, op, reason))
            }
            (InstanceState::Pending | InstanceState::Running | InstanceState::Stopping, true) => {
                self.hibernating = false;
                Ok(self.enter(now, InstanceState::Stopped, op, reason))
            }
            _ => Err(self.incorrect(op)),
        }
    }

    /// `StopInstances Hibernate=true`: `running` → `stopping` with RAM saved; billed while
    /// stopping (SEMANTICS §1.3).
    ///
    /// # Errors
    /// [`LifecycleError::HibernationNotConfigured`],
    /// [`LifecycleError::InstanceStoreRoot`], [`LifecycleError::SpotNotPersistent`], or
    /// [`LifecycleError::IncorrectState`] from `pending`, `shutting-down` or `terminated`.
    pub fn hibernate(&mut self, now: Instant) -> Result<StateChange, LifecycleError> {
        let op = Operation::Hibernate;
        self.require_ebs(op)?;
        if !self.spec.hibernation_configured {
            return Err(LifecycleError::HibernationNotConfigured { id: self.id });
        }
        self.require_stoppable_market()?;
        match self.state {
            InstanceState::Stopping | InstanceState::Stopped => Ok(self.unchanged(now, op)),
            InstanceState::Running => {
                self.hibernating = true;
                let reason = Some(StateReason::UserInitiatedHibernate);
                Ok(self.enter(now, InstanceState::Stopping, op, reason))
            }
            _ => Err(self.incorrect(op)),
        }
    }

    /// `RebootInstances`: stays `running`, no new billing minimum; ignored when terminated.
    ///
    /// # Errors
    /// [`LifecycleError::IncorrectState`] from any state but `running` and `terminated`.
    pub fn reboot(&mut self, now: Instant) -> Result<StateChange, LifecycleError> {
        match self.state {
            InstanceState::Running => {
                self.reboots = self.reboots.saturating_add(1);
                Ok(self.unchanged(now, Operation::Reboot))
            }
            InstanceState::Terminated => Ok(self.unchanged(now, Operation::Reboot)),
            _ => Err(self.incorrect(Operation::Reboot)),
        }
    }

    /// `TerminateInstances`: any state but `terminated` → `shutting-down`; idempotent.
    ///
    /// # Errors
    /// [`LifecycleError::TerminationProtected`] when `DisableApiTermination` is set.
    pub fn terminate(&mut self, now: Instant) -> Result<StateChange, LifecycleError> {
        self.check_terminate()?;
        Ok(self.terminate_checked(now))
    }

    /// The checks of [`Instance::terminate`] without acting (for all-or-nothing batches).
    pub(crate) fn check_terminate(&self) -> Result<(), LifecycleError> {
        let done = matches!(
            self.state,
            InstanceState::ShuttingDown | InstanceState::Terminated
        );
        if !done && self.spec.disable_api_termination {
            return Err(LifecycleError::TerminationProtected { id: self.id });
        }
        Ok(())
    }

    pub(crate) fn terminate_checked(&mut self, now: Instant) -> StateChange {
        match self.state {
            InstanceState::ShuttingDown | InstanceState::Terminated => {
                self.unchanged(now, Operation::Terminate)
            }
            _ => {
                let reason = Some(StateReason::UserInitiatedShutdown);
                self.enter(
                    now,
                    InstanceState::ShuttingDown,
                    Operation::Terminate,
                    reason,
                )
            }
        }
    }

    /// Applies a report from the world (see [`Report`] for what each one does).
    ///
    /// # Errors
    /// [`LifecycleError::IncorrectState`] when the report does not fit the current state (a
    /// boot report for a running instance, say), [`LifecycleError::NotSpot`] for a Spot report
    /// about an On-Demand instance. The instance is unchanged.
    pub fn observe(&mut self, now: Instant, report: Report) -> Result<StateChange, LifecycleError> {
        use InstanceState as S;
        match (report, self.state) {
            (Report::Booted, S::Pending) => Ok(self.enter(now, S::Running, Operation::Boot, None)),
            (Report::PoweredOff, S::Stopping) => {
                Ok(self.enter(now, S::Stopped, Operation::PowerOff, self.reason))
            }
            (Report::PoweredOff, S::ShuttingDown) => {
                Ok(self.enter(now, S::Terminated, Operation::PowerOff, self.reason))
            }
            (Report::Failed(reason), S::Pending) => {
                let to = if self.ever_running {
                    S::Stopped
                } else {
                    S::Terminated
                };
                Ok(self.enter(now, to, Operation::Fail, Some(reason)))
            }
            (Report::OsShutdown, S::Running) => {
                let to = match (self.spec.root_device, self.spec.shutdown_behavior) {
                    (RootDeviceType::Ebs, ShutdownBehavior::Stop) => S::Stopping,
                    _ => S::ShuttingDown,
                };
                let reason = Some(StateReason::InstanceInitiatedShutdown);
                Ok(self.enter(now, to, Operation::OsShutdown, reason))
            }
            (Report::HibernationFailed, S::Stopping) if self.hibernating => {
                self.hibernating = false;
                self.billing.close(now);
                Ok(self.unchanged(now, Operation::HibernationFailure))
            }
            (Report::Retirement, S::Running) => {
                let to = match self.spec.root_device {
                    RootDeviceType::Ebs => S::Stopping,
                    RootDeviceType::InstanceStore => S::ShuttingDown,
                };
                Ok(self.enter(
                    now,
                    to,
                    Operation::Retirement,
                    Some(StateReason::ScheduledStop),
                ))
            }
            (Report::SpotInterruption, _) => self.spot_interruption(now),
            (Report::SpotRestart, S::Stopped) if self.spot_stopped => {
                self.spot_stopped = false;
                Ok(self.enter(now, S::Pending, Operation::SpotRestart, None))
            }
            (report, _) => Err(self.incorrect(report_operation(report))),
        }
    }

    fn spot_interruption(&mut self, now: Instant) -> Result<StateChange, LifecycleError> {
        let op = Operation::SpotInterruption;
        let action = self
            .spec
            .interruption_behavior()
            .ok_or(LifecycleError::NotSpot { id: self.id })?;
        if self.state != InstanceState::Running {
            return Err(self.incorrect(op));
        }
        if self.spot_notice.is_some() {
            return Ok(self.unchanged(now, op));
        }
        let lead = if action == InterruptionBehavior::Hibernate {
            Duration::ZERO
        } else {
            SPOT_NOTICE
        };
        self.spot_notice = Some(SpotNotice {
            action,
            notice_time: now,
            action_time: now.saturating_add(lead),
        });
        if action == InterruptionBehavior::Hibernate {
            Ok(self.interrupt(now, action))
        } else {
            Ok(self.unchanged(now, op))
        }
    }

    fn interrupt(&mut self, now: Instant, action: InterruptionBehavior) -> StateChange {
        let op = Operation::SpotInterruption;
        match action {
            InterruptionBehavior::Terminate => {
                let reason = Some(StateReason::SpotInstanceTermination);
                self.enter(now, InstanceState::ShuttingDown, op, reason)
            }
            InterruptionBehavior::Stop | InterruptionBehavior::Hibernate => {
                self.hibernating = action == InterruptionBehavior::Hibernate;
                self.spot_stopped = true;
                let reason = Some(StateReason::SpotInstanceShutdown);
                self.enter(now, InstanceState::Stopping, op, reason)
            }
        }
    }

    /// Completes what is due at `now`: a Spot action whose notice ran out, or a transition whose
    /// caller-set deadline passed. Returns `None` when nothing is due; call again until it does,
    /// since one call makes at most one change.
    pub fn tick(&mut self, now: Instant) -> Option<StateChange> {
        if let (Some(at), Some(notice)) = (self.pending_spot_action(), self.spot_notice)
            && now >= at
        {
            return Some(self.interrupt(now, notice.action));
        }
        self.deadline.filter(|d| now >= *d)?;
        let to = match self.state {
            InstanceState::Pending => InstanceState::Running,
            InstanceState::Stopping => InstanceState::Stopped,
            InstanceState::ShuttingDown => InstanceState::Terminated,
            // Steady states carry no deadline; clear a stale one rather than loop on it.
            _ => {
                self.deadline = None;
                return None;
            }
        };
        let reason = if to == InstanceState::Running {
            None
        } else {
            self.reason
        };
        Some(self.enter(now, to, Operation::Deadline, reason))
    }

    fn require_ebs(&self, operation: Operation) -> Result<(), LifecycleError> {
        match self.spec.root_device {
            RootDeviceType::Ebs => Ok(()),
            RootDeviceType::InstanceStore => Err(LifecycleError::InstanceStoreRoot {
                id: self.id,
                operation,
            }),
        }
    }

    fn require_stoppable_market(&self) -> Result<(), LifecycleError> {
        match self.spec.market {
            Market::Spot {
                request: SpotRequestType::OneTime,
                ..
            } => Err(LifecycleError::SpotNotPersistent { id: self.id }),
            _ => Ok(()),
        }
    }

    fn incorrect(&self, operation: Operation) -> LifecycleError {
        LifecycleError::IncorrectState {
            id: self.id,
            state: self.state,
            operation,
        }
    }

    fn unchanged(&self, now: Instant, cause: Operation) -> StateChange {
        StateChange {
            id: self.id,
            from: self.state,
            to: self.state,
            cause,
            reason: self.reason,
            at: now,
        }
    }

    /// Moves to `to`, keeping billing, deadlines and flags consistent with the new state.
    fn enter(
        &mut self,
        now: Instant,
        to: InstanceState,
        cause: Operation,
        reason: Option<StateReason>,
    ) -> StateChange {
        let from = self.state;
        self.state = to;
        self.state_since = now;
        self.reason = reason;
        match to {
            InstanceState::Running => {
                self.ever_running = true;
                self.billing.open(now);
            }
            InstanceState::Stopping if self.hibernating => {}
            _ => self.billing.close(now),
        }
        if !matches!(to, InstanceState::Stopping) {
            self.hibernating = false;
        }
        if !matches!(to, InstanceState::Running) {
            self.spot_notice = self.spot_notice.filter(|_| to == InstanceState::Stopping);
        }
        let timeout = match to {
            InstanceState::Pending => self.timeouts.boot,
            InstanceState::Stopping => self.timeouts.stop,
            InstanceState::ShuttingDown => self.timeouts.shutdown,
            _ => None,
        };
        self.deadline = timeout.map(|d| now.saturating_add(d));
        StateChange {
            id: self.id,
            from,
            to,
            cause,
            reason,
            at: now,
        }
    }
}

const fn report_operation(report: Report) -> Operation {
    match report {
        Report::Booted => Operation::Boot,
        Report::PoweredOff => Operation::PowerOff,
        Report::Failed(_) => Operation::Fail,
        Report::OsShutdown => Operation::OsShutdown,
        Report::HibernationFailed => Operation::HibernationFailure,
        Report::Retirement => Operation::Retirement,
        Report::SpotInterruption => Operation::SpotInterruption,
        Report::SpotRestart => Operation::SpotRestart,
    }
}
