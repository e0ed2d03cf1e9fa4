//! In-place creation and restore: the same groups as `Group::new` and a by-value decoder, and
//! every refused snapshot leaves the group as it was.

// Test arithmetic works on small known numbers.
#![allow(clippy::arithmetic_side_effects)]

use core::mem::MaybeUninit;

use super::super::tests::{G, busy_group, config, group};
use super::*;
use crate::time::Instant;

/// Checks `restore_into` against `restore` for a snapshot of `g`: the same group restored into
/// a fresh group and into `other`, and for altered copies (truncated frames, flipped bytes
/// resealed with a good checksum, cut payloads) the same result, with the target unchanged
/// whenever the snapshot is refused. `stride` thins the byte positions for large snapshots.
///
/// Runs on a thread with a large stack: `Group::restore` in a debug build keeps many copies
/// of the group on the stack (the reason for `restore_into`).
pub(crate) fn check_restore_into<const N: usize, P: Parts>(
    g: &Group<N, P>,
    other: &Group<N, P>,
    stride: usize,
) {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, || check_on_this_thread(g, other, stride))
            .unwrap()
            .join()
            .unwrap();
    });
}

/// The oracle: the whole group decoded by value by its derived `Deserialize` (test builds
/// only), checked as restoring checks it. `Group::restore` itself now decodes in place.
fn by_value<const N: usize, P: Parts>(bytes: &[u8]) -> Result<Group<N, P>, SnapshotError> {
    let payload = snapshot::payload(Group::<N, P>::shape(), bytes)?;
    let group: Group<N, P> = snapshot::decode(payload)?;
    group
        .check_invariants()
        .map(|()| group)
        .map_err(|invariant| SnapshotError::Inconsistent { invariant })
}

fn check_on_this_thread<const N: usize, P: Parts>(
    g: &Group<N, P>,
    other: &Group<N, P>,
    stride: usize,
) {
    let mut buf = vec![0u8; g.snapshot_len().unwrap()];
    let n = g.snapshot(&mut buf).unwrap();
    assert_eq!(n, buf.len());
    let mut target = other.clone();
    target.restore_into(&buf).unwrap();
    assert_eq!(&target, g, "restored over another group");
    let mut fresh = Group::<N, P>::new(config(0, 1, None, &["x"]), 99).unwrap();
    fresh.restore_into(&buf).unwrap();
    assert_eq!(&fresh, g, "restored over a new group");

    let same = |bytes: &[u8], what: &str| {
        let mut target = other.clone();
        match (by_value::<N, P>(bytes), target.restore_into(bytes)) {
            (Ok(v), Ok(())) => assert_eq!(target, v, "{what}"),
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "{what}");
                assert_eq!(&target, other, "{what}: refused, so unchanged");
            }
            (a, b) => panic!("{what}: restore gave {a:?}, restore_into {b:?}"),
        }
    };
    for len in (0..n).step_by(stride) {
        same(&buf[..len], &format!("truncated to {len}"));
    }
    let payload = snapshot::HEADER_LEN..n - snapshot::TRAILER_LEN;
    for at in payload.clone().step_by(stride) {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = buf.clone();
            bad[at] ^= flip;
            snapshot::reseal(&mut bad);
            same(
                &bad,
                &format!("payload byte {at} flipped by {flip:#x}, resealed"),
            );
        }
    }
    for cut in payload.clone().step_by(stride) {
        let mut bad = buf[..cut].to_vec();
        bad.extend_from_slice(&[0; snapshot::TRAILER_LEN]);
        snapshot::reseal(&mut bad);
        same(&bad, &format!("payload cut at {cut}, resealed"));
    }
    // A trailing byte after a whole group.
    let mut long = buf[..payload.end].to_vec();
    long.push(0);
    long.extend_from_slice(&[0; snapshot::TRAILER_LEN]);
    snapshot::reseal(&mut long);
    same(&long, "a byte after the group");
}

#[test]
fn init_builds_what_new_returns() {
    let mut slot = MaybeUninit::<G>::uninit();
    let c = config(1, 8, Some(3), &["a", "b"]);
    let g = G::init(&mut slot, c.clone(), 5).unwrap();
    assert_eq!(*g, G::new(c, 5).unwrap());
    // And it runs like one.
    super::super::tests::settle(g, Instant::ZERO);
    assert_eq!(g.in_service(), 3);
}

#[test]
fn init_refuses_a_bad_configuration() {
    let mut slot = MaybeUninit::<G>::uninit();
    let bad = config(3, 2, None, &["a"]);
    assert_eq!(
        G::init(&mut slot, bad.clone(), 5).map(|g| g.desired()),
        Err(G::new(bad, 5).unwrap_err())
    );
}

#[test]
fn reset_turns_a_busy_group_into_a_new_one() {
    let mut g = busy_group();
    let c = config(2, 6, None, &["c"]);
    g.reset(c.clone(), 42).unwrap();
    assert_eq!(g, G::new(c, 42).unwrap());
    // The tick cache is cleared too: the reset group launches its two members.
    super::super::tests::settle(&mut g, Instant::ZERO);
    assert_eq!(g.in_service(), 2);
}

#[test]
fn reset_with_a_bad_configuration_changes_nothing() {
    let mut g = busy_group();
    let before = g.clone();
    let bad = config(3, 99, None, &["a"]);
    assert_eq!(g.reset(bad.clone(), 1), Err(G::new(bad, 1).unwrap_err()));
    assert_eq!(g, before);
}

#[test]
fn restore_into_matches_restore_and_refusals_change_nothing() {
    check_restore_into(&busy_group(), &group(0, 3, Some(1), &["q"]), 1);
    // Into a group that has things the snapshot does not (the containers are emptied).
    check_restore_into(&group(1, 2, None, &["a"]), &busy_group(), 1);
}

#[test]
fn restore_into_refuses_an_inconsistent_state_unchanged() {
    let other = busy_group();
    let mut bad = busy_group();
    bad.desired = 99;
    let mut duplicate = busy_group();
    let first = duplicate.members[0].clone();
    duplicate.members[1].id = first.id;
    let mut zone = busy_group();
    zone.members[0].zone = 7;
    for (g, what, invariant) in [
        (&bad, "desired", INV_DESIRED),
        (&duplicate, "ids", INV_MEMBERS),
        (&zone, "zone", INV_MEMBERS),
    ] {
        let mut buf = [0u8; 4096];
        let n = g.snapshot(&mut buf).unwrap();
        let mut target = other.clone();
        assert_eq!(
            target.restore_into(&buf[..n]),
            Err(SnapshotError::Inconsistent { invariant }),
            "{what}"
        );
        assert_eq!(target, other, "{what}");
    }
}

#[test]
fn restore_into_refuses_other_capacities_unchanged() {
    let g = busy_group();
    let mut buf = [0u8; 4096];
    let n = g.snapshot(&mut buf).unwrap();
    let mut other = Group::<32, crate::group::AllParts<64, { crate::group::MAX_SCHEDULED }>>::new(
        config(0, 1, None, &["a"]),
        1,
    )
    .unwrap();
    let before = other.clone();
    assert_eq!(
        other.restore_into(&buf[..n]),
        Err(SnapshotError::CapacityMismatch {
            stored: 16,
            capacity: 32
        })
    );
    assert_eq!(other, before);
}
