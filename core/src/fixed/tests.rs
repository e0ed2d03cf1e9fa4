use super::*;
use crate::test_prelude::Vec;
use proptest::prelude::*;

#[test]
fn sorts_short_slices() {
    let mut empty: [u8; 0] = [];
    sort_by(&mut empty, Ord::cmp);
    let mut one = [7];
    sort_by(&mut one, Ord::cmp);
    assert_eq!(one, [7]);
    let mut v = [5, 1, 4, 1, 3];
    sort_by(&mut v, Ord::cmp);
    assert_eq!(v, [1, 1, 3, 4, 5]);
    sort_by_key(&mut v, |&x| core::cmp::Reverse(x));
    assert_eq!(v, [5, 4, 3, 1, 1]);
}

#[test]
fn sort_is_stable() {
    let mut v = [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')];
    sort_by_key(&mut v, |p| p.0);
    assert_eq!(v, [(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
}

/// An "order" that answers less and greater by turns, whatever it is asked.
fn inconsistent() -> impl FnMut(&i32, &i32) -> Ordering {
    let mut flip = false;
    move |_, _| {
        flip = !flip;
        if flip {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    }
}

#[test]
fn an_inconsistent_order_leaves_a_permutation() {
    // `sort_unstable_by` may panic on such an order; this sort must not.
    let mut v = [3, 1, 2, 5, 4];
    sort_by(&mut v, inconsistent());
    let mut sorted = v;
    sorted.sort_unstable();
    assert_eq!(sorted, [1, 2, 3, 4, 5]);
}

#[test]
fn remove_in_and_out_of_range() {
    let mut v: heapless::Vec<u8, 4> = heapless::Vec::from_slice(&[1, 2, 3]).unwrap();
    assert_eq!(remove(&mut v, 3), None);
    assert_eq!(v.as_slice(), [1, 2, 3]);
    assert_eq!(remove(&mut v, 1), Some(2));
    assert_eq!(v.as_slice(), [1, 3]);
}

#[test]
fn clamp_bounds_and_an_empty_range() {
    assert_eq!(clamp(5, 1, 3), 3);
    assert_eq!(clamp(0, 1, 3), 1);
    assert_eq!(clamp(2, 1, 3), 2);
    // `Ord::clamp` would panic here.
    assert_eq!(clamp(2, 4, 3), 3);
}

#[test]
fn heap_sort_survives_an_inconsistent_order() {
    let mut v = [3, 1, 2, 5, 4];
    heap_sort_by(&mut v, inconsistent());
    let mut sorted = v;
    sorted.sort_unstable();
    assert_eq!(sorted, [1, 2, 3, 4, 5]);
}

#[test]
fn alive_counts_finds_and_removes() {
    let mut a: Alive<8> = Alive::full(6);
    assert_eq!(a.before(6), 6);
    assert_eq!(a.nth(5), Some(5));
    assert_eq!(a.nth(6), None);
    a.remove(2);
    a.remove(0);
    assert_eq!(a.before(3), 1);
    assert_eq!(a.nth(0), Some(1));
    assert_eq!(a.nth(1), Some(3));
    assert_eq!(a.nth(3), Some(5));
    assert_eq!(a.nth(4), None);
    let empty: Alive<8> = Alive::full(0);
    assert_eq!(empty.nth(0), None);
}

proptest! {
    #[test]
    fn heap_sort_sorts(mut v in proptest::collection::vec(any::<u16>(), 0..200)) {
        let mut want = v.clone();
        want.sort_unstable();
        heap_sort_by(&mut v, Ord::cmp);
        prop_assert_eq!(v, want);
    }

    #[test]
    fn alive_is_a_sorted_set(len in 0usize..100, gone in proptest::collection::vec(any::<prop::sample::Index>(), 0..100)) {
        let mut a: Alive<100> = Alive::full(len);
        let mut model: Vec<usize> = (0..len).collect();
        for g in gone {
            if model.is_empty() { break; }
            let pos = model.remove(g.index(model.len()));
            a.remove(pos);
        }
        for (r, &p) in model.iter().enumerate() {
            prop_assert_eq!(a.nth(r), Some(p));
            prop_assert_eq!(a.before(p), r);
        }
        prop_assert_eq!(a.nth(model.len()), None);
    }

    #[test]
    fn sorts_like_the_standard_stable_sort(mut v in proptest::collection::vec((0u8..8, any::<u8>()), 0..40)) {
        let mut want: Vec<(u8, u8)> = v.clone();
        want.sort_by_key(|p| p.0);
        sort_by_key(&mut v, |p| p.0);
        prop_assert_eq!(v, want);
    }

    #[test]
    fn clamp_matches_ord_clamp(n: i32, a: i32, b: i32) {
        let (min, max) = (a.min(b), a.max(b));
        prop_assert_eq!(clamp(n, min, max), n.clamp(min, max));
    }
}
