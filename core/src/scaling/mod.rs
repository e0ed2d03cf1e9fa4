//! Scaling decisions (SEMANTICS §3): `CloudWatch` metrics and alarms (§3.5); the arithmetic of
//! simple and step policies (§3.1, §3.2): adjustment types, percent rounding,
//! `MinAdjustmentMagnitude`, step validation and selection; target tracking and how policies
//! combine (§3.3, §3.4); cron recurrences and POSIX TZ time zones for scheduled actions
//! (§3.6); predictive forecasts (§3.7); and the Kubernetes HPA algorithm. The group runs them
//! inside its `tick` (see `group::Group::put_metric`, `put_alarm`, `put_scaling_policy`,
//! `put_scheduled_action` and `put_predictive_policy`); they are public here for callers that
//! want the arithmetic alone.

mod error;
pub use error::ScalingError;

pub mod adjust;
pub mod alarm;
pub mod cron;
pub mod hpa;
pub mod predictive;
pub mod target;
pub mod tz;
#[cfg(feature = "tz-names")]
mod tz_names;

pub use adjust::{
    AdjustmentType, MAX_STEPS, StepAdjustment, select_step, target_capacity, validate_steps,
};
pub use alarm::{
    ACTION_REPEAT, Aggregation, Alarm, AlarmConfig, AlarmState, Comparison, Datapoint, Metric,
    MissingData, Statistic, Value, check_period,
};

#[cfg(test)]
mod tests;
