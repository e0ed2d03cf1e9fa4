//! The documents: plain serde types that mirror the JSON schema, and their conversion into the
//! core's types through the core's validators.

use serde::{Deserialize, Serialize};

use super::dynamic::{AlarmDoc, HookDoc, MetricDoc, PredictiveDoc, WarmPoolDoc};
use super::purchase::PurchaseDoc;
use super::scan::Seg;
use super::simulation::SimulationDoc;
use super::track::{Fault, SegPath};
use crate::catalog::CatalogError;
use crate::catalog::{
    Architecture, Category, InstanceType, LaunchTemplate, LaunchTemplateData, NormalizationFactor,
    TYPE_NAME_MAX, TypeName, VersionSpec,
};
use crate::config::ConfigError;
use crate::group::{
    GroupConfig, MAX_ALARMS, MAX_HOOKS, MAX_METRICS, MAX_POLICIES, MAX_TERMINATION_POLICIES,
    MAX_ZONES, ScalingPolicy, ScheduledAction, TerminationPolicy,
};
use crate::id::{ImageId, SecurityGroupId, TemplateId};
use crate::lifecycle::{InterruptionBehavior, Market, ShutdownBehavior, SpotRequestType};
use crate::network::{IcmpMatch, Ipv4Cidr, Peer, PortRange, Rule, Traffic, validate_group_name};
use crate::purchase::MarketKind;
use crate::scaling::cron::Cron;
use crate::scaling::target::TargetTracking;
use crate::scaling::tz::{TimeZone, civil_from_days, days_from_civil};
use crate::scaling::{
    AdjustmentType, Aggregation, StepAdjustment, Value, target_capacity, validate_steps,
};
use crate::time::{Duration, Instant};

/// Longest name of a launch template, security group, group, scheduled action or zone in a
/// document (the service allows more for some; a controller rarely needs it).
pub const NAME_MAX: usize = 64;
/// Longest launch template description in a document.
pub const DESCRIPTION_MAX: usize = 64;
/// Longest recurrence or time zone text.
pub const RULE_TEXT_MAX: usize = 64;
/// Custom instance types in one controller document.
pub const MAX_INSTANCE_TYPES: usize = 8;
/// Launch templates in one controller document.
pub const MAX_TEMPLATES: usize = 8;
/// Security groups in one controller document.
pub const MAX_SECURITY_GROUPS: usize = 4;
/// Rules per direction of one security group.
pub const MAX_RULES: usize = 8;
/// Groups in one controller document.
pub const MAX_GROUPS: usize = 2;
/// Steps of one step policy in a document (the service allows 20).
pub const MAX_DOC_STEPS: usize = 10;
/// Scheduled actions per group in a document (the service allows 125).
pub const MAX_DOC_SCHEDULED: usize = 8;

/// A name in a document.
pub type Name = heapless::String<NAME_MAX>;

/// The error of a conversion, at a path relative to the document being converted.
pub(super) type Conv<T> = Result<T, Fault>;

pub(super) fn bad(error: impl Into<ConfigError>, path: &[Seg]) -> Fault {
    let mut p = SegPath::new();
    for s in path {
        let _ = p.push(*s);
    }
    Fault {
        error: error.into(),
        path: Some(p),
    }
}

/// Puts `prefix` in front of a conversion error's path.
pub(super) fn within(prefix: &[Seg]) -> impl Fn(Fault) -> Fault + '_ {
    move |f| {
        let mut p = SegPath::new();
        for s in prefix.iter().chain(f.path.iter().flatten()) {
            let _ = p.push(*s);
        }
        Fault {
            error: f.error,
            path: Some(p),
        }
    }
}

pub(super) fn index(i: usize) -> Seg {
    Seg::Index(u16::try_from(i).unwrap_or(u16::MAX))
}

pub(super) fn secs(s: u32) -> Duration {
    Duration::from_secs(u64::from(s))
}

/// JSON for [`Value`]s: a decimal number held exactly in thousandths (`0.25` is 250). JSON
/// numbers become thousandths (rounded to the nearest), and go back out as the shortest JSON
/// number. Values are at most 10^12 in magnitude, where an `f64` still tells thousandths apart,
/// so the round trip is exact. Used with `#[serde(with = "decimal")]` (or `decimal::option`).
pub(crate) mod decimal {
    use core::fmt::{self, Write as _};

    use serde::{Deserializer, Serializer};

    use crate::value::Value;

    /// The largest magnitude, in thousandths (10^12).
    pub const MAX_MILLI: i64 = 1_000_000_000_000_000;

    /// One, the default of factors.
    pub fn one() -> Value {
        Value::from_int(1)
    }

    /// Writes `v` as a JSON number.
    ///
    /// # Errors
    /// The serializer's.
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub fn serialize<S: Serializer>(v: &Value, s: S) -> Result<S::Ok, S::Error> {
        serialize_scaled(v.milli(), 3, s)
    }

    /// Reads a JSON number.
    ///
    /// # Errors
    /// Not a number, or beyond 10^12 in magnitude.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        deserialize_scaled(d, 3, MAX_MILLI).map(Value::from_milli)
    }

    /// Writes `units` (in 10^-`places`) as the JSON number they stand for.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize_scaled<S: Serializer>(
        units: i64,
        places: u32,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        // Through text, so no float arithmetic: the nearest f64 to the decimal, which the
        // serializer prints in the shortest form that reads back to it.
        let fail = || serde::ser::Error::custom("decimal");
        let scale = 10_i64.checked_pow(places).ok_or_else(fail)?;
        let whole = units.checked_div(scale).ok_or_else(fail)?;
        let frac = units.checked_rem(scale).ok_or_else(fail)?.unsigned_abs();
        let sign = if units < 0 && whole == 0 { "-" } else { "" };
        let width = usize::try_from(places).map_err(|_| fail())?;
        let mut text = heapless::String::<40>::new();
        write!(text, "{sign}{whole}.{frac:0width$}").map_err(|_| fail())?;
        let f: f64 = text.parse().map_err(|_| fail())?;
        s.serialize_f64(f)
    }

    /// Reads a JSON number into units of 10^-`places`, rounded to the nearest, at most `max`
    /// in magnitude.
    ///
    /// # Errors
    /// Not a number, or beyond `max`.
    pub fn deserialize_scaled<'de, D: Deserializer<'de>>(
        d: D,
        places: u32,
        max: i64,
    ) -> Result<i64, D::Error> {
        d.deserialize_f64(Visitor { places, max })
    }

    struct Visitor {
        places: u32,
        max: i64,
    }

    impl serde::de::Visitor<'_> for Visitor {
        type Value = i64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number")
        }

        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            // Rounded to `places` by the formatter (exact decimal rounding), then read as an
            // integer; beyond `max` an f64 no longer tells the units apart.
            let out_of_range = || {
                E::invalid_value(
                    serde::de::Unexpected::Float(v),
                    &"at most 1e12 in magnitude (1e9 for prices)",
                )
            };
            let mut text = heapless::String::<48>::new();
            let places = usize::try_from(self.places).map_err(|_| out_of_range())?;
            write!(text, "{v:.places$}").map_err(|_| out_of_range())?;
            let (negative, digits) = match text.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, text.as_str()),
            };
            let mut units = 0_i64;
            for c in digits.bytes().filter(|&c| c != b'.') {
                if !c.is_ascii_digit() {
                    return Err(out_of_range());
                }
                units = units
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(i64::from(c.saturating_sub(b'0'))))
                    .ok_or_else(out_of_range)?;
            }
            if units > self.max {
                return Err(out_of_range());
            }
            Ok(if negative {
                units.saturating_neg()
            } else {
                units
            })
        }
    }

    /// The same for an optional number.
    pub mod option {
        use serde::{Deserializer, Serializer};

        use crate::value::Value;

        /// Writes a present value (absent ones are skipped by the field's attributes).
        ///
        /// # Errors
        /// The serializer's.
        #[allow(clippy::ref_option)] // serde's `with` signature
        pub fn serialize<S: Serializer>(v: &Option<Value>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => super::serialize(v, s),
                None => s.serialize_none(),
            }
        }

        /// Reads a number (the field is optional through its `default`).
        ///
        /// # Errors
        /// As [`super::deserialize`].
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}

const fn one_u8() -> u8 {
    1
}

/// A custom instance type (a board, a node): SEMANTICS §6, §7, §4.2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct InstanceTypeDoc {
    /// `family.size`, lowercase letters, digits and dashes.
    pub name: heapless::String<TYPE_NAME_MAX>,
    /// Default `general_purpose`.
    #[serde(default)]
    pub category: Category,
    /// Virtual CPUs (at least 1).
    pub vcpus: u16,
    /// Memory in MiB (at least 1).
    pub memory_mib: u32,
    /// GPUs or other accelerators (default 0).
    #[serde(default)]
    pub accelerators: u8,
    /// Network interfaces per instance (default 1).
    #[serde(default = "one_u8")]
    pub max_enis: u8,
    /// Private IPv4 addresses per interface (default 1).
    #[serde(default = "one_u8")]
    pub ipv4_per_eni: u8,
    /// Reserved Instance normalization factor, a positive multiple of 0.25 (default 1).
    #[serde(default = "decimal::one", with = "decimal")]
    pub normalization_factor: Value,
    /// The processor architecture a launch checks the image against (`x86_64`, `arm64` …);
    /// default: the name's, as EC2 names families ([`TypeName::architecture`]: `x86_64` for
    /// a name that is not an EC2 family), SEMANTICS §7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<Architecture>,
}

impl InstanceTypeDoc {
    /// The instance type, checked as `Catalog::add_instance_type` checks it.
    ///
    /// # Errors
    /// The first invalid field.
    pub fn to_instance_type(&self) -> Result<InstanceType, ConfigError> {
        self.convert().map_err(|f| f.error)
    }

    pub(super) fn convert(&self) -> Conv<InstanceType> {
        let name = TypeName::parse(&self.name).map_err(|e| bad(e, &[Seg::Field("name")]))?;
        let q = self.normalization_factor.milli();
        if q <= 0 || q % 250 != 0 {
            return Err(bad(
                ConfigError::OutOfRange {
                    expected: "a positive multiple of 0.25",
                },
                &[Seg::Field("normalization_factor")],
            ));
        }
        let quarters = u32::try_from(q / 250).map_err(|_| {
            bad(
                ConfigError::OutOfRange {
                    expected: "a positive multiple of 0.25",
                },
                &[Seg::Field("normalization_factor")],
            )
        })?;
        let t = InstanceType {
            architecture: self.architecture.unwrap_or_else(|| name.architecture()),
            name,
            category: self.category,
            vcpus: self.vcpus,
            memory_mib: self.memory_mib,
            accelerators: self.accelerators,
            max_enis: self.max_enis,
            ipv4_per_eni: self.ipv4_per_eni,
            normalization: NormalizationFactor::from_quarters(quarters),
        };
        t.validate().map_err(|e| {
            let field = match e {
                CatalogError::OutOfRange { field } if field.starts_with("VCpu") => "vcpus",
                CatalogError::OutOfRange { field } if field.starts_with("Memory") => "memory_mib",
                CatalogError::OutOfRange { field } if field.ends_with("Interfaces") => "max_enis",
                CatalogError::OutOfRange { field } if field.ends_with("PerInterface") => {
                    "ipv4_per_eni"
                }
                _ => "normalization_factor",
            };
            bad(e, &[Seg::Field(field)])
        })?;
        Ok(t)
    }
}

/// A launch template's first version (SEMANTICS §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplateDoc {
    /// 3–64 characters of `A-Za-z0-9()./_-`, unique in the document.
    pub name: Name,
    /// Default empty.
    #[serde(default)]
    pub description: heapless::String<DESCRIPTION_MAX>,
    /// `ami-` and 8 or 17 hex digits.
    pub image_id: heapless::String<21>,
    /// A built-in type or one of the document's `instance_types`.
    pub instance_type: heapless::String<TYPE_NAME_MAX>,
    /// Default `stop`.
    #[serde(default)]
    pub shutdown_behavior: ShutdownBehavior,
    /// Default false.
    #[serde(default)]
    pub hibernation: bool,
    /// Default false.
    #[serde(default)]
    pub disable_api_termination: bool,
    /// Default `on_demand`.
    #[serde(default)]
    pub market: MarketKind,
    /// Spot only; default `one_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_request: Option<SpotRequestType>,
    /// Spot only; default `terminate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_interruption: Option<InterruptionBehavior>,
}

impl LaunchTemplateDoc {
    /// The launch parameters, checked as `CreateLaunchTemplate` checks them (except that the
    /// image and type exist, which the catalog checks).
    ///
    /// # Errors
    /// The first invalid field.
    pub fn to_data(&self) -> Result<LaunchTemplateData, ConfigError> {
        self.convert().map_err(|f| f.error)
    }

    pub(super) fn convert(&self) -> Conv<LaunchTemplateData> {
        let image = ImageId::parse(&self.image_id).map_err(|_| {
            bad(
                ConfigError::Invalid {
                    expected: "an image id such as ami-0123456789abcdef0",
                },
                &[Seg::Field("image_id")],
            )
        })?;
        let instance_type = TypeName::parse(&self.instance_type)
            .map_err(|e| bad(e, &[Seg::Field("instance_type")]))?;
        let mut data = LaunchTemplateData::new(image, instance_type);
        data.shutdown_behavior = self.shutdown_behavior;
        data.hibernation_configured = self.hibernation;
        data.disable_api_termination = self.disable_api_termination;
        data.market = match self.market {
            MarketKind::OnDemand => {
                let field = if self.spot_request.is_some() {
                    Some("spot_request")
                } else if self.spot_interruption.is_some() {
                    Some("spot_interruption")
                } else {
                    None
                };
                if let Some(field) = field {
                    return Err(bad(
                        ConfigError::NotAllowed {
                            here: "on-demand launch template",
                        },
                        &[Seg::Field(field)],
                    ));
                }
                Market::OnDemand
            }
            MarketKind::Spot => Market::Spot {
                request: self.spot_request.unwrap_or_default(),
                interruption: self.spot_interruption.unwrap_or_default(),
            },
        };
        // The template's own checks (name, description) on a throwaway id.
        LaunchTemplate::<1>::new(
            TemplateId::from_u64(0),
            &self.name,
            data.clone(),
            &self.description,
        )
        .map_err(|e| {
            let field = match e {
                CatalogError::TooLong { .. } => "description",
                _ => "name",
            };
            bad(e, &[Seg::Field(field)])
        })?;
        Ok(data)
    }
}

/// One security group rule. Traffic: `protocol` with ports or ICMP type and code; peer: exactly
/// one of `cidr` and `group` (SEMANTICS §6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// `all`, `tcp`, `udp`, `icmp`, or an IP protocol number such as `"47"`.
    pub protocol: heapless::String<8>,
    /// First port (TCP and UDP; default: every port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<u16>,
    /// Last port (default: `from_port`, or every port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<u16>,
    /// ICMP type (ICMP only; default every type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icmp_type: Option<u8>,
    /// ICMP code (needs `icmp_type`; default every code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icmp_code: Option<u8>,
    /// An IPv4 CIDR block such as `10.0.0.0/16`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<heapless::String<18>>,
    /// The name of a security group of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Name>,
}

impl RuleDoc {
    /// The "all traffic to anywhere" rule a new group gets for outbound (SEMANTICS §6).
    pub fn all_anywhere() -> Self {
        let mut protocol = heapless::String::new();
        let _ = protocol.push_str("all");
        let mut cidr = heapless::String::new();
        let _ = cidr.push_str("0.0.0.0/0");
        Self {
            protocol,
            from_port: None,
            to_port: None,
            icmp_type: None,
            icmp_code: None,
            cidr: Some(cidr),
            group: None,
        }
    }

    /// The rule; `group` names are looked up with `resolve`.
    ///
    /// # Errors
    /// The first invalid field, or [`ConfigError::UnknownReference`].
    pub fn to_rule(
        &self,
        resolve: &dyn Fn(&str) -> Option<SecurityGroupId>,
    ) -> Result<Rule, ConfigError> {
        self.convert(resolve).map_err(|f| f.error)
    }

    pub(super) fn convert(&self, resolve: &dyn Fn(&str) -> Option<SecurityGroupId>) -> Conv<Rule> {
        let not_allowed = |field, here| bad(ConfigError::NotAllowed { here }, &[Seg::Field(field)]);
        let ports = || -> Conv<PortRange> {
            match (self.from_port, self.to_port) {
                (None, None) => Ok(PortRange::ALL),
                (Some(p), None) => Ok(PortRange::single(p)),
                (None, Some(_)) => Err(bad(ConfigError::MissingField { field: "from_port" }, &[])),
                (Some(a), Some(b)) => {
                    PortRange::new(a, b).map_err(|e| bad(e, &[Seg::Field("to_port")]))
                }
            }
        };
        let no_ports = |here| {
            if self.from_port.is_some() {
                Err(not_allowed("from_port", here))
            } else if self.to_port.is_some() {
                Err(not_allowed("to_port", here))
            } else {
                Ok(())
            }
        };
        let no_icmp = |here| {
            if self.icmp_type.is_some() {
                Err(not_allowed("icmp_type", here))
            } else if self.icmp_code.is_some() {
                Err(not_allowed("icmp_code", here))
            } else {
                Ok(())
            }
        };
        let traffic = match self.protocol.as_str() {
            "all" | "-1" => {
                no_ports("rule for all traffic")?;
                no_icmp("rule for all traffic")?;
                Traffic::All
            }
            "tcp" => {
                no_icmp("TCP rule")?;
                Traffic::Tcp(ports()?)
            }
            "udp" => {
                no_icmp("UDP rule")?;
                Traffic::Udp(ports()?)
            }
            "icmp" => {
                no_ports("ICMP rule")?;
                Traffic::Icmp(match (self.icmp_type, self.icmp_code) {
                    (None, None) => IcmpMatch::Any,
                    (Some(t), None) => IcmpMatch::Type(t),
                    (Some(t), Some(c)) => IcmpMatch::TypeCode(t, c),
                    (None, Some(_)) => {
                        return Err(bad(ConfigError::MissingField { field: "icmp_type" }, &[]));
                    }
                })
            }
            other => {
                let n: u8 = other.parse().map_err(|_| {
                    bad(
                        ConfigError::Invalid {
                            expected: "all, tcp, udp, icmp or a protocol number 0-255",
                        },
                        &[Seg::Field("protocol")],
                    )
                })?;
                no_ports("rule for a protocol number")?;
                no_icmp("rule for a protocol number")?;
                Traffic::Protocol(n).canonical()
            }
        };
        let peer =
            match (&self.cidr, &self.group) {
                (Some(c), None) => Peer::Cidr(Ipv4Cidr::parse(c).map_err(|e| {
                    bad(crate::network::NetError::BadCidr(e), &[Seg::Field("cidr")])
                })?),
                (None, Some(g)) => Peer::Group(resolve(g).ok_or_else(|| {
                    bad(
                        ConfigError::UnknownReference {
                            what: "security group",
                        },
                        &[Seg::Field("group")],
                    )
                })?),
                (None, None) => {
                    return Err(bad(ConfigError::MissingField { field: "cidr" }, &[]));
                }
                (Some(_), Some(_)) => {
                    return Err(not_allowed("group", "rule with a cidr"));
                }
            };
        Ok(Rule::new(traffic, peer))
    }
}

fn default_outbound() -> heapless::Vec<RuleDoc, MAX_RULES> {
    let mut v = heapless::Vec::new();
    let _ = v.push(RuleDoc::all_anywhere());
    v
}

/// A security group and its rules (SEMANTICS §6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupDoc {
    /// 1–64 characters of `a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*`, not starting with `sg-`.
    pub name: Name,
    /// Inbound rules (default none).
    #[serde(default)]
    pub inbound: heapless::Vec<RuleDoc, MAX_RULES>,
    /// Outbound rules (default: all traffic to `0.0.0.0/0`, as a new group has).
    #[serde(default = "default_outbound")]
    pub outbound: heapless::Vec<RuleDoc, MAX_RULES>,
}

/// Inbound then outbound rules of a security group.
pub type Rules = (
    heapless::Vec<Rule, MAX_RULES>,
    heapless::Vec<Rule, MAX_RULES>,
);

impl SecurityGroupDoc {
    /// The rules, inbound and outbound; `group` peers are looked up with `resolve`.
    ///
    /// # Errors
    /// The first invalid name or rule.
    pub fn to_rules(
        &self,
        resolve: &dyn Fn(&str) -> Option<SecurityGroupId>,
    ) -> Result<Rules, ConfigError> {
        self.convert(resolve).map_err(|f| f.error)
    }

    pub(super) fn convert(&self, resolve: &dyn Fn(&str) -> Option<SecurityGroupId>) -> Conv<Rules> {
        validate_group_name(&self.name).map_err(|e| bad(e, &[Seg::Field("name")]))?;
        let mut out: Rules = (heapless::Vec::new(), heapless::Vec::new());
        for (field, docs, rules) in [
            ("inbound", &self.inbound, &mut out.0),
            ("outbound", &self.outbound, &mut out.1),
        ] {
            for (i, doc) in docs.iter().enumerate() {
                let at = [Seg::Field(field), index(i)];
                let rule = doc.convert(resolve).map_err(within(&at))?;
                if rules.contains(&rule.canonical()) {
                    return Err(bad(crate::network::NetError::DuplicateRule, &at));
                }
                rules
                    .push(rule.canonical())
                    .map_err(|_| bad(ConfigError::TooLong { max: MAX_RULES }, &at))?;
            }
        }
        Ok(out)
    }
}

vocabulary! {
    /// `type` of a scaling policy (`PolicyType`, SEMANTICS §3.2–§3.3). Only documents name it;
    /// C and Python have a function per kind.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum PolicyKind: "scaling policy type" {
        /// `SimpleScaling` (SEMANTICS §3.2).
        Simple = 0 => "simple" | "Simple" | "SimpleScaling",
        /// `StepScaling` (SEMANTICS §3.2).
        Step = 1 => "step" | "Step" | "StepScaling",
        /// `TargetTrackingScaling` (SEMANTICS §3.3).
        TargetTracking = 2 => "target_tracking" | "TargetTracking" | "TargetTrackingScaling",
    }
}

/// One step of a step policy: bounds relative to the alarm threshold (SEMANTICS §3.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    /// `MetricIntervalLowerBound` (absent: minus infinity).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "decimal::option"
    )]
    pub lower_bound: Option<Value>,
    /// `MetricIntervalUpperBound` (absent: plus infinity).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "decimal::option"
    )]
    pub upper_bound: Option<Value>,
    /// `ScalingAdjustment`.
    pub adjustment: i32,
}

/// A scaling policy (SEMANTICS §3.1–3.3): `type` says which fields apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct PolicyDoc {
    /// `simple`, `step` or `target_tracking`.
    #[serde(rename = "type")]
    pub kind: PolicyKind,
    /// Simple and step; default `change_in_capacity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment_type: Option<AdjustmentType>,
    /// Simple: required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<i32>,
    /// Simple: seconds (default: the group's `default_cooldown_s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cooldown_s: Option<u32>,
    /// Simple and step, percent adjustments only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_adjustment_magnitude: Option<u32>,
    /// Step: required, 1–10 steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<heapless::Vec<StepDoc, MAX_DOC_STEPS>>,
    /// Step: default `average`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregation: Option<Aggregation>,
    /// Step and target tracking: seconds (default: the group's warm-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_s: Option<u32>,
    /// Target tracking: required, the group's metric index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<u8>,
    /// Target tracking: required, positive.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "decimal::option"
    )]
    pub target: Option<Value>,
    /// Target tracking: default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_scale_in: Option<bool>,
    /// Target tracking: decide with the Kubernetes HPA algorithm and its upstream default
    /// behaviour (`true`), as without it (`false`, the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa: Option<bool>,
    /// Target tracking: decide with the HPA algorithm and this `behavior:` block of a
    /// `HorizontalPodAutoscaler` manifest, camelCase as written there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<super::hpa::BehaviorDoc>,
}

impl PolicyDoc {
    /// The policy, checked as `PutScalingPolicy` checks it (except that a target-tracking
    /// metric exists, which the group checks).
    ///
    /// # Errors
    /// The first invalid field.
    pub fn to_policy(&self) -> Result<ScalingPolicy, ConfigError> {
        self.convert().map_err(|f| f.error)
    }

    #[allow(clippy::too_many_lines)] // one match over the three kinds reads best whole
    pub(super) fn convert(&self) -> Conv<ScalingPolicy> {
        let (here, allowed): (&'static str, &[&str]) = match self.kind {
            PolicyKind::Simple => (
                "simple policy",
                &[
                    "adjustment_type",
                    "adjustment",
                    "cooldown_s",
                    "min_adjustment_magnitude",
                ],
            ),
            PolicyKind::Step => (
                "step policy",
                &[
                    "adjustment_type",
                    "min_adjustment_magnitude",
                    "steps",
                    "aggregation",
                    "warmup_s",
                ],
            ),
            PolicyKind::TargetTracking => (
                "target tracking policy",
                &[
                    "warmup_s",
                    "metric",
                    "target",
                    "disable_scale_in",
                    "hpa",
                    "behavior",
                ],
            ),
        };
        let present = [
            ("adjustment_type", self.adjustment_type.is_some()),
            ("adjustment", self.adjustment.is_some()),
            ("cooldown_s", self.cooldown_s.is_some()),
            (
                "min_adjustment_magnitude",
                self.min_adjustment_magnitude.is_some(),
            ),
            ("steps", self.steps.is_some()),
            ("aggregation", self.aggregation.is_some()),
            ("warmup_s", self.warmup_s.is_some()),
            ("metric", self.metric.is_some()),
            ("target", self.target.is_some()),
            ("disable_scale_in", self.disable_scale_in.is_some()),
            ("hpa", self.hpa.is_some()),
            ("behavior", self.behavior.is_some()),
        ];
        if let Some((field, _)) = present.iter().find(|(f, set)| *set && !allowed.contains(f)) {
            return Err(bad(ConfigError::NotAllowed { here }, &[Seg::Field(field)]));
        }
        let missing = |field| bad(ConfigError::MissingField { field }, &[]);
        let adjustment_type = self.adjustment_type.unwrap_or_default();
        let magnitude = self.min_adjustment_magnitude;
        match self.kind {
            PolicyKind::Simple => {
                let adjustment = self.adjustment.ok_or_else(|| missing("adjustment"))?;
                target_capacity(adjustment_type, adjustment, magnitude, 1, 1)
                    .map_err(|e| bad(e, &[Seg::Field("adjustment")]))?;
                Ok(ScalingPolicy::Simple {
                    adjustment_type,
                    adjustment,
                    cooldown: self.cooldown_s.map(secs),
                    min_adjustment_magnitude: magnitude,
                })
            }
            PolicyKind::Step => {
                let docs = self.steps.as_ref().ok_or_else(|| missing("steps"))?;
                let mut steps = heapless::Vec::new();
                for (i, s) in docs.iter().enumerate() {
                    let at = [Seg::Field("steps"), index(i), Seg::Field("adjustment")];
                    target_capacity(adjustment_type, s.adjustment, magnitude, 1, 1)
                        .map_err(|e| bad(e, &at))?;
                    steps
                        .push(StepAdjustment {
                            lower: s.lower_bound,
                            upper: s.upper_bound,
                            adjustment: s.adjustment,
                        })
                        .map_err(|_| bad(ConfigError::TooLong { max: MAX_DOC_STEPS }, &at))?;
                }
                validate_steps(&steps).map_err(|e| bad(e, &[Seg::Field("steps")]))?;
                Ok(ScalingPolicy::Step {
                    adjustment_type,
                    steps,
                    min_adjustment_magnitude: magnitude,
                    warmup: self.warmup_s.map(secs),
                    aggregation: self.aggregation.unwrap_or_default(),
                })
            }
            PolicyKind::TargetTracking => {
                let metric = self.metric.ok_or_else(|| missing("metric"))?;
                let target = self.target.ok_or_else(|| missing("target"))?;
                if target.milli() <= 0 {
                    return Err(bad(
                        crate::scaling::ScalingError::InvalidTargetTracking,
                        &[Seg::Field("target")],
                    ));
                }
                Ok(ScalingPolicy::TargetTracking {
                    metric,
                    tracking: TargetTracking {
                        target,
                        disable_scale_in: self.disable_scale_in.unwrap_or(false),
                    },
                    warmup: self.warmup_s.map(secs),
                    hpa: match (&self.behavior, self.hpa) {
                        (Some(b), _) => Some(Some(
                            b.to_behavior()
                                .map_err(|e| bad(e, &[Seg::Field("behavior")]))?,
                        )),
                        (None, Some(true)) => Some(None),
                        (None, _) => None,
                    },
                })
            }
        }
    }
}

/// A UTC time as RFC 3339 text, `2026-03-01T08:00:00Z`.
pub type TimeText = heapless::String<20>;

/// Reads `YYYY-MM-DDTHH:MM:SSZ` (UTC, 1970 or later).
pub fn parse_time(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    if b.len() != 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || b.get(19) != Some(&b'Z')
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> { text.get(from..to)?.parse().ok() };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if year < 1970 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    // Rejects 31 April and 29 February of common years: the day must read back the same.
    if civil_from_days(days) != (i64::from(year), month, day) {
        return None;
    }
    let secs = days
        .checked_mul(86_400)?
        .checked_add(i64::from(hour).checked_mul(3600)?)?
        .checked_add(i64::from(minute).checked_mul(60)?)?
        .checked_add(i64::from(second))?;
    Some(Instant::from_secs(u64::try_from(secs).ok()?))
}

/// A scheduled action (SEMANTICS §3.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct ScheduledActionDoc {
    /// 1–64 characters, unique in the group.
    pub name: Name,
    /// Five cron fields, `minute hour day-of-month month day-of-week`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<heapless::String<RULE_TEXT_MAX>>,
    /// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` (default UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<heapless::String<RULE_TEXT_MAX>>,
    /// `2026-03-01T08:00:00Z`: the first run (with a recurrence) or the only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeText>,
    /// After this UTC time the action is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeText>,
    /// New `MinSize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_size: Option<u32>,
    /// New `MaxSize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u32>,
    /// New `DesiredCapacity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<u32>,
}

impl ScheduledActionDoc {
    /// The action, with the checks `PutScheduledUpdateGroupAction` makes that need no group
    /// (the group checks its capacity and conflicts).
    ///
    /// # Errors
    /// The first invalid field.
    pub fn to_action(&self) -> Result<ScheduledAction, ConfigError> {
        self.convert().map_err(|f| f.error)
    }

    pub(super) fn convert(&self) -> Conv<ScheduledAction> {
        let recurrence = match &self.recurrence {
            Some(text) => Some(Cron::parse(text).map_err(|e| bad(e, &[Seg::Field("recurrence")]))?),
            None => None,
        };
        let time = |field: &'static str, text: &Option<TimeText>| -> Conv<Option<Instant>> {
            match text {
                None => Ok(None),
                Some(t) => parse_time(t).map(Some).ok_or_else(|| {
                    bad(
                        ConfigError::Invalid {
                            expected: "a UTC time such as 2026-03-01T08:00:00Z",
                        },
                        &[Seg::Field(field)],
                    )
                }),
            }
        };
        let start = time("start_time", &self.start_time)?;
        let end = time("end_time", &self.end_time)?;
        let mut action = ScheduledAction::new(&self.name, recurrence, start)
            .map_err(|e| bad(e, &[Seg::Field("name")]))?;
        if self.name.is_empty() {
            return Err(bad(
                crate::group::GroupError::OutOfRange {
                    field: "ScheduledActionName",
                },
                &[Seg::Field("name")],
            ));
        }
        if let Some(tz) = &self.time_zone {
            action.time_zone =
                TimeZone::parse(tz).map_err(|e| bad(e, &[Seg::Field("time_zone")]))?;
        }
        action.end_time = end;
        action.min_size = self.min_size;
        action.max_size = self.max_size;
        action.desired_capacity = self.desired_capacity;
        if self.min_size.is_none() && self.max_size.is_none() && self.desired_capacity.is_none() {
            return Err(bad(
                ConfigError::MissingField {
                    field: "desired_capacity",
                },
                &[],
            ));
        }
        if let (Some(min), Some(max)) = (self.min_size, self.max_size)
            && max < min
        {
            return Err(bad(
                crate::group::GroupError::MaxBelowMin { min, max },
                &[Seg::Field("max_size")],
            ));
        }
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            return Err(bad(
                crate::group::GroupError::OutOfRange { field: "EndTime" },
                &[Seg::Field("end_time")],
            ));
        }
        if recurrence.is_none() && start.is_none() {
            return Err(bad(
                ConfigError::MissingField {
                    field: "recurrence",
                },
                &[],
            ));
        }
        Ok(action)
    }
}

fn default_version() -> heapless::String<16> {
    let mut s = heapless::String::new();
    let _ = s.push_str("$Default");
    s
}

const fn default_cooldown() -> u32 {
    300
}

fn default_termination() -> heapless::Vec<TerminationPolicy, MAX_TERMINATION_POLICIES> {
    let mut v = heapless::Vec::new();
    let _ = v.push(TerminationPolicy::Default);
    v
}

/// An Auto Scaling group with its policies and scheduled actions (SEMANTICS §2, §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct GroupDoc {
    /// 1–64 characters, unique in the document.
    pub name: Name,
    /// The name of a launch template of the document.
    pub launch_template: Name,
    /// `$Default` (default), `$Latest` or a version number as text.
    #[serde(default = "default_version")]
    pub launch_template_version: heapless::String<16>,
    /// `MinSize`.
    pub min_size: u32,
    /// `MaxSize`.
    pub max_size: u32,
    /// `DesiredCapacity` (default `min_size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired_capacity: Option<u32>,
    /// Zones (or racks), 1–8, in order.
    pub zones: heapless::Vec<heapless::String<{ crate::group::ZONE_NAME_MAX }>, MAX_ZONES>,
    /// `HealthCheckGracePeriod` in seconds (default 0).
    #[serde(default)]
    pub health_check_grace_period_s: u32,
    /// `DefaultCooldown` in seconds (default 300).
    #[serde(default = "default_cooldown")]
    pub default_cooldown_s: u32,
    /// `DefaultInstanceWarmup` in seconds, at most 3600 (default unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_instance_warmup_s: Option<u32>,
    /// `TerminationPolicies` in order (default `["default"]`).
    #[serde(default = "default_termination")]
    pub termination_policies: heapless::Vec<TerminationPolicy, MAX_TERMINATION_POLICIES>,
    /// `NewInstancesProtectedFromScaleIn` (default false).
    #[serde(default)]
    pub new_instances_protected_from_scale_in: bool,
    /// `MaxInstanceLifetime` in seconds, at least 86 400 (default unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instance_lifetime_s: Option<u32>,
    /// Metrics the group keeps (default none), numbered from 0 in order.
    #[serde(default)]
    pub metrics: heapless::Vec<MetricDoc, MAX_METRICS>,
    /// Scaling policies (default none), numbered from 0 in order.
    #[serde(default)]
    pub policies: heapless::Vec<PolicyDoc, MAX_POLICIES>,
    /// Alarms that run the simple and step policies (default none).
    #[serde(default)]
    pub alarms: heapless::Vec<AlarmDoc, MAX_ALARMS>,
    /// Scheduled actions (default none).
    #[serde(default)]
    pub scheduled_actions: heapless::Vec<ScheduledActionDoc, MAX_DOC_SCHEDULED>,
    /// A predictive scaling policy (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictive: Option<PredictiveDoc>,
    /// Lifecycle hooks (default none).
    #[serde(default)]
    pub lifecycle_hooks: heapless::Vec<HookDoc, MAX_HOOKS>,
    /// A warm pool (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_pool: Option<WarmPoolDoc>,
    /// Prices, Spot pools, reservations and the mixed-instances policy (default none: no
    /// cost ledger, every launch On-Demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase: Option<PurchaseDoc>,
}

/// [`GroupDoc`] without its two lists, which [`super::Document`] reads entry by entry so that
/// the whole group never goes through serde's frames at once (stack). The lists are only
/// skipped here.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GroupHead {
    /// 1–64 characters, unique in the document.
    name: Name,
    /// The name of a launch template of the document.
    launch_template: Name,
    /// `$Default` (default), `$Latest` or a version number as text.
    #[serde(default = "default_version")]
    launch_template_version: heapless::String<16>,
    /// `MinSize`.
    min_size: u32,
    /// `MaxSize`.
    max_size: u32,
    /// `DesiredCapacity` (default `min_size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    desired_capacity: Option<u32>,
    /// Zones (or racks), 1–8, in order.
    zones: heapless::Vec<heapless::String<{ crate::group::ZONE_NAME_MAX }>, MAX_ZONES>,
    /// `HealthCheckGracePeriod` in seconds (default 0).
    #[serde(default)]
    health_check_grace_period_s: u32,
    /// `DefaultCooldown` in seconds (default 300).
    #[serde(default = "default_cooldown")]
    default_cooldown_s: u32,
    /// `DefaultInstanceWarmup` in seconds, at most 3600 (default unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default_instance_warmup_s: Option<u32>,
    /// `TerminationPolicies` in order (default `["default"]`).
    #[serde(default = "default_termination")]
    termination_policies: heapless::Vec<TerminationPolicy, MAX_TERMINATION_POLICIES>,
    /// `NewInstancesProtectedFromScaleIn` (default false).
    #[serde(default)]
    new_instances_protected_from_scale_in: bool,
    /// `MaxInstanceLifetime` in seconds, at least 86 400 (default unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_instance_lifetime_s: Option<u32>,
    /// Metrics (small: read here).
    #[serde(default)]
    metrics: heapless::Vec<MetricDoc, MAX_METRICS>,
    /// Scaling policies (default none).
    #[serde(default)]
    #[allow(dead_code)]
    policies: serde::de::IgnoredAny,
    /// Alarms (small: read here).
    #[serde(default)]
    alarms: heapless::Vec<AlarmDoc, MAX_ALARMS>,
    /// Scheduled actions (default none).
    #[serde(default)]
    #[allow(dead_code)]
    scheduled_actions: serde::de::IgnoredAny,
    /// A predictive policy.
    #[serde(default)]
    predictive: Option<PredictiveDoc>,
    /// Lifecycle hooks.
    #[serde(default)]
    lifecycle_hooks: heapless::Vec<HookDoc, MAX_HOOKS>,
    /// A warm pool.
    #[serde(default)]
    warm_pool: Option<WarmPoolDoc>,
    /// Purchasing.
    #[serde(default)]
    purchase: Option<PurchaseDoc>,
}

impl GroupHead {
    /// The group with empty lists.
    pub(super) fn into_doc(self) -> GroupDoc {
        GroupDoc {
            name: self.name,
            launch_template: self.launch_template,
            launch_template_version: self.launch_template_version,
            min_size: self.min_size,
            max_size: self.max_size,
            desired_capacity: self.desired_capacity,
            zones: self.zones,
            health_check_grace_period_s: self.health_check_grace_period_s,
            default_cooldown_s: self.default_cooldown_s,
            default_instance_warmup_s: self.default_instance_warmup_s,
            termination_policies: self.termination_policies,
            new_instances_protected_from_scale_in: self.new_instances_protected_from_scale_in,
            max_instance_lifetime_s: self.max_instance_lifetime_s,
            metrics: self.metrics,
            policies: heapless::Vec::new(),
            alarms: self.alarms,
            scheduled_actions: heapless::Vec::new(),
            predictive: self.predictive,
            lifecycle_hooks: self.lifecycle_hooks,
            warm_pool: self.warm_pool,
            purchase: self.purchase,
        }
    }
}

impl GroupDoc {
    /// The group's configuration for template `template`, checked as `CreateAutoScalingGroup`
    /// checks it for a group of capacity `n`.
    ///
    /// # Errors
    /// The first invalid field.
    pub fn to_config(&self, template: TemplateId, n: usize) -> Result<GroupConfig, ConfigError> {
        self.convert(template, n).map_err(|f| f.error)
    }

    /// The policies in order.
    ///
    /// # Errors
    /// The first invalid policy.
    pub fn to_policies(&self) -> Result<heapless::Vec<ScalingPolicy, MAX_POLICIES>, ConfigError> {
        self.convert_policies().map_err(|f| f.error)
    }

    /// The scheduled actions in order.
    ///
    /// # Errors
    /// The first invalid action, or two with one name.
    pub fn to_scheduled_actions(
        &self,
    ) -> Result<heapless::Vec<ScheduledAction, MAX_DOC_SCHEDULED>, ConfigError> {
        self.convert_scheduled().map_err(|f| f.error)
    }

    pub(super) fn convert(&self, template: TemplateId, n: usize) -> Conv<GroupConfig> {
        if self.name.is_empty() {
            return Err(bad(
                ConfigError::Invalid {
                    expected: "a name of 1 to 64 characters",
                },
                &[Seg::Field("name")],
            ));
        }
        let version = VersionSpec::parse(&self.launch_template_version)
            .map_err(|e| bad(e, &[Seg::Field("launch_template_version")]))?;
        let first = self.zones.first().map_or("", |z| z.as_str());
        let zone_err = |e, i: usize| bad(e, &[Seg::Field("zones"), index(i)]);
        let mut config = GroupConfig::new(self.min_size, self.max_size, template, first)
            .map_err(|e| zone_err(e, 0))?;
        for (i, z) in self.zones.iter().enumerate().skip(1) {
            config.add_zone(z).map_err(|e| zone_err(e, i))?;
        }
        config.desired_capacity = self.desired_capacity;
        config.version = version;
        config.health_check_grace_period = secs(self.health_check_grace_period_s);
        config.default_cooldown = secs(self.default_cooldown_s);
        config.default_instance_warmup = self.default_instance_warmup_s.map(secs);
        config.termination_policies = self.termination_policies.iter().copied().collect();
        config.new_instances_protected_from_scale_in = self.new_instances_protected_from_scale_in;
        config.max_instance_lifetime = self.max_instance_lifetime_s.map(secs);
        config.validate(n).map_err(|e| {
            use crate::group::GroupError as G;
            let field = match e {
                G::MaxBelowMin { .. } | G::MaxAboveCapacity { .. } => "max_size",
                G::DesiredOutOfRange { .. } => "desired_capacity",
                G::InvalidZones => "zones",
                G::InvalidTerminationPolicies => "termination_policies",
                G::OutOfRange {
                    field: "MaxInstanceLifetime",
                } => "max_instance_lifetime_s",
                _ => "default_instance_warmup_s",
            };
            bad(e, &[Seg::Field(field)])
        })?;
        Ok(config)
    }

    pub(super) fn convert_policies(&self) -> Conv<heapless::Vec<ScalingPolicy, MAX_POLICIES>> {
        let mut out = heapless::Vec::new();
        for (i, p) in self.policies.iter().enumerate() {
            let at = [Seg::Field("policies"), index(i)];
            let policy = p.convert().map_err(within(&at))?;
            out.push(policy)
                .map_err(|_| bad(ConfigError::TooLong { max: MAX_POLICIES }, &at))?;
        }
        Ok(out)
    }

    pub(super) fn convert_scheduled(
        &self,
    ) -> Conv<heapless::Vec<ScheduledAction, MAX_DOC_SCHEDULED>> {
        let mut out: heapless::Vec<ScheduledAction, MAX_DOC_SCHEDULED> = heapless::Vec::new();
        for (i, a) in self.scheduled_actions.iter().enumerate() {
            let at = [Seg::Field("scheduled_actions"), index(i)];
            let action = a.convert().map_err(within(&at))?;
            if out.iter().any(|o| o.name == action.name) {
                return Err(bad(
                    ConfigError::DuplicateName {
                        what: "scheduled action",
                    },
                    &[
                        Seg::Field("scheduled_actions"),
                        index(i),
                        Seg::Field("name"),
                    ],
                ));
            }
            out.push(action).map_err(|_| {
                bad(
                    ConfigError::TooLong {
                        max: MAX_DOC_SCHEDULED,
                    },
                    &at,
                )
            })?;
        }
        Ok(out)
    }
}

/// A controller's whole setup: custom instance types, launch templates, security groups and
/// groups, with the names between them checked.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct ControllerDoc {
    /// Custom instance types (default none).
    #[serde(default)]
    pub instance_types: heapless::Vec<InstanceTypeDoc, MAX_INSTANCE_TYPES>,
    /// Launch templates (default none).
    #[serde(default)]
    pub launch_templates: heapless::Vec<LaunchTemplateDoc, MAX_TEMPLATES>,
    /// Security groups (default none).
    #[serde(default)]
    pub security_groups: heapless::Vec<SecurityGroupDoc, MAX_SECURITY_GROUPS>,
    /// Groups (default none).
    #[serde(default)]
    pub groups: heapless::Vec<GroupDoc, MAX_GROUPS>,
    /// How to replay a recorded load through one of the groups (default none; firmware
    /// checks it and ignores it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimulationDoc>,
    /// The JSON Schema the document names (`$schema`; kept so a document reads back the same).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<heapless::String<SCHEMA_URI_MAX>>,
}

/// The longest `$schema` reference a document may give.
pub const SCHEMA_URI_MAX: usize = 128;

fn duplicate<T>(items: &[T], name: impl Fn(&T) -> &str) -> Option<usize> {
    items.iter().enumerate().find_map(|(i, a)| {
        items
            .iter()
            .take(i)
            .any(|b| name(b) == name(a))
            .then_some(i)
    })
}

impl ControllerDoc {
    /// The security group id a rule's `group` stands for while checking the document: its
    /// position in `security_groups` (the network assigns real ids when it creates them).
    pub fn placeholder_group_id(&self, name: &str) -> Option<SecurityGroupId> {
        self.security_groups
            .iter()
            .position(|g| g.name == name)
            .map(|i| SecurityGroupId::from_u64(u64::try_from(i).unwrap_or(u64::MAX)))
    }

    /// The launch template id a group's `launch_template` name stands for when no catalog
    /// assigns ids: the template's position in `launch_templates` (`lt-00000000000000000` for
    /// the first), as the document check uses. Every surface that builds a group from the
    /// document without a catalog (C's `fc_group_init_json`, Python's `Group.from_document`,
    /// the simulator) uses this, so the same document launches the same template everywhere.
    pub fn template_id(&self, name: &str) -> Option<TemplateId> {
        self.launch_templates
            .iter()
            .position(|t| t.name == name)
            .map(|i| TemplateId::from_u64(u64::try_from(i).unwrap_or(u64::MAX)))
    }

    /// Every entry converted and every name resolved, without keeping the results.
    ///
    /// # Errors
    /// The first problem.
    pub fn check(&self) -> Result<(), ConfigError> {
        self.convert().map_err(|f| f.error)
    }

    pub(super) fn convert(&self) -> Conv<()> {
        let dup = |what, field, i| {
            bad(
                ConfigError::DuplicateName { what },
                &[Seg::Field(field), index(i), Seg::Field("name")],
            )
        };
        for (i, t) in self.instance_types.iter().enumerate() {
            t.convert()
                .map_err(within(&[Seg::Field("instance_types"), index(i)]))?;
            if InstanceType::builtin(&t.name).is_ok() {
                return Err(bad(
                    CatalogError::DuplicateInstanceType,
                    &[Seg::Field("instance_types"), index(i), Seg::Field("name")],
                ));
            }
        }
        if let Some(i) = duplicate(&self.instance_types, |t| &t.name) {
            return Err(dup("instance type", "instance_types", i));
        }
        for (i, t) in self.launch_templates.iter().enumerate() {
            let at = [Seg::Field("launch_templates"), index(i)];
            t.convert().map_err(within(&at))?;
            let custom = self
                .instance_types
                .iter()
                .any(|c| c.name == t.instance_type);
            if !custom && InstanceType::builtin(&t.instance_type).is_err() {
                return Err(bad(
                    ConfigError::UnknownReference {
                        what: "instance type",
                    },
                    &[at[0], at[1], Seg::Field("instance_type")],
                ));
            }
        }
        if let Some(i) = duplicate(&self.launch_templates, |t| &t.name) {
            return Err(dup("launch template", "launch_templates", i));
        }
        if let Some(i) = duplicate(&self.security_groups, |g| &g.name) {
            return Err(dup("security group", "security_groups", i));
        }
        let resolve = |name: &str| self.placeholder_group_id(name);
        for (i, g) in self.security_groups.iter().enumerate() {
            g.convert(&resolve)
                .map_err(within(&[Seg::Field("security_groups"), index(i)]))?;
        }
        if let Some(i) = duplicate(&self.groups, |g| &g.name) {
            return Err(dup("group", "groups", i));
        }
        for (i, g) in self.groups.iter().enumerate() {
            let at = [Seg::Field("groups"), index(i)];
            let id = self.template_id(&g.launch_template).ok_or_else(|| {
                bad(
                    ConfigError::UnknownReference {
                        what: "launch template",
                    },
                    &[at[0], at[1], Seg::Field("launch_template")],
                )
            })?;
            let n = usize::try_from(u32::MAX).unwrap_or(usize::MAX);
            g.convert(id, n).map_err(within(&at))?;
            g.convert_policies().map_err(within(&at))?;
            g.convert_scheduled().map_err(within(&at))?;
            g.convert_dynamic().map_err(within(&at))?;
            g.convert_purchase(Instant::from_secs(0), &self.instance_types)
                .map_err(within(&at))?;
        }
        if let Some(s) = &self.simulation {
            s.convert(&self.groups)
                .map_err(within(&[Seg::Field("simulation")]))?;
        }
        Ok(())
    }
}
