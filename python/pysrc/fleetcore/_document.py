"""The controller document from Python: the one format firmware, C and Python read.

Every document goes through the core's own parser (``check_config``), so what Python accepts
is what a board accepts, with the same errors at the same places (``ConfigError`` with
``.path``, ``.line``, ``.column``). The schema is in the README ("Configuration"),
``schema/fleetcore.schema.json`` and ``examples/``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from fleetcore._fleetcore import check_config

#: What a document may be given as: its text, its bytes, a ``Path`` to it, or the parsed JSON.
Document = Union[str, bytes, "os.PathLike[str]", Mapping[str, Any]]


def _looks_like_a_path(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped[0] in "{[" or "\n" in stripped:
        return False
    return stripped.lower().endswith(".json") or os.sep in stripped or os.path.exists(stripped)


def document_text(source: Document, *, what: str = "load_config") -> str | bytes:
    """The document's JSON text from any of the forms ``Document`` allows.

    Raises ``TypeError`` for a ``str`` that looks like a file path (pass a ``Path``) or an
    unsupported type, ``fleetcore.trace.MissingFile`` (a ``FileNotFoundError``) naming a
    missing file.
    """
    if isinstance(source, Mapping):
        return json.dumps(source)
    if isinstance(source, os.PathLike):
        path = Path(source)
        if not path.is_file():
            from fleetcore.trace import MissingFile

            raise MissingFile(f"the document {str(path)!r} does not exist", str(path))
        return path.read_bytes()
    if isinstance(source, (str, bytes)):
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        if _looks_like_a_path(text):
            raise TypeError(
                f"{what} got the string {text.strip()!r}, which looks like a file path, not a JSON "
                "document: pass the document's text, or the path as a pathlib.Path "
                f"({what}(Path({text.strip()!r})))"
            )
        return source
    raise TypeError(f"{what} takes a document's text, bytes, a pathlib.Path or a dict, not {type(source).__name__}")


def load_config(source: Document, *, kind: str = "controller") -> dict[str, Any]:
    """A controller document (the JSON firmware reads; schema in the README's
    "Configuration" section) checked by the core's parser and validators, as a dict with the
    defaults filled in.

    ``source`` is the document's text (``str`` or ``bytes``), a ``pathlib.Path`` to it, or a
    dict. ``kind`` selects a single document: ``instance_type``, ``launch_template``,
    ``security_group``, ``group``, ``policy`` or ``scheduled_action``.

    Raises ``ConfigError`` (a ``ValueError``) with ``.path``, ``.offset``, ``.line`` and
    ``.column``; ``TypeError`` for a ``str`` that looks like a path.
    """
    loaded: dict[str, Any] = json.loads(check_config(document_text(source), kind=kind))
    return loaded


def simulated_group(document: Mapping[str, Any], name: str | None) -> tuple[int, dict[str, Any]]:
    """The index and (canonical) entry of the group a checked document's simulation runs."""
    groups = document.get("groups", [])
    if name is not None:
        for i, g in enumerate(groups):
            if g["name"] == name:
                return i, g
        raise ValueError(f"no group {name!r} in the document (groups: {[g['name'] for g in groups]})")
    if len(groups) != 1:
        raise ValueError(
            f"the document has {len(groups)} groups {[g['name'] for g in groups]}: name the one to "
            "simulate (simulate(..., group=NAME) or the simulation section's \"group\")"
        )
    return 0, groups[0]


def check_feeds(group: Mapping[str, Any], utilisation_metric: str | None, load_metric: str | None) -> None:
    """Refuses a design whose policies read a metric the simulation never feeds: a run would
    otherwise go on silently with no data (an all-NaN forecast, alarms stuck in
    ``INSUFFICIENT_DATA``).

    The simulation feeds each member's utilisation to ``utilisation_metric`` (the group's
    first per-member metric by default) and the whole load to ``load_metric``.
    """
    metrics = [m["name"] for m in group.get("metrics", [])]
    sources = [m.get("source", "members") for m in group.get("metrics", [])]
    fed: set[str] = set()
    if utilisation_metric is not None:
        fed.add(utilisation_metric)
    else:
        first = next((n for n, s in zip(metrics, sources) if s == "members"), None)
        if first is not None:
            fed.add(first)
    if load_metric is not None:
        fed.add(load_metric)

    def name(index: int) -> str:
        return metrics[index] if 0 <= index < len(metrics) else f"#{index}"

    readers: list[tuple[str, int]] = []
    for i, p in enumerate(group.get("policies", [])):
        if p.get("metric") is not None:
            readers.append((f"policies[{i}] ({p['type']})", p["metric"]))
    for i, a in enumerate(group.get("alarms", [])):
        readers.append((f"alarms[{i}]", a["metric"]))
    if group.get("predictive") is not None:
        readers.append(("predictive", group["predictive"]["metric"]))
    for where, index in readers:
        if name(index) not in fed:
            hint = (
                "set the simulation's load_metric to it"
                if index < len(sources) and sources[index] == "group"
                else "set the simulation's utilisation_metric to it"
            )
            raise ValueError(
                f"{where} of group {group['name']!r} reads metric {name(index)!r}, which the simulation "
                f"never feeds (it feeds {sorted(fed) or 'no metric'}): {hint}, or drop the policy"
            )
