//! The golden forecasts, on the Rust side: two histories run through the core's forecaster
//! directly, whose forecasts must equal `tests/golden/forecast_run.txt` byte for byte. The C
//! test (`tests/c/test_forecast.c`) runs the same histories through `fc_forecast` and
//! `fc_forecaster_*`, and `scripts/c-tests.sh` compares its log with the same file, so C gets
//! the figures Rust computes. `FLEETCORE_BLESS=1` rewrites the file.
//!
//! The histories (keep them in step with `test_forecast.c`): `load(h)` = 1000 × (h mod 24)² +
//! a pseudo-random 0-4999 (the LCG `x = x × 1103515245 + 12345 mod 2^31`, seed 7, one draw per
//! sample), plus 40 000 on the first day of each week, in thousandths.
//! 1. one-shot: 400 hourly values, forecast 48 hours (only the last 336 count);
//! 2. streaming: 200 hours of three samples an hour (at 0, 20 and 40 minutes), a refresh at
//!    hour 200, and the cached 48-hour forecast; then the forecast of hour 260 (beyond it).

#[path = "../../core/tests/support/golden_file.rs"]
mod golden_file;

use std::fmt::Write as _;
use std::path::Path;

use fleetcore::Instant;
use fleetcore::scaling::Value;
use fleetcore::scaling::predictive::Forecaster;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> i64 {
        self.0 = (self.0 * 1_103_515_245 + 12_345) % (1 << 31);
        i64::try_from(self.0 % 5000).unwrap()
    }
}

fn load(h: u64, rng: &mut Lcg) -> i64 {
    let hod = i64::try_from(h % 24).unwrap();
    let weekly = if (h / 24).is_multiple_of(7) {
        40_000
    } else {
        0
    };
    1000 * hod * hod + rng.next() + weekly
}

fn show(v: Option<Value>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.milli().to_string())
}

fn golden_run() -> String {
    let mut log = String::new();
    let mut rng = Lcg(7);
    let history: Vec<i64> = (0..400).map(|h| load(h, &mut rng)).collect();
    let mut f = Forecaster::new();
    for (t, &v) in (0u64..).zip(history.iter().skip(400 - 336)) {
        f.record(Instant::from_secs(t * 3600), Value::from_milli(v))
            .unwrap();
    }
    assert!(f.refresh(Instant::from_secs(336 * 3600)));
    for (i, (_, v)) in f.forecast_48h().enumerate() {
        writeln!(log, "one-shot {i} {}", show(v)).unwrap();
    }

    let mut rng = Lcg(7);
    let mut f = Forecaster::new();
    for h in 0..200u64 {
        for m in [0u64, 20, 40] {
            f.record(
                Instant::from_secs(h * 3600 + m * 60),
                Value::from_milli(load(h, &mut rng)),
            )
            .unwrap();
        }
    }
    assert!(f.refresh(Instant::from_secs(200 * 3600)));
    for (hour, v) in f.forecast_48h() {
        writeln!(log, "stream {hour} {}", show(v)).unwrap();
    }
    writeln!(log, "stream 260 {}", show(f.forecast(260))).unwrap();
    log
}

#[test]
fn forecasts_match_the_golden_log() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/forecast_run.txt");
    golden_file::check(
        &path,
        &golden_run(),
        "cargo test -p fleetcore-ffi --test forecast_golden",
    );
}
