//! The members of a group, and beside each the per-member state of the parts that keep one
//! (DESIGN.md principle 7): a member's hook wait, its newest metric samples for the HPA and the
//! Spot member it replaces. A [`Member`] keeps only what every group needs, so a lean group pays
//! 64 bytes a member and nothing for parts it does not store.
//!
//! The lists are parallel: entry `i` of each belongs to member `i`. Only the methods here change
//! their length, so they stay in step; the members are reached as a slice (`Deref`), which
//! cannot add, remove or reorder them.

use core::ops::{Deref, DerefMut};

use super::member::{HookWait, Member, Samples};
use super::parts::{Parts, Slot};
use crate::id::InstanceId;

/// The members of a group of at most `N`, with the per-member parts `P` stores.
///
/// Equality, `Debug` and the encoding read each member's samples as [`Roster::samples`] gives
/// them, with a [`Broadcast`] not yet written applied: a roster that holds one is equal to, and
/// encodes as, the roster with it written.
#[derive(Clone, serde::Deserialize)]
#[serde(bound = "")]
pub(super) struct Roster<const N: usize, P: Parts> {
    pub(super) members: heapless::Vec<Member, N>,
    pub(super) samples: heapless::Vec<P::Samples, N>,
    pub(super) waits: heapless::Vec<P::Waits, N>,
    pub(super) replaces: heapless::Vec<P::Replaces, N>,
    /// Bumped by every change to the members (see [`Revision`]); not encoded.
    #[serde(skip)]
    pub(super) revision: Revision,
    /// A sample every member in service has and that is not written to them yet.
    #[serde(skip, default = "no_broadcast")]
    broadcast: Broadcast,
    /// The counts [`Roster::sample_in_service`] last made, while the members stay as they were.
    #[serde(skip)]
    /// Not an `Option`: every byte of it is written when the roster is made, so the check of
    /// a kept count never reads memory that was never written (an optimised build compares
    /// the fields before the flag; valgrind flags that in a group built in C's storage).
    counts: Counts,
    /// What [`Roster::survey`] last found, while the members stay as they were.
    #[cfg(not(target_os = "none"))]
    #[serde(skip)]
    survey: Survey,
}

/// Which kinds of members a roster holds, and the units counting toward capacity, as of the
/// members' revision `revision`: a member pass skips each scan that could only find a kind the
/// roster does not hold (issue 20: a pass scanned the members about nine times, most scans
/// finding nothing in a group with no hooks, no warm pool and healthy members). Every change
/// to the members bumps the revision, so a kept survey is exact while the revision stays.
/// Host builds only: the micro:bit's flash budget, whose passes scan as before.
#[cfg(not(target_os = "none"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Survey {
    /// Whether the survey was made (false: none kept).
    kept: bool,
    revision: u64,
    /// The `HOLDS_*` kinds at least one member is of.
    pub(super) kinds: u8,
    /// The units of the members counting toward capacity (`Group::capacity`).
    pub(super) units: u32,
    /// The On-Demand units among them (`Group::units_by_market`'s first).
    pub(super) on_demand: u32,
    /// One more than the heaviest weight among them (0 with none): with `units`, what a mixed
    /// group's scale-in checks before it makes its views (`Group::counted_units`). Not an
    /// `Option<u16>`: its maximum cost a few instructions a member more in the pass.
    pub(super) heaviest: u32,
}

/// A member waits on hooks.
pub(super) const HOLDS_WAITING: u8 = 1;
/// A member the periodic EC2 check marks unhealthy (`ec2_marks`).
pub(super) const HOLDS_EC2_MARK: u8 = 2;
/// A member of the warm pool ([`super::MemberState::is_warm`]).
pub(super) const HOLDS_WARM: u8 = 4;
/// An unhealthy member counting toward capacity: what `replace_unhealthy` replaces.
pub(super) const HOLDS_UNHEALTHY: u8 = 8;
/// A member with a Spot signal.
pub(super) const HOLDS_SIGNALLED: u8 = 16;
/// A member owing an action.
pub(super) const HOLDS_OWING: u8 = 32;

/// A sample for per-member slot `.0` that every member in service took (`Group::record_in_service`)
/// since the members last changed, kept once for all of them instead of being written to each
/// (a simulation records one every step; writing it to every member was the largest part of
/// the step outside the forecaster and the ledger, issue 20). It is written to the members
/// before anything changes them ([`Roster::bump`]) or records another sample, so the members in
/// service now are the ones that took it.
///
/// Not an `Option`: slot [`NO_BROADCAST`] means none, and every byte is written when the roster
/// is made, so a test of the slot never reads memory that was never written (an optimised
/// build compares an `Option`'s payload before its flag; valgrind flags that in a group built in
/// C's storage).
type Broadcast = (usize, (crate::time::Instant, crate::scaling::Value));

/// [`NONE_KEPT`], for a decoded roster (a decoded roster's samples are written).
const fn no_broadcast() -> Broadcast {
    NONE_KEPT
}

/// The [`Broadcast`] slot that means none is kept.
const NO_BROADCAST: usize = usize::MAX;

/// No [`Broadcast`] kept.
const NONE_KEPT: Broadcast = (
    NO_BROADCAST,
    (
        crate::time::Instant::ZERO,
        crate::scaling::Value::from_milli(0),
    ),
);

/// What [`Roster::counts`] counted at an instant `at` with warm-up `warmup`, as of the
/// members' revision `revision`: members in service, those settled and those warming up
/// ([`Member::settled`], [`Member::warming`]), those launching, and the units counting toward
/// capacity; with `from`, the latest instant at or before `at` at which a member settled, and
/// `next`, the earliest after it at which another one does. A member is settled at `t` when
/// `t` is at or after its settling instant, so every member is on the same side of `t` as of
/// `at` for any `t` from `from` up to (not including) `next`: the counts are still those of any
/// such `t` while the revision and the warm-up stay (the units and the launching members do
/// not depend on the instant at all).
///
/// [`Member::settled`]: super::member::Member::settled
/// [`Member::warming`]: super::member::Member::warming
#[derive(Debug, Clone, Copy)]
pub(super) struct Counts {
    /// Whether the counts were made (false: none kept).
    kept: bool,
    revision: u64,
    warmup: crate::time::Duration,
    /// [`crate::time::Instant::ZERO`] when no member has settled.
    from: crate::time::Instant,
    /// [`crate::time::Instant::MAX`] when no member settles later (not an `Option`, as above).
    next: crate::time::Instant,
    reporting: u32,
    settled: u32,
    /// In service and inside the warm-up.
    pub(super) warming: u32,
    /// Launching ([`super::MemberState::is_pending`]).
    pub(super) pending: u32,
    /// The units of the members counting toward capacity (`Group::counted`), each its weight.
    pub(super) units: u32,
}

impl Counts {
    /// No counts kept.
    const NONE: Self = Self {
        kept: false,
        revision: 0,
        warmup: crate::time::Duration::ZERO,
        from: crate::time::Instant::ZERO,
        next: crate::time::Instant::MAX,
        reporting: 0,
        settled: 0,
        warming: 0,
        pending: 0,
        units: 0,
    };
}

impl Default for Counts {
    fn default() -> Self {
        Self::NONE
    }
}

impl<const N: usize, P: Parts> PartialEq for Roster<N, P> {
    fn eq(&self, other: &Self) -> bool {
        self.members == other.members
            && self.samples.len() == other.samples.len()
            && (0..self.samples.len()).all(|i| self.cell(i) == other.cell(i))
            && self.waits == other.waits
            && self.replaces == other.replaces
    }
}

impl<const N: usize, P: Parts> Eq for Roster<N, P> {}

/// The samples of a roster as [`Roster::cell`] gives them, for `Debug` and the encoding.
struct Cells<'a, const N: usize, P: Parts>(&'a Roster<N, P>);

impl<const N: usize, P: Parts> serde::Serialize for Cells<'_, N, P> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        // As `heapless::Vec` encodes itself: the length, then each entry.
        let mut seq = serializer.serialize_seq(Some(self.0.samples.len()))?;
        for cell in (0..self.0.samples.len()).filter_map(|i| self.0.cell(i)) {
            seq.serialize_element(&cell)?;
        }
        seq.end()
    }
}

impl<const N: usize, P: Parts> core::fmt::Debug for Cells<'_, N, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list()
            .entries((0..self.0.samples.len()).filter_map(|i| self.0.cell(i)))
            .finish()
    }
}

impl<const N: usize, P: Parts> serde::Serialize for Roster<N, P> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The fields the derive wrote, in its order (the revision and the caches skipped).
        let mut s = serializer.serialize_struct("Roster", 4)?;
        s.serialize_field("members", &self.members)?;
        s.serialize_field("samples", &Cells(self))?;
        s.serialize_field("waits", &self.waits)?;
        s.serialize_field("replaces", &self.replaces)?;
        s.end()
    }
}

// The broadcast shows through `samples`, and the counts are a cache: printed as the derive
// printed the roster before either existed.
#[allow(clippy::missing_fields_in_debug)]
impl<const N: usize, P: Parts> core::fmt::Debug for Roster<N, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Roster")
            .field("members", &self.members)
            .field("samples", &Cells(self))
            .field("waits", &self.waits)
            .field("replaces", &self.replaces)
            .field("revision", &self.revision)
            .finish()
    }
}

/// A count of the changes to the members: every way to change them (a mutable slice, adding,
/// removing, a hook wait, a replacement) bumps it, but recording a sample does not. Equal
/// counts mean the members are as they were, so a caller may keep figures computed from them
/// ([`super::Group::revision`]). Always equal to another, like the group's other caches, so a
/// group compares equal to its snapshot whatever it counted.
pub(super) type Revision = super::Cached<u64>;

impl<const N: usize, P: Parts> Deref for Roster<N, P> {
    type Target = [Member];

    fn deref(&self) -> &[Member] {
        &self.members
    }
}

impl<const N: usize, P: Parts> DerefMut for Roster<N, P> {
    fn deref_mut(&mut self) -> &mut [Member] {
        self.bump();
        &mut self.members
    }
}

impl<'a, const N: usize, P: Parts> IntoIterator for &'a Roster<N, P> {
    type Item = &'a Member;
    type IntoIter = core::slice::Iter<'a, Member>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter()
    }
}

impl<'a, const N: usize, P: Parts> IntoIterator for &'a mut Roster<N, P> {
    type Item = &'a mut Member;
    type IntoIter = core::slice::IterMut<'a, Member>;

    fn into_iter(self) -> Self::IntoIter {
        self.bump();
        self.members.iter_mut()
    }
}

impl<const N: usize, P: Parts> Roster<N, P> {
    /// No members.
    pub(super) const fn new() -> Self {
        Self {
            members: heapless::Vec::new(),
            samples: heapless::Vec::new(),
            waits: heapless::Vec::new(),
            replaces: heapless::Vec::new(),
            revision: super::Cached(0),
            broadcast: NONE_KEPT,
            counts: Counts::NONE,
            #[cfg(not(target_os = "none"))]
            survey: Survey {
                kept: false,
                revision: 0,
                kinds: 0,
                units: 0,
                on_demand: 0,
                heaviest: 0,
            },
        }
    }

    /// Counts a change to the members, writing a [`Broadcast`] to them first (the change may
    /// take a member out of service or add one).
    pub(super) fn bump(&mut self) {
        self.flush();
        self.revision.0 = self.revision.0.wrapping_add(1);
    }

    /// Writes the [`Broadcast`], if any, to every member in service.
    fn flush(&mut self) {
        let (slot, sample) = core::mem::replace(&mut self.broadcast, NONE_KEPT);
        if slot == NO_BROADCAST {
            return;
        }
        for (m, cell) in self.members.iter().zip(self.samples.iter_mut()) {
            if m.state == super::MemberState::InService {
                put_sample(cell, slot, sample);
            }
        }
    }

    /// Member `i`'s samples as stored, with the [`Broadcast`] applied if it is in service.
    fn cell(&self, i: usize) -> Option<P::Samples> {
        let mut cell = self.samples.get(i)?.clone();
        let (slot, sample) = self.broadcast;
        if slot != NO_BROADCAST
            && self
                .members
                .get(i)
                .is_some_and(|m| m.state == super::MemberState::InService)
        {
            put_sample(&mut cell, slot, sample);
        }
        Some(cell)
    }

    /// Adds a member with no part state.
    ///
    /// # Errors
    /// The member back when the group is full.
    pub(super) fn push(&mut self, member: Member) -> Result<(), Member> {
        self.bump();
        self.members.push(member)?;
        // The lists have the members' length and capacity, so these cannot fail.
        let _ = self.samples.push(Slot::none());
        let _ = self.waits.push(Slot::none());
        let _ = self.replaces.push(Slot::none());
        Ok(())
    }

    /// Removes member `i` and its part state, keeping the order of the rest.
    pub(super) fn remove(&mut self, i: usize) -> Option<Member> {
        self.bump();
        let _ = crate::fixed::remove(&mut self.samples, i);
        let _ = crate::fixed::remove(&mut self.waits, i);
        let _ = crate::fixed::remove(&mut self.replaces, i);
        crate::fixed::remove(&mut self.members, i)
    }

    /// Keeps the members `keep` accepts, in order, with their part state.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Member) -> bool) {
        self.bump();
        let mut kept = 0usize;
        for i in 0..self.members.len() {
            if !self.members.get(i).is_some_and(&mut keep) {
                continue;
            }
            if kept != i {
                swap(&mut self.members, kept, i);
                swap(&mut self.samples, kept, i);
                swap(&mut self.waits, kept, i);
                swap(&mut self.replaces, kept, i);
            }
            kept = kept.saturating_add(1);
        }
        self.members.truncate(kept);
        self.samples.truncate(kept);
        self.waits.truncate(kept);
        self.replaces.truncate(kept);
    }

    /// Whether the group holds `N` members.
    pub(super) fn is_full(&self) -> bool {
        self.members.is_full()
    }

    /// Removes every member.
    pub(super) fn clear(&mut self) {
        self.bump();
        self.members.clear();
        self.samples.clear();
        self.waits.clear();
        self.replaces.clear();
    }

    /// Member `i`'s hook wait, if it waits on hooks.
    pub(super) fn wait(&self, i: usize) -> Option<&HookWait> {
        self.waits.get(i).and_then(Slot::get)
    }

    /// Member `i`'s hook wait, if it waits on hooks.
    pub(super) fn wait_mut(&mut self, i: usize) -> Option<&mut HookWait> {
        self.bump();
        self.waits.get_mut(i).and_then(Slot::get_mut)
    }

    /// Sets or ends member `i`'s hook wait. A group whose parts keep no hook waits has no
    /// hooks to wait on (`put_lifecycle_hook` refuses them), so nothing is lost.
    pub(super) fn set_wait(&mut self, i: usize, wait: Option<HookWait>) {
        self.bump();
        if let Some(slot) = self.waits.get_mut(i) {
            match wait {
                Some(w) => {
                    let _ = slot.put(w);
                }
                None => slot.clear(),
            }
        }
    }

    /// Whether member `i` waits on hooks.
    pub(super) fn waiting(&self, i: usize) -> bool {
        self.wait(i).is_some()
    }

    /// Member `i`'s newest samples, if the parts keep them and it reported any.
    pub(super) fn samples(&self, i: usize) -> Option<Samples> {
        self.cell(i).and_then(|c| c.get().copied())
    }

    /// Records member `i`'s sample on per-member slot `slot` (nothing when the parts keep no
    /// samples: only the HPA reads them, and such a group has none).
    pub(super) fn set_sample(
        &mut self,
        i: usize,
        slot: usize,
        sample: (crate::time::Instant, crate::scaling::Value),
    ) {
        // A broadcast is older than this sample: written first, so this one stays.
        self.flush();
        let Some(cell) = self.samples.get_mut(i) else {
            return;
        };
        put_sample(cell, slot, sample);
    }

    /// Gives every member in service `sample` on per-member slot `slot` (as
    /// [`Roster::set_sample`] does to each); returns how many members are in service and how
    /// many of them have settled at `at` after `warmup` ([`Member::settled`]).
    ///
    /// The sample is kept once for all of them (a [`Broadcast`]) and the counts are kept while
    /// the members stay and no member settles, so a call that changes no member does not pass
    /// over them: a simulation records one every step (issue 20).
    pub(super) fn sample_in_service(
        &mut self,
        slot: usize,
        sample: (crate::time::Instant, crate::scaling::Value),
        at: crate::time::Instant,
        warmup: crate::time::Duration,
    ) -> (u32, u32) {
        let counts = self.counts(at, warmup);
        // A broadcast on another slot is written first; one on this slot is older and the
        // same members took it, so this one replaces it.
        if self.broadcast.0 != NO_BROADCAST && self.broadcast.0 != slot {
            self.flush();
        }
        self.broadcast = (slot, sample);
        (counts.reporting, counts.settled)
    }

    /// The members' [`Counts`] at `at` with warm-up `warmup`: the kept ones when they still
    /// hold, else from a pass over the members (kept for the next call). Target tracking asks
    /// for them at a step's start and the recorded samples at its middle, so the kept counts
    /// hold back to the last member settled, not only from the instant they were made.
    /// Inlined: the kept counts are the usual answer; the pass stays out of line.
    #[inline]
    pub(super) fn counts(
        &mut self,
        at: crate::time::Instant,
        warmup: crate::time::Duration,
    ) -> Counts {
        #[cfg(test)]
        if REFERENCE.with(core::cell::Cell::get) {
            self.counts = Counts::NONE;
        }
        let c = self.counts;
        if c.kept
            && c.revision == self.revision.0
            && c.warmup == warmup
            && at >= c.from
            && at < c.next
        {
            return c;
        }
        self.recount(at, warmup)
    }

    /// [`Roster::counts`] from a pass over the members, kept for the next call.
    #[inline(never)]
    fn recount(&mut self, at: crate::time::Instant, warmup: crate::time::Duration) -> Counts {
        let revision = self.revision.0;
        let mut c = Counts {
            kept: true,
            revision,
            warmup,
            ..Counts::NONE
        };
        for m in &self.members {
            if m.state.is_pending() {
                c.pending = c.pending.saturating_add(1);
            }
            // As `Group::counted`: a signalled Spot member whose replacement is on its way
            // counts for nothing.
            if m.state.counts_toward_capacity()
                && (m.signal == crate::purchase::SpotSignal::None
                    || !self.replaces.iter().any(|r| r.get() == Some(&m.id)))
            {
                c.units = c.units.saturating_add(u32::from(m.weight));
            }
            if m.state != super::MemberState::InService {
                continue;
            }
            c.reporting = c.reporting.saturating_add(1);
            let Some(t) = m.settles_at(warmup) else {
                continue;
            };
            if at >= t {
                c.settled = c.settled.saturating_add(1);
                c.from = c.from.max(t);
            } else {
                // Not settled at `at`: warming up, and `t` is after `at`.
                c.warming = c.warming.saturating_add(1);
                c.next = c.next.min(t);
            }
        }
        self.counts = c;
        c
    }

    /// The members' [`Survey`]: the kept one while the members stay as they were, else from
    /// a pass over them (kept for the next call). The tests check every kept survey against a
    /// fresh pass, and with [`REFERENCE`] set keep none.
    #[cfg(not(target_os = "none"))]
    #[inline]
    pub(super) fn survey(&mut self) -> Survey {
        #[cfg(test)]
        if REFERENCE.with(core::cell::Cell::get) {
            self.survey.kept = false;
        }
        let s = self.survey;
        if s.kept && s.revision == self.revision.0 {
            #[cfg(test)]
            assert_eq!(s, self.surveyed(), "a kept survey of changed members");
            return s;
        }
        self.survey = self.surveyed();
        self.survey
    }

    /// The kept [`Roster::survey`], if it still holds (none made: a caller with a cheaper
    /// question than a whole survey asks it of the members itself).
    #[cfg(not(target_os = "none"))]
    #[inline]
    pub(super) fn kept_survey(&self) -> Option<Survey> {
        #[cfg(test)]
        if REFERENCE.with(core::cell::Cell::get) {
            return None;
        }
        let s = self.survey;
        (s.kept && s.revision == self.revision.0).then_some(s)
    }

    /// [`Roster::survey`] from a pass over the members.
    #[cfg(not(target_os = "none"))]
    #[inline(never)]
    fn surveyed(&self) -> Survey {
        let mut s = Survey {
            kept: true,
            revision: self.revision.0,
            ..Survey::default()
        };
        for (i, m) in self.members.iter().enumerate() {
            let counted = m.state.counts_toward_capacity();
            let mut kinds = 0u8;
            if self.waiting(i) {
                kinds |= HOLDS_WAITING;
            }
            if super::ec2_marks(m) {
                kinds |= HOLDS_EC2_MARK;
            }
            if m.state.is_warm() {
                kinds |= HOLDS_WARM;
            }
            if counted && m.health == super::Health::Unhealthy {
                kinds |= HOLDS_UNHEALTHY;
            }
            if m.signal != crate::purchase::SpotSignal::None {
                kinds |= HOLDS_SIGNALLED;
            }
            if m.owed != 0 {
                kinds |= HOLDS_OWING;
            }
            s.kinds |= kinds;
            // As `Group::counted`: a signalled Spot member whose replacement is on its way
            // counts for nothing.
            if counted
                && (m.signal == crate::purchase::SpotSignal::None
                    || !self.replaces.iter().any(|r| r.get() == Some(&m.id)))
            {
                s.units = s.units.saturating_add(u32::from(m.weight));
                s.heaviest = s.heaviest.max(u32::from(m.weight).saturating_add(1));
                if m.market == crate::purchase::MarketKind::OnDemand {
                    s.on_demand = s.on_demand.saturating_add(u32::from(m.weight));
                }
            }
        }
        s
    }

    /// The Spot member that member `i` was launched to replace (Capacity Rebalancing).
    pub(super) fn replaces(&self, i: usize) -> Option<InstanceId> {
        self.replaces.get(i).and_then(Slot::get).copied()
    }

    /// Sets or clears what member `i` replaces; false when the parts keep no replacements.
    pub(super) fn set_replaces(&mut self, i: usize, old: Option<InstanceId>) -> bool {
        self.bump();
        let Some(slot) = self.replaces.get_mut(i) else {
            return false;
        };
        if let Some(id) = old {
            slot.put(id).is_ok()
        } else {
            slot.clear();
            true
        }
    }

    /// Whether the lists are in step (each as long as the members): checked on restore.
    pub(super) fn in_step(&self) -> bool {
        let n = self.members.len();
        self.samples.len() == n && self.waits.len() == n && self.replaces.len() == n
    }
}

/// Puts `sample` on slot `slot` of a member's samples (an empty set of samples first if it had
/// none; nothing when the parts keep no samples or the slot is past them).
fn put_sample<S: Slot<Samples>>(
    cell: &mut S,
    slot: usize,
    sample: (crate::time::Instant, crate::scaling::Value),
) {
    if cell.get().is_none() {
        let _ = cell.put([None; super::MEMBER_METRICS]);
    }
    if let Some(s) = cell.get_mut().and_then(|all| all.get_mut(slot)) {
        *s = Some(sample);
    }
}

/// Whether the tests switched the reference ways on ([`REFERENCE`]); never outside the tests.
#[cfg(not(target_os = "none"))]
#[inline]
pub(super) fn reference() -> bool {
    #[cfg(test)]
    return REFERENCE.with(core::cell::Cell::get);
    #[cfg(not(test))]
    false
}

#[cfg(test)]
std::thread_local! {
    /// Set by the tests: keep no counts (every call passes over the members), the reference
    /// the kept counts are held to.
    pub(crate) static REFERENCE: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Swaps entries `a < b` of `list` without a panic path (the firmware's panic-never build
/// refuses `slice::swap`'s bounds check).
fn swap<T>(list: &mut [T], a: usize, b: usize) {
    if let Some((first, rest)) = list.get_mut(a..=b).and_then(<[T]>::split_first_mut)
        && let Some(last) = rest.last_mut()
    {
        core::mem::swap(first, last);
    }
}
