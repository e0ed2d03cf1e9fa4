//! The golden scenarios on x86-64 through the Rust core API: each scenario's action log must
//! equal `golden/<name>.txt` (at the repository root) byte for byte. The scenarios are in
//! `golden/scenarios.rs`, which the Cortex-M firmware (`core/firmware`, bin `golden`) runs too;
//! C (`ffi/tests/c/test_golden.c`) and Python (`python/tests/test_golden.py`) play them through
//! their own APIs against the same files. See `golden/README.md`.
//!
//! `FLEETCORE_BLESS=1 cargo test -p fleetcore --test golden` rewrites the files.

#[path = "../../golden/scenarios.rs"]
mod scenarios;
#[path = "support/traces.rs"]
mod traces;

use std::path::{Path, PathBuf};

use traces::trace_dir;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden")
}

/// The rides column of the first `TAXI_ROWS` rows of `nyc_taxi.csv`.
fn taxi_rides() -> Vec<u32> {
    let path = trace_dir().join("nyc_taxi.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (set FLEETCORE_TRACES)", path.display()));
    text.lines()
        .skip(1)
        .take(scenarios::TAXI_ROWS)
        .map(|line| {
            let (_, value) = line.split_once(',').expect("timestamp,value");
            value.trim().parse().expect("a whole number of rides")
        })
        .collect()
}

fn check(name: &str) {
    let rides = if name == "taxi" {
        taxi_rides()
    } else {
        Vec::new()
    };
    let mut log = String::new();
    assert!(
        scenarios::run(name, &rides, &mut log).unwrap(),
        "unknown scenario {name}"
    );
    let path = golden_dir().join(format!("{name}.txt"));
    if std::env::var_os("FLEETCORE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &log).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    if golden != log {
        let line = golden
            .lines()
            .zip(log.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| golden.lines().count().min(log.lines().count()));
        panic!(
            "{} differs from the run at line {} (golden {} lines, run {} lines): golden {:?}, \
             run {:?}; regenerate with FLEETCORE_BLESS=1 cargo test -p fleetcore --test golden",
            path.display(),
            line + 1,
            golden.lines().count(),
            log.lines().count(),
            golden.lines().nth(line),
            log.lines().nth(line),
        );
    }
}

#[test]
fn group_run_matches_its_golden_log() {
    check("group_run");
}

#[test]
fn lifecycle_matches_its_golden_log() {
    check("lifecycle");
}

#[test]
fn scaling_matches_its_golden_log() {
    check("scaling");
}

#[test]
fn taxi_matches_its_golden_log() {
    check("taxi");
}

#[test]
fn every_golden_file_has_a_scenario_and_every_scenario_a_file() {
    let mut files: Vec<String> = std::fs::read_dir(golden_dir())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".txt").map(str::to_owned)
        })
        .collect();
    files.sort();
    assert_eq!(files, scenarios::NAMES);
    println!(
        "size_of::<GoldenGroup>() = {} bytes",
        std::mem::size_of::<scenarios::GoldenGroup>()
    );
}
