//! The snapshot's error, with its `Display` text, stable numeric code (1600s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use crate::error::{Error, ErrorKind};

/// Why a snapshot could not be written or read (see [`crate::snapshot`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SnapshotError {
    /// The caller's buffer cannot hold the snapshot.
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
    /// The bytes end before the frame does.
    Truncated,
    /// The bytes do not start with the snapshot magic.
    NotASnapshot,
    /// The frame's format version is not one this build reads.
    UnsupportedVersion {
        /// The version found.
        version: u16,
    },
    /// The snapshot holds another kind of object.
    WrongKind {
        /// The kind byte found.
        kind: u8,
    },
    /// The checksum does not match: the bytes were corrupted.
    Checksum,
    /// The snapshot was taken from an object of another capacity.
    CapacityMismatch {
        /// The capacity recorded in the snapshot.
        stored: u32,
        /// The capacity of the type decoding it.
        capacity: u32,
    },
    /// The payload does not decode.
    Malformed,
    /// The payload decodes to a state that breaks one of the object's invariants (one its own
    /// operations always keep): a forged or hand-edited snapshot.
    Inconsistent {
        /// The invariant broken, in words.
        invariant: &'static str,
    },
    /// The state could not be encoded.
    Encoding,
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => {
                write!(
                    f,
                    "buffer too small for the snapshot: {needed} bytes needed"
                )
            }
            Self::Truncated => f.write_str("snapshot is truncated"),
            Self::NotASnapshot => f.write_str("bytes are not a fleetcore snapshot"),
            Self::UnsupportedVersion { version } => {
                write!(f, "snapshot format version {version} is not supported")
            }
            Self::WrongKind { kind } => write!(f, "snapshot holds another kind of object ({kind})"),
            Self::Checksum => {
                f.write_str("snapshot checksum does not match: the data is corrupted")
            }
            Self::CapacityMismatch { stored, capacity } => write!(
                f,
                "snapshot was taken with capacity {stored}, this object has capacity {capacity}"
            ),
            Self::Malformed => f.write_str("snapshot payload does not decode"),
            Self::Inconsistent { invariant } => {
                write!(f, "snapshot payload breaks an invariant: {invariant}")
            }
            Self::Encoding => f.write_str("state could not be encoded"),
        }
    }
}

impl core::error::Error for SnapshotError {}

impl Error for SnapshotError {
    fn code(&self) -> u32 {
        match self {
            Self::BufferTooSmall { .. } => 1600,
            Self::Truncated => 1601,
            Self::NotASnapshot => 1602,
            Self::UnsupportedVersion { .. } => 1603,
            Self::WrongKind { .. } => 1604,
            Self::Checksum => 1605,
            Self::CapacityMismatch { .. } => 1606,
            Self::Malformed => 1607,
            Self::Inconsistent { .. } => 1608,
            Self::Encoding => 1609,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::BufferTooSmall { .. } | Self::Encoding => ErrorKind::CapacityExceeded,
            Self::UnsupportedVersion { .. } => ErrorKind::Unsupported,
            Self::CapacityMismatch { .. } | Self::WrongKind { .. } => ErrorKind::InvalidArgument,
            _ => ErrorKind::Malformed,
        }
    }
}
