//! The world model of the scenario runner.

#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::group::{GroupConfig, ScalingPolicy, Source};
use crate::id::TemplateId;
use crate::scaling::target::TargetTracking;
use crate::test_prelude::*;

const MINUTE: Duration = Duration::from_secs(60);

fn world(cpu: Option<u8>) -> World {
    World {
        member_capacity: Value::from_int(100),
        boot_time: Duration::from_secs(120),
        slo_utilisation: Value::from_int(90),
        price_per_hour: Value::from_int(6),
        utilisation_metric: cpu,
        load_metric: None,
    }
}

fn tracked(min: u32, max: u32) -> Simulator<16, crate::group::AllParts<16, 4>> {
    let c = GroupConfig::new(min, max, TemplateId::from_u64(1), "a").unwrap();
    let mut g = Group::new(c, 7).unwrap();
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    g.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking {
            target: Value::from_int(50),
            disable_scale_in: false,
        },
        warmup: Some(Duration::from_secs(120)),
        hpa: None,
    })
    .unwrap();
    Simulator::new(g, world(Some(cpu)))
}

#[test]
fn members_boot_after_the_boot_time_and_are_billed_while_they_count() {
    let c = GroupConfig::new(2, 4, TemplateId::from_u64(1), "a").unwrap();
    let mut sim = Simulator::new(
        Group::<16, crate::group::AllParts<16, 4>>::new(c, 1).unwrap(),
        world(None),
    );
    let mut log = Vec::new();
    let s0 = sim
        .step(Instant::ZERO, MINUTE, Value::from_int(50), |t, a| {
            log.push((t, *a));
        })
        .unwrap();
    assert_eq!((s0.launched, s0.in_service, s0.capacity), (2, 0, 2));
    assert!(s0.slo_breach, "load and nobody in service");
    // Two members for a minute at 6 an hour: 0.2.
    assert_eq!(s0.cost, Value::from_milli(200));
    let s1 = sim
        .step(
            Instant::from_secs(60),
            MINUTE,
            Value::from_int(50),
            |_, _| {},
        )
        .unwrap();
    assert_eq!(s1.in_service, 0, "still booting at 60 s");
    let s2 = sim
        .step(
            Instant::from_secs(120),
            MINUTE,
            Value::from_int(50),
            |_, _| {},
        )
        .unwrap();
    // 50 over two members of 100: 25 %.
    assert_eq!(
        (s2.in_service, s2.utilisation),
        (2, Some(Value::from_int(25)))
    );
    assert!(!s2.slo_breach);
    let t = sim.totals();
    assert_eq!((t.steps, t.member_seconds, t.launches), (3, 360, 2));
    assert_eq!(t.slo_breach_seconds, 120);
    assert_eq!(t.cost, Value::from_milli(600));
    assert_eq!(log.len(), 2);
}

#[test]
fn target_tracking_follows_a_load_step_and_back() {
    let mut sim = tracked(1, 10);
    let mut desired = Vec::new();
    for k in 0..60u64 {
        let load = if (10..30).contains(&k) { 400 } else { 40 };
        let s = sim
            .step(
                Instant::from_secs(k * 60),
                MINUTE,
                Value::from_int(load),
                |_, _| {},
            )
            .unwrap();
        assert!((1..=10).contains(&s.desired));
        desired.push(s.desired);
    }
    // 400 on one member is 400 %: out to ⌈1 × 400 / 50⌉ = 8 after three datapoints.
    assert_eq!(desired[9], 1);
    assert_eq!(desired.iter().copied().max(), Some(8), "{desired:?}");
    // Back at 40 the group returns to one member once AlarmLow has 15 datapoints.
    assert_eq!(desired[59], 1, "{desired:?}");
    assert!(sim.totals().slo_breach_seconds > 0);
}

#[test]
fn init_in_place_runs_as_new_does() {
    let mut slot = std::boxed::Box::new(core::mem::MaybeUninit::uninit());
    let c = GroupConfig::new(1, 10, TemplateId::from_u64(1), "a").unwrap();
    let sim = Simulator::<16, crate::group::AllParts<16, 4>>::init(&mut slot, c, 7, world(Some(0)))
        .unwrap();
    let cpu = sim
        .group_mut()
        .put_metric("CPU", MINUTE, Source::Members)
        .unwrap();
    assert_eq!(cpu, 0);
    sim.group_mut()
        .put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking {
                target: Value::from_int(50),
                disable_scale_in: false,
            },
            warmup: Some(Duration::from_secs(120)),
            hpa: None,
        })
        .unwrap();
    let mut other = tracked(1, 10);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for k in 0..240u64 {
        let load = Value::from_int(30 + i64::try_from(k * 37 % 300).unwrap());
        let at = Instant::from_secs(k * 60);
        sim.step(at, MINUTE, load, |t, x| a.push((t, *x))).unwrap();
        other
            .step(at, MINUTE, load, |t, x| b.push((t, *x)))
            .unwrap();
    }
    assert!(a.iter().any(|(_, x)| matches!(x, Action::Launch { .. })));
    assert_eq!(a, b);
    assert_eq!(sim.totals(), other.totals());
    // A refused configuration leaves the slot unwritten and says why.
    let mut bad = std::boxed::Box::new(core::mem::MaybeUninit::uninit());
    let c = GroupConfig::new(5, 2, TemplateId::from_u64(1), "a").unwrap();
    assert!(
        Simulator::<16, crate::group::AllParts<16, 4>>::init(&mut bad, c, 7, world(None)).is_err()
    );
}

#[test]
fn same_inputs_same_run() {
    let run = || {
        let mut sim = tracked(1, 10);
        let mut log = Vec::new();
        for k in 0..120u64 {
            let load = 30 + i64::try_from(k * 37 % 300).unwrap();
            sim.step(
                Instant::from_secs(k * 60),
                MINUTE,
                Value::from_int(load),
                |t, a| {
                    log.push((t, *a));
                },
            )
            .unwrap();
        }
        (log, *sim.totals())
    };
    assert_eq!(run(), run());
}

#[test]
fn steps_out_of_order_are_refused() {
    let mut sim = tracked(1, 4);
    sim.step(Instant::from_secs(60), MINUTE, Value::ZERO, |_, _| {})
        .unwrap();
    let before = *sim.totals();
    assert_eq!(
        sim.step(Instant::from_secs(0), MINUTE, Value::ZERO, |_, _| {}),
        Err(GroupError::OutOfRange { field: "step" })
    );
    assert_eq!(
        sim.step(
            Instant::from_secs(120),
            Duration::ZERO,
            Value::ZERO,
            |_, _| {}
        ),
        Err(GroupError::OutOfRange { field: "step" })
    );
    assert_eq!(*sim.totals(), before);
}

/// The taxi design (`examples/taxi.json`: target tracking, predictive scaling, schedules, a
/// reservation, Spot with Capacity Rebalancing) around a group of 64, with every Spot pool
/// reclaimed at `permille` a month.
fn taxi(
    permille: u32,
    seed: u64,
) -> Simulator<64, crate::group::AllParts<16, { crate::group::MAX_SCHEDULED }>> {
    let doc: crate::config::ControllerDoc =
        crate::config::from_slice(include_bytes!("../../../examples/taxi.json")).unwrap();
    let s = doc.simulation.as_ref().unwrap();
    let g = doc
        .build_group(0, Instant::from_secs(1_404_172_800), s.seed)
        .unwrap();
    let mut sim = Simulator::new(
        g,
        World {
            member_capacity: Value::from_int(1000),
            boot_time: Duration::from_secs(180),
            slo_utilisation: Value::from_int(90),
            price_per_hour: Value::ZERO,
            utilisation_metric: Some(0),
            load_metric: Some(1),
        },
    );
    let mut pools = heapless::Vec::new();
    for ty in 0..2u8 {
        for zone in 0..3u8 {
            pools
                .push(PoolRisk {
                    instance_type: ty,
                    zone,
                    monthly_permille: permille,
                })
                .unwrap();
        }
    }
    sim.set_spot_risk(SpotRisk {
        seed,
        rebalance_lead: Duration::from_secs(600),
        pools,
    });
    sim
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    /// The figures the simulator keeps across steps (the census, who can be reclaimed, the
    /// pools' chances, the in-service samples kept once for all members and the counts of
    /// members in service and settled) give the run a fresh pass over the members every step
    /// gives: every step, action and total the same, and the group equal, encoded and printed
    /// the same after every step, on random loads, step lengths and Spot risks; and
    /// `Group::census` counts what the three separate passes count.
    #[test]
    fn kept_figures_give_the_reference_run(
        loads in proptest::collection::vec(0i64..60_000, 1..400),
        minutes in proptest::collection::vec(1u64..4, 1..8),
        permille in 0u32..300_000,
        seed in proptest::prelude::any::<u64>(),
    ) {
        let mut fast = taxi(permille, seed);
        let mut slow = taxi(permille, seed);
        slow.reference = true;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut at = Instant::from_secs(1_404_172_800);
        for (k, &load) in loads.iter().enumerate() {
            let step = Duration::from_secs(60 * minutes[k % minutes.len()]);
            let load = Value::from_milli(load * 10);
            let x = fast.step(at, step, load, |t, act| a.push((t, *act))).unwrap();
            let y = {
                // The slow run's counts of members in service and settled from a pass over
                // the members at every call (`Roster::counts` keeps nothing).
                crate::group::roster_reference(true);
                let y = slow.step(at, step, load, |t, act| b.push((t, *act)));
                crate::group::roster_reference(false);
                y.unwrap()
            };
            proptest::prop_assert_eq!(x, y);
            // The samples kept once for the members in service (not yet written to them) read,
            // compare and encode as the samples written to each member.
            proptest::prop_assert_eq!(fast.group(), slow.group());
            let (mut fb, mut sb) = (vec![0u8; 512 * 1024], vec![0u8; 512 * 1024]);
            let (n, m) = (
                fast.group().snapshot(&mut fb).unwrap(),
                slow.group().snapshot(&mut sb).unwrap(),
            );
            proptest::prop_assert_eq!(&fb[..n], &sb[..m]);
            proptest::prop_assert_eq!(
                std::format!("{:?}", fast.group()),
                std::format!("{:?}", slow.group())
            );
            let g = fast.group();
            let (od, spot) = g.units_by_market();
            proptest::prop_assert_eq!(
                g.census(),
                Census {
                    in_service_units: g.in_service_units(),
                    capacity: g.capacity(),
                    on_demand_units: od,
                    spot_units: spot,
                }
            );
            at = at.saturating_add(step);
        }
        proptest::prop_assert_eq!(a, b);
        proptest::prop_assert_eq!(fast.totals(), slow.totals());
    }
}

std::thread_local! {
    /// The questions `counted_search` was asked on this thread.
    static ASKED: core::cell::Cell<u32> = const { core::cell::Cell::new(0) };
}

/// [`DrawSieve::first_passing`], counting the questions.
fn counted_search(sieve: &DrawSieve, from: u64, to: u64) -> u64 {
    ASKED.with(|a| a.set(a.get() + 1));
    sieve.first_passing(from, to)
}

/// A search that never finds a draw that may hit: with it no Spot member is reclaimed.
fn blind_search(_: &DrawSieve, _: u64, to: u64) -> u64 {
    to
}

/// The simulator asks the search it is given ([`Simulator::set_hit_search`]) where the next
/// Spot draw that may hit is, and a search that answers as the sieve computes gives the same
/// run, step for step; one that finds nothing gives no interruptions.
#[test]
fn a_hit_search_given_is_the_one_asked() {
    let run = |search: Option<HitSearch>| {
        let mut sim = taxi(150_000, 11);
        if let Some(search) = search {
            sim.set_hit_search(search);
        }
        let (mut steps, mut log) = (Vec::new(), Vec::new());
        let mut at = Instant::from_secs(1_404_172_800);
        for k in 0..3000i64 {
            let load = Value::from_milli(20_000_000 + (k % 120) * 100_000);
            steps.push(
                sim.step(at, Duration::from_secs(60), load, |t, a| log.push((t, *a)))
                    .unwrap(),
            );
            at = at.saturating_add(Duration::from_secs(60));
        }
        (steps, log, *sim.totals())
    };
    let computed = run(None);
    assert!(computed.2.interruptions > 0, "{:?}", computed.2);
    ASKED.with(|a| a.set(0));
    assert_eq!(run(Some(counted_search)), computed);
    assert!(ASKED.with(core::cell::Cell::get) > 0);
    assert_eq!(run(Some(blind_search)).2.interruptions, 0);
}

/// `Group::revision` moves with every change to the members, a restore included (the
/// simulator keeps figures computed from them while it stays), and not with samples.
#[test]
fn the_revision_moves_when_the_members_may_have_changed() {
    let mut sim = tracked(2, 4);
    let r0 = sim.group().revision();
    sim.step(Instant::ZERO, MINUTE, Value::from_int(50), |_, _| {})
        .unwrap();
    let r1 = sim.group().revision();
    assert_ne!(r0, r1, "two launches");
    let booted = Instant::from_secs(180);
    sim.step(
        Instant::from_secs(120),
        MINUTE,
        Value::from_int(50),
        |_, _| {},
    )
    .unwrap();
    let r2 = sim.group().revision();
    assert_ne!(r1, r2, "two boots");
    // A sample changes no member.
    let g = sim.group_mut();
    g.record_in_service(booted, 0, Value::from_int(20)).unwrap();
    assert_eq!(g.revision(), r2);
    let mut buf = vec![0u8; 64 * 1024];
    let n = g.snapshot(&mut buf).unwrap();
    let census = g.census();
    g.restore_into(&buf[..n]).unwrap();
    assert_ne!(g.revision(), r2, "restored in place");
    assert_eq!(g.census(), census);
    assert_eq!(census.in_service_units, 2);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

    /// `Group::record_in_service` in one pass (when the datapoint takes the samples) leaves the
    /// group as the two passes do, and answers the same, at every step of a random taxi run
    /// and at random sample times up to an hour back (old enough to be refused).
    #[test]
    fn one_pass_records_in_service_as_two_passes_do(
        loads in proptest::collection::vec(0i64..60_000, 1..200),
        back in proptest::collection::vec(0u64..3_600, 1..16),
        value in 0i64..200_000,
    ) {
        let mut sim = taxi(100_000, 7);
        let mut at = Instant::from_secs(1_404_172_800);
        for (k, &load) in loads.iter().enumerate() {
            sim.step(at, MINUTE, Value::from_milli(load * 10), |_, _| {}).unwrap();
            let when = Instant::from_millis(
                at.total_millis().saturating_sub(back[k % back.len()] * 1000),
            );
            let (mut one, mut two) = (sim.group().clone(), sim.group().clone());
            let v = Value::from_milli(value);
            proptest::prop_assert_eq!(
                one.record_in_service(when, 0, v),
                two.record_in_service_two_passes(when, 0, v)
            );
            proptest::prop_assert_eq!(&one, &two);
            at = at.saturating_add(MINUTE);
        }
    }
}

/// A Spot price above the max price, set between steps through `group_mut`, interrupts the
/// pool's members as in the reference run (which passes over every member every step): what
/// the simulator keeps about the pools ("none above") is forgotten with the change, and is
/// true again once the price is back under.
#[test]
fn a_price_above_the_max_interrupts_as_in_the_reference_run() {
    for seed in 0..3u64 {
        let mut fast = taxi(0, seed);
        let mut slow = taxi(0, seed);
        slow.reference = true;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut at = Instant::from_secs(1_404_172_800);
        let step = Duration::from_secs(60);
        for k in 0..600u32 {
            // Above m5.large's On-Demand price (its max price), then back to its own.
            let price = match k {
                300 => Some(crate::purchase::Rate::from_micros(1_000_000)),
                450 => Some(crate::purchase::Rate::from_micros(35_000)),
                _ => None,
            };
            if let Some(price) = price {
                for sim in [&mut fast, &mut slow] {
                    for zone in 0..3 {
                        sim.group_mut().set_spot_price(at, 0, zone, price).unwrap();
                    }
                }
            }
            let load = Value::from_int(if k < 100 { 5_000 } else { 40_000 });
            let x = fast
                .step(at, step, load, |t, act| a.push((t, *act)))
                .unwrap();
            let y = slow
                .step(at, step, load, |t, act| b.push((t, *act)))
                .unwrap();
            assert_eq!(x, y, "seed {seed} step {k}");
            at = at.saturating_add(step);
        }
        assert_eq!(a, b);
        assert_eq!(fast.totals(), slow.totals());
        assert!(
            fast.totals().interruptions > 0,
            "seed {seed}: nothing was above"
        );
    }
}

/// The `z` whose draw is `v` (`v = z ^ (z >> 31)`): the mix's last xor-shift undone.
fn unmix_last(v: u64) -> u64 {
    v ^ (v >> 31) ^ (v >> 62)
}

/// The sieve's constants are what their docs say: 10¹² = 2¹² × `DRAWS_ODD` and
/// `SIEVE_MUL` = ⌈2⁶⁴ ÷ `DRAWS_ODD`⌉.
#[test]
fn the_sieve_constants_are_exact() {
    assert_eq!(DRAWS_ODD << 12, DRAWS);
    let m = u128::from(SIEVE_MUL);
    let f = u128::from(DRAWS_ODD);
    assert!(m * f >= 1 << 64 && (m - 1) * f < 1 << 64);
}

/// Every draw under a chance passes the sieve made for it, at the edges of the remainder
/// (just under the chance, zero) for quotients over the whole range of a u64; and the sieve
/// lets few others through (else it would save nothing).
#[test]
fn the_sieve_passes_every_draw_under_the_chance() {
    let mut g = IdGenerator::new(20);
    let chances = [
        1u64,
        2,
        4095,
        4096,
        4097,
        8191,
        8192,
        925_925,
        4_166_666,
        1 << 32,
        DRAWS / 2,
        DRAWS - 1,
        DRAWS,
    ];
    let q_max = u64::MAX / DRAWS;
    for &chance in &chances {
        let bound = sieve_bound(chance).unwrap();
        let coarse = coarse_bound(chance).unwrap();
        let mut qs = vec![0, 1, 2, q_max - 1, q_max];
        qs.extend((0..2000).map(|_| g.next_u64().unwrap() % (q_max + 1)));
        let mut rs = vec![0, chance - 1, chance / 2, (chance - 1) & !4095];
        rs.extend((0..8).map(|_| g.next_u64().unwrap() % chance));
        for &q in &qs {
            for &r in &rs {
                let Some(v) = q.checked_mul(DRAWS).and_then(|x| x.checked_add(r)) else {
                    continue;
                };
                assert!(v % DRAWS < chance);
                assert!(passes(v, bound), "chance {chance} q {q} r {r}");
                // The coarse sieve passes it from any `z` of which it is the draw: `z` agrees
                // with it from bit 33 up, and below that any bits can come before the xor-shift.
                let z = unmix_last(v);
                assert_eq!(z ^ (z >> 31), v);
                assert!(passes_coarse(z, coarse), "chance {chance} q {q} r {r}");
            }
        }
    }
    assert_eq!(sieve_bound(0), None);
    assert_eq!(coarse_bound(0), None);
    // The coarse sieve at the lowest draws of each `z` above bit 33 (bits below it all zero,
    // all one): every draw under the chance passes from its `z`, over the whole range of
    // quotients, at the edges of the remainder.
    for &chance in &chances {
        let coarse = coarse_bound(chance).unwrap();
        for _ in 0..20_000 {
            let hi = g.next_u64().unwrap() & !((1 << 33) - 1);
            for z in [hi, hi | ((1 << 33) - 1), hi | (g.next_u64().unwrap() >> 31)] {
                let v = z ^ (z >> 31);
                if v % DRAWS < chance {
                    assert!(passes_coarse(z, coarse), "chance {chance} z {z}");
                }
            }
        }
    }
    // A minute's chance at 180 ‰ a month: about one `z` in 116 passes the coarse sieve.
    let coarse = coarse_bound(4_166_666).unwrap();
    let passed = (0..100_000)
        .filter(|_| passes_coarse(g.next_u64().unwrap(), coarse))
        .count();
    assert!((600..1200).contains(&passed), "{passed} of 100,000 passed");
    // A minute's chance at 180 ‰ a month: about one draw in 4,000 passes, not all.
    let bound = sieve_bound(4_166_666).unwrap();
    let passed = (0..100_000)
        .filter(|_| passes(g.next_u64().unwrap(), bound))
        .count();
    assert!(passed < 100, "{passed} of 100,000 passed");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// `sieved_hits` finds the hits a draw-by-draw remainder test finds, in the same order,
    /// over a run of steps that share what was sieved ahead (each step's draws follow the
    /// last's, or skip some as the one-by-one path can leave them), on random pools and
    /// chances (from none to every draw, so that hits happen), any number of members (groups
    /// of four and the rest), and a chance table that changes part way (a new step length).
    #[test]
    fn sieved_hits_are_the_hits_draw_by_draw(
        seed in proptest::prelude::any::<u64>(),
        start in proptest::prop_oneof![0u64..1000, (u64::MAX - 5_000)..=u64::MAX],
        steps in proptest::collection::vec((0usize..200, 0u64..3, proptest::prelude::any::<bool>()), 1..40),
        pools in proptest::collection::vec(0u8..4, 200),
        chances in proptest::collection::vec(
            proptest::prop_oneof![proptest::strategy::Just(0u64), 0u64..5_000_000, 0u64..=DRAWS],
            8,
        ),
    ) {
        let mut sieved = None;
        let mut g = IdGenerator::resume(seed, start);
        for (k, &(n, gap, other)) in steps.iter().enumerate() {
            let mut table = [0u64; MAX_POOLS];
            table[..4].copy_from_slice(&chances[if other { 4..8 } else { 0..4 }]);
            let members = &pools[..n];
            let c = g.counter();
            let want: Vec<usize> = if c.checked_add(n as u64).is_none() {
                Vec::new()
            } else {
                members
                    .iter()
                    .enumerate()
                    .filter(|&(i, &p)| g.value_at(c + i as u64) % DRAWS < table[usize::from(p)])
                    .map(|(i, _)| i)
                    .collect()
            };
            let mut got = Vec::new();
            if let Some(bound) = table.iter().max().and_then(|&c| Bounds::new(c)) {
                sieved_hits(&mut sieved, DrawSieve::first_passing, &g, members, &table, bound, |i| got.push(i));
            }
            proptest::prop_assert_eq!(got, want, "step {}", k);
            if g.skip(n as u64 + gap).is_err() {
                break;
            }
        }
    }
}
