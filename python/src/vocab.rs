//! Names through the core's one vocabulary (`fleetcore::vocab`): every string-valued argument
//! naming an enumeration is read by the core's own parser, so Python takes the canonical
//! spelling and every AWS spelling a document takes (`"forecast_and_scale"` and
//! `"ForecastAndScale"`), and what Python returns is the canonical spelling (`as_str`).

use std::fmt::Write as _;

use fleetcore::vocab::{Vocabulary, write_names};
use pyo3::prelude::*;

use crate::errors::ArgumentError;

/// The code of a name outside its vocabulary: `FC_STATUS_INVALID_ENUM_VALUE` of the C ABI.
pub const INVALID_ENUM_CODE: u32 = 3;

/// The value of `T` that `text` spells, for argument `what`.
///
/// # Errors
/// `ArgumentError` (a `ValueError`, `.code` 3) whose message lists the canonical names and the
/// other spellings accepted.
pub fn parse<T: Vocabulary>(what: &str, text: &str) -> PyResult<T> {
    T::from_name(text).ok_or_else(|| unknown::<T>(what, text))
}

/// Like [`parse`] for an optional argument.
///
/// # Errors
/// As [`parse`].
pub fn parse_opt<T: Vocabulary>(what: &str, text: Option<&str>) -> PyResult<Option<T>> {
    text.map(|t| parse(what, t)).transpose()
}

fn unknown<T: Vocabulary>(what: &str, text: &str) -> PyErr {
    let mut names = String::new();
    let _ = write_names(&mut names, T::NAMES);
    let aliases: Vec<&str> = T::ALL.iter().flat_map(|v| v.aliases()).copied().collect();
    let mut message = format!("{what} must be one of {names}");
    if !aliases.is_empty() {
        message.push_str(" (or ");
        let _ = write_names(&mut message, &aliases);
        message.push(')');
    }
    let _ = write!(message, "; got {text:?}");
    Python::attach(|py| {
        let err = PyErr::new::<ArgumentError, _>(message);
        let value = err.value(py);
        let set = value
            .setattr(pyo3::intern!(py, "code"), INVALID_ENUM_CODE)
            .and_then(|()| value.setattr(pyo3::intern!(py, "kind"), "invalid enum value"));
        match set {
            Ok(()) => err,
            Err(e) => e,
        }
    })
}
