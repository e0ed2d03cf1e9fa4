//! The golden scenarios through the Rust core API, shared by the host test
//! (`core/tests/golden.rs`, x86-64) and the Cortex-M firmware (`core/firmware`, bin `golden`),
//! which include this file with `#[path]`. `no_std`, no allocation: each scenario writes its
//! action log to a `core::fmt::Write`, one line at a time.
//!
//! The C (`ffi/tests/c/test_golden.c`) and Python (`python/tests/test_golden.py`) surfaces play
//! the same scenarios through their own APIs; all four must print `golden/<name>.txt` byte for
//! byte. Keep the four in step: `golden/README.md` describes each scenario in words.
//!
//! The world every scenario plays, the same on every surface: each minute, members launched at
//! the previous minute report booted, then the samples of the minute are recorded (stamped 30 s
//! before it), then the group decides once and its actions are taken out (as
//! the Python binding's `tick` does); each action is logged as `t=<seconds since start> <action>`;
//! terminations complete once the ticks are done. A status line follows the actions.

use core::fmt::{self, Write};
use core::mem::MaybeUninit;

use fleetcore::group::{
    Action, Event, Group, GroupConfig, HealthSource, HookResult, HookTransition, LifecycleHook,
    ScalingPolicy, ScheduledAction, Source, TerminationPolicy,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::scaling::cron::Cron;
use fleetcore::scaling::predictive::{Mode, PredictiveConfig};
use fleetcore::scaling::target::TargetTracking;
use fleetcore::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, Comparison, Statistic, StepAdjustment, Value,
};
use fleetcore::{Duration, Instant};

#[path = "nab_row.rs"]
mod nab_row;

/// The scenarios' names, which are also their log files' names (`golden/<name>.txt`).
pub const NAMES: [&str; 4] = ["group_run", "lifecycle", "scaling", "taxi"];

/// The trace rows the `taxi` scenario plays: the first two weeks (672 half-hours from
/// 2014-07-01 00:00) of `nyc_taxi.csv`.
pub const TAXI_ROWS: usize = 672;

/// The group every scenario uses: 24 members are more than any scenario launches (the C and
/// Python groups hold more; capacity does not change decisions).
pub type GoldenGroup = Group<24, fleetcore::group::AllParts<8, 8>>;

/// Why a scenario stopped: the call that failed, or a full log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure(pub &'static str);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "golden scenario failed: {}", self.0)
    }
}

impl From<fmt::Error> for Failure {
    fn from(_: fmt::Error) -> Self {
        Self("writing the log")
    }
}

/// `r`, or the failure naming `what`.
fn ok<T, E>(r: Result<T, E>, what: &'static str) -> Result<T, Failure> {
    r.map_err(|_| Failure(what))
}

/// The one launch template (`lt-00000000000000001`: the Python binding's fixed template).
fn template() -> TemplateId {
    TemplateId::from_u64(1)
}

/// Runs the scenario called `name`; `taxi` reads `rides` (the trace's values). `Ok(false)` for
/// an unknown name.
///
/// # Errors
/// The first call that failed.
pub fn run(name: &str, rides: &[u32], log: &mut dyn Write) -> Result<bool, Failure> {
    match name {
        "group_run" => group_run(log)?,
        "lifecycle" => lifecycle(log)?,
        "scaling" => scaling(log)?,
        "taxi" => taxi(rides, log)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// The world's side of the loop: members booting, and the minute's ticks.
struct World {
    booting: heapless::Vec<InstanceId, 32>,
    /// Launching hooks to answer `CONTINUE` at the next minute (the `lifecycle` scenario).
    answering: heapless::Vec<(InstanceId, u8), 32>,
    /// Whether launching hooks notified at this minute are answered.
    answer_hooks: bool,
}

impl World {
    const fn new() -> Self {
        Self {
            booting: heapless::Vec::new(),
            answering: heapless::Vec::new(),
            answer_hooks: true,
        }
    }

    /// Launching hooks notified at the previous minute complete with `CONTINUE`.
    fn answer(&mut self, g: &mut GoldenGroup, now: Instant) -> Result<(), Failure> {
        for &(id, hook) in &self.answering {
            ok(
                g.observe(now, Event::HookCompleted(id, hook, HookResult::Continue)),
                "observe hook completed",
            )?;
        }
        self.answering.clear();
        Ok(())
    }

    /// Members launched at the previous minute report booted.
    fn boot(&mut self, g: &mut GoldenGroup, now: Instant) -> Result<(), Failure> {
        for &id in &self.booting {
            ok(g.observe(now, Event::Booted(id)), "observe booted")?;
        }
        self.booting.clear();
        Ok(())
    }

    /// Decides at `now` and logs each action as it takes it out; then the terminations
    /// complete.
    fn tick(
        &mut self,
        g: &mut GoldenGroup,
        now: Instant,
        secs: u64,
        log: &mut dyn Write,
    ) -> Result<(), Failure> {
        let mut ending: heapless::Vec<InstanceId, 32> = heapless::Vec::new();
        g.decide(now);
        for a in g.actions() {
            writeln!(log, "t={secs} {a}")?;
            match a {
                Action::Launch { id, .. } => ok(self.booting.push(id), "booting list")?,
                Action::Terminate { id } => ok(ending.push(id), "terminating list")?,
                // Terminating hooks are never answered: their heartbeat times out.
                Action::NotifyHook {
                    id,
                    hook,
                    transition,
                } => {
                    if transition == HookTransition::Launching && self.answer_hooks {
                        ok(self.answering.push((id, hook)), "answering list")?;
                    }
                }
                _ => return Err(Failure("an action the scenario does not expect")),
            }
        }
        for &id in &ending {
            ok(g.observe(now, Event::Terminated(id)), "observe terminated")?;
        }
        Ok(())
    }
}

/// The alarm states, comma-separated, as the status line shows them.
fn alarm_states(g: &GoldenGroup, log: &mut dyn Write) -> fmt::Result {
    for (i, a) in g.alarms().iter().enumerate() {
        if i > 0 {
            log.write_char(',')?;
        }
        log.write_str(a.alarm.state().as_str())?;
    }
    Ok(())
}

/// `desired=… capacity=… in_service=…`.
fn sizes(g: &GoldenGroup, log: &mut dyn Write) -> fmt::Result {
    write!(
        log,
        "desired={} capacity={} in_service={}",
        g.desired(),
        g.capacity(),
        g.in_service()
    )
}

fn step(lower: Option<i64>, upper: Option<i64>, adjustment: i32) -> StepAdjustment {
    StepAdjustment {
        lower: lower.map(Value::from_milli),
        upper: upper.map(Value::from_milli),
        adjustment,
    }
}

fn step_policy(
    adjustment_type: AdjustmentType,
    steps: &[StepAdjustment],
    min_adjustment_magnitude: Option<u32>,
) -> Result<ScalingPolicy, Failure> {
    let mut v = heapless::Vec::new();
    for s in steps {
        ok(v.push(*s), "too many steps")?;
    }
    Ok(ScalingPolicy::Step {
        adjustment_type,
        steps: v,
        min_adjustment_magnitude,
        warmup: None,
        aggregation: Aggregation::Average,
    })
}

/// `lower..upper` minutes.
fn minutes(lower: u64, upper: u64) -> core::ops::Range<u64> {
    lower..upper
}

// ---- group_run ----

const GROUP_RUN_T0: u64 = 1_711_843_200_000; // 2024-03-31T00:00:00Z

/// The load of all members together in `group_run`, in thousandths of one member's CPU.
fn group_run_load(minute: u64) -> i64 {
    if minutes(0, 12).contains(&minute) {
        150_000
    } else if minutes(12, 24).contains(&minute) {
        50_000
    } else {
        20_000
    }
}

/// `group_run`: min 1, max 6 in zones `a,b`, warm-up 60 s, seed 42; a per-member `cpu` metric;
/// step policies out (+1, +2 from 20 above) on `cpu > 70` for 2 periods and in (-1) on
/// `cpu < 30` for 3; a scheduled action at 20 min setting min 2, desired 4. Load 150 % of one
/// member for 12 minutes, 50 % until minute 24, then 20 %, spread over the members in service.
/// 30 minutes.
///
/// # Errors
/// The first call that failed.
pub fn group_run(log: &mut dyn Write) -> Result<(), Failure> {
    let mut config = ok(GroupConfig::new(1, 6, template(), "a"), "config")?;
    ok(config.add_zone("b"), "zone")?;
    config.default_instance_warmup = Some(Duration::from_secs(60));
    // Built in place: firmware keeps a group out of its stack frames.
    let mut slot = MaybeUninit::uninit();
    let g = ok(GoldenGroup::init(&mut slot, config, 42), "group")?;
    let t0 = Instant::from_millis(GROUP_RUN_T0);

    let cpu = ok(
        g.put_metric("cpu", Duration::from_secs(60), Source::Members),
        "metric",
    )?;
    let out = ok(
        g.put_scaling_policy(step_policy(
            AdjustmentType::ChangeInCapacity,
            &[step(Some(0), Some(20_000), 1), step(Some(20_000), None, 2)],
            None,
        )?),
        "policy out",
    )?;
    let scale_in = ok(
        g.put_scaling_policy(step_policy(
            AdjustmentType::ChangeInCapacity,
            &[step(None, Some(0), -1)],
            None,
        )?),
        "policy in",
    )?;
    let high = AlarmConfig::new(Comparison::GreaterThan, Value::from_milli(70_000), 2);
    let low = AlarmConfig::new(Comparison::LessThan, Value::from_milli(30_000), 3);
    ok(g.put_alarm(t0, cpu, high, out), "alarm high")?;
    ok(g.put_alarm(t0, cpu, low, scale_in), "alarm low")?;
    let mut evening = ok(
        ScheduledAction::new(
            "evening",
            None,
            Some(t0.saturating_add(Duration::from_mins(20))),
        ),
        "scheduled action",
    )?;
    evening.min_size = Some(2);
    evening.desired_capacity = Some(4);
    ok(g.put_scheduled_action(t0, evening), "put scheduled action")?;

    let mut world = World::new();
    for i in 0..30u64 {
        let now = Instant::from_millis(GROUP_RUN_T0 + i * 60_000);
        let secs = i * 60;
        world.boot(g, now)?;
        let in_service = g.in_service();
        if i > 0 && in_service > 0 {
            let value = group_run_load(i) / i64::from(in_service);
            let at = Instant::from_millis(GROUP_RUN_T0 + i * 60_000 - 30_000);
            ok(
                g.record_in_service(at, cpu, Value::from_milli(value)),
                "record",
            )?;
        }
        world.tick(g, now, secs, log)?;
        write!(log, "t={secs} ")?;
        sizes(g, log)?;
        log.write_str(" alarms=")?;
        alarm_states(g, log)?;
        log.write_char('\n')?;
    }
    Ok(())
}

// ---- lifecycle ----

const LIFECYCLE_T0: u64 = 1_711_843_200_000; // 2024-03-31T00:00:00Z

/// The id of member `index` (launch order), for the scripted events.
fn member_id(g: &GoldenGroup, index: usize) -> Result<InstanceId, Failure> {
    g.members()
        .get(index)
        .map(fleetcore::group::Member::id)
        .ok_or(Failure("no member at that index"))
}

/// `lifecycle`: min 2, max 6, desired 4 in zones `a,b`, seed 99, termination policies
/// `OldestInstance, Default`; a launching hook (heartbeat 60 s, default `ABANDON`) the world
/// answers `CONTINUE` one minute after its notice, except notices at minutes 14 and 15, which
/// time out; a terminating hook (heartbeat 120 s, default `CONTINUE`) never answered. Scripted,
/// by index in the member list at that minute: minute 5 member 0 enters standby without
/// decrement; 8 member 1 is protected from scale-in; 11 member 0 leaves standby; 13 member 2
/// is reported unhealthy (custom); 20 desired is set to 2. 30 minutes; the status line lists
/// the members' lifecycle states.
///
/// # Errors
/// The first call that failed.
pub fn lifecycle(log: &mut dyn Write) -> Result<(), Failure> {
    let mut config = ok(GroupConfig::new(2, 6, template(), "a"), "config")?;
    ok(config.add_zone("b"), "zone")?;
    config.desired_capacity = Some(4);
    config.termination_policies.clear();
    ok(
        config
            .termination_policies
            .push(TerminationPolicy::OldestInstance),
        "termination policy",
    )?;
    ok(
        config.termination_policies.push(TerminationPolicy::Default),
        "termination policy",
    )?;
    // Built in place: firmware keeps a group out of its stack frames.
    let mut slot = MaybeUninit::uninit();
    let g = ok(GoldenGroup::init(&mut slot, config, 99), "group")?;
    let mut launching = LifecycleHook::new(HookTransition::Launching);
    launching.heartbeat_timeout = Duration::from_secs(60);
    launching.default_result = HookResult::Abandon;
    ok(g.put_lifecycle_hook(launching), "launching hook")?;
    let mut terminating = LifecycleHook::new(HookTransition::Terminating);
    terminating.heartbeat_timeout = Duration::from_secs(120);
    terminating.default_result = HookResult::Continue;
    ok(g.put_lifecycle_hook(terminating), "terminating hook")?;

    let mut world = World::new();
    for i in 0..30u64 {
        let now = Instant::from_millis(LIFECYCLE_T0 + i * 60_000);
        let secs = i * 60;
        world.boot(g, now)?;
        world.answer(g, now)?;
        match i {
            5 => ok(
                g.enter_standby(now, &[member_id(g, 0)?], false),
                "enter standby",
            )?,
            8 => ok(
                g.set_protection(&[member_id(g, 1)?], true),
                "set protection",
            )?,
            11 => ok(g.exit_standby(now, &[member_id(g, 0)?]), "exit standby")?,
            13 => ok(
                g.observe(
                    now,
                    Event::Unhealthy(member_id(g, 2)?, HealthSource::Custom),
                ),
                "unhealthy",
            )?,
            20 => ok(g.set_desired(now, 2, false), "set desired")?,
            _ => {}
        }
        world.answer_hooks = !(14..16).contains(&i);
        world.tick(g, now, secs, log)?;
        write!(log, "t={secs} ")?;
        sizes(g, log)?;
        log.write_str(" members=")?;
        for (k, m) in g.members().iter().enumerate() {
            if k > 0 {
                log.write_char(',')?;
            }
            log.write_str(m.state().as_str())?;
        }
        log.write_char('\n')?;
    }
    Ok(())
}

// ---- scaling ----

const SCALING_T0: u64 = 1_711_843_200_000; // 2024-03-31T00:00:00Z

/// All members' CPU together in `scaling`, in thousandths of one member's.
fn scaling_cpu(minute: u64) -> i64 {
    if minutes(0, 20).contains(&minute) {
        50_000
    } else if minutes(20, 45).contains(&minute) {
        400_000
    } else if minutes(45, 70).contains(&minute) {
        150_000
    } else {
        60_000
    }
}

/// The queue length in `scaling`, in thousandths.
fn scaling_queue(minute: u64) -> i64 {
    if minutes(25, 35).contains(&minute) {
        180_000
    } else if minutes(35, 45).contains(&minute) {
        450_000
    } else if minutes(45, 60).contains(&minute) {
        60_000
    } else if minutes(60, 120).contains(&minute) {
        2_000
    } else {
        0
    }
}

/// `scaling`: min 1, max 10 in zones `a,b,c`, warm-up 120 s, seed 2024. A per-member `cpu`
/// (60 s) with target tracking at 60; a group `queue` (60 s) with a step policy out
/// (+1 below 200 above the threshold, +3 from there) on `queue > 100` for 2 periods, a step
/// policy in (-50 %, at least 1) on `queue < 10` for 4 of 5 periods, and a simple policy
/// (+2, cooldown 180 s) on the `Maximum` of `cpu >= 95` for 1 period; scheduled actions
/// `morning` (cron `30 0 * * *`: min 3) and `cap` (at 90 min: max 6). CPU of all members 50 %
/// until minute 20, 400 % until 45, 150 % until 70, then 60 %, spread over the members in
/// service; queue 0, 180 from minute 25, 450 from 35, 60 from 45, 2 from 60. 120 minutes.
///
/// # Errors
/// The first call that failed.
pub fn scaling(log: &mut dyn Write) -> Result<(), Failure> {
    let mut slot = MaybeUninit::uninit();
    let (g, cpu, queue) = scaling_group(&mut slot)?;
    let mut world = World::new();
    for i in 0..120u64 {
        let now = Instant::from_millis(SCALING_T0 + i * 60_000);
        let secs = i * 60;
        world.boot(g, now)?;
        if i > 0 {
            let at = Instant::from_millis(SCALING_T0 + i * 60_000 - 30_000);
            let in_service = g.in_service();
            if in_service > 0 {
                let value = scaling_cpu(i) / i64::from(in_service);
                ok(
                    g.record_in_service(at, cpu, Value::from_milli(value)),
                    "record cpu",
                )?;
            }
            ok(
                g.record(at, queue, None, Value::from_milli(scaling_queue(i))),
                "record queue",
            )?;
        }
        world.tick(g, now, secs, log)?;
        write!(log, "t={secs} ")?;
        sizes(g, log)?;
        write!(log, " min={} max={} alarms=", g.min_size(), g.max_size())?;
        alarm_states(g, log)?;
        log.write_char('\n')?;
    }
    Ok(())
}

/// The `scaling` group with its policies, alarms and schedule; its `cpu` and `queue` metrics.
fn scaling_group(
    slot: &mut MaybeUninit<GoldenGroup>,
) -> Result<(&mut GoldenGroup, u8, u8), Failure> {
    let mut config = ok(GroupConfig::new(1, 10, template(), "a"), "config")?;
    ok(config.add_zone("b"), "zone b")?;
    ok(config.add_zone("c"), "zone c")?;
    config.default_instance_warmup = Some(Duration::from_secs(120));
    let g = ok(GoldenGroup::init(slot, config, 2024), "group")?;
    let t0 = Instant::from_millis(SCALING_T0);

    let cpu = ok(
        g.put_metric("cpu", Duration::from_secs(60), Source::Members),
        "metric cpu",
    )?;
    let queue = ok(
        g.put_metric("queue", Duration::from_secs(60), Source::Group),
        "metric queue",
    )?;
    ok(
        g.put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking {
                target: Value::from_milli(60_000),
                disable_scale_in: false,
            },
            warmup: None,
            hpa: None,
        }),
        "target tracking",
    )?;
    let out = ok(
        g.put_scaling_policy(step_policy(
            AdjustmentType::ChangeInCapacity,
            &[
                step(Some(0), Some(200_000), 1),
                step(Some(200_000), None, 3),
            ],
            None,
        )?),
        "step out",
    )?;
    let scale_in = ok(
        g.put_scaling_policy(step_policy(
            AdjustmentType::PercentChangeInCapacity,
            &[step(None, Some(0), -50)],
            Some(1),
        )?),
        "step in",
    )?;
    let burst = ok(
        g.put_scaling_policy(ScalingPolicy::Simple {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            adjustment: 2,
            cooldown: Some(Duration::from_secs(180)),
            min_adjustment_magnitude: None,
        }),
        "simple",
    )?;
    let high = AlarmConfig::new(Comparison::GreaterThan, Value::from_milli(100_000), 2);
    let mut low = AlarmConfig::new(Comparison::LessThan, Value::from_milli(10_000), 5);
    low.datapoints_to_alarm = Some(4);
    let mut hot = AlarmConfig::new(Comparison::GreaterThanOrEqual, Value::from_milli(95_000), 1);
    hot.statistic = Statistic::Maximum;
    ok(g.put_alarm(t0, queue, high, out), "alarm queue high")?;
    ok(g.put_alarm(t0, queue, low, scale_in), "alarm queue low")?;
    ok(g.put_alarm(t0, cpu, hot, burst), "alarm cpu hot")?;

    let cron = ok(Cron::parse("30 0 * * *"), "cron")?;
    let mut morning = ok(ScheduledAction::new("morning", Some(cron), None), "morning")?;
    morning.min_size = Some(3);
    ok(g.put_scheduled_action(t0, morning), "put morning")?;
    let mut cap = ok(
        ScheduledAction::new(
            "cap",
            None,
            Some(t0.saturating_add(Duration::from_mins(90))),
        ),
        "cap",
    )?;
    cap.max_size = Some(6);
    ok(g.put_scheduled_action(t0, cap), "put cap")?;
    Ok((g, cpu, queue))
}

// ---- taxi ----

const TAXI_T0: u64 = 1_404_172_800_000; // 2014-07-01T00:00:00Z, the trace's first row

/// `taxi`: the first two weeks of `nyc_taxi.csv` (rides per half hour). Min 2, max 20 in zones
/// `a,b,c`, warm-up 300 s, seed 7. A group metric `rides` (60 s) feeds a predictive policy
/// (`ForecastAndScale`, 1500 rides per member, default buffer); a per-member metric `load`
/// (60 s; the half-hour's rides spread over the members in service, in whole thousandths)
/// has target tracking at 1000. Every minute; a status line every half hour.
///
/// # Errors
/// The first call that failed; [`Failure`] too when `rides` is not [`TAXI_ROWS`] long.
pub fn taxi(rides: &[u32], log: &mut dyn Write) -> Result<(), Failure> {
    if rides.len() != TAXI_ROWS {
        return Err(Failure("the taxi trace slice has the wrong length"));
    }
    let mut config = ok(GroupConfig::new(2, 20, template(), "a"), "config")?;
    ok(config.add_zone("b"), "zone b")?;
    ok(config.add_zone("c"), "zone c")?;
    config.default_instance_warmup = Some(Duration::from_secs(300));
    // Built in place: firmware keeps a group out of its stack frames.
    let mut slot = MaybeUninit::uninit();
    let g = ok(GoldenGroup::init(&mut slot, config, 7), "group")?;

    let total = ok(
        g.put_metric("rides", Duration::from_secs(60), Source::Group),
        "metric rides",
    )?;
    let load = ok(
        g.put_metric("load", Duration::from_secs(60), Source::Members),
        "metric load",
    )?;
    let mut predictive = PredictiveConfig::new(Value::from_milli(1_500_000));
    predictive.mode = Mode::ForecastAndScale;
    ok(g.put_predictive_policy(predictive, total), "predictive")?;
    ok(
        g.put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: load,
            tracking: TargetTracking {
                target: Value::from_milli(1_000_000),
                disable_scale_in: false,
            },
            warmup: None,
            hpa: None,
        }),
        "target tracking",
    )?;

    let mut world = World::new();
    let mut minute = 0u64;
    for &r in rides {
        for _ in 0..30 {
            let now = Instant::from_millis(TAXI_T0 + minute * 60_000);
            let secs = minute * 60;
            world.boot(g, now)?;
            if minute > 0 {
                let at = Instant::from_millis(TAXI_T0 + minute * 60_000 - 30_000);
                let rides_milli = i64::from(r) * 1000;
                ok(
                    g.record(at, total, None, Value::from_milli(rides_milli)),
                    "record rides",
                )?;
                let in_service = g.in_service();
                if in_service > 0 {
                    let value = rides_milli / i64::from(in_service);
                    ok(
                        g.record_in_service(at, load, Value::from_milli(value)),
                        "record load",
                    )?;
                }
            }
            world.tick(g, now, secs, log)?;
            if minute.is_multiple_of(30) {
                write!(log, "t={secs} rides={r} ")?;
                sizes(g, log)?;
                log.write_char('\n')?;
            }
            minute += 1;
        }
    }
    Ok(())
}

// ---- the document scenarios ----

/// The document scenarios: each plays the first day of `nyc_taxi.csv` through the group a
/// controller document gives (`ControllerDoc::init_group`, the in-place form of the
/// `build_group` every surface uses), with its name and the document's path from the
/// repository root. Their logs are `golden/<name>.txt` like the others'.
pub const DOCUMENTS: [(&str, &str); 2] = [
    ("doc_controller", "examples/controller.json"),
    ("doc_taxi", "examples/taxi.json"),
];

/// The trace rows a document scenario plays: the first day (48 half hours from 2014-07-01
/// 00:00) of `nyc_taxi.csv`.
pub const DAY_ROWS: usize = 48;

/// Each trace row holds for this many one-minute steps (the trace is half-hourly).
pub const ROW_MINUTES: u64 = 30;

/// The group a document scenario builds: C's `fc_group` (64 members, an alarm history of 32
/// datapoints); capacity does not change decisions.
pub type DocGroup = Group<64, fleetcore::group::AllParts<32, { fleetcore::group::MAX_SCHEDULED }>>;

/// A trace row: its time (milliseconds since the Unix epoch) and its load (whole units).
pub type Row = (u64, u32);

/// What the document's `simulation` section gives the world (the section `fleetcore.simulate`
/// reads): the group, the ids' seed, the load one member serves, the boot time and the two
/// metrics fed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocWorld {
    /// The group's index in `groups` (`simulation.group`, else the first).
    pub index: usize,
    /// `simulation.seed`: the member ids' seed.
    pub seed: u64,
    /// `simulation.member_capacity`, in thousandths.
    pub member_capacity: i64,
    /// `simulation.boot_time_s`.
    pub boot_time: Duration,
    /// `simulation.utilisation_metric` (default: the group's first per-member metric).
    pub utilisation_metric: Option<u8>,
    /// `simulation.load_metric` (default: none).
    pub load_metric: Option<u8>,
}

/// Reads the world from `doc`'s `simulation` section.
///
/// # Errors
/// No section, no `member_capacity` or `boot_time_s`, or a name the group lacks.
pub fn doc_world(doc: &fleetcore::config::ControllerDoc) -> Result<DocWorld, Failure> {
    let Some(s) = &doc.simulation else {
        return Err(Failure("the document has no simulation section"));
    };
    let index = match &s.group {
        Some(name) => doc
            .groups
            .iter()
            .position(|g| g.name == *name)
            .ok_or(Failure("simulation.group names no group"))?,
        None => 0,
    };
    let g = doc
        .groups
        .get(index)
        .ok_or(Failure("the document has no group"))?;
    let metric = |name: &Option<fleetcore::config::Name>| -> Result<Option<u8>, Failure> {
        let Some(name) = name else { return Ok(None) };
        let i = g
            .metrics
            .iter()
            .position(|m| m.name.as_str() == name.as_str())
            .ok_or(Failure("simulation names a metric the group lacks"))?;
        ok(u8::try_from(i).map(Some), "metric index")
    };
    let utilisation_metric = match metric(&s.utilisation_metric)? {
        Some(i) => Some(i),
        None => g
            .metrics
            .iter()
            .position(|m| m.source == Source::Members)
            .and_then(|i| u8::try_from(i).ok()),
    };
    Ok(DocWorld {
        index,
        seed: s.seed,
        member_capacity: s
            .member_capacity
            .ok_or(Failure("simulation.member_capacity is missing"))?
            .milli(),
        boot_time: Duration::from_secs(u64::from(
            s.boot_time_s
                .ok_or(Failure("simulation.boot_time_s is missing"))?,
        )),
        utilisation_metric,
        load_metric: metric(&s.load_metric)?,
    })
}

/// A document scenario: `doc`'s group (built in `slot`) through `rows`, minute by minute.
///
/// The world, the same on every surface: the group is built at the first row's time with
/// [`DocWorld::seed`]; row `i` must be `i` half hours after the first and holds for 30
/// one-minute steps. Each minute: the members whose boot is due (launched or started
/// `boot_time` earlier) report booted, in launch order, at their boot time; from the second
/// minute, samples stamped 30 s before the minute: the load metric gets the row's load, the
/// utilisation metric gets each member in service `load × 100 ÷ (member_capacity × in
/// service)` percent, in whole thousandths; the group decides once and every action is taken
/// out and logged as `t=<seconds since the first row> <action>`; then each is carried out in
/// order: a launch or start boots after `boot_time`, a termination or a stop (hibernation too)
/// completes at once, a lifecycle hook is answered `CONTINUE` at once. A status line `t=<s>
/// load=<row> desired=… capacity=… in_service=…` follows every half hour's first minute. Spot
/// interruptions, prices and the SLO do not enter: the log is the group's decisions only.
///
/// # Errors
/// The first call that failed, rows that are not half-hourly, or no rows.
pub fn document(
    doc: &fleetcore::config::ControllerDoc,
    slot: &mut MaybeUninit<DocGroup>,
    rows: &[Row],
    log: &mut dyn Write,
) -> Result<(), Failure> {
    use fleetcore::lifecycle::InstanceState;
    let w = doc_world(doc)?;
    let &(t0, _) = rows.first().ok_or(Failure("the trace has no rows"))?;
    let g = ok(
        doc.init_group(slot, w.index, Instant::from_millis(t0), w.seed),
        "the document's group",
    )?;
    let mut booting: heapless::Vec<(Instant, InstanceId), 64> = heapless::Vec::new();
    let mut taken: heapless::Vec<Action, 128> = heapless::Vec::new();
    let mut minute = 0u64;
    for (i, &(t, load)) in (0u64..).zip(rows) {
        if t != t0.saturating_add(i.saturating_mul(ROW_MINUTES * 60_000)) {
            return Err(Failure("the trace's rows are not half an hour apart"));
        }
        let load_milli = i64::from(load) * 1000;
        for _ in 0..ROW_MINUTES {
            let now = Instant::from_millis(t0 + minute * 60_000);
            let secs = minute * 60;
            let due = booting.iter().take_while(|b| b.0 <= now).count();
            for &(ready, id) in booting.iter().take(due) {
                ok(g.observe(ready, Event::Booted(id)), "observe booted")?;
            }
            let mut left = 0usize;
            booting.retain(|_| {
                left += 1;
                left > due
            });
            if minute > 0 {
                let at = Instant::from_millis(t0 + minute * 60_000 - 30_000);
                if let Some(m) = w.load_metric {
                    ok(
                        g.record(at, m, None, Value::from_milli(load_milli)),
                        "record load",
                    )?;
                }
                let in_service = i64::from(g.in_service());
                if let (Some(m), true) = (w.utilisation_metric, in_service > 0) {
                    let served = in_service.saturating_mul(w.member_capacity.max(1));
                    let percent = load_milli.saturating_mul(100_000) / served;
                    ok(
                        g.record_in_service(at, m, Value::from_milli(percent)),
                        "record utilisation",
                    )?;
                }
            }
            g.decide(now);
            taken.clear();
            for a in g.actions() {
                writeln!(log, "t={secs} {a}")?;
                ok(taken.push(a), "too many actions in one tick")?;
            }
            for a in &taken {
                match *a {
                    Action::Launch { id, .. } | Action::Start { id } => ok(
                        booting.push((now.saturating_add(w.boot_time), id)),
                        "booting list",
                    )?,
                    Action::Terminate { id } => {
                        booting.retain(|b| b.1 != id);
                        ok(g.observe(now, Event::Terminated(id)), "observe terminated")?;
                    }
                    Action::Stop { id, .. } => {
                        booting.retain(|b| b.1 != id);
                        ok(
                            g.observe(now, Event::Ec2State(id, InstanceState::Stopped)),
                            "observe stopped",
                        )?;
                    }
                    Action::NotifyHook { id, hook, .. } => ok(
                        g.observe(now, Event::HookCompleted(id, hook, HookResult::Continue)),
                        "observe hook completed",
                    )?,
                    _ => return Err(Failure("an action the scenario does not expect")),
                }
            }
            if minute.is_multiple_of(ROW_MINUTES) {
                writeln!(
                    log,
                    "t={secs} load={load} desired={} capacity={} in_service={}",
                    g.desired(),
                    g.capacity(),
                    g.in_service()
                )?;
            }
            minute += 1;
        }
    }
    Ok(())
}

/// A row of a NAB trace (`YYYY-MM-DD hh:mm:ss,value`, UTC, a whole non-negative value), as
/// `nyc_taxi.csv` has them; `None` for anything else. The row parser is `nab_row.rs`'s, which
/// the host tests' trace reader shares.
pub fn parse_row(line: &str) -> Option<Row> {
    let (secs, value) = nab_row::split_row(line)?;
    Some((secs.checked_mul(1000)?, value.parse().ok()?))
}
