//! The lifecycle of SEMANTICS §1, case by case: every request and report from every state.

// The expectation table reads one row per transition of SEMANTICS §1.2; merging rows that
// happen to share a target state would hide that.
#![allow(clippy::match_same_arms)]

use super::*;
use crate::catalog::{RootDeviceType, TypeName};
use crate::error::{Error, ErrorKind};
use crate::id::{ImageId, InstanceId};
use crate::lifecycle::LaunchRule;
use crate::test_prelude::*;
use crate::time::{Duration, Instant};

use InstanceState as S;

type Step = fn(&mut Instance) -> Result<StateChange, LifecycleError>;

fn t(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

fn spec() -> LaunchSpec {
    LaunchSpec::new(ImageId::from_u64(1), TypeName::parse("m5.large").unwrap())
}

fn hibernating_spec() -> LaunchSpec {
    LaunchSpec {
        hibernation_configured: true,
        ..spec()
    }
}

fn spot(interruption: InterruptionBehavior, request: SpotRequestType) -> LaunchSpec {
    LaunchSpec {
        market: Market::Spot {
            request,
            interruption,
        },
        ..spec()
    }
}

fn launch(spec: LaunchSpec) -> Instance {
    Instance::launch(t(0), InstanceId::from_u64(9), spec, Timeouts::default()).unwrap()
}

/// An instance brought to `state` through legal steps, with hibernation configured so that
/// every request is possible.
fn in_state(state: InstanceState) -> Instance {
    let mut i = launch(hibernating_spec());
    let steps: &[Step] = match state {
        S::Pending => &[],
        S::Running => &[|i| i.observe(t(10), Report::Booted)],
        S::Stopping => &[
            |i| i.observe(t(10), Report::Booted),
            |i| i.stop(t(20), false),
        ],
        S::Stopped => &[
            |i| i.observe(t(10), Report::Booted),
            |i| i.stop(t(20), false),
            |i| i.observe(t(25), Report::PoweredOff),
        ],
        S::ShuttingDown => &[|i| i.observe(t(10), Report::Booted), |i| i.terminate(t(20))],
        S::Terminated => &[
            |i| i.observe(t(10), Report::Booted),
            |i| i.terminate(t(20)),
            |i| i.observe(t(25), Report::PoweredOff),
        ],
    };
    for step in steps {
        step(&mut i).unwrap();
    }
    assert_eq!(i.state(), state);
    i
}

#[derive(Debug, Clone, Copy)]
enum Req {
    Start,
    Stop,
    ForceStop,
    Hibernate,
    Reboot,
    Terminate,
    Report(Report),
}

fn apply(i: &mut Instance, now: Instant, r: Req) -> Result<StateChange, LifecycleError> {
    match r {
        Req::Start => i.start(now),
        Req::Stop => i.stop(now, false),
        Req::ForceStop => i.stop(now, true),
        Req::Hibernate => i.hibernate(now),
        Req::Reboot => i.reboot(now),
        Req::Terminate => i.terminate(now),
        Req::Report(rep) => i.observe(now, rep),
    }
}

/// `Some(to)` for a legal request, `None` for an illegal one (`IncorrectInstanceState`).
fn expected(from: InstanceState, r: Req) -> Option<InstanceState> {
    use Report as R;
    match (r, from) {
        (Req::Start, S::Stopped) => Some(S::Pending),
        (Req::Start, S::Pending | S::Running) => Some(from),
        (Req::Stop | Req::Hibernate, S::Running) => Some(S::Stopping),
        (Req::Stop | Req::Hibernate, S::Stopping | S::Stopped) => Some(from),
        (Req::ForceStop, S::Pending | S::Running | S::Stopping) => Some(S::Stopped),
        (Req::ForceStop, S::Stopped) => Some(S::Stopped),
        (Req::Reboot, S::Running | S::Terminated) => Some(from),
        (Req::Terminate, S::ShuttingDown | S::Terminated) => Some(from),
        (Req::Terminate, _) => Some(S::ShuttingDown),
        (Req::Report(R::Booted), S::Pending) => Some(S::Running),
        (Req::Report(R::PoweredOff), S::Stopping) => Some(S::Stopped),
        (Req::Report(R::PoweredOff), S::ShuttingDown) => Some(S::Terminated),
        (Req::Report(R::Failed(_)), S::Pending) => Some(S::Terminated),
        (Req::Report(R::OsShutdown | R::Retirement), S::Running) => Some(S::Stopping),
        _ => None,
    }
}

const REQUESTS: [Req; 14] = [
    Req::Start,
    Req::Stop,
    Req::ForceStop,
    Req::Hibernate,
    Req::Reboot,
    Req::Terminate,
    Req::Report(Report::Booted),
    Req::Report(Report::PoweredOff),
    Req::Report(Report::Failed(StateReason::InsufficientInstanceCapacity)),
    Req::Report(Report::OsShutdown),
    Req::Report(Report::HibernationFailed),
    Req::Report(Report::Retirement),
    Req::Report(Report::SpotRestart),
    Req::Report(Report::SpotInterruption),
];

#[test]
fn every_request_from_every_state_matches_the_table() {
    for &from in InstanceState::ALL {
        for r in REQUESTS {
            let mut i = in_state(from);
            let before = i.clone();
            let result = apply(&mut i, t(100), r);
            match (expected(from, r), result) {
                (Some(to), Ok(change)) => {
                    assert_eq!(i.state(), to, "{from} {r:?}");
                    assert_eq!((change.from, change.to), (from, to), "{from} {r:?}");
                }
                (None, Err(e)) => {
                    assert_eq!(i, before, "{from} {r:?} must leave the instance unchanged");
                    // Spot reports on an On-Demand instance say so; the rest name the state.
                    match e {
                        LifecycleError::IncorrectState { state, .. } => assert_eq!(state, from),
                        LifecycleError::NotSpot { .. } => {
                            assert!(matches!(r, Req::Report(Report::SpotInterruption)));
                        }
                        other => panic!("{from} {r:?}: unexpected {other}"),
                    }
                }
                (want, got) => panic!("{from} {r:?}: expected {want:?}, got {got:?}"),
            }
        }
    }
}

#[test]
fn codes_match_the_service() {
    let codes: [(InstanceState, u8, &str); 6] = [
        (S::Pending, 0, "pending"),
        (S::Running, 16, "running"),
        (S::ShuttingDown, 32, "shutting-down"),
        (S::Terminated, 48, "terminated"),
        (S::Stopping, 64, "stopping"),
        (S::Stopped, 80, "stopped"),
    ];
    for (s, code, name) in codes {
        assert_eq!((s.code(), s.name()), (code, name));
        assert_eq!(InstanceState::from_code(u16::from(code)), Ok(s));
        // The high byte is internal to EC2 and masked off.
        assert_eq!(InstanceState::from_code(u16::from(code) | 0x0100), Ok(s));
        assert_eq!(name.parse::<InstanceState>(), Ok(s));
    }
    assert_eq!(
        InstanceState::from_code(17),
        Err(LifecycleError::InvalidStateCode { code: 17 })
    );
    assert_eq!(
        InstanceState::from_name("rebooting"),
        Err(LifecycleError::InvalidStateName)
    );
}

#[test]
fn illegal_requests_name_the_state_in_the_message() {
    let mut pending = in_state(S::Pending);
    let e = pending.stop(t(5), false).unwrap_err();
    assert_eq!(
        e.to_string(),
        "instance i-00000000000000009 cannot be stopped as it has never reached the running state"
    );
    assert_eq!((e.code(), e.kind()), (1000, ErrorKind::InvalidState));
    let mut terminated = in_state(S::Terminated);
    let e = terminated.start(t(500)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "instance i-00000000000000009 is terminated: it is not in a state from which it can be \
         started"
    );
    let mut stopped = in_state(S::Stopped);
    let e = stopped.reboot(t(500)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "instance i-00000000000000009 is stopped: cannot reboot"
    );
}

#[test]
fn reboot_stays_running_without_a_new_minimum() {
    let mut i = in_state(S::Running);
    let change = i.reboot(t(30)).unwrap();
    assert!(!change.is_transition());
    assert_eq!(i.reboots(), 1);
    assert_eq!(i.billing().sessions(), 1);
    assert_eq!(i.billed(t(200)), Duration::from_secs(190));
}

#[test]
fn billing_examples_from_the_user_guide() {
    // A 20 s run bills 60 s.
    let mut i = launch(spec());
    i.observe(t(10), Report::Booted).unwrap();
    i.stop(t(30), false).unwrap();
    i.observe(t(40), Report::PoweredOff).unwrap();
    assert_eq!(i.billed(t(1000)), Duration::from_secs(60));
    // 3 min 40 s bills exactly that, plus a new minimum on the next start.
    let mut i = launch(spec());
    i.observe(t(0), Report::Booted).unwrap();
    i.stop(t(220), false).unwrap();
    assert_eq!(i.billed(t(230)), Duration::from_secs(220));
    i.observe(t(230), Report::PoweredOff).unwrap();
    i.start(t(300)).unwrap();
    assert_eq!(
        i.billed(t(305)),
        Duration::from_secs(220),
        "pending is not billed"
    );
    i.observe(t(310), Report::Booted).unwrap();
    assert_eq!(i.billed(t(311)), Duration::from_secs(280));
}

#[test]
fn hibernation_is_billed_while_stopping_and_falls_back_to_a_stop() {
    let mut i = in_state(S::Running); // running since 10 s
    i.hibernate(t(100)).unwrap();
    assert!(i.is_hibernating());
    assert_eq!(i.state_reason(), Some(StateReason::UserInitiatedHibernate));
    assert_eq!(i.billed(t(130)), Duration::from_secs(120));
    i.observe(t(140), Report::PoweredOff).unwrap();
    assert_eq!(i.billed(t(1000)), Duration::from_secs(130));
    assert!(!i.is_hibernating());
    // A failed hibernation turns into a normal stop: billing ends at the failure.
    let mut i = in_state(S::Running);
    i.hibernate(t(100)).unwrap();
    i.observe(t(110), Report::HibernationFailed).unwrap();
    assert_eq!(i.state(), S::Stopping);
    i.observe(t(200), Report::PoweredOff).unwrap();
    assert_eq!(i.billed(t(1000)), Duration::from_secs(100));
}

#[test]
fn hibernation_needs_configuration() {
    let mut i = launch(spec());
    i.observe(t(1), Report::Booted).unwrap();
    let before = i.clone();
    assert_eq!(
        i.hibernate(t(2)),
        Err(LifecycleError::HibernationNotConfigured { id: i.id() })
    );
    assert_eq!(i, before);
}

#[test]
fn os_shutdown_follows_the_shutdown_behaviour() {
    let mut stop = launch(spec());
    stop.observe(t(1), Report::Booted).unwrap();
    stop.observe(t(2), Report::OsShutdown).unwrap();
    assert_eq!(stop.state(), S::Stopping);
    assert_eq!(
        stop.state_reason(),
        Some(StateReason::InstanceInitiatedShutdown)
    );

    let mut term = launch(LaunchSpec {
        shutdown_behavior: ShutdownBehavior::Terminate,
        ..spec()
    });
    term.observe(t(1), Report::Booted).unwrap();
    term.observe(t(2), Report::OsShutdown).unwrap();
    assert_eq!(term.state(), S::ShuttingDown);

    // An instance-store root always terminates on an OS shutdown.
    let mut store = launch(LaunchSpec {
        root_device: RootDeviceType::InstanceStore,
        ..spec()
    });
    store.observe(t(1), Report::Booted).unwrap();
    store.observe(t(2), Report::OsShutdown).unwrap();
    assert_eq!(store.state(), S::ShuttingDown);
}

#[test]
fn instance_store_instances_cannot_stop_or_start() {
    let mut i = launch(LaunchSpec {
        root_device: RootDeviceType::InstanceStore,
        ..spec()
    });
    i.observe(t(1), Report::Booted).unwrap();
    for op in [Req::Stop, Req::ForceStop, Req::Start] {
        let before = i.clone();
        let e = apply(&mut i, t(2), op).unwrap_err();
        assert!(
            matches!(e, LifecycleError::InstanceStoreRoot { .. }),
            "{op:?}"
        );
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert_eq!(i, before);
    }
    i.observe(t(3), Report::Retirement).unwrap();
    assert_eq!(
        i.state(),
        S::ShuttingDown,
        "retirement terminates an instance-store instance"
    );
    assert_eq!(i.state_reason(), Some(StateReason::ScheduledStop));
}

#[test]
fn termination_protection_blocks_terminate_only() {
    let mut i = launch(LaunchSpec {
        disable_api_termination: true,
        ..spec()
    });
    i.observe(t(1), Report::Booted).unwrap();
    assert_eq!(
        i.terminate(t(2)),
        Err(LifecycleError::TerminationProtected { id: i.id() })
    );
    assert_eq!(i.state(), S::Running);
    // The OS can still shut it down.
    i.observe(t(3), Report::OsShutdown).unwrap();
    assert_eq!(i.state(), S::Stopping);
}

#[test]
fn failed_launch_terminates_and_failed_start_returns_to_stopped() {
    let mut i = launch(spec());
    let c = i
        .observe(
            t(1),
            Report::Failed(StateReason::InsufficientInstanceCapacity),
        )
        .unwrap();
    assert_eq!(
        (c.to, c.reason),
        (
            S::Terminated,
            Some(StateReason::InsufficientInstanceCapacity)
        )
    );
    let mut i = in_state(S::Stopped);
    i.start(t(100)).unwrap();
    i.observe(t(101), Report::Failed(StateReason::ServerInternalError))
        .unwrap();
    assert_eq!(i.state(), S::Stopped);
}

#[test]
fn spot_terminate_gets_a_two_minute_notice() {
    let mut i = launch(spot(
        InterruptionBehavior::Terminate,
        SpotRequestType::OneTime,
    ));
    i.observe(t(0), Report::Booted).unwrap();
    let c = i.observe(t(100), Report::SpotInterruption).unwrap();
    assert!(!c.is_transition());
    let notice = i.spot_notice().unwrap();
    assert_eq!(notice.action, InterruptionBehavior::Terminate);
    assert_eq!(notice.action_time, t(220));
    assert_eq!(i.next_deadline(), Some(t(220)));
    assert_eq!(i.tick(t(219)), None);
    let c = i.tick(t(220)).unwrap();
    assert_eq!(
        (c.from, c.to, c.cause),
        (S::Running, S::ShuttingDown, Operation::SpotInterruption)
    );
    assert_eq!(c.reason, Some(StateReason::SpotInstanceTermination));
    assert_eq!(i.tick(t(300)), None);
}

#[test]
fn spot_stop_can_only_be_restarted_by_ec2() {
    let mut i = launch(spot(
        InterruptionBehavior::Stop,
        SpotRequestType::Persistent,
    ));
    i.observe(t(0), Report::Booted).unwrap();
    i.observe(t(10), Report::SpotInterruption).unwrap();
    let c = i.tick(t(130)).unwrap();
    assert_eq!(
        (c.to, c.reason),
        (S::Stopping, Some(StateReason::SpotInstanceShutdown))
    );
    i.observe(t(140), Report::PoweredOff).unwrap();
    assert_eq!(
        i.start(t(200)),
        Err(LifecycleError::SpotInterrupted { id: i.id() })
    );
    i.observe(t(300), Report::SpotRestart).unwrap();
    assert_eq!(i.state(), S::Pending);
    assert_eq!(i.spot_notice(), None);
}

#[test]
fn spot_hibernate_starts_at_once() {
    let mut i = launch(LaunchSpec {
        hibernation_configured: true,
        ..spot(InterruptionBehavior::Terminate, SpotRequestType::Persistent)
    });
    i.observe(t(0), Report::Booted).unwrap();
    // Hibernation configured forces the hibernate behaviour (SEMANTICS §1.4).
    let c = i.observe(t(50), Report::SpotInterruption).unwrap();
    assert_eq!(c.to, S::Stopping);
    assert!(i.is_hibernating());
    assert_eq!(i.spot_notice().unwrap().action_time, t(50));
}

#[test]
fn spot_rules_are_checked_at_launch() {
    let cases = [
        (
            LaunchSpec {
                disable_api_termination: true,
                ..spot(InterruptionBehavior::Terminate, SpotRequestType::OneTime)
            },
            LaunchRule::SpotTerminationProtection,
        ),
        (
            spot(InterruptionBehavior::Stop, SpotRequestType::OneTime),
            LaunchRule::SpotStopNeedsPersistent,
        ),
        (
            LaunchSpec {
                root_device: RootDeviceType::InstanceStore,
                ..spot(InterruptionBehavior::Hibernate, SpotRequestType::Persistent)
            },
            LaunchRule::SpotStopNeedsEbs,
        ),
        (
            LaunchSpec {
                root_device: RootDeviceType::InstanceStore,
                ..hibernating_spec()
            },
            LaunchRule::HibernationNeedsEbs,
        ),
    ];
    for (s, rule) in cases {
        let r = Instance::launch(t(0), InstanceId::from_u64(1), s, Timeouts::default());
        assert_eq!(r.unwrap_err(), LifecycleError::InvalidLaunch { rule });
    }
    let mut one_time = launch(spot(
        InterruptionBehavior::Terminate,
        SpotRequestType::OneTime,
    ));
    one_time.observe(t(0), Report::Booted).unwrap();
    assert_eq!(
        one_time.stop(t(1), false),
        Err(LifecycleError::SpotNotPersistent { id: one_time.id() })
    );
    let mut od = in_state(S::Running);
    assert_eq!(
        od.observe(t(1), Report::SpotInterruption),
        Err(LifecycleError::NotSpot { id: od.id() })
    );
}

#[test]
fn deadlines_complete_transitions_when_the_world_is_silent() {
    let timeouts = Timeouts {
        boot: Some(Duration::from_secs(40)),
        stop: Some(Duration::from_secs(30)),
        shutdown: Some(Duration::from_secs(20)),
    };
    let mut i = Instance::launch(t(0), InstanceId::from_u64(1), spec(), timeouts).unwrap();
    assert_eq!(i.next_deadline(), Some(t(40)));
    assert_eq!(i.tick(t(39)), None);
    let c = i.tick(t(40)).unwrap();
    assert_eq!((c.to, c.cause), (S::Running, Operation::Deadline));
    assert_eq!(i.next_deadline(), None);
    i.stop(t(100), false).unwrap();
    assert_eq!(i.next_deadline(), Some(t(130)));
    assert_eq!(i.tick(t(131)).unwrap().to, S::Stopped);
    i.terminate(t(200)).unwrap();
    assert_eq!(i.tick(t(220)).unwrap().to, S::Terminated);
    assert_eq!(i.tick(t(10_000)), None);
    // A report before the deadline wins, and clears it.
    let mut j = Instance::launch(t(0), InstanceId::from_u64(2), spec(), timeouts).unwrap();
    j.observe(t(5), Report::Booted).unwrap();
    assert_eq!(j.tick(t(40)), None);
}

#[test]
fn force_stop_cuts_power_at_once() {
    let mut i = in_state(S::Stopping);
    let c = i.stop(t(30), true).unwrap();
    assert_eq!(
        (c.from, c.to, c.cause),
        (S::Stopping, S::Stopped, Operation::ForceStop)
    );
    let mut p = in_state(S::Pending);
    p.stop(t(5), true).unwrap();
    assert_eq!(p.state(), S::Stopped);
    assert_eq!(p.billed(t(100)), Duration::ZERO);
}

#[test]
fn state_change_display_reads_like_a_log_line() {
    let mut i = in_state(S::Running);
    let c = i.stop(t(20), false).unwrap();
    assert_eq!(
        c.to_string(),
        "i-00000000000000009 running -> stopping (stop: Client.UserInitiatedShutdown)"
    );
    assert_eq!(StateReason::ALL.len(), 12);
    for r in StateReason::ALL {
        assert!(r.message().starts_with(r.code()), "{r:?}");
    }
}

#[test]
fn terminated_is_visible_for_an_hour() {
    let i = in_state(S::Terminated); // terminated at 25 s
    assert!(!i.is_expired(t(25 + 3599)));
    assert!(i.is_expired(t(25 + 3600)));
}

#[test]
fn fleet_terminate_all_is_all_or_nothing() {
    let mut f: Fleet<4> = Fleet::new(3, Timeouts::default());
    let a = f.launch(t(0), spec()).unwrap();
    let b = f
        .launch(
            t(0),
            LaunchSpec {
                disable_api_termination: true,
                ..spec()
            },
        )
        .unwrap();
    let missing = InstanceId::from_u64(12345);
    assert_eq!(
        f.terminate_all(t(1), &[a, missing]),
        Err(LifecycleError::UnknownInstance { id: missing })
    );
    assert_eq!(
        f.terminate_all(t(1), &[a, b]),
        Err(LifecycleError::TerminationProtected { id: b })
    );
    assert_eq!(f.get(a).unwrap().state(), S::Pending);
    assert_eq!(f.terminate_all(t(1), &[a, a]), Ok(1));
    assert_eq!(f.get(a).unwrap().state(), S::ShuttingDown);
}

#[test]
fn fleet_is_bounded_and_forgets_old_terminations() {
    let mut f: Fleet<2> = Fleet::new(3, Timeouts::default());
    let a = f.launch(t(0), spec()).unwrap();
    let b = f.launch(t(0), spec()).unwrap();
    assert_ne!(a, b);
    assert_eq!(
        f.launch(t(0), spec()),
        Err(LifecycleError::FleetFull { capacity: 2 })
    );
    f.observe(t(10), a, Report::Booted).unwrap();
    f.terminate(t(30), a).unwrap();
    f.observe(t(40), a, Report::PoweredOff).unwrap();
    let billed = f.billed(t(50));
    assert_eq!(billed, Duration::from_secs(60));
    assert_eq!(
        f.launch(t(100), spec()),
        Err(LifecycleError::FleetFull { capacity: 2 })
    );
    // After its visible hour the terminated instance's slot is reused; its bill is kept.
    let c = f.launch(t(40 + 3600), spec()).unwrap();
    assert_eq!(f.get(a), Err(LifecycleError::UnknownInstance { id: a }));
    assert!(f.get(c).is_ok());
    assert_eq!(f.billed(t(5000)), billed);
    assert_eq!(f.len(), 2);
}

#[test]
fn fleet_ticks_in_launch_order_and_reports_deadlines() {
    let timeouts = Timeouts {
        boot: Some(Duration::from_secs(30)),
        ..Timeouts::default()
    };
    let mut f: Fleet<4> = Fleet::new(5, timeouts);
    let a = f.launch(t(0), spec()).unwrap();
    let b = f.launch(t(10), spec()).unwrap();
    assert_eq!(f.next_deadline(), Some(t(30)));
    assert_eq!(f.tick(t(29)), None);
    let first = f.tick(t(45)).unwrap();
    let second = f.tick(t(45)).unwrap();
    assert_eq!((first.id, second.id), (a, b));
    assert_eq!(f.tick(t(45)), None);
    assert_eq!(f.next_deadline(), None);
    assert_eq!(f.capacity(), 4);
    assert!(!f.is_empty());
    assert_eq!(f.iter().count(), 2);
}

#[test]
fn hibernation_needs_less_than_150_gib_and_no_bare_metal() {
    // SEMANTICS §1.3 (`EC2-UG:hibernating-prerequisites`).
    let on = |ty: &str| LaunchSpec {
        instance_type: TypeName::parse(ty).unwrap(),
        ..hibernating_spec()
    };
    let rule = |rule| Err(LifecycleError::InvalidLaunch { rule });
    assert_eq!(on("m5.large").validate(), Ok(()));
    assert_eq!(on("r5.xlarge").validate(), Ok(()), "32 GiB");
    assert_eq!(
        on("m5.metal").validate(),
        rule(LaunchRule::HibernationBareMetal)
    );
    assert_eq!(
        on("i3.metal").validate(),
        rule(LaunchRule::HibernationBareMetal)
    );
    assert_eq!(
        on("p4d.24xlarge").validate(),
        rule(LaunchRule::HibernationMemory),
        "1152 GiB"
    );
    assert_eq!(
        on("m5.24xlarge").validate(),
        rule(LaunchRule::HibernationMemory),
        "384 GiB"
    );
    // Without hibernation the same types launch.
    assert_eq!(spec_on("m5.metal").validate(), Ok(()));
    assert_eq!(spec_on("p4d.24xlarge").validate(), Ok(()));
    // A described type: 150 GiB is too much, a quarter GiB less is not.
    let mut board = crate::catalog::InstanceType::custom(
        "big.board",
        crate::catalog::Category::GeneralPurpose,
        8,
        150 * 1024,
    )
    .unwrap();
    let spec = on("big.board");
    assert_eq!(
        spec.validate(),
        Ok(()),
        "an undescribed type is not checked"
    );
    assert_eq!(
        spec.validate_for(&board),
        rule(LaunchRule::HibernationMemory)
    );
    board.memory_mib = 150 * 1024 - 256;
    assert_eq!(spec.validate_for(&board), Ok(()));
    let e = LifecycleError::InvalidLaunch {
        rule: LaunchRule::HibernationMemory,
    };
    assert_eq!(e.code(), 1006);
    assert_eq!(
        e.to_string(),
        "invalid launch: hibernation needs an instance type with less than 150 GiB of memory"
    );
    // The fleet refuses the launch and holds nothing.
    let mut fleet: Fleet<4> = Fleet::new(1, Timeouts::default());
    assert!(fleet.launch(t(0), on("m5.metal")).is_err());
    assert!(fleet.is_empty());
}

fn spec_on(ty: &str) -> LaunchSpec {
    LaunchSpec {
        instance_type: TypeName::parse(ty).unwrap(),
        ..spec()
    }
}
