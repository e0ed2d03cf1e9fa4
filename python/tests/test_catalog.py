"""Catalog: built-in and custom instance types, images, launch templates and their versions."""

from __future__ import annotations

import pytest

import fleetcore
from fleetcore import Catalog, CatalogError, Image, InstanceType

AMI = "ami-0123456789abcdef0"
AMI2 = "ami-0fedcba9876543210"


@pytest.fixture
def catalog() -> Catalog:
    c = Catalog(seed=7)
    c.register_image(AMI, "fleet-node v1", architecture="x86_64", description="first")
    return c


def test_builtin_type_has_the_service_figures() -> None:
    t = InstanceType.builtin("m5.large")
    assert (t.name, t.family, t.size, t.series) == ("m5.large", "m5", "large", "m")
    assert t.category == "general_purpose"
    assert (t.vcpus, t.memory_mib, t.accelerators) == (2, 8192, 0)
    assert (t.max_enis, t.ipv4_per_eni) == (3, 10)
    assert t.normalization == 4.0
    micro = InstanceType.builtin("t3.micro")
    assert micro.normalization == 0.5
    assert micro.category == "burstable"
    assert str(t) == "m5.large"
    assert repr(t).startswith("InstanceType(name='m5.large', category='general_purpose', vcpus=2")
    assert t == InstanceType.builtin("m5.large")
    assert t != micro
    assert len({t, InstanceType.builtin("m5.large"), micro}) == 2
    names = InstanceType.builtin_names()
    assert "m5.large" in names and "t3.micro" in names
    assert all(InstanceType.builtin(n).name == n for n in names)


@pytest.mark.parametrize(("name", "code"), [("m5.huge", 1400), ("nodot", 1401), ("M5.large", 1401)])
def test_unknown_or_malformed_builtin_is_refused(name: str, code: int) -> None:
    with pytest.raises(CatalogError) as info:
        InstanceType.builtin(name)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


def test_custom_type_is_checked() -> None:
    board = InstanceType("pi4.8gb", vcpus=4, memory_mib=8192, category="compute optimized", normalization=1.25)
    assert board.normalization == 1.25
    assert board.category == "compute_optimized"
    assert board == InstanceType("pi4.8gb", vcpus=4, memory_mib=8192, category="compute optimized", normalization=1.25)
    with pytest.raises(CatalogError) as info:
        InstanceType("pi4.8gb", vcpus=0, memory_mib=8192)
    assert info.value.code == 1407
    assert "VCpuInfo" in str(info.value)
    with pytest.raises(CatalogError) as info:
        InstanceType("pi4_8gb", vcpus=1, memory_mib=1)
    assert info.value.code == 1401
    with pytest.raises(ValueError, match="category must be one of"):
        InstanceType("pi4.8gb", vcpus=1, memory_mib=1, category="fast")
    for bad in (0.3, -1.0, float("nan")):
        with pytest.raises(ValueError, match="normalization"):
            InstanceType("pi4.8gb", vcpus=1, memory_mib=1, normalization=bad)
    with pytest.raises(CatalogError) as info:
        InstanceType("pi4.8gb", vcpus=1, memory_mib=1, normalization=0)
    assert info.value.code == 1407


def test_custom_types_join_the_lookup_and_duplicates_are_refused(catalog: Catalog) -> None:
    board = InstanceType("pi4.8gb", vcpus=4, memory_mib=8192)
    catalog.add_instance_type(board)
    assert catalog.instance_type("pi4.8gb") == board
    assert catalog.instance_type("m5.large") == InstanceType.builtin("m5.large")
    assert catalog.custom_types() == [board]
    for dup in (board, InstanceType("m5.large", vcpus=1, memory_mib=1)):
        with pytest.raises(CatalogError) as info:
            catalog.add_instance_type(dup)
        assert info.value.code == 1402
    assert catalog.custom_types() == [board]
    with pytest.raises(CatalogError) as info:
        catalog.instance_type("pi5.8gb")
    assert info.value.code == 1400


def test_images_register_and_deregister(catalog: Catalog) -> None:
    image = catalog.image(AMI)
    assert image == Image(AMI, "fleet-node v1", architecture="x86_64", description="first")
    assert (image.id, image.name, image.architecture) == (AMI, "fleet-node v1", "x86_64")
    assert (image.root_device, image.boot_mode, image.description) == ("ebs", "uefi-preferred", "first")
    assert repr(image) == (
        f"Image(id='{AMI}', name='fleet-node v1', architecture='x86_64', root_device='ebs', "
        "boot_mode='uefi-preferred', description='first')"
    )
    with pytest.raises(CatalogError) as info:
        catalog.register_image(AMI, "again")
    assert info.value.code == 1404
    assert catalog.images() == [image]
    catalog.deregister_image(AMI)
    assert catalog.images() == []
    with pytest.raises(CatalogError) as info:
        catalog.deregister_image(AMI)
    assert info.value.code == 1403


@pytest.mark.parametrize(
    ("kwargs", "exc", "code"),
    [
        ({"name": "ab"}, CatalogError, 1405),
        ({"name": "has*star"}, CatalogError, 1405),
        ({"architecture": "riscv"}, CatalogError, 1407),
        ({"root_device": "disk"}, CatalogError, 1407),
        ({"boot_mode": "bios"}, CatalogError, 1407),
        ({"description": "d" * 256}, CatalogError, 1406),
        ({"image_id": "i-0123456789abcdef0"}, fleetcore.IdError, 1500),
    ],
)
def test_bad_images_are_refused_and_nothing_is_registered(
    catalog: Catalog, kwargs: dict[str, str], exc: type[Exception], code: int
) -> None:
    args = {"image_id": AMI2, "name": "node image"} | kwargs
    image_id, name = args.pop("image_id"), args.pop("name")
    with pytest.raises(exc) as info:
        catalog.register_image(image_id, name, **args)
    assert getattr(info.value, "code") == code
    assert [i.id for i in catalog.images()] == [AMI]


def test_template_versions_default_and_latest(catalog: Catalog) -> None:
    lt = catalog.create_template("web-nodes", AMI, "m5.large", description="v1")
    assert lt.startswith("lt-")
    assert catalog.create_version(lt, AMI, "m5.xlarge", spot="one-time", interruption="stop") == 2
    t = catalog.template(lt)
    assert (t.id, t.name, t.default_version, t.latest_version, len(t)) == (lt, "web-nodes", 1, 2, 2)
    assert repr(t) == f"LaunchTemplate(id='{lt}', name='web-nodes', versions=2, default_version=1, latest_version=2)"
    assert catalog.resolve(lt).number == 1
    assert catalog.resolve(lt, "$Default").instance_type == "m5.large"
    latest = catalog.resolve(lt, "$Latest")
    assert (latest.number, latest.instance_type, latest.spot, latest.interruption) == (2, "m5.xlarge", "one_time", "stop")
    assert catalog.resolve(lt, 1).spot is None
    assert catalog.resolve(lt, "2") == latest
    assert t.resolve("$Latest") == latest
    v1 = t.versions()[0]
    assert (v1.description, v1.image_id, v1.shutdown_behavior, v1.hibernation, v1.termination_protection) == (
        "v1",
        AMI,
        "stop",
        False,
        False,
    )
    assert "LaunchTemplateVersion(number=1" in repr(v1)
    catalog.set_default(lt, 2)
    assert catalog.resolve(lt).number == 2
    catalog.delete_version(lt, 1)
    assert [v.number for v in catalog.template(lt).versions()] == [2]
    # Numbers are never reused.
    assert catalog.create_version(lt, AMI, "m5.large") == 3
    assert catalog.template_by_name("web-nodes") == catalog.template(lt)
    assert catalog.templates() == [catalog.template(lt)]
    assert repr(catalog) == "Catalog(custom_types=0, images=1, templates=1)"


def test_template_errors_change_nothing(catalog: Catalog) -> None:
    lt = catalog.create_template("web-nodes", AMI, "m5.large")
    before = catalog.template(lt)
    cases: list[tuple[object, int]] = [
        (lambda: catalog.create_template("web-nodes", AMI, "m5.large"), 1409),
        (lambda: catalog.create_template("x", AMI, "m5.large"), 1410),
        (lambda: catalog.create_template("other", AMI2, "m5.large"), 1403),
        (lambda: catalog.create_template("other", AMI, "m5.huge"), 1400),
        (lambda: catalog.create_version(lt, AMI2, "m5.large"), 1403),
        (lambda: catalog.create_version("lt-0123456789abcdef0", AMI, "m5.large"), 1408),
        (lambda: catalog.create_version(lt, AMI, "m5.large", description="d" * 256), 1406),
        (lambda: catalog.set_default(lt, 9), 1411),
        (lambda: catalog.delete_version(lt, 1), 1412),
        (lambda: catalog.resolve(lt, 5), 1411),
        (lambda: catalog.resolve(lt, 0), 1413),
        (lambda: catalog.resolve(lt, "$latest"), 1413),
        (lambda: catalog.template_by_name("nope"), 1408),
    ]
    for call, code in cases:
        with pytest.raises(CatalogError) as info:
            call()  # type: ignore[operator]
        assert info.value.code == code, call
    assert catalog.template(lt) == before
    assert len(catalog.templates()) == 1
    with pytest.raises(TypeError):
        catalog.resolve(lt, True)
    with pytest.raises(ValueError, match="interruption applies to spot"):
        catalog.create_version(lt, AMI, "m5.large", interruption="stop")
    with pytest.raises(ValueError, match="shutdown_behavior"):
        catalog.create_version(lt, AMI, "m5.large", shutdown_behavior="halt")
    assert catalog.template(lt) == before


def test_deregistered_image_fails_resolution(catalog: Catalog) -> None:
    lt = catalog.create_template("web-nodes", AMI, "m5.large")
    catalog.deregister_image(AMI)
    with pytest.raises(CatalogError) as info:
        catalog.resolve(lt)
    assert info.value.code == 1403
    assert catalog.template(lt).resolve().number == 1


def test_custom_type_in_a_template(catalog: Catalog) -> None:
    with pytest.raises(CatalogError):
        catalog.create_template("boards", AMI, "pi4.8gb")
    catalog.add_instance_type(InstanceType("pi4.8gb", vcpus=4, memory_mib=8192))
    lt = catalog.create_template("boards", AMI, "pi4.8gb")
    assert catalog.resolve(lt).instance_type == "pi4.8gb"


def test_full_catalog_is_refused() -> None:
    c = Catalog()
    for n in range(64):
        c.register_image(f"ami-{n:08x}", f"image {n}")
    with pytest.raises(CatalogError) as info:
        c.register_image("ami-ffffffff", "one more")
    assert info.value.code == 1414
    assert len(c.images()) == 64
    lt = c.create_template("many", "ami-00000000", "t3.micro")
    for _ in range(31):
        c.create_version(lt, "ami-00000000", "t3.micro")
    with pytest.raises(CatalogError) as info:
        c.create_version(lt, "ami-00000000", "t3.micro")
    assert info.value.code == 1414
    assert c.template(lt).latest_version == 32


def test_same_seed_same_template_ids() -> None:
    ids = []
    for _ in range(2):
        c = Catalog(seed=3)
        c.register_image(AMI, "node image")
        ids.append(c.create_template("a-template", AMI, "t3.micro"))
    assert ids[0] == ids[1]


def test_fleet_launches_from_a_template(catalog: Catalog) -> None:
    catalog.add_instance_type(InstanceType("pi4.8gb", vcpus=4, memory_mib=8192))
    lt = catalog.create_template("boards", AMI, "pi4.8gb", shutdown_behavior="terminate")
    assert catalog.create_version(lt, AMI, "m5.large", spot="persistent", interruption="stop") == 2
    fleet = fleetcore.Fleet(seed=3)
    first = fleet.launch_template(0, catalog, lt)
    latest = fleet.launch_template(1, catalog, lt, "$Latest")
    plain = fleet.launch(2, AMI, "m5.large")
    assert fleet.template_of(first) == (lt, 1)
    assert fleet.template_of(latest) == (lt, 2)
    assert fleet.template_of(plain) is None
    assert fleet.state(first) == "pending"
    fleet.report(10, first, "booted")
    # Version 1's shutdown behaviour came with it: an OS shutdown terminates the instance.
    fleet.report(20, first, "os_shutdown")
    assert fleet.state(first) == "shutting-down"
    # Version 2 is a persistent Spot request that stops on interruption.
    fleet.report(10, latest, "booted")
    fleet.report(30, latest, "spot_interruption")
    fleet.tick(30 + 120)
    assert fleet.state(latest) in ("stopping", "stopped")


def test_fleet_template_errors_launch_nothing(catalog: Catalog) -> None:
    lt = catalog.create_template("web", AMI, "m5.large")
    fleet = fleetcore.Fleet(seed=3)
    cases: list[tuple[object, int]] = [
        (lambda: fleet.launch_template(0, catalog, "lt-0123456789abcdef0"), 1408),
        (lambda: fleet.launch_template(0, catalog, lt, 7), 1411),
        (lambda: fleet.launch_template(0, catalog, lt, "$newest"), 1413),
    ]
    for call, code in cases:
        with pytest.raises(CatalogError) as info:
            call()  # type: ignore[operator]
        assert info.value.code == code
    with pytest.raises(fleetcore.IdError):
        fleet.launch_template(0, catalog, "not-a-template")
    catalog.deregister_image(AMI)
    with pytest.raises(CatalogError) as info:
        fleet.launch_template(0, catalog, lt)
    assert info.value.code == 1403
    assert len(fleet) == 0
    with pytest.raises(fleetcore.IdError):
        fleet.template_of("i-nope")
    with pytest.raises(fleetcore.LifecycleError) as lerr:
        fleet.template_of("i-0123456789abcdef0")
    assert lerr.value.code == 1007
