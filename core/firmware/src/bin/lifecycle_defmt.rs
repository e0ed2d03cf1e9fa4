//! The lifecycle scenario logged through defmt over semihosting (decode with `defmt-print`).
//!
//! Nothing else may write to semihosting stdout here: text would corrupt the defmt frames.
//! The global logger is [`Logger`] below rather than `defmt-semihosting`'s, whose panics on
//! re-entry would keep this binary out of the `panic-never` proof (README).
//! Exit status 0 when every check held, 1 when one failed, 101 on a panic. The line starting
//! `info:` carries the stack high-water mark and is left out of the comparison.

#![no_std]
#![no_main]

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use cortex_m_rt::entry;
use fleetcore_firmware::scenario::{self, Event, Sink, World};
use fleetcore_firmware::{console, stack};
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

/// The defmt global logger: frames over the semihosting [`console`], one at a time with
/// interrupts off (what `defmt-semihosting` does, but without its panics).
#[defmt::global_logger]
struct Logger;

/// The logger's state; only touched with interrupts off, on this single core.
struct State {
    /// Acquires not yet released: 1 inside a frame, more when a `Format` impl logs while its
    /// frame is being written (such inner frames are dropped rather than interleaved).
    depth: AtomicUsize,
    /// Whether interrupts were on before the outermost acquire.
    interrupts_were_on: AtomicBool,
    encoder: UnsafeCell<defmt::Encoder>,
}

// SAFETY: `encoder` is only reached at depth 1 with interrupts off on a single core, so by one
// context at a time.
unsafe impl Sync for State {}

static STATE: State = State {
    depth: AtomicUsize::new(0),
    interrupts_were_on: AtomicBool::new(false),
    encoder: UnsafeCell::new(defmt::Encoder::new()),
};

// SAFETY: frames are written whole between `acquire` and `release`, with interrupts off.
unsafe impl defmt::Logger for Logger {
    fn acquire() {
        let on = cortex_m::register::primask::read().is_active();
        cortex_m::interrupt::disable();
        let depth = STATE.depth.load(Ordering::Relaxed);
        STATE.depth.store(depth.saturating_add(1), Ordering::Relaxed);
        if depth == 0 {
            STATE.interrupts_were_on.store(on, Ordering::Relaxed);
            // SAFETY: depth 1, interrupts off: the only reference (see `State`).
            let encoder = unsafe { &mut *STATE.encoder.get() };
            encoder.start_frame(console::write);
        }
    }

    unsafe fn flush() {
        // Semihosting writes are blocking: nothing is buffered here.
    }

    unsafe fn release() {
        let depth = STATE.depth.load(Ordering::Relaxed);
        if depth == 1 {
            // SAFETY: depth 1, interrupts off: the only reference (see `State`).
            let encoder = unsafe { &mut *STATE.encoder.get() };
            encoder.end_frame(console::write);
        }
        STATE.depth.store(depth.saturating_sub(1), Ordering::Relaxed);
        if depth == 1 && STATE.interrupts_were_on.load(Ordering::Relaxed) {
            // SAFETY: restores the state the outermost `acquire` found.
            unsafe { cortex_m::interrupt::enable() };
        }
    }

    unsafe fn write(bytes: &[u8]) {
        if STATE.depth.load(Ordering::Relaxed) == 1 {
            // SAFETY: depth 1, interrupts off: the only reference (see `State`).
            let encoder = unsafe { &mut *STATE.encoder.get() };
            encoder.write(bytes, console::write);
        }
    }
}
