//! `examples/taxi.json` over the whole `nyc_taxi.csv` (309,571 one-minute steps) through the
//! scenario runner as `fleetcore.simulate` builds it (a group of 1024 members, 64 datapoints
//! of alarm history; the document's world and Spot interruption chances), without Python: for
//! profiling the step (`perf record`) and for checking that a change keeps every result
//! (issue 20 item 3).
//!
//! `cargo run -p fleetcore --example taxi_run --release -- [runs] [dump-file]`: prints the CPU
//! time of each run; with a dump file, writes every step's fields, the action log and the totals
//! of the last run there, to compare byte for byte (`cmp`) across a change.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/support/traces.rs"]
mod traces;

use std::fmt::Write as _;
use std::time::Instant as Clock;

use fleetcore::config::ControllerDoc;
use fleetcore::group::{AllParts, Group, MAX_SCHEDULED};
use fleetcore::scaling::Value;
use fleetcore::sim::{PoolRisk, Simulator, SpotRisk, World};
use fleetcore::{Duration, Instant};

type TaxiGroup = Group<1024, AllParts<64, MAX_SCHEDULED>>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args.get(1).map_or(3, |a| a.parse().expect("runs"));
    let dump = args.get(2);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read(root.join("examples/taxi.json")).expect("examples/taxi.json");
    let doc: ControllerDoc = fleetcore::config::from_slice(&text).expect("the taxi document");
    // The half-hourly rows, each held for 30 one-minute steps; the last one for one step.
    #[allow(clippy::cast_possible_truncation)] // Whole numbers of rides.
    let rows: Vec<(u64, i64)> = traces::load("nyc_taxi.csv")
        .into_iter()
        .map(|(secs, v)| (secs * 1000, (v * 1000.0).round() as i64))
        .collect();
    let (t0, end) = (rows[0].0, rows[rows.len() - 1].0);
    let minute = 60_000u64;
    let mut loads = Vec::new();
    let mut j = 0;
    for k in 0..=(end - t0) / minute {
        let at = t0 + k * minute;
        while j + 1 < rows.len() && rows[j + 1].0 <= at {
            j += 1;
        }
        loads.push(Value::from_milli(rows[j].1));
    }
    let s = doc.simulation.as_ref().expect("a simulation section");
    let g = &doc.groups[0];
    let metric = |name: &str| {
        g.metrics
            .iter()
            .position(|m| m.name.as_str() == name)
            .map(|i| u8::try_from(i).unwrap())
    };
    let world = World {
        member_capacity: s.member_capacity.expect("member_capacity"),
        boot_time: Duration::from_secs(u64::from(s.boot_time_s.expect("boot_time_s"))),
        slo_utilisation: s.slo_utilisation,
        price_per_hour: s.price_per_hour,
        utilisation_metric: s
            .utilisation_metric
            .as_ref()
            .and_then(|n| metric(n.as_str())),
        load_metric: s.load_metric.as_ref().and_then(|n| metric(n.as_str())),
    };
    let mut out = String::new();
    for run in 0..runs {
        let group: Box<TaxiGroup> = Box::new(
            doc.build_group(0, Instant::from_millis(t0), s.seed)
                .expect("the group"),
        );
        let prices = group.prices().expect("prices").clone();
        let mut risk = SpotRisk {
            seed: s.spot_seed,
            rebalance_lead: Duration::from_secs(u64::from(s.rebalance_lead_s)),
            pools: heapless::Vec::new(),
        };
        for p in &s.spot_interruptions {
            let zone = g.zones.iter().position(|z| z == &p.zone).unwrap();
            risk.pools
                .push(PoolRisk {
                    instance_type: prices.index(p.instance_type.as_str()).unwrap(),
                    zone: u8::try_from(zone).unwrap(),
                    // Python: round(chance × 1000).
                    monthly_permille: u32::try_from(p.chance.milli()).unwrap(),
                })
                .unwrap();
        }
        let mut sim = Box::new(Simulator::new(*group, world));
        sim.set_spot_risk(risk);
        let last = run + 1 == runs && dump.is_some();
        out.clear();
        let mut actions = String::new();
        let start = cpu_time();
        let clock = Clock::now();
        for (k, &load) in loads.iter().enumerate() {
            let at = Instant::from_millis(t0 + k as u64 * minute);
            let step = sim
                .step(at, Duration::from_millis(minute), load, |t, a| {
                    if last {
                        let _ = writeln!(actions, "{} {a}", t.total_millis() / 1000);
                    }
                })
                .expect("step");
            if last {
                let _ = writeln!(out, "{step:?}");
            }
        }
        let cpu = cpu_time() - start;
        println!(
            "run {run}: {:.3} s CPU, {:.3} s wall; cost {:?}, {} launches, {} s SLO breach",
            cpu,
            clock.elapsed().as_secs_f64(),
            sim.totals().cost,
            sim.totals().launches,
            sim.totals().slo_breach_seconds
        );
        if last {
            let _ = writeln!(out, "{:?}\n{actions}", sim.totals());
        }
    }
    if let Some(path) = dump {
        std::fs::write(path, &out).expect("dump");
    }
}

/// CPU seconds of this process (user + system), from `/proc/self/stat`.
fn cpu_time() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 (utime, stime), counted from the state (field 3) at index 0.
    (ticks(11) + ticks(12)) / 100.0
}
