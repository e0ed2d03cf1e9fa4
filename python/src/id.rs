//! Resource ids at the boundary.

use fleetcore::id::InstanceId;
use pyo3::prelude::*;

use crate::errors::IntoPyResult;

/// Checks an instance id (``i-`` and 8 or 17 lowercase hex digits) and returns its
/// canonical text; raises ``IdError`` otherwise.
#[pyfunction]
pub fn parse_instance_id(py: Python<'_>, text: &str) -> PyResult<String> {
    parse(py, text).map(|id| id.to_string())
}

/// Parses an instance id.
///
/// # Errors
/// `IdError` for malformed text.
pub fn parse(py: Python<'_>, text: &str) -> PyResult<InstanceId> {
    InstanceId::parse(text).py_err(py)
}
