"""Run-time docs and packaging: help() shows what the stubs show (the pyo3 items carry the
stubs' docstrings, scripts/stub_docs.py copies them), the Jupyter representations, the wheel's
metadata and the `fleetcore` console script."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import inspect
import pydoc
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import fleetcore
from fleetcore import _fleetcore

ROOT = Path(__file__).resolve().parents[2]


def stub_docs() -> dict[tuple[str | None, str], str]:
    spec = importlib.util.spec_from_file_location("stub_docs", ROOT / "scripts" / "stub_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    docs: dict[tuple[str | None, str], str] = module.stub_docs()
    return docs


def runtime(cls: str | None, name: str) -> Any:
    if cls is None:
        return getattr(_fleetcore, name)
    owner = getattr(_fleetcore, cls)
    return owner if name == "" else getattr(owner, name)  # a property gives its descriptor


def test_every_stub_docstring_is_the_runtime_doc() -> None:
    docs = stub_docs()
    assert len(docs) > 300
    wrong = []
    for (cls, name), doc in sorted(docs.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        obj = runtime(cls, name)
        found = inspect.cleandoc(obj.__doc__ or "")
        if found != doc:
            wrong.append(f"{cls or '_fleetcore'}.{name}")
    assert wrong == [], f"run `python3 scripts/stub_docs.py` and rebuild: {len(wrong)} differ: {wrong[:10]}"


def test_help_shows_the_stub_text() -> None:
    text = pydoc.render_doc(fleetcore.Group.put_alarm, renderer=pydoc.plaintext)
    assert "``PutMetricAlarm`` on ``metric`` running simple or step policy ``policy``" in text
    assert "missing_data: ``missing``, ``ignore``, ``breaching`` or ``notBreaching``." in text
    assert "put_alarm(" in text and "threshold" in text  # the signature
    group_help = pydoc.render_doc(fleetcore.Group, renderer=pydoc.plaintext)
    assert "The group is sans-IO" in group_help
    assert "see the stubs" not in group_help
    assert "What to do." in (fleetcore.Action.kind.__doc__ or "")


def test_jupyter_representations() -> None:
    g = fleetcore.Group(1, 4, zones=["a", "b"], seed=1)
    g.tick(0)
    page = g._repr_html_()
    assert page.startswith("<div><b>Group</b>: desired 1, min 1, max 4")
    assert page.count("<tr>") == 1 + len(g) and "<td>a</td>" in page
    result = fleetcore.simulate(g, [(0, 10), (600, 10)], member_capacity=100, boot_time_s=60)
    assert "<table>" in result._repr_html_() and "launches" in result._repr_html_()


def test_wheel_metadata() -> None:
    meta = importlib.metadata.metadata("fleetcore")
    assert meta["Name"] == "fleetcore"
    assert meta["Version"] == fleetcore.__version__
    assert (meta.get("License-Expression") or meta.get("License")) == "MIT OR Apache-2.0"
    assert meta["Requires-Python"] == ">=3.9"
    assert "fleetcore for Python" in (meta.get("Description") or meta.get_payload())
    assert meta["Description-Content-Type"].startswith("text/markdown")
    classifiers = meta.get_all("Classifier") or []
    assert "Programming Language :: Rust" in classifiers and "Typing :: Typed" in classifiers
    assert set(meta.get_all("Provides-Extra") or []) >= {"pandas", "plot", "dask"}
    requires = meta.get_all("Requires-Dist") or []
    def needs(package: str, extra: str) -> bool:
        pattern = rf"{re.escape(package)}[^;]*;\s*extra\s*==\s*['\"]{extra}['\"]"
        return any(re.match(pattern, r) for r in requires)

    assert needs("matplotlib>=3.6", "plot") and needs("pandas", "pandas") and needs("dask[distributed]", "dask")
    assert not needs("matplotlib", "pandas")
    assert not [r for r in requires if "extra ==" not in r]  # nothing required
    scripts = importlib.metadata.entry_points(group="console_scripts")
    assert [e.value for e in scripts if e.name == "fleetcore"] == ["fleetcore.__main__:console"]


def test_console_script_runs() -> None:
    script = Path(sys.executable).parent / "fleetcore"
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable} (not installed from the wheel)")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"fleetcore {fleetcore.__version__}"
    usage = subprocess.run([str(script), "simulate"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2 and "usage: fleetcore simulate" in usage.stderr


def test_load_config_of_a_path_string_says_what_to_pass(tmp_path: Path) -> None:
    path = ROOT / "examples" / "controller.json"
    with pytest.raises(TypeError, match=r"looks like a file path, not a JSON document: pass the document's text, or the path as a pathlib.Path"):
        fleetcore.load_config(str(path))
    with pytest.raises(TypeError, match="looks like a file path"):
        fleetcore.load_config("controller.json")
    assert fleetcore.load_config(path) == fleetcore.load_config(path.read_text())
    with pytest.raises(fleetcore.ConfigError):
        fleetcore.load_config("{not json")
