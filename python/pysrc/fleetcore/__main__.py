"""``fleetcore simulate CONFIG TRACE [--plot out.png] [--csv out.csv] [--start DATE --days N]``
(or ``python -m fleetcore ...``): run a scaling design over a load trace and print a summary.

CONFIG is a controller document: the JSON firmware and C read (``examples/controller.json``,
``examples/taxi.json``; schema in the README's "Configuration" and
``schema/fleetcore.schema.json``), read by the core's own parser, so a bad field is named with
its line and column. Its optional ``simulation`` section gives the world (member capacity,
boot time, SLO, which metrics get the utilisation and the load, Spot interruption chances);
``--group`` picks the group when the document has several. TRACE is any file
``fleetcore.trace.load`` reads: CSV (NAB's ``timestamp,value``,
ISO-8601, epoch seconds or milliseconds; ``--column`` picks the value column), CloudWatch
``GetMetricData`` or ``get-metric-statistics`` JSON, or Prometheus ``query_range`` JSON;
``--missing`` says how NaN and gaps are filled and ``--tz`` the zone of times written without
one. ``--plot`` and ``--csv`` show the window of ``--start`` (a date in the trace's zone) and
``--days`` (the whole run by default); the simulation always runs over the whole trace. Their
folders are checked before the run. ``fleetcore --version`` prints the version.

Command-line options override the document's ``simulation`` section. ``member_capacity`` and
``boot_time_s`` must be given in one or the other. A policy reading a metric the simulation
never feeds is an error naming both. Exit status: 0 on success, 2 for a bad document, trace
or option (the message names the problem).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fleetcore import __version__
from fleetcore import trace as trace_module
from fleetcore._document import load_config, simulated_group
from fleetcore._sim import simulate
from fleetcore.plot import check_folder


EXAMPLES = """examples:
  fleetcore simulate examples/taxi.json nyc_taxi.csv
  fleetcore simulate examples/taxi.json nyc_taxi.csv --tz America/New_York \\
      --plot week.png --csv week.csv --start 2014-11-21 --days 7
  fleetcore simulate design.json cpu.json --column p99 --missing interpolate

The trace is CSV (NAB timestamp,value, ISO-8601, epoch s or ms), CloudWatch GetMetricData or
get-metric-statistics JSON as the AWS CLI prints it, or Prometheus query_range JSON."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fleetcore",
        description=textwrap.fill(
            "Run an Auto Scaling group's design (a controller document, the JSON firmware reads) "
            "over a recorded load trace and print what it cost and how often it breached its SLO.",
            90,
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fleetcore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "simulate",
        help="simulate a group over a trace and print a summary",
        description=textwrap.fill(
            "Simulate the document's group over the whole trace and print a summary; --plot and "
            "--csv show a window of it (--start, --days). Options override the document's "
            "simulation section.",
            90,
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("config", help="controller document (JSON): groups, purchasing, simulation")
    run.add_argument("--group", help="the document's group to run (default: the simulation section's)")
    run.add_argument(
        "trace", help="CSV (NAB, ISO-8601, epoch), CloudWatch or Prometheus JSON (fleetcore.trace.load)"
    )
    run.add_argument("--column", help="the trace's value column, metric result or statistic")
    run.add_argument(
        "--missing",
        choices=trace_module.MISSING_POLICIES,
        default="hold",
        help="how NaN, empty values and gaps in the trace are filled (default hold)",
    )
    run.add_argument("--tz", help="time zone of trace times written without one (IANA name; default UTC)")
    run.add_argument("--plot", metavar="PNG", help="save a plot (needs matplotlib)")
    run.add_argument("--csv", metavar="CSV", help="write the per-step columns to a CSV file")
    run.add_argument("--start", help="first day of the plot and CSV (YYYY-MM-DD in the trace's zone)")
    run.add_argument("--days", type=float, help="days shown in the plot and CSV (default: to the end)")
    run.add_argument("--step-s", type=float, help="step length in seconds (default 60)")
    run.add_argument("--member-capacity", type=float, help="load one member serves at 100 %%")
    run.add_argument("--boot-time-s", type=float, help="launch to in service, seconds")
    run.add_argument("--slo-utilisation", type=float, help="SLO utilisation limit, percent")
    run.add_argument("--price-per-hour", type=float, help="cost of one member-hour")
    run.add_argument("--actions", action="store_true", help="also print the action log")
    run.add_argument("--progress", action="store_true", help="report progress on stderr")
    return parser


def _check_window(trace: trace_module.Trace, start: str, days: float | None) -> None:
    """Raises ``ValueError`` when ``--start`` (and ``--days``) fall outside the trace, so that
    the mistake is reported before a run of the whole trace, not after it."""
    try:
        when = datetime.datetime.fromisoformat(start)
    except ValueError:
        raise ValueError(f"--start {start!r} is not a date (YYYY-MM-DD, or YYYY-MM-DDThh:mm)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=trace.tz)
    lo = when.timestamp()
    hi = lo + days * 86_400 if days is not None else float("inf")
    first, last = trace.times[0], trace.times[-1]
    if lo > last or hi <= first:
        show = lambda t: datetime.datetime.fromtimestamp(t, trace.tz).strftime("%Y-%m-%d %H:%M")  # noqa: E731
        raise ValueError(f"--start {start!r} is outside the trace, which covers {show(first)} .. {show(last)}")


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        # Checked first, so a typo in an output path fails before the run.
        check_folder(args.plot, "plot")
        check_folder(args.csv, "CSV")
        if args.start is not None:
            try:
                datetime.date.fromisoformat(args.start[:10])
            except ValueError:
                raise ValueError(f"--start {args.start!r} is not a date (YYYY-MM-DD)") from None
        if args.days is not None and not args.days > 0:
            raise ValueError(f"--days must be positive, not {args.days:g}")
        path = Path(args.config)
        checked = load_config(path)
        section = checked.get("simulation") or {}
        # Checked here so a bad document fails before the trace is read.
        _, entry = simulated_group(checked, args.group if args.group is not None else section.get("group"))
        options: dict[str, Any] = {}
        for key in ("step_s", "member_capacity", "boot_time_s", "slo_utilisation", "price_per_hour"):
            value = getattr(args, key)
            if value is not None:
                options[key] = int(value) if key == "step_s" and float(value).is_integer() else value
        missing = [k for k in ("member_capacity", "boot_time_s") if k not in options and section.get(k) is None]
        if missing:
            raise ValueError(f"give {' and '.join(missing)} in the document's simulation section or as options")
        trace = trace_module.load(args.trace, column=args.column, missing=args.missing, tz=args.tz)
        if args.start is not None and (args.plot or args.csv):
            _check_window(trace, args.start, args.days)
        result = simulate(path, trace, group=entry["name"], progress=args.progress, **options)
        options.setdefault("step_s", section.get("step_s", 60))
    except (OSError, ValueError, TypeError, json.JSONDecodeError) as e:
        code = getattr(e, "code", None)
        suffix = f" (fleetcore code {code})" if code is not None else ""
        print(f"fleetcore: {e}{suffix}", file=sys.stderr)
        return 2
    except Exception as e:  # GroupError and the other core errors
        if not hasattr(e, "code"):
            raise
        print(f"fleetcore: {e} (fleetcore code {e.code})", file=sys.stderr)
        return 2
    print(f"fleetcore simulate {args.config} {args.trace}")
    print(result.summary())
    if args.actions:
        sys.stdout.write(result.action_log())
    try:
        if args.csv:
            rows = result.to_csv(args.csv, start=args.start, days=args.days)
            print(f"csv                {args.csv} ({rows} rows)")
        if args.plot:
            result.plot(args.plot, start=args.start, days=args.days)
            print(f"plot               {args.plot}")
            span_days = len(result) * float(options.get("step_s", 60)) / 86_400
            if args.days is None and span_days > 31:
                print(f"                   ({span_days:.0f} days in one figure: --start and --days show a window)")
    except (ImportError, OSError, ValueError) as e:
        print(f"fleetcore: {e}", file=sys.stderr)
        return 2
    return 0


def console() -> None:
    """The ``fleetcore`` console script: ``main`` with the process's arguments. Output cut short
    by its reader (``fleetcore simulate ... | head``) ends quietly, as other shell tools do
    (Python docs, "Note on SIGPIPE")."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush fails no more
        status = 1
    sys.exit(status)


if __name__ == "__main__":
    console()
