//! Cron recurrences for scheduled actions (SEMANTICS §3.6) and the civil calendar they need.
//!
//! Five fields, `[Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]`, each `*`, a
//! number, a range `a-b`, a list `a,b`, or a step `*/n` / `a-b/n`; months `JAN`–`DEC` and days
//! `SUN`–`SAT` by name too; day of week 0–7 with 0 and 7 both Sunday. When both day fields are
//! restricted a day matches if either does (the classic cron rule).
//!
//! Time: an [`Instant`] is taken as milliseconds since the Unix epoch, and the recurrence is
//! read on the wall clock of a [`TimeZone`] (UTC by default). Where we differ: the service
//! takes an IANA zone name; a controller without a zone database gets a POSIX TZ rule, which
//! has the same daylight saving for the current rules (see [`super::tz`]).
//!
//! Model, on the days the clocks change (Vixie cron and cronie do the same for times given
//! exactly): each matching local minute fires at most once.
//! - Clocks go forward: a minute that the clocks skip (02:30 when 02:00 becomes 03:00) fires
//!   at the change, the first instant after the gap. Several skipped minutes, and a match at
//!   the first minute after the gap, fire once together there.
//! - Clocks go back: a minute that occurs twice fires at its first occurrence only, so an
//!   hourly recurrence fires 24 times on a 25-hour day and 23 times on a 23-hour one. (Vixie
//!   cron runs wildcard-hour jobs in both repeated hours; we keep one rule for every field.)

use super::tz::{LocalMs, TimeZone, weekday_of};
use crate::scaling::ScalingError;
use crate::time::Instant;
pub use crate::time::Utc;

pub use super::tz::civil_from_days;

/// A parsed recurrence: one bit per allowed value of each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    days: u32,
    months: u16,
    weekdays: u8,
    days_restricted: bool,
    weekdays_restricted: bool,
}

/// One of the five fields of a recurrence, named in the errors of [`Cron::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CronField {
    /// `[Minute]`, 0–59.
    Minute,
    /// `[Hour]`, 0–23.
    Hour,
    /// `[Day_of_Month]`, 1–31.
    DayOfMonth,
    /// `[Month_of_Year]`, 1–12 or `JAN`–`DEC`.
    Month,
    /// `[Day_of_Week]`, 0–7 (0 and 7 are Sunday) or `SUN`–`SAT`.
    DayOfWeek,
}

impl CronField {
    /// The field's name as errors print it (`hour`, `day-of-month`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::DayOfMonth => "day-of-month",
            Self::Month => "month",
            Self::DayOfWeek => "day-of-week",
        }
    }

    /// The smallest and largest value the field takes.
    pub const fn range(self) -> (u32, u32) {
        match self {
            Self::Minute => (0, 59),
            Self::Hour => (0, 23),
            Self::DayOfMonth => (1, 31),
            Self::Month => (1, 12),
            Self::DayOfWeek => (0, 7),
        }
    }
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl Cron {
    /// Parses a five-field expression such as `30 6 * * 2` (Tuesdays at 06:30).
    ///
    /// # Errors
    /// [`ScalingError::InvalidCron`] when there are not five fields;
    /// [`ScalingError::CronOutOfRange`] naming the field and the value (`hour 25 is out of
    /// range 0-23`); [`ScalingError::CronSyntax`] naming the field for text that is not a
    /// number, name, range, list or step (a step of 0, a range that runs backwards).
    pub fn parse(expr: &str) -> Result<Self, ScalingError> {
        let mut fields = expr.split_ascii_whitespace();
        let mut next = || fields.next().ok_or(ScalingError::InvalidCron);
        let (mi, h, d, mo, w) = (next()?, next()?, next()?, next()?, next()?);
        if next().is_ok() {
            return Err(ScalingError::InvalidCron);
        }
        let minutes = field(mi, CronField::Minute, &[], 0)?;
        let hours = field(h, CronField::Hour, &[], 0)?;
        let days = field(d, CronField::DayOfMonth, &[], 0)?;
        let months = field(mo, CronField::Month, &MONTHS, 1)?;
        let weekdays = field(w, CronField::DayOfWeek, &WEEKDAYS, 0)?;
        // 7 is Sunday too.
        let weekdays = (weekdays | (weekdays >> 7)) & 0x7F;
        let syntax = |field| ScalingError::CronSyntax { field };
        Ok(Self {
            minutes,
            hours: u32::try_from(hours).map_err(|_| syntax(CronField::Hour))?,
            days: u32::try_from(days).map_err(|_| syntax(CronField::DayOfMonth))?,
            months: u16::try_from(months).map_err(|_| syntax(CronField::Month))?,
            weekdays: u8::try_from(weekdays).map_err(|_| syntax(CronField::DayOfWeek))?,
            days_restricted: d != "*",
            weekdays_restricted: w != "*",
        })
    }

    fn day_matches(&self, day: u32, month: u32, weekday: u32) -> bool {
        let dom = bit32(self.days, day);
        let dow = self.weekdays & 1u8.checked_shl(weekday).unwrap_or(0) != 0;
        let month_ok = self.months & 1u16.checked_shl(month).unwrap_or(0) != 0;
        let day_ok = match (self.days_restricted, self.weekdays_restricted) {
            (true, true) => dom || dow,
            (true, false) => dom,
            (false, true) => dow,
            (false, false) => true,
        };
        month_ok && day_ok
    }

    /// The minutes of the day from `from` (0 to 1439) that the recurrence names, in order:
    /// the minutes of each hour it names, so that an hour it does not name costs one test, not
    /// sixty (`next_after` looked at every minute of a day: 51,000 instructions a firing of
    /// the taxi design's rush-hour actions, issue 20). The same minutes as testing each minute
    /// from `from` to 1439 with `minute_matches`, the reference the tests hold this to.
    pub(crate) fn minutes_of_day(&self, from: i64) -> impl Iterator<Item = i64> + '_ {
        (from.div_euclid(60).max(0)..24)
            .filter(|h| bit32(self.hours, u32::try_from(*h).unwrap_or(99)))
            .flat_map(move |h| {
                (0..60)
                    .filter(|m| self.minutes & 1u64.checked_shl(*m).unwrap_or(0) != 0)
                    .map(move |m| h.saturating_mul(60).saturating_add(i64::from(m)))
            })
            .filter(move |minute_of_day| *minute_of_day >= from)
    }

    /// Whether minute `minute_of_day` (0 to 1439) of a named day is one the recurrence names.
    pub(crate) fn minute_matches(&self, minute_of_day: i64) -> bool {
        let (h, m) = (minute_of_day / 60, minute_of_day % 60);
        let h_ok = bit32(self.hours, u32::try_from(h).unwrap_or(99));
        let m_ok = self.minutes
            & 1u64
                .checked_shl(u32::try_from(m).unwrap_or(99))
                .unwrap_or(0)
            != 0;
        h_ok && m_ok
    }

    /// Whether the local wall-clock time `local` (milliseconds since 1970-01-01T00:00 on a
    /// zone's clock, as [`TimeZone::to_local`] gives) is a whole minute the recurrence names.
    pub fn matches(&self, local: i64) -> bool {
        let minute = local.div_euclid(60_000);
        let day = minute.div_euclid(1440);
        let (_, month, dom) = civil_from_days(day);
        let weekday = u32::try_from(weekday_of(day)).unwrap_or(0);
        local.rem_euclid(60_000) == 0
            && self.day_matches(dom, month, weekday)
            && self.minute_matches(minute.rem_euclid(1440))
    }

    /// The first firing strictly after `after`, reading the recurrence on the wall clock of
    /// `zone` (the module docs say what happens when the clocks change); `None` if none comes
    /// within eight years (an expression such as `0 0 31 2 *` never matches).
    pub fn next_after(&self, after: Instant, zone: &TimeZone) -> Option<Instant> {
        let after_ms = i64::try_from(after.total_millis()).ok()?;
        // Firings never go back as the local minute advances, and the local time of `after`
        // fires at `after` or earlier (at its first occurrence), so the search starts at the
        // next local minute; minutes that fire at or before `after` are passed over.
        let local = zone.to_local(after);
        let start_min = local.div_euclid(60_000).checked_add(1)?;
        let mut day = start_min.div_euclid(1440);
        let mut from = start_min.rem_euclid(1440);
        for _ in 0..(366 * 8) {
            let (_, month, dom) = civil_from_days(day);
            let weekday = u32::try_from(weekday_of(day)).unwrap_or(0);
            if self.day_matches(dom, month, weekday) {
                for minute_of_day in self.minutes_of_day(from) {
                    let at = day.saturating_mul(1440).saturating_add(minute_of_day);
                    let fire = match zone.resolve_ms(at.saturating_mul(60_000)) {
                        LocalMs::Unique(t) | LocalMs::Ambiguous(t, _) | LocalMs::Gap(t) => t,
                    };
                    if fire > after_ms {
                        return u64::try_from(fire).ok().map(Instant::from_millis);
                    }
                }
            }
            day = day.saturating_add(1);
            from = 0;
        }
        None
    }
}

fn bit32(set: u32, v: u32) -> bool {
    set & 1u32.checked_shl(v).unwrap_or(0) != 0
}

/// One field as a bit set over its range; `names` start at value `name_base`.
fn field(
    text: &str,
    which: CronField,
    names: &[&str],
    name_base: u32,
) -> Result<u64, ScalingError> {
    let (lo, hi) = which.range();
    let syntax = ScalingError::CronSyntax { field: which };
    let value = |s: &str| -> Result<u32, ScalingError> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return u32::try_from(i)
                .map(|i| i.saturating_add(name_base))
                .map_err(|_| syntax);
        }
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(syntax);
        }
        // Digits only: a value too large for u32 is out of range, not malformed.
        let v: u32 = s.parse().unwrap_or(u32::MAX);
        if v < lo || v > hi {
            Err(ScalingError::CronOutOfRange {
                field: which,
                value: v,
            })
        } else {
            Ok(v)
        }
    };
    let mut set = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().map_err(|_| syntax)?),
            None => (part, 1),
        };
        if step == 0 {
            return Err(syntax);
        }
        let (a, b) = match range {
            "*" => (lo, hi),
            r => match r.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None if step > 1 => (value(r)?, hi),
                None => {
                    let v = value(r)?;
                    (v, v)
                }
            },
        };
        if a > b {
            return Err(syntax);
        }
        let mut v = a;
        while v <= b {
            set |= 1u64.checked_shl(v).unwrap_or(0);
            v = v.saturating_add(step);
            if step == u32::MAX {
                break;
            }
        }
    }
    Ok(set)
}
