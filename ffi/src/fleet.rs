//! `fc_fleet`: a fixed-capacity set of EC2 instances in storage the C caller owns.
//!
//! The caller declares an `fc_fleet` (static, on the stack or inside its own struct), calls
//! `fc_fleet_init` once, and then addresses instances by `fc_instance_id`. Requests
//! (`start`, `stop` ...) move an instance into its transitional state at once; the transition
//! completes when the caller reports what the world did (`fc_fleet_report`) or, for the boot
//! timeout given to `fc_fleet_init`, when `fc_fleet_tick` sees the deadline pass. Time is always
//! passed in as `now_ms`, milliseconds since an epoch the caller chooses.
//!
//! Nothing is allocated: there is no `_free`. The storage holds no pointers, so it may be moved
//! or copied with `memcpy` between calls and reused after another `fc_fleet_init`.

use core::ffi::c_char;
use core::mem::{align_of, size_of};

use fleetcore::catalog::InstanceType;
use fleetcore::id::ImageId;
use fleetcore::lifecycle::{Fleet, LaunchSpec, Report, ReportKind, Timeouts};
use fleetcore::{Duration, Instant};

use crate::boundary::{Out, boundary, enum_value, input, input_str};
use crate::catalog::fc_launch_spec;
use crate::change::{fc_state_change, reason_from_u32};
use crate::id::fc_instance_id;
use crate::status::fc_status;

/// Instances an `fc_fleet` holds: live ones, plus terminated ones for the hour they stay visible.
pub const FC_FLEET_CAPACITY: usize = 16;

/// Bytes of storage an `fc_fleet` takes (`sizeof(fc_fleet)`); enough on every target.
///
/// The Rust fleet needs somewhat less; the rest is room for the core to grow without changing
/// the ABI. A const assertion in the library checks, for each target it is built for, that the
/// fleet fits.
pub const FC_FLEET_SIZE: usize = 5120;

/// Caller-owned storage for a fleet of up to `FC_FLEET_CAPACITY` instances.
///
/// Opaque: initialise it with `fc_fleet_init` and only touch it through `fc_fleet_*` functions.
/// Aligned to 8 bytes.
#[repr(C, align(8))]
pub struct fc_fleet {
    _opaque: [u8; FC_FLEET_SIZE],
}

/// What actually lives in an `fc_fleet`: a tag written by `fc_fleet_init`, then the core fleet.
#[repr(C)]
struct FleetCell {
    magic: u64,
    fleet: Fleet<FC_FLEET_CAPACITY>,
}

/// `"fcfleet"` and a layout version; anything else in the first word means "not initialised".
const MAGIC: u64 = u64::from_be_bytes(*b"fcfleet\x01");

const _: () = assert!(size_of::<FleetCell>() <= size_of::<fc_fleet>());
const _: () = assert!(align_of::<FleetCell>() <= align_of::<fc_fleet>());
const _: () = assert!(size_of::<fc_fleet>() == FC_FLEET_SIZE);

/// The initialised fleet in `p`.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_fleet` that nothing writes during `'a`.
unsafe fn fleet_ref<'a>(p: *const fc_fleet) -> Result<&'a Fleet<FC_FLEET_CAPACITY>, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?;
    // SAFETY: `checked_cell` found the tag `fc_fleet_init` writes together with a valid fleet;
    // readable and not written during 'a by the caller's contract.
    Ok(unsafe { &(*cell).fleet })
}

/// The initialised fleet in `p`, for a call that changes it.
///
/// # Safety
/// `p` is NULL or valid for reads and writes of an `fc_fleet` that nothing else uses during `'a`.
unsafe fn fleet_mut<'a>(p: *mut fc_fleet) -> Result<&'a mut Fleet<FC_FLEET_CAPACITY>, fc_status> {
    // SAFETY: forwarded from this function's contract.
    let cell = unsafe { checked_cell(p) }?.cast_mut();
    // SAFETY: as in `fleet_ref`, and the caller's contract gives this call exclusive use.
    Ok(unsafe { &mut (*cell).fleet })
}

/// Checks NULL, alignment and the tag. Reading the tag is a best-effort guard against a
/// forgotten `fc_fleet_init`: zeroed or reused storage is caught, not arbitrary corruption.
///
/// # Safety
/// `p` is NULL or valid for reads of an `fc_fleet`.
unsafe fn checked_cell(p: *const fc_fleet) -> Result<*const FleetCell, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    let cell = p.cast::<FleetCell>();
    // SAFETY: not NULL and aligned for `fc_fleet`, hence for `FleetCell` (const assertions
    // above); readable for an `fc_fleet` by this function's contract, which covers the `u64`
    // tag at offset 0; any bit pattern is a valid `u64`.
    let magic = unsafe { (&raw const (*cell).magic).read() };
    if magic == MAGIC {
        Ok(cell)
    } else {
        Err(fc_status::Uninitialized)
    }
}

/// Reads an id argument.
///
/// # Safety
/// `p` is NULL or points to an `fc_instance_id`.
unsafe fn input_id(p: *const fc_instance_id) -> Result<fleetcore::id::InstanceId, fc_status> {
    // SAFETY: forwarded from this function's contract.
    unsafe { input(p) }?.to_core()
}

/// Initialises `mem` (may be uninitialised; no free function; again resets) as an empty fleet.
/// `seed` fixes the instance ids on every target. `boot_timeout_ms` is how long after a launch or
/// start an instance counts as booted without a `FC_REPORT_BOOTED` report (`fc_fleet_tick` moves
/// it to running then); 0 waits for the report. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_init(
    mem: *mut fc_fleet,
    seed: u64,
    boot_timeout_ms: u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `mem`; `FleetCell` fits an `fc_fleet` (asserted
        // above), so the checked pointer is valid for writing one.
        let out = unsafe { Out::new(mem.cast::<FleetCell>()) }?;
        let timeouts = Timeouts {
            boot: (boot_timeout_ms != 0).then_some(Duration::from_millis(boot_timeout_ms)),
            ..Timeouts::default()
        };
        out.write(FleetCell {
            magic: MAGIC,
            fleet: Fleet::new(seed, timeouts),
        });
        Ok(())
    })
}

/// Launches one On-Demand, EBS-backed instance (`RunInstances`) of `image_id` (an AMI id) and
/// `instance_type` (built-in EC2); it starts `pending`, its id in `*out_id`. Errors:
/// `FC_STATUS_NOT_UTF8`, an `IdError` for a malformed image id, `CatalogError::InvalidTypeName`,
/// `CatalogError::UnknownInstanceType`, `FC_STATUS_FLEET_FULL` (terminated instances free their
/// slot an hour after termination), `IdError::Exhausted`. Not thread-safe: no other call may use
/// `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_launch(
    fleet: *mut fc_fleet,
    now_ms: u64,
    image_id: *const c_char,
    instance_type: *const c_char,
    out_id: *mut fc_instance_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (fleet, image, type_name, out) = unsafe {
            (
                fleet_mut(fleet)?,
                input_str(image_id)?,
                input_str(instance_type)?,
                Out::new(out_id)?,
            )
        };
        let image = ImageId::parse(image)?;
        let instance_type = InstanceType::builtin(type_name)?;
        let spec = LaunchSpec::new(image, instance_type.name);
        out.write(fleet.launch(Instant::from_millis(now_ms), spec)?.into());
        Ok(())
    })
}

/// Launches one instance from a resolved launch (`RunInstances` with a launch template): `*spec` as
/// `fc_catalog_launch_spec` wrote it, or filled by hand. Unlike `fc_fleet_launch` it keeps
/// everything the spec says: instance-store roots, shutdown behaviour, hibernation, termination
/// protection, the Spot market and the template version. `*out_id` is the new instance's id; the
/// fleet is unchanged on error. Errors: `FC_STATUS_NOT_UTF8`, an `IdError` (image or template id;
/// an image id without a NUL is `IdError::BadLength`), `CatalogError::InvalidTypeName`,
/// `FC_STATUS_INVALID_ENUM_VALUE`, `LifecycleError::InvalidLaunch` (hibernation without EBS ...),
/// `FC_STATUS_FLEET_FULL`, `IdError::Exhausted`. Not thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_launch_spec(
    fleet: *mut fc_fleet,
    now_ms: u64,
    spec: *const fc_launch_spec,
    out_id: *mut fc_instance_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (fleet, spec, out) = unsafe { (fleet_mut(fleet)?, input(spec)?, Out::new(out_id)?) };
        let spec = spec.to_core()?;
        out.write(fleet.launch(Instant::from_millis(now_ms), spec)?.into());
        Ok(())
    })
}

/// Starts a stopped instance (`StartInstances`): `stopped` to `pending`.
///
/// Starting a `pending` or `running` instance succeeds and changes nothing. Errors:
/// an `IdError`, `FC_STATUS_UNKNOWN_INSTANCE`, `FC_STATUS_INCORRECT_STATE` (from `stopping`,
/// `shutting-down` or `terminated`). Not thread-safe: no other call may use `fleet` at the same
/// time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_start(
    fleet: *mut fc_fleet,
    now_ms: u64,
    id: *const fc_instance_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `id`.
        let (fleet, id) = unsafe { (fleet_mut(fleet)?, input_id(id)?) };
        fleet.start(Instant::from_millis(now_ms), id)?;
        Ok(())
    })
}

/// Stops a running instance (`StopInstances`): `running` to `stopping`; report
/// `FC_REPORT_POWERED_OFF` when it is off. With `force`, power is cut and the instance is `stopped`
/// at once, from `pending`, `running` or `stopping`.
///
/// Stopping a `stopped` (or, without `force`, a `stopping`) instance succeeds and changes nothing.
/// Errors: an `IdError`, `FC_STATUS_UNKNOWN_INSTANCE`, `FC_STATUS_INCORRECT_STATE` (from
/// `pending` without `force`, as EC2 does, and from `shutting-down` or `terminated`). Not
/// thread-safe: no other call may use `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_stop(
    fleet: *mut fc_fleet,
    now_ms: u64,
    id: *const fc_instance_id,
    force: bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `id`.
        let (fleet, id) = unsafe { (fleet_mut(fleet)?, input_id(id)?) };
        fleet.stop(Instant::from_millis(now_ms), id, force)?;
        Ok(())
    })
}

/// Reboots a running instance (`RebootInstances`): it stays `running`, with no new billing minimum.
/// Rebooting a `terminated` instance succeeds and does nothing. Errors: an `IdError`,
/// `FC_STATUS_UNKNOWN_INSTANCE`, `FC_STATUS_INCORRECT_STATE` (any other state). Not thread-safe: no
/// other call may use `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_reboot(
    fleet: *mut fc_fleet,
    now_ms: u64,
    id: *const fc_instance_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `id`.
        let (fleet, id) = unsafe { (fleet_mut(fleet)?, input_id(id)?) };
        fleet.reboot(Instant::from_millis(now_ms), id)?;
        Ok(())
    })
}

/// Terminates an instance (`TerminateInstances`): any state but `terminated` to `shutting-down`;
/// report `FC_REPORT_POWERED_OFF` when it is off. Repeating it succeeds and changes nothing.
/// Errors: an `IdError`, `FC_STATUS_UNKNOWN_INSTANCE`. Not thread-safe: no other call may use
/// `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_terminate(
    fleet: *mut fc_fleet,
    now_ms: u64,
    id: *const fc_instance_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `id`.
        let (fleet, id) = unsafe { (fleet_mut(fleet)?, input_id(id)?) };
        fleet.terminate(Instant::from_millis(now_ms), id)?;
        Ok(())
    })
}

/// Applies a report from the world (an `FC_REPORT_*` value) about one instance. Errors:
/// `FC_STATUS_INVALID_ENUM_VALUE` for a `report` that is not an `FC_REPORT_*` value,
/// an `IdError`, `FC_STATUS_UNKNOWN_INSTANCE`, `FC_STATUS_INCORRECT_STATE` when the report does
/// not fit the state (a boot report for a running instance), `LifecycleError::NotSpot`. The fleet is
/// unchanged on error. Not thread-safe: no other call may use `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_report(
    fleet: *mut fc_fleet,
    now_ms: u64,
    id: *const fc_instance_id,
    report: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `id`.
        let (fleet, id) = unsafe { (fleet_mut(fleet)?, input_id(id)?) };
        // `fc_report` is `ReportKind` without `Failed` (`fc_fleet_report_failed`).
        let report = Report::of_kind(enum_value::<ReportKind>(report)?)
            .ok_or(fc_status::InvalidEnumValue)?;
        fleet.observe(Instant::from_millis(now_ms), id, report)?;
        Ok(())
    })
}

/// Reports that a launch or start failed, with the reason (a nonzero `FC_STATE_REASON_*`): a launch
/// ends `terminated`, a start returns to `stopped`. Errors: as `fc_fleet_report`;
/// `FC_STATUS_INVALID_ENUM_VALUE` for a `reason` that is 0 or not an `FC_STATE_REASON_*` value. Not
/// thread-safe: no other call may use `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_report_failed(
    fleet: *mut fc_fleet,
    now_ms: u64,
    id: *const fc_instance_id,
    reason: u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `id`.
        let (fleet, id) = unsafe { (fleet_mut(fleet)?, input_id(id)?) };
        let reason = reason_from_u32(reason)?;
        fleet.observe(Instant::from_millis(now_ms), id, Report::Failed(reason))?;
        Ok(())
    })
}

/// The state code (`FC_INSTANCE_STATE_*`) of one instance.
///
/// On success `*out_code` is set; on error it is not written. Errors: an `IdError`,
/// `FC_STATUS_UNKNOWN_INSTANCE` (never launched here, or terminated more than an hour before the
/// last call that changed the fleet). Reads only: may run at the same time as other reading calls
/// (`const fc_fleet *`) on the same fleet, never with a call that changes it.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_state(
    fleet: *const fc_fleet,
    id: *const fc_instance_id,
    out_code: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (fleet, id, out) = unsafe { (fleet_ref(fleet)?, input_id(id)?, Out::new(out_code)?) };
        out.write(fleet.get(id)?.state().code().into());
        Ok(())
    })
}

/// Total billed usage of every instance the fleet has launched, up to `now_ms`, in milliseconds:
/// per-second billing with a 60 s minimum each time an instance enters `running` (a 20 s run bills
/// 60000).
///
/// On success `*out_ms` is set; on error it is not written. Reads only: may run at the same time as
/// other reading calls on the same fleet, never with a call that changes it.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_billed_ms(
    fleet: *const fc_fleet,
    now_ms: u64,
    out_ms: *mut u64,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `fleet` and `out_ms`.
        let (fleet, out) = unsafe { (fleet_ref(fleet)?, Out::new(out_ms)?) };
        out.write(fleet.billed(Instant::from_millis(now_ms)).total_millis());
        Ok(())
    })
}

/// Completes the next change due at `now_ms` (a boot deadline that passed), in launch order.
///
/// One call makes at most one change: call it until `*out_changed` is false. On success
/// `*out_changed` is set, and `*out_change` is written only when `*out_changed` is true; on error
/// neither is written. Terminated instances past their visible hour are forgotten here. Not
/// thread-safe: no other call may use `fleet` at the same time.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_tick(
    fleet: *mut fc_fleet,
    now_ms: u64,
    out_change: *mut fc_state_change,
    out_changed: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (fleet, change, changed) = unsafe {
            (
                fleet_mut(fleet)?,
                Out::new(out_change)?,
                Out::new(out_changed)?,
            )
        };
        match fleet.tick(Instant::from_millis(now_ms)) {
            Some(c) => {
                change.write(c.into());
                changed.write(true);
            }
            None => changed.write(false),
        }
        Ok(())
    })
}

/// The earliest time at which `fc_fleet_tick` has work, so a caller can sleep until then.
///
/// On success `*out_has` is set, and `*out_ms` is written only when `*out_has` is true (false means
/// nothing is due until something is reported or requested); on error neither is written. Reads
/// only: may run at the same time as other reading calls on the same fleet, never with a call that
/// changes it.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_fleet_next_deadline(
    fleet: *const fc_fleet,
    out_ms: *mut u64,
    out_has: *mut bool,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for every pointer.
        let (fleet, ms, has) =
            unsafe { (fleet_ref(fleet)?, Out::new(out_ms)?, Out::new(out_has)?) };
        match fleet.next_deadline() {
            Some(at) => {
                ms.write(at.total_millis());
                has.write(true);
            }
            None => has.write(false),
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
