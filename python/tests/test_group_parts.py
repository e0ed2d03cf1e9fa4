"""What a group has beyond membership, reached from Python: instance refresh, the activity
history, the warm pool and launch templates with ``$Latest`` / ``$Default`` (SEMANTICS §2.9,
§2.10, §2.6, §7)."""

from __future__ import annotations

import pytest

from fleetcore import Activity, Catalog, Group, GroupError, InstanceRefresh

AMI = "ami-0123456789abcdef0"


def run(g: Group, start: int, end: int) -> None:
    """Ticks every second, doing at once what the group asks."""
    for t in range(start, end):
        for a in g.tick(t):
            if a.kind in ("launch", "start"):
                g.booted(t, a.id)
            elif a.kind == "terminate":
                g.terminated(t, a.id)
            elif a.kind in ("stop", "hibernate"):
                g.ec2_state(t, a.id, "stopped")


def test_instance_refresh_replaces_every_member_in_batches() -> None:
    g = Group(2, 2, seed=1, default_instance_warmup_s=0)
    run(g, 0, 2)
    old = {m.id for m in g.members}
    assert g.instance_refresh is None
    n = g.start_instance_refresh(10, min_healthy_percentage=50, instance_warmup_s=0)
    assert n == 1
    r = g.instance_refresh
    assert isinstance(r, InstanceRefresh)
    assert (r.id, r.status, r.to_replace, r.replaced, r.percentage_complete) == (1, "InProgress", 2, 0, 0)
    assert (r.min_healthy_percentage, r.max_healthy_percentage, r.skip_matching) == (50, 100, False)
    with pytest.raises(GroupError) as e:
        g.start_instance_refresh(11)
    assert e.value.code == 1120
    run(g, 10, 60)
    r = g.instance_refresh
    assert r is not None
    assert (r.status, r.replaced, r.percentage_complete) == ("Successful", 2, 100)
    assert r.ended_s is not None
    assert not old & {m.id for m in g.members}
    assert g.in_service == 2
    assert "InstanceRefresh(id=1" in repr(r)


def test_instance_refresh_cancel_and_preferences() -> None:
    g = Group(4, 4, seed=2)
    run(g, 0, 2)
    with pytest.raises(GroupError) as e:
        g.cancel_instance_refresh(5)
    assert e.value.code == 1121
    with pytest.raises(GroupError) as e:
        g.start_instance_refresh(5, min_healthy_percentage=101)
    assert e.value.code == 1119
    with pytest.raises(GroupError) as e:
        g.start_instance_refresh(5, checkpoint_percentages=[50, 20])
    assert e.value.code == 1119
    assert g.instance_refresh is None, "invalid input leaves no refresh"
    g.start_instance_refresh(5, checkpoint_percentages=[50, 100], checkpoint_delay_s=600, desired_version="$Latest")
    r = g.instance_refresh
    assert r is not None and r.desired_version == "$Latest"
    g.cancel_instance_refresh(6)
    r = g.instance_refresh
    assert r is not None and r.status == "Cancelled"


def test_activities_read_the_history() -> None:
    g = Group(1, 4, 2, seed=3)
    assert g.activities == [] and g.activities_started == 0
    run(g, 0, 2)
    acts = g.activities
    assert len(acts) == 2 == g.activities_started
    assert all(isinstance(a, Activity) for a in acts)
    assert [a.seq for a in acts] == [1, 2]
    first = acts[0]
    assert first.description.startswith("Launching a new EC2 instance")
    assert first.instance == g.members[0].id
    assert first.status == "Successful"
    assert "increasing the capacity from 0 to 1" in first.cause
    assert first.start_s == 0.0
    g.set_desired(10, 1)
    run(g, 10, 12)
    last = g.activities[-1]
    assert last.description.startswith("Terminating EC2 instance")
    assert "Activity(seq=3" in repr(last)


def test_warm_pool_put_read_and_delete() -> None:
    g = Group(1, 4, seed=4)
    assert g.warm_pool is None and g.warm_pool_target == 0
    with pytest.raises(ValueError):
        g.put_warm_pool(pool_state="Frozen")
    with pytest.raises(GroupError) as e:
        g.put_warm_pool(min_size=3, max_group_prepared_capacity=2)
    assert e.value.code == 1119
    assert g.warm_pool is None, "invalid input leaves no pool"
    g.put_warm_pool(min_size=1, pool_state="Running", reuse_on_scale_in=True)
    assert g.warm_pool == {
        "min_size": 1,
        "max_group_prepared_capacity": None,
        "pool_state": "running",
        "reuse_on_scale_in": True,
    }
    assert g.warm_pool_target == 3  # MaxSize 4 - desired 1
    run(g, 0, 5)
    assert g.warm_count == 3
    assert sum(m.state.startswith("Warmed:") for m in g.members) == 3
    # A scale-out takes warm members first.
    g.set_desired(10, 3)
    run(g, 10, 15)
    assert g.in_service == 3
    g.put_warm_pool(max_group_prepared_capacity=-1)
    assert g.warm_pool is not None and g.warm_pool["max_group_prepared_capacity"] is None
    g.delete_warm_pool(20)
    run(g, 20, 25)
    assert g.warm_pool is None and g.warm_count == 0
    assert not any(m.state.startswith("Warmed:") for m in g.members)


def test_launch_templates_latest_default_and_oldest_launch_template() -> None:
    c = Catalog(seed=5)
    c.register_image(AMI, "node")
    lt = c.create_template("nodes", AMI, "m5.large")
    g = Group(
        1,
        4,
        seed=5,
        launch_template=lt,
        launch_template_version="$Latest",
        termination_policies=["OldestLaunchTemplate", "Default"],
    )
    assert g.launch_template == (lt, "$Latest")
    assert g.template_versions == (1, 1)
    [a] = g.tick(0)
    assert (a.template, a.version) == (lt, 1)
    g.booted(0, a.id)
    # A new version: $Latest follows it once the group learns of it; $Default does not.
    assert c.create_version(lt, AMI, "m5.xlarge") == 2
    g.sync_template(c)
    assert g.template_versions == (1, 2)
    g.set_desired(10, 2)
    [b] = g.tick(10)
    assert (b.template, b.version) == (lt, 2)
    g.booted(10, b.id)
    assert sorted(m.version or 0 for m in g.members) == [1, 2]
    # OldestLaunchTemplate: the member on version 1 goes first.
    g.set_desired(20, 1)
    [t] = [x for x in g.tick(20) if x.kind == "terminate"]
    assert t.id == a.id
    # A group on $Default launches the default version.
    d = Group(1, 2, seed=6, launch_template=lt)
    assert d.launch_template == (lt, "$Default")
    d.sync_template(c)
    [x] = d.tick(0)
    assert x.version == 1
    # A template that is gone: no launch until it is back.
    e = Group(1, 2, seed=7, launch_template=lt)
    e.set_template_versions(None)
    assert e.template_versions is None
    assert [x.kind for x in e.tick(0)] == []
    e.set_template_versions((3, 4))
    assert [(x.kind, x.version) for x in e.tick(400)] == [("launch", 3)]
    with pytest.raises(ValueError):
        e.set_template_versions((2, 1))
    assert e.template_versions == (3, 4)
