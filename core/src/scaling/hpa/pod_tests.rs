//! Pod-level inputs against upstream's own cases (kubernetes/kubernetes,
//! `pkg/controller/podautoscaler/replica_calculator_test.go` and `horizontal_test.go`): each
//! test names the upstream test whose inputs and expected result it reproduces.
//!
//! Upstream's fixture (`prepareTestClientSet`): pods are `Running` with a `Ready` condition
//! (status from `podReadiness`, `True` by default) whose `lastTransitionTime` is Go's zero
//! time, a start time of the zero time unless `podStartTime` sets it (`hotCPUCreationTime` is
//! now, `coolCPUCreationTime` three minutes ago), two containers that report and request the
//! same amounts, and samples of a one-minute window taken at the zero time. Its calculator
//! runs with a CPU initialization period of 2 min and an initial readiness delay of 10 s
//! (`defaultTestingCPUInitializationPeriod`, `defaultTestingDelayOfInitialReadinessStatus`).
//! Go's zero time is [`Instant::ZERO`] here, and now is day 2.

use super::*;
use crate::test_prelude::*;
use crate::time::{Duration, Instant};

const TESTING: Readiness = Readiness {
    cpu_initialization_period: Duration::from_mins(2),
    initial_readiness_delay: Duration::from_secs(10),
};

fn now() -> Instant {
    Instant::from_secs(2 * 86_400)
}

fn ago(secs: u64) -> Instant {
    now().saturating_sub(Duration::from_secs(secs))
}

fn hot() -> Instant {
    now()
}

fn cool() -> Instant {
    ago(180)
}

/// A pod of upstream's fixture: `Running`, `Ready` as given, started at the zero time, with
/// `usage` of `request` (both thousandths) sampled at the zero time over a minute, or no
/// sample for `None`.
fn pod(ready: bool, usage: Option<i64>, request: i64) -> Pod {
    Pod {
        phase: PodPhase::Running,
        ready: Some(ReadyCondition {
            status: ready,
            last_transition: Instant::ZERO,
        }),
        start_time: Some(Instant::ZERO),
        deleted: false,
        sample: usage.map(|u| PodSample {
            value: Value::from_milli(u),
            timestamp: Instant::ZERO,
            window: Duration::from_mins(1),
        }),
        request: Value::from_milli(request),
    }
}

/// Upstream's `makePodMetricLevels` pods of 1-core requests: `levels` per pod (each of two
/// containers), readiness per pod (`True` past the list), pods without a level missing.
fn fixture(count: usize, levels: &[i64], readiness: &[bool]) -> Vec<Pod> {
    (0..count)
        .map(|i| {
            let ready = readiness.get(i).copied().unwrap_or(true);
            pod(ready, levels.get(i).map(|l| l.saturating_mul(2)), 2000)
        })
        .collect()
}

fn started(mut pods: Vec<Pod>, starts: &[Instant]) -> Vec<Pod> {
    for (p, s) in pods.iter_mut().zip(starts) {
        p.start_time = Some(*s);
    }
    pods
}

fn cpu_metric(pods: &[Pod], target: u32) -> Metric<'_> {
    Metric::PodLevel {
        source: PodSource::Resource { cpu: true },
        pods,
        target: ResourceTarget::Utilization(target),
        readiness: TESTING,
    }
}

/// The proposal of one metric alone (`GetResourceReplicas` / `GetMetricReplicas`): a run
/// of an autoscaler whose bounds and rules let any count through.
fn propose(current: u32, metric: Metric<'_>) -> u32 {
    let mut b: Behavior = Behavior::default();
    for r in [&mut b.scale_up, &mut b.scale_down] {
        r.stabilization = Duration::ZERO;
        r.policies.clear();
        r.policies
            .push(RatePolicy {
                kind: PolicyKind::Pods,
                value: 1000,
                period: Duration::from_secs(1),
            })
            .unwrap();
    }
    let mut a = Autoscaler::new(Some(b));
    let scale = Scale {
        current,
        status_replicas: current,
        ready_pods: current,
        min: 1,
        max: 1000,
    };
    a.reconcile(now(), &scale, &[metric]).unwrap()
}

fn groups(pods: &[Pod], cpu: bool) -> PodGroups<8> {
    group_pods::<8>(pods, now(), cpu, &TESTING).unwrap()
}

fn list(v: &[usize]) -> heapless::Vec<usize, 8> {
    heapless::Vec::from_slice(v).unwrap()
}

/// A pod of `TestGroupPods`: phase `Succeeded`, as every case there but the last three.
fn succeeded(
    start: Option<Instant>,
    ready: Option<(bool, Instant)>,
    sample: Option<PodSample>,
) -> Pod {
    Pod {
        phase: PodPhase::Succeeded,
        ready: ready.map(|(status, last_transition)| ReadyCondition {
            status,
            last_transition,
        }),
        start_time: start,
        deleted: false,
        sample,
        request: Value::from_int(1),
    }
}

#[allow(clippy::unnecessary_wraps)] // Reads as the `Option` field it fills.
fn sample(at: Instant, window_s: u64) -> Option<PodSample> {
    Some(PodSample {
        value: Value::from_milli(1),
        timestamp: at,
        window: Duration::from_secs(window_s),
    })
}

/// `TestGroupPods`, every case: "void", "count in a ready pod - memory", "unready a pod
/// without ready condition - CPU", "count in a ready pod with fresh metrics during
/// initialization period - CPU", "unready a ready pod without fresh metrics during
/// initialization period - CPU", "unready an unready pod during initialization period - CPU",
/// "count in a ready pod without fresh metrics after initialization period - CPU", "count in
/// an unready pod that was ready after initialization period - CPU", "unready pod that has
/// never been ready after initialization period - CPU", "a missing pod", "several pods",
/// "pending pods are unreadied", "ignore pods with deletion timestamps", "ignore pods in a
/// failed state".
#[test]
fn group_pods_cases() {
    assert_eq!(groups(&[], true), PodGroups::default(), "void");
    let g = groups(&[succeeded(None, None, sample(now(), 60))], false);
    assert_eq!((g.ready, g.unready.len()), (1, 0), "ready pod - memory");
    let g = groups(
        &[succeeded(Some(now()), None, sample(Instant::ZERO, 0))],
        true,
    );
    assert_eq!((g.ready, g.unready), (0, list(&[0])), "no ready condition");
    let fresh = succeeded(Some(ago(60)), Some((true, ago(30))), sample(now(), 30));
    assert_eq!(groups(&[fresh], true).ready, 1, "fresh metrics during init");
    let stale = succeeded(Some(ago(60)), Some((true, ago(30))), sample(now(), 60));
    assert_eq!(
        groups(&[stale], true).unready,
        list(&[0]),
        "stale metrics during init"
    );
    let never = succeeded(
        Some(ago(600)),
        Some((false, ago(594))),
        sample(Instant::ZERO, 0),
    );
    assert_eq!(
        groups(&[never], true).unready,
        list(&[0]),
        "unready, 6 s after start"
    );
    let old = succeeded(Some(ago(180)), Some((true, ago(180))), sample(ago(120), 60));
    assert_eq!(groups(&[old], true).ready, 1, "stale metrics after init");
    let was_ready = succeeded(
        Some(ago(600)),
        Some((false, ago(540))),
        sample(Instant::ZERO, 0),
    );
    assert_eq!(groups(&[was_ready], true).ready, 1, "was ready after init");
    let edge = succeeded(
        Some(ago(600)),
        Some((false, ago(590))),
        sample(Instant::ZERO, 0),
    );
    assert_eq!(
        groups(&[edge], true).ready,
        1,
        "transition exactly at the delay"
    );
    let missing = succeeded(Some(ago(180)), None, None);
    assert_eq!(
        groups(&[missing], true).missing,
        list(&[0]),
        "a missing pod"
    );
    let several = [
        succeeded(Some(now()), None, sample(Instant::ZERO, 0)),
        succeeded(
            Some(ago(180)),
            Some((true, ago(180))),
            sample(Instant::ZERO, 0),
        ),
        succeeded(Some(ago(180)), None, None),
    ];
    let g = groups(&several, true);
    assert_eq!(
        (g.ready, g.unready, g.missing, g.ignored),
        (1, list(&[0]), list(&[2]), list(&[])),
        "several pods"
    );
    let mut pending = succeeded(None, None, None);
    pending.phase = PodPhase::Pending;
    assert_eq!(groups(&[pending], true).unready, list(&[0]), "pending");
    let mut deleted = pending;
    deleted.deleted = true;
    deleted.sample = sample(Instant::ZERO, 0);
    assert_eq!(
        groups(&[deleted], true).ignored,
        list(&[0]),
        "deletion timestamp"
    );
    let mut failed = succeeded(None, None, sample(Instant::ZERO, 0));
    failed.phase = PodPhase::Failed;
    assert_eq!(groups(&[failed], true).ignored, list(&[0]), "failed");
}

/// More pods than the capacity of the groups is refused, not truncated.
#[test]
fn group_pods_is_bounded() {
    let pods = fixture(9, &[100; 9], &[]);
    assert_eq!(
        group_pods::<8>(&pods, now(), true, &TESTING),
        Err(crate::scaling::ScalingError::InvalidTargetTracking)
    );
}

/// `TestReplicaCalcScaleUpUnreadyLessScale` (4) and `TestReplicaCalcScaleUpUnreadyNoScale`
/// (3): the Ready condition is `False` for one, then two, of three pods.
#[test]
fn unready_pods_on_scale_up() {
    let p = fixture(3, &[300, 500, 700], &[false, true, true]);
    assert_eq!(propose(3, cpu_metric(&p, 30)), 4);
    let p = fixture(3, &[400, 500, 700], &[true, false, false]);
    assert_eq!(propose(3, cpu_metric(&p, 30)), 3);
}

/// `TestReplicaCalcScaleUpHotCpuLessScale` (4) and `TestReplicaCalcScaleHotCpuNoScale` (3):
/// pods started now are within the CPU initialization period, and their samples (taken
/// before a window passed since the last transition) do not count.
#[test]
fn hot_cpu_pods() {
    let p = started(fixture(3, &[300, 500, 700], &[]), &[hot(), cool(), cool()]);
    assert_eq!(propose(3, cpu_metric(&p, 30)), 4);
    let p = fixture(3, &[400, 500, 700], &[true, false, false]);
    let p = started(p, &[cool(), hot(), hot()]);
    assert_eq!(propose(3, cpu_metric(&p, 30)), 3);
}

/// `TestReplicaCalcScaleUpIgnoresFailedPods` and `TestReplicaCalcScaleUpIgnoresDeletionPods`
/// (2 → 4), `TestReplicaCalcScaleDownIgnoresFailedPods` and
/// `TestReplicaCalcScaleDownIgnoresDeletionPods` (5 → 3): failed and deleted pods (not ready,
/// without samples) are left out of every pass, where missing pods would hold a scale-up.
#[test]
fn failed_and_deleted_pods_are_ignored() {
    for fail in [true, false] {
        let mut p = fixture(4, &[500, 700], &[true, true, false, false]);
        for q in &mut p[2..] {
            if fail {
                q.phase = PodPhase::Failed;
            } else {
                q.deleted = true;
            }
        }
        assert_eq!(propose(2, cpu_metric(&p, 30)), 4, "scale up, failed {fail}");
        let r = [true, true, true, true, true, false, false];
        let mut p = fixture(7, &[100, 300, 500, 250, 250], &r);
        for q in &mut p[5..] {
            if fail {
                q.phase = PodPhase::Failed;
            } else {
                q.deleted = true;
            }
        }
        assert_eq!(
            propose(5, cpu_metric(&p, 50)),
            3,
            "scale down, failed {fail}"
        );
    }
    // The same pods counted as missing instead change the answer (the test fails without
    // the grouping).
    let p = fixture(4, &[500, 700], &[true, true, false, false]);
    assert_eq!(propose(2, cpu_metric(&p, 30)), 2);
}

/// `TestReplicaCalcScaleDownExcludeUnreadyPods` (5 → 2),
/// `TestReplicaCalcScaleDownExcludeUnscheduledPods` (pending pods: 5 → 1) and
/// `TestReplicaCalcScaleDownIgnoreHotCpuPods` (5 → 2).
#[test]
fn unready_pending_and_hot_pods_on_scale_down() {
    let levels = [100, 300, 500, 250, 250];
    let p = fixture(5, &levels, &[true, true, true, false, false]);
    assert_eq!(propose(5, cpu_metric(&p, 50)), 2);
    let mut p = fixture(5, &[100], &[true, false, false, false, false]);
    for q in &mut p[1..] {
        q.phase = PodPhase::Pending;
    }
    assert_eq!(propose(5, cpu_metric(&p, 50)), 1);
    let p = started(
        fixture(5, &levels, &[]),
        &[cool(), cool(), cool(), hot(), hot()],
    );
    assert_eq!(propose(5, cpu_metric(&p, 50)), 2);
}

/// `TestReplicaCalcMissingMetricsUnreadyScaleUp` and `TestReplicaCalcMissingMetricsHotCpuScaleUp`
/// (3 → 4: one unready, one ready at 200 %, one missing), and
/// `TestReplicaCalcMissingMetricsUnreadyScaleDown` (4 → 3).
#[test]
fn missing_and_unready_together() {
    let p = fixture(3, &[100, 2000], &[false, true, true]);
    assert_eq!(propose(3, cpu_metric(&p, 50)), 4);
    let p = started(p, &[hot(), cool(), cool()]);
    assert_eq!(propose(3, cpu_metric(&p, 50)), 4);
    let p = fixture(4, &[100, 100, 100], &[false, true, true, true]);
    assert_eq!(propose(4, cpu_metric(&p, 50)), 3);
}

/// `TestReplicaCalcMissingMetricsScaleDownTargetOver100`: requests of 1, 1, 2 and 2 cores
/// mix through the summed requests; the missing 2-core pod counts as 300 % of its request
/// (4 → 2).
#[test]
fn different_requests_mix() {
    let r = [false, true, true, true];
    let p: Vec<Pod> = [
        (Some(200), 1000),
        (Some(100), 1000),
        (Some(100), 2000),
        (None, 2000),
    ]
    .iter()
    .zip(r)
    .map(|(&(u, req), ready): (&(Option<i64>, i64), bool)| {
        pod(
            ready,
            u.map(|u: i64| u.saturating_mul(2)),
            req.saturating_mul(2),
        )
    })
    .collect();
    assert_eq!(propose(4, cpu_metric(&p, 300)), 2);
}

/// `TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale` (6) and
/// `TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown` (7): a `Pods` metric is not
/// CPU, so readiness and warm-up do not matter.
#[test]
fn pods_metric_ignores_readiness() {
    let pods_metric = |p| Metric::PodLevel {
        source: PodSource::Pods,
        pods: p,
        target: ResourceTarget::AverageValue(Value::from_milli(15_000)),
        readiness: TESTING,
    };
    let p = fixture(3, &[25_000, 5_000, 15_000], &[true, true, false]);
    let p = started(p, &[cool(), cool(), hot()]);
    assert_eq!(propose(3, pods_metric(&p)), 6);
    let p = fixture(3, &[25_000, 7_500, 15_000], &[false, true, false]);
    let p = started(p, &[hot(), cool(), hot()]);
    assert_eq!(propose(3, pods_metric(&p)), 7);
    let bad = Metric::PodLevel {
        source: PodSource::Pods,
        pods: &p,
        target: ResourceTarget::Utilization(50),
        readiness: TESTING,
    };
    let mut a = Autoscaler::new(None);
    let scale = Scale {
        current: 3,
        status_replicas: 3,
        ready_pods: 3,
        min: 1,
        max: 10,
    };
    assert_eq!(
        a.reconcile(now(), &scale, &[bad]),
        Err(crate::scaling::ScalingError::InvalidTargetTracking)
    );
}

/// `ContainerResource` metrics, `container: "container2"`: `TestReplicaCalcContainerScaleUp`
/// (levels {1000, 300}, {1000, 500}, {1000, 700} of 1-core containers: 3 → 5),
/// `TestReplicaCalcScaleUpContainerHotCpuLessScale` (3 → 4) and
/// `TestReplicaCalcScaleDownContainerIgnoreHotCpuPods` (5 → 2). Each pod's sample and request
/// are container2's; container1's 1000 would change every answer.
#[test]
fn container_resource_cases() {
    let container = |pods: &[(i64, Instant)]| -> Vec<Pod> {
        pods.iter()
            .map(|&(usage, start)| {
                let mut p = pod(true, Some(usage), 1000);
                p.start_time = Some(start);
                p
            })
            .collect()
    };
    let metric = |p, target| Metric::PodLevel {
        source: PodSource::ContainerResource { cpu: true },
        pods: p,
        target: ResourceTarget::Utilization(target),
        readiness: TESTING,
    };
    let z = Instant::ZERO;
    let p = container(&[(300, z), (500, z), (700, z)]);
    assert_eq!(propose(3, metric(&p, 30)), 5);
    let p = container(&[(300, hot()), (500, cool()), (700, cool())]);
    assert_eq!(propose(3, metric(&p, 30)), 4);
    let p = container(&[
        (100, cool()),
        (300, cool()),
        (500, cool()),
        (1000, hot()),
        (1000, hot()),
    ]);
    assert_eq!(propose(5, metric(&p, 50)), 2);
}

/// A failing pod-level metric names its kind in `ScalingActive` (`FailedGetResourceMetric`,
/// `FailedGetContainerResourceMetric`, `FailedGetPodsMetric`), as `computeReplicasForMetrics`
/// does (`TestMissingMetrics`, `TestEmptyMetrics` of `horizontal_test.go`).
#[test]
fn failing_pod_level_metric_sets_the_reason() {
    let p = fixture(2, &[], &[]);
    let scale = Scale {
        current: 2,
        status_replicas: 2,
        ready_pods: 2,
        min: 1,
        max: 10,
    };
    for (source, reason) in [
        (
            PodSource::Resource { cpu: true },
            Reason::FailedGetResourceMetric,
        ),
        (
            PodSource::ContainerResource { cpu: false },
            Reason::FailedGetContainerResourceMetric,
        ),
        (PodSource::Pods, Reason::FailedGetPodsMetric),
    ] {
        let m = Metric::PodLevel {
            source,
            pods: &p,
            target: ResourceTarget::AverageValue(Value::from_int(1)),
            readiness: Readiness::DEFAULT,
        };
        let mut a = Autoscaler::new(None);
        assert_eq!(a.reconcile(now(), &scale, &[m]), Ok(2));
        let active = a.conditions().scaling_active.unwrap();
        assert_eq!((active.status, active.reason), (false, reason));
    }
}

fn rules(pods: u32, pods_period: u64, percent: u32, percent_period: u64) -> ScalingRules {
    let mut r = ScalingRules::default_up();
    r.policies.clear();
    for (kind, value, period) in [
        (PolicyKind::Pods, pods, pods_period),
        (PolicyKind::Percent, percent, percent_period),
    ] {
        if value > 0 {
            r.policies
                .push(RatePolicy {
                    kind,
                    value,
                    period: Duration::from_secs(period),
                })
                .unwrap();
        }
    }
    r
}

fn events_after(prev: &[(u32, u64)], scale_up: ScalingRules) -> Vec<(u32, bool)> {
    let b = Behavior {
        scale_up,
        scale_down: ScalingRules::default_down(),
    };
    let mut a = Autoscaler::new(Some(b));
    for &(change, secs_ago) in prev {
        a.record_scale_event(ago(secs_ago), i64::from(change));
    }
    a.record_scale_event(now(), 5);
    let log = a.scale_event_log(true);
    assert!(a.scale_event_log(false).is_empty());
    log.iter().map(|e| (e.replica_change, e.outdated)).collect()
}

/// `TestStoreScaleEvents` (`horizontal_test.go`), a change of 5 stored after the previous
/// events, cases "empty entries with two-policy-behavior", "one outdated entry to be
/// replaced with behavior", "one actual entry to be not touched with behavior", "two
/// entries, one of them to be replaced", "replace one entry, use policies with different
/// periods" (the last outdated slot is reused; the other stays marked) and "two entries,
/// both actual". Without a behaviour upstream stores nothing ("empty entries with default
/// behavior").
#[test]
fn scale_event_log_matches_store_scale_events() {
    assert_eq!(events_after(&[], rules(10, 60, 100, 60)), [(5, false)]);
    assert_eq!(
        events_after(&[(7, 61)], rules(10, 60, 100, 60)),
        [(5, false)]
    );
    assert_eq!(
        events_after(&[(7, 58)], rules(10, 60, 100, 60)),
        [(7, false), (5, false)]
    );
    assert_eq!(
        events_after(&[(7, 61), (6, 59)], rules(10, 60, 0, 0)),
        [(5, false), (6, false)]
    );
    assert_eq!(
        events_after(
            &[(8, 29), (6, 59), (7, 61), (9, 61)],
            rules(10, 60, 100, 30)
        ),
        [(8, false), (6, false), (7, true), (5, false)]
    );
    assert_eq!(
        events_after(&[(7, 58), (6, 59)], rules(10, 120, 100, 30)),
        [(7, false), (6, false), (5, false)]
    );
    let mut legacy = Autoscaler::new(None);
    legacy.record_scale_event(now(), 5);
    assert!(legacy.scale_event_log(true).is_empty());
}

/// The recommendation bookkeeping of `stabilizeRecommendation` (`horizontal.go`; upstream's
/// tests inject `recommendations` but do not read them back): a new recommendation takes the
/// slot of the last one older than the window, else goes last.
#[test]
fn recommendation_log_reuses_the_last_obsolete_slot() {
    let mut a = Autoscaler::new(None); // legacy: the 300 s downscale window
    for (r, secs_ago) in [(4, 400), (5, 350), (6, 100)] {
        a.record_recommendation(ago(secs_ago), r);
    }
    a.record_recommendation(now(), 3);
    let log: Vec<(u32, Instant)> = a
        .recommendation_log()
        .iter()
        .map(|r| (r.replicas, r.at))
        .collect();
    // At 350 s ago the first (50 s older) was not obsolete; now both are: the second goes.
    assert_eq!(log, [(4, ago(400)), (3, now()), (6, ago(100))]);
}

/// `reconcileAutoscaler` (`horizontal.go`): a count outside `[minReplicas, maxReplicas]` goes
/// to the bound without a calculation, and the rescale is stored as a scale event
/// (`storeScaleEvent`) that the rate policies count, but no recommendation is.
#[test]
fn rescale_to_a_bound_is_a_scale_event() {
    let mut a = Autoscaler::new(Some(Behavior::default()));
    let scale = Scale {
        current: 12,
        status_replicas: 12,
        ready_pods: 12,
        min: 1,
        max: 10,
    };
    let m = Metric::Object {
        value: Some(Value::from_int(1)),
        target: ObjectTarget::Value(Value::from_int(1)),
    };
    assert_eq!(a.reconcile(now(), &scale, &[m]), Ok(10));
    let log = a.scale_event_log(false);
    assert_eq!(
        log.iter()
            .map(|e| (e.at, e.replica_change))
            .collect::<Vec<_>>(),
        [(now(), 2)]
    );
    assert!(a.recommendation_log().is_empty());
}
