//! The forecaster's refresh, for counting its instructions and checking that a change of how
//! it computes leaves every forecast the same.
//!
//! `refresh_cost cost [N]`: loads `nyc_taxi`, then refreshes every 6 hours from day 15, N
//! times (100 by default), feeding the samples of the hours before each origin. Run it under
//! `valgrind --tool=callgrind --toggle-collect='*measured_refresh*'` so that only the
//! refreshes are counted (not parsing the trace nor recording the samples).
//!
//! `refresh_cost digest`: refreshes every 6 hours over every shared trace and outside series
//! (`forecast_eval`'s protocol) and prints, per series, the number of refreshes and an FNV-1a
//! digest of every forecast load (thousandths, or the absence of one): two builds that print
//! the same lines forecast the same, bit for bit.
//!
//! `cargo run -p fleetcore --example refresh_cost --release -- digest`

#[path = "../tests/support/traces.rs"]
mod traces;

use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::{Forecaster, MIN_HISTORY_HOURS};
use fleetcore::time::Instant;

/// The measured refresh: `--toggle-collect=*measured_refresh*`.
#[inline(never)]
fn measured_refresh(f: &mut Forecaster, origin: u64) -> bool {
    f.refresh(Instant::from_secs(origin * 3600))
}

/// Feeds `f` the samples of `rows` from `*next` of the hours before `origin`.
fn feed(f: &mut Forecaster, rows: &[(u64, f64)], next: &mut usize, origin: u64) {
    while let Some(&(s, v)) = rows.get(*next) {
        if s / 3600 >= origin {
            break;
        }
        // Loads far below 2^52 thousandths, as in the harness.
        #[allow(clippy::cast_possible_truncation)]
        let milli = (v * 1000.0).round() as i64;
        f.record(Instant::from_secs(s), Value::from_milli(milli))
            .unwrap();
        *next += 1;
    }
}

/// (refreshes, digest of every forecast) over the series in `rows`, refreshing every 6 hours
/// from its first day of history while 48 hours of the series remain.
fn digest(rows: &[(u64, f64)]) -> (u32, u64) {
    let first_hour = rows.first().map_or(0, |r| r.0 / 3600);
    let last_hour = rows.last().map_or(0, |r| r.0 / 3600);
    let mut forecaster = Forecaster::new();
    let mut next_row = 0;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut refreshes = 0;
    let mut origin = (first_hour + MIN_HISTORY_HOURS).next_multiple_of(6);
    while origin + 47 <= last_hour {
        feed(&mut forecaster, rows, &mut next_row, origin);
        assert!(
            measured_refresh(&mut forecaster, origin),
            "refresh at {origin}"
        );
        refreshes += 1;
        for (hour, load) in forecaster.forecast_48h() {
            let milli = load.map_or(i64::MIN, Value::milli);
            for byte in hour.to_le_bytes().into_iter().chain(milli.to_le_bytes()) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        origin += 6;
    }
    (refreshes, hash)
}

fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("digest") => {
            for name in traces::TRACES {
                let (n, h) = digest(&traces::load(name));
                println!("{name}: {n} refreshes, digest {h:016x}");
            }
            for name in traces::OUTSIDE {
                let (n, h) = digest(&traces::load_path(&traces::outside_dir().join(name)));
                println!("{name}: {n} refreshes, digest {h:016x}");
            }
        }
        Some("cost") => {
            let n: u64 = args.next().map_or(100, |a| a.parse().unwrap());
            let rows = traces::load("nyc_taxi.csv");
            let first = rows.first().map_or(0, |r| r.0 / 3600);
            let mut f = Forecaster::new();
            let mut next = 0;
            let mut o = (first + 15 * 24).next_multiple_of(6);
            for _ in 0..n {
                feed(&mut f, &rows, &mut next, o);
                assert!(measured_refresh(&mut f, o), "refresh at {o}");
                o += 6;
            }
            println!("{n} refreshes to hour {o}");
        }
        _ => eprintln!("usage: refresh_cost digest | refresh_cost cost [N]"),
    }
}
