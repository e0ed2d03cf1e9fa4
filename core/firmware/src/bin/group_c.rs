//! An Auto Scaling group driven from C: the firmware's `main` is `fc_firmware_group_main` in
//! `c/group_main.c`, written against `ffi/include/fleetcore.h` and compiled by
//! arm-none-eabi-gcc (build.rs); this file only starts it, prints for it over semihosting and
//! exits with its status (0 when every check in the C code held). The panic handler is the C
//! ABI crate's (`panic-handler` feature): it spins, and QEMU's timeout reports the run; with
//! `panic-never` it is the one that makes the link fail if a panic is reachable (README).

#![no_std]
#![no_main]

use core::ffi::{CStr, c_char};

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
// The C ABI: linking it provides the `fc_*` symbols the C code calls.
use fleetcore_ffi as _;
use fleetcore_firmware::say;
use fleetcore_firmware::stack;
use semihosting::process;

unsafe extern "C" {
    /// The C program's `main`: the number of failed checks.
    fn fc_firmware_group_main() -> i32;
}

/// Prints one line for the C code.
///
/// # Safety
/// `text` is NULL or a NUL-terminated string that lives for the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fw_print(text: *const c_char) {
    if text.is_null() {
        return;
    }
    // SAFETY: the caller passes a NUL-terminated string valid for the call (the contract above).
    let text = unsafe { CStr::from_ptr(text) };
    say!("{}", text.to_str().unwrap_or("<not UTF-8>"));
}

#[entry]
fn main() -> ! {
    // SAFETY: a plain C function with no arguments; it only calls the fleetcore C ABI and
    // `fw_print`, and keeps its state in its own statics.
    let failed = unsafe { fc_firmware_group_main() };
    let s = stack::high_water();
    say!("info: stack high-water {} of {} bytes", s.used, s.size);
    if failed != 0 {
        say!("FAIL {failed} checks failed");
    }
    process::exit(i32::from(failed != 0))
}
