"""The Kubernetes Horizontal Pod Autoscaler algorithm, as the fleetcore core implements it.

It follows the upstream controller (``pkg/controller/podautoscaler``, ``replica_calculator.go``
and ``horizontal.go``), in exact thousandths where upstream uses ``float64``:

- ``desired_replicas(current, metrics, target)``: ``ceil(ready metric sum / target)``, i.e.
  ``ceil(current × ratio)`` when every member reports; nothing changes while the ratio of the
  average to the target is within the tolerance of 0.1. ``metrics`` has one entry per member:
  a number, ``None`` for a member whose metric is missing, or ``"unready"``. Missing members
  count as 100 % of target when scaling down and 0 % when scaling up; unready members count as
  0 % when scaling up and are left out when scaling down; if that reverses the direction or
  lands within tolerance, nothing changes.
- ``Behavior``: the ``behavior`` block of an HPA (stabilisation windows, ``Pods`` and
  ``Percent`` rate policies, ``selectPolicy``); defaults as upstream (scale-up: no window,
  4 pods or 100 % per 15 s, the larger; scale-down: 300 s window, 100 % per 15 s).
- ``Autoscaler(behavior=None)``: the memory between calls; ``normalize(now_s, current, desired,
  min_replicas, max_replicas)`` applies stabilisation and rate limits (without a behaviour, the
  legacy rules: 300 s scale-down stabilisation and at most ``max(2 × current, 4)``).

Pass ``hpa=True`` or ``hpa=Behavior(...)`` to ``Group.put_target_tracking_policy`` to have a
group scale this way.
"""

from fleetcore._fleetcore import Autoscaler, Behavior, desired_replicas

__all__ = ["Autoscaler", "Behavior", "desired_replicas"]
