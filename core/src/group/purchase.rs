//! Purchasing inside the group (SEMANTICS §4, §1.4, §2.12): a price table and cost ledger, the
//! mixed-instances policy deciding the market, type and zone of each launch and the victim of
//! each scale-in, Spot signals, and Capacity Rebalancing.
//!
//! The decisions are those of [`crate::purchase`]; this module feeds them the members and
//! carries them out. Models where the service publishes no rule:
//! - Capacity is in units: a member counts its `WeightedCapacity` (1 without a mixed-instances
//!   policy), so `desired`, `min` and `max` are units as in the service.
//! - A mixed group's scale-in uses the `AllocationStrategy` termination policy of
//!   [`crate::purchase::Mix`] (zone with the most units first) instead of the group's
//!   termination policies, and never takes On-Demand below its share (so never below the base).
//! - Weights overshoot (SEMANTICS §4): launches go on until the units reach desired, and the
//!   last may pass it by less than its weight. That overage is kept: the group terminates
//!   only while its units exceed desired by at least the weight of its heaviest member (an
//!   overage no launch can have made), never below desired, so it stays under the hard cap of
//!   desired + the largest weight. Light members are never terminated to trim what a heavy
//!   launch added. A scale-in by less than the heaviest weight may therefore leave the overage
//!   (the service asks for `MinAdjustmentMagnitude` at least the largest weight, §3.2).
//! - A mixed group does not run the separate AZ-rebalancing pass: every launch goes to the zone
//!   with the fewest units and every scale-in comes from the one with the most, which keeps
//!   zones balanced in units.
//! - When Spot is wanted and no pool can launch, the group records one failed activity and waits
//!   for a price or capacity change ([`Group::set_spot_price`], [`Group::set_spot_capacity`]);
//!   it never buys On-Demand instead.
//! - A Spot member that has a replacement in flight (Capacity Rebalancing) no longer counts
//!   toward capacity: the replacement stands for it, so the group does not scale in because
//!   of the overlap. A replacement chosen for scale-in takes the member it replaces with it.
//! - The ledger meters what the group knows: a member is billed from the `running` report to
//!   the report that it is not running (or gone). Attached and restored members are metered as
//!   On-Demand instances of price-table type 0. Only [`LEDGER_HOURS`] closed hours are kept
//!   for [`Group::spend`]; totals cover the whole life of the ledger.

use super::activity::{ActivityKind, ActivityStatus, Cause};
use super::member::MemberState;
use super::parts::{Log, Parts, Slot};
use super::{Group, Member};
use crate::group::GroupError;
use crate::id::InstanceId;
use crate::purchase::rebalance::{self, RebalanceStep, RebalanceView};
use crate::purchase::{
    Account, Distribution, MAX_TYPES, MarketKind, MemberView, Mix, Override, Prices, Rate,
    Reservation, Spend, SpotSignal, Step, UpfrontAccounting,
};
use crate::time::Instant;

/// Closed clock-hours of cost history the group's ledger keeps for [`Group::spend`].
pub const LEDGER_HOURS: usize = 24;

/// The cost ledger of a group of `N` members.
pub type Ledger<const N: usize> = Account<N, LEDGER_HOURS>;

/// `MixedInstancesPolicy` with `CapacityRebalance` (SEMANTICS §4.5, §2.12).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct MixedInstances {
    /// `InstancesDistribution`.
    pub distribution: Distribution,
    /// `LaunchTemplateOverrides` in priority order: types of the group's price table with
    /// their weights.
    pub overrides: heapless::Vec<Override, MAX_TYPES>,
    /// `CapacityRebalance` (default off).
    pub capacity_rebalance: bool,
}

impl MixedInstances {
    /// A policy over `overrides` with the service's default distribution (all On-Demand) and
    /// Capacity Rebalancing off.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] for more than [`MAX_TYPES`] overrides.
    pub fn new(overrides: &[Override]) -> Result<Self, GroupError> {
        let overrides = heapless::Vec::from_slice(overrides)
            .map_err(|_| GroupError::OutOfRange { field: "overrides" })?;
        Ok(Self {
            distribution: Distribution::default(),
            overrides,
            capacity_rebalance: false,
        })
    }
}

impl<const N: usize, P: Parts> Group<N, P> {
    /// Gives the group its price table (On-Demand rates and Spot pools, in the caller's unit)
    /// and starts its cost ledger at `now`; later calls replace the table from `now` on.
    ///
    /// # Errors
    /// [`GroupError::Purchase`] when a member or reservation uses a type (or a Spot pool) the
    /// new table lacks, when the mixed-instances policy no longer fits it, or when `now` is
    /// before the time the ledger is settled to.
    pub fn set_prices(
        &mut self,
        now: Instant,
        prices: Prices,
        upfront: UpfrontAccounting,
    ) -> Result<(), GroupError> {
        self.touch();
        if let Some(mixed) = self.mixed.get() {
            self.mix_over(mixed, &prices).validate()?;
        }
        if !<P::Ledger<N> as Slot<Ledger<N>>>::STORED {
            return Err(GroupError::PartNotStored {
                part: "a price ledger",
            });
        }
        if let Some(ledger) = self.ledger.get_mut() {
            ledger.set_prices(now, prices)?;
        } else {
            let mut ledger = Account::new(prices, now, upfront);
            for m in &self.members {
                ledger.track(m.id, m.instance_type, meter_zone(m), m.market)?;
                ledger.observe(now, m.id, m.ec2, false)?;
            }
            // Stored: checked above.
            let _ = self.ledger.put(ledger);
        }
        Ok(())
    }

    /// Whether the group's parts store a price ledger: else [`Group::set_prices`] is refused
    /// with [`GroupError::PartNotStored`].
    pub fn stores_ledger(&self) -> bool {
        <P::Ledger<N> as Slot<Ledger<N>>>::STORED
    }

    /// Whether the group's parts store Capacity Rebalancing's replacements: else a
    /// mixed-instances policy with `capacity_rebalance` is refused.
    pub fn stores_replacements(&self) -> bool {
        <P::Replaces as Slot<InstanceId>>::STORED
    }

    /// The price table, once [`Group::set_prices`] gave one.
    pub fn prices(&self) -> Option<&Prices> {
        self.ledger.get().map(Account::prices)
    }

    /// The cost ledger, once [`Group::set_prices`] started it. It is settled lazily: call
    /// [`Group::settle`] (or [`Group::spend`]) for figures up to a given time.
    pub fn ledger(&self) -> Option<&Ledger<N>> {
        self.ledger.get()
    }

    /// Sets a Spot pool's price from `now` on (EC2 publishes it; the caller relays it). Spot
    /// members whose pool now costs more than their max price are listed by
    /// [`Group::price_interruptions`]: EC2 interrupts them.
    ///
    /// # Errors
    /// [`GroupError::NoPrices`]; [`GroupError::Purchase`] for an unknown type, a zone out of
    /// range, a full pool table or a time before the ledger's.
    pub fn set_spot_price(
        &mut self,
        now: Instant,
        instance_type: u8,
        zone: u8,
        price: Rate,
    ) -> Result<(), GroupError> {
        self.touch();
        let ledger = self.ledger.get_mut().ok_or(GroupError::NoPrices)?;
        ledger.set_spot_price(now, instance_type, zone, price)?;
        self.spot_short = false;
        Ok(())
    }

    /// Sets a Spot pool's spare capacity as the caller estimates it (0: the pool cannot
    /// launch). Allocation strategies and Capacity Rebalancing compare these.
    ///
    /// # Errors
    /// [`GroupError::NoPrices`]; [`GroupError::Purchase`] for a pool without a price.
    pub fn set_spot_capacity(
        &mut self,
        instance_type: u8,
        zone: u8,
        capacity: u32,
    ) -> Result<(), GroupError> {
        self.touch();
        let ledger = self.ledger.get_mut().ok_or(GroupError::NoPrices)?;
        ledger.set_spot_capacity(instance_type, zone, capacity)?;
        self.spot_short = false;
        Ok(())
    }

    /// Adds a Reserved Instance to the group's ledger (SEMANTICS §4.2): it discounts matching
    /// On-Demand usage, at most 3600 s per clock-hour, and is charged whether used or not.
    ///
    /// # Errors
    /// [`GroupError::NoPrices`]; [`GroupError::Purchase`] for a reservation that breaks a rule
    /// or does not fit.
    pub fn reserve(&mut self, reservation: Reservation) -> Result<(), GroupError> {
        let ledger = self.ledger.get_mut().ok_or(GroupError::NoPrices)?;
        ledger.reserve(reservation)?;
        Ok(())
    }

    /// Brings the ledger to `now` and returns everything spent since it started.
    ///
    /// # Errors
    /// [`GroupError::NoPrices`]; [`GroupError::Purchase`] if `now` is before the time the
    /// ledger is settled to.
    pub fn settle(&mut self, now: Instant) -> Result<Spend, GroupError> {
        let ledger = self.ledger.get_mut().ok_or(GroupError::NoPrices)?;
        ledger.settle(now)?;
        Ok(ledger.total())
    }

    /// What was spent over `[from, to)` (clock-hour bounds within the last [`LEDGER_HOURS`]
    /// closed hours and the open one), after bringing the ledger to `now`.
    ///
    /// # Errors
    /// [`GroupError::NoPrices`]; [`GroupError::Purchase`] for unaligned, reversed or
    /// no-longer-kept intervals, or a `now` before the ledger's time.
    pub fn spend(&mut self, now: Instant, from: Instant, to: Instant) -> Result<Spend, GroupError> {
        let ledger = self.ledger.get_mut().ok_or(GroupError::NoPrices)?;
        ledger.settle(now)?;
        Ok(ledger.spend(from, to)?)
    }

    /// Sets or removes the mixed-instances policy. Running members keep how they were bought
    /// (SEMANTICS §4.5); the next launches and scale-ins follow the new policy.
    ///
    /// # Errors
    /// [`GroupError::NoPrices`] without a price table; [`GroupError::Purchase`] for a policy
    /// that does not fit it (see [`Mix::validate`]); [`GroupError::WarmPoolWithMixedInstances`]
    /// when the group has a warm pool.
    pub fn set_mixed_instances(
        &mut self,
        policy: Option<MixedInstances>,
    ) -> Result<(), GroupError> {
        if let Some(p) = &policy {
            if self.warm_pool.is_some() {
                return Err(GroupError::WarmPoolWithMixedInstances);
            }
            if p.capacity_rebalance && !<P::Replaces as Slot<InstanceId>>::STORED {
                return Err(GroupError::PartNotStored {
                    part: "Capacity Rebalancing's replacements",
                });
            }
            let prices = self.prices().ok_or(GroupError::NoPrices)?;
            self.mix_over(p, prices).validate()?;
        }
        self.touch();
        match policy {
            Some(p) => self.mixed.put(p).map_err(|_| GroupError::PartNotStored {
                part: "a mixed-instances policy",
            })?,
            None => self.mixed.clear(),
        }
        self.spot_short = false;
        Ok(())
    }

    /// The mixed-instances policy, if any.
    pub fn mixed_instances(&self) -> Option<&MixedInstances> {
        self.mixed.get()
    }

    /// On-Demand and Spot units counting toward capacity.
    pub fn units_by_market(&self) -> (u32, u32) {
        self.members
            .iter()
            .filter(|m| self.counted(m))
            .fold((0u32, 0u32), |(od, sp), m| match m.market {
                MarketKind::OnDemand => (od.saturating_add(u32::from(m.weight)), sp),
                MarketKind::Spot => (od, sp.saturating_add(u32::from(m.weight))),
            })
    }

    /// Whether a mixed-instances policy's On-Demand base is short of what desired calls for:
    /// the group then launches On-Demand even at desired, and scales the Spot surplus in
    /// after (SEMANTICS §4.5; model in `purchase::mixed`).
    pub(super) fn on_demand_base_short(&self) -> bool {
        let Some(mixed) = self.mixed.get() else {
            return false;
        };
        let base = mixed.distribution.on_demand_base.min(self.desired);
        self.units_by_market().0 < base
    }

    /// Spot members whose pool now costs more than their max price and that have no notice
    /// yet: EC2 interrupts them (SEMANTICS §1.4). The world reports each with
    /// [`super::Event::SpotInterruption`].
    pub fn price_interruptions(&self) -> impl Iterator<Item = InstanceId> + '_ {
        let mix = self.mix();
        self.members.iter().filter_map(move |m| {
            // The pool's price looked up last, for running Spot members only (the simulator
            // asks whenever the members change).
            (m.market == MarketKind::Spot
                && m.signal != SpotSignal::Notice
                && m.ec2 == crate::lifecycle::InstanceState::Running
                && mix
                    .as_ref()
                    .is_some_and(|mix| mix.above_max_price(m.instance_type, m.zone)))
            .then_some(m.id)
        })
    }

    // ----- inside the group ----------------------------------------------------------------

    fn mix_over<'a>(&self, policy: &'a MixedInstances, prices: &'a Prices) -> Mix<'a> {
        Mix {
            distribution: &policy.distribution,
            overrides: &policy.overrides,
            prices,
            zones: u8::try_from(self.config.zones.len()).unwrap_or(u8::MAX),
        }
    }

    pub(super) fn mix(&self) -> Option<Mix<'_>> {
        let (policy, ledger) = (self.mixed.get()?, self.ledger.get()?);
        Some(self.mix_over(policy, ledger.prices()))
    }

    /// Whether the member counts toward capacity: launching or in service, and not standing
    /// down for a replacement that Capacity Rebalancing launched.
    pub(super) fn counted(&self, m: &Member) -> bool {
        m.state.counts_toward_capacity()
            && (m.signal == SpotSignal::None
                || !self.members.replaces.iter().any(|r| r.get() == Some(&m.id)))
    }

    /// Fills `views` and `index` with the counted members as the allocation sees them and
    /// their indices. Filled in place: the pair returned by value was copied whole (14 KiB for
    /// a group of 1024, twice a call), 6 % of the taxi run's instructions (issue 20).
    fn mix_views(
        &self,
        views: &mut heapless::Vec<MemberView, N>,
        index: &mut heapless::Vec<usize, N>,
    ) {
        views.clear();
        index.clear();
        for (i, m) in self.members.iter().enumerate() {
            if self.counted(m) {
                // Both hold N and there are at most N members.
                let _ = views.push(view(m));
                let _ = index.push(i);
            }
        }
    }

    /// The units of the members that count toward capacity and the heaviest one's weight (1
    /// with none): the figures [`Group::terminate_mixed`] checks, as `units` and the heaviest
    /// weight of [`Group::mix_views`]' views give them, without making the views.
    #[cfg(any(test, target_os = "none"))]
    fn counted_units(&self) -> (u32, u32) {
        let (mut sum, mut heaviest) = (0u64, None);
        for m in self.members.iter().filter(|m| self.counted(m)) {
            sum = sum.saturating_add(u64::from(m.weight));
            heaviest = heaviest.max(Some(u32::from(m.weight)));
        }
        (
            u32::try_from(sum).unwrap_or(u32::MAX),
            heaviest.unwrap_or(1),
        )
    }

    /// Launches toward `goal` units as the mixed-instances policy says.
    pub(super) fn launch_mixed(&mut self, now: Instant, version: u32, goal: u32) {
        let (mut views, mut index) = (heapless::Vec::new(), heapless::Vec::new());
        self.mix_views(&mut views, &mut index);
        // Host builds keep the views' tally in step with the launches instead of counting the
        // views again at each (issue 20).
        #[cfg(not(target_os = "none"))]
        let mut tally = Mix::tally(&views);
        for _ in 0..N {
            let Some(mix) = self.mix() else { return };
            #[cfg(not(target_os = "none"))]
            let step = mix.next_tallied(&views, goal, &tally);
            #[cfg(target_os = "none")]
            let step = mix.next(&views, goal);
            match step {
                Ok(Step::Launch(l)) => {
                    #[cfg(not(target_os = "none"))]
                    let units = tallied_units(&tally);
                    #[cfg(target_os = "none")]
                    let units = units(&views);
                    let cause = Cause::Difference {
                        from: units,
                        to: units.saturating_add(u32::from(l.weight)),
                    };
                    if self.launch_bought(now, l, version, cause, None).is_err() {
                        return;
                    }
                    if views.push(l.member()).is_err() {
                        return;
                    }
                    #[cfg(not(target_os = "none"))]
                    Mix::retally(&mut tally, l.member(), true);
                    self.spot_short = false;
                }
                Ok(Step::NoSpotCapacity) => {
                    if !self.spot_short {
                        self.spot_short = true;
                        self.history.start(
                            now,
                            ActivityKind::Launch,
                            None,
                            Cause::NoSpotCapacity,
                            ActivityStatus::Failed,
                        );
                    }
                    return;
                }
                _ => return,
            }
        }
    }

    /// Terminates down to `target` units as the mixed-instances policy says, while the units
    /// exceed `target` by at least the heaviest member's weight: a smaller overage is one a
    /// launch may have made, and is kept (SEMANTICS §4). The firmware's way: a pass over the
    /// members for the check and fresh views for each victim.
    #[cfg(target_os = "none")]
    pub(super) fn terminate_mixed(&mut self, now: Instant, target: u32) {
        self.terminate_mixed_by_pass(now, target);
    }

    /// [`Group::terminate_mixed_by_pass`] from the roster's survey and one set of views a
    /// call (host builds; issue 20): the first check reads the survey's units and heaviest
    /// weight (kept while the members stay, as they mostly have since the pass's first scan),
    /// and the views lose each victim (and the member it replaced) instead of being made
    /// again. Beginning a member's termination changes no other member's count (its state,
    /// its signal and the replacements stay), so the views left are those a fresh pass makes;
    /// the tests check them against one after every victim, and with the roster's reference
    /// switch on take the pass.
    #[cfg(not(target_os = "none"))]
    pub(super) fn terminate_mixed(&mut self, now: Instant, target: u32) {
        if super::roster::reference() {
            #[cfg(test)]
            self.terminate_mixed_by_pass(now, target);
            return;
        }
        let s = self.members.survey();
        let heaviest = s.heaviest.checked_sub(1).unwrap_or(1);
        #[cfg(test)]
        assert_eq!(
            (s.units, heaviest),
            self.counted_units(),
            "the survey's units"
        );
        if s.units.saturating_sub(target) < heaviest {
            return;
        }
        let (mut views, mut index) = (heapless::Vec::new(), heapless::Vec::new());
        self.mix_views(&mut views, &mut index);
        let mut tally = Mix::tally(&views);
        for _ in 0..N {
            let Some(mix) = self.mix() else { return };
            let Ok(Step::Terminate(v)) = mix.next_tallied(&views, target, &tally) else {
                return;
            };
            let (Some(&i), Some(&victim)) = (index.get(v), views.get(v)) else {
                return;
            };
            let from = tallied_units(&tally);
            let to = from.saturating_sub(u32::from(victim.weight));
            let replaced = self.terminate_scaled_in(now, i, from, to);
            let _ = crate::fixed::remove(&mut views, v);
            let _ = crate::fixed::remove(&mut index, v);
            Mix::retally(&mut tally, victim, false);
            if let Some(j) = replaced {
                // Counted only if it had no signal (a replaced member stands down otherwise).
                if let Some(k) = index.iter().position(|&x| x == j) {
                    if let Some(gone) = crate::fixed::remove(&mut views, k) {
                        Mix::retally(&mut tally, gone, false);
                    }
                    let _ = crate::fixed::remove(&mut index, k);
                }
            }
            #[cfg(test)]
            {
                let (mut fresh, mut at) = (heapless::Vec::new(), heapless::Vec::new());
                self.mix_views(&mut fresh, &mut at);
                assert_eq!((&views, &index), (&fresh, &at), "the views kept in step");
            }
            let heaviest = views.iter().map(|v| u32::from(v.weight)).max().unwrap_or(1);
            if tallied_units(&tally).saturating_sub(target) < heaviest {
                return;
            }
        }
    }

    /// Terminates down to `target` units as the mixed-instances policy says, while the units
    /// exceed `target` by at least the heaviest member's weight, each check a pass over the
    /// members and each victim chosen from fresh views: the firmware's way, and the reference
    /// [`Group::terminate_mixed`] is held to on host builds.
    #[cfg(any(test, target_os = "none"))]
    fn terminate_mixed_by_pass(&mut self, now: Instant, target: u32) {
        let (mut views, mut index) = (heapless::Vec::new(), heapless::Vec::new());
        for _ in 0..N {
            // Checked before the views are made: most calls find nothing over (issue 20).
            let (total, heaviest) = self.counted_units();
            #[cfg(test)]
            {
                // The reference: the same check on the views.
                self.mix_views(&mut views, &mut index);
                let h = views.iter().map(|v| u32::from(v.weight)).max().unwrap_or(1);
                assert_eq!((total, heaviest), (units(&views), h));
            }
            if total.saturating_sub(target) < heaviest {
                return;
            }
            self.mix_views(&mut views, &mut index);
            let Some(mix) = self.mix() else { return };
            let Ok(Step::Terminate(v)) = mix.next(&views, target) else {
                return;
            };
            let (Some(&i), Some(victim)) = (index.get(v), views.get(v)) else {
                return;
            };
            let from = units(&views);
            let to = from.saturating_sub(u32::from(victim.weight));
            self.terminate_scaled_in(now, i, from, to);
        }
    }

    /// Begins the termination of member `i`, chosen for scale-in from `from` to `to` units,
    /// and of the member it replaced if that one still counts: a replacement chosen for
    /// scale-in takes the member it replaces with it, which counts for nothing and would only
    /// be replaced again. Returns the index of that member if it began terminating too.
    fn terminate_scaled_in(&mut self, now: Instant, i: usize, from: u32, to: u32) -> Option<usize> {
        let replaced = self
            .members
            .replaces(i)
            .and_then(|old| self.members.iter().position(|m| m.id == old));
        self.begin_termination(now, i, Cause::Difference { from, to }, true);
        let j = replaced.filter(|&j| {
            self.members
                .get(j)
                .is_some_and(|m| m.state.counts_toward_capacity())
        })?;
        self.begin_termination(now, j, Cause::Difference { from: to, to }, true);
        Some(j)
    }

    /// Capacity Rebalancing (SEMANTICS §2.12): replacements for signalled Spot members, and
    /// the termination of those whose replacement is in service.
    pub(super) fn rebalance_capacity(&mut self, now: Instant, version: Option<u32>) {
        let on = self.mixed.get().is_some_and(|m| m.capacity_rebalance);
        let signalled = self.members.iter().any(|m| m.signal != SpotSignal::None);
        let Some(version) = version.filter(|_| on && signalled) else {
            return;
        };
        let (mut views, mut index) = (heapless::Vec::new(), heapless::Vec::new());
        for _ in 0..N {
            self.rebalance_views(&mut views, &mut index);
            let Some(mix) = self.mix() else { return };
            let step = rebalance::decide(&mix, &views);
            match step {
                Ok(RebalanceStep::Replace { member, launch }) => {
                    let Some(old) = index.get(member).and_then(|&i| self.members.get(i)) else {
                        return;
                    };
                    let old = old.id;
                    if self
                        .launch_bought(now, launch, version, Cause::CapacityRebalance, Some(old))
                        .is_err()
                    {
                        return;
                    }
                }
                Ok(RebalanceStep::Terminate { member }) => {
                    let Some(&i) = index.get(member) else { return };
                    self.begin_termination(now, i, Cause::CapacityRebalance, true);
                }
                _ => return,
            }
        }
    }

    /// Fills `views` and `index` with the members launching or in service (signalled or not),
    /// with the index of what each replaces, as Capacity Rebalancing sees them, and their
    /// indices. Filled in place, as [`Group::mix_views`]: the pair returned by value was
    /// copied whole (18 KiB for a group of 1024, twice a call; issue 20).
    fn rebalance_views(
        &self,
        views: &mut heapless::Vec<RebalanceView, N>,
        index: &mut heapless::Vec<usize, N>,
    ) {
        views.clear();
        index.clear();
        for (i, m) in self.members.iter().enumerate() {
            if m.state.counts_toward_capacity() {
                let _ = index.push(i);
            }
        }
        for &i in index.iter() {
            let Some(m) = self.members.get(i) else {
                continue;
            };
            let replaces = self.members.replaces(i).and_then(|old| {
                let at = index
                    .iter()
                    .position(|&j| self.members.get(j).is_some_and(|o| o.id == old))?;
                u16::try_from(at).ok()
            });
            let _ = views.push(RebalanceView {
                member: view(m),
                signal: m.signal,
                replaces,
                in_service: m.state == MemberState::InService,
            });
        }
    }

    /// Launches one member bought as `l` says, standing in for `replaces` if given.
    fn launch_bought(
        &mut self,
        now: Instant,
        l: crate::purchase::Launch,
        version: u32,
        cause: Cause,
        replaces: Option<InstanceId>,
    ) -> Result<(), GroupError> {
        self.launch_member(now, l, version, cause, false)?;
        let last = self.members.len().saturating_sub(1);
        // A group that keeps no replacements has no Capacity Rebalancing to launch one.
        let _ = self.members.set_replaces(last, replaces);
        Ok(())
    }

    /// Starts metering a member the group just took on (launched, attached, or into the pool).
    pub(super) fn meter_new(&mut self, i: usize) {
        let (Some(m), Some(ledger)) = (self.members.get(i), self.ledger.get_mut()) else {
            return;
        };
        // A type the table lacks (an attached instance with no type 0) goes unbilled.
        let _ = ledger.track(m.id, m.instance_type, meter_zone(m), m.market);
    }

    /// Reports member `id`'s EC2 state to the ledger, or that it left the group.
    pub(super) fn meter(&mut self, now: Instant, id: InstanceId) {
        let Some(ledger) = self.ledger.get_mut() else {
            return;
        };
        // The world may report an event stamped before a later one already settled.
        let now = now.max(ledger.settled());
        // The member an event just found is where the group's last search left off (ids are
        // unique in the group): looked at first, then the whole roster (issue 20: the search
        // was most of a report's cost).
        let at = self
            .quiet
            .1
            .checked_sub(1)
            .filter(|&i| self.members.get(i).is_some_and(|m| m.id == id))
            .or_else(|| self.members.iter().position(|m| m.id == id));
        if let Some((i, m)) = at.and_then(|i| Some((i, self.members.get(i)?))) {
            // The ledger keeps its members in the group's order (both add at the end and
            // remove in place): host builds have it look first where the group has the member.
            #[cfg(not(target_os = "none"))]
            let _ = ledger.observe_at(i, now, id, m.ec2, false);
            #[cfg(target_os = "none")]
            let _ = (i, ledger.observe(now, id, m.ec2, false));
        } else {
            self.meter_left(now, id);
        }
    }

    /// [`Group::meter`] for member `id` that is no longer in the group: the ledger stops
    /// metering it and no member stands in for it any more. The marks are cleared without a
    /// change to the members' revision: a mark naming an id no member has changes no count
    /// kept on it (those ask whether a member's own id is named), and ids are unique.
    pub(super) fn meter_left(&mut self, now: Instant, id: InstanceId) {
        #[cfg(test)]
        assert!(self.members.iter().all(|m| m.id != id), "{id} is a member");
        let Some(ledger) = self.ledger.get_mut() else {
            return;
        };
        let now = now.max(ledger.settled());
        // Where the member was, if it just left through `on_gone`.
        #[cfg(not(target_os = "none"))]
        let _ = ledger.forget_at(self.quiet.1, now, id);
        #[cfg(target_os = "none")]
        let _ = ledger.forget(now, id);
        for r in &mut self.members.replaces {
            if r.get() == Some(&id) {
                r.clear();
            }
        }
    }

    /// A Spot signal for member `i`; a notice outranks a recommendation.
    pub(super) fn on_spot_signal(
        &mut self,
        i: usize,
        signal: SpotSignal,
    ) -> Result<(), GroupError> {
        let m = self
            .members
            .get_mut(i)
            .ok_or(GroupError::OutOfRange { field: "member" })?;
        if m.market != MarketKind::Spot {
            return Err(GroupError::NotSpot { id: m.id });
        }
        if m.signal != SpotSignal::Notice {
            m.signal = signal;
        }
        Ok(())
    }
}

fn view(m: &Member) -> MemberView {
    MemberView {
        market: m.market,
        instance_type: m.instance_type,
        zone: m.zone,
        weight: m.weight,
        protected: m.protected,
    }
}

#[cfg(any(test, target_os = "none"))]
fn units(views: &[MemberView]) -> u32 {
    let (od, sp) = Mix::units(views);
    u32::try_from(od.saturating_add(sp)).unwrap_or(u32::MAX)
}

/// [`units`] of views whose tally ([`Mix::tally`]) is `t`.
#[cfg(not(target_os = "none"))]
fn tallied_units(t: &crate::purchase::Tally) -> u32 {
    u32::try_from(t.1.saturating_add(t.2)).unwrap_or(u32::MAX)
}

/// The zone the ledger files a member under (a removed zone's members under zone 0).
fn meter_zone(m: &Member) -> u8 {
    if usize::from(m.zone) < crate::purchase::MAX_ZONES {
        m.zone
    } else {
        0
    }
}
