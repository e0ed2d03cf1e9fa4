"""The compiled core of fleetcore: EC2 instance lifecycle and billing, Auto Scaling groups,
the Kubernetes HPA algorithm and the scenario runner.

Times are seconds since an epoch you choose, as ``int`` or ``float``. Each is converted once to
whole milliseconds: ints exactly, floats to the nearest millisecond with halves rounded away
from zero (``0.0005`` is 1 ms). Negative, NaN, infinite and out-of-range times raise
``ValueError``; ``bool`` raises ``TypeError``. Times returned (deadlines, billed usage) are whole
milliseconds divided by 1000, so passing one back gives the same millisecond.

Every error carries ``.code``, the stable number the C ABI returns for the same failure, and
``.kind``, the core's coarse class (``"invalid state"``, ``"not found"``, ``"malformed"`` ...).
A failed call changes nothing.

Metric values, thresholds, targets and loads are converted once to thousandths (the core's
fixed point): ints exactly, floats to the nearest thousandth; NaN and infinities raise
``ValueError``. Values returned are floats.
"""

from collections.abc import Sequence
from os import PathLike
from collections.abc import Mapping
from typing import Any, Final, Literal, TypedDict, final

__all__ = [
    "CAPACITY",
    "GROUP_CAPACITY",
    "Action",
    "Autoscaler",
    "Behavior",
    "CatalogError",
    "Fleet",
    "Group",
    "GroupError",
    "IdError",
    "InstanceState",
    "LifecycleError",
    "Member",
    "PurchaseError",
    "ScalingError",
    "SnapshotError",
    "Spend",
    "StateChange",
    "_Simulation",
    "__version__",
    "_read_nab_csv",
    "desired_replicas",
    "forecast",
    "parse_instance_id",
]

__version__: Final[str]
CAPACITY: Final[int]
"""How many instances a ``Fleet`` holds, including terminated ones within their visible hour."""
GROUP_CAPACITY: Final[int]
"""How many members a ``Group`` holds (1024); ``max_size`` may not exceed it."""

class LifecycleError(Exception):
    """An instance lifecycle request was refused (codes 1000-1099).

    Raised for an operation that is illegal in the instance's state (``.code`` 1000, EC2's
    ``IncorrectInstanceState``), an unknown instance id (1007), a full fleet (1008), a launch
    that breaks a launch rule (1006) and the other ``fleetcore::error::LifecycleError`` variants.
    """

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"invalid state"``."""

class IdError(ValueError):
    """A malformed resource id (codes 1500-1599): wrong prefix, length or digits."""

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"malformed"``."""

class CatalogError(ValueError):
    """An unknown or malformed instance type, image or option (codes 1400-1499)."""

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"not found"``."""

class GroupError(Exception):
    """An Auto Scaling group request was refused (codes 1100-1199).

    Such as a desired capacity above ``max_size`` (1102) or below ``min_size`` (1103), a
    ``max_size`` below ``min_size`` (1101), a cooldown honoured (1104), an unknown member
    (1105), a member in the wrong state (1106), bad zones (1116), an unknown policy (1122) or
    metric (1127), a Spot signal for an On-Demand member (1131), a warm pool with a
    mixed-instances policy (1132), a purchasing call before ``set_prices`` (1133), and the
    other ``fleetcore::error::GroupError`` variants.
    """

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"invalid argument"``."""

class ScalingError(ValueError):
    """An invalid metric, alarm or scaling policy (codes 1200-1299).

    Such as a metric period other than 10, 20, 30 s or a multiple of 60 s (1200), an invalid
    ``evaluation_periods``/``datapoints_to_alarm`` (1201), a sample older than the metric keeps
    (1202), an invalid adjustment (1204) or steps (1205), a step policy run without a metric
    (1206), a target-tracking policy executed by hand (1211), a second HPA policy (1212) or an
    invalid HPA behaviour (1213).
    """

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"invalid argument"``."""

class SnapshotError(ValueError):
    """Bytes that are not a snapshot this build can restore (codes 1600-1699): truncated
    (1601), not a snapshot (1602), another format version (1603), a checksum mismatch (1605),
    another capacity (1606) or an inconsistent state (1608)."""

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"malformed"``."""

class PurchaseError(ValueError):
    """An invalid price, reservation, mixed-instances policy or cost query (codes 1900-1999).

    Such as an instance type without a price (1900) or priced twice (1901), a Spot pool
    without a price (1902), an unknown zone (1903), a ``spot_max_price`` of 0.001 or less
    (1904), a weight outside 1-999 (1905), an ``on_demand_percent`` above 100 (1906),
    ``spot_pools`` outside 1-20 (1907), no or repeated overrides (1908), a reservation whose
    charges do not fit its payment option (1909), a full table (1910), a time before the one
    the ledger is settled to (1913) and a cost interval that is not on clock-hours (1914),
    reversed (1915) or no longer kept (1916).
    """

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"invalid argument"``."""

@final
class InstanceState:
    """The six EC2 instance states; each member's ``int()`` is its ``InstanceState.Code``."""

    PENDING: Final[InstanceState]
    """``pending`` (0): launching or starting; not billed."""
    RUNNING: Final[InstanceState]
    """``running`` (16): billed per second, 60 s minimum each time it enters running."""
    SHUTTING_DOWN: Final[InstanceState]
    """``shutting-down`` (32): terminating; not billed."""
    TERMINATED: Final[InstanceState]
    """``terminated`` (48): gone; absorbing. Visible for an hour, then forgotten."""
    STOPPING: Final[InstanceState]
    """``stopping`` (64): billed only while hibernating."""
    STOPPED: Final[InstanceState]
    """``stopped`` (80): not billed."""

    @property
    def name(self) -> str:
        """The ``InstanceStateName`` spelling, such as ``"shutting-down"``."""

    @property
    def code(self) -> int:
        """The ``InstanceState.Code`` value."""

    @staticmethod
    def from_code(code: int) -> InstanceState:
        """The state of a 16-bit ``InstanceState.Code``; the high byte is masked off.

        Raises ``LifecycleError`` (code 1009) for another low byte and ``OverflowError`` outside
        0..65535.
        """

    @staticmethod
    def from_name(name: str) -> InstanceState:
        """The state of an ``InstanceStateName``; raises ``LifecycleError`` (code 1010)."""

    def is_billed(self, hibernating: bool = False) -> bool:
        """Whether usage is billed in this state, given whether a stop is a hibernation."""

    def __int__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class StateChange:
    """One change of state, returned by every ``Fleet`` request, report and ``tick``.

    Idempotent requests and reboots return a change whose ``from_state`` equals ``to_state``.
    ``str()`` gives ``"i-... running -> stopping (stop: Client.UserInitiatedShutdown)"``.
    """

    @property
    def id(self) -> str:
        """The instance id."""

    @property
    def from_state(self) -> str:
        """The state name before the change."""

    @property
    def to_state(self) -> str:
        """The state name after the change."""

    @property
    def cause(self) -> str:
        """What caused it: ``"stop"``, ``"report booted"``, ``"complete on deadline"`` ..."""

    @property
    def reason(self) -> str | None:
        """The instance's ``StateReason.Code`` after the change, such as
        ``"Client.UserInitiatedShutdown"``, or ``None``."""

    @property
    def at_s(self) -> float:
        """When it happened, in seconds."""

    @property
    def is_transition(self) -> bool:
        """Whether the state actually changed."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Fleet:
    """Up to ``CAPACITY`` EC2 instances with ids from a seeded counter.

    Requests (``start``, ``stop`` ...) move an instance into its transitional state at once;
    the transition completes when you ``report`` what the world did, or when a timeout given
    here passes and you call ``tick``. The same seed and calls give the same ids and results.
    Every method that takes an ``id`` raises ``IdError`` for a malformed id and
    ``LifecycleError`` (1007) for an id the fleet does not hold.

    Args:
        seed: seeds the instance ids (``i-`` and 17 hex digits).
        boot_timeout_s: after this long in ``pending``, ``tick`` moves an instance to
            ``running`` without a ``"booted"`` report; ``None`` waits for the report.
        stop_timeout_s: likewise ``stopping`` to ``stopped`` (a hard power-off).
        shutdown_timeout_s: likewise ``shutting-down`` to ``terminated``.
    """

    def __new__(
        cls,
        seed: int,
        boot_timeout_s: float | None = None,
        *,
        stop_timeout_s: float | None = None,
        shutdown_timeout_s: float | None = None,
    ) -> Fleet: ...
    @property
    def capacity(self) -> int:
        """The fleet's capacity, ``CAPACITY``."""

    def __len__(self) -> int:
        """Instances held, including terminated ones within their visible hour."""

    def ids(self) -> list[str]:
        """The ids of the instances held, in launch order."""

    def launch(
        self,
        now_s: float,
        image_id: str,
        instance_type: str,
        *,
        root_device: str = "ebs",
        shutdown_behavior: str = "stop",
        hibernation: bool = False,
        termination_protection: bool = False,
        spot: str | None = None,
        interruption: str | None = None,
    ) -> str:
        """``RunInstances`` for one instance; returns its id. It enters ``pending``.

        Args:
            now_s: the time of the request.
            image_id: an AMI id, ``ami-`` and 8 or 17 lowercase hex digits.
            instance_type: a built-in EC2 type such as ``"t3.micro"`` or ``"m5.large"``.
            root_device: ``"ebs"`` or ``"instance-store"`` (which can only run and terminate).
            shutdown_behavior: what an OS shutdown does, ``"stop"`` or ``"terminate"``.
            hibernation: ``HibernationOptions.Configured``.
            termination_protection: ``DisableApiTermination``.
            spot: ``None`` for On-Demand, or the Spot request type ``"one-time"`` or
                ``"persistent"``.
            interruption: for Spot, ``"terminate"`` (default), ``"stop"`` or ``"hibernate"``.

        Raises:
            IdError: malformed ``image_id``.
            CatalogError: unknown or malformed ``instance_type`` (1400, 1401), or unknown
                ``root_device`` (1407).
            LifecycleError: the options break a launch rule (1006) or the fleet is full (1008).
            ValueError: unknown ``shutdown_behavior``, ``spot`` or ``interruption``.
        """

    def start(self, now_s: float, id: str) -> StateChange:
        """``StartInstances``: ``stopped`` to ``pending``; a new 60 s minimum once it runs."""

    def stop(self, now_s: float, id: str, force: bool = False) -> StateChange:
        """``StopInstances``: ``running`` to ``stopping``; ``force`` cuts power and the
        instance is ``stopped`` at once (from ``pending``, ``running`` or ``stopping``)."""

    def hibernate(self, now_s: float, id: str) -> StateChange:
        """``StopInstances Hibernate=true``: ``running`` to ``stopping``, billed while stopping."""

    def reboot(self, now_s: float, id: str) -> StateChange:
        """``RebootInstances``: stays ``running`` with no new minimum; ignored when terminated."""

    def terminate(self, now_s: float, id: str) -> StateChange:
        """``TerminateInstances``: any state but ``terminated`` to ``shutting-down``."""

    def terminate_all(self, now_s: float, ids: list[str]) -> int:
        """``TerminateInstances`` for several ids, all or nothing: if one id is unknown or
        protected, none is terminated. Returns how many changed state."""

    def report(self, now_s: float, id: str, event: str, reason: str | None = None) -> StateChange:
        """Applies what the world reports about one instance.

        Events: ``"booted"`` (pending to running), ``"powered_off"`` (stopping to stopped,
        shutting-down to terminated), ``"failed"`` (a launch ends terminated, a start returns
        to stopped; ``reason`` is a ``StateReason.Code``, default ``"Server.InternalError"``),
        ``"os_shutdown"``, ``"hibernation_failed"``, ``"retirement"``, ``"spot_interruption"``
        and ``"spot_restart"``.

        Raises ``LifecycleError`` (1000) when the event does not fit the state, ``ValueError``
        for an unknown event or reason.
        """

    def state(self, id: str) -> str:
        """The instance's state name, such as ``"running"``."""

    def state_reason(self, id: str) -> str | None:
        """The instance's ``StateReason.Code``, if it has one."""

    def billed_s(self, now_s: float, id: str | None = None) -> float:
        """Billed usage up to ``now_s`` in seconds, of one instance or of the whole fleet
        (including instances already forgotten). Per second while running, each partial second
        rounded up, with a 60 s minimum each time an instance enters ``running``: a 20 s run
        bills 60 s, a run of 3 min 40 s bills 220 s. Never decreases as ``now_s`` grows."""

    def tick(self, now_s: float) -> list[StateChange]:
        """Completes every change due at ``now_s`` (timeouts, Spot actions) and returns them in
        order; terminated instances past their visible hour are forgotten."""

    def next_deadline(self) -> float | None:
        """The earliest time, in seconds, at which ``tick`` has work, or ``None``."""

def parse_instance_id(text: str) -> str:
    """Checks an instance id (``i-`` and 8 or 17 lowercase hex digits) and returns its
    canonical text; raises ``IdError`` otherwise."""

@final
class Action:
    """One action ``Group.tick`` asks the caller to perform; report the outcome later with
    ``Group.booted``, ``Group.terminated`` ... ``str()`` gives the core's text, such as
    ``"launch i-... in zone 0 from lt-... version 1"``."""

    @property
    def kind(self) -> Literal["launch", "terminate", "start", "stop", "hibernate", "notify_hook"]:
        """What to do."""

    @property
    def id(self) -> str:
        """The instance (for a launch, the id the new instance takes)."""

    @property
    def zone(self) -> str | None:
        """The zone to launch into (launches only)."""

    @property
    def template(self) -> str | None:
        """The launch template (launches only)."""

    @property
    def version(self) -> int | None:
        """The resolved template version (launches only; always 1 here)."""

    @property
    def hook(self) -> int | None:
        """The lifecycle hook's index (``notify_hook`` only)."""

    @property
    def transition(self) -> str | None:
        """The paused transition, ``autoscaling:EC2_INSTANCE_LAUNCHING`` or
        ``autoscaling:EC2_INSTANCE_TERMINATING`` (``notify_hook`` only)."""

    @property
    def market(self) -> Literal["on-demand", "spot"] | None:
        """How to buy the instance (launches only; always ``"on-demand"`` without a
        mixed-instances policy)."""

    @property
    def instance_type(self) -> str | None:
        """The instance type to launch, by name (launches of a group with a price table
        only; without a mixed-instances policy, the table's first type)."""

    @property
    def text(self) -> str:
        """The core's description of the action, as ``str()`` gives it."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Member:
    """One member of a group, as it was when ``Group.members`` was read."""

    @property
    def id(self) -> str:
        """The instance id."""

    @property
    def zone(self) -> str | None:
        """The zone name; ``None`` when its zone was removed from the group."""

    @property
    def state(self) -> str:
        """The ``LifecycleState``: ``Pending``, ``Pending:Wait``, ``InService``, ``Standby``,
        ``Terminating`` ..."""

    @property
    def health(self) -> Literal["Healthy", "Unhealthy"]:
        """The health status."""

    @property
    def ec2_state(self) -> str:
        """The EC2 state last reported, such as ``"running"``."""

    @property
    def protected(self) -> bool:
        """Protected from scale-in."""

    @property
    def launched_at_s(self) -> float:
        """When it was launched, in seconds."""

    @property
    def in_service_at_s(self) -> float | None:
        """When it last entered service, in seconds."""

    @property
    def market(self) -> Literal["on-demand", "spot"]:
        """How it was bought (attached members count as On-Demand)."""

    @property
    def instance_type(self) -> str | None:
        """Its instance type in the price table, by name; ``None`` before ``set_prices``."""

    @property
    def weight(self) -> int:
        """Units of capacity it counts for (its override's weight; 1 without weights)."""

    @property
    def spot_signal(self) -> Literal["rebalance", "notice"] | None:
        """The newest Spot signal EC2 gave it; a notice outranks a recommendation."""

    @property
    def replaces(self) -> str | None:
        """The member it was launched to replace (Capacity Rebalancing), while that one is
        still in the group."""

    def __eq__(self, value: object, /) -> bool: ...

class _PriceTable(TypedDict):
    on_demand: dict[str, float]
    spot: dict[tuple[str, str], tuple[float, int]]

class _MixedInstances(TypedDict):
    overrides: list[tuple[str, int]]
    on_demand_base: int
    on_demand_percent: int
    on_demand_strategy: Literal["prioritized", "lowest-price"]
    spot_strategy: Literal[
        "lowest-price",
        "capacity-optimized",
        "capacity-optimized-prioritized",
        "price-capacity-optimized",
    ]
    spot_pools: int
    spot_max_price: float | None
    capacity_rebalance: bool

@final
class Spend:
    """What a group spent over an interval, by purchasing option (``Group.settle``,
    ``Group.spend``). Amounts are in the unit of the group's prices, to the nearest
    millionth; seconds are billed seconds (per-second billing, 60 s minimum per start)."""

    @property
    def on_demand(self) -> float:
        """On-Demand usage not covered by a reservation."""

    @property
    def reserved(self) -> float:
        """Reservation charges: hourly for every hour of the term, used or not, and the
        upfront as ``set_prices(upfront=...)`` assigns it."""

    @property
    def spot(self) -> float:
        """Spot usage at the Spot price in effect."""

    @property
    def total(self) -> float:
        """Everything spent."""

    @property
    def on_demand_s(self) -> float:
        """Billed On-Demand seconds, covered or not."""

    @property
    def covered_s(self) -> float:
        """On-Demand seconds a reservation covered."""

    @property
    def covered_value(self) -> float:
        """What the covered seconds would have cost On-Demand."""

    @property
    def spot_s(self) -> float:
        """Billed Spot seconds."""

    @property
    def coverage(self) -> float | None:
        """``covered_s / on_demand_s``; ``None`` without On-Demand use."""

    @property
    def utilisation(self) -> float | None:
        """The share of what the active reservations offered (normalized seconds) that
        covered usage; ``None`` with none active."""

    def as_dict(self) -> dict[str, float | None]:
        """The fields as a dict."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Group:
    """An Auto Scaling group of up to ``GROUP_CAPACITY`` members, decided by the core.

    The group is sans-IO: ``tick(now_s)`` returns the ``Action``\ s to perform (launch,
    terminate ...); report what the world did with ``booted``, ``terminated``,
    ``launch_failed`` ...; ``next_deadline()`` says when ``tick`` next has work. Metrics,
    alarms and scaling policies run inside ``tick``. Every launch uses the group's one launch
    template, version 1. The same seed and calls give the same ids and actions.

    Purchasing (SEMANTICS §4): ``set_prices`` gives the group a price table and a cost ledger
    (``settle``, ``spend`` and ``reserve``); ``set_mixed_instances`` then splits launches
    between On-Demand and Spot over weighted instance types, and ``spot_interruption`` /
    ``rebalance_recommendation`` report EC2's Spot signals. Sizes are then in units.

    Args:
        min_size, max_size: ``MinSize`` and ``MaxSize`` (at most ``GROUP_CAPACITY``).
        desired_capacity: ``DesiredCapacity``; ``None`` starts at ``min_size``.
        zones: zone names in order (launch ties go to the first); default ``["a"]``.
        seed: seeds member ids and the random tie-breaks.
        default_cooldown_s: ``DefaultCooldown`` (default 300 s).
        default_instance_warmup_s: ``DefaultInstanceWarmup`` (unset by default; at most
            3600 s).
        health_check_grace_period_s: ``HealthCheckGracePeriod`` (default 0 s).
        termination_policies: ``TerminationPolicies`` such as ``["OldestInstance",
            "Default"]`` (default ``["Default"]``; ``Default`` must be last).
        new_instances_protected_from_scale_in: ``NewInstancesProtectedFromScaleIn``.
        max_instance_lifetime_s: ``MaxInstanceLifetime`` (at least 86 400 s when set).

    Raises ``GroupError`` for sizes out of range (1100, 1101, 1110), bad zones (1116) or
    termination policies (1117) and ``ValueError`` for an unknown termination policy name.
    """

    def __new__(
        cls,
        min_size: int,
        max_size: int,
        desired_capacity: int | None = None,
        *,
        zones: Sequence[str] | None = None,
        seed: int = 0,
        default_cooldown_s: float | None = None,
        default_instance_warmup_s: float | None = None,
        health_check_grace_period_s: float | None = None,
        termination_policies: Sequence[str] | None = None,
        new_instances_protected_from_scale_in: bool = False,
        max_instance_lifetime_s: float | None = None,
    ) -> Group: ...
    @property
    def desired(self) -> int:
        """``DesiredCapacity``."""

    @property
    def min_size(self) -> int:
        """``MinSize``."""

    @property
    def max_size(self) -> int:
        """``MaxSize``."""

    @property
    def capacity(self) -> int:
        """Units launching or in service (what launches and terminations aim at desired). A
        member counts its weight, 1 without weights; a Spot member whose Capacity
        Rebalancing replacement is on its way no longer counts."""

    @property
    def in_service(self) -> int:
        """Members in service."""

    @property
    def in_service_units(self) -> int:
        """Units in service (each member in service counts its weight)."""

    @property
    def zones(self) -> list[str]:
        """The zone names, in order."""

    @property
    def members(self) -> list[Member]:
        """The members, in launch order."""

    @property
    def metrics(self) -> list[str]:
        """The metric names, by index."""

    @property
    def alarms(self) -> list[Literal["OK", "ALARM", "INSUFFICIENT_DATA"]]:
        """The states of the alarms ``put_alarm`` added, by index."""

    @property
    def policy_count(self) -> int:
        """How many scaling policies the group holds."""

    def __len__(self) -> int:
        """Members held, in any state."""

    def __eq__(self, value: object, /) -> bool:
        """Whether two groups are in the same state."""

    def copy(self) -> Group:
        """An independent copy of the group in its current state."""

    def __copy__(self) -> Group: ...
    def __deepcopy__(self, memo: Any, /) -> Group: ...
    def set_desired(self, now_s: float, desired: int, honor_cooldown: bool = False) -> None:
        """``SetDesiredCapacity``; raises ``GroupError`` 1102/1103 outside [min, max] and 1104
        when ``honor_cooldown`` is set during a cooldown."""

    def update_size(
        self,
        *,
        min_size: int | None = None,
        max_size: int | None = None,
        desired_capacity: int | None = None,
    ) -> None:
        """``UpdateAutoScalingGroup`` for the sizes. Without ``desired_capacity``, a new min
        above desired raises it and a new max below desired lowers it. Raises ``GroupError``
        (1100, 1101, 1110); nothing changes on error."""

    def tick(self, now_s: float) -> list[Action]:
        """Decides what is due at ``now_s`` (alarms and policies, hook timeouts, replacing
        unhealthy members, launches and terminations toward desired, zone rebalancing) and
        returns the actions, in order."""

    def next_deadline(self) -> float | None:
        """The earliest time, in seconds, at which ``tick`` has work, or ``None``."""

    def booted(self, now_s: float, id: str) -> None:
        """The instance is running: a ``Pending`` member goes in service (or on to its
        launching hooks). Raises ``GroupError`` 1105 for an unknown member."""

    def launch_failed(self, now_s: float, id: str) -> None:
        """The launch failed; the member leaves and a replacement launches."""

    def terminated(self, now_s: float, id: str) -> None:
        """The instance is terminated (after a ``terminate`` action, or unexpectedly)."""

    def ec2_state(self, now_s: float, id: str, state: str) -> None:
        """EC2 reports another state (``"stopped"``, ``"shutting-down"`` ...): a member that
        is not running is unhealthy. Raises ``LifecycleError`` 1010 for an unknown name."""

    def spot_interruption(self, now_s: float, id: str) -> None:
        """EC2's two-minute Spot interruption notice for a Spot member (``GroupError`` 1131
        for an On-Demand one). With ``capacity_rebalance`` the next ``tick`` launches a
        replacement at once; EC2 then terminates the member (report ``terminated``)."""

    def rebalance_recommendation(self, now_s: float, id: str) -> None:
        """EC2's rebalance recommendation for a Spot member (``GroupError`` 1131 for an
        On-Demand one). With ``capacity_rebalance`` the group launches a replacement into a
        pool no riskier, then terminates the member once the replacement is in service."""

    def unhealthy(self, now_s: float, id: str, source: str = "custom") -> None:
        """A health check failed (``source``: ``"custom"``, ``"ec2"`` or
        ``"load_balancer"``); ignored inside the grace period."""

    def set_health(
        self, now_s: float, id: str, healthy: bool, respect_grace_period: bool = True
    ) -> None:
        """``SetInstanceHealth``."""

    def put_lifecycle_hook(
        self,
        transition: str,
        *,
        heartbeat_timeout_s: float | None = None,
        default_result: str = "ABANDON",
    ) -> int:
        """``PutLifecycleHook`` for ``"launching"`` or ``"terminating"`` (or the service's
        ``autoscaling:EC2_INSTANCE_...`` names); returns its index. Heartbeat 30-7200 s
        (default 3600 s, else ``GroupError`` 1112); ``default_result`` ``"CONTINUE"`` or
        ``"ABANDON"``."""

    def complete_hook(self, now_s: float, id: str, hook: int, result: str = "CONTINUE") -> None:
        """``CompleteLifecycleAction``; raises ``GroupError`` 1114 for an unknown hook and 1115
        when the member does not wait on it."""

    def hook_heartbeat(self, now_s: float, id: str, hook: int) -> None:
        """``RecordLifecycleActionHeartbeat``: the hook's timeout starts again."""

    def enter_standby(self, now_s: float, ids: Sequence[str], decrement: bool = True) -> None:
        """``EnterStandby`` for in-service members (``GroupError`` 1106 otherwise); with
        ``decrement`` desired falls by as many, else replacements launch."""

    def exit_standby(self, now_s: float, ids: Sequence[str]) -> None:
        """``ExitStandby``: standby members return to service; desired rises by as many."""

    def detach(self, now_s: float, ids: Sequence[str], decrement: bool = True) -> None:
        """``DetachInstances``: members leave the group (their instances keep running)."""

    def set_protection(self, ids: Sequence[str], protected: bool = True) -> None:
        """``SetInstanceProtection``: protected members are not chosen for scale-in."""

    def suspend(self, process: str) -> None:
        """``SuspendProcesses`` for one process: ``Launch``, ``Terminate``, ``HealthCheck``,
        ``ReplaceUnhealthy``, ``AZRebalance``, ``AlarmNotification``, ``ScheduledActions`` or
        ``InstanceRefresh``."""

    def resume(self, process: str) -> None:
        """``ResumeProcesses`` for one process."""

    def is_suspended(self, process: str) -> bool:
        """Whether a process is suspended."""

    def put_metric(
        self, name: str, period_s: float | None = None, *, per_member: bool = False
    ) -> int:
        """Declares a metric the group keeps; returns its index (``period_s`` default 60 s).
        ``per_member``: each member
        reports its own value (CPU utilisation) and the group aggregates the members past
        their warm-up; else one value for the whole group (a queue length). Period 10, 20,
        30 s or a multiple of 60 s (``ScalingError`` 1200). At most 4 metrics, 2 per-member
        (``GroupError`` 1128); names are unique (1129)."""

    def record(
        self, at_s: float, metric: int | str, value: float, member: str | None = None
    ) -> None:
        """``PutMetricData``: one sample taken at ``at_s``, from ``member`` for a per-member
        metric. Raises ``GroupError`` 1127 for an unknown metric, 1119 when ``member`` is
        missing for a per-member metric or given for a group metric, ``ScalingError`` 1202
        for a sample too old."""

    def record_in_service(self, at_s: float, metric: int | str, value: float) -> int:
        """The same sample from every member in service, in one pass; returns how many."""

    def put_alarm(
        self,
        now_s: float,
        metric: int | str,
        *,
        threshold: float,
        policy: int,
        comparison: str = ">",
        evaluation_periods: int = 1,
        datapoints_to_alarm: int | None = None,
        statistic: str = "Average",
        missing_data: str = "missing",
    ) -> int:
        """``PutMetricAlarm`` on ``metric`` running simple or step policy ``policy``; returns
        its index. It starts in ``INSUFFICIENT_DATA``.

        Args:
            comparison: ``">"``, ``">="``, ``"<"``, ``"<="`` or the service's
                ``GreaterThanThreshold`` ... names.
            evaluation_periods: N; ``datapoints_to_alarm``: M (default N).
            statistic: ``Average``, ``Sum``, ``Minimum``, ``Maximum`` or ``SampleCount``.
            missing_data: ``missing``, ``ignore``, ``breaching`` or ``notBreaching``.

        Raises ``GroupError`` 1127 (metric), 1122 (policy; also a target-tracking one) or 1130
        (too many alarms), ``ScalingError`` 1201 for N and M, ``ValueError`` for unknown
        names.
        """

    def tracking_alarms(
        self, policy: int
    ) -> tuple[Literal["OK", "ALARM", "INSUFFICIENT_DATA"], Literal["OK", "ALARM", "INSUFFICIENT_DATA"]] | None:
        """The states of target-tracking policy ``policy``'s ``AlarmHigh`` and ``AlarmLow``,
        once the next ``tick`` has created them."""

    def put_simple_policy(
        self,
        adjustment: int,
        *,
        adjustment_type: str = "ChangeInCapacity",
        cooldown_s: float | None = None,
        min_adjustment_magnitude: int | None = None,
    ) -> int:
        """``PutScalingPolicy`` of type ``SimpleScaling``; returns its index.
        ``adjustment_type``: ``ChangeInCapacity``, ``ExactCapacity`` or
        ``PercentChangeInCapacity``; ``cooldown_s`` defaults to the group's. Raises
        ``ScalingError`` 1204 for an invalid adjustment, ``GroupError`` 1123 past 8
        policies."""

    def put_step_policy(
        self,
        steps: Sequence[tuple[float | None, float | None, int]],
        *,
        adjustment_type: str = "ChangeInCapacity",
        min_adjustment_magnitude: int | None = None,
        warmup_s: float | None = None,
        aggregation: str = "Average",
    ) -> int:
        """``PutScalingPolicy`` of type ``StepScaling``; returns its index. ``steps`` are
        ``(lower, upper, adjustment)`` relative to the alarm threshold, ``None`` for an open
        end; ``aggregation`` (``Average``, ``Minimum``, ``Maximum``) combines the alarm's
        recent datapoints. Raises ``ScalingError`` 1205 for gaps, overlaps or more than 20
        steps."""

    def put_target_tracking_policy(
        self,
        metric: int | str,
        target: float,
        *,
        disable_scale_in: bool = False,
        warmup_s: float | None = None,
        hpa: bool | Behavior | None = None,
    ) -> int:
        """``PutScalingPolicy`` of type ``TargetTrackingScaling`` on ``metric``; returns its
        index. The group creates its ``AlarmHigh`` (3 of 3 minutes above target) and
        ``AlarmLow`` (15 of 15 below 0.7 × target). ``hpa=True`` runs the Kubernetes HPA
        algorithm with the upstream defaults instead, ``hpa=Behavior(...)`` with a behaviour
        (one HPA policy per group, ``ScalingError`` 1212)."""

    def put_scheduled_action(
        self,
        now_s: float,
        name: str,
        *,
        recurrence: str | None = None,
        time_zone: str | None = None,
        start_s: float | None = None,
        end_s: float | None = None,
        min_size: int | None = None,
        max_size: int | None = None,
        desired_capacity: int | None = None,
    ) -> None:
        """``PutScheduledUpdateGroupAction``: sets any of the sizes at ``start_s`` and/or on a
        five-field cron ``recurrence`` (``"30 6 * * MON-FRI"``) in ``time_zone``, a POSIX TZ
        rule such as ``"CET-1CEST,M3.5.0,M10.5.0/3"`` (UTC when None), until ``end_s``. A put
        with an existing name replaces it; at most 125 actions; two at the same time are
        refused (``GroupError`` 1124). Bad cron text raises ``ScalingError`` 1207, a bad zone
        1209."""

    def delete_scheduled_action(self, name: str) -> None:
        """``DeleteScheduledAction`` (``GroupError`` 1126 when no action has the name)."""

    @property
    def scheduled_actions(self) -> list[tuple[str, float | None]]:
        """``(name, next run in seconds or None)`` for each action, in the order kept."""

    def put_predictive_policy(
        self,
        metric: int | str,
        *,
        target_per_member: float,
        mode: Literal["ForecastOnly", "ForecastAndScale"] = "ForecastOnly",
        buffer_s: float | None = None,
        max_capacity_buffer: int | None = None,
    ) -> None:
        """``PutScalingPolicy`` of type ``PredictiveScaling``: learns the hourly mean of group
        metric ``metric`` (14 days kept, a forecast after 24 hours, refreshed every 6 hours)
        and, with ``mode="ForecastAndScale"``, raises desired to ⌈forecast ÷
        target_per_member⌉ ``buffer_s`` (default 300) before each hour; never scales in.
        ``max_capacity_buffer`` (0-100 %) selects ``IncreaseMaxCapacity``. One per group; a
        new one replaces it."""

    def forecast(self) -> list[tuple[float, float | None]]:
        """The predictive policy's 48-hour forecast as ``(hour start in seconds, load)``;
        empty before the first refresh."""

    def execute_policy(
        self,
        now_s: float,
        policy: int,
        *,
        metric: float | None = None,
        threshold: float | None = None,
        honor_cooldown: bool = True,
        from_alarm: bool = False,
    ) -> Literal["changed", "unchanged", "in_cooldown", "warming_up", "suspended"]:
        """``ExecutePolicy`` for a simple or step policy. A step policy needs ``metric`` and
        ``threshold`` (the alarm's value and threshold; ``ScalingError`` 1206 otherwise).
        Raises ``GroupError`` 1122 for an unknown policy and ``ScalingError`` 1211 for a
        target-tracking one."""

    def set_prices(
        self,
        now_s: float,
        on_demand: Mapping[str, float] | Sequence[tuple[str, float]],
        *,
        spot: Mapping[tuple[str, str], tuple[float, int]]
        | Sequence[tuple[tuple[str, str], tuple[float, int]]]
        | None = None,
        upfront: Literal["at_purchase", "amortized"] = "at_purchase",
    ) -> None:
        """Gives the group its price table and starts its cost ledger at ``now_s``; a later
        call replaces the table from ``now_s`` on and must price every type priced before
        (each keeps its place, whatever the order listed; new ones are added after).

        Args:
            on_demand: the On-Demand rate per hour of each instance type of the built-in
                table, such as ``{"m5.large": 0.096, "c5.large": 0.085}``. The order is
                the priority of the types; without a mixed-instances policy every member is
                metered as the first.
            spot: ``{(type, zone): (price, capacity)}``: each Spot pool's price per hour and
                its spare capacity as you estimate it (any scale; 0: the pool cannot launch).
            upfront: reservations' upfront charges count in the hour the term starts
                (``"at_purchase"``) or spread over every hour of it (``"amortized"``).

        Prices are in your unit (dollars, or watt-hours for an energy budget), converted once
        to whole millionths. Raises ``PurchaseError`` for an unknown, repeated or dropped type
        (1900, 1901), a dropped pool a Spot member uses (1902), an unknown zone (1903) or a
        time before the ledger's (1913); ``ValueError`` for a negative or NaN price."""

    @property
    def prices(self) -> _PriceTable | None:
        """The price table as ``{"on_demand": {...}, "spot": {...}}`` (the arguments of
        ``set_prices``, with current Spot prices), or ``None`` before ``set_prices``."""

    def set_spot_price(self, now_s: float, instance_type: str, zone: str, price: float) -> None:
        """Sets a Spot pool's price per hour from ``now_s`` on (EC2 publishes it; you relay
        it), adding the pool if new. Spot members whose pool now costs more than their max
        price are listed by ``price_interruptions``. Raises ``GroupError`` 1133 before
        ``set_prices``, ``PurchaseError`` 1900/1903/1910/1913."""

    def set_spot_capacity(self, instance_type: str, zone: str, capacity: int) -> None:
        """Sets a Spot pool's spare capacity as you estimate it (0: the pool cannot launch);
        allocation strategies and Capacity Rebalancing compare these. Raises ``GroupError``
        1133 before ``set_prices``, ``PurchaseError`` 1902 for a pool without a price."""

    def set_mixed_instances(
        self,
        overrides: Sequence[str | tuple[str, int]],
        *,
        on_demand_base: int = 0,
        on_demand_percent: int = 100,
        on_demand_strategy: Literal["prioritized", "lowest-price"] = "prioritized",
        spot_strategy: Literal[
            "lowest-price",
            "capacity-optimized",
            "capacity-optimized-prioritized",
            "price-capacity-optimized",
        ] = "lowest-price",
        spot_pools: int = 2,
        spot_max_price: float | None = None,
        capacity_rebalance: bool = False,
    ) -> None:
        """``MixedInstancesPolicy`` with ``CapacityRebalance``; the defaults are the
        service's. Running members keep how they were bought; the next launches and
        scale-ins follow the policy. Sizes are then in units.

        Args:
            overrides: ``LaunchTemplateOverrides`` in priority order: priced type names, or
                ``(name, WeightedCapacity)`` pairs (weight 1-999).
            on_demand_base: ``OnDemandBaseCapacity`` in units, On-Demand first.
            on_demand_percent: ``OnDemandPercentageAboveBaseCapacity`` (0-100); fractions
                round in favour of On-Demand (base 10 / 50 % at 40 is 25 + 15 Spot).
            on_demand_strategy, spot_strategy: the allocation strategies.
            spot_pools: ``SpotInstancePools`` (1-20, for ``lowest-price``).
            spot_max_price: ``SpotMaxPrice`` per unit hour; ``None``: the On-Demand price.
            capacity_rebalance: replace Spot members that EC2 signals (see
                ``rebalance_recommendation``, ``spot_interruption``).

        Raises ``GroupError`` 1133 before ``set_prices`` and 1132 with a warm pool;
        ``PurchaseError`` 1900 for an unpriced type, 1904-1908 for values out of range;
        ``ValueError`` for an unknown strategy."""

    def clear_mixed_instances(self) -> None:
        """Removes the mixed-instances policy; running members keep how they were bought."""

    @property
    def mixed_instances(self) -> _MixedInstances | None:
        """The mixed-instances policy as the keyword arguments of ``set_mixed_instances``
        (``g.set_mixed_instances(**g.mixed_instances)`` sets it again), or ``None``."""

    def reserve(
        self,
        start_s: float,
        instance_type: str,
        count: int = 1,
        *,
        term: Literal["1y", "3y"] = "1y",
        payment: Literal[
            "all_upfront",
            "partial_upfront",
            "no_upfront",
            "All Upfront",
            "Partial Upfront",
            "No Upfront",
        ] = "no_upfront",
        upfront: float | None = None,
        hourly: float | None = None,
        zone: str | None = None,
        size_flexible: bool = True,
    ) -> None:
        """Adds a Reserved Instance purchase of ``count`` instances of a priced type to the
        group's ledger, from ``start_s`` for one or three years. Each clock-hour it covers
        at most 3600 s of matching On-Demand usage per instance and charges ``hourly`` per
        instance, used or not; ``upfront`` is charged per instance (both default 0). With
        ``zone`` it is zonal (exact type and zone); else regional, and with
        ``size_flexible`` it covers the type's family by normalization factor. Raises
        ``GroupError`` 1133 before ``set_prices``, ``PurchaseError`` 1900, 1903, 1909 (a
        zero count, charges that do not fit ``payment``, a start in an hour already
        closed) or 1910 (16 reservations)."""

    def settle(self, now_s: float) -> Spend:
        """Brings the ledger to ``now_s`` and returns everything spent since ``set_prices``.
        Raises ``GroupError`` 1133 before ``set_prices``, ``PurchaseError`` 1913 for a time
        before one already settled."""

    def spend(self, now_s: float, start_s: float, end_s: float) -> Spend:
        """What was spent over ``[start_s, end_s)`` after settling to ``now_s``. The bounds
        are on clock-hours (multiples of 3600 s) within the last 24 closed hours and the
        open one (``PurchaseError`` 1914, 1915, 1916)."""

    def units_by_market(self) -> tuple[int, int]:
        """``(on_demand, spot)`` units counting toward capacity."""

    def price_interruptions(self) -> list[str]:
        """Spot members whose pool now costs more than their max price and that have no
        notice yet: EC2 interrupts them; report each with ``spot_interruption``."""

    def snapshot(self) -> bytes:
        """The group's whole state as a versioned, checksummed snapshot."""

    @staticmethod
    def restore(data: bytes) -> Group:
        """A group restored from ``snapshot()`` bytes; raises ``SnapshotError``."""

@final
class Behavior:
    """``HorizontalPodAutoscalerBehavior``: per direction a stabilisation window, rate
    policies ``(kind, value, period_s)`` with kind ``"Pods"`` or ``"Percent"``, and
    ``selectPolicy`` (``"Max"``, ``"Min"`` or ``"Disabled"``). Omitted fields take the
    upstream defaults: scale-up no window, ``[("Pods", 4, 15), ("Percent", 100, 15)]``,
    ``Max``; scale-down 300 s, ``[("Percent", 100, 15)]``, ``Max``.

    Raises ``ScalingError`` 1213 for a window above 3600 s, a policy value below 1, a period
    outside 1-1800 s, no policy in a direction that is not disabled, or more than 4 policies.
    """

    def __new__(
        cls,
        *,
        scale_up_stabilization_s: float | None = None,
        scale_up_select: str | None = None,
        scale_up_policies: Sequence[tuple[str, int, float]] | None = None,
        scale_down_stabilization_s: float | None = None,
        scale_down_select: str | None = None,
        scale_down_policies: Sequence[tuple[str, int, float]] | None = None,
    ) -> Behavior: ...
    @property
    def scale_up_stabilization_s(self) -> float:
        """``scaleUp.stabilizationWindowSeconds``."""

    @property
    def scale_up_select(self) -> str:
        """``scaleUp.selectPolicy``."""

    @property
    def scale_up_policies(self) -> list[tuple[str, int, float]]:
        """``scaleUp.policies``."""

    @property
    def scale_down_stabilization_s(self) -> float:
        """``scaleDown.stabilizationWindowSeconds``."""

    @property
    def scale_down_select(self) -> str:
        """``scaleDown.selectPolicy``."""

    @property
    def scale_down_policies(self) -> list[tuple[str, int, float]]:
        """``scaleDown.policies``."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Autoscaler:
    """The HPA's memory between calls: past recommendations (stabilisation) and scale events
    (rate policies), 64 of each."""

    def __new__(cls, behavior: Behavior | None = None) -> Autoscaler: ...
    @property
    def behavior(self) -> Behavior | None:
        """The behaviour, or ``None`` for the legacy rules (300 s scale-down stabilisation,
        scale-up to at most ``max(2 × current, 4)``)."""

    def normalize(
        self, now_s: float, current: int, desired: int, min_replicas: int, max_replicas: int
    ) -> int:
        """The replica count to set at ``now_s`` for a calculated ``desired``: stabilised,
        rate-limited and clamped to ``[min_replicas, max_replicas]``; remembered for the next
        calls. Raises ``ValueError`` when ``max_replicas < min_replicas``."""

def forecast(history: Sequence[float], horizon: int = 48) -> list[float]:
    """Predictive scaling's forecast of the next ``horizon`` hours (1-48) after an hourly
    ``history`` (oldest first; the last 14 days count, at least 24 hours needed): a weekly
    profile, the older week at half weight, times a damped level factor from the last day.
    Hours without a season are NaN. ``ValueError`` for a bad horizon or too short a history."""

def desired_replicas(current: int, metrics: Sequence[float | None | str], target: float) -> int:
    """The upstream replica calculation for one average-value metric: ``ceil(current ×
    ratio)`` over the members that report, ``current`` when the ratio is within 0.1 of 1.
    ``metrics``: one entry per member, a number, ``None`` (missing) or ``"unready"``. Raises
    ``ValueError`` for a target that is not positive."""

def _read_nab_csv(path: str | PathLike[str]) -> tuple[bytes, bytes]:
    """A NAB CSV trace as little-endian ``f64`` times (Unix seconds, UTC) and values."""

@final
class _Simulation:
    """A scenario in progress (used by ``fleetcore.simulate``)."""

    def __new__(
        cls,
        group: Group,
        times: bytes,
        values: bytes,
        *,
        step_s: float,
        member_capacity: float,
        boot_time_s: float,
        slo_utilisation: float,
        price_per_hour: float,
        utilisation_metric: int | str | None = None,
        load_metric: int | str | None = None,
        spot_risk: list[tuple[str, str, float]] | None = None,
        spot_seed: int = 0,
        rebalance_lead_s: float | None = None,
    ) -> _Simulation: ...
    def __len__(self) -> int: ...
    @property
    def done(self) -> int: ...
    def run(self, max_steps: int) -> int: ...
    def columns(self) -> dict[str, bytearray]: ...
    def totals(self) -> dict[str, float]: ...
    def actions(self) -> list[tuple[float, str, str]]: ...
    def action_log(self) -> str: ...
    def group(self) -> Group: ...
