//! Purchasing at the boundary (SEMANTICS §4, §1.4, §2.12): the price table, the
//! mixed-instances policy, reservations and the cost ledger of a `Group`.
//!
//! Prices and amounts are floats (or ints) of the caller's unit, per hour for a rate, converted
//! once to whole millionths: ints exactly, floats to the nearest millionth, halves away from
//! zero (`0.096` is 96 000). Negative, NaN, infinite and too-large values raise `ValueError`;
//! `bool` raises `TypeError`. Amounts handed back are millionths divided by 10⁶, so a price
//! read back converts to the same millionth. Instance types are named (`"m5.large"`, from the
//! core's built-in table) and zones by the group's zone names; the core's indices stay inside.
//!
//! The `Group` methods live in `group.rs` (one `#[pymethods]` block per class without pyo3's
//! `multiple-pymethods` feature); they call the converters here.

use fleetcore::catalog::{Category, InstanceType};
use fleetcore::group::GroupError;
use fleetcore::group::MixedInstances;
use fleetcore::purchase::{
    self, Distribution, MAX_TYPES, MarketKind, Money, OnDemandStrategy, Override, Payment, Prices,
    PurchaseError, Rate, Reservation, Scope, SpotSignal, SpotStrategy, Term, UpfrontAccounting,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyString};

use crate::errors::{IntoPyResult, error_like, to_py_err, value_error};
use crate::group::CoreGroup;
use crate::time::{Seconds, to_seconds};

/// Millionths in one unit, as a float for the conversion.
const MICROS_PER_UNIT: f64 = 1_000_000.0;

/// 2^64 as a float: the first millionth count a `u64` cannot hold.
const U64_LIMIT: f64 = 18_446_744_073_709_551_616.0;

/// A non-negative amount (or rate per hour) from Python, held as whole millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Micros(pub u64);

impl Micros {
    /// Converts a float.
    ///
    /// # Errors
    /// `ValueError` for negative, NaN, infinite and out-of-range values.
    pub fn from_f64(v: f64) -> PyResult<Self> {
        if !v.is_finite() || v < 0.0 {
            return Err(value_error(format!(
                "a price must be a finite, non-negative number, got {v}"
            )));
        }
        let micros = (v * MICROS_PER_UNIT).round();
        if micros >= U64_LIMIT {
            return Err(value_error(format!("price {v} is out of range")));
        }
        // In range and non-negative, checked above; `round` left no fraction.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let micros = micros as u64;
        Ok(Self(micros))
    }

    /// As a rate per hour.
    pub const fn rate(self) -> Rate {
        Rate::from_micros(self.0)
    }

    /// As an amount.
    pub const fn money(self) -> Money {
        Money::from_micros(self.0)
    }
}

impl FromPyObject<'_, '_> for Micros {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() {
            return Err(PyTypeError::new_err("a price must be a number, not a bool"));
        }
        if obj.is_instance_of::<PyInt>() {
            // Exact for every int: no float rounding on the way.
            let v: i128 = obj
                .extract()
                .map_err(|_| value_error("price is out of range"))?;
            let micros = u64::try_from(v)
                .ok()
                .and_then(|v| v.checked_mul(1_000_000))
                .ok_or_else(|| {
                    value_error(format!(
                        "a price must be a non-negative number in range, got {v}"
                    ))
                })?;
            return Ok(Self(micros));
        }
        Self::from_f64(obj.extract::<f64>()?)
    }
}

/// Millionths as a Python float.
#[allow(clippy::cast_precision_loss)] // Exact below 2^53 millionths (9 × 10⁹ units).
pub fn to_units(micros: u64) -> f64 {
    micros as f64 / MICROS_PER_UNIT
}

/// A rate as a float per hour.
pub fn rate_to_float(r: Rate) -> f64 {
    to_units(r.micros())
}

/// An amount as a float, rounded to the nearest millionth.
pub fn money_to_float(m: Money) -> f64 {
    to_units(m.micros())
}

/// What a group spent over an interval, by purchasing option (``Group.settle``,
/// ``Group.spend``). Amounts are in the unit of the group's prices, to the nearest
/// millionth; seconds are billed seconds (per-second billing, 60 s minimum per start).
#[pyclass(frozen, eq, get_all, module = "fleetcore")]
#[derive(Debug, Clone, PartialEq)]
pub struct Spend {
    /// On-Demand usage not covered by a reservation.
    on_demand: f64,
    /// Reservation charges: hourly for every hour of the term, used or not, and the
    /// upfront as ``set_prices(upfront=...)`` assigns it.
    reserved: f64,
    /// Spot usage at the Spot price in effect.
    spot: f64,
    /// Everything spent.
    total: f64,
    /// Billed On-Demand seconds, covered or not.
    on_demand_s: f64,
    /// On-Demand seconds a reservation covered.
    covered_s: f64,
    /// What the covered seconds would have cost On-Demand.
    covered_value: f64,
    /// Billed Spot seconds.
    spot_s: f64,
    /// ``covered_s / on_demand_s``; ``None`` without On-Demand use.
    coverage: Option<f64>,
    /// The share of what the active reservations offered (normalized seconds) that
    /// covered usage; ``None`` with none active.
    utilisation: Option<f64>,
}

/// `part / whole` as a float, `None` when `whole` is zero.
#[allow(clippy::cast_precision_loss)] // Second counts far below 2^53.
fn share(part: u64, whole: u64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

/// Whole seconds as float seconds.
fn secs(s: u64) -> f64 {
    to_seconds(s.saturating_mul(1000))
}

impl Spend {
    /// Converts the core's figures.
    pub fn new(s: &purchase::Spend) -> Self {
        Self {
            on_demand: money_to_float(s.on_demand),
            reserved: money_to_float(s.reserved),
            spot: money_to_float(s.spot),
            total: money_to_float(s.total()),
            on_demand_s: secs(s.on_demand_secs),
            covered_s: secs(s.covered_secs),
            covered_value: money_to_float(s.covered_value),
            spot_s: secs(s.spot_secs),
            coverage: share(s.covered_secs, s.on_demand_secs),
            utilisation: share(s.reserved_used, s.reserved_capacity),
        }
    }
}

#[pymethods]
impl Spend {
    /// The fields as a dict.
    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("on_demand", self.on_demand)?;
        d.set_item("reserved", self.reserved)?;
        d.set_item("spot", self.spot)?;
        d.set_item("total", self.total)?;
        d.set_item("on_demand_s", self.on_demand_s)?;
        d.set_item("covered_s", self.covered_s)?;
        d.set_item("covered_value", self.covered_value)?;
        d.set_item("spot_s", self.spot_s)?;
        d.set_item("coverage", self.coverage)?;
        d.set_item("utilisation", self.utilisation)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Spend(total={:.6}, on_demand={:.6}, reserved={:.6}, spot={:.6})",
            self.total, self.on_demand, self.reserved, self.spot
        )
    }
}

/// `"on-demand"` or `"spot"`: the service's spelling (`aws_str`), which results, plots and the
/// action log have always used, rather than the document's canonical `on_demand`.
pub fn market_name(m: MarketKind) -> &'static str {
    m.aws_str()
}

/// `None`, `"rebalance"` or `"notice"`.
pub fn signal_name(s: SpotSignal) -> Option<&'static str> {
    (s != SpotSignal::None).then(|| s.as_str())
}

/// The name of price-table type `ix`, once the group has a price table.
pub fn type_name(g: &CoreGroup, ix: u8) -> Option<String> {
    g.prices()
        .and_then(|p| p.get(ix))
        .map(|t| t.name.as_str().to_owned())
}

/// The index of a zone of the group by name.
///
/// # Errors
/// `PurchaseError` 1903 for a name the group does not have.
pub fn zone_index(py: Python<'_>, g: &CoreGroup, name: &str) -> PyResult<u8> {
    let zones = &g.config().zones;
    zones
        .iter()
        .position(|z| z.as_str() == name)
        .and_then(|i| u8::try_from(i).ok())
        .ok_or_else(|| {
            let names: Vec<String> = zones.iter().map(ToString::to_string).collect();
            error_like(
                py,
                &PurchaseError::ZoneOutOfRange { zone: u8::MAX },
                format!(
                    "the group has no zone named {name:?}; its zones are {}",
                    names.join(", ")
                ),
            )
        })
}

fn unknown_type(py: Python<'_>, name: &str) -> PyErr {
    error_like(
        py,
        &PurchaseError::UnknownType,
        format!("instance type {name:?} has no price; add it to the price table"),
    )
}

fn type_in(py: Python<'_>, prices: &Prices, name: &str) -> PyResult<u8> {
    prices.index(name).ok_or_else(|| unknown_type(py, name))
}

/// The index of a type in the group's price table by name.
///
/// # Errors
/// `GroupError` 1133 without a price table, `PurchaseError` 1900 for a type it lacks.
pub fn type_index(py: Python<'_>, g: &CoreGroup, name: &str) -> PyResult<u8> {
    let prices = g
        .prices()
        .ok_or_else(|| to_py_err(py, &GroupError::NoPrices))?;
    type_in(py, prices, name)
}

/// The `(key, value)` pairs of a mapping (its `items()`) or of a sequence of pairs.
fn pairs<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
    let items = if obj.hasattr("items")? {
        obj.call_method0("items")?
    } else {
        obj.clone()
    };
    items
        .try_iter()?
        .map(|item| item?.extract::<(Bound<'py, PyAny>, Bound<'py, PyAny>)>())
        .collect()
}

/// The price table of `Group.set_prices`.
///
/// # Errors
/// `PurchaseError` for an unknown or repeated type, an unknown zone or a full table;
/// `ValueError` for a bad price or `upfront` name.
pub fn price_table(
    py: Python<'_>,
    g: &CoreGroup,
    on_demand: &Bound<'_, PyAny>,
    spot: Option<&Bound<'_, PyAny>>,
    upfront: &str,
) -> PyResult<(Prices, UpfrontAccounting)> {
    let upfront = crate::vocab::parse::<UpfrontAccounting>("upfront", upfront)?;
    let mut rates: Vec<(String, Rate)> = Vec::new();
    for (name, rate) in pairs(on_demand)? {
        let name: String = name.extract()?;
        let rate: Micros = rate.extract()?;
        if rates.iter().any(|(n, _)| *n == name) {
            return Err(error_like(
                py,
                &PurchaseError::DuplicateType,
                format!("instance type {name:?} is priced twice"),
            ));
        }
        rates.push((name, rate.rate()));
    }
    let mut prices = Prices::new();
    // Members, overrides and reservations hold type indices: a type once priced keeps its
    // place, whatever order a later table lists it in.
    for old in g.prices().into_iter().flat_map(Prices::types) {
        let name = old.name.as_str();
        let Some(at) = rates.iter().position(|(n, _)| n == name) else {
            return Err(error_like(
                py,
                &PurchaseError::UnknownType,
                format!(
                    "the new price table lacks {name:?}; a type once priced keeps its place, \
                     so give it a price"
                ),
            ));
        };
        let (_, rate) = rates.remove(at);
        let t = InstanceType::builtin(name).or_else(|_| {
            // A custom type from a snapshot another binding wrote.
            InstanceType::custom(name, Category::GeneralPurpose, 1, 1).map(|mut t| {
                t.normalization = old.normalization;
                t
            })
        });
        let t = t.py_err(py)?;
        prices.add_type(&t, rate).py_err(py)?;
    }
    for (name, rate) in rates {
        prices.add_builtin(&name, rate).map_err(|e| match e {
            PurchaseError::UnknownType => error_like(
                py,
                &e,
                format!("{name:?} is not an instance type of the built-in table"),
            ),
            _ => to_py_err(py, &e),
        })?;
    }
    if let Some(spot) = spot.filter(|s| !s.is_none()) {
        for (key, value) in pairs(spot)? {
            let (name, zone): (String, String) = key.extract()?;
            let (price, capacity): (Micros, u32) = value.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "the Spot pool ({name:?}, {zone:?}) needs a (price, capacity) pair"
                ))
            })?;
            let ty = type_in(py, &prices, &name)?;
            let zone = zone_index(py, g, &zone)?;
            prices
                .set_spot(ty, zone, price.rate(), capacity)
                .py_err(py)?;
        }
    }
    Ok((prices, upfront))
}

/// The price table as `Group.prices` returns it.
///
/// # Errors
/// A failure to build the dicts.
pub fn prices_dict<'py>(py: Python<'py>, g: &CoreGroup) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(prices) = g.prices() else {
        return Ok(None);
    };
    let on_demand = PyDict::new(py);
    for t in prices.types() {
        on_demand.set_item(t.name.as_str(), rate_to_float(t.on_demand))?;
    }
    let spot = PyDict::new(py);
    let zones = &g.config().zones;
    for p in prices.pools() {
        let (Some(t), Some(z)) = (prices.get(p.instance_type), zones.get(usize::from(p.zone)))
        else {
            continue;
        };
        spot.set_item(
            (t.name.as_str(), z.as_str()),
            (rate_to_float(p.price), p.capacity),
        )?;
    }
    let d = PyDict::new(py);
    d.set_item("on_demand", on_demand)?;
    d.set_item("spot", spot)?;
    Ok(Some(d))
}

/// One entry of `overrides`: a type name, or `(name, weight)`.
pub struct OverrideArg {
    name: String,
    weight: u32,
}

impl FromPyObject<'_, '_> for OverrideArg {
    type Error = PyErr;

    fn extract(obj: Borrowed<'_, '_, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyString>() {
            return Ok(Self {
                name: obj.extract()?,
                weight: 1,
            });
        }
        let (name, weight): (String, crate::errors::Int) = obj.extract().map_err(|_| {
            PyTypeError::new_err("an override is a type name or a (type name, weight) pair")
        })?;
        let weight = weight.get(obj.py(), "an override's weight")?;
        Ok(Self { name, weight })
    }
}

/// The keyword arguments of `Group.set_mixed_instances` past the overrides.
pub struct DistributionArgs<'a> {
    /// `OnDemandBaseCapacity`.
    pub on_demand_base: u32,
    /// `OnDemandPercentageAboveBaseCapacity`.
    pub on_demand_percent: u32,
    /// `OnDemandAllocationStrategy`.
    pub on_demand_strategy: &'a str,
    /// `SpotAllocationStrategy`.
    pub spot_strategy: &'a str,
    /// `SpotInstancePools`.
    pub spot_pools: u32,
    /// `SpotMaxPrice` per unit hour.
    pub spot_max_price: Option<Micros>,
    /// `CapacityRebalance`.
    pub capacity_rebalance: bool,
}

/// A number too large for the core's field, refused as the core refuses an out-of-range one.
fn narrow<T: TryFrom<u32>>(
    py: Python<'_>,
    v: u32,
    like: &PurchaseError,
    what: &str,
) -> PyResult<T> {
    T::try_from(v).map_err(|_| error_like(py, like, format!("{what}, got {v}")))
}

/// The policy of `Group.set_mixed_instances`.
///
/// # Errors
/// `GroupError` 1133 without a price table; `PurchaseError` for an unknown type, too many
/// overrides or numbers out of the core's range; `ValueError` for unknown strategy names.
pub fn mixed_policy(
    py: Python<'_>,
    g: &CoreGroup,
    overrides: &[OverrideArg],
    args: &DistributionArgs<'_>,
) -> PyResult<MixedInstances> {
    let on_demand_strategy =
        crate::vocab::parse::<OnDemandStrategy>("on_demand_strategy", args.on_demand_strategy)?;
    let spot_strategy = crate::vocab::parse::<SpotStrategy>("spot_strategy", args.spot_strategy)?;
    let prices = g
        .prices()
        .ok_or_else(|| to_py_err(py, &GroupError::NoPrices))?;
    let mut list: Vec<Override> = Vec::with_capacity(overrides.len());
    for o in overrides {
        list.push(Override {
            instance_type: type_in(py, prices, &o.name)?,
            weight: narrow(
                py,
                o.weight,
                &PurchaseError::InvalidWeight { weight: u16::MAX },
                "weighted capacity must be 1-999",
            )?,
        });
    }
    if list.len() > MAX_TYPES {
        return Err(error_like(
            py,
            &PurchaseError::Full {
                table: "types",
                capacity: MAX_TYPES,
            },
            format!("a mixed-instances policy takes at most {MAX_TYPES} overrides"),
        ));
    }
    let mut policy = MixedInstances::new(&list).py_err(py)?;
    policy.distribution = Distribution {
        on_demand_base: args.on_demand_base,
        on_demand_percent: narrow(
            py,
            args.on_demand_percent,
            &PurchaseError::InvalidPercentage { percent: u8::MAX },
            "on-demand percentage above base must be 0-100",
        )?,
        on_demand_strategy,
        spot_strategy,
        spot_pools: narrow(
            py,
            args.spot_pools,
            &PurchaseError::InvalidPoolCount { pools: u8::MAX },
            "Spot instance pools must be 1-20",
        )?,
        spot_max_price: args.spot_max_price.map(Micros::rate),
    };
    policy.capacity_rebalance = args.capacity_rebalance;
    Ok(policy)
}

fn on_demand_strategy_name(s: OnDemandStrategy) -> &'static str {
    s.as_str()
}

fn spot_strategy_name(s: SpotStrategy) -> &'static str {
    s.as_str()
}

/// The mixed-instances policy as the keyword arguments of `Group.set_mixed_instances`.
///
/// # Errors
/// A failure to build the dict.
pub fn mixed_dict<'py>(py: Python<'py>, g: &CoreGroup) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(m) = g.mixed_instances() else {
        return Ok(None);
    };
    let overrides: Vec<(String, u16)> = m
        .overrides
        .iter()
        .map(|o| (type_name(g, o.instance_type).unwrap_or_default(), o.weight))
        .collect();
    let dist = &m.distribution;
    let d = PyDict::new(py);
    d.set_item("overrides", overrides)?;
    d.set_item("on_demand_base", dist.on_demand_base)?;
    d.set_item("on_demand_percent", dist.on_demand_percent)?;
    d.set_item(
        "on_demand_strategy",
        on_demand_strategy_name(dist.on_demand_strategy),
    )?;
    d.set_item("spot_strategy", spot_strategy_name(dist.spot_strategy))?;
    d.set_item("spot_pools", dist.spot_pools)?;
    d.set_item("spot_max_price", dist.spot_max_price.map(rate_to_float))?;
    d.set_item("capacity_rebalance", m.capacity_rebalance)?;
    Ok(Some(d))
}

/// The keyword arguments of `Group.reserve` past the type and count.
pub struct ReservationArgs<'a> {
    /// When the term starts.
    pub start: Seconds,
    /// `"1y"` or `"3y"`.
    pub term: &'a str,
    /// The payment option's name.
    pub payment: &'a str,
    /// Upfront charge per instance.
    pub upfront: Option<Micros>,
    /// Hourly charge per instance.
    pub hourly: Option<Micros>,
    /// The zone of a zonal reservation.
    pub zone: Option<&'a str>,
    /// Size flexibility of a regional reservation.
    pub size_flexible: bool,
}

/// The reservation of `Group.reserve`.
///
/// # Errors
/// `GroupError` 1133 without a price table; `PurchaseError` for an unknown type or zone;
/// `ValueError` for unknown term or payment names.
pub fn reservation(
    py: Python<'_>,
    g: &CoreGroup,
    instance_type: &str,
    count: u16,
    args: &ReservationArgs<'_>,
) -> PyResult<Reservation> {
    let term = crate::vocab::parse::<Term>("term", args.term)?;
    let payment = crate::vocab::parse::<Payment>("payment", args.payment)?;
    let ty = type_index(py, g, instance_type)?;
    let scope = match args.zone {
        Some(z) => Scope::Zonal {
            zone: zone_index(py, g, z)?,
        },
        None => Scope::Regional {
            size_flexible: args.size_flexible,
        },
    };
    Ok(Reservation {
        instance_type: ty,
        count,
        scope,
        term,
        payment,
        upfront: args.upfront.map_or(Money::ZERO, Micros::money),
        hourly: args.hourly.map_or(Rate::ZERO, Micros::rate),
        start: args.start.instant(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_round_to_the_nearest_millionth() {
        // The refusals are Python exceptions.
        Python::initialize();
        assert_eq!(Micros::from_f64(0.096).unwrap().0, 96_000);
        assert_eq!(Micros::from_f64(0.000_000_5).unwrap().0, 1);
        assert_eq!(Micros::from_f64(0.000_000_49).unwrap().0, 0);
        assert_eq!(Micros::from_f64(-0.0).unwrap().0, 0);
        assert!(Micros::from_f64(-0.001).is_err());
        assert!(Micros::from_f64(f64::NAN).is_err());
        assert!(Micros::from_f64(f64::INFINITY).is_err());
        assert!(Micros::from_f64(1e300).is_err());
    }

    #[test]
    fn returned_prices_convert_back_to_the_same_millionth() {
        for m in [0, 1, 999, 96_000, 85_000, 123_456_789, 1 << 52] {
            assert_eq!(Micros::from_f64(to_units(m)).unwrap().0, m);
        }
    }
}
