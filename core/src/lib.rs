#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented,
    clippy::arithmetic_side_effects,
    clippy::float_arithmetic
)]
#![warn(
    missing_docs,
    clippy::std_instead_of_core,
    clippy::alloc_instead_of_core,
    clippy::missing_errors_doc
)]

// Unit tests run on the host and use std (collections, formatting, printing).
#[cfg(test)]
#[macro_use]
extern crate std;

/// What the unit tests take from std besides its macros.
#[cfg(test)]
mod test_prelude {
    pub use std::string::{String, ToString};
    pub use std::vec::Vec;
}

#[macro_use]
pub mod vocab;

pub mod catalog;
pub mod config;
pub mod error;
mod fixed;
pub mod group;
pub mod id;
pub mod imds;
pub mod lifecycle;
pub mod network;
pub mod purchase;
pub mod scaling;
pub mod sim;
pub mod snapshot;
pub mod time;
pub mod value;
pub mod zone;

pub use error::{Error, ErrorKind};
pub use time::{Duration, Instant};
