"""The JSON configuration documents through the core's parser (``fleetcore.load_config``,
``fleetcore.check_config``): the README's example loads with its defaults, and a bad field
raises ``ConfigError`` saying where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fleetcore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "controller.json"


def test_the_example_loads_with_its_defaults() -> None:
    doc = fleetcore.load_config(EXAMPLE)
    given = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert [t["name"] for t in doc["instance_types"]] == [t["name"] for t in given["instance_types"]]
    assert len(doc["groups"]) == len(given["groups"])
    # Text and bytes read the same; the core's output reads back to itself.
    assert fleetcore.load_config(EXAMPLE.read_bytes()) == doc
    assert fleetcore.load_config(json.dumps(doc)) == doc


def test_a_bad_field_says_where() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    given = json.loads(text)
    given["groups"][0]["max_size"] = "many"
    bad = json.dumps(given, indent=2)
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.load_config(bad)
    e = caught.value
    assert isinstance(e, ValueError)
    assert 1300 <= e.code <= 1399
    assert e.path == "groups[0].max_size"
    assert bad[e.offset :].startswith('"many"')
    assert e.line == bad[: e.offset].count("\n") + 1
    assert "groups[0].max_size" in str(e)


def test_truncated_unknown_and_wrong_kinds() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.check_config(text[: len(text) // 2])
    assert caught.value.offset <= len(text) // 2
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.check_config('{"instance_types": [], "colour": 1}')
    assert caught.value.path == "colour"
    with pytest.raises(ValueError, match="kind must be"):
        fleetcore.check_config("{}", kind="fleet")
    with pytest.raises(TypeError):
        fleetcore.check_config(42)  # type: ignore[arg-type]


def test_a_single_policy_document() -> None:
    policy = fleetcore.load_config('{"type": "target_tracking", "metric": 0, "target": 60}', kind="policy")
    assert policy["type"] == "target_tracking"
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.load_config('{"type": "target_tracking", "metric": 0, "target": -5}', kind="policy")
    assert caught.value.path == "target"


def test_a_group_from_the_document_firmware_reads() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    given = json.loads(text)["groups"][0]
    g = fleetcore.Group.from_document(text, group="sensors", now_s=1000, seed=3)
    assert (g.min_size, g.max_size, g.desired) == (given["min_size"], given["max_size"], given["desired_capacity"])
    assert g.zones == given["zones"]
    assert g.metrics == [m["name"] for m in given["metrics"]]
    assert g.policy_count == len(given["policies"])
    assert len(g.alarms) == len(given["alarms"])
    assert sorted(name for name, _ in g.scheduled_actions) == sorted(a["name"] for a in given["scheduled_actions"])
    # The same document as bytes, and the group on its own, give the same group.
    assert fleetcore.Group.from_document(text.encode(), group="sensors", now_s=1000, seed=3) == g
    alone = json.dumps(given)
    assert fleetcore.Group.from_document(alone, now_s=1000, seed=3) == g
    # And it runs: the simulator takes it like any configured group.
    result = fleetcore.simulate(
        g,
        [(1000 + 60 * i, 100.0 * (i % 30)) for i in range(240)],
        member_capacity=100,
        boot_time_s=120,
    )
    assert len(result) > 0


def test_the_same_document_launches_the_same_template_as_c() -> None:
    # ffi/tests/c/test_config.c builds the same groups through fc_group_init_json: template 0 of
    # the document for "sensors" (version 1 for $Latest), template 1 for "web". Issue 18: with
    # "launch_template_version": "3", C launched lt-00000000000000000 version 3 and Python
    # lt-00000000000000001 version 1.
    given = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for version, expected in (("$Latest", 1), ("3", 3)):
        given["groups"][0]["launch_template_version"] = version
        g = fleetcore.Group.from_document(json.dumps(given), group="sensors", now_s=1000, seed=1)
        launches = [a for a in g.tick(1000) if a.kind == "launch"]
        assert len(launches) >= 3  # the three desired and the warm pool's
        assert {(a.template, a.version) for a in launches} == {("lt-00000000000000000", expected)}
    web = fleetcore.Group.from_document(json.dumps(given), group="web", now_s=1000, seed=1)
    assert [a.template for a in web.tick(1000)] == ["lt-00000000000000001"]


def test_from_document_errors_say_which() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="pass group="):
        fleetcore.Group.from_document(text)
    with pytest.raises(ValueError, match="no group 'nope'"):
        fleetcore.Group.from_document(text, group="nope")
    given = json.loads(text)
    given["groups"][0]["alarms"][0]["metric"] = 7
    bad = json.dumps(given, indent=2)
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.Group.from_document(bad, group="sensors")
    assert caught.value.path == "groups[0].alarms[0].metric"
    assert 1300 <= caught.value.code <= 1399
    with pytest.raises(ValueError, match="not 'sensors'"):
        fleetcore.Group.from_document(json.dumps(given["groups"][1]), group="sensors")
    with pytest.raises(TypeError):
        fleetcore.Group.from_document(12)  # type: ignore[arg-type]


TAXI = ROOT / "examples" / "taxi.json"
TRACE = ROOT.parent / "shared" / "traces" / "nyc_taxi.csv"


def test_the_taxi_design_is_a_controller_document_that_runs_as_given() -> None:
    # Issue 18: `simulate(json.load(open("examples/taxi.json")), trace)` needed the world as
    # keyword arguments although the file held it, and the file was a second dialect.
    doc = json.loads(TAXI.read_text(encoding="utf-8"))
    checked = fleetcore.load_config(TAXI)
    assert checked["groups"][0]["purchase"]["mixed_instances"]["spot_strategy"] == "price-capacity-optimized"
    assert checked["groups"][0]["predictive"]["mode"] == "forecast_and_scale", "the canonical spelling"
    if not TRACE.exists():
        pytest.skip("the NAB traces are not here")
    from fleetcore.trace import load

    loaded = load(TRACE)
    first_day = list(zip(loaded.times[:48], loaded.values[:48]))
    a = fleetcore.simulate(doc, first_day)
    b = fleetcore.simulate(TAXI, first_day)
    c = fleetcore.simulate(TAXI.read_text(encoding="utf-8"), first_day)
    assert a.action_log() == b.action_log() == c.action_log()
    assert a.totals == b.totals
    assert a.totals["cost_spot"] > 0, "the purchase section is in force"
    # The section's values, and an argument overrides one.
    assert a.options["member_capacity"] == 1000
    assert fleetcore.simulate(doc, first_day, member_capacity=2000).options["member_capacity"] == 2000


def test_a_policy_reading_a_metric_nothing_feeds_is_an_error() -> None:
    doc = json.loads(TAXI.read_text(encoding="utf-8"))
    del doc["simulation"]["load_metric"]
    with pytest.raises(ValueError, match=r"predictive of group 'taxi' reads metric 'Passengers'.*load_metric"):
        fleetcore.simulate(doc, [(0, 1.0), (60, 2.0)])
    doc = json.loads(TAXI.read_text(encoding="utf-8"))
    doc["simulation"]["utilisation_metric"] = "CPU"
    doc["groups"][0]["metrics"].append({"name": "RAM"})
    doc["groups"][0]["policies"].append({"type": "target_tracking", "metric": 2, "target": 70})
    with pytest.raises(ValueError, match=r"policies\[1\] \(target_tracking\) of group 'taxi' reads metric 'RAM'"):
        fleetcore.simulate(doc, [(0, 1.0), (60, 2.0)])


def test_document_arguments_say_what_they_take(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"pass the document's text, or the path as a pathlib.Path"):
        fleetcore.load_config(str(TAXI))
    with pytest.raises(TypeError, match=r"simulate got the string"):
        fleetcore.simulate("examples/taxi.json", [(0, 1.0), (60, 2.0)])
    with pytest.raises(FileNotFoundError, match="nope.json"):
        fleetcore.simulate(tmp_path / "nope.json", [(0, 1.0), (60, 2.0)])
    doc = json.loads(TAXI.read_text(encoding="utf-8"))
    doc["groups"][0]["purchase"]["spot"][0]["zone"] = "rack-z"
    with pytest.raises(fleetcore.ConfigError) as caught:
        fleetcore.simulate(doc, [(0, 1.0), (60, 2.0)])
    assert caught.value.path == "groups[0].purchase.spot[0].zone"
