//! Scaling decisions (SEMANTICS §3). This first part holds the `CloudWatch` side: metrics and
//! alarms (§3.5). Simple, step and target-tracking policies, scheduled and predictive scaling
//! build on it.

pub mod alarm;

pub use alarm::{
    ACTION_REPEAT, Alarm, AlarmConfig, AlarmState, Comparison, Datapoint, Metric, MissingData,
    Statistic, Value, check_period,
};

#[cfg(test)]
mod tests;
