//! [`NetError`]: why a network interface, subnet, security group or packet request was refused
//! (codes 1800–1899). The EC2 error code a case corresponds to is named on each variant.

use core::fmt;
use core::net::Ipv4Addr;

use super::cidr::CidrFault;
use crate::error::{Error, ErrorKind};
use crate::id::{EniId, InstanceId, SecurityGroupId};

use super::SubnetId;

/// What was wrong with a network request (SEMANTICS §6). The receiver is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum NetError {
    /// A CIDR block could not be parsed or is not canonical.
    BadCidr(CidrFault),
    /// An IPv4 address could not be parsed.
    BadAddress(CidrFault),
    /// A port range runs backwards (`InvalidParameterValue`).
    ReversedPortRange {
        /// The first port given.
        from: u16,
        /// The last port given.
        to: u16,
    },
    /// The group already has this rule in this direction (`InvalidPermission.Duplicate`).
    DuplicateRule,
    /// The group has no such rule in this direction (`InvalidPermission.NotFound`).
    RuleNotFound,
    /// The group has as many rules in this direction as the quota allows
    /// (`RulesPerSecurityGroupLimitExceeded`).
    RuleLimit {
        /// The quota.
        limit: u16,
    },
    /// More security groups than the per-interface quota
    /// (`SecurityGroupsPerInterfaceLimitExceeded`).
    GroupLimit {
        /// The quota.
        limit: u8,
    },
    /// Quotas out of range: groups per interface must be 1–16, rules per group at least 1, and
    /// their product at most 1000.
    InvalidQuota {
        /// Groups per interface asked for.
        groups_per_eni: u8,
        /// Rules per group and direction asked for.
        rules_per_group: u16,
    },
    /// No security group has this id (`InvalidGroup.NotFound`).
    UnknownGroup {
        /// The id.
        id: SecurityGroupId,
    },
    /// A security group name is empty, longer than 255 characters, starts with `sg-` or has a
    /// character outside `a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*`.
    InvalidGroupName,
    /// A security group with this name exists in the VPC (`InvalidGroup.Duplicate`).
    DuplicateGroupName,
    /// The VPC's `default` group cannot be deleted (`Client.CannotDelete`).
    CannotDeleteDefault,
    /// The group is attached to an interface or referenced by another group's rule
    /// (`DependencyViolation`).
    GroupInUse {
        /// The group.
        id: SecurityGroupId,
    },
    /// The same group is listed twice.
    RepeatedGroup {
        /// The group.
        id: SecurityGroupId,
    },
    /// An interface needs at least one security group.
    NoGroups,
    /// No subnet has this id (`InvalidSubnetID.NotFound`).
    UnknownSubnet {
        /// The id.
        id: SubnetId,
    },
    /// The subnet's block is not inside the VPC's block (`InvalidSubnet.Range`).
    SubnetOutsideVpc,
    /// The subnet's block overlaps another subnet's (`InvalidSubnet.Conflict`).
    SubnetOverlap,
    /// Subnets are /16 to /28 (`InvalidSubnet.Range`).
    SubnetSize {
        /// The prefix asked for.
        prefix: u8,
    },
    /// A zone name is empty or longer than 32 bytes.
    InvalidZone,
    /// No network interface has this id (`InvalidNetworkInterfaceID.NotFound`).
    UnknownEni {
        /// The id.
        id: EniId,
    },
    /// A requested private address is outside the subnet's block.
    AddressOutsideSubnet {
        /// The address.
        #[cfg_attr(feature = "defmt", defmt(Display2Format))]
        addr: Ipv4Addr,
    },
    /// A requested private address is one of the five the subnet reserves (the first four and
    /// the last).
    AddressReserved {
        /// The address.
        #[cfg_attr(feature = "defmt", defmt(Display2Format))]
        addr: Ipv4Addr,
    },
    /// A requested private address is already assigned (`InvalidIPAddress.InUse`).
    AddressInUse {
        /// The address.
        #[cfg_attr(feature = "defmt", defmt(Display2Format))]
        addr: Ipv4Addr,
    },
    /// Every usable address of the subnet is taken (`InsufficientFreeAddressesInSubnet`).
    SubnetFull,
    /// The interface holds as many private IPv4 addresses as its instance type allows
    /// (`PrivateIpAddressLimitExceeded`).
    AddressLimit {
        /// The limit of the instance type.
        limit: u8,
    },
    /// The primary private address cannot be unassigned.
    PrimaryAddress,
    /// The interface does not hold this address.
    AddressNotAssigned {
        /// The address.
        #[cfg_attr(feature = "defmt", defmt(Display2Format))]
        addr: Ipv4Addr,
    },
    /// The interface is attached (`InvalidNetworkInterface.InUse`): detach it first.
    EniInUse {
        /// The interface.
        id: EniId,
    },
    /// The interface is not attached (`InvalidAttachmentID.NotFound`).
    NotAttached {
        /// The interface.
        id: EniId,
    },
    /// The primary interface (device index 0) cannot be detached (`OperationNotPermitted`).
    PrimaryDetach {
        /// The interface.
        id: EniId,
    },
    /// The interface's subnet is in another zone than the instance (`InvalidParameterCombination`).
    ZoneMismatch {
        /// The interface.
        id: EniId,
    },
    /// The instance has as many interfaces as its type allows (`AttachmentLimitExceeded`).
    EniLimit {
        /// The limit of the instance type.
        limit: u8,
    },
    /// The instance already has an interface at this device index.
    DeviceIndexInUse {
        /// The index.
        index: u8,
    },
    /// No instance with this id has a primary interface here.
    UnknownInstance {
        /// The id.
        id: InstanceId,
    },
    /// The instance already has a primary interface.
    InstanceExists {
        /// The id.
        id: InstanceId,
    },
    /// A fixed-capacity table of the network is full.
    Full {
        /// Which table.
        table: &'static str,
        /// Its capacity.
        capacity: usize,
    },
    /// The id generator is used up, or no unique MAC address could be drawn.
    IdsExhausted,
    /// A connection tracking timeout is outside the range EC2 allows.
    InvalidTimeout {
        /// The field, as the API names it.
        field: &'static str,
        /// Least seconds allowed.
        min: u32,
        /// Most seconds allowed.
        max: u32,
    },
    /// A packet names protocol 1, 6 or 17 without its ICMP or port fields.
    InvalidPacket,
}

impl fmt::Display for NetError {
    // One arm per variant; splitting it would only scatter the messages.
    #[allow(clippy::too_many_lines)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCidr(fault) => write!(f, "malformed CIDR block: {fault}"),
            Self::BadAddress(fault) => write!(f, "malformed IPv4 address: {fault}"),
            Self::ReversedPortRange { from, to } => {
                write!(
                    f,
                    "port range {from}-{to} runs backwards; give the lower port first"
                )
            }
            Self::DuplicateRule => f.write_str("the security group already has this rule"),
            Self::RuleNotFound => f.write_str("the security group has no such rule"),
            Self::RuleLimit { limit } => write!(
                f,
                "the security group already has {limit} rules in this direction (the quota)"
            ),
            Self::GroupLimit { limit } => write!(
                f,
                "a network interface takes at most {limit} security groups (the quota)"
            ),
            Self::InvalidQuota {
                groups_per_eni,
                rules_per_group,
            } => write!(
                f,
                "quotas of {groups_per_eni} groups per interface and {rules_per_group} rules per \
                 group are invalid: groups 1-16, rules at least 1, product at most 1000"
            ),
            Self::UnknownGroup { id } => write!(f, "security group {id} does not exist"),
            Self::InvalidGroupName => f.write_str(
                "security group name must be 1-255 characters of a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$* \
                 and not start with sg-",
            ),
            Self::DuplicateGroupName => {
                f.write_str("a security group with this name exists in the VPC")
            }
            Self::CannotDeleteDefault => {
                f.write_str("the default security group cannot be deleted")
            }
            Self::GroupInUse { id } => write!(
                f,
                "security group {id} is attached to an interface or referenced by another group"
            ),
            Self::RepeatedGroup { id } => write!(f, "security group {id} is listed twice"),
            Self::NoGroups => f.write_str("a network interface needs at least one security group"),
            Self::UnknownSubnet { id } => write!(f, "subnet {id} does not exist"),
            Self::SubnetOutsideVpc => f.write_str("the subnet's block is not inside the VPC's"),
            Self::SubnetOverlap => f.write_str("the subnet's block overlaps another subnet"),
            Self::SubnetSize { prefix } => {
                write!(f, "a subnet must be /16 to /28, not /{prefix}")
            }
            Self::InvalidZone => f.write_str("zone name must be 1-32 bytes"),
            Self::UnknownEni { id } => write!(f, "network interface {id} does not exist"),
            Self::AddressOutsideSubnet { addr } => {
                write!(f, "address {addr} is outside the subnet's block")
            }
            Self::AddressReserved { addr } => write!(
                f,
                "address {addr} is reserved (the first four and the last of a subnet are)"
            ),
            Self::AddressInUse { addr } => write!(f, "address {addr} is already assigned"),
            Self::SubnetFull => f.write_str("the subnet has no free address"),
            Self::AddressLimit { limit } => write!(
                f,
                "the interface already has {limit} private IPv4 addresses, the instance type's limit"
            ),
            Self::PrimaryAddress => f.write_str("the primary private address cannot be unassigned"),
            Self::AddressNotAssigned { addr } => {
                write!(f, "address {addr} is not assigned to the interface")
            }
            Self::EniInUse { id } => {
                write!(f, "network interface {id} is attached; detach it first")
            }
            Self::NotAttached { id } => write!(f, "network interface {id} is not attached"),
            Self::PrimaryDetach { id } => write!(
                f,
                "network interface {id} is the primary interface (device index 0) and cannot be \
                 detached"
            ),
            Self::ZoneMismatch { id } => write!(
                f,
                "network interface {id} is in another availability zone than the instance"
            ),
            Self::EniLimit { limit } => write!(
                f,
                "the instance already has {limit} network interfaces, its type's limit"
            ),
            Self::DeviceIndexInUse { index } => {
                write!(
                    f,
                    "the instance already has an interface at device index {index}"
                )
            }
            Self::UnknownInstance { id } => {
                write!(f, "instance {id} has no network interface here")
            }
            Self::InstanceExists { id } => {
                write!(f, "instance {id} already has a primary network interface")
            }
            Self::Full { table, capacity } => {
                write!(f, "the network holds at most {capacity} {table}")
            }
            Self::IdsExhausted => f.write_str("no fresh id or MAC address could be drawn"),
            Self::InvalidTimeout { field, min, max } => {
                write!(f, "{field} must be {min}-{max} seconds")
            }
            Self::InvalidPacket => f.write_str(
                "a packet of protocol 1, 6 or 17 must be given as ICMP, TCP or UDP with its fields",
            ),
        }
    }
}

impl core::error::Error for NetError {}

impl Error for NetError {
    fn code(&self) -> u32 {
        match self {
            Self::BadCidr(_) => 1800,
            Self::BadAddress(_) => 1801,
            Self::ReversedPortRange { .. } => 1802,
            Self::DuplicateRule => 1803,
            Self::RuleNotFound => 1804,
            Self::RuleLimit { .. } => 1805,
            Self::GroupLimit { .. } => 1806,
            Self::InvalidQuota { .. } => 1807,
            Self::UnknownGroup { .. } => 1808,
            Self::InvalidGroupName => 1809,
            Self::DuplicateGroupName => 1810,
            Self::CannotDeleteDefault => 1811,
            Self::GroupInUse { .. } => 1812,
            Self::RepeatedGroup { .. } => 1813,
            Self::NoGroups => 1814,
            Self::UnknownSubnet { .. } => 1815,
            Self::SubnetOutsideVpc => 1816,
            Self::SubnetOverlap => 1817,
            Self::SubnetSize { .. } => 1818,
            Self::InvalidZone => 1819,
            Self::UnknownEni { .. } => 1820,
            Self::AddressOutsideSubnet { .. } => 1821,
            Self::AddressReserved { .. } => 1822,
            Self::AddressInUse { .. } => 1823,
            Self::SubnetFull => 1824,
            Self::AddressLimit { .. } => 1825,
            Self::PrimaryAddress => 1826,
            Self::AddressNotAssigned { .. } => 1827,
            Self::EniInUse { .. } => 1828,
            Self::NotAttached { .. } => 1829,
            Self::PrimaryDetach { .. } => 1830,
            Self::ZoneMismatch { .. } => 1831,
            Self::EniLimit { .. } => 1832,
            Self::DeviceIndexInUse { .. } => 1833,
            Self::UnknownInstance { .. } => 1834,
            Self::InstanceExists { .. } => 1835,
            Self::Full { .. } => 1836,
            Self::IdsExhausted => 1837,
            Self::InvalidTimeout { .. } => 1838,
            Self::InvalidPacket => 1839,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::BadCidr(_) | Self::BadAddress(_) | Self::InvalidGroupName | Self::InvalidZone => {
                ErrorKind::Malformed
            }
            Self::ReversedPortRange { .. }
            | Self::DuplicateRule
            | Self::InvalidQuota { .. }
            | Self::DuplicateGroupName
            | Self::RepeatedGroup { .. }
            | Self::NoGroups
            | Self::SubnetOutsideVpc
            | Self::SubnetOverlap
            | Self::SubnetSize { .. }
            | Self::AddressOutsideSubnet { .. }
            | Self::AddressReserved { .. }
            | Self::AddressInUse { .. }
            | Self::ZoneMismatch { .. }
            | Self::DeviceIndexInUse { .. }
            | Self::InstanceExists { .. }
            | Self::InvalidTimeout { .. }
            | Self::InvalidPacket => ErrorKind::InvalidArgument,
            Self::RuleNotFound
            | Self::UnknownGroup { .. }
            | Self::UnknownSubnet { .. }
            | Self::UnknownEni { .. }
            | Self::AddressNotAssigned { .. }
            | Self::UnknownInstance { .. } => ErrorKind::NotFound,
            Self::RuleLimit { .. }
            | Self::GroupLimit { .. }
            | Self::SubnetFull
            | Self::AddressLimit { .. }
            | Self::EniLimit { .. }
            | Self::Full { .. }
            | Self::IdsExhausted => ErrorKind::CapacityExceeded,
            Self::CannotDeleteDefault
            | Self::GroupInUse { .. }
            | Self::PrimaryAddress
            | Self::EniInUse { .. }
            | Self::NotAttached { .. }
            | Self::PrimaryDetach { .. } => ErrorKind::InvalidState,
        }
    }
}
