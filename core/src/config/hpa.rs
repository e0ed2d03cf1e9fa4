//! A target-tracking policy's HPA behaviour: the `behavior:` block of a Kubernetes
//! `HorizontalPodAutoscaler` (`autoscaling/v2`) as a manifest writes it, in camelCase, with
//! upstream's defaults for whatever it leaves out (`pkg/apis/autoscaling/v2/defaults.go`:
//! scale-up 0 s window, the larger of 4 pods or 100 % per 15 s; scale-down 300 s window, 100 %
//! per 15 s; `selectPolicy` `Max`). `type` is `Pods` or `Percent`, `selectPolicy` `Max`, `Min` or
//! `Disabled`: the core's own enums, no mirror. `tolerance` (Kubernetes 1.33) is a number here,
//! not a quantity string.

use serde::{Deserialize, Serialize};

use super::schema::decimal;
use crate::scaling::ScalingError;
use crate::scaling::alarm::Value;
use crate::scaling::hpa::{
    Behavior, DEFAULT_POLICIES, PolicyKind, RatePolicy, ScalingRules, SelectPolicy,
};
use crate::time::Duration;

/// One `HPAScalingPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RatePolicyDoc {
    /// `Pods` or `Percent`.
    #[serde(rename = "type")]
    pub kind: PolicyKind,
    /// At least 1.
    pub value: u32,
    /// 1–1800.
    pub period_seconds: u32,
}

/// `HPAScalingRules` for one direction; every field optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RulesDoc {
    /// 0–3600 (default: 0 up, 300 down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<u32>,
    /// `Max` (default), `Min` or `Disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<SelectPolicy>,
    /// The rate policies (default: the direction's upstream defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<heapless::Vec<RatePolicyDoc, DEFAULT_POLICIES>>,
    /// The direction's tolerance, a fraction (default: the controller's 0.1).
    #[serde(
        default,
        with = "decimal::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub tolerance: Option<Value>,
}

/// `HorizontalPodAutoscalerBehavior`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BehaviorDoc {
    /// `scaleUp` (default: upstream's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<RulesDoc>,
    /// `scaleDown` (default: upstream's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<RulesDoc>,
}

impl RulesDoc {
    /// The rules, each absent field from `defaults`.
    fn convert(&self, defaults: ScalingRules) -> ScalingRules {
        let policies = match &self.policies {
            None => defaults.policies,
            Some(list) => list
                .iter()
                .map(|p| RatePolicy {
                    kind: p.kind,
                    value: p.value,
                    period: Duration::from_secs(u64::from(p.period_seconds)),
                })
                .collect(),
        };
        ScalingRules {
            stabilization: self
                .stabilization_window_seconds
                .map_or(defaults.stabilization, |s| {
                    Duration::from_secs(u64::from(s))
                }),
            select: self.select_policy.unwrap_or(defaults.select),
            policies,
            tolerance: self.tolerance.or(defaults.tolerance),
        }
    }
}

impl BehaviorDoc {
    /// The behaviour with upstream's defaults filled in, checked as upstream validation checks
    /// it.
    ///
    /// # Errors
    /// [`ScalingError::InvalidBehavior`].
    pub fn to_behavior(&self) -> Result<Behavior, ScalingError> {
        let up = ScalingRules::default_up();
        let down = ScalingRules::default_down();
        let b = Behavior {
            scale_up: self.scale_up.as_ref().map_or(up.clone(), |r| r.convert(up)),
            scale_down: self
                .scale_down
                .as_ref()
                .map_or(down.clone(), |r| r.convert(down)),
        };
        b.validate()?;
        Ok(b)
    }
}
