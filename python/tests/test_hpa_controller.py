"""fleetcore.hpa's controller against upstream Kubernetes: several metrics, conditions, the
scale-up limit, tolerances per direction (horizontal_test.go, replica_calculator_test.go) and
Behavior.from_k8s with the defaults of pkg/apis/autoscaling/v2 (defaults_test.go)."""

from __future__ import annotations

import json

import pytest

import fleetcore
from fleetcore.hpa import Autoscaler, Behavior, Metric


def cond(a: Autoscaler, kind: str) -> tuple[str, str] | None:
    for c in a.conditions:
        if c["type"] == kind:
            return (c["status"], c["reason"])
    return None


def test_zero_replicas_disable_autoscaling() -> None:
    # TestZeroReplicas: spec 0, min 3: nothing changes, ScalingActive False ScalingDisabled.
    a = Autoscaler()
    assert a.reconcile(0, 0, [], 3, 5) == 0
    assert cond(a, "AbleToScale") == ("True", "SucceededGetScale")
    assert cond(a, "ScalingActive") == ("False", "ScalingDisabled")


def test_too_few_and_too_many_replicas() -> None:
    # TestTooFewReplicas, TestTooManyReplicas.
    a = Autoscaler()
    assert a.reconcile(0, 2, [], 3, 5) == 3
    assert cond(a, "AbleToScale") == ("True", "SucceededRescale")
    assert a.reconcile(15, 10, [], 3, 5) == 5


def test_min_max_and_tolerance_conditions() -> None:
    req = [900, 1000, 1100]
    # TestMinReplicas.
    a = Autoscaler()
    assert a.reconcile(0, 3, [Metric.resource([10, 95, 10], req, target_utilization=90)], 2, 5) == 2
    assert cond(a, "ScalingLimited") == ("True", "TooFewReplicas")
    assert cond(a, "ScalingActive") == ("True", "ValidMetricFound")
    # TestMaxReplicas.
    a = Autoscaler()
    m = Metric.resource([8000, 9500, 1000], req, target_utilization=90)
    assert a.reconcile(0, 3, [m], 2, 5) == 5
    assert cond(a, "ScalingLimited") == ("True", "TooManyReplicas")
    # TestTolerance.
    a = Autoscaler()
    assert a.reconcile(0, 3, [Metric.resource([1010, 1030, 1020], req, target_utilization=100)], 1, 5) == 3
    assert cond(a, "AbleToScale") == ("True", "ReadyForNewScale")
    # TestZeroMinReplicasDesiredZero.
    a = Autoscaler()
    assert a.reconcile(0, 3, [Metric.resource([0, 0, 0], req, target_utilization=90)], 0, 5) == 0
    assert cond(a, "ScalingLimited") == ("False", "DesiredWithinRange")


def test_several_metrics() -> None:
    cpu = Metric.resource([100, 300, 500, 250, 250], [1000] * 5, target_utilization=50)
    failing = Metric.external(None, 1, "AverageValue")
    # TestScaleDownIncludeUnreadyPods's inputs alone: 3.
    assert Autoscaler().reconcile(0, 5, [cpu], 2, 6) == 3
    # The inputs of TestScaleDownOneMetricEmpty: a failing metric blocks the scale-down.
    a = Autoscaler()
    assert a.reconcile(0, 5, [cpu, failing], 2, 6) == 5
    assert cond(a, "ScalingActive") == ("False", "FailedGetExternalMetric")
    # A scale-up goes ahead with a metric failing.
    hot = Metric.resource([1000, 1000, 1000], [1000] * 3, target_utilization=50)
    assert Autoscaler().reconcile(0, 3, [failing, hot], 1, 6) == 6
    # The largest proposal wins: Object Value 12 of 10 over 5 ready pods asks for 6.
    obj = Metric.object(12, 10)
    assert obj.type == "Object"
    assert Autoscaler().reconcile(0, 5, [cpu, obj], 1, 10) == 6
    # Pods and ContainerResource metrics.
    pods = Metric.pods([20, 10, 30], 15)
    assert Autoscaler().reconcile(0, 3, [pods], 1, 10) == 4
    cont = Metric.container_resource([300, 500, 700], [1000] * 3, target_utilization=30)
    assert Autoscaler().reconcile(0, 3, [cont], 1, 10) == 5
    # All failing: nothing changes.
    a = Autoscaler()
    none = Metric.resource([None], [1000], target_utilization=50)
    assert a.reconcile(0, 4, [none, failing], 1, 9) == 4
    assert cond(a, "ScalingActive") == ("False", "FailedGetResourceMetric")
    assert a.recommendations == []


def test_value_target_scales_from_zero_with_min_zero() -> None:
    # getUsageRatioReplicaCount with currentReplicas 0: ceil(ratio), no tolerance.
    a = Autoscaler()
    assert a.reconcile(0, 0, [Metric.external(25, 10)], 0, 10) == 3


def test_scale_up_limit_factor_is_a_parameter() -> None:
    # calculateScaleUpLimit: max(scaleUpLimitFactor × current, scaleUpLimitMinimum), 2 and 4.
    a = Autoscaler()
    assert a.normalize(0, 5, 100, 1, 100) == 10
    assert cond(a, "ScalingLimited") == ("True", "ScaleUpLimit")
    b = Autoscaler(scale_up_limit_factor=3, scale_up_limit_minimum=1)
    assert b.normalize(0, 5, 100, 1, 100) == 15
    with pytest.raises(fleetcore.ScalingError):
        Autoscaler(tolerance=-0.1)


def test_tolerances_per_direction() -> None:
    # TestReplicaCalcConfigurableTolerance, "Outside 8% scale-up tolerance", through the
    # controller: the behaviour's tolerances replace the controller's.
    b = Behavior(scale_up_tolerance=0.08, scale_down_tolerance=2)
    a = Autoscaler(b)
    assert a.tolerances == (2.0, 0.08)
    m = Metric.resource([1100, 1080, 1090], [900, 1000, 1100], target_utilization=100)
    assert a.reconcile(0, 3, [m], 1, 10) == 4
    assert Autoscaler().reconcile(0, 3, [m], 1, 10) == 3
    assert Autoscaler(tolerance=0.05).tolerances == (0.05, 0.05)


def test_more_than_four_policies() -> None:
    six = [("Pods", i, 10 * i) for i in range(1, 7)]
    b = Behavior(scale_up_policies=six)
    assert Autoscaler(b).normalize(0, 10, 100, 1, 100) == 16
    # A group's target-tracking policy keeps at most 4 per direction: refused, not dropped.
    g = fleetcore.Group(1, 10)
    g.put_metric("CPU", 60, per_member=True)
    with pytest.raises(fleetcore.ScalingError) as info:
        g.put_target_tracking_policy("CPU", 50, hpa=b)
    assert info.value.code == 1213


def test_from_k8s_defaults() -> None:
    # defaults_test.go TestGenerateScaleUpRules / TestGenerateScaleDownRules, "Default values".
    assert Behavior.from_k8s({}) == Behavior()
    assert Behavior.from_k8s(None) == Behavior()
    b = Behavior.from_k8s({"scaleDown": {"selectPolicy": "Min"}})
    assert b.scale_down_policies == [("Percent", 100, 15.0)]
    assert b.scale_down_select == "Min"
    assert b.scale_up_policies == [("Pods", 4, 15.0), ("Percent", 100, 15.0)]
    assert b.scale_up_stabilization_s == 0
    assert b.scale_down_stabilization_s == 300


def test_from_k8s_fields() -> None:
    # TestGenerateScaleUpRules "All parameters are specified", "Pod policy is specified",
    # "Percent policy and stabilization window are specified"; TestGenerateScaleDownRules
    # "Percent policy is specified".
    b = Behavior.from_k8s({
        "scaleUp": {
            "stabilizationWindowSeconds": 25,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 1, "periodSeconds": 2},
                {"type": "Percent", "value": 3, "periodSeconds": 4},
            ],
        },
        "scaleDown": {
            "selectPolicy": "Min",
            "policies": [{"type": "Percent", "value": 1, "periodSeconds": 2}],
            "tolerance": "0.05",
        },
    })
    assert b.scale_up_stabilization_s == 25
    assert b.scale_up_policies == [("Pods", 1, 2.0), ("Percent", 3, 4.0)]
    assert b.scale_down_select == "Min"
    assert b.scale_down_policies == [("Percent", 1, 2.0)]
    assert b.scale_down_stabilization_s == 300
    assert b.scale_down_tolerance == 0.05
    assert b.scale_up_tolerance is None
    b = Behavior.from_k8s({"scaleUp": {"selectPolicy": "Min",
                                       "policies": [{"type": "Pods", "value": 1, "periodSeconds": 2}]}})
    assert b.scale_up_policies == [("Pods", 1, 2.0)] and b.scale_up_stabilization_s == 0
    b = Behavior.from_k8s({"scaleUp": {"stabilizationWindowSeconds": 25,
                                       "policies": [{"type": "Percent", "value": 7, "periodSeconds": 60}]},
                           "scaleDown": {"selectPolicy": "Disabled", "tolerance": "50m"}})
    assert b.scale_up_policies == [("Percent", 7, 60.0)] and b.scale_up_stabilization_s == 25
    assert b.scale_down_select == "Disabled" and b.scale_down_tolerance == 0.05
    assert Autoscaler(b).normalize(0, 10, 1, 1, 20) == 10, "scale-down disabled"


def test_from_k8s_refuses_what_upstream_refuses() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        Behavior.from_k8s({"scaleup": {}})
    with pytest.raises(ValueError, match="Pods"):
        Behavior.from_k8s({"scaleUp": {"policies": [{"type": "Nodes", "value": 1, "periodSeconds": 1}]}})
    with pytest.raises(ValueError, match="periodSeconds"):
        Behavior.from_k8s({"scaleUp": {"policies": [{"type": "Pods", "value": 1}]}})
    with pytest.raises(fleetcore.ScalingError) as info:
        Behavior.from_k8s({"scaleUp": {"stabilizationWindowSeconds": 3601}})
    assert info.value.code == 1213
    with pytest.raises(fleetcore.ScalingError):
        Behavior.from_k8s({"scaleDown": {"policies": []}})
    with pytest.raises(fleetcore.ScalingError):
        Behavior.from_k8s({"scaleDown": {"tolerance": -1}})


def test_config_document_takes_the_behavior_block() -> None:
    # The controller document (the one firmware reads) takes a manifest's behavior block as
    # written, camelCase, with upstream's defaults for what it leaves out (defaults.go).
    doc = {
        "launch_templates": [{"name": "node", "image_id": "ami-0123456789abcdef0", "instance_type": "m5.large"}],
        "groups": [
            {
                "name": "g",
                "launch_template": "node",
                "min_size": 1,
                "max_size": 10,
                "zones": ["a"],
                "metrics": [{"name": "CPU", "period_s": 60}],
                "policies": [
                    {
                        "type": "target_tracking",
                        "metric": 0,
                        "target": 50,
                        "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60, "tolerance": 0.05}},
                    }
                ],
            }
        ],
    }
    fleetcore.Group.from_document(json.dumps(doc))
    policy = fleetcore.load_config(json.dumps(doc))["groups"][0]["policies"][0]
    assert policy["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 60
    doc["groups"][0]["policies"][0]["behavior"] = {"scaleDown": {"policies": []}}
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.Group.from_document(json.dumps(doc))
    assert caught.value.path == "groups[0].policies[0].behavior"
    doc["groups"][0]["policies"][0]["behavior"] = {"scaleDown": {"stabilisationWindowSeconds": 60}}
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.Group.from_document(json.dumps(doc))
    assert caught.value.path == "groups[0].policies[0].behavior.scaleDown.stabilisationWindowSeconds"


def test_recorded_events_and_recommendations() -> None:
    # calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors with events
    # seeded as upstream's tests seed them ("With previous scale up/down event").
    a = Autoscaler(Behavior(scale_up_policies=[("Pods", 4, 60)]))
    a.record_scale_event(70, 2)
    assert a.normalize(100, 5, 100, 1, 100) == 7
    assert a.scale_events == [(70.0, 2), (100.0, 2)]
    d = Autoscaler(Behavior(scale_down_stabilization_s=0, scale_down_policies=[("Percent", 20, 60)]))
    d.record_scale_event(70, -1)
    assert d.normalize(100, 10, 1, 1, 100) == 8
    assert cond(d, "ScalingLimited") == ("True", "ScaleDownLimit")
    r = Autoscaler()
    r.record_recommendation(0, 9)
    assert r.normalize(60, 9, 2, 1, 20) == 9
    assert r.recommendations == [(0.0, 9), (60.0, 2)]
