//! What every domain's error shares: the [`Error`] trait (a stable numeric code for the C ABI)
//! and the coarse [`ErrorKind`] (the embedded-hal pattern). Each domain keeps its own error enum
//! next to its code, with a `Display` text a person can act on.
//!
//! Code ranges (never renumbered; a retired code stays here as a `// reserved` comment):
//!
//! | range | domain |
//! |---|---|
//! | 0 | OK (C only) |
//! | 1–99 | C ABI errors (NULL argument, short buffer, bad enum value, panic), in `fleetcore-ffi` |
//! | 1000s | [`LifecycleError`](crate::lifecycle::LifecycleError) |
//! | 1100s | [`GroupError`](crate::group::GroupError) |
//! | 1200s | [`ScalingError`](crate::scaling::ScalingError) |
//! | 1300s | [`ConfigError`](crate::config::ConfigError) |
//! | 1400s | [`CatalogError`](crate::catalog::CatalogError) |
//! | 1500s | [`IdError`](crate::id::IdError) |
//! | 1600s | [`SnapshotError`](crate::snapshot::SnapshotError) |
//! | 1700s | [`ImdsError`](crate::imds::ImdsError) |
//! | 1800s | [`NetError`](crate::network::NetError) |
//! | 1900s | [`PurchaseError`](crate::purchase::PurchaseError) |
//!
//! Every fallible call in the core leaves its receiver unchanged when it returns `Err`.

use core::fmt;

/// The coarse class of an error, shared by every domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument is out of range or inconsistent with another.
    InvalidArgument,
    /// A fixed-capacity store is full.
    CapacityExceeded,
    /// The operation is not legal in the object's current state.
    InvalidState,
    /// The named object does not exist.
    NotFound,
    /// Text or bytes could not be parsed.
    Malformed,
    /// The object cannot do this at all (for example stopping an instance-store instance).
    Unsupported,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidArgument => "invalid argument",
            Self::CapacityExceeded => "capacity exceeded",
            Self::InvalidState => "invalid state",
            Self::NotFound => "not found",
            Self::Malformed => "malformed",
            Self::Unsupported => "unsupported",
        })
    }
}

impl core::error::Error for ErrorKind {}

/// Implemented by every domain error of the core.
pub trait Error: core::error::Error {
    /// The stable numeric code, as the C ABI returns it.
    fn code(&self) -> u32;
    /// The coarse class.
    fn kind(&self) -> ErrorKind;
}

#[cfg(test)]
mod tests;
