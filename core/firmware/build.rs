//! Puts `memory.x` on the linker search path and passes the linker scripts.

use std::env;
use std::fs;
use std::path::PathBuf;

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
    #[cfg(feature = "c-main")]
    c_main();
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
