//! [`Picker::victims`] against the one-at-a-time model it replaced: zone by
//! [`Picker::zone`], candidates narrowed by [`Picker::narrow`], ties drawn, then the victim
//! leaves the count. Same victims, same order, same draws.

#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::group::member::MemberState;
use crate::id::InstanceId;
use crate::lifecycle::InstanceState;
use crate::purchase::{MarketKind, SpotSignal};
use crate::test_prelude::Vec;
use proptest::prelude::*;

fn member(
    i: usize,
    zone: u8,
    state: MemberState,
    protected: bool,
    launched: u64,
    version: Option<u32>,
) -> Member {
    Member {
        id: InstanceId::from_u64(u64::try_from(i).unwrap().wrapping_add(1)),
        zone,
        state,
        ec2: InstanceState::Running,
        health: crate::group::Health::Healthy,
        health_source: None,
        launched_at: Instant::from_secs(launched),
        in_service_at: super::super::member::Stamp::NONE,
        // Version 9 stood for another template: a group has one, so it is an attached member
        // now, which ranks the same (not from the group's template).
        templated: version.is_some_and(|v| v != 9),
        version: version.filter(|&v| v != 9).unwrap_or(0),
        protected,
        rebalance: false,
        activity: None,
        owed: 0,
        market: MarketKind::OnDemand,
        instance_type: 0,
        weight: 1,
        signal: SpotSignal::None,
    }
}

/// The model: one pick at a time, as `Group::pick_victim` did.
fn one_at_a_time(
    members: &mut [Member],
    zones: usize,
    now: Instant,
    current: Current,
    policies: &[TerminationPolicy],
    draws: &mut IdGenerator,
    k: usize,
) -> Vec<u16> {
    let eligible = |m: &Member| m.state.counts_toward_capacity() && !m.protected;
    let mut picked = Vec::new();
    while picked.len() < k {
        let model = Picker {
            members,
            zones,
            now,
            current,
        };
        let Some(zone) = model.zone(eligible) else {
            break;
        };
        let mut candidates: heapless::Vec<u16, 64> = heapless::Vec::new();
        for (i, m) in members.iter().enumerate() {
            if eligible(m) && m.zone == zone {
                candidates.push(u16::try_from(i).unwrap()).unwrap();
            }
        }
        model.narrow(&mut candidates, policies);
        let pick = match candidates.len() {
            0 => break,
            1 => 0,
            n => usize::try_from(draws.next_u64().unwrap() % u64::try_from(n).unwrap()).unwrap(),
        };
        let victim = candidates[pick];
        members[usize::from(victim)].state = MemberState::Terminating;
        picked.push(victim);
    }
    picked
}

fn policy() -> impl Strategy<Value = TerminationPolicy> {
    prop_oneof![
        Just(TerminationPolicy::Default),
        Just(TerminationPolicy::OldestLaunchTemplate),
        Just(TerminationPolicy::ClosestToNextInstanceHour),
        Just(TerminationPolicy::OldestInstance),
        Just(TerminationPolicy::NewestInstance),
        Just(TerminationPolicy::AllocationStrategy),
    ]
}

fn state() -> impl Strategy<Value = MemberState> {
    prop_oneof![
        4 => Just(MemberState::InService),
        1 => Just(MemberState::Pending),
        1 => Just(MemberState::PendingWait),
        1 => Just(MemberState::Standby),
        1 => Just(MemberState::Terminating),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn victims_match_picking_one_at_a_time(
        spec in proptest::collection::vec(
            // Few zones, launch times and versions, so ties and zone balance both matter.
            (prop_oneof![8 => 0u8..3, 1 => Just(Member::NO_ZONE), 1 => Just(9u8)], state(),
             proptest::bool::weighted(0.2), 0u64..4, proptest::option::of(0u32..3)),
            0..60,
        ),
        zones in 1usize..4,
        policies in proptest::collection::vec(policy(), 1..4),
        current in proptest::option::of(0u32..3),
        k in 0usize..70,
        seed: u64,
        now in 0u64..10_000,
    ) {
        let mut members: Vec<Member> = spec
            .iter()
            .enumerate()
            .map(|(i, &(zone, state, protected, launched, version))| {
                // Launches 0..4 × 1,000 s apart spread the members over the billing hour.
                member(i, zone, state, protected, launched * 1000, version)
            })
            .collect();
        let now = Instant::from_secs(4000 + now);
        let current = Current { version: current };
        let picker = Picker { members: &members, zones, now, current };
        let eligible = |m: &Member| m.state.counts_toward_capacity() && !m.protected;
        let mut batch_draws = IdGenerator::new(seed);
        let mut batch: heapless::Vec<u16, 64> = heapless::Vec::new();
        picker.victims(&policies, eligible, &mut batch_draws, k, &mut batch);
        let mut draws = IdGenerator::new(seed);
        let model = one_at_a_time(&mut members, zones, now, current, &policies, &mut draws, k);
        prop_assert_eq!(batch.as_slice(), model.as_slice());
        prop_assert_eq!(batch_draws, draws);
    }
}
