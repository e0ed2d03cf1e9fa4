"""fleetcore: EC2 and EC2 Auto Scaling behaviour, decided by a deterministic Rust core.

Times are seconds (``int`` or ``float``) since an epoch you choose. Each is converted once to
whole milliseconds, to the nearest millisecond; ints are exact. Metric values, thresholds and
loads are converted once to thousandths, to the nearest. Everything compiled is re-exported
from ``fleetcore._fleetcore``; see ``_fleetcore.pyi`` for its documentation.

- ``Fleet``: EC2 instances and their billing.
- ``Group``: an Auto Scaling group with its metrics, alarms and scaling policies, and its
  purchasing: prices, a mixed On-Demand/Spot policy, reservations and the cost (``Spend``).
- ``load_config`` / ``check_config``: a controller's JSON configuration, read by the core's
  own parser (``ConfigError`` says which field, byte, line and column).
- ``simulate``: a whole scenario (a controller document's group over a load trace) run
  inside Rust; its result plots itself (``SimulationResult.plot``, ``fleetcore.plot.compare``).
  The document is the one firmware flashes: one format, read by the core's one parser.
- ``sweep``: every combination of a grid over a document's fields, over several traces, in
  local processes or on a Dask cluster; a DataFrame and the cost/SLO Pareto front.
- ``fleetcore.trace``: load traces from CSV (NAB, ISO-8601, epoch), CloudWatch and Prometheus
  JSON, pandas and numpy, with a stated policy for gaps and missing values.
- ``forecast``: predictive scaling's forecast of an hourly history.
- ``Catalog``, ``InstanceType``, ``Image``: instance types, images and launch templates.
- ``Imds``: the instance metadata service of one instance (``IMDSv2`` tokens included).
- ``Network``: subnets, network interfaces, security groups and stateful packet filtering.
- ``fleetcore.hpa``: the Kubernetes HPA algorithm.
- ``python -m fleetcore simulate CONFIG TRACE``: the scenario runner from a shell.
"""

from fleetcore import hpa, plot, trace
from fleetcore._fleetcore import (
    CAPACITY,
    GROUP_CAPACITY,
    Action,
    Activity,
    Catalog,
    ArgumentError,
    CatalogError,
    ConfigError,
    Fleet,
    Flow,
    Group,
    GroupError,
    IdError,
    Image,
    Imds,
    ImdsError,
    InstanceRefresh,
    InstanceState,
    InstanceType,
    InterfaceMetadata,
    LaunchTemplate,
    LaunchTemplateVersion,
    LifecycleError,
    Member,
    Network,
    NetworkError,
    NetworkInterface,
    Packet,
    PurchaseError,
    Rule,
    ScalingError,
    SecurityGroup,
    SnapshotError,
    Spend,
    StateChange,
    Subnet,
    Verdict,
    __version__,
    check_config,
    forecast,
    parse_instance_id,
)
from fleetcore._document import load_config
from fleetcore._sim import LoggedAction, SimulationResult, Totals, simulate
from fleetcore._sweep import Sweep, sweep
from fleetcore.trace import Trace, TraceError

__all__ = [
    "CAPACITY",
    "GROUP_CAPACITY",
    "Action",
    "Activity",
    "Catalog",
    "ArgumentError",
    "CatalogError",
    "ConfigError",
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
    "LoggedAction",
    "Member",
    "Network",
    "NetworkError",
    "NetworkInterface",
    "Packet",
    "PurchaseError",
    "Rule",
    "ScalingError",
    "SecurityGroup",
    "SimulationResult",
    "SnapshotError",
    "Spend",
    "StateChange",
    "Subnet",
    "Totals",
    "Trace",
    "TraceError",
    "Verdict",
    "__version__",
    "check_config",
    "forecast",
    "hpa",
    "load_config",
    "parse_instance_id",
    "plot",
    "simulate",
    "sweep",
    "Sweep",
    "trace",
]
