//! Scaling decisions (SEMANTICS §3). So far: the `CloudWatch` side, metrics and alarms (§3.5),
//! and the arithmetic of simple and step policies (§3.1, §3.2): adjustment types, percent
//! rounding, `MinAdjustmentMagnitude`, step validation and selection; target tracking and how
//! policies combine (§3.3, §3.4); and the Kubernetes HPA algorithm. Attaching policies to a
//! group, scheduled and predictive scaling build on these.

pub mod adjust;
pub mod alarm;
pub mod cron;
pub mod hpa;
pub mod target;

pub use adjust::{
    AdjustmentType, MAX_STEPS, StepAdjustment, select_step, target_capacity, validate_steps,
};
pub use alarm::{
    ACTION_REPEAT, Alarm, AlarmConfig, AlarmState, Comparison, Datapoint, Metric, MissingData,
    Statistic, Value, check_period,
};

#[cfg(test)]
mod tests;
