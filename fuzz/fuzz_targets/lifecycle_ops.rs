//! The lifecycle API as random operation sequences on a `Fleet<8>` (DESIGN.md, verification
//! tier 3), with the fleet's invariants checked after every operation:
//!
//! - `terminated` is absorbing: an instance seen terminated never shows another state, and only
//!   a terminated instance ever leaves the fleet (after its visible hour); a gone id never
//!   returns, and launches never reuse an id;
//! - every state round-trips through its code and name;
//! - billed usage of each instance and of the fleet never decreases as time moves forward;
//! - an `Err` leaves the fleet exactly as it was; an `Ok` change describes what happened;
//! - `tick` settles (each change is a real transition from the state the instance was in), and
//!   afterwards nothing is due at `now`;
//! - the fleet never holds more than its capacity.

#![no_main]

use std::collections::{HashMap, HashSet};

use arbitrary::Arbitrary;
use fleetcore::Error as _;
use fleetcore::catalog::{RootDeviceType, TypeName};
use fleetcore::id::{ImageId, InstanceId};
use fleetcore::lifecycle::LifecycleError;
use fleetcore::lifecycle::{
    Fleet, InstanceState, InterruptionBehavior, LaunchSpec, Market, Report, ShutdownBehavior,
    SpotRequestType, StateChange, StateReason, Timeouts,
};
use fleetcore::{Duration, Instant};
use libfuzzer_sys::fuzz_target;

const CAPACITY: usize = 8;

#[derive(Debug, Arbitrary)]
struct Input {
    seed: u64,
    /// Boot, stop and shutdown timeouts in milliseconds.
    timeouts: [Option<u32>; 3],
    ops: Vec<Op>,
}

#[derive(Debug, Arbitrary)]
enum Op {
    Launch(Spec),
    Start(Target),
    Stop(Target, bool),
    Hibernate(Target),
    Reboot(Target),
    Terminate(Target),
    TerminateAll(Vec<Target>),
    Observe(Target, ReportIn),
    Tick,
    /// Moves the clock forward by up to about 50 days, in milliseconds.
    Advance(u32),
    /// Moves the clock forward by any number of milliseconds (saturating at the end of time).
    Leap(u64),
}

/// An instance to address: one launched before (by index, wrapping), or any id at all.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Target {
    Launched(u8),
    Unknown(u64),
}

/// A launch spec from primitives. Covers Spot, hibernation, instance-store roots, termination
/// protection and the invalid combinations of them.
///
/// The input types below mirror core enums (`Report`, `Market` ...) because the core's
/// `arbitrary` feature does not build yet; see Cargo.toml.
#[derive(Debug, Arbitrary)]
struct Spec {
    instance_type: u8,
    instance_store: bool,
    shutdown_terminates: bool,
    hibernation: bool,
    protected: bool,
    market: MarketIn,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum MarketIn {
    OnDemand,
    Spot {
        persistent: bool,
        interruption: InterruptionIn,
    },
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum InterruptionIn {
    Terminate,
    Stop,
    Hibernate,
}

/// `Report`, with `Failed` naming a reason by index into `StateReason::ALL`.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum ReportIn {
    Booted,
    PoweredOff,
    Failed(u8),
    OsShutdown,
    HibernationFailed,
    Retirement,
    SpotInterruption,
    SpotRestart,
}

impl ReportIn {
    fn to_report(self) -> Report {
        match self {
            Self::Booted => Report::Booted,
            Self::PoweredOff => Report::PoweredOff,
            Self::Failed(i) => {
                Report::Failed(StateReason::ALL[usize::from(i) % StateReason::ALL.len()])
            }
            Self::OsShutdown => Report::OsShutdown,
            Self::HibernationFailed => Report::HibernationFailed,
            Self::Retirement => Report::Retirement,
            Self::SpotInterruption => Report::SpotInterruption,
            Self::SpotRestart => Report::SpotRestart,
        }
    }
}

const TYPES: [&str; 4] = ["t3.micro", "m5.large", "i3.large", "c5.large"];

impl Spec {
    fn to_launch_spec(&self) -> LaunchSpec {
        let name = TYPES[usize::from(self.instance_type) % TYPES.len()];
        let mut spec = LaunchSpec::new(
            ImageId::from_u64(0x0123_4567_89ab_cdef),
            TypeName::parse(name).expect("built-in name"),
        );
        if self.instance_store {
            spec.root_device = RootDeviceType::InstanceStore;
        }
        if self.shutdown_terminates {
            spec.shutdown_behavior = ShutdownBehavior::Terminate;
        }
        spec.hibernation_configured = self.hibernation;
        spec.disable_api_termination = self.protected;
        spec.market = match self.market {
            MarketIn::OnDemand => Market::OnDemand,
            MarketIn::Spot {
                persistent,
                interruption,
            } => Market::Spot {
                request: if persistent {
                    SpotRequestType::Persistent
                } else {
                    SpotRequestType::OneTime
                },
                interruption: match interruption {
                    InterruptionIn::Terminate => InterruptionBehavior::Terminate,
                    InterruptionIn::Stop => InterruptionBehavior::Stop,
                    InterruptionIn::Hibernate => InterruptionBehavior::Hibernate,
                },
            },
        };
        spec
    }
}

/// What the harness remembers between operations.
struct Model {
    now: Instant,
    launched: Vec<InstanceId>,
    /// State of every instance held after the last operation.
    last_seen: HashMap<InstanceId, InstanceState>,
    /// Ids that left the fleet; they must never come back.
    gone: HashSet<InstanceId>,
    terminated: HashSet<InstanceId>,
    billed: HashMap<InstanceId, Duration>,
    fleet_billed: Duration,
}

impl Model {
    fn id(&self, target: Target) -> InstanceId {
        match target {
            Target::Launched(i) if !self.launched.is_empty() => {
                self.launched[usize::from(i) % self.launched.len()]
            }
            Target::Launched(i) => InstanceId::from_u64(u64::from(i)),
            Target::Unknown(v) => InstanceId::from_u64(v),
        }
    }
}

fuzz_target!(|input: Input| {
    let [boot, stop, shutdown] = input
        .timeouts
        .map(|t| t.map(|ms| Duration::from_millis(ms.into())));
    let mut fleet: Fleet<CAPACITY> = Fleet::new(
        input.seed,
        Timeouts {
            boot,
            stop,
            shutdown,
        },
    );
    let mut model = Model {
        now: Instant::ZERO,
        launched: Vec::new(),
        last_seen: HashMap::new(),
        gone: HashSet::new(),
        terminated: HashSet::new(),
        billed: HashMap::new(),
        fleet_billed: Duration::ZERO,
    };
    for op in &input.ops {
        apply(&mut fleet, &mut model, op);
        check_invariants(&fleet, &mut model);
    }
});

fn apply(fleet: &mut Fleet<CAPACITY>, model: &mut Model, op: &Op) {
    let now = model.now;
    let before = fleet.clone();
    match op {
        Op::Launch(spec) => match fleet.launch(now, spec.to_launch_spec()) {
            Ok(id) => {
                assert!(!model.launched.contains(&id), "id {id} handed out twice");
                assert_eq!(fleet.get(id).map(|i| i.state()), Ok(InstanceState::Pending));
                assert_eq!(fleet.iter().last().map(|i| i.id()), Some(id));
                model.launched.push(id);
            }
            Err(e) => unchanged(fleet, &before, now, &e),
        },
        Op::Start(t) => single(fleet, &before, model, *t, |f, id| f.start(now, id)),
        Op::Stop(t, force) => single(fleet, &before, model, *t, |f, id| f.stop(now, id, *force)),
        Op::Hibernate(t) => single(fleet, &before, model, *t, |f, id| f.hibernate(now, id)),
        Op::Reboot(t) => single(fleet, &before, model, *t, |f, id| f.reboot(now, id)),
        Op::Terminate(t) => single(fleet, &before, model, *t, |f, id| f.terminate(now, id)),
        Op::Observe(t, report) => {
            let report = report.to_report();
            single(fleet, &before, model, *t, |f, id| {
                f.observe(now, id, report)
            });
        }
        Op::TerminateAll(targets) => {
            let ids: Vec<InstanceId> = targets.iter().map(|t| model.id(*t)).collect();
            match fleet.terminate_all(now, &ids) {
                Ok(changed) => {
                    let distinct: HashSet<InstanceId> = ids.iter().copied().collect();
                    let mut expected = 0;
                    for id in distinct {
                        let was = before.get(id).expect("all ids were checked").state();
                        let is = fleet.get(id).expect("terminate forgets nothing").state();
                        if matches!(was, InstanceState::ShuttingDown | InstanceState::Terminated) {
                            assert_eq!(is, was, "{id}: terminating again must change nothing");
                        } else {
                            assert_eq!(is, InstanceState::ShuttingDown, "{id}");
                            expected += 1;
                        }
                    }
                    assert_eq!(changed, expected, "terminate_all count");
                }
                Err(e) => unchanged(fleet, &before, now, &e),
            }
        }
        Op::Tick => settle(fleet, now),
        Op::Advance(ms) => model.now = now + Duration::from_millis(u64::from(*ms)),
        Op::Leap(ms) => model.now = now + Duration::from_millis(*ms),
    }
}

/// One request or report for one id: on `Ok`, the change must describe what happened.
fn single(
    fleet: &mut Fleet<CAPACITY>,
    before: &Fleet<CAPACITY>,
    model: &Model,
    target: Target,
    call: impl FnOnce(&mut Fleet<CAPACITY>, InstanceId) -> Result<StateChange, LifecycleError>,
) {
    let id = model.id(target);
    match call(fleet, id) {
        Ok(change) => {
            let was = before
                .get(id)
                .expect("an Ok call names a held instance")
                .state();
            let is = fleet.get(id).expect("requests forget nothing").state();
            assert_eq!(change.id, id);
            assert_eq!(change.at, model.now);
            assert_eq!((change.from, change.to), (was, is), "{change}");
            assert_eq!(
                fleet.len(),
                before.len(),
                "a request on one instance touches no other"
            );
            for (a, b) in fleet.iter().zip(before.iter()) {
                assert!(
                    a.id() == id || a == b,
                    "{} changed by a call on {id}",
                    a.id()
                );
            }
        }
        Err(e) => unchanged(fleet, before, model.now, &e),
    }
}

/// An error must leave the fleet as it was, and be one of the lifecycle's own errors.
fn unchanged(fleet: &Fleet<CAPACITY>, before: &Fleet<CAPACITY>, now: Instant, e: &LifecycleError) {
    assert_eq!(fleet.len(), before.len(), "{e}: length changed");
    assert!(fleet.iter().eq(before.iter()), "{e}: an instance changed");
    assert_eq!(
        fleet.billed(now),
        before.billed(now),
        "{e}: billing changed"
    );
    assert_eq!(
        fleet.next_deadline(),
        before.next_deadline(),
        "{e}: deadline changed"
    );
    let code = e.code();
    assert!(
        (1000..1100).contains(&code) || (1400..1600).contains(&code),
        "{e}: code {code} outside the lifecycle, catalog and id ranges"
    );
    assert!(!e.to_string().is_empty());
}

/// Ticks until nothing is due, checking each change.
fn settle(fleet: &mut Fleet<CAPACITY>, now: Instant) {
    let mut states: HashMap<InstanceId, InstanceState> =
        fleet.iter().map(|i| (i.id(), i.state())).collect();
    // A Spot action, then the deadline of the state it enters, then nothing: a few per instance.
    let limit = 4 * CAPACITY + 4;
    let mut changes = 0;
    while let Some(change) = fleet.tick(now) {
        changes += 1;
        assert!(
            changes <= limit,
            "tick did not settle after {limit} changes"
        );
        assert!(
            change.is_transition(),
            "tick returned a non-change: {change}"
        );
        assert_eq!(change.at, now);
        assert_eq!(states.get(&change.id), Some(&change.from), "{change}");
        states.insert(change.id, change.to);
    }
    for i in fleet.iter() {
        assert_eq!(
            states.get(&i.id()),
            Some(&i.state()),
            "{} changed silently",
            i.id()
        );
    }
    if let Some(d) = fleet.next_deadline() {
        assert!(d > now, "tick settled at {now} but work is due at {d}");
    }
}

fn check_invariants(fleet: &Fleet<CAPACITY>, model: &mut Model) {
    let now = model.now;
    assert!(fleet.len() <= fleet.capacity());
    assert_eq!(fleet.iter().count(), fleet.len());

    let mut seen = HashMap::new();
    for i in fleet.iter() {
        let (id, state) = (i.id(), i.state());
        assert!(seen.insert(id, state).is_none(), "{id} held twice");
        assert!(model.launched.contains(&id), "{id} was never launched");
        assert!(
            !model.gone.contains(&id),
            "{id} came back after leaving the fleet"
        );
        assert_eq!(InstanceState::from_code(u16::from(state.code())), Ok(state));
        assert_eq!(InstanceState::from_name(state.name()), Ok(state));
        if model.terminated.contains(&id) {
            assert_eq!(state, InstanceState::Terminated, "{id} left terminated");
        }
        if state == InstanceState::Terminated {
            model.terminated.insert(id);
        }
        let billed = i.billed(now);
        let last = model.billed.insert(id, billed).unwrap_or(Duration::ZERO);
        assert!(billed >= last, "{id}: billed went from {last} to {billed}");
    }
    for (id, state) in &model.last_seen {
        if !seen.contains_key(id) {
            assert_eq!(
                *state,
                InstanceState::Terminated,
                "{id} left the fleet while {state}"
            );
            model.gone.insert(*id);
        }
    }
    model.last_seen = seen;

    let billed = fleet.billed(now);
    assert!(
        billed >= model.fleet_billed,
        "fleet billed went from {} to {billed}",
        model.fleet_billed
    );
    model.fleet_billed = billed;
}
