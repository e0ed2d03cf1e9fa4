//! Purchasing options through the real group over a real trace (SEMANTICS §4, §1.4, §2.12):
//! four weeks of NYC taxi demand (NAB, shared/traces) through a target-tracking group, its
//! capacity bought four ways, billed by the group's own ledger:
//!
//! - **all on-demand**: m5.large at 0.096/h;
//! - **RI base**: the same, with two regional No Upfront 1-year reservations (0.060/h) for the
//!   group's minimum, which always runs;
//! - **mixed spot**: the minimum as On-Demand base, everything above it Spot over m5.large and
//!   c5.large in two zones (`price-capacity-optimized`, Capacity Rebalancing on), with each
//!   pool's monthly interruption chance in the Spot Instance Advisor's bands and one price
//!   spike above the On-Demand price;
//! - **RI + spot**: both.
//!
//! Checked at every step: desired in [min, max]; On-Demand units never below the base once
//! the group has reached it. Checked on the runs: the ledger's whole spend equals the sum of
//! the steps' costs (to rounding); RI base < all on-demand; mixed spot < all on-demand;
//! RI + spot < mixed spot; Spot runs see interruptions and recover; a run repeats exactly.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    clippy::many_single_char_names,
    clippy::too_many_lines,
    dead_code
)]

#[path = "support/traces.rs"]
mod traces;

use fleetcore::group::{Group, GroupConfig, MixedInstances, ScalingPolicy, Source};
use fleetcore::id::TemplateId;
use fleetcore::purchase::{
    Distribution, Money, Override, Payment, Prices, Rate, Reservation, Scope, Spend, SpotStrategy,
    Term, UpfrontAccounting,
};
use fleetcore::scaling::Value;
use fleetcore::scaling::target::TargetTracking;
use fleetcore::sim::{PoolRisk, Simulator, SpotRisk, Totals, World};
use fleetcore::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
const MIN: u32 = 2;
const MAX: u32 = 60;
const M5: u8 = 0;
const C5: u8 = 1;

#[derive(Clone, Copy, PartialEq, Debug)]
struct Run {
    totals: Totals,
    spend: Spend,
    step_cost_milli: i64,
    min_od_after_start: u32,
    max_desired: u32,
    min_desired: u32,
}

fn prices() -> Prices {
    let mut p = Prices::new();
    p.add_builtin("m5.large", Rate::from_micros(96_000))
        .unwrap();
    p.add_builtin("c5.large", Rate::from_micros(85_000))
        .unwrap();
    // (type, zone, price, capacity)
    for (ty, zone, price, cap) in [
        (M5, 0, 35_000, 20),
        (M5, 1, 38_000, 12),
        (C5, 0, 32_000, 8),
        (C5, 1, 34_000, 15),
    ] {
        p.set_spot(ty, zone, Rate::from_micros(price), cap).unwrap();
    }
    p
}

fn scenario(reserve: bool, spot: bool, weeks: u64) -> Run {
    let rows = traces::load("nyc_taxi.csv");
    let start = rows[0].0;
    let mut c = GroupConfig::new(MIN, MAX, TemplateId::from_u64(1), "a").unwrap();
    c.add_zone("b").unwrap();
    c.default_instance_warmup = Some(Duration::from_secs(180));
    let mut g: Group<80, fleetcore::group::AllParts<16, 4>> = Group::new(c, 42).unwrap();
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    g.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking {
            target: Value::from_int(60),
            disable_scale_in: false,
        },
        warmup: None,
        hpa: None,
    })
    .unwrap();
    let t0 = Instant::from_secs(start);
    g.set_prices(t0, prices(), UpfrontAccounting::AtPurchase)
        .unwrap();
    if reserve {
        g.reserve(Reservation {
            instance_type: M5,
            count: 2,
            scope: Scope::Regional {
                size_flexible: true,
            },
            term: Term::OneYear,
            payment: Payment::NoUpfront,
            upfront: Money::ZERO,
            hourly: Rate::from_micros(60_000),
            start: t0,
        })
        .unwrap();
    }
    if spot {
        let mut m = MixedInstances::new(&[
            Override {
                instance_type: M5,
                weight: 1,
            },
            Override {
                instance_type: C5,
                weight: 1,
            },
        ])
        .unwrap();
        m.distribution = Distribution {
            on_demand_base: MIN,
            on_demand_percent: 0,
            spot_strategy: SpotStrategy::PriceCapacityOptimized,
            ..Distribution::default()
        };
        m.capacity_rebalance = true;
        g.set_mixed_instances(Some(m)).unwrap();
    }
    let world = World {
        member_capacity: Value::from_int(1000),
        boot_time: Duration::from_secs(180),
        slo_utilisation: Value::from_int(90),
        price_per_hour: Value::ZERO,
        utilisation_metric: Some(cpu),
        load_metric: None,
    };
    let mut sim = Simulator::new(g, world);
    let mut pools = heapless::Vec::new();
    // Advisor bands: <5 %, 5-10 %, 10-15 %, 15-20 %, >20 % a month.
    for (ty, zone, permille) in [(M5, 0, 40), (M5, 1, 80), (C5, 0, 180), (C5, 1, 120)] {
        pools
            .push(PoolRisk {
                instance_type: ty,
                zone,
                monthly_permille: permille,
            })
            .unwrap();
    }
    sim.set_spot_risk(SpotRisk {
        seed: 7,
        rebalance_lead: Duration::from_secs(600),
        pools,
    });
    let end = start + weeks * 7 * 86_400;
    let spike = (start + 9 * 86_400, start + 9 * 86_400 + 3 * 3600);
    let mut run = Run {
        totals: Totals::default(),
        spend: Spend::default(),
        step_cost_milli: 0,
        min_od_after_start: u32::MAX,
        max_desired: 0,
        min_desired: u32::MAX,
    };
    let (mut i, mut t) = (0, start);
    while t < end {
        while i + 1 < rows.len() && rows[i + 1].0 <= t {
            i += 1;
        }
        // A three-hour spike of m5.large in zone a above its On-Demand price (0.096).
        let price = if (spike.0..spike.1).contains(&t) {
            110_000
        } else {
            35_000
        };
        if t == spike.0 || t == spike.1 {
            sim.group_mut()
                .set_spot_price(Instant::from_secs(t), M5, 0, Rate::from_micros(price))
                .unwrap();
        }
        let s = sim
            .step(
                Instant::from_secs(t),
                MINUTE,
                Value::from_milli((rows[i].1 * 1000.0).round() as i64),
                |_, _| {},
            )
            .unwrap();
        run.step_cost_milli += s.cost.milli();
        run.max_desired = run.max_desired.max(s.desired);
        run.min_desired = run.min_desired.min(s.desired);
        if t >= start + 3600 {
            run.min_od_after_start = run.min_od_after_start.min(s.on_demand_units);
        }
        t += 60;
    }
    run.totals = *sim.totals();
    run.spend = sim.totals().spend.unwrap();
    run
}

fn money(m: Money) -> f64 {
    m.micros() as f64 / 1e6
}

#[test]
fn taxi_demand_bought_four_ways() {
    let weeks = 4;
    let od = scenario(false, false, weeks);
    let ri = scenario(true, false, weeks);
    let spot = scenario(false, true, weeks);
    let both = scenario(true, true, weeks);
    for (name, r) in [
        ("all on-demand", &od),
        ("RI base", &ri),
        ("mixed spot", &spot),
        ("RI + spot", &both),
    ] {
        let s = &r.spend;
        println!(
            "{name:>14}: total {:9.2}  on-demand {:8.2}  reserved {:7.2}  spot {:8.2}  \
             coverage {:>5}‰  utilisation {:>5}‰  SLO breached {:>5} min  interruptions {:>3}  \
             launches {:>5}",
            money(s.total()),
            money(s.on_demand),
            money(s.reserved),
            money(s.spot),
            s.coverage_permille().unwrap_or(0),
            s.utilisation_permille().unwrap_or(0),
            r.totals.slo_breach_seconds / 60,
            r.totals.interruptions,
            r.totals.launches,
        );
        assert!(r.min_desired >= MIN && r.max_desired <= MAX, "{name}");
        // The steps' costs add up to the ledger (each step rounds to a thousandth).
        let ledger_milli = ((s.total().micros() + 500) / 1000) as i64;
        assert_eq!(r.step_cost_milli, ledger_milli, "{name}");
        assert_eq!(r.totals.cost.milli(), ledger_milli, "{name}");
    }
    assert!(money(ri.spend.total()) < money(od.spend.total()));
    assert!(money(spot.spend.total()) < money(od.spend.total()));
    assert!(money(both.spend.total()) < money(spot.spend.total()));
    // The reserved base always runs, so both reservations are fully used.
    assert!(ri.spend.utilisation_permille().unwrap() >= 990);
    // Without Spot nothing is interrupted; with it, some are, and the base holds throughout.
    assert_eq!(od.totals.interruptions, 0);
    assert!(spot.totals.interruptions > 0);
    assert!(
        spot.min_od_after_start >= MIN,
        "{}",
        spot.min_od_after_start
    );
    assert_eq!(spot.spend.on_demand_secs, both.spend.on_demand_secs);
    assert_eq!(
        scenario(false, true, 1),
        scenario(false, true, 1),
        "a run repeats"
    );
}
