//! Target tracking (SEMANTICS §3.3) and how several policies' results combine (§3.4).
//!
//! The service publishes properties, not the algorithm. fleetcore's model:
//! - the policy owns two alarms, as observed on EC2 Auto Scaling: `AlarmHigh` = metric > target
//!   for 3 of 3 one-minute datapoints, `AlarmLow` = metric < 0.7 × target for 15 of 15;
//! - on `AlarmHigh`: desired = ⌈current × metric / target⌉ (adding rounds up, 1.5 → 2);
//! - on `AlarmLow` (unless scale-in is disabled): the largest reduction that keeps the projected
//!   metric at or below target, the reduction rounded down (removing 1.5 → 1), which is
//!   again ⌈current × metric / target⌉;
//! - missing data leaves the alarms in `INSUFFICIENT_DATA`, and nothing scales.

use super::alarm::{AlarmConfig, Comparison, Value};

/// The observed `AlarmLow` threshold as a share of target, in thousandths (0.7).
pub const LOW_SHARE_MILLI: i64 = 700;

/// A target-tracking policy's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct TargetTracking {
    /// `TargetValue`.
    pub target: Value,
    /// `DisableScaleIn` (default false).
    pub disable_scale_in: bool,
}

/// What one policy recommends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Recommendation {
    /// Scale out to this capacity.
    Out(u32),
    /// Scale in to this capacity.
    In(u32),
    /// Stay.
    Hold,
}

impl TargetTracking {
    /// The `AlarmHigh` and `AlarmLow` configurations (one-minute periods).
    pub fn alarms(&self) -> (AlarmConfig, AlarmConfig) {
        let low = self.target.milli().saturating_mul(LOW_SHARE_MILLI) / 1000;
        (
            AlarmConfig::new(Comparison::GreaterThan, self.target, 3),
            AlarmConfig::new(Comparison::LessThan, Value::from_milli(low), 15),
        )
    }

    /// The capacity the metric calls for from `current` members: out when the metric is above
    /// target, in when it is below and scale-in is enabled (the alarms decide *when*).
    pub fn recommend(&self, current: u32, metric: Value) -> Recommendation {
        let target = i128::from(self.target.milli().max(1));
        let load = i128::from(current).saturating_mul(i128::from(metric.milli().max(0)));
        let q = load.checked_div(target).unwrap_or(0);
        let needed = if load.checked_rem(target).unwrap_or(0) > 0 {
            q.saturating_add(1)
        } else {
            q
        };
        let needed = u32::try_from(needed).unwrap_or(u32::MAX);
        if metric > self.target && needed > current {
            Recommendation::Out(needed)
        } else if metric < self.target && needed < current && !self.disable_scale_in {
            Recommendation::In(needed.max(1).min(current))
        } else {
            Recommendation::Hold
        }
    }
}

/// Combines several target-tracking policies: out if any wants out (the largest wins), in only
/// if all want in (again the largest, the smallest change), else hold (SEMANTICS §3.3, §3.4).
pub fn combine(recommendations: &[Recommendation]) -> Recommendation {
    let out = recommendations
        .iter()
        .filter_map(|r| match r {
            Recommendation::Out(n) => Some(*n),
            _ => None,
        })
        .max();
    if let Some(n) = out {
        return Recommendation::Out(n);
    }
    let all_in = !recommendations.is_empty()
        && recommendations
            .iter()
            .all(|r| matches!(r, Recommendation::In(_)));
    if !all_in {
        return Recommendation::Hold;
    }
    recommendations
        .iter()
        .filter_map(|r| match r {
            Recommendation::In(n) => Some(*n),
            _ => None,
        })
        .max()
        .map_or(Recommendation::Hold, Recommendation::In)
}

/// Several dynamic policies firing together: the largest resulting capacity wins, for
/// scale-out and scale-in alike (SEMANTICS §3.4: at 8, "−3" and "−25 %" give 5 and 6: 6 wins).
pub fn largest(capacities: &[u32]) -> Option<u32> {
    capacities.iter().copied().max()
}
