//! Replays an operation script through the Rust API and prints the actions, one per line
//! (`<t> <kind> <id>`): the Rust side of the three-way differential test
//! (`python/tests/test_differential.py`, issue 19). The C ABI side is
//! `ffi/examples/replay_c.rs` (the same scripts through `fc_group_*`); the cargo-fuzz target
//! `differential` compares Rust and C on longer, richer scripts.
//!
//! The group is the one Python's `fleetcore.Group(min, max, zones=..., seed=...)` builds
//! (`Group<1024, AllParts<64, MAX_SCHEDULED>>`, template `lt-…1`, defaults otherwise) with one
//! per-member metric `CPU` and target tracking at 50 %. Input, one operation a line:
//!
//! ```text
//! group MIN MAX ZONES SEED BUFFER
//! tick T | desired T N | booted T K | terminated T K | failed T K | unhealthy T K | cpu T V
//! ```
//!
//! `K` is the index of a launched id (in launch order; one past the end names an id never
//! launched), `V` a value in thousandths, `BUFFER` the action buffer's length (1–256): each
//! tick decides once and drains its actions in chunks of that length. A refused call prints
//! `<t> error <code>`. Several scripts may follow one another; each `group` line starts a new
//! group and prints `== group`.

use std::io::{self, BufRead, Write};

use fleetcore::error::Error as _;
use fleetcore::group::{
    Action, AllParts, Event, Group, GroupConfig, MAX_SCHEDULED, ScalingPolicy, Source,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::scaling::Value;
use fleetcore::scaling::target::TargetTracking;
use fleetcore::time::{Duration, Instant};

type Py = Group<1024, AllParts<64, MAX_SCHEDULED>>;

fn main() {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout());
    let mut group: Option<Box<Py>> = None;
    let mut buffer = 1usize;
    let mut launched: Vec<InstanceId> = Vec::new();
    let never = InstanceId::from_u64(0x0123_4567_89ab_cdef);
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let w: Vec<&str> = line.split_whitespace().collect();
        let num = |i: usize| -> u64 { w.get(i).and_then(|s| s.parse().ok()).expect("a number") };
        if w.first() == Some(&"group") {
            let zones: Vec<String> = (0..num(3)).map(|z| format!("z{z}")).collect();
            let mut c = GroupConfig::new(
                u32::try_from(num(1)).expect("min"),
                u32::try_from(num(2)).expect("max"),
                TemplateId::from_u64(1),
                &zones[0],
            )
            .expect("config");
            for z in zones.iter().skip(1) {
                c.add_zone(z).expect("zone");
            }
            let mut g = Box::new(Py::new(c, num(4)).expect("group"));
            let cpu = g
                .put_metric("CPU", Duration::from_secs(60), Source::Members)
                .expect("metric");
            g.put_scaling_policy(ScalingPolicy::TargetTracking {
                metric: cpu,
                tracking: TargetTracking {
                    target: Value::from_int(50),
                    disable_scale_in: false,
                },
                warmup: None,
                hpa: None,
            })
            .expect("policy");
            group = Some(g);
            buffer = usize::try_from(num(5)).expect("buffer").clamp(1, 256);
            launched.clear();
            // Scripts follow one another in one run; each log starts here.
            writeln!(out, "== group").expect("stdout");
            continue;
        }
        let g = group.as_mut().expect("a group line first");
        let t = Instant::from_secs(num(1));
        let id = |k: u64| {
            launched
                .get(usize::try_from(k).unwrap_or(usize::MAX))
                .copied()
                .unwrap_or(never)
        };
        let result = match w[0] {
            "tick" => {
                g.decide(t);
                let mut chunk = vec![Action::Terminate { id: never }; buffer];
                loop {
                    let n = g.drain(&mut chunk);
                    for a in &chunk[..n] {
                        let (kind, id) = match *a {
                            Action::Launch { id, .. } => {
                                launched.push(id);
                                ("launch", id)
                            }
                            Action::Terminate { id } => ("terminate", id),
                            Action::Start { id } => ("start", id),
                            Action::Stop { id, .. } => ("stop", id),
                            Action::NotifyHook { id, .. } => ("notify_hook", id),
                            _ => ("other", never),
                        };
                        writeln!(out, "{} {kind} {id}", num(1)).expect("stdout");
                    }
                    if n < buffer {
                        break;
                    }
                }
                Ok(())
            }
            "desired" => g.set_desired(t, u32::try_from(num(2)).unwrap_or(u32::MAX), false),
            "booted" => g.observe(t, Event::Booted(id(num(2)))),
            "terminated" => g.observe(t, Event::Terminated(id(num(2)))),
            "failed" => g.observe(t, Event::LaunchFailed(id(num(2)))),
            "unhealthy" => g.observe(
                t,
                Event::Unhealthy(id(num(2)), fleetcore::group::HealthSource::Custom),
            ),
            "cpu" => g
                .record_in_service(t, 0, Value::from_milli(i64::try_from(num(2)).unwrap_or(0)))
                .map(|_| ()),
            other => panic!("unknown operation {other}"),
        };
        if let Err(e) = result {
            writeln!(out, "{} error {}", num(1), e.code()).expect("stdout");
        }
    }
}
