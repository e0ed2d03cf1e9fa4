//! The parts of a group document that make it scale by itself: the metrics it keeps, the
//! alarms on them that run its simple and step policies, a predictive policy, lifecycle hooks
//! and a warm pool (SEMANTICS §2.7, §2.9, §3.1–3.2, §3.7).
//!
//! Model: a document names metrics by their position in `metrics`, as the API numbers them
//! (`put_metric` returns 0, 1, …), and policies by their position in `policies`; so
//! `"metric": 0` in a target-tracking policy, an alarm or the predictive policy is the first
//! metric of the list, which must exist. An alarm's `policy` must be a simple or step policy
//! (a target-tracking policy owns its alarms, §3.3).

use core::fmt::Write as _;
use core::mem::MaybeUninit;

use serde::{Deserialize, Serialize};

use super::LocatedError;
use super::scan::Seg;
use super::schema::{Conv, GroupDoc, PolicyKind, bad, decimal, index, secs, within};
use crate::config::ConfigError;
use crate::group::GroupError;
use crate::group::{
    Group, HEARTBEAT_DEFAULT, HookResult, HookTransition, LifecycleHook, List, MEMBER_METRICS,
    METRIC_NAME_MAX, Parts, PoolState, ScheduledAction, Source, WarmPool,
};
use crate::id::TemplateId;
use crate::scaling::predictive::{DEFAULT_BUFFER, MaxBreach, Mode, PredictiveConfig};
use crate::scaling::{AlarmConfig, Comparison, MissingData, Statistic, Value, check_period};
use crate::time::{Duration, Instant};

/// A metric the group keeps (SEMANTICS §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct MetricDoc {
    /// 1–32 characters, unique in the group.
    pub name: heapless::String<METRIC_NAME_MAX>,
    /// Seconds per datapoint: 10, 20, 30 or a multiple of 60 (default 60).
    #[serde(default = "default_period")]
    pub period_s: u32,
    /// `members` (default) or `group`; at most two per-member metrics.
    #[serde(default)]
    pub source: Source,
}

fn default_period() -> u32 {
    60
}

/// A metric alarm whose action is one of the group's simple or step policies (SEMANTICS §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct AlarmDoc {
    /// The metric, by its position in the group's `metrics`.
    pub metric: u8,
    /// `ComparisonOperator`.
    pub comparison: Comparison,
    /// `Threshold`.
    #[serde(with = "decimal")]
    pub threshold: Value,
    /// `EvaluationPeriods` (default 1); the periods span at most a day (a week for hourly
    /// metrics).
    #[serde(default = "default_periods")]
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm` (default: `evaluation_periods`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<u32>,
    /// `Statistic` (default `average`).
    #[serde(default)]
    pub statistic: Statistic,
    /// `TreatMissingData` (default `missing`).
    #[serde(default)]
    pub missing_data: MissingData,
    /// The policy the alarm runs, by its position in the group's `policies`.
    pub policy: u8,
}

fn default_periods() -> u32 {
    1
}

/// A predictive scaling policy over one group metric of load (SEMANTICS §3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct PredictiveDoc {
    /// The load, by its position in the group's `metrics`; a `group` metric.
    pub metric: u8,
    /// `forecast_only` (default) or `forecast_and_scale`.
    #[serde(default)]
    pub mode: Mode,
    /// The load one member should carry (`TargetValue`), positive.
    #[serde(with = "decimal")]
    pub target_per_member: Value,
    /// `SchedulingBufferTime` in seconds, under an hour (default 300).
    #[serde(default = "default_buffer")]
    pub buffer_s: u32,
    /// `MaxCapacityBuffer` in percent, 0–100: present means `IncreaseMaxCapacity`, absent
    /// `HonorMaxCapacity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity_buffer_percent: Option<u32>,
}

fn default_buffer() -> u32 {
    u32::try_from(DEFAULT_BUFFER.total_secs()).unwrap_or(u32::MAX)
}

/// A lifecycle hook (SEMANTICS §2.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct HookDoc {
    /// `launching` or `terminating`.
    pub transition: HookTransition,
    /// `HeartbeatTimeout` in seconds, 30–7200 (default 3600).
    #[serde(default = "default_heartbeat")]
    pub heartbeat_timeout_s: u32,
    /// `DefaultResult` (default `abandon`).
    #[serde(default)]
    pub default_result: HookResult,
}

fn default_heartbeat() -> u32 {
    u32::try_from(HEARTBEAT_DEFAULT.total_secs()).unwrap_or(u32::MAX)
}

/// A warm pool (SEMANTICS §2.9).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct WarmPoolDoc {
    /// `MinSize` (default 0).
    #[serde(default)]
    pub min_size: u32,
    /// `MaxGroupPreparedCapacity` (default: the group's max size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_group_prepared_capacity: Option<u32>,
    /// `PoolState` (default `stopped`).
    #[serde(default)]
    pub pool_state: PoolState,
    /// `InstanceReusePolicy.ReuseOnScaleIn` (default false).
    #[serde(default)]
    pub reuse_on_scale_in: bool,
}

impl MetricDoc {
    /// The metric's period and source, checked as `put_metric` checks them.
    pub(super) fn convert(&self) -> Conv<(Duration, Source)> {
        if self.name.is_empty() {
            return Err(bad(
                ConfigError::Invalid {
                    expected: "a name of 1 to 32 characters",
                },
                &[Seg::Field("name")],
            ));
        }
        let period = secs(self.period_s);
        check_period(period).map_err(|e| bad(e, &[Seg::Field("period_s")]))?;
        let source = self.source;
        Ok((period, source))
    }
}

impl AlarmDoc {
    /// The alarm's configuration for a metric of `period`.
    pub(super) fn convert(&self, period: Duration) -> Conv<AlarmConfig> {
        let config = AlarmConfig {
            statistic: self.statistic,
            comparison: self.comparison,
            threshold: self.threshold,
            evaluation_periods: self.evaluation_periods,
            datapoints_to_alarm: self.datapoints_to_alarm,
            missing_data: self.missing_data,
        };
        config.validate(period).map_err(|e| {
            let field = if self.evaluation_periods == 0
                || self.datapoints_to_alarm.is_none()
                || self
                    .datapoints_to_alarm
                    .is_some_and(|m| m > 0 && m <= self.evaluation_periods)
            {
                "evaluation_periods"
            } else {
                "datapoints_to_alarm"
            };
            bad(e, &[Seg::Field(field)])
        })?;
        Ok(config)
    }
}

impl PredictiveDoc {
    /// The policy's configuration, checked as `PutScalingPolicy` checks it.
    pub(super) fn convert(&self) -> Conv<PredictiveConfig> {
        let config = PredictiveConfig {
            mode: self.mode,
            target_per_member: self.target_per_member,
            buffer: secs(self.buffer_s),
            max_breach: match self.max_capacity_buffer_percent {
                None => MaxBreach::HonorMaxCapacity,
                Some(buffer_percent) => MaxBreach::IncreaseMaxCapacity { buffer_percent },
            },
        };
        config.validate().map_err(|e| {
            let field = if config.target_per_member <= Value::ZERO {
                "target_per_member"
            } else if config.buffer >= Duration::from_hours(1) {
                "buffer_s"
            } else {
                "max_capacity_buffer_percent"
            };
            bad(e, &[Seg::Field(field)])
        })?;
        Ok(config)
    }
}

impl HookDoc {
    /// The hook, checked as `PutLifecycleHook` checks it.
    pub(super) fn convert(&self) -> Conv<LifecycleHook> {
        let hook = LifecycleHook {
            transition: self.transition,
            heartbeat_timeout: secs(self.heartbeat_timeout_s),
            default_result: self.default_result,
        };
        hook.validate()
            .map_err(|e| bad(e, &[Seg::Field("heartbeat_timeout_s")]))?;
        Ok(hook)
    }
}

impl WarmPoolDoc {
    /// The pool, checked against the group's `max_size` as `PutWarmPool` checks it (its
    /// capacity `N` is checked when it is applied).
    pub(super) fn convert(&self, max_size: u32) -> Conv<WarmPool> {
        let prepared = self.max_group_prepared_capacity.unwrap_or(max_size);
        if self.min_size > prepared && self.max_group_prepared_capacity.is_some() {
            return Err(bad(
                GroupError::OutOfRange { field: "MinSize" },
                &[Seg::Field("min_size")],
            ));
        }
        Ok(WarmPool {
            min_size: self.min_size,
            max_group_prepared_capacity: self.max_group_prepared_capacity,
            pool_state: self.pool_state,
            reuse_on_scale_in: self.reuse_on_scale_in,
        })
    }
}

impl GroupDoc {
    /// Checks the metrics, alarms, predictive policy, hooks and warm pool, and every
    /// reference to a metric or policy by position.
    pub(super) fn convert_dynamic(&self) -> Conv<()> {
        let mut member_metrics = 0_usize;
        for (i, m) in self.metrics.iter().enumerate() {
            let at = [Seg::Field("metrics"), index(i)];
            let (_, source) = m.convert().map_err(within(&at))?;
            if self.metrics.iter().take(i).any(|o| o.name == m.name) {
                return Err(bad(
                    ConfigError::DuplicateName { what: "metric" },
                    &[at[0], at[1], Seg::Field("name")],
                ));
            }
            if source == Source::Members {
                member_metrics = member_metrics.saturating_add(1);
                if member_metrics > MEMBER_METRICS {
                    return Err(bad(
                        GroupError::TooManyMetrics,
                        &[at[0], at[1], Seg::Field("source")],
                    ));
                }
            }
        }
        let metric = |m: u8, at: &[Seg]| -> Conv<&MetricDoc> {
            self.metrics.get(usize::from(m)).ok_or_else(|| {
                let mut path: heapless::Vec<Seg, 4> = at.iter().copied().collect();
                let _ = path.push(Seg::Field("metric"));
                bad(ConfigError::UnknownReference { what: "metric" }, &path)
            })
        };
        for (i, p) in self.policies.iter().enumerate() {
            if let (PolicyKind::TargetTracking, Some(m)) = (p.kind, p.metric) {
                metric(m, &[Seg::Field("policies"), index(i)])?;
            }
        }
        for (i, a) in self.alarms.iter().enumerate() {
            let at = [Seg::Field("alarms"), index(i)];
            let m = metric(a.metric, &at)?;
            let period = secs(m.period_s);
            a.convert(period).map_err(within(&at))?;
            match self.policies.get(usize::from(a.policy)).map(|p| p.kind) {
                Some(PolicyKind::Simple | PolicyKind::Step) => {}
                _ => {
                    return Err(bad(
                        ConfigError::UnknownReference {
                            what: "simple or step policy",
                        },
                        &[at[0], at[1], Seg::Field("policy")],
                    ));
                }
            }
        }
        if let Some(p) = &self.predictive {
            let at = [Seg::Field("predictive")];
            p.convert().map_err(within(&at))?;
            if metric(p.metric, &at)?.source != Source::Group {
                return Err(bad(
                    ConfigError::Invalid {
                        expected: "a metric with source \"group\"",
                    },
                    &[at[0], Seg::Field("metric")],
                ));
            }
        }
        for (i, h) in self.lifecycle_hooks.iter().enumerate() {
            h.convert()
                .map_err(within(&[Seg::Field("lifecycle_hooks"), index(i)]))?;
        }
        if let Some(w) = &self.warm_pool {
            w.convert(self.max_size)
                .map_err(within(&[Seg::Field("warm_pool")]))?;
        }
        Ok(())
    }
}

/// A refusal by [`GroupDoc::build`] or [`GroupDoc::apply`]: what and where, the path relative
/// to the group document (such as `scheduled_actions[3]`; empty for the group as a whole). No
/// byte position: the document was already parsed.
fn refused(error: impl Into<ConfigError>, path: &str) -> LocatedError {
    let mut p = super::Path::new();
    let _ = p.push_str(path);
    LocatedError {
        error: error.into(),
        location: super::Location {
            offset: 0,
            line: 0,
            column: 0,
            path: p,
        },
    }
}

impl GroupDoc {
    /// Builds the group the document describes, with template `template` and id seed `seed`,
    /// its lists applied at `now` ([`GroupDoc::apply`]).
    ///
    /// # Errors
    /// The first problem, as [`GroupDoc::apply`] reports it; `to_config`'s (such as a
    /// `max_size` above `N`) with an empty path.
    pub fn build<const N: usize, P: Parts>(
        &self,
        now: Instant,
        template: TemplateId,
        seed: u64,
    ) -> Result<Group<N, P>, LocatedError> {
        let config = self.to_config(template, N).map_err(|e| refused(e, ""))?;
        let mut group = Group::new(config, seed).map_err(|e| refused(e, ""))?;
        self.apply(now, &mut group)?;
        Ok(group)
    }

    /// Gives `group` (as `Group::new` made it from [`GroupDoc::to_config`]) the document's
    /// scheduled actions, metrics, policies, alarms (started at `now`), predictive policy,
    /// lifecycle hooks and warm pool, so that positions in the document are the indices the
    /// group returns.
    ///
    /// On error the group is left as it was: a document `from_slice` accepted applies unless
    /// the group already holds metrics, policies, alarms, hooks, scheduled actions or a warm
    /// pool of its own, its capacities (`N`, `S`) are too small, or two scheduled actions first
    /// run at the same time from `now` (which only the group can tell).
    ///
    /// # Errors
    /// The first problem, with its path relative to the group document (line 0: no position).
    pub fn apply<const N: usize, P: Parts>(
        &self,
        now: Instant,
        group: &mut Group<N, P>,
    ) -> Result<(), LocatedError> {
        self.apply_with(now, group, &[])
    }

    /// [`GroupDoc::apply`] with the controller document's own instance types, which the
    /// `purchase` section may price.
    ///
    /// # Errors
    /// As [`GroupDoc::apply`].
    pub fn apply_with<const N: usize, P: Parts>(
        &self,
        now: Instant,
        group: &mut Group<N, P>,
        custom: &[super::InstanceTypeDoc],
    ) -> Result<(), LocatedError> {
        let purchase = self.purchase_for(now, group, custom)?;
        let policies = self.convert_policies().map_err(|f| located_fault(&f))?;
        let scheduled = self.convert_scheduled().map_err(|f| located_fault(&f))?;
        self.convert_dynamic().map_err(|f| located_fault(&f))?;
        let busy = |what| refused(GroupError::OutOfRange { field: what }, "");
        if !group.metrics().is_empty()
            || !group.scaling_policies().is_empty()
            || !group.alarms().is_empty()
        {
            return Err(busy("metrics, policies or alarms already set"));
        }
        if group.hooks().iter().any(Option::is_some) || group.warm_pool().is_some() {
            return Err(busy("hooks or warm pool already set"));
        }
        if !group.scheduled_actions().is_empty() {
            return Err(busy("scheduled actions already set"));
        }
        if scheduled.len() > <P::Scheduled as List<ScheduledAction>>::CAPACITY {
            return Err(refused(GroupError::TooManyScheduled, "scheduled_actions"));
        }
        if let Some(w) = &self.warm_pool {
            if usize::try_from(w.min_size).map_or(true, |m| m > N) {
                return Err(refused(
                    GroupError::OutOfRange { field: "MinSize" },
                    "warm_pool.min_size",
                ));
            }
            if group.mixed_instances().is_some() {
                return Err(refused(GroupError::WarmPoolWithMixedInstances, "warm_pool"));
            }
        }
        // Scheduled actions first: only they can still be refused (a conflict depends on
        // `now`), and taking back the ones already put leaves the group as it was.
        for (j, a) in scheduled.iter().enumerate() {
            if let Err(e) = group.put_scheduled_action(now, a.clone()) {
                for put in scheduled.iter().take(j) {
                    let _ = group.delete_scheduled_action(&put.name);
                }
                let mut path = super::Path::new();
                let _ = write!(path, "scheduled_actions[{j}]");
                return Err(refused(e, &path));
            }
        }
        for (i, m) in self.metrics.iter().enumerate() {
            let (period, source) = m.convert().map_err(|f| located_fault(&f))?;
            group
                .put_metric(&m.name, period, source)
                .map_err(|e| indexed(e, "metrics", i))?;
        }
        for (i, p) in policies.into_iter().enumerate() {
            group
                .put_scaling_policy(p)
                .map_err(|e| indexed(e, "policies", i))?;
        }
        for (i, a) in self.alarms.iter().enumerate() {
            let period = secs(
                self.metrics
                    .get(usize::from(a.metric))
                    .map_or(0, |m| m.period_s),
            );
            let config = a.convert(period).map_err(|f| located_fault(&f))?;
            group
                .put_alarm(now, a.metric, config, a.policy)
                .map_err(|e| indexed(e, "alarms", i))?;
        }
        if let Some(p) = &self.predictive {
            let config = p.convert().map_err(|f| located_fault(&f))?;
            group
                .put_predictive_policy(config, p.metric)
                .map_err(|e| refused(e, "predictive"))?;
        }
        for (i, h) in self.lifecycle_hooks.iter().enumerate() {
            let hook = h.convert().map_err(|f| located_fault(&f))?;
            group
                .put_lifecycle_hook(hook)
                .map_err(|e| indexed(e, "lifecycle_hooks", i))?;
        }
        if let Some(w) = &self.warm_pool {
            let pool = w.convert(self.max_size).map_err(|f| located_fault(&f))?;
            group
                .put_warm_pool(pool)
                .map_err(|e| refused(e, "warm_pool"))?;
        }
        if let Some(c) = purchase {
            super::purchase::apply(c, now, group).map_err(|(e, field)| {
                let mut path = super::Path::new();
                let _ = write!(path, "purchase.{field}");
                refused(e, &path)
            })?;
        }
        Ok(())
    }

    /// The `purchase` section converted, and checked against what `group` stores, before
    /// anything changes.
    fn purchase_for<const N: usize, P: Parts>(
        &self,
        now: Instant,
        group: &Group<N, P>,
        custom: &[super::InstanceTypeDoc],
    ) -> Result<Option<super::purchase::Converted>, LocatedError> {
        let purchase = self
            .convert_purchase(now, custom)
            .map_err(|f| located_fault(&f))?;
        let rebalance = purchase
            .as_ref()
            .and_then(|c| c.mixed.as_ref())
            .is_some_and(|m| m.capacity_rebalance);
        if rebalance && !group.stores_replacements() {
            return Err(refused(
                GroupError::PartNotStored {
                    part: "Capacity Rebalancing's replacements",
                },
                "purchase.mixed_instances.capacity_rebalance",
            ));
        }
        if purchase.is_some() && !group.stores_ledger() {
            return Err(refused(
                GroupError::PartNotStored {
                    part: "a price ledger",
                },
                "purchase",
            ));
        }
        if group.prices().is_some() {
            return Err(refused(
                GroupError::OutOfRange {
                    field: "prices already set",
                },
                "purchase",
            ));
        }
        Ok(purchase)
    }

    /// The `purchase` section converted for this group (its zones), checked; `None` without
    /// one. A warm pool beside a mixed-instances policy is refused here, as the service
    /// refuses it.
    pub(super) fn convert_purchase(
        &self,
        now: Instant,
        custom: &[super::InstanceTypeDoc],
    ) -> Conv<Option<super::purchase::Converted>> {
        let Some(p) = &self.purchase else {
            return Ok(None);
        };
        let c = p
            .convert(now, &self.zones, custom)
            .map_err(within(&[Seg::Field("purchase")]))?;
        if c.mixed.is_some() && self.warm_pool.is_some() {
            return Err(bad(
                GroupError::WarmPoolWithMixedInstances,
                &[Seg::Field("purchase"), Seg::Field("mixed_instances")],
            ));
        }
        Ok(Some(c))
    }
}

impl super::ControllerDoc {
    /// The group at `index` with everything its document lists, built as every surface
    /// builds it without a catalog: launch template [`super::ControllerDoc::template_id`], ids
    /// from `seed`, alarms and recurrences from `now`, the `purchase` section pricing the
    /// document's own instance types too ([`GroupDoc::apply_with`]). By value, for hosts;
    /// firmware builds it in a static with [`Self::init_group`].
    ///
    /// # Errors
    /// The first problem, its path from the document's root (`groups[0].purchase.spot[1].zone`).
    pub fn build_group<const N: usize, P: Parts>(
        &self,
        index: usize,
        now: Instant,
        seed: u64,
    ) -> Result<Group<N, P>, LocatedError> {
        self.build_group_launching(index, now, seed, None)
    }

    /// [`Self::build_group`] launching `template` instead of the template's position in the
    /// document, when one is given: for a caller that resolves the group's
    /// `launch_template` in a catalog of its own (C's `fc_group_init_json` with a catalog).
    ///
    /// # Errors
    /// Those of [`Self::build_group`].
    pub fn build_group_launching<const N: usize, P: Parts>(
        &self,
        index: usize,
        now: Instant,
        seed: u64,
        template: Option<TemplateId>,
    ) -> Result<Group<N, P>, LocatedError> {
        let (g, config) = self.group_config(index, N, template)?;
        let mut group =
            Group::new(config, seed).map_err(|e| within_group(index, &refused(e, "")))?;
        g.apply_with(now, &mut group, &self.instance_types)
            .map_err(|e| within_group(index, &e))?;
        Ok(group)
    }

    /// [`Self::build_group`] in place: the group is built in `slot`, which may hold
    /// anything, with no temporary of it on the stack in an optimised build
    /// ([`Group::init`]), so firmware can keep it in a static. The same group, entry for
    /// entry, as [`Self::build_group`] with the same arguments.
    ///
    /// # Errors
    /// Those of [`Self::build_group`]. `slot` is not written when the group's
    /// configuration is refused; when one of its entries is, it holds a group without all of
    /// them, which the caller must not use.
    pub fn init_group<'a, const N: usize, P: Parts>(
        &self,
        slot: &'a mut MaybeUninit<Group<N, P>>,
        index: usize,
        now: Instant,
        seed: u64,
    ) -> Result<&'a mut Group<N, P>, LocatedError> {
        let (g, config) = self.group_config(index, N, None)?;
        let group =
            Group::init(slot, config, seed).map_err(|e| within_group(index, &refused(e, "")))?;
        g.apply_with(now, group, &self.instance_types)
            .map_err(|e| within_group(index, &e))?;
        Ok(group)
    }

    /// The group document at `index` and its configuration for a group of `capacity`
    /// members, launching `template`, else [`super::ControllerDoc::template_id`].
    fn group_config(
        &self,
        index: usize,
        capacity: usize,
        template: Option<TemplateId>,
    ) -> Result<(&GroupDoc, crate::group::GroupConfig), LocatedError> {
        let Some(g) = self.groups.get(index) else {
            return Err(refused(
                ConfigError::UnknownReference { what: "group" },
                "groups",
            ));
        };
        let template = template
            .or_else(|| self.template_id(&g.launch_template))
            .unwrap_or_else(|| TemplateId::from_u64(0));
        let config = g
            .to_config(template, capacity)
            .map_err(|e| within_group(index, &refused(e, "")))?;
        Ok((g, config))
    }
}

/// `e` with its path below `groups[index]`.
fn within_group(index: usize, e: &LocatedError) -> LocatedError {
    let mut path = super::Path::new();
    let _ = if e.location.path.is_empty() {
        write!(path, "groups[{index}]")
    } else {
        write!(path, "groups[{index}].{}", e.location.path)
    };
    refused(e.error, &path)
}

/// A refusal at `list[i]`.
fn indexed(error: impl Into<ConfigError>, list: &str, i: usize) -> LocatedError {
    let mut path = super::Path::new();
    let _ = write!(path, "{list}[{i}]");
    refused(error, &path)
}

/// A conversion fault as a refusal (its path printed).
fn located_fault(f: &super::track::Fault) -> LocatedError {
    let mut path = super::Path::new();
    for seg in f.path.iter().flatten() {
        let _ = match seg {
            Seg::Field(name) if path.is_empty() => write!(path, "{name}"),
            Seg::Field(name) => write!(path, ".{name}"),
            Seg::Index(i) => write!(path, "[{i}]"),
            Seg::Key(_) | Seg::Value(_) => Ok(()),
        };
    }
    refused(f.error, &path)
}
