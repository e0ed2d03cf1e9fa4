//! Property tests of the purchase module (DESIGN.md, verification tier 2).
//!
//! - The ledger equals the sum over members of billed seconds × price: On-Demand seconds at the
//!   On-Demand rate (covered or not: covered seconds show as `covered_value`), Spot seconds at
//!   the pool's price; billed seconds are read from independent lifecycle instances.
//! - Totals never decrease as time moves forward.
//! - The mixed-instances allocation never leaves On-Demand units below the base (capped at
//!   desired), never launches Spot above the max price or into an empty pool, reaches desired
//!   unless Spot capacity is missing, and stays within the weights' slack of the split.

// Indices here are below 16, so the casts to u8 are exact.
#![allow(clippy::cast_possible_truncation)]

use fleetcore::catalog::TypeName;
use fleetcore::id::{ImageId, InstanceId};
use fleetcore::lifecycle::{
    Instance, InterruptionBehavior, LaunchSpec, Market, Report, SpotRequestType, Timeouts,
};
use fleetcore::purchase::{
    Account, Distribution, MarketKind, MemberView, Mix, Money, OnDemandStrategy, Override, Payment,
    Prices, Rate, Reservation, Scope, SpotStrategy, Step, Term, UpfrontAccounting, split,
};
use fleetcore::{Duration, Instant};
use proptest::prelude::*;

const TYPES: [(&str, u64); 4] = [
    ("t3.small", 20_800),
    ("t3.medium", 41_600),
    ("t3.large", 83_200),
    ("m5.large", 96_000),
];

fn prices(spot: &[(u8, u8, u64, u32)]) -> Prices {
    let mut p = Prices::new();
    for (name, micros) in TYPES {
        p.add_builtin(name, Rate::from_micros(micros)).unwrap();
    }
    for &(t, z, price, cap) in spot {
        p.set_spot(t, z, Rate::from_micros(price), cap).unwrap();
    }
    p
}

#[derive(Debug, Clone)]
enum Op {
    Launch { ty: u8, zone: u8, spot: bool },
    Boot(usize),
    Stop(usize),
    Start(usize),
    Hibernate(usize),
    Terminate(usize),
    PowerOff(usize),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u8..4, 0u8..3, any::<bool>()).prop_map(|(ty, zone, spot)| Op::Launch { ty, zone, spot }),
        3 => any::<usize>().prop_map(Op::Boot),
        1 => any::<usize>().prop_map(Op::Stop),
        1 => any::<usize>().prop_map(Op::Start),
        1 => any::<usize>().prop_map(Op::Hibernate),
        1 => any::<usize>().prop_map(Op::Terminate),
        2 => any::<usize>().prop_map(Op::PowerOff),
        4 => (1u64..7_200_000).prop_map(Op::Advance),
    ]
}

fn reservation() -> impl Strategy<Value = Reservation> {
    (
        0u8..4,
        1u16..3,
        prop::option::of(0u8..3),
        any::<bool>(),
        0u64..200,
    )
        .prop_map(|(ty, count, zone, flexible, offset_h)| Reservation {
            instance_type: ty,
            count,
            scope: zone.map_or(
                Scope::Regional {
                    size_flexible: flexible,
                },
                |zone| Scope::Zonal { zone },
            ),
            term: Term::OneYear,
            payment: Payment::PartialUpfront,
            upfront: Money::from_micros(1_000),
            hourly: Rate::from_micros(9_000),
            start: Instant::from_secs(1_400_000_000 + offset_h * 3600),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_ledger_is_billed_seconds_times_price(
        ops in prop::collection::vec(op(), 1..80),
        ris in prop::collection::vec(reservation(), 0..4),
    ) {
        let spot_prices: Vec<(u8, u8, u64, u32)> = (0..4u8)
            .flat_map(|t| (0..3u8).map(move |z| (t, z, 5_000 + u64::from(t) * 7_000 + u64::from(z) * 1_000, 1)))
            .collect();
        let p = prices(&spot_prices);
        let start = Instant::from_secs(1_400_000_000);
        let mut acct = Account::<32, 48>::new(p.clone(), start, UpfrontAccounting::AtPurchase);
        for r in ris {
            acct.reserve(r).unwrap();
        }
        let mut now = start;
        let mut fleet: Vec<(Instance, u8, u8, bool)> = Vec::new();
        let mut last_total = Money::ZERO;
        for op in ops {
            match op {
                Op::Launch { ty, zone, spot } => {
                    if fleet.len() == 32 { continue; }
                    let n = fleet.len() as u64 + 1;
                    let mut spec = LaunchSpec::new(ImageId::from_u64(1), TypeName::parse(TYPES[usize::from(ty)].0).unwrap());
                    spec.hibernation_configured = true;
                    if spot {
                        spec.market = Market::Spot { request: SpotRequestType::Persistent, interruption: InterruptionBehavior::Stop };
                    }
                    let i = Instance::launch(now, InstanceId::from_u64(n), spec, Timeouts::default()).unwrap();
                    let market = if spot { MarketKind::Spot } else { MarketKind::OnDemand };
                    acct.track(i.id(), ty, zone, market).unwrap();
                    acct.sync(now, &i).unwrap();
                    fleet.push((i, ty, zone, spot));
                }
                Op::Advance(ms) => {
                    now = now.saturating_add(Duration::from_millis(ms));
                    acct.settle(now).unwrap();
                }
                other => {
                    if fleet.is_empty() { continue; }
                    let k = match other {
                        Op::Boot(k) | Op::Stop(k) | Op::Start(k) | Op::Hibernate(k)
                        | Op::Terminate(k) | Op::PowerOff(k) => k % fleet.len(),
                        _ => unreachable!(),
                    };
                    let i = &mut fleet[k].0;
                    let r = match other {
                        Op::Boot(_) => i.observe(now, Report::Booted).map(|_| ()),
                        Op::Stop(_) => i.stop(now, false).map(|_| ()),
                        Op::Start(_) => i.start(now).map(|_| ()),
                        Op::Hibernate(_) => i.hibernate(now).map(|_| ()),
                        Op::Terminate(_) => i.terminate(now).map(|_| ()),
                        Op::PowerOff(_) => i.observe(now, Report::PoweredOff).map(|_| ()),
                        _ => unreachable!(),
                    };
                    if r.is_ok() {
                        acct.sync(now, i).unwrap();
                    }
                }
            }
            let total = acct.total().total();
            prop_assert!(total >= last_total, "totals never decrease");
            last_total = total;
        }
        acct.settle(now).unwrap();
        let t = acct.total();
        let (mut od_value, mut od_secs, mut spot_cost, mut spot_secs) = (0u64, 0u64, 0u64, 0u64);
        for (i, ty, zone, spot) in &fleet {
            let secs = i.billed(now).total_secs();
            prop_assert_eq!(acct.member(i.id()).unwrap().billed.total_secs(), secs);
            if *spot {
                spot_secs += secs;
                spot_cost += p.spot(*ty, *zone).unwrap().price.for_secs(secs).exact();
            } else {
                od_secs += secs;
                od_value += p.on_demand(*ty).unwrap().for_secs(secs).exact();
            }
        }
        prop_assert_eq!(t.on_demand_secs, od_secs);
        prop_assert_eq!(t.spot_secs, spot_secs);
        prop_assert_eq!(t.on_demand.saturating_add(t.covered_value).exact(), od_value);
        prop_assert_eq!(t.spot.exact(), spot_cost);
        prop_assert!(t.covered_secs <= t.on_demand_secs);
        prop_assert!(t.reserved_used <= t.reserved_capacity);
    }

    #[test]
    fn allocation_keeps_the_base_and_the_max_price(
        base in 0u32..12,
        percent in 0u8..=100,
        od_lowest in any::<bool>(),
        strategy in 0u8..4,
        pools in 1u8..4,
        max_price in prop::option::of(10_000u64..60_000),
        weights in prop::collection::vec(1u16..5, 4),
        spot in prop::collection::vec((10_000u64..120_000, 0u32..20), 12),
        desired in prop::collection::vec(0u32..40, 1..8),
        zones in 1u8..4,
    ) {
        let table: Vec<(u8, u8, u64, u32)> = spot.iter().enumerate()
            .map(|(k, &(price, cap))| ((k / 3) as u8, (k % 3) as u8, price, cap)).collect();
        let p = prices(&table);
        let d = Distribution {
            on_demand_base: base,
            on_demand_percent: percent,
            on_demand_strategy: if od_lowest { OnDemandStrategy::LowestPrice } else { OnDemandStrategy::Prioritized },
            spot_strategy: [SpotStrategy::LowestPrice, SpotStrategy::CapacityOptimized,
                SpotStrategy::CapacityOptimizedPrioritized, SpotStrategy::PriceCapacityOptimized][usize::from(strategy)],
            spot_pools: pools,
            spot_max_price: max_price.map(Rate::from_micros),
        };
        let o: Vec<Override> = weights.iter().enumerate()
            .map(|(t, &w)| Override { instance_type: t as u8, weight: w }).collect();
        let mix = Mix { distribution: &d, overrides: &o, prices: &p, zones };
        let max_w = u64::from(*weights.iter().max().unwrap());
        let mut members: Vec<MemberView> = Vec::new();
        for want in desired {
            let mut blocked = false;
            for _ in 0..500 {
                match mix.next(&members, want).unwrap() {
                    Step::Launch(l) => {
                        prop_assert!(l.zone < zones);
                        if l.market == MarketKind::Spot {
                            let pool = p.spot(l.instance_type, l.zone).unwrap();
                            prop_assert!(pool.capacity > 0);
                            prop_assert!(pool.price <= mix.max_price(l.instance_type).unwrap());
                            if let Some(m) = max_price {
                                prop_assert!(pool.price.micros() <= m * u64::from(l.weight));
                            }
                        }
                        members.push(l.member());
                    }
                    Step::Terminate(i) => { members.remove(i); }
                    Step::NoSpotCapacity => { blocked = true; break; }
                    Step::Steady => break,
                }
            }
            let (od, sp) = Mix::units(&members);
            let target = split(want, base, percent);
            prop_assert!(od >= u64::from(base.min(want)), "on-demand {} below base {}", od, base.min(want));
            // A weight overshoot in Spot can fill an increase: On-Demand is then short of its
            // share by less than the largest weight.
            prop_assert!(od + max_w > u64::from(target.on_demand));
            if !blocked {
                prop_assert!(od + sp >= u64::from(want));
                // Each market can stay above its share by less than the largest weight.
                prop_assert!(od + sp < u64::from(want) + 2 * max_w);
            }
        }
    }
}
