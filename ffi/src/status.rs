//! `fc_status`: the result of every fallible function, and `fc_status_message`.
//!
//! A status is the core's own error code (`fleetcore::Error::code`): 0 is success, 1–99 are
//! failures of the C boundary itself (listed here, the ABI's own), and each core error domain
//! keeps its range (1000s lifecycle, 1100s group, 1200s scaling, 1300s configuration, 1400s
//! catalog, 1500s ids, 1600s snapshots, 1700s IMDS, 1800s network, 1900s purchasing; see
//! `fleetcore::error`). No list of codes or messages is kept here: a core error converts by its
//! `code()`, and the text of a code is the core's `Display` of an error with that code. The
//! `FC_STATUS_*` constants name the codes C callers test; a test pins each to its core variant.

use core::fmt::Write as _;

use fleetcore::catalog::CatalogError;
use fleetcore::config::ConfigError;
use fleetcore::group::GroupError;
use fleetcore::id::{IdError, InstanceId};
use fleetcore::imds::ImdsError;
use fleetcore::lifecycle::{InstanceState, LifecycleError, Operation};
use fleetcore::network::NetError;
use fleetcore::purchase::PurchaseError;
use fleetcore::scaling::ScalingError;
use fleetcore::snapshot::SnapshotError;

use crate::boundary::{Out, OutText, TextBuf, boundary};

/// The result of every fallible `fc_` function, a `uint32_t`: `FC_STATUS_OK` (0), a failure of
/// the C boundary (1-99), or the code of the core's error (1000 and up, `fleetcore::Error`).
///
/// On any status but `FC_STATUS_OK` the function wrote none of its outputs and changed nothing.
/// `fc_status_message` gives the text.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct fc_status(u32);

/// Success.
pub const FC_STATUS_OK: u32 = 0;
/// A pointer argument is NULL.
pub const FC_STATUS_NULL_ARGUMENT: u32 = 1;
/// An output buffer is too short for the result and its terminating NUL.
pub const FC_STATUS_BUFFER_TOO_SMALL: u32 = 2;
/// A `uint32_t` argument is not one of the values its enum defines.
pub const FC_STATUS_INVALID_ENUM_VALUE: u32 = 3;
/// The library panicked; this is a bug. The object the call was given may be inconsistent.
pub const FC_STATUS_PANIC: u32 = 4;
/// A string argument is not valid UTF-8.
pub const FC_STATUS_NOT_UTF8: u32 = 5;
/// A pointer argument is not aligned for its type.
pub const FC_STATUS_MISALIGNED_ARGUMENT: u32 = 6;
/// The storage was not initialised by its `_init` function (for example `fc_fleet_init`).
pub const FC_STATUS_UNINITIALIZED: u32 = 7;
/// The core returned a value (such as a new enum variant) this build of the C ABI has no number
/// for; this is a bug.
pub const FC_STATUS_UNMAPPED_CORE_ERROR: u32 = 8;
/// An index argument is past the end of what it indexes (members, alarms, zones).
pub const FC_STATUS_INDEX_OUT_OF_RANGE: u32 = 9;
/// The object's fixed storage cannot hold the input (text, list entries, interfaces or tags of
/// `fc_imds_set_metadata`); its size constant (`FC_IMDS_TEXT_CAPACITY` ...) says how much fits.
pub const FC_STATUS_STORAGE_FULL: u32 = 10;
/// A numeric argument is outside the values it may take (for example an ICMP type above 255 in
/// `fc_sg_rule`).
pub const FC_STATUS_INVALID_ARGUMENT: u32 = 11;
/// `LifecycleError::IncorrectState`.
pub const FC_STATUS_INCORRECT_STATE: u32 = 1000;
/// `LifecycleError::UnknownInstance`.
pub const FC_STATUS_UNKNOWN_INSTANCE: u32 = 1007;
/// `LifecycleError::FleetFull`.
pub const FC_STATUS_FLEET_FULL: u32 = 1008;
/// `GroupError::InCooldown`.
pub const FC_STATUS_IN_COOLDOWN: u32 = 1104;
/// `GroupError::UnknownMember`.
pub const FC_STATUS_UNKNOWN_MEMBER: u32 = 1105;
/// `GroupError::WrongMemberState`.
pub const FC_STATUS_WRONG_MEMBER_STATE: u32 = 1106;
/// `GroupError::Full`.
pub const FC_STATUS_GROUP_FULL: u32 = 1111;
/// `GroupError::NoPrices`.
pub const FC_STATUS_NO_PRICES: u32 = 1133;
/// `GroupError::PartNotStored`.
pub const FC_STATUS_PART_NOT_STORED: u32 = 1134;
/// `ConfigError::Catalog`.
pub const FC_STATUS_CONFIG_CATALOG: u32 = 1320;
/// `ConfigError::Group`.
pub const FC_STATUS_CONFIG_GROUP: u32 = 1321;
/// `ConfigError::Scaling`.
pub const FC_STATUS_CONFIG_SCALING: u32 = 1322;
/// `ConfigError::Network`.
pub const FC_STATUS_CONFIG_NETWORK: u32 = 1323;
/// `SnapshotError::Truncated`.
pub const FC_STATUS_SNAPSHOT_TRUNCATED: u32 = 1601;
/// `SnapshotError::Checksum`.
pub const FC_STATUS_SNAPSHOT_CHECKSUM: u32 = 1605;
/// `SnapshotError::Malformed`.
pub const FC_STATUS_SNAPSHOT_MALFORMED: u32 = 1607;
/// `ImdsError::BufferTooSmall`.
pub const FC_STATUS_IMDS_BUFFER_TOO_SMALL: u32 = 1700;
/// `ImdsError::Incomplete`.
pub const FC_STATUS_IMDS_INCOMPLETE: u32 = 1703;

// Codes the crate returns itself that C callers need no name for (the tests pin them).
/// `LifecycleError::NotSpot`.
const FC_STATUS_NOT_SPOT: u32 = 1005;
/// `LifecycleError::InvalidStateCode`.
const FC_STATUS_INVALID_STATE_CODE: u32 = 1009;
/// `LifecycleError::InvalidStateName`.
const FC_STATUS_INVALID_STATE_NAME: u32 = 1010;
/// `GroupError::DesiredAboveMax`.
const FC_STATUS_DESIRED_ABOVE_MAX: u32 = 1102;
/// `GroupError::TooManyIds`.
const FC_STATUS_TOO_MANY_IDS: u32 = 1107;
/// `GroupError::InvalidZones`.
const FC_STATUS_INVALID_ZONES: u32 = 1116;
/// `GroupError::InvalidTerminationPolicies`.
const FC_STATUS_INVALID_TERMINATION_POLICIES: u32 = 1117;
/// `GroupError::OutOfRange`.
const FC_STATUS_GROUP_OUT_OF_RANGE: u32 = 1119;
/// `GroupError::UnknownPolicy`.
const FC_STATUS_UNKNOWN_POLICY: u32 = 1122;
/// `ScalingError::InvalidSteps`.
const FC_STATUS_INVALID_STEPS: u32 = 1205;
/// `ScalingError::InvalidBehavior`.
const FC_STATUS_INVALID_BEHAVIOR: u32 = 1213;
/// `CatalogError::UnknownInstanceType`.
const FC_STATUS_UNKNOWN_INSTANCE_TYPE: u32 = 1400;
/// `CatalogError::InvalidTypeName`.
const FC_STATUS_INVALID_TYPE_NAME: u32 = 1401;
/// `IdError::WrongPrefix`.
const FC_STATUS_ID_WRONG_PREFIX: u32 = 1500;
/// `IdError::BadLength`.
const FC_STATUS_ID_BAD_LENGTH: u32 = 1501;
/// `IdError::NotHex`.
const FC_STATUS_ID_NOT_HEX: u32 = 1502;
/// `PurchaseError::UnknownType`.
const FC_STATUS_UNPRICED_TYPE: u32 = 1900;
/// `PurchaseError::UnknownPool`.
const FC_STATUS_UNKNOWN_SPOT_POOL: u32 = 1902;
/// `PurchaseError::InvalidOverrides`.
const FC_STATUS_INVALID_OVERRIDES: u32 = 1908;

/// Bytes of a buffer that holds any `fc_status_message` text and its NUL.
pub const FC_STATUS_MESSAGE_SIZE: usize = 256;

// Rust names of the statuses the crate returns itself; some appear only in tests.
#[allow(non_upper_case_globals)]
#[cfg_attr(not(test), allow(dead_code))]
impl fc_status {
    pub(crate) const BufferTooSmall: Self = Self(FC_STATUS_BUFFER_TOO_SMALL);
    pub(crate) const DesiredAboveMax: Self = Self(FC_STATUS_DESIRED_ABOVE_MAX);
    pub(crate) const FleetFull: Self = Self(FC_STATUS_FLEET_FULL);
    pub(crate) const GroupOutOfRange: Self = Self(FC_STATUS_GROUP_OUT_OF_RANGE);
    pub(crate) const IdBadLength: Self = Self(FC_STATUS_ID_BAD_LENGTH);
    pub(crate) const IdNotHex: Self = Self(FC_STATUS_ID_NOT_HEX);
    pub(crate) const IdWrongPrefix: Self = Self(FC_STATUS_ID_WRONG_PREFIX);
    pub(crate) const ImdsIncomplete: Self = Self(FC_STATUS_IMDS_INCOMPLETE);
    pub(crate) const IncorrectState: Self = Self(FC_STATUS_INCORRECT_STATE);
    pub(crate) const IndexOutOfRange: Self = Self(FC_STATUS_INDEX_OUT_OF_RANGE);
    pub(crate) const InvalidArgument: Self = Self(FC_STATUS_INVALID_ARGUMENT);
    pub(crate) const InvalidBehavior: Self = Self(FC_STATUS_INVALID_BEHAVIOR);
    pub(crate) const InvalidEnumValue: Self = Self(FC_STATUS_INVALID_ENUM_VALUE);
    pub(crate) const InvalidOverrides: Self = Self(FC_STATUS_INVALID_OVERRIDES);
    pub(crate) const InvalidStateCode: Self = Self(FC_STATUS_INVALID_STATE_CODE);
    pub(crate) const InvalidStateName: Self = Self(FC_STATUS_INVALID_STATE_NAME);
    pub(crate) const InvalidSteps: Self = Self(FC_STATUS_INVALID_STEPS);
    pub(crate) const InvalidTerminationPolicies: Self =
        Self(FC_STATUS_INVALID_TERMINATION_POLICIES);
    pub(crate) const InvalidTypeName: Self = Self(FC_STATUS_INVALID_TYPE_NAME);
    pub(crate) const InvalidZones: Self = Self(FC_STATUS_INVALID_ZONES);
    pub(crate) const MisalignedArgument: Self = Self(FC_STATUS_MISALIGNED_ARGUMENT);
    pub(crate) const NoPrices: Self = Self(FC_STATUS_NO_PRICES);
    pub(crate) const NotSpot: Self = Self(FC_STATUS_NOT_SPOT);
    pub(crate) const NotUtf8: Self = Self(FC_STATUS_NOT_UTF8);
    pub(crate) const NullArgument: Self = Self(FC_STATUS_NULL_ARGUMENT);
    pub(crate) const Ok: Self = Self(FC_STATUS_OK);
    pub(crate) const Panic: Self = Self(FC_STATUS_PANIC);
    pub(crate) const SnapshotChecksum: Self = Self(FC_STATUS_SNAPSHOT_CHECKSUM);
    pub(crate) const SnapshotTruncated: Self = Self(FC_STATUS_SNAPSHOT_TRUNCATED);
    pub(crate) const StorageFull: Self = Self(FC_STATUS_STORAGE_FULL);
    pub(crate) const TooManyIds: Self = Self(FC_STATUS_TOO_MANY_IDS);
    pub(crate) const Uninitialized: Self = Self(FC_STATUS_UNINITIALIZED);
    pub(crate) const UnknownInstance: Self = Self(FC_STATUS_UNKNOWN_INSTANCE);
    pub(crate) const UnknownInstanceType: Self = Self(FC_STATUS_UNKNOWN_INSTANCE_TYPE);
    pub(crate) const UnknownPolicy: Self = Self(FC_STATUS_UNKNOWN_POLICY);
    pub(crate) const UnknownSpotPool: Self = Self(FC_STATUS_UNKNOWN_SPOT_POOL);
    pub(crate) const UnpricedType: Self = Self(FC_STATUS_UNPRICED_TYPE);
    pub(crate) const SnapshotMalformed: Self = Self(FC_STATUS_SNAPSHOT_MALFORMED);
}

impl fc_status {
    /// The number C sees.
    pub const fn code(self) -> u32 {
        self.0
    }
}

impl<E: fleetcore::Error> From<E> for fc_status {
    fn from(e: E) -> Self {
        Self(e.code())
    }
}

/// The C boundary's own statuses (1-99) and their text.
const ABI_MESSAGES: [(u32, &str); 12] = [
    (FC_STATUS_OK, "ok"),
    (FC_STATUS_NULL_ARGUMENT, "a pointer argument is null"),
    (FC_STATUS_BUFFER_TOO_SMALL, "the output buffer is too small"),
    (
        FC_STATUS_INVALID_ENUM_VALUE,
        "an argument is not a valid value of its enum",
    ),
    (FC_STATUS_PANIC, "fleetcore panicked (a bug)"),
    (FC_STATUS_NOT_UTF8, "a string argument is not valid utf-8"),
    (
        FC_STATUS_MISALIGNED_ARGUMENT,
        "a pointer argument is not aligned for its type",
    ),
    (
        FC_STATUS_UNINITIALIZED,
        "the storage was not initialised by its init function",
    ),
    (
        FC_STATUS_UNMAPPED_CORE_ERROR,
        "fleetcore returned a value the c abi has no number for",
    ),
    (
        FC_STATUS_INDEX_OUT_OF_RANGE,
        "an index argument is out of range",
    ),
    (
        FC_STATUS_STORAGE_FULL,
        "the object's fixed storage cannot hold the input",
    ),
    (
        FC_STATUS_INVALID_ARGUMENT,
        "a numeric argument is outside the values it may take",
    ),
];

/// Calls `f` with one error of every code the core has (values such as ids and limits are
/// examples) until it returns true. The core's `code()` and `Display` are the only source of
/// the numbers and the text.
// One value of every core error variant: a table, long by nature.
#[allow(clippy::too_many_lines)]
pub(crate) fn each_core_error(mut f: impl FnMut(&dyn fleetcore::Error) -> bool) -> bool {
    let id = InstanceId::from_u64(7);
    let ids = [
        IdError::WrongPrefix { expected: "i-" },
        IdError::BadLength { len: 3 },
        IdError::NotHex { position: 4 },
        IdError::Exhausted,
        IdError::BufferTooSmall { needed: 19 },
    ];
    let catalog = [
        CatalogError::UnknownInstanceType,
        CatalogError::InvalidTypeName,
        CatalogError::DuplicateInstanceType,
        CatalogError::UnknownImage,
        CatalogError::DuplicateImage,
        CatalogError::InvalidImageName,
        CatalogError::TooLong {
            field: "Description",
            max: 255,
        },
        CatalogError::OutOfRange {
            field: "VCpuInfo.DefaultVCpus",
        },
        CatalogError::UnknownTemplate,
        CatalogError::DuplicateTemplateName,
        CatalogError::InvalidTemplateName,
        CatalogError::UnknownVersion { version: 3 },
        CatalogError::DeleteDefaultVersion { version: 1 },
        CatalogError::InvalidVersionSpec,
        CatalogError::Full {
            table: "images",
            capacity: 4,
        },
        CatalogError::VersionQuota,
        CatalogError::ArchitectureMismatch {
            instance_type: fleetcore::catalog::Architecture::X86_64,
            image: fleetcore::catalog::Architecture::Arm64,
        },
    ];
    let lifecycle = [
        LifecycleError::IncorrectState {
            id,
            state: InstanceState::Pending,
            operation: Operation::Stop,
        },
        LifecycleError::InstanceStoreRoot {
            id,
            operation: Operation::Stop,
        },
        LifecycleError::HibernationNotConfigured { id },
        LifecycleError::TerminationProtected { id },
        LifecycleError::SpotInterrupted { id },
        LifecycleError::SpotNotPersistent { id },
        LifecycleError::NotSpot { id },
        LifecycleError::InvalidLaunch {
            rule: fleetcore::lifecycle::LaunchRule::HibernationNeedsEbs,
        },
        LifecycleError::UnknownInstance { id },
        LifecycleError::FleetFull { capacity: 16 },
        LifecycleError::InvalidStateCode { code: 7 },
        LifecycleError::InvalidStateName,
    ];
    let scaling = [
        ScalingError::InvalidPeriod { seconds: 7 },
        ScalingError::InvalidEvaluation { n: 0, m: 1 },
        ScalingError::TooOld,
        ScalingError::PeriodMismatch,
        ScalingError::InvalidAdjustment,
        ScalingError::InvalidSteps,
        ScalingError::NoStep,
        ScalingError::InvalidCron,
        ScalingError::InvalidForecastConfig,
        ScalingError::InvalidTimeZone { position: 3 },
        ScalingError::NotExecutable,
        ScalingError::HpaTaken,
        ScalingError::InvalidBehavior,
        ScalingError::InvalidTargetTracking,
    ];
    let group = [
        GroupError::DesiredOutOfRange {
            desired: 9,
            min: 1,
            max: 4,
        },
        GroupError::MaxBelowMin { min: 3, max: 1 },
        GroupError::DesiredAboveMax { desired: 9, max: 4 },
        GroupError::DesiredBelowMin { desired: 0, min: 1 },
        GroupError::InCooldown,
        GroupError::UnknownMember { id },
        GroupError::WrongMemberState {
            id,
            state: "Pending",
        },
        GroupError::TooManyIds {
            count: 21,
            limit: 20,
        },
        GroupError::BelowMin { desired: 0, min: 1 },
        GroupError::AboveMax { desired: 9, max: 4 },
        GroupError::MaxAboveCapacity {
            max: 99,
            capacity: 64,
        },
        GroupError::Full { capacity: 64 },
        GroupError::HeartbeatOutOfRange { seconds: 5 },
        GroupError::TooManyHooks,
        GroupError::UnknownHook { hook: 3 },
        GroupError::NotWaiting { id, hook: 0 },
        GroupError::InvalidZones,
        GroupError::InvalidTerminationPolicies,
        GroupError::AlreadyMember { id },
        GroupError::OutOfRange { field: "MinSize" },
        GroupError::RefreshInProgress,
        GroupError::NoActiveRefresh,
        GroupError::UnknownPolicy { policy: 2 },
        GroupError::TooManyPolicies,
        GroupError::ScheduleConflict,
        GroupError::TooManyScheduled,
        GroupError::UnknownScheduledAction,
        GroupError::UnknownMetric { metric: 1 },
        GroupError::TooManyMetrics,
        GroupError::DuplicateMetric,
        GroupError::TooManyAlarms,
        GroupError::NotSpot { id },
        GroupError::WarmPoolWithMixedInstances,
        GroupError::NoPrices,
        GroupError::PartNotStored {
            part: "an HPA policy",
        },
    ];
    let config = [
        ConfigError::TooLarge { max: 16384 },
        ConfigError::TooDeep { max: 16 },
        ConfigError::Syntax {
            expected: "a value",
        },
        ConfigError::Truncated,
        ConfigError::TrailingCharacters,
        ConfigError::UnknownField,
        ConfigError::MissingField { field: "name" },
        ConfigError::DuplicateField { field: "groups" },
        ConfigError::WrongType { expected: "a list" },
        ConfigError::OutOfRange { expected: "u32" },
        ConfigError::UnknownVariant,
        ConfigError::TooLong { max: 8 },
        ConfigError::NotAllowed {
            here: "simple policy",
        },
        ConfigError::Invalid { expected: "a name" },
        ConfigError::UnknownReference {
            what: "launch template",
        },
        ConfigError::DuplicateName { what: "group" },
        ConfigError::Catalog(CatalogError::InvalidTypeName),
        ConfigError::Group(GroupError::InvalidZones),
        ConfigError::Scaling(ScalingError::InvalidCron),
        ConfigError::Network(NetError::DuplicateRule),
        ConfigError::BufferTooSmall,
    ];
    let at = fleetcore::Instant::from_millis(3_600_000);
    let purchase = [
        PurchaseError::UnknownType,
        PurchaseError::DuplicateType,
        PurchaseError::UnknownPool {
            instance_type: 1,
            zone: 0,
        },
        PurchaseError::ZoneOutOfRange { zone: 9 },
        PurchaseError::MaxPriceTooLow,
        PurchaseError::InvalidWeight { weight: 1000 },
        PurchaseError::InvalidPercentage { percent: 101 },
        PurchaseError::InvalidPoolCount { pools: 0 },
        PurchaseError::InvalidOverrides,
        PurchaseError::InvalidReservation {
            rule: fleetcore::purchase::ReservationRule::ZeroCount,
        },
        PurchaseError::Full {
            table: "types",
            capacity: 16,
        },
        PurchaseError::UnknownMember,
        PurchaseError::DuplicateMember,
        PurchaseError::TimeWentBack { settled: at },
        PurchaseError::UnalignedInterval,
        PurchaseError::ReversedInterval,
        PurchaseError::IntervalNotKept {
            oldest: at,
            newest: at,
        },
    ];
    let snapshot = [
        SnapshotError::BufferTooSmall { needed: 99 },
        SnapshotError::Truncated,
        SnapshotError::NotASnapshot,
        SnapshotError::UnsupportedVersion { version: 9 },
        SnapshotError::WrongKind { kind: 2 },
        SnapshotError::Checksum,
        SnapshotError::CapacityMismatch {
            stored: 8,
            capacity: 64,
        },
        SnapshotError::Malformed,
        SnapshotError::Inconsistent { invariant: "" },
        SnapshotError::Encoding,
    ];
    let metadata = [
        ImdsError::BufferTooSmall { needed: 300 },
        ImdsError::HopLimitOutOfRange { limit: 0 },
        ImdsError::UserDataTooLarge { len: 20000 },
        ImdsError::Incomplete,
        ImdsError::RequestLineTooLong { limit: 512 },
        ImdsError::HeaderLineTooLong { limit: 512 },
        ImdsError::TooManyHeaders { limit: 16 },
        ImdsError::RequestTooLarge { limit: 2048 },
        ImdsError::MalformedRequest {
            reason: "no version",
        },
        ImdsError::UnsupportedTransferEncoding,
        ImdsError::InvalidLimit { field: "total" },
    ];
    let sg = fleetcore::id::SecurityGroupId::from_u64(5);
    let eni = fleetcore::id::EniId::from_u64(6);
    let addr = core::net::Ipv4Addr::new(10, 0, 0, 9);

    let network = [
        NetError::ReversedPortRange { from: 9, to: 1 },
        NetError::DuplicateRule,
        NetError::RuleNotFound,
        NetError::RuleLimit { limit: 60 },
        NetError::GroupLimit { limit: 5 },
        NetError::InvalidQuota {
            groups_per_eni: 0,
            rules_per_group: 1,
        },
        NetError::UnknownGroup { id: sg },
        NetError::InvalidGroupName,
        NetError::DuplicateGroupName,
        NetError::CannotDeleteDefault,
        NetError::GroupInUse { id: sg },
        NetError::RepeatedGroup { id: sg },
        NetError::NoGroups,
        NetError::UnknownSubnet {
            id: fleetcore::network::SubnetId::from_u64(4),
        },
        NetError::SubnetOutsideVpc,
        NetError::SubnetOverlap,
        NetError::SubnetSize { prefix: 8 },
        NetError::InvalidZone,
        NetError::UnknownEni { id: eni },
        NetError::AddressOutsideSubnet { addr },
        NetError::AddressReserved { addr },
        NetError::AddressInUse { addr },
        NetError::SubnetFull,
        NetError::AddressLimit { limit: 4 },
        NetError::PrimaryAddress,
        NetError::AddressNotAssigned { addr },
        NetError::EniInUse { id: eni },
        NetError::NotAttached { id: eni },
        NetError::PrimaryDetach { id: eni },
        NetError::ZoneMismatch { id: eni },
        NetError::EniLimit { limit: 3 },
        NetError::DeviceIndexInUse { index: 1 },
        NetError::UnknownInstance { id },
        NetError::InstanceExists { id },
        NetError::Full {
            table: "flows",
            capacity: 64,
        },
        NetError::IdsExhausted,
        NetError::InvalidTimeout {
            field: "TcpEstablishedTimeout",
            min: 60,
            max: 432_000,
        },
        NetError::InvalidPacket,
    ];
    let net_fault = fleetcore::network::parse_ipv4("x").err();
    let fault_errors =
        net_fault.map(|fault| [NetError::BadCidr(fault), NetError::BadAddress(fault)]);
    ids.iter().any(|e| f(e))
        || config.iter().any(|e| f(e))
        || catalog.iter().any(|e| f(e))
        || lifecycle.iter().any(|e| f(e))
        || scaling.iter().any(|e| f(e))
        || group.iter().any(|e| f(e))
        || purchase.iter().any(|e| f(e))
        || metadata.iter().any(|e| f(e))
        || fault_errors.iter().flatten().any(|e| f(e))
        || network.iter().any(|e| f(e))
        || snapshot.iter().any(|e| f(e))
}

/// Writes the text of `status` into `buf`; false if `status` is no status.
fn message(status: u32, buf: &mut TextBuf<FC_STATUS_MESSAGE_SIZE>) -> bool {
    if let Some((_, text)) = ABI_MESSAGES.iter().find(|(code, _)| *code == status) {
        return buf.write_str(text).is_ok();
    }
    each_core_error(|e| e.code() == status && write!(buf, "{e}").is_ok())
}

/// Writes the text of a status, the core's own message for its errors, into `buf` (`len` bytes,
/// NUL-terminated) and its length without the NUL into `*out_written`.
///
/// Takes the status as a plain `uint32_t`, so any value is safe to pass. Where the core's error
/// carries values (an id, a limit), the text shows example values. A number that is no status is
/// `FC_STATUS_INVALID_ENUM_VALUE`; a buffer shorter than the text and its NUL is
/// `FC_STATUS_BUFFER_TOO_SMALL` (`FC_STATUS_MESSAGE_SIZE` bytes always suffice). Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_status_message(
    status: u32,
    buf: *mut core::ffi::c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let (text, written) = unsafe { (OutText::new(buf, len)?, Out::new(out_written)?) };
        let mut buf = TextBuf::<FC_STATUS_MESSAGE_SIZE>::new();
        if !message(status, &mut buf) {
            return Err(fc_status::InvalidEnumValue);
        }
        written.write(text.write(buf.as_bytes())?);
        Ok(())
    })
}

#[cfg(test)]
mod tests;
