//! Reserved Instances: terms, payment options, scope, and how they apply to usage each
//! clock-hour (SEMANTICS §4.2).
//!
//! Model (the service's rules, made exact):
//! - A reservation is *active* in every clock-hour from the one containing `start` up to, not
//!   including, the first hour that starts at or after `start + term`; it is charged its hourly
//!   rate × count for each active hour, used or not. After that it has expired: usage pays
//!   On-Demand again.
//! - Each active hour a reservation covers at most 3600 s per reserved instance of matching
//!   usage, shared by however many matching instances ran in that hour (SEMANTICS §4.2).
//! - Application order in an hour: zonal reservations (exact type and zone), then regional
//!   ones for one size (exact type, any zone), then size-flexible regional ones; each group in
//!   the order the reservations were added.
//! - Size flexibility: a regional reservation of normalization factor `F` × count gives
//!   `F × count × 3600` normalized seconds per hour, spent on usage of the same family from the
//!   smallest size up (then by zone index); `s` seconds of a type of factor `G` use `G × s`. A
//!   partly covered instance has the covered seconds rounded down; the rest is On-Demand.
//! - Coverage = covered On-Demand seconds / all On-Demand seconds; utilisation = normalized
//!   seconds used / normalized seconds available (in quarter units of the factor).

use super::kept::Regimes;
use super::price::Prices;
use super::{
    MAX_RESERVATIONS, MAX_TYPES, MAX_ZONES, Money, PurchaseError, Rate, ReservationRule,
    SECS_PER_HOUR, hour_of,
};
use crate::time::{Duration, Instant};

vocabulary! {
    /// The term of a reservation; no auto-renewal (SEMANTICS §5).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Term: "reservation term" {
        /// 1 year = 31 536 000 s.
        OneYear = 1 => "1y",
        /// 3 years = 94 608 000 s.
        ThreeYears = 2 => "3y",
    }
}

impl Term {
    /// The term's length.
    pub const fn duration(self) -> Duration {
        match self {
            Self::OneYear => Duration::from_secs(31_536_000),
            Self::ThreeYears => Duration::from_secs(94_608_000),
        }
    }
}

vocabulary! {
    /// The payment option (`OfferingType`, SEMANTICS §5).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum Payment: "payment option" {
        /// Everything upfront, no hourly charge.
        AllUpfront = 1 => "all_upfront" | "All Upfront",
        /// Part upfront plus a discounted hourly charge for every hour of the term.
        PartialUpfront = 2 => "partial_upfront" | "Partial Upfront",
        /// A discounted hourly charge for every hour of the term.
        NoUpfront = 3 => "no_upfront" | "No Upfront",
    }
}

/// Where a reservation applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub enum Scope {
    /// One zone, exact type (and it reserves capacity there).
    Zonal {
        /// Zone index.
        zone: u8,
    },
    /// Any zone of the region.
    Regional {
        /// Size flexibility within the family, by normalization factor: the service gives it
        /// to Linux/Unix default-tenancy reservations, not to Windows, RHEL, SLES, dedicated
        /// tenancy or G4ad/G4dn/G5/G5g/Inf1 (the caller knows the platform).
        size_flexible: bool,
    },
}

vocabulary! {
    /// Where a reservation applies, without its zone or flexibility: `fc_reservation.scope`;
    /// the AWS spellings are `DescribeReservedInstances`' `Scope` values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "defmt", derive(defmt::Format))]
    pub enum ScopeKind: "reservation scope" {
        /// [`Scope::Zonal`].
        Zonal = 1 => "zonal" | "Availability Zone",
        /// [`Scope::Regional`].
        Regional = 2 => "regional" | "Region",
    }
}

impl Scope {
    /// Zonal or regional, without the zone or flexibility.
    pub const fn kind(self) -> ScopeKind {
        match self {
            Self::Zonal { .. } => ScopeKind::Zonal,
            Self::Regional { .. } => ScopeKind::Regional,
        }
    }
}

/// A Reserved Instance purchase of `count` instances of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Reservation {
    /// Index of the reserved type in the price table.
    pub instance_type: u8,
    /// How many instances it reserves.
    pub count: u16,
    /// Zonal or regional.
    pub scope: Scope,
    /// 1 or 3 years.
    pub term: Term,
    /// Payment option.
    pub payment: Payment,
    /// Upfront charge per instance.
    pub upfront: Money,
    /// Hourly charge per instance, for every hour of the term.
    pub hourly: Rate,
    /// When the term starts.
    pub start: Instant,
}

impl Reservation {
    /// Checks the payment option against the charges, and the count.
    ///
    /// # Errors
    /// [`PurchaseError::InvalidReservation`] naming the rule.
    pub fn validate(&self) -> Result<(), PurchaseError> {
        let rule = if self.count == 0 {
            Some(ReservationRule::ZeroCount)
        } else {
            match self.payment {
                Payment::AllUpfront if self.hourly != Rate::ZERO => {
                    Some(ReservationRule::AllUpfrontHourly)
                }
                Payment::NoUpfront if self.upfront != Money::ZERO => {
                    Some(ReservationRule::NoUpfrontUpfront)
                }
                Payment::PartialUpfront
                    if self.upfront == Money::ZERO || self.hourly == Rate::ZERO =>
                {
                    Some(ReservationRule::PartialUpfrontCharges)
                }
                _ => None,
            }
        };
        match rule {
            Some(rule) => Err(PurchaseError::InvalidReservation { rule }),
            None => Ok(()),
        }
    }

    /// When the term ends (expiry).
    pub fn end(&self) -> Instant {
        self.start.saturating_add(self.term.duration())
    }

    /// The first clock-hour it is active in.
    pub(crate) fn first_hour(&self) -> u64 {
        hour_of(self.start)
    }

    /// One past the last clock-hour it is active in.
    pub(crate) fn end_hour(&self) -> u64 {
        let end = self.end().total_millis();
        end.div_ceil(super::MS_PER_HOUR)
    }

    /// Whether it applies in clock-hour `h`.
    pub(crate) fn active_in(&self, h: u64) -> bool {
        h >= self.first_hour() && h < self.end_hour()
    }

    /// Whether it applies at `t` (started and not expired).
    pub fn is_active(&self, t: Instant) -> bool {
        t >= self.start && t < self.end()
    }

    /// Active hours in the term (8760 for a 1-year term starting on the hour).
    pub fn hours(&self) -> u64 {
        self.end_hour().saturating_sub(self.first_hour())
    }

    /// What the reservation charges for clock-hour `h`: the hourly rate × count when active,
    /// plus the upfront part that `upfront` assigns to this hour.
    pub(crate) fn charge(&self, h: u64, upfront: super::UpfrontAccounting) -> Money {
        if !self.active_in(h) {
            return Money::ZERO;
        }
        let n = u64::from(self.count);
        let hourly = self.hourly.per_hour().saturating_mul(n);
        let total_upfront = self.upfront.saturating_mul(n);
        let first = h == self.first_hour();
        let up = match upfront {
            super::UpfrontAccounting::AtPurchase if first => total_upfront,
            super::UpfrontAccounting::AtPurchase => Money::ZERO,
            super::UpfrontAccounting::Amortized => {
                let hours = self.hours().max(1);
                let per = total_upfront.exact().checked_div(hours).unwrap_or(0);
                let rest = total_upfront.exact().checked_rem(hours).unwrap_or(0);
                Money::from_exact(if first { per.saturating_add(rest) } else { per })
            }
        };
        hourly.saturating_add(up)
    }
}

/// Usage seconds per type and zone in one hour.
pub(crate) type Grid = [[u64; MAX_ZONES]; MAX_TYPES];

/// The result of applying reservations to one hour of On-Demand usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Applied {
    /// Covered seconds per type and zone.
    pub covered: Grid,
    /// Normalized seconds (quarter units) the active reservations offered.
    pub capacity: u64,
    /// Normalized seconds (quarter units) used.
    pub used: u64,
}

impl Applied {
    /// Nothing covered, offered or used.
    pub(crate) const fn new() -> Self {
        Self {
            covered: [[0; MAX_ZONES]; MAX_TYPES],
            capacity: 0,
            used: 0,
        }
    }
}

fn cell(g: &mut Grid, t: u8, z: usize) -> Option<&mut u64> {
    g.get_mut(usize::from(t)).and_then(|row| row.get_mut(z))
}

/// A type's normalization factor in quarter units (0 for a type not priced).
pub(crate) fn quarters(prices: &Prices, t: u8) -> u64 {
    prices
        .get(t)
        .map_or(0, |p| u64::from(p.normalization.quarters()))
}

/// The family of a type's name as bytes: [`crate::catalog::TypeName::family`] (the part
/// before the first dot, empty without one) found by a byte loop, without the string search
/// that cost every step of a simulation about a hundred instructions (issue 20).
fn family_bytes(name: &str) -> &[u8] {
    let b = name.as_bytes();
    b.iter()
        .position(|&c| c == b'.')
        .and_then(|i| b.get(..i))
        .unwrap_or(&[])
}

/// Applies the reservations active in hour `h` to `usage` (On-Demand seconds per pool).
#[cfg(test)]
pub(crate) fn apply<'a>(
    usage: &Grid,
    prices: &Prices,
    reservations: impl Iterator<Item = &'a Reservation> + Clone,
    h: u64,
) -> Applied {
    let mut out = Applied::new();
    apply_into(usage, prices, reservations, h, &mut out);
    out
}

/// Applies the reservations active in hour `h` to `usage` (On-Demand seconds per pool), into
/// `out` (emptied first): the caller's frame holds the 1 KiB grid of the result, which a
/// returned [`Applied`] was copied out of every step of a simulation (issue 20).
pub(crate) fn apply_into<'a>(
    usage: &Grid,
    prices: &Prices,
    reservations: impl Iterator<Item = &'a Reservation> + Clone,
    h: u64,
    out: &mut Applied,
) {
    *out = Applied::new();
    let active = reservations.filter(move |r| r.active_in(h));
    // What is left of a pool's usage is its usage less what is covered (covered never exceeds
    // usage): read from the two grids, not kept in a copy of the usage (1 KiB every step).
    let left_in = |out: &Applied, t: u8, z: usize| -> u64 {
        let used = usage
            .get(usize::from(t))
            .and_then(|row| row.get(z))
            .copied()
            .unwrap_or(0);
        let covered = out
            .covered
            .get(usize::from(t))
            .and_then(|row| row.get(z))
            .copied()
            .unwrap_or(0);
        used.saturating_sub(covered)
    };
    let take = |out: &mut Applied, t: u8, z: usize, max_secs: u64| -> u64 {
        let Some(&used) = usage.get(usize::from(t)).and_then(|row| row.get(z)) else {
            return 0;
        };
        let Some(c) = cell(&mut out.covered, t, z) else {
            return 0;
        };
        let n = used.saturating_sub(*c).min(max_secs);
        *c = c.saturating_add(n);
        out.used = out
            .used
            .saturating_add(n.saturating_mul(quarters(prices, t)));
        n
    };
    // Zonal first, then regional for one size, then size-flexible regional.
    for pass in 0..3u8 {
        for r in active.clone() {
            let q = quarters(prices, r.instance_type);
            let secs = u64::from(r.count).saturating_mul(SECS_PER_HOUR);
            match (pass, r.scope) {
                (0, Scope::Zonal { zone }) => {
                    out.capacity = out.capacity.saturating_add(secs.saturating_mul(q));
                    take(out, r.instance_type, usize::from(zone), secs);
                }
                (
                    1,
                    Scope::Regional {
                        size_flexible: false,
                    },
                ) => {
                    out.capacity = out.capacity.saturating_add(secs.saturating_mul(q));
                    let mut left = secs;
                    for z in 0..MAX_ZONES {
                        // Nothing left to cover: the remaining zones would take nothing.
                        if left == 0 {
                            break;
                        }
                        let n = take(out, r.instance_type, z, left);
                        left = left.saturating_sub(n);
                    }
                }
                (
                    2,
                    Scope::Regional {
                        size_flexible: true,
                    },
                ) => {
                    let mut units = secs.saturating_mul(q);
                    out.capacity = out.capacity.saturating_add(units);
                    let Some(family) = prices.family(r.instance_type) else {
                        continue;
                    };
                    let mut sizes: heapless::Vec<(u64, u8), MAX_TYPES> = heapless::Vec::new();
                    for (i, p) in prices.types().enumerate() {
                        if p.name.family() == family
                            && let Ok(i) = u8::try_from(i)
                        {
                            // Cannot overflow: at most MAX_TYPES types are priced.
                            let _ = sizes.push((u64::from(p.normalization.quarters()), i));
                        }
                    }
                    crate::fixed::sort_by(&mut sizes, Ord::cmp);
                    'sizes: for &(g, t) in &sizes {
                        for z in 0..MAX_ZONES {
                            // Skipped where `take` would take nothing (no units left, or no
                            // usage left in the pool), which saves the division: every step
                            // of a simulation applies the hour's usage so far (issue 20).
                            if units == 0 {
                                break 'sizes;
                            }
                            if left_in(out, t, z) == 0 {
                                continue;
                            }
                            let max = units.checked_div(g).unwrap_or(0);
                            let n = take(out, t, z, max);
                            units = units.saturating_sub(n.saturating_mul(g));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Usage seconds per type in one hour (a [`Grid`]'s rows summed).
pub(crate) type Rows = [u64; MAX_TYPES];

/// `usage`'s rows summed, or `None` when a sum overflows.
pub(crate) fn row_sums(usage: &Grid) -> Option<Rows> {
    let mut rows = [0u64; MAX_TYPES];
    for (t, row) in rows.iter_mut().zip(usage) {
        *t = row.iter().try_fold(0u64, |a, &u| a.checked_add(u))?;
    }
    Some(rows)
}

/// What an hour's reservations do to its On-Demand usage, summed: the figures of the open
/// hour's [`super::Spend`] that depend on the usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Totals {
    /// Usage not covered, at the type's On-Demand rate.
    pub on_demand: Money,
    /// Covered usage, at the type's On-Demand rate.
    pub covered_value: Money,
    /// All On-Demand seconds.
    pub on_demand_secs: u64,
    /// Covered seconds.
    pub covered_secs: u64,
    /// Normalized seconds (quarter units) the active reservations offered.
    pub capacity: u64,
    /// Normalized seconds (quarter units) used.
    pub used: u64,
}

/// [`apply_into`]'s figures, summed type by type instead of cell by cell, without the covered
/// grid (issue 20: the open hour is totalled every step of a simulation).
///
/// A type's cells share its rate, so only how much of each type is covered matters, and each
/// pass of [`apply_into`] covers a closed form of the type's totals: zonal reservations
/// `min(cell, Σ counts × 3600)` of their cell; regional ones for one size, in order, what is
/// left of their type up to their seconds (taking zone after zone until a reservation's seconds
/// or the usage run out is taking the lesser of the two); a size-flexible one, size after size,
/// `min(left, ⌊units ÷ g⌋)` of each (zone after zone, `⌊(u − n g) ÷ g⌋ = ⌊u ÷ g⌋ − n`).
/// `None` when a sum would overflow, where [`apply_into`]'s saturating sums would differ from
/// the exact ones: the caller takes [`apply_into`] then.
///
/// `rows` is the usage of each type, `usage`'s rows summed ([`row_sums`]; the ledger keeps
/// them as it adds usage, so that a step does not sum the grid).
///
/// With `trace` (started by [`apply_totals_traced`]), every reservation's step on every size
/// of its family is taken (also those with no usage left, which take nothing) and `trace` is
/// told how each type's figures grow with its usage ([`Regimes`], what keeps the open hour's
/// spend between usage changes).
pub(crate) fn apply_totals<'a>(
    usage: &Grid,
    rows: &Rows,
    prices: &Prices,
    reservations: impl Iterator<Item = &'a Reservation> + Clone,
    h: u64,
    mut trace: Option<&mut Regimes>,
) -> Option<Totals> {
    let total = *rows;
    // What no reservation covered yet.
    let mut left = total;
    let mut out = Totals::default();
    let active = reservations
        .enumerate()
        .filter(move |(_, r)| r.active_in(h));
    // What zonal reservations took from each of their cells so far.
    let mut zonal: heapless::Vec<(u8, u8, u64), MAX_RESERVATIONS> = heapless::Vec::new();
    let cover = |left: &mut [u64; MAX_TYPES], out: &mut Totals, t: u8, n: u64| -> Option<()> {
        let l = left.get_mut(usize::from(t))?;
        *l = l.checked_sub(n)?;
        out.used = out.used.checked_add(n.checked_mul(quarters(prices, t))?)?;
        Some(())
    };
    for pass in 0..3u8 {
        for (index, r) in active.clone() {
            let q = quarters(prices, r.instance_type);
            let secs = u64::from(r.count).checked_mul(SECS_PER_HOUR)?;
            let t = r.instance_type;
            match (pass, r.scope) {
                (0, Scope::Zonal { zone }) => {
                    if let Some(tr) = trace.as_deref_mut() {
                        tr.zonal(t);
                    }
                    out.capacity = out.capacity.checked_add(secs.checked_mul(q)?)?;
                    let cell = usage
                        .get(usize::from(t))
                        .and_then(|row| row.get(usize::from(zone)))
                        .copied()
                        .unwrap_or(0);
                    if !zonal.iter().any(|c| c.0 == t && c.1 == zone) {
                        // Cannot fail: one entry per zonal reservation at most.
                        zonal.push((t, zone, 0)).ok()?;
                    }
                    let taken = &mut zonal.iter_mut().find(|c| c.0 == t && c.1 == zone)?.2;
                    let n = cell.saturating_sub(*taken).min(secs);
                    *taken = taken.checked_add(n)?;
                    cover(&mut left, &mut out, t, n)?;
                }
                (
                    1,
                    Scope::Regional {
                        size_flexible: false,
                    },
                ) => {
                    out.capacity = out.capacity.checked_add(secs.checked_mul(q)?)?;
                    let avail = left.get(usize::from(t)).copied().unwrap_or(0);
                    if let Some(tr) = trace.as_deref_mut() {
                        tr.one_size(t, avail, secs);
                    }
                    cover(&mut left, &mut out, t, avail.min(secs))?;
                }
                (
                    2,
                    Scope::Regional {
                        size_flexible: true,
                    },
                ) => {
                    let mut units = secs.checked_mul(q)?;
                    out.capacity = out.capacity.checked_add(units)?;
                    let Some(family) = prices.get(t).map(|p| family_bytes(p.name.as_str())) else {
                        continue;
                    };
                    let mut sizes: heapless::Vec<(u64, u8), MAX_TYPES> = heapless::Vec::new();
                    for (i, p) in prices.types().enumerate() {
                        // A type with no usage left would take nothing below (`n` = 0 changes
                        // no figure): skipped before its family is compared, which every step
                        // of a simulation did by a string search and a `memcmp` (issue 20).
                        // `i` is below MAX_TYPES (at most MAX_TYPES types are priced). A trace
                        // needs every size: one with no usage may be given some.
                        if trace.is_none() && left.get(i).is_none_or(|&l| l == 0) {
                            continue;
                        }
                        if family_bytes(p.name.as_str()) == family
                            && let Ok(i) = u8::try_from(i)
                        {
                            // Cannot overflow: at most MAX_TYPES types are priced.
                            let _ = sizes.push((u64::from(p.normalization.quarters()), i));
                        }
                    }
                    crate::fixed::sort_by(&mut sizes, Ord::cmp);
                    if let Some(tr) = trace.as_deref_mut() {
                        tr.flexible_start();
                    }
                    for &(g, size) in &sizes {
                        if units == 0 {
                            break;
                        }
                        let max = units.checked_div(g).unwrap_or(0);
                        let avail = left.get(usize::from(size)).copied().unwrap_or(0);
                        if let Some(tr) = trace.as_deref_mut() {
                            tr.flexible(index, size, avail, max);
                        }
                        let n = avail.min(max);
                        cover(&mut left, &mut out, size, n)?;
                        units = units.checked_sub(n.checked_mul(g)?)?;
                    }
                }
                _ => {}
            }
        }
    }
    priced(&total, &left, prices, &mut out)?;
    Some(out)
}

/// [`apply_totals`] traced into `regimes` (emptied first).
pub(crate) fn apply_totals_traced<'a>(
    usage: &Grid,
    rows: &Rows,
    prices: &Prices,
    reservations: impl Iterator<Item = &'a Reservation> + Clone,
    h: u64,
    regimes: &mut Regimes,
) -> Option<Totals> {
    regimes.start();
    let out = apply_totals(usage, rows, prices, reservations, h, Some(regimes));
    regimes.finish();
    out
}

/// [`apply_totals`]' last part: each type's usage, `left` of it uncovered, priced into `out`.
fn priced(total: &Rows, left: &Rows, prices: &Prices, out: &mut Totals) -> Option<()> {
    for (t, (&all, &open)) in total.iter().zip(left).enumerate() {
        if all == 0 {
            continue;
        }
        let rate = u8::try_from(t)
            .ok()
            .and_then(|t| prices.on_demand(t))
            .unwrap_or(Rate::ZERO);
        let covered = all.checked_sub(open)?;
        let money = |secs: u64| -> Option<Money> {
            Some(Money::from_exact(rate.micros().checked_mul(secs)?))
        };
        out.on_demand = out.on_demand.checked_add(money(open)?)?;
        out.covered_value = out.covered_value.checked_add(money(covered)?)?;
        out.on_demand_secs = out.on_demand_secs.checked_add(all)?;
        out.covered_secs = out.covered_secs.checked_add(covered)?;
    }
    Some(())
}

/// [`apply`] as it was, taking from a copy of the usage: the reference the tests hold
/// [`apply`] to.
#[cfg(test)]
pub(crate) fn apply_copying<'a>(
    usage: &Grid,
    prices: &Prices,
    reservations: impl Iterator<Item = &'a Reservation> + Clone,
    h: u64,
) -> Applied {
    let mut remaining = *usage;
    let mut out = Applied {
        covered: [[0; MAX_ZONES]; MAX_TYPES],
        capacity: 0,
        used: 0,
    };
    let active = reservations.filter(move |r| r.active_in(h));
    let take = |rem: &mut Grid, out: &mut Applied, t: u8, z: usize, max_secs: u64| -> u64 {
        let Some(r) = cell(rem, t, z) else { return 0 };
        let n = (*r).min(max_secs);
        *r = r.saturating_sub(n);
        if let Some(c) = cell(&mut out.covered, t, z) {
            *c = c.saturating_add(n);
        }
        out.used = out
            .used
            .saturating_add(n.saturating_mul(quarters(prices, t)));
        n
    };
    // Zonal first, then regional for one size, then size-flexible regional.
    for pass in 0..3u8 {
        for r in active.clone() {
            let q = quarters(prices, r.instance_type);
            let secs = u64::from(r.count).saturating_mul(SECS_PER_HOUR);
            match (pass, r.scope) {
                (0, Scope::Zonal { zone }) => {
                    out.capacity = out.capacity.saturating_add(secs.saturating_mul(q));
                    take(
                        &mut remaining,
                        &mut out,
                        r.instance_type,
                        usize::from(zone),
                        secs,
                    );
                }
                (
                    1,
                    Scope::Regional {
                        size_flexible: false,
                    },
                ) => {
                    out.capacity = out.capacity.saturating_add(secs.saturating_mul(q));
                    let mut left = secs;
                    for z in 0..MAX_ZONES {
                        let n = take(&mut remaining, &mut out, r.instance_type, z, left);
                        left = left.saturating_sub(n);
                    }
                }
                (
                    2,
                    Scope::Regional {
                        size_flexible: true,
                    },
                ) => {
                    let mut units = secs.saturating_mul(q);
                    out.capacity = out.capacity.saturating_add(units);
                    let Some(family) = prices.family(r.instance_type) else {
                        continue;
                    };
                    let mut sizes: heapless::Vec<(u64, u8), MAX_TYPES> = heapless::Vec::new();
                    for (i, p) in prices.types().enumerate() {
                        if p.name.family() == family
                            && let Ok(i) = u8::try_from(i)
                        {
                            // Cannot overflow: at most MAX_TYPES types are priced.
                            let _ = sizes.push((u64::from(p.normalization.quarters()), i));
                        }
                    }
                    crate::fixed::sort_by(&mut sizes, Ord::cmp);
                    for &(g, t) in &sizes {
                        for z in 0..MAX_ZONES {
                            let max = units.checked_div(g).unwrap_or(0);
                            let n = take(&mut remaining, &mut out, t, z, max);
                            units = units.saturating_sub(n.saturating_mul(g));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}
