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
