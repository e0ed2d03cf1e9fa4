//! What a quiet step of the ledger needs: the open sessions counted per pool, so that bringing
//! the open hour forward costs one pass over the pools, not one over the members (issue 20).
//!
//! A session past its 60 s minimum bills started seconds, `ceil(x)` of its length `x` in
//! seconds (SEMANTICS §4.1), and `ceil(x + k) = ceil(x) + k` for a whole `k`: over a span of
//! `k` whole seconds every such session bills exactly `k` seconds, whatever its phase. So when
//! every open session is past its minimum, no bill can saturate, and the span is whole seconds,
//! the open hour grows by `count × k` seconds in each pool, and a Spot pool's cost by
//! `count × (price × k)`; the members' own `accounted` and `spot` are brought up to date later,
//! by whoever reads them ([`super::Account`]'s `sync_members`), in one pass for the whole span.
//!
//! The counts are not part of a snapshot: they follow from the members' clocks and are rebuilt
//! by the first member pass after a restore, or after anything that changes a clock or a price.

use super::account::Spend;
use super::kept::Kept;
use super::reserved::Rows;
use super::{MAX_TYPES, MAX_ZONES, MarketKind, Rate};
use crate::time::{Duration, Instant};

/// The most pools (type × zone × market) with open sessions that a quiet step brings forward
/// without the member pass; a ledger with more open pools takes the member pass every step.
pub(crate) const QUIET_POOLS: usize = 16;

/// A session is past its 60 s minimum this long after it opened: `ceil(x) >= 60` once
/// `x > 59 s`.
pub(crate) const PAST_MINIMUM: Duration = Duration::from_millis(59_001);

/// The most sessions opened since the last member pass that a quiet step brings forward one
/// by one while they are inside their 60 s minimum; one more opening takes the member pass.
pub(crate) const YOUNG: usize = 8;

/// The open sessions of one pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pool {
    /// The Spot price of the pool when counted (zero for On-Demand: the open hour prices its
    /// On-Demand seconds when it is totalled).
    pub rate: Rate,
    /// Open sessions in the pool.
    pub count: u32,
    /// Type index.
    pub instance_type: u8,
    /// Zone index.
    pub zone: u8,
    /// How the pool is bought.
    pub market: MarketKind,
}

/// The ledger's counts of open sessions, and what they hold for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Quiet {
    /// Whether the fields below describe the members (false after a restore, a session opened
    /// or closed, a member forgotten, a price changed, or too many pools).
    pub valid: bool,
    /// Whether the open hour has been brought further than the members' `accounted` and
    /// `spot` (to [`Quiet::attributed`]).
    pub lazy: bool,
    /// The instant the open hour holds the members' billed seconds up to.
    pub attributed: Instant,
    /// From this instant on every open session is past its 60 s minimum.
    pub linear_from: Instant,
    /// Up to this instant no open session's bill can saturate.
    pub limit: Instant,
    /// The pools with open sessions (once summed, the On-Demand ones first).
    pub pools: heapless::Vec<Pool, QUIET_POOLS>,
    /// Members (their indices in the ledger) whose session opened at the instant the open
    /// hour held, after the last member pass: inside their 60 s minimum they do not bill one
    /// second per second, so they are in no pool; each quiet step brings them forward one by
    /// one, exactly as the member pass does, until they are past the minimum and join their
    /// pool (issue 20: each opening took a member pass, about 45 M instructions of the taxi
    /// run). They are never behind the open hour.
    pub young: heapless::Vec<u16, YOUNG>,
    /// What a second of a quiet step adds, summed over the pools ([`Quiet::sum`]).
    pub per_second: PerSecond,
    /// The open hour's On-Demand usage per type, kept as usage is added (`None` after a
    /// restore until the next member pass sums the grid, or when a sum overflowed).
    pub rows: Option<Rows>,
    /// The open hour's spend, kept as usage is added (`purchase::kept`).
    pub spend: Kept,
    /// Deferred quiet steps ([`Defer`]).
    pub defer: Defer,
    /// Tests only: always take the member pass (the reference).
    #[cfg(test)]
    pub off: bool,
}

impl Quiet {
    /// Starts a recount at `t` (the member pass calls [`Quiet::count`] for each member).
    pub(crate) fn restart(&mut self, t: Instant) {
        self.valid = true;
        self.lazy = false;
        self.attributed = t;
        self.linear_from = Instant::ZERO;
        self.limit = Instant::MAX;
        self.pools.clear();
        self.young.clear();
        self.per_second.ok = false;
    }

    /// Whether member `i` is young (in [`Quiet::young`]); it leaves the list if so.
    pub(crate) fn leave_young(&mut self, i: usize) -> bool {
        let Some(j) = self.young.iter().position(|&y| usize::from(y) == i) else {
            return false;
        };
        crate::fixed::remove(&mut self.young, j).is_some()
    }

    /// Member `i` was removed from the ledger: the young members after it move down one place.
    pub(crate) fn removed(&mut self, i: usize) {
        self.leave_young(i);
        for y in &mut self.young {
            if usize::from(*y) > i {
                *y = y.saturating_sub(1);
            }
        }
    }

    /// After the counts: sums what one second adds over the pools, so that a quiet step does
    /// not pass over them one by one (issue 20). Not summed when a sum would overflow.
    pub(crate) fn sum(&mut self) {
        // On-Demand pools first, so that a quiet step's pass over their grid cells stops at
        // the first Spot pool (no sum depends on the pools' order).
        crate::fixed::sort_by_key(&mut self.pools, |p| p.market != MarketKind::OnDemand);
        let mut s = PerSecond::default();
        s.ok = self.sum_into(&mut s).is_some();
        self.per_second = s;
    }

    fn sum_into(&self, s: &mut PerSecond) -> Option<()> {
        for p in &self.pools {
            match p.market {
                MarketKind::OnDemand => {
                    // Only pools the grid has a cell for add usage (as the pool pass does).
                    if usize::from(p.zone) >= MAX_ZONES {
                        continue;
                    }
                    let Some(n) = s.on_demand.get_mut(usize::from(p.instance_type)) else {
                        continue;
                    };
                    *n = u16::try_from(p.count).ok().and_then(|c| n.checked_add(c))?;
                    s.types |= 1u16.checked_shl(u32::from(p.instance_type))?;
                }
                MarketKind::Spot => {
                    let cost = p.rate.micros().checked_mul(u64::from(p.count))?;
                    s.spot_cost = s.spot_cost.checked_add(cost)?;
                    s.spot_count = s.spot_count.checked_add(u64::from(p.count))?;
                }
            }
        }
        Some(())
    }

    /// Counts a member whose session opened at `start` (none: nothing to count) after closed
    /// sessions that billed `closed`.
    pub(crate) fn count(
        &mut self,
        start: Option<Instant>,
        closed: Duration,
        instance_type: u8,
        zone: u8,
        market: MarketKind,
        rate: Rate,
    ) {
        let Some(start) = start else { return };
        // Past the minimum once `ceil(x) >= 60`, that is `x > 59 s`.
        self.linear_from = self.linear_from.max(start.saturating_add(PAST_MINIMUM));
        // `closed + ceil(t - start)` stays below the largest duration while
        // `t <= MAX - 999 ms - closed` (`ceil` adds less than a second).
        let limit = u64::MAX
            .checked_sub(999)
            .and_then(|m| m.checked_sub(closed.total_millis()))
            .unwrap_or(0);
        self.limit = self.limit.min(Instant::from_millis(limit));
        if let Some(p) = self
            .pools
            .iter_mut()
            .find(|p| p.instance_type == instance_type && p.zone == zone && p.market == market)
        {
            p.count = p.count.saturating_add(1);
            return;
        }
        let pool = Pool {
            rate,
            count: 1,
            instance_type,
            zone,
            market,
        };
        if self.pools.push(pool).is_err() {
            self.valid = false;
        }
    }

    /// A session of the pool `instance_type` × `zone` × `market` closed: one fewer in its
    /// count, and the sums again. `false`, with nothing changed, when the pool has none.
    pub(crate) fn leave(&mut self, instance_type: u8, zone: u8, market: MarketKind) -> bool {
        let Some(p) = self
            .pools
            .iter_mut()
            .find(|p| p.instance_type == instance_type && p.zone == zone && p.market == market)
        else {
            return false;
        };
        let Some(n) = p.count.checked_sub(1) else {
            return false;
        };
        p.count = n;
        self.sum();
        true
    }

    /// The whole seconds a quiet step from [`Quiet::attributed`] to `t` bills each open
    /// session, if it may be taken without the member pass.
    pub(crate) fn span(&self, t: Instant) -> Option<u64> {
        #[cfg(test)]
        if self.off {
            return None;
        }
        if !self.valid || t < self.attributed || self.attributed < self.linear_from {
            return None;
        }
        if t > self.limit {
            return None;
        }
        let ms = t.saturating_duration_since(self.attributed).total_millis();
        if !ms.is_multiple_of(1000) {
            return None;
        }
        Some(ms / 1000)
    }
}

/// Quiet steps deferred (issue 20): while the open sessions, prices and reservations stay
/// as they are and the hour does not close, a quiet step of `k` seconds adds `k` times the
/// same figures, so a simulation's steps only count the seconds; the open hour's grid, its
/// kept usage and spend are brought forward by all of them at once (`Account::flush`) before
/// anything else reads or changes them, and its spend is read meanwhile as the kept figures
/// plus the deferred seconds times [`Defer::rate`]. Only a settle may defer (every other
/// change flushes first and disarms), and only after a settle that armed it
/// (`Account::arm`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Defer {
    /// Seconds of quiet steps not yet added to the open hour (at most [`Defer::cap`]).
    pub secs: u32,
    /// The most seconds that may be deferred (0: disarmed).
    pub cap: u32,
    /// The last instant a deferred step may reach: in the open hour, and before any open
    /// session's bill could saturate ([`Quiet::limit`]).
    pub until: Instant,
    /// What one deferred second adds to the open hour's spend (`Kept::linear`, and the Spot
    /// pools' sums).
    pub rate: Spend,
    /// Everything spent up to the time settled to when armed (`Account::total` then): the
    /// total is this plus the deferred seconds times [`Defer::rate`].
    pub base: Spend,
}

/// What one second of a quiet step adds, the pools summed: the Spot pools' cost and seconds,
/// and the On-Demand seconds per type.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PerSecond {
    /// Whether the sums below hold the pools' (false until summed, or when a sum overflowed).
    pub ok: bool,
    /// Open Spot sessions × their pool's price, in [`super::Money`]'s exact units per second.
    pub spot_cost: u64,
    /// Open Spot sessions.
    pub spot_count: u64,
    /// The types with open On-Demand sessions, a bit each.
    pub types: u16,
    /// Open On-Demand sessions per type (a count past `u16::MAX` is not summed).
    pub on_demand: [u16; MAX_TYPES],
}

/// Adds `secs` of type `t`'s usage to the kept [`Quiet::rows`], as they were added to the
/// grid (a type out of the grid is in neither); an overflow drops the kept sums.
pub(crate) fn add_usage(rows: &mut Option<Rows>, t: u8, secs: u64) {
    let Some(r) = rows.as_mut().and_then(|r| r.get_mut(usize::from(t))) else {
        return;
    };
    match r.checked_add(secs) {
        Some(v) => *r = v,
        None => *rows = None,
    }
}
