//! `Fleet`: the core's fixed-capacity set of EC2 instances, addressed by id strings.

use fleetcore::catalog::{InstanceType, RootDeviceType};
use fleetcore::id::ImageId;
use fleetcore::lifecycle::{
    self, InterruptionBehavior, LaunchSpec, Market, Report, ReportKind, ShutdownBehavior,
    SpotRequestType, StateReason, Timeouts,
};
use fleetcore::vocab::Vocabulary as _;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::catalog::Catalog;
use crate::errors::{IntoPyResult, value_error};
use crate::id;
use crate::state::StateChange;
use crate::time::{Seconds, to_seconds};

/// How many instances one Python `Fleet` holds (live ones plus terminated ones within their
/// visible hour).
pub const CAPACITY: usize = 4096;

type CoreFleet = lifecycle::Fleet<CAPACITY>;

/// Up to ``CAPACITY`` EC2 instances with ids from a seeded counter.
///
/// Requests (``start``, ``stop`` ...) move an instance into its transitional state at once;
/// the transition completes when you ``report`` what the world did, or when a timeout given
/// here passes and you call ``tick``. The same seed and calls give the same ids and results.
/// Every method that takes an ``id`` raises ``IdError`` for a malformed id and
/// ``LifecycleError`` (1007) for an id the fleet does not hold.
///
/// Args:
///     seed: seeds the instance ids (``i-`` and 17 hex digits).
///     boot_timeout_s: after this long in ``pending``, ``tick`` moves an instance to
///         ``running`` without a ``"booted"`` report; ``None`` waits for the report.
///     stop_timeout_s: likewise ``stopping`` to ``stopped`` (a hard power-off).
///     shutdown_timeout_s: likewise ``shutting-down`` to ``terminated``.
#[pyclass(module = "fleetcore")]
pub struct Fleet {
    // About a megabyte at 4096 instances: boxed, so it stays off the Python thread's stack.
    inner: Box<CoreFleet>,
}

#[pymethods]
impl Fleet {
    #[new]
    #[pyo3(signature = (seed, boot_timeout_s = None, *, stop_timeout_s = None, shutdown_timeout_s = None))]
    fn new(
        #[pyo3(from_py_with = crate::args::seed_u64)] seed: u64,
        boot_timeout_s: Option<Seconds>,
        stop_timeout_s: Option<Seconds>,
        shutdown_timeout_s: Option<Seconds>,
    ) -> Self {
        let timeouts = Timeouts {
            boot: boot_timeout_s.map(Seconds::duration),
            stop: stop_timeout_s.map(Seconds::duration),
            shutdown: shutdown_timeout_s.map(Seconds::duration),
        };
        // Allocate first and move the value into the allocation. Optimised builds construct it
        // in place; the tests create a fleet on a thread with a 256 KiB stack to keep it so.
        // Unoptimised builds still make a temporary on the stack (about 1 MiB): they need a
        // thread stack larger than that, which the default 8 MiB on Linux is.
        let inner = Box::<CoreFleet>::new_uninit();
        Self {
            inner: Box::write(inner, CoreFleet::new(seed, timeouts)),
        }
    }

    /// The fleet's capacity, ``CAPACITY``.
    #[getter]
    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Fleet(len={}, capacity={})",
            self.inner.len(),
            self.inner.capacity()
        )
    }

    /// The ids of the instances held, in launch order.
    fn ids(&self) -> Vec<String> {
        self.inner.iter().map(|i| i.id().to_string()).collect()
    }

    /// ``RunInstances`` for one instance; returns its id. It enters ``pending``.
    ///
    /// Args:
    ///     now_s: the time of the request.
    ///     image_id: an AMI id, ``ami-`` and 8 or 17 lowercase hex digits.
    ///     instance_type: a built-in EC2 type such as ``"t3.micro"`` or ``"m5.large"``.
    ///     root_device: ``"ebs"`` or ``"instance-store"`` (which can only run and terminate).
    ///     shutdown_behavior: what an OS shutdown does, ``"stop"`` or ``"terminate"``.
    ///     hibernation: ``HibernationOptions.Configured``.
    ///     termination_protection: ``DisableApiTermination``.
    ///     spot: ``None`` for On-Demand, or the Spot request type ``"one_time"`` (also
    ///         ``"one-time"``) or ``"persistent"``.
    ///     interruption: for Spot, ``"terminate"`` (default), ``"stop"`` or ``"hibernate"``.
    ///
    /// Raises:
    ///     IdError: malformed ``image_id``.
    ///     CatalogError: unknown or malformed ``instance_type`` (1400, 1401), or unknown
    ///         ``root_device`` (1407).
    ///     LifecycleError: the options break a launch rule (1006) or the fleet is full (1008).
    ///     ValueError: unknown ``shutdown_behavior``, ``spot`` or ``interruption``.
    #[pyo3(signature = (
        now_s, image_id, instance_type, *, root_device = "ebs", shutdown_behavior = "stop",
        hibernation = false, termination_protection = false, spot = None, interruption = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::fn_params_excessive_bools)] // Python keyword flags, not a Rust API.
    fn launch(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        image_id: &str,
        instance_type: &str,
        root_device: &str,
        shutdown_behavior: &str,
        hibernation: bool,
        termination_protection: bool,
        spot: Option<&str>,
        interruption: Option<&str>,
    ) -> PyResult<String> {
        let image = ImageId::parse(image_id).py_err(py)?;
        let itype = InstanceType::builtin(instance_type).py_err(py)?;
        let mut spec = LaunchSpec::new(image, itype.name);
        spec.root_device = RootDeviceType::parse(root_device).py_err(py)?;
        spec.shutdown_behavior = parse_shutdown_behavior(shutdown_behavior)?;
        spec.hibernation_configured = hibernation;
        spec.disable_api_termination = termination_protection;
        spec.market = parse_market(spot, interruption)?;
        let id = self.inner.launch(now_s.instant(), spec).py_err(py)?;
        Ok(id.to_string())
    }

    /// ``RunInstances`` with a launch template; returns the new instance's id.
    ///
    /// The version ``version`` names (``None`` or ``"$Default"``, ``"$Latest"``, a number or
    /// its text) is resolved through ``catalog`` as an Auto Scaling launch resolves it; its
    /// image, type, root device, shutdown behaviour, hibernation, termination protection and
    /// market are the instance's, and the instance remembers the template and version.
    ///
    /// Raises:
    ///     CatalogError: unknown template (1408) or version (1411), bad version text (1413),
    ///         or an image deregistered since (1403).
    ///     LifecycleError: the version breaks a launch rule (1006) or the fleet is full (1008).
    #[pyo3(signature = (now_s, catalog, template_id, version = None))]
    fn launch_template(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        catalog: &Catalog,
        template_id: &str,
        version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let spec = catalog.launch_spec(py, template_id, version)?;
        let id = self.inner.launch(now_s.instant(), spec).py_err(py)?;
        Ok(id.to_string())
    }

    /// The launch template id and version number ``id`` was launched from, or ``None``
    /// for an instance launched without a template.
    fn template_of(&self, py: Python<'_>, id: &str) -> PyResult<Option<(String, u32)>> {
        let id = id::parse(py, id)?;
        let instance = self.inner.get(id).py_err(py)?;
        Ok(instance.spec().template.map(|(t, v)| (t.to_string(), v)))
    }

    /// ``StartInstances``: ``stopped`` to ``pending``; a new 60 s minimum once it runs.
    fn start(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .start(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// ``StopInstances``: ``running`` to ``stopping``; ``force`` cuts power and the
    /// instance is ``stopped`` at once (from ``pending``, ``running`` or ``stopping``).
    #[pyo3(signature = (now_s, id, force = false))]
    fn stop(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
        force: bool,
    ) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .stop(now_s.instant(), id, force)
            .map(StateChange)
            .py_err(py)
    }

    /// ``StopInstances Hibernate=true``: ``running`` to ``stopping``, billed while stopping.
    fn hibernate(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .hibernate(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// ``RebootInstances``: stays ``running`` with no new minimum; ignored when terminated.
    fn reboot(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .reboot(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// ``TerminateInstances``: any state but ``terminated`` to ``shutting-down``.
    fn terminate(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .terminate(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// ``TerminateInstances`` for several ids, all or nothing: if one id is unknown or
    /// protected, none is terminated. Returns how many changed state.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn terminate_all(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        ids: Vec<String>,
    ) -> PyResult<usize> {
        let ids = ids
            .iter()
            .map(|t| id::parse(py, t))
            .collect::<PyResult<Vec<_>>>()?;
        self.inner.terminate_all(now_s.instant(), &ids).py_err(py)
    }

    /// Applies what the world reports about one instance.
    ///
    /// Events: ``"booted"`` (pending to running), ``"powered_off"`` (stopping to stopped,
    /// shutting-down to terminated), ``"failed"`` (a launch ends terminated, a start returns
    /// to stopped; ``reason`` is a ``StateReason.Code``, default ``"Server.InternalError"``),
    /// ``"os_shutdown"``, ``"hibernation_failed"``, ``"retirement"``, ``"spot_interruption"``
    /// and ``"spot_restart"``.
    ///
    /// Raises ``LifecycleError`` (1000) when the event does not fit the state, ``ValueError``
    /// for an unknown event or reason.
    #[pyo3(signature = (now_s, id, event, reason = None))]
    fn report(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
        event: &str,
        reason: Option<&str>,
    ) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        let report = parse_report(event, reason)?;
        self.inner
            .observe(now_s.instant(), id, report)
            .map(StateChange)
            .py_err(py)
    }

    /// The instance's state name, such as ``"running"``.
    fn state(&self, py: Python<'_>, id: &str) -> PyResult<&'static str> {
        let id = id::parse(py, id)?;
        self.inner.get(id).map(|i| i.state().name()).py_err(py)
    }

    /// The instance's ``StateReason.Code``, if it has one.
    fn state_reason(&self, py: Python<'_>, id: &str) -> PyResult<Option<&'static str>> {
        let id = id::parse(py, id)?;
        self.inner
            .get(id)
            .map(|i| i.state_reason().map(StateReason::code))
            .py_err(py)
    }

    /// Billed usage up to ``now_s`` in seconds, of one instance or of the whole fleet
    /// (including instances already forgotten). Per second while running, each partial second
    /// rounded up, with a 60 s minimum each time an instance enters ``running``: a 20 s run
    /// bills 60 s, a run of 3 min 40 s bills 220 s. Never decreases as ``now_s`` grows.
    #[pyo3(signature = (now_s, id = None))]
    fn billed_s(&self, py: Python<'_>, now_s: Seconds, id: Option<&str>) -> PyResult<f64> {
        let now = now_s.instant();
        let billed = match id {
            Some(text) => {
                let id = id::parse(py, text)?;
                self.inner.get(id).py_err(py)?.billed(now)
            }
            None => self.inner.billed(now),
        };
        Ok(to_seconds(billed.total_millis()))
    }

    /// Completes every change due at ``now_s`` (timeouts, Spot actions) and returns them in
    /// order; terminated instances past their visible hour are forgotten.
    fn tick(&mut self, now_s: Seconds) -> PyResult<Vec<StateChange>> {
        let now = now_s.instant();
        // Each instance makes at most a few changes at one instant (a Spot action, then the
        // deadline of the state it enters); the bound turns a core bug into an error, not a hang.
        let limit = self.inner.len().saturating_mul(4).saturating_add(4);
        let mut changes = Vec::new();
        while let Some(change) = self.inner.tick(now) {
            if changes.len() >= limit {
                return Err(PyRuntimeError::new_err(
                    "fleetcore: tick did not settle; this is a bug in fleetcore",
                ));
            }
            changes.push(StateChange(change));
        }
        Ok(changes)
    }

    /// The earliest time, in seconds, at which ``tick`` has work, or ``None``.
    fn next_deadline(&self) -> Option<f64> {
        self.inner
            .next_deadline()
            .map(|t| to_seconds(t.total_millis()))
    }
}

pub(crate) fn parse_shutdown_behavior(text: &str) -> PyResult<ShutdownBehavior> {
    crate::vocab::parse("shutdown_behavior", text)
}

pub(crate) fn parse_market(spot: Option<&str>, interruption: Option<&str>) -> PyResult<Market> {
    let Some(request) = spot else {
        return match interruption {
            None => Ok(Market::OnDemand),
            Some(_) => Err(value_error("interruption applies to spot instances only")),
        };
    };
    let request: SpotRequestType = crate::vocab::parse("spot", request)?;
    let interruption: InterruptionBehavior =
        crate::vocab::parse("interruption", interruption.unwrap_or("terminate"))?;
    Ok(Market::Spot {
        request,
        interruption,
    })
}

fn parse_report(event: &str, reason: Option<&str>) -> PyResult<Report> {
    let kind: ReportKind = crate::vocab::parse("event", event)?;
    if kind == ReportKind::Failed {
        let code = reason.unwrap_or(StateReason::ServerInternalError.code());
        let reason = StateReason::from_name(code)
            .ok_or_else(|| value_error(format!("unknown state reason code {code:?}")))?;
        return Ok(Report::Failed(reason));
    }
    if reason.is_some() {
        return Err(value_error("reason applies to the \"failed\" event only"));
    }
    // Every kind but `Failed` carries no data.
    Report::of_kind(kind).ok_or_else(|| value_error("a failed report needs a reason"))
}
