"""A group and its policies from a plain mapping (the JSON config of ``python -m fleetcore``).

The schema is documented in ``fleetcore.__main__``. Every section is optional except
``group``; unknown keys raise ``ValueError`` so that a typo does not pass silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import json
import os

from fleetcore._fleetcore import Behavior, Group, check_config

GROUP_KEYS = frozenset(
    {
        "min_size",
        "max_size",
        "desired_capacity",
        "zones",
        "seed",
        "default_cooldown_s",
        "default_instance_warmup_s",
        "health_check_grace_period_s",
        "termination_policies",
        "new_instances_protected_from_scale_in",
        "max_instance_lifetime_s",
    }
)
SIMULATION_KEYS = frozenset(
    {
        "step_s",
        "member_capacity",
        "boot_time_s",
        "slo_utilisation",
        "price_per_hour",
        "utilisation_metric",
        "load_metric",
        "spot_seed",
        "rebalance_lead_s",
    }
)
TOP_KEYS = frozenset({"group", "metrics", "policies", "alarms", "scheduled", "purchase", "simulation"})
PURCHASE_KEYS = frozenset({"on_demand", "spot", "upfront", "reservations", "mixed_instances"})
SPOT_KEYS = frozenset({"type", "zone", "price", "capacity", "interruption"})
RESERVATION_KEYS = frozenset({"type", "count", "term", "payment", "upfront", "hourly", "zone", "size_flexible"})


def _check_keys(where: str, given: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _section(config: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = config.get(key, [])
    if not isinstance(items, Sequence) or isinstance(items, (str, bytes)):
        raise ValueError(f"{key} must be a list")
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ValueError(f"{key}[{i}] must be an object")
    return list(items)


def _steps(raw: Sequence[Sequence[Any]]) -> list[tuple[float | None, float | None, int]]:
    steps = []
    for s in raw:
        if len(s) != 3:
            raise ValueError(f"a step is [lower, upper, adjustment], got {s!r}")
        steps.append((s[0], s[1], int(s[2])))
    return steps


def group_from_config(config: Mapping[str, Any], now_s: float = 0) -> Group:
    """Builds a ``Group`` with its metrics, policies, alarms and scheduled actions from
    ``config``, as at time ``now_s`` (alarms start then; recurrences run from then on).

    Raises ``ValueError`` for unknown keys or a malformed section, and the group's own
    exceptions (``GroupError``, ``ScalingError``) for values the core refuses.
    """
    _check_keys("config", config, TOP_KEYS)
    spec = config.get("group")
    if not isinstance(spec, Mapping):
        raise ValueError("config: a \"group\" object with at least min_size and max_size is required")
    _check_keys("group", spec, GROUP_KEYS)
    group = Group(**spec)
    for m in _section(config, "metrics"):
        _check_keys("metrics[]", m, frozenset({"name", "period_s", "per_member"}))
        group.put_metric(m["name"], m.get("period_s", 60), per_member=bool(m.get("per_member", False)))
    names: dict[str, int] = {}
    for i, p in enumerate(_section(config, "policies")):
        p = dict(p)
        kind = p.pop("type", None)
        name = p.pop("name", None)
        if kind == "simple":
            _check_keys(f"policies[{i}]", p, frozenset({"adjustment", "adjustment_type", "cooldown_s", "min_adjustment_magnitude"}))
            index = group.put_simple_policy(**p)
        elif kind == "step":
            _check_keys(f"policies[{i}]", p, frozenset({"steps", "adjustment_type", "min_adjustment_magnitude", "warmup_s", "aggregation"}))
            p["steps"] = _steps(p.get("steps", []))
            index = group.put_step_policy(**p)
        elif kind == "predictive":
            _check_keys(f"policies[{i}]", p, frozenset({"metric", "target_per_member", "mode", "buffer_s", "max_capacity_buffer"}))
            metric = p.pop("metric", None)
            group.put_predictive_policy(metric, **p)
            continue
        elif kind == "target_tracking":
            _check_keys(f"policies[{i}]", p, frozenset({"metric", "target", "disable_scale_in", "warmup_s", "hpa"}))
            hpa = p.get("hpa")
            if isinstance(hpa, Mapping):
                # The behavior: block of an HPA manifest as written (camelCase), or the keyword
                # arguments of hpa.Behavior.
                k8s = "scaleUp" in hpa or "scaleDown" in hpa
                p["hpa"] = Behavior.from_k8s(hpa) if k8s else Behavior(**hpa)
            index = group.put_target_tracking_policy(**p)
        else:
            raise ValueError(
                f"policies[{i}]: type must be \"simple\", \"step\", \"target_tracking\" or \"predictive\", got {kind!r}"
            )
        if name is not None:
            names[str(name)] = index
    for i, a in enumerate(_section(config, "alarms")):
        a = dict(a)
        _check_keys(
            f"alarms[{i}]",
            a,
            frozenset({"metric", "policy", "comparison", "threshold", "evaluation_periods", "datapoints_to_alarm", "statistic", "missing_data"}),
        )
        policy = a.pop("policy", None)
        if isinstance(policy, str):
            if policy not in names:
                raise ValueError(f"alarms[{i}]: no policy named {policy!r}")
            policy = names[policy]
        metric = a.pop("metric", None)
        group.put_alarm(now_s, metric, policy=policy, **a)
    for i, a in enumerate(_section(config, "scheduled")):
        a = dict(a)
        _check_keys(
            f"scheduled[{i}]",
            a,
            frozenset({"name", "recurrence", "time_zone", "start_s", "end_s", "min_size", "max_size", "desired_capacity"}),
        )
        name = a.pop("name", None)
        if not isinstance(name, str):
            raise ValueError(f"scheduled[{i}]: a \"name\" string is required")
        group.put_scheduled_action(now_s, name, **a)
    _purchase(group, config, now_s)
    return group


def _purchase_section(config: Mapping[str, Any]) -> Mapping[str, Any] | None:
    spec = config.get("purchase")
    if spec is None:
        return None
    if not isinstance(spec, Mapping):
        raise ValueError("purchase must be an object")
    _check_keys("purchase", spec, PURCHASE_KEYS)
    for i, pool in enumerate(_section(spec, "spot")):
        _check_keys(f"purchase.spot[{i}]", pool, SPOT_KEYS)
        for key in ("type", "zone", "price"):
            if key not in pool:
                raise ValueError(f"purchase.spot[{i}]: {key!r} is required")
    return spec


def _purchase(group: Group, config: Mapping[str, Any], now_s: float) -> None:
    """Prices, reservations and the mixed-instances policy, from the ``purchase`` section."""
    spec = _purchase_section(config)
    if spec is None:
        return
    on_demand = spec.get("on_demand")
    if not isinstance(on_demand, Mapping) or not on_demand:
        raise ValueError("purchase.on_demand must map instance types to prices per hour")
    spot = {(p["type"], p["zone"]): (p["price"], p.get("capacity", 1)) for p in _section(spec, "spot")}
    group.set_prices(now_s, dict(on_demand), spot=spot, upfront=spec.get("upfront", "at_purchase"))
    for i, r in enumerate(_section(spec, "reservations")):
        r = dict(r)
        _check_keys(f"purchase.reservations[{i}]", r, RESERVATION_KEYS)
        if "type" not in r:
            raise ValueError(f"purchase.reservations[{i}]: 'type' is required")
        group.reserve(now_s, r.pop("type"), **r)
    mixed = spec.get("mixed_instances")
    if mixed is not None:
        if not isinstance(mixed, Mapping):
            raise ValueError("purchase.mixed_instances must be an object")
        mixed = dict(mixed)
        overrides = [tuple(o) if isinstance(o, Sequence) and not isinstance(o, str) else o for o in mixed.pop("overrides", [])]
        group.set_mixed_instances(overrides, **mixed)


def simulation_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``simulate`` given in the config's ``simulation`` object."""
    options = config.get("simulation", {})
    if not isinstance(options, Mapping):
        raise ValueError("simulation must be an object")
    _check_keys("simulation", options, SIMULATION_KEYS)
    out = dict(options)
    spec = _purchase_section(config)
    if spec is not None:
        risk = {(p["type"], p["zone"]): float(p["interruption"]) for p in _section(spec, "spot") if "interruption" in p}
        if risk:
            out["spot_risk"] = risk
    return out


def load_config(source: str | bytes | os.PathLike[str], *, kind: str = "controller") -> dict[str, Any]:
    """A controller configuration document (the JSON firmware reads; schema in the README's
    "Configuration" section) checked by the core's parser and validators, as a dict with the
    defaults filled in.

    ``source`` is a path (``os.PathLike``) or the document itself (``str`` or ``bytes``).
    ``kind`` selects a single document: ``instance_type``, ``launch_template``,
    ``security_group``, ``group``, ``policy`` or ``scheduled_action``.

    Raises ``ConfigError`` (a ``ValueError``) with ``.path``, ``.offset``, ``.line`` and
    ``.column``.
    """
    document: str | bytes
    if isinstance(source, os.PathLike):
        with open(source, "rb") as f:
            document = f.read()
    else:
        document = source
    loaded: dict[str, Any] = json.loads(check_config(document, kind=kind))
    return loaded
