//! Cron recurrences and POSIX TZ zones (SEMANTICS §3.6). The input is text in up to three
//! lines: a cron expression, a TZ string, and an optional instant in seconds (clamped to
//! 1970-01-03 .. 9999-12-31, the range the zones are defined for).
//!
//! Properties:
//! - neither parser panics, and a rejected zone gives code 1209 with a message;
//! - a zone displays in a form that parses back to the same zone, and that form is stable;
//! - `offset_at` stays within ±25 hours;
//! - `from_local(to_local(t))` contains `t` (as the unique instant or one of two);
//! - `next_after(t)` is strictly after `t`; its local time matches the recurrence, or it is
//!   the instant the clocks went forward over a matching minute; and it is the next firing
//!   seen from just before itself too.

#![no_main]

use fleetcore::Error as _;
use fleetcore::Instant;
use fleetcore::scaling::cron::Cron;
use fleetcore::scaling::tz::{Local, TimeZone};
use libfuzzer_sys::fuzz_target;

/// 1970-01-03T00:00:00Z: before it, a local time may map to an instant before the epoch.
const FIRST: u64 = 2 * 86_400;
/// 9999-12-31T23:59:59Z.
const LAST: u64 = 253_402_300_799;
/// 2026-03-28T12:00:00Z when the input gives no instant.
const DEFAULT: u64 = 1_774_699_200;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(3, '\n');
    let cron_text = lines.next().unwrap_or("");
    let tz_text = lines.next().unwrap_or("");
    let secs = lines
        .next()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT)
        .clamp(FIRST, LAST);
    let t = Instant::from_secs(secs);

    let cron = Cron::parse(cron_text);
    let zone = match TimeZone::parse(tz_text) {
        Ok(z) => z,
        Err(e) => {
            // InvalidTimeZone, or UnknownTimeZone for an `Area/Place` name the build has no
            // table for (the `tz-names` feature).
            assert!(matches!(e.code(), 1209 | 1217), "{tz_text:?}: {e}");
            assert!(!e.to_string().is_empty());
            return;
        }
    };

    let shown = zone.to_string();
    assert_eq!(
        TimeZone::parse(&shown),
        Ok(zone),
        "{tz_text:?} shown as {shown:?}"
    );
    assert_eq!(
        TimeZone::parse(&shown).map(|z| z.to_string()),
        Ok(shown.clone())
    );

    for probe in [t, Instant::from_secs(FIRST), Instant::from_secs(LAST)] {
        assert!(zone.offset_at(probe).unsigned_abs() <= 25 * 3600, "{shown}");
    }

    let back = zone.from_local(zone.to_local(t));
    assert!(
        matches!(back, Some(Local::Unique(u)) if u == t)
            || matches!(back, Some(Local::Ambiguous(a, b)) if (a == t || b == t) && a < b),
        "{shown} at {secs}: {back:?}"
    );

    let Ok(cron) = cron else { return };
    let Some(next) = cron.next_after(t, &zone) else {
        return;
    };
    assert!(next > t, "{cron_text:?} in {shown} after {secs}");
    let local = zone.to_local(next);
    let before = Instant::from_millis(next.total_millis() - 1);
    let matched = cron.matches(local) || {
        // Clocks went forward at `next`: some minute they skipped must match.
        let skipped_from = zone.to_local(before) + 1;
        let changed = zone.offset_at(before) < zone.offset_at(next);
        changed
            && (skipped_from.div_euclid(60_000)..=local.div_euclid(60_000))
                .any(|m| cron.matches(m * 60_000))
    };
    assert!(
        matched,
        "{cron_text:?} in {shown}: {next:?} is local {local}"
    );
    assert_eq!(
        cron.next_after(before, &zone),
        Some(next),
        "{cron_text:?} in {shown}"
    );
});
