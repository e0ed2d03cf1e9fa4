//! `Fleet`: the core's fixed-capacity set of EC2 instances, addressed by id strings.

use fleetcore::catalog::{InstanceType, RootDeviceType};
use fleetcore::id::ImageId;
use fleetcore::lifecycle::{
    self, InterruptionBehavior, LaunchSpec, Market, Report, ShutdownBehavior, SpotRequestType,
    StateReason, Timeouts,
};
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

/// Up to 4096 EC2 instances with seeded ids; see the stubs for the full contract.
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

    /// The fleet's capacity.
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

    /// `RunInstances` for one instance of a built-in instance type; returns its id.
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

    /// `RunInstances` with a launch template: the version `version` names (`None` is
    /// `$Default`) is resolved through `catalog`, as an Auto Scaling launch resolves it, and
    /// the instance remembers the template and version it came from.
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

    /// The launch template id and version an instance was launched from, if any.
    fn template_of(&self, py: Python<'_>, id: &str) -> PyResult<Option<(String, u32)>> {
        let id = id::parse(py, id)?;
        let instance = self.inner.get(id).py_err(py)?;
        Ok(instance.spec().template.map(|(t, v)| (t.to_string(), v)))
    }

    /// `StartInstances` for one instance.
    fn start(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .start(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// `StopInstances` for one instance; `force` cuts power.
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

    /// `StopInstances Hibernate=true` for one instance.
    fn hibernate(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .hibernate(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// `RebootInstances` for one instance.
    fn reboot(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .reboot(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// `TerminateInstances` for one instance.
    fn terminate(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<StateChange> {
        let id = id::parse(py, id)?;
        self.inner
            .terminate(now_s.instant(), id)
            .map(StateChange)
            .py_err(py)
    }

    /// `TerminateInstances` for several ids, all or nothing; returns how many changed state.
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

    /// Applies a report from the world about one instance.
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

    /// The instance's state name.
    fn state(&self, py: Python<'_>, id: &str) -> PyResult<&'static str> {
        let id = id::parse(py, id)?;
        self.inner.get(id).map(|i| i.state().name()).py_err(py)
    }

    /// The instance's `StateReason.Code`, if it has one.
    fn state_reason(&self, py: Python<'_>, id: &str) -> PyResult<Option<&'static str>> {
        let id = id::parse(py, id)?;
        self.inner
            .get(id)
            .map(|i| i.state_reason().map(StateReason::code))
            .py_err(py)
    }

    /// Billed usage up to `now_s`, in seconds: of one instance, or of the whole fleet.
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

    /// Completes every change due at `now_s` and returns them in order.
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

    /// The earliest time, in seconds, at which `tick` has work, or `None`.
    fn next_deadline(&self) -> Option<f64> {
        self.inner
            .next_deadline()
            .map(|t| to_seconds(t.total_millis()))
    }
}

pub(crate) fn parse_shutdown_behavior(text: &str) -> PyResult<ShutdownBehavior> {
    match text {
        "stop" => Ok(ShutdownBehavior::Stop),
        "terminate" => Ok(ShutdownBehavior::Terminate),
        _ => Err(value_error(format!(
            "shutdown_behavior must be \"stop\" or \"terminate\", got {text:?}"
        ))),
    }
}

pub(crate) fn parse_market(spot: Option<&str>, interruption: Option<&str>) -> PyResult<Market> {
    let Some(request) = spot else {
        return match interruption {
            None => Ok(Market::OnDemand),
            Some(_) => Err(value_error("interruption applies to spot instances only")),
        };
    };
    let request = match request {
        "one-time" => SpotRequestType::OneTime,
        "persistent" => SpotRequestType::Persistent,
        _ => {
            return Err(value_error(format!(
                "spot must be None, \"one-time\" or \"persistent\", got {request:?}"
            )));
        }
    };
    let interruption = match interruption.unwrap_or("terminate") {
        "terminate" => InterruptionBehavior::Terminate,
        "stop" => InterruptionBehavior::Stop,
        "hibernate" => InterruptionBehavior::Hibernate,
        other => {
            return Err(value_error(format!(
                "interruption must be \"terminate\", \"stop\" or \"hibernate\", got {other:?}"
            )));
        }
    };
    Ok(Market::Spot {
        request,
        interruption,
    })
}

fn parse_report(event: &str, reason: Option<&str>) -> PyResult<Report> {
    if event == "failed" {
        let code = reason.unwrap_or("Server.InternalError");
        let reason = StateReason::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| value_error(format!("unknown state reason code {code:?}")))?;
        return Ok(Report::Failed(reason));
    }
    if reason.is_some() {
        return Err(value_error("reason applies to the \"failed\" event only"));
    }
    Ok(match event {
        "booted" => Report::Booted,
        "powered_off" => Report::PoweredOff,
        "os_shutdown" => Report::OsShutdown,
        "hibernation_failed" => Report::HibernationFailed,
        "retirement" => Report::Retirement,
        "spot_interruption" => Report::SpotInterruption,
        "spot_restart" => Report::SpotRestart,
        _ => {
            return Err(value_error(format!(
                "event must be one of booted, powered_off, failed, os_shutdown, \
                 hibernation_failed, retirement, spot_interruption, spot_restart; got {event:?}"
            )));
        }
    })
}
