//! Zones: the Availability Zones (or racks, or power domains) a group spans, named as the
//! caller names them. A leaf module: groups, purchasing and the network model all use it.

/// The most Availability Zones (or racks, or power domains) a group spans.
pub const MAX_ZONES: usize = 8;
/// Longest zone name.
pub const ZONE_NAME_MAX: usize = 32;

/// A zone's name, such as `us-east-1a` or `rack-2`.
pub type ZoneName = heapless::String<ZONE_NAME_MAX>;
