//! The network API of `fleetcore::network` as random operation sequences on a small `Network`:
//! subnets, interfaces, launches, attach/detach/terminate, group and rule changes, and packets
//! through `evaluate` and `process` with a moving clock.
//!
//! Properties checked after every operation:
//! - an `Err` leaves the network exactly as it was, with a code in the 1800s and a message;
//! - a packet allowed by a rule names a rule of one of the interface's groups that allows it;
//!   one allowed as part of a flow had a live tracked flow with its key; one denied for want of a
//!   rule has no rule allowing it (and, through `process`, no live flow);
//! - tracking only adds reasons to pass: what `evaluate` allows, `process` allows unless the
//!   tracking table is full;
//! - the primary interface (device index 0) of a launched instance is never detached, every
//!   attached interface's instance has exactly one primary, and attached interfaces stay within
//!   their instance type's interface and address limits;
//! - private addresses are unique, inside their subnet and never one of its five reserved ones;
//!   MAC addresses are unique, locally administered and unicast.
//!
//! At the end every rule is revoked and every flow outwaited: then no packet passes.

#![no_main]

use std::collections::HashSet;

use arbitrary::Arbitrary;
use fleetcore::Error as _;
use fleetcore::catalog::InstanceType;
use fleetcore::id::{EniId, InstanceId, SecurityGroupId};
use fleetcore::network::{
    Allowance, Denial, Direction, IcmpMatch, Ipv4Cidr, NetError, Network, Packet, Peer, PortRange,
    Quotas, Rule, SubnetId, Traffic, Transport, Verdict,
};
use fleetcore::{Duration, Instant};
use libfuzzer_sys::fuzz_target;

type Net = Network<3, 6, 3, 4, 6, 6>;

const TYPES: [&str; 4] = ["t3.micro", "t3.small", "m5.large", "t2.micro"];

#[derive(Debug, Arbitrary)]
struct Input {
    seed: u64,
    groups_per_eni: u8,
    port25_open: bool,
    ops: Vec<Op>,
}

#[derive(Debug, Arbitrary)]
enum Op {
    CreateSubnet(u8, u8, bool),
    CreateEni(u8, Option<u8>, Vec<u8>),
    DeleteEni(u8),
    Launch(u8, u8, u8, Vec<u8>),
    Attach(u8, u8, u8, bool),
    Detach(u8),
    Terminate(u8),
    Assign(u8, Option<u8>),
    Unassign(u8, u8),
    CreateGroup(u8),
    DeleteGroup(u8),
    SetGroups(u8, Vec<u8>),
    SourceDestCheck(u8, bool),
    Authorize(u8, bool, RuleIn),
    Revoke(u8, bool, u8),
    Send(u8, bool, PacketIn),
    Advance(u32),
    Expire,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum TrafficIn {
    All,
    Tcp(u16, u16),
    Udp(u16, u16),
    Icmp(Option<(u8, Option<u8>)>),
    Protocol(u8),
}

#[derive(Debug, Clone, Copy, Arbitrary)]
struct RuleIn {
    traffic: TrafficIn,
    /// A CIDR (address index into the pool, prefix) or a group index.
    peer: Result<(u8, u8), u8>,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
struct PacketIn {
    src: u8,
    dst: u8,
    kind: u8,
    a: u16,
    b: u16,
}

/// A few addresses inside and outside the VPC; interfaces' own addresses join the pool.
const FIXED: [[u8; 4]; 4] = [
    [10, 0, 0, 4],
    [10, 0, 1, 5],
    [198, 51, 100, 7],
    [203, 0, 113, 9],
];

struct World {
    net: Net,
    subnets: Vec<SubnetId>,
    enis: Vec<EniId>,
    groups: Vec<SecurityGroupId>,
    now: Instant,
}

impl World {
    fn pool(&self) -> Vec<std::net::Ipv4Addr> {
        let mut pool: Vec<_> = FIXED.iter().map(|o| std::net::Ipv4Addr::from(*o)).collect();
        pool.extend(
            self.net
                .network_interfaces()
                .flat_map(|e| e.addresses().to_vec()),
        );
        pool
    }

    fn addr(&self, i: u8) -> std::net::Ipv4Addr {
        let pool = self.pool();
        pool[usize::from(i) % pool.len()]
    }

    fn eni(&self, i: u8) -> EniId {
        if self.enis.is_empty() {
            EniId::from_u64(u64::from(i))
        } else {
            self.enis[usize::from(i) % self.enis.len()]
        }
    }

    fn group(&self, i: u8) -> SecurityGroupId {
        self.groups[usize::from(i) % self.groups.len()]
    }

    fn groups(&self, list: &[u8]) -> Vec<SecurityGroupId> {
        list.iter().take(18).map(|g| self.group(*g)).collect()
    }

    fn rule(&self, r: RuleIn) -> Option<Rule> {
        let ports = |a: u16, b: u16| PortRange::new(a, b).ok();
        let traffic = match r.traffic {
            TrafficIn::All => Traffic::All,
            TrafficIn::Tcp(a, b) => Traffic::Tcp(ports(a, b)?),
            TrafficIn::Udp(a, b) => Traffic::Udp(ports(a, b)?),
            TrafficIn::Icmp(None) => Traffic::Icmp(IcmpMatch::Any),
            TrafficIn::Icmp(Some((t, None))) => Traffic::Icmp(IcmpMatch::Type(t % 16)),
            TrafficIn::Icmp(Some((t, Some(c)))) => {
                Traffic::Icmp(IcmpMatch::TypeCode(t % 16, c % 4))
            }
            TrafficIn::Protocol(n) => Traffic::Protocol(n),
        };
        let peer = match r.peer {
            Ok((a, p)) => Peer::Cidr(
                Ipv4Cidr::new_masked(self.addr(a), [0, 8, 16, 24, 32][usize::from(p) % 5]).ok()?,
            ),
            Err(g) => Peer::Group(self.group(g)),
        };
        Some(Rule::new(traffic, peer))
    }

    fn packet(&self, p: PacketIn) -> Packet {
        let (src, dst) = (self.addr(p.src), self.addr(p.dst));
        let ports = [22, 25, 80, 443, 53, p.a];
        let sp = ports[usize::from(p.a) % ports.len()];
        let dp = ports[usize::from(p.b) % ports.len()];
        match p.kind % 4 {
            0 => Packet::tcp(src, sp, dst, dp),
            1 => Packet::udp(src, sp, dst, dp),
            2 => Packet::icmp(src, dst, (p.a % 16) as u8, (p.b % 4) as u8),
            _ => Packet {
                src,
                dst,
                transport: Transport::Other([47, 50, 132][usize::from(p.b) % 3]),
            },
        }
    }
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
    net: &Net,
    now: Instant,
    eni: EniId,
    d: Direction,
    p: &Packet,
    v: Verdict,
    stateful: bool,
) {
    let Ok(e) = net.network_interface(eni) else {
        return;
    };
    let live = net
        .flows()
        .live(now)
        .any(|f| f.eni() == eni && f.key() == p.flow_key(d));
    let any_rule = e.security_groups().iter().any(|g| {
        net.security_group(*g)
            .is_ok_and(|g| g.rules(d).iter().any(|r| net.rule_allows(r, d, p)))
    });
    match v {
        Verdict::Allowed(Allowance::Flow) => {
            assert!(stateful && live, "flow verdict without a flow")
        }
        Verdict::Allowed(Allowance::Rule(r) | Allowance::Untracked(r)) => {
            assert!(
                e.security_groups().contains(&r.group),
                "{r:?} not on the interface"
            );
            let rule = net.security_group(r.group).unwrap().rules(d)[r.index];
            assert!(
                net.rule_allows(&rule, d, p),
                "{rule:?} does not allow {p:?}"
            );
        }
        Verdict::Denied(Denial::NoRule) => {
            assert!(!any_rule, "a rule allows a denied packet");
            assert!(!(stateful && live), "a live flow was denied");
        }
        Verdict::Denied(Denial::TableFull) => assert!(stateful && any_rule),
        Verdict::Denied(Denial::Port25 | Denial::SourceDestCheck) => {}
    }
}

fn check_invariants(w: &World) {
    let net = &w.net;
    let mut addrs = HashSet::new();
    let mut macs = HashSet::new();
    for e in net.network_interfaces() {
        let subnet = net
            .subnet(e.subnet())
            .expect("an interface's subnet exists");
        let c = subnet.cidr();
        assert!(
            !e.addresses().is_empty(),
            "an interface always has its primary address"
        );
        for a in e.addresses() {
            assert!(addrs.insert(*a), "address {a} assigned twice");
            assert!(c.contains(*a), "{a} outside {c}");
            let bits = u32::from(*a);
            let base = u32::from(c.network());
            assert!(
                bits >= base + 4 && bits < u32::from(c.last()),
                "{a} is reserved in {c}"
            );
        }
        let m = e.mac();
        assert!(m.is_local() && !m.is_multicast(), "{m}");
        assert!(macs.insert(m), "MAC {m} repeated");
        assert!(!e.security_groups().is_empty());
        assert!(e.security_groups().len() <= usize::from(net.quotas().groups_per_eni()));
        if let Some(att) = e.attachment() {
            let attached: Vec<_> = net.instance_interfaces(att.instance).collect();
            let primaries = attached
                .iter()
                .filter(|x| x.attachment().unwrap().device_index == 0)
                .count();
            assert_eq!(
                primaries, 1,
                "instance {} has {primaries} primaries",
                att.instance
            );
            assert!(attached.len() <= usize::from(att.max_enis));
            assert!(e.addresses().len() <= usize::from(att.ipv4_per_eni));
        }
    }
}

fn err_ok(e: &NetError) {
    assert!(
        (1800..1900).contains(&e.code()),
        "code {} for {e:?}",
        e.code()
    );
    assert!(!e.to_string().is_empty());
}

fuzz_target!(|input: Input| {
    let quotas = Quotas::new(input.groups_per_eni % 17, 6).unwrap_or(Quotas::DEFAULT);
    let Ok(mut net) = Net::new(Ipv4Cidr::parse("10.0.0.0/16").unwrap(), quotas, input.seed) else {
        return;
    };
    net.set_port25_open(input.port25_open);
    let groups = vec![net.default_security_group()];
    let mut w = World {
        net,
        subnets: Vec::new(),
        enis: Vec::new(),
        groups,
        now: Instant::from_secs(1),
    };
    for op in input.ops.into_iter().take(200) {
        let before = w.net.clone();
        let result: Result<(), NetError> = match op {
            Op::CreateSubnet(third, size, zone_b) => {
                let prefix = [24, 28, 26, 16, 29][usize::from(size) % 5];
                match Ipv4Cidr::new_masked(std::net::Ipv4Addr::new(10, 0, third % 4, 0), prefix) {
                    Ok(c) => w
                        .net
                        .create_subnet(c, if zone_b { "b" } else { "a" })
                        .map(|s| w.subnets.push(s)),
                    Err(_) => Ok(()),
                }
            }
            Op::CreateEni(s, ip, gs) => {
                match w.subnets.get(usize::from(s) % w.subnets.len().max(1)) {
                    Some(&subnet) => {
                        let ip = ip.map(|i| w.addr(i));
                        let groups = w.groups(&gs);
                        w.net
                            .create_network_interface(subnet, ip, &groups)
                            .map(|e| w.enis.push(e))
                    }
                    None => Ok(()),
                }
            }
            Op::DeleteEni(e) => w.net.delete_network_interface(w.eni(e)),
            Op::Launch(i, t, s, gs) => match w.subnets.get(usize::from(s) % w.subnets.len().max(1))
            {
                Some(&subnet) => {
                    let ty = InstanceType::builtin(TYPES[usize::from(t) % TYPES.len()]).unwrap();
                    let groups = w.groups(&gs);
                    w.net
                        .launch(
                            InstanceId::from_u64(u64::from(i % 4)),
                            &ty,
                            subnet,
                            None,
                            &groups,
                        )
                        .map(|e| w.enis.push(e))
                }
                None => Ok(()),
            },
            Op::Attach(i, e, idx, dot) => w.net.attach(
                InstanceId::from_u64(u64::from(i % 4)),
                w.eni(e),
                idx % 4,
                dot,
            ),
            Op::Detach(e) => w.net.detach(w.eni(e)),
            Op::Terminate(i) => w
                .net
                .terminate(InstanceId::from_u64(u64::from(i % 4)))
                .map(|_| ()),
            Op::Assign(e, ip) => {
                let ip = ip.map(|i| w.addr(i));
                w.net.assign_private_ip(w.eni(e), ip).map(|_| ())
            }
            Op::Unassign(e, ip) => w.net.unassign_private_ip(w.eni(e), w.addr(ip)),
            Op::CreateGroup(n) => w
                .net
                .create_security_group(&format!("g{}", n % 8))
                .map(|g| w.groups.push(g)),
            Op::DeleteGroup(g) => {
                let id = w.group(g);
                w.net.delete_security_group(id)
            }
            Op::SetGroups(e, gs) => {
                let groups = w.groups(&gs);
                w.net.set_security_groups(w.eni(e), &groups)
            }
            Op::SourceDestCheck(e, on) => w.net.set_source_dest_check(w.eni(e), on),
            Op::Authorize(g, inbound, r) => match w.rule(r) {
                Some(rule) => w.net.authorize(w.group(g), dir(inbound), rule),
                None => Ok(()),
            },
            Op::Revoke(g, inbound, n) => {
                let id = w.group(g);
                let rule = w.net.security_group(id).ok().and_then(|sg| {
                    let rules = sg.rules(dir(inbound));
                    (!rules.is_empty()).then(|| rules[usize::from(n) % rules.len()])
                });
                match rule {
                    Some(r) => w.net.revoke(id, dir(inbound), r),
                    None => Ok(()),
                }
            }
            Op::Send(e, inbound, p) => {
                let (eni, d, p) = (w.eni(e), dir(inbound), w.packet(p));
                let stateless = w.net.evaluate(eni, d, &p);
                let stateful = w.net.process(w.now, eni, d, &p);
                match (stateless, stateful) {
                    (Ok(s), Ok(v)) => {
                        explain(&before, w.now, eni, d, &p, s, false);
                        explain(&before, w.now, eni, d, &p, v, true);
                        if s.is_allowed() && v != Verdict::Denied(Denial::TableFull) {
                            assert!(v.is_allowed(), "evaluate allowed, process gave {v:?}");
                        }
                        Ok(())
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!(a, b);
                        Err(a)
                    }
                    (a, b) => panic!("evaluate {a:?} but process {b:?}"),
                }
            }
            Op::Advance(s) => {
                w.now = w
                    .now
                    .saturating_add(Duration::from_secs(u64::from(s % 500_000)));
                Ok(())
            }
            Op::Expire => {
                w.net.expire_flows(w.now);
                Ok(())
            }
        };
        if let Err(e) = result {
            err_ok(&e);
            assert!(w.net == before, "{e:?} changed the network");
        }
        w.enis.retain(|e| w.net.network_interface(*e).is_ok());
        w.groups.retain(|g| w.net.security_group(*g).is_ok());
        check_invariants(&w);
    }

    // Revoke everything and outwait every timeout: nothing passes any more.
    for g in w.groups.clone() {
        for d in [Direction::Inbound, Direction::Outbound] {
            for r in w.net.security_group(g).unwrap().rules(d).to_vec() {
                w.net.revoke(g, d, r).unwrap();
            }
        }
    }
    w.now = w.now.saturating_add(Duration::from_secs(432_001));
    w.net.expire_flows(w.now);
    assert!(w.net.flows().is_empty());
    let pool = w.pool();
    for e in w
        .net
        .network_interfaces()
        .map(|e| e.id())
        .collect::<Vec<_>>()
    {
        for (i, a) in pool.iter().enumerate() {
            for b in &pool {
                for d in [Direction::Inbound, Direction::Outbound] {
                    let p = if i % 2 == 0 {
                        Packet::tcp(*a, 1000, *b, 22)
                    } else {
                        Packet::icmp(*a, *b, 8, 0)
                    };
                    let v = w.net.process(w.now, e, d, &p).unwrap();
                    assert!(!v.is_allowed(), "{p:?} {d} passed with no rule: {v:?}");
                }
            }
        }
    }
});
