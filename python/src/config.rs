//! The JSON configuration documents of `fleetcore::config` for Python: the same parser and
//! validators firmware runs, so a document checked here is one a controller accepts.

use fleetcore::config::{
    self, ControllerDoc, DocKind, Document, GroupDoc, InstanceTypeDoc, LaunchTemplateDoc,
    LocatedError, PolicyDoc, ScheduledActionDoc, SecurityGroupDoc,
};
use fleetcore::vocab::{Vocabulary as _, write_names};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors::{to_py_err, value_error};
use crate::repr::q;

/// Room for any document written back with its defaults: the core's read limit covers the
/// writer's largest output.
const OUT_MAX: usize = config::MAX_DOCUMENT;

/// Checks a JSON configuration document with the core's parser and validators (the ones
/// firmware runs) and returns it as the core reads it, defaults filled in, as JSON text.
/// ``kind``: ``controller``, ``instance_type``, ``launch_template``, ``security_group``,
/// ``group``, ``policy`` or ``scheduled_action``. Raises ``ConfigError``.
#[pyfunction]
#[pyo3(signature = (document, *, kind = "controller"))]
pub fn check_config(py: Python<'_>, document: &Bound<'_, PyAny>, kind: &str) -> PyResult<String> {
    let bytes = document_bytes(document)?;
    let Some(kind) = DocKind::from_name(kind) else {
        let mut names = String::new();
        let _ = write_names(&mut names, DocKind::NAMES);
        return Err(value_error(format!("kind must be {names}, got {kind:?}")));
    };
    match kind {
        DocKind::Controller => round_trip::<ControllerDoc>(py, &bytes),
        DocKind::InstanceType => round_trip::<InstanceTypeDoc>(py, &bytes),
        DocKind::LaunchTemplate => round_trip::<LaunchTemplateDoc>(py, &bytes),
        DocKind::SecurityGroup => round_trip::<SecurityGroupDoc>(py, &bytes),
        DocKind::Group => round_trip::<GroupDoc>(py, &bytes),
        DocKind::Policy => round_trip::<PolicyDoc>(py, &bytes),
        DocKind::ScheduledAction => round_trip::<ScheduledActionDoc>(py, &bytes),
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
pub fn located(py: Python<'_>, e: &LocatedError) -> PyErr {
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

/// The bytes of a document given as `str` or `bytes`.
fn document_bytes(document: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if document.is_instance_of::<PyString>() {
        Ok(document.extract::<String>()?.into_bytes())
    } else if let Ok(b) = document.cast::<PyBytes>() {
        Ok(b.as_bytes().to_vec())
    } else {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "document must be str or bytes",
        ))
    }
}

/// The controller document `document` (a group document on its own becomes a controller
/// document of that one group) and the index of its group `name`, checked by the core's parser.
/// [`ControllerDoc::build_group`] then builds it as C's `fc_group_init_json` does without a
/// catalog: the template is its position in `launch_templates` (the first for a group document
/// on its own), and the `purchase` section prices the document's own instance types too.
///
/// # Errors
/// `ConfigError` for a bad document, `ValueError` when `name` picks no group (or is needed),
/// `TypeError` unless `document` is `str` or `bytes`.
pub fn group_doc(
    py: Python<'_>,
    document: &Bound<'_, PyAny>,
    name: Option<&str>,
) -> PyResult<(Box<ControllerDoc>, usize)> {
    let bytes = document_bytes(document)?;
    // A controller document lists `groups`; a group document never has that key.
    let key = b"\"groups\"";
    if !bytes.windows(key.len()).any(|w| w == key) {
        let doc: GroupDoc = config::from_slice::<GroupDoc>(&bytes).map_err(|e| located(py, &e))?;
        if let Some(n) = name.filter(|n| *n != doc.name.as_str()) {
            return Err(value_error(format!(
                "the document's group is {}, not {}",
                q(&doc.name),
                q(n)
            )));
        }
        let mut whole = Box::<ControllerDoc>::default();
        // One group always fits the list.
        let _ = whole.groups.push(doc);
        return Ok((whole, 0));
    }
    let doc: Box<ControllerDoc> =
        Box::new(config::from_slice::<ControllerDoc>(&bytes).map_err(|e| located(py, &e))?);
    let names = doc
        .groups
        .iter()
        .map(|g| q(&g.name))
        .collect::<Vec<_>>()
        .join(", ");
    let chosen = match name {
        Some(n) => doc.groups.iter().position(|g| g.name.as_str() == n),
        None if doc.groups.len() == 1 => Some(0),
        None => {
            return Err(value_error(format!(
                "the document has groups [{names}]: pass group= to choose one"
            )));
        }
    };
    match chosen {
        Some(i) => Ok((doc, i)),
        None => Err(value_error(format!(
            "no group {} in the document (groups: [{names}])",
            q(name.unwrap_or_default())
        ))),
    }
}
