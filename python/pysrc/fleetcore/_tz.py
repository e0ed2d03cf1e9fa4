"""IANA time zone names for scheduled actions (SEMANTICS §3.6), through ``zoneinfo``.

The core takes POSIX TZ rules; the service takes IANA names. The last line of a zone's TZif
file (RFC 8536 §3.3) is the POSIX rule of its current time keeping, so a name becomes the
rule the core parses: ``"America/New_York"`` -> ``"EST5EDT,M3.2.0,M11.1.0"``. Files are
looked up where ``zoneinfo`` looks: ``zoneinfo.TZPATH``, then the ``tzdata`` package.
"""

from __future__ import annotations

import zoneinfo
from importlib import resources
from pathlib import Path


def _tzif(name: str) -> bytes | None:
    for base in zoneinfo.TZPATH:
        path = Path(base) / name
        if path.is_file():
            return path.read_bytes()
    try:
        package, _, leaf = f"tzdata.zoneinfo.{name}".replace("/", ".").rpartition(".")
        return resources.files(package).joinpath(leaf).read_bytes()
    except (ImportError, FileNotFoundError, OSError, ValueError):
        return None


def posix_rule(name: str) -> str | None:
    """The POSIX TZ rule of IANA zone ``name`` from its TZif footer, or ``None`` when
    ``zoneinfo`` does not know the name (or its file has no footer, TZif version 1)."""
    try:
        zoneinfo.ZoneInfo(name)  # Validates the key: no absolute paths or "..".
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    data = _tzif(name)
    if data is None or not data.startswith(b"TZif") or data[4:5] == b"\0":
        return None
    lines = data.rstrip(b"\n").rsplit(b"\n", 1)
    if len(lines) != 2:
        return None
    try:
        return lines[1].decode("ascii")
    except UnicodeDecodeError:
        return None
