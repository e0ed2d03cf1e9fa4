//! A scenario runner: plays the world around a [`Group`] over a load trace, so a scaling design
//! can be tried on real load before it is flashed (issue 8), and so Rust, C and Python replay
//! the same run action for action.
//!
//! The world model, deliberately small and documented:
//! - load is one number per step (requests, passengers, jobs) spread evenly over the members
//!   in service; a member serves `member_capacity` of it at 100 % utilisation;
//! - each member in service reports its utilisation (percent) to the group's per-member metric
//!   `utilisation_metric`, once per step in the middle of the step; the whole load goes to the
//!   group metric `load_metric`, if one is set (what predictive scaling learns from);
//! - a launch boots after `boot_time`; a start likewise; terminations and stops complete at
//!   once; lifecycle hooks are answered `CONTINUE` at once;
//! - the SLO is breached during a step when utilisation is above `slo_utilisation`, or when
//!   there is load and no member in service;
//! - cost: with a price table on the group ([`Group::set_prices`]) the group's own ledger
//!   bills every member per second while it runs, by market, with reservations applied
//!   (SEMANTICS §4); without one, members that count toward capacity (launching or in
//!   service) are billed per second at `price_per_hour`, in the caller's unit (money, or watts
//!   for a board);
//! - weights: a member serves `member_capacity` per unit of its weight;
//! - Spot ([`SpotRisk`]): EC2 reclaims capacity at each pool's published chance of
//!   interruption per month (the Spot Instance Advisor's "frequency of interruption"), spread
//!   evenly over a 30-day month and drawn per step and per running Spot member from a seeded
//!   generator, so a run repeats exactly. A reclaimed member gets a rebalance recommendation,
//!   the 2-minute notice `rebalance_lead` later, and is terminated 2 minutes after the notice
//!   (SEMANTICS §1.4). A member whose pool's price passes its max price gets the notice at
//!   once. Events inside a step happen at their own time, before the step's cost is settled.

use core::mem::MaybeUninit;

use crate::group::GroupError;
use crate::group::{Action, Census, Event, Full, Group, GroupConfig, HookResult, Parts};
use crate::id::{IdGenerator, InstanceId};
use crate::lifecycle::SPOT_NOTICE;
use crate::purchase::{MAX_POOLS, MarketKind, Mix, Money, Spend};
use crate::scaling::Value;
use crate::scaling::predictive::Forecaster;
use crate::time::{Duration, Instant};

/// How the world behaves around the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct World {
    /// The load one member serves at 100 % utilisation.
    pub member_capacity: Value,
    /// From launch (or start) to in service.
    pub boot_time: Duration,
    /// Utilisation (percent) above which a step counts as an SLO breach.
    pub slo_utilisation: Value,
    /// Cost of one member for one hour.
    pub price_per_hour: Value,
    /// The per-member metric that gets each member's utilisation.
    pub utilisation_metric: Option<u8>,
    /// The group metric that gets the whole load.
    pub load_metric: Option<u8>,
}

/// What one step saw and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Step {
    /// The step's start.
    pub at: Instant,
    /// The load of the step.
    pub load: Value,
    /// Desired capacity after the tick.
    pub desired: u32,
    /// Members in service during the step.
    pub in_service: u32,
    /// Members launching or in service after the tick.
    pub capacity: u32,
    /// Utilisation of the members in service, percent (`None` without any).
    pub utilisation: Option<Value>,
    /// Launches and starts the tick asked for.
    pub launched: u32,
    /// Terminations and stops the tick asked for.
    pub terminated: u32,
    /// Whether the SLO was breached during the step.
    pub slo_breach: bool,
    /// Cost of the step.
    pub cost: Value,
    /// The predictive policy's forecast load for the step's hour, if the group has one and
    /// it has forecast (after 24 hours of history).
    pub forecast: Option<Value>,
    /// On-Demand units launching or in service after the tick.
    pub on_demand_units: u32,
    /// Spot units launching or in service after the tick.
    pub spot_units: u32,
    /// Spot interruption notices EC2 gave during the step.
    pub interruptions: u32,
    /// Of `cost`: On-Demand usage no reservation covered (zero without a price table).
    pub cost_on_demand: Value,
    /// Of `cost`: reservation charges.
    pub cost_reserved: Value,
    /// Of `cost`: Spot usage.
    pub cost_spot: Value,
}

/// Running totals of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Totals {
    /// Steps run.
    pub steps: u64,
    /// Member-seconds billed.
    pub member_seconds: u64,
    /// Seconds with the SLO breached.
    pub slo_breach_seconds: u64,
    /// Launches and starts.
    pub launches: u64,
    /// Terminations and stops.
    pub terminations: u64,
    /// Steps in which desired capacity changed.
    pub scaling_changes: u64,
    /// Cost, in thousandths of the caller's unit.
    pub cost: Value,
    /// Spot interruption notices.
    pub interruptions: u64,
    /// With a price table: the whole ledger (exact), by purchasing option.
    pub spend: Option<Spend>,
}

/// How EC2 reclaims Spot capacity in a scenario (see the module doc).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SpotRisk {
    /// Seed of the draws.
    pub seed: u64,
    /// From the rebalance recommendation to the 2-minute notice (zero: both at once).
    pub rebalance_lead: Duration,
    /// Each pool's chance of interruption; pools not listed are never reclaimed.
    pub pools: heapless::Vec<PoolRisk, MAX_POOLS>,
}

/// One Spot pool's chance that a running instance is interrupted within a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct PoolRisk {
    /// Index of the type in the group's price table.
    pub instance_type: u8,
    /// Zone index.
    pub zone: u8,
    /// Chance per 30-day month, per mille (the Advisor's bands: under 50, 50–100, … over 200).
    pub monthly_permille: u32,
}

/// What EC2 does next to a reclaimed Spot member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpotPhase {
    /// The 2-minute notice.
    Notice,
    /// The termination.
    End,
}

/// Seconds in the 30-day month the interruption chances are quoted over.
const MONTH_SECS: u64 = 30 * 86_400;

/// The draws of a Spot interruption are uniform over `0..DRAWS` (parts per 10¹²).
const DRAWS: u64 = 1_000_000_000_000;

/// A group and the world around it.
#[derive(Debug, Clone)]
pub struct Simulator<const N: usize, P: Parts = Full> {
    group: Group<N, P>,
    world: World,
    booting: heapless::Vec<(Instant, InstanceId), N>,
    totals: Totals,
    last: Option<Instant>,
    risk: Option<SpotRisk>,
    draws: IdGenerator,
    /// Reclaimed Spot members and what EC2 does to each next.
    spot_due: heapless::Vec<(Instant, InstanceId, SpotPhase), N>,
    /// Interruption notices delivered in the current step.
    noticed: u32,
    /// The group's census, as of the group revision beside it.
    census: Option<(u64, Census)>,
    /// Who can be reclaimed, as of the group revision beside it (see [`Reclaimable`]).
    reclaimable: Option<(u64, Reclaimable<N>)>,
    /// Each pool's chance for a step of the length beside it, and the bounds of the sieve
    /// for the largest ([`sieve_bound`], [`coarse_bound`]; see [`Simulator::reclaim`]).
    chances: Option<(Duration, [u64; MAX_POOLS], Option<Bounds>)>,
    /// Whether any Spot pool of the policy's types is priced above its max price, so that a
    /// member may be ([`Simulator::pools_above`]); kept until the caller changes the group.
    pools_above: Option<bool>,
    /// The draws ahead already found to fail the sieve (see [`Sieved`]).
    sieved: Option<Sieved>,
    /// How the sieve's next passing draw is found ([`Simulator::set_hit_search`]).
    search: HitSearch,
    /// Keep nothing across calls (every figure from a fresh pass over the members): the
    /// reference the tests hold the kept figures to.
    #[cfg(test)]
    reference: bool,
}

/// What [`Simulator::reclaim`] reads from the members, kept while the group's revision stays
/// the same (most steps change no member): whether any Spot member's pool is above its max
/// price, and the running Spot members in a pool with a chance of interruption, in member
/// order, each with its pool's index in [`SpotRisk::pools`]. The ids and the pools are two
/// lists side by side: the draws read the pools only, and an id only when its draw hits.
#[derive(Debug, Clone)]
struct Reclaimable<const N: usize> {
    priced: bool,
    ids: heapless::Vec<InstanceId, N>,
    /// Beside `ids`; each below [`MAX_POOLS`] (an index into [`SpotRisk::pools`]).
    pools: heapless::Vec<u8, N>,
}

impl<const N: usize, P: Parts> Simulator<N, P> {
    /// A scenario around `group` (configured with its policies beforehand), by value: for
    /// hosts. On a board, build the simulator in place with [`Simulator::init`].
    pub fn new(group: Group<N, P>, world: World) -> Self {
        Self::around(group, world)
    }

    /// A scenario around a new group (`CreateAutoScalingGroup` of `config`, member ids from
    /// `seed`) built in `slot`, which may hold anything: no temporary of the group or of the
    /// simulator is made on the stack in an optimised build, as with [`Group::init`]. Add the
    /// group's policies afterwards through [`Simulator::group_mut`].
    ///
    /// # Errors
    /// Any error of [`crate::group::GroupConfig::validate`]; `slot` is not written then.
    pub fn init(
        slot: &mut MaybeUninit<Self>,
        config: GroupConfig,
        seed: u64,
        world: World,
    ) -> Result<&mut Self, GroupError> {
        config.validate(N)?;
        Ok(slot.write(Self::around(Group::fresh(config, seed), world)))
    }

    /// The simulator literal, inlined so that [`Simulator::init`] writes straight into its slot.
    #[allow(clippy::inline_always)] // as `Group::fresh`: the literal must not be a temporary
    #[inline(always)]
    fn around(group: Group<N, P>, world: World) -> Self {
        Self {
            group,
            world,
            booting: heapless::Vec::new(),
            totals: Totals::default(),
            last: None,
            risk: None,
            draws: IdGenerator::new(0),
            spot_due: heapless::Vec::new(),
            noticed: 0,
            census: None,
            reclaimable: None,
            chances: None,
            pools_above: None,
            sieved: None,
            search: DrawSieve::first_passing,
            #[cfg(test)]
            reference: false,
        }
    }

    /// Lets EC2 reclaim Spot capacity as `risk` says from now on.
    pub fn set_spot_risk(&mut self, risk: SpotRisk) {
        self.draws = IdGenerator::new(risk.seed);
        self.sieved = None;
        self.risk = Some(risk);
        self.reclaimable = None;
        self.chances = None;
    }

    /// Finds the Spot draws that may hit with `search` instead of computing them each time
    /// ([`HitSearch`]): a host running many scenarios with the same seed and chances can
    /// remember them across runs. The results are the same by construction.
    pub fn set_hit_search(&mut self, search: HitSearch) {
        self.search = search;
    }

    /// The group.
    pub fn group(&self) -> &Group<N, P> {
        &self.group
    }

    /// The group, to change it between steps (a scheduled action, a manual change).
    pub fn group_mut(&mut self) -> &mut Group<N, P> {
        // Whatever the caller does (a restore included) counts as a change to the members,
        // and may change the prices or the mixed-instances policy.
        self.census = None;
        self.reclaimable = None;
        self.pools_above = None;
        &mut self.group
    }

    /// The totals so far.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// Runs one step of length `step` starting at `at` with `load`: boots what is due,
    /// reports the samples, ticks, carries out the actions (each passed to `log` with its
    /// time), and accounts for the step. Steps must come in time order.
    ///
    /// # Errors
    /// [`GroupError::OutOfRange`] for a step that starts before the previous one or has no
    /// length. Nothing changes on error.
    pub fn step(
        &mut self,
        at: Instant,
        step: Duration,
        load: Value,
        mut log: impl FnMut(Instant, &Action),
    ) -> Result<Step, GroupError> {
        if step == Duration::ZERO || self.last.is_some_and(|l| at < l) {
            return Err(GroupError::OutOfRange { field: "step" });
        }
        self.last = Some(at);
        let end = at.saturating_add(step);
        self.noticed = 0;
        // Whatever the ledger held before the first step is the first step's.
        let spent_before = self.totals.spend.or_else(|| {
            self.group.ledger()?;
            Some(Spend::default())
        });
        self.world_due(at, true);
        let in_service = self.census().in_service_units;
        let utilisation = self.utilisation(load, in_service);
        let mid = at.saturating_add(Duration::from_millis(step.total_millis() / 2));
        self.report(mid, load, utilisation);
        let before = self.group.desired();
        let (launched, terminated) = self.tick_all(at, &mut log);
        let desired = self.group.desired();
        let Census {
            capacity,
            on_demand_units,
            spot_units,
            ..
        } = self.census();
        self.reclaim(at, step);
        // What happens inside the step happens at its own time, before the step is billed.
        self.world_due(end, false);
        let breach = match utilisation {
            Some(u) => u > self.world.slo_utilisation,
            None => load > Value::ZERO,
        };
        let spent_after = self.spent(end);
        let (cost, split) = match (spent_before, spent_after) {
            (Some(b), Some(a)) => {
                let split = [
                    money_delta(b.on_demand, a.on_demand),
                    money_delta(b.reserved, a.reserved),
                    money_delta(b.spot, a.spot),
                ];
                (money_delta(b.total(), a.total()), split)
            }
            _ => (self.cost(capacity, step), [Value::ZERO; 3]),
        };
        let forecast = self
            .group
            .predictive()
            .and_then(|(_, f)| f.forecast(Forecaster::hour_of(at)));
        let t = &mut self.totals;
        t.steps = t.steps.saturating_add(1);
        t.member_seconds = t
            .member_seconds
            .saturating_add(u64::from(capacity).saturating_mul(step.total_secs()));
        if breach {
            t.slo_breach_seconds = t.slo_breach_seconds.saturating_add(step.total_secs());
        }
        t.launches = t.launches.saturating_add(u64::from(launched));
        t.terminations = t.terminations.saturating_add(u64::from(terminated));
        if desired != before {
            t.scaling_changes = t.scaling_changes.saturating_add(1);
        }
        t.cost = Value::from_milli(t.cost.milli().saturating_add(cost.milli()));
        t.interruptions = t.interruptions.saturating_add(u64::from(self.noticed));
        if spent_after.is_some() {
            t.spend = spent_after;
        }
        let [cost_on_demand, cost_reserved, cost_spot] = split;
        Ok(Step {
            at,
            load,
            desired,
            in_service,
            capacity,
            utilisation,
            launched,
            terminated,
            slo_breach: breach,
            cost,
            forecast,
            on_demand_units,
            spot_units,
            interruptions: self.noticed,
            cost_on_demand,
            cost_reserved,
            cost_spot,
        })
    }

    /// Ticks at `at` until the group owes nothing more, carrying out each action; returns
    /// how many launched and how many ended.
    fn tick_all(&mut self, at: Instant, log: &mut impl FnMut(Instant, &Action)) -> (u32, u32) {
        self.group.decide(at);
        let (mut launched, mut terminated) = (0u32, 0u32);
        // The world carries out each action as it is taken: members that leave are marked and
        // removed together after the batch (`observe_deferred`), so taking the next action
        // never shifts the members left to hand out.
        let mut gone = false;
        while let Some(a) = self.group.actions().next() {
            log(at, &a);
            let carried;
            (carried, gone) = self.carry_out(at, a, gone);
            match carried {
                Carried::Launched => launched = launched.saturating_add(1),
                Carried::Terminated => terminated = terminated.saturating_add(1),
                Carried::Other => {}
            }
        }
        if gone {
            self.group.remove_gone();
        }
        (launched, terminated)
    }

    /// The group's ledger brought to `t`, if the group has a price table.
    fn spent(&mut self, t: Instant) -> Option<Spend> {
        self.group.ledger()?;
        self.group.settle(t).ok()
    }

    /// EC2 reclaims Spot capacity: members whose pool's price passed their max price get the
    /// notice now; each other running Spot member is reclaimed with its pool's chance for a
    /// step of this length.
    fn reclaim(&mut self, at: Instant, step: Duration) {
        self.refresh_reclaimable();
        if self.reclaimable.as_ref().is_some_and(|(_, k)| k.priced) {
            // Filled in place and read by reference: `collect` and iterating by value each
            // moved the vector's whole capacity (73 KB for a group of 4096) every step.
            let mut priced: heapless::Vec<InstanceId, N> = heapless::Vec::new();
            for id in self.group.price_interruptions() {
                let _ = priced.push(id);
            }
            for &id in &priced {
                if !self
                    .spot_due
                    .iter()
                    .any(|d| d.1 == id && d.2 == SpotPhase::End)
                {
                    self.notice(at, id);
                }
            }
        }
        let Some(lead) = self.risk.as_ref().map(|r| r.rebalance_lead) else {
            return;
        };
        self.refresh_chances(step);
        // The running Spot members as of the notices above, in member order: the draws come
        // in the same order as a pass over the members would make them.
        self.refresh_reclaimable();
        let mut chosen: heapless::Vec<InstanceId, N> = heapless::Vec::new();
        let (Some((_, kept)), Some((_, chances, sieve))) =
            (self.reclaimable.as_ref(), self.chances.as_ref())
        else {
            return;
        };
        // Most steps nobody is due for a notice, so every listed member draws: take all the
        // draws at once (`sieved_hits`, which reads a member's pool only where its draw may
        // hit). Otherwise (or in the tests' reference run) one by one as a pass over
        // the members makes them, skipping those due.
        let due = !self.spot_due.is_empty();
        #[cfg(test)]
        let due = due || self.reference;
        let n = u64::try_from(kept.pools.len()).unwrap_or(u64::MAX);
        // Where `next_u64s(n)` would fail part way, the draws are taken one by one below.
        let batch = if due {
            None
        } else {
            self.draws.counter().checked_add(n)
        };
        if batch.is_some() {
            // Hits are rare (a few a month): the draws that may hit are found ahead, across
            // steps (`Sieved`), and most steps compute no draw. Without a sieve every chance
            // is zero: the draws are taken and none hits.
            if let Some(bound) = *sieve {
                sieved_hits(
                    &mut self.sieved,
                    self.search,
                    &self.draws,
                    &kept.pools,
                    chances,
                    bound,
                    |i| {
                        if let Some(&id) = kept.ids.get(i) {
                            let _ = chosen.push(id);
                        }
                    },
                );
            }
            let _ = self.draws.skip(n);
        } else {
            // The generator in a local for the loop, put back after it: the same draws in the
            // same order, without a store to the simulator per draw.
            let mut draws = self.draws;
            for (&id, &pool) in kept.ids.iter().zip(&kept.pools) {
                if due && self.spot_due.iter().any(|d| d.1 == id) {
                    continue;
                }
                let Some(&chance) = chances.get(usize::from(pool)) else {
                    continue;
                };
                // The remainder of a u64 fits a u64: the same number as in u128, without the
                // 128-bit division.
                let draw = draws.next_u64().unwrap_or(u64::MAX) % DRAWS;
                if draw < chance {
                    let _ = chosen.push(id);
                }
            }
            self.draws = draws;
        }
        for &id in &chosen {
            let _ = self.group.observe(at, Event::RebalanceRecommendation(id));
            if lead == Duration::ZERO {
                self.notice(at, id);
            } else {
                let _ = self
                    .spot_due
                    .push((at.saturating_add(lead), id, SpotPhase::Notice));
            }
        }
    }

    /// The group's census, passing over the members only when they changed since the last.
    #[inline]
    fn census(&mut self) -> Census {
        #[cfg(test)]
        if self.reference {
            let g = &self.group;
            let (on_demand_units, spot_units) = g.units_by_market();
            return Census {
                in_service_units: g.in_service_units(),
                capacity: g.capacity(),
                on_demand_units,
                spot_units,
            };
        }
        let revision = self.group.revision();
        match self.census {
            Some((r, c)) if r == revision => c,
            _ => {
                let c = self.group.census();
                self.census = Some((revision, c));
                c
            }
        }
    }

    /// Brings what [`Simulator::reclaim`] reads from the members up to date, passing over them
    /// only when they changed since the last time.
    #[inline]
    fn refresh_reclaimable(&mut self) {
        #[cfg(test)]
        if self.reference {
            self.reclaimable = None;
            self.pools_above = None;
        }
        let revision = self.group.revision();
        if self
            .reclaimable
            .as_ref()
            .is_some_and(|(r, _)| *r == revision)
        {
            return;
        }
        #[cfg(test)]
        if !self.reference {
            self.pools_above = Some(self.pools_above());
        }
        #[cfg(not(test))]
        {
            self.pools_above = Some(self.pools_above());
        }
        self.refill_reclaimable(revision);
    }

    /// Whether any Spot pool (any zone index) of a type of the mixed-instances policy is priced
    /// above its max price now (`Mix::above_max_price`, SEMANTICS §1.4): only then can a member
    /// be ([`Group::price_interruptions`]; a type outside the policy has no max price). The
    /// prices and the policy change only through [`Simulator::group_mut`], which forgets it.
    fn pools_above(&self) -> bool {
        if let Some(above) = self.pools_above {
            return above;
        }
        let g = &self.group;
        let (Some(policy), Some(prices)) = (g.mixed_instances(), g.prices()) else {
            return false;
        };
        let mix = Mix {
            distribution: &policy.distribution,
            overrides: &policy.overrides,
            prices,
            zones: u8::try_from(g.config().zones.len()).unwrap_or(u8::MAX),
        };
        policy
            .overrides
            .iter()
            .any(|o| (0..=u8::MAX).any(|z| mix.above_max_price(o.instance_type, z)))
    }

    /// Fills what [`Simulator::reclaim`] reads from the members, as of `revision`. Out of line:
    /// the new value below is 16 KiB for a group of 1024, and its frame's stack probe cost
    /// every call of [`Simulator::refresh_reclaimable`] (twice a step) about 70 instructions
    /// even when nothing changed.
    #[inline(never)]
    fn refill_reclaimable(&mut self, revision: u64) {
        // Refilled in place: the list holds N entries (16 KiB for a group of 1024), which a
        // new value would move.
        let (kept_revision, kept) = self.reclaimable.get_or_insert_with(|| {
            (
                revision,
                Reclaimable {
                    priced: false,
                    ids: heapless::Vec::new(),
                    pools: heapless::Vec::new(),
                },
            )
        });
        *kept_revision = revision;
        // No member is above its max price when no pool is: skip the pass over them then.
        kept.priced =
            self.pools_above.unwrap_or(true) && self.group.price_interruptions().next().is_some();
        kept.ids.clear();
        kept.pools.clear();
        if let Some(risk) = self.risk.as_ref() {
            for m in self.group.members() {
                let runs = m.market() == MarketKind::Spot
                    && m.state() == crate::group::MemberState::InService
                    && m.spot_signal() == crate::purchase::SpotSignal::None;
                if !runs {
                    continue;
                }
                // Pools not listed are never reclaimed (and draw nothing).
                let pool = risk
                    .pools
                    .iter()
                    .position(|p| (p.instance_type, p.zone) == (m.instance_type(), m.zone()))
                    .and_then(|i| u8::try_from(i).ok());
                if let Some(pool) = pool {
                    // Cannot fail: at most N members; both lists grow together.
                    if kept.ids.push(m.id()).is_ok() {
                        let _ = kept.pools.push(pool);
                    }
                }
            }
        }
    }

    /// Each pool's chance for a step of length `step` in parts per 10¹²: permille × 10⁹ ×
    /// step ÷ month; computed again only when the step length changes. A draw is under 10¹²,
    /// so a chance of 10¹² or more takes every draw: capped there, each chance fits 64 bits
    /// and a draw compares with it as with the uncapped 128-bit chance.
    fn refresh_chances(&mut self, step: Duration) {
        #[cfg(test)]
        if self.reference {
            self.chances = None;
        }
        if self.chances.as_ref().is_some_and(|(s, _, _)| *s == step) {
            return;
        }
        let mut chances = [0u64; MAX_POOLS];
        if let Some(risk) = self.risk.as_ref() {
            for (c, pool) in chances.iter_mut().zip(&risk.pools) {
                let chance = u128::from(pool.monthly_permille)
                    .saturating_mul(1_000_000_000)
                    .saturating_mul(u128::from(step.total_secs()))
                    .checked_div(u128::from(MONTH_SECS))
                    .unwrap_or(0);
                *c = u64::try_from(chance).map_or(DRAWS, |c| c.min(DRAWS));
            }
        }
        let sieve = chances.iter().max().and_then(|&c| Bounds::new(c));
        self.chances = Some((step, chances, sieve));
    }

    /// The 2-minute notice to `id` at `t`, and its termination after.
    fn notice(&mut self, t: Instant, id: InstanceId) {
        if self.group.observe(t, Event::SpotInterruption(id)).is_ok() {
            self.noticed = self.noticed.saturating_add(1);
            self.spot_due.retain(|d| d.1 != id);
            let _ = self
                .spot_due
                .push((t.saturating_add(SPOT_NOTICE), id, SpotPhase::End));
        }
    }

    /// Plays the world's events due before `limit` (or at it, when `inclusive`) in time order:
    /// boots, Spot notices and the terminations that follow them.
    ///
    /// `booting` is in launch order, which is also time order (every boot takes `boot_time`
    /// from a step's start, and steps come in time order), so the next boot is always the
    /// first one left: boots are reported in launch order, which the group finds each in O(1)
    /// (`Group::observe` looks after the member it found last), and the booted ones leave
    /// `booting` together at the end.
    fn world_due(&mut self, limit: Instant, inclusive: bool) {
        let due = |t: Instant| t < limit || (inclusive && t == limit);
        // Most steps nothing is due: the loop below would find no boot and no Spot event
        // and change nothing.
        if !self.booting.first().is_some_and(|b| due(b.0))
            && !self.spot_due.iter().any(|d| due(d.0))
        {
            return;
        }
        self.play_due(limit, inclusive);
    }

    /// [`Simulator::world_due`]'s loop, for a call with something due.
    #[inline(never)]
    fn play_due(&mut self, limit: Instant, inclusive: bool) {
        let due = |t: Instant| t < limit || (inclusive && t == limit);
        // `booting[..booted]` have booted.
        let mut booted = 0usize;
        loop {
            let boot = self.booting.get(booted).copied().filter(|b| due(b.0));
            let spot = self
                .spot_due
                .iter()
                .enumerate()
                .filter(|(_, d)| due(d.0))
                .min_by_key(|(_, d)| d.0)
                .map(|(i, d)| (i, d.0));
            match (boot, spot) {
                (Some((ready, id)), s) if s.is_none_or(|(_, ts)| ready <= ts) => {
                    booted = booted.saturating_add(1);
                    // A member that left meanwhile has nothing to boot.
                    let _ = self.group.observe(ready, Event::Booted(id));
                }
                (_, Some((i, _))) => {
                    Self::forget_booted(&mut self.booting, &mut booted);
                    let (t, id, phase) = self.spot_due.swap_remove(i);
                    match phase {
                        SpotPhase::Notice => self.notice(t, id),
                        SpotPhase::End => {
                            self.booting.retain(|(_, b)| *b != id);
                            // The group may have ended it first (Capacity Rebalancing).
                            let _ = self.group.observe(t, Event::Terminated(id));
                        }
                    }
                }
                _ => break,
            }
        }
        Self::forget_booted(&mut self.booting, &mut booted);
    }

    /// Drops the first `booted` entries of `booting` (those whose boot was reported).
    fn forget_booted(booting: &mut heapless::Vec<(Instant, InstanceId), N>, booted: &mut usize) {
        // Most calls booted nothing: no pass over the list then.
        if *booted == 0 {
            return;
        }
        let mut seen = 0usize;
        booting.retain(|_| {
            seen = seen.saturating_add(1);
            seen > *booted
        });
        *booted = 0;
    }

    /// Percent of capacity used: load ÷ (members × member capacity) × 100.
    fn utilisation(&self, load: Value, in_service: u32) -> Option<Value> {
        let served = i128::from(in_service)
            .saturating_mul(i128::from(self.world.member_capacity.milli().max(1)));
        if in_service == 0 {
            return None;
        }
        let num = i128::from(load.milli()).saturating_mul(100_000);
        // In 64 bits when both fit (every real load): the same quotient without a 128-bit
        // division, once a step.
        if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(served)) {
            return n.checked_div(d).map(Value::from_milli);
        }
        let percent_milli = num.checked_div(served)?;
        Some(Value::from_milli(
            i64::try_from(percent_milli).unwrap_or(i64::MAX),
        ))
    }

    fn report(&mut self, at: Instant, load: Value, utilisation: Option<Value>) {
        if let (Some(metric), Some(u)) = (self.world.utilisation_metric, utilisation) {
            // A sample the group refuses (an unknown metric) only leaves the run without it;
            // the scenario goes on.
            #[cfg(test)]
            if self.reference {
                // Each member's sample written to it, the counts from a pass over the members.
                let _ = self.group.record_in_service_two_passes(at, metric, u);
                return self.report_load(at, load);
            }
            let _ = self.group.record_in_service(at, metric, u);
        }
        self.report_load(at, load);
    }

    /// The whole load to the group metric `load_metric`, if one is set.
    fn report_load(&mut self, at: Instant, load: Value) {
        if let Some(metric) = self.world.load_metric {
            let _ = self.group.record(at, metric, None, load);
        }
    }

    /// Carries out one action of a tick's batch. `gone`: members are marked to leave (see
    /// [`Group::observe_deferred`]), so anything but another termination removes them first.
    /// Returns what it was and whether members are now marked.
    fn carry_out(&mut self, now: Instant, action: Action, gone: bool) -> (Carried, bool) {
        if let Action::Terminate { id } = action {
            self.booting.retain(|(_, b)| *b != id);
            self.spot_due.retain(|d| d.1 != id);
            let marked = self
                .group
                .observe_deferred(now, Event::Terminated(id))
                .unwrap_or(false);
            return (Carried::Terminated, gone || marked);
        }
        if gone {
            self.group.remove_gone();
        }
        let carried = match action {
            Action::Launch { id, .. } | Action::Start { id } => {
                let ready = now.saturating_add(self.world.boot_time);
                if self.world.boot_time == Duration::ZERO || self.booting.push((ready, id)).is_err()
                {
                    let _ = self.group.observe(now, Event::Booted(id));
                }
                Carried::Launched
            }
            Action::Stop { id, .. } => {
                let _ = self.group.observe(
                    now,
                    Event::Ec2State(id, crate::lifecycle::InstanceState::Stopped),
                );
                Carried::Terminated
            }
            Action::NotifyHook { id, hook, .. } => {
                let _ = self
                    .group
                    .observe(now, Event::HookCompleted(id, hook, HookResult::Continue));
                Carried::Other
            }
            Action::Terminate { .. } => Carried::Terminated,
        };
        (carried, false)
    }

    fn cost(&self, members: u32, step: Duration) -> Value {
        let milli = i128::from(self.world.price_per_hour.milli())
            .saturating_mul(i128::from(members))
            .saturating_mul(i128::from(step.total_secs()))
            .checked_div(3600)
            .unwrap_or(0);
        Value::from_milli(i64::try_from(milli).unwrap_or(i64::MAX))
    }
}

/// Draws known to fail the sieve of `bound` ([`passes`]): no counter in `from..to` of the
/// simulator's generator gives a value that passes it. The draws are counter-based
/// ([`IdGenerator::value_at`]), so the search for the next draw that may hit runs ahead of the
/// steps, over `SIEVE_AHEAD` draws at a time: a step whose draws all lie in `from..to` takes
/// them without computing any (issue 20). Exact whatever the members: a draw that fails the
/// sieve is under no pool's chance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sieved {
    bound: Bounds,
    from: u64,
    to: u64,
}

/// The sieve's bounds for one chance: [`sieve_bound`]'s and [`coarse_bound`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Bounds {
    fine: u64,
    coarse: u64,
}

impl Bounds {
    /// The bounds for draws under `chance` (`None` for a chance of zero).
    fn new(chance: u64) -> Option<Self> {
        Some(Self {
            fine: sieve_bound(chance)?,
            coarse: coarse_bound(chance)?,
        })
    }
}

/// The sieve of one run's Spot draws: the generator's seed and the bounds of the largest
/// chance per step, which every draw under a pool's chance passes. Which draws pass it depends
/// on nothing else, so a host may remember them across runs ([`HitSearch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DrawSieve {
    seed: u64,
    bound: Bounds,
}

impl DrawSieve {
    /// The sieve for the draws of the generator seeded `seed` under `chance` (parts per
    /// 10¹² of a step; `None` for a chance of zero, which no draw is under).
    pub fn new(seed: u64, chance: u64) -> Option<Self> {
        Some(Self {
            seed,
            bound: Bounds::new(chance)?,
        })
    }

    /// The first counter in `from..to` whose draw passes the sieve, or `to` if none does (or
    /// `from >= to`): every draw under a pool's chance passes it, about one other draw in
    /// 4,000 too. Computed, about 10 instructions a draw on x86-64.
    pub fn first_passing(&self, from: u64, to: u64) -> u64 {
        let (coarse, fine) = (self.bound.coarse, self.bound.fine);
        IdGenerator::resume(self.seed, 0).first_passing(
            from,
            to,
            |z| passes_coarse(z, coarse),
            |v| passes(v, fine),
        )
    }
}

/// Finds what [`DrawSieve::first_passing`] finds, by any means: the simulator's default
/// computes it; a host running many scenarios (a sweep, a timing loop) may answer from the
/// draws it found in earlier runs with the same sieve (issue 20). It must give exactly what
/// `first_passing` gives, or the Spot interruptions change.
pub type HitSearch = fn(&DrawSieve, u64, u64) -> u64;

/// How many draws past a step's own the sieve looks at once: draws looked at ahead are the
/// next steps' (the counter only moves forward), so only those past the end of a run, or past
/// a change of the step length, are computed in vain.
const SIEVE_AHEAD: u64 = 1 << 14;

/// Calls `hit(i)`, in order, for each `i` whose draw (counter `draws.counter() + i`) falls
/// under the chance of its pool `pools[i]` (running Spot members' pools in member order, one
/// draw each; see [`Simulator::reclaim`]). `bound` is the sieve's for the largest of `chances`
/// ([`sieve_bound`]): only a draw that passes it is divided and compared with its pool's chance.
/// `sieved` keeps what was found ahead for the next call; the generator is not moved.
#[inline]
fn sieved_hits(
    sieved: &mut Option<Sieved>,
    search: HitSearch,
    draws: &IdGenerator,
    pools: &[u8],
    chances: &[u64; MAX_POOLS],
    bound: Bounds,
    mut hit: impl FnMut(usize),
) {
    let c = draws.counter();
    let Some(end) = c.checked_add(u64::try_from(pools.len()).unwrap_or(u64::MAX)) else {
        return;
    };
    let mut at = c;
    loop {
        let known = match sieved {
            Some(s) if s.bound == bound && s.from <= at && at <= s.to => s,
            _ => sieved.insert(Sieved {
                bound,
                from: at,
                to: at,
            }),
        };
        // Most steps: every draw of the step is known to fail.
        if known.to >= end {
            return;
        }
        let limit = end.max(known.to.saturating_add(SIEVE_AHEAD));
        let sieve = DrawSieve {
            seed: draws.seed(),
            bound,
        };
        let p = search(&sieve, known.to, limit);
        known.to = p;
        if p >= end {
            return;
        }
        let i = usize::try_from(p.wrapping_sub(c)).unwrap_or(usize::MAX);
        let chance = pools
            .get(i)
            .and_then(|&pool| chances.get(usize::from(pool)))
            .copied()
            .unwrap_or(0);
        // The remainder of a u64 fits a u64: the same number as in u128, without the 128-bit
        // division.
        if draws.value_at(p) % DRAWS < chance {
            hit(i);
        }
        at = p.wrapping_add(1);
    }
}

/// The odd factor of [`DRAWS`]: 10¹² = 2¹² × 5¹².
const DRAWS_ODD: u64 = 244_140_625;

/// ⌈2⁶⁴ ÷ [`DRAWS_ODD`]⌉, the sieve's multiplier ([`sieve_bound`]).
const SIEVE_MUL: u64 = 75_557_863_726;

/// The bound of [`passes`] for draws under `chance`, so that every draw under it passes
/// (`None` for a chance of zero: no draw is under it). Why it holds, exactly: write a draw
/// `v = h·2¹² + l` (`l < 2¹²`, `h < 2⁵²`) and `h = q·F + r` (`F` = [`DRAWS_ODD`], `r < F`);
/// then `v mod 10¹² = r·2¹² + l`, so a draw under `chance` has `r ≤ R = (chance − 1) >> 12`.
/// With `M` = [`SIEVE_MUL`] `= 2⁶⁴/F + δ` (`0 < δ < 1`), `h·M = q·2⁶⁴ + r·2⁶⁴/F + h·δ`, and
/// `h·δ < 2⁵²`; so for `r ≤ R`, while `R·2⁶⁴/F + 2⁵² ≤ 2⁶⁴`, `(h·M) mod 2⁶⁴ < R·2⁶⁴/F + 2⁵²`,
/// an integer at most `⌈R·2⁶⁴/F⌉ + 2⁵² − 1`, the bound. A bound past 2⁶⁴ passes every draw.
/// The other way about one draw in 4,000 passes (`2⁵²` of `2⁶⁴`) for the chances of a minute.
fn sieve_bound(chance: u64) -> Option<u64> {
    Some(bound_for(chance.checked_sub(1)? >> 12))
}

/// `⌈R·2⁶⁴/F⌉ + 2⁵² − 1`, or `u64::MAX` past it ([`sieve_bound`]): every `h < 2⁵²` with
/// `h mod F ≤ R` has `(h·M) mod 2⁶⁴` at most this.
fn bound_for(r: u64) -> u64 {
    let scaled = (u128::from(r) << 64).div_ceil(u128::from(DRAWS_ODD));
    let bound = scaled.saturating_add(1 << 52).saturating_sub(1);
    u64::try_from(bound).unwrap_or(u64::MAX)
}

/// The bits of a draw below bit 33 that the value before the mix's last step (`z`, the draw
/// being `z ^ (z >> 31)`) does not give: [`passes_coarse`] takes the largest they could be.
const COARSE_LOW: u64 = (1 << 21) - 1;

/// The bound of [`passes_coarse`] for draws under `chance`: every draw under it passes, from
/// its `z` alone (`None` for a chance of zero). Why it holds, exactly: the draw `v` and `z`
/// agree from bit 33 up (the xor-shift by 31 changes only bits below 33), so `h = v >> 12` and
/// `h' = (z >> 12) | (2²¹ − 1)` agree from bit 21 up, and `h' = h + d` with `0 ≤ d < 2²¹`. A
/// draw under `chance` has `h mod F = r ≤ R` ([`sieve_bound`]), so `h' = q·F + r + d` with
/// `r + d ≤ R' = R + 2²¹ − 1`: while `R' < F`, `h' mod F ≤ R'`, and `h' < 2⁵²`, so [`bound_for`]
/// of `R'` holds for `h'`; for `R' ≥ F` that bound is past 2⁶⁴ and passes everything. About one
/// `z` in 116 passes for the chances of a minute (`2²¹` of `F`), each then tested in full.
fn coarse_bound(chance: u64) -> Option<u64> {
    Some(bound_for(
        (chance.checked_sub(1)? >> 12).saturating_add(COARSE_LOW),
    ))
}

/// Whether draw `value` may be under the chance `bound` was made for ([`sieve_bound`]): one
/// shift and one multiply, where the remainder by 10¹² takes a 128-bit multiply, another
/// multiply and a subtraction.
#[inline]
fn passes(value: u64, bound: u64) -> bool {
    (value >> 12).wrapping_mul(SIEVE_MUL) <= bound
}

/// Whether the draw `z ^ (z >> 31)` may be under the chance `bound` was made for
/// ([`coarse_bound`]), from `z`: the draw's last xor-shift saved where it fails.
#[inline]
fn passes_coarse(z: u64, bound: u64) -> bool {
    ((z >> 12) | COARSE_LOW).wrapping_mul(SIEVE_MUL) <= bound
}

/// `to − from` in thousandths of the caller's unit, each rounded first, so that the steps of
/// a run add up to the rounded total.
fn money_delta(from: Money, to: Money) -> Value {
    let milli = |m: Money| i64::try_from(m.micros().saturating_add(500) / 1000).unwrap_or(i64::MAX);
    Value::from_milli(milli(to).saturating_sub(milli(from)))
}

enum Carried {
    Launched,
    Terminated,
    Other,
}

#[cfg(test)]
mod tests;
