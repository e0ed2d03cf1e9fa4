"""``schema/fleetcore.schema.json`` (generated from the Rust types by ``core/tests/schema.rs``)
validates every example document and the documents the tests and the demo build, and refuses
what the core's parser refuses for its shape (issue 18, item 4)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

import fleetcore

jsonschema = pytest.importorskip("jsonschema")

sys.path.insert(0, str(Path(__file__).parent))
from documents import document  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schema" / "fleetcore.schema.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def validator() -> object:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_valid_and_names_the_schema(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    validator().validate(doc)  # type: ignore[attr-defined]
    assert doc["$schema"] == "../schema/fleetcore.schema.json"
    assert (path.parent / doc["$schema"]).resolve() == (ROOT / "schema" / "fleetcore.schema.json").resolve()
    # What the core writes back (defaults filled in, canonical spellings) is valid too.
    validator().validate(fleetcore.load_config(path))  # type: ignore[attr-defined]


def test_the_demo_designs_and_test_documents_are_valid() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import demo  # noqa: PLC0415

    taxi = json.loads((ROOT / "examples" / "taxi.json").read_text(encoding="utf-8"))
    for name, design in demo.variants(taxi).items():
        validator().validate(design)  # type: ignore[attr-defined]
        fleetcore.load_config(json.dumps(design))
    small = document(min_size=1, max_size=3, metrics=[{"name": "CPU"}], simulation={"member_capacity": 10, "boot_time_s": 60})
    validator().validate(small)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["groups"][0].__setitem__("maxsize", 3),
        lambda d: d["groups"][0].__setitem__("min_size", -1),
        lambda d: d["groups"][0].__setitem__("zones", ["z"] * 9),
        lambda d: d["groups"][0]["policies"][0].__setitem__("type", "target"),
        lambda d: d["groups"][0].__delitem__("launch_template"),
        lambda d: d["groups"][0]["purchase"]["mixed_instances"].__setitem__("spot_strategy", "cheapest"),
        lambda d: d["simulation"].__setitem__("seed", "seven"),
    ],
    ids=["unknown field", "negative size", "ninth zone", "unknown policy type", "missing template", "unknown strategy", "wrong type"],
)
def test_what_the_schema_refuses_the_parser_refuses(edit: object) -> None:
    doc = json.loads((ROOT / "examples" / "taxi.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(doc)
    edit(bad)  # type: ignore[operator]
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(bad)  # type: ignore[attr-defined]
    with pytest.raises(fleetcore.ConfigError):
        fleetcore.load_config(json.dumps(bad))
