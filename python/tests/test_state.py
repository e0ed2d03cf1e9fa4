"""InstanceState: names and codes as EC2 spells them."""

from __future__ import annotations

import pytest

import fleetcore
from fleetcore import InstanceState

ALL = [
    (InstanceState.PENDING, "pending", 0),
    (InstanceState.RUNNING, "running", 16),
    (InstanceState.SHUTTING_DOWN, "shutting-down", 32),
    (InstanceState.TERMINATED, "terminated", 48),
    (InstanceState.STOPPING, "stopping", 64),
    (InstanceState.STOPPED, "stopped", 80),
]


@pytest.mark.parametrize(("state", "name", "code"), ALL)
def test_names_and_codes_round_trip(state: InstanceState, name: str, code: int) -> None:
    assert state.name == name == str(state)
    assert state.code == code == int(state)
    assert InstanceState.from_code(code) == state
    assert InstanceState.from_name(name) == state
    assert hash(InstanceState.from_name(name)) == hash(state)


def test_high_byte_of_the_code_is_masked() -> None:
    assert InstanceState.from_code(0x1010) == InstanceState.RUNNING


def test_unknown_codes_and_names_are_refused() -> None:
    with pytest.raises(fleetcore.LifecycleError) as info:
        InstanceState.from_code(7)
    assert info.value.code == 1009
    with pytest.raises(fleetcore.LifecycleError) as info:
        InstanceState.from_name("rebooting")  # EC2 has no rebooting state
    assert info.value.code == 1010


def test_billed_states() -> None:
    assert InstanceState.RUNNING.is_billed()
    assert not InstanceState.STOPPING.is_billed()
    assert InstanceState.STOPPING.is_billed(hibernating=True)
    assert not InstanceState.STOPPED.is_billed(True)
