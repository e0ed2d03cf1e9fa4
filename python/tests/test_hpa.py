"""fleetcore.hpa against the upstream Kubernetes HPA behaviour (replica_calculator_test.go,
horizontal_test.go): ceil(current × ratio), tolerance 0.1, missing and unready pods."""

from __future__ import annotations

import pytest

import fleetcore
from fleetcore.hpa import Autoscaler, Behavior, desired_replicas


def test_scale_up_is_ceil_of_current_times_ratio() -> None:
    # TestReplicaCalcScaleUp: usage 300, 500, 700 of 1000 with a 30 % target -> 5.
    assert desired_replicas(3, [300, 500, 700], 300) == 5


def test_scale_down() -> None:
    # TestReplicaCalcScaleDown: 5 pods using 1400 of 5000 with a 50 % target -> ceil(2.8) = 3.
    assert desired_replicas(5, [100, 300, 500, 250, 250], 500) == 3


def test_within_tolerance_nothing_changes() -> None:
    assert desired_replicas(3, [310, 320, 330], 300) == 3  # ratio 1.067
    assert desired_replicas(3, [280, 280, 280], 300) == 3  # ratio 0.933
    assert desired_replicas(3, [330, 330, 330], 300) == 3  # ratio 1.1 exactly: still inside
    assert desired_replicas(3, [340, 340, 340], 300) == 4  # ratio 1.133 -> ceil(3.4)


def test_missing_pods_count_as_target_when_scaling_down() -> None:
    # Ready pods at 1/3 of target would give 1; the missing pod counts at 100 %.
    assert desired_replicas(4, [100, 100, 100, None], 300) == 2


def test_missing_pods_count_as_zero_when_scaling_up() -> None:
    assert desired_replicas(4, [400, 500, 700, None], 300) == 6  # ceil(1600 / 300)
    # Counting the missing pod at 0 turns the scale-up into a scale-down: no change.
    assert desired_replicas(2, [350, None], 300) == 2


def test_unready_pods_count_as_zero_on_scale_up_and_are_ignored_on_scale_down() -> None:
    # TestReplicaCalcScaleUpUnreadyNoScale: unready pods hold a scale-up back.
    assert desired_replicas(3, [600, "unready", "unready"], 300) == 3
    assert desired_replicas(3, [900, "unready", "unready"], 300) == 3  # exactly at target
    assert desired_replicas(3, [1200, "unready", "unready"], 300) == 4
    assert desired_replicas(2, [100, "unready"], 300) == 1


def test_no_ready_metric_keeps_current() -> None:
    assert desired_replicas(3, [None, "unready", None], 300) == 3
    assert desired_replicas(0, [], 300) == 0


def test_argument_errors() -> None:
    with pytest.raises(ValueError, match="unready"):
        desired_replicas(1, ["ready"], 300)
    with pytest.raises(ValueError, match="positive"):
        desired_replicas(1, [1], 0)
    with pytest.raises(TypeError):
        desired_replicas(1, [True], 300)


def test_legacy_scale_up_limit_and_down_stabilisation() -> None:
    a = Autoscaler()
    assert a.behavior is None
    assert repr(a) == "Autoscaler(behavior=None)"
    assert a.normalize(0, 1, 10, 1, 100) == 4  # max(2 × 1, 4)
    assert a.normalize(15, 4, 10, 1, 100) == 8  # 2 × 4
    # Scale-down waits for the highest recommendation of the last 300 s.
    assert a.normalize(30, 8, 2, 1, 100) == 10
    b = Autoscaler()
    assert b.normalize(0, 5, 5, 1, 10) == 5
    assert b.normalize(60, 5, 2, 1, 10) == 5
    assert b.normalize(400, 5, 2, 1, 10) == 2
    assert b.normalize(500, 2, 1, 3, 10) == 3  # clamped to min
    with pytest.raises(ValueError, match="below min_replicas"):
        b.normalize(600, 2, 1, 5, 4)


def test_default_behavior_matches_upstream() -> None:
    b = Behavior()
    assert b.scale_up_stabilization_s == 0
    assert b.scale_up_select == "Max"
    assert b.scale_up_policies == [("Pods", 4, 15.0), ("Percent", 100, 15.0)]
    assert b.scale_down_stabilization_s == 300
    assert b.scale_down_policies == [("Percent", 100, 15.0)]
    assert b == Behavior()
    assert b != Behavior(scale_down_stabilization_s=0)
    assert repr(b).startswith("Behavior(scale_up_stabilization_s=0, scale_up_select=\"Max\"")


def test_rate_policies_limit_each_period() -> None:
    b = Behavior(scale_up_policies=[("Pods", 2, 60)], scale_down_stabilization_s=0,
                 scale_down_policies=[("Percent", 50, 60)])
    a = Autoscaler(b)
    assert a.behavior == b
    assert a.normalize(0, 3, 10, 1, 20) == 5
    assert a.normalize(30, 5, 10, 1, 20) == 5  # two pods already added this minute
    assert a.normalize(61, 5, 10, 1, 20) == 7
    d = Autoscaler(b)
    assert d.normalize(0, 10, 1, 1, 20) == 5  # at most half per minute


def test_select_min_and_disabled() -> None:
    both = [("Pods", 1, 60), ("Percent", 100, 60)]
    assert Autoscaler(Behavior(scale_up_policies=both, scale_up_select="Min")).normalize(0, 4, 10, 1, 20) == 5
    assert Autoscaler(Behavior(scale_up_policies=both)).normalize(0, 4, 10, 1, 20) == 8
    off = Behavior(scale_down_select="Disabled", scale_down_stabilization_s=0)
    assert Autoscaler(off).normalize(0, 6, 1, 1, 20) == 6


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scale_down_stabilization_s": 3601},
        {"scale_up_policies": [("Pods", 0, 15)]},
        {"scale_up_policies": [("Pods", 1, 1801)]},
        {"scale_up_policies": []},
        {"scale_up_policies": [("Pods", 1, 15)] * 17},
    ],
)
def test_invalid_behaviours_raise_scaling_error(kwargs: dict) -> None:
    with pytest.raises(fleetcore.ScalingError) as info:
        Behavior(**kwargs)
    assert info.value.code == 1213


def test_disabled_direction_needs_no_policy_and_bad_names_are_value_errors() -> None:
    Behavior(scale_up_select="Disabled", scale_up_policies=[])
    with pytest.raises(ValueError, match="select must be"):
        Behavior(scale_up_select="Most")
    with pytest.raises(ValueError, match="Pods"):
        Behavior(scale_up_policies=[("Nodes", 1, 15)])
