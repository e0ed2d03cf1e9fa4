//! Metric values at the boundary: Python numbers in, the core's fixed-point thousandths
//! ([`fleetcore::scaling::Value`]) inside, floats out.

use fleetcore::scaling::Value;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt};

use crate::errors::range_error;

/// Thousandths in one unit, as a float for the conversion.
const MILLI_PER_UNIT: f64 = 1000.0;

/// 2^63 as a float: the first thousandth count an `i64` cannot hold.
const I64_LIMIT: f64 = 9_223_372_036_854_775_808.0;

/// A number from Python, held as whole thousandths (rounded to the nearest, halves away from
/// zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milli(pub Value);

impl Milli {
    /// Converts a float.
    ///
    /// # Errors
    /// `ValueError` for NaN, infinities and values out of range.
    pub fn from_f64(v: f64) -> PyResult<Self> {
        if !v.is_finite() {
            return Err(range_error(format!(
                "value must be a finite number, got {v}"
            )));
        }
        let milli = (v * MILLI_PER_UNIT).round();
        if !(-I64_LIMIT..I64_LIMIT).contains(&milli) {
            return Err(range_error(format!("value {v} is out of range")));
        }
        // In range, checked above; `round` left no fraction.
        #[allow(clippy::cast_possible_truncation)]
        let milli = milli as i64;
        Ok(Self(Value::from_milli(milli)))
    }
}

impl FromPyObject<'_, '_> for Milli {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err("value must be a number, not a bool"));
        }
        if obj.is_instance_of::<PyInt>() {
            // Exact for every int in range: no float rounding on the way.
            let v: i128 = obj
                .extract()
                .map_err(|_| range_error("value is out of range"))?;
            let milli = v
                .checked_mul(1000)
                .and_then(|m| i64::try_from(m).ok())
                .ok_or_else(|| range_error(format!("value {v} is out of range")))?;
            return Ok(Self(Value::from_milli(milli)));
        }
        Self::from_f64(obj.extract::<f64>()?)
    }
}

/// A core value as a Python float.
#[allow(clippy::cast_precision_loss)] // Exact below 2^53 thousandths.
pub fn to_float(v: Value) -> f64 {
    v.milli() as f64 / MILLI_PER_UNIT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_round_to_the_nearest_thousandth() {
        assert_eq!(Milli::from_f64(0.0005).unwrap().0.milli(), 1);
        assert_eq!(Milli::from_f64(-0.0005).unwrap().0.milli(), -1);
        assert_eq!(Milli::from_f64(37.5).unwrap().0.milli(), 37_500);
        assert_eq!(Milli::from_f64(0.000_49).unwrap().0.milli(), 0);
        assert!(Milli::from_f64(f64::NAN).is_err());
        assert!(Milli::from_f64(1e300).is_err());
    }

    #[test]
    fn returned_floats_convert_back_to_the_same_thousandth() {
        for m in [0, 1, -1, 999, 37_500, 1 << 50] {
            let v = Value::from_milli(m);
            assert_eq!(Milli::from_f64(to_float(v)).unwrap().0, v);
        }
    }
}
