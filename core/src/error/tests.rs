//! Pins every error variant to its code, and checks kinds and messages.

use super::*;
use crate::catalog::CatalogError;
use crate::config::ConfigError;
use crate::group::GroupError;
use crate::id::IdError;
use crate::id::InstanceId;
use crate::lifecycle::{InstanceState, Operation};
use crate::lifecycle::{LaunchRule, LifecycleError};
use crate::network::NetError;
use crate::scaling::ScalingError;
use crate::snapshot::SnapshotError;
use crate::test_prelude::*;

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

#[test]
fn group_codes_are_stable() {
    let id = id();
    let cases: [(GroupError, u32); 22] = [
        (
            GroupError::DesiredOutOfRange {
                desired: 5,
                min: 1,
                max: 4,
            },
            1100,
        ),
        (GroupError::MaxBelowMin { min: 3, max: 2 }, 1101),
        (GroupError::DesiredAboveMax { desired: 5, max: 4 }, 1102),
        (GroupError::DesiredBelowMin { desired: 0, min: 1 }, 1103),
        (GroupError::InCooldown, 1104),
        (GroupError::UnknownMember { id }, 1105),
        (
            GroupError::WrongMemberState {
                id,
                state: "Standby",
            },
            1106,
        ),
        (
            GroupError::TooManyIds {
                count: 21,
                limit: 20,
            },
            1107,
        ),
        (GroupError::BelowMin { desired: 0, min: 1 }, 1108),
        (GroupError::AboveMax { desired: 5, max: 4 }, 1109),
        (
            GroupError::MaxAboveCapacity {
                max: 9,
                capacity: 8,
            },
            1110,
        ),
        (GroupError::Full { capacity: 8 }, 1111),
        (GroupError::HeartbeatOutOfRange { seconds: 10 }, 1112),
        (GroupError::TooManyHooks, 1113),
        (GroupError::UnknownHook { hook: 3 }, 1114),
        (GroupError::NotWaiting { id, hook: 0 }, 1115),
        (GroupError::InvalidZones, 1116),
        (GroupError::InvalidTerminationPolicies, 1117),
        (GroupError::AlreadyMember { id }, 1118),
        (
            GroupError::OutOfRange {
                field: "DefaultInstanceWarmup",
            },
            1119,
        ),
        (GroupError::RefreshInProgress, 1120),
        (GroupError::NoActiveRefresh, 1121),
    ];
    for (e, code) in cases {
        assert_eq!(e.code(), code, "{e}");
        assert!(!e.to_string().ends_with('.'), "{e}");
    }
    assert_eq!(GroupError::Id(IdError::Exhausted).code(), 1503);
    assert_eq!(GroupError::InCooldown.kind(), ErrorKind::InvalidState);
}

#[test]
fn snapshot_codes_are_stable() {
    let cases: [(SnapshotError, u32, ErrorKind); 10] = [
        (
            SnapshotError::BufferTooSmall { needed: 9 },
            1600,
            ErrorKind::CapacityExceeded,
        ),
        (SnapshotError::Truncated, 1601, ErrorKind::Malformed),
        (SnapshotError::NotASnapshot, 1602, ErrorKind::Malformed),
        (
            SnapshotError::UnsupportedVersion { version: 2 },
            1603,
            ErrorKind::Unsupported,
        ),
        (
            SnapshotError::WrongKind { kind: 7 },
            1604,
            ErrorKind::InvalidArgument,
        ),
        (SnapshotError::Checksum, 1605, ErrorKind::Malformed),
        (
            SnapshotError::CapacityMismatch {
                stored: 4,
                capacity: 8,
            },
            1606,
            ErrorKind::InvalidArgument,
        ),
        (SnapshotError::Malformed, 1607, ErrorKind::Malformed),
        (
            SnapshotError::Inconsistent { invariant: "x" },
            1608,
            ErrorKind::Malformed,
        ),
        (SnapshotError::Encoding, 1609, ErrorKind::CapacityExceeded),
    ];
    for (e, code, kind) in cases {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
    }
}

#[test]
fn scaling_codes_are_stable() {
    let cases: [(ScalingError, u32, ErrorKind); 6] = [
        (
            ScalingError::InvalidPeriod { seconds: 45 },
            1200,
            ErrorKind::InvalidArgument,
        ),
        (
            ScalingError::InvalidEvaluation { n: 3, m: 4 },
            1201,
            ErrorKind::InvalidArgument,
        ),
        (ScalingError::TooOld, 1202, ErrorKind::InvalidState),
        (
            ScalingError::PeriodMismatch,
            1203,
            ErrorKind::InvalidArgument,
        ),
        (
            ScalingError::InvalidAdjustment,
            1204,
            ErrorKind::InvalidArgument,
        ),
        (ScalingError::InvalidSteps, 1205, ErrorKind::InvalidArgument),
    ];
    for (e, code, kind) in cases {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
    }
}

#[test]
fn policy_codes_are_stable() {
    assert_eq!(GroupError::UnknownPolicy { policy: 1 }.code(), 1122);
    assert_eq!(GroupError::TooManyPolicies.code(), 1123);
    assert_eq!(GroupError::Scaling(ScalingError::NoStep).code(), 1206);
    assert_eq!(ScalingError::NoStep.kind(), ErrorKind::NotFound);
}

#[test]
fn schedule_codes_are_stable() {
    assert_eq!(GroupError::ScheduleConflict.code(), 1124);
    assert_eq!(GroupError::TooManyScheduled.code(), 1125);
    assert_eq!(GroupError::UnknownScheduledAction.code(), 1126);
    assert_eq!(ScalingError::InvalidCron.code(), 1207);
    assert_eq!(ScalingError::InvalidCron.kind(), ErrorKind::Malformed);
    let tz = ScalingError::InvalidTimeZone { position: 3 };
    assert_eq!((tz.code(), tz.kind()), (1209, ErrorKind::Malformed));
    assert!(tz.to_string().contains("byte 3"), "{tz}");
    let field = crate::scaling::cron::CronField::Hour;
    let range = ScalingError::CronOutOfRange { field, value: 25 };
    assert_eq!(
        (range.code(), range.kind()),
        (1215, ErrorKind::InvalidArgument)
    );
    let syntax = ScalingError::CronSyntax { field };
    assert_eq!((syntax.code(), syntax.kind()), (1216, ErrorKind::Malformed));
    let name = ScalingError::UnknownTimeZone;
    assert_eq!((name.code(), name.kind()), (1217, ErrorKind::NotFound));
    let arch = CatalogError::ArchitectureMismatch {
        instance_type: crate::catalog::Architecture::X86_64,
        image: crate::catalog::Architecture::Arm64,
    };
    assert_eq!(
        (arch.code(), arch.kind()),
        (1416, ErrorKind::InvalidArgument)
    );
}

#[test]
fn forecast_config_code_is_stable() {
    assert_eq!(ScalingError::InvalidForecastConfig.code(), 1208);
}

#[test]
fn dynamic_scaling_codes_are_stable() {
    let group = [
        (
            GroupError::UnknownMetric { metric: 3 },
            1127,
            ErrorKind::NotFound,
        ),
        (
            GroupError::TooManyMetrics,
            1128,
            ErrorKind::CapacityExceeded,
        ),
        (
            GroupError::DuplicateMetric,
            1129,
            ErrorKind::InvalidArgument,
        ),
        (GroupError::TooManyAlarms, 1130, ErrorKind::CapacityExceeded),
    ];
    for (e, code, kind) in group {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
    }
    let scaling = [
        (ScalingError::NotExecutable, 1211, ErrorKind::Unsupported),
        (ScalingError::HpaTaken, 1212, ErrorKind::CapacityExceeded),
        (
            ScalingError::InvalidBehavior,
            1213,
            ErrorKind::InvalidArgument,
        ),
        (
            ScalingError::InvalidTargetTracking,
            1214,
            ErrorKind::InvalidArgument,
        ),
    ];
    for (e, code, kind) in scaling {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one row per variant
fn config_codes_are_stable() {
    let cases: [(ConfigError, u32, ErrorKind); 22] = [
        (
            ConfigError::TooLarge { max: 1 },
            1300,
            ErrorKind::CapacityExceeded,
        ),
        (
            ConfigError::TooDeep { max: 1 },
            1301,
            ErrorKind::CapacityExceeded,
        ),
        (
            ConfigError::Syntax { expected: "x" },
            1302,
            ErrorKind::Malformed,
        ),
        (ConfigError::Truncated, 1303, ErrorKind::Malformed),
        (ConfigError::TrailingCharacters, 1304, ErrorKind::Malformed),
        (ConfigError::UnknownField, 1305, ErrorKind::InvalidArgument),
        (
            ConfigError::MissingField { field: "x" },
            1306,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::DuplicateField { field: "x" },
            1307,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::WrongType { expected: "x" },
            1308,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::OutOfRange { expected: "x" },
            1309,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::UnknownVariant,
            1310,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::TooLong { max: 1 },
            1311,
            ErrorKind::CapacityExceeded,
        ),
        (
            ConfigError::NotAllowed { here: "x" },
            1312,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::Invalid { expected: "x" },
            1313,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::UnknownReference { what: "x" },
            1314,
            ErrorKind::NotFound,
        ),
        (
            ConfigError::DuplicateName { what: "x" },
            1315,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::Catalog(CatalogError::InvalidTypeName),
            1320,
            ErrorKind::Malformed,
        ),
        (
            ConfigError::Group(GroupError::InvalidZones),
            1321,
            ErrorKind::InvalidArgument,
        ),
        (
            ConfigError::Scaling(ScalingError::InvalidCron),
            1322,
            ErrorKind::Malformed,
        ),
        (
            ConfigError::Network(NetError::InvalidGroupName),
            1323,
            NetError::InvalidGroupName.kind(),
        ),
        (
            ConfigError::BufferTooSmall,
            1330,
            ErrorKind::CapacityExceeded,
        ),
        (
            ConfigError::from(GroupError::Scaling(ScalingError::InvalidCron)),
            1322,
            ErrorKind::Malformed,
        ),
    ];
    for (e, code, kind) in cases {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e}");
        assert!(!format!("{e}").is_empty());
    }
}
