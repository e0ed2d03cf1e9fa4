"""The world of the golden document scenarios (``golden/scenarios.rs``, ``document``) in
Python: a controller document's group through half-hourly trace rows, minute by minute, as an
action log. The Rust core (x86-64 and the Cortex-M firmware) and C (``test_golden.c``) play the
same world; ``python/tests/test_golden.py`` checks this one against ``golden/doc_*.txt`` and
``make demo`` compares it with the firmware's run of ``build/chosen.json``.

The world (``golden/README.md``): the group is built at the first row's time with the
``simulation`` section's seed; each row holds for 30 one-minute steps. Each minute the members
whose boot (``boot_time_s`` after their launch or start) is due report booted at their boot
time; from the second minute, samples stamped 30 s earlier: the load metric gets the row's
load, the utilisation metric each member in service ``load × 100 ÷ (member_capacity × in
service)`` percent in whole thousandths; the group ticks and every action is logged; then each
is carried out: launches and starts boot later, terminations and stops complete at once,
lifecycle hooks are answered ``CONTINUE`` at once. A status line follows every half hour's
first minute.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fleetcore._document import Document, document_text
from fleetcore._fleetcore import Group, check_config

#: One-minute steps each trace row holds (the trace is half-hourly).
ROW_MINUTES = 30


def nab_rows(path: Path, count: int) -> list[tuple[int, int]]:
    """The first ``count`` rows of a NAB trace (``YYYY-MM-DD hh:mm:ss,value``, UTC, whole
    values) as ``(seconds since the epoch, load)``."""
    rows: list[tuple[int, int]] = []
    with path.open() as f:
        next(f)  # the header
        for line, _ in zip(f, range(count)):
            stamp, value = line.strip().split(",")
            at = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
            rows.append((int(at.timestamp()), int(value)))
    if len(rows) != count:
        raise ValueError(f"{path} has {len(rows)} rows, not {count}")
    return rows


def _metric(entry: dict[str, Any], name: str | None) -> int | None:
    if name is None:
        return None
    names = [m["name"] for m in entry["metrics"]]
    if name not in names:
        raise ValueError(f"the simulation section names the metric {name!r}, which the group lacks")
    return names.index(name)


def replay(document: Document, rows: Iterable[tuple[int, int]]) -> list[str]:
    """The action log of ``document``'s simulated group through ``rows`` (``(seconds, load)``,
    half an hour apart), one line per action and per status, without newlines."""
    text = document_text(document, what="replay")
    doc = json.loads(check_config(text))
    section = doc.get("simulation")
    if not section:
        raise ValueError("the document has no simulation section")
    name = section.get("group") or doc["groups"][0]["name"]
    entry = next(g for g in doc["groups"] if g["name"] == name)
    if section.get("member_capacity") is None or section.get("boot_time_s") is None:
        raise ValueError("the simulation section needs member_capacity and boot_time_s")
    capacity_milli = round(float(section["member_capacity"]) * 1000)
    boot_s = int(section["boot_time_s"])
    utilisation = _metric(entry, section.get("utilisation_metric"))
    if utilisation is None:
        utilisation = next(
            (i for i, m in enumerate(entry["metrics"]) if m.get("source", "members") == "members"), None
        )
    load_metric = _metric(entry, section.get("load_metric"))

    rows = list(rows)
    if not rows:
        raise ValueError("the trace has no rows")
    t0 = rows[0][0]
    g = Group.from_document(text, group=name, now_s=t0, seed=int(section.get("seed", 0)))
    log: list[str] = []
    booting: list[tuple[int, str]] = []
    minute = 0
    for i, (t, load) in enumerate(rows):
        if t != t0 + i * ROW_MINUTES * 60:
            raise ValueError(f"trace row {i} is not half an hour after the one before")
        load_milli = load * 1000
        for _ in range(ROW_MINUTES):
            now, secs = t0 + minute * 60, minute * 60
            due = [b for b in booting if b[0] <= now]
            booting = booting[len(due) :]
            for ready, iid in due:
                g.booted(ready, iid)
            if minute > 0:
                if load_metric is not None:
                    g.record(now - 30, load_metric, load)
                if utilisation is not None and g.in_service > 0:
                    percent = load_milli * 100_000 // (g.in_service * max(capacity_milli, 1))
                    g.record_in_service(now - 30, utilisation, percent / 1000)
            actions = g.tick(now)
            log.extend(f"t={secs} {a}" for a in actions)
            for a in actions:
                if a.kind in ("launch", "start"):
                    booting.append((now + boot_s, a.id))
                elif a.kind == "terminate":
                    booting = [b for b in booting if b[1] != a.id]
                    g.terminated(now, a.id)
                elif a.kind in ("stop", "hibernate"):
                    booting = [b for b in booting if b[1] != a.id]
                    g.ec2_state(now, a.id, "stopped")
                elif a.kind == "notify_hook":
                    assert a.hook is not None
                    g.complete_hook(now, a.id, a.hook, "CONTINUE")
                else:
                    raise ValueError(f"an action the world does not carry out: {a}")
            if minute % ROW_MINUTES == 0:
                log.append(
                    f"t={secs} load={load} desired={g.desired} capacity={g.capacity} in_service={g.in_service}"
                )
            minute += 1
    return log
