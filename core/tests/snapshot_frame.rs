//! Issue 19, item 4: a snapshot may be read from a larger buffer (a flash sector). The frame
//! says how long it is (`snapshot` module docs); bytes after it are not read, and every restore
//! path gives the group it would give for the frame alone.

use fleetcore::Instant;
use fleetcore::group::{Action, Group, GroupConfig, Lean};
use fleetcore::id::TemplateId;
use fleetcore::snapshot::{HEADER_LEN, SnapshotError, TRAILER_LEN};

type Board = Lean<8, 0, 1, 1, 0>;

fn config() -> GroupConfig {
    let mut c = GroupConfig::new(1, 6, TemplateId::from_u64(1), "rack-a").unwrap();
    c.add_zone("rack-b").unwrap();
    c.desired_capacity = Some(3);
    c
}

/// A group with members and owed actions, so the payload is not trivial.
fn busy<P: fleetcore::group::Parts>() -> Box<Group<8, P>> {
    let mut g = Box::new(Group::<8, P>::new(config(), 7).unwrap());
    g.decide(Instant::from_secs(5));
    let mut out = [Action::Start {
        id: fleetcore::id::InstanceId::from_u64(0),
    }; 1];
    assert_eq!(g.drain(&mut out), 1);
    g
}

/// What may follow a frame in a sector.
fn tails(frame: &[u8]) -> Vec<Vec<u8>> {
    vec![
        vec![0xFF; 4096],
        vec![0; 1],
        b"FLTC".to_vec(),
        frame.to_vec(),
        (0..=255u8).cycle().take(3000).collect(),
    ]
}

fn check<P: fleetcore::group::Parts>() {
    let g = busy::<P>();
    let mut frame = vec![0u8; g.snapshot_len().unwrap()];
    let len = g.snapshot(&mut frame).unwrap();
    assert_eq!(len, frame.len());
    // The documented length: header + payload length (bytes 16..20) + trailer.
    let p = u32::from_le_bytes(frame[16..20].try_into().unwrap()) as usize;
    assert_eq!(HEADER_LEN + p + TRAILER_LEN, len);
    let alone = Group::<8, P>::restore(&frame).unwrap();
    assert_eq!(&alone, &*g);
    for tail in tails(&frame) {
        let mut sector = frame.clone();
        sector.extend_from_slice(&tail);
        assert_eq!(Group::<8, P>::restore(&sector).as_ref(), Ok(&*g));
        let mut into = Box::new(Group::<8, P>::new(config(), 99).unwrap());
        into.restore_into(&sector).unwrap();
        assert_eq!(&*into, &*g);
    }
    // A frame cut short is still refused, by either path, and leaves the group as it was.
    let short = &frame[..len - 1];
    assert_eq!(Group::<8, P>::restore(short), Err(SnapshotError::Truncated));
    let mut into = Box::new(Group::<8, P>::new(config(), 99).unwrap());
    let before = into.clone();
    assert_eq!(into.restore_into(short), Err(SnapshotError::Truncated));
    assert_eq!(into, before);
}

#[test]
fn a_full_group_restores_from_a_larger_buffer() {
    // Restoring by value keeps copies of a full group on the stack.
    std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(check::<fleetcore::group::Full>)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_lean_group_restores_from_a_larger_buffer() {
    check::<Board>();
}
