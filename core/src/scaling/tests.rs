//! Metrics and alarms against SEMANTICS §3.5.

// Test arithmetic works on small known numbers.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::Error;
use crate::scaling::ScalingError;
use crate::scaling::alarm::BreachTest;
use crate::test_prelude::*;
use crate::time::{Duration, Instant};

const MIN: Duration = Duration::from_secs(60);

fn t(s: u64) -> Instant {
    Instant::from_secs(s)
}

fn v(x: i64) -> Value {
    Value::from_int(x)
}

/// A one-minute metric with the given value per slot (`None` = no datapoint), slot 0 first.
fn metric(values: &[Option<i64>]) -> Metric<16> {
    let mut m = Metric::new(MIN).unwrap();
    for (slot, x) in values.iter().enumerate() {
        if let Some(x) = x {
            m.record(t(u64::try_from(slot).unwrap() * 60 + 1), v(*x))
                .unwrap();
        }
    }
    m
}

/// Evaluates at the start of the period after the last one given, so every slot is complete.
fn eval(config: AlarmConfig, values: &[Option<i64>]) -> AlarmState {
    let m = metric(values);
    let mut a = Alarm::new(t(0), config, MIN).unwrap();
    a.evaluate(t(u64::try_from(values.len()).unwrap() * 60), &m)
        .unwrap();
    a.state()
}

fn above(threshold: i64, n: u32) -> AlarmConfig {
    AlarmConfig::new(Comparison::GreaterThan, v(threshold), n)
}

#[test]
fn values_print_like_the_service() {
    assert_eq!(Value::from_milli(37_500).to_string(), "37.5");
    assert_eq!(Value::from_milli(-250).to_string(), "-0.25");
    assert_eq!(Value::from_int(12).to_string(), "12");
    assert_eq!(Value::from_milli(1).to_string(), "0.001");
}

#[test]
fn periods_are_10_20_30_or_whole_minutes() {
    for s in [10, 20, 30, 60, 120, 3600] {
        assert!(check_period(Duration::from_secs(s)).is_ok(), "{s}");
    }
    for s in [0, 5, 15, 45, 90] {
        let e = check_period(Duration::from_secs(s)).unwrap_err();
        assert_eq!(e, ScalingError::InvalidPeriod { seconds: s });
        assert_eq!(e.code(), 1200);
    }
}

#[test]
fn datapoints_aggregate_every_statistic() {
    let mut m: Metric<4> = Metric::new(MIN).unwrap();
    for (at, x) in [(1, 10), (20, 30), (59, 20), (61, 99)] {
        m.record(t(at), v(x)).unwrap();
    }
    let p = m.point(0).unwrap();
    assert_eq!(p.statistic(Statistic::SampleCount), v(3));
    assert_eq!(p.statistic(Statistic::Sum), v(60));
    assert_eq!(p.statistic(Statistic::Average), v(20));
    assert_eq!(p.statistic(Statistic::Minimum), v(10));
    assert_eq!(p.statistic(Statistic::Maximum), v(30));
    assert_eq!(m.point(1).unwrap().count, 1);
    // Averages round toward zero at the thousandth: (1 + 2) / 2 = 1.5, 10 / 3 = 3.333.
    let mut m: Metric<4> = Metric::new(MIN).unwrap();
    m.record(t(0), Value::from_milli(10_000)).unwrap();
    m.record(t(1), Value::from_milli(0)).unwrap();
    m.record(t(2), Value::from_milli(0)).unwrap();
    assert_eq!(
        m.point(0).unwrap().statistic(Statistic::Average),
        Value::from_milli(3_333)
    );
}

#[test]
fn the_store_keeps_the_last_periods_in_order() {
    let mut m: Metric<3> = Metric::new(MIN).unwrap();
    for slot in [2u64, 0, 1] {
        m.record(t(slot * 60), v(1)).unwrap();
    }
    let slots: heapless::Vec<u64, 3> = m.points().map(|p| p.slot).collect();
    assert_eq!(slots.as_slice(), &[0, 1, 2]);
    m.record(t(5 * 60), v(1)).unwrap();
    let slots: heapless::Vec<u64, 3> = m.points().map(|p| p.slot).collect();
    assert_eq!(slots.as_slice(), &[1, 2, 5]);
    let before = m.clone();
    assert_eq!(m.record(t(0), v(1)), Err(ScalingError::TooOld));
    assert_eq!(m, before);
}

#[test]
fn a_new_alarm_starts_in_insufficient_data() {
    let a = Alarm::new(t(0), above(50, 3), MIN).unwrap();
    assert_eq!(a.state(), AlarmState::InsufficientData);
    assert_eq!(a.state().to_string(), "INSUFFICIENT_DATA");
}

#[test]
fn three_of_three_breaching_alarms_and_actions_repeat_every_minute() {
    let m = metric(&[Some(60), Some(70), Some(80)]);
    let mut a = Alarm::new(t(0), above(50, 3), MIN).unwrap();
    assert!(a.evaluate(t(180), &m).unwrap(), "action on entering ALARM");
    assert_eq!(a.state(), AlarmState::Alarm);
    assert_eq!(a.next_evaluation(), t(240));
    // Still in ALARM a minute later (the newest three real points still breach).
    assert!(a.evaluate(t(240), &m).unwrap(), "re-invoked once a minute");
    assert!(
        !a.evaluate(t(270), &m).unwrap(),
        "not twice within a minute"
    );
    assert!(a.evaluate(t(300), &m).unwrap());
}

#[test]
fn m_out_of_n_need_not_be_consecutive() {
    let mut c = above(50, 3);
    c.datapoints_to_alarm = Some(2);
    assert_eq!(eval(c, &[Some(60), Some(10), Some(70)]), AlarmState::Alarm);
    assert_eq!(eval(c, &[Some(60), Some(10), Some(20)]), AlarmState::Ok);
    // Only the three most recent real points count.
    assert_eq!(
        eval(c, &[Some(90), Some(90), Some(10), Some(10), Some(70)]),
        AlarmState::Ok
    );
}

#[test]
fn comparison_operators() {
    for (op, x, breaches) in [
        (Comparison::GreaterThanOrEqual, 50, true),
        (Comparison::GreaterThan, 50, false),
        (Comparison::LessThan, 50, false),
        (Comparison::LessThanOrEqual, 50, true),
        (Comparison::LessThan, 49, true),
    ] {
        assert_eq!(op.breaches(v(x), v(50)), breaches, "{op:?} {x}");
    }
}

#[test]
fn all_missing_follows_the_treatment() {
    for (treat, want) in [
        (MissingData::Missing, AlarmState::InsufficientData),
        (MissingData::Ignore, AlarmState::InsufficientData), // keeps the state it had
        (MissingData::Breaching, AlarmState::Alarm),
        (MissingData::NotBreaching, AlarmState::Ok),
    ] {
        let mut c = above(50, 3);
        c.missing_data = treat;
        assert_eq!(eval(c, &[None, None, None, None, None]), want, "{treat:?}");
    }
    // `ignore` keeps ALARM through a gap; `missing` goes to INSUFFICIENT_DATA.
    let m = metric(&[Some(60), Some(70), Some(80)]);
    for treat in [MissingData::Ignore, MissingData::Missing] {
        let mut c = above(50, 3);
        c.missing_data = treat;
        let mut a = Alarm::new(t(0), c, MIN).unwrap();
        a.evaluate(t(180), &m).unwrap();
        assert_eq!(a.state(), AlarmState::Alarm);
        a.evaluate(t(20 * 60), &m).unwrap();
        let want = if treat == MissingData::Ignore {
            AlarmState::Alarm
        } else {
            AlarmState::InsufficientData
        };
        assert_eq!(a.state(), want, "{treat:?}");
    }
}

#[test]
fn missing_slots_are_filled_only_when_real_points_are_short() {
    // Two real points out of three: breaching fills the gap, notBreaching does not.
    let values = [Some(60), None, Some(70)];
    let mut c = above(50, 3);
    c.missing_data = MissingData::Breaching;
    assert_eq!(eval(c, &values), AlarmState::Alarm);
    c.missing_data = MissingData::NotBreaching;
    assert_eq!(eval(c, &values), AlarmState::Ok);
    // With N real points in the range the setting is not used.
    c.missing_data = MissingData::Breaching;
    assert_eq!(
        eval(c, &[Some(10), Some(10), None, Some(10)]),
        AlarmState::Ok
    );
}

#[test]
fn the_premature_alarm_guard() {
    let c = above(50, 3);
    // `- - - - X`: one fresh breaching point does not alarm.
    assert_eq!(
        eval(c, &[None, None, None, None, Some(90)]),
        AlarmState::InsufficientData
    );
    // `- - X - -`: a breaching point three periods old, nothing but gaps since, alarms.
    assert_eq!(
        eval(c, &[None, None, Some(90), None, None]),
        AlarmState::Alarm
    );
    // A real non-breaching point after it means OK.
    assert_eq!(
        eval(c, &[None, None, Some(90), Some(10), None]),
        AlarmState::Ok
    );
}

#[test]
fn alarm_configs_are_validated() {
    let mut c = above(50, 0);
    assert_eq!(
        Alarm::new(t(0), c, MIN).unwrap_err(),
        ScalingError::InvalidEvaluation { n: 0, m: 0 }
    );
    c.evaluation_periods = 3;
    c.datapoints_to_alarm = Some(4);
    assert!(Alarm::new(t(0), c, MIN).is_err());
    c.datapoints_to_alarm = None;
    c.evaluation_periods = 1441; // more than a day of minutes
    assert!(Alarm::new(t(0), c, MIN).is_err());
    c.evaluation_periods = 168; // a week of hours
    assert!(Alarm::new(t(0), c, Duration::from_hours(1)).is_ok());
    let a = Alarm::new(t(0), above(50, 3), Duration::from_secs(10)).unwrap();
    assert_eq!(a.evaluation_interval(), Duration::from_secs(10));
    let mut b = Alarm::new(t(0), above(50, 3), MIN).unwrap();
    let other: Metric<4> = Metric::new(Duration::from_secs(120)).unwrap();
    assert_eq!(
        b.evaluate(t(600), &other),
        Err(ScalingError::PeriodMismatch)
    );
}

// ----- adjustments and steps (SEMANTICS §3.1, §3.2) ------------------------------------------

#[test]
fn percent_changes_round_as_documented() {
    let pct = |p: i32, current: u32| {
        target_capacity(
            AdjustmentType::PercentChangeInCapacity,
            p,
            None,
            current,
            current,
        )
        .unwrap()
    };
    // The worked examples.
    assert_eq!(pct(10, 10), 11, "10 % of 10 = +1");
    assert_eq!(pct(30, 11), 14, "30 % of 11 = 3.3 -> +3");
    assert_eq!(pct(-10, 14), 13, "-10 % of 14 = -1.4 -> -1");
    assert_eq!(pct(-30, 13), 10, "-30 % of 13 = -3.9 -> -3");
    // Above 1 rounds down, between 0 and 1 is 1, between -1 and 0 is -1.
    assert_eq!(pct(127, 10), 22, "12.7 -> 12");
    assert_eq!(pct(5, 10), 11, "0.5 -> 1");
    assert_eq!(pct(-5, 10), 9, "-0.5 -> -1");
    assert_eq!(pct(-667, 1), 0, "-6.67 -> -6, floored at 0");
    assert_eq!(pct(0, 10), 10);
}

#[test]
fn min_adjustment_magnitude_raises_small_percent_changes() {
    let t = |p, mam, current| {
        target_capacity(
            AdjustmentType::PercentChangeInCapacity,
            p,
            mam,
            current,
            current,
        )
    };
    assert_eq!(t(25, Some(2), 4), Ok(6), "25 % of 4 = 1, at least 2");
    assert_eq!(t(-25, Some(2), 4), Ok(2));
    assert_eq!(t(50, Some(2), 10), Ok(15), "5 is already above 2");
    assert_eq!(
        target_capacity(AdjustmentType::ChangeInCapacity, 1, Some(2), 4, 4),
        Err(ScalingError::InvalidAdjustment)
    );
}

#[test]
fn change_and_exact_capacity() {
    assert_eq!(
        target_capacity(AdjustmentType::ChangeInCapacity, 3, None, 2, 2),
        Ok(5)
    );
    assert_eq!(
        target_capacity(AdjustmentType::ChangeInCapacity, -5, None, 2, 2),
        Ok(0)
    );
    assert_eq!(
        target_capacity(AdjustmentType::ExactCapacity, 7, None, 2, 2),
        Ok(7)
    );
    assert_eq!(
        target_capacity(AdjustmentType::ExactCapacity, -1, None, 2, 2)
            .unwrap_err()
            .code(),
        1204
    );
}

fn step(lower: Option<i64>, upper: Option<i64>, adjustment: i32) -> StepAdjustment {
    StepAdjustment {
        lower: lower.map(v),
        upper: upper.map(v),
        adjustment,
    }
}

#[test]
fn steps_use_bounds_relative_to_the_threshold() {
    // Threshold 50: [0, 10) is 50 <= m < 60, [10, +inf) is m >= 60.
    let out = [step(Some(0), Some(10), 1), step(Some(10), None, 3)];
    validate_steps(&out).unwrap();
    let pick = |m: i64| select_step(&out, v(m), v(50)).map(|s| s.adjustment);
    assert_eq!(pick(50), Some(1));
    assert_eq!(pick(59), Some(1));
    assert_eq!(pick(60), Some(3));
    assert_eq!(pick(49), None);
    // Below the threshold: (-10, 0] is 40 < m <= 50, (-inf, -10] is m <= 40.
    let inn = [step(Some(-10), Some(0), -1), step(None, Some(-10), -2)];
    validate_steps(&inn).unwrap();
    let pick = |m: i64| select_step(&inn, v(m), v(50)).map(|s| s.adjustment);
    assert_eq!(pick(50), Some(-1));
    assert_eq!(pick(41), Some(-1));
    assert_eq!(pick(40), Some(-2));
    assert_eq!(pick(51), None);
}

#[test]
fn invalid_steps_are_rejected() {
    let bad: [&[StepAdjustment]; 7] = [
        &[],
        &[step(Some(0), Some(10), 1), step(Some(20), None, 2)], // gap
        &[step(Some(0), Some(20), 1), step(Some(10), None, 2)], // overlap
        &[step(None, None, 1)],                                 // both open
        &[step(None, Some(0), 1), step(None, Some(-5), 1)],     // two open lower ends
        &[step(Some(-5), Some(0), -1)],                         // negative lower, no open lower
        &[step(Some(0), Some(10), 1)],                          // positive upper, no open upper
    ];
    for steps in bad {
        assert_eq!(
            validate_steps(steps),
            Err(ScalingError::InvalidSteps),
            "{steps:?}"
        );
    }
    let many = [step(Some(0), None, 1); 21];
    assert_eq!(validate_steps(&many), Err(ScalingError::InvalidSteps));
}

// ----- Kubernetes HPA ------------------------------------------------------------------------

mod hpa_tests {
    use super::super::hpa::*;
    use super::{t, v};
    use crate::time::Duration;

    fn ready(values: &[i64]) -> heapless::Vec<MemberMetric, 16> {
        values.iter().map(|x| MemberMetric::Ready(v(*x))).collect()
    }

    #[test]
    fn proportional_with_tolerance() {
        assert_eq!(
            desired_replicas(4, &ready(&[80, 80, 80, 80]), v(50)),
            7,
            "6.4 -> 7"
        );
        assert_eq!(
            desired_replicas(2, &ready(&[52, 52]), v(50)),
            2,
            "1.04 is within 0.1"
        );
        assert_eq!(
            desired_replicas(2, &ready(&[56, 56]), v(50)),
            3,
            "1.12 is not"
        );
        assert_eq!(desired_replicas(4, &ready(&[10, 10, 10, 10]), v(50)), 1);
        assert_eq!(desired_replicas(3, &[], v(50)), 3, "no metrics: no change");
    }

    #[test]
    fn missing_members_dampen_both_directions() {
        let mut up = ready(&[100, 100]);
        up.extend([MemberMetric::Missing, MemberMetric::Missing]);
        // Scaling up, missing members count as 0: 200 / (4 x 50) = 1.0, no change.
        assert_eq!(desired_replicas(4, &up, v(50)), 4);
        let mut down = ready(&[10, 10]);
        down.extend([MemberMetric::Missing, MemberMetric::Missing]);
        // Scaling down, missing members count as 100 % of their capacity (upstream's
        // max(100 %, target)): (20 + 200) / 4 = 55 % of 50 % reverses the direction, no change.
        assert_eq!(desired_replicas(4, &down, v(50)), 4);
        let mut down = ready(&[10, 10, 10]);
        down.push(MemberMetric::Missing).unwrap();
        // (30 + 100) / 4 = 32 % (32.5 truncated): 0.64 x 4 = 2.56 -> 3.
        assert_eq!(desired_replicas(4, &down, v(50)), 3);
    }

    #[test]
    fn unready_members_count_as_zero_when_scaling_up_only() {
        let mut up = ready(&[150, 150]);
        up.extend([MemberMetric::Unready, MemberMetric::Unready]);
        // 300 / (4 x 50) = 1.5 -> ceil(300 / 50) = 6.
        assert_eq!(desired_replicas(4, &up, v(50)), 6);
        let mut down = ready(&[10, 10]);
        down.extend([MemberMetric::Unready, MemberMetric::Unready]);
        assert_eq!(
            desired_replicas(4, &down, v(50)),
            1,
            "ignored when scaling down"
        );
    }

    #[test]
    fn legacy_defaults_limit_scale_up_and_stabilise_scale_down() {
        let mut a = Autoscaler::new(None);
        assert_eq!(a.normalize(t(0), 1, 20, 1, 100), 4, "max(2 x 1, 4)");
        assert_eq!(a.normalize(t(15), 10, 50, 1, 100), 20, "2 x 10");
        // Down: the highest recommendation of the last 300 s holds.
        let mut a = Autoscaler::new(None);
        assert_eq!(a.normalize(t(0), 10, 10, 1, 100), 10);
        assert_eq!(a.normalize(t(60), 10, 2, 1, 100), 10);
        assert_eq!(
            a.normalize(t(300), 10, 2, 1, 100),
            10,
            "the sample at the cutoff still counts"
        );
        assert_eq!(a.normalize(t(301), 10, 2, 1, 100), 2);
    }

    fn rules(
        select: SelectPolicy,
        window: u64,
        policies: &[(PolicyKind, u32, u64)],
    ) -> ScalingRules {
        ScalingRules {
            stabilization: Duration::from_secs(window),
            select,
            policies: policies
                .iter()
                .map(|&(kind, value, p)| RatePolicy {
                    kind,
                    value,
                    period: Duration::from_secs(p),
                })
                .collect(),
            tolerance: None,
        }
    }

    #[test]
    fn rate_policies_limit_each_period() {
        let b = Behavior {
            scale_up: rules(SelectPolicy::Max, 0, &[(PolicyKind::Pods, 4, 60)]),
            scale_down: ScalingRules::default_down(),
        };
        let mut a = Autoscaler::new(Some(b));
        assert_eq!(a.normalize(t(0), 1, 20, 1, 100), 5);
        assert_eq!(
            a.normalize(t(30), 5, 20, 1, 100),
            5,
            "4 already added in this period"
        );
        assert_eq!(a.normalize(t(61), 5, 20, 1, 100), 9);
    }

    #[test]
    fn select_policy_max_min_and_disabled() {
        let both = [(PolicyKind::Pods, 4, 15), (PolicyKind::Percent, 100, 15)];
        let up = |select| {
            let b = Behavior {
                scale_up: rules(select, 0, &both),
                scale_down: ScalingRules::default_down(),
            };
            Autoscaler::new(Some(b)).normalize(t(0), 10, 100, 1, 100)
        };
        assert_eq!(up(SelectPolicy::Max), 20, "100 % of 10 beats 4 pods");
        assert_eq!(up(SelectPolicy::Min), 14);
        assert_eq!(up(SelectPolicy::Disabled), 10);
        let down = |select| {
            let b = Behavior {
                scale_up: ScalingRules::default_up(),
                scale_down: rules(
                    select,
                    0,
                    &[(PolicyKind::Pods, 2, 60), (PolicyKind::Percent, 50, 60)],
                ),
            };
            Autoscaler::new(Some(b)).normalize(t(0), 10, 1, 1, 100)
        };
        assert_eq!(down(SelectPolicy::Max), 5, "50 % removes more than 2 pods");
        assert_eq!(down(SelectPolicy::Min), 8);
        assert_eq!(down(SelectPolicy::Disabled), 10);
    }

    #[test]
    fn stabilisation_windows_and_clamping() {
        let b = Behavior {
            scale_up: rules(SelectPolicy::Max, 60, &[(PolicyKind::Percent, 900, 15)]),
            scale_down: rules(SelectPolicy::Max, 120, &[(PolicyKind::Percent, 100, 15)]),
        };
        let mut a = Autoscaler::new(Some(b));
        // Up: the lowest recommendation of the last 60 s wins.
        assert_eq!(a.normalize(t(0), 2, 2, 1, 50), 2);
        assert_eq!(
            a.normalize(t(30), 2, 8, 1, 50),
            2,
            "2 was recommended within 60 s"
        );
        assert_eq!(a.normalize(t(61), 2, 8, 1, 50), 8);
        // Down: the highest of the last 120 s.
        assert_eq!(a.normalize(t(100), 8, 3, 1, 50), 8);
        assert_eq!(a.normalize(t(182), 8, 3, 1, 50), 3);
        // Clamped to [min, max].
        assert_eq!(a.normalize(t(400), 3, 100, 1, 6), 6);
    }
}

// ----- target tracking and combination -------------------------------------------------------

mod target_tests {
    use super::super::target::*;
    use super::v;
    use crate::scaling::{AdjustmentType, Comparison, Value, target_capacity};

    fn tt(target: i64) -> TargetTracking {
        TargetTracking {
            target: v(target),
            disable_scale_in: false,
        }
    }

    #[test]
    fn the_policy_owns_its_two_alarms() {
        let (high, low) = tt(50).alarms();
        assert_eq!(
            (high.comparison, high.threshold, high.evaluation_periods),
            (Comparison::GreaterThan, v(50), 3)
        );
        assert_eq!(
            (low.comparison, low.threshold, low.evaluation_periods),
            (Comparison::LessThan, v(35), 15)
        );
        assert_eq!(tt(90).alarms().1.threshold, v(63));
    }

    #[test]
    fn proportional_out_and_in() {
        assert_eq!(tt(50).recommend(4, v(75)), Recommendation::Out(6));
        assert_eq!(
            tt(50).recommend(3, v(75)),
            Recommendation::Out(5),
            "4.5 -> 5"
        );
        assert_eq!(tt(50).recommend(10, v(20)), Recommendation::In(4));
        assert_eq!(tt(50).recommend(4, v(50)), Recommendation::Hold);
        assert_eq!(
            tt(50).recommend(1, Value::from_milli(100)),
            Recommendation::Hold,
            "never below 1"
        );
        let no_in = TargetTracking {
            disable_scale_in: true,
            ..tt(50)
        };
        assert_eq!(no_in.recommend(10, v(20)), Recommendation::Hold);
    }

    #[test]
    fn out_if_any_in_only_if_all() {
        use Recommendation::{Hold, In, Out};
        assert_eq!(combine(&[In(3), Out(7), Out(6)]), Out(7));
        assert_eq!(combine(&[In(3), In(5)]), In(5), "the smallest reduction");
        assert_eq!(combine(&[In(3), Hold]), Hold);
        assert_eq!(combine(&[]), Hold);
    }

    #[test]
    fn the_largest_resulting_capacity_wins() {
        // At 8: "-3" gives 5 and "-25 %" gives 6; 6 wins (SEMANTICS §3.4).
        let a = target_capacity(AdjustmentType::ChangeInCapacity, -3, None, 8, 8).unwrap();
        let b = target_capacity(AdjustmentType::PercentChangeInCapacity, -25, None, 8, 8).unwrap();
        assert_eq!((a, b), (5, 6));
        assert_eq!(largest(&[a, b]), Some(6));
    }
}

// ----- cron ----------------------------------------------------------------------------------

mod cron_tests {
    use crate::scaling::ScalingError;
    use crate::scaling::cron::{Cron, CronField, Utc};
    use crate::scaling::tz::{TimeZone, days_from_civil};
    use crate::test_prelude::*;
    use crate::time::Instant;

    /// 2024-01-01T00:00:00Z, a Monday.
    const JAN1: u64 = 1_704_067_200;

    fn at(secs: u64) -> Instant {
        Instant::from_secs(secs)
    }

    fn next(expr: &str, from: u64) -> String {
        let c = Cron::parse(expr).unwrap();
        c.next_after(at(from), &TimeZone::UTC)
            .map_or("never".into(), |t| Utc(t).to_string())
    }

    #[test]
    fn recurrences_find_their_next_minute() {
        assert_eq!(Utc(at(JAN1)).to_string(), "2024-01-01T00:00:00Z");
        assert_eq!(
            next("30 6 * * 2", JAN1),
            "2024-01-02T06:30:00Z",
            "Tuesday 06:30"
        );
        assert_eq!(
            next("*/15 * * * *", JAN1 + 12 * 3600 + 7 * 60),
            "2024-01-01T12:15:00Z"
        );
        assert_eq!(
            next("0 0 * * *", JAN1),
            "2024-01-02T00:00:00Z",
            "strictly after"
        );
        assert_eq!(
            next("0 0 29 2 *", JAN1 + 60 * 86_400),
            "2028-02-29T00:00:00Z"
        );
        assert_eq!(next("0 0 31 2 *", JAN1), "never");
        assert_eq!(
            next("0 9 * JAN MON-FRI", JAN1 + 10 * 3600),
            "2024-01-02T09:00:00Z"
        );
        assert_eq!(
            next("0 0 * * 7", JAN1),
            "2024-01-07T00:00:00Z",
            "7 is Sunday"
        );
        // Day of month or day of week when both are restricted: the 13th or a Friday.
        assert_eq!(next("0 0 13 * 5", JAN1), "2024-01-05T00:00:00Z");
        assert_eq!(
            next("0 0 13 * 5", JAN1 + 11 * 86_400),
            "2024-01-13T00:00:00Z"
        );
        assert_eq!(next("10-20/5 1 * * *", JAN1), "2024-01-01T01:10:00Z");
    }

    #[test]
    fn offsets_shift_the_local_clock() {
        let c = Cron::parse("0 9 * * *").unwrap();
        let t = c
            .next_after(at(JAN1), &TimeZone::fixed(120).unwrap())
            .unwrap();
        assert_eq!(Utc(t).to_string(), "2024-01-01T07:00:00Z", "09:00 at UTC+2");
        let t = c
            .next_after(at(JAN1), &TimeZone::fixed(-300).unwrap())
            .unwrap();
        assert_eq!(Utc(t).to_string(), "2024-01-01T14:00:00Z", "09:00 at UTC-5");
    }

    /// A UTC instant from a civil date and time.
    fn utc(y: i64, mo: u32, d: u32, h: u64, mi: u64) -> Instant {
        let days = u64::try_from(days_from_civil(y, mo, d)).unwrap();
        Instant::from_secs(days * 86_400 + h * 3600 + mi * 60)
    }

    fn zone(text: &str) -> TimeZone {
        TimeZone::parse(text).unwrap()
    }

    /// The next firing after `from` in `tz`, as UTC text.
    fn next_in(expr: &str, tz: &str, from: Instant) -> String {
        Cron::parse(expr)
            .unwrap()
            .next_after(from, &zone(tz))
            .map_or("never".into(), |t| Utc(t).to_string())
    }

    /// Every firing in `[from, to)`.
    fn firings(expr: &str, tz: &TimeZone, from: Instant, to: Instant) -> Vec<Instant> {
        let c = Cron::parse(expr).unwrap();
        let mut out = Vec::new();
        let mut t = Instant::from_millis(from.total_millis() - 1);
        while let Some(n) = c.next_after(t, tz) {
            assert!(n > t, "strictly after");
            if n >= to {
                break;
            }
            out.push(n);
            t = n;
        }
        out
    }

    const PARIS: &str = "CET-1CEST,M3.5.0,M10.5.0/3";
    const SYDNEY: &str = "AEST-10AEDT,M10.1.0,M4.1.0/3";

    /// The zone of an IANA name, as the service takes it (SEMANTICS §3.6): with the `tz-names`
    /// feature the name gives the same zone as `rule`, the footer of its `TZif` file (what Python
    /// reads through `zoneinfo`); without it the name is refused as unknown.
    fn iana(name: &str, rule: &str) -> TimeZone {
        #[cfg(feature = "tz-names")]
        {
            assert_eq!(TimeZone::rule_of(name), Some(rule), "{name}");
            assert_eq!(TimeZone::parse(name), Ok(zone(rule)), "{name}");
        }
        #[cfg(not(feature = "tz-names"))]
        assert_eq!(
            TimeZone::parse(name),
            Err(ScalingError::UnknownTimeZone),
            "{name}"
        );
        zone(rule)
    }

    fn next_at(expr: &str, tz: &TimeZone, from: Instant) -> String {
        Cron::parse(expr)
            .unwrap()
            .next_after(from, tz)
            .map_or("never".into(), |t| Utc(t).to_string())
    }

    #[test]
    fn aws_documentation_recurrences() {
        // API-ASG:PutScheduledUpdateGroupActionType.Recurrence: "30 0 1 1,6,12 *" is 00:30 on
        // the first of January, June and December (UTC by default).
        let utc = TimeZone::UTC;
        let c = "30 0 1 1,6,12 *";
        assert_eq!(next_at(c, &utc, utc_at(2026, 1, 2)), "2026-06-01T00:30:00Z");
        assert_eq!(next_at(c, &utc, utc_at(2026, 6, 2)), "2026-12-01T00:30:00Z");
        assert_eq!(
            next_at(c, &utc, utc_at(2026, 12, 2)),
            "2027-01-01T00:30:00Z"
        );
        // ASG-UG:ec2-auto-scaling-scheduled-scaling: "30 6 * * 2" runs every Tuesday at 06:30,
        // here on New York's clock (the console's "Time zone" lists IANA names).
        let ny = iana("America/New_York", "EST5EDT,M3.2.0,M11.1.0");
        assert_eq!(
            next_at("30 6 * * 2", &ny, utc_at(2026, 1, 1)),
            "2026-01-06T11:30:00Z",
            "EST: UTC-5"
        );
        assert_eq!(
            next_at("30 6 * * 2", &ny, utc_at(2026, 7, 1)),
            "2026-07-07T10:30:00Z",
            "EDT: UTC-4"
        );
        // The default time zone, Etc/UTC, and the example of a fixed zone, Etc/GMT+9 (POSIX
        // sign: nine hours west).
        let etc_utc = iana("Etc/UTC", "UTC0");
        assert_eq!(
            next_at("0 9 * * *", &etc_utc, utc_at(2026, 1, 1)),
            "2026-01-01T09:00:00Z"
        );
        let gmt9 = iana("Etc/GMT+9", "<-09>9");
        assert_eq!(
            next_at("0 9 * * *", &gmt9, utc_at(2026, 1, 1)),
            "2026-01-01T18:00:00Z"
        );
    }

    fn utc_at(y: i64, mo: u32, d: u32) -> Instant {
        utc(y, mo, d, 0, 0)
    }

    #[test]
    fn new_york_daylight_saving_by_name() {
        let ny = iana("America/New_York", "EST5EDT,M3.2.0,M11.1.0");
        // 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
        assert_eq!(
            next_at("0 9 * * *", &ny, utc_at(2026, 3, 7)),
            "2026-03-07T14:00:00Z"
        );
        assert_eq!(
            next_at("0 9 * * *", &ny, utc(2026, 3, 7, 15, 0)),
            "2026-03-08T13:00:00Z",
            "09:00 EDT the day the clocks go forward"
        );
        assert_eq!(
            next_at("30 2 * * *", &ny, utc(2026, 3, 7, 12, 0)),
            "2026-03-08T07:00:00Z",
            "02:30 does not exist: fire at the change"
        );
        // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:30 happens twice and fires
        // at its first occurrence, 05:30 UTC.
        assert_eq!(
            next_at("30 1 * * *", &ny, utc(2026, 10, 31, 12, 0)),
            "2026-11-01T05:30:00Z"
        );
        assert_eq!(
            next_at("30 1 * * *", &ny, utc(2026, 11, 1, 5, 30)),
            "2026-11-02T06:30:00Z",
            "not again at 06:30 UTC the same night"
        );
        assert_eq!(ny.offset_at(utc(2026, 11, 1, 5, 59)), -4 * 3600);
        assert_eq!(ny.offset_at(utc(2026, 11, 1, 6, 0)), -5 * 3600);
    }

    #[test]
    fn berlin_daylight_saving_by_name() {
        let berlin = iana("Europe/Berlin", PARIS);
        // Weekdays at 08:00: 2026-10-23 (Friday) on CEST, then Monday 26th on CET, the clocks
        // having gone back at 01:00 UTC on Sunday the 25th.
        let c = "0 8 * * MON-FRI";
        assert_eq!(
            next_at(c, &berlin, utc(2026, 10, 22, 12, 0)),
            "2026-10-23T06:00:00Z"
        );
        assert_eq!(
            next_at(c, &berlin, utc(2026, 10, 23, 12, 0)),
            "2026-10-26T07:00:00Z"
        );
        // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC; hourly firings that night.
        let hours = firings(
            "0 * * * *",
            &berlin,
            utc(2026, 3, 28, 23, 0),
            utc(2026, 3, 29, 3, 0),
        );
        let shown: Vec<String> = hours.iter().map(|t| Utc(*t).to_string()).collect();
        assert_eq!(
            shown,
            [
                "2026-03-28T23:00:00Z",
                "2026-03-29T00:00:00Z",
                "2026-03-29T01:00:00Z",
                "2026-03-29T02:00:00Z"
            ],
            "00:00 and 01:00 CET, then 03:00 and 04:00 CEST: 02:00 is skipped"
        );
    }

    #[test]
    fn unknown_names_and_the_table() {
        assert_eq!(
            TimeZone::parse("Mars/Olympus_Mons"),
            Err(ScalingError::UnknownTimeZone)
        );
        assert_eq!(
            TimeZone::parse("America/New York"),
            Err(ScalingError::InvalidTimeZone { position: 7 }),
            "not the shape of a name: the POSIX error"
        );
        #[cfg(feature = "tz-names")]
        {
            // Every rule of the table parses, and canonical zones of every area are there.
            let mut n = 0;
            for name in TimeZone::names() {
                let rule = TimeZone::rule_of(name).unwrap();
                assert!(TimeZone::parse(rule).is_ok(), "{name}: {rule}");
                n += 1;
            }
            assert!(n > 400, "{n} names");
            for (name, rule) in [
                ("Asia/Tokyo", "JST-9"),
                ("Asia/Kolkata", "IST-5:30"),
                ("Australia/Sydney", SYDNEY),
                ("Europe/London", "GMT0BST,M3.5.0/1,M10.5.0"),
                ("America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"),
                ("Pacific/Tahiti", "<-10>10"),
                ("US/Eastern", "EST5EDT,M3.2.0,M11.1.0"),
                ("CET", PARIS),
            ] {
                assert_eq!(TimeZone::rule_of(name), Some(rule), "{name}");
            }
            assert_eq!(
                TimeZone::rule_of("america/new_york"),
                None,
                "names are exact"
            );
        }
    }

    #[test]
    fn month_ends_and_leap_years_on_a_zone_clock() {
        // Midnight on the 29th of February in Paris is 23:00 UTC the day before.
        assert_eq!(
            next_in("0 0 29 2 *", PARIS, utc(2024, 3, 1, 0, 0)),
            "2028-02-28T23:00:00Z"
        );
        // The 31st skips April and June; in May Paris is on summer time.
        assert_eq!(
            next_in("0 0 31 * *", PARIS, utc(2026, 4, 1, 0, 0)),
            "2026-05-30T22:00:00Z"
        );
        // The last minute of a year on the local clock is still in that year's rules.
        assert_eq!(
            next_in("59 23 31 12 *", PARIS, utc(2026, 6, 1, 0, 0)),
            "2026-12-31T22:59:00Z"
        );
        // The year turns in Paris before it does in UTC.
        assert_eq!(
            next_in("0 0 1 1 *", PARIS, utc(2026, 6, 1, 0, 0)),
            "2026-12-31T23:00:00Z"
        );
        assert_eq!(next_in("0 0 31 2 *", PARIS, utc(2026, 1, 1, 0, 0)), "never");
    }

    #[test]
    fn spring_forward_fires_a_skipped_time_once_at_the_change() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        let c = "30 2 * * *";
        assert_eq!(
            next_in(c, PARIS, utc(2026, 3, 28, 12, 0)),
            "2026-03-29T01:00:00Z",
            "02:30 does not exist: fire when the clocks change"
        );
        assert_eq!(
            next_in(c, PARIS, utc(2026, 3, 29, 1, 0)),
            "2026-03-30T00:30:00Z",
            "once, then 02:30 CEST the next day"
        );
        assert_eq!(
            next_in(c, PARIS, utc(2026, 3, 27, 12, 0)),
            "2026-03-28T01:30:00Z",
            "02:30 CET the day before"
        );
        // Every hour on the local day of 23 hours: 02:00 (skipped) and 03:00 fire together.
        let tz = zone(PARIS);
        let day = firings(
            "0 * * * *",
            &tz,
            utc(2026, 3, 28, 23, 0),
            utc(2026, 3, 29, 22, 0),
        );
        assert_eq!(day.len(), 23);
        assert!(day.windows(2).all(|w| w[0] < w[1]), "distinct, in order");
        assert!(day.contains(&utc(2026, 3, 29, 1, 0)));
        assert!(day.iter().all(|t| Utc(*t).to_string().ends_with(":00:00Z")));
    }

    #[test]
    fn fall_back_fires_a_repeated_time_once_at_its_first_occurrence() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:00-03:00 happens twice.
        let c = "30 2 * * *";
        assert_eq!(
            next_in(c, PARIS, utc(2026, 10, 24, 12, 0)),
            "2026-10-25T00:30:00Z",
            "the first 02:30 (CEST)"
        );
        assert_eq!(
            next_in(c, PARIS, utc(2026, 10, 25, 0, 30)),
            "2026-10-26T01:30:00Z",
            "not again at the second 02:30 (CET)"
        );
        // From inside the repeated hour, the next 02:45 is tomorrow's.
        assert_eq!(
            next_in("45 2 * * *", PARIS, utc(2026, 10, 25, 1, 40)),
            "2026-10-26T01:45:00Z"
        );
        // Every hour on the local day of 25 hours: 24 firings, not 25.
        let tz = zone(PARIS);
        let day = firings(
            "0 * * * *",
            &tz,
            utc(2026, 10, 24, 22, 0),
            utc(2026, 10, 25, 23, 0),
        );
        assert_eq!(day.len(), 24);
        assert!(day.windows(2).all(|w| w[0] < w[1]));
        assert!(day.contains(&utc(2026, 10, 25, 0, 0)), "02:00 CEST");
        assert!(!day.contains(&utc(2026, 10, 25, 1, 0)), "not 02:00 CET");
        assert!(day.contains(&utc(2026, 10, 25, 2, 0)), "03:00 CET");
        // Every 15 minutes: the repeated hour's quarters run once.
        let quarters = firings(
            "*/15 * * * *",
            &tz,
            utc(2026, 10, 24, 22, 0),
            utc(2026, 10, 25, 23, 0),
        );
        assert_eq!(quarters.len(), 96);
    }

    #[test]
    fn the_us_rule_and_the_southern_hemisphere() {
        // EST5EDT with no rules takes the US rule: 2026-03-08 and 2026-11-01.
        let ny = "EST5EDT";
        assert_eq!(
            next_in("30 2 * * *", ny, utc(2026, 3, 7, 12, 0)),
            "2026-03-08T07:00:00Z"
        );
        assert_eq!(
            next_in("30 1 * * *", ny, utc(2026, 10, 31, 12, 0)),
            "2026-11-01T05:30:00Z",
            "01:30 EDT, the first of two"
        );
        assert_eq!(
            next_in("30 1 * * *", ny, utc(2026, 11, 1, 5, 30)),
            "2026-11-02T06:30:00Z"
        );
        assert_eq!(
            next_in("0 9 * * MON-FRI", ny, utc(2026, 1, 2, 15, 0)),
            "2026-01-05T14:00:00Z",
            "Monday 09:00 EST"
        );
        // Sydney: summer time from the first Sunday of October to the first of April.
        assert_eq!(
            next_in("30 2 * * *", SYDNEY, utc(2026, 10, 3, 0, 0)),
            "2026-10-03T16:00:00Z",
            "skipped 02:30 on 4 October"
        );
        assert_eq!(
            next_in("30 2 * * *", SYDNEY, utc(2026, 4, 4, 0, 0)),
            "2026-04-04T15:30:00Z",
            "the first 02:30 (AEDT) on 5 April"
        );
        assert_eq!(
            next_in("30 2 * * *", SYDNEY, utc(2026, 4, 4, 15, 30)),
            "2026-04-05T16:30:00Z"
        );
        assert_eq!(
            next_in("0 12 1 1 *", SYDNEY, utc(2026, 6, 1, 0, 0)),
            "2027-01-01T01:00:00Z",
            "New Year's noon is summer time"
        );
    }

    #[test]
    fn next_after_is_deterministic_and_moves_forward() {
        let tz = zone(PARIS);
        let c = Cron::parse("*/7 1-3 * 3,10 SUN").unwrap();
        let mut t = utc(2026, 1, 1, 0, 0);
        for _ in 0..200 {
            let n = c.next_after(t, &tz).unwrap();
            assert_eq!(c.next_after(t, &tz), Some(n));
            assert!(n > t);
            t = n;
        }
    }

    #[test]
    fn malformed_recurrences() {
        use CronField::*;
        for bad in ["* * *", "* * * * * *", ""] {
            assert_eq!(Cron::parse(bad), Err(ScalingError::InvalidCron), "{bad}");
        }
        for (bad, field, value) in [
            ("60 * * * *", Minute, 60),
            ("* 24 * * *", Hour, 24),
            ("0 25 * * *", Hour, 25),
            ("* * 0 * *", DayOfMonth, 0),
            ("* * 32 * *", DayOfMonth, 32),
            ("* * * 13 *", Month, 13),
            ("* * * * 8", DayOfWeek, 8),
            ("0 1-99 * * *", Hour, 99),
            ("0 0,5/2,30 * * *", Hour, 30),
            ("99999999999 * * * *", Minute, u32::MAX),
        ] {
            assert_eq!(
                Cron::parse(bad),
                Err(ScalingError::CronOutOfRange { field, value }),
                "{bad}"
            );
        }
        for (bad, field) in [
            ("*/0 * * * *", Minute),
            ("5-1 * * * *", Minute),
            ("* * * FOO *", Month),
            ("* * * * MON-FOO", DayOfWeek),
            ("0 x * * *", Hour),
            ("0 -1 * * *", Hour),
            ("0 0 ,1 * *", DayOfMonth),
        ] {
            assert_eq!(
                Cron::parse(bad),
                Err(ScalingError::CronSyntax { field }),
                "{bad}"
            );
        }
        // The text names the field and the value, as the issue asks.
        let e = Cron::parse("0 25 * * *").unwrap_err();
        assert_eq!(e.to_string(), "hour 25 is out of range 0-23");
        assert_eq!(
            Cron::parse("* * * JANUARY *").unwrap_err().to_string(),
            "month field is not a number, name, range a-b, list a,b or step */n with n >= 1 \
             (ranges run upwards)"
        );
    }

    proptest::proptest! {
        /// The minutes of a day found hour by hour are those found testing every minute from
        /// the same start (the search `next_after` did before), for lists, ranges, steps and
        /// wildcards in the minute and hour fields.
        #[test]
        fn minutes_found_by_hour_are_every_minute_tested(
            minutes in proptest::collection::vec(0u32..60, 1..4),
            hours in proptest::collection::vec(0u32..24, 1..4),
            minute_form in 0usize..4,
            hour_form in 0usize..4,
            from in 0i64..1440,
        ) {
            let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            let form = |form: usize, v: &[u32], top: u32| match form {
                0 => list(v),
                1 => "*".to_string(),
                2 => format!("*/{}", v[0].max(1)),
                _ => {
                    let (a, b) = (v[0].min(top), v[v.len() - 1].min(top));
                    format!("{}-{}", a.min(b), a.max(b))
                }
            };
            let expr = format!(
                "{} {} * * *",
                form(minute_form, &minutes, 59),
                form(hour_form, &hours, 23)
            );
            let c = Cron::parse(&expr).unwrap();
            let by_hour: Vec<i64> = c.minutes_of_day(from).collect();
            let every: Vec<i64> = (from..1440).filter(|m| c.minute_matches(*m)).collect();
            proptest::prop_assert_eq!(by_hour, every, "{}", expr);
        }
    }
}

// ----- time zones ----------------------------------------------------------------------------

mod tz_tests {
    use crate::scaling::ScalingError;
    use crate::scaling::tz::{Local, TimeZone, civil_from_days, days_from_civil};
    use crate::test_prelude::*;
    use crate::time::Instant;

    fn utc(y: i64, mo: u32, d: u32, h: u64, mi: u64) -> Instant {
        let days = u64::try_from(days_from_civil(y, mo, d)).unwrap();
        Instant::from_secs(days * 86_400 + h * 3600 + mi * 60)
    }

    fn local(y: i64, mo: u32, d: u32, h: i64, mi: i64) -> i64 {
        ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000
    }

    fn zone(text: &str) -> TimeZone {
        TimeZone::parse(text).unwrap()
    }

    fn before(t: Instant) -> Instant {
        Instant::from_millis(t.total_millis() - 1)
    }

    #[test]
    fn civil_dates_round_trip() {
        for z in [-1, 0, 59, 60, 365, 10_956, 2_932_896, 2_932_897] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z, "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            civil_from_days(days_from_civil(9999, 12, 31)),
            (9999, 12, 31)
        );
    }

    #[test]
    fn utc_and_fixed_offsets() {
        for text in ["", "UTC", "GMT", "UTC0", "GMT+0", "<+00>0"] {
            assert_eq!(zone(text), TimeZone::UTC, "{text:?}");
        }
        assert_eq!(TimeZone::default(), TimeZone::UTC);
        assert_eq!(TimeZone::UTC.to_string(), "UTC0");
        let t = utc(2026, 7, 1, 12, 0);
        assert_eq!(TimeZone::UTC.offset_at(t), 0);
        // The POSIX sign is west-positive: CET-1 is an hour east of Greenwich.
        assert_eq!(zone("CET-1").offset_at(t), 3600);
        assert_eq!(zone("EST5").offset_at(t), -5 * 3600);
        assert_eq!(zone("<+0530>-5:30").offset_at(t), 5 * 3600 + 1800);
        assert_eq!(zone("<-0330>3:30").offset_at(t), -(3 * 3600 + 1800));
        assert_eq!(zone("XXX-1:02:03").offset_at(t), 3723);
        assert_eq!(zone("<+01>-1"), TimeZone::fixed(60).unwrap());
        assert_eq!(TimeZone::fixed(-1440).unwrap().offset_at(t), -86_400);
        assert_eq!(
            TimeZone::fixed(1441),
            Err(ScalingError::InvalidTimeZone { position: 0 })
        );
        assert_eq!(
            TimeZone::fixed(i32::MIN).map(|_| ()),
            TimeZone::fixed(1441).map(|_| ())
        );
    }

    #[test]
    fn europe_changes_on_the_last_sundays_of_march_and_october() {
        let tz = zone("CET-1CEST,M3.5.0,M10.5.0/3");
        assert!(tz.has_dst());
        let spring = utc(2026, 3, 29, 1, 0);
        let autumn = utc(2026, 10, 25, 1, 0);
        assert_eq!(tz.offset_at(before(spring)), 3600);
        assert_eq!(tz.offset_at(spring), 7200);
        assert_eq!(tz.offset_at(before(autumn)), 7200);
        assert_eq!(tz.offset_at(autumn), 3600);
        // 2027: March 28 and October 31 (the last Sunday is the fifth).
        assert_eq!(tz.offset_at(before(utc(2027, 3, 28, 1, 0))), 3600);
        assert_eq!(tz.offset_at(utc(2027, 3, 28, 1, 0)), 7200);
        assert_eq!(tz.offset_at(before(utc(2027, 10, 31, 1, 0))), 7200);
        assert_eq!(tz.offset_at(utc(2027, 10, 31, 1, 0)), 3600);
        assert_eq!(tz.to_local(spring), local(2026, 3, 29, 3, 0));
    }

    #[test]
    fn the_us_rule_is_the_default_and_the_south_wraps_the_year() {
        let us = zone("EST5EDT");
        assert_eq!(us, zone("EST5EDT4,M3.2.0/2,M11.1.0/02:00:00"));
        assert_eq!(us.offset_at(before(utc(2026, 3, 8, 7, 0))), -5 * 3600);
        assert_eq!(us.offset_at(utc(2026, 3, 8, 7, 0)), -4 * 3600);
        assert_eq!(us.offset_at(before(utc(2026, 11, 1, 6, 0))), -4 * 3600);
        assert_eq!(us.offset_at(utc(2026, 11, 1, 6, 0)), -5 * 3600);

        let sydney = zone("AEST-10AEDT,M10.1.0,M4.1.0/3");
        assert_eq!(sydney.offset_at(utc(2026, 1, 1, 0, 0)), 11 * 3600);
        assert_eq!(sydney.offset_at(utc(2026, 7, 1, 0, 0)), 10 * 3600);
        assert_eq!(sydney.offset_at(before(utc(2026, 4, 4, 16, 0))), 11 * 3600);
        assert_eq!(sydney.offset_at(utc(2026, 4, 4, 16, 0)), 10 * 3600);
        assert_eq!(sydney.offset_at(before(utc(2026, 10, 3, 16, 0))), 10 * 3600);
        assert_eq!(sydney.offset_at(utc(2026, 10, 3, 16, 0)), 11 * 3600);
        assert_eq!(sydney.offset_at(utc(2026, 12, 31, 23, 0)), 11 * 3600);
    }

    #[test]
    fn daylight_saving_all_year() {
        // RFC 8536's example: starts January 1 00:00, ends December 31 at 25:00 (DST).
        let tz = zone("EST5EDT,0/0,J365/25");
        for y in [1970, 2024, 2025, 2100, 9999] {
            for (mo, d, h) in [(1, 1, 0), (1, 1, 4), (1, 1, 5), (3, 1, 0), (12, 31, 23)] {
                assert_eq!(
                    tz.offset_at(utc(y, mo, d, h, 59)),
                    -4 * 3600,
                    "{y}-{mo}-{d} {h}h"
                );
            }
        }
        assert_eq!(tz.offset_at(Instant::ZERO), -4 * 3600);
    }

    #[test]
    fn julian_days_skip_or_count_february_29() {
        // Jn never counts February 29: J60 is March 1 in every year.
        let j = zone("XXX0YYY,J60/0,J61/0");
        for y in [2023, 2024] {
            assert_eq!(j.offset_at(utc(y, 3, 1, 12, 0)), 3600, "{y}");
            assert_eq!(j.offset_at(utc(y, 2, 28, 12, 0)), 0);
            assert_eq!(j.offset_at(utc(y, 3, 2, 12, 0)), 0);
        }
        assert_eq!(j.offset_at(utc(2024, 2, 29, 12, 0)), 0);
        let feb28 = zone("XXX0YYY,J59/0,J60/0");
        for y in [2023, 2024] {
            assert_eq!(feb28.offset_at(utc(y, 2, 28, 12, 0)), 3600, "{y}");
            assert_eq!(feb28.offset_at(utc(y, 3, 1, 12, 0)), 0, "{y}");
        }
        assert_eq!(
            feb28.offset_at(utc(2024, 2, 29, 12, 0)),
            3600,
            "J60 is March 1"
        );
        // n counts it: day 59 is February 29 in a leap year and March 1 otherwise.
        let n = zone("XXX0YYY,59/0,60/0");
        assert_eq!(n.offset_at(utc(2024, 2, 29, 12, 0)), 3600);
        assert_eq!(n.offset_at(utc(2024, 3, 1, 12, 0)), 0);
        assert_eq!(n.offset_at(utc(2023, 3, 1, 12, 0)), 3600);
        // Rule times below zero and past 24 h move the change to another day.
        let t = zone("XXX0YYY,M3.5.0/-1,M10.5.0/26");
        assert_eq!(t.offset_at(before(utc(2026, 3, 28, 23, 0))), 0);
        assert_eq!(t.offset_at(utc(2026, 3, 28, 23, 0)), 3600);
        assert_eq!(t.offset_at(before(utc(2026, 10, 26, 1, 0))), 3600);
        assert_eq!(t.offset_at(utc(2026, 10, 26, 1, 0)), 0);
    }

    #[test]
    fn local_times_in_gaps_and_overlaps() {
        let tz = zone("CET-1CEST,M3.5.0,M10.5.0/3");
        assert_eq!(
            tz.from_local(local(2026, 3, 29, 2, 30)),
            Some(Local::Gap(utc(2026, 3, 29, 1, 0)))
        );
        assert_eq!(
            tz.from_local(local(2026, 3, 29, 3, 0)),
            Some(Local::Unique(utc(2026, 3, 29, 1, 0)))
        );
        assert_eq!(
            tz.from_local(local(2026, 10, 25, 2, 30)),
            Some(Local::Ambiguous(
                utc(2026, 10, 25, 0, 30),
                utc(2026, 10, 25, 1, 30)
            ))
        );
        assert_eq!(
            tz.from_local(local(2026, 10, 25, 3, 0)),
            Some(Local::Unique(utc(2026, 10, 25, 2, 0)))
        );
        assert_eq!(
            tz.from_local(local(2026, 7, 1, 12, 0)),
            Some(Local::Unique(utc(2026, 7, 1, 10, 0)))
        );
        assert_eq!(
            tz.from_local(local(1970, 1, 1, 0, 30)),
            None,
            "before the epoch"
        );
        // Every instant of the changes' days comes back from its local time.
        for start in [utc(2026, 3, 28, 0, 0), utc(2026, 10, 24, 0, 0)] {
            for m in 0..3 * 24 * 4 {
                let t = Instant::from_secs(start.total_millis() / 1000 + m * 900);
                let back = tz.from_local(tz.to_local(t));
                assert!(
                    matches!(back, Some(Local::Unique(u)) if u == t)
                        || matches!(back, Some(Local::Ambiguous(a, b)) if a == t || b == t),
                    "{t:?} -> {back:?}"
                );
            }
        }
    }

    #[test]
    fn display_is_canonical_and_parses_back() {
        for (text, shown) in [
            (
                "CET-1CEST,M3.5.0,M10.5.0/3",
                "<+01>-1<+02>,M3.5.0,M10.5.0/3",
            ),
            ("EST5EDT", "<-05>5<-04>,M3.2.0,M11.1.0"),
            ("EST5EDT,0/0,J365/25", "<-05>5<-04>,0/0,J365/25"),
            ("<+0530>-5:30", "<+0530>-5:30"),
            (
                "IST-1GMT0,M10.5.0,M3.5.0/1",
                "<+01>-1<+00>0,M10.5.0,M3.5.0/1",
            ),
            (
                "XXX+3:04:05YYY,J1/-167:59:59,365/+167",
                "<-030405>3:04:05<-020405>,J1/-167:59:59,365/167",
            ),
            (
                "LHST-10:30LHDT-11,M10.1.0,M4.1.0",
                "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            ),
        ] {
            let tz = zone(text);
            assert_eq!(tz.to_string(), shown, "{text}");
            assert_eq!(zone(shown), tz, "{shown}");
            assert_eq!(text.parse::<TimeZone>(), Ok(tz));
        }
    }

    #[test]
    fn malformed_zones_say_where() {
        for (bad, at) in [
            ("CE-1", 2),
            #[cfg(not(feature = "tz-names"))]
            ("CET", 3),
            ("utc", 3),
            ("CET-25", 4),
            ("CET-24:01", 4),
            ("CET-1:60", 8),
            ("CET-1CEST,M3.5.0", 16),
            ("CET-1CEST,M13.5.0,M10.5.0", 10),
            ("CET-1CEST,M3.6.0,M10.5.0", 10),
            ("CET-1CEST,M3.5.7,M10.5.0", 10),
            ("XXX0YYY,J0,J5", 8),
            ("XXX0YYY,J366,J5", 8),
            ("XXX0YYY,366,5", 8),
            ("XXX0YYY,1/168,5", 10),
            ("CET-1CEST,M3.5.0,M10.5.0/3x", 26),
            ("CET-1CEST;M3.5.0,M10.5.0", 9),
            ("<AB>1", 3),
            ("<A+B1", 5),
            (":Europe/Paris", 0),
            ("CET-1 ", 5),
        ] {
            assert_eq!(
                TimeZone::parse(bad),
                Err(ScalingError::InvalidTimeZone { position: at }),
                "{bad}"
            );
        }
    }

    #[test]
    fn sizes() {
        println!(
            "TimeZone {} B, Cron {} B",
            core::mem::size_of::<TimeZone>(),
            core::mem::size_of::<crate::scaling::cron::Cron>()
        );
    }
}

// ----- predictive scaling ------------------------------------------------------------------

mod predictive_tests {
    use crate::scaling::Value;
    use crate::scaling::predictive::*;
    use crate::time::{Duration, Instant};

    fn hour(h: u64) -> Instant {
        Instant::from_secs(h * 3600)
    }

    /// Load 100 x (hour of day), plus 1000 on the week's first day.
    fn history(hours: u64) -> Forecaster {
        let mut f = Forecaster::new();
        for h in 0..hours {
            let extra = if (h / 24) % 7 == 0 { 1000 } else { 0 };
            f.record(
                hour(h),
                Value::from_int(i64::try_from(100 * (h % 24) + extra).unwrap()),
            )
            .unwrap();
        }
        f
    }

    /// Load 1000 + 100 x (hour of day), the same every day.
    fn daily(hours: u64) -> Forecaster {
        let mut f = Forecaster::new();
        for h in 0..hours {
            f.record(
                hour(h),
                Value::from_int(i64::try_from(1000 + 100 * (h % 24)).unwrap()),
            )
            .unwrap();
        }
        f
    }

    #[test]
    fn no_forecast_before_a_day_of_history() {
        assert_eq!(history(23).forecast(30), None);
        assert!(history(24).forecast(30).is_some());
    }

    #[test]
    fn a_repeating_day_is_forecast_exactly_and_sets_the_capacity() {
        // Every candidate but the flat one is exact on a day that repeats: nothing is added.
        let f = daily(14 * 24);
        assert_eq!(f.forecast(14 * 24 + 5), Some(Value::from_int(1500)));
        assert_eq!(f.forecast(15 * 24 + 23), Some(Value::from_int(3300)));
        assert_eq!(
            f.capacity(14 * 24 + 5, Value::from_int(400)),
            Some(4),
            "1500 / 400 -> 4"
        );
    }

    #[test]
    fn samples_add_up_per_hour_and_come_in_order() {
        let mut f = Forecaster::new();
        f.record(hour(1), Value::from_int(5)).unwrap();
        f.record(hour(1) + Duration::from_secs(600), Value::from_int(7))
            .unwrap();
        assert_eq!(f.span_hours(), 1);
        assert_eq!(
            f.record(hour(0), Value::from_int(1)),
            Err(crate::scaling::ScalingError::TooOld)
        );
    }

    #[test]
    fn forecast_and_scale_plans_ahead_and_never_scales_in() {
        let f = daily(14 * 24);
        let mut c = PredictiveConfig::new(Value::from_int(100));
        c.validate().unwrap();
        // 14 x 24 + 5 is hour 5 of the day: load 1500, 15 members.
        let before = hour(14 * 24 + 5) - Duration::from_secs(300);
        assert_eq!(plan(&c, &f, before, 2, 1, 40), None, "forecast only");
        c.mode = Mode::ForecastAndScale;
        assert_eq!(
            plan(&c, &f, before, 2, 1, 40),
            Some((15, 40)),
            "launched a buffer ahead"
        );
        assert_eq!(
            plan(&c, &f, before - Duration::from_secs(1), 2, 1, 40).map(|p| p.0),
            Some(14)
        );
        assert_eq!(plan(&c, &f, before, 20, 1, 40), None, "never scales in");
        assert_eq!(
            plan(&c, &f, before, 2, 1, 10),
            Some((10, 10)),
            "honours max"
        );
        c.max_breach = MaxBreach::IncreaseMaxCapacity { buffer_percent: 10 };
        assert_eq!(
            plan(&c, &f, before, 2, 1, 10),
            Some((15, 17)),
            "max rises to forecast + 10 %"
        );
        c.buffer = Duration::from_secs(3600);
        assert!(c.validate().is_err());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// A datapoint's breach test without the average's division, and the one an evaluation
    /// prepares ([`BreachTest`]), answer what comparing its statistic answers, for every
    /// statistic and comparison, negative sums and thresholds and the extremes included.
    #[test]
    fn breach_without_dividing_equals_comparing_the_statistic(
        sum in proptest::prelude::any::<i64>(),
        small_sum in -1_000i64..1_000,
        count in 0u32..6,
        any_count in proptest::prelude::any::<u32>(),
        threshold in proptest::prelude::any::<i64>(),
        small_threshold in -300i64..300,
        near in -1i64..=1,
    ) {
        // A threshold at the average itself, or one off: where truncation toward zero decides.
        let at_average = small_sum / i64::from(count.max(1)) + near;
        for (sum, count, threshold) in [
            (sum, count, threshold),
            (small_sum, count, at_average),
            (small_sum, count, small_threshold),
            (small_sum, any_count, small_threshold),
            (sum, any_count, small_threshold),
            (sum, count, i64::MAX),
            (sum, count, i64::MIN),
            (i64::MIN, 1, small_threshold),
            (i64::MAX, 1, small_threshold),
        ] {
            let p = Datapoint { slot: 0, count, sum, min: Value(sum), max: Value(sum) };
            for s in [
                Statistic::Average,
                Statistic::Sum,
                Statistic::Minimum,
                Statistic::Maximum,
                Statistic::SampleCount,
            ] {
                for c in [
                    Comparison::GreaterThan,
                    Comparison::GreaterThanOrEqual,
                    Comparison::LessThan,
                    Comparison::LessThanOrEqual,
                ] {
                    proptest::prop_assert_eq!(
                        p.breaches(s, c, Value(threshold)),
                        c.breaches(p.statistic(s), Value(threshold)),
                        "{:?} {:?} {} / {} vs {}", s, c, sum, count, threshold
                    );
                    // And the test an evaluation prepares once for all its datapoints.
                    let mut config = AlarmConfig::new(c, Value(threshold), 1);
                    config.statistic = s;
                    proptest::prop_assert_eq!(
                        BreachTest::new(&config).breaches(&p),
                        c.breaches(p.statistic(s), Value(threshold)),
                        "prepared: {:?} {:?} {} / {} vs {}", s, c, sum, count, threshold
                    );
                }
            }
        }
    }

    /// The walk that stops at the N-th real datapoint, or at an early verdict (M breaching, or
    /// more than N − M non-breaching behind a non-breaching newest point, within the N most
    /// recent periods), decides what the walk over the whole range decides, for every
    /// comparison, statistic, N and M, missing-data treatment and state, on datapoints with
    /// gaps.
    #[test]
    fn decide_stopping_at_n_equals_the_whole_walk(
        samples in proptest::collection::vec((0u64..3, 0i64..100, 1u32..4), 1..40),
        threshold in 0i64..100,
        n in 1u32..20,
        m_less in 0u32..20,
        comparison in 0usize..4,
        statistic in 0usize..5,
        missing in 0usize..4,
        state in 0usize..3,
    ) {
        // N up to 19 (target tracking's low alarm is 15 of 15), more points than the range.
        let mut metric: Metric<24> = Metric::new(MIN).unwrap();
        let mut minute = 10u64;
        for (jump, x, count) in &samples {
            minute += jump;
            metric.record_n(t(minute * 60 + 7), v(*x), *count).unwrap();
        }
        let mut config = AlarmConfig::new(
            [
                Comparison::GreaterThan,
                Comparison::GreaterThanOrEqual,
                Comparison::LessThan,
                Comparison::LessThanOrEqual,
            ][comparison],
            v(threshold),
            n,
        );
        config.statistic = [
            Statistic::Average,
            Statistic::Sum,
            Statistic::Minimum,
            Statistic::Maximum,
            Statistic::SampleCount,
        ][statistic];
        config.datapoints_to_alarm = Some(n.saturating_sub(m_less).max(1));
        config.missing_data = [
            MissingData::Missing,
            MissingData::Ignore,
            MissingData::Breaching,
            MissingData::NotBreaching,
        ][missing];
        let mut alarm = Alarm::new(t(0), config, MIN).unwrap();
        alarm.set_state([AlarmState::Ok, AlarmState::Alarm, AlarmState::InsufficientData][state]);
        for now in (0..=minute + 12).map(|m| t(m * 60 + 30)) {
            proptest::prop_assert_eq!(
                alarm.decide_walk(now, &metric, true),
                alarm.decide_walk(now, &metric, false),
                "at {}", now
            );
            // And the count by position when the N most recent periods all have a point.
            proptest::prop_assert_eq!(
                alarm.decide_dense_or_walk(now, &metric),
                alarm.decide_walk(now, &metric, false),
                "at {}", now
            );
        }
    }

    /// The count by position ([`Alarm::decide`] when each of the N most recent periods has
    /// its datapoint) decides what the walk over the whole range decides, on metrics recorded
    /// nearly every period (as a simulation records them), evaluated before and after the
    /// current period's samples, for every comparison, statistic, N and M (target tracking's
    /// 3 of 3 and 15 of 15 among them), missing-data treatment and state.
    #[test]
    fn counting_dense_points_by_position_equals_the_whole_walk(
        samples in proptest::collection::vec((0u64..12, -50i64..100, 1u32..4), 1..60),
        threshold in 0i64..60,
        n in 1u32..20,
        m_less in 0u32..20,
        comparison in 0usize..4,
        statistic in 0usize..5,
        missing in 0usize..4,
        state in 0usize..3,
        low_n in 1u32..20,
    ) {
        // A gap only one step in twelve: most evaluations see N dense periods.
        let mut metric: Metric<24> = Metric::new(MIN).unwrap();
        let mut minute = 10u64;
        let mut alarm = Alarm::new(
            t(0),
            AlarmConfig {
                statistic: [
                    Statistic::Average,
                    Statistic::Sum,
                    Statistic::Minimum,
                    Statistic::Maximum,
                    Statistic::SampleCount,
                ][statistic],
                comparison: [
                    Comparison::GreaterThan,
                    Comparison::GreaterThanOrEqual,
                    Comparison::LessThan,
                    Comparison::LessThanOrEqual,
                ][comparison],
                threshold: v(threshold),
                evaluation_periods: n,
                datapoints_to_alarm: Some(n.saturating_sub(m_less).max(1)),
                missing_data: [
                    MissingData::Missing,
                    MissingData::Ignore,
                    MissingData::Breaching,
                    MissingData::NotBreaching,
                ][missing],
            },
            MIN,
        )
        .unwrap();
        alarm.set_state([AlarmState::Ok, AlarmState::Alarm, AlarmState::InsufficientData][state]);
        let mut low = Alarm::new(
            t(0),
            AlarmConfig::new(Comparison::LessThan, v(threshold / 2), low_n),
            MIN,
        )
        .unwrap();
        for (jump, x, count) in &samples {
            minute += if *jump == 0 { 2 } else { 1 };
            // Before the period's samples (the point of `now`'s period absent), then after.
            let before = t(minute * 60);
            proptest::prop_assert_eq!(
                alarm.decide_dense_or_walk(before, &metric),
                alarm.decide_walk(before, &metric, false),
                "at {}", before
            );
            metric.record_n(t(minute * 60 + 7), v(*x), *count).unwrap();
            let after = t(minute * 60 + 30);
            proptest::prop_assert_eq!(
                alarm.decide_dense_or_walk(after, &metric),
                alarm.decide_walk(after, &metric, false),
                "at {}", after
            );
            // The alarm's own evaluation, whose state the next verdicts start from, beside a
            // low alarm as target tracking pairs them: evaluated as a pair, they end as
            // evaluated one by one.
            let (mut one, mut two) = (alarm, low);
            let pair = Alarm::evaluate_pair(&mut alarm, &mut low, after, &metric);
            proptest::prop_assert_eq!(
                pair,
                (one.evaluate(after, &metric), two.evaluate(after, &metric)),
                "at {}", after
            );
            proptest::prop_assert_eq!((alarm, low), (one, two), "at {}", after);
        }
    }

    /// Target tracking's pair evaluated with the runs they keep across evaluations (host
    /// builds: `Alarm::decide_by_run`) ends as each evaluated alone from the points (the count
    /// or the walk), minute after minute: with late samples into older periods (which void the
    /// runs), gaps, samples ahead of time, points dropped at the oldest end (a store of 8 for
    /// N up to 12), values near the threshold so runs start and break, and any comparison.
    #[test]
    fn kept_runs_give_the_verdicts_of_the_points(
        steps in proptest::collection::vec((0u32..12, 40i64..60, 1u32..3, 1u64..4), 1..80),
        threshold in 45i64..55,
        n_high in 1u32..13,
        n_low in 1u32..13,
        comparison in 0usize..4,
    ) {
        let comparisons = [
            Comparison::GreaterThan,
            Comparison::GreaterThanOrEqual,
            Comparison::LessThan,
            Comparison::LessThanOrEqual,
        ];
        let mut metric: Metric<8> = Metric::new(MIN).unwrap();
        let mut high = Alarm::new(
            t(0),
            AlarmConfig::new(comparisons[comparison], v(threshold), n_high),
            MIN,
        )
        .unwrap();
        let mut low = Alarm::new(
            t(0),
            AlarmConfig::new(comparisons[3 - comparison], v(threshold - 2), n_low),
            MIN,
        )
        .unwrap();
        let mut minute = 10u64;
        for (kind, x, count, back) in &steps {
            minute += if *kind == 8 { 2 } else { 1 };
            let at = match kind {
                // A late sample into an older period, then the period's own.
                9 => t((minute - back) * 60 + 5),
                // A sample for a period ahead.
                10 => t((minute + back) * 60 + 5),
                _ => t(minute * 60 + 7),
            };
            let _ = metric.record_n(at, v(*x), *count);
            if *kind >= 9 {
                let _ = metric.record_n(t(minute * 60 + 7), v(*x), *count);
            }
            // Before the period's samples in one step in twelve (its point absent then).
            let now = if *kind == 11 { t(minute * 60) } else { t(minute * 60 + 30) };
            let (mut one, mut two) = (high, low);
            let pair = Alarm::evaluate_pair(&mut high, &mut low, now, &metric);
            proptest::prop_assert_eq!(
                pair,
                (one.evaluate(now, &metric), two.evaluate(now, &metric)),
                "at {}", now
            );
            proptest::prop_assert_eq!((high.state(), low.state()), (one.state(), two.state()));
            proptest::prop_assert_eq!(
                high.state(),
                one.decide_walk(now, &metric, false),
                "at {}", now
            );
        }
    }

    /// Recording through the fast path (the newest period, or a newer one) leaves exactly the
    /// store, and gives exactly the result, that the search-and-insert path alone gives, for
    /// samples in and out of order, late ones refused when the store is full included.
    #[test]
    fn recording_fast_path_equals_the_searched_one(
        samples in proptest::collection::vec(
            (0u64..40, -5_000i64..5_000, 0u32..4), 1..120),
    ) {
        let mut fast: Metric<8> = Metric::new(MIN).unwrap();
        let mut reference = fast.clone();
        let mut minute = 100u64;
        for (jump, x, n) in samples {
            // Mostly forward by 0..2 minutes, sometimes back (a late sample).
            minute = match jump {
                0..=29 => minute + jump % 3,
                _ => minute.saturating_sub(jump - 29),
            };
            let at = t(minute * 60 + 7);
            let total = v(x).milli().saturating_mul(i64::from(n));
            let a = fast.record_n(at, v(x), n);
            let b = if n == 0 {
                Ok(())
            } else {
                reference.record_n_searched(reference.slot(at), v(x), n, total)
            };
            proptest::prop_assert_eq!(a, b);
            proptest::prop_assert_eq!(&fast, &reference);
        }
    }
}
