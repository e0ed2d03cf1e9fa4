//! Forecaster behaviour of SEMANTICS §3.7: refresh cadence, the 24-hour minimum, the 48-hour
//! horizon, hourly means, the model's weights and level factor, fixed memory.

// Test arithmetic works on small known numbers.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::test_prelude::*;

fn at(hour: u64) -> Instant {
    Instant::from_secs(hour * 3600)
}

/// `hours` hours of load `load(h)`, one sample an hour.
fn fed(hours: u64, load: impl Fn(u64) -> i64) -> Forecaster {
    let mut f = Forecaster::new();
    for h in 0..hours {
        f.record(at(h), Value::from_int(load(h))).unwrap();
    }
    f
}

#[test]
fn an_hours_load_is_the_mean_of_its_samples() {
    let mut f = Forecaster::new();
    f.record(at(3), Value::from_int(5)).unwrap();
    f.record(at(3) + Duration::from_secs(1800), Value::from_int(8))
        .unwrap();
    assert_eq!(f.load(3), Some(Value::from_milli(6500)));
    assert_eq!(f.load(2), None);
}

#[test]
fn refresh_needs_a_day_of_history_and_keeps_trying() {
    let mut f = fed(23, |_| 100);
    assert!(!f.refresh(at(23)));
    assert_eq!(f.forecast_48h().count(), 0);
    assert_eq!(f.refreshed_hour(), None);
    f.record(at(23), Value::from_int(100)).unwrap();
    // The hour in progress does not count: a day of history before the origin is needed.
    assert!(!f.refresh(at(23)));
    assert!(f.refresh(at(24)), "retried as soon as a day is there");
    assert_eq!(f.refreshed_hour(), Some(24));
}

#[test]
fn a_refresh_forecasts_48_hours_from_the_current_hour() {
    let mut f = fed(48, |h| i64::try_from(10 * (h % 24)).unwrap());
    assert!(f.refresh(at(48) + Duration::from_secs(1234)));
    let hours: Vec<_> = f.forecast_48h().collect();
    assert_eq!(hours.len(), HORIZON_HOURS);
    assert_eq!(hours.first().map(|x| x.0), Some(48));
    assert_eq!(hours.last().map(|x| x.0), Some(48 + 47));
    for (h, load) in hours {
        // Under a week: the mean of the same hour of the day.
        let expect = i64::try_from(10 * (h % 24)).unwrap();
        assert_eq!(load, Some(Value::from_int(expect)), "hour {h}");
    }
}

#[test]
fn refreshes_come_every_6_hours_and_forecasts_answer_from_the_cache() {
    let mut f = fed(48, |_| 100);
    assert!(f.refresh(at(48)));
    // New load does not move the cached forecast before the next refresh.
    for h in 48..54 {
        f.record(at(h), Value::from_int(400)).unwrap();
        assert!(!f.refresh(at(h) + Duration::from_secs(3599)), "hour {h}");
        assert_eq!(f.forecast(60), Some(Value::from_int(100)));
    }
    assert_eq!(f.refreshed_hour(), Some(48));
    // Past the cached window the forecast comes from the history: hour 96 from hours 48
    // (now 400), 24 and 0 (100).
    assert_eq!(f.forecast(96), Some(Value::from_int(200)));
    assert!(f.refresh(at(54)));
    assert_eq!(f.refreshed_hour(), Some(54));
    // Hours 48..53 were 400: the same hours a day later are (400 + 100 + 100) / 3.
    assert_eq!(f.forecast(72), Some(Value::from_int(200)));
    assert_eq!(f.forecast(78), Some(Value::from_int(100)));
    assert!(!f.refresh(at(59)));
    assert!(f.refresh(at(70)), "a late call refreshes from its own hour");
    assert_eq!(f.refreshed_hour(), Some(70));
}

#[test]
fn older_weeks_weigh_half_and_the_last_day_sets_the_level() {
    // Week 0 at 100, week 1 at 400: profile (2 × 400 + 100) / 3 = 300. The last day (400)
    // against the forecast made a day earlier from week 0 alone (100): r = 4, damped to
    // (1 + 4) / 2 = 2.5.
    let mut f = fed(14 * 24, |h| if h < 7 * 24 { 100 } else { 400 });
    assert!(f.refresh(at(14 * 24)));
    assert_eq!(f.forecast(14 * 24), Some(Value::from_int(750)));
    // A steady week after a steady week has no level change: 8 days at 100, then a day at
    // 200: r = 2, factor 1.5 on the weekly profile (100).
    let f = fed(9 * 24, |h| if h < 8 * 24 { 100 } else { 200 });
    assert_eq!(f.forecast(9 * 24), Some(Value::from_int(150)));
}

#[test]
fn same_history_same_forecast() {
    let load = |h: u64| i64::try_from((h * 7919) % 1000 + 50 * (h % 24)).unwrap();
    let mut a = fed(10 * 24, load);
    let mut b = fed(10 * 24, load);
    assert!(a.refresh(at(10 * 24)));
    assert!(b.refresh(at(10 * 24)));
    assert_eq!(a, b);
    assert!(a.forecast_48h().eq(b.forecast_48h()));
    // The state round-trips through a snapshot encoding unchanged.
    let mut buf = [0u8; 16 * 1024];
    let bytes = postcard::to_slice(&a, &mut buf).unwrap();
    let back: Forecaster = postcard::from_bytes(bytes).unwrap();
    assert_eq!(back, a);
}

#[test]
fn fourteen_days_in_fixed_memory() {
    let mut f = fed(14 * 24, |_| 1);
    assert_eq!(f.span_hours(), 14 * 24);
    assert_eq!(f.load(0), Some(Value::from_int(1)));
    f.record(at(14 * 24), Value::from_int(1)).unwrap();
    assert_eq!(f.span_hours(), 14 * 24, "the oldest hour was dropped");
    assert_eq!(f.load(0), None);
    assert_eq!(f.load(1), Some(Value::from_int(1)));
    println!(
        "size_of::<Forecaster>() = {} bytes",
        core::mem::size_of::<Forecaster>()
    );
}

#[test]
fn an_old_sample_leaves_the_history_unchanged() {
    let mut f = fed(30, |_| 1);
    assert!(f.refresh(at(30)));
    let before = f.clone();
    assert_eq!(
        f.record(at(5), Value::from_int(9)),
        Err(ScalingError::TooOld)
    );
    assert_eq!(f, before);
}
