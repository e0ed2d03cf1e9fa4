//! The Python exceptions and the bridge from the core's error enums.
//!
//! Every core error becomes one exception type, chosen by its code range (`fleetcore::error`):
//! 1100s [`GroupError`], 1200s [`ScalingError`], 1400s [`CatalogError`], 1500s [`IdError`],
//! 1600s [`SnapshotError`], 1700s [`ImdsError`], 1800s [`NetworkError`], 1900s
//! [`PurchaseError`], 1300s [`ConfigError`] (with `.path`, `.offset`, `.line` and `.column`),
//! everything else [`LifecycleError`]. An
//! error that wraps another domain's error (a `GroupError::Scaling` or `GroupError::Purchase`,
//! a `LifecycleError` around an id error) keeps the wrapped error's code, so it is raised as the
//! wrapped domain's exception. The message is the
//! core's `Display` text; `.code` is the number the C ABI returns and `.kind` the core's
//! `ErrorKind` text.
//!
//! Why `create_exception!` and not `#[pyclass(extends = PyValueError)]` as pydantic-core does:
//! the workspace builds pyo3 with `abi3-py39`, and under the limited API pyo3 can only subclass
//! native exception types on Python 3.12 or later. Heap exception types from
//! `create_exception!` work on every version; `.code` and `.kind` are set on each instance
//! raised.

use pyo3::exceptions::{PyException, PyOverflowError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;

pyo3::create_exception!(
    fleetcore,
    LifecycleError,
    PyException,
    "An instance lifecycle request was refused (codes 1000-1099).\n\
     \n\
     Raised for an operation that is illegal in the instance's state (``.code`` 1000, EC2's\n\
     ``IncorrectInstanceState``), an unknown instance id (1007), a full fleet (1008), a launch\n\
     that breaks a launch rule (1006) and the other ``fleetcore::error::LifecycleError`` variants."
);
pyo3::create_exception!(
    fleetcore,
    IdError,
    PyValueError,
    "A malformed resource id (codes 1500-1599): wrong prefix, length or digits."
);
pyo3::create_exception!(
    fleetcore,
    CatalogError,
    PyValueError,
    "An unknown or malformed instance type, image or option (codes 1400-1499), or an image\n\
     whose architecture does not run on the instance type (1416: an arm64 AMI on m5.large)."
);
pyo3::create_exception!(
    fleetcore,
    GroupError,
    PyException,
    "An Auto Scaling group request was refused (codes 1100-1199).\n\
     \n\
     Such as a desired capacity above ``max_size`` (1102) or below ``min_size`` (1103), a\n\
     ``max_size`` below ``min_size`` (1101), a cooldown honoured (1104), an unknown member\n\
     (1105), a member in the wrong state (1106), bad zones (1116), an unknown policy (1122) or\n\
     metric (1127), a Spot signal for an On-Demand member (1131), a warm pool with a\n\
     mixed-instances policy (1132), a purchasing call before ``set_prices`` (1133), and the\n\
     other ``fleetcore::error::GroupError`` variants."
);
pyo3::create_exception!(
    fleetcore,
    ScalingError,
    PyValueError,
    "An invalid metric, alarm or scaling policy (codes 1200-1299).\n\
     \n\
     Such as a metric period other than 10, 20, 30 s or a multiple of 60 s (1200), an invalid\n\
     ``evaluation_periods``/``datapoints_to_alarm`` (1201), a sample older than the metric keeps\n\
     (1202), an invalid adjustment (1204) or steps (1205), a step policy run without a metric\n\
     (1206), a recurrence without five cron fields (1207), a bad time zone (1209), a\n\
     target-tracking policy executed by hand (1211), a second HPA policy (1212), an invalid HPA\n\
     behaviour (1213), a cron field out of range (1215) or malformed (1216), or an unknown time\n\
     zone name (1217)."
);
pyo3::create_exception!(
    fleetcore,
    SnapshotError,
    PyValueError,
    "Bytes that are not a snapshot this build can restore (codes 1600-1699): truncated\n\
     (1601), not a snapshot (1602), another format version (1603), a checksum mismatch (1605),\n\
     another capacity (1606) or an inconsistent state (1608)."
);
pyo3::create_exception!(
    fleetcore,
    ImdsError,
    PyValueError,
    "The metadata service cannot answer (codes 1700-1799).\n\
     \n\
     Raised for a hop limit outside 1-64 (1701), user data over 16 KB (1702) and, from\n\
     ``handle_http``, bytes that are only the start of a request (1703: read more and call\n\
     again with all of them). Requests a client gets wrong are not errors: they are answered\n\
     with a status (400, 401, 403, 404, 405, 413, 414, 431, 501)."
);
// `Exception`, not `ValueError`, as `GroupError`: besides bad arguments the 1800s hold refusals
// that depend on the network's state (an interface in use, a group still referenced, a full
// table), which a caller must not catch as a bad value.
pyo3::create_exception!(
    fleetcore,
    NetworkError,
    PyException,
    "A subnet, network interface, security group or packet request was refused (codes\n\
     1800-1899), such as a bad CIDR block (1800) or address (1801), a duplicate rule (1803), a\n\
     group still in use (1812), an interface in use (1828) or a full table (1836).\n\
     \n\
     Not a ``ValueError``: many refusals depend on the network's state, not on the value."
);
pyo3::create_exception!(
    fleetcore,
    PurchaseError,
    PyValueError,
    "An invalid price, reservation, mixed-instances policy or cost query (codes 1900-1999).\n\
     \n\
     Such as an instance type without a price (1900) or priced twice (1901), a Spot pool\n\
     without a price (1902), an unknown zone (1903), a ``spot_max_price`` of 0.001 or less\n\
     (1904), a weight outside 1-999 (1905), an ``on_demand_percent`` above 100 (1906),\n\
     ``spot_pools`` outside 1-20 (1907), no or repeated overrides (1908), a reservation whose\n\
     charges do not fit its payment option (1909), a full table (1910), a time before the one\n\
     the ledger is settled to (1913) and a cost interval that is not on clock-hours (1914),\n\
     reversed (1915) or no longer kept (1916)."
);

pyo3::create_exception!(
    fleetcore,
    ConfigError,
    PyValueError,
    "A configuration document the core refuses (codes 1300-1399), with where it is:\n\
     ``path`` (such as ``groups[0].policies[2].target``, empty for the whole document),\n\
     ``offset`` (bytes from the start), ``line`` and ``column`` (from 1)."
);

pyo3::create_exception!(
    fleetcore,
    ArgumentError,
    PyValueError,
    "A number argument outside the values its parameter takes, such as\n\
     ``set_desired(2**32)``, ``Group(-1, 5)`` or ``answer(..., hops=256)``: ``.code`` is 11\n\
     (``FC_STATUS_INVALID_ARGUMENT`` in C) and the message names the argument and its range\n\
     (``desired must be an integer in 0..=4294967295, got 4294967296``). Raised instead of the\n\
     bare ``OverflowError`` of an integer conversion; a value in range that the core refuses\n\
     raises the domain's error (``GroupError`` 1102 for a desired capacity above ``max_size``).\n\
     A time or metric value out of range (negative, NaN, too large) raises it too, with a\n\
     note naming the argument. A name outside its enumeration (``mode=\"forecast\"``) raises it\n\
     with ``.code`` 3 (``FC_STATUS_INVALID_ENUM_VALUE``) and a message listing every name\n\
     accepted."
);

/// The code of [`ArgumentError`]: `FC_STATUS_INVALID_ARGUMENT` of the C ABI.
pub const ARGUMENT_CODE: u32 = 11;

/// An [`ArgumentError`] naming argument `name`, its range and the value given.
pub fn argument_error(py: Python<'_>, name: &str, min: i128, max: i128, got: &str) -> PyErr {
    let err = PyErr::new::<ArgumentError, _>(format!(
        "{name} must be an integer in {min}..={max}, got {got}"
    ));
    with_attributes(py, err, ARGUMENT_CODE, "invalid argument")
}

/// An [`ArgumentError`] (code 11) with the bindings' own message: for a time or value argument
/// out of range, whose reader does not know the argument's name (pyo3 adds a note naming it).
pub fn range_error(message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| {
        with_attributes(
            py,
            PyErr::new::<ArgumentError, _>(message),
            ARGUMENT_CODE,
            "invalid argument",
        )
    })
}

/// An integer argument as Python gave it, of any size: parameters take it instead of a Rust
/// integer type, whose conversion raises a bare `OverflowError` without the argument's name,
/// and narrow it with [`Int::get`] (issue 19). Anything with `__index__` is accepted, as for a
/// Rust integer; other types raise `TypeError` as before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Int(IntValue);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IntValue {
    Fits(i128),
    /// Beyond `i128` either way: out of every parameter's range.
    Huge {
        negative: bool,
    },
}

impl FromPyObject<'_, '_> for Int {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        match obj.extract::<i128>() {
            Ok(v) => Ok(Self(IntValue::Fits(v))),
            Err(e) if e.is_instance_of::<PyOverflowError>(obj.py()) => {
                let negative = obj.lt(0_i32)?;
                Ok(Self(IntValue::Huge { negative }))
            }
            Err(e) => Err(e),
        }
    }
}

/// The integer types an [`Int`] narrows to, with their ranges for the message.
pub trait Bounded: TryFrom<i128> + Copy {
    /// The smallest value.
    const MIN: i128;
    /// The largest value.
    const MAX: i128;
}

// Widening casts to i128, lossless for every type listed (`From` is not const).
macro_rules! bounded {
    ($($t:ty),*) => {$(
        #[allow(clippy::cast_lossless, clippy::cast_possible_wrap)]
        impl Bounded for $t {
            const MIN: i128 = <$t>::MIN as i128;
            const MAX: i128 = <$t>::MAX as i128;
        }
    )*};
}
bounded!(u8, u16, u32, u64, i32, i64, usize);

impl Int {
    /// The value as `T`, or an [`ArgumentError`] naming `name` and `T`'s range.
    ///
    /// # Errors
    /// [`ArgumentError`] (code 11) when the value is outside `T`'s range.
    pub fn get<T: Bounded>(self, py: Python<'_>, name: &str) -> PyResult<T> {
        match self.0 {
            IntValue::Fits(v) => {
                T::try_from(v).map_err(|_| argument_error(py, name, T::MIN, T::MAX, &v.to_string()))
            }
            IntValue::Huge { negative } => {
                let got = if negative {
                    "a huge negative integer"
                } else {
                    "a huge integer"
                };
                Err(argument_error(py, name, T::MIN, T::MAX, got))
            }
        }
    }

    /// The value as `T`, if it fits.
    pub fn fits<T: Bounded>(self) -> Option<T> {
        match self.0 {
            IntValue::Fits(v) => T::try_from(v).ok(),
            IntValue::Huge { .. } => None,
        }
    }

    /// As [`Int::get`], limited further to `min..=max` (inside `T`'s range).
    ///
    /// # Errors
    /// [`ArgumentError`] (code 11) when the value is outside `min..=max`.
    pub fn get_in<T: Bounded + Into<i128>>(
        self,
        py: Python<'_>,
        name: &str,
        min: T,
        max: T,
    ) -> PyResult<T> {
        let (lo, hi) = (min.into(), max.into());
        match self.0 {
            IntValue::Fits(v) if (lo..=hi).contains(&v) => self.get(py, name),
            IntValue::Fits(v) => Err(argument_error(py, name, lo, hi, &v.to_string())),
            IntValue::Huge { .. } => Err(argument_error(py, name, lo, hi, "a huge integer")),
        }
    }
}

/// [`Int::get`] for an optional argument.
///
/// # Errors
/// As [`Int::get`].
pub fn opt<T: Bounded>(py: Python<'_>, v: Option<Int>, name: &str) -> PyResult<Option<T>> {
    v.map(|v| v.get(py, name)).transpose()
}

/// Converts any core error into the matching Python exception, with `.code` and `.kind` set.
///
/// A free function rather than `From<E> for PyErr`: both types are foreign to this crate, so
/// the orphan rule forbids the impl.
pub fn to_py_err<E: fleetcore::Error>(py: Python<'_>, error: &E) -> PyErr {
    error_like(py, error, error.to_string())
}

/// The exception of core error `like` (its type, `.code` and `.kind`) with a message the
/// bindings word themselves: for an argument refused before it reaches the core, such as a
/// type or zone named by a name the group does not know.
pub fn error_like<E: fleetcore::Error>(
    py: Python<'_>,
    like: &E,
    message: impl Into<String>,
) -> PyErr {
    let code = like.code();
    let message = message.into();
    let err = match code {
        1100..=1199 => PyErr::new::<GroupError, _>(message),
        1200..=1299 => PyErr::new::<ScalingError, _>(message),
        1600..=1699 => PyErr::new::<SnapshotError, _>(message),
        1400..=1499 => PyErr::new::<CatalogError, _>(message),
        1500..=1599 => PyErr::new::<IdError, _>(message),
        1700..=1799 => PyErr::new::<ImdsError, _>(message),
        1800..=1899 => PyErr::new::<NetworkError, _>(message),
        1900..=1999 => PyErr::new::<PurchaseError, _>(message),
        1300..=1399 => PyErr::new::<ConfigError, _>(message),
        // 1000s, and any domain that has no exception type of its own yet.
        _ => PyErr::new::<LifecycleError, _>(message),
    };
    with_attributes(py, err, code, &like.kind().to_string())
}

/// Sets `.code` and `.kind` on the exception instance; a failure to set them is raised instead.
fn with_attributes(py: Python<'_>, err: PyErr, code: u32, kind: &str) -> PyErr {
    let value = err.value(py);
    let set = value
        .setattr(intern!(py, "code"), code)
        .and_then(|()| value.setattr(intern!(py, "kind"), kind));
    match set {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// Extension for results of core calls: `.py_err(py)?` raises the matching exception.
pub trait IntoPyResult<T> {
    /// Maps the error with [`to_py_err`].
    ///
    /// # Errors
    /// The converted error.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T, E: fleetcore::Error> IntoPyResult<T> for Result<T, E> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}

/// An [`ArgumentError`] (a `ValueError`, code 11) for an argument that the bindings (not the
/// core) reject, such as an unknown name: the module raises only its own errors, each with a
/// `.code` (issue 19).
pub fn value_error(message: impl Into<String>) -> PyErr {
    range_error(message)
}

/// A `GroupError` the bindings raise themselves (a metric named by a name the group does not
/// know), with the code of the core variant it stands for.
pub fn group_error(py: Python<'_>, code: u32, kind: &str, message: impl Into<String>) -> PyErr {
    with_attributes(py, PyErr::new::<GroupError, _>(message.into()), code, kind)
}
