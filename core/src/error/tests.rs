//! Pins every error variant to its code, and checks kinds and messages.

use super::*;
use crate::id::InstanceId;
use crate::lifecycle::{InstanceState, Operation};

fn id() -> InstanceId {
    InstanceId::from_u64(1)
}

#[test]
fn lifecycle_codes_are_stable() {
    let cases: [(LifecycleError, u32, ErrorKind); 14] = [
        (
            LifecycleError::IncorrectState {
                id: id(),
                state: InstanceState::Stopped,
                operation: Operation::Reboot,
            },
            1000,
            ErrorKind::InvalidState,
        ),
        (
            LifecycleError::InstanceStoreRoot {
                id: id(),
                operation: Operation::Stop,
            },
            1001,
            ErrorKind::Unsupported,
        ),
        (
            LifecycleError::HibernationNotConfigured { id: id() },
            1002,
            ErrorKind::Unsupported,
        ),
        (
            LifecycleError::TerminationProtected { id: id() },
            1003,
            ErrorKind::InvalidState,
        ),
        (
            LifecycleError::SpotInterrupted { id: id() },
            1004,
            ErrorKind::InvalidState,
        ),
        (
            LifecycleError::NotSpot { id: id() },
            1005,
            ErrorKind::InvalidArgument,
        ),
        (
            LifecycleError::InvalidLaunch {
                rule: LaunchRule::HibernationNeedsEbs,
            },
            1006,
            ErrorKind::InvalidArgument,
        ),
        (
            LifecycleError::UnknownInstance { id: id() },
            1007,
            ErrorKind::NotFound,
        ),
        (
            LifecycleError::FleetFull { capacity: 4 },
            1008,
            ErrorKind::CapacityExceeded,
        ),
        (
            LifecycleError::InvalidStateCode { code: 3 },
            1009,
            ErrorKind::Malformed,
        ),
        (LifecycleError::InvalidStateName, 1010, ErrorKind::Malformed),
        (
            LifecycleError::SpotNotPersistent { id: id() },
            1011,
            ErrorKind::Unsupported,
        ),
        (
            LifecycleError::Id(IdError::Exhausted),
            1503,
            ErrorKind::CapacityExceeded,
        ),
        (
            LifecycleError::Catalog(CatalogError::UnknownImage),
            1403,
            ErrorKind::NotFound,
        ),
    ];
    for (e, code, kind) in cases {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
        assert!(!e.to_string().is_empty());
        assert!(!e.to_string().ends_with('.'), "{e}");
    }
}

#[test]
fn catalog_codes_are_stable() {
    let cases: [(CatalogError, u32); 16] = [
        (CatalogError::UnknownInstanceType, 1400),
        (CatalogError::InvalidTypeName, 1401),
        (CatalogError::DuplicateInstanceType, 1402),
        (CatalogError::UnknownImage, 1403),
        (CatalogError::DuplicateImage, 1404),
        (CatalogError::InvalidImageName, 1405),
        (
            CatalogError::TooLong {
                field: "Description",
                max: 255,
            },
            1406,
        ),
        (CatalogError::OutOfRange { field: "x" }, 1407),
        (CatalogError::UnknownTemplate, 1408),
        (CatalogError::DuplicateTemplateName, 1409),
        (CatalogError::InvalidTemplateName, 1410),
        (CatalogError::UnknownVersion { version: 2 }, 1411),
        (CatalogError::DeleteDefaultVersion { version: 1 }, 1412),
        (CatalogError::InvalidVersionSpec, 1413),
        (
            CatalogError::Full {
                table: "images",
                capacity: 1,
            },
            1414,
        ),
        (CatalogError::VersionQuota, 1415),
    ];
    for (e, code) in cases {
        assert_eq!(e.code(), code, "{e}");
        assert!(!e.to_string().ends_with('.'), "{e}");
    }
}

#[test]
fn id_codes_are_stable() {
    let cases: [(IdError, u32, ErrorKind); 5] = [
        (
            IdError::WrongPrefix { expected: "i-" },
            1500,
            ErrorKind::Malformed,
        ),
        (IdError::BadLength { len: 3 }, 1501, ErrorKind::Malformed),
        (IdError::NotHex { position: 4 }, 1502, ErrorKind::Malformed),
        (IdError::Exhausted, 1503, ErrorKind::CapacityExceeded),
        (
            IdError::BufferTooSmall { needed: 19 },
            1504,
            ErrorKind::CapacityExceeded,
        ),
    ];
    for (e, code, kind) in cases {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
    }
}

#[test]
fn messages_carry_the_numbers() {
    assert_eq!(
        IdError::BadLength { len: 3 }.to_string(),
        "id must have 8 or 17 hex digits after the prefix, found 3"
    );
    assert_eq!(
        CatalogError::UnknownVersion { version: 7 }.to_string(),
        "launch template version 7 does not exist"
    );
    assert_eq!(ErrorKind::CapacityExceeded.to_string(), "capacity exceeded");
}
