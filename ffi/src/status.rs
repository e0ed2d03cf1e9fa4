//! `fc_status`: the one result type of the C ABI, and `fc_status_str`.
//!
//! The numbers are the core's: 0 is success, 1–99 are failures of the C boundary itself, and
//! each core error domain keeps its own range (1000s lifecycle, 1100s group, 1200s scaling,
//! 1300s configuration, 1400s catalog, 1500s ids, 1600s snapshots, 1700s IMDS, 1800s network, 1900s purchasing; see `fleetcore::error`). A core error converts to the variant with the same name, and a test pins
//! every variant to the core's `code()`, so a renumbering on either side fails the build's tests.
//! Codes are never renumbered; a retired code stays here as a `// reserved` comment.

use core::ffi::{CStr, c_char};

use fleetcore::Error as _;
use fleetcore::catalog::CatalogError;
use fleetcore::config::ConfigError;
use fleetcore::group::GroupError;
use fleetcore::id::IdError;
use fleetcore::imds::ImdsError;
use fleetcore::lifecycle::LifecycleError;
use fleetcore::network::NetError;
use fleetcore::purchase::PurchaseError;
use fleetcore::scaling::ScalingError;
use fleetcore::snapshot::SnapshotError;

/// The result of every fallible `fc_` function: `FC_STATUS_OK` (0) or the reason it failed.
///
/// On any status but `FC_STATUS_OK` the function wrote none of its outputs and changed nothing.
/// `fc_status_str` gives the text. Values outside this list are never returned.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum fc_status {
    /// Success.
    Ok = 0,

    // 1–99: the C boundary.
    /// A pointer argument is NULL.
    NullArgument = 1,
    /// An output buffer is too short for the result and its terminating NUL.
    BufferTooSmall = 2,
    /// A `uint32_t` argument is not one of the values its enum defines.
    InvalidEnumValue = 3,
    /// The library panicked; this is a bug. The object the call was given may be inconsistent.
    Panic = 4,
    /// A string argument is not valid UTF-8.
    NotUtf8 = 5,
    /// A pointer argument is not aligned for its type.
    MisalignedArgument = 6,
    /// The storage was not initialised by its `_init` function (for example `fc_fleet_init`).
    Uninitialized = 7,
    /// The core returned an error this build of the C ABI has no code for; this is a bug.
    UnmappedCoreError = 8,
    /// An index argument is past the end of what it indexes (members, alarms, zones).
    IndexOutOfRange = 9,
    /// The object's fixed storage cannot hold the input (text, list entries, interfaces or
    /// tags of `fc_imds_set_metadata`); its size constant (`FC_IMDS_TEXT_CAPACITY` ...) says
    /// how much fits.
    StorageFull = 10,
    /// A numeric argument is outside the values it may take (for example an ICMP type above 255
    /// in `fc_sg_rule`).
    InvalidArgument = 11,

    // 1000s: fleetcore::lifecycle::LifecycleError.
    /// The operation is not legal in the instance's current state (`IncorrectInstanceState`).
    IncorrectState = 1000,
    /// An instance-store-backed instance can only be terminated.
    InstanceStoreRoot = 1001,
    /// Hibernation was asked of an instance not launched with hibernation configured.
    HibernationNotConfigured = 1002,
    /// Termination protection is on (`OperationNotPermitted`).
    TerminationProtected = 1003,
    /// A Spot Instance stopped by an interruption can only be restarted by EC2.
    SpotInterrupted = 1004,
    /// A Spot report was made about an On-Demand instance.
    NotSpot = 1005,
    /// The launch request breaks a launch rule.
    InvalidLaunch = 1006,
    /// No instance has this id (or it was terminated more than an hour ago).
    UnknownInstance = 1007,
    /// The fleet's fixed capacity is full.
    FleetFull = 1008,
    /// A state code is not one of 0, 16, 32, 48, 64, 80.
    InvalidStateCode = 1009,
    /// A state name is not one of the six EC2 state names.
    InvalidStateName = 1010,
    /// A Spot Instance from a one-time request cannot be stopped, only terminated.
    SpotNotPersistent = 1011,

    // 1100s: fleetcore::group::GroupError.
    /// Desired capacity is outside `[min, max]`.
    DesiredOutOfRange = 1100,
    /// `MaxSize` is below `MinSize`.
    MaxBelowMin = 1101,
    /// `SetDesiredCapacity` above `MaxSize`.
    DesiredAboveMax = 1102,
    /// `SetDesiredCapacity` below `MinSize`.
    DesiredBelowMin = 1103,
    /// The group is in cooldown and `honor_cooldown` was set.
    InCooldown = 1104,
    /// No member of the group has this id.
    UnknownMember = 1105,
    /// The member is not in a state this request accepts.
    WrongMemberState = 1106,
    /// More instance ids in one call than the service accepts (20, or 50 for protection).
    TooManyIds = 1107,
    /// The request would take desired capacity below `MinSize`.
    BelowMin = 1108,
    /// The request would take desired capacity above `MaxSize`.
    AboveMax = 1109,
    /// `MaxSize` is above the group's fixed capacity (`FC_GROUP_MAX_MEMBERS`).
    MaxAboveCapacity = 1110,
    /// The group's member storage is full.
    GroupFull = 1111,
    /// A lifecycle hook heartbeat timeout is outside 30-7200 s.
    HeartbeatOutOfRange = 1112,
    /// The group holds no more lifecycle hooks.
    TooManyHooks = 1113,
    /// No lifecycle hook has this index.
    UnknownHook = 1114,
    /// The member is not waiting on this lifecycle hook.
    NotWaiting = 1115,
    /// Zones are empty, repeated, longer than 32 bytes, more than 8, or out of range.
    InvalidZones = 1116,
    /// Termination policies repeat, or list `Default` before the end.
    InvalidTerminationPolicies = 1117,
    /// The instance is already a member.
    AlreadyMember = 1118,
    /// A group, metric or schedule setting is out of range.
    GroupOutOfRange = 1119,
    /// An instance refresh is already running.
    RefreshInProgress = 1120,
    /// No instance refresh is running.
    NoActiveRefresh = 1121,
    /// No scaling policy has this index (or the group has no predictive policy).
    UnknownPolicy = 1122,
    /// The group holds no more scaling policies.
    TooManyPolicies = 1123,
    /// Another scheduled action starts at the same time.
    ScheduleConflict = 1124,
    /// The group holds no more scheduled actions.
    TooManyScheduled = 1125,
    /// No scheduled action has this name.
    UnknownScheduledAction = 1126,
    /// No metric of the group has this index.
    UnknownMetric = 1127,
    /// The group keeps no more metrics (or per-member metrics).
    TooManyMetrics = 1128,
    /// Another metric of the group has this name.
    DuplicateMetric = 1129,
    /// The group holds no more alarms.
    TooManyAlarms = 1130,
    /// A Spot signal was reported about a group member that is On-Demand (the group's form of
    /// `FC_STATUS_NOT_SPOT`).
    MemberNotSpot = 1131,
    /// A warm pool and a mixed-instances policy cannot be used on one group.
    WarmPoolWithMixedInstances = 1132,
    /// The group has no price table yet: call `fc_group_set_prices` first.
    NoPrices = 1133,
    /// The group's storage does not keep what the call needs (an HPA, a predictive policy or a
    /// price ledger in a lean group).
    PartNotStored = 1134,

    // 1200s: fleetcore::scaling::ScalingError.
    /// A period that is not 10, 20, 30 s or a multiple of 60 s.
    InvalidPeriod = 1200,
    /// `EvaluationPeriods` or `DatapointsToAlarm` out of range.
    InvalidEvaluation = 1201,
    /// A sample older than every period the metric keeps.
    SampleTooOld = 1202,
    /// The alarm and the metric have different periods.
    PeriodMismatch = 1203,
    /// An adjustment that does not fit its type.
    InvalidAdjustment = 1204,
    /// Step adjustments with a gap, an overlap, a missing open end or more than 20 steps.
    InvalidSteps = 1205,
    /// A step policy got no metric value, or one that matches no step.
    NoStep = 1206,
    /// A recurrence that is not five valid cron fields (or no recurrence and no start time).
    InvalidCron = 1207,
    /// A predictive scaling configuration out of range.
    InvalidForecastConfig = 1208,
    /// A time zone that is not a POSIX TZ rule.
    InvalidTimeZone = 1209,
    // 1210: reserved (unused by the core).
    /// `ExecutePolicy` on a target-tracking policy.
    NotExecutable = 1211,
    /// The group already runs a policy with HPA behaviour.
    HpaTaken = 1212,
    /// An HPA behaviour out of range.
    InvalidBehavior = 1213,
    /// A target that is not positive, or HPA on a metric members do not report one by one.
    InvalidTargetTracking = 1214,
    /// A cron field with a value out of its range (`hour 25`).
    CronOutOfRange = 1215,
    /// A cron field that is not a number, name, range, list or step.
    CronSyntax = 1216,
    /// An IANA time zone name this build cannot resolve (no `tz-names` table, or not in it).
    UnknownTimeZone = 1217,

    // 1300s: fleetcore::config::ConfigError (codes 1316-1319 and 1324-1329 are unused).
    /// The JSON document is longer than `FC_CONFIG_MAX_DOCUMENT` bytes.
    ConfigTooLarge = 1300,
    /// Objects and arrays of the document nest deeper than 16 levels.
    ConfigTooDeep = 1301,
    /// The document is not JSON.
    ConfigSyntax = 1302,
    /// The document ends inside a value.
    ConfigTruncated = 1303,
    /// Something other than whitespace follows the document.
    ConfigTrailingCharacters = 1304,
    /// The schema has no field of this name here.
    ConfigUnknownField = 1305,
    /// A required field is absent.
    ConfigMissingField = 1306,
    /// A field appears twice in one object.
    ConfigDuplicateField = 1307,
    /// A value has the wrong JSON type.
    ConfigWrongType = 1308,
    /// A number does not fit its field, or a value is outside its range.
    ConfigOutOfRange = 1309,
    /// A text value is none of the names its field accepts.
    ConfigUnknownVariant = 1310,
    /// A string or list is longer than its fixed capacity.
    ConfigTooLong = 1311,
    /// A field this kind of entry does not take (`steps` on a simple policy).
    ConfigNotAllowed = 1312,
    /// A value has the right type but is not valid.
    ConfigInvalid = 1313,
    /// A name refers to nothing defined in the document (or built in).
    ConfigUnknownReference = 1314,
    /// Two entries of one list have the same name.
    ConfigDuplicateName = 1315,
    /// The catalog's validation refused a value; `fc_config_error.detail` says why.
    ConfigCatalog = 1320,
    /// The group's validation refused a value; `fc_config_error.detail` says why.
    ConfigGroup = 1321,
    /// The scaling validation refused a value; `fc_config_error.detail` says why.
    ConfigScaling = 1322,
    /// The network validation refused a value; `fc_config_error.detail` says why.
    ConfigNetwork = 1323,
    /// The core's form of a short buffer for a written document.
    ConfigBufferTooSmall = 1330,

    // 1400s: fleetcore::catalog::CatalogError.
    /// No built-in or user-defined instance type has this name.
    UnknownInstanceType = 1400,
    /// An instance type name is not `family.size` in lowercase letters, digits and dashes.
    InvalidTypeName = 1401,
    /// An instance type with this name exists.
    DuplicateInstanceType = 1402,
    /// No registered image has this id.
    UnknownImage = 1403,
    /// An image with this id is already registered.
    DuplicateImage = 1404,
    /// An image name is not 3–128 characters of the allowed set.
    InvalidImageName = 1405,
    /// A text field is longer than the service allows.
    TooLong = 1406,
    /// A numeric field is out of range.
    OutOfRange = 1407,
    /// No launch template has this id or name.
    UnknownTemplate = 1408,
    /// A launch template with this name already exists.
    DuplicateTemplateName = 1409,
    /// A launch template name is not 3–128 characters of `[A-Za-z0-9()./_-]`.
    InvalidTemplateName = 1410,
    /// The launch template has no such version.
    UnknownVersion = 1411,
    /// The default version of a launch template cannot be deleted.
    DeleteDefaultVersion = 1412,
    /// A version is not a number, `$Latest` or `$Default`.
    InvalidVersionSpec = 1413,
    /// A fixed-capacity table of the catalog is full.
    CatalogFull = 1414,
    /// A launch template reached the quota of 10000 versions.
    VersionQuota = 1415,
    /// The image's architecture does not run on the instance type (an arm64 AMI on m5.large).
    ArchitectureMismatch = 1416,

    // 1500s: fleetcore::id::IdError.
    /// An id does not start with its kind's prefix (`i-`, `ami-` ...).
    IdWrongPrefix = 1500,
    /// An id does not have 8 or 17 hex digits after the prefix.
    IdBadLength = 1501,
    /// An id has a character that is not a lowercase hex digit.
    IdNotHex = 1502,
    /// The id generator is exhausted.
    IdExhausted = 1503,
    /// A buffer is too small for an id's text (the core's form of `FC_STATUS_BUFFER_TOO_SMALL`).
    IdBufferTooSmall = 1504,

    // 1600s: fleetcore::snapshot::SnapshotError.
    /// The core's form of a short snapshot buffer (`fc_group_snapshot` returns `FC_STATUS_BUFFER_TOO_SMALL`).
    SnapshotBufferTooSmall = 1600,
    /// The snapshot bytes end before the frame does.
    SnapshotTruncated = 1601,
    /// The bytes do not start with the snapshot magic.
    NotASnapshot = 1602,
    /// The snapshot's format version is not one this build reads.
    SnapshotUnsupportedVersion = 1603,
    /// The snapshot holds another kind of object.
    SnapshotWrongKind = 1604,
    /// The snapshot checksum does not match: the bytes were corrupted.
    SnapshotChecksum = 1605,
    /// The snapshot was taken from an object of another capacity.
    SnapshotCapacityMismatch = 1606,
    /// The snapshot payload does not decode.
    SnapshotMalformed = 1607,
    /// The snapshot payload breaks the object's invariants.
    SnapshotInconsistent = 1608,
    /// The state could not be encoded.
    SnapshotEncoding = 1609,

    // 1700s: fleetcore::imds::ImdsError.
    /// The core's form of a short IMDS response buffer (`fc_imds_serve` returns `FC_STATUS_BUFFER_TOO_SMALL`).
    ImdsBufferTooSmall = 1700,
    /// `HttpPutResponseHopLimit` is outside 1-64.
    ImdsHopLimitOutOfRange = 1701,
    /// User data is larger than the service's 16 KB (`FC_IMDS_USER_DATA_MAX`).
    ImdsUserDataTooLarge = 1702,
    /// The bytes so far are the start of an HTTP request: read more and call again with all of them.
    ImdsIncomplete = 1703,
    /// The HTTP request line is longer than the limit (answered 414).
    ImdsRequestLineTooLong = 1704,
    /// An HTTP header line is longer than the limit (answered 431).
    ImdsHeaderLineTooLong = 1705,
    /// The HTTP request has more header lines than the limit (answered 431).
    ImdsTooManyHeaders = 1706,
    /// The HTTP request is larger than the limit (answered 413).
    ImdsRequestTooLarge = 1707,
    /// The bytes are not an HTTP/1.x request (answered 400).
    ImdsMalformedRequest = 1708,
    /// The HTTP request has a `Transfer-Encoding` (answered 501).
    ImdsUnsupportedTransferEncoding = 1709,
    /// An HTTP limit is zero, or the header count is above `FC_IMDS_MAX_HEADERS`.
    ImdsInvalidLimit = 1710,

    // 1800s: fleetcore::network::NetError.
    /// A CIDR block is malformed or not canonical (host bits must be zero).
    NetBadCidr = 1800,
    /// An IPv4 address is malformed.
    NetBadAddress = 1801,
    /// A port range runs backwards (`InvalidParameterValue`).
    NetReversedPortRange = 1802,
    /// The group already has this rule in this direction (`InvalidPermission.Duplicate`).
    NetDuplicateRule = 1803,
    /// The group has no such rule in this direction (`InvalidPermission.NotFound`).
    NetRuleNotFound = 1804,
    /// The group has as many rules in this direction as the quota or `FC_NET_MAX_RULES` allows.
    NetRuleLimit = 1805,
    /// More security groups than an interface takes (`SecurityGroupsPerInterfaceLimitExceeded`).
    NetGroupLimit = 1806,
    /// Quotas out of range: groups per interface 1-16, rules at least 1, product at most 1000.
    NetInvalidQuota = 1807,
    /// No security group has this id (`InvalidGroup.NotFound`).
    NetUnknownGroup = 1808,
    /// A security group name is empty, too long, starts with `sg-` or has a character not allowed.
    NetInvalidGroupName = 1809,
    /// A security group with this name exists in the VPC (`InvalidGroup.Duplicate`).
    NetDuplicateGroupName = 1810,
    /// The VPC's `default` group cannot be deleted.
    NetCannotDeleteDefault = 1811,
    /// The group is on an interface or referenced by a rule (`DependencyViolation`).
    NetGroupInUse = 1812,
    /// The same security group is listed twice.
    NetRepeatedGroup = 1813,
    /// An interface needs at least one security group.
    NetNoGroups = 1814,
    /// No subnet has this id (`InvalidSubnetID.NotFound`).
    NetUnknownSubnet = 1815,
    /// The subnet's block is not inside the VPC's (`InvalidSubnet.Range`).
    NetSubnetOutsideVpc = 1816,
    /// The subnet's block overlaps another subnet's (`InvalidSubnet.Conflict`).
    NetSubnetOverlap = 1817,
    /// A subnet or VPC block is not /16 to /28.
    NetSubnetSize = 1818,
    /// A zone name is empty or longer than 32 bytes.
    NetInvalidZone = 1819,
    /// No network interface has this id (`InvalidNetworkInterfaceID.NotFound`).
    NetUnknownEni = 1820,
    /// A requested private address is outside the subnet's block.
    NetAddressOutsideSubnet = 1821,
    /// A requested private address is one the subnet reserves (the first four and the last).
    NetAddressReserved = 1822,
    /// A requested private address is already assigned (`InvalidIPAddress.InUse`).
    NetAddressInUse = 1823,
    /// Every usable address of the subnet is taken.
    NetSubnetFull = 1824,
    /// The interface holds as many private addresses as its instance type allows.
    NetAddressLimit = 1825,
    /// The primary private address cannot be unassigned.
    NetPrimaryAddress = 1826,
    /// The interface does not hold this address.
    NetAddressNotAssigned = 1827,
    /// The interface is attached (`InvalidNetworkInterface.InUse`): detach it first.
    NetEniInUse = 1828,
    /// The interface is not attached.
    NetNotAttached = 1829,
    /// The primary interface (device index 0) cannot be detached.
    NetPrimaryDetach = 1830,
    /// The interface's subnet is in another zone than the instance.
    NetZoneMismatch = 1831,
    /// The instance has as many interfaces as its type allows (`AttachmentLimitExceeded`).
    NetEniLimit = 1832,
    /// The instance already has an interface at this device index.
    NetDeviceIndexInUse = 1833,
    /// No instance with this id has a primary interface here.
    NetUnknownInstance = 1834,
    /// The instance already has a primary interface.
    NetInstanceExists = 1835,
    /// A fixed-capacity table of the network is full (`FC_NET_MAX_*`).
    NetFull = 1836,
    /// No fresh id or MAC address could be drawn.
    NetIdsExhausted = 1837,
    /// A connection tracking timeout is outside the range EC2 allows.
    NetInvalidTimeout = 1838,
    /// A packet names protocol 1, 6 or 17 without its ICMP or port fields.
    NetInvalidPacket = 1839,

    // 1900s: fleetcore::purchase::PurchaseError.
    /// The instance type has no entry in the group's price table.
    UnpricedType = 1900,
    /// The price table already has this instance type.
    DuplicatePricedType = 1901,
    /// No Spot price has been set for this type in this zone.
    UnknownSpotPool = 1902,
    /// A zone index is not below `FC_GROUP_MAX_ZONES`.
    ZoneOutOfRange = 1903,
    /// `SpotMaxPrice` must be more than 0.001 per hour (1000 micros).
    MaxPriceTooLow = 1904,
    /// `WeightedCapacity` must be 1-999.
    InvalidWeight = 1905,
    /// `OnDemandPercentageAboveBaseCapacity` must be 0-100.
    InvalidPercentage = 1906,
    /// `SpotInstancePools` must be 1-20.
    InvalidPoolCount = 1907,
    /// A mixed-instances policy needs at least one override, each priced type at most once.
    InvalidOverrides = 1908,
    /// A reservation breaks a rule: no instances, charges that do not fit its payment option,
    /// an unpriced type, or a start in an hour the ledger has closed.
    InvalidReservation = 1909,
    /// A purchasing table is full (`FC_GROUP_MAX_TYPES` types, `FC_GROUP_MAX_SPOT_POOLS` pools,
    /// `FC_GROUP_MAX_RESERVATIONS` reservations or the metered members).
    PurchaseFull = 1910,
    /// No metered member has this instance id.
    UnmeteredMember = 1911,
    /// A member with this instance id is already metered.
    AlreadyMetered = 1912,
    /// The time is before the time the cost ledger is settled to.
    TimeWentBack = 1913,
    /// An interval bound is not on a clock-hour (a multiple of 3 600 000 ms).
    UnalignedInterval = 1914,
    /// An interval ends before it starts.
    ReversedInterval = 1915,
    /// The interval reaches hours the ledger no longer keeps, or has not reached yet.
    IntervalNotKept = 1916,
}

impl fc_status {
    /// Every status, in code order. Not `pub`: cbindgen would export it as a macro.
    pub(crate) const ALL: [Self; 197] = [
        Self::Ok,
        Self::NullArgument,
        Self::BufferTooSmall,
        Self::InvalidEnumValue,
        Self::Panic,
        Self::NotUtf8,
        Self::MisalignedArgument,
        Self::Uninitialized,
        Self::UnmappedCoreError,
        Self::IndexOutOfRange,
        Self::StorageFull,
        Self::InvalidArgument,
        Self::IncorrectState,
        Self::InstanceStoreRoot,
        Self::HibernationNotConfigured,
        Self::TerminationProtected,
        Self::SpotInterrupted,
        Self::NotSpot,
        Self::InvalidLaunch,
        Self::UnknownInstance,
        Self::FleetFull,
        Self::InvalidStateCode,
        Self::InvalidStateName,
        Self::SpotNotPersistent,
        Self::DesiredOutOfRange,
        Self::MaxBelowMin,
        Self::DesiredAboveMax,
        Self::DesiredBelowMin,
        Self::InCooldown,
        Self::UnknownMember,
        Self::WrongMemberState,
        Self::TooManyIds,
        Self::BelowMin,
        Self::AboveMax,
        Self::MaxAboveCapacity,
        Self::GroupFull,
        Self::HeartbeatOutOfRange,
        Self::TooManyHooks,
        Self::UnknownHook,
        Self::NotWaiting,
        Self::InvalidZones,
        Self::InvalidTerminationPolicies,
        Self::AlreadyMember,
        Self::GroupOutOfRange,
        Self::RefreshInProgress,
        Self::NoActiveRefresh,
        Self::UnknownPolicy,
        Self::TooManyPolicies,
        Self::ScheduleConflict,
        Self::TooManyScheduled,
        Self::UnknownScheduledAction,
        Self::UnknownMetric,
        Self::TooManyMetrics,
        Self::DuplicateMetric,
        Self::TooManyAlarms,
        Self::MemberNotSpot,
        Self::WarmPoolWithMixedInstances,
        Self::NoPrices,
        Self::PartNotStored,
        Self::InvalidPeriod,
        Self::InvalidEvaluation,
        Self::SampleTooOld,
        Self::PeriodMismatch,
        Self::InvalidAdjustment,
        Self::InvalidSteps,
        Self::NoStep,
        Self::InvalidCron,
        Self::InvalidForecastConfig,
        Self::InvalidTimeZone,
        Self::NotExecutable,
        Self::HpaTaken,
        Self::InvalidBehavior,
        Self::InvalidTargetTracking,
        Self::CronOutOfRange,
        Self::CronSyntax,
        Self::UnknownTimeZone,
        Self::ConfigTooLarge,
        Self::ConfigTooDeep,
        Self::ConfigSyntax,
        Self::ConfigTruncated,
        Self::ConfigTrailingCharacters,
        Self::ConfigUnknownField,
        Self::ConfigMissingField,
        Self::ConfigDuplicateField,
        Self::ConfigWrongType,
        Self::ConfigOutOfRange,
        Self::ConfigUnknownVariant,
        Self::ConfigTooLong,
        Self::ConfigNotAllowed,
        Self::ConfigInvalid,
        Self::ConfigUnknownReference,
        Self::ConfigDuplicateName,
        Self::ConfigCatalog,
        Self::ConfigGroup,
        Self::ConfigScaling,
        Self::ConfigNetwork,
        Self::ConfigBufferTooSmall,
        Self::UnknownInstanceType,
        Self::InvalidTypeName,
        Self::DuplicateInstanceType,
        Self::UnknownImage,
        Self::DuplicateImage,
        Self::InvalidImageName,
        Self::TooLong,
        Self::OutOfRange,
        Self::UnknownTemplate,
        Self::DuplicateTemplateName,
        Self::InvalidTemplateName,
        Self::UnknownVersion,
        Self::DeleteDefaultVersion,
        Self::InvalidVersionSpec,
        Self::CatalogFull,
        Self::VersionQuota,
        Self::ArchitectureMismatch,
        Self::IdWrongPrefix,
        Self::IdBadLength,
        Self::IdNotHex,
        Self::IdExhausted,
        Self::IdBufferTooSmall,
        Self::SnapshotBufferTooSmall,
        Self::SnapshotTruncated,
        Self::NotASnapshot,
        Self::SnapshotUnsupportedVersion,
        Self::SnapshotWrongKind,
        Self::SnapshotChecksum,
        Self::SnapshotCapacityMismatch,
        Self::SnapshotMalformed,
        Self::SnapshotInconsistent,
        Self::SnapshotEncoding,
        Self::ImdsBufferTooSmall,
        Self::ImdsHopLimitOutOfRange,
        Self::ImdsUserDataTooLarge,
        Self::ImdsIncomplete,
        Self::ImdsRequestLineTooLong,
        Self::ImdsHeaderLineTooLong,
        Self::ImdsTooManyHeaders,
        Self::ImdsRequestTooLarge,
        Self::ImdsMalformedRequest,
        Self::ImdsUnsupportedTransferEncoding,
        Self::ImdsInvalidLimit,
        Self::NetBadCidr,
        Self::NetBadAddress,
        Self::NetReversedPortRange,
        Self::NetDuplicateRule,
        Self::NetRuleNotFound,
        Self::NetRuleLimit,
        Self::NetGroupLimit,
        Self::NetInvalidQuota,
        Self::NetUnknownGroup,
        Self::NetInvalidGroupName,
        Self::NetDuplicateGroupName,
        Self::NetCannotDeleteDefault,
        Self::NetGroupInUse,
        Self::NetRepeatedGroup,
        Self::NetNoGroups,
        Self::NetUnknownSubnet,
        Self::NetSubnetOutsideVpc,
        Self::NetSubnetOverlap,
        Self::NetSubnetSize,
        Self::NetInvalidZone,
        Self::NetUnknownEni,
        Self::NetAddressOutsideSubnet,
        Self::NetAddressReserved,
        Self::NetAddressInUse,
        Self::NetSubnetFull,
        Self::NetAddressLimit,
        Self::NetPrimaryAddress,
        Self::NetAddressNotAssigned,
        Self::NetEniInUse,
        Self::NetNotAttached,
        Self::NetPrimaryDetach,
        Self::NetZoneMismatch,
        Self::NetEniLimit,
        Self::NetDeviceIndexInUse,
        Self::NetUnknownInstance,
        Self::NetInstanceExists,
        Self::NetFull,
        Self::NetIdsExhausted,
        Self::NetInvalidTimeout,
        Self::NetInvalidPacket,
        Self::UnpricedType,
        Self::DuplicatePricedType,
        Self::UnknownSpotPool,
        Self::ZoneOutOfRange,
        Self::MaxPriceTooLow,
        Self::InvalidWeight,
        Self::InvalidPercentage,
        Self::InvalidPoolCount,
        Self::InvalidOverrides,
        Self::InvalidReservation,
        Self::PurchaseFull,
        Self::UnmeteredMember,
        Self::AlreadyMetered,
        Self::TimeWentBack,
        Self::UnalignedInterval,
        Self::ReversedInterval,
        Self::IntervalNotKept,
    ];

    /// The numeric code, as C sees it.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The status with this code, or [`fc_status::UnmappedCoreError`] for a code this build does
    /// not know; used for core errors added after this mapping was written.
    fn from_core_code(code: u32) -> Self {
        Self::try_from(code).unwrap_or(Self::UnmappedCoreError)
    }

    /// A short lower-case description, as `fc_status_str` returns it.
    // One arm per status: a table, long by nature.
    #[allow(clippy::too_many_lines)]
    pub const fn message(self) -> &'static CStr {
        match self {
            Self::Ok => c"ok",
            Self::NullArgument => c"a pointer argument is null",
            Self::BufferTooSmall => c"the output buffer is too small",
            Self::InvalidEnumValue => c"an argument is not a valid value of its enum",
            Self::Panic => c"fleetcore panicked (a bug)",
            Self::NotUtf8 => c"a string argument is not valid utf-8",
            Self::MisalignedArgument => c"a pointer argument is not aligned for its type",
            Self::Uninitialized => c"the storage was not initialised by its init function",
            Self::UnmappedCoreError => c"fleetcore returned an error the c abi has no code for",
            Self::IndexOutOfRange => c"an index argument is out of range",
            Self::StorageFull => c"the object's fixed storage cannot hold the input",
            Self::InvalidArgument => c"a numeric argument is outside the values it may take",
            Self::IncorrectState => c"the instance is not in a state that allows this operation",
            Self::InstanceStoreRoot => c"an instance-store-backed instance can only be terminated",
            Self::HibernationNotConfigured => {
                c"the instance was not launched with hibernation configured"
            }
            Self::TerminationProtected => c"the instance has termination protection on",
            Self::SpotInterrupted => {
                c"the spot instance was stopped by an interruption; only ec2 can restart it"
            }
            Self::NotSpot => c"the instance is not a spot instance",
            Self::InvalidLaunch => c"the launch request breaks a launch rule",
            Self::UnknownInstance => c"no instance has this id",
            Self::FleetFull => c"the fleet is full",
            Self::InvalidStateCode => c"instance state code is not one of 0, 16, 32, 48, 64, 80",
            Self::InvalidStateName => c"instance state name is not one of the six ec2 names",
            Self::SpotNotPersistent => {
                c"a spot instance from a one-time request cannot be stopped, only terminated"
            }
            Self::UnknownInstanceType => c"unknown instance type",
            Self::InvalidTypeName => {
                c"instance type name must be `family.size` in lowercase letters, digits and dashes"
            }
            Self::DuplicateInstanceType => c"an instance type with this name exists",
            Self::UnknownImage => c"unknown image id",
            Self::DuplicateImage => c"an image with this id is already registered",
            Self::InvalidImageName => c"image name is not 3-128 characters of the allowed set",
            Self::TooLong => c"a text field is longer than the service allows",
            Self::OutOfRange => c"a numeric field is out of range",
            Self::UnknownTemplate => c"unknown launch template",
            Self::DuplicateTemplateName => c"a launch template with this name already exists",
            Self::InvalidTemplateName => {
                c"launch template name must be 3-128 characters of letters, digits and ()./_-"
            }
            Self::UnknownVersion => c"the launch template version does not exist",
            Self::DeleteDefaultVersion => c"the default launch template version cannot be deleted",
            Self::InvalidVersionSpec => {
                c"launch template version must be a number, $Latest or $Default"
            }
            Self::CatalogFull => c"a catalog table is full",
            Self::VersionQuota => c"the launch template has reached the quota of 10000 versions",
            Self::ArchitectureMismatch => c"the architecture of the instance type does not match the architecture of the ami",
            Self::IdWrongPrefix => c"the id does not start with its kind's prefix",
            Self::IdBadLength => c"the id must have 8 or 17 hex digits after the prefix",
            Self::IdNotHex => c"the id has a character that is not a lowercase hex digit",
            Self::IdExhausted => c"the id generator is exhausted",
            Self::IdBufferTooSmall => c"the buffer is too small for the id",
            Self::DesiredOutOfRange => c"desired capacity must be between min size and max size",
            Self::MaxBelowMin => c"max size must be greater than or equal to min size",
            Self::DesiredAboveMax => c"the new desired capacity is above the group's max size",
            Self::DesiredBelowMin => c"the new desired capacity is below the group's min size",
            Self::InCooldown => c"scaling activity in progress: the group is in cooldown and honor cooldown is set",
            Self::UnknownMember => c"the instance is not part of the group",
            Self::WrongMemberState => c"the member is not in a state this request accepts",
            Self::TooManyIds => c"too many instance ids for one call",
            Self::BelowMin => c"the request would take desired capacity below min size",
            Self::AboveMax => c"the request would take desired capacity above max size",
            Self::MaxAboveCapacity => c"max size is above the group's fixed capacity",
            Self::GroupFull => c"the group's member storage is full",
            Self::HeartbeatOutOfRange => c"lifecycle hook heartbeat timeout is outside 30-7200 s",
            Self::TooManyHooks => c"the group holds no more lifecycle hooks",
            Self::UnknownHook => c"no lifecycle hook has this index",
            Self::NotWaiting => c"the member is not waiting on this lifecycle hook",
            Self::InvalidZones => c"zones must be 1-8 distinct names of 1-32 characters",
            Self::InvalidTerminationPolicies => c"termination policies must be distinct, with default last",
            Self::AlreadyMember => c"the instance is already part of the group",
            Self::GroupOutOfRange => c"a group setting is out of range",
            Self::RefreshInProgress => c"an instance refresh is already in progress",
            Self::NoActiveRefresh => c"no instance refresh is in progress",
            Self::UnknownPolicy => c"the scaling policy does not exist",
            Self::TooManyPolicies => c"the group holds no more scaling policies",
            Self::ScheduleConflict => c"another scheduled action of the group starts at the same time",
            Self::TooManyScheduled => c"the group holds no more scheduled actions",
            Self::UnknownScheduledAction => c"no scheduled action has this name",
            Self::UnknownMetric => c"the metric does not exist",
            Self::TooManyMetrics => c"the group keeps no more metrics",
            Self::DuplicateMetric => c"the group already has a metric of this name",
            Self::TooManyAlarms => c"the group holds no more alarms",
            Self::MemberNotSpot => c"the member is not a spot instance, so it takes no spot signal",
            Self::WarmPoolWithMixedInstances => {
                c"a warm pool and a mixed instances policy cannot be used together"
            }
            Self::NoPrices => c"the group has no price table yet; give it one first",
            Self::PartNotStored => c"the group's storage does not keep this part",
            Self::InvalidPeriod => c"period is not 10, 20, 30 or a multiple of 60 seconds",
            Self::InvalidEvaluation => c"datapoints to alarm and evaluation periods need 1 <= m <= n and a span of at most one day",
            Self::SampleTooOld => c"the sample is older than every period kept",
            Self::PeriodMismatch => c"the alarm and the metric have different periods",
            Self::InvalidAdjustment => c"the adjustment does not fit its type",
            Self::InvalidSteps => c"step adjustments overlap, leave gaps or are too many",
            Self::NoStep => c"the metric value matches no step of the policy",
            Self::InvalidCron => c"recurrence must be five cron fields: minute hour day-of-month month day-of-week",
            Self::InvalidForecastConfig => c"predictive scaling needs a buffer under an hour, a positive target and a max capacity buffer of 0-100 percent",
            Self::InvalidTimeZone => c"the time zone is not a posix tz rule such as CET-1CEST,M3.5.0,M10.5.0/3",
            Self::NotExecutable => c"a target-tracking policy cannot be executed by hand",
            Self::HpaTaken => c"the group already has a policy with hpa behaviour",
            Self::InvalidBehavior => c"hpa behaviour is out of range",
            Self::InvalidTargetTracking => c"target tracking needs a positive target, and hpa a per-member metric",
            Self::CronOutOfRange => c"a cron field has a value out of its range",
            Self::CronSyntax => c"a cron field is not a number, name, range a-b, list a,b or step */n",
            Self::UnknownTimeZone => c"the time zone name is unknown: pass its posix rule, or build with tz-names",
            Self::ConfigTooLarge => c"the json document is longer than 196608 bytes",
            Self::ConfigTooDeep => c"json objects and arrays nest deeper than 16 levels",
            Self::ConfigSyntax => c"the document is not json",
            Self::ConfigTruncated => c"the json document ends inside a value",
            Self::ConfigTrailingCharacters => c"unexpected text after the json document",
            Self::ConfigUnknownField => c"the configuration schema has no field of this name here",
            Self::ConfigMissingField => c"a required configuration field is missing",
            Self::ConfigDuplicateField => c"a configuration field appears twice in one object",
            Self::ConfigWrongType => c"a configuration value has the wrong json type",
            Self::ConfigOutOfRange => c"a configuration value is out of range",
            Self::ConfigUnknownVariant => c"a configuration value is not one of the names its field accepts",
            Self::ConfigTooLong => c"a configuration string or list is longer than its capacity",
            Self::ConfigNotAllowed => c"this kind of configuration entry does not take this field",
            Self::ConfigInvalid => c"a configuration value is not valid",
            Self::ConfigUnknownReference => c"a configuration name refers to nothing defined",
            Self::ConfigDuplicateName => c"two configuration entries have the same name",
            Self::ConfigCatalog => c"the catalog refused a configuration value",
            Self::ConfigGroup => c"the group refused a configuration value",
            Self::ConfigScaling => c"the scaling validation refused a configuration value",
            Self::ConfigNetwork => c"the network validation refused a configuration value",
            Self::ConfigBufferTooSmall => c"the buffer is too small for the json document",
            Self::SnapshotBufferTooSmall => c"the buffer is too small for the snapshot",
            Self::SnapshotTruncated => c"the snapshot is truncated",
            Self::NotASnapshot => c"the bytes are not a fleetcore snapshot",
            Self::SnapshotUnsupportedVersion => c"the snapshot format version is not supported",
            Self::SnapshotWrongKind => c"the snapshot holds another kind of object",
            Self::SnapshotChecksum => c"the snapshot checksum does not match: the data is corrupted",
            Self::SnapshotCapacityMismatch => c"the snapshot was taken with another capacity",
            Self::SnapshotMalformed => c"the snapshot payload does not decode",
            Self::SnapshotInconsistent => c"the snapshot payload breaks the object's invariants",
            Self::SnapshotEncoding => c"the state could not be encoded",
            Self::ImdsBufferTooSmall => c"the buffer is too small for the imds answer",
            Self::ImdsHopLimitOutOfRange => c"http put response hop limit must be 1-64",
            Self::ImdsUserDataTooLarge => c"user data is larger than 16 kb",
            Self::ImdsIncomplete => c"the http request is incomplete: read more bytes",
            Self::ImdsRequestLineTooLong => c"the http request line is longer than the limit",
            Self::ImdsHeaderLineTooLong => c"an http header line is longer than the limit",
            Self::ImdsTooManyHeaders => c"the http request has more headers than the limit",
            Self::ImdsRequestTooLarge => c"the http request is larger than the limit",
            Self::ImdsMalformedRequest => c"the bytes are not an http/1.x request",
            Self::ImdsUnsupportedTransferEncoding => c"transfer-encoding is not supported; send content-length",
            Self::ImdsInvalidLimit => c"http limits must be positive, with at most 16 headers",
            Self::NetBadCidr => c"malformed or non-canonical cidr block",
            Self::NetBadAddress => c"malformed ipv4 address",
            Self::NetReversedPortRange => c"the port range runs backwards; give the lower port first",
            Self::NetDuplicateRule => c"the security group already has this rule",
            Self::NetRuleNotFound => c"the security group has no such rule",
            Self::NetRuleLimit => c"the security group has as many rules in this direction as allowed",
            Self::NetGroupLimit => c"too many security groups for one network interface",
            Self::NetInvalidQuota => c"network quotas out of range",
            Self::NetUnknownGroup => c"the security group does not exist",
            Self::NetInvalidGroupName => c"security group name must be 1-255 allowed characters and not start with sg-",
            Self::NetDuplicateGroupName => c"a security group with this name exists in the vpc",
            Self::NetCannotDeleteDefault => c"the default security group cannot be deleted",
            Self::NetGroupInUse => c"the security group is attached to an interface or referenced by a rule",
            Self::NetRepeatedGroup => c"a security group is listed twice",
            Self::NetNoGroups => c"a network interface needs at least one security group",
            Self::NetUnknownSubnet => c"the subnet does not exist",
            Self::NetSubnetOutsideVpc => c"the subnet's block is not inside the vpc's",
            Self::NetSubnetOverlap => c"the subnet's block overlaps another subnet",
            Self::NetSubnetSize => c"a subnet or vpc block must be /16 to /28",
            Self::NetInvalidZone => c"zone name must be 1-32 bytes",
            Self::NetUnknownEni => c"the network interface does not exist",
            Self::NetAddressOutsideSubnet => c"the address is outside the subnet's block",
            Self::NetAddressReserved => c"the address is reserved (the first four and the last of a subnet are)",
            Self::NetAddressInUse => c"the address is already assigned",
            Self::NetSubnetFull => c"the subnet has no free address",
            Self::NetAddressLimit => c"the interface has as many private addresses as its instance type allows",
            Self::NetPrimaryAddress => c"the primary private address cannot be unassigned",
            Self::NetAddressNotAssigned => c"the address is not assigned to the interface",
            Self::NetEniInUse => c"the network interface is attached; detach it first",
            Self::NetNotAttached => c"the network interface is not attached",
            Self::NetPrimaryDetach => c"the primary network interface cannot be detached",
            Self::NetZoneMismatch => c"the network interface is in another availability zone than the instance",
            Self::NetEniLimit => c"the instance has as many network interfaces as its type allows",
            Self::NetDeviceIndexInUse => c"the instance already has an interface at this device index",
            Self::NetUnknownInstance => c"the instance has no network interface here",
            Self::NetInstanceExists => c"the instance already has a primary network interface",
            Self::NetFull => c"a table of the network is full",
            Self::NetIdsExhausted => c"no fresh id or mac address could be drawn",
            Self::NetInvalidTimeout => c"a connection tracking timeout is out of range",
            Self::NetInvalidPacket => c"a packet of protocol 1, 6 or 17 needs its icmp or port fields",
            Self::UnpricedType => c"the instance type has no price; add it to the price table",
            Self::DuplicatePricedType => c"the price table already has this instance type",
            Self::UnknownSpotPool => c"no spot price is set for this type in this zone; set one first",
            Self::ZoneOutOfRange => c"the zone index is out of range (at most 8 zones)",
            Self::MaxPriceTooLow => c"spot max price must be more than 0.001 per hour",
            Self::InvalidWeight => c"weighted capacity must be 1-999",
            Self::InvalidPercentage => c"on-demand percentage above base capacity must be 0-100",
            Self::InvalidPoolCount => c"spot instance pools must be 1-20",
            Self::InvalidOverrides => c"a mixed instances policy needs 1 or more overrides, each priced type at most once",
            Self::InvalidReservation => c"the reservation breaks a rule: count, charges for its payment option, type or start",
            Self::PurchaseFull => c"a purchasing table is full",
            Self::UnmeteredMember => c"no metered member has this instance id",
            Self::AlreadyMetered => c"this instance is already metered",
            Self::TimeWentBack => c"time went back: the cost ledger is settled to a later time",
            Self::UnalignedInterval => c"interval bounds must be on a clock-hour",
            Self::ReversedInterval => c"the interval ends before it starts",
            Self::IntervalNotKept => c"the ledger does not keep every hour of this interval",
        }
    }
}

impl TryFrom<u32> for fc_status {
    type Error = fc_status;

    /// The status with this code; [`fc_status::InvalidEnumValue`] for any other number.
    fn try_from(code: u32) -> Result<Self, Self::Error> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(Self::InvalidEnumValue)
    }
}

impl From<IdError> for fc_status {
    fn from(e: IdError) -> Self {
        match e {
            IdError::WrongPrefix { .. } => Self::IdWrongPrefix,
            IdError::BadLength { .. } => Self::IdBadLength,
            IdError::NotHex { .. } => Self::IdNotHex,
            IdError::Exhausted => Self::IdExhausted,
            IdError::BufferTooSmall { .. } => Self::IdBufferTooSmall,
            // `IdError` is non_exhaustive: a variant added in core after this list keeps its
            // code if this build knows it.
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<CatalogError> for fc_status {
    fn from(e: CatalogError) -> Self {
        match e {
            CatalogError::UnknownInstanceType => Self::UnknownInstanceType,
            CatalogError::InvalidTypeName => Self::InvalidTypeName,
            CatalogError::DuplicateInstanceType => Self::DuplicateInstanceType,
            CatalogError::UnknownImage => Self::UnknownImage,
            CatalogError::DuplicateImage => Self::DuplicateImage,
            CatalogError::InvalidImageName => Self::InvalidImageName,
            CatalogError::TooLong { .. } => Self::TooLong,
            CatalogError::OutOfRange { .. } => Self::OutOfRange,
            CatalogError::UnknownTemplate => Self::UnknownTemplate,
            CatalogError::DuplicateTemplateName => Self::DuplicateTemplateName,
            CatalogError::InvalidTemplateName => Self::InvalidTemplateName,
            CatalogError::UnknownVersion { .. } => Self::UnknownVersion,
            CatalogError::DeleteDefaultVersion { .. } => Self::DeleteDefaultVersion,
            CatalogError::InvalidVersionSpec => Self::InvalidVersionSpec,
            CatalogError::Full { .. } => Self::CatalogFull,
            CatalogError::VersionQuota => Self::VersionQuota,
            CatalogError::ArchitectureMismatch { .. } => Self::ArchitectureMismatch,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<LifecycleError> for fc_status {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::IncorrectState { .. } => Self::IncorrectState,
            LifecycleError::InstanceStoreRoot { .. } => Self::InstanceStoreRoot,
            LifecycleError::HibernationNotConfigured { .. } => Self::HibernationNotConfigured,
            LifecycleError::TerminationProtected { .. } => Self::TerminationProtected,
            LifecycleError::SpotInterrupted { .. } => Self::SpotInterrupted,
            LifecycleError::SpotNotPersistent { .. } => Self::SpotNotPersistent,
            LifecycleError::NotSpot { .. } => Self::NotSpot,
            LifecycleError::InvalidLaunch { .. } => Self::InvalidLaunch,
            LifecycleError::UnknownInstance { .. } => Self::UnknownInstance,
            LifecycleError::FleetFull { .. } => Self::FleetFull,
            LifecycleError::InvalidStateCode { .. } => Self::InvalidStateCode,
            LifecycleError::InvalidStateName => Self::InvalidStateName,
            LifecycleError::Id(e) => e.into(),
            LifecycleError::Catalog(e) => e.into(),
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<ScalingError> for fc_status {
    fn from(e: ScalingError) -> Self {
        match e {
            ScalingError::InvalidPeriod { .. } => Self::InvalidPeriod,
            ScalingError::InvalidEvaluation { .. } => Self::InvalidEvaluation,
            ScalingError::TooOld => Self::SampleTooOld,
            ScalingError::PeriodMismatch => Self::PeriodMismatch,
            ScalingError::InvalidAdjustment => Self::InvalidAdjustment,
            ScalingError::InvalidSteps => Self::InvalidSteps,
            ScalingError::NoStep => Self::NoStep,
            ScalingError::InvalidCron => Self::InvalidCron,
            ScalingError::InvalidForecastConfig => Self::InvalidForecastConfig,
            ScalingError::InvalidTimeZone { .. } => Self::InvalidTimeZone,
            ScalingError::NotExecutable => Self::NotExecutable,
            ScalingError::HpaTaken => Self::HpaTaken,
            ScalingError::InvalidBehavior => Self::InvalidBehavior,
            ScalingError::InvalidTargetTracking => Self::InvalidTargetTracking,
            ScalingError::CronOutOfRange { .. } => Self::CronOutOfRange,
            ScalingError::CronSyntax { .. } => Self::CronSyntax,
            ScalingError::UnknownTimeZone => Self::UnknownTimeZone,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<GroupError> for fc_status {
    fn from(e: GroupError) -> Self {
        match e {
            GroupError::DesiredOutOfRange { .. } => Self::DesiredOutOfRange,
            GroupError::MaxBelowMin { .. } => Self::MaxBelowMin,
            GroupError::DesiredAboveMax { .. } => Self::DesiredAboveMax,
            GroupError::DesiredBelowMin { .. } => Self::DesiredBelowMin,
            GroupError::InCooldown => Self::InCooldown,
            GroupError::UnknownMember { .. } => Self::UnknownMember,
            GroupError::WrongMemberState { .. } => Self::WrongMemberState,
            GroupError::TooManyIds { .. } => Self::TooManyIds,
            GroupError::BelowMin { .. } => Self::BelowMin,
            GroupError::AboveMax { .. } => Self::AboveMax,
            GroupError::MaxAboveCapacity { .. } => Self::MaxAboveCapacity,
            GroupError::Full { .. } => Self::GroupFull,
            GroupError::HeartbeatOutOfRange { .. } => Self::HeartbeatOutOfRange,
            GroupError::TooManyHooks => Self::TooManyHooks,
            GroupError::UnknownHook { .. } => Self::UnknownHook,
            GroupError::NotWaiting { .. } => Self::NotWaiting,
            GroupError::InvalidZones => Self::InvalidZones,
            GroupError::InvalidTerminationPolicies => Self::InvalidTerminationPolicies,
            GroupError::AlreadyMember { .. } => Self::AlreadyMember,
            GroupError::OutOfRange { .. } => Self::GroupOutOfRange,
            GroupError::RefreshInProgress => Self::RefreshInProgress,
            GroupError::NoActiveRefresh => Self::NoActiveRefresh,
            GroupError::UnknownPolicy { .. } => Self::UnknownPolicy,
            GroupError::TooManyPolicies => Self::TooManyPolicies,
            GroupError::Scaling(e) => e.into(),
            GroupError::ScheduleConflict => Self::ScheduleConflict,
            GroupError::TooManyScheduled => Self::TooManyScheduled,
            GroupError::UnknownScheduledAction => Self::UnknownScheduledAction,
            GroupError::Id(e) => e.into(),
            GroupError::UnknownMetric { .. } => Self::UnknownMetric,
            GroupError::TooManyMetrics => Self::TooManyMetrics,
            GroupError::DuplicateMetric => Self::DuplicateMetric,
            GroupError::TooManyAlarms => Self::TooManyAlarms,
            GroupError::Purchase(e) => e.into(),
            GroupError::NotSpot { .. } => Self::MemberNotSpot,
            GroupError::WarmPoolWithMixedInstances => Self::WarmPoolWithMixedInstances,
            GroupError::NoPrices => Self::NoPrices,
            GroupError::PartNotStored { .. } => Self::PartNotStored,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<PurchaseError> for fc_status {
    fn from(e: PurchaseError) -> Self {
        match e {
            PurchaseError::UnknownType => Self::UnpricedType,
            PurchaseError::DuplicateType => Self::DuplicatePricedType,
            PurchaseError::UnknownPool { .. } => Self::UnknownSpotPool,
            PurchaseError::ZoneOutOfRange { .. } => Self::ZoneOutOfRange,
            PurchaseError::MaxPriceTooLow => Self::MaxPriceTooLow,
            PurchaseError::InvalidWeight { .. } => Self::InvalidWeight,
            PurchaseError::InvalidPercentage { .. } => Self::InvalidPercentage,
            PurchaseError::InvalidPoolCount { .. } => Self::InvalidPoolCount,
            PurchaseError::InvalidOverrides => Self::InvalidOverrides,
            PurchaseError::InvalidReservation { .. } => Self::InvalidReservation,
            PurchaseError::Full { .. } => Self::PurchaseFull,
            PurchaseError::UnknownMember => Self::UnmeteredMember,
            PurchaseError::DuplicateMember => Self::AlreadyMetered,
            PurchaseError::TimeWentBack { .. } => Self::TimeWentBack,
            PurchaseError::UnalignedInterval => Self::UnalignedInterval,
            PurchaseError::ReversedInterval => Self::ReversedInterval,
            PurchaseError::IntervalNotKept { .. } => Self::IntervalNotKept,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<ConfigError> for fc_status {
    fn from(e: ConfigError) -> Self {
        match e {
            ConfigError::TooLarge { .. } => Self::ConfigTooLarge,
            ConfigError::TooDeep { .. } => Self::ConfigTooDeep,
            ConfigError::Syntax { .. } => Self::ConfigSyntax,
            ConfigError::Truncated => Self::ConfigTruncated,
            ConfigError::TrailingCharacters => Self::ConfigTrailingCharacters,
            ConfigError::UnknownField => Self::ConfigUnknownField,
            ConfigError::MissingField { .. } => Self::ConfigMissingField,
            ConfigError::DuplicateField { .. } => Self::ConfigDuplicateField,
            ConfigError::WrongType { .. } => Self::ConfigWrongType,
            ConfigError::OutOfRange { .. } => Self::ConfigOutOfRange,
            ConfigError::UnknownVariant => Self::ConfigUnknownVariant,
            ConfigError::TooLong { .. } => Self::ConfigTooLong,
            ConfigError::NotAllowed { .. } => Self::ConfigNotAllowed,
            ConfigError::Invalid { .. } => Self::ConfigInvalid,
            ConfigError::UnknownReference { .. } => Self::ConfigUnknownReference,
            ConfigError::DuplicateName { .. } => Self::ConfigDuplicateName,
            ConfigError::Catalog(_) => Self::ConfigCatalog,
            ConfigError::Group(_) => Self::ConfigGroup,
            ConfigError::Scaling(_) => Self::ConfigScaling,
            ConfigError::Network(_) => Self::ConfigNetwork,
            ConfigError::BufferTooSmall => Self::ConfigBufferTooSmall,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<ImdsError> for fc_status {
    fn from(e: ImdsError) -> Self {
        match e {
            ImdsError::BufferTooSmall { .. } => Self::ImdsBufferTooSmall,
            ImdsError::HopLimitOutOfRange { .. } => Self::ImdsHopLimitOutOfRange,
            ImdsError::UserDataTooLarge { .. } => Self::ImdsUserDataTooLarge,
            ImdsError::Incomplete => Self::ImdsIncomplete,
            ImdsError::RequestLineTooLong { .. } => Self::ImdsRequestLineTooLong,
            ImdsError::HeaderLineTooLong { .. } => Self::ImdsHeaderLineTooLong,
            ImdsError::TooManyHeaders { .. } => Self::ImdsTooManyHeaders,
            ImdsError::RequestTooLarge { .. } => Self::ImdsRequestTooLarge,
            ImdsError::MalformedRequest { .. } => Self::ImdsMalformedRequest,
            ImdsError::UnsupportedTransferEncoding => Self::ImdsUnsupportedTransferEncoding,
            ImdsError::InvalidLimit { .. } => Self::ImdsInvalidLimit,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<NetError> for fc_status {
    fn from(e: NetError) -> Self {
        match e {
            NetError::BadCidr(_) => Self::NetBadCidr,
            NetError::BadAddress(_) => Self::NetBadAddress,
            NetError::ReversedPortRange { .. } => Self::NetReversedPortRange,
            NetError::DuplicateRule => Self::NetDuplicateRule,
            NetError::RuleNotFound => Self::NetRuleNotFound,
            NetError::RuleLimit { .. } => Self::NetRuleLimit,
            NetError::GroupLimit { .. } => Self::NetGroupLimit,
            NetError::InvalidQuota { .. } => Self::NetInvalidQuota,
            NetError::UnknownGroup { .. } => Self::NetUnknownGroup,
            NetError::InvalidGroupName => Self::NetInvalidGroupName,
            NetError::DuplicateGroupName => Self::NetDuplicateGroupName,
            NetError::CannotDeleteDefault => Self::NetCannotDeleteDefault,
            NetError::GroupInUse { .. } => Self::NetGroupInUse,
            NetError::RepeatedGroup { .. } => Self::NetRepeatedGroup,
            NetError::NoGroups => Self::NetNoGroups,
            NetError::UnknownSubnet { .. } => Self::NetUnknownSubnet,
            NetError::SubnetOutsideVpc => Self::NetSubnetOutsideVpc,
            NetError::SubnetOverlap => Self::NetSubnetOverlap,
            NetError::SubnetSize { .. } => Self::NetSubnetSize,
            NetError::InvalidZone => Self::NetInvalidZone,
            NetError::UnknownEni { .. } => Self::NetUnknownEni,
            NetError::AddressOutsideSubnet { .. } => Self::NetAddressOutsideSubnet,
            NetError::AddressReserved { .. } => Self::NetAddressReserved,
            NetError::AddressInUse { .. } => Self::NetAddressInUse,
            NetError::SubnetFull => Self::NetSubnetFull,
            NetError::AddressLimit { .. } => Self::NetAddressLimit,
            NetError::PrimaryAddress => Self::NetPrimaryAddress,
            NetError::AddressNotAssigned { .. } => Self::NetAddressNotAssigned,
            NetError::EniInUse { .. } => Self::NetEniInUse,
            NetError::NotAttached { .. } => Self::NetNotAttached,
            NetError::PrimaryDetach { .. } => Self::NetPrimaryDetach,
            NetError::ZoneMismatch { .. } => Self::NetZoneMismatch,
            NetError::EniLimit { .. } => Self::NetEniLimit,
            NetError::DeviceIndexInUse { .. } => Self::NetDeviceIndexInUse,
            NetError::UnknownInstance { .. } => Self::NetUnknownInstance,
            NetError::InstanceExists { .. } => Self::NetInstanceExists,
            NetError::Full { .. } => Self::NetFull,
            NetError::IdsExhausted => Self::NetIdsExhausted,
            NetError::InvalidTimeout { .. } => Self::NetInvalidTimeout,
            NetError::InvalidPacket => Self::NetInvalidPacket,
            _ => Self::from_core_code(e.code()),
        }
    }
}

impl From<SnapshotError> for fc_status {
    fn from(e: SnapshotError) -> Self {
        match e {
            SnapshotError::BufferTooSmall { .. } => Self::SnapshotBufferTooSmall,
            SnapshotError::Truncated => Self::SnapshotTruncated,
            SnapshotError::NotASnapshot => Self::NotASnapshot,
            SnapshotError::UnsupportedVersion { .. } => Self::SnapshotUnsupportedVersion,
            SnapshotError::WrongKind { .. } => Self::SnapshotWrongKind,
            SnapshotError::Checksum => Self::SnapshotChecksum,
            SnapshotError::CapacityMismatch { .. } => Self::SnapshotCapacityMismatch,
            SnapshotError::Malformed => Self::SnapshotMalformed,
            SnapshotError::Inconsistent { .. } => Self::SnapshotInconsistent,
            SnapshotError::Encoding => Self::SnapshotEncoding,
            _ => Self::from_core_code(e.code()),
        }
    }
}

/// The text of a status code: a static, NUL-terminated, lower-case English phrase.
///
/// Takes the code as a plain `uint32_t`, so any value is safe to pass; a number that is not an
/// `fc_status` gives `"unknown status"`. Never returns NULL. The string is owned by the library,
/// lives for the whole program and must not be freed or written. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn fc_status_str(status: u32) -> *const c_char {
    crate::boundary::guard(c"unknown status".as_ptr(), || {
        fc_status::try_from(status)
            .map_or(c"unknown status", fc_status::message)
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleetcore::id::InstanceId;
    use fleetcore::lifecycle::{InstanceState, Operation};

    // One value of every core error variant: a table, long by nature.
    #[allow(clippy::too_many_lines)]
    fn every_core_error() -> Vec<(fc_status, u32, String)> {
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
            LifecycleError::Id(IdError::Exhausted),
            LifecycleError::Catalog(CatalogError::UnknownImage),
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
            ScalingError::CronOutOfRange {
                field: fleetcore::scaling::cron::CronField::Hour,
                value: 25,
            },
            ScalingError::CronSyntax {
                field: fleetcore::scaling::cron::CronField::Minute,
            },
            ScalingError::UnknownTimeZone,
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
            GroupError::Scaling(ScalingError::NoStep),
            GroupError::ScheduleConflict,
            GroupError::TooManyScheduled,
            GroupError::UnknownScheduledAction,
            GroupError::Id(IdError::Exhausted),
            GroupError::UnknownMetric { metric: 1 },
            GroupError::TooManyMetrics,
            GroupError::DuplicateMetric,
            GroupError::TooManyAlarms,
            GroupError::Purchase(PurchaseError::UnalignedInterval),
            GroupError::NotSpot { id },
            GroupError::WarmPoolWithMixedInstances,
            GroupError::NoPrices,
            GroupError::PartNotStored {
                part: "an HPA policy",
            },
        ];
        let config = [
            ConfigError::TooLarge { max: 196_608 },
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
        let fault = fleetcore::network::parse_ipv4("x").unwrap_err();
        let network = [
            NetError::BadCidr(fault),
            NetError::BadAddress(fault),
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
        let mut all = Vec::new();
        all.extend(
            ids.iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            config
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            catalog
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            lifecycle
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            scaling
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            group
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            purchase
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            metadata
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            network
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all.extend(
            snapshot
                .iter()
                .map(|e| (fc_status::from(*e), e.code(), format!("{e:?}"))),
        );
        all
    }

    #[test]
    fn every_core_error_converts_to_the_status_with_its_code() {
        for (status, code, what) in every_core_error() {
            assert_ne!(
                status,
                fc_status::UnmappedCoreError,
                "{what} has no fc_status variant"
            );
            assert_eq!(
                status.code(),
                code,
                "{what}: fc_status {status:?} vs core code {code}"
            );
        }
    }

    #[test]
    fn every_domain_status_is_some_core_error() {
        let produced: Vec<fc_status> = every_core_error().into_iter().map(|(s, _, _)| s).collect();
        for status in fc_status::ALL.into_iter().filter(|s| s.code() >= 1000) {
            assert!(
                produced.contains(&status),
                "{status:?} mirrors no core error"
            );
        }
    }

    #[test]
    fn abi_codes_are_pinned() {
        let abi: Vec<(fc_status, u32)> = fc_status::ALL
            .into_iter()
            .filter(|s| s.code() < 1000)
            .map(|s| (s, s.code()))
            .collect();
        assert_eq!(
            abi,
            [
                (fc_status::Ok, 0),
                (fc_status::NullArgument, 1),
                (fc_status::BufferTooSmall, 2),
                (fc_status::InvalidEnumValue, 3),
                (fc_status::Panic, 4),
                (fc_status::NotUtf8, 5),
                (fc_status::MisalignedArgument, 6),
                (fc_status::Uninitialized, 7),
                (fc_status::UnmappedCoreError, 8),
                (fc_status::IndexOutOfRange, 9),
                (fc_status::StorageFull, 10),
                (fc_status::InvalidArgument, 11),
            ]
        );
    }

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for (i, s) in fc_status::ALL.into_iter().enumerate() {
            assert_eq!(fc_status::try_from(s.code()), Ok(s));
            for t in fc_status::ALL.into_iter().skip(i + 1) {
                assert_ne!(s, t);
                assert_ne!(s.message(), t.message(), "{s:?} and {t:?} share a message");
            }
        }
        assert_eq!(fc_status::try_from(12), Err(fc_status::InvalidEnumValue));
        assert_eq!(fc_status::try_from(1210), Err(fc_status::InvalidEnumValue));
        assert_eq!(
            fc_status::try_from(u32::MAX),
            Err(fc_status::InvalidEnumValue)
        );
    }

    #[test]
    fn status_str_gives_static_text_and_a_fallback() {
        let text = |code| {
            // SAFETY: fc_status_str never returns NULL, only static C strings.
            let text = unsafe { CStr::from_ptr(fc_status_str(code)) };
            text.to_str().unwrap()
        };
        assert_eq!(text(0), "ok");
        assert_eq!(text(1007), "no instance has this id");
        assert_eq!(text(99), "unknown status");
        assert_eq!(text(u32::MAX), "unknown status");
        for s in fc_status::ALL {
            assert!(!text(s.code()).is_empty());
            assert_ne!(text(s.code()), "unknown status");
        }
    }
}
