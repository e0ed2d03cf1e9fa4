//! Time zones for scheduled actions (SEMANTICS §3.6) as POSIX TZ rules, and the civil calendar.
//!
//! The service takes an IANA zone name (`Europe/Paris`) and a database of its history. A
//! controller has no room for that database, so a zone here is the compact rule embedded
//! systems use (POSIX.1-2017 §8.3, the `TZ` variable), which gets daylight saving right for
//! the current rules of a place: `CET-1CEST,M3.5.0,M10.5.0/3` is Paris, `EST5EDT,M3.2.0,M11.1.0`
//! New York, `AEST-10AEDT,M10.1.0,M4.1.0/3` Sydney. The last line of a `TZif` file (RFC 8536
//! §3.3) holds this string for every IANA zone.
//!
//! Grammar: `std offset [dst [offset] [,start[/time],end[/time]]]`.
//! - Names: three or more letters (`CET`), or quoted `<+03>` / `<-0330>` (letters, digits, `+`,
//!   `-`). Names do not change any computation and are not stored.
//! - Offsets `[+|-]hh[:mm[:ss]]`, at most 24:00:00, with the POSIX sign: positive west of
//!   Greenwich, so `CET-1` is UTC+1. The daylight offset defaults to one hour ahead of standard.
//! - Rules: `Jn` (day 1–365, February 29 never counted, so `J60` is always March 1), `n`
//!   (day 0–365 counting February 29), `Mm.w.d` (month 1–12, week 1–5 with 5 meaning the last,
//!   weekday 0–6 from Sunday). `/time` is the local time of the change, default `02:00:00`,
//!   signed and up to ±167 hours as RFC 8536 §3.3.1 allows (`J365/25` is 01:00 on the next
//!   day).
//!
//! Model:
//! - `""`, `"UTC"` and `"GMT"` are UTC; other text needs the offset POSIX requires.
//! - A daylight name without rules takes the US rule `M3.2.0,M11.1.0` (what glibc and newlib
//!   do).
//! - Daylight saving starts at the start rule's local standard time and ends at the end rule's
//!   local daylight time. In year `y` it is in effect from start to end when start comes first
//!   (north), and from start to the next year's end when end comes first (south, e.g. Sydney).
//!   A rule that ends a year after it starts (`EST5EDT,0/0,J365/25`) keeps daylight time all
//!   year, as RFC 8536 describes.
//! - Computation is in integers, with no panics, for instants from 1970 through 9999; later
//!   instants saturate.
//!
//! [`Display`](core::fmt::Display) prints a canonical equivalent, with names made from the
//! offsets (`<+01>-1<+02>,M3.5.0,M10.5.0/3`, and `UTC0` for UTC); parsing it gives the same
//! zone.

use core::fmt;
use core::str::FromStr;

use crate::scaling::ScalingError;
use crate::time::Instant;
pub use crate::time::{civil_from_days, days_from_civil};

/// Seconds in a day.
const DAY: i64 = 86_400;
/// The largest offset from UTC accepted in the text, in seconds.
const MAX_OFFSET: i32 = 24 * 3600;
/// The largest rule time, in seconds (RFC 8536: hours -167 to 167).
const MAX_RULE_TIME: i32 = 167 * 3600 + 59 * 60 + 59;
/// Default time of a change: 02:00:00 local.
const DEFAULT_TIME: i32 = 7200;

/// A time zone: a standard offset and, optionally, daylight saving by yearly rules.
///
/// Offsets are stored in seconds east of UTC (local = UTC + offset), the opposite sign of the
/// POSIX text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct TimeZone {
    std: i32,
    dst: Option<Dst>,
}

/// Daylight saving: its offset and when it starts and ends each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
struct Dst {
    offset: i32,
    start: Rule,
    end: Rule,
}

/// One yearly change: a day and a local time on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
struct Rule {
    day: RuleDay,
    /// Seconds after local midnight of the day; may be negative or past 24 h.
    time: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
enum RuleDay {
    /// `Jn`: 1–365, February 29 not counted.
    Julian(u16),
    /// `n`: 0–365, February 29 counted.
    Zero(u16),
    /// `Mm.w.d`.
    MonthWeekDay { month: u8, week: u8, weekday: u8 },
}

/// A local wall-clock time resolved to UTC (see [`TimeZone::from_local`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Local {
    /// The time occurs once.
    Unique(Instant),
    /// The time occurs twice (clocks went back): the earlier and the later instant.
    Ambiguous(Instant, Instant),
    /// The time does not occur (clocks went forward over it): the instant the clocks changed,
    /// the first instant after the skipped local times.
    Gap(Instant),
}

/// The same resolution in signed milliseconds, before conversion to [`Instant`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LocalMs {
    Unique(i64),
    Ambiguous(i64, i64),
    Gap(i64),
}

/// The US rule taken when a daylight name has no rules.
const US_START: Rule = Rule {
    day: RuleDay::MonthWeekDay {
        month: 3,
        week: 2,
        weekday: 0,
    },
    time: DEFAULT_TIME,
};
const US_END: Rule = Rule {
    day: RuleDay::MonthWeekDay {
        month: 11,
        week: 1,
        weekday: 0,
    },
    time: DEFAULT_TIME,
};

impl Default for TimeZone {
    fn default() -> Self {
        Self::UTC
    }
}

impl TimeZone {
    /// Coordinated Universal Time, the service's default.
    pub const UTC: Self = Self { std: 0, dst: None };

    /// A fixed offset with no daylight saving, in minutes east of UTC (`120` is UTC+2).
    ///
    /// # Errors
    /// [`ScalingError::InvalidTimeZone`] beyond ±24 hours.
    pub fn fixed(offset_minutes: i32) -> Result<Self, ScalingError> {
        let secs = offset_minutes
            .checked_mul(60)
            .filter(|s| s.unsigned_abs() <= MAX_OFFSET.unsigned_abs())
            .ok_or(ScalingError::InvalidTimeZone { position: 0 })?;
        Ok(Self {
            std: secs,
            dst: None,
        })
    }

    /// Parses a POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` (grammar in the module
    /// docs).
    ///
    /// # Errors
    /// [`ScalingError::InvalidTimeZone`] with the byte position where the text stops making
    /// sense.
    ///
    /// An IANA name (`America/New_York`) is looked up in the table of the `tz-names` feature
    /// when the text is not a POSIX rule; without the feature, or for a name the table does
    /// not hold, a text that looks like an IANA name (`Area/Place`) is
    /// [`ScalingError::UnknownTimeZone`].
    pub fn parse(text: &str) -> Result<Self, ScalingError> {
        match Self::parse_posix(text) {
            Ok(zone) => Ok(zone),
            Err(e) => {
                #[cfg(feature = "tz-names")]
                if let Some(rule) = Self::rule_of(text) {
                    return Self::parse_posix(rule);
                }
                if looks_like_iana(text) {
                    Err(ScalingError::UnknownTimeZone)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// The POSIX rule of an IANA zone name (`America/New_York` gives
    /// `EST5EDT,M3.2.0,M11.1.0`), from the footer of its `TZif` file in the tzdata the table
    /// was generated from (`scripts/gen_tz_names.py`); every zone and link name is there.
    /// Needs the `tz-names` feature (about 10 KB of flash).
    #[cfg(feature = "tz-names")]
    pub fn rule_of(name: &str) -> Option<&'static str> {
        use super::tz_names::{NAMES, RULE_OF, RULES};
        let line = NAMES.split('\n').position(|n| n == name)?;
        let rule = RULE_OF.get(line)?;
        RULES.split('\n').nth(usize::from(*rule))
    }

    /// Every IANA name the `tz-names` table holds, sorted.
    #[cfg(feature = "tz-names")]
    pub fn names() -> impl Iterator<Item = &'static str> {
        super::tz_names::NAMES.split('\n')
    }

    fn parse_posix(text: &str) -> Result<Self, ScalingError> {
        if matches!(text, "" | "UTC" | "GMT") {
            return Ok(Self::UTC);
        }
        let mut p = Parser {
            s: text.as_bytes(),
            pos: 0,
        };
        p.name()?;
        let std = p.offset()?;
        if p.at_end() {
            return Ok(Self { std, dst: None });
        }
        p.name()?;
        let mut offset = std.saturating_add(3600);
        if matches!(p.peek(), Some(b'+' | b'-' | b'0'..=b'9')) {
            offset = p.offset()?;
        }
        let (start, end) = if p.at_end() {
            (US_START, US_END)
        } else {
            p.expect(b',')?;
            let start = p.rule()?;
            p.expect(b',')?;
            let end = p.rule()?;
            if !p.at_end() {
                return Err(p.err());
            }
            (start, end)
        };
        Ok(Self {
            std,
            dst: Some(Dst { offset, start, end }),
        })
    }

    /// Whether the zone has daylight saving.
    pub fn has_dst(&self) -> bool {
        self.dst.is_some()
    }

    /// The offset from UTC in effect at `utc`, in seconds east of UTC (3600 for CET).
    pub fn offset_at(&self, utc: Instant) -> i32 {
        self.offset_at_ms(instant_ms(utc))
    }

    /// The local wall-clock time at `utc`: milliseconds since 1970-01-01T00:00 on the local
    /// clock.
    pub fn to_local(&self, utc: Instant) -> i64 {
        let ms = instant_ms(utc);
        ms.saturating_add(i64::from(self.offset_at_ms(ms)).saturating_mul(1000))
    }

    /// The UTC instants at which the local clock shows `local` (milliseconds since
    /// 1970-01-01T00:00 local); `None` when one of them falls before 1970-01-01T00:00Z.
    pub fn from_local(&self, local: i64) -> Option<Local> {
        let i = |ms: i64| u64::try_from(ms).ok().map(Instant::from_millis);
        Some(match self.resolve_ms(local) {
            LocalMs::Unique(u) => Local::Unique(i(u)?),
            LocalMs::Ambiguous(a, b) => Local::Ambiguous(i(a)?, i(b)?),
            LocalMs::Gap(t) => Local::Gap(i(t)?),
        })
    }

    pub(crate) fn offset_at_ms(&self, ms: i64) -> i32 {
        match self.dst {
            Some(d) if d.in_effect(ms.div_euclid(1000), self.std) => d.offset,
            _ => self.std,
        }
    }

    pub(crate) fn resolve_ms(&self, local: i64) -> LocalMs {
        let off_ms = |o: i32| i64::from(o).saturating_mul(1000);
        let Some(d) = self.dst else {
            return LocalMs::Unique(local.saturating_sub(off_ms(self.std)));
        };
        let a = local.saturating_sub(off_ms(self.std));
        let b = local.saturating_sub(off_ms(d.offset));
        if a == b {
            return LocalMs::Unique(a);
        }
        let (lo, lo_off, hi, hi_off) = if a < b {
            (a, self.std, b, d.offset)
        } else {
            (b, d.offset, a, self.std)
        };
        match (
            self.offset_at_ms(lo) == lo_off,
            self.offset_at_ms(hi) == hi_off,
        ) {
            (true, true) => LocalMs::Ambiguous(lo, hi),
            (true, false) => LocalMs::Unique(lo),
            (false, true) => LocalMs::Unique(hi),
            (false, false) => LocalMs::Gap(self.change_in(lo, hi)),
        }
    }

    /// An instant in `(lo, hi]` where the offset changes to the one at `hi` (bisection; the
    /// window is at most a couple of days).
    fn change_in(&self, mut lo: i64, mut hi: i64) -> i64 {
        let target = self.offset_at_ms(hi);
        while hi.saturating_sub(lo) > 1 {
            let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
            if self.offset_at_ms(mid) == target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

impl Dst {
    /// Whether daylight saving is in effect at `utc` seconds.
    fn in_effect(&self, utc: i64, std: i32) -> bool {
        let (year, _, _) = civil_from_days(utc.div_euclid(DAY));
        // A change is at most a week (rule time) and a day (offset) from its date, so a
        // period that covers `utc` starts in one of these years.
        (year.saturating_sub(2)..=year.saturating_add(1)).any(|y| {
            let start = self.start.utc(y, std);
            let end = self.end.utc(y, self.offset);
            let end = if end < start {
                self.end.utc(y.saturating_add(1), self.offset)
            } else {
                end
            };
            start <= utc && utc < end
        })
    }
}

impl Rule {
    /// The change in `year` as UTC seconds, given the offset in effect before it.
    fn utc(self, year: i64, offset: i32) -> i64 {
        self.day
            .days(year)
            .saturating_mul(DAY)
            .saturating_add(i64::from(self.time))
            .saturating_sub(i64::from(offset))
    }
}

impl RuleDay {
    /// Days since 1970-01-01 of this day in `year`. Out-of-range fields (from a hand-made
    /// serialized value) are clamped.
    fn days(self, year: i64) -> i64 {
        let jan1 = days_from_civil(year, 1, 1);
        match self {
            Self::Julian(n) => {
                let n = i64::from(n.clamp(1, 365));
                let leap_day = i64::from(is_leap(year) && n >= 60);
                jan1.saturating_add(n)
                    .saturating_sub(1)
                    .saturating_add(leap_day)
            }
            Self::Zero(n) => jan1.saturating_add(i64::from(n.min(365))),
            Self::MonthWeekDay {
                month,
                week,
                weekday,
            } => {
                let month = u32::from(month.clamp(1, 12));
                let first = days_from_civil(year, month, 1);
                let next = if month == 12 {
                    days_from_civil(year.saturating_add(1), 1, 1)
                } else {
                    days_from_civil(year, month.saturating_add(1), 1)
                };
                let len = next.saturating_sub(first);
                let delta = i64::from(weekday.min(6))
                    .saturating_sub(weekday_of(first))
                    .rem_euclid(7);
                let weeks = i64::from(week.clamp(1, 5).saturating_sub(1));
                let mut day = delta.saturating_add(weeks.saturating_mul(7));
                while day >= len && day >= 7 {
                    day = day.saturating_sub(7);
                }
                first.saturating_add(day)
            }
        }
    }
}

/// 0 for Sunday through 6 for Saturday, of a day count since 1970-01-01 (a Thursday).
pub(crate) fn weekday_of(days: i64) -> i64 {
    days.rem_euclid(7).saturating_add(4).rem_euclid(7)
}

fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Whether `text` has the shape of an IANA zone name (`Area/Place`, letters, digits, `_`,
/// `-`, `+`), so that a failed parse says the name is unknown rather than pointing at a byte.
fn looks_like_iana(text: &str) -> bool {
    text.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && text.contains('/')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'))
}

/// An instant as signed milliseconds; instants past year 292 million saturate.
fn instant_ms(t: Instant) -> i64 {
    i64::try_from(t.total_millis()).unwrap_or(i64::MAX)
}

// ----- text ----------------------------------------------------------------------------------

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    fn err(&self) -> ScalingError {
        ScalingError::InvalidTimeZone {
            position: u16::try_from(self.pos).unwrap_or(u16::MAX),
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.bump();
        }
        hit
    }

    fn expect(&mut self, c: u8) -> Result<(), ScalingError> {
        if self.eat(c) { Ok(()) } else { Err(self.err()) }
    }

    /// A zone name, checked and skipped.
    fn name(&mut self) -> Result<(), ScalingError> {
        let quoted = self.eat(b'<');
        let start = self.pos;
        while let Some(c) = self.peek() {
            let ok = if quoted {
                c.is_ascii_alphanumeric() || c == b'+' || c == b'-'
            } else {
                c.is_ascii_alphabetic()
            };
            if !ok {
                break;
            }
            self.bump();
        }
        if self.pos.saturating_sub(start) < 3 {
            return Err(self.err());
        }
        if quoted {
            self.expect(b'>')?;
        }
        Ok(())
    }

    /// A number of 1 to `max_digits` digits.
    fn number(&mut self, max_digits: usize) -> Result<u32, ScalingError> {
        let mut n = 0u32;
        let mut digits = 0usize;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            if digits == max_digits {
                return Err(self.err());
            }
            n = n
                .saturating_mul(10)
                .saturating_add(u32::from(c.saturating_sub(b'0')));
            digits = digits.saturating_add(1);
            self.bump();
        }
        if digits == 0 {
            return Err(self.err());
        }
        Ok(n)
    }

    /// `[+|-]h[:mm[:ss]]` as signed seconds (text sign), at most `max` in magnitude.
    fn hms(&mut self, hour_digits: usize, max: i32) -> Result<i32, ScalingError> {
        let negative = if self.eat(b'-') {
            true
        } else {
            self.eat(b'+');
            false
        };
        let start = self.pos;
        let h = self.number(hour_digits)?;
        let mut secs = h.saturating_mul(3600);
        for unit in [60u32, 1] {
            if !self.eat(b':') {
                break;
            }
            let v = self.number(2)?;
            if v > 59 {
                return Err(self.err());
            }
            secs = secs.saturating_add(v.saturating_mul(unit));
        }
        let secs = i32::try_from(secs).map_err(|_| self.err())?;
        if secs > max {
            self.pos = start;
            return Err(self.err());
        }
        Ok(if negative {
            secs.saturating_neg()
        } else {
            secs
        })
    }

    /// A POSIX offset (positive west), returned as seconds east of UTC.
    fn offset(&mut self) -> Result<i32, ScalingError> {
        Ok(self.hms(2, MAX_OFFSET)?.saturating_neg())
    }

    fn rule(&mut self) -> Result<Rule, ScalingError> {
        let start = self.pos;
        let bad = |p: &mut Self| {
            p.pos = start;
            Err(p.err())
        };
        let day = match self.peek() {
            Some(b'J') => {
                self.bump();
                let n = self.number(3)?;
                match u16::try_from(n) {
                    Ok(n @ 1..=365) => RuleDay::Julian(n),
                    _ => return bad(self),
                }
            }
            Some(b'M') => {
                self.bump();
                let month = self.number(2)?;
                self.expect(b'.')?;
                let week = self.number(1)?;
                self.expect(b'.')?;
                let weekday = self.number(1)?;
                match (
                    u8::try_from(month),
                    u8::try_from(week),
                    u8::try_from(weekday),
                ) {
                    (Ok(month @ 1..=12), Ok(week @ 1..=5), Ok(weekday @ 0..=6)) => {
                        RuleDay::MonthWeekDay {
                            month,
                            week,
                            weekday,
                        }
                    }
                    _ => return bad(self),
                }
            }
            _ => {
                let n = self.number(3)?;
                match u16::try_from(n) {
                    Ok(n @ 0..=365) => RuleDay::Zero(n),
                    _ => return bad(self),
                }
            }
        };
        let time = if self.eat(b'/') {
            self.hms(3, MAX_RULE_TIME)?
        } else {
            DEFAULT_TIME
        };
        Ok(Rule { day, time })
    }
}

impl FromStr for TimeZone {
    type Err = ScalingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// `h[:mm[:ss]]` of a magnitude in seconds.
fn write_hms(f: &mut fmt::Formatter<'_>, secs: u32) -> fmt::Result {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    write!(f, "{h}")?;
    if m != 0 || s != 0 {
        write!(f, ":{m:02}")?;
    }
    if s != 0 {
        write!(f, ":{s:02}")?;
    }
    Ok(())
}

/// A quoted name made from an offset east of UTC: `<+01>`, `<-0330>`, `<+053012>`.
fn write_name(f: &mut fmt::Formatter<'_>, east: i32) -> fmt::Result {
    let sign = if east < 0 { '-' } else { '+' };
    let secs = east.unsigned_abs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    write!(f, "<{sign}{h:02}")?;
    if m != 0 || s != 0 {
        write!(f, "{m:02}")?;
    }
    if s != 0 {
        write!(f, "{s:02}")?;
    }
    f.write_str(">")
}

/// An offset east of UTC in POSIX text (positive west).
fn write_offset(f: &mut fmt::Formatter<'_>, east: i32) -> fmt::Result {
    if east > 0 {
        f.write_str("-")?;
    }
    write_hms(f, east.unsigned_abs())
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            RuleDay::Julian(n) => write!(f, "J{n}")?,
            RuleDay::Zero(n) => write!(f, "{n}")?,
            RuleDay::MonthWeekDay {
                month,
                week,
                weekday,
            } => write!(f, "M{month}.{week}.{weekday}")?,
        }
        if self.time != DEFAULT_TIME {
            f.write_str("/")?;
            if self.time < 0 {
                f.write_str("-")?;
            }
            write_hms(f, self.time.unsigned_abs())?;
        }
        Ok(())
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Self::UTC {
            return f.write_str("UTC0");
        }
        write_name(f, self.std)?;
        write_offset(f, self.std)?;
        if let Some(d) = self.dst {
            write_name(f, d.offset)?;
            if Some(d.offset) != self.std.checked_add(3600) {
                write_offset(f, d.offset)?;
            }
            write!(f, ",{},{}", d.start, d.end)?;
        }
        Ok(())
    }
}

// ----- civil calendar ------------------------------------------------------------------------
