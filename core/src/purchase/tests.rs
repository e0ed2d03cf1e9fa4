//! Worked examples of SEMANTICS §4 and the models of the purchase module.

// Test arithmetic is on small known values; short names follow the SEMANTICS examples.
#![allow(clippy::arithmetic_side_effects, clippy::many_single_char_names)]

use super::account::Steps;
use super::rebalance::{self, RebalanceStep, RebalanceView};
use super::spot::{self, SpotSignal};
use super::*;
use crate::error::{Error, ErrorKind};
use crate::id::{ImageId, InstanceId};
use crate::lifecycle::{
    Instance, InstanceState, InterruptionBehavior, LaunchSpec, Market, SpotRequestType, Timeouts,
};
use crate::test_prelude::*;
use crate::time::{Duration, Instant};

/// An hour well after the epoch, so that hour indices are realistic.
const BASE_HOUR: u64 = 400_000;

fn at(hour: u64, secs: u64) -> Instant {
    Instant::from_secs(BASE_HOUR.saturating_add(hour) * 3600 + secs)
}

fn id(n: u64) -> InstanceId {
    InstanceId::from_u64(n)
}

/// t2.small 0.023, t2.medium 0.0464, t2.large 0.0928, m5.large 0.096, c5.large 0.085.
fn prices() -> Prices {
    let mut p = Prices::new();
    for (name, micros) in [
        ("t2.small", 23_000),
        ("t2.medium", 46_400),
        ("t2.large", 92_800),
        ("m5.large", 96_000),
        ("c5.large", 85_000),
    ] {
        p.add_builtin(name, Rate::from_micros(micros)).unwrap();
    }
    p
}

const SMALL: u8 = 0;
const MEDIUM: u8 = 1;
const LARGE: u8 = 2;
const M5: u8 = 3;
const C5: u8 = 4;

type Acct = Account<16, 24>;

fn account() -> Acct {
    Account::new(prices(), at(0, 0), UpfrontAccounting::AtPurchase)
}

/// One member's run: (id, type, zone, market, from, to).
type Span = (u64, u8, u8, MarketKind, Instant, Instant);

/// Plays runs of several members, reporting their starts and ends in time order.
fn play(a: &mut Acct, spans: &[Span]) {
    let mut events = Vec::new();
    for &(n, ty, zone, market, from, to) in spans {
        a.track(id(n), ty, zone, market).unwrap();
        events.push((from, n, InstanceState::Running));
        events.push((to, n, InstanceState::Terminated));
    }
    events.sort_by_key(|e| (e.0, e.2 == InstanceState::Running));
    for (t, n, state) in events {
        a.observe(t, id(n), state, false).unwrap();
    }
}

fn run(a: &mut Acct, n: u64, ty: u8, zone: u8, market: MarketKind, from: Instant, to: Instant) {
    play(a, &[(n, ty, zone, market, from, to)]);
}

fn ri(ty: u8, count: u16, scope: Scope) -> Reservation {
    Reservation {
        instance_type: ty,
        count,
        scope,
        term: Term::OneYear,
        payment: Payment::NoUpfront,
        upfront: Money::ZERO,
        hourly: Rate::from_micros(10_000),
        start: at(0, 0),
    }
}

const REGIONAL: Scope = Scope::Regional {
    size_flexible: true,
};

// ---- money -------------------------------------------------------------------------------

#[test]
fn money_is_exact_and_prints_six_decimals() {
    let r = Rate::from_micros(96_000);
    assert_eq!(r.for_secs(3600), Money::from_micros(96_000));
    // One second of 0.096/h is 26.666… millionths: exact inside, rounded when shown.
    assert_eq!(r.for_secs(1).micros(), 27);
    assert_eq!(r.for_secs(3).micros(), 80);
    assert_eq!(Money::from_micros(12_345_678).to_string(), "12.345678");
    assert_eq!(r.to_string(), "0.096000/h");
}

// ---- on-demand billing -------------------------------------------------------------------

#[test]
fn twenty_seconds_bill_the_sixty_second_minimum() {
    let mut a = account();
    run(&mut a, 1, M5, 0, MarketKind::OnDemand, at(1, 0), at(1, 20));
    a.settle(at(3, 0)).unwrap();
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!(s.on_demand_secs, 60);
    assert_eq!(s.on_demand, Rate::from_micros(96_000).for_secs(60));
}

#[test]
fn seconds_go_to_the_hour_the_clock_bills_them_in() {
    let mut a = account();
    run(
        &mut a,
        1,
        M5,
        0,
        MarketKind::OnDemand,
        at(1, 3570),
        at(2, 600),
    );
    let h1 = a.spend(at(1, 0), at(2, 0)).unwrap();
    let h2 = a.spend(at(2, 0), at(3, 0)).unwrap();
    assert_eq!((h1.on_demand_secs, h2.on_demand_secs), (60, 570));
    assert_eq!(a.member(id(1)).unwrap().billed, Duration::from_secs(630));
}

#[test]
fn stopped_is_free_and_hibernating_is_billed() {
    let mut a = account();
    a.track(id(1), M5, 0, MarketKind::OnDemand).unwrap();
    a.observe(at(0, 0), id(1), InstanceState::Running, false)
        .unwrap();
    a.observe(at(0, 100), id(1), InstanceState::Stopping, true)
        .unwrap();
    a.observe(at(0, 160), id(1), InstanceState::Stopped, false)
        .unwrap();
    a.observe(at(0, 1000), id(1), InstanceState::Pending, false)
        .unwrap();
    a.settle(at(0, 2000)).unwrap();
    assert_eq!(a.member(id(1)).unwrap().billed, Duration::from_secs(160));
}

// ---- reserved instances (SEMANTICS §4.2) ------------------------------------------------

#[test]
fn one_reservation_and_four_instances_for_an_hour_is_one_hour_reserved_and_three_on_demand() {
    let mut a = account();
    a.reserve(ri(M5, 1, REGIONAL)).unwrap();
    let spans: Vec<Span> = (0..4)
        .map(|n| (n, M5, 0, MarketKind::OnDemand, at(1, 0), at(2, 0)))
        .collect();
    play(&mut a, &spans);
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!((s.covered_secs, s.on_demand_secs), (3600, 4 * 3600));
    assert_eq!(s.on_demand, Rate::from_micros(96_000).for_secs(3 * 3600));
    assert_eq!(s.reserved, Money::from_micros(10_000));
    assert_eq!(s.coverage_permille(), Some(250));
    assert_eq!(s.utilisation_permille(), Some(1000));
}

#[test]
fn four_instances_for_fifteen_minutes_each_are_all_covered() {
    let mut a = account();
    a.reserve(ri(M5, 1, REGIONAL)).unwrap();
    let spans: Vec<Span> = (0..4)
        .map(|n| {
            (
                n,
                M5,
                1,
                MarketKind::OnDemand,
                at(1, n * 900),
                at(1, (n + 1) * 900),
            )
        })
        .collect();
    play(&mut a, &spans);
    a.settle(at(2, 0)).unwrap();
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!((s.covered_secs, s.on_demand_secs), (3600, 3600));
    assert_eq!(s.on_demand, Money::ZERO);
}

#[test]
fn a_medium_reservation_covers_two_smalls_fully() {
    let mut a = account();
    a.reserve(ri(MEDIUM, 1, REGIONAL)).unwrap();
    play(
        &mut a,
        &[
            (1, SMALL, 0, MarketKind::OnDemand, at(1, 0), at(2, 0)),
            (2, SMALL, 1, MarketKind::OnDemand, at(1, 0), at(2, 0)),
        ],
    );
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!((s.covered_secs, s.on_demand_secs), (7200, 7200));
    assert_eq!(s.on_demand, Money::ZERO);
}

#[test]
fn a_medium_reservation_covers_half_a_large() {
    let mut a = account();
    a.reserve(ri(MEDIUM, 1, REGIONAL)).unwrap();
    run(
        &mut a,
        1,
        LARGE,
        0,
        MarketKind::OnDemand,
        at(1, 0),
        at(2, 0),
    );
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!(s.covered_secs, 1800);
    assert_eq!(s.on_demand, Rate::from_micros(92_800).for_secs(1800));
}

#[test]
fn size_flexibility_covers_the_smallest_size_first() {
    let mut a = account();
    a.reserve(ri(MEDIUM, 1, REGIONAL)).unwrap();
    play(
        &mut a,
        &[
            (1, LARGE, 0, MarketKind::OnDemand, at(1, 0), at(2, 0)),
            (2, SMALL, 0, MarketKind::OnDemand, at(1, 0), at(2, 0)),
        ],
    );
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    // The small (1 unit) is covered fully, the one unit left covers a quarter of the large.
    assert_eq!(s.covered_secs, 3600 + 900);
    assert_eq!(s.on_demand, Rate::from_micros(92_800).for_secs(2700));
}

#[test]
fn size_flexibility_stays_in_the_family_and_is_off_when_not_flexible() {
    let mut a = account();
    a.reserve(ri(MEDIUM, 2, REGIONAL)).unwrap();
    run(&mut a, 1, M5, 0, MarketKind::OnDemand, at(1, 0), at(2, 0));
    assert_eq!(a.spend(at(1, 0), at(2, 0)).unwrap().covered_secs, 0);
    let mut b = account();
    let fixed = Scope::Regional {
        size_flexible: false,
    };
    b.reserve(ri(MEDIUM, 1, fixed)).unwrap();
    play(
        &mut b,
        &[
            (1, SMALL, 0, MarketKind::OnDemand, at(1, 0), at(2, 0)),
            (2, MEDIUM, 3, MarketKind::OnDemand, at(1, 0), at(2, 0)),
        ],
    );
    let s = b.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!(s.covered_secs, 3600);
    assert_eq!(s.on_demand, Rate::from_micros(23_000).for_secs(3600));
}

#[test]
fn a_zonal_reservation_matches_its_zone_only_and_goes_first() {
    let mut a = account();
    a.reserve(ri(M5, 1, REGIONAL)).unwrap();
    a.reserve(ri(M5, 1, Scope::Zonal { zone: 2 })).unwrap();
    play(
        &mut a,
        &[
            (1, M5, 2, MarketKind::OnDemand, at(1, 0), at(2, 0)),
            (2, M5, 0, MarketKind::OnDemand, at(1, 0), at(2, 0)),
            (3, M5, 2, MarketKind::OnDemand, at(1, 0), at(2, 0)),
        ],
    );
    let s = a.spend(at(1, 0), at(2, 0)).unwrap();
    assert_eq!(s.covered_secs, 7200);
    let mut b = account();
    b.reserve(ri(M5, 1, Scope::Zonal { zone: 2 })).unwrap();
    run(&mut b, 1, M5, 0, MarketKind::OnDemand, at(1, 0), at(2, 0));
    assert_eq!(b.spend(at(1, 0), at(2, 0)).unwrap().covered_secs, 0);
}

#[test]
fn reservations_charge_every_hour_used_or_not_and_expire() {
    let mut a = account();
    a.reserve(ri(M5, 2, REGIONAL)).unwrap();
    a.settle(at(10, 0)).unwrap();
    let idle = a.spend(at(0, 0), at(10, 0)).unwrap();
    assert_eq!(idle.reserved, Money::from_micros(10_000 * 2 * 10));
    assert_eq!(idle.utilisation_permille(), Some(0));
    // The term is 8760 hours: usage in the last one is covered, the hour after is not.
    run(
        &mut a,
        1,
        M5,
        0,
        MarketKind::OnDemand,
        at(8759, 0),
        at(8761, 0),
    );
    let last = a.spend(at(8759, 0), at(8760, 0)).unwrap();
    let after = a.spend(at(8760, 0), at(8761, 0)).unwrap();
    assert_eq!((last.covered_secs, after.covered_secs), (3600, 0));
    assert_eq!(after.reserved, Money::ZERO);
    assert_eq!(
        a.reservations().count(),
        0,
        "an expired reservation is dropped"
    );
    let total = a.total();
    assert_eq!(total.reserved, Money::from_micros(10_000 * 2 * 8760));
}

#[test]
fn upfront_at_purchase_and_amortized_sum_to_the_same_over_the_term() {
    let all_upfront = Reservation {
        payment: Payment::AllUpfront,
        upfront: Money::from_micros(500_000_000),
        hourly: Rate::ZERO,
        ..ri(M5, 3, REGIONAL)
    };
    let mut cash = account();
    let mut amortized = Account::<16, 24>::new(prices(), at(0, 0), UpfrontAccounting::Amortized);
    cash.reserve(all_upfront).unwrap();
    amortized.reserve(all_upfront).unwrap();
    cash.settle(at(1, 0)).unwrap();
    amortized.settle(at(1, 0)).unwrap();
    let first_cash = cash.spend(at(0, 0), at(1, 0)).unwrap().reserved;
    let first_amortized = amortized.spend(at(0, 0), at(1, 0)).unwrap().reserved;
    assert_eq!(first_cash, Money::from_micros(1_500_000_000));
    assert!(first_amortized < first_cash);
    cash.settle(at(9000, 0)).unwrap();
    amortized.settle(at(9000, 0)).unwrap();
    assert_eq!(cash.total().reserved, amortized.total().reserved);
}

#[test]
fn reservation_rules_are_checked_and_leave_the_account_unchanged() {
    let mut a = account();
    a.settle(at(5, 0)).unwrap();
    let before = a.clone();
    let bad = [
        (ri(M5, 0, REGIONAL), Some(ReservationRule::ZeroCount)),
        (
            Reservation {
                payment: Payment::AllUpfront,
                ..ri(M5, 1, REGIONAL)
            },
            Some(ReservationRule::AllUpfrontHourly),
        ),
        (
            Reservation {
                upfront: Money::from_micros(1),
                ..ri(M5, 1, REGIONAL)
            },
            Some(ReservationRule::NoUpfrontUpfront),
        ),
        (
            Reservation {
                payment: Payment::PartialUpfront,
                ..ri(M5, 1, REGIONAL)
            },
            Some(ReservationRule::PartialUpfrontCharges),
        ),
        (ri(99, 1, REGIONAL), Some(ReservationRule::UnknownType)),
        (
            ri(M5, 1, REGIONAL),
            Some(ReservationRule::StartsInClosedHour),
        ),
        (
            Reservation {
                start: at(5, 0),
                ..ri(M5, 1, Scope::Zonal { zone: 9 })
            },
            None,
        ),
    ];
    for (r, rule) in bad {
        let e = a.reserve(r).unwrap_err();
        match rule {
            Some(rule) => assert_eq!(e, PurchaseError::InvalidReservation { rule }),
            None => assert_eq!(e, PurchaseError::ZoneOutOfRange { zone: 9 }),
        }
        assert_eq!(a, before);
    }
}

// ---- ledger ------------------------------------------------------------------------------

#[test]
fn the_ledger_refuses_unaligned_reversed_and_forgotten_intervals() {
    let mut a = Account::<4, 3>::new(prices(), at(0, 0), UpfrontAccounting::AtPurchase);
    a.track(id(1), M5, 0, MarketKind::OnDemand).unwrap();
    a.observe(at(0, 0), id(1), InstanceState::Running, false)
        .unwrap();
    a.settle(at(2, 10)).unwrap();
    // Before the account began counts as zero while nothing has been dropped.
    assert_eq!(
        a.spend(at(0, 0).saturating_sub(Duration::from_hours(5)), at(3, 0))
            .unwrap()
            .on_demand_secs,
        2 * 3600 + 10
    );
    assert_eq!(
        a.spend(at(0, 1), at(1, 0)),
        Err(PurchaseError::UnalignedInterval)
    );
    assert_eq!(
        a.spend(at(2, 0), at(1, 0)),
        Err(PurchaseError::ReversedInterval)
    );
    assert!(matches!(
        a.spend(at(0, 0), at(4, 0)),
        Err(PurchaseError::IntervalNotKept { .. })
    ));
    a.settle(at(6, 0)).unwrap();
    assert_eq!(a.history().count(), 3);
    assert_eq!(
        a.spend(at(2, 0), at(6, 0)),
        Err(PurchaseError::IntervalNotKept {
            oldest: at(3, 0),
            newest: at(7, 0),
        })
    );
    assert_eq!(
        a.spend(at(3, 0), at(7, 0)).unwrap().on_demand_secs,
        3 * 3600
    );
    // Totals keep everything.
    assert_eq!(a.total().on_demand_secs, 6 * 3600);
    let before = a.clone();
    assert_eq!(
        a.settle(at(5, 0)),
        Err(PurchaseError::TimeWentBack { settled: at(6, 0) })
    );
    assert_eq!(a, before);
}

#[test]
fn an_idle_gap_is_skipped_and_still_charges_reservations() {
    let mut a = Account::<4, 3>::new(prices(), at(0, 0), UpfrontAccounting::AtPurchase);
    a.reserve(ri(M5, 1, REGIONAL)).unwrap();
    a.settle(at(1000, 0)).unwrap();
    // Hours 0-999 are closed; the open hour 1000 is charged from its start.
    let t = a.total();
    assert_eq!(t.reserved, Money::from_micros(10_000 * 1001));
    assert_eq!(t.reserved_capacity, 3600 * 16 * 1001);
    assert_eq!(a.history().count(), 3);
    assert!(a.spend(at(990, 0), at(1000, 0)).is_err());
    assert!(a.spend(at(997, 0), at(1001, 0)).is_ok());
}

#[test]
fn spot_usage_pays_the_price_in_effect() {
    let mut p = prices();
    p.set_spot(M5, 0, Rate::from_micros(30_000), 10).unwrap();
    let mut a: Acct = Account::new(p, at(0, 0), UpfrontAccounting::AtPurchase);
    a.track(id(1), M5, 0, MarketKind::Spot).unwrap();
    a.observe(at(0, 0), id(1), InstanceState::Running, false)
        .unwrap();
    a.set_spot_price(at(0, 1800), M5, 0, Rate::from_micros(50_000))
        .unwrap();
    a.settle(at(1, 0)).unwrap();
    let s = a.spend(at(0, 0), at(1, 0)).unwrap();
    assert_eq!(s.spot, Money::from_micros(15_000 + 25_000));
    assert_eq!(s.spot_secs, 3600);
    assert_eq!(a.member(id(1)).unwrap().spot, s.spot);
    assert_eq!(
        s.on_demand_secs, 0,
        "spot usage is never reservation-covered"
    );
}

#[test]
fn tracking_errors_leave_the_account_unchanged() {
    let mut a = account();
    a.track(id(1), M5, 0, MarketKind::OnDemand).unwrap();
    let before = a.clone();
    assert_eq!(
        a.track(id(1), M5, 0, MarketKind::OnDemand),
        Err(PurchaseError::DuplicateMember)
    );
    assert_eq!(
        a.track(id(2), 42, 0, MarketKind::OnDemand),
        Err(PurchaseError::UnknownType)
    );
    assert_eq!(
        a.track(id(2), M5, 8, MarketKind::OnDemand),
        Err(PurchaseError::ZoneOutOfRange { zone: 8 })
    );
    assert_eq!(
        a.track(id(2), M5, 0, MarketKind::Spot),
        Err(PurchaseError::UnknownPool {
            instance_type: M5,
            zone: 0
        })
    );
    assert_eq!(
        a.observe(at(0, 5), id(9), InstanceState::Running, false),
        Err(PurchaseError::UnknownMember)
    );
    assert_eq!(
        a.set_spot_price(at(0, 5), 42, 0, Rate::ZERO),
        Err(PurchaseError::UnknownType)
    );
    assert_eq!(a, before);
    let mut small = Account::<1, 1>::new(prices(), at(0, 0), UpfrontAccounting::AtPurchase);
    small.track(id(1), M5, 0, MarketKind::OnDemand).unwrap();
    assert!(matches!(
        small.track(id(2), M5, 0, MarketKind::OnDemand),
        Err(PurchaseError::Full { .. })
    ));
}

#[test]
fn sync_reads_a_lifecycle_instance() {
    let mut a = account();
    let spec = LaunchSpec::new(
        ImageId::from_u64(1),
        crate::catalog::TypeName::parse("m5.large").unwrap(),
    );
    let mut i = Instance::launch(at(0, 0), id(1), spec, Timeouts::default()).unwrap();
    a.track(id(1), M5, 0, MarketKind::OnDemand).unwrap();
    i.observe(at(0, 30), crate::lifecycle::Report::Booted)
        .unwrap();
    a.sync(at(0, 30), &i).unwrap();
    i.stop(at(0, 630), false).unwrap();
    a.sync(at(0, 630), &i).unwrap();
    a.settle(at(1, 0)).unwrap();
    assert_eq!(a.member(id(1)).unwrap().billed, i.billed(at(1, 0)));
    let gone = a.forget(at(1, 0), id(1)).unwrap();
    assert_eq!(gone.billed, Duration::from_secs(600));
    assert_eq!(a.total().on_demand_secs, 600);
}

// ---- mixed instances (SEMANTICS §4.5) ---------------------------------------------------

#[test]
fn the_split_table_of_the_user_guide() {
    assert_eq!(
        split(40, 10, 50),
        Split {
            on_demand: 25,
            spot: 15
        }
    );
    assert_eq!(
        split(10, 0, 60),
        Split {
            on_demand: 6,
            spot: 4
        }
    );
    assert_eq!(
        split(10, 12, 0),
        Split {
            on_demand: 10,
            spot: 0
        }
    );
    // Rounding favours On-Demand.
    assert_eq!(
        split(3, 0, 50),
        Split {
            on_demand: 2,
            spot: 1
        }
    );
    assert_eq!(
        split(0, 5, 50),
        Split {
            on_demand: 0,
            spot: 0
        }
    );
}

fn spot_prices() -> Prices {
    let mut p = prices();
    // (type, zone, price, capacity)
    for (t, z, price, cap) in [
        (M5, 0, 30_000, 10),
        (C5, 0, 25_000, 2),
        (LARGE, 0, 35_000, 50),
        (M5, 1, 31_000, 10),
        (C5, 1, 26_000, 10),
        (LARGE, 1, 40_000, 10),
    ] {
        p.set_spot(t, z, Rate::from_micros(price), cap).unwrap();
    }
    p
}

fn overrides() -> [Override; 3] {
    [
        Override {
            instance_type: M5,
            weight: 1,
        },
        Override {
            instance_type: C5,
            weight: 1,
        },
        Override {
            instance_type: LARGE,
            weight: 1,
        },
    ]
}

/// Runs `next` until steady, applying each step; returns the members.
fn converge(mix: &Mix<'_>, members: &mut Vec<MemberView>, desired: u32) -> Step {
    for _ in 0..200 {
        match mix.next(members, desired).unwrap() {
            Step::Launch(l) => members.push(l.member()),
            Step::Terminate(i) => {
                members.remove(i);
            }
            other => return other,
        }
    }
    panic!("did not converge");
}

#[test]
fn launches_follow_the_split_and_balance_zones() {
    let p = spot_prices();
    let d = Distribution {
        on_demand_base: 2,
        on_demand_percent: 50,
        ..Distribution::default()
    };
    let o = overrides();
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 2,
    };
    let mut m = Vec::new();
    assert_eq!(
        mix.next(&m, 6).unwrap(),
        Step::Launch(Launch {
            market: MarketKind::OnDemand,
            instance_type: M5,
            zone: 0,
            weight: 1
        })
    );
    assert_eq!(converge(&mix, &mut m, 6), Step::Steady);
    let (od, sp) = Mix::units(&m);
    assert_eq!((od, sp), (4, 2));
    let per_zone = |z| m.iter().filter(|x| x.zone == z).count();
    assert_eq!((per_zone(0), per_zone(1)), (3, 3));
    // On-Demand `prioritized` launches the first override only.
    assert!(
        m.iter()
            .filter(|x| x.market == MarketKind::OnDemand)
            .all(|x| x.instance_type == M5)
    );
}

#[test]
fn lowest_price_spreads_over_the_n_cheapest_pools() {
    let p = spot_prices();
    let d = Distribution {
        on_demand_percent: 0,
        spot_pools: 2,
        ..Distribution::default()
    };
    let o = overrides();
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 1,
    };
    let mut m = Vec::new();
    converge(&mix, &mut m, 4);
    let in_pool = |t| m.iter().filter(|x| x.instance_type == t).count();
    // Zone 0: c5 0.025 and m5 0.030 are the two cheapest.
    assert_eq!((in_pool(C5), in_pool(M5), in_pool(LARGE)), (2, 2, 0));
}

#[test]
fn capacity_strategies_pick_the_deep_pools() {
    let p = spot_prices();
    let o = overrides();
    let pick = |s| {
        let d = Distribution {
            on_demand_percent: 0,
            spot_strategy: s,
            ..Distribution::default()
        };
        let mix = Mix {
            distribution: &d,
            overrides: &o,
            prices: &p,
            zones: 2,
        };
        (
            mix.choose_spot(0, &[], None).unwrap().instance_type,
            mix.choose_spot(1, &[], None).unwrap().instance_type,
        )
    };
    // Zone 0: large is deepest (50); nothing else is within half of it.
    // Zone 1: all three have 10; c5 is cheapest.
    assert_eq!(pick(SpotStrategy::CapacityOptimized), (LARGE, C5));
    assert_eq!(pick(SpotStrategy::PriceCapacityOptimized), (LARGE, C5));
    assert_eq!(
        pick(SpotStrategy::CapacityOptimizedPrioritized),
        (LARGE, M5)
    );
    assert_eq!(pick(SpotStrategy::LowestPrice), (C5, C5));
}

#[test]
fn no_spot_launch_above_the_max_price() {
    let mut p = spot_prices();
    let d = Distribution {
        on_demand_percent: 0,
        spot_max_price: Some(Rate::from_micros(28_000)),
        ..Distribution::default()
    };
    let o = overrides();
    {
        let mix = Mix {
            distribution: &d,
            overrides: &o,
            prices: &p,
            zones: 2,
        };
        let l = mix.choose_spot(0, &[], None).unwrap();
        assert_eq!(l.instance_type, C5);
        assert!(mix.choose_spot(0, &[], Some((C5, 0))).is_none());
    }
    for z in 0..2 {
        p.set_spot(C5, z, Rate::from_micros(90_000), 10).unwrap();
    }
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 2,
    };
    assert_eq!(mix.next(&[], 3).unwrap(), Step::NoSpotCapacity);
    // Default max price = On-Demand: 0.090 > c5's 0.085 interrupts it.
    let dflt = Distribution {
        on_demand_percent: 0,
        ..Distribution::default()
    };
    let mix = Mix {
        distribution: &dflt,
        overrides: &o,
        prices: &p,
        zones: 2,
    };
    let members = [
        MemberView {
            market: MarketKind::Spot,
            instance_type: C5,
            zone: 1,
            weight: 1,
            protected: false,
        },
        MemberView {
            market: MarketKind::Spot,
            instance_type: M5,
            zone: 1,
            weight: 1,
            protected: false,
        },
    ];
    assert_eq!(
        spot::price_interruptions(&mix, &members).collect::<Vec<_>>(),
        vec![0]
    );
}

#[test]
fn weights_overshoot_by_less_than_the_largest_weight() {
    let p = spot_prices();
    let d = Distribution::default();
    let o = [
        Override {
            instance_type: LARGE,
            weight: 4,
        },
        Override {
            instance_type: M5,
            weight: 2,
        },
    ];
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 2,
    };
    let mut m = Vec::new();
    converge(&mix, &mut m, 10);
    let (od, _) = Mix::units(&m);
    assert_eq!(od, 12);
    assert!(od < 10 + 4);
    // Shrinking to 5: terminate while the group stays at or above 5.
    converge(&mix, &mut m, 5);
    assert_eq!(Mix::units(&m).0, 8);
}

#[test]
fn scale_in_realigns_to_the_allocation_strategy() {
    let p = spot_prices();
    let o = overrides();
    let d = Distribution {
        on_demand_percent: 0,
        spot_pools: 2,
        ..Distribution::default()
    };
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 1,
    };
    let v = |t, protected| MemberView {
        market: MarketKind::Spot,
        instance_type: t,
        zone: 0,
        weight: 1,
        protected,
    };
    // The large pool (0.035) is outside the two cheapest: it goes first, unless protected.
    let m = [v(M5, false), v(LARGE, false), v(C5, false)];
    assert_eq!(mix.next(&m, 2).unwrap(), Step::Terminate(1));
    let m = [v(M5, false), v(LARGE, true), v(C5, false)];
    assert_eq!(mix.next(&m, 2).unwrap(), Step::Terminate(0));
    let m = [v(M5, true), v(LARGE, true), v(C5, true)];
    assert_eq!(mix.next(&m, 2).unwrap(), Step::Steady);
    // On-Demand `prioritized`: the lowest priority type goes first; base is kept.
    let od = Distribution {
        on_demand_base: 2,
        on_demand_percent: 0,
        ..Distribution::default()
    };
    let mix = Mix {
        distribution: &od,
        overrides: &o,
        prices: &p,
        zones: 1,
    };
    let w = |t| MemberView {
        market: MarketKind::OnDemand,
        ..v(t, false)
    };
    let m = [w(C5), w(LARGE), w(M5), v(M5, false)];
    // Desired 3 = 2 On-Demand (the base) + 1 Spot: the surplus is On-Demand.
    assert_eq!(mix.next(&m, 3).unwrap(), Step::Terminate(1));
    // Desired 2 = the base: both markets have one too many; Spot goes first.
    assert_eq!(mix.next(&m, 2).unwrap(), Step::Terminate(3));
    let m = [w(C5), w(LARGE), w(M5)];
    assert_eq!(mix.next(&m, 2).unwrap(), Step::Terminate(1));
}

#[test]
fn scale_in_takes_the_zone_with_the_most_units_first() {
    let p = spot_prices();
    let o = overrides();
    let d = Distribution::default();
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 2,
    };
    let w = |z| MemberView {
        market: MarketKind::OnDemand,
        instance_type: M5,
        zone: z,
        weight: 1,
        protected: false,
    };
    let m = [w(0), w(1), w(1), w(0), w(1)];
    assert_eq!(mix.next(&m, 4).unwrap(), Step::Terminate(4));
}

#[test]
fn mix_validation() {
    let p = spot_prices();
    let o = overrides();
    let check = |d: Distribution, o: &[Override], zones| {
        Mix {
            distribution: &d,
            overrides: o,
            prices: &p,
            zones,
        }
        .next(&[], 1)
        .unwrap_err()
    };
    let d = Distribution::default();
    assert_eq!(
        check(
            Distribution {
                on_demand_percent: 101,
                ..d
            },
            &o,
            1
        ),
        PurchaseError::InvalidPercentage { percent: 101 }
    );
    assert_eq!(
        check(
            Distribution {
                spot_pools: 21,
                ..d
            },
            &o,
            1
        ),
        PurchaseError::InvalidPoolCount { pools: 21 }
    );
    assert_eq!(
        check(
            Distribution {
                spot_max_price: Some(Rate::from_micros(1000)),
                ..d
            },
            &o,
            1
        ),
        PurchaseError::MaxPriceTooLow
    );
    assert!(spot::check_max_price(Some(Rate::from_micros(1001))).is_ok());
    assert_eq!(check(d, &[], 1), PurchaseError::InvalidOverrides);
    assert_eq!(check(d, &[o[0], o[0]], 1), PurchaseError::InvalidOverrides);
    let heavy = Override {
        instance_type: M5,
        weight: 1000,
    };
    assert_eq!(
        check(d, &[heavy], 1),
        PurchaseError::InvalidWeight { weight: 1000 }
    );
    assert_eq!(check(d, &o, 0), PurchaseError::ZoneOutOfRange { zone: 0 });
}

// ---- spot interruption (SEMANTICS §1.4) -------------------------------------------------

fn spot_instance(n: u64, behaviour: InterruptionBehavior, hibernation: bool) -> Instance {
    let mut spec = LaunchSpec::new(
        ImageId::from_u64(1),
        crate::catalog::TypeName::parse("m5.large").unwrap(),
    );
    spec.market = Market::Spot {
        request: SpotRequestType::Persistent,
        interruption: behaviour,
    };
    spec.hibernation_configured = hibernation;
    let mut i = Instance::launch(at(0, 0), id(n), spec, Timeouts::default()).unwrap();
    i.observe(at(0, 10), crate::lifecycle::Report::Booted)
        .unwrap();
    i
}

#[test]
fn interruption_gives_two_minutes_notice_then_the_behaviour() {
    let mut i = spot_instance(1, InterruptionBehavior::Terminate, false);
    let n = spot::interrupt(at(0, 100), &mut i).unwrap();
    assert_eq!(n.action_time, at(0, 220));
    assert_eq!(spot::signal(&i, false), SpotSignal::Notice);
    assert!(i.tick(at(0, 219)).is_none());
    assert_eq!(i.tick(at(0, 220)).unwrap().to, InstanceState::ShuttingDown);

    let mut s = spot_instance(2, InterruptionBehavior::Stop, false);
    spot::interrupt(at(0, 100), &mut s).unwrap();
    assert_eq!(s.tick(at(0, 220)).unwrap().to, InstanceState::Stopping);

    let mut h = spot_instance(3, InterruptionBehavior::Stop, true);
    let n = spot::interrupt(at(0, 100), &mut h).unwrap();
    assert_eq!(
        (n.action, n.action_time),
        (InterruptionBehavior::Hibernate, at(0, 100))
    );
    assert_eq!(h.state(), InstanceState::Stopping);

    let od = LaunchSpec::new(
        ImageId::from_u64(1),
        crate::catalog::TypeName::parse("m5.large").unwrap(),
    );
    let mut o = Instance::launch(at(0, 0), id(4), od, Timeouts::default()).unwrap();
    assert!(spot::interrupt(at(0, 1), &mut o).is_err());
    assert_eq!(spot::signal(&o, true), SpotSignal::Rebalance);
}

// ---- capacity rebalancing (SEMANTICS §2.12) ----------------------------------------------

#[test]
fn rebalancing_replaces_into_no_riskier_pools_then_terminates() {
    let p = spot_prices();
    let o = overrides();
    let d = Distribution {
        on_demand_percent: 0,
        spot_strategy: SpotStrategy::PriceCapacityOptimized,
        ..Distribution::default()
    };
    let mix = Mix {
        distribution: &d,
        overrides: &o,
        prices: &p,
        zones: 1,
    };
    let view = |t, signal| RebalanceView {
        member: MemberView {
            market: MarketKind::Spot,
            instance_type: t,
            zone: 0,
            weight: 1,
            protected: false,
        },
        signal,
        replaces: None,
        in_service: true,
    };
    // The large pool is the deepest in zone 0 (50): nothing else is as safe.
    let m = [view(LARGE, SpotSignal::Rebalance)];
    assert_eq!(rebalance::decide(&mix, &m).unwrap(), RebalanceStep::Idle);
    // A notice replaces at once whatever the risk.
    let m = [view(LARGE, SpotSignal::Notice)];
    let RebalanceStep::Replace { member: 0, launch } = rebalance::decide(&mix, &m).unwrap() else {
        panic!("expected a replacement");
    };
    assert_ne!(launch.instance_type, LARGE);
    // From the shallow c5 pool (2), a deeper pool is no riskier: replace, then terminate.
    let m = [view(C5, SpotSignal::Rebalance)];
    let RebalanceStep::Replace { member: 0, launch } = rebalance::decide(&mix, &m).unwrap() else {
        panic!("expected a replacement");
    };
    assert_eq!(launch.instance_type, LARGE);
    let mut replacement = view(LARGE, SpotSignal::None);
    replacement.replaces = Some(0);
    replacement.in_service = false;
    let mut m = [view(C5, SpotSignal::Rebalance), replacement];
    assert_eq!(rebalance::decide(&mix, &m).unwrap(), RebalanceStep::Idle);
    m[1].in_service = true;
    assert_eq!(
        rebalance::decide(&mix, &m).unwrap(),
        RebalanceStep::Terminate { member: 0 }
    );
    m[0].member.protected = true;
    assert_eq!(rebalance::decide(&mix, &m).unwrap(), RebalanceStep::Idle);
}

// ---- errors and sizes --------------------------------------------------------------------

#[test]
fn error_codes_are_in_the_1900s_and_messages_are_set() {
    let all = [
        PurchaseError::UnknownType,
        PurchaseError::DuplicateType,
        PurchaseError::UnknownPool {
            instance_type: 0,
            zone: 0,
        },
        PurchaseError::ZoneOutOfRange { zone: 9 },
        PurchaseError::MaxPriceTooLow,
        PurchaseError::InvalidWeight { weight: 0 },
        PurchaseError::InvalidPercentage { percent: 101 },
        PurchaseError::InvalidPoolCount { pools: 0 },
        PurchaseError::InvalidOverrides,
        PurchaseError::InvalidReservation {
            rule: ReservationRule::ZeroCount,
        },
        PurchaseError::Full {
            table: "members",
            capacity: 1,
        },
        PurchaseError::UnknownMember,
        PurchaseError::DuplicateMember,
        PurchaseError::TimeWentBack {
            settled: Instant::ZERO,
        },
        PurchaseError::UnalignedInterval,
        PurchaseError::ReversedInterval,
        PurchaseError::IntervalNotKept {
            oldest: Instant::ZERO,
            newest: Instant::ZERO,
        },
    ];
    for (n, e) in (1900u32..).zip(all) {
        assert_eq!(e.code(), n);
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(PurchaseError::UnknownMember.kind(), ErrorKind::NotFound);
    assert_eq!(
        PurchaseError::Full {
            table: "x",
            capacity: 1
        }
        .kind(),
        ErrorKind::CapacityExceeded
    );
}

#[test]
fn sizes() {
    use core::mem::size_of;
    println!("Prices: {} bytes", size_of::<Prices>());
    println!("Account<64, 168>: {} bytes", size_of::<Account<64, 168>>());
    println!("Account<16, 24>: {} bytes", size_of::<Account<16, 24>>());
    println!("HourRecord: {} bytes", size_of::<HourRecord>());
    println!("Reservation: {} bytes", size_of::<Reservation>());
    println!("MemberView: {} bytes", size_of::<MemberView>());
    println!("Distribution: {} bytes", size_of::<Distribution>());
    assert!(size_of::<HourRecord>() <= 96);
}

// ---- settling cost (issue 19, item 2) ----------------------------------------------------

/// Three members running (On-Demand, covered and not, and Spot), one stopped, one booted just
/// before an hour boundary (still inside its 60 s minimum when the hour ends).
fn busy_account() -> Acct {
    let mut p = prices();
    p.set_spot(C5, 1, Rate::from_micros(31_000), 4).unwrap();
    let mut a = Account::new(p, at(0, 0), UpfrontAccounting::Amortized);
    for (n, ty, zone, market) in [
        (1, SMALL, 0, MarketKind::OnDemand),
        (2, M5, 2, MarketKind::OnDemand),
        (3, C5, 1, MarketKind::Spot),
        (4, LARGE, 0, MarketKind::OnDemand),
        (5, MEDIUM, 1, MarketKind::OnDemand),
    ] {
        a.track(id(n), ty, zone, market).unwrap();
    }
    for n in 1..=4 {
        a.observe(at(0, 600 + n), id(n), InstanceState::Running, false)
            .unwrap();
    }
    a.observe(at(1, 100), id(4), InstanceState::Stopped, false)
        .unwrap();
    a.observe(at(1, 3590), id(5), InstanceState::Running, false)
        .unwrap();
    a
}

#[test]
fn settling_a_quiet_span_costs_the_same_whatever_its_length() {
    let ten_hours = at(11, 1234);
    let far = Instant::from_secs(1_000_000_000_000_000);
    let mut near = busy_account();
    let mut long = near.clone();
    let mut reference = near.clone();
    let a = near.settle_counted(ten_hours).unwrap();
    let b = long.settle_counted(far).unwrap();
    // The partial hour 1, hour 2 (member 5 still in its minimum at 2:00), then one run.
    assert_eq!(
        a,
        Steps {
            hours: 3,
            probes: 1
        }
    );
    assert_eq!(a, b, "10^15 s cost what 10 h cost");
    // The hour-by-hour walk it replaces took one pass per hour.
    assert_eq!(reference.settle_hourly(ten_hours).unwrap(), 10);
    assert_eq!(near, reference);
    // Billed seconds still add up to the ledger's (members 1-3 and 5 for the whole span).
    let t = long.total();
    let billed: u64 = long.members().map(|m| m.billed.total_secs()).sum();
    assert_eq!(t.on_demand_secs + t.spot_secs, billed);
    assert_eq!(long.history().count(), 24);
}

#[test]
fn settling_across_reservation_boundaries_costs_a_few_steps_per_reservation() {
    let mut a = busy_account();
    let mut r = ri(M5, 1, REGIONAL);
    r.payment = Payment::PartialUpfront;
    r.upfront = Money::from_micros(300_000_000);
    r.start = at(5, 0);
    a.reserve(r).unwrap();
    r.start = at(30, 1800);
    r.scope = Scope::Zonal { zone: 0 };
    r.instance_type = SMALL;
    a.reserve(r).unwrap();
    let mut reference = a.clone();
    let steps = a.settle_counted(at(20_000, 17)).unwrap();
    // Each reservation starts, passes its upfront hour and ends: at most three cuts each.
    assert!(steps.hours <= 3 + 3 * 2, "{steps:?}");
    assert!(steps.probes <= 1 + 3 * 2, "{steps:?}");
    assert_eq!(reference.settle_hourly(at(20_000, 17)).unwrap(), 19_999);
    assert_eq!(a, reference);
}

#[test]
fn settling_to_the_end_of_time_stays_cheap_when_a_bill_saturates() {
    // Forty 1 ms runs bill 60 s each: with a session open from then on, the bill reaches the
    // largest duration some 40 min before the largest instant, inside the last closed hour, so
    // the run is cut by bisection there.
    let mut a = Account::<4, 8>::new(prices(), Instant::ZERO, UpfrontAccounting::AtPurchase);
    a.track(id(1), SMALL, 0, MarketKind::OnDemand).unwrap();
    for i in 0..40 {
        a.observe(
            Instant::from_millis(2 * i),
            id(1),
            InstanceState::Running,
            false,
        )
        .unwrap();
        a.observe(
            Instant::from_millis(2 * i + 1),
            id(1),
            InstanceState::Stopped,
            false,
        )
        .unwrap();
    }
    a.observe(
        Instant::from_millis(80),
        id(1),
        InstanceState::Running,
        false,
    )
    .unwrap();
    let steps = a.settle_counted(Instant::MAX).unwrap();
    assert!(steps.hours <= 4, "{steps:?}");
    assert!(steps.probes > 1 && steps.probes <= 1 + 64, "{steps:?}");
    let billed = a.member(id(1)).unwrap().billed;
    assert_eq!(billed, Duration::MAX);
    assert_eq!(a.total().on_demand_secs, billed.total_secs());
    // Without saturation one check covers the whole run.
    let mut b = Account::<4, 8>::new(prices(), Instant::ZERO, UpfrontAccounting::AtPurchase);
    b.track(id(1), SMALL, 0, MarketKind::OnDemand).unwrap();
    b.observe(Instant::ZERO, id(1), InstanceState::Running, false)
        .unwrap();
    let steps = b.settle_counted(Instant::MAX).unwrap();
    assert_eq!(
        steps,
        Steps {
            hours: 2,
            probes: 1
        }
    );
    assert_eq!(b.total().on_demand_secs, u64::MAX / 1000);
}

#[derive(Debug, Clone)]
enum LedgerOp {
    Track(u64, u8, u8, bool),
    Observe(u64, u8),
    Forget(u64),
    SpotPrice(u8, u8, u64),
    Reserve(u8, u16, Option<u8>, u64, u8),
    Advance(u64),
}

fn ledger_op() -> impl proptest::strategy::Strategy<Value = LedgerOp> {
    use proptest::prelude::*;
    prop_oneof![
        2 => (0u64..6, 0u8..5, 0u8..3, any::<bool>())
            .prop_map(|(n, t, z, s)| LedgerOp::Track(n, t, z, s)),
        4 => (0u64..6, 0u8..4).prop_map(|(n, s)| LedgerOp::Observe(n, s)),
        1 => (0u64..6).prop_map(LedgerOp::Forget),
        1 => (0u8..5, 0u8..3, 1u64..200_000).prop_map(|(t, z, p)| LedgerOp::SpotPrice(t, z, p)),
        1 => (0u8..5, 1u16..3, proptest::option::of(0u8..3), 0u64..400, 0u8..3)
            .prop_map(|(t, c, z, h, k)| LedgerOp::Reserve(t, c, z, h, k)),
        3 => (0u64..7_200_000).prop_map(LedgerOp::Advance),
        1 => (0u64..3_600_000 * 12_000).prop_map(LedgerOp::Advance),
        1 => (0u64..200).prop_map(|h| LedgerOp::Advance(h * 3_600_000)),
    ]
}

/// Plays `op` on the account under test and on the reference; both settle to the op's time
/// first, the reference hour by hour (so that the op's own settling finds nothing left to do).
fn play_both(a: &mut Account<6, 5>, r: &mut Account<6, 5>, now: &mut Instant, op: &LedgerOp) {
    let t = *now;
    a.settle(t).unwrap();
    r.settle_hourly(t).unwrap();
    let (x, y) = match *op {
        LedgerOp::Track(n, ty, z, spot) => {
            let m = if spot {
                MarketKind::Spot
            } else {
                MarketKind::OnDemand
            };
            (a.track(id(n), ty, z, m), r.track(id(n), ty, z, m))
        }
        LedgerOp::Observe(n, s) => {
            let (state, hib) = match s {
                0 => (InstanceState::Running, false),
                1 => (InstanceState::Stopped, false),
                2 => (InstanceState::Stopping, true),
                _ => (InstanceState::Terminated, false),
            };
            (
                a.observe(t, id(n), state, hib),
                r.observe(t, id(n), state, hib),
            )
        }
        LedgerOp::Forget(n) => (
            a.forget(t, id(n)).map(|_| ()),
            r.forget(t, id(n)).map(|_| ()),
        ),
        LedgerOp::SpotPrice(ty, z, p) => (
            a.set_spot_price(t, ty, z, Rate::from_micros(p)),
            r.set_spot_price(t, ty, z, Rate::from_micros(p)),
        ),
        LedgerOp::Reserve(ty, count, zone, hours, kind) => {
            let (payment, upfront, hourly) = match kind {
                0 => (Payment::NoUpfront, 0, 9_000),
                1 => (Payment::PartialUpfront, 40_000_000, 5_000),
                _ => (Payment::AllUpfront, 70_000_000, 0),
            };
            let res = Reservation {
                instance_type: ty,
                count,
                scope: zone.map_or(REGIONAL, |zone| Scope::Zonal { zone }),
                term: Term::OneYear,
                payment,
                upfront: Money::from_micros(upfront),
                hourly: Rate::from_micros(hourly),
                start: t.saturating_add(Duration::from_millis(hours * 3_600_000 + 1_234)),
            };
            (a.reserve(res), r.reserve(res))
        }
        LedgerOp::Advance(ms) => {
            *now = t.saturating_add(Duration::from_millis(ms));
            (a.settle(*now), r.settle_hourly(*now).map(|_| ()))
        }
    };
    assert_eq!(x, y, "{op:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Applying reservations with what is left of each pool read as usage less covered gives
    /// what taking from a copy of the usage gives: every covered cell, the capacity and the
    /// used units, for zonal, regional and size-flexible reservations of priced and unpriced
    /// types, more or less than the usage, in any order, in and out of their term.
    #[test]
    fn reservations_apply_as_with_a_copy_of_the_usage(
        cells in proptest::collection::vec((0u8..7, 0usize..MAX_ZONES, 0u64..20_000), 0..30),
        reservations in proptest::collection::vec(
            (0u8..7, 0u16..6, 0u8..3, 0u8..9, proptest::prelude::any::<bool>()),
            0..8,
        ),
        big in proptest::prelude::any::<bool>(),
    ) {
        let p = prices();
        let mut usage = [[0u64; MAX_ZONES]; MAX_TYPES];
        for &(ty, z, secs) in &cells {
            usage[usize::from(ty)][z] += if big { secs * 1_000_000_000 } else { secs };
        }
        let rs: Vec<Reservation> = reservations
            .iter()
            .map(|&(ty, count, scope, zone, late)| {
                let scope = match scope {
                    0 => Scope::Zonal { zone },
                    1 => Scope::Regional { size_flexible: false },
                    _ => REGIONAL,
                };
                let mut r = ri(ty, count, scope);
                if late {
                    r.start = at(5, 0);
                }
                r
            })
            .collect();
        for h in [0u64, 3, 7].map(|h| BASE_HOUR + h) {
            let fast = super::reserved::apply(&usage, &p, rs.iter(), h);
            let reference = super::reserved::apply_copying(&usage, &p, rs.iter(), h);
            proptest::prop_assert_eq!(fast, reference, "hour {}", h);
        }
    }

    /// Settling by runs of alike hours leaves exactly the ledger that settling hour by hour
    /// leaves: every total, every kept hour record, every member's clock and Spot cost.
    #[test]
    fn runs_of_alike_hours_settle_exactly_as_hour_by_hour(
        ops in proptest::collection::vec(ledger_op(), 1..40),
        amortized in proptest::prelude::any::<bool>(),
    ) {
        let mut p = prices();
        p.set_spot(C5, 1, Rate::from_micros(31_000), 4).unwrap();
        p.set_spot(SMALL, 0, Rate::from_micros(7_000), 4).unwrap();
        let upfront = if amortized {
            UpfrontAccounting::Amortized
        } else {
            UpfrontAccounting::AtPurchase
        };
        let mut now = at(0, 77);
        let mut a = Account::<6, 5>::new(p, now, upfront);
        let mut r = a.clone();
        for op in &ops {
            play_both(&mut a, &mut r, &mut now, op);
            proptest::prop_assert_eq!(&a, &r);
            // Skipping the types nothing used changes no figure of the open hour.
            proptest::prop_assert_eq!(a.open_spend_with(true), a.open_spend_with(false));
        }
    }
}

// ---- quiet steps (issue 20) --------------------------------------------------------------

/// Ledger operations with steps of whole seconds (most of them: the quiet steps of a
/// simulation) and of any length.
fn quiet_op() -> impl proptest::strategy::Strategy<Value = LedgerOp> {
    use proptest::prelude::*;
    prop_oneof![
        2 => (0u64..6, 0u8..5, 0u8..3)
            .prop_map(|(n, t, z)| LedgerOp::Track(n, t, z, false)),
        // Spot members in the two priced pools.
        2 => (0u64..6, any::<bool>())
            .prop_map(|(n, c)| LedgerOp::Track(n, if c { C5 } else { SMALL }, u8::from(c), true)),
        4 => (0u64..6, 0u8..4).prop_map(|(n, s)| LedgerOp::Observe(n, s)),
        1 => (0u64..6).prop_map(LedgerOp::Forget),
        2 => (any::<bool>(), 1u64..200_000)
            .prop_map(|(c, p)| LedgerOp::SpotPrice(if c { C5 } else { SMALL }, u8::from(c), p)),
        1 => (0u8..5, 1u16..3, proptest::option::of(0u8..3), 0u64..3, 0u8..3)
            .prop_map(|(t, c, z, h, k)| LedgerOp::Reserve(t, c, z, h, k)),
        8 => (0u64..200).prop_map(|s| LedgerOp::Advance(s * 1000)),
        2 => (0u64..100).prop_map(|m| LedgerOp::Advance(m * 60_000)),
        1 => (0u64..90_000).prop_map(LedgerOp::Advance),
        1 => (0u64..30).prop_map(|h| LedgerOp::Advance(h * 3_600_000)),
    ]
}

/// The ledger's snapshot encoding (postcard, as `snapshot::encode` writes it).
fn encoded(a: &Account<6, 5>) -> Vec<u8> {
    let mut buf = vec![0u8; 16 * 1024];
    let n = postcard::to_slice(a, &mut buf).unwrap().len();
    buf.truncate(n);
    buf
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// Quiet steps (the open hour brought forward by the counts of open sessions per pool,
    /// the members left behind) leave exactly the ledger the member pass leaves: every
    /// total, hour record, member view and Spot cost, and the same snapshot bytes; a ledger
    /// decoded from a snapshot taken after quiet steps goes on exactly as the one encoded.
    #[test]
    fn quiet_steps_leave_the_ledger_the_member_pass_leaves(
        ops in proptest::collection::vec(quiet_op(), 1..60),
        restore_at in 0usize..60,
        amortized in proptest::prelude::any::<bool>(),
    ) {
        let mut p = prices();
        p.set_spot(C5, 1, Rate::from_micros(31_000), 4).unwrap();
        p.set_spot(SMALL, 0, Rate::from_micros(7_000), 4).unwrap();
        let upfront = if amortized {
            UpfrontAccounting::Amortized
        } else {
            UpfrontAccounting::AtPurchase
        };
        let mut now = at(0, 77);
        let mut a = Account::<6, 5>::new(p, now, upfront);
        let mut r = a.clone();
        r.member_passes_only();
        let mut quiet = 0u32;
        for (i, op) in ops.iter().enumerate() {
            play_both_settling(&mut a, &mut r, &mut now, op);
            quiet += u32::from(a.members_behind());
            proptest::prop_assert_eq!(&a, &r);
            proptest::prop_assert_eq!(a.total(), r.total());
            proptest::prop_assert!(a.members().eq(r.members()));
            proptest::prop_assert_eq!(encoded(&a), encoded(&r));
            // The usage per type kept step by step is the grid's rows summed.
            proptest::prop_assert_eq!(a.open_spend_with(true), a.open_spend_with(false));
            if a.kept_rows().is_some() {
                proptest::prop_assert_eq!(a.kept_rows(), a.summed_rows());
            }
            if i == restore_at {
                let bytes = encoded(&a);
                a = postcard::from_bytes(&bytes).unwrap();
                proptest::prop_assert!(!a.members_behind());
            }
        }
        let _ = quiet;
    }
}

/// [`play_both`], but both accounts settle as the ledger settles (`settle`, not
/// `settle_hourly`): `r` by member passes only.
fn play_both_settling(
    a: &mut Account<6, 5>,
    r: &mut Account<6, 5>,
    now: &mut Instant,
    op: &LedgerOp,
) {
    if let LedgerOp::Advance(ms) = *op {
        *now = now.saturating_add(Duration::from_millis(ms));
        assert_eq!(a.settle(*now), r.settle(*now), "{op:?}");
        return;
    }
    // `play_both` settles `r` hour by hour first; settling it here first leaves that nothing
    // to do, so the op itself is played alike on both.
    r.settle(*now).unwrap();
    play_both(a, r, now, op);
}

/// Members past their minimum, stepped by whole minutes, bring the open hour forward without
/// the member pass, and so do sessions opened at the instant the open hour holds (young until
/// past their minimum); an odd step takes the member pass again.
#[test]
fn whole_second_steps_past_the_minimum_are_quiet() {
    let mut a = account();
    a.set_spot_price(at(0, 0), C5, 1, Rate::from_micros(31_000))
        .unwrap();
    a.track(id(1), M5, 0, MarketKind::OnDemand).unwrap();
    a.track(id(2), C5, 1, MarketKind::Spot).unwrap();
    a.observe(at(0, 10), id(1), InstanceState::Running, false)
        .unwrap();
    a.observe(at(0, 10), id(2), InstanceState::Running, false)
        .unwrap();
    let mut r = a.clone();
    r.member_passes_only();
    // Inside the minimum: both sessions opened at the instant the open hour held, so they are
    // young, brought forward one by one without the member pass.
    a.settle(at(0, 60)).unwrap();
    r.settle(at(0, 60)).unwrap();
    assert!(a.members_behind());
    assert_eq!(a.young_members(), 2);
    assert_eq!(a, r);
    assert_eq!(a.total(), r.total());
    for m in 2..50 {
        a.settle(at(0, m * 60)).unwrap();
        r.settle(at(0, m * 60)).unwrap();
        assert!(a.members_behind(), "minute {m}");
        // Past their minimum at minute 2, they join their pools; from the step after, the
        // steps are deferred (`purchase::quiet::Defer`), one more minute each.
        assert_eq!(a.young_members(), 0, "minute {m}");
        if m >= 3 {
            assert_eq!(u64::from(a.deferred_secs()), (m - 2) * 60, "minute {m}");
        }
        assert_eq!(a, r);
        assert_eq!(a.total(), r.total());
    }
    let spot = a.member(id(2)).unwrap();
    assert_eq!(spot.billed, Duration::from_secs(49 * 60 - 10));
    assert_eq!(spot.spot, Rate::from_micros(31_000).for_secs(49 * 60 - 10));
    // Half a second: the member pass, which brings the members up to date.
    a.settle(at(0, 49 * 60).saturating_add(Duration::from_millis(500)))
        .unwrap();
    assert!(!a.members_behind());
    // Across the hour: closed alike.
    a.settle(at(1, 600).saturating_add(Duration::from_millis(500)))
        .unwrap();
    r.settle(at(1, 600).saturating_add(Duration::from_millis(500)))
        .unwrap();
    assert_eq!(a, r);
    assert_eq!(a.history().count(), 1);
    assert_eq!(a.total(), r.total());
}

proptest::proptest! {
    // Two zonal reservations on one cell with usage past the first are a few cases in a
    // hundred: enough cases to meet them.
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

    /// The open hour's figures summed type by type ([`super::reserved::apply_totals`]) are
    /// the sums of the covered grid that taking from a copy of the usage gives, cell by cell
    /// and saturating as the open hour sums them; or `None` (the caller then sums the grid)
    /// only where an exact sum overflows.
    #[test]
    fn reservations_summed_by_type_give_the_cell_by_cell_sums(
        cells in proptest::collection::vec((0u8..7, 0usize..3, 0u64..20_000), 0..30),
        reservations in proptest::collection::vec(
            (0u8..7, 0u16..6, 0u8..3, 0u8..4, proptest::prelude::any::<bool>()),
            0..8,
        ),
        big in 0u8..3,
    ) {
        let mut p = prices();
        p.add_builtin("t2.micro", Rate::from_micros(11_600)).unwrap();
        p.add_builtin("m5.xlarge", Rate::from_micros(192_000)).unwrap();
        let mut usage = [[0u64; MAX_ZONES]; MAX_TYPES];
        for &(ty, z, secs) in &cells {
            let c = &mut usage[usize::from(ty)][z];
            *c = c.saturating_add(secs.saturating_mul(match big {
                0 => 1,
                1 => 1_000_000_000,
                _ => 1_000_000_000_000_000,
            }));
        }
        let rs: Vec<Reservation> = reservations
            .iter()
            .map(|&(ty, count, scope, zone, late)| {
                let scope = match scope {
                    0 => Scope::Zonal { zone },
                    1 => Scope::Regional { size_flexible: false },
                    _ => REGIONAL,
                };
                let mut r = ri(ty, count, scope);
                if late {
                    r.start = at(5, 0);
                }
                r
            })
            .collect();
        for h in [0u64, 3, 7].map(|h| BASE_HOUR + h) {
            let cells = super::reserved::apply_copying(&usage, &p, rs.iter(), h);
            let mut want = super::reserved::Totals {
                capacity: cells.capacity,
                used: cells.used,
                ..Default::default()
            };
            for (t, (used_row, cov_row)) in usage.iter().zip(cells.covered.iter()).enumerate() {
                let rate = p.on_demand(u8::try_from(t).unwrap()).unwrap_or(Rate::ZERO);
                for (&used, &cov) in used_row.iter().zip(cov_row) {
                    want.on_demand = want.on_demand.saturating_add(rate.for_secs(used - cov));
                    want.covered_value = want.covered_value.saturating_add(rate.for_secs(cov));
                    want.on_demand_secs = want.on_demand_secs.saturating_add(used);
                    want.covered_secs = want.covered_secs.saturating_add(cov);
                }
            }
            let totals = super::reserved::row_sums(&usage)
                .and_then(|rows| super::reserved::apply_totals(&usage, &rows, &p, rs.iter(), h, None));
            match totals {
                Some(got) => proptest::prop_assert_eq!(got, want, "hour {}", h),
                // Only where an exact sum passes u64, so that the cell-by-cell sum saturated.
                None => proptest::prop_assert!(
                    [
                        want.on_demand.exact(),
                        want.covered_value.exact(),
                        want.on_demand_secs,
                        want.covered_secs,
                        want.capacity,
                        want.used,
                    ]
                    .contains(&u64::MAX),
                    "hour {}: {:?}",
                    h,
                    want
                ),
            }
        }
    }
}

/// A report looked for first at any index (right, wrong, past the end) changes the ledger as
/// the search does: `observe_at` and `forget_at` against `observe` and `forget`.
#[test]
fn a_member_looked_for_first_anywhere_is_the_member_searched_for() {
    let mut base = account();
    for n in 0..5u64 {
        let ty = u8::try_from(n % 3).unwrap();
        base.track(id(n), ty, 0, MarketKind::OnDemand).unwrap();
        base.observe(at(0, n), id(n), InstanceState::Running, false)
            .unwrap();
    }
    for n in 0..5u64 {
        for hint in 0..7usize {
            let (mut a, mut b) = (base.clone(), base.clone());
            let now = at(0, 100 + n);
            a.observe_at(hint, now, id(n), InstanceState::Stopped, false)
                .unwrap();
            b.observe(now, id(n), InstanceState::Stopped, false)
                .unwrap();
            assert_eq!(a, b, "observe {n} looked for at {hint}");
            let (x, y) = (a.forget_at(hint, now, id(n)), b.forget(now, id(n)));
            assert_eq!(x, y, "forget {n} looked for at {hint}");
            assert_eq!(a, b, "forget {n} looked for at {hint}");
        }
    }
    assert_eq!(
        base.clone()
            .observe_at(0, at(0, 50), id(9), InstanceState::Running, false),
        Err(PurchaseError::UnknownMember)
    );
}
