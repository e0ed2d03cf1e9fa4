//! Security groups and their rules (SEMANTICS §6, `EC2-UG:security-group-rules`,
//! `EC2-UG:default-custom-security-groups`, `VPC-UG:amazon-vpc-limits`).
//!
//! A rule only allows: it names the traffic (all, TCP or UDP with a destination port range, ICMP
//! with a type and code, or another IP protocol number) and the peer (a CIDR block or a security
//! group). Inbound rules match the source of a packet, outbound rules its destination; in both
//! directions the port range is the destination port.
//!
//! Where we differ: IPv6 rules and prefix lists are not modelled (SEMANTICS §6 counts IPv6 rules
//! separately, so the IPv4 quota is the one that matters here), and rules carry no description.
use super::cidr::Ipv4Cidr;
use super::error::NetError;
use crate::id::SecurityGroupId;

/// Longest security group name (SEMANTICS §6).
pub const GROUP_NAME_MAX: usize = 255;
/// The service's default quota of security groups per network interface (SEMANTICS §6).
pub const DEFAULT_GROUPS_PER_ENI: u8 = 5;
/// The most the groups-per-interface quota can be raised to (SEMANTICS §6).
pub const MAX_GROUPS_PER_ENI: usize = 16;
/// The service's default quota of inbound (and, separately, outbound) rules per group.
pub const DEFAULT_RULES_PER_GROUP: u16 = 60;
/// Rules per group × groups per interface may not exceed this (SEMANTICS §6).
pub const RULES_TIMES_GROUPS_MAX: u32 = 1000;
/// The name of the VPC's default security group.
pub const DEFAULT_GROUP_NAME: &str = "default";

/// A security group name: 1–255 characters of `a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*`, not starting
/// with `sg-` (SEMANTICS §6).
pub type GroupName = heapless::String<GROUP_NAME_MAX>;

vocabulary! {
    /// The direction of a rule or packet, seen from the network interface.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Direction: "direction" {
        /// Into the interface (`ingress` in the API).
        Inbound = 0 => "inbound" | "ingress",
        /// Out of the interface (`egress` in the API).
        Outbound = 1 => "outbound" | "egress",
    }
}

impl Direction {
    /// The other direction.
    #[must_use]
    pub const fn reverse(self) -> Self {
        match self {
            Self::Inbound => Self::Outbound,
            Self::Outbound => Self::Inbound,
        }
    }
}

/// An inclusive range of destination ports; never backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(try_from = "(u16, u16)", into = "(u16, u16)")]
pub struct PortRange {
    from: u16,
    to: u16,
}

impl PortRange {
    /// Every port, 0–65535.
    pub const ALL: Self = Self {
        from: 0,
        to: u16::MAX,
    };

    /// Ports `from` to `to`, both included.
    ///
    /// # Errors
    /// [`NetError::ReversedPortRange`] if `from > to`.
    pub const fn new(from: u16, to: u16) -> Result<Self, NetError> {
        if from > to {
            return Err(NetError::ReversedPortRange { from, to });
        }
        Ok(Self { from, to })
    }

    /// The single port `port`.
    pub const fn single(port: u16) -> Self {
        Self {
            from: port,
            to: port,
        }
    }

    /// The first port.
    pub const fn from(self) -> u16 {
        self.from
    }

    /// The last port.
    pub const fn to(self) -> u16 {
        self.to
    }

    /// Whether `port` is in the range.
    pub const fn contains(self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }

    /// Whether this is 0–65535.
    pub const fn is_all(self) -> bool {
        self.from == 0 && self.to == u16::MAX
    }
}

impl TryFrom<(u16, u16)> for PortRange {
    type Error = NetError;
    fn try_from((from, to): (u16, u16)) -> Result<Self, NetError> {
        Self::new(from, to)
    }
}

impl From<PortRange> for (u16, u16) {
    fn from(r: PortRange) -> Self {
        (r.from, r.to)
    }
}

/// Which ICMP messages a rule allows (the API's type and code, where -1 means all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum IcmpMatch {
    /// Every type and code.
    Any,
    /// One type, every code.
    Type(u8),
    /// One type and one code.
    TypeCode(u8, u8),
}

impl IcmpMatch {
    /// Whether a message of this type and code matches.
    pub const fn matches(self, ty: u8, code: u8) -> bool {
        match self {
            Self::Any => true,
            Self::Type(t) => t == ty,
            Self::TypeCode(t, c) => t == ty && c == code,
        }
    }
}

/// What traffic a rule allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum Traffic {
    /// Every protocol and port (the API's protocol `-1`).
    All,
    /// TCP to these destination ports.
    Tcp(PortRange),
    /// UDP to these destination ports.
    Udp(PortRange),
    /// ICMP messages of these types and codes.
    Icmp(IcmpMatch),
    /// Every packet of this IP protocol number (no ports for protocols other than TCP and UDP).
    Protocol(u8),
}

vocabulary! {
    /// What a [`Traffic`] allows, without its ports, types or number: `fc_sg_rule.protocol` and
    /// the protocol names Python reads and writes (`-1` is the API's "all").
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum TrafficKind: "protocol" {
        /// [`Traffic::All`].
        All = 0 => "all" | "-1",
        /// [`Traffic::Tcp`].
        Tcp = 1 => "tcp",
        /// [`Traffic::Udp`].
        Udp = 2 => "udp",
        /// [`Traffic::Icmp`].
        Icmp = 3 => "icmp",
        /// [`Traffic::Protocol`]: an IP protocol by number.
        Number = 4 => "number",
    }
}

/// IP protocol numbers with their own rule form.
const ICMP: u8 = 1;
const TCP: u8 = 6;
const UDP: u8 = 17;

impl Traffic {
    /// The one spelling of this traffic: protocol numbers 1, 6 and 17 become ICMP, TCP and UDP
    /// with every type or port, as EC2 treats them.
    #[must_use]
    pub const fn canonical(self) -> Self {
        match self {
            Self::Protocol(ICMP) => Self::Icmp(IcmpMatch::Any),
            Self::Protocol(TCP) => Self::Tcp(PortRange::ALL),
            Self::Protocol(UDP) => Self::Udp(PortRange::ALL),
            other => other,
        }
    }

    /// What this traffic is, without its ports, types or number.
    pub const fn kind(self) -> TrafficKind {
        match self {
            Self::All => TrafficKind::All,
            Self::Tcp(_) => TrafficKind::Tcp,
            Self::Udp(_) => TrafficKind::Udp,
            Self::Icmp(_) => TrafficKind::Icmp,
            Self::Protocol(_) => TrafficKind::Number,
        }
    }

    /// The IP protocol number, or `None` for all protocols.
    pub const fn protocol_number(self) -> Option<u8> {
        match self {
            Self::All => None,
            Self::Tcp(_) => Some(TCP),
            Self::Udp(_) => Some(UDP),
            Self::Icmp(_) => Some(ICMP),
            Self::Protocol(n) => Some(n),
        }
    }
}

/// Who a rule allows: a CIDR block, or the private addresses of the interfaces carrying a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum Peer {
    /// Addresses in this block.
    Cidr(Ipv4Cidr),
    /// The private IPv4 addresses of every interface that carries this group. Referencing a
    /// group does not import its rules (SEMANTICS §6).
    Group(SecurityGroupId),
}

/// One allow rule: traffic and peer (source for inbound, destination for outbound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Rule {
    /// What is allowed.
    pub traffic: Traffic,
    /// From or to whom.
    pub peer: Peer,
}

impl Rule {
    /// A rule allowing `traffic` with `peer`.
    pub const fn new(traffic: Traffic, peer: Peer) -> Self {
        Self { traffic, peer }
    }

    /// All traffic with every IPv4 address (`0.0.0.0/0`, protocol `-1`).
    pub const ALL_ANYWHERE: Self = Self::new(Traffic::All, Peer::Cidr(Ipv4Cidr::ANY));

    /// TCP to `ports` with addresses in `cidr`.
    pub const fn tcp(ports: PortRange, cidr: Ipv4Cidr) -> Self {
        Self::new(Traffic::Tcp(ports), Peer::Cidr(cidr))
    }

    /// UDP to `ports` with addresses in `cidr`.
    pub const fn udp(ports: PortRange, cidr: Ipv4Cidr) -> Self {
        Self::new(Traffic::Udp(ports), Peer::Cidr(cidr))
    }

    /// ICMP messages matching `icmp` with addresses in `cidr`.
    pub const fn icmp(icmp: IcmpMatch, cidr: Ipv4Cidr) -> Self {
        Self::new(Traffic::Icmp(icmp), Peer::Cidr(cidr))
    }

    /// The same rule in its one spelling (see [`Traffic::canonical`]); duplicates are found by
    /// comparing canonical rules.
    #[must_use]
    pub const fn canonical(self) -> Self {
        Self {
            traffic: self.traffic.canonical(),
            peer: self.peer,
        }
    }
}

/// The quotas of SEMANTICS §6 that a caller may raise: groups per interface (5, up to 16) and
/// rules per group in each direction (60), with a product of at most 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(try_from = "(u8, u16)", into = "(u8, u16)")]
pub struct Quotas {
    groups_per_eni: u8,
    rules_per_group: u16,
}

impl Quotas {
    /// The service's defaults: 5 groups per interface, 60 rules per group and direction.
    pub const DEFAULT: Self = Self {
        groups_per_eni: DEFAULT_GROUPS_PER_ENI,
        rules_per_group: DEFAULT_RULES_PER_GROUP,
    };

    /// Raised or lowered quotas.
    ///
    /// # Errors
    /// [`NetError::InvalidQuota`] unless groups are 1–16, rules at least 1 and
    /// groups × rules ≤ 1000.
    pub const fn new(groups_per_eni: u8, rules_per_group: u16) -> Result<Self, NetError> {
        let product = (groups_per_eni as u32).saturating_mul(rules_per_group as u32);
        if groups_per_eni == 0
            || groups_per_eni as usize > MAX_GROUPS_PER_ENI
            || rules_per_group == 0
            || product > RULES_TIMES_GROUPS_MAX
        {
            return Err(NetError::InvalidQuota {
                groups_per_eni,
                rules_per_group,
            });
        }
        Ok(Self {
            groups_per_eni,
            rules_per_group,
        })
    }

    /// Security groups per network interface.
    pub const fn groups_per_eni(self) -> u8 {
        self.groups_per_eni
    }

    /// Rules per security group, in each direction.
    pub const fn rules_per_group(self) -> u16 {
        self.rules_per_group
    }
}

impl Default for Quotas {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<(u8, u16)> for Quotas {
    type Error = NetError;
    fn try_from((g, r): (u8, u16)) -> Result<Self, NetError> {
        Self::new(g, r)
    }
}

impl From<Quotas> for (u8, u16) {
    fn from(q: Quotas) -> Self {
        (q.groups_per_eni, q.rules_per_group)
    }
}

/// Checks a security group name against the rules of SEMANTICS §6 (except uniqueness).
///
/// # Errors
/// [`NetError::InvalidGroupName`].
pub fn validate_group_name(name: &str) -> Result<GroupName, NetError> {
    const EXTRA: &[u8] = b" ._-:/()#,@[]+=&;{}!$*";
    let ok = !name.is_empty()
        && !name.starts_with("sg-")
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || EXTRA.contains(&b));
    let mut out = GroupName::new();
    if !ok || out.push_str(name).is_err() {
        return Err(NetError::InvalidGroupName);
    }
    Ok(out)
}

/// A security group of one VPC with up to `R` rules in each direction.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecurityGroup<const R: usize> {
    pub(super) id: SecurityGroupId,
    pub(super) name: GroupName,
    pub(super) is_default: bool,
    pub(super) inbound: heapless::Vec<Rule, R>,
    pub(super) outbound: heapless::Vec<Rule, R>,
}

impl<const R: usize> SecurityGroup<R> {
    /// The group's id.
    pub fn id(&self) -> SecurityGroupId {
        self.id
    }

    /// The group's name.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// Whether this is the VPC's `default` group (which cannot be deleted).
    pub fn is_default(&self) -> bool {
        self.is_default
    }

    /// The rules of one direction, in the order they were added.
    pub fn rules(&self, direction: Direction) -> &[Rule] {
        match direction {
            Direction::Inbound => &self.inbound,
            Direction::Outbound => &self.outbound,
        }
    }

    pub(super) fn rules_mut(&mut self, direction: Direction) -> &mut heapless::Vec<Rule, R> {
        match direction {
            Direction::Inbound => &mut self.inbound,
            Direction::Outbound => &mut self.outbound,
        }
    }
}
