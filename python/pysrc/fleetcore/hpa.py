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
- Pod-level inputs (``Pod``, ``Pod.from_k8s(pod, pod_metrics)`` from the API's objects,
  ``Container``, or dicts with the Kubernetes field names):
  ``resource_metric``, ``pods_metric`` and ``group_pods`` group the pods as upstream's
  ``groupPods`` does (deleted or failed pods ignored; pending pods unready; pods without a
  sample missing; for CPU, the Ready condition, start time, sample timestamp and window
  against the CPU initialization period and the initial readiness delay) and compute the
  utilization from summed requests; ``container=`` makes a ``ContainerResource`` metric of
  the named container's usage and request.
- ``Autoscaler.scale_up_events`` / ``scale_down_events`` / ``recommendation_log``: the state
  upstream stores (with its ``outdated`` marks), in upstream's order.

Pass ``hpa=True`` or ``hpa=Behavior(...)`` to ``Group.put_target_tracking_policy`` to have a
group scale this way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Union

from fleetcore._fleetcore import (
    Autoscaler,
    Behavior,
    Metric,
    desired_replicas,
    object_replicas,
    pods_replicas,
    resource_replicas,
)
from fleetcore._fleetcore import group_pods as _group_pods


_QUANTITY = re.compile(r"([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)")
_SUFFIXES = {
    "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
    "P": 1e15, "E": 1e18, "Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40,
    "Pi": 2.0**50, "Ei": 2.0**60,
}  # fmt: skip
_GO_DURATION = re.compile(r"([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)")
_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def quantity(q: str | float) -> float:
    """A Kubernetes ``resource.Quantity`` (``"500m"``, ``"1.5"``, ``"2Gi"``, ``"1e3"``) in base
    units: cores for CPU, bytes for memory. ``ValueError`` for anything else."""
    if isinstance(q, (int, float)):
        return float(q)
    m = _QUANTITY.fullmatch(q.strip())
    if m is None or m.group(2) not in _SUFFIXES:
        raise ValueError(f"not a Kubernetes quantity: {q!r}")
    return float(m.group(1)) * _SUFFIXES[m.group(2)]


def _time(t: str | float | None) -> float | None:
    """An RFC 3339 time (``metav1.Time``) in seconds since the epoch; numbers pass through."""
    if t is None or isinstance(t, (int, float)):
        return None if t is None else float(t)
    return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


def _duration(d: str | float) -> float:
    """A Go duration (``metav1.Duration``: ``"30s"``, ``"1m0s"``) in seconds."""
    if isinstance(d, (int, float)):
        return float(d)
    parts = _GO_DURATION.findall(d)
    if not parts or "".join(n + u for n, u in parts) != d:
        raise ValueError(f"not a Go duration: {d!r}")
    return sum(float(n) * _GO_UNITS[u] for n, u in parts)


@dataclass(frozen=True)
class Container:
    """One container of a pod: ``spec.containers[].name``, its usage from the metrics API
    (``containers[].usage``; ``None`` when the pod's sample lacks it) and its request
    (``resources.requests``), in the metric's unit (CPU in cores, 0.5 for ``500m``)."""

    name: str
    usage: float | None
    request: float


@dataclass(frozen=True)
class Pod:
    """One pod as the HPA controller sees it (``v1.Pod`` and its ``PodMetrics``), times in
    seconds on the caller's clock.

    ``phase`` is ``status.phase``; ``ready`` the status of the ``Ready`` condition (``None``
    when the pod has none) and ``last_transition_time`` its ``lastTransitionTime``;
    ``start_time`` is ``status.startTime`` (``None`` before it is set); ``deletion_timestamp``
    ``metadata.deletionTimestamp`` (set: the pod is being deleted); ``usage``, ``timestamp``
    and ``window`` the metrics API's sample (``usage`` ``None``: no sample); ``request`` the
    pod's request. ``containers``, when given, replace ``usage`` and ``request`` by their sums
    (or the named container's for a ``ContainerResource`` metric)."""

    phase: str = "Running"
    ready: bool | None = True
    last_transition_time: float = 0.0
    start_time: float | None = 0.0
    deletion_timestamp: float | None = None
    usage: float | None = None
    timestamp: float = 0.0
    window: float = 60.0
    request: float = 0.0
    containers: Sequence[Container] = ()

    @classmethod
    def from_k8s(
        cls,
        pod: Mapping[str, Any],
        metrics: Mapping[str, Any] | None = None,
        *,
        resource: str = "cpu",
    ) -> Pod:
        """A pod from its ``v1.Pod`` object and its ``PodMetrics`` (``metrics.k8s.io``; ``None``
        when the API returned none) as ``kubectl get -o json`` and the metrics API give them:
        ``metadata.deletionTimestamp``, ``status.phase``, ``status.startTime``, the ``Ready``
        condition, and per container (``spec.containers`` and restartable init containers,
        as upstream's ``calculateRequests`` counts them) the request and the usage of
        ``resource``; times are RFC 3339, quantities Kubernetes quantities, the window a Go
        duration. A sample missing a container's usage counts as no sample, as upstream's
        metrics client drops it. ``ValueError`` for a container without a request for
        ``resource`` (upstream's "missing request for cpu in container ...")."""
        meta = pod.get("metadata", {})
        status = pod.get("status", {})
        spec = pod.get("spec", {})
        ready = next((c for c in status.get("conditions", ()) if c.get("type") == "Ready"), None)
        sidecars = [c for c in spec.get("initContainers", ()) if c.get("restartPolicy") == "Always"]
        usage: dict[str, float] = {}
        for c in (metrics or {}).get("containers", ()):
            if resource in c.get("usage", {}):
                usage[c["name"]] = quantity(c["usage"][resource])
        containers = []
        for c in [*spec.get("containers", ()), *sidecars]:
            request = c.get("resources", {}).get("requests", {}).get(resource)
            if request is None:
                name = meta.get("name", "")
                raise ValueError(
                    f"missing request for {resource} in container {c['name']} of Pod {name}"
                )
            containers.append(Container(c["name"], usage.get(c["name"]), quantity(request)))
        return cls(
            phase=status.get("phase", "Pending"),
            ready=None if ready is None else ready.get("status") == "True",
            last_transition_time=_time((ready or {}).get("lastTransitionTime")) or 0.0,
            start_time=_time(status.get("startTime")),
            deletion_timestamp=_time(meta.get("deletionTimestamp")),
            timestamp=_time((metrics or {}).get("timestamp")) or 0.0,
            window=_duration((metrics or {}).get("window", "1m0s")),
            containers=tuple(containers),
        )


PodLike = Union[Pod, Mapping[str, Any]]

_CAMEL = {
    "lastTransitionTime": "last_transition_time",
    "startTime": "start_time",
    "deletionTimestamp": "deletion_timestamp",
}


def _as_pod(p: PodLike) -> Pod:
    if isinstance(p, Pod):
        return p
    fields = {_CAMEL.get(k, k): v for k, v in p.items()}
    containers = fields.pop("containers", ())
    fields["containers"] = tuple(
        c if isinstance(c, Container) else Container(c["name"], c.get("usage"), c["request"])
        for c in containers
    )
    return Pod(**fields)


_PodTuple = tuple[
    str, Union[bool, None], float, Union[float, None], bool, Union[float, None], float, float, float
]


def _as_tuple(p: PodLike, container: str | None) -> _PodTuple:
    pod = _as_pod(p)
    usage, request = pod.usage, pod.request
    if container is not None:
        named = [c for c in pod.containers if c.name == container]
        if not named:
            raise ValueError(f"container {container} not found in pod")
        usage, request = named[0].usage, named[0].request
    elif pod.containers:
        usages = [c.usage for c in pod.containers]
        known = [u for u in usages if u is not None]
        usage = sum(known) if len(known) == len(usages) else None
        request = sum(c.request for c in pod.containers)
    return (
        pod.phase,
        pod.ready,
        pod.last_transition_time,
        pod.start_time,
        pod.deletion_timestamp is not None,
        usage,
        pod.timestamp,
        pod.window,
        request,
    )


def resource_metric(
    pods: Sequence[PodLike],
    *,
    resource: str = "cpu",
    container: str | None = None,
    target_utilization: int | None = None,
    target_average_value: float | None = None,
    cpu_initialization_period_s: float = 300.0,
    initial_readiness_delay_s: float = 30.0,
) -> Metric:
    """A ``Resource`` metric (``ContainerResource`` with ``container``) over every pod the
    selector matches: grouped as upstream's ``groupPods`` groups them (readiness and warm-up
    count for ``resource="cpu"``), the utilization from the summed requests of the pods with
    a sample. Give one of ``target_utilization`` (whole percent) and ``target_average_value``.
    ``ValueError`` for a container a pod lacks, an unknown phase or field."""
    return Metric.pod_level(
        "Resource" if container is None else "ContainerResource",
        [_as_tuple(p, container) for p in pods],
        target_utilization=target_utilization,
        target_average_value=target_average_value,
        cpu=resource == "cpu",
        cpu_initialization_period_s=cpu_initialization_period_s,
        initial_readiness_delay_s=initial_readiness_delay_s,
    )


def pods_metric(pods: Sequence[PodLike], target_average_value: float) -> Metric:
    """A ``Pods`` metric (an ``AverageValue`` target) over every pod the selector matches:
    deleted and failed pods ignored, pending pods unready, pods without a sample missing
    (readiness and warm-up do not count, as upstream's ``groupPods`` applies them to CPU
    only)."""
    return Metric.pod_level(
        "Pods",
        [_as_tuple(p, None) for p in pods],
        target_average_value=target_average_value,
    )


class PodGroups(NamedTuple):
    """What upstream's ``groupPods`` returns: the ready count and the positions of the
    unready, missing and ignored pods."""

    ready_count: int
    unready: list[int]
    missing: list[int]
    ignored: list[int]


def group_pods(
    pods: Sequence[PodLike],
    now_s: float,
    *,
    resource: str = "cpu",
    container: str | None = None,
    cpu_initialization_period_s: float = 300.0,
    initial_readiness_delay_s: float = 30.0,
) -> PodGroups:
    """Upstream's ``groupPods`` at ``now_s`` for a metric of ``resource`` (``""`` for a
    ``Pods`` metric)."""
    ready, unready, missing, ignored = _group_pods(
        [_as_tuple(p, container) for p in pods],
        now_s,
        cpu=resource == "cpu",
        cpu_initialization_period_s=cpu_initialization_period_s,
        initial_readiness_delay_s=initial_readiness_delay_s,
    )
    return PodGroups(ready, unready, missing, ignored)


__all__ = [
    "Autoscaler",
    "Behavior",
    "Container",
    "Metric",
    "Pod",
    "PodGroups",
    "desired_replicas",
    "group_pods",
    "object_replicas",
    "pods_metric",
    "pods_replicas",
    "quantity",
    "resource_metric",
    "resource_replicas",
]
