//! Purchasing for an `fc_group` from C (SEMANTICS §4, §1.4, §2.12): a price table and cost
//! ledger, Reserved Instances, a mixed-instances policy that buys On-Demand and Spot, Spot
//! signals and Capacity Rebalancing. The group decides inside `fc_group_tick`; launch actions
//! say the market and the type they bought (`fc_group_action.market`, `.instance_type`).
//!
//! The steps: `fc_group_set_prices` (On-Demand rates by built-in type name, Spot pools by type
//! index and zone), then `fc_group_set_mixed_instances` (start from
//! `fc_mixed_instances_default`). Relay what EC2 publishes with `fc_group_set_spot_price` and
//! `fc_group_set_spot_capacity`, and Spot events with `fc_group_observe`
//! (`FC_GROUP_EVENT_KIND_SPOT_INTERRUPTION`, `_REBALANCE_RECOMMENDATION`);
//! `fc_group_price_interruptions` lists the members a price rise interrupts. Read the ledger
//! with `fc_group_settle` and `fc_group_spend`.
//!
//! Money is exact integers, in the caller's unit (dollars for a bill, watt-hours for a board
//! that budgets energy): a rate is `uint64_t` millionths per hour (`0.096`/h is `96000`), and
//! an amount is `uint64_t` in 1/3600 of a millionth (`FC_MONEY_EXACT_PER_MICRO` of them make a
//! millionth), so that a rate times billed seconds is exact. `fc_spend` gives both that exact
//! figure and millionths rounded half up.
//!
//! Model, where the C ABI needs one: types are named from the core's built-in table
//! (`"m5.large"`); their index in the price table is their place in the array given to
//! `fc_group_set_prices`. `fc_group_spend` reads the ledger as far as it is settled and changes
//! nothing, so call `fc_group_settle` with the current time first.

use core::ffi::c_char;

use fleetcore::Instant;
use fleetcore::catalog::{InstanceType, TYPE_NAME_MAX};
use fleetcore::group::{LEDGER_HOURS, MAX_ZONES, MixedInstances};
use fleetcore::purchase::{
    Distribution, MAX_POOLS, MAX_RESERVATIONS, MAX_TYPES, MarketKind, Money, OnDemandStrategy,
    Override, Payment, Prices, Rate, Reservation, Scope, ScopeKind, Spend, SpotPool, SpotSignal,
    SpotStrategy, Term, UpfrontAccounting,
};

use super::{CoreGroup, fc_group, group_mut, group_ref, optional};
use crate::boundary::{
    Out, OutSlice, OutText, boundary, enum_value, input, input_slice, input_str,
};
use crate::id::fc_instance_id;
use crate::status::fc_status;

/// Most instance types a group's price table holds.
pub const FC_GROUP_MAX_TYPES: usize = 16;
/// Most Spot pools (type × zone) a group's price table holds.
pub const FC_GROUP_MAX_SPOT_POOLS: usize = 64;
/// Most reservations a group's ledger holds at once (expired ones are dropped).
pub const FC_GROUP_MAX_RESERVATIONS: usize = 16;
/// Closed clock-hours of cost history the ledger keeps for `fc_group_spend`.
pub const FC_GROUP_LEDGER_HOURS: usize = 24;
/// Longest instance type name, in bytes (no NUL).
pub const FC_GROUP_TYPE_NAME_MAX: usize = 32;
/// Exact money units in one millionth: an amount of `n` exact units (`fc_spend.*_exact`) is
/// `(n + 1800) / 3600` millionths rounded half up, as `fc_spend.*_micros` gives it.
pub const FC_MONEY_EXACT_PER_MICRO: u64 = 3600;

const _: () = assert!(FC_GROUP_MAX_TYPES == MAX_TYPES);
const _: () = assert!(FC_GROUP_MAX_SPOT_POOLS == MAX_POOLS);
const _: () = assert!(FC_GROUP_MAX_RESERVATIONS == MAX_RESERVATIONS);
const _: () = assert!(FC_GROUP_LEDGER_HOURS == LEDGER_HOURS);
const _: () = assert!(FC_GROUP_TYPE_NAME_MAX == TYPE_NAME_MAX);
const _: () = assert!(Money::from_micros(1).exact() == FC_MONEY_EXACT_PER_MICRO);
const _: () = assert!(fleetcore::purchase::MAX_ZONES == MAX_ZONES);

pub(crate) fn market_to_u32(m: MarketKind) -> u32 {
    m.number()
}

pub(crate) fn market_from_u32(v: u32) -> Result<MarketKind, fc_status> {
    crate::boundary::enum_value(v)
}

pub(crate) fn spot_signal_to_u32(s: SpotSignal) -> u32 {
    s.number()
}

/// The id written where no id applies: all zero, `len` 0.
pub(crate) const NO_ID: fc_instance_id = fc_instance_id {
    digits: [0; crate::id::FC_INSTANCE_ID_DIGITS],
    len: 0,
};

fn upfront_accounting(v: u32) -> Result<UpfrontAccounting, fc_status> {
    crate::boundary::enum_value(v)
}

/// One On-Demand price for `fc_group_set_prices`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_priced_type {
    /// A type of the built-in table, such as `"m5.large"` (its family and size give the
    /// normalization factor size-flexible reservations use).
    pub name: *const c_char,
    /// The On-Demand price, millionths per hour (`96000` is 0.096/h).
    pub on_demand_micros: u64,
}

/// One Spot pool: a priced type in a zone, with its price and spare capacity.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_spot_pool {
    /// Index of the type in the price table (its place in `fc_group_set_prices`' array).
    pub instance_type: u8,
    /// Zone index, below `FC_GROUP_MAX_ZONES`.
    pub zone: u8,
    /// The current Spot price, millionths per hour.
    pub price_micros: u64,
    /// Spare capacity as the caller estimates it (any scale; larger is deeper and less likely
    /// to be interrupted); 0: the pool cannot launch.
    pub capacity: u32,
}

/// Gives the group its price table and starts its cost ledger at `now_ms` (SEMANTICS §4.1, §4.4):
/// `type_count` On-Demand prices, whose array order gives each type its index, and `pool_count`
/// Spot pools (a pool listed twice keeps the last entry). `upfront` (`FC_UPFRONT_ACCOUNTING_*`)
/// says how reservation upfront charges show; it is taken at the first call. A later call replaces
/// the table from `now_ms` on; what was billed before keeps the old prices. Then:
/// `fc_group_set_mixed_instances` (Spot, several types; else On-Demand of type 0), Spot prices
/// and capacity (`fc_group_set_spot_price`, `_capacity`), `fc_group_settle`, `fc_group_spend`.
///
/// Money is exact integers in the caller's unit: rates are millionths per hour (`96000` is
/// 0.096/h), amounts 1/3600 of a millionth (`FC_MONEY_EXACT_PER_MICRO`).
///
/// The ledger bills a member per second (60 s minimum per start) from the `running` report to the
/// report that it stopped or left; members the group already has are metered as On-Demand instances
/// of type 0. Errors: `FC_STATUS_NULL_ARGUMENT` (also an array NULL with a nonzero count, a NULL
/// name), `FC_STATUS_INVALID_ENUM_VALUE`, `FC_STATUS_NOT_UTF8`, `CatalogError::UnknownInstanceType`
/// and `CatalogError::InvalidTypeName` (not a built-in type), `PurchaseError::DuplicateType`,
/// `PurchaseError::UnknownType` (a pool of a type index not in the table, or a member or reservation
/// whose type the new table lacks), `PurchaseError::UnknownPool` (a Spot member's pool the new
/// table lacks), `PurchaseError::ZoneOutOfRange`, `PurchaseError::Full` (more than
/// `FC_GROUP_MAX_TYPES` types or `FC_GROUP_MAX_SPOT_POOLS` pools), `PurchaseError::InvalidOverrides`
/// and the other policy statuses (the mixed-instances policy no longer fits),
/// `PurchaseError::TimeWentBack`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_prices(
    group: *mut fc_group,
    now_ms: u64,
    types: *const fc_priced_type,
    type_count: usize,
    pools: *const fc_spot_pool,
    pool_count: usize,
    upfront: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, types, pools) = unsafe {
            (
                group_mut(group)?,
                input_slice(types, type_count)?,
                input_slice(pools, pool_count)?,
            )
        };
        let upfront = upfront_accounting(upfront)?;
        let mut prices = Prices::new();
        for t in types {
            // SAFETY: each name is NULL or a NUL-terminated string (caller's contract).
            let name = unsafe { input_str(t.name) }?;
            let it = InstanceType::builtin(name)?;
            prices.add_type(&it, Rate::from_micros(t.on_demand_micros))?;
        }
        for p in pools {
            prices.set_spot(
                p.instance_type,
                p.zone,
                Rate::from_micros(p.price_micros),
                p.capacity,
            )?;
        }
        group.set_prices(Instant::from_millis(now_ms), prices, upfront)?;
        Ok(())
    })
}

/// Sets a Spot pool's price from `now_ms` on, as EC2 publishes it (adding the pool, with capacity
/// 0, if it had no price). Seconds before `now_ms` keep the old price. Spot members whose pool now
/// costs more than their max price show in `fc_group_price_interruptions`. Errors:
/// `FC_STATUS_NO_PRICES`, `PurchaseError::UnknownType`, `PurchaseError::ZoneOutOfRange`,
/// `PurchaseError::Full`, `PurchaseError::TimeWentBack`. The group is unchanged on error. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_spot_price(
    group: *mut fc_group,
    now_ms: u64,
    instance_type: u8,
    zone: u8,
    price_micros: u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.set_spot_price(
            Instant::from_millis(now_ms),
            instance_type,
            zone,
            Rate::from_micros(price_micros),
        )?;
        Ok(())
    })
}

/// Sets a priced Spot pool's spare capacity as the caller estimates it (0: it cannot launch).
/// Allocation strategies and Capacity Rebalancing compare these; a group waiting for Spot capacity
/// tries again at the next tick. Errors: `FC_STATUS_NO_PRICES`, `PurchaseError::UnknownPool`. The
/// group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_spot_capacity(
    group: *mut fc_group,
    instance_type: u8,
    zone: u8,
    capacity: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.set_spot_capacity(instance_type, zone, capacity)?;
        Ok(())
    })
}

/// The price table of a group that has one.
fn prices(group: &CoreGroup) -> Result<&Prices, fc_status> {
    group.prices().ok_or(fc_status::NoPrices)
}

/// The index of a priced type, by name. On success `*out_index` is set. Errors:
/// `FC_STATUS_NOT_UTF8`, `FC_STATUS_NO_PRICES`, `PurchaseError::UnknownType`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_type_index(
    group: *const fc_group,
    name: *const c_char,
    out_index: *mut u8,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, name, out) =
            unsafe { (group_ref(group)?, input_str(name)?, Out::new(out_index)?) };
        let index = prices(group)?.index(name).ok_or(fc_status::UnpricedType)?;
        out.write(index);
        Ok(())
    })
}

/// The name of priced type `index` (the index a launch action's `instance_type` carries) and a NUL,
/// into `out_buf`; `FC_GROUP_TYPE_NAME_MAX + 1` bytes are always enough. On success `*out_written`
/// is the name's length; on error nothing is written. Errors: `FC_STATUS_NO_PRICES`,
/// `FC_STATUS_INDEX_OUT_OF_RANGE`, `FC_STATUS_BUFFER_TOO_SMALL`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_type_name(
    group: *const fc_group,
    index: u8,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, buf, written) = unsafe {
            (
                group_ref(group)?,
                OutText::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let t = prices(group)?
            .get(index)
            .ok_or(fc_status::IndexOutOfRange)?;
        written.write(buf.write(t.name.as_str().as_bytes())?);
        Ok(())
    })
}

/// The On-Demand price of priced type `index`, millionths per hour. On success `*out_micros` is
/// set. Errors: `FC_STATUS_NO_PRICES`, `FC_STATUS_INDEX_OUT_OF_RANGE`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_on_demand_price(
    group: *const fc_group,
    index: u8,
    out_micros: *mut u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_micros`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_micros)?) };
        let rate = prices(group)?
            .on_demand(index)
            .ok_or(fc_status::IndexOutOfRange)?;
        out.write(rate.micros());
        Ok(())
    })
}

/// The Spot pool of type `instance_type` in zone `zone`: its current price and capacity. On success
/// `*out_pool` is set. Errors: `FC_STATUS_NO_PRICES`, `PurchaseError::UnknownPool`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_spot_pool(
    group: *const fc_group,
    instance_type: u8,
    zone: u8,
    out_pool: *mut fc_spot_pool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_pool`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_pool)?) };
        let p: SpotPool = prices(group)?
            .spot(instance_type, zone)
            .ok_or(fc_status::UnknownSpotPool)?;
        out.write(fc_spot_pool {
            instance_type: p.instance_type,
            zone: p.zone,
            price_micros: p.price.micros(),
            capacity: p.capacity,
        });
        Ok(())
    })
}

/// A Reserved Instance purchase for `fc_group_reserve` (SEMANTICS §4.2).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_reservation {
    /// Index of the reserved type in the price table.
    pub instance_type: u8,
    /// How many instances it reserves (at least 1).
    pub count: u16,
    /// `FC_RESERVATION_SCOPE_*`.
    pub scope: u32,
    /// Zonal: the zone index.
    pub zone: u8,
    /// Regional: size flexibility within the family (the service gives it to Linux/Unix
    /// default-tenancy reservations only; the caller knows the platform).
    pub size_flexible: bool,
    /// `FC_RESERVATION_TERM_*`.
    pub term: u32,
    /// `FC_RESERVATION_PAYMENT_*`.
    pub payment: u32,
    /// Upfront charge per instance, millionths.
    pub upfront_micros: u64,
    /// Hourly charge per instance, millionths per hour, for every hour of the term.
    pub hourly_micros: u64,
    /// When the term starts, milliseconds since the Unix epoch.
    pub start_ms: u64,
}

fn core_reservation(r: &fc_reservation) -> Result<Reservation, fc_status> {
    let scope = match enum_value::<ScopeKind>(r.scope)? {
        ScopeKind::Zonal => Scope::Zonal { zone: r.zone },
        ScopeKind::Regional => Scope::Regional {
            size_flexible: r.size_flexible,
        },
    };
    let term: Term = enum_value(r.term)?;
    let payment: Payment = enum_value(r.payment)?;
    Ok(Reservation {
        instance_type: r.instance_type,
        count: r.count,
        scope,
        term,
        payment,
        upfront: Money::from_micros(r.upfront_micros),
        hourly: Rate::from_micros(r.hourly_micros),
        start: Instant::from_millis(r.start_ms),
    })
}

/// Adds a Reserved Instance to the group's ledger (SEMANTICS §4.2): each clock-hour of its term it
/// is charged, used or not, and covers at most 3600 s per reserved instance of matching On-Demand
/// usage (zonal: the type in its zone; regional: the type anywhere, or its family by normalization
/// factor when size-flexible). Errors: `FC_STATUS_INVALID_ENUM_VALUE`, `FC_STATUS_NO_PRICES`,
/// `PurchaseError::InvalidReservation` (no instances, charges that do not fit the payment option, an
/// unpriced type, a start in an hour the ledger closed), `PurchaseError::ZoneOutOfRange`,
/// `PurchaseError::Full` (`FC_GROUP_MAX_RESERVATIONS`). The group is unchanged on error. Not
/// thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_reserve(
    group: *mut fc_group,
    reservation: *const fc_reservation,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `reservation`.
        let (group, r) = unsafe { (group_mut(group)?, input(reservation)?) };
        group.reserve(core_reservation(r)?)?;
        Ok(())
    })
}

/// A `LaunchTemplateOverrides` entry: a priced type and its weight. Its place in the array is
/// its priority.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_override {
    /// Index of the type in the price table.
    pub instance_type: u8,
    /// `WeightedCapacity`: units one instance counts for, 1-999.
    pub weight: u16,
}

/// `MixedInstancesPolicy` with `CapacityRebalance`, for `fc_group_set_mixed_instances` (SEMANTICS
/// §4.5, §2.12). Fill it with `fc_mixed_instances_default`, then set the overrides and what
/// differs. `overrides` is borrowed for the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct fc_mixed_instances {
    /// `OnDemandBaseCapacity`, units (default 0): On-Demand first, up to desired capacity.
    pub on_demand_base: u32,
    /// `OnDemandPercentageAboveBaseCapacity`, 0-100 (default 100); fractions round in favour of
    /// On-Demand.
    pub on_demand_percent: u8,
    /// `OnDemandAllocationStrategy` (`FC_ON_DEMAND_STRATEGY_*`).
    pub on_demand_strategy: u32,
    /// `SpotAllocationStrategy` (`FC_SPOT_STRATEGY_*`).
    pub spot_strategy: u32,
    /// `SpotInstancePools`, 1-20 (default 2), for `lowest-price`.
    pub spot_pools: u8,
    /// `SpotMaxPrice` per unit hour, millionths (more than 1000), or -1 (default) for each
    /// type's On-Demand price.
    pub spot_max_price_micros: i64,
    /// `LaunchTemplateOverrides`: `override_count` entries (1 to `FC_GROUP_MAX_TYPES`), in
    /// priority order.
    pub overrides: *const fc_override,
    /// Number of entries in `overrides`.
    pub override_count: usize,
    /// `CapacityRebalance` (default off): replace Spot members EC2 signals before it takes them.
    pub capacity_rebalance: bool,
}

/// Fills `*out_policy` with the service's defaults: base 0, 100 % On-Demand above it,
/// `prioritized`, `lowest-price` over 2 pools, no max price (-1), no overrides (at least one must
/// be set), Capacity Rebalancing off. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_mixed_instances_default(
    out_policy: *mut fc_mixed_instances,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_policy`.
        let out = unsafe { Out::new(out_policy) }?;
        let d = Distribution::default();
        out.write(fc_mixed_instances {
            on_demand_base: d.on_demand_base,
            on_demand_percent: d.on_demand_percent,
            on_demand_strategy: on_demand_strategy_to_u32(d.on_demand_strategy),
            spot_strategy: spot_strategy_to_u32(d.spot_strategy),
            spot_pools: d.spot_pools,
            spot_max_price_micros: -1,
            overrides: core::ptr::null(),
            override_count: 0,
            capacity_rebalance: false,
        });
        Ok(())
    })
}

fn on_demand_strategy_to_u32(s: OnDemandStrategy) -> u32 {
    s.number()
}

fn spot_strategy_to_u32(s: SpotStrategy) -> u32 {
    s.number()
}

/// The core policy of a C one.
///
/// # Safety
/// `p.overrides` is NULL or points to `p.override_count` `fc_override`s.
unsafe fn core_mixed(p: &fc_mixed_instances) -> Result<MixedInstances, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let given = unsafe { input_slice(p.overrides, p.override_count) }?;
    let mut overrides: heapless::Vec<Override, MAX_TYPES> = heapless::Vec::new();
    for o in given {
        overrides
            .push(Override {
                instance_type: o.instance_type,
                weight: o.weight,
            })
            .map_err(|_| fc_status::InvalidOverrides)?;
    }
    let mut policy = MixedInstances::new(&overrides)?;
    policy.distribution = Distribution {
        on_demand_base: p.on_demand_base,
        on_demand_percent: p.on_demand_percent,
        on_demand_strategy: match p.on_demand_strategy {
            0 => OnDemandStrategy::Prioritized,
            1 => OnDemandStrategy::LowestPrice,
            _ => return Err(fc_status::InvalidEnumValue),
        },
        spot_strategy: match p.spot_strategy {
            0 => SpotStrategy::LowestPrice,
            1 => SpotStrategy::CapacityOptimized,
            2 => SpotStrategy::CapacityOptimizedPrioritized,
            3 => SpotStrategy::PriceCapacityOptimized,
            _ => return Err(fc_status::InvalidEnumValue),
        },
        spot_pools: p.spot_pools,
        spot_max_price: optional(p.spot_max_price_micros)?.map(Rate::from_micros),
    };
    policy.capacity_rebalance = p.capacity_rebalance;
    Ok(policy)
}

/// Sets the group's mixed-instances policy (SEMANTICS §4.5): from the next tick, launches buy
/// On-Demand up to the split of desired capacity (the base first, then `on_demand_percent` of the
/// rest, rounded up) and Spot for the remainder, as the strategies pick types and pools; scale-in
/// takes the market furthest above its share, never On-Demand below the base. Running members keep
/// how they were bought. Min, max and desired capacity count units. Errors:
/// `FC_STATUS_NULL_ARGUMENT` (also `overrides` NULL with a nonzero count),
/// `FC_STATUS_INVALID_ENUM_VALUE`, `GroupError::OutOfRange` (a max price below -1),
/// `FC_STATUS_NO_PRICES`, `PurchaseError::InvalidOverrides` (none, a type twice, more than
/// `FC_GROUP_MAX_TYPES`), `PurchaseError::UnknownType`, `PurchaseError::InvalidWeight`,
/// `PurchaseError::InvalidPercentage`, `PurchaseError::InvalidPoolCount`, `PurchaseError::MaxPriceTooLow`,
/// `GroupError::WarmPoolWithMixedInstances`. The group is unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_set_mixed_instances(
    group: *mut fc_group,
    policy: *const fc_mixed_instances,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `policy`.
        let (group, policy) = unsafe { (group_mut(group)?, input(policy)?) };
        // SAFETY: the caller's contract for the overrides `policy` points to.
        let policy = unsafe { core_mixed(policy) }?;
        group.set_mixed_instances(Some(policy))?;
        Ok(())
    })
}

/// Removes the mixed-instances policy: launches are On-Demand of type 0 again, members keep how
/// they were bought. Succeeds when there is none. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_clear_mixed_instances(group: *mut fc_group) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group`.
        let group = unsafe { group_mut(group) }?;
        group.set_mixed_instances(None)?;
        Ok(())
    })
}

/// The group's mixed-instances policy, if any. On success `*out_has` is set; when it is true, the
/// overrides are written to `out_overrides` (`cap` entries; `FC_GROUP_MAX_TYPES` is always enough)
/// and `*out_policy` is filled with `overrides` pointing there, so it can be passed back to
/// `fc_group_set_mixed_instances`. When false, neither is written. Errors:
/// `FC_STATUS_BUFFER_TOO_SMALL`. Nothing is written on error. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_mixed_instances(
    group: *const fc_group,
    out_policy: *mut fc_mixed_instances,
    out_overrides: *mut fc_override,
    cap: usize,
    out_has: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, policy, mut overrides, has) = unsafe {
            (
                group_ref(group)?,
                Out::new(out_policy)?,
                OutSlice::new(out_overrides, cap)?,
                Out::new(out_has)?,
            )
        };
        let Some(p) = group.mixed_instances() else {
            has.write(false);
            return Ok(());
        };
        if p.overrides.len() > overrides.len() {
            return Err(fc_status::BufferTooSmall);
        }
        for (i, o) in p.overrides.iter().enumerate() {
            overrides.put(
                i,
                fc_override {
                    instance_type: o.instance_type,
                    weight: o.weight,
                },
            );
        }
        let d = &p.distribution;
        policy.write(fc_mixed_instances {
            on_demand_base: d.on_demand_base,
            on_demand_percent: d.on_demand_percent,
            on_demand_strategy: on_demand_strategy_to_u32(d.on_demand_strategy),
            spot_strategy: spot_strategy_to_u32(d.spot_strategy),
            spot_pools: d.spot_pools,
            spot_max_price_micros: d
                .spot_max_price
                .map_or(-1, |r| i64::try_from(r.micros()).unwrap_or(i64::MAX)),
            overrides: out_overrides.cast_const(),
            override_count: p.overrides.len(),
            capacity_rebalance: p.capacity_rebalance,
        });
        has.write(true);
        Ok(())
    })
}

/// What was spent, as `fc_group_settle` and `fc_group_spend` report it.
///
/// Amounts come twice: `*_exact` in 1/3600 of a millionth (a rate in millionths per hour
/// times billed seconds, with no rounding: sums of exact figures add up), and `*_micros` in
/// millionths rounded half up (`(exact + 1800) / 3600`, so `total_micros` may differ from the
/// sum of the rounded parts by one or two).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_spend {
    /// On-Demand usage no reservation covered, exact units.
    pub on_demand_exact: u64,
    /// Reservation charges (hourly, and upfront as `FC_UPFRONT_ACCOUNTING_*` says), exact.
    pub reserved_exact: u64,
    /// Spot usage at the prices in effect, exact.
    pub spot_exact: u64,
    /// The three together, exact.
    pub total_exact: u64,
    /// `on_demand_exact` in millionths.
    pub on_demand_micros: u64,
    /// `reserved_exact` in millionths.
    pub reserved_micros: u64,
    /// `spot_exact` in millionths.
    pub spot_micros: u64,
    /// `total_exact` in millionths.
    pub total_micros: u64,
    /// Billed On-Demand seconds, covered or not.
    pub on_demand_secs: u64,
    /// On-Demand seconds a reservation covered.
    pub covered_secs: u64,
    /// What the covered seconds would have cost On-Demand, exact.
    pub covered_value_exact: u64,
    /// Billed Spot seconds.
    pub spot_secs: u64,
    /// Normalized seconds (in quarter units of the factor) the active reservations offered.
    pub reserved_capacity: u64,
    /// Normalized seconds (quarter units) of it that covered usage.
    pub reserved_used: u64,
    /// Reservation coverage, per mille of On-Demand seconds; -1 with no On-Demand use.
    pub coverage_permille: i64,
    /// Reservation utilisation, per mille of what they offered; -1 with none active.
    pub utilisation_permille: i64,
}

impl From<Spend> for fc_spend {
    fn from(s: Spend) -> Self {
        let permille = |p: Option<u64>| p.map_or(-1, |v| i64::try_from(v).unwrap_or(i64::MAX));
        let total = s.total();
        Self {
            on_demand_exact: s.on_demand.exact(),
            reserved_exact: s.reserved.exact(),
            spot_exact: s.spot.exact(),
            total_exact: total.exact(),
            on_demand_micros: s.on_demand.micros(),
            reserved_micros: s.reserved.micros(),
            spot_micros: s.spot.micros(),
            total_micros: total.micros(),
            on_demand_secs: s.on_demand_secs,
            covered_secs: s.covered_secs,
            covered_value_exact: s.covered_value.exact(),
            spot_secs: s.spot_secs,
            reserved_capacity: s.reserved_capacity,
            reserved_used: s.reserved_used,
            coverage_permille: permille(s.coverage_permille()),
            utilisation_permille: permille(s.utilisation_permille()),
        }
    }
}

/// Brings the cost ledger to `now_ms` (billing running members up to it and closing every
/// clock-hour that ended) and writes everything spent since `fc_group_set_prices` started it.
/// Errors: `FC_STATUS_NO_PRICES`, `PurchaseError::TimeWentBack`. Nothing is written and the group is
/// unchanged on error. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_settle(
    group: *mut fc_group,
    now_ms: u64,
    out_spend: *mut fc_spend,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_spend`.
        let (group, out) = unsafe { (group_mut(group)?, Out::new(out_spend)?) };
        out.write(group.settle(Instant::from_millis(now_ms))?.into());
        Ok(())
    })
}

/// What was spent over `[from_ms, to_ms)`, as far as the ledger is settled (call `fc_group_settle`
/// first). Both bounds are on clock-hours (multiples of 3 600 000 ms), within the last
/// `FC_GROUP_LEDGER_HOURS` closed hours and the open one; hours before the ledger started count as
/// zero. Errors: `FC_STATUS_NO_PRICES`, `PurchaseError::UnalignedInterval`,
/// `PurchaseError::ReversedInterval`, `PurchaseError::IntervalNotKept`. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_spend(
    group: *const fc_group,
    from_ms: u64,
    to_ms: u64,
    out_spend: *mut fc_spend,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `group` and `out_spend`.
        let (group, out) = unsafe { (group_ref(group)?, Out::new(out_spend)?) };
        let ledger = group.ledger().ok_or(fc_status::NoPrices)?;
        let spend = ledger.spend(Instant::from_millis(from_ms), Instant::from_millis(to_ms))?;
        out.write(spend.into());
        Ok(())
    })
}

/// The Spot members EC2 interrupts because their pool's price passed their max price (SEMANTICS
/// §1.4), and that have no notice yet: report each with `FC_GROUP_EVENT_KIND_SPOT_INTERRUPTION`
/// (after which it is not listed again). On success their ids are written to `out_ids` and
/// `*out_len` is their number; `FC_GROUP_MAX_MEMBERS` entries are always enough. Errors:
/// `FC_STATUS_BUFFER_TOO_SMALL` (more members than `cap`). Nothing is written on error. Reads only.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_group_price_interruptions(
    group: *const fc_group,
    out_ids: *mut fc_instance_id,
    cap: usize,
    out_len: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (group, mut ids, len) = unsafe {
            (
                group_ref(group)?,
                OutSlice::new(out_ids, cap)?,
                Out::new(out_len)?,
            )
        };
        if group.price_interruptions().count() > ids.len() {
            return Err(fc_status::BufferTooSmall);
        }
        let mut n = 0usize;
        for id in group.price_interruptions() {
            if ids.put(n, id.into()) {
                n = n.saturating_add(1);
            }
        }
        len.write(n);
        Ok(())
    })
}
