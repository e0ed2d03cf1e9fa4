//! Predictive scaling (SEMANTICS §3.7): an hourly load forecast from the last 14 days and the
//! capacity it calls for.
//!
//! Units: the load of an hour is the **mean** of the samples recorded in it (in [`Value`]
//! thousandths), so forecasts are in the units of one sample (requests per 5 minutes, CPU %,
//! passengers per 30 minutes…) whatever the sampling rate, and an hour with fewer samples
//! does not look like a drop in load. `target_per_member` is in the same units.
//!
//! Model: the service does not publish its forecasting model. fleetcore's is a damped,
//! level-adjusted seasonal profile, in integer arithmetic only (thousandths in `i64`, products
//! in `i128`), so every target computes the same forecast:
//! - history: one entry per hour (sum and count of its samples), at most 14 days (336 hours,
//!   fixed memory; the oldest hour is dropped); a forecast made at origin hour `o` uses the
//!   hours in `[o − 336, o)`, never the hour in progress;
//! - no forecast before 24 hours of history (from the oldest hour kept to the origin);
//! - with less than a week of history, the forecast for hour `t` is the plain mean of the same
//!   hour of the day over the days available (daily profile);
//! - with at least a week, the profile is the same hour of the **week**, each older week
//!   weighted half the newer one (with 14 days: ⅔ last week, ⅓ the week before), and it is
//!   scaled by a damped level factor `(1 + r) / 2`, where `r` is the load of the 24 hours before
//!   the origin divided by what the same model, 24 hours earlier, forecast for them. This lets
//!   a holiday, a storm or a change of traffic carry into the next two days at half strength;
//! - the capacity for an hour is ⌈forecast load ÷ target load per member⌉.
//!
//! The model was chosen on the shared NAB traces (`cargo run -p fleetcore --example
//! forecast_eval --release`; rolling origin every 6 h, 48 h horizon): it beats seasonal-naive
//! forecasts (24 h and 168 h seasons) on MAPE for the taxi and load-balancer traces. One rule
//! for every trace, no per-trace tuning.
//!
//! Refresh (§3.7: a 48-hour hourly forecast refreshed every 6 hours): [`Forecaster::refresh`]
//! computes the 48 hours from the current hour and keeps them; it recomputes only once 6 hours
//! have passed since the last refresh's hour. [`Forecaster::forecast`] answers from that cache
//! for the hours it covers, and from the history otherwise. A refresh costs
//! O(48 × seasons × log history): at most 48 × 14 binary searches over 336 hours.
//!
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
const WEEK: u64 = 7 * 24;
const WINDOW: u64 = 14 * 24;
/// Marks an hour of the cached forecast that had no season with data.
const NO_FORECAST: i64 = i64::MIN;

/// `Mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum Mode {
    /// `ForecastOnly` (the default): forecasts, never scales.
    #[default]
    ForecastOnly,
    /// `ForecastAndScale`.
    ForecastAndScale,
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
}

impl Forecaster {
    /// An empty history.
    pub const fn new() -> Self {
        Self {
            hours: heapless::Deque::new(),
            cache: None,
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
        let level = self.level(origin);
        let mut loads = heapless::Vec::new();
        for h in (0u64..).take(HORIZON_HOURS) {
            let load = self
                .predict(origin.saturating_add(h), origin, level)
                .unwrap_or(NO_FORECAST);
            let _ = loads.push(load);
        }
        self.cache = Some(Cached { origin, loads });
        true
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
    /// hour). `None` before 24 hours of history or when no season has data for the hour.
    pub fn forecast(&self, hour: u64) -> Option<Value> {
        if let Some(c) = &self.cache
            && let Some(i) = hour
                .checked_sub(c.origin)
                .and_then(|i| usize::try_from(i).ok())
            && let Some(&l) = c.loads.get(i)
        {
            return (l != NO_FORECAST).then_some(Value::from_milli(l));
        }
        let origin = hour.min(self.hours.back()?.hour.saturating_add(1));
        if self.span_before(origin) < MIN_HISTORY_HOURS {
            return None;
        }
        self.predict(hour, origin, self.level(origin))
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

    /// The load of `hour` in thousandths, by binary search (the deque is ascending).
    fn mean_at(&self, hour: u64) -> Option<i64> {
        let (a, b) = self.hours.as_slices();
        let slice = match b.first() {
            Some(first) if first.hour <= hour => b,
            _ => a,
        };
        let i = slice.binary_search_by_key(&hour, |h| h.hour).ok()?;
        slice.get(i).map(HourLoad::mean)
    }

    /// The weighted mean of the loads `season`, 2 × `season`… hours before `t` that lie in
    /// `[window start, origin)`; with `halve`, each older season weighs half the newer one.
    fn seasonal(&self, t: u64, origin: u64, season: u64, halve: bool) -> Option<i64> {
        let lo = self.window_start(origin)?;
        // The first season back that is before the origin.
        let k = t
            .checked_sub(origin)
            .map_or(Some(1), |d| d.checked_div(season)?.checked_add(1))?;
        let mut s = t.checked_sub(season.checked_mul(k)?)?;
        let (mut num, mut den, mut w) = (0i128, 0i128, 1i128 << 20);
        while s >= lo {
            if let Some(l) = self.mean_at(s) {
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
        i64::try_from(num.checked_div(den)?).ok()
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

    /// The level of the last 24 hours before `origin`: (actual, what the model forecast for
    /// them at `origin − 24`), summed over the hours both exist; only with a week of history.
    fn level(&self, origin: u64) -> Option<(i128, i128)> {
        if self.span_before(origin) < WEEK {
            return None;
        }
        let before = origin.checked_sub(DAY)?;
        if self.span_before(before) < MIN_HISTORY_HOURS {
            return None;
        }
        let (mut actual, mut fit) = (0i128, 0i128);
        for u in before..origin {
            if let (Some(a), Some(f)) = (self.mean_at(u), self.profile(u, before)) {
                actual = actual.saturating_add(i128::from(a));
                fit = fit.saturating_add(i128::from(f));
            }
        }
        (fit > 0 && actual >= 0).then_some((actual, fit))
    }

    /// The forecast for `t` at `origin`: the profile times the damped level factor
    /// (1 + actual/fit) / 2 = (actual + fit) / (2 · fit).
    fn predict(&self, t: u64, origin: u64, level: Option<(i128, i128)>) -> Option<i64> {
        let p = self.profile(t, origin)?;
        let Some((actual, fit)) = level else {
            return Some(p);
        };
        let scaled = i128::from(p)
            .checked_mul(actual.checked_add(fit)?)
            .and_then(|x| x.checked_div(fit.checked_mul(2)?))
            .and_then(|x| i64::try_from(x).ok());
        Some(scaled.unwrap_or(p))
    }
}

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
