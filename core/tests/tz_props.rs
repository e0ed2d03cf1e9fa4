//! Property tests for POSIX TZ zones and cron in a zone (SEMANTICS §3.6; DESIGN.md, verification
//! tier 2).
//!
//! - `offset_at` agrees with a naive computation: each year's two changes found by walking the
//!   calendar day by day, and the glibc test for the UTC year (start ≤ t < end in the north,
//!   t < end or t ≥ start in the south), for realistic rules (changes in February–November);
//! - a zone prints a form that parses back to itself;
//! - `next_after` is deterministic, strictly after its input, monotone in it, and equal to the
//!   first firing found by walking UTC minutes one by one and applying the documented model
//!   (a matching local minute fires at its first occurrence; a clock change forward fires the
//!   minutes it skipped).

use fleetcore::Instant;
use fleetcore::scaling::cron::Cron;
use fleetcore::scaling::tz::{Local, TimeZone};
use proptest::prelude::*;

/// An instant from seconds (the strategies keep them positive).
fn secs(s: i64) -> Instant {
    Instant::from_secs(u64::try_from(s).unwrap())
}

// ----- a naive calendar --------------------------------------------------------------------

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i64, m: u32) -> i64 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to y-m-d, by counting.
fn days(y: i64, m: u32, d: i64) -> i64 {
    let mut n = 0;
    for year in 1970..y {
        n += if leap(year) { 366 } else { 365 };
    }
    for month in 1..m {
        n += month_len(y, month);
    }
    n + d - 1
}

fn year_of(secs: i64) -> i64 {
    let mut y = 1970;
    let mut start = 0;
    loop {
        let len = if leap(y) { 366 } else { 365 } * 86_400;
        if secs < start + len {
            return y;
        }
        start += len;
        y += 1;
    }
}

#[derive(Debug, Clone, Copy)]
enum Day {
    Julian(i64),
    Zero(i64),
    Mwd(u32, u32, i64),
}

/// The day a rule names in `y`, by walking the calendar.
fn rule_day(y: i64, day: Day) -> i64 {
    match day {
        Day::Julian(n) => {
            // Count days, skipping February 29.
            let mut left = n;
            for m in 1..=12 {
                for d in 1..=month_len(y, m) {
                    if m == 2 && d == 29 {
                        continue;
                    }
                    left -= 1;
                    if left == 0 {
                        return days(y, m, d);
                    }
                }
            }
            unreachable!()
        }
        Day::Zero(n) => days(y, 1, 1) + n,
        Day::Mwd(m, w, wd) => {
            let matching: Vec<i64> = (1..=month_len(y, m))
                .map(|d| days(y, m, d))
                .filter(|z| (z + 4).rem_euclid(7) == wd)
                .collect();
            if w == 5 {
                *matching.last().unwrap()
            } else {
                matching[w as usize - 1]
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Zone {
    std: i64,
    dst: i64,
    start: (Day, i64),
    end: (Day, i64),
    text: String,
}

impl Zone {
    fn naive_offset(&self, t: i64) -> i64 {
        let y = year_of(t);
        let start = rule_day(y, self.start.0) * 86_400 + self.start.1 - self.std;
        let end = rule_day(y, self.end.0) * 86_400 + self.end.1 - self.dst;
        let dst = if start < end {
            start <= t && t < end
        } else {
            t < end || t >= start
        };
        if dst { self.dst } else { self.std }
    }
}

fn posix_hms(secs: i64) -> String {
    let (sign, a) = if secs < 0 { ("-", -secs) } else { ("", secs) };
    format!("{sign}{}:{:02}:{:02}", a / 3600, a / 60 % 60, a % 60)
}

fn day_text(d: Day) -> String {
    match d {
        Day::Julian(n) => format!("J{n}"),
        Day::Zero(n) => n.to_string(),
        Day::Mwd(m, w, wd) => format!("M{m}.{w}.{wd}"),
    }
}

/// A rule day in month `m` (2..=11) in one of the three forms.
fn day_in(m: u32) -> impl Strategy<Value = Day> {
    // Julian days of the month's first 28 days, so the day stays in that month.
    let first_j = (1..m).map(|k| month_len(2001, k)).sum::<i64>() + 1;
    prop_oneof![
        (1u32..=5, 0i64..=6).prop_map(move |(w, wd)| Day::Mwd(m, w, wd)),
        (0i64..28).prop_map(move |d| Day::Julian(first_j + d)),
        // A zero-based day in the month (give or take February 29).
        (0i64..27).prop_map(move |d| Day::Zero(first_j + d)),
    ]
}

/// Realistic zones: offsets within ±14 h, whole minutes or not, daylight saving of
/// -1 h, +30 min, +1 h or +2 h, changes in February–November at most two months apart.
fn zone(whole_minutes: bool) -> impl Strategy<Value = Zone> {
    (
        -14 * 60i64..=14 * 60,
        0i64..60,
        prop_oneof![Just(-3600i64), Just(1800), Just(3600), Just(7200)],
        2u32..=11,
        2u32..=11,
        0i64..=4 * 60,
        0i64..=4 * 60,
    )
        .prop_filter(
            "changes at least two months apart",
            |(_, _, _, a, b, _, _)| a.abs_diff(*b) >= 2,
        )
        .prop_flat_map(move |(std_min, sec, delta, sm, em, st, et)| {
            let sec = if whole_minutes { 0 } else { sec };
            let std = std_min * 60 + sec;
            (day_in(sm), day_in(em)).prop_map(move |(sd, ed)| {
                let dst = std + delta;
                let (st, et) = (st * 60 + sec, et * 60);
                let text = format!(
                    "AAA{}BBB{},{}/{},{}/{}",
                    posix_hms(-std),
                    posix_hms(-dst),
                    day_text(sd),
                    posix_hms(st),
                    day_text(ed),
                    posix_hms(et)
                );
                Zone {
                    std,
                    dst,
                    start: (sd, st),
                    end: (ed, et),
                    text,
                }
            })
        })
}

/// Instants from 1970-01-03 to 2400.
fn instant() -> impl Strategy<Value = i64> {
    2 * 86_400i64..13_569_465_600
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn offset_at_agrees_with_the_naive_year(z in zone(false), t in instant()) {
        let tz = TimeZone::parse(&z.text).unwrap();
        prop_assert_eq!(TimeZone::parse(&tz.to_string()), Ok(tz));
        let y = year_of(t);
        let start = rule_day(y, z.start.0) * 86_400 + z.start.1 - z.std;
        let end = rule_day(y, z.end.0) * 86_400 + z.end.1 - z.dst;
        for s in [t, start - 1, start, end - 1, end] {
            let at = secs(s);
            prop_assert_eq!(i64::from(tz.offset_at(at)), z.naive_offset(s), "{} at {}", z.text, s);
            let back = tz.from_local(tz.to_local(at));
            prop_assert!(
                matches!(back, Some(Local::Unique(u)) if u == at)
                    || matches!(back, Some(Local::Ambiguous(a, b)) if a == at || b == at),
                "{} at {}: {:?}", z.text, s, back
            );
        }
    }

    #[test]
    fn next_after_is_the_first_firing_and_monotone(
        z in zone(true),
        minute in 0u32..60,
        hour in prop_oneof![0u32..24, 0u32..6],
        t in instant(),
        near in 0u8..3,
        step in 0i64..3 * 86_400,
    ) {
        let tz = TimeZone::parse(&z.text).unwrap();
        let cron = Cron::parse(&format!("{minute} {hour} * * *")).unwrap();
        // Start within a day before one of the year's changes two times in three; the
        // changes come at local hours 0-4, which the hour favours.
        let y = year_of(t);
        let t = match near {
            0 => rule_day(y, z.start.0) * 86_400 + z.start.1 - z.std - 86_400 + t % 86_400,
            1 => rule_day(y, z.end.0) * 86_400 + z.end.1 - z.dst - 86_400 + t % 86_400,
            _ => t,
        };
        let at = secs(t);
        let next = cron.next_after(at, &tz).unwrap();
        prop_assert_eq!(cron.next_after(at, &tz), Some(next), "deterministic");
        prop_assert!(next > at);
        let later = secs(t + step);
        prop_assert!(cron.next_after(later, &tz).unwrap() >= next, "monotone");

        // Walk UTC minutes after `at` and apply the model.
        let first_minute = t.div_euclid(60) + 1;
        let expected = (first_minute..first_minute + 3 * 1440).map(|m| m * 60).find(|&u| {
            let u_i = secs(u);
            let local = tz.to_local(u_i);
            let first_occurrence = matches!(
                tz.from_local(local),
                Some(Local::Unique(x) | Local::Ambiguous(x, _)) if x == u_i
            );
            let prev = secs(u - 60);
            let jumped = tz.offset_at(prev) < tz.offset_at(u_i);
            let skipped_match = jumped
                && (tz.to_local(prev) / 60_000 + 1..local / 60_000)
                    .any(|lm| cron.matches(lm * 60_000));
            (first_occurrence && cron.matches(local)) || skipped_match
        });
        prop_assert_eq!(Some(next), expected.map(secs), "{}", z.text);
    }
}
