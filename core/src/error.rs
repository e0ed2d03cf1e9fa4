//! Errors: one enum per domain, each with a `Display` text a person can act on, a stable numeric
//! code for the C ABI and a coarse [`ErrorKind`] (the embedded-hal pattern).
//!
//! Code ranges (never renumbered; a retired code stays here as a `// reserved` comment):
//!
//! | range | domain |
//! |---|---|
//! | 0 | OK (C only) |
//! | 1–99 | C ABI errors (NULL argument, short buffer, bad enum value, panic), in `fleetcore-ffi` |
//! | 1000s | [`LifecycleError`] |
//! | 1100s | [`GroupError`] |
//! | 1200s | [`ScalingError`] |
//! | 1300s | [`ConfigError`] |
//! | 1400s | [`CatalogError`] |
//! | 1500s | [`IdError`] |
//! | 1600s | [`SnapshotError`] |
//! | 1700s | [`ImdsError`](crate::imds::ImdsError) |
//! | 1800s | [`NetError`] |
//! | 1900s | [`PurchaseError`](crate::purchase::PurchaseError) |
//!
//! Every fallible call in the core leaves its receiver unchanged when it returns `Err`.

use core::fmt;

use crate::id::InstanceId;
use crate::lifecycle::{InstanceState, Operation};
use crate::network::NetError;

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
            | Self::OutOfRange { .. } => ErrorKind::InvalidArgument,
            Self::DeleteDefaultVersion { .. } => ErrorKind::InvalidState,
            Self::Full { .. } | Self::VersionQuota => ErrorKind::CapacityExceeded,
        }
    }
}

/// Why an EC2 instance lifecycle request was refused (SEMANTICS §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum LifecycleError {
    /// `IncorrectInstanceState`: the operation is not legal in the instance's current state.
    IncorrectState {
        /// The instance.
        id: InstanceId,
        /// Its current state.
        state: InstanceState,
        /// What was asked.
        operation: Operation,
    },
    /// Instance-store-backed instances cannot be stopped, hibernated or started; only terminated.
    InstanceStoreRoot {
        /// The instance.
        id: InstanceId,
        /// What was asked.
        operation: Operation,
    },
    /// Hibernation was asked of an instance not launched with hibernation configured.
    HibernationNotConfigured {
        /// The instance.
        id: InstanceId,
    },
    /// `OperationNotPermitted`: termination protection (`DisableApiTermination`) is on.
    TerminationProtected {
        /// The instance.
        id: InstanceId,
    },
    /// A Spot Instance stopped by an interruption can only be restarted by EC2.
    SpotInterrupted {
        /// The instance.
        id: InstanceId,
    },
    /// A Spot Instance from a one-time request cannot be stopped or hibernated by the user.
    SpotNotPersistent {
        /// The instance.
        id: InstanceId,
    },
    /// A Spot operation (interruption notice) was asked of an On-Demand instance.
    NotSpot {
        /// The instance.
        id: InstanceId,
    },
    /// The launch request is inconsistent (see the field for which rule).
    InvalidLaunch {
        /// The rule that was broken.
        rule: LaunchRule,
    },
    /// No instance has this id (or it has been terminated for longer than an hour).
    UnknownInstance {
        /// The id asked for.
        id: InstanceId,
    },
    /// The fleet's fixed capacity is full.
    FleetFull {
        /// Its capacity.
        capacity: usize,
    },
    /// A state code is not one of 0, 16, 32, 48, 64, 80 (after masking the high byte).
    InvalidStateCode {
        /// The code as given.
        code: u16,
    },
    /// A state name is not one of the six EC2 names.
    InvalidStateName,
    /// An instance id could not be generated.
    Id(IdError),
    /// The launch refers to something the catalog does not hold.
    Catalog(CatalogError),
}

/// The launch rules of SEMANTICS §1.4 and §1.2 that [`LifecycleError::InvalidLaunch`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum LaunchRule {
    /// Termination protection cannot be enabled on Spot Instances.
    SpotTerminationProtection,
    /// Spot `stop`/`hibernate` interruption behaviour needs a `persistent` request.
    SpotStopNeedsPersistent,
    /// Spot `stop`/`hibernate` interruption behaviour needs an EBS root volume.
    SpotStopNeedsEbs,
    /// Hibernation needs an EBS root volume.
    HibernationNeedsEbs,
}

impl fmt::Display for LaunchRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SpotTerminationProtection => {
                "termination protection cannot be enabled on spot instances"
            }
            Self::SpotStopNeedsPersistent => {
                "spot interruption behaviour stop or hibernate needs a persistent request"
            }
            Self::SpotStopNeedsEbs => {
                "spot interruption behaviour stop or hibernate needs an ebs root volume"
            }
            Self::HibernationNeedsEbs => "hibernation needs an ebs root volume",
        })
    }
}

impl fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IncorrectState {
                id,
                state,
                operation,
            } => match operation {
                Operation::Start => write!(
                    f,
                    "instance {id} is {state}: it is not in a state from which it can be started"
                ),
                Operation::Stop | Operation::Hibernate if *state == InstanceState::Pending => {
                    write!(
                        f,
                        "instance {id} cannot be stopped as it has never reached the running state"
                    )
                }
                _ => write!(f, "instance {id} is {state}: cannot {operation}"),
            },
            Self::InstanceStoreRoot { id, operation } => write!(
                f,
                "instance {id} has an instance-store root volume: cannot {operation}, \
                 only terminate"
            ),
            Self::HibernationNotConfigured { id } => {
                write!(
                    f,
                    "instance {id} was not launched with hibernation configured"
                )
            }
            Self::TerminationProtected { id } => write!(
                f,
                "instance {id} has termination protection on; disable it before terminating"
            ),
            Self::SpotInterrupted { id } => write!(
                f,
                "spot instance {id} was stopped by an interruption; only ec2 can restart it"
            ),
            Self::SpotNotPersistent { id } => write!(
                f,
                "spot instance {id} is from a one-time request: it cannot be stopped, only \
                 terminated"
            ),
            Self::NotSpot { id } => write!(f, "instance {id} is not a spot instance"),
            Self::InvalidLaunch { rule } => write!(f, "invalid launch: {rule}"),
            Self::UnknownInstance { id } => write!(f, "instance {id} does not exist"),
            Self::FleetFull { capacity } => {
                write!(f, "the fleet holds at most {capacity} instances")
            }
            Self::InvalidStateCode { code } => write!(
                f,
                "instance state code {code} is not one of 0, 16, 32, 48, 64, 80"
            ),
            Self::InvalidStateName => f.write_str(
                "instance state must be pending, running, shutting-down, terminated, \
                 stopping or stopped",
            ),
            Self::Id(e) => fmt::Display::fmt(e, f),
            Self::Catalog(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl core::error::Error for LifecycleError {}

impl Error for LifecycleError {
    fn code(&self) -> u32 {
        match self {
            Self::IncorrectState { .. } => 1000,
            Self::InstanceStoreRoot { .. } => 1001,
            Self::HibernationNotConfigured { .. } => 1002,
            Self::TerminationProtected { .. } => 1003,
            Self::SpotInterrupted { .. } => 1004,
            Self::NotSpot { .. } => 1005,
            Self::InvalidLaunch { .. } => 1006,
            Self::UnknownInstance { .. } => 1007,
            Self::FleetFull { .. } => 1008,
            Self::InvalidStateCode { .. } => 1009,
            Self::InvalidStateName => 1010,
            Self::SpotNotPersistent { .. } => 1011,
            // Wrapped errors keep the code of their own domain.
            Self::Id(e) => e.code(),
            Self::Catalog(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::IncorrectState { .. }
            | Self::TerminationProtected { .. }
            | Self::SpotInterrupted { .. } => ErrorKind::InvalidState,
            Self::InstanceStoreRoot { .. }
            | Self::HibernationNotConfigured { .. }
            | Self::SpotNotPersistent { .. } => ErrorKind::Unsupported,
            Self::NotSpot { .. } | Self::InvalidLaunch { .. } => ErrorKind::InvalidArgument,
            Self::UnknownInstance { .. } => ErrorKind::NotFound,
            Self::FleetFull { .. } => ErrorKind::CapacityExceeded,
            Self::InvalidStateCode { .. } | Self::InvalidStateName => ErrorKind::Malformed,
            Self::Id(e) => e.kind(),
            Self::Catalog(e) => e.kind(),
        }
    }
}

impl From<IdError> for LifecycleError {
    fn from(e: IdError) -> Self {
        Self::Id(e)
    }
}

impl From<CatalogError> for LifecycleError {
    fn from(e: CatalogError) -> Self {
        Self::Catalog(e)
    }
}

/// Why an Auto Scaling group request was refused (SEMANTICS §2). Messages follow the service's
/// `ValidationError` wording where it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum GroupError {
    /// Desired capacity outside `[min, max]` on create or update.
    DesiredOutOfRange {
        /// The desired capacity asked for.
        desired: u32,
        /// `MinSize`.
        min: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `MaxSize` below `MinSize`.
    MaxBelowMin {
        /// `MinSize`.
        min: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `SetDesiredCapacity` above `MaxSize`.
    DesiredAboveMax {
        /// The desired capacity asked for.
        desired: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `SetDesiredCapacity` below `MinSize`.
    DesiredBelowMin {
        /// The desired capacity asked for.
        desired: u32,
        /// `MinSize`.
        min: u32,
    },
    /// `ScalingActivityInProgress`: `HonorCooldown` was set and the group is in cooldown.
    InCooldown,
    /// No member has this id.
    UnknownMember {
        /// The id.
        id: InstanceId,
    },
    /// The member is not in a state this request accepts.
    WrongMemberState {
        /// The member.
        id: InstanceId,
        /// Its state, in the service's spelling.
        state: &'static str,
    },
    /// More instance ids in one call than the service accepts.
    TooManyIds {
        /// Ids given.
        count: usize,
        /// The most the call accepts (20 for standby/attach/detach, 50 for protection).
        limit: usize,
    },
    /// The request would take desired capacity below `MinSize`.
    BelowMin {
        /// Desired capacity after the request.
        desired: u32,
        /// `MinSize`.
        min: u32,
    },
    /// The request would take desired capacity above `MaxSize`.
    AboveMax {
        /// Desired capacity after the request.
        desired: u32,
        /// `MaxSize`.
        max: u32,
    },
    /// `MaxSize` is above the group's fixed capacity `N`.
    MaxAboveCapacity {
        /// `MaxSize`.
        max: u32,
        /// The group's capacity.
        capacity: usize,
    },
    /// The group's member storage is full.
    Full {
        /// Its capacity.
        capacity: usize,
    },
    /// A lifecycle hook heartbeat timeout outside 30–7200 s.
    HeartbeatOutOfRange {
        /// The timeout given, in seconds.
        seconds: u64,
    },
    /// The group already has the most lifecycle hooks it can hold.
    TooManyHooks,
    /// No lifecycle hook has this index.
    UnknownHook {
        /// The index.
        hook: u8,
    },
    /// The member is not waiting on this hook.
    NotWaiting {
        /// The member.
        id: InstanceId,
        /// The hook.
        hook: u8,
    },
    /// Zones are empty, repeated, too long or too many.
    InvalidZones,
    /// Termination policies repeat, are empty, or list `Default` before the end.
    InvalidTerminationPolicies,
    /// An instance is already a member.
    AlreadyMember {
        /// The instance.
        id: InstanceId,
    },
    /// A numeric setting is out of range.
    OutOfRange {
        /// The field, as the service names it.
        field: &'static str,
    },
    /// `InstanceRefreshInProgress`: a refresh is already running.
    RefreshInProgress,
    /// `ActiveInstanceRefreshNotFound`: no refresh is running.
    NoActiveRefresh,
    /// No scaling policy has this index.
    UnknownPolicy {
        /// The index.
        policy: u8,
    },
    /// The group holds no more scaling policies.
    TooManyPolicies,
    /// A scaling policy is invalid or cannot run (see the inner error).
    Scaling(ScalingError),
    /// Another scheduled action starts at the same time.
    ScheduleConflict,
    /// The group holds no more scheduled actions.
    TooManyScheduled,
    /// No scheduled action has this name.
    UnknownScheduledAction,
    /// An id could not be generated.
    Id(IdError),
    /// No metric of the group has this index.
    UnknownMetric {
        /// The index.
        metric: u8,
    },
    /// The group keeps no more metrics.
    TooManyMetrics,
    /// Another metric of the group has this name.
    DuplicateMetric,
    /// The group holds no more alarms.
    TooManyAlarms,
    /// A purchasing, pricing or cost request was refused (codes 1900s).
    Purchase(crate::purchase::PurchaseError),
    /// The member is not a Spot Instance, so it gets no Spot notice or recommendation.
    NotSpot {
        /// The member.
        id: InstanceId,
    },
    /// A warm pool and a mixed-instances policy cannot be used together (the service refuses
    /// both on one group).
    WarmPoolWithMixedInstances,
    /// The group has no price table yet: give it one with `set_prices` first.
    NoPrices,
    /// The group's parts do not store what the call needs (an HPA, a predictive policy or a
    /// price ledger in a lean group): choose parts that keep it (`group::parts`).
    PartNotStored {
        /// The part, as `group::Parts` names it.
        part: &'static str,
    },
}

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DesiredOutOfRange { desired, min, max } => write!(
                f,
                "desired capacity:{desired} must be between the specified min size:{min} and \
                 max size:{max}"
            ),
            Self::MaxBelowMin { min, max } => {
                write!(
                    f,
                    "max bound, {max}, must be greater than or equal to min bound, {min}"
                )
            }
            Self::DesiredAboveMax { desired, max } => write!(
                f,
                "new SetDesiredCapacity value {desired} is above max value {max} for the \
                 AutoScalingGroup"
            ),
            Self::DesiredBelowMin { desired, min } => write!(
                f,
                "new SetDesiredCapacity value {desired} is below min value {min} for the \
                 AutoScalingGroup"
            ),
            Self::InCooldown => f.write_str(
                "scaling activity in progress: the group is in cooldown and HonorCooldown is set",
            ),
            Self::UnknownMember { id } => write!(f, "instance {id} is not part of the group"),
            Self::WrongMemberState { id, state } => {
                write!(
                    f,
                    "instance {id} is {state}: the request does not apply in that state"
                )
            }
            Self::TooManyIds { count, limit } => {
                write!(
                    f,
                    "{count} instance ids given; the call accepts at most {limit}"
                )
            }
            Self::BelowMin { desired, min } => write!(
                f,
                "the request would take desired capacity to {desired}, below min size {min}; \
                 lower min size first"
            ),
            Self::AboveMax { desired, max } => write!(
                f,
                "the request would take desired capacity to {desired}, above max size {max}"
            ),
            Self::MaxAboveCapacity { max, capacity } => {
                write!(
                    f,
                    "max size {max} is above the group's capacity of {capacity} members"
                )
            }
            Self::Full { capacity } => {
                write!(f, "the group holds at most {capacity} members")
            }
            Self::HeartbeatOutOfRange { seconds } => {
                write!(f, "heartbeat timeout {seconds} s is outside 30-7200 s")
            }
            Self::TooManyHooks => f.write_str("the group holds no more lifecycle hooks"),
            Self::UnknownHook { hook } => write!(f, "lifecycle hook {hook} does not exist"),
            Self::NotWaiting { id, hook } => {
                write!(f, "instance {id} is not waiting on lifecycle hook {hook}")
            }
            Self::InvalidZones => {
                f.write_str("zones must be 1-8 distinct names of 1-32 characters")
            }
            Self::InvalidTerminationPolicies => f.write_str(
                "termination policies must be distinct, at least one, with Default last",
            ),
            Self::AlreadyMember { id } => write!(f, "instance {id} is already part of the group"),
            Self::OutOfRange { field } => write!(f, "{field} is out of range"),
            Self::RefreshInProgress => f.write_str("an instance refresh is already in progress"),
            Self::NoActiveRefresh => f.write_str("no instance refresh is in progress"),
            Self::UnknownPolicy { policy } => write!(f, "scaling policy {policy} does not exist"),
            Self::TooManyPolicies => f.write_str("the group holds no more scaling policies"),
            Self::Scaling(e) => fmt::Display::fmt(e, f),
            Self::ScheduleConflict => {
                f.write_str("another scheduled action of the group starts at the same time")
            }
            Self::TooManyScheduled => f.write_str("the group holds no more scheduled actions"),
            Self::UnknownScheduledAction => f.write_str("no scheduled action has this name"),
            Self::Id(e) => fmt::Display::fmt(e, f),
            Self::UnknownMetric { metric } => write!(f, "metric {metric} does not exist"),
            Self::TooManyMetrics => f.write_str("the group keeps no more metrics"),
            Self::DuplicateMetric => f.write_str("the group already has a metric of this name"),
            Self::TooManyAlarms => f.write_str("the group holds no more alarms"),
            Self::Purchase(e) => fmt::Display::fmt(e, f),
            Self::NotSpot { id } => write!(f, "instance {id} is not a Spot Instance"),
            Self::WarmPoolWithMixedInstances => f.write_str(
                "a group with a mixed-instances policy cannot have a warm pool (and the reverse)",
            ),
            Self::NoPrices => {
                f.write_str("the group has no price table; give it one with set_prices first")
            }
            Self::PartNotStored { part } => write!(
                f,
                "this group's parts do not store {part}; build it with parts that keep it"
            ),
        }
    }
}

impl core::error::Error for GroupError {}

impl Error for GroupError {
    fn code(&self) -> u32 {
        match self {
            Self::DesiredOutOfRange { .. } => 1100,
            Self::MaxBelowMin { .. } => 1101,
            Self::DesiredAboveMax { .. } => 1102,
            Self::DesiredBelowMin { .. } => 1103,
            Self::InCooldown => 1104,
            Self::UnknownMember { .. } => 1105,
            Self::WrongMemberState { .. } => 1106,
            Self::TooManyIds { .. } => 1107,
            Self::BelowMin { .. } => 1108,
            Self::AboveMax { .. } => 1109,
            Self::MaxAboveCapacity { .. } => 1110,
            Self::Full { .. } => 1111,
            Self::HeartbeatOutOfRange { .. } => 1112,
            Self::TooManyHooks => 1113,
            Self::UnknownHook { .. } => 1114,
            Self::NotWaiting { .. } => 1115,
            Self::InvalidZones => 1116,
            Self::InvalidTerminationPolicies => 1117,
            Self::AlreadyMember { .. } => 1118,
            Self::OutOfRange { .. } => 1119,
            Self::RefreshInProgress => 1120,
            Self::NoActiveRefresh => 1121,
            Self::UnknownPolicy { .. } => 1122,
            Self::TooManyPolicies => 1123,
            Self::Scaling(e) => e.code(),
            Self::ScheduleConflict => 1124,
            Self::TooManyScheduled => 1125,
            Self::UnknownScheduledAction => 1126,
            Self::Id(e) => e.code(),
            Self::UnknownMetric { .. } => 1127,
            Self::TooManyMetrics => 1128,
            Self::DuplicateMetric => 1129,
            Self::TooManyAlarms => 1130,
            Self::Purchase(e) => e.code(),
            Self::NotSpot { .. } => 1131,
            Self::WarmPoolWithMixedInstances => 1132,
            Self::NoPrices => 1133,
            Self::PartNotStored { .. } => 1134,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::InCooldown
            | Self::WrongMemberState { .. }
            | Self::NotWaiting { .. }
            | Self::RefreshInProgress
            | Self::NoActiveRefresh
            | Self::NotSpot { .. }
            | Self::NoPrices => ErrorKind::InvalidState,
            Self::UnknownMember { .. } | Self::UnknownHook { .. } | Self::UnknownPolicy { .. } => {
                ErrorKind::NotFound
            }
            Self::TooManyPolicies
            | Self::TooManyScheduled
            | Self::TooManyMetrics
            | Self::TooManyAlarms
            | Self::PartNotStored { .. } => ErrorKind::CapacityExceeded,
            Self::UnknownScheduledAction | Self::UnknownMetric { .. } => ErrorKind::NotFound,
            Self::Scaling(e) => e.kind(),
            Self::Full { .. } | Self::TooManyHooks | Self::MaxAboveCapacity { .. } => {
                ErrorKind::CapacityExceeded
            }
            Self::Id(e) => e.kind(),
            Self::Purchase(e) => e.kind(),
            Self::WarmPoolWithMixedInstances => ErrorKind::Unsupported,
            _ => ErrorKind::InvalidArgument,
        }
    }
}

impl From<crate::purchase::PurchaseError> for GroupError {
    fn from(e: crate::purchase::PurchaseError) -> Self {
        Self::Purchase(e)
    }
}

impl From<ScalingError> for GroupError {
    fn from(e: ScalingError) -> Self {
        Self::Scaling(e)
    }
}

impl From<IdError> for GroupError {
    fn from(e: IdError) -> Self {
        Self::Id(e)
    }
}

/// Why a metric, alarm or scaling policy request was refused (SEMANTICS §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ScalingError {
    /// A period that is not 10, 20, 30 s or a multiple of 60 s.
    InvalidPeriod {
        /// The period given, in seconds.
        seconds: u64,
    },
    /// `EvaluationPeriods` or `DatapointsToAlarm` out of range (N ≥ 1, 1 ≤ M ≤ N, span limit).
    InvalidEvaluation {
        /// N.
        n: u32,
        /// M.
        m: u32,
    },
    /// A sample older than every period the store keeps.
    TooOld,
    /// The alarm and the metric have different periods.
    PeriodMismatch,
    /// An adjustment that does not fit its type (a negative exact capacity, or a minimum
    /// magnitude on a non-percent adjustment).
    InvalidAdjustment,
    /// Step adjustments with a gap, an overlap, a missing open end or too many steps.
    InvalidSteps,
    /// A step policy got no metric value, or one that matches no step.
    NoStep,
    /// A cron recurrence that is not five valid fields.
    InvalidCron,
    /// A predictive scaling configuration out of range (buffer under an hour, a positive
    /// target, a max capacity buffer of 0–100 %).
    InvalidForecastConfig,
    /// A time zone that is not a POSIX TZ rule (or a fixed offset beyond ±24 hours).
    InvalidTimeZone {
        /// Byte position in the text where it stops making sense.
        position: u16,
    },
    /// `ExecutePolicy` on a target-tracking policy: its own alarms drive it.
    NotExecutable,
    /// The group already runs a policy with Kubernetes HPA behaviour (one per group).
    HpaTaken,
    /// An HPA behaviour out of range (a rate policy of 0, a period outside 1-1800 s, a
    /// stabilization window over 3600 s, no policy in an enabled direction).
    InvalidBehavior,
    /// A target-tracking policy with a target that is not positive, or HPA behaviour on a
    /// metric that members do not report one by one.
    InvalidTargetTracking,
}

impl fmt::Display for ScalingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPeriod { seconds } => write!(
                f,
                "period {seconds} s is not 10, 20, 30 or a multiple of 60 seconds"
            ),
            Self::InvalidEvaluation { n, m } => write!(
                f,
                "datapoints to alarm {m} out of {n} evaluation periods is invalid: \
                 need 1 <= m <= n and a span of at most one day (one week for periods of an hour)"
            ),
            Self::TooOld => f.write_str("sample is older than every period kept"),
            Self::PeriodMismatch => f.write_str("the alarm and the metric have different periods"),
            Self::InvalidAdjustment => f.write_str(
                "adjustment does not fit its type: exact capacity must be >= 0 and a minimum \
                 adjustment magnitude needs PercentChangeInCapacity",
            ),
            Self::NoStep => f.write_str("the metric value matches no step of the policy"),
            Self::InvalidForecastConfig => f.write_str(
                "predictive scaling needs a buffer under an hour, a positive target and a max \
                 capacity buffer of 0-100 percent",
            ),
            Self::InvalidCron => f.write_str(
                "recurrence must be five cron fields: minute hour day-of-month month day-of-week",
            ),
            Self::InvalidTimeZone { position } => write!(
                f,
                "time zone is not a POSIX TZ rule such as CET-1CEST,M3.5.0,M10.5.0/3 or UTC0 \
                 (offsets at most 24 h; error at byte {position})"
            ),
            Self::InvalidSteps => f.write_str(
                "step adjustments must not overlap or leave gaps, with at most one open lower \
                 and one open upper bound and at most 20 steps",
            ),
            Self::NotExecutable => {
                f.write_str("a target-tracking policy cannot be executed by hand")
            }
            Self::HpaTaken => f.write_str("the group already has a policy with HPA behaviour"),
            Self::InvalidBehavior => f.write_str(
                "HPA behaviour needs rate policies of at least 1 with periods of 1-1800 s and \
                 stabilization windows of at most 3600 s",
            ),
            Self::InvalidTargetTracking => f.write_str(
                "target tracking needs a positive target, and HPA behaviour a per-member metric",
            ),
        }
    }
}

impl core::error::Error for ScalingError {}

impl Error for ScalingError {
    fn code(&self) -> u32 {
        match self {
            Self::InvalidPeriod { .. } => 1200,
            Self::InvalidEvaluation { .. } => 1201,
            Self::TooOld => 1202,
            Self::PeriodMismatch => 1203,
            Self::InvalidAdjustment => 1204,
            Self::InvalidSteps => 1205,
            Self::NoStep => 1206,
            Self::InvalidCron => 1207,
            Self::InvalidForecastConfig => 1208,
            Self::InvalidTimeZone { .. } => 1209,
            // 1210: unused.
            Self::NotExecutable => 1211,
            Self::HpaTaken => 1212,
            Self::InvalidBehavior => 1213,
            Self::InvalidTargetTracking => 1214,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::TooOld => ErrorKind::InvalidState,
            Self::NoStep => ErrorKind::NotFound,
            Self::InvalidCron | Self::InvalidTimeZone { .. } => ErrorKind::Malformed,
            Self::NotExecutable => ErrorKind::Unsupported,
            Self::HpaTaken => ErrorKind::CapacityExceeded,
            _ => ErrorKind::InvalidArgument,
        }
    }
}

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
    /// The payload decodes to a state that breaks the object's invariants.
    Inconsistent,
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
            Self::Inconsistent => f.write_str("snapshot payload breaks the object's invariants"),
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
            Self::Inconsistent => 1608,
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

#[cfg(test)]
mod tests;
