"""fleetcore: EC2 instance lifecycle and billing, decided by a deterministic Rust core.

Times are seconds (``int`` or ``float``) since an epoch you choose. Each is converted once to
whole milliseconds, to the nearest millisecond; ints are exact. Everything is re-exported from
the compiled module ``fleetcore._fleetcore``; see ``_fleetcore.pyi`` for the documentation.
"""

from fleetcore._fleetcore import (
    CAPACITY,
    CatalogError,
    Fleet,
    IdError,
    InstanceState,
    LifecycleError,
    StateChange,
    __version__,
    parse_instance_id,
)

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
