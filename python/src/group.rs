//! `Group`: the core's Auto Scaling group with its metrics, alarms and policies, plus the small
//! value classes its methods return (`Action`, `Member`).

use fleetcore::group::{
    self, Event, GroupConfig, Health, HealthSource, HookResult, HookTransition, LifecycleHook,
    PoolState, Process, RefreshPreferences, ScalingPolicy, ScheduledAction, Source,
    TemplateVersions, TerminationPolicy, WarmPool,
};
use fleetcore::id::{InstanceId, TemplateId};
use fleetcore::lifecycle::InstanceState;
use fleetcore::scaling::cron::Cron;
use fleetcore::scaling::predictive::{MaxBreach, Mode, PredictiveConfig};
use fleetcore::scaling::target::TargetTracking;
use fleetcore::scaling::tz::TimeZone;
use fleetcore::scaling::{
    AdjustmentType, Aggregation, AlarmConfig, Comparison, MAX_STEPS, MissingData, Statistic,
    StepAdjustment,
};
use std::fmt::Write as _;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyString};

use crate::errors::{IntoPyResult, group_error, value_error};
use crate::hpa::Behavior;
use crate::id;
use crate::purchase::{
    self, DistributionArgs, Micros, OverrideArg, ReservationArgs, Spend, market_name, signal_name,
    type_name,
};
use crate::time::{Seconds, to_seconds};
use crate::value::Milli;

/// How many members one Python `Group` holds (its `MaxSize` may not exceed it).
pub const GROUP_CAPACITY: usize = 1024;
/// Activities the group remembers.
pub const HISTORY: usize = 64;
/// Scheduled actions the group holds (the service quota).
pub const SCHEDULED: usize = group::MAX_SCHEDULED;

/// The core group every Python `Group` wraps.
pub type CoreGroup = group::Group<GROUP_CAPACITY, fleetcore::group::AllParts<HISTORY, SCHEDULED>>;

/// The one launch template of a Python group (`lt-` and the number 1).
pub fn template_id() -> TemplateId {
    TemplateId::from_u64(1)
}

/// The word a Python caller sees for an action's kind: the core's `ActionKind` spelling, with a
/// hibernating stop as `"hibernate"`.
pub fn action_kind(a: &group::Action) -> &'static str {
    match a {
        group::Action::Stop {
            hibernate: true, ..
        } => "hibernate",
        _ => a.kind().as_str(),
    }
}

/// The instance an action is about.
pub fn action_id(a: &group::Action) -> Option<InstanceId> {
    match *a {
        group::Action::Launch { id, .. }
        | group::Action::Terminate { id }
        | group::Action::Start { id }
        | group::Action::Stop { id, .. }
        | group::Action::NotifyHook { id, .. } => Some(id),
        _ => None,
    }
}

/// One action ``Group.tick`` asks the caller to perform; report the outcome later with
/// ``Group.booted``, ``Group.terminated`` ... ``str()`` gives the core's text, such as
/// ``"launch i-... in zone 0 from lt-... version 1"``.
#[pyclass(frozen, eq, get_all, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// What to do.
    kind: &'static str,
    /// The instance (for a launch, the id the new instance takes).
    id: String,
    /// The zone to launch into (launches only).
    zone: Option<String>,
    /// The launch template (launches only).
    template: Option<String>,
    /// The resolved template version (launches only).
    version: Option<u32>,
    /// The lifecycle hook's index (``notify_hook`` only).
    hook: Option<u8>,
    /// The paused transition, ``"launching"`` or ``"terminating"`` (``notify_hook`` only;
    /// the canonical names, which ``put_lifecycle_hook`` takes beside the
    /// ``autoscaling:EC2_INSTANCE_*`` ones).
    transition: Option<&'static str>,
    /// How to buy the instance (launches only; always ``"on-demand"`` without a
    /// mixed-instances policy).
    market: Option<&'static str>,
    /// The instance type to launch, by name (launches of a group with a price table
    /// only; without a mixed-instances policy, the table's first type).
    instance_type: Option<String>,
    /// The core's description of the action, as ``str()`` gives it.
    text: String,
}

impl Action {
    fn new(a: &group::Action, group: &CoreGroup) -> Self {
        let mut out = Self {
            kind: action_kind(a),
            id: action_id(a).map(|i| i.to_string()).unwrap_or_default(),
            zone: None,
            template: None,
            version: None,
            hook: None,
            transition: None,
            market: None,
            instance_type: None,
            text: a.to_string(),
        };
        match *a {
            group::Action::Launch {
                zone,
                template,
                version,
                market,
                instance_type,
                ..
            } => {
                let zones = &group.config().zones;
                out.zone = zones.get(usize::from(zone)).map(ToString::to_string);
                out.template = Some(template.to_string());
                out.version = Some(version);
                out.market = Some(market_name(market));
                out.instance_type = type_name(group, instance_type);
            }
            group::Action::NotifyHook {
                hook, transition, ..
            } => {
                out.hook = Some(hook);
                out.transition = Some(transition.as_str());
            }
            _ => {}
        }
        out
    }
}

#[pymethods]
impl Action {
    fn __repr__(&self) -> String {
        let mut s = format!("Action(kind={:?}, id={:?}", self.kind, self.id);
        if let Some(z) = &self.zone {
            let _ = write!(s, ", zone={z:?}");
        }
        // Only a Spot launch shows its market (On-Demand is the default).
        let spot = market_name(fleetcore::purchase::MarketKind::Spot);
        if self.market == Some(spot) {
            let _ = write!(s, ", market={spot:?}");
        }
        if let Some(t) = &self.instance_type {
            let _ = write!(s, ", instance_type={t:?}");
        }
        if let Some(h) = self.hook {
            let _ = write!(s, ", hook={h}");
        }
        s.push(')');
        s
    }

    fn __str__(&self) -> &str {
        &self.text
    }
}

/// One member of a group, as it was when ``Group.members`` was read.
#[pyclass(frozen, eq, get_all, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The instance id.
    id: String,
    /// The zone name; ``None`` when its zone was removed from the group.
    zone: Option<String>,
    /// The ``LifecycleState``: ``Pending``, ``Pending:Wait``, ``InService``, ``Standby``,
    /// ``Terminating`` ...
    state: &'static str,
    /// The health status.
    health: &'static str,
    /// The EC2 state last reported, such as ``"running"``.
    ec2_state: &'static str,
    /// Protected from scale-in.
    protected: bool,
    /// When it was launched, in seconds.
    launched_at_s: f64,
    /// When it last entered service, in seconds.
    in_service_at_s: Option<f64>,
    /// How it was bought (attached members count as On-Demand).
    market: &'static str,
    /// Its instance type in the price table, by name; ``None`` before ``set_prices``.
    instance_type: Option<String>,
    /// Units of capacity it counts for (its override's weight; 1 without weights).
    weight: u16,
    /// The newest Spot signal EC2 gave it; a notice outranks a recommendation.
    spot_signal: Option<&'static str>,
    /// The member it was launched to replace (Capacity Rebalancing), while that one is
    /// still in the group.
    replaces: Option<String>,
    /// The launch template version it was launched from (``None`` for an attached
    /// instance); ``OldestLaunchTemplate`` terminates the lowest first.
    version: Option<u32>,
}

/// One scaling activity of ``Group.activities`` (``DescribeScalingActivities``).
#[pyclass(frozen, eq, get_all, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// Its number, from 1, unique within the group.
    seq: u32,
    /// The ``Description``, such as ``"Launching a new EC2 instance: i-0123..."``.
    description: String,
    /// The ``Cause``, in the service's words.
    cause: String,
    /// The ``StatusCode``: ``PreInService``, ``InProgress``, ``MidLifecycleAction``,
    /// ``Successful``, ``Failed`` or ``Cancelled``.
    status: &'static str,
    /// The instance it concerns, if any.
    instance: Option<String>,
    /// When it started, in seconds.
    start_s: f64,
    /// When it ended, in seconds (``None`` while it runs).
    end_s: Option<f64>,
}

#[pymethods]
impl Activity {
    fn __repr__(&self) -> String {
        format!(
            "Activity(seq={}, status={:?}, description={:?})",
            self.seq, self.status, self.description
        )
    }
}

/// The group's current or last instance refresh (``DescribeInstanceRefreshes``).
#[pyclass(frozen, eq, get_all, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRefresh {
    /// Its number, from 1.
    id: u32,
    /// ``InProgress``, ``Paused`` (at a checkpoint), ``Successful``, ``Failed`` or
    /// ``Cancelled``.
    status: &'static str,
    /// ``PercentageComplete``.
    percentage_complete: u32,
    /// Members it had to replace when it started.
    to_replace: u32,
    /// Members it has replaced.
    replaced: u32,
    /// Checkpoints passed.
    checkpoints_done: u8,
    /// When it started, in seconds.
    started_s: f64,
    /// When it ended, in seconds.
    ended_s: Option<f64>,
    /// The version it moves to (``"$Default"``, ``"$Latest"`` or a number as text), or
    /// ``None`` to replace with the group's own.
    desired_version: Option<String>,
    /// ``MinHealthyPercentage``.
    min_healthy_percentage: u32,
    /// ``MaxHealthyPercentage``.
    max_healthy_percentage: u32,
    /// ``SkipMatching``.
    skip_matching: bool,
}

#[pymethods]
impl InstanceRefresh {
    fn __repr__(&self) -> String {
        format!(
            "InstanceRefresh(id={}, status={:?}, percentage_complete={})",
            self.id, self.status, self.percentage_complete
        )
    }
}

#[pymethods]
impl Member {
    fn __repr__(&self) -> String {
        format!(
            "Member(id={:?}, zone={:?}, state={:?}, health={:?})",
            self.id,
            self.zone.as_deref().unwrap_or("-"),
            self.state,
            self.health
        )
    }
}

/// `text` with `&`, `<`, `>` and `"` escaped for HTML.
fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A metric named by index or by name.
pub enum MetricRef {
    /// The index `put_metric` returned.
    Index(u8),
    /// The name given to `put_metric`.
    Name(String),
}

impl FromPyObject<'_, '_> for MetricRef {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyString>() {
            return Ok(Self::Name(obj.extract()?));
        }
        if obj.is_instance_of::<PyBool>() {
            return Err(value_error("metric must be an index or a name, not a bool"));
        }
        let i: crate::errors::Int = obj.extract()?;
        // Out-of-range indices (of any size) become an unknown metric in the core (code 1127).
        Ok(Self::Index(i.fits::<u8>().unwrap_or(u8::MAX)))
    }
}

/// The `hpa=` argument of a target-tracking policy: `None`/`False`, `True` or a `Behavior`.
pub enum HpaArg {
    /// Alarm-based target tracking.
    Off,
    /// The HPA with the upstream defaults and no `behavior` block.
    Defaults,
    /// The HPA with a behaviour.
    With(Box<fleetcore::scaling::hpa::Behavior>),
}

impl FromPyObject<'_, '_> for HpaArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            return Ok(Self::Off);
        }
        if obj.is_instance_of::<PyBool>() {
            return Ok(if obj.extract::<bool>()? {
                Self::Defaults
            } else {
                Self::Off
            });
        }
        match obj.cast::<Behavior>() {
            // A group keeps at most 4 rate policies per direction.
            Ok(b) => b
                .get()
                .inner
                .resize()
                .map(|b| Self::With(Box::new(b)))
                .map_err(|e| crate::errors::to_py_err(obj.py(), &e)),
            Err(_) => Err(value_error(
                "hpa must be None, True or a fleetcore.hpa.Behavior",
            )),
        }
    }
}

/// An Auto Scaling group of up to ``GROUP_CAPACITY`` members, decided by the core.
///
/// The group is sans-IO: ``tick(now_s)`` returns the ``Action`` objects to perform (launch,
/// terminate ...); report what the world did with ``booted``, ``terminated``,
/// ``launch_failed`` ...; ``next_deadline()`` says when ``tick`` next has work. Metrics,
/// alarms and scaling policies run inside ``tick``. Every launch uses the group's launch
/// template (``launch_template``) at ``launch_template_version``, resolved at each launch
/// from what ``set_template_versions`` or ``sync_template`` last said (SEMANTICS §7). The
/// same seed and calls give the same ids and actions.
///
/// Instance refresh (``start_instance_refresh``), the warm pool (``put_warm_pool``) and the
/// activity history (``activities``) are the service's (SEMANTICS §2.9, §2.10).
///
/// Purchasing (SEMANTICS §4): ``set_prices`` gives the group a price table and a cost ledger
/// (``settle``, ``spend`` and ``reserve``); ``set_mixed_instances`` then splits launches
/// between On-Demand and Spot over weighted instance types, and ``spot_interruption`` /
/// ``rebalance_recommendation`` report EC2's Spot signals. Sizes are then in units.
///
/// Args:
///     min_size, max_size: ``MinSize`` and ``MaxSize`` (at most ``GROUP_CAPACITY``).
///     desired_capacity: ``DesiredCapacity``; ``None`` starts at ``min_size``.
///     zones: zone names in order (launch ties go to the first); default ``["a"]``.
///     seed: seeds member ids and the random tie-breaks.
///     default_cooldown_s: ``DefaultCooldown`` (default 300 s).
///     default_instance_warmup_s: ``DefaultInstanceWarmup`` (unset by default; at most
///         3600 s).
///     health_check_grace_period_s: ``HealthCheckGracePeriod`` (default 0 s).
///     termination_policies: ``TerminationPolicies`` such as ``["OldestInstance",
///         "Default"]`` (default ``["Default"]``; ``Default`` must be last).
///     new_instances_protected_from_scale_in: ``NewInstancesProtectedFromScaleIn``.
///     max_instance_lifetime_s: ``MaxInstanceLifetime`` (at least 86 400 s when set).
///     launch_template: the ``LaunchTemplateId`` (``lt-...``; default ``lt-`` and the number
///         1), such as a ``Catalog`` template.
///     launch_template_version: ``"$Default"`` (default), ``"$Latest"`` or a number.
///
/// Raises ``GroupError`` for sizes out of range (1100, 1101, 1110), bad zones (1116) or
/// termination policies (1117), ``ValueError`` for an unknown termination policy name,
/// ``IdError`` for a malformed ``launch_template`` and ``CatalogError`` (1413) for a bad
/// version.
#[pyclass(module = "fleetcore")]
pub struct Group {
    pub(crate) inner: Box<CoreGroup>,
}

impl Group {
    pub(crate) fn metric_index(&self, py: Python<'_>, m: &MetricRef) -> PyResult<u8> {
        match m {
            MetricRef::Index(i) => Ok(*i),
            MetricRef::Name(n) => self.inner.metric_index(n).ok_or_else(|| {
                group_error(
                    py,
                    1127,
                    "not found",
                    format!("the group has no metric named {n:?}"),
                )
            }),
        }
    }

    fn ids(py: Python<'_>, ids: &[String]) -> PyResult<Vec<InstanceId>> {
        ids.iter().map(|t| id::parse(py, t)).collect()
    }

    fn observe(&mut self, py: Python<'_>, now_s: Seconds, event: Event) -> PyResult<()> {
        self.inner.observe(now_s.instant(), event).py_err(py)
    }

    /// Moves a core group into a new box without a large temporary on the caller's stack.
    pub fn boxed(group: CoreGroup) -> Box<CoreGroup> {
        Box::new(group)
    }
}

#[pymethods]
impl Group {
    #[new]
    #[pyo3(signature = (
        min_size, max_size, desired_capacity = None, *, zones = None, seed = 0,
        default_cooldown_s = None, default_instance_warmup_s = None,
        health_check_grace_period_s = None, termination_policies = None,
        new_instances_protected_from_scale_in = false, max_instance_lifetime_s = None,
        launch_template = None, launch_template_version = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python class.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts sequences into owned values.
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::min_size_u32)] min_size: u32,
        #[pyo3(from_py_with = crate::args::max_size_u32)] max_size: u32,
        #[pyo3(from_py_with = crate::args::opt_desired_capacity_u32)] desired_capacity: Option<u32>,
        zones: Option<Vec<String>>,
        #[pyo3(from_py_with = crate::args::seed_u64)] seed: u64,
        default_cooldown_s: Option<Seconds>,
        default_instance_warmup_s: Option<Seconds>,
        health_check_grace_period_s: Option<Seconds>,
        termination_policies: Option<Vec<String>>,
        new_instances_protected_from_scale_in: bool,
        max_instance_lifetime_s: Option<Seconds>,
        launch_template: Option<&str>,
        launch_template_version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let zones = zones.unwrap_or_else(|| vec!["a".to_owned()]);
        let first = zones.first().map_or("", String::as_str);
        let template = match launch_template {
            Some(text) => TemplateId::parse(text).py_err(py)?,
            None => template_id(),
        };
        let mut c = GroupConfig::new(min_size, max_size, template, first).py_err(py)?;
        c.version = crate::catalog::version_spec(py, launch_template_version)?;
        for z in zones.iter().skip(1) {
            c.add_zone(z).py_err(py)?;
        }
        c.desired_capacity = desired_capacity;
        if let Some(s) = default_cooldown_s {
            c.default_cooldown = s.duration();
        }
        c.default_instance_warmup = default_instance_warmup_s.map(Seconds::duration);
        if let Some(s) = health_check_grace_period_s {
            c.health_check_grace_period = s.duration();
        }
        if let Some(list) = termination_policies {
            c.termination_policies.clear();
            for name in &list {
                let p = parse_termination_policy(name)?;
                c.termination_policies.push(p).map_err(|_| {
                    group_error(
                        py,
                        1117,
                        "invalid argument",
                        "too many termination policies",
                    )
                })?;
            }
        }
        c.new_instances_protected_from_scale_in = new_instances_protected_from_scale_in;
        c.max_instance_lifetime = max_instance_lifetime_s.map(Seconds::duration);
        let group = CoreGroup::new(c, seed).py_err(py)?;
        Ok(Self {
            inner: Self::boxed(group),
        })
    }

    /// ``DesiredCapacity``.
    #[getter]
    fn desired(&self) -> u32 {
        self.inner.desired()
    }

    /// ``MinSize``.
    #[getter]
    fn min_size(&self) -> u32 {
        self.inner.min_size()
    }

    /// ``MaxSize``.
    #[getter]
    fn max_size(&self) -> u32 {
        self.inner.max_size()
    }

    /// Units launching or in service (what launches and terminations aim at desired). A
    /// member counts its weight, 1 without weights; a Spot member whose Capacity
    /// Rebalancing replacement is on its way no longer counts.
    #[getter]
    fn capacity(&self) -> u32 {
        self.inner.capacity()
    }

    /// Members in service.
    #[getter]
    fn in_service(&self) -> u32 {
        self.inner.in_service()
    }

    /// Units in service (each member in service counts its weight).
    #[getter]
    fn in_service_units(&self) -> u32 {
        self.inner.in_service_units()
    }

    /// The zone names, in order.
    #[getter]
    fn zones(&self) -> Vec<String> {
        self.inner
            .config()
            .zones
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The members, in launch order.
    #[getter]
    fn members(&self) -> Vec<Member> {
        let zones = &self.inner.config().zones;
        self.inner
            .members()
            .iter()
            .enumerate()
            .map(|(i, m)| Member {
                id: m.id().to_string(),
                zone: zones.get(usize::from(m.zone())).map(ToString::to_string),
                state: m.state().as_str(),
                health: m.health().as_str(),
                ec2_state: m.ec2_state().name(),
                protected: m.is_protected(),
                launched_at_s: to_seconds(m.launched_at().total_millis()),
                in_service_at_s: m.in_service_at().map(|t| to_seconds(t.total_millis())),
                market: market_name(m.market()),
                instance_type: type_name(&self.inner, m.instance_type()),
                weight: m.weight(),
                spot_signal: signal_name(m.spot_signal()),
                replaces: self.inner.member_replaces(i).map(|r| r.to_string()),
                version: m.launch_template_version(),
            })
            .collect()
    }

    fn __len__(&self) -> usize {
        self.inner.members().len()
    }

    /// An HTML summary for Jupyter: the sizes, then one row per member (id, zone, state,
    /// health, market, instance type).
    fn _repr_html_(&self) -> String {
        let mut page = format!(
            "<div><b>Group</b>: desired {}, min {}, max {}, capacity {}, in service {}, \
             zones {}<table><tr><th>id</th><th>zone</th><th>state</th><th>health</th>\
             <th>market</th><th>type</th></tr>",
            self.inner.desired(),
            self.inner.min_size(),
            self.inner.max_size(),
            self.inner.capacity(),
            self.inner.in_service(),
            html_escape(&self.zones().join(", ")),
        );
        for m in self.members() {
            let _ = write!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html_escape(&m.id),
                html_escape(m.zone.as_deref().unwrap_or("-")),
                html_escape(m.state),
                html_escape(m.health),
                html_escape(m.market),
                html_escape(m.instance_type.as_deref().unwrap_or("-")),
            );
        }
        page.push_str("</table></div>");
        page
    }

    fn __repr__(&self) -> String {
        format!(
            "Group(desired={}, min_size={}, max_size={}, capacity={}, in_service={}, members={})",
            self.inner.desired(),
            self.inner.min_size(),
            self.inner.max_size(),
            self.inner.capacity(),
            self.inner.in_service(),
            self.inner.members().len()
        )
    }

    /// An independent copy of the group in its current state.
    fn copy(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }

    fn __copy__(&self) -> Self {
        self.copy()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.copy()
    }

    /// ``SetDesiredCapacity``; raises ``GroupError`` 1102/1103 outside [min, max] and 1104
    /// when ``honor_cooldown`` is set during a cooldown.
    #[pyo3(signature = (now_s, desired, honor_cooldown = false))]
    fn set_desired(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::desired_u32)] desired: u32,
        honor_cooldown: bool,
    ) -> PyResult<()> {
        self.inner
            .set_desired(now_s.instant(), desired, honor_cooldown)
            .py_err(py)
    }

    /// ``UpdateAutoScalingGroup`` for the sizes. Without ``desired_capacity``, a new min
    /// above desired raises it and a new max below desired lowers it. Raises ``GroupError``
    /// (1100, 1101, 1110); nothing changes on error.
    #[pyo3(signature = (*, min_size = None, max_size = None, desired_capacity = None))]
    fn update_size(
        &mut self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::opt_min_size_u32)] min_size: Option<u32>,
        #[pyo3(from_py_with = crate::args::opt_max_size_u32)] max_size: Option<u32>,
        #[pyo3(from_py_with = crate::args::opt_desired_capacity_u32)] desired_capacity: Option<u32>,
    ) -> PyResult<()> {
        self.inner
            .update_size(min_size, max_size, desired_capacity)
            .py_err(py)
    }

    /// Decides what is due at ``now_s`` (alarms and policies, hook timeouts, replacing
    /// unhealthy members, launches and terminations toward desired, zone rebalancing) and
    /// returns the actions, in order.
    fn tick(&mut self, now_s: Seconds) -> Vec<Action> {
        self.inner.decide(now_s.instant());
        let taken: Vec<group::Action> = self.inner.actions().collect();
        let group = &*self.inner;
        taken.iter().map(|a| Action::new(a, group)).collect()
    }

    /// The earliest time, in seconds, at which ``tick`` has work, or ``None``.
    fn next_deadline(&self) -> Option<f64> {
        self.inner
            .next_deadline()
            .map(|t| to_seconds(t.total_millis()))
    }

    /// The instance is running: a ``Pending`` member goes in service (or on to its
    /// launching hooks). Raises ``GroupError`` 1105 for an unknown member.
    fn booted(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<()> {
        let id = id::parse(py, id)?;
        self.observe(py, now_s, Event::Booted(id))
    }

    /// The launch failed; the member leaves and a replacement launches.
    fn launch_failed(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<()> {
        let id = id::parse(py, id)?;
        self.observe(py, now_s, Event::LaunchFailed(id))
    }

    /// The instance is terminated (after a ``terminate`` action, or unexpectedly).
    fn terminated(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<()> {
        let id = id::parse(py, id)?;
        self.observe(py, now_s, Event::Terminated(id))
    }

    /// EC2 reports another state (``"stopped"``, ``"shutting-down"`` ...): a member that
    /// is not running is unhealthy. Raises ``LifecycleError`` 1010 for an unknown name.
    fn ec2_state(&mut self, py: Python<'_>, now_s: Seconds, id: &str, state: &str) -> PyResult<()> {
        let id = id::parse(py, id)?;
        let state = InstanceState::from_name(state).py_err(py)?;
        self.observe(py, now_s, Event::Ec2State(id, state))
    }

    /// EC2's two-minute Spot interruption notice for a Spot member (``GroupError`` 1131
    /// for an On-Demand one). With ``capacity_rebalance`` the next ``tick`` launches a
    /// replacement at once; EC2 then terminates the member (report ``terminated``).
    fn spot_interruption(&mut self, py: Python<'_>, now_s: Seconds, id: &str) -> PyResult<()> {
        let id = id::parse(py, id)?;
        self.observe(py, now_s, Event::SpotInterruption(id))
    }

    /// EC2's rebalance recommendation for a Spot member (``GroupError`` 1131 for an
    /// On-Demand one). With ``capacity_rebalance`` the group launches a replacement into a
    /// pool no riskier, then terminates the member once the replacement is in service.
    fn rebalance_recommendation(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
    ) -> PyResult<()> {
        let id = id::parse(py, id)?;
        self.observe(py, now_s, Event::RebalanceRecommendation(id))
    }

    /// A health check failed (``source``: ``"custom"``, ``"ec2"`` or
    /// ``"load_balancer"``); ignored inside the grace period.
    #[pyo3(signature = (now_s, id, source = "custom"))]
    fn unhealthy(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
        source: &str,
    ) -> PyResult<()> {
        let id = id::parse(py, id)?;
        let source: HealthSource = crate::vocab::parse("source", source)?;
        self.observe(py, now_s, Event::Unhealthy(id, source))
    }

    /// ``SetInstanceHealth``.
    #[pyo3(signature = (now_s, id, healthy, respect_grace_period = true))]
    fn set_health(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
        healthy: bool,
        respect_grace_period: bool,
    ) -> PyResult<()> {
        let id = id::parse(py, id)?;
        let health = if healthy {
            Health::Healthy
        } else {
            Health::Unhealthy
        };
        self.inner
            .set_health(now_s.instant(), id, health, respect_grace_period)
            .py_err(py)
    }

    /// ``PutLifecycleHook`` for ``"launching"`` or ``"terminating"`` (or the service's
    /// ``autoscaling:EC2_INSTANCE_...`` names); returns its index. Heartbeat 30-7200 s
    /// (default 3600 s, else ``GroupError`` 1112); ``default_result`` ``"CONTINUE"`` or
    /// ``"ABANDON"``.
    #[pyo3(signature = (transition, *, heartbeat_timeout_s = None, default_result = "ABANDON"))]
    fn put_lifecycle_hook(
        &mut self,
        py: Python<'_>,
        transition: &str,
        heartbeat_timeout_s: Option<Seconds>,
        default_result: &str,
    ) -> PyResult<u8> {
        let mut hook = LifecycleHook::new(parse_transition(transition)?);
        if let Some(t) = heartbeat_timeout_s {
            hook.heartbeat_timeout = t.duration();
        }
        hook.default_result = parse_hook_result(default_result)?;
        self.inner.put_lifecycle_hook(hook).py_err(py)
    }

    /// ``CompleteLifecycleAction``; raises ``GroupError`` 1114 for an unknown hook and 1115
    /// when the member does not wait on it.
    #[pyo3(signature = (now_s, id, hook, result = "CONTINUE"))]
    fn complete_hook(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
        #[pyo3(from_py_with = crate::args::hook_u8)] hook: u8,
        result: &str,
    ) -> PyResult<()> {
        let id = id::parse(py, id)?;
        let result = parse_hook_result(result)?;
        self.observe(py, now_s, Event::HookCompleted(id, hook, result))
    }

    /// ``RecordLifecycleActionHeartbeat``: the hook's timeout starts again.
    fn hook_heartbeat(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        id: &str,
        #[pyo3(from_py_with = crate::args::hook_u8)] hook: u8,
    ) -> PyResult<()> {
        let id = id::parse(py, id)?;
        self.observe(py, now_s, Event::HookHeartbeat(id, hook))
    }

    /// ``EnterStandby`` for in-service members (``GroupError`` 1106 otherwise); with
    /// ``decrement`` desired falls by as many, else replacements launch.
    #[pyo3(signature = (now_s, ids, decrement = true))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn enter_standby(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        ids: Vec<String>,
        decrement: bool,
    ) -> PyResult<()> {
        let ids = Self::ids(py, &ids)?;
        self.inner
            .enter_standby(now_s.instant(), &ids, decrement)
            .py_err(py)
    }

    /// ``ExitStandby``: standby members return to service; desired rises by as many.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn exit_standby(&mut self, py: Python<'_>, now_s: Seconds, ids: Vec<String>) -> PyResult<()> {
        let ids = Self::ids(py, &ids)?;
        self.inner.exit_standby(now_s.instant(), &ids).py_err(py)
    }

    /// ``DetachInstances``: members leave the group (their instances keep running).
    #[pyo3(signature = (now_s, ids, decrement = true))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn detach(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        ids: Vec<String>,
        decrement: bool,
    ) -> PyResult<()> {
        let ids = Self::ids(py, &ids)?;
        self.inner
            .detach(now_s.instant(), &ids, decrement)
            .py_err(py)
    }

    /// ``SetInstanceProtection``: protected members are not chosen for scale-in.
    #[pyo3(signature = (ids, protected = true))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn set_protection(
        &mut self,
        py: Python<'_>,
        ids: Vec<String>,
        protected: bool,
    ) -> PyResult<()> {
        let ids = Self::ids(py, &ids)?;
        self.inner.set_protection(&ids, protected).py_err(py)
    }

    /// ``SuspendProcesses`` for one process: ``Launch``, ``Terminate``, ``HealthCheck``,
    /// ``ReplaceUnhealthy``, ``AZRebalance``, ``AlarmNotification``, ``ScheduledActions`` or
    /// ``InstanceRefresh``.
    fn suspend(&mut self, process: &str) -> PyResult<()> {
        self.inner.suspend(parse_process(process)?);
        Ok(())
    }

    /// ``ResumeProcesses`` for one process.
    fn resume(&mut self, process: &str) -> PyResult<()> {
        self.inner.resume(parse_process(process)?);
        Ok(())
    }

    /// Whether a process is suspended.
    fn is_suspended(&self, process: &str) -> PyResult<bool> {
        Ok(self.inner.is_suspended(parse_process(process)?))
    }

    /// Declares a metric the group keeps; returns its index (``period_s`` default 60 s).
    /// ``per_member``: each member
    /// reports its own value (CPU utilisation) and the group aggregates the members past
    /// their warm-up; else one value for the whole group (a queue length). Period 10, 20,
    /// 30 s or a multiple of 60 s (``ScalingError`` 1200). At most 4 metrics, 2 per-member
    /// (``GroupError`` 1128); names are unique (1129).
    #[pyo3(signature = (name, period_s = None, *, per_member = false))]
    fn put_metric(
        &mut self,
        py: Python<'_>,
        name: &str,
        period_s: Option<Seconds>,
        per_member: bool,
    ) -> PyResult<u8> {
        let period_s = period_s.unwrap_or(Seconds::from_secs(60));
        let source = if per_member {
            Source::Members
        } else {
            Source::Group
        };
        self.inner
            .put_metric(name, period_s.duration(), source)
            .py_err(py)
    }

    /// The metric names, by index.
    #[getter]
    fn metrics(&self) -> Vec<String> {
        self.inner
            .metrics()
            .iter()
            .map(|m| m.name().to_owned())
            .collect()
    }

    /// ``PutMetricData``: one sample taken at ``at_s``, from ``member`` for a per-member
    /// metric. Raises ``GroupError`` 1127 for an unknown metric, 1119 when ``member`` is
    /// missing for a per-member metric or given for a group metric, ``ScalingError`` 1202
    /// for a sample too old.
    #[pyo3(signature = (at_s, metric, value, member = None))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts `MetricRef` by value.
    fn record(
        &mut self,
        py: Python<'_>,
        at_s: Seconds,
        metric: MetricRef,
        value: Milli,
        member: Option<&str>,
    ) -> PyResult<()> {
        let metric = self.metric_index(py, &metric)?;
        let member = member.map(|t| id::parse(py, t)).transpose()?;
        self.inner
            .record(at_s.instant(), metric, member, value.0)
            .py_err(py)
    }

    /// The same sample from every member in service, in one pass; returns how many.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts `MetricRef` by value.
    fn record_in_service(
        &mut self,
        py: Python<'_>,
        at_s: Seconds,
        metric: MetricRef,
        value: Milli,
    ) -> PyResult<u32> {
        let metric = self.metric_index(py, &metric)?;
        self.inner
            .record_in_service(at_s.instant(), metric, value.0)
            .py_err(py)
    }

    /// ``PutMetricAlarm`` on ``metric`` running simple or step policy ``policy``; returns
    /// its index. It starts in ``INSUFFICIENT_DATA``. Every name argument takes the
    /// canonical spelling a document writes and the service's.
    ///
    /// Args:
    ///     comparison: ``">"``, ``">="``, ``"<"``, ``"<="``, the service's
    ///         ``GreaterThanThreshold`` ... names or the canonical ``greater_than`` ...
    ///     evaluation_periods: N; ``datapoints_to_alarm``: M (default N).
    ///     statistic: ``Average``, ``Sum``, ``Minimum``, ``Maximum`` or ``SampleCount``.
    ///     missing_data: ``missing``, ``ignore``, ``breaching`` or ``notBreaching``.
    ///
    /// Raises ``GroupError`` 1127 (metric), 1122 (policy; also a target-tracking one) or 1130
    /// (too many alarms), ``ScalingError`` 1201 for N and M, ``ValueError`` for unknown
    /// names.
    #[pyo3(signature = (
        now_s, metric, *, threshold, policy, comparison = ">", evaluation_periods = 1,
        datapoints_to_alarm = None, statistic = "Average", missing_data = "missing"
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts `MetricRef` by value.
    fn put_alarm(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        metric: MetricRef,
        threshold: Milli,
        #[pyo3(from_py_with = crate::args::policy_u8)] policy: u8,
        comparison: &str,
        #[pyo3(from_py_with = crate::args::evaluation_periods_u32)] evaluation_periods: u32,
        #[pyo3(from_py_with = crate::args::opt_datapoints_to_alarm_u32)]
        datapoints_to_alarm: Option<u32>,
        statistic: &str,
        missing_data: &str,
    ) -> PyResult<u8> {
        let metric = self.metric_index(py, &metric)?;
        let mut config = AlarmConfig::new(
            parse_comparison(comparison)?,
            threshold.0,
            evaluation_periods,
        );
        config.datapoints_to_alarm = datapoints_to_alarm;
        config.statistic = parse_statistic(statistic)?;
        config.missing_data = parse_missing_data(missing_data)?;
        self.inner
            .put_alarm(now_s.instant(), metric, config, policy)
            .py_err(py)
    }

    /// The states of the alarms ``put_alarm`` added, by index.
    #[getter]
    fn alarms(&self) -> Vec<&'static str> {
        self.inner
            .alarms()
            .iter()
            .map(|a| a.alarm.state().as_str())
            .collect()
    }

    /// The states of target-tracking policy ``policy``'s ``AlarmHigh`` and ``AlarmLow``,
    /// once the next ``tick`` has created them.
    fn tracking_alarms(
        &self,
        #[pyo3(from_py_with = crate::args::policy_u8)] policy: u8,
    ) -> Option<(&'static str, &'static str)> {
        self.inner
            .tracking_alarms(policy)
            .map(|(h, l)| (h.state().as_str(), l.state().as_str()))
    }

    /// ``PutScalingPolicy`` of type ``SimpleScaling``; returns its index.
    /// ``adjustment_type``: ``ChangeInCapacity``, ``ExactCapacity`` or
    /// ``PercentChangeInCapacity``; ``cooldown_s`` defaults to the group's. Raises
    /// ``ScalingError`` 1204 for an invalid adjustment, ``GroupError`` 1123 past 8
    /// policies.
    #[pyo3(signature = (
        adjustment, *, adjustment_type = "ChangeInCapacity", cooldown_s = None,
        min_adjustment_magnitude = None
    ))]
    fn put_simple_policy(
        &mut self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::adjustment_i32)] adjustment: i32,
        adjustment_type: &str,
        cooldown_s: Option<Seconds>,
        #[pyo3(from_py_with = crate::args::opt_min_adjustment_magnitude_u32)]
        min_adjustment_magnitude: Option<u32>,
    ) -> PyResult<u8> {
        let policy = ScalingPolicy::Simple {
            adjustment_type: parse_adjustment_type(adjustment_type)?,
            adjustment,
            cooldown: cooldown_s.map(Seconds::duration),
            min_adjustment_magnitude,
        };
        self.inner.put_scaling_policy(policy).py_err(py)
    }

    /// ``PutScalingPolicy`` of type ``StepScaling``; returns its index. ``steps`` are
    /// ``(lower, upper, adjustment)`` relative to the alarm threshold, ``None`` for an open
    /// end; ``aggregation`` (``Average``, ``Minimum``, ``Maximum``) combines the alarm's
    /// recent datapoints. Raises ``ScalingError`` 1205 for gaps, overlaps or more than 20
    /// steps.
    #[pyo3(signature = (
        steps, *, adjustment_type = "ChangeInCapacity", min_adjustment_magnitude = None,
        warmup_s = None, aggregation = "Average"
    ))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn put_step_policy(
        &mut self,
        py: Python<'_>,
        steps: Vec<(Option<Milli>, Option<Milli>, crate::errors::Int)>,
        adjustment_type: &str,
        #[pyo3(from_py_with = crate::args::opt_min_adjustment_magnitude_u32)]
        min_adjustment_magnitude: Option<u32>,
        warmup_s: Option<Seconds>,
        aggregation: &str,
    ) -> PyResult<u8> {
        let mut list: heapless::Vec<StepAdjustment, MAX_STEPS> = heapless::Vec::new();
        for &(lower, upper, adjustment) in &steps {
            let adjustment: i32 = adjustment.get(py, "a step's adjustment")?;
            list.push(StepAdjustment {
                lower: lower.map(|v| v.0),
                upper: upper.map(|v| v.0),
                adjustment,
            })
            .map_err(|_| to_scaling_steps_error(py))?;
        }
        let policy = ScalingPolicy::Step {
            adjustment_type: parse_adjustment_type(adjustment_type)?,
            steps: list,
            min_adjustment_magnitude,
            warmup: warmup_s.map(Seconds::duration),
            aggregation: parse_aggregation(aggregation)?,
        };
        self.inner.put_scaling_policy(policy).py_err(py)
    }

    /// ``PutScalingPolicy`` of type ``TargetTrackingScaling`` on ``metric``; returns its
    /// index. The group creates its ``AlarmHigh`` (3 of 3 minutes above target) and
    /// ``AlarmLow`` (15 of 15 below 0.7 × target). ``hpa=True`` runs the Kubernetes HPA
    /// algorithm with the upstream defaults instead, ``hpa=Behavior(...)`` with a behaviour
    /// (one HPA policy per group, ``ScalingError`` 1212).
    #[pyo3(signature = (metric, target, *, disable_scale_in = false, warmup_s = None, hpa = None))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts `MetricRef` by value.
    fn put_target_tracking_policy(
        &mut self,
        py: Python<'_>,
        metric: MetricRef,
        target: Milli,
        disable_scale_in: bool,
        warmup_s: Option<Seconds>,
        hpa: Option<HpaArg>,
    ) -> PyResult<u8> {
        let metric = self.metric_index(py, &metric)?;
        let policy = ScalingPolicy::TargetTracking {
            metric,
            tracking: TargetTracking {
                target: target.0,
                disable_scale_in,
            },
            warmup: warmup_s.map(Seconds::duration),
            hpa: match hpa.unwrap_or(HpaArg::Off) {
                HpaArg::Off => None,
                HpaArg::Defaults => Some(None),
                HpaArg::With(b) => Some(Some(*b)),
            },
        };
        self.inner.put_scaling_policy(policy).py_err(py)
    }

    /// ``PutScheduledUpdateGroupAction``: sets any of the sizes at ``start_s`` and/or on a
    /// five-field cron ``recurrence`` (``"30 6 * * MON-FRI"``) in ``time_zone``, an IANA name
    /// as the service takes it (``"America/New_York"``, read through ``zoneinfo``: the POSIX
    /// rule of its TZif file) or a POSIX TZ rule such as ``"CET-1CEST,M3.5.0,M10.5.0/3"``
    /// (UTC when None), until ``end_s``. A put with an existing name replaces it; at most 125
    /// actions; two at the same time are refused (``GroupError`` 1124). Cron text without
    /// five fields raises ``ScalingError`` 1207, a field out of range 1215 (``"hour 25 is out
    /// of range 0-23"``), a malformed field 1216; a bad zone 1209, an unknown zone name
    /// 1217.
    #[pyo3(signature = (
        now_s, name, *, recurrence = None, time_zone = None, start_s = None, end_s = None,
        min_size = None, max_size = None, desired_capacity = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    fn put_scheduled_action(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        name: &str,
        recurrence: Option<&str>,
        time_zone: Option<&str>,
        start_s: Option<Seconds>,
        end_s: Option<Seconds>,
        #[pyo3(from_py_with = crate::args::opt_min_size_u32)] min_size: Option<u32>,
        #[pyo3(from_py_with = crate::args::opt_max_size_u32)] max_size: Option<u32>,
        #[pyo3(from_py_with = crate::args::opt_desired_capacity_u32)] desired_capacity: Option<u32>,
    ) -> PyResult<()> {
        let cron = recurrence.map(Cron::parse).transpose().py_err(py)?;
        let zone = time_zone
            .map(|t| time_zone_of(py, t))
            .transpose()?
            .unwrap_or(TimeZone::UTC);
        let mut action =
            ScheduledAction::new(name, cron, start_s.map(Seconds::instant)).py_err(py)?;
        action.time_zone = zone;
        action.end_time = end_s.map(Seconds::instant);
        action.min_size = min_size;
        action.max_size = max_size;
        action.desired_capacity = desired_capacity;
        self.inner
            .put_scheduled_action(now_s.instant(), action)
            .py_err(py)
    }

    /// ``DeleteScheduledAction`` (``GroupError`` 1126 when no action has the name).
    fn delete_scheduled_action(&mut self, py: Python<'_>, name: &str) -> PyResult<()> {
        self.inner.delete_scheduled_action(name).py_err(py)
    }

    /// ``(name, next run in seconds or None)`` for each action, in the order kept.
    #[getter]
    fn scheduled_actions(&self) -> Vec<(String, Option<f64>)> {
        self.inner
            .scheduled_actions()
            .iter()
            .map(|a| {
                (
                    a.name.to_string(),
                    a.next_run.map(|t| to_seconds(t.total_millis())),
                )
            })
            .collect()
    }

    /// ``PutScalingPolicy`` of type ``PredictiveScaling``: learns the hourly mean of group
    /// metric ``metric`` (14 days kept, a forecast after 24 hours, refreshed every 6 hours)
    /// and, with ``mode="ForecastAndScale"``, raises desired to ⌈forecast ÷
    /// target_per_member⌉ ``buffer_s`` (default 300) before each hour; never scales in.
    /// ``max_capacity_buffer`` (0-100 %) selects ``IncreaseMaxCapacity``. One per group; a
    /// new one replaces it.
    #[pyo3(signature = (
        metric, *, target_per_member, mode = "forecast_only", buffer_s = None,
        max_capacity_buffer = None
    ))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts `MetricRef` by value.
    fn put_predictive_policy(
        &mut self,
        py: Python<'_>,
        metric: MetricRef,
        target_per_member: Milli,
        mode: &str,
        buffer_s: Option<Seconds>,
        #[pyo3(from_py_with = crate::args::opt_max_capacity_buffer_u32)]
        max_capacity_buffer: Option<u32>,
    ) -> PyResult<()> {
        let metric = self.metric_index(py, &metric)?;
        let mut config = PredictiveConfig::new(target_per_member.0);
        config.mode = crate::vocab::parse::<Mode>("mode", mode)?;
        if let Some(b) = buffer_s {
            config.buffer = b.duration();
        }
        if let Some(buffer_percent) = max_capacity_buffer {
            config.max_breach = MaxBreach::IncreaseMaxCapacity { buffer_percent };
        }
        self.inner.put_predictive_policy(config, metric).py_err(py)
    }

    /// The predictive policy's 48-hour forecast as ``(hour start in seconds, load)``;
    /// empty before the first refresh.
    fn forecast(&self) -> Vec<(f64, Option<f64>)> {
        let Some((_, f)) = self.inner.predictive() else {
            return Vec::new();
        };
        f.forecast_48h()
            .map(|(hour, load)| {
                (
                    to_seconds(hour.saturating_mul(3_600_000)),
                    load.map(crate::value::to_float),
                )
            })
            .collect()
    }

    /// How many scaling policies the group holds.
    #[getter]
    fn policy_count(&self) -> usize {
        self.inner.scaling_policies().len()
    }

    /// ``ExecutePolicy`` for a simple or step policy. A step policy needs ``metric`` and
    /// ``threshold`` (the alarm's value and threshold; ``ScalingError`` 1206 otherwise).
    /// Raises ``GroupError`` 1122 for an unknown policy and ``ScalingError`` 1211 for a
    /// target-tracking one.
    #[pyo3(signature = (
        now_s, policy, *, metric = None, threshold = None, honor_cooldown = true, from_alarm = false
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    fn execute_policy(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::policy_u8)] policy: u8,
        metric: Option<Milli>,
        threshold: Option<Milli>,
        honor_cooldown: bool,
        from_alarm: bool,
    ) -> PyResult<&'static str> {
        let pair = match (metric, threshold) {
            (Some(m), Some(t)) => Some((m.0, t.0)),
            (None, None) => None,
            _ => return Err(value_error("metric and threshold go together")),
        };
        let done = self
            .inner
            .execute_policy(now_s.instant(), policy, pair, from_alarm, honor_cooldown)
            .py_err(py)?;
        Ok(done.kind().as_str())
    }

    /// Gives the group its price table and starts its cost ledger at ``now_s``; a later
    /// call replaces the table from ``now_s`` on and must price every type priced before
    /// (each keeps its place, whatever the order listed; new ones are added after).
    ///
    /// Args:
    ///     on_demand: the On-Demand rate per hour of each instance type of the built-in
    ///         table, such as ``{"m5.large": 0.096, "c5.large": 0.085}``. The order is
    ///         the priority of the types; without a mixed-instances policy every member is
    ///         metered as the first.
    ///     spot: ``{(type, zone): (price, capacity)}``: each Spot pool's price per hour and
    ///         its spare capacity as you estimate it (any scale; 0: the pool cannot launch).
    ///     upfront: reservations' upfront charges count in the hour the term starts
    ///         (``"at_purchase"``) or spread over every hour of it (``"amortized"``).
    ///
    /// Prices are in your unit (dollars, or watt-hours for an energy budget), converted once
    /// to whole millionths. Raises ``PurchaseError`` for an unknown, repeated or dropped type
    /// (1900, 1901), a dropped pool a Spot member uses (1902), an unknown zone (1903) or a
    /// time before the ledger's (1913); ``ValueError`` for a negative or NaN price.
    #[pyo3(signature = (now_s, on_demand, *, spot = None, upfront = "at_purchase"))]
    fn set_prices(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        on_demand: &Bound<'_, PyAny>,
        spot: Option<&Bound<'_, PyAny>>,
        upfront: &str,
    ) -> PyResult<()> {
        let (prices, upfront) = purchase::price_table(py, &self.inner, on_demand, spot, upfront)?;
        self.inner
            .set_prices(now_s.instant(), prices, upfront)
            .py_err(py)
    }

    /// The price table as ``{"on_demand": {...}, "spot": {...}}`` (the arguments of
    /// ``set_prices``, with current Spot prices), or ``None`` before ``set_prices``.
    #[getter]
    fn prices<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        purchase::prices_dict(py, &self.inner)
    }

    /// Sets a Spot pool's price per hour from ``now_s`` on (EC2 publishes it; you relay
    /// it), adding the pool if new. Spot members whose pool now costs more than their max
    /// price are listed by ``price_interruptions``. Raises ``GroupError`` 1133 before
    /// ``set_prices``, ``PurchaseError`` 1900/1903/1910/1913.
    fn set_spot_price(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        instance_type: &str,
        zone: &str,
        price: Micros,
    ) -> PyResult<()> {
        let ty = purchase::type_index(py, &self.inner, instance_type)?;
        let zone = purchase::zone_index(py, &self.inner, zone)?;
        self.inner
            .set_spot_price(now_s.instant(), ty, zone, price.rate())
            .py_err(py)
    }

    /// Sets a Spot pool's spare capacity as you estimate it (0: the pool cannot launch);
    /// allocation strategies and Capacity Rebalancing compare these. Raises ``GroupError``
    /// 1133 before ``set_prices``, ``PurchaseError`` 1902 for a pool without a price.
    fn set_spot_capacity(
        &mut self,
        py: Python<'_>,
        instance_type: &str,
        zone: &str,
        #[pyo3(from_py_with = crate::args::capacity_u32)] capacity: u32,
    ) -> PyResult<()> {
        let ty = purchase::type_index(py, &self.inner, instance_type)?;
        let zone = purchase::zone_index(py, &self.inner, zone)?;
        self.inner.set_spot_capacity(ty, zone, capacity).py_err(py)
    }

    /// ``MixedInstancesPolicy`` with ``CapacityRebalance``; the defaults are the
    /// service's. Running members keep how they were bought; the next launches and
    /// scale-ins follow the policy. Sizes are then in units.
    ///
    /// Args:
    ///     overrides: ``LaunchTemplateOverrides`` in priority order: priced type names, or
    ///         ``(name, WeightedCapacity)`` pairs (weight 1-999).
    ///     on_demand_base: ``OnDemandBaseCapacity`` in units, On-Demand first.
    ///     on_demand_percent: ``OnDemandPercentageAboveBaseCapacity`` (0-100); fractions
    ///         round in favour of On-Demand (base 10 / 50 % at 40 is 25 + 15 Spot).
    ///     on_demand_strategy, spot_strategy: the allocation strategies.
    ///     spot_pools: ``SpotInstancePools`` (1-20, for ``lowest-price``).
    ///     spot_max_price: ``SpotMaxPrice`` per unit hour; ``None``: the On-Demand price.
    ///     capacity_rebalance: replace Spot members that EC2 signals (see
    ///         ``rebalance_recommendation``, ``spot_interruption``).
    ///
    /// Raises ``GroupError`` 1133 before ``set_prices`` and 1132 with a warm pool;
    /// ``PurchaseError`` 1900 for an unpriced type, 1904-1908 for values out of range;
    /// ``ValueError`` for an unknown strategy.
    #[pyo3(signature = (
        overrides, *, on_demand_base = 0, on_demand_percent = 100,
        on_demand_strategy = "prioritized", spot_strategy = "lowest-price", spot_pools = 2,
        spot_max_price = None, capacity_rebalance = false
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn set_mixed_instances(
        &mut self,
        py: Python<'_>,
        overrides: Vec<OverrideArg>,
        #[pyo3(from_py_with = crate::args::on_demand_base_u32)] on_demand_base: u32,
        #[pyo3(from_py_with = crate::args::on_demand_percent_u32)] on_demand_percent: u32,
        on_demand_strategy: &str,
        spot_strategy: &str,
        #[pyo3(from_py_with = crate::args::spot_pools_u32)] spot_pools: u32,
        spot_max_price: Option<Micros>,
        capacity_rebalance: bool,
    ) -> PyResult<()> {
        let args = DistributionArgs {
            on_demand_base,
            on_demand_percent,
            on_demand_strategy,
            spot_strategy,
            spot_pools,
            spot_max_price,
            capacity_rebalance,
        };
        let policy = purchase::mixed_policy(py, &self.inner, &overrides, &args)?;
        self.inner.set_mixed_instances(Some(policy)).py_err(py)
    }

    /// Removes the mixed-instances policy; running members keep how they were bought.
    fn clear_mixed_instances(&mut self, py: Python<'_>) -> PyResult<()> {
        self.inner.set_mixed_instances(None).py_err(py)
    }

    /// The mixed-instances policy as the keyword arguments of ``set_mixed_instances``
    /// (``g.set_mixed_instances(**g.mixed_instances)`` sets it again), or ``None``.
    #[getter]
    fn mixed_instances<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        purchase::mixed_dict(py, &self.inner)
    }

    /// Adds a Reserved Instance purchase of ``count`` instances of a priced type to the
    /// group's ledger, from ``start_s`` for one or three years. Each clock-hour it covers
    /// at most 3600 s of matching On-Demand usage per instance and charges ``hourly`` per
    /// instance, used or not; ``upfront`` is charged per instance (both default 0). With
    /// ``zone`` it is zonal (exact type and zone); else regional, and with
    /// ``size_flexible`` it covers the type's family by normalization factor. Raises
    /// ``GroupError`` 1133 before ``set_prices``, ``PurchaseError`` 1900, 1903, 1909 (a
    /// zero count, charges that do not fit ``payment``, a start in an hour already
    /// closed) or 1910 (16 reservations).
    #[pyo3(signature = (
        start_s, instance_type, count = 1, *, term = "1y", payment = "no_upfront",
        upfront = None, hourly = None, zone = None, size_flexible = true
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    fn reserve(
        &mut self,
        py: Python<'_>,
        start_s: Seconds,
        instance_type: &str,
        #[pyo3(from_py_with = crate::args::count_u16)] count: u16,
        term: &str,
        payment: &str,
        upfront: Option<Micros>,
        hourly: Option<Micros>,
        zone: Option<&str>,
        size_flexible: bool,
    ) -> PyResult<()> {
        let args = ReservationArgs {
            start: start_s,
            term,
            payment,
            upfront,
            hourly,
            zone,
            size_flexible,
        };
        let r = purchase::reservation(py, &self.inner, instance_type, count, &args)?;
        self.inner.reserve(r).py_err(py)
    }

    /// Brings the ledger to ``now_s`` and returns everything spent since ``set_prices``.
    /// Raises ``GroupError`` 1133 before ``set_prices``, ``PurchaseError`` 1913 for a time
    /// before one already settled.
    fn settle(&mut self, py: Python<'_>, now_s: Seconds) -> PyResult<Spend> {
        let s = self.inner.settle(now_s.instant()).py_err(py)?;
        Ok(Spend::new(&s))
    }

    /// What was spent over ``[start_s, end_s)`` after settling to ``now_s``. The bounds
    /// are on clock-hours (multiples of 3600 s) within the last 24 closed hours and the
    /// open one (``PurchaseError`` 1914, 1915, 1916).
    fn spend(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        start_s: Seconds,
        end_s: Seconds,
    ) -> PyResult<Spend> {
        let s = self
            .inner
            .spend(now_s.instant(), start_s.instant(), end_s.instant())
            .py_err(py)?;
        Ok(Spend::new(&s))
    }

    /// ``(on_demand, spot)`` units counting toward capacity.
    fn units_by_market(&self) -> (u32, u32) {
        self.inner.units_by_market()
    }

    /// Spot members whose pool now costs more than their max price and that have no
    /// notice yet: EC2 interrupts them; report each with ``spot_interruption``.
    fn price_interruptions(&self) -> Vec<String> {
        self.inner
            .price_interruptions()
            .map(|id| id.to_string())
            .collect()
    }

    /// The group a JSON configuration document describes: the format firmware reads
    /// (README "Configuration", ``examples/controller.json``), checked by the same parser.
    ///
    /// ``document`` is a controller document (``group`` names one of its groups; it may be
    /// left out when there is one) or a group document on its own. The group gets its
    /// metrics, policies, alarms (started at ``now_s``), scheduled actions, predictive policy,
    /// lifecycle hooks and warm pool, so positions in the document are the indices the
    /// methods here take. ``seed`` seeds the instance ids. Launches name the template as C's
    /// ``fc_group_init_json`` does without a catalog: its position in ``launch_templates``
    /// (``lt-00000000000000000`` for the first; the first for a group document on its own),
    /// with the document's version number (``$Default`` and ``$Latest`` are version 1).
    ///
    /// Raises:
    ///     ConfigError: the document is malformed or invalid (``.path``, ``.line``,
    ///         ``.column``, ``.offset`` say where).
    ///     ValueError: ``group`` names no group of the document, or is needed.
    ///     TypeError: ``document`` is neither ``str`` nor ``bytes``.
    #[staticmethod]
    #[pyo3(signature = (document, *, group = None, now_s = Seconds::from_secs(0), seed = 0))]
    fn from_document(
        py: Python<'_>,
        document: &Bound<'_, PyAny>,
        group: Option<&str>,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::seed_u64)] seed: u64,
    ) -> PyResult<Self> {
        let (doc, index) = crate::config::group_doc(py, document, group)?;
        let built: CoreGroup = doc
            .build_group(index, now_s.instant(), seed)
            .map_err(|e| crate::config::located(py, &e))?;
        Ok(Self {
            inner: Self::boxed(built),
        })
    }

    /// The launch template's ``$Default`` and ``$Latest`` version numbers changed
    /// (``CreateLaunchTemplateVersion``, ``ModifyLaunchTemplate``): the group resolves its
    /// version (``launch_template_version``) with them at each launch (SEMANTICS §2.10, §7).
    /// ``None`` means the template was deleted: launches fail and are retried. A new group
    /// starts at ``(1, 1)``.
    fn set_template_versions(
        &mut self,
        py: Python<'_>,
        versions: Option<(crate::errors::Int, crate::errors::Int)>,
    ) -> PyResult<()> {
        // Narrowed here: a bare `u32` parameter raises `OverflowError` for 2**32 (issue 19).
        let versions = match versions {
            Some((default, latest)) => Some((
                default.get::<u32>(py, "the default version")?,
                latest.get::<u32>(py, "the latest version")?,
            )),
            None => None,
        };
        let versions = match versions {
            Some((default, latest)) if default == 0 || latest == 0 || default > latest => {
                return Err(value_error(format!(
                    "template versions need 1 <= default <= latest, got {versions:?}"
                )));
            }
            Some((default, latest)) => Some(TemplateVersions { default, latest }),
            None => None,
        };
        self.inner.set_template_versions(versions);
        Ok(())
    }

    /// ``(default, latest)`` as the group last learnt them, or ``None`` once the template is
    /// gone.
    #[getter]
    fn template_versions(&self) -> Option<(u32, u32)> {
        self.inner
            .template_versions()
            .map(|v| (v.default, v.latest))
    }

    /// Reads the group's template's ``$Default`` and ``$Latest`` from ``catalog`` (a template
    /// the catalog does not hold is gone); call it after each change to the catalog.
    fn sync_template(&mut self, catalog: &crate::catalog::Catalog) {
        self.inner.sync_template(catalog.core());
    }

    /// The group's launch template id (``lt-...``) and the version it launches
    /// (``"$Default"``, ``"$Latest"`` or a number as text).
    #[getter]
    fn launch_template(&self) -> (String, String) {
        let c = self.inner.config();
        (c.template.to_string(), c.version.to_string())
    }

    /// ``StartInstanceRefresh``; returns the refresh's number (SEMANTICS §2.10). Members in
    /// service when it starts are replaced in batches that keep ``min_healthy_percentage`` of
    /// desired healthy (``max_healthy_percentage`` above 100 launches first); each batch
    /// waits ``instance_warmup_s`` (else the group's default warm-up, else the health check
    /// grace period); at each of ``checkpoint_percentages`` it pauses ``checkpoint_delay_s``
    /// (3600 s by default); ``skip_matching`` leaves members already on ``desired_version``
    /// (``"$Default"``, ``"$Latest"`` or a number; ``None`` keeps the group's), which the
    /// group adopts on success.
    ///
    /// Raises ``GroupError``: a refresh is already running (1120) or a preference is out
    /// of range (1119).
    #[pyo3(signature = (
        now_s, *, min_healthy_percentage = 90, max_healthy_percentage = 100,
        instance_warmup_s = None, checkpoint_percentages = None, checkpoint_delay_s = None,
        skip_matching = false, desired_version = None
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python method.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts sequences into owned values.
    fn start_instance_refresh(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        #[pyo3(from_py_with = crate::args::min_healthy_percentage_u32)] min_healthy_percentage: u32,
        #[pyo3(from_py_with = crate::args::max_healthy_percentage_u32)] max_healthy_percentage: u32,
        instance_warmup_s: Option<Seconds>,
        #[pyo3(from_py_with = crate::args::opt_checkpoint_percentages_u8s)]
        checkpoint_percentages: Option<Vec<u8>>,
        checkpoint_delay_s: Option<Seconds>,
        skip_matching: bool,
        desired_version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u32> {
        let mut p = RefreshPreferences {
            min_healthy_percentage,
            max_healthy_percentage,
            instance_warmup: instance_warmup_s.map(Seconds::duration),
            skip_matching,
            ..RefreshPreferences::default()
        };
        if let Some(d) = checkpoint_delay_s {
            p.checkpoint_delay = d.duration();
        }
        for cp in checkpoint_percentages.unwrap_or_default() {
            p.checkpoint_percentages.push(cp).map_err(|_| {
                group_error(
                    py,
                    1119,
                    "invalid argument",
                    format!(
                        "CheckpointPercentages holds at most {} percentages",
                        fleetcore::group::MAX_CHECKPOINTS
                    ),
                )
            })?;
        }
        if desired_version.is_some() {
            p.desired_version = Some(crate::catalog::version_spec(py, desired_version)?);
        }
        self.inner
            .start_instance_refresh(now_s.instant(), p)
            .py_err(py)
    }

    /// ``CancelInstanceRefresh``: members already replaced stay; raises ``GroupError``
    /// (1121) when no refresh is running.
    fn cancel_instance_refresh(&mut self, py: Python<'_>, now_s: Seconds) -> PyResult<()> {
        self.inner
            .cancel_instance_refresh(now_s.instant())
            .py_err(py)
    }

    /// The current or last instance refresh, or ``None`` before the first.
    #[getter]
    fn instance_refresh(&self) -> Option<InstanceRefresh> {
        self.inner.instance_refresh().map(|r| InstanceRefresh {
            id: r.id,
            status: r.status.as_str(),
            percentage_complete: r.percentage_complete(),
            to_replace: r.to_replace,
            replaced: r.replaced,
            checkpoints_done: r.checkpoints_done,
            started_s: to_seconds(r.started.total_millis()),
            ended_s: r.ended.map(|t| to_seconds(t.total_millis())),
            desired_version: r.preferences.desired_version.map(|v| v.to_string()),
            min_healthy_percentage: r.preferences.min_healthy_percentage,
            max_healthy_percentage: r.preferences.max_healthy_percentage,
            skip_matching: r.preferences.skip_matching,
        })
    }

    /// The scaling activities the group remembers (its last 64), oldest first
    /// (``DescribeScalingActivities``).
    #[getter]
    fn activities(&self) -> Vec<Activity> {
        self.inner
            .history()
            .iter()
            .map(|a| Activity {
                seq: a.seq,
                description: a.description().to_string(),
                cause: a.cause_text().to_string(),
                status: a.status.as_str(),
                instance: a.instance.map(|i| i.to_string()),
                start_s: to_seconds(a.start.total_millis()),
                end_s: a.end.map(|t| to_seconds(t.total_millis())),
            })
            .collect()
    }

    /// How many activities the group ever started (older ones than ``activities`` holds
    /// were evicted).
    #[getter]
    fn activities_started(&self) -> u32 {
        self.inner.history().started()
    }

    /// ``PutWarmPool`` (SEMANTICS §2.9): keeps max(``min_size``,
    /// ``max_group_prepared_capacity`` (default ``MaxSize``) - desired) instances prepared in
    /// ``pool_state`` (``"stopped"``, ``"running"`` or ``"hibernated"``, or the service's
    /// ``"Stopped"`` ...; ``warm_pool`` gives the first), taken first on
    /// scale-out; ``reuse_on_scale_in`` returns members to the pool on scale-in.
    ///
    /// Raises ``GroupError``: ``min_size`` above the prepared capacity (1119) or a group with a
    /// mixed-instances policy (1132); ``ValueError`` for an unknown ``pool_state``.
    #[pyo3(signature = (
        *, min_size = 0, max_group_prepared_capacity = None, pool_state = "stopped",
        reuse_on_scale_in = false
    ))]
    fn put_warm_pool(
        &mut self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::min_size_u32)] min_size: u32,
        #[pyo3(from_py_with = crate::args::opt_max_group_prepared_capacity_i64)]
        max_group_prepared_capacity: Option<i64>,
        pool_state: &str,
        reuse_on_scale_in: bool,
    ) -> PyResult<()> {
        let pool_state: PoolState = crate::vocab::parse("pool_state", pool_state)?;
        // -1 clears the prepared capacity, as the API spells it.
        let prepared = match max_group_prepared_capacity {
            None | Some(-1) => None,
            Some(n) => Some(u32::try_from(n).map_err(|_| {
                value_error(format!(
                    "max_group_prepared_capacity must be -1 or 0 to {}, got {n}",
                    u32::MAX
                ))
            })?),
        };
        self.inner
            .put_warm_pool(WarmPool {
                min_size,
                max_group_prepared_capacity: prepared,
                pool_state,
                reuse_on_scale_in,
            })
            .py_err(py)
    }

    /// ``DeleteWarmPool``: the pool's members are terminated by the next ``tick``.
    fn delete_warm_pool(&mut self, now_s: Seconds) {
        self.inner.delete_warm_pool(now_s.instant());
    }

    /// The warm pool's settings as a dict (``min_size``, ``max_group_prepared_capacity``,
    /// ``pool_state``, ``reuse_on_scale_in``), or ``None`` without one.
    #[getter]
    fn warm_pool<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(p) = self.inner.warm_pool() else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        d.set_item("min_size", p.min_size)?;
        d.set_item("max_group_prepared_capacity", p.max_group_prepared_capacity)?;
        d.set_item("pool_state", p.pool_state.as_str())?;
        d.set_item("reuse_on_scale_in", p.reuse_on_scale_in)?;
        Ok(Some(d))
    }

    /// Members in or arriving in the warm pool (``Warmed:*`` states, not those leaving it).
    #[getter]
    fn warm_count(&self) -> u32 {
        self.inner.warm_count()
    }

    /// The size the pool is kept at now (0 without a pool).
    #[getter]
    fn warm_pool_target(&self) -> u32 {
        self.inner.warm_pool_target()
    }

    /// The group's whole state as a versioned, checksummed snapshot.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let len = self.inner.snapshot_len().py_err(py)?;
        let mut buf = vec![0u8; len];
        let n = self.inner.snapshot(&mut buf).py_err(py)?;
        Ok(PyBytes::new(py, buf.get(..n).unwrap_or(&buf)))
    }

    /// A group restored from ``snapshot()`` bytes; raises ``SnapshotError``. ``data`` may
    /// go on past the snapshot (a whole flash sector read back): its header says how long it
    /// is, and what follows is not read.
    #[staticmethod]
    fn restore(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let group = CoreGroup::restore(data).py_err(py)?;
        Ok(Self {
            inner: Self::boxed(group),
        })
    }

    /// Pickling goes through the snapshot, so a pickled group restores exactly, in another
    /// process too.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let restore = slf.get_type().getattr("restore")?;
        let bytes = slf.borrow().snapshot(py)?;
        Ok((restore, (bytes,)))
    }

    /// The current value of every metric's newest datapoint is not exposed; use alarms.
    fn __eq__(&self, other: &Self) -> bool {
        *self.inner == *other.inner
    }
}

/// A scheduled action's zone (SEMANTICS §3.6): a POSIX TZ rule as the core parses it, or an
/// IANA name (``"America/New_York"``) turned into the POSIX rule of its TZif footer through
/// ``zoneinfo`` (``fleetcore._tz``). A text that is neither raises the core's error.
pub fn time_zone_of(py: Python<'_>, text: &str) -> PyResult<TimeZone> {
    match TimeZone::parse(text) {
        Ok(zone) => Ok(zone),
        Err(e) => {
            let rule: Option<String> = py
                .import("fleetcore._tz")?
                .call_method1("posix_rule", (text,))?
                .extract()?;
            match rule {
                Some(rule) => TimeZone::parse(&rule).py_err(py),
                None => Err(e).py_err(py),
            }
        }
    }
}

fn to_scaling_steps_error(py: Python<'_>) -> PyErr {
    crate::errors::to_py_err(py, &fleetcore::scaling::ScalingError::InvalidSteps)
}

/// Parses a comparison: the canonical name, the service's operator name or `>`, `>=`, `<`, `<=`.
///
/// # Errors
/// `ValueError` for another text.
pub fn parse_comparison(text: &str) -> PyResult<Comparison> {
    crate::vocab::parse("comparison", text)
}

fn parse_statistic(text: &str) -> PyResult<Statistic> {
    crate::vocab::parse("statistic", text)
}

fn parse_missing_data(text: &str) -> PyResult<MissingData> {
    crate::vocab::parse("missing_data", text)
}

fn parse_aggregation(text: &str) -> PyResult<Aggregation> {
    crate::vocab::parse("aggregation", text)
}

fn parse_adjustment_type(text: &str) -> PyResult<AdjustmentType> {
    crate::vocab::parse("adjustment_type", text)
}

fn parse_termination_policy(text: &str) -> PyResult<TerminationPolicy> {
    crate::vocab::parse("termination policy", text)
}

fn parse_process(text: &str) -> PyResult<Process> {
    crate::vocab::parse("process", text)
}

fn parse_transition(text: &str) -> PyResult<HookTransition> {
    crate::vocab::parse("transition", text)
}

fn parse_hook_result(text: &str) -> PyResult<HookResult> {
    crate::vocab::parse("result", text)
}
