//! Time at the boundary: Python passes seconds, the core counts whole milliseconds.
//!
//! A time or timeout is accepted as an `int` (exact: `n` seconds is `n * 1000` ms) or as
//! anything `float()` accepts, which is converted once to the nearest millisecond, halves
//! rounded away from zero (`0.0005` s is 1 ms, `0.0004999` s is 0 ms). Negative, NaN, infinite
//! and too-large values raise `ValueError`; `bool` raises `TypeError`. Times handed back (a
//! deadline, a billed duration) are whole milliseconds divided by 1000, so a value returned by
//! the module converts back to the same millisecond.

use fleetcore::{Duration, Instant};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

use crate::errors::range_error;

/// A non-negative number of seconds from Python, held as whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seconds {
    ms: u64,
}

/// Milliseconds in a second, as a float for the conversion.
const MS_PER_S: f64 = 1000.0;

/// 2^64 as a float: the first millisecond count a `u64` cannot hold.
const U64_LIMIT: f64 = 18_446_744_073_709_551_616.0;

impl Seconds {
    /// Whole seconds (for signature defaults).
    pub const fn from_secs(s: u64) -> Self {
        Self {
            ms: s.saturating_mul(1000),
        }
    }

    /// The value as an instant after the caller's epoch.
    pub const fn instant(self) -> Instant {
        Instant::from_millis(self.ms)
    }

    /// The value as a span.
    pub const fn duration(self) -> Duration {
        Duration::from_millis(self.ms)
    }

    /// Converts a float number of seconds.
    ///
    /// # Errors
    /// `ValueError` for negative, NaN, infinite and out-of-range values.
    pub fn from_f64(s: f64) -> PyResult<Self> {
        if !s.is_finite() || s < 0.0 {
            return Err(range_error(format!(
                "time must be a finite, non-negative number of seconds, got {s}"
            )));
        }
        let ms = (s * MS_PER_S).round();
        if ms >= U64_LIMIT {
            return Err(range_error(format!("time of {s} s is out of range")));
        }
        // In range and non-negative, checked above; `round` left no fraction.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let ms = ms as u64;
        Ok(Self { ms })
    }
}

impl FromPyObject<'_, '_> for Seconds {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err(
                "time must be a number of seconds, not a bool",
            ));
        }
        if obj.is_instance_of::<PyInt>() {
            // Exact for every int: no float rounding on the way.
            let s: i128 = obj
                .extract()
                .map_err(|_| range_error("time is out of range"))?;
            let ms = u64::try_from(s)
                .ok()
                .and_then(|s| s.checked_mul(1000))
                .ok_or_else(|| {
                    range_error(format!(
                        "time must be a non-negative number of seconds in range, got {s}"
                    ))
                })?;
            return Ok(Self { ms });
        }
        Self::from_f64(obj.extract::<f64>()?)
    }
}

/// Milliseconds as float seconds for Python.
#[allow(clippy::cast_precision_loss)] // Exact below 2^53 ms (285 000 years).
pub fn to_seconds(ms: u64) -> f64 {
    ms as f64 / MS_PER_S
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_to_the_nearest_millisecond() {
        assert_eq!(Seconds::from_f64(0.0005).unwrap().ms, 1);
        assert_eq!(Seconds::from_f64(0.000_499_9).unwrap().ms, 0);
        assert_eq!(Seconds::from_f64(220.0).unwrap().ms, 220_000);
        assert_eq!(Seconds::from_f64(-0.0).unwrap().ms, 0);
    }

    #[test]
    fn returned_seconds_convert_back_to_the_same_millisecond() {
        for ms in [0, 1, 999, 1001, 123_456_789, 1 << 52] {
            assert_eq!(Seconds::from_f64(to_seconds(ms)).unwrap().ms, ms);
        }
    }
}
