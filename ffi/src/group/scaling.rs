//! Scaling a `fc_group` from C (SEMANTICS §3): metrics, alarms, simple, step and
//! target-tracking policies (with the Kubernetes HPA as an option), scheduled actions and
//! predictive scaling. The group runs all of them inside `fc_group_tick`.
//!
//! Metric values and thresholds are fixed-point `int64_t` thousandths (`37500` is 37.5), as the
//! core keeps them, so C, Rust and firmware compare exactly. Enum values whose service
//! parameter has a default use 0 for it, so a zeroed struct asks for the service's defaults;
//! the other enums start at 1.

use core::ffi::c_char;

use fleetcore::group::{ScalingPolicy, ScheduledAction, Source};
use fleetcore::scaling::cron::Cron;
use fleetcore::scaling::hpa::Behavior;
use fleetcore::scaling::predictive::{DEFAULT_BUFFER, MaxBreach, Mode, PredictiveConfig};
use fleetcore::scaling::target::TargetTracking;
use fleetcore::scaling::tz::TimeZone;
use fleetcore::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, Comparison, MAX_STEPS, MissingData, Statistic,
    StepAdjustment, Value,
};
use fleetcore::{Duration, Instant};

use super::{fc_group, group_mut, group_ref, optional, optional_ms, optional_u32};
use crate::boundary::{Out, boundary, input, input_slice, input_str};
use crate::id::fc_instance_id;
use crate::status::fc_status;

/// Most metrics a group keeps (at most 2 of them per-member).
pub const FC_GROUP_MAX_METRICS: usize = 4;
/// Most alarms a group holds (besides those target tracking owns).
pub const FC_GROUP_MAX_ALARMS: usize = 8;
/// Most scaling policies a group holds.
pub const FC_GROUP_MAX_POLICIES: usize = 8;
/// Most steps a step policy holds.
pub const FC_GROUP_MAX_STEPS: usize = 20;

const _: () = assert!(FC_GROUP_MAX_METRICS == fleetcore::group::MAX_METRICS);
const _: () = assert!(FC_GROUP_MAX_ALARMS == fleetcore::group::MAX_ALARMS);
const _: () = assert!(FC_GROUP_MAX_POLICIES == fleetcore::group::MAX_POLICIES);
const _: () = assert!(FC_GROUP_MAX_STEPS == MAX_STEPS);

/// `fc_target_tracking_policy.hpa`: the Kubernetes HPA instead of alarms (one per group).
/// C's own tag: the core holds this as `Option<Option<Behavior>>` (documents a bool and a
/// `behavior` block, Python `None`/`True`/a `Behavior`), with no enum or spelling to share.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum fc_hpa {
    /// Target tracking with `AlarmHigh`/`AlarmLow` (the default).
    Off = 0,
    /// The HPA without `behavior` (legacy: 300 s down window, up to max(2 × current, 4)).
    Legacy = 1,
    /// The HPA with the default `behavior` (`fc_hpa_behavior_default`).
    DefaultBehavior = 2,
}

pub(super) fn metric_source(v: u32) -> Result<Source, fc_status> {
    crate::boundary::enum_value(v)
}

fn statistic(v: u32) -> Result<Statistic, fc_status> {
    crate::boundary::enum_value(v)
}

fn comparison(v: u32) -> Result<Comparison, fc_status> {
    crate::boundary::enum_value(v)
}

fn missing_data(v: u32) -> Result<MissingData, fc_status> {
    crate::boundary::enum_value(v)
}

fn adjustment_type(v: u32) -> Result<AdjustmentType, fc_status> {
    crate::boundary::enum_value(v)
}

fn aggregation(v: u32) -> Result<Aggregation, fc_status> {
    crate::boundary::enum_value(v)
}

/// Declares a metric the group keeps (`period_ms`: 10, 20 or 30 s or a multiple of 60 s) and who
/// reports it (`FC_METRIC_SOURCE_*`). On success `*out_index` is its index, as `fc_group_record`,
/// alarms and policies name it. `name` is borrowed for the call only. Errors: `FC_STATUS_NOT_UTF8`,
/// `FC_STATUS_INVALID_ENUM_VALUE`, `ScalingError::InvalidPeriod`, `GroupError::OutOfRange`
/// (empty name or over 32 bytes), `GroupError::DuplicateMetric`, `GroupError::TooManyMetrics`. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_metric(
    group: *mut fc_group,
    name: *const c_char,
    period_ms: u64,
    source: u32,
    out_index: *mut u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, name, out) =
            unsafe { (group_mut(group)?, input_str(name)?, Out::new(out_index)?) };
        let source = metric_source(source)?;
        out.write(group.put_metric(name, Duration::from_millis(period_ms), source)?);
        Ok(())
    })
}

/// Records a sample of `value_milli` thousandths taken at `at_ms` (`PutMetricData`): from member
/// `*member` for a per-member metric, with `member` NULL for a group metric. A warming member's
/// sample counts for the HPA only. Errors: `FC_STATUS_NULL_ARGUMENT` (`group`), an `IdError`,
/// `GroupError::UnknownMetric`, `FC_STATUS_UNKNOWN_MEMBER`, `GroupError::OutOfRange` (a member
/// for a group metric or none for a per-member one), `ScalingError::TooOld`. The group is
/// unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_record(
    group: *mut fc_group,
    at_ms: u64,
    metric: u8,
    member: *const fc_instance_id,
    value_milli: i64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        let member = if member.is_null() {
            None
        } else {
            // SAFETY: not NULL; points to an `fc_instance_id` by the caller's contract.
            Some(unsafe { input(member) }?.to_core()?)
        };
        group.record(
            Instant::from_millis(at_ms),
            metric,
            member,
            Value::from_milli(value_milli),
        )?;
        Ok(())
    })
}

/// Records `value_milli` from every member in service on per-member metric `metric`, in one pass (a
/// board reporting for all, or a simulation spreading load evenly). On success `*out_reporting` is
/// the number of members that reported. Errors: `GroupError::UnknownMetric`,
/// `GroupError::OutOfRange` (a group metric), `ScalingError::TooOld`. The group is
/// unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_record_in_service(
    group: *mut fc_group,
    at_ms: u64,
    metric: u8,
    value_milli: i64,
    out_reporting: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_reporting`.
        let (group, out) = unsafe { (group_mut(group)?, Out::new(out_reporting)?) };
        out.write(group.record_in_service(
            Instant::from_millis(at_ms),
            metric,
            Value::from_milli(value_milli),
        )?);
        Ok(())
    })
}

/// `PutMetricAlarm` parameters for `fc_group_put_alarm`. A zeroed struct is average,
/// `missing`, M = N, but `comparison` and `evaluation_periods` must be set.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_alarm_config {
    /// `Statistic` (`FC_STATISTIC_*`).
    pub statistic: u32,
    /// `ComparisonOperator` (`FC_COMPARISON_*`).
    pub comparison: u32,
    /// `Threshold`, thousandths.
    pub threshold_milli: i64,
    /// `EvaluationPeriods` (N ≥ 1).
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm` (M, 1 ≤ M ≤ N), or 0 for N.
    pub datapoints_to_alarm: u32,
    /// `TreatMissingData` (`FC_MISSING_DATA_*`).
    pub missing_data: u32,
}

/// `PutMetricAlarm` on metric `metric` with scaling policy `policy` (a simple or step policy) as
/// its action. The alarm starts in `INSUFFICIENT_DATA` and is evaluated in `fc_group_tick`. On
/// success `*out_index` is the alarm's index. Errors: `FC_STATUS_INVALID_ENUM_VALUE`,
/// `GroupError::UnknownMetric`, `GroupError::UnknownPolicy` (also a target-tracking policy, which
/// owns its alarms), `ScalingError::InvalidEvaluation`, `GroupError::TooManyAlarms`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_alarm(
    group: *mut fc_group,
    now_ms: u64,
    metric: u8,
    config: *const fc_alarm_config,
    policy: u8,
    out_index: *mut u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, c, out) = unsafe { (group_mut(group)?, input(config)?, Out::new(out_index)?) };
        let config = AlarmConfig {
            statistic: statistic(c.statistic)?,
            comparison: comparison(c.comparison)?,
            threshold: Value::from_milli(c.threshold_milli),
            evaluation_periods: c.evaluation_periods,
            datapoints_to_alarm: (c.datapoints_to_alarm != 0).then_some(c.datapoints_to_alarm),
            missing_data: missing_data(c.missing_data)?,
        };
        out.write(group.put_alarm(Instant::from_millis(now_ms), metric, config, policy)?);
        Ok(())
    })
}

/// The state of alarm `alarm` (`FC_ALARM_STATE_*`) as of the last tick that evaluated it. Errors:
/// `FC_STATUS_INDEX_OUT_OF_RANGE`. `*out_state` is written only on success. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_alarm_state(
    group: *const fc_group,
    alarm: u8,
    out_state: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_state`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_state)?) };
        let a = group
            .alarms()
            .get(usize::from(alarm))
            .ok_or(fc_status::IndexOutOfRange)?;
        out.write(a.alarm.state().number());
        Ok(())
    })
}

/// A `SimpleScaling` policy for `fc_group_put_simple_policy`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_simple_policy {
    /// `AdjustmentType` (`FC_ADJUSTMENT_TYPE_*`).
    pub adjustment_type: u32,
    /// `ScalingAdjustment`.
    pub adjustment: i32,
    /// `Cooldown`, milliseconds, or -1 for the group's default cooldown.
    pub cooldown_ms: i64,
    /// `MinAdjustmentMagnitude` (percent adjustments only), or -1 for none.
    pub min_adjustment_magnitude: i64,
}

/// Adds the policy and writes its index; shared by the three `put_*_policy` functions.
///
/// # Safety
/// `group` is NULL or an `fc_group`; `out_index` is NULL or valid for writing a `uint8_t`.
unsafe fn put_policy(
    group: *mut fc_group,
    out_index: *mut u8,
    make: impl FnOnce() -> Result<ScalingPolicy, fc_status>,
) -> fc_status {
    boundary(|| {
        // SAFETY: this function's contract.
        let (group, out) = unsafe { (group_mut(group)?, Out::new(out_index)?) };
        out.write(group.put_scaling_policy(make()?)?);
        Ok(())
    })
}

/// `PutScalingPolicy` with `SimpleScaling`: one adjustment per execution, then a cooldown. On
/// success `*out_index` is the policy's index (for alarms and `fc_group_execute_policy`). Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE`, `GroupError::OutOfRange` (negative other than -1),
/// `ScalingError::InvalidAdjustment`, `GroupError::TooManyPolicies`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_simple_policy(
    group: *mut fc_group,
    policy: *const fc_simple_policy,
    out_index: *mut u8,
) -> fc_status {
    // SAFETY: the caller's contract for `group` and `out_index`.
    unsafe {
        put_policy(group, out_index, || {
            // SAFETY (covered by the enclosing block): the caller's contract for `policy`.
            let p = input(policy)?;
            Ok(ScalingPolicy::Simple {
                adjustment_type: adjustment_type(p.adjustment_type)?,
                adjustment: p.adjustment,
                cooldown: optional_ms(p.cooldown_ms)?,
                min_adjustment_magnitude: optional_u32(p.min_adjustment_magnitude)?,
            })
        })
    }
}

/// One `StepAdjustment`: bounds relative to the alarm threshold, in thousandths.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_step_adjustment {
    /// Whether `lower_milli` is set (false: −∞).
    pub has_lower: bool,
    /// `MetricIntervalLowerBound`.
    pub lower_milli: i64,
    /// Whether `upper_milli` is set (false: +∞).
    pub has_upper: bool,
    /// `MetricIntervalUpperBound`.
    pub upper_milli: i64,
    /// `ScalingAdjustment`.
    pub adjustment: i32,
}

/// A `StepScaling` policy for `fc_group_put_step_policy`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_step_policy {
    /// `AdjustmentType` (`FC_ADJUSTMENT_TYPE_*`).
    pub adjustment_type: u32,
    /// `StepAdjustments`: `step_count` steps (at most `FC_GROUP_MAX_STEPS`).
    pub steps: *const fc_step_adjustment,
    /// Number of steps.
    pub step_count: usize,
    /// `MinAdjustmentMagnitude` (percent adjustments only), or -1 for none.
    pub min_adjustment_magnitude: i64,
    /// `EstimatedInstanceWarmup`, milliseconds, or -1 for the group's.
    pub warmup_ms: i64,
    /// `MetricAggregationType` (`FC_AGGREGATION_*`).
    pub aggregation: u32,
}

/// `PutScalingPolicy` with `StepScaling`: the step is chosen from the alarm's aggregated value
/// relative to its threshold; no cooldown, but scale-out counts from the members past their
/// warm-up. On success `*out_index` is the policy's index. Errors: `FC_STATUS_NULL_ARGUMENT` (also
/// `steps` NULL with a nonzero count), `FC_STATUS_INVALID_ENUM_VALUE`,
/// `GroupError::OutOfRange`, `ScalingError::InvalidSteps` (gaps, overlaps, no steps, more than
/// 20), `ScalingError::InvalidAdjustment`, `GroupError::TooManyPolicies`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_step_policy(
    group: *mut fc_group,
    policy: *const fc_step_policy,
    out_index: *mut u8,
) -> fc_status {
    // SAFETY: the caller's contract for `group` and `out_index`.
    unsafe {
        put_policy(group, out_index, || {
            // SAFETY (covered by the enclosing block): the caller's contract for `policy` and the
            // steps it points to.
            let p = input(policy)?;
            let given = input_slice(p.steps, p.step_count)?;
            let mut steps = heapless::Vec::new();
            for s in given {
                steps
                    .push(StepAdjustment {
                        lower: s.has_lower.then_some(Value::from_milli(s.lower_milli)),
                        upper: s.has_upper.then_some(Value::from_milli(s.upper_milli)),
                        adjustment: s.adjustment,
                    })
                    .map_err(|_| fc_status::InvalidSteps)?;
            }
            Ok(ScalingPolicy::Step {
                adjustment_type: adjustment_type(p.adjustment_type)?,
                steps,
                min_adjustment_magnitude: optional_u32(p.min_adjustment_magnitude)?,
                warmup: optional_ms(p.warmup_ms)?,
                aggregation: aggregation(p.aggregation)?,
            })
        })
    }
}

/// A `TargetTrackingScaling` policy for `fc_group_put_target_tracking`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_target_tracking_policy {
    /// The metric tracked (its index).
    pub metric: u8,
    /// `TargetValue`, thousandths (positive).
    pub target_milli: i64,
    /// `DisableScaleIn`.
    pub disable_scale_in: bool,
    /// `EstimatedInstanceWarmup`, milliseconds, or -1 for the group's.
    pub warmup_ms: i64,
    /// HPA instead of alarms (`FC_HPA_*`).
    pub hpa: u32,
}

/// `PutScalingPolicy` with `TargetTrackingScaling` (SEMANTICS §3.3): the group creates and owns its
/// `AlarmHigh`/`AlarmLow` at the next tick; with `hpa`, the Kubernetes HPA runs every 15 s instead.
/// On success `*out_index` is the policy's index. Errors: `FC_STATUS_INVALID_ENUM_VALUE`,
/// `GroupError::OutOfRange`, `GroupError::UnknownMetric`, `ScalingError::InvalidTargetTracking`
/// (target not positive, or HPA on a group metric), `ScalingError::HpaTaken`,
/// `GroupError::TooManyPolicies`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_target_tracking(
    group: *mut fc_group,
    policy: *const fc_target_tracking_policy,
    out_index: *mut u8,
) -> fc_status {
    // SAFETY: the caller's contract for `group` and `out_index`.
    unsafe {
        put_policy(group, out_index, || {
            // SAFETY (covered by the enclosing block): the caller's contract for `policy`.
            let p = input(policy)?;
            let hpa = match p.hpa {
                0 => None,
                1 => Some(None),
                2 => Some(Some(Behavior::default())),
                _ => return Err(fc_status::InvalidEnumValue),
            };
            Ok(ScalingPolicy::TargetTracking {
                metric: p.metric,
                tracking: TargetTracking {
                    target: Value::from_milli(p.target_milli),
                    disable_scale_in: p.disable_scale_in,
                },
                warmup: optional_ms(p.warmup_ms)?,
                hpa,
            })
        })
    }
}

/// `fc_group_put_target_tracking` run by the Kubernetes HPA with any `*behavior` (NULL: legacy
/// rules); `policy->hpa` is ignored; `*out_index` is the policy's index. Errors: those of
/// `fc_group_put_target_tracking`, `FC_STATUS_INVALID_ENUM_VALUE`,
/// `ScalingError::InvalidBehavior`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_hpa_policy(
    group: *mut fc_group,
    policy: *const fc_target_tracking_policy,
    behavior: *const crate::hpa::fc_hpa_behavior,
    out_index: *mut u8,
) -> fc_status {
    // SAFETY: the caller's contract for `group` and `out_index`.
    unsafe {
        put_policy(group, out_index, || {
            // SAFETY (covered by the enclosing block): the caller's contract for `policy`.
            let p = input(policy)?;
            let behavior = if behavior.is_null() {
                None
            } else {
                // SAFETY (covered by the enclosing block): not NULL; the caller's contract.
                Some(input(behavior)?.to_core()?)
            };
            Ok(ScalingPolicy::TargetTracking {
                metric: p.metric,
                tracking: TargetTracking {
                    target: Value::from_milli(p.target_milli),
                    disable_scale_in: p.disable_scale_in,
                },
                warmup: optional_ms(p.warmup_ms)?,
                hpa: Some(behavior),
            })
        })
    }
}

/// What `fc_group_execute_policy` did.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_executed {
    /// `FC_EXECUTED_KIND_*`.
    pub kind: u32,
    /// `CHANGED`: desired capacity before.
    pub from: u32,
    /// `CHANGED`: desired capacity after.
    pub to: u32,
}

/// `ExecutePolicy` on a simple or step policy, by hand. A step policy needs the metric value and
/// the threshold it is compared with (`has_metric`); a simple policy ignores them. `honor_cooldown`
/// applies to simple policies. On success `*out_result` says what happened. Errors:
/// `GroupError::UnknownPolicy`, `ScalingError::NoStep` (a step policy without a metric or with a value
/// no step matches), `ScalingError::NotExecutable` (target tracking). Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_execute_policy(
    group: *mut fc_group,
    now_ms: u64,
    policy: u8,
    has_metric: bool,
    metric_milli: i64,
    threshold_milli: i64,
    honor_cooldown: bool,
    out_result: *mut fc_executed,
) -> fc_status {
    use fleetcore::group::Executed;
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_result`.
        let (group, out) = unsafe { (group_mut(group)?, Out::new(out_result)?) };
        let metric = has_metric.then_some((
            Value::from_milli(metric_milli),
            Value::from_milli(threshold_milli),
        ));
        let executed = group.execute_policy(
            Instant::from_millis(now_ms),
            policy,
            metric,
            false,
            honor_cooldown,
        )?;
        let (from, to) = match executed {
            Executed::Changed { from, to } => (from, to),
            _ => (0, 0),
        };
        out.write(fc_executed {
            kind: executed.kind().number(),
            from,
            to,
        });
        Ok(())
    })
}

/// `PutScheduledUpdateGroupAction` parameters for `fc_group_put_scheduled_action`. The
/// strings are borrowed for the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_scheduled_action {
    /// `ScheduledActionName` (1-64 bytes), unique in the group: putting a name again replaces
    /// the action.
    pub name: *const c_char,
    /// `Recurrence`: five cron fields such as `"0 8 * * MON-FRI"`, or NULL.
    pub recurrence: *const c_char,
    /// `TimeZone` the recurrence is read in, as a POSIX TZ rule such as
    /// `"CET-1CEST,M3.5.0,M10.5.0/3"`, or NULL for UTC.
    pub time_zone: *const c_char,
    /// `StartTime`, milliseconds since the Unix epoch, or -1.
    pub start_ms: i64,
    /// `EndTime`, or -1.
    pub end_ms: i64,
    /// `MinSize` to set, or -1.
    pub min_size: i64,
    /// `MaxSize` to set, or -1.
    pub max_size: i64,
    /// `DesiredCapacity` to set, or -1.
    pub desired_capacity: i64,
}

/// `PutScheduledUpdateGroupAction`: sets min, max and desired at `start_ms` and/or on the
/// recurrence, in `fc_group_tick`, not held back by cooldowns (SEMANTICS §3.6). Errors:
/// `FC_STATUS_NULL_ARGUMENT` (`group`, `action`, `name`), `FC_STATUS_NOT_UTF8`,
/// `ScalingError::InvalidCron` (also neither a recurrence nor a start time),
/// `ScalingError::InvalidTimeZone`, `GroupError::OutOfRange` (no size set, an empty or long
/// name, an end not after the start, a negative value other than -1), `GroupError::MaxBelowMin`,
/// `GroupError::MaxAboveCapacity`, `GroupError::ScheduleConflict`, `GroupError::TooManyScheduled`.
/// The schedule is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_scheduled_action(
    group: *mut fc_group,
    now_ms: u64,
    action: *const fc_scheduled_action,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`, `action` and its name.
        let (group, a, name) = unsafe {
            let a = input(action)?;
            (group_mut(group)?, a, input_str(a.name)?)
        };
        let recurrence = if a.recurrence.is_null() {
            None
        } else {
            // SAFETY: not NULL; NUL-terminated by the caller's contract.
            Some(Cron::parse(unsafe { input_str(a.recurrence) }?)?)
        };
        let time_zone = if a.time_zone.is_null() {
            TimeZone::UTC
        } else {
            // SAFETY: not NULL; NUL-terminated by the caller's contract.
            TimeZone::parse(unsafe { input_str(a.time_zone) }?)?
        };
        let start = optional(a.start_ms)?.map(Instant::from_millis);
        let mut scheduled = ScheduledAction::new(name, recurrence, start)?;
        scheduled.time_zone = time_zone;
        scheduled.end_time = optional(a.end_ms)?.map(Instant::from_millis);
        scheduled.min_size = optional_u32(a.min_size)?;
        scheduled.max_size = optional_u32(a.max_size)?;
        scheduled.desired_capacity = optional_u32(a.desired_capacity)?;
        group.put_scheduled_action(Instant::from_millis(now_ms), scheduled)?;
        Ok(())
    })
}

/// `DeleteScheduledAction`. Errors: `FC_STATUS_NOT_UTF8`, `GroupError::UnknownScheduledAction`. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_delete_scheduled_action(
    group: *mut fc_group,
    name: *const c_char,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `name`.
        let (group, name) = unsafe { (group_mut(group)?, input_str(name)?) };
        group.delete_scheduled_action(name)?;
        Ok(())
    })
}

/// A predictive scaling policy for `fc_group_put_predictive`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_predictive_config {
    /// `Mode` (`FC_PREDICTIVE_MODE_*`).
    pub mode: u32,
    /// The load one member should carry in an hour (`TargetValue`), thousandths.
    pub target_per_member_milli: i64,
    /// `SchedulingBufferTime`, milliseconds (under an hour), or -1 for 300 s.
    pub buffer_ms: i64,
    /// `MaxCapacityBreachBehavior` = `IncreaseMaxCapacity` (false: `HonorMaxCapacity`).
    pub increase_max_capacity: bool,
    /// `MaxCapacityBuffer`, percent (0-100), with `increase_max_capacity`.
    pub max_capacity_buffer_percent: u32,
}

/// `PutScalingPolicy` with `PredictiveScaling`, learning from the samples of group metric `metric`
/// (the load); in `FORECAST_AND_SCALE` the group scales ahead of the forecast in `fc_group_tick`. A
/// group runs one predictive policy; a new one replaces it and its history. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE`, `GroupError::OutOfRange` (a per-member metric, or a
/// negative buffer other than -1), `GroupError::UnknownMetric`, `ScalingError::InvalidForecastConfig`.
/// Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_put_predictive(
    group: *mut fc_group,
    config: *const fc_predictive_config,
    metric: u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `config`.
        let (group, c) = unsafe { (group_mut(group)?, input(config)?) };
        let mode = match c.mode {
            0 => Mode::ForecastOnly,
            1 => Mode::ForecastAndScale,
            _ => return Err(fc_status::InvalidEnumValue),
        };
        let config = PredictiveConfig {
            mode,
            target_per_member: Value::from_milli(c.target_per_member_milli),
            buffer: optional_ms(c.buffer_ms)?.unwrap_or(DEFAULT_BUFFER),
            max_breach: if c.increase_max_capacity {
                MaxBreach::IncreaseMaxCapacity {
                    buffer_percent: c.max_capacity_buffer_percent,
                }
            } else {
                MaxBreach::HonorMaxCapacity
            },
        };
        group.put_predictive_policy(config, metric)?;
        Ok(())
    })
}

/// The predictive policy's forecast load for hour `hour` (hours since the Unix epoch, `now_ms /
/// 3600000`), in thousandths. On success `*out_has` is set, and `*out_milli` is written only when
/// it is true (false before 24 hours of history, or when no season has data for the hour); on error
/// neither is written. Errors: `GroupError::UnknownPolicy` (no predictive policy). Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_forecast(
    group: *const fc_group,
    hour: u64,
    out_milli: *mut i64,
    out_has: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, milli, has) =
            unsafe { (group_ref(group)?, Out::new(out_milli)?, Out::new(out_has)?) };
        let (_, forecaster) = group.predictive().ok_or(fc_status::UnknownPolicy)?;
        match forecaster.forecast(hour) {
            Some(v) => {
                milli.write(v.milli());
                has.write(true);
            }
            None => has.write(false),
        }
        Ok(())
    })
}
