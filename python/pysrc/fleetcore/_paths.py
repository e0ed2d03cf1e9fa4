"""Guards for arguments that name files: ``load_config`` given a path as ``str``."""

from __future__ import annotations

import functools
import os
from typing import Any

from fleetcore import _config


def _looks_like_a_path(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped[0] in "{[" or "\n" in stripped:
        return False
    return stripped.lower().endswith(".json") or os.sep in stripped or os.path.exists(stripped)


@functools.wraps(_config.load_config)
def load_config(source: Any, *, kind: str = "controller") -> dict[str, Any]:
    if isinstance(source, (str, bytes)):
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        if _looks_like_a_path(text):
            raise TypeError(
                f"load_config got the string {text.strip()!r}, which looks like a file path, not a JSON "
                "document: pass the document's text, or the path as a pathlib.Path "
                f"(load_config(Path({text.strip()!r})))"
            )
    return _config.load_config(source, kind=kind)
