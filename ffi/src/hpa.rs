//! The Kubernetes Horizontal Pod Autoscaler algorithm of the core (`fleetcore::scaling::hpa`)
//! on its own: the replica calculation (`fc_hpa_desired_replicas`, Python's
//! `fleetcore.hpa.desired_replicas`), behaviours (`fc_hpa_behavior`, Python's
//! `fleetcore.hpa.Behavior`) and the autoscaler that applies them over successive calls
//! (`fc_hpa_autoscaler`, Python's `fleetcore.hpa.Autoscaler`). A group runs the same algorithm
//! through a target-tracking policy (`fc_group_put_target_tracking`,
//! `fc_group_put_hpa_policy`).
//!
//! Metrics and targets are `int64_t` thousandths; arithmetic is exact integer arithmetic where
//! upstream uses `float64`.

use core::mem::{align_of, size_of};

use fleetcore::scaling::Value;
use fleetcore::scaling::hpa::{
    self, Autoscaler, Behavior, Controller, MemberMetric, MemberMetricState, PolicyKind,
    RatePolicy, ScalingRules, SelectPolicy,
};
use fleetcore::{Duration, Instant};

use crate::boundary::{Out, OutSlice, boundary, enum_value, input, input_slice};
use crate::status::fc_status;

/// Most rate policies per direction of an `fc_hpa_behavior`.
pub const FC_HPA_MAX_POLICIES: usize = 4;
/// Bytes of storage an `fc_hpa_autoscaler` takes (`sizeof(fc_hpa_autoscaler)`).
pub const FC_HPA_AUTOSCALER_SIZE: usize = 3072;

/// One member's metric for `fc_hpa_desired_replicas`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_member_metric {
    /// `FC_MEMBER_METRIC_STATE_*`.
    pub state: u32,
    /// The metric, thousandths (when ready).
    pub value_milli: i64,
}

/// `HPAScalingPolicy`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_rate_policy {
    /// `FC_HPA_POLICY_KIND_*`.
    pub kind: u32,
    /// The amount (at least 1).
    pub value: u32,
    /// `periodSeconds`, in milliseconds (1 s to 1800 s).
    pub period_ms: u64,
}

/// `HPAScalingRules` for one direction.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_rules {
    /// `stabilizationWindowSeconds`, in milliseconds (at most an hour).
    pub stabilization_ms: u64,
    /// `FC_HPA_SELECT_*`.
    pub select: u32,
    /// `policies`: the first `policy_count` count.
    pub policies: [fc_hpa_rate_policy; FC_HPA_MAX_POLICIES],
    /// Number of policies (1-4 unless `select` is disabled).
    pub policy_count: usize,
    /// `tolerance` (1.33), thousandths (100 is 0.1); -1 (the default): the controller's.
    pub tolerance_milli: i64,
}

/// `HorizontalPodAutoscalerBehavior`. Start from `fc_hpa_behavior_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_behavior {
    /// `scaleUp`.
    pub scale_up: fc_hpa_rules,
    /// `scaleDown`.
    pub scale_down: fc_hpa_rules,
}

impl fc_hpa_rules {
    fn from_core(r: &ScalingRules) -> Self {
        let mut policies = [fc_hpa_rate_policy {
            kind: 0,
            value: 0,
            period_ms: 0,
        }; FC_HPA_MAX_POLICIES];
        for (dst, p) in policies.iter_mut().zip(&r.policies) {
            *dst = fc_hpa_rate_policy {
                kind: p.kind.number(),
                value: p.value,
                period_ms: p.period.total_millis(),
            };
        }
        Self {
            stabilization_ms: r.stabilization.total_millis(),
            select: r.select.number(),
            policies,
            policy_count: r.policies.len(),
            tolerance_milli: r.tolerance.map_or(-1, Value::milli),
        }
    }

    fn to_core(self) -> Result<ScalingRules, fc_status> {
        let select = match self.select {
            0 => SelectPolicy::Max,
            1 => SelectPolicy::Min,
            2 => SelectPolicy::Disabled,
            _ => return Err(fc_status::InvalidEnumValue),
        };
        let list = self
            .policies
            .get(..self.policy_count)
            .ok_or(fc_status::InvalidBehavior)?;
        let mut policies = heapless::Vec::new();
        for p in list {
            let kind = match p.kind {
                0 => PolicyKind::Pods,
                1 => PolicyKind::Percent,
                _ => return Err(fc_status::InvalidEnumValue),
            };
            policies
                .push(RatePolicy {
                    kind,
                    value: p.value,
                    period: Duration::from_millis(p.period_ms),
                })
                .map_err(|_| fc_status::InvalidBehavior)?;
        }
        let rules = ScalingRules {
            stabilization: Duration::from_millis(self.stabilization_ms),
            select,
            policies,
            tolerance: match self.tolerance_milli {
                -1 => None,
                t => Some(Value::from_milli(t)),
            },
        };
        rules.validate()?;
        Ok(rules)
    }
}

impl fc_hpa_behavior {
    /// The core behaviour, after checking every field as upstream validation does.
    pub(crate) fn to_core(self) -> Result<Behavior, fc_status> {
        Ok(Behavior {
            scale_up: self.scale_up.to_core()?,
            scale_down: self.scale_down.to_core()?,
        })
    }
}

/// Fills `*out_behavior` with the upstream default behaviour: up, no window, the most of 4 pods or
/// 100 % per 15 s; down, a 300 s window, 100 % per 15 s. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_behavior_default(out_behavior: *mut fc_hpa_behavior) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_behavior`.
        let out = unsafe { Out::new(out_behavior) }?;
        let b = Behavior::default();
        out.write(fc_hpa_behavior {
            scale_up: fc_hpa_rules::from_core(&b.scale_up),
            scale_down: fc_hpa_rules::from_core(&b.scale_down),
        });
        Ok(())
    })
}

/// Checks `*behavior` as upstream validation does (windows up to 1 h; 1-4 policies unless
/// disabled, value 1+, period 1-1800 s). Errors: `FC_STATUS_INVALID_ENUM_VALUE`,
/// `ScalingError::InvalidBehavior`. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_behavior_check(behavior: *const fc_hpa_behavior) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `behavior`.
        unsafe { input(behavior) }?.to_core()?;
        Ok(())
    })
}

/// `replica_calculator.go` on `current` members' `n` `metrics` (percent of each one's capacity)
/// toward `target_milli` (percent, thousandths), truncated to whole percent; a missing member is
/// `max(100 %, target)` down, 0 up; `current` when nothing changes. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE`, `FC_STATUS_INVALID_ARGUMENT` (target not positive, `n` over
/// `FC_HPA_MAX_MEMBERS`). About 4 KiB of stack. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_desired_replicas(
    current: u32,
    metrics: *const fc_member_metric,
    n: usize,
    target_milli: i64,
    out_desired: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (metrics, out) = unsafe { (input_slice(metrics, n)?, Out::new(out_desired)?) };
        if target_milli <= 0 {
            return Err(fc_status::InvalidArgument);
        }
        // The core takes a slice of its own type: convert into a fixed array on the stack.
        let converted = metrics.iter().map(|m| {
            Ok::<_, fc_status>(match enum_value::<MemberMetricState>(m.state)? {
                MemberMetricState::Ready => MemberMetric::Ready(Value::from_milli(m.value_milli)),
                MemberMetricState::Unready => MemberMetric::Unready,
                MemberMetricState::Missing => MemberMetric::Missing,
            })
        });
        let mut all: [MemberMetric; MAX_MEMBERS] = [MemberMetric::Missing; MAX_MEMBERS];
        let mut count = 0usize;
        for m in converted {
            let slot = all.get_mut(count).ok_or(fc_status::InvalidArgument)?;
            *slot = m?;
            count = count.saturating_add(1);
        }
        let members = all.get(..count).unwrap_or(&[]);
        out.write(hpa::desired_replicas(
            current,
            members,
            Value::from_milli(target_milli),
        ));
        Ok(())
    })
}

/// Most members `fc_hpa_desired_replicas` takes in one call.
pub const FC_HPA_MAX_MEMBERS: usize = 256;
const MAX_MEMBERS: usize = FC_HPA_MAX_MEMBERS;

/// Caller-owned storage for an autoscaler: its behaviour and its memory (64 recommendations and
/// scale events). Opaque: initialise with `fc_hpa_autoscaler_init`. 8-byte aligned; no pointers.
#[repr(C, align(8))]
pub struct fc_hpa_autoscaler {
    _opaque: [u8; FC_HPA_AUTOSCALER_SIZE],
}

/// What actually lives in an `fc_hpa_autoscaler`: a tag, the core autoscaler, and the readiness
/// settings `fc_hpa_autoscaler_reconcile` groups pods with (controller flags upstream, so set
/// once with the controller).
#[repr(C)]
struct AutoscalerCell {
    magic: u64,
    autoscaler: Autoscaler,
    readiness: hpa::Readiness,
}

/// `"fchpa"` and a layout version (3: the readiness settings).
const MAGIC: u64 = u64::from_be_bytes(*b"fchpa\0\0\x03");

const _: () = assert!(size_of::<AutoscalerCell>() <= size_of::<fc_hpa_autoscaler>());
const _: () = assert!(align_of::<AutoscalerCell>() <= align_of::<fc_hpa_autoscaler>());
const _: () = assert!(size_of::<fc_hpa_autoscaler>() == FC_HPA_AUTOSCALER_SIZE);

/// The initialised autoscaler in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_hpa_autoscaler` that nothing else uses
/// during `'a`.
unsafe fn autoscaler_mut<'a>(p: *mut fc_hpa_autoscaler) -> Result<&'a mut Autoscaler, fc_status> {
    // SAFETY: this function's contract.
    unsafe { cell_mut(p) }.map(|c| &mut c.autoscaler)
}

/// The initialised cell in `p` (autoscaler and readiness), for a call that changes it.
///
/// # Safety
/// As [`autoscaler_mut`].
unsafe fn cell_mut<'a>(p: *mut fc_hpa_autoscaler) -> Result<&'a mut AutoscalerCell, fc_status> {
    // SAFETY: this function's contract covers the reads `checked` makes.
    let cell = unsafe { checked(p) }?.cast_mut();
    // SAFETY: `checked` found the tag `fc_hpa_autoscaler_init` writes together with a valid
    // autoscaler and readiness; the caller's contract gives this call exclusive use for 'a.
    Ok(unsafe { &mut *cell })
}

/// The initialised autoscaler in `p`, for a call that only reads it.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_hpa_autoscaler` that nothing changes during `'a`.
unsafe fn autoscaler_ref<'a>(p: *const fc_hpa_autoscaler) -> Result<&'a Autoscaler, fc_status> {
    // SAFETY: this function's contract covers the reads `checked` makes.
    let cell = unsafe { checked(p) }?;
    // SAFETY: as in `cell_mut`, tagged hence valid; the caller's contract keeps it unchanged
    // for 'a, and it is only read.
    Ok(unsafe { &(*cell).autoscaler })
}

/// `p` as a cell after checking it is not NULL, aligned and tagged by `fc_hpa_autoscaler_init`.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_hpa_autoscaler`.
unsafe fn checked(p: *const fc_hpa_autoscaler) -> Result<*const AutoscalerCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<AutoscalerCell>();
    // SAFETY: not NULL and aligned for the storage, hence for `AutoscalerCell` (asserted
    // above); readable by this function's contract; any bit pattern is a valid `u64`.
    let magic = unsafe { (&raw const (*cell).magic).read() };
    if magic != MAGIC {
        return Err(fc_status::Uninitialized);
    }
    Ok(cell)
}

/// Initialises `mem` as an autoscaler with `*behavior`, or the legacy rules when NULL (300 s down
/// window, up to max(2 x current, 4)). Errors: `FC_STATUS_INVALID_ENUM_VALUE`,
/// `ScalingError::InvalidBehavior`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_autoscaler_init(
    mem: *mut fc_hpa_autoscaler,
    behavior: *const fc_hpa_behavior,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `mem`; `AutoscalerCell` fits the storage.
        let out = unsafe { Out::new(mem.cast::<AutoscalerCell>()) }?;
        let behavior = if behavior.is_null() {
            None
        } else {
            // SAFETY: not NULL; the caller's contract for `behavior`.
            Some(unsafe { input(behavior) }?.to_core()?)
        };
        out.write(AutoscalerCell {
            magic: MAGIC,
            autoscaler: Autoscaler::new(behavior),
            readiness: hpa::Readiness::DEFAULT,
        });
        Ok(())
    })
}

/// The controller's own settings (`hpa::Controller`). Start from `fc_hpa_controller_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_controller {
    /// `--horizontal-pod-autoscaler-tolerance`, thousandths (100), unless the behaviour's.
    pub tolerance_milli: i64,
    /// `scaleUpLimitFactor`, thousandths (2000): legacy scale-up to max(factor x current, min).
    pub scale_up_limit_factor_milli: i64,
    /// `scaleUpLimitMinimum` (4).
    pub scale_up_limit_minimum: u32,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (legacy), in ms (300000).
    pub downscale_stabilization_ms: u64,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period`, in ms (300000).
    pub cpu_initialization_period_ms: u64,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay`, in ms (30000).
    pub initial_readiness_delay_ms: u64,
}

/// Fills `*out_controller` with upstream's production settings: tolerance 0.1, scale-up limit
/// factor 2 and minimum 4, a 300 s downscale window, readiness 5 min and 30 s. Thread-safe.
/// # Safety
/// `out_controller` is NULL or valid for writing an `fc_hpa_controller`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_controller_default(
    out_controller: *mut fc_hpa_controller,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_controller`.
        let out = unsafe { Out::new(out_controller) }?;
        let (c, r) = (Controller::DEFAULT, hpa::Readiness::DEFAULT);
        out.write(fc_hpa_controller {
            tolerance_milli: c.tolerance.milli(),
            scale_up_limit_factor_milli: c.scale_up_limit_factor.milli(),
            scale_up_limit_minimum: c.scale_up_limit_minimum,
            downscale_stabilization_ms: c.downscale_stabilization.total_millis(),
            cpu_initialization_period_ms: r.cpu_initialization_period.total_millis(),
            initial_readiness_delay_ms: r.initial_readiness_delay.total_millis(),
        });
        Ok(())
    })
}

/// `fc_hpa_autoscaler_init` with controller settings (NULL: `fc_hpa_controller_default`'s).
/// Errors: those of `fc_hpa_autoscaler_init`; `ScalingError::InvalidBehavior` for a negative
/// tolerance or factor. Not thread-safe.
/// # Safety
/// As `fc_hpa_autoscaler_init`; `controller` is NULL or points to an `fc_hpa_controller`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_autoscaler_init_with(
    mem: *mut fc_hpa_autoscaler,
    behavior: *const fc_hpa_behavior,
    controller: *const fc_hpa_controller,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `mem`; `AutoscalerCell` fits the storage.
        let out = unsafe { Out::new(mem.cast::<AutoscalerCell>()) }?;
        let behavior = if behavior.is_null() {
            None
        } else {
            // SAFETY: not NULL; the caller's contract for `behavior`.
            Some(unsafe { input(behavior) }?.to_core()?)
        };
        let (controller, readiness) = if controller.is_null() {
            (Controller::DEFAULT, hpa::Readiness::DEFAULT)
        } else {
            // SAFETY: not NULL; the caller's contract for `controller`.
            let c = unsafe { input(controller) }?;
            let controller = Controller {
                tolerance: Value::from_milli(c.tolerance_milli),
                scale_up_limit_factor: Value::from_milli(c.scale_up_limit_factor_milli),
                scale_up_limit_minimum: c.scale_up_limit_minimum,
                downscale_stabilization: Duration::from_millis(c.downscale_stabilization_ms),
            };
            let readiness = hpa::Readiness {
                cpu_initialization_period: Duration::from_millis(c.cpu_initialization_period_ms),
                initial_readiness_delay: Duration::from_millis(c.initial_readiness_delay_ms),
            };
            (controller, readiness)
        };
        let autoscaler = Autoscaler::with_controller(behavior, controller)?;
        out.write(AutoscalerCell {
            magic: MAGIC,
            autoscaler,
            readiness,
        });
        Ok(())
    })
}

/// The count to set at `now_ms` for a calculated `desired` and `current` members: stabilisation,
/// rate policies, then `[min_replicas, max_replicas]`; records the recommendation and the change.
/// Errors: `FC_STATUS_INVALID_ARGUMENT` (max below min; nothing recorded). Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_autoscaler_normalize(
    autoscaler: *mut fc_hpa_autoscaler,
    now_ms: u64,
    current: u32,
    desired: u32,
    min_replicas: u32,
    max_replicas: u32,
    out_replicas: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (a, out) = unsafe { (autoscaler_mut(autoscaler)?, Out::new(out_replicas)?) };
        if max_replicas < min_replicas {
            return Err(fc_status::InvalidArgument);
        }
        out.write(a.normalize(
            Instant::from_millis(now_ms),
            current,
            desired,
            min_replicas,
            max_replicas,
        ));
        Ok(())
    })
}

/// One pod of an `fc_hpa_metric` (upstream's `groupPods` inputs); times in ms.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_pod {
    /// `status.phase`: 0 Pending, 1 Running, 2 Succeeded, 3 Failed, 4 Unknown; 5 being deleted.
    pub phase: u32,
    /// The `Ready` condition's status: 1 True, 0 False, -1 no condition.
    pub ready: i32,
    /// The `Ready` condition's `lastTransitionTime`.
    pub last_transition_ms: u64,
    /// `status.startTime`, `UINT64_MAX` when not set.
    pub start_ms: u64,
    /// The sample's value, thousandths; `INT64_MIN` when the pod has no sample.
    pub usage_milli: i64,
    /// The sample's `timestamp`.
    pub timestamp_ms: u64,
    /// The sample's `window`.
    pub window_ms: u64,
    /// The request (the named container's for a `ContainerResource` metric), thousandths.
    pub request_milli: i64,
}

/// One entry of an HPA's `metrics` for `fc_hpa_autoscaler_reconcile`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_metric {
    /// 0 `Resource`, 1 `ContainerResource`, 2 `Pods` (over `pods`), 3 `Object`, 4 `External`.
    pub kind: u32,
    /// 0 `Utilization` (kinds 0-1), 1 `AverageValue`, 2 `Value` (kinds 3-4).
    pub target_type: u32,
    /// The target: whole percent for `Utilization`, else thousandths.
    pub target: i64,
    /// The resource is `cpu`: readiness and warm-up count (`groupPods`).
    pub cpu: bool,
    /// The pods the HPA's selector matches (kinds 0-2).
    pub pods: *const fc_hpa_pod,
    /// Number of `pods`.
    pub pod_count: usize,
    /// The object's value or the external series' sum, thousandths; `INT64_MIN`: not read.
    pub value_milli: i64,
}

impl fc_hpa_pod {
    fn to_core(self) -> Result<hpa::Pod, fc_status> {
        // 5: `deletionTimestamp` set, which upstream ignores whatever the phase.
        let phase = match self.phase {
            0 => hpa::PodPhase::Pending,
            1 => hpa::PodPhase::Running,
            2 => hpa::PodPhase::Succeeded,
            3 => hpa::PodPhase::Failed,
            4 | 5 => hpa::PodPhase::Unknown,
            _ => return Err(fc_status::InvalidEnumValue),
        };
        let ready = match self.ready {
            -1 => None,
            0 | 1 => Some(hpa::ReadyCondition {
                status: self.ready == 1,
                last_transition: Instant::from_millis(self.last_transition_ms),
            }),
            _ => return Err(fc_status::InvalidEnumValue),
        };
        Ok(hpa::Pod {
            phase,
            ready,
            start_time: (self.start_ms != u64::MAX).then(|| Instant::from_millis(self.start_ms)),
            deleted: self.phase == 5,
            sample: (self.usage_milli != i64::MIN).then(|| hpa::PodSample {
                value: Value::from_milli(self.usage_milli),
                timestamp: Instant::from_millis(self.timestamp_ms),
                window: Duration::from_millis(self.window_ms),
            }),
            request: Value::from_milli(self.request_milli),
        })
    }
}

/// Most pods `fc_hpa_autoscaler_reconcile` takes over all its metrics.
const MAX_RECONCILE_PODS: usize = 128;

/// A placeholder for the unused slots of the pod buffer.
const NO_POD: hpa::Pod = hpa::Pod {
    phase: hpa::PodPhase::Failed,
    ready: None,
    start_time: None,
    deleted: true,
    sample: None,
    request: Value::ZERO,
};

impl fc_hpa_metric {
    /// The core metric over `pods` (this metric's, converted).
    fn to_core(
        self,
        pods: &[hpa::Pod],
        readiness: hpa::Readiness,
    ) -> Result<hpa::Metric<'_>, fc_status> {
        let resource = match (self.target_type, u32::try_from(self.target)) {
            (0, Ok(p)) => hpa::ResourceTarget::Utilization(p),
            (1, _) => hpa::ResourceTarget::AverageValue(Value::from_milli(self.target)),
            (0 | 2, _) => hpa::ResourceTarget::Utilization(0),
            _ => return Err(fc_status::InvalidEnumValue),
        };
        let object = || match self.target_type {
            1 => Ok(hpa::ObjectTarget::AverageValue(Value::from_milli(
                self.target,
            ))),
            2 => Ok(hpa::ObjectTarget::Value(Value::from_milli(self.target))),
            _ => Err(fc_status::InvalidArgument),
        };
        let value = (self.value_milli != i64::MIN).then(|| Value::from_milli(self.value_milli));
        let pod_level = |source| hpa::Metric::PodLevel {
            source,
            pods,
            target: resource,
            readiness,
        };
        Ok(match self.kind {
            0 => pod_level(hpa::PodSource::Resource { cpu: self.cpu }),
            1 => pod_level(hpa::PodSource::ContainerResource { cpu: self.cpu }),
            2 => pod_level(hpa::PodSource::Pods),
            3 => hpa::Metric::Object {
                value,
                target: object()?,
            },
            4 => hpa::Metric::External {
                value,
                target: object()?,
            },
            _ => return Err(fc_status::InvalidEnumValue),
        })
    }
}

/// One `reconcileAutoscaler` at `now_ms` over `n` `metrics`, pods grouped with the controller's
/// readiness settings (`fc_hpa_controller`); up to 16 metrics, 128 pods, 12 KiB of stack.
/// Errors: `FC_STATUS_INVALID_ENUM_VALUE`, `FC_STATUS_INVALID_ARGUMENT`,
/// `ScalingError::InvalidTargetTracking`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
// The scale's five counts, as `reconcileAutoscaler` reads them.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn fc_hpa_autoscaler_reconcile(
    autoscaler: *mut fc_hpa_autoscaler,
    now_ms: u64,
    current: u32,
    status_replicas: u32,
    ready_pods: u32,
    min_replicas: u32,
    max_replicas: u32,
    metrics: *const fc_hpa_metric,
    n: usize,
    out_replicas: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for the three pointers.
        let (cell, metrics, out) = unsafe {
            (
                cell_mut(autoscaler)?,
                input_slice(metrics, n)?,
                Out::new(out_replicas)?,
            )
        };
        if max_replicas < min_replicas || metrics.len() > hpa::MAX_METRICS {
            return Err(fc_status::InvalidArgument);
        }
        // The core takes slices of its own pods: convert them all into one buffer first.
        let mut pods = [NO_POD; MAX_RECONCILE_PODS];
        let mut ends = [0usize; hpa::MAX_METRICS];
        let mut used = 0usize;
        for (m, end) in metrics.iter().zip(ends.iter_mut()) {
            if m.kind <= 2 {
                // SAFETY: the caller's contract for each metric's `pods`.
                for p in unsafe { input_slice(m.pods, m.pod_count) }? {
                    let slot = pods.get_mut(used).ok_or(fc_status::InvalidArgument)?;
                    *slot = p.to_core()?;
                    used = used.saturating_add(1);
                }
            }
            *end = used;
        }
        let mut core: heapless::Vec<hpa::Metric<'_>, { hpa::MAX_METRICS }> = heapless::Vec::new();
        let mut start = 0usize;
        for (m, &end) in metrics.iter().zip(&ends) {
            let own = pods.get(start..end).unwrap_or(&[]);
            core.push(m.to_core(own, cell.readiness)?)
                .map_err(|_| fc_status::InvalidArgument)?;
            start = end;
        }
        let scale = hpa::Scale {
            current,
            status_replicas,
            ready_pods,
            min: min_replicas,
            max: max_replicas,
        };
        let now = Instant::from_millis(now_ms);
        out.write(cell.autoscaler.reconcile(now, &scale, &core)?);
        Ok(())
    })
}

/// Upstream's name of a condition's reason.
fn reason_name(r: hpa::Reason) -> &'static core::ffi::CStr {
    use hpa::Reason as R;
    match r {
        R::SucceededGetScale => c"SucceededGetScale",
        R::SucceededRescale => c"SucceededRescale",
        R::ReadyForNewScale => c"ReadyForNewScale",
        R::ScaleUpStabilized => c"ScaleUpStabilized",
        R::ScaleDownStabilized => c"ScaleDownStabilized",
        R::ValidMetricFound => c"ValidMetricFound",
        R::ScalingDisabled => c"ScalingDisabled",
        R::FailedGetResourceMetric => c"FailedGetResourceMetric",
        R::FailedGetContainerResourceMetric => c"FailedGetContainerResourceMetric",
        R::FailedGetPodsMetric => c"FailedGetPodsMetric",
        R::FailedGetObjectMetric => c"FailedGetObjectMetric",
        R::FailedGetExternalMetric => c"FailedGetExternalMetric",
        R::DesiredWithinRange => c"DesiredWithinRange",
        R::ScaleUpLimit => c"ScaleUpLimit",
        R::ScaleDownLimit => c"ScaleDownLimit",
        R::TooManyReplicas => c"TooManyReplicas",
        R::TooFewReplicas => c"TooFewReplicas",
        _ => c"",
    }
}

/// Condition `kind` (0 `AbleToScale`, 1 `ScalingActive`, 2 `ScalingLimited`) as the last run left
/// it: `*out_true` its status, `*out_why` its reason (static, upstream's spelling; "" unset).
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_condition(
    a: *mut fc_hpa_autoscaler,
    kind: u32,
    out_true: *mut bool,
    out_why: *mut *const core::ffi::c_char,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for the three pointers.
        let (a, status, reason) =
            unsafe { (autoscaler_mut(a)?, Out::new(out_true)?, Out::new(out_why)?) };
        let c = a.conditions();
        let cond = match kind {
            0 => c.able_to_scale,
            1 => c.scaling_active,
            2 => c.scaling_limited,
            _ => return Err(fc_status::InvalidEnumValue),
        };
        status.write(cond.is_some_and(|c| c.status));
        reason.write(cond.map_or(c"", |c| reason_name(c.reason)).as_ptr());
        Ok(())
    })
}

/// One entry of upstream's `scaleUpEvents` or `scaleDownEvents` (`hpa::ScaleEvent`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_scale_event {
    /// `timestamp`, ms.
    pub at_ms: u64,
    /// `replicaChange`: replicas added (up) or removed (down).
    pub replica_change: u32,
    /// `outdated`: older than the longest policy period; its slot is reused next.
    pub outdated: bool,
}

/// One entry of upstream's `recommendations` (`hpa::Recommendation`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_recommendation {
    /// `timestamp`, ms.
    pub at_ms: u64,
    /// `recommendation`: the count the metrics proposed.
    pub replicas: u32,
}

/// Copies `entries` into `out` (room for `cap`) and sets `*out_len` to their number; when they do
/// not fit, writes none, still sets `*out_len` and returns `FC_STATUS_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `out` is NULL (then `cap` must be 0) or valid for `cap` writes; `out_len` NULL or writable.
unsafe fn copy_log<T: Copy>(
    entries: &[T],
    out: *mut T,
    cap: usize,
    out_len: *mut usize,
) -> Result<(), fc_status> {
    // SAFETY: the caller's contract for `out_len`.
    let len = unsafe { Out::new(out_len) }?;
    let mut buf = if out.is_null() && cap == 0 {
        None
    } else {
        // SAFETY: the caller's contract for `out`.
        Some(unsafe { OutSlice::new(out, cap) }?)
    };
    len.write(entries.len());
    if entries.len() > cap {
        return Err(fc_status::BufferTooSmall);
    }
    if let Some(buf) = &mut buf {
        for (i, &e) in entries.iter().enumerate() {
            buf.put(i, e);
        }
    }
    Ok(())
}

/// Upstream's `scaleUpEvents` (`up`) or `scaleDownEvents` (none without a behaviour), in its order,
/// into `out_events` (room for `cap`; 64 is enough; NULL with `cap` 0), `*out_len` their number.
/// Errors: `FC_STATUS_BUFFER_TOO_SMALL` (none written; `*out_len` the number needed). Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_scale_event_log(
    autoscaler: *const fc_hpa_autoscaler,
    up: bool,
    out_events: *mut fc_hpa_scale_event,
    cap: usize,
    out_len: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `autoscaler`.
        let a = unsafe { autoscaler_ref(autoscaler) }?;
        let mut log: heapless::Vec<fc_hpa_scale_event, { hpa::HISTORY }> = heapless::Vec::new();
        for e in a.scale_event_log(up) {
            let _ = log.push(fc_hpa_scale_event {
                at_ms: e.at.total_millis(),
                replica_change: e.replica_change,
                outdated: e.outdated,
            });
        }
        // SAFETY: the caller's contract for `out_events` and `out_len`.
        unsafe { copy_log(&log, out_events, cap, out_len) }
    })
}

/// Upstream's `recommendations` in its order, as Rust's `recommendation_log()`, into
/// `out_recommendations` like `fc_hpa_scale_event_log`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_recommendation_log(
    autoscaler: *const fc_hpa_autoscaler,
    out_recommendations: *mut fc_hpa_recommendation,
    cap: usize,
    out_len: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `autoscaler`.
        let a = unsafe { autoscaler_ref(autoscaler) }?;
        let mut log: heapless::Vec<fc_hpa_recommendation, { hpa::HISTORY }> = heapless::Vec::new();
        for r in a.recommendation_log() {
            let _ = log.push(fc_hpa_recommendation {
                at_ms: r.at.total_millis(),
                replicas: r.replicas,
            });
        }
        // SAFETY: the caller's contract for `out_recommendations` and `out_len`.
        unsafe { copy_log(&log, out_recommendations, cap, out_len) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_behavior_round_trips() {
        let mut b = core::mem::MaybeUninit::<fc_hpa_behavior>::uninit();
        // SAFETY: `b` is writable storage for one behaviour.
        let b = unsafe {
            assert_eq!(fc_hpa_behavior_default(b.as_mut_ptr()), fc_status::Ok);
            b.assume_init()
        };
        assert_eq!(b.to_core(), Ok(Behavior::default()));
    }

    #[test]
    fn size() {
        println!(
            "AutoscalerCell: {} bytes (FC_HPA_AUTOSCALER_SIZE {})",
            size_of::<AutoscalerCell>(),
            FC_HPA_AUTOSCALER_SIZE
        );
    }
}
