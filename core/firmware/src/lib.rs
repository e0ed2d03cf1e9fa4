//! The code both firmware binaries share: the lifecycle [`scenario`], written once against a
//! [`scenario::Sink`] that each binary renders its own way (semihosting text or defmt), and the
//! [`stack`] high-water mark from cortex-m-rt's `paint-stack`; and the [`golden`] scenarios of
//! `../../golden/scenarios.rs`, the same code the host test `core/tests/golden.rs` runs.

#![no_std]

// Formatted with the workspace's settings (through core/tests/golden.rs), not this folder's.
#[rustfmt::skip]
#[path = "../../../golden/scenarios.rs"]
pub mod golden;
pub mod scenario;
pub mod stack;
