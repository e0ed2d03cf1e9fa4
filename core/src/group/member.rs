//! Group members and their Auto Scaling lifecycle states (SEMANTICS §1.5).

use super::config::MAX_HOOKS;
use super::dynamic::MEMBER_METRICS;
use crate::id::InstanceId;
use crate::lifecycle::InstanceState;
use crate::purchase::{MarketKind, SpotSignal};
use crate::scaling::Value;
use crate::time::{Duration, Instant};

vocabulary! {
    /// `LifecycleState` of a member (`API-ASG:LifecycleState`); the C numbers are those of
    /// `fc_member_state` (0 is C's `FC_MEMBER_STATE_UNKNOWN`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum MemberState: "member state" {
        /// Launched, waiting for EC2 to report it running.
        Pending = 1 => "Pending",
        /// Waiting on launch lifecycle hooks.
        PendingWait = 2 => "Pending:Wait",
        /// Launch hooks done; joining the group.
        PendingProceed = 3 => "Pending:Proceed",
        /// Serving; counts toward capacity.
        InService = 4 => "InService",
        /// Leaving service for standby.
        EnteringStandby = 5 => "EnteringStandby",
        /// In standby: billed, not health checked, not counted.
        Standby = 6 => "Standby",
        /// Being terminated.
        Terminating = 7 => "Terminating",
        /// Waiting on termination lifecycle hooks.
        TerminatingWait = 8 => "Terminating:Wait",
        /// Termination hooks done; EC2 is terminating it.
        TerminatingProceed = 9 => "Terminating:Proceed",
        /// Gone (reported once, then forgotten).
        Terminated = 10 => "Terminated",
        /// Being detached.
        Detaching = 11 => "Detaching",
        /// Detached (reported once, then forgotten).
        Detached = 12 => "Detached",
        /// Launching into the warm pool.
        WarmedPending = 13 => "Warmed:Pending",
        /// Waiting on lifecycle hooks on the way into the warm pool.
        WarmedPendingWait = 14 => "Warmed:Pending:Wait",
        /// Hooks done; being stopped (or kept running) for the pool.
        WarmedPendingProceed = 15 => "Warmed:Pending:Proceed",
        /// In the warm pool, stopped.
        WarmedStopped = 16 => "Warmed:Stopped",
        /// In the warm pool, running.
        WarmedRunning = 17 => "Warmed:Running",
        /// In the warm pool, hibernated.
        WarmedHibernated = 18 => "Warmed:Hibernated",
        /// Leaving the warm pool for good.
        WarmedTerminating = 19 => "Warmed:Terminating",
        /// Waiting on termination hooks on the way out of the pool.
        WarmedTerminatingWait = 20 => "Warmed:Terminating:Wait",
        /// Termination hooks done; EC2 is terminating it.
        WarmedTerminatingProceed = 21 => "Warmed:Terminating:Proceed",
        /// Gone from the pool (reported once, then forgotten).
        WarmedTerminated = 22 => "Warmed:Terminated",
    }
}

impl MemberState {
    /// Whether a member in this state counts toward the group's current capacity when the
    /// group decides to launch or terminate: launches in flight and members in service.
    pub const fn counts_toward_capacity(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::PendingWait | Self::PendingProceed | Self::InService
        )
    }

    /// Whether the member is on its way out (terminating in any form, in or out of the pool).
    pub const fn is_terminating(self) -> bool {
        matches!(
            self,
            Self::Terminating
                | Self::TerminatingWait
                | Self::TerminatingProceed
                | Self::WarmedTerminating
                | Self::WarmedTerminatingWait
                | Self::WarmedTerminatingProceed
        )
    }

    /// Whether the member belongs to the warm pool (arriving, ready or leaving).
    pub const fn is_warm(self) -> bool {
        matches!(
            self,
            Self::WarmedPending
                | Self::WarmedPendingWait
                | Self::WarmedPendingProceed
                | Self::WarmedStopped
                | Self::WarmedRunning
                | Self::WarmedHibernated
                | Self::WarmedTerminating
                | Self::WarmedTerminatingWait
                | Self::WarmedTerminatingProceed
                | Self::WarmedTerminated
        )
    }

    /// Whether the member is in the warm pool, ready to be taken for a scale-out.
    pub const fn is_warm_ready(self) -> bool {
        matches!(
            self,
            Self::WarmedStopped | Self::WarmedRunning | Self::WarmedHibernated
        )
    }

    /// Whether the member is launching (before `InService`).
    pub const fn is_pending(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::PendingWait | Self::PendingProceed
        )
    }
}

/// Owed action: launch the instance.
pub(crate) const OWE_LAUNCH: u16 = 1;
/// Owed action: terminate the instance.
pub(crate) const OWE_TERMINATE: u16 = 2;
/// Owed action: stop the instance (for the warm pool).
pub(crate) const OWE_STOP: u16 = 4;
/// Owed action: start the instance (out of the warm pool).
pub(crate) const OWE_START: u16 = 8;
/// With [`OWE_STOP`]: hibernate rather than stop.
pub(crate) const OWE_HIBERNATE: u16 = 16;
/// Owed hook notifications start at this bit.
pub(crate) const OWE_HOOK_SHIFT: u32 = 8;

vocabulary! {
    /// Health status as the group records it, spelled as `HealthStatus` (what Python's
    /// members show); no C enum (C passes a bool).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Health: "health status" {
        /// `Healthy`.
        Healthy = 0 => "Healthy",
        /// `Unhealthy`: will be replaced.
        Unhealthy = 1 => "Unhealthy",
    }
}

vocabulary! {
    /// Who said a member is unhealthy; decides how fast it is replaced (SEMANTICS §2.3).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum HealthSource: "health source" {
        /// EC2: the instance is not running. Replaced at once.
        Ec2 = 1 => "ec2" | "EC2",
        /// `SetInstanceHealth`. Replaced at once.
        Custom = 2 => "custom" | "Custom",
        /// A load balancer or other check: replaced in batches of at most 10 % of desired.
        LoadBalancer = 3 => "load_balancer" | "ELB",
    }
}

/// A lifecycle hook wait in progress for one member: the per-member state of the lifecycle
/// hooks part ([`super::Parts::Waits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct HookWait {
    /// Bit `i` set: hook `i` has not completed yet.
    pub(crate) pending: u8,
    /// Heartbeat deadline of each hook.
    pub(crate) deadlines: [Instant; MAX_HOOKS],
    /// When the member gives up on each hook regardless of heartbeats.
    pub(crate) global: [Instant; MAX_HOOKS],
    /// A launching hook answered ABANDON.
    pub(crate) abandoned: bool,
}

/// The newest sample of each per-member metric of one member: the per-member state of the
/// HPA part ([`super::Parts::Samples`]), which reads them one by one.
pub type Samples = [Option<(Instant, Value)>; MEMBER_METRICS];

/// An instant or none, in 8 bytes (`Option<Instant>` takes 16): `u64::MAX` milliseconds, some
/// 584 million years after the epoch, stands for none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Stamp(u64);

impl Stamp {
    /// No instant.
    pub(crate) const NONE: Self = Self(u64::MAX);

    /// `t` (the last millisecond of time reads as none).
    pub(crate) const fn at(t: Instant) -> Self {
        Self(t.total_millis())
    }

    /// The instant, if any.
    pub(crate) const fn get(self) -> Option<Instant> {
        if self.0 == u64::MAX {
            None
        } else {
            Some(Instant::from_millis(self.0))
        }
    }
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Member {
    pub(crate) id: InstanceId,
    pub(crate) zone: u8,
    pub(crate) state: MemberState,
    pub(crate) ec2: InstanceState,
    pub(crate) health: Health,
    pub(crate) health_source: Option<HealthSource>,
    pub(crate) launched_at: Instant,
    pub(crate) in_service_at: Stamp,
    /// Launched from the group's launch template (at `version`); false for an attached
    /// instance. The group has one template, so the member keeps only the version.
    pub(crate) templated: bool,
    /// The template version it was launched from (0 when attached).
    pub(crate) version: u32,
    pub(crate) protected: bool,
    /// Launched to rebalance zones: the group waits for it before terminating the surplus.
    pub(crate) rebalance: bool,
    /// The scaling activity in progress for this member (its sequence number), if any.
    pub(crate) activity: Option<u32>,
    /// Actions decided but not yet handed to the caller ([`OWE_LAUNCH`], [`OWE_TERMINATE`] and
    /// one bit per hook to notify, shifted by [`OWE_HOOK_SHIFT`]). `tick` emits them, so a
    /// full action buffer delays an action but never loses it.
    pub(crate) owed: u16,
    /// How it is bought: On-Demand unless a mixed-instances policy launched it on Spot.
    pub(crate) market: MarketKind,
    /// Index of its type in the group's price table (0 without a mixed-instances policy).
    pub(crate) instance_type: u8,
    /// Units it counts for: its override's `WeightedCapacity` at launch, else 1.
    pub(crate) weight: u16,
    /// What EC2 has told it (Spot only): a rebalance recommendation or an interruption notice.
    pub(crate) signal: SpotSignal,
}

impl Member {
    /// In service, and `warmup` has passed since it entered service (SEMANTICS §2.5).
    pub(crate) fn settled(&self, now: Instant, warmup: Duration) -> bool {
        self.settles_at(warmup).is_some_and(|t| now >= t)
    }

    /// When an in-service member is settled from ([`Member::settled`] at any later instant).
    pub(crate) fn settles_at(&self, warmup: Duration) -> Option<Instant> {
        if self.state != MemberState::InService {
            return None;
        }
        self.in_service_at.get().map(|t| t.saturating_add(warmup))
    }

    /// In service, and still inside `warmup` (SEMANTICS §2.5).
    pub(crate) fn warming(&self, now: Instant, warmup: Duration) -> bool {
        self.state == MemberState::InService
            && self
                .in_service_at
                .get()
                .is_some_and(|t| now < t.saturating_add(warmup))
    }

    /// The instance id.
    pub fn id(&self) -> InstanceId {
        self.id
    }

    /// Index of its zone in the group's zone list ([`Member::NO_ZONE`] if the zone was removed).
    pub fn zone(&self) -> u8 {
        self.zone
    }

    /// The Auto Scaling lifecycle state.
    pub fn state(&self) -> MemberState {
        self.state
    }

    /// The EC2 state last reported by the world (`pending` until it boots).
    pub fn ec2_state(&self) -> InstanceState {
        self.ec2
    }

    /// The health status.
    pub fn health(&self) -> Health {
        self.health
    }

    /// When it was launched (or attached).
    pub fn launched_at(&self) -> Instant {
        self.launched_at
    }

    /// When it last entered service, if it has.
    pub fn in_service_at(&self) -> Option<Instant> {
        self.in_service_at.get()
    }

    /// The version of the group's launch template it was launched from; `None` if it was
    /// attached. The template is the group's ([`super::GroupConfig::template`]).
    pub fn launch_template_version(&self) -> Option<u32> {
        self.templated.then_some(self.version)
    }

    /// Whether it is protected from scale-in.
    pub fn is_protected(&self) -> bool {
        self.protected
    }

    /// On-Demand or Spot.
    pub fn market(&self) -> MarketKind {
        self.market
    }

    /// Index of its instance type in the group's price table (0 without a mixed-instances
    /// policy, and for attached instances).
    pub fn instance_type(&self) -> u8 {
        self.instance_type
    }

    /// Units of capacity it counts for (`WeightedCapacity`, 1 without weights).
    pub fn weight(&self) -> u16 {
        self.weight
    }

    /// The newest Spot signal EC2 gave it.
    pub fn spot_signal(&self) -> SpotSignal {
        self.signal
    }

    /// The zone index of a member whose zone was removed from the group.
    pub const NO_ZONE: u8 = u8::MAX;

    /// Whether the actions this member owes fit its state as the group's own operations leave
    /// them (checked on restore, issue 19 item 3): no unknown bit; a launch is owed only by a
    /// member not yet reported running (pending, or terminating after it was decided and
    /// undecided in one tick); a termination only by a terminating member. Without this, a
    /// resealed snapshot could make `tick` launch an id that is in service already.
    pub(crate) const fn owed_fits_state(&self) -> bool {
        const KNOWN: u16 = OWE_LAUNCH
            | OWE_TERMINATE
            | OWE_STOP
            | OWE_START
            | OWE_HIBERNATE
            | (0xff << OWE_HOOK_SHIFT);
        let s = self.state;
        let launch = self.owed & OWE_LAUNCH == 0
            || matches!(s, MemberState::Pending | MemberState::WarmedPending)
            || s.is_terminating();
        let terminate = self.owed & OWE_TERMINATE == 0 || s.is_terminating();
        self.owed & !KNOWN == 0 && launch && terminate
    }

    /// A member just launched from version `version` of the group's template (a launch
    /// action owed).
    pub(crate) fn launching(
        id: InstanceId,
        zone: u8,
        now: Instant,
        version: u32,
        state: MemberState,
    ) -> Self {
        Self {
            id,
            zone,
            state,
            ec2: InstanceState::Pending,
            health: Health::Healthy,
            health_source: None,
            launched_at: now,
            in_service_at: Stamp::NONE,
            templated: true,
            version,
            protected: false,
            rebalance: false,
            activity: None,
            owed: OWE_LAUNCH,
            market: MarketKind::OnDemand,
            instance_type: 0,
            weight: 1,
            signal: SpotSignal::None,
        }
    }
}
