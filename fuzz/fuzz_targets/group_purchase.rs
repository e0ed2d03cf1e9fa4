//! A mixed-instances group as random operation sequences (SEMANTICS §4.5, §1.4, §2.12), the
//! libFuzzer twin of core/tests/group_purchase_props.rs: a `Group<24>` over two zones with three
//! priced types and six Spot pools, a policy drawn from the input (base, percentage, weights,
//! strategies, Capacity Rebalancing), then desired changes, Spot price and capacity moves,
//! recommendations, notices, EC2 terminations and boots.
//!
//! After every operation:
//! - no Spot launch goes into a pool priced above its On-Demand price (the default max price)
//!   or with no capacity, and every launch's type is one of the overrides;
//! - every tick equals a tick of a copy with the quiet shortcut off;
//! - the ledger meters exactly the members the group holds, and its settled spend never
//!   decreases;
//! - a refused call leaves the group as it was.
//!
//! At the end every pool can launch again and the world answers everything: On-Demand units are
//! at least `min(base, desired)`, capacity is at least desired and below desired plus the
//! largest weight.

#![no_main]

use arbitrary::Arbitrary;
use fleetcore::group::{Action, Event, Group, GroupConfig, MixedInstances};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::purchase::{
    Distribution, MarketKind, OnDemandStrategy, Override, Prices, Rate, SpotSignal, SpotStrategy,
    UpfrontAccounting,
};
use fleetcore::{Duration, Instant};
use libfuzzer_sys::fuzz_target;

type G = Group<24, fleetcore::group::AllParts<8, 2>>;
type Out = heapless::Vec<Action, 32>;

#[derive(Debug, Arbitrary)]
struct Input {
    base: u8,
    percent: u8,
    weights: [u8; 3],
    strategy: u8,
    rebalance: bool,
    ops: Vec<Op>,
}

#[derive(Debug, Arbitrary)]
enum Op {
    SetDesired(u8),
    Tick,
    Boot(u8),
    Price(u8, u8, u16),
    Capacity(u8, u8, u8),
    Recommend(u8),
    Notice(u8),
    Terminated(u8),
    Advance(u16),
}

const OD: [u64; 3] = [96_000, 85_000, 192_000];

fn build(input: &Input) -> (G, u32) {
    let mut c = GroupConfig::new(0, 16, TemplateId::from_u64(1), "a").unwrap();
    c.add_zone("b").unwrap();
    c.desired_capacity = Some(0);
    let mut g = G::new(c, 3).unwrap();
    let mut prices = Prices::new();
    for (name, od) in ["m5.large", "c5.large", "m5.xlarge"].iter().zip(OD) {
        prices.add_builtin(name, Rate::from_micros(od)).unwrap();
    }
    for ty in 0..3u8 {
        for zone in 0..2u8 {
            let price = 30_000 + u64::from(ty) * 7_000 + u64::from(zone) * 3_000;
            prices
                .set_spot(ty, zone, Rate::from_micros(price), 10 + u32::from(ty))
                .unwrap();
        }
    }
    g.set_prices(Instant::ZERO, prices, UpfrontAccounting::Amortized)
        .unwrap();
    let weights = input.weights.map(|w| u16::from(w % 4) + 1);
    let overrides: Vec<Override> = (0..3u8)
        .map(|ty| Override {
            instance_type: ty,
            weight: weights[usize::from(ty)],
        })
        .collect();
    let mut m = MixedInstances::new(&overrides).unwrap();
    m.distribution = Distribution {
        on_demand_base: u32::from(input.base % 6),
        on_demand_percent: input.percent % 101,
        on_demand_strategy: if input.strategy & 4 == 0 {
            OnDemandStrategy::Prioritized
        } else {
            OnDemandStrategy::LowestPrice
        },
        spot_strategy: match input.strategy % 4 {
            0 => SpotStrategy::LowestPrice,
            1 => SpotStrategy::CapacityOptimized,
            2 => SpotStrategy::CapacityOptimizedPrioritized,
            _ => SpotStrategy::PriceCapacityOptimized,
        },
        ..Distribution::default()
    };
    m.capacity_rebalance = input.rebalance;
    g.set_mixed_instances(Some(m)).unwrap();
    (g, u32::from(*weights.iter().max().unwrap()))
}

fn tick(g: &mut G, now: Instant, pending: &mut Vec<InstanceId>) {
    let mut full = g.clone();
    full.invalidate();
    let (mut out, mut out_full) = (Out::new(), Out::new());
    g.tick(now, &mut out);
    full.tick(now, &mut out_full);
    assert_eq!(out, out_full, "the quiet shortcut changed the actions");
    assert!(*g == full, "the quiet shortcut changed the group");
    let mix = g.mixed_instances().unwrap().clone();
    let prices = g.prices().unwrap().clone();
    for a in &out {
        match *a {
            Action::Launch {
                id,
                market,
                instance_type,
                zone,
                ..
            } => {
                assert!(
                    mix.overrides
                        .iter()
                        .any(|o| o.instance_type == instance_type)
                );
                if market == MarketKind::Spot {
                    let pool = prices.spot(instance_type, zone).unwrap();
                    assert!(pool.price <= prices.on_demand(instance_type).unwrap());
                    assert!(pool.capacity > 0);
                }
                pending.push(id);
            }
            Action::Terminate { id } => {
                pending.retain(|p| *p != id);
                g.observe(now, Event::Terminated(id)).unwrap();
            }
            _ => {}
        }
    }
}

fn check_ledger(g: &mut G, now: Instant, last: &mut u64) {
    let ledger = g.ledger().unwrap();
    let mut metered: Vec<InstanceId> = ledger.members().map(|m| m.id).collect();
    let mut held: Vec<InstanceId> = g.members().iter().map(|m| m.id()).collect();
    metered.sort_unstable();
    held.sort_unstable();
    assert_eq!(
        metered, held,
        "the ledger meters other members than the group holds"
    );
    let total = g.settle(now).unwrap().total().exact();
    assert!(total >= *last, "the spend went down");
    *last = total;
}

fuzz_target!(|input: Input| {
    let (mut g, largest) = build(&input);
    let mut now = Instant::ZERO;
    let mut pending: Vec<InstanceId> = Vec::new();
    let mut spent = 0u64;
    for op in input.ops.iter().take(200) {
        let ids: Vec<InstanceId> = g.members().iter().map(|m| m.id()).collect();
        let pick = |i: u8| ids.get(usize::from(i) % ids.len().max(1)).copied();
        let before = g.clone();
        let refused = match *op {
            Op::SetDesired(d) => g.set_desired(now, u32::from(d % 20), false).is_err(),
            Op::Tick => {
                tick(&mut g, now, &mut pending);
                false
            }
            Op::Boot(i) => {
                if !pending.is_empty() {
                    let id = pending.remove(usize::from(i) % pending.len());
                    // A member that left meanwhile has nothing to boot.
                    let _ = g.observe(now, Event::Booted(id));
                }
                false
            }
            Op::Price(t, z, p) => g
                .set_spot_price(now, t % 4, z % 3, Rate::from_micros(u64::from(p) * 4))
                .is_err(),
            Op::Capacity(t, z, c) => g
                .set_spot_capacity(t % 4, z % 3, u32::from(c % 32))
                .is_err(),
            Op::Recommend(i) => pick(i)
                .is_some_and(|id| g.observe(now, Event::RebalanceRecommendation(id)).is_err()),
            Op::Notice(i) => {
                pick(i).is_some_and(|id| g.observe(now, Event::SpotInterruption(id)).is_err())
            }
            Op::Terminated(i) => {
                let noticed = pick(i).filter(|id| {
                    g.member(*id)
                        .is_ok_and(|m| m.spot_signal() == SpotSignal::Notice)
                });
                if let Some(id) = noticed {
                    pending.retain(|x| *x != id);
                    g.observe(now, Event::Terminated(id)).unwrap();
                }
                false
            }
            Op::Advance(s) => {
                now = now.saturating_add(Duration::from_secs(u64::from(s % 3600)));
                false
            }
        };
        if refused {
            assert!(g == before, "a refused call changed the group");
        }
        check_ledger(&mut g, now, &mut spent);
    }
    for t in 0..3u8 {
        for z in 0..2u8 {
            g.set_spot_price(now, t, z, Rate::from_micros(40_000))
                .unwrap();
            g.set_spot_capacity(t, z, 20).unwrap();
        }
    }
    for _ in 0..40 {
        let noticed: Vec<InstanceId> = g
            .members()
            .iter()
            .filter(|m| m.spot_signal() == SpotSignal::Notice)
            .map(|m| m.id())
            .collect();
        for id in noticed {
            pending.retain(|x| *x != id);
            g.observe(now, Event::Terminated(id)).unwrap();
        }
        tick(&mut g, now, &mut pending);
        for id in std::mem::take(&mut pending) {
            let _ = g.observe(now, Event::Booted(id));
        }
        now = now.saturating_add(Duration::from_secs(60));
    }
    check_ledger(&mut g, now, &mut spent);
    let desired = g.desired();
    let (od, _) = g.units_by_market();
    let base = u32::from(input.base % 6);
    assert!(
        od >= base.min(desired),
        "on-demand {od} below the base {base}"
    );
    if g.members().len() < 24 {
        assert!(
            g.capacity() >= desired,
            "capacity {} below desired {desired}",
            g.capacity()
        );
    }
    assert!(
        g.capacity() < desired + largest,
        "capacity {} overshoots {desired}",
        g.capacity()
    );
});
