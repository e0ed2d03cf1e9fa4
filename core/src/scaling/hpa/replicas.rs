//! The replica calculation of upstream `replica_calculator.go`, one function per kind of metric
//! target, and the tolerances (`HPAConfigurableTolerance`, Kubernetes 1.33) they share.
//!
//! Upstream computes ratios in `float64`; here every ratio is kept as an exact fraction of
//! integers (`i128`), so `ceil` and the tolerance test are exact. Where upstream truncates to an
//! integer first (a utilization in whole percent, an average value in thousandths) this code
//! truncates at the same place.

use super::MemberMetric;
use crate::scaling::ScalingError;
use crate::scaling::alarm::Value;

/// The tolerances around a usage ratio of 1 inside which nothing changes: a ratio `r` with
/// `1 − scale_down ≤ r ≤ 1 + scale_up` keeps the current count (`Tolerances.isWithin`).
/// Each is a fraction in thousandths (`Value::from_milli(100)` is upstream's default 0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Tolerances {
    /// How far under 1 the ratio may fall without a scale-down.
    pub scale_down: Value,
    /// How far over 1 the ratio may rise without a scale-up.
    pub scale_up: Value,
}

impl Tolerances {
    /// Upstream's default, 0.1 each way (`--horizontal-pod-autoscaler-tolerance`).
    pub const DEFAULT: Self = Self {
        scale_down: Value::from_milli(100),
        scale_up: Value::from_milli(100),
    };

    /// The same tolerance both ways.
    pub const fn both(t: Value) -> Self {
        Self {
            scale_down: t,
            scale_up: t,
        }
    }

    /// Checks that neither tolerance is negative (upstream validation: `tolerance` ≥ 0).
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        if self.scale_down.milli() < 0 || self.scale_up.milli() < 0 {
            return Err(ScalingError::InvalidBehavior);
        }
        Ok(())
    }

    /// Whether the ratio `r` is within the tolerances.
    pub(crate) fn is_within(&self, r: Ratio) -> bool {
        let down = i128::from(self.scale_down.milli());
        let up = i128::from(self.scale_up.milli());
        let x = r.num.saturating_mul(1000);
        let lo = 1000i128.saturating_sub(down).saturating_mul(r.den);
        let hi = 1000i128.saturating_add(up).saturating_mul(r.den);
        lo <= x && x <= hi
    }
}

impl Default for Tolerances {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A non-negative usage ratio `num / den` with `den > 0`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ratio {
    num: i128,
    den: i128,
}

impl Ratio {
    /// `num / den`, or `None` when `den` is not positive.
    fn new(num: i128, den: i128) -> Option<Self> {
        (den > 0).then_some(Self { num, den })
    }

    fn above_one(self) -> bool {
        self.num > self.den
    }

    fn below_one(self) -> bool {
        self.num < self.den
    }

    /// `ceil(self × n)`, saturated at [`MAX_REPLICAS`].
    fn ceil_times(self, n: i128) -> u32 {
        ceil_div(self.num.saturating_mul(n), self.den)
    }
}

/// The largest replica count a calculation proposes: upstream counts are `int32`, and a
/// proposal beyond it saturates there (`TestReplicaCalcScaleUpOverflow`).
pub const MAX_REPLICAS: u32 = 2_147_483_647;

/// `ceil(a / b)` for `b > 0`, clamped to `[0, MAX_REPLICAS]`.
fn ceil_div(a: i128, b: i128) -> u32 {
    let q = a.checked_div(b).unwrap_or(0);
    let r = a.checked_rem(b).unwrap_or(0);
    let q = if r > 0 { q.saturating_add(1) } else { q };
    u32::try_from(q.clamp(0, i128::from(MAX_REPLICAS))).unwrap_or(MAX_REPLICAS)
}

/// `a / b` truncated toward zero as Go's integer division does; 0 when `b` is 0.
fn div(a: i128, b: i128) -> i128 {
    a.checked_div(b).unwrap_or(0)
}

/// One pod of a `Resource` (or `ContainerResource`) metric with a `Utilization` target: its
/// usage as a [`MemberMetric`] and its request, in the same unit (CPU millicores as
/// thousandths of a core, bytes…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResourcePod {
    /// The pod's usage, or why it has none.
    pub metric: MemberMetric,
    /// The pod's request for the resource (the sum over its containers, or the one container
    /// of a `ContainerResource` metric).
    pub request: Value,
}

/// The utilization in whole percent, truncated as upstream truncates it
/// (`GetResourceUtilizationRatio`: `int32(metricsTotal × 100 / requestsTotal)`), as a ratio to
/// the target (in thousandths of a percent); `None` when the requests sum to zero ("no metrics
/// returned matched known pods").
fn utilization_ratio(usage: i128, requests: i128, target_milli: i128) -> Option<Ratio> {
    if requests <= 0 {
        return None;
    }
    let percent = div(usage.saturating_mul(100), requests);
    Ratio::new(percent.saturating_mul(1000), target_milli)
}

/// The proposal of `GetResourceReplicas` for a `Resource` metric with a `Utilization` target of
/// `target_percent` (upstream takes whole percent only): the utilization over the ready pods in
/// whole percent, truncated; nothing changes within the tolerances; with pods missing or
/// unready, a second pass fills them in and only keeps a change in the same direction:
///
/// - on a scale-down a missing pod counts as using `max(100, target)` % of its request
///   (upstream since 1.34; older releases used 100 %), on a scale-up as 0;
/// - on a scale-up an unready pod counts as 0; on a scale-down it is left out.
///
/// `pods` are the pods upstream counts: failed pods and pods being deleted are left out by the
/// caller (upstream's "ignored"); `Unready` is a pending pod or, for CPU, one upstream's
/// `groupPods` finds unready. Returns `None` (the metric fails) when no ready pod has a metric
/// or the requests of the pods with a metric sum to zero.
///
/// # Errors
/// [`ScalingError::InvalidTargetTracking`] for a target of 0.
pub fn resource_utilization_replicas(
    current: u32,
    pods: &[ResourcePod],
    target_percent: u32,
    tolerances: &Tolerances,
) -> Result<Option<u32>, ScalingError> {
    let target = Value::from_int(i64::from(target_percent));
    utilization_replicas(current, pods.iter().copied(), target, tolerances)
}

/// [`resource_utilization_replicas`] with the target in thousandths of a percent (the group's
/// members report a percentage of their own capacity, and its targets may have decimals).
pub(crate) fn utilization_replicas<I>(
    current: u32,
    pods: I,
    target: Value,
    tolerances: &Tolerances,
) -> Result<Option<u32>, ScalingError>
where
    I: Iterator<Item = ResourcePod> + Clone,
{
    let target_milli = i128::from(target.milli());
    if target_milli <= 0 {
        return Err(ScalingError::InvalidTargetTracking);
    }
    let (mut ready, mut usage, mut requests) = (0i128, 0i128, 0i128);
    let (mut missing, mut unready) = (false, false);
    for p in pods.clone() {
        match p.metric {
            MemberMetric::Ready(v) => {
                ready = ready.saturating_add(1);
                usage = usage.saturating_add(i128::from(v.milli()));
                requests = requests.saturating_add(i128::from(p.request.milli()));
            }
            MemberMetric::Missing => missing = true,
            MemberMetric::Unready => unready = true,
        }
    }
    if ready == 0 {
        return Ok(None);
    }
    let Some(ratio) = utilization_ratio(usage, requests, target_milli) else {
        return Ok(None);
    };
    let scale_up_with_unready = unready && ratio.above_one();
    if !scale_up_with_unready && !missing {
        if tolerances.is_within(ratio) {
            return Ok(Some(current));
        }
        return Ok(Some(ratio.ceil_times(ready)));
    }
    // Second pass: fill in the missing pods (and the unready ones on a scale-up). The fallback
    // is max(100 %, target) of the pod's request, in thousandths of a percent.
    let fallback = target_milli.max(100_000);
    let (mut n, mut new_usage, mut new_requests) = (ready, usage, requests);
    for p in pods {
        let request = i128::from(p.request.milli());
        let filled = match p.metric {
            MemberMetric::Missing if ratio.below_one() => {
                Some(div(request.saturating_mul(fallback), 100_000))
            }
            MemberMetric::Missing if ratio.above_one() => Some(0),
            MemberMetric::Unready if scale_up_with_unready => Some(0),
            _ => None,
        };
        if let Some(v) = filled {
            n = n.saturating_add(1);
            new_usage = new_usage.saturating_add(v);
            new_requests = new_requests.saturating_add(request);
        }
    }
    let Some(new_ratio) = utilization_ratio(new_usage, new_requests, target_milli) else {
        return Ok(None);
    };
    Ok(Some(second_pass(current, ratio, new_ratio, n, tolerances)))
}

/// The end of both pod calculations: nothing within tolerance or when filling in reversed the
/// direction; otherwise `ceil(new ratio × pods counted)` unless that count goes the other way.
fn second_pass(current: u32, ratio: Ratio, new_ratio: Ratio, n: i128, tol: &Tolerances) -> u32 {
    let reversed = (ratio.below_one() && new_ratio.above_one())
        || (ratio.above_one() && new_ratio.below_one());
    if tol.is_within(new_ratio) || reversed {
        return current;
    }
    let proposed = new_ratio.ceil_times(n);
    if (new_ratio.below_one() && proposed > current)
        || (new_ratio.above_one() && proposed < current)
    {
        return current;
    }
    proposed
}

/// The proposal of `GetMetricReplicas` (`calcPlainMetricReplicas`) for a `Pods` metric, or a
/// `Resource` metric with an `AverageValue` target: the average over the ready pods in
/// thousandths, truncated as upstream truncates its milli-values, against `target`; missing
/// pods count as exactly `target` on a scale-down and 0 on a scale-up, unready pods as 0 on a
/// scale-up. Returns `None` (the metric fails) when no ready pod has a metric.
///
/// # Errors
/// [`ScalingError::InvalidTargetTracking`] for a target that is not positive.
pub fn pods_average_replicas(
    current: u32,
    pods: &[MemberMetric],
    target: Value,
    tolerances: &Tolerances,
) -> Result<Option<u32>, ScalingError> {
    average_replicas(current, pods.iter().copied(), target, tolerances)
}

/// [`pods_average_replicas`] over any sequence of pods (the pod-level inputs' grouping).
pub(crate) fn average_replicas<I>(
    current: u32,
    pods: I,
    target: Value,
    tolerances: &Tolerances,
) -> Result<Option<u32>, ScalingError>
where
    I: Iterator<Item = MemberMetric>,
{
    let t = i128::from(target.milli());
    if t <= 0 {
        return Err(ScalingError::InvalidTargetTracking);
    }
    let (mut ready, mut sum, mut missing, mut unready) = (0i128, 0i128, 0i128, 0i128);
    for p in pods {
        match p {
            MemberMetric::Ready(v) => {
                ready = ready.saturating_add(1);
                sum = sum.saturating_add(i128::from(v.milli()));
            }
            MemberMetric::Missing => missing = missing.saturating_add(1),
            MemberMetric::Unready => unready = unready.saturating_add(1),
        }
    }
    if ready == 0 {
        return Ok(None);
    }
    let Some(ratio) = Ratio::new(div(sum, ready), t) else {
        return Ok(None);
    };
    let scale_up_with_unready = unready > 0 && ratio.above_one();
    if !scale_up_with_unready && missing == 0 {
        if tolerances.is_within(ratio) {
            return Ok(Some(current));
        }
        return Ok(Some(ratio.ceil_times(ready)));
    }
    let (mut n, mut new_sum) = (ready, sum);
    if ratio.below_one() {
        n = n.saturating_add(missing);
        new_sum = new_sum.saturating_add(missing.saturating_mul(t));
    } else if ratio.above_one() {
        n = n.saturating_add(missing);
    }
    if scale_up_with_unready {
        n = n.saturating_add(unready);
    }
    let Some(new_ratio) = Ratio::new(div(new_sum, n), t) else {
        return Ok(None);
    };
    Ok(Some(second_pass(current, ratio, new_ratio, n, tolerances)))
}

vocabulary! {
    /// The `MetricTargetType` of an [`ObjectTarget`] (Kubernetes' spelling is canonical;
    /// `Utilization` is a resource metric's, `ResourceTarget`). No C enum.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum ObjectTargetType: "object target type" {
        /// [`ObjectTarget::Value`].
        Value = 0 => "Value",
        /// [`ObjectTarget::AverageValue`].
        AverageValue = 1 => "AverageValue",
    }
}

impl ObjectTarget {
    /// The target of type `kind` at `target`.
    pub const fn of_type(kind: ObjectTargetType, target: Value) -> Self {
        match kind {
            ObjectTargetType::Value => Self::Value(target),
            ObjectTargetType::AverageValue => Self::AverageValue(target),
        }
    }

    /// `Value` or `AverageValue`, without the target.
    pub const fn target_type(self) -> ObjectTargetType {
        match self {
            Self::Value(_) => ObjectTargetType::Value,
            Self::AverageValue(_) => ObjectTargetType::AverageValue,
        }
    }
}

/// What an `Object` or `External` metric reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ObjectTarget {
    /// A `Value` target: the metric (an object's value, or the sum of an external metric's
    /// series) against `target` for the whole workload.
    Value(Value),
    /// An `AverageValue` target: the metric divided among the replicas, against `target` for
    /// each.
    AverageValue(Value),
}

/// The proposal of `GetObjectMetricReplicas` / `GetExternalMetricReplicas` (a `Value` target)
/// and of `GetObjectPerPodMetricReplicas` / `GetExternalPerPodMetricReplicas` (an
/// `AverageValue` target) for a metric whose current value is `value` (for an External metric,
/// the sum of the series it returned):
///
/// - `Value`: ratio = value / target; with `current` 0 the proposal is `ceil(ratio)` with no
///   tolerance (scaling from zero); otherwise nothing within the tolerances, else
///   `ceil(ratio × ready_pods)` (the running and Ready pods, not `current`);
/// - `AverageValue`: ratio = value / (target × `status_replicas`); nothing within the
///   tolerances, else `ceil(value / target)`.
///
/// # Errors
/// [`ScalingError::InvalidTargetTracking`] for a target that is not positive.
pub fn object_replicas(
    current: u32,
    status_replicas: u32,
    ready_pods: u32,
    value: Value,
    target: ObjectTarget,
    tolerances: &Tolerances,
) -> Result<u32, ScalingError> {
    let v = i128::from(value.milli());
    match target {
        ObjectTarget::Value(t) => {
            let ratio =
                Ratio::new(v, i128::from(t.milli())).ok_or(ScalingError::InvalidTargetTracking)?;
            if current == 0 {
                return Ok(ratio.ceil_times(1));
            }
            if tolerances.is_within(ratio) {
                return Ok(current);
            }
            Ok(ratio.ceil_times(i128::from(ready_pods)))
        }
        ObjectTarget::AverageValue(t) => {
            let t = i128::from(t.milli());
            if t <= 0 {
                return Err(ScalingError::InvalidTargetTracking);
            }
            let den = t.saturating_mul(i128::from(status_replicas));
            // With no replicas the ratio is +Inf (or NaN for 0 / 0) upstream: never within.
            let within = Ratio::new(v, den).is_some_and(|r| tolerances.is_within(r));
            if within {
                return Ok(status_replicas);
            }
            Ok(ceil_div(v, t))
        }
    }
}
