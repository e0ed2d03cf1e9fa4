//! Pod-level inputs as upstream's replica calculator takes them (`replica_calculator.go`:
//! `groupPods`, `calculateRequests`): each pod's phase, `Ready` condition, start time, deletion
//! mark, metric sample and request, grouped into ready / unready / missing / ignored pods
//! before the calculation of [`super::replicas`] runs.
//!
//! Nothing here allocates: the calculations walk the caller's slice of [`Pod`]s, and
//! [`group_pods`] reports the groups in a [`PodGroups`] of a capacity the caller chooses.

use super::MemberMetric;
use super::replicas::ResourcePod;
use crate::scaling::ScalingError;
use crate::scaling::alarm::Value;
use crate::time::{Duration, Instant};

/// `PodPhase` (`status.phase`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PodPhase {
    /// `Pending`: accepted but not running; upstream counts it unready.
    Pending,
    /// `Running`.
    Running,
    /// `Succeeded`: grouped as any non-pending, non-failed pod is.
    Succeeded,
    /// `Failed`: ignored.
    Failed,
    /// `Unknown`: grouped as `Running` is (upstream tests only `Pending` and `Failed`).
    Unknown,
}

impl PodPhase {
    /// The phase as Kubernetes writes it (`"Running"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Running => "Running",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
            Self::Unknown => "Unknown",
        }
    }

    /// The phase named as Kubernetes writes it, `None` for another name.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Running,
            Self::Succeeded,
            Self::Failed,
            Self::Unknown,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }
}

/// The pod's `Ready` condition (`status.conditions[type=Ready]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ReadyCondition {
    /// `status`: `True` or `False`.
    pub status: bool,
    /// `lastTransitionTime`.
    pub last_transition: Instant,
}

/// One metric sample of a pod (`PodMetric`: the metrics API's value, `timestamp` and
/// `window`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PodSample {
    /// The usage (summed over the pod's containers, or the one container of a
    /// `ContainerResource` metric), or the `Pods` metric's value.
    pub value: Value,
    /// When the sample was taken (the end of its window).
    pub timestamp: Instant,
    /// How long the sample averages over.
    pub window: Duration,
}

/// One pod of the scale target as upstream's pod lister and metrics client see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pod {
    /// `status.phase`.
    pub phase: PodPhase,
    /// The `Ready` condition, `None` when the pod has none.
    pub ready: Option<ReadyCondition>,
    /// `status.startTime`, `None` before the kubelet set it.
    pub start_time: Option<Instant>,
    /// Whether `metadata.deletionTimestamp` is set.
    pub deleted: bool,
    /// The metric sample, `None` when the metrics API returned none for this pod.
    pub sample: Option<PodSample>,
    /// The pod's request for the resource (`calculateRequests`: the sum over its containers,
    /// or the named container's for a `ContainerResource` metric); unused by `Pods` metrics.
    pub request: Value,
}

/// The group `groupPods` puts a pod in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PodGroup {
    /// Counted with its sample.
    Ready,
    /// Pending, or (for CPU) not ready or warming up: 0 on a scale-up, left out otherwise.
    Unready,
    /// Running without a sample: filled in on the second pass.
    Missing,
    /// Being deleted or failed: left out of every pass.
    Ignored,
}

/// The controller's readiness settings for CPU metrics (flags of `kube-controller-manager`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Readiness {
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min): while a pod is this
    /// young, a CPU sample counts only if the pod is ready and the sample was taken a whole
    /// window after the pod became ready.
    pub cpu_initialization_period: Duration,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s): after the initialization
    /// period, a pod that is not ready and whose `Ready` condition last changed within this
    /// delay of its start has never been ready, and is unready.
    pub initial_readiness_delay: Duration,
}

impl Readiness {
    /// Upstream's production settings: 5 min and 30 s.
    pub const DEFAULT: Self = Self {
        cpu_initialization_period: Duration::from_mins(5),
        initial_readiness_delay: Duration::from_secs(30),
    };
}

impl Default for Readiness {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Pod {
    /// The group `groupPods` puts this pod in at `now`; `cpu` for a `Resource` or
    /// `ContainerResource` metric of the `cpu` resource, where readiness and warm-up count:
    ///
    /// - deleted or `Failed`: ignored; `Pending`: unready; no sample: missing;
    /// - CPU without a `Ready` condition or a start time: unready;
    /// - CPU within the initialization period after the start: unready if not ready, or if
    ///   the sample was taken before one window had passed since the last transition;
    /// - CPU after it: unready if not ready and the last transition came within the initial
    ///   readiness delay of the start (it has never been ready);
    /// - otherwise ready.
    pub fn group(&self, now: Instant, cpu: bool, readiness: &Readiness) -> PodGroup {
        if self.deleted || self.phase == PodPhase::Failed {
            return PodGroup::Ignored;
        }
        if self.phase == PodPhase::Pending {
            return PodGroup::Unready;
        }
        let Some(sample) = self.sample else {
            return PodGroup::Missing;
        };
        if !cpu {
            return PodGroup::Ready;
        }
        let (Some(cond), Some(start)) = (self.ready, self.start_time) else {
            return PodGroup::Unready;
        };
        let unready = if start.saturating_add(readiness.cpu_initialization_period) > now {
            !cond.status || sample.timestamp < cond.last_transition.saturating_add(sample.window)
        } else {
            !cond.status
                && start.saturating_add(readiness.initial_readiness_delay) > cond.last_transition
        };
        if unready {
            PodGroup::Unready
        } else {
            PodGroup::Ready
        }
    }

    /// The pod as the calculation counts it in `group`: `None` when ignored.
    pub(crate) fn counted(&self, group: PodGroup) -> Option<ResourcePod> {
        let metric = match (group, self.sample) {
            (PodGroup::Ready, Some(s)) => MemberMetric::Ready(s.value),
            (PodGroup::Ready | PodGroup::Missing, _) => MemberMetric::Missing,
            (PodGroup::Unready, _) => MemberMetric::Unready,
            (PodGroup::Ignored, _) => return None,
        };
        Some(ResourcePod {
            metric,
            request: self.request,
        })
    }
}

/// The pods a calculation counts, grouped at `now`: an iterator the replica calculation can
/// walk twice without a buffer.
pub(crate) fn counted<'a>(
    pods: &'a [Pod],
    now: Instant,
    cpu: bool,
    readiness: &'a Readiness,
) -> impl Iterator<Item = ResourcePod> + Clone + 'a {
    pods.iter()
        .filter_map(move |p| p.counted(p.group(now, cpu, readiness)))
}

/// What `groupPods` returns: the number of ready pods and the positions (in the slice given
/// to [`group_pods`]) of the unready, missing and ignored ones. `N` bounds each list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodGroups<const N: usize> {
    /// `readyPodCount`.
    pub ready: usize,
    /// `unreadyPods`.
    pub unready: heapless::Vec<usize, N>,
    /// `missingPods`.
    pub missing: heapless::Vec<usize, N>,
    /// `ignoredPods`.
    pub ignored: heapless::Vec<usize, N>,
}

/// `groupPods`: every pod's [`Pod::group`] at `now`, gathered as upstream returns them.
///
/// # Errors
/// [`ScalingError::InvalidTargetTracking`] when `pods` holds more than `N` pods.
pub fn group_pods<const N: usize>(
    pods: &[Pod],
    now: Instant,
    cpu: bool,
    readiness: &Readiness,
) -> Result<PodGroups<N>, ScalingError> {
    if pods.len() > N {
        return Err(ScalingError::InvalidTargetTracking);
    }
    let mut g = PodGroups::<N>::default();
    for (i, p) in pods.iter().enumerate() {
        let list = match p.group(now, cpu, readiness) {
            PodGroup::Ready => {
                g.ready = g.ready.saturating_add(1);
                continue;
            }
            PodGroup::Unready => &mut g.unready,
            PodGroup::Missing => &mut g.missing,
            PodGroup::Ignored => &mut g.ignored,
        };
        list.push(i)
            .map_err(|_| ScalingError::InvalidTargetTracking)?;
    }
    Ok(g)
}
