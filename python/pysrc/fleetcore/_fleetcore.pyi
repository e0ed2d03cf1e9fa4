"""The compiled core of fleetcore: EC2 instance lifecycle and billing.

Times are seconds since an epoch you choose, as ``int`` or ``float``. Each is converted once to
whole milliseconds: ints exactly, floats to the nearest millisecond with halves rounded away
from zero (``0.0005`` is 1 ms). Negative, NaN, infinite and out-of-range times raise
``ValueError``; ``bool`` raises ``TypeError``. Times returned (deadlines, billed usage) are whole
milliseconds divided by 1000, so passing one back gives the same millisecond.

Every error carries ``.code``, the stable number the C ABI returns for the same failure, and
``.kind``, the core's coarse class (``"invalid state"``, ``"not found"``, ``"malformed"`` ...).
A failed call changes nothing.
"""

from typing import Final, final

__all__ = [
    "CAPACITY",
    "CatalogError",
    "Fleet",
    "IdError",
    "InstanceState",
    "LifecycleError",
    "StateChange",
    "__version__",
    "parse_instance_id",
]

__version__: Final[str]
CAPACITY: Final[int]
"""How many instances a ``Fleet`` holds, including terminated ones within their visible hour."""

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
