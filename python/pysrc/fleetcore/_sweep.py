"""``fleetcore.sweep``: many designs over many traces, locally or on a Dask cluster.

A design is a controller document (the one format firmware reads); a sweep varies some of its
fields over a grid and runs every combination over every trace through ``fleetcore.simulate``.
Fields are named as the core's error locations name them: ``groups[0].policies[0].target``,
``groups[0].purchase.mixed_instances.on_demand_percent``, ``simulation.member_capacity``.

Each task carries the document (JSON) and the trace (its times and values), never a pickled
``Group``: a worker rebuilds the group from the document with the core's parser, exactly as a
board would. With no ``client`` the tasks run in local processes
(``concurrent.futures.ProcessPoolExecutor``); given a ``dask.distributed.Client`` they run on
its cluster. The results are a pandas ``DataFrame``, one row per design and trace, and the
Pareto front of cost against SLO breach minutes for each trace.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fleetcore import trace as trace_module
from fleetcore._document import Document, document_text

__all__ = ["Sweep", "set_field", "sweep"]

#: The per-run figures of a sweep's rows, from the simulation's totals.
FIGURES = (
    "cost",
    "cost_on_demand",
    "cost_reserved",
    "cost_spot",
    "slo_breach_minutes",
    "member_hours",
    "launches",
    "terminations",
    "interruptions",
    "scaling_changes",
)

#: The figures that count events: integers in the frame.
COUNTS = frozenset({"launches", "terminations", "interruptions", "scaling_changes"})

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _segments(path: str) -> list[str | int]:
    """``groups[0].policies[1].target`` as ``["groups", 0, "policies", 1, "target"]``."""
    out: list[str | int] = []
    pos = 0
    for m in _SEGMENT.finditer(path):
        between = path[pos : m.start()]
        if between not in ("", "."):
            raise ValueError(f"field path {path!r}: unexpected {between!r} at {pos}")
        out.append(int(m.group(2)) if m.group(2) is not None else m.group(1))
        pos = m.end()
    if pos != len(path) or not out:
        raise ValueError(f"field path {path!r} is not of the form groups[0].policies[0].target")
    return out


def set_field(document: dict[str, Any], path: str, value: Any) -> None:
    """Sets the field at ``path`` (as the core's error locations write it) in a parsed
    document, creating missing objects on the way. Raises ``ValueError`` naming the path for an
    index past a list's end or a step into a value that is not an object or a list."""
    node: Any = document
    segments = _segments(path)
    for i, seg in enumerate(segments[:-1]):
        nxt = segments[i + 1]
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                raise ValueError(f"field path {path!r}: no element [{seg}] there")
            node = node[seg]
        else:
            if not isinstance(node, dict):
                raise ValueError(f"field path {path!r}: {seg!r} is not in an object")
            if seg not in node:
                if isinstance(nxt, int):
                    raise ValueError(f"field path {path!r}: no list {seg!r} there")
                node[seg] = {}
            node = node[seg]
    last = segments[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise ValueError(f"field path {path!r}: no element [{last}] there")
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ValueError(f"field path {path!r}: {last!r} is not in an object")


def _run(task: tuple[str, str, str, bytes, bytes]) -> dict[str, Any]:
    """One design over one trace, in a worker: the document's JSON and the trace's columns in,
    the figures out."""
    from fleetcore._sim import simulated_totals

    design_id, trace_name, text, times, values = task
    t = array_of(times)
    v = array_of(values)
    # The totals of `fleetcore.simulate`, without the per-step columns and the action log.
    totals = simulated_totals(text, trace_module.Trace(t, v, source=trace_name))
    row: dict[str, Any] = {"design": design_id, "trace": trace_name}
    for key in FIGURES:
        source = "capacity_hours" if key == "member_hours" else key
        value = float(totals.get(source, 0.0) or 0.0)
        row[key] = int(value) if key in COUNTS else value
    return row


def array_of(data: bytes) -> Any:
    import array

    a = array.array("d")
    a.frombytes(data)
    if sys.byteorder == "big":
        a.byteswap()
    return a


class Sweep:
    """The results of ``sweep``: ``frame`` (a pandas ``DataFrame``: one row per design and
    trace, the grid's fields as columns, then ``cost`` by purchasing option,
    ``slo_breach_minutes``, ``member_hours``, ``launches``, ``terminations``,
    ``interruptions``, ``scaling_changes``) and ``front`` (the rows on the Pareto front of
    cost against SLO breach minutes, per trace: no other design of that trace is as cheap and
    as good on both with one strictly better). ``documents`` maps each design id to its
    controller document."""

    def __init__(self, frame: Any, documents: dict[str, dict[str, Any]], fields: list[str], seconds: float) -> None:
        self.frame = frame
        self.documents = documents
        self.fields = fields
        self.seconds = seconds
        self.front = frame[frame["pareto"]].sort_values(["trace", "cost"]).reset_index(drop=True)

    def best_design(self, *, slo_budget_minutes: float, trace: str | None = None) -> str:
        """The id of the cheapest design whose SLO breach is within ``slo_budget_minutes`` (on
        ``trace``, or summed over every trace). Raises ``ValueError`` when no design meets the
        budget."""
        frame = self.frame if trace is None else self.frame[self.frame["trace"] == trace]
        by = frame.groupby("design")[["cost", "slo_breach_minutes"]].sum()
        ok = by[by["slo_breach_minutes"] <= slo_budget_minutes]
        if ok.empty:
            raise ValueError(
                f"no design keeps the SLO breach within {slo_budget_minutes:g} minutes "
                f"(the least is {by['slo_breach_minutes'].min():g})"
            )
        return str(ok["cost"].idxmin())

    def best(self, *, slo_budget_minutes: float, trace: str | None = None) -> dict[str, Any]:
        """The controller document of ``best_design``."""
        return copy.deepcopy(self.documents[self.best_design(slo_budget_minutes=slo_budget_minutes, trace=trace)])

    def plot(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        colour_by: str | None = None,
        slo_budget_minutes: float | None = None,
        title: str | None = None,
        ax: Any = None,
        fig: Any = None,
    ) -> Any:
        """Cost against SLO breach minutes, one point per design and trace, the Pareto front
        of each trace joined in black; returns the figure (saved to ``path`` when given). No
        global backend switch.

        Args:
            colour_by: the grid field whose value colours each point (default: the first
                field with more than one value); up to ten values get a colour each in the
                legend, more a colour scale.
            slo_budget_minutes: draws the budget as a line and marks ``best_design`` under it
                (summed over traces, as ``best_design`` chooses).
            title: the figure's title (default: how many designs over which traces).
        """
        from fleetcore.plot import DESIGN_COLOURS, check_folder

        check_folder(path, "plot")
        from matplotlib.figure import Figure

        if ax is None:
            fig = fig if fig is not None else Figure(figsize=(9.5, 5), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        frame = self.frame
        if colour_by is None:
            colour_by = next((f for f in self.fields if frame[f].astype(str).nunique() > 1), None)
        elif colour_by not in self.fields:
            raise ValueError(f"colour_by must be one of the grid's fields ({', '.join(self.fields)}), not {colour_by!r}")
        traces = list(dict.fromkeys(frame["trace"]))
        markers = "osD^v<>p*h"
        short = colour_by.rsplit(".", 1)[-1] if colour_by is not None else ""
        keys = frame[colour_by].map(_key) if colour_by is not None else None
        distinct = sorted(set(keys), key=_order) if keys is not None else []
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in distinct)
        scale = None
        if colour_by is not None and len(distinct) > len(DESIGN_COLOURS) and numeric:
            from matplotlib import colormaps
            from matplotlib.colors import Normalize

            scale = (colormaps["viridis"], Normalize(min(distinct), max(distinct)))
        for n, name in enumerate(traces):
            rows = frame[frame["trace"] == name]
            marker = markers[n % len(markers)]
            suffix = f" ({name})" if len(traces) > 1 else ""
            if keys is None:
                ax.scatter(rows["slo_breach_minutes"], rows["cost"], s=16, alpha=0.6, marker=marker, label=f"designs{suffix}")
            elif scale is not None:
                cmap, norm = scale
                points = ax.scatter(
                    rows["slo_breach_minutes"], rows["cost"], s=16, alpha=0.7, marker=marker,
                    c=[float(v) for v in keys[rows.index]], cmap=cmap, norm=norm,
                )
                if n == 0:
                    fig.colorbar(points, ax=ax, label=short)
            else:
                for value, colour in zip(distinct, itertools.cycle(DESIGN_COLOURS)):
                    these = rows[keys[rows.index] == value]
                    if len(these):
                        ax.scatter(
                            these["slo_breach_minutes"], these["cost"], s=16, alpha=0.7, marker=marker,
                            color=colour, label=f"{value}{suffix}" if n == 0 or suffix else None,
                        )
            front = rows[rows["pareto"]].sort_values("slo_breach_minutes")
            ax.plot(
                front["slo_breach_minutes"], front["cost"], color="black", lw=1.2, marker=marker,
                mfc="none", ms=8, label=f"Pareto front{suffix}",
            )
        if slo_budget_minutes is not None:
            ax.axvline(slo_budget_minutes, color="#d62728", ls="--", lw=1.0, label=f"SLO budget ({slo_budget_minutes:g} min)")
            try:
                best = self.best_design(slo_budget_minutes=slo_budget_minutes)
            except ValueError:
                best = None
            if best is not None:
                chosen = frame[frame["design"] == best]
                ax.scatter(
                    chosen["slo_breach_minutes"], chosen["cost"], s=180, marker="*", color="#d62728",
                    edgecolor="black", zorder=5, label=f"chosen: {best}",
                )
        ax.set_xlabel("SLO breached, minutes over the trace")
        ax.set_ylabel("cost over the trace (the document's prices)")
        ax.set_title(
            title if title is not None else f"{len(self.documents)} designs over {', '.join(map(str, traces))}: cost against SLO breach"
        )
        ax.grid(True, alpha=0.3)
        # Beside the axes, so that no point hides behind it.
        ax.legend(
            fontsize="small", title=short if keys is not None and scale is None else None,
            loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
        )
        if path is not None:
            fig.savefig(path)
        return fig

    def _repr_html_(self) -> str:
        traces = self.frame["trace"].nunique()
        return (
            f"<div><b>Sweep</b>: {len(self.documents)} designs × {traces} trace{'' if traces == 1 else 's'} "
            f"in {self.seconds:.1f} s; the Pareto front of cost against SLO breach:</div>"
            + self.front.to_html(index=False, float_format=lambda v: f"{v:,.2f}")
        )

    def __repr__(self) -> str:
        return f"Sweep({len(self.documents)} designs, {len(self.frame)} runs, {len(self.front)} on the front)"


def _key(value: Any) -> Any:
    """A grid value as something hashable and short enough for a legend: a list of overrides
    as its instance types (``m5.large, c5.large:2`` with a weight other than 1), any other
    list or object as its JSON, cut at 40 characters."""
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if isinstance(value, list) and value and all(isinstance(v, dict) and "instance_type" in v for v in value):
        return ", ".join(
            str(v["instance_type"]) + ("" if v.get("weight", 1) == 1 else f":{v['weight']}") for v in value
        )
    text = json.dumps(value, separators=(",", ":"))
    return text if len(text) <= 40 else text[:39] + "…"


def _order(value: Any) -> tuple[int, Any]:
    """Numbers by value, then everything else by its text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value))


def _traces(traces: Any) -> list[tuple[str, bytes, bytes]]:
    """``(name, times, values)`` of each trace: a mapping names them; a list of traces or
    paths is named by their sources; anything else is one trace."""

    def one(t: Any) -> bool:
        return isinstance(t, (trace_module.Trace, str, os.PathLike))

    if isinstance(traces, Mapping):
        named = [(str(k), trace_module.load(v)) for k, v in traces.items()]
    elif isinstance(traces, (list, tuple)) and traces and all(one(t) for t in traces):
        named = []
        for t in traces:
            loaded = trace_module.load(t)
            named.append((os.path.basename(str(loaded.source)) if not isinstance(t, trace_module.Trace) else t.source, loaded))
    else:
        loaded = trace_module.load(traces)
        # A file is named by its name and a Trace by its source, as in a list of them.
        if isinstance(traces, (str, os.PathLike)):
            name = os.path.basename(os.fspath(traces))
        elif isinstance(traces, trace_module.Trace):
            name = os.path.basename(str(traces.source))
        else:
            name = "trace"
        named = [(name, loaded)]
    names = [n for n, _ in named]
    if len(set(names)) != len(names):
        raise ValueError(f"two traces share a name ({names}): pass a mapping of names to traces")
    out = []
    for name, loaded in named:
        times, values = loaded.columns()
        out.append((name, times, values))
    return out


def _pareto(frame: Any) -> list[bool]:
    """Whether each row is on its trace's cost-vs-SLO Pareto front (no other row of the same
    trace is at most as costly and at most as late, and better in one). O(n log n): rows sorted
    by cost then breach; a row is on the front when its breach is below every cheaper group's
    best breach, and rows equal in both coordinates share their fate."""
    flags = [False] * len(frame)
    costs = frame["cost"].tolist()
    slos = frame["slo_breach_minutes"].tolist()
    by_trace: dict[Any, list[int]] = {}
    for i, t in enumerate(frame["trace"].tolist()):
        by_trace.setdefault(t, []).append(i)
    for rows in by_trace.values():
        rows.sort(key=lambda i: (costs[i], slos[i]))
        best = float("inf")  # least breach among rows strictly cheaper than the current cost
        j = 0
        while j < len(rows):
            k = j
            while k < len(rows) and costs[rows[k]] == costs[rows[j]]:
                k += 1
            # Within one cost the least breach dominates the rest unless they tie it.
            least = slos[rows[j]]
            for i in rows[j:k]:
                flags[i] = slos[i] == least and least < best
            best = min(best, least)
            j = k
    return flags


def sweep(
    document: Document,
    grid: Mapping[str, Sequence[Any]],
    traces: Any,
    *,
    client: Any = None,
    processes: int | None = None,
    progress: bool | None = None,
) -> Sweep:
    """Runs every combination of ``grid`` over ``document`` on every trace.

    Args:
        document: the base design, a controller document (dict, text, bytes or ``Path``).
        grid: field path → values to try, e.g. ``{"groups[0].policies[0].target": [50, 60,
            70], "groups[0].purchase.mixed_instances.on_demand_percent": [0, 20, 100]}``.
        traces: one trace (anything ``fleetcore.trace.load`` reads), a list of them, or a
            mapping of names to them.
        client: a ``dask.distributed.Client``: run on its cluster. ``None``: local processes.
        processes: local worker processes (default: the machine's CPUs; 1 runs in this
            process).
        progress: show progress (default: when the sweep takes more than two seconds; a bar
            with ``tqdm`` when it is installed, in a terminal or in Jupyter).

    Every design is checked by the core's parser before any run: a bad value raises
    ``ConfigError`` naming its field (``ValueError`` for a path that does not exist).
    """
    import pandas as pd

    import fleetcore

    base = json.loads(document_text(document, what="sweep"))
    fields = list(grid)
    choices: list[list[Any]] = []
    for f in fields:
        _segments(f)
        values = grid[f]
        # A bare string would be tried letter by letter, and a bare number is not a list.
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(f"grid[{f!r}] must be a list of the values to try, not {type(values).__name__}")
        choices.append(list(values))  # once: a generator is read once
        if not choices[-1]:
            raise ValueError(f"grid[{f!r}] has no values to try")
    documents: dict[str, dict[str, Any]] = {}
    values_of: dict[str, tuple[Any, ...]] = {}
    for i, combo in enumerate(itertools.product(*choices)):
        doc = copy.deepcopy(base)
        for f, v in zip(fields, combo):
            set_field(doc, f, v)
        design_id = f"d{i}"
        fleetcore.load_config(json.dumps(doc))  # refused here, before any run, with its field
        documents[design_id] = doc
        values_of[design_id] = combo
    named = _traces(traces)
    tasks = [(d, name, json.dumps(doc), t, v) for d, doc in documents.items() for name, t, v in named]
    started = time.perf_counter()
    rows = _execute(tasks, client, processes, progress)
    seconds = time.perf_counter() - started
    frame = pd.DataFrame(rows)
    for j, f in enumerate(fields):
        frame[f] = [values_of[d][j] for d in frame["design"]]
    frame = frame[["design", "trace", *fields, *FIGURES]]
    frame["pareto"] = _pareto(frame)
    return Sweep(frame, documents, fields, seconds)


def _execute(tasks: list[Any], client: Any, processes: int | None, progress: bool | None) -> list[dict[str, Any]]:
    bar = _Progress(len(tasks), progress)
    if client is not None:
        from dask.distributed import as_completed

        futures = client.map(_run, tasks, pure=False)
        by_key = {f.key: i for i, f in enumerate(futures)}
        out: list[Any] = [None] * len(tasks)
        for f in as_completed(futures):
            out[by_key[f.key]] = f.result()
            bar.step()
        bar.close()
        return out
    workers = processes if processes is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(tasks) == 1:
        results = []
        for t in tasks:
            results.append(_run(t))
            bar.step()
        bar.close()
        return results
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = []
        for r in pool.map(_run, tasks, chunksize=max(1, len(tasks) // (4 * workers))):
            results.append(r)
            bar.step()
    bar.close()
    return results


def _terminal() -> bool:
    """Whether stderr is a terminal, where a line can be rewritten in place."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    """A progress bar that appears only once a sweep has run for two seconds (or always /
    never when asked)."""

    def __init__(self, total: int, wanted: bool | None) -> None:
        self.total, self.done, self.wanted = total, 0, wanted
        self.start = time.perf_counter()
        self.bar: Any = None

    def step(self) -> None:
        self.done += 1
        if self.wanted is False:
            return
        if self.bar is None and (self.wanted or time.perf_counter() - self.start > 2.0):
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=self.total, initial=self.done, desc="sweep", unit="run")
            except ImportError:
                self.bar = "plain"
        if self.bar == "plain":
            # Without tqdm: one line rewritten in place on a terminal, a line every 10 % in a
            # log.
            line = f"sweep: {self.done} of {self.total} runs ({time.perf_counter() - self.start:.0f} s)"
            if _terminal():
                end = "\n" if self.done == self.total else ""
                print(f"\r{line}", end=end, file=sys.stderr, flush=True)
            elif self.done == self.total or self.done % max(1, self.total // 10) == 0:
                print(line, file=sys.stderr)
        elif self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar not in (None, "plain"):
            self.bar.close()
