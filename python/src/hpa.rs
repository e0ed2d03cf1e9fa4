//! The Kubernetes HPA algorithm of the core (`fleetcore::scaling::hpa`): the replica
//! calculation, behaviours and the autoscaler that applies them. Python sees these in
//! `fleetcore.hpa`.

use fleetcore::scaling::Value;
use fleetcore::scaling::hpa::{
    self, Controller, MAX_POLICIES, MemberMetric, MemberMetricState, MetricSourceType,
    ObjectTarget, ObjectTargetType, PolicyKind, RatePolicy, ResourcePod, ResourceTarget, Scale,
    ScalingRules, SelectPolicy, Tolerances,
};
use fleetcore::vocab::Vocabulary as _;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::errors::{IntoPyResult, value_error};
use crate::time::{Seconds, to_seconds};
use crate::value::{Milli, to_float};

/// One member's metric: a number, `None` (missing) or `"unready"`.
pub struct MetricArg(MemberMetric);

impl FromPyObject<'_, '_> for MetricArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Ok(Self(MemberMetric::Missing));
        }
        if obj.is_instance_of::<PyString>() {
            let text: String = obj.extract()?;
            // Only "unready" is a name: a ready member is its number, a missing one `None`.
            if MemberMetricState::from_name(&text) == Some(MemberMetricState::Unready) {
                return Ok(Self(MemberMetric::Unready));
            }
            return Err(value_error(format!(
                "a member metric is a number, None (missing) or \"unready\"; got {text:?}"
            )));
        }
        let v: Milli = obj.extract()?;
        Ok(Self(MemberMetric::Ready(v.0)))
    }
}

/// Tolerances from the keyword arguments (0.1 each by default).
fn tolerances(py: Python<'_>, down: Option<Milli>, up: Option<Milli>) -> PyResult<Tolerances> {
    let t = Tolerances {
        scale_down: down.map_or(Tolerances::DEFAULT.scale_down, |m| m.0),
        scale_up: up.map_or(Tolerances::DEFAULT.scale_up, |m| m.0),
    };
    t.validate().py_err(py)?;
    Ok(t)
}

fn positive(name: &str, target: Milli) -> PyResult<Value> {
    if target.0.milli() <= 0 {
        return Err(value_error(format!(
            "{name} must be positive, got {}",
            to_float(target.0)
        )));
    }
    Ok(target.0)
}

/// The upstream replica calculation for the group's per-member metric, a utilization: each
/// member reports a percentage of its own capacity (its request is 100 %) and ``target`` is a
/// percentage. The utilization is truncated to a whole percent (upstream's
/// ``GetResourceUtilizationRatio``); nothing changes while its ratio to the target is within 0.1
/// of 1, otherwise ``ceil(ratio × ready members)``. ``metrics``: one entry per member, a number,
/// ``None`` (missing) or ``"unready"``. A missing member counts as ``max(100, target)`` % on a
/// scale-down and 0 on a scale-up; an unready one as 0 on a scale-up and is left out on a
/// scale-down; a fill-in that reverses the direction changes nothing. ``current`` when no
/// member reports. Raises ``ValueError`` for a target that is not positive.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
pub fn desired_replicas(
    #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
    metrics: Vec<MetricArg>,
    target: Milli,
) -> PyResult<u32> {
    let target = positive("target", target)?;
    let members: Vec<MemberMetric> = metrics.iter().map(|m| m.0).collect();
    Ok(hpa::desired_replicas(current, &members, target))
}

/// ``GetResourceReplicas``: a ``Resource`` (or ``ContainerResource``) metric with a
/// ``Utilization`` target in whole percent. ``usage`` has one entry per pod (a number, ``None``
/// for a missing metric, ``"unready"``), ``requests`` the pods' requests in the same unit.
/// Failed pods and pods being deleted are left out by the caller. A missing pod counts as
/// ``max(100, target)`` % of its request on a scale-down. ``None`` when the metric fails (no
/// ready pod has a metric). Tolerances default to 0.1. ``ValueError`` for a target of 0,
/// lengths that differ or a negative tolerance.
#[pyfunction]
#[pyo3(signature = (
    current, usage, requests, target_utilization, *,
    scale_down_tolerance = None, scale_up_tolerance = None
))]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts sequences into owned `Vec`s.
pub fn resource_replicas(
    py: Python<'_>,
    #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
    usage: Vec<MetricArg>,
    requests: Vec<Milli>,
    #[pyo3(from_py_with = crate::args::target_utilization_u32)] target_utilization: u32,
    scale_down_tolerance: Option<Milli>,
    scale_up_tolerance: Option<Milli>,
) -> PyResult<Option<u32>> {
    let tol = tolerances(py, scale_down_tolerance, scale_up_tolerance)?;
    if usage.len() != requests.len() {
        return Err(value_error(format!(
            "usage has {} pods and requests {}",
            usage.len(),
            requests.len()
        )));
    }
    let pods: Vec<ResourcePod> = usage
        .iter()
        .zip(&requests)
        .map(|(m, r)| ResourcePod {
            metric: m.0,
            request: r.0,
        })
        .collect();
    hpa::resource_utilization_replicas(current, &pods, target_utilization, &tol).py_err(py)
}

/// ``GetMetricReplicas``: a ``Pods`` metric (an ``AverageValue`` target). The average over the
/// ready pods (in thousandths, truncated) against ``target``; a missing pod counts as exactly
/// ``target`` on a scale-down and 0 on a scale-up. ``None`` when the metric fails.
/// ``ValueError`` for a target that is not positive or a negative tolerance.
#[pyfunction]
#[pyo3(signature = (
    current, metrics, target, *, scale_down_tolerance = None, scale_up_tolerance = None
))]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
pub fn pods_replicas(
    py: Python<'_>,
    #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
    metrics: Vec<MetricArg>,
    target: Milli,
    scale_down_tolerance: Option<Milli>,
    scale_up_tolerance: Option<Milli>,
) -> PyResult<Option<u32>> {
    let tol = tolerances(py, scale_down_tolerance, scale_up_tolerance)?;
    let target = positive("target", target)?;
    let members: Vec<MemberMetric> = metrics.iter().map(|m| m.0).collect();
    hpa::pods_average_replicas(current, &members, target, &tol).py_err(py)
}

/// `"Value"` or `"AverageValue"` with its target.
pub(crate) fn object_target(target_type: &str, target: Milli) -> PyResult<ObjectTarget> {
    let t = positive("target", target)?;
    let kind = ObjectTargetType::from_name(target_type).ok_or_else(|| {
        value_error(format!(
            "target_type must be \"Value\" or \"AverageValue\", got {target_type:?}"
        ))
    })?;
    Ok(ObjectTarget::of_type(kind, t))
}

/// An ``Object`` or ``External`` metric (for External, ``value`` is the sum of the series).
/// ``target_type`` ``"Value"``: ``ceil(value / target × ready_pods)`` outside the tolerances,
/// and ``ceil(value / target)`` with no tolerance when ``current`` is 0 (scaling from zero).
/// ``"AverageValue"``: ``ceil(value / target)`` when ``value / (target × status_replicas)`` is
/// outside the tolerances. ``ready_pods`` and ``status_replicas`` default to ``current``.
/// ``ValueError`` for a target that is not positive or an unknown target type.
#[pyfunction]
#[pyo3(signature = (
    current, value, target, target_type = "Value", *, ready_pods = None,
    status_replicas = None, scale_down_tolerance = None, scale_up_tolerance = None
))]
#[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python function.
pub fn object_replicas(
    py: Python<'_>,
    #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
    value: Milli,
    target: Milli,
    target_type: &str,
    ready_pods: Option<u32>,
    status_replicas: Option<u32>,
    scale_down_tolerance: Option<Milli>,
    scale_up_tolerance: Option<Milli>,
) -> PyResult<u32> {
    let tol = tolerances(py, scale_down_tolerance, scale_up_tolerance)?;
    let target = object_target(target_type, target)?;
    hpa::object_replicas(
        current,
        status_replicas.unwrap_or(current),
        ready_pods.unwrap_or(current),
        value.0,
        target,
        &tol,
    )
    .py_err(py)
}

fn parse_select(text: &str) -> PyResult<SelectPolicy> {
    crate::vocab::parse("select", text)
}

fn select_name(s: SelectPolicy) -> &'static str {
    s.as_str()
}

fn kind_name(k: PolicyKind) -> &'static str {
    k.as_str()
}

/// A direction's rules with room for [`MAX_POLICIES`] rate policies.
type Rules = ScalingRules<MAX_POLICIES>;

fn rules(
    py: Python<'_>,
    default: Rules,
    stabilization_s: Option<Seconds>,
    select: Option<&str>,
    policies: Option<Vec<(String, u32, Seconds)>>,
    tolerance: Option<Milli>,
) -> PyResult<Rules> {
    let mut r = default;
    if let Some(t) = tolerance {
        r.tolerance = Some(t.0);
    }
    if let Some(s) = stabilization_s {
        r.stabilization = s.duration();
    }
    if let Some(s) = select {
        r.select = parse_select(s)?;
    }
    if let Some(list) = policies {
        r.policies.clear();
        for (kind, value, period) in list {
            let kind: PolicyKind = crate::vocab::parse("a rate policy kind", &kind)?;
            r.policies
                .push(RatePolicy {
                    kind,
                    value,
                    period: period.duration(),
                })
                .map_err(|_| {
                    crate::errors::to_py_err(py, &fleetcore::scaling::ScalingError::InvalidBehavior)
                })?;
        }
    }
    r.validate().py_err(py)?;
    Ok(r)
}

fn policies_of(r: &Rules) -> Vec<(&'static str, u32, f64)> {
    r.policies
        .iter()
        .map(|p| {
            (
                kind_name(p.kind),
                p.value,
                to_seconds(p.period.total_millis()),
            )
        })
        .collect()
}

/// ``HorizontalPodAutoscalerBehavior``: per direction a stabilisation window, rate
/// policies ``(kind, value, period_s)`` with kind ``"Pods"`` or ``"Percent"``, and
/// ``selectPolicy`` (``"Max"``, ``"Min"`` or ``"Disabled"``). Omitted fields take the
/// upstream defaults: scale-up no window, ``[("Pods", 4, 15), ("Percent", 100, 15)]``,
/// ``Max``; scale-down 300 s, ``[("Percent", 100, 15)]``, ``Max``.
///
/// ``scale_up_tolerance`` / ``scale_down_tolerance`` (Kubernetes 1.33 ``tolerance``) replace
/// the controller's 0.1 for that direction; ``None`` keeps it.
///
/// Upstream sets no maximum number of policies; a ``Behavior`` holds up to 16 per direction,
/// and a group's target-tracking policy up to 4 (``ScalingError`` 1213 beyond).
///
/// Raises ``ScalingError`` 1213 for a window above 3600 s, a policy value below 1, a period
/// outside 1-1800 s, no policy in a direction that is not disabled, a negative tolerance or
/// more than 16 policies.
#[pyclass(frozen, eq, module = "fleetcore.hpa")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behavior {
    pub(crate) inner: hpa::Behavior<MAX_POLICIES>,
}

#[pymethods]
impl Behavior {
    #[new]
    #[pyo3(signature = (
        *, scale_up_stabilization_s = None, scale_up_select = None, scale_up_policies = None,
        scale_down_stabilization_s = None, scale_down_select = None, scale_down_policies = None,
        scale_up_tolerance = None, scale_down_tolerance = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python class.
    fn new(
        py: Python<'_>,
        scale_up_stabilization_s: Option<Seconds>,
        scale_up_select: Option<&str>,
        scale_up_policies: Option<Vec<(String, u32, Seconds)>>,
        scale_down_stabilization_s: Option<Seconds>,
        scale_down_select: Option<&str>,
        scale_down_policies: Option<Vec<(String, u32, Seconds)>>,
        scale_up_tolerance: Option<Milli>,
        scale_down_tolerance: Option<Milli>,
    ) -> PyResult<Self> {
        let scale_up = rules(
            py,
            ScalingRules::default_up(),
            scale_up_stabilization_s,
            scale_up_select,
            scale_up_policies,
            scale_up_tolerance,
        )?;
        let scale_down = rules(
            py,
            ScalingRules::default_down(),
            scale_down_stabilization_s,
            scale_down_select,
            scale_down_policies,
            scale_down_tolerance,
        )?;
        Ok(Self {
            inner: hpa::Behavior {
                scale_up,
                scale_down,
            },
        })
    }

    /// ``scaleUp.stabilizationWindowSeconds``.
    #[getter]
    fn scale_up_stabilization_s(&self) -> f64 {
        to_seconds(self.inner.scale_up.stabilization.total_millis())
    }

    /// ``scaleUp.selectPolicy``.
    #[getter]
    fn scale_up_select(&self) -> &'static str {
        select_name(self.inner.scale_up.select)
    }

    /// ``scaleUp.policies``.
    #[getter]
    fn scale_up_policies(&self) -> Vec<(&'static str, u32, f64)> {
        policies_of(&self.inner.scale_up)
    }

    /// ``scaleDown.stabilizationWindowSeconds``.
    #[getter]
    fn scale_down_stabilization_s(&self) -> f64 {
        to_seconds(self.inner.scale_down.stabilization.total_millis())
    }

    /// ``scaleDown.selectPolicy``.
    #[getter]
    fn scale_down_select(&self) -> &'static str {
        select_name(self.inner.scale_down.select)
    }

    /// ``scaleDown.policies``.
    #[getter]
    fn scale_down_policies(&self) -> Vec<(&'static str, u32, f64)> {
        policies_of(&self.inner.scale_down)
    }

    /// ``scaleUp.tolerance``, ``None`` for the controller's default.
    #[getter]
    fn scale_up_tolerance(&self) -> Option<f64> {
        self.inner.scale_up.tolerance.map(to_float)
    }

    /// ``scaleDown.tolerance``, ``None`` for the controller's default.
    #[getter]
    fn scale_down_tolerance(&self) -> Option<f64> {
        self.inner.scale_down.tolerance.map(to_float)
    }

    /// The ``behavior:`` block of an ``autoscaling/v2`` HorizontalPodAutoscaler manifest as
    /// written (camelCase, as ``yaml.safe_load`` gives it): ``scaleUp`` / ``scaleDown`` with
    /// ``stabilizationWindowSeconds``, ``selectPolicy`` (``Max``, ``Min``, ``Disabled``),
    /// ``policies`` (``type`` ``Pods`` or ``Percent``, ``value``, ``periodSeconds``) and
    /// ``tolerance`` (a number or a quantity string such as ``"0.05"`` or ``"50m"``).
    /// Upstream's defaults (``defaults.go``) fill what is left out: a direction left out takes
    /// the default rules whole, a field left out the default's field (so ``policies`` given
    /// replace the default policies). ``ValueError`` for an unknown field or a bad type,
    /// ``ScalingError`` 1213 for values upstream validation refuses.
    #[staticmethod]
    fn from_k8s(py: Python<'_>, block: &Bound<'_, PyAny>) -> PyResult<Self> {
        crate::hpa_k8s::behavior_from_k8s(py, block)
    }

    fn __repr__(&self) -> String {
        let tol = |t: Option<f64>| t.map_or_else(|| "None".to_owned(), |t| t.to_string());
        let fmt = |p: &[(&str, u32, f64)]| {
            let items: Vec<String> = p
                .iter()
                .map(|(k, v, s)| format!("({k:?}, {v}, {s})"))
                .collect();
            format!("[{}]", items.join(", "))
        };
        format!(
            "Behavior(scale_up_stabilization_s={}, scale_up_select={:?}, scale_up_policies={}, \
             scale_down_stabilization_s={}, scale_down_select={:?}, scale_down_policies={}, \
             scale_up_tolerance={}, scale_down_tolerance={})",
            self.scale_up_stabilization_s(),
            self.scale_up_select(),
            fmt(&self.scale_up_policies()),
            self.scale_down_stabilization_s(),
            self.scale_down_select(),
            fmt(&self.scale_down_policies()),
            tol(self.scale_up_tolerance()),
            tol(self.scale_down_tolerance()),
        )
    }
}

/// One metric of an HPA's ``metrics`` list with what was observed for it this run.
#[pyclass(frozen, module = "fleetcore.hpa")]
#[derive(Debug, Clone)]
pub struct Metric {
    kind: MetricKind,
}

#[derive(Debug, Clone)]
enum MetricKind {
    Resource {
        container: bool,
        pods: Vec<ResourcePod>,
        target: ResourceTarget,
    },
    Pods {
        pods: Vec<MemberMetric>,
        target: Value,
    },
    Object {
        external: bool,
        value: Option<Value>,
        target: ObjectTarget,
    },
    PodLevel {
        source: hpa::PodSource,
        pods: Vec<hpa::Pod>,
        target: ResourceTarget,
        readiness: hpa::Readiness,
    },
}

/// One pod as `fleetcore.hpa` passes it: ``(phase, ready, last_transition_time, start_time,
/// deleted, usage, timestamp, window, request)``, times in seconds.
type PodTuple = (
    String,
    Option<bool>,
    Seconds,
    Option<Seconds>,
    bool,
    Option<Milli>,
    Seconds,
    Seconds,
    Milli,
);

fn to_pod(t: &PodTuple) -> PyResult<hpa::Pod> {
    let (phase, ready, last, start, deleted, usage, timestamp, window, request) = t;
    let phase = hpa::PodPhase::from_name(phase).ok_or_else(|| {
        value_error(format!(
            "phase must be Pending, Running, Succeeded, Failed or Unknown, got {phase:?}"
        ))
    })?;
    Ok(hpa::Pod {
        phase,
        ready: ready.map(|status| hpa::ReadyCondition {
            status,
            last_transition: last.instant(),
        }),
        start_time: start.map(Seconds::instant),
        deleted: *deleted,
        sample: usage.map(|u| hpa::PodSample {
            value: u.0,
            timestamp: timestamp.instant(),
            window: window.duration(),
        }),
        request: request.0,
    })
}

fn to_pods(pods: &[PodTuple]) -> PyResult<Vec<hpa::Pod>> {
    pods.iter().map(to_pod).collect()
}

/// The readiness settings, upstream's defaults for those left out.
fn readiness(init: Option<Seconds>, delay: Option<Seconds>) -> hpa::Readiness {
    let d = hpa::Readiness::DEFAULT;
    hpa::Readiness {
        cpu_initialization_period: init.map_or(d.cpu_initialization_period, Seconds::duration),
        initial_readiness_delay: delay.map_or(d.initial_readiness_delay, Seconds::duration),
    }
}

/// Upstream's ``groupPods`` at ``now_s``: ``(ready_count, unready, missing, ignored)``,
/// the last three as positions in ``pods`` (tuples as ``Metric.pod_level`` takes them).
#[pyfunction]
#[pyo3(signature = (
    pods, now_s, *, cpu = true, cpu_initialization_period_s = None,
    initial_readiness_delay_s = None
))]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
#[allow(clippy::type_complexity)] // The four groups, as upstream returns them.
pub fn group_pods(
    pods: Vec<PodTuple>,
    now_s: Seconds,
    cpu: bool,
    cpu_initialization_period_s: Option<Seconds>,
    initial_readiness_delay_s: Option<Seconds>,
) -> PyResult<(usize, Vec<usize>, Vec<usize>, Vec<usize>)> {
    let pods = to_pods(&pods)?;
    let r = readiness(cpu_initialization_period_s, initial_readiness_delay_s);
    let (mut ready, mut unready, mut missing, mut ignored) =
        (0, Vec::new(), Vec::new(), Vec::new());
    for (i, p) in pods.iter().enumerate() {
        match p.group(now_s.instant(), cpu, &r) {
            hpa::PodGroup::Ready => ready += 1,
            hpa::PodGroup::Unready => unready.push(i),
            hpa::PodGroup::Missing => missing.push(i),
            hpa::PodGroup::Ignored => ignored.push(i),
        }
    }
    Ok((ready, unready, missing, ignored))
}

impl Metric {
    fn as_core(&self) -> hpa::Metric<'_> {
        match &self.kind {
            MetricKind::Resource {
                container: false,
                pods,
                target,
            } => hpa::Metric::Resource {
                pods,
                target: *target,
            },
            MetricKind::Resource { pods, target, .. } => hpa::Metric::ContainerResource {
                pods,
                target: *target,
            },
            MetricKind::Pods { pods, target } => hpa::Metric::Pods {
                pods,
                target: *target,
            },
            MetricKind::Object {
                external: false,
                value,
                target,
            } => hpa::Metric::Object {
                value: *value,
                target: *target,
            },
            MetricKind::Object { value, target, .. } => hpa::Metric::External {
                value: *value,
                target: *target,
            },
            MetricKind::PodLevel {
                source,
                pods,
                target,
                readiness,
            } => hpa::Metric::PodLevel {
                source: *source,
                pods,
                target: *target,
                readiness: *readiness,
            },
        }
    }
}

fn resource_target(
    target_utilization: Option<u32>,
    target_average_value: Option<Milli>,
) -> PyResult<ResourceTarget> {
    Ok(match (target_utilization, target_average_value) {
        (Some(0), None) => return Err(value_error("target_utilization must be positive")),
        (Some(u), None) => ResourceTarget::Utilization(u),
        (None, Some(v)) => ResourceTarget::AverageValue(positive("target_average_value", v)?),
        _ => {
            return Err(value_error(
                "give one of target_utilization and target_average_value",
            ));
        }
    })
}

fn resource_metric(
    container: bool,
    usage: &[MetricArg],
    requests: &[Milli],
    target_utilization: Option<u32>,
    target_average_value: Option<Milli>,
) -> PyResult<Metric> {
    if usage.len() != requests.len() {
        return Err(value_error(format!(
            "usage has {} pods and requests {}",
            usage.len(),
            requests.len()
        )));
    }
    let target = resource_target(target_utilization, target_average_value)?;
    let pods = usage
        .iter()
        .zip(requests)
        .map(|(m, r)| ResourcePod {
            metric: m.0,
            request: r.0,
        })
        .collect();
    Ok(Metric {
        kind: MetricKind::Resource {
            container,
            pods,
            target,
        },
    })
}

impl Metric {
    /// An `Object` or `External` metric: one value for the whole target.
    fn of_object(
        external: bool,
        value: Option<Milli>,
        target: Milli,
        target_type: &str,
    ) -> PyResult<Self> {
        Ok(Self {
            kind: MetricKind::Object {
                external,
                value: value.map(|v| v.0),
                target: object_target(target_type, target)?,
            },
        })
    }
}

#[pymethods]
impl Metric {
    /// ``Resource``: per pod its usage (a number, ``None`` missing, ``"unready"``) and
    /// request; one of a ``Utilization`` (whole percent) or an ``AverageValue`` target.
    #[staticmethod]
    #[pyo3(signature = (usage, requests, *, target_utilization = None, target_average_value = None))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts sequences into owned `Vec`s.
    fn resource(
        usage: Vec<MetricArg>,
        requests: Vec<Milli>,
        target_utilization: Option<u32>,
        target_average_value: Option<Milli>,
    ) -> PyResult<Self> {
        resource_metric(
            false,
            &usage,
            &requests,
            target_utilization,
            target_average_value,
        )
    }

    /// ``ContainerResource``: as ``resource``, for one container of each pod.
    #[staticmethod]
    #[pyo3(signature = (usage, requests, *, target_utilization = None, target_average_value = None))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts sequences into owned `Vec`s.
    fn container_resource(
        usage: Vec<MetricArg>,
        requests: Vec<Milli>,
        target_utilization: Option<u32>,
        target_average_value: Option<Milli>,
    ) -> PyResult<Self> {
        resource_metric(
            true,
            &usage,
            &requests,
            target_utilization,
            target_average_value,
        )
    }

    /// ``Pods``: a value per pod against an ``AverageValue`` target.
    #[staticmethod]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn pods(metrics: Vec<MetricArg>, target_average_value: Milli) -> PyResult<Self> {
        Ok(Self {
            kind: MetricKind::Pods {
                pods: metrics.iter().map(|m| m.0).collect(),
                target: positive("target_average_value", target_average_value)?,
            },
        })
    }

    /// ``Resource``, ``ContainerResource`` or ``Pods`` (``type``) over pod-level inputs,
    /// grouped at the run's time as upstream's ``groupPods`` groups them: a pod being deleted
    /// or ``Failed`` is ignored, a ``Pending`` one unready, one without a sample missing; for
    /// CPU (``cpu``), a pod without a Ready condition or start time, one within
    /// ``cpu_initialization_period_s`` (``None``: 300) of its start that is not ready or whose
    /// sample was taken less than a window after its last transition, and one after it that
    /// is not ready and last changed within ``initial_readiness_delay_s`` (``None``: 30) of
    /// its start, are unready.
    /// Each pod is ``(phase, ready, last_transition_time_s, start_time_s, deleted, usage,
    /// timestamp_s, window_s, request)`` (``ready`` ``None``: no Ready condition; ``usage``
    /// ``None``: no sample); ``fleetcore.hpa.resource_metric`` and ``pods_metric`` build it
    /// from ``Pod`` objects or dicts. A ``Pods`` metric takes ``target_average_value`` only.
    #[staticmethod]
    #[pyo3(signature = (
        r#type, pods, *, target_utilization = None, target_average_value = None, cpu = false,
        cpu_initialization_period_s = None,
        initial_readiness_delay_s = None
    ))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    fn pod_level(
        r#type: &str,
        pods: Vec<PodTuple>,
        target_utilization: Option<u32>,
        target_average_value: Option<Milli>,
        cpu: bool,
        cpu_initialization_period_s: Option<Seconds>,
        initial_readiness_delay_s: Option<Seconds>,
    ) -> PyResult<Self> {
        let source = match MetricSourceType::from_name(r#type) {
            Some(MetricSourceType::Resource) => hpa::PodSource::Resource { cpu },
            Some(MetricSourceType::ContainerResource) => hpa::PodSource::ContainerResource { cpu },
            Some(MetricSourceType::Pods) if target_utilization.is_none() => hpa::PodSource::Pods,
            Some(MetricSourceType::Pods) => {
                return Err(value_error("a Pods metric takes target_average_value only"));
            }
            _ => {
                let kind = r#type;
                return Err(value_error(format!(
                    "type must be Resource, ContainerResource or Pods, got {kind:?}"
                )));
            }
        };
        Ok(Self {
            kind: MetricKind::PodLevel {
                source,
                pods: to_pods(&pods)?,
                target: resource_target(target_utilization, target_average_value)?,
                readiness: readiness(cpu_initialization_period_s, initial_readiness_delay_s),
            },
        })
    }

    /// ``Object``: the object's value (``None`` when it could not be read).
    #[staticmethod]
    #[pyo3(signature = (value, target, target_type = "Value"))]
    fn object(value: Option<Milli>, target: Milli, target_type: &str) -> PyResult<Self> {
        Self::of_object(false, value, target, target_type)
    }

    /// ``External``: the sum of the metric's series (``None`` when it could not be read).
    #[staticmethod]
    #[pyo3(signature = (value, target, target_type = "Value"))]
    fn external(value: Option<Milli>, target: Milli, target_type: &str) -> PyResult<Self> {
        Self::of_object(true, value, target, target_type)
    }

    /// ``Resource``, ``ContainerResource``, ``Pods``, ``Object`` or ``External``.
    #[getter]
    fn r#type(&self) -> &'static str {
        let kind = match self.kind {
            MetricKind::Resource {
                container: false, ..
            } => MetricSourceType::Resource,
            MetricKind::Resource { .. } => MetricSourceType::ContainerResource,
            MetricKind::Pods { .. } => MetricSourceType::Pods,
            MetricKind::Object {
                external: false, ..
            } => MetricSourceType::Object,
            MetricKind::Object { .. } => MetricSourceType::External,
            MetricKind::PodLevel { source, .. } => source.source_type(),
        };
        kind.as_str()
    }

    fn __repr__(&self) -> String {
        format!("Metric(type={:?})", self.r#type())
    }
}

/// The HPA's memory between calls: past recommendations (stabilisation) and scale events
/// (rate policies), 64 of each.
#[pyclass(module = "fleetcore.hpa")]
pub struct Autoscaler {
    inner: hpa::Autoscaler<MAX_POLICIES>,
    /// The behaviour, or ``None`` for the legacy rules (300 s scale-down stabilisation,
    /// scale-up to at most ``max(2 × current, 4)``).
    behavior: Option<Behavior>,
}

fn event_log(a: &hpa::Autoscaler<MAX_POLICIES>, up: bool) -> Vec<(f64, u32, bool)> {
    a.scale_event_log(up)
        .iter()
        .map(|e| {
            (
                to_seconds(e.at.total_millis()),
                e.replica_change,
                e.outdated,
            )
        })
        .collect()
}

fn condition_dict<'py>(
    py: Python<'py>,
    kind: &str,
    c: hpa::Condition,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("type", kind)?;
    d.set_item("status", if c.status { "True" } else { "False" })?;
    d.set_item("reason", c.reason.as_str())?;
    d.set_item("message", c.reason.message())?;
    Ok(d)
}

#[pymethods]
impl Autoscaler {
    #[new]
    #[pyo3(signature = (
        behavior = None, *, tolerance = None, scale_up_limit_factor = None,
        scale_up_limit_minimum = None, downscale_stabilization_s = None
    ))]
    fn new(
        py: Python<'_>,
        behavior: Option<&Bound<'_, Behavior>>,
        tolerance: Option<Milli>,
        scale_up_limit_factor: Option<Milli>,
        scale_up_limit_minimum: Option<u32>,
        downscale_stabilization_s: Option<Seconds>,
    ) -> PyResult<Self> {
        let behavior = behavior.map(|b| b.get().clone());
        let d = Controller::DEFAULT;
        let controller = Controller {
            tolerance: tolerance.map_or(d.tolerance, |t| t.0),
            scale_up_limit_factor: scale_up_limit_factor.map_or(d.scale_up_limit_factor, |f| f.0),
            scale_up_limit_minimum: scale_up_limit_minimum.unwrap_or(d.scale_up_limit_minimum),
            downscale_stabilization: downscale_stabilization_s
                .map_or(d.downscale_stabilization, Seconds::duration),
        };
        let inner = hpa::Autoscaler::with_controller(
            behavior.as_ref().map(|b| b.inner.clone()),
            controller,
        )
        .py_err(py)?;
        Ok(Self { inner, behavior })
    }

    /// The behaviour, or ``None`` for the legacy rules (300 s scale-down stabilisation,
    /// scale-up to at most ``max(2 × current, 4)``).
    #[getter]
    fn behavior(&self) -> Option<Behavior> {
        self.behavior.clone()
    }

    /// ``(scale_down, scale_up)`` tolerances in force.
    #[getter]
    fn tolerances(&self) -> (f64, f64) {
        let t = self.inner.tolerances();
        (to_float(t.scale_down), to_float(t.scale_up))
    }

    /// The replica count to set at ``now_s`` for a calculated ``desired``: stabilised,
    /// rate-limited and clamped to ``[min_replicas, max_replicas]``; remembered for the next
    /// calls. Raises ``ValueError`` when ``max_replicas < min_replicas``.
    fn normalize(
        &mut self,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
        #[pyo3(from_py_with = crate::args::desired_u32)] desired: u32,
        #[pyo3(from_py_with = crate::args::min_replicas_u32)] min_replicas: u32,
        #[pyo3(from_py_with = crate::args::max_replicas_u32)] max_replicas: u32,
    ) -> PyResult<u32> {
        if max_replicas < min_replicas {
            return Err(value_error(format!(
                "max_replicas ({max_replicas}) is below min_replicas ({min_replicas})"
            )));
        }
        Ok(self.inner.normalize(
            now_s.instant(),
            current,
            desired,
            min_replicas,
            max_replicas,
        ))
    }

    /// One run of the upstream controller (``reconcileAutoscaler``): the count to set (the
    /// current one when nothing changes). ``current`` 0 with ``min_replicas`` above 0
    /// disables autoscaling; a count outside the bounds goes to the bound; otherwise every
    /// metric proposes a count and the largest wins; a failing metric (no ready pod with a
    /// metric, an object value of ``None``) blocks a scale-down but not a scale-up; all
    /// failing changes nothing. Then ``normalize``. ``status_replicas`` and ``ready_pods``
    /// (for ``Object``/``External`` targets) default to ``current``.
    #[pyo3(signature = (
        now_s, current, metrics, min_replicas, max_replicas, *, status_replicas = None,
        ready_pods = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn reconcile(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
        metrics: Vec<PyRef<'_, Metric>>,
        #[pyo3(from_py_with = crate::args::min_replicas_u32)] min_replicas: u32,
        #[pyo3(from_py_with = crate::args::max_replicas_u32)] max_replicas: u32,
        status_replicas: Option<u32>,
        ready_pods: Option<u32>,
    ) -> PyResult<u32> {
        if max_replicas < min_replicas {
            return Err(value_error(format!(
                "max_replicas ({max_replicas}) is below min_replicas ({min_replicas})"
            )));
        }
        if metrics.len() > hpa::MAX_METRICS {
            return Err(value_error(format!(
                "at most {} metrics per HPA, got {}",
                hpa::MAX_METRICS,
                metrics.len()
            )));
        }
        let core: Vec<hpa::Metric<'_>> = metrics.iter().map(|m| m.as_core()).collect();
        let scale = Scale {
            current,
            status_replicas: status_replicas.unwrap_or(current),
            ready_pods: ready_pods.unwrap_or(current),
            min: min_replicas,
            max: max_replicas,
        };
        self.inner
            .reconcile(now_s.instant(), &scale, &core)
            .py_err(py)
    }

    /// Remembers a scale made elsewhere (upstream's ``scaleUpEvents`` /
    /// ``scaleDownEvents``): ``change`` replicas at ``now_s``, counted by the rate policies from
    /// then on; 0 is not an event.
    fn record_scale_event(&mut self, now_s: Seconds, change: i64) {
        self.inner.record_scale_event(now_s.instant(), change);
    }

    /// Remembers a recommendation made elsewhere (upstream's ``recommendations``), counted
    /// by stabilisation from then on.
    fn record_recommendation(&mut self, now_s: Seconds, replicas: u32) {
        self.inner.record_recommendation(now_s.instant(), replicas);
    }

    /// ``AbleToScale``, ``ScalingActive`` and ``ScalingLimited`` as the last run left them:
    /// dicts with ``type``, ``status`` (``"True"``/``"False"``), ``reason`` and ``message``
    /// in upstream's spelling.
    #[getter]
    fn conditions<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let c = self.inner.conditions();
        let mut out = Vec::new();
        for (kind, cond) in [
            ("AbleToScale", c.able_to_scale),
            ("ScalingActive", c.scaling_active),
            ("ScalingLimited", c.scaling_limited),
        ] {
            if let Some(cond) = cond {
                out.push(condition_dict(py, kind, cond)?);
            }
        }
        Ok(out)
    }

    /// The recommendations remembered for stabilisation, oldest first.
    #[getter]
    fn recommendations(&self) -> Vec<(f64, u32)> {
        self.inner
            .recommendations()
            .map(|(t, r)| (to_seconds(t.total_millis()), r))
            .collect()
    }

    /// Upstream's ``scaleUpEvents`` in its order: ``(timestamp_s, replica_change,
    /// outdated)``. Before each event is stored, the earlier ones older than the longest
    /// scale-up policy period are marked outdated, and the new one takes the last outdated
    /// slot, else goes last (``storeScaleEvent``). Empty without a behaviour, as upstream
    /// stores no event then.
    #[getter]
    fn scale_up_events(&self) -> Vec<(f64, u32, bool)> {
        event_log(&self.inner, true)
    }

    /// Upstream's ``scaleDownEvents``, as ``scale_up_events`` (``replica_change`` is the
    /// number of replicas removed).
    #[getter]
    fn scale_down_events(&self) -> Vec<(f64, u32, bool)> {
        event_log(&self.inner, false)
    }

    /// Upstream's ``recommendations`` in its order: ``(timestamp_s, recommendation)``; a
    /// new recommendation takes the slot of the last one older than the longest
    /// stabilisation window, else goes last.
    #[getter]
    fn recommendation_log(&self) -> Vec<(f64, u32)> {
        self.inner
            .recommendation_log()
            .iter()
            .map(|r| (to_seconds(r.at.total_millis()), r.replicas))
            .collect()
    }

    /// The scale events remembered for rate policies, oldest first: ``(time_s, change)``.
    #[getter]
    fn scale_events(&self) -> Vec<(f64, i64)> {
        self.inner
            .scale_events()
            .map(|(t, c)| (to_seconds(t.total_millis()), c))
            .collect()
    }

    fn __repr__(&self) -> String {
        match &self.behavior {
            None => "Autoscaler(behavior=None)".to_owned(),
            Some(b) => format!("Autoscaler(behavior={})", b.__repr__()),
        }
    }
}
