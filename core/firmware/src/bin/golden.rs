//! The golden scenarios (`../../golden`) through the Rust core API on a Cortex-M3 (the TI
//! Stellaris LM3S6965 in QEMU, its real 256K of flash and 64K of SRAM): each log line
//! is printed over semihosting as `golden <name>: <line>`, and `scripts/firmware.sh` compares
//! each scenario's lines byte for byte with `golden/<name>.txt`, the files the host Rust, C and
//! Python tests check. The taxi slice is compiled in by build.rs from the shared trace.
//!
//! Exit status 0 when every scenario ran, 1 when one failed, 101 on a panic.

#![no_std]
#![no_main]

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
use fleetcore_firmware::console::GoldenLines;
use fleetcore_firmware::golden::{self, NAMES};
use fleetcore_firmware::{say, stack};
use semihosting::process;

include!(concat!(env!("OUT_DIR"), "/taxi.rs"));

#[entry]
fn main() -> ! {
    say!("fleetcore golden scenarios on {}, core API", env!("FLEETCORE_BOARD_CPU"));
    say!("info: size_of::<GoldenGroup>() = {} bytes", core::mem::size_of::<golden::GoldenGroup>());
    let mut failed = 0u8;
    for name in NAMES {
        let mut log = GoldenLines::new(name);
        match golden::run(name, &TAXI_RIDES, &mut log) {
            Ok(true) => say!("{name}: done"),
            Ok(false) => {
                say!("FAIL {name}: unknown scenario");
                failed = failed.saturating_add(1);
            }
            Err(e) => {
                say!("FAIL {name}: {e}");
                failed = failed.saturating_add(1);
            }
        }
    }
    let s = stack::high_water();
    say!("info: stack high-water {} of {} bytes", s.used, s.size);
    process::exit(i32::from(failed != 0))
}

fleetcore_firmware::panic_handlers!();
