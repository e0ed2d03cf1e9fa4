//! The instance lifecycle's error, with its `Display` text, stable numeric code (1000s) and [`ErrorKind`] (the shared
//! part is in [`crate::error`]).

use core::fmt;

use super::{InstanceState, Operation};
use crate::catalog::CatalogError;
use crate::error::{Error, ErrorKind};
use crate::id::{IdError, InstanceId};

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
    /// Hibernation needs an instance type with less than 150 GiB of memory (SEMANTICS §1.3).
    HibernationMemory,
    /// Bare metal instance types cannot hibernate (SEMANTICS §1.3).
    HibernationBareMetal,
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
            Self::HibernationMemory => {
                "hibernation needs an instance type with less than 150 GiB of memory"
            }
            Self::HibernationBareMetal => "bare metal instance types cannot hibernate",
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
