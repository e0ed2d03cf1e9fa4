//! The golden scenario shared with the Python surface: a small fixed run of the scenario
//! runner whose action log is committed in `python/tests/golden/sim_scenario.txt`.
//! `python/tests/test_simulate.py` builds the same scenario through `fleetcore.simulate` and
//! checks its log against the same file, so both surfaces are pinned to the same bytes.
//!
//! `FLEETCORE_BLESS=1 cargo test -p fleetcore --test sim_golden` rewrites the file.

#[path = "support/golden_file.rs"]
mod golden_file;

use std::fmt::Write as _;

use fleetcore::group::{Action, Group, GroupConfig, ScalingPolicy, Source};
use fleetcore::id::TemplateId;
use fleetcore::scaling::target::TargetTracking;
use fleetcore::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, Comparison, StepAdjustment, Value,
};
use fleetcore::sim::{Simulator, World};
use fleetcore::{Duration, Instant};

/// The scenario's start (2014-05-13 22:13:20 UTC), so times are not near the epoch.
const T0: u64 = 1_400_019_200;
/// One trace point every five minutes, 36 of them; the run has one-minute steps.
const POINTS: u64 = 36;

/// Load of trace point `j`, in thousandths: quiet, busy, a spike, quiet again.
fn trace_load(j: u64) -> i64 {
    match j {
        4..12 => 400_000,
        12..16 => 900_000,
        _ => 40_250,
    }
}

fn kind(a: &Action) -> (&'static str, String) {
    match a {
        Action::Launch { id, .. } => ("launch", id.to_string()),
        Action::Terminate { id } => ("terminate", id.to_string()),
        Action::Start { id } => ("start", id.to_string()),
        Action::Stop {
            id,
            hibernate: false,
        } => ("stop", id.to_string()),
        Action::Stop {
            id,
            hibernate: true,
        } => ("hibernate", id.to_string()),
        Action::NotifyHook { id, .. } => ("notify_hook", id.to_string()),
        _ => ("other", String::new()),
    }
}

fn scenario_log() -> String {
    let mut c = GroupConfig::new(1, 12, TemplateId::from_u64(1), "a").unwrap();
    c.add_zone("b").unwrap();
    c.default_instance_warmup = Some(Duration::from_secs(60));
    let mut g = Group::<1024, fleetcore::group::AllParts<64, 125>>::new(c, 42).unwrap();
    let cpu = g
        .put_metric("CPU", Duration::from_secs(60), Source::Members)
        .unwrap();
    let load = g
        .put_metric("Load", Duration::from_secs(60), Source::Group)
        .unwrap();
    g.put_scaling_policy(ScalingPolicy::TargetTracking {
        metric: cpu,
        tracking: TargetTracking {
            target: Value::from_int(50),
            disable_scale_in: false,
        },
        warmup: Some(Duration::from_secs(60)),
        hpa: None,
    })
    .unwrap();
    let mut steps = heapless::Vec::new();
    for (lower, upper, adjustment) in [(Some(0), Some(200_000), 1), (Some(200_000), None, 2)] {
        steps
            .push(StepAdjustment {
                lower: lower.map(Value::from_milli),
                upper: upper.map(Value::from_milli),
                adjustment,
            })
            .unwrap();
    }
    let step = g
        .put_scaling_policy(ScalingPolicy::Step {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            steps,
            min_adjustment_magnitude: None,
            warmup: Some(Duration::from_secs(60)),
            aggregation: Aggregation::Average,
        })
        .unwrap();
    let mut alarm = AlarmConfig::new(Comparison::GreaterThan, Value::from_int(600), 2);
    alarm.datapoints_to_alarm = Some(2);
    g.put_alarm(Instant::ZERO, load, alarm, step).unwrap();
    let world = World {
        member_capacity: Value::from_int(100),
        boot_time: Duration::from_secs(120),
        slo_utilisation: Value::from_int(90),
        price_per_hour: Value::from_int(6),
        utilisation_metric: Some(cpu),
        load_metric: Some(load),
    };
    let mut sim = Simulator::new(g, world);
    let mut log = String::new();
    let minute = Duration::from_secs(60);
    for k in 0..=(POINTS - 1) * 5 {
        let at = Instant::from_secs(T0 + k * 60);
        let load = Value::from_milli(trace_load(k / 5));
        sim.step(at, minute, load, |t, a| {
            let (kind, id) = kind(a);
            writeln!(log, "{} {kind} {id}", t.total_millis() / 1000).unwrap();
        })
        .unwrap();
    }
    log
}

#[test]
fn golden_action_log_matches_the_committed_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../python/tests/golden/sim_scenario.txt"
    );
    println!(
        "size_of Group<1024, fleetcore::group::AllParts<64, 125>> = {} bytes, Simulator = {} bytes",
        size_of::<Group<1024, fleetcore::group::AllParts<64, 125>>>(),
        size_of::<Simulator<1024, fleetcore::group::AllParts<64, 125>>>()
    );
    // A group of 1024 members is large; unoptimised builds keep several copies on the stack.
    let log = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(scenario_log)
        .unwrap()
        .join()
        .unwrap();
    assert!(log.lines().count() > 4, "the scenario should scale: {log}");
    assert!(
        log.contains(" terminate "),
        "the scenario should scale in: {log}"
    );
    golden_file::check(
        std::path::Path::new(path),
        &log,
        "cargo test -p fleetcore --test sim_golden",
    );
}
