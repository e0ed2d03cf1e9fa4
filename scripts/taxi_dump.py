"""Dumps everything ``simulate`` of the taxi design gives, so that a change meant to keep the
results can be checked byte for byte (issue 20 item 3: "results must not change").

``examples/taxi.json`` over ``shared/traces/nyc_taxi.csv`` (beside the repository): the totals
(``repr`` of each value, by name), every per-step column (its raw little-endian bytes) and the
action log (``t kind id`` lines), plus the totals of ``simulated_totals`` (what a sweep's
worker runs). Usage, with the module built into ``.venv``::

    .venv/bin/python scripts/taxi_dump.py build/taxi-before.dump
    # ... change the core, rebuild (scripts/python-env.sh) ...
    .venv/bin/python scripts/taxi_dump.py build/taxi-after.dump
    cmp build/taxi-before.dump build/taxi-after.dump

``--cpu N`` instead of a file prints the least CPU time (``time.process_time``) of N runs of
``simulated_totals`` of the same design in this process (what a sweep's worker runs), for
before/after comparisons on a busy machine (the least is the run other work disturbed least).
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import fleetcore
from fleetcore import simulate
from fleetcore._sim import COLUMNS, simulated_totals


def main() -> int:
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[1] != "--cpu"):
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(__file__).resolve().parent.parent
    doc = (root / "examples" / "taxi.json").read_text()
    trace = fleetcore.trace.load(root.parent / "shared" / "traces" / "nyc_taxi.csv")
    if sys.argv[1] == "--cpu":
        runs = []
        for _ in range(int(sys.argv[2])):
            start = time.process_time()
            simulated_totals(doc, trace)
            runs.append(time.process_time() - start)
        print(f"{min(runs):.3f} s CPU (least of {len(runs)}: {', '.join(f'{r:.3f}' for r in runs)})")
        return 0
    r = simulate(doc, trace)
    out = bytearray()
    out += b"totals\n"
    for k in sorted(r.totals):
        out += f"{k} {r.totals[k]!r}\n".encode()
    out += b"simulated_totals\n"
    quick = simulated_totals(doc, trace)
    for k in sorted(quick):
        out += f"{k} {quick[k]!r}\n".encode()
    for name in COLUMNS:
        raw = bytes(memoryview(getattr(r, name)).cast("B"))
        out += f"column {name} {len(raw)} bytes\n".encode()
        out += raw
        out += b"\n"
    log = r.action_log()
    out += f"actions {len(r.actions)}\n".encode()
    out += log.encode()
    Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
    Path(sys.argv[1]).write_bytes(bytes(out))
    print(
        f"{sys.argv[1]}: {len(out)} bytes, sha256 {hashlib.sha256(out).hexdigest()[:16]}; "
        f"cost {r.totals['cost']:.3f}, {int(r.totals['launches'])} launches, "
        f"{r.totals['slo_breach_minutes']:.0f} SLO breach minutes, {len(r.actions)} actions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
