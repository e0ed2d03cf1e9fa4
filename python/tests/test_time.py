"""Seconds at the boundary: converted once to whole milliseconds."""

from __future__ import annotations

import math

import pytest

import fleetcore

AMI = "ami-0123456789abcdef0"


def deadline_after(boot_timeout_s: float) -> float | None:
    fleet = fleetcore.Fleet(0, boot_timeout_s=boot_timeout_s)
    fleet.launch(0, AMI, "t3.micro")
    return fleet.next_deadline()


def test_floats_round_to_the_nearest_millisecond() -> None:
    assert deadline_after(1.0005) == 1.001
    assert deadline_after(1.0004) == 1.0
    assert deadline_after(2**40) == 2.0**40


def test_ints_are_exact() -> None:
    fleet = fleetcore.Fleet(0, boot_timeout_s=1)
    fleet.launch(2**53 + 1, AMI, "t3.micro")  # not representable as a float
    assert fleet.next_deadline() == (2**53 + 2) * 1.0


@pytest.mark.parametrize("bad", [-1, -0.5, math.nan, math.inf, 2**64, 1e300])
def test_out_of_range_times_raise_value_error(bad: float) -> None:
    fleet = fleetcore.Fleet(0)
    with pytest.raises(ValueError):
        fleet.launch(bad, AMI, "t3.micro")
    assert len(fleet) == 0


def test_bool_is_not_a_time() -> None:
    with pytest.raises(TypeError):
        fleetcore.Fleet(0).launch(True, AMI, "t3.micro")
