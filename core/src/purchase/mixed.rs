//! The mixed-instances policy of an Auto Scaling group as pure functions (SEMANTICS §4.5,
//! §2.4, §2.6): the On-Demand/Spot split, what to launch next and what to terminate first.
//!
//! Model (where the service publishes no exact rule):
//! - Capacity is in units: each member counts its override's `WeightedCapacity`. Launches
//!   continue while the group is below desired, so it can overshoot by less than the largest
//!   weight (the service's hard cap is desired + largest weight).
//! - Market of the next launch: On-Demand while On-Demand units are below the split's
//!   On-Demand share, else Spot. A weight overshoot in one market can fill an increase of
//!   desired, leaving the other short of its share by less than the largest weight; the base
//!   itself is always restored (an On-Demand launch even at desired, the Spot surplus then
//!   scaled in). No fallback from Spot to On-Demand: when no Spot pool can
//!   launch, [`Step::NoSpotCapacity`].
//! - Zone first (SEMANTICS §2.4): the zone with the fewest units of the whole group, ties to the
//!   lowest index; if it has no pool that can launch, the next fewest.
//! - A Spot pool can launch when its caller-reported capacity is non-zero and its price is at
//!   most the max price: `SpotMaxPrice` is per unit hour (so × weight per instance), unset
//!   means the type's On-Demand price.
//! - `lowest-price`: the `SpotInstancePools` cheapest pools per unit in the zone; the launch
//!   goes to the one of them holding the fewest of our units (ties to the cheaper).
//! - `capacity-optimized`: the deepest pool; ties to the cheaper per unit, then override order.
//! - "Deep" pools are those with at least half the capacity of the zone's deepest one.
//!   `capacity-optimized-prioritized`: the first deep pool in override order.
//!   `price-capacity-optimized`: the cheapest deep pool per unit; ties to the deeper, then
//!   override order.
//! - On-Demand `prioritized`: the first override; `lowest-price`: the cheapest per unit.
//! - Scale-in: the market to shrink is the one furthest above its share (Spot on a tie), and a
//!   victim is only taken if the group stays at or above desired and that market at or above
//!   its share; when weights leave no such victim in either market and the group is at the
//!   service's hard cap (desired + the largest weight), one that keeps the group at desired,
//!   On-Demand at the base and short of its share by less than the largest weight — so
//!   On-Demand never drops below the base and the overshoot stays below the largest weight. Then the zone with the most units
//!   that has a candidate (ties to the highest index), then the `AllocationStrategy`
//!   termination policy: the member least aligned to the strategy (Spot outside the N cheapest
//!   pools, or in the most expensive / shallowest pool; On-Demand of the lowest priority or the
//!   highest price), ties to the member listed last. Protected members are never chosen.

use core::cmp::Ordering;

use super::price::{Prices, SpotPool};
use super::{MAX_ZONES, MarketKind, PurchaseError, Rate};

vocabulary! {
    /// `OnDemandAllocationStrategy` (SEMANTICS §4.5), in the service's spelling (`lowest-price`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum OnDemandStrategy: "On-Demand allocation strategy" {
        /// Override order (the default): put reservation-covered types first.
        #[default]
        Prioritized = 0 => "prioritized",
        /// Cheapest per unit.
        LowestPrice = 1 => "lowest-price",
    }
}

vocabulary! {
    /// `SpotAllocationStrategy` (SEMANTICS §4.5), in the service's spelling
    /// (`price-capacity-optimized`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum SpotStrategy: "Spot allocation strategy" {
        /// The N cheapest pools per zone (the default).
        #[default]
        LowestPrice = 0 => "lowest-price",
        /// The pools with the most spare capacity.
        CapacityOptimized = 1 => "capacity-optimized",
        /// Capacity first, override order as far as it can.
        CapacityOptimizedPrioritized = 2 => "capacity-optimized-prioritized",
        /// Deep pools, then the cheapest of them (the service's recommendation).
        PriceCapacityOptimized = 3 => "price-capacity-optimized",
    }
}

/// `InstancesDistribution`, with the service's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Distribution {
    /// `OnDemandBaseCapacity` in units (default 0).
    pub on_demand_base: u32,
    /// `OnDemandPercentageAboveBaseCapacity` (default 100).
    pub on_demand_percent: u8,
    /// `OnDemandAllocationStrategy` (default `prioritized`).
    pub on_demand_strategy: OnDemandStrategy,
    /// `SpotAllocationStrategy` (default `lowest-price`).
    pub spot_strategy: SpotStrategy,
    /// `SpotInstancePools`, 1–20, used by `lowest-price` (default 2).
    pub spot_pools: u8,
    /// `SpotMaxPrice` per unit hour; `None` (default) means the On-Demand price.
    pub spot_max_price: Option<Rate>,
}

impl Default for Distribution {
    fn default() -> Self {
        Self {
            on_demand_base: 0,
            on_demand_percent: 100,
            on_demand_strategy: OnDemandStrategy::Prioritized,
            spot_strategy: SpotStrategy::LowestPrice,
            spot_pools: 2,
            spot_max_price: None,
        }
    }
}

/// The lowest `SpotMaxPrice` is more than 0.001 per hour: 1000 millionths is refused.
pub const MIN_MAX_PRICE_MICROS: u64 = 1000;

impl Distribution {
    /// Checks the ranges of SEMANTICS §4.4–§4.5.
    ///
    /// # Errors
    /// [`PurchaseError::InvalidPercentage`], [`PurchaseError::InvalidPoolCount`],
    /// [`PurchaseError::MaxPriceTooLow`].
    pub fn validate(&self) -> Result<(), PurchaseError> {
        if self.on_demand_percent > 100 {
            return Err(PurchaseError::InvalidPercentage {
                percent: self.on_demand_percent,
            });
        }
        if !(1..=20).contains(&self.spot_pools) {
            return Err(PurchaseError::InvalidPoolCount {
                pools: self.spot_pools,
            });
        }
        super::spot::check_max_price(self.spot_max_price)
    }
}

/// A `LaunchTemplateOverrides` entry: a priced type and its `WeightedCapacity`. Its place in
/// the list is its priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Override {
    /// Index of the type in the price table.
    pub instance_type: u8,
    /// Units one instance counts for, 1–999.
    pub weight: u16,
}

/// How desired capacity divides between On-Demand and Spot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Split {
    /// On-Demand units.
    pub on_demand: u32,
    /// Spot units.
    pub spot: u32,
}

/// The split of SEMANTICS §4.5: the base is On-Demand first (capped at desired); above it the
/// On-Demand share is `percent`, fractions rounded up in favour of On-Demand.
pub fn split(desired: u32, base: u32, percent: u8) -> Split {
    let base = base.min(desired);
    let above = u64::from(desired.saturating_sub(base));
    let od_above = above
        .saturating_mul(u64::from(percent.min(100)))
        .div_ceil(100);
    let od_above = u32::try_from(od_above).unwrap_or(u32::MAX);
    let on_demand = base.saturating_add(od_above).min(desired);
    Split {
        on_demand,
        spot: desired.saturating_sub(on_demand),
    }
}

/// A member as the allocation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MemberView {
    /// How it is bought.
    pub market: MarketKind,
    /// Index of its type in the price table.
    pub instance_type: u8,
    /// Zone index.
    pub zone: u8,
    /// Units it counts for (its override's weight when launched).
    pub weight: u16,
    /// Protected from scale-in.
    pub protected: bool,
}

/// What to launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Launch {
    /// On-Demand or Spot.
    pub market: MarketKind,
    /// Index of the type in the price table.
    pub instance_type: u8,
    /// Zone index.
    pub zone: u8,
    /// Units it will count for.
    pub weight: u16,
}

impl Launch {
    /// The view of the member this launch makes.
    pub fn member(&self) -> MemberView {
        MemberView {
            market: self.market,
            instance_type: self.instance_type,
            zone: self.zone,
            weight: self.weight,
            protected: false,
        }
    }
}

/// The next step toward desired capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Step {
    /// Launch one instance.
    Launch(Launch),
    /// Terminate the member at this index of the slice given.
    Terminate(usize),
    /// Nothing to do.
    Steady,
    /// Spot capacity is wanted but no pool can launch (none priced at or under the max price
    /// with capacity); the service keeps trying rather than buy On-Demand instead.
    NoSpotCapacity,
}

/// A mixed-instances policy over the caller's prices and `zones` zones (indices `0..zones`).
#[derive(Debug, Clone, Copy)]
pub struct Mix<'a> {
    /// `InstancesDistribution`.
    pub distribution: &'a Distribution,
    /// `LaunchTemplateOverrides`, in priority order.
    pub overrides: &'a [Override],
    /// Prices and Spot pools.
    pub prices: &'a Prices,
    /// How many zones the group uses.
    pub zones: u8,
}

/// One pool the strategy may pick, with its override.
#[derive(Clone, Copy)]
struct Candidate {
    priority: usize,
    weight: u16,
    pool: SpotPool,
}

/// What [`Mix::next`] reads of the members, counted in one pass ([`Mix::tally`]): the units in
/// each zone, then the On-Demand and the Spot units.
pub(crate) type Tally = ([u64; MAX_ZONES], u64, u64);

/// A zone's Spot pools that can launch now and the deepest one's capacity ([`Mix::zone_pools`]).
type ZonePools = (heapless::Vec<Candidate, { super::MAX_TYPES }>, u32);

/// Whether `a` and `b` have the same figures for [`Mix::misalignment_with`] (all it reads but
/// the zone's pools): it orders them [`Ordering::Equal`].
fn alike(a: MemberView, b: MemberView) -> bool {
    (a.market, a.instance_type, a.zone, a.weight) == (b.market, b.instance_type, b.zone, b.weight)
}

fn unit_cmp(pa: Rate, wa: u16, pb: Rate, wb: u16) -> Ordering {
    let a = u128::from(pa.micros()).saturating_mul(u128::from(wb));
    let b = u128::from(pb.micros()).saturating_mul(u128::from(wa));
    a.cmp(&b)
}

impl Mix<'_> {
    /// Checks the distribution, the overrides (non-empty, priced, unique, weights 1–999) and
    /// the zone count.
    ///
    /// # Errors
    /// Those of [`Distribution::validate`], [`PurchaseError::InvalidOverrides`],
    /// [`PurchaseError::UnknownType`], [`PurchaseError::InvalidWeight`],
    /// [`PurchaseError::ZoneOutOfRange`].
    pub fn validate(&self) -> Result<(), PurchaseError> {
        self.distribution.validate()?;
        if self.zones == 0 || usize::from(self.zones) > MAX_ZONES {
            return Err(PurchaseError::ZoneOutOfRange { zone: self.zones });
        }
        if self.overrides.is_empty() {
            return Err(PurchaseError::InvalidOverrides);
        }
        for (i, o) in self.overrides.iter().enumerate() {
            self.prices
                .get(o.instance_type)
                .ok_or(PurchaseError::UnknownType)?;
            if !(1..=999).contains(&o.weight) {
                return Err(PurchaseError::InvalidWeight { weight: o.weight });
            }
            let dup = self
                .overrides
                .iter()
                .take(i)
                .any(|p| p.instance_type == o.instance_type);
            if dup {
                return Err(PurchaseError::InvalidOverrides);
            }
        }
        Ok(())
    }

    fn priority(&self, instance_type: u8) -> Option<(usize, u16)> {
        self.overrides
            .iter()
            .enumerate()
            .find(|(_, o)| o.instance_type == instance_type)
            .map(|(i, o)| (i, o.weight))
    }

    /// The most an instance of this type may cost per hour on Spot: `SpotMaxPrice` × its
    /// weight, or its On-Demand price when unset. `None` for a type not in the overrides.
    pub fn max_price(&self, instance_type: u8) -> Option<Rate> {
        let (_, weight) = self.priority(instance_type)?;
        match self.distribution.spot_max_price {
            Some(m) => Some(m.saturating_mul(u64::from(weight))),
            None => self.prices.on_demand(instance_type),
        }
    }

    /// Whether a Spot instance of this type in this zone is priced above its max price now
    /// (so EC2 interrupts it, SEMANTICS §1.4). A pool with no price is not above.
    pub fn above_max_price(&self, instance_type: u8, zone: u8) -> bool {
        match (
            self.prices.spot(instance_type, zone),
            self.max_price(instance_type),
        ) {
            (Some(p), Some(max)) => p.price > max,
            _ => false,
        }
    }

    fn candidates(
        &self,
        zone: u8,
        exclude: Option<(u8, u8)>,
    ) -> heapless::Vec<Candidate, { super::MAX_TYPES }> {
        let mut out = heapless::Vec::new();
        for (priority, o) in self.overrides.iter().enumerate() {
            if exclude == Some((o.instance_type, zone)) {
                continue;
            }
            let Some(pool) = self.prices.spot(o.instance_type, zone) else {
                continue;
            };
            let ok = pool.capacity > 0
                && self
                    .max_price(o.instance_type)
                    .is_some_and(|max| pool.price <= max);
            if ok {
                // Cannot overflow: one candidate per override, and overrides are priced types.
                let _ = out.push(Candidate {
                    priority,
                    weight: o.weight,
                    pool,
                });
            }
        }
        out
    }

    fn cheaper(a: &Candidate, b: &Candidate) -> Ordering {
        unit_cmp(a.pool.price, a.weight, b.pool.price, b.weight).then(a.priority.cmp(&b.priority))
    }

    fn deepest(c: &[Candidate]) -> u32 {
        c.iter().map(|c| c.pool.capacity).max().unwrap_or(0)
    }

    fn is_deep(c: &Candidate, deepest: u32) -> bool {
        u64::from(c.pool.capacity).saturating_mul(2) >= u64::from(deepest)
    }

    /// The Spot pool the strategy launches into in `zone`, skipping `exclude` (a pool as
    /// `(type, zone)`), given the current members. `None` when no pool there can launch.
    pub fn choose_spot(
        &self,
        zone: u8,
        members: &[MemberView],
        exclude: Option<(u8, u8)>,
    ) -> Option<Launch> {
        self.choose_spot_in(zone, &members.iter().copied(), exclude)
    }

    pub(crate) fn choose_spot_in<I>(
        &self,
        zone: u8,
        members: &I,
        exclude: Option<(u8, u8)>,
    ) -> Option<Launch>
    where
        I: Iterator<Item = MemberView> + Clone,
    {
        let mut c = self.candidates(zone, exclude);
        let deepest = Self::deepest(&c);
        let pick = match self.distribution.spot_strategy {
            SpotStrategy::LowestPrice => {
                crate::fixed::sort_by(&mut c, Self::cheaper);
                let n = usize::from(self.distribution.spot_pools);
                let held = |cand: &Candidate| -> u64 {
                    members
                        .clone()
                        .filter(|m| {
                            m.market == MarketKind::Spot
                                && m.zone == zone
                                && m.instance_type == cand.pool.instance_type
                        })
                        .map(|m| u64::from(m.weight))
                        .sum()
                };
                c.iter().take(n).min_by_key(|cand| held(cand)).copied()
            }
            SpotStrategy::CapacityOptimized => c
                .iter()
                .min_by(|a, b| {
                    b.pool
                        .capacity
                        .cmp(&a.pool.capacity)
                        .then(Self::cheaper(a, b))
                })
                .copied(),
            SpotStrategy::CapacityOptimizedPrioritized => c
                .iter()
                .filter(|x| Self::is_deep(x, deepest))
                .min_by_key(|x| x.priority)
                .copied(),
            SpotStrategy::PriceCapacityOptimized => c
                .iter()
                .filter(|x| Self::is_deep(x, deepest))
                .min_by(|a, b| {
                    unit_cmp(a.pool.price, a.weight, b.pool.price, b.weight)
                        .then(b.pool.capacity.cmp(&a.pool.capacity))
                        .then(a.priority.cmp(&b.priority))
                })
                .copied(),
        }?;
        Some(Launch {
            market: MarketKind::Spot,
            instance_type: pick.pool.instance_type,
            zone,
            weight: pick.weight,
        })
    }

    /// The On-Demand type the strategy launches (zone-independent: On-Demand is not pooled).
    fn choose_on_demand(&self, zone: u8) -> Option<Launch> {
        let o = match self.distribution.on_demand_strategy {
            OnDemandStrategy::Prioritized => self.overrides.first(),
            OnDemandStrategy::LowestPrice => self.overrides.iter().min_by(|a, b| {
                let pa = self.prices.on_demand(a.instance_type).unwrap_or(Rate::ZERO);
                let pb = self.prices.on_demand(b.instance_type).unwrap_or(Rate::ZERO);
                unit_cmp(pa, a.weight, pb, b.weight)
            }),
        }?;
        Some(Launch {
            market: MarketKind::OnDemand,
            instance_type: o.instance_type,
            zone,
            weight: o.weight,
        })
    }

    /// Units per zone of `members` (members of removed zones are not counted).
    fn zone_units(members: impl Iterator<Item = MemberView>) -> [u64; MAX_ZONES] {
        let mut u = [0u64; MAX_ZONES];
        for m in members {
            if let Some(z) = u.get_mut(usize::from(m.zone)) {
                *z = z.saturating_add(u64::from(m.weight));
            }
        }
        u
    }

    /// [`Mix::zone_units`] and [`Mix::units`] in one pass over `members`: zone units, then
    /// On-Demand and Spot units. What [`Mix::next`] reads, once a call (issue 20: the three
    /// to four passes it made were half of its cost).
    pub(crate) fn tally(members: &[MemberView]) -> Tally {
        let mut u = [0u64; MAX_ZONES];
        let (mut od, mut sp) = (0u64, 0u64);
        for m in members {
            let w = u64::from(m.weight);
            if let Some(z) = u.get_mut(usize::from(m.zone)) {
                *z = z.saturating_add(w);
            }
            match m.market {
                MarketKind::OnDemand => od = od.saturating_add(w),
                MarketKind::Spot => sp = sp.saturating_add(w),
            }
        }
        (u, od, sp)
    }

    /// `tally` with `m` counted in (`into`) or out: for a caller that keeps the tally of its
    /// members in step as it adds or removes one, instead of counting them all again (issue
    /// 20). Exact, not saturating in practice: each sum is of `u16` weights of at most a
    /// slice's length of members, far below `u64::MAX`, so adding then removing is the
    /// identity and the kept tally is the one `tally` counts.
    #[cfg(not(target_os = "none"))]
    pub(crate) fn retally(t: &mut Tally, m: MemberView, into: bool) {
        let w = u64::from(m.weight);
        let step = |x: &mut u64| {
            *x = if into {
                x.saturating_add(w)
            } else {
                x.saturating_sub(w)
            };
        };
        if let Some(z) = t.0.get_mut(usize::from(m.zone)) {
            step(z);
        }
        match m.market {
            MarketKind::OnDemand => step(&mut t.1),
            MarketKind::Spot => step(&mut t.2),
        }
    }

    /// Zones in launch order: fewest units first, ties to the lowest index.
    pub(crate) fn launch_zones(
        &self,
        members: impl Iterator<Item = MemberView>,
    ) -> heapless::Vec<u8, MAX_ZONES> {
        self.launch_zones_by(&Self::zone_units(members))
    }

    /// [`Mix::launch_zones`] of members with these zone units.
    fn launch_zones_by(&self, units: &[u64; MAX_ZONES]) -> heapless::Vec<u8, MAX_ZONES> {
        // Pushed one by one: `collect` into a heapless vector panics past its capacity.
        let mut zones: heapless::Vec<u8, MAX_ZONES> = heapless::Vec::new();
        for z in 0..self.zones {
            if zones.push(z).is_err() {
                break;
            }
        }
        crate::fixed::sort_by_key(&mut zones, |&z| {
            (units.get(usize::from(z)).copied().unwrap_or(0), z)
        });
        zones
    }

    /// The On-Demand and Spot units of `members`.
    pub fn units(members: &[MemberView]) -> (u64, u64) {
        members
            .iter()
            .fold((0u64, 0u64), |(od, sp), m| match m.market {
                MarketKind::OnDemand => (od.saturating_add(u64::from(m.weight)), sp),
                MarketKind::Spot => (od, sp.saturating_add(u64::from(m.weight))),
            })
    }

    /// The next step toward `desired` units, given the members that count toward capacity.
    /// Call again after carrying it out, until [`Step::Steady`].
    ///
    /// # Errors
    /// Those of [`Mix::validate`].
    pub fn next(&self, members: &[MemberView], desired: u32) -> Result<Step, PurchaseError> {
        self.next_tallied(members, desired, &Self::tally(members))
    }

    /// [`Mix::next`] given the members' `tally` ([`Mix::tally`], which the tests check it is),
    /// kept by a caller that steps one member at a time.
    ///
    /// # Errors
    /// Those of [`Mix::validate`].
    pub(crate) fn next_tallied(
        &self,
        members: &[MemberView],
        desired: u32,
        tally: &Tally,
    ) -> Result<Step, PurchaseError> {
        #[cfg(test)]
        assert_eq!(*tally, Self::tally(members), "a kept tally");
        self.validate()?;
        let (units, od, sp) = *tally;
        let total = od.saturating_add(sp);
        let d = self.distribution;
        let target = split(desired, d.on_demand_base, d.on_demand_percent);
        let (t_od, t_sp) = (u64::from(target.on_demand), u64::from(target.spot));
        let base_short = od < u64::from(d.on_demand_base.min(desired));
        if total < u64::from(desired) || base_short {
            let market = if od < t_od || sp >= t_sp {
                MarketKind::OnDemand
            } else {
                MarketKind::Spot
            };
            for z in self.launch_zones_by(&units) {
                let l = match market {
                    MarketKind::OnDemand => self.choose_on_demand(z),
                    MarketKind::Spot => self.choose_spot(z, members, None),
                };
                if let Some(l) = l {
                    return Ok(Step::Launch(l));
                }
            }
            return Ok(match market {
                MarketKind::Spot => Step::NoSpotCapacity,
                MarketKind::OnDemand => Step::Steady,
            });
        }
        let excess = total.saturating_sub(u64::from(desired));
        let od_excess = od.saturating_sub(t_od);
        let sp_excess = sp.saturating_sub(t_sp);
        let order = if sp_excess >= od_excess {
            [
                (MarketKind::Spot, sp_excess),
                (MarketKind::OnDemand, od_excess),
            ]
        } else {
            [
                (MarketKind::OnDemand, od_excess),
                (MarketKind::Spot, sp_excess),
            ]
        };
        for (market, market_excess) in order {
            let room = excess.min(market_excess);
            let eligible =
                |m: &MemberView| m.market == market && !m.protected && u64::from(m.weight) <= room;
            if let Some(i) = self.victim_by(members, &units, eligible) {
                return Ok(Step::Terminate(i));
            }
        }
        // Weights can leave both markets over desired with no victim small enough for either
        // market's excess. At the service's hard cap (desired + the largest weight), take one
        // that keeps the group at desired, On-Demand at the base and short of its share by
        // less than the largest weight.
        let largest = u64::from(
            self.overrides
                .iter()
                .map(|o| o.weight)
                .chain(members.iter().map(|m| m.weight))
                .max()
                .unwrap_or(1),
        );
        if excess < largest {
            return Ok(Step::Steady);
        }
        let base = u64::from(d.on_demand_base.min(desired));
        for (market, _) in order {
            let eligible = |m: &MemberView| {
                let left = od.saturating_sub(u64::from(m.weight));
                m.market == market
                    && !m.protected
                    && u64::from(m.weight) <= excess
                    && (market == MarketKind::Spot
                        || (left >= base && left.saturating_add(largest) > t_od))
            };
            if let Some(i) = self.victim_by(members, &units, eligible) {
                return Ok(Step::Terminate(i));
            }
        }
        Ok(Step::Steady)
    }

    /// Scale-in victim among `eligible` members: zone with the most units first, then the
    /// `AllocationStrategy` termination policy.
    #[cfg(test)]
    fn victim(
        &self,
        members: &[MemberView],
        eligible: impl Fn(&MemberView) -> bool,
    ) -> Option<usize> {
        self.victim_by(
            members,
            &Self::zone_units(members.iter().copied()),
            eligible,
        )
    }

    /// The scale-in victim (as `victim` in the tests) given the members' zone units
    /// ([`Mix::zone_units`]).
    fn victim_by(
        &self,
        members: &[MemberView],
        units: &[u64; MAX_ZONES],
        eligible: impl Fn(&MemberView) -> bool,
    ) -> Option<usize> {
        let zone = Self::victim_zone(members, units, &eligible)?;
        // Every member compared is in `zone`: the zone's Spot pools are listed once, at the
        // first Spot comparison, not once a comparison (issue 20: half of a scale-in's cost).
        let mut pools: Option<ZonePools> = None;
        members
            .iter()
            .enumerate()
            .filter(|(_, m)| eligible(m) && m.zone == zone)
            .max_by(|(_, a), (_, b)| {
                // Members alike in all the order reads (type, weight, market; the zone is
                // `zone`) are equal in it: every part of `misalignment_with` compares a figure
                // of one with the same figure of the other. Most comparisons of a scale-in are
                // of such members (issue 20); `max_by` then takes the later, as on `Equal`.
                if alike(**a, **b) {
                    return Ordering::Equal;
                }
                let listed = match (a.market, &pools) {
                    (MarketKind::Spot, None) => Some(&*pools.insert(self.zone_pools(zone))),
                    (MarketKind::Spot, Some(p)) => Some(p),
                    (MarketKind::OnDemand, _) => None,
                };
                self.misalignment_with(**a, **b, listed)
            })
            .map(|(i, _)| i)
    }

    /// The zone of the scale-in victim: of the zones of `eligible` members, the one with the
    /// most units, equal units to the higher index (a zone past [`MAX_ZONES`] counts as the most) —
    /// what `max_by_key` over the eligible members' `(units, zone)` finds, but with the zones
    /// marked in one pass and their keys compared once a zone, not once a member (issue 20:
    /// the pass was 40 % of a scale-in's `Mix::next`).
    fn victim_zone(
        members: &[MemberView],
        units: &[u64; MAX_ZONES],
        eligible: impl Fn(&MemberView) -> bool,
    ) -> Option<u8> {
        // Bit `z` for an eligible member in zone `z` below `MAX_ZONES` (at most 8 bits).
        let mut seen = 0u32;
        // The highest zone past `MAX_ZONES`: its key `(u64::MAX, zone)` is above every other.
        let mut past: Option<u8> = None;
        for m in members.iter().filter(|m| eligible(m)) {
            if usize::from(m.zone) < MAX_ZONES {
                seen |= 1u32.checked_shl(u32::from(m.zone)).unwrap_or(0);
            } else {
                past = past.max(Some(m.zone));
            }
        }
        if past.is_some() {
            return past;
        }
        let mut best: Option<(u64, u8)> = None;
        while seen != 0 {
            let bit = seen.trailing_zeros();
            seen &= seen.wrapping_sub(1);
            let Ok(z) = u8::try_from(bit) else {
                continue;
            };
            let key = (units.get(usize::from(z)).copied().unwrap_or(u64::MAX), z);
            // The zone in the key makes keys distinct: equal units go to the higher index.
            if best.is_none_or(|b| key > b) {
                best = Some(key);
            }
        }
        best.map(|(_, z)| z)
    }

    /// The pools of `zone` that can launch now, with the deepest one's capacity: what the Spot
    /// termination order compares members of that zone by.
    fn zone_pools(&self, zone: u8) -> ZonePools {
        let c = self.candidates(zone, None);
        let deepest = Self::deepest(&c);
        (c, deepest)
    }

    /// Orders members by how far they are from the allocation strategy (greater = terminate
    /// first): the `AllocationStrategy` termination policy (SEMANTICS §2.6). The reference
    /// [`Mix::victim`]'s order is held to: it lists `a`'s zone's pools itself.
    #[cfg(test)]
    fn misalignment(&self, a: MemberView, b: MemberView) -> Ordering {
        self.misalignment_with(a, b, None)
    }

    /// [`Mix::misalignment`] with `a`'s zone's pools already listed (`pools`, from
    /// [`Mix::zone_pools`]), or listed here when `None`.
    fn misalignment_with(
        &self,
        a: MemberView,
        b: MemberView,
        pools: Option<&ZonePools>,
    ) -> Ordering {
        let (pa, pb) = (
            self.priority(a.instance_type),
            self.priority(b.instance_type),
        );
        // Types no longer in the overrides go first.
        let outside = pa.is_none().cmp(&pb.is_none());
        if outside != Ordering::Equal {
            return outside;
        }
        let (prio_a, prio_b) = (pa.map_or(0, |p| p.0), pb.map_or(0, |p| p.0));
        match a.market {
            MarketKind::OnDemand => match self.distribution.on_demand_strategy {
                OnDemandStrategy::Prioritized => prio_a.cmp(&prio_b),
                OnDemandStrategy::LowestPrice => {
                    let ra = self.prices.on_demand(a.instance_type).unwrap_or(Rate::ZERO);
                    let rb = self.prices.on_demand(b.instance_type).unwrap_or(Rate::ZERO);
                    unit_cmp(ra, a.weight, rb, b.weight).then(prio_a.cmp(&prio_b))
                }
            },
            MarketKind::Spot => {
                if let Some((c, deepest)) = pools {
                    self.spot_misalignment(a, b, (prio_a, prio_b), c, *deepest)
                } else {
                    let (c, deepest) = self.zone_pools(a.zone);
                    self.spot_misalignment(a, b, (prio_a, prio_b), &c, deepest)
                }
            }
        }
    }

    fn spot_misalignment(
        &self,
        a: MemberView,
        b: MemberView,
        (prio_a, prio_b): (usize, usize),
        c: &[Candidate],
        deepest: u32,
    ) -> Ordering {
        let pool = |m: MemberView| self.prices.spot(m.instance_type, m.zone);
        let (Some(pool_a), Some(pool_b)) = (pool(a), pool(b)) else {
            return pool(a).is_none().cmp(&pool(b).is_none());
        };
        let price = unit_cmp(pool_a.price, a.weight, pool_b.price, b.weight);
        let shallower = pool_b.capacity.cmp(&pool_a.capacity);
        // A pool that cannot launch now (above max price, no capacity) is neither deep nor
        // among the N cheapest.
        let listed = |m: MemberView| c.iter().any(|k| k.pool.instance_type == m.instance_type);
        let (la, lb) = (listed(a), listed(b));
        let deep = |p: &SpotPool, l: bool| {
            l && u64::from(p.capacity).saturating_mul(2) >= u64::from(deepest)
        };
        match self.distribution.spot_strategy {
            SpotStrategy::LowestPrice => {
                let n = usize::from(self.distribution.spot_pools);
                let outside_n = |m: MemberView, p: &SpotPool, l: bool| {
                    if !l {
                        return true;
                    }
                    let cheaper = c
                        .iter()
                        .filter(|k| {
                            unit_cmp(k.pool.price, k.weight, p.price, m.weight) == Ordering::Less
                        })
                        .count();
                    cheaper >= n
                };
                outside_n(a, &pool_a, la)
                    .cmp(&outside_n(b, &pool_b, lb))
                    .then(price)
                    .then(prio_a.cmp(&prio_b))
            }
            SpotStrategy::CapacityOptimized => shallower.then(price),
            SpotStrategy::CapacityOptimizedPrioritized => (!deep(&pool_a, la))
                .cmp(&!deep(&pool_b, lb))
                .then(prio_a.cmp(&prio_b))
                .then(shallower),
            SpotStrategy::PriceCapacityOptimized => (!deep(&pool_a, la))
                .cmp(&!deep(&pool_b, lb))
                .then(price)
                .then(shallower),
        }
    }
}

#[cfg(test)]
mod victim_tests {
    use super::*;
    use crate::test_prelude::*;
    use proptest::prelude::*;

    impl Mix<'_> {
        /// [`Mix::victim`] as it was: the zone's pools listed again at every comparison.
        fn victim_listing_each_time(
            &self,
            members: &[MemberView],
            eligible: impl Fn(&MemberView) -> bool,
        ) -> Option<usize> {
            let units = Self::zone_units(members.iter().copied());
            let zone = members
                .iter()
                .filter(|m| eligible(m))
                .map(|m| m.zone)
                .max_by_key(|&z| (units.get(usize::from(z)).copied().unwrap_or(u64::MAX), z))?;
            members
                .iter()
                .enumerate()
                .filter(|(_, m)| eligible(m) && m.zone == zone)
                .max_by(|(_, a), (_, b)| self.misalignment(**a, **b))
                .map(|(i, _)| i)
        }
    }

    const SPOT: [SpotStrategy; 4] = [
        SpotStrategy::LowestPrice,
        SpotStrategy::CapacityOptimized,
        SpotStrategy::CapacityOptimizedPrioritized,
        SpotStrategy::PriceCapacityOptimized,
    ];

    fn member() -> impl Strategy<Value = MemberView> {
        (any::<bool>(), 0u8..4, 0u8..3, 1u16..4, any::<bool>()).prop_map(
            |(spot, instance_type, zone, weight, protected)| MemberView {
                market: if spot {
                    MarketKind::Spot
                } else {
                    MarketKind::OnDemand
                },
                instance_type,
                zone,
                weight,
                protected,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The one pass `next` makes counts what `zone_units` and `units` count, with zones
        /// past `MAX_ZONES` and weights that saturate.
        #[test]
        fn tally_is_zone_units_and_units(
            members in proptest::collection::vec(
                (any::<bool>(), 0u8..12, prop_oneof![1u16..4, Just(u16::MAX)]),
                0..40,
            ),
        ) {
            let members: Vec<MemberView> = members
                .into_iter()
                .map(|(spot, zone, weight)| MemberView {
                    market: if spot { MarketKind::Spot } else { MarketKind::OnDemand },
                    instance_type: 0,
                    zone,
                    weight,
                    protected: false,
                })
                .collect();
            let (od, sp) = Mix::units(&members);
            prop_assert_eq!(
                Mix::tally(&members),
                (Mix::zone_units(members.iter().copied()), od, sp)
            );
        }

        /// The victim's zone from the zones marked in one pass is the one `max_by_key` over the
        /// eligible members finds, with zones past `MAX_ZONES`, units at `u64::MAX` and ties.
        #[test]
        fn victim_zone_is_the_members_max_by_key(
            members in proptest::collection::vec(
                (any::<bool>(), prop_oneof![0u8..8, 0u8..3, 8u8..=u8::MAX], any::<bool>()),
                0..40,
            ),
            units in proptest::collection::vec(
                prop_oneof![0u64..4, Just(u64::MAX), any::<u64>()],
                MAX_ZONES,
            ),
        ) {
            let members: Vec<MemberView> = members
                .into_iter()
                .map(|(spot, zone, protected)| MemberView {
                    market: if spot { MarketKind::Spot } else { MarketKind::OnDemand },
                    instance_type: 0,
                    zone,
                    weight: 1,
                    protected,
                })
                .collect();
            let mut table = [0u64; MAX_ZONES];
            table.copy_from_slice(&units);
            let eligible = |m: &MemberView| m.market == MarketKind::Spot && !m.protected;
            let want = members
                .iter()
                .filter(|m| eligible(m))
                .map(|m| m.zone)
                .max_by_key(|&z| (table.get(usize::from(z)).copied().unwrap_or(u64::MAX), z));
            prop_assert_eq!(Mix::victim_zone(&members, &table, eligible), want);
        }

        /// The victim with the zone's pools listed once is the one listed at every comparison
        /// finds, for every strategy, on random prices, pools (some unpriced, empty or above
        /// the max price), overrides and members (some of types outside the overrides).
        #[test]
        fn victim_with_pools_listed_once_is_the_reference_victim(
            pools in proptest::collection::vec((0u8..4, 0u8..3, 1u64..120_000, 0u32..40), 0..12),
            weights in proptest::collection::vec(1u16..4, 1..4),
            members in proptest::collection::vec(member(), 0..40),
            strategy in 0usize..4,
            on_demand_lowest in any::<bool>(),
            spot_pools in 1u8..4,
            max_price in proptest::option::of(10_000u64..100_000),
            desired in 0u32..40,
        ) {
            let mut prices = Prices::new();
            for (name, micros) in [("t2.small", 23_000), ("t2.large", 92_800), ("m5.large", 96_000), ("c5.large", 85_000)] {
                prices.add_builtin(name, Rate::from_micros(micros)).unwrap();
            }
            for (t, z, price, capacity) in pools {
                prices.set_spot(t, z, Rate::from_micros(price), capacity).unwrap();
            }
            let overrides: Vec<Override> = weights
                .iter()
                .enumerate()
                .map(|(i, &weight)| Override { instance_type: u8::try_from(i).unwrap(), weight })
                .collect();
            let d = Distribution {
                spot_strategy: SPOT[strategy],
                on_demand_strategy: if on_demand_lowest {
                    OnDemandStrategy::LowestPrice
                } else {
                    OnDemandStrategy::Prioritized
                },
                spot_pools,
                spot_max_price: max_price.map(Rate::from_micros),
                ..Distribution::default()
            };
            let mix = Mix { distribution: &d, overrides: &overrides, prices: &prices, zones: 3 };
            for market in [MarketKind::Spot, MarketKind::OnDemand] {
                for room in 1..4u64 {
                    let eligible =
                        |m: &MemberView| m.market == market && !m.protected && u64::from(m.weight) <= room;
                    prop_assert_eq!(
                        mix.victim(&members, eligible),
                        mix.victim_listing_each_time(&members, eligible)
                    );
                }
            }
            // The victim search's shortcut: alike members are equal in the order.
            for a in &members {
                for b in members.iter().filter(|b| alike(*a, **b)) {
                    prop_assert_eq!(mix.misalignment(*a, *b), Ordering::Equal);
                }
            }
            // And the step `next` takes with it.
            let step = mix.next(&members, desired);
            if let Ok(Step::Terminate(i)) = step {
                prop_assert!(members.get(i).is_some_and(|m| !m.protected));
            }
        }
    }
}
