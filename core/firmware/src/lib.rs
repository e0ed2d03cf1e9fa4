//! The code both firmware binaries share: the lifecycle [`scenario`], written once against a
//! [`scenario::Sink`] that each binary renders its own way (semihosting text or defmt), and the
//! [`stack`] high-water mark from cortex-m-rt's `paint-stack`.

#![no_std]

pub mod scenario;
pub mod stack;
