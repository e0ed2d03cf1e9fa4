"""``fleetcore.sweep`` (issue 20, item 2): every combination of a grid over a controller
document's fields, over several traces; local processes, and a real
``dask.distributed.LocalCluster`` with two worker processes giving the same results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fleetcore
from fleetcore._sweep import set_field

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[2]
TAXI = json.loads((ROOT / "examples" / "taxi.json").read_text(encoding="utf-8"))
TRACE = ROOT.parent / "shared" / "traces" / "nyc_taxi.csv"
GRID = {
    "groups[0].policies[0].target": [50, 70],
    "groups[0].purchase.mixed_instances.on_demand_percent": [0, 100],
}


@pytest.fixture(scope="module")
def traces() -> dict[str, fleetcore.Trace]:
    if not TRACE.exists():
        pytest.skip("the NAB traces are not here")
    whole = fleetcore.trace.load(TRACE)
    day = 48  # half-hourly points
    first = fleetcore.Trace(whole.times[: 2 * day], whole.values[: 2 * day], source="first-two-days")
    later = fleetcore.Trace(whole.times[30 * day : 32 * day], whole.values[30 * day : 32 * day], source="a-month-on")
    return {"first": first, "later": later}


def test_set_field_writes_where_the_core_s_errors_point() -> None:
    doc = json.loads(json.dumps(TAXI))
    set_field(doc, "groups[0].policies[0].target", 42)
    set_field(doc, "simulation.slo_utilisation", 80)
    set_field(doc, "groups[0].warm_pool.min_size", 1)  # a missing object is created
    assert doc["groups"][0]["policies"][0]["target"] == 42
    assert doc["simulation"]["slo_utilisation"] == 80
    assert doc["groups"][0]["warm_pool"] == {"min_size": 1}
    with pytest.raises(ValueError, match=r"no element \[3\]"):
        set_field(doc, "groups[3].min_size", 1)
    with pytest.raises(ValueError, match=r"unexpected '\.\.'"):
        set_field(doc, "groups[0]..min_size", 1)


def test_a_local_sweep_is_every_combination_as_simulate_runs_it(traces: dict[str, fleetcore.Trace]) -> None:
    s = fleetcore.sweep(TAXI, GRID, traces, processes=2, progress=False)
    assert len(s.documents) == 4 and len(s.frame) == 8
    assert set(s.frame["trace"]) == {"first", "later"}
    assert list(s.frame.columns[:4]) == ["design", "trace", *GRID]
    # Each row is what simulate gives for that document and trace.
    row = s.frame[(s.frame["trace"] == "later")].iloc[-1]
    doc = s.documents[row["design"]]
    assert doc["groups"][0]["policies"][0]["target"] == row["groups[0].policies[0].target"]
    direct = fleetcore.simulate(doc, traces["later"]).totals
    assert row["cost"] == pytest.approx(direct["cost"])
    assert row["slo_breach_minutes"] == direct["slo_breach_minutes"]
    # All On-Demand above the base buys no Spot; 0 % buys some.
    od = s.frame[s.frame["groups[0].purchase.mixed_instances.on_demand_percent"] == 100]
    spot = s.frame[s.frame["groups[0].purchase.mixed_instances.on_demand_percent"] == 0]
    assert (od["cost_spot"] == 0).all() and (spot["cost_spot"] > 0).all()
    # The front: no design of the same trace is at least as good on both and better on one.
    for _, r in s.front.iterrows():
        same = s.frame[s.frame["trace"] == r["trace"]]
        better = same[(same["cost"] <= r["cost"]) & (same["slo_breach_minutes"] <= r["slo_breach_minutes"])]
        assert ((better["cost"] == r["cost"]) & (better["slo_breach_minutes"] == r["slo_breach_minutes"])).all()
    # One process gives the same rows.
    alone = fleetcore.sweep(TAXI, GRID, traces, processes=1, progress=False)
    pd.testing.assert_frame_equal(alone.frame, s.frame)
    chosen = s.best(slo_budget_minutes=float(s.frame["slo_breach_minutes"].max()) * 2)
    fleetcore.load_config(json.dumps(chosen))


def test_a_bad_value_is_refused_before_any_run_naming_its_field(traces: dict[str, fleetcore.Trace]) -> None:
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.sweep(TAXI, {"groups[0].purchase.mixed_instances.on_demand_percent": [50, 120]}, traces)
    assert caught.value.path == "groups[0].purchase.mixed_instances.on_demand_percent"


def test_a_grid_entry_must_be_a_list_of_values(traces: dict[str, fleetcore.Trace]) -> None:
    field = "groups[0].purchase.mixed_instances.spot_strategy"
    # A bare string would otherwise be tried letter by letter, and no value gives no design.
    with pytest.raises(TypeError, match=r"must be a list of the values to try, not str"):
        fleetcore.sweep(TAXI, {field: "lowest-price"}, traces)
    with pytest.raises(TypeError, match=r"not int"):
        fleetcore.sweep(TAXI, {"groups[0].policies[0].target": 60}, traces)
    with pytest.raises(ValueError, match=r"has no values to try"):
        fleetcore.sweep(TAXI, {field: []}, traces)
    # A generator is read once, and gives as many designs as its values.
    s = fleetcore.sweep(TAXI, {"groups[0].policies[0].target": (t for t in (50, 70))}, traces, processes=1)
    assert sorted(set(s.frame["groups[0].policies[0].target"])) == [50, 70]


def test_a_dask_local_cluster_gives_the_local_results(traces: dict[str, fleetcore.Trace]) -> None:
    distributed = pytest.importorskip("dask.distributed")
    local = fleetcore.sweep(TAXI, GRID, traces, processes=1, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            remote = fleetcore.sweep(TAXI, GRID, traces, client=client, progress=False)
    pd.testing.assert_frame_equal(remote.frame, local.frame)


def test_the_pareto_plot(traces: dict[str, fleetcore.Trace], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    s = fleetcore.sweep(TAXI, GRID, traces, processes=1, progress=False)
    fig = s.plot(tmp_path / "front.png")
    assert (tmp_path / "front.png").stat().st_size > 0
    ax = fig.axes[0]
    assert ax.get_xlabel() == "SLO breached, minutes over the trace"
    assert ax.get_ylabel() == "cost over the trace (the document's prices)"
    assert ax.get_title() == "4 designs over first, later: cost against SLO breach"
    legend = ax.get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    # Coloured by the first field that varies (target), one colour per value and trace.
    assert legend.get_title().get_text() == "target"
    assert texts == ["50 (first)", "70 (first)", "Pareto front (first)", "50 (later)", "70 (later)", "Pareto front (later)"]
    from matplotlib.colors import to_hex

    by_label = {h.get_label(): h for h in legend.legend_handles}
    assert to_hex(by_label["50 (first)"].get_facecolor()[0]) != to_hex(by_label["70 (first)"].get_facecolor()[0])
    # The legend sits beside the axes, where it hides no point.
    assert legend.get_bbox_to_anchor().x0 > ax.get_window_extent().x1 - 1
    page = s._repr_html_()
    assert "<table" in page and "4 designs × 2 traces" in page


def test_the_pareto_plot_marks_the_budget_and_the_chosen_design(traces: dict[str, fleetcore.Trace]) -> None:
    pytest.importorskip("matplotlib")
    s = fleetcore.sweep(TAXI, GRID, {"first": traces["first"]}, processes=1, progress=False)
    budget = float(s.frame["slo_breach_minutes"].max())
    best = s.best_design(slo_budget_minutes=budget)
    ax = s.plot(slo_budget_minutes=budget, colour_by="groups[0].purchase.mixed_instances.on_demand_percent").axes[0]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.get_legend().get_title().get_text() == "on_demand_percent"
    assert texts == ["0", "100", "Pareto front", f"SLO budget ({budget:g} min)", f"chosen: {best}"]
    star = ax.collections[-1]
    row = s.frame[s.frame["design"] == best].iloc[0]
    assert list(star.get_offsets()[0]) == [row["slo_breach_minutes"], row["cost"]]
    with pytest.raises(ValueError, match=r"colour_by must be one of the grid's fields"):
        s.plot(colour_by="groups[0].min_size")


def test_one_trace_file_is_named_by_its_file_and_counts_are_integers(tmp_path: Path) -> None:
    if not TRACE.exists():
        pytest.skip("the NAB traces are not here")
    day = tmp_path / "taxi-day.csv"
    day.write_text("".join(TRACE.read_text().splitlines(keepends=True)[:49]))
    s = fleetcore.sweep(TAXI, {"groups[0].policies[0].target": [50, 70]}, str(day), processes=1, progress=False)
    assert set(s.frame["trace"]) == {"taxi-day.csv"}  # not "trace"
    for count in ("launches", "terminations", "interruptions", "scaling_changes"):
        assert str(s.frame[count].dtype) == "int64", count


def test_progress_without_tqdm_is_a_few_lines_in_a_log(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import builtins

    from fleetcore._sweep import _Progress

    real = builtins.__import__

    def no_tqdm(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    monkeypatch.setattr("fleetcore._sweep._terminal", lambda: False)
    bar = _Progress(300, True)
    for _ in range(300):
        bar.step()
    bar.close()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 10 and lines[-1].startswith("sweep: 300 of 300 runs")
    # On a terminal: one line rewritten in place.
    monkeypatch.setattr("fleetcore._sweep._terminal", lambda: True)
    bar = _Progress(300, True)
    for _ in range(300):
        bar.step()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.count("\r") == 300


def test_the_pareto_front_is_exactly_the_undominated_rows() -> None:
    """The O(n log n) front equals the definition (no row of the same trace at most as costly
    and at most as late and better in one), ties and several traces included."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from fleetcore._sweep import _pareto

    row = st.tuples(st.sampled_from("ab"), st.integers(0, 6), st.integers(0, 6))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(row, min_size=1, max_size=25))
    def check(rows: list[tuple[str, int, int]]) -> None:
        frame = pd.DataFrame(
            {
                "trace": [r[0] for r in rows],
                "cost": [r[1] * 1.5 for r in rows],
                "slo_breach_minutes": [r[2] for r in rows],
            }
        )
        want = [
            not any(
                t == u and c2 <= c and s2 <= s and (c2 < c or s2 < s) for u, c2, s2 in rows
            )
            for t, c, s in rows
        ]
        assert _pareto(frame) == want

    check()


def test_a_worker_s_totals_are_simulate_s_without_the_columns(traces: dict[str, fleetcore.Trace]) -> None:
    from fleetcore._sim import simulated_totals

    for trace in traces.values():
        whole = fleetcore.simulate(TAXI, trace)
        assert whole.totals["launches"] > 0
        assert dict(simulated_totals(TAXI, trace)) == dict(whole.totals)


def test_list_values_are_short_in_the_legend_and_a_trace_is_named_by_its_source(
    traces: dict[str, fleetcore.Trace],
) -> None:
    """Seen sweeping instance mixes: each legend entry was the overrides' whole JSON, wider
    than the axes, and a Trace passed alone was called "trace"."""
    pytest.importorskip("matplotlib")
    overrides = [
        [{"instance_type": "m5.large", "weight": 1}],
        [{"instance_type": "m5.large", "weight": 1}, {"instance_type": "c5.large", "weight": 2}],
    ]
    s = fleetcore.sweep(TAXI, {"groups[0].purchase.mixed_instances.overrides": overrides}, traces["first"], processes=1, progress=False)
    assert set(s.frame["trace"]) == {"first-two-days"}
    legend = s.plot().axes[0].get_legend()
    assert legend.get_title().get_text() == "overrides"
    assert [t.get_text() for t in legend.get_texts()][:2] == ["m5.large", "m5.large, c5.large:2"]
    from fleetcore._sweep import _key

    assert _key({"a": "x" * 50}) == '{"a":"' + "x" * 33 + "…"
