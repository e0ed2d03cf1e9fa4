"""The golden scenarios through the Python module: each scenario's action log must equal
``golden/<name>.txt`` at the repository root byte for byte, the same files the Rust core
(x86-64 and the Cortex-M firmware, ``golden/scenarios.rs``) and C (``ffi/tests/c/test_golden.c``)
print. ``golden/README.md`` describes the scenarios; keep this file in step with
``golden/scenarios.rs``.

The world, as on every surface: each minute, members launched at the previous minute report
booted, the minute's samples are recorded 30 s before it, the group ticks (``tick`` returns
every action due at that instant), each action is logged, and terminations complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from fleetcore import Group
from fleetcore._replay import nab_rows, replay

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "golden"
TRACES = Path(os.environ.get("FLEETCORE_TRACES", REPO.parent / "shared" / "traces"))
TAXI_ROWS = 672


def milli(v: int) -> float:
    """Thousandths as the float the binding rounds back to the same thousandths."""
    return v / 1000


class World:
    """Members booting, and the minute's ticks, logging each action."""

    def __init__(self, log: list[str]) -> None:
        self.booting: list[str] = []
        self.log = log
        # Launching hooks to answer CONTINUE at the next minute, and whether to answer them.
        self.answering: list[tuple[str, int]] = []
        self.answer_hooks = True

    def boot(self, g: Group, now: int) -> None:
        for iid in self.booting:
            g.booted(now, iid)
        self.booting = []

    def answer(self, g: Group, now: int) -> None:
        for iid, hook in self.answering:
            g.complete_hook(now, iid, hook, "CONTINUE")
        self.answering = []

    def tick(self, g: Group, now: int, secs: int) -> None:
        ending = []
        for a in g.tick(now):
            self.log.append(f"t={secs} {a}")
            if a.kind == "launch":
                self.booting.append(a.id)
            elif a.kind == "terminate":
                ending.append(a.id)
            elif a.kind == "notify_hook":
                # Terminating hooks are never answered: their heartbeat times out.
                if a.transition == "launching" and self.answer_hooks:
                    assert a.hook is not None
                    self.answering.append((a.id, a.hook))
            else:
                raise AssertionError(f"an action the scenario does not expect: {a}")
        for iid in ending:
            g.terminated(now, iid)


def sizes(g: Group) -> str:
    return f"desired={g.desired} capacity={g.capacity} in_service={g.in_service}"


def group_run() -> list[str]:
    t0 = 1_711_843_200  # 2024-03-31T00:00:00Z
    g = Group(1, 6, zones=["a", "b"], seed=42, default_instance_warmup_s=60)
    cpu = g.put_metric("cpu", 60, per_member=True)
    out = g.put_step_policy([(0, 20, 1), (20, None, 2)])
    scale_in = g.put_step_policy([(None, 0, -1)])
    g.put_alarm(t0, cpu, threshold=70, policy=out, comparison=">", evaluation_periods=2)
    g.put_alarm(t0, cpu, threshold=30, policy=scale_in, comparison="<", evaluation_periods=3)
    g.put_scheduled_action(t0, "evening", start_s=t0 + 20 * 60, min_size=2, desired_capacity=4)

    log: list[str] = []
    world = World(log)
    for i in range(30):
        now, secs = t0 + i * 60, i * 60
        world.boot(g, now)
        if i > 0 and g.in_service > 0:
            load = 150_000 if i < 12 else 50_000 if i < 24 else 20_000
            g.record_in_service(now - 30, cpu, milli(load // g.in_service))
        world.tick(g, now, secs)
        log.append(f"t={secs} {sizes(g)} alarms={','.join(g.alarms)}")
    return log


def lifecycle() -> list[str]:
    t0 = 1_711_843_200  # 2024-03-31T00:00:00Z
    g = Group(
        2,
        6,
        4,
        zones=["a", "b"],
        seed=99,
        termination_policies=["OldestInstance", "Default"],
    )
    g.put_lifecycle_hook("launching", heartbeat_timeout_s=60, default_result="ABANDON")
    g.put_lifecycle_hook("terminating", heartbeat_timeout_s=120, default_result="CONTINUE")

    log: list[str] = []
    world = World(log)
    for i in range(30):
        now, secs = t0 + i * 60, i * 60
        world.boot(g, now)
        world.answer(g, now)
        if i == 5:
            g.enter_standby(now, [g.members[0].id], decrement=False)
        elif i == 8:
            g.set_protection([g.members[1].id], True)
        elif i == 11:
            g.exit_standby(now, [g.members[0].id])
        elif i == 13:
            g.unhealthy(now, g.members[2].id, "custom")
        elif i == 20:
            g.set_desired(now, 2)
        world.answer_hooks = not 14 <= i < 16
        world.tick(g, now, secs)
        log.append(f"t={secs} {sizes(g)} members={','.join(m.state for m in g.members)}")
    return log


def scaling_cpu(m: int) -> int:
    return 50_000 if m < 20 else 400_000 if m < 45 else 150_000 if m < 70 else 60_000


def scaling_queue(m: int) -> int:
    if 25 <= m < 35:
        return 180_000
    if 35 <= m < 45:
        return 450_000
    if 45 <= m < 60:
        return 60_000
    if 60 <= m < 120:
        return 2_000
    return 0


def scaling() -> list[str]:
    t0 = 1_711_843_200  # 2024-03-31T00:00:00Z
    g = Group(1, 10, zones=["a", "b", "c"], seed=2024, default_instance_warmup_s=120)
    cpu = g.put_metric("cpu", 60, per_member=True)
    queue = g.put_metric("queue", 60)
    g.put_target_tracking_policy(cpu, 60)
    out = g.put_step_policy([(0, 200, 1), (200, None, 3)])
    scale_in = g.put_step_policy(
        [(None, 0, -50)], adjustment_type="PercentChangeInCapacity", min_adjustment_magnitude=1
    )
    burst = g.put_simple_policy(2, cooldown_s=180)
    g.put_alarm(t0, queue, threshold=100, policy=out, comparison=">", evaluation_periods=2)
    g.put_alarm(
        t0,
        queue,
        threshold=10,
        policy=scale_in,
        comparison="<",
        evaluation_periods=5,
        datapoints_to_alarm=4,
    )
    g.put_alarm(t0, cpu, threshold=95, policy=burst, comparison=">=", statistic="Maximum")
    g.put_scheduled_action(t0, "morning", recurrence="30 0 * * *", min_size=3)
    g.put_scheduled_action(t0, "cap", start_s=t0 + 90 * 60, max_size=6)

    log: list[str] = []
    world = World(log)
    for i in range(120):
        now, secs = t0 + i * 60, i * 60
        world.boot(g, now)
        if i > 0:
            if g.in_service > 0:
                g.record_in_service(now - 30, cpu, milli(scaling_cpu(i) // g.in_service))
            g.record(now - 30, queue, milli(scaling_queue(i)))
        world.tick(g, now, secs)
        log.append(
            f"t={secs} {sizes(g)} min={g.min_size} max={g.max_size} alarms={','.join(g.alarms)}"
        )
    return log


def taxi_rides() -> list[int]:
    path = TRACES / "nyc_taxi.csv"
    if not path.is_file():
        pytest.fail(f"{path} not found (set FLEETCORE_TRACES)")
    with path.open() as f:
        next(f)  # the header
        rides = [int(line.split(",")[1]) for line, _ in zip(f, range(TAXI_ROWS))]
    assert len(rides) == TAXI_ROWS
    return rides


def taxi() -> list[str]:
    t0 = 1_404_172_800  # 2014-07-01T00:00:00Z, the trace's first row
    g = Group(2, 20, zones=["a", "b", "c"], seed=7, default_instance_warmup_s=300)
    total = g.put_metric("rides", 60)
    load = g.put_metric("load", 60, per_member=True)
    g.put_predictive_policy(total, target_per_member=1500, mode="ForecastAndScale")
    g.put_target_tracking_policy(load, 1000)

    log: list[str] = []
    world = World(log)
    minute = 0
    for r in taxi_rides():
        for _ in range(30):
            now, secs = t0 + minute * 60, minute * 60
            world.boot(g, now)
            if minute > 0:
                g.record(now - 30, total, r)
                if g.in_service > 0:
                    g.record_in_service(now - 30, load, milli(r * 1000 // g.in_service))
            world.tick(g, now, secs)
            if minute % 30 == 0:
                log.append(f"t={secs} rides={r} {sizes(g)}")
            minute += 1
    return log


#: The document scenarios (``DOCUMENTS`` in golden/scenarios.rs): the first day of the trace
#: through a controller document's group, in the world of ``fleetcore._replay``.
DOCUMENTS = {"doc_controller": "examples/controller.json", "doc_taxi": "examples/taxi.json"}
DAY_ROWS = 48


def document_scenario(name: str) -> Callable[[], list[str]]:
    def run() -> list[str]:
        path = TRACES / "nyc_taxi.csv"
        if not path.is_file():
            pytest.fail(f"{path} not found (set FLEETCORE_TRACES)")
        return replay(REPO / DOCUMENTS[name], nab_rows(path, DAY_ROWS))

    return run


SCENARIOS: dict[str, Callable[[], list[str]]] = {
    "group_run": group_run,
    "lifecycle": lifecycle,
    "scaling": scaling,
    "taxi": taxi,
    **{name: document_scenario(name) for name in DOCUMENTS},
}


def test_replay_refuses_a_document_without_a_simulation_section() -> None:
    parsed = json.loads((REPO / "examples" / "controller.json").read_text())
    del parsed["simulation"]
    with pytest.raises(ValueError, match="no simulation section"):
        replay(parsed, [(1_404_172_800, 1)])


def test_replay_refuses_rows_that_are_not_half_hourly() -> None:
    with pytest.raises(ValueError, match="row 1"):
        replay(REPO / "examples" / "taxi.json", [(1_404_172_800, 1), (1_404_172_800 + 60, 1)])


def test_every_golden_file_has_a_scenario() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.txt")) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_matches_its_golden_log(name: str) -> None:
    run = "".join(line + "\n" for line in SCENARIOS[name]())
    golden = (GOLDEN / f"{name}.txt").read_text()
    if run != golden:
        ours, theirs = run.splitlines(), golden.splitlines()
        at = next(
            (i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b),
            min(len(ours), len(theirs)),
        )
        pytest.fail(
            f"golden/{name}.txt differs at line {at + 1} ({len(theirs)} lines, run "
            f"{len(ours)}): golden {theirs[at] if at < len(theirs) else None!r}, "
            f"run {ours[at] if at < len(ours) else None!r}"
        )


def test_an_iana_zone_name_replays_as_its_posix_rule() -> None:
    """SEMANTICS §3.6: a scheduled action's zone may be an IANA name (issue 18, "IANA zone
    names"). ``taxi.json``'s weekday rush-hour floor written with ``America/New_York`` plays a
    week of the trace exactly as with its POSIX rule, and ``Europe/Berlin`` does not (so the
    zone is read, not ignored). The firmware and C read the same names (``tz-names``)."""
    path = TRACES / "nyc_taxi.csv"
    if not path.is_file():
        pytest.fail(f"{path} not found (set FLEETCORE_TRACES)")
    rows = nab_rows(path, 336)
    text = (REPO / "examples" / "taxi.json").read_text()
    posix = '"EST5EDT,M3.2.0,M11.1.0"'
    assert posix in text
    logs = {
        zone: replay(json.loads(text.replace(posix, f'"{zone}"')), rows)
        for zone in ("EST5EDT,M3.2.0,M11.1.0", "America/New_York", "Europe/Berlin")
    }
    assert logs["America/New_York"] == logs["EST5EDT,M3.2.0,M11.1.0"]
    assert logs["Europe/Berlin"] != logs["America/New_York"]
