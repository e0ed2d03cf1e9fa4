"""A hypothesis ``RuleBasedStateMachine`` over the Python ``Group`` (issue 19, "Tests that keep
it so"): every public call of ``Group`` (``test_every_public_call_has_a_rule`` holds the rules to
the class's own list), with times that go backwards, repeat or jump by 10^15 s and up to the
largest time accepted, ids that do not exist, and argument values out of range. After every
step:

- desired capacity stays within [min, max];
- member ids are unique;
- every ``terminate`` / ``notify_hook`` / ``stop`` / ``start`` names an id that a ``launch``
  named;
- every launch becomes a member (it is one when ``tick`` returns);
- a snapshot restores to an equal group, which decides the same next tick (and so does a
  pickle and a copy);
- nothing raises but the module's own exceptions (``ArgumentError`` is a ``ValueError`` with a
  ``.code``; a bare ``ValueError``, ``OverflowError`` or ``TypeError`` fails the test).

The run in ``make test`` is short (profile ``ci``); ``FLEETCORE_MACHINE_PROFILE=long`` runs
many more and longer sequences.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import sys
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import fleetcore

sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402

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
MALFORMED = "i-not-an-id"
# The largest time the API accepts: u64::MAX milliseconds.
END_OF_TIME = 18_446_744_073_709_551.0
TYPES = ["m5.large", "c5.large"]
PROCESSES = [
    "Launch",
    "Terminate",
    "HealthCheck",
    "ReplaceUnhealthy",
    "AZRebalance",
    "AlarmNotification",
    "ScheduledActions",
    "InstanceRefresh",
    "NoSuchProcess",
]

settings.register_profile(
    "ci", max_examples=40, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2000, stateful_step_count=120, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = settings.get_profile(os.environ.get("FLEETCORE_MACHINE_PROFILE", "ci"))

# How a call's time relates to the last one: the same, a little later or earlier, a jump by
# 10^15 s, an absolute time (far back after a jump), the end of time, or a fraction.
moves = st.one_of(
    st.just(("same", 0.0)),
    st.tuples(st.just("forward"), st.sampled_from([1.0, 10.0, 60.0, 300.0, 3600.0, 86_400.0])),
    st.tuples(st.just("back"), st.sampled_from([1.0, 60.0, 3600.0])),
    st.just(("jump", 1e15)),
    st.tuples(st.just("at"), st.integers(0, 4 * 86_400).map(float)),
    st.just(("at", END_OF_TIME)),
    st.tuples(st.just("at"), st.floats(0, 1e6, allow_nan=False)),
)


class GroupMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.g: fleetcore.Group = fleetcore.Group(0, 1)
        self.launched: set[str] = set()
        self.now = 0.0
        self.calls = 0

    @initialize(
        min_size=st.integers(0, 3),
        extra=st.integers(0, 5),
        zones=st.integers(1, 3),
        seed=st.integers(0, 2**64 - 1),
        hook=st.booleans(),
        grace=st.sampled_from([None, 0.0, 30.0]),
        lifetime=st.sampled_from([None, 86_400.0]),
        policies=st.sampled_from([None, ["OldestInstance", "Default"], ["NewestInstance"]]),
        protected=st.booleans(),
        from_document=st.booleans(),
    )
    def create(
        self,
        min_size: int,
        extra: int,
        zones: int,
        seed: int,
        hook: bool,
        grace: float | None,
        lifetime: float | None,
        policies: list[str] | None,
        protected: bool,
        from_document: bool,
    ) -> None:
        if from_document:
            doc = document(min_size=min_size, max_size=min_size + extra, zones=[f"z{i}" for i in range(zones)])
            self.g = fleetcore.Group.from_document(json.dumps(doc), now_s=0, seed=seed)
        else:
            self.g = fleetcore.Group(
                min_size,
                min_size + extra,
                zones=[f"z{i}" for i in range(zones)],
                seed=seed,
                health_check_grace_period_s=grace,
                max_instance_lifetime_s=lifetime,
                termination_policies=policies,
                new_instances_protected_from_scale_in=protected,
            )
        if hook:
            self.g.put_lifecycle_hook("launching", heartbeat_timeout_s=120)
        self.g.put_metric("CPU", 60, per_member=True)
        self.g.put_target_tracking_policy("CPU", 50)

    # -- helpers -------------------------------------------------------------------------------

    def call(self, f: Any, *args: Any, **kwargs: Any) -> Any:
        """Calls ``f``; the module's own errors are allowed, anything else fails the test."""
        self.calls += 1
        try:
            return f(*args, **kwargs)
        except OWN as e:
            assert isinstance(e.code, int) and e.code > 0, f"{type(e).__name__} without a code: {e}"
            return None

    def when(self, data: st.DataObject) -> float:
        kind, v = data.draw(moves, label="time")
        if kind == "forward":
            self.now = min(self.now + v, END_OF_TIME)
        elif kind == "back":
            self.now = max(self.now - v, 0.0)
        elif kind == "jump":
            self.now = min(self.now + v, END_OF_TIME)
        elif kind == "at":
            self.now = v
        return self.now

    def ids(self) -> list[str]:
        return [m.id for m in self.g.members]

    def pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.launched) + self.ids() + [MISSING, MALFORMED]), label="id")

    def seen(self, actions: list[Any] | None) -> None:
        if actions is None:
            return
        members = set(self.ids())
        for a in actions:
            if a.kind == "launch":
                assert a.id not in self.launched, f"{a.id} launched twice"
                self.launched.add(a.id)
                assert a.id in members, "a launch becomes a member"
            else:
                assert a.id in self.launched, f"{a.kind} of {a.id}, which no launch named"

    # -- the loop ------------------------------------------------------------------------------

    @rule(data=st.data())
    def tick(self, data: st.DataObject) -> None:
        self.seen(self.call(self.g.tick, self.when(data)))
        self.call(self.g.next_deadline)

    @rule(data=st.data(), event=st.sampled_from(["booted", "terminated", "launch_failed", "spot_interruption", "rebalance_recommendation"]))
    def world(self, data: st.DataObject, event: str) -> None:
        g = self.g
        report = {
            "booted": g.booted,
            "terminated": g.terminated,
            "launch_failed": g.launch_failed,
            "spot_interruption": g.spot_interruption,
            "rebalance_recommendation": g.rebalance_recommendation,
        }[event]
        self.call(report, self.when(data), self.pick(data))

    @rule(data=st.data(), state=st.sampled_from(["pending", "running", "stopping", "stopped", "shutting-down", "terminated", "bogus"]))
    def ec2_state(self, data: st.DataObject, state: str) -> None:
        self.call(self.g.ec2_state, self.when(data), self.pick(data), state)

    @rule(data=st.data(), source=st.sampled_from(["custom", "ec2", "elb", "bogus"]))
    def unhealthy(self, data: st.DataObject, source: str) -> None:
        self.call(self.g.unhealthy, self.when(data), self.pick(data), source)

    @rule(data=st.data(), healthy=st.booleans(), grace=st.booleans())
    def set_health(self, data: st.DataObject, healthy: bool, grace: bool) -> None:
        self.call(self.g.set_health, self.when(data), self.pick(data), healthy, grace)

    # -- sizes and members ---------------------------------------------------------------------

    @rule(data=st.data(), desired=st.integers(-2, 12) | st.just(2**32) | st.just(2**31), honor=st.booleans())
    def set_desired(self, data: st.DataObject, desired: int, honor: bool) -> None:
        self.call(self.g.set_desired, self.when(data), desired, honor)

    @rule(
        lo=st.none() | st.integers(-1, 8),
        hi=st.none() | st.integers(-1, 12) | st.just(2**32),
        desired=st.none() | st.integers(-1, 12),
    )
    def update_size(self, lo: int | None, hi: int | None, desired: int | None) -> None:
        self.call(self.g.update_size, min_size=lo, max_size=hi, desired_capacity=desired)

    @rule(data=st.data(), hook=st.integers(-1, 3), result=st.sampled_from(["CONTINUE", "ABANDON", "bogus"]))
    def complete_hook(self, data: st.DataObject, hook: int, result: str) -> None:
        self.call(self.g.complete_hook, self.when(data), self.pick(data), hook, result)

    @rule(data=st.data(), hook=st.integers(-1, 3))
    def hook_heartbeat(self, data: st.DataObject, hook: int) -> None:
        self.call(self.g.hook_heartbeat, self.when(data), self.pick(data), hook)

    @rule(
        transition=st.sampled_from(["launching", "terminating", "autoscaling:EC2_INSTANCE_TERMINATING", "bogus"]),
        timeout=st.none() | st.sampled_from([-1.0, 10.0, 30.0, 120.0, 7200.0, 1e15]),
        result=st.sampled_from(["CONTINUE", "ABANDON", "bogus"]),
    )
    def put_lifecycle_hook(self, transition: str, timeout: float | None, result: str) -> None:
        self.call(self.g.put_lifecycle_hook, transition, heartbeat_timeout_s=timeout, default_result=result)

    @rule(data=st.data(), decrement=st.booleans(), enter=st.booleans())
    def standby(self, data: st.DataObject, decrement: bool, enter: bool) -> None:
        ids = [self.pick(data) for _ in range(data.draw(st.integers(0, 2), label="count"))]
        if enter:
            self.call(self.g.enter_standby, self.when(data), ids, decrement)
        else:
            self.call(self.g.exit_standby, self.when(data), ids)

    @rule(data=st.data(), decrement=st.booleans())
    def detach(self, data: st.DataObject, decrement: bool) -> None:
        self.call(self.g.detach, self.when(data), [self.pick(data)], decrement)

    @rule(data=st.data(), protected=st.booleans())
    def set_protection(self, data: st.DataObject, protected: bool) -> None:
        self.call(self.g.set_protection, [self.pick(data)], protected)

    @rule(process=st.sampled_from(PROCESSES), suspend=st.booleans())
    def processes(self, process: str, suspend: bool) -> None:
        self.call(self.g.suspend if suspend else self.g.resume, process)
        self.call(self.g.is_suspended, process)

    # -- metrics, alarms, policies -------------------------------------------------------------

    @rule(name=st.sampled_from(["CPU", "Queue", "Mem", "X"]), period=st.sampled_from([None, 10.0, 60.0, 7.0]), per_member=st.booleans())
    def put_metric(self, name: str, period: float | None, per_member: bool) -> None:
        self.call(self.g.put_metric, name, period, per_member=per_member)

    @rule(data=st.data(), metric=st.sampled_from(["CPU", "Queue", 0, 1, 7, "nope"]), value=st.floats(-10, 1e6, allow_nan=False), member=st.booleans())
    def record(self, data: st.DataObject, metric: int | str, value: float, member: bool) -> None:
        who = self.pick(data) if member else None
        self.call(self.g.record, self.when(data), metric, value, who)

    @rule(data=st.data(), value=st.floats(0, 200, allow_nan=False))
    def record_in_service(self, data: st.DataObject, value: float) -> None:
        self.call(self.g.record_in_service, self.when(data), "CPU", value)

    @rule(
        data=st.data(),
        metric=st.sampled_from(["CPU", "Queue", 5]),
        threshold=st.floats(-1, 100, allow_nan=False),
        policy=st.integers(-1, 4),
        comparison=st.sampled_from([">", "<=", "LessThanThreshold", "~"]),
        periods=st.integers(0, 3),
        missing=st.sampled_from(["missing", "breaching", "notBreaching", "ignore"]),
    )
    def put_alarm(self, data: st.DataObject, metric: Any, threshold: float, policy: int, comparison: str, periods: int, missing: str) -> None:
        self.call(
            self.g.put_alarm,
            self.when(data),
            metric,
            threshold=threshold,
            policy=policy,
            comparison=comparison,
            evaluation_periods=periods,
            missing_data=missing,
        )

    @rule(adjustment=st.integers(-5, 5), kind=st.sampled_from(["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity", "bogus"]), cooldown=st.none() | st.sampled_from([0.0, 60.0]))
    def put_simple_policy(self, adjustment: int, kind: str, cooldown: float | None) -> None:
        self.call(self.g.put_simple_policy, adjustment, adjustment_type=kind, cooldown_s=cooldown)

    @rule(steps=st.sampled_from([[(None, 0.0, -1), (0.0, None, 1)], [(0.0, 10.0, 2), (10.0, None, 3)], [(5.0, 1.0, 1)], []]))
    def put_step_policy(self, steps: list[tuple[float | None, float | None, int]]) -> None:
        self.call(self.g.put_step_policy, steps)

    @rule(value=st.floats(-1, 150, allow_nan=False), disable=st.booleans(), hpa=st.booleans())
    def put_target_tracking_policy(self, value: float, disable: bool, hpa: bool) -> None:
        self.call(self.g.put_target_tracking_policy, "CPU", value, disable_scale_in=disable, hpa=hpa)

    @rule(data=st.data(), policy=st.integers(-1, 4), metric=st.none() | st.floats(0, 100, allow_nan=False), honor=st.booleans())
    def execute_policy(self, data: st.DataObject, policy: int, metric: float | None, honor: bool) -> None:
        self.call(self.g.execute_policy, self.when(data), policy, metric=metric, threshold=50.0 if metric is not None else None, honor_cooldown=honor)

    @rule(policy=st.integers(-1, 4))
    def tracking_alarms(self, policy: int) -> None:
        self.call(self.g.tracking_alarms, policy)

    @rule(
        data=st.data(),
        name=st.sampled_from(["a", "b", "night"]),
        recurrence=st.none() | st.sampled_from(["*/5 * * * *", "0 9 * * MON-FRI", "61 * * * *"]),
        zone=st.none() | st.sampled_from(["UTC", "EST5EDT,M3.2.0,M11.1.0", "Nowhere/City"]),
        start=st.none() | st.sampled_from([0.0, 600.0, 1e15]),
        sizes=st.tuples(st.none() | st.integers(0, 3), st.none() | st.integers(0, 9), st.none() | st.integers(0, 9)),
    )
    def put_scheduled_action(self, data: st.DataObject, name: str, recurrence: str | None, zone: str | None, start: float | None, sizes: tuple[Any, Any, Any]) -> None:
        lo, hi, desired = sizes
        self.call(
            self.g.put_scheduled_action,
            self.when(data),
            name,
            recurrence=recurrence,
            time_zone=zone,
            start_s=start,
            min_size=lo,
            max_size=hi,
            desired_capacity=desired,
        )
        self.call(lambda: self.g.scheduled_actions)

    @rule(name=st.sampled_from(["a", "b", "none"]))
    def delete_scheduled_action(self, name: str) -> None:
        self.call(self.g.delete_scheduled_action, name)

    @rule(mode=st.sampled_from(["ForecastOnly", "ForecastAndScale", "bogus"]), per=st.floats(0, 100, allow_nan=False))
    def put_predictive_policy(self, mode: str, per: float) -> None:
        self.call(self.g.put_predictive_policy, "Queue", target_per_member=per, mode=mode)
        self.call(self.g.forecast)

    # -- purchasing ----------------------------------------------------------------------------

    @rule(data=st.data(), od=st.floats(0.001, 1, allow_nan=False), upfront=st.sampled_from(["at_purchase", "amortized"]))
    def set_prices(self, data: st.DataObject, od: float, upfront: str) -> None:
        spot = {(ty, "z0"): (od / 3, 5) for ty in TYPES}
        self.call(self.g.set_prices, self.when(data), {TYPES[0]: od, TYPES[1]: od * 0.9}, spot=spot, upfront=upfront)

    @rule(data=st.data(), ty=st.sampled_from(TYPES + ["t9.huge"]), zone=st.sampled_from(["z0", "z1", "zz"]), price=st.floats(0, 1, allow_nan=False), capacity=st.integers(-1, 5))
    def spot_pool(self, data: st.DataObject, ty: str, zone: str, price: float, capacity: int) -> None:
        self.call(self.g.set_spot_price, self.when(data), ty, zone, price)
        self.call(self.g.set_spot_capacity, ty, zone, capacity)

    @rule(base=st.integers(-1, 3), percent=st.integers(0, 101), weights=st.tuples(st.integers(0, 3), st.integers(1, 3)), rebalance=st.booleans(), clear=st.booleans())
    def mixed_instances(self, base: int, percent: int, weights: tuple[int, int], rebalance: bool, clear: bool) -> None:
        if clear:
            self.call(self.g.clear_mixed_instances)
        else:
            overrides = [(TYPES[0], weights[0]), (TYPES[1], weights[1])]
            self.call(self.g.set_mixed_instances, overrides, on_demand_base=base, on_demand_percent=percent, capacity_rebalance=rebalance)
        self.call(lambda: self.g.mixed_instances)

    @rule(data=st.data(), ty=st.sampled_from(TYPES), count=st.integers(-1, 3), payment=st.sampled_from(["no_upfront", "all_upfront", "Partial Upfront"]))
    def reserve(self, data: st.DataObject, ty: str, count: int, payment: str) -> None:
        self.call(self.g.reserve, self.when(data), ty, count, payment=payment)

    @rule(data=st.data())
    def ledger(self, data: st.DataObject) -> None:
        now = self.when(data)
        self.call(self.g.settle, now)
        start = float(int(now // 3600) * 3600)
        self.call(self.g.spend, now, start - 3600, start)
        self.call(self.g.units_by_market)
        self.call(self.g.price_interruptions)

    # -- templates, refresh, warm pool ---------------------------------------------------------

    @rule(versions=st.none() | st.tuples(st.integers(0, 3), st.integers(0, 4)) | st.just((2**32, 1)))
    def set_template_versions(self, versions: tuple[int, int] | None) -> None:
        self.call(self.g.set_template_versions, versions)
        self.call(lambda: (self.g.template_versions, self.g.launch_template))

    @rule()
    def sync_template(self) -> None:
        # A catalog without the group's template: the group learns it is gone.
        self.call(self.g.sync_template, fleetcore.Catalog())

    @rule(data=st.data(), low=st.integers(-1, 100), high=st.integers(99, 201), skip=st.booleans(), cancel=st.booleans())
    def instance_refresh(self, data: st.DataObject, low: int, high: int, skip: bool, cancel: bool) -> None:
        if cancel:
            self.call(self.g.cancel_instance_refresh, self.when(data))
        else:
            self.call(self.g.start_instance_refresh, self.when(data), min_healthy_percentage=low, max_healthy_percentage=high, skip_matching=skip)
        self.call(lambda: self.g.instance_refresh)

    @rule(data=st.data(), size=st.integers(-1, 3), state=st.sampled_from(["Stopped", "Running", "Hibernated", "bogus"]), reuse=st.booleans(), delete=st.booleans())
    def warm_pool(self, data: st.DataObject, size: int, state: str, reuse: bool, delete: bool) -> None:
        if delete:
            self.call(self.g.delete_warm_pool, self.when(data))
        else:
            self.call(self.g.put_warm_pool, min_size=size, pool_state=state, reuse_on_scale_in=reuse)
        self.call(lambda: (self.g.warm_pool, self.g.warm_count, self.g.warm_pool_target))

    # -- snapshots -----------------------------------------------------------------------------

    @rule(data=st.data(), how=st.sampled_from(["snapshot", "pickle", "copy"]))
    def snapshot_restores_equal(self, data: st.DataObject, how: str) -> None:
        if how == "snapshot":
            back = fleetcore.Group.restore(self.g.snapshot())
        elif how == "pickle":
            back = pickle.loads(pickle.dumps(self.g))
        else:
            back = self.g.copy()
        assert back == self.g
        t = self.when(data)
        a, b = self.g.copy(), back
        ra, rb = self.call(a.tick, t), self.call(b.tick, t)
        assert (ra is None) == (rb is None)
        if ra is not None and rb is not None:
            assert [(x.kind, x.id) for x in ra] == [(x.kind, x.id) for x in rb]
        assert a == b, "the same decisions leave equal groups"

    @rule(cut=st.integers(0, 64), byte=st.integers(0, 255))
    def restore_refuses_damage(self, cut: int, byte: int) -> None:
        data = bytearray(self.g.snapshot())
        data[cut % len(data)] ^= byte or 1
        assert self.call(fleetcore.Group.restore, bytes(data)) is None, "a damaged snapshot is refused"

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def desired_within_bounds(self) -> None:
        assert self.g.min_size <= self.g.desired <= self.g.max_size

    @invariant()
    def ids_are_unique(self) -> None:
        ids = self.ids()
        assert len(ids) == len(set(ids))

    @invariant()
    def reads_never_raise(self) -> None:
        g = self.g
        assert g.capacity >= 0 and g.in_service >= 0 and g.in_service_units >= 0
        assert len(g) == len(g.members) and g.zones
        assert len(g.alarms) <= 16 and g.policy_count >= 0 and len(g.metrics) <= 4
        assert g.activities_started >= len(g.activities)
        assert isinstance(g._repr_html_(), str)
        g.prices  # noqa: B018 - a read that must not raise
        g.next_deadline()


GroupMachine.TestCase.settings = PROFILE
TestGroupMachine = GroupMachine.TestCase

# Every public name has a rule or is read by one; none is left out.
NOT_RULES: set[str] = set()


def test_every_public_call_has_a_rule() -> None:
    """Every public name of ``Group`` appears in this machine, so a new call fails here until
    a rule covers it."""
    source = Path(__file__).read_text()
    public = {n for n in dir(fleetcore.Group) if not n.startswith("_")}
    missing = sorted(n for n in public - NOT_RULES if not re.search(rf"\.{n}\b", source))
    assert not missing, f"calls without a rule: {missing}"
