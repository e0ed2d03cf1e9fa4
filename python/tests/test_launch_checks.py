"""A launch checks the image's architecture against the instance type and hibernation's
prerequisites (SEMANTICS §1.3, §7), as EC2 refuses them."""

from __future__ import annotations

import pytest

from fleetcore import Catalog, CatalogError, Fleet, LifecycleError

ARM = "ami-0123456789abcdef0"
X86 = "ami-0fedcba9876543210"


def catalog() -> Catalog:
    c = Catalog(seed=1)
    c.register_image(ARM, "arm-node", architecture="arm64")
    c.register_image(X86, "x86-node", architecture="x86_64")
    return c


def test_an_arm64_image_on_m5_large_is_refused_as_ec2_refuses_it() -> None:
    c = catalog()
    f = Fleet(1)
    lt = c.create_template("nodes", ARM, "m5.large")
    with pytest.raises(CatalogError) as e:
        f.launch_template(0, c, lt)
    assert e.value.code == 1416
    assert str(e.value).startswith(
        "The architecture 'x86_64' of the specified instance type does not match the "
        "architecture 'arm64' of the specified AMI."
    )
    assert len(f) == 0
    assert c.create_version(lt, ARM, "m6g.large") == 2
    f.launch_template(0, c, lt, "$Latest")
    assert c.create_version(lt, X86, "t4g.micro") == 3
    with pytest.raises(CatalogError) as e:
        f.launch_template(0, c, lt, "$Latest")
    assert "'arm64' of the specified instance type" in str(e.value)
    assert len(f) == 1


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
    from fleetcore import InstanceType

    c = catalog()
    board = InstanceType("pi4.board", vcpus=4, memory_mib=8192)
    assert board.architecture == "x86_64"
    assert "architecture='x86_64'" in repr(board)
    assert InstanceType("x9g.board", vcpus=1, memory_mib=1).architecture == "arm64"
    c.add_instance_type(board)
    c.add_instance_type(InstanceType("pi5.board", vcpus=4, memory_mib=8192, architecture="arm64"))
    f = Fleet(1)
    lt = c.create_template("boards", ARM, "pi4.board")
    with pytest.raises(CatalogError) as e:
        f.launch_template(0, c, lt)
    assert e.value.code == 1416
    assert str(e.value) == (
        "The architecture 'x86_64' of the specified instance type does not match the "
        "architecture 'arm64' of the specified AMI. Specify an instance type and an AMI that "
        "have matching architectures, and try again."
    )
    assert len(f) == 0
    assert c.create_version(lt, ARM, "pi5.board") == 2
    f.launch_template(0, c, lt, "$Latest")
    assert c.create_version(lt, X86, "pi5.board") == 3
    with pytest.raises(CatalogError) as e:
        f.launch_template(0, c, lt, "$Latest")
    assert "'arm64' of the specified instance type" in str(e.value)
    assert len(f) == 1
    with pytest.raises(CatalogError) as e:
        InstanceType("pi6.board", vcpus=1, memory_mib=1, architecture="riscv")
    assert e.value.code == 1407
