//! The golden scenarios on x86-64 through the Rust core API: each scenario's action log must
//! equal `golden/<name>.txt` (at the repository root) byte for byte. The scenarios are in
//! `golden/scenarios.rs`, which the Cortex-M firmware (`core/firmware`, bin `golden`) runs too;
//! C (`ffi/tests/c/test_golden.c`) and Python (`python/tests/test_golden.py`) play them through
//! their own APIs against the same files. See `golden/README.md`.
//!
//! `FLEETCORE_BLESS=1 cargo test -p fleetcore --test golden` rewrites the files.

#[path = "support/golden_file.rs"]
mod golden_file;
#[path = "../../golden/scenarios.rs"]
mod scenarios;
// `traces` reads rows with the scenarios' own parser (`golden/nab_row.rs`), so this crate
// loads that one file twice, once under each module: the same code, not a copy to keep in step.
#[allow(clippy::duplicate_mod)]
#[path = "support/traces.rs"]
mod traces;

use std::path::{Path, PathBuf};

use traces::trace_dir;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden")
}

/// The first `n` rows of `nyc_taxi.csv`, read by the scenarios' own row parser.
fn taxi_rows(n: usize) -> Vec<scenarios::Row> {
    let path = trace_dir().join("nyc_taxi.csv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (set FLEETCORE_TRACES)", path.display()));
    text.lines()
        .skip(1)
        .take(n)
        .map(|line| scenarios::parse_row(line).expect("a NAB row of whole rides"))
        .collect()
}

/// The rides column of the first `TAXI_ROWS` rows of `nyc_taxi.csv`.
fn taxi_rides() -> Vec<u32> {
    taxi_rows(scenarios::TAXI_ROWS)
        .into_iter()
        .map(|(_, rides)| rides)
        .collect()
}

/// The first `DAY_ROWS` rows of `nyc_taxi.csv`, as the document scenarios read them.
fn day_rows() -> Vec<scenarios::Row> {
    taxi_rows(scenarios::DAY_ROWS)
}

/// The log of the document scenario `name`.
fn document_log(name: &str) -> String {
    let (_, file) = scenarios::DOCUMENTS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a document scenario");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file);
    let text = std::fs::read(&path).unwrap();
    let doc: Box<fleetcore::config::ControllerDoc> =
        Box::new(fleetcore::config::from_slice(&text).unwrap());
    let mut slot = Box::new(std::mem::MaybeUninit::uninit());
    let mut log = String::new();
    scenarios::document(&doc, &mut slot, &day_rows(), &mut log).unwrap();
    log
}

fn check(name: &str) {
    let log = if name.starts_with("doc_") {
        document_log(name)
    } else {
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
        log
    };
    let path = golden_dir().join(format!("{name}.txt"));
    golden_file::check(&path, &log, "cargo test -p fleetcore --test golden");
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
fn doc_controller_matches_its_golden_log() {
    check("doc_controller");
}

#[test]
fn doc_taxi_matches_its_golden_log() {
    check("doc_taxi");
}

/// The parser of the document scenarios' trace rows against known instants.
#[test]
fn nab_rows_parse_to_their_instants() {
    assert_eq!(
        scenarios::parse_row("2014-07-01 00:00:00,10844"),
        Some((1_404_172_800_000, 10844))
    );
    assert_eq!(
        scenarios::parse_row("2015-01-31 23:30:00,26288\r"),
        Some((1_422_747_000_000, 26288))
    );
    assert_eq!(
        scenarios::parse_row("2000-02-29 12:00:00,1"),
        Some((951_825_600_000, 1))
    );
    assert_eq!(scenarios::parse_row("timestamp,value"), None);
    assert_eq!(scenarios::parse_row("2014-13-01 00:00:00,1"), None);
    assert_eq!(scenarios::parse_row("2014-07-01 00:00:00,-1"), None);
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
    let mut names: Vec<&str> = scenarios::NAMES.to_vec();
    names.extend(scenarios::DOCUMENTS.iter().map(|(n, _)| *n));
    names.sort_unstable();
    assert_eq!(files, names);
    println!(
        "size_of::<GoldenGroup>() = {} bytes",
        std::mem::size_of::<scenarios::GoldenGroup>()
    );
}
