//! The forecast combination of issue 17 ("A forecaster that beats the forecasts people use"):
//! the model's chosen candidate is combined with the forecasts people use, each reproduced
//! here in integer arithmetic, when the recent past says the combination does better.
//!
//! Members, for hour `t` from origin `o`:
//! - **model**: the chosen candidate raised by its uplift (module docs of `predictive`);
//! - **naive 24 h** / **naive 168 h**: the load `k` days (weeks) before `t`, for the smallest
//!   `k` that lands before `o` (the last hour with data at or before it; naive 168 h falls
//!   back to naive 24 h with under a week of history);
//! - **mean 7**: the mean of the same hour of the day over the 7 days before `o`, scaled by
//!   the damped level factor of the weekly candidate, `(1 + r) / 2`, with `r` mean 7's own:
//!   the load of the 24 hours before `o` over what mean 7 forecast for them from `o − 24`
//!   (issue 17: a sunny or cloudy day carries into the next two at half strength; on solar
//!   irradiance, published alone at every origin, 30.97 % WAPE against the plain mean's
//!   32.12 %). Its own factor, not the weekly profile's: with that one the product forecast
//!   solar at 38.7 % (BENCHMARKS.md, issue 17's fourth pass);
//! - **Holt-Winters**: additive level, trend and 24 h season (Holt 1957, Winters 1960; the
//!   initialisation of `forecast_eval`'s baseline, and a 4 × 2 × 3 subset of its 7 × 5 × 6
//!   grid of smoothing parameters), its parameters the grid point with the least squared
//!   one-step error over the
//!   history at `o`, its forecast clamped to the range of the history (an extrapolated trend
//!   otherwise diverges on spiky load).
//!
//! Each member is scored in the track record (`record.rs`: each forecast as made at its
//! origin, the model as chosen there, Holt-Winters from its pass with today's parameters as it
//! stood at that origin; or, at a seed, on the backtest of the up to 40 earlier origins with
//! today's choice and parameters); the members whose error is within 25 % of the least are
//! combined with weights inversely proportional to their errors (Bates and Granger 1969, "The
//! combination of forecasts"; trimmed as in Timmermann 2006, "Forecast combinations", Handbook
//! of Economic Forecasting 1), and the combination is raised by the uplift's share of its own
//! mean absolute error, as the model is. The combination replaces the model only when its own
//! error on the record is under 90 % of the model's: on most load traces the model alone
//! stays. Integer only: thousandths in `i64`, sums and products in `i128`,
//! parameters in thousandths, truncating division.

use super::{
    Candidate, Choice, DAY, DAY_HOURS, Forecaster, HISTORY_HOURS, HourLoad, Hours, MEDIAN_DAYS,
    OriginState, WEEK, div_i128, median,
};

/// Members: model, naive 24 h, naive 168 h, mean 7, Holt-Winters.
pub(super) const MEMBERS: usize = 5;
/// Holt-Winters level smoothing α, in 1/1024: 0.05, 0.2, 0.5, 0.9 (from the grid of
/// `forecast_eval`'s baseline, to the nearest 1/1024, so that each of the 8 000 steps of a
/// fit multiplies and shifts, without a 128-bit division). 24 grid points instead of the
/// baseline's 210 cost a refresh 9 times fewer steps and moved no series' WAPE by more than
/// 0.1 point (`forecast_eval`).
const HW_ALPHA: [i64; 4] = [51, 205, 512, 922];
/// Trend smoothing β, in 1/1024: 0, 0.05.
const HW_BETA: [i64; 2] = [0, 51];
/// Season smoothing γ, in 1/1024: 0.05, 0.2, 0.5.
const HW_GAMMA: [i64; 3] = [51, 205, 512];
/// The state's extra precision, bits: rounding to thousandths at every step would drift the
/// trend (a bias of half a thousandth an hour).
const HW_SHIFT: u32 = 16;
/// The parameters' unit, bits (1/1024).
const PARAM_SHIFT: u32 = 10;
/// One, for the parameters.
const ONE: i128 = 1 << PARAM_SHIFT;
/// Members whose backtest error is at most this percentage of the least are combined.
const TRIM_PERCENT: i128 = 125;
/// The combination replaces the model when its backtest error is under this percentage of
/// the model's.
const GATE_PERCENT: i128 = 90;
/// A member is published instead of the model or the combination when its error on the
/// record is under this percentage of theirs ([`select`]), whatever the record's noise: a
/// lead of a quarter (at 80 % and 85 % `Twitter_volume_IBM` lost its WAPE lead over mean 7
/// to members chosen on a few good days, `forecast_eval`). The one bar a seeded record,
/// which keeps no spread, can pass.
const SELECT_PERCENT: i128 = 75;
/// The members [`select`] may publish: naive 24 h, naive 168 h and mean 7 (indices 1 to 3),
/// which have no parameters, so that their errors on a seeded record are out of sample as
/// they will be ahead. Not Holt-Winters: a seed scores it with parameters fitted to the same
/// hours (on `Twitter_volume_IBM` it looked three times better than it then forecast).
pub(super) const SELECTABLE: usize = 3;
/// The one-sided 1 % point of the standard normal, squared, in thousandths (2.326² = 5.410):
/// a member is published alone when its lead on the record is at least that many deviations
/// of itself ([`leads_clearly`]), or under [`SELECT_PERCENT`]. 1 %, not 5 %: consecutive
/// refreshes' leads are not independent (each origin's 48 hours are scored over 8
/// refreshes, under one plan), so the sum of their squares understates the lead's variance;
/// at 5 % (1.645) `Twitter_volume_IBM` lost its WAPE lead over mean 7 (48.52 % against
/// 48.08 %); from 2.13 to 3.16 every criterion met before stays met and `greensboro_ghi`'s
/// is met (`forecast_eval`, BENCHMARKS.md).
const Z2_MILLI: i128 = 5_410;
/// The weight of the member with the least error (the others' are smaller, in proportion).
const WEIGHT_ONE: i128 = 1 << 20;

/// Holt-Winters smoothing parameters, in 1/1024.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct HwParams {
    alpha: i64,
    beta: i64,
    gamma: i64,
}

/// A Holt-Winters pass over the history from `lo`: its state after the hours before `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Hw {
    params: HwParams,
    lo: u64,
    next: u64,
    /// The last load read (fills an hour without data).
    last: i64,
    /// Level, trend and season, in thousandths × 2^[`HW_SHIFT`].
    level: i128,
    trend: i128,
    season: [i128; DAY_HOURS],
    /// The least and greatest load read (the clamp of the forecasts).
    min: i64,
    max: i64,
    /// Σ (one-step error)², thousandths².
    sse: i128,
}

/// Points of the grid of smoothing parameters.
const GRID: usize = HW_ALPHA.len() * HW_BETA.len() * HW_GAMMA.len();

/// The `i`-th point of the grid, in the order of the nested loops over α, β, γ.
fn grid_point(i: usize) -> Option<HwParams> {
    let gamma = *HW_GAMMA.get(i.checked_rem(HW_GAMMA.len())?)?;
    let rest = i.checked_div(HW_GAMMA.len())?;
    let beta = *HW_BETA.get(rest.checked_rem(HW_BETA.len())?)?;
    let alpha = *HW_ALPHA.get(rest.checked_div(HW_BETA.len())?)?;
    Some(HwParams { alpha, beta, gamma })
}

/// The index of `p` in the grid ([`grid_point`]), if it is a grid point.
fn grid_index(p: HwParams) -> Option<usize> {
    (0..GRID).find(|&i| grid_point(i) == Some(p))
}

/// What a 64-bit pass of [`Hw::fit`] found for one grid point.
enum Sse {
    /// Its Σ (one-step error)² over every hour.
    Sum(i128),
    /// At least the least sum so far: it cannot be the fit.
    AtLeast,
    /// A value did not fit 64 bits: the 128-bit steps decide.
    Wide,
}

/// `x × p ÷ 1024` for a parameter `p` in 1/1024, rounded toward −∞ (an arithmetic shift: the
/// same on every target; wrapping, as in [`Hw::advance_to`]).
fn scale(x: i128, p: i128) -> i128 {
    x.wrapping_mul(p) >> PARAM_SHIFT
}

/// The load of hour `h`, or `last` when it has no data (then kept as the last load read).
fn fill(hours: Hours<'_>, h: u64, last: &mut i64) -> i64 {
    if let Some(v) = hours.mean_at(h) {
        *last = v;
    }
    *last
}

/// One Holt-Winters step ([`Hw::step`]) in 64-bit arithmetic: the new level, trend and
/// season of the hour's slot and the one-step error (thousandths), or `None` when a state
/// value or any operation does not fit 64 bits (then the 128-bit step decides). When they
/// fit, each of the 128-bit step's wrapping operations gives the same exact number (no
/// wrap), and so does each shift (rounding toward −∞ in both).
fn step_64(
    params: HwParams,
    level: i128,
    trend: i128,
    season: i128,
    load: i64,
) -> Option<(i64, i64, i64, i128)> {
    step_64_in(
        params,
        i64::try_from(level).ok()?,
        i64::try_from(trend).ok()?,
        i64::try_from(season).ok()?,
        load,
    )
}

/// [`step_64`] of a state already in 64 bits.
fn step_64_in(
    params: HwParams,
    level: i64,
    trend: i64,
    season: i64,
    load: i64,
) -> Option<(i64, i64, i64, i128)> {
    let HwParams { alpha, beta, gamma } = params;
    let one = 1i64 << PARAM_SHIFT;
    let scale = |x: i64, p: i64| x.checked_mul(p).map(|y| y >> PARAM_SHIFT);
    let load = load.checked_mul(1 << HW_SHIFT)?;
    let ahead = level.checked_add(trend)?;
    let miss = load.checked_sub(ahead.checked_add(season)?)? >> HW_SHIFT;
    let new_level = scale(load.checked_sub(season)?, alpha)?
        .checked_add(scale(ahead, one.checked_sub(alpha)?)?)?;
    let new_trend = scale(new_level.checked_sub(level)?, beta)?
        .checked_add(scale(trend, one.checked_sub(beta)?)?)?;
    let new_season = scale(load.checked_sub(new_level)?, gamma)?
        .checked_add(scale(season, one.checked_sub(gamma)?)?)?;
    Some((new_level, new_trend, new_season, i128::from(miss)))
}

/// The bound on the level, trend, season and load (thousandths × 2^[`HW_SHIFT`]) under
/// which [`step_fast`] needs no overflow test: with parameters in `[0, 1]` every operand of a
/// step is then under 2^53 and every product under 2^63.
const FAST_BOUND: i64 = 1 << 50;

/// Whether `x` is within `±`[`FAST_BOUND`] (`-B ≤ x < B`).
#[cfg(not(target_os = "none"))] // Host builds only: the microcontrollers run the checked step.
#[inline]
fn fast_ok(x: i64) -> bool {
    x.wrapping_add(FAST_BOUND).cast_unsigned() < FAST_BOUND.cast_unsigned() << 1
}

/// Smoothing parameters and their complements for [`step_fast`]: only when each is in
/// `[0, 1]` (in 1/1024), as every grid point is (a snapshot may hold any).
#[cfg(not(target_os = "none"))] // Host builds only: the microcontrollers run the checked step.
#[derive(Clone, Copy)]
struct FastParams {
    alpha: i64,
    beta: i64,
    gamma: i64,
    not_alpha: i64,
    not_beta: i64,
    not_gamma: i64,
}

#[cfg(not(target_os = "none"))] // Host builds only: the microcontrollers run the checked step.
impl FastParams {
    fn new(p: HwParams) -> Option<Self> {
        let one = 1i64 << PARAM_SHIFT;
        let unit = |x: i64| (0..=one).contains(&x).then_some((x, one.wrapping_sub(x)));
        let ((alpha, not_alpha), (beta, not_beta)) = (unit(p.alpha)?, unit(p.beta)?);
        let (gamma, not_gamma) = unit(p.gamma)?;
        Some(Self {
            alpha,
            beta,
            gamma,
            not_alpha,
            not_beta,
            not_gamma,
        })
    }
}

/// A sum of squares under which [`step_fast`]'s callers add squares without saturating:
/// fewer than [`FAST_STEPS`] squares under 2^74 (errors under 2^37) stay under 2^127.
#[cfg(not(target_os = "none"))] // Host builds only: the microcontrollers run the checked step.
const FAST_SSE: i128 = 1 << 120;
/// The most steps a caller of [`step_fast`] takes in one go ([`FAST_SSE`]).
#[cfg(not(target_os = "none"))] // Host builds only: the microcontrollers run the checked step.
const FAST_STEPS: u64 = 1 << 40;

/// The greatest load (thousandths) [`step_fast`] takes: `load × 2^16` within [`FAST_BOUND`].
const FAST_LOAD: i64 = FAST_BOUND >> HW_SHIFT;

/// Whether `load` (thousandths) is one [`step_fast`] takes.
#[inline]
fn fast_load(load: i64) -> bool {
    (-FAST_LOAD..FAST_LOAD).contains(&load)
}

/// [`step_64_in`] without a test per operation, for a state within [`FAST_BOUND`] and a
/// load [`fast_load`] takes: wrapping arithmetic, then one test that the new level, trend
/// and season are within the bound (`None` otherwise: the caller's checked step decides,
/// from the same state). Each operation of a step that passes is exact (sums under 2^53,
/// products under 2^63: no wrap), so it is [`step_64_in`]'s numbers; a wrapped operation
/// could only have fed a trend or season from a level the test refuses.
#[cfg(not(target_os = "none"))] // Host builds only: the microcontrollers run the checked step.
#[inline]
fn step_fast(
    p: &FastParams,
    level: i64,
    trend: i64,
    season: i64,
    load: i64,
) -> Option<(i64, i64, i64, i64)> {
    let scale = |x: i64, q: i64| x.wrapping_mul(q) >> PARAM_SHIFT;
    let load = load.wrapping_shl(HW_SHIFT);
    let ahead = level.wrapping_add(trend);
    let miss = load.wrapping_sub(ahead.wrapping_add(season)) >> HW_SHIFT;
    let new_level =
        scale(load.wrapping_sub(season), p.alpha).wrapping_add(scale(ahead, p.not_alpha));
    let new_trend =
        scale(new_level.wrapping_sub(level), p.beta).wrapping_add(scale(trend, p.not_beta));
    let new_season =
        scale(load.wrapping_sub(new_level), p.gamma).wrapping_add(scale(season, p.not_gamma));
    // One comparison for the three: each offset by the bound is under twice it exactly when
    // their OR is.
    let offset = |x: i64| x.wrapping_add(FAST_BOUND).cast_unsigned();
    let any = offset(new_level) | offset(new_trend) | offset(new_season);
    (any < FAST_BOUND.cast_unsigned() << 1).then_some((new_level, new_trend, new_season, miss))
}

/// An `i128` saturated into an `i64`.
fn sat(x: i128) -> i64 {
    i64::try_from(x).unwrap_or(if x < 0 { i64::MIN } else { i64::MAX })
}

impl Hw {
    /// The smoothing parameters of this pass.
    pub(super) fn params(&self) -> HwParams {
        self.params
    }

    /// The season slot of hour `t`.
    fn slot(&self, t: u64) -> usize {
        usize::try_from(t.saturating_sub(self.lo) % DAY).unwrap_or(0)
    }

    /// The pass initialised on the first day from `lo` (level: its mean; season: each hour
    /// less it; trend: the change of the daily mean to the second day ÷ 24, when `end` leaves
    /// two days), ready to read the hour `lo + 24`. `None` with less than a day before `end`
    /// or no data from `lo`.
    pub(super) fn start(f: &Forecaster, lo: u64, end: u64, params: HwParams) -> Option<Self> {
        if end.saturating_sub(lo) < DAY {
            return None;
        }
        let mut last = f.first_load_from(lo)?;
        let mut loads = [0i64; 2 * DAY_HOURS];
        let mut n = 0usize;
        let hours = f.hours();
        for (h, slot) in (lo..end).zip(loads.iter_mut()) {
            *slot = fill(hours, h, &mut last);
            n = n.saturating_add(1);
        }
        Self::start_over(loads.get(..n)?, lo, params)
    }

    /// [`Hw::start`] from the loads of the hours from `lo` to the end of the history
    /// (`loads[i]` hour `lo + i`'s, filled as [`fill`] does; the trend read from the second
    /// day when there is one). `None` with less than a day of them.
    fn start_over(loads: &[i64], lo: u64, params: HwParams) -> Option<Self> {
        let first = loads.get(..DAY_HOURS)?;
        let mut season = [0i128; DAY_HOURS];
        let mut first_day = 0i128;
        let (mut min, mut max) = (i64::MAX, i64::MIN);
        for (&v, s) in first.iter().zip(season.iter_mut()) {
            *s = i128::from(v) << HW_SHIFT;
            first_day = first_day.saturating_add(i128::from(v));
            min = min.min(v);
            max = max.max(v);
        }
        let mean = (first_day << HW_SHIFT).checked_div(DAY.into()).unwrap_or(0);
        for s in &mut season {
            *s = s.saturating_sub(mean);
        }
        let after_first = *first.last()?;
        let trend = match loads.get(DAY_HOURS..2 * DAY_HOURS) {
            Some(second) => second
                .iter()
                .fold(0i128, |acc, &v| acc.saturating_add(i128::from(v)))
                .saturating_sub(first_day)
                .checked_shl(HW_SHIFT)
                .unwrap_or(0)
                .checked_div(i128::from(DAY * DAY))
                .unwrap_or(0),
            None => 0,
        };
        Some(Self {
            params,
            lo,
            next: lo.saturating_add(DAY),
            last: after_first,
            level: mean,
            trend,
            season,
            min,
            max,
            sse: 0,
        })
    }

    /// Reads the hours before `until` not read yet: in 64-bit arithmetic while the numbers
    /// fit ([`Hw::advance_64`]), then hour by hour ([`Hw::step`]).
    pub(super) fn advance_to(&mut self, f: &Forecaster, until: u64) {
        let hours = f.hours();
        self.advance_64(hours, until);
        while self.next < until {
            let mut last = self.last;
            let load = fill(hours, self.next, &mut last);
            if !self.step(load) {
                return;
            }
        }
    }

    /// Reads the hours before `until` while each [`step_64`] fits, the level and trend kept
    /// in 64-bit locals and the season slot counted (not recomputed) from hour to hour; stops
    /// before the first hour that does not fit, the state as [`Hw::step`] would leave it
    /// after the hours read (the 64-bit step is its exact numbers). Once a refresh the pass
    /// over the 14-day window reads about 300 hours.
    fn advance_64(&mut self, hours: Hours<'_>, until: u64) {
        let (Ok(mut level), Ok(mut trend)) = (i64::try_from(self.level), i64::try_from(self.trend))
        else {
            return;
        };
        let (mut next, mut last, mut sse) = (self.next, self.last, self.sse);
        let (mut min, mut max) = (self.min, self.max);
        let mut slot = self.slot(next);
        // While the numbers stay within the fast step's bound, steps without a test per
        // operation on a 64-bit copy of the season; from the first that leaves it (if any),
        // the checked steps below. Host builds only: on the microcontrollers the copy's
        // 192 B (and the fit's) raised the golden firmware's stack high-water by 260 B.
        #[cfg(not(target_os = "none"))]
        let mut season = [0i64; DAY_HOURS];
        #[cfg(not(target_os = "none"))]
        if let Some(p) = FastParams::new(self.params).filter(|_| {
            fast_ok(level)
                && fast_ok(trend)
                && (0..FAST_SSE).contains(&sse)
                && until.saturating_sub(next) < FAST_STEPS
                && season.iter_mut().zip(&self.season).all(|(s, &x)| {
                    i64::try_from(x).is_ok_and(|x| {
                        *s = x;
                        fast_ok(x)
                    })
                })
        }) {
            while next < until {
                let mut filled = last;
                let load = fill(hours, next, &mut filled);
                let Some(s) = season.get_mut(slot).filter(|_| fast_load(load)) else {
                    break;
                };
                let Some((l, t, new_s, miss)) = step_fast(&p, level, trend, *s, load) else {
                    break;
                };
                *s = new_s;
                (level, trend) = (l, t);
                // Under 2^120 + 2^40 squares under 2^74: no wrap, so no saturation.
                let miss = i128::from(miss);
                sse = sse.wrapping_add(miss.wrapping_mul(miss));
                last = load;
                min = min.min(load);
                max = max.max(load);
                next = next.wrapping_add(1);
                slot = match slot.wrapping_add(1) {
                    DAY_HOURS => 0,
                    n => n,
                };
            }
            for (w, &s) in self.season.iter_mut().zip(&season) {
                *w = s.into();
            }
        }
        while next < until {
            let mut filled = last;
            let load = fill(hours, next, &mut filled);
            let Some(season) = self.season.get_mut(slot) else {
                break;
            };
            let Some((l, t, s, miss)) = i64::try_from(*season)
                .ok()
                .and_then(|s| step_64_in(self.params, level, trend, s, load))
            else {
                break;
            };
            *season = s.into();
            (level, trend) = (l, t);
            sse = sse.saturating_add(miss.wrapping_mul(miss));
            last = load;
            min = min.min(load);
            max = max.max(load);
            next = next.saturating_add(1);
            slot = match slot.saturating_add(1) {
                DAY_HOURS => 0,
                n => n,
            };
        }
        self.level = level.into();
        self.trend = trend.into();
        (self.next, self.last, self.sse) = (next, last, sse);
        (self.min, self.max) = (min, max);
    }

    /// [`Hw::advance_to`] hour by hour through [`Hw::step`] (the reference the tests hold
    /// the 64-bit pass to).
    #[cfg(test)]
    fn advance_stepwise(&mut self, f: &Forecaster, until: u64) {
        let hours = f.hours();
        while self.next < until {
            let mut last = self.last;
            let load = fill(hours, self.next, &mut last);
            if !self.step(load) {
                return;
            }
        }
    }

    /// Reads the hour `next`, whose load (filled as [`fill`] does) is `load`. `false` (the
    /// hour not read, the state unchanged) only without a season slot for it, which
    /// [`Hw::slot`] rules out. In 64-bit arithmetic when every operand and result fits
    /// ([`Hw::step_64`]), else in 128 bits ([`Hw::step_128`], the reference the tests hold
    /// this to): the same exact numbers either way.
    fn step(&mut self, load: i64) -> bool {
        let slot = self.slot(self.next);
        let Some(season) = self.season.get_mut(slot) else {
            return false;
        };
        let Some((level, trend, new_season, miss)) =
            step_64(self.params, self.level, self.trend, *season, load)
        else {
            return self.step_128(load);
        };
        *season = new_season.into();
        self.level = level.into();
        self.trend = trend.into();
        self.sse = self.sse.saturating_add(miss.wrapping_mul(miss));
        self.last = load;
        self.min = self.min.min(load);
        self.max = self.max.max(load);
        self.next = self.next.saturating_add(1);
        true
    }

    /// [`Hw::step`] in 128-bit wrapping arithmetic, whatever the numbers.
    fn step_128(&mut self, load: i64) -> bool {
        let slot = self.slot(self.next);
        let Some(season) = self.season.get(slot).copied() else {
            return false;
        };
        self.last = load;
        let load = i128::from(load) << HW_SHIFT;
        let (level, trend) = (self.level, self.trend);
        // Wrapping (the same on every target, and without the overflow checks that were
        // most of a fit's time): in thousandths × 2^16 a load would need 2^90 thousandths
        // to wrap, and a forecast is clamped to the loads read in any case.
        let miss = load.wrapping_sub(level.wrapping_add(trend).wrapping_add(season)) >> HW_SHIFT;
        self.sse = self.sse.saturating_add(miss.wrapping_mul(miss));
        let HwParams { alpha, beta, gamma } = self.params;
        let (alpha, beta, gamma) = (i128::from(alpha), i128::from(beta), i128::from(gamma));
        let new_level = scale(load.wrapping_sub(season), alpha)
            .wrapping_add(scale(level.wrapping_add(trend), ONE.wrapping_sub(alpha)));
        let new_trend = scale(new_level.wrapping_sub(level), beta)
            .wrapping_add(scale(trend, ONE.wrapping_sub(beta)));
        let new_season = scale(load.wrapping_sub(new_level), gamma)
            .wrapping_add(scale(season, ONE.wrapping_sub(gamma)));
        self.level = new_level;
        self.trend = new_trend;
        if let Some(s) = self.season.get_mut(slot) {
            *s = new_season;
        }
        self.min = self.min.min(self.last);
        self.max = self.max.max(self.last);
        self.next = self.next.saturating_add(1);
        true
    }

    /// The forecast of hour `t` (at or after `next`), clamped to the loads read.
    pub(super) fn forecast(&self, t: u64) -> Option<i64> {
        let h = i128::from(t.checked_sub(self.next)?.saturating_add(1));
        let s = *self.season.get(self.slot(t))?;
        let f = self
            .level
            .saturating_add(self.trend.saturating_mul(h))
            .saturating_add(s)
            >> HW_SHIFT;
        Some(sat(f).clamp(self.min, self.max.max(self.min)))
    }

    /// The grid point with the least squared one-step error over `[lo, origin)`, its pass
    /// restarted (ready to be advanced through a backtest). The history's loads are read
    /// once into a buffer (2.6 KiB of stack, for at most [`HISTORY_HOURS`] hours) that each
    /// of the 24 passes runs over; a longer span (not from [`Forecaster::plan_at`], whose
    /// window is 14 days) reads the history for each, as [`Hw::fit_reading`] does.
    #[inline]
    pub(super) fn fit(f: &Forecaster, lo: u64, origin: u64) -> Option<Self> {
        Self::fit_hinted(f, lo, origin, None)
    }

    /// [`Hw::fit`], trying `hint`'s grid point first: the same fit, found sooner when the
    /// hint is close to it (the parameters fitted the day before, [`Forecaster::advance_record`]).
    #[inline(never)]
    pub(super) fn fit_hinted(
        f: &Forecaster,
        lo: u64,
        origin: u64,
        hint: Option<HwParams>,
    ) -> Option<Self> {
        let mut loads = [0i64; HISTORY_HOURS];
        let n = usize::try_from(origin.saturating_sub(lo)).ok()?;
        if n > loads.len() {
            return Self::fit_reading(f, lo, origin);
        }
        if n < DAY_HOURS {
            return None;
        }
        let mut last = f.first_load_from(lo)?;
        let hours = f.hours();
        for (h, slot) in (lo..origin).zip(loads.iter_mut()) {
            *slot = fill(hours, h, &mut last);
        }
        let loads = loads.get(..n)?;
        let rest = loads.get(DAY_HOURS..)?;
        // Whether the passes may take the fast steps ([`step_fast`]): read once for all 24.
        let fast = cfg!(not(target_os = "none")) && rest.iter().all(|&v| fast_load(v));
        // The grid point with the least sum, the first in the grid's order among equal ones:
        // (sum, index). `hint` (yesterday's fit, usually today's) is tried first, so that
        // the others' passes stop early ([`Hw::sse_64_below`]).
        let first = hint.and_then(grid_index);
        // The best so far as plain numbers (`i128::MAX`: no cut yet) rather than an
        // `Option` of them: the loop's comparisons then read only initialised values (an
        // `Option<(i128, ..)>` compared on the `None` side made memcheck report a branch on
        // uninitialised bytes in the C tests).
        let (mut least_sse, mut at, mut best) = (i128::MAX, usize::MAX, None::<HwParams>);
        // The first day's initialisation does not depend on the parameters: made once (host
        // builds; on the microcontrollers a second pass on the stack, 460 B, would not fit).
        #[cfg(not(target_os = "none"))]
        let start = Self::start_over(
            loads,
            lo,
            HwParams {
                alpha: 0,
                beta: 0,
                gamma: 0,
            },
        )?;
        for i in first
            .into_iter()
            .chain((0..GRID).filter(|&i| Some(i) != first))
        {
            let Some(params) = grid_point(i) else {
                continue;
            };
            #[cfg(not(target_os = "none"))]
            let mut hw = Self { params, ..start };
            #[cfg(target_os = "none")]
            let mut hw = Self::start_over(loads, lo, params)?;
            // A sum equal to the least loses to an earlier grid point, not to a later one.
            let cut = match best {
                None => i128::MAX,
                Some(_) if i > at => least_sse,
                Some(_) => least_sse.saturating_add(1),
            };
            let sse = match hw.sse_64_below(rest, cut, fast) {
                Sse::Sum(sse) => sse,
                // Cannot be under the least: the rest of its pass is not needed.
                Sse::AtLeast => continue,
                Sse::Wide => {
                    for &v in rest {
                        if !hw.step(v) {
                            break;
                        }
                    }
                    hw.sse
                }
            };
            if best.is_none() || (sse, i) < (least_sse, at) {
                (least_sse, at, best) = (sse, i, Some(params));
            }
        }
        let params = best?;
        #[cfg(not(target_os = "none"))]
        let fitted = Some(Self { params, ..start });
        #[cfg(target_os = "none")]
        let fitted = Self::start_over(loads, lo, params);
        fitted
    }

    /// The Σ (one-step error)² after [`Hw::step`] has read `rest` (the loads of the hours
    /// from `next`, which starts a day: slot 0), in 64-bit arithmetic; `None` when a value
    /// does not fit 64 bits (then the 128-bit steps decide). When every operand and result
    /// fits, each 128-bit wrapping step computes the same exact number (no wrap), and so does
    /// each shift (rounding toward −∞ in both): the same sum, at a fraction of the
    /// instructions (most of a refresh's were the fit's 128-bit multiplications).
    #[cfg(test)]
    fn sse_64(&self, rest: &[i64], fast: bool) -> Option<i128> {
        match self.sse_64_below(rest, i128::MAX, fast) {
            Sse::Sum(sse) => Some(sse),
            Sse::AtLeast | Sse::Wide => None,
        }
    }

    /// [`Hw::sse_64`], stopped at the end of a day (every 24 hours read) once the sum is at
    /// least `least` ([`Sse::AtLeast`]): the squares still to come are not negative, so the
    /// whole sum could not be under it, and [`Hw::fit`] keeps only a sum under the least so
    /// far (taxi run: the fit's instructions 121 → 77 × 10^6). Exact while the pass stays in
    /// 64 bits (one-step errors under 2^47 thousandths); a pass stopped here that would have
    /// outgrown 64 bits later is one whose 128-bit steps the reference would have run, and
    /// their wrapped squares are negative only for errors beyond 2^63 thousandths (state
    /// diverged past any load an `i64` holds): the one case where the two could differ.
    /// `fast`: every load of `rest` is one [`step_fast`] takes (then the steps go without a
    /// test per operation while the state stays within its bound; `false`: every step
    /// checked, the reference the tests hold the fast steps to).
    fn sse_64_below(&self, rest: &[i64], least: i128, fast: bool) -> Sse {
        match self.sse_64_bounded(rest, least, fast) {
            Some(Some(sse)) => Sse::Sum(sse),
            Some(None) => Sse::AtLeast,
            None => Sse::Wide,
        }
    }

    /// [`Hw::sse_64_below`]: `None` when a value does not fit 64 bits, `Some(None)` when the
    /// sum reached `least` at the end of a day (with `i128::MAX`, never: the sum saturates
    /// there only once every hour is read).
    #[allow(clippy::option_option)] // Read once, by `sse_64_below`.
    fn sse_64_bounded(&self, rest: &[i64], least: i128, fast: bool) -> Option<Option<i128>> {
        if self.slot(self.next) != 0 {
            return None;
        }
        let mut level = i64::try_from(self.level).ok()?;
        let mut trend = i64::try_from(self.trend).ok()?;
        let mut season = [0i64; DAY_HOURS];
        for (s, &x) in season.iter_mut().zip(&self.season) {
            *s = i64::try_from(x).ok()?;
        }
        let HwParams { alpha, beta, gamma } = self.params;
        let one = 1i64 << PARAM_SHIFT;
        let scale = |x: i64, p: i64| x.checked_mul(p).map(|y| y >> PARAM_SHIFT);
        let mut sse = self.sse;
        let mut slot = 0usize;
        // While the numbers stay within the fast step's bound, steps without a test per
        // operation; from the first that leaves it (if any), the checked steps below.
        #[cfg_attr(target_os = "none", allow(unused_mut))]
        let mut done = 0usize;
        #[cfg(target_os = "none")]
        let _ = fast;
        // Host builds only, as in [`Hw::advance_64`] (the microcontrollers' stack).
        #[cfg(not(target_os = "none"))]
        if let Some(p) = FastParams::new(self.params).filter(|_| {
            fast && fast_ok(level)
                && fast_ok(trend)
                && season.iter().all(|&s| fast_ok(s))
                && (0..FAST_SSE).contains(&sse)
                && u64::try_from(rest.len()).is_ok_and(|n| n < FAST_STEPS)
        }) {
            // A day at a time: the season's slots are the day's hours in order (no slot
            // counted and wrapped per hour), and the cut is tested once at each day's end.
            'days: for day in rest.chunks(DAY_HOURS) {
                // The square of the day's last hour read: the test below, as the checked
                // steps', takes the sum before it.
                let mut square = 0i128;
                for (i, (s, &v)) in season.iter_mut().zip(day).enumerate() {
                    let Some((l, t, new_s, miss)) = step_fast(&p, level, trend, *s, v) else {
                        // The checked steps go on from this hour, in its slot.
                        (done, slot) = (done.wrapping_add(i), i);
                        break 'days;
                    };
                    *s = new_s;
                    (level, trend) = (l, t);
                    // Under 2^120 + 2^40 squares under 2^74: no wrap, so no saturation.
                    let miss = i128::from(miss);
                    square = miss.wrapping_mul(miss);
                    sse = sse.wrapping_add(square);
                }
                done = done.wrapping_add(day.len());
                // As below: at a day's end the sum before its last square bounds the whole.
                if day.len() == DAY_HOURS && sse.wrapping_sub(square) >= least && least < i128::MAX
                {
                    return Some(None);
                }
            }
        }
        for &v in rest.get(done..)? {
            let s = season.get_mut(slot)?;
            slot = match slot.checked_add(1)? {
                DAY_HOURS => {
                    // A day read: the sum so far (before this hour's square) is a lower
                    // bound of the whole.
                    if sse >= least && least < i128::MAX {
                        return Some(None);
                    }
                    0
                }
                next => next,
            };
            let load = v.checked_mul(1 << HW_SHIFT)?;
            let ahead = level.checked_add(trend)?;
            let miss = i128::from(load.checked_sub(ahead.checked_add(*s)?)? >> HW_SHIFT);
            sse = sse.saturating_add(miss.wrapping_mul(miss));
            let new_level = scale(load.checked_sub(*s)?, alpha)?
                .checked_add(scale(ahead, one.checked_sub(alpha)?)?)?;
            let new_trend = scale(new_level.checked_sub(level)?, beta)?
                .checked_add(scale(trend, one.checked_sub(beta)?)?)?;
            *s = scale(load.checked_sub(new_level)?, gamma)?
                .checked_add(scale(*s, one.checked_sub(gamma)?)?)?;
            level = new_level;
            trend = new_trend;
        }
        Some(Some(sse))
    }

    /// [`Hw::fit`], each pass reading the history hour by hour (any span; the reference the
    /// tests hold the buffered fit to).
    fn fit_reading(f: &Forecaster, lo: u64, origin: u64) -> Option<Self> {
        let mut best: Option<(i128, HwParams)> = None;
        for &alpha in &HW_ALPHA {
            for &beta in &HW_BETA {
                for &gamma in &HW_GAMMA {
                    let params = HwParams { alpha, beta, gamma };
                    let mut hw = Self::start(f, lo, origin, params)?;
                    hw.advance_to(f, origin);
                    if best.is_none_or(|(sse, _)| hw.sse < sse) {
                        best = Some((hw.sse, params));
                    }
                }
            }
        }
        Self::start(f, lo, origin, best?.1)
    }
}

/// What one refresh decided: the model's choice, the Holt-Winters pass, the weights of the
/// members and what is published (the combination under those weights when it replaces the
/// model: no separate copy of the weights, as a plan sits in several frames of a refresh).
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    pub(super) choice: Choice,
    /// The Holt-Winters pass, advanced to the origin.
    pub(super) hw: Option<Hw>,
    /// The trimmed weights (what the combination's track record scores, and what it is
    /// published with when [`Plan::published`] is [`COMBINATION`]).
    pub(super) trimmed: Option<[i128; MEMBERS]>,
    /// What the combination's forecasts are raised by, thousandths: the uplift's share of its
    /// mean absolute error, as the model's are.
    pub(super) lift: i64,
    /// What is published ([`select`]): the model (0), one member (1 naive 24 h … 4
    /// Holt-Winters) or the combination ([`COMBINATION`]).
    pub(super) published: u8,
    /// What the published forecast is raised by, thousandths (the model's uplift, the
    /// combination's lift, or the member's share of its own mean absolute error).
    pub(super) raise: i64,
}

/// What the seeding backtest of [`Forecaster::plan_scored`] summed: each member's absolute
/// error (model, naive 24 h, naive 168 h, mean 7, Holt-Winters) and the trimmed
/// combination's (the model's when only the model is kept).
pub(super) struct MemberScores {
    pub(super) members: [i128; MEMBERS],
    pub(super) combined: i128,
}

impl Plan {
    /// What the published forecast was raised by, thousandths ([`raised_by`]).
    pub(super) fn raised_by(&self) -> i64 {
        raised_by(self.published, self.choice.uplift, self.lift, self.raise)
    }

    /// The same choice without the combination: the model's forecast.
    #[cfg(test)]
    pub(super) fn model_only(self) -> Self {
        Self {
            trimmed: None,
            published: 0,
            raise: self.choice.uplift,
            ..self
        }
    }
}

impl Forecaster {
    /// The load of the first hour at or after `lo` with data.
    fn first_load_from(&self, lo: u64) -> Option<i64> {
        self.mean_at(lo)
            .or_else(|| self.hours.iter().find(|h| h.hour >= lo).map(HourLoad::mean))
    }

    /// The load of the last hour at or before `s` with data, if it is at or after `lo`.
    fn load_at_or_before(&self, s: u64, lo: u64) -> Option<i64> {
        if let Some(v) = self.mean_at(s) {
            return (s >= lo).then_some(v);
        }
        let (a, b) = self.hours.as_slices();
        let slice = match b.first() {
            Some(first) if first.hour <= s => b,
            _ => a,
        };
        let i = slice.partition_point(|h| h.hour <= s).checked_sub(1)?;
        slice.get(i).filter(|h| h.hour >= lo).map(HourLoad::mean)
    }

    /// Seasonal naive: the load `k · season` hours before `t` for the smallest `k` that lands
    /// before `origin`, if that is in the window.
    pub(super) fn naive(&self, t: u64, origin: u64, season: u64) -> Option<i64> {
        let lo = self.window_start(origin)?;
        let k = t.checked_sub(origin)?.checked_div(season)?.checked_add(1)?;
        let s = t.checked_sub(season.checked_mul(k)?)?;
        if s < lo {
            return None;
        }
        self.load_at_or_before(s, lo)
    }

    /// The mean of the same hour of the day as `t` over the 7 days before `origin` (those in
    /// the window with data).
    pub(super) fn mean7(&self, t: u64, origin: u64) -> Option<i64> {
        let hours = self.hours();
        let (mut s, lo) = self.median_key(t, origin)?;
        let (mut sum, mut n) = (0i128, 0i128);
        for _ in 0..MEDIAN_DAYS {
            if s < lo {
                break;
            }
            if let Some(l) = hours.mean_at(s) {
                sum = sum.saturating_add(i128::from(l));
                n = n.saturating_add(1);
            }
            let Some(next) = s.checked_sub(DAY) else {
                break;
            };
            s = next;
        }
        div_i128(sum, n)
    }

    /// The members' forecasts of `t` at `origin`, given the candidates' and the pass (the
    /// reference of the tests: a forecast takes naive 24 h and mean 7 from
    /// [`Forecaster::days7`]).
    #[cfg(test)]
    pub(super) fn members(
        &self,
        t: u64,
        st: &OriginState,
        choice: Choice,
        candidates: &[Option<i64>; 4],
        hw: Option<i64>,
    ) -> [Option<i64>; MEMBERS] {
        let origin = st.origin;
        let m7 = Self::leveled(self.mean7(t, origin), st.m7_level);
        self.members_with(
            t,
            origin,
            choice,
            candidates,
            hw,
            (self.naive(t, origin, DAY), m7),
        )
    }

    /// Mean 7's level at `origin` (as the weekly candidate's, [`Forecaster::level`]): the
    /// load of the 24 hours before it and mean 7's forecast of them from a day earlier, over
    /// the hours with both; `None` without a day of history before that, or when the
    /// forecast sums to 0 or less or the load to less than 0.
    pub(super) fn mean7_level(&self, origin: u64) -> Option<(i128, i128)> {
        let before = origin.checked_sub(DAY)?;
        if self.span_before(before) < super::MIN_HISTORY_HOURS {
            return None;
        }
        let (mut actual, mut fit) = (0i128, 0i128);
        for u in before..origin {
            if let (Some(a), Some(f)) = (self.mean_at(u), self.mean7(u, before)) {
                actual = actual.saturating_add(i128::from(a));
                fit = fit.saturating_add(i128::from(f));
            }
        }
        (fit > 0 && actual >= 0).then_some((actual, fit))
    }

    /// [`Forecaster::members`] with naive 24 h's and mean 7's forecasts of `t` known (`hw`:
    /// Holt-Winters' forecast of `t` from `origin`; mean 7's levelled by
    /// [`Forecaster::mean7_level`]).
    fn members_with(
        &self,
        t: u64,
        origin: u64,
        choice: Choice,
        candidates: &[Option<i64>; 4],
        hw: Option<i64>,
        (n24, m7): (Option<i64>, Option<i64>),
    ) -> [Option<i64>; MEMBERS] {
        let model = Candidate::ALL
            .iter()
            .position(|&c| c == choice.candidate)
            .and_then(|i| candidates.get(i).copied().flatten())
            .map(|f| f.saturating_add(choice.uplift));
        let n168 = self.naive(t, origin, WEEK).or(n24);
        let m7 = m7.or(n24);
        [model, n24, n168, m7, hw]
    }

    /// The plan at `origin`: the model's choice, then the members scored on its backtest and,
    /// when their trimmed combination beats the model there by the gate, its weights.
    pub(super) fn plan_at(&self, origin: u64) -> Plan {
        let choice = self.choose(origin);
        let lo = self.window_start(origin).unwrap_or(origin);
        let fitted = Hw::fit(self, lo, origin);
        self.plan_with(origin, choice, fitted.as_ref()).0
    }

    /// [`Forecaster::plan_at`] once the model has chosen and Holt-Winters is fitted. Its own
    /// frame, as are the choice's and the fit's (none of them inlined into the others): the
    /// stack holds one of their scratch buffers at a time, not the sum.
    #[inline(never)]
    pub(super) fn plan_with(
        &self,
        origin: u64,
        choice: Choice,
        fitted: Option<&Hw>,
    ) -> (Plan, MemberScores) {
        let fitted = fitted.copied();
        // The members' errors on the backtest. `day` serves both walks: what it keeps
        // depends only on the origin and the hour of the day.
        let mut err = [0i128; MEMBERS];
        let mut hw = fitted;
        let mut day = DayMembers::new();
        let mut hours = 0i128;
        let mut lvl = (u64::MAX, None);
        self.walk(origin, true, |back, t, actual, candidates| {
            hours = hours.saturating_add(1);
            if let Some(h) = hw.as_mut() {
                h.advance_to(self, back);
            }
            if lvl.0 != back {
                lvl = (back, self.mean7_level(back));
            }
            let (n24, m7) = day.get(self, t, back);
            let d = (n24, Self::leveled(m7, lvl.1));
            let h = hw.as_ref().and_then(|h| h.forecast(t));
            let m = self.members_with(t, back, choice, &candidates, h, d);
            for (e, f) in err.iter_mut().zip(m) {
                let diff = i128::from(f.unwrap_or(0)).saturating_sub(i128::from(actual));
                *e = e.saturating_add(diff.saturating_abs());
            }
        });
        let trimmed = trimmed_weights(&err);
        let model = err.first().copied().unwrap_or(0);
        // The combination's own error on the same backtest (the model's when only the model
        // is kept).
        let mut combined = model;
        if let Some(w) = &trimmed {
            combined = 0;
            let mut hw = fitted;
            self.walk(origin, true, |back, t, actual, candidates| {
                if let Some(h) = hw.as_mut() {
                    h.advance_to(self, back);
                }
                if lvl.0 != back {
                    lvl = (back, self.mean7_level(back));
                }
                let (n24, m7) = day.get(self, t, back);
                let d = (n24, Self::leveled(m7, lvl.1));
                let h = hw.as_ref().and_then(|h| h.forecast(t));
                let m = self.members_with(t, back, choice, &candidates, h, d);
                let f = combine(&m, w).unwrap_or(0);
                let diff = i128::from(f).saturating_sub(i128::from(actual));
                combined = combined.saturating_add(diff.saturating_abs());
            });
        }
        let gated = trimmed.is_some() && passes_gate(combined, model);
        let hw = fitted.map(|mut h| {
            h.advance_to(self, origin);
            h
        });
        let lift = lift_of(combined, hours, super::UPLIFT_PERCENT);
        let (published, raise) = select(
            &err,
            (combined, gated),
            hours,
            super::UPLIFT_PERCENT,
            (choice.uplift, lift),
            None,
        );
        let plan = Plan {
            choice,
            hw,
            trimmed,
            lift,
            published,
            raise,
        };
        (
            plan,
            MemberScores {
                members: err,
                combined,
            },
        )
    }

    /// The forecasts of `t` from the origin of `st` of each of the series a track record
    /// keeps (`record.rs`): the 4 candidates, the 5 members (the model under `choice`, and
    /// `hw`, Holt-Winters' forecast of `t`), and the combination under `weights` (the model's
    /// without them); `days` is [`Forecaster::days7`] of `t` at that origin and `profile`
    /// [`Forecaster::profile`]'s. Out of line on
    /// the microcontrollers (no OS): inlined, its locals grew [`Forecaster::advance_record`]'s
    /// frame by 344 B on thumbv7m, under its Holt-Winters fit; a host keeps the call (about
    /// 8 × 10^6 instructions of the taxi run).
    #[cfg_attr(target_os = "none", inline(never))]
    pub(super) fn series(
        &self,
        t: u64,
        st: &OriginState,
        choice: Choice,
        hw: Option<i64>,
        (weights, lift): (Option<&[i128; MEMBERS]>, i64),
        (days, profile): (&Days7, Option<i64>),
    ) -> [Option<i64>; 4 + MEMBERS + 1] {
        let c = Self::candidates_from(st, profile, days.median);
        let m7 = Self::leveled(days.mean, st.m7_level);
        let m = self.members_with(t, st.origin, choice, &c, hw, (days.naive, m7));
        let model = m.first().copied().flatten();
        let comb = weights.map_or(model, |w| raised(&m, w, lift));
        let [c0, c1, c2, c3] = c;
        let [m0, m1, m2, m3, m4] = m;
        [c0, c1, c2, c3, m0, m1, m2, m3, m4, comb]
    }

    /// The forecast of `t` from the origin of `st` under `plan`.
    pub(super) fn planned(&self, t: u64, st: &OriginState, plan: &Plan) -> Option<i64> {
        self.planned_with(t, st, plan, &self.days7(t, st.origin))
    }

    /// [`Forecaster::planned`] with [`Forecaster::days7`] of `t` at the origin of `st` known.
    pub(super) fn planned_with(
        &self,
        t: u64,
        st: &OriginState,
        plan: &Plan,
        days: &Days7,
    ) -> Option<i64> {
        let candidates = self.candidates_with(t, st, days.median);
        let hw = plan.hw.as_ref().and_then(|h| h.forecast(t));
        let m7 = Self::leveled(days.mean, st.m7_level);
        let m = self.members_with(t, st.origin, plan.choice, &candidates, hw, (days.naive, m7));
        let comb = plan
            .trimmed
            .as_ref()
            .filter(|_| plan.published == COMBINATION)
            .and_then(|w| raised(&m, w, plan.lift));
        let out = published(&m, comb, plan.published, plan.raise);
        capped(out, days.max, plan.raised_by())
    }

    /// The loads of the same hour of the day as `t` over the 7 days before `origin` (the
    /// days [`Forecaster::median_from`], [`Forecaster::mean7`] and [`Forecaster::hour_max`]
    /// read; the first of them naive 24 h's), read once for the four figures a forecast of
    /// `t` takes from them: three passes of 7 lookups and a fourth lookup before, each
    /// lookup a division `sum ÷ count`. The tests hold each figure to its own function.
    pub(super) fn days7(&self, t: u64, origin: u64) -> Days7 {
        self.days7_key(t, origin)
            .map_or(Days7::NONE, |key| self.days7_from(key))
    }

    /// Everything [`Forecaster::days7`] of `t` at `origin` depends on besides the history:
    /// the first day back and the window's start ([`Forecaster::median_key`]) and whether
    /// `t` is before the origin (naive 24 h's); `None` without a history (every figure
    /// `None`). Equal keys, equal figures, whichever `t` and origin they were made from.
    pub(super) fn days7_key(&self, t: u64, origin: u64) -> Option<Days7Key> {
        let (first, lo) = self.median_key(t, origin)?;
        Some(Days7Key {
            first,
            lo,
            before: t < origin,
        })
    }

    /// [`Forecaster::days7`] of its key.
    pub(super) fn days7_from(&self, key: Days7Key) -> Days7 {
        let mut out = Days7::NONE;
        let Days7Key { first, lo, before } = key;
        let hours = self.hours();
        let mut buf = [0i64; MEDIAN_DAYS];
        let (mut n, mut s) = (0usize, first);
        // The greatest and the sum as plain numbers (no `Option` carried through the reads):
        // at most 7 loads of an `i64`, so the sum is exact in 128 bits (no saturation).
        let (mut most, mut sum) = (i64::MIN, 0i128);
        for _ in 0..MEDIAN_DAYS {
            if s < lo {
                break;
            }
            if let (Some(l), Some(slot)) = (hours.mean_at(s), buf.get_mut(n)) {
                *slot = l;
                n = n.saturating_add(1);
                most = most.max(l);
                sum = sum.wrapping_add(i128::from(l));
                if s == first {
                    out.naive = Some(l);
                }
            }
            let Some(next) = s.checked_sub(DAY) else {
                break;
            };
            s = next;
        }
        out.max = (n > 0).then_some(most);
        // Naive 24 h looks only from the origin on, and falls back to the last hour with
        // data before its day (in the window).
        if before {
            out.naive = None;
        } else if out.naive.is_none() && first >= lo {
            out.naive = self.load_at_or_before(first, lo);
        }
        out.mean = i128::try_from(n).ok().and_then(|n| div_i128(sum, n));
        out.median = buf.get_mut(..n).and_then(median);
        out
    }

    /// The greatest load of the same hour of the day as `t` over the 7 days before `origin`
    /// (those in the window with data), the days [`Forecaster::mean7`] reads (the reference
    /// of the tests, as [`Forecaster::bounded`] is: a forecast reads it in
    /// [`Forecaster::days7`]).
    #[cfg(test)]
    pub(super) fn hour_max(&self, t: u64, origin: u64) -> Option<i64> {
        let hours = self.hours();
        let (mut s, lo) = self.median_key(t, origin)?;
        let mut most: Option<i64> = None;
        for _ in 0..MEDIAN_DAYS {
            if s < lo {
                break;
            }
            if let Some(l) = hours.mean_at(s) {
                most = Some(most.map_or(l, |m| m.max(l)));
            }
            let Some(next) = s.checked_sub(DAY) else {
                break;
            };
            s = next;
        }
        most
    }

    /// The published forecast `out` of `t` from `origin`, which was raised by `raise`, with
    /// the raise capped: it does not lift the forecast above the greatest load of its hour of
    /// the day over the last 7 days (a forecast already above it keeps its unraised value). A
    /// margin beyond anything that hour carried for a week buys spare capacity, not safety:
    /// on a load that is zero every night (solar irradiance) every night's raise was error.
    /// The record scores the published forecasts so capped, so the uplift's steering sees
    /// them as they were published.
    #[cfg(test)]
    pub(super) fn bounded(&self, out: Option<i64>, t: u64, origin: u64, raise: i64) -> Option<i64> {
        capped(out, self.hour_max(t, origin), raise)
    }
}

/// [`Forecaster::bounded`] with the greatest load of the hour's week (`most`) known.
pub(super) fn capped(out: Option<i64>, most: Option<i64>, raise: i64) -> Option<i64> {
    let out = out?;
    Some(match most {
        Some(most) => out.min(most.max(out.saturating_sub(raise.max(0)))),
        None => out,
    })
}

/// What [`Forecaster::days7`] reads for one hour and origin: the 7-day median, mean 7, the
/// greatest load of those days and naive 24 h.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Days7 {
    /// [`Forecaster::daily_median`].
    pub(super) median: Option<i64>,
    /// [`Forecaster::mean7`].
    pub(super) mean: Option<i64>,
    /// [`Forecaster::hour_max`].
    pub(super) max: Option<i64>,
    /// [`Forecaster::naive`] with a 24-hour season.
    pub(super) naive: Option<i64>,
}

impl Days7 {
    /// No figure (no history).
    pub(super) const NONE: Self = Self {
        median: None,
        mean: None,
        max: None,
        naive: None,
    };
}

/// The key of a [`Days7`] ([`Forecaster::days7_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Days7Key {
    /// The first day back: the same hour of the day, before the origin.
    first: u64,
    /// The window's start.
    lo: u64,
    /// Whether the hour is before the origin (no naive 24 h then).
    before: bool,
}

impl Days7Key {
    /// The first day back.
    pub(super) fn first(self) -> u64 {
        self.first
    }
}

/// The combination of `m` under `w`, raised by `lift`.
pub(super) fn raised(m: &[Option<i64>; MEMBERS], w: &[i128; MEMBERS], lift: i64) -> Option<i64> {
    combine(m, w).map(|f| f.saturating_add(lift))
}

/// [`Plan::published`] of the combination (the number of members: after their indices).
pub(super) const COMBINATION: u8 = 5;
const _: () = assert!(COMBINATION as usize == MEMBERS);

/// The published forecast, given the members' forecasts `m` (the model's raised; a slice, so
/// that a record passes its series without copying them: its refresh runs on the firmware's
/// last few hundred bytes of stack), the combination's (raised) and what is published
/// ([`Plan::published`]) with its raise: a member without a forecast for the hour gives way
/// to the model, as the combination does.
pub(super) fn published(
    m: &[Option<i64>],
    comb: Option<i64>,
    which: u8,
    raise: i64,
) -> Option<i64> {
    let model = m.first().copied().flatten();
    match which {
        0 => model,
        COMBINATION => comb.or(model),
        k => m
            .get(usize::from(k))
            .copied()
            .flatten()
            .map(|f| f.saturating_add(raise))
            .or(model),
    }
}

/// What the forecast published as `which` ([`Plan::published`]) was raised by: the model's
/// uplift, the combination's lift or the member's raise.
pub(super) fn raised_by(which: u8, uplift: i64, lift: i64, raise: i64) -> i64 {
    match which {
        0 => uplift,
        COMBINATION => lift,
        _ => raise,
    }
}

/// What a plan publishes, from the error sums of the track record (over `hours` hours): the
/// combination when it passed the gate (`combined`, `gated`), else the model; and instead of
/// either, the member of [`SELECTABLE`] (naive 24 h, naive 168 h, mean 7) with the least
/// error among those whose error is under [`SELECT_PERCENT`] % of theirs or whose lead over
/// them passes [`leads_clearly`] against the member's `spread` (the record's; a seed has
/// none): a forecast people use that has done better on the record than anything built on
/// the model by a quarter or by more than the record's noise (issue 17: on a very regular weekly load whose second week the model's
/// choice, made on the first, forecasts badly, last week's hour; on solar irradiance, mean
/// 7), raised by `percent` % of its own mean absolute error as the model and the combination
/// are (the selection of a forecast by its past accuracy, its errors scored prequentially;
/// Dawid 1984, `record.rs`). Returns (what is published, its raise); the fifth argument
/// holds the model's uplift and the combination's lift.
pub(super) fn select(
    err: &[i128; MEMBERS],
    (combined, gated): (i128, bool),
    hours: i128,
    percent: i64,
    (uplift, lift): (i64, i64),
    spread: Option<&[i128; SELECTABLE]>,
) -> (u8, i64) {
    let mut best = if gated {
        (COMBINATION, combined, lift)
    } else {
        (0, err.first().copied().unwrap_or(0), uplift)
    };
    let reference = best.1;
    let bar = reference.saturating_mul(SELECT_PERCENT);
    for (k, &e) in (0u8..).zip(err).skip(1).take(SELECTABLE) {
        let v = spread.and_then(|s| s.get(usize::from(k).saturating_sub(1)).copied());
        let clear = e.saturating_mul(100) < bar || leads_clearly(reference.saturating_sub(e), v);
        if clear && e < best.1 {
            best = (k, e, lift_of(e, hours, percent));
        }
    }
    (best.0, best.2)
}

/// Whether `lead` (what would be published's error sum on the record less a member's) is
/// significant: a one-sided test at 1 % ([`Z2_MILLI`]) of the self-normalised sum, `spread`
/// being the sum of the squares of the per-refresh leads that `lead` sums (faded as a
/// variance is, `record.rs`): under no true lead, `lead ÷ √spread` is about standard normal
/// (Diebold and Mariano 1995, "Comparing predictive accuracy", JBES 13, with the refresh as
/// the unit). A bar that grows with the record's noise instead of a fixed share: a member
/// that leads a steady record by a little is selected, one that leads a noisy record by a
/// quarter on a few good days is not.
fn leads_clearly(lead: i128, spread: Option<i128>) -> bool {
    let Some(v) = spread else {
        return false;
    };
    lead > 0 && v > 0 && lead.saturating_mul(lead).saturating_mul(1000) > v.saturating_mul(Z2_MILLI)
}

/// Naive 24 h's and mean 7's forecasts of the hours of one origin's first day, computed once:
/// hour `t + 24` from the origin looks back to the same day before it as `t` (the smallest
/// whole number of days that lands before the origin is one more), so both are the same
/// numbers for `t` and `t + 24`. 776 bytes (24 × 32 and the origin).
struct DayMembers {
    origin: u64,
    day: [Option<(Option<i64>, Option<i64>)>; DAY_HOURS],
}

impl DayMembers {
    /// None kept.
    const fn new() -> Self {
        Self {
            origin: u64::MAX,
            day: [None; DAY_HOURS],
        }
    }

    /// Naive 24 h's and mean 7's forecasts of `t` (at or after `origin`) from `origin`.
    fn get(&mut self, f: &Forecaster, t: u64, origin: u64) -> (Option<i64>, Option<i64>) {
        if self.origin != origin {
            self.origin = origin;
            self.day = [None; DAY_HOURS];
        }
        let compute = || (f.naive(t, origin, DAY), f.mean7(t, origin));
        match t
            .checked_sub(origin)
            .and_then(|d| usize::try_from(d % DAY).ok())
            .and_then(|i| self.day.get_mut(i))
        {
            Some(slot) => *slot.get_or_insert_with(compute),
            None => compute(),
        }
    }
}

/// `percent` % of the mean absolute error `err ÷ hours` (0 without hours), truncated.
pub(super) fn lift_of(err: i128, hours: i128, percent: i64) -> i64 {
    err.saturating_mul(percent.into())
        .checked_div(hours.saturating_mul(100))
        .and_then(|x| i64::try_from(x).ok())
        .unwrap_or(0)
}

/// Whether a combination whose absolute error sums to `combined` replaces the model, whose
/// error sums to `model`: under [`GATE_PERCENT`] % of it.
pub(super) fn passes_gate(combined: i128, model: i128) -> bool {
    combined.saturating_mul(100) < model.saturating_mul(GATE_PERCENT)
}

/// The weights of the members within [`TRIM_PERCENT`] of the least backtest error, inversely
/// proportional to their errors (0 for the others); `None` when only the model is kept.
pub(super) fn trimmed_weights(err: &[i128; MEMBERS]) -> Option<[i128; MEMBERS]> {
    let best = err.iter().copied().min()?.max(1);
    let mut w = [0i128; MEMBERS];
    for (wk, &e) in w.iter_mut().zip(err) {
        let e = e.max(1);
        if e.saturating_mul(100) <= best.saturating_mul(TRIM_PERCENT) {
            *wk = WEIGHT_ONE.saturating_mul(best).checked_div(e).unwrap_or(0);
        }
    }
    w.iter().skip(1).any(|&x| x > 0).then_some(w)
}

/// The weighted mean of the members that have a forecast; `None` without the model's.
fn combine(m: &[Option<i64>; MEMBERS], w: &[i128; MEMBERS]) -> Option<i64> {
    m.first().copied().flatten()?;
    let (mut num, mut den) = (0i128, 0i128);
    for (f, &wk) in m.iter().zip(w) {
        if let Some(f) = f
            && wk > 0
        {
            num = num.saturating_add(i128::from(*f).saturating_mul(wk));
            den = den.saturating_add(wk);
        }
    }
    if den == 0 {
        return m.first().copied().flatten();
    }
    div_i128(num, den)
}

#[cfg(test)]
mod tests {
    //! The integer Holt-Winters member, the trimmed weights and the gate of the combination.

    // Test arithmetic works on small known numbers.
    #![allow(clippy::arithmetic_side_effects)]

    use super::*;
    use crate::scaling::Value;
    use crate::test_prelude::*;
    use crate::time::Instant;

    /// `hours` hours of load `load(h)` thousandths, one sample an hour.
    fn fed(hours: u64, load: impl Fn(u64) -> i64) -> Forecaster {
        let mut f = Forecaster::new();
        for h in 0..hours {
            f.record(Instant::from_secs(h * 3600), Value::from_milli(load(h)))
                .unwrap();
        }
        f
    }

    fn daily(h: u64) -> i64 {
        let hod = i64::try_from(h % 24).unwrap();
        10_000 + 300 * hod * hod
    }

    #[test]
    fn holt_winters_forecasts_an_exact_daily_pattern_exactly() {
        // Level, season and (zero) trend are exact from the first day: every one-step error is
        // 0, and the forecast repeats the day at every slot (a wrong slot would be off by up
        // to 300 × 23²).
        let f = fed(200, daily);
        let mut hw = Hw::fit(&f, 0, 200).unwrap();
        hw.advance_to(&f, 200);
        assert_eq!(hw.sse, 0);
        for t in 200..248 {
            assert_eq!(hw.forecast(t), Some(daily(t)), "hour {t}");
        }
        assert_eq!(hw.forecast(199), None, "an hour already read");
    }

    #[test]
    fn holt_winters_follows_a_trend_and_is_clamped_to_the_history() {
        // A rising load: the trend carries the forecast above the last day, but never above the
        // greatest load read.
        let f = fed(200, |h| daily(h) + 100 * i64::try_from(h).unwrap());
        let hi = (0..200)
            .map(|h| daily(h) + 100 * i64::try_from(h).unwrap())
            .max()
            .unwrap();
        let mut hw = Hw::fit(&f, 0, 200).unwrap();
        hw.advance_to(&f, 200);
        let f0 = hw.forecast(200).unwrap();
        assert!(f0 > daily(200) + 100 * 176, "{f0}");
        for t in 200..248 {
            assert!(hw.forecast(t).unwrap() <= hi);
        }
    }

    #[test]
    fn members_within_a_quarter_of_the_best_are_weighted_by_inverse_error() {
        let w = trimmed_weights(&[100, 120, 130, 200, 90]).unwrap();
        assert_eq!(w, [WEIGHT_ONE * 90 / 100, 0, 0, 0, WEIGHT_ONE]);
        // 1.25 × 90 = 112.5: 120 is out.
        let m = [Some(1000), Some(0), Some(0), Some(0), Some(2000)];
        let expected = (1000 * w[0] + 2000 * w[4]) / (w[0] + w[4]);
        assert_eq!(combine(&m, &w), i64::try_from(expected).ok());
        // Only the model kept: no combination.
        assert_eq!(trimmed_weights(&[100, 200, 300, 400, 500]), None);
        // No forecast from the model: none combined.
        assert_eq!(
            combine(&[None, Some(1), Some(1), Some(1), Some(1)], &w),
            None
        );
    }

    #[test]
    fn a_forecast_people_use_is_published_only_with_a_significant_lead() {
        // Not gated: the model's 100,000 against naive 168 h's 78,000 and mean 7's 80,000,
        // leads of 22 % and 20 %, short of a quarter. With per-refresh leads of about 7,071
        // (spread 5 × 10^7) both leads are past 2.326 deviations: naive 168 h, the lesser
        // error, raised by 10 % of its mean absolute error over 100 hours. Holt-Winters, far
        // ahead, is never published alone (its seeded record is in sample).
        let sel = |err: &[i128; MEMBERS], comb, spread| select(err, comb, 100, 10, (5, 6), spread);
        let short = [100_000, 90_000, 78_000, 80_000, 10_000];
        let steady = [50_000_000; SELECTABLE];
        assert_eq!(sel(&short, (95_000, false), Some(&steady)), (2, 78));
        // The same leads on a noisier record (deviation 20,000): the model, with its uplift.
        let noisy = [400_000_000; SELECTABLE];
        assert_eq!(sel(&short, (95_000, false), Some(&noisy)), (0, 5));
        let err = [100_000, 90_000, 70_000, 80_000, 10_000];
        // Without a spread (a seed) only a lead of a quarter: naive 168 h's 30 %.
        assert_eq!(sel(&err, (95_000, false), None), (2, 70));
        let close = [100_000, 90_000, 76_000, 80_000, 10_000];
        assert_eq!(sel(&close, (95_000, false), None), (0, 5));
        // Or on a noisy record.
        assert_eq!(sel(&err, (95_000, false), Some(&noisy)), (2, 70));
        // A lead of 2 % on a steady record is selected (the old bar, a quarter, was not met).
        let close = [100_000, 99_000, 98_000, 99_500, 10_000];
        assert_eq!(sel(&close, (95_000, false), Some(&[500_000; 3])), (2, 98));
        // Gated: measured against the combination's error (80,000): naive 168 h leads it by
        // 10,000, 3.2 deviations of its 3,162; mean 7 not at all.
        assert_eq!(sel(&err, (80_000, true), Some(&[10_000_000; 3])), (2, 70));
        assert_eq!(sel(&err, (80_000, true), Some(&noisy)), (COMBINATION, 6));
        // Of the members whose leads pass, the one with the least error.
        assert_eq!(
            sel(
                &[100_000, 60_000, 70_000, 80_000, 0],
                (0, false),
                Some(&steady)
            )
            .0,
            1
        );
    }

    #[test]
    fn a_lead_is_significant_from_2_326_deviations() {
        // One-sided at 1 %: 2,326 over a deviation of 1,000 passes, 2,325 does not.
        assert!(leads_clearly(2_326, Some(1_000_000)));
        assert!(!leads_clearly(2_325, Some(1_000_000)));
        // No lead, no spread or no record: never.
        assert!(!leads_clearly(0, Some(1)));
        assert!(!leads_clearly(-5_000, Some(1)));
        assert!(!leads_clearly(5_000, Some(0)));
        assert!(!leads_clearly(5_000, None));
        // Sums far beyond real loads saturate instead of wrapping to a pass.
        assert!(!leads_clearly(i128::MAX, Some(i128::MAX)));
    }

    #[test]
    fn mean_7_is_scaled_by_its_own_damped_level() {
        // 1,000 an hour for 8 days, then 2,000 for a day: mean 7 forecasts (6 × 1,000 +
        // 2,000) ÷ 7 = 1,142; a day earlier it forecast 1,000 for the 24 hours that carried
        // 2,000, so its level factor is (1 + 2) ÷ 2 = 1.5: 1,713.
        let f = fed(9 * 24, |h| if h >= 8 * 24 { 2_000 } else { 1_000 });
        let origin = 9 * 24;
        assert_eq!(f.mean7(origin + 5, origin), Some(1_142));
        assert_eq!(f.mean7_level(origin), Some((48_000, 24_000)));
        let st = f.origin_state(origin);
        let choice = f.choose(origin);
        let c = f.candidates(origin + 5, &st);
        let m = f.members(origin + 5, &st, choice, &c, None);
        assert_eq!(m[3], Some(1_713));
        // Without a day of history before the last day's: the plain mean.
        let g = fed(30, |_| 1_000);
        assert_eq!(g.mean7_level(30), None);
    }

    #[test]
    fn the_raise_does_not_lift_a_forecast_above_its_hours_week() {
        // The hour of the day of `t` carried at most `daily(t)` over the last 7 days.
        let f = fed(300, daily);
        let (t, origin) = (310, 300);
        let most = daily(t);
        assert_eq!(f.hour_max(t, origin), Some(most));
        // Raised past it: capped there; already above it unraised: the unraised value.
        assert_eq!(f.bounded(Some(most + 50), t, origin, 80), Some(most));
        assert_eq!(f.bounded(Some(most + 500), t, origin, 80), Some(most + 420));
        // Within it: unchanged; a negative raise is no raise.
        assert_eq!(f.bounded(Some(most - 10), t, origin, 80), Some(most - 10));
        assert_eq!(f.bounded(Some(most + 50), t, origin, -80), Some(most + 50));
        assert_eq!(f.bounded(None, t, origin, 80), None);
    }

    #[test]
    fn hours_without_load_all_week_are_forecast_without_load() {
        // Zero every night (hours 18 to 5), the same day every day but a burst at noon every
        // third day: the model's uplift (a share of its error on the bursts) raises the day's
        // hours above the usual load; the nights, raised before the cap, stay at zero.
        let base = |h: u64| {
            let hod = i64::try_from(h % 24).unwrap();
            if (6..18).contains(&hod) {
                20_000 + 3_000 * hod * (24 - hod)
            } else {
                0
            }
        };
        let sun = |h: u64| {
            base(h)
                + if (h / 24).is_multiple_of(3) && h % 24 == 12 {
                    300_000
                } else {
                    0
                }
        };
        let mut f = fed(400, sun);
        assert!(f.refresh(Instant::from_secs(400 * 3600)));
        let mut raised_day = 0;
        for (t, l) in f.forecast_48h() {
            let l = l.unwrap().milli();
            if base(t) > 0 {
                raised_day += usize::from(l > base(t));
            } else {
                assert_eq!(l, 0, "hour {t}");
            }
        }
        assert!(raised_day > 0);
    }

    #[test]
    fn a_published_member_without_a_forecast_gives_way_to_the_model() {
        let m = [Some(1000), Some(2000), None, Some(4000), Some(5000)];
        assert_eq!(published(&m, Some(3000), 0, 7), Some(1000));
        assert_eq!(published(&m, Some(3000), COMBINATION, 7), Some(3000));
        assert_eq!(published(&m, None, COMBINATION, 7), Some(1000));
        assert_eq!(published(&m, None, 1, 7), Some(2007));
        assert_eq!(published(&m, None, 2, 7), Some(1000));
        assert_eq!(published(&m, None, 3, 7), Some(4007));
    }

    #[test]
    fn a_smooth_trending_load_is_forecast_better_than_by_the_model_alone() {
        // The combination replaces the model only when it did better on the backtest; on a
        // daily pattern rising 40 thousandths an hour it does, and the forecast of the next
        // 48 hours is closer to the load than the model's.
        let load = |h: u64| daily(h) + 40 * i64::try_from(h).unwrap();
        let f = fed(300, load);
        let plan = f.plan_at(300);
        assert_eq!(plan.published, COMBINATION);
        let st = f.origin_state(300);
        let model_only = plan.model_only();
        let (mut with, mut without) = (0i64, 0i64);
        for t in 300..348 {
            with += (f.planned(t, &st, &plan).unwrap() - load(t)).abs();
            without += (f.planned(t, &st, &model_only).unwrap() - load(t)).abs();
        }
        assert!(with < without, "{with} vs {without}");
    }

    #[test]
    fn the_first_days_naive_and_mean_are_read_again_for_the_second() {
        // Gaps every 5th and 7th hour, so that some lookups fall back to an earlier hour or
        // find none; every origin's 48 hours against the members computed afresh.
        let mut f = Forecaster::new();
        for h in (0..400u64).filter(|h| h % 5 != 3 && h % 7 != 2) {
            f.record(
                Instant::from_secs(h * 3600),
                Value::from_milli(daily(h) + 37 * i64::try_from(h * h % 101).unwrap()),
            )
            .unwrap();
        }
        let mut day = DayMembers::new();
        let mut hits = 0;
        for origin in (24..400u64).step_by(6) {
            for t in origin..origin + 48 {
                let expected = (f.naive(t, origin, DAY), f.mean7(t, origin));
                hits += usize::from(expected.0.is_some() && expected.1.is_some());
                assert_eq!(day.get(&f, t, origin), expected, "{t} from {origin}");
            }
        }
        assert!(hits > 1000, "{hits}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// A step in 64 bits where the numbers fit is the 128-bit step, field for field, over
        /// random loads (up to 2^62 thousandths, where the 64-bit step no longer fits) and
        /// parameters (the grid's, and any from a snapshot).
        #[test]
        fn the_64_bit_step_is_the_128_bit_step(
            first in proptest::collection::vec(-2_000_000i64..50_000_000, 48),
            loads in proptest::collection::vec(
                (-2_000_000i64..50_000_000, proptest::sample::select(&[0u32, 0, 0, 10, 22, 30][..])),
                1..200,
            ),
            shift in proptest::sample::select(&[0u32, 0, 20, 30][..]),
            params in proptest::prop_oneof![
                proptest::strategy::Strategy::prop_map((0usize..4, 0usize..2, 0usize..3), |(a, b, g)| {
                    (HW_ALPHA[a], HW_BETA[b], HW_GAMMA[g])
                }),
                (-3000i64..3000, -3000i64..3000, -3000i64..3000),
                (proptest::num::i64::ANY, proptest::num::i64::ANY, proptest::num::i64::ANY),
            ],
        ) {
            let (alpha, beta, gamma) = params;
            let first: Vec<i64> = first.iter().map(|v| v << shift).collect();
            let mut fast = Hw::start_over(&first, 7, HwParams { alpha, beta, gamma }).unwrap();
            let mut reference = fast;
            for &(v, spike) in &loads {
                // Now and then a load far beyond the first day's (past 2^47 thousandths its
                // 64-bit step overflows while the state still fits).
                let v = v << spike;
                proptest::prop_assert_eq!(fast.step(v), reference.step_128(v));
                proptest::prop_assert_eq!(fast, reference);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// The 64-bit pass of `advance_to` is the pass hour by hour, field for field, at
        /// every stop, on random histories with gaps and spikes (past 2^47 thousandths the
        /// 64-bit steps stop and the 128-bit ones go on), from any grid point.
        #[test]
        fn advancing_in_64_bits_is_stepping_hour_by_hour(
            loads in proptest::collection::vec(
                (0u64..4, -2_000_000i64..50_000_000, proptest::sample::select(&[0u32, 0, 0, 0, 10, 22, 30][..])),
                30..400,
            ),
            stops in proptest::collection::vec(0u64..60, 1..12),
            point in 0usize..GRID,
        ) {
            let mut f = Forecaster::new();
            let mut h = 0u64;
            for &(skip, load, spike) in &loads {
                h += u64::from(skip == 0);
                f.record(Instant::from_secs(h * 3600), Value::from_milli(load << spike)).unwrap();
                h += 1;
            }
            let Some(mut fast) = Hw::start(&f, 0, h, grid_point(point).unwrap()) else {
                return Ok(());
            };
            let mut reference = fast;
            let mut until = fast.next;
            for &d in &stops {
                until += d;
                fast.advance_to(&f, until);
                reference.advance_stepwise(&f, until);
                proptest::prop_assert_eq!(fast, reference);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// A pass's error sum by the fast steps, a day at a time, is the checked steps',
        /// and so is where it stops at a day's end under a least sum, on loads near the
        /// greatest the fast steps take (their state then leaves the fast bound within a day
        /// and the checked steps go on from that hour), small ones and a mix, from any grid
        /// point.
        #[test]
        fn the_fast_pass_by_days_is_the_checked_pass(
            first in proptest::collection::vec(-2_000_000i64..50_000_000, 48),
            loads in proptest::collection::vec(
                proptest::prop_oneof![
                    -2_000_000i64..50_000_000,
                    proptest::strategy::Just(FAST_LOAD - 1),
                    proptest::strategy::Just(-FAST_LOAD),
                    (FAST_LOAD / 2)..FAST_LOAD,
                ],
                0..200,
            ),
            point in 0usize..GRID,
            least_at in 0usize..220,
        ) {
            let hw = Hw::start_over(&first, 0, grid_point(point).unwrap()).unwrap();
            let rest: Vec<i64> = loads.clone();
            proptest::prop_assert!(rest.iter().all(|&v| fast_load(v)));
            let whole = hw.sse_64_bounded(&rest, i128::MAX, false);
            proptest::prop_assert_eq!(hw.sse_64_bounded(&rest, i128::MAX, true), whole);
            // A least sum that some day's partial sum reaches (or none does).
            let least = hw
                .sse_64_bounded(rest.get(..least_at).unwrap_or(&rest), i128::MAX, false)
                .flatten()
                .unwrap_or(1);
            for least in [least, least.saturating_add(1), 0, 1] {
                proptest::prop_assert_eq!(
                    hw.sse_64_bounded(&rest, least, true),
                    hw.sse_64_bounded(&rest, least, false),
                    "least {}", least
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// The buffered fit (64-bit where its numbers fit) is the reference fit, field for
        /// field, on random histories with gaps (hours skipped), spikes and any span to the origin (from under a day to past
        /// the 14 days the history keeps, where the fit reads the history as the reference).
        #[test]
        fn the_buffered_fit_is_the_reading_fit(
            loads in proptest::collection::vec((0u64..4, -2_000_000i64..50_000_000), 1..400),
            lo_back in 0u64..420,
            past in 0u64..3,
            // Loads up to 2^56 thousandths: past 2^47 the 64-bit sums no longer fit and the
            // 128-bit steps take over.
            shift in proptest::sample::select(&[0u32, 20, 30][..]),
            // The grid point tried first (none past the grid's end), and a constant load
            // now and then, where every grid point's sum ties.
            hint in 0usize..=GRID,
            flat in proptest::sample::select(&[false, false, true][..]),
        ) {
            let mut f = Forecaster::new();
            let mut h = 0u64;
            for &(skip, load) in &loads {
                h += u64::from(skip == 0);
                let load = if flat { 5_000 } else { load << shift };
                f.record(Instant::from_secs(h * 3600), Value::from_milli(load)).unwrap();
                h += 1;
            }
            let origin = h + past;
            let lo = f.window_start(origin).unwrap().max(origin.saturating_sub(lo_back));
            // Each grid point's 64-bit error sum is the 128-bit steps' (the fit compares them).
            let n = usize::try_from(origin - lo).unwrap();
            // No data from `lo` (the fits are both `None`, compared below): no loads.
            let mut last = f.first_load_from(lo).unwrap_or(0);
            let loads: Vec<i64> = (lo..origin).map(|h| fill(f.hours(), h, &mut last)).collect();
            for (&alpha, &beta, &gamma) in HW_ALPHA.iter().flat_map(|a| {
                HW_BETA.iter().flat_map(move |b| HW_GAMMA.iter().map(move |g| (a, b, g)))
            }) {
                let start = Hw::start_over(&loads, lo, HwParams { alpha, beta, gamma });
                let Some(mut hw) = start.filter(|_| f.first_load_from(lo).is_some()) else {
                    proptest::prop_assert!(n < DAY_HOURS || f.first_load_from(lo).is_none());
                    break;
                };
                let rest = &loads[DAY_HOURS..];
                let fast = hw.sse_64(rest, rest.iter().all(|&v| fast_load(v)));
                // The fast steps are the checked ones (each operation tested).
                proptest::prop_assert_eq!(fast, hw.sse_64(rest, false));
                hw.advance_to(&f, origin);
                if shift == 0 {
                    proptest::prop_assert!(fast.is_some());
                }
                if let Some(fast) = fast {
                    proptest::prop_assert_eq!(fast, hw.sse);
                }
            }
            for lo in [lo, lo.saturating_sub(lo_back)] {
                proptest::prop_assert_eq!(
                    Hw::fit(&f, lo, origin),
                    Hw::fit_reading(&f, lo, origin),
                    "lo {} origin {}",
                    lo,
                    origin
                );
                // Passes stopped once their sum reaches the least so far, whichever grid
                // point is tried first: the same fit.
                proptest::prop_assert_eq!(
                    Hw::fit_hinted(&f, lo, origin, grid_point(hint)),
                    Hw::fit_reading(&f, lo, origin),
                    "hint {} lo {} origin {}",
                    hint,
                    lo,
                    origin
                );
            }
        }
    }
}
