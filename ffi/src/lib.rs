#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

mod boundary;
mod catalog;
mod change;
mod config;
mod fleet;
mod forecast;
mod group;
mod hpa;
mod id;
mod imds;
mod network;
mod state;
mod status;

pub use catalog::*;
pub use change::{FC_STATE_CHANGE_TEXT_SIZE, fc_state_change, fc_state_change_format};
pub use config::*;
pub use fleet::{
    FC_FLEET_CAPACITY, FC_FLEET_SIZE, fc_fleet, fc_fleet_billed_ms, fc_fleet_init, fc_fleet_launch,
    fc_fleet_launch_spec, fc_fleet_next_deadline, fc_fleet_reboot, fc_fleet_report,
    fc_fleet_report_failed, fc_fleet_start, fc_fleet_state, fc_fleet_stop, fc_fleet_terminate,
    fc_fleet_tick,
};
pub use forecast::*;
pub use group::*;
pub use hpa::*;
pub use id::{
    FC_INSTANCE_ID_DIGITS, FC_INSTANCE_ID_TEXT_SIZE, FC_TEMPLATE_ID_TEXT_SIZE, fc_instance_id,
    fc_instance_id_format, fc_instance_id_parse, fc_template_id, fc_template_id_format,
    fc_template_id_parse,
};
pub use imds::*;
pub use network::*;
pub use state::{fc_instance_state_from_name, fc_instance_state_name};
pub use status::*;

/// The library's version (`CARGO_PKG_VERSION`), NUL-terminated.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version, such as `"0.1.0"`: a static NUL-terminated string owned by the library
/// (never free it). Never NULL. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn fc_version() -> *const core::ffi::c_char {
    VERSION.as_ptr().cast()
}

/// Firmware has no unwinding and no std: a panic (a bug; the core has no panicking path) parks
/// the core in a spin loop, where a watchdog or debugger finds it.
#[cfg(all(feature = "panic-handler", not(feature = "std"), not(test)))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    #[cfg(feature = "panic-never")]
    {
        unsafe extern "Rust" {
            // The name is the linker's error message: `undefined symbol: <this>`.
            #[link_name = "fleetcore_ffi_panic_never__a_panic_path_is_reachable__see_core_firmware_README"]
            fn panic_path_is_reachable() -> !;
        }
        // SAFETY: never runs: the symbol is undefined, so a program that could call it fails
        // to link.
        unsafe { panic_path_is_reachable() }
    }
    #[cfg(not(feature = "panic-never"))]
    loop {
        core::hint::spin_loop();
    }
}
