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
    self, Autoscaler, Behavior, Controller, MemberMetric, PolicyKind, RatePolicy, ScalingRules,
    SelectPolicy,
};
use fleetcore::{Duration, Instant};

use crate::boundary::{Out, boundary, input, input_slice};
use crate::status::fc_status;

/// Most rate policies per direction of an `fc_hpa_behavior`.
pub const FC_HPA_MAX_POLICIES: usize = 4;
/// Bytes of storage an `fc_hpa_autoscaler` takes (`sizeof(fc_hpa_autoscaler)`).
pub const FC_HPA_AUTOSCALER_SIZE: usize = 3072;

/// What one member reports (`fc_member_metric.state`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum fc_member_metric_state {
    /// Ready, with its metric in `value_milli`.
    Ready = 0,
    /// Not ready yet (booting, warming up); `value_milli` is ignored.
    Unready = 1,
    /// Ready but no metric arrived; `value_milli` is ignored.
    Missing = 2,
}

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
    /// `tolerance` (Kubernetes 1.33), thousandths of the usage ratio (100 is 0.1); -1 for the
    /// controller's default (0.1), as `fc_hpa_behavior_default` sets it. Other negative values
    /// are refused.
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

/// Checks `*behavior` as upstream validation does: windows of at most an hour; a direction that is
/// not disabled has 1-4 policies, each of value at least 1 and period 1-1800 s. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE`, `ScalingError::InvalidBehavior`. Thread-safe.
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

/// `replica_calculator.go` for the group's utilization metric: the replica count for `current`
/// members whose metrics (each a percentage of the member's capacity) are the `n` entries of
/// `metrics`, toward `target_milli` (a percentage in thousandths). The utilization is truncated
/// to a whole percent; a missing member counts as `max(100 %, target)` on a scale-down and 0 on
/// a scale-up. On success `*out_desired` is set (`current` when nothing should change: within
/// the 10 % tolerance, no ready member, or a rebalance that reverses direction). Errors:
/// `FC_STATUS_NULL_ARGUMENT` (`metrics` may be NULL only with `n` 0),
/// `FC_STATUS_INVALID_ENUM_VALUE` (a member's state), `FC_STATUS_INVALID_ARGUMENT`
/// (`target_milli` not positive, or `n` above `FC_HPA_MAX_MEMBERS`). Uses about 4 KiB of stack.
/// Thread-safe.
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
        let converted = metrics.iter().map(|m| match m.state {
            0 => Ok(MemberMetric::Ready(Value::from_milli(m.value_milli))),
            1 => Ok(MemberMetric::Unready),
            2 => Ok(MemberMetric::Missing),
            _ => Err(fc_status::InvalidEnumValue),
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

/// Caller-owned storage for an autoscaler: its behaviour and its memory of past
/// recommendations and scale events (64 of each). Opaque: initialise it with
/// `fc_hpa_autoscaler_init`. Aligned to 8 bytes; holds no pointers.
#[repr(C, align(8))]
pub struct fc_hpa_autoscaler {
    _opaque: [u8; FC_HPA_AUTOSCALER_SIZE],
}

/// What actually lives in an `fc_hpa_autoscaler`: a tag, then the core autoscaler.
#[repr(C)]
struct AutoscalerCell {
    magic: u64,
    autoscaler: Autoscaler,
}

/// `"fchpa"` and a layout version.
const MAGIC: u64 = u64::from_be_bytes(*b"fchpa\0\0\x02");

const _: () = assert!(size_of::<AutoscalerCell>() <= size_of::<fc_hpa_autoscaler>());
const _: () = assert!(align_of::<AutoscalerCell>() <= align_of::<fc_hpa_autoscaler>());
const _: () = assert!(size_of::<fc_hpa_autoscaler>() == FC_HPA_AUTOSCALER_SIZE);

/// The initialised autoscaler in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_hpa_autoscaler` that nothing else uses
/// during `'a`.
unsafe fn autoscaler_mut<'a>(p: *mut fc_hpa_autoscaler) -> Result<&'a mut Autoscaler, fc_status> {
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
    // SAFETY: the tag is written by `fc_hpa_autoscaler_init` together with a valid
    // autoscaler; the caller's contract gives this call exclusive use for 'a.
    Ok(unsafe { &mut (*cell).autoscaler })
}

/// Initialises `mem` as an autoscaler with `*behavior`, or with the upstream legacy rules (no
/// behaviour block: scale-down stabilised over 300 s, scale-up at most to max(2 x current, 4)) when
/// `behavior` is NULL. The storage may be uninitialised and is written only on success; there is no
/// free function. Errors: `FC_STATUS_NULL_ARGUMENT` (`mem`), `FC_STATUS_INVALID_ENUM_VALUE`,
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
        });
        Ok(())
    })
}

/// The settings of the controller itself (`fleetcore::scaling::hpa::Controller`), the same for
/// every HPA it runs. Start from `fc_hpa_controller_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_hpa_controller {
    /// `--horizontal-pod-autoscaler-tolerance`, thousandths (100): both directions unless the
    /// behaviour sets its own.
    pub tolerance_milli: i64,
    /// `scaleUpLimitFactor`, thousandths (2000): without a behaviour a scale-up reaches at
    /// most max(factor x current, minimum).
    pub scale_up_limit_factor_milli: i64,
    /// `scaleUpLimitMinimum` (4).
    pub scale_up_limit_minimum: u32,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` without a behaviour, in
    /// milliseconds (300000).
    pub downscale_stabilization_ms: u64,
}

/// Fills `*out_controller` with upstream's production settings: tolerance 0.1, scale-up limit
/// factor 2 and minimum 4, a 300 s downscale window.
///
/// Errors: `FC_STATUS_NULL_ARGUMENT`, `FC_STATUS_MISALIGNED_ARGUMENT`. Thread-safe.
///
/// # Safety
/// `out_controller` is NULL or valid for writing an `fc_hpa_controller`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_hpa_controller_default(
    out_controller: *mut fc_hpa_controller,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_controller`.
        let out = unsafe { Out::new(out_controller) }?;
        let c = Controller::DEFAULT;
        out.write(fc_hpa_controller {
            tolerance_milli: c.tolerance.milli(),
            scale_up_limit_factor_milli: c.scale_up_limit_factor.milli(),
            scale_up_limit_minimum: c.scale_up_limit_minimum,
            downscale_stabilization_ms: c.downscale_stabilization.total_millis(),
        });
        Ok(())
    })
}

/// `fc_hpa_autoscaler_init` with controller settings of its own (`controller` NULL: the
/// defaults of `fc_hpa_controller_default`).
///
/// Errors: those of `fc_hpa_autoscaler_init`, and `FC_STATUS_INVALID_BEHAVIOR` for a negative
/// tolerance or factor. Not thread-safe.
///
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
        let controller = if controller.is_null() {
            Controller::DEFAULT
        } else {
            // SAFETY: not NULL; the caller's contract for `controller`.
            let c = unsafe { input(controller) }?;
            Controller {
                tolerance: Value::from_milli(c.tolerance_milli),
                scale_up_limit_factor: Value::from_milli(c.scale_up_limit_factor_milli),
                scale_up_limit_minimum: c.scale_up_limit_minimum,
                downscale_stabilization: Duration::from_millis(c.downscale_stabilization_ms),
            }
        };
        let autoscaler = Autoscaler::with_controller(behavior, controller)?;
        out.write(AutoscalerCell {
            magic: MAGIC,
            autoscaler,
        });
        Ok(())
    })
}

/// The replica count to set at `now_ms` for a calculated `desired` (from
/// `fc_hpa_desired_replicas`), `current` members and the bounds: stabilisation windows, rate
/// policies, then `[min_replicas, max_replicas]`. Records the recommendation and the change.
/// Errors: `FC_STATUS_INVALID_ARGUMENT` (`max_replicas` below `min_replicas`; nothing is recorded).
/// Not thread-safe.
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
