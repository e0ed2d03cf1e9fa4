"""Billing examples from SEMANTICS §1.1 (EC2-UG:Stop_Start and ec2-on-demand-instances)."""

from __future__ import annotations

import fleetcore

AMI = "ami-0123456789abcdef0"


def test_twenty_second_run_bills_the_sixty_second_minimum(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "t3.micro")
    fleet.report(10, iid, "booted")
    fleet.stop(30, iid)
    fleet.report(35, iid, "powered_off")
    assert fleet.state(iid) == "stopped"
    assert fleet.billed_s(100, iid) == 60.0
    assert fleet.billed_s(100) == 60.0


def test_three_minutes_forty_bills_exactly_220_seconds(fleet: fleetcore.Fleet, running: str) -> None:
    fleet.stop(220, running)
    fleet.report(230, running, "powered_off")
    assert fleet.billed_s(1_000, running) == 220.0


def test_minimum_is_charged_from_the_start_so_billing_never_decreases(
    fleet: fleetcore.Fleet, running: str
) -> None:
    assert fleet.billed_s(0) == 60.0
    assert fleet.billed_s(59.9) == 60.0
    assert fleet.billed_s(60.001) == 61.0  # a started second is a billed second


def test_pending_and_stopped_are_not_billed(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "m5.large")
    assert fleet.billed_s(500) == 0.0
    fleet.report(500, iid, "booted")
    fleet.stop(700, iid, force=True)
    assert fleet.billed_s(10_000) == 200.0


def test_each_start_pays_its_own_minimum_but_a_reboot_does_not(
    fleet: fleetcore.Fleet, running: str
) -> None:
    fleet.reboot(10, running)
    assert fleet.state(running) == "running"
    fleet.stop(20, running, force=True)
    fleet.start(100, running)
    fleet.report(110, running, "booted")
    fleet.stop(120, running, force=True)
    assert fleet.billed_s(1_000, running) == 120.0


def test_hibernation_is_billed_while_stopping(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "m5.large", hibernation=True)
    fleet.report(0, iid, "booted")
    change = fleet.hibernate(100, iid)
    assert (change.from_state, change.to_state) == ("running", "stopping")
    assert change.reason == "Client.UserInitiatedHibernate"
    fleet.report(130, iid, "powered_off")
    assert fleet.billed_s(1_000, iid) == 130.0
