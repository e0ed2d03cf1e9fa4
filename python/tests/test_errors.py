"""Errors: the right exception type, the core's code, and nothing changed."""

from __future__ import annotations

import pytest

import fleetcore

AMI = "ami-0123456789abcdef0"


def test_exception_hierarchy() -> None:
    assert issubclass(fleetcore.IdError, ValueError)
    assert issubclass(fleetcore.CatalogError, ValueError)
    assert issubclass(fleetcore.LifecycleError, Exception)
    assert not issubclass(fleetcore.LifecycleError, ValueError)
    assert fleetcore.LifecycleError.__module__ == "fleetcore"


def test_stopping_a_pending_instance_is_refused_and_changes_nothing(
    fleet: fleetcore.Fleet,
) -> None:
    iid = fleet.launch(0, AMI, "t3.micro")
    with pytest.raises(fleetcore.LifecycleError) as info:
        fleet.stop(5, iid)
    err = info.value
    assert err.code == 1000  # IncorrectInstanceState
    assert err.kind == "invalid state"
    assert str(err) == f"instance {iid} cannot be stopped as it has never reached the running state"
    assert err.args == (str(err),)
    assert fleet.state(iid) == "pending"
    assert fleet.state_reason(iid) is None
    assert fleet.billed_s(5) == 0.0


def test_starting_a_terminated_instance_is_refused(fleet: fleetcore.Fleet, running: str) -> None:
    fleet.terminate(10, running)
    fleet.report(20, running, "powered_off")
    billed = fleet.billed_s(30)
    with pytest.raises(fleetcore.LifecycleError, match="not in a state from which it can be started") as info:
        fleet.start(30, running)
    assert info.value.code == 1000
    assert fleet.state(running) == "terminated"
    assert fleet.billed_s(30) == billed


def test_report_that_does_not_fit_the_state_is_refused(fleet: fleetcore.Fleet, running: str) -> None:
    with pytest.raises(fleetcore.LifecycleError) as info:
        fleet.report(5, running, "booted")
    assert info.value.code == 1000
    assert fleet.state(running) == "running"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ami-0123456789abcdef0", 1500),  # wrong prefix
        ("", 1500),
        ("i-0123", 1501),  # bad length
        ("i-0123456789ABCDEF0", 1502),  # not lowercase hex
        ("i-0123456g", 1502),
    ],
)
def test_malformed_ids_raise_id_error(fleet: fleetcore.Fleet, text: str, code: int) -> None:
    with pytest.raises(fleetcore.IdError) as info:
        fleetcore.parse_instance_id(text)
    assert info.value.code == code
    assert info.value.kind == "malformed"
    with pytest.raises(ValueError):  # IdError is a ValueError
        fleet.start(0, text)


def test_well_formed_ids_parse_to_themselves() -> None:
    for text in ["i-0123456789abcdef0", "i-12345678"]:
        assert fleetcore.parse_instance_id(text) == text


def test_unknown_instance_is_a_lifecycle_error(fleet: fleetcore.Fleet) -> None:
    with pytest.raises(fleetcore.LifecycleError) as info:
        fleet.state("i-0123456789abcdef0")
    assert info.value.code == 1007
    assert info.value.kind == "not found"


def test_unknown_instance_type_raises_catalog_error(fleet: fleetcore.Fleet) -> None:
    with pytest.raises(fleetcore.CatalogError, match="unknown instance type") as info:
        fleet.launch(0, AMI, "t9.gigantic")
    assert info.value.code == 1400
    assert info.value.kind == "not found"
    assert isinstance(info.value, ValueError)
    assert len(fleet) == 0


def test_malformed_launch_arguments(fleet: fleetcore.Fleet) -> None:
    with pytest.raises(fleetcore.CatalogError) as info:
        fleet.launch(0, AMI, "T3.Micro")
    assert info.value.code == 1401
    with pytest.raises(fleetcore.CatalogError) as info:
        fleet.launch(0, AMI, "t3.micro", root_device="floppy")
    assert info.value.code == 1407
    with pytest.raises(fleetcore.IdError) as id_info:
        fleet.launch(0, "i-0123456789abcdef0", "t3.micro")
    assert id_info.value.code == 1500
    with pytest.raises(ValueError, match="spot must be"):
        fleet.launch(0, AMI, "t3.micro", spot="sometimes")
    with pytest.raises(ValueError, match="spot instances only"):
        fleet.launch(0, AMI, "t3.micro", interruption="stop")
    assert len(fleet) == 0


def test_launch_rules_are_lifecycle_errors(fleet: fleetcore.Fleet) -> None:
    with pytest.raises(fleetcore.LifecycleError, match="needs a persistent request") as info:
        fleet.launch(0, AMI, "t3.micro", spot="one-time", interruption="stop")
    assert info.value.code == 1006
    with pytest.raises(fleetcore.LifecycleError, match="hibernation needs an ebs root"):
        fleet.launch(0, AMI, "t3.micro", root_device="instance-store", hibernation=True)
    assert len(fleet) == 0


def test_terminate_all_is_all_or_nothing(fleet: fleetcore.Fleet, running: str) -> None:
    protected = fleet.launch(0, AMI, "t3.micro", termination_protection=True)
    with pytest.raises(fleetcore.LifecycleError) as info:
        fleet.terminate_all(5, [running, protected])
    assert info.value.code == 1003
    assert fleet.state(running) == "running"
    assert fleet.terminate_all(5, [running]) == 1
    assert fleet.state(running) == "shutting-down"


@pytest.mark.parametrize(
    ("exc", "is_value_error"),
    [
        (fleetcore.GroupError, False),
        (fleetcore.ScalingError, True),
        (fleetcore.SnapshotError, True),
    ],
)
def test_group_scaling_and_snapshot_exceptions(exc: type, is_value_error: bool) -> None:
    assert exc.__module__ == "fleetcore"
    assert issubclass(exc, Exception)
    assert issubclass(exc, ValueError) == is_value_error


def test_each_domain_raises_its_own_exception_with_its_code() -> None:
    g = fleetcore.Group(1, 2)
    raised = []
    for call in (
        lambda: g.set_desired(0, 3),  # 1102
        lambda: g.put_metric("m", 7),  # 1200
        lambda: fleetcore.Group.restore(b"FLTC"),  # 1601
        lambda: g.booted(0, "i-0"),  # 1501
    ):
        with pytest.raises(Exception) as info:
            call()
        raised.append((type(info.value).__name__, info.value.code))  # type: ignore[attr-defined]
    assert raised == [("GroupError", 1102), ("ScalingError", 1200), ("SnapshotError", 1601), ("IdError", 1501)]
