//! The Kubernetes HPA algorithm of the core (`fleetcore::scaling::hpa`): the replica
//! calculation, behaviours and the autoscaler that applies them. Python sees these in
//! `fleetcore.hpa`.

use fleetcore::scaling::hpa::{
    self, MemberMetric, PolicyKind, RatePolicy, ScalingRules, SelectPolicy,
};
use pyo3::prelude::*;
use pyo3::types::PyString;

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
            if text == "unready" {
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

/// The upstream replica calculation for one average-value metric: ``ceil(current ×
/// ratio)`` over the members that report, ``current`` when the ratio is within 0.1 of 1.
/// ``metrics``: one entry per member, a number, ``None`` (missing) or ``"unready"``. Raises
/// ``ValueError`` for a target that is not positive.
#[pyfunction]
#[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
pub fn desired_replicas(
    #[pyo3(from_py_with = crate::args::current_u32)] current: u32,
    metrics: Vec<MetricArg>,
    target: Milli,
) -> PyResult<u32> {
    if target.0.milli() <= 0 {
        return Err(value_error(format!(
            "target must be positive, got {}",
            to_float(target.0)
        )));
    }
    let members: Vec<MemberMetric> = metrics.iter().map(|m| m.0).collect();
    Ok(hpa::desired_replicas(current, &members, target.0))
}

fn parse_select(text: &str) -> PyResult<SelectPolicy> {
    match text {
        "Max" => Ok(SelectPolicy::Max),
        "Min" => Ok(SelectPolicy::Min),
        "Disabled" => Ok(SelectPolicy::Disabled),
        _ => Err(value_error(format!(
            "select must be \"Max\", \"Min\" or \"Disabled\", got {text:?}"
        ))),
    }
}

fn select_name(s: SelectPolicy) -> &'static str {
    match s {
        SelectPolicy::Max => "Max",
        SelectPolicy::Min => "Min",
        SelectPolicy::Disabled => "Disabled",
    }
}

fn kind_name(k: PolicyKind) -> &'static str {
    match k {
        PolicyKind::Pods => "Pods",
        PolicyKind::Percent => "Percent",
    }
}

fn rules(
    py: Python<'_>,
    default: ScalingRules,
    stabilization_s: Option<Seconds>,
    select: Option<&str>,
    policies: Option<Vec<(String, u32, Seconds)>>,
) -> PyResult<ScalingRules> {
    let mut r = default;
    if let Some(s) = stabilization_s {
        r.stabilization = s.duration();
    }
    if let Some(s) = select {
        r.select = parse_select(s)?;
    }
    if let Some(list) = policies {
        r.policies.clear();
        for (kind, value, period) in list {
            let kind = match kind.as_str() {
                "Pods" => PolicyKind::Pods,
                "Percent" => PolicyKind::Percent,
                _ => {
                    return Err(value_error(format!(
                        "a rate policy kind is \"Pods\" or \"Percent\", got {kind:?}"
                    )));
                }
            };
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

fn policies_of(r: &ScalingRules) -> Vec<(&'static str, u32, f64)> {
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
/// Raises ``ScalingError`` 1213 for a window above 3600 s, a policy value below 1, a period
/// outside 1-1800 s, no policy in a direction that is not disabled, or more than 4 policies.
#[pyclass(frozen, eq, module = "fleetcore.hpa")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behavior {
    pub(crate) inner: hpa::Behavior,
}

#[pymethods]
impl Behavior {
    #[new]
    #[pyo3(signature = (
        *, scale_up_stabilization_s = None, scale_up_select = None, scale_up_policies = None,
        scale_down_stabilization_s = None, scale_down_select = None, scale_down_policies = None
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
    ) -> PyResult<Self> {
        let scale_up = rules(
            py,
            ScalingRules::default_up(),
            scale_up_stabilization_s,
            scale_up_select,
            scale_up_policies,
        )?;
        let scale_down = rules(
            py,
            ScalingRules::default_down(),
            scale_down_stabilization_s,
            scale_down_select,
            scale_down_policies,
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

    fn __repr__(&self) -> String {
        let fmt = |p: &[(&str, u32, f64)]| {
            let items: Vec<String> = p
                .iter()
                .map(|(k, v, s)| format!("({k:?}, {v}, {s})"))
                .collect();
            format!("[{}]", items.join(", "))
        };
        format!(
            "Behavior(scale_up_stabilization_s={}, scale_up_select={:?}, scale_up_policies={}, \
             scale_down_stabilization_s={}, scale_down_select={:?}, scale_down_policies={})",
            self.scale_up_stabilization_s(),
            self.scale_up_select(),
            fmt(&self.scale_up_policies()),
            self.scale_down_stabilization_s(),
            self.scale_down_select(),
            fmt(&self.scale_down_policies()),
        )
    }
}

/// The HPA's memory between calls: past recommendations (stabilisation) and scale events
/// (rate policies), 64 of each.
#[pyclass(module = "fleetcore.hpa")]
pub struct Autoscaler {
    inner: hpa::Autoscaler,
    /// The behaviour, or ``None`` for the legacy rules (300 s scale-down stabilisation,
    /// scale-up to at most ``max(2 × current, 4)``).
    behavior: Option<Behavior>,
}

#[pymethods]
impl Autoscaler {
    #[new]
    #[pyo3(signature = (behavior = None))]
    fn new(behavior: Option<&Bound<'_, Behavior>>) -> Self {
        let behavior = behavior.map(|b| b.get().clone());
        Self {
            inner: hpa::Autoscaler::new(behavior.as_ref().map(|b| b.inner.clone())),
            behavior,
        }
    }

    /// The behaviour, or ``None`` for the legacy rules (300 s scale-down stabilisation,
    /// scale-up to at most ``max(2 × current, 4)``).
    #[getter]
    fn behavior(&self) -> Option<Behavior> {
        self.behavior.clone()
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

    fn __repr__(&self) -> String {
        match &self.behavior {
            None => "Autoscaler(behavior=None)".to_owned(),
            Some(b) => format!("Autoscaler(behavior={})", b.__repr__()),
        }
    }
}
