//! One VPC's subnets, network interfaces (ENIs), security groups and stateful packet
//! filtering (SEMANTICS §6), as `Network` with the value classes `Rule`, `Packet`, `Verdict`,
//! `SecurityGroup`, `NetworkInterface`, `Subnet` and `Flow`.
//!
//! `Network` wraps the core's fixed-capacity `Network<S, E, A, G, R, F>` with the sizes below;
//! a full table is a `NetworkError` (code 1836), never a silent drop. The core network is about
//! 565 KiB (578 K bytes, printed by `cargo test -p fleetcore-py sizes -- --nocapture`) and is
//! boxed. The value classes are frozen snapshots: reading one never changes the network.

use core::fmt::Write as _;
use core::net::Ipv4Addr;

use fleetcore::catalog::InstanceType as CoreInstanceType;
use fleetcore::id::{EniId, InstanceId, SecurityGroupId};
use fleetcore::network::{
    self, Allowance, Direction, IcmpMatch, Ipv4Cidr, NetError, Peer, PortRange, Quotas,
    TrackingTimeouts, Traffic, TrafficKind, Transport, Verdict as CoreVerdict,
};
use fleetcore::vocab::Vocabulary as _;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};

use crate::catalog::InstanceType;
use crate::errors::{IntoPyResult, to_py_err, value_error};
use crate::id;
use crate::imds::InterfaceMetadata;
use crate::time::{Seconds, to_seconds};

/// Subnets one `Network` holds.
pub const SUBNETS: usize = 16;
/// Network interfaces one `Network` holds (attached or available).
pub const INTERFACES: usize = 256;
/// Private IPv4 addresses one interface holds (an attached one is also held to its type's).
pub const ADDRESSES: usize = 32;
/// Security groups one `Network` holds, the `default` group included.
pub const SECURITY_GROUPS: usize = 64;
/// Rules one security group stores per direction (the default quota is 60).
pub const RULES: usize = 64;
/// Flows the connection tracking table holds.
pub const FLOWS: usize = 4096;

type CoreNetwork = network::Network<SUBNETS, INTERFACES, ADDRESSES, SECURITY_GROUPS, RULES, FLOWS>;

fn direction(text: &str) -> PyResult<Direction> {
    crate::vocab::parse("direction", text)
}

fn net_err(py: Python<'_>, e: NetError) -> PyErr {
    to_py_err(py, &e)
}

/// An IPv4 address in dotted-quad form; `NetworkError` 1801 otherwise.
fn parse_addr(py: Python<'_>, text: &str) -> PyResult<Ipv4Addr> {
    network::parse_ipv4(text).map_err(|f| net_err(py, NetError::BadAddress(f)))
}

/// A canonical CIDR block; `NetworkError` 1800 otherwise.
fn parse_cidr(py: Python<'_>, text: &str) -> PyResult<Ipv4Cidr> {
    Ipv4Cidr::parse(text).map_err(|f| net_err(py, NetError::BadCidr(f)))
}

fn sg_id(py: Python<'_>, text: &str) -> PyResult<SecurityGroupId> {
    SecurityGroupId::parse(text).py_err(py)
}

fn eni_id(py: Python<'_>, text: &str) -> PyResult<EniId> {
    EniId::parse(text).py_err(py)
}

/// A protocol given as `"tcp"`, `"udp"`, `"icmp"`, `"all"` (or `"-1"`) or an IP protocol
/// number; `None` for all.
fn protocol_number(obj: &Bound<'_, PyAny>) -> PyResult<Option<u8>> {
    if obj.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "protocol must be a str or an int, not bool",
        ));
    }
    if obj.is_instance_of::<PyInt>() {
        let n: crate::errors::Int = obj.extract()?;
        return n.get(obj.py(), "protocol").map(Some);
    }
    let text: String = obj.extract()?;
    // The core's protocol names (`TrafficKind`), without "number" (a number is given as one).
    let traffic = match TrafficKind::from_name(&text) {
        Some(TrafficKind::All) => Traffic::All,
        Some(TrafficKind::Tcp) => Traffic::Tcp(PortRange::ALL),
        Some(TrafficKind::Udp) => Traffic::Udp(PortRange::ALL),
        Some(TrafficKind::Icmp) => Traffic::Icmp(IcmpMatch::Any),
        _ => {
            return Err(value_error(format!(
                "protocol must be \"tcp\", \"udp\", \"icmp\", \"all\" or a number, got {text:?}"
            )));
        }
    };
    Ok(traffic.protocol_number())
}

/// The core's name of protocol `n` (`tcp`, `udp`, `icmp`), if it has one.
fn protocol_name(n: u8) -> Option<&'static str> {
    match Traffic::Protocol(n).canonical().kind() {
        TrafficKind::Number | TrafficKind::All => None,
        kind => Some(kind.as_str()),
    }
}

/// A protocol as Python sees it: its name, or its number for another protocol.
fn protocol_py(py: Python<'_>, n: Option<u8>) -> PyResult<Py<PyAny>> {
    Ok(match n {
        None => PyString::new(py, "all").into_any().unbind(),
        Some(n) => match protocol_name(n) {
            Some(name) => PyString::new(py, name).into_any().unbind(),
            None => n.into_pyobject(py)?.into_any().unbind(),
        },
    })
}

/// A port range from `None` (all), one port or a `(from, to)` pair.
fn port_range(py: Python<'_>, ports: Option<&Bound<'_, PyAny>>) -> PyResult<PortRange> {
    let Some(p) = ports else {
        return Ok(PortRange::ALL);
    };
    if let Ok(port) = p.extract::<crate::errors::Int>() {
        return Ok(PortRange::single(port.get(py, "ports")?));
    }
    let (from, to): (crate::errors::Int, crate::errors::Int) = p.extract().map_err(|_| {
        value_error("ports must be None, a port 0-65535 or a (from, to) pair of ports")
    })?;
    let (from, to) = (from.get(py, "ports")?, to.get(py, "ports")?);
    PortRange::new(from, to).map_err(|e| net_err(py, e))
}

/// One security group rule: what traffic, from (inbound) or to (outbound) which peer.
///
/// Equal and hashable by value; protocols 6, 17 and 1 are stored as ``"tcp"``, ``"udp"`` and
/// ``"icmp"`` for all ports or types.
///
/// Args:
///     protocol: ``"tcp"``, ``"udp"``, ``"icmp"``, ``"all"`` (or ``None``, ``"-1"``), or an IP
///         protocol number.
///     ports: TCP and UDP only: one port or a ``(from, to)`` pair; ``None`` is all ports.
///     icmp_type: ICMP only; ``None`` is any type.
///     icmp_code: ICMP only, with ``icmp_type``; ``None`` is any code.
///     cidr: the peer as a CIDR block (``"0.0.0.0/0"``) ...
///     group: ... or as a security group id; exactly one of the two.
///
/// Raises ``NetworkError`` 1800 for a bad CIDR block, 1802 for a reversed port range;
/// ``IdError`` for a bad group id; ``ValueError`` for options that do not fit the protocol.
#[pyclass(frozen, eq, hash, module = "fleetcore")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rule(pub network::Rule);

#[pymethods]
impl Rule {
    /// A rule for `protocol` (ports for TCP and UDP, type and code for ICMP) with exactly one
    /// peer: a CIDR block or a security group id.
    #[new]
    #[pyo3(signature = (
        protocol = None, *, ports = None, icmp_type = None, icmp_code = None, cidr = None,
        group = None
    ))]
    fn new(
        py: Python<'_>,
        protocol: Option<&Bound<'_, PyAny>>,
        ports: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_icmp_type_u8)] icmp_type: Option<u8>,
        #[pyo3(from_py_with = crate::args::opt_icmp_code_u8)] icmp_code: Option<u8>,
        cidr: Option<&str>,
        group: Option<&str>,
    ) -> PyResult<Self> {
        let number = match protocol {
            None => None,
            Some(p) => protocol_number(p)?,
        };
        let is_ports = matches!(number, Some(6 | 17));
        if ports.is_some() && !is_ports {
            return Err(value_error("ports apply to tcp and udp rules only"));
        }
        if (icmp_type.is_some() || icmp_code.is_some()) && number != Some(1) {
            return Err(value_error(
                "icmp_type and icmp_code apply to icmp rules only",
            ));
        }
        let traffic = match number {
            None => Traffic::All,
            Some(6) => Traffic::Tcp(port_range(py, ports)?),
            Some(17) => Traffic::Udp(port_range(py, ports)?),
            Some(1) => Traffic::Icmp(match (icmp_type, icmp_code) {
                (None, None) => IcmpMatch::Any,
                (Some(t), None) => IcmpMatch::Type(t),
                (Some(t), Some(c)) => IcmpMatch::TypeCode(t, c),
                (None, Some(_)) => return Err(value_error("icmp_code needs icmp_type")),
            }),
            Some(n) => Traffic::Protocol(n),
        };
        let peer = match (cidr, group) {
            (Some(c), None) => Peer::Cidr(parse_cidr(py, c)?),
            (None, Some(g)) => Peer::Group(sg_id(py, g)?),
            _ => {
                return Err(value_error("a rule needs exactly one peer: cidr or group"));
            }
        };
        Ok(Self(network::Rule::new(traffic, peer).canonical()))
    }

    /// ``"tcp"``, ``"udp"``, ``"icmp"``, ``"all"`` or another protocol's number.
    #[getter]
    fn protocol(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        protocol_py(py, self.0.traffic.protocol_number())
    }

    /// The ``(from, to)`` ports of a TCP or UDP rule.
    #[getter]
    fn ports(&self) -> Option<(u16, u16)> {
        match self.0.traffic {
            Traffic::Tcp(r) | Traffic::Udp(r) => Some((r.from(), r.to())),
            _ => None,
        }
    }

    /// The ICMP type matched, ``None`` for any.
    #[getter]
    fn icmp_type(&self) -> Option<u8> {
        match self.0.traffic {
            Traffic::Icmp(IcmpMatch::Type(t) | IcmpMatch::TypeCode(t, _)) => Some(t),
            _ => None,
        }
    }

    /// The ICMP code matched, ``None`` for any.
    #[getter]
    fn icmp_code(&self) -> Option<u8> {
        match self.0.traffic {
            Traffic::Icmp(IcmpMatch::TypeCode(_, c)) => Some(c),
            _ => None,
        }
    }

    /// The peer's CIDR block, or ``None``.
    #[getter]
    fn cidr(&self) -> Option<String> {
        match self.0.peer {
            Peer::Cidr(c) => Some(c.to_string()),
            Peer::Group(_) => None,
        }
    }

    /// The peer security group id, or ``None``.
    #[getter]
    fn group(&self) -> Option<String> {
        match self.0.peer {
            Peer::Group(g) => Some(g.to_string()),
            Peer::Cidr(_) => None,
        }
    }

    fn __repr__(&self) -> String {
        let protocol = match self.0.traffic.protocol_number() {
            None => "'all'".to_owned(),
            Some(n) => protocol_name(n).map_or_else(|| n.to_string(), |s| format!("'{s}'")),
        };
        let mut out = format!("Rule({protocol}");
        if let Some((from, to)) = self.ports() {
            {
                let _ = write!(out, ", ports=({from}, {to})");
            };
        }
        if let Some(t) = self.icmp_type() {
            {
                let _ = write!(out, ", icmp_type={t}");
            };
        }
        if let Some(c) = self.icmp_code() {
            {
                let _ = write!(out, ", icmp_code={c}");
            };
        }
        match self.0.peer {
            Peer::Cidr(c) => {
                let _ = write!(out, ", cidr='{c}')");
            }
            Peer::Group(g) => {
                let _ = write!(out, ", group='{g}')");
            }
        }
        out
    }
}

/// An IPv4 packet as the filter sees it. Equal and hashable by value.
///
/// ``protocol`` is ``"tcp"``, ``"udp"``, ``"icmp"`` or an IP protocol number (6, 17 and 1
/// are TCP, UDP and ICMP); ports apply to TCP and UDP, type and code to ICMP.
/// ``NetworkError`` 1801 for a malformed address.
#[pyclass(frozen, eq, hash, module = "fleetcore")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Packet(pub network::Packet);

#[pymethods]
impl Packet {
    /// A packet of `protocol` from `src` to `dst`, with ports (TCP, UDP) or type and code
    /// (ICMP).
    #[new]
    #[pyo3(signature = (
        protocol, src, dst, *, src_port = 0, dst_port = 0, icmp_type = 0, icmp_code = 0
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of the Python class.
    fn new(
        py: Python<'_>,
        protocol: &Bound<'_, PyAny>,
        src: &str,
        dst: &str,
        #[pyo3(from_py_with = crate::args::src_port_u16)] src_port: u16,
        #[pyo3(from_py_with = crate::args::dst_port_u16)] dst_port: u16,
        #[pyo3(from_py_with = crate::args::icmp_type_u8)] icmp_type: u8,
        #[pyo3(from_py_with = crate::args::icmp_code_u8)] icmp_code: u8,
    ) -> PyResult<Self> {
        let transport = match protocol_number(protocol)? {
            None => return Err(value_error("a packet has one protocol, not \"all\"")),
            Some(6) => Transport::Tcp { src_port, dst_port },
            Some(17) => Transport::Udp { src_port, dst_port },
            Some(1) => Transport::Icmp {
                ty: icmp_type,
                code: icmp_code,
            },
            Some(n) => Transport::Other(n),
        };
        Ok(Self(network::Packet {
            src: parse_addr(py, src)?,
            dst: parse_addr(py, dst)?,
            transport,
        }))
    }

    /// A TCP packet.
    #[staticmethod]
    fn tcp(
        py: Python<'_>,
        src: &str,
        #[pyo3(from_py_with = crate::args::src_port_u16)] src_port: u16,
        dst: &str,
        #[pyo3(from_py_with = crate::args::dst_port_u16)] dst_port: u16,
    ) -> PyResult<Self> {
        Ok(Self(network::Packet::tcp(
            parse_addr(py, src)?,
            src_port,
            parse_addr(py, dst)?,
            dst_port,
        )))
    }

    /// A UDP packet.
    #[staticmethod]
    fn udp(
        py: Python<'_>,
        src: &str,
        #[pyo3(from_py_with = crate::args::src_port_u16)] src_port: u16,
        dst: &str,
        #[pyo3(from_py_with = crate::args::dst_port_u16)] dst_port: u16,
    ) -> PyResult<Self> {
        Ok(Self(network::Packet::udp(
            parse_addr(py, src)?,
            src_port,
            parse_addr(py, dst)?,
            dst_port,
        )))
    }

    /// An ICMP packet (type 8 is an echo request).
    #[staticmethod]
    #[pyo3(signature = (src, dst, icmp_type = 8, icmp_code = 0))]
    fn icmp(
        py: Python<'_>,
        src: &str,
        dst: &str,
        #[pyo3(from_py_with = crate::args::icmp_type_u8)] icmp_type: u8,
        #[pyo3(from_py_with = crate::args::icmp_code_u8)] icmp_code: u8,
    ) -> PyResult<Self> {
        Ok(Self(network::Packet::icmp(
            parse_addr(py, src)?,
            parse_addr(py, dst)?,
            icmp_type,
            icmp_code,
        )))
    }

    /// The reply: addresses and ports swapped (ICMP keeps type and code).
    fn reply(&self) -> Self {
        Self(self.0.reply())
    }

    /// ``"tcp"``, ``"udp"``, ``"icmp"`` or another protocol's number.
    #[getter]
    fn protocol(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        protocol_py(py, Some(self.0.transport.protocol()))
    }

    /// The source address.
    #[getter]
    fn src(&self) -> String {
        self.0.src.to_string()
    }

    /// The destination address.
    #[getter]
    fn dst(&self) -> String {
        self.0.dst.to_string()
    }

    /// The source port (0 without ports).
    #[getter]
    fn src_port(&self) -> u16 {
        match self.0.transport {
            Transport::Tcp { src_port, .. } | Transport::Udp { src_port, .. } => src_port,
            _ => 0,
        }
    }

    /// The destination port (0 without ports).
    #[getter]
    fn dst_port(&self) -> u16 {
        match self.0.transport {
            Transport::Tcp { dst_port, .. } | Transport::Udp { dst_port, .. } => dst_port,
            _ => 0,
        }
    }

    fn __repr__(&self) -> String {
        match self.0.transport {
            Transport::Tcp { src_port, dst_port } | Transport::Udp { src_port, dst_port } => {
                format!(
                    "Packet({}, {}, {}, src_port={src_port}, dst_port={dst_port})",
                    crate::repr::q(protocol_name(self.0.transport.protocol()).unwrap_or("")),
                    crate::repr::q(&self.src()),
                    crate::repr::q(&self.dst()),
                )
            }
            Transport::Icmp { ty, code } => format!(
                "Packet('icmp', {}, {}, icmp_type={ty}, icmp_code={code})",
                crate::repr::q(&self.src()),
                crate::repr::q(&self.dst()),
            ),
            Transport::Other(n) => format!(
                "Packet({n}, {}, {})",
                crate::repr::q(&self.src()),
                crate::repr::q(&self.dst()),
            ),
        }
    }
}

/// The filter's decision on one packet; truthy when allowed.
#[pyclass(frozen, eq, hash, module = "fleetcore")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Verdict(pub CoreVerdict);

#[pymethods]
impl Verdict {
    /// Whether the packet passed.
    #[getter]
    fn allowed(&self) -> bool {
        self.0.is_allowed()
    }

    /// Why: ``"flow"`` (a live tracked flow), ``"rule"`` (a rule; the flow is tracked),
    /// ``"untracked"`` (a rule; ``0.0.0.0/0`` both ways, so untracked), or for a drop
    /// ``"no-rule"``, ``"source-dest-check"``, ``"port-25"`` or ``"table-full"``.
    #[getter]
    fn reason(&self) -> &'static str {
        self.0.reason().as_str()
    }

    /// The group of the rule that allowed it, if a rule did.
    #[getter]
    fn group_id(&self) -> Option<String> {
        self.rule_ref().map(|r| r.group.to_string())
    }

    /// That rule's index in the group's ``inbound`` or ``outbound`` list.
    #[getter]
    fn rule_index(&self) -> Option<usize> {
        self.rule_ref().map(|r| r.index)
    }

    fn __bool__(&self) -> bool {
        self.allowed()
    }

    fn __repr__(&self) -> String {
        let mut out = format!(
            "Verdict(allowed={}, reason={}",
            crate::repr::b(self.allowed()),
            crate::repr::q(self.reason()),
        );
        if let Some(r) = self.rule_ref() {
            {
                let _ = write!(out, ", group_id='{}', rule_index={}", r.group, r.index);
            };
        }
        out.push(')');
        out
    }
}

impl Verdict {
    const fn rule_ref(&self) -> Option<network::RuleRef> {
        match self.0 {
            CoreVerdict::Allowed(Allowance::Rule(r) | Allowance::Untracked(r)) => Some(r),
            _ => None,
        }
    }
}

/// A security group as it was when read (a snapshot).
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityGroup(pub network::SecurityGroup<RULES>);

#[pymethods]
impl SecurityGroup {
    /// The group id (``sg-...``).
    #[getter]
    fn id(&self) -> String {
        self.0.id().to_string()
    }

    /// The group name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// Whether it is the VPC's ``default`` group.
    #[getter]
    fn is_default(&self) -> bool {
        self.0.is_default()
    }

    /// The inbound rules, in the order added.
    #[getter]
    fn inbound(&self) -> Vec<Rule> {
        self.0
            .rules(Direction::Inbound)
            .iter()
            .map(|r| Rule(*r))
            .collect()
    }

    /// The outbound rules, in the order added.
    #[getter]
    fn outbound(&self) -> Vec<Rule> {
        self.0
            .rules(Direction::Outbound)
            .iter()
            .map(|r| Rule(*r))
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "SecurityGroup(id={}, name={}, is_default={}, inbound={}, outbound={})",
            crate::repr::q(&self.id()),
            crate::repr::q(self.name()),
            crate::repr::b(self.is_default()),
            self.0.rules(Direction::Inbound).len(),
            self.0.rules(Direction::Outbound).len(),
        )
    }
}

/// A network interface (ENI) as it was when read (a snapshot).
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkInterface(pub network::NetworkInterface<ADDRESSES>);

#[pymethods]
impl NetworkInterface {
    /// The interface id (``eni-...``).
    #[getter]
    fn id(&self) -> String {
        self.0.id().to_string()
    }

    /// The subnet it stays in.
    #[getter]
    fn subnet_id(&self) -> String {
        self.0.subnet().to_string()
    }

    /// The MAC address (``0a:1b:2c:3d:4e:5f``, locally administered).
    #[getter]
    fn mac(&self) -> String {
        self.0.mac().to_string()
    }

    /// The private IPv4 addresses, primary first.
    #[getter]
    fn private_ips(&self) -> Vec<String> {
        self.0.addresses().iter().map(ToString::to_string).collect()
    }

    /// The primary private IPv4 address.
    #[getter]
    fn primary_ip(&self) -> Option<String> {
        self.0.primary_address().map(|a| a.to_string())
    }

    /// The security group ids.
    #[getter]
    fn security_groups(&self) -> Vec<String> {
        self.0
            .security_groups()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Whether the source/destination check is on (the default).
    #[getter]
    fn source_dest_check(&self) -> bool {
        self.0.source_dest_check()
    }

    /// ``"in-use"`` or ``"available"``.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status()
    }

    /// The instance it is attached to.
    #[getter]
    fn instance_id(&self) -> Option<String> {
        self.0.attachment().map(|a| a.instance.to_string())
    }

    /// The attachment's device index; 0 is the primary interface.
    #[getter]
    fn device_index(&self) -> Option<u8> {
        self.0.attachment().map(|a| a.device_index)
    }

    /// Whether terminating the instance deletes it; ``None`` when not attached.
    #[getter]
    fn delete_on_termination(&self) -> Option<bool> {
        self.0.attachment().map(|a| a.delete_on_termination)
    }

    /// Idle timeouts in seconds: ``(tcp_established, udp_stream, udp)``.
    #[getter]
    fn tracking_timeouts(&self) -> (u32, u32, u32) {
        self.0.tracking_timeouts().into()
    }

    fn __repr__(&self) -> String {
        format!(
            "NetworkInterface(id={}, status={}, instance_id={}, device_index={}, \
             private_ips={}, mac={}, security_groups={})",
            crate::repr::q(&self.id()),
            crate::repr::q(self.status()),
            crate::repr::q_opt(self.instance_id().as_deref()),
            self.device_index()
                .map_or_else(|| "None".to_owned(), |i| i.to_string()),
            crate::repr::q_list(&self.private_ips()),
            crate::repr::q(&self.mac()),
            crate::repr::q_list(&self.security_groups()),
        )
    }
}

/// A subnet (a snapshot).
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet(pub network::SubnetInfo);

#[pymethods]
impl Subnet {
    /// The subnet id (``subnet-...``).
    #[getter]
    fn id(&self) -> String {
        self.0.id().to_string()
    }

    /// The block.
    #[getter]
    fn cidr(&self) -> String {
        self.0.cidr().to_string()
    }

    /// The availability zone.
    #[getter]
    fn zone(&self) -> &str {
        self.0.zone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Subnet(id={}, cidr={}, zone={})",
            crate::repr::q(&self.id()),
            crate::repr::q(&self.cidr()),
            crate::repr::q(self.zone()),
        )
    }
}

/// One tracked flow (a snapshot).
#[pyclass(frozen, eq, module = "fleetcore")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flow(pub network::Flow);

#[pymethods]
impl Flow {
    /// The interface it crosses.
    #[getter]
    fn eni_id(&self) -> String {
        self.0.eni().to_string()
    }

    /// ``"tcp"``, ``"udp"``, ``"icmp"`` or another protocol's number.
    #[getter]
    fn protocol(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        protocol_py(py, Some(self.0.key().protocol))
    }

    /// The interface's address and port.
    #[getter]
    fn local(&self) -> (String, u16) {
        let k = self.0.key();
        (k.local.to_string(), k.local_port)
    }

    /// The peer's address and port.
    #[getter]
    fn remote(&self) -> (String, u16) {
        let k = self.0.key();
        (k.remote.to_string(), k.remote_port)
    }

    /// ``"inbound"`` or ``"outbound"``: the direction of the packet that opened it.
    #[getter]
    fn initiator(&self) -> &'static str {
        self.0.initiator().as_str()
    }

    /// When it dies unless a packet refreshes it, in seconds.
    #[getter]
    fn expires_s(&self) -> f64 {
        to_seconds(self.0.expires().total_millis())
    }

    /// Whether it is a UDP stream (two or more request-response transactions), kept by the
    /// longer ``udp_stream`` timeout.
    #[getter]
    fn is_stream(&self) -> bool {
        self.0.is_stream()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Flow(eni_id={}, protocol={}, local=({}, {}), remote=({}, {}), initiator={}, \
             expires_s={})",
            crate::repr::q(&self.eni_id()),
            self.protocol(py)?.bind(py).repr()?,
            crate::repr::q(&self.local().0),
            self.local().1,
            crate::repr::q(&self.remote().0),
            self.remote().1,
            crate::repr::q(self.initiator()),
            self.expires_s(),
        ))
    }
}

/// An instance type given by name (built in) or as an `InstanceType`.
fn instance_type(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<CoreInstanceType> {
    if let Ok(t) = obj.cast::<InstanceType>() {
        return Ok(t.get().0.clone());
    }
    let name: String = obj.extract()?;
    CoreInstanceType::builtin(&name).py_err(py)
}

/// One VPC: subnets, network interfaces, security groups and stateful packet filtering
/// (SEMANTICS §6).
///
/// Holds ``SUBNETS`` subnets, ``INTERFACES`` interfaces of up to ``ADDRESSES`` private
/// addresses each, ``SECURITY_GROUPS`` security groups of up to ``RULES`` rules per direction,
/// and ``FLOWS`` tracked flows (the class attributes); a full table raises ``NetworkError``
/// 1836, a full flow table denies new flows (``Verdict.reason == "table-full"``). Ids and MAC addresses come from ``seed``.
/// Every refused call changes nothing.
///
/// Security groups only allow; all rules of all an interface's groups are pooled and
/// anything no rule allows is denied. A new group allows no inbound and all outbound
/// traffic; the ``default`` group allows inbound traffic from itself and all outbound, and
/// an interface created without groups gets it. Outbound TCP to port 25 is blocked until
/// ``port25_open`` is set. Allowed flows are tracked, so their return traffic passes whatever
/// the rules say, until the interface's idle timeout.
///
/// Args:
///     cidr: the VPC's block, /16 to /28 (``NetworkError`` 1818).
///     seed: seeds the ids.
///     groups_per_eni: quota of groups per interface, 1-16.
///     rules_per_group: quota of rules per group and direction; ``groups_per_eni *
///         rules_per_group`` at most 1000 (``NetworkError`` 1807).
#[pyclass(module = "fleetcore")]
pub struct Network {
    // About 565 KiB: boxed, so it stays off the Python thread's stack (see the `sizes` test).
    inner: Box<CoreNetwork>,
}

#[pymethods]
impl Network {
    /// Subnets a network holds.
    #[classattr]
    const SUBNETS: usize = SUBNETS;
    /// Network interfaces a network holds.
    #[classattr]
    const INTERFACES: usize = INTERFACES;
    /// Private IPv4 addresses an interface holds.
    #[classattr]
    const ADDRESSES: usize = ADDRESSES;
    /// Security groups a network holds, the default group included.
    #[classattr]
    const SECURITY_GROUPS: usize = SECURITY_GROUPS;
    /// Rules a security group stores per direction.
    #[classattr]
    const RULES: usize = RULES;
    /// Flows the connection tracking table holds.
    #[classattr]
    const FLOWS: usize = FLOWS;

    /// A VPC with block `cidr` (/16 to /28) and its `default` security group.
    #[new]
    #[pyo3(signature = (cidr = "10.0.0.0/16", *, seed = 0, groups_per_eni = 5, rules_per_group = 60))]
    fn new(
        py: Python<'_>,
        cidr: &str,
        #[pyo3(from_py_with = crate::args::seed_u64)] seed: u64,
        #[pyo3(from_py_with = crate::args::groups_per_eni_u8)] groups_per_eni: u8,
        #[pyo3(from_py_with = crate::args::rules_per_group_u16)] rules_per_group: u16,
    ) -> PyResult<Self> {
        let cidr = parse_cidr(py, cidr)?;
        let quotas = Quotas::new(groups_per_eni, rules_per_group).map_err(|e| net_err(py, e))?;
        let inner = CoreNetwork::new(cidr, quotas, seed).map_err(|e| net_err(py, e))?;
        Ok(Self {
            inner: Box::new(inner),
        })
    }

    /// The VPC id.
    #[getter]
    fn vpc_id(&self) -> String {
        self.inner.vpc_id().to_string()
    }

    /// The VPC's block.
    #[getter]
    fn cidr(&self) -> String {
        self.inner.cidr().to_string()
    }

    /// ``(groups_per_eni, rules_per_group)``.
    #[getter]
    fn quotas(&self) -> (u8, u16) {
        self.inner.quotas().into()
    }

    /// The ``default`` group's id.
    #[getter]
    fn default_security_group(&self) -> String {
        self.inner.default_security_group().to_string()
    }

    /// Whether outbound TCP to port 25 goes to the rules (settable; EC2 blocks it).
    #[getter]
    fn port25_open(&self) -> bool {
        self.inner.port25_open()
    }

    #[setter]
    fn set_port25_open(&mut self, open: bool) {
        self.inner.set_port25_open(open);
    }

    /// ``CreateSubnet`` inside the VPC's block; returns its id. ``NetworkError`` 1816
    /// outside the VPC, 1817 overlapping, 1818 size, 1819 bad zone.
    fn create_subnet(&mut self, py: Python<'_>, cidr: &str, zone: &str) -> PyResult<String> {
        let cidr = parse_cidr(py, cidr)?;
        self.inner
            .create_subnet(cidr, zone)
            .map(|id| id.to_string())
            .map_err(|e| net_err(py, e))
    }

    /// The subnets, in creation order.
    fn subnets(&self) -> Vec<Subnet> {
        self.inner.subnets().cloned().map(Subnet).collect()
    }

    /// ``CreateSecurityGroup``; returns its id. ``NetworkError`` 1809 bad name, 1810
    /// taken.
    fn create_security_group(&mut self, py: Python<'_>, name: &str) -> PyResult<String> {
        self.inner
            .create_security_group(name)
            .map(|id| id.to_string())
            .map_err(|e| net_err(py, e))
    }

    /// ``DeleteSecurityGroup``. ``NetworkError`` 1811 for the default group, 1812 while an
    /// interface carries it or a rule names it, 1808 unknown.
    fn delete_security_group(&mut self, py: Python<'_>, group_id: &str) -> PyResult<()> {
        let id = sg_id(py, group_id)?;
        self.inner
            .delete_security_group(id)
            .map_err(|e| net_err(py, e))
    }

    /// The group with this id (``NetworkError`` 1808 otherwise).
    fn security_group(&self, py: Python<'_>, group_id: &str) -> PyResult<SecurityGroup> {
        let id = sg_id(py, group_id)?;
        self.inner
            .security_group(id)
            .cloned()
            .map(SecurityGroup)
            .map_err(|e| net_err(py, e))
    }

    /// The groups, the default group first.
    fn security_groups(&self) -> Vec<SecurityGroup> {
        self.inner
            .security_groups()
            .cloned()
            .map(SecurityGroup)
            .collect()
    }

    /// ``AuthorizeSecurityGroupIngress``/``Egress``: adds a rule, at once for new flows.
    /// ``NetworkError`` 1803 duplicate, 1805 quota, 1808 unknown group (or peer group).
    #[pyo3(signature = (group_id, rule, *, direction = "inbound"))]
    fn authorize(
        &mut self,
        py: Python<'_>,
        group_id: &str,
        rule: &Rule,
        direction: &str,
    ) -> PyResult<()> {
        let id = sg_id(py, group_id)?;
        let d = self::direction(direction)?;
        self.inner
            .authorize(id, d, rule.0)
            .map_err(|e| net_err(py, e))
    }

    /// ``RevokeSecurityGroupIngress``/``Egress``: removes a rule; tracked flows live on
    /// until their timeout. ``NetworkError`` 1804 if the group has no such rule.
    #[pyo3(signature = (group_id, rule, *, direction = "inbound"))]
    fn revoke(
        &mut self,
        py: Python<'_>,
        group_id: &str,
        rule: &Rule,
        direction: &str,
    ) -> PyResult<()> {
        let id = sg_id(py, group_id)?;
        let d = self::direction(direction)?;
        self.inner.revoke(id, d, rule.0).map_err(|e| net_err(py, e))
    }

    /// ``CreateNetworkInterface``: ``private_ip`` or the lowest free address (the first four
    /// and the last of the subnet are reserved), ``groups`` or the default group. Returns
    /// its id. ``NetworkError`` 1821-1824 for the address, 1806/1808/1813 for the groups.
    #[pyo3(signature = (subnet_id, *, private_ip = None, groups = Vec::new()))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn create_network_interface(
        &mut self,
        py: Python<'_>,
        subnet_id: &str,
        private_ip: Option<&str>,
        groups: Vec<String>,
    ) -> PyResult<String> {
        let subnet = network::SubnetId::parse(subnet_id).py_err(py)?;
        let ip = private_ip.map(|t| parse_addr(py, t)).transpose()?;
        let groups = group_ids(py, &groups)?;
        self.inner
            .create_network_interface(subnet, ip, &groups)
            .map(|id| id.to_string())
            .map_err(|e| net_err(py, e))
    }

    /// ``DeleteNetworkInterface``; ``NetworkError`` 1828 while attached.
    fn delete_network_interface(&mut self, py: Python<'_>, eni: &str) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        self.inner
            .delete_network_interface(id)
            .map_err(|e| net_err(py, e))
    }

    /// The interface with this id (``NetworkError`` 1820 otherwise).
    fn network_interface(&self, py: Python<'_>, eni: &str) -> PyResult<NetworkInterface> {
        let id = eni_id(py, eni)?;
        self.inner
            .network_interface(id)
            .cloned()
            .map(NetworkInterface)
            .map_err(|e| net_err(py, e))
    }

    /// Every interface in creation order, or those attached to ``instance_id``.
    #[pyo3(signature = (instance_id = None))]
    fn network_interfaces(
        &self,
        py: Python<'_>,
        instance_id: Option<&str>,
    ) -> PyResult<Vec<NetworkInterface>> {
        Ok(match instance_id {
            Some(text) => {
                let instance = id::parse(py, text)?;
                self.inner
                    .instance_interfaces(instance)
                    .cloned()
                    .map(NetworkInterface)
                    .collect()
            }
            None => self
                .inner
                .network_interfaces()
                .cloned()
                .map(NetworkInterface)
                .collect(),
        })
    }

    /// The interface as its instance's metadata shows it, for ``Imds(interfaces=[...])``:
    /// MAC, device number (0 when not attached), id, addresses, subnet, VPC and groups (ids
    /// and names).
    fn interface_metadata(&self, py: Python<'_>, eni: &str) -> PyResult<InterfaceMetadata> {
        let id = eni_id(py, eni)?;
        let e = self
            .inner
            .network_interface(id)
            .map_err(|e| net_err(py, e))?;
        let subnet = self.inner.subnet(e.subnet()).map_err(|e| net_err(py, e))?;
        let names = e
            .security_groups()
            .iter()
            .map(|g| {
                self.inner
                    .security_group(*g)
                    .map(|sg| sg.name().to_owned())
                    .map_err(|e| net_err(py, e))
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(InterfaceMetadata::from_parts(
            e.mac().to_string(),
            e.attachment().map_or(0, |a| u32::from(a.device_index)),
            e.id().to_string(),
            e.addresses().iter().map(ToString::to_string).collect(),
            subnet.id().to_string(),
            subnet.cidr().to_string(),
            self.vpc_id(),
            vec![self.cidr()],
            e.security_groups()
                .iter()
                .map(ToString::to_string)
                .collect(),
            names,
        ))
    }

    /// Adds a secondary address (``ip`` or the lowest free); returns it. ``NetworkError``
    /// 1825 at the instance type's limit.
    #[pyo3(signature = (eni, ip = None))]
    fn assign_private_ip(
        &mut self,
        py: Python<'_>,
        eni: &str,
        ip: Option<&str>,
    ) -> PyResult<String> {
        let id = eni_id(py, eni)?;
        let ip = ip.map(|t| parse_addr(py, t)).transpose()?;
        self.inner
            .assign_private_ip(id, ip)
            .map(|a| a.to_string())
            .map_err(|e| net_err(py, e))
    }

    /// Removes a secondary address; ``NetworkError`` 1826 for the primary, 1827 if not
    /// held.
    fn unassign_private_ip(&mut self, py: Python<'_>, eni: &str, ip: &str) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        let ip = parse_addr(py, ip)?;
        self.inner
            .unassign_private_ip(id, ip)
            .map_err(|e| net_err(py, e))
    }

    /// Replaces the interface's groups; ``NetworkError`` 1814 for none, 1806 over the
    /// quota.
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn set_security_groups(
        &mut self,
        py: Python<'_>,
        eni: &str,
        groups: Vec<String>,
    ) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        let groups = group_ids(py, &groups)?;
        self.inner
            .set_security_groups(id, &groups)
            .map_err(|e| net_err(py, e))
    }

    /// Turns the source/destination check on or off.
    fn set_source_dest_check(&mut self, py: Python<'_>, eni: &str, on: bool) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        self.inner
            .set_source_dest_check(id, on)
            .map_err(|e| net_err(py, e))
    }

    /// Sets the idle timeouts (60-432000, 60-180, 30-60 s; ``NetworkError`` 1838).
    #[pyo3(signature = (eni, *, tcp_established_s = 432_000, udp_stream_s = 180, udp_s = 30))]
    fn set_tracking_timeouts(
        &mut self,
        py: Python<'_>,
        eni: &str,
        #[pyo3(from_py_with = crate::args::tcp_established_s_u32)] tcp_established_s: u32,
        #[pyo3(from_py_with = crate::args::udp_stream_s_u32)] udp_stream_s: u32,
        #[pyo3(from_py_with = crate::args::udp_s_u32)] udp_s: u32,
    ) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        let t = TrackingTimeouts::new(tcp_established_s, udp_stream_s, udp_s)
            .map_err(|e| net_err(py, e))?;
        self.inner
            .set_tracking_timeouts(id, t)
            .map_err(|e| net_err(py, e))
    }

    /// Creates and attaches the primary interface (device index 0, deleted on
    /// termination) of a new instance; returns its id. The type's limits hold from then on.
    /// ``NetworkError`` 1835 if the instance already has one.
    #[pyo3(signature = (instance_id, instance_type, subnet_id, *, private_ip = None, groups = Vec::new()))]
    #[allow(clippy::needless_pass_by_value)] // pyo3 extracts a sequence into an owned `Vec`.
    fn launch(
        &mut self,
        py: Python<'_>,
        instance_id: &str,
        instance_type: &Bound<'_, PyAny>,
        subnet_id: &str,
        private_ip: Option<&str>,
        groups: Vec<String>,
    ) -> PyResult<String> {
        let instance = id::parse(py, instance_id)?;
        let itype = self::instance_type(py, instance_type)?;
        let subnet = network::SubnetId::parse(subnet_id).py_err(py)?;
        let ip = private_ip.map(|t| parse_addr(py, t)).transpose()?;
        let groups = group_ids(py, &groups)?;
        self.inner
            .launch(instance, &itype, subnet, ip, &groups)
            .map(|id| id.to_string())
            .map_err(|e| net_err(py, e))
    }

    /// Launches an instance with an available interface as its primary.
    #[pyo3(signature = (instance_id, instance_type, eni, *, delete_on_termination = false))]
    fn launch_with_interface(
        &mut self,
        py: Python<'_>,
        instance_id: &str,
        instance_type: &Bound<'_, PyAny>,
        eni: &str,
        delete_on_termination: bool,
    ) -> PyResult<()> {
        let instance = id::parse(py, instance_id)?;
        let itype = self::instance_type(py, instance_type)?;
        let id = eni_id(py, eni)?;
        self.inner
            .launch_with_interface(instance, &itype, id, delete_on_termination)
            .map_err(|e| net_err(py, e))
    }

    /// ``AttachNetworkInterface`` at a free index other than 0. ``NetworkError`` 1828 in
    /// use, 1831 other zone, 1832 over the type's limit, 1833 index taken, 1834 unknown
    /// instance.
    #[pyo3(signature = (instance_id, eni, device_index, *, delete_on_termination = false))]
    fn attach(
        &mut self,
        py: Python<'_>,
        instance_id: &str,
        eni: &str,
        #[pyo3(from_py_with = crate::args::device_index_u8)] device_index: u8,
        delete_on_termination: bool,
    ) -> PyResult<()> {
        let instance = id::parse(py, instance_id)?;
        let id = eni_id(py, eni)?;
        self.inner
            .attach(instance, id, device_index, delete_on_termination)
            .map_err(|e| net_err(py, e))
    }

    /// ``DetachNetworkInterface``; ``NetworkError`` 1830 for the primary, 1829 if not
    /// attached.
    fn detach(&mut self, py: Python<'_>, eni: &str) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        self.inner.detach(id).map_err(|e| net_err(py, e))
    }

    /// Sets the attachment's ``DeleteOnTermination``.
    fn set_delete_on_termination(
        &mut self,
        py: Python<'_>,
        eni: &str,
        delete: bool,
    ) -> PyResult<()> {
        let id = eni_id(py, eni)?;
        self.inner
            .set_delete_on_termination(id, delete)
            .map_err(|e| net_err(py, e))
    }

    /// The instance terminated: deletes its interfaces with ``DeleteOnTermination`` and
    /// detaches the others; returns ``(deleted, detached)``.
    fn terminate(&mut self, py: Python<'_>, instance_id: &str) -> PyResult<(usize, usize)> {
        let instance: InstanceId = id::parse(py, instance_id)?;
        self.inner
            .terminate(instance)
            .map(|t| (t.deleted, t.detached))
            .map_err(|e| net_err(py, e))
    }

    /// Filters ``packet`` crossing ``eni`` at ``now_s``, with connection tracking: a live
    /// flow passes it (and is refreshed), a packet a rule allows opens a flow unless it is
    /// untracked. A dropped packet is a ``Verdict``, not an error. ``NetworkError`` 1820 for
    /// an unknown interface.
    #[pyo3(signature = (now_s, eni, packet, *, direction = "inbound"))]
    fn evaluate(
        &mut self,
        py: Python<'_>,
        now_s: Seconds,
        eni: &str,
        packet: &Packet,
        direction: &str,
    ) -> PyResult<Verdict> {
        let id = eni_id(py, eni)?;
        let d = self::direction(direction)?;
        self.inner
            .process(now_s.instant(), id, d, &packet.0)
            .map(Verdict)
            .map_err(|e| net_err(py, e))
    }

    /// What the rules alone say about ``packet``, ignoring tracked flows; changes
    /// nothing.
    #[pyo3(signature = (eni, packet, *, direction = "inbound"))]
    fn check_rules(
        &self,
        py: Python<'_>,
        eni: &str,
        packet: &Packet,
        direction: &str,
    ) -> PyResult<Verdict> {
        let id = eni_id(py, eni)?;
        let d = self::direction(direction)?;
        self.inner
            .evaluate(id, d, &packet.0)
            .map(Verdict)
            .map_err(|e| net_err(py, e))
    }

    /// The tracked flows (live, or expired and not yet removed).
    fn flows(&self) -> Vec<Flow> {
        self.inner.flows().iter().copied().map(Flow).collect()
    }

    /// Removes the flows expired by ``now_s``; returns how many.
    fn expire_flows(&mut self, now_s: Seconds) -> usize {
        self.inner.expire_flows(now_s.instant())
    }

    fn __repr__(&self) -> String {
        format!(
            "Network(vpc_id={}, cidr={}, subnets={}, security_groups={}, interfaces={}, \
             flows={})",
            crate::repr::q(&self.vpc_id()),
            crate::repr::q(&self.cidr()),
            self.inner.subnets().count(),
            self.inner.security_groups().count(),
            self.inner.network_interfaces().count(),
            self.inner.flows().len(),
        )
    }
}

fn group_ids(py: Python<'_>, groups: &[String]) -> PyResult<Vec<SecurityGroupId>> {
    groups.iter().map(|g| sg_id(py, g)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        println!(
            "Network: {} bytes, Catalog: {} bytes",
            core::mem::size_of::<CoreNetwork>(),
            core::mem::size_of::<crate::catalog::CatalogSize>()
        );
    }
}
