"""simulate: traces in three forms, the columns, totals and action log, the golden scenario
shared with core/tests/sim_golden.rs, the optional pandas and numpy paths, and the CLI."""

from __future__ import annotations

import array
import builtins
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import fleetcore
sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402
from fleetcore import Group, simulate
from fleetcore.__main__ import main

GOLDEN = Path(__file__).parent / "golden" / "sim_scenario.txt"
T0 = 1_400_019_200


def trace_load(j: int) -> float:
    """The golden trace, one point every five minutes (as core/tests/sim_golden.rs)."""
    if 4 <= j < 12:
        return 400.0
    if 12 <= j < 16:
        return 900.0
    return 40.25


def golden_group() -> Group:
    g = Group(1, 12, zones=["a", "b"], seed=42, default_instance_warmup_s=60)
    g.put_metric("CPU", 60, per_member=True)
    g.put_metric("Load", 60)
    g.put_target_tracking_policy("CPU", 50, warmup_s=60)
    step = g.put_step_policy([(0, 200, 1), (200, None, 2)], warmup_s=60, aggregation="Average")
    g.put_alarm(0, "Load", comparison=">", threshold=600, evaluation_periods=2, datapoints_to_alarm=2, policy=step)
    return g


GOLDEN_WORLD: dict[str, Any] = {
    "member_capacity": 100,
    "boot_time_s": 120,
    "slo_utilisation": 90,
    "price_per_hour": 6,
    "utilisation_metric": "CPU",
    "load_metric": "Load",
}
GOLDEN_TRACE = [(T0 + 300 * j, trace_load(j)) for j in range(36)]


def tracked(min_size: int = 1, max_size: int = 10) -> Group:
    g = Group(min_size, max_size, seed=7)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 50, warmup_s=120)
    return g


def test_golden_scenario_matches_the_rust_log() -> None:
    result = simulate(golden_group(), GOLDEN_TRACE, **GOLDEN_WORLD)
    assert result.action_log() == GOLDEN.read_text()
    assert result.action_log() == "".join(
        f"{int(a.t)} {a.kind} {a.id}\n" for a in result.actions
    )
    assert len(result) == 5 * 35 + 1


def test_golden_scenario_from_a_config_and_a_csv(tmp_path: Path) -> None:
    config = document(
        min_size=1,
        max_size=12,
        zones=["a", "b"],
        default_instance_warmup_s=60,
        metrics=[{"name": "CPU", "period_s": 60}, {"name": "Load", "source": "group"}],
        policies=[
            {"type": "target_tracking", "metric": 0, "target": 50, "warmup_s": 60},
            {
                "type": "step",
                "steps": [
                    {"lower_bound": 0, "upper_bound": 200, "adjustment": 1},
                    {"lower_bound": 200, "adjustment": 2},
                ],
                "warmup_s": 60,
            },
        ],
        alarms=[{"metric": 1, "comparison": "greater_than", "policy": 1, "threshold": 600, "evaluation_periods": 2}],
        simulation={"seed": 42},
    )
    csv = tmp_path / "trace.csv"
    lines = ["timestamp,value"]
    for t, v in GOLDEN_TRACE:
        lines.append(f"{_utc(t)},{v}")
    csv.write_text("\n".join(lines) + "\n")
    result = simulate(config, csv, **GOLDEN_WORLD)
    assert result.action_log() == GOLDEN.read_text()


def _utc(t: int) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def test_a_result_pickles_with_its_action_log() -> None:
    # The action log is read from the simulation on first use; a pickled result carries the
    # log itself, read or not, and the copy's log is the original's.
    import pickle

    fresh = simulate(golden_group(), GOLDEN_TRACE, **GOLDEN_WORLD)
    copy = pickle.loads(pickle.dumps(fresh))
    assert copy.action_log() == GOLDEN.read_text() == fresh.action_log()
    assert copy.actions == fresh.actions and len(copy.actions) > 0
    assert list(copy.desired) == list(fresh.desired)
    assert copy.totals == fresh.totals or dict(copy.totals) == dict(fresh.totals)
    assert copy.totals.launches == fresh.totals["launches"]


def test_columns_and_totals_agree() -> None:
    trace = [(k * 60, 40 if k < 10 or k >= 30 else 400) for k in range(60)]
    r = simulate(tracked(), trace, member_capacity=100, boot_time_s=120, price_per_hour=6)
    n = len(r)
    assert n == 60
    assert r.t.dtype == np.float64 and r.desired.dtype == np.int64 and r.slo_breach.dtype == np.bool_
    assert list(r.t[:3]) == [0.0, 60.0, 120.0]
    assert r.load[0] == 40 and r.load[10] == 400
    assert all(1 <= d <= 10 for d in r.desired)
    assert max(r.desired) == 8  # ceil(1 × 400 % / 50 %)
    assert math.isnan(r.utilisation[0])  # nobody in service before the first boot
    assert r.utilisation[2] == 40.0
    t = r.totals
    assert t["steps"] == n == t.steps
    assert t["launches"] == r.launched.sum() == len([a for a in r.actions if a.kind == "launch"])
    assert t["terminations"] == r.terminated.sum()
    assert t["slo_breach_minutes"] == r.slo_breach.sum()
    assert t["capacity_hours"] == pytest.approx(r.capacity.sum() / 60)
    assert t["cost"] == pytest.approx(r.cost.sum())
    assert t["scaling_changes"] >= 2
    assert set(t) >= {"capacity_hours", "cost", "slo_breach_minutes", "launches", "terminations", "scaling_changes"}
    assert "Totals(steps=60" in repr(t)
    assert repr(r).startswith("SimulationResult(steps=60, ")
    assert r.group.desired == r.desired[-1]
    with pytest.raises(AttributeError):
        _ = t.nonsense


def test_columns_are_the_same_whenever_and_however_they_are_first_read() -> None:
    """The columns are built on first read (issue 20): read first, after the action log,
    through a pickle, by a DataFrame, or from many threads at once, they are the same, and
    ``len`` is the same before and after."""
    import pickle
    import threading

    def run() -> Any:
        return simulate(golden_group(), GOLDEN_TRACE, **GOLDEN_WORLD)

    def columns(r: Any) -> dict[str, bytes]:
        return {name: bytes(getattr(r, name)) for name in fleetcore._sim.COLUMNS}

    first = run()
    n = len(first)
    want = columns(first)
    assert n == len(first) == 35 * 5 + 1 and all(len(v) in (n, 8 * n) for v in want.values())
    assert first.action_log() == GOLDEN.read_text()

    after_log = run()
    assert after_log.action_log() == GOLDEN.read_text()
    assert columns(after_log) == want and after_log.action_log() == GOLDEN.read_text()

    copy = pickle.loads(pickle.dumps(run()))
    assert columns(copy) == want and copy.action_log() == GOLDEN.read_text() and len(copy) == n

    frame = run().to_dataframe()
    assert frame["cost"].to_numpy().tobytes() == want["cost"] and len(frame) == n

    shared = run()
    seen: list[dict[str, bytes]] = []
    readers = [threading.Thread(target=lambda: seen.append(columns(shared))) for _ in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    assert seen == [want] * 8
    with pytest.raises(AttributeError):
        _ = shared.nonsense


def test_the_extensions_column_names_are_the_packages() -> None:
    """``COLUMNS`` (``_sim.py``) and the extension's ``NAMES`` (``python/src/sim.rs``) name the
    same columns, and each one ``column`` builds alone is the one ``columns`` hands over."""
    sim, _ = fleetcore._sim._started(golden_group(), GOLDEN_TRACE, GOLDEN_WORLD, record=True)
    fleetcore._sim._run_all(sim, False)
    alone = {name: bytes(sim.column(name)) for name in fleetcore._sim.COLUMNS}
    together = {name: bytes(column) for name, column in sim.columns().items()}
    assert alone == together and len(together) == len(fleetcore._sim.COLUMNS)
    with pytest.raises(ValueError, match="no column"):
        sim.column("nonsense")


def test_a_dropped_results_storage_is_reused_and_nothing_held_changes() -> None:
    """The columns of a dropped result are written again by the next run of the same length
    (``spare`` in python/src/sim.rs, issue 20): the new run's columns must equal a run's into
    fresh storage, and a column, a view or a frame a caller still holds must keep its bytes."""
    world: dict[str, Any] = {"member_capacity": 100, "boot_time_s": 120, "price_per_hour": 6}
    low = [(k * 60, 40.0 if k % 700 < 350 else 400.0) for k in range(4000)]
    high = [(k * 60, 900.0 if k % 500 < 100 else 90.0) for k in range(4000)]

    def columns(r: Any) -> dict[str, bytes]:
        return {name: bytes(getattr(r, name)) for name in fleetcore._sim.COLUMNS}

    # References: each run made while every earlier result is alive, so none is reused.
    ref_low = simulate(tracked(1, 40), low, **world)
    ref_high = simulate(tracked(1, 40), high, **world)
    want_low, want_high = columns(ref_low), columns(ref_high)
    assert want_low != want_high
    del ref_low, ref_high

    first = simulate(tracked(1, 40), low, **world)
    held_column = first.load
    held_view = memoryview(first.desired)
    held_frame = first.to_dataframe()
    address = first.cost.__array_interface__["data"][0]
    del first
    second = simulate(tracked(1, 40), high, **world)
    assert columns(second) == want_high
    assert bytes(held_column) == want_low["load"]
    assert bytes(held_view) == want_low["desired"]
    assert held_frame["cost"].to_numpy().tobytes() == want_low["cost"]
    # `cost`'s storage was free (the frame holds copies), so a column of the same size took it.
    assert address in {getattr(second, n).__array_interface__["data"][0] for n in fleetcore._sim.COLUMNS}
    del second
    for _ in range(3):
        assert columns(simulate(tracked(1, 40), low, **world)) == want_low


def test_a_run_in_a_dropped_runs_lists_records_only_its_own_steps() -> None:
    """A dropped run gives its lists of changes and its action log to the next run (``lists``
    in python/src/sim.rs, issue 20): a run recorded into them, emptied, must give the columns,
    actions and totals of a run recorded into fresh ones, whichever run was longer or busier."""
    world: dict[str, Any] = {"member_capacity": 100, "boot_time_s": 120, "price_per_hour": 6}
    # Busy: the load swings every 50 minutes (many changes and actions); calm: twice, slowly.
    busy = [(k * 60, 900.0 if k % 100 < 50 else 60.0) for k in range(6000)]
    calm = [(k * 60, 300.0 if k < 700 else 120.0) for k in range(1500)]

    def everything(r: Any) -> tuple[Any, ...]:
        return (
            {name: bytes(getattr(r, name)) for name in fleetcore._sim.COLUMNS},
            r.action_log(),
            dict(r.totals),
        )

    # References, each made while the other is alive (neither records into the other's lists).
    ref_busy = simulate(tracked(1, 40), busy, **world)
    ref_calm = simulate(tracked(1, 40), calm, **world)
    want_busy, want_calm = everything(ref_busy), everything(ref_calm)
    assert len(want_busy[1]) > 4 * len(want_calm[1]) > 0
    del ref_busy, ref_calm
    # Calm in busy's lists (longer, with more in them), then busy in calm's, then again.
    for _ in range(2):
        for trace, want in ((busy, want_busy), (calm, want_calm), (busy, want_busy)):
            assert everything(simulate(tracked(1, 40), trace, **world)) == want


def test_the_group_passed_is_not_changed() -> None:
    g = tracked()
    before = g.snapshot()
    simulate(g, [(0, 100), (600, 100)], member_capacity=100, boot_time_s=60)
    assert g.snapshot() == before


def test_numpy_list_and_resampling_agree() -> None:
    pairs = [(0, 10.0), (300, 20.0), (600, 40.0)]
    a = simulate(tracked(), pairs, member_capacity=100, boot_time_s=60)
    b = simulate(tracked(), np.array(pairs), member_capacity=100, boot_time_s=60)
    assert list(a.load) == list(b.load) == [10.0] * 5 + [20.0] * 5 + [40.0]
    assert a.action_log() == b.action_log()
    # Ten-minute steps average what the trace held over each step.
    c = simulate(tracked(), pairs, step_s=600, member_capacity=100, boot_time_s=60)
    assert list(c.load) == [15.0, 40.0]


@pytest.mark.parametrize(
    ("trace", "message"),
    [
        ([], "empty"),
        ([(60, 1), (60, 2)], "two values at 1970-01-01T00:01:00"),
        ([(0, -1)], "non-negative"),
        ([(0, float("nan"))], "every value is missing"),
        ([(-5, 1)], "not a time"),
        ([(0, 1, 2)], "pair"),
    ],
)
def test_malformed_traces_raise_value_error(trace: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simulate(tracked(), trace, member_capacity=100, boot_time_s=60)


def test_bad_options() -> None:
    trace = [(0, 1)]
    with pytest.raises(ValueError, match="shape"):
        simulate(tracked(), np.zeros((3, 3)), member_capacity=100, boot_time_s=60)
    with pytest.raises(ValueError, match="whole number of seconds"):
        simulate(tracked(), trace, step_s=0.5, member_capacity=100, boot_time_s=60)
    with pytest.raises(ValueError, match="member_capacity"):
        simulate(tracked(), trace, member_capacity=0, boot_time_s=60)
    with pytest.raises(ValueError, match="load_metric must be a group metric"):
        simulate(tracked(), trace, member_capacity=1, boot_time_s=60, load_metric="CPU")
    with pytest.raises(fleetcore.GroupError) as info:
        simulate(tracked(), trace, member_capacity=1, boot_time_s=60, utilisation_metric="RAM")
    assert info.value.code == 1127


def test_malformed_csv(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 25:00:00,2\n")
    with pytest.raises(fleetcore.trace.TraceError, match=r"bad.csv, line 3, column 'timestamp': '2014-07-01 25:00:00' is not a time"):
        simulate(tracked(), bad, member_capacity=1, boot_time_s=60)
    with pytest.raises(FileNotFoundError, match=r"trace file '.*missing.csv' does not exist"):
        simulate(tracked(), tmp_path / "missing.csv", member_capacity=1, boot_time_s=60)


def test_descending_rows_are_sorted() -> None:
    up = simulate(tracked(), [(0, 50), (300, 500), (600, 50)], member_capacity=100, boot_time_s=60)
    down = simulate(tracked(), [(600, 50), (300, 500), (0, 50)], member_capacity=100, boot_time_s=60)
    assert list(up.load) == list(down.load)
    assert up.action_log() == down.action_log()


def test_nab_trace_runs() -> None:
    path = Path("/work/shared/traces/nyc_taxi.csv")
    if not path.exists():
        pytest.skip("the NAB traces are not here")
    g = Group(1, 40, seed=1)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 60)
    r = simulate(g, path, step_s=300, member_capacity=1000, boot_time_s=180)
    assert r.t[0] == 1_404_172_800  # 2014-07-01 00:00:00 UTC
    assert r.load[0] == 10844
    assert r.totals["launches"] > 10


def test_to_dataframe() -> None:
    r = simulate(tracked(), [(0, 50), (300, 500)], member_capacity=100, boot_time_s=60)
    df = r.to_dataframe()
    assert list(df.columns) == list(fleetcore._sim.COLUMNS)
    assert len(df) == len(r)
    assert df.index.name == "time"
    # The trace's zone (UTC for plain seconds), as to_csv writes it.
    assert str(df.index[0]) == "1970-01-01 00:00:00+00:00"
    assert df["slo_breach"].dtype == bool


def test_without_pandas_or_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in {"pandas", "numpy", "matplotlib"}:
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    r = simulate(tracked(), [(0, 50), (300, 500)], member_capacity=100, boot_time_s=60)
    assert isinstance(r.load, array.array) and r.load.typecode == "d"
    assert isinstance(r.desired, array.array) and r.desired.typecode == "q"
    assert list(r.load) == [50.0] * 5 + [500.0]
    assert math.isnan(r.utilisation[0])
    with pytest.raises(ImportError, match="pip install pandas"):
        r.to_dataframe()
    with pytest.raises(ImportError, match="pip install matplotlib"):
        r.plot()


def test_progress_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    simulate(tracked(), [(0, 50), (3000, 50)], member_capacity=100, boot_time_s=60, progress=True)
    err = capsys.readouterr().err
    assert "simulate: 100 % (51 of 51 steps)" in err


def test_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    r = simulate(tracked(), [(0, 50), (3000, 400)], member_capacity=100, boot_time_s=60)
    out = tmp_path / "plot.png"
    r.plot(out)
    assert out.stat().st_size > 0


def write_config(tmp_path: Path, **simulation: Any) -> Path:
    config = document(
        min_size=1,
        max_size=10,
        metrics=[{"name": "CPU", "period_s": 60}],
        policies=[{"type": "target_tracking", "metric": 0, "target": 50, "warmup_s": 120}],
        simulation={"seed": 7, "member_capacity": 100, "boot_time_s": 120, **simulation},
    )
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return path


def write_trace(tmp_path: Path) -> Path:
    path = tmp_path / "trace.csv"
    rows = ["timestamp,value"] + [f"2014-07-01 {h:02d}:00:00,{40 if h % 6 else 400}" for h in range(24)]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_cli_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["simulate", str(write_config(tmp_path)), str(write_trace(tmp_path)), "--actions"])
    out = capsys.readouterr().out
    assert status == 0
    assert "steps              1381 of 60 s" in out
    assert "launches" in out and "SLO breached" in out
    assert " launch i-" in out


def test_cli_options_override_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trace = str(write_trace(tmp_path))
    assert main(["simulate", str(write_config(tmp_path)), trace, "--step-s", "300"]) == 0
    assert "steps              277 of 300 s" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document(min_size=3, max_size=2, simulation={"member_capacity": 1, "boot_time_s": 1})))
    assert main(["simulate", str(bad), trace]) == 2
    # The core's parser names the field with its line and column, as firmware reports it.
    err = capsys.readouterr().err
    assert "groups[0].max_size: max bound, 2, must be greater than or equal to min bound, 3" in err
    assert "(line 1, column" in err and "(fleetcore code 13" in err
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps(document(min_size=1, max_size=2, maxsize=3)))
    assert main(["simulate", str(typo), trace]) == 2
    assert "groups[0].maxsize: unknown field" in capsys.readouterr().err
    assert main(["simulate", str(write_config(tmp_path)), str(tmp_path / "nope.csv")]) == 2
    none = tmp_path / "none.json"
    none.write_text(json.dumps(document(min_size=1, max_size=2)))
    assert main(["simulate", str(none), trace]) == 2
    assert "member_capacity and boot_time_s" in capsys.readouterr().err


def test_cli_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "out.png"
    assert main(["simulate", str(write_config(tmp_path)), str(write_trace(tmp_path)), "--plot", str(out)]) == 0
    assert out.stat().st_size > 0


def test_module_runs_as_a_script(tmp_path: Path) -> None:
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "fleetcore", "simulate", str(write_config(tmp_path)), str(write_trace(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "capacity" in proc.stdout


def test_simulate_takes_every_world_setting_as_a_keyword() -> None:
    # The world's settings are listed once (``_WORLD_KEYS``); ``simulate`` passes the ones it
    # was given by that list, so each must be one of its keywords, ``None`` when not given.
    import inspect

    from fleetcore._sim import _WORLD_DEFAULTS, _WORLD_KEYS

    params = inspect.signature(fleetcore.simulate).parameters
    for key in _WORLD_KEYS:
        assert params[key].kind is inspect.Parameter.KEYWORD_ONLY, key
        assert params[key].default is None, key
    assert set(_WORLD_DEFAULTS) == set(_WORLD_KEYS)


def test_spot_draws_remembered_across_runs_give_the_same_runs() -> None:
    """The Spot draws that may hit are remembered across runs with the same seed and chances
    (``hits`` in python/src/sim.rs, issue 20). In a fresh process (nothing remembered yet),
    runs that find them afresh and runs that read them back, interleaved over two seeds and
    two chances, must give the same actions and totals, with interruptions in each."""
    import subprocess

    repo = Path(__file__).resolve().parents[2]
    trace = Path(os.environ.get("FLEETCORE_TRACES", repo.parent / "shared" / "traces")) / "nyc_taxi.csv"
    script = f"""
import json, sys, fleetcore
doc = json.loads(open({str(repo / "examples" / "taxi.json")!r}).read())
trace = list(fleetcore.trace.load({str(trace)!r}))[:4000]
pools = [s for s in doc["groups"][0]["purchase"]["spot"]]
def run(seed, chance):
    r = fleetcore.simulate(doc, trace, spot_seed=seed,
        spot_risk={{(p["instance_type"], p["zone"]): chance for p in pools}})
    return r.action_log(), dict(r.totals)
keys = [(1, 0.9), (2, 0.9), (1, 0.5)]
first = [run(*k) for k in keys]
again = [run(*k) for k in reversed(keys)][::-1]
assert all(t["interruptions"] > 0 for _, t in first), [t["interruptions"] for _, t in first]
assert first == again
assert first[0] != first[1] and first[0] != first[2]
print("ok")
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
