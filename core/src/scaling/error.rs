//! Scaling's error, with its `Display` text, stable numeric code (1200s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use crate::error::{Error, ErrorKind};
use crate::scaling::cron::CronField;

/// Why a metric, alarm or scaling policy request was refused (SEMANTICS §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ScalingError {
    /// A period that is not 10, 20, 30 s or a multiple of 60 s.
    InvalidPeriod {
        /// The period given, in seconds.
        seconds: u64,
    },
    /// `EvaluationPeriods` or `DatapointsToAlarm` out of range (N ≥ 1, 1 ≤ M ≤ N, span limit).
    InvalidEvaluation {
        /// N.
        n: u32,
        /// M.
        m: u32,
    },
    /// A sample older than every period the store keeps.
    TooOld,
    /// The alarm and the metric have different periods.
    PeriodMismatch,
    /// An adjustment that does not fit its type (a negative exact capacity, or a minimum
    /// magnitude on a non-percent adjustment).
    InvalidAdjustment,
    /// Step adjustments with a gap, an overlap, a missing open end or too many steps.
    InvalidSteps,
    /// A step policy got no metric value, or one that matches no step.
    NoStep,
    /// A cron recurrence that does not have five fields.
    InvalidCron,
    /// A cron field with a value outside its range (`hour 25`).
    CronOutOfRange {
        /// The field.
        field: CronField,
        /// The value given (saturated at `u32::MAX`).
        value: u32,
    },
    /// A cron field that is not a number, name, range `a-b`, list `a,b` or step `*/n` with
    /// `n >= 1`, or a range that runs backwards.
    CronSyntax {
        /// The field.
        field: CronField,
    },
    /// A predictive scaling configuration out of range (buffer under an hour, a positive
    /// target, a max capacity buffer of 0–100 %).
    InvalidForecastConfig,
    /// A time zone that is not a POSIX TZ rule (or a fixed offset beyond ±24 hours).
    InvalidTimeZone {
        /// Byte position in the text where it stops making sense.
        position: u16,
    },
    /// A time zone text shaped like an IANA name (`Area/Place`) that this build cannot resolve:
    /// the name is not in the `tz-names` table, or the feature is off (then pass the POSIX rule
    /// of the zone's `TZif` footer).
    UnknownTimeZone,
    /// `ExecutePolicy` on a target-tracking policy: its own alarms drive it.
    NotExecutable,
    /// The group already runs a policy with Kubernetes HPA behaviour (one per group).
    HpaTaken,
    /// An HPA behaviour out of range (a rate policy of 0, a period outside 1-1800 s, a
    /// stabilization window over 3600 s, no policy in an enabled direction).
    InvalidBehavior,
    /// A target-tracking policy with a target that is not positive, or HPA behaviour on a
    /// metric that members do not report one by one.
    InvalidTargetTracking,
}

impl fmt::Display for ScalingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPeriod { seconds } => write!(
                f,
                "period {seconds} s is not 10, 20, 30 or a multiple of 60 seconds"
            ),
            Self::InvalidEvaluation { n, m } => write!(
                f,
                "datapoints to alarm {m} out of {n} evaluation periods is invalid: \
                 need 1 <= m <= n and a span of at most one day (one week for periods of an hour)"
            ),
            Self::TooOld => f.write_str("sample is older than every period kept"),
            Self::PeriodMismatch => f.write_str("the alarm and the metric have different periods"),
            Self::InvalidAdjustment => f.write_str(
                "adjustment does not fit its type: exact capacity must be >= 0 and a minimum \
                 adjustment magnitude needs PercentChangeInCapacity",
            ),
            Self::NoStep => f.write_str("the metric value matches no step of the policy"),
            Self::InvalidForecastConfig => f.write_str(
                "predictive scaling needs a buffer under an hour, a positive target and a max \
                 capacity buffer of 0-100 percent",
            ),
            Self::InvalidCron => f.write_str(
                "recurrence must be five cron fields: minute hour day-of-month month day-of-week",
            ),
            Self::CronOutOfRange { field, value } => {
                let (lo, hi) = field.range();
                write!(f, "{} {value} is out of range {lo}-{hi}", field.name())
            }
            Self::CronSyntax { field } => write!(
                f,
                "{} field is not a number, name, range a-b, list a,b or step */n with n >= 1 \
                 (ranges run upwards)",
                field.name()
            ),
            // A build with the IANA table knows every name a user could mean, so the name is
            // wrong there; a build without it (firmware) needs the rule instead.
            #[cfg(feature = "tz-names")]
            Self::UnknownTimeZone => f.write_str(
                "time zone is neither an IANA name of the tz database (such as \
                 America/New_York) nor a POSIX rule such as EST5EDT,M3.2.0,M11.1.0",
            ),
            #[cfg(not(feature = "tz-names"))]
            Self::UnknownTimeZone => f.write_str(
                "time zone name is unknown: this build takes IANA names only with the tz-names \
                 feature, and otherwise the POSIX rule such as EST5EDT,M3.2.0,M11.1.0 (the last \
                 line of the zone's TZif file)",
            ),
            Self::InvalidTimeZone { position } => write!(
                f,
                "time zone is not a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3 or UTC0 \
                 (offsets at most 24 h; error at byte {position})"
            ),
            Self::InvalidSteps => f.write_str(
                "step adjustments must not overlap or leave gaps, with at most one open lower \
                 and one open upper bound and at most 20 steps",
            ),
            Self::NotExecutable => {
                f.write_str("a target-tracking policy cannot be executed by hand")
            }
            Self::HpaTaken => f.write_str("the group already has a policy with HPA behaviour"),
            Self::InvalidBehavior => f.write_str(
                "HPA behaviour needs rate policies of at least 1 with periods of 1-1800 s and \
                 stabilization windows of at most 3600 s",
            ),
            Self::InvalidTargetTracking => f.write_str(
                "target tracking needs a positive target, and HPA behaviour a per-member metric",
            ),
        }
    }
}

impl core::error::Error for ScalingError {}

impl Error for ScalingError {
    fn code(&self) -> u32 {
        match self {
            Self::InvalidPeriod { .. } => 1200,
            Self::InvalidEvaluation { .. } => 1201,
            Self::TooOld => 1202,
            Self::PeriodMismatch => 1203,
            Self::InvalidAdjustment => 1204,
            Self::InvalidSteps => 1205,
            Self::NoStep => 1206,
            Self::InvalidCron => 1207,
            Self::InvalidForecastConfig => 1208,
            Self::InvalidTimeZone { .. } => 1209,
            // 1210: unused.
            Self::NotExecutable => 1211,
            Self::HpaTaken => 1212,
            Self::InvalidBehavior => 1213,
            Self::InvalidTargetTracking => 1214,
            Self::CronOutOfRange { .. } => 1215,
            Self::CronSyntax { .. } => 1216,
            Self::UnknownTimeZone => 1217,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::TooOld => ErrorKind::InvalidState,
            Self::NoStep | Self::UnknownTimeZone => ErrorKind::NotFound,
            Self::InvalidCron | Self::CronSyntax { .. } | Self::InvalidTimeZone { .. } => {
                ErrorKind::Malformed
            }
            Self::NotExecutable => ErrorKind::Unsupported,
            Self::HpaTaken => ErrorKind::CapacityExceeded,
            _ => ErrorKind::InvalidArgument,
        }
    }
}
