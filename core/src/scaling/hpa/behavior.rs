//! `HorizontalPodAutoscalerBehavior` (`autoscaling/v2`): per direction a stabilisation window,
//! rate policies, `selectPolicy` and (Kubernetes 1.33, `HPAConfigurableTolerance`) a
//! tolerance, with upstream's defaults (`pkg/apis/autoscaling/v2/defaults.go`) and validation.
//!
//! Upstream sets no maximum number of policies per direction. Here the number is the const
//! generic `P` of [`ScalingRules`] and [`Behavior`]: [`DEFAULT_POLICIES`] (4) where a group keeps
//! one behaviour per policy slot (so a group without many policies does not pay for them), and
//! [`MAX_POLICIES`] (16) for a stand-alone autoscaler (Python's and C's). More policies than
//! `P` is an error, never a silent drop.

use crate::scaling::ScalingError;
use crate::scaling::alarm::Value;
use crate::time::Duration;

/// How many rate policies per direction a group's behaviour holds.
pub const DEFAULT_POLICIES: usize = 4;
/// How many rate policies per direction a stand-alone behaviour holds (Python, C).
pub const MAX_POLICIES: usize = 16;
/// The default scale-down stabilisation window.
pub const DEFAULT_DOWN_WINDOW: Duration = Duration::from_secs(300);
/// The longest `periodSeconds` upstream accepts.
pub const MAX_RATE_PERIOD: Duration = Duration::from_secs(1800);
/// The longest `stabilizationWindowSeconds` upstream accepts.
pub const MAX_STABILIZATION: Duration = Duration::from_secs(3600);

vocabulary! {
    /// `HPAScalingPolicyType` (upstream `autoscaling/v2`; Kubernetes' spelling is canonical).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum PolicyKind: "HPA policy type" {
        /// `Pods`: change by at most this many members per period.
        Pods = 0 => "Pods",
        /// `Percent`: change by at most this percentage per period.
        Percent = 1 => "Percent",
    }
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

vocabulary! {
    /// `ScalingPolicySelect` (upstream `autoscaling/v2`; Kubernetes' spelling is canonical).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum SelectPolicy: "HPA select policy" {
        /// The policy allowing the most change (the default).
        #[default]
        Max = 0 => "Max",
        /// The policy allowing the least change.
        Min = 1 => "Min",
        /// No scaling in this direction.
        Disabled = 2 => "Disabled",
    }
}

/// `HPAScalingRules` for one direction, with at most `P` rate policies.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ScalingRules<const P: usize = DEFAULT_POLICIES> {
    /// `stabilizationWindowSeconds`.
    pub stabilization: Duration,
    /// `selectPolicy`.
    pub select: SelectPolicy,
    /// `policies`.
    pub policies: heapless::Vec<RatePolicy, P>,
    /// `tolerance` (a fraction in thousandths), or `None` for the controller's default (0.1).
    pub tolerance: Option<Value>,
}

impl<const P: usize> ScalingRules<P> {
    /// The upstream default for scale-up: 0 s window, max of 4 pods or 100 % per 15 s (with
    /// `P` of at least 2; fewer keeps the policies that fit).
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
            tolerance: None,
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
            tolerance: None,
        }
    }

    /// Checks the ranges upstream validation enforces: windows of at most an hour; a direction
    /// that is not `Disabled` has at least one policy, each of value ≥ 1 and period 1-1800 s;
    /// a tolerance is not negative.
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        let policies_ok = self.policies.iter().all(|p| {
            p.value >= 1 && p.period >= Duration::from_secs(1) && p.period <= MAX_RATE_PERIOD
        });
        let needs_policy = self.select != SelectPolicy::Disabled && self.policies.is_empty();
        let tolerance_ok = self.tolerance.is_none_or(|t| t.milli() >= 0);
        if self.stabilization > MAX_STABILIZATION || !policies_ok || needs_policy || !tolerance_ok {
            return Err(ScalingError::InvalidBehavior);
        }
        Ok(())
    }

    /// The same rules with room for `Q` policies.
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`] when there are more than `Q` policies.
    pub fn resize<const Q: usize>(&self) -> Result<ScalingRules<Q>, ScalingError> {
        let mut policies = heapless::Vec::new();
        for p in &self.policies {
            policies
                .push(*p)
                .map_err(|_| ScalingError::InvalidBehavior)?;
        }
        Ok(ScalingRules {
            stabilization: self.stabilization,
            select: self.select,
            policies,
            tolerance: self.tolerance,
        })
    }
}

/// `HorizontalPodAutoscalerBehavior`, with at most `P` rate policies per direction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Behavior<const P: usize = DEFAULT_POLICIES> {
    /// `scaleUp`.
    pub scale_up: ScalingRules<P>,
    /// `scaleDown`.
    pub scale_down: ScalingRules<P>,
}

impl<const P: usize> Behavior<P> {
    /// Checks both directions ([`ScalingRules::validate`]).
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn validate(&self) -> Result<(), ScalingError> {
        self.scale_up.validate()?;
        self.scale_down.validate()
    }

    /// The same behaviour with room for `Q` policies per direction (a stand-alone behaviour
    /// given to a group).
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`] when a direction has more than `Q` policies.
    pub fn resize<const Q: usize>(&self) -> Result<Behavior<Q>, ScalingError> {
        Ok(Behavior {
            scale_up: self.scale_up.resize()?,
            scale_down: self.scale_down.resize()?,
        })
    }
}

impl<const P: usize> Default for Behavior<P> {
    fn default() -> Self {
        Self {
            scale_up: ScalingRules::default_up(),
            scale_down: ScalingRules::default_down(),
        }
    }
}
