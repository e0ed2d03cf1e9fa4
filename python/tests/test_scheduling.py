"""Scheduled actions with POSIX time zones, the predictive policy, ``fleetcore.forecast`` on a
real trace, and both through ``simulate`` and the CLI config."""

from __future__ import annotations

import json
import sys
import math
from pathlib import Path

import pytest

import fleetcore
sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402
from fleetcore import Group, GroupError, ScalingError, simulate
from fleetcore.__main__ import main

TRACES = Path(__file__).resolve().parents[3] / "shared" / "traces"
TAXI = TRACES / "nyc_taxi.csv"
# 2026-03-28 00:00 UTC: the Saturday before Paris moves to summer time.
SAT = 1_774_656_000


def hourly_taxi() -> list[float]:
    """The taxi trace's hourly means (two half-hour samples each)."""
    values = []
    with open(TAXI, encoding="utf-8") as f:
        next(f)
        for line in f:
            values.append(float(line.rsplit(",", 1)[1]))
    return [(a + b) / 2 for a, b in zip(values[::2], values[1::2])]


def settle(g: Group, now: float) -> None:
    for _ in range(10):
        actions = g.tick(now)
        if not actions:
            return
        for a in actions:
            if a.kind == "launch":
                g.booted(now, a.id)
            elif a.kind == "terminate":
                g.terminated(now, a.id)


def test_a_recurrence_follows_the_zones_daylight_saving() -> None:
    g = Group(1, 10, seed=1)
    g.put_scheduled_action(
        SAT, "morning", recurrence="0 8 * * *", time_zone="CET-1CEST,M3.5.0,M10.5.0/3", desired_capacity=4
    )
    ((name, first),) = g.scheduled_actions
    assert name == "morning"
    assert first == SAT + 7 * 3600  # 08:00 CET is 07:00 UTC on Saturday
    settle(g, first)
    assert g.desired == 4
    ((_, second),) = g.scheduled_actions
    assert second == SAT + 86_400 + 6 * 3600  # Sunday is summer time: 08:00 CEST = 06:00 UTC


def test_scheduled_action_errors_carry_their_codes() -> None:
    g = Group(1, 10)
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "x", recurrence="61 * * * *", desired_capacity=1)
    assert e.value.code == 1215
    assert str(e.value).startswith("minute 61 is out of range 0-59")
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "x", recurrence="61 * * *", desired_capacity=1)
    assert e.value.code == 1207
    with pytest.raises(ScalingError) as e:
        g.put_scheduled_action(0, "x", recurrence="0 * * * *", time_zone="CET-1CEST,M13.5.0", desired_capacity=1)
    assert e.value.code == 1209
    g.put_scheduled_action(0, "a", start_s=3600, desired_capacity=2)
    with pytest.raises(GroupError) as e:
        g.put_scheduled_action(0, "b", start_s=3600, desired_capacity=3)
    assert e.value.code == 1124
    with pytest.raises(GroupError) as e:
        g.delete_scheduled_action("nope")
    assert e.value.code == 1126
    assert [n for n, _ in g.scheduled_actions] == ["a"]
    g.delete_scheduled_action("a")
    assert g.scheduled_actions == []


def test_forecast_of_real_taxi_demand_is_close_to_the_next_day() -> None:
    hours = hourly_taxi()
    history, actual = hours[: 14 * 24], hours[14 * 24 : 15 * 24]
    predicted = fleetcore.forecast(history, horizon=24)
    assert len(predicted) == 24
    mape = sum(abs(p - a) / a for p, a in zip(predicted, actual)) / 24
    assert mape < 0.2, f"MAPE {mape:.1%}"
    # The mean of each hour, so the same history gives the same numbers.
    assert fleetcore.forecast(history, horizon=24) == predicted


def test_forecast_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="24 hours"):
        fleetcore.forecast([1.0] * 23)
    with pytest.raises(ValueError, match="horizon"):
        fleetcore.forecast([1.0] * 48, horizon=49)
    with pytest.raises(ValueError):
        fleetcore.forecast([1.0] * 47 + [math.nan])


@pytest.mark.parametrize("mode", ["forecast_and_scale", "ForecastAndScale"])
def test_the_canonical_and_the_aws_spelling_are_one_mode(mode: str) -> None:
    """Both spellings name the same mode (the core's vocabulary): the policy scales out."""
    g = Group(1, 20, seed=3)
    g.put_metric("Requests", 60)
    g.put_predictive_policy("Requests", target_per_member=100, mode=mode)
    for h in range(48):
        load = 900 if h % 24 == 10 else 200
        g.record(h * 3600 + 1800, "Requests", load)
        settle(g, h * 3600 + 1800)
    g.set_desired(58 * 3600 - 400, 1)
    settle(g, (48 + 10) * 3600 - 300)
    assert g.desired == 9  # scales: the mode is ForecastAndScale however it is spelled


def test_the_group_learns_its_load_and_scales_ahead() -> None:
    g = Group(1, 20, seed=3)
    g.put_metric("Requests", 60)
    with pytest.raises(fleetcore.ArgumentError, match="mode must be one of forecast_only or forecast_and_scale") as info:
        g.put_predictive_policy("Requests", target_per_member=100, mode="Sometimes")
    assert isinstance(info.value, ValueError) and info.value.code == 3
    assert "ForecastAndScale" in str(info.value) and '"Sometimes"' in str(info.value)
    g.put_predictive_policy("Requests", target_per_member=100, mode="ForecastAndScale")
    assert g.forecast() == []
    for h in range(48):
        load = 900 if h % 24 == 10 else 200
        g.record(h * 3600 + 1800, "Requests", load)
        settle(g, h * 3600 + 1800)
    g.set_desired(58 * 3600 - 400, 1)
    settle(g, (48 + 10) * 3600 - 300)
    assert g.desired == 9  # ⌈900 / 100⌉, five minutes before 10:00
    hours = g.forecast()
    assert len(hours) == 48
    assert all(load is not None for _, load in hours)


def test_simulate_with_predictive_and_scheduled_from_a_config(tmp_path: Path) -> None:
    config = document(
        min_size=2,
        max_size=60,
        default_instance_warmup_s=180,
        metrics=[{"name": "CPU"}, {"name": "Passengers", "source": "group"}],
        policies=[{"type": "target_tracking", "metric": 0, "target": 60}],
        predictive={"metric": 1, "target_per_member": 600, "mode": "ForecastAndScale"},
        scheduled_actions=[
            {"name": "rush", "recurrence": "30 6 * * MON-FRI", "time_zone": "EST5EDT,M3.2.0,M11.1.0", "min_size": 12},
            {"name": "calm", "recurrence": "0 10 * * MON-FRI", "time_zone": "EST5EDT,M3.2.0,M11.1.0", "min_size": 2},
        ],
        simulation={"seed": 5},
    )
    world = {"member_capacity": 1000, "boot_time_s": 180, "utilisation_metric": "CPU", "load_metric": "Passengers"}
    rows = []
    with open(TAXI, encoding="utf-8") as f:
        next(f)
        for i, line in enumerate(f):
            if i >= 3 * 7 * 48:
                break
            rows.append(line)
    trace = tmp_path / "taxi3w.csv"
    trace.write_text("timestamp,value\n" + "".join(rows), encoding="utf-8")
    result = simulate(config, trace, **world)
    assert all(2 <= d <= 60 for d in result.desired)
    forecast = list(result.forecast)
    assert all(math.isnan(f) for f in forecast[: 24 * 60 - 1]), "nothing before a day of history"
    assert not math.isnan(forecast[-1])
    # The rush-hour minimum holds capacity at 12 or more on weekday mornings (07:00 EST = 12:00 UTC).
    first_monday_7am = next(
        i for i, t in enumerate(result.t) if int(t) % 86_400 == 12 * 3600 and (int(t) // 86_400 + 3) % 7 == 0
    )
    assert result.desired[first_monday_7am] >= 12
    assert result.to_dataframe()["forecast"].notna().any()

    path = tmp_path / "config.json"
    path.write_text(json.dumps({**config, "simulation": {"seed": 5, **world}}), encoding="utf-8")
    assert main(["simulate", str(path), str(trace)]) == 0
