//! EC2 instance states as C sees them: the `InstanceState.Code` numbers and their names.

use core::ffi::{CStr, c_char};

use fleetcore::lifecycle::InstanceState;

use crate::boundary::{Out, boundary, input_str};
use crate::status::fc_status;

/// The core state of a C state code; like EC2, only the low byte of the 16-bit code counts.
pub(crate) fn state_from_code(code: u32) -> Result<InstanceState, fc_status> {
    let code = u16::try_from(code).map_err(|_| fc_status::InvalidStateCode)?;
    Ok(InstanceState::from_code(code)?)
}

/// The state's name as a static C string (the core's `name()`, NUL-terminated).
const fn state_c_name(state: InstanceState) -> &'static CStr {
    match state {
        InstanceState::Pending => c"pending",
        InstanceState::Running => c"running",
        InstanceState::ShuttingDown => c"shutting-down",
        InstanceState::Terminated => c"terminated",
        InstanceState::Stopping => c"stopping",
        InstanceState::Stopped => c"stopped",
    }
}

/// The `InstanceStateName` of a state code: `"pending"`, `"running"`, `"shutting-down"`,
/// `"terminated"`, `"stopping"` or `"stopped"`.
///
/// `code` is an `FC_INSTANCE_STATE_*` value; as in EC2 only its low byte counts (`272` is
/// `running`). On success `*out_name` is set to a static NUL-terminated string owned by the library
/// (never free it); on error `*out_name` is not written. Errors: if `out_name` is NULL,
/// `LifecycleError::InvalidStateCode` for any other code. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_instance_state_name(
    code: u32,
    out_name: *mut *const c_char,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `out_name`.
        let out = unsafe { Out::new(out_name) }?;
        let state = state_from_code(code)?;
        out.write(state_c_name(state).as_ptr());
        Ok(())
    })
}

/// The state code (`FC_INSTANCE_STATE_*`) of an `InstanceStateName` such as `"stopping"`.
///
/// `name` is borrowed for the call only. On success `*out_code` is set; on error it is not written.
/// Errors: if a pointer is NULL, `FC_STATUS_NOT_UTF8`, or `LifecycleError::InvalidStateName` for text
/// that is not exactly one of the six names. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_instance_state_from_name(
    name: *const c_char,
    out_code: *mut u32,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `name` and `out_code`.
        let (name, out) = unsafe { (input_str(name)?, Out::new(out_code)?) };
        let state = InstanceState::from_name(name)?;
        out.write(u32::from(state.code()));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_names_are_the_core_names_and_numbers_the_codes() {
        for &state in InstanceState::ALL {
            assert_eq!(state_c_name(state).to_str().unwrap(), state.as_str());
            assert_eq!(state.number(), u32::from(state.code()), "{state}");
        }
    }

    #[test]
    fn names_and_codes_convert_both_ways() {
        for &state in InstanceState::ALL {
            let mut name = core::ptr::null();
            let mut code = u32::MAX;
            // SAFETY: valid out-pointers; the returned name is a static C string.
            unsafe {
                assert_eq!(
                    fc_instance_state_name(state.code().into(), &raw mut name),
                    fc_status::Ok
                );
                assert_eq!(CStr::from_ptr(name).to_str().unwrap(), state.name());
                assert_eq!(
                    fc_instance_state_from_name(name, &raw mut code),
                    fc_status::Ok
                );
            }
            assert_eq!(code, u32::from(state.code()));
        }
    }

    #[test]
    fn bad_codes_names_and_pointers_give_errors_and_write_nothing() {
        let mut name = c"untouched".as_ptr();
        let mut code = 7u32;
        // SAFETY: valid or NULL pointers only.
        unsafe {
            assert_eq!(
                fc_instance_state_name(7, &raw mut name),
                fc_status::InvalidStateCode
            );
            assert_eq!(
                fc_instance_state_name(0x1_0010, &raw mut name),
                fc_status::InvalidStateCode
            );
            assert_eq!(
                fc_instance_state_name(16, core::ptr::null_mut()),
                fc_status::NullArgument
            );
            assert_eq!(CStr::from_ptr(name), c"untouched");
            assert_eq!(fc_instance_state_name(0x110, &raw mut name), fc_status::Ok);
            assert_eq!(CStr::from_ptr(name), c"running");

            let bad = c"Running".as_ptr();
            assert_eq!(
                fc_instance_state_from_name(bad, &raw mut code),
                fc_status::InvalidStateName
            );
            assert_eq!(
                fc_instance_state_from_name(core::ptr::null(), &raw mut code),
                fc_status::NullArgument
            );
            let latin1 = [b'r', 0xe9, 0];
            assert_eq!(
                fc_instance_state_from_name(latin1.as_ptr().cast(), &raw mut code),
                fc_status::NotUtf8
            );
        }
        assert_eq!(code, 7);
    }
}
