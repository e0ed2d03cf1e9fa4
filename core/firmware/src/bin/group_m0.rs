//! An Auto Scaling group on a Cortex-M0 (the BBC micro:bit v1's nRF51822 in QEMU: 256K of
//! flash, 16K of RAM): a group of up to 8 members with one target-tracking policy on a
//! per-member CPU metric, driven through a day of one-minute ticks whose load is a real trace,
//! checking the group at every step.
//!
//! The load: the first 1440 rows of `cpu_utilization_asg_misconfiguration.csv` (NAB: the average
//! CPU across a real Auto Scaling group, a row every 5 minutes), compiled in by build.rs and
//! played one row a minute (five days of the trace pressed into one day of ticks). Each row is
//! the demand of [`REFERENCE_MEMBERS`] members at that CPU; the demand is shared evenly by the
//! members in service, so each reports `min(100, row × REFERENCE_MEMBERS / in service)` percent.
//! The policy tracks 50 %.
//!
//! The world at the end of each minute (as in the golden scenarios): members launched at the
//! previous minute report booted, members terminated at the previous minute report terminated,
//! the in-service members record the minute's CPU (stamped 30 s before, inside the period that
//! has just closed), then the group decides once and its actions are drained [`ACTIONS`] at a time.
//!
//! Checked, each check counted: desired capacity always within [min, max]; capacity never above
//! max; every launch id new; every terminated id launched and still in the group; the group's
//! members are exactly the instances the world runs; nothing is owed or due at the minute once
//! the actions are drained; the group scaled out and in
//! at least once over the day; at the end, after the last reports, capacity, members in service
//! and desired capacity agree and every member is in service.
//!
//! Prints one line, `group_m0 on <board>: flash N B, static RAM N B, stack high-water N B, checks
//! passed N, failed N` (flash and static RAM from cortex-m-rt's linker symbols), after a `FAIL`
//! line for each failed check (the first few). Exit status 0 when every check held, 1 when one
//! failed (or the trace is missing), 101 on a panic.

#![no_std]
#![no_main]

use core::hash::{Hash, Hasher};
use core::mem::MaybeUninit;

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
use fleetcore::group::GroupError;
use fleetcore::group::{
    Action, Event, Group, GroupConfig, Lean, MemberState, ScalingPolicy, Source,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::scaling::Value;
use fleetcore::scaling::target::TargetTracking;
use fleetcore::{Duration, Instant};
use fleetcore_firmware::{say, stack};
use semihosting::process;

/// The group: at most 8 members; its last 8 activities, no scheduled actions, one policy, one
/// metric, no alarms, and none of the parts `Lean` leaves out (lifecycle hooks, HPA, predictive
/// scaling, price ledger, Capacity Rebalancing). The one place its type is named.
type M0Group = Group<8, Lean<8, 0, 1, 1, 0>>;

include!(concat!(env!("OUT_DIR"), "/asg_cpu.rs"));

/// One-minute ticks: a day.
const MINUTES: usize = 1440;
/// `MinSize`.
const MIN: u32 = 1;
/// `MaxSize`: the group's capacity.
const MAX: u32 = 8;
/// The trace's CPU is that of a group of this many members: the demand, in members at 100 %.
const REFERENCE_MEMBERS: i64 = 4;
/// The target-tracking policy's target CPU, percent.
const TARGET_CPU: i64 = 50;
/// Room for actions in one call of `drain`; the rest come out of the next call.
const ACTIONS: usize = 4;
/// Launches remembered (as fingerprints) to check that each id is new: the day launches 8;
/// more than this many is a failed check.
const LAUNCH_LOG: usize = 32;
/// `FAIL` lines printed; later failures are only counted.
const FAIL_LINES: u32 = 8;

/// The group's storage, in `.bss`: `Group::init` builds the group in it, so no group is ever
/// on the stack.
static mut GROUP: MaybeUninit<M0Group> = MaybeUninit::uninit();

/// Counts checks, printing the first failures.
struct Checks {
    passed: u32,
    failed: u32,
    /// The most stack one call of `decide`, `drain` and `observe` took (bytes below the
    /// caller's frame, `stack::measure`).
    decide_stack: usize,
    drain_stack: usize,
    observe_stack: usize,
}

impl Checks {
    fn check(&mut self, ok: bool, minute: usize, what: &str) {
        if ok {
            self.passed = self.passed.saturating_add(1);
        } else {
            if self.failed < FAIL_LINES {
                say!("FAIL group_m0 at minute {minute}: {what}");
            }
            self.failed = self.failed.saturating_add(1);
        }
    }
}

/// 32-bit FNV-1a, for launch fingerprints.
struct Fnv(u32);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
}

/// A launch id's fingerprint. The same id always has the same one, so a repeated id is always
/// caught; two different ids that collide would fail the check spuriously, never pass it.
fn fingerprint(id: InstanceId) -> u32 {
    let mut h = Fnv(0x811c_9dc5);
    id.hash(&mut h);
    h.0
}

/// What the world reports of a running instance at the next minute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Nothing: it is in service.
    Nothing,
    /// Launched at this minute: booted.
    Booted,
    /// Terminated at this minute: terminated.
    Terminated,
}

/// The world's side: the instances it runs and what it reports at the next minute.
struct World {
    /// Instances launched and not yet reported terminated (the group's members), each with
    /// its report due. At most 8: the group holds its terminating members too.
    live: heapless::Vec<(InstanceId, Next), 8>,
    /// Fingerprints of every id launched today.
    launched: heapless::Vec<u32, LAUNCH_LOG>,
}

impl World {
    /// Reports the previous minute's boots, then its terminations.
    fn report(&mut self, g: &mut M0Group, now: Instant, minute: usize, c: &mut Checks) {
        for (id, next) in &mut self.live {
            if *next == Next::Booted {
                let (r, used) = stack::measure(|| g.observe(now, Event::Booted(*id)));
                c.observe_stack = c.observe_stack.max(used);
                c.check(r.is_ok(), minute, "booted refused");
                *next = Next::Nothing;
            }
        }
        for &(id, next) in &self.live {
            if next == Next::Terminated {
                let (r, used) = stack::measure(|| g.observe(now, Event::Terminated(id)));
                c.observe_stack = c.observe_stack.max(used);
                let ok = r.is_ok();
                c.check(ok, minute, "terminated refused");
            }
        }
        self.live.retain(|&(_, next)| next != Next::Terminated);
    }

    /// Whether a boot or a termination is still to be reported.
    fn in_flight(&self) -> bool {
        self.live.iter().any(|&(_, next)| next != Next::Nothing)
    }

    /// Decides once, then takes the actions out [`ACTIONS`] at a time, checking each; after
    /// that nothing is owed and nothing is due at `now`.
    fn settle(&mut self, g: &mut M0Group, now: Instant, minute: usize, c: &mut Checks) {
        let ((), used) = stack::measure(|| g.decide(now));
        c.decide_stack = c.decide_stack.max(used);
        let mut out = [Action::Start { id: InstanceId::from_u64(0) }; ACTIONS];
        loop {
            let (n, used) = stack::measure(|| g.drain(&mut out));
            c.drain_stack = c.drain_stack.max(used);
            for a in out.iter().take(n) {
                match *a {
                    Action::Launch { id, .. } => self.launch(id, minute, c),
                    Action::Terminate { id } => self.terminate(g, id, minute, c),
                    _ => c.check(false, minute, "an action other than launch or terminate"),
                }
            }
            if n < ACTIONS {
                break;
            }
        }
        c.check(g.pending_actions() == 0, minute, "actions left after draining");
        c.check(g.next_deadline().is_none_or(|t| t > now), minute, "work left due at now");
    }

    fn launch(&mut self, id: InstanceId, minute: usize, c: &mut Checks) {
        let f = fingerprint(id);
        c.check(!self.launched.contains(&f), minute, "launch id not new");
        c.check(self.launched.push(f).is_ok(), minute, "launch log full");
        let pushed = self.live.push((id, Next::Booted)).is_ok();
        c.check(pushed, minute, "more than 8 instances running");
    }

    fn terminate(&mut self, g: &M0Group, id: InstanceId, minute: usize, c: &mut Checks) {
        c.check(self.launched.contains(&fingerprint(id)), minute, "terminate id never launched");
        c.check(g.member(id).is_ok(), minute, "terminate id not in the group");
        match self.live.iter_mut().find(|(x, _)| *x == id) {
            Some((_, next)) => {
                c.check(*next != Next::Terminated, minute, "terminated twice");
                *next = Next::Terminated;
            }
            None => c.check(false, minute, "terminate id not running"),
        }
    }

    /// The group's members are exactly the instances running.
    fn matches(&self, g: &M0Group) -> bool {
        g.members().len() == self.live.len()
            && self.live.iter().all(|&(id, _)| g.member(id).is_ok())
    }
}

/// Per-member CPU, in thousandths of a percent, for a trace row (tenths of a percent of the
/// reference group) shared by `in_service` members, at most 100 %.
fn member_cpu(tenths: u16, in_service: u32) -> Value {
    let demand = i64::from(tenths) * 100 * REFERENCE_MEMBERS;
    Value::from_milli((demand / i64::from(in_service.max(1))).min(100_000))
}

/// The second at which minute `minute` (from 0) of the day ends, when the world reports and
/// ticks.
fn end_of(minute: usize) -> u64 {
    let minutes = u64::try_from(minute).unwrap_or(u64::MAX).saturating_add(1);
    minutes.saturating_mul(60)
}

/// The in-service members' CPU sample. Never inlined, like [`setup`].
#[inline(never)]
fn record(g: &mut M0Group, at: Instant, cpu: u8, value: Value) -> Result<u32, GroupError> {
    g.record_in_service(at, cpu, value)
}

/// Sets the group up in its storage. Never inlined (nor [`record`]): LLVM gives a function one
/// frame for all it inlines, so `GroupConfig` (some 400 B) and the metric's datapoint work
/// would otherwise stay in `run`'s frame under every `tick` of the day.
#[inline(never)]
fn setup(slot: &'static mut MaybeUninit<M0Group>) -> Option<(&'static mut M0Group, u8)> {
    let config = GroupConfig::new(MIN, MAX, TemplateId::from_u64(1), "zone-a").ok()?;
    let g = M0Group::init(slot, config, 0x4d30).ok()?;
    let cpu = g.put_metric("CPUUtilization", Duration::from_secs(60), Source::Members).ok()?;
    g.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking { target: Value::from_int(TARGET_CPU), disable_scale_in: false },
        warmup: Some(Duration::from_secs(60)),
        hpa: None,
    })
    .ok()?;
    Some((g, cpu))
}

fn run(c: &mut Checks) {
    if ASG_CPU_TENTHS.len() != MINUTES {
        c.check(false, 0, "the trace is missing: build.rs warned (FLEETCORE_TRACES)");
        return;
    }
    let storage: *mut MaybeUninit<M0Group> = &raw mut GROUP;
    // SAFETY: `run` is called once, from `main`, and nothing else (no interrupt handler) names
    // GROUP, so this is the one reference to it for the rest of the program. The pointer is
    // that of a static: non-null, aligned, and `MaybeUninit` needs no initialised contents.
    let slot = unsafe { &mut *storage };
    let Some((g, cpu)) = setup(slot) else {
        c.check(false, 0, "group set-up refused");
        return;
    };
    let mut world = World { live: heapless::Vec::new(), launched: heapless::Vec::new() };
    let (mut outs, mut ins, mut last) = (0u32, 0u32, g.desired());
    for (minute, &tenths) in ASG_CPU_TENTHS.iter().enumerate() {
        let secs = end_of(minute);
        let now = Instant::from_secs(secs);
        world.report(g, now, minute, c);
        let n = g.in_service();
        if n > 0 {
            // The minute's CPU, stamped at its middle: in the period that has just closed.
            let at = Instant::from_secs(secs - 30);
            let r = record(g, at, cpu, member_cpu(tenths, n));
            c.check(r == Ok(n), minute, "CPU samples refused");
        }
        world.settle(g, now, minute, c);
        let d = g.desired();
        c.check((MIN..=MAX).contains(&d), minute, "desired capacity outside [min, max]");
        c.check(g.capacity() <= MAX, minute, "capacity above max");
        c.check(world.matches(g), minute, "members differ from the instances running");
        if d > last {
            outs += 1;
        } else if d < last {
            ins += 1;
        }
        last = d;
    }
    // The bound for the core's calls on a Cortex-M0.
    c.check(c.decide_stack <= 2048, MINUTES, "decide took more than 2 KiB of stack");
    c.check(c.drain_stack <= 2048, MINUTES, "drain took more than 2 KiB of stack");
    c.check(c.observe_stack <= 2048, MINUTES, "observe took more than 2 KiB of stack");
    c.check(outs > 0, MINUTES, "never scaled out");
    c.check(ins > 0, MINUTES, "never scaled in");
    // The last reports, without new load, until nothing is in flight.
    for extra in 0..3 {
        let minute = MINUTES + extra;
        let now = Instant::from_secs(end_of(minute));
        world.report(g, now, minute, c);
        world.settle(g, now, minute, c);
        if !world.in_flight() {
            break;
        }
    }
    let d = g.desired();
    c.check(!world.in_flight(), MINUTES, "a boot or termination still unreported");
    c.check(g.capacity() == d, MINUTES, "final capacity differs from desired");
    c.check(g.in_service() == d, MINUTES, "final members in service differ from desired");
    c.check(world.matches(g), MINUTES, "final members differ from the instances running");
    c.check(
        g.members().iter().all(|m| m.state() == MemberState::InService),
        MINUTES,
        "a final member not in service",
    );
}

/// Flash (vector table, code, read-only data and `.data`'s initial values) and static RAM
/// (`.data`, `.bss`, `.uninit`) from cortex-m-rt's linker symbols, as `arm-none-eabi-size`
/// counts text + data and data + bss.
fn image_sizes() -> (usize, usize) {
    unsafe extern "C" {
        // Linker-script symbols from cortex-m-rt's link.x: only their addresses are meaningful.
        static __vector_table: u32;
        static __sidata: u32;
        static __sdata: u32;
        static __edata: u32;
        static _stack_end: u32;
    }
    let flash_start = &raw const __vector_table as usize;
    // `.data`'s initial values follow the read-only sections in flash.
    let data_image = &raw const __sidata as usize;
    // `.data` is the first section in RAM, then `.bss` and `.uninit`; the stack's end follows.
    let ram_start = &raw const __sdata as usize;
    let data_end = &raw const __edata as usize;
    let statics_end = &raw const _stack_end as usize;
    let data = data_end.saturating_sub(ram_start);
    (
        data_image.saturating_sub(flash_start).saturating_add(data),
        statics_end.saturating_sub(ram_start),
    )
}

#[entry]
fn main() -> ! {
    let mut c = Checks { passed: 0, failed: 0, decide_stack: 0, drain_stack: 0, observe_stack: 0 };
    run(&mut c);
    let s = stack::high_water();
    say!(
        "info: most stack in one call: decide {} B, drain {} B, observe {} B",
        c.decide_stack,
        c.drain_stack,
        c.observe_stack
    );
    let (flash, ram) = image_sizes();
    say!(
        "group_m0 on {}: flash {flash} B, static RAM {ram} B, stack high-water {} B, checks \
         passed {}, failed {}",
        env!("FLEETCORE_BOARD"),
        s.used,
        c.passed,
        c.failed
    );
    process::exit(i32::from(c.failed != 0))
}

fleetcore_firmware::panic_handlers!();
