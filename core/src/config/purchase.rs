//! A group's `purchase` section: the price table, Spot pools, reservations and the
//! mixed-instances policy (SEMANTICS §4.4–§4.5 for the distribution and strategies, §5 for
//! prices, reservations and billing).
//!
//! One vocabulary: the strategies, terms, payment options and the upfront accounting are the
//! core's own enums ([`OnDemandStrategy`], [`SpotStrategy`], [`Term`], [`Payment`],
//! [`UpfrontAccounting`]), read and written in the service's spellings (`lowest-price`,
//! `price-capacity-optimized`, `1y`, `no_upfront` or `No Upfront`) by their serde attributes;
//! no mirror enum. Prices are JSON numbers per hour, held in millionths (`0.096` is 96 000),
//! the unit of [`Rate`].

use serde::{Deserialize, Serialize};

use super::ConfigError;
use super::scan::Seg;
use super::schema::{Conv, InstanceTypeDoc, bad, index, within};
use crate::catalog::{InstanceType, TYPE_NAME_MAX};
use crate::group::{GroupError, MixedInstances, Parts};
use crate::purchase::{
    Distribution, MAX_RESERVATIONS, MAX_TYPES, Money, OnDemandStrategy, Override, Payment, Prices,
    PurchaseError, Rate, Reservation, Scope, SpotStrategy, Term, UpfrontAccounting,
};
use crate::time::Instant;
use crate::zone::ZoneName;

/// An instance type's name as a document gives it (checked against the catalog's rules when
/// the section is converted).
pub type TypeText = heapless::String<TYPE_NAME_MAX>;

/// Spot pools a document's `purchase` section may list (the price table takes more, set
/// through the API).
pub const MAX_DOC_POOLS: usize = 24;

/// Reservations a document's `purchase` section may list.
pub const MAX_DOC_RESERVATIONS: usize = 8;

/// The On-Demand price of one instance type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct PriceDoc {
    /// A built-in type (`m5.large`) or one of the document's `instance_types`.
    pub instance_type: TypeText,
    /// Per hour, in the document's currency.
    #[serde(with = "micros")]
    pub price: u64,
}

/// A Spot pool: one instance type in one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct SpotPoolDoc {
    /// A type priced in `on_demand`.
    pub instance_type: TypeText,
    /// One of the group's zones.
    pub zone: ZoneName,
    /// The Spot price per hour.
    #[serde(with = "micros")]
    pub price: u64,
    /// Instances the pool can supply (default 1 000 000: unlimited).
    #[serde(default = "unlimited")]
    pub capacity: u32,
}

fn unlimited() -> u32 {
    1_000_000
}

/// A Reserved Instance purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct ReservationDoc {
    /// A type priced in `on_demand`.
    pub instance_type: TypeText,
    /// Instances reserved (default 1).
    #[serde(default = "one")]
    pub count: u16,
    /// `1y` (default) or `3y`.
    #[serde(default = "one_year")]
    pub term: Term,
    /// `all_upfront`, `partial_upfront` or `no_upfront` (default; the service's `All Upfront`
    /// spellings are read too).
    #[serde(default = "no_upfront")]
    pub payment: Payment,
    /// Upfront charge per instance (default 0).
    #[serde(
        default,
        with = "micros::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub upfront: Option<u64>,
    /// Hourly charge per instance (default 0).
    #[serde(
        default,
        with = "micros::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly: Option<u64>,
    /// A zonal reservation in this zone; regional when absent (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneName>,
    /// Regional size flexibility (default true).
    #[serde(default = "yes")]
    pub size_flexible: bool,
    /// When the term starts, seconds since the epoch (default: when the group is built).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_s: Option<u64>,
}

fn one() -> u16 {
    1
}

fn yes() -> bool {
    true
}

fn one_year() -> Term {
    Term::OneYear
}

fn no_upfront() -> Payment {
    Payment::NoUpfront
}

/// One `LaunchTemplateOverrides` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct OverrideDoc {
    /// A type priced in `on_demand`.
    pub instance_type: TypeText,
    /// `WeightedCapacity`, 1–999 (default 1).
    #[serde(default = "one")]
    pub weight: u16,
}

/// `MixedInstancesPolicy` with `CapacityRebalance`, with the service's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct MixedInstancesDoc {
    /// In priority order.
    pub overrides: heapless::Vec<OverrideDoc, MAX_TYPES>,
    /// `OnDemandBaseCapacity` in units (default 0).
    #[serde(default)]
    pub on_demand_base: u32,
    /// `OnDemandPercentageAboveBaseCapacity` (default 100).
    #[serde(default = "hundred")]
    pub on_demand_percent: u8,
    /// `prioritized` (default) or `lowest-price`.
    #[serde(default)]
    pub on_demand_strategy: OnDemandStrategy,
    /// `lowest-price` (default), `capacity-optimized`, `capacity-optimized-prioritized` or
    /// `price-capacity-optimized`.
    #[serde(default)]
    pub spot_strategy: SpotStrategy,
    /// `SpotInstancePools`, 1–20 (default 2).
    #[serde(default = "two")]
    pub spot_pools: u8,
    /// `SpotMaxPrice` per unit hour (default: the On-Demand price).
    #[serde(
        default,
        with = "micros::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub spot_max_price: Option<u64>,
    /// `CapacityRebalance` (default false).
    #[serde(default)]
    pub capacity_rebalance: bool,
}

fn hundred() -> u8 {
    100
}

fn two() -> u8 {
    2
}

/// A group's purchasing: what each type costs, where Spot can be had, what is reserved and
/// how launches are bought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(deny_unknown_fields)]
pub struct PurchaseDoc {
    /// On-Demand prices, one per type the group may launch.
    pub on_demand: heapless::Vec<PriceDoc, MAX_TYPES>,
    /// Spot pools (default none).
    #[serde(default)]
    pub spot: heapless::Vec<SpotPoolDoc, MAX_DOC_POOLS>,
    /// `at_purchase` (default) or `amortized`.
    #[serde(default)]
    pub upfront: UpfrontAccounting,
    /// Reserved Instances (default none).
    #[serde(default)]
    pub reservations: heapless::Vec<ReservationDoc, MAX_DOC_RESERVATIONS>,
    /// How launches are bought (default: every launch On-Demand, of the template's type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed_instances: Option<MixedInstancesDoc>,
}

/// Everything a group needs to buy capacity, converted and checked.
pub(super) struct Converted {
    pub(super) prices: Prices,
    pub(super) upfront: UpfrontAccounting,
    pub(super) reservations: heapless::Vec<Reservation, MAX_RESERVATIONS>,
    pub(super) mixed: Option<MixedInstances>,
}

impl PurchaseDoc {
    /// The price table, reservations (starting at `now` unless they say) and mixed-instances
    /// policy, for a group in `zones`; `custom` are the document's own instance types.
    pub(super) fn convert(
        &self,
        now: Instant,
        zones: &[impl AsRef<str>],
        custom: &[InstanceTypeDoc],
    ) -> Conv<Converted> {
        let mut prices = Prices::new();
        for (i, p) in self.on_demand.iter().enumerate() {
            let at = [Seg::Field("on_demand"), index(i)];
            let t = instance_type(&p.instance_type, custom)
                .map_err(|e| bad(e, &[at[0], at[1], Seg::Field("instance_type")]))?;
            prices
                .add_type(&t, Rate::from_micros(p.price))
                .map_err(|e| bad(GroupError::from(e), &at))?;
        }
        let type_at = |prices: &Prices, name: &str, at: &[Seg]| {
            prices.index(name).ok_or_else(|| {
                bad(
                    ConfigError::UnknownReference {
                        what: "instance type priced in on_demand",
                    },
                    at,
                )
            })
        };
        let zone_at = |name: &str, at: &[Seg]| {
            zones
                .iter()
                .position(|z| z.as_ref() == name)
                .and_then(|i| u8::try_from(i).ok())
                .ok_or_else(|| {
                    bad(
                        ConfigError::UnknownReference {
                            what: "zone of the group",
                        },
                        at,
                    )
                })
        };
        for (i, s) in self.spot.iter().enumerate() {
            let at = |f| [Seg::Field("spot"), index(i), Seg::Field(f)];
            let ty = type_at(&prices, &s.instance_type, &at("instance_type"))?;
            let zone = zone_at(&s.zone, &at("zone"))?;
            prices
                .set_spot(ty, zone, Rate::from_micros(s.price), s.capacity)
                .map_err(|e| bad(GroupError::from(e), &at("price")))?;
        }
        let mut reservations = heapless::Vec::new();
        for (i, r) in self.reservations.iter().enumerate() {
            let at = |f| [Seg::Field("reservations"), index(i), Seg::Field(f)];
            let scope = match &r.zone {
                Some(z) => Scope::Zonal {
                    zone: zone_at(z, &at("zone"))?,
                },
                None => Scope::Regional {
                    size_flexible: r.size_flexible,
                },
            };
            let reservation = Reservation {
                instance_type: type_at(&prices, &r.instance_type, &at("instance_type"))?,
                count: r.count,
                scope,
                term: r.term,
                payment: r.payment,
                upfront: Money::from_micros(r.upfront.unwrap_or(0)),
                hourly: Rate::from_micros(r.hourly.unwrap_or(0)),
                start: r.start_s.map_or(now, Instant::from_secs),
            };
            reservation
                .validate()
                .map_err(|e| bad(GroupError::from(e), &at("payment")))?;
            // Bounded by the list's own capacity, the same as the document's.
            let _ = reservations.push(reservation);
        }
        let mixed = match &self.mixed_instances {
            None => None,
            Some(m) => Some(
                m.convert(&prices)
                    .map_err(within(&[Seg::Field("mixed_instances")]))?,
            ),
        };
        Ok(Converted {
            prices,
            upfront: self.upfront,
            reservations,
            mixed,
        })
    }
}

impl MixedInstancesDoc {
    fn convert(&self, prices: &Prices) -> Conv<MixedInstances> {
        let mut overrides: heapless::Vec<Override, MAX_TYPES> = heapless::Vec::new();
        for (i, o) in self.overrides.iter().enumerate() {
            let at = |f| [Seg::Field("overrides"), index(i), Seg::Field(f)];
            let ty = prices.index(&o.instance_type).ok_or_else(|| {
                bad(
                    ConfigError::UnknownReference {
                        what: "instance type priced in on_demand",
                    },
                    &at("instance_type"),
                )
            })?;
            if !(1..=999).contains(&o.weight) {
                return Err(bad(
                    GroupError::from(PurchaseError::InvalidWeight { weight: o.weight }),
                    &at("weight"),
                ));
            }
            // Both lists hold at most MAX_TYPES.
            let _ = overrides.push(Override {
                instance_type: ty,
                weight: o.weight,
            });
        }
        let mut policy =
            MixedInstances::new(&overrides).map_err(|e| bad(e, &[Seg::Field("overrides")]))?;
        policy.distribution = Distribution {
            on_demand_base: self.on_demand_base,
            on_demand_percent: self.on_demand_percent,
            on_demand_strategy: self.on_demand_strategy,
            spot_strategy: self.spot_strategy,
            spot_pools: self.spot_pools,
            spot_max_price: self.spot_max_price.map(Rate::from_micros),
        };
        policy.distribution.validate().map_err(|e| {
            let field = match e {
                PurchaseError::InvalidPercentage { .. } => "on_demand_percent",
                PurchaseError::InvalidPoolCount { .. } => "spot_pools",
                _ => "spot_max_price",
            };
            bad(GroupError::from(e), &[Seg::Field(field)])
        })?;
        policy.capacity_rebalance = self.capacity_rebalance;
        Ok(policy)
    }
}

/// A type by name: one of the document's own, else the built-in table.
fn instance_type(name: &str, custom: &[InstanceTypeDoc]) -> Result<InstanceType, ConfigError> {
    match custom.iter().find(|t| t.name == name) {
        Some(t) => t.to_instance_type(),
        None => InstanceType::builtin(name).map_err(|_| ConfigError::UnknownReference {
            what: "instance type",
        }),
    }
}

/// Gives `group` the converted purchasing: prices first, then reservations, then the policy.
///
/// # Errors
/// The group's refusal (a group whose parts store no ledger, a warm pool beside a
/// mixed-instances policy), with the field it concerns.
pub(super) fn apply<const N: usize, P: Parts>(
    c: Converted,
    now: Instant,
    group: &mut crate::group::Group<N, P>,
) -> Result<(), (ConfigError, &'static str)> {
    group
        .set_prices(now, c.prices, c.upfront)
        .map_err(|e| (e.into(), "on_demand"))?;
    for r in c.reservations {
        group.reserve(r).map_err(|e| (e.into(), "reservations"))?;
    }
    if let Some(m) = c.mixed {
        group
            .set_mixed_instances(Some(m))
            .map_err(|e| (e.into(), "mixed_instances"))?;
    }
    Ok(())
}

/// JSON for amounts in millionths: a decimal number rounded to the nearest millionth (`0.096`
/// is 96 000), non-negative, at most 10^9 (where an `f64` still tells millionths apart).
pub(crate) mod micros {
    use serde::{Deserializer, Serializer};

    use super::super::schema::decimal;

    /// Decimal places kept.
    const PLACES: u32 = 6;
    /// The largest amount, in millionths.
    const MAX: i64 = 1_000_000_000_000_000;

    /// Writes millionths as a JSON number.
    ///
    /// # Errors
    /// The serializer's.
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        decimal::serialize_scaled(i64::try_from(*v).unwrap_or(MAX), PLACES, s)
    }

    /// Reads a JSON number into millionths.
    ///
    /// # Errors
    /// Not a number, negative, or beyond 10^9.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let v = decimal::deserialize_scaled(d, PLACES, MAX)?;
        u64::try_from(v).map_err(|_| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Signed(v),
                &"a non-negative amount",
            )
        })
    }

    /// `Option` of an amount.
    pub mod option {
        use serde::{Deserializer, Serializer};

        /// Writes a present amount (absent ones are skipped by the field's attributes).
        ///
        /// # Errors
        /// The serializer's.
        #[allow(clippy::ref_option)] // serde's `with` signature
        pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => super::serialize(v, s),
                None => s.serialize_none(),
            }
        }

        /// Reads an amount (the field is optional through its `default`).
        ///
        /// # Errors
        /// As [`super::deserialize`].
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
            super::deserialize(d).map(Some)
        }
    }
}
