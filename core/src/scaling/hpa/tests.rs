//! The replica calculation against upstream's own cases: each test names the test of
//! `pkg/controller/podautoscaler/replica_calculator_test.go` (kubernetes/kubernetes) whose
//! inputs and expected replica count it reproduces. Upstream pods have two containers that
//! report and request the same amounts; a pod here is their sum, which leaves every ratio as
//! upstream computes it.

use super::*;
use crate::scaling::ScalingError;
use crate::test_prelude::*;

const UP: Tolerances = Tolerances::DEFAULT;

/// A pod with `usage` millicores of `request` millicores.
fn cpu(usage: i64, request: i64) -> ResourcePod {
    ResourcePod {
        metric: MemberMetric::Ready(Value::from_milli(usage)),
        request: Value::from_milli(request),
    }
}

fn missing(request: i64) -> ResourcePod {
    ResourcePod {
        metric: MemberMetric::Missing,
        request: Value::from_milli(request),
    }
}

fn unready(request: i64) -> ResourcePod {
    ResourcePod {
        metric: MemberMetric::Unready,
        request: Value::from_milli(request),
    }
}

/// Pods of one core each at these usages.
fn cores(usages: &[i64]) -> Vec<ResourcePod> {
    usages.iter().map(|&u| cpu(u, 1000)).collect()
}

fn resource(current: u32, pods: &[ResourcePod], target: u32) -> Option<u32> {
    resource_utilization_replicas(current, pods, target, &UP).unwrap()
}

fn tol(down: i64, up: i64) -> Tolerances {
    Tolerances {
        scale_down: Value::from_milli(down),
        scale_up: Value::from_milli(up),
    }
}

// ----- Resource metrics, Utilization targets -------------------------------------------------

/// `TestReplicaCalcResourceScale`, cases "scale up", "scale up: unready pod scales less",
/// "no scale: unready pods ignored", "scale down", "scale down: exclude unready pods",
/// "scale down: exclude unscheduled pods" (pending pods are unready) and "scale up: failed pods
/// ignored" (failed pods are left out by the caller).
#[test]
fn resource_scale_cases() {
    assert_eq!(resource(3, &cores(&[300, 500, 700]), 30), Some(5));
    let mut p = cores(&[300, 500, 700]);
    p[0] = unready(1000);
    assert_eq!(resource(3, &p, 30), Some(4), "unready pod scales less");
    let p = [cpu(400, 1000), unready(1000), unready(1000)];
    assert_eq!(resource(3, &p, 30), Some(3), "unready pods ignored");
    assert_eq!(resource(5, &cores(&[100, 300, 500, 250, 250]), 50), Some(3));
    let mut p = cores(&[100, 300, 500, 250, 250]);
    p[3] = unready(1000);
    p[4] = unready(1000);
    assert_eq!(resource(5, &p, 50), Some(2), "exclude unready pods");
    let p = [
        cpu(100, 1000),
        unready(1000),
        unready(1000),
        unready(1000),
        unready(1000),
    ];
    assert_eq!(resource(5, &p, 50), Some(1), "exclude unscheduled pods");
    assert_eq!(resource(2, &cores(&[500, 700]), 30), Some(4), "failed pods");
}

/// `TestReplicaCalcTolerance`: requests 0.9, 1.0 and 1.1 cores, 102 % of a 100 % target.
#[test]
fn resource_tolerance() {
    let p = [cpu(1010, 900), cpu(1030, 1000), cpu(1020, 1100)];
    assert_eq!(resource(3, &p, 100), Some(3));
}

/// Issue 17, defect 4: upstream truncates the utilization to a whole percent before comparing,
/// so 3 pods at 110.5 % of a 100 % target are at 110 %, within the tolerance (fleetcore used
/// to give 4). Upstream's `GetResourceUtilizationRatio` and `TestReplicaCalcTolerance`'s
/// expected utilization (102 for 102.0 %) show the truncation.
#[test]
fn resource_utilization_is_truncated_to_a_whole_percent() {
    assert_eq!(resource(3, &cores(&[1105, 1105, 1105]), 100), Some(3));
    let members = [MemberMetric::Ready(Value::from_milli(110_500)); 3];
    assert_eq!(desired_replicas(3, &members, Value::from_int(100)), 3);
    assert_eq!(
        resource(3, &cores(&[1115, 1115, 1115]), 100),
        Some(4),
        "111 %"
    );
}

/// `TestReplicaCalcConfigurableTolerance`: the five cases of scale-up and scale-down
/// tolerances of their own.
#[test]
fn resource_configurable_tolerance() {
    let req = [900, 1000, 1100];
    let pods =
        |u: [i64; 3]| -> Vec<ResourcePod> { u.iter().zip(req).map(|(&u, r)| cpu(u, r)).collect() };
    let calc =
        |p: &[ResourcePod], t: Tolerances| resource_utilization_replicas(3, p, 100, &t).unwrap();
    assert_eq!(calc(&pods([909, 1010, 1111]), tol(0, 0)), Some(4), "0 %");
    assert_eq!(
        calc(&pods([1890, 1910, 1900]), tol(100, 2000)),
        Some(3),
        "within a 200 % scale-up tolerance"
    );
    assert_eq!(
        calc(&pods([1100, 1080, 1090]), tol(2000, 80)),
        Some(4),
        "outside 8 % scale-up tolerance"
    );
    assert_eq!(
        calc(&pods([660, 640, 650]), tol(360, 100)),
        Some(3),
        "within a 36 % scale-down tolerance"
    );
    assert_eq!(
        calc(&pods([660, 640, 650]), tol(340, 100)),
        Some(2),
        "outside a 34 % scale-down tolerance"
    );
}

/// `TestReplicaCalcMissingMetrics`: two of four pods report (400 m and 95 m of 1 core, 24 %);
/// on the scale-down the two missing pods count as 100 % of their request: 62 %, 3 pods.
#[test]
fn resource_missing_metrics() {
    let p = [cpu(400, 1000), cpu(95, 1000), missing(1000), missing(1000)];
    assert_eq!(resource(4, &p, 100), Some(3));
}

/// `TestReplicaCalcMissingMetricsNoChangeEq`, `…NoChangeGt`, `…NoChangeLt`: one of two pods
/// reports 100 %, 190 % and 60 % of a 100 % target; filling in the other leaves each within
/// tolerance or reverses the direction.
#[test]
fn resource_missing_metrics_no_change() {
    for usage in [1000, 1900, 600] {
        let p = [cpu(usage, 1000), missing(1000)];
        assert_eq!(resource(2, &p, 100), Some(2), "{usage}");
    }
}

/// `TestReplicaCalcMissingMetricsUnreadyChange` and `…HotCpuNoChange` (an unready pod, one
/// missing, 45 % of 50 %: within tolerance), `…UnreadyScaleUp` and `…HotCpuScaleUp` (200 % of
/// 50 %: the unready and missing pods count as 0, 4 pods).
#[test]
fn resource_missing_and_unready() {
    let p = [unready(1000), cpu(450, 1000), missing(1000)];
    assert_eq!(resource(3, &p, 50), Some(3));
    let p = [unready(1000), cpu(2000, 1000), missing(1000)];
    assert_eq!(resource(3, &p, 50), Some(4));
}

/// `TestReplicaCalcMissingMetricsUnreadyScaleDown`: one unready pod, two at 10 %, one missing
/// counted as 100 % of its request: 40 % of 50 %, 3 pods.
#[test]
fn resource_missing_unready_scale_down() {
    let p = [unready(1000), cpu(100, 1000), cpu(100, 1000), missing(1000)];
    assert_eq!(resource(4, &p, 50), Some(3));
}

/// `TestReplicaCalcMissingMetricsScaleDownTargetOver100`: with a 300 % target the missing pod
/// counts as 300 % of its 2-core request (upstream's `max(100, target)`), so 6 % becomes 124 %
/// and 4 pods become 2 (a fill of 100 % would give 1).
#[test]
fn resource_missing_target_over_100() {
    let p = [unready(1000), cpu(100, 1000), cpu(100, 2000), missing(2000)];
    assert_eq!(resource(4, &p, 300), Some(2));
}

/// Issue 17, defect 4, through the group's calculation: a 50 % target, two members at 10 %
/// and two without a metric. Upstream fills them at 100 %: 55 %, which reverses the direction,
/// so nothing changes. Filling them at the target (the `Pods` rule, fleetcore's old behaviour)
/// gave 30 % and a scale-down to 3.
#[test]
fn group_members_missing_count_as_a_full_request_on_scale_down() {
    let v = |x| MemberMetric::Ready(Value::from_int(x));
    let members = [v(10), v(10), MemberMetric::Missing, MemberMetric::Missing];
    assert_eq!(desired_replicas(4, &members, Value::from_int(50)), 4);
    let as_pods = pods_average_replicas(4, &members, Value::from_int(50), &UP).unwrap();
    assert_eq!(as_pods, Some(3), "the Pods rule fills at the target");
}

/// `TestReplicaCalcDuringRollingUpdateWithMaxSurge`: a surge pod without a metric, 10 % of
/// 50 %: the missing pod at 100 % reverses the direction, no change.
#[test]
fn resource_rolling_update_with_max_surge() {
    let p = [cpu(100, 1000), cpu(100, 1000), missing(1000)];
    assert_eq!(resource(2, &p, 50), Some(2));
}

/// `TestReplicaCalcComputedToleranceAlgImplementation`: ten pods at 150 m of about 300 m (50 %)
/// against 56 % scale to 9; against 55 % (within 0.1) they stay at 10.
#[test]
fn resource_computed_tolerance() {
    let req = [400, 200, 310, 290, 302, 298, 301, 299, 300, 300];
    let p: Vec<ResourcePod> = req.iter().map(|&r| cpu(150, r)).collect();
    assert_eq!(resource(10, &p, 56), Some(9));
    assert_eq!(resource(10, &p, 55), Some(10));
}

/// `TestReplicaCalcEmptyMetrics`, `TestReplicaCalcDisjointResourcesMetrics`: no metric for any
/// ready pod, or metrics whose requests sum to zero: the metric fails.
#[test]
fn resource_without_metrics_fails() {
    assert_eq!(resource(4, &[missing(1000), missing(1000)], 100), None);
    assert_eq!(resource(1, &[cpu(100, 0)], 100), None);
    assert_eq!(
        resource_utilization_replicas(1, &cores(&[1]), 0, &UP),
        Err(ScalingError::InvalidTargetTracking)
    );
}

// ----- Pods metrics (AverageValue) -----------------------------------------------------------

fn qps(values: &[i64]) -> Vec<MemberMetric> {
    values
        .iter()
        .map(|&x| MemberMetric::Ready(Value::from_milli(x)))
        .collect()
}

fn pods(current: u32, p: &[MemberMetric], target: i64, t: Tolerances) -> Option<u32> {
    pods_average_replicas(current, p, Value::from_milli(target), &t).unwrap()
}

/// `TestReplicaCalcScaleUpCM`, `TestReplicaCalcScaleDownCM`, `TestReplicaCalcToleranceCM`,
/// `TestReplicaCalcConfigurableToleranceCM`, `TestPlainMetricReplicaCalcMissingMetricsNoChangeEq`
/// and `TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM`.
#[test]
fn pods_metric_cases() {
    assert_eq!(pods(3, &qps(&[20000, 10000, 30000]), 15000, UP), Some(4));
    assert_eq!(pods(5, &qps(&[12000; 5]), 20000, UP), Some(3));
    let p = qps(&[20000, 21000, 21000]);
    assert_eq!(pods(3, &p, 20000, UP), Some(3), "20666 is within 0.1");
    assert_eq!(pods(3, &p, 20000, tol(100, 10)), Some(4), "not within 0.01");
    assert_eq!(pods(5, &qps(&[20000, 19000, 21000]), 20000, UP), Some(5));
    let mut p = qps(&[10000, 10000]);
    p.push(MemberMetric::Missing);
    assert_eq!(pods(2, &p, 17000, UP), Some(2), "max surge");
}

/// `TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale` (readiness does not matter to a `Pods`
/// metric upstream, so all three count: 6) and `…ScaleWouldScaleDown` (31666 of 15000: 7).
#[test]
fn pods_metric_ignores_cpu_readiness() {
    assert_eq!(pods(3, &qps(&[50000, 10000, 30000]), 15000, UP), Some(6));
    assert_eq!(pods(3, &qps(&[50000, 15000, 30000]), 15000, UP), Some(7));
}

/// A pending pod on a `Pods` metric's scale-up counts as 0, and a missing pod as the target on
/// a scale-down (`calcPlainMetricReplicas`).
#[test]
fn pods_metric_fills_missing_with_the_target() {
    let mut p = qps(&[10000, 10000]);
    p.extend([MemberMetric::Missing, MemberMetric::Missing]);
    // (20000 + 2 × 50000) / 4 = 30000 of 50000: 0.6 × 4 = 2.4 → 3.
    assert_eq!(pods(4, &p, 50000, UP), Some(3));
    let mut p = qps(&[100_000, 100_000]);
    p.extend([MemberMetric::Unready, MemberMetric::Unready]);
    // 200000 / 4 = 50000 of 25000: 2 × 4 = 8.
    assert_eq!(pods(4, &p, 25000, UP), Some(8));
    assert_eq!(pods(4, &[MemberMetric::Missing], 1, UP), None);
}

// ----- Object and External metrics -----------------------------------------------------------

fn object(current: u32, ready: u32, value: i64, target: ObjectTarget, t: Tolerances) -> u32 {
    object_replicas(
        current,
        current,
        ready,
        Value::from_milli(value),
        target,
        &t,
    )
    .unwrap()
}

fn val(x: i64) -> ObjectTarget {
    ObjectTarget::Value(Value::from_milli(x))
}

fn avg(x: i64) -> ObjectTarget {
    ObjectTarget::AverageValue(Value::from_milli(x))
}

/// `TestReplicaCalcScaleUpCMObject`, `TestReplicaCalcScaleDownCMObject`,
/// `TestReplicaCalcToleranceCMObject`, `TestReplicaCalcConfigurableToleranceCMObject` and
/// `TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods` (one ready pod of three: 5, not 15).
#[test]
fn object_value_cases() {
    assert_eq!(object(3, 3, 20000, val(15000), UP), 4);
    assert_eq!(object(5, 5, 12000, val(20000), UP), 3);
    assert_eq!(object(3, 3, 20666, val(20000), UP), 3);
    assert_eq!(object(3, 3, 20666, val(20000), tol(100, 10)), 4);
    assert_eq!(object(3, 1, 50000, val(10000), UP), 5);
}

/// `TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods`, `TestReplicaCalcScaleDownCMExternal`,
/// `TestReplicaCalcToleranceCMExternal` and `TestReplicaCalcConfigurableToleranceCMExternal`
/// (External `Value` targets: the sum of the series against the target).
#[test]
fn external_value_cases() {
    assert_eq!(object(3, 1, 8600, val(4400), UP), 2);
    assert_eq!(object(5, 5, 8600, val(14334), UP), 3);
    assert_eq!(object(3, 3, 8600, val(8888), UP), 3);
    assert_eq!(object(3, 3, 8900, val(8800), tol(100, 10)), 4);
}

/// `TestReplicaCalcScaleUpCMPerPodObject`, `TestReplicaCalcScaleDownPerPodCMObject`,
/// `TestReplicaCalcTolerancePerPodCMObject`, `TestReplicaCalcConfigurableTolerancePerPodCMObject`,
/// `TestReplicaCalcScaleUpPerPodCMExternal`, `TestReplicaCalcScaleDownPerPodCMExternal`,
/// `TestReplicaCalcTolerancePerPodCMExternal` and
/// `TestReplicaCalcConfigurableTolerancePerPodCMExternal` (`AverageValue` targets).
#[test]
fn average_value_cases() {
    assert_eq!(object(3, 3, 20000, avg(5000), UP), 4);
    assert_eq!(object(5, 5, 6000, avg(2000), UP), 3);
    assert_eq!(object(4, 4, 20166, avg(5000), UP), 4);
    assert_eq!(object(4, 4, 20208, avg(5000), tol(100, 10)), 5);
    assert_eq!(object(3, 3, 8600, avg(2150), UP), 4);
    assert_eq!(object(5, 5, 8600, avg(2867), UP), 3);
    assert_eq!(object(3, 3, 8600, avg(2900), UP), 3);
    assert_eq!(object(3, 3, 8600, avg(2800), tol(100, 10)), 4);
}

/// `TestReplicaCalcScaleUpOverflow` and `TestExternalPerPodMetricReplicaOverflow` (a huge
/// value against a target of 1: the count saturates) and `TestExternalPerPodMetricUsageOverflow`
/// (huge against huge: 1).
#[test]
fn object_overflow_saturates() {
    assert_eq!(object(3, 3, i64::MAX, val(1), UP), MAX_REPLICAS);
    assert_eq!(object(1, 1, i64::MAX, avg(1), UP), MAX_REPLICAS);
    assert_eq!(object(1, 1, i64::MAX, avg(i64::MAX), UP), 1);
}

/// A `Value` target scales from zero replicas: `ceil(value / target)` with no tolerance
/// (`getUsageRatioReplicaCount` with `currentReplicas` 0).
#[test]
fn object_value_scales_from_zero() {
    assert_eq!(object(0, 0, 0, val(10000), UP), 0);
    assert_eq!(
        object(0, 0, 10500, val(10000), UP),
        2,
        "1.05 would be within"
    );
    assert_eq!(object(0, 0, 1, val(10000), UP), 1);
    assert_eq!(
        object_replicas(1, 1, 1, Value::ZERO, val(0), &UP),
        Err(ScalingError::InvalidTargetTracking)
    );
}

// ----- the controller: several metrics, conditions, limits (horizontal_test.go) --------------

fn scale(current: u32, min: u32, max: u32) -> Scale {
    Scale {
        current,
        status_replicas: current,
        ready_pods: current,
        min,
        max,
    }
}

fn at(s: u64) -> crate::time::Instant {
    crate::time::Instant::from_secs(s)
}

fn cpu_metric(pods: &[ResourcePod], target: u32) -> Metric<'_> {
    Metric::Resource {
        pods,
        target: ResourceTarget::Utilization(target),
    }
}

fn reason(c: Option<Condition>) -> Option<(bool, &'static str)> {
    c.map(|c| (c.status, c.reason.as_str()))
}

/// `TestZeroReplicas`: 0 replicas with `minReplicas` 3 disables autoscaling: nothing changes,
/// `AbleToScale` True `SucceededGetScale`, `ScalingActive` False `ScalingDisabled`.
#[test]
fn zero_replicas_with_min_above_zero_disable_autoscaling() {
    let mut a = Autoscaler::new(None);
    let got = a.reconcile(at(0), &scale(0, 3, 5), &[]).unwrap();
    assert_eq!(got, 0);
    let c = a.conditions();
    assert_eq!(reason(c.able_to_scale), Some((true, "SucceededGetScale")));
    assert_eq!(reason(c.scaling_active), Some((false, "ScalingDisabled")));
}

/// `TestTooFewReplicas` and `TestTooManyReplicas`: a count outside [min, max] goes to the
/// bound without a calculation (`AbleToScale` `SucceededRescale`).
#[test]
fn counts_outside_the_bounds_go_to_the_bound() {
    let mut a = Autoscaler::new(None);
    assert_eq!(a.reconcile(at(0), &scale(2, 3, 5), &[]).unwrap(), 3);
    assert_eq!(
        reason(a.conditions().able_to_scale),
        Some((true, "SucceededRescale"))
    );
    assert_eq!(a.reconcile(at(15), &scale(10, 3, 5), &[]).unwrap(), 5);
}

/// `TestMinReplicas` (3 % of a 90 % target: 1, held at min 2, `ScalingLimited` True
/// `TooFewReplicas`), `TestMaxReplicas` (21 held at max 5, `TooManyReplicas`),
/// `TestTolerance` (`AbleToScale` `ReadyForNewScale`) and `TestZeroMinReplicasDesiredZero`
/// (min 0: 0, `DesiredWithinRange`).
#[test]
fn conditions_name_the_limit() {
    let req = [900, 1000, 1100];
    let pods =
        |u: [i64; 3]| -> Vec<ResourcePod> { u.iter().zip(req).map(|(&u, r)| cpu(u, r)).collect() };
    let mut a = Autoscaler::new(None);
    let p = pods([10, 95, 10]);
    assert_eq!(
        a.reconcile(at(0), &scale(3, 2, 5), &[cpu_metric(&p, 90)]),
        Ok(2)
    );
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((true, "TooFewReplicas"))
    );
    assert_eq!(
        reason(a.conditions().scaling_active),
        Some((true, "ValidMetricFound"))
    );
    let mut a = Autoscaler::new(None);
    let p = pods([8000, 9500, 1000]);
    assert_eq!(
        a.reconcile(at(0), &scale(3, 2, 5), &[cpu_metric(&p, 90)]),
        Ok(5)
    );
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((true, "TooManyReplicas"))
    );
    let mut a = Autoscaler::new(None);
    let p = pods([1010, 1030, 1020]);
    assert_eq!(
        a.reconcile(at(0), &scale(3, 1, 5), &[cpu_metric(&p, 100)]),
        Ok(3)
    );
    assert_eq!(
        reason(a.conditions().able_to_scale),
        Some((true, "ReadyForNewScale"))
    );
    let mut a = Autoscaler::new(None);
    let p = pods([0, 0, 0]);
    assert_eq!(
        a.reconcile(at(0), &scale(3, 0, 5), &[cpu_metric(&p, 90)]),
        Ok(0)
    );
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((false, "DesiredWithinRange"))
    );
}

/// Several metrics (`computeReplicasForMetrics`): the largest proposal wins; a failing metric
/// blocks a scale-down (the inputs of `TestScaleDownOneMetricEmpty`: CPU proposes 3, the
/// External metric fails, 5 stays) but not a scale-up; when all fail nothing changes and
/// `ScalingActive` is False with the first failure's reason.
#[test]
fn several_metrics_largest_wins_and_failures_block_scale_down() {
    let cores5 = cores(&[100, 300, 500, 250, 250]);
    let failing = Metric::External {
        value: None,
        target: ObjectTarget::AverageValue(Value::from_int(1)),
    };
    let mut a = Autoscaler::new(None);
    let s = scale(5, 2, 6);
    assert_eq!(a.reconcile(at(0), &s, &[cpu_metric(&cores5, 50)]), Ok(3));
    let mut a = Autoscaler::new(None);
    assert_eq!(
        a.reconcile(at(0), &s, &[cpu_metric(&cores5, 50), failing]),
        Ok(5)
    );
    assert_eq!(
        reason(a.conditions().scaling_active),
        Some((false, "FailedGetExternalMetric"))
    );
    // A scale-up goes ahead: CPU at 200 % of 50 % proposes 12 (held at 6 by max).
    let hot = cores(&[1000, 1000, 1000]);
    let mut a = Autoscaler::new(None);
    let s = scale(3, 1, 6);
    assert_eq!(
        a.reconcile(at(0), &s, &[failing, cpu_metric(&hot, 50)]),
        Ok(6)
    );
    // The largest proposal: an Object Value metric asking for ceil(1.2 × 5) = 6 beats CPU's 3.
    let obj = Metric::Object {
        value: Some(Value::from_int(12)),
        target: ObjectTarget::Value(Value::from_int(10)),
    };
    let mut a = Autoscaler::new(None);
    let s = scale(5, 1, 10);
    assert_eq!(
        a.reconcile(at(0), &s, &[cpu_metric(&cores5, 50), obj]),
        Ok(6)
    );
    let obj = Metric::Object {
        value: Some(Value::from_int(90)),
        target: ObjectTarget::Value(Value::from_int(10)),
    };
    assert_eq!(
        a.reconcile(at(15), &s, &[cpu_metric(&cores5, 50), obj]),
        Ok(10),
        "ceil(9 × 5 ready) = 45, held at 10"
    );
    // All failing: nothing changes.
    let mut a = Autoscaler::new(None);
    let none = [missing(1000)];
    assert_eq!(
        a.reconcile(at(0), &scale(4, 1, 9), &[cpu_metric(&none, 50), failing]),
        Ok(4)
    );
    assert_eq!(
        reason(a.conditions().scaling_active),
        Some((false, "FailedGetResourceMetric"))
    );
    assert_eq!(a.recommendations().count(), 0, "nothing recorded");
}

/// `calculateScaleUpLimit` with `scaleUpLimitFactor` 2 and `scaleUpLimitMinimum` 4 in
/// production; the factor is a parameter here.
#[test]
fn the_legacy_scale_up_limit_factor_is_a_parameter() {
    let mut a = Autoscaler::new(None);
    assert_eq!(a.normalize(at(0), 5, 100, 1, 100), 10);
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((true, "ScaleUpLimit"))
    );
    let c = Controller {
        scale_up_limit_factor: Value::from_milli(1500),
        scale_up_limit_minimum: 2,
        ..Controller::DEFAULT
    };
    let mut a: Autoscaler = Autoscaler::with_controller(None, c).unwrap();
    assert_eq!(a.normalize(at(0), 5, 100, 1, 100), 7, "int(1.5 × 5)");
    assert_eq!(a.normalize(at(15), 1, 100, 1, 100), 2, "the minimum");
    let bad = Controller {
        tolerance: Value::from_milli(-1),
        ..Controller::DEFAULT
    };
    assert_eq!(
        Autoscaler::<4>::with_controller(None, bad),
        Err(ScalingError::InvalidBehavior)
    );
}

/// `tolerancesForHpa`: a behaviour's `scaleUp.tolerance` / `scaleDown.tolerance` replace the
/// controller's for that direction (`TestReplicaCalcConfigurableTolerance`'s 8 % case through
/// the controller).
#[test]
fn behaviour_tolerances_reach_the_calculation() {
    let mut b: Behavior = Behavior::default();
    b.scale_up.tolerance = Some(Value::from_milli(80));
    b.scale_down.tolerance = Some(Value::from_int(2));
    let mut a = Autoscaler::new(Some(b));
    assert_eq!(
        a.tolerances(),
        tol(2000, 80),
        "each direction from the behaviour"
    );
    let p = [cpu(1100, 900), cpu(1080, 1000), cpu(1090, 1100)];
    assert_eq!(
        a.reconcile(at(0), &scale(3, 1, 10), &[cpu_metric(&p, 100)]),
        Ok(4)
    );
    let mut b: Behavior = Behavior::default();
    b.scale_up.tolerance = Some(Value::from_milli(-1));
    assert_eq!(b.validate(), Err(ScalingError::InvalidBehavior));
}

/// Upstream sets no maximum number of policies per direction: a stand-alone behaviour holds
/// [`MAX_POLICIES`]; a group's holds [`DEFAULT_POLICIES`], and resizing a larger one for it
/// is an error, never a silent drop.
#[test]
fn more_than_four_policies_per_direction() {
    let mut b: Behavior<MAX_POLICIES> = Behavior::default();
    b.scale_up.policies.clear();
    for i in 1..=6 {
        b.scale_up
            .policies
            .push(RatePolicy {
                kind: PolicyKind::Pods,
                value: i,
                period: crate::time::Duration::from_secs(u64::from(i) * 10),
            })
            .unwrap();
    }
    assert_eq!(b.validate(), Ok(()));
    let mut a = Autoscaler::with_behavior(Some(b.clone()));
    assert_eq!(
        a.normalize(at(0), 10, 100, 1, 100),
        16,
        "the largest policy, 6 pods"
    );
    assert_eq!(
        b.resize::<DEFAULT_POLICIES>().map(|_| ()),
        Err(ScalingError::InvalidBehavior)
    );
    let small: Behavior = Behavior::default();
    assert_eq!(
        small.resize::<MAX_POLICIES>().unwrap().resize::<4>(),
        Ok(small)
    );
}

/// `stabilizeRecommendationWithBehaviors` as `TestNormalizeDesiredReplicasWithBehavior`
/// exercises it: a higher recommendation within the scale-down window holds a scale-down
/// (`AbleToScale` `ScaleDownStabilized`), a lower one within the scale-up window holds a
/// scale-up (`ScaleUpStabilized`); the reason names the direction of the recommendation.
#[test]
fn stabilisation_conditions_name_the_direction() {
    let mut b: Behavior = Behavior::default();
    b.scale_up.stabilization = crate::time::Duration::from_secs(60);
    let mut a = Autoscaler::new(Some(b));
    assert_eq!(a.normalize(at(0), 5, 5, 1, 20), 5);
    assert_eq!(
        reason(a.conditions().able_to_scale),
        Some((true, "ReadyForNewScale"))
    );
    assert_eq!(a.normalize(at(15), 5, 3, 1, 20), 5, "5 within 300 s");
    assert_eq!(
        reason(a.conditions().able_to_scale),
        Some((true, "ScaleDownStabilized"))
    );
    assert_eq!(a.normalize(at(30), 5, 9, 1, 20), 5, "3 within 60 s");
    assert_eq!(
        reason(a.conditions().able_to_scale),
        Some((true, "ScaleUpStabilized"))
    );
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((false, "DesiredWithinRange"))
    );
    let recs: Vec<u32> = a.recommendations().map(|(_, r)| r).collect();
    assert_eq!(recs, [5, 3, 9]);
}

/// Scale events recorded from outside count in the rate limits as upstream's `scaleUpEvents`
/// / `scaleDownEvents` do in `calculateScaleUpLimitWithScalingRules` and
/// `calculateScaleDownLimitWithBehaviors` (the cases "With previous scale up event" and
/// "With previous scale down event" of the tests of those functions in karmada's copy of
/// upstream's `horizontal.go`): 5 replicas, +2 thirty seconds ago, 4 pods per 60 s: 7; 10
/// replicas, −1 thirty seconds ago, 20 % per 60 s: int(11 × 0.8) = 8.
#[test]
fn recorded_scale_events_count_in_the_rate_limits() {
    let pods4 = RatePolicy {
        kind: PolicyKind::Pods,
        value: 4,
        period: crate::time::Duration::from_secs(60),
    };
    let mut b: Behavior = Behavior::default();
    b.scale_up.policies.clear();
    b.scale_up.policies.push(pods4).unwrap();
    let mut a = Autoscaler::new(Some(b));
    a.record_scale_event(at(70), 2);
    assert_eq!(a.normalize(at(100), 5, 100, 1, 100), 7);
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((true, "ScaleUpLimit"))
    );
    let mut b: Behavior = Behavior::default();
    b.scale_down.stabilization = crate::time::Duration::ZERO;
    b.scale_down.policies[0] = RatePolicy {
        kind: PolicyKind::Percent,
        value: 20,
        period: crate::time::Duration::from_secs(60),
    };
    let mut a = Autoscaler::new(Some(b));
    a.record_scale_event(at(70), -1);
    a.record_scale_event(at(80), 0);
    assert_eq!(a.scale_events().count(), 1, "a change of 0 is not an event");
    assert_eq!(a.normalize(at(100), 10, 1, 1, 100), 8);
    assert_eq!(
        reason(a.conditions().scaling_limited),
        Some((true, "ScaleDownLimit"))
    );
    // A recorded recommendation stabilises as one of the autoscaler's own.
    let mut a = Autoscaler::new(None);
    a.record_recommendation(at(0), 9);
    assert_eq!(a.normalize(at(60), 9, 2, 1, 20), 9);
}
