//! Shared by `tests/forecast_trace.rs` and `examples/forecast_eval.rs`: reading the NAB traces
//! and the rolling-origin evaluation of the forecaster against the forecasts people use.
//!
//! Evaluation protocol (issue 4): each trace is resampled to hourly means (the mean of the
//! samples in the hour, which is also the unit the forecaster records). Origins fall every 6
//! hours on hours divisible by 6 (00, 06, 12, 18 UTC), from the first with 24 hours of history
//! to the last whose 48-hour horizon lies in the trace. At each origin the forecaster holds the
//! samples of the hours before it (at most 14 days, its fixed memory), refreshes, and its
//! cached 48 hours are compared with the actual hourly means. The baselines see the same
//! history (the hourly means of at most the 14 days before the origin):
//! - seasonal naive with a 24 h and a 168 h season: the value at `t − k·season` for the
//!   smallest `k` that lands before the origin (so beyond one season the season repeats); when
//!   that hour is before the trace (under a week of history for the 168 h season) the 168 h
//!   baseline falls back to the 24 h one;
//! - the mean of the same hour of the day over the 7 days before the origin (fewer with less
//!   history);
//! - Holt-Winters additive (additive trend, additive 24 h season), initialised from the first
//!   two days, its smoothing parameters (α, β, γ) the point of a 7 × 5 × 6 grid with the least
//!   squared one-step error over the history, refitted at every origin; hours missing from the
//!   history are filled with the hour before.
//!
//! Scores over every (origin, horizon hour) with an actual: WAPE = Σ|forecast − actual| ÷
//! Σ|actual| (the headline figure); the under-forecast rate, the share of hours where
//! forecast < actual; MAPE (hours whose actual is zero skipped, counted in `zero_actual`).

// Statistics are f64 on values far below 2^52; parsing uses short names for date parts.
#![allow(
    dead_code,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::many_single_char_names
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use fleetcore::Instant;

/// The row parser the golden scenarios use too.
#[path = "../../../golden/nab_row.rs"]
mod nab_row;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::{Forecaster, HISTORY_HOURS, HORIZON_HOURS, MIN_HISTORY_HOURS};

/// The traces, in the order they are reported.
pub const TRACES: [&str; 7] = [
    "nyc_taxi.csv",
    "elb_request_count_8c0756.csv",
    "ec2_cpu_utilization_5f5533.csv",
    "cpu_utilization_asg_misconfiguration.csv",
    "ec2_network_in_257a54.csv",
    "Twitter_volume_AAPL.csv",
    "Twitter_volume_IBM.csv",
];

/// Real hourly-or-finer series from outside the shared traces (`core/examples/data/`, sources
/// and licences in its README.md), reported as "outside series": none of them was used to
/// choose the model.
pub const OUTSIDE: [&str; 7] = [
    "taylor_electricity.csv",
    "water_flow.csv",
    "sf_temps.csv",
    "seattle_temps.csv",
    "pm25.csv",
    "greensboro_ghi.csv",
    "sand_point_temps.csv",
];

/// Where the outside series are: `core/examples/data`.
pub fn outside_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data")
}

/// Where the traces are: `FLEETCORE_TRACES`, or `shared/traces` beside the repository.
pub fn trace_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("FLEETCORE_TRACES") {
        return PathBuf::from(dir);
    }
    // core/ -> repository -> its parent, where shared/ sits.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/traces")
}

/// The samples of a trace: (seconds since the Unix epoch, value); timestamps are
/// `YYYY-MM-DD hh:mm:ss`, read as UTC.
pub fn load(name: &str) -> Vec<(u64, f64)> {
    load_path(&trace_dir().join(name))
}

/// The samples of the series in the file at `path` (as [`load`]).
pub fn load_path(path: &std::path::Path) -> Vec<(u64, f64)> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read the trace {}: {e}", path.display()));
    let mut rows = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let (secs, v) = nab_row::split_row(line)
            .unwrap_or_else(|| panic!("{}: not a NAB row: {line:?}", path.display()));
        rows.push((secs, v.parse::<f64>().unwrap()));
    }
    rows
}

/// Hourly means: hour index since the epoch -> mean of the samples in it.
pub fn hourly_means(rows: &[(u64, f64)]) -> BTreeMap<u64, f64> {
    let mut acc = BTreeMap::<u64, (f64, u32)>::new();
    for &(s, v) in rows {
        let e = acc.entry(s / 3600).or_default();
        e.0 += v;
        e.1 += 1;
    }
    acc.into_iter()
        .map(|(h, (sum, n))| (h, sum / f64::from(n)))
        .collect()
}

/// Error statistics of one forecaster over all (origin, horizon) hours.
#[derive(Debug, Clone, Copy, Default)]
pub struct Score {
    abs_err: f64,
    abs_actual: f64,
    abs_pct: f64,
    mape_hours: u32,
    under: u32,
    hours: u32,
}

impl Score {
    fn add(&mut self, forecast: f64, actual: f64) {
        self.abs_err += (forecast - actual).abs();
        self.abs_actual += actual.abs();
        if actual != 0.0 {
            self.abs_pct += ((forecast - actual) / actual).abs();
            self.mape_hours += 1;
        }
        if forecast < actual {
            self.under += 1;
        }
        self.hours += 1;
    }

    /// Weighted absolute percentage error, in percent: Σ|forecast − actual| ÷ Σ|actual|.
    pub fn wape(&self) -> f64 {
        if self.abs_actual == 0.0 {
            return 0.0;
        }
        100.0 * self.abs_err / self.abs_actual
    }

    /// Mean absolute percentage error, in percent (hours with a zero actual skipped).
    pub fn mape(&self) -> f64 {
        100.0 * self.abs_pct / f64::from(self.mape_hours.max(1))
    }

    /// Share of hours forecast below the actual, in percent.
    pub fn under_rate(&self) -> f64 {
        100.0 * f64::from(self.under) / f64::from(self.hours.max(1))
    }
}

/// The methods compared, in the order of [`Evaluation::scores`] and of the table's columns.
pub const METHODS: [&str; 5] = ["fleetcore", "naive24", "naive168", "mean7", "hw24"];

/// The evaluation of one trace.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evaluation {
    /// Forecast origins.
    pub origins: u32,
    /// Forecast hours (origins × 48 when every hour has a forecast).
    pub hours: u32,
    /// Hours left out of MAPE because their actual was zero.
    pub zero_actual: u32,
    /// Hours the model gave no forecast for (no season with data; they count as misses of
    /// nothing, so they are left out of every score).
    pub missing: u32,
    /// The forecaster.
    pub model: Score,
    /// Seasonal naive, 24 h season.
    pub naive24: Score,
    /// Seasonal naive, 168 h season (24 h before a week of history).
    pub naive168: Score,
    /// The mean of the same hour of the day over the last 7 days before the origin (the days
    /// available, with less history).
    pub mean7: Score,
    /// Holt-Winters additive (additive trend and a 24 h additive season), its smoothing
    /// parameters fitted at each origin on the history (least squares of one-step errors over
    /// a grid).
    pub holt_winters: Score,
    /// `size_of::<Forecaster>()`.
    pub forecaster_bytes: usize,
}

impl Evaluation {
    /// The scores in the order of [`METHODS`].
    pub fn scores(&self) -> [Score; 5] {
        [
            self.model,
            self.naive24,
            self.naive168,
            self.mean7,
            self.holt_winters,
        ]
    }
}

/// The seasonal-naive forecast of hour `t` from origin `o`, or `None` before the trace. An
/// hour missing from the series is filled with the last hour before it that has data (as
/// [`window`] fills them for Holt-Winters).
pub fn naive(means: &BTreeMap<u64, f64>, t: u64, o: u64, season: u64) -> Option<f64> {
    let k = (t - o) / season + 1;
    let s = t.checked_sub(k * season)?;
    let (&first, _) = means.first_key_value()?;
    if s < first {
        return None;
    }
    means.range(..=s).next_back().map(|(_, &v)| v)
}

/// The mean of the same hour of the day as `t` over the 7 days before origin `o` that are in
/// `[lo, o)` and have data; `None` when none has.
pub fn mean7(means: &BTreeMap<u64, f64>, t: u64, o: u64, lo: u64) -> Option<f64> {
    let k = (t - o) / 24 + 1;
    let (mut sum, mut n) = (0.0, 0u32);
    for j in k..k + 7 {
        let Some(s) = t.checked_sub(j * 24) else {
            break;
        };
        if s < lo {
            break;
        }
        if let Some(&v) = means.get(&s) {
            sum += v;
            n += 1;
        }
    }
    (n > 0).then(|| sum / f64::from(n))
}

/// The hourly series of `[lo, o)` with gaps filled by the hour before (or the first hour with
/// data, for a gap at the start).
pub fn window(means: &BTreeMap<u64, f64>, lo: u64, o: u64) -> Vec<f64> {
    let first = means.range(lo..o).next().map_or(0.0, |(_, &v)| v);
    let mut last = first;
    (lo..o)
        .map(|h| {
            if let Some(&v) = means.get(&h) {
                last = v;
            }
            last
        })
        .collect()
}

/// Holt-Winters additive with season `m`: one pass over `y` with the given smoothing
/// parameters; returns the sum of squared one-step errors and the final (level, trend,
/// seasonal indices, the index of the season slot of the hour after `y`).
fn hw_pass(y: &[f64], m: usize, a: f64, b: f64, g: f64) -> (f64, f64, f64, Vec<f64>) {
    let n = y.len();
    let first: f64 = y[..m].iter().sum::<f64>() / m as f64;
    let mut trend = if n >= 2 * m {
        (y[m..2 * m].iter().sum::<f64>() / m as f64 - first) / m as f64
    } else {
        0.0
    };
    let mut level = first;
    let mut season: Vec<f64> = y[..m].iter().map(|v| v - first).collect();
    let mut sse = 0.0;
    for (i, &v) in y.iter().enumerate().skip(m) {
        let s = season[i % m];
        let pred = level + trend + s;
        sse += (v - pred) * (v - pred);
        let new_level = a * (v - s) + (1.0 - a) * (level + trend);
        trend = b * (new_level - level) + (1.0 - b) * trend;
        season[i % m] = g * (v - new_level) + (1.0 - g) * s;
        level = new_level;
    }
    (sse, level, trend, season)
}

/// The Holt-Winters additive forecasts (24 h season) of the `horizon` hours after `y`, its
/// parameters the grid point with the least squared one-step error.
pub fn holt_winters(y: &[f64], horizon: usize) -> Vec<f64> {
    const M: usize = 24;
    let grid_a = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
    let grid_b = [0.0, 0.01, 0.05, 0.1, 0.2];
    let grid_g = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5];
    let mut best = (f64::INFINITY, 0.0, 0.0, vec![0.0; M]);
    for &a in &grid_a {
        for &b in &grid_b {
            for &g in &grid_g {
                let r = hw_pass(y, M, a, b, g);
                if r.0 < best.0 {
                    best = r;
                }
            }
        }
    }
    let (_, level, trend, season) = best;
    let n = y.len();
    (1..=horizon)
        .map(|h| level + trend * h as f64 + season[(n + h - 1) % M])
        .collect()
}

/// Runs the rolling-origin evaluation on one shared trace.
pub fn evaluate(name: &str) -> Evaluation {
    evaluate_path(&trace_dir().join(name))
}

/// Runs the rolling-origin evaluation on one outside series ([`OUTSIDE`]).
pub fn evaluate_outside(name: &str) -> Evaluation {
    evaluate_path(&outside_dir().join(name))
}

/// Runs the rolling-origin evaluation on the series in the file at `path`.
pub fn evaluate_path(path: &std::path::Path) -> Evaluation {
    let rows = load_path(path);
    let means = hourly_means(&rows);
    let (&first, _) = means.first_key_value().expect("a trace with samples");
    let (&last, _) = means.last_key_value().expect("a trace with samples");
    let horizon = HORIZON_HOURS as u64;
    let mut ev = Evaluation {
        forecaster_bytes: std::mem::size_of::<Forecaster>(),
        ..Evaluation::default()
    };
    let mut f = Forecaster::new();
    let mut next_row = 0;
    let mut o = (first + MIN_HISTORY_HOURS).next_multiple_of(6);
    while o + horizon - 1 <= last {
        // Feed the samples of the hours before the origin, in the forecaster's units.
        while let Some(&(s, v)) = rows.get(next_row) {
            if s / 3600 >= o {
                break;
            }
            let milli = (v * 1000.0).round() as i64;
            f.record(Instant::from_secs(s), Value::from_milli(milli))
                .unwrap();
            next_row += 1;
        }
        assert!(f.refresh(Instant::from_secs(o * 3600)), "refresh at {o}");
        ev.origins += 1;
        let lo = first.max(o.saturating_sub(HISTORY_HOURS as u64));
        let hw = holt_winters(&window(&means, lo, o), HORIZON_HOURS);
        for (t, forecast) in f.forecast_48h() {
            let Some(&actual) = means.get(&t) else {
                continue;
            };
            let Some(forecast) = forecast else {
                ev.missing += 1;
                continue;
            };
            let n24 = naive(&means, t, o, 24).expect("24 h of history");
            let n168 = naive(&means, t, o, 168).unwrap_or(n24);
            let m7 = mean7(&means, t, o, lo).unwrap_or(n24);
            ev.hours += 1;
            if actual == 0.0 {
                ev.zero_actual += 1;
            }
            ev.model.add(forecast.milli() as f64 / 1000.0, actual);
            ev.naive24.add(n24, actual);
            ev.naive168.add(n168, actual);
            ev.mean7.add(m7, actual);
            ev.holt_winters.add(hw[(t - o) as usize], actual);
        }
        o += 6;
    }
    ev
}

/// The table (Markdown, trace names in backticks as rustdoc wants them in core/README.md): per
/// trace, the WAPE of each method, then its under-forecast rate.
pub fn table(results: &[(&str, Evaluation)]) -> String {
    let mut out = String::from("| trace | origins |");
    for m in METHODS {
        let _ = write!(out, " WAPE {m} |");
    }
    for m in METHODS {
        let _ = write!(out, " under {m} |");
    }
    out.push_str("\n|---|---:|");
    for _ in 0..2 * METHODS.len() {
        out.push_str("---:|");
    }
    out.push('\n');
    for (name, e) in results {
        let _ = write!(
            out,
            "| `{}` | {} |",
            name.trim_end_matches(".csv"),
            e.origins
        );
        for s in e.scores() {
            let _ = write!(out, " {:.2} |", s.wape());
        }
        for s in e.scores() {
            let _ = write!(out, " {:.1} |", s.under_rate());
        }
        out.push('\n');
    }
    out
}
