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
