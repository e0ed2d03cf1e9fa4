//! Predictive scaling (SEMANTICS §3.7): an hourly load forecast from the last 14 days and the
//! capacity it calls for.
//!
//! The service does not publish its forecasting model. fleetcore's model is seasonal and
//! deterministic:
//! - history is kept per hour (the sum of the hour's load samples), 14 days of it;
//! - no forecast before 24 hours of history;
//! - with at least a week of history, the forecast for an hour is the mean of the same hour of
//!   the week in the weeks available (weekly seasonality, as in taxi or office load); with less,
//!   the mean of the same hour of the day over the days available;
//! - the capacity for an hour is ⌈forecast load ÷ target load per member⌉;
//! - `ForecastAndScale` raises desired to the forecast capacity at the start of each hour, a
//!   `SchedulingBufferTime` ahead (default 300 s), and never scales in; `HonorMaxCapacity`
//!   caps it at max, `IncreaseMaxCapacity` lets max rise to the forecast plus
//!   `MaxCapacityBuffer` % (and it stays raised).

use super::alarm::Value;
use crate::error::ScalingError;
use crate::time::{Duration, Instant};

/// One hour.
pub const HOUR: Duration = Duration::from_hours(1);
/// Hours of history kept (14 days).
pub const HISTORY_HOURS: usize = 14 * 24;
/// The default `SchedulingBufferTime`.
pub const DEFAULT_BUFFER: Duration = Duration::from_secs(300);

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

/// Hourly load history and the forecast from it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Forecaster {
    /// (hour index since the epoch, summed load), ascending.
    hours: heapless::Deque<(u64, i64), HISTORY_HOURS>,
}

impl Forecaster {
    /// An empty history.
    pub const fn new() -> Self {
        Self {
            hours: heapless::Deque::new(),
        }
    }

    /// The hour index of `t`.
    pub fn hour_of(t: Instant) -> u64 {
        t.total_millis()
            .checked_div(HOUR.total_millis())
            .unwrap_or(0)
    }

    /// Adds `load` observed at `at` to its hour. Samples must come in time order by hour;
    /// an hour older than the newest one kept is refused.
    ///
    /// # Errors
    /// [`ScalingError::TooOld`].
    pub fn record(&mut self, at: Instant, load: Value) -> Result<(), ScalingError> {
        let hour = Self::hour_of(at);
        match self.hours.back_mut() {
            Some((h, sum)) if *h == hour => {
                *sum = sum.saturating_add(load.milli());
                return Ok(());
            }
            Some((h, _)) if *h > hour => return Err(ScalingError::TooOld),
            _ => {}
        }
        if self.hours.is_full() {
            self.hours.pop_front();
        }
        let _ = self.hours.push_back((hour, load.milli()));
        Ok(())
    }

    /// Hours of history from the oldest kept to the newest.
    pub fn span_hours(&self) -> u64 {
        match (self.hours.front(), self.hours.back()) {
            (Some((a, _)), Some((b, _))) => b.saturating_sub(*a).saturating_add(1),
            _ => 0,
        }
    }

    fn load_at(&self, hour: u64) -> Option<i64> {
        self.hours
            .iter()
            .rev()
            .find(|(h, _)| *h == hour)
            .map(|(_, l)| *l)
    }

    /// The forecast load of hour `hour` (see the module docs), or `None` before 24 hours of
    /// history or when no season has data for it.
    pub fn forecast(&self, hour: u64) -> Option<Value> {
        if self.span_hours() < 24 {
            return None;
        }
        let season = if self.span_hours() >= 7 * 24 {
            7 * 24
        } else {
            24
        };
        let (mut sum, mut n) = (0i64, 0i64);
        let mut back = hour;
        for _ in 0..14 {
            let Some(b) = back.checked_sub(season) else {
                break;
            };
            back = b;
            if let Some(l) = self.load_at(back) {
                sum = sum.saturating_add(l);
                n = n.saturating_add(1);
            }
            if self.hours.front().is_some_and(|(h, _)| back < *h) {
                break;
            }
        }
        sum.checked_div(n).map(Value::from_milli)
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
}

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
