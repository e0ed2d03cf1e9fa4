"""fleetcore.hpa's replica calculations against upstream Kubernetes' own cases: each test names
the test of ``pkg/controller/podautoscaler/replica_calculator_test.go`` it reproduces (pods of
two containers there; a pod here is their sum, which leaves every ratio unchanged)."""

from __future__ import annotations

import pytest

from fleetcore.hpa import desired_replicas, object_replicas, pods_replicas, resource_replicas


def test_missing_metrics_scale_down_target_over_100() -> None:
    # TestReplicaCalcMissingMetricsScaleDownTargetOver100: the missing pod counts as
    # max(100, 300) % of its 2-core request.
    usage = ["unready", 100, 100, None]
    assert resource_replicas(4, usage, [1000, 1000, 2000, 2000], 300) == 2


def test_missing_metrics_unready_scale_down() -> None:
    # TestReplicaCalcMissingMetricsUnreadyScaleDown.
    assert resource_replicas(4, ["unready", 100, 100, None], [1000] * 4, 50) == 3


def test_missing_metrics() -> None:
    # TestReplicaCalcMissingMetrics: 24 % with two pods missing counted at 100 %: 62 %, 3.
    assert resource_replicas(4, [400, 95, None, None], [1000] * 4, 100) == 3


def test_missing_metrics_no_change() -> None:
    # TestReplicaCalcMissingMetricsNoChangeEq / Gt / Lt.
    for usage in (1000, 1900, 600):
        assert resource_replicas(2, [usage, None], [1000, 1000], 100) == 2


def test_missing_metrics_unready_change_and_scale_up() -> None:
    # TestReplicaCalcMissingMetricsUnreadyChange, TestReplicaCalcMissingMetricsUnreadyScaleUp.
    assert resource_replicas(3, ["unready", 450, None], [1000] * 3, 50) == 3
    assert resource_replicas(3, ["unready", 2000, None], [1000] * 3, 50) == 4


def test_utilization_is_truncated_to_a_whole_percent() -> None:
    # Issue 17, defect 4: 110.5 % of a 100 % target is 110 % upstream, within tolerance.
    assert desired_replicas(3, [110.5, 110.5, 110.5], 100) == 3
    assert resource_replicas(3, [1105, 1105, 1105], [1000] * 3, 100) == 3


def test_group_metric_missing_member_counts_as_full_request() -> None:
    # Issue 17, defect 4: a 50 % target, two members at 10 % and two missing: upstream fills
    # them at 100 %, 55 % reverses the direction, no change (the target-fill gave 3).
    assert desired_replicas(4, [10, 10, None, None], 50) == 4
    assert pods_replicas(4, [10, 10, None, None], 50) == 3


def test_configurable_tolerance() -> None:
    # TestReplicaCalcConfigurableTolerance, its five cases.
    req = [900, 1000, 1100]
    assert resource_replicas(3, [909, 1010, 1111], req, 100, scale_down_tolerance=0,
                             scale_up_tolerance=0) == 4
    assert resource_replicas(3, [1890, 1910, 1900], req, 100, scale_up_tolerance=2) == 3
    assert resource_replicas(3, [1100, 1080, 1090], req, 100, scale_down_tolerance=2,
                             scale_up_tolerance=0.08) == 4
    assert resource_replicas(3, [660, 640, 650], req, 100, scale_down_tolerance=0.36) == 3
    assert resource_replicas(3, [660, 640, 650], req, 100, scale_down_tolerance=0.34) == 2


def test_pods_metric() -> None:
    # TestReplicaCalcScaleUpCM, TestReplicaCalcScaleDownCM, TestReplicaCalcToleranceCM,
    # TestReplicaCalcConfigurableToleranceCM, TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM.
    assert pods_replicas(3, [20, 10, 30], 15) == 4
    assert pods_replicas(5, [12] * 5, 20) == 3
    assert pods_replicas(3, [20, 21, 21], 20) == 3
    assert pods_replicas(3, [20, 21, 21], 20, scale_up_tolerance=0.01) == 4
    assert pods_replicas(2, [10, 10, None], 17) == 2


def test_object_and_external() -> None:
    # TestReplicaCalcScaleUpCMObject, ...ScaleDownCMObject, ...ToleranceCMObject,
    # ...ScaleUpCMObjectIgnoresUnreadyPods, ...ScaleUpCMExternalIgnoresUnreadyPods,
    # ...ScaleDownCMExternal.
    assert object_replicas(3, 20, 15) == 4
    assert object_replicas(5, 12, 20) == 3
    assert object_replicas(3, 20.666, 20) == 3
    assert object_replicas(3, 50, 10, ready_pods=1) == 5
    assert object_replicas(3, 8.6, 4.4, ready_pods=1) == 2
    assert object_replicas(5, 8.6, 14.334) == 3
    # Per-pod: TestReplicaCalcScaleUpCMPerPodObject, ...ScaleDownPerPodCMObject,
    # ...TolerancePerPodCMObject, ...ConfigurableTolerancePerPodCMExternal.
    assert object_replicas(3, 20, 5, "AverageValue") == 4
    assert object_replicas(5, 6, 2, "AverageValue") == 3
    assert object_replicas(4, 20.166, 5, "AverageValue") == 4
    assert object_replicas(3, 8.6, 2.8, "AverageValue", scale_up_tolerance=0.01) == 4


def test_value_target_scales_from_zero() -> None:
    assert object_replicas(0, 10.5, 10) == 2
    assert object_replicas(0, 0, 10) == 0


def test_failing_metric_is_none_and_bad_arguments_raise() -> None:
    # TestReplicaCalcEmptyMetrics: no metric for any ready pod.
    assert resource_replicas(2, [None, None], [1000, 1000], 50) is None
    assert pods_replicas(2, ["unready", None], 5) is None
    with pytest.raises(ValueError):
        resource_replicas(2, [1, 2], [1000], 50)
    with pytest.raises(ValueError):
        pods_replicas(2, [1], 5, scale_up_tolerance=-0.1)
    with pytest.raises(ValueError):
        object_replicas(2, 1, 5, "Total")
