//! The Auto Scaling group (SEMANTICS §1.5 and §2): keeps between `min` and `max` members, at
//! `desired`, balanced across zones, healthy, through lifecycle hooks, standby, attach and detach.
//!
//! The group is sans-IO (DESIGN.md). The caller reports what the world did with
//! [`Group::observe`] and requests with the API calls (`set_desired`, `enter_standby` …);
//! [`Group::tick`] decides and writes [`Action`]s for the caller to perform; the caller reports
//! the outcome later. [`Group::next_deadline`] says when `tick` next has work.
//!
//! Decisions are recorded in the members before they are written out: an action that does not
//! fit the caller's buffer stays owed and is written by the next `tick`, so nothing is lost and
//! nothing is decided twice.
//!
//! Modelling choices where the service publishes no rule:
//! - With several hooks for one transition, all are notified at once and the member waits for
//!   all (a launching `ABANDON` ends the wait at once, as does a terminating `ABANDON`).
//! - A launch that a hook abandons is terminated directly, without the terminating hooks.
//! - A hook's `NotifyHook` is owed from the moment the member starts to wait (the service
//!   sends its notification then, SEMANTICS §2.8). If the wait times out before the caller
//!   was handed it (a late `decide`, a short drain), it is still handed out, before the
//!   actions the default result decided; answering it then gives `NotWaiting`.
//! - Standby and attach moves skip `Pending`: without load balancers there is nothing to wait for.
//! - Zone ties go to the zone listed first on launch and to the zone listed last on termination,
//!   so launches and terminations mirror each other.
//! - The service's random tie-break is a draw from the group's seeded generator.

mod error;
pub use error::GroupError;

mod action;
mod activity;
mod config;
mod dynamic;
mod inplace;
mod member;
pub mod parts;
mod policy;
mod purchase;
mod refresh;
mod restore;
mod roster;

/// Test switch: with `on`, the roster keeps no counts of members in service and settled
/// between calls (the reference a kept count is held to); for this thread only.
#[cfg(test)]
pub(crate) fn roster_reference(on: bool) {
    roster::REFERENCE.with(|r| r.set(on));
}
mod schedule;
mod termination;
mod warm;

pub use action::{Action, ActionKind, Event, EventKind};
pub use activity::{
    Activity, ActivityKind, ActivityStatus, Cause, CauseText, Description, History,
};
pub use config::{
    DEFAULT_COOLDOWN, GLOBAL_TIMEOUT_CAP, GroupConfig, HEARTBEAT_DEFAULT, HEARTBEAT_MAX,
    HEARTBEAT_MIN, HookResult, HookTransition, LifecycleHook, MAX_HOOKS, MAX_TERMINATION_POLICIES,
    MAX_ZONES, MIN_INSTANCE_LIFETIME, PoolState, Process, TerminationPolicy, WarmPool,
    ZONE_NAME_MAX, ZoneName,
};
pub use dynamic::{
    GroupAlarm, GroupMetric, HPA_SYNC, MAX_ALARMS, MAX_METRICS, MEMBER_METRICS, METRIC_NAME_MAX,
    METRIC_POINTS, Source,
};
pub use member::{Health, HealthSource, HookWait, Member, MemberState, Samples};
pub use parts::{Absent, AllParts, Full, Lean, List, Log, Parts, Slot};
pub use policy::{Executed, ExecutedKind, MAX_POLICIES, ScalingPolicy};
pub use purchase::{LEDGER_HOURS, Ledger, MixedInstances};
pub use refresh::{
    DEFAULT_CHECKPOINT_DELAY, InstanceRefresh, MAX_CHECKPOINTS, REFRESH_WAIT_LIMIT,
    RefreshPreferences, RefreshStatus,
};
pub use restore::{RECONCILE_WINDOW, Reconciled, WorldInstance};
pub use schedule::{ACTION_NAME_MAX, MAX_SCHEDULED, ScheduledAction};

use member::{OWE_HIBERNATE, OWE_HOOK_SHIFT, OWE_LAUNCH, OWE_START, OWE_STOP, OWE_TERMINATE};
use roster::{
    HOLDS_EC2_MARK, HOLDS_OWING, HOLDS_SIGNALLED, HOLDS_UNHEALTHY, HOLDS_WAITING, HOLDS_WARM,
};
use termination::{Current, Picker};

use crate::catalog::CatalogError;
use crate::catalog::{TemplateSource, VersionSpec};
use crate::id::{IdGenerator, InstanceId};
use crate::lifecycle::InstanceState;
use crate::purchase::{Launch, MarketKind, SpotSignal};
use crate::time::{Duration, Instant};

/// Most ids `EnterStandby`, `ExitStandby`, `AttachInstances` and `DetachInstances` accept.
pub const MAX_IDS_PER_CALL: usize = 20;
/// Most ids `SetInstanceProtection` accepts.
pub const MAX_PROTECTION_IDS: usize = 50;
/// How long launches pause after the launch template could not be resolved.
pub const LAUNCH_RETRY: Duration = Duration::from_secs(10);

/// An Auto Scaling group of at most `N` members, with the parts `P` stores besides them (see
/// [`parts`]: [`Full`] keeps every part at the service's quotas; firmware picks a lean set).
// Deserialize only for tests: the by-value decoder is the oracle `restore_into` is checked
// against; the library decodes a group in place (`inplace.rs`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(bound = "")]
pub struct Group<const N: usize, P: Parts = Full> {
    config: GroupConfig,
    desired: u32,
    members: roster::Roster<N, P>,
    hooks: [Option<LifecycleHook>; MAX_HOOKS],
    suspended: u16,
    ids: IdGenerator,
    draws: IdGenerator,
    cooldown_until: Option<Instant>,
    /// A simple policy's cooldown, waiting for its activity to finish before it starts.
    cooldown_pending: Option<Duration>,
    policies: P::Policies,
    scheduled: P::Scheduled,
    /// The predictive capacity dynamic scale-in may not go below, until the given instant.
    forecast_floor: Option<(Instant, u32)>,
    launch_retry_at: Option<Instant>,
    /// The desired capacity for which "all remaining instances are protected" was recorded.
    all_protected_at: Option<u32>,
    warm_pool: P::WarmPool,
    refresh: P::Refresh,
    history: P::History,
    dynamic: dynamic::Dynamic<P>,
    /// The price table and cost ledger, once `set_prices` gave one.
    ledger: P::Ledger<N>,
    /// `MixedInstancesPolicy` and `CapacityRebalance`.
    mixed: P::Mixed,
    /// Spot was wanted and no pool could launch; recorded once until prices change.
    spot_short: bool,
    /// What `$Default` and `$Latest` of the launch template are now; `None` once the template
    /// is gone (launches then fail and are retried).
    versions: Option<TemplateVersions>,
    /// Set when a tick found nothing to do for the members; any other call clears it (see
    /// [`Group::tick`]). A cache, not state: not serialised, not compared.
    #[serde(skip)]
    quiet: Quiet,
    /// Where [`Group::drain`] goes on: members before it owe nothing. A cache, not state: a
    /// drain that starts elsewhere still looks at every member.
    #[serde(skip)]
    emit_from: Cursor,
}

/// The version numbers a launch template's `$Default` and `$Latest` name now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TemplateVersions {
    /// `$Default`.
    pub default: u32,
    /// `$Latest`.
    pub latest: u32,
}

impl TemplateVersions {
    /// A template just created: version 1 is both.
    pub const NEW: Self = Self {
        default: 1,
        latest: 1,
    };
}

/// What [`Group::progress`] compares between member passes.
type Progress = (u32, u32, Option<(u32, u32, u8, RefreshStatus)>);

/// The decided actions of a group, taken out as it goes ([`Group::actions`]).
#[derive(Debug)]
pub struct Actions<'a, const N: usize, P: Parts = Full> {
    group: &'a mut Group<N, P>,
}

impl<const N: usize, P: Parts> Iterator for Actions<'_, N, P> {
    type Item = Action;

    fn next(&mut self) -> Option<Action> {
        let mut taken = None;
        self.group.emit(|a| {
            if taken.is_some() {
                return false;
            }
            taken = Some(a);
            true
        });
        taken
    }
}

/// A figure kept only to save work (a cursor, a revision count, a flag): always equal to
/// another, so a group compares equal to its snapshot whatever it cached.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Cached<T>(pub(super) T);

impl<T> PartialEq for Cached<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Cached<T> {}

/// A member index kept only to save work (see [`Quiet`]).
type Cursor = Cached<usize>;

/// What [`Group::census`] counts, in units (each member counts its weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Census {
    /// Units in service ([`Group::in_service_units`]).
    pub in_service_units: u32,
    /// Units launching or in service ([`Group::capacity`]).
    pub capacity: u32,
    /// Of `capacity`, On-Demand units ([`Group::units_by_market`]).
    pub on_demand_units: u32,
    /// Of `capacity`, Spot units.
    pub spot_units: u32,
}

/// Whether the member passes of `tick` may be skipped, and where the last member looked up by
/// id was (events arrive mostly in member order: boots in launch order, so each search starts
/// there); the third: the last member pass found nothing, and the group is quiet once the
/// actions decided before it are handed out (checked by the next `decide`). Always equal to
/// another, so a group compares equal to its snapshot whatever it cached.
#[derive(Debug, Clone, Copy, Default)]
struct Quiet(bool, usize, bool);

impl PartialEq for Quiet {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Quiet {}

impl<const N: usize, P: Parts> Group<N, P> {
    /// `CreateAutoScalingGroup`: desired defaults to min; member ids come from `seed`. To build
    /// one in storage you already have, see [`Group::init`] and [`Group::reset`].
    ///
    /// # Errors
    /// Any error of [`GroupConfig::validate`].
    pub fn new(config: GroupConfig, seed: u64) -> Result<Self, GroupError> {
        config.validate(N)?;
        Ok(Self::fresh(config, seed))
    }

    /// A new group of a configuration already validated. Inlined so that
    /// [`Group::init`] can build it straight in the caller's slot.
    #[allow(clippy::inline_always)] // measured: without it, a 58 KB temporary on Cortex-M
    #[inline(always)]
    pub(crate) fn fresh(config: GroupConfig, seed: u64) -> Self {
        let desired = config.desired_capacity.unwrap_or(config.min_size);
        Self {
            config,
            desired,
            members: roster::Roster::new(),
            hooks: [None; MAX_HOOKS],
            suspended: 0,
            ids: IdGenerator::new(seed),
            draws: IdGenerator::new(!seed),
            cooldown_until: None,
            cooldown_pending: None,
            policies: List::new(),
            scheduled: List::new(),
            forecast_floor: None,
            launch_retry_at: None,
            all_protected_at: None,
            warm_pool: Slot::none(),
            refresh: Slot::none(),
            history: Log::new(),
            dynamic: dynamic::Dynamic::new(),
            ledger: Slot::none(),
            mixed: Slot::none(),
            spot_short: false,
            versions: Some(TemplateVersions::NEW),
            quiet: Quiet(false, 0, false),
            emit_from: Cached(0),
        }
    }

    /// Makes the next [`Group::tick`] examine every member again. The group calls this itself on
    /// every change (every method but `tick` and `record`), so a caller never needs it; it is
    /// here for differential tests of that shortcut.
    pub fn invalidate(&mut self) {
        self.quiet.0 = false;
        self.quiet.2 = false;
    }

    fn touch(&mut self) {
        self.quiet.0 = false;
        self.quiet.2 = false;
        self.members.bump();
    }

    /// The configuration (sizes reflect updates).
    pub fn config(&self) -> &GroupConfig {
        &self.config
    }

    /// `DesiredCapacity`.
    pub fn desired(&self) -> u32 {
        self.desired
    }

    /// `MinSize`.
    pub fn min_size(&self) -> u32 {
        self.config.min_size
    }

    /// `MaxSize`.
    pub fn max_size(&self) -> u32 {
        self.config.max_size
    }

    /// The members, in launch order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// One member.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`].
    pub fn member(&self, id: InstanceId) -> Result<&Member, GroupError> {
        self.members
            .iter()
            .find(|m| m.id == id)
            .ok_or(GroupError::UnknownMember { id })
    }

    /// Units launching or in service: what the group compares with desired capacity. Each
    /// member counts its weight (1 without a mixed-instances policy); a Spot member whose
    /// Capacity Rebalancing replacement is on its way no longer counts.
    pub fn capacity(&self) -> u32 {
        self.members
            .iter()
            .filter(|m| self.counted(m))
            .fold(0u32, |n, m| n.saturating_add(u32::from(m.weight)))
    }

    /// Members in service.
    pub fn in_service(&self) -> u32 {
        count(
            self.members
                .iter()
                .filter(|m| m.state == MemberState::InService),
        )
    }

    /// Units in service: each member in service counts its weight.
    pub fn in_service_units(&self) -> u32 {
        self.members
            .iter()
            .filter(|m| m.state == MemberState::InService)
            .fold(0u32, |n, m| n.saturating_add(u32::from(m.weight)))
    }

    /// A number that changes whenever the members may have changed (joined, left, changed
    /// state, market, weight, Spot signal, hook wait or replacement) or a call changed the
    /// group's settings (every method but `tick` and `record` counts as one); recording samples
    /// leaves it. While it stays the same, figures computed from the members ([`Group::census`],
    /// [`Group::price_interruptions`]) still hold: the simulator keeps them across quiet steps
    /// instead of passing over the members again (issue 20). Not kept in snapshots.
    pub fn revision(&self) -> u64 {
        self.members.revision.0
    }

    /// [`Group::in_service_units`], [`Group::capacity`] and [`Group::units_by_market`] in one
    /// pass over the members (the simulator reads all of them every step).
    pub fn census(&self) -> Census {
        let mut c = Census::default();
        for m in &self.members {
            let w = u32::from(m.weight);
            if m.state == MemberState::InService {
                c.in_service_units = c.in_service_units.saturating_add(w);
            }
            if self.counted(m) {
                c.capacity = c.capacity.saturating_add(w);
                match m.market {
                    MarketKind::OnDemand => c.on_demand_units = c.on_demand_units.saturating_add(w),
                    MarketKind::Spot => c.spot_units = c.spot_units.saturating_add(w),
                }
            }
        }
        c
    }

    /// The Spot member that the member at `index` of [`Group::members`] was launched to
    /// replace (Capacity Rebalancing, SEMANTICS §2.12), while that one is still in the group.
    pub fn member_replaces(&self, index: usize) -> Option<InstanceId> {
        self.members.replaces(index)
    }

    /// The launch template's `$Default` and `$Latest` changed (`CreateLaunchTemplateVersion`,
    /// `ModifyLaunchTemplate`), or the template is gone (`None`: launches fail and are retried
    /// every [`LAUNCH_RETRY`]). The group remembers them and resolves its version at each
    /// launch, as the service does (SEMANTICS §2.10); a new group starts at version 1 for both.
    pub fn set_template_versions(&mut self, versions: Option<TemplateVersions>) {
        self.touch();
        self.versions = versions;
    }

    /// What the group resolves `$Default` and `$Latest` to, if the template is still there.
    pub fn template_versions(&self) -> Option<TemplateVersions> {
        self.versions
    }

    /// Reads the group's template's `$Default` and `$Latest` from `source` (a catalog) and
    /// remembers them ([`Group::set_template_versions`]); a template `source` does not know is
    /// gone. Call it whenever the catalog changes.
    pub fn sync_template<T: TemplateSource + ?Sized>(&mut self, source: &T) {
        let id = self.config.template;
        let versions = source
            .resolve(id, VersionSpec::Default)
            .and_then(|default| {
                let latest = source.resolve(id, VersionSpec::Latest)?;
                Ok(TemplateVersions { default, latest })
            })
            .ok();
        self.set_template_versions(versions);
    }

    /// The version a launch uses now (the refresh's desired version while one runs).
    fn launch_version(&self) -> Result<u32, CatalogError> {
        let versions = self.versions.ok_or(CatalogError::UnknownTemplate);
        match self.launch_version_spec() {
            VersionSpec::Number(n) => versions.map(|_| n),
            VersionSpec::Default => versions.map(|v| v.default),
            VersionSpec::Latest => versions.map(|v| v.latest),
        }
    }

    /// The scaling activity record.
    pub fn history(&self) -> &P::History {
        &self.history
    }

    /// The lifecycle hooks, by index.
    pub fn hooks(&self) -> &[Option<LifecycleHook>; MAX_HOOKS] {
        &self.hooks
    }

    /// Whether `process` is suspended.
    pub fn is_suspended(&self, process: Process) -> bool {
        self.suspended & process.bit() != 0
    }

    /// `SuspendProcesses` for one process.
    pub fn suspend(&mut self, process: Process) {
        self.touch();
        self.suspended |= process.bit();
    }

    /// `ResumeProcesses` for one process.
    pub fn resume(&mut self, process: Process) {
        self.touch();
        self.suspended &= !process.bit();
    }

    /// Starts a cooldown that ends at `until` (simple scaling policies start these).
    pub fn start_cooldown(&mut self, until: Instant) {
        self.touch();
        self.cooldown_until = Some(until);
    }

    /// Whether the group is in cooldown at `now`: a simple policy's activity is still under
    /// way, or its cooldown has not passed.
    pub fn in_cooldown(&self, now: Instant) -> bool {
        self.cooldown_pending.is_some() || self.cooldown_until.is_some_and(|t| now < t)
    }

    /// `SetDesiredCapacity`.
    ///
    /// # Errors
    /// [`GroupError::DesiredAboveMax`], [`GroupError::DesiredBelowMin`], or
    /// [`GroupError::InCooldown`] when `honor_cooldown` is set during a cooldown.
    pub fn set_desired(
        &mut self,
        now: Instant,
        desired: u32,
        honor_cooldown: bool,
    ) -> Result<(), GroupError> {
        self.touch();
        let (min, max) = (self.config.min_size, self.config.max_size);
        if desired > max {
            return Err(GroupError::DesiredAboveMax { desired, max });
        }
        if desired < min {
            return Err(GroupError::DesiredBelowMin { desired, min });
        }
        if honor_cooldown && self.in_cooldown(now) {
            return Err(GroupError::InCooldown);
        }
        self.desired = desired;
        Ok(())
    }

    /// `UpdateAutoScalingGroup` for the sizes. Without `desired`, a new min above desired raises
    /// it and a new max below desired lowers it (SEMANTICS §2.1).
    ///
    /// # Errors
    /// [`GroupError::MaxBelowMin`], [`GroupError::DesiredOutOfRange`] or
    /// [`GroupError::MaxAboveCapacity`]. Nothing changes on error.
    pub fn update_size(
        &mut self,
        min: Option<u32>,
        max: Option<u32>,
        desired: Option<u32>,
    ) -> Result<(), GroupError> {
        self.touch();
        let min = min.unwrap_or(self.config.min_size);
        let max = max.unwrap_or(self.config.max_size);
        if max < min {
            return Err(GroupError::MaxBelowMin { min, max });
        }
        if usize::try_from(max).map_or(true, |m| m > N) {
            return Err(GroupError::MaxAboveCapacity { max, capacity: N });
        }
        let desired = match desired {
            Some(d) if d < min || d > max => {
                return Err(GroupError::DesiredOutOfRange {
                    desired: d,
                    min,
                    max,
                });
            }
            Some(d) => d,
            None => self.desired.clamp(min, max),
        };
        self.config.min_size = min;
        self.config.max_size = max;
        self.desired = desired;
        Ok(())
    }

    /// `UpdateAutoScalingGroup` for the zones: members in a zone that is no longer listed are
    /// replaced by rebalancing (launch in the new zones first, then terminate them); members
    /// in zones still listed keep them (indices follow the new list).
    ///
    /// # Errors
    /// [`GroupError::InvalidZones`] for an empty list, a repeated, empty or too long name, or
    /// more than [`MAX_ZONES`]. Nothing changes on error.
    pub fn set_zones(&mut self, zones: &[&str]) -> Result<(), GroupError> {
        self.touch();
        let mut list: heapless::Vec<ZoneName, MAX_ZONES> = heapless::Vec::new();
        for z in zones {
            let mut name = ZoneName::new();
            name.push_str(z).map_err(|_| GroupError::InvalidZones)?;
            if name.is_empty() || list.contains(&name) {
                return Err(GroupError::InvalidZones);
            }
            list.push(name).map_err(|_| GroupError::InvalidZones)?;
        }
        if list.is_empty() {
            return Err(GroupError::InvalidZones);
        }
        let old = core::mem::replace(&mut self.config.zones, list);
        for m in &mut self.members {
            let name = old.get(usize::from(m.zone));
            let moved = name.and_then(|n| self.config.zones.iter().position(|z| z == n));
            m.zone = moved
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(Member::NO_ZONE);
        }
        Ok(())
    }

    /// `PutLifecycleHook`: adds a hook and returns its index.
    ///
    /// # Errors
    /// [`GroupError::HeartbeatOutOfRange`], [`GroupError::TooManyHooks`], or
    /// [`GroupError::PartNotStored`] when the group's parts keep no hook waits.
    pub fn put_lifecycle_hook(&mut self, hook: LifecycleHook) -> Result<u8, GroupError> {
        self.touch();
        if !<P::Waits as Slot<HookWait>>::STORED {
            return Err(GroupError::PartNotStored {
                part: "lifecycle hooks",
            });
        }
        hook.validate()?;
        let (index, slot) = self
            .hooks
            .iter_mut()
            .enumerate()
            .find(|(_, h)| h.is_none())
            .ok_or(GroupError::TooManyHooks)?;
        *slot = Some(hook);
        u8::try_from(index).map_err(|_| GroupError::TooManyHooks)
    }

    /// `DeleteLifecycleHook`. Members waiting on it carry on as if it had answered `CONTINUE`.
    ///
    /// # Errors
    /// [`GroupError::UnknownHook`].
    pub fn delete_lifecycle_hook(&mut self, now: Instant, hook: u8) -> Result<(), GroupError> {
        self.touch();
        let slot = self
            .hooks
            .get_mut(usize::from(hook))
            .filter(|h| h.is_some())
            .ok_or(GroupError::UnknownHook { hook })?;
        *slot = None;
        for i in 0..self.members.len() {
            self.resolve_hook(now, i, hook, HookResult::Continue);
        }
        Ok(())
    }

    /// `SetInstanceHealth`. An `Unhealthy` mark inside the grace period is ignored when
    /// `respect_grace_period` is set, as the service does.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`].
    pub fn set_health(
        &mut self,
        now: Instant,
        id: InstanceId,
        health: Health,
        respect_grace_period: bool,
    ) -> Result<(), GroupError> {
        self.touch();
        let grace = self.config.health_check_grace_period;
        let index = self.index(id)?;
        if let Some(m) = self.members.get_mut(index) {
            match health {
                Health::Healthy => {
                    if m.state.counts_toward_capacity() {
                        m.health = Health::Healthy;
                        m.health_source = None;
                    }
                }
                Health::Unhealthy => {
                    if !(respect_grace_period && in_grace(m, now, grace)) {
                        mark_unhealthy(m, HealthSource::Custom);
                    }
                }
            }
        }
        Ok(())
    }

    /// `SetInstanceProtection` for up to 50 members.
    ///
    /// # Errors
    /// [`GroupError::TooManyIds`] or [`GroupError::UnknownMember`]; nothing changes on error.
    pub fn set_protection(
        &mut self,
        ids: &[InstanceId],
        protected: bool,
    ) -> Result<(), GroupError> {
        self.touch();
        check_count(ids, MAX_PROTECTION_IDS)?;
        for &id in ids {
            self.index(id)?;
        }
        for m in self.members.iter_mut().filter(|m| ids.contains(&m.id)) {
            m.protected = protected;
        }
        Ok(())
    }

    /// `EnterStandby`: in-service members leave service but stay in the group. With
    /// `decrement`, desired capacity falls by as many (not below min); without, replacements
    /// launch.
    ///
    /// # Errors
    /// [`GroupError::TooManyIds`], [`GroupError::UnknownMember`],
    /// [`GroupError::WrongMemberState`] (not in service) or [`GroupError::BelowMin`].
    pub fn enter_standby(
        &mut self,
        now: Instant,
        ids: &[InstanceId],
        decrement: bool,
    ) -> Result<(), GroupError> {
        self.touch();
        self.check_members(ids, MAX_IDS_PER_CALL, |s| s == MemberState::InService)?;
        let n = distinct(ids);
        let desired = if decrement {
            self.desired_minus(n)?
        } else {
            self.desired
        };
        let from = self.capacity();
        let to = from.saturating_sub(n);
        self.desired = desired;
        for i in self.indices(ids) {
            self.history.start(
                now,
                ActivityKind::EnterStandby,
                self.members.get(i).map(|m| m.id),
                Cause::UserRequest { from, to },
                ActivityStatus::Successful,
            );
            if let Some(m) = self.members.get_mut(i) {
                m.state = MemberState::Standby;
            }
        }
        Ok(())
    }

    /// `ExitStandby`: standby members return to service and desired capacity rises by as many.
    /// The health check grace period starts again.
    ///
    /// # Errors
    /// [`GroupError::TooManyIds`], [`GroupError::UnknownMember`],
    /// [`GroupError::WrongMemberState`] (not in standby) or [`GroupError::AboveMax`].
    pub fn exit_standby(&mut self, now: Instant, ids: &[InstanceId]) -> Result<(), GroupError> {
        self.touch();
        self.check_members(ids, MAX_IDS_PER_CALL, |s| s == MemberState::Standby)?;
        let n = distinct(ids);
        let desired = self.desired_plus(n)?;
        let from = self.capacity();
        self.desired = desired;
        for i in self.indices(ids) {
            let id = self.members.get(i).map(|m| m.id);
            let to = from.saturating_add(1);
            self.history.start(
                now,
                ActivityKind::ExitStandby,
                id,
                Cause::UserRequest { from, to },
                ActivityStatus::Successful,
            );
            if let Some(m) = self.members.get_mut(i) {
                m.state = MemberState::InService;
                m.in_service_at = member::Stamp::at(now);
            }
        }
        Ok(())
    }

    /// `DetachInstances`: members leave the group (their instances keep running). With
    /// `decrement`, desired capacity falls by as many (not below min); without, replacements
    /// launch.
    ///
    /// # Errors
    /// [`GroupError::TooManyIds`], [`GroupError::UnknownMember`],
    /// [`GroupError::WrongMemberState`] (not in service or standby) or [`GroupError::BelowMin`].
    pub fn detach(
        &mut self,
        now: Instant,
        ids: &[InstanceId],
        decrement: bool,
    ) -> Result<(), GroupError> {
        self.touch();
        self.check_members(ids, MAX_IDS_PER_CALL, |s| {
            matches!(s, MemberState::InService | MemberState::Standby)
        })?;
        let n = distinct(ids);
        let desired = if decrement {
            self.desired_minus(n)?
        } else {
            self.desired
        };
        let from = self.capacity();
        self.desired = desired;
        for &id in ids {
            let Some(i) = self.members.iter().position(|m| m.id == id) else {
                continue;
            };
            let counted = self
                .members
                .get(i)
                .is_some_and(|m| m.state.counts_toward_capacity());
            let to = if counted {
                from.saturating_sub(1)
            } else {
                from
            };
            self.history.start(
                now,
                ActivityKind::Detach,
                Some(id),
                Cause::UserRequest { from, to },
                ActivityStatus::Successful,
            );
            self.members.remove(i);
            self.meter(now, id);
        }
        Ok(())
    }

    /// `AttachInstances`: running instances join the group in service, in the given zones;
    /// desired capacity rises by as many. They inherit the group's scale-in protection setting.
    ///
    /// # Errors
    /// [`GroupError::TooManyIds`], [`GroupError::AlreadyMember`],
    /// [`GroupError::InvalidZones`] (zone index out of range), [`GroupError::AboveMax`] or
    /// [`GroupError::Full`].
    pub fn attach(
        &mut self,
        now: Instant,
        instances: &[(InstanceId, u8)],
    ) -> Result<(), GroupError> {
        self.touch();
        if instances.len() > MAX_IDS_PER_CALL {
            return Err(GroupError::TooManyIds {
                count: instances.len(),
                limit: MAX_IDS_PER_CALL,
            });
        }
        for (i, &(id, zone)) in instances.iter().enumerate() {
            if self.index(id).is_ok() || instances.iter().take(i).any(|(o, _)| *o == id) {
                return Err(GroupError::AlreadyMember { id });
            }
            if usize::from(zone) >= self.config.zones.len() {
                return Err(GroupError::InvalidZones);
            }
        }
        let n = count(instances.iter());
        let desired = self.desired_plus(n)?;
        if self.members.len().saturating_add(instances.len()) > N {
            return Err(GroupError::Full { capacity: N });
        }
        let mut capacity = self.capacity();
        self.desired = desired;
        for &(id, zone) in instances {
            let to = capacity.saturating_add(1);
            self.history.start(
                now,
                ActivityKind::Attach,
                Some(id),
                Cause::UserRequest { from: capacity, to },
                ActivityStatus::Successful,
            );
            capacity = to;
            let member = Member {
                id,
                zone,
                state: MemberState::InService,
                ec2: InstanceState::Running,
                health: Health::Healthy,
                health_source: None,
                launched_at: now,
                in_service_at: member::Stamp::at(now),
                templated: false,
                version: 0,
                protected: self.config.new_instances_protected_from_scale_in,
                rebalance: false,
                activity: None,
                owed: 0,
                market: crate::purchase::MarketKind::OnDemand,
                instance_type: 0,
                weight: 1,
                signal: crate::purchase::SpotSignal::None,
            };
            // Room was checked above.
            if self.members.push(member).is_ok() {
                self.meter_new(self.members.len().saturating_sub(1));
                self.meter(now, id);
            }
        }
        Ok(())
    }

    /// Applies a report from the world.
    ///
    /// # Errors
    /// [`GroupError::UnknownMember`]; [`GroupError::UnknownHook`] or
    /// [`GroupError::NotWaiting`] for a hook answer that does not fit. Nothing changes on error.
    pub fn observe(&mut self, now: Instant, event: Event) -> Result<(), GroupError> {
        self.touch();
        // Only a waiting cooldown asks whether the activity was running (`settle_cooldown`
        // does nothing without one, and nothing below sets one).
        let busy = self.cooldown_pending.is_some() && self.activity_running();
        self.apply_event(now, event)?;
        // A member whose instance is gone has left (`on_gone`), and ids are unique: the ledger
        // forgets it without a search of the members for it (host builds; issue 20: the
        // search that finds nothing was half of a report's cost).
        #[cfg(not(target_os = "none"))]
        if matches!(event, Event::Terminated(_) | Event::LaunchFailed(_)) && !roster::reference() {
            self.meter_left(now, event.id());
        } else {
            self.meter(now, event.id());
        }
        #[cfg(target_os = "none")]
        self.meter(now, event.id());
        // The last launch in service or termination done ends the activity: a simple policy's
        // cooldown starts now, at the time reported (SEMANTICS §2.5).
        if busy {
            self.settle_cooldown(now);
        }
        Ok(())
    }

    /// [`Group::observe`] for a caller reporting many members at once (the simulator, the
    /// terminations of one tick): a member that leaves is marked [`MemberState::Terminated`]
    /// and stays in the vector until [`Group::remove_gone`], so a burst of k leavers costs one
    /// O(N) compaction instead of k. Until then the marked members are invisible to
    /// [`Group::find`] and the caller must report nothing else and read nothing: the other
    /// passes do not expect them. With a price ledger (which meters each leaver by looking
    /// the group over) it is plain `observe`. Returns whether a member was left marked.
    pub(crate) fn observe_deferred(
        &mut self,
        now: Instant,
        event: Event,
    ) -> Result<bool, GroupError> {
        if self.ledger.is_some() || !matches!(event, Event::Terminated(_) | Event::LaunchFailed(_))
        {
            return self.observe(now, event).map(|()| false);
        }
        self.touch();
        let i = self.find(event.id())?;
        let status = match event {
            Event::LaunchFailed(_) => ActivityStatus::Failed,
            _ => ActivityStatus::Successful,
        };
        let busy = self.cooldown_pending.is_some() && self.activity_running();
        self.leave(now, i, status);
        if let Some(m) = self.members.get_mut(i) {
            m.state = MemberState::Terminated;
        }
        if busy {
            self.settle_cooldown(now);
        }
        Ok(true)
    }

    /// Removes the members [`Group::observe_deferred`] marked, keeping the others' order.
    pub(crate) fn remove_gone(&mut self) {
        self.members.retain(|m| m.state != MemberState::Terminated);
        self.emit_from = Cached(0);
    }

    fn apply_event(&mut self, now: Instant, event: Event) -> Result<(), GroupError> {
        let i = self.find(event.id())?;
        let grace = self.config.health_check_grace_period;
        match event {
            Event::Booted(_) => self.on_booted(now, i),
            Event::LaunchFailed(_) => self.on_gone(now, i, ActivityStatus::Failed),
            Event::Terminated(_) => self.on_gone(now, i, ActivityStatus::Successful),
            Event::Ec2State(_, state) => {
                let arriving = self
                    .members
                    .get(i)
                    .is_some_and(|m| m.state == MemberState::WarmedPendingProceed);
                if arriving && state == InstanceState::Stopped {
                    if let Some(m) = self.members.get_mut(i) {
                        m.ec2 = state;
                    }
                    self.on_warm_stopped(now, i);
                    return Ok(());
                }
                let suspended = self.suspended_health();
                if let Some(m) = self.members.get_mut(i) {
                    m.ec2 = state;
                    if !suspended {
                        check_ec2(m);
                    }
                }
            }
            Event::Unhealthy(_, source) => {
                let suspended = self.is_suspended(Process::HealthCheck);
                if let Some(m) = self.members.get_mut(i)
                    && !in_grace(m, now, grace)
                    && !suspended
                {
                    mark_unhealthy(m, source);
                }
            }
            Event::HookCompleted(_, hook, result) => {
                self.check_waiting(i, hook)?;
                self.resolve_hook(now, i, hook, result);
            }
            Event::SpotInterruption(_) => self.on_spot_signal(i, SpotSignal::Notice)?,
            Event::RebalanceRecommendation(_) => {
                self.on_spot_signal(i, SpotSignal::Rebalance)?;
            }
            Event::HookHeartbeat(_, hook) => {
                self.check_waiting(i, hook)?;
                let timeout = self.hook(hook)?.heartbeat_timeout;
                if let Some(w) = self.members.wait_mut(i)
                    && let Some(d) = w.deadlines.get_mut(usize::from(hook))
                {
                    *d = now.saturating_add(timeout);
                }
            }
        }
        Ok(())
    }

    /// [`Group::decide`] at `now`, then [`Group::drain`] into the room left in `out`.
    ///
    /// Actions that do not fit in `out` stay decided and come out of the next `drain` (or
    /// `tick`) without being decided again; [`Group::pending_actions`] counts them.
    pub fn tick<const A: usize>(&mut self, now: Instant, out: &mut heapless::Vec<Action, A>) {
        self.decide(now);
        self.emit(|a| out.push(a).is_ok());
    }

    /// Decides everything due at `now`: scheduled actions, predictive and dynamic scaling,
    /// hook timeouts, replacement of unhealthy members, launches up to desired, terminations
    /// down to desired, zone rebalancing and the warm pool. Launches use the group's launch
    /// template at the version its configuration names, `$Default` and `$Latest` read from
    /// what [`Group::set_template_versions`] last said.
    ///
    /// The actions decided stay in the group until [`Group::drain`] takes them, into a buffer
    /// of any size, as many calls as it takes; they are never decided twice. Deciding again
    /// at the same `now` finds nothing new.
    pub fn decide(&mut self, now: Instant) {
        self.emit_from = Cached(0);
        // A cooldown that has run out is over (`next_deadline` stops naming it).
        if self.cooldown_until.is_some_and(|t| t <= now) {
            self.cooldown_until = None;
        }
        let sizes = (self.desired, self.config.min_size, self.config.max_size);
        self.run_schedule(now);
        self.run_predictive(now);
        self.run_dynamic(now);
        if self.quiet.2 {
            // Nothing changed since a member pass that found nothing but the actions decided
            // before it, and those have been handed out: that pass would find nothing again.
            self.quiet.2 = false;
            // The kept survey when it holds (most ticks after a hand-out make none: the
            // hand-out changed the members), else the one question asked of the members.
            #[cfg(not(target_os = "none"))]
            let owe_none = self.members.kept_survey().map_or_else(
                || self.members.iter().all(|m| m.owed == 0),
                |s| s.kinds & HOLDS_OWING == 0,
            );
            #[cfg(target_os = "none")]
            let owe_none = self.members.iter().all(|m| m.owed == 0);
            #[cfg(test)]
            assert_eq!(owe_none, self.members.iter().all(|m| m.owed == 0));
            self.quiet.0 = owe_none;
        }
        // Nothing changed since a tick that found the members needing nothing, and nothing
        // here waits on the clock: the member passes would find nothing again.
        if self.quiet.0
            && sizes == (self.desired, self.config.min_size, self.config.max_size)
            && !self.clock_work()
        {
            return;
        }
        self.decide_members(now, sizes);
    }

    /// The member passes of [`Group::decide`]. Kept out of line so that `decide` keeps a
    /// small stack frame: with a large group the inlined passes gave it a frame of over 40
    /// KiB, and LLVM's x86-64 inline stack probe (whose loop uses `r11`) then clobbered
    /// `self`, which shrink-wrapping had left in `r11` (a segfault in the Python module's
    /// release build, rustc 1.95).
    #[inline(never)]
    fn decide_members(&mut self, now: Instant, sizes: (u32, u32, u32)) {
        let activities = self.history.started();
        let current = self.launch_version();
        // A pass that made progress can leave work for another at the same instant (a refresh
        // stepping on what it just terminated, a rebalance on what it just launched): pass
        // again until one changes nothing, so nothing is left due at `now`. A pass that goes
        // on started an activity or stepped a refresh, which bounds the passes.
        let mut settled = false;
        for _ in 0..N.saturating_mul(2).saturating_add(2) {
            let before = self.progress();
            self.member_passes(now, current);
            if self.progress() == before {
                settled = true;
                break;
            }
        }
        self.settle_cooldown(now);
        let unwaited = self.holds_none(HOLDS_WAITING, |g| {
            g.members.waits.iter().all(|w| w.get().is_none())
        });
        self.quiet.0 = activities == self.history.started()
            && sizes == (self.desired, self.config.min_size, self.config.max_size)
            && self.holds_none(HOLDS_OWING, |g| g.members.iter().all(|m| m.owed == 0))
            && unwaited;
        // A pass that started activities (launches, terminations) leaves the group quiet only
        // once their actions are handed out; the last pass found nothing, so a tick after the
        // hand-out need not pass again (9,000 of the taxi run's 14,000 member passes found
        // nothing, issue 20). Held to full passes by the differential tests that tick a clone
        // after `invalidate`.
        self.quiet.2 = !self.quiet.0 && settled && unwaited;
    }

    /// What a member pass changes when it does something: activities started (every launch,
    /// termination, hook wait and pool move starts one), desired capacity and a refresh's
    /// steps.
    fn progress(&self) -> Progress {
        let refresh = self
            .refresh
            .get()
            .map(|r| (r.surge, r.replaced, r.checkpoints_done, r.status));
        (self.history.started(), self.desired, refresh)
    }

    /// One look over the members at `now`: hook timeouts, health, lifetime, refresh, launches
    /// and terminations to desired, zone rebalancing and the warm pool.
    fn member_passes(&mut self, now: Instant, current: Result<u32, CatalogError>) {
        // Each scan for a kind of member the roster's survey found none of is skipped: it
        // would find nothing (`Group::when_held`).
        self.when_held(HOLDS_WAITING, |g| g.expire_hooks(now));
        self.settle_arrivals(now);
        // The EC2 check is periodic: a state reported while health checks were suspended
        // counts once they resume.
        if !self.suspended_health() {
            // Through `get_mut` only where the check marks a member: a pass of `iter_mut` bumped
            // the roster's revision at every pass, and with it the counts kept on it (the
            // simulator's census and Spot list among them) were made again after every tick
            // that passed over the members (issue 20).
            self.when_held(HOLDS_EC2_MARK, |g| {
                for i in 0..g.members.len() {
                    if g.members.get(i).is_some_and(ec2_marks)
                        && let Some(m) = g.members.get_mut(i)
                    {
                        check_ec2(m);
                    }
                }
            });
            // Only warm members can be in a state their pool does not allow.
            self.when_held(HOLDS_WARM, |g| g.check_pool_health(now));
        }
        if !self.is_suspended(Process::ReplaceUnhealthy) {
            self.when_held(HOLDS_UNHEALTHY, |g| g.replace_unhealthy(now));
        }
        if !self.is_suspended(Process::Launch) && !self.is_suspended(Process::Terminate) {
            self.replace_expired(now);
        }
        if !self.is_suspended(Process::InstanceRefresh) {
            self.step_refresh(now, current.ok());
        }
        if !self.is_suspended(Process::Launch) {
            // Capacity Rebalancing replaces signalled members only.
            self.when_held(HOLDS_SIGNALLED, |g| g.rebalance_capacity(now, current.ok()));
            self.launch_to_desired(now, current);
        }
        if !self.is_suspended(Process::Terminate) {
            self.terminate_to_desired(now, current.ok());
        }
        if !self.is_suspended(Process::AzRebalance) && !self.is_suspended(Process::Launch) {
            self.rebalance(now, current.ok());
        }
        if !self.is_suspended(Process::Terminate) {
            // With no warm member there is nothing above the pool's target.
            self.when_held(HOLDS_WARM, |g| g.trim_pool(now));
        }
        if !self.is_suspended(Process::Launch) {
            self.fill_pool(now, current.ok());
        }
    }

    /// Runs `pass`, a scan for members of kind `kind` (`roster::HOLDS_*`) that changes nothing
    /// when it finds none, unless the roster's survey found none (host builds; the firmware
    /// keeps no survey and always runs it). The tests run a skipped pass too, and check that
    /// it changed nothing: no member (their revision) and no activity.
    #[inline]
    fn when_held(&mut self, kind: u8, pass: impl FnOnce(&mut Self)) {
        if !self.may_hold(kind) {
            #[cfg(test)]
            {
                let before = (self.members.revision.0, self.history.started());
                pass(self);
                let after = (self.members.revision.0, self.history.started());
                assert_eq!(
                    before, after,
                    "a pass skipped for kind {kind} changed something"
                );
            }
            return;
        }
        pass(self);
    }

    /// Whether a member of kind `kind` (`roster::HOLDS_*`) may be among the members: false only
    /// when the roster's survey found none (host builds); always true on the firmware.
    #[inline]
    #[cfg_attr(target_os = "none", allow(clippy::unused_self))] // The survey is host-only.
    fn may_hold(&mut self, kind: u8) -> bool {
        #[cfg(not(target_os = "none"))]
        {
            let held = self.members.survey().kinds & kind != 0;
            #[cfg(test)]
            assert_eq!(held, self.holds_by_scan(kind), "the survey of kind {kind}");
            held
        }
        #[cfg(target_os = "none")]
        {
            let _ = kind;
            true
        }
    }

    /// Whether a member is of kind `kind`, from the tests of the passes the survey lets skip
    /// (the reference the survey is held to, written apart from it).
    #[cfg(test)]
    fn holds_by_scan(&self, kind: u8) -> bool {
        let of_kind = |i: usize, m: &Member| match kind {
            HOLDS_WAITING => self.members.waiting(i),
            HOLDS_EC2_MARK => ec2_marks(m),
            HOLDS_WARM => m.state.is_warm(),
            HOLDS_UNHEALTHY => m.health == Health::Unhealthy && m.state.counts_toward_capacity(),
            HOLDS_SIGNALLED => m.signal != SpotSignal::None,
            HOLDS_OWING => m.owed != 0,
            _ => true,
        };
        self.members.iter().enumerate().any(|(i, m)| of_kind(i, m))
    }

    /// Whether no member is of kind `kind` (`roster::HOLDS_*`): from the roster's survey on
    /// host builds (the tests check it against `scan`), from `scan`, a pass over the members,
    /// on the firmware.
    #[inline]
    fn holds_none(&mut self, kind: u8, scan: impl FnOnce(&Self) -> bool) -> bool {
        #[cfg(not(target_os = "none"))]
        {
            let none = self.members.survey().kinds & kind == 0;
            #[cfg(test)]
            assert_eq!(none, scan(self), "the survey of kind {kind}");
            let _ = scan;
            none
        }
        #[cfg(target_os = "none")]
        {
            let _ = kind;
            scan(self)
        }
    }

    /// [`Group::capacity`]: from the roster's survey on host builds (the tests check it against
    /// the pass), from a pass over the members on the firmware.
    #[inline]
    fn capacity_now(&mut self) -> u32 {
        #[cfg(not(target_os = "none"))]
        {
            let units = self.members.survey().units;
            #[cfg(test)]
            assert_eq!(units, self.capacity(), "the survey's units");
            units
        }
        #[cfg(target_os = "none")]
        self.capacity()
    }

    /// [`Group::on_demand_base_short`]: with the On-Demand units from the roster's survey on
    /// host builds (the tests check it against the pass).
    #[inline]
    fn base_short_now(&mut self) -> bool {
        #[cfg(not(target_os = "none"))]
        {
            let Some(base) = self
                .mixed
                .get()
                .map(|m| m.distribution.on_demand_base.min(self.desired))
            else {
                // No policy: no base (false, without a pass).
                return self.on_demand_base_short();
            };
            let short = self.members.survey().on_demand < base;
            #[cfg(test)]
            assert_eq!(
                short,
                self.on_demand_base_short(),
                "the survey's On-Demand units"
            );
            short
        }
        #[cfg(target_os = "none")]
        self.on_demand_base_short()
    }

    /// Whether something in the member passes depends on the clock now: hook deadlines,
    /// maximum lifetime, a refresh, a warm pool, a launch retry, a cooldown waiting for its
    /// activity.
    fn clock_work(&self) -> bool {
        self.config.max_instance_lifetime.is_some()
            || self.refresh.is_some()
            || self.warm_pool.is_some()
            || self.launch_retry_at.is_some()
            || self.cooldown_pending.is_some()
    }

    /// The earliest instant at which [`Group::tick`] has work, if any.
    pub fn next_deadline(&self) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut consider = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        for m in &self.members {
            if m.owed != 0 {
                // Owed actions are due now; the earliest launch time stands for "now".
                consider(m.launched_at);
            }
        }
        for w in self.members.waits.iter().filter_map(Slot::get) {
            {
                for (bit, (d, g)) in w.deadlines.iter().zip(&w.global).enumerate() {
                    if w.pending & (1 << bit) != 0 {
                        consider(*d.min(g));
                    }
                }
            }
        }
        if let Some(t) = self.refresh_deadline() {
            consider(t);
        }
        if let Some(t) = self.schedule_deadline() {
            consider(t);
        }
        if let Some(t) = self.dynamic_deadline() {
            consider(t);
        }
        if let Some(t) = self.launch_retry_at
            && self.capacity() < self.desired
        {
            consider(t);
        }
        // The end of a simple policy's cooldown (SEMANTICS §2.5).
        if let Some(t) = self.cooldown_until {
            consider(t);
        }
        next
    }

    // ----- observe helpers -------------------------------------------------------------

    fn on_booted(&mut self, now: Instant, i: usize) {
        let launching = self.hook_mask(HookTransition::Launching);
        let wait = self.hook_wait(now, launching);
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        m.ec2 = InstanceState::Running;
        // The world runs it, so its launch happened: never hand the launch out after this (as
        // `reconcile` does), even to a caller that reported it before draining the launch.
        m.owed &= !OWE_LAUNCH;
        let warm = m.state == MemberState::WarmedPending;
        if m.state != MemberState::Pending && !warm {
            return;
        }
        if launching == 0 && warm {
            m.state = MemberState::WarmedPendingProceed;
            self.enter_pool(now, i);
        } else if launching != 0 {
            m.state = if warm {
                MemberState::WarmedPendingWait
            } else {
                MemberState::PendingWait
            };
            m.owed |= u16::from(launching) << OWE_HOOK_SHIFT;
            if let Some(seq) = m.activity {
                self.history
                    .set_status(seq, now, ActivityStatus::MidLifecycleAction);
            }
            self.members.set_wait(i, Some(wait));
        } else {
            self.put_in_service(now, i);
        }
    }

    fn put_in_service(&mut self, now: Instant, i: usize) {
        let protect = self.config.new_instances_protected_from_scale_in;
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        m.state = MemberState::InService;
        m.in_service_at = member::Stamp::at(now);
        m.protected = protect;
        if let Some(seq) = m.activity.take() {
            self.history
                .set_status(seq, now, ActivityStatus::Successful);
        }
        self.members.set_wait(i, None);
    }

    /// The instance is gone (terminated, or its launch failed): the member leaves the group.
    fn on_gone(&mut self, now: Instant, i: usize, status: ActivityStatus) {
        self.leave(now, i, status);
        let _ = self.members.remove(i);
        // The member after it is now at `i`: where the next report in launch order looks first.
        self.quiet.1 = i;
        // Members moved: the next drain looks from the first, to keep member order.
        self.emit_from = Cached(0);
    }

    /// What a member's leaving records: its activity's end, or an EC2 health termination when
    /// the group did not expect it.
    fn leave(&mut self, now: Instant, i: usize, status: ActivityStatus) {
        let Some(m) = self.members.get(i) else { return };
        let expected = m.state.is_terminating() || status == ActivityStatus::Failed;
        let (id, activity) = (m.id, m.activity);
        if let Some(seq) = activity {
            self.history.set_status(seq, now, status);
        }
        if !expected {
            // Terminated behind the group's back: the EC2 health check takes it out.
            self.history.start(
                now,
                ActivityKind::Terminate,
                Some(id),
                Cause::Ec2Health,
                ActivityStatus::Successful,
            );
        }
    }

    fn check_waiting(&self, i: usize, hook: u8) -> Result<(), GroupError> {
        self.hook(hook)?;
        let m = self
            .members
            .get(i)
            .ok_or(GroupError::UnknownHook { hook })?;
        let waiting = self
            .members
            .wait(i)
            .is_some_and(|w| w.pending & bit(hook) != 0);
        if waiting {
            Ok(())
        } else {
            Err(GroupError::NotWaiting { id: m.id, hook })
        }
    }

    fn hook(&self, hook: u8) -> Result<&LifecycleHook, GroupError> {
        self.hooks
            .get(usize::from(hook))
            .and_then(Option::as_ref)
            .ok_or(GroupError::UnknownHook { hook })
    }

    fn hook_mask(&self, transition: HookTransition) -> u8 {
        hook_mask(&self.hooks, transition)
    }

    fn hook_wait(&self, now: Instant, mask: u8) -> HookWait {
        let mut w = HookWait {
            pending: mask,
            deadlines: [now; MAX_HOOKS],
            global: [now; MAX_HOOKS],
            abandoned: false,
        };
        for ((h, d), g) in self.hooks.iter().zip(&mut w.deadlines).zip(&mut w.global) {
            if let Some(h) = h {
                *d = now.saturating_add(h.heartbeat_timeout);
                *g = now.saturating_add(h.global_timeout());
            }
        }
        w
    }

    /// Hook `hook` of member `i` timed out with its default `result`.
    ///
    /// A caller that decides late (or drains little) may not yet have been handed the hook's
    /// `NotifyHook` when the wait ends. The notification stays owed then, so the caller always
    /// learns of a hook it was meant to act on (issue 19): it comes out before what the
    /// timeout's result decided (a `Terminate` after it for `ABANDON` and for a terminating
    /// hook; for a launching `CONTINUE` the member is already in service), and answering it
    /// then gives [`GroupError::NotWaiting`], as `CompleteLifecycleAction` on an action that
    /// already timed out fails (SEMANTICS §2.8). A notification already handed out is not
    /// repeated, and an answer from the caller withdraws nothing new.
    fn expire_hook(&mut self, now: Instant, i: usize, hook: u8, result: HookResult) {
        let unseen = self
            .members
            .get(i)
            .map_or(0, |m| m.owed & (0xFF << OWE_HOOK_SHIFT));
        self.resolve_hook(now, i, hook, result);
        if let Some(m) = self.members.get_mut(i) {
            m.owed |= unseen;
        }
    }

    /// Hook `hook` of member `i` answered `result` (or timed out with it).
    fn resolve_hook(&mut self, now: Instant, i: usize, hook: u8, result: HookResult) {
        let transition = self
            .hooks
            .get(usize::from(hook))
            .copied()
            .flatten()
            .map(|h| h.transition);
        let roster = &mut self.members;
        roster.bump();
        let (Some(m), Some(w)) = (
            roster.members.get_mut(i),
            roster.waits.get_mut(i).and_then(Slot::get_mut),
        ) else {
            return;
        };
        if w.pending & bit(hook) == 0 {
            return;
        }
        w.pending &= !bit(hook);
        m.owed &= !(u16::from(bit(hook)) << OWE_HOOK_SHIFT);
        let abandon = result == HookResult::Abandon;
        let done = w.pending == 0 || abandon;
        match m.state {
            MemberState::PendingWait => {
                w.abandoned |= abandon;
                if abandon {
                    m.owed &= !(0xFF << OWE_HOOK_SHIFT);
                    if let Some(seq) = m.activity.take() {
                        self.history.set_status(seq, now, ActivityStatus::Failed);
                    }
                    self.members.set_wait(i, None);
                    self.begin_termination(now, i, Cause::HookAbandoned, false);
                } else if done {
                    m.state = MemberState::PendingProceed;
                    self.put_in_service(now, i);
                }
            }
            // Into the pool: a launching ABANDON terminates; any terminating answer (a member
            // returning on scale-in) and a launching CONTINUE go on into the pool.
            MemberState::WarmedPendingWait => {
                let launching = transition == Some(HookTransition::Launching);
                if abandon && launching {
                    m.owed &= !(0xFF << OWE_HOOK_SHIFT);
                    if let Some(seq) = m.activity.take() {
                        self.history.set_status(seq, now, ActivityStatus::Failed);
                    }
                    self.members.set_wait(i, None);
                    self.begin_termination(now, i, Cause::HookAbandoned, false);
                } else if done {
                    m.owed &= !(0xFF << OWE_HOOK_SHIFT);
                    m.state = MemberState::WarmedPendingProceed;
                    self.enter_pool(now, i);
                }
            }
            MemberState::WarmedTerminatingWait if done => {
                m.owed &= !(0xFF << OWE_HOOK_SHIFT);
                m.state = MemberState::WarmedTerminatingProceed;
                m.owed |= OWE_TERMINATE;
                self.members.set_wait(i, None);
            }
            MemberState::TerminatingWait if done => {
                m.owed &= !(0xFF << OWE_HOOK_SHIFT);
                m.state = MemberState::TerminatingProceed;
                m.owed |= OWE_TERMINATE;
                if let Some(seq) = m.activity {
                    self.history
                        .set_status(seq, now, ActivityStatus::InProgress);
                }
                self.members.set_wait(i, None);
            }
            _ => {}
        }
    }

    // ----- tick phases -----------------------------------------------------------------

    fn expire_hooks(&mut self, now: Instant) {
        for i in 0..self.members.len() {
            // Only members waiting on hooks have deadlines.
            if !self.members.waiting(i) {
                continue;
            }
            for hook in 0..MAX_HOOKS {
                let Ok(hook) = u8::try_from(hook) else { break };
                let expired = self.members.wait(i).is_some_and(|w| {
                    let k = usize::from(hook);
                    let due = w
                        .deadlines
                        .get(k)
                        .zip(w.global.get(k))
                        .is_some_and(|(d, g)| now >= *d.min(g));
                    w.pending & bit(hook) != 0 && due
                });
                if expired {
                    let result = self
                        .hook(hook)
                        .map_or(HookResult::Continue, |h| h.default_result);
                    self.expire_hook(now, i, hook, result);
                }
            }
        }
    }

    /// Replaces members past `MaxInstanceLifetime` (SEMANTICS §2.11): one at a time, or up to
    /// 10 % of capacity when several are due at once; protected members are skipped. A batch
    /// starts only when the previous one has finished (nothing launching or terminating).
    fn replace_expired(&mut self, now: Instant) {
        let Some(lifetime) = self.config.max_instance_lifetime else {
            return;
        };
        let expired = |m: &Member| {
            m.state == MemberState::InService
                && !m.protected
                && now.saturating_duration_since(m.launched_at) >= lifetime
        };
        let busy = self
            .members
            .iter()
            .any(|m| m.state.is_pending() || m.state.is_terminating());
        let due = count(self.members.iter().filter(|m| expired(m)));
        if busy || due == 0 {
            return;
        }
        let batch = if due == 1 {
            1
        } else {
            (self.capacity() / 10).max(1)
        };
        for _ in 0..batch {
            // Oldest first.
            let oldest = self
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| expired(m))
                .min_by_key(|(_, m)| m.launched_at)
                .map(|(i, _)| i);
            let Some(i) = oldest else { break };
            self.begin_termination(now, i, Cause::MaxLifetime, true);
        }
    }

    fn replace_unhealthy(&mut self, now: Instant) {
        // EC2 and custom marks go at once; load-balancer marks in batches of 10 % of desired,
        // one batch at a time (SEMANTICS §2.3).
        let batch = (self.desired / 10).max(1);
        let busy = self.members.iter().any(|m| {
            m.state.is_pending()
                || (m.state.is_terminating() && m.health_source == Some(HealthSource::LoadBalancer))
        });
        let mut lb_budget = if busy { 0 } else { batch };
        for i in 0..self.members.len() {
            let Some(m) = self.members.get(i) else { break };
            if m.health != Health::Unhealthy || !m.state.counts_toward_capacity() {
                continue;
            }
            let cause = match m.health_source {
                Some(HealthSource::LoadBalancer) => {
                    if lb_budget == 0 {
                        continue;
                    }
                    lb_budget = lb_budget.saturating_sub(1);
                    Cause::LoadBalancerHealth
                }
                Some(HealthSource::Custom) => Cause::UserHealth,
                _ => Cause::Ec2Health,
            };
            self.begin_termination(now, i, cause, true);
        }
    }

    fn launch_to_desired(
        &mut self,
        now: Instant,
        current: Result<u32, crate::catalog::CatalogError>,
    ) {
        let mut capacity = self.capacity_now();
        // A launch-first refresh batch may launch above desired.
        let goal = self.desired.saturating_add(self.refresh_surge());
        // The warm pool serves first; a depleted pool means a cold start (SEMANTICS §2.9). With
        // no warm member there is none to take. During an instance refresh, scale-outs use the
        // desired configuration (§2.10): only warm members of the version launched now serve,
        // as one of another version would only be replaced again.
        // A refresh whose version cannot be resolved now takes none (and launches none).
        let refreshing = self.refresh.get().is_some_and(|r| !r.status.is_done());
        let (pool_serves, only) = match (refreshing, current.as_ref()) {
            (false, _) => (true, None),
            (true, Ok(&version)) => (true, Some(version)),
            (true, Err(_)) => (false, None),
        };
        while capacity < goal
            && pool_serves
            && self.may_hold(HOLDS_WARM)
            && self.take_from_pool(now, capacity, only)
        {
            capacity = capacity.saturating_add(1);
        }
        // A mixed-instances group launches On-Demand for its base even at desired: Spot
        // members can fill desired before the base is met, and are then scaled in.
        let at_goal = capacity >= goal && !self.base_short_now();
        if at_goal || self.launch_retry_at.is_some_and(|t| now < t) {
            return;
        }
        let Ok(version) = current else {
            self.history.start(
                now,
                ActivityKind::Launch,
                None,
                Cause::Difference {
                    from: capacity,
                    to: capacity.saturating_add(1),
                },
                ActivityStatus::Failed,
            );
            self.launch_retry_at = Some(now.saturating_add(LAUNCH_RETRY));
            return;
        };
        self.launch_retry_at = None;
        if self.mixed.is_some() {
            self.launch_mixed(now, version, goal);
            return;
        }
        // Zone counts are kept as the loop launches, so a burst stays linear in N.
        let mut counts = self.zone_counts();
        while capacity < goal && !self.members.is_full() {
            let zone = self.emptiest_of(&counts);
            let cause = Cause::Difference {
                from: capacity,
                to: capacity.saturating_add(1),
            };
            if self
                .launch_member(now, on_demand(zone), version, cause, false)
                .is_err()
            {
                return;
            }
            if let Some(c) = counts.get_mut(usize::from(zone)) {
                *c = c.saturating_add(1);
            }
            capacity = capacity.saturating_add(1);
        }
    }

    /// The next id from the group's generator that no member has: an attached instance may
    /// carry any id, one of the generator's next draws included (a 2^-54 chance, or a caller's
    /// choice), and two members never share an id. At most `N` draws are stepped over.
    fn next_member_id(&mut self) -> Result<InstanceId, GroupError> {
        loop {
            let id: InstanceId = self.ids.next_id()?;
            if !self.members.iter().any(|m| m.id == id) {
                return Ok(id);
            }
        }
    }

    /// Launches one member bought as `bought` says (market, type, zone, weight), records its
    /// activity and starts metering it.
    fn launch_member(
        &mut self,
        now: Instant,
        bought: Launch,
        version: u32,
        cause: Cause,
        rebalance: bool,
    ) -> Result<(), GroupError> {
        if self.members.is_full() {
            return Err(GroupError::Full { capacity: N });
        }
        let id = self.next_member_id()?;
        let mut member = Member::launching(id, bought.zone, now, version, MemberState::Pending);
        member.rebalance = rebalance;
        member.market = bought.market;
        member.instance_type = bought.instance_type;
        member.weight = bought.weight;
        self.members
            .push(member)
            .map_err(|_| GroupError::Full { capacity: N })?;
        let seq = self.history.start(
            now,
            ActivityKind::Launch,
            Some(id),
            cause,
            ActivityStatus::PreInService,
        );
        if let Some(m) = self.members.last_mut() {
            m.activity = Some(seq);
        }
        self.meter_new(self.members.len().saturating_sub(1));
        Ok(())
    }

    fn terminate_to_desired(&mut self, now: Instant, current: Option<u32>) {
        if self.mixed.is_some() {
            let target = self.desired.saturating_add(self.refresh_surge());
            self.terminate_mixed(now, target);
            return;
        }
        // Launch before terminate when rebalancing: the surplus a rebalancing launch creates
        // waits for that launch to be in service.
        let hold = count(
            self.members
                .iter()
                .filter(|m| m.rebalance && m.state.is_pending()),
        );
        let target = self
            .desired
            .saturating_add(hold)
            .saturating_add(self.refresh_surge());
        let mut capacity = self.capacity();
        let need = usize::try_from(capacity.saturating_sub(target)).unwrap_or(usize::MAX);
        // Filled in place: a `heapless::Vec` returned by value is copied whole (8 KB at 4096).
        let mut victims = heapless::Vec::<u16, N>::new();
        if need > 0 {
            self.pick_victims(now, current, need, &mut victims);
        }
        // Rebalancing marks are only cleared below, so a group with none skips their scan.
        let marked = !victims.is_empty() && self.members.iter().any(|m| m.rebalance);
        for &i in &victims {
            let i = usize::from(i);
            let to = capacity.saturating_sub(1);
            // A surplus made by a rebalancing launch that is now in service is rebalancing;
            // the launch's mark is used up by the termination it causes.
            let rebalanced = marked
                .then(|| {
                    self.members
                        .iter()
                        .position(|m| m.rebalance && !m.state.is_pending())
                })
                .flatten();
            let cause = match rebalanced.and_then(|j| self.members.get_mut(j)) {
                Some(m) => {
                    m.rebalance = false;
                    Cause::Rebalance
                }
                None => Cause::Difference { from: capacity, to },
            };
            let reuse = self.warm_pool.get().is_some_and(|p| p.reuse_on_scale_in);
            let in_service = self
                .members
                .get(i)
                .is_some_and(|m| m.state == MemberState::InService);
            if reuse && in_service && matches!(cause, Cause::Difference { .. }) {
                self.return_to_pool(now, i, cause);
            } else {
                self.begin_termination(now, i, cause, true);
            }
            capacity = to;
        }
        if victims.len() < need {
            if self.all_protected_at != Some(self.desired) {
                self.all_protected_at = Some(self.desired);
                self.history.start(
                    now,
                    ActivityKind::ScaleIn,
                    None,
                    Cause::AllProtected,
                    ActivityStatus::Failed,
                );
            }
            return;
        }
        // Through `iter_mut` only when a mark is there to clear: it counts as a change to the
        // members (their revision).
        let clears = |m: &Member| m.rebalance && !m.state.is_pending();
        if capacity <= self.desired && self.members.iter().any(clears) {
            for m in self.members.iter_mut().filter(|m| clears(m)) {
                m.rebalance = false;
            }
        }
        self.all_protected_at = None;
    }

    /// The next `k` scale-in victims by zone balance and the termination policies
    /// ([`Picker::victims`]), as indices into the members, into `out`.
    fn pick_victims(
        &mut self,
        now: Instant,
        current: Option<u32>,
        k: usize,
        out: &mut heapless::Vec<u16, N>,
    ) {
        let picker = Picker {
            members: &self.members,
            zones: self.config.zones.len(),
            now,
            current: Current { version: current },
        };
        let eligible = |m: &Member| m.state.counts_toward_capacity() && !m.protected;
        picker.victims(
            &self.config.termination_policies,
            eligible,
            &mut self.draws,
            k,
            out,
        );
    }

    /// Moves member `i` into termination: through the terminating hooks if any (and `hooks`),
    /// else straight to `Terminating:Proceed` with a terminate action owed. A warm-pool member
    /// takes the `Warmed:Terminating` path.
    fn begin_termination(&mut self, now: Instant, i: usize, cause: Cause, hooks: bool) {
        let mask = if hooks {
            self.hook_mask(HookTransition::Terminating)
        } else {
            0
        };
        let wait = self.hook_wait(now, mask);
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        let (id, warm) = (m.id, m.state.is_warm());
        if let Some(seq) = m.activity.take() {
            self.history.set_status(seq, now, ActivityStatus::Cancelled);
        }
        let status = if mask != 0 {
            ActivityStatus::MidLifecycleAction
        } else {
            ActivityStatus::InProgress
        };
        let seq = self
            .history
            .start(now, ActivityKind::Terminate, Some(id), cause, status);
        let Some(m) = self.members.get_mut(i) else {
            return;
        };
        m.activity = Some(seq);
        // A member whose launch is decided but not yet handed out keeps it: the caller gets the
        // launch, then what ends it, never a termination of an id no launch named (issue 19).
        let launch = m.owed & OWE_LAUNCH;
        if mask != 0 {
            m.state = if warm {
                MemberState::WarmedTerminatingWait
            } else {
                MemberState::TerminatingWait
            };
            m.owed = launch | u16::from(mask) << OWE_HOOK_SHIFT;
            self.members.set_wait(i, Some(wait));
        } else {
            m.state = if warm {
                MemberState::WarmedTerminatingProceed
            } else {
                MemberState::TerminatingProceed
            };
            m.owed = launch | OWE_TERMINATE;
            self.members.set_wait(i, None);
        }
    }

    fn rebalance(&mut self, now: Instant, current: Option<u32>) {
        // A mixed group balances units by where it launches and terminates (purchase.rs).
        let Some(version) = current.filter(|_| !self.mixed.is_some()) else {
            return;
        };
        let capacity = self.capacity();
        let busy = self
            .members
            .iter()
            .any(|m| m.state.is_pending() || m.state.is_terminating());
        if busy || capacity != self.desired || capacity == 0 {
            return;
        }
        let counts = self.zone_counts();
        let zones = self.config.zones.len();
        let live = counts.iter().take(zones);
        let (lo, hi) = (
            live.clone().min().copied().unwrap_or(0),
            live.max().copied().unwrap_or(0),
        );
        let misplaced = self
            .members
            .iter()
            .any(|m| m.state.counts_toward_capacity() && usize::from(m.zone) >= zones);
        if hi.saturating_sub(lo) < 2 && !misplaced {
            return;
        }
        // The scale-in that follows the launch must take from a crowded zone (or a removed
        // one): if every member there is protected it would take the new member instead, and
        // rebalancing would launch and terminate for ever.
        let picker = Picker {
            members: &self.members,
            zones,
            now,
            current: Current { version: current },
        };
        let victim_zone = picker.zone(|m| m.state.counts_toward_capacity() && !m.protected);
        let helps = match victim_zone {
            Some(Member::NO_ZONE) => true,
            Some(z) => counts
                .get(usize::from(z))
                .is_some_and(|&c| c >= lo.saturating_add(2)),
            None => false,
        };
        if !helps {
            return;
        }
        // Temporarily above max by at most max(10 % of max, 1) (SEMANTICS §2.4).
        let max = self.config.max_size;
        let limit = max.saturating_add((max / 10).max(1));
        if capacity.saturating_add(1) > limit || self.members.is_full() {
            return;
        }
        let zone = self.emptiest_zone();
        let _ = self.launch_member(now, on_demand(zone), version, Cause::Rebalance, true);
    }

    /// Takes decided actions into `out`, in member order (for each member: start, stop,
    /// launch, hook notifications, terminate), and returns how many it wrote. Call it until it
    /// returns fewer than `out.len()`: the actions left come out of the next call, and an
    /// empty `out` takes none.
    pub fn drain(&mut self, out: &mut [Action]) -> usize {
        let mut slots = out.iter_mut();
        let mut written = 0usize;
        self.emit(|a| match slots.next() {
            Some(slot) => {
                *slot = a;
                written = written.saturating_add(1);
                true
            }
            None => false,
        });
        written
    }

    /// The decided actions, taken out one by one as the iterator goes (member order, as
    /// [`Group::drain`] gives them); those not taken stay for a later call.
    pub fn actions(&mut self) -> Actions<'_, N, P> {
        Actions { group: self }
    }

    /// How many decided actions [`Group::drain`] has still to hand out.
    pub fn pending_actions(&self) -> usize {
        self.members
            .iter()
            .map(|m| {
                // One action per hook bit and per kind bit (hibernate only qualifies a stop).
                let kinds = OWE_START | OWE_STOP | OWE_LAUNCH | OWE_TERMINATE;
                let bits = (m.owed >> OWE_HOOK_SHIFT)
                    .count_ones()
                    .saturating_add((m.owed & kinds).count_ones());
                usize::try_from(bits).unwrap_or(usize::MAX)
            })
            .fold(0usize, usize::saturating_add)
    }

    /// Hands owed actions to `put` in member order from where the last call stopped, until
    /// `put` refuses one (that one stays owed).
    fn emit(&mut self, mut put: impl FnMut(Action) -> bool) {
        // A quiet group owes nothing: the last decision left no action, and every call that
        // could add one since clears the flag (`touch`). Skip the scan of the members.
        if self.quiet.0 {
            return;
        }
        let template = self.config.template;
        let transitions = self.hooks.map(|h| h.map(|h| h.transition));
        // Members before `emit_from` owe nothing since the last decision (unless a member left
        // and shifted the rest): start there, then look at the rest once.
        let len = self.members.len();
        let start = self.emit_from.0.min(len);
        for i in (start..len).chain(0..start) {
            // Most members owe nothing; skip them before the per-kind checks, and before
            // `get_mut`, which counts as a change to the members (their revision).
            if self.members.get(i).is_none_or(|m| m.owed == 0) {
                continue;
            }
            let Some(m) = self.members.get_mut(i) else {
                continue;
            };
            self.emit_from = Cached(i);
            if m.owed & OWE_START != 0 {
                if !put(Action::Start { id: m.id }) {
                    return;
                }
                m.owed &= !OWE_START;
            }
            if m.owed & OWE_STOP != 0 {
                let hibernate = m.owed & OWE_HIBERNATE != 0;
                if !put(Action::Stop {
                    id: m.id,
                    hibernate,
                }) {
                    return;
                }
                m.owed &= !(OWE_STOP | OWE_HIBERNATE);
            }
            if m.owed & OWE_LAUNCH != 0 {
                let version = m.version;
                let action = Action::Launch {
                    id: m.id,
                    zone: m.zone,
                    template,
                    version,
                    market: m.market,
                    instance_type: m.instance_type,
                };
                if !put(action) {
                    return;
                }
                m.owed &= !OWE_LAUNCH;
            }
            for hook in 0..MAX_HOOKS {
                let Ok(hook) = u8::try_from(hook) else { break };
                let owe = u16::from(bit(hook)) << OWE_HOOK_SHIFT;
                if m.owed & owe == 0 {
                    continue;
                }
                let transition = transitions
                    .get(usize::from(hook))
                    .copied()
                    .flatten()
                    .unwrap_or(HookTransition::Terminating);
                if !put(Action::NotifyHook {
                    id: m.id,
                    hook,
                    transition,
                }) {
                    return;
                }
                m.owed &= !owe;
            }
            if m.owed & OWE_TERMINATE != 0 {
                if !put(Action::Terminate { id: m.id }) {
                    return;
                }
                m.owed &= !OWE_TERMINATE;
            }
        }
        self.emit_from = Cached(0);
    }

    // ----- small helpers ---------------------------------------------------------------

    /// As [`Self::index`], searching from after the member found last (and round), so events
    /// in member order cost O(1) each instead of O(N).
    fn find(&mut self, id: InstanceId) -> Result<usize, GroupError> {
        let start = self.quiet.1.min(self.members.len());
        let i = self
            .members
            .iter()
            .enumerate()
            .skip(start)
            .chain(self.members.iter().enumerate().take(start))
            .find(|(_, m)| m.id == id && m.state != MemberState::Terminated)
            .map(|(i, _)| i)
            .ok_or(GroupError::UnknownMember { id })?;
        self.quiet.1 = i.saturating_add(1);
        Ok(i)
    }

    fn index(&self, id: InstanceId) -> Result<usize, GroupError> {
        self.members
            .iter()
            .position(|m| m.id == id)
            .ok_or(GroupError::UnknownMember { id })
    }

    fn indices<'a>(&'a self, ids: &'a [InstanceId]) -> heapless::Vec<usize, MAX_IDS_PER_CALL> {
        let mut v = heapless::Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            if ids.contains(&m.id) {
                let _ = v.push(i);
            }
        }
        v
    }

    fn check_members(
        &self,
        ids: &[InstanceId],
        limit: usize,
        ok: impl Fn(MemberState) -> bool,
    ) -> Result<(), GroupError> {
        check_count(ids, limit)?;
        for &id in ids {
            let m = self.member(id)?;
            if !ok(m.state) {
                return Err(GroupError::WrongMemberState {
                    id,
                    state: m.state.as_str(),
                });
            }
        }
        Ok(())
    }

    fn desired_minus(&self, n: u32) -> Result<u32, GroupError> {
        let desired = self.desired.saturating_sub(n);
        let min = self.config.min_size;
        if desired < min || n > self.desired {
            return Err(GroupError::BelowMin { desired, min });
        }
        Ok(desired)
    }

    fn desired_plus(&self, n: u32) -> Result<u32, GroupError> {
        let desired = self.desired.saturating_add(n);
        let max = self.config.max_size;
        if desired > max {
            return Err(GroupError::AboveMax { desired, max });
        }
        Ok(desired)
    }

    fn suspended_health(&self) -> bool {
        self.is_suspended(Process::HealthCheck)
    }

    fn zone_counts(&self) -> [u32; MAX_ZONES] {
        let mut counts = [0u32; MAX_ZONES];
        for m in self
            .members
            .iter()
            .filter(|m| m.state.counts_toward_capacity())
        {
            if let Some(c) = counts.get_mut(usize::from(m.zone)) {
                *c = c.saturating_add(1);
            }
        }
        counts
    }

    /// The zone with the fewest members launching or in service; ties go to the first listed.
    fn emptiest_zone(&self) -> u8 {
        self.emptiest_of(&self.zone_counts())
    }

    /// The zone with the smallest count in `counts`; ties go to the first listed.
    fn emptiest_of(&self, counts: &[u32; MAX_ZONES]) -> u8 {
        let mut best = (0u8, u32::MAX);
        for (z, &c) in counts.iter().enumerate().take(self.config.zones.len()) {
            if c < best.1 {
                best = (u8::try_from(z).unwrap_or(0), c);
            }
        }
        best.0
    }
}

/// A launch without a mixed-instances policy: On-Demand, price-table type 0, weight 1.
const fn on_demand(zone: u8) -> Launch {
    Launch {
        market: MarketKind::OnDemand,
        instance_type: 0,
        zone,
        weight: 1,
    }
}

/// The bits of the hooks in `hooks` for `transition`.
fn hook_mask(hooks: &[Option<LifecycleHook>; MAX_HOOKS], transition: HookTransition) -> u8 {
    hooks.iter().enumerate().fold(0u8, |mask, (i, h)| match h {
        Some(h) if h.transition == transition => mask | bit(u8::try_from(i).unwrap_or(0)),
        _ => mask,
    })
}

fn bit(hook: u8) -> u8 {
    1u8.checked_shl(u32::from(hook)).unwrap_or(0)
}

fn count<T>(it: impl Iterator<Item = T>) -> u32 {
    u32::try_from(it.count()).unwrap_or(u32::MAX)
}

fn distinct(ids: &[InstanceId]) -> u32 {
    count(
        ids.iter()
            .enumerate()
            .filter(|(i, id)| !ids.iter().take(*i).any(|o| o == *id)),
    )
}

fn check_count(ids: &[InstanceId], limit: usize) -> Result<(), GroupError> {
    if ids.len() > limit {
        return Err(GroupError::TooManyIds {
            count: ids.len(),
            limit,
        });
    }
    Ok(())
}

fn in_grace(m: &Member, now: Instant, grace: Duration) -> bool {
    match m.in_service_at.get() {
        Some(t) => now < t.saturating_add(grace),
        None => true,
    }
}

/// The EC2 health check: running is healthy, and so is pending while a launch is in flight;
/// anything else is unhealthy at once (SEMANTICS §2.2). Standby members are not checked.
fn check_ec2(m: &mut Member) {
    if ec2_marks(m) {
        mark_unhealthy(m, HealthSource::Ec2);
    }
}

/// Whether [`check_ec2`] changes `m`: a member counting toward capacity whose instance is not
/// in the state it needs, and still healthy (a member already unhealthy stays as it is).
fn ec2_marks(m: &Member) -> bool {
    let expected = m.ec2 == InstanceState::Running
        || (m.state.is_pending() && m.ec2 == InstanceState::Pending);
    !expected && m.state.counts_toward_capacity() && m.health == Health::Healthy
}

fn mark_unhealthy(m: &mut Member, source: HealthSource) {
    if m.health == Health::Healthy {
        m.health = Health::Unhealthy;
        m.health_source = Some(source);
    }
}

#[cfg(test)]
mod tests;
