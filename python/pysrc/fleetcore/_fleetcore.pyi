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

from collections.abc import Callable, Sequence
from collections.abc import Mapping
from typing import Any, Final, Literal, TypedDict, final

__all__ = [
    "CAPACITY",
    "GROUP_CAPACITY",
    "Action",
    "Activity",
    "Autoscaler",
    "Behavior",
    "Catalog",
    "ArgumentError",
    "CatalogError",
    "Fleet",
    "Flow",
    "Group",
    "GroupError",
    "IdError",
    "Image",
    "Imds",
    "ImdsError",
    "InstanceRefresh",
    "InstanceState",
    "InstanceType",
    "InterfaceMetadata",
    "LaunchTemplate",
    "LaunchTemplateVersion",
    "LifecycleError",
    "Member",
    "Metric",
    "Network",
    "NetworkError",
    "NetworkInterface",
    "Packet",
    "PurchaseError",
    "ConfigError",
    "check_config",
    "Rule",
    "ScalingError",
    "SecurityGroup",
    "SnapshotError",
    "Spend",
    "StateChange",
    "Subnet",
    "Verdict",
    "_Simulation",
    "__version__",
    "desired_replicas",
    "group_pods",
    "object_replicas",
    "pods_replicas",
    "resource_replicas",
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
    """An unknown or malformed instance type, image or option (codes 1400-1499), or an image
    whose architecture does not run on the instance type (1416: an arm64 AMI on m5.large)."""

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
    (1206), a recurrence without five cron fields (1207), a bad time zone (1209), a
    target-tracking policy executed by hand (1211), a second HPA policy (1212), an invalid HPA
    behaviour (1213), a cron field out of range (1215) or malformed (1216), or an unknown time
    zone name (1217).
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

class ArgumentError(ValueError):
    """A number argument outside the values its parameter takes, such as
    ``set_desired(2**32)``, ``Group(-1, 5)`` or ``answer(..., hops=256)``: ``.code`` is 11
    (``FC_STATUS_INVALID_ARGUMENT`` in C) and the message names the argument and its range
    (``desired must be an integer in 0..=4294967295, got 4294967296``). Raised instead of the
    bare ``OverflowError`` of an integer conversion; a value in range that the core refuses
    raises the domain's error (``GroupError`` 1102 for a desired capacity above ``max_size``).
    A time or metric value out of range (negative, NaN, too large) raises it too, with a
    note naming the argument. A name outside its enumeration (``mode="forecast"``) raises it
    with ``.code`` 3 (``FC_STATUS_INVALID_ENUM_VALUE``) and a message listing every name
    accepted."""

    code: int
    """11."""
    kind: str
    """``"invalid argument"``."""

class ConfigError(ValueError):
    """A configuration document the core refuses (codes 1300-1399), with where it is:
    ``path`` (such as ``groups[0].policies[2].target``, empty for the whole document),
    ``offset`` (bytes from the start), ``line`` and ``column`` (from 1)."""

    code: int
    kind: str
    path: str
    offset: int
    line: int
    column: int

def check_config(document: str | bytes, *, kind: str = "controller") -> str:
    """Checks a JSON configuration document with the core's parser and validators (the ones
    firmware runs) and returns it as the core reads it, defaults filled in, as JSON text.
    ``kind``: ``controller``, ``instance_type``, ``launch_template``, ``security_group``,
    ``group``, ``policy`` or ``scheduled_action``. Raises ``ConfigError``."""

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

        Raises ``LifecycleError`` (code 1009) for another low byte and ``ArgumentError`` (code
        11) outside 0..65535.
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
            spot: ``None`` for On-Demand, or the Spot request type ``"one_time"`` (also
                ``"one-time"``) or ``"persistent"``.
            interruption: for Spot, ``"terminate"`` (default), ``"stop"`` or ``"hibernate"``.

        Raises:
            IdError: malformed ``image_id``.
            CatalogError: unknown or malformed ``instance_type`` (1400, 1401), or unknown
                ``root_device`` (1407).
            LifecycleError: the options break a launch rule (1006) or the fleet is full (1008).
            ValueError: unknown ``shutdown_behavior``, ``spot`` or ``interruption``.
        """

    def launch_template(
        self,
        now_s: float,
        catalog: Catalog,
        template_id: str,
        version: int | str | None = None,
    ) -> str:
        """``RunInstances`` with a launch template; returns the new instance's id.

        The version ``version`` names (``None`` or ``"$Default"``, ``"$Latest"``, a number or
        its text) is resolved through ``catalog`` as an Auto Scaling launch resolves it; its
        image, type, root device, shutdown behaviour, hibernation, termination protection and
        market are the instance's, and the instance remembers the template and version.

        Raises:
            CatalogError: unknown template (1408) or version (1411), bad version text (1413),
                or an image deregistered since (1403).
            LifecycleError: the version breaks a launch rule (1006) or the fleet is full (1008).
        """

    def template_of(self, id: str) -> tuple[str, int] | None:
        """The launch template id and version number ``id`` was launched from, or ``None``
        for an instance launched without a template."""

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
        """The resolved template version (launches only)."""

    @property
    def hook(self) -> int | None:
        """The lifecycle hook's index (``notify_hook`` only)."""

    @property
    def transition(self) -> str | None:
        """The paused transition, ``"launching"`` or ``"terminating"`` (``notify_hook`` only;
        the canonical names, which ``put_lifecycle_hook`` takes beside the
        ``autoscaling:EC2_INSTANCE_*`` ones)."""

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

    @property
    def version(self) -> int | None:
        """The launch template version it was launched from (``None`` for an attached
        instance); ``OldestLaunchTemplate`` terminates the lowest first."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Activity:
    """One scaling activity of ``Group.activities`` (``DescribeScalingActivities``)."""

    @property
    def seq(self) -> int:
        """Its number, from 1, unique within the group."""

    @property
    def description(self) -> str:
        """The ``Description``, such as ``"Launching a new EC2 instance: i-0123..."``."""

    @property
    def cause(self) -> str:
        """The ``Cause``, in the service's words."""

    @property
    def status(self) -> Literal[
        "PreInService", "InProgress", "MidLifecycleAction", "Successful", "Failed", "Cancelled"
    ]:
        """The ``StatusCode``: ``PreInService``, ``InProgress``, ``MidLifecycleAction``,
        ``Successful``, ``Failed`` or ``Cancelled``."""

    @property
    def instance(self) -> str | None:
        """The instance it concerns, if any."""

    @property
    def start_s(self) -> float:
        """When it started, in seconds."""

    @property
    def end_s(self) -> float | None:
        """When it ended, in seconds (``None`` while it runs)."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class InstanceRefresh:
    """The group's current or last instance refresh (``DescribeInstanceRefreshes``)."""

    @property
    def id(self) -> int:
        """Its number, from 1."""

    @property
    def status(self) -> Literal["InProgress", "Paused", "Successful", "Failed", "Cancelled"]:
        """``InProgress``, ``Paused`` (at a checkpoint), ``Successful``, ``Failed`` or
        ``Cancelled``."""

    @property
    def percentage_complete(self) -> int:
        """``PercentageComplete``."""

    @property
    def to_replace(self) -> int:
        """Members it had to replace when it started."""

    @property
    def replaced(self) -> int:
        """Members it has replaced."""

    @property
    def checkpoints_done(self) -> int:
        """Checkpoints passed."""

    @property
    def started_s(self) -> float:
        """When it started, in seconds."""

    @property
    def ended_s(self) -> float | None:
        """When it ended, in seconds."""

    @property
    def desired_version(self) -> str | None:
        """The version it moves to (``"$Default"``, ``"$Latest"`` or a number as text), or
        ``None`` to replace with the group's own."""

    @property
    def min_healthy_percentage(self) -> int:
        """``MinHealthyPercentage``."""

    @property
    def max_healthy_percentage(self) -> int:
        """``MaxHealthyPercentage``."""

    @property
    def skip_matching(self) -> bool:
        """``SkipMatching``."""

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

    The group is sans-IO: ``tick(now_s)`` returns the ``Action`` objects to perform (launch,
    terminate ...); report what the world did with ``booted``, ``terminated``,
    ``launch_failed`` ...; ``next_deadline()`` says when ``tick`` next has work. Metrics,
    alarms and scaling policies run inside ``tick``. Every launch uses the group's launch
    template (``launch_template``) at ``launch_template_version``, resolved at each launch
    from what ``set_template_versions`` or ``sync_template`` last said (SEMANTICS §7). The
    same seed and calls give the same ids and actions.

    Instance refresh (``start_instance_refresh``), the warm pool (``put_warm_pool``) and the
    activity history (``activities``) are the service's (SEMANTICS §2.9, §2.10).

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
        launch_template: the ``LaunchTemplateId`` (``lt-...``; default ``lt-`` and the number
            1), such as a ``Catalog`` template.
        launch_template_version: ``"$Default"`` (default), ``"$Latest"`` or a number.

    Raises ``GroupError`` for sizes out of range (1100, 1101, 1110), bad zones (1116) or
    termination policies (1117), ``ValueError`` for an unknown termination policy name,
    ``IdError`` for a malformed ``launch_template`` and ``CatalogError`` (1413) for a bad
    version.
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
        launch_template: str | None = None,
        launch_template_version: int | str | None = None,
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

    def _repr_html_(self) -> str:
        """An HTML summary for Jupyter: the sizes, then one row per member (id, zone, state,
        health, market, instance type)."""

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
        its index. It starts in ``INSUFFICIENT_DATA``. Every name argument takes the
        canonical spelling a document writes and the service's.

        Args:
            comparison: ``">"``, ``">="``, ``"<"``, ``"<="``, the service's
                ``GreaterThanThreshold`` ... names or the canonical ``greater_than`` ...
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
        five-field cron ``recurrence`` (``"30 6 * * MON-FRI"``) in ``time_zone``, an IANA name
        as the service takes it (``"America/New_York"``, read through ``zoneinfo``: the POSIX
        rule of its TZif file) or a POSIX TZ rule such as ``"CET-1CEST,M3.5.0,M10.5.0/3"``
        (UTC when None), until ``end_s``. A put with an existing name replaces it; at most 125
        actions; two at the same time are refused (``GroupError`` 1124). Cron text without
        five fields raises ``ScalingError`` 1207, a field out of range 1215 (``"hour 25 is out
        of range 0-23"``), a malformed field 1216; a bad zone 1209, an unknown zone name
        1217."""

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
        mode: Literal[
            "forecast_only", "forecast_and_scale", "ForecastOnly", "ForecastAndScale"
        ] = "forecast_only",
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

    @staticmethod
    def from_document(
        document: str | bytes,
        *,
        group: str | None = None,
        now_s: float = ...,
        seed: int = 0,
    ) -> Group:
        """The group a JSON configuration document describes: the format firmware reads
        (README "Configuration", ``examples/controller.json``), checked by the same parser.

        ``document`` is a controller document (``group`` names one of its groups; it may be
        left out when there is one) or a group document on its own. The group gets its
        metrics, policies, alarms (started at ``now_s``), scheduled actions, predictive policy,
        lifecycle hooks and warm pool, so positions in the document are the indices the
        methods here take. ``seed`` seeds the instance ids. Launches name the template as C's
        ``fc_group_init_json`` does without a catalog: its position in ``launch_templates``
        (``lt-00000000000000000`` for the first; the first for a group document on its own),
        with the document's version number (``$Default`` and ``$Latest`` are version 1).

        Raises:
            ConfigError: the document is malformed or invalid (``.path``, ``.line``,
                ``.column``, ``.offset`` say where).
            ValueError: ``group`` names no group of the document, or is needed.
            TypeError: ``document`` is neither ``str`` nor ``bytes``.
        """

    def set_template_versions(self, versions: tuple[int, int] | None) -> None:
        """The launch template's ``$Default`` and ``$Latest`` version numbers changed
        (``CreateLaunchTemplateVersion``, ``ModifyLaunchTemplate``): the group resolves its
        version (``launch_template_version``) with them at each launch (SEMANTICS §2.10, §7).
        ``None`` means the template was deleted: launches fail and are retried. A new group
        starts at ``(1, 1)``."""

    @property
    def template_versions(self) -> tuple[int, int] | None:
        """``(default, latest)`` as the group last learnt them, or ``None`` once the template is
        gone."""

    def sync_template(self, catalog: Catalog) -> None:
        """Reads the group's template's ``$Default`` and ``$Latest`` from ``catalog`` (a template
        the catalog does not hold is gone); call it after each change to the catalog."""

    @property
    def launch_template(self) -> tuple[str, str]:
        """The group's launch template id (``lt-...``) and the version it launches
        (``"$Default"``, ``"$Latest"`` or a number as text)."""

    def start_instance_refresh(
        self,
        now_s: float,
        *,
        min_healthy_percentage: int = 90,
        max_healthy_percentage: int = 100,
        instance_warmup_s: float | None = None,
        checkpoint_percentages: Sequence[int] | None = None,
        checkpoint_delay_s: float | None = None,
        skip_matching: bool = False,
        desired_version: int | str | None = None,
    ) -> int:
        """``StartInstanceRefresh``; returns the refresh's number (SEMANTICS §2.10). Members in
        service when it starts are replaced in batches that keep ``min_healthy_percentage`` of
        desired healthy (``max_healthy_percentage`` above 100 launches first); each batch
        waits ``instance_warmup_s`` (else the group's default warm-up, else the health check
        grace period); at each of ``checkpoint_percentages`` it pauses ``checkpoint_delay_s``
        (3600 s by default); ``skip_matching`` leaves members already on ``desired_version``
        (``"$Default"``, ``"$Latest"`` or a number; ``None`` keeps the group's), which the
        group adopts on success.

        Raises ``GroupError``: a refresh is already running (1120) or a preference is out
        of range (1119)."""

    def cancel_instance_refresh(self, now_s: float) -> None:
        """``CancelInstanceRefresh``: members already replaced stay; raises ``GroupError``
        (1121) when no refresh is running."""

    @property
    def instance_refresh(self) -> InstanceRefresh | None:
        """The current or last instance refresh, or ``None`` before the first."""

    @property
    def activities(self) -> list[Activity]:
        """The scaling activities the group remembers (its last 64), oldest first
        (``DescribeScalingActivities``)."""

    @property
    def activities_started(self) -> int:
        """How many activities the group ever started (older ones than ``activities`` holds
        were evicted)."""

    def put_warm_pool(
        self,
        *,
        min_size: int = 0,
        max_group_prepared_capacity: int | None = None,
        pool_state: Literal[
            "stopped", "running", "hibernated", "Stopped", "Running", "Hibernated"
        ] = "stopped",
        reuse_on_scale_in: bool = False,
    ) -> None:
        """``PutWarmPool`` (SEMANTICS §2.9): keeps max(``min_size``,
        ``max_group_prepared_capacity`` (default ``MaxSize``) - desired) instances prepared in
        ``pool_state`` (``"stopped"``, ``"running"`` or ``"hibernated"``, or the service's
        ``"Stopped"`` ...; ``warm_pool`` gives the first), taken first on
        scale-out; ``reuse_on_scale_in`` returns members to the pool on scale-in.

        Raises ``GroupError``: ``min_size`` above the prepared capacity (1119) or a group with a
        mixed-instances policy (1132); ``ValueError`` for an unknown ``pool_state``."""

    def delete_warm_pool(self, now_s: float) -> None:
        """``DeleteWarmPool``: the pool's members are terminated by the next ``tick``."""

    @property
    def warm_pool(self) -> dict[str, Any] | None:
        """The warm pool's settings as a dict (``min_size``, ``max_group_prepared_capacity``,
        ``pool_state``, ``reuse_on_scale_in``), or ``None`` without one."""

    @property
    def warm_count(self) -> int:
        """Members in or arriving in the warm pool (``Warmed:*`` states, not those leaving it)."""

    @property
    def warm_pool_target(self) -> int:
        """The size the pool is kept at now (0 without a pool)."""

    def snapshot(self) -> bytes:
        """The group's whole state as a versioned, checksummed snapshot."""

    @staticmethod
    def restore(data: bytes) -> Group:
        """A group restored from ``snapshot()`` bytes; raises ``SnapshotError``. ``data`` may
        go on past the snapshot (a whole flash sector read back): its header says how long it
        is, and what follows is not read."""

    def __reduce__(self) -> tuple[Callable[[bytes], Group], tuple[bytes]]:
        """Pickles through ``snapshot()``: ``pickle.loads`` gives an equal group."""

@final
class Behavior:
    """``HorizontalPodAutoscalerBehavior``: per direction a stabilisation window, rate
    policies ``(kind, value, period_s)`` with kind ``"Pods"`` or ``"Percent"``, and
    ``selectPolicy`` (``"Max"``, ``"Min"`` or ``"Disabled"``). Omitted fields take the
    upstream defaults: scale-up no window, ``[("Pods", 4, 15), ("Percent", 100, 15)]``,
    ``Max``; scale-down 300 s, ``[("Percent", 100, 15)]``, ``Max``.

    ``scale_up_tolerance`` / ``scale_down_tolerance`` (Kubernetes 1.33 ``tolerance``) replace
    the controller's 0.1 for that direction; ``None`` keeps it.

    Upstream sets no maximum number of policies; a ``Behavior`` holds up to 16 per direction,
    and a group's target-tracking policy up to 4 (``ScalingError`` 1213 beyond).

    Raises ``ScalingError`` 1213 for a window above 3600 s, a policy value below 1, a period
    outside 1-1800 s, no policy in a direction that is not disabled, a negative tolerance or
    more than 16 policies.
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
        scale_up_tolerance: float | None = None,
        scale_down_tolerance: float | None = None,
    ) -> Behavior: ...
    @staticmethod
    def from_k8s(block: Mapping[str, Any] | None) -> Behavior:
        """The ``behavior:`` block of an ``autoscaling/v2`` HorizontalPodAutoscaler manifest as
        written (camelCase, as ``yaml.safe_load`` gives it): ``scaleUp`` / ``scaleDown`` with
        ``stabilizationWindowSeconds``, ``selectPolicy`` (``Max``, ``Min``, ``Disabled``),
        ``policies`` (``type`` ``Pods`` or ``Percent``, ``value``, ``periodSeconds``) and
        ``tolerance`` (a number or a quantity string such as ``"0.05"`` or ``"50m"``).
        Upstream's defaults (``defaults.go``) fill what is left out: a direction left out takes
        the default rules whole, a field left out the default's field (so ``policies`` given
        replace the default policies). ``ValueError`` for an unknown field or a bad type,
        ``ScalingError`` 1213 for values upstream validation refuses."""

    @property
    def scale_up_tolerance(self) -> float | None:
        """``scaleUp.tolerance``, ``None`` for the controller's default."""

    @property
    def scale_down_tolerance(self) -> float | None:
        """``scaleDown.tolerance``, ``None`` for the controller's default."""
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
class Metric:
    """One metric of an HPA's ``metrics`` list with what was observed for it this run."""

    @staticmethod
    def resource(
        usage: Sequence[float | None | str],
        requests: Sequence[float],
        *,
        target_utilization: int | None = None,
        target_average_value: float | None = None,
    ) -> Metric:
        """``Resource``: per pod its usage (a number, ``None`` missing, ``"unready"``) and
        request; one of a ``Utilization`` (whole percent) or an ``AverageValue`` target."""

    @staticmethod
    def container_resource(
        usage: Sequence[float | None | str],
        requests: Sequence[float],
        *,
        target_utilization: int | None = None,
        target_average_value: float | None = None,
    ) -> Metric:
        """``ContainerResource``: as ``resource``, for one container of each pod."""

    @staticmethod
    def pods(metrics: Sequence[float | None | str], target_average_value: float) -> Metric:
        """``Pods``: a value per pod against an ``AverageValue`` target."""

    @staticmethod
    def pod_level(
        type: str,
        pods: Sequence[
            tuple[str, bool | None, float, float | None, bool, float | None, float, float, float]
        ],
        *,
        target_utilization: int | None = None,
        target_average_value: float | None = None,
        cpu: bool = False,
        cpu_initialization_period_s: float | None = None,
        initial_readiness_delay_s: float | None = None,
    ) -> Metric:
        """``Resource``, ``ContainerResource`` or ``Pods`` (``type``) over pod-level inputs,
        grouped at the run's time as upstream's ``groupPods`` groups them: a pod being deleted
        or ``Failed`` is ignored, a ``Pending`` one unready, one without a sample missing; for
        CPU (``cpu``), a pod without a Ready condition or start time, one within
        ``cpu_initialization_period_s`` (``None``: 300) of its start that is not ready or whose
        sample was taken less than a window after its last transition, and one after it that
        is not ready and last changed within ``initial_readiness_delay_s`` (``None``: 30) of
        its start, are unready.
        Each pod is ``(phase, ready, last_transition_time_s, start_time_s, deleted, usage,
        timestamp_s, window_s, request)`` (``ready`` ``None``: no Ready condition; ``usage``
        ``None``: no sample); ``fleetcore.hpa.resource_metric`` and ``pods_metric`` build it
        from ``Pod`` objects or dicts. A ``Pods`` metric takes ``target_average_value`` only."""

    @staticmethod
    def object(value: float | None, target: float, target_type: str = "Value") -> Metric:
        """``Object``: the object's value (``None`` when it could not be read)."""

    @staticmethod
    def external(value: float | None, target: float, target_type: str = "Value") -> Metric:
        """``External``: the sum of the metric's series (``None`` when it could not be read)."""

    @property
    def type(self) -> str:
        """``Resource``, ``ContainerResource``, ``Pods``, ``Object`` or ``External``."""

@final
class Autoscaler:
    """The HPA's memory between calls: past recommendations (stabilisation) and scale events
    (rate policies), 64 of each."""

    def __new__(
        cls,
        behavior: Behavior | None = None,
        *,
        tolerance: float | None = None,
        scale_up_limit_factor: float | None = None,
        scale_up_limit_minimum: int | None = None,
        downscale_stabilization_s: float | None = None,
    ) -> Autoscaler:
        """The controller's settings: ``tolerance`` (0.1, both directions unless the behaviour
        sets its own), the legacy ``scale_up_limit_factor`` (2) and ``scale_up_limit_minimum``
        (4): without a behaviour a scale-up reaches at most ``max(factor × current,
        minimum)``; ``downscale_stabilization_s`` (300) without a behaviour. ``ScalingError``
        1213 for a negative tolerance or factor."""

    @property
    def tolerances(self) -> tuple[float, float]:
        """``(scale_down, scale_up)`` tolerances in force."""

    def reconcile(
        self,
        now_s: float,
        current: int,
        metrics: Sequence[Metric],
        min_replicas: int,
        max_replicas: int,
        *,
        status_replicas: int | None = None,
        ready_pods: int | None = None,
    ) -> int:
        """One run of the upstream controller (``reconcileAutoscaler``): the count to set (the
        current one when nothing changes). ``current`` 0 with ``min_replicas`` above 0
        disables autoscaling; a count outside the bounds goes to the bound; otherwise every
        metric proposes a count and the largest wins; a failing metric (no ready pod with a
        metric, an object value of ``None``) blocks a scale-down but not a scale-up; all
        failing changes nothing. Then ``normalize``. ``status_replicas`` and ``ready_pods``
        (for ``Object``/``External`` targets) default to ``current``."""

    @property
    def conditions(self) -> list[dict[str, str]]:
        """``AbleToScale``, ``ScalingActive`` and ``ScalingLimited`` as the last run left them:
        dicts with ``type``, ``status`` (``"True"``/``"False"``), ``reason`` and ``message``
        in upstream's spelling."""

    @property
    def recommendations(self) -> list[tuple[float, int]]:
        """The recommendations remembered for stabilisation, oldest first."""

    @property
    def scale_up_events(self) -> list[tuple[float, int, bool]]:
        """Upstream's ``scaleUpEvents`` in its order: ``(timestamp_s, replica_change,
        outdated)``. Before each event is stored, the earlier ones older than the longest
        scale-up policy period are marked outdated, and the new one takes the last outdated
        slot, else goes last (``storeScaleEvent``). Empty without a behaviour, as upstream
        stores no event then."""

    @property
    def scale_down_events(self) -> list[tuple[float, int, bool]]:
        """Upstream's ``scaleDownEvents``, as ``scale_up_events`` (``replica_change`` is the
        number of replicas removed)."""

    @property
    def recommendation_log(self) -> list[tuple[float, int]]:
        """Upstream's ``recommendations`` in its order: ``(timestamp_s, recommendation)``; a
        new recommendation takes the slot of the last one older than the longest
        stabilisation window, else goes last."""

    @property
    def scale_events(self) -> list[tuple[float, int]]:
        """The scale events remembered for rate policies, oldest first: ``(time_s, change)``."""

    def record_scale_event(self, now_s: float, change: int) -> None:
        """Remembers a scale made elsewhere (upstream's ``scaleUpEvents`` /
        ``scaleDownEvents``): ``change`` replicas at ``now_s``, counted by the rate policies from
        then on; 0 is not an event."""

    def record_recommendation(self, now_s: float, replicas: int) -> None:
        """Remembers a recommendation made elsewhere (upstream's ``recommendations``), counted
        by stabilisation from then on."""
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
    ``history`` (oldest first; the last 14 days count, at least 24 hours needed): the one of
    four forecasts (weekly profile with a damped level, median of the same hour over 7 days,
    their blend, median of the last 6 hours) with the least error over the recent past,
    raised by a tenth of that error; combined with seasonal naive 24 h and 168 h, the 7-day
    mean and Holt-Winters when that combination did better over the recent past, or seasonal
    naive 24 h or 168 h or the 7-day mean alone when it did better by a quarter. Hours without
    a season are NaN. ``ValueError`` for a bad horizon or too short a history."""

def desired_replicas(current: int, metrics: Sequence[float | None | str], target: float) -> int:
    """The upstream replica calculation for the group's per-member metric, a utilization: each
    member reports a percentage of its own capacity (its request is 100 %) and ``target`` is a
    percentage. The utilization is truncated to a whole percent (upstream's
    ``GetResourceUtilizationRatio``); nothing changes while its ratio to the target is within 0.1
    of 1, otherwise ``ceil(ratio × ready members)``. ``metrics``: one entry per member, a number,
    ``None`` (missing) or ``"unready"``. A missing member counts as ``max(100, target)`` % on a
    scale-down and 0 on a scale-up; an unready one as 0 on a scale-up and is left out on a
    scale-down; a fill-in that reverses the direction changes nothing. ``current`` when no
    member reports. Raises ``ValueError`` for a target that is not positive."""

def resource_replicas(
    current: int,
    usage: Sequence[float | None | str],
    requests: Sequence[float],
    target_utilization: int,
    *,
    scale_down_tolerance: float | None = None,
    scale_up_tolerance: float | None = None,
) -> int | None:
    """``GetResourceReplicas``: a ``Resource`` (or ``ContainerResource``) metric with a
    ``Utilization`` target in whole percent. ``usage`` has one entry per pod (a number, ``None``
    for a missing metric, ``"unready"``), ``requests`` the pods' requests in the same unit.
    Failed pods and pods being deleted are left out by the caller. A missing pod counts as
    ``max(100, target)`` % of its request on a scale-down. ``None`` when the metric fails (no
    ready pod has a metric). Tolerances default to 0.1. ``ValueError`` for a target of 0,
    lengths that differ or a negative tolerance."""

def group_pods(
    pods: Sequence[
        tuple[str, bool | None, float, float | None, bool, float | None, float, float, float]
    ],
    now_s: float,
    *,
    cpu: bool = True,
    cpu_initialization_period_s: float | None = None,
    initial_readiness_delay_s: float | None = None,
) -> tuple[int, list[int], list[int], list[int]]:
    """Upstream's ``groupPods`` at ``now_s``: ``(ready_count, unready, missing, ignored)``,
    the last three as positions in ``pods`` (tuples as ``Metric.pod_level`` takes them)."""

def pods_replicas(
    current: int,
    metrics: Sequence[float | None | str],
    target: float,
    *,
    scale_down_tolerance: float | None = None,
    scale_up_tolerance: float | None = None,
) -> int | None:
    """``GetMetricReplicas``: a ``Pods`` metric (an ``AverageValue`` target). The average over the
    ready pods (in thousandths, truncated) against ``target``; a missing pod counts as exactly
    ``target`` on a scale-down and 0 on a scale-up. ``None`` when the metric fails.
    ``ValueError`` for a target that is not positive or a negative tolerance."""

def object_replicas(
    current: int,
    value: float,
    target: float,
    target_type: str = "Value",
    *,
    ready_pods: int | None = None,
    status_replicas: int | None = None,
    scale_down_tolerance: float | None = None,
    scale_up_tolerance: float | None = None,
) -> int:
    """An ``Object`` or ``External`` metric (for External, ``value`` is the sum of the series).
    ``target_type`` ``"Value"``: ``ceil(value / target × ready_pods)`` outside the tolerances,
    and ``ceil(value / target)`` with no tolerance when ``current`` is 0 (scaling from zero).
    ``"AverageValue"``: ``ceil(value / target)`` when ``value / (target × status_replicas)`` is
    outside the tolerances. ``ready_pods`` and ``status_replicas`` default to ``current``.
    ``ValueError`` for a target that is not positive or an unknown target type."""

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
        record: bool = True,
    ) -> _Simulation: ...
    def __len__(self) -> int: ...
    @property
    def done(self) -> int: ...
    def run(self, max_steps: int) -> int: ...
    def columns(self) -> dict[str, bytearray]: ...
    def column(self, name: str) -> bytearray: ...
    def totals(self) -> dict[str, float]: ...
    def actions(self) -> list[tuple[float, str, str]]: ...
    def action_log(self) -> str: ...
    def group(self) -> Group: ...

# ---- catalog ----

@final
class InstanceType:
    """One instance type: from the built-in table (``InstanceType.builtin("m5.large")``) or
    custom (a board, a custom node), as ``Catalog.add_instance_type`` takes it.

    Equal when every field is equal; hashable.

    Args:
        name: ``family.size``: lowercase letters, digits and ``-`` (``"pi4.8gb"``).
        vcpus: ``VCpuInfo.DefaultVCpus``, at least 1.
        memory_mib: ``MemoryInfo.SizeInMiB``, at least 1.
        category: ``"general_purpose"``, ``"burstable"``, ``"compute_optimized"``,
            ``"memory_optimized"``, ``"storage_optimized"``, ``"accelerated"`` or
            ``"high_performance"`` (also ``"GeneralPurpose"`` ... and the guide's
            ``"general purpose"`` ...).
        accelerators: GPUs or other accelerators.
        max_enis: most network interfaces, at least 1.
        ipv4_per_eni: most private IPv4 addresses per interface, at least 1.
        normalization: the normalization factor, a positive multiple of 0.25.
        architecture: what a launch checks the image against: ``"x86_64"``, ``"arm64"``,
            ``"i386"``, ``"x86_64_mac"`` or ``"arm64_mac"``; ``None``: the name's, as EC2
            names families (``"arm64"`` for ``"m6g.large"``, ``"x86_64"`` for a name that is
            not an EC2 family such as ``"pi4.8gb"``).

    Raises ``CatalogError`` 1401 for a malformed name and 1407 for a zero field or an unknown
    architecture (the message names it); ``ValueError`` for an unknown category or a
    normalization that is not a multiple of 0.25.
    """

    def __new__(
        cls,
        name: str,
        *,
        vcpus: int,
        memory_mib: int,
        category: str = "general_purpose",
        accelerators: int = 0,
        max_enis: int = 1,
        ipv4_per_eni: int = 1,
        normalization: float = 1.0,
        architecture: str | None = None,
    ) -> InstanceType: ...
    @staticmethod
    def builtin(name: str) -> InstanceType:
        """A type of the built-in table; ``CatalogError`` 1400 for an unknown name, 1401 for a
        malformed one."""

    @staticmethod
    def builtin_names() -> list[str]:
        """The names of the built-in table."""

    @property
    def name(self) -> str:
        """The type name, such as ``"m5.large"``."""

    @property
    def family(self) -> str:
        """The family, such as ``"m5"``."""

    @property
    def size(self) -> str:
        """The size, such as ``"large"``."""

    @property
    def series(self) -> str:
        """The series: the family's leading letters, such as ``"m"``."""

    @property
    def category(self) -> str:
        """The category's canonical name (``"general_purpose"`` ...)."""

    @property
    def vcpus(self) -> int:
        """``VCpuInfo.DefaultVCpus``."""

    @property
    def memory_mib(self) -> int:
        """``MemoryInfo.SizeInMiB``."""

    @property
    def accelerators(self) -> int:
        """GPUs or other accelerators."""

    @property
    def max_enis(self) -> int:
        """``NetworkInfo.MaximumNetworkInterfaces``."""

    @property
    def ipv4_per_eni(self) -> int:
        """``NetworkInfo.Ipv4AddressesPerInterface``."""

    @property
    def normalization(self) -> float:
        """The normalization factor in units of a ``small`` (``large`` is 4.0, ``nano``
        0.25)."""

    @property
    def architecture(self) -> str:
        """The processor architecture."""

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Image:
    """A machine image (AMI) as ``RegisterImage`` describes it. Equal when every field is.

    Args:
        image_id: ``ami-`` and 8 or 17 hex digits.
        name: 3-128 characters of letters, digits and ``()[] ./-'@_``.
        architecture: ``"i386"``, ``"x86_64"``, ``"arm64"``, ``"x86_64_mac"`` or
            ``"arm64_mac"``.
        root_device: ``"ebs"`` or ``"instance-store"``.
        boot_mode: ``"legacy-bios"``, ``"uefi"`` or ``"uefi-preferred"``.
        description: at most 255 bytes.

    Raises ``IdError`` for a malformed id; ``CatalogError`` 1405 for a bad name, 1407 for an
    unknown architecture, root device or boot mode, 1406 for a long description.
    """

    def __new__(
        cls,
        image_id: str,
        name: str,
        *,
        architecture: str = "x86_64",
        root_device: str = "ebs",
        boot_mode: str = "uefi-preferred",
        description: str = "",
    ) -> Image: ...
    @property
    def id(self) -> str:
        """The image id."""

    @property
    def name(self) -> str:
        """The name."""

    @property
    def architecture(self) -> str:
        """The architecture."""

    @property
    def root_device(self) -> str:
        """``"ebs"`` or ``"instance-store"``."""

    @property
    def boot_mode(self) -> str:
        """The boot mode."""

    @property
    def description(self) -> str:
        """The description."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class LaunchTemplateVersion:
    """One immutable version of a launch template (a snapshot)."""

    @property
    def number(self) -> int:
        """The version number: from 1, never reused after a delete."""

    @property
    def description(self) -> str:
        """The version description."""

    @property
    def image_id(self) -> str:
        """The image id."""

    @property
    def instance_type(self) -> str:
        """The instance type name."""

    @property
    def shutdown_behavior(self) -> str:
        """``"stop"`` or ``"terminate"``."""

    @property
    def hibernation(self) -> bool:
        """Whether hibernation is configured."""

    @property
    def termination_protection(self) -> bool:
        """Whether ``DisableApiTermination`` is set."""

    @property
    def spot(self) -> str | None:
        """``None`` for On-Demand, else ``"one_time"`` or ``"persistent"``."""

    @property
    def interruption(self) -> str | None:
        """The Spot interruption behaviour (``"terminate"``, ``"stop"``, ``"hibernate"``), or
        ``None`` for On-Demand."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class LaunchTemplate:
    """A launch template as it was when read (a snapshot; ``len()`` is its version count)."""

    @property
    def id(self) -> str:
        """The template id (``lt-...``)."""

    @property
    def name(self) -> str:
        """The template name."""

    @property
    def default_version(self) -> int:
        """The version ``$Default`` names (1 until changed)."""

    @property
    def latest_version(self) -> int:
        """The version ``$Latest`` names: the highest number that still exists."""

    def versions(self) -> list[LaunchTemplateVersion]:
        """The versions, oldest first."""

    def resolve(self, version: int | str | None = None) -> LaunchTemplateVersion:
        """The version ``version`` names: ``None`` or ``"$Default"``, ``"$Latest"``, a number or
        its text. Raises ``CatalogError`` 1411 for an absent number, 1413 for bad text."""

    def __len__(self) -> int: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Catalog:
    """Images, custom instance types and launch templates (SEMANTICS §4.2, §7).

    Holds ``CUSTOM_TYPES`` custom types, ``IMAGES`` images and ``TEMPLATES`` templates of up to
    ``VERSIONS`` stored versions each (the class attributes; a full table raises
    ``CatalogError`` 1414). Template ids come from ``seed``. A version is
    checked when created: its image must be registered and its type known (built in or
    added). Every refused call changes nothing.
    """

    CUSTOM_TYPES: Final[int]
    """Custom instance types a catalog holds (32)."""
    IMAGES: Final[int]
    """Images a catalog holds (64)."""
    TEMPLATES: Final[int]
    """Launch templates a catalog holds (32)."""
    VERSIONS: Final[int]
    """Versions a template keeps at once (32; deleting one frees its slot)."""

    def __new__(cls, seed: int = 0) -> Catalog: ...
    def add_instance_type(self, instance_type: InstanceType) -> None:
        """Adds a custom type; ``CatalogError`` 1402 if the name is built in or taken."""

    def instance_type(self, name: str) -> InstanceType:
        """Looks a type up: custom types, then the built-in table (``CatalogError`` 1400)."""

    def custom_types(self) -> list[InstanceType]:
        """The custom types, in the order added."""

    def register_image(
        self,
        image_id: str,
        name: str,
        *,
        architecture: str = "x86_64",
        root_device: str = "ebs",
        boot_mode: str = "uefi-preferred",
        description: str = "",
    ) -> Image:
        """``RegisterImage`` (arguments as ``Image``); returns the image. ``CatalogError`` 1404
        if the id is registered."""

    def deregister_image(self, image_id: str) -> None:
        """``DeregisterImage``; templates naming it keep it, and resolving them then fails.
        ``CatalogError`` 1403 for an unknown image."""

    def image(self, image_id: str) -> Image:
        """A registered image; ``CatalogError`` 1403 otherwise."""

    def images(self) -> list[Image]:
        """The registered images, in the order registered."""

    def create_template(
        self,
        name: str,
        image_id: str,
        instance_type: str,
        *,
        description: str = "",
        shutdown_behavior: Literal["stop", "terminate"] = "stop",
        hibernation: bool = False,
        termination_protection: bool = False,
        spot: Literal["one_time", "one-time", "persistent"] | None = None,
        interruption: Literal["terminate", "stop", "hibernate"] | None = None,
    ) -> str:
        """``CreateLaunchTemplate`` with version 1 (the default); returns the ``lt-`` id.

        Raises ``CatalogError`` 1403 (image not registered), 1400 (unknown type), 1409
        (name taken), 1410 (bad name: 3-128 of ``a-zA-Z0-9().-/_``), 1414 (full);
        ``ValueError`` for a bad ``shutdown_behavior``, ``spot`` or ``interruption``.
        """

    def create_version(
        self,
        template_id: str,
        image_id: str,
        instance_type: str,
        *,
        description: str = "",
        shutdown_behavior: Literal["stop", "terminate"] = "stop",
        hibernation: bool = False,
        termination_protection: bool = False,
        spot: Literal["one_time", "one-time", "persistent"] | None = None,
        interruption: Literal["terminate", "stop", "hibernate"] | None = None,
    ) -> int:
        """``CreateLaunchTemplateVersion``; returns the new number. Errors as
        ``create_template``, and 1408 for an unknown template, 1414 when its versions are
        full."""

    def set_default(self, template_id: str, version: int) -> None:
        """``ModifyLaunchTemplate --default-version``; ``CatalogError`` 1411 for an absent
        version."""

    def delete_version(self, template_id: str, version: int) -> None:
        """``DeleteLaunchTemplateVersions`` for one version; ``CatalogError`` 1412 for the
        default version, 1411 for an absent one."""

    def template(self, template_id: str) -> LaunchTemplate:
        """The template with this id; ``CatalogError`` 1408 otherwise."""

    def template_by_name(self, name: str) -> LaunchTemplate:
        """The template with this name; ``CatalogError`` 1408 otherwise."""

    def templates(self) -> list[LaunchTemplate]:
        """The templates, in the order created."""

    def resolve(self, template_id: str, version: int | str | None = None) -> LaunchTemplateVersion:
        """The version a launch of the template uses, as an Auto Scaling launch resolves it
        (``None`` is ``$Default``). Raises ``CatalogError`` 1408, 1411, 1413, or 1403 when the
        version's image has been deregistered."""

# ---- instance metadata service ----

class ImdsError(ValueError):
    """The metadata service cannot answer (codes 1700-1799).

    Raised for a hop limit outside 1-64 (1701), user data over 16 KB (1702) and, from
    ``handle_http``, bytes that are only the start of a request (1703: read more and call
    again with all of them). Requests a client gets wrong are not errors: they are answered
    with a status (400, 401, 403, 404, 405, 413, 414, 431, 501).
    """

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"invalid argument"``."""

@final
class InterfaceMetadata:
    """One attached network interface as ``meta-data/network/interfaces/macs/<mac>/`` shows
    it. Empty text and lists (the defaults) are "not set": the item is absent (404) and not
    listed."""

    def __new__(
        cls,
        mac: str,
        *,
        device_number: int = 0,
        network_card_index: int = 0,
        interface_id: str = "",
        local_ipv4s: Sequence[str] = ...,
        public_ipv4s: Sequence[str] = ...,
        ipv6s: Sequence[str] = ...,
        subnet_id: str = "",
        subnet_ipv4_cidr_block: str = "",
        vpc_id: str = "",
        vpc_ipv4_cidr_blocks: Sequence[str] = ...,
        security_group_ids: Sequence[str] = ...,
        security_groups: Sequence[str] = ...,
        owner_id: str = "",
    ) -> InterfaceMetadata: ...
    @property
    def mac(self) -> str:
        """The MAC address, the directory name."""

    @property
    def device_number(self) -> int:
        """``device-number``: the attachment's device index."""

    @property
    def network_card_index(self) -> int:
        """``network-card-index``."""

    @property
    def interface_id(self) -> str:
        """``interface-id``."""

    @property
    def local_ipv4s(self) -> list[str]:
        """``local-ipv4s``, primary first."""

    @property
    def public_ipv4s(self) -> list[str]:
        """``public-ipv4s``."""

    @property
    def ipv6s(self) -> list[str]:
        """``ipv6s``."""

    @property
    def subnet_id(self) -> str:
        """``subnet-id``."""

    @property
    def subnet_ipv4_cidr_block(self) -> str:
        """``subnet-ipv4-cidr-block``."""

    @property
    def vpc_id(self) -> str:
        """``vpc-id``."""

    @property
    def vpc_ipv4_cidr_blocks(self) -> list[str]:
        """``vpc-ipv4-cidr-blocks``; the first is also ``vpc-ipv4-cidr-block``."""

    @property
    def security_group_ids(self) -> list[str]:
        """``security-group-ids``."""

    @property
    def security_groups(self) -> list[str]:
        """``security-groups`` (names)."""

    @property
    def owner_id(self) -> str:
        """``owner-id``."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Imds:
    """The Instance Metadata Service of one instance (SEMANTICS §5).

    Holds the instance's metadata, its metadata options and the secret that keys ``IMDSv2``
    session tokens (32 bytes you keep, such as ``os.urandom(32)``; a new secret revokes every
    token). Tokens are bound to ``instance_id``: another ``Imds`` with the same secret and
    another instance id refuses them. Text that is empty and values that are ``None`` are
    "not set": the item is absent (404). The secret is never shown.

    Checks, in order: ``http_endpoint="disabled"`` answers 403 to everything; a PUT is only
    for ``/latest/api/token`` (else 403), is refused with ``X-Forwarded-For`` (403), needs
    ``X-aws-ec2-metadata-token-ttl-seconds`` of 1-21600 (else 400) and gets no answer from
    more than ``hop_limit`` hops away; a GET or HEAD with a token needs a valid one (else
    401, even with ``http_tokens="optional"``), without one needs ``"optional"`` (else 401);
    an unknown path or absent item is 404, a method other than GET, HEAD, PUT 405.

    Args:
        instance_id: ``instance-id``; tokens are bound to it.
        secret: 32 bytes keying the tokens (``ValueError`` otherwise).
        market: ``instance-life-cycle``: ``"on-demand"`` or ``"spot"``.
        interfaces: ``network/interfaces/macs/``, one per attached interface.
        user_data: ``user-data``, at most 16 KB (``ImdsError`` 1702).
        tags: ``tags/instance/<key>``, shown only with ``instance_metadata_tags``.
        architecture: ``architecture`` of the identity document (as ``Image``).
        pending_time_s: ``pendingTime`` of the identity document (default 0).
        http_tokens: ``HttpTokens``: ``"optional"`` or ``"required"``.
        http_endpoint: ``HttpEndpoint``: ``"enabled"`` or ``"disabled"``.
        hop_limit: ``HttpPutResponseHopLimit``, 1-64 (``ImdsError`` 1701).
        instance_metadata_tags: ``InstanceMetadataTags``.

    The other arguments are the metadata items of the same name; sequences default to empty.
    """

    def __new__(
        cls,
        instance_id: str,
        *,
        secret: bytes,
        ami_id: str = "",
        instance_type: str = "",
        availability_zone: str = "",
        availability_zone_id: str = "",
        region: str = "",
        hostname: str = "",
        local_hostname: str = "",
        local_ipv4: str = "",
        mac: str = "",
        public_ipv4: str | None = None,
        public_hostname: str | None = None,
        reservation_id: str = "",
        ami_launch_index: int = 0,
        market: Literal["on-demand", "spot"] = "on-demand",
        security_groups: Sequence[str] = ...,
        interfaces: Sequence[InterfaceMetadata] = ...,
        user_data: bytes | None = None,
        tags: Mapping[str, str] | None = None,
        account_id: str = "",
        architecture: str | None = None,
        pending_time_s: float = ...,
        http_tokens: Literal["optional", "required"] = "optional",
        http_endpoint: Literal["enabled", "disabled"] = "enabled",
        hop_limit: int = 1,
        instance_metadata_tags: bool = False,
    ) -> Imds: ...
    @property
    def instance_id(self) -> str:
        """The instance id tokens are bound to."""

    @property
    def http_tokens(self) -> str:
        """``HttpTokens`` (settable); tokens already issued stay valid."""

    @http_tokens.setter
    def http_tokens(self, value: Literal["optional", "required"]) -> None: ...
    @property
    def http_endpoint(self) -> str:
        """``HttpEndpoint`` (settable)."""

    @http_endpoint.setter
    def http_endpoint(self, value: Literal["enabled", "disabled"]) -> None: ...
    @property
    def hop_limit(self) -> int:
        """``HttpPutResponseHopLimit`` (settable; ``ImdsError`` 1701 outside 1-64, and the
        limit is then unchanged)."""

    @hop_limit.setter
    def hop_limit(self, value: int) -> None: ...
    @property
    def instance_metadata_tags(self) -> bool:
        """Whether tags appear under ``meta-data/tags/instance/`` (settable)."""

    @instance_metadata_tags.setter
    def instance_metadata_tags(self, value: bool) -> None: ...
    @property
    def spot_action(self) -> tuple[str, float] | None:
        """The Spot interruption notice ``(action, time_s)`` with action ``"terminate"``,
        ``"stop"`` or ``"hibernate"``, served at ``spot/instance-action`` (settable)."""

    @spot_action.setter
    def spot_action(self, value: tuple[str, float] | None) -> None: ...
    @property
    def rebalance_at_s(self) -> float | None:
        """When the rebalance recommendation was made, served at
        ``events/recommendations/rebalance`` (settable)."""

    @rebalance_at_s.setter
    def rebalance_at_s(self, value: float | None) -> None: ...
    @property
    def target_lifecycle_state(self) -> str | None:
        """``autoscaling/target-lifecycle-state`` (``"InService"``, ``"Terminated"`` ...;
        settable)."""

    @target_lifecycle_state.setter
    def target_lifecycle_state(self, value: str | None) -> None: ...
    @property
    def user_data(self) -> bytes | None:
        """``user-data`` (settable; ``ImdsError`` 1702 over 16 KB)."""

    @user_data.setter
    def user_data(self, value: bytes | None) -> None: ...
    @property
    def tags(self) -> dict[str, str]:
        """The instance's tags (settable from any mapping)."""

    @tags.setter
    def tags(self, value: Mapping[str, str]) -> None: ...
    @property
    def tokens_issued(self) -> int:
        """How many tokens have been issued."""

    def issue_token(self, now_s: float, ttl_s: int = 21600) -> str:
        """A token valid ``ttl_s`` seconds (1-21600, else ``ValueError``) from ``now_s``, as a
        PUT to ``/latest/api/token`` issues it."""

    def check_token(self, now_s: float, token: str) -> str | None:
        """``None`` if ``token`` is valid at ``now_s``, else why not: ``"malformed"``,
        ``"bad signature"`` (forged, or for another instance or secret), ``"expired"`` or
        ``"from the future"``."""

    def answer(
        self,
        now_s: float,
        method: str,
        path: str,
        headers: Mapping[str, str | bytes] | None = None,
        hops: int = 1,
    ) -> tuple[int, bytes] | None:
        """Answers one request: ``(status, body)``, or ``None`` when nothing is sent (a PUT
        from more than ``hop_limit`` hops away, whose response would expire on the way).

        Header names are case-insensitive; only ``X-aws-ec2-metadata-token``,
        ``X-aws-ec2-metadata-token-ttl-seconds`` and ``X-Forwarded-For`` matter. ``hops`` is
        the IP hops the request took (1 from the instance, 2 from a container behind a bridge;
        0 counts as 1). HEAD answers with an empty body. Header values are read without the
        spaces and tabs around them (RFC 9110 §5.5), as ``handle_http`` reads them.
        """

    def handle_http(self, now_s: float, request: bytes, hops: int = 1) -> bytes | None:
        """Parses one HTTP/1.x request and returns the whole response (status line, headers,
        body), or ``None`` when nothing is sent. A request that cannot be parsed is answered
        (400, 413, 414, 431, 501); bytes that are only the start of one raise ``ImdsError``
        1703. Bytes after the first request are ignored."""

# ---- network ----

class NetworkError(Exception):
    """A subnet, network interface, security group or packet request was refused (codes
    1800-1899), such as a bad CIDR block (1800) or address (1801), a duplicate rule (1803), a
    group still in use (1812), an interface in use (1828) or a full table (1836).

    Not a ``ValueError``: many refusals depend on the network's state, not on the value.
    """

    code: int
    """The fleetcore error code."""
    kind: str
    """The coarse class of the error, such as ``"invalid state"``."""

@final
class Rule:
    """One security group rule: what traffic, from (inbound) or to (outbound) which peer.

    Equal and hashable by value; protocols 6, 17 and 1 are stored as ``"tcp"``, ``"udp"`` and
    ``"icmp"`` for all ports or types.

    Args:
        protocol: ``"tcp"``, ``"udp"``, ``"icmp"``, ``"all"`` (or ``None``, ``"-1"``), or an IP
            protocol number.
        ports: TCP and UDP only: one port or a ``(from, to)`` pair; ``None`` is all ports.
        icmp_type: ICMP only; ``None`` is any type.
        icmp_code: ICMP only, with ``icmp_type``; ``None`` is any code.
        cidr: the peer as a CIDR block (``"0.0.0.0/0"``) ...
        group: ... or as a security group id; exactly one of the two.

    Raises ``NetworkError`` 1800 for a bad CIDR block, 1802 for a reversed port range;
    ``IdError`` for a bad group id; ``ValueError`` for options that do not fit the protocol.
    """

    def __new__(
        cls,
        protocol: str | int | None = None,
        *,
        ports: int | tuple[int, int] | None = None,
        icmp_type: int | None = None,
        icmp_code: int | None = None,
        cidr: str | None = None,
        group: str | None = None,
    ) -> Rule: ...
    @property
    def protocol(self) -> str | int:
        """``"tcp"``, ``"udp"``, ``"icmp"``, ``"all"`` or another protocol's number."""

    @property
    def ports(self) -> tuple[int, int] | None:
        """The ``(from, to)`` ports of a TCP or UDP rule."""

    @property
    def icmp_type(self) -> int | None:
        """The ICMP type matched, ``None`` for any."""

    @property
    def icmp_code(self) -> int | None:
        """The ICMP code matched, ``None`` for any."""

    @property
    def cidr(self) -> str | None:
        """The peer's CIDR block, or ``None``."""

    @property
    def group(self) -> str | None:
        """The peer security group id, or ``None``."""

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Packet:
    """An IPv4 packet as the filter sees it. Equal and hashable by value.

    ``protocol`` is ``"tcp"``, ``"udp"``, ``"icmp"`` or an IP protocol number (6, 17 and 1
    are TCP, UDP and ICMP); ports apply to TCP and UDP, type and code to ICMP.
    ``NetworkError`` 1801 for a malformed address.
    """

    def __new__(
        cls,
        protocol: str | int,
        src: str,
        dst: str,
        *,
        src_port: int = 0,
        dst_port: int = 0,
        icmp_type: int = 0,
        icmp_code: int = 0,
    ) -> Packet: ...
    @staticmethod
    def tcp(src: str, src_port: int, dst: str, dst_port: int) -> Packet:
        """A TCP packet."""

    @staticmethod
    def udp(src: str, src_port: int, dst: str, dst_port: int) -> Packet:
        """A UDP packet."""

    @staticmethod
    def icmp(src: str, dst: str, icmp_type: int = 8, icmp_code: int = 0) -> Packet:
        """An ICMP packet (type 8 is an echo request)."""

    def reply(self) -> Packet:
        """The reply: addresses and ports swapped (ICMP keeps type and code)."""

    @property
    def protocol(self) -> str | int:
        """``"tcp"``, ``"udp"``, ``"icmp"`` or another protocol's number."""

    @property
    def src(self) -> str:
        """The source address."""

    @property
    def dst(self) -> str:
        """The destination address."""

    @property
    def src_port(self) -> int:
        """The source port (0 without ports)."""

    @property
    def dst_port(self) -> int:
        """The destination port (0 without ports)."""

    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Verdict:
    """The filter's decision on one packet; truthy when allowed."""

    @property
    def allowed(self) -> bool:
        """Whether the packet passed."""

    @property
    def reason(self) -> str:
        """Why: ``"flow"`` (a live tracked flow), ``"rule"`` (a rule; the flow is tracked),
        ``"untracked"`` (a rule; ``0.0.0.0/0`` both ways, so untracked), or for a drop
        ``"no-rule"``, ``"source-dest-check"``, ``"port-25"`` or ``"table-full"``."""

    @property
    def group_id(self) -> str | None:
        """The group of the rule that allowed it, if a rule did."""

    @property
    def rule_index(self) -> int | None:
        """That rule's index in the group's ``inbound`` or ``outbound`` list."""

    def __bool__(self) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class SecurityGroup:
    """A security group as it was when read (a snapshot)."""

    @property
    def id(self) -> str:
        """The group id (``sg-...``)."""

    @property
    def name(self) -> str:
        """The group name."""

    @property
    def is_default(self) -> bool:
        """Whether it is the VPC's ``default`` group."""

    @property
    def inbound(self) -> list[Rule]:
        """The inbound rules, in the order added."""

    @property
    def outbound(self) -> list[Rule]:
        """The outbound rules, in the order added."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class NetworkInterface:
    """A network interface (ENI) as it was when read (a snapshot)."""

    @property
    def id(self) -> str:
        """The interface id (``eni-...``)."""

    @property
    def subnet_id(self) -> str:
        """The subnet it stays in."""

    @property
    def mac(self) -> str:
        """The MAC address (``0a:1b:2c:3d:4e:5f``, locally administered)."""

    @property
    def private_ips(self) -> list[str]:
        """The private IPv4 addresses, primary first."""

    @property
    def primary_ip(self) -> str | None:
        """The primary private IPv4 address."""

    @property
    def security_groups(self) -> list[str]:
        """The security group ids."""

    @property
    def source_dest_check(self) -> bool:
        """Whether the source/destination check is on (the default)."""

    @property
    def status(self) -> str:
        """``"in-use"`` or ``"available"``."""

    @property
    def instance_id(self) -> str | None:
        """The instance it is attached to."""

    @property
    def device_index(self) -> int | None:
        """The attachment's device index; 0 is the primary interface."""

    @property
    def delete_on_termination(self) -> bool | None:
        """Whether terminating the instance deletes it; ``None`` when not attached."""

    @property
    def tracking_timeouts(self) -> tuple[int, int, int]:
        """Idle timeouts in seconds: ``(tcp_established, udp_stream, udp)``."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Subnet:
    """A subnet (a snapshot)."""

    @property
    def id(self) -> str:
        """The subnet id (``subnet-...``)."""

    @property
    def cidr(self) -> str:
        """The block."""

    @property
    def zone(self) -> str:
        """The availability zone."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Flow:
    """One tracked flow (a snapshot)."""

    @property
    def eni_id(self) -> str:
        """The interface it crosses."""

    @property
    def protocol(self) -> str | int:
        """``"tcp"``, ``"udp"``, ``"icmp"`` or another protocol's number."""

    @property
    def local(self) -> tuple[str, int]:
        """The interface's address and port."""

    @property
    def remote(self) -> tuple[str, int]:
        """The peer's address and port."""

    @property
    def initiator(self) -> str:
        """``"inbound"`` or ``"outbound"``: the direction of the packet that opened it."""

    @property
    def expires_s(self) -> float:
        """When it dies unless a packet refreshes it, in seconds."""

    @property
    def is_stream(self) -> bool:
        """Whether it is a UDP stream (two or more request-response transactions), kept by the
        longer ``udp_stream`` timeout."""

    def __eq__(self, value: object, /) -> bool: ...

@final
class Network:
    """One VPC: subnets, network interfaces, security groups and stateful packet filtering
    (SEMANTICS §6).

    Holds ``SUBNETS`` subnets, ``INTERFACES`` interfaces of up to ``ADDRESSES`` private
    addresses each, ``SECURITY_GROUPS`` security groups of up to ``RULES`` rules per direction,
    and ``FLOWS`` tracked flows (the class attributes); a full table raises ``NetworkError``
    1836, a full flow table denies new flows (``Verdict.reason == "table-full"``). Ids and MAC addresses come from ``seed``.
    Every refused call changes nothing.

    Security groups only allow; all rules of all an interface's groups are pooled and
    anything no rule allows is denied. A new group allows no inbound and all outbound
    traffic; the ``default`` group allows inbound traffic from itself and all outbound, and
    an interface created without groups gets it. Outbound TCP to port 25 is blocked until
    ``port25_open`` is set. Allowed flows are tracked, so their return traffic passes whatever
    the rules say, until the interface's idle timeout.

    Args:
        cidr: the VPC's block, /16 to /28 (``NetworkError`` 1818).
        seed: seeds the ids.
        groups_per_eni: quota of groups per interface, 1-16.
        rules_per_group: quota of rules per group and direction; ``groups_per_eni *
            rules_per_group`` at most 1000 (``NetworkError`` 1807).
    """

    SUBNETS: Final[int]
    """Subnets a network holds (16)."""
    INTERFACES: Final[int]
    """Network interfaces a network holds, attached or available (256)."""
    ADDRESSES: Final[int]
    """Private IPv4 addresses an interface holds (32; an attached one also obeys its type)."""
    SECURITY_GROUPS: Final[int]
    """Security groups a network holds, the default group included (64)."""
    RULES: Final[int]
    """Rules a group stores per direction (64; ``rules_per_group`` above it fills at 64)."""
    FLOWS: Final[int]
    """Flows the connection tracking table holds (4096)."""

    def __new__(
        cls,
        cidr: str = "10.0.0.0/16",
        *,
        seed: int = 0,
        groups_per_eni: int = 5,
        rules_per_group: int = 60,
    ) -> Network: ...
    @property
    def vpc_id(self) -> str:
        """The VPC id."""

    @property
    def cidr(self) -> str:
        """The VPC's block."""

    @property
    def quotas(self) -> tuple[int, int]:
        """``(groups_per_eni, rules_per_group)``."""

    @property
    def default_security_group(self) -> str:
        """The ``default`` group's id."""

    @property
    def port25_open(self) -> bool:
        """Whether outbound TCP to port 25 goes to the rules (settable; EC2 blocks it)."""

    @port25_open.setter
    def port25_open(self, value: bool) -> None: ...
    def create_subnet(self, cidr: str, zone: str) -> str:
        """``CreateSubnet`` inside the VPC's block; returns its id. ``NetworkError`` 1816
        outside the VPC, 1817 overlapping, 1818 size, 1819 bad zone."""

    def subnets(self) -> list[Subnet]:
        """The subnets, in creation order."""

    def create_security_group(self, name: str) -> str:
        """``CreateSecurityGroup``; returns its id. ``NetworkError`` 1809 bad name, 1810
        taken."""

    def delete_security_group(self, group_id: str) -> None:
        """``DeleteSecurityGroup``. ``NetworkError`` 1811 for the default group, 1812 while an
        interface carries it or a rule names it, 1808 unknown."""

    def security_group(self, group_id: str) -> SecurityGroup:
        """The group with this id (``NetworkError`` 1808 otherwise)."""

    def security_groups(self) -> list[SecurityGroup]:
        """The groups, the default group first."""

    def authorize(
        self, group_id: str, rule: Rule, *, direction: Literal["inbound", "outbound"] = "inbound"
    ) -> None:
        """``AuthorizeSecurityGroupIngress``/``Egress``: adds a rule, at once for new flows.
        ``NetworkError`` 1803 duplicate, 1805 quota, 1808 unknown group (or peer group)."""

    def revoke(
        self, group_id: str, rule: Rule, *, direction: Literal["inbound", "outbound"] = "inbound"
    ) -> None:
        """``RevokeSecurityGroupIngress``/``Egress``: removes a rule; tracked flows live on
        until their timeout. ``NetworkError`` 1804 if the group has no such rule."""

    def create_network_interface(
        self, subnet_id: str, *, private_ip: str | None = None, groups: Sequence[str] = ...
    ) -> str:
        """``CreateNetworkInterface``: ``private_ip`` or the lowest free address (the first four
        and the last of the subnet are reserved), ``groups`` or the default group. Returns
        its id. ``NetworkError`` 1821-1824 for the address, 1806/1808/1813 for the groups."""

    def delete_network_interface(self, eni: str) -> None:
        """``DeleteNetworkInterface``; ``NetworkError`` 1828 while attached."""

    def network_interface(self, eni: str) -> NetworkInterface:
        """The interface with this id (``NetworkError`` 1820 otherwise)."""

    def network_interfaces(self, instance_id: str | None = None) -> list[NetworkInterface]:
        """Every interface in creation order, or those attached to ``instance_id``."""

    def interface_metadata(self, eni: str) -> InterfaceMetadata:
        """The interface as its instance's metadata shows it, for ``Imds(interfaces=[...])``:
        MAC, device number (0 when not attached), id, addresses, subnet, VPC and groups (ids
        and names)."""

    def assign_private_ip(self, eni: str, ip: str | None = None) -> str:
        """Adds a secondary address (``ip`` or the lowest free); returns it. ``NetworkError``
        1825 at the instance type's limit."""

    def unassign_private_ip(self, eni: str, ip: str) -> None:
        """Removes a secondary address; ``NetworkError`` 1826 for the primary, 1827 if not
        held."""

    def set_security_groups(self, eni: str, groups: Sequence[str]) -> None:
        """Replaces the interface's groups; ``NetworkError`` 1814 for none, 1806 over the
        quota."""

    def set_source_dest_check(self, eni: str, on: bool) -> None:
        """Turns the source/destination check on or off."""

    def set_tracking_timeouts(
        self,
        eni: str,
        *,
        tcp_established_s: int = 432000,
        udp_stream_s: int = 180,
        udp_s: int = 30,
    ) -> None:
        """Sets the idle timeouts (60-432000, 60-180, 30-60 s; ``NetworkError`` 1838)."""

    def launch(
        self,
        instance_id: str,
        instance_type: str | InstanceType,
        subnet_id: str,
        *,
        private_ip: str | None = None,
        groups: Sequence[str] = ...,
    ) -> str:
        """Creates and attaches the primary interface (device index 0, deleted on
        termination) of a new instance; returns its id. The type's limits hold from then on.
        ``NetworkError`` 1835 if the instance already has one."""

    def launch_with_interface(
        self,
        instance_id: str,
        instance_type: str | InstanceType,
        eni: str,
        *,
        delete_on_termination: bool = False,
    ) -> None:
        """Launches an instance with an available interface as its primary."""

    def attach(
        self, instance_id: str, eni: str, device_index: int, *, delete_on_termination: bool = False
    ) -> None:
        """``AttachNetworkInterface`` at a free index other than 0. ``NetworkError`` 1828 in
        use, 1831 other zone, 1832 over the type's limit, 1833 index taken, 1834 unknown
        instance."""

    def detach(self, eni: str) -> None:
        """``DetachNetworkInterface``; ``NetworkError`` 1830 for the primary, 1829 if not
        attached."""

    def set_delete_on_termination(self, eni: str, delete: bool) -> None:
        """Sets the attachment's ``DeleteOnTermination``."""

    def terminate(self, instance_id: str) -> tuple[int, int]:
        """The instance terminated: deletes its interfaces with ``DeleteOnTermination`` and
        detaches the others; returns ``(deleted, detached)``."""

    def evaluate(
        self,
        now_s: float,
        eni: str,
        packet: Packet,
        *,
        direction: Literal["inbound", "outbound"] = "inbound",
    ) -> Verdict:
        """Filters ``packet`` crossing ``eni`` at ``now_s``, with connection tracking: a live
        flow passes it (and is refreshed), a packet a rule allows opens a flow unless it is
        untracked. A dropped packet is a ``Verdict``, not an error. ``NetworkError`` 1820 for
        an unknown interface."""

    def check_rules(
        self, eni: str, packet: Packet, *, direction: Literal["inbound", "outbound"] = "inbound"
    ) -> Verdict:
        """What the rules alone say about ``packet``, ignoring tracked flows; changes
        nothing."""

    def flows(self) -> list[Flow]:
        """The tracked flows (live, or expired and not yet removed)."""

    def expire_flows(self, now_s: float) -> int:
        """Removes the flows expired by ``now_s``; returns how many."""
