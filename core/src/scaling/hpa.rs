//! The Kubernetes Horizontal Pod Autoscaler algorithm, as an option of target tracking for
//! hardware that must not flap (issue 4). It follows the upstream controller
//! (`pkg/controller/podautoscaler`: `replica_calculator.go` and `horizontal.go`):
//!
//! - desired = ⌈current × metric / target⌉ over the ready members, nothing when the ratio is
//!   within the tolerance (0.1);
//! - members without a metric count as 100 % of target when scaling down and 0 % when scaling
//!   up; unready members count as 0 % when scaling up and are left out when scaling down; if that
//!   reverses the direction or lands within tolerance, nothing changes;
//! - without a behaviour, scale-up is limited to max(2 × current, 4) and scale-down is
//!   stabilised over 300 s;
//! - with a behaviour: stabilisation windows (defaults 0 s up, 300 s down), rate policies by
//!   `Pods` and `Percent` with their periods, `selectPolicy` `Max`, `Min` or `Disabled`;
//! - the result is clamped to [min, max].
//!
//! Arithmetic is exact integer arithmetic on thousandths, where upstream uses `float64`; the
//! two agree except on values that `float64` cannot represent exactly.

use super::alarm::Value;
use crate::scaling::ScalingError;
use crate::time::{Duration, Instant};

/// The upstream default tolerance, 0.1, in thousandths.
pub const TOLERANCE_MILLI: i64 = 100;
/// The default scale-down stabilisation window.
pub const DEFAULT_DOWN_WINDOW: Duration = Duration::from_secs(300);
/// How many recommendations and scale events an autoscaler remembers.
pub const HISTORY: usize = 64;

/// What one member reports to the calculation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MemberMetric {
    /// Ready, with its metric.
    Ready(Value),
    /// Not ready yet (booting, warming up).
    Unready,
    /// Ready but no metric arrived.
    Missing,
}

/// The replica calculation of `replica_calculator.go` for one resource metric with an average
/// target. `current` is the number of members (`currentReplicas`). Returns `current` when
/// nothing should change.
pub fn desired_replicas(current: u32, members: &[MemberMetric], target: Value) -> u32 {
    let t = i128::from(target.milli().max(1));
    let (mut ready, mut sum, mut missing, mut unready) = (0i128, 0i128, 0i128, 0i128);
    for m in members {
        match m {
            MemberMetric::Ready(v) => {
                ready = ready.saturating_add(1);
                sum = sum.saturating_add(i128::from(v.milli()));
            }
            MemberMetric::Missing => missing = missing.saturating_add(1),
            MemberMetric::Unready => unready = unready.saturating_add(1),
        }
    }
    if ready == 0 {
        return current;
    }
    // ratio = sum / (ready × t); within tolerance ⇔ 1000·|sum − ready·t| ≤ tol · ready·t.
    let within = |sum: i128, n: i128| {
        let base = n.saturating_mul(t);
        sum.saturating_sub(base)
            .saturating_abs()
            .saturating_mul(1000)
            <= i128::from(TOLERANCE_MILLI).saturating_mul(base)
    };
    let up = sum > ready.saturating_mul(t);
    if missing == 0 && (unready == 0 || !up) {
        if within(sum, ready) {
            return current;
        }
        return ceil_div(sum, t);
    }
    // Rebalance: missing members at target when scaling down, at 0 when scaling up; unready
    // members at 0 when scaling up.
    let mut n = ready.saturating_add(missing);
    let mut new_sum = sum;
    if up {
        n = n.saturating_add(unready);
    } else {
        new_sum = new_sum.saturating_add(missing.saturating_mul(t));
    }
    let new_up = new_sum > n.saturating_mul(t);
    if within(new_sum, n) || new_up != up {
        return current;
    }
    let proposed = ceil_div(new_sum, t);
    // Upstream: a scale-down may not end above current, nor a scale-up below it.
    if (up && proposed < current) || (!up && proposed > current) {
        return current;
    }
    proposed
}

fn ceil_div(a: i128, b: i128) -> u32 {
    let q = a.checked_div(b).unwrap_or(0);
    let r = a.checked_rem(b).unwrap_or(0);
    let q = if r > 0 { q.saturating_add(1) } else { q };
    u32::try_from(q.max(0)).unwrap_or(u32::MAX)
}

/// `HPAScalingPolicyType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum PolicyKind {
    /// `Pods`: change by at most this many members per period.
    Pods,
    /// `Percent`: change by at most this percentage per period.
    Percent,
}

/// `HPAScalingPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct RatePolicy {
    /// Pods or Percent.
    pub kind: PolicyKind,
    /// The amount.
    pub value: u32,
    /// `periodSeconds`.
    pub period: Duration,
}

/// `ScalingPolicySelect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum SelectPolicy {
    /// The policy allowing the most change (the default).
    #[default]
    Max,
    /// The policy allowing the least change.
    Min,
    /// No scaling in this direction.
    Disabled,
}

/// `HPAScalingRules` for one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ScalingRules {
    /// `stabilizationWindowSeconds`.
    pub stabilization: Duration,
    /// `selectPolicy`.
    pub select: SelectPolicy,
    /// `policies`.
    pub policies: heapless::Vec<RatePolicy, 4>,
}

impl ScalingRules {
    /// The upstream default for scale-up: 0 s window, max of 4 pods or 100 % per 15 s.
    pub fn default_up() -> Self {
        let mut policies = heapless::Vec::new();
        let _ = policies.push(RatePolicy {
            kind: PolicyKind::Pods,
            value: 4,
            period: Duration::from_secs(15),
        });
        let _ = policies.push(RatePolicy {
            kind: PolicyKind::Percent,
            value: 100,
            period: Duration::from_secs(15),
        });
        Self {
            stabilization: Duration::ZERO,
            select: SelectPolicy::Max,
            policies,
        }
    }

    /// The upstream default for scale-down: 300 s window, 100 % per 15 s.
    pub fn default_down() -> Self {
        let mut policies = heapless::Vec::new();
        let _ = policies.push(RatePolicy {
            kind: PolicyKind::Percent,
            value: 100,
            period: Duration::from_secs(15),
        });
        Self {
            stabilization: DEFAULT_DOWN_WINDOW,
            select: SelectPolicy::Max,
            policies,
        }
    }
}

/// `HorizontalPodAutoscalerBehavior`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Behavior {
    /// `scaleUp`.
    pub scale_up: ScalingRules,
    /// `scaleDown`.
    pub scale_down: ScalingRules,
}

/// The longest `periodSeconds` upstream accepts.
pub const MAX_RATE_PERIOD: Duration = Duration::from_secs(1800);
/// The longest `stabilizationWindowSeconds` upstream accepts.
pub const MAX_STABILIZATION: Duration = Duration::from_secs(3600);

impl ScalingRules {
    /// Checks the ranges upstream validation enforces: windows of at most an hour; a direction
    /// that is not `Disabled` has 1-10 policies, each of value ≥ 1 and period 1-1800 s.
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        let policies_ok = self.policies.iter().all(|p| {
            p.value >= 1 && p.period >= Duration::from_secs(1) && p.period <= MAX_RATE_PERIOD
        });
        let needs_policy = self.select != SelectPolicy::Disabled && self.policies.is_empty();
        if self.stabilization > MAX_STABILIZATION || !policies_ok || needs_policy {
            return Err(ScalingError::InvalidBehavior);
        }
        Ok(())
    }
}

impl Behavior {
    /// Checks both directions ([`ScalingRules::validate`]).
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        self.scale_up.validate()?;
        self.scale_down.validate()
    }
}

impl Default for Behavior {
    fn default() -> Self {
        Self {
            scale_up: ScalingRules::default_up(),
            scale_down: ScalingRules::default_down(),
        }
    }
}

/// The memory of one autoscaler: past recommendations (for stabilisation) and scale events
/// (for rate policies), bounded to [`HISTORY`] entries each, oldest dropped first.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Autoscaler {
    behavior: Option<Behavior>,
    recommendations: heapless::Deque<(Instant, u32), HISTORY>,
    events: heapless::Deque<(Instant, i64), HISTORY>,
}

impl Autoscaler {
    /// An autoscaler with `behavior`, or the legacy defaults when `None`.
    pub fn new(behavior: Option<Behavior>) -> Self {
        Self {
            behavior,
            recommendations: heapless::Deque::new(),
            events: heapless::Deque::new(),
        }
    }

    /// The replica count to set at `now`, given the calculated `desired`, the `current` count
    /// and the bounds; records the recommendation and the resulting change.
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
            Some(b) => self.with_behavior(now, &b, current, desired, min, max),
        };
        let change = i64::from(result).saturating_sub(i64::from(current));
        if change != 0 {
            if self.events.is_full() {
                self.events.pop_front();
            }
            let _ = self.events.push_back((now, change));
        }
        result
    }

    fn remember(&mut self, now: Instant, desired: u32) {
        if self.recommendations.is_full() {
            self.recommendations.pop_front();
        }
        let _ = self.recommendations.push_back((now, desired));
    }

    /// `normalizeDesiredReplicas`: downscale stabilisation, then max(2 × current, 4).
    fn legacy(&mut self, now: Instant, current: u32, desired: u32, min: u32, max: u32) -> u32 {
        // Upstream keeps samples that are not before the cutoff (inclusive here, strict in the
        // behaviour path).
        let stabilized = self
            .recommendations
            .iter()
            .filter(|(t, _)| now.saturating_duration_since(*t) <= DEFAULT_DOWN_WINDOW)
            .map(|(_, r)| *r)
            .fold(desired, u32::max);
        self.remember(now, desired);
        let up_limit = current.saturating_mul(2).max(4);
        stabilized.min(up_limit).clamp(min, max.max(min))
    }

    /// `stabilizeRecommendationWithBehaviors` then `convertDesiredReplicasWithBehaviorRate`.
    fn with_behavior(
        &mut self,
        now: Instant,
        b: &Behavior,
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
        self.remember(now, desired);
        let limited = match rec.cmp(&current) {
            core::cmp::Ordering::Greater => {
                rec.min(self.rate_limit(now, current, &b.scale_up, true).min(max))
            }
            core::cmp::Ordering::Less => {
                rec.max(self.rate_limit(now, current, &b.scale_down, false).max(min))
            }
            core::cmp::Ordering::Equal => rec,
        };
        limited.clamp(min, max.max(min))
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
    fn rate_limit(&self, now: Instant, current: u32, rules: &ScalingRules, up: bool) -> u32 {
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
