"""Group: construction, the tick/observe loop, members, hooks, standby, policies, snapshots."""

from __future__ import annotations

import copy
import pickle

import pytest

import fleetcore
from fleetcore import Group


def launched(group: Group, now: float) -> list[str]:
    """Ticks at ``now``, boots every launch at once; returns the launched ids."""
    ids = [a.id for a in group.tick(now) if a.kind == "launch"]
    for i in ids:
        group.booted(now, i)
    return ids


def test_defaults_and_repr() -> None:
    g = Group(1, 4)
    assert (g.min_size, g.max_size, g.desired) == (1, 4, 1)
    assert (g.capacity, g.in_service, len(g)) == (0, 0, 0)
    assert g.zones == ["a"]
    assert g.members == []
    assert repr(g) == "Group(desired=1, min_size=1, max_size=4, capacity=0, in_service=0, members=0)"
    assert fleetcore.GROUP_CAPACITY == 1024


def test_launch_boot_and_members() -> None:
    g = Group(2, 4, zones=["a", "b"], seed=3)
    actions = g.tick(0)
    assert [a.kind for a in actions] == ["launch", "launch"]
    assert sorted(a.zone or "" for a in actions) == ["a", "b"]  # balanced over the zones
    first = actions[0]
    assert first.template is not None and first.template.startswith("lt-")
    assert first.version == 1
    assert first.hook is None and first.transition is None
    assert str(first).startswith(f"launch {first.id} in zone ")
    assert repr(first).startswith('Action(kind="launch"')
    assert g.capacity == 2 and g.in_service == 0
    [m0, m1] = g.members
    assert (m0.state, m0.health, m0.protected) == ("Pending", "Healthy", False)
    assert m0.in_service_at_s is None
    g.booted(5, m0.id)
    g.booted(5, m1.id)
    assert g.in_service == 2
    m = g.members[0]
    assert (m.state, m.ec2_state, m.launched_at_s, m.in_service_at_s) == ("InService", "running", 0.0, 5.0)
    assert g.tick(10) == []


def test_same_seed_same_actions() -> None:
    a, b = Group(3, 5, seed=9), Group(3, 5, seed=9)
    assert a.tick(0) == b.tick(0)
    assert Group(3, 5, seed=10).tick(0) != Group(3, 5, seed=9).tick(0)


def test_set_desired_and_scale_in() -> None:
    g = Group(1, 5)
    launched(g, 0)
    g.set_desired(10, 3)
    assert len(launched(g, 10)) == 2
    g.set_desired(20, 1)
    terms = [a for a in g.tick(20) if a.kind == "terminate"]
    assert len(terms) == 2
    for a in terms:
        g.terminated(21, a.id)
    assert g.capacity == 1
    with pytest.raises(fleetcore.GroupError) as info:
        g.set_desired(30, 6)
    assert info.value.code == 1102
    assert info.value.kind == "invalid argument"
    with pytest.raises(fleetcore.GroupError) as info:
        g.set_desired(30, 0)
    assert info.value.code == 1103
    assert g.desired == 1


def test_update_size_moves_desired_into_range() -> None:
    g = Group(1, 5, 2)
    g.update_size(min_size=3)
    assert (g.min_size, g.desired) == (3, 3)
    g.update_size(max_size=3, min_size=0)
    assert (g.min_size, g.max_size, g.desired) == (0, 3, 3)
    with pytest.raises(fleetcore.GroupError) as info:
        g.update_size(min_size=4)
    assert info.value.code == 1101
    with pytest.raises(fleetcore.GroupError) as info:
        g.update_size(max_size=fleetcore.GROUP_CAPACITY + 1)
    assert info.value.code == 1110
    assert (g.min_size, g.max_size, g.desired) == (0, 3, 3)


def test_unhealthy_members_are_replaced() -> None:
    g = Group(1, 2, health_check_grace_period_s=30)
    [iid] = launched(g, 0)
    g.unhealthy(10, iid)  # inside the grace period: ignored
    assert g.members[0].health == "Healthy"
    g.unhealthy(40, iid)
    assert g.members[0].health == "Unhealthy"
    kinds = sorted(a.kind for a in g.tick(40))
    assert kinds == ["launch", "terminate"]
    with pytest.raises(ValueError, match="source must be one of ec2, custom or load_balancer"):
        g.unhealthy(40, iid, source="gremlins")


def test_ec2_state_and_launch_failed() -> None:
    g = Group(1, 2)
    [a] = g.tick(0)
    g.launch_failed(1, a.id)
    [b] = g.tick(12)  # the replacement
    assert b.kind == "launch" and b.id != a.id
    g.booted(13, b.id)
    g.ec2_state(14, b.id, "stopped")
    assert g.members[-1].health == "Unhealthy"
    with pytest.raises(fleetcore.LifecycleError) as info:
        g.ec2_state(15, b.id, "asleep")
    assert info.value.code == 1010


def test_lifecycle_hook_waits_for_completion() -> None:
    g = Group(1, 2)
    hook = g.put_lifecycle_hook("launching", heartbeat_timeout_s=60)
    [a] = g.tick(0)
    g.booted(5, a.id)
    [n] = g.tick(5)
    assert (n.kind, n.hook, n.transition) == ("notify_hook", hook, "launching")
    assert g.members[0].state == "Pending:Wait"
    g.hook_heartbeat(30, a.id, hook)
    g.complete_hook(40, a.id, hook)
    g.tick(40)
    assert g.members[0].state == "InService"
    with pytest.raises(fleetcore.GroupError) as info:
        g.complete_hook(50, a.id, hook)
    assert info.value.code == 1115
    with pytest.raises(fleetcore.GroupError) as info:
        g.put_lifecycle_hook("terminating", heartbeat_timeout_s=5)
    assert info.value.code == 1112
    with pytest.raises(ValueError, match="transition must be"):
        g.put_lifecycle_hook("sideways")


def test_standby_protection_and_detach() -> None:
    g = Group(0, 4, 2)
    ids = launched(g, 0)
    g.enter_standby(10, ids[:1])
    assert g.desired == 1
    assert g.members[0].state == "Standby"
    with pytest.raises(fleetcore.GroupError) as info:
        g.enter_standby(11, ids[:1])
    assert info.value.code == 1106
    g.exit_standby(12, ids[:1])
    assert (g.desired, g.in_service) == (2, 2)
    g.set_protection(ids, True)
    assert all(m.protected for m in g.members)
    g.detach(20, ids[:1])
    assert len(g) == 1 and g.desired == 1
    with pytest.raises(fleetcore.GroupError) as info:
        g.detach(21, ["i-0123456789abcdef0"])
    assert info.value.code == 1105
    with pytest.raises(fleetcore.IdError):
        g.detach(21, ["nonsense"])


def test_suspended_launch_launches_nothing() -> None:
    g = Group(2, 4)
    g.suspend("Launch")
    assert g.is_suspended("Launch")
    assert g.tick(0) == []
    g.resume("Launch")
    assert len(g.tick(1)) == 2
    with pytest.raises(ValueError, match="process must be one of") as info:
        g.suspend("Naptime")
    assert getattr(info.value, "code", None) == 3
    # The snake_case spelling names the same process as the service's.
    g.suspend("az_rebalance")
    assert g.is_suspended("AZRebalance")


def test_construction_errors() -> None:
    with pytest.raises(fleetcore.GroupError) as info:
        Group(3, 2)
    assert info.value.code == 1101
    with pytest.raises(fleetcore.GroupError) as info:
        Group(1, 3, 5)
    assert info.value.code == 1100
    with pytest.raises(fleetcore.GroupError) as info:
        Group(1, 2, zones=["a", "a"])
    assert info.value.code == 1116
    with pytest.raises(fleetcore.GroupError) as info:
        Group(1, 2, termination_policies=["Default", "OldestInstance"])
    assert info.value.code == 1117
    with pytest.raises(ValueError, match="termination policy must be one of"):
        Group(1, 2, termination_policies=["Youngest"])
    with pytest.raises(fleetcore.GroupError) as info:
        Group(1, 2, max_instance_lifetime_s=60)
    assert info.value.code == 1119
    with pytest.raises(fleetcore.ArgumentError, match="min_size"):
        Group(-1, 2)


def test_metrics_and_alarms() -> None:
    g = Group(1, 5)
    cpu = g.put_metric("CPU", 60, per_member=True)
    queue = g.put_metric("Queue")
    assert (cpu, queue) == (0, 1)
    assert g.metrics == ["CPU", "Queue"]
    out = g.put_simple_policy(1, cooldown_s=60)
    alarm = g.put_alarm(0, "Queue", threshold=100, evaluation_periods=2, policy=out)
    assert g.alarms == ["INSUFFICIENT_DATA"]
    [iid] = launched(g, 0)
    for minute in range(4):
        g.record(minute * 60 + 30, "Queue", 500)
        g.tick(minute * 60 + 60)
    assert g.alarms[alarm] == "ALARM"
    assert g.desired >= 2
    assert g.record_in_service(300, cpu, 12.5) == 1
    with pytest.raises(fleetcore.GroupError) as info:
        g.record(300, "Memory", 1)
    assert (info.value.code, info.value.kind) == (1127, "not found")
    with pytest.raises(fleetcore.GroupError) as info:
        g.record(300, 7, 1)
    assert info.value.code == 1127
    with pytest.raises(fleetcore.GroupError) as info:
        g.record(300, "CPU", 1)  # a per-member metric needs the member
    assert info.value.code == 1119
    g.record(300, "CPU", 1, member=iid)
    with pytest.raises(fleetcore.ScalingError) as sinfo:
        g.put_metric("Slow", 45)
    assert sinfo.value.code == 1200
    assert isinstance(sinfo.value, ValueError)
    with pytest.raises(fleetcore.GroupError) as info:
        g.put_metric("CPU")
    assert info.value.code == 1129
    with pytest.raises(fleetcore.ScalingError) as sinfo:
        g.put_alarm(0, "Queue", threshold=1, evaluation_periods=2, datapoints_to_alarm=3, policy=out)
    assert sinfo.value.code == 1201
    with pytest.raises(ValueError, match="comparison must be one of"):
        g.put_alarm(0, "Queue", threshold=1, comparison="!=", policy=out)
    with pytest.raises(ValueError, match="missing_data must be one of"):
        g.put_alarm(0, "Queue", threshold=1, missing_data="maybe", policy=out)
    with pytest.raises(fleetcore.GroupError) as info:
        g.put_alarm(0, "Queue", threshold=1, policy=5)
    assert info.value.code == 1122
    with pytest.raises(TypeError):
        g.record(300, "Queue", True)  # a bool is not a value


def test_values_round_to_thousandths() -> None:
    g = Group(1, 10)
    launched(g, 0)
    p = g.put_step_policy([(0, 0.0005, 1), (0.0005, None, 2)], warmup_s=0)
    # 0.0005 rounds to 0.001: a metric 0.0004 above the threshold is in the first step,
    # one 0.0006 above it in the second.
    g.execute_policy(0, p, metric=10.0004, threshold=10)
    assert g.desired == 2
    g.execute_policy(0, p, metric=10.0006, threshold=10)
    assert g.desired == 3
    with pytest.raises(ValueError, match="finite"):
        g.execute_policy(0, p, metric=float("nan"), threshold=10)


def test_simple_policy_and_cooldown() -> None:
    g = Group(1, 10, default_cooldown_s=300)
    launched(g, 0)
    p = g.put_simple_policy(2)
    assert g.execute_policy(0, p) == "changed"
    assert g.desired == 3
    launched(g, 0)
    g.tick(1)  # the activity is over: the cooldown starts
    assert g.execute_policy(10, p) == "in_cooldown"
    assert g.execute_policy(10, p, honor_cooldown=False) == "changed"
    pct = g.put_simple_policy(-50, adjustment_type="PercentChangeInCapacity", cooldown_s=0)
    assert g.policy_count == 2
    assert g.execute_policy(400, pct, honor_cooldown=False) == "changed"
    with pytest.raises(fleetcore.ScalingError) as info:
        g.put_simple_policy(-1, adjustment_type="ExactCapacity")
    assert info.value.code == 1204
    with pytest.raises(ValueError, match="adjustment_type must be one of"):
        g.put_simple_policy(1, adjustment_type="Lots")


def test_step_policy_selects_the_step() -> None:
    g = Group(1, 10)
    launched(g, 0)
    p = g.put_step_policy([(0, 10, 1), (10, None, 3)], warmup_s=0)
    assert g.execute_policy(0, p, metric=75, threshold=70) == "changed"
    assert g.desired == 2
    assert g.execute_policy(0, p, metric=95, threshold=70) == "changed"
    assert g.desired == 4
    with pytest.raises(fleetcore.ScalingError) as info:
        g.execute_policy(0, p)  # a step policy needs the metric
    assert info.value.code == 1206
    with pytest.raises(ValueError, match="go together"):
        g.execute_policy(0, p, metric=1)
    with pytest.raises(fleetcore.ScalingError) as info:
        g.put_step_policy([(0, 10, 1), (20, None, 2)])  # a gap
    assert info.value.code == 1205
    with pytest.raises(fleetcore.ScalingError) as info:
        g.put_step_policy([(i, i + 1, 1) for i in range(21)])
    assert info.value.code == 1205
    with pytest.raises(fleetcore.GroupError) as ginfo:
        g.execute_policy(0, 9)
    assert ginfo.value.code == 1122


def test_target_tracking_scales_out_on_cpu() -> None:
    g = Group(1, 10, default_instance_warmup_s=0)
    g.put_metric("CPU", 60, per_member=True)
    p = g.put_target_tracking_policy("CPU", 50)
    launched(g, 0)
    desired = []
    for minute in range(6):
        g.record_in_service(minute * 60 + 30, "CPU", 100)
        launched(g, minute * 60 + 60)
        desired.append(g.desired)
    # AlarmHigh needs three datapoints; then each minute in ALARM doubles the settled
    # members: ceil(n × 100 / 50).
    assert desired == [1, 1, 2, 4, 8, 10]
    assert g.tracking_alarms(p) == ("ALARM", "OK")
    with pytest.raises(fleetcore.ScalingError) as info:
        g.execute_policy(400, p)
    assert info.value.code == 1211


def test_hpa_policies() -> None:
    g = Group(1, 10)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 50, hpa=True)
    with pytest.raises(fleetcore.ScalingError) as info:
        g.put_target_tracking_policy("CPU", 60, hpa=fleetcore.hpa.Behavior())
    assert info.value.code == 1212
    h = Group(1, 10)
    h.put_metric("CPU", 60, per_member=True)
    h.put_target_tracking_policy(0, 50, hpa=fleetcore.hpa.Behavior(scale_down_stabilization_s=0))
    with pytest.raises(ValueError, match="hpa must be"):
        h.put_target_tracking_policy(0, 50, hpa="yes")  # type: ignore[arg-type]
    assert h.put_target_tracking_policy(0, 50, hpa=False) == 1


def test_snapshot_round_trip_and_errors() -> None:
    g = Group(2, 6, zones=["a", "b"], seed=5)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 40)
    launched(g, 0)
    data = g.snapshot()
    assert data[:4] == b"FLTC"
    r = Group.restore(data)
    assert r == g
    assert r.members == g.members
    assert r.tick(100) == g.tick(100)
    with pytest.raises(fleetcore.SnapshotError) as info:
        Group.restore(data[:10])
    assert info.value.code == 1601
    assert isinstance(info.value, ValueError)
    with pytest.raises(fleetcore.SnapshotError) as info:
        Group.restore(b"XXXX" + data[4:])
    assert info.value.code == 1602
    corrupted = bytearray(data)
    corrupted[30] ^= 0xFF
    with pytest.raises(fleetcore.SnapshotError) as info:
        Group.restore(bytes(corrupted))
    assert info.value.code == 1605


def test_pickle_round_trips_through_the_snapshot() -> None:
    g = Group(2, 6, zones=["a", "b"], seed=5)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 40)
    launched(g, 0)
    data = pickle.dumps(g)
    r = pickle.loads(data)
    assert isinstance(r, Group)
    assert r == g
    assert r.snapshot() == g.snapshot()
    assert r.tick(100) == g.tick(100)
    g.set_desired(200, 5)
    assert pickle.loads(pickle.dumps(g)).desired == 5
    assert r.desired != 5


def test_copies_are_independent() -> None:
    g = Group(1, 4)
    launched(g, 0)
    for c in (g.copy(), copy.copy(g), copy.deepcopy(g)):
        assert c == g
        c.set_desired(1, 3)
        assert g.desired == 1


def test_next_deadline_and_owed_actions() -> None:
    g = Group(0, 300, 200)
    actions = g.tick(0)
    assert len(actions) == 200  # more than one core buffer: nothing is lost
    assert len({a.id for a in actions}) == 200
    assert g.next_deadline() is None
