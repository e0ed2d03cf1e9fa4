//! Panic-free stand-ins for the few `core` and `heapless` calls that keep a panic path the
//! optimiser cannot remove, so the release firmware links with a handler that refuses panics
//! (core/firmware's `panic-never` build, see its README).
//!
//! - `[T]::sort_unstable*` panics when the comparison is not a total order, a check the
//!   optimiser keeps for any comparison it cannot see through: [`sort_by`] is an insertion sort
//!   with no such path (the slices sorted here hold at most a few dozen items).
//! - `heapless::Vec::remove` asserts that the index is in range, which the optimiser only drops
//!   when the check sits right before the call: [`remove`] puts it there.
//! - `Ord::clamp` panics when `min > max`: [`clamp`] answers `max` instead.
//!
//! Two helpers keep scale-in at O(N log N) for a group of thousands (`Group::pick_victims`):
//! [`heap_sort_by`], unstable and in place, and [`Alive`], the members not yet picked with the
//! r-th of them found and removed in O(log N).

use core::cmp::Ordering;

#[cfg(test)]
mod tests;

/// Sorts `v` by `cmp`, stably, by insertion: for a total order the result is the one
/// `sort_unstable_by` gives, without its panic on an inconsistent order. Quadratic: only for
/// the short fixed-capacity vectors of the core.
pub(crate) fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for end in 1..v.len() {
        let mut j = end;
        // Moves the item at `end` down while it is smaller than the one before it.
        while let Some(i) = j.checked_sub(1) {
            match v.get_mut(i..) {
                Some([a, b, ..]) if cmp(b, a) == Ordering::Less => core::mem::swap(a, b),
                _ => break,
            }
            j = i;
        }
    }
}

/// [`sort_by`] on a key.
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Removes the item at `index`, shifting the rest down; `None` when `index` is out of range.
pub(crate) fn remove<T, const N: usize>(v: &mut heapless::Vec<T, N>, index: usize) -> Option<T> {
    (index < v.len()).then(|| v.remove(index))
}

/// `n` bounded to `[min, max]`; `max` when `min > max` (where `Ord::clamp` panics).
pub(crate) fn clamp<T: Ord>(n: T, min: T, max: T) -> T {
    n.max(min).min(max)
}

/// Sorts `v` by `cmp`, in place and unstably, in O(n log n) whatever the order: a heapsort
/// written without indexing, so no comparison (consistent or not) can reach a panic.
pub(crate) fn heap_sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let len = v.len();
    for root in (0..len / 2).rev() {
        sift_down(v, root, len, &mut cmp);
    }
    for end in (1..len).rev() {
        swap(v, 0, end);
        sift_down(v, 0, end, &mut cmp);
    }
}

fn sift_down<T>(
    v: &mut [T],
    mut root: usize,
    end: usize,
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    loop {
        let left = root.saturating_mul(2).saturating_add(1);
        if left >= end {
            return;
        }
        let right = left.saturating_add(1);
        let larger = match (v.get(left), v.get(right)) {
            (Some(l), Some(r)) if right < end && cmp(l, r) == Ordering::Less => right,
            _ => left,
        };
        match (v.get(root), v.get(larger)) {
            (Some(a), Some(b)) if cmp(a, b) == Ordering::Less => swap(v, root, larger),
            _ => return,
        }
        root = larger;
    }
}

/// Swaps items `a < b`; nothing when either is out of range.
fn swap<T>(v: &mut [T], a: usize, b: usize) {
    if let Some((head, tail)) = v.split_at_mut_checked(b)
        && let (Some(x), Some(y)) = (head.get_mut(a), tail.first_mut())
    {
        core::mem::swap(x, y);
    }
}

/// The positions `0..len` of a sorted list that are still present, as a Fenwick tree of
/// counts: how many are present before a position, and which is the r-th present, each in
/// O(log len). Holds at most `N` positions (and `N` ≤ 65,535).
pub(crate) struct Alive<const N: usize> {
    tree: heapless::Vec<u16, N>,
}

impl<const N: usize> Alive<N> {
    /// `len` positions (at most `N`), all present.
    pub fn full(len: usize) -> Self {
        let mut tree = heapless::Vec::new();
        for i in 1..=len.min(N) {
            // A full tree's node i counts the lowest set bit of i positions.
            let _ = tree.push(u16::try_from(i & i.wrapping_neg()).unwrap_or(u16::MAX));
        }
        Self { tree }
    }

    /// How many positions before `pos` are present.
    pub fn before(&self, pos: usize) -> usize {
        let (mut i, mut n) = (pos.min(self.tree.len()), 0usize);
        while i > 0 {
            let below = i.wrapping_sub(1);
            n = n.saturating_add(usize::from(self.tree.get(below).copied().unwrap_or(0)));
            i &= below;
        }
        n
    }

    /// The position of the `r`-th present one (from 0), if there are more than `r`.
    pub fn nth(&self, r: usize) -> Option<usize> {
        let len = self.tree.len();
        let (mut pos, mut left) = (0usize, r.saturating_add(1));
        // The highest power of two not above `len` (0 for an empty tree).
        let mut step = usize::MAX
            .checked_shr(len.leading_zeros())
            .map_or(0, |m| m ^ m.wrapping_shr(1));
        while step > 0 {
            let next = pos.saturating_add(step);
            if let Some(&c) = self.tree.get(next.wrapping_sub(1))
                && next <= len
                && usize::from(c) < left
            {
                pos = next;
                left = left.saturating_sub(usize::from(c));
            }
            step /= 2;
        }
        (pos < len && left == 1).then_some(pos)
    }

    /// Marks `pos` gone (it must be present).
    pub fn remove(&mut self, pos: usize) {
        let mut i = pos.saturating_add(1);
        while let Some(c) = self.tree.get_mut(i.wrapping_sub(1)) {
            *c = c.saturating_sub(1);
            i = i.saturating_add(i & i.wrapping_neg());
        }
    }
}
