//! One row of a NAB trace (`YYYY-MM-DD hh:mm:ss,value`, UTC), as `nyc_taxi.csv` and the other
//! traces in `shared/traces` have them: the one parser of those rows, shared by the golden
//! scenarios (`golden/scenarios.rs`, which the Cortex-M firmware runs too, so `no_std`) and the
//! host tests' trace reader (`core/tests/support/traces.rs`), which include it with `#[path]`.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The time of a row (seconds since the Unix epoch) and the text of its value, trimmed;
/// `None` for a line that is not such a row (another stamp, a field out of range, no comma).
pub fn split_row(line: &str) -> Option<(u64, &str)> {
    let (stamp, value) = line.trim_end().split_once(',')?;
    let bytes = stamp.as_bytes();
    if bytes.len() != 19 || bytes.get(4) != Some(&b'-') || bytes.get(10) != Some(&b' ') {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<i64> { stamp.get(from..to)?.parse::<i64>().ok() };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some((u64::try_from(secs).ok()?, value.trim()))
}
