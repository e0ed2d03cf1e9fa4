//! Property tests of the Auto Scaling group over random operation sequences (DESIGN.md tier 2).
//!
//! A small world plays the caller: it keeps the actions the group asked for and answers them
//! when the sequence says so (boot, fail, terminate, answer a hook). After every step:
//! - min ≤ desired ≤ max;
//! - members launching or in service never exceed max plus the rebalancing allowance
//!   max(10 % of max, 1), and the group never holds more than N members;
//! - ids are unique (no member in two states) and a member that left never returns;
//! - a refused call changes nothing.
//!
//! Snapshots are taken at random points; a snapshot restores to an identical group, and a power
//! loss (restore the last snapshot in place over the live group, then reconcile with the world)
//! never makes the group launch an id the world already runs, nor forget an instance it
//! launched.
//!
//! Every tick is also run on a copy with [`Group::invalidate`] first: the shortcut that skips
//! the member passes of a quiet group must give the same actions and the same group.
//!
//! At the end the world answers everything and the group settles: every launch is in service
//! or gone, nothing is left terminating, and capacity equals desired unless scale-in was blocked
//! by protection.

use std::collections::{HashMap, HashSet};

use fleetcore::catalog::CatalogError;
use fleetcore::catalog::{TemplateSource, VersionSpec};
use fleetcore::group::{
    Action, Event, Group, GroupConfig, HealthSource, HookResult, HookTransition, LifecycleHook,
    MemberState, PoolState, Process, RefreshPreferences, TerminationPolicy, WarmPool,
    WorldInstance,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::lifecycle::InstanceState;
use fleetcore::{Duration, Instant};
use proptest::prelude::*;

const N: usize = 12;

struct Templates(u32);

impl TemplateSource for Templates {
    fn resolve(&self, _: TemplateId, _: VersionSpec) -> Result<u32, CatalogError> {
        Ok(self.0)
    }
}

#[derive(Debug, Clone)]
enum Op {
    SetDesired(u32),
    UpdateSize(u32, u32),
    Tick,
    Advance(u64),
    Boot(usize),
    FailLaunch(usize),
    Terminated(usize),
    Stopped(usize),
    Unhealthy(usize, bool),
    Hook(usize, bool),
    Heartbeat(usize),
    Standby(usize, bool),
    ExitStandby(usize),
    Detach(usize, bool),
    Attach(u8),
    Protect(usize, bool),
    Suspend(u8, bool),
    NewVersion,
    Snapshot,
    PowerLoss,
    PutWarmPool(u8),
    DeleteWarmPool,
    Refresh(u8),
    CancelRefresh,
    StopDone(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u32..=10).prop_map(Op::SetDesired),
        1 => (0u32..=6, 0u32..=10).prop_map(|(a, b)| Op::UpdateSize(a, b)),
        4 => Just(Op::Tick),
        2 => (0u64..4_000_000).prop_map(Op::Advance),
        4 => any::<usize>().prop_map(Op::Boot),
        1 => any::<usize>().prop_map(Op::FailLaunch),
        3 => any::<usize>().prop_map(Op::Terminated),
        1 => any::<usize>().prop_map(Op::Stopped),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, lb)| Op::Unhealthy(i, lb)),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(i, c)| Op::Hook(i, c)),
        1 => any::<usize>().prop_map(Op::Heartbeat),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, d)| Op::Standby(i, d)),
        1 => any::<usize>().prop_map(Op::ExitStandby),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, d)| Op::Detach(i, d)),
        1 => (0u8..3).prop_map(Op::Attach),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(i, p)| Op::Protect(i, p)),
        1 => (0u8..5, any::<bool>()).prop_map(|(p, s)| Op::Suspend(p, s)),
        1 => Just(Op::NewVersion),
        1 => Just(Op::Snapshot),
        1 => Just(Op::PowerLoss),
        1 => any::<u8>().prop_map(Op::PutWarmPool),
        1 => Just(Op::DeleteWarmPool),
        1 => any::<u8>().prop_map(Op::Refresh),
        1 => Just(Op::CancelRefresh),
        2 => any::<usize>().prop_map(Op::StopDone),
    ]
}

/// What the size model predicts from an operation.
#[derive(Debug)]
enum OpDesc {
    SetDesired(u32),
    UpdateSize(u32, u32),
    /// Desired moves by this much when the call succeeds.
    Delta(i32),
    PowerLoss,
    Other,
}

enum OpKind {
    PowerLoss,
    Other,
}

/// The caller's side: what it was asked and has not answered yet.
#[derive(Default)]
struct World {
    launching: Vec<InstanceId>,
    stopping: Vec<InstanceId>,
    terminating: Vec<InstanceId>,
    hooks: Vec<(InstanceId, u8)>,
    attached: u64,
    attached_ids: HashSet<InstanceId>,
    /// Every instance the world runs for the group: its state and zone.
    instances: HashMap<InstanceId, (InstanceState, u8)>,
}

impl World {
    fn take(&mut self, actions: &heapless::Vec<Action, 8>) -> Result<(), TestCaseError> {
        for a in actions {
            match *a {
                Action::Launch { id, zone, .. } => {
                    let live = self
                        .instances
                        .get(&id)
                        .is_some_and(|(s, _)| *s != InstanceState::Terminated);
                    prop_assert!(!live, "duplicate launch of {}", id);
                    self.instances.insert(id, (InstanceState::Pending, zone));
                    self.launching.push(id);
                }
                Action::Terminate { id } => self.terminating.push(id),
                Action::NotifyHook { id, hook, .. } => self.hooks.push((id, hook)),
                Action::Start { id } => {
                    self.set(id, InstanceState::Pending);
                    self.launching.push(id);
                }
                Action::Stop { id, .. } => self.stopping.push(id),
                _ => {}
            }
        }
        Ok(())
    }

    /// Sets an instance's state; returns false (and changes nothing) once it is terminated,
    /// since a terminated instance never changes again.
    fn set(&mut self, id: InstanceId, state: InstanceState) -> bool {
        match self.instances.get_mut(&id) {
            Some(entry) if entry.0 != InstanceState::Terminated => {
                entry.0 = state;
                true
            }
            _ => false,
        }
    }

    fn list(&self) -> Vec<WorldInstance> {
        self.instances
            .iter()
            .map(|(&id, &(state, zone))| WorldInstance { id, state, zone })
            .collect()
    }
}

fn pick<T: Copy>(v: &mut Vec<T>, i: usize) -> Option<T> {
    if v.is_empty() {
        None
    } else {
        Some(v.remove(i % v.len()))
    }
}

fn member_id(g: &Group<N>, i: usize) -> Option<InstanceId> {
    let m = g.members();
    if m.is_empty() {
        None
    } else {
        Some(m[i % m.len()].id())
    }
}

fn make_group(seed: u64) -> Group<N> {
    let mut c = GroupConfig::new(1, 6, TemplateId::from_u64(1), "a").unwrap();
    c.add_zone("b").unwrap();
    c.add_zone("c").unwrap();
    c.desired_capacity = Some(3);
    c.health_check_grace_period = Duration::from_secs(60);
    c.termination_policies.clear();
    c.termination_policies
        .push(TerminationPolicy::OldestLaunchTemplate)
        .unwrap();
    c.termination_policies
        .push(TerminationPolicy::Default)
        .unwrap();
    let mut g = Group::new(c, seed).unwrap();
    let mut launching = LifecycleHook::new(HookTransition::Launching);
    launching.heartbeat_timeout = Duration::from_secs(120);
    g.put_lifecycle_hook(launching).unwrap();
    let mut terminating = LifecycleHook::new(HookTransition::Terminating);
    terminating.heartbeat_timeout = Duration::from_secs(60);
    terminating.default_result = HookResult::Continue;
    g.put_lifecycle_hook(terminating).unwrap();
    g
}

/// After a tick that may terminate: launching and in-service members stay within max plus the
/// rebalancing allowance, except for protected members that scale-in may not touch and a
/// refresh's launch-first batch.
fn check_capacity(g: &Group<N>) -> Result<(), TestCaseError> {
    if g.is_suspended(Process::Terminate) {
        return Ok(());
    }
    let allowance = (g.max_size() / 10).max(1);
    let counted = g
        .members()
        .iter()
        .filter(|m| m.state().counts_toward_capacity());
    let protected = u32::try_from(counted.filter(|m| m.is_protected()).count()).unwrap();
    // A refresh's launch-first batch goes above desired, within MaxHealthyPercentage.
    let surge = g.instance_refresh().map_or(0, |r| r.surge);
    prop_assert!(
        g.capacity() <= g.max_size() + allowance
            || g.capacity() <= g.desired() + protected + 1 + surge,
        "capacity {} over max {} (desired {}, protected {}, surge {})",
        g.capacity(),
        g.max_size(),
        g.desired(),
        protected,
        surge
    );
    Ok(())
}

fn check(g: &Group<N>, gone: &HashSet<InstanceId>) -> Result<(), TestCaseError> {
    prop_assert!(g.min_size() <= g.desired() && g.desired() <= g.max_size());
    prop_assert!(g.members().len() <= N);
    let mut ids = HashSet::new();
    for m in g.members() {
        prop_assert!(ids.insert(m.id()), "{} twice", m.id());
        prop_assert!(!gone.contains(&m.id()), "{} came back", m.id());
    }
    Ok(())
}

/// Deciding is separate from taking the actions out: any buffer size gives the same actions in
/// the same order and the same group, and deciding again at the same instant finds nothing new
/// and leaves nothing due at `now` (DESIGN.md principle 8). Out of line, on the heap: the
/// copies are large for the test thread's stack.
#[inline(never)]
fn check_buffers(g: &Group<N>, now: Instant) -> Result<(), TestCaseError> {
    let (mut one, mut big) = (Box::new(g.clone()), Box::new(g.clone()));
    one.decide(now);
    big.decide(now);
    let mut by_one = Vec::new();
    let mut slot = [Action::Start {
        id: InstanceId::from_u64(0),
    }];
    while one.drain(&mut slot) == 1 {
        by_one.push(slot[0]);
    }
    let mut by_256 = Vec::new();
    let mut buf = [slot[0]; 256];
    loop {
        let n = big.drain(&mut buf);
        by_256.extend_from_slice(&buf[..n]);
        if n < buf.len() {
            break;
        }
    }
    prop_assert_eq!(&by_one, &by_256, "buffer sizes gave other actions");
    prop_assert_eq!(&one, &big, "buffer sizes left other groups");
    prop_assert_eq!(big.pending_actions(), 0);
    let settled = Box::new((*big).clone());
    big.decide(now);
    prop_assert_eq!(big.pending_actions(), 0, "deciding again decided more");
    prop_assert_eq!(&big, &settled, "deciding again changed the group");
    prop_assert!(
        big.next_deadline().is_none_or(|t| t > now),
        "something is still due at now: {:?}",
        big.next_deadline()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_invariants(seed: u64, ops in proptest::collection::vec(op(), 1..120)) {
        let mut g = make_group(seed);
        let mut world = World::default();
        let mut now = Instant::ZERO;
        let mut version = 1;
        let mut gone: HashSet<InstanceId> = HashSet::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut saved: Option<Vec<u8>> = None;

        for op in ops {
            let op_kind = if matches!(op, Op::PowerLoss) { OpKind::PowerLoss } else { OpKind::Other };
            let op_desc = match op {
                Op::SetDesired(d) => OpDesc::SetDesired(d),
                Op::UpdateSize(a, b) => OpDesc::UpdateSize(a, b),
                // Only when the call is made: the harness skips it when there is no member.
                Op::Standby(i, true) | Op::Detach(i, true) if member_id(&g, i).is_some() => {
                    OpDesc::Delta(-1)
                }
                Op::ExitStandby(i) if member_id(&g, i).is_some() => OpDesc::Delta(1),
                Op::Attach(_) => OpDesc::Delta(1),
                Op::PowerLoss => OpDesc::PowerLoss,
                _ => OpDesc::Other,
            };
            let before_members: Vec<_> = g.members().to_vec();
            let before_desired = (g.min_size(), g.desired(), g.max_size());
            let result = match op {
                Op::SetDesired(d) => g.set_desired(now, d, false),
                Op::UpdateSize(min, max) => g.update_size(Some(min), Some(max), None),
                Op::Tick => {
                    check_buffers(&g, now)?;
                    // The same tick with every member pass forced: the quiet shortcut must
                    // change nothing.
                    let mut full = g.clone();
                    full.invalidate();
                    let mut full_out: heapless::Vec<Action, 8> = heapless::Vec::new();
                    full.tick(now, &mut full_out);
                    let mut out: heapless::Vec<Action, 8> = heapless::Vec::new();
                    g.tick(now, &mut out);
                    prop_assert_eq!(&out, &full_out, "the shortcut changed the actions");
                    prop_assert_eq!(&g, &full, "the shortcut changed the group");
                    world.take(&out)?;
                    if out.len() < 8 {
                        check_capacity(&g)?;
                    }
                    Ok(())
                }
                Op::Advance(ms) => {
                    now += Duration::from_millis(ms);
                    Ok(())
                }
                Op::Boot(i) => match pick(&mut world.launching, i) {
                    Some(id) if world.set(id, InstanceState::Running) => {
                        g.observe(now, Event::Booted(id))
                    }
                    _ => Ok(()),
                },
                Op::FailLaunch(i) => match pick(&mut world.launching, i) {
                    Some(id) if world.set(id, InstanceState::Terminated) => {
                        g.observe(now, Event::LaunchFailed(id))
                    }
                    _ => Ok(()),
                },
                Op::Terminated(i) => match pick(&mut world.terminating, i) {
                    Some(id) => {
                        world.set(id, InstanceState::Terminated);
                        g.observe(now, Event::Terminated(id))
                    }
                    None => Ok(()),
                },
                Op::Stopped(i) => match member_id(&g, i) {
                    Some(id) if world.set(id, InstanceState::Stopped) => {
                        g.observe(now, Event::Ec2State(id, InstanceState::Stopped))
                    }
                    _ => Ok(()),
                },
                Op::Unhealthy(i, lb) => match member_id(&g, i) {
                    Some(id) => {
                        let source = if lb { HealthSource::LoadBalancer } else { HealthSource::Custom };
                        g.observe(now, Event::Unhealthy(id, source))
                    }
                    None => Ok(()),
                },
                Op::Hook(i, cont) => match pick(&mut world.hooks, i) {
                    Some((id, hook)) => {
                        let result = if cont { HookResult::Continue } else { HookResult::Abandon };
                        // The member may have moved on (timeout); a refusal is fine then.
                        g.observe(now, Event::HookCompleted(id, hook, result))
                    }
                    None => Ok(()),
                },
                Op::Heartbeat(i) => match world.hooks.get(i % world.hooks.len().max(1)).copied() {
                    Some((id, hook)) => g.observe(now, Event::HookHeartbeat(id, hook)),
                    None => Ok(()),
                },
                Op::Standby(i, d) => match member_id(&g, i) {
                    Some(id) => g.enter_standby(now, &[id], d),
                    None => Ok(()),
                },
                Op::ExitStandby(i) => match member_id(&g, i) {
                    Some(id) => g.exit_standby(now, &[id]),
                    None => Ok(()),
                },
                Op::Detach(i, d) => match member_id(&g, i) {
                    Some(id) => {
                        let r = g.detach(now, &[id], d);
                        if r.is_ok() {
                            gone.insert(id);
                            world.instances.remove(&id);
                        }
                        r
                    }
                    None => Ok(()),
                },
                Op::Attach(zone) => {
                    world.attached += 1;
                    let id = InstanceId::from_u64(0xffff_0000 + world.attached);
                    let r = g.attach(now, &[(id, zone)]);
                    if r.is_ok() {
                        world.instances.insert(id, (InstanceState::Running, zone));
                        world.attached_ids.insert(id);
                    }
                    r
                }
                Op::Protect(i, p) => match member_id(&g, i) {
                    Some(id) => g.set_protection(&[id], p),
                    None => Ok(()),
                },
                Op::Suspend(p, s) => {
                    let process = [
                        Process::Launch,
                        Process::Terminate,
                        Process::ReplaceUnhealthy,
                        Process::AzRebalance,
                        Process::HealthCheck,
                    ][usize::from(p)];
                    if s { g.suspend(process) } else { g.resume(process) }
                    Ok(())
                }
                Op::NewVersion => {
                    // A new template version becomes the default and the latest: the caller
                    // tells the group when its catalog changes.
                    version += 1;
                    g.sync_template(&Templates(version));
                    Ok(())
                }
                Op::PutWarmPool(v) => {
                    let pool = WarmPool {
                        min_size: u32::from(v & 3),
                        max_group_prepared_capacity: if v & 4 != 0 { Some(u32::from(v >> 4)) } else { None },
                        pool_state: [PoolState::Stopped, PoolState::Running, PoolState::Hibernated][usize::from((v >> 2) % 3)],
                        reuse_on_scale_in: v & 8 != 0,
                    };
                    g.put_warm_pool(pool)
                }
                Op::Refresh(v) => {
                    let prefs = RefreshPreferences {
                        min_healthy_percentage: [0, 50, 90, 100][usize::from(v & 3)],
                        max_healthy_percentage: if v & 4 != 0 { 150 } else { 100 },
                        skip_matching: v & 8 != 0,
                        desired_version: if v & 16 != 0 { Some(VersionSpec::Latest) } else { None },
                        instance_warmup: Some(Duration::from_secs(u64::from(v >> 5) * 10)),
                        ..RefreshPreferences::default()
                    };
                    g.start_instance_refresh(now, prefs).map(drop)
                }
                Op::CancelRefresh => g.cancel_instance_refresh(now),
                Op::DeleteWarmPool => {
                    g.delete_warm_pool(now);
                    Ok(())
                }
                Op::StopDone(i) => match pick(&mut world.stopping, i) {
                    Some(id) if world.set(id, InstanceState::Stopped) => {
                        g.observe(now, Event::Ec2State(id, InstanceState::Stopped))
                    }
                    _ => Ok(()),
                },
                Op::Snapshot => {
                    let n = g.snapshot(&mut buf).unwrap();
                    saved = Some(buf[..n].to_vec());
                    prop_assert_eq!(&Group::<N>::restore(&buf[..n]).unwrap(), &g);
                    Ok(())
                }
                Op::PowerLoss => {
                    if let Some(bytes) = saved.clone() {
                        // Decoded in place over the live group: what `restore` returns.
                        let expected = Group::<N>::restore(&bytes).unwrap();
                        g.restore_into(&bytes).unwrap();
                        prop_assert_eq!(&g, &expected);
                        g.reconcile(now, &world.list()).unwrap();
                        // It reads its catalog again: the template may have moved on.
                        g.sync_template(&Templates(version));
                        // A controller snapshots right after reconciling: the new baseline.
                        let n = g.snapshot(&mut buf).unwrap();
                        saved = Some(buf[..n].to_vec());
                        // Instances attached after the snapshot are not the group's any more:
                        // the caller would attach them again.
                        let attached = &world.attached_ids;
                        world.instances.retain(|id, _| g.member(*id).is_ok() || !attached.contains(id));
                        for (&id, &(state, _)) in &world.instances {
                            if state != InstanceState::Terminated {
                                prop_assert!(g.member(id).is_ok(), "{} forgotten after power loss", id);
                            }
                        }
                        // The restored group may have members the world already ended; those
                        // leave for good, and members that left before may come back only
                        // through restore, so the history of departures restarts here.
                        gone.retain(|id| g.member(*id).is_err());
                    }
                    Ok(())
                }
            };
            let restored = matches!(op_kind, OpKind::PowerLoss);
            // The reference model of the sizes (SEMANTICS §2.1 and §2.13).
            let (min0, des0, max0) = before_desired;
            let expected = match &op_desc {
                OpDesc::SetDesired(d) => {
                    let ok = min0 <= *d && *d <= max0;
                    prop_assert_eq!(result.is_ok(), ok, "SetDesired({}) with [{}, {}]", d, min0, max0);
                    Some(if ok { (min0, *d, max0) } else { before_desired })
                }
                OpDesc::UpdateSize(mn, mx) => {
                    let ok = mn <= mx;
                    prop_assert_eq!(result.is_ok(), ok);
                    Some(if ok { (*mn, des0.clamp(*mn, *mx), *mx) } else { before_desired })
                }
                OpDesc::Delta(delta) if result.is_ok() => {
                    Some((min0, des0.checked_add_signed(*delta).unwrap(), max0))
                }
                OpDesc::PowerLoss => None,
                _ => Some(before_desired),
            };
            if let Some(want) = expected {
                prop_assert_eq!((g.min_size(), g.desired(), g.max_size()), want, "sizes after {:?}", op_desc);
            }
            if result.is_err() && !restored {
                prop_assert_eq!(g.members(), before_members.as_slice(), "refused call changed members");
                prop_assert_eq!((g.min_size(), g.desired(), g.max_size()), before_desired);
            }
            // Members that left the group are gone for good.
            let now_ids: HashSet<_> = g.members().iter().map(fleetcore::group::Member::id).collect();
            for m in before_members.iter().filter(|_| !restored) {
                if !now_ids.contains(&m.id()) {
                    gone.insert(m.id());
                }
            }
            check(&g, &gone)?;
        }

        // Settle: resume everything, answer every request, let time pass.
        for p in [Process::Launch, Process::Terminate, Process::ReplaceUnhealthy, Process::AzRebalance, Process::HealthCheck] {
            g.resume(p);
        }
        for _ in 0..60 {
            let mut out: heapless::Vec<Action, 8> = heapless::Vec::new();
            g.tick(now, &mut out);
            world.take(&out)?;
            for id in std::mem::take(&mut world.launching) {
                if world.set(id, InstanceState::Running) {
                    let _ = g.observe(now, Event::Booted(id));
                }
            }
            for id in std::mem::take(&mut world.stopping) {
                if world.set(id, InstanceState::Stopped) {
                    let _ = g.observe(now, Event::Ec2State(id, InstanceState::Stopped));
                }
            }
            for id in std::mem::take(&mut world.terminating) {
                world.set(id, InstanceState::Terminated);
                let _ = g.observe(now, Event::Terminated(id));
                gone.insert(id);
            }
            for (id, hook) in world.hooks.drain(..) {
                let _ = g.observe(now, Event::HookCompleted(id, hook, HookResult::Continue));
            }
            // Stopped members are replaced; the world reports their replacements as booted.
            now += Duration::from_secs(30);
            check(&g, &gone)?;
        }
        for m in g.members() {
            prop_assert!(
                matches!(m.state(), MemberState::InService | MemberState::Standby)
                    || m.state().is_warm_ready(),
                "{} left in {}", m.id(), m.state()
            );
        }
        let protected = g.members().iter().filter(|m| m.is_protected()).count();
        if g.members().len() == N {
            // A full member table launches nothing more: Standby members (kept without
            // lowering desired) can fill the group's N slots below desired.
            prop_assert!(g.capacity() <= g.desired());
        } else if protected == 0 {
            prop_assert_eq!(g.capacity(), g.desired());
        } else {
            prop_assert!(g.capacity() >= g.desired());
        }
    }
}
