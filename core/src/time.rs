//! Time as the caller gives it: milliseconds since an epoch the caller chooses.
//!
//! The core never reads a clock (DESIGN.md, principle 1). Every call that depends on time takes
//! `now: Instant`. Both types are plain `u64` millisecond counters; arithmetic is saturating by
//! default (a deadline far in the future clamps to [`Instant::MAX`] instead of wrapping) and
//! `checked_*` variants exist where a caller must know about overflow.

use core::fmt;
use core::ops::{Add, AddAssign, Sub};

/// A point in time, in milliseconds since the caller's epoch.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Instant {
    ms: u64,
}

/// A span of time in milliseconds.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Duration {
    ms: u64,
}

impl Instant {
    /// The epoch itself.
    pub const ZERO: Self = Self { ms: 0 };
    /// The latest representable instant; saturating arithmetic stops here.
    pub const MAX: Self = Self { ms: u64::MAX };

    /// An instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Self { ms }
    }

    /// An instant `s` seconds after the epoch, saturating at [`Instant::MAX`].
    pub const fn from_secs(s: u64) -> Self {
        Self {
            ms: s.saturating_mul(1000),
        }
    }

    /// Milliseconds since the epoch.
    pub const fn total_millis(self) -> u64 {
        self.ms
    }

    /// Time elapsed from `earlier` to `self`, or zero if `earlier` is later.
    ///
    /// Saturating because a caller's clock may step backwards; the core treats that as "no time
    /// passed" rather than failing.
    pub const fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration {
            ms: self.ms.saturating_sub(earlier.ms),
        }
    }

    /// Time elapsed from `earlier` to `self`, or `None` if `earlier` is later.
    pub const fn checked_duration_since(self, earlier: Self) -> Option<Duration> {
        match self.ms.checked_sub(earlier.ms) {
            Some(ms) => Some(Duration { ms }),
            None => None,
        }
    }

    /// `self + d`, or `None` on overflow.
    pub const fn checked_add(self, d: Duration) -> Option<Self> {
        match self.ms.checked_add(d.ms) {
            Some(ms) => Some(Self { ms }),
            None => None,
        }
    }

    /// `self - d`, or `None` before the epoch.
    pub const fn checked_sub(self, d: Duration) -> Option<Self> {
        match self.ms.checked_sub(d.ms) {
            Some(ms) => Some(Self { ms }),
            None => None,
        }
    }

    /// `self + d`, clamped to [`Instant::MAX`].
    #[must_use]
    pub const fn saturating_add(self, d: Duration) -> Self {
        Self {
            ms: self.ms.saturating_add(d.ms),
        }
    }

    /// `self - d`, clamped to the epoch.
    #[must_use]
    pub const fn saturating_sub(self, d: Duration) -> Self {
        Self {
            ms: self.ms.saturating_sub(d.ms),
        }
    }
}

impl Duration {
    /// No time.
    pub const ZERO: Self = Self { ms: 0 };
    /// The longest representable span.
    pub const MAX: Self = Self { ms: u64::MAX };

    /// A span of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        Self { ms }
    }

    /// A span of `s` seconds, saturating at [`Duration::MAX`].
    pub const fn from_secs(s: u64) -> Self {
        Self {
            ms: s.saturating_mul(1000),
        }
    }

    /// A span of `m` minutes, saturating at [`Duration::MAX`].
    pub const fn from_mins(m: u64) -> Self {
        Self {
            ms: m.saturating_mul(60_000),
        }
    }

    /// A span of `h` hours, saturating at [`Duration::MAX`].
    pub const fn from_hours(h: u64) -> Self {
        Self {
            ms: h.saturating_mul(3_600_000),
        }
    }

    /// The whole span in milliseconds.
    pub const fn total_millis(self) -> u64 {
        self.ms
    }

    /// Whole seconds, rounding down.
    pub const fn total_secs(self) -> u64 {
        self.ms / 1000
    }

    /// The millisecond part below one second (`1.234s` → 234).
    pub const fn subsec_millis(self) -> u64 {
        self.ms % 1000
    }

    /// Rounds up to a whole number of seconds, saturating.
    ///
    /// EC2 bills per second (SEMANTICS §1.1); a started second is a billed second.
    #[must_use]
    pub const fn ceil_to_secs(self) -> Self {
        let rem = self.ms % 1000;
        if rem == 0 {
            self
        } else {
            Self {
                ms: self.ms.saturating_add(1000_u64.saturating_sub(rem)),
            }
        }
    }

    /// `self + other`, or `None` on overflow.
    pub const fn checked_add(self, other: Self) -> Option<Self> {
        match self.ms.checked_add(other.ms) {
            Some(ms) => Some(Self { ms }),
            None => None,
        }
    }

    /// `self - other`, or `None` if `other` is longer.
    pub const fn checked_sub(self, other: Self) -> Option<Self> {
        match self.ms.checked_sub(other.ms) {
            Some(ms) => Some(Self { ms }),
            None => None,
        }
    }

    /// `self * n`, or `None` on overflow.
    pub const fn checked_mul(self, n: u64) -> Option<Self> {
        match self.ms.checked_mul(n) {
            Some(ms) => Some(Self { ms }),
            None => None,
        }
    }

    /// `self + other`, clamped to [`Duration::MAX`].
    #[must_use]
    pub const fn saturating_add(self, other: Self) -> Self {
        Self {
            ms: self.ms.saturating_add(other.ms),
        }
    }

    /// `self - other`, clamped to zero.
    #[must_use]
    pub const fn saturating_sub(self, other: Self) -> Self {
        Self {
            ms: self.ms.saturating_sub(other.ms),
        }
    }

    /// `self * n`, clamped to [`Duration::MAX`].
    #[must_use]
    pub const fn saturating_mul(self, n: u64) -> Self {
        Self {
            ms: self.ms.saturating_mul(n),
        }
    }
}

/// Saturating: a deadline past the end of time is the end of time.
impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, rhs: Duration) -> Instant {
        self.saturating_add(rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = self.saturating_add(rhs);
    }
}

/// Saturating: an instant before the epoch is the epoch.
impl Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, rhs: Duration) -> Instant {
        self.saturating_sub(rhs)
    }
}

/// Saturating: `a - b` with `b` later than `a` is zero.
impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

/// Saturating at [`Duration::MAX`].
impl Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        self.saturating_add(rhs)
    }
}

impl AddAssign for Duration {
    fn add_assign(&mut self, rhs: Duration) {
        *self = self.saturating_add(rhs);
    }
}

/// Saturating at zero.
impl Sub for Duration {
    type Output = Duration;
    fn sub(self, rhs: Duration) -> Duration {
        self.saturating_sub(rhs)
    }
}

/// Prints seconds with millisecond precision: `1.234s`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.total_secs(), self.subsec_millis())
    }
}

/// Prints seconds since the epoch with millisecond precision: `@12.500s`.
impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", Duration::from_millis(self.ms))
    }
}

/// `@12.500s`, as `Display` prints it.
#[cfg(feature = "defmt")]
impl defmt::Format for Instant {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "@{=u64:ms}s", self.ms);
    }
}

/// `12.500s`, as `Display` prints it.
#[cfg(feature = "defmt")]
impl defmt::Format for Duration {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=u64:ms}s", self.ms);
    }
}

/// Formats an instant as `YYYY-MM-DDThh:mm:ssZ` (the service's time format).
pub struct Utc(pub Instant);

impl fmt::Display for Utc {
    // Bounded as in `civil_from_days`.
    #[allow(clippy::arithmetic_side_effects)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = i64::try_from(self.0.total_millis() / 1000).unwrap_or(i64::MAX);
        let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
        let s = secs.rem_euclid(86_400);
        write!(
            f,
            "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

/// (year, month 1–12, day 1–31) of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
// Every caller passes |z| < 2^47 (i64 milliseconds or seconds over a day), so none of these
// operations can overflow an i64, and the divisors are constants.
#[allow(clippy::arithmetic_side_effects)]
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z.clamp(-(1 << 50), 1 << 50).saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`); the inverse of
/// [`civil_from_days`]. Months outside 1–12 are clamped.
// The year is clamped to ±2^40 and month and day are small, so nothing overflows an i64.
#[allow(clippy::arithmetic_side_effects)]
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month.clamp(1, 12)), i64::from(day.min(31)));
    let y = year.clamp(-(1 << 40), 1 << 40) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_prelude::*;

    #[test]
    fn saturating_arithmetic_clamps() {
        assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
        assert_eq!(Instant::ZERO - Duration::from_secs(1), Instant::ZERO);
        assert_eq!(
            Instant::from_secs(1) - Instant::from_secs(5),
            Duration::ZERO
        );
        assert_eq!(Instant::MAX.checked_add(Duration::from_millis(1)), None);
        assert_eq!(
            Instant::from_secs(5).checked_duration_since(Instant::from_secs(6)),
            None
        );
        assert_eq!(Duration::from_hours(u64::MAX), Duration::MAX);
    }

    #[test]
    fn ceil_to_secs_rounds_started_seconds_up() {
        assert_eq!(Duration::from_millis(0).ceil_to_secs(), Duration::ZERO);
        assert_eq!(
            Duration::from_millis(1).ceil_to_secs(),
            Duration::from_secs(1)
        );
        assert_eq!(
            Duration::from_millis(2000).ceil_to_secs(),
            Duration::from_secs(2)
        );
        assert_eq!(
            Duration::from_millis(2001).ceil_to_secs(),
            Duration::from_secs(3)
        );
        assert_eq!(Duration::MAX.ceil_to_secs(), Duration::MAX);
    }

    #[test]
    fn display_has_millisecond_precision() {
        assert_eq!(Duration::from_millis(1234).to_string(), "1.234s");
        assert_eq!(Instant::from_millis(12_500).to_string(), "@12.500s");
    }
}
