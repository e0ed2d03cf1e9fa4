"""`make demo` inside the test command: scripts/demo.py runs the taxi trace through the
scaling designs and the ways to buy them, checks its figures (desired within [min, max], the
steps' costs adding up to the ledger and its parts to its total, On-Demand never below the
base) and writes the plot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_demo():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_runs_and_its_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    demo = load_demo()
    demo.PLOT.unlink(missing_ok=True)
    assert demo.main() == 0
    out = capsys.readouterr().out
    for row in ("member-hours", "  spot", "RI utilisation", "Spot interruptions", "scaling activities"):
        assert row in out
    assert demo.PLOT.stat().st_size > 10_000


def test_the_demo_check_catches_a_ledger_that_does_not_add_up() -> None:
    demo = load_demo()

    class Fake:
        desired = [2, 3]
        cost = [1.0, 1.5]
        on_demand_units = [2, 2]
        totals = {"cost": 2.5, "cost_on_demand": 1.0, "cost_reserved": 0.5, "cost_spot": 1.0}

        def __len__(self) -> int:
            return 2

    config = {
        "groups": [{"min_size": 1, "max_size": 4, "purchase": {"mixed_instances": {"on_demand_base": 2}}}],
        "simulation": {"step_s": 3600},
    }
    demo.check("fake", Fake(), config)
    Fake.totals = dict(Fake.totals, cost_spot=2.0)
    with pytest.raises(SystemExit, match="parts"):
        demo.check("fake", Fake(), config)
    Fake.totals = dict(Fake.totals, cost_spot=1.0)
    Fake.cost = [1.0, 2.0]
    with pytest.raises(SystemExit, match="steps cost"):
        demo.check("fake", Fake(), config)
    Fake.cost = [1.0, 1.5]
    Fake.on_demand_units = [2, 1]
    with pytest.raises(SystemExit, match="below the base"):
        demo.check("fake", Fake(), config)
    Fake.on_demand_units = [2, 2]
    Fake.desired = [2, 5]
    with pytest.raises(SystemExit, match="left"):
        demo.check("fake", Fake(), config)


def test_the_taxi_trace_is_read_in_new_york_time() -> None:
    """NAB writes nyc_taxi.csv's times without an offset; they are New York's clock (demand is
    lowest at 05:00 and highest in the evening, local time). The demo reads them in that zone,
    so that the document's weekday rush floor (06:30 New York time) meets the morning ramp and
    not the middle of the day."""
    demo = load_demo()
    if not demo.TRACE.exists():
        pytest.skip("the NAB traces are not here")
    import datetime as dt

    import fleetcore

    trace = fleetcore.trace.load(demo.TRACE, tz=demo.TRACE_ZONE)
    assert str(trace.tz) == "America/New_York"
    by_hour: dict[int, list[float]] = {}
    for t, v in trace:
        by_hour.setdefault(dt.datetime.fromtimestamp(t, trace.tz).hour, []).append(v)
    mean = {h: sum(vs) / len(vs) for h, vs in by_hour.items()}
    assert min(mean, key=mean.__getitem__) == 5
    assert 17 <= max(mean, key=mean.__getitem__) <= 21
    # The first instant is midnight in New York, 04:00 UTC (EDT).
    assert dt.datetime.fromtimestamp(trace.times[0], dt.timezone.utc).hour == 4
