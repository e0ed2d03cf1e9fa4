//! Network interfaces and security groups (SEMANTICS §6): one VPC's subnets, elastic network
//! interfaces (ENIs) with their private IPv4 addresses and MAC addresses, attachments to
//! instances, security groups with allow-only rules, and stateful packet filtering with a
//! fixed-size connection tracking table.
//!
//! [`Network`] holds it all in caller-owned fixed capacity: `S` subnets, `E` interfaces of up to
//! `A` private addresses each, `G` security groups of up to `R` rules per direction, and `F`
//! tracked flows. Nothing allocates; a full table is an error ([`NetError::Full`]) and never a
//! silent drop. Every refused call leaves the network unchanged.
//!
//! What follows the service (SEMANTICS §6, `EC2-UG:using-eni`, `EC2-UG:security-group-rules`,
//! `EC2-UG:security-group-connection-tracking`, `EC2-UG:default-custom-security-groups`,
//! `VPC-UG:amazon-vpc-limits`):
//! - an instance's primary interface sits at device index 0 and cannot be detached; further
//!   interfaces must be in the instance's zone; an interface stays in its subnet; its addresses,
//!   groups, MAC and source/destination check (on by default) follow it between instances;
//!   `DeleteOnTermination` decides at termination whether it is deleted or becomes available;
//! - per-type limits on interfaces per instance and IPv4 addresses per interface come from the
//!   instance type ([`crate::catalog::InstanceType`]);
//! - security groups attach to interfaces; all rules of all groups of an interface are
//!   aggregated, the most permissive wins, everything else is denied; flows are tracked and their
//!   return traffic passes whatever the rules say; rule changes apply at once to new flows while
//!   tracked flows live out their timeouts; untracked flows are cut at once;
//! - a new group allows no inbound and all outbound traffic; the VPC's `default` group allows
//!   inbound traffic from itself and all outbound traffic and cannot be deleted; an interface
//!   created with no group gets the default group.
//!
//! Model (where the service publishes no rule):
//! - A [`Network`] is one VPC. Its id, subnet ids, interface ids and MAC addresses come from one
//!   seeded [`IdGenerator`], so the same calls give the same ids on every target.
//! - Private addresses are handed out lowest-free-first from the subnet's block, skipping the
//!   five addresses AWS reserves (the first four and the last).
//! - MAC addresses are drawn from the generator with the locally administered bit set and the
//!   multicast bit clear (`02:…`, `06:…`, `0a:…` like EC2's), and redrawn on a clash.
//! - An instance is known here by its primary interface: [`Network::launch`] creates and attaches
//!   it; the instance type's limits are recorded on the attachment.
//! - Outbound TCP to port 25 is denied by default, as EC2 throttles it; lift it with
//!   [`Network::set_port25_open`] (EC2's "remove email sending limitations" request).
//! - Source/destination check: with it on, an interface only sends packets from and receives
//!   packets to its own private addresses ([`Denial::SourceDestCheck`]).
//! - Connection tracking: see [`FlowTable`] and [`TrackingTimeouts`] for timeouts and the full-table
//!   policy.

mod cidr;
mod conntrack;
mod eni;
mod error;
mod filter;
mod sg;

pub use cidr::{CidrFault, Ipv4Cidr, parse_ipv4};
pub use conntrack::{Flow, FlowKey, FlowTable, ICMP_TIMEOUT, OTHER_TIMEOUT, TrackingTimeouts};
pub use eni::{Attachment, MacAddress, NetworkInterface, Terminated};
pub use error::NetError;
pub use filter::{Allowance, Denial, Packet, RuleRef, Transport, Verdict, VerdictReason};
pub use sg::{
    DEFAULT_GROUP_NAME, DEFAULT_GROUPS_PER_ENI, DEFAULT_RULES_PER_GROUP, Direction, GROUP_NAME_MAX,
    GroupName, IcmpMatch, MAX_GROUPS_PER_ENI, Peer, PortRange, Quotas, RULES_TIMES_GROUPS_MAX,
    Rule, SecurityGroup, Traffic, TrafficKind, validate_group_name,
};

use crate::id::{IdGenerator, IdKind, SecurityGroupId};
use crate::zone::{ZONE_NAME_MAX, ZoneName};

/// Virtual private clouds (`vpc-`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Vpc {}
impl IdKind for Vpc {
    const PREFIX: &'static str = "vpc-";
}
/// An id of the form `vpc-0123456789abcdef0`.
pub type VpcId = crate::id::Id<Vpc>;

/// Subnets (`subnet-`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Subnet {}
impl IdKind for Subnet {
    const PREFIX: &'static str = "subnet-";
}
/// An id of the form `subnet-0123456789abcdef0`.
pub type SubnetId = crate::id::Id<Subnet>;

vocabulary! {
    /// Which kind of network id a handle is (`fc_net_id_format`'s `kind`), spelled as the id's
    /// prefix.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum NetIdKind: "network id kind" {
        /// A [`SubnetId`].
        Subnet = 0 => "subnet",
        /// A [`SecurityGroupId`].
        SecurityGroup = 1 => "sg",
        /// An [`EniId`](crate::id::EniId).
        NetworkInterface = 2 => "eni",
    }
}

/// The smallest subnet or VPC prefix (largest block) EC2 allows.
pub const MIN_PREFIX: u8 = 16;
/// The largest subnet or VPC prefix (smallest block) EC2 allows.
pub const MAX_PREFIX: u8 = 28;
/// Addresses a subnet reserves at its start (network, router, DNS, future use).
pub const RESERVED_AT_START: u32 = 4;

/// A subnet: a block inside the VPC's, in one zone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubnetInfo {
    id: SubnetId,
    cidr: Ipv4Cidr,
    zone: ZoneName,
}

impl SubnetInfo {
    /// The subnet's id.
    pub fn id(&self) -> SubnetId {
        self.id
    }

    /// The subnet's block.
    pub fn cidr(&self) -> Ipv4Cidr {
        self.cidr
    }

    /// The subnet's zone.
    pub fn zone(&self) -> &str {
        self.zone.as_str()
    }

    /// The first address handed out (the fifth of the block).
    fn first_usable(&self) -> u32 {
        self.cidr
            .network()
            .to_bits()
            .saturating_add(RESERVED_AT_START)
    }

    /// The last address handed out (the one before the broadcast address).
    fn last_usable(&self) -> u32 {
        self.cidr.last().to_bits().saturating_sub(1)
    }
}

/// One VPC's subnets, interfaces, security groups and tracked flows, in fixed capacity.
///
/// `S` subnets, `E` network interfaces of up to `A` private IPv4 addresses each, `G` security
/// groups (the default group included) of up to `R` rules per direction, `F` tracked flows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Network<
    const S: usize,
    const E: usize,
    const A: usize,
    const G: usize,
    const R: usize,
    const F: usize,
> {
    vpc: VpcId,
    cidr: Ipv4Cidr,
    quotas: Quotas,
    port25_open: bool,
    default_group: SecurityGroupId,
    subnets: heapless::Vec<SubnetInfo, S>,
    groups: heapless::Vec<SecurityGroup<R>, G>,
    enis: heapless::Vec<NetworkInterface<A>, E>,
    flows: FlowTable<F>,
    ids: IdGenerator,
}

impl<const S: usize, const E: usize, const A: usize, const G: usize, const R: usize, const F: usize>
    Network<S, E, A, G, R, F>
{
    /// A VPC with block `cidr` and its `default` security group; ids come from `seed`.
    ///
    /// # Errors
    /// [`NetError::SubnetSize`] unless `cidr` is /16 to /28; [`NetError::Full`] if `G` or `R`
    /// is 0 (the default group needs a slot and a rule in each direction).
    pub fn new(cidr: Ipv4Cidr, quotas: Quotas, seed: u64) -> Result<Self, NetError> {
        if !(MIN_PREFIX..=MAX_PREFIX).contains(&cidr.prefix()) {
            return Err(NetError::SubnetSize {
                prefix: cidr.prefix(),
            });
        }
        let mut ids = IdGenerator::new(seed);
        let vpc = ids.next_id().map_err(|_| NetError::IdsExhausted)?;
        let default_group: SecurityGroupId = ids.next_id().map_err(|_| NetError::IdsExhausted)?;
        let mut inbound = heapless::Vec::new();
        let mut outbound = heapless::Vec::new();
        let rules_full = NetError::Full {
            table: "rules per security group and direction",
            capacity: R,
        };
        inbound
            .push(Rule::new(Traffic::All, Peer::Group(default_group)))
            .map_err(|_| rules_full)?;
        outbound.push(Rule::ALL_ANYWHERE).map_err(|_| rules_full)?;
        let mut name = GroupName::new();
        name.push_str(DEFAULT_GROUP_NAME)
            .map_err(|_| NetError::InvalidGroupName)?;
        let mut groups = heapless::Vec::new();
        groups
            .push(SecurityGroup {
                id: default_group,
                name,
                is_default: true,
                inbound,
                outbound,
            })
            .map_err(|_| NetError::Full {
                table: "security groups",
                capacity: G,
            })?;
        Ok(Self {
            vpc,
            cidr,
            quotas,
            port25_open: false,
            default_group,
            subnets: heapless::Vec::new(),
            groups,
            enis: heapless::Vec::new(),
            flows: FlowTable::new(),
            ids,
        })
    }

    /// The VPC's id.
    pub fn vpc_id(&self) -> VpcId {
        self.vpc
    }

    /// The VPC's block.
    pub fn cidr(&self) -> Ipv4Cidr {
        self.cidr
    }

    /// The quotas in force.
    pub fn quotas(&self) -> Quotas {
        self.quotas
    }

    /// The id generator's state (save it to resume without repeats).
    pub fn ids(&self) -> IdGenerator {
        self.ids
    }

    /// Whether outbound TCP to port 25 is allowed through to the rules.
    pub fn port25_open(&self) -> bool {
        self.port25_open
    }

    /// Lifts (or restores) EC2's default block of outbound TCP port 25. Tracked flows are not
    /// affected by the block itself; it is checked before them on every outbound packet.
    pub fn set_port25_open(&mut self, open: bool) {
        self.port25_open = open;
    }

    // ---- subnets ----

    /// `CreateSubnet`: a block inside the VPC's, /16 to /28, overlapping no other subnet.
    ///
    /// # Errors
    /// [`NetError::SubnetSize`], [`NetError::SubnetOutsideVpc`], [`NetError::SubnetOverlap`],
    /// [`NetError::InvalidZone`], [`NetError::Full`], [`NetError::IdsExhausted`].
    pub fn create_subnet(&mut self, cidr: Ipv4Cidr, zone: &str) -> Result<SubnetId, NetError> {
        if !(MIN_PREFIX..=MAX_PREFIX).contains(&cidr.prefix()) {
            return Err(NetError::SubnetSize {
                prefix: cidr.prefix(),
            });
        }
        if !cidr.is_within(self.cidr) {
            return Err(NetError::SubnetOutsideVpc);
        }
        if self.subnets.iter().any(|s| s.cidr.overlaps(cidr)) {
            return Err(NetError::SubnetOverlap);
        }
        let mut zone_name = ZoneName::new();
        if zone.is_empty() || zone.len() > ZONE_NAME_MAX || zone_name.push_str(zone).is_err() {
            return Err(NetError::InvalidZone);
        }
        if self.subnets.is_full() {
            return Err(NetError::Full {
                table: "subnets",
                capacity: S,
            });
        }
        let mut ids = self.ids;
        let id = ids.next_id().map_err(|_| NetError::IdsExhausted)?;
        self.subnets
            .push(SubnetInfo {
                id,
                cidr,
                zone: zone_name,
            })
            .map_err(|_| NetError::Full {
                table: "subnets",
                capacity: S,
            })?;
        self.ids = ids;
        Ok(id)
    }

    /// A subnet by id.
    ///
    /// # Errors
    /// [`NetError::UnknownSubnet`].
    pub fn subnet(&self, id: SubnetId) -> Result<&SubnetInfo, NetError> {
        self.subnets
            .iter()
            .find(|s| s.id == id)
            .ok_or(NetError::UnknownSubnet { id })
    }

    /// Every subnet, in creation order.
    pub fn subnets(&self) -> impl Iterator<Item = &SubnetInfo> {
        self.subnets.iter()
    }

    // ---- security groups ----

    /// The VPC's `default` security group.
    pub fn default_security_group(&self) -> SecurityGroupId {
        self.default_group
    }

    /// A security group by id.
    ///
    /// # Errors
    /// [`NetError::UnknownGroup`].
    pub fn security_group(&self, id: SecurityGroupId) -> Result<&SecurityGroup<R>, NetError> {
        self.groups
            .iter()
            .find(|g| g.id == id)
            .ok_or(NetError::UnknownGroup { id })
    }

    /// Every security group, the default group first.
    pub fn security_groups(&self) -> impl Iterator<Item = &SecurityGroup<R>> {
        self.groups.iter()
    }

    /// A group by name.
    pub fn security_group_by_name(&self, name: &str) -> Option<&SecurityGroup<R>> {
        self.groups.iter().find(|g| g.name.as_str() == name)
    }

    /// `CreateSecurityGroup`: a group with no inbound rule and one outbound rule allowing all
    /// traffic to `0.0.0.0/0`.
    ///
    /// # Errors
    /// [`NetError::InvalidGroupName`], [`NetError::DuplicateGroupName`], [`NetError::Full`],
    /// [`NetError::IdsExhausted`].
    pub fn create_security_group(&mut self, name: &str) -> Result<SecurityGroupId, NetError> {
        let name = validate_group_name(name)?;
        if self.groups.iter().any(|g| g.name == name) {
            return Err(NetError::DuplicateGroupName);
        }
        let full = NetError::Full {
            table: "security groups",
            capacity: G,
        };
        if self.groups.is_full() {
            return Err(full);
        }
        let mut outbound = heapless::Vec::new();
        outbound
            .push(Rule::ALL_ANYWHERE)
            .map_err(|_| NetError::Full {
                table: "rules per security group and direction",
                capacity: R,
            })?;
        let mut ids = self.ids;
        let id = ids.next_id().map_err(|_| NetError::IdsExhausted)?;
        self.groups
            .push(SecurityGroup {
                id,
                name,
                is_default: false,
                inbound: heapless::Vec::new(),
                outbound,
            })
            .map_err(|_| full)?;
        self.ids = ids;
        Ok(id)
    }

    /// `DeleteSecurityGroup`.
    ///
    /// # Errors
    /// [`NetError::UnknownGroup`]; [`NetError::CannotDeleteDefault`] for the default group;
    /// [`NetError::GroupInUse`] while an interface carries it or another group's rule names it.
    pub fn delete_security_group(&mut self, id: SecurityGroupId) -> Result<(), NetError> {
        let group = self.security_group(id)?;
        if group.is_default {
            return Err(NetError::CannotDeleteDefault);
        }
        let attached = self.enis.iter().any(|e| e.groups.contains(&id));
        let referenced = self.groups.iter().filter(|g| g.id != id).any(|g| {
            g.inbound
                .iter()
                .chain(g.outbound.iter())
                .any(|r| r.peer == Peer::Group(id))
        });
        if attached || referenced {
            return Err(NetError::GroupInUse { id });
        }
        self.groups.retain(|g| g.id != id);
        Ok(())
    }

    /// `AuthorizeSecurityGroupIngress` / `Egress`: adds one rule. Takes effect at once for new
    /// flows.
    ///
    /// # Errors
    /// [`NetError::UnknownGroup`] (the group, or the group the rule references),
    /// [`NetError::DuplicateRule`], [`NetError::RuleLimit`] at the quota, [`NetError::Full`]
    /// when `R` rules are stored.
    pub fn authorize(
        &mut self,
        group: SecurityGroupId,
        direction: Direction,
        rule: Rule,
    ) -> Result<(), NetError> {
        let rule = rule.canonical();
        if let Peer::Group(other) = rule.peer {
            self.security_group(other)?;
        }
        let limit = self.quotas.rules_per_group();
        let g = self
            .groups
            .iter_mut()
            .find(|g| g.id == group)
            .ok_or(NetError::UnknownGroup { id: group })?;
        let rules = g.rules_mut(direction);
        if rules.contains(&rule) {
            return Err(NetError::DuplicateRule);
        }
        if rules.len() >= usize::from(limit) {
            return Err(NetError::RuleLimit { limit });
        }
        rules.push(rule).map_err(|_| NetError::Full {
            table: "rules per security group and direction",
            capacity: R,
        })
    }

    /// `RevokeSecurityGroupIngress` / `Egress`: removes one rule. New flows see the change at
    /// once; tracked flows live on until their timeout, untracked ones are cut.
    ///
    /// # Errors
    /// [`NetError::UnknownGroup`], [`NetError::RuleNotFound`].
    pub fn revoke(
        &mut self,
        group: SecurityGroupId,
        direction: Direction,
        rule: Rule,
    ) -> Result<(), NetError> {
        let rule = rule.canonical();
        let g = self
            .groups
            .iter_mut()
            .find(|g| g.id == group)
            .ok_or(NetError::UnknownGroup { id: group })?;
        let rules = g.rules_mut(direction);
        let at = rules
            .iter()
            .position(|r| *r == rule)
            .ok_or(NetError::RuleNotFound)?;
        rules.remove(at);
        Ok(())
    }

    // ---- connection tracking ----

    /// The tracked flows, live or expired but not yet removed.
    pub fn flows(&self) -> &FlowTable<F> {
        &self.flows
    }

    /// Removes the flows that expired by `now`; returns how many. Optional: expired flows are
    /// ignored and their slots reused without it.
    pub fn expire_flows(&mut self, now: crate::time::Instant) -> usize {
        self.flows.expire(now)
    }
}

#[cfg(test)]
mod tests;
