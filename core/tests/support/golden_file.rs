//! A run's output against its committed file, byte for byte: the one comparison the golden
//! tests and the header test share (`core/tests/golden.rs`, `core/tests/sim_golden.rs`,
//! `ffi/tests/forecast_golden.rs`, `ffi/tests/header.rs`, which include this file with
//! `#[path]`). `FLEETCORE_BLESS=1` writes the output to the file instead.

use std::path::Path;

/// Checks `log` against the file at `path`; on a difference, panics naming the first line
/// that differs and `bless`, the command that regenerates the file. With `FLEETCORE_BLESS=1`
/// writes `log` to `path` instead.
pub fn check(path: &Path, log: &str, bless: &str) {
    if std::env::var_os("FLEETCORE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, log).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let golden = std::fs::read_to_string(path).unwrap_or_default();
    if golden != log {
        let line = golden
            .lines()
            .zip(log.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| golden.lines().count().min(log.lines().count()));
        panic!(
            "{} differs from the run at line {} (golden {} lines, run {} lines): golden {:?}, \
             run {:?}; regenerate with FLEETCORE_BLESS=1 {bless}",
            path.display(),
            line + 1,
            golden.lines().count(),
            log.lines().count(),
            golden.lines().nth(line),
            log.lines().nth(line),
        );
    }
}
