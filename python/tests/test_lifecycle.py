"""The lifecycle through the Fleet: requests, reports, timeouts, Spot, determinism."""

from __future__ import annotations

import threading

import pytest

import fleetcore

AMI = "ami-0123456789abcdef0"


def test_launch_boot_stop_start_terminate(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "t3.micro")
    assert fleet.ids() == [iid]
    assert fleet.state(iid) == "pending"
    booted = fleet.report(5, iid, "booted")
    assert (booted.id, booted.from_state, booted.to_state) == (iid, "pending", "running")
    assert booted.cause == "report booted"
    assert booted.at_s == 5.0
    assert booted.is_transition
    stop = fleet.stop(10, iid)
    assert (stop.to_state, stop.reason) == ("stopping", "Client.UserInitiatedShutdown")
    assert str(stop) == f"{iid} running -> stopping (stop: Client.UserInitiatedShutdown)"
    again = fleet.stop(11, iid)  # idempotent: succeeds, changes nothing
    assert not again.is_transition
    fleet.report(12, iid, "powered_off")
    assert fleet.start(20, iid).to_state == "pending"
    fleet.report(25, iid, "booted")
    assert fleet.terminate(30, iid).to_state == "shutting-down"
    assert fleet.report(31, iid, "powered_off").to_state == "terminated"


def test_failed_launch_terminates_with_the_reason(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "t3.micro")
    change = fleet.report(3, iid, "failed", reason="Server.InsufficientInstanceCapacity")
    assert change.to_state == "terminated"
    assert fleet.state_reason(iid) == "Server.InsufficientInstanceCapacity"
    with pytest.raises(ValueError, match="unknown state reason"):
        fleet.report(3, iid, "failed", reason="Server.Gremlins")
    with pytest.raises(ValueError, match="event must be one of"):
        fleet.report(3, iid, "exploded")


def test_boot_timeout_completes_on_tick(fleet: fleetcore.Fleet) -> None:
    fleet = fleetcore.Fleet(7, boot_timeout_s=40)
    iid = fleet.launch(0, AMI, "t4g.micro")
    assert fleet.next_deadline() == 40.0
    assert fleet.tick(39.999) == []
    [change] = fleet.tick(40)
    assert (change.from_state, change.to_state, change.cause) == (
        "pending",
        "running",
        "complete on deadline",
    )
    assert fleet.next_deadline() is None
    assert fleet.state(iid) == "running"


def test_spot_interruption_gives_two_minutes_notice(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "c5.large", spot="one-time")
    fleet.report(0, iid, "booted")
    notice = fleet.report(100, iid, "spot_interruption")
    assert not notice.is_transition
    assert fleet.next_deadline() == 220.0
    assert fleet.tick(219) == []
    [change] = fleet.tick(220)
    assert change.to_state == "shutting-down"
    assert change.reason == "Server.SpotInstanceTermination"
    with pytest.raises(fleetcore.LifecycleError) as info:
        fleet.stop(230, iid)  # one-time Spot cannot be stopped, only terminated
    assert info.value.code == 1011


def test_instance_store_can_only_terminate(fleet: fleetcore.Fleet) -> None:
    iid = fleet.launch(0, AMI, "i3.large", root_device="instance-store")
    fleet.report(1, iid, "booted")
    with pytest.raises(fleetcore.LifecycleError) as info:
        fleet.stop(2, iid)
    assert info.value.code == 1001
    assert fleet.report(3, iid, "os_shutdown").to_state == "shutting-down"


def test_terminated_instances_are_forgotten_after_an_hour(fleet: fleetcore.Fleet, running: str) -> None:
    fleet.terminate(0, running)
    fleet.report(0, running, "powered_off")
    assert fleet.tick(3599) == []
    assert len(fleet) == 1
    fleet.tick(3600)
    assert len(fleet) == 0
    assert fleet.billed_s(4000) == 60.0  # forgotten usage still counts


def test_same_seed_gives_the_same_ids() -> None:
    a, b = fleetcore.Fleet(1), fleetcore.Fleet(1)
    ids_a = [a.launch(0, AMI, "t3.micro") for _ in range(3)]
    ids_b = [b.launch(0, AMI, "t3.micro") for _ in range(3)]
    assert ids_a == ids_b
    assert len(set(ids_a)) == 3
    assert fleetcore.Fleet(2).launch(0, AMI, "t3.micro") != ids_a[0]
    assert all(fleetcore.parse_instance_id(i) == i for i in ids_a)


def test_capacity_and_repr(fleet: fleetcore.Fleet) -> None:
    assert fleet.capacity == fleetcore.CAPACITY == 4096
    assert repr(fleet) == "Fleet(len=0, capacity=4096)"


@pytest.mark.skipif(
    fleetcore._fleetcore._debug_build,  # type: ignore[attr-defined]
    reason="unoptimised builds make a temporary Fleet on the stack",
)
def test_a_fleet_can_be_made_on_a_thread_with_a_small_stack() -> None:
    # A Fleet is about a megabyte; the release build must create it on the heap, not on the
    # caller's stack (macOS gives threads 512 KiB).
    made: list[int] = []
    old = threading.stack_size(256 * 1024)
    try:
        t = threading.Thread(target=lambda: made.append(fleetcore.Fleet(3).capacity))
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    assert made == [4096]
