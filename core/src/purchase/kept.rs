//! The open hour's spend kept between changes, so that a step of a simulation does not apply
//! the reservations to the hour's usage again (issue 20).
//!
//! Inside one open hour, with the same prices and reservations, the On-Demand figures of the
//! hour's spend ([`Totals`]) change only as usage is added, and for most additions they change
//! linearly. [`super::reserved::apply_totals`] walks the active reservations in order, each
//! step taking `n = min(u, c)` of one type: `u` the type's usage no earlier step covered, `c`
//! what the reservation has left (seconds, or its size-flexible units ÷ the size's factor).
//! Traced once ([`Regimes`]), the walk says for each type what `d` more seconds of its usage
//! do:
//! - *saturated*: at every step of the type `u ≥ c`, so each step still takes `c` and the `d`
//!   seconds stay uncovered: On-Demand `+ rate × d`;
//! - *absorbed*: at the first step where `u < c` (before it every step took `c`, after it
//!   nothing is left of the type) the step takes `u + d` as long as `d ≤ c − u` (its room):
//!   covered `+ d`, worth `rate × d`, using `d × factor` units. A size-flexible reservation
//!   that absorbs then has `d × factor` units fewer for the sizes after it, which changes
//!   nothing only while those took nothing: the trace gives up on its absorbed types when a
//!   later step of its walk took something, and forgets the room of any other type it absorbs
//!   once one of them grows;
//! - a type with a zonal reservation is not kept (what a zonal reservation takes depends on
//!   the cell, not on the type's total): its growth, like an addition beyond the room or a sum
//!   that would overflow, makes the whole computation run again.
//!
//! Every sum is checked: a kept sum that would overflow drops the kept spend, and with it the
//! figures the whole computation would refuse ([`super::reserved::apply_totals`] returns `None`
//! exactly when one of its sums overflows: every partial sum is at most the final one).
//!
//! What is kept is a cache, neither compared nor encoded: it is dropped when the hour closes,
//! prices change, a reservation is added or the ledger is restored, and built again by the
//! next settle.

use super::price::Prices;
use super::reserved::{Totals, quarters};
use super::{MAX_RESERVATIONS, MAX_TYPES, Money, Rate};

/// [`Regimes::by`]: more usage of the type is not covered (no reservation has room for it).
const SATURATED: u8 = u8::MAX;
/// [`Regimes::by`]: the type's growth is not kept (a zonal reservation on the type, or a
/// size-flexible absorber whose later sizes took something or whose room another type used).
const UNKNOWN: u8 = u8::MAX - 1;
/// [`Regimes::by`]: absorbed by a regional reservation for one size (room in [`Regimes::room`]).
const ONE_SIZE: u8 = u8::MAX - 2;

/// How each type's figures grow with its usage, as a traced walk of
/// [`super::reserved::apply_totals`] found them (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Regimes {
    /// Per type: [`SATURATED`], [`UNKNOWN`], [`ONE_SIZE`], or the index (among the ledger's
    /// reservations) of the size-flexible reservation that absorbs its growth.
    by: [u8; MAX_TYPES],
    /// Per absorbed type: the seconds more of it its absorber covers (at most `u32::MAX`: a
    /// larger room is kept as that, which only gives up on the kept figures sooner).
    room: [u32; MAX_TYPES],
    /// The types absorbed so far by the size-flexible reservation being walked (a bit each).
    walk: u16,
    /// The types whose size-flexible absorber absorbs another type too (a bit each): when
    /// one grows, the others' rooms are dropped.
    shared: u16,
}

impl Regimes {
    /// Before a walk: every type saturated until a step with room is found.
    pub(crate) fn start(&mut self) {
        self.by = [SATURATED; MAX_TYPES];
        self.room = [0; MAX_TYPES];
        self.walk = 0;
        self.shared = 0;
    }

    /// After the walk: which absorbed types share their size-flexible absorber.
    pub(crate) fn finish(&mut self) {
        let mut shared = 0u16;
        for (i, &a) in self.by.iter().enumerate() {
            if usize::from(a) < MAX_RESERVATIONS
                && self.by.iter().enumerate().any(|(j, &b)| j != i && b == a)
            {
                shared |= bit(i);
            }
        }
        self.shared = shared;
    }

    /// A zonal reservation's step on type `t`.
    pub(crate) fn zonal(&mut self, t: u8) {
        if let Some(b) = self.by.get_mut(usize::from(t)) {
            *b = UNKNOWN;
        }
    }

    /// A regional reservation for one size takes `min(left, cap)` of type `ty`.
    pub(crate) fn one_size(&mut self, ty: u8, left: u64, cap: u64) {
        self.absorb(ty, left, cap, ONE_SIZE);
    }

    /// Before a size-flexible reservation's walk over its family's sizes.
    pub(crate) fn flexible_start(&mut self) {
        self.walk = 0;
    }

    /// Size-flexible reservation `index` takes `min(left, cap)` of size `ty` (`cap`: its units
    /// left ÷ the size's factor).
    pub(crate) fn flexible(&mut self, index: usize, ty: u8, left: u64, cap: u64) {
        let Ok(r) = u8::try_from(index) else {
            return self.zonal(ty);
        };
        if usize::from(r) >= MAX_RESERVATIONS {
            return self.zonal(ty);
        }
        // A later step that takes something would take less once an absorbed size grows.
        if left.min(cap) > 0 && self.walk != 0 {
            for (i, b) in self.by.iter_mut().enumerate() {
                if self.walk & bit(i) != 0 && *b == r {
                    *b = UNKNOWN;
                }
            }
            self.walk = 0;
        }
        if self.absorb(ty, left, cap, r) {
            self.walk |= bit(usize::from(ty));
        }
    }

    /// The first step of type `ty` with room (`left < cap`) absorbs its growth; whether it
    /// did.
    fn absorb(&mut self, ty: u8, left: u64, cap: u64, by: u8) -> bool {
        let i = usize::from(ty);
        let (Some(kind), Some(room)) = (self.by.get_mut(i), self.room.get_mut(i)) else {
            return false;
        };
        if *kind != SATURATED || left >= cap {
            return false;
        }
        *kind = by;
        *room = u32::try_from(cap.saturating_sub(left)).unwrap_or(u32::MAX);
        true
    }
}

/// The open hour's On-Demand figures and reservation charges, kept as usage is added.
#[derive(Debug, Clone, Default)]
pub(crate) struct Kept {
    /// Whether the fields below are the open hour's (false until built, and once dropped).
    pub valid: bool,
    /// What the reservations do to the hour's usage so far.
    pub totals: Totals,
    /// The reservations' charges for the hour.
    pub reserved: Money,
    /// How each type's figures grow.
    pub regimes: Regimes,
}

impl Kept {
    /// `secs` more seconds of type `t`'s On-Demand usage in the open hour; drops what is kept
    /// when the growth is not linear or a sum would overflow.
    pub(crate) fn add(&mut self, prices: &Prices, t: u8, secs: u64) {
        if !self.valid || secs == 0 {
            return;
        }
        if self.grow(prices, t, secs).is_none() {
            self.valid = false;
        }
    }

    fn grow(&mut self, prices: &Prices, t: u8, secs: u64) -> Option<()> {
        let i = usize::from(t);
        let by = *self.regimes.by.get(i)?;
        let rate = prices.on_demand(t).unwrap_or(Rate::ZERO);
        let money = Money::from_exact(rate.micros().checked_mul(secs)?);
        let x = &mut self.totals;
        x.on_demand_secs = x.on_demand_secs.checked_add(secs)?;
        match by {
            SATURATED => x.on_demand = x.on_demand.checked_add(money)?,
            UNKNOWN => return None,
            _ => {
                let room = self.regimes.room.get_mut(i)?;
                *room = room.checked_sub(u32::try_from(secs).ok()?)?;
                x.covered_value = x.covered_value.checked_add(money)?;
                x.covered_secs = x.covered_secs.checked_add(secs)?;
                x.used = x.used.checked_add(secs.checked_mul(quarters(prices, t))?)?;
                // A size-flexible absorber has fewer units left for the other sizes it
                // absorbs: their rooms are no longer known.
                let r = &mut self.regimes;
                if r.shared & bit(i) != 0 {
                    for (j, b) in r.by.iter_mut().enumerate() {
                        if j != i && *b == by {
                            *b = UNKNOWN;
                        }
                    }
                    r.shared &= !bit(i);
                }
            }
        }
        Some(())
    }
}

impl Kept {
    /// What one more second of `sessions[t]` open sessions of each type `t` in `types` adds
    /// to the kept figures, and for how many seconds (at most `horizon`) adding it stays
    /// linear: `Kept::add` of `n × p` seconds per type then adds exactly `p` times it (issue
    /// 20: a simulation's quiet steps are deferred and added at once). `None` when some type's
    /// growth is not kept, or its absorber is shared (its first growth forgets the others'
    /// rooms), or `horizon` seconds of it would overflow a kept sum.
    pub(crate) fn linear(
        &self,
        prices: &Prices,
        sessions: &[u16; MAX_TYPES],
        types: u16,
        horizon: u64,
    ) -> Option<(Totals, u64)> {
        if !self.valid {
            return None;
        }
        let mut d = Totals::default();
        let mut cap = horizon;
        let mut bits = types;
        while bits != 0 {
            let i = usize::try_from(bits.trailing_zeros()).ok()?;
            bits &= bits.wrapping_sub(1);
            let t = u8::try_from(i).ok()?;
            let n = u64::from(*sessions.get(i)?);
            let money = Money::from_exact(
                prices
                    .on_demand(t)
                    .unwrap_or(Rate::ZERO)
                    .micros()
                    .checked_mul(n)?,
            );
            d.on_demand_secs = d.on_demand_secs.checked_add(n)?;
            match *self.regimes.by.get(i)? {
                SATURATED => d.on_demand = d.on_demand.checked_add(money)?,
                UNKNOWN => return None,
                _ => {
                    if self.regimes.shared & bit(i) != 0 {
                        return None;
                    }
                    let room = u64::from(*self.regimes.room.get(i)?);
                    cap = cap.min(room.checked_div(n)?);
                    d.covered_value = d.covered_value.checked_add(money)?;
                    d.covered_secs = d.covered_secs.checked_add(n)?;
                    d.used = d.used.checked_add(n.checked_mul(quarters(prices, t))?)?;
                }
            }
        }
        // Every partial sum of `horizon` seconds is at most the whole: none overflows.
        let x = &self.totals;
        let far = |a: u64, per: u64| per.checked_mul(horizon).and_then(|g| a.checked_add(g));
        far(x.on_demand.exact(), d.on_demand.exact())?;
        far(x.covered_value.exact(), d.covered_value.exact())?;
        far(x.on_demand_secs, d.on_demand_secs)?;
        far(x.covered_secs, d.covered_secs)?;
        far(x.used, d.used)?;
        Some((d, cap))
    }
}

/// Type `i`'s bit in a mask of types (none for an index past [`MAX_TYPES`]).
fn bit(i: usize) -> u16 {
    u32::try_from(i)
        .ok()
        .and_then(|i| 1u16.checked_shl(i))
        .unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::Kept;
    use crate::purchase::reserved::{Grid, Payment, Reservation, Scope, Term};
    use crate::purchase::reserved::{apply_totals, apply_totals_traced, row_sums};
    use crate::purchase::{MAX_TYPES, MAX_ZONES, Money, Prices, Rate, hour_start};
    use crate::test_prelude::*;

    const HOUR: u64 = 400_000;

    /// Two families of three sizes each, so that size-flexible reservations share units.
    fn prices() -> Prices {
        let mut p = Prices::new();
        for (name, micros) in [
            ("t2.small", 23_000),
            ("t2.medium", 46_400),
            ("t2.large", 92_800),
            ("m5.large", 96_000),
            ("m5.xlarge", 192_000),
            ("c5.large", 85_000),
        ] {
            p.add_builtin(name, Rate::from_micros(micros)).unwrap();
        }
        p
    }

    fn reservation(ty: u8, count: u16, scope: u8, zone: u8, late: bool) -> Reservation {
        let scope = match scope {
            0 => Scope::Zonal { zone },
            1 => Scope::Regional {
                size_flexible: false,
            },
            _ => Scope::Regional {
                size_flexible: true,
            },
        };
        Reservation {
            instance_type: ty,
            count,
            scope,
            term: Term::OneYear,
            payment: Payment::NoUpfront,
            upfront: Money::ZERO,
            hourly: Rate::from_micros(10_000),
            start: hour_start(if late { HOUR + 1 } else { HOUR - 3 }),
        }
    }

    /// The kept figures built from the whole computation's trace.
    fn build(usage: &Grid, p: &Prices, rs: &[Reservation]) -> Kept {
        let mut kept = Kept::default();
        let rows = row_sums(usage).unwrap();
        if let Some(t) = apply_totals_traced(usage, &rows, p, rs.iter(), HOUR, &mut kept.regimes) {
            kept.totals = t;
            kept.valid = true;
        }
        kept
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Usage added to the kept figures gives, while they stay kept, exactly what applying
        /// the reservations to the whole usage again gives: zonal, one-size and size-flexible
        /// reservations sharing families, more and less than the usage, active or not.
        #[test]
        fn kept_figures_are_the_whole_computation(
            start in proptest::collection::vec((0u8..6, 0usize..3, 0u64..9_000), 0..8),
            reservations in proptest::collection::vec(
                (0u8..6, 1u16..4, 0u8..5, 0u8..3, proptest::prelude::any::<bool>()),
                0..5,
            ),
            steps in proptest::collection::vec(
                proptest::collection::vec((0u8..6, 0usize..3, 0u64..2_500), 1..4),
                1..30,
            ),
        ) {
            let p = prices();
            let rs: Vec<Reservation> = reservations
                .iter()
                .map(|&(t, c, s, z, late)| reservation(t, c, s, z, late))
                .collect();
            let mut usage = [[0u64; MAX_ZONES]; MAX_TYPES];
            for &(t, z, secs) in &start {
                usage[usize::from(t)][z] += secs;
            }
            let mut kept = build(&usage, &p, &rs);
            for step in &steps {
                for &(t, z, secs) in step {
                    usage[usize::from(t)][z] += secs;
                    kept.add(&p, t, secs);
                }
                let rows = row_sums(&usage).unwrap();
                let whole = apply_totals(&usage, &rows, &p, rs.iter(), HOUR, None);
                if kept.valid {
                    proptest::prop_assert_eq!(Some(kept.totals), whole);
                } else {
                    kept = build(&usage, &p, &rs);
                    proptest::prop_assert_eq!(kept.valid.then_some(kept.totals), whole);
                }
            }
        }
    }

    /// The taxi design's shape: a size-flexible reservation of two instances and On-Demand
    /// usage growing past it. The figures stay kept while the usage grows inside the
    /// reservation's room and once it is used up; only the step that crosses it drops them.
    #[test]
    fn growth_inside_and_past_the_room_is_kept() {
        let p = prices();
        let rs = [reservation(3, 2, 2, 0, false)];
        let mut usage = [[0u64; MAX_ZONES]; MAX_TYPES];
        let mut kept = build(&usage, &p, &rs);
        assert!(kept.valid);
        let (mut kept_steps, mut builds) = (0, 0);
        for _ in 0..59 {
            // Two m5.large in two zones, one c5.large: 60 s each.
            for (t, z) in [(3u8, 0usize), (3, 1), (5, 0)] {
                usage[usize::from(t)][z] += 60;
                kept.add(&p, t, 60);
            }
            let rows = row_sums(&usage).unwrap();
            let whole = apply_totals(&usage, &rows, &p, rs.iter(), HOUR, None);
            if kept.valid {
                kept_steps += 1;
                assert_eq!(Some(kept.totals), whole);
            } else {
                builds += 1;
                kept = build(&usage, &p, &rs);
            }
        }
        // 7,200 s of m5.large fill the reservation exactly at minute 60: never crossed.
        assert_eq!((kept_steps, builds), (59, 0));
        for (t, z) in [(3u8, 0usize), (3, 1), (3, 2)] {
            usage[usize::from(t)][z] += 60;
            kept.add(&p, t, 60);
        }
        // 180 s more against 120 s of room.
        assert!(!kept.valid);
        kept = build(&usage, &p, &rs);
        usage[3][2] += 60;
        kept.add(&p, 3, 60);
        assert!(kept.valid);
        let rows = row_sums(&usage).unwrap();
        assert_eq!(
            Some(kept.totals),
            apply_totals(&usage, &rows, &p, rs.iter(), HOUR, None)
        );
    }
}
