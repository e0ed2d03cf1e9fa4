//! The golden group run, on the Rust side: a fixed scenario played through the core API
//! directly, whose action log must equal `tests/golden/group_run.txt` byte for byte. The C test
//! (`tests/c/test_group.c`) plays the same scenario through the C ABI and
//! `scripts/c-tests.sh` compares its log with the same file, so Rust and C agree action for
//! action. `FLEETCORE_BLESS=1` rewrites the file.
//!
//! The scenario (keep it in step with `golden_run` in `tests/c/test_group.c`): a group of min
//! 1, max 6 in zones `a,b`, a per-member `cpu` metric (60 s), a step policy scaling out by 1
//! (+2 from 20 points above the threshold) on `cpu > 70` for 2 periods, a step policy scaling
//! in by 1 on `cpu < 30` for 3 periods, and a scheduled action at 20 minutes setting min 2 and
//! desired 4. Load is 150 % of one member for 12 minutes, 50 % until minute 24, then 20 %,
//! spread evenly over the members in service and reported in the middle of each minute.
//! Launches boot one minute later; terminations complete at once.

use std::fmt::Write as _;
use std::path::Path;

use fleetcore::catalog::{TemplateSource, VersionSpec};
use fleetcore::error::CatalogError;
use fleetcore::group::{Action, Event, Group, GroupConfig, ScalingPolicy, ScheduledAction, Source};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, Comparison, StepAdjustment, Value,
};
use fleetcore::{Duration, Instant};

const T0_MS: u64 = 1_711_843_200_000;
const STEPS: u64 = 30;

struct Version3;

impl TemplateSource for Version3 {
    fn resolve(&self, _id: TemplateId, _version: VersionSpec) -> Result<u32, CatalogError> {
        Ok(3)
    }
}

fn load_milli(step: u64) -> i64 {
    match step {
        0..12 => 150_000,
        12..24 => 50_000,
        _ => 20_000,
    }
}

fn step(lower: Option<i64>, upper: Option<i64>, adjustment: i32) -> StepAdjustment {
    StepAdjustment {
        lower: lower.map(Value::from_milli),
        upper: upper.map(Value::from_milli),
        adjustment,
    }
}

fn golden_run() -> String {
    let template = TemplateId::parse("lt-0123456789abcdef0").unwrap();
    let mut config = GroupConfig::new(1, 6, template, "a").unwrap();
    config.add_zone("b").unwrap();
    config.default_instance_warmup = Some(Duration::from_secs(60));
    let mut g: Group<64, 32, 16> = Group::new(config, 42).unwrap();
    let t0 = Instant::from_millis(T0_MS);

    let cpu = g
        .put_metric("cpu", Duration::from_secs(60), Source::Members)
        .unwrap();
    let out = g
        .put_scaling_policy(ScalingPolicy::Step {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            steps: [step(Some(0), Some(20_000), 1), step(Some(20_000), None, 2)]
                .into_iter()
                .collect(),
            min_adjustment_magnitude: None,
            warmup: None,
            aggregation: Aggregation::Average,
        })
        .unwrap();
    let scale_in = g
        .put_scaling_policy(ScalingPolicy::Step {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            steps: [step(None, Some(0), -1)].into_iter().collect(),
            min_adjustment_magnitude: None,
            warmup: None,
            aggregation: Aggregation::Average,
        })
        .unwrap();
    let high = AlarmConfig::new(Comparison::GreaterThan, Value::from_milli(70_000), 2);
    let low = AlarmConfig::new(Comparison::LessThan, Value::from_milli(30_000), 3);
    g.put_alarm(t0, cpu, high, out).unwrap();
    g.put_alarm(t0, cpu, low, scale_in).unwrap();
    let mut evening = ScheduledAction::new(
        "evening",
        None,
        Some(t0.saturating_add(Duration::from_mins(20))),
    )
    .unwrap();
    evening.min_size = Some(2);
    evening.desired_capacity = Some(4);
    g.put_scheduled_action(t0, evening).unwrap();

    let mut log = String::new();
    let mut booting: Vec<InstanceId> = Vec::new();
    for i in 0..STEPS {
        let now = Instant::from_millis(T0_MS + i * 60_000);
        let secs = i * 60;
        for id in booting.drain(..) {
            g.observe(now, Event::Booted(id)).unwrap();
        }
        let in_service = g.in_service();
        if i > 0 && in_service > 0 {
            let value = load_milli(i) / i64::from(in_service);
            let at = Instant::from_millis(T0_MS + i * 60_000 - 30_000);
            g.record_in_service(at, cpu, Value::from_milli(value))
                .unwrap();
        }
        let mut actions: heapless::Vec<Action, 16> = heapless::Vec::new();
        g.tick(now, &Version3, &mut actions);
        for a in &actions {
            writeln!(log, "t={secs} {a}").unwrap();
            match *a {
                Action::Launch { id, .. } => booting.push(id),
                Action::Terminate { id } => g.observe(now, Event::Terminated(id)).unwrap(),
                other => panic!("unexpected action {other}"),
            }
        }
        let alarms: Vec<&str> = g
            .alarms()
            .iter()
            .map(|a| a.alarm.state().as_str())
            .collect();
        writeln!(
            log,
            "t={secs} desired={} capacity={} in_service={} alarms={}",
            g.desired(),
            g.capacity(),
            g.in_service(),
            alarms.join(",")
        )
        .unwrap();
    }
    log
}

#[test]
fn group_run_matches_the_golden_log() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/group_run.txt");
    let log = golden_run();
    if std::env::var_os("FLEETCORE_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &log).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        golden == log,
        "{} differs from the run; regenerate it with FLEETCORE_BLESS=1 cargo test -p \
         fleetcore-ffi --test group_golden\n--- run ---\n{log}",
        path.display()
    );
}
