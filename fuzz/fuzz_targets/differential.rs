//! The differential test between two surfaces (issue 19, "Tests that keep it so"): one random
//! operation script played through the Rust API (`fleetcore::group::Group`) and through the C
//! ABI (`fleetcore-ffi`'s `extern "C"` functions, called from Rust in this process) must give
//! the same log: every action in order, and every refusal with its numeric code.
//!
//! Both groups are the C ABI's full group (`Group<64, AllParts<32, 16>>`) built from the same
//! configuration: sizes, zones, seed, grace period and cooldown from the input, template
//! `lt-…1` at version 1. The C side drains its actions with a buffer whose length the input
//! chooses per tick (1–64: small buffers leave actions owed for `fc_group_drain`), the Rust side
//! with another (`decide` then `drain`), so the log must not depend on either length (DESIGN.md
//! principle 8). Ids name launched members by index, and one index past the end names an id
//! never launched, so refusals of unknown ids are compared too. A `Snapshot` step compares the
//! two encodings byte for byte and restores each surface from its own bytes.
//!
//! The `make test` differential test (`python/tests/test_differential.py`) plays the same kind of
//! scripts through Rust, C and Python; this target runs it as a fuzz campaign.

#![no_main]

use core::mem::MaybeUninit;

use arbitrary::Arbitrary;
use fleetcore::group::{
    Action, AllParts, Event, Group, GroupConfig, Health, HealthSource, HookResult, HookTransition,
    LifecycleHook, Process, TemplateVersions,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::{Duration, Instant};
use fleetcore_ffi::{
    FC_GROUP_HISTORY, FC_GROUP_MAX_MEMBERS, FC_GROUP_MAX_SCHEDULED, FC_STATUS_OK, fc_group,
    fc_group_action, fc_group_attach, fc_group_config, fc_group_config_default, fc_group_detach,
    fc_group_drain, fc_group_enter_standby, fc_group_event, fc_group_exit_standby, fc_group_init,
    fc_group_observe, fc_group_put_lifecycle_hook, fc_group_restore, fc_group_resume_processes,
    fc_group_set_desired, fc_group_set_health, fc_group_set_protection, fc_group_snapshot,
    fc_group_suspend_processes, fc_group_tick, fc_group_update_size, fc_instance_id, fc_status,
};
use libfuzzer_sys::fuzz_target;

type RustGroup = Group<FC_GROUP_MAX_MEMBERS, AllParts<FC_GROUP_HISTORY, FC_GROUP_MAX_SCHEDULED>>;

/// An id no launch names (the differential test's `NEVER`).
const NEVER: u64 = 0x0123_4567_89ab_cdef;
/// Steps per input: long enough for hooks to time out and groups to refill.
const MAX_OPS: usize = 256;

#[derive(Debug, Arbitrary)]
struct Input {
    min: u8,
    span: u8,
    zones: u8,
    seed: u64,
    grace_s: u8,
    cooldown_s: u16,
    ops: Vec<Op>,
}

/// One step. `u8` member indices name the k-th launched id (`k % (launched + 1)`; the last is
/// an id never launched).
#[derive(Debug, Arbitrary)]
enum Op {
    /// `tick` through both surfaces; C drains with `c_buf`, Rust with `rust_buf` (each `% 64 + 1`).
    Tick {
        c_buf: u8,
        rust_buf: u8,
    },
    /// The clock moves forward by this many seconds (times 1, 60 or 3600 by the top bits).
    Advance(u16),
    /// The clock moves back by this many seconds (calls then see time going backwards).
    Back(u16),
    SetDesired(u8, bool),
    UpdateSize(Option<u8>, Option<u8>, Option<u8>),
    Booted(u8),
    Terminated(u8),
    LaunchFailed(u8),
    Unhealthy(u8),
    HookCompleted(u8, u8, bool),
    HookHeartbeat(u8, u8),
    EnterStandby(u8, bool),
    ExitStandby(u8),
    Protect(u8, bool),
    SetHealth(u8, bool, bool),
    Detach(u8, bool),
    /// Attaches an id made from the value (`InstanceId::from_u64`) into a zone index.
    Attach(u32, u8),
    PutHook {
        launching: bool,
        timeout_s: u16,
        abandon: bool,
    },
    Suspend(u16),
    Resume(u16),
    Snapshot,
}

/// Caller-owned C storage, on the heap and only used through raw pointers.
struct CStore(Box<MaybeUninit<fc_group>>);

impl CStore {
    fn ptr(&mut self) -> *mut fc_group {
        self.0.as_mut_ptr()
    }
}

/// One line of the log both surfaces must agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// An action: kind (the C numbering), id, zone, hook, version, transition.
    Act(u32, fc_instance_id, u8, u8, u32, u32),
    /// A call's outcome: 0 for success, else the error's code.
    Status(u32),
}

fn rust_line(a: &Action) -> Line {
    let act = |kind, id: InstanceId, zone, hook, version, transition| {
        Line::Act(kind, id.into(), zone, hook, version, transition)
    };
    match *a {
        Action::Launch {
            id, zone, version, ..
        } => act(1, id, zone, 0, version, 0),
        Action::Terminate { id } => act(2, id, 0, 0, 0, 0),
        Action::Start { id } => act(3, id, 0, 0, 0, 0),
        Action::Stop { id, .. } => act(4, id, 0, 0, 0, 0),
        Action::NotifyHook {
            id,
            hook,
            transition,
        } => {
            let t = match transition {
                HookTransition::Launching => 1,
                HookTransition::Terminating => 2,
            };
            act(5, id, 0, hook, 0, t)
        }
        _ => act(0, id_of(0), 0, 0, 0, 0),
    }
}

fn c_line(a: &fc_group_action) -> Line {
    Line::Act(a.kind, a.id, a.zone, a.hook, a.version, a.transition)
}

/// The `k`-th launched id, wrapping; one past the end is an id never launched.
fn pick(launched: &[InstanceId], k: u8) -> InstanceId {
    launched
        .get(usize::from(k) % (launched.len() + 1))
        .copied()
        .unwrap_or(id_of(NEVER))
}

fn id_of(v: u64) -> InstanceId {
    InstanceId::from_u64(v)
}

fn rust_status<E: fleetcore::Error>(r: Result<impl Sized, E>) -> Line {
    Line::Status(r.map_or_else(|e| e.code(), |_| 0))
}

fn c_status(s: fc_status) -> Line {
    Line::Status(s.code())
}

fn seconds(v: u16) -> u64 {
    let unit = match v >> 14 {
        0 | 1 => 1,
        2 => 60,
        _ => 3600,
    };
    u64::from(v & 0x3fff) * unit
}

fn event(kind: u32, id: InstanceId) -> fc_group_event {
    fc_group_event {
        kind,
        id: id.into(),
        ec2_state: 0,
        health_source: 2,
        hook: 0,
        hook_result: 0,
    }
}

fuzz_target!(|input: Input| {
    let zones: Vec<String> = (0..input.zones % 3 + 1).map(|z| format!("z{z}")).collect();
    let min = u32::from(input.min % 4);
    let max = min + u32::from(input.span % 8);
    let template = TemplateId::from_u64(1);
    let grace = Duration::from_secs(u64::from(input.grace_s));
    let cooldown = Duration::from_secs(u64::from(input.cooldown_s));

    // Rust.
    let Ok(mut config) = GroupConfig::new(min, max, template, &zones[0]) else {
        return;
    };
    for z in zones.iter().skip(1) {
        config.add_zone(z).unwrap();
    }
    config.health_check_grace_period = grace;
    config.default_cooldown = cooldown;
    let mut rust = Box::new(RustGroup::new(config, input.seed).unwrap());
    let versions = Some(TemplateVersions {
        default: 1,
        latest: 1,
    });
    rust.set_template_versions(versions);

    // C, the same configuration.
    let mut c = MaybeUninit::<fc_group_config>::uninit();
    // SAFETY: a valid out-pointer; written on success.
    let mut cc = unsafe {
        assert_eq!(fc_group_config_default(c.as_mut_ptr()).code(), FC_STATUS_OK);
        c.assume_init()
    };
    let zone_text = std::ffi::CString::new(zones.join(",")).unwrap();
    let template_text = std::ffi::CString::new(template.to_string()).unwrap();
    cc.min_size = min;
    cc.max_size = max;
    cc.zones = zone_text.as_ptr();
    cc.template_id = template_text.as_ptr();
    cc.template_version = 1;
    cc.seed = input.seed;
    cc.health_check_grace_period_ms = grace.total_millis();
    cc.default_cooldown_ms = i64::try_from(cooldown.total_millis()).unwrap();
    let mut store = CStore(Box::new_uninit());
    // SAFETY: writable storage and a valid configuration whose strings outlive the call.
    assert_eq!(
        unsafe { fc_group_init(store.ptr(), &raw const cc) }.code(),
        FC_STATUS_OK
    );
    let g = store.ptr();

    let mut now = 0u64; // seconds
    let mut launched: Vec<InstanceId> = Vec::new();
    let mut log_rust: Vec<Line> = Vec::new();
    let mut log_c: Vec<Line> = Vec::new();
    for op in input.ops.iter().take(MAX_OPS) {
        let t = Instant::from_secs(now);
        let ms = t.total_millis();
        let pick = |k: u8| pick(&launched, k);
        match *op {
            Op::Tick { c_buf, rust_buf } => {
                // Rust: decide, then drain in chunks.
                rust.decide(t);
                let mut chunk =
                    vec![Action::Terminate { id: id_of(NEVER) }; usize::from(rust_buf % 64) + 1];
                loop {
                    let n = rust.drain(&mut chunk);
                    for a in &chunk[..n] {
                        if let Action::Launch { id, .. } = *a {
                            launched.push(id);
                        }
                        log_rust.push(rust_line(a));
                    }
                    if n < chunk.len() {
                        break;
                    }
                }
                // C: tick, then drain while the buffer fills.
                let cap = usize::from(c_buf % 64) + 1;
                let mut out = vec![MaybeUninit::<fc_group_action>::uninit(); cap];
                let mut n = 0usize;
                // SAFETY: `out` has room for `cap` actions.
                let s = unsafe { fc_group_tick(g, ms, out.as_mut_ptr().cast(), cap, &raw mut n) };
                assert_eq!(s.code(), FC_STATUS_OK);
                loop {
                    for a in &out[..n] {
                        // SAFETY: the first `n` were written.
                        let a = unsafe { a.assume_init() };
                        log_c.push(c_line(&a));
                    }
                    if n < cap {
                        break;
                    }
                    // SAFETY: as above.
                    let s = unsafe { fc_group_drain(g, out.as_mut_ptr().cast(), cap, &raw mut n) };
                    assert_eq!(s.code(), FC_STATUS_OK);
                }
                // Nothing is left owed on either side.
                assert_eq!(rust.drain(&mut chunk), 0);
                // SAFETY: as above.
                let s = unsafe { fc_group_drain(g, out.as_mut_ptr().cast(), cap, &raw mut n) };
                assert_eq!((s.code(), n), (FC_STATUS_OK, 0));
            }
            Op::Advance(v) => now = now.saturating_add(seconds(v)),
            Op::Back(v) => now = now.saturating_sub(seconds(v)),
            Op::SetDesired(d, honor) => {
                let d = u32::from(d % 12);
                log_rust.push(rust_status(rust.set_desired(t, d, honor)));
                // SAFETY: a live group.
                log_c.push(c_status(unsafe { fc_group_set_desired(g, ms, d, honor) }));
            }
            Op::UpdateSize(lo, hi, d) => {
                let v = |x: Option<u8>| x.map(|x| u32::from(x % 12));
                let (lo, hi, d) = (v(lo), v(hi), v(d));
                log_rust.push(rust_status(rust.update_size(lo, hi, d)));
                let c = |x: Option<u32>| x.map_or(-1, i64::from);
                // SAFETY: a live group.
                log_c.push(c_status(unsafe {
                    fc_group_update_size(g, c(lo), c(hi), c(d))
                }));
            }
            Op::Booted(k) | Op::Terminated(k) | Op::LaunchFailed(k) | Op::Unhealthy(k) => {
                let id = pick(k);
                let (kind, e) = match *op {
                    Op::Booted(_) => (1, Event::Booted(id)),
                    Op::LaunchFailed(_) => (2, Event::LaunchFailed(id)),
                    Op::Terminated(_) => (3, Event::Terminated(id)),
                    _ => (5, Event::Unhealthy(id, HealthSource::Custom)),
                };
                log_rust.push(rust_status(rust.observe(t, e)));
                let ev = event(kind, id);
                // SAFETY: a live group and a valid event.
                log_c.push(c_status(unsafe { fc_group_observe(g, ms, &raw const ev) }));
            }
            Op::HookCompleted(k, hook, abandon) => {
                let id = pick(k);
                let hook = hook % 3;
                let result = if abandon {
                    HookResult::Abandon
                } else {
                    HookResult::Continue
                };
                log_rust.push(rust_status(
                    rust.observe(t, Event::HookCompleted(id, hook, result)),
                ));
                let mut ev = event(6, id);
                ev.hook = hook;
                ev.hook_result = if abandon { 2 } else { 1 };
                // SAFETY: as above.
                log_c.push(c_status(unsafe { fc_group_observe(g, ms, &raw const ev) }));
            }
            Op::HookHeartbeat(k, hook) => {
                let id = pick(k);
                let hook = hook % 3;
                log_rust.push(rust_status(rust.observe(t, Event::HookHeartbeat(id, hook))));
                let mut ev = event(7, id);
                ev.hook = hook;
                // SAFETY: as above.
                log_c.push(c_status(unsafe { fc_group_observe(g, ms, &raw const ev) }));
            }
            Op::EnterStandby(k, decrement) => {
                let id = pick(k);
                log_rust.push(rust_status(rust.enter_standby(t, &[id], decrement)));
                let ids: [fc_instance_id; 1] = [id.into()];
                // SAFETY: a live group and one id.
                log_c.push(c_status(unsafe {
                    fc_group_enter_standby(g, ms, ids.as_ptr(), 1, decrement)
                }));
            }
            Op::ExitStandby(k) => {
                let id = pick(k);
                log_rust.push(rust_status(rust.exit_standby(t, &[id])));
                let ids: [fc_instance_id; 1] = [id.into()];
                // SAFETY: as above.
                log_c.push(c_status(unsafe {
                    fc_group_exit_standby(g, ms, ids.as_ptr(), 1)
                }));
            }
            Op::Protect(k, on) => {
                let id = pick(k);
                log_rust.push(rust_status(rust.set_protection(&[id], on)));
                let ids: [fc_instance_id; 1] = [id.into()];
                // SAFETY: as above.
                log_c.push(c_status(unsafe {
                    fc_group_set_protection(g, ids.as_ptr(), 1, on)
                }));
            }
            Op::SetHealth(k, healthy, grace) => {
                let id = pick(k);
                let h = if healthy {
                    Health::Healthy
                } else {
                    Health::Unhealthy
                };
                log_rust.push(rust_status(rust.set_health(t, id, h, grace)));
                let cid: fc_instance_id = id.into();
                // SAFETY: a live group and a valid id.
                log_c.push(c_status(unsafe {
                    fc_group_set_health(g, ms, &raw const cid, healthy, grace)
                }));
            }
            Op::Detach(k, decrement) => {
                let id = pick(k);
                log_rust.push(rust_status(rust.detach(t, &[id], decrement)));
                let ids: [fc_instance_id; 1] = [id.into()];
                // SAFETY: as above.
                log_c.push(c_status(unsafe {
                    fc_group_detach(g, ms, ids.as_ptr(), 1, decrement)
                }));
            }
            Op::Attach(v, zone) => {
                let id = id_of(u64::from(v));
                let zone = zone % 4;
                log_rust.push(rust_status(rust.attach(t, &[(id, zone)])));
                let ids: [fc_instance_id; 1] = [id.into()];
                let zs = [zone];
                // SAFETY: a live group, one id and one zone.
                log_c.push(c_status(unsafe {
                    fc_group_attach(g, ms, ids.as_ptr(), zs.as_ptr(), 1)
                }));
            }
            Op::PutHook {
                launching,
                timeout_s,
                abandon,
            } => {
                let timeout = Duration::from_secs(u64::from(timeout_s % 400));
                let hook = LifecycleHook {
                    transition: if launching {
                        HookTransition::Launching
                    } else {
                        HookTransition::Terminating
                    },
                    heartbeat_timeout: timeout,
                    default_result: if abandon {
                        HookResult::Abandon
                    } else {
                        HookResult::Continue
                    },
                };
                let r = rust.put_lifecycle_hook(hook);
                let mut index = 0u8;
                // SAFETY: a live group and a valid out-pointer.
                let s = unsafe {
                    fc_group_put_lifecycle_hook(
                        g,
                        if launching { 1 } else { 2 },
                        timeout.total_millis(),
                        if abandon { 2 } else { 1 },
                        &raw mut index,
                    )
                };
                if let (Ok(i), FC_STATUS_OK) = (&r, s.code()) {
                    assert_eq!(*i, index, "the hook's index");
                }
                log_rust.push(rust_status(r));
                log_c.push(c_status(s));
            }
            Op::Suspend(mask) | Op::Resume(mask) => {
                let suspend = matches!(op, Op::Suspend(_));
                let mask = u32::from(mask) & 0xff;
                for &p in Process::ALL {
                    if mask & u32::from(p.bit()) == 0 {
                        continue;
                    }
                    if suspend {
                        rust.suspend(p);
                    } else {
                        rust.resume(p);
                    }
                }
                // SAFETY: a live group.
                let s = unsafe {
                    if suspend {
                        fc_group_suspend_processes(g, mask)
                    } else {
                        fc_group_resume_processes(g, mask)
                    }
                };
                log_c.push(c_status(s));
                log_rust.push(Line::Status(0));
            }
            Op::Snapshot => {
                let mut a = vec![0u8; rust.snapshot_len().unwrap()];
                let n = rust.snapshot(&mut a).unwrap();
                let mut b = vec![0u8; 65536];
                let mut m = 0usize;
                // SAFETY: a live group and a buffer of `b.len()` bytes.
                let s = unsafe { fc_group_snapshot(g, b.as_mut_ptr(), b.len(), &raw mut m) };
                assert_eq!(s.code(), FC_STATUS_OK);
                assert_eq!(a[..n], b[..m], "the two surfaces encode the same state");
                *rust = RustGroup::restore(&a[..n]).unwrap();
                rust.set_template_versions(versions);
                // SAFETY: a live group and `m` valid bytes.
                let s = unsafe { fc_group_restore(g, b.as_ptr(), m, 1) };
                assert_eq!(s.code(), FC_STATUS_OK);
            }
        }
        assert_eq!(log_rust, log_c, "after {op:?}");
    }
});
