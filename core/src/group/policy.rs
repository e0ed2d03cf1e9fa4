//! Simple and step scaling policies on a group (SEMANTICS §3.1, §3.2, §2.5, §3.4).
//!
//! Policies run inside [`Group::tick`] from the group's own alarms and metrics (see the
//! `dynamic` module); `execute_policy` is `ExecutePolicy`, for calling a simple or step policy
//! by hand. The model:
//! - simple policies: one adjustment per execution; after the activity finishes (nothing
//!   launching or terminating) the group ignores further simple-policy executions until the
//!   policy's `Cooldown` (else the group's `DefaultCooldown`) has passed; `HonorCooldown`
//!   (default true for alarms) decides whether a cooldown refuses the call. The cooldown starts
//!   at the time the world reports the last member in service (its boot, or its launch hook's
//!   completion) or gone, as `observe` gives it, not at the next tick, so its end does not
//!   depend on how often the caller ticks; `next_deadline` names that end (SEMANTICS §2.5);
//! - step policies: the step is chosen from the metric relative to the breach threshold; no
//!   cooldown. Warm-up (policy `EstimatedInstanceWarmup`, else `DefaultInstanceWarmup`, else
//!   `DefaultCooldown`): members that entered service within it are warming; a scale-out counts
//!   from the members that are not warming, so repeated breaches in one step range launch once;
//!   any scale-in waits until no member warms up;
//! - adjustments apply to the current capacity in units (`ChangeInCapacity` and
//!   `PercentChangeInCapacity` alike), and a scale-in never raises desired nor a scale-out lower
//!   it: with weights the current capacity may exceed desired, and a decrement smaller than the
//!   overage does nothing (SEMANTICS §3.2: desired 30, current 32, −1 ⇒ nothing);
//! - the result is clamped to [min, max]; `AlarmNotification` suspended ignores alarm calls.

use super::parts::{List, Parts};
use super::{Group, Process};
use crate::group::GroupError;
use crate::scaling::ScalingError;
use crate::scaling::hpa::Behavior;
use crate::scaling::predictive::{Forecaster, PredictiveConfig, plan};
use crate::scaling::target::TargetTracking;
use crate::scaling::{
    AdjustmentType, Aggregation, MAX_STEPS, StepAdjustment, Value, select_step, target_capacity,
    validate_steps,
};
use crate::time::{Duration, Instant};

/// The most scaling policies a group holds (the service allows 50).
pub const MAX_POLICIES: usize = 8;

/// `PutScalingPolicy` for the simple and step types.
// Without an allocator the steps live inline; the size is bounded by the 20-step quota.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum ScalingPolicy {
    /// `SimpleScaling` (the default policy type).
    Simple {
        /// `AdjustmentType`.
        adjustment_type: AdjustmentType,
        /// `ScalingAdjustment`.
        adjustment: i32,
        /// `Cooldown`; `None` uses the group's `DefaultCooldown`.
        cooldown: Option<Duration>,
        /// `MinAdjustmentMagnitude` (percent only).
        min_adjustment_magnitude: Option<u32>,
    },
    /// `StepScaling`.
    Step {
        /// `AdjustmentType`.
        adjustment_type: AdjustmentType,
        /// `StepAdjustments`.
        steps: heapless::Vec<StepAdjustment, MAX_STEPS>,
        /// `MinAdjustmentMagnitude` (percent only).
        min_adjustment_magnitude: Option<u32>,
        /// `EstimatedInstanceWarmup`.
        warmup: Option<Duration>,
        /// `MetricAggregationType`: how the alarm's recent datapoints combine.
        aggregation: Aggregation,
    },
    /// `TargetTrackingScaling` on one of the group's metrics (SEMANTICS §3.3): the group
    /// creates and owns the `AlarmHigh`/`AlarmLow` pair at its next tick. With `hpa`, the
    /// Kubernetes HPA algorithm runs instead of the alarms (see [`crate::scaling::hpa`]).
    TargetTracking {
        /// The metric tracked (the index `Group::put_metric` returned).
        metric: u8,
        /// `TargetValue` and `DisableScaleIn`.
        tracking: TargetTracking,
        /// `EstimatedInstanceWarmup`.
        warmup: Option<Duration>,
        /// HPA behaviour: `Some(None)` for the upstream defaults without a `behavior` block.
        hpa: Option<Option<Behavior>>,
    },
}

/// What one policy would do now, before several policies combine (SEMANTICS §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Proposal {
    /// Desired capacity `to` (maybe the current one); a simple policy's cooldown to start.
    Set {
        /// The resulting desired capacity.
        to: u32,
        /// The cooldown a simple policy starts once its activity ends.
        cooldown: Option<Duration>,
    },
    /// A simple policy in cooldown: it does not run.
    InCooldown,
    /// A scale-in waiting for warming members: the policy holds capacity where it is.
    WarmingUp,
}

/// What an execution did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Executed {
    /// Desired capacity moved from → to.
    Changed {
        /// Before.
        from: u32,
        /// After.
        to: u32,
    },
    /// Nothing to change (already there, or warming members cover the step).
    Unchanged,
    /// Refused by the cooldown of a simple policy.
    InCooldown,
    /// A scale-in waits for warming members.
    WarmingUp,
    /// `AlarmNotification` is suspended.
    Suspended,
}

vocabulary! {
    /// What an execution did, without its data: `fc_executed.kind` and what Python's
    /// `execute_policy` returns.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum ExecutedKind: "execution result" {
        /// [`Executed::Changed`].
        Changed = 1 => "changed",
        /// [`Executed::Unchanged`].
        Unchanged = 2 => "unchanged",
        /// [`Executed::InCooldown`].
        InCooldown = 3 => "in_cooldown",
        /// [`Executed::WarmingUp`].
        WarmingUp = 4 => "warming_up",
        /// [`Executed::Suspended`].
        Suspended = 5 => "suspended",
    }
}

impl Executed {
    /// What this execution did, without its data.
    pub const fn kind(self) -> ExecutedKind {
        match self {
            Self::Changed { .. } => ExecutedKind::Changed,
            Self::Unchanged => ExecutedKind::Unchanged,
            Self::InCooldown => ExecutedKind::InCooldown,
            Self::WarmingUp => ExecutedKind::WarmingUp,
            Self::Suspended => ExecutedKind::Suspended,
        }
    }
}

impl<const N: usize, P: Parts> Group<N, P> {
    /// `PutScalingPolicy`: adds a policy and returns its index.
    ///
    /// # Errors
    /// [`GroupError::Scaling`] for invalid steps or adjustments, [`GroupError::TooManyPolicies`].
    pub fn put_scaling_policy(&mut self, policy: ScalingPolicy) -> Result<u8, GroupError> {
        self.touch();
        match &policy {
            ScalingPolicy::Simple {
                adjustment_type,
                adjustment,
                min_adjustment_magnitude,
                ..
            } => {
                target_capacity(
                    *adjustment_type,
                    *adjustment,
                    *min_adjustment_magnitude,
                    1,
                    1,
                )?;
            }
            ScalingPolicy::Step {
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                ..
            } => {
                validate_steps(steps)?;
                for s in steps {
                    target_capacity(
                        *adjustment_type,
                        s.adjustment,
                        *min_adjustment_magnitude,
                        1,
                        1,
                    )?;
                }
            }
            ScalingPolicy::TargetTracking {
                metric,
                tracking,
                hpa,
                ..
            } => self.check_target_tracking(*metric, tracking, hpa.as_ref())?,
        }
        let index = u8::try_from(self.policies.len()).map_err(|_| GroupError::TooManyPolicies)?;
        if self.policies.is_full() || self.dynamic.tracking.is_full() {
            return Err(GroupError::TooManyPolicies);
        }
        self.attach_policy(index, &policy);
        self.policies
            .push(policy)
            .map_err(|_| GroupError::TooManyPolicies)?;
        Ok(index)
    }

    /// The policies, by index.
    pub fn scaling_policies(&self) -> &[ScalingPolicy] {
        &self.policies
    }

    /// `ExecutePolicy`. `metric` and `threshold` are the alarm's aggregated value and threshold
    /// (required for step policies); `from_alarm` says an alarm asked (so `AlarmNotification`
    /// suspension applies); `honor_cooldown` applies to simple policies.
    ///
    /// # Errors
    /// [`GroupError::UnknownPolicy`]; [`GroupError::Scaling`] with
    /// [`ScalingError::NoStep`] when a step policy gets no metric or a value matching no step.
    pub fn execute_policy(
        &mut self,
        now: Instant,
        policy: u8,
        metric: Option<(Value, Value)>,
        from_alarm: bool,
        honor_cooldown: bool,
    ) -> Result<Executed, GroupError> {
        self.touch();
        if self.policies.get(usize::from(policy)).is_none() {
            return Err(GroupError::UnknownPolicy { policy });
        }
        if from_alarm && self.is_suspended(Process::AlarmNotification) {
            return Ok(Executed::Suspended);
        }
        let desired = self.desired;
        match self.propose(now, policy, metric, honor_cooldown)? {
            Proposal::InCooldown => Ok(Executed::InCooldown),
            Proposal::WarmingUp => Ok(Executed::WarmingUp),
            Proposal::Set { to, .. } if to == desired => Ok(Executed::Unchanged),
            Proposal::Set { to, cooldown } => {
                self.apply_proposal(to, cooldown);
                Ok(Executed::Changed { from: desired, to })
            }
        }
    }

    /// Sets desired to a policy's result; a simple policy's cooldown waits for the activity to
    /// finish (see `settle_cooldown`).
    pub(super) fn apply_proposal(&mut self, to: u32, cooldown: Option<Duration>) {
        self.desired = to;
        if let Some(d) = cooldown {
            self.cooldown_pending = Some(d);
            self.cooldown_until = None;
        }
    }

    /// What a simple or step policy would do at `now`, changing nothing.
    pub(super) fn propose(
        &self,
        now: Instant,
        policy: u8,
        metric: Option<(Value, Value)>,
        honor_cooldown: bool,
    ) -> Result<Proposal, GroupError> {
        let p = self
            .policies
            .get(usize::from(policy))
            .ok_or(GroupError::UnknownPolicy { policy })?;
        let (min, max, desired) = (self.config.min_size, self.config.max_size, self.desired);
        let capacity = self.capacity();
        match p {
            ScalingPolicy::Simple {
                adjustment_type,
                adjustment,
                cooldown,
                min_adjustment_magnitude,
            } => {
                if honor_cooldown && self.in_cooldown(now) {
                    return Ok(Proposal::InCooldown);
                }
                // From the current capacity in units, not from desired (SEMANTICS §3.2).
                let to = target_capacity(
                    *adjustment_type,
                    *adjustment,
                    *min_adjustment_magnitude,
                    capacity,
                    capacity,
                )?;
                let to = directed(
                    *adjustment_type,
                    *adjustment,
                    crate::fixed::clamp(to, min, max),
                    desired,
                );
                Ok(Proposal::Set {
                    to: self.floored(now, to),
                    cooldown: Some(cooldown.unwrap_or(self.config.default_cooldown)),
                })
            }
            ScalingPolicy::Step {
                adjustment_type,
                steps,
                min_adjustment_magnitude,
                warmup,
                ..
            } => {
                let (value, threshold) = metric.ok_or(GroupError::Scaling(ScalingError::NoStep))?;
                let step = *select_step(steps, value, threshold)
                    .ok_or(GroupError::Scaling(ScalingError::NoStep))?;
                let (warming, pending) = self.warming(now, *warmup);
                if step.adjustment < 0 && (warming > 0 || pending > 0) {
                    return Ok(Proposal::WarmingUp);
                }
                // Scale-out counts from the members not warming (nor launching): what they
                // add is already on its way.
                let settled = capacity.saturating_sub(warming).saturating_sub(pending);
                let base = if step.adjustment > 0 {
                    settled
                } else {
                    capacity
                };
                let to = target_capacity(
                    *adjustment_type,
                    step.adjustment,
                    *min_adjustment_magnitude,
                    base,
                    base,
                )?;
                let to = crate::fixed::clamp(to, min, max);
                let to = if step.adjustment > 0 {
                    to.max(desired)
                } else {
                    self.floored(
                        now,
                        directed(*adjustment_type, step.adjustment, to, desired),
                    )
                };
                Ok(Proposal::Set { to, cooldown: None })
            }
            ScalingPolicy::TargetTracking { .. } => {
                Err(GroupError::Scaling(ScalingError::NotExecutable))
            }
        }
    }

    /// Members in service but warming up (policy `warmup`, else `DefaultInstanceWarmup`, else
    /// `DefaultCooldown`, SEMANTICS §2.5), and members still launching.
    pub(super) fn warming(&self, now: Instant, warmup: Option<Duration>) -> (u32, u32) {
        let warmup = self.scaling_warmup(warmup);
        // One pass for both counts (issue 20: target tracking asks every step while an alarm
        // is on): a pending member is not in service, so never warming, and a warming one is
        // in service, so never pending; the roster is bounded far below `u32::MAX`, so no count saturates.
        let (mut warming, mut pending) = (0u32, 0u32);
        for m in &self.members {
            if m.state.is_pending() {
                pending = pending.saturating_add(1);
            } else if m.warming(now, warmup) {
                warming = warming.saturating_add(1);
            }
        }
        #[cfg(test)]
        assert_eq!(
            (warming, pending),
            (
                super::count(self.members.iter().filter(|m| m.warming(now, warmup))),
                super::count(self.members.iter().filter(|m| m.state.is_pending())),
            ),
            "one pass counts as the two"
        );
        (warming, pending)
    }

    /// The warm-up of a scaling policy: its `EstimatedInstanceWarmup`, else the group's
    /// `DefaultInstanceWarmup`, else `DefaultCooldown` (SEMANTICS §2.5). Samples reach the
    /// group's datapoints after the group's warm-up (`policy` = `None`).
    pub(super) fn scaling_warmup(&self, policy: Option<Duration>) -> Duration {
        policy
            .or(self.config.default_instance_warmup)
            .unwrap_or(self.config.default_cooldown)
    }

    /// A scale-in result raised to the predictive forecast for this hour (§3.4: the group
    /// takes the larger of the predictive and dynamic capacities).
    pub(super) fn floored(&self, now: Instant, to: u32) -> u32 {
        if to < self.desired {
            to.max(self.floor(now).min(self.desired))
        } else {
            to
        }
    }

    /// Predictive scaling in `ForecastAndScale` (SEMANTICS §3.7): raises desired (and, with
    /// `IncreaseMaxCapacity`, max, up to the group's capacity `N`) to the forecast for the coming
    /// hour; never scales in. Until that hour ends, dynamic scale-in stops at the forecast (the
    /// group uses the larger of the predictive and dynamic capacities, §3.4). Returns the new
    /// desired capacity when it changed.
    ///
    /// # Errors
    /// [`GroupError::Scaling`] with [`ScalingError::InvalidForecastConfig`].
    pub fn apply_forecast(
        &mut self,
        now: Instant,
        config: &PredictiveConfig,
        forecaster: &Forecaster,
    ) -> Result<Option<u32>, GroupError> {
        self.touch();
        config.validate()?;
        let planned = plan(
            config,
            forecaster,
            now,
            self.desired,
            self.config.min_size,
            self.config.max_size,
        );
        let forecast = forecaster.capacity(
            Forecaster::hour_of(now.saturating_add(config.buffer)),
            config.target_per_member,
        );
        Ok(self.commit_forecast(now, config, forecast, planned))
    }

    /// Applies what [`plan`] decided for the hour whose capacity forecast is `forecast` (see
    /// [`Group::apply_forecast`]). Whether or not the
    /// forecast raises desired, it is the floor of dynamic scale-in until the hour ends: the
    /// group uses the larger of the two capacities at every moment (SEMANTICS §3.4), so a
    /// dynamic policy never takes the group below the forecast for the predictive policy to
    /// launch it back at the next hour.
    pub(super) fn commit_forecast(
        &mut self,
        now: Instant,
        config: &PredictiveConfig,
        forecast: Option<u32>,
        planned: Option<(u32, u32)>,
    ) -> Option<u32> {
        let hour = Forecaster::hour_of(now.saturating_add(config.buffer));
        let hour_end = Instant::from_millis(
            hour.saturating_add(1)
                .saturating_mul(crate::scaling::predictive::HOUR.total_millis()),
        );
        if config.mode == crate::scaling::predictive::Mode::ForecastAndScale
            && let Some(forecast) = forecast
        {
            let (min, max) = (self.config.min_size, self.config.max_size);
            self.forecast_floor = Some((hour_end, forecast.clamp(min, max.max(min))));
        }
        let (desired, new_max) = planned?;
        let max = self.config.max_size;
        let cap = u32::try_from(N).unwrap_or(u32::MAX);
        let new_max = new_max.min(cap).max(max);
        let desired = desired.min(new_max);
        self.config.max_size = new_max;
        self.forecast_floor = Some((hour_end, desired));
        if desired == self.desired {
            return None;
        }
        self.desired = desired;
        Some(desired)
    }

    /// The forecast's floor for dynamic scale-in at `now`.
    pub(super) fn floor(&self, now: Instant) -> u32 {
        match self.forecast_floor {
            Some((until, capacity)) if now < until => capacity,
            _ => 0,
        }
    }

    /// Whether a scaling activity is under way: a member launching (hooks included) or
    /// terminating.
    pub(super) fn activity_running(&self) -> bool {
        self.members
            .iter()
            .any(|m| m.state.is_pending() || m.state.is_terminating())
    }

    /// Starts a pending simple-policy cooldown at `now` once nothing launches or terminates:
    /// from [`Group::observe`] at the time the world reports the last member in service (after
    /// its launch hook) or gone, and from `decide` for an activity that ended there (SEMANTICS
    /// §2.5: the cooldown starts when the last instance finishes launching or terminating).
    pub(super) fn settle_cooldown(&mut self, now: Instant) {
        // The pass over the members only for a cooldown waiting (most calls have none).
        if let Some(d) = self.cooldown_pending
            && !self.activity_running()
        {
            self.cooldown_pending = None;
            self.cooldown_until = Some(now.saturating_add(d));
        }
    }
}

/// A policy's result `to` as a direction (SEMANTICS §3.2): a scale-in never raises desired and a
/// scale-out never lowers it, so with current capacity above desired (weights overshoot) a
/// decrement smaller than the overage changes nothing (desired 30, current 32, −1 ⇒ 30), and
/// with current below desired (members not yet replaced) an increment smaller than the shortfall
/// changes nothing. `ExactCapacity` sets desired as given.
fn directed(kind: AdjustmentType, adjustment: i32, to: u32, desired: u32) -> u32 {
    match (kind, adjustment.signum()) {
        (AdjustmentType::ExactCapacity, _) => to,
        (_, 1) => to.max(desired),
        (_, -1) => to.min(desired),
        _ => desired,
    }
}
