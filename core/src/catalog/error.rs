//! The catalog's error, with its `Display` text, stable numeric code (1400s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use crate::catalog::Architecture;
use crate::error::{Error, ErrorKind};

/// What was wrong with a catalog request (images, instance types, launch templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CatalogError {
    /// No built-in or user-defined instance type has this name.
    UnknownInstanceType,
    /// An instance type name is not of the form `family.size` in lowercase letters and digits.
    InvalidTypeName,
    /// A user-defined instance type reuses a name that already exists.
    DuplicateInstanceType,
    /// No registered image has this id.
    UnknownImage,
    /// An image with this id is already registered.
    DuplicateImage,
    /// An AMI name is not 3–128 characters of the allowed set.
    InvalidImageName,
    /// A text field is longer than the service allows.
    TooLong {
        /// The field, as the service names it.
        field: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// A numeric field is out of range.
    OutOfRange {
        /// The field, as the service names it.
        field: &'static str,
    },
    /// No launch template has this id or name.
    UnknownTemplate,
    /// A launch template with this name already exists.
    DuplicateTemplateName,
    /// A launch template name is not 3–128 characters of `[A-Za-z0-9()./_-]`.
    InvalidTemplateName,
    /// The template has no version with this number (never created, or deleted).
    UnknownVersion {
        /// The version asked for.
        version: u32,
    },
    /// The default version of a template cannot be deleted.
    DeleteDefaultVersion {
        /// The default version.
        version: u32,
    },
    /// A version string is not a number, `$Latest` or `$Default`.
    InvalidVersionSpec,
    /// A fixed-capacity table of the catalog is full.
    Full {
        /// Which table: `"instance types"`, `"images"`, `"templates"` or `"versions"`.
        table: &'static str,
        /// Its capacity.
        capacity: usize,
    },
    /// A launch template reached the service's 10 000 versions.
    VersionQuota,
    /// The image's architecture does not run on the instance type (an `arm64` AMI on
    /// `m5.large`), as `RunInstances` refuses it with `InvalidParameterValue` (SEMANTICS §7).
    ArchitectureMismatch {
        /// The instance type's architecture.
        instance_type: Architecture,
        /// The image's architecture.
        image: Architecture,
    },
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownInstanceType => f.write_str("unknown instance type"),
            Self::InvalidTypeName => f.write_str(
                "instance type name must be `family.size` in lowercase letters, digits and dashes",
            ),
            Self::DuplicateInstanceType => f.write_str("an instance type with this name exists"),
            Self::UnknownImage => f.write_str("unknown image id"),
            Self::DuplicateImage => f.write_str("an image with this id is already registered"),
            Self::InvalidImageName => {
                f.write_str("image name must be 3-128 characters of letters, digits, ()[] ./-'@_")
            }
            Self::TooLong { field, max } => write!(f, "{field} is longer than {max} characters"),
            Self::OutOfRange { field } => write!(f, "{field} is out of range"),
            Self::UnknownTemplate => f.write_str("unknown launch template"),
            Self::DuplicateTemplateName => {
                f.write_str("a launch template with this name already exists")
            }
            Self::InvalidTemplateName => f.write_str(
                "launch template name must be 3-128 characters of letters, digits and ()./_-",
            ),
            Self::UnknownVersion { version } => {
                write!(f, "launch template version {version} does not exist")
            }
            Self::DeleteDefaultVersion { version } => write!(
                f,
                "version {version} is the default version and cannot be deleted; \
                 set another default first"
            ),
            Self::InvalidVersionSpec => {
                f.write_str("launch template version must be a number, $Latest or $Default")
            }
            Self::Full { table, capacity } => {
                write!(f, "the catalog holds at most {capacity} {table}")
            }
            Self::VersionQuota => {
                f.write_str("launch template has reached the quota of 10000 versions")
            }
            Self::ArchitectureMismatch {
                instance_type,
                image,
            } => write!(
                f,
                "The architecture '{}' of the specified instance type does not match the \
                 architecture '{}' of the specified AMI. Specify an instance type and an AMI \
                 that have matching architectures, and try again.",
                instance_type.as_str(),
                image.as_str()
            ),
        }
    }
}

impl core::error::Error for CatalogError {}

impl Error for CatalogError {
    fn code(&self) -> u32 {
        match self {
            Self::UnknownInstanceType => 1400,
            Self::InvalidTypeName => 1401,
            Self::DuplicateInstanceType => 1402,
            Self::UnknownImage => 1403,
            Self::DuplicateImage => 1404,
            Self::InvalidImageName => 1405,
            Self::TooLong { .. } => 1406,
            Self::OutOfRange { .. } => 1407,
            Self::UnknownTemplate => 1408,
            Self::DuplicateTemplateName => 1409,
            Self::InvalidTemplateName => 1410,
            Self::UnknownVersion { .. } => 1411,
            Self::DeleteDefaultVersion { .. } => 1412,
            Self::InvalidVersionSpec => 1413,
            Self::Full { .. } => 1414,
            Self::VersionQuota => 1415,
            Self::ArchitectureMismatch { .. } => 1416,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::UnknownInstanceType
            | Self::UnknownImage
            | Self::UnknownTemplate
            | Self::UnknownVersion { .. } => ErrorKind::NotFound,
            Self::InvalidTypeName | Self::InvalidImageName | Self::InvalidTemplateName => {
                ErrorKind::Malformed
            }
            Self::InvalidVersionSpec => ErrorKind::Malformed,
            Self::DuplicateInstanceType
            | Self::DuplicateImage
            | Self::DuplicateTemplateName
            | Self::TooLong { .. }
            | Self::OutOfRange { .. }
            | Self::ArchitectureMismatch { .. } => ErrorKind::InvalidArgument,
            Self::DeleteDefaultVersion { .. } => ErrorKind::InvalidState,
            Self::Full { .. } | Self::VersionQuota => ErrorKind::CapacityExceeded,
        }
    }
}
