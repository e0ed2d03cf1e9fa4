"""``simulate``: a whole scenario run inside Rust (``fleetcore::sim::Simulator``).

The Rust loop runs with the GIL released and makes no Python call per step; the per-step
columns come back as little-endian bytes wrapped with ``numpy.frombuffer`` (or
``array.array`` without numpy), so a year of one-minute steps stays well under a second.
"""

from __future__ import annotations

import array
import datetime
import html
import json
import os
import struct
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple, Union, cast

from fleetcore._document import Document, check_feeds, document_text, simulated_group
from fleetcore import trace as trace_module
from fleetcore._fleetcore import Group, _Simulation, check_config

__all__ = ["COLUMNS", "LoggedAction", "SimulationResult", "Totals", "simulate"]

#: The per-step columns of a ``SimulationResult``, in order.
COLUMNS = (
    "t",
    "load",
    "desired",
    "capacity",
    "in_service",
    "utilisation",
    "launched",
    "terminated",
    "slo_breach",
    "cost",
    "forecast",
    "on_demand_units",
    "spot_units",
    "interruptions",
    "cost_on_demand",
    "cost_reserved",
    "cost_spot",
)
_FLOAT = frozenset(
    {"t", "load", "utilisation", "cost", "forecast", "cost_on_demand", "cost_reserved", "cost_spot"}
)
_COLUMN_NAMES = frozenset(COLUMNS)
#: Held while a result builds a column from its simulation.
_COLUMNS_LOCK = threading.Lock()
_CHUNK = 65_536

#: The world's settings a document's ``simulation`` section (or ``simulate``'s arguments) give.
_WORLD_KEYS = (
    "step_s",
    "member_capacity",
    "boot_time_s",
    "slo_utilisation",
    "price_per_hour",
    "utilisation_metric",
    "load_metric",
    "spot_seed",
    "rebalance_lead_s",
)
#: The defaults of those settings (the core's, for a document's section).
_WORLD_DEFAULTS: dict[str, Any] = {
    "step_s": 60,
    "member_capacity": None,
    "boot_time_s": None,
    "slo_utilisation": 90.0,
    "price_per_hour": 1.0,
    "utilisation_metric": None,
    "load_metric": None,
    "spot_seed": 0,
    "rebalance_lead_s": 0,
}

Trace = Union["trace_module.Trace", str, "os.PathLike[str]", Sequence[Sequence[float]], Any]


class LoggedAction(NamedTuple):
    """One action of the log: when (seconds), what (``launch``, ``terminate`` ...), which
    instance."""

    t: float
    kind: str
    id: str


class Totals(Mapping[str, float]):
    """The totals of a run, readable as a mapping or as attributes.

    Keys: ``steps``, ``capacity_hours`` (unit-hours launching or in service),
    ``member_seconds``, ``cost``, ``slo_breach_minutes``, ``launches``, ``terminations``,
    ``scaling_changes`` (steps in which desired capacity changed) and ``interruptions`` (Spot
    notices). With a price table on the group (``Group.set_prices``) the cost is the group's
    own ledger (per-second billing while running, reservations, Spot at the price in effect)
    and the keys ``cost_on_demand``, ``cost_reserved``, ``cost_spot``, ``reservation_coverage``
    and ``reservation_utilisation`` (fractions, ``None`` without use) are there too; without
    one, ``cost`` is ``price_per_hour`` × unit-hours.
    """

    def __init__(self, values: Mapping[str, float]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> float:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> float:
        # Unpickling looks attributes up before `_values` is set: no recursion through it.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"Totals({inner})"


def _column(raw: bytearray, name: str) -> Any:
    try:
        import numpy
    except ImportError:
        code = "d" if name in _FLOAT else ("B" if name == "slo_breach" else "q")
        col = array.array(code)
        col.frombytes(bytes(raw))
        if sys.byteorder == "big":
            col.byteswap()
        return col
    if name == "slo_breach":
        return numpy.frombuffer(raw, dtype=numpy.bool_)
    return numpy.frombuffer(raw, dtype="<f8" if name in _FLOAT else "<i8")


class SimulationResult:
    """What ``simulate`` saw and did, one entry per step in each column.

    Columns (numpy arrays when numpy is importable, else ``array.array``): ``t`` (step start,
    seconds), ``load``, ``desired``, ``capacity`` (members launching or in service after the
    step's tick), ``in_service``, ``utilisation`` (percent, NaN without members in service),
    ``launched``, ``terminated``, ``slo_breach`` (bool), ``cost``, ``forecast`` (the
    predictive policy's forecast load for the step's hour, NaN without one),
    ``on_demand_units`` and ``spot_units`` (capacity by market after the tick),
    ``interruptions`` (Spot notices in the step) and ``cost_on_demand``, ``cost_reserved``,
    ``cost_spot`` (the step's cost by purchasing option; zero without a price table).
    """

    t: Any
    load: Any
    desired: Any
    capacity: Any
    in_service: Any
    utilisation: Any
    launched: Any
    terminated: Any
    slo_breach: Any
    cost: Any
    forecast: Any
    on_demand_units: Any
    spot_units: Any
    interruptions: Any
    cost_on_demand: Any
    cost_reserved: Any
    cost_spot: Any

    def __init__(self, sim: _Simulation, options: Mapping[str, Any]) -> None:
        self.totals = Totals(sim.totals())
        self.group = sim.group()
        self.options = dict(options)
        # Each column and the action log are built on first use, from the simulation kept
        # until then: a 7-month run's 40 MB of columns cost it a tenth of its time to write
        # (issue 20), and 20,000 named tuples as much; a sweep or a plot never reads the log,
        # a plot reads half the columns.
        self._sim: _Simulation | None = sim
        self._steps = sim.done
        self._actions: list[LoggedAction] | None = None

    def __getattr__(self, name: str) -> Any:
        # Reached only for what the instance lacks: a column before its first read.
        # (Unpickling looks attributes up before any is set: no recursion through `_sim`.)
        if name in _COLUMN_NAMES:
            return self._read_column(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _read_column(self, name: str) -> Any:
        """Builds one column from the simulation's record (once: one thread at a time)."""
        with _COLUMNS_LOCK:
            if name not in self.__dict__:
                sim = self._sim
                self.__dict__[name] = _column(sim.column(name) if sim is not None else bytearray(), name)
                self._release()
            return self.__dict__[name]

    def _release(self) -> None:
        # The simulation (its record of the steps, the action log) is let go once the
        # columns and the log are all read.
        if self._actions is not None and all(name in self.__dict__ for name in COLUMNS):
            self._sim = None

    @property
    def actions(self) -> list[LoggedAction]:
        """The actions taken, in order: ``LoggedAction(t, kind, id)`` (``t`` in seconds)."""
        if self._actions is None:
            sim = self._sim
            self._actions = [] if sim is None else [LoggedAction(*a) for a in sim.actions()]
            self._release()
        return self._actions

    def __getstate__(self) -> dict[str, Any]:
        # The simulation behind the lazy columns and action log does not pickle: they go
        # instead.
        for name in COLUMNS:
            getattr(self, name)
        state = dict(self.__dict__)
        state["_actions"] = self.actions
        state["_sim"] = None
        return state

    def __len__(self) -> int:
        if "t" not in self.__dict__:
            return int(self.__dict__.get("_steps", 0))
        return len(self.t)

    def __repr__(self) -> str:
        t = self.totals
        return (
            f"SimulationResult(steps={t['steps']}, launches={t['launches']}, "
            f"terminations={t['terminations']}, capacity_hours={t['capacity_hours']:.2f}, "
            f"cost={t['cost']:.3f}, slo_breach_minutes={t['slo_breach_minutes']:.0f})"
        )

    def action_log(self) -> str:
        """The action log as text: one ``t kind id`` line per action (whole seconds)."""
        return "".join(f"{int(a.t)} {a.kind} {a.id}\n" for a in self.actions)

    def summary(self) -> str:
        """A few readable lines: the span, the totals and the busiest moments."""
        t = self.totals
        steps = int(t["steps"])
        step_s = self.options.get("step_s", 60)
        lines = [
            f"steps              {steps} of {step_s:g} s ({steps * step_s / 86400:.2f} days){self._span()}",
            f"capacity           {min(self.capacity, default=0)}..{max(self.capacity, default=0)} members, "
            f"{t['capacity_hours']:.1f} member-hours",
            f"cost               {t['cost']:.2f}" + _split(t),
            f"SLO breached       {t['slo_breach_minutes']:.0f} min ({_share(t['slo_breach_minutes'] * 60, steps * step_s)})",
            f"launches           {t['launches']}",
            f"terminations       {t['terminations']}",
            f"scaling changes    {t['scaling_changes']}",
        ]
        if max(self.spot_units, default=0) > 0 or t.get("interruptions", 0):
            lines.append(f"Spot interruptions {t['interruptions']}")
        return "\n".join(lines)

    def _span(self) -> str:
        """``, 2014-07-01 00:00 .. 2015-01-31 23:59 America/New_York``: the run's first and last
        minute in the trace's zone (empty for an empty run)."""
        if not len(self):
            return ""
        from fleetcore.plot import _zone, _zone_name

        zone = _zone(self, None)
        first = float(self.t[0])
        last = float(self.t[-1]) + float(self.options.get("step_s", 60)) - 60
        a = datetime.datetime.fromtimestamp(first, zone)
        b = datetime.datetime.fromtimestamp(max(first, last), zone)
        return f", {a:%Y-%m-%d %H:%M} .. {b:%Y-%m-%d %H:%M} {_zone_name(zone, first)}"

    def to_dataframe(self) -> Any:
        """The columns as a pandas ``DataFrame`` indexed by step start: time-zone-aware
        timestamps in the trace's zone (as ``to_csv`` and the plots show them)."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "SimulationResult.to_dataframe needs pandas; install it with `pip install pandas`"
            ) from None
        data = {name: getattr(self, name) for name in COLUMNS}
        frame = pandas.DataFrame(data)
        from fleetcore.plot import _zone

        frame.index = pandas.to_datetime(frame["t"], unit="s", utc=True).dt.tz_convert(_zone(self, None))
        frame.index.name = "time"
        frame["slo_breach"] = frame["slo_breach"].astype(bool)
        return frame

    def plot(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        start: str | datetime.datetime | datetime.date | float | None = None,
        days: float | None = None,
        panels: Sequence[str] = ("load", "units", "utilisation", "cost"),
        title: str | None = None,
        tz: str | datetime.tzinfo | None = None,
        fig: Any = None,
        ax: Any = None,
    ) -> Any:
        """Plots the run: load against serving capacity and the forecast; members by market
        (On-Demand and Spot stacked, Spot interruptions marked) with desired capacity and
        members in service; utilisation against the SLO; and the cumulative cost by
        purchasing option. Returns the ``matplotlib.figure.Figure``.

        Args:
            path: save the figure there (its folder must exist: checked before drawing).
            start: the first day shown: a date or date-time as text (``"2014-11-20"``) or a
                ``datetime``, in the trace's time zone unless it carries one, or a number of
                days from the first step; ``days``: how many days (default: to the end).
            panels: which of ``load``, ``units``, ``utilisation`` and ``cost``, in order.
            title: the figure's title (default: the span shown, the cost and SLO breach).
            tz: the time zone of the date axis (default: the trace's, ``Trace.tz``).
            fig: a ``Figure`` to draw the panels into; ``ax``: the axes to draw on, one per
                panel (a single ``Axes`` for one panel). Without them a new ``Figure`` is
                made without ``pyplot``: the matplotlib backend is never changed.

        ``fleetcore.plot.compare`` draws several results on one figure.
        """
        from fleetcore.plot import plot_result

        return plot_result(
            self, path, start=start, days=days, panels=panels, title=title, tz=tz, fig=fig, ax=ax
        )

    def to_csv(
        self,
        path: str | os.PathLike[str],
        *,
        start: str | datetime.datetime | datetime.date | float | None = None,
        days: float | None = None,
        tz: str | datetime.tzinfo | None = None,
    ) -> int:
        """Writes the per-step columns to a CSV file (``time`` in ISO-8601 with the offset of
        ``tz``, default the trace's zone, then every column), for the window of ``plot``;
        returns the number of rows. Its folder must exist."""
        from fleetcore.plot import _zone, check_folder, window

        check_folder(path, "CSV")
        zone = _zone(self, tz)
        steps = window(self, start, days, zone)
        columns = [getattr(self, name) for name in COLUMNS]
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("time," + ",".join(COLUMNS) + "\n")
            for i in steps:
                when = datetime.datetime.fromtimestamp(float(self.t[i]), zone).isoformat()
                cells = [_cell(c[i]) for c in columns]
                f.write(when + "," + ",".join(cells) + "\n")
        return len(steps)

    def _repr_html_(self) -> str:
        """A table of the totals for Jupyter."""
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:right'>{html.escape(_shown(k, v))}</td></tr>"
            for k, v in self.totals.items()
        )
        span = ""
        if len(self):
            from fleetcore.plot import _zone

            zone = _zone(self, None)
            a = datetime.datetime.fromtimestamp(float(self.t[0]), zone)
            b = datetime.datetime.fromtimestamp(float(self.t[-1]), zone)
            span = f" from {a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M} ({html.escape(str(zone))})"
        return (
            f"<div><b>SimulationResult</b>: {len(self)} steps of {self.options.get('step_s', 60):g} s{span}, "
            f"{len(self.actions)} actions<table>{rows}</table></div>"
        )


def _shown(key: str, value: Any) -> str:
    """A total as a person reads it: shares in percent, money to the cent, hours to a tenth,
    counts whole, with thousands separated."""
    if value is None:
        return ""
    if key.startswith("reservation_"):
        return f"{100 * float(value):.1f} %"
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        v = float(value)
        if key.startswith("cost"):
            return f"{v:,.2f}"
        if key.endswith("hours"):
            return f"{v:,.1f}"
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        return repr(float(value))
    if type(value).__name__ in ("bool", "bool_"):
        return "1" if value else "0"
    return str(value)


def _split(t: Mapping[str, Any]) -> str:
    if "cost_spot" not in t:
        return ""
    return (
        f" (on-demand {t['cost_on_demand']:.2f}, reserved {t['cost_reserved']:.2f}, "
        f"spot {t['cost_spot']:.2f})"
    )


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def _trace_columns(trace: Trace) -> tuple[bytes, bytes, Any]:
    """The trace as little-endian ``f64`` times (seconds) and values, and its time zone."""
    loaded = trace_module.load(trace)
    times, values = loaded.columns()
    return times, values, loaded.tz


def simulate(
    design: Group | Document,
    trace: Trace,
    *,
    group: str | None = None,
    step_s: float | None = None,
    member_capacity: float | None = None,
    boot_time_s: float | None = None,
    slo_utilisation: float | None = None,
    price_per_hour: float | None = None,
    utilisation_metric: int | str | None = None,
    load_metric: int | str | None = None,
    spot_risk: Mapping[tuple[str, str], float] | None = None,
    spot_seed: int | None = None,
    rebalance_lead_s: float | None = None,
    seed: int | None = None,
    progress: bool = False,
) -> SimulationResult:
    """Runs a group through a load trace and returns what it did, step by step.

    Args:
        design: a controller document (the JSON firmware reads: its text, bytes, a
            ``pathlib.Path`` to it, or the parsed dict; see ``examples/taxi.json``), read by
            the core's own parser: the group with its policies and purchasing, and the
            world from its ``simulation`` section. Or a configured ``Group`` (copied; the one
            passed is not changed), with the world given as arguments.
        trace: a ``fleetcore.trace.Trace``, or anything ``fleetcore.trace.load`` reads with
            its defaults (sorted; NaN and gaps held): a CSV or JSON file (NAB, ISO-8601,
            epoch, CloudWatch ``GetMetricData`` / ``GetMetricStatistics``, Prometheus
            ``query_range``), a pandas ``Series``/``DataFrame`` with a ``DatetimeIndex``, a
            tuple of numpy ``datetime64`` times and values, a sequence of ``(time, value)``
            pairs or a numpy array of shape (n, 2). Call
            ``load`` to choose a column, a time zone or another policy for missing data.
            Loads must be finite and non-negative. Each value holds until the next
            timestamp; steps of ``step_s`` start at the first timestamp and reach the last,
            each taking the time-weighted mean load over the step.
        group: the document's group to run (default: the simulation section's, or the only
            one).

    The world (each overrides the document's ``simulation`` section; with a ``Group``, the
    defaults in brackets apply and ``member_capacity`` and ``boot_time_s`` are required):
        step_s: the step length, whole seconds [60].
        member_capacity: the load one member serves at 100 % utilisation.
        boot_time_s: from launch to in service.
        slo_utilisation: utilisation (percent) above which a step breaches the SLO; a step
            with load and no member in service breaches it too [90].
        price_per_hour: cost of one member-hour without a price table [1: cost counts
            member-hours].
        utilisation_metric: the per-member metric (index or name) that gets each member's
            utilisation once per step [the group's first per-member metric].
        load_metric: the group metric that gets the whole load [none].
        spot_risk: how EC2 reclaims Spot capacity: ``{(instance type, zone): chance}``, the
            chance that a running instance of that pool is interrupted within a 30-day month
            (0.05 for the Spot Instance Advisor's "<5 %" band); a document gives it as
            ``spot_interruptions``. Each running Spot member is drawn per step from a
            generator seeded with ``spot_seed``, so runs repeat. Needs a price table.
        spot_seed: seed of those draws [0].
        rebalance_lead_s: from the rebalance recommendation to the 2-minute interruption
            notice (0: both at once); EC2 terminates 2 minutes after the notice. A Spot price
            above a member's max price gives the notice at once [0].
        seed: seed of a document's group's instance ids [the section's, or 0].
        progress: print progress to stderr between chunks of steps.

    Memory: the result's columns take 129 bytes a step (40 MB for 7 months of minutes), each
    built when it is first read; the result keeps what changed from step to step (12 bytes a
    changed figure: about 6 MB for 7 months of the taxi design, in lists with room to grow)
    until every column and the action log are read. When a result is dropped, its column
    storage is kept for the next run of the same length, and its lists of changes, its action
    log and its per-step loads for the next run, so a loop of runs does not map fresh memory
    each time (the column storage of the last two runs at most, 128 MiB at most, and one run's
    lists, log and loads, 64 MiB each at most; nothing a caller still holds is ever reused).
    The Spot draws that may interrupt a member are remembered across runs with the same
    ``spot_seed`` and chances (about 2,300 counters, 18 KB, for 7 months of the taxi design;
    four tables of chances, 8 MB each at most), so the runs of a sweep or a loop after the
    first skip most of that search (about a sixth of a run); the results are the same.

    Raises ``fleetcore.trace.TraceError`` (a ``ValueError``) for a malformed trace,
    ``ConfigError`` for a document the core refuses (``.path`` says where), ``ValueError`` for
    a bad option or a policy reading a metric the simulation never feeds, ``TypeError`` for a
    ``str`` that looks like a path (pass a ``Path``), and the group's exceptions.
    """
    # The world's settings are the keywords named in ``_WORLD_KEYS`` (the one list of them).
    given = {k: v for k, v in locals().items() if k in _WORLD_KEYS}
    sim, options = _started(design, trace, given, group=group, spot_risk=spot_risk, seed=seed, record=True)
    _run_all(sim, progress)
    return SimulationResult(sim, options)


def simulated_totals(design: Document, trace: Trace) -> Totals:
    """The totals of ``simulate(design, trace)``, without keeping the per-step columns, the
    action log or the final group that nobody reads (what a sweep's worker runs)."""
    sim, _ = _started(design, trace, {}, record=False)
    _run_all(sim, False)
    return Totals(sim.totals())


def _run_all(sim: _Simulation, progress: bool) -> None:
    total = len(sim)
    chunk = total if not progress else max(_CHUNK, total // 20)
    while sim.done < total:
        done = sim.run(chunk)
        if progress:
            print(f"simulate: {100 * done // total:3d} % ({done} of {total} steps)", file=sys.stderr)


def _started(
    design: Group | Document,
    trace: Trace,
    given: Mapping[str, Any],
    *,
    group: str | None = None,
    spot_risk: Mapping[tuple[str, str], float] | None = None,
    seed: int | None = None,
    record: bool,
) -> tuple[_Simulation, dict[str, Any]]:
    """The scenario of ``simulate``'s arguments, built and not yet run, and its options;
    ``given`` holds the world's settings ``simulate`` was given (keys of ``_WORLD_KEYS``)."""
    if isinstance(design, Group):
        if group is not None or seed is not None:
            raise ValueError("group= and seed= choose a document's group; a Group is already built")
        world = dict(_WORLD_DEFAULTS)
        world.update({k: v for k, v in given.items() if v is not None})
        text = None
        section: Mapping[str, Any] = {}
    else:
        text = document_text(design, what="simulate")
        checked = json.loads(check_config(text))
        section = checked.get("simulation") or {}
        name = group if group is not None else section.get("group")
        _, entry = simulated_group(checked, name)
        group = entry["name"]
        world = dict(_WORLD_DEFAULTS)
        world.update({k: section[k] for k in _WORLD_KEYS if section.get(k) is not None})
        world.update({k: v for k, v in given.items() if v is not None})
        if spot_risk is None and section.get("spot_interruptions"):
            spot_risk = {(s["instance_type"], s["zone"]): float(s["chance"]) for s in section["spot_interruptions"]}
        feeds = [world.get("utilisation_metric"), world.get("load_metric")]
        if all(f is None or isinstance(f, str) for f in feeds):
            check_feeds(entry, *feeds)  # type: ignore[arg-type]
    missing = [k for k in ("member_capacity", "boot_time_s") if world.get(k) is None]
    if missing:
        where = "the document's simulation section or as arguments" if text is not None else "as arguments"
        raise ValueError(f"give {' and '.join(missing)} in {where}")
    times, values, tz = _trace_columns(trace)
    if text is None:
        # No document text means `design` was a Group (read above).
        built = cast(Group, design)
    else:
        # Alarms, recurrences and reservations start with the trace, not at the epoch.
        start = struct.unpack_from("<d", times)[0] if len(times) >= 8 else 0.0
        ids = seed if seed is not None else int(section.get("seed", 0))
        built = Group.from_document(text, group=group, now_s=start, seed=ids)
    sim = _Simulation(
        built,
        times,
        values,
        **{k: world[k] for k in _WORLD_KEYS},
        spot_risk=None if spot_risk is None else [(ty, zone, float(c)) for (ty, zone), c in spot_risk.items()],
        record=record,
    )
    step_s, member_capacity, boot_time_s = world["step_s"], world["member_capacity"], world["boot_time_s"]
    slo_utilisation, price_per_hour = world["slo_utilisation"], world["price_per_hour"]
    options = {
        "step_s": step_s,
        "member_capacity": member_capacity,
        "boot_time_s": boot_time_s,
        "slo_utilisation": slo_utilisation,
        "price_per_hour": price_per_hour,
        "tz": tz,
    }
    return sim, options
