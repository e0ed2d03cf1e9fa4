"""Python figures for BENCHMARKS.md: ``simulate`` throughput and the moto comparison.

Writes one JSON document (``--out``) with every repetition's time, so the report can take
medians and state the spread. Run by ``scripts/bench.sh`` with the repository's ``.venv``
(fleetcore built from this tree, moto and boto3 from PyPI).

- ``simulate``: a year of one-minute steps (525 600) through a target-tracking group of up to
  100 members whose load follows a daily curve, timed ``--runs`` times; steps per second. The
  same for groups of up to 8, 64 and 1024 members (the module's ``GROUP_CAPACITY``) over a
  month, for the scaling curve.
- ``moto``: the same 1,000 operations against moto's in-process Auto Scaling mock and against a
  ``fleetcore.Group``: ``SetDesiredCapacity`` (cycling through 2..10) then
  ``DescribeAutoScalingGroups`` for that group. moto launches and terminates instances inside
  ``set_desired_capacity``; for fleetcore the same work is the tick that follows, with each
  launch reported booted and each termination reported done, and the describe reads desired
  capacity and every member's id, zone, state and health.
- ``simulate_taxi``: ``examples/taxi.json`` over ``shared/traces/nyc_taxi.csv`` (309,571
  one-minute steps), wall and CPU seconds of each run (issue 20's "fast enough to sweep").
- ``sweep``: ``fleetcore.sweep`` of 24 taxi designs over that trace, in local processes and on a
  ``dask.distributed.LocalCluster`` with two worker processes: designs per second.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from typing import Any

import numpy as np

import fleetcore
from fleetcore import Group, simulate

OPS = 1000
MINUTE = 60


def tracked(max_size: int) -> Group:
    g = Group(1, max_size, zones=["a", "b", "c"], seed=7)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 50, warmup_s=120)
    return g


def daily_trace(steps: int, members: int) -> np.ndarray:
    """One value per minute: a daily curve between 20 % and 90 % of what `members` serve at
    the 50 % target, so the group scales through most of its range every day."""
    t = np.arange(steps, dtype=np.float64) * MINUTE
    day = 0.5 - 0.5 * np.cos(2 * math.pi * t / 86_400)
    load = members * 50.0 * (0.2 + 0.7 * day)
    return np.column_stack([t, load])


def time_simulate(max_size: int, steps: int, runs: int) -> dict[str, Any]:
    trace = daily_trace(steps, max_size)
    group = tracked(max_size)
    times = []
    n = 0
    for _ in range(runs):
        start = time.perf_counter()
        r = simulate(group, trace, member_capacity=100, boot_time_s=120, price_per_hour=1)
        times.append(time.perf_counter() - start)
        n = len(r)
    return {"max_size": max_size, "steps": n, "seconds": times}


def fleetcore_ops(ops: int) -> float:
    g = Group(0, 20, 2, zones=["us-east-1a"], seed=7)
    now = 0.0

    def settle() -> None:
        for a in g.tick(now):
            if a.kind == "launch":
                g.booted(now, a.id)
            elif a.kind == "terminate":
                g.terminated(now, a.id)

    settle()
    start = time.perf_counter()
    for i in range(ops):
        now += 1.0
        g.set_desired(now, 2 + i % 9)
        settle()
        described = (
            g.desired,
            [(m.id, m.zone, m.state, m.health) for m in g.members],
        )
        assert described[0] == 2 + i % 9
    return time.perf_counter() - start


def moto_ops(ops: int) -> float:
    import boto3
    from moto import mock_aws

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        asg = boto3.client("autoscaling", region_name="us-east-1")
        asg.create_launch_configuration(
            LaunchConfigurationName="bench",
            ImageId="ami-12c6146b",
            InstanceType="t3.micro",
        )
        asg.create_auto_scaling_group(
            AutoScalingGroupName="bench",
            LaunchConfigurationName="bench",
            MinSize=0,
            MaxSize=20,
            DesiredCapacity=2,
            AvailabilityZones=["us-east-1a"],
        )
        start = time.perf_counter()
        for i in range(ops):
            asg.set_desired_capacity(AutoScalingGroupName="bench", DesiredCapacity=2 + i % 9)
            d = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["bench"])
            group = d["AutoScalingGroups"][0]
            assert group["DesiredCapacity"] == 2 + i % 9
            assert len(group["Instances"]) == 2 + i % 9
        return time.perf_counter() - start


def taxi_paths() -> tuple[Any, Any]:
    """``examples/taxi.json`` and ``shared/traces/nyc_taxi.csv`` beside the repository."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return root / "examples" / "taxi.json", root.parent / "shared" / "traces" / "nyc_taxi.csv"


def time_taxi(runs: int) -> dict[str, Any]:
    """``simulate`` of the taxi design over the whole taxi trace (issue 20 item 3), the trace
    loaded once beforehand as a user holding it would; wall and CPU seconds of each run."""
    doc_path, trace_path = taxi_paths()
    doc = doc_path.read_text()
    trace = fleetcore.trace.load(trace_path)
    wall, cpu = [], []
    r = None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        r = simulate(doc, trace)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    assert r is not None
    t = r.totals
    return {
        "steps": int(t["steps"]),
        "seconds": wall,
        "cpu_seconds": cpu,
        "cost": t["cost"],
        "launches": int(t["launches"]),
        "slo_breach_minutes": t["slo_breach_minutes"],
    }


#: The sweep timed: 3 targets × 4 On-Demand shares × 2 Spot strategies = 24 designs of the
#: taxi document over the whole taxi trace (the demo's grid).
SWEEP_GRID = {
    "groups[0].policies[0].target": [50, 60, 70],
    "groups[0].purchase.mixed_instances.on_demand_percent": [0, 20, 50, 100],
    "groups[0].purchase.mixed_instances.spot_strategy": ["price-capacity-optimized", "lowest-price"],
}


def time_sweep() -> dict[str, Any]:
    """``fleetcore.sweep`` of ``SWEEP_GRID``: with local processes (one per CPU) and on a
    ``dask.distributed.LocalCluster`` of two worker processes of one thread each; designs per
    second of each (the cluster's start-up not counted)."""
    doc_path, trace_path = taxi_paths()
    designs = 1
    for v in SWEEP_GRID.values():
        designs *= len(v)
    out: dict[str, Any] = {"designs": designs}
    start = time.perf_counter()
    local = fleetcore.sweep(doc_path, SWEEP_GRID, {"nyc_taxi": trace_path}, progress=False)
    out["local_seconds"] = time.perf_counter() - start
    out["local_processes"] = os.cpu_count() or 1
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as e:
        out["dask_error"] = str(e)
        return out
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            # Two tasks first so that both workers have imported fleetcore before the clock runs.
            fleetcore.sweep(doc_path, {"simulation.seed": [1, 2]}, {"nyc_taxi": trace_path},
                            client=client, progress=False)
            start = time.perf_counter()
            remote = fleetcore.sweep(doc_path, SWEEP_GRID, {"nyc_taxi": trace_path},
                                     client=client, progress=False)
            out["dask_seconds"] = time.perf_counter() - start
    cols = ["cost", "slo_breach_minutes", "launches"]
    out["dask_equals_local"] = bool(
        (local.frame[cols].to_numpy() == remote.frame[cols].to_numpy()).all()
    )
    return out


def taxi_and_sweep(out: dict[str, Any], runs: int) -> None:
    """Issue 20's figures into ``out``: ``simulate_taxi`` and ``sweep`` (or ``sweep_error``)."""
    out["taxi_sweep_load_before"] = list(os.getloadavg())
    print(f"bench_python: simulate, examples/taxi.json over nyc_taxi.csv, {runs} runs")
    out["simulate_taxi"] = time_taxi(runs)
    try:
        import pandas  # noqa: F401  (fleetcore.sweep returns a DataFrame)

        print("bench_python: sweep, 24 taxi designs, local processes and a LocalCluster")
        out["sweep"] = time_sweep()
    except ImportError as e:
        out["sweep_error"] = str(e)
    out["taxi_sweep_load_after"] = list(os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--moto-runs", type=int, default=5)
    ap.add_argument("--taxi-runs", type=int, default=7)
    ap.add_argument("--curve-steps", type=int, default=30 * 24 * 60)
    ap.add_argument("--only", choices=["all", "taxi-sweep"], default="all",
                    help="taxi-sweep: only the taxi simulate and the sweep (issue 20's figures)")
    args = ap.parse_args()

    out: dict[str, Any] = {
        "python": platform.python_version(),
        "fleetcore_group_capacity": fleetcore.GROUP_CAPACITY,
        "nproc": os.cpu_count(),
    }
    if args.only == "taxi-sweep":
        taxi_and_sweep(out, args.taxi_runs)
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)
        return 0
    year = 365 * 24 * 60
    print(f"bench_python: simulate, a year of one-minute steps, up to 100 members, {args.runs} runs")
    out["simulate_year"] = time_simulate(100, year, args.runs)
    curve = []
    for size in (8, 64, 1024):
        if size > fleetcore.GROUP_CAPACITY:
            continue
        print(f"bench_python: simulate, {args.curve_steps} steps, up to {size} members")
        curve.append(time_simulate(size, args.curve_steps, max(3, args.runs // 2 + 1)))
    out["simulate_curve"] = curve

    taxi_and_sweep(out, args.taxi_runs)

    print(f"bench_python: {OPS} × (set desired + describe), fleetcore, {args.moto_runs} runs")
    out["fleetcore_ops"] = {"ops": OPS, "seconds": [fleetcore_ops(OPS) for _ in range(args.moto_runs)]}
    try:
        import moto

        out["moto_version"] = moto.__version__
        print(f"bench_python: the same against moto {moto.__version__}, {args.moto_runs} runs")
        out["moto_ops"] = {"ops": OPS, "seconds": [moto_ops(OPS) for _ in range(args.moto_runs)]}
    except ImportError as e:
        out["moto_error"] = str(e)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    med = statistics.median
    steps = out["simulate_year"]["steps"]
    print(f"bench_python: simulate {steps / med(out['simulate_year']['seconds']):,.0f} steps/s")
    if "moto_ops" in out:
        ratio = med(out["moto_ops"]["seconds"]) / med(out["fleetcore_ops"]["seconds"])
        print(f"bench_python: moto / fleetcore = {ratio:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
