//! The lifecycle scenario printed as text over semihosting.
//!
//! Exit status 0 when every check held, 1 when one failed, 101 on a panic. The last line,
//! starting `info:`, carries the stack high-water mark; it depends on the compiler, so the
//! comparison with `expected/lifecycle.txt` leaves it out.

#![no_std]
#![no_main]

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
use fleetcore_firmware::say;
use fleetcore_firmware::scenario::{self, Event, Sink, World};
use fleetcore_firmware::stack;
use semihosting::process;

/// Prints each event as one line of text.
struct Console;

impl Sink for Console {
    fn event(&mut self, event: &Event<'_>) {
        say!("{event}");
    }
}

#[entry]
fn main() -> ! {
    // In .bss rather than on the stack, as firmware would keep them.
    let world = cortex_m::singleton!(: World = World::new());
    let Some(world) = world else {
        say!("FAIL world already taken");
        process::exit(1)
    };
    say!("fleetcore lifecycle on cortex-m4 (qemu mps2-an386), text over semihosting");
    let outcome = scenario::run(&mut Console, world);
    let s = stack::high_water();
    say!("info: stack high-water {} of {} bytes", s.used, s.size);
    process::exit(i32::from(!outcome.ok()))
}

fleetcore_firmware::panic_handlers!();
