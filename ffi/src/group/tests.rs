//! The group through its C functions, called from Rust. The C suite (`tests/c/test_group.c`)
//! covers every function and error path; these check the layout promises, the conversions
//! and what only Rust can see (untouched outputs, every core value mapped).

use core::mem::MaybeUninit;
use core::ptr::{null, null_mut};

use fleetcore::group::HookTransition;

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
        assert!(
            seen.iter()
                .all(|a| a.kind == fc_group_action_kind::Launch as u32)
        );
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
        assert_eq!(member_state_to_u32(s) as usize, i + 1, "{s}");
    }
}

#[test]
fn outputs_are_untouched_and_the_group_unchanged_on_error() {
    let mut g = group(1, 4, -1);
    let mut desired = 77u32;
    // SAFETY: valid or NULL pointers only.
    unsafe {
        assert_eq!(
            fc_group_set_desired(g.mut_ptr(), 0, 9, false),
            fc_status::DesiredAboveMax
        );
        assert_eq!(
            fc_group_desired(null(), &raw mut desired),
            fc_status::NullArgument
        );
        assert_eq!(desired, 77);
        assert_eq!(fc_group_desired(g.ptr(), &raw mut desired), fc_status::Ok);
        assert_eq!(desired, 1);
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
        assert_eq!(
            fc_group_desired(odd, &raw mut desired),
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
