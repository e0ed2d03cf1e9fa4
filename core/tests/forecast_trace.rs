//! Predictive scaling on a real trace: NYC taxi passengers per 30 minutes (NAB, shared/traces).
//!
//! Two weeks of history forecast the third week hour by hour; the weekly seasonal model must
//! land within 20 % mean absolute percentage error. The trace is the project's shared data,
//! found beside the repository (`../shared/traces`, as on CI) or through `FLEETCORE_TRACES`.

// Error statistics are computed in f64 on trace values far below 2^52, and the parsing uses
// short names for date parts.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::many_single_char_names
)]

use std::path::PathBuf;

use fleetcore::Instant;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::Forecaster;

fn trace_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("FLEETCORE_TRACES") {
        return PathBuf::from(dir);
    }
    // core/ -> repository -> its parent, where shared/ sits.
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.join("../../shared/traces")
}

/// (seconds since the trace's first sample, value); timestamps are `YYYY-MM-DD hh:mm:ss`.
fn load(name: &str) -> Vec<(u64, i64)> {
    let path = trace_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the trace {}: {e}", path.display()));
    let mut rows = Vec::new();
    let mut first_day: Option<i64> = None;
    for line in text.lines().skip(1) {
        let (ts, v) = line.split_once(',').expect("timestamp,value");
        let (date, time) = ts.split_once(' ').expect("date time");
        let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
        let t: Vec<u64> = time.split(':').map(|x| x.parse().unwrap()).collect();
        // Days since a fixed origin are enough for differences (days-from-civil).
        let (y, m) = if d[1] <= 2 {
            (d[0] - 1, d[1] + 9)
        } else {
            (d[0], d[1] - 3)
        };
        let day = 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d[2];
        let first = *first_day.get_or_insert(day);
        let secs = u64::try_from(day - first).unwrap() * 86_400 + t[0] * 3600 + t[1] * 60 + t[2];
        rows.push((secs, v.trim().parse::<f64>().unwrap().round() as i64));
    }
    rows
}

#[test]
fn weekly_seasonal_forecast_of_taxi_demand() {
    let rows = load("nyc_taxi.csv");
    let week = 7 * 24 * 3600;
    let mut f = Forecaster::new();
    for &(s, v) in rows.iter().filter(|(s, _)| *s < 2 * week) {
        f.record(Instant::from_secs(s), Value::from_int(v)).unwrap();
    }
    // Actual hourly totals of the third week.
    let mut actual = std::collections::BTreeMap::<u64, i64>::new();
    for &(s, v) in rows
        .iter()
        .filter(|(s, _)| (2 * week..3 * week).contains(s))
    {
        *actual.entry(s / 3600).or_default() += v;
    }
    let (mut err, mut n) = (0.0f64, 0u32);
    for (&h, &a) in &actual {
        let forecast = f
            .forecast(h)
            .expect("two weeks of history give a forecast")
            .milli() as f64
            / 1000.0;
        err += ((forecast - a as f64) / a as f64).abs();
        n += 1;
    }
    let mape = err / f64::from(n) * 100.0;
    println!("taxi week 3: {n} hourly forecasts, MAPE {mape:.1} %");
    assert_eq!(n, 168);
    assert!(
        mape < 20.0,
        "MAPE {mape:.1} % is too far off for a weekly seasonal trace"
    );
}
