//! Stateful connection tracking in a fixed-size table (SEMANTICS §6); see [`FlowTable`].

use core::net::Ipv4Addr;

use super::error::NetError;
use super::sg::Direction;
use crate::id::EniId;
use crate::time::{Duration, Instant};

/// Idle timeout of ICMP flows (model, see the module docs).
pub const ICMP_TIMEOUT: Duration = Duration::from_secs(30);
/// Idle timeout of flows of protocols other than TCP, UDP and ICMP (SEMANTICS §6).
pub const OTHER_TIMEOUT: Duration = Duration::from_secs(600);

/// Per-interface idle timeouts, in seconds, as `ConnectionTrackingSpecificationRequest` sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(try_from = "(u32, u32, u32)", into = "(u32, u32, u32)")]
pub struct TrackingTimeouts {
    tcp_established: u32,
    udp_stream: u32,
    udp: u32,
}

impl TrackingTimeouts {
    /// The service's defaults: 432 000 s, 180 s, 30 s.
    pub const DEFAULT: Self = Self {
        tcp_established: 432_000,
        udp_stream: 180,
        udp: 30,
    };

    /// Timeouts in seconds for established TCP, UDP streams and other UDP flows.
    ///
    /// # Errors
    /// [`NetError::InvalidTimeout`] naming the first value outside 60–432 000, 60–180 or 30–60.
    pub const fn new(tcp_established: u32, udp_stream: u32, udp: u32) -> Result<Self, NetError> {
        if let Err(e) = in_range(tcp_established, "TcpEstablishedTimeout", 60, 432_000) {
            return Err(e);
        }
        if let Err(e) = in_range(udp_stream, "UdpStreamTimeout", 60, 180) {
            return Err(e);
        }
        if let Err(e) = in_range(udp, "UdpTimeout", 30, 60) {
            return Err(e);
        }
        Ok(Self {
            tcp_established,
            udp_stream,
            udp,
        })
    }

    /// Established TCP flows, in seconds.
    pub const fn tcp_established(self) -> u32 {
        self.tcp_established
    }

    /// UDP streams, in seconds.
    pub const fn udp_stream(self) -> u32 {
        self.udp_stream
    }

    /// Other UDP flows, in seconds.
    pub const fn udp(self) -> u32 {
        self.udp
    }
}

const fn in_range(value: u32, field: &'static str, min: u32, max: u32) -> Result<(), NetError> {
    if value < min || value > max {
        return Err(NetError::InvalidTimeout { field, min, max });
    }
    Ok(())
}

impl Default for TrackingTimeouts {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<(u32, u32, u32)> for TrackingTimeouts {
    type Error = NetError;
    fn try_from((t, s, u): (u32, u32, u32)) -> Result<Self, NetError> {
        Self::new(t, s, u)
    }
}

impl From<TrackingTimeouts> for (u32, u32, u32) {
    fn from(t: TrackingTimeouts) -> Self {
        (t.tcp_established, t.udp_stream, t.udp)
    }
}

/// What identifies a flow on one interface, oriented from the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct FlowKey {
    /// The IP protocol number.
    pub protocol: u8,
    /// The interface's address.
    #[cfg_attr(feature = "defmt", defmt(Display2Format))]
    pub local: Ipv4Addr,
    /// The interface's port (0 for protocols without ports).
    pub local_port: u16,
    /// The peer's address.
    #[cfg_attr(feature = "defmt", defmt(Display2Format))]
    pub remote: Ipv4Addr,
    /// The peer's port (0 for protocols without ports).
    pub remote_port: u16,
}

/// One tracked flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Flow {
    eni: EniId,
    key: FlowKey,
    initiator: Direction,
    last: Direction,
    transactions: u8,
    expires: Instant,
}

impl Flow {
    /// The interface the flow crosses.
    pub fn eni(&self) -> EniId {
        self.eni
    }

    /// The flow's key.
    pub fn key(&self) -> FlowKey {
        self.key
    }

    /// The direction of the packet that opened the flow.
    pub fn initiator(&self) -> Direction {
        self.initiator
    }

    /// When the flow dies unless another packet refreshes it.
    pub fn expires(&self) -> Instant {
        self.expires
    }

    /// Whether the flow is a UDP stream (at least two request-response transactions).
    pub fn is_stream(&self) -> bool {
        self.transactions >= 2
    }

    fn is_live(&self, now: Instant) -> bool {
        now < self.expires
    }

    fn timeout(&self, t: TrackingTimeouts) -> Duration {
        match self.key.protocol {
            6 => Duration::from_secs(u64::from(t.tcp_established)),
            17 if self.is_stream() => Duration::from_secs(u64::from(t.udp_stream)),
            17 => Duration::from_secs(u64::from(t.udp)),
            1 => ICMP_TIMEOUT,
            _ => OTHER_TIMEOUT,
        }
    }
}

/// The table of tracked flows of a whole network, `F` at most (SEMANTICS §6,
/// `EC2-UG:security-group-connection-tracking`).
///
/// A flow is tracked per network interface and keyed by protocol, local address and port, remote
/// address and port. Any packet of a live flow passes, in either direction, whatever the rules
/// now say, and keeps the flow alive for its idle timeout.
///
/// Timeouts (idle, seconds). SEMANTICS §6 gives only the 600 s of protocols other than TCP, UDP
/// and ICMP; the others come from the EC2 API's `ConnectionTrackingSpecificationRequest`
/// (`API-EC2:ConnectionTrackingSpecificationRequest`; per interface, see [`TrackingTimeouts`]):
///
/// | flow | default | range |
/// |---|---|---|
/// | TCP established | 432 000 (5 days) | 60–432 000 |
/// | UDP stream (more than one request-response) | 180 | 60–180 |
/// | UDP otherwise (one direction or one request-response) | 30 | 30–60 |
/// | ICMP | 30 (model) | fixed |
/// | other IP protocols | 600 (SEMANTICS §6) | fixed |
///
/// Model: packets carry no TCP flags, so every tracked TCP flow counts as established (a
/// half-open connection lives as long as an open one). A UDP flow becomes a stream at its second
/// request-response transaction (a reply following a request, twice). ICMP and other protocols
/// are tracked by address pair only: any ICMP message between the two addresses belongs to the
/// flow. The service publishes no ICMP timeout; we use the single-UDP default of 30 s.
///
/// Full table: EC2 drops the packets of new connections once an instance reaches its tracking
/// allowance (`conntrack_allowance_exceeded`). We do the same: a new flow first takes the slot of
/// the expired flow that expired earliest; if no flow has expired the packet is denied
/// ([`super::Denial::TableFull`]). Nothing live is evicted and nothing is allowed
/// untracked because the table is full.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlowTable<const F: usize> {
    flows: heapless::Vec<Flow, F>,
}

impl<const F: usize> Default for FlowTable<F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const F: usize> FlowTable<F> {
    /// An empty table.
    pub const fn new() -> Self {
        Self {
            flows: heapless::Vec::new(),
        }
    }

    /// Flows held, live or expired but not yet removed.
    pub fn len(&self) -> usize {
        self.flows.len()
    }

    /// Whether no flow is held.
    pub fn is_empty(&self) -> bool {
        self.flows.is_empty()
    }

    /// The flows held, live or expired.
    pub fn iter(&self) -> impl Iterator<Item = &Flow> {
        self.flows.iter()
    }

    /// Flows alive at `now`.
    pub fn live(&self, now: Instant) -> impl Iterator<Item = &Flow> {
        self.flows.iter().filter(move |f| f.is_live(now))
    }

    /// Passes a packet of a live flow: refreshes it and returns `true`; `false` if the packet
    /// belongs to no live flow.
    pub(super) fn touch(
        &mut self,
        now: Instant,
        eni: EniId,
        key: &FlowKey,
        direction: Direction,
        timeouts: TrackingTimeouts,
    ) -> bool {
        let Some(flow) = self
            .flows
            .iter_mut()
            .find(|f| f.eni == eni && f.key == *key && f.is_live(now))
        else {
            return false;
        };
        if direction != flow.initiator && flow.last == flow.initiator {
            flow.transactions = flow.transactions.saturating_add(1);
        }
        flow.last = direction;
        flow.expires = now.saturating_add(flow.timeout(timeouts));
        true
    }

    /// Starts tracking a flow opened by a packet in `direction`.
    ///
    /// # Errors
    /// `Err(())` when every slot holds a live flow; the table is unchanged.
    pub(super) fn open(
        &mut self,
        now: Instant,
        eni: EniId,
        key: FlowKey,
        direction: Direction,
        timeouts: TrackingTimeouts,
    ) -> Result<(), ()> {
        let mut flow = Flow {
            eni,
            key,
            initiator: direction,
            last: direction,
            transactions: 0,
            expires: now,
        };
        flow.expires = now.saturating_add(flow.timeout(timeouts));
        let Err(flow) = self.flows.push(flow) else {
            return Ok(());
        };
        let slot = self
            .flows
            .iter_mut()
            .filter(|f| !f.is_live(now))
            .min_by_key(|f| f.expires)
            .ok_or(())?;
        *slot = flow;
        Ok(())
    }

    /// Removes flows that expired by `now`; returns how many.
    pub fn expire(&mut self, now: Instant) -> usize {
        let before = self.flows.len();
        self.flows.retain(|f| f.is_live(now));
        before.saturating_sub(self.flows.len())
    }

    /// Forgets every flow of an interface (it was deleted).
    pub(super) fn forget(&mut self, eni: EniId) {
        self.flows.retain(|f| f.eni != eni);
    }
}
