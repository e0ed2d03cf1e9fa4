//! The Auto Scaling group as random operation sequences on a `Group<12>` (DESIGN.md, verification
//! tier 3), built like `make_group` in core/tests/group_props.rs: sizes 1..6 with desired 3, three
//! zones, a launching hook (120 s, `ABANDON`) and a terminating hook (60 s, `CONTINUE`), a 60 s
//! grace period and the `OldestLaunchTemplate, Default` termination policies.
//!
//! A small world plays the caller: it keeps the actions the group asked for and answers them when
//! the sequence says so. After every operation:
//!
//! - min ≤ desired ≤ max, and the group never holds more than N members;
//! - ids are unique, and a member that left the group never returns;
//! - a refused call (`Err`) leaves the members and the sizes as they were, with a group error code;
//! - after a tick whose action buffer did not fill, with `Terminate` not suspended: members
//!   launching or in service stay within max plus the rebalancing allowance max(10 % of max, 1),
//!   unless the excess is protected (the rule of group_props.rs); nothing is owed any more, so
//!   `next_deadline` is in the future;
//! - every action names a member in the matching state: `Launch` a launching member, `Terminate` a
//!   member in `Terminating:Proceed`, `NotifyHook` a member waiting on that hook with the hook's own
//!   transition; no launch, termination or hook notification is ever handed out twice.
//!
//! At the end the world settles the group (resume every process, answer everything, tick with time
//! passing): no member is left `Pending*` or `Terminating*`, and capacity equals desired when no
//! member is protected (at least desired otherwise). A group holding N members (standby and
//! attached members use slots too) is excused from reaching desired.

#![no_main]

use std::collections::HashSet;

use arbitrary::Arbitrary;
use fleetcore::Error as _;
use fleetcore::catalog::CatalogError;
use fleetcore::catalog::{TemplateSource, VersionSpec};
use fleetcore::group::GroupError;
use fleetcore::group::{
    Action, Event, Group, GroupConfig, Health, HealthSource, HookResult, HookTransition,
    LifecycleHook, Member, MemberState, Process, TerminationPolicy,
};
use fleetcore::id::{IdGenerator, InstanceId, TemplateId};
use fleetcore::lifecycle::InstanceState;
use fleetcore::{Duration, Instant};
use libfuzzer_sys::fuzz_target;

const N: usize = 12;
/// The action buffer of an ordinary tick (as in group_props.rs).
const BUFFER: usize = 8;
/// Ids the world makes up (attached instances, unknown ids) come from the group's own id sequence
/// far beyond any counter the group reaches: the sequence is a bijection, so they can never equal
/// an id the group hands out.
const FOREIGN: u64 = 1 << 63;
const UNKNOWN: u64 = FOREIGN + (1 << 62);
/// Settling gives up after this many ticks; the final checks then report what is left.
const SETTLE_TICKS: usize = 200;

#[derive(Debug, Arbitrary)]
struct Input {
    seed: u64,
    ops: Vec<Op>,
}

/// One step. Member indices wrap over the current members (the step does nothing without
/// members); world indices wrap over what the world holds (nothing to answer: nothing happens).
#[derive(Debug, Arbitrary)]
enum Op {
    /// `SetDesiredCapacity` to `value % 16` (13..15 are above any max).
    SetDesired(u8),
    /// `UpdateAutoScalingGroup` with min, max and desired, each `% 16` when given.
    UpdateSize(Option<u8>, Option<u8>, Option<u8>),
    /// `tick` with an action buffer of 8.
    Tick,
    /// `tick` with an action buffer of 1, so that actions stay owed.
    TickOne,
    /// Moves the clock forward by up to about 1.8 hours, in tenths of a second.
    Advance(u16),
    /// The world boots a launch it was asked for.
    Boot(u8),
    /// The world fails a launch it was asked for.
    FailLaunch(u8),
    /// The world reports a termination it was asked for.
    Terminated(u8),
    /// A member's instance is terminated behind the group's back.
    Vanish(u8),
    /// EC2 reports another state for a member (stopped, stopping ...).
    Ec2(u8, Ec2In),
    /// A health check fails for a member.
    Unhealthy(u8, SourceIn),
    /// `SetInstanceHealth` (healthy or not, respecting the grace period or not).
    SetHealth(u8, bool, bool),
    /// `CompleteLifecycleAction` for a notification the world got: `CONTINUE` or `ABANDON`.
    Hook(u8, bool),
    /// `CompleteLifecycleAction` for any member and hook index (mostly refused).
    HookAny(u8, u8, bool),
    /// `RecordLifecycleActionHeartbeat` for a notification the world got (the world keeps it).
    Heartbeat(u8),
    /// `EnterStandby`, with or without decrementing desired.
    Standby(Vec<Who>, bool),
    /// `ExitStandby`.
    ExitStandby(Vec<Who>),
    /// `DetachInstances`, with or without decrementing desired.
    Detach(Vec<Who>, bool),
    /// `AttachInstances` with zone indices (3 and above are invalid).
    Attach(Vec<(Attachee, u8)>),
    /// `SetInstanceProtection`.
    Protect(Vec<Who>, bool),
    /// Suspend (true) or resume one of Launch, Terminate, ReplaceUnhealthy, AZRebalance,
    /// HealthCheck.
    Suspend(u8, bool),
    /// A new template version becomes current.
    NewVersion,
}

/// An instance to attach: a new one, or (refused) a member by index.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Attachee {
    New,
    Member(u8),
}

/// An id in a call: a member by index (wrapping), or an id the group never knew.
#[derive(Debug, Clone, Copy, Arbitrary)]
enum Who {
    Member(u8),
    Unknown(u8),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Ec2In {
    Stopped,
    Stopping,
    ShuttingDown,
    Running,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum SourceIn {
    Custom,
    LoadBalancer,
    Ec2,
}

const PROCESSES: [Process; 5] = [
    Process::Launch,
    Process::Terminate,
    Process::ReplaceUnhealthy,
    Process::AzRebalance,
    Process::HealthCheck,
];

/// Every name resolves to the world's current version.
struct Templates(u32);

impl TemplateSource for Templates {
    fn resolve(&self, _: TemplateId, _: VersionSpec) -> Result<u32, CatalogError> {
        Ok(self.0)
    }
}

/// The caller's side: the clock, what it was asked and has not answered yet, and what the group
/// ever handed out.
struct World {
    seed: u64,
    now: Instant,
    version: u32,
    launching: Vec<InstanceId>,
    terminating: Vec<InstanceId>,
    hooks: Vec<(InstanceId, u8)>,
    attached: u64,
    /// Every id a `Launch` named, every id a `Terminate` named, every hook notification.
    launched: HashSet<InstanceId>,
    terminated: HashSet<InstanceId>,
    notified: HashSet<(InstanceId, u8)>,
    /// Members that left the group; they must never come back.
    gone: HashSet<InstanceId>,
}

impl World {
    fn new(seed: u64) -> Self {
        Self {
            seed,
            now: Instant::ZERO,
            version: 1,
            launching: Vec::new(),
            terminating: Vec::new(),
            hooks: Vec::new(),
            attached: 0,
            launched: HashSet::new(),
            terminated: HashSet::new(),
            notified: HashSet::new(),
            gone: HashSet::new(),
        }
    }

    fn foreign(&self, counter: u64) -> InstanceId {
        IdGenerator::resume(self.seed, counter)
            .next_id()
            .expect("a counter below u64::MAX")
    }

    fn ids(&self, g: &Group<N>, who: &[Who]) -> Vec<InstanceId> {
        who.iter()
            .filter_map(|w| match *w {
                Who::Member(i) => member_id(g, i),
                Who::Unknown(k) => Some(self.foreign(UNKNOWN + u64::from(k))),
            })
            .collect()
    }

    /// Records the actions of a tick, checking each against the group as the tick left it.
    fn take(&mut self, g: &Group<N>, actions: &[Action]) {
        for a in actions {
            let member = |id| {
                g.member(id)
                    .unwrap_or_else(|e| panic!("{a}: names no member ({e})"))
            };
            match *a {
                Action::Launch { id, zone, .. } => {
                    let m = member(id);
                    // Pending, or already on its way out: a member terminated in the decision
                    // that launched it gets its launch, then its termination.
                    assert!(
                        m.state().is_pending() || m.state().is_terminating(),
                        "{a}: member is {}",
                        m.state()
                    );
                    assert_eq!(m.zone(), zone, "{a}: member is in zone {}", m.zone());
                    assert!(zone < 3, "{a}: no such zone");
                    assert!(self.launched.insert(id), "{a}: launched twice");
                    self.launching.push(id);
                }
                Action::Terminate { id } => {
                    let m = member(id);
                    assert_eq!(m.state(), MemberState::TerminatingProceed, "{a}");
                    assert!(self.terminated.insert(id), "{a}: terminated twice");
                    self.terminating.push(id);
                }
                Action::NotifyHook {
                    id,
                    hook,
                    transition,
                } => {
                    let m = member(id);
                    let configured = g
                        .hooks()
                        .get(usize::from(hook))
                        .copied()
                        .flatten()
                        .unwrap_or_else(|| panic!("{a}: no such hook"))
                        .transition;
                    assert_eq!(transition, configured, "{a}: wrong transition");
                    let waiting = match transition {
                        HookTransition::Launching => MemberState::PendingWait,
                        HookTransition::Terminating => MemberState::TerminatingWait,
                    };
                    // A hook that timed out before its notification was handed out is still
                    // notified (issue 19, item 7), after the member moved on by the hook's
                    // default result: there is nothing left to complete then.
                    let timed_out = m.state() != waiting;
                    assert!(self.notified.insert((id, hook)), "{a}: notified twice");
                    if !timed_out {
                        self.hooks.push((id, hook));
                    }
                }
                _ => panic!("{a}: an action the world does not know"),
            }
        }
    }
}

fn make_group(seed: u64) -> Group<N> {
    let mut c = GroupConfig::new(1, 6, TemplateId::from_u64(1), "a").expect("valid config");
    c.add_zone("b").expect("second zone");
    c.add_zone("c").expect("third zone");
    c.desired_capacity = Some(3);
    c.health_check_grace_period = Duration::from_secs(60);
    c.termination_policies.clear();
    c.termination_policies
        .push(TerminationPolicy::OldestLaunchTemplate)
        .expect("room for a policy");
    c.termination_policies
        .push(TerminationPolicy::Default)
        .expect("room for a policy");
    let mut g = Group::new(c, seed).expect("valid group");
    let mut launching = LifecycleHook::new(HookTransition::Launching);
    launching.heartbeat_timeout = Duration::from_secs(120);
    g.put_lifecycle_hook(launching).expect("first hook");
    let mut terminating = LifecycleHook::new(HookTransition::Terminating);
    terminating.heartbeat_timeout = Duration::from_secs(60);
    terminating.default_result = HookResult::Continue;
    g.put_lifecycle_hook(terminating).expect("second hook");
    g
}

fn member_id(g: &Group<N>, i: u8) -> Option<InstanceId> {
    let m = g.members();
    (!m.is_empty()).then(|| m[usize::from(i) % m.len()].id())
}

fn pick<T: Copy>(v: &mut Vec<T>, i: u8) -> Option<T> {
    (!v.is_empty()).then(|| v.remove(usize::from(i) % v.len()))
}

fn sizes(g: &Group<N>) -> (u32, u32, u32) {
    (g.min_size(), g.desired(), g.max_size())
}

fuzz_target!(|input: Input| {
    let mut g = make_group(input.seed);
    let mut world = World::new(input.seed);
    for op in &input.ops {
        step(&mut g, &mut world, op);
    }
    settle(&mut g, &mut world);
});

/// Applies one operation and checks the invariants.
fn step(g: &mut Group<N>, world: &mut World, op: &Op) {
    let before: Vec<Member> = g.members().to_vec();
    let before_sizes = sizes(g);
    let now = world.now;
    let result = match op {
        Op::SetDesired(d) => g.set_desired(now, u32::from(d % 16), false),
        Op::UpdateSize(min, max, desired) => {
            let size = |v: &Option<u8>| v.map(|v| u32::from(v % 16));
            g.update_size(size(min), size(max), size(desired))
        }
        Op::Tick => {
            tick::<BUFFER>(g, world);
            Ok(())
        }
        Op::TickOne => {
            tick::<1>(g, world);
            Ok(())
        }
        Op::Advance(tenths) => {
            world.now = now + Duration::from_millis(u64::from(*tenths) * 100);
            Ok(())
        }
        Op::Boot(i) => {
            pick(&mut world.launching, *i).map_or(Ok(()), |id| g.observe(now, Event::Booted(id)))
        }
        Op::FailLaunch(i) => pick(&mut world.launching, *i)
            .map_or(Ok(()), |id| g.observe(now, Event::LaunchFailed(id))),
        Op::Terminated(i) => pick(&mut world.terminating, *i)
            .map_or(Ok(()), |id| g.observe(now, Event::Terminated(id))),
        Op::Vanish(i) => {
            member_id(g, *i).map_or(Ok(()), |id| g.observe(now, Event::Terminated(id)))
        }
        Op::Ec2(i, state) => {
            let state = match state {
                Ec2In::Stopped => InstanceState::Stopped,
                Ec2In::Stopping => InstanceState::Stopping,
                Ec2In::ShuttingDown => InstanceState::ShuttingDown,
                Ec2In::Running => InstanceState::Running,
            };
            member_id(g, *i).map_or(Ok(()), |id| g.observe(now, Event::Ec2State(id, state)))
        }
        Op::Unhealthy(i, source) => {
            let source = match source {
                SourceIn::Custom => HealthSource::Custom,
                SourceIn::LoadBalancer => HealthSource::LoadBalancer,
                SourceIn::Ec2 => HealthSource::Ec2,
            };
            member_id(g, *i).map_or(Ok(()), |id| g.observe(now, Event::Unhealthy(id, source)))
        }
        Op::SetHealth(i, healthy, respect_grace) => {
            let health = if *healthy {
                Health::Healthy
            } else {
                Health::Unhealthy
            };
            member_id(g, *i).map_or(Ok(()), |id| g.set_health(now, id, health, *respect_grace))
        }
        Op::Hook(i, cont) => pick(&mut world.hooks, *i).map_or(Ok(()), |(id, hook)| {
            // The member may have moved on (a timeout); a refusal is fine then.
            g.observe(now, Event::HookCompleted(id, hook, result(*cont)))
        }),
        Op::HookAny(i, hook, cont) => member_id(g, *i).map_or(Ok(()), |id| {
            g.observe(now, Event::HookCompleted(id, hook % 4, result(*cont)))
        }),
        Op::Heartbeat(i) => match world.hooks.get(usize::from(*i) % world.hooks.len().max(1)) {
            Some(&(id, hook)) => g.observe(now, Event::HookHeartbeat(id, hook)),
            None => Ok(()),
        },
        Op::Standby(who, decrement) => g.enter_standby(now, &world.ids(g, who), *decrement),
        Op::ExitStandby(who) => g.exit_standby(now, &world.ids(g, who)),
        Op::Detach(who, decrement) => g.detach(now, &world.ids(g, who), *decrement),
        Op::Attach(list) => {
            let instances: Vec<(InstanceId, u8)> = list
                .iter()
                .filter_map(|&(who, zone)| match who {
                    Attachee::New => {
                        world.attached += 1;
                        Some((world.foreign(FOREIGN + world.attached), zone))
                    }
                    Attachee::Member(i) => member_id(g, i).map(|id| (id, zone)),
                })
                .collect();
            g.attach(now, &instances)
        }
        Op::Protect(who, protect) => g.set_protection(&world.ids(g, who), *protect),
        Op::Suspend(p, suspend) => {
            let process = PROCESSES[usize::from(*p) % PROCESSES.len()];
            if *suspend {
                g.suspend(process);
            } else {
                g.resume(process);
            }
            Ok(())
        }
        Op::NewVersion => {
            world.version += 1;
            g.sync_template(&Templates(world.version));
            Ok(())
        }
    };
    after(g, world, &before, before_sizes, result);
}

fn result(cont: bool) -> HookResult {
    if cont {
        HookResult::Continue
    } else {
        HookResult::Abandon
    }
}

/// A tick with an action buffer of `A`, checked.
fn tick<const A: usize>(g: &mut Group<N>, world: &mut World) {
    let now = world.now;
    let mut out: heapless::Vec<Action, A> = heapless::Vec::new();
    // The quiet shortcut must act as a forced full pass would.
    let mut full = g.clone();
    full.invalidate();
    let mut full_out: heapless::Vec<Action, A> = heapless::Vec::new();
    full.tick(now, &mut full_out);
    g.tick(now, &mut out);
    assert_eq!(out, full_out, "the quiet shortcut changed the actions");
    assert!(*g == full, "the quiet shortcut changed the group");
    world.take(g, &out);
    if out.len() < A {
        check_capacity(g);
        if let Some(d) = g.next_deadline() {
            assert!(
                d > now,
                "a tick at {now} with room to spare left work due at {d}"
            );
        }
    }
}

/// The checks after every step: a refusal changed nothing; the group's invariants hold.
fn after(
    g: &Group<N>,
    world: &mut World,
    before: &[Member],
    before_sizes: (u32, u32, u32),
    result: Result<(), GroupError>,
) {
    if let Err(e) = result {
        assert_eq!(
            g.members(),
            before,
            "{e}: a refused call changed the members"
        );
        assert_eq!(
            sizes(g),
            before_sizes,
            "{e}: a refused call changed the sizes"
        );
        let code = e.code();
        assert!(
            (1100..1200).contains(&code),
            "{e}: code {code} outside the group range"
        );
        assert!(!e.to_string().is_empty());
    }
    // Members that left the group are gone for good.
    for m in before {
        if g.member(m.id()).is_err() {
            world.gone.insert(m.id());
        }
    }
    check(g, world);
}

fn check(g: &Group<N>, world: &World) {
    let (min, desired, max) = sizes(g);
    assert!(
        min <= desired && desired <= max,
        "sizes out of order: min {min}, desired {desired}, max {max}"
    );
    assert!(g.members().len() <= N, "{} members", g.members().len());
    let mut ids = HashSet::new();
    for m in g.members() {
        assert!(ids.insert(m.id()), "{} held twice", m.id());
        assert!(!world.gone.contains(&m.id()), "{} came back", m.id());
    }
}

/// After a tick that may terminate: launching and in-service members stay within max plus the
/// rebalancing allowance, except for protected members that scale-in may not touch (the rule of
/// group_props.rs).
fn check_capacity(g: &Group<N>) {
    if g.is_suspended(Process::Terminate) {
        return;
    }
    let allowance = (g.max_size() / 10).max(1);
    let protected = g
        .members()
        .iter()
        .filter(|m| m.state().counts_toward_capacity() && m.is_protected())
        .count();
    let protected = u32::try_from(protected).expect("at most N");
    assert!(
        g.capacity() <= g.max_size() + allowance || g.capacity() <= g.desired() + protected + 1,
        "capacity {} over max {} (desired {}, protected {protected})",
        g.capacity(),
        g.max_size(),
        g.desired(),
    );
}

/// Resume everything, answer every request, let time pass; then nothing may be left in flight.
fn settle(g: &mut Group<N>, world: &mut World) {
    for &p in Process::ALL {
        g.resume(p);
    }
    for round in 0..SETTLE_TICKS {
        let before: Vec<Member> = g.members().to_vec();
        let before_sizes = sizes(g);
        let now = world.now;
        let mut out: heapless::Vec<Action, BUFFER> = heapless::Vec::new();
        let mut full = g.clone();
        full.invalidate();
        let mut full_out: heapless::Vec<Action, BUFFER> = heapless::Vec::new();
        full.tick(now, &mut full_out);
        g.tick(now, &mut out);
        assert_eq!(out, full_out, "the quiet shortcut changed the actions");
        assert!(*g == full, "the quiet shortcut changed the group");
        world.take(g, &out);
        if out.len() < BUFFER {
            check_capacity(g);
        }
        after(g, world, &before, before_sizes, Ok(()));
        let quiet = out.is_empty()
            && world.launching.is_empty()
            && world.terminating.is_empty()
            && world.hooks.is_empty()
            && g.members()
                .iter()
                .all(|m| !m.state().is_pending() && !m.state().is_terminating());
        if quiet && round > 0 {
            break;
        }
        for id in std::mem::take(&mut world.launching) {
            answer(g, world, Event::Booted(id));
        }
        for id in std::mem::take(&mut world.terminating) {
            answer(g, world, Event::Terminated(id));
        }
        for (id, hook) in std::mem::take(&mut world.hooks) {
            answer(
                g,
                world,
                Event::HookCompleted(id, hook, HookResult::Continue),
            );
        }
        world.now = now + Duration::from_secs(30);
    }
    for m in g.members() {
        assert!(
            !m.state().is_pending() && !m.state().is_terminating(),
            "{} left in {} after settling",
            m.id(),
            m.state()
        );
    }
    let protected = g.members().iter().any(Member::is_protected);
    let full = g.members().len() == N;
    let (capacity, desired) = (g.capacity(), g.desired());
    if !protected {
        assert!(
            capacity <= desired,
            "settled at capacity {capacity} above desired {desired}"
        );
    }
    if !full {
        assert!(
            capacity >= desired,
            "settled at capacity {capacity} below desired {desired}"
        );
    }
}

/// A report during settling; a refusal (the member moved on) must change nothing.
fn answer(g: &mut Group<N>, world: &mut World, event: Event) {
    let before: Vec<Member> = g.members().to_vec();
    let before_sizes = sizes(g);
    let result = g.observe(world.now, event);
    after(g, world, &before, before_sizes, result);
}
