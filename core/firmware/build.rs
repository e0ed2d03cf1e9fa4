//! Picks the board's memory map and puts it on the linker search path as `memory.x`, passes
//! the linker scripts, and writes the trace slices: the `golden` binary's NYC taxi rows and the
//! `group_m0` binary's day of Auto Scaling group CPU.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

/// Rows of `nyc_taxi.csv` the `taxi` golden scenario plays (`TAXI_ROWS` in
/// ../../golden/scenarios.rs).
const TAXI_ROWS: usize = 672;

/// Rows of `cpu_utilization_asg_misconfiguration.csv` the `group_m0` binary plays, one a minute:
/// a day of ticks (`MINUTES` in `src/bin/group_m0.rs`).
const ASG_CPU_ROWS: usize = 1440;

/// The boards, each with its memory map (`memory-<board>.x`, whose comment gives the part's
/// real map), the QEMU machine and CPU it runs on, and the target whose default it is.
const BOARDS: [(&str, &str, &str); 4] = [
    // (board, target it is the default for, what the binaries print)
    ("mps2", "thumbv7em-none-eabihf", "cortex-m4 (qemu mps2-an386)"),
    // The same board with its whole 4 MiB of code and 4 MiB of data SSRAM, for the
    // `golden_doc` binary: never a target's default.
    ("mps2-4m", "", "cortex-m4 (qemu mps2-an386, 4 MiB of RAM)"),
    ("lm3s6965", "thumbv7m-none-eabi", "cortex-m3 (qemu lm3s6965evb)"),
    ("microbit", "thumbv6m-none-eabi", "cortex-m0 (qemu microbit)"),
];

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let board = board();
    // The `bench` binary keeps its groups in statics, in the board's whole 4 MiB of data RAM.
    let bench = env::var_os("CARGO_FEATURE_BENCH").is_some() && board == "mps2";
    let map = if bench { "memory-mps2-bench.x".to_owned() } else { format!("memory-{board}.x") };
    fs::copy(&map, out.join("memory.x")).unwrap_or_else(|e| panic!("copy {map} into OUT_DIR: {e}"));
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed={map}");
    println!("cargo:rerun-if-changed=build.rs");

    // cortex-m-rt's script (it includes memory.x) for every binary.
    println!("cargo:rustc-link-arg-bins=-Tlink.x");
    // defmt's script only for the defmt binary, which exists only with the `defmt` feature.
    if env::var_os("CARGO_FEATURE_DEFMT").is_some() {
        println!("cargo:rustc-link-arg-bin=lifecycle_defmt=-Tdefmt.x");
    }
    taxi_slice(&out);
    asg_cpu_slice(&out);
    #[cfg(feature = "c-main")]
    c_main();
}

/// The board to link for: `$FLEETCORE_BOARD` (`mps2`, `mps2-4m`, `lm3s6965` or `microbit`), else the
/// target's default (thumbv7em-none-eabihf: mps2, thumbv7m-none-eabi: lm3s6965,
/// thumbv6m-none-eabi: microbit). A board is not tied to its default target: a thumbv6m binary
/// linked with `FLEETCORE_BOARD=lm3s6965` runs on the Cortex-M3 with its 64K of RAM. Tells the
/// binaries too: `env!("FLEETCORE_BOARD")` and `env!("FLEETCORE_BOARD_CPU")`.
fn board() -> &'static str {
    println!("cargo:rerun-if-env-changed=FLEETCORE_BOARD");
    let target = env::var("TARGET").unwrap_or_default();
    let wanted = env::var("FLEETCORE_BOARD").ok().filter(|b| !b.is_empty());
    let found = match &wanted {
        Some(b) => BOARDS.iter().find(|(name, _, _)| name == b),
        None => BOARDS.iter().find(|(_, t, _)| *t == target),
    };
    let Some(&(name, _, cpu)) = found else {
        let names: Vec<&str> = BOARDS.iter().map(|b| b.0).collect();
        panic!(
            "no board for FLEETCORE_BOARD={wanted:?} and target {target}: set FLEETCORE_BOARD to \
             one of {names:?}"
        );
    };
    println!("cargo:rustc-env=FLEETCORE_BOARD={name}");
    println!("cargo:rustc-env=FLEETCORE_BOARD_CPU={cpu}");
    name
}

/// The folder of the shared traces: `$FLEETCORE_TRACES`, or `shared/traces` beside the
/// repository (as the host tests find it).
fn traces_dir() -> PathBuf {
    println!("cargo:rerun-if-env-changed=FLEETCORE_TRACES");
    env::var_os("FLEETCORE_TRACES")
        .map_or_else(|| PathBuf::from("../../../shared/traces"), PathBuf::from)
}

/// Writes `asg_cpu.rs` into `OUT_DIR`: `ASG_CPU_TENTHS`, the value column (average CPU in %
/// across an Auto Scaling group, every 5 minutes) of the first `ASG_CPU_ROWS` rows of
/// `cpu_utilization_asg_misconfiguration.csv`, in tenths of a percent (rounded), and
/// `ASG_CPU_SOURCE`, the file's name. Without the trace, or with a bad row, the array is empty
/// and the `group_m0` binary fails when it runs, naming the file; the other binaries do not care.
fn asg_cpu_slice(out: &std::path::Path) {
    let name = "cpu_utilization_asg_misconfiguration.csv";
    let path = traces_dir().join(name);
    println!("cargo:rerun-if-changed={}", path.display());
    let mut tenths: Vec<u16> = Vec::new();
    match fs::read_to_string(&path) {
        Ok(text) => {
            for line in text.lines().skip(1).take(ASG_CPU_ROWS) {
                let value = line
                    .split_once(',')
                    .and_then(|(_, v)| v.trim().parse::<f64>().ok())
                    .filter(|v| (0.0..=100.0).contains(v));
                if let Some(v) = value {
                    // In 0..=1000 by the filter: the cast cannot truncate.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    tenths.push((v * 10.0).round() as u16);
                } else {
                    println!("cargo:warning={name}: bad row {line:?}; group_m0 will fail");
                    tenths.clear();
                    break;
                }
            }
            if !tenths.is_empty() && tenths.len() < ASG_CPU_ROWS {
                println!(
                    "cargo:warning={name}: {} rows, not {ASG_CPU_ROWS}; group_m0 will fail",
                    tenths.len()
                );
                tenths.clear();
            }
        }
        Err(e) => println!(
            "cargo:warning={}: {e}; the group_m0 binary will fail (set FLEETCORE_TRACES)",
            path.display()
        ),
    }
    let mut src = format!(
        "/// The trace `group_m0` plays (build.rs).\n\
         pub const ASG_CPU_SOURCE: &str = {name:?};\n\
         /// Average CPU of the group, in tenths of a percent, of the first {} rows of \
         `{name}` (build.rs).\n\
         pub const ASG_CPU_TENTHS: [u16; {}] = [",
        tenths.len(),
        tenths.len()
    );
    for v in &tenths {
        write!(src, "{v},").expect("write to a String");
    }
    src.push_str("];\n");
    fs::write(out.join("asg_cpu.rs"), src).expect("write asg_cpu.rs into OUT_DIR");
}

/// Writes `taxi.rs` into `OUT_DIR`: `TAXI_RIDES`, the rides column of the first `TAXI_ROWS`
/// rows of `nyc_taxi.csv`, read at build time from `$FLEETCORE_TRACES` or `shared/traces`
/// beside the repository (as the host tests find it). Without the trace the array is empty and
/// the `golden` binary reports the missing trace when it runs; the other binaries do not care.
fn taxi_slice(out: &std::path::Path) {
    let path = traces_dir().join("nyc_taxi.csv");
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
        // The C ABI crate is built with `lean-group` (Cargo.toml): the lean fc_group.
        .define("FC_GROUP_LEAN", None)
        .flag("-std=c11")
        .flag("-ffreestanding")
        .flag("-Wall")
        .flag("-Wextra")
        .flag("-Werror")
        .flag("-pedantic")
        .compile("group_main");
}
