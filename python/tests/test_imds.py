"""IMDS: the metadata of one instance, IMDSv2 tokens, options and the 400/401/403/404 cases of
SEMANTICS §5, through both ``answer`` and ``handle_http``."""

from __future__ import annotations

import json

import pytest

import fleetcore
from fleetcore import Imds, ImdsError, InterfaceMetadata

SECRET = bytes(range(32))
ID = "i-1234567890abcdef0"
TTL = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN = "X-aws-ec2-metadata-token"
NOW = 1_700_000_000
ENI0 = InterfaceMetadata(
    "0e:49:61:0f:c3:11",
    interface_id="eni-0f95d3625f5c521cc",
    local_ipv4s=["10.0.1.12", "10.0.1.13"],
    subnet_id="subnet-0ac62554",
    vpc_id="vpc-d295a6a7",
    security_group_ids=["sg-0123456789abcdef0"],
    security_groups=["web"],
)
ENI1 = InterfaceMetadata("0e:49:61:0f:c3:22", device_number=1, local_ipv4s=["10.0.2.7"])


def make(**kwargs: object) -> Imds:
    args: dict[str, object] = {
        "secret": SECRET,
        "ami_id": "ami-0abcdef1234567890",
        "instance_type": "t3.micro",
        "availability_zone": "us-east-1a",
        "region": "us-east-1",
        "hostname": "ip-10-0-1-12.ec2.internal",
        "local_ipv4": "10.0.1.12",
        "mac": ENI0.mac,
        "security_groups": ["web", "default"],
        "interfaces": [ENI0, ENI1],
        "user_data": b"#!/bin/sh\necho hi\n",
        "tags": {"Name": "web-1", "team": "infra"},
        "architecture": "x86_64",
        "account_id": "111122223333",
        "pending_time_s": 1_699_999_000,
    }
    args.update(kwargs)
    return Imds(ID, **args)  # type: ignore[arg-type]


def get(s: Imds, path: str, token: str | None = None, now: float = NOW) -> tuple[int, bytes]:
    reply = s.answer(now, "GET", path, {TOKEN: token} if token else None)
    assert reply is not None
    return reply


def put_token(s: Imds, ttl: str = "21600", now: float = NOW, hops: int = 1) -> str:
    reply = s.answer(now, "PUT", "/latest/api/token", {TTL: ttl}, hops=hops)
    assert reply is not None
    status, body = reply
    assert status == 200
    return body.decode()


def test_items_and_listings() -> None:
    s = make()
    assert get(s, "/latest/meta-data/instance-id") == (200, ID.encode())
    assert get(s, "/latest/meta-data/instance-type") == (200, b"t3.micro")
    assert get(s, "/latest/meta-data/placement/availability-zone") == (200, b"us-east-1a")
    assert get(s, "/latest/meta-data/placement/region") == (200, b"us-east-1")
    assert get(s, "/latest/meta-data/security-groups") == (200, b"web\ndefault")
    assert get(s, "/latest/meta-data/instance-life-cycle") == (200, b"on-demand")
    assert get(s, "/latest/user-data") == (200, b"#!/bin/sh\necho hi\n")
    status, listing = get(s, "/latest/meta-data/")
    assert status == 200
    lines = listing.decode().split("\n")
    assert "instance-id" in lines and "placement/" in lines and "network/" in lines
    assert "spot/" not in lines and "tags/" not in lines and "autoscaling/" not in lines
    assert get(s, "/") == (200, b"latest/")
    assert get(s, "/latest/meta-data/network/interfaces/macs/") == (200, f"{ENI0.mac}/\n{ENI1.mac}/".encode())
    base = f"/latest/meta-data/network/interfaces/macs/{ENI1.mac}"
    assert get(s, f"{base}/device-number") == (200, b"1")
    assert get(s, f"/latest/meta-data/network/interfaces/macs/{ENI0.mac}/local-ipv4s") == (
        200,
        b"10.0.1.12\n10.0.1.13",
    )
    assert get(s, "/2021-03-23/meta-data/instance-id") == (200, ID.encode())
    status, doc = get(s, "/latest/dynamic/instance-identity/document")
    assert status == 200
    d = json.loads(doc)
    assert (d["instanceId"], d["accountId"], d["architecture"], d["region"]) == (
        ID,
        "111122223333",
        "x86_64",
        "us-east-1",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/latest/meta-data/nothing",
        "/latest/meta-data/public-ipv4",  # not set
        "/latest/meta-data/instance-id/",  # a leaf with a slash
        "/latest/meta-data/iam/info",
        "/v2/meta-data/instance-id",
        "/latest/meta-data/spot/instance-action",
        "/latest/meta-data/tags/instance/Name",  # tags not allowed
    ],
)
def test_unknown_or_absent_items_are_404(path: str) -> None:
    assert get(make(), path) == (404, b"")


def test_spot_rebalance_and_lifecycle_state_when_set() -> None:
    s = make(market="spot")
    assert get(s, "/latest/meta-data/instance-life-cycle") == (200, b"spot")
    assert get(s, "/latest/meta-data/spot/instance-action")[0] == 404
    s.spot_action = ("terminate", 1_505_722_920)
    assert s.spot_action == ("terminate", 1_505_722_920.0)
    assert get(s, "/latest/meta-data/spot/instance-action") == (
        200,
        b'{"action": "terminate", "time": "2017-09-18T08:22:00Z"}',
    )
    assert get(s, "/latest/meta-data/spot/termination-time") == (200, b"2017-09-18T08:22:00Z")
    s.rebalance_at_s = 1_505_722_800
    assert get(s, "/latest/meta-data/events/recommendations/rebalance") == (
        200,
        b'{"noticeTime": "2017-09-18T08:20:00Z"}',
    )
    s.target_lifecycle_state = "Terminated"
    assert get(s, "/latest/meta-data/autoscaling/target-lifecycle-state") == (200, b"Terminated")
    s.spot_action = None
    s.rebalance_at_s = None
    s.target_lifecycle_state = None
    assert get(s, "/latest/meta-data/spot/instance-action")[0] == 404
    assert get(s, "/latest/meta-data/autoscaling/target-lifecycle-state")[0] == 404
    with pytest.raises(ValueError, match="spot action must be one of"):
        s.spot_action = ("explode", 1)
    assert s.spot_action is None


def test_tags_only_when_allowed() -> None:
    s = make()
    assert get(s, "/latest/meta-data/tags/instance/Name")[0] == 404
    s.instance_metadata_tags = True
    assert s.instance_metadata_tags
    assert get(s, "/latest/meta-data/tags/instance/Name") == (200, b"web-1")
    assert get(s, "/latest/meta-data/tags/instance/") == (200, b"Name\nteam")
    s.tags = {"Role": "db"}
    assert s.tags == {"Role": "db"}
    assert get(s, "/latest/meta-data/tags/instance/Name")[0] == 404
    assert get(s, "/latest/meta-data/tags/instance/Role") == (200, b"db")


def test_token_flow_and_expiry() -> None:
    s = make(http_tokens="required")
    assert get(s, "/latest/meta-data/instance-id") == (401, b"")
    reply = s.answer(NOW, "PUT", "/latest/api/token", {TTL.lower(): b"60"})
    assert reply is not None and reply[0] == 200
    token = reply[1].decode()
    assert len(token) == 64
    assert s.tokens_issued == 1
    assert get(s, "/latest/meta-data/instance-id", token) == (200, ID.encode())
    assert s.check_token(NOW + 59, token) is None
    assert get(s, "/latest/meta-data/instance-id", token, now=NOW + 59)[0] == 200
    assert s.check_token(NOW + 60, token) == "expired"
    assert get(s, "/latest/meta-data/instance-id", token, now=NOW + 60) == (401, b"")
    # A clock that went back further than any TTL: the expiry is too far ahead.
    assert s.check_token(NOW - 3600, token) is None
    assert s.check_token(NOW - 21_600, token) == "from the future"
    assert get(s, "/latest/meta-data/instance-id", token, now=NOW - 21_600) == (401, b"")


def test_a_token_sent_must_be_valid_even_when_optional() -> None:
    s = make()
    assert get(s, "/latest/meta-data/instance-id")[0] == 200
    assert get(s, "/latest/meta-data/instance-id", "x" * 64) == (401, b"")
    assert s.check_token(NOW, "x" * 64) == "bad signature"
    assert s.check_token(NOW, "short") == "malformed"
    assert get(s, "/latest/meta-data/nothing", "x" * 64) == (401, b"")


def test_a_token_does_not_work_on_another_instance() -> None:
    a = make()
    b = Imds("i-0000000000000000a", secret=SECRET, http_tokens="required")
    token = put_token(a)
    assert b.check_token(NOW, token) == "bad signature"
    assert get(b, "/latest/meta-data/instance-id", token) == (401, b"")
    other_secret = make(secret=bytes(32))
    assert other_secret.check_token(NOW, token) == "bad signature"


@pytest.mark.parametrize(
    ("headers", "path", "status"),
    [
        ({}, "/latest/api/token", 400),  # no TTL
        ({TTL: "0"}, "/latest/api/token", 400),
        ({TTL: "21601"}, "/latest/api/token", 400),
        ({TTL: "ten"}, "/latest/api/token", 400),
        ({TTL: "60", "X-Forwarded-For": "10.0.0.9"}, "/latest/api/token", 403),
        ({TTL: "60"}, "/2021-03-23/api/token", 403),
        ({TTL: "60"}, "/latest/meta-data/instance-id", 403),
    ],
)
def test_refused_puts_issue_no_token(headers: dict[str, str], path: str, status: int) -> None:
    s = make()
    assert s.answer(NOW, "PUT", path, headers) == (status, b"")
    assert s.tokens_issued == 0


def test_hop_limit_drops_far_puts() -> None:
    s = make()
    assert s.answer(NOW, "PUT", "/latest/api/token", {TTL: "60"}, hops=2) is None
    assert s.tokens_issued == 0
    assert s.answer(NOW, "PUT", "/latest/api/token", {TTL: "60"}, hops=0) is not None
    s.hop_limit = 2
    assert put_token(s, hops=2)
    assert s.answer(NOW, "GET", "/latest/meta-data/instance-id", hops=5) == (200, ID.encode())
    for bad in (0, 65):
        with pytest.raises(ImdsError) as info:
            s.hop_limit = bad
        assert info.value.code == 1701
        assert info.value.kind == "invalid argument"
    assert s.hop_limit == 2
    with pytest.raises(ImdsError) as info:
        make(hop_limit=65)
    assert info.value.code == 1701


def test_disabled_endpoint_and_bad_methods() -> None:
    s = make()
    assert s.answer(NOW, "DELETE", "/latest/meta-data/") == (405, b"")
    status, body = s.answer(NOW, "HEAD", "/latest/user-data") or (0, b"?")
    assert (status, body) == (200, b"")
    s.http_endpoint = "disabled"
    assert s.http_endpoint == "disabled"
    assert get(s, "/latest/meta-data/instance-id") == (403, b"")
    assert s.answer(NOW, "PUT", "/latest/api/token", {TTL: "60"}) == (403, b"")
    s.http_endpoint = "enabled"
    assert get(s, "/latest/meta-data/instance-id")[0] == 200
    with pytest.raises(ValueError, match="http_endpoint must be one of"):
        s.http_endpoint = "off"
    with pytest.raises(ValueError, match="http_tokens must be one of optional or required") as info:
        s.http_tokens = "v2"
    assert getattr(info.value, "code", None) == 3
    assert s.http_tokens == "optional"


def test_handle_http_end_to_end() -> None:
    s = make(http_tokens="required")
    put = b"PUT /latest/api/token HTTP/1.1\r\nHost: 169.254.169.254\r\n" + TTL.encode() + b": 21600\r\n\r\n"
    out = s.handle_http(NOW, put)
    assert out is not None
    head, _, token = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert TTL.encode() + b": 21600" in head
    assert len(token) == 64
    req = b"GET /latest/meta-data/instance-id HTTP/1.1\r\n" + TOKEN.encode() + b": " + token + b"\r\n\r\n"
    assert s.handle_http(NOW, req) == (
        f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {len(ID)}\r\n\r\n{ID}".encode()
    )
    assert s.handle_http(NOW, b"GET /latest/meta-data/ HTTP/1.1\r\n\r\n", hops=1).startswith(  # type: ignore[union-attr]
        b"HTTP/1.1 401"
    )
    assert s.handle_http(NOW, put, hops=3) is None
    assert s.handle_http(NOW, b"GET / HTTP/9.9\r\n\r\n").startswith(b"HTTP/1.1 400")  # type: ignore[union-attr]
    with pytest.raises(ImdsError) as info:
        s.handle_http(NOW, b"GET /latest/meta-data/ HTTP/1.1\r\n")
    assert info.value.code == 1703
    assert info.value.kind == "malformed"
    assert isinstance(info.value, ValueError)


def test_large_user_data() -> None:
    big = bytes(range(256)) * 64  # exactly 16 KB
    s = make(user_data=big)
    assert get(s, "/latest/user-data") == (200, big)
    out = s.handle_http(NOW, b"GET /latest/user-data HTTP/1.1\r\n\r\n")
    assert out is not None and out.endswith(big)
    with pytest.raises(ImdsError) as info:
        s.user_data = big + b"x"
    assert info.value.code == 1702
    assert s.user_data == big
    with pytest.raises(ImdsError):
        make(user_data=big + b"x")
    s.user_data = None
    assert get(s, "/latest/user-data")[0] == 404


def test_constructor_checks() -> None:
    with pytest.raises(ValueError, match="secret must be 32 bytes"):
        Imds(ID, secret=b"short")
    with pytest.raises(ValueError, match="market must be one of"):
        make(market="reserved")
    with pytest.raises(fleetcore.CatalogError):
        make(architecture="riscv")
    with pytest.raises(ValueError, match="ttl_s"):
        make().issue_token(NOW, 0)
    with pytest.raises(ValueError, match="must be str or bytes"):
        make().answer(NOW, "GET", "/", {TOKEN: 5})  # type: ignore[dict-item]


def test_repr_and_interface_values() -> None:
    s = make()
    token = s.issue_token(NOW, 5)
    assert s.check_token(NOW + 4.999, token) is None
    assert s.check_token(NOW + 5, token) == "expired"
    assert repr(s) == (
        f"Imds(instance_id='{ID}', instance_type='t3.micro', availability_zone='us-east-1a', "
        "market='on-demand', http_tokens='optional', http_endpoint='enabled', hop_limit=1, "
        "instance_metadata_tags=False, tokens_issued=1)"
    )
    assert SECRET.hex() not in repr(s)
    assert ENI1 == InterfaceMetadata("0e:49:61:0f:c3:22", device_number=1, local_ipv4s=["10.0.2.7"])
    assert ENI0 != ENI1
    assert (ENI0.mac, ENI0.device_number, ENI0.interface_id) == ("0e:49:61:0f:c3:11", 0, "eni-0f95d3625f5c521cc")
    assert ENI0.local_ipv4s == ["10.0.1.12", "10.0.1.13"]
    assert ENI0.security_group_ids == ["sg-0123456789abcdef0"]
    assert (ENI0.subnet_id, ENI0.vpc_id, ENI0.security_groups, ENI0.owner_id) == (
        "subnet-0ac62554",
        "vpc-d295a6a7",
        ["web"],
        "",
    )
    assert (ENI1.network_card_index, ENI1.public_ipv4s, ENI1.ipv6s, ENI1.vpc_ipv4_cidr_blocks) == (0, [], [], [])
    assert ENI1.subnet_ipv4_cidr_block == ""
    assert repr(ENI1) == (
        "InterfaceMetadata(mac='0e:49:61:0f:c3:22', device_number=1, interface_id='', "
        "local_ipv4s=['10.0.2.7'], security_group_ids=[])"
    )
    assert s.instance_id == ID


def test_metadata_from_a_network() -> None:
    net = fleetcore.Network("10.0.0.0/16", seed=4)
    sn = net.create_subnet("10.0.1.0/24", "us-east-1a")
    web = net.create_security_group("web")
    primary = net.launch(ID, "m5.large", sn, groups=[web])
    extra = net.create_network_interface(sn)
    net.attach(ID, extra, 1)
    enis = [net.interface_metadata(e.id) for e in net.network_interfaces(ID)]
    e0 = net.network_interface(primary)
    assert enis[0] == InterfaceMetadata(
        e0.mac,
        interface_id=primary,
        local_ipv4s=e0.private_ips,
        subnet_id=sn,
        subnet_ipv4_cidr_block="10.0.1.0/24",
        vpc_id=net.vpc_id,
        vpc_ipv4_cidr_blocks=["10.0.0.0/16"],
        security_group_ids=[web],
        security_groups=["web"],
    )
    assert (enis[1].device_number, enis[1].security_groups) == (1, ["default"])
    s = Imds(ID, secret=SECRET, mac=e0.mac, local_ipv4=e0.primary_ip or "", interfaces=enis)
    base = f"/latest/meta-data/network/interfaces/macs/{e0.mac}"
    assert get(s, f"{base}/security-groups") == (200, b"web")
    assert get(s, f"{base}/vpc-ipv4-cidr-block") == (200, b"10.0.0.0/16")
    assert get(s, f"/latest/meta-data/network/interfaces/macs/{enis[1].mac}/device-number") == (200, b"1")
    with pytest.raises(fleetcore.NetworkError) as info:
        net.interface_metadata("eni-0123456789abcdef0")
    assert info.value.code == 1820
