"""Network: subnets, ENIs, security groups and stateful filtering (SEMANTICS §6)."""

from __future__ import annotations

import ipaddress
import re
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fleetcore
from fleetcore import Network, NetworkError, Packet, Rule

I1 = "i-0000000000000000a"
I2 = "i-0000000000000000b"
OUTSIDE = "203.0.113.5"


@pytest.fixture
def net() -> Network:
    n = Network("10.0.0.0/16", seed=1)
    n.create_subnet("10.0.1.0/24", "us-east-1a")
    return n


def subnet(n: Network, zone: str = "us-east-1a") -> str:
    return next(s.id for s in n.subnets() if s.zone == zone)


def code_of(call: object) -> int:
    with pytest.raises(NetworkError) as info:
        call()  # type: ignore[operator]
    return info.value.code  # type: ignore[no-any-return]


def test_vpc_default_group_and_subnets(net: Network) -> None:
    assert net.vpc_id.startswith("vpc-")
    assert net.cidr == "10.0.0.0/16"
    assert net.quotas == (5, 60)
    [sn] = net.subnets()
    assert (sn.cidr, sn.zone) == ("10.0.1.0/24", "us-east-1a")
    assert sn == net.subnets()[0]
    assert repr(sn) == f"Subnet(id='{sn.id}', cidr='10.0.1.0/24', zone='us-east-1a')"
    [default] = net.security_groups()
    assert default.id == net.default_security_group
    assert (default.name, default.is_default) == ("default", True)
    assert default.inbound == [Rule(group=default.id)]
    assert default.outbound == [Rule(cidr="0.0.0.0/0")]
    web = net.create_security_group("web")
    g = net.security_group(web)
    assert (g.name, g.is_default, g.inbound, g.outbound) == ("web", False, [], [Rule("all", cidr="0.0.0.0/0")])
    assert repr(g) == f"SecurityGroup(id='{web}', name='web', is_default=False, inbound=0, outbound=1)"
    assert repr(net).startswith(f"Network(vpc_id='{net.vpc_id}', cidr='10.0.0.0/16', subnets=1, security_groups=2")


def test_capacities() -> None:
    assert (Network.SUBNETS, Network.INTERFACES, Network.ADDRESSES) == (16, 256, 32)
    assert (Network.SECURITY_GROUPS, Network.RULES, Network.FLOWS) == (64, 64, 4096)
    c = fleetcore.Catalog
    assert (c.CUSTOM_TYPES, c.IMAGES, c.TEMPLATES, c.VERSIONS) == (32, 64, 32, 32)


def test_same_seed_same_ids() -> None:
    def build() -> tuple[str, str, str, str]:
        n = Network(seed=5)
        s = n.create_subnet("10.0.0.0/24", "a")
        e = n.launch(I1, "t3.micro", s)
        return n.vpc_id, s, e, n.network_interface(e).mac

    assert build() == build()


def test_subnet_errors_change_nothing(net: Network) -> None:
    assert code_of(lambda: net.create_subnet("10.1.0.0/24", "us-east-1a")) == 1816
    assert code_of(lambda: net.create_subnet("10.0.1.128/25", "us-east-1a")) == 1817
    assert code_of(lambda: net.create_subnet("10.0.2.0/29", "us-east-1a")) == 1818
    assert code_of(lambda: net.create_subnet("10.0.2.0/24", "")) == 1819
    assert code_of(lambda: net.create_subnet("10.0.2.1/24", "us-east-1a")) == 1800
    assert code_of(lambda: Network("10.0.0.0/8")) == 1818
    assert code_of(lambda: Network(groups_per_eni=17)) == 1807
    assert code_of(lambda: Network(groups_per_eni=16, rules_per_group=63)) == 1807
    assert len(net.subnets()) == 1


def test_primary_interface_addresses_and_mac(net: Network) -> None:
    eni = net.launch(I1, "m5.large", subnet(net))
    e = net.network_interface(eni)
    assert (e.status, e.instance_id, e.device_index, e.delete_on_termination) == ("in-use", I1, 0, True)
    assert e.private_ips == ["10.0.1.4"] and e.primary_ip == "10.0.1.4"  # first four are reserved
    assert e.security_groups == [net.default_security_group]
    assert e.source_dest_check
    assert e.tracking_timeouts == (432000, 180, 30)
    assert re.fullmatch(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}", e.mac)
    assert int(e.mac[:2], 16) & 0b11 == 0b10  # locally administered, unicast
    assert repr(e).startswith(f"NetworkInterface(id='{eni}', status='in-use', instance_id='{I1}', device_index=0")
    # m5.large: 10 addresses per interface.
    added = [net.assign_private_ip(eni) for _ in range(9)]
    assert added[0] == "10.0.1.5"
    before = net.network_interface(eni)
    assert code_of(lambda: net.assign_private_ip(eni)) == 1825
    assert net.network_interface(eni) == before
    assert code_of(lambda: net.unassign_private_ip(eni, "10.0.1.4")) == 1826
    assert code_of(lambda: net.unassign_private_ip(eni, "10.0.1.200")) == 1827
    net.unassign_private_ip(eni, added[3])
    assert added[3] not in net.network_interface(eni).private_ips
    assert code_of(lambda: net.launch(I1, "m5.large", subnet(net))) == 1835
    assert code_of(lambda: net.detach(eni)) == 1830


def test_addresses_are_checked(net: Network) -> None:
    s = subnet(net)
    assert code_of(lambda: net.create_network_interface(s, private_ip="10.0.2.9")) == 1821
    assert code_of(lambda: net.create_network_interface(s, private_ip="10.0.1.3")) == 1822
    assert code_of(lambda: net.create_network_interface(s, private_ip="10.0.1.255")) == 1822
    assert code_of(lambda: net.create_network_interface(s, private_ip="10.0.1")) == 1801
    a = net.create_network_interface(s, private_ip="10.0.1.50")
    assert code_of(lambda: net.create_network_interface(s, private_ip="10.0.1.50")) == 1823
    assert net.network_interface(a).status == "available"
    assert len(net.network_interfaces()) == 1


def test_attach_detach_and_termination(net: Network) -> None:
    s = subnet(net)
    other_zone = net.create_subnet("10.0.2.0/24", "us-east-1b")
    primary = net.launch(I1, "t3.micro", s)
    keep = net.create_network_interface(s)
    far = net.create_network_interface(other_zone)
    assert code_of(lambda: net.attach(I1, keep, 0)) == 1833
    assert code_of(lambda: net.attach(I1, far, 1)) == 1831
    assert code_of(lambda: net.attach(I2, keep, 1)) == 1834
    net.attach(I1, keep, 1)
    assert code_of(lambda: net.attach(I1, keep, 2)) == 1828
    assert code_of(lambda: net.delete_network_interface(keep)) == 1828
    third = net.create_network_interface(s)
    assert code_of(lambda: net.attach(I1, third, 2)) == 1832  # t3.micro: 2 interfaces
    assert net.network_interface(third).status == "available"
    assert [e.id for e in net.network_interfaces(I1)] == [primary, keep]
    net.detach(keep)
    assert code_of(lambda: net.detach(keep)) == 1829
    assert net.network_interface(keep).status == "available"
    net.attach(I1, keep, 1, delete_on_termination=False)
    net.set_delete_on_termination(keep, False)
    assert net.terminate(I1) == (1, 1)
    assert code_of(lambda: net.network_interface(primary)) == 1820
    kept = net.network_interface(keep)
    assert (kept.status, kept.instance_id, kept.delete_on_termination) == ("available", None, None)
    net.launch_with_interface(I2, "t3.micro", keep, delete_on_termination=True)
    assert net.network_interface(keep).device_index == 0
    net.delete_network_interface(third)
    assert code_of(lambda: net.terminate(I1)) == 1834
    with pytest.raises(fleetcore.IdError):
        net.network_interface("eni-bad")


def test_custom_instance_type_limits(net: Network) -> None:
    board = fleetcore.InstanceType("pi4.8gb", vcpus=4, memory_mib=8192, max_enis=1, ipv4_per_eni=2)
    eni = net.launch(I1, board, subnet(net))
    net.assign_private_ip(eni)
    assert code_of(lambda: net.assign_private_ip(eni)) == 1825
    spare = net.create_network_interface(subnet(net))
    assert code_of(lambda: net.attach(I1, spare, 1)) == 1832


def test_group_rules_errors_and_limits() -> None:
    net = Network(rules_per_group=2, groups_per_eni=2)
    s = net.create_subnet("10.0.0.0/24", "a")
    web = net.create_security_group("web")
    ssh = Rule("tcp", ports=22, cidr="198.51.100.0/24")
    net.authorize(web, ssh)
    assert code_of(lambda: net.authorize(web, ssh)) == 1803
    net.authorize(web, Rule("icmp", icmp_type=8, cidr="0.0.0.0/0"))
    before = net.security_group(web)
    assert code_of(lambda: net.authorize(web, Rule("udp", ports=(53, 53), cidr="0.0.0.0/0"))) == 1805
    assert code_of(lambda: net.revoke(web, Rule("udp", cidr="0.0.0.0/0"))) == 1804
    assert code_of(lambda: net.authorize("sg-0123456789abcdef0", ssh)) == 1808
    assert code_of(lambda: net.authorize(web, Rule(group="sg-0123456789abcdef0"))) == 1808
    assert net.security_group(web) == before
    assert code_of(lambda: net.create_security_group("web")) == 1810
    assert code_of(lambda: net.create_security_group("sg-x")) == 1809
    assert code_of(lambda: net.delete_security_group(net.default_security_group)) == 1811
    db = net.create_security_group("db")
    net.authorize(db, Rule(group=web))
    assert code_of(lambda: net.delete_security_group(web)) == 1812  # referenced by db's rule
    eni = net.create_network_interface(s, groups=[db])
    assert code_of(lambda: net.delete_security_group(db)) == 1812  # attached
    assert code_of(lambda: net.set_security_groups(eni, [])) == 1814
    assert code_of(lambda: net.set_security_groups(eni, [db, db])) == 1813
    third = net.create_security_group("third")
    assert code_of(lambda: net.set_security_groups(eni, [db, web, third])) == 1806
    assert net.network_interface(eni).security_groups == [db]
    net.set_security_groups(eni, [web])
    net.delete_security_group(db)
    assert [g.name for g in net.security_groups()] == ["default", "web", "third"]
    net.revoke(web, ssh)
    assert net.security_group(web).inbound == [Rule("icmp", icmp_type=8, cidr="0.0.0.0/0")]


def test_rule_values() -> None:
    r = Rule("tcp", ports=(1024, 65535), cidr="10.0.0.0/8")
    assert (r.protocol, r.ports, r.cidr, r.group, r.icmp_type) == ("tcp", (1024, 65535), "10.0.0.0/8", None, None)
    assert repr(r) == "Rule('tcp', ports=(1024, 65535), cidr='10.0.0.0/8')"
    assert Rule(6, cidr="0.0.0.0/0") == Rule("tcp", cidr="0.0.0.0/0") == Rule("tcp", ports=(0, 65535), cidr="0.0.0.0/0")
    assert len({Rule(17, cidr="0.0.0.0/0"), Rule("udp", cidr="0.0.0.0/0")}) == 1
    icmp = Rule("icmp", icmp_type=3, icmp_code=4, cidr="0.0.0.0/0")
    assert (icmp.protocol, icmp.icmp_type, icmp.icmp_code, icmp.ports) == ("icmp", 3, 4, None)
    assert repr(icmp) == "Rule('icmp', icmp_type=3, icmp_code=4, cidr='0.0.0.0/0')"
    assert Rule(47, cidr="0.0.0.0/0").protocol == 47
    assert Rule(cidr="0.0.0.0/0").protocol == "all" == Rule("-1", cidr="0.0.0.0/0").protocol
    with pytest.raises(NetworkError) as info:
        Rule("tcp", ports=(80, 22), cidr="0.0.0.0/0")
    assert info.value.code == 1802
    with pytest.raises(NetworkError) as info:
        Rule("tcp", cidr="10.0.0.1/8")
    assert info.value.code == 1800
    for kwargs in (
        {"cidr": "0.0.0.0/0", "group": "sg-0123456789abcdef0"},
        {},
    ):
        with pytest.raises(ValueError, match="exactly one peer"):
            Rule("tcp", **kwargs)
    with pytest.raises(ValueError, match="ports apply"):
        Rule("icmp", ports=22, cidr="0.0.0.0/0")
    with pytest.raises(ValueError, match="icmp_type"):
        Rule("tcp", icmp_type=8, cidr="0.0.0.0/0")
    with pytest.raises(ValueError, match="icmp_code needs"):
        Rule("icmp", icmp_code=1, cidr="0.0.0.0/0")
    with pytest.raises(ValueError, match="protocol"):
        Rule("sctp", cidr="0.0.0.0/0")
    with pytest.raises(fleetcore.ArgumentError, match="protocol must be an integer in 0..=255"):
        Rule(256, cidr="0.0.0.0/0")
    with pytest.raises(TypeError):
        Rule(True, cidr="0.0.0.0/0")  # type: ignore[arg-type]
    with pytest.raises(fleetcore.IdError):
        Rule(group="sg-nothex!")
    assert not issubclass(NetworkError, ValueError)
    assert NetworkError.__module__ == "fleetcore"


def test_packet_values() -> None:
    p = Packet.tcp("1.2.3.4", 40000, "10.0.1.4", 22)
    assert (p.protocol, p.src, p.src_port, p.dst, p.dst_port) == ("tcp", "1.2.3.4", 40000, "10.0.1.4", 22)
    assert p.reply() == Packet("tcp", "10.0.1.4", "1.2.3.4", src_port=22, dst_port=40000)
    assert repr(p) == "Packet('tcp', '1.2.3.4', '10.0.1.4', src_port=40000, dst_port=22)"
    assert Packet.udp("1.2.3.4", 1, "5.6.7.8", 2).protocol == "udp"
    icmp = Packet.icmp("1.2.3.4", "5.6.7.8")
    assert repr(icmp) == "Packet('icmp', '1.2.3.4', '5.6.7.8', icmp_type=8, icmp_code=0)"
    assert Packet(47, "1.2.3.4", "5.6.7.8").protocol == 47
    assert len({p, Packet.tcp("1.2.3.4", 40000, "10.0.1.4", 22)}) == 1
    with pytest.raises(NetworkError) as info:
        Packet.tcp("1.2.3.400", 1, "1.2.3.4", 2)
    assert info.value.code == 1801
    with pytest.raises(ValueError, match="not \"all\""):
        Packet("all", "1.2.3.4", "5.6.7.8")


def test_rules_allow_only_what_they_name_and_tracking_admits_replies(net: Network) -> None:
    web = net.create_security_group("web")
    eni = net.launch(I1, "m5.large", subnet(net), groups=[web])
    ip = net.network_interface(eni).primary_ip
    assert ip is not None
    ssh_in = Packet.tcp("198.51.100.7", 40000, ip, 22)
    # A new group allows no inbound traffic.
    v = net.evaluate(0, eni, ssh_in)
    assert (v.allowed, v.reason, v.group_id, v.rule_index) == (False, "no-rule", None, None)
    assert not v
    assert repr(v) == "Verdict(allowed=False, reason='no-rule')"
    net.authorize(web, Rule("tcp", ports=22, cidr="198.51.100.0/24"))
    # Rules that must not allow: another port, another source, another protocol.
    for p in (
        Packet.tcp("198.51.100.7", 40000, ip, 23),
        Packet.tcp("198.51.101.7", 40000, ip, 22),
        Packet.udp("198.51.100.7", 40000, ip, 22),
        Packet.icmp("198.51.100.7", ip),
    ):
        assert net.evaluate(1, eni, p).reason == "no-rule", p
    assert net.flows() == []
    # Drop the outbound rule: replies pass only by tracking.
    net.revoke(web, Rule(cidr="0.0.0.0/0"), direction="outbound")
    reply = ssh_in.reply()
    assert net.check_rules(eni, reply, direction="outbound").reason == "no-rule"
    # The API's word for it is read too.
    assert net.check_rules(eni, reply, direction="egress").reason == "no-rule"
    v = net.evaluate(2, eni, ssh_in)
    assert (v.allowed, v.reason, v.group_id, v.rule_index) == (True, "rule", web, 0)
    assert repr(v) == f"Verdict(allowed=True, reason='rule', group_id='{web}', rule_index=0)"
    [flow] = net.flows()
    assert (flow.eni_id, flow.protocol, flow.local, flow.remote, flow.initiator) == (
        eni,
        "tcp",
        (ip, 22),
        ("198.51.100.7", 40000),
        "inbound",
    )
    assert flow.expires_s == 2 + 432000
    assert repr(flow).startswith(f"Flow(eni_id='{eni}', protocol='tcp', local=('{ip}', 22)")
    assert net.evaluate(3, eni, reply, direction="outbound").reason == "flow"
    # A new outbound connection is still refused.
    assert net.evaluate(3, eni, Packet.tcp(ip, 50000, "198.51.100.7", 443), direction="outbound").reason == "no-rule"
    # Revoking the rule keeps the tracked flow until its timeout.
    net.revoke(web, Rule("tcp", ports=22, cidr="198.51.100.0/24"))
    assert net.evaluate(4, eni, ssh_in).reason == "flow"
    assert net.check_rules(eni, ssh_in).reason == "no-rule"
    net.set_tracking_timeouts(eni, tcp_established_s=60)
    assert net.network_interface(eni).tracking_timeouts == (60, 180, 30)
    assert net.evaluate(63, eni, ssh_in).reason == "flow"  # refreshed at 4, then at 63
    assert net.evaluate(123, eni, ssh_in).reason == "no-rule"
    assert net.expire_flows(123) == 1
    assert net.flows() == []
    assert code_of(lambda: net.set_tracking_timeouts(eni, udp_s=61)) == 1838


def test_untracked_port25_source_dest_and_group_peers(net: Network) -> None:
    web = net.create_security_group("web")
    net.authorize(web, Rule("tcp", ports=80, cidr="0.0.0.0/0"))
    s = subnet(net)
    a = net.launch(I1, "m5.large", s, groups=[web, net.default_security_group])
    b = net.launch(I2, "m5.large", s)
    ip_a = net.network_interface(a).primary_ip or ""
    ip_b = net.network_interface(b).primary_ip or ""
    http = Packet.tcp(OUTSIDE, 40000, ip_a, 80)
    assert net.evaluate(0, a, http).reason == "untracked"
    assert net.flows() == []
    # Default group: inbound from its members only.
    assert net.evaluate(0, b, Packet.tcp(ip_a, 1, ip_b, 5432)).reason == "rule"
    assert net.evaluate(0, b, Packet.tcp(OUTSIDE, 1, ip_b, 5432)).reason == "no-rule"
    # Port 25 out is blocked until lifted.
    smtp = Packet.tcp(ip_a, 40000, "198.51.100.1", 25)
    assert net.evaluate(0, a, smtp, direction="outbound").reason == "port-25"
    net.port25_open = True
    assert net.port25_open
    assert net.evaluate(0, a, smtp, direction="outbound").allowed
    # Source/destination check.
    stray = Packet.tcp(OUTSIDE, 40000, "10.0.1.99", 80)
    assert net.evaluate(0, a, stray).reason == "source-dest-check"
    net.set_source_dest_check(a, False)
    assert net.evaluate(0, a, stray).allowed
    # Protocols 1, 6 and 17 given as numbers are TCP, UDP and ICMP packets.
    assert Packet(6, OUTSIDE, ip_a, dst_port=80) == Packet.tcp(OUTSIDE, 0, ip_a, 80)
    assert Packet(1, OUTSIDE, ip_a, icmp_type=8).protocol == "icmp"
    assert code_of(lambda: net.evaluate(0, "eni-0123456789abcdef0", http)) == 1820
    with pytest.raises(ValueError, match="direction"):
        net.evaluate(0, a, http, direction="in")


def test_icmp_rules_match_type_and_code(net: Network) -> None:
    g = net.create_security_group("ping")
    net.authorize(g, Rule("icmp", icmp_type=8, cidr="0.0.0.0/0"))
    net.authorize(g, Rule("icmp", icmp_type=3, icmp_code=4, cidr="0.0.0.0/0"))
    eni = net.launch(I1, "m5.large", subnet(net), groups=[g])
    ip = net.network_interface(eni).primary_ip or ""
    assert net.check_rules(eni, Packet.icmp(OUTSIDE, ip, 8, 0)).allowed
    assert net.check_rules(eni, Packet.icmp(OUTSIDE, ip, 8, 5)).allowed
    assert net.check_rules(eni, Packet.icmp(OUTSIDE, ip, 3, 4)).rule_index == 1
    assert not net.check_rules(eni, Packet.icmp(OUTSIDE, ip, 3, 3)).allowed
    assert not net.check_rules(eni, Packet.icmp(OUTSIDE, ip, 13, 0)).allowed
    assert not net.check_rules(eni, Packet(47, OUTSIDE, ip)).allowed


def test_full_flow_table_is_a_denial_not_a_drop() -> None:
    net = Network(seed=2)
    s = net.create_subnet("10.0.0.0/24", "a")
    g = net.create_security_group("open")
    net.authorize(g, Rule("udp", cidr="198.51.100.0/24"))
    eni = net.launch(I1, "m5.large", s, groups=[g])
    ip = net.network_interface(eni).primary_ip or ""
    for port in range(4096):
        assert net.evaluate(0, eni, Packet.udp("198.51.100.1", 1024 + port, ip, 53)).reason == "rule"
    v = net.evaluate(0, eni, Packet.udp("198.51.100.1", 9999, ip, 54))
    assert (v.allowed, v.reason) == (False, "table-full")
    assert len(net.flows()) == 4096
    assert net.evaluate(31, eni, Packet.udp("198.51.100.1", 9999, ip, 54)).reason == "rule"


def snapshot(n: Network) -> tuple[object, ...]:
    return (n.subnets(), n.security_groups(), n.network_interfaces(), n.flows(), n.port25_open, n.quotas)


def test_every_refused_call_leaves_the_network_unchanged(net: Network) -> None:
    s = subnet(net)
    web = net.create_security_group("web")
    net.authorize(web, Rule("udp", ports=53, cidr="198.51.100.0/24"))
    eni = net.launch(I1, "t3.micro", s, groups=[web])
    spare = net.create_network_interface(s)
    ip = net.network_interface(eni).primary_ip or ""
    net.evaluate(0, eni, Packet.udp("198.51.100.1", 5000, ip, 53))
    net.evaluate(1, eni, Packet.udp("198.51.100.1", 5000, ip, 53).reply(), direction="outbound")
    [flow] = net.flows()
    assert not flow.is_stream
    net.evaluate(2, eni, Packet.udp("198.51.100.1", 5000, ip, 53))
    net.evaluate(3, eni, Packet.udp("198.51.100.1", 5000, ip, 53).reply(), direction="outbound")
    [flow] = net.flows()
    assert flow.is_stream  # a second request-response: the 180 s stream timeout
    assert flow.expires_s == 3 + 180
    before = snapshot(net)
    refused = [
        lambda: net.create_subnet("10.0.1.0/25", "us-east-1a"),
        lambda: net.create_security_group("web"),
        lambda: net.delete_security_group(web),
        lambda: net.authorize(web, Rule("udp", ports=53, cidr="198.51.100.0/24")),
        lambda: net.revoke(web, Rule("tcp", cidr="0.0.0.0/0"), direction="outbound"),
        lambda: net.create_network_interface(s, private_ip=ip),
        lambda: net.create_network_interface(s, groups=[web, web]),
        lambda: net.delete_network_interface(eni),
        lambda: net.assign_private_ip(eni),  # t3.micro: 2 addresses, the second is free
        lambda: net.assign_private_ip(eni, ip),
        lambda: net.unassign_private_ip(eni, ip),
        lambda: net.set_security_groups(eni, []),
        lambda: net.set_tracking_timeouts(eni, tcp_established_s=59),
        lambda: net.launch(I1, "t3.micro", s),
        lambda: net.launch_with_interface(I2, "t3.micro", eni),
        lambda: net.attach(I1, spare, 0),
        lambda: net.detach(eni),
        lambda: net.detach(spare),
        lambda: net.set_delete_on_termination(spare, True),
        lambda: net.terminate(I2),
        lambda: net.evaluate(3, "eni-0123456789abcdef0", Packet.udp("198.51.100.1", 5000, ip, 53)),
    ]
    net.assign_private_ip(eni)
    before = snapshot(net)
    for call in refused:
        with pytest.raises((NetworkError, fleetcore.IdError)):
            call()
        assert snapshot(net) == before, call


# ---- property: random rules and packets ----

protocols = st.sampled_from(["tcp", "udp", "icmp", "all", 47])
ports = st.one_of(st.none(), st.integers(0, 65535), st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(sorted).map(tuple))
cidrs = st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32)).map(
    lambda t: str(ipaddress.ip_network((t[0], t[1]), strict=False))
)


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    proto = draw(protocols)
    cidr = draw(cidrs)
    if proto in ("tcp", "udp"):
        return Rule(proto, ports=draw(ports), cidr=cidr)
    if proto == "icmp":
        ty = draw(st.one_of(st.none(), st.integers(0, 255)))
        code = draw(st.none()) if ty is None else draw(st.one_of(st.none(), st.integers(0, 255)))
        return Rule("icmp", icmp_type=ty, icmp_code=code, cidr=cidr)
    return Rule(proto, cidr=cidr)


def model_allows(rule: Rule, p: Packet) -> bool:
    """Whether ``rule`` allows inbound ``p``, written from SEMANTICS §6 independently of Rust."""
    assert rule.cidr is not None
    if ipaddress.ip_address(p.src) not in ipaddress.ip_network(rule.cidr):
        return False
    if rule.protocol == "all":
        return True
    if rule.protocol != p.protocol:
        return False
    if rule.protocol in ("tcp", "udp"):
        lo, hi = rule.ports or (0, 65535)
        return lo <= p.dst_port <= hi
    return True  # icmp is checked by the caller through its type and code


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.lists(rules(), max_size=8),
    st.lists(
        st.tuples(
            st.sampled_from(["tcp", "udp", "icmp", 47]),
            st.integers(0, 2**32 - 1),
            st.integers(0, 65535),
            st.integers(0, 65535),
            st.integers(0, 255),
            st.integers(0, 255),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_random_rules_and_packets_never_crash_and_unmatched_is_denied(
    rule_list: list[Rule], packets: list[tuple[object, int, int, int, int, int]]
) -> None:
    net = Network("10.0.0.0/16", seed=3)
    s = net.create_subnet("10.0.0.0/24", "a")
    g = net.create_security_group("g")
    added: list[Rule] = []
    for r in rule_list:
        try:
            net.authorize(g, r)
            added.append(r)
        except NetworkError as e:
            assert e.code == 1803  # only a duplicate can be refused here
            assert r in added
    assert net.security_group(g).inbound == added
    eni = net.launch(I1, "m5.large", s, groups=[g])
    ip = net.network_interface(eni).primary_ip or ""
    for proto, src, sport, dport, ty, code in packets:
        src_ip = str(ipaddress.ip_address(src))
        if proto == "icmp":
            p = Packet.icmp(src_ip, ip, ty, code)
        else:
            p = Packet(proto, src_ip, ip, src_port=sport, dst_port=dport)  # type: ignore[arg-type]

        def icmp_ok(r: Rule) -> bool:
            return r.protocol != "icmp" or (
                (r.icmp_type is None or r.icmp_type == ty) and (r.icmp_code is None or r.icmp_code == code)
            )

        expected = any(model_allows(r, p) and icmp_ok(r) for r in added)
        rules_only = net.check_rules(eni, p)
        assert rules_only.allowed == expected, (added, p, rules_only)
        if rules_only.allowed:
            assert rules_only.group_id == g
            assert rules_only.rule_index is not None
            assert model_allows(added[rules_only.rule_index], p)
        flows_before = net.flows()
        v = net.evaluate(0, eni, p)
        if not expected and v.reason != "flow":
            assert (v.allowed, v.reason) == (False, "no-rule")
            assert net.flows() == flows_before  # a refused packet opens nothing


@pytest.mark.skipif(
    fleetcore._fleetcore._debug_build,  # type: ignore[attr-defined]
    reason="unoptimised builds make temporaries on the stack",
)
def test_a_network_and_a_catalog_can_be_made_on_a_thread_with_a_small_stack() -> None:
    # A Network is about 560 KiB and a Catalog 370 KiB: both must be built on the heap, not on
    # the caller's stack (macOS gives threads 512 KiB).
    made: list[str] = []
    old = threading.stack_size(256 * 1024)
    try:
        t = threading.Thread(target=lambda: made.extend([Network().cidr, repr(fleetcore.Catalog())]))
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    assert made == ["10.0.0.0/16", "Catalog(custom_types=0, images=0, templates=0)"]
