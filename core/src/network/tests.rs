//! Unit tests of SEMANTICS §6: interfaces, subnets, security groups, filtering and tracking.

use crate::test_prelude::*;
use core::net::Ipv4Addr;

use super::*;
use crate::Error as _;
use crate::catalog::InstanceType;
use crate::error::ErrorKind;
use crate::id::{EniId, InstanceId};
use crate::time::{Duration, Instant};

/// 4 subnets, 16 interfaces of up to 16 addresses, 8 groups of 64 rules, 32 flows.
type Net = Network<4, 16, 16, 8, 64, 32>;

fn ip(s: &str) -> Ipv4Addr {
    parse_ipv4(s).unwrap()
}

fn cidr(s: &str) -> Ipv4Cidr {
    Ipv4Cidr::parse(s).unwrap()
}

fn t3_micro() -> InstanceType {
    InstanceType::builtin("t3.micro").unwrap()
}

fn inst(n: u64) -> InstanceId {
    InstanceId::from_u64(n)
}

fn at(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

/// A VPC 10.0.0.0/16 with subnet a (10.0.1.0/24, zone a) and b (10.0.2.0/24, zone b).
fn setup() -> (Net, SubnetId, SubnetId) {
    let mut net = Net::new(cidr("10.0.0.0/16"), Quotas::DEFAULT, 7).unwrap();
    let a = net
        .create_subnet(cidr("10.0.1.0/24"), "us-east-1a")
        .unwrap();
    let b = net
        .create_subnet(cidr("10.0.2.0/24"), "us-east-1b")
        .unwrap();
    (net, a, b)
}

/// `setup` plus a group `web` and instance 1 in subnet a carrying only `web`.
fn web() -> (Net, SecurityGroupId, EniId) {
    let (mut net, a, _) = setup();
    let sg = net.create_security_group("web").unwrap();
    let eni = net.launch(inst(1), &t3_micro(), a, None, &[sg]).unwrap();
    (net, sg, eni)
}

const CLIENT: &str = "203.0.113.1";
const SERVER: &str = "10.0.1.4";

fn ssh_in(src_port: u16) -> Packet {
    Packet::tcp(ip(CLIENT), src_port, ip(SERVER), 22)
}

fn allowed(v: Verdict) -> bool {
    v.is_allowed()
}

// ---------------------------------------------------------------- CIDR

#[test]
fn cidr_parser_is_strict() {
    let cases: [(&str, CidrFault); 12] = [
        ("010.0.0.0/8", CidrFault::LeadingZero),
        ("10.0.0.0/08", CidrFault::LeadingZero),
        ("10.0.0.0/33", CidrFault::PrefixOutOfRange),
        ("10.0.0.0/100", CidrFault::Syntax),
        ("256.0.0.0/8", CidrFault::OctetOutOfRange),
        ("10.0.0.5/16", CidrFault::HostBitsSet),
        ("1.2.3.4/0", CidrFault::HostBitsSet),
        ("10.0.0/8", CidrFault::Syntax),
        ("10.0.0.0", CidrFault::Syntax),
        (" 10.0.0.0/8", CidrFault::Syntax),
        ("10.0.0.0.0/8", CidrFault::Syntax),
        ("10.0.0.+1/32", CidrFault::Syntax),
    ];
    for (text, fault) in cases {
        assert_eq!(Ipv4Cidr::parse(text), Err(fault), "{text}");
    }
    for text in [
        "0.0.0.0/0",
        "10.0.0.0/16",
        "203.0.113.7/32",
        "255.255.255.255/32",
    ] {
        assert_eq!(Ipv4Cidr::parse(text).unwrap().to_string(), text);
    }
    assert_eq!(
        Ipv4Cidr::parse_masked("10.0.0.5/16").unwrap(),
        cidr("10.0.0.0/16")
    );
    assert_eq!(
        Ipv4Cidr::parse_masked("10.0.0.5/33"),
        Err(CidrFault::PrefixOutOfRange)
    );
    assert_eq!(parse_ipv4("1.2.3.04"), Err(CidrFault::LeadingZero));
    assert_eq!(parse_ipv4("0.0.0.0"), Ok(Ipv4Addr::UNSPECIFIED));
}

#[test]
fn cidr_arithmetic() {
    let block = cidr("10.0.1.0/24");
    assert_eq!(block.size(), 256);
    assert_eq!(Ipv4Cidr::ANY.size(), 1 << 32);
    assert_eq!(block.last(), ip("10.0.1.255"));
    assert!(block.contains(ip("10.0.1.77")));
    assert!(!block.contains(ip("10.0.2.0")));
    assert!(block.is_within(cidr("10.0.0.0/16")));
    assert!(!cidr("10.0.0.0/16").is_within(block));
    assert!(block.overlaps(cidr("10.0.0.0/16")));
    assert!(!block.overlaps(cidr("10.0.2.0/24")));
    assert!(Ipv4Cidr::ANY.contains(ip("1.2.3.4")));
    assert_eq!(Ipv4Cidr::host(ip("1.2.3.4")).to_string(), "1.2.3.4/32");
}

// ---------------------------------------------------------------- subnets

#[test]
fn subnets_must_fit_the_vpc_and_not_overlap() {
    let (mut net, _, _) = setup();
    let before = net.clone();
    assert_eq!(
        net.create_subnet(cidr("10.1.0.0/24"), "z"),
        Err(NetError::SubnetOutsideVpc)
    );
    assert_eq!(
        net.create_subnet(cidr("10.0.1.128/25"), "z"),
        Err(NetError::SubnetOverlap)
    );
    assert_eq!(
        net.create_subnet(cidr("10.0.3.0/29"), "z"),
        Err(NetError::SubnetSize { prefix: 29 })
    );
    assert_eq!(
        net.create_subnet(cidr("10.0.3.0/24"), ""),
        Err(NetError::InvalidZone)
    );
    assert_eq!(net, before);
    assert!(Net::new(cidr("10.0.0.0/8"), Quotas::DEFAULT, 1).is_err());
}

// ---------------------------------------------------------------- interfaces

#[test]
fn primary_interface_is_device_zero_and_cannot_be_detached() {
    let (mut net, _, eni) = web();
    let e = net.network_interface(eni).unwrap();
    let att = *e.attachment().unwrap();
    assert_eq!((att.instance, att.device_index), (inst(1), 0));
    assert!(att.delete_on_termination);
    assert_eq!(e.status(), "in-use");
    assert!(e.source_dest_check());
    let before = net.clone();
    assert_eq!(net.detach(eni), Err(NetError::PrimaryDetach { id: eni }));
    assert_eq!(
        net.delete_network_interface(eni),
        Err(NetError::EniInUse { id: eni })
    );
    assert_eq!(net, before);
}

#[test]
fn addresses_come_from_the_subnet_skipping_the_reserved_five() {
    let (mut net, a, _) = setup();
    let e1 = net.create_network_interface(a, None, &[]).unwrap();
    let e2 = net.create_network_interface(a, None, &[]).unwrap();
    assert_eq!(
        net.network_interface(e1).unwrap().addresses(),
        &[ip("10.0.1.4")]
    );
    assert_eq!(
        net.network_interface(e2).unwrap().addresses(),
        &[ip("10.0.1.5")]
    );
    let before = net.clone();
    for reserved in ["10.0.1.0", "10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.255"] {
        assert_eq!(
            net.create_network_interface(a, Some(ip(reserved)), &[]),
            Err(NetError::AddressReserved { addr: ip(reserved) })
        );
    }
    assert_eq!(
        net.create_network_interface(a, Some(ip("10.0.2.9")), &[]),
        Err(NetError::AddressOutsideSubnet {
            addr: ip("10.0.2.9")
        })
    );
    assert_eq!(
        net.create_network_interface(a, Some(ip("10.0.1.5")), &[]),
        Err(NetError::AddressInUse {
            addr: ip("10.0.1.5")
        })
    );
    assert_eq!(
        net.assign_private_ip(e1, Some(ip("10.0.1.4"))),
        Err(NetError::AddressInUse {
            addr: ip("10.0.1.4")
        })
    );
    assert_eq!(net, before);
    let e3 = net
        .create_network_interface(a, Some(ip("10.0.1.254")), &[])
        .unwrap();
    assert_eq!(
        net.network_interface(e3).unwrap().primary_address(),
        Some(ip("10.0.1.254"))
    );
    // The lowest free address is reused after a delete.
    net.delete_network_interface(e1).unwrap();
    let e4 = net.create_network_interface(a, None, &[]).unwrap();
    assert_eq!(
        net.network_interface(e4).unwrap().primary_address(),
        Some(ip("10.0.1.4"))
    );
}

#[test]
fn a_small_subnet_runs_out_of_addresses() {
    let mut net = Net::new(cidr("10.0.0.0/16"), Quotas::DEFAULT, 1).unwrap();
    // A /28 has 16 addresses, 11 usable.
    let s = net.create_subnet(cidr("10.0.0.16/28"), "z").unwrap();
    let e = net.create_network_interface(s, None, &[]).unwrap();
    for _ in 0..10 {
        net.assign_private_ip(e, None).unwrap();
    }
    assert_eq!(net.network_interface(e).unwrap().addresses().len(), 11);
    let before = net.clone();
    assert_eq!(net.assign_private_ip(e, None), Err(NetError::SubnetFull));
    assert_eq!(net, before);
}

#[test]
fn t3_micro_takes_two_interfaces_of_two_addresses() {
    let (mut net, a, _) = setup();
    let t = t3_micro();
    assert_eq!((t.max_enis, t.ipv4_per_eni), (2, 2));
    let primary = net.launch(inst(1), &t, a, None, &[]).unwrap();
    net.assign_private_ip(primary, None).unwrap();
    let before = net.clone();
    assert_eq!(
        net.assign_private_ip(primary, None),
        Err(NetError::AddressLimit { limit: 2 })
    );
    assert_eq!(net, before);

    let second = net.create_network_interface(a, None, &[]).unwrap();
    let third = net.create_network_interface(a, None, &[]).unwrap();
    // An interface holding more addresses than the type allows cannot be attached.
    net.assign_private_ip(third, None).unwrap();
    net.assign_private_ip(third, None).unwrap();
    assert_eq!(
        net.attach(inst(1), third, 1, false),
        Err(NetError::AddressLimit { limit: 2 })
    );
    net.attach(inst(1), second, 1, false).unwrap();
    let before = net.clone();
    assert_eq!(
        net.attach(inst(1), third, 2, false),
        Err(NetError::EniLimit { limit: 2 })
    );
    assert_eq!(net, before);
    assert_eq!(net.instance_interfaces(inst(1)).count(), 2);
}

#[test]
fn attach_checks_zone_device_index_and_state() {
    let (mut net, a, b) = setup();
    let t = InstanceType::builtin("m5.large").unwrap();
    let primary = net.launch(inst(1), &t, a, None, &[]).unwrap();
    let in_b = net.create_network_interface(b, None, &[]).unwrap();
    let in_a = net.create_network_interface(a, None, &[]).unwrap();
    let before = net.clone();
    assert_eq!(
        net.attach(inst(1), in_b, 1, true),
        Err(NetError::ZoneMismatch { id: in_b })
    );
    assert_eq!(
        net.attach(inst(1), in_a, 0, true),
        Err(NetError::DeviceIndexInUse { index: 0 })
    );
    assert_eq!(
        net.attach(inst(2), in_a, 1, true),
        Err(NetError::UnknownInstance { id: inst(2) })
    );
    assert_eq!(
        net.attach(inst(1), primary, 1, true),
        Err(NetError::EniInUse { id: primary })
    );
    assert_eq!(net.detach(in_a), Err(NetError::NotAttached { id: in_a }));
    assert_eq!(
        net.launch(inst(1), &t, a, None, &[]),
        Err(NetError::InstanceExists { id: inst(1) })
    );
    assert_eq!(net, before);
    net.attach(inst(1), in_a, 1, true).unwrap();
    assert_eq!(net.network_interface(in_a).unwrap().status(), "in-use");
    net.detach(in_a).unwrap();
    assert_eq!(net.network_interface(in_a).unwrap().status(), "available");
}

#[test]
fn macs_are_unique_local_unicast_and_deterministic() {
    let build = || {
        let (mut net, a, _) = setup();
        for _ in 0..12 {
            net.create_network_interface(a, None, &[]).unwrap();
        }
        net.network_interfaces()
            .map(NetworkInterface::mac)
            .collect::<Vec<_>>()
    };
    let macs = build();
    assert_eq!(macs, build());
    for (i, m) in macs.iter().enumerate() {
        assert!(m.is_local() && !m.is_multicast(), "{m}");
        assert!(!macs[..i].contains(m), "{m} repeated");
    }
    assert_eq!(
        MacAddress([0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f]).to_string(),
        "0a:1b:2c:3d:4e:5f"
    );
    assert_eq!(MacAddress::local_from(u64::MAX).octets()[0], 0xfe);
}

#[test]
fn termination_deletes_or_frees_interfaces_by_their_flag() {
    let (mut net, a, _) = setup();
    let t = InstanceType::builtin("m5.large").unwrap();
    let sg = net.create_security_group("keep").unwrap();
    let primary = net.launch(inst(1), &t, a, None, &[]).unwrap();
    let kept = net.create_network_interface(a, None, &[sg]).unwrap();
    let dropped = net.create_network_interface(a, None, &[]).unwrap();
    net.attach(inst(1), kept, 1, false).unwrap();
    net.attach(inst(1), dropped, 2, false).unwrap();
    net.set_delete_on_termination(dropped, true).unwrap();
    let extra = net.assign_private_ip(kept, None).unwrap();
    net.set_source_dest_check(kept, false).unwrap();
    let kept_before = net.network_interface(kept).unwrap().clone();

    // A tracked flow on the deleted primary disappears with it.
    net.set_source_dest_check(primary, false).unwrap();
    let p = Packet::tcp(ip("10.0.1.4"), 40000, ip("198.51.100.1"), 443);
    assert!(allowed(
        net.process(at(0), primary, Direction::Outbound, &p)
            .unwrap()
    ));
    assert_eq!(net.flows().len(), 1);

    let done = net.terminate(inst(1)).unwrap();
    assert_eq!(
        done,
        Terminated {
            deleted: 2,
            detached: 1
        }
    );
    assert_eq!(
        net.network_interface(primary),
        Err(NetError::UnknownEni { id: primary })
    );
    assert!(net.network_interface(dropped).is_err());
    assert!(net.flows().is_empty());
    let k = net.network_interface(kept).unwrap();
    assert_eq!(k.status(), "available");
    // Attributes follow the interface: addresses, groups, MAC, source/destination check.
    assert_eq!(k.addresses(), kept_before.addresses());
    assert!(k.addresses().contains(&extra));
    assert_eq!(k.security_groups(), &[sg]);
    assert_eq!(k.mac(), kept_before.mac());
    assert!(!k.source_dest_check());
    assert_eq!(
        net.terminate(inst(1)),
        Err(NetError::UnknownInstance { id: inst(1) })
    );
    // ... and onto the next instance.
    net.launch(inst(2), &t, a, None, &[]).unwrap();
    net.attach(inst(2), kept, 1, true).unwrap();
    let k = net.network_interface(kept).unwrap();
    assert_eq!(k.mac(), kept_before.mac());
    assert_eq!(k.addresses(), kept_before.addresses());
}

#[test]
fn primary_without_delete_on_termination_survives() {
    let (mut net, a, _) = setup();
    let eni = net.create_network_interface(a, None, &[]).unwrap();
    net.launch_with_interface(inst(3), &t3_micro(), eni, false)
        .unwrap();
    assert_eq!(
        net.terminate(inst(3)).unwrap(),
        Terminated {
            deleted: 0,
            detached: 1
        }
    );
    assert_eq!(net.network_interface(eni).unwrap().status(), "available");
    net.delete_network_interface(eni).unwrap();
}

#[test]
fn primary_address_cannot_be_unassigned() {
    let (mut net, _, eni) = web();
    let before = net.clone();
    assert_eq!(
        net.unassign_private_ip(eni, ip(SERVER)),
        Err(NetError::PrimaryAddress)
    );
    assert_eq!(
        net.unassign_private_ip(eni, ip("10.0.1.99")),
        Err(NetError::AddressNotAssigned {
            addr: ip("10.0.1.99")
        })
    );
    assert_eq!(net, before);
    let extra = net.assign_private_ip(eni, None).unwrap();
    net.unassign_private_ip(eni, extra).unwrap();
    assert_eq!(
        net.network_interface(eni).unwrap().addresses(),
        &[ip(SERVER)]
    );
}

// ---------------------------------------------------------------- groups

#[test]
fn new_and_default_groups_have_the_documented_rules() {
    let (mut net, a, _) = setup();
    let default = net.default_security_group();
    let d = net.security_group(default).unwrap();
    assert_eq!((d.name(), d.is_default()), ("default", true));
    assert_eq!(
        d.rules(Direction::Inbound),
        &[Rule::new(Traffic::All, Peer::Group(default))]
    );
    assert_eq!(d.rules(Direction::Outbound), &[Rule::ALL_ANYWHERE]);
    let sg = net.create_security_group("app").unwrap();
    let g = net.security_group(sg).unwrap();
    assert!(g.rules(Direction::Inbound).is_empty());
    assert_eq!(g.rules(Direction::Outbound), &[Rule::ALL_ANYWHERE]);
    // No group given: the default group.
    let eni = net.launch(inst(1), &t3_micro(), a, None, &[]).unwrap();
    assert_eq!(
        net.network_interface(eni).unwrap().security_groups(),
        &[default]
    );
    let before = net.clone();
    assert_eq!(
        net.delete_security_group(default),
        Err(NetError::CannotDeleteDefault)
    );
    assert_eq!(net, before);
}

#[test]
fn default_group_admits_its_own_members_only() {
    let (mut net, a, _) = setup();
    let first = net.launch(inst(1), &t3_micro(), a, None, &[]).unwrap();
    let second = net.launch(inst(2), &t3_micro(), a, None, &[]).unwrap();
    let lone = net.create_security_group("lone").unwrap();
    let stranger = net.launch(inst(3), &t3_micro(), a, None, &[lone]).unwrap();
    let peer = net.network_interface(second).unwrap().addresses()[0];
    let other = net.network_interface(stranger).unwrap().addresses()[0];
    let me = net.network_interface(first).unwrap().addresses()[0];
    let from_member = Packet::tcp(peer, 5000, me, 8080);
    let from_stranger = Packet::tcp(other, 5000, me, 8080);
    assert!(allowed(
        net.evaluate(first, Direction::Inbound, &from_member)
            .unwrap()
    ));
    assert_eq!(
        net.evaluate(first, Direction::Inbound, &from_stranger)
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
}

#[test]
fn group_names_follow_the_service_rules() {
    let (mut net, _, _) = setup();
    let long = "x".repeat(255);
    net.create_security_group(&long).unwrap();
    let before = net.clone();
    for bad in ["", "sg-web", "tab\there", "ünï", &"y".repeat(256)] {
        assert_eq!(
            net.create_security_group(bad),
            Err(NetError::InvalidGroupName),
            "{bad:?}"
        );
    }
    assert_eq!(
        net.create_security_group("default"),
        Err(NetError::DuplicateGroupName)
    );
    assert_eq!(
        net.create_security_group(&long),
        Err(NetError::DuplicateGroupName)
    );
    assert_eq!(net, before);
    net.create_security_group("Web tier (prod): #1 [a+b=c] {x}!$*&;@,/._-")
        .unwrap();
    assert!(net.security_group_by_name("default").is_some());
}

#[test]
fn groups_in_use_cannot_be_deleted() {
    let (mut net, sg, eni) = web();
    let other = net.create_security_group("other").unwrap();
    net.authorize(
        other,
        Direction::Inbound,
        Rule::new(Traffic::All, Peer::Group(sg)),
    )
    .unwrap();
    let before = net.clone();
    assert_eq!(
        net.delete_security_group(sg),
        Err(NetError::GroupInUse { id: sg })
    );
    net.set_security_groups(eni, &[other]).unwrap();
    // Still referenced by `other`'s rule.
    assert_eq!(
        net.delete_security_group(sg),
        Err(NetError::GroupInUse { id: sg })
    );
    net.revoke(
        other,
        Direction::Inbound,
        Rule::new(Traffic::All, Peer::Group(sg)),
    )
    .unwrap();
    net.delete_security_group(sg).unwrap();
    assert_eq!(
        net.security_group(sg).err(),
        Some(NetError::UnknownGroup { id: sg })
    );
    assert_ne!(net, before);
}

#[test]
fn sixth_group_on_an_interface_is_refused() {
    let (mut net, a, _) = setup();
    let groups: Vec<_> = (0..6)
        .map(|i| net.create_security_group(&format!("g{i}")).unwrap())
        .collect();
    let eni = net.create_network_interface(a, None, &groups[..5]).unwrap();
    let before = net.clone();
    assert_eq!(
        net.set_security_groups(eni, &groups),
        Err(NetError::GroupLimit { limit: 5 })
    );
    assert_eq!(
        net.create_network_interface(a, None, &groups),
        Err(NetError::GroupLimit { limit: 5 })
    );
    assert_eq!(
        net.set_security_groups(eni, &[groups[0], groups[0]]),
        Err(NetError::RepeatedGroup { id: groups[0] })
    );
    assert_eq!(net.set_security_groups(eni, &[]), Err(NetError::NoGroups));
    assert_eq!(net, before);

    // Raised to 16 (with rules lowered so the product stays within 1000).
    let mut big = Net::new(cidr("10.0.0.0/16"), Quotas::new(16, 62).unwrap(), 1).unwrap();
    let s = big.create_subnet(cidr("10.0.0.0/24"), "z").unwrap();
    let six: Vec<_> = (0..6)
        .map(|i| big.create_security_group(&format!("g{i}")).unwrap())
        .collect();
    big.create_network_interface(s, None, &six).unwrap();
}

#[test]
fn quotas_keep_the_product_within_1000() {
    assert_eq!(Quotas::default(), Quotas::new(5, 60).unwrap());
    assert!(Quotas::new(16, 62).is_ok());
    assert!(Quotas::new(1, 1000).is_ok());
    assert!(Quotas::new(10, 100).is_ok());
    for (g, r) in [(16, 63), (5, 201), (0, 60), (17, 1), (5, 0)] {
        assert_eq!(
            Quotas::new(g, r),
            Err(NetError::InvalidQuota {
                groups_per_eni: g,
                rules_per_group: r
            }),
            "{g} x {r}"
        );
    }
}

#[test]
fn sixty_first_rule_is_refused() {
    let (mut net, sg, _) = web();
    for port in 1..=60 {
        net.authorize(
            sg,
            Direction::Inbound,
            Rule::tcp(PortRange::single(port), Ipv4Cidr::ANY),
        )
        .unwrap();
    }
    let before = net.clone();
    assert_eq!(
        net.authorize(
            sg,
            Direction::Inbound,
            Rule::tcp(PortRange::single(61), Ipv4Cidr::ANY)
        ),
        Err(NetError::RuleLimit { limit: 60 })
    );
    assert_eq!(net, before);
    // Outbound counts separately: it holds 1 rule and takes 59 more.
    for port in 1..=59 {
        net.authorize(
            sg,
            Direction::Outbound,
            Rule::udp(PortRange::single(port), Ipv4Cidr::ANY),
        )
        .unwrap();
    }
    assert_eq!(
        net.authorize(
            sg,
            Direction::Outbound,
            Rule::udp(PortRange::single(60), Ipv4Cidr::ANY)
        ),
        Err(NetError::RuleLimit { limit: 60 })
    );
}

#[test]
fn rule_storage_smaller_than_the_quota_is_reported_as_full() {
    let mut net: Network<1, 2, 2, 2, 2, 2> =
        Network::new(cidr("10.0.0.0/16"), Quotas::DEFAULT, 1).unwrap();
    let sg = net.create_security_group("s").unwrap();
    net.authorize(sg, Direction::Inbound, Rule::ALL_ANYWHERE)
        .unwrap();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::tcp(PortRange::single(1), Ipv4Cidr::ANY),
    )
    .unwrap();
    assert_eq!(
        net.authorize(
            sg,
            Direction::Inbound,
            Rule::tcp(PortRange::single(2), Ipv4Cidr::ANY)
        ),
        Err(NetError::Full {
            table: "rules per security group and direction",
            capacity: 2
        })
    );
    assert_eq!(
        net.create_security_group("t"),
        Err(NetError::Full {
            table: "security groups",
            capacity: 2
        })
    );
}

#[test]
fn invalid_rules_are_refused_with_a_specific_error() {
    let (mut net, sg, _) = web();
    assert_eq!(
        PortRange::new(443, 80),
        Err(NetError::ReversedPortRange { from: 443, to: 80 })
    );
    let r = Rule::tcp(PortRange::new(80, 443).unwrap(), cidr("10.0.0.0/8"));
    net.authorize(sg, Direction::Inbound, r).unwrap();
    let before = net.clone();
    assert_eq!(
        net.authorize(sg, Direction::Inbound, r),
        Err(NetError::DuplicateRule)
    );
    // Protocol 6 is TCP on every port: a duplicate of the canonical spelling.
    net.authorize(
        sg,
        Direction::Outbound,
        Rule::tcp(PortRange::ALL, Ipv4Cidr::ANY),
    )
    .unwrap();
    let before_dup = net.clone();
    assert_eq!(
        net.authorize(
            sg,
            Direction::Outbound,
            Rule::new(Traffic::Protocol(6), Peer::Cidr(Ipv4Cidr::ANY))
        ),
        Err(NetError::DuplicateRule)
    );
    assert_eq!(net, before_dup);
    net = before.clone();
    let ghost = SecurityGroupId::from_u64(0xdead);
    assert_eq!(
        net.authorize(
            sg,
            Direction::Inbound,
            Rule::new(Traffic::All, Peer::Group(ghost))
        ),
        Err(NetError::UnknownGroup { id: ghost })
    );
    assert_eq!(
        net.authorize(ghost, Direction::Inbound, Rule::ALL_ANYWHERE),
        Err(NetError::UnknownGroup { id: ghost })
    );
    assert_eq!(
        net.revoke(sg, Direction::Outbound, r),
        Err(NetError::RuleNotFound)
    );
    assert_eq!(net, before);
}

// ---------------------------------------------------------------- evaluation

#[test]
fn rules_that_must_not_allow() {
    let (mut net, sg, eni) = web();
    let office = cidr("198.51.100.0/24");
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::tcp(PortRange::single(22), office),
    )
    .unwrap();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::icmp(IcmpMatch::Type(8), office),
    )
    .unwrap();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::icmp(IcmpMatch::TypeCode(3, 4), office),
    )
    .unwrap();
    let me = ip(SERVER);
    let friend = ip("198.51.100.9");
    let good = Packet::tcp(friend, 50000, me, 22);
    assert!(allowed(
        net.evaluate(eni, Direction::Inbound, &good).unwrap()
    ));
    assert!(allowed(
        net.evaluate(eni, Direction::Inbound, &Packet::icmp(friend, me, 8, 0))
            .unwrap()
    ));
    assert!(allowed(
        net.evaluate(eni, Direction::Inbound, &Packet::icmp(friend, me, 3, 4))
            .unwrap()
    ));
    let denied = [
        ("wrong port", Packet::tcp(friend, 50000, me, 23)),
        ("wrong protocol", Packet::udp(friend, 50000, me, 22)),
        ("wrong source", Packet::tcp(ip(CLIENT), 50000, me, 22)),
        ("icmp type mismatch", Packet::icmp(friend, me, 13, 0)),
        ("icmp code mismatch", Packet::icmp(friend, me, 3, 1)),
        (
            "other protocol",
            Packet {
                src: friend,
                dst: me,
                transport: Transport::Other(47),
            },
        ),
    ];
    for (why, p) in denied {
        assert_eq!(
            net.evaluate(eni, Direction::Inbound, &p).unwrap(),
            Verdict::Denied(Denial::NoRule),
            "{why}"
        );
        assert_eq!(
            net.process(at(0), eni, Direction::Inbound, &p).unwrap(),
            Verdict::Denied(Denial::NoRule),
            "{why}"
        );
    }
    assert!(net.flows().is_empty());
}

#[test]
fn referenced_group_matches_the_private_addresses_of_its_members() {
    let (mut net, a, _) = setup();
    let db = net.create_security_group("db").unwrap();
    let app = net.create_security_group("app").unwrap();
    let other = net.create_security_group("other").unwrap();
    net.authorize(
        db,
        Direction::Inbound,
        Rule::new(Traffic::Tcp(PortRange::single(5432)), Peer::Group(app)),
    )
    .unwrap();
    // `app` allows SSH from anywhere; referencing it does not give `db` that rule.
    net.authorize(
        app,
        Direction::Inbound,
        Rule::tcp(PortRange::single(22), Ipv4Cidr::ANY),
    )
    .unwrap();
    let db_eni = net.launch(inst(1), &t3_micro(), a, None, &[db]).unwrap();
    let app_eni = net.launch(inst(2), &t3_micro(), a, None, &[app]).unwrap();
    let other_eni = net.launch(inst(3), &t3_micro(), a, None, &[other]).unwrap();
    let db_ip = net.network_interface(db_eni).unwrap().addresses()[0];
    let app_ip = net.network_interface(app_eni).unwrap().addresses()[0];
    let other_ip = net.network_interface(other_eni).unwrap().addresses()[0];
    let q = |src| Packet::tcp(src, 40000, db_ip, 5432);
    assert!(allowed(
        net.evaluate(db_eni, Direction::Inbound, &q(app_ip))
            .unwrap()
    ));
    assert_eq!(
        net.evaluate(db_eni, Direction::Inbound, &q(other_ip))
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    assert_eq!(
        net.evaluate(
            db_eni,
            Direction::Inbound,
            &Packet::tcp(ip(CLIENT), 40000, db_ip, 22)
        )
        .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    // A secondary address of a member counts too; a removed member does not.
    let second = net.assign_private_ip(app_eni, None).unwrap();
    assert!(allowed(
        net.evaluate(db_eni, Direction::Inbound, &q(second))
            .unwrap()
    ));
    net.set_security_groups(app_eni, &[other]).unwrap();
    assert_eq!(
        net.evaluate(db_eni, Direction::Inbound, &q(app_ip))
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
}

#[test]
fn rules_of_all_groups_are_aggregated_and_the_most_permissive_wins() {
    let (mut net, sg, eni) = web();
    let wide = net.create_security_group("wide").unwrap();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::tcp(PortRange::single(22), cidr("198.51.100.9/32")),
    )
    .unwrap();
    net.authorize(
        wide,
        Direction::Inbound,
        Rule::tcp(PortRange::new(20, 25).unwrap(), cidr("203.0.113.0/24")),
    )
    .unwrap();
    let p = ssh_in(5555);
    assert_eq!(
        net.evaluate(eni, Direction::Inbound, &p).unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    net.set_security_groups(eni, &[sg, wide]).unwrap();
    assert_eq!(
        net.evaluate(eni, Direction::Inbound, &p).unwrap(),
        Verdict::Allowed(Allowance::Rule(RuleRef {
            group: wide,
            index: 0
        }))
    );
}

// ---------------------------------------------------------------- tracking

#[test]
fn return_traffic_passes_whatever_the_other_direction_says() {
    let (mut net, sg, eni) = web();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::tcp(PortRange::single(22), cidr("203.0.113.0/24")),
    )
    .unwrap();
    net.revoke(sg, Direction::Outbound, Rule::ALL_ANYWHERE)
        .unwrap();
    let req = ssh_in(50000);
    assert!(matches!(
        net.process(at(0), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Allowed(Allowance::Rule(_))
    ));
    assert_eq!(
        net.process(at(1), eni, Direction::Outbound, &req.reply())
            .unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
    // Not the same flow: another client port, or the server opening its own connection.
    let unrelated = Packet::tcp(ip(SERVER), 22, ip(CLIENT), 50001);
    assert_eq!(
        net.process(at(1), eni, Direction::Outbound, &unrelated)
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    // And the other way round: an outbound flow's replies come in with no inbound rule.
    net.authorize(sg, Direction::Outbound, Rule::ALL_ANYWHERE)
        .unwrap();
    let out = Packet::tcp(ip(SERVER), 41000, ip("192.0.2.50"), 443);
    assert!(allowed(
        net.process(at(2), eni, Direction::Outbound, &out).unwrap()
    ));
    assert_eq!(
        net.process(at(3), eni, Direction::Inbound, &out.reply())
            .unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
}

#[test]
fn tracked_flows_survive_rule_removal_until_their_timeout() {
    let (mut net, sg, eni) = web();
    let rule = Rule::tcp(PortRange::single(22), cidr("203.0.113.1/32"));
    net.authorize(sg, Direction::Inbound, rule).unwrap();
    let req = ssh_in(50000);
    assert!(allowed(
        net.process(at(0), eni, Direction::Inbound, &req).unwrap()
    ));
    net.revoke(sg, Direction::Inbound, rule).unwrap();
    assert_eq!(
        net.process(at(10), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
    // A new connection sees the change at once.
    assert_eq!(
        net.process(at(10), eni, Direction::Inbound, &ssh_in(50001))
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    // Idle for the TCP established timeout (432000 s after the last packet at 10 s): gone.
    let idle_end = 10 + 432_000;
    assert_eq!(
        net.process(at(idle_end - 1), eni, Direction::Outbound, &req.reply())
            .unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
    let later = idle_end - 1 + 432_000;
    assert_eq!(
        net.process(at(later), eni, Direction::Inbound, &req)
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    assert_eq!(net.expire_flows(at(later)), 1);
    assert!(net.flows().is_empty());
}

#[test]
fn untracked_flows_are_cut_at_once() {
    let (mut net, sg, eni) = web();
    let open_ssh = Rule::tcp(PortRange::single(22), Ipv4Cidr::ANY);
    net.authorize(sg, Direction::Inbound, open_ssh).unwrap();
    let req = ssh_in(50000);
    // 0.0.0.0/0 in, and the default all-traffic 0.0.0.0/0 out: not tracked.
    assert_eq!(
        net.process(at(0), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Allowed(Allowance::Untracked(RuleRef {
            group: sg,
            index: 0
        }))
    );
    assert!(net.flows().is_empty());
    assert!(matches!(
        net.process(at(0), eni, Direction::Outbound, &req.reply())
            .unwrap(),
        Verdict::Allowed(Allowance::Untracked(_))
    ));
    net.revoke(sg, Direction::Inbound, open_ssh).unwrap();
    assert_eq!(
        net.process(at(1), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Denied(Denial::NoRule)
    );

    // The same rule with a narrower outbound side is tracked, and so survives.
    net.authorize(sg, Direction::Inbound, open_ssh).unwrap();
    net.revoke(sg, Direction::Outbound, Rule::ALL_ANYWHERE)
        .unwrap();
    net.authorize(
        sg,
        Direction::Outbound,
        Rule::tcp(PortRange::single(443), Ipv4Cidr::ANY),
    )
    .unwrap();
    assert!(matches!(
        net.process(at(2), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Allowed(Allowance::Rule(_))
    ));
    net.revoke(sg, Direction::Inbound, open_ssh).unwrap();
    assert_eq!(
        net.process(at(3), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
}

#[test]
fn icmp_is_always_tracked() {
    let (mut net, sg, eni) = web();
    net.authorize(sg, Direction::Inbound, Rule::ALL_ANYWHERE)
        .unwrap();
    let ping = Packet::icmp(ip(CLIENT), ip(SERVER), 8, 0);
    assert!(matches!(
        net.process(at(0), eni, Direction::Inbound, &ping).unwrap(),
        Verdict::Allowed(Allowance::Rule(_))
    ));
    assert_eq!(net.flows().len(), 1);
    let tcp = ssh_in(1234);
    assert!(matches!(
        net.process(at(0), eni, Direction::Inbound, &tcp).unwrap(),
        Verdict::Allowed(Allowance::Untracked(_))
    ));
    assert_eq!(net.flows().len(), 1);
}

#[test]
fn timeouts_per_protocol() {
    let (mut net, sg, eni) = web();
    net.revoke(sg, Direction::Outbound, Rule::ALL_ANYWHERE)
        .unwrap();
    net.authorize(
        sg,
        Direction::Outbound,
        Rule::new(Traffic::All, Peer::Cidr(cidr("192.0.2.0/24"))),
    )
    .unwrap();
    let me = ip(SERVER);
    let far = ip("192.0.2.1");
    let expiry = |net: &Net, proto: u8| {
        net.flows()
            .iter()
            .find(|f| f.key().protocol == proto)
            .map(Flow::expires)
            .unwrap()
    };
    let dns = Packet::udp(me, 5353, far, 53);
    net.process(at(100), eni, Direction::Outbound, &dns)
        .unwrap();
    assert_eq!(expiry(&net, 17), at(130));
    net.process(at(101), eni, Direction::Inbound, &dns.reply())
        .unwrap();
    assert_eq!(expiry(&net, 17), at(131));
    net.process(at(102), eni, Direction::Outbound, &dns)
        .unwrap();
    net.process(at(103), eni, Direction::Inbound, &dns.reply())
        .unwrap();
    // Second request-response: a stream, 180 s.
    assert_eq!(expiry(&net, 17), at(283));

    net.process(
        at(100),
        eni,
        Direction::Outbound,
        &Packet::icmp(me, far, 8, 0),
    )
    .unwrap();
    assert_eq!(expiry(&net, 1), at(130));
    // Any ICMP between the two addresses belongs to the flow (model).
    assert_eq!(
        net.process(
            at(129),
            eni,
            Direction::Inbound,
            &Packet::icmp(far, me, 0, 0)
        )
        .unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );

    // Other protocols: address pair and protocol, 600 s, and the peer may open "the same type
    // of traffic" within that time (SEMANTICS §6).
    let gre = Packet {
        src: me,
        dst: far,
        transport: Transport::Other(47),
    };
    net.process(at(100), eni, Direction::Outbound, &gre)
        .unwrap();
    assert_eq!(expiry(&net, 47), at(700));
    assert_eq!(
        net.process(at(699), eni, Direction::Inbound, &gre.reply())
            .unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
    assert_eq!(
        net.process(at(2000), eni, Direction::Inbound, &gre.reply())
            .unwrap(),
        Verdict::Denied(Denial::NoRule)
    );

    // Per-interface timeouts (ConnectionTrackingSpecification).
    net.set_tracking_timeouts(eni, TrackingTimeouts::new(60, 60, 60).unwrap())
        .unwrap();
    let web = Packet::tcp(me, 40000, far, 443);
    net.process(at(5000), eni, Direction::Outbound, &web)
        .unwrap();
    assert_eq!(expiry(&net, 6), at(5060));
}

#[test]
fn tracking_timeouts_are_range_checked() {
    assert_eq!(
        TrackingTimeouts::default(),
        TrackingTimeouts::new(432_000, 180, 30).unwrap()
    );
    let cases = [
        ((59, 180, 30), "TcpEstablishedTimeout", 60, 432_000),
        ((432_001, 180, 30), "TcpEstablishedTimeout", 60, 432_000),
        ((60, 181, 30), "UdpStreamTimeout", 60, 180),
        ((60, 60, 29), "UdpTimeout", 30, 60),
        ((60, 60, 61), "UdpTimeout", 30, 60),
    ];
    for ((t, s, u), field, min, max) in cases {
        assert_eq!(
            TrackingTimeouts::new(t, s, u),
            Err(NetError::InvalidTimeout { field, min, max })
        );
    }
}

#[test]
fn outbound_port_25_is_blocked_until_lifted() {
    let (mut net, _, eni) = web();
    let mail = Packet::tcp(ip(SERVER), 40000, ip("192.0.2.25"), 25);
    assert_eq!(
        net.process(at(0), eni, Direction::Outbound, &mail).unwrap(),
        Verdict::Denied(Denial::Port25)
    );
    assert_eq!(
        net.evaluate(eni, Direction::Outbound, &mail).unwrap(),
        Verdict::Denied(Denial::Port25)
    );
    // Other ports and other protocols to 25 are not affected.
    let udp25 = Packet::udp(ip(SERVER), 40000, ip("192.0.2.25"), 25);
    assert!(allowed(
        net.process(at(0), eni, Direction::Outbound, &udp25)
            .unwrap()
    ));
    net.set_port25_open(true);
    assert!(net.port25_open());
    assert!(allowed(
        net.process(at(0), eni, Direction::Outbound, &mail).unwrap()
    ));
}

#[test]
fn source_dest_check_drops_foreign_addresses() {
    let (mut net, _, eni) = web();
    let forwarded = Packet::tcp(ip("10.9.9.9"), 40000, ip("192.0.2.1"), 443);
    assert_eq!(
        net.process(at(0), eni, Direction::Outbound, &forwarded)
            .unwrap(),
        Verdict::Denied(Denial::SourceDestCheck)
    );
    net.set_source_dest_check(eni, false).unwrap();
    assert!(allowed(
        net.process(at(0), eni, Direction::Outbound, &forwarded)
            .unwrap()
    ));
}

#[test]
fn full_table_refuses_new_tracked_flows_and_reuses_expired_slots() {
    let mut net: Network<1, 2, 2, 2, 4, 2> =
        Network::new(cidr("10.0.0.0/16"), Quotas::DEFAULT, 3).unwrap();
    let s = net.create_subnet(cidr("10.0.0.0/24"), "z").unwrap();
    let sg = net.create_security_group("udp").unwrap();
    net.revoke(sg, Direction::Outbound, Rule::ALL_ANYWHERE)
        .unwrap();
    net.authorize(
        sg,
        Direction::Outbound,
        Rule::udp(PortRange::ALL, cidr("192.0.2.0/24")),
    )
    .unwrap();
    let eni = net.launch(inst(1), &t3_micro(), s, None, &[sg]).unwrap();
    let me = ip("10.0.0.4");
    let q = |port| Packet::udp(me, port, ip("192.0.2.1"), 53);
    assert!(allowed(
        net.process(at(0), eni, Direction::Outbound, &q(1)).unwrap()
    ));
    assert!(allowed(
        net.process(at(10), eni, Direction::Outbound, &q(2))
            .unwrap()
    ));
    let before = net.clone();
    assert_eq!(
        net.process(at(20), eni, Direction::Outbound, &q(3))
            .unwrap(),
        Verdict::Denied(Denial::TableFull)
    );
    assert_eq!(net, before);
    // Live flows still pass.
    assert!(allowed(
        net.process(at(20), eni, Direction::Outbound, &q(1))
            .unwrap()
    ));
    // At 45 s the flow of port 2 (expires 40 s) is dead; port 1 lives until 50 s.
    assert_eq!(
        net.process(at(45), eni, Direction::Outbound, &q(3))
            .unwrap(),
        Verdict::Allowed(Allowance::Rule(RuleRef {
            group: sg,
            index: 0
        }))
    );
    let ports: Vec<u16> = net
        .flows()
        .live(at(45))
        .map(|f| f.key().local_port)
        .collect();
    assert_eq!(ports, [1, 3]);
}

#[test]
fn invalid_packets_and_unknown_interfaces_are_errors() {
    let (mut net, _, eni) = web();
    let bad = Packet {
        src: ip(CLIENT),
        dst: ip(SERVER),
        transport: Transport::Other(6),
    };
    assert_eq!(
        net.process(at(0), eni, Direction::Inbound, &bad),
        Err(NetError::InvalidPacket)
    );
    let ghost = EniId::from_u64(1);
    assert_eq!(
        net.evaluate(ghost, Direction::Inbound, &ssh_in(1)),
        Err(NetError::UnknownEni { id: ghost })
    );
}

// ---------------------------------------------------------------- errors, sizes, snapshots

#[test]
#[allow(clippy::too_many_lines)] // one row per variant
fn error_codes_are_stable() {
    let eni = EniId::from_u64(1);
    let sg = SecurityGroupId::from_u64(1);
    let addr = Ipv4Addr::LOCALHOST;
    let cases: [(NetError, u32, ErrorKind); 40] = [
        (
            NetError::BadCidr(CidrFault::Syntax),
            1800,
            ErrorKind::Malformed,
        ),
        (
            NetError::BadAddress(CidrFault::LeadingZero),
            1801,
            ErrorKind::Malformed,
        ),
        (
            NetError::ReversedPortRange { from: 2, to: 1 },
            1802,
            ErrorKind::InvalidArgument,
        ),
        (NetError::DuplicateRule, 1803, ErrorKind::InvalidArgument),
        (NetError::RuleNotFound, 1804, ErrorKind::NotFound),
        (
            NetError::RuleLimit { limit: 60 },
            1805,
            ErrorKind::CapacityExceeded,
        ),
        (
            NetError::GroupLimit { limit: 5 },
            1806,
            ErrorKind::CapacityExceeded,
        ),
        (
            NetError::InvalidQuota {
                groups_per_eni: 0,
                rules_per_group: 0,
            },
            1807,
            ErrorKind::InvalidArgument,
        ),
        (NetError::UnknownGroup { id: sg }, 1808, ErrorKind::NotFound),
        (NetError::InvalidGroupName, 1809, ErrorKind::Malformed),
        (
            NetError::DuplicateGroupName,
            1810,
            ErrorKind::InvalidArgument,
        ),
        (NetError::CannotDeleteDefault, 1811, ErrorKind::InvalidState),
        (
            NetError::GroupInUse { id: sg },
            1812,
            ErrorKind::InvalidState,
        ),
        (
            NetError::RepeatedGroup { id: sg },
            1813,
            ErrorKind::InvalidArgument,
        ),
        (NetError::NoGroups, 1814, ErrorKind::InvalidArgument),
        (
            NetError::UnknownSubnet {
                id: SubnetId::from_u64(1),
            },
            1815,
            ErrorKind::NotFound,
        ),
        (NetError::SubnetOutsideVpc, 1816, ErrorKind::InvalidArgument),
        (NetError::SubnetOverlap, 1817, ErrorKind::InvalidArgument),
        (
            NetError::SubnetSize { prefix: 8 },
            1818,
            ErrorKind::InvalidArgument,
        ),
        (NetError::InvalidZone, 1819, ErrorKind::Malformed),
        (NetError::UnknownEni { id: eni }, 1820, ErrorKind::NotFound),
        (
            NetError::AddressOutsideSubnet { addr },
            1821,
            ErrorKind::InvalidArgument,
        ),
        (
            NetError::AddressReserved { addr },
            1822,
            ErrorKind::InvalidArgument,
        ),
        (
            NetError::AddressInUse { addr },
            1823,
            ErrorKind::InvalidArgument,
        ),
        (NetError::SubnetFull, 1824, ErrorKind::CapacityExceeded),
        (
            NetError::AddressLimit { limit: 2 },
            1825,
            ErrorKind::CapacityExceeded,
        ),
        (NetError::PrimaryAddress, 1826, ErrorKind::InvalidState),
        (
            NetError::AddressNotAssigned { addr },
            1827,
            ErrorKind::NotFound,
        ),
        (
            NetError::EniInUse { id: eni },
            1828,
            ErrorKind::InvalidState,
        ),
        (
            NetError::NotAttached { id: eni },
            1829,
            ErrorKind::InvalidState,
        ),
        (
            NetError::PrimaryDetach { id: eni },
            1830,
            ErrorKind::InvalidState,
        ),
        (
            NetError::ZoneMismatch { id: eni },
            1831,
            ErrorKind::InvalidArgument,
        ),
        (
            NetError::EniLimit { limit: 2 },
            1832,
            ErrorKind::CapacityExceeded,
        ),
        (
            NetError::DeviceIndexInUse { index: 1 },
            1833,
            ErrorKind::InvalidArgument,
        ),
        (
            NetError::UnknownInstance { id: inst(1) },
            1834,
            ErrorKind::NotFound,
        ),
        (
            NetError::InstanceExists { id: inst(1) },
            1835,
            ErrorKind::InvalidArgument,
        ),
        (
            NetError::Full {
                table: "subnets",
                capacity: 1,
            },
            1836,
            ErrorKind::CapacityExceeded,
        ),
        (NetError::IdsExhausted, 1837, ErrorKind::CapacityExceeded),
        (
            NetError::InvalidTimeout {
                field: "UdpTimeout",
                min: 30,
                max: 60,
            },
            1838,
            ErrorKind::InvalidArgument,
        ),
        (NetError::InvalidPacket, 1839, ErrorKind::InvalidArgument),
    ];
    for (e, code, kind) in cases {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e:?}");
        let text = e.to_string();
        assert!(!text.is_empty() && !text.ends_with('.'), "{text}");
    }
}

#[test]
fn ids_are_aws_shaped_and_deterministic() {
    let (a, _, _) = setup();
    let (b, _, _) = setup();
    assert_eq!(a.vpc_id(), b.vpc_id());
    assert!(a.vpc_id().to_string().starts_with("vpc-"));
    let s = a.subnets().next().unwrap();
    assert!(s.id().to_string().starts_with("subnet-"));
    assert_eq!((s.cidr(), s.zone()), (cidr("10.0.1.0/24"), "us-east-1a"));
    assert!(a.default_security_group().to_string().starts_with("sg-"));
}

#[test]
fn network_round_trips_through_postcard() {
    let (mut net, sg, eni) = web();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::tcp(PortRange::single(22), cidr("203.0.113.0/24")),
    )
    .unwrap();
    net.process(at(0), eni, Direction::Inbound, &ssh_in(1))
        .unwrap();
    let mut buf = vec![0u8; 16 * 1024];
    let used = postcard::to_slice(&net, &mut buf).unwrap().len();
    let back: Net = postcard::from_bytes(&buf[..used]).unwrap();
    assert_eq!(back, net);
    println!("postcard encoding of the test network: {used} bytes");
}

#[test]
fn sizes() {
    use core::mem::size_of;
    println!("Rule: {} bytes", size_of::<Rule>());
    println!("Flow: {} bytes", size_of::<Flow>());
    println!(
        "SecurityGroup<60>: {} bytes",
        size_of::<SecurityGroup<60>>()
    );
    println!(
        "NetworkInterface<2>: {} bytes",
        size_of::<NetworkInterface<2>>()
    );
    println!(
        "NetworkInterface<50>: {} bytes",
        size_of::<NetworkInterface<50>>()
    );
    println!(
        "Network<4, 16, 16, 8, 64, 32> (tests): {} bytes",
        size_of::<Net>()
    );
    println!(
        "Network<2, 8, 2, 4, 16, 64> (small controller): {} bytes",
        size_of::<Network<2, 8, 2, 4, 16, 64>>()
    );
    println!(
        "Network<8, 64, 4, 16, 60, 1024> (service quotas): {} bytes",
        size_of::<Network<8, 64, 4, 16, 60, 1024>>()
    );
    assert!(size_of::<Rule>() <= 32);
}

#[test]
fn model_limit_an_instance_packet_can_reopen_a_cut_untracked_connection() {
    // Documented in filter.rs: without TCP flags, the server's next packet on a connection whose
    // untracked inbound rule went is new outbound traffic, and opens a tracked flow.
    let (mut net, sg, eni) = web();
    let open_ssh = Rule::tcp(PortRange::single(22), Ipv4Cidr::ANY);
    net.authorize(sg, Direction::Inbound, open_ssh).unwrap();
    let req = ssh_in(50000);
    assert!(
        net.process(at(0), eni, Direction::Inbound, &req)
            .unwrap()
            .is_allowed()
    );
    net.revoke(sg, Direction::Inbound, open_ssh).unwrap();
    assert_eq!(
        net.process(at(1), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Denied(Denial::NoRule)
    );
    assert!(matches!(
        net.process(at(2), eni, Direction::Outbound, &req.reply())
            .unwrap(),
        Verdict::Allowed(Allowance::Rule(_))
    ));
    assert_eq!(
        net.process(at(3), eni, Direction::Inbound, &req).unwrap(),
        Verdict::Allowed(Allowance::Flow)
    );
}

#[test]
fn reply_side_rule_decides_tracking() {
    let (mut net, sg, eni) = web();
    net.revoke(sg, Direction::Outbound, Rule::ALL_ANYWHERE)
        .unwrap();
    net.authorize(
        sg,
        Direction::Inbound,
        Rule::tcp(PortRange::single(80), Ipv4Cidr::ANY),
    )
    .unwrap();
    // Replies to client ports 1024-65535 are open to everyone: untracked for such clients.
    net.authorize(
        sg,
        Direction::Outbound,
        Rule::tcp(PortRange::new(1024, 65535).unwrap(), Ipv4Cidr::ANY),
    )
    .unwrap();
    let high = Packet::tcp(ip(CLIENT), 40000, ip(SERVER), 80);
    let low = Packet::tcp(ip(CLIENT), 900, ip(SERVER), 80);
    assert!(matches!(
        net.evaluate(eni, Direction::Inbound, &high).unwrap(),
        Verdict::Allowed(Allowance::Untracked(_))
    ));
    assert!(matches!(
        net.evaluate(eni, Direction::Inbound, &low).unwrap(),
        Verdict::Allowed(Allowance::Rule(_))
    ));
}

// ---------------------------------------------------------------- properties

mod props {
    use crate::test_prelude::*;
    use proptest::prelude::*;

    use super::*;

    type Small = Network<2, 4, 2, 4, 8, 8>;

    #[derive(Debug, Clone)]
    enum Op {
        Authorize(usize, bool, Rule),
        Revoke(usize, bool, usize),
        SetGroups(usize, u8),
        Send(usize, bool, Packet),
        Advance(u32),
    }

    const POOL: [&str; 6] = [
        "10.0.0.4",
        "10.0.0.5",
        "10.0.0.6",
        "198.51.100.7",
        "198.51.100.200",
        "203.0.113.9",
    ];

    fn addr() -> impl Strategy<Value = Ipv4Addr> {
        (0..POOL.len()).prop_map(|i| ip(POOL[i]))
    }

    fn port() -> impl Strategy<Value = u16> {
        prop_oneof![Just(22u16), Just(25), Just(80), Just(443), 0u16..2000]
    }

    fn block() -> impl Strategy<Value = Ipv4Cidr> {
        (addr(), prop_oneof![Just(0u8), Just(8), Just(24), Just(32)])
            .prop_map(|(a, p)| Ipv4Cidr::new_masked(a, p).unwrap())
    }

    fn ports() -> impl Strategy<Value = PortRange> {
        (port(), port()).prop_map(|(a, b)| PortRange::new(a.min(b), a.max(b)).unwrap())
    }

    fn rule() -> impl Strategy<Value = Rule> {
        let traffic = prop_oneof![
            Just(Traffic::All),
            ports().prop_map(Traffic::Tcp),
            ports().prop_map(Traffic::Udp),
            (0u8..4, 0u8..3).prop_map(|(t, c)| Traffic::Icmp(match t {
                0 => IcmpMatch::Any,
                1 => IcmpMatch::Type(8),
                2 => IcmpMatch::TypeCode(3, c),
                _ => IcmpMatch::Type(0),
            })),
            Just(Traffic::Protocol(47)),
        ];
        let peer = prop_oneof![
            3 => block().prop_map(Peer::Cidr),
            1 => (0usize..4).prop_map(|g| Peer::Group(SecurityGroupId::from_u64(g as u64))),
        ];
        (traffic, peer).prop_map(|(traffic, peer)| Rule { traffic, peer })
    }

    fn packet() -> impl Strategy<Value = Packet> {
        (addr(), addr(), port(), port(), 0u8..4, 0u8..3).prop_map(|(s, d, sp, dp, kind, x)| {
            match kind {
                0 => Packet::tcp(s, sp, d, dp),
                1 => Packet::udp(s, sp, d, dp),
                2 => Packet::icmp(s, d, [0, 3, 8][usize::from(x)], x),
                _ => Packet {
                    src: s,
                    dst: d,
                    transport: Transport::Other(47),
                },
            }
        })
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0usize..4, any::<bool>(), rule()).prop_map(|(g, i, r)| Op::Authorize(g, i, r)),
            1 => (0usize..4, any::<bool>(), 0usize..8).prop_map(|(g, i, n)| Op::Revoke(g, i, n)),
            1 => (0usize..3, 1u8..16).prop_map(|(e, mask)| Op::SetGroups(e, mask)),
            5 => (0usize..3, any::<bool>(), packet()).prop_map(|(e, i, p)| Op::Send(e, i, p)),
            1 => (0u32..100_000).prop_map(Op::Advance),
        ]
    }

    fn dir(inbound: bool) -> Direction {
        if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        }
    }

    /// Checks a verdict against the rules and flows as they were before the packet.
    fn explain(
        net: &Small,
        now: Instant,
        eni: EniId,
        direction: Direction,
        packet: &Packet,
        verdict: Verdict,
        stateful: bool,
    ) {
        let (d, p) = (direction, packet);
        let e = net.network_interface(eni).unwrap();
        let live = net
            .flows()
            .live(now)
            .any(|f| f.eni() == eni && f.key() == p.flow_key(d));
        let any_rule = e.security_groups().iter().any(|g| {
            net.security_group(*g)
                .unwrap()
                .rules(d)
                .iter()
                .any(|r| net.rule_allows(r, d, p))
        });
        match verdict {
            Verdict::Allowed(Allowance::Flow) => assert!(live, "flow verdict without a flow"),
            Verdict::Allowed(Allowance::Rule(r) | Allowance::Untracked(r)) => {
                assert!(e.security_groups().contains(&r.group));
                let rule = net.security_group(r.group).unwrap().rules(d)[r.index];
                assert!(
                    net.rule_allows(&rule, d, p),
                    "{rule:?} does not allow {p:?}"
                );
            }
            Verdict::Denied(Denial::NoRule) => assert!(!(any_rule || stateful && live)),
            Verdict::Denied(_) => {}
        }
    }

    proptest! {
        #[test]
        fn every_allowed_packet_has_a_reason_and_nothing_outlives_the_rules(
            ops in proptest::collection::vec(op(), 1..60)
        ) {
            let mut net = Small::new(cidr("10.0.0.0/16"), Quotas::DEFAULT, 0).unwrap();
            net.set_port25_open(true);
            let s = net.create_subnet(cidr("10.0.0.0/24"), "z").unwrap();
            let mut groups = vec![net.default_security_group()];
            for name in ["a", "b", "c"] {
                groups.push(net.create_security_group(name).unwrap());
            }
            let enis: Vec<EniId> = (1..=3)
                .map(|i| net.launch(inst(i), &t3_micro(), s, None, &[]).unwrap())
                .collect();
            let fix_peer = |r: Rule| match r.peer {
                Peer::Group(g) => Rule {
                    peer: Peer::Group(groups[usize::try_from(g.to_u64().unwrap()).unwrap()]),
                    ..r
                },
                Peer::Cidr(_) => r,
            };
            let mut now = at(1_000);
            for op in ops {
                match op {
                    Op::Authorize(g, i, r) => {
                        let before = net.clone();
                        if net.authorize(groups[g], dir(i), fix_peer(r)).is_err() {
                            prop_assert_eq!(&net, &before);
                        }
                    }
                    Op::Revoke(g, i, n) => {
                        let rules = net.security_group(groups[g]).unwrap().rules(dir(i)).to_vec();
                        if let Some(r) = rules.get(n) {
                            net.revoke(groups[g], dir(i), *r).unwrap();
                        }
                    }
                    Op::SetGroups(e, mask) => {
                        let chosen: Vec<_> = (0..4)
                            .filter(|b| mask & (1 << b) != 0)
                            .map(|b| groups[b])
                            .collect();
                        net.set_security_groups(enis[e], &chosen).unwrap();
                    }
                    Op::Send(e, i, p) => {
                        let d = dir(i);
                        let stateless = net.evaluate(enis[e], d, &p).unwrap();
                        explain(&net, now, enis[e], d, &p, stateless, false);
                        let snapshot = net.clone();
                        let v = net.process(now, enis[e], d, &p).unwrap();
                        explain(&snapshot, now, enis[e], d, &p, v, true);
                        // Tracking only ever adds reasons to pass.
                        if stateless.is_allowed() && !matches!(v, Verdict::Denied(Denial::TableFull)) {
                            prop_assert!(v.is_allowed());
                        }
                    }
                    Op::Advance(s) => now = now.saturating_add(Duration::from_secs(u64::from(s))),
                }
                prop_assert!(net.flows().len() <= 8);
            }
            // Remove every rule and outwait every timeout: nothing passes.
            for g in &groups {
                for d in [Direction::Inbound, Direction::Outbound] {
                    for r in net.security_group(*g).unwrap().rules(d).to_vec() {
                        net.revoke(*g, d, r).unwrap();
                    }
                }
            }
            now = now.saturating_add(Duration::from_secs(432_000));
            net.expire_flows(now);
            prop_assert!(net.flows().is_empty());
            for e in &enis {
                for a in POOL {
                    for d in [Direction::Inbound, Direction::Outbound] {
                        let me = net.network_interface(*e).unwrap().addresses()[0];
                        let p = match d {
                            Direction::Inbound => Packet::tcp(ip(a), 1000, me, 22),
                            Direction::Outbound => Packet::tcp(me, 1000, ip(a), 22),
                        };
                        prop_assert!(!net.process(now, *e, d, &p).unwrap().is_allowed());
                    }
                }
            }
        }
    }
}
