//! Group configuration: sizes, zones, template, health and termination settings (SEMANTICS §2).

use crate::catalog::VersionSpec;
use crate::group::GroupError;
use crate::id::TemplateId;
use crate::time::Duration;

pub use crate::zone::{MAX_ZONES, ZONE_NAME_MAX, ZoneName};
/// The most termination policies a group lists (there are six distinct values).
pub const MAX_TERMINATION_POLICIES: usize = 6;
/// `SEMANTICS §2.1`: the default cooldown of a group.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(300);

/// The shortest `MaxInstanceLifetime` (one day).
pub const MIN_INSTANCE_LIFETIME: Duration = Duration::from_hours(24);

vocabulary! {
    /// A termination policy (SEMANTICS §2.6). Lambda policies have no equivalent here.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum TerminationPolicy: "termination policy" {
        /// Outdated launch template first, then closest to the next billing hour, then a seeded
        /// random pick.
        Default = 0 => "default" | "Default",
        /// Realign to the allocation strategy. Until mixed-instances groups exist this selects
        /// nothing and passes every candidate on.
        AllocationStrategy = 1 => "allocation_strategy" | "AllocationStrategy",
        /// The instance closest to its next billing hour.
        ClosestToNextInstanceHour = 2 => "closest_to_next_instance_hour" | "ClosestToNextInstanceHour",
        /// The most recently launched instance.
        NewestInstance = 3 => "newest_instance" | "NewestInstance",
        /// The least recently launched instance.
        OldestInstance = 4 => "oldest_instance" | "OldestInstance",
        /// An instance from a template other than the group's, then the oldest version of the
        /// group's template.
        OldestLaunchTemplate = 5 => "oldest_launch_template" | "OldestLaunchTemplate",
    }
}

/// `CreateAutoScalingGroup` parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct GroupConfig {
    /// `MinSize`.
    pub min_size: u32,
    /// `MaxSize`; at most the group's capacity `N`.
    pub max_size: u32,
    /// `DesiredCapacity`; defaults to `min_size` when `None` (SEMANTICS §2.1).
    pub desired_capacity: Option<u32>,
    /// The zones to launch into, in order (ties go to the first).
    pub zones: heapless::Vec<ZoneName, MAX_ZONES>,
    /// The launch template.
    pub template: TemplateId,
    /// The template version; `$Default` and `$Latest` are resolved at each launch.
    pub version: VersionSpec,
    /// `HealthCheckGracePeriod` (API default 0 s).
    pub health_check_grace_period: Duration,
    /// `DefaultCooldown` (default 300 s).
    pub default_cooldown: Duration,
    /// `DefaultInstanceWarmup` (unset by default).
    pub default_instance_warmup: Option<Duration>,
    /// `TerminationPolicies`, evaluated in order (default `[Default]`).
    pub termination_policies: heapless::Vec<TerminationPolicy, MAX_TERMINATION_POLICIES>,
    /// `NewInstancesProtectedFromScaleIn` (default off).
    pub new_instances_protected_from_scale_in: bool,
    /// `MaxInstanceLifetime`: members older than this are replaced (unset by default; at
    /// least 86 400 s when set, SEMANTICS §2.11).
    pub max_instance_lifetime: Option<Duration>,
}

impl GroupConfig {
    /// A configuration with the service's defaults: desired = min, one zone named `zone`,
    /// `$Default` version, grace 0 s, cooldown 300 s, the `Default` termination policy.
    ///
    /// # Errors
    /// [`GroupError::InvalidZones`] if `zone` is empty or too long.
    pub fn new(
        min_size: u32,
        max_size: u32,
        template: TemplateId,
        zone: &str,
    ) -> Result<Self, GroupError> {
        let mut zones = heapless::Vec::new();
        zones
            .push(zone_name(zone)?)
            .map_err(|_| GroupError::InvalidZones)?;
        let mut termination_policies = heapless::Vec::new();
        termination_policies
            .push(TerminationPolicy::Default)
            .map_err(|_| GroupError::InvalidTerminationPolicies)?;
        Ok(Self {
            min_size,
            max_size,
            desired_capacity: None,
            zones,
            template,
            version: VersionSpec::Default,
            health_check_grace_period: Duration::ZERO,
            default_cooldown: DEFAULT_COOLDOWN,
            default_instance_warmup: None,
            termination_policies,
            new_instances_protected_from_scale_in: false,
            max_instance_lifetime: None,
        })
    }

    /// A configuration of no zones and no size, never validated: the placeholder a group is
    /// built around before [`crate::group::Group::restore_into`] replaces all of it.
    pub(crate) fn blank() -> Self {
        Self {
            min_size: 0,
            max_size: 0,
            desired_capacity: None,
            zones: heapless::Vec::new(),
            template: TemplateId::from_u64(0),
            version: VersionSpec::Default,
            health_check_grace_period: Duration::ZERO,
            default_cooldown: DEFAULT_COOLDOWN,
            default_instance_warmup: None,
            termination_policies: heapless::Vec::new(),
            new_instances_protected_from_scale_in: false,
            max_instance_lifetime: None,
        }
    }

    /// Adds a zone after the existing ones.
    ///
    /// # Errors
    /// [`GroupError::InvalidZones`] for an empty, too long or repeated name, or a ninth zone.
    pub fn add_zone(&mut self, zone: &str) -> Result<(), GroupError> {
        let name = zone_name(zone)?;
        if self.zones.contains(&name) {
            return Err(GroupError::InvalidZones);
        }
        self.zones.push(name).map_err(|_| GroupError::InvalidZones)
    }

    /// Checks the configuration as `CreateAutoScalingGroup` does, for a group of capacity `n`.
    ///
    /// # Errors
    /// [`GroupError::MaxBelowMin`], [`GroupError::DesiredOutOfRange`],
    /// [`GroupError::MaxAboveCapacity`], [`GroupError::InvalidZones`],
    /// [`GroupError::InvalidTerminationPolicies`] or [`GroupError::OutOfRange`].
    pub fn validate(&self, n: usize) -> Result<(), GroupError> {
        let (min, max) = (self.min_size, self.max_size);
        if max < min {
            return Err(GroupError::MaxBelowMin { min, max });
        }
        let desired = self.desired_capacity.unwrap_or(min);
        if desired < min || desired > max {
            return Err(GroupError::DesiredOutOfRange { desired, min, max });
        }
        if usize::try_from(max).map_or(true, |m| m > n) {
            return Err(GroupError::MaxAboveCapacity { max, capacity: n });
        }
        if self.zones.is_empty() {
            return Err(GroupError::InvalidZones);
        }
        for (i, z) in self.zones.iter().enumerate() {
            if z.is_empty() || self.zones.iter().skip(i.saturating_add(1)).any(|o| o == z) {
                return Err(GroupError::InvalidZones);
            }
        }
        // `Default` must be last when listed; each policy at most once.
        let policies = &self.termination_policies;
        if policies.is_empty() {
            return Err(GroupError::InvalidTerminationPolicies);
        }
        for (i, p) in policies.iter().enumerate() {
            let last = i.saturating_add(1) == policies.len();
            let repeated = policies.iter().skip(i.saturating_add(1)).any(|o| o == p);
            if repeated || (*p == TerminationPolicy::Default && !last) {
                return Err(GroupError::InvalidTerminationPolicies);
            }
        }
        if let Some(l) = self.max_instance_lifetime
            && l < MIN_INSTANCE_LIFETIME
        {
            return Err(GroupError::OutOfRange {
                field: "MaxInstanceLifetime",
            });
        }
        if let Some(w) = self.default_instance_warmup
            && w > Duration::from_secs(3600)
        {
            return Err(GroupError::OutOfRange {
                field: "DefaultInstanceWarmup",
            });
        }
        Ok(())
    }
}

fn zone_name(zone: &str) -> Result<ZoneName, GroupError> {
    if zone.is_empty() {
        return Err(GroupError::InvalidZones);
    }
    let mut s = ZoneName::new();
    s.push_str(zone).map_err(|_| GroupError::InvalidZones)?;
    Ok(s)
}

vocabulary! {
    /// Which lifecycle transition a hook pauses (`autoscaling:EC2_INSTANCE_*`; `aws_str` gives
    /// the service's spelling).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum HookTransition: "lifecycle transition" {
        /// `autoscaling:EC2_INSTANCE_LAUNCHING`.
        Launching = 1 => "launching" | "autoscaling:EC2_INSTANCE_LAUNCHING",
        /// `autoscaling:EC2_INSTANCE_TERMINATING`.
        Terminating = 2 => "terminating" | "autoscaling:EC2_INSTANCE_TERMINATING",
    }
}

vocabulary! {
    /// `CONTINUE` or `ABANDON` (SEMANTICS §2.8; `aws_str` gives the service's spelling).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum HookResult: "lifecycle hook result" {
        /// `CONTINUE`.
        Continue = 1 => "continue" | "CONTINUE",
        /// `ABANDON` (the default result).
        #[default]
        Abandon = 2 => "abandon" | "ABANDON",
    }
}

/// The most lifecycle hooks a group holds (the service allows 50; a controller needs few).
pub const MAX_HOOKS: usize = 8;
/// Shortest heartbeat timeout.
pub const HEARTBEAT_MIN: Duration = Duration::from_secs(30);
/// Longest heartbeat timeout.
pub const HEARTBEAT_MAX: Duration = Duration::from_secs(7200);
/// The default heartbeat timeout.
pub const HEARTBEAT_DEFAULT: Duration = Duration::from_secs(3600);
/// The cap on a hook's global timeout.
pub const GLOBAL_TIMEOUT_CAP: Duration = Duration::from_hours(48);

/// `PutLifecycleHook` parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct LifecycleHook {
    /// Which transition it pauses.
    pub transition: HookTransition,
    /// `HeartbeatTimeout`, 30–7200 s (default 3600 s).
    pub heartbeat_timeout: Duration,
    /// `DefaultResult` on timeout (default `ABANDON`).
    pub default_result: HookResult,
}

impl LifecycleHook {
    /// A hook with the default timeout and result.
    pub const fn new(transition: HookTransition) -> Self {
        Self {
            transition,
            heartbeat_timeout: HEARTBEAT_DEFAULT,
            default_result: HookResult::Abandon,
        }
    }

    /// `GlobalTimeout` = min(48 h, 100 × heartbeat timeout).
    pub fn global_timeout(&self) -> Duration {
        let hundred = self.heartbeat_timeout.saturating_mul(100);
        if hundred < GLOBAL_TIMEOUT_CAP {
            hundred
        } else {
            GLOBAL_TIMEOUT_CAP
        }
    }

    /// Checks the heartbeat timeout range.
    ///
    /// # Errors
    /// [`GroupError::HeartbeatOutOfRange`].
    pub fn validate(&self) -> Result<(), GroupError> {
        let t = self.heartbeat_timeout;
        if t < HEARTBEAT_MIN || t > HEARTBEAT_MAX {
            return Err(GroupError::HeartbeatOutOfRange {
                seconds: t.total_secs(),
            });
        }
        Ok(())
    }
}

vocabulary! {
    /// `PoolState`: what a warm pool keeps its instances as (SEMANTICS §2.9).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum PoolState: "warm pool state" {
        /// Stopped (the default): cheapest, slowest to start.
        #[default]
        Stopped = 0 => "stopped" | "Stopped",
        /// Running: fastest, billed.
        Running = 1 => "running" | "Running",
        /// Hibernated: RAM kept; needs hibernation support, else EC2 stops it.
        Hibernated = 2 => "hibernated" | "Hibernated",
    }
}

/// `PutWarmPool` parameters (SEMANTICS §2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct WarmPool {
    /// `MinSize` (default 0): the pool never shrinks below this.
    pub min_size: u32,
    /// `MaxGroupPreparedCapacity`: group plus pool size; `None` means the group's max size.
    pub max_group_prepared_capacity: Option<u32>,
    /// `PoolState` (default stopped).
    pub pool_state: PoolState,
    /// `InstanceReusePolicy.ReuseOnScaleIn` (default off): scale-in returns members to the pool
    /// instead of terminating them.
    pub reuse_on_scale_in: bool,
}

impl WarmPool {
    /// The pool's target size for a group at `desired` with max size `max`:
    /// max(`MinSize`, prepared capacity − desired).
    pub fn target(&self, desired: u32, max: u32) -> u32 {
        let prepared = self.max_group_prepared_capacity.unwrap_or(max);
        prepared.saturating_sub(desired).max(self.min_size)
    }
}

vocabulary! {
    /// A suspendable process (SEMANTICS §2.4); its C number is its bit in a suspension mask.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    #[non_exhaustive]
    pub enum Process: "process" {
        /// New launches (scale-out, replacement, rebalancing).
        Launch = 1 => "Launch" | "launch",
        /// Terminations for scale-in and rebalancing.
        Terminate = 2 => "Terminate" | "terminate",
        /// Marking members unhealthy from EC2 state reports.
        HealthCheck = 4 => "HealthCheck" | "health_check",
        /// Replacing unhealthy members.
        ReplaceUnhealthy = 8 => "ReplaceUnhealthy" | "replace_unhealthy",
        /// Zone rebalancing.
        AzRebalance = 16 => "AZRebalance" | "az_rebalance",
        /// Alarm-driven policy execution.
        AlarmNotification = 32 => "AlarmNotification" | "alarm_notification",
        /// Scheduled actions.
        ScheduledActions = 64 => "ScheduledActions" | "scheduled_actions",
        /// Instance refresh.
        InstanceRefresh = 128 => "InstanceRefresh" | "instance_refresh",
    }
}

impl Process {
    /// The bit of this process in a suspension mask (its C number).
    pub const fn bit(self) -> u16 {
        self as u16
    }
}
