"""Properties over random operation sequences (the Python face of fuzz/lifecycle_ops)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import fleetcore

AMI = "ami-0123456789abcdef0"
EVENTS = [
    "booted",
    "powered_off",
    "failed",
    "os_shutdown",
    "hibernation_failed",
    "retirement",
    "spot_interruption",
    "spot_restart",
]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("launch"), st.sampled_from([None, "one-time", "persistent"]), st.booleans()),
        st.tuples(st.sampled_from(["start", "stop", "force", "hibernate", "reboot", "terminate"]),
                  st.integers(0, 7)),
        st.tuples(st.just("report"), st.integers(0, 7), st.sampled_from(EVENTS)),
        st.tuples(st.just("wait"), st.floats(0, 4000, allow_nan=False)),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, database=None)
@given(ops)
def test_billing_never_decreases_and_terminated_is_absorbing(sequence: list[tuple]) -> None:
    fleet = fleetcore.Fleet(9, boot_timeout_s=30, stop_timeout_s=60, shutdown_timeout_s=10)
    now = 0.0
    billed = 0.0
    launched: list[str] = []
    terminated: set[str] = set()
    for op in sequence:
        try:
            if op[0] == "launch":
                interruption = "stop" if op[1] == "persistent" else None
                launched.append(fleet.launch(now, AMI, "m5.large", spot=op[1],
                                             interruption=interruption, hibernation=op[2]))
            elif op[0] == "wait":
                now += op[1]
                fleet.tick(now)
                deadline = fleet.next_deadline()
                assert deadline is None or deadline > now, "tick left work that was due"
            elif launched:
                iid = launched[op[1] % len(launched)]
                if op[0] == "report":
                    fleet.report(now, iid, op[2])
                elif op[0] == "force":
                    fleet.stop(now, iid, force=True)
                else:
                    getattr(fleet, op[0])(now, iid)
        except fleetcore.LifecycleError:
            pass
        held = set(fleet.ids())
        for iid in terminated:
            assert iid not in held or fleet.state(iid) == "terminated"
        terminated |= {i for i in held if fleet.state(i) == "terminated"}
        assert fleet.billed_s(now) >= billed
        billed = fleet.billed_s(now)
