"""``fleetcore simulate CONFIG TRACE [--plot out.png] [--csv out.csv] [--start DATE --days N]``
(or ``python -m fleetcore ...``): run a scaling design over a load trace and print a summary.

CONFIG is a JSON file describing the group, its metrics, policies and alarms, and the world
around it. TRACE is any file ``fleetcore.trace.load`` reads: CSV (NAB's ``timestamp,value``,
ISO-8601, epoch seconds or milliseconds; ``--column`` picks the value column), CloudWatch
``GetMetricData`` or ``get-metric-statistics`` JSON, or Prometheus ``query_range`` JSON;
``--missing`` says how NaN and gaps are filled and ``--tz`` the zone of times written without
one. ``--plot`` and ``--csv`` show the window of ``--start`` (a date in the trace's zone) and
``--days`` (the whole run by default); the simulation always runs over the whole trace. Their
folders are checked before the run. ``fleetcore --version`` prints the version.

Schema (every key but ``group.min_size`` and ``group.max_size`` is optional; unknown keys are
errors; times are seconds, values plain numbers)::

    {
      "group": {                       # the keyword arguments of fleetcore.Group
        "min_size": 1, "max_size": 20, "desired_capacity": 2,
        "zones": ["a", "b"], "seed": 7,
        "default_cooldown_s": 300, "default_instance_warmup_s": 120,
        "health_check_grace_period_s": 0,
        "termination_policies": ["Default"],
        "new_instances_protected_from_scale_in": false,
        "max_instance_lifetime_s": null
      },
      "metrics": [                     # Group.put_metric, in order (index 0, 1, ...)
        {"name": "CPU", "period_s": 60, "per_member": true}
      ],
      "policies": [                    # in order; "name" lets alarms refer to a policy
        {"type": "target_tracking", "metric": "CPU", "target": 50,
         "disable_scale_in": false, "warmup_s": 120,
         "hpa": null},                 # or true, the keyword arguments of hpa.Behavior,
                                       # or an HPA manifest's behavior: block (scaleUp/scaleDown)
        {"type": "simple", "name": "add", "adjustment": 2,
         "adjustment_type": "ChangeInCapacity", "cooldown_s": 300},
        {"type": "step", "name": "steps", "aggregation": "Average", "warmup_s": 60,
         "adjustment_type": "ChangeInCapacity",
         "steps": [[0, 20, 1], [20, null, 3]]},  # [lower, upper, adjustment], null = open
        {"type": "predictive", "metric": "Requests", "target_per_member": 600,
         "mode": "ForecastAndScale", "buffer_s": 300,
         "max_capacity_buffer": null}  # 0-100 selects IncreaseMaxCapacity
      ],
      "alarms": [                      # Group.put_alarm; "policy" is a name or an index
        {"metric": "CPU", "policy": "steps", "comparison": ">", "threshold": 70,
         "evaluation_periods": 3, "datapoints_to_alarm": null,
         "statistic": "Average", "missing_data": "missing"}
      ],
      "scheduled": [                   # Group.put_scheduled_action, from the trace's start
        {"name": "weekday-morning", "recurrence": "0 7 * * MON-FRI",
         "time_zone": "EST5EDT,M3.2.0,M11.1.0", "min_size": 4,
         "start_s": null, "end_s": null, "max_size": null, "desired_capacity": null}
      ],
      "purchase": {                    # Group.set_prices, reserve, set_mixed_instances
        "on_demand": {"m5.large": 0.096, "c5.large": 0.085},   # built-in types, per hour
        "spot": [                      # pools; "interruption": chance per 30-day month
          {"type": "m5.large", "zone": "a", "price": 0.035, "capacity": 20,
           "interruption": 0.05}
        ],
        "upfront": "at_purchase",      # or "amortized"
        "reservations": [              # from the trace's start
          {"type": "m5.large", "count": 2, "term": "1y", "payment": "no_upfront",
           "hourly": 0.060, "zone": null, "size_flexible": true}
        ],
        "mixed_instances": {           # keyword arguments of Group.set_mixed_instances
          "overrides": [["m5.large", 1], ["c5.large", 1]],
          "on_demand_base": 2, "on_demand_percent": 0,
          "spot_strategy": "price-capacity-optimized", "capacity_rebalance": true
        }
      },
      "simulation": {                  # the keyword arguments of fleetcore.simulate
        "step_s": 60, "member_capacity": 100, "boot_time_s": 120,
        "slo_utilisation": 90, "price_per_hour": 0.096,
        "utilisation_metric": "CPU", "load_metric": null,
        "spot_seed": 0, "rebalance_lead_s": 0
      }
    }

With a ``purchase`` section the cost is the group's own ledger (``price_per_hour`` is then
unused) and the Spot pools' ``interruption`` chances become ``simulate``'s ``spot_risk``.

``member_capacity`` and ``boot_time_s`` must be given in the config or on the command line.
Command-line options override the config. Exit status: 0 on success, 2 for a bad config, trace
or option (the message names the problem).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from typing import Any

from fleetcore import __version__
from fleetcore import trace as trace_module
from fleetcore._config import group_from_config, simulation_options
from fleetcore._sim import simulate
from fleetcore.plot import check_folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fleetcore",
        description="Run an Auto Scaling group over a load trace (see the module docstring "
        "of fleetcore.__main__ for the config schema).",
    )
    parser.add_argument("--version", action="version", version=f"fleetcore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("simulate", help="simulate a group over a trace and print a summary")
    run.add_argument("config", help="JSON file: group, metrics, policies, alarms, simulation")
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
        with open(args.config, encoding="utf-8") as f:
            config = json.load(f)
        if not isinstance(config, dict):
            raise ValueError("the config must be a JSON object")
        # Checked here so a bad config fails before the trace is read.
        group_from_config(config)
        options: dict[str, Any] = simulation_options(config)
        for key in ("step_s", "member_capacity", "boot_time_s", "slo_utilisation", "price_per_hour"):
            value = getattr(args, key)
            if value is not None:
                options[key] = value
        missing = [k for k in ("member_capacity", "boot_time_s") if k not in options]
        if missing:
            raise ValueError(f"give {' and '.join(missing)} in the config's simulation object or as options")
        if isinstance(options.get("step_s"), float) and options["step_s"].is_integer():
            options["step_s"] = int(options["step_s"])
        trace = trace_module.load(args.trace, column=args.column, missing=args.missing, tz=args.tz)
        result = simulate(config, trace, progress=args.progress, **options)
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
    """The ``fleetcore`` console script: ``main`` with the process's arguments."""
    sys.exit(main())


if __name__ == "__main__":
    console()
