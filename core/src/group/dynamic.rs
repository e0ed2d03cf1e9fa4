//! Dynamic scaling inside [`Group::tick`] (SEMANTICS §3.1–§3.5, §2.5): the group keeps its
//! metrics, owns its alarms, and runs simple, step, target-tracking and HPA policies.
//!
//! The caller reports samples with [`Group::record`], one per member for a per-member metric
//! (CPU utilisation, say) or one for the whole group (a queue length). At each tick the group
//! evaluates the alarms that are due (every minute, every 10 s for sub-minute periods), runs
//! the policies whose alarms ask for an action (on entering ALARM and once a minute while in
//! it), and combines their results.
//!
//! Model, where the service publishes no rule:
//! - a per-member sample from a member that is not in service, or still inside the group's
//!   warm-up (`DefaultInstanceWarmup`, else `DefaultCooldown`), is kept for the HPA but left
//!   out of the group's datapoints, so warming members do not pull the aggregate (§2.5);
//! - step policies select their step with the policy's `MetricAggregationType` over the
//!   alarm's most recent datapoints (the N evaluation periods), relative to the alarm's
//!   threshold; a value matching no step does nothing;
//! - target tracking (§3.3) scales out to ⌈settled × metric ÷ target⌉, where settled counts the
//!   members past their warm-up, and only above the current desired capacity, so members
//!   already launching count toward it; it scales in, when its `AlarmLow` is in ALARM and no
//!   member warms up or launches, to ⌈capacity × metric ÷ target⌉ (the largest reduction that
//!   keeps the metric at or under target); the metric is the newest datapoint;
//! - several target-tracking policies: out if any is in `AlarmHigh`, in only if every policy
//!   with scale-in enabled is in `AlarmLow`; the result joins the other policies' results;
//! - policies that act in the same tick combine by the largest resulting capacity (§3.4), a
//!   policy that holds (warming up) counting as the current desired capacity; a simple policy
//!   in cooldown does not take part;
//! - HPA (one policy per group) runs every [`HPA_SYNC`] as the upstream controller does, on
//!   each member's newest sample: members launching or warming up are unready, members whose
//!   newest sample is older than two periods are missing;
//! - with `AlarmNotification` suspended the alarms still change state but no policy runs.

use super::parts::{List, Parts, Slot};
use super::policy::{Proposal, ScalingPolicy};
use super::{Group, MemberState, Process};
use crate::group::GroupError;
use crate::id::InstanceId;
use crate::scaling::ScalingError;
use crate::scaling::hpa::{Autoscaler, Behavior, MemberMetric, desired_replicas_within};
use crate::scaling::predictive::{Forecaster, HOUR, Mode, PredictiveConfig, plan};
use crate::scaling::target::{Recommendation, TargetTracking, combine};
use crate::scaling::{Alarm, AlarmConfig, AlarmState, Metric, Value};
use crate::time::{Duration, Instant};

/// The most metrics a group keeps.
pub const MAX_METRICS: usize = 4;
/// The most per-member metrics a group keeps (each member holds its newest sample of each).
pub const MEMBER_METRICS: usize = 2;
/// Datapoints kept per metric: `AlarmLow`'s 15 periods and the two more of its evaluation
/// range, with room to spare.
pub const METRIC_POINTS: usize = 20;
/// The most alarms a group holds, besides those target tracking owns.
pub const MAX_ALARMS: usize = 8;
/// Longest metric name.
pub const METRIC_NAME_MAX: usize = 32;
/// How often the HPA runs (the upstream `--horizontal-pod-autoscaler-sync-period`).
pub const HPA_SYNC: Duration = Duration::from_secs(15);

vocabulary! {
    /// Who reports a metric.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Source: "metric source" {
        /// Each member reports its own value (`CPUUtilization` of each instance); the group's
        /// datapoints aggregate the members past their warm-up (the default).
        #[default]
        Members = 1 => "members",
        /// One value for the whole group (a queue depth, requests per target).
        Group = 2 => "group",
    }
}

/// A metric the group keeps: its name, source and datapoints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupMetric {
    name: heapless::String<METRIC_NAME_MAX>,
    source: Source,
    /// For a per-member metric, where members keep their newest sample.
    member_slot: Option<u8>,
    data: Metric<METRIC_POINTS>,
}

impl GroupMetric {
    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Who reports it.
    pub fn source(&self) -> Source {
        self.source
    }

    /// Its datapoints.
    pub fn data(&self) -> &Metric<METRIC_POINTS> {
        &self.data
    }
}

/// An alarm the caller put on one of the group's metrics, and the policy it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct GroupAlarm {
    /// The metric watched.
    pub metric: u8,
    /// The policy run when the alarm asks for an action.
    pub policy: u8,
    /// The alarm and its state.
    pub alarm: Alarm,
}

/// The dynamic-scaling state of a group, in the parts `P` stores.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(bound = "")]
pub(super) struct Dynamic<P: Parts> {
    pub(super) metrics: P::Metrics,
    pub(super) alarms: P::Alarms,
    /// Target tracking's `AlarmHigh`/`AlarmLow`, by policy index (created at the next tick).
    pub(super) tracking: P::Tracking,
    /// The HPA policy and its memory.
    pub(super) hpa: P::Hpa,
    pub(super) hpa_next: Option<Instant>,
    /// The predictive scaling policy, its load metric and history.
    pub(super) predictive: P::Predictive,
}

/// A predictive scaling policy the group runs (SEMANTICS §3.7): the part
/// [`Parts::Predictive`] stores.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Predictive {
    config: PredictiveConfig,
    /// The group metric whose samples are the load history.
    metric: u8,
    forecaster: Forecaster,
    /// The hour the last plan was for.
    planned_hour: Option<u64>,
    /// What the last plan that changed nothing was made from (see [`Unchanged`]). A cache, not
    /// state: not encoded, and equal to any other.
    #[serde(skip)]
    unchanged: Unchanged,
}

/// The inputs of a plan ([`Group::run_predictive`]) that changed nothing: the hour planned, the
/// hour of the forecaster's cached forecast (which covered that hour), and the group's desired,
/// min and max and its forecast floor, before the plan and after it alike. A plan reads nothing
/// else: the hour of `now` (through `hour_of(now + buffer)`), the policy's configuration (fixed
/// for the life of a `Predictive`), the sizes, and the forecast of the hour, which a covering
/// cache answers alone. The cache changes only with a refresh, which moves its hour on; so while
/// all of these are still the same, planning again changes nothing again (issue 20: the taxi
/// run plans every step, and the hour and its forecast change once an hour).
///
/// Not an `Option`, and the floor flattened: every byte is written when it is made (see
/// `Roster`'s counts for why).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Unchanged {
    /// Whether the fields below were set by a plan.
    kept: bool,
    hour: u64,
    origin: u64,
    sizes: (u32, u32, u32),
    /// The forecast floor: whether set, until when, the capacity.
    floor: (bool, u64, u32),
}

impl Unchanged {
    /// The flattened form of a forecast floor.
    fn floor(floor: Option<(Instant, u32)>) -> (bool, u64, u32) {
        match floor {
            Some((t, c)) => (true, t.total_millis(), c),
            None => (false, 0, 0),
        }
    }

    /// Whether a plan of `hour` from a cached forecast of `origin`, with `sizes` and `floor`,
    /// has the inputs of the kept plan that changed nothing.
    fn holds(
        &self,
        hour: u64,
        origin: Option<u64>,
        sizes: (u32, u32, u32),
        floor: Option<(Instant, u32)>,
    ) -> bool {
        self.kept
            && self.hour == hour
            && Some(self.origin) == origin
            && self.sizes == sizes
            && self.floor == Self::floor(floor)
    }
}

impl PartialEq for Unchanged {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Unchanged {}

impl<P: Parts> Dynamic<P> {
    pub(super) fn new() -> Self {
        Self {
            metrics: List::new(),
            alarms: List::new(),
            tracking: List::new(),
            hpa: Slot::none(),
            hpa_next: None,
            predictive: Slot::none(),
        }
    }

    /// Back to [`Dynamic::new`] in place (no temporary of the whole state).
    pub(super) fn clear(&mut self) {
        self.metrics.clear();
        self.alarms.clear();
        self.tracking.clear();
        self.hpa.clear();
        self.hpa_next = None;
        self.predictive.clear();
    }
}

/// An alarm that asked for an action this tick, with what a step policy needs.
#[derive(Clone, Copy)]
struct Firing {
    policy: u8,
    metric: Option<(Value, Value)>,
}

impl<const N: usize, P: Parts> Group<N, P> {
    /// Declares a metric of `period` (10, 20, 30 s or a multiple of 60 s) that the group
    /// keeps; returns its index.
    ///
    /// # Errors
    /// [`GroupError::Scaling`] with [`ScalingError::InvalidPeriod`];
    /// [`GroupError::OutOfRange`] for an empty or long name; [`GroupError::DuplicateMetric`];
    /// [`GroupError::TooManyMetrics`] (also past [`MEMBER_METRICS`] per-member metrics).
    pub fn put_metric(
        &mut self,
        name: &str,
        period: Duration,
        source: Source,
    ) -> Result<u8, GroupError> {
        self.touch();
        let data = Metric::new(period)?;
        let mut n = heapless::String::new();
        if name.is_empty() || n.push_str(name).is_err() {
            return Err(GroupError::OutOfRange {
                field: "MetricName",
            });
        }
        let d = &self.dynamic;
        if d.metrics.iter().any(|m| m.name == n) {
            return Err(GroupError::DuplicateMetric);
        }
        let member_slot = match source {
            Source::Group => None,
            Source::Members => {
                let used = d.metrics.iter().filter(|m| m.member_slot.is_some()).count();
                if used >= MEMBER_METRICS {
                    return Err(GroupError::TooManyMetrics);
                }
                Some(u8::try_from(used).map_err(|_| GroupError::TooManyMetrics)?)
            }
        };
        let index = u8::try_from(d.metrics.len()).map_err(|_| GroupError::TooManyMetrics)?;
        self.dynamic
            .metrics
            .push(GroupMetric {
                name: n,
                source,
                member_slot,
                data,
            })
            .map_err(|_| GroupError::TooManyMetrics)?;
        Ok(index)
    }

    /// The metrics, by index.
    pub fn metrics(&self) -> &[GroupMetric] {
        &self.dynamic.metrics
    }

    /// The index of the metric named `name`.
    pub fn metric_index(&self, name: &str) -> Option<u8> {
        let i = self.dynamic.metrics.iter().position(|m| m.name == name)?;
        u8::try_from(i).ok()
    }

    /// Records a sample taken at `at` (`PutMetricData`): from `member` for a per-member
    /// metric, with `None` for a group metric. A warming member's sample is kept for the HPA
    /// only (see the module docs).
    ///
    /// # Errors
    /// [`GroupError::UnknownMetric`]; [`GroupError::UnknownMember`]; [`GroupError::OutOfRange`]
    /// when the member is missing for a per-member metric or given for a group metric;
    /// [`GroupError::Scaling`] with [`ScalingError::TooOld`]. Nothing changes on error.
    pub fn record(
        &mut self,
        at: Instant,
        metric: u8,
        member: Option<InstanceId>,
        value: Value,
    ) -> Result<(), GroupError> {
        let m = self
            .dynamic
            .metrics
            .get(usize::from(metric))
            .ok_or(GroupError::UnknownMetric { metric })?;
        let slot = m.member_slot;
        let (include, member_index) = match (m.source, member) {
            (Source::Group, None) => (true, None),
            (Source::Members, Some(id)) => {
                let i = self.index(id)?;
                let warmup = self.scaling_warmup(None);
                let settled = self.members.get(i).is_some_and(|x| x.settled(at, warmup));
                (settled, Some(i))
            }
            _ => return Err(GroupError::OutOfRange { field: "member" }),
        };
        if include && let Some(m) = self.dynamic.metrics.get_mut(usize::from(metric)) {
            m.data.record(at, value)?;
        }
        if let Some(p) = self.dynamic.predictive.get_mut()
            && p.metric == metric
        {
            // History is hourly and in order: a sample for an hour older than the newest one
            // kept still counts for the alarms, not for the forecast.
            let _ = p.forecaster.record(at, value);
        }
        if let (Some(i), Some(slot)) = (member_index, slot) {
            self.members.set_sample(i, usize::from(slot), (at, value));
        }
        Ok(())
    }

    /// Records `value` from every member in service on per-member metric `metric`, in one
    /// pass (a simulation spreading load evenly, or a board reporting for all); returns how
    /// many members reported. Warming members count as in [`Group::record`].
    ///
    /// # Errors
    /// [`GroupError::UnknownMetric`]; [`GroupError::OutOfRange`] for a group metric;
    /// [`GroupError::Scaling`] with [`ScalingError::TooOld`]. Nothing changes on error.
    pub fn record_in_service(
        &mut self,
        at: Instant,
        metric: u8,
        value: Value,
    ) -> Result<u32, GroupError> {
        let (m, slot) = self.per_member_metric(metric)?;
        let warmup = self.scaling_warmup(None);
        let keeps_samples = <P::Samples as Slot<super::Samples>>::STORED;
        if keeps_samples && !m.data.refuses(at) {
            // The datapoint will take the samples: count them and give each member its sample
            // in one pass over the members (the two passes below were 5 % of a simulation).
            let (reporting, settled) =
                self.members
                    .sample_in_service(slot, (at, value), at, warmup);
            if let Some(m) = self.dynamic.metrics.get_mut(usize::from(metric)) {
                m.data.record_n(at, value, settled)?;
            }
            return Ok(reporting);
        }
        self.record_in_service_two_passes(at, metric, value)
    }

    /// A metric that keeps one sample per member, with its slot: what both forms of
    /// [`Group::record_in_service`] write to.
    fn per_member_metric(&self, metric: u8) -> Result<(&GroupMetric, usize), GroupError> {
        let m = self
            .dynamic
            .metrics
            .get(usize::from(metric))
            .ok_or(GroupError::UnknownMetric { metric })?;
        let slot = m
            .member_slot
            .map(usize::from)
            .ok_or(GroupError::OutOfRange { field: "member" })?;
        Ok((m, slot))
    }

    /// [`Group::record_in_service`] as two passes over the members: count, record, then the
    /// samples. For a datapoint that may refuse them, and the reference the tests hold the one
    /// pass to.
    pub(crate) fn record_in_service_two_passes(
        &mut self,
        at: Instant,
        metric: u8,
        value: Value,
    ) -> Result<u32, GroupError> {
        let (_, slot) = self.per_member_metric(metric)?;
        let warmup = self.scaling_warmup(None);
        let (mut reporting, mut settled) = (0u32, 0u32);
        for x in self
            .members
            .iter()
            .filter(|x| x.state == MemberState::InService)
        {
            reporting = reporting.saturating_add(1);
            if x.settled(at, warmup) {
                settled = settled.saturating_add(1);
            }
        }
        if let Some(m) = self.dynamic.metrics.get_mut(usize::from(metric)) {
            m.data.record_n(at, value, settled)?;
        }
        // Only after the datapoint took the samples, so a refused sample changes nothing. Only
        // the HPA reads them: a group whose parts keep none skips the pass.
        if <P::Samples as Slot<super::Samples>>::STORED {
            for i in 0..self.members.len() {
                if self
                    .members
                    .get(i)
                    .is_some_and(|x| x.state == MemberState::InService)
                {
                    self.members.set_sample(i, slot, (at, value));
                }
            }
        }
        Ok(reporting)
    }

    /// `PutMetricAlarm` with this group's `policy` as its action, on metric `metric`; returns
    /// the alarm's index. The alarm starts in `INSUFFICIENT_DATA`.
    ///
    /// # Errors
    /// [`GroupError::UnknownMetric`]; [`GroupError::UnknownPolicy`] (also for a
    /// target-tracking policy, which owns its alarms); [`GroupError::Scaling`] for an invalid
    /// alarm; [`GroupError::TooManyAlarms`].
    pub fn put_alarm(
        &mut self,
        now: Instant,
        metric: u8,
        config: AlarmConfig,
        policy: u8,
    ) -> Result<u8, GroupError> {
        self.touch();
        let period = self
            .dynamic
            .metrics
            .get(usize::from(metric))
            .ok_or(GroupError::UnknownMetric { metric })?
            .data
            .period();
        match self.policies.get(usize::from(policy)) {
            Some(ScalingPolicy::Simple { .. } | ScalingPolicy::Step { .. }) => {}
            _ => return Err(GroupError::UnknownPolicy { policy }),
        }
        let alarm = Alarm::new(now, config, period)?;
        let index =
            u8::try_from(self.dynamic.alarms.len()).map_err(|_| GroupError::TooManyAlarms)?;
        self.dynamic
            .alarms
            .push(GroupAlarm {
                metric,
                policy,
                alarm,
            })
            .map_err(|_| GroupError::TooManyAlarms)?;
        Ok(index)
    }

    /// The caller's alarms, by index.
    pub fn alarms(&self) -> &[GroupAlarm] {
        &self.dynamic.alarms
    }

    /// The `AlarmHigh`/`AlarmLow` pair of target-tracking policy `policy`, once created.
    pub fn tracking_alarms(&self, policy: u8) -> Option<&(Alarm, Alarm)> {
        self.dynamic.tracking.get(usize::from(policy))?.as_ref()
    }

    /// `PutScalingPolicy` with `PredictiveScaling`: learns from the samples of group metric
    /// `metric` (the load) and, in `ForecastAndScale`, scales ahead of the forecast at each
    /// tick. A group runs one predictive policy; a new one replaces it and starts a fresh
    /// history.
    ///
    /// # Errors
    /// [`GroupError::UnknownMetric`]; [`GroupError::OutOfRange`] for a per-member metric;
    /// [`GroupError::Scaling`] with [`ScalingError::InvalidForecastConfig`].
    pub fn put_predictive_policy(
        &mut self,
        config: PredictiveConfig,
        metric: u8,
    ) -> Result<(), GroupError> {
        self.touch();
        config.validate()?;
        let m = self
            .dynamic
            .metrics
            .get(usize::from(metric))
            .ok_or(GroupError::UnknownMetric { metric })?;
        if m.source != Source::Group {
            return Err(GroupError::OutOfRange { field: "metric" });
        }
        if !<P::Predictive as Slot<Predictive>>::STORED {
            return Err(GroupError::PartNotStored {
                part: "a predictive scaling policy",
            });
        }
        let _ = self.dynamic.predictive.put(Predictive {
            config,
            metric,
            forecaster: Forecaster::new(),
            planned_hour: None,
            unchanged: Unchanged::default(),
        });
        Ok(())
    }

    /// Removes the predictive policy and its history.
    pub fn delete_predictive_policy(&mut self) {
        self.touch();
        self.dynamic.predictive.clear();
    }

    /// The predictive policy's configuration and load history, if the group has one.
    pub fn predictive(&self) -> Option<(&PredictiveConfig, &Forecaster)> {
        self.dynamic
            .predictive
            .get()
            .map(|p| (&p.config, &p.forecaster))
    }

    /// Runs the predictive policy at `now`: refreshes the forecast when 6 hours have passed,
    /// then plans (before the dynamic policies, which then combine with it by the maximum,
    /// §3.4).
    pub(super) fn run_predictive(&mut self, now: Instant) {
        let Some(p) = self.dynamic.predictive.get_mut() else {
            return;
        };
        // Forecasts refresh every 6 hours in both modes (ForecastOnly is for looking at them).
        p.forecaster.refresh(now);
        if p.config.mode != Mode::ForecastAndScale {
            return;
        }
        let hour = Forecaster::hour_of(now.saturating_add(p.config.buffer));
        let sizes = (self.desired, self.config.min_size, self.config.max_size);
        let floor = self.forecast_floor;
        let origin = p.forecaster.refreshed_hour();
        let unchanged = p.unchanged.holds(hour, origin, sizes, floor);
        // The plan would change nothing again. The tests plan anyway and check that.
        #[cfg(not(test))]
        if unchanged {
            return;
        }
        p.planned_hour = Some(hour);
        let config = p.config;
        let forecast = p.forecaster.capacity(hour, config.target_per_member);
        let planned = plan_knowing(&config, &p.forecaster, now, forecast, sizes);
        self.commit_forecast(now, &config, forecast, planned);
        let after = (self.desired, self.config.min_size, self.config.max_size);
        #[cfg(test)]
        assert!(
            !unchanged || (after, self.forecast_floor) == (sizes, floor),
            "a plan kept as changing nothing changed something at {now}"
        );
        let Some(p) = self.dynamic.predictive.get_mut() else {
            return;
        };
        // Kept only when the plan changed nothing and the cache answered it: the cache, and
        // with it the forecast, stays while its hour does.
        p.unchanged = if (after, self.forecast_floor) == (sizes, floor)
            && let Some(origin) = origin
            && p.forecaster.forecast_48h().any(|(h, _)| h == hour)
        {
            Unchanged {
                kept: true,
                hour,
                origin,
                sizes,
                floor: Unchanged::floor(floor),
            }
        } else {
            Unchanged::default()
        };
    }

    /// Whether the predictive policy keeps a plan that changed nothing (the tests' look at
    /// [`Unchanged`]).
    #[cfg(test)]
    pub(super) fn plan_kept(&self) -> bool {
        self.dynamic
            .predictive
            .get()
            .is_some_and(|p| p.unchanged.kept)
    }

    /// Checks a target-tracking policy before it is added.
    pub(super) fn check_target_tracking(
        &self,
        metric: u8,
        tracking: &TargetTracking,
        hpa: Option<&Option<Behavior>>,
    ) -> Result<(), GroupError> {
        let m = self
            .dynamic
            .metrics
            .get(usize::from(metric))
            .ok_or(GroupError::UnknownMetric { metric })?;
        if tracking.target <= Value::ZERO {
            return Err(ScalingError::InvalidTargetTracking.into());
        }
        if let Some(behavior) = hpa {
            if m.source != Source::Members {
                return Err(ScalingError::InvalidTargetTracking.into());
            }
            if !<P::Hpa as Slot<(u8, Autoscaler)>>::STORED {
                return Err(GroupError::PartNotStored {
                    part: "an HPA policy",
                });
            }
            if self.dynamic.hpa.is_some() {
                return Err(ScalingError::HpaTaken.into());
            }
            if let Some(b) = behavior {
                b.validate()?;
            }
        }
        Ok(())
    }

    /// Sets up the state of policy `index` (called before it is pushed, with room checked).
    pub(super) fn attach_policy(&mut self, index: u8, policy: &ScalingPolicy) {
        if let ScalingPolicy::TargetTracking { hpa: Some(b), .. } = policy {
            // Checked in `check_target_tracking`: the part is stored.
            let _ = self.dynamic.hpa.put((index, Autoscaler::new(b.clone())));
            self.dynamic.hpa_next = None;
        }
        let _ = self.dynamic.tracking.push(None);
    }

    /// When dynamic scaling next has work: the earliest alarm evaluation or HPA run.
    pub(super) fn dynamic_deadline(&self) -> Option<Instant> {
        let d = &self.dynamic;
        let alarms = d.alarms.iter().map(|a| a.alarm.next_evaluation());
        let tracking = d
            .tracking
            .iter()
            .flatten()
            .map(|(high, low)| high.next_evaluation().min(low.next_evaluation()));
        // Target-tracking alarms not created yet are due at once.
        let pending = self
            .policies
            .iter()
            .zip(d.tracking.iter())
            .any(|(p, t)| {
                matches!(p, ScalingPolicy::TargetTracking { hpa: None, .. }) && t.is_none()
            })
            .then_some(Instant::ZERO);
        let hpa = d.hpa.get().map(|_| d.hpa_next.unwrap_or(Instant::ZERO));
        // The next plan is due a buffer ahead of the hour after the one last planned.
        let predictive = d
            .predictive
            .get()
            .filter(|p| p.config.mode == Mode::ForecastAndScale)
            .map(|p| match p.planned_hour {
                None => Instant::ZERO,
                Some(h) => {
                    Instant::from_millis(h.saturating_add(1).saturating_mul(HOUR.total_millis()))
                        .saturating_sub(p.config.buffer)
                }
            });
        alarms
            .chain(tracking)
            .chain(pending)
            .chain(hpa)
            .chain(predictive)
            .min()
    }

    /// Evaluates the alarms due at `now`, runs the policies they call for and the HPA, and
    /// sets desired to the combined result (see the module docs).
    pub(super) fn run_dynamic(&mut self, now: Instant) {
        self.create_tracking_alarms(now);
        let mut firings = heapless::Vec::new();
        self.evaluate_alarms(now, &mut firings);
        let tracking_fired = self.evaluate_tracking_alarms(now);
        let hpa_due = self.dynamic.hpa.is_some() && self.dynamic.hpa_next.is_none_or(|t| now >= t);
        if self.is_suspended(Process::AlarmNotification) {
            return;
        }
        let desired = self.desired;
        // (resulting capacity, cooldown of the simple policy giving it)
        let mut best: Option<(u32, Option<Duration>)> = None;
        let mut offer = |to: u32, cooldown: Option<Duration>| {
            if best.is_none_or(|(b, _)| to > b) {
                best = Some((to, cooldown));
            }
        };
        for f in &firings {
            match self.propose(now, f.policy, f.metric, true) {
                Ok(Proposal::Set { to, cooldown }) => offer(to, cooldown),
                Ok(Proposal::WarmingUp) => offer(desired, None),
                // In cooldown, or a value no step matches: this policy does not act.
                Ok(Proposal::InCooldown) | Err(_) => {}
            }
        }
        if tracking_fired && let Some(to) = self.tracking_result(now) {
            offer(to, None);
        }
        if hpa_due && let Some(to) = self.hpa_result(now) {
            offer(to, None);
        }
        if let Some((to, cooldown)) = best
            && to != desired
        {
            self.apply_proposal(to, cooldown);
        }
    }

    fn create_tracking_alarms(&mut self, now: Instant) {
        // Once every policy's pair is there (most ticks), nothing to create: one look at the
        // slots, not a match of each policy (host builds; the firmware's flash has no room).
        #[cfg(not(target_os = "none"))]
        if self.dynamic.tracking.iter().all(Option::is_some) {
            return;
        }
        for (p, slot) in self.policies.iter().zip(self.dynamic.tracking.iter_mut()) {
            let ScalingPolicy::TargetTracking {
                metric,
                tracking,
                hpa: None,
                ..
            } = p
            else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            let Some(period) = self
                .dynamic
                .metrics
                .get(usize::from(*metric))
                .map(|m| m.data.period())
            else {
                continue;
            };
            let (high, low) = tracking.alarms();
            // Target tracking's own shapes are valid for every period `put_metric` takes
            // (15 × 3600 s is under the one-week limit).
            if let (Ok(h), Ok(l)) = (Alarm::new(now, high, period), Alarm::new(now, low, period)) {
                *slot = Some((h, l));
            }
        }
    }

    /// Evaluates the caller's alarms that are due; puts those asking for an action in
    /// `firings`. Filled in the caller's frame: the list returned by value was copied whole
    /// every tick (1 % of the taxi run outside the forecaster and the ledger, issue 20).
    fn evaluate_alarms(&mut self, now: Instant, firings: &mut heapless::Vec<Firing, MAX_ALARMS>) {
        let d = &mut self.dynamic;
        for a in d.alarms.iter_mut() {
            if a.alarm.next_evaluation() > now {
                continue;
            }
            let Some(m) = d.metrics.get(usize::from(a.metric)) else {
                continue;
            };
            if !matches!(a.alarm.evaluate(now, &m.data), Ok(true)) {
                continue;
            }
            let metric = match self.policies.get(usize::from(a.policy)) {
                Some(ScalingPolicy::Step { aggregation, .. }) => a
                    .alarm
                    .aggregate(now, &m.data, *aggregation)
                    .map(|v| (v, a.alarm.config().threshold)),
                _ => None,
            };
            let _ = firings.push(Firing {
                policy: a.policy,
                metric,
            });
        }
    }

    /// Evaluates the target-tracking alarms that are due; true when one asks for an action.
    fn evaluate_tracking_alarms(&mut self, now: Instant) -> bool {
        let mut fired = false;
        let d = &mut self.dynamic;
        for (p, slot) in self.policies.iter().zip(d.tracking.iter_mut()) {
            let (ScalingPolicy::TargetTracking { metric, .. }, Some((high, low))) = (p, slot)
            else {
                continue;
            };
            let Some(m) = d.metrics.get(usize::from(*metric)) else {
                continue;
            };
            // Due together (created together, evaluated at the same interval): the pair's
            // evaluation finds the newest datapoint once for both.
            if high.next_evaluation() <= now && low.next_evaluation() <= now {
                let (h, l) = Alarm::evaluate_pair(high, low, now, &m.data);
                fired |= matches!(h, Ok(true)) | matches!(l, Ok(true));
                continue;
            }
            for alarm in [high, low] {
                if alarm.next_evaluation() <= now {
                    fired |= matches!(alarm.evaluate(now, &m.data), Ok(true));
                }
            }
        }
        fired
    }

    /// The combined capacity of the target-tracking policies (§3.3), if they call for a change.
    fn tracking_result(&mut self, now: Instant) -> Option<u32> {
        let (min, max, desired) = (self.config.min_size, self.config.max_size, self.desired);
        let mut recs: heapless::Vec<Recommendation, { super::MAX_POLICIES }> = heapless::Vec::new();
        for (p, slot) in self.policies.iter().zip(self.dynamic.tracking.iter()) {
            let (
                ScalingPolicy::TargetTracking {
                    metric,
                    tracking,
                    warmup,
                    ..
                },
                Some((high, low)),
            ) = (p, slot)
            else {
                continue;
            };
            let Some(data) = self
                .dynamic
                .metrics
                .get(usize::from(*metric))
                .map(|m| &m.data)
            else {
                continue;
            };
            // The roster's kept counts (issue 20: target tracking asks every step while an
            // alarm is on, and the members seldom change between two steps).
            let counts = self.members.counts(now, self.scaling_warmup(*warmup));
            let (capacity, warming, pending) = (counts.units, counts.warming, counts.pending);
            #[cfg(test)]
            assert_eq!(
                (capacity, (warming, pending)),
                (self.capacity(), self.warming(now, *warmup)),
                "at {now}"
            );
            let rec = match (high.state(), low.state(), high.latest(now, data)) {
                (AlarmState::Alarm, _, Some(v)) => {
                    let settled = capacity.saturating_sub(warming).saturating_sub(pending);
                    match tracking.recommend(settled, v) {
                        Recommendation::Out(n) if n > desired => Recommendation::Out(n),
                        _ => Recommendation::Hold,
                    }
                }
                (_, AlarmState::Alarm, Some(v)) if warming == 0 && pending == 0 => {
                    tracking.recommend(capacity, v)
                }
                _ => Recommendation::Hold,
            };
            // A policy with scale-in disabled has no say in scaling in (§3.3).
            if tracking.disable_scale_in && !matches!(rec, Recommendation::Out(_)) {
                continue;
            }
            let _ = recs.push(rec);
        }
        match combine(&recs) {
            Recommendation::Out(n) => Some(crate::fixed::clamp(n, min, max)),
            Recommendation::In(n) => Some(self.floored(now, crate::fixed::clamp(n, min, max))),
            Recommendation::Hold => None,
        }
    }

    /// One HPA run (SEMANTICS-free: the upstream controller, see [`crate::scaling::hpa`]).
    fn hpa_result(&mut self, now: Instant) -> Option<u32> {
        self.dynamic.hpa_next = Some(now.saturating_add(HPA_SYNC));
        let (index, _) = self.dynamic.hpa.get()?;
        let Some(ScalingPolicy::TargetTracking {
            metric,
            tracking,
            warmup,
            ..
        }) = self.policies.get(usize::from(*index))
        else {
            return None;
        };
        let m = self.dynamic.metrics.get(usize::from(*metric))?;
        let slot = usize::from(m.member_slot?);
        let fresh = m.data.period().checked_mul(2).unwrap_or(Duration::MAX);
        let warmup = self.scaling_warmup(*warmup);
        let mut members: heapless::Vec<MemberMetric, N> = heapless::Vec::new();
        for (i, x) in self
            .members
            .iter()
            .enumerate()
            .filter(|(_, x)| x.state.counts_toward_capacity())
        {
            let ready = x.settled(now, warmup);
            let sample = self
                .members
                .samples(i)
                .and_then(|all| all.get(slot).copied().flatten());
            let v = match (ready, sample) {
                (false, _) => MemberMetric::Unready,
                (true, Some((t, v))) if now.saturating_duration_since(t) < fresh => {
                    MemberMetric::Ready(v)
                }
                (true, _) => MemberMetric::Missing,
            };
            let _ = members.push(v);
        }
        let (min, max, desired) = (self.config.min_size, self.config.max_size, self.desired);
        let target = tracking.target;
        let disable_in = tracking.disable_scale_in;
        let tolerances = self.dynamic.hpa.get().map(|(_, a)| a.tolerances())?;
        let proposed = desired_replicas_within(desired, &members, target, &tolerances);
        let floor = self.floor(now);
        let (_, autoscaler) = self.dynamic.hpa.get_mut()?;
        let to = autoscaler.normalize(now, desired, proposed, min, max);
        let to = if to < desired {
            if disable_in {
                desired
            } else {
                to.max(floor.min(desired))
            }
        } else {
            to
        };
        Some(to)
    }
}

/// [`plan`] at `now` for `(desired, min, max)`, given `forecast`, the capacity the forecaster
/// gives the hour `plan` plans (`forecaster.capacity(hour_of(now + buffer), target)`): without
/// asking the forecaster a second time when the plan cannot raise desired. `plan`'s target is
/// the forecast clamped to `[min, max']` with `max' >= min`, so it is at most
/// `max(forecast, min)`, and `plan` returns `None` when that is not above desired (most steps
/// of a run: issue 20). Held to `plan` by `planning_knowing_the_forecast_is_plan`.
pub(super) fn plan_knowing(
    config: &PredictiveConfig,
    forecaster: &Forecaster,
    now: Instant,
    forecast: Option<u32>,
    (desired, min, max): (u32, u32, u32),
) -> Option<(u32, u32)> {
    match forecast {
        // `plan` reads the same forecast and gives up on `None` too.
        None => None,
        Some(f) if f.max(min) <= desired => None,
        Some(_) => plan(config, forecaster, now, desired, min, max),
    }
}
