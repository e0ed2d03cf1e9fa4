//! The id domain's error, with its `Display` text, stable numeric code (1500s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use crate::error::{Error, ErrorKind};

/// A malformed or exhausted resource id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum IdError {
    /// The text does not start with the kind's prefix.
    WrongPrefix {
        /// The prefix that was expected, such as `"i-"`.
        expected: &'static str,
    },
    /// The part after the prefix is not 8 or 17 characters long.
    BadLength {
        /// Bytes after the prefix.
        len: usize,
    },
    /// A character is not a lowercase hex digit.
    NotHex {
        /// Byte offset of the character in the whole text.
        position: usize,
    },
    /// The id generator's counter is used up.
    Exhausted,
    /// The caller's buffer cannot hold the text form.
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongPrefix { expected } => write!(f, "id must start with \"{expected}\""),
            Self::BadLength { len } => {
                write!(
                    f,
                    "id must have 8 or 17 hex digits after the prefix, found {len}"
                )
            }
            Self::NotHex { position } => {
                write!(
                    f,
                    "id has a character that is not a lowercase hex digit at byte {position}"
                )
            }
            Self::Exhausted => f.write_str("id generator is exhausted"),
            Self::BufferTooSmall { needed } => {
                write!(f, "buffer too small for the id: {needed} bytes needed")
            }
        }
    }
}

impl core::error::Error for IdError {}

impl Error for IdError {
    fn code(&self) -> u32 {
        match self {
            Self::WrongPrefix { .. } => 1500,
            Self::BadLength { .. } => 1501,
            Self::NotHex { .. } => 1502,
            Self::Exhausted => 1503,
            Self::BufferTooSmall { .. } => 1504,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::WrongPrefix { .. } | Self::BadLength { .. } | Self::NotHex { .. } => {
                ErrorKind::Malformed
            }
            Self::Exhausted | Self::BufferTooSmall { .. } => ErrorKind::CapacityExceeded,
        }
    }
}
