"""Shared fixtures: a fleet and the ids and images the tests use."""

from __future__ import annotations

import pytest

import fleetcore

AMI = "ami-0123456789abcdef0"  # any well-formed AMI id: the core keeps no image table here


@pytest.fixture
def fleet() -> fleetcore.Fleet:
    return fleetcore.Fleet(seed=42)


@pytest.fixture
def running(fleet: fleetcore.Fleet) -> str:
    """An instance launched at 0 s that reported booted at 0 s."""
    iid = fleet.launch(0, AMI, "t3.micro")
    fleet.report(0, iid, "booted")
    return iid

