"""fleetcore.trace: every source format gives the same simulation as the NAB CSV it was made
from (the files are converted from ../shared/traces at test time), the missing-data policies,
and each error naming the source, row and column."""

from __future__ import annotations

import datetime as dt
import json
import sys
import math
import os
import random
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import fleetcore
sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402
from fleetcore import Group, simulate
from fleetcore.trace import Trace, TraceError, load

ROOT = Path(__file__).resolve().parents[2]
TRACES = Path(os.environ.get("FLEETCORE_TRACES", ROOT.parent / "shared" / "traces"))
UTC = dt.timezone.utc
# Two NAB traces: two weeks of taxi demand (regular, half-hourly), and ELB requests (five
# minutes, with gaps).
SOURCES = {"nyc_taxi.csv": 672, "elb_request_count_8c0756.csv": None}


def nab(name: str) -> list[tuple[dt.datetime, float]]:
    path = TRACES / name
    if not path.exists():
        pytest.skip(f"the NAB trace {path} is not here (set FLEETCORE_TRACES)")
    rows = []
    for line in path.read_text().splitlines()[1:]:
        stamp, value = line.split(",")
        rows.append((dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC), float(value)))
    limit = SOURCES[name]
    return rows[:limit] if limit else rows


def group() -> Group:
    g = Group(1, 40, seed=3)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 60, warmup_s=120)
    return g


def run(trace: Any, capacity: float) -> fleetcore.SimulationResult:
    return simulate(group(), trace, member_capacity=capacity, boot_time_s=180)


def iso(t: dt.datetime, fmt: str = "%Y-%m-%dT%H:%M:%S") -> str:
    return t.strftime(fmt)


def epoch(t: dt.datetime) -> int:
    return int(t.timestamp())


# Each converter writes the rows in one format under tmp_path and returns what to pass to
# simulate (a path, a document, a pandas object, or a Trace from load with options).
def nab_csv(rows: list, tmp: Path) -> Any:
    path = tmp / "nab.csv"
    path.write_text("timestamp,value\n" + "".join(f"{iso(t, '%Y-%m-%d %H:%M:%S')},{v:g}\n" for t, v in rows))
    return path


def iso_z_descending(rows: list, tmp: Path) -> Any:
    path = tmp / "iso_z.csv"
    lines = [f"{iso(t)}.000Z,{v:g}\n" for t, v in reversed(rows)]
    path.write_text("time,load\n" + "".join(lines))
    return str(path)


def iso_offset_fraction(rows: list, tmp: Path) -> Any:
    path = tmp / "iso_offset.csv"
    india = dt.timezone(dt.timedelta(hours=5, minutes=30))
    lines = [f"{t.astimezone(india).isoformat(timespec='microseconds')},{v:g}\n" for t, v in rows]
    path.write_text("when,value\n" + "".join(lines))
    return path


def epoch_seconds_chosen_column(rows: list, tmp: Path) -> Any:
    path = tmp / "epoch.csv"
    lines = [f"{epoch(t)},{v * 2:g},{v:g}\n" for t, v in rows]
    path.write_text("epoch,doubled,requests\n" + "".join(lines))
    return load(path, column="requests", time_column="epoch")


def epoch_ms_no_header(rows: list, tmp: Path) -> Any:
    path = tmp / "epoch_ms.csv"
    path.write_text("".join(f"{epoch(t) * 1000},{v:g}\n" for t, v in rows))
    return path


def export_with_preamble(rows: list, tmp: Path) -> Any:
    """A metrics CSV with a preamble of key,value lines before the table and the time in a
    middle column, as the CloudFront console downloads CloudWatch metrics."""
    path = tmp / "export.csv"
    preamble = (
        "Version,1.0\nReport,Metrics\nDistributionID,E1EXAMPLE\n"
        f"StartDateUTC,{iso(rows[0][0], '%m/%d/%y %H:%M')}\nGranularity,ONE_MINUTE\n\n"
    )
    table = "DistributionID,FriendlyName,TimeBucket,Requests,BytesDownloaded\n" + "".join(
        f"E1EXAMPLE,example.com,{iso(t, '%Y-%m-%d %H:%M:%S')},{v:g},{v * 1000:g}\n" for t, v in rows
    )
    path.write_text(preamble + table)
    return load(path, column="Requests")


def get_metric_data(rows: list, tmp: Path) -> Any:
    """`aws cloudwatch get-metric-data` output: newest first (ScanBy TimestampDescending)."""
    newest = list(reversed(rows))
    document = {
        "MetricDataResults": [
            {
                "Id": "other",
                "Label": "CPUUtilization",
                "Timestamps": [t.isoformat() for t, _ in newest],
                "Values": [1.0] * len(newest),
                "StatusCode": "Complete",
            },
            {
                "Id": "m1",
                "Label": "RequestCount",
                "Timestamps": [t.isoformat() for t, _ in newest],
                "Values": [v for _, v in newest],
                "StatusCode": "Complete",
            },
        ],
        "Messages": [],
    }
    path = tmp / "get-metric-data.json"
    path.write_text(json.dumps(document, indent=1))
    return load(path, column="RequestCount")


def get_metric_data_boto3(rows: list, tmp: Path) -> Any:
    """The dict boto3's get_metric_data returns: timestamps are datetime objects."""
    return {
        "MetricDataResults": [
            {"Id": "m1", "Label": "x", "Timestamps": [t for t, _ in rows], "Values": [v for _, v in rows]}
        ]
    }


def get_metric_statistics(rows: list, tmp: Path) -> Any:
    """`aws cloudwatch get-metric-statistics` output: datapoints in no particular order."""
    points = [{"Timestamp": t.isoformat().replace("+00:00", "Z"), "Average": v, "Unit": "Count"} for t, v in rows]
    random.Random(7).shuffle(points)
    path = tmp / "get-metric-statistics.json"
    path.write_text(json.dumps({"Label": "RequestCount", "Datapoints": points}))
    return path


def prometheus(rows: list, tmp: Path) -> Any:
    series = [
        {"metric": {"__name__": "up", "job": "node"}, "values": [[epoch(t), "1"] for t, _ in rows]},
        {"metric": {"__name__": "load", "job": "taxi"}, "values": [[epoch(t), f"{v:g}"] for t, v in rows]},
    ]
    document = {"status": "success", "data": {"resultType": "matrix", "result": series}}
    path = tmp / "query_range.json"
    path.write_text(json.dumps(document))
    return load(path, column={"job": "taxi"})


def pandas_series_new_york(rows: list, tmp: Path) -> Any:
    index = pd.DatetimeIndex([t for t, _ in rows]).tz_convert("America/New_York")
    return pd.Series([v for _, v in rows], index=index, name="load")


def pandas_frame_naive(rows: list, tmp: Path) -> Any:
    index = pd.DatetimeIndex([t.replace(tzinfo=None) for t, _ in rows])
    return pd.DataFrame({"load": [v for _, v in rows], "label": ["x"] * len(rows)}, index=index)


def numpy_datetime64(rows: list, tmp: Path) -> Any:
    times = np.array([np.datetime64(t.replace(tzinfo=None), "s") for t, _ in rows])
    return load(times, np.array([v for _, v in rows]))


def numpy_datetime64_tuple(rows: list, tmp: Path) -> Any:
    """(times, values), as simulate takes them directly."""
    times = np.array([np.datetime64(t.replace(tzinfo=None), "ms") for t, _ in rows])
    return (times, [v for _, v in rows])


def get_metric_data_pages(rows: list, tmp: Path) -> Any:
    """Three pages of one metric, as a paginator's results put together: one Id, three results."""
    third = len(rows) // 3 + 1
    pages = [rows[k : k + third] for k in range(0, len(rows), third)]
    results = [
        {"Id": "m1", "Label": "load", "Timestamps": [t.isoformat() for t, _ in reversed(p)], "Values": [v for _, v in reversed(p)]}
        for p in pages
    ]
    path = tmp / "pages.json"
    path.write_text(json.dumps({"MetricDataResults": results}))
    return path


def datetime_pairs(rows: list, tmp: Path) -> Any:
    return list(rows)


def pandas_read_csv_frame(rows: list, tmp: Path) -> Any:
    """A DataFrame as ``pandas.read_csv(..., parse_dates=[...])`` returns a file: the times in a
    column, a RangeIndex."""
    path = nab_csv(rows, tmp)
    return pd.read_csv(path, parse_dates=["timestamp"])


def pandas_frame_time_column_text(rows: list, tmp: Path) -> Any:
    """The times as text in a named column, the values in another of two numeric ones."""
    frame = pd.DataFrame(
        {"at": [iso(t) + "Z" for t, _ in rows], "load": [v for _, v in rows], "other": [1.0] * len(rows)}
    )
    return load(frame, time_column="at", column="load")


def semicolon_decimal_comma(rows: list, tmp: Path) -> Any:
    """A spreadsheet saved as CSV in a locale with a decimal comma (German, French ...): ';'
    between fields, ',' as the decimal mark."""
    path = tmp / "semicolon.csv"
    lines = [f"{iso(t, '%Y-%m-%d %H:%M:%S')};{v:.1f}\n".replace(".", ",") for t, v in rows]
    path.write_text("Zeitstempel;Wert\n" + "".join(lines))
    return path


def tab_separated(rows: list, tmp: Path) -> Any:
    path = tmp / "trace.tsv"
    path.write_text("time\tvalue\n" + "".join(f"{iso(t)}Z\t{v:g}\n" for t, v in rows))
    return path


def get_metric_statistics_cli_v2(rows: list, tmp: Path) -> Any:
    """`aws cloudwatch get-metric-statistics --statistics Sum` as AWS CLI v2 prints it: its
    default ``cli_timestamp_format`` (``iso8601``) writes ``+00:00``, not v1's ``Z`` (AWS
    CLI User Guide, "Configuration and credential file settings", cli_timestamp_format;
    Datapoint: CloudWatch API Reference, API_Datapoint)."""
    points = [{"Timestamp": t.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "Sum": v, "Unit": "Count"} for t, v in rows]
    random.Random(11).shuffle(points)
    path = tmp / "get-metric-statistics-v2.json"
    path.write_text(json.dumps({"Label": "RequestCount", "Datapoints": points}, indent=4))
    return path


FORMATS: list[Callable[[list, Path], Any]] = [
    iso_z_descending,
    iso_offset_fraction,
    epoch_seconds_chosen_column,
    epoch_ms_no_header,
    export_with_preamble,
    get_metric_data,
    get_metric_data_boto3,
    get_metric_statistics,
    prometheus,
    pandas_series_new_york,
    pandas_frame_naive,
    numpy_datetime64,
    numpy_datetime64_tuple,
    get_metric_data_pages,
    datetime_pairs,
    semicolon_decimal_comma,
    tab_separated,
    pandas_read_csv_frame,
    pandas_frame_time_column_text,
    get_metric_statistics_cli_v2,
]


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_format_gives_the_same_simulation(name: str, tmp_path: Path) -> None:
    rows = nab(name)
    capacity = max(v for _, v in rows) / 10
    expected = run(nab_csv(rows, tmp_path), capacity)
    assert expected.totals["launches"] > 2  # the run does something worth comparing
    for convert in FORMATS:
        result = run(convert(rows, tmp_path), capacity)
        assert list(result.t) == list(expected.t), convert.__name__
        assert list(result.load) == list(expected.load), convert.__name__
        assert result.action_log() == expected.action_log(), convert.__name__
        assert dict(result.totals) == dict(expected.totals), convert.__name__


def test_time_zone_of_the_source_is_kept(tmp_path: Path) -> None:
    rows = nab("nyc_taxi.csv")[:10]
    assert load(iso_offset_fraction(rows, tmp_path)).tz.utcoffset(None) == dt.timedelta(hours=5, minutes=30)
    assert str(load(pandas_series_new_york(rows, tmp_path)).tz) == "America/New_York"
    assert load(nab_csv(rows, tmp_path)).tz == UTC
    assert str(load(nab_csv(rows, tmp_path), tz="Europe/Paris").tz) == "Europe/Paris"
    result = run(pandas_series_new_york(rows, tmp_path), 1000)
    assert str(result.options["tz"]) == "America/New_York"


def test_naive_times_are_read_in_tz(tmp_path: Path) -> None:
    path = tmp_path / "local.csv"
    path.write_text("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:30:00,2\n")
    utc = load(path)
    ny = load(path, tz="America/New_York")
    assert list(ny.times) == [t + 4 * 3600 for t in utc.times]  # EDT is UTC-4


# --- missing values and gaps -----------------------------------------------------------------

GAPPY = [(0, 10.0), (60, math.nan), (120, 30.0), (600, 50.0), (660, 60.0)]


def test_hold() -> None:
    trace = load(GAPPY)
    assert list(trace.times) == [0, 60, 120, 600, 660]
    assert list(trace.values) == [10, 10, 30, 50, 60]
    assert trace.interval_s == 60
    assert list(load([(0, math.nan), (60, 5.0)]).values) == [5, 5]


def test_zero() -> None:
    trace = load(GAPPY, missing="zero")
    assert list(trace.times) == [0, 60, 120, 180, 600, 660]
    assert list(trace.values) == [10, 0, 30, 0, 50, 60]


def test_interpolate() -> None:
    trace = load(GAPPY, missing="interpolate")
    assert list(trace.times) == [0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 660]
    assert trace.values[1] == 20
    assert trace.values[3] == pytest.approx(30 + 20 * 60 / 480)
    assert trace.values[9] == pytest.approx(30 + 20 * 420 / 480)
    assert list(trace.values)[-2:] == [50, 60]


def test_error_policy_names_the_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:01:00,\n2014-07-01 00:02:00,3\n")
    with pytest.raises(TraceError, match=r"t\.csv, line 3, column 'value': missing value") as info:
        load(path, missing="error")
    assert (info.value.row, info.value.column) == ("line 3", "value")
    assert list(load(path).values) == [1, 1, 3]
    gap = tmp_path / "gap.csv"
    gap.write_text("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:01:00,2\n2014-07-01 00:05:00,3\n")
    with pytest.raises(TraceError, match=r"gap\.csv, line 4: gap of 240 s after line 3 \(the trace's interval is 60 s"):
        load(gap, missing="error")


def test_the_gaps_of_a_real_trace() -> None:
    path = TRACES / "elb_request_count_8c0756.csv"
    if not path.exists():
        pytest.skip("the NAB traces are not here")
    with pytest.raises(TraceError, match=r"line 140: gap of 600 s after line 139"):
        load(path, missing="error")
    held, zero, line = load(path), load(path, missing="zero"), load(path, missing="interpolate")
    assert len(held) < len(zero) <= len(line)
    assert held.interval_s == zero.interval_s == 300


# --- errors ---------------------------------------------------------------------------------


def test_a_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(FileNotFoundError, match=r"trace file '.*nowhere\.csv' does not exist") as info:
        load(missing)
    assert info.value.filename == str(missing)
    assert str(info.value) == f"trace file {str(missing)!r} does not exist"  # no "[Errno 2]"


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:05:00,abc\n", {}, r"line 3, column 'value': 'abc' is not a number"),
        ("timestamp,value\n2014-07-01 00:00:00,1\n2014-13-01 00:05:00,2\n", {}, r"line 3, column 'timestamp': '2014-13-01 00:05:00' is not a time"),
        ("timestamp,value\n2014-07-01 00:00:00,1\n2014-02-30 00:05:00,2\n", {}, r"line 3, column 'timestamp': '2014-02-30 00:05:00' is not a time"),
        ("time,value\n2014-07-01T00:00:00Z,1\n2014-02-30T00:05:00+01:00,2\n", {}, r"line 3, column 'time': '2014-02-30T00:05:00\+01:00' is not a time"),
        ("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:05:00\n", {}, r"line 3: 1 fields, expected 2"),
        ("time,a,b\n2014-07-01 00:00:00,1,2\n", {}, r"choose the value column with column=: the numeric columns are 'a', 'b'"),
        ("time,a,b\n2014-07-01 00:00:00,1,2\n", {"column": "c"}, r"no value column 'c': the columns are time, a, b"),
        ("time,a\n2014-07-01 00:00:00,1\n", {"column": 5}, r"no value column 5: the file has 2 columns"),
        ("timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:00:00,2\n", {}, r"line 3: two values at 2014-07-01T00:00:00\+00:00 \(also line 2\)"),
        ("timestamp,value\n2014-07-01 00:00:00,-1\n", {}, r"line 2, column 'value': load -1.0 must be finite and non-negative"),
        ("just words\nno data\n", {}, r"no data rows"),
        # A day-first date is ambiguous: refused, and the message shows the line it met.
        ("Date,Value\n01/07/2014 00:00,5\n", {}, r"no data rows: each needs a time .* \(line 2 is '01/07/2014 00:00,5'\)"),
        ("timestamp,value\n", {}, r"no data rows"),
    ],
)
def test_csv_errors_name_the_file_line_and_column(text: str, kwargs: dict, message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(TraceError) as info:
        load(path, **kwargs)
    assert str(info.value).startswith(f"{path}, " if message.startswith("line") else f"{path}: ")
    assert info.value.source == str(path)
    assert __import__("re").search(message, str(info.value)), str(info.value)


@pytest.mark.parametrize(
    ("document", "kwargs", "message"),
    [
        ({"MetricDataResults": [{"Id": "a", "Timestamps": ["2024-01-01T00:00:00Z"], "Values": []}]}, {}, r"MetricDataResults\[0\]: 1 Timestamps but 0 Values"),
        ({"MetricDataResults": [{"Id": "a"}, {"Id": "b"}]}, {}, r"2 metric data results: choose one with column= \(a, b\)"),
        ({"MetricDataResults": [{"Id": "a", "Timestamps": ["yesterday"], "Values": [1]}]}, {}, r"MetricDataResults\[0\]\.Timestamps\[0\]: 'yesterday' is not a time"),
        ({"Datapoints": [{"Timestamp": "2024-01-01T00:00:00Z", "Average": 1, "Maximum": 2}]}, {}, r"choose the statistic with column= \(Average, Maximum\)"),
        ({"Datapoints": [{"Timestamp": "2024-01-01T00:00:00Z", "Average": 1}, {"Timestamp": "2024-01-01T00:01:00Z"}]}, {}, r"Datapoints\[1\], column 'Average': datapoint has no 'Average'"),
        ({"status": "error", "error": "bad_data", "data": {"result": []}}, {}, r"the query failed: bad_data"),
        ({"status": "success", "data": {"resultType": "vector", "result": []}}, {}, r"resultType is 'vector'"),
        ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [[0, "x"]]}]}}, {}, r"data\.result\[0\]\.values\[0\]: 'x' is not a number"),
        ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {"job": "a"}, "values": []}]}}, {"column": {"job": "b"}}, r"0 series have the labels \{'job': 'b'\}"),
        ({"Items": []}, {}, r"not a trace: expected CloudWatch GetMetricData"),
        # Prometheus's error response has no data (HTTP API, "Format overview",
        # https://prometheus.io/docs/prometheus/latest/querying/api/#format-overview).
        (
            {"status": "error", "errorType": "bad_data", "error": 'invalid parameter "query": 1:5: parse error'},
            {},
            r"the Prometheus query failed \(bad_data\): invalid parameter \"query\": 1:5: parse error",
        ),
        (
            {"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {"i": "a"}}, {"metric": {"i": "b"}}]}},
            {},
            r"2 series: choose one with column=",
        ),
    ],
)
def test_json_errors_name_the_file_and_place(document: dict, kwargs: dict, message: str, tmp_path: Path) -> None:
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(document))
    with pytest.raises(TraceError, match=message) as info:
        load(path, **kwargs)
    assert str(info.value).startswith(str(path))


def test_prometheus_nan_samples_follow_the_policy(tmp_path: Path) -> None:
    document = {
        "status": "success",
        "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [[0, "1"], [60, "NaN"], [120, "3"]]}]},
    }
    assert list(load(document).values) == [1, 1, 3]
    with pytest.raises(TraceError, match=r"JSON document, data\.result\[0\]\.values\[1\], column 'values': missing value"):
        load(document, missing="error")


def test_pandas_and_numpy_errors() -> None:
    with pytest.raises(TraceError, match=r"Series, column 'x': the index is a RangeIndex: a trace needs a DatetimeIndex"):
        load(pd.Series([1.0, 2.0], name="x"))
    frame = pd.DataFrame({"a": [1.0], "b": [2.0]}, index=pd.DatetimeIndex(["2024-01-01"]))
    with pytest.raises(TraceError, match=r"DataFrame: choose the column with column=: the numeric columns are 'a', 'b'"):
        load(frame)
    assert list(load(frame, column="b").values) == [2.0]
    series = pd.Series([1.0, -3.0], index=pd.DatetimeIndex(["2024-01-01", "2024-01-02"]), name="x")
    with pytest.raises(TraceError, match=r"Series, row 1, column 'x': load -3.0 must be finite"):
        load(series)
    with pytest.raises(TraceError, match=r"array, row 1, column 'times': a missing time \(NaT\)"):
        load(np.array(["2024-01-01", "NaT"], dtype="datetime64[s]"), [1, 2])
    with pytest.raises(TraceError, match=r"shape \(n, 2\)"):
        load(np.zeros((3, 3)))
    with pytest.raises(TraceError, match=r"sequence, row 1, column 'time': 'soon' is not a time"):
        load([(0, 1), ("soon", 2)])


def test_bad_options() -> None:
    with pytest.raises(ValueError, match=r"missing must be one of hold, zero, interpolate, error"):
        load([(0, 1)], missing="drop")
    with pytest.raises(ValueError, match=r"unknown time zone 'Mars/Olympus'"):
        load([(0, 1)], tz="Mars/Olympus")
    with pytest.raises(TypeError, match=r"a trace cannot be a int"):
        load(5)


def test_a_trace_passes_through_and_describes_itself() -> None:
    trace = load([(1_404_172_800, 1.0), (1_404_174_600, 2.0)])
    assert load(trace) is trace
    assert isinstance(trace, Trace) and len(trace) == 2
    assert repr(trace) == "Trace('sequence', 2 points, 2014-07-01T00:00:00+00:00 .. 2014-07-01T00:30:00+00:00, every 1800 s)"
    assert fleetcore.trace.load is load and fleetcore.TraceError is TraceError
    assert issubclass(TraceError, ValueError)


def test_cli_reads_any_trace_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fleetcore.__main__ import main

    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            document(
                min_size=1,
                max_size=10,
                metrics=[{"name": "CPU", "period_s": 60}],
                policies=[{"type": "target_tracking", "metric": 0, "target": 50}],
                simulation={"seed": 7, "member_capacity": 100, "boot_time_s": 120},
            )
        )
    )
    start = dt.datetime(2024, 1, 1, tzinfo=UTC)
    rows = [(start + dt.timedelta(minutes=5 * k), 40.0 if k % 12 else 400.0) for k in range(48) if k != 20]
    trace = get_metric_data(rows, tmp_path)  # writes get-metric-data.json with two results
    path = str(tmp_path / "get-metric-data.json")
    assert isinstance(trace, Trace)
    assert main(["simulate", str(config), path]) == 2
    assert "2 metric data results: choose one with column= (other, m1)" in capsys.readouterr().err
    assert main(["simulate", str(config), path, "--column", "m1"]) == 0
    assert "steps              236 of 60 s" in capsys.readouterr().out
    assert main(["simulate", str(config), path, "--column", "m1", "--missing", "error"]) == 2
    err = capsys.readouterr().err
    # Newest first: the point after the gap is index 26, the one before it 27.
    assert "get-metric-data.json, MetricDataResults[1].Values[26]: gap of 600 s after MetricDataResults[1].Values[27]" in err


def test_pandas_and_numpy_stay_optional(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    # Importing fleetcore imports neither pandas nor matplotlib.
    probe = "import sys, fleetcore; print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    # CSV and JSON load with numpy and pandas unavailable.
    import builtins

    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in {"pandas", "numpy"}:
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    rows = [(dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=k), float(k)) for k in range(5)]
    csv_path = iso_z_descending(rows, tmp_path)
    json_path = get_metric_statistics(rows, tmp_path)
    monkeypatch.setattr(builtins, "__import__", blocked)
    assert list(load(csv_path).values) == [0, 1, 2, 3, 4]
    assert list(load(json_path).values) == [0, 1, 2, 3, 4]
    assert list(load(rows).values) == [0, 1, 2, 3, 4]


def test_naive_pandas_times_across_dst_read_as_the_csv_reads_them(tmp_path: Path) -> None:
    """nyc_taxi.csv in New York time holds 2014-11-02 01:00 and 01:30 once each, an hour that
    happens twice: a naive pandas index read with tz= takes the first (daylight) one as the CSV
    reader does, instead of pandas' "Cannot infer dst time" ValueError."""
    path = TRACES / "nyc_taxi.csv"
    if not path.exists():
        pytest.skip("the NAB traces are not here")
    from_csv = load(path, tz="America/New_York")
    frame = pd.read_csv(path)
    from_frame = load(frame, time_column="timestamp", tz="America/New_York")
    indexed = load(frame.set_index(pd.DatetimeIndex(frame["timestamp"]))["value"], tz="America/New_York")
    assert list(from_frame.times) == list(from_csv.times) == list(indexed.times)
    assert list(from_frame.values) == list(from_csv.values)
    with pytest.raises(TraceError, match=r"DataFrame: no time column 'when': the columns are 'timestamp', 'value'"):
        load(frame, time_column="when")
    with pytest.raises(TraceError, match=r"a DatetimeIndex, or a DataFrame's time column named with time_column="):
        load(frame)
