"""Load traces from where users have them: ``fleetcore.trace.load(source)`` returns a ``Trace``
(times in seconds since the Unix epoch, loads, the time zone to show them in) that
``fleetcore.simulate`` takes; ``simulate`` also takes each of these sources directly, loaded
with the defaults below.

Sources:

- a CSV file (``str`` or ``os.PathLike``): the NAB layout ``YYYY-MM-DD hh:mm:ss,value``,
  ISO-8601 (``T`` or a space, ``Z`` or ``±hh:mm`` offsets, fractional seconds, a date alone)
  or epoch times (seconds, or milliseconds: a first time of 10^11 or more is milliseconds,
  unless ``time_unit`` says), in any order, with any number of columns (``column`` picks the
  value, ``time_column`` the time), separated by ``,``, ``;`` (then ``,`` may be the decimal
  mark, as spreadsheets in such locales write it) or a tab. Lines before the table header are skipped, so exports
  with a preamble of ``key,value`` lines load as they are: the CSV that the CloudFront
  console downloads from CloudWatch (``Version``, ``Report``, ``StartDateUTC`` ... lines, then
  a table whose ``TimeBucket`` column is the time; CloudFront Developer Guide, "Download
  metrics data in CSV format",
  https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudwatch-csv.html).
- a JSON file (or the parsed ``dict``, a boto3 response included):

  - CloudWatch ``GetMetricData`` (``{"MetricDataResults": [{"Id", "Label", "Timestamps",
    "Values"}]}``; ``Timestamps[i]`` is the time of ``Values[i]``, newest first by default;
    ``column`` picks a result by ``Id`` or ``Label``; results with the same ``Id``, one per
    page, are one metric). Shape: Amazon CloudWatch API
    Reference, ``GetMetricData`` and ``MetricDataResult``
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html).
  - CloudWatch ``GetMetricStatistics`` / ``aws cloudwatch get-metric-statistics``
    (``{"Label", "Datapoints": [{"Timestamp", "Average" | "Sum" | "Minimum" | "Maximum" |
    "SampleCount", "ExtendedStatistics": {"p99": ...}, "Unit"}]}``, in no particular order;
    ``column`` picks the statistic when a datapoint has more than one). Shape: API
    Reference, ``GetMetricStatistics`` and ``Datapoint``
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html).
  - Prometheus ``/api/v1/query_range`` (``{"status": "success", "data": {"resultType":
    "matrix", "result": [{"metric": {labels}, "values": [[unix_time, "value"], ...]}]}}``;
    values are strings and may be ``"NaN"``; ``column`` picks a series by index or by a
    mapping of labels it must have). Shape: Prometheus HTTP API, "Range queries" and
    "Range vectors" (https://prometheus.io/docs/prometheus/latest/querying/api/).

- a pandas ``Series`` or ``DataFrame`` with a ``DatetimeIndex`` (any time zone; naive is
  read in ``tz``; ``column`` picks a frame's column), or a ``DataFrame`` with its times in a
  column (``time_column``, by default its only ``datetime64`` column);
- numpy ``datetime64`` times with values: ``load(times, values)``, or the tuple
  ``(times, values)`` (how ``simulate`` takes them);
- a sequence of ``(time, value)`` pairs (times as seconds, ``datetime``, pandas
  ``Timestamp`` or ``numpy.datetime64``), or a numpy array of shape (n, 2) in seconds.

pandas and numpy are imported only when given their objects.

Order and missing data: points are sorted by time (a stable sort); two points at the same
time are an error. The trace's interval is the median interval between points (or
``interval_s``); a gap is an interval longer than 1.5 times it. NaN or empty values and gaps
are handled by ``missing``:

- ``"hold"`` (default): a missing value is the last one before it (the first valid value at
  the start); across a gap the last value holds, as it does between any two points.
- ``"zero"``: a missing value is 0; a gap is load 0 from one interval after its last point.
- ``"interpolate"``: linear in time between the valid neighbours (the nearest one at the
  ends); a gap gets points one interval apart on the line between its ends.
- ``"error"``: the first missing value or gap raises ``TraceError``.

Every error about the content is a ``TraceError`` (a ``ValueError``) naming the source, the
row (the file's line number for CSV, the list index for JSON, the position for arrays) and
the column; a missing file is a ``FileNotFoundError`` naming it.
"""

from __future__ import annotations

import array
import calendar
import csv
import datetime as _dt
import errno
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Union

__all__ = ["MISSING_POLICIES", "MissingFile", "Trace", "TraceError", "load"]

#: The ways ``load`` handles NaN, empty values and gaps.
MISSING_POLICIES = ("hold", "zero", "interpolate", "error")

_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
#: Epoch times at or above this are milliseconds (10^11 s is the year 5138; 10^11 ms is 1973).
_MS_FROM = 1e11
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?"
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME_NAME = re.compile(r"time|date|^t$|^ts$|^when$", re.IGNORECASE)
_NAN_TEXT = frozenset({"", "nan", "NaN", "NAN", "null", "None", "NA", "N/A", "-"})
_STATISTICS = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")

Source = Union[str, "os.PathLike[str]", Mapping[str, Any], Sequence[Any], Any]


class TraceError(ValueError):
    """A trace that cannot be read: ``.source`` (the file, or what was given), ``.row`` and
    ``.column`` (``None`` when the problem is not at one place)."""

    def __init__(
        self, message: str, *, source: str, row: int | str | None = None, column: Any = None
    ) -> None:
        where = source
        if row is not None:
            where += f", {row}" if isinstance(row, str) else f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.source = source
        self.row = row
        self.column = column


class MissingFile(FileNotFoundError):
    """A ``FileNotFoundError`` whose text is the message alone (``.filename`` names the
    file)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(errno.ENOENT, message, path)

    def __str__(self) -> str:
        return str(self.strerror)


class Trace:
    """A load trace: ``times`` (seconds since the Unix epoch, ascending, no two equal) and
    ``values`` (finite, non-negative), both ``array.array('d')``; ``tz`` (a ``tzinfo``) is the
    time zone the source's times were written in, used for plotting; ``source`` names where
    it came from; ``interval_s`` is the (lower) median interval between points."""

    __slots__ = ("interval_s", "source", "times", "tz", "values")

    def __init__(
        self,
        times: Iterable[float],
        values: Iterable[float],
        *,
        tz: _dt.tzinfo | None = None,
        source: str = "trace",
    ) -> None:
        self.times = array.array("d", times)
        self.values = array.array("d", values)
        self.tz = tz if tz is not None else _UTC
        self.source = source
        self.interval_s = _median_interval(self.times)

    def __len__(self) -> int:
        return len(self.times)

    def __iter__(self) -> Any:
        return zip(self.times, self.values)

    def __repr__(self) -> str:
        if not self.times:
            return f"Trace({self.source!r}, empty)"
        first = _dt.datetime.fromtimestamp(self.times[0], self.tz).isoformat()
        last = _dt.datetime.fromtimestamp(self.times[-1], self.tz).isoformat()
        return (
            f"Trace({self.source!r}, {len(self)} point{'' if len(self) == 1 else 's'}, {first} .. {last}, "
            f"every {self.interval_s:g} s)"
        )

    def columns(self) -> tuple[bytes, bytes]:
        """Times and values as little-endian ``f64`` bytes (what the simulator reads)."""
        if sys.byteorder == "little":
            # One copy each, not two: a 7-month trace's columns are 5 MB (issue 20).
            return self.times.tobytes(), self.values.tobytes()
        times, values = array.array("d", self.times), array.array("d", self.values)
        times.byteswap()
        values.byteswap()
        return times.tobytes(), values.tobytes()


def load(
    source: Source,
    values: Sequence[float] | Any = None,
    *,
    column: int | str | Mapping[str, str] | None = None,
    time_column: int | str | None = None,
    time_unit: str | None = None,
    tz: str | _dt.tzinfo | None = None,
    missing: str = "hold",
    interval_s: float | None = None,
) -> Trace:
    """Reads a trace from any of the sources of the module docs.

    Args:
        source: a path, a parsed JSON document, a pandas object, numpy ``datetime64`` times
            (with ``values``), a sequence of ``(time, value)`` pairs or a ``Trace``.
        values: the values, when ``source`` holds only the times.
        column: which values: a CSV column (name or index), a ``DataFrame`` column, a
            ``GetMetricData`` result (``Id`` or ``Label``), a ``GetMetricStatistics``
            statistic, or a Prometheus series (index, or a mapping of labels).
        time_column: the CSV's time column (name or index); by default the column whose
            header says time or date, else the first that holds dates. For a ``DataFrame``
            whose index is not a ``DatetimeIndex``: the column of times (by default its only
            ``datetime64`` column), as ``pandas.read_csv`` returns a file.
        time_unit: ``"s"`` or ``"ms"`` for epoch times (default: by magnitude).
        tz: the zone of times written without an offset (an IANA name such as
            ``"America/New_York"``, or a ``tzinfo``; default UTC), and the zone plots show.
        missing: ``"hold"``, ``"zero"``, ``"interpolate"`` or ``"error"`` (module docs).
        interval_s: the trace's interval, for finding gaps (default: the median interval).

    Raises ``TraceError`` naming the source, row and column; ``FileNotFoundError`` naming a
    missing file.
    """
    if missing not in MISSING_POLICIES:
        raise ValueError(f"missing must be one of {', '.join(MISSING_POLICIES)}, not {missing!r}")
    if time_unit not in (None, "s", "ms"):
        raise ValueError(f"time_unit must be 's' or 'ms', not {time_unit!r}")
    zone = _zone(tz)
    if isinstance(source, Trace):
        if values is not None:
            raise TypeError("load(Trace) takes no values")
        return source
    raw = _read(source, values, column, time_column, time_unit, zone)
    return _finish(raw, missing, interval_s)


_SAME = object()  # "the column being read", in _Raw.error


class _Raw:
    """Points as read: (time s, value or NaN, row label) plus where they came from."""

    def __init__(self, source: str, column: Any, tz: _dt.tzinfo) -> None:
        self.source = source
        self.column = column
        self.tz = tz
        self.times: list[float] = []
        self.values: list[float] = []
        self.rows: list[int | str] = []
        self.lines = False  # rows are a file's line numbers

    def label(self, row: int | str) -> int | str:
        return f"line {row}" if self.lines and isinstance(row, int) else row

    def error(self, message: str, row: int | str | None = None, column: Any = _SAME) -> TraceError:
        return TraceError(message, source=self.source, row=row, column=self.column if column is _SAME else column)


def _zone(tz: str | _dt.tzinfo | None) -> _dt.tzinfo:
    if tz is None:
        return _UTC
    if isinstance(tz, _dt.tzinfo):
        return tz
    if tz.upper() == "UTC":
        return _UTC
    try:
        from zoneinfo import ZoneInfo
    except ImportError:  # pragma: no cover - Python 3.8 has no zoneinfo; requires-python is 3.9
        raise ValueError(f"time zone {tz!r} needs the zoneinfo module") from None
    try:
        return ZoneInfo(tz)
    except Exception:
        raise ValueError(f"unknown time zone {tz!r} (an IANA name such as 'America/New_York')") from None


def _read(
    source: Source,
    values: Any,
    column: Any,
    time_column: Any,
    time_unit: str | None,
    tz: _dt.tzinfo,
) -> _Raw:
    if isinstance(source, (str, os.PathLike)):
        if values is not None:
            raise TypeError("load(path) takes no values: the file holds them")
        return _read_file(os.fspath(source), column, time_column, time_unit, tz)
    if isinstance(source, Mapping):
        return _read_json(source, "JSON document", column, tz)
    kind = type(source).__module__.split(".")[0]
    if kind == "pandas":
        return _read_pandas(source, column, time_column, tz)
    if values is None and isinstance(source, tuple) and len(source) == 2:
        times = source[0]
        if str(getattr(times, "dtype", "")).startswith("datetime64"):
            source, values = source  # (times, values): what load(times, values) takes
    if values is not None:
        return _read_columns(source, values, column, time_unit, tz)
    if kind == "numpy" and getattr(source, "ndim", None) == 2:
        table: Any = source
        if table.shape[1] != 2:
            raise TraceError(f"a trace array must have shape (n, 2), got {table.shape}", source="array")
        return _read_columns(table[:, 0], table[:, 1], column, time_unit, tz)
    return _read_pairs(source, time_unit, tz)


# --- times -----------------------------------------------------------------------------------


def _valid_date(y: int, m: int, d: int) -> bool:
    """Whether the date exists (2014-02-30 does not)."""
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1] if 1 <= y <= 9999 else False


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


class _TimeParser:
    """Text, numbers and date objects to seconds since the epoch; remembers the first offset
    seen, the zone a plot shows when no ``tz`` was given."""

    def __init__(self, tz: _dt.tzinfo, unit: str | None) -> None:
        self.tz = tz
        self.naive_utc = tz is _UTC
        self.unit = unit
        self.offset: _dt.tzinfo | None = None
        self.days: dict[str, int] = {}

    def __call__(self, value: Any) -> float | None:
        if isinstance(value, str):
            text = value.strip().strip('"')
            if self.naive_utc and len(text) == 19 and text[10] in " T" and text[13] == ":" and text[16] == ":":
                fast = self._plain(text)
                if fast is not None:
                    return fast
            m = _ISO.fullmatch(text)
            if m is None:
                try:
                    number = float(text)
                except ValueError:
                    return None
                return self._epoch(number)
            return self._iso(m)
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return self._epoch(float(value))
        if isinstance(value, _dt.datetime):  # pandas Timestamp is one too
            return self._datetime(value)
        if isinstance(value, _dt.date):
            return self._datetime(_dt.datetime(value.year, value.month, value.day))
        if type(value).__module__ == "numpy" and "datetime64" in type(value).__name__:
            import numpy

            ns = value.astype("datetime64[ns]").astype(numpy.int64)
            return None if value != value else int(ns) / 1e9
        return None

    def _plain(self, text: str) -> float | None:
        """``YYYY-MM-DD hh:mm:ss`` in UTC (the NAB layout), with each day computed once."""
        day = self.days.get(text[:10])
        if day is None:
            m = _DATE.fullmatch(text[:10])
            if m is None or not _valid_date(int(m[1]), int(m[2]), int(m[3])):
                return None
            day = self.days[text[:10]] = _days_from_civil(int(m[1]), int(m[2]), int(m[3])) * 86_400
        clock = text[11:]
        if not (clock[:2].isdigit() and clock[3:5].isdigit() and clock[6:].isdigit()):
            return None
        h, mi, sec = int(clock[:2]), int(clock[3:5]), int(clock[6:])
        if h > 24 or mi > 59 or sec > 60:
            return None
        return float(day + h * 3600 + mi * 60 + sec)

    def _epoch(self, number: float) -> float | None:
        if not math.isfinite(number):
            return None
        if self.unit is None:
            self.unit = "ms" if abs(number) >= _MS_FROM else "s"
        return number / 1000 if self.unit == "ms" else number

    def _iso(self, m: re.Match[str]) -> float | None:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        h = int(m[4] or 0)
        mi = int(m[5] or 0)
        s = int(m[6] or 0)
        if not (_valid_date(y, mo, d) and h <= 24 and mi <= 59 and s <= 60):
            return None
        seconds = _days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s
        frac = float("0." + m[7]) if m[7] else 0.0
        zone = m[8]
        if zone is None:
            if self.naive_utc:
                return seconds + frac
            local = _dt.datetime(y, mo, d, tzinfo=self.tz) + _dt.timedelta(hours=h, minutes=mi, seconds=s)
            return local.timestamp() + frac
        if zone in ("Z", "z", "UTC"):
            offset = 0
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = sign * (int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60)
        if self.offset is None:
            self.offset = _UTC if offset == 0 else _dt.timezone(_dt.timedelta(seconds=offset))
        return seconds - offset + frac

    def _datetime(self, value: _dt.datetime) -> float:
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        elif self.offset is None:
            self.offset = value.tzinfo
        return (value - _EPOCH).total_seconds()


def _number(value: Any) -> float | None:
    """A value as a float (NaN for empty or NaN text), ``None`` when it is not a number."""
    if value is None:
        return math.nan
    if isinstance(value, str):
        text = value.strip().strip('"').strip()
        if text in _NAN_TEXT:
            return math.nan
        try:
            return float(text)
        except ValueError:
            return None
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --- CSV and JSON files --------------------------------------------------------------------------


def _read_file(path: str, column: Any, time_column: Any, time_unit: str | None, tz: _dt.tzinfo) -> _Raw:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except FileNotFoundError:
        raise MissingFile(f"trace file {path!r} does not exist", path) from None
    except IsADirectoryError:
        raise IsADirectoryError(errno.EISDIR, f"trace file {path!r} is a folder", path) from None
    except UnicodeDecodeError as e:
        raise TraceError(f"not UTF-8 text ({e.reason} at byte {e.start})", source=path) from None
    head = text.lstrip()
    if head.startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as e:
            raise TraceError(f"invalid JSON: {e.msg}", source=path, row=f"line {e.lineno}") from None
        if not isinstance(document, Mapping):
            raise TraceError(
                "a JSON trace must be a GetMetricData, GetMetricStatistics or Prometheus "
                "query_range response (an object)",
                source=path,
            )
        return _read_json(document, path, column, tz)
    return _read_csv(text, path, column, time_column, time_unit, tz)


_DECIMAL_COMMA = re.compile(r"^\s*(-?\d+),(\d+)\s*$")


def _delimiter(text: str) -> str:
    """``,`` unless every one of the first non-empty lines holds a ``;`` (spreadsheets in
    locales with a decimal comma) or a tab and none a ``,`` outside a ``;`` file."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    for candidate in (";", "\t"):
        if all(candidate in line for line in lines[-min(len(lines), 10) :]) and (
            candidate == ";" or not any("," in line for line in lines)
        ):
            return candidate
    return ","


def _read_csv(
    text: str, path: str, column: Any, time_column: Any, time_unit: str | None, tz: _dt.tzinfo
) -> _Raw:
    delimiter = _delimiter(text)
    rows = [
        (n, row)
        for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        if any(c.strip() for c in row)
    ]
    if delimiter == ";":
        # Spreadsheets that write ';' between fields write ',' as the decimal mark.
        rows = [(n, [_DECIMAL_COMMA.sub(r"\1.\2", c) for c in row]) for n, row in rows]
    parse = _TimeParser(tz, time_unit)
    # The first data row: it holds a date, or only numbers (epoch times and values).
    first = None
    for i, (_, row) in enumerate(rows):
        cells = [c.strip() for c in row]
        dated = any(_ISO.fullmatch(c.strip('"')) for c in cells)
        numeric = len(cells) >= 2 and all(_number(c) is not None for c in cells)
        if dated or numeric:
            first = i
            break
    if first is None:
        # The second non-empty line: the first is most likely a header.
        shown = next((f"line {n} is {delimiter.join(row)[:60]!r}" for n, row in rows[1:2] or rows), "the file is empty")
        raise TraceError(
            "no data rows: each needs a time (ISO-8601 such as 2014-07-01T00:00:00Z, 'YYYY-MM-DD hh:mm:ss', "
            f"or epoch seconds or milliseconds) and a value, separated by ',', ';' or a tab ({shown})",
            source=path,
        )
    header: list[str] | None = None
    if first > 0 and len(rows[first - 1][1]) == len(rows[first][1]):
        header = [c.strip().strip('"') for c in rows[first - 1][1]]
    data = rows[first:]
    width = len(data[0][1])
    names = header if header is not None else [str(i) for i in range(width)]

    def pick(which: Any, what: str) -> int:
        if isinstance(which, int) and not isinstance(which, bool):
            if not -width <= which < width:
                raise TraceError(f"no {what} column {which}: the file has {width} columns ({', '.join(names)})", source=path)
            return which % width
        if header is not None and which in header:
            return header.index(which)
        raise TraceError(f"no {what} column {which!r}: the columns are {', '.join(names)}", source=path)

    first_cells = [c.strip() for c in data[0][1]]
    if time_column is not None:
        t_col = pick(time_column, "time")
    else:
        named = [i for i, name in enumerate(names) if header is not None and _TIME_NAME.search(name)]
        with_dates = [i for i, c in enumerate(first_cells) if _ISO.fullmatch(c.strip('"'))]
        t_col = next(iter(named + with_dates), 0)
    if column is not None:
        v_col = pick(column, "value")
    else:
        candidates = [
            i
            for i, c in enumerate(first_cells)
            if i != t_col and _number(c) is not None and not _ISO.fullmatch(c.strip('"'))
        ]
        if len(candidates) != 1:
            listed = ", ".join(repr(names[i]) for i in candidates) or "none"
            raise TraceError(
                f"choose the value column with column=: the numeric columns are {listed}", source=path
            )
        v_col = candidates[0]
    raw = _Raw(path, names[v_col], tz)
    raw.lines = True
    t_name = names[t_col]
    for line, row in data:
        if len(row) <= max(t_col, v_col):
            raise raw.error(f"{len(row)} fields, expected {width}", f"line {line}", column=None)
        t = parse(row[t_col])
        if t is None:
            raise raw.error(
                f"{row[t_col].strip()!r} is not a time (ISO-8601 such as 2014-07-01T00:00:00Z, "
                "'YYYY-MM-DD hh:mm:ss', or epoch seconds or milliseconds)",
                f"line {line}",
                column=t_name,
            )
        v = _number(row[v_col])
        if v is None:
            raise raw.error(f"{row[v_col].strip()!r} is not a number", f"line {line}")
        raw.times.append(t)
        raw.values.append(v)
        raw.rows.append(line)
    if tz is _UTC and parse.offset is not None:
        raw.tz = parse.offset
    return raw


def _read_json(document: Mapping[str, Any], source: str, column: Any, tz: _dt.tzinfo) -> _Raw:
    if "MetricDataResults" in document:
        return _read_get_metric_data(document, source, column, tz)
    if "Datapoints" in document:
        return _read_get_metric_statistics(document, source, column, tz)
    if isinstance(document.get("data"), Mapping) and "result" in document["data"]:
        return _read_prometheus(document, source, column, tz)
    if document.get("status") == "error" and "errorType" in document:
        # Prometheus's error response: no data, the reason in errorType and error (HTTP API,
        # "Format overview").
        raise TraceError(
            f"the Prometheus query failed ({document.get('errorType')}): {document.get('error', '')}", source=source
        )
    keys = ", ".join(sorted(map(str, document))[:6]) or "none"
    raise TraceError(
        "not a trace: expected CloudWatch GetMetricData (MetricDataResults), "
        f"GetMetricStatistics (Datapoints) or a Prometheus query_range response (data.result); keys: {keys}",
        source=source,
    )


def _choose(items: Sequence[Any], column: Any, source: str, what: str, names: list[str]) -> int:
    if not items:
        raise TraceError(f"no {what} in the document", source=source)
    if column is None:
        if len(items) == 1:
            return 0
        raise TraceError(f"{len(items)} {_plural(what)}: choose one with column= ({', '.join(names)})", source=source)
    if isinstance(column, int) and not isinstance(column, bool):
        if 0 <= column < len(items):
            return column
        raise TraceError(f"no {what} {column}: there are {len(items)}", source=source)
    if isinstance(column, str) and column in names:
        return names.index(column)
    raise TraceError(f"no {what} {column!r}: there are {', '.join(names)}", source=source)


def _plural(noun: str) -> str:
    """``series`` stays ``series``; ``metric data result`` gets an ``s``."""
    return noun if noun.endswith("s") else noun + "s"


def _read_get_metric_data(document: Mapping[str, Any], source: str, column: Any, tz: _dt.tzinfo) -> _Raw:
    results = document["MetricDataResults"]
    ids = [str(r.get("Id", i)) for i, r in enumerate(results)]
    # The CLI and paginators give one result per page: results sharing an Id are one metric.
    names = list(dict.fromkeys(ids))
    labels = {str(r.get("Label", "")): ids[i] for i, r in reversed(list(enumerate(results)))}
    if isinstance(column, str) and column not in names and column in labels:
        column = labels[column]
    chosen = names[_choose(names, column, source, "metric data result", names)]
    raw = _Raw(source, "Values", tz)
    parse = _TimeParser(tz, None)
    for i in (i for i, name in enumerate(ids) if name == chosen):
        result = results[i]
        times, values = result.get("Timestamps", []), result.get("Values", [])
        prefix = f"MetricDataResults[{i}]"
        if len(times) != len(values):
            raise raw.error(f"{len(times)} Timestamps but {len(values)} Values", prefix, column=None)
        for j, (t, v) in enumerate(zip(times, values)):
            _append(raw, parse, t, v, f"{prefix}.Timestamps[{j}]", f"{prefix}.Values[{j}]")
    return raw


def _read_get_metric_statistics(document: Mapping[str, Any], source: str, column: Any, tz: _dt.tzinfo) -> _Raw:
    points = document["Datapoints"]
    raw = _Raw(source, column, tz)
    if not points:
        raise raw.error("no Datapoints")
    present = [s for s in _STATISTICS if s in points[0]]
    extended = list(points[0].get("ExtendedStatistics", {}))
    if column is None:
        if len(present) + len(extended) != 1:
            listed = ", ".join(present + extended) or "none"
            raise raw.error(f"choose the statistic with column= ({listed})", column=None)
        column = (present + extended)[0]
    raw.column = column
    parse = _TimeParser(tz, None)
    for j, point in enumerate(points):
        if column in _STATISTICS:
            value = point.get(column)
        else:
            value = point.get("ExtendedStatistics", {}).get(column)
        if value is None and column not in point and column not in point.get("ExtendedStatistics", {}):
            raise raw.error(f"datapoint has no {column!r} (it has {', '.join(map(str, point))})", f"Datapoints[{j}]")
        _append(raw, parse, point.get("Timestamp"), value, f"Datapoints[{j}].Timestamp", f"Datapoints[{j}]")
    return raw


def _read_prometheus(document: Mapping[str, Any], source: str, column: Any, tz: _dt.tzinfo) -> _Raw:
    if document.get("status", "success") != "success":
        raise TraceError(f"the query failed: {document.get('error', document.get('status'))}", source=source)
    data = document["data"]
    if data.get("resultType", "matrix") != "matrix":
        raise TraceError(
            f"resultType is {data.get('resultType')!r}: a trace needs a range query's 'matrix'", source=source
        )
    series = data["result"]
    names = [
        "{" + ", ".join(f"{k}={v!r}" for k, v in sorted(s.get("metric", {}).items())) + "}" for s in series
    ]
    if isinstance(column, Mapping):
        matches = [i for i, s in enumerate(series) if all(s.get("metric", {}).get(k) == v for k, v in column.items())]
        if len(matches) != 1:
            raise TraceError(
                f"{len(matches)} series have the labels {dict(column)}: there are {', '.join(names)}", source=source
            )
        i = matches[0]
    else:
        i = _choose(series, column, source, "series", names)
    raw = _Raw(source, "values", tz)
    parse = _TimeParser(tz, "s")  # Prometheus times are always Unix seconds
    for j, pair in enumerate(series[i].get("values", [])):
        where = f"data.result[{i}].values[{j}]"
        if not isinstance(pair, Sequence) or len(pair) != 2:
            raise raw.error(f"expected [unix_time, \"value\"], got {pair!r}", where, column=None)
        _append(raw, parse, pair[0], pair[1], where, where)
    return raw


def _append(raw: _Raw, parse: _TimeParser, t: Any, v: Any, t_row: str, v_row: str) -> None:
    seconds = parse(t)
    if seconds is None:
        raise raw.error(f"{t!r} is not a time", t_row, column=None)
    value = _number(v)
    if value is None:
        raise raw.error(f"{v!r} is not a number", v_row, column=None)
    raw.times.append(seconds)
    raw.values.append(value)
    raw.rows.append(v_row)
    if raw.tz is _UTC and parse.offset is not None and len(raw.times) == 1:
        raw.tz = parse.offset


# --- pandas, numpy and Python sequences ----------------------------------------------------------


def _read_pandas(obj: Any, column: Any, time_column: Any, tz: _dt.tzinfo) -> _Raw:
    import pandas

    name = type(obj).__name__
    if isinstance(obj, pandas.DataFrame) and not isinstance(obj.index, pandas.DatetimeIndex):
        # A frame as pandas.read_csv returns it: the times in a column, not the index.
        if time_column is None:
            dated = [c for c in obj.columns if pandas.api.types.is_datetime64_any_dtype(obj[c])]
            time_column = dated[0] if len(dated) == 1 else None
        if time_column is not None:
            if time_column not in obj.columns:
                raise TraceError(
                    f"no time column {time_column!r}: the columns are {', '.join(map(repr, obj.columns))}",
                    source=name,
                )
            times = obj[time_column]
            if not pandas.api.types.is_datetime64_any_dtype(times):
                try:
                    times = pandas.to_datetime(times)
                except (ValueError, TypeError) as e:
                    raise TraceError(f"the times are not dates ({e})", source=name, column=time_column) from None
            obj = obj.drop(columns=[time_column]).set_index(pandas.DatetimeIndex(times))
    elif time_column is not None:
        raise TypeError("time_column= applies to a DataFrame whose times are a column, not its index")
    if isinstance(obj, pandas.DataFrame):
        if column is None:
            numeric = [c for c in obj.columns if pandas.api.types.is_numeric_dtype(obj[c])]
            if len(numeric) != 1:
                raise TraceError(
                    f"choose the column with column=: the numeric columns are {', '.join(map(repr, numeric)) or 'none'}",
                    source="DataFrame",
                )
            column = numeric[0]
        if column not in obj.columns:
            raise TraceError(f"no column {column!r}: the columns are {', '.join(map(repr, obj.columns))}", source="DataFrame")
        series = obj[column]
    elif isinstance(obj, pandas.Series):
        series = obj
        column = obj.name
    else:
        raise TraceError(f"a pandas {name} is not a trace: pass a Series or a DataFrame", source=name)
    index = series.index
    if not isinstance(index, pandas.DatetimeIndex):
        raise TraceError(
            f"the index is a {type(index).__name__}: a trace needs a DatetimeIndex, or a "
            "DataFrame's time column named with time_column= (pandas.to_datetime converts one)",
            source=name,
            column=column,
        )
    raw = _Raw(name, column, tz)
    if index.tz is None:
        # As the CSV reader reads a naive time (zoneinfo's fold=0): an hour that happens twice
        # when clocks go back is the first (daylight) one, and a time that never happens when
        # they go forward is read an hour later.
        import numpy

        index = index.tz_localize(
            tz, ambiguous=numpy.ones(len(index), dtype=bool), nonexistent=pandas.Timedelta(hours=1)
        )
    else:
        raw.tz = index.tz
    if index.hasnans:
        bad = int(index.isna().argmax())
        raise raw.error("the index has a missing time (NaT)", bad)
    ns = index.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[ns]").astype("int64")
    raw.times = (ns / 1e9).tolist()
    values = pandas.to_numeric(series, errors="coerce")
    wrong = values.isna() & series.notna()
    if wrong.any():
        at = int(wrong.to_numpy().argmax())
        raise raw.error(f"{series.iloc[at]!r} is not a number", at)
    raw.values = values.to_numpy(dtype="float64").tolist()
    raw.rows = list(range(len(raw.times)))
    return raw


def _read_columns(times: Any, values: Any, column: Any, time_unit: str | None, tz: _dt.tzinfo) -> _Raw:
    if column is not None:
        raise TypeError("column= does not apply to separate times and values")
    source = "array" if type(times).__module__.split(".")[0] == "numpy" else "sequence"
    raw = _Raw(source, None, tz)
    if len(times) != len(values):
        raise raw.error(f"{len(times)} times but {len(values)} values")
    dtype = str(getattr(times, "dtype", ""))
    if dtype.startswith("datetime64"):
        import numpy

        ns = numpy.asarray(times).astype("datetime64[ns]")
        if numpy.isnat(ns).any():
            raise raw.error("a missing time (NaT)", int(numpy.isnat(ns).argmax()), column="times")
        raw.times = (ns.astype(numpy.int64) / 1e9).tolist()
        for i, v in enumerate(values):
            value = _number(v)
            if value is None:
                raise raw.error(f"{v!r} is not a number", i, column="values")
            raw.values.append(value)
        raw.rows = list(range(len(raw.times)))
        return raw
    parse = _TimeParser(tz, time_unit)
    for i, (t, v) in enumerate(zip(times, values)):
        _append_pair(raw, parse, t, v, i)
    return raw


def _read_pairs(pairs: Any, time_unit: str | None, tz: _dt.tzinfo) -> _Raw:
    raw = _Raw("sequence", None, tz)
    parse = _TimeParser(tz, time_unit or "s")
    try:
        iterator = iter(pairs)
    except TypeError:
        raise TypeError(
            f"a trace cannot be a {type(pairs).__name__}: pass a path, a JSON document, a pandas "
            "object, times and values, or (time, value) pairs"
        ) from None
    for i, pair in enumerate(iterator):
        try:
            t, v = pair
        except (TypeError, ValueError):
            raise raw.error(f"expected a (time, value) pair, got {pair!r}", i) from None
        _append_pair(raw, parse, t, v, i)
    if raw.tz is _UTC and parse.offset is not None:
        raw.tz = parse.offset
    return raw


def _append_pair(raw: _Raw, parse: _TimeParser, t: Any, v: Any, i: int) -> None:
    seconds = parse(t)
    if seconds is None:
        raise raw.error(f"{t!r} is not a time", i, column="time")
    value = _number(v)
    if value is None:
        raise raw.error(f"{v!r} is not a number", i, column="value")
    raw.times.append(seconds)
    raw.values.append(value)
    raw.rows.append(i)


# --- order, gaps and missing values ---------------------------------------------------------------


def _median_interval(times: Sequence[float]) -> float:
    steps = sorted(b - a for a, b in zip(times, times[1:]) if b > a)
    return steps[(len(steps) - 1) // 2] if steps else 0.0  # the lower median


def _finish(raw: _Raw, missing: str, interval_s: float | None) -> Trace:
    if not raw.times:
        raise raw.error("the trace is empty", column=None)
    if all(a < b for a, b in zip(raw.times, raw.times[1:])):
        times, values, rows = raw.times, raw.values, raw.rows
    else:
        order = sorted(range(len(raw.times)), key=raw.times.__getitem__)
        times = [raw.times[i] for i in order]
        values = [raw.values[i] for i in order]
        rows = [raw.rows[i] for i in order]
    for k in range(1, len(times)):
        if times[k] == times[k - 1]:
            at = _dt.datetime.fromtimestamp(times[k], _UTC).isoformat()
            raise raw.error(f"two values at {at} (also {_where(raw.label(rows[k - 1]))})", raw.label(rows[k]), column=None)
    for k, v in enumerate(values):
        if v < 0 or math.isinf(v):
            raise raw.error(f"load {v} must be finite and non-negative", raw.label(rows[k]))
    interval = float(interval_s) if interval_s is not None else _median_interval(times)
    if interval_s is not None and not interval > 0:
        raise ValueError(f"interval_s must be positive, not {interval_s!r}")
    valid = [k for k, v in enumerate(values) if not math.isnan(v)]
    if not valid:
        raise raw.error("every value is missing (NaN or empty)", column=None)
    if missing == "error":
        if len(valid) != len(values):
            k = next(k for k, v in enumerate(values) if math.isnan(v))
            raise raw.error("missing value (NaN or empty; missing='hold', 'zero' or 'interpolate' fills it)", raw.label(rows[k]))
        for k in range(1, len(times)):
            if interval and times[k] - times[k - 1] > 1.5 * interval:
                raise raw.error(
                    f"gap of {times[k] - times[k - 1]:g} s after {_where(raw.label(rows[k - 1]))} (the trace's interval is "
                    f"{interval:g} s; missing='hold', 'zero' or 'interpolate' fills it)",
                    raw.label(rows[k]),
                    column=None,
                )
    elif missing == "hold":
        last = values[valid[0]]
        for k, v in enumerate(values):
            if math.isnan(v):
                values[k] = last
            else:
                last = v
    elif missing == "zero":
        values = [0.0 if math.isnan(v) else v for v in values]
        times, values = _fill_gaps(times, values, interval, lambda a, b, t: 0.0, first_only=True)
    else:  # interpolate
        values = _interpolate(times, values, valid)
        times, values = _fill_gaps(
            times, values, interval, lambda a, b, t: a[1] + (b[1] - a[1]) * (t - a[0]) / (b[0] - a[0]), first_only=False
        )
    return Trace(times, values, tz=raw.tz, source=raw.source)


def _where(row: int | str) -> str:
    return row if isinstance(row, str) else f"row {row}"


def _interpolate(times: list[float], values: list[float], valid: list[int]) -> list[float]:
    out = list(values)
    j = 0  # valid[j] is the last valid point at or before k
    for k, v in enumerate(values):
        if not math.isnan(v):
            continue
        while j + 1 < len(valid) and valid[j + 1] < k:
            j += 1
        before = valid[j] if valid[j] < k else None
        after = next((i for i in valid[j:] if i > k), None)
        if before is None and after is not None:
            out[k] = values[after]
        elif after is None and before is not None:
            out[k] = values[before]
        elif before is not None and after is not None:
            a, b = (times[before], values[before]), (times[after], values[after])
            out[k] = a[1] + (b[1] - a[1]) * (times[k] - a[0]) / (b[0] - a[0])
    return out


def _fill_gaps(
    times: list[float], values: list[float], interval: float, fill: Any, *, first_only: bool
) -> tuple[list[float], list[float]]:
    if not interval:
        return times, values
    out_t, out_v = [times[0]], [values[0]]
    for k in range(1, len(times)):
        a, b = (times[k - 1], values[k - 1]), (times[k], values[k])
        if b[0] - a[0] > 1.5 * interval:
            t = a[0] + interval
            while t < b[0] - 0.5 * interval:
                out_t.append(t)
                out_v.append(fill(a, b, t))
                if first_only:
                    break
                t += interval
        out_t.append(b[0])
        out_v.append(b[1])
    return out_t, out_v

