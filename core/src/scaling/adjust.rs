//! Adjustments and step selection of simple and step scaling policies (SEMANTICS §3.1, §3.2).

use super::alarm::Value;
use crate::scaling::ScalingError;

vocabulary! {
    /// `AdjustmentType` (SEMANTICS §3.2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum AdjustmentType: "adjustment type" {
        /// `ChangeInCapacity`: desired ± n (the default).
        #[default]
        ChangeInCapacity = 0 => "change_in_capacity" | "ChangeInCapacity",
        /// `ExactCapacity`: desired = n (n ≥ 0).
        ExactCapacity = 1 => "exact_capacity" | "ExactCapacity",
        /// `PercentChangeInCapacity`: desired ± p % of the current capacity.
        PercentChangeInCapacity = 2 => "percent_change_in_capacity" | "PercentChangeInCapacity",
    }
}

/// The desired capacity an adjustment asks for, before the group clamps it to [min, max].
///
/// `current` is the group's current capacity (what percentages are taken of), `desired` the
/// desired capacity the change applies to. Percent deltas round as the service documents: above
/// 1 down (12.7 → 12), between 0 and 1 up to 1, between −1 and 0 to −1, below −1 toward zero
/// (−6.67 → −6); then `MinAdjustmentMagnitude` raises the size of the change.
///
/// # Errors
/// [`ScalingError::InvalidAdjustment`] for a negative exact capacity, or a minimum magnitude
/// with another adjustment type than percent.
pub fn target_capacity(
    kind: AdjustmentType,
    adjustment: i32,
    min_adjustment_magnitude: Option<u32>,
    current: u32,
    desired: u32,
) -> Result<u32, ScalingError> {
    let desired = i64::from(desired);
    let new = match kind {
        AdjustmentType::ChangeInCapacity if min_adjustment_magnitude.is_none() => {
            desired.saturating_add(i64::from(adjustment))
        }
        AdjustmentType::ExactCapacity if adjustment >= 0 && min_adjustment_magnitude.is_none() => {
            i64::from(adjustment)
        }
        AdjustmentType::PercentChangeInCapacity => {
            let delta = percent_delta(adjustment, current);
            let magnitude = i64::from(min_adjustment_magnitude.unwrap_or(0));
            let delta = if delta != 0 && delta.abs() < magnitude {
                magnitude.saturating_mul(delta.signum())
            } else {
                delta
            };
            desired.saturating_add(delta)
        }
        _ => return Err(ScalingError::InvalidAdjustment),
    };
    Ok(u32::try_from(new.max(0)).unwrap_or(u32::MAX))
}

/// `p` % of `current`, rounded by the service's rules (in thousandths to stay exact).
fn percent_delta(p: i32, current: u32) -> i64 {
    let milli = i64::from(p)
        .saturating_mul(i64::from(current))
        .saturating_mul(10);
    match milli {
        0 => 0,
        m if m > 0 && m < 1000 => 1,
        m if m < 0 && m > -1000 => -1,
        // Integer division rounds toward zero: down above 1, toward zero below −1.
        m => m / 1000,
    }
}

/// `StepAdjustment`: bounds relative to the alarm threshold and the adjustment they give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct StepAdjustment {
    /// `MetricIntervalLowerBound` (`None` is −∞).
    pub lower: Option<Value>,
    /// `MetricIntervalUpperBound` (`None` is +∞).
    pub upper: Option<Value>,
    /// `ScalingAdjustment`.
    pub adjustment: i32,
}

/// The most steps a policy holds (the service's quota).
pub const MAX_STEPS: usize = 20;

/// Checks a step policy's steps: each has a bound, at most one open lower and one open upper
/// end, no gaps or overlaps, a negative lower bound only with an open-lower step and a positive
/// upper bound only with an open-upper step (SEMANTICS §3.2).
///
/// # Errors
/// [`ScalingError::InvalidSteps`].
pub fn validate_steps(steps: &[StepAdjustment]) -> Result<(), ScalingError> {
    if steps.is_empty() || steps.len() > MAX_STEPS {
        return Err(ScalingError::InvalidSteps);
    }
    let open_lower = steps.iter().filter(|s| s.lower.is_none()).count();
    let open_upper = steps.iter().filter(|s| s.upper.is_none()).count();
    let both_open = steps.iter().any(|s| s.lower.is_none() && s.upper.is_none());
    if open_lower > 1 || open_upper > 1 || both_open {
        return Err(ScalingError::InvalidSteps);
    }
    let negative_lower = steps
        .iter()
        .any(|s| s.lower.is_some_and(|l| l < Value::ZERO));
    let positive_upper = steps
        .iter()
        .any(|s| s.upper.is_some_and(|u| u > Value::ZERO));
    if (negative_lower && open_lower == 0) || (positive_upper && open_upper == 0) {
        return Err(ScalingError::InvalidSteps);
    }
    // Sorted by lower bound, each step must start where the previous ended.
    let mut sorted: heapless::Vec<StepAdjustment, MAX_STEPS> = heapless::Vec::new();
    for s in steps {
        let at = sorted
            .iter()
            .position(|o| lower_key(o) > lower_key(s))
            .unwrap_or(sorted.len());
        sorted
            .insert(at, *s)
            .map_err(|_| ScalingError::InvalidSteps)?;
    }
    for (a, b) in sorted.iter().zip(sorted.iter().skip(1)) {
        if a.upper.is_none() || a.upper != b.lower {
            return Err(ScalingError::InvalidSteps);
        }
    }
    let ordered = sorted.iter().all(|s| match (s.lower, s.upper) {
        (Some(l), Some(u)) => l < u,
        _ => true,
    });
    if !ordered {
        return Err(ScalingError::InvalidSteps);
    }
    Ok(())
}

fn lower_key(s: &StepAdjustment) -> i64 {
    s.lower.map_or(i64::MIN, Value::milli)
}

/// The step for `metric` against `threshold`: above the threshold the lower bound is
/// inclusive and the upper exclusive; below it, the other way round (SEMANTICS §3.2). A metric
/// exactly at the threshold belongs to a step starting at 0 when there is one (scale-out
/// policies), else to a step ending at 0 (scale-in policies).
pub fn select_step(
    steps: &[StepAdjustment],
    metric: Value,
    threshold: Value,
) -> Option<&StepAdjustment> {
    let rel = metric.milli().saturating_sub(threshold.milli());
    let find = |above: bool| {
        steps.iter().find(|s| {
            let lower_ok = s
                .lower
                .map(Value::milli)
                .is_none_or(|l| if above { rel >= l } else { rel > l });
            let upper_ok = s
                .upper
                .map(Value::milli)
                .is_none_or(|u| if above { rel < u } else { rel <= u });
            lower_ok && upper_ok
        })
    };
    match rel {
        0 => find(true).or_else(|| find(false)),
        r => find(r > 0),
    }
}
