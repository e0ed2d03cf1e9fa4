"""`make demo`: seven months of New York taxi demand through an Auto Scaling group.

The load is ../shared/traces/nyc_taxi.csv (NAB: passengers per half hour, July 2014 to January
2015; its clock times are New York's and are read in that zone), played minute by minute through the group of examples/taxi.json (a controller document, the
format firmware reads, with its purchasing and simulation sections): three racks, target
tracking at 60 % utilisation, predictive scaling learning the weekly shape, and a weekday
rush-hour floor in New York time (a POSIX TZ rule, so DST is right). The same trace also runs
through target tracking alone, for comparison, and the full design is bought three more
ways: all On-Demand, with two reservations covering the always-running base, and with Spot
above the base (a mixed-instances policy over m5.large and c5.large in three zones,
price-capacity-optimized, Capacity Rebalancing on). Costs come from the group's own ledger.

Spot prices are held at typical discounts (no public Spot price trace ships with the
project), and each pool's chance of interruption per month is one of the Spot Instance
Advisor's bands, drawn per minute from a seeded generator: those are model inputs, the load
is real.

Prints a summary and writes build/demo.png (load, serving capacity and forecast; members by
market; utilisation against the SLO; cumulative cost by purchasing option) for the Spot design
and build/demo-compare.png (the four designs on one figure), both for two weeks around
Thanksgiving.

Checks the figures before printing them: desired never leaves [min, max]; the steps' costs add
up to the ledger and the ledger's parts to its total; On-Demand never drops below the base.

Then sweeps 24 designs around the Spot design, writes the cheapest within the SLO budget to
build/chosen.json, and replays the first day of the trace with that document on the Cortex-M4
firmware in QEMU (it reads the document and the trace at run time through semihosting), checking
that its action log equals Python's for the same day in the same world (the golden document
scenarios', golden/README.md).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import fleetcore
from fleetcore._replay import nab_rows, replay

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "taxi.json"
TRACES = Path(os.environ.get("FLEETCORE_TRACES", ROOT.parent / "shared" / "traces"))
TRACE = TRACES / "nyc_taxi.csv"
#: The zone of the trace's clock times. NAB writes them without an offset, and they are New
#: York's: demand is lowest at 05:00 and peaks at 19:00 local time. Read as UTC, every hour
#: would be 4 or 5 hours early against the document's rush-hour schedule in New York time.
TRACE_ZONE = "America/New_York"
#: The first day of the trace in UTC and NAB's layout: what the firmware and the replay read.
FIRST_DAY = ROOT / "build" / "first-day.csv"
PLOT = ROOT / "build" / "demo.png"
COMPARE = ROOT / "build" / "demo-compare.png"
SWEEP_PLOT = ROOT / "build" / "demo-sweep.png"
CHOSEN = ROOT / "build" / "chosen.json"


def _copy(config: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(config))


def variants(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The designs compared, each a controller document: scaling (target tracking alone,
    then the full design) and purchasing (all On-Demand, reserved base, Spot above the base)."""
    purchase = config["groups"][0]["purchase"]
    on_demand = _copy(config)
    on_demand["groups"][0]["purchase"] = {"on_demand": purchase["on_demand"]}
    # No Spot pools, so no interruption chances for them.
    on_demand["simulation"].pop("spot_interruptions", None)
    alone = _copy(on_demand)
    group = alone["groups"][0]
    group["policies"] = [p for p in group["policies"] if "target" in p["type"].lower()]
    group.pop("predictive", None)
    group.pop("scheduled_actions", None)
    reserved = _copy(on_demand)
    reserved["groups"][0]["purchase"]["reservations"] = purchase["reservations"]
    return {
        "target tracking alone": alone,
        "+ predictive + floor": on_demand,
        "+ reserved base": reserved,
        "+ Spot above base": config,
    }


def check(name: str, result: fleetcore.SimulationResult, config: dict[str, Any]) -> None:
    group = config["groups"][0]
    lo, hi = group["min_size"], group["max_size"]
    desired = list(result.desired)
    if not all(lo <= d <= hi for d in desired):
        raise SystemExit(f"demo: {name}: desired left [{lo}, {hi}]")
    t = result.totals
    # Each step's cost is the ledger's rounded total minus the previous one: they add up.
    steps = sum(result.cost)
    if abs(steps - t["cost"]) > 1e-6 * max(1.0, t["cost"]):
        raise SystemExit(f"demo: {name}: the steps cost {steps}, the totals say {t['cost']}")
    parts = t["cost_on_demand"] + t["cost_reserved"] + t["cost_spot"]
    if abs(parts - t["cost"]) > 0.002:
        raise SystemExit(f"demo: {name}: the ledger's parts add to {parts}, not {t['cost']}")
    base = group["purchase"].get("mixed_instances", {}).get("on_demand_base", 0)
    step_s = config["simulation"].get("step_s", 60)
    # After the first hour (launches take a boot to count), On-Demand holds min(base, desired).
    skip = 3600 // step_s
    pairs = zip(list(result.on_demand_units)[skip:], desired[skip:])
    if any(od < min(base, d) for od, d in pairs):
        raise SystemExit(f"demo: {name}: On-Demand fell below the base of {base}")


def main() -> int:
    if not TRACE.is_file():
        print(f"demo: the trace {TRACE} is missing (set FLEETCORE_TRACES to its folder)", file=sys.stderr)
        return 1
    # The controller document firmware reads, through the core's parser (defaults filled in).
    config = fleetcore.load_config(CONFIG)
    world = config["simulation"]
    print(f"fleetcore {fleetcore.__version__}: {TRACE.name} (New York time) through {CONFIG.relative_to(ROOT)}")
    trace = fleetcore.trace.load(TRACE, tz=TRACE_ZONE)
    results = {}
    for name, cfg in variants(config).items():
        started = time.perf_counter()
        result = fleetcore.simulate(cfg, trace)
        took = time.perf_counter() - started
        check(name, result, cfg)
        results[name] = (result, took)
    first = next(iter(results.values()))[0]
    days = len(first) * world["step_s"] / 86_400
    print(f"\n{len(first)} one-minute steps ({days:.0f} days), member capacity {world['member_capacity']:g} "
          f"passengers per half hour, SLO: utilisation under {world['slo_utilisation']:g} %\n")
    def share(r: fleetcore.SimulationResult, key: str) -> str:
        value = r.totals.get(key)
        return "-" if value is None else f"{100 * value:.0f} %"

    rows = [
        ("member-hours", lambda r: f"{r.totals['capacity_hours']:,.0f}"),
        ("cost", lambda r: f"{r.totals['cost']:,.2f}"),
        ("  on-demand", lambda r: f"{r.totals['cost_on_demand']:,.2f}"),
        ("  reserved", lambda r: f"{r.totals['cost_reserved']:,.2f}"),
        ("  spot", lambda r: f"{r.totals['cost_spot']:,.2f}"),
        ("RI coverage", lambda r: share(r, "reservation_coverage")),
        ("RI utilisation", lambda r: share(r, "reservation_utilisation")),
        ("SLO breached, minutes", lambda r: f"{r.totals['slo_breach_minutes']:,.0f}"),
        ("Spot interruptions", lambda r: f"{r.totals['interruptions']:,.0f}"),
        ("peak members", lambda r: f"{max(r.capacity)}"),
        ("launches", lambda r: f"{r.totals['launches']:,.0f}"),
        ("scaling activities", lambda r: f"{r.totals['scaling_changes']:,.0f}"),
    ]
    names = list(results)
    width = max(len(n) for n in names) + 2
    print("Scaling designs (first two columns) and ways to buy the full design (last three):\n")
    print(f"{'':24}" + "".join(f"{n:>{width}}" for n in names))
    for label, cell in rows:
        print(f"{label:24}" + "".join(f"{cell(results[n][0]):>{width}}" for n in names))
    print(f"{'run time, s':24}" + "".join(f"{results[n][1]:>{width}.2f}" for n in names))
    full = results[names[-1]][0]
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    # Two weeks around Thanksgiving (day 149 of the trace): the forecast expects a normal
    # Thursday, target tracking follows what really happens.
    full.plot(PLOT, start="2014-11-21", days=14, title="The Spot design, two weeks around Thanksgiving 2014")
    fleetcore.plot.compare(
        {name: r for name, (r, _) in results.items()},
        COMPARE,
        start="2014-11-21",
        days=14,
        title="Four designs, two weeks around Thanksgiving 2014",
    )
    print(f"\nplots: {PLOT.relative_to(ROOT)} (the Spot design: load, serving capacity and forecast; members by")
    print("       market and interruptions; utilisation against the SLO; cumulative cost by purchasing option)")
    print(f"       {COMPARE.relative_to(ROOT)} (the four designs: serving capacity, members, cumulative cost)")
    choose(config, trace, results[names[-1]][0])
    return on_the_board(trace)


#: The designs the sweep tries around the Spot design: target utilisation, the On-Demand share
#: above the base, and the Spot allocation strategy.
GRID: dict[str, list[Any]] = {
    "groups[0].policies[0].target": [50, 60, 70],
    "groups[0].purchase.mixed_instances.on_demand_percent": [0, 20, 50, 100],
    "groups[0].purchase.mixed_instances.spot_strategy": ["price-capacity-optimized", "lowest-price"],
}
#: The rule that picks one: the cheapest design whose SLO is breached for at most this many
#: minutes over the seven months (0.1 % of them).
SLO_BUDGET_MINUTES = 300.0


def choose(config: dict[str, Any], trace: fleetcore.Trace, hand_picked: fleetcore.SimulationResult) -> None:
    """Sweeps GRID over the whole trace, plots cost against SLO breach with the Pareto front,
    and writes the cheapest design within the SLO budget as a controller document; says how it
    compares with the hand-picked Spot design and why the next cheaper design was not chosen."""
    sweep = fleetcore.sweep(config, GRID, {"nyc_taxi": trace}, progress=False)
    sweep.plot(SWEEP_PLOT, slo_budget_minutes=SLO_BUDGET_MINUTES)
    best = sweep.best_design(slo_budget_minutes=SLO_BUDGET_MINUTES)
    chosen = sweep.documents[best]
    CHOSEN.write_text(json.dumps(chosen, indent=2) + "\n", encoding="utf-8")
    fleetcore.load_config(CHOSEN)  # what the firmware will read: the core's own check
    frame = sweep.frame
    row = frame[frame["design"] == best].iloc[0]
    fields = ", ".join(f"{f.rsplit('.', 1)[-1]} {row[f]}" for f in GRID)
    within = int((frame["slo_breach_minutes"] <= SLO_BUDGET_MINUTES).sum())
    cheaper = sweep.front[sweep.front["cost"] < row["cost"]]
    saved = 1 - row["cost"] / hand_picked.totals["cost"]
    print(
        f"\nsweep: {len(sweep.documents)} designs in {sweep.seconds:.1f} s "
        f"({len(sweep.documents) / max(sweep.seconds, 1e-9):.1f} designs/s), {len(sweep.front)} on the Pareto front "
        f"({SWEEP_PLOT.relative_to(ROOT)})"
    )
    print(f"chosen: {best} ({fields}) -> {CHOSEN.relative_to(ROOT)}")
    print(f"        the cheapest of the {within} designs within the SLO budget ({SLO_BUDGET_MINUTES:.0f} breach minutes):")
    print(
        f"        cost {row['cost']:,.2f} and {row['slo_breach_minutes']:,.0f} SLO minutes, "
        f"{100 * abs(saved):.0f} % {'less' if saved >= 0 else 'more'} than the hand-picked Spot design"
    )
    print(
        f"        ({hand_picked.totals['cost']:,.2f} and {hand_picked.totals['slo_breach_minutes']:,.0f} min)"
        + (f"; the cheaper designs on the front breach {cheaper['slo_breach_minutes'].min():,.0f} min or more" if len(cheaper) else "")
    )


#: The day replayed on the board: the trace's first 48 half hours.
BOARD_ROWS = 48


def on_the_board(trace: fleetcore.Trace) -> int:
    """Replays the first day of the trace with build/chosen.json on the Cortex-M4 firmware in
    QEMU (``golden_doc``, built by scripts/demo.sh; it reads the document and the trace at run
    time through semihosting) and in Python (``fleetcore._replay``: the world of the golden
    document scenarios), and checks that both logs are the same, line for line. Both read the
    day as build/first-day.csv: the trace's first rows at the same instants as the sweep's, in
    UTC and NAB's layout, which the firmware parses."""
    started = time.perf_counter()
    lines = ["timestamp,value"]
    for t, v in list(trace)[:BOARD_ROWS]:
        stamp = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{stamp},{v:.0f}")
    FIRST_DAY.write_text("\n".join(lines) + "\n", encoding="utf-8")
    python_log = replay(CHOSEN, nab_rows(FIRST_DAY, BOARD_ROWS))
    run = subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "firmware.sh"),
            "doc-run",
            str(CHOSEN.relative_to(ROOT)),
            str(FIRST_DAY.relative_to(ROOT)),
            str(BOARD_ROWS),
            "chosen",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    prefix = "golden chosen: "
    board_log = [line[len(prefix) :] for line in run.stdout.splitlines() if line.startswith(prefix)]
    took = time.perf_counter() - started
    if run.returncode != 0:
        print(f"demo: the firmware failed (exit status {run.returncode}):", file=sys.stderr)
        print(run.stdout[-2000:] + run.stderr[-2000:], file=sys.stderr)
        return 1
    if board_log != python_log:
        at = next((i for i, (a, b) in enumerate(zip(board_log, python_log)) if a != b), min(len(board_log), len(python_log)))
        theirs = python_log[at] if at < len(python_log) else None
        ours = board_log[at] if at < len(board_log) else None
        print(
            f"demo: the firmware's log differs from Python's at line {at + 1} "
            f"(firmware {len(board_log)} lines, Python {len(python_log)}): firmware {ours!r}, Python {theirs!r}",
            file=sys.stderr,
        )
        return 1
    actions = sum(1 for line in board_log if " load=" not in line)
    print(
        f"\nfirmware (Cortex-M4, QEMU): first day of {CHOSEN.name}, {actions} actions, "
        f"identical to Python ({took:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
