"""Purchasing in a Group: prices, the mixed-instances split and weights, Spot signals, Capacity
Rebalancing, reservations and the cost ledger (SEMANTICS §4, §1.4, §2.12)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

import fleetcore
from fleetcore import Group, PurchaseError, Spend

ZONES = ["a", "b"]
PRICES = {"m5.large": 0.096, "c5.large": 0.085}
SPOT_PRICE = {"m5.large": 0.035, "c5.large": 0.030}
SPOT_CAPACITY = {"m5.large": 20, "c5.large": 10}
SPOT = {(t, z): (SPOT_PRICE[t], SPOT_CAPACITY[t]) for t in PRICES for z in ZONES}


def priced(
    base: int = 0,
    percent: int = 100,
    weights: tuple[int, int] = (1, 1),
    *,
    capacity_rebalance: bool = False,
) -> Group:
    """A group over zones a and b at desired 0 with the price table above and a mixed-instances
    policy over m5.large and c5.large (price-capacity-optimized Spot)."""
    g = Group(0, 64, 0, zones=ZONES, seed=7)
    g.set_prices(0, PRICES, spot=SPOT)
    g.set_mixed_instances(
        [("m5.large", weights[0]), ("c5.large", weights[1])],
        on_demand_base=base,
        on_demand_percent=percent,
        spot_strategy="price-capacity-optimized",
        capacity_rebalance=capacity_rebalance,
    )
    return g


def run(g: Group, now: float) -> int:
    """Ticks at ``now`` and reports every launch booted and every termination done, until the
    group is steady; returns how many actions it asked for."""
    n = 0
    for _ in range(64):
        actions = g.tick(now)
        if not actions:
            break
        n += len(actions)
        for a in actions:
            if a.kind in ("launch", "start"):
                g.booted(now, a.id)
            elif a.kind == "terminate":
                g.terminated(now, a.id)
    return n


def units(g: Group, market: str) -> int:
    return sum(m.weight for m in g.members if m.market == market and m.state == "InService")


def micros(x: float) -> float:
    """``x`` as the ledger holds it: to the nearest millionth."""
    return round(x, 6)


# ----- the split and weights (SEMANTICS §4.5) ------------------------------------------------


@pytest.mark.parametrize(
    ("base", "percent", "desired", "on_demand", "spot"),
    [(10, 50, 40, 25, 15), (0, 60, 10, 6, 4), (12, 0, 10, 10, 0)],
)
def test_the_split_table_of_the_service(
    base: int, percent: int, desired: int, on_demand: int, spot: int
) -> None:
    g = priced(base, percent)
    g.set_desired(0, desired)
    run(g, 0)
    assert g.units_by_market() == (on_demand, spot)
    assert (units(g, "on-demand"), units(g, "spot")) == (on_demand, spot)
    assert g.capacity == g.in_service_units == desired


def test_launch_actions_and_members_say_market_type_and_weight() -> None:
    g = priced(base=1, percent=0)
    g.set_desired(0, 3)
    launches = [a for a in g.tick(0) if a.kind == "launch"]
    # The base is On-Demand of the first override; Spot goes to the zone with the fewest
    # units, into the cheapest deep pool per unit (c5.large: 10 is half of m5's 20).
    assert [(a.market, a.instance_type, a.zone) for a in launches] == [
        ("on-demand", "m5.large", "a"),
        ("spot", "c5.large", "b"),
        ("spot", "c5.large", "a"),
    ]
    assert str(launches[1]).endswith("as spot type 1")
    assert 'market="spot"' in repr(launches[1])
    by_id = {m.id: m for m in g.members}
    for a in launches:
        m = by_id[a.id]
        assert (m.market, m.instance_type, m.zone) == (a.market, a.instance_type, a.zone)
        assert (m.weight, m.spot_signal, m.replaces) == (1, None, None)


def test_without_purchasing_launches_are_on_demand_and_untyped() -> None:
    g = Group(1, 2, seed=1)
    [a] = g.tick(0)
    assert (a.market, a.instance_type) == ("on-demand", None)
    [m] = g.members
    assert (m.market, m.instance_type, m.weight, m.spot_signal) == ("on-demand", None, 1, None)
    assert g.prices is None and g.mixed_instances is None
    # Priced but not mixed: every member is metered as the table's first type.
    g.set_prices(0, PRICES)
    assert g.members[0].instance_type == "m5.large"


def test_weights_count_units_and_overshoot_by_less_than_the_largest() -> None:
    g = priced(0, 0, weights=(2, 3))
    g.set_desired(0, 10)
    run(g, 0)
    assert 10 <= g.capacity < 10 + 3
    assert len(g.members) < 10
    assert g.capacity == sum(m.weight for m in g.members) == g.in_service_units
    assert {m.weight for m in g.members} <= {2, 3}


def test_scale_in_never_takes_on_demand_below_the_base() -> None:
    g = priced(base=4, percent=0)
    g.set_desired(0, 12)
    run(g, 0)
    assert g.units_by_market() == (4, 8)
    g.set_desired(60, 5)
    run(g, 60)
    assert g.units_by_market() == (4, 1)


def test_no_spot_capacity_launches_nothing_until_a_pool_has_some() -> None:
    g = priced(0, 0)
    for t in PRICES:
        for z in ZONES:
            g.set_spot_capacity(t, z, 0)
    g.set_desired(0, 4)
    run(g, 0)
    assert g.capacity == 0
    g.set_spot_capacity("m5.large", "b", 5)
    run(g, 60)
    assert g.units_by_market() == (0, 4)
    assert {(m.instance_type, m.zone) for m in g.members} == {("m5.large", "b")}


def test_the_policy_reads_back_as_its_arguments_and_clears() -> None:
    g = priced(base=2, percent=25, weights=(1, 2), capacity_rebalance=True)
    policy = g.mixed_instances
    assert policy == {
        "overrides": [("m5.large", 1), ("c5.large", 2)],
        "on_demand_base": 2,
        "on_demand_percent": 25,
        "on_demand_strategy": "prioritized",
        "spot_strategy": "price-capacity-optimized",
        "spot_pools": 2,
        "spot_max_price": None,
        "capacity_rebalance": True,
    }
    copy = g.copy()
    copy.set_mixed_instances(**policy)
    assert copy == g
    g.set_mixed_instances(["c5.large"], spot_max_price=0.05)
    assert g.mixed_instances is not None
    assert g.mixed_instances["overrides"] == [("c5.large", 1)]
    assert g.mixed_instances["spot_max_price"] == 0.05
    g.clear_mixed_instances()
    assert g.mixed_instances is None


# ----- prices -------------------------------------------------------------------------------


def test_prices_are_kept_to_the_nearest_millionth_and_read_back() -> None:
    g = Group(0, 4, zones=ZONES)
    g.set_prices(0, [("m5.large", 0.0960000004), ("c5.large", 1)], spot={("c5.large", "b"): (0.0300004, 3)})
    assert g.prices == {
        "on_demand": {"m5.large": 0.096, "c5.large": 1.0},
        "spot": {("c5.large", "b"): (0.03, 3)},
    }
    g.set_spot_price(10, "c5.large", "b", 0.0123456789)
    g.set_spot_price(10, "m5.large", "a", 0.02)  # a new pool
    assert g.prices is not None
    assert g.prices["spot"] == {("c5.large", "b"): (0.012346, 3), ("m5.large", "a"): (0.02, 0)}


def test_a_later_table_keeps_each_type_in_its_place() -> None:
    g = priced(base=1, percent=0)
    g.set_desired(0, 2)
    run(g, 0)
    bought = sorted((m.id, m.market, m.instance_type) for m in g.members)
    # Another order and a new type: members and overrides keep their types; the new
    # On-Demand price applies from 3600 s on.
    g.set_prices(3600, {"t3.micro": 0.0104, "c5.large": 0.085, "m5.large": 0.2}, spot=SPOT)
    assert g.prices is not None and g.mixed_instances is not None
    assert list(g.prices["on_demand"]) == ["m5.large", "c5.large", "t3.micro"]
    assert sorted((m.id, m.market, m.instance_type) for m in g.members) == bought
    assert g.mixed_instances["overrides"] == [("m5.large", 1), ("c5.large", 1)]
    hour = g.spend(7200, 3600, 7200)
    assert (hour.on_demand, hour.spot) == (0.2, SPOT_PRICE["c5.large"])
    before = g.copy()
    with pytest.raises(PurchaseError, match='lacks "c5.large"') as info:
        g.set_prices(7200, {"m5.large": 0.2})
    assert info.value.code == 1900
    with pytest.raises(PurchaseError) as info:  # the pools of the Spot member
        g.set_prices(7200, {"m5.large": 0.2, "c5.large": 0.085, "t3.micro": 0.0104})
    assert info.value.code == 1902
    assert g == before


@pytest.mark.parametrize("bad", [-0.001, math.nan, math.inf, 1e300, -1])
def test_bad_prices_raise_value_error_and_change_nothing(bad: float) -> None:
    g = Group(0, 4, zones=ZONES)
    with pytest.raises(ValueError) as info:
        g.set_prices(0, {"m5.large": bad})
    # A ValueError, and the module's own: `ArgumentError` with code 11 (issue 19).
    assert isinstance(info.value, fleetcore.ArgumentError) and info.value.code == 11
    assert g.prices is None
    with pytest.raises(TypeError):
        g.set_prices(0, {"m5.large": True})


def test_bad_price_tables_raise_purchase_error_and_change_nothing() -> None:
    g = Group(0, 4, zones=ZONES)
    cases: list[tuple[Any, Any, int]] = [
        ({"m5.huge": 0.1}, None, 1900),  # not in the built-in table
        ([("m5.large", 0.1), ("m5.large", 0.2)], None, 1901),
        (PRICES, {("t3.micro", "a"): (0.01, 1)}, 1900),  # a pool of an unpriced type
        (PRICES, {("m5.large", "z"): (0.01, 1)}, 1903),  # a zone the group lacks
    ]
    for on_demand, spot, code in cases:
        with pytest.raises(PurchaseError) as info:
            g.set_prices(0, on_demand, spot=spot)
        assert info.value.code == code
        assert g.prices is None
    with pytest.raises(PurchaseError, match='no zone named "z"; its zones are a, b'):
        g.set_prices(0, PRICES, spot={("m5.large", "z"): (0.01, 1)})
    with pytest.raises(ValueError, match="upfront must be one of"):
        g.set_prices(0, PRICES, upfront="later")  # type: ignore[arg-type]


# ----- Spot signals and Capacity Rebalancing (SEMANTICS §1.4, §2.12) ------------------------


def test_a_spot_price_above_the_max_price_interrupts() -> None:
    g = priced(0, 0)
    g.set_desired(0, 4)
    run(g, 0)
    assert g.price_interruptions() == []
    # c5.large in zone a rises above its On-Demand price (the default max price).
    g.set_spot_price(600, "c5.large", "a", PRICES["c5.large"] + 0.005)
    hit = g.price_interruptions()
    assert hit
    by_id = {m.id: m for m in g.members}
    assert all((by_id[i].instance_type, by_id[i].zone) == ("c5.large", "a") for i in hit)
    for i in hit:
        g.spot_interruption(600, i)
    assert {m.id: m.spot_signal for m in g.members if m.id in hit} == dict.fromkeys(hit, "notice")
    assert g.price_interruptions() == []  # noticed members are not listed again


def test_a_lower_max_price_interrupts_sooner() -> None:
    g = priced(0, 0)
    g.set_mixed_instances(["c5.large"], on_demand_percent=0, spot_max_price=0.04)
    g.set_desired(0, 2)
    run(g, 0)
    g.set_spot_price(60, "c5.large", "b", 0.041)
    assert [next(m.zone for m in g.members if m.id == i) for i in g.price_interruptions()] == ["b"]


def rebalancing() -> Group:
    """Four Spot members with Capacity Rebalancing on, all in service."""
    g = priced(0, 0, capacity_rebalance=True)
    g.set_desired(0, 4)
    run(g, 0)
    assert len(g.members) == 4
    return g


def test_a_notice_launches_a_replacement_at_once_and_ec2_ends_the_old() -> None:
    g = rebalancing()
    old = g.members[0]
    g.spot_interruption(100, old.id)
    actions = g.tick(100)
    assert [a.kind for a in actions] == ["launch"]
    fresh = g.members[-1]
    assert fresh.id == actions[0].id
    assert fresh.replaces == old.id
    assert (fresh.instance_type, fresh.zone) != (old.instance_type, old.zone), "never the same pool"
    assert g.capacity == 4  # the old member stands down: nothing is scaled in
    g.booted(110, fresh.id)
    g.terminated(220, old.id)  # EC2 ends it two minutes after the notice
    assert run(g, 220) == 0
    assert len(g.members) == 4
    assert all(m.replaces is None for m in g.members)


def test_a_recommendation_replaces_then_terminates_once_the_replacement_serves() -> None:
    g = rebalancing()
    old = g.members[0].id
    g.rebalance_recommendation(100, old)
    assert g.members[0].spot_signal == "rebalance"
    actions = g.tick(100)
    assert [a.kind for a in actions] == ["launch"]
    g.booted(160, actions[0].id)
    [end] = g.tick(160)
    assert (end.kind, end.id, end.market, end.instance_type) == ("terminate", old, None, None)


def test_without_capacity_rebalance_a_notice_waits_for_ec2() -> None:
    g = priced(0, 0)
    g.set_desired(0, 4)
    run(g, 0)
    old = g.members[0].id
    g.spot_interruption(100, old)
    assert run(g, 100) == 0
    g.terminated(220, old)
    assert [a.kind for a in g.tick(220)] == ["launch"]


# ----- the cost ledger and reservations (SEMANTICS §4.1, §4.2) ------------------------------


def test_the_ledger_bills_running_seconds_by_market() -> None:
    g = priced(base=1, percent=0)
    g.set_desired(0, 2)
    run(g, 0)
    markets = sorted((m.market, m.instance_type) for m in g.members)
    assert markets == [("on-demand", "m5.large"), ("spot", "c5.large")]
    # One hour of one On-Demand m5.large and one Spot c5.large.
    spend = g.settle(3600)
    assert isinstance(spend, Spend)
    assert spend.on_demand == PRICES["m5.large"]
    assert spend.spot == SPOT_PRICE["c5.large"]
    assert spend.total == micros(PRICES["m5.large"] + SPOT_PRICE["c5.large"])
    assert (spend.on_demand_s, spend.spot_s, spend.covered_s) == (3600.0, 3600.0, 0.0)
    assert (spend.reserved, spend.coverage, spend.utilisation) == (0.0, 0.0, None)
    assert spend.as_dict() == {
        "on_demand": spend.on_demand,
        "reserved": 0.0,
        "spot": spend.spot,
        "total": spend.total,
        "on_demand_s": 3600.0,
        "covered_s": 0.0,
        "covered_value": 0.0,
        "spot_s": 3600.0,
        "coverage": 0.0,
        "utilisation": None,
    }
    assert repr(spend).startswith("Spend(total=0.126000,")
    # Terminated members stop billing; a start inside a minute bills 60 s.
    g.set_desired(3600, 0)
    run(g, 3600)
    g.set_desired(3700, 1)
    run(g, 3700)
    g.set_desired(3710, 0)
    run(g, 3710)
    hour = g.spend(7200, 3600, 7200)
    assert (hour.on_demand_s, hour.spot_s) == (60.0, 0.0)
    assert hour.on_demand == micros(PRICES["m5.large"] * 60 / 3600)
    assert g.settle(7200).total == micros(spend.total + hour.total)


def test_a_reservation_covers_usage() -> None:
    g = priced(base=2, percent=0)
    g.reserve(0, "m5.large", 1, hourly=0.060)
    g.set_desired(0, 2)
    run(g, 0)
    # Two On-Demand m5.large for an hour: one covered by the RI, one at the On-Demand rate.
    spend = g.spend(3600, 0, 3600)
    assert spend.covered_s == 3600.0
    assert spend.on_demand_s == 7200.0
    assert spend.reserved == 0.060
    assert spend.on_demand == PRICES["m5.large"]
    assert spend.covered_value == PRICES["m5.large"]
    assert (spend.coverage, spend.utilisation) == (0.5, 1.0)


def test_a_zonal_reservation_covers_only_its_zone_and_upfront_counts_at_purchase() -> None:
    g = priced(base=2, percent=0)
    g.reserve(0, "m5.large", 2, zone="b", payment="All Upfront", upfront=100.0)
    g.set_desired(0, 2)
    run(g, 0)
    assert sorted(m.zone or "" for m in g.members) == ["a", "b"]
    spend = g.spend(3600, 0, 3600)
    assert spend.covered_s == 3600.0  # the member in zone b only
    assert spend.reserved == 200.0  # 2 × 100 upfront, in the hour the term starts
    assert spend.utilisation == 0.5


def test_bad_reservations_raise_purchase_error_and_change_nothing() -> None:
    g = priced(base=1, percent=0)
    g.set_desired(0, 1)
    run(g, 0)
    g.settle(7200)
    before = g.copy()
    cases: list[tuple[dict[str, Any], int]] = [
        ({"payment": "all_upfront", "hourly": 0.05}, 1909),
        ({"payment": "no_upfront", "upfront": 10.0}, 1909),
        ({"payment": "partial_upfront", "hourly": 0.05}, 1909),
        ({"count": 0}, 1909),
        ({"start_s": 0}, 1909),  # in an hour the ledger has closed
        ({"instance_type": "t3.micro"}, 1900),
        ({"zone": "c"}, 1903),
    ]
    for kwargs, code in cases:
        args = {"start_s": 7200, "instance_type": "m5.large", **kwargs}
        with pytest.raises(PurchaseError) as info:
            g.reserve(**args)
        assert info.value.code == code, kwargs
    assert g == before
    with pytest.raises(ValueError, match="term must be one of"):
        g.reserve(7200, "m5.large", term="2y")  # type: ignore[arg-type]
    with pytest.raises(fleetcore.ArgumentError, match=r"count must be an integer in 0..=65535"):
        g.reserve(7200, "m5.large", 70_000)


def test_ledger_queries_out_of_bounds_raise_purchase_error() -> None:
    g = priced()
    g.settle(7200)
    cases: list[tuple[Callable[[], object], int]] = [
        (lambda: g.settle(3600), 1913),  # time went back
        (lambda: g.spend(7200, 0, 1800), 1914),  # not on a clock-hour
        (lambda: g.spend(7200, 3600, 0), 1915),
        (lambda: g.spend(7200, 0, 4 * 3600), 1916),  # not reached yet
    ]
    for call, code in cases:
        with pytest.raises(PurchaseError) as info:
            call()
        assert info.value.code == code
        assert info.value.kind in ("invalid argument", "invalid state")


# ----- errors --------------------------------------------------------------------------------


def test_purchase_error_is_a_value_error_of_the_module() -> None:
    assert issubclass(PurchaseError, ValueError)
    assert PurchaseError.__module__ == "fleetcore"
    assert fleetcore.PurchaseError is PurchaseError


def test_purchasing_needs_prices() -> None:
    g = Group(0, 4, zones=ZONES)
    for call in (
        lambda: g.set_mixed_instances(["m5.large"]),
        lambda: g.settle(0),
        lambda: g.set_spot_price(0, "m5.large", "a", 0.01),
        lambda: g.set_spot_capacity("m5.large", "a", 1),
        lambda: g.reserve(0, "m5.large"),
    ):
        with pytest.raises(fleetcore.GroupError) as info:
            call()
        assert info.value.code == 1133
    assert g == Group(0, 4, zones=ZONES)


def test_bad_policies_raise_purchase_error_and_change_nothing() -> None:
    g = priced(base=1, percent=50)
    g.set_desired(0, 2)
    run(g, 0)
    before = g.copy()
    cases: list[tuple[dict[str, Any], int]] = [
        ({"on_demand_percent": 101}, 1906),
        ({"on_demand_percent": 300}, 1906),
        ({"spot_pools": 0}, 1907),
        ({"spot_pools": 21}, 1907),
        ({"spot_max_price": 0.001}, 1904),
        ({"overrides": [("m5.large", 1000)]}, 1905),
        ({"overrides": [("m5.large", 70_000)]}, 1905),
        ({"overrides": [("m5.large", 0)]}, 1905),
        ({"overrides": []}, 1908),
        ({"overrides": ["m5.large", "m5.large"]}, 1908),
        ({"overrides": ["t3.micro"]}, 1900),
    ]
    for kwargs, code in cases:
        args = {"overrides": ["m5.large", "c5.large"], **kwargs}
        with pytest.raises(PurchaseError) as info:
            g.set_mixed_instances(**args)
        assert info.value.code == code, kwargs
    assert g == before
    with pytest.raises(PurchaseError, match="got 300"):
        g.set_mixed_instances(["m5.large"], on_demand_percent=300)
    with pytest.raises(ValueError, match="spot_strategy must be one of") as plain:
        g.set_mixed_instances(["m5.large"], spot_strategy="cheapest")  # type: ignore[arg-type]
    # A name outside the vocabulary: the bindings' ArgumentError (code 3), not a PurchaseError.
    assert type(plain.value) is fleetcore.ArgumentError and plain.value.code == 3
    with pytest.raises(TypeError, match="type name or a"):
        g.set_mixed_instances([("m5.large",)])  # type: ignore[list-item]
    assert g == before


def test_spot_signals_are_for_spot_members_only() -> None:
    g = priced(base=1, percent=100)
    g.set_desired(0, 1)
    run(g, 0)
    [m] = g.members
    before = g.copy()
    for signal in (g.spot_interruption, g.rebalance_recommendation):
        with pytest.raises(fleetcore.GroupError) as info:
            signal(1, m.id)
        assert info.value.code == 1131
        assert info.value.kind == "invalid state"
    assert g == before
    with pytest.raises(fleetcore.GroupError) as info:
        g.spot_interruption(1, "i-0123456789abcdef0")
    assert info.value.code == 1105


def test_unknown_pools_raise_purchase_error() -> None:
    g = Group(0, 4, zones=ZONES)
    g.set_prices(0, PRICES)
    with pytest.raises(PurchaseError) as info:
        g.set_spot_capacity("m5.large", "a", 3)
    assert info.value.code == 1902
    with pytest.raises(PurchaseError) as info:
        g.set_spot_price(0, "m5.large", "c", 0.01)
    assert info.value.code == 1903
    with pytest.raises(PurchaseError) as info:
        g.set_spot_price(0, "x1.large", "a", 0.01)
    assert info.value.code == 1900


# ----- snapshots -----------------------------------------------------------------------------


def test_a_snapshot_keeps_the_ledger_and_the_policy() -> None:
    g = priced(base=1, percent=50, weights=(1, 2))
    g.reserve(0, "m5.large", hourly=0.05)
    g.set_desired(0, 5)
    run(g, 0)
    g.settle(1800)
    back = Group.restore(g.snapshot())
    assert back == g
    assert back.mixed_instances == g.mixed_instances
    assert back.prices == g.prices
    assert back.members == g.members
    assert back.settle(3600) == g.settle(3600)
