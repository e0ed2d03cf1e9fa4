//! How long a year of one-minute steps takes through the scenario runner, for a group of about
//! 100 members with target tracking and predictive scaling (issue 8's "well under a second").
//!
//! The load is the NYC taxi trace (NAB, shared/traces), passengers per half hour, played
//! stepwise and repeated to fill a year. Run with
//! `cargo run -p fleetcore --example sim_year --release`.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    dead_code
)]

#[path = "../tests/support/traces.rs"]
mod traces;

use std::time::Instant as Clock;

use fleetcore::group::{Group, GroupConfig, ScalingPolicy, Source};
use fleetcore::id::TemplateId;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::{Mode, PredictiveConfig};
use fleetcore::scaling::target::TargetTracking;
use fleetcore::sim::{Simulator, World};
use fleetcore::{Duration, Instant};

fn main() {
    let rows = traces::load("nyc_taxi.csv");
    let minute = Duration::from_secs(60);
    let config = GroupConfig::new(10, 128, TemplateId::from_u64(1), "a").expect("config");
    let mut group: Box<Group<128, fleetcore::group::AllParts<16, 4>>> =
        Box::new(Group::new(config, 1).expect("group"));
    let cpu = group
        .put_metric("CPU", minute, Source::Members)
        .expect("metric");
    let load = group
        .put_metric("Passengers", minute, Source::Group)
        .expect("metric");
    group
        .put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking {
                target: Value::from_int(60),
                disable_scale_in: false,
            },
            warmup: None,
            hpa: None,
        })
        .expect("policy");
    let mut p = PredictiveConfig::new(Value::from_int(180));
    p.mode = Mode::ForecastAndScale;
    group.put_predictive_policy(p, load).expect("predictive");
    let world = World {
        member_capacity: Value::from_int(300),
        boot_time: Duration::from_secs(120),
        slo_utilisation: Value::from_int(90),
        price_per_hour: Value::from_milli(96),
        utilisation_metric: Some(cpu),
        load_metric: Some(load),
    };
    let mut sim = Box::new(Simulator::new(*group, world));
    let steps: usize = std::env::var("SIM_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(365 * 24 * 60);
    let loads: Vec<i64> = (0..steps)
        .map(|k| {
            let row = (k / 30) % rows.len();
            (rows[row].1 * 1000.0).round() as i64
        })
        .collect();
    let mut actions = 0u64;
    let started = Clock::now();
    let mut max_capacity = 0;
    for (k, l) in loads.iter().enumerate() {
        let at = Instant::from_secs(k as u64 * 60);
        let s = sim
            .step(at, minute, Value::from_milli(*l), |_, _| actions += 1)
            .expect("step");
        max_capacity = max_capacity.max(s.capacity);
    }
    let took = started.elapsed();
    let t = sim.totals();
    println!(
        "{steps} one-minute steps in {:.3} s ({:.2} µs a step); peak {max_capacity} members, \
         {:.0} member-hours, {} actions, SLO breached {} min",
        took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / steps as f64,
        t.member_seconds as f64 / 3600.0,
        actions,
        t.slo_breach_seconds / 60
    );
}
