//! `InstanceState` and `StateChange`: the core's lifecycle values as Python classes.

use fleetcore::lifecycle;
use pyo3::prelude::*;

use crate::errors::IntoPyResult;
use crate::time::to_seconds;

/// The six EC2 instance states; each member's ``int()`` is its ``InstanceState.Code``.
#[pyclass(
    eq,
    eq_int,
    hash,
    frozen,
    module = "fleetcore",
    rename_all = "SCREAMING_SNAKE_CASE"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceState {
    /// `pending` (0).
    Pending = 0,
    /// `running` (16).
    Running = 16,
    /// `shutting-down` (32).
    ShuttingDown = 32,
    /// `terminated` (48).
    Terminated = 48,
    /// `stopping` (64).
    Stopping = 64,
    /// `stopped` (80).
    Stopped = 80,
}

impl From<lifecycle::InstanceState> for InstanceState {
    fn from(s: lifecycle::InstanceState) -> Self {
        match s {
            lifecycle::InstanceState::Pending => Self::Pending,
            lifecycle::InstanceState::Running => Self::Running,
            lifecycle::InstanceState::ShuttingDown => Self::ShuttingDown,
            lifecycle::InstanceState::Terminated => Self::Terminated,
            lifecycle::InstanceState::Stopping => Self::Stopping,
            lifecycle::InstanceState::Stopped => Self::Stopped,
        }
    }
}

impl From<InstanceState> for lifecycle::InstanceState {
    fn from(s: InstanceState) -> Self {
        match s {
            InstanceState::Pending => Self::Pending,
            InstanceState::Running => Self::Running,
            InstanceState::ShuttingDown => Self::ShuttingDown,
            InstanceState::Terminated => Self::Terminated,
            InstanceState::Stopping => Self::Stopping,
            InstanceState::Stopped => Self::Stopped,
        }
    }
}

// pyo3 methods take `&self`; the enum is one byte, but there is no by-value receiver to use.
#[allow(clippy::trivially_copy_pass_by_ref)]
#[pymethods]
impl InstanceState {
    /// The ``InstanceStateName`` spelling, such as ``"shutting-down"``.
    #[getter]
    fn name(&self) -> &'static str {
        lifecycle::InstanceState::from(*self).name()
    }

    /// The ``InstanceState.Code`` value.
    #[getter]
    fn code(&self) -> u8 {
        lifecycle::InstanceState::from(*self).code()
    }

    /// The state of a 16-bit ``InstanceState.Code``; the high byte is masked off.
    ///
    /// Raises ``LifecycleError`` (code 1009) for another low byte and ``ArgumentError`` (code
    /// 11) outside 0..65535.
    #[staticmethod]
    fn from_code(
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::code_u16)] code: u16,
    ) -> PyResult<Self> {
        lifecycle::InstanceState::from_code(code)
            .map(Self::from)
            .py_err(py)
    }

    /// The state of an ``InstanceStateName``; raises ``LifecycleError`` (code 1010).
    #[staticmethod]
    fn from_name(py: Python<'_>, name: &str) -> PyResult<Self> {
        lifecycle::InstanceState::from_name(name)
            .map(Self::from)
            .py_err(py)
    }

    /// Whether usage is billed in this state, given whether a stop is a hibernation.
    #[pyo3(signature = (hibernating = false))]
    fn is_billed(&self, hibernating: bool) -> bool {
        lifecycle::InstanceState::from(*self).is_billed(hibernating)
    }

    fn __str__(&self) -> &'static str {
        self.name()
    }
}

/// One change of state, returned by every ``Fleet`` request, report and ``tick``.
///
/// Idempotent requests and reboots return a change whose ``from_state`` equals ``to_state``.
/// ``str()`` gives ``"i-... running -> stopping (stop: Client.UserInitiatedShutdown)"``.
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange(pub lifecycle::StateChange);

#[pymethods]
impl StateChange {
    /// The instance id.
    #[getter]
    fn id(&self) -> String {
        self.0.id.to_string()
    }

    /// The state name before the change.
    #[getter(from_state)]
    fn before(&self) -> &'static str {
        self.0.from.name()
    }

    /// The state name after the change.
    #[getter(to_state)]
    fn after(&self) -> &'static str {
        self.0.to.name()
    }

    /// What caused it: ``"stop"``, ``"report booted"``, ``"complete on deadline"`` ...
    #[getter]
    fn cause(&self) -> &'static str {
        self.0.cause.as_str()
    }

    /// The instance's ``StateReason.Code`` after the change, such as
    /// ``"Client.UserInitiatedShutdown"``, or ``None``.
    #[getter]
    fn reason(&self) -> Option<&'static str> {
        self.0.reason.map(lifecycle::StateReason::code)
    }

    /// When it happened, in seconds.
    #[getter]
    fn at_s(&self) -> f64 {
        to_seconds(self.0.at.total_millis())
    }

    /// Whether the state actually changed.
    #[getter]
    fn is_transition(&self) -> bool {
        self.0.is_transition()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "StateChange(id={:?}, from_state={:?}, to_state={:?}, cause={:?}, reason={}, at_s={})",
            self.id(),
            self.before(),
            self.after(),
            self.cause(),
            self.reason()
                .map_or_else(|| "None".to_owned(), |r| format!("{r:?}")),
            self.at_s(),
        )
    }
}
