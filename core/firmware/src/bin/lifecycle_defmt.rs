//! The lifecycle scenario logged through defmt over semihosting (decode with `defmt-print`).
//!
//! Nothing else may write to semihosting stdout here: text would corrupt the defmt frames.
//! Exit status 0 when every check held, 1 when one failed, 101 on a panic. The line starting
//! `info:` carries the stack high-water mark and is left out of the comparison.

#![no_std]
#![no_main]

use cortex_m as _; // the critical-section implementation defmt-semihosting locks with
use cortex_m_rt::entry;
use defmt_semihosting as _; // the global logger
use fleetcore_firmware::scenario::{self, Event, Sink, World};
use fleetcore_firmware::stack;
use semihosting::process;

/// Logs each event as one defmt frame; failures at error level.
struct Defmt;

impl Sink for Defmt {
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Mismatch { .. } | Event::Aborted { .. } => defmt::error!("{}", event),
            _ => defmt::info!("{}", event),
        }
    }
}

#[entry]
fn main() -> ! {
    let world = cortex_m::singleton!(: World = World::new());
    let Some(world) = world else {
        defmt::error!("FAIL world already taken");
        process::exit(1)
    };
    defmt::info!("fleetcore lifecycle on cortex-m4 (qemu mps2-an386), defmt over semihosting");
    let outcome = scenario::run(&mut Defmt, world);
    let s = stack::high_water();
    defmt::info!("info: stack high-water {=usize} of {=usize} bytes", s.used, s.size);
    process::exit(i32::from(!outcome.ok()))
}

#[cfg(not(feature = "panic-never"))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    // No core::fmt here: the location is enough, and the binary stays free of formatting code.
    if let Some(l) = info.location() {
        defmt::error!("panic at {=str}:{=u32}", l.file(), l.line());
    } else {
        defmt::error!("panic");
    }
    process::exit(101)
}

/// The `panic-never` build: the link fails if any panic path is left (see the README).
#[cfg(feature = "panic-never")]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    fleetcore_firmware::panic_is_reachable()
}
