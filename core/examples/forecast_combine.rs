//! Issue 17's forecast-combination experiments, measured before changing the model of
//! `scaling/predictive.rs`: on every shared NAB trace and every outside series, on the protocol
//! of `tests/support/traces.rs` (rolling origin every 6 h, 48 h horizon, at most 14 days of
//! history), each variant combines five **members** at every origin, using only what is known
//! there:
//! - `model`: today's forecaster (`scaling::predictive::Forecaster`, its cached 48 hours);
//! - `naive24`, `naive168`, `mean7`: the baselines of `forecast_eval`, computed the same way;
//! - `hw24c`: the Holt-Winters additive forecast of `forecast_eval` (24 h season, parameters
//!   from a grid by least squared one-step error), clamped to the range of the history window
//!   (the unclamped one diverges on spiky series: 585 % WAPE on `ec2_network_in_257a54`).
//!
//! Each member is scored, like the model's own candidates, by its absolute error over the
//! hours before the origin of its forecasts at the 40 earlier origins (6, 12 … 240 hours back);
//! the variants differ in how they turn those scores into one forecast. This is an f64
//! prototype of the rules (the evaluation harness's arithmetic), not the integer model: a
//! variant that met every criterion would be ported to `predictive.rs`. The output is one row
//! per variant: WAPE / under-forecast rate (percent) per series, then how many series meet
//! each of issue 17's criteria (WAPE under every baseline's; under-forecast rate at most
//! seasonal naive 168 h's). BENCHMARKS.md, "Forecaster against the forecasts people use",
//! records the result.
//!
//! `cargo run -p fleetcore --example forecast_combine --release`

// Statistics are f64 on values far below 2^52, as in the harness.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

#[path = "../tests/support/traces.rs"]
mod traces;

use std::collections::BTreeMap;
use std::path::PathBuf;

use fleetcore::Instant;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::{Forecaster, HISTORY_HOURS, HORIZON_HOURS, MIN_HISTORY_HOURS};

/// Members, in the order of a forecast row: model, naive24, naive168, mean7, hw24c.
const MEMBERS: usize = 5;
/// The raw Holt-Winters baseline is kept beside the members for scoring (index 5).
const COLUMNS: usize = 6;
/// Earlier origins every backtest scores.
const BACKTEST: usize = 40;

/// One origin: its hour and, per horizon hour, every column's forecast.
type Origin = (u64, Vec<[f64; COLUMNS]>);

/// Every origin's member forecasts for the series in `path`, and its hourly means.
fn members(path: &std::path::Path) -> (BTreeMap<u64, f64>, Vec<Origin>) {
    let rows = traces::load_path(path);
    let means = traces::hourly_means(&rows);
    let (&first, _) = means.first_key_value().expect("samples");
    let (&last, _) = means.last_key_value().expect("samples");
    let mut f = Forecaster::new();
    let mut next_row = 0;
    let mut out = Vec::new();
    let mut o = (first + MIN_HISTORY_HOURS).next_multiple_of(6);
    while o + HORIZON_HOURS as u64 - 1 <= last {
        while let Some(&(s, v)) = rows.get(next_row) {
            if s / 3600 >= o {
                break;
            }
            let milli = (v * 1000.0).round() as i64;
            f.record(Instant::from_secs(s), Value::from_milli(milli))
                .expect("in time order");
            next_row += 1;
        }
        assert!(f.refresh(Instant::from_secs(o * 3600)), "refresh at {o}");
        let lo = first.max(o.saturating_sub(HISTORY_HOURS as u64));
        let win = traces::window(&means, lo, o);
        let hw = traces::holt_winters(&win, HORIZON_HOURS);
        let hi = win.iter().copied().fold(f64::MIN, f64::max);
        let low = win.iter().copied().fold(f64::MAX, f64::min);
        let mut rows_o = Vec::new();
        for ((t, model), &h) in f.forecast_48h().zip(&hw) {
            let model = model.expect("a forecast every hour").milli() as f64 / 1000.0;
            let n24 = traces::naive(&means, t, o, 24).expect("a day of history");
            let n168 = traces::naive(&means, t, o, 168).unwrap_or(n24);
            let m7 = traces::mean7(&means, t, o, lo).unwrap_or(n24);
            rows_o.push([model, n24, n168, m7, h.clamp(low, hi), h]);
        }
        out.push((o, rows_o));
        o += 6;
    }
    (means, out)
}

/// The horizon band of hour `h` (0-based): 1-6 h, 7-24 h, 25-48 h.
fn band(h: usize) -> usize {
    match h {
        0..6 => 0,
        6..24 => 1,
        _ => 2,
    }
}

/// How a variant combines the members.
#[derive(Clone, Copy)]
enum Rule {
    /// The member with the least backtest error.
    SelectBest,
    /// Weights 1 / backtest error over every member.
    InverseError,
    /// The median of the 3 members with the least backtest error.
    MedianBest3,
    /// Weights 1 / backtest error over the members within 25 % of the best one's error.
    Trimmed,
}

/// One variant of the experiment.
struct Variant {
    name: &'static str,
    rule: Rule,
    /// Score the members per horizon band (1-6, 7-24, 25-48 h) rather than over all 48.
    per_band: bool,
    /// Use the combination only when its own backtest error (today's weights applied to the
    /// earlier origins) is under this share of the model's; `None`: always.
    gate: Option<f64>,
    /// Raise by the smallest quantile of the backtest errors (actual − forecast) that brings
    /// the backtest under-share to naive 168 h's, when that costs at most this share of the
    /// backtest's absolute error; `None`: no raise.
    raise_budget: Option<f64>,
}

const VARIANTS: [Variant; 8] = [
    Variant {
        name: "select the best member (model, naive24, naive168, mean7, hw24c) by backtest error",
        rule: Rule::SelectBest,
        per_band: false,
        gate: None,
        raise_budget: None,
    },
    Variant {
        name: "the same, chosen per horizon band (1-6, 7-24, 25-48 h)",
        rule: Rule::SelectBest,
        per_band: true,
        gate: None,
        raise_budget: None,
    },
    Variant {
        name: "inverse-backtest-error weights over the five members",
        rule: Rule::InverseError,
        per_band: false,
        gate: None,
        raise_budget: None,
    },
    Variant {
        name: "median of the best 3 by backtest error",
        rule: Rule::MedianBest3,
        per_band: false,
        gate: None,
        raise_budget: None,
    },
    Variant {
        name: "median of the best 3, per horizon band",
        rule: Rule::MedianBest3,
        per_band: true,
        gate: None,
        raise_budget: None,
    },
    Variant {
        name: "inverse-error weights over the members within 25 % of the best",
        rule: Rule::Trimmed,
        per_band: false,
        gate: None,
        raise_budget: None,
    },
    Variant {
        name: "the same, used only when its backtest error is under 90 % of the model's",
        rule: Rule::Trimmed,
        per_band: false,
        gate: Some(0.9),
        raise_budget: None,
    },
    Variant {
        name: "the same, raised to naive 168 h's backtest under-share when it costs at most 10 % more backtest error",
        rule: Rule::Trimmed,
        per_band: false,
        gate: Some(0.9),
        raise_budget: Some(0.1),
    },
];

/// Backtest absolute errors per member and band at one origin.
type Errors = [[f64; 3]; MEMBERS];

/// The combined forecast of one origin's rows, with the backtest errors `err`.
fn combine(v: &Variant, rows: &[[f64; COLUMNS]], err: &Errors) -> Vec<f64> {
    let scored = err.iter().any(|e| e.iter().sum::<f64>() > 0.0);
    rows.iter()
        .enumerate()
        .map(|(h, row)| {
            if !scored {
                return row[0];
            }
            let e = |k: usize| {
                if v.per_band {
                    err[k][band(h)]
                } else {
                    err[k].iter().sum()
                }
                .max(1e-9)
            };
            let mut ranked: Vec<usize> = (0..MEMBERS).collect();
            ranked.sort_by(|&a, &b| e(a).total_cmp(&e(b)));
            let weighted = |ks: &[usize]| {
                let w: f64 = ks.iter().map(|&k| 1.0 / e(k)).sum();
                ks.iter().map(|&k| row[k] / e(k)).sum::<f64>() / w
            };
            match v.rule {
                Rule::SelectBest => row[ranked[0]],
                Rule::InverseError => weighted(&ranked),
                Rule::MedianBest3 => {
                    let mut m = [row[ranked[0]], row[ranked[1]], row[ranked[2]]];
                    m.sort_by(f64::total_cmp);
                    m[1]
                }
                Rule::Trimmed => {
                    let best = e(ranked[0]);
                    let kept: Vec<usize> = ranked
                        .iter()
                        .copied()
                        .filter(|&k| e(k) <= 1.25 * best)
                        .collect();
                    weighted(&kept)
                }
            }
        })
        .collect()
}

/// Accumulated WAPE and under-forecast rate.
#[derive(Clone, Copy, Default)]
struct Score {
    err: f64,
    actual: f64,
    under: u32,
    hours: u32,
}

impl Score {
    fn add(&mut self, f: f64, a: f64) {
        self.err += (f - a).abs();
        self.actual += a.abs();
        self.under += u32::from(f < a);
        self.hours += 1;
    }
    fn wape(&self) -> f64 {
        100.0 * self.err / self.actual
    }
    fn under(&self) -> f64 {
        100.0 * f64::from(self.under) / f64::from(self.hours.max(1))
    }
}

/// The hours of the backtest at origin `o`: for the last 40 earlier origins, each hour of
/// their 48 that is before `o` and has data, as (index in `past`, horizon hour, the row of
/// forecasts, the actual).
fn backtest<'a>(
    means: &'a BTreeMap<u64, f64>,
    past: &'a [Origin],
    o: u64,
) -> impl Iterator<Item = (usize, usize, &'a [f64; COLUMNS], f64)> + 'a {
    past.iter()
        .enumerate()
        .rev()
        .take(BACKTEST)
        .flat_map(move |(i, (po, rows))| {
            rows.iter()
                .enumerate()
                .take_while(move |&(h, _)| po + (h as u64) < o)
                .filter_map(move |(h, row)| means.get(&(po + h as u64)).map(|&a| (i, h, row, a)))
        })
}

/// The variant's scores on one series: [combination, model, naive24, naive168, mean7, hw24].
fn run(v: &Variant, means: &BTreeMap<u64, f64>, origins: &[Origin]) -> [Score; 6] {
    let mut sc = [Score::default(); 6];
    for (i, (o, rows)) in origins.iter().enumerate() {
        let past = &origins[..i];
        let mut err: Errors = [[0.0; 3]; MEMBERS];
        for (_, h, row, a) in backtest(means, past, *o) {
            for (k, e) in err.iter_mut().enumerate() {
                e[band(h)] += (row[k] - a).abs();
            }
        }
        let mut combo = combine(v, rows, &err);
        if v.gate.is_some() || v.raise_budget.is_some() {
            // The combination's own backtest, today's weights applied to the earlier origins.
            let earlier: Vec<Vec<f64>> = past.iter().map(|(_, r)| combine(v, r, &err)).collect();
            let (mut c_err, mut m_err) = (0.0, 0.0);
            let (mut misses, mut n168_under) = (Vec::new(), 0u32);
            for (j, h, row, a) in backtest(means, past, *o) {
                c_err += (earlier[j][h] - a).abs();
                m_err += (row[0] - a).abs();
                misses.push((a - earlier[j][h], a - row[0]));
                n168_under += u32::from(row[2] < a);
            }
            let use_combo = v
                .gate
                .is_none_or(|g| !misses.is_empty() && c_err < g * m_err);
            let mut own: Vec<f64> = misses
                .iter()
                .map(|&(c, m)| if use_combo { c } else { m })
                .collect();
            if !use_combo {
                combo = rows.iter().map(|r| r[0]).collect();
            }
            if let Some(budget) = v.raise_budget
                && !own.is_empty()
            {
                let base: f64 = own.iter().map(|e| e.abs()).sum();
                let share = f64::from(n168_under) / own.len() as f64;
                own.sort_by(f64::total_cmp);
                let idx = (((1.0 - share) * own.len() as f64).ceil() as usize).min(own.len() - 1);
                let q = own[idx].max(0.0);
                let cost: f64 = own.iter().map(|e| (e - q).abs()).sum::<f64>() - base;
                if cost <= budget * base {
                    for x in &mut combo {
                        *x += q;
                    }
                }
            }
        }
        for (h, row) in rows.iter().enumerate() {
            let Some(&a) = means.get(&(o + h as u64)) else {
                continue;
            };
            sc[0].add(combo[h], a);
            for (k, s) in [0usize, 1, 2, 3, 5].into_iter().zip(sc.iter_mut().skip(1)) {
                s.add(row[k], a);
            }
        }
    }
    sc
}

fn main() {
    let mut series: Vec<(&str, PathBuf)> = traces::TRACES
        .iter()
        .map(|&n| (n, traces::trace_dir().join(n)))
        .collect();
    series.extend(
        traces::OUTSIDE
            .iter()
            .map(|&n| (n, traces::outside_dir().join(n))),
    );
    let data: Vec<_> = series.iter().map(|(n, p)| (*n, members(p))).collect();
    print!("| variant |");
    for (n, _) in &data {
        print!(" {} |", n.trim_end_matches(".csv"));
    }
    println!(" WAPE met | under met |");
    println!("|---|{}---:|---:|", "---|".repeat(data.len()));
    let today = Variant {
        name: "today's model",
        rule: Rule::SelectBest,
        per_band: false,
        gate: Some(0.0),
        raise_budget: None,
    };
    for v in std::iter::once(&today).chain(&VARIANTS) {
        print!("| {} |", v.name);
        let (mut w_ok, mut u_ok) = (0, 0);
        for (_, (means, origins)) in &data {
            let sc = run(v, means, origins);
            print!(" {:.2} / {:.1} |", sc[0].wape(), sc[0].under());
            w_ok += usize::from(sc[2..].iter().all(|b| sc[0].wape() < b.wape()));
            u_ok += usize::from(sc[0].under() <= sc[3].under());
        }
        println!(" {w_ok} / {} | {u_ok} / {} |", data.len(), data.len());
    }
}
