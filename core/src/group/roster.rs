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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(bound = "")]
pub(super) struct Roster<const N: usize, P: Parts> {
    pub(super) members: heapless::Vec<Member, N>,
    pub(super) samples: heapless::Vec<P::Samples, N>,
    pub(super) waits: heapless::Vec<P::Waits, N>,
    pub(super) replaces: heapless::Vec<P::Replaces, N>,
    /// Bumped by every change to the members (see [`Revision`]); not encoded.
    #[serde(skip)]
    pub(super) revision: Revision,
}

/// A count of the changes to the members: every way to change them (a mutable slice, adding,
/// removing, a hook wait, a replacement) bumps it, but recording a sample does not. Equal
/// counts mean the members are as they were, so a caller may keep figures computed from them
/// ([`super::Group::revision`]). Always equal to another, like the group's other caches, so a
/// group compares equal to its snapshot whatever it counted.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Revision(pub(super) u64);

impl PartialEq for Revision {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Revision {}

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
            revision: Revision(0),
        }
    }

    /// Counts a change to the members.
    pub(super) fn bump(&mut self) {
        self.revision.0 = self.revision.0.wrapping_add(1);
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
    pub(super) fn samples(&self, i: usize) -> Option<&Samples> {
        self.samples.get(i).and_then(Slot::get)
    }

    /// Records member `i`'s sample on per-member slot `slot` (nothing when the parts keep no
    /// samples: only the HPA reads them, and such a group has none).
    pub(super) fn set_sample(
        &mut self,
        i: usize,
        slot: usize,
        sample: (crate::time::Instant, crate::scaling::Value),
    ) {
        let Some(cell) = self.samples.get_mut(i) else {
            return;
        };
        if cell.get().is_none() {
            let _ = cell.put([None; super::MEMBER_METRICS]);
        }
        if let Some(s) = cell.get_mut().and_then(|all| all.get_mut(slot)) {
            *s = Some(sample);
        }
    }

    /// Gives every member in service `sample` on per-member slot `slot` (as
    /// [`Roster::set_sample`] does to each), in one pass over the members beside their samples;
    /// returns how many members are in service and how many of them `settled` accepts.
    ///
    /// The members and their samples are walked together, with no lookup by index: a
    /// simulation gives every member in service its sample every step, and the pass by index
    /// (a bounds check and a look at the slot per member) was 6 % of the taxi run's
    /// instructions, more than the rest of the step's own work (issue 20).
    pub(super) fn sample_in_service(
        &mut self,
        slot: usize,
        sample: (crate::time::Instant, crate::scaling::Value),
        settled: impl Fn(&Member) -> bool,
    ) -> (u32, u32) {
        let (mut reporting, mut ready) = (0u32, 0u32);
        // A slot past the samples' length is written to no member, as `set_sample` does.
        let slot = (slot < super::MEMBER_METRICS).then_some(slot);
        for (m, cell) in self.members.iter().zip(self.samples.iter_mut()) {
            if m.state != super::MemberState::InService {
                continue;
            }
            reporting = reporting.saturating_add(1);
            if settled(m) {
                ready = ready.saturating_add(1);
            }
            let Some(slot) = slot else { continue };
            if cell.get().is_none() {
                let _ = cell.put([None; super::MEMBER_METRICS]);
            }
            if let Some(s) = cell.get_mut().and_then(|all| all.get_mut(slot)) {
                *s = Some(sample);
            }
        }
        (reporting, ready)
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

/// Swaps entries `a < b` of `list` without a panic path (the firmware's panic-never build
/// refuses `slice::swap`'s bounds check).
fn swap<T>(list: &mut [T], a: usize, b: usize) {
    if let Some((first, rest)) = list.get_mut(a..=b).and_then(<[T]>::split_first_mut)
        && let Some(last) = rest.last_mut()
    {
        core::mem::swap(first, last);
    }
}
