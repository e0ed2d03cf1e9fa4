"""Plots: the returned Figure has the panels, a date axis in the trace's time zone, a title,
distinct colours, a cumulative cost by purchasing option; several results on one figure;
ax= and fig=; the matplotlib backend is never switched; a missing folder fails before the
run; the CLI's --start, --days and --csv."""

from __future__ import annotations

import datetime as dt
import json
import sys
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import fleetcore
sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402
from fleetcore.__main__ import main

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.dates import date2num  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRACES = Path(os.environ.get("FLEETCORE_TRACES", ROOT.parent / "shared" / "traces"))
CONFIG = json.loads((ROOT / "examples" / "taxi.json").read_text())
NY = "America/New_York"


@pytest.fixture(scope="module")
def taxi_days() -> pd.Series:
    """The first four days of the taxi trace, indexed in New York time."""
    path = TRACES / "nyc_taxi.csv"
    if not path.exists():
        pytest.skip("the NAB traces are not here")
    frame = pd.read_csv(path, parse_dates=["timestamp"], index_col="timestamp").iloc[: 4 * 48]
    return frame["value"].tz_localize("UTC").tz_convert(NY)


@pytest.fixture(scope="module")
def spot_result(taxi_days: pd.Series) -> fleetcore.SimulationResult:
    """The demo's Spot design (prices, reservations, mixed instances) over four days."""
    return fleetcore.simulate(CONFIG, taxi_days)


@pytest.fixture(scope="module")
def on_demand_result(taxi_days: pd.Series) -> fleetcore.SimulationResult:
    config = json.loads(json.dumps(CONFIG))
    config["groups"][0]["purchase"] = {"on_demand": CONFIG["groups"][0]["purchase"]["on_demand"]}
    del config["simulation"]["spot_interruptions"]
    return fleetcore.simulate(config, taxi_days)


def colours(ax: Any) -> list[str]:
    """The colours of an axes' lines and filled areas, in drawing order."""
    found = [to_hex(line.get_color()) for line in ax.get_lines() if line.get_label() and not line.get_label().startswith("_")]
    found += [to_hex(c.get_facecolor()[0]) for c in ax.collections if len(c.get_facecolor())]
    return found


def labelled(ax: Any) -> dict[str, str]:
    handles, labels = ax.get_legend_handles_labels()
    out = {}
    for handle, label in zip(handles, labels):
        colour = handle.get_color() if hasattr(handle, "get_color") and not hasattr(handle, "get_facecolor") else handle.get_facecolor()
        if hasattr(colour, "__len__") and not isinstance(colour, str) and len(colour) and hasattr(colour[0], "__len__"):
            colour = colour[0]
        out[label] = to_hex(colour)
    return out


def test_one_result_has_four_panels_a_title_and_a_date_axis(spot_result: fleetcore.SimulationResult) -> None:
    backend = matplotlib.get_backend()
    fig = spot_result.plot()
    assert isinstance(fig, Figure)
    axes = fig.get_axes()
    assert len(axes) == 4
    assert [a.get_ylabel() for a in axes] == ["load", "capacity units", "utilisation, %", "cumulative cost"]
    assert fig._suptitle is not None and "America/New_York" in fig._suptitle.get_text()
    assert "cost" in fig._suptitle.get_text()
    assert axes[-1].get_xlabel() == "time (America/New_York)"
    # x is a date: the first point is the first step's instant.
    first = axes[0].get_lines()[0].get_xdata()[0]
    assert first == pytest.approx(date2num(dt.datetime(2014, 7, 1, tzinfo=dt.timezone.utc)))
    # The date formatter shows New York time: midnight UTC is 20:00 the day before.
    formatter = axes[0].xaxis.get_major_formatter()
    assert type(formatter).__name__ == "ConciseDateFormatter"
    assert str(formatter._tz) == NY
    assert matplotlib.get_backend() == backend


def test_colours_are_distinct(spot_result: fleetcore.SimulationResult) -> None:
    fig = spot_result.plot()
    for ax in fig.get_axes():
        found = colours(ax)
        assert len(found) == len(set(found)), (ax.get_ylabel(), found)
    units = labelled(fig.get_axes()[1])
    assert {"on-demand", "Spot", "desired", "in service"} <= set(units)
    assert units["on-demand"] != units["desired"]
    assert units["Spot"] != units["in service"]
    load = labelled(fig.get_axes()[0])
    assert load["load"] != load["serving capacity"]


def test_cumulative_cost_by_purchasing_option(spot_result: fleetcore.SimulationResult) -> None:
    ax = spot_result.plot().get_axes()[3]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert {"on-demand", "reserved", "Spot", "total"} <= set(lines)
    total = lines["total"].get_ydata()
    assert list(total) == sorted(total)  # cumulative: never falls
    assert total[-1] == pytest.approx(sum(spot_result.cost))
    parts = sum(lines[k].get_ydata()[-1] for k in ("on-demand", "reserved", "Spot"))
    assert parts == pytest.approx(total[-1], abs=0.01)


def test_window_start_and_days(spot_result: fleetcore.SimulationResult) -> None:
    fig = spot_result.plot(start="2014-07-02", days=1)
    x = fig.get_axes()[0].get_lines()[0].get_xdata()
    assert len(x) == 1440
    # 2014-07-02 00:00 in New York is 04:00 UTC.
    assert x[0] == pytest.approx(date2num(dt.datetime(2014, 7, 2, 4, tzinfo=dt.timezone.utc)))
    assert len(spot_result.plot(start=1, days=0.5).get_axes()[0].get_lines()[0].get_xdata()) == 720
    with pytest.raises(ValueError, match="holds no steps: the run covers 2014-06-30 20:00"):
        spot_result.plot(start="2015-01-01")
    with pytest.raises(ValueError, match="days must be positive"):
        spot_result.plot(days=0)


def test_ax_and_fig(spot_result: fleetcore.SimulationResult) -> None:
    fig = Figure()
    axes = fig.subplots(1, 2)
    assert spot_result.plot(panels=("load", "cost"), ax=axes) is fig
    assert axes[0].get_ylabel() == "load" and axes[1].get_ylabel() == "cumulative cost"
    single = Figure().subplots()
    assert spot_result.plot(panels=("units",), ax=single) is single.figure
    assert single.get_title()  # the title goes on the axes when ax= is given
    with pytest.raises(ValueError, match="ax= needs 4 axes"):
        spot_result.plot(ax=axes)
    mine = Figure(figsize=(4, 4))
    assert spot_result.plot(fig=mine, panels=("load", "utilisation")) is mine
    assert len(mine.get_axes()) == 2
    with pytest.raises(ValueError, match="panels must be some of"):
        spot_result.plot(panels=("money",))


def test_compare_puts_several_results_on_one_figure(
    spot_result: fleetcore.SimulationResult, on_demand_result: fleetcore.SimulationResult, tmp_path: Path
) -> None:
    out = tmp_path / "compare.png"
    fig = fleetcore.plot.compare({"Spot": spot_result, "On-Demand": on_demand_result}, out, days=2)
    assert out.stat().st_size > 10_000
    axes = fig.get_axes()
    assert len(axes) == 3
    cost = labelled(axes[2])
    assert len(cost) == 2 and all(k.startswith(("Spot:", "On-Demand:")) for k in cost)
    assert len(set(cost.values())) == 2
    assert "2 designs" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="compare needs at least one result"):
        fleetcore.plot.compare({})


def test_no_backend_switch_and_no_pyplot(spot_result: fleetcore.SimulationResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the library called matplotlib.use")

    monkeypatch.setattr(matplotlib, "use", refuse)
    backend = matplotlib.get_backend()
    out = tmp_path / "plot.png"
    spot_result.plot(out, days=1)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend() == backend
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # the figure is not in pyplot's list


def test_a_missing_folder_fails_before_drawing(spot_result: fleetcore.SimulationResult, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"cannot write the plot to .*nowhere/plot.png.: the folder .*nowhere. does not exist"):
        spot_result.plot(tmp_path / "nowhere" / "plot.png")
    with pytest.raises(FileNotFoundError, match=r"cannot write the CSV"):
        spot_result.to_csv(tmp_path / "nowhere" / "steps.csv")


def test_to_csv_and_html(spot_result: fleetcore.SimulationResult, tmp_path: Path) -> None:
    out = tmp_path / "steps.csv"
    assert spot_result.to_csv(out, start="2014-07-02", days=1) == 1440
    lines = out.read_text().splitlines()
    assert lines[0].startswith("time,t,load,desired,")
    assert lines[1].startswith("2014-07-02T00:00:00-04:00,1404273600.0,")
    assert len(lines) == 1441
    page = spot_result._repr_html_()
    assert "<table>" in page and "slo_breach_minutes" in page and "America/New_York" in page
    # Figures as a person reads them: money to the cent with thousands separated, shares in
    # percent, not repr() of floats.
    t = spot_result.totals
    assert f">{t['cost']:,.2f}</td>" in page
    assert f">{100 * t['reservation_coverage']:.1f} %</td>" in page
    assert f">{t['capacity_hours']:,.1f}</td>" in page
    # to_dataframe's index is in the trace's zone, as to_csv writes it.
    frame = spot_result.to_dataframe()
    assert str(frame.index.tz) == NY
    assert frame.index[0].utcoffset() == dt.timedelta(hours=-4)  # EDT in July
    assert frame.index[0].timestamp() == spot_result.t[0]


def test_cli_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["simulate", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(argv)
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert "examples:\n  fleetcore simulate examples/taxi.json nyc_taxi.csv" in out
        assert "fleetcore.__main__" not in out  # no pointer to a docstring a user cannot see


def write_config(tmp_path: Path) -> Path:
    config = document(
        min_size=1,
        max_size=10,
        metrics=[{"name": "CPU", "period_s": 60}],
        policies=[{"type": "target_tracking", "metric": 0, "target": 50, "warmup_s": 120}],
        simulation={"seed": 7, "member_capacity": 100, "boot_time_s": 120},
    )
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return path


def write_trace(tmp_path: Path) -> Path:
    path = tmp_path / "trace.csv"
    rows = ["time,load"] + [f"2014-07-0{1 + h // 24}T{h % 24:02d}:00:00Z,{40 if h % 6 else 400}" for h in range(72)]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_cli_start_days_csv_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plot, csv = tmp_path / "p.png", tmp_path / "c.csv"
    args = ["simulate", str(write_config(tmp_path)), str(write_trace(tmp_path))]
    assert main([*args, "--plot", str(plot), "--csv", str(csv), "--start", "2014-07-02", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert f"csv                {csv} (1440 rows)" in out
    assert plot.stat().st_size > 10_000
    assert csv.read_text().splitlines()[1].startswith("2014-07-02T00:00:00+00:00,")
    assert "--start and --days show a window" not in out  # three days fit one figure


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--plot", "missing/p.png"], "cannot write the plot to 'missing/p.png'"),
        (["--csv", "missing/c.csv"], "cannot write the CSV to 'missing/c.csv'"),
        (["--start", "July"], "--start 'July' is not a date"),
        (["--days", "0"], "--days must be positive"),
        # A window outside the trace (2014-07-01 .. 07-03) is found before the run, not after.
        (["--plot", "p.png", "--start", "2015-01-01"], "--start '2015-01-01' is outside the trace, which covers 2014-07-01 00:00 .. 2014-07-03 23:00"),
        (["--csv", "c.csv", "--start", "2014-06-01", "--days", "3"], "--start '2014-06-01' is outside the trace"),
    ],
)
def test_cli_output_errors_come_before_the_run(
    extra: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = []
    monkeypatch.setattr("fleetcore.__main__.simulate", lambda *a, **k: ran.append(1))
    assert main(["simulate", str(write_config(tmp_path)), str(write_trace(tmp_path)), *extra]) == 2
    assert message in capsys.readouterr().err
    assert ran == []  # failed before the run


def test_cli_says_how_to_show_a_window_of_a_long_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trace = tmp_path / "long.csv"
    trace.write_text("timestamp,value\n2014-07-01 00:00:00,50\n2014-08-10 00:00:00,60\n")
    plot = tmp_path / "long.png"
    assert main(["simulate", str(write_config(tmp_path)), str(trace), "--plot", str(plot)]) == 0
    assert "(40 days in one figure: --start and --days show a window)" in capsys.readouterr().out


def test_legends_sit_beside_the_panels_they_would_hide(
    spot_result: fleetcore.SimulationResult, on_demand_result: fleetcore.SimulationResult
) -> None:
    """Seen on the taxi trace: legends at the upper left covered the load and the Spot area;
    now they sit to the right of the panel (the cost panel of compare keeps its upper left,
    which cumulative costs leave empty)."""
    fig = spot_result.plot()
    for ax in fig.axes:
        assert ax.get_legend().get_bbox_to_anchor().x0 >= ax.get_window_extent().x1 - 1
    load, units, cost = fleetcore.plot.compare({"spot": spot_result, "on-demand": on_demand_result}).axes
    for ax in (load, units):
        assert ax.get_legend().get_bbox_to_anchor().x0 >= ax.get_window_extent().x1 - 1
    texts = [t.get_text() for t in cost.get_legend().get_texts()]
    assert texts[0].startswith("spot: cost ") and texts[0].endswith(" min (whole run)")


def test_compare_says_when_a_design_s_members_are_another_s(spot_result: fleetcore.SimulationResult) -> None:
    """Seen in the demo: three designs with the same members drew one line, and the legend
    showed colours that were nowhere on the figure."""
    units = fleetcore.plot.compare({"a": spot_result, "b": spot_result}).axes[1]
    assert [t.get_text() for t in units.get_legend().get_texts()] == ["a", "b (same as a)"]


def test_the_summary_says_when_the_run_was_in_the_trace_s_zone(spot_result: fleetcore.SimulationResult) -> None:
    """A summary of seven months said how many steps, not which dates."""
    first = spot_result.summary().splitlines()[0]
    assert first.startswith("steps              ")
    # The fixture is the first four days of the trace (UTC) shown in New York time.
    assert first.endswith(", 2014-06-30 20:00 .. 2014-07-04 19:30 America/New_York"), first


def test_cli_output_cut_short_by_its_reader_ends_quietly() -> None:
    """`fleetcore simulate ... --actions | head` printed a BrokenPipeError traceback."""
    import subprocess

    trace = TRACES / "nyc_taxi.csv"
    if not trace.exists():
        pytest.skip("the NAB traces are not here")
    run = subprocess.Popen(
        [sys.executable, "-c", "from fleetcore.__main__ import console; console()", "simulate",
         str(ROOT / "examples" / "taxi.json"), str(trace), "--actions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert run.stdout is not None and run.stderr is not None
    assert run.stdout.readline().startswith(b"fleetcore simulate ")
    run.stdout.close()  # the reader goes away with 20,000 action lines still to come
    err = run.stderr.read().decode()
    run.stderr.close()
    assert run.wait() == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
