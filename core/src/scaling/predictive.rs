//! Predictive scaling (SEMANTICS §3.7): an hourly load forecast from the last 14 days and the
//! capacity it calls for.
//!
//! Units: the load of an hour is the **mean** of the samples recorded in it (in [`Value`]
//! thousandths), so forecasts are in the units of one sample (requests per 5 minutes, CPU %,
//! passengers per 30 minutes…) whatever the sampling rate, and an hour with fewer samples
//! does not look like a drop in load. `target_per_member` is in the same units.
//!
//! Model: the service does not publish its forecasting model. fleetcore's chooses, at every
//! refresh, between four simple forecasts by how well each did on the recent past, in integer
//! arithmetic only (thousandths in `i64`, sums and products in `i128`, truncating division),
//! so every target computes the same forecast:
//! - history: one entry per hour (sum and count of its samples), at most 14 days (336 hours,
//!   fixed memory; the oldest hour is dropped); a forecast made at origin hour `o` uses the
//!   hours in `[o − 336, o)`, never the hour in progress;
//! - no forecast before 24 hours of history (from the oldest hour kept to the origin);
//! - the candidates, for hour `t` from origin `o`:
//!   - **weekly**: with at least a week of history, the same hour of the **week**, each older
//!     week weighted half the newer one (with 14 days: ⅔ last week, ⅓ the week before), scaled
//!     by a damped level factor `(1 + r) / 2`, where `r` is the load of the 24 hours before the
//!     origin divided by what this profile, 24 hours earlier, forecast for them (a holiday, a
//!     storm or a change of traffic carries into the next two days at half strength); with
//!     less than a week, the plain mean of the same hour of the day over the days available;
//!   - **daily median**: the median of the same hour of the day over the last 7 days (robust
//!     to a burst on one day);
//!   - **blend** (the default): the mean of the weekly forecast and the daily median shifted
//!     by half the mean error the daily median made over the last 24 hours;
//!   - **flat**: the median of the last 6 hours, for every hour ahead (a load that moved to a
//!     new level and stays there);
//! - the track record (issue 20; `predictive/record.rs`): every forecast is scored once the
//!   load of its hour is known, as it was made at its origin (prequential, Dawid 1984), in
//!   error sums that every refresh multiplies by 79/80 (a fading factor, Gama et al. 2013: an
//!   hour's weight halves in about 14 days); a refresh adds the errors of the 6 hours that
//!   became known for each of the 8 origins of the last 48 hours whose horizon holds them.
//!   Scored: the 4 candidates, the model as chosen and raised at that origin, the combination's
//!   members and the combination as weighted there;
//! - the choice: the blend is kept unless another candidate's error on the record is under
//!   95 % of the blend's, then the one with the least error is used;
//! - the model's forecast is the chosen candidate's, raised by a share of its mean absolute
//!   error on the record (the **uplift**: a margin against under-forecasting, as capacity
//!   short of load costs more than a spare member): 10 % at first, one point more at each
//!   refresh while the published forecasts fell short of the load more than 2 points more
//!   often than seasonal naive 168 h did on the same hours (issue 17's criterion), one point
//!   less (not under 10 %) once no more often, at most 60 %;
//! - the combination (issue 17; `predictive/combine.rs`): the model and the forecasts people
//!   use (seasonal naive 24 h and 168 h, the mean of the same hour over 7 days scaled by its
//!   own damped level factor, as the weekly candidate is by its, Holt-Winters
//!   additive with a 24 h season, its parameters from a grid refitted once a day, clamped to
//!   the history's range); the members within 25 % of the least error on the record are
//!   averaged with weights inversely proportional to their errors, raised by the uplift's
//!   share of the combination's own mean absolute error, and that is the forecast when the
//!   combination's own record is under 90 % of the model's (a smooth series whose yesterday
//!   or Holt-Winters forecast beats the model); otherwise the model's is;
//! - the selection (issue 17; `combine::select`): instead of either, naive 24 h, naive 168 h or
//!   the (levelled) mean of 7 days alone (the one with the least error) when its lead on the
//!   record over what would otherwise be published is a quarter of that, or passes a
//!   one-sided test at 1 %: the lead at least 2.326 times the square root of the sum of the
//!   squares of the per-refresh leads it sums (the record keeps that sum, faded as a variance
//!   is; a seeded record none, so a seed selects only by the quarter), raised by the
//!   uplift's share of its own mean absolute error: a
//!   forecast people use that has done better lately by more than the record's noise (a very
//!   regular weekly load in the week after the model chose on the first week's hours, where
//!   last week's hour is right; solar irradiance, where the levelled mean of 7 days is).
//!   Holt-Winters is not selected alone: a seeded record scores it with parameters fitted to
//!   the same hours;
//! - the raise cap (issue 17; `Forecaster::bounded`): whatever is published, its raise does
//!   not lift it above the greatest load of its hour of the day over the last 7 days (a
//!   forecast already above that keeps its unraised value): a margin beyond anything the hour
//!   carried for a week is spare capacity, and on a load that is zero every night each night's
//!   raise was all error (`greensboro_ghi` 34.59 → 32.92 % WAPE; lower on 11 of the 13 series,
//!   BENCHMARKS.md); the record scores the forecasts as published, capped;
//! - a record continues only from the refresh 6 hours before; otherwise (the first refresh, a
//!   refresh after a gap of refreshes, a history recorded at once) it is **seeded** from a
//!   backtest, the model before issue 20: each candidate, member and the combination scored on
//!   up to 40 earlier origins (6, 12 … 240 hours before, those with a day of history) over the
//!   hours of their 48 that are known, with the choice, weights and Holt-Winters fit made now
//!   applied to each, so that a forecaster given 14 days of history chooses well at once;
//! - the capacity for an hour is ⌈forecast load ÷ target load per member⌉.
//!
//! The model was chosen on the shared NAB traces (`cargo run -p fleetcore --example
//! forecast_eval --release`; the protocol of issue 4: rolling origin every 6 h, 48 h horizon,
//! at most 14 days of history): on WAPE it beats seasonal naive (24 h and 168 h seasons), the
//! mean of the same hour over the last 7 days and Holt-Winters additive (24 h season) on every
//! trace and on the seven outside series of `core/examples/data`, and under-forecasts no more
//! often than seasonal naive 168 h on every series but `ec2_cpu_utilization_5f5533` (table in
//! core/README.md). One rule for every trace, no per-trace tuning.
//!
//! Refresh (§3.7: a 48-hour hourly forecast refreshed every 6 hours): [`Forecaster::refresh`]
//! computes the 48 hours from the current hour and keeps them; it recomputes only once 6 hours
//! have passed since the last refresh's hour. [`Forecaster::forecast`] answers from that cache
//! for the hours it covers; for any other hour it computes the model from the history alone,
//! with a record seeded at that origin (as the first refresh of a forecaster given the same
//! history would), without keeping anything.
//!
//! Cost: a refresh that continues its record re-forecasts 8 origins × 6 hours (each a few
//! lookups of the history: weekly profile, 7-day median and mean, naive), runs Holt-Winters
//! once over the window with its parameters (stopping at each of the 8 origins to forecast
//! from there) and, once a day, refits them over 24 grid points; then the 48 hours ahead.
//! `valgrind --tool=callgrind` on `refresh_cost` (100 refreshes every 6 hours on `nyc_taxi`,
//! the first a seed): 5.0 × 10^7 instructions (the raise cap's 7 lookups per published hour
//! added 5.7 % since), against 6.4 × 10^8 when every refresh walked
//! the backtest (about 5 × 10^5 a refresh, a third of it the daily refit). A seed costs what
//! a refresh did before: the backtest of 41 origins (each distinct weekly profile and 7-day
//! median computed once, in a 64-slot memo), walked three times, and the Holt-Winters fit:
//! about 6 × 10^6 instructions and, beyond the forecaster, about 8 KiB of stack. The record
//! takes 1.6 KiB of the forecaster (`size_of::<Forecaster>()` 9,808 B, from 8,496 B; 9,872 B
//! since a maturing origin keeps what was published and its raise, issue 17's selection;
//! 10,176 B since it keeps mean 7's level and the record the spread of the selectable
//! members' leads, issue 17's test).

//! Scaling: `ForecastAndScale` raises desired to the forecast capacity at the start of each
//! hour, a `SchedulingBufferTime` ahead (default 300 s), and never scales in;
//! `HonorMaxCapacity` caps it at max, `IncreaseMaxCapacity` lets max rise to the forecast plus
//! `MaxCapacityBuffer` % (and it stays raised).

use super::alarm::Value;
use crate::scaling::ScalingError;
use crate::time::{Duration, Instant};

/// One hour.
pub const HOUR: Duration = Duration::from_hours(1);
/// Hours of history kept (14 days).
pub const HISTORY_HOURS: usize = 14 * 24;
/// Hours of history needed before the first forecast.
pub const MIN_HISTORY_HOURS: u64 = 24;
/// Hours one refresh forecasts.
pub const HORIZON_HOURS: usize = 48;
/// Hours between refreshes.
pub const REFRESH_HOURS: u64 = 6;
/// The default `SchedulingBufferTime`.
pub const DEFAULT_BUFFER: Duration = Duration::from_secs(300);

const DAY: u64 = 24;
/// [`DAY`] as a length.
const DAY_HOURS: usize = 24;
const WEEK: u64 = 7 * 24;
const WINDOW: u64 = 14 * 24;
/// Marks an hour of the cached forecast that had no season with data.
const NO_FORECAST: i64 = i64::MIN;

vocabulary! {
    /// `Mode` of a predictive policy (SEMANTICS §3.7).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Mode: "predictive scaling mode" {
        /// `ForecastOnly` (the default): forecasts, never scales.
        #[default]
        ForecastOnly = 0 => "forecast_only" | "ForecastOnly",
        /// `ForecastAndScale`.
        ForecastAndScale = 1 => "forecast_and_scale" | "ForecastAndScale",
    }
}

/// `MaxCapacityBreachBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum MaxBreach {
    /// `HonorMaxCapacity` (the default).
    #[default]
    HonorMaxCapacity,
    /// `IncreaseMaxCapacity` with `MaxCapacityBuffer` (0–100 % of the forecast).
    IncreaseMaxCapacity {
        /// `MaxCapacityBuffer`, percent.
        buffer_percent: u32,
    },
}

/// `PredictiveScalingConfiguration` with one load metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PredictiveConfig {
    /// `Mode`.
    pub mode: Mode,
    /// The load one member should carry in an hour (`TargetValue`).
    pub target_per_member: Value,
    /// `SchedulingBufferTime` (under an hour).
    pub buffer: Duration,
    /// `MaxCapacityBreachBehavior`.
    pub max_breach: MaxBreach,
}

impl PredictiveConfig {
    /// Forecast-only with the default buffer.
    pub const fn new(target_per_member: Value) -> Self {
        Self {
            mode: Mode::ForecastOnly,
            target_per_member,
            buffer: DEFAULT_BUFFER,
            max_breach: MaxBreach::HonorMaxCapacity,
        }
    }

    /// Checks the ranges of §3.7.
    ///
    /// # Errors
    /// [`ScalingError::InvalidForecastConfig`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        let buffer_ok = match self.max_breach {
            MaxBreach::IncreaseMaxCapacity { buffer_percent } => buffer_percent <= 100,
            MaxBreach::HonorMaxCapacity => true,
        };
        if self.buffer >= HOUR || self.target_per_member <= Value::ZERO || !buffer_ok {
            return Err(ScalingError::InvalidForecastConfig);
        }
        Ok(())
    }
}

/// One hour of history: the sum and count of the samples recorded in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct HourLoad {
    hour: u64,
    sum: i64,
    count: u32,
}

impl HourLoad {
    /// The hour's load: the mean of its samples, in thousandths (truncated toward zero).
    fn mean(&self) -> i64 {
        self.sum.checked_div(i64::from(self.count)).unwrap_or(0)
    }
}

/// The history's hours, ascending: the deque's two slices ([`Forecaster::hours`]).
#[derive(Clone, Copy)]
struct Hours<'a> {
    a: &'a [HourLoad],
    b: &'a [HourLoad],
}

impl Hours<'_> {
    /// The load of `hour` in thousandths. The history is ascending by hour, one entry per hour
    /// with samples: without gaps, `hour` is at its distance from the front, which is tried
    /// first (a forecast reads tens of thousands of hours per refresh); otherwise, or when
    /// that entry is another hour, by binary search, which finds the same entry if there is
    /// one ([`Hours::searched`], the reference the tests hold this to).
    #[inline]
    fn mean_at(&self, hour: u64) -> Option<i64> {
        // Before the front: no entry (the history is ascending).
        let d = hour.checked_sub(self.a.first()?.hour)?;
        let at = usize::try_from(d).ok().and_then(|d| match self.a.get(d) {
            Some(h) => Some(h),
            None => d.checked_sub(self.a.len()).and_then(|i| self.b.get(i)),
        });
        if let Some(h) = at
            && h.hour == hour
        {
            return Some(h.mean());
        }
        self.searched(hour)
    }

    /// The load of `hour` in thousandths, by binary search.
    fn searched(&self, hour: u64) -> Option<i64> {
        let (a, b) = (self.a, self.b);
        let slice = match b.first() {
            Some(first) if first.hour <= hour => b,
            _ => a,
        };
        let i = slice.binary_search_by_key(&hour, |h| h.hour).ok()?;
        slice.get(i).map(HourLoad::mean)
    }
}

/// The last refresh: its origin hour and the loads of the 48 hours from it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Cached {
    origin: u64,
    /// Thousandths; [`NO_FORECAST`] for an hour no season had data for.
    loads: heapless::Vec<i64, HORIZON_HOURS>,
}

/// Hourly load history (14 days, fixed memory) and the cached 48-hour forecast from it
/// (SEMANTICS §3.7; the model is in the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Forecaster {
    /// One entry per hour with samples, ascending by hour.
    hours: heapless::Deque<HourLoad, HISTORY_HOURS>,
    cache: Option<Cached>,
    /// The track record the last refresh left (`predictive/record.rs`).
    record: Option<record::Record>,
}

impl Forecaster {
    /// An empty history.
    pub const fn new() -> Self {
        Self {
            hours: heapless::Deque::new(),
            cache: None,
            record: None,
        }
    }

    /// The hour index of `t`.
    pub fn hour_of(t: Instant) -> u64 {
        t.total_millis()
            .checked_div(HOUR.total_millis())
            .unwrap_or(0)
    }

    /// Adds a `load` sample observed at `at` to its hour (whose load is the mean of its
    /// samples). Samples must come in time order by hour; an hour older than the newest one
    /// kept is refused. Once 14 days are kept, a new hour drops the oldest. The cached
    /// forecast stays as it is until the next [`refresh`](Self::refresh).
    ///
    /// # Errors
    /// [`ScalingError::TooOld`].
    pub fn record(&mut self, at: Instant, load: Value) -> Result<(), ScalingError> {
        let hour = Self::hour_of(at);
        match self.hours.back_mut() {
            Some(h) if h.hour == hour => {
                h.sum = h.sum.saturating_add(load.milli());
                h.count = h.count.saturating_add(1);
                return Ok(());
            }
            Some(h) if h.hour > hour => return Err(ScalingError::TooOld),
            _ => {}
        }
        if self.hours.is_full() {
            self.hours.pop_front();
        }
        let _ = self.hours.push_back(HourLoad {
            hour,
            sum: load.milli(),
            count: 1,
        });
        Ok(())
    }

    /// Hours of history from the oldest kept to the newest.
    pub fn span_hours(&self) -> u64 {
        match (self.hours.front(), self.hours.back()) {
            (Some(a), Some(b)) => b.hour.saturating_sub(a.hour).saturating_add(1),
            _ => 0,
        }
    }

    /// The recorded load (mean of the samples) of `hour`, if it is kept.
    pub fn load(&self, hour: u64) -> Option<Value> {
        self.mean_at(hour).map(Value::from_milli)
    }

    /// Recomputes the 48-hour forecast from the hour of `now` when none is cached or 6 hours
    /// have passed since the hour of the last refresh (refreshes fall on whole hours). Uses
    /// the complete hours before `now`'s hour. Returns whether it recomputed; before 24 hours
    /// of history it does not (and keeps trying on later calls).
    pub fn refresh(&mut self, now: Instant) -> bool {
        let origin = Self::hour_of(now);
        if let Some(c) = &self.cache
            && origin < c.origin.saturating_add(REFRESH_HOURS)
        {
            return false;
        }
        if self.span_before(origin) < MIN_HISTORY_HOURS {
            return false;
        }
        // The track record carried from the refresh 6 hours before, or seeded afresh.
        // Updated in place (one copy of it on the stack: the firmware's is 64 KiB).
        let mut record = self.record.take();
        let plan = match record.as_mut() {
            Some(r) if r.continues_at(origin) => self.advance_record(r, origin),
            _ => self.seed_record(origin, &mut record),
        };
        let state = self.origin_state(origin);
        let loads = self.planned_48(&state, &plan);
        if let Some(r) = record.as_mut() {
            r.open(state, &plan);
        }
        self.record = record;
        self.cache = Some(Cached { origin, loads });
        true
    }

    /// The 48 hours from the origin of `st` under `plan` ([`NO_FORECAST`] for an hour without
    /// one). Hours `t` and `t + 24` read the same 7 days (the first day back from each is the
    /// first before the origin: [`Forecaster::median_key`]), so [`Forecaster::days7`] is read
    /// once for the pair (an hour index of an [`Instant`] is under 2^43: no sum saturates).
    /// Not inlined: in [`Forecaster::refresh`]'s frame its locals (464 B on thumbv7m) would
    /// sit under the seeding backtest, the forecaster's deepest stack.
    #[inline(never)]
    fn planned_48(
        &self,
        st: &OriginState,
        plan: &combine::Plan,
    ) -> heapless::Vec<i64, HORIZON_HOURS> {
        // Two days: each hour of the first is paired with the same hour of the second.
        const _: () = assert!(HORIZON_HOURS == 2 * DAY_HOURS);
        let mut loads = heapless::Vec::new();
        let _ = loads.resize(HORIZON_HOURS, NO_FORECAST);
        for h in 0..DAY {
            let t = st.origin.saturating_add(h);
            let days = self.days7(t, st.origin);
            for (i, t) in [(h, t), (h.saturating_add(DAY), t.saturating_add(DAY))] {
                if let Some(slot) = usize::try_from(i).ok().and_then(|i| loads.get_mut(i)) {
                    *slot = self.planned_with(t, st, plan, &days).unwrap_or(NO_FORECAST);
                }
            }
        }
        loads
    }

    /// The hour of the last refresh (the first hour of the cached forecast).
    pub fn refreshed_hour(&self) -> Option<u64> {
        self.cache.as_ref().map(|c| c.origin)
    }

    /// The cached forecast: (hour, load) for the 48 hours from the last refresh; empty before
    /// the first.
    pub fn forecast_48h(&self) -> impl Iterator<Item = (u64, Option<Value>)> + '_ {
        self.cache.iter().flat_map(|c| {
            (c.origin..).zip(
                c.loads
                    .iter()
                    .map(|&l| (l != NO_FORECAST).then_some(Value::from_milli(l))),
            )
        })
    }

    /// The forecast load of hour `hour`: from the cached forecast when it covers the hour,
    /// otherwise computed now from the history before `hour` (or all of it, for a future
    /// hour), with a track record seeded at that origin from the backtest (module docs: what
    /// the first refresh of a forecaster given this history would forecast; nothing is kept).
    /// `None` before 24 hours of history or when no season has data for the hour.
    #[inline]
    pub fn forecast(&self, hour: u64) -> Option<Value> {
        if let Some(c) = &self.cache
            && let Some(i) = hour
                .checked_sub(c.origin)
                .and_then(|i| usize::try_from(i).ok())
            && let Some(&l) = c.loads.get(i)
        {
            return (l != NO_FORECAST).then_some(Value::from_milli(l));
        }
        self.forecast_afresh(hour)
    }

    /// [`Forecaster::forecast`] of an hour the cache does not cover. Out of line: the
    /// simulator asks for the forecast every step and almost always finds it cached, and
    /// this path's frame (a plan, an origin's state) made each of those calls save and
    /// restore registers for it.
    #[inline(never)]
    fn forecast_afresh(&self, hour: u64) -> Option<Value> {
        let origin = hour.min(self.hours.back()?.hour.saturating_add(1));
        if self.span_before(origin) < MIN_HISTORY_HOURS {
            return None;
        }
        let plan = self.plan_at(origin);
        self.planned(hour, &self.origin_state(origin), &plan)
            .map(Value::from_milli)
    }

    /// The capacity hour `hour` calls for: ⌈forecast ÷ target per member⌉.
    pub fn capacity(&self, hour: u64, target_per_member: Value) -> Option<u32> {
        let load = i128::from(self.forecast(hour)?.milli().max(0));
        let t = i128::from(target_per_member.milli().max(1));
        let q = load.checked_div(t)?;
        let q = if load.checked_rem(t).unwrap_or(0) > 0 {
            q.saturating_add(1)
        } else {
            q
        };
        u32::try_from(q).ok()
    }

    // ----- the model ---------------------------------------------------------------------

    /// The first hour a forecast at `origin` may use: the oldest kept, within 14 days.
    fn window_start(&self, origin: u64) -> Option<u64> {
        let front = self.hours.front()?.hour;
        Some(front.max(origin.saturating_sub(WINDOW)))
    }

    /// Hours of history a forecast at `origin` has (from the window's start to the origin).
    fn span_before(&self, origin: u64) -> u64 {
        self.window_start(origin)
            .map_or(0, |lo| origin.saturating_sub(lo))
    }

    /// The load of `hour` in thousandths ([`Hours::mean_at`]).
    fn mean_at(&self, hour: u64) -> Option<i64> {
        self.hours().mean_at(hour)
    }

    /// The history as the deque's two ascending slices, for loops that read many hours:
    /// taken once, each lookup then indexes a slice instead of going through the deque's
    /// length and ring arithmetic (most of a lookup's instructions).
    fn hours(&self) -> Hours<'_> {
        let (a, b) = self.hours.as_slices();
        Hours { a, b }
    }

    /// The load of `hour` in thousandths, by binary search (the deque is ascending): the
    /// reference the tests hold [`Forecaster::mean_at`] to.
    #[cfg(test)]
    fn mean_at_searched(&self, hour: u64) -> Option<i64> {
        self.hours().searched(hour)
    }

    /// The weighted mean of the loads `season`, 2 × `season`… hours before `t` that lie in
    /// `[window start, origin)`; with `halve`, each older season weighs half the newer one.
    fn seasonal(&self, t: u64, origin: u64, season: u64, halve: bool) -> Option<i64> {
        let (s, lo) = self.seasonal_key(t, origin, season)?;
        self.seasonal_from(s, lo, season, halve)
    }

    /// What [`seasonal`](Self::seasonal) of `t` at `origin` reads: the first season back
    /// before the origin (`s`) and the window's start (`lo`); the same key, the same mean.
    fn seasonal_key(&self, t: u64, origin: u64, season: u64) -> Option<(u64, u64)> {
        let lo = self.window_start(origin)?;
        // The first season back that is before the origin.
        let k = t
            .checked_sub(origin)
            .map_or(Some(1), |d| d.checked_div(season)?.checked_add(1))?;
        let s = t.checked_sub(season.checked_mul(k)?)?;
        Some((s, lo))
    }

    /// The weighted mean of the loads of `s`, `s − season` … that are at or after `lo`: in
    /// 64-bit arithmetic when every product and sum fits one ([`Forecaster::seasonal_64`]:
    /// then the 128-bit sums saturate nowhere and are the same numbers), else in 128 bits
    /// ([`Forecaster::seasonal_128`], the reference the tests hold this to). A refresh reads
    /// about 50 profiles (taxi run: 46,000 calls, each a few 128-bit products before).
    fn seasonal_from(&self, s: u64, lo: u64, season: u64, halve: bool) -> Option<i64> {
        self.seasonal_64(s, lo, season, halve)
            .unwrap_or_else(|| self.seasonal_128(s, lo, season, halve))
    }

    /// [`Forecaster::seasonal_from`] in 64-bit arithmetic; `None` when a product or sum
    /// does not fit (the 128-bit sums decide).
    #[allow(clippy::option_option)] // Read once, by `seasonal_from`.
    #[inline]
    fn seasonal_64(&self, mut s: u64, lo: u64, season: u64, halve: bool) -> Option<Option<i64>> {
        let hours = self.hours();
        let (mut num, mut den, mut w) = (0i64, 0i64, 1i64 << 20);
        while s >= lo {
            if let Some(l) = hours.mean_at(s) {
                num = num.checked_add(w.checked_mul(l)?)?;
                den = den.checked_add(w)?;
                if halve {
                    w = (w >> 1).max(1);
                }
            }
            let Some(next) = s.checked_sub(season) else {
                break;
            };
            s = next;
        }
        // `div_i128` of the same sums (both fit: its 64-bit division).
        Some(num.checked_div(den))
    }

    /// [`Forecaster::seasonal_from`] in 128-bit arithmetic, whatever the loads.
    fn seasonal_128(&self, mut s: u64, lo: u64, season: u64, halve: bool) -> Option<i64> {
        let hours = self.hours();
        let (mut num, mut den, mut w) = (0i128, 0i128, 1i128 << 20);
        while s >= lo {
            if let Some(l) = hours.mean_at(s) {
                num = num.saturating_add(w.saturating_mul(i128::from(l)));
                den = den.saturating_add(w);
                if halve {
                    w = w.checked_shr(1).unwrap_or(0).max(1);
                }
            }
            let Some(next) = s.checked_sub(season) else {
                break;
            };
            s = next;
        }
        div_i128(num, den)
    }

    /// The seasonal profile at `t` for a forecast at `origin`: weekly (halving weights) with
    /// a week of history, daily (plain mean) with less.
    fn profile(&self, t: u64, origin: u64) -> Option<i64> {
        if self.span_before(origin) >= WEEK {
            self.seasonal(t, origin, WEEK, true)
        } else {
            self.seasonal(t, origin, DAY, false)
        }
    }

    /// Everything [`Forecaster::profile`] of `t` at `origin` depends on besides the history:
    /// the first season back, the window's start and the season (weekly halving, or daily);
    /// `None` when it is `None` whatever the history. Equal keys, equal profiles.
    fn profile_key(&self, t: u64, origin: u64) -> Option<(u64, u64, u64)> {
        let season = if self.span_before(origin) >= WEEK {
            WEEK
        } else {
            DAY
        };
        let (s, lo) = self.seasonal_key(t, origin, season)?;
        Some((s, lo, season))
    }

    /// [`Forecaster::profile`] of its key.
    fn profile_from(&self, (s, lo, season): (u64, u64, u64)) -> Option<i64> {
        self.seasonal_from(s, lo, season, season == WEEK)
    }

    /// The level of the last 24 hours before `origin`: (actual, what the model forecast for
    /// them at `origin − 24`), summed over the hours both exist; only with a week of history.
    fn level(&self, origin: u64, memo: Option<&DayMemo>) -> Option<(i128, i128)> {
        let memo = memo.filter(|m| Some(m.origin) == origin.checked_sub(DAY));
        if self.span_before(origin) < WEEK {
            return None;
        }
        let before = origin.checked_sub(DAY)?;
        if self.span_before(before) < MIN_HISTORY_HOURS {
            return None;
        }
        let (mut actual, mut fit) = (0i128, 0i128);
        for u in before..origin {
            let profile = || {
                memo.and_then(|m| m.profile(u))
                    .unwrap_or_else(|| self.profile(u, before))
            };
            if let (Some(a), Some(f)) = (self.mean_at(u), profile()) {
                actual = actual.saturating_add(i128::from(a));
                fit = fit.saturating_add(i128::from(f));
            }
        }
        (fit > 0 && actual >= 0).then_some((actual, fit))
    }

    /// The forecast for `t` at `origin`: the profile times the damped level factor
    /// (1 + actual/fit) / 2 = (actual + fit) / (2 · fit).
    fn leveled(profile: Option<i64>, level: Option<(i128, i128)>) -> Option<i64> {
        let p = profile?;
        let Some((actual, fit)) = level else {
            return Some(p);
        };
        let sum = actual.checked_add(fit)?;
        Some(Self::level_scaled(p, sum, fit).unwrap_or(p))
    }

    /// `p × sum ÷ (2 · fit)` (`sum` = actual + fit), truncated toward zero, if it fits an
    /// `i64`: in 64-bit arithmetic when the operands and the product fit one (every real
    /// load: the same quotient without a 128-bit division, once per hour and origin of a
    /// backtest), else in 128 bits ([`Forecaster::level_scaled_128`], the reference the tests
    /// hold this to).
    fn level_scaled(p: i64, sum: i128, fit: i128) -> Option<i64> {
        if let Some(den) = fit.checked_mul(2)
            && let (Ok(sum), Ok(den)) = (i64::try_from(sum), i64::try_from(den))
            && let Some(num) = p.checked_mul(sum)
        {
            // `i64::MIN ÷ −1` is refused here as its 128-bit quotient is refused there.
            return num.checked_div(den);
        }
        Self::level_scaled_128(p, sum, fit)
    }

    /// [`Forecaster::level_scaled`] in 128-bit arithmetic.
    fn level_scaled_128(p: i64, sum: i128, fit: i128) -> Option<i64> {
        i128::from(p)
            .checked_mul(sum)
            .and_then(|x| x.checked_div(fit.checked_mul(2)?))
            .and_then(|x| i64::try_from(x).ok())
    }

    // ----- the candidates and the choice between them ---------------------------------------

    /// The median of the same hour of the day as `t` over the 7 days before `origin` (the
    /// days of the window with data; the first day back is the first before the origin).
    fn daily_median(&self, t: u64, origin: u64) -> Option<i64> {
        let (s, lo) = self.median_key(t, origin)?;
        self.median_from(s, lo)
    }

    /// What [`daily_median`](Self::daily_median) of `t` at `origin` reads: the first day
    /// back it takes (`s`) and the window's start (`lo`). Medians with the same key are the
    /// same number, whichever `t` and `origin` they were asked for ([`HourMemo`]).
    fn median_key(&self, t: u64, origin: u64) -> Option<(u64, u64)> {
        let lo = self.window_start(origin)?;
        let k = t
            .checked_sub(origin)
            .map_or(Some(1), |d| d.checked_div(DAY)?.checked_add(1))?;
        let s = t.checked_sub(DAY.checked_mul(k)?)?;
        Some((s, lo))
    }

    /// The median of the loads of `s`, `s − 24` … (7 days) that are at or after `lo`.
    fn median_from(&self, mut s: u64, lo: u64) -> Option<i64> {
        let hours = self.hours();
        let mut buf = [0i64; MEDIAN_DAYS];
        let mut n = 0usize;
        for _ in 0..MEDIAN_DAYS {
            if s < lo {
                break;
            }
            if let (Some(l), Some(slot)) = (hours.mean_at(s), buf.get_mut(n)) {
                *slot = l;
                n = n.saturating_add(1);
            }
            let Some(next) = s.checked_sub(DAY) else {
                break;
            };
            s = next;
        }
        median(buf.get_mut(..n)?)
    }

    /// The median of the loads of the 6 hours before `origin` (those with data).
    fn flat(&self, origin: u64) -> Option<i64> {
        let hours = self.hours();
        let lo = self.window_start(origin)?;
        let mut buf = [0i64; FLAT_HOURS];
        let mut n = 0usize;
        for u in origin.saturating_sub(FLAT_HOURS as u64).max(lo)..origin {
            if let (Some(l), Some(slot)) = (hours.mean_at(u), buf.get_mut(n)) {
                *slot = l;
                n = n.saturating_add(1);
            }
        }
        median(buf.get_mut(..n)?)
    }

    /// Half the mean, over the 24 hours before `origin`, of the load less what
    /// [`daily_median`](Self::daily_median) forecast for it at `origin − 24`; 0 without a day
    /// of history at `origin − 24`.
    fn daily_shift(
        &self,
        origin: u64,
        memo: Option<&DayMemo>,
        mut medians: Option<&mut HourMemo>,
    ) -> i64 {
        let memo = memo.filter(|m| Some(m.origin) == origin.checked_sub(DAY));
        let Some(before) = origin.checked_sub(DAY) else {
            return 0;
        };
        if self.span_before(before) < MIN_HISTORY_HOURS {
            return 0;
        }
        let (mut sum, mut n) = (0i128, 0i128);
        for u in before..origin {
            let Some(a) = self.mean_at(u) else {
                continue;
            };
            let median =
                memo.and_then(|m| m.median(u))
                    .unwrap_or_else(|| match medians.as_deref_mut() {
                        Some(ring) => ring.daily_median(self, u, before),
                        None => self.daily_median(u, before),
                    });
            if let Some(f) = median {
                sum = sum.saturating_add(i128::from(a).saturating_sub(i128::from(f)));
                n = n.saturating_add(1);
            }
        }
        sum.checked_div(n.saturating_mul(2))
            .and_then(|x| i64::try_from(x).ok())
            .unwrap_or(0)
    }

    /// What every candidate needs at `origin`, computed once: [`Forecaster::origin_state_with`]
    /// without memos (the reference the tests hold this to), mean 7's level and the daily
    /// shift from one read of each hour's 7 days ([`Forecaster::m7_level_and_shift`]).
    #[inline(never)]
    fn origin_state(&self, origin: u64) -> OriginState {
        let (m7_level, shift) = self.m7_level_and_shift(origin);
        OriginState {
            origin,
            level: self.level(origin, None),
            m7_level,
            shift,
            flat: self.flat(origin),
        }
    }

    /// [`Forecaster::mean7_level`] and [`Forecaster::daily_shift`] (without memos) at
    /// `origin` in one pass over the 24 hours before it: mean 7 and the daily median of an
    /// hour at `origin − 24` read the same 7 days, so [`Forecaster::days7`] reads them once
    /// for both (two passes of 7 lookups before). Same preconditions, same sums in the same
    /// order.
    fn m7_level_and_shift(&self, origin: u64) -> (Option<(i128, i128)>, i64) {
        let Some(before) = origin.checked_sub(DAY) else {
            return (None, 0);
        };
        if self.span_before(before) < MIN_HISTORY_HOURS {
            return (None, 0);
        }
        let (mut actual, mut fit) = (0i128, 0i128);
        let (mut sum, mut n) = (0i128, 0i128);
        for u in before..origin {
            let Some(a) = self.mean_at(u) else {
                continue;
            };
            let days = self.days7(u, before);
            if let Some(f) = days.mean {
                actual = actual.saturating_add(i128::from(a));
                fit = fit.saturating_add(i128::from(f));
            }
            if let Some(m) = days.median {
                sum = sum.saturating_add(i128::from(a).saturating_sub(i128::from(m)));
                n = n.saturating_add(1);
            }
        }
        let m7_level = (fit > 0 && actual >= 0).then_some((actual, fit));
        let shift = sum
            .checked_div(n.saturating_mul(2))
            .and_then(|x| i64::try_from(x).ok())
            .unwrap_or(0);
        (m7_level, shift)
    }

    /// [`Forecaster::origin_state`], reading the profiles and daily medians of the 24 hours
    /// before `origin` from `memo` where it holds them (the backtest at `origin − 24`).
    fn origin_state_with(
        &self,
        origin: u64,
        memo: Option<&DayMemo>,
        medians: Option<&mut HourMemo>,
    ) -> OriginState {
        OriginState {
            origin,
            level: self.level(origin, memo),
            m7_level: self.mean7_level(origin),
            shift: self.daily_shift(origin, memo, medians),
            flat: self.flat(origin),
        }
    }

    /// The forecasts of every candidate for hour `t` (in [`Candidate::ALL`]'s order; the
    /// reference of the tests: a forecast takes the daily median from [`Forecaster::days7`]).
    #[cfg(test)]
    fn candidates(&self, t: u64, st: &OriginState) -> [Option<i64>; 4] {
        self.candidates_with(t, st, self.daily_median(t, st.origin))
    }

    /// [`Forecaster::candidates`] with the daily median of `t` at the origin already known.
    fn candidates_with(&self, t: u64, st: &OriginState, median: Option<i64>) -> [Option<i64>; 4] {
        Self::candidates_from(st, self.profile(t, st.origin), median)
    }

    /// [`Forecaster::candidates`] from the profile and the daily median of the hour.
    fn candidates_from(
        st: &OriginState,
        profile: Option<i64>,
        median: Option<i64>,
    ) -> [Option<i64>; 4] {
        let weekly = Self::leveled(profile, st.level);
        let shifted = median.map(|m| m.saturating_add(st.shift));
        let blend = match (weekly, shifted) {
            (Some(w), Some(d)) => i64::try_from(
                i128::from(w)
                    .saturating_add(i128::from(d))
                    .checked_div(2)
                    .unwrap_or(0),
            )
            .ok(),
            (w, d) => w.or(d),
        };
        [blend, weekly, median, st.flat]
    }

    /// Scores the candidates on the (up to 40) earlier origins 6, 12… hours before `origin`
    /// that had a day of history: the absolute error of each over the hours of its 48 that
    /// are before `origin` and have data (an hour without a forecast counts its whole load).
    /// The blend wins unless another candidate's error is under 95 % of the blend's; the
    /// forecast is then raised by 1/20 of the winner's mean absolute error. Not inlined, so
    /// that its backtest's memos are off the stack when the combination fits and walks.
    #[inline(never)]
    fn choose(&self, origin: u64) -> Choice {
        self.choose_with(origin, true)
    }

    /// The backtest behind [`Forecaster::choose`]: for each of the (up to 40) earlier origins
    /// `back` 6, 12 … hours before `origin` that had a day of history, oldest first, and each
    /// hour `t` of its 48 that is before `origin` and has data, calls `visit(back, t, actual,
    /// the candidates' forecasts of t at back)`. `reuse` as in [`Forecaster::choose_with`].
    fn walk(
        &self,
        origin: u64,
        reuse: bool,
        mut visit: impl FnMut(u64, u64, i64, [Option<i64>; 4]),
    ) {
        // The origins scored: 6, 12 … hours back while they have a day of history (fewer
        // hours back have at least as much).
        let mut origins = 0u64;
        for j in 1..=BACKTEST_ORIGINS {
            match REFRESH_HOURS
                .checked_mul(j)
                .and_then(|d| origin.checked_sub(d))
            {
                Some(back) if self.span_before(back) >= MIN_HISTORY_HOURS => origins = j,
                _ => break,
            }
        }
        // Oldest first, so that the origin 24 hours (4 origins) later finds the profiles and
        // medians of its level and daily shift already computed: `memos[j % 5]` is origin
        // `j`'s. The errors are sums of non-negative terms, the same in any order.
        let mut memos = [const { None::<DayMemo> }; 5];
        // Origins 6 hours apart read mostly the same days: each 7-day median is computed once
        // per backtest, not once per origin that reads it.
        let mut medians = HourMemo::new();
        // Likewise each weekly profile: hour `t`'s, at every origin from `t − 47` to `t`,
        // reads the same weeks.
        let mut profiles = HourMemo::new();
        for j in (1..=origins).rev() {
            let Some(back) = REFRESH_HOURS
                .checked_mul(j)
                .and_then(|d| origin.checked_sub(d))
            else {
                continue;
            };
            let earlier = j
                .checked_add(4)
                .and_then(|k| usize::try_from(k % 5).ok())
                .and_then(|k| memos.get(k))
                .and_then(Option::as_ref)
                .filter(|_| reuse);
            let st = self.origin_state_with(back, earlier, reuse.then_some(&mut medians));
            let end = back.saturating_add(HORIZON_HOURS as u64).min(origin);
            // The daily median of `t` and of `t + 24` from one origin read the same days (the
            // first day back from `t` is the first before the origin): each of the 24 is
            // computed once per origin.
            let mut memo = DayMemo::new(back);
            for t in back..end {
                let Some(actual) = self.mean_at(t) else {
                    continue;
                };
                let known = memo.median(t).filter(|_| reuse);
                let median = known.unwrap_or_else(|| {
                    if reuse {
                        medians.daily_median(self, t, back)
                    } else {
                        self.daily_median(t, back)
                    }
                });
                let profile = if reuse {
                    profiles.profile(self, t, back)
                } else {
                    self.profile(t, back)
                };
                memo.keep(t, median, profile);
                visit(back, t, actual, Self::candidates_from(&st, profile, median));
            }
            if let Some(slot) = usize::try_from(j % 5).ok().and_then(|k| memos.get_mut(k)) {
                *slot = Some(memo);
            }
        }
    }

    /// [`Forecaster::choose`]; `reuse`: each origin's 24 daily medians are computed once and
    /// read twice (the fast path), or computed for every hour (the reference the tests hold
    /// the fast path to).
    fn choose_with(&self, origin: u64, reuse: bool) -> Choice {
        self.choose_scored(origin, reuse).0
    }

    /// [`Forecaster::choose_with`], and the candidates' error sums and the number of hours
    /// scored (what a track record is seeded with, `predictive/record.rs`).
    #[inline(never)]
    fn choose_scored(&self, origin: u64, reuse: bool) -> (Choice, [i128; 4], i128) {
        let mut err = [0i128; 4];
        let mut hours = 0i128;
        self.walk(origin, reuse, |_, _, actual, candidates| {
            hours = hours.saturating_add(1);
            for (e, f) in err.iter_mut().zip(candidates) {
                let diff = i128::from(f.unwrap_or(0)).saturating_sub(i128::from(actual));
                *e = e.saturating_add(diff.saturating_abs());
            }
        });
        (Self::choice_from(&err, hours, UPLIFT_PERCENT), err, hours)
    }

    /// The choice given the candidates' absolute error sums over `hours` hours: the blend
    /// unless another's error is under 95 % of the blend's, raised by `percent` % of the
    /// winner's mean absolute error.
    fn choice_from(err: &[i128; 4], hours: i128, percent: i64) -> Choice {
        let blend = err.first().copied().unwrap_or(0);
        let mut best = (Candidate::Blend, blend);
        for (&c, &e) in Candidate::ALL.iter().zip(err) {
            if e.saturating_mul(100) < blend.saturating_mul(SWITCH_PERCENT) && e < best.1 {
                best = (c, e);
            }
        }
        let uplift = combine::lift_of(best.1, hours, percent);
        Choice {
            candidate: best.0,
            uplift,
        }
    }
}

/// Earlier origins (every 6 hours back) the candidates are scored on.
const BACKTEST_ORIGINS: u64 = 40;
/// Days the daily median looks back.
const MEDIAN_DAYS: usize = 7;
/// Hours the flat candidate takes the median of.
const FLAT_HOURS: usize = 6;
/// Another candidate replaces the blend when its error is under this percentage of the blend's.
const SWITCH_PERCENT: i128 = 95;
/// The forecast is raised by this percentage of the winner's mean absolute error (at a seed;
/// a track record then moves it, `predictive/record.rs`).
const UPLIFT_PERCENT: i64 = 10;

/// The forecasting methods [`Forecaster::refresh`] chooses between (module docs, "Model").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Candidate {
    /// The mean of the weekly and the shifted daily-median forecasts (the default).
    Blend,
    /// The weekly profile times the damped level factor.
    Weekly,
    /// The median of the same hour over the last 7 days.
    DailyMedian,
    /// The median of the last 6 hours, for every hour ahead.
    Flat,
}

impl Candidate {
    const ALL: [Self; 4] = [Self::Blend, Self::Weekly, Self::DailyMedian, Self::Flat];
}

/// The candidate chosen at an origin and the amount its forecasts are raised by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Choice {
    candidate: Candidate,
    /// Thousandths.
    uplift: i64,
}

/// What the backtest at one origin computed for hours `origin .. origin + 24`: each hour's
/// daily median (which hour `t + 24` shares) and weekly profile, which the origin 24 hours
/// later reads again for its level and daily shift. About 800 bytes.
// `None`: not computed yet; `Some(None)`: computed, and there is no value.
#[allow(clippy::option_option)]
#[derive(Debug, Clone, Copy)]
struct DayMemo {
    origin: u64,
    /// `Some(median)` once computed.
    medians: [Option<Option<i64>>; DAY_HOURS],
    /// `Some(profile)` once computed (first day only).
    profiles: [Option<Option<i64>>; DAY_HOURS],
}

#[allow(clippy::option_option)] // As on the struct.
impl DayMemo {
    const fn new(origin: u64) -> Self {
        Self {
            origin,
            medians: [None; DAY_HOURS],
            profiles: [None; DAY_HOURS],
        }
    }

    /// The hour's index in the day from the origin, and whether it is in the first day.
    fn index(&self, t: u64) -> Option<(usize, bool)> {
        let d = t.checked_sub(self.origin)?;
        Some((usize::try_from(d % DAY).ok()?, d < DAY))
    }

    /// The daily median of `t` at the origin, if computed.
    fn median(&self, t: u64) -> Option<Option<i64>> {
        let (i, _) = self.index(t)?;
        *self.medians.get(i)?
    }

    /// The profile of `t` at the origin, if computed (first day only).
    fn profile(&self, t: u64) -> Option<Option<i64>> {
        let (i, first) = self.index(t)?;
        if !first {
            return None;
        }
        *self.profiles.get(i)?
    }

    /// Keeps the daily median and profile of `t` at the origin.
    fn keep(&mut self, t: u64, median: Option<i64>, profile: Option<i64>) {
        let Some((i, first)) = self.index(t) else {
            return;
        };
        if let Some(m) = self.medians.get_mut(i) {
            *m = Some(median);
        }
        if first && let Some(p) = self.profiles.get_mut(i) {
            *p = Some(profile);
        }
    }
}

/// Slots of a [`HourMemo`]: a backtest's origins read the medians of the 54 hours from 48
/// hours before one origin to 6 after it (its level's, its daily shift's and its own) and
/// the profiles of the 48 hours from it, and the next origin is 6 hours later, so 64 slots
/// keep every value until its last reader.
const MEMO_SLOTS: usize = 64;

/// The 7-day medians (or the weekly profiles) one backtest has computed, by what each reads
/// (the first day or week back and the window's start, [`Forecaster::median_key`],
/// [`Forecaster::seasonal_key`]): a median or profile is the same number for every hour and
/// origin with its key, so it is computed once and read by each origin that needs it. A
/// slot holds the last key that hashed to it (the day modulo 64); a miss computes afresh.
/// 2 KiB of stack.
struct HourMemo {
    /// (first day back, window start, value); `u64::MAX` as the day: empty (no key has it,
    /// as the day is at least 24 hours before some hour).
    slots: [(u64, u64, Option<i64>); MEMO_SLOTS],
}

impl HourMemo {
    const fn new() -> Self {
        Self {
            slots: [(u64::MAX, 0, None); MEMO_SLOTS],
        }
    }

    /// The value kept for `key`, or `compute`'s, then kept.
    fn get_or(&mut self, key: (u64, u64), compute: impl FnOnce() -> Option<i64>) -> Option<i64> {
        let slot = key
            .0
            .checked_rem(MEMO_SLOTS as u64)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.slots.get_mut(i));
        match slot {
            Some(&mut (ks, klo, v)) if (ks, klo) == key => v,
            Some(slot) => {
                let v = compute();
                *slot = (key.0, key.1, v);
                v
            }
            None => compute(),
        }
    }

    /// [`Forecaster::daily_median`] of `t` at `origin`, computed once per key.
    fn daily_median(&mut self, f: &Forecaster, t: u64, origin: u64) -> Option<i64> {
        let (s, lo) = f.median_key(t, origin)?;
        self.get_or((s, lo), || f.median_from(s, lo))
    }

    /// [`Forecaster::profile`] of `t` at `origin`: the weekly one computed once per key (one
    /// memo holds one kind: the daily profile of an origin with less than a week of history
    /// is computed afresh).
    fn profile(&mut self, f: &Forecaster, t: u64, origin: u64) -> Option<i64> {
        if f.span_before(origin) < WEEK {
            return f.profile(t, origin);
        }
        let (s, lo) = f.seasonal_key(t, origin, WEEK)?;
        self.get_or((s, lo), || f.seasonal_from(s, lo, WEEK, true))
    }
}

/// What the candidates need at one origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OriginState {
    origin: u64,
    level: Option<(i128, i128)>,
    /// Mean 7's level: the load of the 24 hours before the origin and what mean 7 forecast
    /// for them a day earlier (`combine.rs`, the mean 7 member).
    m7_level: Option<(i128, i128)>,
    shift: i64,
    flat: Option<i64>,
}

/// `num ÷ den` truncated toward zero, if it fits an `i64`; in 64-bit arithmetic when both fit
/// one (the same quotient, without a 128-bit division: most weighted means are small).
fn div_i128(num: i128, den: i128) -> Option<i64> {
    if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den)) {
        // `i64::MIN ÷ −1` is refused here as its 128-bit quotient is refused below.
        return n.checked_div(d);
    }
    i64::try_from(num.checked_div(den)?).ok()
}

/// The median of `v` (the mean of the two middle values, truncated, for an even count);
/// `None` when empty. Sorts `v`: 7 values (a 7-day median with every day's data, most of
/// them) by [`sort7`], others by insertion.
fn median(v: &mut [i64]) -> Option<i64> {
    if let Ok(seven) = <&mut [i64; MEDIAN_DAYS]>::try_from(&mut *v) {
        sort7(seven);
    } else {
        crate::fixed::sort_by_key(v, |&x| x);
    }
    let mid = v.len().checked_div(2)?;
    let hi = *v.get(mid)?;
    if v.len().checked_rem(2)? == 1 {
        return Some(hi);
    }
    let lo = *v.get(mid.checked_sub(1)?)?;
    i64::try_from(
        i128::from(lo)
            .saturating_add(i128::from(hi))
            .checked_div(2)?,
    )
    .ok()
}

/// Sorts 7 values ascending by an optimal sorting network (16 compare-exchanges in 6
/// layers; Knuth, TAOCP vol. 3, §5.3.4): each a `min` and a `max`, without a branch to
/// mispredict (the insertion sort's branches depend on the loads). The tests hold it to a
/// sort of the same values, on every 0/1 input (the 0-1 principle) and random ones.
fn sort7(values: &mut [i64; MEDIAN_DAYS]) {
    let [mut v0, mut v1, mut v2, mut v3, mut v4, mut v5, mut v6] = *values;
    macro_rules! cx {
        ($x:ident, $y:ident) => {
            ($x, $y) = ($x.min($y), $x.max($y));
        };
    }
    cx!(v0, v6);
    cx!(v2, v3);
    cx!(v4, v5);
    cx!(v0, v2);
    cx!(v1, v4);
    cx!(v3, v6);
    cx!(v0, v1);
    cx!(v2, v5);
    cx!(v3, v4);
    cx!(v1, v2);
    cx!(v4, v6);
    cx!(v2, v3);
    cx!(v4, v5);
    cx!(v1, v2);
    cx!(v3, v4);
    cx!(v5, v6);
    *values = [v0, v1, v2, v3, v4, v5, v6];
}

mod combine;
mod record;
#[cfg(test)]
mod tests;

/// What `ForecastAndScale` sets at `now`, given the group's sizes: `Some((desired, max))` when
/// the buffered start of an hour has come and the forecast is above the current desired.
pub fn plan(
    config: &PredictiveConfig,
    forecaster: &Forecaster,
    now: Instant,
    desired: u32,
    min: u32,
    max: u32,
) -> Option<(u32, u32)> {
    if config.mode != Mode::ForecastAndScale {
        return None;
    }
    // The hour whose start is within the buffer from now (launch ahead of it).
    let hour = Forecaster::hour_of(now.saturating_add(config.buffer));
    let forecast = forecaster.capacity(hour, config.target_per_member)?;
    let new_max = match config.max_breach {
        MaxBreach::HonorMaxCapacity => max,
        MaxBreach::IncreaseMaxCapacity { buffer_percent } => {
            let with_buffer = u64::from(forecast)
                .saturating_mul(100u64.saturating_add(u64::from(buffer_percent)));
            let raised = u32::try_from(with_buffer.div_ceil(100)).unwrap_or(u32::MAX);
            max.max(raised)
        }
    };
    let target = forecast.clamp(min, new_max.max(min));
    (target > desired).then_some((target, new_max))
}
