"""A hypothesis ``RuleBasedStateMachine`` over the Python ``Group`` (issue 19, "Tests that keep
it so"): every public call that changes a group, with times that go backwards, repeat or jump
by 10^15 s, and ids that do not exist. After every step:

- desired capacity stays within [min, max];
- every ``terminate`` / ``notify_hook`` / ``stop`` / ``start`` names an id that a ``launch``
  named (or a member the group had);
- every launch becomes a member (until the world reports it gone);
- a snapshot restores to an equal group, which decides the same next tick;
- nothing raises but the module's own exceptions.
"""

from __future__ import annotations

from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import fleetcore

OWN = (
    fleetcore.GroupError,
    fleetcore.ScalingError,
    fleetcore.PurchaseError,
    fleetcore.LifecycleError,
    fleetcore.IdError,
    fleetcore.ArgumentError,
    fleetcore.CatalogError,
    fleetcore.SnapshotError,
)
MISSING = "i-0123456789abcdef0"  # well formed, never launched here

times = st.one_of(
    st.integers(min_value=0, max_value=4 * 86_400),
    st.just(10**15),
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
)


class GroupMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.g: fleetcore.Group | None = None
        self.launched: set[str] = set()
        self.gone: set[str] = set()
        self.now = 0.0

    @initialize(
        min_size=st.integers(0, 3),
        extra=st.integers(0, 5),
        zones=st.integers(1, 3),
        seed=st.integers(0, 2**64 - 1),
        hook=st.booleans(),
    )
    def create(self, min_size: int, extra: int, zones: int, seed: int, hook: bool) -> None:
        self.g = fleetcore.Group(min_size, min_size + extra, zones=[f"z{i}" for i in range(zones)], seed=seed)
        if hook:
            self.g.put_lifecycle_hook("launching", heartbeat_timeout_s=120)
        self.g.put_metric("CPU", 60, per_member=True)
        self.g.put_target_tracking_policy("CPU", 50)

    def call(self, f: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except OWN:
            return None

    def ids(self) -> list[str]:
        assert self.g is not None
        return [m.id for m in self.g.members]

    def pick(self, data: st.DataObject) -> str:
        known = sorted(self.launched - self.gone)
        return data.draw(st.sampled_from(known + [MISSING]))

    @rule(t=times)
    def tick(self, t: float) -> None:
        assert self.g is not None
        actions = self.call(self.g.tick, t)
        if actions is None:
            return
        members = set(self.ids())
        for a in actions:
            if a.kind == "launch":
                assert a.id not in self.launched, f"{a.id} launched twice"
                self.launched.add(a.id)
                assert a.id in members, "a launch becomes a member"
            else:
                assert a.id in self.launched or a.id in members, f"{a.kind} of {a.id}, never launched"

    @rule(t=times, data=st.data())
    def booted(self, t: float, data: st.DataObject) -> None:
        assert self.g is not None
        self.call(self.g.booted, t, self.pick(data))

    @rule(t=times, data=st.data())
    def terminated(self, t: float, data: st.DataObject) -> None:
        assert self.g is not None
        i = self.pick(data)
        if self.call(self.g.terminated, t, i) is None and i in self.launched:
            self.gone.add(i)

    @rule(t=times, data=st.data())
    def launch_failed(self, t: float, data: st.DataObject) -> None:
        assert self.g is not None
        self.call(self.g.launch_failed, t, self.pick(data))

    @rule(t=times, data=st.data())
    def unhealthy(self, t: float, data: st.DataObject) -> None:
        assert self.g is not None
        self.call(self.g.unhealthy, t, self.pick(data))

    @rule(t=times, data=st.data(), result=st.sampled_from(["CONTINUE", "ABANDON"]))
    def complete_hook(self, t: float, data: st.DataObject, result: str) -> None:
        assert self.g is not None
        self.call(self.g.complete_hook, t, self.pick(data), 0, result)

    @rule(t=times, desired=st.integers(-2, 12))
    def set_desired(self, t: float, desired: int) -> None:
        assert self.g is not None
        self.call(self.g.set_desired, t, desired)

    @rule(t=times, value=st.floats(0, 200, allow_nan=False))
    def record(self, t: float, value: float) -> None:
        assert self.g is not None
        self.call(self.g.record_in_service, t, "CPU", value)

    @rule(t=times, data=st.data(), decrement=st.booleans())
    def standby(self, t: float, data: st.DataObject, decrement: bool) -> None:
        assert self.g is not None
        i = self.pick(data)
        if data.draw(st.booleans()):
            self.call(self.g.enter_standby, t, [i], decrement)
        else:
            self.call(self.g.exit_standby, t, [i])

    @rule(data=st.data(), protected=st.booleans())
    def protect(self, data: st.DataObject, protected: bool) -> None:
        assert self.g is not None
        self.call(self.g.set_protection, [self.pick(data)], protected)

    @precondition(lambda self: self.g is not None)
    @rule(t=times)
    def snapshot_restores_equal(self, t: float) -> None:
        assert self.g is not None
        back = fleetcore.Group.restore(self.g.snapshot())
        assert back == self.g
        a, b = self.g.copy(), back
        ra, rb = self.call(a.tick, t), self.call(b.tick, t)
        assert (ra is None) == (rb is None)
        if ra is not None and rb is not None:
            assert [(x.kind, x.id) for x in ra] == [(x.kind, x.id) for x in rb]

    @invariant()
    def desired_within_bounds(self) -> None:
        if self.g is not None:
            assert self.g.min_size <= self.g.desired <= self.g.max_size

    @invariant()
    def ids_are_unique(self) -> None:
        if self.g is not None:
            ids = self.ids()
            assert len(ids) == len(set(ids))


GroupMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestGroupMachine = GroupMachine.TestCase
