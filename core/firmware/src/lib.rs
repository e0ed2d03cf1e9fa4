//! The code the firmware binaries share: the lifecycle [`scenario`], written once against a
//! [`scenario::Sink`] that each binary renders its own way (semihosting text or defmt), the
//! panic-free text [`console`], and the [`stack`] high-water mark from cortex-m-rt's
//! `paint-stack`; and the [`golden`] scenarios of `../../golden/scenarios.rs`, the same code the
//! host test `core/tests/golden.rs` runs.

#![no_std]

pub mod console;
// Formatted with the workspace's settings (through core/tests/golden.rs), not this folder's.
#[rustfmt::skip]
#[path = "../../../golden/scenarios.rs"]
pub mod golden;
pub mod scenario;
pub mod stack;

/// The `panic-never` build (see the README): a panic handler whose only act is to call a
/// function that exists nowhere, so the link succeeds only if the optimiser proved that no
/// panic can happen and dropped the handler with every path to it.
#[cfg(feature = "panic-never")]
pub fn panic_is_reachable() -> ! {
    unsafe extern "Rust" {
        // The name is the linker's error message: `undefined symbol: <this>`.
        #[link_name = "fleetcore_firmware_panic_never__a_panic_path_is_reachable__see_core_firmware_README"]
        fn panic_path_is_reachable() -> !;
    }
    // SAFETY: never runs: the symbol is undefined, so a binary that could call it fails to link.
    unsafe { panic_path_is_reachable() }
}

/// The panic handlers of a binary that prints with [`say!`]: the message over semihosting and
/// exit status 101; in the `panic-never` build, [`panic_is_reachable`] (the link fails if any
/// panic path is left). One definition, so every binary fails the same way.
#[macro_export]
macro_rules! panic_handlers {
    () => {
        #[cfg(not(feature = "panic-never"))]
        #[panic_handler]
        fn panic(info: &::core::panic::PanicInfo<'_>) -> ! {
            $crate::say!("panic: {info}");
            ::semihosting::process::exit(101)
        }

        #[cfg(feature = "panic-never")]
        #[panic_handler]
        fn panic(_info: &::core::panic::PanicInfo<'_>) -> ! {
            $crate::panic_is_reachable()
        }
    };
}
