//! `fleetcore.forecast`: the predictive-scaling forecaster of the core on an hourly history.

use fleetcore::Instant;
use fleetcore::scaling::predictive::{Forecaster, HISTORY_HOURS, HORIZON_HOURS};
use pyo3::prelude::*;

use crate::errors::value_error;
use crate::value::{Milli, to_float};

/// Predictive scaling's forecast of the next ``horizon`` hours (1-48) after an hourly
/// ``history`` (oldest first; the last 14 days count, at least 24 hours needed): the one of
/// four forecasts (weekly profile with a damped level, median of the same hour over 7 days,
/// their blend, median of the last 6 hours) with the least error over the recent past,
/// raised by a tenth of that error; combined with seasonal naive 24 h and 168 h, the 7-day
/// mean and Holt-Winters when that combination did better over the recent past, or seasonal
/// naive 24 h or 168 h or the 7-day mean alone when it did better by a quarter. Hours without
/// a season are NaN. ``ValueError`` for a bad horizon or too short a history.
#[pyfunction]
#[pyo3(signature = (history, horizon = 48))]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts the list by value.
pub fn forecast(
    history: Vec<f64>,
    #[pyo3(from_py_with = crate::args::horizon_usize)] horizon: usize,
) -> PyResult<Vec<f64>> {
    if !(1..=HORIZON_HOURS).contains(&horizon) {
        return Err(value_error(format!(
            "horizon must be 1-{HORIZON_HOURS} hours, not {horizon}"
        )));
    }
    if history.len() < 24 {
        return Err(value_error(format!(
            "a forecast needs at least 24 hours of history, got {}",
            history.len()
        )));
    }
    // Only the last 14 days count; older hours would be dropped by the core anyway.
    let skip = history.len().saturating_sub(HISTORY_HOURS);
    let mut f = Forecaster::new();
    let mut hour = 0u64;
    for v in history.iter().skip(skip) {
        let load = Milli::from_f64(*v)?.0;
        f.record(Instant::from_secs(hour * 3600), load)
            .map_err(|e| value_error(e.to_string()))?;
        hour += 1;
    }
    f.refresh(Instant::from_secs(hour * 3600));
    Ok(f.forecast_48h()
        .take(horizon)
        .map(|(_, load)| load.map_or(f64::NAN, to_float))
        .collect())
}
