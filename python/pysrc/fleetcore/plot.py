"""Figures of simulation results: ``result.plot()`` (one design: load, members by market,
utilisation against the SLO and the cumulative cost by purchasing option) and
``compare(results)`` (several designs on one figure).

The x axis is dates in the trace's time zone (``Trace.tz``: the zone of a pandas index, the
first offset of ISO-8601 times, or ``load(tz=...)``; UTC otherwise), or in ``tz`` when given.
Figures are ``matplotlib.figure.Figure`` objects made without ``pyplot``, so the caller's
backend and pyplot's figure list are left alone; pass ``fig=`` (a figure to draw into) or
``ax=`` (axes to draw on) to place the panels yourself. ``path`` saves the figure; a folder
that does not exist is an error before anything is drawn. matplotlib is imported only here.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from fleetcore._sim import SimulationResult

__all__ = ["COLOURS", "PANELS", "compare", "plot_result"]

#: The panels of ``plot_result``, in order.
PANELS = ("load", "units", "utilisation", "cost")

#: One colour per series, none shared within a panel (on-demand and Spot keep their colour
#: from the members panel to the cost panel).
COLOURS = {
    "load": "#222222",
    "serving capacity": "#1f77b4",
    "forecast": "#9467bd",
    "on-demand": "#4c72b0",
    "spot": "#ff7f0e",
    "reserved": "#e377c2",
    "desired": "#d62728",
    "in service": "#2ca02c",
    "interruption": "#000000",
    "utilisation": "#17becf",
    "SLO": "#8c564b",
    "total": "#222222",
}
#: Designs in ``compare`` take these in turn.
DESIGN_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")

Start = Union[str, _dt.datetime, _dt.date, float, None]
Results = Union[Mapping[str, "SimulationResult"], Sequence["SimulationResult"]]


def _matplotlib() -> Any:
    try:
        import matplotlib.dates
        import matplotlib.figure
    except ImportError:
        raise ImportError(
            "plotting needs matplotlib; install it with `pip install matplotlib` or `pip install fleetcore[plot]`"
        ) from None
    return matplotlib


def check_folder(path: str | os.PathLike[str] | None, what: str = "plot") -> None:
    """Raises ``FileNotFoundError`` when the folder ``path`` would be written in is missing."""
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    if not os.path.isdir(folder):
        from fleetcore.trace import MissingFile

        raise MissingFile(f"cannot write the {what} to {os.fspath(path)!r}: the folder {folder!r} does not exist", os.fspath(path))


def _zone(result: SimulationResult, tz: Any) -> _dt.tzinfo:
    from fleetcore.trace import _zone as zone

    if tz is not None:
        return zone(tz)
    found = result.options.get("tz")
    return found if isinstance(found, _dt.tzinfo) else _dt.timezone.utc


def window(result: SimulationResult, start: Start, days: float | None, tz: _dt.tzinfo) -> range:
    """The steps from ``start`` (a date or date-time in ``tz`` as text, a ``datetime``, or days
    from the first step as a number) for ``days`` days (to the end by default)."""
    n = len(result)
    if n == 0:
        return range(0)
    t0 = float(result.t[0])
    if start is None:
        lo = t0
    elif isinstance(start, (int, float)) and not isinstance(start, bool):
        lo = t0 + float(start) * 86_400
    else:
        when: Any = start
        if isinstance(when, str):
            try:
                when = _dt.datetime.fromisoformat(when)
            except ValueError:
                raise ValueError(f"start {start!r} is not a date (YYYY-MM-DD, or YYYY-MM-DDThh:mm)") from None
        if isinstance(when, _dt.date) and not isinstance(when, _dt.datetime):
            when = _dt.datetime(when.year, when.month, when.day)
        if when.tzinfo is None:
            when = when.replace(tzinfo=tz)
        lo = when.timestamp()
    if days is not None and not days > 0:
        raise ValueError(f"days must be positive, not {days!r}")
    hi = lo + days * 86_400 if days is not None else float("inf")
    step = float(result.options.get("step_s", 60))
    first = max(0, min(n, int(-(-(lo - t0) // step))))
    last = n if hi == float("inf") else max(first, min(n, int(-(-(hi - t0) // step))))
    if first >= last:
        end = _dt.datetime.fromtimestamp(float(result.t[-1]), tz)
        begin = _dt.datetime.fromtimestamp(t0, tz)
        raise ValueError(f"the window from {start!r} holds no steps: the run covers {begin:%Y-%m-%d %H:%M} .. {end:%Y-%m-%d %H:%M}")
    return range(first, last)


def _x(result: SimulationResult, steps: range) -> Any:
    """Step starts as matplotlib date numbers (days since matplotlib's epoch, UTC)."""
    mpl = _matplotlib()
    offset = mpl.dates.date2num(_dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc))
    t = result.t[steps.start : steps.stop]
    try:
        return offset + t / 86_400  # numpy
    except TypeError:
        return [offset + v / 86_400 for v in t]


def _column(result: SimulationResult, name: str, steps: range) -> Any:
    return getattr(result, name)[steps.start : steps.stop]


def _date_axis(ax: Any, tz: _dt.tzinfo) -> None:
    mpl = _matplotlib()
    locator = mpl.dates.AutoDateLocator(tz=tz)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator, tz=tz))


def _zone_name(tz: _dt.tzinfo, at: float) -> str:
    key = getattr(tz, "key", None)
    return key if key else (_dt.datetime.fromtimestamp(at, tz).tzname() or str(tz))


def _legend_beside(ax: Any) -> None:
    """The panel's legend to the right of it, one entry a line, where it hides no data."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), borderaxespad=0.0, fontsize="small")


def _axes(fig: Any, ax: Any, count: int, height: float) -> tuple[Any, list[Any]]:
    mpl = _matplotlib()
    if ax is not None:
        axes = [ax] if hasattr(ax, "plot") else list(ax)
        if len(axes) != count:
            raise ValueError(f"ax= needs {count} axes (one per panel), got {len(axes)}")
        return axes[0].figure, axes
    if fig is None:
        fig = mpl.figure.Figure(figsize=(11, height * count + 1), layout="constrained")
    made = fig.subplots(count, 1, sharex=True, squeeze=False)
    return fig, [row[0] for row in made]


def _span(result: SimulationResult, steps: range, tz: _dt.tzinfo) -> str:
    a = _dt.datetime.fromtimestamp(float(result.t[steps.start]), tz)
    b = _dt.datetime.fromtimestamp(float(result.t[steps.stop - 1]), tz)
    return f"{a:%Y-%m-%d %H:%M} .. {b:%Y-%m-%d %H:%M} {_zone_name(tz, float(result.t[steps.start]))}"


def _finish(fig: Any, axes: list[Any], tz: _dt.tzinfo, result: SimulationResult, steps: range, path: Any) -> Any:
    for a in axes:
        _date_axis(a, tz)
    axes[-1].set_xlabel(f"time ({_zone_name(tz, float(result.t[steps.start]))})")
    if path is not None:
        fig.savefig(os.fspath(path))
    return fig


def plot_result(
    result: SimulationResult,
    path: str | os.PathLike[str] | None = None,
    *,
    start: Start = None,
    days: float | None = None,
    panels: Sequence[str] = PANELS,
    title: str | None = None,
    tz: str | _dt.tzinfo | None = None,
    fig: Any = None,
    ax: Any = None,
) -> Any:
    """One design's figure; see ``SimulationResult.plot``."""
    check_folder(path)
    _matplotlib()
    unknown = [p for p in panels if p not in PANELS]
    if unknown or not panels:
        raise ValueError(f"panels must be some of {', '.join(PANELS)}, not {list(panels)!r}")
    zone = _zone(result, tz)
    steps = window(result, start, days, zone)
    fig, axes = _axes(fig, ax, len(panels), 2.4)
    x = _x(result, steps)
    col = lambda name: _column(result, name, steps)  # noqa: E731
    for panel, a in zip(panels, axes):
        if panel == "load":
            capacity = float(result.options.get("member_capacity", 1.0))
            a.plot(x, col("load"), color=COLOURS["load"], lw=0.8, label="load")
            a.plot(x, [c * capacity for c in col("in_service")], color=COLOURS["serving capacity"], lw=0.8, label="serving capacity")
            forecast = col("forecast")
            if any(f == f for f in forecast):  # NaN where no forecast exists yet
                a.plot(x, forecast, color=COLOURS["forecast"], lw=0.8, ls="--", label="forecast (hourly)")
            a.set_ylabel("load")
        elif panel == "units":
            od, spot = col("on_demand_units"), col("spot_units")
            if any(spot):
                stacked = [p + q for p, q in zip(od, spot)]
                a.fill_between(x, 0, od, step="post", alpha=0.35, color=COLOURS["on-demand"], lw=0, label="on-demand")
                a.fill_between(x, od, stacked, step="post", alpha=0.35, color=COLOURS["spot"], lw=0, label="Spot")
                hits = [(xi, s) for xi, s, n in zip(x, stacked, col("interruptions")) if n]
                if hits:
                    a.plot(*zip(*hits), "x", color=COLOURS["interruption"], ms=4, label="Spot interruption")
            a.step(x, col("desired"), where="post", color=COLOURS["desired"], lw=1.0, label="desired")
            a.step(x, col("in_service"), where="post", color=COLOURS["in service"], lw=1.0, ls=":", label="in service")
            a.set_ylabel("capacity units")
        elif panel == "utilisation":
            slo = float(result.options.get("slo_utilisation", 90.0))
            a.plot(x, col("utilisation"), color=COLOURS["utilisation"], lw=0.8, label="utilisation")
            a.axhline(slo, color=COLOURS["SLO"], lw=0.9, ls="--", label=f"SLO ({slo:g} %)")
            a.set_ylim(0, max(150.0, slo * 1.2))
            a.set_ylabel("utilisation, %")
        else:
            parts = [("on-demand", "cost_on_demand"), ("reserved", "cost_reserved"), ("spot", "cost_spot")]
            drawn = False
            for label, name in parts:
                values = col(name)
                if any(values):
                    a.plot(x, list(itertools.accumulate(values)), color=COLOURS[label], lw=1.0, label=label if label != "spot" else "Spot")
                    drawn = True
            total = list(itertools.accumulate(col("cost")))
            a.plot(x, total, color=COLOURS["total"], lw=1.2, ls="--" if drawn else "-", label="total")
            a.set_ylabel("cumulative cost")
        _legend_beside(a)
        a.grid(True, alpha=0.3)
    t = result.totals
    heading = title if title is not None else (
        f"{_span(result, steps, zone)}: cost {t['cost']:,.2f}, SLO breached {t['slo_breach_minutes']:,.0f} min (whole run)"
    )
    if ax is None:
        fig.suptitle(heading)
    else:
        axes[0].set_title(heading)
    return _finish(fig, axes, zone, result, steps, path)


def compare(
    results: Results,
    path: str | os.PathLike[str] | None = None,
    *,
    start: Start = None,
    days: float | None = None,
    title: str | None = None,
    tz: str | _dt.tzinfo | None = None,
    fig: Any = None,
    ax: Any = None,
) -> Any:
    """Several designs over the same trace on one figure: load and each design's serving
    capacity, each design's members in service, and each design's cumulative cost; each
    design keeps one colour across the panels and its legend entry gives its totals.

    ``results`` maps a name to a ``SimulationResult`` (or is a sequence, named ``design 1``
    ...). The window and time zone are the first result's (``start``, ``days`` and ``tz`` as
    in ``SimulationResult.plot``). ``ax=`` takes three axes. Returns the figure.
    """
    check_folder(path)
    _matplotlib()
    named = list(results.items()) if isinstance(results, Mapping) else [(f"design {i + 1}", r) for i, r in enumerate(results)]
    if not named:
        raise ValueError("compare needs at least one result")
    first = named[0][1]
    zone = _zone(first, tz)
    steps = window(first, start, days, zone)
    fig, axes = _axes(fig, ax, 3, 3.0)
    ax_load, ax_units, ax_cost = axes
    ax_load.plot(_x(first, steps), _column(first, "load", steps), color=COLOURS["load"], lw=0.8, label="load")
    drawn: list[tuple[str, list[int]]] = []
    for (name, result), colour in zip(named, itertools.cycle(DESIGN_COLOURS)):
        if len(result) != len(first) or (len(first) and result.t[0] != first.t[0]):
            raise ValueError(f"{name!r} ran over another trace or step: compare designs over one trace")
        x = _x(result, steps)
        capacity = float(result.options.get("member_capacity", 1.0))
        t = result.totals
        members = list(_column(result, "in_service", steps))
        # A design whose members are another's draws exactly over it: the legend says so.
        same = next((other for other, seen in drawn if seen == members), None)
        drawn.append((name, members))
        shown = name if same is None else f"{name} (same as {same})"
        ax_load.plot(x, [c * capacity for c in members], color=colour, lw=0.8, label=shown)
        ax_units.step(x, members, where="post", color=colour, lw=0.9, label=shown)
        label = f"{name}: cost {t['cost']:,.0f}, SLO breached {t['slo_breach_minutes']:,.0f} min (whole run)"
        ax_cost.plot(x, list(itertools.accumulate(_column(result, "cost", steps))), color=colour, lw=1.1, label=label)
    ax_load.set_ylabel("load and serving capacity")
    ax_units.set_ylabel("members in service")
    ax_cost.set_ylabel("cumulative cost")
    for a in (ax_load, ax_units):
        _legend_beside(a)
    # Cumulative costs rise to the right: their upper left is empty, and the labels are long.
    ax_cost.legend(loc="upper left", fontsize="small")
    for a in axes:
        a.grid(True, alpha=0.3)
    heading = title if title is not None else f"{len(named)} designs, {_span(first, steps, zone)}"
    if ax is None:
        fig.suptitle(heading)
    else:
        ax_load.set_title(heading)
    return _finish(fig, axes, zone, first, steps, path)
