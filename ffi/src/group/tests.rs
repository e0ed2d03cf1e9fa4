//! The group through its C functions, called from Rust. The C suite (`tests/c/test_group.c`)
//! covers every function and error path; these check the layout promises, the conversions
//! and what only Rust can see (untouched outputs, every core value mapped).

use core::mem::MaybeUninit;
use core::ptr::{null, null_mut};

use fleetcore::group::{ActionKind, EventKind, HookTransition, MemberState};

use super::*;

/// Heap storage for an `fc_group`, used only through raw pointers (after init its padding is
/// uninitialised, so it is never read as bytes from Rust).
struct Storage(Box<MaybeUninit<fc_group>>);

impl Storage {
    fn mut_ptr(&mut self) -> *mut fc_group {
        self.0.as_mut_ptr()
    }

    fn ptr(&self) -> *const fc_group {
        self.0.as_ptr()
    }
}

fn group(min: u32, max: u32, desired: i64) -> Storage {
    let mut c = MaybeUninit::<fc_group_config>::uninit();
    // SAFETY: valid out-pointer.
    let status = unsafe { fc_group_config_default(c.as_mut_ptr()) };
    assert_eq!(status, fc_status::Ok);
    // SAFETY: written on success.
    let mut c = unsafe { c.assume_init() };
    c.min_size = min;
    c.max_size = max;
    c.desired_capacity = desired;
    c.zones = c"a,b".as_ptr();
    c.template_id = c"lt-0123456789abcdef0".as_ptr();
    c.template_version = 2;
    let mut mem = Storage(Box::new_uninit());
    // SAFETY: writable storage and a valid configuration.
    let status = unsafe { fc_group_init(mem.mut_ptr(), &raw const c) };
    assert_eq!(status, fc_status::Ok);
    mem
}

fn tick(g: &mut Storage, now: u64, cap: usize) -> Vec<fc_group_action> {
    let mut out = vec![MaybeUninit::<fc_group_action>::uninit(); cap];
    let mut n = usize::MAX;
    // SAFETY: `out` has room for `cap` actions.
    let status =
        unsafe { fc_group_tick(g.mut_ptr(), now, out.as_mut_ptr().cast(), cap, &raw mut n) };
    assert_eq!(status, fc_status::Ok);
    // SAFETY: the first `n` were written.
    out[..n]
        .iter()
        .map(|a| unsafe { a.assume_init() })
        .collect()
}

#[test]
fn storage_sizes() {
    println!(
        "fc_group: {} bytes, GroupCell {} bytes, core group {} bytes, align {}",
        size_of::<fc_group>(),
        size_of::<GroupCell>(),
        size_of::<CoreGroup>(),
        align_of::<GroupCell>()
    );
    println!(
        "full group {} bytes (storage 65536), lean group {} bytes (storage 24576)",
        size_of::<Group<FC_GROUP_MAX_MEMBERS, FullParts>>(),
        size_of::<Group<FC_GROUP_MAX_MEMBERS, LeanParts>>()
    );
    assert!(size_of::<GroupCell>() <= FC_GROUP_SIZE);
}

#[test]
fn small_buffers_get_the_rest_later_and_big_ones_everything_at_once() {
    for cap in [1, 3, 16, 17, 40] {
        let mut g = group(0, 40, 37);
        let mut seen = Vec::new();
        for _ in 0..40 {
            let batch = tick(&mut g, 1000, cap);
            assert!(batch.len() <= cap);
            if batch.is_empty() {
                break;
            }
            seen.extend(batch);
        }
        assert_eq!(seen.len(), 37, "cap {cap}");
        let mut ids: Vec<_> = seen.iter().map(|a| a.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 37, "no action twice");
        assert!(seen.iter().all(|a| a.kind == ActionKind::Launch.number()));
        assert!(seen.iter().all(|a| a.version == 2));
    }
}

#[test]
fn actions_round_trip_for_every_kind() {
    let id = InstanceId::from_u64(9);
    let template = TemplateId::from_u64(3);
    let actions = [
        Action::Launch {
            id,
            zone: 1,
            template,
            version: 4,
            market: fleetcore::purchase::MarketKind::OnDemand,
            instance_type: 0,
        },
        Action::Launch {
            id,
            zone: 0,
            template,
            version: 4,
            market: fleetcore::purchase::MarketKind::Spot,
            instance_type: 3,
        },
        Action::Terminate { id },
        Action::Start { id },
        Action::Stop {
            id,
            hibernate: true,
        },
        Action::NotifyHook {
            id,
            hook: 2,
            transition: HookTransition::Launching,
        },
    ];
    for a in actions {
        let c = fc_group_action::from_core(&a);
        assert_eq!(c.to_core(), Ok(a));
    }
}

#[test]
fn every_member_state_has_a_number() {
    use fleetcore::group::MemberState as S;
    let all = [
        S::Pending,
        S::PendingWait,
        S::PendingProceed,
        S::InService,
        S::EnteringStandby,
        S::Standby,
        S::Terminating,
        S::TerminatingWait,
        S::TerminatingProceed,
        S::Terminated,
        S::Detaching,
        S::Detached,
        S::WarmedPending,
        S::WarmedPendingWait,
        S::WarmedPendingProceed,
        S::WarmedStopped,
        S::WarmedRunning,
        S::WarmedHibernated,
        S::WarmedTerminating,
        S::WarmedTerminatingWait,
        S::WarmedTerminatingProceed,
        S::WarmedTerminated,
    ];
    for (i, s) in all.into_iter().enumerate() {
        assert_eq!(s.number() as usize, i + 1, "{s}");
    }
}

#[test]
fn outputs_are_untouched_and_the_group_unchanged_on_error() {
    let mut g = group(1, 4, -1);
    let mut info = MaybeUninit::<fc_group_info>::uninit();
    // SAFETY: valid or NULL pointers only.
    unsafe {
        assert_eq!(
            fc_group_set_desired(g.mut_ptr(), 0, 9, false),
            fc_status::DesiredAboveMax
        );
        assert_eq!(
            fc_group_get_info(null(), info.as_mut_ptr()),
            fc_status::NullArgument
        );
        assert_eq!(fc_group_get_info(g.ptr(), info.as_mut_ptr()), fc_status::Ok);
        let info = info.assume_init();
        assert_eq!((info.desired, info.min_size, info.max_size), (1, 1, 4));
        assert_eq!(info.member_count, 0);
        assert_eq!(info.by_state, [0; FC_MEMBER_STATE_SLOTS]);
        let mut actions = [MaybeUninit::<fc_group_action>::uninit(); 2];
        let mut n = 5usize;
        assert_eq!(
            fc_group_tick(g.mut_ptr(), 0, actions.as_mut_ptr().cast(), 0, &raw mut n),
            fc_status::BufferTooSmall
        );
        assert_eq!(
            fc_group_tick(g.mut_ptr(), 0, null_mut(), 2, &raw mut n),
            fc_status::NullArgument
        );
        assert_eq!(n, 5);
        // Misaligned storage is refused before it is read.
        let words = [0u64; 2];
        let odd = words.as_ptr().wrapping_byte_add(1).cast::<fc_group>();
        let mut info = MaybeUninit::<fc_group_info>::uninit();
        assert_eq!(
            fc_group_get_info(odd, info.as_mut_ptr()),
            fc_status::MisalignedArgument
        );
    }
}

#[test]
fn optional_values_take_minus_one_only() {
    assert_eq!(optional(-1), Ok(None));
    assert_eq!(optional(0), Ok(Some(0)));
    assert_eq!(optional(-2), Err(fc_status::GroupOutOfRange));
    assert_eq!(optional_u32(1 << 32), Err(fc_status::GroupOutOfRange));
    assert_eq!(optional_u32(i64::from(u32::MAX)), Ok(Some(u32::MAX)));
}

#[test]
fn a_launch_says_its_market_and_type_and_a_bad_market_is_refused() {
    let spot = Action::Launch {
        id: InstanceId::from_u64(9),
        zone: 1,
        template: TemplateId::from_u64(3),
        version: 4,
        market: fleetcore::purchase::MarketKind::Spot,
        instance_type: 2,
    };
    let c = fc_group_action::from_core(&spot);
    assert_eq!(
        (c.market, c.instance_type),
        (fleetcore::purchase::MarketKind::Spot.number(), 2)
    );
    let bad = fc_group_action { market: 2, ..c };
    assert_eq!(bad.to_core(), Err(fc_status::InvalidEnumValue));
    // Actions that are not launches leave both zero.
    let t = fc_group_action::from_core(&Action::Terminate {
        id: InstanceId::from_u64(9),
    });
    assert_eq!((t.market, t.instance_type), (0, 0));
}

/// A group over zones a,b priced with m5.large (0.096/h) and c5.large (0.085/h), Spot pools
/// in both zones, and a mixed-instances policy of `base` / `percent` with Capacity
/// Rebalancing.
fn mixed_group(max: u32, base: u32, percent: u8) -> Storage {
    let mut g = group(0, max, 0);
    let types = [
        fc_priced_type {
            name: c"m5.large".as_ptr(),
            on_demand_micros: 96_000,
        },
        fc_priced_type {
            name: c"c5.large".as_ptr(),
            on_demand_micros: 85_000,
        },
    ];
    let pools: Vec<fc_spot_pool> = (0..2)
        .flat_map(|zone| {
            [
                fc_spot_pool {
                    instance_type: 0,
                    zone,
                    price_micros: 35_000,
                    capacity: 20,
                },
                fc_spot_pool {
                    instance_type: 1,
                    zone,
                    price_micros: 30_000,
                    capacity: 10,
                },
            ]
        })
        .collect();
    let overrides = [
        fc_override {
            instance_type: 0,
            weight: 1,
        },
        fc_override {
            instance_type: 1,
            weight: 1,
        },
    ];
    let mut p = MaybeUninit::<fc_mixed_instances>::uninit();
    // SAFETY: valid pointers and counts throughout.
    unsafe {
        assert_eq!(
            fc_group_set_prices(g.mut_ptr(), 0, types.as_ptr(), 2, pools.as_ptr(), 4, 0),
            fc_status::Ok
        );
        assert_eq!(fc_mixed_instances_default(p.as_mut_ptr()), fc_status::Ok);
        let mut p = p.assume_init();
        p.on_demand_base = base;
        p.on_demand_percent = percent;
        p.spot_strategy = fleetcore::purchase::SpotStrategy::PriceCapacityOptimized.number();
        p.overrides = overrides.as_ptr();
        p.override_count = 2;
        p.capacity_rebalance = true;
        assert_eq!(
            fc_group_set_mixed_instances(g.mut_ptr(), &raw const p),
            fc_status::Ok
        );
    }
    g
}

/// Ticks and boots every launch at `now`.
fn boot_all(g: &mut Storage, now: u64) {
    for _ in 0..8 {
        let actions = tick(g, now, 64);
        if actions.is_empty() {
            return;
        }
        for a in actions {
            let kind = if a.kind == ActionKind::Terminate.number() {
                EventKind::Terminated
            } else {
                EventKind::Booted
            };
            let e = fc_group_event {
                kind: kind.number(),
                id: a.id,
                ec2_state: 0,
                health_source: 0,
                hook: 0,
                hook_result: 0,
            };
            // SAFETY: valid pointers.
            let status = unsafe { fc_group_observe(g.mut_ptr(), now, &raw const e) };
            assert_eq!(status, fc_status::Ok);
        }
    }
}

fn units(g: &Storage) -> (u32, u32) {
    let info = info_of(g);
    (info.on_demand_units, info.spot_units)
}

#[test]
#[cfg_attr(
    feature = "lean-group",
    ignore = "a lean group stores no price ledger or mixed-instances policy"
)]
fn the_split_and_the_ledger_through_the_c_functions() {
    let mut g = mixed_group(64, 1, 0);
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(
            fc_group_set_desired(g.mut_ptr(), 0, 2, false),
            fc_status::Ok
        );
    }
    boot_all(&mut g, 0);
    assert_eq!(units(&g), (1, 1));
    let mut spend = MaybeUninit::<fc_spend>::uninit();
    // SAFETY: valid pointers.
    let spend = unsafe {
        assert_eq!(
            fc_group_settle(g.mut_ptr(), 3_600_000, spend.as_mut_ptr()),
            fc_status::Ok
        );
        spend.assume_init()
    };
    // One On-Demand m5.large and one Spot c5.large (cheapest deep pool) for an hour.
    assert_eq!(spend.on_demand_micros, 96_000);
    assert_eq!(spend.spot_micros, 30_000);
    assert_eq!(
        spend.total_exact,
        (96_000 + 30_000) * FC_MONEY_EXACT_PER_MICRO
    );
    assert_eq!((spend.on_demand_secs, spend.spot_secs), (3600, 3600));
    assert_eq!(spend.coverage_permille, 0);
    assert_eq!(spend.utilisation_permille, -1);
    assert_eq!(
        spend.spot_exact.div_ceil(FC_MONEY_EXACT_PER_MICRO),
        spend.spot_micros
    );
}

#[test]
#[cfg_attr(
    feature = "lean-group",
    ignore = "a lean group stores no price ledger or mixed-instances policy"
)]
fn members_report_market_type_weight_signal_and_replacement() {
    let mut g = mixed_group(64, 0, 0);
    // SAFETY: valid pointers throughout.
    unsafe {
        assert_eq!(
            fc_group_set_desired(g.mut_ptr(), 0, 2, false),
            fc_status::Ok
        );
        boot_all(&mut g, 0);
        let mut m = MaybeUninit::<fc_group_member>::uninit();
        assert_eq!(
            fc_group_member_at(g.ptr(), 0, m.as_mut_ptr()),
            fc_status::Ok
        );
        let old = m.assume_init();
        assert_eq!(old.market, fleetcore::purchase::MarketKind::Spot.number());
        assert_eq!((old.weight, old.has_replaces), (1, false));
        assert_eq!(old.replaces, NO_ID);
        let e = fc_group_event {
            kind: EventKind::SpotInterruption.number(),
            id: old.id,
            ec2_state: 0,
            health_source: 0,
            hook: 0,
            hook_result: 0,
        };
        assert_eq!(
            fc_group_observe(g.mut_ptr(), 60_000, &raw const e),
            fc_status::Ok
        );
        let launches = tick(&mut g, 60_000, 16);
        assert_eq!(launches.len(), 1);
        assert_eq!(
            launches[0].market,
            fleetcore::purchase::MarketKind::Spot.number()
        );
        assert_eq!(
            fc_group_member_at(g.ptr(), 0, m.as_mut_ptr()),
            fc_status::Ok
        );
        assert_eq!(
            m.assume_init().spot_signal,
            fleetcore::purchase::SpotSignal::Notice.number()
        );
        assert_eq!(
            fc_group_member_at(g.ptr(), 2, m.as_mut_ptr()),
            fc_status::Ok
        );
        let fresh = m.assume_init();
        assert!(fresh.has_replaces);
        assert_eq!(fresh.replaces, old.id);
    }
}

#[test]
fn purchasing_errors_map_to_their_statuses() {
    let mut g = group(0, 4, 0);
    let mut spend = MaybeUninit::<fc_spend>::uninit();
    // SAFETY: valid or NULL pointers only.
    unsafe {
        assert_eq!(
            fc_group_settle(g.mut_ptr(), 0, spend.as_mut_ptr()),
            fc_status::NoPrices
        );
        let bad = [fc_priced_type {
            name: c"m5.huge".as_ptr(),
            on_demand_micros: 1,
        }];
        assert_eq!(
            fc_group_set_prices(g.mut_ptr(), 0, bad.as_ptr(), 1, null(), 0, 0),
            fc_status::UnknownInstanceType
        );
        assert_eq!(
            fc_group_set_prices(g.mut_ptr(), 0, null(), 1, null(), 0, 0),
            fc_status::NullArgument
        );
        assert_eq!(
            fc_group_set_prices(g.mut_ptr(), 0, null(), 0, null(), 0, 2),
            fc_status::InvalidEnumValue
        );
        assert_eq!(
            fc_group_set_spot_price(g.mut_ptr(), 0, 0, 0, 1),
            fc_status::NoPrices
        );
    }
}

/// The snapshot of the group in `g`, as bytes.
fn snapshot_of(g: &Storage) -> Vec<u8> {
    let mut buf = vec![0u8; 65536];
    let mut n = 0usize;
    // SAFETY: an initialised group and a buffer of `buf.len()` bytes.
    let status = unsafe { fc_group_snapshot(g.ptr(), buf.as_mut_ptr(), buf.len(), &raw mut n) };
    assert_eq!(status, fc_status::Ok);
    buf.truncate(n);
    buf
}

/// Storage whose every byte is `fill`: never initialised, whatever it holds.
fn garbage(fill: u8) -> Storage {
    let mut mem = Storage(Box::new_uninit());
    // SAFETY: the box holds `size_of::<fc_group>()` writable bytes.
    unsafe {
        mem.mut_ptr()
            .cast::<u8>()
            .write_bytes(fill, size_of::<fc_group>());
    }
    mem
}

#[test]
fn init_over_a_live_group_is_a_new_group() {
    let fresh = group(1, 4, 2);
    let mut g = group(0, 6, 5);
    boot_all(&mut g, 0);
    assert_ne!(snapshot_of(&g), snapshot_of(&fresh));
    // The same configuration as `group(1, 4, 2)`, over the live group and over garbage.
    for mem in [&mut g, &mut garbage(0xa5), &mut garbage(0)] {
        let mut c = MaybeUninit::<fc_group_config>::uninit();
        // SAFETY: valid out-pointer; then written on success.
        let mut c = unsafe {
            assert_eq!(fc_group_config_default(c.as_mut_ptr()), fc_status::Ok);
            c.assume_init()
        };
        (c.min_size, c.max_size, c.desired_capacity) = (1, 4, 2);
        c.zones = c"a,b".as_ptr();
        c.template_id = c"lt-0123456789abcdef0".as_ptr();
        c.template_version = 2;
        // SAFETY: writable storage and a valid configuration.
        let status = unsafe { fc_group_init(mem.mut_ptr(), &raw const c) };
        assert_eq!(status, fc_status::Ok);
        assert_eq!(snapshot_of(mem), snapshot_of(&fresh));
    }
}

#[test]
fn restore_reads_a_snapshot_at_the_start_of_a_larger_buffer() {
    let mut g = group(0, 6, 4);
    boot_all(&mut g, 0);
    let good = snapshot_of(&g);
    for tail in [vec![0xFFu8; 4096], vec![0u8; 1], good.clone()] {
        let mut sector = good.clone();
        sector.extend_from_slice(&tail);
        let mut into = garbage(0);
        // SAFETY: storage of the right size, a buffer of its length.
        let status = unsafe { fc_group_restore(into.mut_ptr(), sector.as_ptr(), sector.len(), 2) };
        assert_eq!(status, fc_status::Ok);
        assert_eq!(snapshot_of(&into), good);
    }
    let mut into = garbage(0);
    // SAFETY: as above; one byte short of the frame.
    let status = unsafe { fc_group_restore(into.mut_ptr(), good.as_ptr(), good.len() - 1, 2) };
    assert_eq!(status, fc_status::SnapshotTruncated);
}

#[test]
fn restore_decodes_in_place_and_refusals_keep_what_was_there() {
    let mut g = group(0, 6, 4);
    boot_all(&mut g, 0);
    let good = snapshot_of(&g);
    let mut bad = good.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x10;
    let mut other = group(1, 2, 1);
    let before = snapshot_of(&other);
    let mut info = MaybeUninit::<fc_group_info>::uninit();
    let mut wiped = garbage(0);
    // SAFETY: initialised or garbage storage of the right size, snapshots of their length.
    unsafe {
        // Over a live group: refused, unchanged; accepted, the snapshot's group.
        assert_eq!(
            fc_group_restore(other.mut_ptr(), bad.as_ptr(), bad.len(), 2),
            fc_status::SnapshotChecksum
        );
        assert_eq!(snapshot_of(&other), before);
        assert_eq!(
            fc_group_restore(other.mut_ptr(), good.as_ptr(), good.len(), 2),
            fc_status::Ok
        );
        assert_eq!(snapshot_of(&other), good);
        // Over storage that never held a group: refused, it stays uninitialised.
        assert_eq!(
            fc_group_restore(wiped.mut_ptr(), bad.as_ptr(), bad.len(), 2),
            fc_status::SnapshotChecksum
        );
        assert_eq!(
            fc_group_get_info(wiped.ptr(), info.as_mut_ptr()),
            fc_status::Uninitialized
        );
        // A well-sealed frame around a payload that does not decode: checked before it is
        // decoded in place, so still uninitialised.
        let mut cut = good[..good.len() - 8].to_vec();
        let payload_len = u32::try_from(cut.len() - 20).unwrap();
        cut[16..20].copy_from_slice(&payload_len.to_le_bytes());
        let crc = crc32(&cut);
        cut.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(
            fc_group_restore(wiped.mut_ptr(), cut.as_ptr(), cut.len(), 2),
            fc_status::SnapshotMalformed
        );
        assert_eq!(
            fc_group_get_info(wiped.ptr(), info.as_mut_ptr()),
            fc_status::Uninitialized
        );
        assert_eq!(
            fc_group_restore(other.mut_ptr(), cut.as_ptr(), cut.len(), 2),
            fc_status::SnapshotMalformed
        );
        assert_eq!(snapshot_of(&other), good, "a live group keeps what it had");
        // Accepted: the same group, and it goes on as the original does.
        assert_eq!(
            fc_group_restore(wiped.mut_ptr(), good.as_ptr(), good.len(), 2),
            fc_status::Ok
        );
        assert_eq!(snapshot_of(&wiped), good);
        assert_eq!(
            fc_group_set_desired(g.mut_ptr(), 0, 1, false),
            fc_status::Ok
        );
        assert_eq!(
            fc_group_set_desired(wiped.mut_ptr(), 0, 1, false),
            fc_status::Ok
        );
    }
    let ids = |actions: Vec<fc_group_action>| {
        actions
            .iter()
            .map(|a| (a.kind, a.id.digits, a.id.len))
            .collect::<Vec<_>>()
    };
    let (a, b) = (
        ids(tick(&mut g, 60_000, 8)),
        ids(tick(&mut wiped, 60_000, 8)),
    );
    assert_eq!(a.len(), 3, "scale-in from 4 to 1");
    assert_eq!(a, b);
}

/// CRC-32/ISO-HDLC, the snapshot frame's checksum, bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// What a random script does through the C functions.
#[derive(Debug, Clone)]
enum Op {
    SetDesired(u32),
    Advance(u64),
    Tick,
    Boot(usize),
    FailLaunch(usize),
    Terminated(usize),
    Unhealthy(usize),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        2 => (0u32..=8).prop_map(Op::SetDesired),
        2 => (0u64..600_000).prop_map(Op::Advance),
        4 => Just(Op::Tick),
        3 => any::<usize>().prop_map(Op::Boot),
        1 => any::<usize>().prop_map(Op::FailLaunch),
        3 => any::<usize>().prop_map(Op::Terminated),
        1 => any::<usize>().prop_map(Op::Unhealthy),
    ]
}

fn event(kind: u32, id: fc_instance_id) -> fc_group_event {
    fc_group_event {
        kind,
        id,
        ec2_state: 0,
        health_source: 1,
        hook: 0,
        hook_result: 0,
    }
}

/// Plays `ops` on a new group through `fc_group_tick` and `fc_group_drain` with room for
/// `cap` actions at a time; returns every action taken, with the minute it came out.
fn play(ops: &[Op], cap: usize) -> Vec<(u64, Action)> {
    let mut g = group(0, 8, 2);
    let (mut now, mut log) = (0u64, Vec::new());
    let (mut launched, mut ending): (Vec<fc_instance_id>, Vec<fc_instance_id>) = (vec![], vec![]);
    let report = |g: &mut Storage, now: u64, e: fc_group_event| {
        // SAFETY: a live group and a valid event; refusals (a member already gone) are fine.
        let _ = unsafe { fc_group_observe(g.mut_ptr(), now, &raw const e) };
    };
    for op in ops {
        match *op {
            Op::SetDesired(d) => {
                // SAFETY: a live group.
                let _ = unsafe { fc_group_set_desired(g.mut_ptr(), now, d, false) };
            }
            Op::Advance(ms) => now += ms,
            Op::Tick => {
                let mut taken = tick(&mut g, now, cap);
                let mut more = taken.len() == cap;
                while more {
                    let next = drain(&mut g, cap);
                    more = next.len() == cap;
                    taken.extend(next);
                }
                assert_eq!(info_of(&g).pending_actions, 0);
                for a in taken {
                    let core = a.to_core().unwrap();
                    match core {
                        Action::Launch { .. } => launched.push(a.id),
                        Action::Terminate { .. } => ending.push(a.id),
                        _ => {}
                    }
                    log.push((now, core));
                }
            }
            Op::Boot(i) if !launched.is_empty() => {
                let id = launched.remove(i % launched.len());
                report(&mut g, now, event(1, id));
            }
            Op::FailLaunch(i) if !launched.is_empty() => {
                let id = launched.remove(i % launched.len());
                report(&mut g, now, event(2, id));
            }
            Op::Terminated(i) if !ending.is_empty() => {
                let id = ending.remove(i % ending.len());
                report(&mut g, now, event(3, id));
            }
            Op::Unhealthy(i) if !launched.is_empty() => {
                let id = launched[i % launched.len()];
                report(&mut g, now, event(5, id));
            }
            _ => {}
        }
    }
    log
}

fn drain(g: &mut Storage, cap: usize) -> Vec<fc_group_action> {
    let mut out = vec![MaybeUninit::<fc_group_action>::uninit(); cap];
    let mut n = usize::MAX;
    // SAFETY: `out` has room for `cap` actions.
    let status = unsafe { fc_group_drain(g.mut_ptr(), out.as_mut_ptr().cast(), cap, &raw mut n) };
    assert_eq!(status, fc_status::Ok);
    // SAFETY: the first `n` were written.
    out[..n]
        .iter()
        .map(|a| unsafe { a.assume_init() })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

    /// Through the C ABI, room for 1 action or for 256 gives the same actions in the same order
    /// (DESIGN.md principle 8), and nothing is left to drain after either.
    #[test]
    fn buffer_sizes_give_the_same_actions(ops in proptest::collection::vec(op(), 1..80)) {
        let one = play(&ops, 1);
        let many = play(&ops, 256);
        proptest::prop_assert_eq!(one, many);
    }
}

fn info_of(g: &Storage) -> fc_group_info {
    let mut info = MaybeUninit::<fc_group_info>::uninit();
    // SAFETY: a live group and a valid out-pointer; written on success.
    unsafe {
        assert_eq!(fc_group_get_info(g.ptr(), info.as_mut_ptr()), fc_status::Ok);
        info.assume_init()
    }
}

#[test]
fn by_state_has_a_slot_for_every_member_state() {
    for &s in MemberState::ALL {
        assert!((s.number() as usize) < FC_MEMBER_STATE_SLOTS);
    }
    let highest = MemberState::ALL.iter().map(|s| s.number() as usize).max();
    assert_eq!(highest.map(|n| n + 1), Some(FC_MEMBER_STATE_SLOTS));
}

#[test]
#[cfg(feature = "lean-group")]
fn a_lean_group_refuses_the_parts_it_does_not_store() {
    let mut g = group(1, 4, -1);
    let mut index = 7u8;
    // SAFETY: a live group and a valid out-pointer.
    let status = unsafe {
        fc_group_put_lifecycle_hook(
            g.mut_ptr(),
            fleetcore::group::HookTransition::Launching.number(),
            60_000,
            fleetcore::group::HookResult::Continue.number(),
            &raw mut index,
        )
    };
    assert_eq!(
        (status.code(), index),
        (crate::FC_STATUS_PART_NOT_STORED, 7)
    );
    assert_eq!(info_of(&g).desired, 1);
}
