//! `CloudWatch` metric alarms (SEMANTICS §3.5): per-period datapoints, statistics, M-out-of-N
//! evaluation, the four missing-data treatments and the premature-alarm guard.
//!
//! Values are fixed-point: a [`Value`] holds thousandths, so CPU percentages and request counts
//! compare exactly on every target. An average rounds toward zero at the thousandth.
//!
//! The evaluation model, where the service's published rules stop:
//! - the evaluation range is the N + 2 most recent complete periods (the service fetches "more
//!   than N", 5 for N = 3);
//! - with at least N real datapoints in the range, the N most recent real ones decide and the
//!   missing-data setting is not used;
//! - otherwise `breaching` and `notBreaching` fill the missing slots among the N most recent
//!   periods; `missing` and `ignore` keep only the real points: the alarm goes to ALARM when M
//!   of them breach, or when the oldest breaching point is at least M periods old and every
//!   real point after it breaches (the premature-alarm guard: `- - X - -` alarms for M = 3,
//!   `- - - - X` does not); to OK when the newest real point does not breach; else it stays;
//! - with no real point at all: `missing` gives `INSUFFICIENT_DATA`, `ignore` keeps the state,
//!   `breaching` gives ALARM and `notBreaching` OK.

use crate::scaling::ScalingError;
use crate::time::{Duration, Instant};

pub use crate::value::Value;

vocabulary! {
    /// `Statistic` (SEMANTICS §3.1).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Statistic: "statistic" {
        /// `SampleCount`.
        SampleCount = 1 => "sample_count" | "SampleCount",
        /// `Average` (the default).
        #[default]
        Average = 0 => "average" | "Average",
        /// `Sum`.
        Sum = 2 => "sum" | "Sum",
        /// `Minimum`.
        Minimum = 3 => "minimum" | "Minimum",
        /// `Maximum`.
        Maximum = 4 => "maximum" | "Maximum",
    }
}

vocabulary! {
    /// `MetricAggregationType` of a step policy: how the alarm's most recent datapoints combine
    /// into the one value that selects the step (SEMANTICS §3.2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Aggregation: "metric aggregation type" {
        /// `Average` (the default, also when the service gets null).
        #[default]
        Average = 0 => "average" | "Average",
        /// `Minimum`.
        Minimum = 1 => "minimum" | "Minimum",
        /// `Maximum`.
        Maximum = 2 => "maximum" | "Maximum",
    }
}

vocabulary! {
    /// `ComparisonOperator` (the four that Auto Scaling actions accept, SEMANTICS §3.1); the
    /// symbols (`>=`) are read too, as Python always took them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Comparison: "comparison operator" {
        /// `GreaterThanOrEqualToThreshold`.
        GreaterThanOrEqual = 1 => "greater_than_or_equal" | "GreaterThanOrEqualToThreshold" | ">=",
        /// `GreaterThanThreshold`.
        GreaterThan = 2 => "greater_than" | "GreaterThanThreshold" | ">",
        /// `LessThanThreshold`.
        LessThan = 3 => "less_than" | "LessThanThreshold" | "<",
        /// `LessThanOrEqualToThreshold`.
        LessThanOrEqual = 4 => "less_than_or_equal" | "LessThanOrEqualToThreshold" | "<=",
    }
}

impl Comparison {
    /// Whether `value` breaches `threshold`.
    pub fn breaches(self, value: Value, threshold: Value) -> bool {
        match self {
            Self::GreaterThanOrEqual => value >= threshold,
            Self::GreaterThan => value > threshold,
            Self::LessThan => value < threshold,
            Self::LessThanOrEqual => value <= threshold,
        }
    }
}

vocabulary! {
    /// `TreatMissingData` (SEMANTICS §3.1).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum MissingData: "missing-data treatment" {
        /// `missing` (the default).
        #[default]
        Missing = 0 => "missing",
        /// `ignore`: keep the current state when nothing is known.
        Ignore = 1 => "ignore",
        /// `breaching`.
        Breaching = 2 => "breaching",
        /// `notBreaching`.
        NotBreaching = 3 => "not_breaching" | "notBreaching",
    }
}

vocabulary! {
    /// `StateValue` of an alarm.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum AlarmState: "alarm state" {
        /// `OK`.
        Ok = 1 => "OK" | "ok",
        /// `ALARM`.
        Alarm = 2 => "ALARM" | "alarm",
        /// `INSUFFICIENT_DATA`: where every new alarm starts.
        #[default]
        InsufficientData = 3 => "INSUFFICIENT_DATA" | "insufficient_data",
    }
}

/// The datapoint of one period: what the samples in it add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Datapoint {
    /// Index of the period (start time / period length).
    pub slot: u64,
    /// Samples recorded.
    pub count: u32,
    /// Their sum, saturating.
    pub sum: i64,
    /// The smallest.
    pub min: Value,
    /// The largest.
    pub max: Value,
}

impl Datapoint {
    /// The statistic of this period.
    pub fn statistic(&self, s: Statistic) -> Value {
        match s {
            Statistic::SampleCount => Value::from_int(i64::from(self.count)),
            Statistic::Sum => Value(self.sum),
            Statistic::Minimum => self.min,
            Statistic::Maximum => self.max,
            Statistic::Average => Value(self.sum.checked_div(i64::from(self.count)).unwrap_or(0)),
        }
    }

    /// Whether this period's statistic `s` breaches `threshold` by `comparison`: the average
    /// compared without dividing (an alarm compares every datapoint of its range at every
    /// evaluation), the others as [`Datapoint::statistic`] gives them; the same answer as
    /// comparing [`Datapoint::statistic`] (the reference the tests hold this to).
    pub(crate) fn breaches(&self, s: Statistic, comparison: Comparison, threshold: Value) -> bool {
        if s != Statistic::Average || self.count == 0 {
            return comparison.breaches(self.statistic(s), threshold);
        }
        // In 64 bits when every product fits (every real datapoint): the same answer as the
        // 128-bit test below, whose products these are exactly.
        let c = i64::from(self.count);
        let sum = self.sum;
        let at_least = |t: i64| -> Option<bool> {
            Some(if sum >= 0 {
                sum >= t.checked_mul(c)?
            } else {
                sum > t.checked_sub(1)?.checked_mul(c)?
            })
        };
        let fast = match comparison {
            Comparison::GreaterThanOrEqual => at_least(threshold.0),
            Comparison::GreaterThan => threshold.0.checked_add(1).and_then(at_least),
            Comparison::LessThan => at_least(threshold.0).map(|b| !b),
            Comparison::LessThanOrEqual => {
                threshold.0.checked_add(1).and_then(at_least).map(|b| !b)
            }
        };
        if let Some(b) = fast {
            return b;
        }
        // With q = sum ÷ count truncated toward zero (count > 0) and an integer t:
        // q ≥ t ⟺ sum ≥ t·count when sum ≥ 0 (q is the floor), and
        // q ≥ t ⟺ sum > (t − 1)·count when sum < 0 (q is the ceiling). In 128 bits: no
        // product overflows.
        let (sum, count) = (i128::from(self.sum), i128::from(self.count));
        let at_least = |t: i128| {
            if sum >= 0 {
                sum >= t.saturating_mul(count)
            } else {
                sum > t.saturating_sub(1).saturating_mul(count)
            }
        };
        let t = i128::from(threshold.0);
        match comparison {
            Comparison::GreaterThanOrEqual => at_least(t),
            Comparison::GreaterThan => at_least(t.saturating_add(1)),
            Comparison::LessThan => !at_least(t),
            Comparison::LessThanOrEqual => !at_least(t.saturating_add(1)),
        }
    }
}

/// An alarm's breach test ([`Datapoint::breaches`]) made once for the datapoints of one
/// evaluation, inlined into the count: for the average, the integer bound the threshold gives
/// (`u` with "average ≥ u" the breach, or its negation when `below`), so that a datapoint
/// costs one multiply and one comparison (issue 20: the call and the comparison's match were
/// most of a datapoint's cost).
#[derive(Clone, Copy)]
pub(crate) struct BreachTest<'c> {
    config: &'c AlarmConfig,
    /// `u` for the average when it is an `i64`; else every point takes
    /// [`Datapoint::breaches`].
    bound: Option<i64>,
    below: bool,
}

impl<'c> BreachTest<'c> {
    pub(crate) fn new(config: &'c AlarmConfig) -> Self {
        let t = config.threshold.0;
        // average > t ⟺ average ≥ t + 1 for an integer average (thousandths, truncated).
        let (u, below) = match config.comparison {
            Comparison::GreaterThanOrEqual => (Some(t), false),
            Comparison::GreaterThan => (t.checked_add(1), false),
            Comparison::LessThan => (Some(t), true),
            Comparison::LessThanOrEqual => (t.checked_add(1), true),
        };
        Self {
            config,
            bound: u.filter(|_| config.statistic == Statistic::Average),
            below,
        }
    }

    /// [`Datapoint::breaches`] with the alarm's statistic, comparison and threshold: the same
    /// products and comparisons as its 64-bit path, which it takes for what does not fit.
    #[inline]
    pub(crate) fn breaches(&self, p: &Datapoint) -> bool {
        if let Some(u) = self.bound
            && p.count != 0
        {
            let c = i64::from(p.count);
            let at_least = if p.sum >= 0 {
                u.checked_mul(c).map(|x| p.sum >= x)
            } else {
                u.checked_sub(1)
                    .and_then(|u1| u1.checked_mul(c))
                    .map(|x| p.sum > x)
            };
            if let Some(b) = at_least {
                return b != self.below;
            }
        }
        let cfg = self.config;
        p.breaches(cfg.statistic, cfg.comparison, cfg.threshold)
    }
}

/// Checks a period: 10, 20, 30 s or a multiple of 60 s.
///
/// # Errors
/// [`ScalingError::InvalidPeriod`].
pub fn check_period(period: Duration) -> Result<(), ScalingError> {
    let ms = period.total_millis();
    let ok = matches!(ms, 10_000 | 20_000 | 30_000) || (ms > 0 && ms.is_multiple_of(60_000));
    if ok {
        Ok(())
    } else {
        Err(ScalingError::InvalidPeriod {
            seconds: period.total_secs(),
        })
    }
}

/// The datapoints of one metric at one period, the last `P` periods kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Metric<const P: usize> {
    period: Duration,
    points: heapless::Deque<Datapoint, P>,
    /// Changes whenever a point older than the newest is written ([`Mark`]). Host builds
    /// only: what an alarm keeps across evaluations ([`Run`]) holds while it stays.
    #[cfg(not(target_os = "none"))]
    #[serde(skip)]
    mark: Mark,
}

/// A number no other metric, nor the same metric before its last write to an older point, has
/// had: a kept [`Run`] made at one mark holds while the metric keeps it. Not state: not
/// encoded (a decoded metric takes a new one), and equal to any other.
#[cfg(not(target_os = "none"))]
#[derive(Clone, Copy)]
struct Mark(u64);

/// Printed without its number, which differs between equal metrics.
#[cfg(not(target_os = "none"))]
impl core::fmt::Debug for Mark {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Mark")
    }
}

#[cfg(not(target_os = "none"))]
impl Mark {
    /// A mark never handed out before in this process. A target without 64-bit atomics (Linux
    /// on 32-bit MIPS or PowerPC, say) gets the mark 0, which no kept run follows: its alarms
    /// count the points each time, as the firmware's do.
    fn fresh() -> Self {
        #[cfg(target_has_atomic = "64")]
        {
            use core::sync::atomic::{AtomicU64, Ordering};
            // From 1: 0 is the mark that no run follows.
            static NEXT: AtomicU64 = AtomicU64::new(1);
            Self(NEXT.fetch_add(1, Ordering::Relaxed))
        }
        #[cfg(not(target_has_atomic = "64"))]
        Self::NONE
    }

    /// The mark of a metric whose kept runs are never followed.
    const NONE: Self = Self(0);

    /// Whether a run kept at mark `kept` still holds for a metric of this mark.
    fn follows(self, kept: u64) -> bool {
        self.0 != Self::NONE.0 && self.0 == kept
    }
}

#[cfg(not(target_os = "none"))]
impl Default for Mark {
    fn default() -> Self {
        Self::fresh()
    }
}

#[cfg(not(target_os = "none"))]
impl PartialEq for Mark {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(not(target_os = "none"))]
impl Eq for Mark {}

impl<const P: usize> Metric<P> {
    /// An empty metric aggregated over `period`.
    ///
    /// # Errors
    /// [`ScalingError::InvalidPeriod`].
    pub fn new(period: Duration) -> Result<Self, ScalingError> {
        check_period(period)?;
        Ok(Self {
            period,
            points: heapless::Deque::new(),
            #[cfg(not(target_os = "none"))]
            mark: Mark::fresh(),
        })
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// The period index `t` falls in.
    pub fn slot(&self, t: Instant) -> u64 {
        t.total_millis()
            .checked_div(self.period.total_millis())
            .unwrap_or(0)
    }

    /// The kept datapoints, oldest first (`.rev()` for newest first).
    pub fn points(&self) -> impl DoubleEndedIterator<Item = &Datapoint> {
        self.points.iter()
    }

    /// The datapoint of period `slot`, if any sample fell in it.
    pub fn point(&self, slot: u64) -> Option<&Datapoint> {
        self.points.iter().rev().find(|p| p.slot == slot)
    }

    /// Records a sample taken at `at` (`PutMetricData`). Samples may arrive out of order
    /// within the kept periods; the oldest period is dropped when a new one needs room.
    ///
    /// # Errors
    /// [`ScalingError::TooOld`] for a sample older than every kept period when the store is
    /// full (it could never be evaluated). Nothing changes on error.
    pub fn record(&mut self, at: Instant, value: Value) -> Result<(), ScalingError> {
        self.record_n(at, value, 1)
    }

    /// Records `n` samples of the same `value` at `at` (every member reporting the same
    /// figure), as `n` calls of [`Metric::record`] would; `n` = 0 records nothing.
    ///
    /// # Errors
    /// As [`Metric::record`].
    // Inlined (issue 20): a simulation records two metrics every step, and the call around
    // this fast path was about a sixth of it; the searched path stays out of line.
    #[inline]
    pub fn record_n(&mut self, at: Instant, value: Value, n: u32) -> Result<(), ScalingError> {
        if n == 0 {
            return Ok(());
        }
        let slot = self.slot(at);
        let total = value.0.saturating_mul(i64::from(n));
        // The usual sample is for the newest period, or the first of a newer one: slots are
        // ascending and unique, so the newest point is the one the search below would find,
        // or a new point goes behind it; decided here without the search and the reordering.
        match self.points.back_mut() {
            Some(p) if p.slot == slot => {
                p.count = p.count.saturating_add(n);
                p.sum = p.sum.saturating_add(total);
                p.min = p.min.min(value);
                p.max = p.max.max(value);
                Ok(())
            }
            Some(p) if p.slot > slot => self.record_n_searched(slot, value, n, total),
            _ => {
                if self.points.is_full() {
                    self.points.pop_front();
                }
                let _ = self.points.push_back(Datapoint {
                    slot,
                    count: n,
                    sum: total,
                    min: value,
                    max: value,
                });
                Ok(())
            }
        }
    }

    /// Whether [`Metric::record_n`] at `at` with some samples would be refused
    /// ([`ScalingError::TooOld`]): every point is kept and `at` falls before the oldest, so a
    /// caller can do work that must only follow an accepted sample beside the recording.
    pub fn refuses(&self, at: Instant) -> bool {
        let slot = self.slot(at);
        self.points.is_full() && self.points.front().is_some_and(|p| slot < p.slot)
    }

    /// [`Metric::record_n`] for any slot (`total` = `value` × `n`): the point of `slot` found
    /// by a search, or a new one inserted in order. The reference the tests hold the fast
    /// path of `record_n` to. Out of line: its reordering buffer (`P` datapoints) made every
    /// `record_n` reserve that frame, where the usual sample touches only the newest point.
    #[inline(never)]
    pub(crate) fn record_n_searched(
        &mut self,
        slot: u64,
        value: Value,
        n: u32,
        total: i64,
    ) -> Result<(), ScalingError> {
        // A point older than the newest changes or comes in: what alarms kept is void.
        #[cfg(not(target_os = "none"))]
        {
            self.mark = Mark::fresh();
        }
        if let Some(p) = self.points.iter_mut().find(|p| p.slot == slot) {
            p.count = p.count.saturating_add(n);
            p.sum = p.sum.saturating_add(total);
            p.min = p.min.min(value);
            p.max = p.max.max(value);
            return Ok(());
        }
        let fresh = Datapoint {
            slot,
            count: n,
            sum: total,
            min: value,
            max: value,
        };
        let oldest = self.points.front().map(|p| p.slot);
        if self.points.is_full() {
            if oldest.is_some_and(|o| slot < o) {
                return Err(ScalingError::TooOld);
            }
            self.points.pop_front();
        }
        // Keep slots ascending: insert behind the last older one.
        let mut tail: heapless::Vec<Datapoint, P> = heapless::Vec::new();
        while let Some(p) = self.points.pop_back() {
            if p.slot < slot {
                let _ = self.points.push_back(p);
                break;
            }
            let _ = tail.push(p);
        }
        let _ = self.points.push_back(fresh);
        while let Some(p) = tail.pop() {
            let _ = self.points.push_back(p);
        }
        Ok(())
    }
}

/// The position of the datapoint of period `current − 1` (the newest complete one) among
/// `metric`'s points: the last one, or the one before it when the last is period `current`'s;
/// `None` when that period has no point.
fn newest_complete<const P: usize>(metric: &Metric<P>, current: u64) -> Option<usize> {
    let points = &metric.points;
    let newest = match points.back()?.slot {
        s if s == current => points.len().checked_sub(2)?,
        s if s.checked_add(1) == Some(current) => points.len().checked_sub(1)?,
        _ => return None,
    };
    (points.get(newest)?.slot.checked_add(1) == Some(current)).then_some(newest)
}

/// `PutMetricAlarm` parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct AlarmConfig {
    /// `Statistic`.
    pub statistic: Statistic,
    /// `ComparisonOperator`.
    pub comparison: Comparison,
    /// `Threshold`.
    pub threshold: Value,
    /// `EvaluationPeriods` (N ≥ 1).
    pub evaluation_periods: u32,
    /// `DatapointsToAlarm` (M, 1 ≤ M ≤ N); `None` means N.
    pub datapoints_to_alarm: Option<u32>,
    /// `TreatMissingData`.
    pub missing_data: MissingData,
}

impl AlarmConfig {
    /// An alarm on `comparison threshold` over `n` periods, M = N, average, missing = missing.
    pub const fn new(comparison: Comparison, threshold: Value, n: u32) -> Self {
        Self {
            statistic: Statistic::Average,
            comparison,
            threshold,
            evaluation_periods: n,
            datapoints_to_alarm: None,
            missing_data: MissingData::Missing,
        }
    }

    fn m(&self) -> u32 {
        self.datapoints_to_alarm.unwrap_or(self.evaluation_periods)
    }

    /// Checks N, M and the span for `period` (SEMANTICS §3.5).
    ///
    /// # Errors
    /// [`ScalingError::InvalidEvaluation`].
    pub fn validate(&self, period: Duration) -> Result<(), ScalingError> {
        let n = self.evaluation_periods;
        let m = self.m();
        let span = period.checked_mul(u64::from(n)).unwrap_or(Duration::MAX);
        let limit = if period < Duration::from_hours(1) {
            Duration::from_hours(24)
        } else {
            Duration::from_hours(168)
        };
        if n == 0 || m == 0 || m > n || span > limit {
            return Err(ScalingError::InvalidEvaluation { n, m });
        }
        Ok(())
    }
}

/// A metric alarm and its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Alarm {
    config: AlarmConfig,
    period: Duration,
    state: AlarmState,
    changed_at: Instant,
    last_evaluated: Option<Instant>,
    last_action: Option<Instant>,
    /// What the last evaluation of the pair found of the breaching points (host builds only;
    /// see [`Run`]).
    #[cfg(not(target_os = "none"))]
    #[serde(skip)]
    run: Run,
}

/// What an M-of-N alarm with M = N keeps from one evaluation to the next (issue 20: the taxi
/// run evaluates target tracking's pair every minute, and `AlarmLow` counted up to 15 points
/// each time): the run of consecutive periods, each with a breaching datapoint, that ends at the
/// newest complete period `newest` and starts at `start` (`newest + 1`: none breaches), as of
/// the metric's mark `mark`. The metric writes new points only behind its newest (a write to an
/// older one changes its mark) and drops points only at its oldest, so while the mark stays,
/// the run's points are unchanged and those not dropped are still there: the next period's
/// point extends it, or ends it by not breaching. Kept only when the metric held a point newer
/// than `newest` (else a sample still to come for `newest` would change it without a new mark).
/// Kept only while the newest point breaches (else the verdict needs no run). Not state: not encoded, and equal to any other.
#[cfg(not(target_os = "none"))]
#[derive(Clone, Copy, Default)]
struct Run {
    kept: bool,
    mark: u64,
    newest: u64,
    start: u64,
}

#[cfg(not(target_os = "none"))]
impl PartialEq for Run {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(not(target_os = "none"))]
impl Eq for Run {}

/// Printed without its figures: equal alarms may keep different runs (a metric's mark).
#[cfg(not(target_os = "none"))]
impl core::fmt::Debug for Run {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Run")
    }
}

#[cfg(all(feature = "defmt", not(target_os = "none")))]
impl defmt::Format for Run {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Run");
    }
}

/// How often Auto Scaling actions are re-invoked while an alarm stays in ALARM.
pub const ACTION_REPEAT: Duration = Duration::from_secs(60);

impl Alarm {
    /// A new alarm for a metric of `period`; it starts in `INSUFFICIENT_DATA`.
    ///
    /// # Errors
    /// [`ScalingError::InvalidPeriod`] or [`ScalingError::InvalidEvaluation`].
    pub fn new(now: Instant, config: AlarmConfig, period: Duration) -> Result<Self, ScalingError> {
        check_period(period)?;
        config.validate(period)?;
        Ok(Self {
            config,
            period,
            state: AlarmState::InsufficientData,
            changed_at: now,
            last_evaluated: None,
            last_action: None,
            #[cfg(not(target_os = "none"))]
            run: Run::default(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AlarmConfig {
        &self.config
    }

    /// The current state.
    pub fn state(&self) -> AlarmState {
        self.state
    }

    /// When the state last changed.
    pub fn changed_at(&self) -> Instant {
        self.changed_at
    }

    /// How often the alarm is evaluated: every 10 s for sub-minute periods, else every minute.
    pub fn evaluation_interval(&self) -> Duration {
        if self.period < Duration::from_secs(60) {
            Duration::from_secs(10)
        } else {
            Duration::from_secs(60)
        }
    }

    /// When the alarm is next due for evaluation.
    pub fn next_evaluation(&self) -> Instant {
        match self.last_evaluated {
            Some(t) => t.saturating_add(self.evaluation_interval()),
            None => Instant::ZERO,
        }
    }

    /// Evaluates the alarm against `metric` at `now` (the caller evaluates at
    /// [`Alarm::next_evaluation`]). Returns `true` when an Auto Scaling action is due: on
    /// entering ALARM, and then once a minute while it stays there.
    ///
    /// # Errors
    /// [`ScalingError::PeriodMismatch`] when the metric's period is not the alarm's.
    pub fn evaluate<const P: usize>(
        &mut self,
        now: Instant,
        metric: &Metric<P>,
    ) -> Result<bool, ScalingError> {
        if metric.period() != self.period {
            return Err(ScalingError::PeriodMismatch);
        }
        let next = self.decide(now, metric);
        Ok(self.settle(now, next))
    }

    /// Evaluates `a` and `b`, two alarms on `metric` (target tracking's `AlarmHigh` and
    /// `AlarmLow`), as `a.evaluate(now, metric)` then `b.evaluate(now, metric)` would, with
    /// `now`'s period and the newest complete datapoint found once for both (issue 20: the
    /// taxi run evaluates the pair every step).
    pub(crate) fn evaluate_pair<const P: usize>(
        a: &mut Self,
        b: &mut Self,
        now: Instant,
        metric: &Metric<P>,
    ) -> (Result<bool, ScalingError>, Result<bool, ScalingError>) {
        if metric.period() != a.period || metric.period() != b.period {
            return (a.evaluate(now, metric), b.evaluate(now, metric));
        }
        let current = metric.slot(now);
        let newest = newest_complete(metric, current);
        // A loop, not a closure called twice: the closure came out of line with a frame of
        // its own on the tick's path.
        let mut due = [false; 2];
        #[cfg(target_os = "none")]
        for (alarm, due) in [a, b].into_iter().zip(&mut due) {
            let next = newest
                .and_then(|i| {
                    alarm
                        .newest_settles(i, metric)
                        .or_else(|| alarm.count_dense(current, i, metric))
                })
                .unwrap_or_else(|| alarm.decide_walk(now, metric, true));
            *due = alarm.settle(now, next);
        }
        // On the host, each alarm in turn: the loop over the kept runs was not unrolled.
        #[cfg(not(target_os = "none"))]
        {
            let next = a.decide_by_run(now, current, newest, metric);
            #[cfg(test)]
            assert_eq!(next, a.decide_walk(now, metric, false), "at {now}");
            due[0] = a.settle(now, next);
            let next = b.decide_by_run(now, current, newest, metric);
            #[cfg(test)]
            assert_eq!(next, b.decide_walk(now, metric, false), "at {now}");
            due[1] = b.settle(now, next);
        }
        let [h, l] = due;
        (Ok(h), Ok(l))
    }

    /// The verdict of [`Alarm::decide`] with the position `newest` of the newest complete
    /// datapoint (period `current − 1`, [`newest_complete`]): that point alone when it settles
    /// it, else the count by position, else the walk. As the firmware's pair decides (written
    /// out there, so that its code stays as it was), and what [`Alarm::decide_by_run`] falls
    /// back on.
    #[cfg(not(target_os = "none"))]
    pub(crate) fn decide_by_count<const P: usize>(
        &self,
        now: Instant,
        current: u64,
        newest: Option<usize>,
        metric: &Metric<P>,
    ) -> AlarmState {
        newest
            .and_then(|i| {
                self.newest_settles(i, metric)
                    .or_else(|| self.count_dense(current, i, metric))
            })
            .unwrap_or_else(|| self.decide_walk(now, metric, true))
    }

    /// [`Alarm::decide_by_count`] from the kept [`Run`] when the alarm has M = N: the newest
    /// complete point extends the run kept for the period before it, or ends it, and the run's
    /// length gives the count (N breaching in a row: ALARM; fewer, and the N periods all hold a
    /// point: OK, the one before the run not breaching; a gap among them: the walk, as the
    /// count would). Without a run for the period before, the run is counted back from the
    /// newest point (up to N), once. Host builds only.
    #[cfg(not(target_os = "none"))]
    #[allow(clippy::inline_always)] // out of line it cost a call and a frame twice a step
    #[inline(always)]
    pub(crate) fn decide_by_run<const P: usize>(
        &mut self,
        now: Instant,
        current: u64,
        newest: Option<usize>,
        metric: &Metric<P>,
    ) -> AlarmState {
        let n = self.config.evaluation_periods;
        let points = &metric.points;
        let found = newest.and_then(|i| Some((i, points.get(i)?)));
        let (Some((i, p)), true) = (found, self.config.m() == n) else {
            self.run.kept = false;
            return self.decide_by_count(now, current, newest, metric);
        };
        let test = BreachTest::new(&self.config);
        if !test.breaches(p) {
            // M = N and the newest point does not breach ([`Alarm::newest_settles`]); no run
            // to keep.
            self.run.kept = false;
            return AlarmState::Ok;
        }
        let run = &mut self.run;
        let follows =
            run.kept && metric.mark.follows(run.mark) && run.newest.checked_add(1) == Some(p.slot);
        let start = if follows {
            // Points dropped at the oldest end leave the rest of the run.
            points.front().map_or(run.start, |f| run.start.max(f.slot))
        } else {
            // Counted back once: consecutive periods, each breaching, up to N.
            let mut start = p.slot;
            let mut j = i;
            let mut len = 1u32;
            while len < n
                && let Some(k) = j.checked_sub(1)
                && let Some(q) = points.get(k)
                && q.slot.checked_add(1) == Some(start)
                && test.breaches(q)
            {
                start = q.slot;
                j = k;
                len = len.saturating_add(1);
            }
            start
        };
        // Newer points than `p` (the one of `current`): no sample can change `p` unmarked.
        *run = Run {
            kept: i.checked_add(1).is_some_and(|j| j < points.len()),
            mark: metric.mark.0,
            newest: p.slot,
            start,
        };
        if p.slot.saturating_add(1).saturating_sub(start) >= u64::from(n) {
            return AlarmState::Alarm;
        }
        // The run broke within the N periods: on a point that does not breach when all N
        // hold one (the count's verdict), else on a gap (the walk's).
        let dense = usize::try_from(n.saturating_sub(1))
            .ok()
            .and_then(|d| i.checked_sub(d))
            .and_then(|o| points.get(o))
            .is_some_and(|o| Some(o.slot) == current.checked_sub(u64::from(n)));
        if dense {
            AlarmState::Ok
        } else {
            self.decide_walk(now, metric, true)
        }
    }

    /// The rest of [`Alarm::evaluate`] once the datapoints called for `next`: the state, and
    /// whether an Auto Scaling action is due.
    fn settle(&mut self, now: Instant, next: AlarmState) -> bool {
        self.last_evaluated = Some(now);
        if next != self.state {
            self.state = next;
            self.changed_at = now;
            if next == AlarmState::Alarm {
                self.last_action = Some(now);
                return true;
            }
        }
        if self.state == AlarmState::Alarm
            && self
                .last_action
                .is_none_or(|t| now.saturating_duration_since(t) >= ACTION_REPEAT)
        {
            self.last_action = Some(now);
            return true;
        }
        false
    }

    /// The alarm's statistic of the real datapoints among the N most recent complete periods
    /// (N = `EvaluationPeriods`), newest first: what the alarm looked at when it last decided.
    fn recent<'m, const P: usize>(
        &self,
        now: Instant,
        metric: &'m Metric<P>,
    ) -> impl Iterator<Item = Value> + 'm {
        let current = metric.slot(now);
        let n = u64::from(self.config.evaluation_periods);
        let statistic = self.config.statistic;
        metric
            .points()
            .rev()
            .filter(move |p| p.slot < current)
            .take_while(move |p| current.saturating_sub(p.slot) <= n)
            .map(move |p| p.statistic(statistic))
    }

    /// The value a step policy compares with its steps at `now`: `aggregation` of the alarm's
    /// statistic over the most recent datapoints (SEMANTICS §3.2); `None` without any.
    pub fn aggregate<const P: usize>(
        &self,
        now: Instant,
        metric: &Metric<P>,
        aggregation: Aggregation,
    ) -> Option<Value> {
        let mut it = self.recent(now, metric);
        let first = it.next()?;
        let (mut lo, mut hi, mut sum, mut n) = (first, first, i128::from(first.0), 1i128);
        for v in it {
            lo = lo.min(v);
            hi = hi.max(v);
            sum = sum.saturating_add(i128::from(v.0));
            n = n.saturating_add(1);
        }
        Some(match aggregation {
            Aggregation::Minimum => lo,
            Aggregation::Maximum => hi,
            Aggregation::Average => {
                Value(i64::try_from(sum.checked_div(n).unwrap_or(0)).unwrap_or(0))
            }
        })
    }

    /// The statistic of the newest complete datapoint in the evaluation range, if any: the
    /// metric value target tracking scales by.
    pub fn latest<const P: usize>(&self, now: Instant, metric: &Metric<P>) -> Option<Value> {
        self.recent(now, metric).next()
    }

    /// The state the datapoints call for (see the module docs for the model).
    fn decide<const P: usize>(&self, now: Instant, metric: &Metric<P>) -> AlarmState {
        let verdict = self.decide_dense_or_walk(now, metric);
        // Every evaluation in the tests is held to the whole walk.
        #[cfg(test)]
        assert_eq!(verdict, self.decide_walk(now, metric, false), "at {now}");
        verdict
    }

    /// [`Alarm::decide`]: the count by position ([`Alarm::decide_dense`]), or the walk.
    pub(crate) fn decide_dense_or_walk<const P: usize>(
        &self,
        now: Instant,
        metric: &Metric<P>,
    ) -> AlarmState {
        self.decide_dense(metric.slot(now), metric)
            .unwrap_or_else(|| self.decide_walk(now, metric, true))
    }

    /// [`Alarm::decide`] when each of the N most recent complete periods before `current`
    /// has its datapoint (a metric recorded every period: the usual case), else `None`. Then
    /// those N points are the N most recent real ones, which decide alone (module docs): ALARM
    /// when M of them breach, else OK, whatever the missing-data treatment. They are found by
    /// position, not by the walk over the range: slots are kept ascending and unique, so when
    /// the points N − 1 places apart hold the slots `current − N` and `current − 1`, every slot
    /// between has its point. The count stops once M breach or more than N − M do not (issue
    /// 20: the walk's bookkeeping was most of an evaluation).
    fn decide_dense<const P: usize>(&self, current: u64, metric: &Metric<P>) -> Option<AlarmState> {
        self.count_dense(current, newest_complete(metric, current)?, metric)
    }

    /// The verdict when the newest complete datapoint (at position `newest`, period
    /// `current − 1`) settles it alone, whatever the older points and the missing-data
    /// treatment: for M = N, OK when it does not breach; for M = 1, ALARM when it breaches.
    /// These are the first point's early verdicts of [`Alarm::decide_walk`] (see there why
    /// they hold for every rule of the module docs); the gaps before it do not matter. Inlined
    /// into the pair's evaluation: most steps of a simulation end here (issue 20: the count's
    /// setup was most of an evaluation).
    #[inline]
    fn newest_settles<const P: usize>(
        &self,
        newest: usize,
        metric: &Metric<P>,
    ) -> Option<AlarmState> {
        let n = self.config.evaluation_periods;
        let m = self.config.m();
        if m != n && m != 1 {
            return None;
        }
        let breaches = BreachTest::new(&self.config).breaches(metric.points.get(newest)?);
        match (breaches, m) {
            (false, m) if m == n => Some(AlarmState::Ok),
            (true, 1) => Some(AlarmState::Alarm),
            _ => None,
        }
    }

    /// [`Alarm::decide_dense`] with the position of the point of period `current − 1` found
    /// ([`newest_complete`]).
    fn count_dense<const P: usize>(
        &self,
        current: u64,
        newest: usize,
        metric: &Metric<P>,
    ) -> Option<AlarmState> {
        let points = &metric.points;
        let n = self.config.evaluation_periods;
        let m = self.config.m();
        let oldest = newest.checked_sub(usize::try_from(n.checked_sub(1)?).ok()?)?;
        let first = current.checked_sub(u64::from(n))?;
        if points.get(oldest)?.slot != first {
            return None;
        }
        let test = BreachTest::new(&self.config);
        let (mut breaching, mut not) = (0u32, 0u32);
        let spare = n.saturating_sub(m);
        for i in (oldest..=newest).rev() {
            if test.breaches(points.get(i)?) {
                breaching = breaching.saturating_add(1);
                if breaching >= m {
                    return Some(AlarmState::Alarm);
                }
            } else {
                not = not.saturating_add(1);
                if not > spare {
                    return Some(AlarmState::Ok);
                }
            }
        }
        // Not reached: N points give M breaching or more than N − M not.
        Some(if breaching >= m {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        })
    }

    /// The alarm with its state set to `state` (the tests' way to decide from any state).
    #[cfg(test)]
    pub(crate) fn set_state(&mut self, state: AlarmState) {
        self.state = state;
    }

    /// [`Alarm::decide`]; `stop_at_n`: the fast path, whose walk over the datapoints ends at the
    /// N-th real one (with N real points the verdict is their breach count, and what the walk
    /// gathers after them is read only with fewer), or as soon as the points of the N most
    /// recent periods settle the verdict whatever the older ones hold:
    /// - M of them breach: ALARM (each rule of the module docs counts them: among the first N
    ///   real points, among the N filled periods, among all the real points);
    /// - the newest real point does not breach and more than N − M of them do not: OK (fewer
    ///   than M can breach by any rule, and the guard cannot hold, nothing breaching after the
    ///   newest non-breaching point). For M = N that is the first point the walk reads.
    ///
    /// Without `stop_at_n` the walk goes on over the whole range (the reference the tests hold
    /// the fast path to). Out of line: most evaluations count by position
    /// ([`Alarm::decide_dense`]), and the walk's state kept [`Alarm::evaluate`]'s own frame
    /// large.
    #[inline(never)]
    pub(crate) fn decide_walk<const P: usize>(
        &self,
        now: Instant,
        metric: &Metric<P>,
        stop_at_n: bool,
    ) -> AlarmState {
        let cfg = &self.config;
        let (n, m) = (u64::from(cfg.evaluation_periods), u64::from(cfg.m()));
        // The newest complete period is the one before `now`'s; age 1 is that period.
        let Some(current) = Some(metric.slot(now)).filter(|s| *s > 0) else {
            return self.state;
        };
        let point = |age: u64| current.checked_sub(age).and_then(|slot| metric.point(slot));
        let breach = |p: &Datapoint| p.breaches(cfg.statistic, cfg.comparison, cfg.threshold);
        let mut real = 0u64;
        let mut breaching_first_n = 0u64;
        let mut breaching_all = 0u64;
        let mut newest: Option<bool> = None;
        let mut oldest_breach: Option<u64> = None;
        let mut youngest_ok: Option<u64> = None;
        // Points within the N most recent periods, for the fast path's early verdicts.
        let (mut breaching_within_n, mut ok_within_n) = (0u64, 0u64);
        // Newest first, one walk: slots are kept ascending and unique.
        let range = n.saturating_add(2);
        for p in metric.points().rev() {
            let Some(age) = current.checked_sub(p.slot) else {
                continue;
            };
            if age == 0 {
                continue;
            }
            if age > range {
                break;
            }
            let b = breach(p);
            if stop_at_n && age <= n {
                if b {
                    breaching_within_n = breaching_within_n.saturating_add(1);
                    if breaching_within_n >= m {
                        return AlarmState::Alarm;
                    }
                } else {
                    ok_within_n = ok_within_n.saturating_add(1);
                    // `newest` is not yet set for this point: none, or a non-breaching one.
                    if newest != Some(true) && ok_within_n > n.saturating_sub(m) {
                        return AlarmState::Ok;
                    }
                }
            }
            if real < n && b {
                breaching_first_n = breaching_first_n.saturating_add(1);
            }
            real = real.saturating_add(1);
            newest.get_or_insert(b);
            if b {
                breaching_all = breaching_all.saturating_add(1);
                oldest_breach = Some(age);
            } else if youngest_ok.is_none() {
                youngest_ok = Some(age);
            }
            if stop_at_n && real >= n {
                break;
            }
        }
        let verdict = |breaching: u64| {
            if breaching >= m {
                AlarmState::Alarm
            } else {
                AlarmState::Ok
            }
        };
        if real >= n {
            return verdict(breaching_first_n);
        }
        match cfg.missing_data {
            MissingData::Breaching | MissingData::NotBreaching => {
                let fill = cfg.missing_data == MissingData::Breaching;
                let breaching = (1..=n)
                    .filter(|&age| point(age).map_or(fill, breach))
                    .fold(0u64, |acc, _| acc.saturating_add(1));
                verdict(breaching)
            }
            MissingData::Missing | MissingData::Ignore => {
                let Some(newest_breaches) = newest else {
                    return match cfg.missing_data {
                        MissingData::Missing => AlarmState::InsufficientData,
                        _ => self.state,
                    };
                };
                // Premature-alarm guard: the oldest breaching point is M periods old and no
                // real point after it is non-breaching.
                let guard = oldest_breach
                    .is_some_and(|age| age >= m && youngest_ok.is_none_or(|ok| ok > age));
                if breaching_all >= m || guard {
                    AlarmState::Alarm
                } else if !newest_breaches {
                    AlarmState::Ok
                } else {
                    self.state
                }
            }
        }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod mark_tests {
    use super::*;

    /// A metric of mark 0, as every metric is on a target without 64-bit atomics (its writes
    /// to older points leave the mark 0), has no kept run followed: its alarms count the
    /// points at every evaluation and decide what the points say (the pair's evaluation
    /// checks each verdict against the walk in tests), a late sample that breaks a run of
    /// breaching points included, which a kept run followed at mark 0 would miss.
    #[test]
    fn a_metric_without_marks_counts_its_points_each_time() {
        assert!(!Mark::NONE.follows(0));
        assert!(Mark(7).follows(7) && !Mark(7).follows(8));
        assert_ne!(Mark::fresh().0, Mark::NONE.0);
        let minute = Duration::from_secs(60);
        let at = |m: u64| Instant::from_secs(m * 60 + 30);
        let load = |x: i64| Value::from_milli(x * 1000);
        let mut metric: Metric<8> = Metric::new(minute).unwrap();
        metric.mark = Mark::NONE;
        let config = |c, x, n| AlarmConfig::new(c, load(x), n);
        let mut high = Alarm::new(at(0), config(Comparison::GreaterThan, 50, 3), minute).unwrap();
        let mut low = Alarm::new(at(0), config(Comparison::LessThan, 40, 3), minute).unwrap();
        // (load of the minute, a late sample for two minutes before). Each evaluation comes
        // once the minute's sample is in, so its newest complete point is the minute before,
        // and the run through it is kept.
        let minutes = [
            (60, None),
            (61, None),
            (62, None),
            (63, None),
            // A late 0 pulls minute 3's mean to 31: minutes 2 to 4 are not three in a row.
            (64, Some(0)),
            (65, None),
            (30, None),
            (31, None),
            (32, None),
            (33, None),
        ];
        let mut states: heapless::Vec<_, 16> = heapless::Vec::new();
        for (m, (x, late)) in (1u64..).zip(minutes) {
            metric
                .record(Instant::from_secs(m * 60 + 5), load(x))
                .unwrap();
            if let Some(y) = late {
                metric
                    .record(Instant::from_secs((m - 2) * 60 + 9), load(y))
                    .unwrap();
            }
            metric.mark = Mark::NONE;
            let _ = Alarm::evaluate_pair(&mut high, &mut low, at(m), &metric);
            states.push((high.state(), low.state())).unwrap();
        }
        // Three breaching minutes in a row set an alarm off (M = N = 3).
        let (on, off) = (AlarmState::Alarm, AlarmState::Ok);
        assert_eq!(states.get(3), Some(&(on, off)));
        assert_eq!(states.get(4), Some(&(off, off)));
        assert_eq!(states.get(6), Some(&(on, off)));
        assert_eq!(states.get(9), Some(&(off, on)));
    }
}
