//! The Kubernetes Horizontal Pod Autoscaler algorithm, as an option of target tracking for
//! hardware that must not flap (issue 4). It follows the upstream controller
//! (`pkg/controller/podautoscaler`: `replica_calculator.go` and `horizontal.go`):
//!
//! - desired = ⌈ratio × ready pods⌉, nothing when the ratio is within the tolerances (0.1 each
//!   way by default, or a scale-up and a scale-down tolerance of their own);
//! - a `Resource` metric with a `Utilization` target compares the utilization truncated to a
//!   whole percent, and counts a pod without a metric as `max(100 %, target)` of its request on
//!   a scale-down ([`resource_utilization_replicas`]; the group's per-member metrics, see
//!   [`desired_replicas`]); a `Pods` metric (an `AverageValue` target) counts it as exactly the
//!   target ([`pods_average_replicas`]); both count it as 0 on a scale-up, count unready pods
//!   as 0 on a scale-up and leave them out on a scale-down, and change nothing if that reverses
//!   the direction or lands within tolerance;
//! - `Object` and `External` metrics with `Value` or `AverageValue` targets
//!   ([`object_replicas`]), a `Value` target scaling from zero;
//! - without a behaviour, scale-up is limited to max(2 × current, 4) and scale-down is
//!   stabilised over 300 s;
//! - with a behaviour: stabilisation windows (defaults 0 s up, 300 s down), rate policies by
//!   `Pods` and `Percent` with their periods, `selectPolicy` `Max`, `Min` or `Disabled`;
//! - the result is clamped to [min, max];
//! - pod-level inputs ([`Pod`]: phase, `Ready` condition and its transition time, start time,
//!   deletion mark, sample timestamp and window, request) grouped as upstream's `groupPods`
//!   groups them ([`group_pods`], [`Metric::PodLevel`]), with the CPU initialization period
//!   and the initial readiness delay ([`Readiness`]);
//! - read access to what upstream stores: the scale-event logs with their `outdated` marks
//!   ([`Autoscaler::scale_event_log`]), the recommendation log
//!   ([`Autoscaler::recommendation_log`]) and the conditions ([`Autoscaler::conditions`]).
//!
//! Arithmetic is exact integer arithmetic on thousandths, where upstream uses `float64`; the
//! two agree except on values that `float64` cannot represent exactly.

use super::alarm::Value;

mod autoscaler;
mod behavior;
mod pods;
mod replicas;
pub use autoscaler::{
    Autoscaler, Condition, Conditions, Controller, MAX_METRICS, MAX_PODS, Metric, MetricSourceType,
    PodSource, Reason, Recommendation, ResourceTarget, Scale, ScaleEvent,
};
pub use behavior::{
    Behavior, DEFAULT_DOWN_WINDOW, DEFAULT_POLICIES, MAX_POLICIES, MAX_RATE_PERIOD,
    MAX_STABILIZATION, PolicyKind, RatePolicy, ScalingRules, SelectPolicy,
};
pub use pods::{
    Pod, PodGroup, PodGroups, PodPhase, PodSample, Readiness, ReadyCondition, group_pods,
};
pub use replicas::{
    MAX_REPLICAS, ObjectTarget, ObjectTargetType, ResourcePod, Tolerances, object_replicas,
    pods_average_replicas, resource_utilization_replicas,
};

#[cfg(test)]
mod pod_tests;
#[cfg(test)]
mod tests;

/// The upstream default tolerance, 0.1, in thousandths.
pub const TOLERANCE_MILLI: i64 = 100;
/// How many recommendations and scale events an autoscaler remembers.
pub const HISTORY: usize = 64;

/// What one member reports to the calculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MemberMetric {
    /// Ready, with its metric.
    Ready(Value),
    /// Not ready yet (booting, warming up).
    Unready,
    /// Ready but no metric arrived.
    Missing,
}

vocabulary! {
    /// What a [`MemberMetric`] is, without its value: `fc_member_metric.state`, and the
    /// `"unready"` Python reads for a member.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum MemberMetricState: "member metric state" {
        /// [`MemberMetric::Ready`].
        Ready = 0 => "ready",
        /// [`MemberMetric::Unready`].
        Unready = 1 => "unready",
        /// [`MemberMetric::Missing`].
        Missing = 2 => "missing",
    }
}

impl MemberMetric {
    /// Ready, unready or missing, without the value.
    pub const fn state(self) -> MemberMetricState {
        match self {
            Self::Ready(_) => MemberMetricState::Ready,
            Self::Unready => MemberMetricState::Unready,
            Self::Missing => MemberMetricState::Missing,
        }
    }
}

/// The replica calculation for the group's per-member metrics: a `Resource` metric with a
/// `Utilization` target ([`resource_utilization_replicas`]) where every member reports a
/// percentage of its own capacity, so each member's request is 100 (%) and `target` is a
/// percentage (decimals allowed, where upstream takes whole percent). The utilization is
/// truncated to a whole percent first, as upstream does, and a missing member counts as
/// `max(100, target)` % on a scale-down. `current` is the number of members
/// (`currentReplicas`); returns `current` when nothing should change, when no member has a
/// metric, and for a target that is not positive.
pub fn desired_replicas(current: u32, members: &[MemberMetric], target: Value) -> u32 {
    desired_replicas_within(current, members, target, &Tolerances::DEFAULT)
}

/// [`desired_replicas`] with tolerances of its own (a behaviour's, see
/// [`Autoscaler::tolerances`]).
pub fn desired_replicas_within(
    current: u32,
    members: &[MemberMetric],
    target: Value,
    tolerances: &Tolerances,
) -> u32 {
    let pods = members.iter().map(|&metric| ResourcePod {
        metric,
        request: Value::from_int(100),
    });
    match replicas::utilization_replicas(current, pods, target, tolerances) {
        Ok(Some(n)) => n,
        _ => current,
    }
}
