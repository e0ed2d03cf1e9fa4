//! `fc_net`: one VPC's subnets, network interfaces (ENIs) and security groups, with stateful
//! packet filtering, in storage the C caller owns (SEMANTICS §6).
//!
//! The caller initialises it with `fc_net_init` (the VPC's block and a seed), creates subnets,
//! security groups and their rules, and interfaces carrying groups, then asks
//! `fc_net_process` about each packet crossing an interface: the rules of all the interface's
//! groups are aggregated, the most permissive wins, everything else is denied, and an allowed
//! flow is tracked so its return traffic passes whatever the rules say.
//!
//! Model, where the C ABI needs one: ids (subnets, groups, interfaces) are handed to C as
//! `uint64_t` handles: the number behind the id's 17 hex digits (`sg-` followed by the handle
//! printed with `%017` `PRIx64`); `fc_net_id_format` writes the text. Addresses are NUL-terminated
//! dotted quads in calls that configure, and 4 bytes in network order in packets (firmware has
//! them that way from the IP header).
//!
//! The storage holds no pointers: it may be copied with `memcpy` between calls. Nothing is
//! allocated. Functions taking `const fc_net *` only read; any other call needs the network to
//! itself.

use core::ffi::c_char;
use core::mem::{align_of, size_of};
use core::net::Ipv4Addr;

use fleetcore::Instant;
use fleetcore::id::{Id, IdKind, SecurityGroupId};
use fleetcore::network::{
    Allowance, Direction, IcmpMatch, Ipv4Cidr, NetError, NetIdKind, Network, Packet, Peer,
    PortRange, Quotas, Rule, SubnetId, Traffic, TrafficKind, Transport, Verdict, parse_ipv4,
};

use crate::boundary::{Out, OutText, boundary, enum_value, input, input_slice, input_str};
use crate::status::fc_status;

/// Most subnets an `fc_net` holds.
pub const FC_NET_MAX_SUBNETS: usize = 8;
/// Most network interfaces an `fc_net` holds.
pub const FC_NET_MAX_ENIS: usize = 16;
/// Most private IPv4 addresses per interface.
pub const FC_NET_MAX_ADDRESSES: usize = 4;
/// Most security groups an `fc_net` holds, the VPC's default group included.
pub const FC_NET_MAX_GROUPS: usize = 8;
/// Most rules per security group and direction.
pub const FC_NET_MAX_RULES: usize = 16;
/// Most tracked flows.
pub const FC_NET_MAX_FLOWS: usize = 64;
/// Most security groups one call takes (the service's per-interface ceiling).
pub const FC_NET_MAX_GROUPS_PER_CALL: usize = 16;
/// Bytes a buffer needs for any id's text `fc_net_id_format` writes, NUL included.
pub const FC_NET_ID_TEXT_SIZE: usize = 28;

/// Bytes of storage an `fc_net` takes (`sizeof(fc_net)`); enough on every target.
pub const FC_NET_SIZE: usize = 24576;

const _: () = assert!(FC_NET_MAX_GROUPS_PER_CALL == fleetcore::network::MAX_GROUPS_PER_ENI);

/// The core network behind an `fc_net`.
type CoreNet = Network<
    FC_NET_MAX_SUBNETS,
    FC_NET_MAX_ENIS,
    FC_NET_MAX_ADDRESSES,
    FC_NET_MAX_GROUPS,
    FC_NET_MAX_RULES,
    FC_NET_MAX_FLOWS,
>;

/// Caller-owned storage for one VPC's network. Opaque: initialise it with `fc_net_init` and
/// only touch it through `fc_net_*` functions. Aligned to 8 bytes.
#[repr(C, align(8))]
pub struct fc_net {
    _opaque: [u8; FC_NET_SIZE],
}

#[repr(C)]
struct NetCell {
    magic: u64,
    net: CoreNet,
}

/// `"fcnet"`, pads and a layout version.
const MAGIC: u64 = u64::from_be_bytes(*b"fcnet\x00\x00\x01");

const _: () = assert!(size_of::<NetCell>() <= size_of::<fc_net>());
const _: () = assert!(align_of::<NetCell>() <= align_of::<fc_net>());
const _: () = assert!(size_of::<fc_net>() == FC_NET_SIZE);

/// Checks NULL, alignment and the tag of network storage.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_net`.
unsafe fn checked_cell(p: *const fc_net) -> Result<*const NetCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<NetCell>();
    // SAFETY: not NULL and aligned for `fc_net`, hence for `NetCell` (const assertions above);
    // readable for an `fc_net` by this function's contract, which covers the `u64` tag at
    // offset 0 (`repr(C)`); any bit pattern is a valid `u64`.
    let magic = unsafe { (&raw const (*cell).magic).read() };
    if magic == MAGIC {
        Ok(cell)
    } else {
        Err(fc_status::Uninitialized)
    }
}

/// The initialised network in `p`.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_net` that nothing writes during `'a`.
unsafe fn net_ref<'a>(p: *const fc_net) -> Result<&'a CoreNet, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?;
    // SAFETY: `checked_cell` found the tag `fc_net_init` writes together with a valid cell;
    // readable and not written during 'a by the caller's contract.
    Ok(unsafe { &(*cell).net })
}

/// The initialised network in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_net` that nothing else uses during
/// `'a`.
unsafe fn net_mut<'a>(p: *mut fc_net) -> Result<&'a mut CoreNet, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?.cast_mut();
    // SAFETY: as in `net_ref`, and the caller's contract gives this call exclusive use.
    Ok(unsafe { &mut (*cell).net })
}

/// A handle as a core id; a handle no id has is the core's "does not exist".
fn id_of<K: IdKind>(handle: u64) -> Id<K> {
    Id::from_u64(handle)
}

/// A core id as a handle. Every id `fc_net` hands out is drawn as a `u64`.
fn handle_of<K: IdKind>(id: Id<K>) -> u64 {
    id.to_u64().unwrap_or(u64::MAX)
}

/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn cidr(p: *const c_char) -> Result<Ipv4Cidr, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let text = unsafe { input_str(p) }?;
    Ipv4Cidr::parse(text).map_err(|f| NetError::BadCidr(f).into())
}

/// Initialises `mem` as a VPC with the block `vpc_cidr` (`"10.0.0.0/16"`, /16 to /28), the
/// service's quotas (5 groups per interface, 60 rules per group and direction, bounded here by
/// `FC_NET_MAX_RULES`) and its `default` security group. `seed` fixes every id and MAC address.
/// `mem` may be uninitialised and is written only on success. Errors: `FC_STATUS_NOT_UTF8`,
/// `NetError::BadCidr`, `NetError::SubnetSize` (a block outside /16 to /28),
/// `NetError::IdsExhausted`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_init(
    mem: *mut fc_net,
    vpc_cidr: *const c_char,
    seed: u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers; `NetCell` fits an `fc_net`.
        let (out, block) = unsafe { (Out::new(mem.cast::<NetCell>())?, cidr(vpc_cidr)?) };
        let net = CoreNet::new(block, Quotas::DEFAULT, seed)?;
        out.write(NetCell { magic: MAGIC, net });
        Ok(())
    })
}

/// `CreateSubnet`: a block inside the VPC's (/16 to /28, no overlap) in zone `zone`. On success
/// `*out_subnet` is its handle. Errors: `FC_STATUS_NOT_UTF8`, `NetError::BadCidr`,
/// `NetError::SubnetOutsideVpc`, `NetError::SubnetOverlap`, `NetError::SubnetSize`,
/// `NetError::InvalidZone`, `NetError::Full`. Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_create_subnet(
    net: *mut fc_net,
    subnet_cidr: *const c_char,
    zone: *const c_char,
    out_subnet: *mut u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, block, zone, out) = unsafe {
            (
                net_mut(net)?,
                cidr(subnet_cidr)?,
                input_str(zone)?,
                Out::new(out_subnet)?,
            )
        };
        out.write(handle_of(net.create_subnet(block, zone)?));
        Ok(())
    })
}

/// The handle of the VPC's `default` security group (inbound from itself, all outbound; it cannot
/// be deleted). On success `*out_group` is written. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_default_security_group(
    net: *const fc_net,
    out_group: *mut u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (net, out) = unsafe { (net_ref(net)?, Out::new(out_group)?) };
        out.write(handle_of(net.default_security_group()));
        Ok(())
    })
}

/// `CreateSecurityGroup`: a group with no inbound rule and one outbound rule allowing all traffic.
/// On success `*out_group` is its handle. Errors: `FC_STATUS_NOT_UTF8`,
/// `NetError::InvalidGroupName`, `NetError::DuplicateGroupName`, `NetError::Full`.
/// Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_create_security_group(
    net: *mut fc_net,
    name: *const c_char,
    out_group: *mut u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, name, out) = unsafe { (net_mut(net)?, input_str(name)?, Out::new(out_group)?) };
        out.write(handle_of(net.create_security_group(name)?));
        Ok(())
    })
}

/// `DeleteSecurityGroup`. Errors: `NetError::UnknownGroup`,
/// `NetError::CannotDeleteDefault`, `NetError::GroupInUse` (on an interface, or
/// referenced by a rule). Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_delete_security_group(net: *mut fc_net, group: u64) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `net`.
        let net = unsafe { net_mut(net) }?;
        net.delete_security_group(id_of(group))?;
        Ok(())
    })
}

fn direction(v: u32) -> Result<Direction, fc_status> {
    crate::boundary::enum_value(v)
}

/// One security group rule (`AuthorizeSecurityGroupIngress`/`Egress` `IpPermission`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_sg_rule {
    /// `FC_RULE_PROTOCOL_*`.
    pub protocol: u32,
    /// TCP/UDP: first destination port.
    pub from_port: u16,
    /// TCP/UDP: last destination port (at least `from_port`).
    pub to_port: u16,
    /// ICMP: the type, or -1 for all.
    pub icmp_type: i16,
    /// ICMP: the code, or -1 for all (needs a type).
    pub icmp_code: i16,
    /// `NUMBER`: the IP protocol number.
    pub protocol_number: u8,
    /// The peer as a CIDR block (`"0.0.0.0/0"`), or NULL to use `peer_group`.
    pub peer_cidr: *const c_char,
    /// The peer as a security group: the private addresses of every interface carrying it.
    pub peer_group: u64,
}

/// The core rule of a C one.
///
/// # Safety
/// `peer_cidr` in `r` is NULL or a NUL-terminated string.
unsafe fn core_rule(r: &fc_sg_rule) -> Result<Rule, fc_status> {
    let ports = || PortRange::new(r.from_port, r.to_port).map_err(fc_status::from);
    let byte = |v: i16| u8::try_from(v).map_err(|_| fc_status::InvalidArgument);
    let traffic = match enum_value::<TrafficKind>(r.protocol)? {
        TrafficKind::All => Traffic::All,
        TrafficKind::Tcp => Traffic::Tcp(ports()?),
        TrafficKind::Udp => Traffic::Udp(ports()?),
        TrafficKind::Icmp => Traffic::Icmp(match (r.icmp_type, r.icmp_code) {
            (-1, -1) => IcmpMatch::Any,
            (-1, _) => return Err(fc_status::InvalidArgument),
            (t, -1) => IcmpMatch::Type(byte(t)?),
            (t, c) => IcmpMatch::TypeCode(byte(t)?, byte(c)?),
        }),
        TrafficKind::Number => Traffic::Protocol(r.protocol_number),
    };
    let peer = if r.peer_cidr.is_null() {
        Peer::Group(id_of(r.peer_group))
    } else {
        // SAFETY: not NULL; NUL-terminated by this function's contract.
        Peer::Cidr(unsafe { cidr(r.peer_cidr) }?)
    };
    Ok(Rule::new(traffic, peer))
}

/// `AuthorizeSecurityGroupIngress` (`FC_DIRECTION_INBOUND`) or `...Egress`: adds `*rule` to
/// `group`. New flows see it at once. Errors: `FC_STATUS_INVALID_ENUM_VALUE` (`direction`,
/// `protocol`), `FC_STATUS_INVALID_ARGUMENT` (an ICMP type or code outside -1..255, a code without
/// a type), `FC_STATUS_NOT_UTF8`, `NetError::BadCidr`, `NetError::ReversedPortRange`,
/// `NetError::UnknownGroup` (the group or the peer group), `NetError::DuplicateRule`,
/// `NetError::RuleLimit` (the quota), `NetError::Full` (more than `FC_NET_MAX_RULES`).
/// Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_authorize(
    net: *mut fc_net,
    group: u64,
    dir: u32,
    rule: *const fc_sg_rule,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, rule) = unsafe { (net_mut(net)?, core_rule(input(rule)?)?) };
        net.authorize(id_of(group), direction(dir)?, rule)?;
        Ok(())
    })
}

/// `RevokeSecurityGroupIngress`/`Egress`: removes the rule equal to `*rule` from `group`. Tracked
/// flows live out their timeouts. Errors: as `fc_net_authorize`, with
/// `NetError::RuleNotFound` instead of the duplicate, limit and full statuses. Unchanged on
/// error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_revoke(
    net: *mut fc_net,
    group: u64,
    dir: u32,
    rule: *const fc_sg_rule,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, rule) = unsafe { (net_mut(net)?, core_rule(input(rule)?)?) };
        net.revoke(id_of(group), direction(dir)?, rule)?;
        Ok(())
    })
}

/// Up to `FC_NET_MAX_GROUPS_PER_CALL` group handles.
///
/// # Safety
/// `groups` is NULL or points to `count` `uint64_t`s.
unsafe fn group_ids(
    groups: *const u64,
    count: usize,
) -> Result<heapless::Vec<SecurityGroupId, FC_NET_MAX_GROUPS_PER_CALL>, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let handles = unsafe { input_slice(groups, count) }?;
    let mut out = heapless::Vec::new();
    for &h in handles {
        out.push(id_of(h)).map_err(|_| {
            fc_status::from(NetError::GroupLimit {
                limit: Quotas::DEFAULT.groups_per_eni(),
            })
        })?;
    }
    Ok(out)
}

/// `CreateNetworkInterface` in `subnet` with the private address `private_ip` (a dotted quad, or
/// NULL for the lowest free one) and the `count` groups at `groups` (none: the VPC's default
/// group). On success `*out_eni` is its handle. Errors: `FC_STATUS_NULL_ARGUMENT` (also `groups`
/// NULL with `count` > 0), `FC_STATUS_NOT_UTF8`, `NetError::BadAddress`,
/// `NetError::UnknownSubnet`, `NetError::UnknownGroup`, `NetError::RepeatedGroup`,
/// `NetError::GroupLimit`, `NetError::AddressOutsideSubnet`,
/// `NetError::AddressReserved`, `NetError::AddressInUse`, `NetError::SubnetFull`,
/// `NetError::Full`, `NetError::IdsExhausted`. Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_create_network_interface(
    net: *mut fc_net,
    subnet: u64,
    private_ip: *const c_char,
    groups: *const u64,
    count: usize,
    out_eni: *mut u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, groups, out) =
            unsafe { (net_mut(net)?, group_ids(groups, count)?, Out::new(out_eni)?) };
        let ip = if private_ip.is_null() {
            None
        } else {
            // SAFETY: not NULL; a NUL-terminated string by the caller's contract.
            let text = unsafe { input_str(private_ip) }?;
            Some(parse_ipv4(text).map_err(NetError::BadAddress)?)
        };
        let subnet: SubnetId = id_of(subnet);
        out.write(handle_of(
            net.create_network_interface(subnet, ip, &groups)?,
        ));
        Ok(())
    })
}

/// `ModifyNetworkInterfaceAttribute` `Groups`: replaces the interface's security groups with the
/// `count` at `groups` (at least one). New flows see them at once. Errors:
/// `NetError::UnknownEni`, `NetError::UnknownGroup`, `NetError::RepeatedGroup`,
/// `NetError::GroupLimit`, `NetError::NoGroups`. Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_set_security_groups(
    net: *mut fc_net,
    eni: u64,
    groups: *const u64,
    count: usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (net, groups) = unsafe { (net_mut(net)?, group_ids(groups, count)?) };
        net.set_security_groups(id_of(eni), &groups)?;
        Ok(())
    })
}

/// `DeleteNetworkInterface`; its tracked flows go with it. Errors: `NetError::UnknownEni`,
/// `NetError::EniInUse`. Unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_delete_network_interface(net: *mut fc_net, eni: u64) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `net`.
        let net = unsafe { net_mut(net) }?;
        net.delete_network_interface(id_of(eni))?;
        Ok(())
    })
}

/// `ModifyNetworkInterfaceAttribute` `sourceDestCheck` (on by default): with it on, the interface
/// only sends packets from, and receives packets to, its own private addresses; turn it off for a
/// NAT or router. Errors: `NetError::UnknownEni`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_set_source_dest_check(
    net: *mut fc_net,
    eni: u64,
    on: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `net`.
        let net = unsafe { net_mut(net) }?;
        net.set_source_dest_check(id_of(eni), on)?;
        Ok(())
    })
}

/// Lifts (`open`) or restores EC2's default block of outbound TCP to port 25 (the "remove email
/// sending limitations" request). Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_set_port25_open(net: *mut fc_net, open: bool) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `net`.
        let net = unsafe { net_mut(net) }?;
        net.set_port25_open(open);
        Ok(())
    })
}

/// The interface's primary private address, as 4 bytes in network order. On success
/// `out_addr[0..4]` is written. Errors: `NetError::UnknownEni`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_eni_address(
    net: *const fc_net,
    eni: u64,
    out_addr: *mut u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (net, out) = unsafe { (net_ref(net)?, Out::new(out_addr.cast::<[u8; 4]>())?) };
        let e = net.network_interface(id_of(eni))?;
        out.write(e.primary_address().map_or([0; 4], |a| a.octets()));
        Ok(())
    })
}

/// Writes the text of a handle (`sg-0123456789abcdef0`) and a NUL into `out_buf`;
/// `FC_NET_ID_TEXT_SIZE` is always enough. On success `*out_written` is the text's length. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE`, `FC_STATUS_BUFFER_TOO_SMALL`. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_id_format(
    kind: u32,
    handle: u64,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (buf, written) = unsafe { (OutText::new(out_buf, len)?, Out::new(out_written)?) };
        let mut text = [0u8; FC_NET_ID_TEXT_SIZE];
        let n = match enum_value::<NetIdKind>(kind)? {
            NetIdKind::Subnet => id_of::<fleetcore::network::Subnet>(handle).write_to(&mut text),
            NetIdKind::SecurityGroup => {
                id_of::<fleetcore::id::SecurityGroup>(handle).write_to(&mut text)
            }
            NetIdKind::NetworkInterface => id_of::<fleetcore::id::Eni>(handle).write_to(&mut text),
        }
        .map_err(|_| fc_status::BufferTooSmall)?;
        written.write(buf.write(text.get(..n).unwrap_or_default())?);
        Ok(())
    })
}

/// One IPv4 packet as the filter sees it. Fields that do not apply to `protocol` are ignored.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_packet {
    /// Source address, network order.
    pub src: [u8; 4],
    /// Destination address, network order.
    pub dst: [u8; 4],
    /// IP protocol number: 6 TCP, 17 UDP, 1 ICMP, any other.
    pub protocol: u8,
    /// TCP/UDP source port.
    pub src_port: u16,
    /// TCP/UDP destination port.
    pub dst_port: u16,
    /// ICMP type.
    pub icmp_type: u8,
    /// ICMP code.
    pub icmp_code: u8,
}

impl fc_packet {
    fn to_core(self) -> Packet {
        let transport = match self.protocol {
            6 => Transport::Tcp {
                src_port: self.src_port,
                dst_port: self.dst_port,
            },
            17 => Transport::Udp {
                src_port: self.src_port,
                dst_port: self.dst_port,
            },
            1 => Transport::Icmp {
                ty: self.icmp_type,
                code: self.icmp_code,
            },
            n => Transport::Other(n),
        };
        Packet {
            src: Ipv4Addr::from(self.src),
            dst: Ipv4Addr::from(self.dst),
            transport,
        }
    }
}

/// The filter's decision on one packet.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_verdict {
    /// Whether the packet passes.
    pub allowed: bool,
    /// `FC_VERDICT_REASON_*`.
    pub reason: u32,
    /// `RULE`/`UNTRACKED`: the group whose rule allowed it; otherwise 0.
    pub group: u64,
    /// `RULE`/`UNTRACKED`: the rule's index among the group's rules of that direction.
    pub rule_index: u32,
}

impl From<Verdict> for fc_verdict {
    fn from(v: Verdict) -> Self {
        let rule = match v {
            Verdict::Allowed(Allowance::Rule(r) | Allowance::Untracked(r)) => Some(r),
            _ => None,
        };
        Self {
            allowed: v.is_allowed(),
            reason: v.reason().number(),
            group: rule.map_or(0, |r| handle_of(r.group)),
            rule_index: rule.map_or(0, |r| u32::try_from(r.index).unwrap_or(u32::MAX)),
        }
    }
}

/// Filters `*packet` crossing interface `eni` in `direction` at `now_ms`, with connection tracking:
/// a packet of a live flow passes (and refreshes it); one a rule allows passes and opens a flow, so
/// its replies pass the other way whatever the rules say. On success `*out_verdict` is written; a
/// dropped packet is success with `allowed` false. Errors: `FC_STATUS_INVALID_ENUM_VALUE`
/// (`direction`), `NetError::UnknownEni`, `NetError::InvalidPacket`. Unchanged on error.
/// Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_process(
    net: *mut fc_net,
    now_ms: u64,
    eni: u64,
    dir: u32,
    packet: *const fc_packet,
    out_verdict: *mut fc_verdict,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, packet, out) = unsafe { (net_mut(net)?, input(packet)?, Out::new(out_verdict)?) };
        let v = net.process(
            Instant::from_millis(now_ms),
            id_of(eni),
            direction(dir)?,
            &packet.to_core(),
        )?;
        out.write(v.into());
        Ok(())
    })
}

/// What the rules alone say about `*packet`, ignoring tracked flows and changing nothing. As
/// `fc_net_process`, but reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_evaluate(
    net: *const fc_net,
    eni: u64,
    dir: u32,
    packet: *const fc_packet,
    out_verdict: *mut fc_verdict,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, packet, out) = unsafe { (net_ref(net)?, input(packet)?, Out::new(out_verdict)?) };
        let v = net.evaluate(id_of(eni), direction(dir)?, &packet.to_core())?;
        out.write(v.into());
        Ok(())
    })
}

/// Drops the flows idle past their timeouts at `now_ms`; `*out_expired` is how many. Also
/// `*out_live`, the flows left. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_net_expire_flows(
    net: *mut fc_net,
    now_ms: u64,
    out_expired: *mut usize,
    out_live: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (net, expired, live) =
            unsafe { (net_mut(net)?, Out::new(out_expired)?, Out::new(out_live)?) };
        expired.write(net.expire_flows(Instant::from_millis(now_ms)));
        live.write(net.flows().len());
        Ok(())
    })
}

#[cfg(test)]
mod tests;
