"""Scheduled actions in IANA time zones, read through ``zoneinfo`` (SEMANTICS §3.6), and cron
errors that name the field. Cases from the AWS scheduled-scaling docs and the 2026 DST
changes in America/New_York and Europe/Berlin."""

from __future__ import annotations

import calendar
import json
import sys
from pathlib import Path

import pytest

from fleetcore import Group, ScalingError
from fleetcore._tz import posix_rule

sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> int:
    return calendar.timegm((y, mo, d, h, mi, 0))


def next_run(recurrence: str, time_zone: str | None, now: int) -> float | None:
    g = Group(1, 10)
    g.put_scheduled_action(now, "a", recurrence=recurrence, time_zone=time_zone, desired_capacity=2)
    ((_, at),) = g.scheduled_actions
    return at


def test_tzif_footers_are_the_posix_rules() -> None:
    assert posix_rule("America/New_York") == "EST5EDT,M3.2.0,M11.1.0"
    assert posix_rule("Europe/Berlin") == "CET-1CEST,M3.5.0,M10.5.0/3"
    assert posix_rule("Etc/GMT+9") == "<-09>9"
    assert posix_rule("Mars/Olympus_Mons") is None
    assert posix_rule("../../etc/passwd") is None


def test_aws_documentation_examples() -> None:
    # API-ASG:PutScheduledUpdateGroupActionType.Recurrence: "30 0 1 1,6,12 *" (UTC default).
    assert next_run("30 0 1 1,6,12 *", None, utc(2026, 1, 2)) == utc(2026, 6, 1, 0, 30)
    # The console's default zone, Etc/UTC, and a fixed zone from the docs, Etc/GMT+9.
    assert next_run("0 9 * * *", "Etc/UTC", utc(2026, 1, 1)) == utc(2026, 1, 1, 9)
    assert next_run("0 9 * * *", "Etc/GMT+9", utc(2026, 1, 1)) == utc(2026, 1, 1, 18)
    # ASG-UG:ec2-auto-scaling-scheduled-scaling: "30 6 * * 2", Tuesdays at 06:30, in New York.
    assert next_run("30 6 * * 2", "America/New_York", utc(2026, 1, 1)) == utc(2026, 1, 6, 11, 30)
    assert next_run("30 6 * * 2", "America/New_York", utc(2026, 7, 1)) == utc(2026, 7, 7, 10, 30)


def test_new_york_spring_forward_and_fall_back() -> None:
    ny = "America/New_York"
    # 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    assert next_run("0 9 * * *", ny, utc(2026, 3, 7, 15)) == utc(2026, 3, 8, 13)
    assert next_run("30 2 * * *", ny, utc(2026, 3, 7, 12)) == utc(2026, 3, 8, 7)
    # 2026-11-01: 01:30 happens twice; it fires at the first, 05:30 UTC.
    assert next_run("30 1 * * *", ny, utc(2026, 10, 31, 12)) == utc(2026, 11, 1, 5, 30)


def test_berlin_scales_on_local_weekday_mornings() -> None:
    g = Group(1, 10)
    start = utc(2026, 10, 23, 12)  # Friday, CEST
    g.put_scheduled_action(
        start, "morning", recurrence="0 8 * * MON-FRI", time_zone="Europe/Berlin", desired_capacity=3
    )
    # The clocks go back on Sunday the 25th: Monday 08:00 CET is 07:00 UTC.
    assert g.scheduled_actions == [("morning", float(utc(2026, 10, 26, 7)))]
    g.tick(utc(2026, 10, 26, 7))
    assert g.desired == 3


def test_bad_zones_and_cron_fields_say_what_is_wrong() -> None:
    g = Group(1, 10)
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "a", recurrence="0 9 * * *", time_zone="Mars/Olympus_Mons", desired_capacity=2)
    assert e.value.code == 1217
    # This module has the IANA table: the name is wrong, not the build.
    assert "IANA name" in str(e.value) and "feature" not in str(e.value)
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "a", recurrence="0 25 * * *", desired_capacity=2)
    assert e.value.code == 1215
    assert "hour 25 is out of range 0-23" in str(e.value)
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "a", recurrence="*/0 * * * *", desired_capacity=2)
    assert e.value.code == 1216
    assert "minute field" in str(e.value)
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "a", recurrence="0 9 * *", desired_capacity=2)
    assert e.value.code == 1207
    assert g.scheduled_actions == []


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"])
def test_a_document_names_an_iana_zone_as_the_api_does(zone: str) -> None:
    """A controller document's scheduled action may name an IANA zone (the service's
    ``TimeZone``); the module reads it through the core's table and schedules it at the same
    time as ``put_scheduled_action``, which converts through ``zoneinfo``."""
    start = utc(2026, 10, 23, 12)
    action = {"name": "morning", "recurrence": "0 8 * * MON-FRI", "time_zone": zone, "desired_capacity": 3}
    doc = document(min_size=1, max_size=10, scheduled_actions=[action])
    from_doc = Group.from_document(json.dumps(doc), now_s=start)
    g = Group(1, 10)
    g.put_scheduled_action(
        start, "morning", recurrence="0 8 * * MON-FRI", time_zone=zone, desired_capacity=3
    )
    assert from_doc.scheduled_actions == g.scheduled_actions
