//! The controller's memory and its normalisation (`horizontal.go`): stabilisation, rate limits,
//! the legacy scale-up limit, several metrics per HPA, and the conditions upstream reports.

use super::behavior::{Behavior, DEFAULT_DOWN_WINDOW, DEFAULT_POLICIES, PolicyKind};
use super::behavior::{ScalingRules, SelectPolicy};
use super::pods::{self, Pod, Readiness};
use super::replicas::{
    ObjectTarget, ResourcePod, Tolerances, average_replicas, object_replicas,
    pods_average_replicas, resource_utilization_replicas, utilization_replicas,
};
use super::{HISTORY, MemberMetric};
use crate::scaling::ScalingError;
use crate::scaling::alarm::Value;
use crate::time::{Duration, Instant};

/// The settings of the controller itself (flags of `kube-controller-manager` and constants of
/// `horizontal.go`), the same for every HPA it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Controller {
    /// `--horizontal-pod-autoscaler-tolerance`: both tolerances unless a behaviour sets its
    /// own (0.1).
    pub tolerance: Value,
    /// `scaleUpLimitFactor`: without a behaviour a scale-up reaches at most
    /// `max(factor × current, minimum)` (2).
    pub scale_up_limit_factor: Value,
    /// `scaleUpLimitMinimum` (4).
    pub scale_up_limit_minimum: u32,
    /// `--horizontal-pod-autoscaler-downscale-stabilization`: the scale-down window without a
    /// behaviour (300 s).
    pub downscale_stabilization: Duration,
}

impl Controller {
    /// Upstream's production settings.
    pub const DEFAULT: Self = Self {
        tolerance: Value::from_milli(100),
        scale_up_limit_factor: Value::from_milli(2000),
        scale_up_limit_minimum: 4,
        downscale_stabilization: DEFAULT_DOWN_WINDOW,
    };

    /// Checks that the tolerance and the factor are not negative.
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        if self.tolerance.milli() < 0 || self.scale_up_limit_factor.milli() < 0 {
            return Err(ScalingError::InvalidBehavior);
        }
        Ok(())
    }

    /// `calculateScaleUpLimit`: `max(factor × current, minimum)`, truncated as upstream's
    /// `int32(…)` truncates.
    pub fn scale_up_limit(&self, current: u32) -> u32 {
        let scaled = i128::from(self.scale_up_limit_factor.milli())
            .saturating_mul(i128::from(current))
            .checked_div(1000)
            .unwrap_or(0);
        u32::try_from(scaled.max(0))
            .unwrap_or(u32::MAX)
            .max(self.scale_up_limit_minimum)
    }
}

impl Default for Controller {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The reason of a condition, spelled as upstream spells it ([`Reason::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Reason {
    /// `AbleToScale`: the controller could read the target's scale.
    SucceededGetScale,
    /// `AbleToScale`: it set a new count.
    SucceededRescale,
    /// `AbleToScale`: the recommendation is applied as it is.
    ReadyForNewScale,
    /// `AbleToScale`: a lower recent recommendation held a scale-up back.
    ScaleUpStabilized,
    /// `AbleToScale`: a higher recent recommendation held a scale-down back.
    ScaleDownStabilized,
    /// `ScalingActive`: at least one metric gave a count.
    ValidMetricFound,
    /// `ScalingActive` false: the target has 0 replicas and `minReplicas` is above 0.
    ScalingDisabled,
    /// `ScalingActive` false: a `Resource` metric failed.
    FailedGetResourceMetric,
    /// `ScalingActive` false: a `ContainerResource` metric failed.
    FailedGetContainerResourceMetric,
    /// `ScalingActive` false: a `Pods` metric failed.
    FailedGetPodsMetric,
    /// `ScalingActive` false: an `Object` metric failed.
    FailedGetObjectMetric,
    /// `ScalingActive` false: an `External` metric failed.
    FailedGetExternalMetric,
    /// `ScalingLimited` false: the count is applied as recommended.
    DesiredWithinRange,
    /// `ScalingLimited`: the scale-up limit (legacy factor or rate policies) held it back.
    ScaleUpLimit,
    /// `ScalingLimited`: the scale-down rate policies held it back.
    ScaleDownLimit,
    /// `ScalingLimited`: `maxReplicas` held it back.
    TooManyReplicas,
    /// `ScalingLimited`: `minReplicas` held it back.
    TooFewReplicas,
}

impl Reason {
    /// The reason as upstream writes it (`"ScaleDownStabilized"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SucceededGetScale => "SucceededGetScale",
            Self::SucceededRescale => "SucceededRescale",
            Self::ReadyForNewScale => "ReadyForNewScale",
            Self::ScaleUpStabilized => "ScaleUpStabilized",
            Self::ScaleDownStabilized => "ScaleDownStabilized",
            Self::ValidMetricFound => "ValidMetricFound",
            Self::ScalingDisabled => "ScalingDisabled",
            Self::FailedGetResourceMetric => "FailedGetResourceMetric",
            Self::FailedGetContainerResourceMetric => "FailedGetContainerResourceMetric",
            Self::FailedGetPodsMetric => "FailedGetPodsMetric",
            Self::FailedGetObjectMetric => "FailedGetObjectMetric",
            Self::FailedGetExternalMetric => "FailedGetExternalMetric",
            Self::DesiredWithinRange => "DesiredWithinRange",
            Self::ScaleUpLimit => "ScaleUpLimit",
            Self::ScaleDownLimit => "ScaleDownLimit",
            Self::TooManyReplicas => "TooManyReplicas",
            Self::TooFewReplicas => "TooFewReplicas",
        }
    }

    /// The message upstream writes with the reason (without the metric's name or the count
    /// that some of upstream's messages add).
    pub const fn message(self) -> &'static str {
        match self {
            Self::SucceededGetScale => {
                "the HPA controller was able to get the target's current scale"
            }
            Self::SucceededRescale => "the HPA controller was able to update the target scale",
            Self::ReadyForNewScale => "recommended size matches current size",
            Self::ScaleUpStabilized => {
                "recent recommendations were lower than current one, applying the lowest recent \
                 recommendation"
            }
            Self::ScaleDownStabilized => {
                "recent recommendations were higher than current one, applying the highest recent \
                 recommendation"
            }
            Self::ValidMetricFound => "the HPA was able to successfully calculate a replica count",
            Self::ScalingDisabled => {
                "scaling is disabled since the replica count of the target is zero"
            }
            Self::FailedGetResourceMetric
            | Self::FailedGetContainerResourceMetric
            | Self::FailedGetPodsMetric
            | Self::FailedGetObjectMetric
            | Self::FailedGetExternalMetric => {
                "the HPA was unable to compute the replica count: did not receive metrics"
            }
            Self::DesiredWithinRange => "the desired count is within the acceptable range",
            Self::ScaleUpLimit => {
                "the desired replica count is increasing faster than the maximum scale rate"
            }
            Self::ScaleDownLimit => {
                "the desired replica count is decreasing faster than the maximum scale rate"
            }
            Self::TooManyReplicas => {
                "the desired replica count is more than the maximum replica count"
            }
            Self::TooFewReplicas => {
                "the desired replica count is less than the minimum replica count"
            }
        }
    }
}

/// One condition: its status (`True` / `False`) and reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Condition {
    /// `status`: `True` or `False`.
    pub status: bool,
    /// `reason`.
    pub reason: Reason,
}

/// The conditions an HPA's status carries, as the last run left them (`None` before a run set
/// one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Conditions {
    /// `AbleToScale`.
    pub able_to_scale: Option<Condition>,
    /// `ScalingActive`.
    pub scaling_active: Option<Condition>,
    /// `ScalingLimited`.
    pub scaling_limited: Option<Condition>,
}

fn cond(status: bool, reason: Reason) -> Condition {
    Condition { status, reason }
}

/// What a `Resource` or `ContainerResource` metric targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ResourceTarget {
    /// `Utilization`: whole percent of the pods' requests.
    Utilization(u32),
    /// `AverageValue`: an amount per pod.
    AverageValue(Value),
}

/// What a metric over pod-level inputs ([`Metric::PodLevel`]) measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PodSource {
    /// `Resource`; `cpu` for the `cpu` resource, where readiness and warm-up count
    /// (`groupPods`).
    Resource {
        /// Whether the resource is `cpu`.
        cpu: bool,
    },
    /// `ContainerResource`: each pod's sample and request are the named container's.
    ContainerResource {
        /// Whether the resource is `cpu`.
        cpu: bool,
    },
    /// `Pods`: a value per pod, against an `AverageValue` target.
    Pods,
}

vocabulary! {
    /// `MetricSourceType` (upstream `autoscaling/v2`; Kubernetes' spelling is canonical): what
    /// a [`Metric`] or [`PodSource`] measures, and the `type` Python's metrics read and show.
    /// No C enum (C has no HPA metrics list).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum MetricSourceType: "metric source type" {
        /// `Resource`.
        Resource = 0 => "Resource",
        /// `ContainerResource`.
        ContainerResource = 1 => "ContainerResource",
        /// `Pods`.
        Pods = 2 => "Pods",
        /// `Object`.
        Object = 3 => "Object",
        /// `External`.
        External = 4 => "External",
    }
}

impl PodSource {
    /// The metric's `type`.
    pub const fn source_type(self) -> MetricSourceType {
        match self {
            Self::Resource { .. } => MetricSourceType::Resource,
            Self::ContainerResource { .. } => MetricSourceType::ContainerResource,
            Self::Pods => MetricSourceType::Pods,
        }
    }
}

/// One metric of an HPA's `metrics` list with what was observed for it this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric<'a> {
    /// `Resource`: the pods' usage and requests.
    Resource {
        /// The pods (failed and deleted pods left out).
        pods: &'a [ResourcePod],
        /// The target.
        target: ResourceTarget,
    },
    /// `ContainerResource`: as `Resource`, for one container of each pod.
    ContainerResource {
        /// The pods, with the container's usage and request.
        pods: &'a [ResourcePod],
        /// The target.
        target: ResourceTarget,
    },
    /// `Pods`: a value per pod against an `AverageValue` target.
    Pods {
        /// The pods.
        pods: &'a [MemberMetric],
        /// The target per pod.
        target: Value,
    },
    /// `Object`: one object's value, `None` when it could not be read.
    Object {
        /// The value.
        value: Option<Value>,
        /// The target.
        target: ObjectTarget,
    },
    /// `External`: the sum of the metric's series, `None` when it could not be read.
    External {
        /// The value.
        value: Option<Value>,
        /// The target.
        target: ObjectTarget,
    },
    /// `Resource`, `ContainerResource` or `Pods` over pod-level inputs, grouped at the run's
    /// time as upstream's `groupPods` groups them ([`Pod::group`]): failed and deleted pods
    /// ignored, the rest ready, unready or missing. A `Pods` metric takes an `AverageValue`
    /// target only.
    PodLevel {
        /// What the metric measures.
        source: PodSource,
        /// Every pod the HPA's selector matches, with its sample and request.
        pods: &'a [Pod],
        /// The target.
        target: ResourceTarget,
        /// The controller's readiness settings ([`Readiness::DEFAULT`] in production).
        readiness: Readiness,
    },
}

impl Metric<'_> {
    /// The metric's `type`.
    pub const fn source_type(&self) -> MetricSourceType {
        match self {
            Self::Resource { .. } => MetricSourceType::Resource,
            Self::ContainerResource { .. } => MetricSourceType::ContainerResource,
            Self::Pods { .. } => MetricSourceType::Pods,
            Self::Object { .. } => MetricSourceType::Object,
            Self::External { .. } => MetricSourceType::External,
            Self::PodLevel { source, .. } => source.source_type(),
        }
    }

    fn failure(&self) -> Reason {
        match self {
            Self::Resource { .. } => Reason::FailedGetResourceMetric,
            Self::ContainerResource { .. } => Reason::FailedGetContainerResourceMetric,
            Self::Pods { .. } => Reason::FailedGetPodsMetric,
            Self::Object { .. } => Reason::FailedGetObjectMetric,
            Self::External { .. } => Reason::FailedGetExternalMetric,
            Self::PodLevel { source, .. } => match source {
                PodSource::Resource { .. } => Reason::FailedGetResourceMetric,
                PodSource::ContainerResource { .. } => Reason::FailedGetContainerResourceMetric,
                PodSource::Pods => Reason::FailedGetPodsMetric,
            },
        }
    }

    /// `computeReplicasForMetric`: this metric's proposal, `None` when it fails.
    fn proposal(
        &self,
        now: Instant,
        scale: &Scale,
        tol: &Tolerances,
    ) -> Result<Option<u32>, ScalingError> {
        match *self {
            Self::PodLevel {
                source,
                pods,
                target,
                readiness,
            } => {
                let cpu = match source {
                    PodSource::Resource { cpu } | PodSource::ContainerResource { cpu } => cpu,
                    PodSource::Pods => false,
                };
                let counted = pods::counted(pods, now, cpu, &readiness);
                match (source, target) {
                    (PodSource::Pods, ResourceTarget::Utilization(_)) => {
                        Err(ScalingError::InvalidTargetTracking)
                    }
                    (_, ResourceTarget::Utilization(p)) => {
                        let target = Value::from_int(i64::from(p));
                        utilization_replicas(scale.current, counted, target, tol)
                    }
                    (_, ResourceTarget::AverageValue(v)) => {
                        average_replicas(scale.current, counted.map(|p| p.metric), v, tol)
                    }
                }
            }
            Self::Resource { pods, target } | Self::ContainerResource { pods, target } => {
                match target {
                    ResourceTarget::Utilization(p) => {
                        resource_utilization_replicas(scale.current, pods, p, tol)
                    }
                    ResourceTarget::AverageValue(v) => {
                        let mut metrics: heapless::Vec<MemberMetric, MAX_PODS> =
                            heapless::Vec::new();
                        for p in pods {
                            metrics
                                .push(p.metric)
                                .map_err(|_| ScalingError::InvalidTargetTracking)?;
                        }
                        pods_average_replicas(scale.current, &metrics, v, tol)
                    }
                }
            }
            Self::Pods { pods, target } => pods_average_replicas(scale.current, pods, target, tol),
            Self::Object { value, target } | Self::External { value, target } => {
                let Some(v) = value else {
                    // A bad target is still an error when the value is missing.
                    return object_replicas(0, 0, 0, Value::ZERO, target, tol).map(|_| None);
                };
                object_replicas(
                    scale.current,
                    scale.status_replicas,
                    scale.ready_pods,
                    v,
                    target,
                    tol,
                )
                .map(Some)
            }
        }
    }
}

/// One entry of upstream's `scaleUpEvents` or `scaleDownEvents` (`timestampedScaleEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ScaleEvent {
    /// `timestamp`: when the change was made.
    pub at: Instant,
    /// `replicaChange`: how many replicas were added (up) or removed (down).
    pub replica_change: u32,
    /// `outdated`: older than the direction's longest policy period when a later event was
    /// stored; its slot may be reused by a later event.
    pub outdated: bool,
}

/// One entry of upstream's `recommendations` (`timestampedRecommendation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Recommendation {
    /// `timestamp`.
    pub at: Instant,
    /// `recommendation`: the replica count the metrics proposed.
    pub replicas: u32,
}

/// Most pods a `Resource` metric with an `AverageValue` target takes in one run (its values
/// are copied into a fixed buffer on the stack).
pub const MAX_PODS: usize = 256;

/// What the controller reads of the scale target before a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Scale {
    /// `spec.replicas`: the count to change (`currentReplicas`).
    pub current: u32,
    /// `status.replicas`: the pods that exist (`AverageValue` targets of `Object` and
    /// `External` metrics divide by it).
    pub status_replicas: u32,
    /// Running and Ready pods (`Value` targets of `Object` and `External` metrics multiply by
    /// it).
    pub ready_pods: u32,
    /// `minReplicas`.
    pub min: u32,
    /// `maxReplicas`.
    pub max: u32,
}

/// The memory of one autoscaler: past recommendations (for stabilisation) and scale events
/// (for rate policies), bounded to [`HISTORY`] entries each, oldest dropped first; the
/// controller's settings; and the conditions of the last run. `P` is the most rate policies
/// per direction of its behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Autoscaler<const P: usize = DEFAULT_POLICIES> {
    behavior: Option<Behavior<P>>,
    controller: Controller,
    recommendations: heapless::Deque<(Instant, u32), HISTORY>,
    events: heapless::Deque<(Instant, i64), HISTORY>,
    conditions: Conditions,
}

impl Autoscaler {
    /// An autoscaler with `behavior` (of at most [`DEFAULT_POLICIES`] policies per direction,
    /// as a group keeps it), or the legacy defaults when `None`, and upstream's production
    /// controller settings. [`Autoscaler::with_behavior`] takes a behaviour of any capacity.
    pub fn new(behavior: Option<Behavior>) -> Self {
        Self::with_behavior(behavior)
    }
}

impl<const P: usize> Autoscaler<P> {
    /// An autoscaler with `behavior`, or the legacy defaults when `None`, and upstream's
    /// production controller settings.
    pub fn with_behavior(behavior: Option<Behavior<P>>) -> Self {
        Self {
            behavior,
            controller: Controller::DEFAULT,
            recommendations: heapless::Deque::new(),
            events: heapless::Deque::new(),
            conditions: Conditions::default(),
        }
    }

    /// An autoscaler with controller settings of its own.
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`] for a negative tolerance or factor, or a behaviour out
    /// of range.
    pub fn with_controller(
        behavior: Option<Behavior<P>>,
        controller: Controller,
    ) -> Result<Self, ScalingError> {
        controller.validate()?;
        if let Some(b) = &behavior {
            b.validate()?;
        }
        let mut a = Self::with_behavior(behavior);
        a.controller = controller;
        Ok(a)
    }

    /// The behaviour, `None` for the legacy rules.
    pub fn behavior(&self) -> Option<&Behavior<P>> {
        self.behavior.as_ref()
    }

    /// The controller's settings.
    pub fn controller(&self) -> &Controller {
        &self.controller
    }

    /// The conditions the last run left.
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
    }

    /// The recommendations remembered for stabilisation, oldest first: when and how many.
    pub fn recommendations(&self) -> impl Iterator<Item = (Instant, u32)> + '_ {
        self.recommendations.iter().copied()
    }

    /// The scale events remembered for rate policies, oldest first: when and the change.
    pub fn scale_events(&self) -> impl Iterator<Item = (Instant, i64)> + '_ {
        self.events.iter().copied()
    }

    /// Upstream's `scaleUpEvents` (`up`) or `scaleDownEvents` for this HPA, in upstream's
    /// order, as `storeScaleEvent` leaves them after the events remembered here: before each
    /// event is stored, the earlier ones older than the direction's longest policy period
    /// (`getLongestPolicyPeriod`) are marked outdated, and the new event takes the last
    /// outdated slot, else goes last. Without a behaviour upstream stores no event, and the
    /// list is empty. Built from the last [`HISTORY`] events of both directions.
    pub fn scale_event_log(&self, up: bool) -> heapless::Vec<ScaleEvent, HISTORY> {
        let mut log: heapless::Vec<ScaleEvent, HISTORY> = heapless::Vec::new();
        let Some(b) = &self.behavior else {
            return log;
        };
        let rules = if up { &b.scale_up } else { &b.scale_down };
        let longest = rules
            .policies
            .iter()
            .map(|p| p.period)
            .max()
            .unwrap_or(Duration::ZERO);
        for &(at, change) in &self.events {
            if (change > 0) != up {
                continue;
            }
            let cutoff = at.saturating_sub(longest);
            for e in &mut log {
                if e.at < cutoff {
                    e.outdated = true;
                }
            }
            let event = ScaleEvent {
                at,
                replica_change: u32::try_from(change.unsigned_abs()).unwrap_or(u32::MAX),
                outdated: false,
            };
            if let Some(slot) = log.iter_mut().rev().find(|e| e.outdated) {
                *slot = event;
            } else {
                let _ = log.push(event);
            }
        }
        log
    }

    /// Upstream's `recommendations` for this HPA, in upstream's order, as the stabilisation
    /// leaves them after the recommendations remembered here: each new one takes the slot of
    /// the last one older than the longest stabilisation window (the behaviour's two, or the
    /// controller's downscale window without one), else goes last.
    pub fn recommendation_log(&self) -> heapless::Vec<Recommendation, HISTORY> {
        let window = self
            .behavior
            .as_ref()
            .map_or(self.controller.downscale_stabilization, |b| {
                b.scale_up.stabilization.max(b.scale_down.stabilization)
            });
        let mut log: heapless::Vec<Recommendation, HISTORY> = heapless::Vec::new();
        for &(at, replicas) in &self.recommendations {
            let cutoff = at.saturating_sub(window);
            let rec = Recommendation { at, replicas };
            if let Some(slot) = log.iter_mut().rev().find(|r| r.at < cutoff) {
                *slot = rec;
            } else {
                let _ = log.push(rec);
            }
        }
        log
    }

    /// Remembers a scale event made elsewhere (`storeScaleEvent`): `change` replicas added
    /// (positive) or removed (negative) at `at`, counted by the rate policies from then on.
    /// The oldest event goes when [`HISTORY`] are kept; a change of 0 is not an event.
    pub fn record_scale_event(&mut self, at: Instant, change: i64) {
        if change == 0 {
            return;
        }
        if self.events.is_full() {
            self.events.pop_front();
        }
        let _ = self.events.push_back((at, change));
    }

    /// Remembers a recommendation made elsewhere (upstream's `recommendations`), counted by
    /// stabilisation from then on.
    pub fn record_recommendation(&mut self, at: Instant, replicas: u32) {
        self.remember(at, replicas);
    }

    /// `tolerancesForHpa`: the behaviour's tolerance per direction, else the controller's.
    pub fn tolerances(&self) -> Tolerances {
        let default = self.controller.tolerance;
        let of = |r: Option<&ScalingRules<P>>| r.and_then(|r| r.tolerance).unwrap_or(default);
        Tolerances {
            scale_down: of(self.behavior.as_ref().map(|b| &b.scale_down)),
            scale_up: of(self.behavior.as_ref().map(|b| &b.scale_up)),
        }
    }

    /// One run of `reconcileAutoscaler` over several metrics: the count to set at `now` (the
    /// current one when nothing changes).
    ///
    /// - Current 0 with `minReplicas` above 0: autoscaling is disabled (`ScalingActive` false,
    ///   `ScalingDisabled`), nothing changes.
    /// - Current above max or below min: the bound, without a calculation (the change is
    ///   remembered as a scale event, as upstream's `storeScaleEvent` stores it).
    /// - Otherwise each metric proposes a count (`computeReplicasForMetrics`); the largest
    ///   wins. A failing metric blocks a scale-down but not a scale-up; when every metric
    ///   fails nothing changes (`ScalingActive` false with the first failure's reason).
    ///   Then [`Autoscaler::normalize`].
    ///
    /// # Errors
    /// [`ScalingError::InvalidTargetTracking`] for a target that is not positive;
    /// [`ScalingError::InvalidBehavior`] for `max` below `min`. Nothing is recorded then.
    pub fn reconcile(
        &mut self,
        now: Instant,
        scale: &Scale,
        metrics: &[Metric<'_>],
    ) -> Result<u32, ScalingError> {
        if scale.max < scale.min {
            return Err(ScalingError::InvalidBehavior);
        }
        let tol = self.tolerances();
        let mut proposals: heapless::Vec<Option<u32>, MAX_METRICS> = heapless::Vec::new();
        for m in metrics {
            proposals
                .push(m.proposal(now, scale, &tol)?)
                .map_err(|_| ScalingError::InvalidTargetTracking)?;
        }
        self.conditions.able_to_scale = Some(cond(true, Reason::SucceededGetScale));
        let current = scale.current;
        if current == 0 && scale.min != 0 {
            self.conditions.scaling_active = Some(cond(false, Reason::ScalingDisabled));
            return Ok(current);
        }
        let desired = if current > scale.max || current < scale.min {
            // Upstream's rescale to the bound stores its scale event too (`storeScaleEvent`),
            // without a recommendation.
            let bound = current.clamp(scale.min, scale.max);
            let change = i64::from(bound).saturating_sub(i64::from(current));
            self.record_scale_event(now, change);
            bound
        } else {
            let (mut replicas, mut first_failure, mut failed) = (0u32, None, 0usize);
            for (m, p) in metrics.iter().zip(&proposals) {
                if let Some(n) = p {
                    replicas = replicas.max(*n);
                } else {
                    failed = failed.saturating_add(1);
                    first_failure = first_failure.or(Some(m.failure()));
                }
            }
            if failed >= metrics.len() || (failed > 0 && replicas < current) {
                let reason = first_failure.unwrap_or(Reason::FailedGetResourceMetric);
                self.conditions.scaling_active = Some(cond(false, reason));
                return Ok(current);
            }
            self.conditions.scaling_active = Some(cond(true, Reason::ValidMetricFound));
            self.normalize(now, current, replicas, scale.min, scale.max)
        };
        if desired != current {
            self.conditions.able_to_scale = Some(cond(true, Reason::SucceededRescale));
        }
        Ok(desired)
    }

    /// The replica count to set at `now`, given the calculated `desired`, the `current` count
    /// and the bounds; records the recommendation and the resulting change, and sets the
    /// `AbleToScale` and `ScalingLimited` conditions.
    pub fn normalize(
        &mut self,
        now: Instant,
        current: u32,
        desired: u32,
        min: u32,
        max: u32,
    ) -> u32 {
        let result = match self.behavior.clone() {
            None => self.legacy(now, current, desired, min, max),
            Some(b) => self.normalize_with(now, &b, current, desired, min, max),
        };
        let change = i64::from(result).saturating_sub(i64::from(current));
        self.record_scale_event(now, change);
        result
    }

    fn remember(&mut self, now: Instant, desired: u32) {
        if self.recommendations.is_full() {
            self.recommendations.pop_front();
        }
        let _ = self.recommendations.push_back((now, desired));
    }

    /// Sets `ScalingLimited` from the stabilised and the limited counts.
    fn limited(&mut self, stabilized: u32, result: u32, reason: Reason) {
        self.conditions.scaling_limited = Some(cond(result != stabilized, reason));
    }

    /// `normalizeDesiredReplicas`: downscale stabilisation, then
    /// `convertDesiredReplicasWithRules` (max(factor × current, minimum), [min, max]).
    fn legacy(&mut self, now: Instant, current: u32, desired: u32, min: u32, max: u32) -> u32 {
        // Upstream keeps samples that are not before the cutoff (inclusive here, strict in the
        // behaviour path).
        let window = self.controller.downscale_stabilization;
        let stabilized = self
            .recommendations
            .iter()
            .filter(|(t, _)| now.saturating_duration_since(*t) <= window)
            .map(|(_, r)| *r)
            .fold(desired, u32::max);
        self.remember(now, desired);
        self.conditions.able_to_scale = if stabilized == desired {
            Some(cond(true, Reason::ReadyForNewScale))
        } else {
            Some(cond(true, Reason::ScaleDownStabilized))
        };
        let up_limit = self.controller.scale_up_limit(current);
        let max = max.max(min);
        let (allowed_max, over) = if max > up_limit {
            (up_limit, Reason::ScaleUpLimit)
        } else {
            (max, Reason::TooManyReplicas)
        };
        let (result, reason) = if stabilized < min {
            (min, Reason::TooFewReplicas)
        } else if stabilized > allowed_max {
            (allowed_max, over)
        } else {
            (stabilized, Reason::DesiredWithinRange)
        };
        // A factor under 1 could put the limit under min: the bounds still hold.
        let result = result.clamp(min, max);
        self.limited(stabilized, result, reason);
        result
    }

    /// `stabilizeRecommendationWithBehaviors` then `convertDesiredReplicasWithBehaviorRate`.
    fn normalize_with(
        &mut self,
        now: Instant,
        b: &Behavior<P>,
        current: u32,
        desired: u32,
        min: u32,
        max: u32,
    ) -> u32 {
        // "After the cutoff": younger than the window (ages, so times near the epoch work).
        let (mut up_rec, mut down_rec) = (desired, desired);
        for &(t, r) in &self.recommendations {
            let age = now.saturating_duration_since(t);
            if age < b.scale_up.stabilization {
                up_rec = up_rec.min(r);
            }
            if age < b.scale_down.stabilization {
                down_rec = down_rec.max(r);
            }
        }
        let mut rec = current;
        if rec < up_rec {
            rec = up_rec;
        }
        if rec > down_rec {
            rec = down_rec;
        }
        // Upstream names the direction of the recommendation, not the bound that applied.
        let stabilized_reason = if desired >= current {
            Reason::ScaleUpStabilized
        } else {
            Reason::ScaleDownStabilized
        };
        self.remember(now, desired);
        self.conditions.able_to_scale = if rec == desired {
            Some(cond(true, Reason::ReadyForNewScale))
        } else {
            Some(cond(true, stabilized_reason))
        };
        let max = max.max(min);
        let (limited, reason) = match rec.cmp(&current) {
            core::cmp::Ordering::Greater => {
                let limit = self.rate_limit(now, current, &b.scale_up, true);
                let (allowed, reason) = if max > limit {
                    (limit, Reason::ScaleUpLimit)
                } else {
                    (max, Reason::TooManyReplicas)
                };
                if rec > allowed {
                    (allowed, reason)
                } else {
                    (rec, Reason::DesiredWithinRange)
                }
            }
            core::cmp::Ordering::Less => {
                let limit = self.rate_limit(now, current, &b.scale_down, false);
                let (allowed, reason) = if min < limit {
                    (limit, Reason::ScaleDownLimit)
                } else {
                    (min, Reason::TooFewReplicas)
                };
                if rec < allowed {
                    (allowed, reason)
                } else {
                    (rec, Reason::DesiredWithinRange)
                }
            }
            core::cmp::Ordering::Equal => (rec, Reason::DesiredWithinRange),
        };
        let result = limited.clamp(min, max);
        self.limited(rec, result, reason);
        result
    }

    /// Changes made within `period` before `now`: (added, removed).
    fn changes_since(&self, now: Instant, period: Duration) -> (i64, i64) {
        self.events
            .iter()
            .filter(|(t, _)| now.saturating_duration_since(*t) < period)
            .fold((0, 0), |(add, del), (_, c)| {
                if *c > 0 {
                    (add.saturating_add(*c), del)
                } else {
                    (add, del.saturating_sub(*c))
                }
            })
    }

    /// `calculateScaleUpLimitWithScalingRules` (`up`) and
    /// `calculateScaleDownLimitWithBehaviors`: each policy's limit from the member count at the
    /// start of its period; `Max` picks the policy allowing the most change, `Min` the least.
    fn rate_limit(&self, now: Instant, current: u32, rules: &ScalingRules<P>, up: bool) -> u32 {
        if rules.select == SelectPolicy::Disabled {
            return current;
        }
        let most_change = rules.select != SelectPolicy::Min;
        let mut result: Option<i64> = None;
        for p in &rules.policies {
            let (added, removed) = self.changes_since(now, p.period);
            let start = i64::from(current)
                .saturating_sub(added)
                .saturating_add(removed);
            let value = i64::from(p.value);
            let proposed = match (p.kind, up) {
                (PolicyKind::Pods, true) => start.saturating_add(value),
                (PolicyKind::Pods, false) => start.saturating_sub(value),
                // ceil(start × (1 + value / 100))
                (PolicyKind::Percent, true) => start
                    .saturating_mul(100i64.saturating_add(value))
                    .saturating_add(99)
                    .checked_div(100)
                    .unwrap_or(0),
                // int(start × (1 − value / 100)), truncated as upstream does
                (PolicyKind::Percent, false) => start
                    .saturating_mul(100i64.saturating_sub(value))
                    .checked_div(100)
                    .unwrap_or(0),
            };
            // Up, the most change is the highest count; down, the lowest.
            let pick_higher = most_change == up;
            result = Some(match result {
                None => proposed,
                Some(r) if pick_higher => r.max(proposed),
                Some(r) => r.min(proposed),
            });
        }
        let limit = result.unwrap_or(i64::from(current));
        let limit = if up {
            limit.max(i64::from(current))
        } else {
            limit.min(i64::from(current))
        };
        u32::try_from(limit.max(0)).unwrap_or(u32::MAX)
    }
}

/// Most metrics one [`Autoscaler::reconcile`] takes.
pub const MAX_METRICS: usize = 16;
