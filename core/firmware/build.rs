//! Puts `memory.x` on the linker search path and passes the linker scripts; writes the
//! `golden` binary's slice of the NYC taxi trace.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

/// Rows of `nyc_taxi.csv` the `taxi` golden scenario plays (`TAXI_ROWS` in
/// ../../golden/scenarios.rs).
const TAXI_ROWS: usize = 672;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("copy memory.x into OUT_DIR");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");
    println!("cargo:rerun-if-changed=build.rs");

    // cortex-m-rt's script (it includes memory.x) for every binary.
    println!("cargo:rustc-link-arg-bins=-Tlink.x");
    // The `bench` binary builds groups by value as the host benches do; the core's
    // constructors and clones move a group through several stack frames, more than memory.x's
    // 256K. Its stack starts at the top of the board's 4 MiB SSRAM instead.
    if env::var_os("CARGO_FEATURE_BENCH").is_some() {
        println!("cargo:rustc-link-arg-bin=bench=--defsym=_stack_start=0x20400000");
    }
    // defmt's script only for the defmt binary, which exists only with the `defmt` feature.
    if env::var_os("CARGO_FEATURE_DEFMT").is_some() {
        println!("cargo:rustc-link-arg-bin=lifecycle_defmt=-Tdefmt.x");
    }
    taxi_slice(&out);
    #[cfg(feature = "c-main")]
    c_main();
}

/// Writes `taxi.rs` into `OUT_DIR`: `TAXI_RIDES`, the rides column of the first `TAXI_ROWS`
/// rows of `nyc_taxi.csv`, read at build time from `$FLEETCORE_TRACES` or `shared/traces`
/// beside the repository (as the host tests find it). Without the trace the array is empty and
/// the `golden` binary reports the missing trace when it runs; the other binaries do not care.
fn taxi_slice(out: &std::path::Path) {
    println!("cargo:rerun-if-env-changed=FLEETCORE_TRACES");
    let dir = env::var_os("FLEETCORE_TRACES")
        .map_or_else(|| PathBuf::from("../../../shared/traces"), PathBuf::from);
    let path = dir.join("nyc_taxi.csv");
    println!("cargo:rerun-if-changed={}", path.display());
    let mut rides = Vec::new();
    match fs::read_to_string(&path) {
        Ok(text) => {
            for line in text.lines().skip(1).take(TAXI_ROWS) {
                let value = line.split_once(',').and_then(|(_, v)| v.trim().parse::<u32>().ok());
                if let Some(v) = value {
                    rides.push(v);
                } else {
                    println!("cargo:warning=nyc_taxi.csv: bad row {line:?}");
                    rides.clear();
                    break;
                }
            }
        }
        Err(e) => println!(
            "cargo:warning={}: {e}; the golden binary's taxi scenario will fail",
            path.display()
        ),
    }
    let mut src = format!(
        "/// The rides column of the first {} rows of `nyc_taxi.csv` (build.rs).\n\
         pub const TAXI_RIDES: [u32; {}] = [",
        rides.len(),
        rides.len()
    );
    for v in &rides {
        write!(src, "{v},").expect("write to a String");
    }
    src.push_str("];\n");
    fs::write(out.join("taxi.rs"), src).expect("write taxi.rs into OUT_DIR");
}

/// Compiles the C `main` of the `group_c` binary against the committed header, as strictly as
/// the host C tests are (freestanding: no libc on the board).
#[cfg(feature = "c-main")]
fn c_main() {
    println!("cargo:rerun-if-changed=c/group_main.c");
    println!("cargo:rerun-if-changed=../../ffi/include/fleetcore.h");
    cc::Build::new()
        .file("c/group_main.c")
        .include("../../ffi/include")
        .flag("-std=c11")
        .flag("-ffreestanding")
        .flag("-Wall")
        .flag("-Wextra")
        .flag("-Werror")
        .flag("-pedantic")
        .compile("group_main");
}
