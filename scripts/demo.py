"""`make demo`: seven months of New York taxi demand through an Auto Scaling group.

The load is ../shared/traces/nyc_taxi.csv (NAB: passengers per half hour, July 2014 to January
2015), played minute by minute through the group of examples/taxi.json: three racks, target
tracking at 60 % utilisation, predictive scaling learning the weekly shape, and a weekday
rush-hour floor in New York time (a POSIX TZ rule, so DST is right). The same trace also runs
through target tracking alone, for comparison. Prints a summary and writes build/demo.png
(load, serving capacity and forecast; members; utilisation against the SLO).

Checks the figures before printing them: desired never leaves [min, max], and the cost equals
the billed member-hours at the price.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import fleetcore

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "taxi.json"
TRACES = Path(os.environ.get("FLEETCORE_TRACES", ROOT.parent / "shared" / "traces"))
TRACE = TRACES / "nyc_taxi.csv"
PLOT = ROOT / "build" / "demo.png"


def variants(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The designs compared: the full one and target tracking alone."""
    alone = json.loads(json.dumps(config))
    alone["policies"] = [p for p in alone["policies"] if p["type"] == "target_tracking"]
    alone.pop("scheduled", None)
    return {"target tracking alone": alone, "+ predictive + rush-hour floor": config}


def check(name: str, result: fleetcore.SimulationResult, config: dict[str, Any]) -> None:
    lo, hi = config["group"]["min_size"], config["group"]["max_size"]
    desired = list(result.desired)
    if not all(lo <= d <= hi for d in desired):
        raise SystemExit(f"demo: {name}: desired left [{lo}, {hi}]")
    price = config["simulation"]["price_per_hour"]
    billed = result.totals["member_seconds"] / 3600 * price
    # Each step's cost is rounded down to the thousandth: at most 0.001 a step apart.
    if not 0 <= billed - result.totals["cost"] <= 0.001 * len(result):
        raise SystemExit(f"demo: {name}: cost {result.totals['cost']} is not the ledger's {billed}")


def main() -> int:
    if not TRACE.is_file():
        print(f"demo: the trace {TRACE} is missing (set FLEETCORE_TRACES to its folder)", file=sys.stderr)
        return 1
    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    world = config["simulation"]
    print(f"fleetcore {fleetcore.__version__}: {TRACE.name} through {CONFIG.relative_to(ROOT)}\n")
    results = {}
    for name, cfg in variants(config).items():
        started = time.perf_counter()
        result = fleetcore.simulate(cfg, TRACE, progress=True, **world)
        took = time.perf_counter() - started
        check(name, result, cfg)
        results[name] = (result, took)
    first = next(iter(results.values()))[0]
    days = len(first) * world["step_s"] / 86_400
    print(f"\n{len(first)} one-minute steps ({days:.0f} days), member capacity {world['member_capacity']} "
          f"passengers per half hour, SLO: utilisation under {world['slo_utilisation']} %\n")
    rows = [
        ("member-hours", lambda r: f"{r.totals['capacity_hours']:,.0f}"),
        ("cost (on-demand)", lambda r: f"{r.totals['cost']:,.2f}"),
        ("SLO breached, minutes", lambda r: f"{r.totals['slo_breach_minutes']:,.0f}"),
        ("peak members", lambda r: f"{max(r.capacity)}"),
        ("launches", lambda r: f"{r.totals['launches']:,.0f}"),
        ("scaling activities", lambda r: f"{r.totals['scaling_changes']:,.0f}"),
    ]
    names = list(results)
    width = max(len(n) for n in names) + 2
    print(f"{'':24}" + "".join(f"{n:>{width}}" for n in names))
    for label, cell in rows:
        print(f"{label:24}" + "".join(f"{cell(results[n][0]):>{width}}" for n in names))
    print(f"{'run time, s':24}" + "".join(f"{results[n][1]:>{width}.2f}" for n in names))
    full = results[names[-1]][0]
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    # Two weeks around Thanksgiving (day 149 of the trace): the forecast expects a normal
    # Thursday, target tracking follows what really happens.
    full.plot(PLOT, start_day=143, days=14)
    print(f"\nplot: {PLOT.relative_to(ROOT)} (two weeks around Thanksgiving: load, serving capacity and")
    print("      forecast; members; utilisation against the SLO)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
