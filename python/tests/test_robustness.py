"""Issue 19 on the Python surface: out-of-range integers raise ``ArgumentError`` (a
``ValueError`` with ``.code`` 11, naming the argument and its range) instead of a bare
``OverflowError``; a TTL header with spaces around it gets one answer from ``answer`` and
``handle_http``; a snapshot is read from the start of a larger buffer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import fleetcore
from fleetcore import ArgumentError, Group, Imds, Network, Rule

SECRET = bytes(range(32))
ID = "i-1234567890abcdef0"
NOW = 1_700_000_000


def group() -> Group:
    return Group(1, 5)


CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("desired", lambda: group().set_desired(0, 2**32), "0..=4294967295"),
    ("desired", lambda: group().set_desired(0, -1), "0..=4294967295"),
    ("desired", lambda: group().set_desired(0, 2**200), "0..=4294967295"),
    ("min_size", lambda: Group(-1, 5), "0..=4294967295"),
    ("max_size", lambda: Group(1, 2**40), "0..=4294967295"),
    ("desired_capacity", lambda: Group(1, 5, desired_capacity=-3), "0..=4294967295"),
    ("seed", lambda: Group(1, 5, seed=-1), "0..=18446744073709551615"),
    ("seed", lambda: Group(1, 5, seed=2**64), "0..=18446744073709551615"),
    ("hops", lambda: Imds(ID, secret=SECRET).answer(NOW, "GET", "/", hops=256), "0..=255"),
    ("hops", lambda: Imds(ID, secret=SECRET).handle_http(NOW, b"GET /", hops=-1), "0..=255"),
    ("ttl_s", lambda: Imds(ID, secret=SECRET).issue_token(NOW, ttl_s=-1), "0..=4294967295"),
    ("hook", lambda: group().complete_hook(0, "i-0000000000000000a", 256), "0..=255"),
    ("dst_port", lambda: fleetcore.Packet.tcp("10.0.0.1", 1, "10.0.0.2", 70_000), "0..=65535"),
    ("ports", lambda: Rule("tcp", ports=(1, 70_000), cidr="0.0.0.0/0"), "0..=65535"),
    ("seed", lambda: Network(seed=-5), "0..=18446744073709551615"),
]


@pytest.mark.parametrize(
    ("name", "call", "bounds"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_out_of_range_integers_raise_argument_error(
    name: str, call: Callable[[], Any], bounds: str
) -> None:
    with pytest.raises(ArgumentError) as info:
        call()
    assert info.value.code == 11
    assert info.value.kind == "invalid argument"
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, OverflowError)
    assert str(info.value).startswith(f"{name} must be an integer in {bounds}, got ")


@pytest.mark.parametrize("now", [-1, 2**70, float("nan"), -0.5])
def test_a_time_out_of_range_raises_argument_error(now: float) -> None:
    with pytest.raises(ArgumentError) as info:
        group().tick(now)
    assert info.value.code == 11
    assert any("now_s" in note for note in getattr(info.value, "__notes__", []))


def test_in_range_values_still_reach_the_core() -> None:
    g = group()
    with pytest.raises(fleetcore.GroupError) as info:
        g.set_desired(0, 2**31)
    assert info.value.code == 1102
    g.set_desired(0, 3)
    assert g.desired == 3
    with pytest.raises(TypeError):
        g.set_desired(0, 1.5)  # type: ignore[arg-type]


def test_an_argument_error_leaves_the_group_unchanged() -> None:
    g = group()
    before = g.snapshot()
    with pytest.raises(ArgumentError):
        g.set_desired(0, 2**32)
    assert g.snapshot() == before


@pytest.mark.parametrize("ttl", ["5 ", " 5", "\t5 "])
def test_a_ttl_with_spaces_gets_one_answer_on_both_paths(ttl: str) -> None:
    s = Imds(ID, secret=SECRET)
    ttl_header = "X-aws-ec2-metadata-token-ttl-seconds"
    reply = s.answer(NOW, "PUT", "/latest/api/token", {ttl_header: ttl})
    assert reply is not None and reply[0] == 200
    raw = f"PUT /latest/api/token HTTP/1.1\r\n{ttl_header}: {ttl}\r\n\r\n"
    out = s.handle_http(NOW, raw.encode())
    assert out is not None and out.startswith(b"HTTP/1.1 200 ")


def test_a_snapshot_is_read_from_the_start_of_a_larger_buffer() -> None:
    g = Group(1, 4, desired_capacity=2)
    g.tick(0)
    frame = g.snapshot()
    for tail in (b"\xff" * 4096, b"\x00", frame):
        assert Group.restore(frame + tail) == g
    with pytest.raises(fleetcore.SnapshotError) as info:
        Group.restore(frame[:-1])
    assert info.value.code == 1601
