//! The configuration document's error, with its `Display` text, stable numeric code (1300s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use crate::catalog::CatalogError;
use crate::error::{Error, ErrorKind};
use crate::group::GroupError;
use crate::network::NetError;
use crate::scaling::ScalingError;

/// What was wrong with a JSON configuration document (see [`crate::config`]). The parser
/// returns it inside a [`crate::config::LocatedError`], which adds the field path and the byte
/// position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ConfigError {
    /// The document is longer than the parser accepts.
    TooLarge {
        /// The most bytes accepted.
        max: usize,
    },
    /// Objects and arrays nest deeper than the parser tracks.
    TooDeep {
        /// The deepest nesting accepted.
        max: usize,
    },
    /// The text is not JSON.
    Syntax {
        /// What the parser expected at this byte.
        expected: &'static str,
    },
    /// The input ends inside a value.
    Truncated,
    /// Something other than whitespace follows the document.
    TrailingCharacters,
    /// The schema has no field of this name here.
    UnknownField,
    /// A required field is absent.
    MissingField {
        /// The field.
        field: &'static str,
    },
    /// A field appears twice in one object.
    DuplicateField {
        /// The field.
        field: &'static str,
    },
    /// A value has the wrong JSON type.
    WrongType {
        /// What the schema wants here.
        expected: &'static str,
    },
    /// A number does not fit the field, or a value is outside its range.
    OutOfRange {
        /// What the schema accepts here.
        expected: &'static str,
    },
    /// A text value is none of the names the schema lists for this field.
    UnknownVariant,
    /// A string or list is longer than its fixed capacity.
    TooLong {
        /// The capacity (bytes of a string, entries of a list).
        max: usize,
    },
    /// A field that this kind of entry does not take (such as `steps` on a simple policy).
    NotAllowed {
        /// The kind of entry, such as `"simple policy"`.
        here: &'static str,
    },
    /// A value is of the right type but not valid.
    Invalid {
        /// What the schema wants here.
        expected: &'static str,
    },
    /// A name refers to nothing defined in the document (or built in).
    UnknownReference {
        /// What kind of thing was named.
        what: &'static str,
    },
    /// Two entries of one list have the same name.
    DuplicateName {
        /// What kind of thing is named twice.
        what: &'static str,
    },
    /// The catalog's validation refused the value.
    Catalog(CatalogError),
    /// The group's validation refused the value.
    Group(GroupError),
    /// The scaling validation (steps, adjustments, recurrence, time zone) refused the value.
    Scaling(ScalingError),
    /// The network validation (names, CIDR blocks, ports) refused the value.
    Network(NetError),
    /// The caller's buffer cannot hold the serialised document.
    BufferTooSmall,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { max } => {
                write!(f, "the document is longer than {max} bytes")
            }
            Self::TooDeep { max } => {
                write!(f, "objects and arrays nest deeper than {max} levels")
            }
            Self::Syntax { expected } => write!(f, "not JSON: expected {expected}"),
            Self::Truncated => f.write_str("the document ends inside a value"),
            Self::TrailingCharacters => f.write_str("unexpected text after the document"),
            Self::UnknownField => f.write_str("unknown field"),
            Self::MissingField { field } => write!(f, "missing field `{field}`"),
            Self::DuplicateField { field } => write!(f, "field `{field}` appears twice"),
            Self::WrongType { expected } => write!(f, "wrong type: expected {expected}"),
            Self::OutOfRange { expected } => write!(f, "out of range: expected {expected}"),
            Self::UnknownVariant => f.write_str("not one of the names this field accepts"),
            Self::TooLong { max } => write!(f, "too long: at most {max}"),
            Self::NotAllowed { here } => write!(f, "this field is not allowed on a {here}"),
            Self::Invalid { expected } => write!(f, "invalid: expected {expected}"),
            Self::UnknownReference { what } => write!(f, "no {what} of this name is defined"),
            Self::DuplicateName { what } => write!(f, "another {what} has this name"),
            Self::Catalog(e) => write!(f, "{e}"),
            Self::Group(e) => write!(f, "{e}"),
            Self::Scaling(e) => write!(f, "{e}"),
            Self::Network(e) => write!(f, "{e}"),
            Self::BufferTooSmall => f.write_str("buffer too small for the serialised document"),
        }
    }
}

impl core::error::Error for ConfigError {}

impl Error for ConfigError {
    fn code(&self) -> u32 {
        match self {
            Self::TooLarge { .. } => 1300,
            Self::TooDeep { .. } => 1301,
            Self::Syntax { .. } => 1302,
            Self::Truncated => 1303,
            Self::TrailingCharacters => 1304,
            Self::UnknownField => 1305,
            Self::MissingField { .. } => 1306,
            Self::DuplicateField { .. } => 1307,
            Self::WrongType { .. } => 1308,
            Self::OutOfRange { .. } => 1309,
            Self::UnknownVariant => 1310,
            Self::TooLong { .. } => 1311,
            Self::NotAllowed { .. } => 1312,
            Self::Invalid { .. } => 1313,
            Self::UnknownReference { .. } => 1314,
            Self::DuplicateName { .. } => 1315,
            Self::Catalog(_) => 1320,
            Self::Group(_) => 1321,
            Self::Scaling(_) => 1322,
            Self::Network(_) => 1323,
            Self::BufferTooSmall => 1330,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::TooLarge { .. }
            | Self::TooDeep { .. }
            | Self::TooLong { .. }
            | Self::BufferTooSmall => ErrorKind::CapacityExceeded,
            Self::Syntax { .. } | Self::Truncated | Self::TrailingCharacters => {
                ErrorKind::Malformed
            }
            Self::UnknownReference { .. } => ErrorKind::NotFound,
            Self::Catalog(e) => e.kind(),
            Self::Group(e) => e.kind(),
            Self::Scaling(e) => e.kind(),
            Self::Network(e) => e.kind(),
            _ => ErrorKind::InvalidArgument,
        }
    }
}

impl From<CatalogError> for ConfigError {
    fn from(e: CatalogError) -> Self {
        Self::Catalog(e)
    }
}

impl From<GroupError> for ConfigError {
    fn from(e: GroupError) -> Self {
        match e {
            GroupError::Scaling(s) => Self::Scaling(s),
            other => Self::Group(other),
        }
    }
}

impl From<ScalingError> for ConfigError {
    fn from(e: ScalingError) -> Self {
        Self::Scaling(e)
    }
}

impl From<NetError> for ConfigError {
    fn from(e: NetError) -> Self {
        Self::Network(e)
    }
}
