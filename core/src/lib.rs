#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), no_std)]
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

pub mod catalog;
pub mod error;
pub mod group;
pub mod id;
pub mod lifecycle;
pub mod purchase;
pub mod scaling;
pub mod sim;
pub mod snapshot;
pub mod time;

pub use error::{Error, ErrorKind};
pub use time::{Duration, Instant};
