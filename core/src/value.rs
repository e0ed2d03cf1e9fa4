//! The one fixed-point number of the crate: a value in thousandths. Metrics, thresholds,
//! targets and the decimals of configuration documents are all [`Value`]s, so a number read
//! from a document is the number the decisions use, exactly.

use core::fmt;

/// A metric value in thousandths (`Value::from_milli(37_500)` is 37.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Value(pub(crate) i64);

impl Value {
    /// Zero.
    pub const ZERO: Self = Self(0);

    /// A value of `milli` thousandths.
    pub const fn from_milli(milli: i64) -> Self {
        Self(milli)
    }

    /// A whole value, saturating.
    pub const fn from_int(v: i64) -> Self {
        Self(v.saturating_mul(1000))
    }

    /// The value in thousandths.
    pub const fn milli(self) -> i64 {
        self.0
    }
}

/// Prints `37.5`, `-0.25`, `12`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 1000, abs % 1000);
        if frac == 0 {
            return write!(f, "{sign}{whole}");
        }
        // Thousandths without trailing zeros: 500 -> "5", 250 -> "25", 1 -> "001".
        let (digits, width) = match frac {
            x if x % 100 == 0 => (x / 100, 1),
            x if x % 10 == 0 => (x / 10, 2),
            x => (x, 3),
        };
        write!(f, "{sign}{whole}.{digits:0width$}")
    }
}
