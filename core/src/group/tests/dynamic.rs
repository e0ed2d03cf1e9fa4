//! Policies inside `tick`: the group's metrics, alarms, step aggregation, target tracking, HPA
//! and how results combine (SEMANTICS §3.1–§3.5, §2.5).

use super::*;
use crate::scaling::hpa::Behavior;
use crate::scaling::target::TargetTracking;
use crate::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, AlarmState, Comparison, Statistic, StepAdjustment,
};

const MINUTE: Duration = Duration::from_secs(60);

/// A group of `desired` settled members whose warm-up is `warmup` seconds.
fn settled(desired: u32, warmup: u64) -> G {
    let mut c = config(0, 16, Some(desired), &["a"]);
    c.default_instance_warmup = Some(Duration::from_secs(warmup));
    let mut g = G::new(c, 1).unwrap();
    settle(&mut g, t(0));
    g
}

/// For each minute from `from` on: every member in service reports `load(minute, members in
/// service)` at the middle of the minute, then the group ticks at its end and the world plays
/// the actions.
fn run(g: &mut G, metric: u8, from: u64, minutes: u64, load: impl Fn(u64, i64) -> i64) {
    for k in from..from + minutes {
        let at = t(k * 60 + 30);
        let ids: heapless::Vec<InstanceId, 16> = g
            .members()
            .iter()
            .filter(|m| m.state() == MemberState::InService)
            .map(Member::id)
            .collect();
        let n = i64::try_from(ids.len()).unwrap();
        for id in ids {
            g.record(at, metric, Some(id), value(load(k, n))).unwrap();
        }
        settle(g, t((k + 1) * 60));
    }
}

fn step_policy(aggregation: Aggregation) -> ScalingPolicy {
    let mut steps = heapless::Vec::new();
    for (lower, upper, adjustment) in [(Some(0), Some(10), 1), (Some(10), Some(20), 2)] {
        steps
            .push(StepAdjustment {
                lower: lower.map(value),
                upper: upper.map(value),
                adjustment,
            })
            .unwrap();
    }
    steps
        .push(StepAdjustment {
            lower: Some(value(20)),
            upper: None,
            adjustment: 3,
        })
        .unwrap();
    ScalingPolicy::Step {
        adjustment_type: AdjustmentType::ChangeInCapacity,
        steps,
        min_adjustment_magnitude: None,
        warmup: Some(Duration::ZERO),
        aggregation,
    }
}

#[test]
fn step_policy_runs_from_its_alarm_with_each_aggregation_type() {
    // Threshold 50, three datapoints 55, 75 and 62: Minimum 55 is in [0, 10) (+1), Average 64
    // in [10, 20) (+2), Maximum 75 in [20, ∞) (+3).
    for (aggregation, expected) in [
        (Aggregation::Minimum, 3),
        (Aggregation::Average, 4),
        (Aggregation::Maximum, 5),
    ] {
        let mut g = settled(2, 0);
        let m = g.put_metric("Load", MINUTE, Source::Group).unwrap();
        let p = g.put_scaling_policy(step_policy(aggregation)).unwrap();
        let high = AlarmConfig::new(Comparison::GreaterThanOrEqual, value(50), 3);
        let alarm = g.put_alarm(t(0), m, high, p).unwrap();
        assert_eq!(
            g.alarms()[usize::from(alarm)].alarm.state(),
            AlarmState::InsufficientData
        );
        for (k, v) in [55, 75, 62].into_iter().enumerate() {
            let k = k as u64;
            g.record(t(k * 60 + 30), m, None, value(v)).unwrap();
            let out = tick(&mut g, t((k + 1) * 60), &T1);
            if k < 2 {
                assert_eq!(
                    g.desired(),
                    2,
                    "{aggregation:?}: no alarm before three points"
                );
                assert!(out.is_empty());
            }
        }
        assert_eq!(
            g.alarms()[usize::from(alarm)].alarm.state(),
            AlarmState::Alarm
        );
        assert_eq!(g.desired(), expected, "{aggregation:?}");
    }
}

#[test]
fn warming_members_are_left_out_of_the_metric() {
    let mut g = settled(2, 300);
    let m = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    let ids: Vec<InstanceId> = g.members().iter().map(Member::id).collect();
    // At 100 s both members still warm up: nothing reaches the datapoints.
    g.record(t(100), m, Some(ids[0]), value(90)).unwrap();
    assert_eq!(g.metrics()[0].data().points().count(), 0);
    // Past the warm-up they count: the datapoint of minute 5 averages the two.
    g.record(t(310), m, Some(ids[0]), value(80)).unwrap();
    g.record(t(320), m, Some(ids[1]), value(40)).unwrap();
    let p = g.metrics()[0].data().point(5).copied().unwrap();
    assert_eq!((p.count, p.statistic(Statistic::Average)), (2, value(60)));
}

#[test]
fn simple_policy_alarm_repeats_every_minute_but_cooldown_holds() {
    let mut g = settled(2, 0);
    let m = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let p = g.put_scaling_policy(simple(1, Some(600))).unwrap();
    let cfg = AlarmConfig::new(Comparison::GreaterThan, value(100), 1);
    g.put_alarm(t(0), m, cfg, p).unwrap();
    let mut sizes = Vec::new();
    for k in 0..20u64 {
        g.record(t(k * 60 + 30), m, None, value(500)).unwrap();
        settle(&mut g, t((k + 1) * 60));
        sizes.push(g.desired());
    }
    // ALARM at 60 s adds one; the activity ends at once, so the cooldown runs 60-660 s; the
    // alarm, re-invoked every minute, adds the next at 660 s.
    assert_eq!(sizes[0], 3);
    assert!(sizes[1..10].iter().all(|&d| d == 3), "{sizes:?}");
    assert_eq!(sizes[10], 4, "{sizes:?}");
}

#[test]
fn largest_result_wins_when_policies_fire_together() {
    // SEMANTICS §3.4: at 8, "-3" gives 5 and "-25 %" gives 6: 6 wins.
    let mut g = settled(8, 0);
    let m = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let minus3 = g.put_scaling_policy(simple(-3, Some(0))).unwrap();
    let quarter = g
        .put_scaling_policy(ScalingPolicy::Simple {
            adjustment_type: AdjustmentType::PercentChangeInCapacity,
            adjustment: -25,
            cooldown: Some(Duration::ZERO),
            min_adjustment_magnitude: None,
        })
        .unwrap();
    let low = AlarmConfig::new(Comparison::LessThan, value(10), 1);
    g.put_alarm(t(0), m, low, minus3).unwrap();
    g.put_alarm(t(0), m, low, quarter).unwrap();
    g.record(t(30), m, None, value(1)).unwrap();
    tick(&mut g, t(60), &T1);
    assert_eq!(g.desired(), 6);
}

fn tracking(metric: u8, target: i64, disable_scale_in: bool) -> ScalingPolicy {
    ScalingPolicy::TargetTracking {
        metric,
        tracking: TargetTracking {
            target: value(target),
            disable_scale_in,
        },
        warmup: None,
        hpa: None,
    }
}

/// Target tracking at `target` run by the Kubernetes HPA algorithm, with `behavior` or the
/// upstream defaults.
fn hpa_tracking(metric: u8, target: i64, behavior: Option<Behavior>) -> ScalingPolicy {
    ScalingPolicy::TargetTracking {
        metric,
        tracking: TargetTracking {
            target: value(target),
            disable_scale_in: false,
        },
        warmup: None,
        hpa: Some(behavior),
    }
}

#[test]
fn target_tracking_scales_out_proportionally_and_in_when_well_below() {
    let mut g = settled(2, 120);
    let m = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    g.put_scaling_policy(tracking(m, 50, false)).unwrap();
    // Members settled at 120 s. From minute 2 a demand of 180 spreads over the members in
    // service: 90 % each on two. AlarmHigh needs 3 datapoints above target.
    let spread = |total: i64| move |_, n: i64| total / n;
    run(&mut g, m, 0, 2, |_, _| 10);
    run(&mut g, m, 2, 2, spread(180));
    assert_eq!(g.desired(), 2, "two datapoints above target are not enough");
    run(&mut g, m, 4, 1, spread(180));
    // ⌈2 × 90 / 50⌉ = ⌈3.6⌉ = 4 (adding rounds up).
    assert_eq!(g.desired(), 4);
    // A burst keeps the settled members at 90 % while the two new ones warm up: the alarm
    // repeats, but warming members count toward desired, so nothing more launches.
    run(&mut g, m, 5, 1, |_, _| 90);
    assert_eq!(g.desired(), 4);
    run(&mut g, m, 6, 1, spread(180));
    assert_eq!(g.desired(), 4);
    // Demand falls to 80: 20 % each, under 0.7 × 50 = 35 for 15 datapoints, then in to
    // ⌈4 × 20 / 50⌉ = 2 (removing 2.4 rounds down to 2).
    run(&mut g, m, 7, 14, spread(80));
    assert_eq!(g.desired(), 4, "fourteen datapoints below are not enough");
    run(&mut g, m, 21, 1, spread(80));
    assert_eq!(g.desired(), 2);
    let (high, low) = g.tracking_alarms(0).unwrap();
    assert_eq!(
        (high.state(), low.state()),
        (AlarmState::Ok, AlarmState::Alarm)
    );
}

/// A target-tracking policy put after the first one's alarms exist gets its own pair at the
/// next tick (the host's tick skips the creation once every pair exists: not before).
#[test]
fn a_later_tracking_policy_gets_its_alarms_at_the_next_tick() {
    let mut g = settled(2, 0);
    let cpu = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    let net = g.put_metric("NetworkIn", MINUTE, Source::Members).unwrap();
    g.put_scaling_policy(tracking(cpu, 50, false)).unwrap();
    run(&mut g, cpu, 0, 2, |_, _| 10);
    assert!(g.tracking_alarms(0).is_some());
    g.put_scaling_policy(tracking(net, 50, false)).unwrap();
    assert!(
        g.tracking_alarms(1).is_none(),
        "created at the tick, not when put"
    );
    run(&mut g, cpu, 2, 1, |_, _| 10);
    assert!(g.tracking_alarms(1).is_some());
}

/// Four settled members, target tracking at 50 on CPU and on network (scale-in disabled on
/// the network policy when asked), both reported for 20 minutes; returns desired.
fn two_policies(network_scale_in_disabled: bool, cpu_load: i64, network_load: i64) -> u32 {
    let mut g = settled(4, 0);
    let cpu = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    let net = g.put_metric("NetworkIn", MINUTE, Source::Members).unwrap();
    g.put_scaling_policy(tracking(cpu, 50, false)).unwrap();
    g.put_scaling_policy(tracking(net, 50, network_scale_in_disabled))
        .unwrap();
    for k in 0..20u64 {
        let at = t(k * 60 + 30);
        g.record_in_service(at, cpu, value(cpu_load)).unwrap();
        g.record_in_service(at, net, value(network_load)).unwrap();
        settle(&mut g, t((k + 1) * 60));
    }
    g.desired()
}

#[test]
fn disable_scale_in_and_the_all_rule_for_several_policies() {
    // CPU is low, network at target: scale-in needs both, so nothing happens.
    assert_eq!(two_policies(false, 10, 50), 4);
    // One policy with scale-in disabled has no say: the other scales in alone, to
    // ⌈4 × 10 / 50⌉ = 1.
    assert_eq!(two_policies(true, 10, 10), 1);
    assert_eq!(two_policies(false, 10, 10), 1, "both low, both agree");

    let mut g = settled(4, 0);
    let cpu = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    g.put_scaling_policy(tracking(cpu, 50, true)).unwrap();
    // Alone, a policy with scale-in disabled never scales in.
    let mut g = settled(4, 0);
    let cpu = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    g.put_scaling_policy(tracking(cpu, 50, true)).unwrap();
    run(&mut g, cpu, 0, 20, |_, _| 5);
    assert_eq!(g.desired(), 4);
}

#[test]
fn hpa_follows_the_upstream_algorithm_inside_tick() {
    let mut g = settled(2, 0);
    let cpu = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    g.put_scaling_policy(hpa_tracking(cpu, 50, None)).unwrap();
    // Two members at 100 %: ⌈2 × 100 / 50⌉ = 4, within the legacy limit max(2 × 2, 4).
    run(&mut g, cpu, 0, 1, |_, _| 100);
    assert_eq!(g.desired(), 4);
    // Load falls to 10 % on all four: 1 member would do, but the 300 s scale-down
    // stabilisation keeps the highest recommendation of the window.
    run(&mut g, cpu, 1, 4, |_, _| 10);
    assert_eq!(g.desired(), 4, "inside the stabilisation window");
    run(&mut g, cpu, 5, 3, |_, _| 10);
    assert_eq!(g.desired(), 1);
    // Within tolerance (ratio 1.08 ≤ 1.1): nothing changes.
    run(&mut g, cpu, 8, 2, |_, _| 54);
    assert_eq!(g.desired(), 1);
    // The HPA's memory, the metric and its alarms survive a snapshot decoded in place.
    crate::group::inplace::tests::check_restore_into(&g, &settled(3, 0), 3);
}

#[test]
fn hpa_treats_unready_and_missing_members_as_upstream_does() {
    let mut g = settled(4, 0);
    let cpu = g
        .put_metric("CPUUtilization", MINUTE, Source::Members)
        .unwrap();
    g.put_scaling_policy(hpa_tracking(cpu, 50, Some(Behavior::default())))
        .unwrap();
    // Two members report 100 %, two report nothing: scaling up, the missing count as 0 %:
    // ⌈(100 + 100 + 0 + 0) / 50⌉ = 4 = current, so nothing changes.
    let ids: Vec<InstanceId> = g.members().iter().map(Member::id).collect();
    g.record(t(30), cpu, Some(ids[0]), value(100)).unwrap();
    g.record(t(30), cpu, Some(ids[1]), value(100)).unwrap();
    tick(&mut g, t(60), &T1);
    assert_eq!(g.desired(), 4);
    // With 150 % on the two: ⌈300 / 50⌉ = 6.
    g.record(t(70), cpu, Some(ids[0]), value(150)).unwrap();
    g.record(t(70), cpu, Some(ids[1]), value(150)).unwrap();
    tick(&mut g, t(90), &T1);
    assert_eq!(g.desired(), 6);
}

/// Issue 17: a behaviour's scale-up tolerance (Kubernetes 1.33 `tolerance`) reaches the
/// group's calculation: two members at 54 % of 50 % (1.08) hold with the default 0.1 and
/// scale to ⌈2 × 1.08⌉ = 3 with 0.05.
#[test]
fn hpa_behaviour_tolerance_reaches_the_group() {
    let mut behavior = Behavior::default();
    behavior.scale_up.tolerance = Some(crate::scaling::Value::from_milli(50));
    for (b, expected) in [(Behavior::default(), 2), (behavior, 3)] {
        let mut g = settled(2, 0);
        let cpu = g
            .put_metric("CPUUtilization", MINUTE, Source::Members)
            .unwrap();
        g.put_scaling_policy(hpa_tracking(cpu, 50, Some(b)))
            .unwrap();
        run(&mut g, cpu, 0, 1, |_, _| 54);
        assert_eq!(g.desired(), expected);
    }
}

#[test]
fn alarms_change_state_but_nothing_scales_while_alarm_notification_is_suspended() {
    let mut g = settled(2, 0);
    let m = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let p = g.put_scaling_policy(simple(1, Some(0))).unwrap();
    let cfg = AlarmConfig::new(Comparison::GreaterThan, value(100), 1);
    g.put_alarm(t(0), m, cfg, p).unwrap();
    g.suspend(Process::AlarmNotification);
    g.record(t(30), m, None, value(500)).unwrap();
    tick(&mut g, t(60), &T1);
    assert_eq!(g.alarms()[0].alarm.state(), AlarmState::Alarm);
    assert_eq!(g.desired(), 2);
    g.resume(Process::AlarmNotification);
    g.record(t(90), m, None, value(500)).unwrap();
    tick(&mut g, t(120), &T1);
    assert_eq!(g.desired(), 3, "the repeat a minute later runs the policy");
}

#[test]
fn next_deadline_wakes_the_caller_for_alarm_evaluations() {
    let mut g = settled(2, 0);
    assert_eq!(g.next_deadline(), None);
    let m = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let p = g.put_scaling_policy(simple(1, None)).unwrap();
    g.put_alarm(
        t(0),
        m,
        AlarmConfig::new(Comparison::GreaterThan, value(1), 1),
        p,
    )
    .unwrap();
    assert_eq!(g.next_deadline(), Some(Instant::ZERO));
    tick(&mut g, t(10), &T1);
    assert_eq!(g.next_deadline(), Some(t(70)));
}

#[test]
fn bad_metric_input_is_refused_and_changes_nothing() {
    let mut g = settled(2, 0);
    let id = g.members()[0].id();
    assert_eq!(
        g.put_metric("x", Duration::from_secs(45), Source::Group),
        Err(GroupError::Scaling(ScalingError::InvalidPeriod {
            seconds: 45
        }))
    );
    assert_eq!(
        g.put_metric("", MINUTE, Source::Group),
        Err(GroupError::OutOfRange {
            field: "MetricName"
        })
    );
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    let queue = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    assert_eq!(
        g.put_metric("CPU", MINUTE, Source::Group),
        Err(GroupError::DuplicateMetric)
    );
    g.put_metric("Net", MINUTE, Source::Members).unwrap();
    assert_eq!(
        g.put_metric("Disk", MINUTE, Source::Members),
        Err(GroupError::TooManyMetrics),
        "two per-member metrics at most"
    );
    let before = g.clone();
    assert_eq!(
        g.record(t(1), 9, None, value(1)),
        Err(GroupError::UnknownMetric { metric: 9 })
    );
    assert_eq!(
        g.record(t(1), cpu, None, value(1)),
        Err(GroupError::OutOfRange { field: "member" })
    );
    assert_eq!(
        g.record(t(1), queue, Some(id), value(1)),
        Err(GroupError::OutOfRange { field: "member" })
    );
    let stranger = InstanceId::from_u64(0xdead);
    assert_eq!(
        g.record(t(1), cpu, Some(stranger), value(1)),
        Err(GroupError::UnknownMember { id: stranger })
    );
    assert_eq!(g, before, "nothing changed");
}

#[test]
fn bad_policy_and_alarm_input_is_refused_and_changes_nothing() {
    let mut g = settled(2, 0);
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    let queue = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let before = g.clone();
    let bad_target = tracking(cpu, 0, false);
    assert_eq!(
        g.put_scaling_policy(bad_target),
        Err(GroupError::Scaling(ScalingError::InvalidTargetTracking))
    );
    let hpa_on_group_metric = hpa_tracking(queue, 5, None);
    assert_eq!(
        g.put_scaling_policy(hpa_on_group_metric),
        Err(GroupError::Scaling(ScalingError::InvalidTargetTracking))
    );
    let mut behavior = Behavior::default();
    behavior.scale_up.policies[0].period = Duration::from_secs(1801);
    let bad_behavior = hpa_tracking(cpu, 50, Some(behavior));
    assert_eq!(
        g.put_scaling_policy(bad_behavior),
        Err(GroupError::Scaling(ScalingError::InvalidBehavior))
    );
    assert_eq!(g, before, "nothing changed");

    let tt = g.put_scaling_policy(tracking(cpu, 50, false)).unwrap();
    assert_eq!(
        g.execute_policy(t(1), tt, None, false, false),
        Err(GroupError::Scaling(ScalingError::NotExecutable))
    );
    let cfg = AlarmConfig::new(Comparison::GreaterThan, value(1), 1);
    assert_eq!(
        g.put_alarm(t(1), cpu, cfg, tt),
        Err(GroupError::UnknownPolicy { policy: tt }),
        "target tracking owns its alarms"
    );
    let hpa = hpa_tracking(cpu, 50, None);
    g.put_scaling_policy(hpa.clone()).unwrap();
    assert_eq!(
        g.put_scaling_policy(hpa),
        Err(GroupError::Scaling(ScalingError::HpaTaken))
    );
    let p = g.put_scaling_policy(simple(1, None)).unwrap();
    for _ in 0..MAX_ALARMS {
        g.put_alarm(t(1), queue, cfg, p).unwrap();
    }
    assert_eq!(
        g.put_alarm(t(1), queue, cfg, p),
        Err(GroupError::TooManyAlarms)
    );
}

#[test]
fn recording_for_every_member_at_once_matches_one_by_one() {
    let mut one = settled(3, 120);
    let mut all = one.clone();
    let cpu = one.put_metric("CPU", MINUTE, Source::Members).unwrap();
    all.put_metric("CPU", MINUTE, Source::Members).unwrap();
    for at in [t(60), t(130), t(200)] {
        let ids: Vec<InstanceId> = one.members().iter().map(Member::id).collect();
        for id in ids {
            one.record(at, cpu, Some(id), value(70)).unwrap();
        }
        assert_eq!(all.record_in_service(at, cpu, value(70)), Ok(3));
    }
    assert_eq!(one, all);
    let queue = all.put_metric("Queue", MINUTE, Source::Group).unwrap();
    assert_eq!(
        all.record_in_service(t(300), queue, value(1)),
        Err(GroupError::OutOfRange { field: "member" })
    );
}

#[test]
fn the_group_learns_its_load_and_scales_ahead_of_the_forecast_in_tick() {
    use crate::scaling::predictive::{MaxBreach, Mode, PredictiveConfig};
    let mut g = settled(1, 0);
    let load = g.put_metric("Requests", MINUTE, Source::Group).unwrap();
    let mut c = PredictiveConfig::new(value(100));
    c.mode = Mode::ForecastAndScale;
    c.max_breach = MaxBreach::HonorMaxCapacity;
    assert_eq!(
        g.put_predictive_policy(c, 9),
        Err(GroupError::UnknownMetric { metric: 9 })
    );
    let cpu = g.put_metric("CPU", MINUTE, Source::Members).unwrap();
    assert_eq!(
        g.put_predictive_policy(c, cpu),
        Err(GroupError::OutOfRange { field: "metric" })
    );
    g.put_predictive_policy(c, load).unwrap();
    assert_eq!(g.next_deadline(), Some(Instant::ZERO));
    // Two days of history: 200 an hour, 600 at 10:00.
    for h in 0..48u64 {
        let l = if h % 24 == 10 { 600 } else { 200 };
        g.record(t(h * 3600 + 1800), load, None, value(l)).unwrap();
        settle(&mut g, t(h * 3600 + 1800));
    }
    let (_, f) = g.predictive().unwrap();
    assert_eq!(f.span_hours(), 48);
    // Day three, five minutes before 10:00 (the default buffer): out to ⌈600 / 100⌉ = 6.
    // (Day two's 10:00 already scaled to the forecast; set it back by hand.)
    let before = t((48 + 10) * 3600 - 301);
    g.set_desired(before, 1, false).unwrap();
    settle(&mut g, before);
    assert_eq!(g.desired(), 2, "the 09:00 forecast: ⌈200 / 100⌉");
    settle(&mut g, t((48 + 10) * 3600 - 300));
    assert_eq!(g.desired(), 6);
    // The next plan is due five minutes before 11:00.
    assert_eq!(g.next_deadline(), Some(t((48 + 11) * 3600 - 300)));

    // Forecast-only learns but never scales.
    let mut g = settled(1, 0);
    let load = g.put_metric("Requests", MINUTE, Source::Group).unwrap();
    g.put_predictive_policy(PredictiveConfig::new(value(100)), load)
        .unwrap();
    for h in 0..48u64 {
        g.record(t(h * 3600), load, None, value(900)).unwrap();
        settle(&mut g, t(h * 3600));
    }
    settle(&mut g, t(48 * 3600));
    assert_eq!(g.desired(), 1);
    assert_eq!(g.predictive().unwrap().1.forecast(48), Some(value(900)));
    // Its history and plan survive a snapshot decoded in place.
    crate::group::inplace::tests::check_restore_into(&g, &settled(2, 0), 7);
}

#[test]
fn sizes_are_reported() {
    use core::mem::size_of;
    println!(
        "size_of: Group<16, crate::group::AllParts<16, 4>> = {} B, Group<64> = {} B, Member = {} B, ScheduledAction = {} B, \
         Dynamic = {} B, Forecaster = {} B, Autoscaler = {} B, GroupMetric = {} B",
        size_of::<Group<16, crate::group::AllParts<16, 4>>>(),
        size_of::<Group<64>>(),
        size_of::<Member>(),
        size_of::<ScheduledAction>(),
        size_of::<super::super::dynamic::Dynamic<crate::group::Full>>(),
        size_of::<crate::scaling::predictive::Forecaster>(),
        size_of::<crate::scaling::hpa::Autoscaler>(),
        size_of::<GroupMetric>(),
    );
    // A member keeps only what every group needs; its samples live in the HPA part.
    assert!(size_of::<Member>() <= 64);
}

/// Issue 17, defect 1: a forecast of 10 and an alarm-driven simple policy of −9 used to
/// terminate 9 members and launch 9 at every hour boundary. The group uses the larger of the
/// predictive and dynamic capacities at every moment (SEMANTICS §3.4), so once at the
/// forecast it stays there, and a manual `ExecutePolicy` cannot go under it either.
#[test]
fn predictive_and_dynamic_scaling_do_not_churn() {
    use crate::scaling::predictive::{Mode, PredictiveConfig};
    let mut g = settled(1, 0);
    let load = g.put_metric("Requests", MINUTE, Source::Group).unwrap();
    let mut c = PredictiveConfig::new(value(100));
    c.mode = Mode::ForecastAndScale;
    g.put_predictive_policy(c, load).unwrap();
    // Two days of 1,000 requests an hour: a forecast of 10 members.
    for h in 0..48u64 {
        g.record(t(h * 3600 + 1800), load, None, value(1000))
            .unwrap();
        settle(&mut g, t(h * 3600 + 1800));
    }
    assert_eq!(g.desired(), 10, "day two already ran at the forecast");
    let queue = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let minus9 = g
        .put_scaling_policy(ScalingPolicy::Simple {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            adjustment: -9,
            cooldown: Some(Duration::ZERO),
            min_adjustment_magnitude: None,
        })
        .unwrap();
    let empty = AlarmConfig::new(Comparison::LessThan, value(10), 1);
    g.put_alarm(t(48 * 3600), queue, empty, minus9).unwrap();
    let (mut launched, mut terminated) = (0, 0);
    // Five hours, a minute at a time, with the queue empty (the alarm always in ALARM).
    for k in 0..300u64 {
        let now = t(48 * 3600 + k * 60 + 60);
        g.record(t(48 * 3600 + k * 60 + 30), queue, None, value(0))
            .unwrap();
        let out = tick(&mut g, now, &T1);
        launched += launches(&out);
        terminated += terminated_ids(&out);
        play(&mut g, now, &out);
        assert_eq!(g.desired(), 10, "minute {k}");
    }
    assert_eq!((launched, terminated), (0, 0));
    let now = t(48 * 3600 + 301 * 60);
    g.execute_policy(now, minus9, None, false, false).unwrap();
    assert_eq!(g.desired(), 10, "ExecutePolicy stops at the forecast too");
}

fn terminated_ids(out: &Out) -> usize {
    terminated(out).len()
}

// ----- issue 17 defect 2: the cooldown starts when the activity ends, at the time reported --

#[test]
fn cooldown_starts_at_the_reported_boot_not_at_the_next_tick() {
    // Boot reported at 10 s, cooldown 100 s, next tick at 60 s: the cooldown ends at 110 s
    // (SEMANTICS §2.5), and `next_deadline` says so.
    let mut g = settled(2, 0);
    let p = g.put_scaling_policy(simple(1, Some(100))).unwrap();
    assert_eq!(
        g.execute_policy(t(0), p, None, false, true),
        Ok(Executed::Changed { from: 2, to: 3 })
    );
    let out = tick(&mut g, t(0), &T1);
    let id = out
        .iter()
        .find_map(|a| match *a {
            Action::Launch { id, .. } => Some(id),
            _ => None,
        })
        .unwrap();
    assert!(g.in_cooldown(t(5)), "while the launch runs");
    g.observe(t(10), Event::Booted(id)).unwrap();
    assert!(g.in_cooldown(t(109)));
    assert!(
        !g.in_cooldown(t(110)),
        "the cooldown ran from the boot at 10 s"
    );
    assert!(tick(&mut g, t(60), &T1).is_empty());
    assert!(
        !g.in_cooldown(t(110)),
        "a tick in between does not restart it"
    );
    assert_eq!(g.next_deadline(), Some(t(110)));
    assert_eq!(
        g.execute_policy(t(110), p, None, false, true),
        Ok(Executed::Changed { from: 3, to: 4 })
    );
}

#[test]
fn cooldown_starts_when_the_last_termination_is_reported() {
    let mut g = settled(3, 0);
    let p = g.put_scaling_policy(simple(-2, Some(100))).unwrap();
    assert_eq!(
        g.execute_policy(t(0), p, None, false, true),
        Ok(Executed::Changed { from: 3, to: 1 })
    );
    let gone: Vec<InstanceId> = tick(&mut g, t(0), &T1)
        .iter()
        .filter_map(|a| match *a {
            Action::Terminate { id } => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(gone.len(), 2);
    g.observe(t(5), Event::Terminated(gone[0])).unwrap();
    assert!(g.in_cooldown(t(200)), "one termination still runs");
    g.observe(t(20), Event::Terminated(gone[1])).unwrap();
    assert!(g.in_cooldown(t(119)));
    assert!(!g.in_cooldown(t(120)), "from the last termination at 20 s");
    assert_eq!(g.next_deadline(), Some(t(120)));
}

#[test]
fn cooldown_zero_refires_at_every_evaluation_while_the_alarm_stays() {
    // The alarm stays in ALARM; each launch boots 10 s after the tick that decided it. With
    // cooldown 0 the policy runs again at the next minute's evaluation (SEMANTICS §3.5: Auto
    // Scaling actions are re-invoked once a minute), not every other minute.
    let mut g = settled(2, 0);
    let m = g.put_metric("Queue", MINUTE, Source::Group).unwrap();
    let p = g.put_scaling_policy(simple(1, Some(0))).unwrap();
    let cfg = AlarmConfig::new(Comparison::GreaterThan, value(100), 1);
    g.put_alarm(t(0), m, cfg, p).unwrap();
    let mut sizes = Vec::new();
    for k in 1..=6u64 {
        g.record(t(k * 60 - 30), m, None, value(500)).unwrap();
        let out = tick(&mut g, t(k * 60), &T1);
        play(&mut g, t(k * 60 + 10), &out);
        sizes.push(g.desired());
    }
    assert_eq!(sizes, [3, 4, 5, 6, 7, 8]);
}
