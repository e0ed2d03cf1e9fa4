"""fleetcore.hpa's pod-level inputs against upstream Kubernetes' own cases: each test names the
test of ``pkg/controller/podautoscaler/replica_calculator_test.go`` or ``horizontal_test.go``
(kubernetes/kubernetes) it reproduces.

Upstream's fixture: pods ``Running`` with a ``Ready`` condition (``True`` unless the test
says otherwise) whose ``lastTransitionTime`` is Go's zero time, started at the zero time
unless ``podStartTime`` sets it (``hotCPUCreationTime`` is now, ``coolCPUCreationTime`` three
minutes ago), samples of a one-minute window taken at the zero time, and a calculator with a
2 min CPU initialization period and a 10 s initial readiness delay. Go's zero time is 0 here
and now is day 2."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from fleetcore.hpa import (
    Autoscaler,
    Behavior,
    Container,
    Metric,
    Pod,
    group_pods,
    pods_metric,
    quantity,
    resource_metric,
)

NOW = 2 * 86_400.0
HOT = NOW
COOL = NOW - 180
TESTING: dict[str, Any] = {"cpu_initialization_period_s": 120.0, "initial_readiness_delay_s": 10.0}


def fixture(count: int, levels: list[float], ready: list[bool] | None = None) -> list[Pod]:
    """Upstream's 1-core pods (``makePodMetricLevels`` levels in millicores); pods past the
    levels have no sample."""
    ready = ready or []
    return [
        Pod(
            ready=ready[i] if i < len(ready) else True,
            usage=levels[i] / 1000 if i < len(levels) else None,
            request=1.0,
        )
        for i in range(count)
    ]


def started(pods: list[Pod], starts: list[float]) -> list[Pod]:
    return [dataclasses.replace(p, start_time=s) for p, s in zip(pods, starts)]


def propose(current: int, metric: Metric) -> int:
    """One metric's proposal: a run whose behaviour and bounds let any count through."""
    free = Behavior(
        scale_up_stabilization_s=0,
        scale_up_policies=[("Pods", 1000, 1)],
        scale_down_stabilization_s=0,
        scale_down_policies=[("Pods", 1000, 1)],
    )
    return Autoscaler(free).reconcile(NOW, current, [metric], 1, 1000)


def cpu(pods: list[Any], target: int, **kw: Any) -> Metric:
    return resource_metric(pods, target_utilization=target, **TESTING, **kw)


def test_scale_up_unready_less_scale_and_no_scale() -> None:
    # TestReplicaCalcScaleUpUnreadyLessScale (4), TestReplicaCalcScaleUpUnreadyNoScale (3).
    assert propose(3, cpu(fixture(3, [300, 500, 700], [False, True, True]), 30)) == 4
    assert propose(3, cpu(fixture(3, [400, 500, 700], [True, False, False]), 30)) == 3


def test_hot_cpu() -> None:
    # TestReplicaCalcScaleUpHotCpuLessScale (4), TestReplicaCalcScaleHotCpuNoScale (3).
    pods = started(fixture(3, [300, 500, 700]), [HOT, COOL, COOL])
    assert propose(3, cpu(pods, 30)) == 4
    pods = started(fixture(3, [400, 500, 700], [True, False, False]), [COOL, HOT, HOT])
    assert propose(3, cpu(pods, 30)) == 3


@pytest.mark.parametrize("how", ["Failed", "deleted"])
def test_scale_up_ignores_failed_and_deletion_pods(how: str) -> None:
    # TestReplicaCalcScaleUpIgnoresFailedPods, TestReplicaCalcScaleUpIgnoresDeletionPods
    # (2 -> 4), as dicts with the Kubernetes field names.
    pods: list[dict[str, Any]] = [
        {"phase": "Running", "ready": True, "startTime": 0.0, "usage": 0.5, "request": 1.0},
        {"phase": "Running", "ready": True, "startTime": 0.0, "usage": 0.7, "request": 1.0},
    ]
    for _ in range(2):
        extra: dict[str, Any] = {"ready": False, "request": 1.0}
        if how == "Failed":
            extra["phase"] = "Failed"
        else:
            extra["deletionTimestamp"] = 1.0
        pods.append(extra)
    assert propose(2, cpu(pods, 30)) == 4
    groups = group_pods(pods, NOW, **TESTING)
    assert groups.ready_count == 2 and groups.ignored == [2, 3]


def test_scale_down_include_and_exclude_unready_pods() -> None:
    # TestReplicaCalcScaleDownExcludeUnreadyPods (5 -> 2), TestReplicaCalcScaleDownIgnoreHotCpuPods
    # (5 -> 2); the same pods as a Pods metric, where readiness does not count (upstream's
    # groupPods applies it to CPU only), count all five: 5 -> 3.
    levels = [100.0, 300, 500, 250, 250]
    assert propose(5, cpu(fixture(5, levels, [True, True, True, False, False]), 50)) == 2
    hot = started(fixture(5, levels), [COOL, COOL, COOL, HOT, HOT])
    assert propose(5, cpu(hot, 50)) == 2
    unready = fixture(5, levels, [True, True, True, False, False])
    assert propose(5, pods_metric(unready, 0.5)) == 3


def test_missing_metrics_unready_scale_up() -> None:
    # TestReplicaCalcMissingMetricsUnreadyScaleUp, TestReplicaCalcMissingMetricsHotCpuScaleUp.
    pods = fixture(3, [100, 2000], [False, True, True])
    assert propose(3, cpu(pods, 50)) == 4
    assert propose(3, cpu(started(pods, [HOT, COOL, COOL]), 50)) == 4


def test_pods_with_different_requests_mix() -> None:
    # TestReplicaCalcMissingMetricsScaleDownTargetOver100: 1, 1, 2 and 2-core requests.
    pods = [
        Pod(ready=False, usage=0.2, request=1.0),
        Pod(usage=0.1, request=1.0),
        Pod(usage=0.1, request=2.0),
        Pod(request=2.0),
    ]
    assert propose(4, cpu(pods, 300)) == 2


def test_container_resource() -> None:
    # TestReplicaCalcContainerScaleUp (container2 of {1000, 300}, {1000, 500}, {1000, 700}:
    # 3 -> 5) and TestReplicaCalcScaleDownContainerIgnoreHotCpuPods (5 -> 2). The whole pods
    # (container1 busy) would give other answers.
    def two(second: float, start: float = 0.0) -> Pod:
        return Pod(
            start_time=start,
            containers=(Container("container1", 1.0, 1.0), Container("container2", second, 1.0)),
        )

    pods = [two(0.3), two(0.5), two(0.7)]
    assert propose(3, cpu(pods, 30, container="container2")) == 5
    assert propose(3, cpu(pods, 30)) == 8  # the whole pods: 75 % of 30 %
    starts = [COOL, COOL, COOL, HOT, HOT]
    pods = [two(u, s) for u, s in zip([0.1, 0.3, 0.5, 1.0, 1.0], starts)]
    assert propose(5, cpu(pods, 50, container="container2")) == 2
    assert propose(5, cpu(pods, 50)) == 5  # the whole pods run at 65 %: up, held by hot pods
    with pytest.raises(ValueError, match="container3"):
        cpu(pods, 50, container="container3")


def test_group_pods_cases() -> None:
    # TestGroupPods: "unready a ready pod without fresh metrics during initialization period",
    # "count in a ready pod with fresh metrics during initialization period", "unready an
    # unready pod during initialization period", "unready pod that has never been ready after
    # initialization period", "several pods", "pending pods are unreadied", "count in a ready
    # pod - memory".
    def succeeded(**kw: Any) -> dict[str, Any]:
        return {"phase": "Succeeded", "request": 1.0, **kw}

    fresh = succeeded(
        startTime=NOW - 60,
        ready=True,
        lastTransitionTime=NOW - 30,
        usage=1,
        timestamp=NOW,
        window=30,
    )
    stale = {**fresh, "window": 60}
    unready = succeeded(startTime=NOW - 600, ready=False, lastTransitionTime=NOW - 594, usage=1)
    never = succeeded(startTime=NOW - 600, ready=False, lastTransitionTime=NOW - 590, usage=1)
    assert group_pods([fresh, stale, unready, never], NOW, **TESTING) == (2, [1, 2], [], [])
    several = [
        succeeded(startTime=NOW, ready=None, usage=1),
        succeeded(startTime=NOW - 180, ready=True, lastTransitionTime=NOW - 180, usage=1),
        succeeded(startTime=NOW - 180, ready=None),
    ]
    assert group_pods(several, NOW, **TESTING) == (1, [0], [2], [])
    assert group_pods([{"phase": "Pending", "request": 1.0}], NOW, **TESTING) == (0, [0], [], [])
    memory = succeeded(startTime=None, ready=None, usage=1, timestamp=NOW)
    assert group_pods([memory], NOW, resource="memory", **TESTING) == (1, [], [], [])
    with pytest.raises(ValueError, match="phase"):
        group_pods([{"phase": "Sleeping"}], NOW)


def test_store_scale_events() -> None:
    # horizontal_test.go TestStoreScaleEvents, "replace one entry, use policies with different
    # periods": 10 pods per 60 s and 100 % per 30 s; the last outdated slot is reused, the
    # other outdated event stays marked.
    b = Behavior(scale_up_policies=[("Pods", 10, 60), ("Percent", 100, 30)])
    a = Autoscaler(b)
    for change, ago in [(8, 29), (6, 59), (7, 61), (9, 61)]:
        a.record_scale_event(NOW - ago, change)
    a.record_scale_event(NOW, 5)
    log = [(c, o) for _, c, o in a.scale_up_events]
    assert log == [(8, False), (6, False), (7, True), (5, False)]
    assert a.scale_down_events == []
    a.record_scale_event(NOW, -2)
    assert a.scale_down_events == [(NOW, 2, False)]
    # "empty entries with default behavior": no behaviour, nothing stored.
    legacy = Autoscaler()
    legacy.record_scale_event(NOW, 5)
    assert legacy.scale_up_events == []


def test_conditions_and_recommendation_log_after_a_pod_level_run() -> None:
    # TestReplicaCalcScaleDownExcludeUnreadyPods' pods (a proposal of 2) on a legacy
    # autoscaler: the 300 s window over an earlier recommendation of 5 holds the scale-down
    # (horizontal.go stabilizeRecommendation), and the log keeps both recommendations.
    a = Autoscaler()
    a.record_recommendation(NOW - 60, 5)
    pods = fixture(5, [100, 300, 500, 250, 250], [True, True, True, False, False])
    assert a.reconcile(NOW, 5, [cpu(pods, 50)], 2, 6) == 5
    reasons = {c["type"]: (c["status"], c["reason"]) for c in a.conditions}
    assert reasons["AbleToScale"] == ("True", "ScaleDownStabilized")
    assert reasons["ScalingActive"] == ("True", "ValidMetricFound")
    assert a.recommendation_log == [(NOW - 60, 5), (NOW, 2)]


def _k8s_pod(name: str, containers: list[dict[str, Any]], **status: Any) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"containers": containers}, "status": status}


def test_from_k8s_requests() -> None:
    # TestCalculatePodRequests: "pod with regular containers" (100m + 50m), "calculate requests
    # with special container" (container1: 100m), "pod with restartable init containers" (a
    # restartable init container counts, a plain one does not: 150m) and "container missing
    # requests" (an error naming the container).
    regular = _k8s_pod(
        "test-pod",
        [
            {"name": "container1", "resources": {"requests": {"cpu": "100m"}}},
            {"name": "container2", "resources": {"requests": {"cpu": "50m"}}},
        ],
        phase="Running",
    )
    pod = Pod.from_k8s(regular)
    assert sum(c.request for c in pod.containers) == pytest.approx(0.15)
    assert [c.request for c in pod.containers if c.name == "container1"] == [pytest.approx(0.1)]
    one = [{"name": "container1", "resources": {"requests": {"cpu": "100m"}}}]
    init = _k8s_pod("test-pod", one)
    init["spec"]["initContainers"] = [
        {"name": "init-container1", "resources": {"requests": {"cpu": "20m"}}},
        {
            "name": "restartable-container1",
            "restartPolicy": "Always",
            "resources": {"requests": {"cpu": "50m"}},
        },
    ]
    assert sum(c.request for c in Pod.from_k8s(init).containers) == pytest.approx(0.15)
    with pytest.raises(ValueError, match="missing request for cpu in container container1"):
        Pod.from_k8s(_k8s_pod("test-pod", [{"name": "container1"}]))


def test_from_k8s_group_pods() -> None:
    # TestGroupPods, "unready a ready pod without fresh metrics during initialization period -
    # CPU" and "count in a ready pod with fresh metrics during initialization period - CPU", as
    # the API writes them: started 1 min ago, Ready 30 s ago, sampled now over 60 s or 30 s.
    now = datetime(2026, 12, 6, 9, 0, 0, tzinfo=timezone.utc)

    def at(seconds_ago: int) -> str:
        return (now - timedelta(seconds=seconds_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")

    manifest = _k8s_pod(
        "bentham",
        [{"name": "c", "resources": {"requests": {"cpu": "1"}}}],
        phase="Succeeded",
        startTime=at(60),
        conditions=[{"type": "Ready", "status": "True", "lastTransitionTime": at(30)}],
    )
    usage = [{"name": "c", "usage": {"cpu": "1m"}}]
    stale = {"timestamp": at(0), "window": "1m0s", "containers": usage}
    fresh = {**stale, "window": "30s"}
    pods = [Pod.from_k8s(manifest, stale), Pod.from_k8s(manifest, fresh), Pod.from_k8s(manifest)]
    assert group_pods(pods, now.timestamp(), **TESTING) == (1, [0], [2], [])


def test_quantities() -> None:
    assert quantity("500m") == 0.5
    assert quantity("2Gi") == 2 * 2**30
    assert quantity("1.5") == 1.5 and quantity("1e3") == 1000.0 and quantity(3) == 3.0
    with pytest.raises(ValueError, match="quantity"):
        quantity("5 cores")
