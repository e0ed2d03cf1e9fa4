"""A launch checks the image's architecture against the instance type and hibernation's
prerequisites (SEMANTICS §1.3, §7), as EC2 refuses them."""

from __future__ import annotations

from typing import Any

import pytest

from fleetcore import Catalog, CatalogError, Fleet, InstanceType, LifecycleError

ARM = "ami-0123456789abcdef0"
X86 = "ami-0fedcba9876543210"


def catalog() -> Catalog:
    c = Catalog(seed=1)
    c.register_image(ARM, "arm-node", architecture="arm64")
    c.register_image(X86, "x86-node", architecture="x86_64")
    return c


#: EC2's ``InvalidParameterValue`` text for ``RunInstances`` of an arm64 AMI on an x86_64 type.
ARM_ON_X86 = (
    "The architecture 'x86_64' of the specified instance type does not match the "
    "architecture 'arm64' of the specified AMI. Specify an instance type and an AMI that "
    "have matching architectures, and try again."
)


def refused(f: Fleet, c: Catalog, lt: Any, *version: str) -> str:
    """The text of the 1416 ``CatalogError`` launching ``lt`` raises; nothing launches."""
    before = len(f)
    with pytest.raises(CatalogError) as e:
        f.launch_template(0, c, lt, *version)
    assert e.value.code == 1416
    assert len(f) == before
    return str(e.value)


def refused_both_ways(c: Catalog, x86_type: str, arm_type: str) -> None:
    """The arm64 image on ``x86_type`` is refused with EC2's text; on ``arm_type`` it launches,
    and the x86_64 image on ``arm_type`` is refused."""
    f = Fleet(1)
    lt = c.create_template(f"on-{x86_type}", ARM, x86_type)
    assert refused(f, c, lt) == ARM_ON_X86
    assert c.create_version(lt, ARM, arm_type) == 2
    f.launch_template(0, c, lt, "$Latest")
    assert c.create_version(lt, X86, arm_type) == 3
    assert "'arm64' of the specified instance type" in refused(f, c, lt, "$Latest")
    assert len(f) == 1


def test_an_arm64_image_on_m5_large_is_refused_as_ec2_refuses_it() -> None:
    refused_both_ways(catalog(), "m5.large", "m6g.large")


def test_hibernation_needs_under_150_gib_and_no_bare_metal() -> None:
    f = Fleet(1)
    f.launch(0, X86, "m5.large", hibernation=True)
    for ty, words in [("m5.metal", "bare metal"), ("p4d.24xlarge", "150 GiB"), ("m5.24xlarge", "150 GiB")]:
        with pytest.raises(LifecycleError) as e:
            f.launch(0, X86, ty, hibernation=True)
        assert e.value.code == 1006
        assert words in str(e.value), ty
        f.launch(0, X86, ty)  # Without hibernation it launches.
    assert len(f) == 4


def test_a_custom_type_states_its_architecture_and_a_launch_checks_it() -> None:
    # SEMANTICS §7: a custom type (a board) is checked as EC2 checks its own types; without
    # ``architecture`` it takes its name's (``x86_64`` for a name that is not an EC2 family).
    c = catalog()
    board = InstanceType("pi4.board", vcpus=4, memory_mib=8192)
    assert board.architecture == "x86_64"
    assert "architecture='x86_64'" in repr(board)
    assert InstanceType("x9g.board", vcpus=1, memory_mib=1).architecture == "arm64"
    c.add_instance_type(board)
    c.add_instance_type(InstanceType("pi5.board", vcpus=4, memory_mib=8192, architecture="arm64"))
    refused_both_ways(c, "pi4.board", "pi5.board")
    with pytest.raises(CatalogError) as e:
        InstanceType("pi6.board", vcpus=1, memory_mib=1, architecture="riscv")
    assert e.value.code == 1407
