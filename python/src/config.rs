//! The JSON configuration documents of `fleetcore::config` for Python: the same parser and
//! validators firmware runs, so a document checked here is one a controller accepts.

use fleetcore::config::{
    self, ControllerDoc, Document, GroupDoc, InstanceTypeDoc, LaunchTemplateDoc, LocatedError,
    PolicyDoc, ScheduledActionDoc, SecurityGroupDoc,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::{to_py_err, value_error};

/// Room for a document written back with its defaults (inputs are at most 16 KiB).
const OUT_MAX: usize = 256 * 1024;

/// Checks a configuration document with the core's parser and validators and returns it as
/// the core reads it, defaults filled in, as JSON text.
///
/// `kind` is the document: `controller` (the whole setup), `instance_type`,
/// `launch_template`, `security_group`, `group`, `policy` or `scheduled_action`.
///
/// # Errors
/// `ConfigError` naming the field, byte offset, line and column; `ValueError` for an
/// unknown kind; `TypeError` unless `document` is `str` or `bytes`.
#[pyfunction]
#[pyo3(signature = (document, *, kind = "controller"))]
pub fn check_config(py: Python<'_>, document: &Bound<'_, PyAny>, kind: &str) -> PyResult<String> {
    let bytes: Vec<u8> = if document.is_instance_of::<PyString>() {
        document.extract::<String>()?.into_bytes()
    } else if let Ok(b) = document.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "document must be str or bytes",
        ));
    };
    match kind {
        "controller" => round_trip::<ControllerDoc>(py, &bytes),
        "instance_type" => round_trip::<InstanceTypeDoc>(py, &bytes),
        "launch_template" => round_trip::<LaunchTemplateDoc>(py, &bytes),
        "security_group" => round_trip::<SecurityGroupDoc>(py, &bytes),
        "group" => round_trip::<GroupDoc>(py, &bytes),
        "policy" => round_trip::<PolicyDoc>(py, &bytes),
        "scheduled_action" => round_trip::<ScheduledActionDoc>(py, &bytes),
        other => Err(value_error(format!(
            "kind must be controller, instance_type, launch_template, security_group, group, \
             policy or scheduled_action, got {other:?}"
        ))),
    }
}

fn round_trip<D: Document>(py: Python<'_>, bytes: &[u8]) -> PyResult<String> {
    // The documents are large fixed-capacity values: keep them off the stack.
    let doc: Box<D> = Box::new(config::from_slice::<D>(bytes).map_err(|e| located(py, &e))?);
    let mut out = vec![0u8; OUT_MAX];
    let n = config::to_slice(&*doc, &mut out).map_err(|e| to_py_err(py, &e))?;
    out.truncate(n);
    String::from_utf8(out).map_err(|_| value_error("the core wrote JSON that is not UTF-8"))
}

/// A `ConfigError` with where it is.
fn located(py: Python<'_>, e: &LocatedError) -> PyErr {
    let err = crate::errors::error_like(py, &e.error, e.to_string());
    let value = err.value(py);
    let l = &e.location;
    // Setting attributes on a fresh exception instance does not fail.
    let _ = value.setattr("offset", l.offset);
    let _ = value.setattr("line", l.line);
    let _ = value.setattr("column", l.column);
    let _ = value.setattr("path", l.path.as_str());
    err
}
