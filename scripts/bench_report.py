"""Writes BENCHMARKS.md from what scripts/bench.sh collected in build/bench/.

Standard library only. Reads criterion's estimates (median of the samples) from
``criterion/<group>/<case>/new/estimates.json``, the firmware's counts and sizes, the Python
timings, and describes the machine (``lscpu``, ``nproc``, ``rustc -V``, load average).

``--before REV``: the figures of the BENCHMARKS.md committed at REV (``git show REV:BENCHMARKS.md``,
parsed back from its tables and lines) are quoted beside this run's as "before (REV)". A figure
the old report did not have is shown as "—", never estimated.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

SIZES_N = (8, 64, 1024, 4096)
# Under -icount shift=0 one instruction is 1 ns of virtual time; SysTick runs on the 25 MHz
# core clock of mps2-an386: one tick is 40 ns, so 40 instructions.
INSNS_PER_TICK = 40


def run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "unavailable"


def criterion(dir: Path, case: str) -> dict[str, Any] | None:
    est = dir / "criterion" / case / "new" / "estimates.json"
    sample = dir / "criterion" / case / "new" / "sample.json"
    if not est.exists():
        return None
    e = json.loads(est.read_text())
    s = json.loads(sample.read_text()) if sample.exists() else {"iters": []}
    ci = e["median"]["confidence_interval"]
    return {
        "median": e["median"]["point_estimate"],
        "lo": ci["lower_bound"],
        "hi": ci["upper_bound"],
        "samples": len(s.get("iters", [])),
        "iters": int(sum(s.get("iters", []))),
    }


def ns(v: float) -> str:
    if v >= 1e6:
        return f"{v / 1e6:,.2f} ms"
    if v >= 1e3:
        return f"{v / 1e3:,.2f} µs"
    return f"{v:,.1f} ns"


def parse_ns(text: str) -> float | None:
    """'29.9 ns', '2.06 µs', '1.20 ms' -> nanoseconds."""
    m = re.match(r"\s*([\d,.]+) (ns|µs|ms)\s*$", text)
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * {"ns": 1, "µs": 1e3, "ms": 1e6}[m.group(2)]


def parse_int(text: str) -> int | None:
    m = re.match(r"\s*([\d,]+)", text)
    return int(m.group(1).replace(",", "")) if m else None


def md_tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table of `text` as a list of rows keyed by the header cells."""
    tables: list[list[dict[str, str]]] = []
    block: list[list[str]] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if len(block) >= 2:
            head = block[0]
            tables.append([dict(zip(head, row)) for row in block[2:]])
        block = []
    return tables


def before_figures(rev: str) -> dict[str, Any]:
    """The figures of BENCHMARKS.md at `rev`, or {} when git cannot show it."""
    try:
        r = subprocess.run(["git", "show", f"{rev}:BENCHMARKS.md"], capture_output=True,
                           text=True, check=False)
    except OSError:
        return {}
    if r.returncode != 0:
        return {}
    text = r.stdout
    b: dict[str, Any] = {"rev": rev, "curve": {}, "ops": {}, "firmware": {}, "sizes": {},
                         "m4": {}}
    for table in md_tables(text):
        for row in table:
            case = row.get("case", "").strip("`")
            if case and row.get("N") and "median" in row:
                b["curve"][(case, int(row["N"]))] = {
                    "median": parse_ns(row["median"]),
                    "m4": parse_int(row.get("Cortex-M4 instructions", "")),
                    "cg": parse_int(row.get("x86-64 instructions (callgrind)", "")),
                }
            op = row.get("operation", "").strip("`")
            if op and "median" in row:
                b["ops"][op] = {"median": parse_ns(row["median"]),
                                "m4": parse_int(row.get("Cortex-M4 instructions", ""))}
            binary = row.get("binary", "").strip("`")
            if binary and "flash (text + data)" in row:
                b["firmware"][binary] = {
                    "flash": parse_int(row["flash (text + data)"]),
                    "ram": parse_int(row.get("static RAM (data + bss)", "")),
                    "stack": parse_int(row.get("stack high-water", "")),
                }
            # This script's own size table (a later report used as "before").
            ty = row.get("type", "").strip("`")
            if ty and "x86-64" in row:
                b["sizes"][ty.replace(" ", "")] = parse_int(row["x86-64"])
    # The prose of the reports before the size table.
    for line in text.splitlines():
        if line.startswith("- Host (x86-64): `size_of::<Group<N>>()`"):
            for n, v in re.findall(r"Group<(\d+)> ([\d,]+) B", line):
                b["sizes"].setdefault(f"Group<{n}>", int(v.replace(",", "")))
            m = re.search(r"`Member` is ([\d,]+) B", line)
            if m:
                b["sizes"].setdefault("Member", int(m.group(1).replace(",", "")))
        if line.startswith("- Cortex-M4 (32-bit):"):
            for n, v in re.findall(r"Group<(\d+)> ([\d,]+) B", line):
                b["m4"][f"Group<{n}>"] = int(v.replace(",", ""))
    m = re.search(r"on (\d{4}-\d\d-\d\d \d\d:\d\d UTC) in (\d+ min \d+ s)", text)
    if m:
        b["date"], b["duration"] = m.groups()
    m = re.search(r"Load average \(1, 5, 15 min\) at the start: ([\d., ]+); at the end: ([\d., ]+)\.",
                  text)
    if m:
        b["load"] = (m.group(1).strip(), m.group(2).strip())
    m = re.search(r"^- CPU: (.*?); `nproc` = (\d+)", text, re.M)
    if m:
        b["cpu"], b["nproc"] = m.groups()
    m = re.search(r"\*\*([\d,]+) steps per second\*\*", text)
    if m:
        b["steps_per_s"] = parse_int(m.group(1))
    m = re.search(r"median of \d+ runs ([\d.,]+) ms \(([\d.,]+) µs per pair\)", text)
    if m:
        b["ops_us_per_pair"] = float(m.group(2).replace(",", ""))
    return b


def ratio(now: float | None, before: float | None) -> str:
    if not now or not before:
        return "—"
    return f"{now / before:.2f} ×"


def num(v: float | None, unit: str = "") -> str:
    return "—" if v is None else f"{v:,.0f}{unit}"


def fit_power(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares of log t = log a + b log N; returns (b, a)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return b, math.exp(my - b * mx)


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares of t = c0 + c1 N; returns (c1, c0)."""
    xs = [n for n, _ in points]
    ys = [t for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    c1 = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return c1, my - c1 * mx


def kb(v: int | None) -> str:
    if v is None:
        return "?"
    return f"{v / 1e6:.1f} MB" if v >= 1e6 else f"{v / 1e3:,.0f} KB"


def verdict(b: float, tail: float, insns_tail: float | None = None, l2: str = "",
            g1024: int | None = None, g4096: int | None = None,
            m4_flat: bool | None = None, l2_bytes: float | None = None) -> str:
    """From the exponent over the whole range and the one between the two largest N (where
    the fixed part of the cost no longer hides the per-member part); `insns_tail` is the
    instruction-count exponent over the same two N, when counted; `g1024`, `g4096` the
    groups' sizes; `m4_flat` whether the M4 instruction count stays level from 64 to 1024."""
    if insns_tail is not None and tail > 1.05 and insns_tail <= 1.06:
        if l2_bytes and g4096 and g1024 and g1024 <= l2_bytes < g4096:
            return (f"linear in instructions (b = {insns_tail:.2f} from 1024 to 4096); the time "
                    f"grows faster there: a group of 4096 ({kb(g4096)}) no longer fits this "
                    f"CPU's L2 cache{l2} while one of 1024 ({kb(g1024)}) does: memory, not work")
        return (f"linear in instructions (b = {insns_tail:.2f} from 1024 to 4096); the time "
                f"grows a little faster, not from work: groups of 1024 ({kb(g1024)}) and 4096 "
                f"({kb(g4096)}) against this CPU's L2 cache{l2}, other caches and the shared "
                "machine's noise")
    if b <= 0.3:
        if m4_flat:
            return ("flat: no work per member (its instruction count on the M4 does not change "
                    "with N; any rise at the largest N is memory access)")
        return "nearly flat over this range (see the instruction counts for the work per member)"
    if tail <= 1.05:
        return "linear or better"
    if tail <= 1.2:
        return (f"linear within the noise of this run (the largest group, {kb(g4096)}, "
                "is beyond the CPU's L2 cache)")
    return "worse than linear"


def tail_exponent(points: list[tuple[float, float]]) -> float:
    (n1, t1), (n2, t2) = points[-2], points[-1]
    return math.log(t2 / t1) / math.log(n2 / n1)


def firmware_counts(text: str) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    counts: dict[str, tuple[int, int]] = {}
    info: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"count (\S+) reps=(\d+) ticks=(\d+)", line)
        if m:
            counts[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        m = re.match(r"calibrate nops=(\d+) ticks=(\d+) loop=(\d+)", line)
        if m:
            info["calibrate"] = line
            info["cal_nops"], info["cal_ticks"], info["cal_loop"] = m.groups()
        m = re.match(r"info: stack high-water (\d+) of (\d+) bytes", line)
        if m:
            info["stack"] = m.group(1)
        m = re.match(r"info: size_of Group<8> (\d+) Group<64> (\d+)", line)
        if m:
            info["g8"], info["g64"] = m.groups()
    return counts, info


def stack_of(path: Path) -> str:
    if not path.exists():
        return "not run"
    m = re.search(r"info: stack high-water (\d+) of (\d+) bytes", path.read_text())
    return f"{int(m.group(1)):,} B of {int(m.group(2)):,} B" if m else "not printed"


M0_SUMMARY = (r"^group_m0 on (\S+): flash (\d+) B, static RAM (\d+) B, stack high-water (\d+) B, "
              r"checks passed (\d+), failed (\d+)$")
M0_BUDGET_RAM = 8192
M0_BUDGET_FLASH = 49152


def m0_section(w: Any, d: Path, rev: str) -> None:
    """group_m0 on the micro:bit, from `scripts/firmware.sh m0`'s output (scripts/bench.sh 2b)."""
    w("## `group_m0` on the Cortex-M0 micro:bit (16 KB of RAM)")
    w("")
    path = d / "firmware-group_m0.txt"
    if not path.exists():
        w("Not run.")
        w("")
        return
    text = path.read_text()
    status = (d / "firmware-group_m0.status").read_text().strip() \
        if (d / "firmware-group_m0.status").exists() else "?"
    m = re.search(M0_SUMMARY, text, re.M)
    per = re.search(r"most stack in one call: decide (\d+) B, drain (\d+) B, observe (\d+) B", text)
    size = re.search(r"group_m0: flash (\d+) B \(text (\d+) \+ data (\d+)\), static RAM (\d+) B", text)
    route = re.search(r"toolchain route (\S+) \(([^,]+)", text)
    w("`bash scripts/firmware.sh m0` (stage `m0`, `core/firmware/src/bin/group_m0.rs`): "
      "`Group<8, Lean<8, 0, 1, 1, 0>>` with one target-tracking policy (50 % CPU) built in "
      "place in a `static`, driven through a day of one-minute decide/drain rounds whose load "
      "is a real CPU trace, on `qemu-system-arm -cpu cortex-m0 -machine microbit` "
      "(nRF51822: 256 KiB flash, 16 KiB RAM), `thumbv6m-none-eabi`, `opt-level = \"s\"`, LTO"
      + (f"; toolchain route {route.group(1)}, {route.group(2)}" if route else "") + ". "
      f"Exit status of the stage: {status}.")
    w("")
    if not m:
        w("No summary line: the binary did not build or run. The stage's last lines:")
        w("")
        w("```")
        for line in text.splitlines()[-15:]:
            w(line)
        w("```")
        w("")
        return
    board, flash, ram, stack, passed, failed = m.groups()
    flash, ram, stack = int(flash), int(ram), int(stack)
    none = f"— (no `group_m0` at {rev})"
    w(f"| figure | now | before ({rev}) |")
    w("|---|---:|---:|")
    agree = ""
    if size:
        same = int(size.group(1)) == flash and int(size.group(4)) == ram
        agree = " (agrees with `arm-none-eabi-size`)" if same else \
            f" (`arm-none-eabi-size`: flash {int(size.group(1)):,} B, static RAM {int(size.group(4)):,} B)"
    w(f"| flash (vector table to the end of `.data`'s image) | {flash:,} B{agree} | {none} |")
    w(f"| static RAM (`.data` + `.bss`: the group and little else) | {ram:,} B | {none} |")
    w(f"| stack high-water (`paint-stack` scan at the end) | {stack:,} B | {none} |")
    total = ram + stack
    verdict = "within" if total <= M0_BUDGET_RAM and flash <= M0_BUDGET_FLASH else "over"
    w(f"| static RAM + stack (budget {M0_BUDGET_RAM:,} B, half the RAM; flash budget "
      f"{M0_BUDGET_FLASH:,} B) | {total:,} B: {verdict} budget | {none} |")
    if per:
        dec, dra, obs = (int(x) for x in per.groups())
        floor = lambda v: f"≤ {v:,} B (the measurement's floor)" if v == 256 else f"{v:,} B"
        w(f"| most stack one call of `decide` took | {floor(dec)} | {none} |")
        w(f"| most stack one call of `drain` took (4 actions at a time) | {floor(dra)} | {none} |")
        w(f"| most stack one call of `observe` took | {floor(obs)} | {none} |")
    w(f"| checks (in the firmware) | {int(passed):,} passed, {int(failed)} failed | {none} |")
    w("")
    w("Per-call stack is `stack::measure` (`core/firmware/src/stack.rs`): it paints the stack "
      "below the caller's stack pointer, less a 256 B margin for its own frame, runs the call "
      "and scans; a call that stays within the margin reads exactly 256 B, so 256 B means "
      "\"at most 256 B\". Each repaint also wipes the marks of earlier, deeper calls, so the "
      "high-water figure (scanned once at the end) is the deepest point since the last measured "
      "call, not necessarily of the whole day: the deepest is at most the caller's depth plus "
      "the largest per-call figure.")
    w("")
    w(f"There is no measured before: at {rev} a group could not leave out parts, and "
      "`group_m0` did not exist. For scale (not measured by this script): "
      "core/firmware/README.md records that at 1ded44e the same binary with every part "
      "(`Group<8, AllParts<8, 0>>`, what a6c4d1d's `Group<8, 8, 0>` stored) did not link for "
      "the micro:bit (`.bss` over the 16 KiB of RAM by 16,472 B: the group alone was 32,856 B), "
      "and ran on the LM3S6965's 64 KiB with flash 78,336 B, static RAM 32,856 B and stack "
      "high-water 2,860 B.")
    w("")


def summary(w: Any, before: dict[str, Any], rev: str, sizes: dict[str, str],
            cases: dict[str, Any], callgrind: dict[tuple[str, int], int], insns_value: Any,
            d: Path, other_cpu: bool) -> None:
    """The key figures, now against before."""
    g = {k: int(v) for k, v in sizes.items()}
    bs = before.get("sizes", {})
    bc = before.get("curve", {})
    lean8 = g.get("Group<8,Lean<8,0,1,1,0>>")

    def was(v: int | None) -> str:
        return f"before ({rev}): {v:,} B" if v is not None else f"before ({rev}): —"

    w("")
    w("## Summary: now against before")
    w("")
    w(f"- `size_of::<Member>()`: **{num(g.get('Member'), ' B')}** ({was(bs.get('Member'))}).")
    w(f"- `Group<8>` (`Full`): {num(g.get('Group<8>'), ' B')} ({was(bs.get('Group<8>'))}); "
      f"`Group<8, Lean<8, 0, 1, 1, 0>>`, the group of 8 with target tracking: "
      f"**{num(lean8, ' B')}** (before: no lean group; the group of 8 stored every part, "
      f"{num(bs.get('Group<8>'), ' B')}). `Group<4096>` (`Full`): {num(g.get('Group<4096>'), ' B')} "
      f"({was(bs.get('Group<4096>'))}): a `Full` group keeps the per-member parts beside its "
      "members, so it shrank far less than `Member` did.")
    text = (d / "firmware-group_m0.txt").read_text() if (d / "firmware-group_m0.txt").exists() else ""
    m = re.search(M0_SUMMARY, text, re.M)
    per = re.search(r"most stack in one call: decide (\d+) B, drain (\d+) B, observe (\d+) B", text)
    if m:
        _, flash, ram, stack, passed, failed = m.groups()
        w(f"- `group_m0` on the micro:bit: flash {int(flash):,} B, static RAM {int(ram):,} B, "
          f"stack high-water {int(stack):,} B (static RAM + stack {int(ram) + int(stack):,} B of "
          f"the {M0_BUDGET_RAM:,} B budget)"
          + (f"; most stack in one call: decide {int(per.group(1)):,} B, drain "
             f"{'≤ ' if per.group(2) == '256' else ''}{int(per.group(2)):,} B, observe "
             f"{int(per.group(3)):,} B" if per else "")
          + f"; {int(passed):,} checks passed, {failed} failed. New: no before.")
    else:
        w("- `group_m0` on the micro:bit: no summary line (see its section).")
    for kind, n in (("tick/busy", 1024), ("tick/busy", 4096), ("tick/quiet", 1024),
                    ("tick/quiet", 4096), ("sim/step", 1024), ("sim/step", 4096)):
        b = bc.get((kind, n), {})
        cg, m4 = callgrind.get((kind, n)), insns_value(f"{kind}/{n}")
        parts = []
        if cg is not None:
            parts.append(f"x86-64 instructions {cg:,}"
                         + (f" (before {b['cg']:,}: {cg / b['cg']:.2f} ×)" if b.get("cg") else
                            " (before: not counted)"))
        if m4 is not None:
            parts.append(f"Cortex-M4 instructions {m4:,.0f}"
                         + (f" (before {b['m4']:,}: {m4 / b['m4']:.2f} ×)" if b.get("m4") else ""))
        c = cases.get(f"{kind}/{n}")
        if c:
            parts.append(f"host median {ns(c['median'])}"
                         + (f" (before {ns(b['median'])}{', another CPU' if other_cpu else ''})"
                            if b.get("median") else ""))
        w(f"- `{kind}/{n}`: " + "; ".join(parts) + ".")
    w("")
    w("Instruction counts and sizes are exact and compare directly"
      + ("; host times do not: the before run had another CPU (see above)."
         if other_cpu else "; host times carry both runs' noise."))
    w("")
    w("Why a busy tick now counts more instructions: `decide` passes over the members until a "
      "pass changes nothing, so that nothing is left due at `now` and `next_deadline` is exact "
      "(a refresh stepping on what the same pass terminated, say). A tick that launches or "
      "terminates makes progress in its first pass and confirms in a second. Before, the "
      "surfaces that ticked until nothing came back (Python, the simulator, the golden "
      "scenarios) paid that second pass as a second tick; the simulator's step, which did, "
      "is within a few per cent of before. Quiet ticks, the common case, do one check and no "
      "pass.")


def taxi_and_sweep_lines(py: dict) -> list[str]:
    """The Markdown lines of issue 20's figures in ``python.json``: ``simulate`` of the taxi
    design and the sweep's designs per second (none when they were not measured)."""
    lines: list[str] = []
    taxi = py.get("simulate_taxi")
    if taxi:
        t_med = statistics.median(taxi["seconds"])
        c_med = statistics.median(taxi["cpu_seconds"])
        lines.append(f"- `fleetcore.simulate` of `examples/taxi.json` over `nyc_taxi.csv` ({taxi['steps']:,} "
          f"one-minute steps, the trace loaded beforehand; issue 20 asks for at most 0.1 s): "
          f"median of {len(taxi['seconds'])} runs **{t_med:.3f} s** wall "
          f"(runs: {', '.join(f'{s:.3f}' for s in taxi['seconds'])}), {c_med:.3f} s CPU; "
          f"{taxi['steps'] / t_med:,.0f} steps per second. Its totals: cost {taxi['cost']:,.3f}, "
          f"{taxi['launches']:,} launches, {taxi['slo_breach_minutes']:,.0f} SLO breach minutes.")
    sw = py.get("sweep")
    if sw:
        n = sw["designs"]
        line = (f"- `fleetcore.sweep` of {n} taxi designs (target 50/60/70 %, On-Demand above the "
                f"base 0/20/50/100 %, two Spot strategies) over the whole taxi trace: local "
                f"processes ({sw['local_processes']}) {sw['local_seconds']:.1f} s, "
                f"**{n / sw['local_seconds']:.1f} designs per second**")
        if "dask_seconds" in sw:
            line += (f"; a `dask.distributed.LocalCluster` of two worker processes (its start-up "
                     f"not counted) {sw['dask_seconds']:.1f} s, **{n / sw['dask_seconds']:.1f} "
                     f"designs per second**, its rows "
                     f"{'equal to' if sw.get('dask_equals_local') else 'NOT equal to'} the local "
                     f"run's. At that rate 1,000 designs take about "
                     f"{1000 / (n / sw['dask_seconds']) / 60:.1f} min.")
        else:
            line += f"; dask not available: {sw.get('dask_error')}."
        lines.append(line)
    elif py.get("sweep_error"):
        lines.append(f"- `fleetcore.sweep` not measured: {py['sweep_error']}")
    a, b = py.get("taxi_sweep_load_before"), py.get("taxi_sweep_load_after")
    if lines and a and b:
        lines.append(f"  - load average (1, 5, 15 min) before these two: "
                     f"{', '.join(f'{x:.2f}' for x in a)}; after: {', '.join(f'{x:.2f}' for x in b)} "
                     f"on {py.get('nproc', '?')} CPUs: wall times above the CPU time are other "
                     f"work's share of the machine.")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir")
    ap.add_argument("--out")
    ap.add_argument("--taxi-sweep", metavar="PYTHON_JSON",
                    help="only print the taxi simulate and sweep lines of this python.json "
                         "(from `bench_python.py --only taxi-sweep`)")
    ap.add_argument("--before", default="a6c4d1d",
                    help="the commit whose BENCHMARKS.md gives the 'before' figures")
    args = ap.parse_args()
    if args.taxi_sweep:
        print("\n".join(taxi_and_sweep_lines(json.loads(Path(args.taxi_sweep).read_text()))))
        return
    if not args.dir or not args.out:
        ap.error("--dir and --out are required (or --taxi-sweep)")
    before = before_figures(args.before)
    rev = args.before
    d = Path(args.dir)
    L: list[str] = []
    w = L.append

    lscpu = run(["lscpu"])
    model = next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")), "?")
    # "L2 cache: 1 MiB (2 instances)" -> " (512 KiB per core)"
    l2_line = next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("L2 cache")), "")
    m = re.match(r"([\d.]+) (KiB|MiB) \((\d+) instances?\)", l2_line)
    l2_per_core = ""
    l2_bytes = None
    if m:
        kib = float(m.group(1)) * (1024 if m.group(2) == "MiB" else 1) / int(m.group(3))
        l2_per_core = f" ({kib:,.0f} KiB per core)"
        l2_bytes = kib * 1024
    load_start = (d / "load-start.txt").read_text().split()[:3]
    load_end = (d / "load-end.txt").read_text().split()[:3]
    seconds = (d / "seconds.txt").read_text().strip()
    log = (d / "criterion.log").read_text()
    sizes = dict(re.findall(r"^fleetcore-size (\S+) (\d+)$", log, re.M))
    py = json.loads((d / "python.json").read_text())
    cases = {c: criterion(d, c) for c in
             [f"tick/{k}/{n}" for k in ("quiet", "busy") for n in SIZES_N]
             + [f"sim/step/{n}" for n in SIZES_N]
             + ["scaling/alarm", "scaling/step", "scaling/target", "scaling/hpa",
                "imds/get", "network/sg_evaluate"]}
    samples = sorted({c["samples"] for c in cases.values() if c})
    fw_text = (d / "firmware-bench.txt").read_text()
    counts, info = firmware_counts(fw_text)
    # (case, N) -> x86-64 instructions per operation (callgrind, scripts/bench.sh step 1b).
    cg_path = d / "callgrind.txt"
    callgrind = {(k, int(n)): int(v) for k, n, v in (l.split() for l in cg_path.read_text().splitlines() if l.strip())} \
        if cg_path.exists() else {}
    overhead = counts.get("overhead", (1, 0))
    per_rep_overhead = overhead[1] * INSNS_PER_TICK / overhead[0]

    def insns_value(name: str) -> float | None:
        if name not in counts:
            return None
        reps, ticks = counts[name]
        v = ticks * INSNS_PER_TICK / reps
        # `count` times the loop as a whole: take the empty loop's instructions off.
        if not name.startswith("tick/busy"):
            v -= per_rep_overhead
        return v

    def insns(name: str) -> str:
        v = insns_value(name)
        return "—" if v is None else f"{v:,.0f}"

    # Host-time ratio now / before of the operations whose M4 instruction count is unchanged:
    # the same code, so the ratio is the machines' (and their loads'), not the code's.
    same_code = []
    for name, bo in before.get("ops", {}).items():
        c, v = cases.get(name), insns_value(name)
        if c and bo.get("median") and bo.get("m4") and v is not None and round(v) == bo["m4"]:
            same_code.append((name, c["median"] / bo["median"]))
    machine_ratio = statistics.median(r for _, r in same_code) if same_code else None
    machine_ratio_text = (
        f"median now / before {machine_ratio:.2f} × over "
        + ", ".join(f"`{n}` {r:.2f} ×" for n, r in same_code)
        if same_code else "none to compare")

    w("# fleetcore benchmarks")
    w("")
    w(f"Generated by `make bench` (scripts/bench.sh, then scripts/bench_report.py) on "
      f"{(d / 'date.txt').read_text().strip()} in {int(seconds) // 60} min {int(seconds) % 60} s. "
      "Regenerate with `make bench`; nothing here is asserted by any test.")
    w("")
    head = (d / "git-head.txt").read_text().strip() if (d / "git-head.txt").exists() else "unknown"
    dirty = [l[3:] for l in (d / "git-status.txt").read_text().splitlines() if l.strip()] \
        if (d / "git-status.txt").exists() else []
    # Build output (CARGO_TARGET_DIR inside the tree, build/) is not a change to the code.
    dirty = [f for f in dirty if not f.startswith(("target", "build/"))]
    by_dir: dict[str, int] = {}
    for f in dirty:
        parts = f.split("/")
        top = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
        by_dir[top] = by_dir.get(top, 0) + 1
    tree = f"commit {head}" + (
        f" plus uncommitted changes to {len(dirty)} files when the run started "
        f"(`git status --porcelain`: {', '.join(f'{k} {v}' for k, v in sorted(by_dir.items(), key=lambda kv: -kv[1]))})"
        if dirty else ", no uncommitted changes")
    w(f"Measured: the tree at {tree}.")
    if (d / "git-head-end.txt").exists():
        head_end = (d / "git-head-end.txt").read_text().strip()
        # Uncommitted contents are not compared (only names), so a change inside a file that
        # was already modified goes unseen; a commit or a new modified file does not.
        status_end = sorted(l[3:] for l in (d / "git-status-end.txt").read_text().splitlines()
                            if l.strip() and not l[3:].startswith(("target", "build/")))
        def code(files: list[str]) -> list[str]:  # BENCHMARKS.md is this script's own output
            return sorted(f for f in files if f != "BENCHMARKS.md")

        if head_end != head or code(status_end) != code(dirty):
            w("")
            w(f"**The tree changed while this ran** (at the end: commit {head_end}, "
              f"{len(status_end)} modified files): the stages (criterion first, then callgrind, "
              "the firmware and Python) may have built different states of the code.")
    n_commits = run(["git", "rev-list", "--count", f"{rev}..{head}"])
    n_commits = n_commits if n_commits.isdigit() else ""
    if before:
        w("")
        w(f"**Before (a baseline)**: the figures quoted as \"before ({rev})\" are those of the "
          f"BENCHMARKS.md committed at {rev} (`git show {rev}:BENCHMARKS.md`), generated on "
          f"{before.get('date', '?')} in {before.get('duration', '?')} on {before.get('cpu', '?')} "
          f"(`nproc` = {before.get('nproc', '?')}), load average "
          f"{before.get('load', ('?', '?'))[0]} at its start and "
          f"{before.get('load', ('?', '?'))[1]} at its end. Between them, the core changed: "
          "`Group<N, P: Parts = Full>` stores only the parts `P` chooses (`Full` keeps every "
          "part, as every group did before; `Lean<H, S, P, M, A>` keeps H activities, S "
          "scheduled actions, P policies, M metrics and A alarms and none of the optional "
          "parts); `Member` went from 296 to 64 bytes (hook waits, HPA samples and "
          "replacements moved beside the members, in parts a lean group does not store); "
          "deciding and emitting are separate (`Group::decide`, then `Group::drain` or "
          "`Group::actions`; `tick` = decide + emit); and the Cortex-M0 firmware `group_m0` "
          "is new"
          + (f" ({n_commits} commits from {rev} to {head}: `git log --oneline {rev}..{head}`)"
             if n_commits else "")
          + ". The benchmark workloads are unchanged (`tick/*` on the `Full` group, "
          "`sim/step` on `AllParts<32, MAX_SCHEDULED>`, the same parts as before; `tick/quiet` "
          "is now also counted under callgrind). Instruction counts and sizes compare exactly.")
        if before.get("cpu") and before.get("cpu") != model:
            w("")
            w(f"**Host times do not compare across the two runs: this run's CPU is {model}, "
              f"the before run's {before['cpu']}.** Operations whose code did not change "
              "(same Cortex-M4 instruction counts before and now, below) give the machines' "
              f"ratio: {machine_ratio_text}. Divide a host-time ratio by that before reading "
              "it as a change in the code; better, read the instruction counts.")
    else:
        w("")
        w(f"No \"before\" figures: `git show {rev}:BENCHMARKS.md` failed.")
    summary(w, before, rev, sizes, cases, callgrind, insns_value, d,
            bool(before.get("cpu")) and before.get("cpu") != model)
    w("")
    w("## Machine")
    w("")
    w(f"- CPU: {model}; `nproc` = {run(['nproc'])}")
    w(f"- {run(['rustc', '-V'])}; {(d / 'qemu-version.txt').read_text().strip()}; "
      f"Python {py.get('python')}; moto {py.get('moto_version', 'not installed')}")
    w(f"- Load average (1, 5, 15 min) at the start: {', '.join(load_start)}; at the end: "
      f"{', '.join(load_end)}. **The machine was shared** with other builds and tests while "
      "this ran: host times are noisy (compare the confidence intervals), instruction counts "
      "are not affected.")
    w("")
    w("## Method")
    w("")
    w(f"- Host times: criterion 0.8 (`core/benches/ops.rs`), release profile (LTO, one codegen "
      f"unit). Each figure is the **median** of {', '.join(map(str, samples))} samples (each "
      "sample many iterations), with criterion's 95 % confidence interval of the median; "
      "short warm-up and measurement (300 ms and 1 s by default, see the bench's doc) to keep "
      "`make bench` to a few minutes.")
    w("- The operations are in `core/benches/shared/workloads.rs`, shared word for word by the "
      "criterion benches and the Cortex-M4 firmware (`core/firmware/src/bin/bench.rs`).")
    w("- Instruction counts: the firmware runs in `qemu-system-arm -machine mps2-an386 -cpu "
      "cortex-m4 -icount shift=0`. With `-icount shift=0` QEMU advances the virtual clock by "
      "exactly 1 ns per guest instruction, and SysTick (on the 25 MHz core clock) by one tick "
      f"per 40 ns, so one tick is {INSNS_PER_TICK} instructions. Debian's QEMU ships no TCG "
      "plugins (no `libinsn.so`), so this is the counter we have. "
      f"Calibration on this run: {info.get('cal_nops', '?')} `nop`s in a loop of "
      f"{info.get('cal_loop', '?')} iterations read {info.get('cal_ticks', '?')} ticks "
      f"= {int(info.get('cal_ticks', 0)) * INSNS_PER_TICK:,} instructions (the nops plus "
      "2 per loop iteration). Each operation runs K times between two timer reads; the "
      f"empty loop ({per_rep_overhead:.1f} instructions per repetition) is subtracted. Busy "
      "ticks need an untimed fresh copy of the group each time, so each is timed alone "
      "(±1 tick per repetition, averaging out). Instructions, not cycles: QEMU models no "
      "pipeline, flash wait states or cache.")
    w("- The firmware is `opt-level = \"s\"`, LTO, for `thumbv7em-none-eabihf`; the host "
      "build is `opt-level = 3`. Groups on the board are 8, 64 and 1024 (the last needs the "
      "bench binary's 4 MiB stack, far beyond a microcontroller; 4096 is not run there).")
    w("")

    w("## Group tick and simulator: the scaling curve")
    w("")
    w("`tick/quiet/N`: a full group of N members in service, nothing to do. `tick` is "
      "`decide` then the emit pass (`drain` into the caller's buffer). `decide` runs the "
      "scheduled-action, predictive and alarm passes, then stops at its `quiet` check (the "
      "last decision found the members needing nothing and nothing has changed since); a "
      "quiet group owes nothing, so the emit pass returns at once too: no pass over the "
      "members, as before the change (a6c4d1d). `tick/busy/N`: "
      "N − 1 members, one just reported EC2 `stopped`; the tick terminates it and launches its "
      "replacement. `sim/step/N`: one one-minute step of `fleetcore::sim::Simulator` around a "
      "target-tracking group of capacity N whose load swings between 20 % and 100 % of half "
      "its capacity every two hours: the group scales out in steps as the load rises and "
      "scales in by up to half of its members at once as it falls (on the M4, two whole "
      "periods for N = 8 and 64, one for 1024).")
    w("")
    w("| case | N | median | 95 % CI | per member | Cortex-M4 instructions | x86-64 instructions (callgrind) |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for kind in ("tick/quiet", "tick/busy", "sim/step"):
        for n in SIZES_N:
            c = cases.get(f"{kind}/{n}")
            if not c:
                continue
            members = n - 1 if kind == "tick/busy" else n
            cg = f"{callgrind[(kind, n)]:,}" if (kind, n) in callgrind else "—"
            w(f"| `{kind}` | {n} | {ns(c['median'])} | {ns(c['lo'])} – {ns(c['hi'])} | "
              f"{c['median'] / members:,.2f} ns | {insns(f'{kind}/{n}')} | {cg} |")
    w("")
    w("Fit of the medians over N = 8 … 4096 (least squares, log t = log a + b log N, and "
      "t = c₀ + c₁ N):")
    w("")
    w("| case | exponent b, all N | b, two largest N | M4 instructions: b, 64 → 1024 | x86-64 instructions: b, 64 → 1024, 1024 → 4096 | c₁ per member | c₀ | growth (host times) |")
    w("|---|---:|---:|---:|---:|---:|---:|---|")
    g_sizes = {k: int(v) for k, v in sizes.items()}
    for kind in ("tick/quiet", "tick/busy", "sim/step"):
        pts = [(float(n), cases[f"{kind}/{n}"]["median"]) for n in SIZES_N if cases.get(f"{kind}/{n}")]
        if len(pts) < 2:
            continue
        b, _ = fit_power(pts)
        tail = tail_exponent(pts)
        c1, c0 = fit_line(pts)
        i64, i1024 = insns_value(f"{kind}/64"), insns_value(f"{kind}/1024")
        bm = f"{math.log(i1024 / i64) / math.log(16):.2f}" if i64 and i1024 else "—"
        cgb, cg_tail = "—", None
        cg = {n: callgrind.get((kind, n)) for n in (64, 1024, 4096)}
        if all(cg.values()):
            cg_tail = math.log(cg[4096] / cg[1024]) / math.log(4)
            cgb = f"{math.log(cg[1024] / cg[64]) / math.log(16):.2f}, {cg_tail:.2f}"
        w(f"| `{kind}` | {b:.2f} | {tail:.2f} | {bm} | {cgb} | {ns(c1)} | {ns(c0)} | "
          f"{verdict(b, tail, cg_tail, l2_per_core, g_sizes.get('Group<1024>'), g_sizes.get('Group<4096>'), (abs(math.log(i1024 / i64)) < 0.05) if i64 and i1024 else None, l2_bytes)} |")
    curve = py.get("simulate_curve", [])
    if len(curve) >= 2:
        pts = [(float(c["max_size"]), statistics.median(c["seconds"]) / c["steps"] * 1e9) for c in curve]
        b, _ = fit_power(pts)
        tail = tail_exponent(pts)
        c1, c0 = fit_line(pts)
        w(f"| Python `simulate` per step (max size {', '.join(str(c['max_size']) for c in curve)}) | "
          f"{b:.2f} | {tail:.2f} | | | {ns(c1)} | {ns(c0)} | {verdict(b, tail)} |")
    w("")
    w("b = 1 is linear; b < 1 over the whole range means a fixed part of the cost dominates "
      "small groups. Python's `simulate` stops at 1024, the module's `GROUP_CAPACITY`. "
      "Instruction counts are exact and unaffected by the machine's load or caches; host times "
      f"at 4096 also pay for a group of {kb(g_sizes.get('Group<4096>'))} "
      f"(before: {kb(before.get('sizes', {}).get('Group<4096>'))}) against the CPU's caches.")
    w("")
    w("Why `sim/step` stays near linear though its launches and terminations grow with N (the "
      "load swing is a share of N): a scale-in by k sorts the eligible members once by the "
      "termination policies and picks each victim in O(log N) (`Picker::victims`, checked "
      "against picking one at a time by a property test), so it is O(N log N), not O(k·N); the "
      "simulator's action buffer holds N actions, so a burst is one tick, not k/32; a tick's "
      "terminations leave the member vector in one compaction, not one move each; each event "
      "reported back is found by id starting after the member found last, and boots are "
      "reported in launch order, so each costs O(1); and no step moves a capacity-N "
      "`heapless::Vec` by value (a move copies its whole capacity: 73 KB per step at 4096 "
      "until the Spot reclaim pass iterated its list by reference). Before these changes "
      "(stop 14) the same "
      "workload took 489,945 x86-64 instructions per step at N = 1024 and 6,957,120 at 4096 "
      "(exponent 1.91).")
    w("")
    w("The x86-64 column counts the instructions of the measured operation alone under "
      "`valgrind --tool=callgrind --toggle-collect` (`core/benches/insns.rs`: 1,200 simulator "
      "steps, ten whole load periods; 100 busy ticks, each on a fresh copy that is not "
      "counted; 1,000 quiet ticks, counted since this change, none before): exact, unaffected "
      "by load or caches, and reaching N = 4096, which the M4 cannot hold.")
    w("")
    if before:
        w(f"### Before ({rev}) and now")
        w("")
        w("Now / before: below 1 is faster or fewer. The instruction counts are exact and "
          "compare directly. Host times come from two runs on shared machines (each with its "
          "own load, above)"
          + (f" and different CPUs (above; the same code ran {machine_ratio:.2f} × as long "
             "now as before)" if machine_ratio and before.get("cpu") != model else "")
          + ": read a host ratio within about ±15 % of that as no change.")
        w("")
        adj = machine_ratio if machine_ratio and before.get("cpu") != model else None
        w(f"| case | N | median, before ({rev}) | median, now | now / before"
          + (" | the same, ÷ machines' ratio" if adj else "")
          + " | M4 instructions, before | M4, now | now / before | x86-64 instructions, before "
          "| x86-64, now | now / before |")
        w("|---|---:|---:|---:|---:|" + ("---:|" if adj else "") + "---:|---:|---:|---:|---:|---:|")
        for kind in ("tick/quiet", "tick/busy", "sim/step"):
            for n in SIZES_N:
                c = cases.get(f"{kind}/{n}")
                bc = before["curve"].get((kind, n), {})
                now_t = c["median"] if c else None
                m4_now = insns_value(f"{kind}/{n}")
                cg_now = callgrind.get((kind, n))
                w(f"| `{kind}` | {n} | {ns(bc['median']) if bc.get('median') else '—'} | "
                  f"{ns(now_t) if now_t else '—'} | {ratio(now_t, bc.get('median'))} | "
                  + (f"{ratio(now_t / adj if now_t else None, bc.get('median'))} | " if adj else "")
                  + f"{num(bc.get('m4'))} | {num(m4_now)} | {ratio(m4_now, bc.get('m4'))} | "
                  f"{num(bc.get('cg'))} | {num(cg_now)} | {ratio(cg_now, bc.get('cg'))} |")
        w("")

    w("## Scaling decisions, IMDS, security groups")
    w("")
    w(f"| operation | what it does | median | 95 % CI | median, before ({rev}) | "
      f"Cortex-M4 instructions | M4 instructions, before ({rev}) |")
    w("|---|---|---:|---:|---:|---:|---:|")
    what = {
        "scaling/alarm": "evaluate a 3-of-3 alarm on a metric of 15 one-minute datapoints",
        "scaling/step": "select the step of a 3-step policy and compute the new desired",
        "scaling/target": "target-tracking recommendation (10 members, 87 % vs 50 %)",
        "scaling/hpa": "HPA replica calculation over 64 members, then stabilisation/rate limits",
        "imds/get": "IMDSv2 `GET /latest/meta-data/instance-id` with a token: parse, HMAC check, response",
        "network/sg_evaluate": "judge an inbound packet against 2 groups, 8 rules",
    }
    for name, text in what.items():
        c = cases.get(name)
        if not c:
            continue
        bo = before.get("ops", {}).get(name, {})
        w(f"| `{name}` | {text} | {ns(c['median'])} | {ns(c['lo'])} – {ns(c['hi'])} | "
          f"{ns(bo['median']) if bo.get('median') else '—'} | {insns(name)} | {num(bo.get('m4'))} |")
    w("")

    m4_1024 = "?"
    if "g8" in info:
        m4_per = (int(info["g64"]) - int(info["g8"])) / 56
        m4_1024 = kb(int(int(info["g8"]) + m4_per * (1024 - 8)))
    w("## Firmware flash and RAM (Cortex-M4, `opt-level = \"s\"`, LTO)")
    w("")
    w(f"| binary | what it links | flash (text + data) | flash, before ({rev}) | "
      f"static RAM (data + bss) | static RAM, before | stack high-water | stack, before |")
    w("|---|---|---:|---:|---:|---:|---:|---:|")
    links = {
        "bench": "the whole core: group, lifecycle, scaling, simulator, IMDS, network, catalog, "
                 "configuration parser, snapshots (plus the benchmark loop)",
        "group_only": "lifecycle + group + scaling only: a group of 8 with target tracking, "
                      "an hour of ticks",
        "lifecycle": "the example firmware: catalog and instance lifecycle (`Fleet<8>`)",
    }
    for line in (d / "firmware-sizes.txt").read_text().splitlines():
        bin_, text, data, bss = line.split()
        text, data, bss = int(text), int(data), int(bss)
        stack = (f"{int(info['stack']):,} B (groups built by value, see below)" if bin_ == "bench"
                 and "stack" in info else stack_of(d / f"firmware-{bin_}.txt"))
        bf = before.get("firmware", {}).get(bin_, {})
        w(f"| `{bin_}` | {links.get(bin_, '')} | {text + data:,} B | {num(bf.get('flash'), ' B')} | "
          f"{data + bss:,} B | {num(bf.get('ram'), ' B')} | {stack} | {num(bf.get('stack'), ' B')} |")
    w("")
    w("`bench` and `group_only` keep their groups on the stack, so their static RAM is near "
      "zero and the group's RAM (its `size_of`, below) shows in the stack mark instead. The stack high-water mark is "
      "cortex-m-rt's `paint-stack` scan (`core/firmware/src/stack.rs`). The `bench` binary's "
      "mark is high because `Group::new`, the setup's `Option<Group<N>>` returns and `clone` "
      f"move whole groups (up to `Group<1024>`, about {m4_1024} on the M4) through several "
      "frames (its stack is moved to the top of the board's 4 MiB for that reason, `bench` "
      "feature in core/firmware/build.rs).")
    w("")
    m0_section(w, d, rev)
    w("## RAM per group member: `size_of`")
    w("")
    g = {k: int(v) for k, v in sizes.items()}
    bs = before.get("sizes", {})
    lean = "Lean<8,0,1,1,0>"
    w(f"Host (x86-64), `core/benches/ops.rs`'s `fleetcore-size` lines. `Group<N>` is the default "
      f"`Full` group (every part, as every group was at {rev}); `Group<N, Lean<8, 0, 1, 1, 0>>` "
      "is the group of `group_m0` (8 activities, no scheduled actions, one policy, one metric, no "
      "alarms, no hooks, HPA, predictive scaling, ledger or Capacity Rebalancing): the group of "
      f"8 with target tracking. {rev} had no lean group: its rows are compared with the group "
      "of the same capacity it had, which stored every part.")
    w("")
    w(f"| type | x86-64 | before ({rev}), x86-64 | now / before |")
    w("|---|---:|---:|---:|")

    def size_row(label: str, now: int | None, was: int | None, was_note: str = "") -> None:
        w(f"| {label} | {num(now, ' B')} | {num(was, ' B')}{was_note} | "
          f"{ratio(now, was)} |")

    size_row("`Member`", g.get("Member"), bs.get("Member"))
    for n in (8, 64, 128, 1024, 4096):
        size_row(f"`Group<{n}>`", g.get(f"Group<{n}>"), bs.get(f"Group<{n}>"))
    for n in (8, 64, 128, 1024, 4096):
        key = f"Group<{n},{lean}>"
        if key in g:
            was = bs.get(key)
            note = ""
            if was is None and bs.get(f"Group<{n}>") is not None:
                was, note = bs.get(f"Group<{n}>"), f" (`Group<{n}>`, every part)"
            size_row(f"`Group<{n}, Lean<8, 0, 1, 1, 0>>`", g.get(key), was, note)

    def slope(d: dict[str, int], fmt: str) -> tuple[float, float] | None:
        a, b = d.get(fmt.format(64)), d.get(fmt.format(128))
        if a is None or b is None:
            return None
        per = (b - a) / 64
        return per, a - per * 64

    full, full_b = slope(g, "Group<{}>"), slope(bs, "Group<{}>")
    lean_s = slope(g, "Group<{}," + lean + ">")
    if full:
        w(f"| per member, `Full` (slope `Group<64>` → `Group<128>`) | **{full[0]:,.0f} B** | "
          f"{f'{full_b[0]:,.0f} B' if full_b else '—'} | {ratio(full[0], full_b[0] if full_b else None)} |")
        w(f"| fixed part, `Full` | {full[1]:,.0f} B | {f'{full_b[1]:,.0f} B' if full_b else '—'} | "
          f"{ratio(full[1], full_b[1] if full_b else None)} |")
    if lean_s:
        w(f"| per member, `Lean<8, 0, 1, 1, 0>` (same slope) | **{lean_s[0]:,.0f} B** | "
          f"{f'{full_b[0]:,.0f} B' if full_b else '—'} (every part) | "
          f"{ratio(lean_s[0], full_b[0] if full_b else None)} |")
        w(f"| fixed part, `Lean<8, 0, 1, 1, 0>` | {lean_s[1]:,.0f} B | "
          f"{f'{full_b[1]:,.0f} B' if full_b else '—'} (every part) | "
          f"{ratio(lean_s[1], full_b[1] if full_b else None)} |")
    for k in ("Simulator<64>", "Simulator<128>", "Imds", "Network<4,16,16,8,64,32>"):
        if k in g:
            size_row(f"`{k}`", g[k], bs.get(k))
    w("")
    w("The per-member slope is the member itself plus the per-member entries of the parts "
      "beside it (hook waits, HPA samples, replacements, where the group stores them). "
      f"\"—\": the report at {rev} did not give the figure (it printed `Group<N>` and `Member` "
      "only).")
    if "g8" in info:
        g8, g64 = int(info["g8"]), int(info["g64"])
        per = (g64 - g8) / 56
        bm = before.get("m4", {})
        was = ""
        if "Group<8>" in bm and "Group<64>" in bm:
            bper = (bm["Group<64>"] - bm["Group<8>"]) / 56
            was = (f" Before ({rev}): Group<8> {bm['Group<8>']:,} B, Group<64> "
                   f"{bm['Group<64>']:,} B: {bper:,.0f} B per member, fixed part about "
                   f"{bm['Group<8>'] - 8 * bper:,.0f} B.")
        w("")
        w(f"- Cortex-M4 (32-bit, the `bench` firmware's `info:` line): Group<8> {g8:,} B, "
          f"Group<64> {g64:,} B: **{per:,.0f} B per member**, fixed part about "
          f"{g8 - 8 * per:,.0f} B.{was}")
    w("")

    w("## Python")
    w("")
    other_cpu_note = (f", on {before['cpu']}: not comparable"
                      if before.get("cpu") and before.get("cpu") != model else "")
    sy = py["simulate_year"]
    sec = statistics.median(sy["seconds"])
    w(f"- `fleetcore.simulate`: a year of one-minute steps ({sy['steps']:,}) through a "
      f"target-tracking group of up to {sy['max_size']} members with a daily load curve: median "
      f"of {len(sy['seconds'])} runs {sec:.2f} s (runs: {', '.join(f'{s:.2f}' for s in sy['seconds'])}), "
      f"**{sy['steps'] / sec:,.0f} steps per second**"
      + (f" (before ({rev}): {before['steps_per_s']:,} steps per second{other_cpu_note})." if before.get("steps_per_s")
         else "."))
    for c in curve:
        s = statistics.median(c["seconds"])
        w(f"  - up to {c['max_size']} members, {c['steps']:,} steps: {c['steps'] / s:,.0f} steps/s "
          f"({s / c['steps'] * 1e6:,.1f} µs per step, median of {len(c['seconds'])})")
    for line in taxi_and_sweep_lines(py):
        w(line)
    fo = py["fleetcore_ops"]
    f_med = statistics.median(fo["seconds"])
    w(f"- 1,000 × (`SetDesiredCapacity` cycling 2 … 10, then `DescribeAutoScalingGroups`) on "
      f"one group. fleetcore (`fleetcore.Group`: `set_desired`, the `tick` that carries it out "
      f"with each launch reported booted and each termination done, then desired and every "
      f"member's id, zone, state and health read back): median of {len(fo['seconds'])} runs "
      f"{f_med * 1e3:,.1f} ms ({f_med / fo['ops'] * 1e6:,.1f} µs per pair)"
      + (f" (before ({rev}): {before['ops_us_per_pair']:,.1f} µs per pair{other_cpu_note})." if before.get("ops_us_per_pair")
         else "."))
    if "moto_ops" in py:
        mo = py["moto_ops"]
        m_med = statistics.median(mo["seconds"])
        w(f"- The same against moto {py.get('moto_version')} (`mock_aws`, in process, boto3 "
          f"client; moto launches and terminates the instances inside `set_desired_capacity`): "
          f"median of {len(mo['seconds'])} runs {m_med:,.1f} s "
          f"({m_med / mo['ops'] * 1e3:,.1f} ms per pair). **Ratio moto / fleetcore: "
          f"{m_med / f_med:,.0f} ×.** Most of moto's time is boto3's request signing, "
          "serialisation and moto's HTTP-level dispatch, which fleetcore does not have: the "
          "ratio compares what a test suite pays per call, not the scaling logic alone.")
    else:
        w(f"- moto was not available: {py.get('moto_error')}")
    w("")
    forecast = d / "forecast.txt"
    if forecast.exists():
        w("## Forecaster against the forecasts people use")
        w("")
        w("`cargo run -p fleetcore --example forecast_eval --release` (its output verbatim; the "
          "protocol of issue 4, written out in `core/tests/support/traces.rs`): every shared "
          "NAB trace resampled to hourly means, a rolling origin every 6 h, a 48 h horizon, at "
          "most 14 days of history. WAPE = Σ|forecast − actual| ÷ Σ|actual|, in percent; "
          "under = the share of forecast hours below the actual, in percent. Methods: "
          "`fleetcore` (`scaling::predictive::Forecaster`, integer arithmetic), seasonal naive "
          "with a 24 h and a 168 h season, `mean7` (the mean of the same hour over the last 7 "
          "days), `hw24` (Holt-Winters additive, 24 h season, parameters fitted at each origin). "
          "`tests/forecast_trace.rs` asserts the WAPE ranking on every trace. Accuracy figures, "
          "not timings: they depend only on the code, not on the machine.")
        w("")
        L.extend(forecast.read_text().rstrip("\n").splitlines())
        w("")
    w("## Raw data")
    w("")
    w("`build/bench/` after `make bench`: criterion's estimates, `firmware-bench.txt` (the "
      "firmware's own output), `firmware-sizes.txt`, `firmware-group_m0.txt` (the output of "
      "`scripts/firmware.sh m0`), `callgrind.txt` (instructions per operation on x86-64), "
      "`python.json`, `forecast.txt` (the forecaster comparison), `git-head.txt` and "
      "`git-status.txt` (the tree measured).")
    Path(args.out).write_text("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
