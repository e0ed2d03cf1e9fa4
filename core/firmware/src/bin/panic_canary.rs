//! The `panic-never` build's control: an index the optimiser cannot check, so a panic path is
//! reachable and this binary must fail to link, naming the handler's undefined symbol.
//! `scripts/firmware.sh panic-never` checks that it does; if it ever linked, the check on the
//! other binaries would prove nothing.

#![no_std]
#![no_main]

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
use semihosting::process;

#[entry]
fn main() -> ! {
    let table = [0_i32, 1, 2];
    let three = table.len();
    // SAFETY: a volatile read of a live local: it only hides the value from the optimiser.
    let i = unsafe { core::ptr::read_volatile(&raw const three) };
    #[allow(clippy::indexing_slicing)] // the point: a bounds check that can fail
    process::exit(table[i])
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    fleetcore_firmware::panic_is_reachable()
}
