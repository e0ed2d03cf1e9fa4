//! The scenario runner over a real trace: three weeks of NYC taxi demand (NAB, shared/traces)
//! through a group with target tracking on utilisation and predictive scaling on the load.
//!
//! Checked: desired stays in [min, max] at every step; the cost equals the billed
//! member-seconds at the price; the run is deterministic; predictive scaling, learning from
//! the first weeks, cuts the time the SLO is breached in the third. Figures are printed.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    dead_code,
    clippy::many_single_char_names
)]

#[path = "support/traces.rs"]
mod traces;

use fleetcore::group::{Group, GroupConfig, ScalingPolicy, Source};
use fleetcore::id::TemplateId;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::{Mode, PredictiveConfig};
use fleetcore::scaling::target::TargetTracking;
use fleetcore::sim::{Simulator, Totals, World};
use fleetcore::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);
const MIN: u32 = 2;
const MAX: u32 = 60;

/// Passengers per half hour, held for each minute of it; the load a member serves is 1000
/// passengers per half hour at 100 %.
fn scenario(predictive: bool, weeks: u64) -> (Totals, Vec<(u32, u32)>, u64) {
    let rows = traces::load("nyc_taxi.csv");
    let mut c = GroupConfig::new(MIN, MAX, TemplateId::from_u64(1), "a").unwrap();
    c.default_instance_warmup = Some(Duration::from_secs(180));
    let mut g: Group<64, fleetcore::group::AllParts<16, 4>> = Group::new(c, 42).unwrap();
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    let load = g.put_metric("Passengers", MINUTE, Source::Group).unwrap();
    g.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking {
            target: Value::from_int(60),
            disable_scale_in: false,
        },
        warmup: None,
        hpa: None,
    })
    .unwrap();
    if predictive {
        let mut p = PredictiveConfig::new(Value::from_int(600));
        p.mode = Mode::ForecastAndScale;
        g.put_predictive_policy(p, load).unwrap();
    }
    let world = World {
        member_capacity: Value::from_int(1000),
        boot_time: Duration::from_secs(180),
        slo_utilisation: Value::from_int(90),
        price_per_hour: Value::from_milli(96),
        utilisation_metric: Some(cpu),
        load_metric: Some(load),
    };
    let mut sim = Simulator::new(g, world);
    let start = rows[0].0;
    let end = start + weeks * 7 * 86_400;
    let mut steps = Vec::new();
    let mut breach_last_week = 0u64;
    let mut i = 0;
    let mut t = start;
    while t < end {
        while i + 1 < rows.len() && rows[i + 1].0 <= t {
            i += 1;
        }
        let s = sim
            .step(
                Instant::from_secs(t),
                MINUTE,
                Value::from_milli((rows[i].1 * 1000.0).round() as i64),
                |_, _| {},
            )
            .unwrap();
        if t >= end - 7 * 86_400 && s.slo_breach {
            breach_last_week += 60;
        }
        steps.push((s.desired, s.capacity));
        t += 60;
    }
    (*sim.totals(), steps, breach_last_week)
}

#[test]
fn taxi_demand_through_target_tracking_and_predictive_scaling() {
    let (tt, tt_steps, tt_breach) = scenario(false, 3);
    let (both, steps, breach) = scenario(true, 3);
    for (d, _) in tt_steps.iter().chain(&steps) {
        assert!(
            (MIN..=MAX).contains(d),
            "desired {d} outside [{MIN}, {MAX}]"
        );
    }
    for t in [&tt, &both] {
        // 0.096 an hour per member: cost = member-seconds × 96 / 3600 thousandths.
        let expected = i64::try_from(t.member_seconds * 96 / 3600).unwrap();
        assert!((t.cost.milli() - expected).abs() <= i64::try_from(t.steps).unwrap());
    }
    for (name, t, week3) in [
        ("target tracking", &tt, tt_breach),
        ("+ predictive", &both, breach),
    ] {
        println!(
            "{name:>16}: {} steps, {:.0} member-hours, cost {}, SLO breached {} min ({} min in \
             week 3), {} launches, {} terminations, {} changes of desired",
            t.steps,
            t.member_seconds as f64 / 3600.0,
            t.cost,
            t.slo_breach_seconds / 60,
            week3 / 60,
            t.launches,
            t.terminations,
            t.scaling_changes
        );
    }
    assert!(
        breach < tt_breach,
        "predictive scaling should cut week 3's SLO breaches ({breach} s vs {tt_breach} s)"
    );
    let (again, again_steps, _) = scenario(true, 3);
    assert_eq!((again, again_steps), (both, steps), "same inputs, same run");
}
