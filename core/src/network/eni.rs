//! Elastic network interfaces: private addresses, MAC addresses, security groups, attachment to
//! instances and what termination does to them (SEMANTICS §6, `EC2-UG:using-eni`).

use core::fmt;
use core::net::Ipv4Addr;

use super::conntrack::TrackingTimeouts;
use super::error::NetError;
use super::sg::MAX_GROUPS_PER_ENI;
use super::{Network, SubnetId, SubnetInfo};
use crate::catalog::InstanceType;
use crate::id::{EniId, IdGenerator, InstanceId, SecurityGroupId};

/// How many times a MAC address is redrawn after a clash before giving up.
const MAC_DRAWS: usize = 16;

/// A 48-bit MAC address, printed as EC2 does (`0a:1b:2c:3d:4e:5f`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct MacAddress(pub [u8; 6]);

impl MacAddress {
    /// A locally administered unicast address made from the low 48 bits of `value`: the
    /// multicast bit is cleared and the locally administered bit set, as EC2's are.
    pub const fn local_from(value: u64) -> Self {
        let b = value.to_be_bytes();
        Self([(b[2] & 0xFC) | 0x02, b[3], b[4], b[5], b[6], b[7]])
    }

    /// The six octets.
    pub const fn octets(self) -> [u8; 6] {
        self.0
    }

    /// Whether the locally administered bit is set.
    pub const fn is_local(self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// Whether the multicast bit is set.
    pub const fn is_multicast(self) -> bool {
        self.0[0] & 0x01 != 0
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, octet) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{octet:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An interface's attachment to an instance, with the instance type's limits it was made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    /// The instance.
    pub instance: InstanceId,
    /// The device index; 0 is the primary interface.
    pub device_index: u8,
    /// Whether terminating the instance deletes the interface.
    pub delete_on_termination: bool,
    /// The instance type's most network interfaces.
    pub max_enis: u8,
    /// The instance type's most private IPv4 addresses per interface.
    pub ipv4_per_eni: u8,
}

/// An elastic network interface holding up to `A` private IPv4 addresses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NetworkInterface<const A: usize> {
    pub(super) id: EniId,
    pub(super) subnet: SubnetId,
    pub(super) mac: MacAddress,
    pub(super) addrs: heapless::Vec<Ipv4Addr, A>,
    pub(super) groups: heapless::Vec<SecurityGroupId, MAX_GROUPS_PER_ENI>,
    pub(super) source_dest_check: bool,
    pub(super) timeouts: TrackingTimeouts,
    pub(super) attachment: Option<Attachment>,
}

impl<const A: usize> NetworkInterface<A> {
    /// The interface's id.
    pub fn id(&self) -> EniId {
        self.id
    }

    /// The subnet it was created in and stays in.
    pub fn subnet(&self) -> SubnetId {
        self.subnet
    }

    /// Its MAC address.
    pub fn mac(&self) -> MacAddress {
        self.mac
    }

    /// Its primary private IPv4 address.
    pub fn primary_address(&self) -> Option<Ipv4Addr> {
        self.addrs.first().copied()
    }

    /// Every private IPv4 address, the primary first.
    pub fn addresses(&self) -> &[Ipv4Addr] {
        &self.addrs
    }

    /// Its security groups.
    pub fn security_groups(&self) -> &[SecurityGroupId] {
        &self.groups
    }

    /// Whether the source/destination check is on (the default).
    pub fn source_dest_check(&self) -> bool {
        self.source_dest_check
    }

    /// Its connection tracking timeouts.
    pub fn tracking_timeouts(&self) -> TrackingTimeouts {
        self.timeouts
    }

    /// Its attachment, or `None` while it is available.
    pub fn attachment(&self) -> Option<&Attachment> {
        self.attachment.as_ref()
    }

    /// `in-use` or `available`.
    pub fn status(&self) -> &'static str {
        if self.attachment.is_some() {
            "in-use"
        } else {
            "available"
        }
    }

    fn attached_to(&self, instance: InstanceId) -> bool {
        self.attachment.is_some_and(|a| a.instance == instance)
    }
}

/// What terminating an instance did to its interfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Terminated {
    /// Interfaces deleted (`DeleteOnTermination` true).
    pub deleted: usize,
    /// Interfaces detached and now available with their attributes.
    pub detached: usize,
}

impl<const S: usize, const E: usize, const A: usize, const G: usize, const R: usize, const F: usize>
    Network<S, E, A, G, R, F>
{
    /// A network interface by id.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`].
    pub fn network_interface(&self, id: EniId) -> Result<&NetworkInterface<A>, NetError> {
        self.enis
            .iter()
            .find(|e| e.id == id)
            .ok_or(NetError::UnknownEni { id })
    }

    /// Every network interface, in creation order.
    pub fn network_interfaces(&self) -> impl Iterator<Item = &NetworkInterface<A>> {
        self.enis.iter()
    }

    /// The interfaces attached to `instance`.
    pub fn instance_interfaces(
        &self,
        instance: InstanceId,
    ) -> impl Iterator<Item = &NetworkInterface<A>> {
        self.enis.iter().filter(move |e| e.attached_to(instance))
    }

    pub(super) fn eni_mut(&mut self, id: EniId) -> Result<&mut NetworkInterface<A>, NetError> {
        self.enis
            .iter_mut()
            .find(|e| e.id == id)
            .ok_or(NetError::UnknownEni { id })
    }

    /// The primary attachment of `instance`: its limits, and the zone of its primary interface.
    fn instance_primary(&self, instance: InstanceId) -> Result<(Attachment, &str), NetError> {
        let (eni, att) = self
            .enis
            .iter()
            .find_map(|e| {
                e.attachment
                    .filter(|a| a.instance == instance && a.device_index == 0)
                    .map(|a| (e, a))
            })
            .ok_or(NetError::UnknownInstance { id: instance })?;
        Ok((att, self.subnet(eni.subnet)?.zone()))
    }

    /// Checks a list of groups for an interface; an empty list means the default group when
    /// `default_if_empty`.
    fn group_list(
        &self,
        groups: &[SecurityGroupId],
        default_if_empty: bool,
    ) -> Result<heapless::Vec<SecurityGroupId, MAX_GROUPS_PER_ENI>, NetError> {
        let mut out = heapless::Vec::new();
        if groups.is_empty() {
            if !default_if_empty {
                return Err(NetError::NoGroups);
            }
            out.push(self.default_group)
                .map_err(|_| NetError::NoGroups)?;
            return Ok(out);
        }
        let limit = self.quotas.groups_per_eni();
        if groups.len() > usize::from(limit) {
            return Err(NetError::GroupLimit { limit });
        }
        for &id in groups {
            self.security_group(id)?;
            if out.contains(&id) {
                return Err(NetError::RepeatedGroup { id });
            }
            out.push(id).map_err(|_| NetError::GroupLimit { limit })?;
        }
        Ok(out)
    }

    fn address_taken(&self, addr: Ipv4Addr) -> bool {
        self.enis.iter().any(|e| e.addrs.contains(&addr))
    }

    /// An address for a new assignment in `subnet`: the requested one after checks, or the
    /// lowest free one.
    fn pick_address(
        &self,
        subnet: &SubnetInfo,
        requested: Option<Ipv4Addr>,
    ) -> Result<Ipv4Addr, NetError> {
        let first = subnet.first_usable();
        let last = subnet.last_usable();
        if let Some(addr) = requested {
            if !subnet.cidr().contains(addr) {
                return Err(NetError::AddressOutsideSubnet { addr });
            }
            let bits = addr.to_bits();
            if bits < first || bits > last {
                return Err(NetError::AddressReserved { addr });
            }
            if self.address_taken(addr) {
                return Err(NetError::AddressInUse { addr });
            }
            return Ok(addr);
        }
        (first..=last)
            .map(Ipv4Addr::from_bits)
            .find(|a| !self.address_taken(*a))
            .ok_or(NetError::SubnetFull)
    }

    /// A MAC address no interface has, drawn from `ids`.
    fn draw_mac(&self, ids: &mut IdGenerator) -> Result<MacAddress, NetError> {
        for _ in 0..MAC_DRAWS {
            let mac = MacAddress::local_from(ids.next_u64().map_err(|_| NetError::IdsExhausted)?);
            if !self.enis.iter().any(|e| e.mac == mac) {
                return Ok(mac);
            }
        }
        Err(NetError::IdsExhausted)
    }

    /// `CreateNetworkInterface` in `subnet`, with `private_ip` or the lowest free address, and
    /// `groups` (none means the VPC's default group). Source/destination check is on.
    ///
    /// # Errors
    /// [`NetError::UnknownSubnet`], [`NetError::UnknownGroup`], [`NetError::GroupLimit`],
    /// [`NetError::RepeatedGroup`], [`NetError::AddressOutsideSubnet`],
    /// [`NetError::AddressReserved`], [`NetError::AddressInUse`], [`NetError::SubnetFull`],
    /// [`NetError::Full`], [`NetError::IdsExhausted`].
    pub fn create_network_interface(
        &mut self,
        subnet: SubnetId,
        private_ip: Option<Ipv4Addr>,
        groups: &[SecurityGroupId],
    ) -> Result<EniId, NetError> {
        let info = self.subnet(subnet)?;
        let groups = self.group_list(groups, true)?;
        let addr = self.pick_address(info, private_ip)?;
        let full = NetError::Full {
            table: "network interfaces",
            capacity: E,
        };
        if self.enis.is_full() {
            return Err(full);
        }
        let mut addrs = heapless::Vec::new();
        addrs.push(addr).map_err(|_| NetError::Full {
            table: "private IPv4 addresses per interface",
            capacity: A,
        })?;
        let mut ids = self.ids;
        let id = ids.next_id().map_err(|_| NetError::IdsExhausted)?;
        let mac = self.draw_mac(&mut ids)?;
        self.enis
            .push(NetworkInterface {
                id,
                subnet,
                mac,
                addrs,
                groups,
                source_dest_check: true,
                timeouts: TrackingTimeouts::DEFAULT,
                attachment: None,
            })
            .map_err(|_| full)?;
        self.ids = ids;
        Ok(id)
    }

    /// `DeleteNetworkInterface`; its tracked flows go with it.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`]; [`NetError::EniInUse`] while attached.
    pub fn delete_network_interface(&mut self, id: EniId) -> Result<(), NetError> {
        if self.network_interface(id)?.attachment.is_some() {
            return Err(NetError::EniInUse { id });
        }
        self.enis.retain(|e| e.id != id);
        self.flows.forget(id);
        Ok(())
    }

    /// `AssignPrivateIpAddresses` (one address): `addr` or the lowest free one of the subnet.
    /// An attached interface is held to its instance type's limit, an available one to `A`.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`], [`NetError::AddressLimit`], [`NetError::Full`], and the address
    /// errors of [`Network::create_network_interface`].
    pub fn assign_private_ip(
        &mut self,
        id: EniId,
        addr: Option<Ipv4Addr>,
    ) -> Result<Ipv4Addr, NetError> {
        let eni = self.network_interface(id)?;
        if let Some(att) = eni.attachment
            && eni.addrs.len() >= usize::from(att.ipv4_per_eni)
        {
            return Err(NetError::AddressLimit {
                limit: att.ipv4_per_eni,
            });
        }
        if eni.addrs.is_full() {
            return Err(NetError::Full {
                table: "private IPv4 addresses per interface",
                capacity: A,
            });
        }
        let addr = self.pick_address(self.subnet(eni.subnet)?, addr)?;
        self.eni_mut(id)?
            .addrs
            .push(addr)
            .map_err(|_| NetError::Full {
                table: "private IPv4 addresses per interface",
                capacity: A,
            })?;
        Ok(addr)
    }

    /// `UnassignPrivateIpAddresses` (one secondary address).
    ///
    /// # Errors
    /// [`NetError::UnknownEni`], [`NetError::PrimaryAddress`], [`NetError::AddressNotAssigned`].
    pub fn unassign_private_ip(&mut self, id: EniId, addr: Ipv4Addr) -> Result<(), NetError> {
        let eni = self.eni_mut(id)?;
        match eni.addrs.iter().position(|a| *a == addr) {
            Some(0) => Err(NetError::PrimaryAddress),
            Some(at) => {
                eni.addrs.remove(at);
                Ok(())
            }
            None => Err(NetError::AddressNotAssigned { addr }),
        }
    }

    /// `ModifyNetworkInterfaceAttribute` `groupSet`: replaces the interface's groups. Tracked
    /// flows live on.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`], [`NetError::NoGroups`], [`NetError::GroupLimit`],
    /// [`NetError::UnknownGroup`], [`NetError::RepeatedGroup`].
    pub fn set_security_groups(
        &mut self,
        id: EniId,
        groups: &[SecurityGroupId],
    ) -> Result<(), NetError> {
        self.network_interface(id)?;
        let groups = self.group_list(groups, false)?;
        self.eni_mut(id)?.groups = groups;
        Ok(())
    }

    /// `ModifyNetworkInterfaceAttribute` `sourceDestCheck`.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`].
    pub fn set_source_dest_check(&mut self, id: EniId, on: bool) -> Result<(), NetError> {
        self.eni_mut(id)?.source_dest_check = on;
        Ok(())
    }

    /// `ModifyNetworkInterfaceAttribute` `connectionTrackingSpecification`: applies to flows from
    /// their next packet.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`].
    pub fn set_tracking_timeouts(
        &mut self,
        id: EniId,
        timeouts: TrackingTimeouts,
    ) -> Result<(), NetError> {
        self.eni_mut(id)?.timeouts = timeouts;
        Ok(())
    }

    /// `RunInstances` networking: creates the primary interface of `instance` in `subnet`
    /// (with `private_ip` or the lowest free address, and `groups` or the default group) and
    /// attaches it at device index 0 with `DeleteOnTermination` on.
    ///
    /// # Errors
    /// [`NetError::InstanceExists`] if the instance already has a primary interface, and the
    /// errors of [`Network::create_network_interface`].
    pub fn launch(
        &mut self,
        instance: InstanceId,
        itype: &InstanceType,
        subnet: SubnetId,
        private_ip: Option<Ipv4Addr>,
        groups: &[SecurityGroupId],
    ) -> Result<EniId, NetError> {
        if self.instance_primary(instance).is_ok() {
            return Err(NetError::InstanceExists { id: instance });
        }
        let id = self.create_network_interface(subnet, private_ip, groups)?;
        let att = Attachment {
            instance,
            device_index: 0,
            delete_on_termination: true,
            max_enis: itype.max_enis,
            ipv4_per_eni: itype.ipv4_per_eni,
        };
        self.eni_mut(id)?.attachment = Some(att);
        Ok(id)
    }

    /// `RunInstances` with an existing interface as the primary (device index 0).
    ///
    /// # Errors
    /// [`NetError::InstanceExists`], [`NetError::UnknownEni`], [`NetError::EniInUse`],
    /// [`NetError::AddressLimit`] if it holds more addresses than the type allows.
    pub fn launch_with_interface(
        &mut self,
        instance: InstanceId,
        itype: &InstanceType,
        eni: EniId,
        delete_on_termination: bool,
    ) -> Result<(), NetError> {
        if self.instance_primary(instance).is_ok() {
            return Err(NetError::InstanceExists { id: instance });
        }
        let e = self.network_interface(eni)?;
        if e.attachment.is_some() {
            return Err(NetError::EniInUse { id: eni });
        }
        if e.addrs.len() > usize::from(itype.ipv4_per_eni) {
            return Err(NetError::AddressLimit {
                limit: itype.ipv4_per_eni,
            });
        }
        self.eni_mut(eni)?.attachment = Some(Attachment {
            instance,
            device_index: 0,
            delete_on_termination,
            max_enis: itype.max_enis,
            ipv4_per_eni: itype.ipv4_per_eni,
        });
        Ok(())
    }

    /// `AttachNetworkInterface`: attaches an available interface to a launched instance at a
    /// free device index other than 0.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`], [`NetError::EniInUse`], [`NetError::UnknownInstance`],
    /// [`NetError::DeviceIndexInUse`] (index 0 is always the primary's),
    /// [`NetError::ZoneMismatch`], [`NetError::EniLimit`], [`NetError::AddressLimit`].
    pub fn attach(
        &mut self,
        instance: InstanceId,
        eni: EniId,
        device_index: u8,
        delete_on_termination: bool,
    ) -> Result<(), NetError> {
        let e = self.network_interface(eni)?;
        if e.attachment.is_some() {
            return Err(NetError::EniInUse { id: eni });
        }
        let (primary, zone) = self.instance_primary(instance)?;
        if self.instance_interfaces(instance).any(|other| {
            other
                .attachment
                .is_some_and(|a| a.device_index == device_index)
        }) {
            return Err(NetError::DeviceIndexInUse {
                index: device_index,
            });
        }
        if self.subnet(e.subnet)?.zone() != zone {
            return Err(NetError::ZoneMismatch { id: eni });
        }
        if self.instance_interfaces(instance).count() >= usize::from(primary.max_enis) {
            return Err(NetError::EniLimit {
                limit: primary.max_enis,
            });
        }
        if e.addrs.len() > usize::from(primary.ipv4_per_eni) {
            return Err(NetError::AddressLimit {
                limit: primary.ipv4_per_eni,
            });
        }
        self.eni_mut(eni)?.attachment = Some(Attachment {
            instance,
            device_index,
            delete_on_termination,
            ..primary
        });
        Ok(())
    }

    /// `DetachNetworkInterface`: the interface becomes available with all its attributes.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`], [`NetError::NotAttached`], [`NetError::PrimaryDetach`].
    pub fn detach(&mut self, id: EniId) -> Result<(), NetError> {
        let eni = self.eni_mut(id)?;
        match eni.attachment {
            None => Err(NetError::NotAttached { id }),
            Some(a) if a.device_index == 0 => Err(NetError::PrimaryDetach { id }),
            Some(_) => {
                eni.attachment = None;
                Ok(())
            }
        }
    }

    /// `ModifyNetworkInterfaceAttribute` `attachment.DeleteOnTermination`.
    ///
    /// # Errors
    /// [`NetError::UnknownEni`], [`NetError::NotAttached`].
    pub fn set_delete_on_termination(&mut self, id: EniId, delete: bool) -> Result<(), NetError> {
        let att = self
            .eni_mut(id)?
            .attachment
            .as_mut()
            .ok_or(NetError::NotAttached { id })?;
        att.delete_on_termination = delete;
        Ok(())
    }

    /// The instance terminated: its interfaces with `DeleteOnTermination` are deleted (with their
    /// flows), the others detached and available with their attributes.
    ///
    /// # Errors
    /// [`NetError::UnknownInstance`].
    pub fn terminate(&mut self, instance: InstanceId) -> Result<Terminated, NetError> {
        self.instance_primary(instance)?;
        let mut done = Terminated::default();
        while let Some(id) = self
            .enis
            .iter()
            .find(|e| {
                e.attachment
                    .is_some_and(|a| a.instance == instance && a.delete_on_termination)
            })
            .map(|e| e.id)
        {
            self.enis.retain(|e| e.id != id);
            self.flows.forget(id);
            done.deleted = done.deleted.saturating_add(1);
        }
        for eni in self.enis.iter_mut().filter(|e| e.attached_to(instance)) {
            eni.attachment = None;
            done.detached = done.detached.saturating_add(1);
        }
        Ok(done)
    }
}
