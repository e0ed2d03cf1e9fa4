//! Property tests over random operation sequences on a fleet (DESIGN.md, verification tier 2).
//!
//! Invariants checked after every step:
//! - a terminated instance never shows another state (terminated is absorbing);
//! - every state's code and name agree with the table of SEMANTICS §1.1;
//! - billed usage, per instance and for the fleet, never decreases as time moves forward;
//! - a refused request leaves the fleet exactly as it was;
//! - the fleet never holds more than its capacity;
//! - nothing panics.

use std::collections::{HashMap, HashSet};

use fleetcore::catalog::{RootDeviceType, TypeName};
use fleetcore::id::{ImageId, InstanceId};
use fleetcore::lifecycle::{
    Fleet, Instance, InstanceState, InterruptionBehavior, LaunchSpec, Market, Report,
    ShutdownBehavior, SpotRequestType, StateReason, Timeouts,
};
use fleetcore::{Duration, Instant};
use proptest::prelude::*;

const CAP: usize = 6;

#[derive(Debug, Clone)]
enum Op {
    Launch(u8),
    Start(usize),
    Stop(usize, bool),
    Hibernate(usize),
    Reboot(usize),
    Terminate(usize),
    TerminateAll(usize, usize),
    Observe(usize, u8),
    Tick,
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => any::<u8>().prop_map(Op::Launch),
        1 => (0..CAP).prop_map(Op::Start),
        1 => (0..CAP, any::<bool>()).prop_map(|(i, f)| Op::Stop(i, f)),
        1 => (0..CAP).prop_map(Op::Hibernate),
        1 => (0..CAP).prop_map(Op::Reboot),
        1 => (0..CAP).prop_map(Op::Terminate),
        1 => (0..CAP, 0..CAP).prop_map(|(a, b)| Op::TerminateAll(a, b)),
        4 => (0..CAP, 0u8..8).prop_map(|(i, r)| Op::Observe(i, r)),
        2 => Just(Op::Tick),
        3 => (0u64..400_000).prop_map(Op::Advance),
    ]
}

fn spec(variant: u8) -> LaunchSpec {
    let mut s = LaunchSpec::new(ImageId::from_u64(1), TypeName::parse("t3.micro").unwrap());
    s.hibernation_configured = variant & 1 != 0;
    s.disable_api_termination = variant & 2 != 0;
    if variant & 4 != 0 {
        s.root_device = RootDeviceType::InstanceStore;
    }
    if variant & 8 != 0 {
        s.shutdown_behavior = ShutdownBehavior::Terminate;
    }
    if variant & 16 != 0 {
        let interruption = match variant >> 6 {
            0 => InterruptionBehavior::Terminate,
            1 => InterruptionBehavior::Stop,
            _ => InterruptionBehavior::Hibernate,
        };
        let request = if variant & 32 != 0 {
            SpotRequestType::Persistent
        } else {
            SpotRequestType::OneTime
        };
        s.market = Market::Spot {
            request,
            interruption,
        };
    }
    s
}

fn report(r: u8) -> Report {
    match r {
        0 => Report::Booted,
        1 => Report::PoweredOff,
        2 => Report::Failed(StateReason::InsufficientInstanceCapacity),
        3 => Report::OsShutdown,
        4 => Report::HibernationFailed,
        5 => Report::Retirement,
        6 => Report::SpotInterruption,
        _ => Report::SpotRestart,
    }
}

fn snapshot<const N: usize>(f: &Fleet<N>) -> Vec<Instance> {
    f.iter().cloned().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_invariants(ops in proptest::collection::vec(op(), 1..80)) {
        let timeouts = Timeouts {
            boot: Some(Duration::from_secs(45)),
            stop: None,
            shutdown: Some(Duration::from_secs(30)),
        };
        let mut fleet: Fleet<CAP> = Fleet::new(7, timeouts);
        let mut ids: Vec<InstanceId> = Vec::new();
        let mut now = Instant::ZERO;
        let mut terminated: HashSet<InstanceId> = HashSet::new();
        let mut billed: HashMap<InstanceId, Duration> = HashMap::new();
        let mut fleet_billed = Duration::ZERO;

        for op in ops {
            let before = snapshot(&fleet);
            let pick = |i: usize| ids.get(i % ids.len().max(1)).copied();
            let result: Result<(), fleetcore::lifecycle::LifecycleError> = match op {
                Op::Launch(v) => fleet.launch(now, spec(v)).map(|id| ids.push(id)),
                Op::Start(i) => pick(i).map_or(Ok(()), |id| fleet.start(now, id).map(drop)),
                Op::Stop(i, force) => {
                    pick(i).map_or(Ok(()), |id| fleet.stop(now, id, force).map(drop))
                }
                Op::Hibernate(i) => pick(i).map_or(Ok(()), |id| fleet.hibernate(now, id).map(drop)),
                Op::Reboot(i) => pick(i).map_or(Ok(()), |id| fleet.reboot(now, id).map(drop)),
                Op::Terminate(i) => pick(i).map_or(Ok(()), |id| fleet.terminate(now, id).map(drop)),
                Op::TerminateAll(a, b) => match (pick(a), pick(b)) {
                    (Some(x), Some(y)) => fleet.terminate_all(now, &[x, y]).map(drop),
                    _ => Ok(()),
                },
                Op::Observe(i, r) => {
                    pick(i).map_or(Ok(()), |id| fleet.observe(now, id, report(r)).map(drop))
                }
                Op::Tick => {
                    let mut n = 0;
                    while let Some(change) = fleet.tick(now) {
                        prop_assert!(change.at == now);
                        n += 1;
                        prop_assert!(n <= 2 * CAP, "tick must settle");
                    }
                    Ok(())
                }
                Op::Advance(ms) => {
                    now += Duration::from_millis(ms);
                    Ok(())
                }
            };
            if result.is_err() {
                prop_assert_eq!(snapshot(&fleet), before, "a refused request changed the fleet");
            }

            prop_assert!(fleet.len() <= CAP);
            for inst in fleet.iter() {
                let s = inst.state();
                prop_assert_eq!(InstanceState::from_code(u16::from(s.code())), Ok(s));
                prop_assert_eq!(InstanceState::from_name(s.name()), Ok(s));
                if terminated.contains(&inst.id()) {
                    prop_assert_eq!(s, InstanceState::Terminated, "terminated is absorbing");
                }
                if s == InstanceState::Terminated {
                    terminated.insert(inst.id());
                }
                let b = inst.billed(now);
                let prev = billed.insert(inst.id(), b).unwrap_or(Duration::ZERO);
                prop_assert!(b >= prev, "billing decreased for {}", inst.id());
                // While billed, the charge is at least the 60 s minimum.
                if inst.billing().is_open() {
                    prop_assert!(b >= Duration::from_secs(60));
                }
            }
            let fb = fleet.billed(now);
            prop_assert!(fb >= fleet_billed, "fleet billing decreased");
            fleet_billed = fb;
        }
    }
}
