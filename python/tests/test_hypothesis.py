"""Properties over random operation sequences (the Python face of fuzz/lifecycle_ops)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import fleetcore

AMI = "ami-0123456789abcdef0"
EVENTS = [
    "booted",
    "powered_off",
    "failed",
    "os_shutdown",
    "hibernation_failed",
    "retirement",
    "spot_interruption",
    "spot_restart",
]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("launch"), st.sampled_from([None, "one-time", "persistent"]), st.booleans()),
        st.tuples(st.sampled_from(["start", "stop", "force", "hibernate", "reboot", "terminate"]),
                  st.integers(0, 7)),
        st.tuples(st.just("report"), st.integers(0, 7), st.sampled_from(EVENTS)),
        st.tuples(st.just("wait"), st.floats(0, 4000, allow_nan=False)),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, database=None)
@given(ops)
def test_billing_never_decreases_and_terminated_is_absorbing(sequence: list[tuple]) -> None:
    fleet = fleetcore.Fleet(9, boot_timeout_s=30, stop_timeout_s=60, shutdown_timeout_s=10)
    now = 0.0
    billed = 0.0
    launched: list[str] = []
    terminated: set[str] = set()
    for op in sequence:
        try:
            if op[0] == "launch":
                interruption = "stop" if op[1] == "persistent" else None
                launched.append(fleet.launch(now, AMI, "m5.large", spot=op[1],
                                             interruption=interruption, hibernation=op[2]))
            elif op[0] == "wait":
                now += op[1]
                fleet.tick(now)
                deadline = fleet.next_deadline()
                assert deadline is None or deadline > now, "tick left work that was due"
            elif launched:
                iid = launched[op[1] % len(launched)]
                if op[0] == "report":
                    fleet.report(now, iid, op[2])
                elif op[0] == "force":
                    fleet.stop(now, iid, force=True)
                else:
                    getattr(fleet, op[0])(now, iid)
        except fleetcore.LifecycleError:
            pass
        held = set(fleet.ids())
        for iid in terminated:
            assert iid not in held or fleet.state(iid) == "terminated"
        terminated |= {i for i in held if fleet.state(i) == "terminated"}
        assert fleet.billed_s(now) >= billed
        billed = fleet.billed_s(now)


group_ops = st.lists(
    st.one_of(
        st.tuples(st.just("tick"), st.floats(0, 600, allow_nan=False)),
        st.tuples(st.just("set_desired"), st.integers(-2, 14)),
        st.tuples(st.just("update_size"), st.integers(0, 12), st.integers(0, 12), st.one_of(st.none(), st.integers(0, 12))),
        st.tuples(st.sampled_from(["booted", "terminated", "launch_failed", "unhealthy", "standby",
                                   "exit_standby", "detach", "protect"]), st.integers(0, 15)),
        st.tuples(st.just("record"), st.floats(0, 400, allow_nan=False)),
        st.tuples(st.just("execute"), st.integers(0, 2), st.floats(-50, 150, allow_nan=False)),
        st.tuples(st.sampled_from(["suspend", "resume"]), st.sampled_from(["Launch", "Terminate", "AZRebalance"])),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, database=None)
@given(group_ops)
def test_random_group_operations_keep_min_desired_max(sequence: list[tuple]) -> None:
    g = fleetcore.Group(1, 8, zones=["a", "b"], seed=3, default_instance_warmup_s=30)
    g.put_metric("CPU", 60, per_member=True)
    g.put_metric("Queue", 60)
    g.put_target_tracking_policy("CPU", 50, warmup_s=30)
    g.put_simple_policy(2, cooldown_s=60)
    step = g.put_step_policy([(None, 0, -1), (0, None, 1)])
    g.put_alarm(0, "Queue", threshold=100, evaluation_periods=2, policy=step)
    now = 0.0
    seen: list[str] = []
    for op in sequence:
        try:
            if op[0] == "tick":
                now += op[1]
                seen.extend(a.id for a in g.tick(now) if a.kind == "launch")
            elif op[0] == "set_desired":
                g.set_desired(now, op[1])
            elif op[0] == "update_size":
                g.update_size(min_size=op[1], max_size=op[2], desired_capacity=op[3])
            elif op[0] == "record":
                g.record(now, "Queue", op[1])
                g.record_in_service(now, "CPU", op[1])
            elif op[0] == "execute":
                g.execute_policy(now, op[1], metric=op[2], threshold=50, honor_cooldown=False)
            elif op[0] in ("suspend", "resume"):
                getattr(g, op[0])(op[1])
            elif seen:
                iid = seen[op[1] % len(seen)]
                if op[0] == "standby":
                    g.enter_standby(now, [iid])
                elif op[0] == "exit_standby":
                    g.exit_standby(now, [iid])
                elif op[0] == "detach":
                    g.detach(now, [iid])
                elif op[0] == "protect":
                    g.set_protection([iid])
                else:
                    getattr(g, op[0])(now, iid)
        except (fleetcore.GroupError, fleetcore.ScalingError, fleetcore.ArgumentError):
            pass
        assert g.min_size <= g.desired <= g.max_size
        assert g.capacity <= len(g) <= fleetcore.GROUP_CAPACITY
        deadline = g.next_deadline()
        assert deadline is None or deadline >= 0
    restored = fleetcore.Group.restore(g.snapshot())
    assert restored == g
