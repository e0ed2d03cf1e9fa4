//! The fleet through its C functions, called from Rust: the lifecycle, billing, deadlines and
//! every way a C caller can get an argument wrong.

use core::ffi::{CStr, c_char};
use core::mem::MaybeUninit;
use core::ptr::{null, null_mut};

use super::*;
use crate::id::fc_instance_id_parse;
use fleetcore::lifecycle::{InstanceState, ReportKind, StateReason};

const AMI: &CStr = c"ami-0123456789abcdef0";
const TYPE: &CStr = c"t4g.micro";

/// Heap storage for an `fc_fleet`, only ever used through raw pointers: after `fc_fleet_init`
/// its padding and unused slots are uninitialised, so it is never read as bytes from Rust.
struct Storage(Box<MaybeUninit<fc_fleet>>);

impl Storage {
    fn ptr(&self) -> *const fc_fleet {
        self.0.as_ptr()
    }

    fn mut_ptr(&mut self) -> *mut fc_fleet {
        self.0.as_mut_ptr()
    }
}

/// A fleet initialised through the C function.
fn fleet(seed: u64, boot_timeout_ms: u64) -> Storage {
    let mut mem = Storage(Box::new_uninit());
    // SAFETY: `mem` is writable storage for an `fc_fleet`.
    let status = unsafe { fc_fleet_init(mem.mut_ptr(), seed, boot_timeout_ms) };
    assert_eq!(status, fc_status::Ok);
    mem
}

fn launch(f: &mut Storage, now: u64) -> Result<fc_instance_id, fc_status> {
    launch_with(f, now, AMI.as_ptr(), TYPE.as_ptr())
}

fn launch_with(
    f: &mut Storage,
    now: u64,
    ami: *const c_char,
    ty: *const c_char,
) -> Result<fc_instance_id, fc_status> {
    let mut id = MaybeUninit::<fc_instance_id>::uninit();
    // SAFETY: valid fleet and out-pointer; strings are NULL or C strings.
    match unsafe { fc_fleet_launch(f.mut_ptr(), now, ami, ty, id.as_mut_ptr()) } {
        // SAFETY: written on success.
        fc_status::Ok => Ok(unsafe { id.assume_init() }),
        e => Err(e),
    }
}

fn state(f: &Storage, id: &fc_instance_id) -> Result<u32, fc_status> {
    let mut code = u32::MAX;
    // SAFETY: valid pointers.
    match unsafe { fc_fleet_state(f.ptr(), id, &raw mut code) } {
        fc_status::Ok => Ok(code),
        e => Err(e),
    }
}

fn billed(f: &Storage, now: u64) -> u64 {
    let mut ms = u64::MAX;
    // SAFETY: valid pointers.
    let status = unsafe { fc_fleet_billed_ms(f.ptr(), now, &raw mut ms) };
    assert_eq!(status, fc_status::Ok);
    ms
}

fn report(f: &mut Storage, now: u64, id: &fc_instance_id, r: u32) -> fc_status {
    // SAFETY: valid pointers.
    unsafe { fc_fleet_report(f.mut_ptr(), now, id, r) }
}

const PENDING: u32 = InstanceState::Pending.number();
const RUNNING: u32 = InstanceState::Running.number();
const SHUTTING_DOWN: u32 = InstanceState::ShuttingDown.number();
const TERMINATED: u32 = InstanceState::Terminated.number();
const STOPPING: u32 = InstanceState::Stopping.number();
const STOPPED: u32 = InstanceState::Stopped.number();

#[test]
fn storage_fits_the_fleet() {
    assert_eq!(size_of::<fc_fleet>(), FC_FLEET_SIZE);
    assert_eq!(align_of::<fc_fleet>(), 8);
    assert!(size_of::<FleetCell>() <= FC_FLEET_SIZE);
}

#[test]
fn a_whole_lifecycle_with_billing() {
    let mut f = fleet(42, 0);
    let id = launch(&mut f, 0).unwrap();
    assert_eq!(state(&f, &id), Ok(PENDING));
    // SAFETY: valid fleet and id pointers.
    unsafe {
        assert_eq!(
            fc_fleet_stop(f.mut_ptr(), 1_000, &raw const id, false),
            fc_status::IncorrectState
        );
        assert_eq!(
            report(&mut f, 10_000, &id, ReportKind::Booted.number()),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(RUNNING));
        assert_eq!(
            fc_fleet_reboot(f.mut_ptr(), 15_000, &raw const id),
            fc_status::Ok
        );
        assert_eq!(
            fc_fleet_stop(f.mut_ptr(), 30_000, &raw const id, false),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(STOPPING));
        assert_eq!(
            fc_fleet_reboot(f.mut_ptr(), 31_000, &raw const id),
            fc_status::IncorrectState
        );
        assert_eq!(
            report(&mut f, 35_000, &id, ReportKind::PoweredOff.number()),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(STOPPED));
        // A 20 s run bills the 60 s minimum.
        assert_eq!(billed(&f, 100_000), 60_000);
        assert_eq!(
            fc_fleet_start(f.mut_ptr(), 200_000, &raw const id),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(PENDING));
        assert_eq!(
            fc_fleet_stop(f.mut_ptr(), 201_000, &raw const id, true),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(STOPPED));
        assert_eq!(
            fc_fleet_terminate(f.mut_ptr(), 300_000, &raw const id),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(SHUTTING_DOWN));
        assert_eq!(
            fc_fleet_terminate(f.mut_ptr(), 300_500, &raw const id),
            fc_status::Ok
        );
        assert_eq!(
            report(&mut f, 301_000, &id, ReportKind::PoweredOff.number()),
            fc_status::Ok
        );
        assert_eq!(state(&f, &id), Ok(TERMINATED));
        assert_eq!(
            fc_fleet_start(f.mut_ptr(), 302_000, &raw const id),
            fc_status::IncorrectState
        );
    }
}

#[test]
fn same_seed_same_ids() {
    let mut a = fleet(7, 0);
    let mut b = fleet(7, 0);
    let mut c = fleet(8, 0);
    let ia = launch(&mut a, 0).unwrap();
    assert_eq!(ia, launch(&mut b, 5).unwrap());
    assert_ne!(ia, launch(&mut c, 0).unwrap());
    assert_eq!(state(&c, &ia), Err(fc_status::UnknownInstance));
}

#[test]
fn boot_timeout_completes_on_tick() {
    let mut f = fleet(1, 40_000);
    let id = launch(&mut f, 1_000).unwrap();
    let mut at = 0u64;
    let mut has = false;
    let mut changed = true;
    let mut change = MaybeUninit::<fc_state_change>::uninit();
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(
            fc_fleet_next_deadline(f.ptr(), &raw mut at, &raw mut has),
            fc_status::Ok
        );
        assert!(has);
        assert_eq!(at, 41_000);
        assert_eq!(
            fc_fleet_tick(f.mut_ptr(), 40_999, change.as_mut_ptr(), &raw mut changed),
            fc_status::Ok
        );
        assert!(!changed);
        assert_eq!(
            fc_fleet_tick(f.mut_ptr(), 41_000, change.as_mut_ptr(), &raw mut changed),
            fc_status::Ok
        );
        assert!(changed);
        let change = change.assume_init();
        assert_eq!((change.id, change.from, change.to), (id, PENDING, RUNNING));
        assert_eq!(
            change.cause,
            fleetcore::lifecycle::Operation::Deadline.number()
        );
        assert_eq!(change.at_ms, 41_000);
        assert_eq!(change.reason, 0);
        assert_eq!(
            fc_fleet_next_deadline(f.ptr(), &raw mut at, &raw mut has),
            fc_status::Ok
        );
        assert!(!has);
        assert_eq!(at, 41_000, "out_ms written although there is no deadline");
    }
}

#[test]
fn failed_launch_terminates_with_the_reason() {
    let mut f = fleet(1, 0);
    let id = launch(&mut f, 0).unwrap();
    let capacity = StateReason::InsufficientInstanceCapacity.number();
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(
            fc_fleet_report_failed(f.mut_ptr(), 1, &raw const id, 0),
            fc_status::InvalidEnumValue
        );
        assert_eq!(
            fc_fleet_report_failed(f.mut_ptr(), 1, &raw const id, 99),
            fc_status::InvalidEnumValue
        );
        assert_eq!(state(&f, &id), Ok(PENDING));
        assert_eq!(
            fc_fleet_report_failed(f.mut_ptr(), 1, &raw const id, capacity),
            fc_status::Ok
        );
    }
    assert_eq!(state(&f, &id), Ok(TERMINATED));
}

#[test]
fn reports_are_checked() {
    let mut f = fleet(1, 0);
    let id = launch(&mut f, 0).unwrap();
    assert_eq!(report(&mut f, 1, &id, 0), fc_status::InvalidEnumValue);
    assert_eq!(report(&mut f, 1, &id, 8), fc_status::InvalidEnumValue);
    assert_eq!(
        report(&mut f, 1, &id, u32::MAX),
        fc_status::InvalidEnumValue
    );
    assert_eq!(
        report(&mut f, 1, &id, ReportKind::PoweredOff.number()),
        fc_status::IncorrectState
    );
    assert_eq!(
        report(&mut f, 1, &id, ReportKind::SpotInterruption.number()),
        fc_status::NotSpot
    );
    assert_eq!(state(&f, &id), Ok(PENDING));
    // 8 is `ReportKind::Failed`, which has its own function.
    assert_eq!(ReportKind::Failed.number(), 8);
}

#[test]
fn launch_arguments_are_checked_and_nothing_changes_on_error() {
    let mut f = fleet(3, 0);
    let bad_utf8 = [b't', 0xff, 0];
    let cases: [(*const c_char, *const c_char, fc_status); 7] = [
        (null(), TYPE.as_ptr(), fc_status::NullArgument),
        (AMI.as_ptr(), null(), fc_status::NullArgument),
        (
            c"i-0123456789abcdef0".as_ptr(),
            TYPE.as_ptr(),
            fc_status::IdWrongPrefix,
        ),
        (c"ami-123".as_ptr(), TYPE.as_ptr(), fc_status::IdBadLength),
        (
            AMI.as_ptr(),
            c"t4g.mirco".as_ptr(),
            fc_status::UnknownInstanceType,
        ),
        (AMI.as_ptr(), c"T4G".as_ptr(), fc_status::InvalidTypeName),
        (AMI.as_ptr(), bad_utf8.as_ptr().cast(), fc_status::NotUtf8),
    ];
    for (ami, ty, want) in cases {
        assert_eq!(launch_with(&mut f, 0, ami, ty), Err(want));
    }
    let mut out = MaybeUninit::<fc_instance_id>::uninit();
    // SAFETY: NULL pointers are refused before use.
    unsafe {
        let s = fc_fleet_launch(f.mut_ptr(), 0, AMI.as_ptr(), TYPE.as_ptr(), null_mut());
        assert_eq!(s, fc_status::NullArgument);
        let s = fc_fleet_launch(null_mut(), 0, AMI.as_ptr(), TYPE.as_ptr(), out.as_mut_ptr());
        assert_eq!(s, fc_status::NullArgument);
    }
    // None of the failed launches used an id: the first id is the seed's first.
    let mut fresh = fleet(3, 0);
    assert_eq!(launch(&mut f, 0), launch(&mut fresh, 0));
}

#[test]
fn the_fleet_fills_up() {
    let mut f = fleet(5, 0);
    let ids: Vec<_> = (0..FC_FLEET_CAPACITY)
        .map(|_| launch(&mut f, 0).unwrap())
        .collect();
    assert_eq!(launch(&mut f, 0), Err(fc_status::FleetFull));
    // A terminated instance frees its slot an hour later.
    // SAFETY: valid pointers.
    unsafe {
        assert_eq!(
            fc_fleet_terminate(f.mut_ptr(), 1, &raw const ids[0]),
            fc_status::Ok
        );
    }
    assert_eq!(
        report(&mut f, 2, &ids[0], ReportKind::PoweredOff.number()),
        fc_status::Ok
    );
    assert_eq!(launch(&mut f, 3_600_001), Err(fc_status::FleetFull));
    assert!(launch(&mut f, 3_600_002).is_ok());
    assert_eq!(state(&f, &ids[0]), Err(fc_status::UnknownInstance));
}

#[test]
fn uninitialised_null_and_misaligned_storage_is_refused() {
    let zeroed = Storage(Box::new(MaybeUninit::new(fc_fleet {
        _opaque: [0; FC_FLEET_SIZE],
    })));
    let mut id = fc_instance_id {
        digits: [b'0'; 17],
        len: 17,
    };
    let mut code = 0u32;
    let mut ms = 0u64;
    let mut has = false;
    // SAFETY: valid or NULL pointers; the misaligned pointer is refused before use.
    unsafe {
        assert_eq!(
            fc_fleet_state(zeroed.ptr(), &raw const id, &raw mut code),
            fc_status::Uninitialized
        );
        assert_eq!(
            fc_fleet_billed_ms(zeroed.ptr(), 0, &raw mut ms),
            fc_status::Uninitialized
        );
        assert_eq!(fc_fleet_init(null_mut(), 0, 0), fc_status::NullArgument);
        assert_eq!(
            fc_fleet_state(null(), &raw const id, &raw mut code),
            fc_status::NullArgument
        );
        assert_eq!(
            fc_fleet_next_deadline(null(), &raw mut ms, &raw mut has),
            fc_status::NullArgument
        );
        let f = fleet(1, 0);
        assert_eq!(
            fc_fleet_state(f.ptr(), null(), &raw mut code),
            fc_status::NullArgument
        );
        assert_eq!(
            fc_fleet_state(f.ptr(), &raw const id, null_mut()),
            fc_status::NullArgument
        );
        assert_eq!(
            fc_fleet_state(f.ptr(), &raw const id, &raw mut code),
            fc_status::UnknownInstance
        );
        id.len = 3;
        assert_eq!(
            fc_fleet_state(f.ptr(), &raw const id, &raw mut code),
            fc_status::IdBadLength
        );
        let odd = f.ptr().wrapping_byte_add(1);
        assert_eq!(
            fc_fleet_billed_ms(odd, 0, &raw mut ms),
            fc_status::MisalignedArgument
        );
    }
    assert_eq!((code, ms), (0, 0));
}

#[test]
fn a_fleet_survives_a_memcpy() {
    let mut f = fleet(9, 0);
    let id = launch(&mut f, 0).unwrap();
    let mut copy = Storage(Box::new_uninit());
    // SAFETY: both are storage for one `fc_fleet`; an untyped copy carries uninitialised bytes
    // over as they are, as C's memcpy does.
    unsafe { core::ptr::copy_nonoverlapping(f.ptr(), copy.mut_ptr(), 1) };
    assert_eq!(state(&copy, &id), Ok(PENDING));
    let mut parsed = MaybeUninit::<fc_instance_id>::uninit();
    let mut text = [0u8; crate::id::FC_INSTANCE_ID_TEXT_SIZE];
    let mut n = 0usize;
    // SAFETY: valid pointers and buffer lengths.
    unsafe {
        let s = crate::id::fc_instance_id_format(
            &raw const id,
            text.as_mut_ptr().cast(),
            text.len(),
            &raw mut n,
        );
        assert_eq!(s, fc_status::Ok);
        assert_eq!(
            fc_instance_id_parse(text.as_ptr().cast(), parsed.as_mut_ptr()),
            fc_status::Ok
        );
        assert_eq!(parsed.assume_init(), id);
    }
}
