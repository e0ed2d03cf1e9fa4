//! Replays an operation script through the C ABI (`fc_group_*`, called from Rust) and prints
//! the actions one per line: the C side of the three-way differential test
//! (`python/tests/test_differential.py`, issue 19). The script format and the output are those
//! of `core/examples/replay.rs` (the Rust side), so the three logs compare line for line:
//!
//! ```text
//! group MIN MAX ZONES SEED BUFFER
//! tick T | desired T N | booted T K | terminated T K | failed T K | unhealthy T K | cpu T V
//! ```
//!
//! The group is the C ABI's (`Group<64, AllParts<32, 16>>`, template `lt-…1` at version 1)
//! with one per-member metric `CPU` (60 s) and target tracking at 50 %. Times are seconds in
//! the script and milliseconds at the C ABI. Each tick calls `fc_group_tick` with a buffer of
//! `BUFFER` actions and then `fc_group_drain` while the buffer fills. A refused call prints
//! `<t> error <code>` with the status's number.

use std::ffi::CString;
use std::io::{self, BufRead, Write};
use std::mem::MaybeUninit;

use fleetcore::id::InstanceId;
use fleetcore_ffi::{
    FC_STATUS_OK, fc_group, fc_group_action, fc_group_config, fc_group_config_default,
    fc_group_drain, fc_group_event, fc_group_init, fc_group_observe, fc_group_put_metric,
    fc_group_put_target_tracking, fc_group_record_in_service, fc_group_set_desired, fc_group_tick,
    fc_instance_id, fc_status, fc_target_tracking_policy,
};

/// The id the scripts name for "never launched" (as `replay.rs` and the Python side).
const NEVER: u64 = 0x0123_4567_89ab_cdef;

fn text(id: &fc_instance_id) -> String {
    let digits = id.digits.get(..usize::from(id.len)).unwrap_or(&[]);
    format!("i-{}", String::from_utf8_lossy(digits))
}

fn check(s: fc_status) -> Result<(), u32> {
    if s.code() == FC_STATUS_OK {
        Ok(())
    } else {
        Err(s.code())
    }
}

/// Initialises the group of a `group MIN MAX ZONES SEED BUFFER` line in `group`.
fn init(group: *mut fc_group, min: u32, max: u32, zone_count: u64, seed: u64) {
    let zones: Vec<String> = (0..zone_count).map(|z| format!("z{z}")).collect();
    let zones = CString::new(zones.join(",")).expect("zones");
    let template = CString::new(fleetcore::id::TemplateId::from_u64(1).to_string()).expect("id");
    let cpu = CString::new("CPU").expect("name");
    let mut config = MaybeUninit::<fc_group_config>::uninit();
    // SAFETY: a valid out-pointer; written on success, which is asserted.
    let mut config = unsafe {
        assert_eq!(
            fc_group_config_default(config.as_mut_ptr()).code(),
            FC_STATUS_OK
        );
        config.assume_init()
    };
    config.min_size = min;
    config.max_size = max;
    config.zones = zones.as_ptr();
    config.template_id = template.as_ptr();
    config.template_version = 1;
    config.seed = seed;
    // SAFETY: writable storage; the configuration's strings outlive the call.
    let status = unsafe { fc_group_init(group, &raw const config) };
    assert_eq!(status.code(), FC_STATUS_OK);
    let mut metric = 0u8;
    // SAFETY: a live group, a NUL-terminated name and a valid out-pointer.
    let status = unsafe { fc_group_put_metric(group, cpu.as_ptr(), 60_000, 1, &raw mut metric) };
    assert_eq!(status.code(), FC_STATUS_OK);
    let policy = fc_target_tracking_policy {
        metric,
        target_milli: 50_000,
        disable_scale_in: false,
        warmup_ms: -1,
        hpa: 0,
    };
    let mut index = 0u8;
    // SAFETY: a live group, a valid policy and out-pointer.
    let status = unsafe { fc_group_put_target_tracking(group, &raw const policy, &raw mut index) };
    assert_eq!(status.code(), FC_STATUS_OK);
}

/// `fc_group_tick` with room for `buffer` actions, then `fc_group_drain` while the room fills;
/// prints each action and records launched ids.
fn tick(
    group: *mut fc_group,
    secs: u64,
    buffer: usize,
    launched: &mut Vec<fc_instance_id>,
    out: &mut impl Write,
) {
    let mut chunk = vec![MaybeUninit::<fc_group_action>::uninit(); buffer];
    let mut written = 0usize;
    let now_ms = secs.saturating_mul(1000);
    // SAFETY: `chunk` has room for `buffer` actions.
    let status = unsafe {
        fc_group_tick(
            group,
            now_ms,
            chunk.as_mut_ptr().cast(),
            buffer,
            &raw mut written,
        )
    };
    assert_eq!(status.code(), FC_STATUS_OK);
    loop {
        for action in &chunk[..written] {
            // SAFETY: the first `written` were written.
            let action = unsafe { action.assume_init() };
            let kind = match action.kind {
                1 => {
                    launched.push(action.id);
                    "launch"
                }
                2 => "terminate",
                3 => "start",
                4 => "stop",
                5 => "notify_hook",
                _ => "other",
            };
            writeln!(out, "{secs} {kind} {}", text(&action.id)).expect("stdout");
        }
        if written < buffer {
            break;
        }
        // SAFETY: as above.
        let status =
            unsafe { fc_group_drain(group, chunk.as_mut_ptr().cast(), buffer, &raw mut written) };
        assert_eq!(status.code(), FC_STATUS_OK);
    }
}

/// A world event (`fc_group_event.kind`) about `id`.
fn observe(group: *mut fc_group, now_ms: u64, kind: u32, id: fc_instance_id) -> Result<(), u32> {
    let event = fc_group_event {
        kind,
        id,
        ec2_state: 0,
        health_source: 2, // custom, as the Rust and Python sides report
        hook: 0,
        hook_result: 0,
    };
    // SAFETY: a live group and a valid event.
    check(unsafe { fc_group_observe(group, now_ms, &raw const event) })
}

fn main() {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout());
    // Caller-owned storage for one group at a time (64 KiB, on the heap).
    let mut mem: Box<MaybeUninit<fc_group>> = Box::new_uninit();
    let group = mem.as_mut_ptr();
    let mut buffer = 1usize;
    let mut launched: Vec<fc_instance_id> = Vec::new();
    let never: fc_instance_id = InstanceId::from_u64(NEVER).into();
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let words: Vec<&str> = line.split_whitespace().collect();
        let num =
            |i: usize| -> u64 { words.get(i).and_then(|s| s.parse().ok()).expect("a number") };
        if words.first() == Some(&"group") {
            let min = u32::try_from(num(1)).expect("min");
            let max = u32::try_from(num(2)).expect("max");
            init(group, min, max, num(3), num(4));
            buffer = usize::try_from(num(5)).expect("buffer").clamp(1, 256);
            launched.clear();
            writeln!(out, "== group").expect("stdout");
            continue;
        }
        let secs = num(1);
        let now_ms = secs.saturating_mul(1000);
        let id = |k: u64| {
            launched
                .get(usize::try_from(k).unwrap_or(usize::MAX))
                .copied()
                .unwrap_or(never)
        };
        let result = match words[0] {
            "tick" => {
                tick(group, secs, buffer, &mut launched, &mut out);
                Ok(())
            }
            "desired" => {
                let desired = u32::try_from(num(2)).unwrap_or(u32::MAX);
                // SAFETY: a live group.
                check(unsafe { fc_group_set_desired(group, now_ms, desired, false) })
            }
            "booted" => observe(group, now_ms, 1, id(num(2))),
            "failed" => observe(group, now_ms, 2, id(num(2))),
            "terminated" => observe(group, now_ms, 3, id(num(2))),
            "unhealthy" => observe(group, now_ms, 5, id(num(2))),
            "cpu" => {
                let value = i64::try_from(num(2)).unwrap_or(0);
                let mut reporting = 0u32;
                // SAFETY: a live group and a valid out-pointer.
                check(unsafe {
                    fc_group_record_in_service(group, now_ms, 0, value, &raw mut reporting)
                })
            }
            other => panic!("unknown operation {other}"),
        };
        if let Err(code) = result {
            writeln!(out, "{secs} error {code}").expect("stdout");
        }
    }
}
