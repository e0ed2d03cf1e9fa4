"""The Kubernetes Horizontal Pod Autoscaler algorithm, as the fleetcore core implements it.

It follows the upstream controller (``pkg/controller/podautoscaler``, ``replica_calculator.go``
and ``horizontal.go``), in exact integer arithmetic where upstream uses ``float64``:

- ``desired_replicas(current, metrics, target)``: the group's per-member metric, a utilization
  (each member reports a percentage of its own capacity). The utilization is truncated to a
  whole percent as upstream truncates it; nothing changes while its ratio to the target is
  within the tolerance of 0.1, otherwise ``ceil(ratio × ready members)``. ``metrics`` has one
  entry per member: a number, ``None`` for a member whose metric is missing, or ``"unready"``.
  Missing members count as ``max(100, target)`` % when scaling down and 0 when scaling up;
  unready members count as 0 when scaling up and are left out when scaling down; if that
  reverses the direction or lands within tolerance, nothing changes.
- ``resource_replicas`` (a ``Resource`` metric, ``Utilization`` target, per-pod requests),
  ``pods_replicas`` (a ``Pods`` metric, ``AverageValue``: a missing pod counts as the target on
  a scale-down) and ``object_replicas`` (``Object`` / ``External``, ``Value`` or
  ``AverageValue``), each with a scale-down and a scale-up tolerance of its own.
- ``Behavior``: the ``behavior`` block of an HPA (stabilisation windows, ``Pods`` and
  ``Percent`` rate policies, ``selectPolicy``); defaults as upstream (scale-up: no window,
  4 pods or 100 % per 15 s, the larger; scale-down: 300 s window, 100 % per 15 s).
  ``Behavior.from_k8s(block)`` reads the ``behavior:`` block of a manifest (camelCase), with
  upstream's defaults for what it leaves out; ``tolerance`` per direction (Kubernetes 1.33).
- ``Metric``: one entry of an HPA's ``metrics`` (``Resource``, ``ContainerResource``, ``Pods``,
  ``Object``, ``External``) with what was observed.
- ``Autoscaler(behavior=None, *, tolerance, scale_up_limit_factor, ...)``: the memory between
  calls; ``reconcile(now_s, current, metrics, min_replicas, max_replicas)`` is one run of the
  controller over several metrics (the largest proposal wins, a failing metric blocks a
  scale-down); ``normalize(now_s, current, desired, min_replicas, max_replicas)`` applies
  stabilisation and rate limits alone (without a behaviour, the legacy rules: 300 s
  scale-down stabilisation and at most ``max(2 × current, 4)``); ``conditions`` reads
  ``AbleToScale`` / ``ScalingActive`` / ``ScalingLimited`` as upstream reports them.

Pass ``hpa=True`` or ``hpa=Behavior(...)`` to ``Group.put_target_tracking_policy`` to have a
group scale this way.
"""

from fleetcore._fleetcore import (
    Autoscaler,
    Behavior,
    Metric,
    desired_replicas,
    object_replicas,
    pods_replicas,
    resource_replicas,
)

__all__ = [
    "Autoscaler",
    "Behavior",
    "Metric",
    "desired_replicas",
    "object_replicas",
    "pods_replicas",
    "resource_replicas",
]
