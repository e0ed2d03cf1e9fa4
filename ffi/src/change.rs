//! State changes as C sees them: a plain struct, the constants for its `cause` and `reason`
//! fields, and formatting in the core's log form so a C action log matches a Rust one byte for
//! byte.

use core::ffi::c_char;
use core::fmt::Write as _;

use fleetcore::Instant;
use fleetcore::lifecycle::{Operation, StateChange, StateReason};

use crate::boundary::{Out, OutText, TextBuf, boundary, enum_value, input};
use crate::id::fc_instance_id;
use crate::state::state_from_code;
use crate::status::fc_status;

/// Bytes a buffer needs for any text `fc_state_change_format` writes, NUL included.
pub const FC_STATE_CHANGE_TEXT_SIZE: usize = 160;

/// The core operation of a C `cause` value.
fn operation_from_u32(v: u32) -> Result<Operation, fc_status> {
    Operation::from_number(v).ok_or(fc_status::InvalidEnumValue)
}

/// The C number of a reason (`fc_state_reason`, generated from the core's `StateReason`); 0
/// (`FC_STATE_REASON_NONE`) for none.
pub(crate) fn reason_to_u32(reason: Option<StateReason>) -> u32 {
    reason.map_or(0, StateReason::number)
}

/// The core reason of a nonzero C reason number.
pub(crate) fn reason_from_u32(v: u32) -> Result<StateReason, fc_status> {
    enum_value(v)
}

/// One change of an instance's state, as `fc_fleet_tick` reports it. A plain value; copy it
/// freely.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_state_change {
    /// When, in the caller's milliseconds.
    pub at_ms: u64,
    /// The instance.
    pub id: fc_instance_id,
    /// State before (`FC_INSTANCE_STATE_*`).
    pub from: u32,
    /// State after (`FC_INSTANCE_STATE_*`); equal to `from` for a repeated request.
    pub to: u32,
    /// What caused it (`FC_OPERATION_*`).
    pub cause: u32,
    /// The instance's state reason after the change (`FC_STATE_REASON_*`, 0 for none).
    pub reason: u32,
}

impl From<StateChange> for fc_state_change {
    fn from(c: StateChange) -> Self {
        Self {
            at_ms: c.at.total_millis(),
            id: c.id.into(),
            from: c.from.code().into(),
            to: c.to.code().into(),
            cause: c.cause.number(),
            reason: reason_to_u32(c.reason),
        }
    }
}

impl fc_state_change {
    /// The core change, after checking every field.
    fn to_core(self) -> Result<StateChange, fc_status> {
        Ok(StateChange {
            id: self.id.to_core()?,
            from: state_from_code(self.from)?,
            to: state_from_code(self.to)?,
            cause: operation_from_u32(self.cause)?,
            reason: match self.reason {
                0 => None,
                r => Some(reason_from_u32(r)?),
            },
            at: Instant::from_millis(self.at_ms),
        })
    }
}

/// Writes a state change as one log line (no newline) and a NUL into `out_buf`, in the core's form:
/// `i-0123456789abcdef0 running -> stopping (stop: Client.UserInitiatedShutdown)`.
///
/// The text is the same as Rust's `Display` of the change, so logs from C, Rust and Python can be
/// compared. `len` is the size of `out_buf`; `FC_STATE_CHANGE_TEXT_SIZE` is always enough. On
/// success the text and NUL are written and `*out_written` is set to the text's length without the
/// NUL; on error neither output is written. Errors: `FC_STATUS_BUFFER_TOO_SMALL`, and for a change
/// whose fields were not written by this library: an `IdError`, `LifecycleError::InvalidStateCode`
/// or `FC_STATUS_INVALID_ENUM_VALUE`. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_state_change_format(
    change: *const fc_state_change,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `change`, `out_buf`/`len` and `out_written`.
        let (change, buf, written) = unsafe {
            (
                input(change)?,
                OutText::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let change = change.to_core()?;
        let mut text = TextBuf::<FC_STATE_CHANGE_TEXT_SIZE>::new();
        write!(text, "{change}").map_err(|_| fc_status::BufferTooSmall)?;
        written.write(buf.write(text.as_bytes())?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleetcore::id::InstanceId;
    use fleetcore::lifecycle::InstanceState;

    const OPERATIONS: [Operation; 16] = [
        Operation::Launch,
        Operation::Start,
        Operation::Stop,
        Operation::ForceStop,
        Operation::Hibernate,
        Operation::Reboot,
        Operation::Terminate,
        Operation::Boot,
        Operation::PowerOff,
        Operation::Fail,
        Operation::OsShutdown,
        Operation::HibernationFailure,
        Operation::Retirement,
        Operation::SpotInterruption,
        Operation::SpotRestart,
        Operation::Deadline,
    ];

    #[test]
    fn operations_round_trip() {
        for (i, op) in OPERATIONS.into_iter().enumerate() {
            let c = op.number();
            assert_eq!(c as usize, i + 1);
            assert_eq!(operation_from_u32(c), Ok(op));
        }
        assert_eq!(operation_from_u32(0), Err(fc_status::InvalidEnumValue));
        assert_eq!(operation_from_u32(17), Err(fc_status::InvalidEnumValue));
    }

    #[test]
    fn reasons_round_trip_by_their_core_numbers() {
        for (i, &reason) in StateReason::ALL.iter().enumerate() {
            let c = reason_to_u32(Some(reason));
            assert_eq!(c as usize, i + 1, "{reason}");
            assert_eq!(reason_from_u32(c), Ok(reason));
        }
        assert_eq!(
            reason_from_u32(1).map(StateReason::code),
            Ok("Server.InsufficientInstanceCapacity")
        );
        assert_eq!(reason_to_u32(None), 0);
        assert_eq!(reason_from_u32(0), Err(fc_status::InvalidEnumValue));
        assert_eq!(reason_from_u32(13), Err(fc_status::InvalidEnumValue));
    }

    fn format(change: &fc_state_change, len: usize) -> Result<String, fc_status> {
        let mut buf = vec![0u8; len];
        let mut n = 0usize;
        // SAFETY: `buf` has `len` writable bytes; valid out-pointers.
        let status =
            unsafe { fc_state_change_format(change, buf.as_mut_ptr().cast(), len, &raw mut n) };
        if status == fc_status::Ok {
            Ok(String::from_utf8(buf[..n].to_vec()).unwrap())
        } else {
            Err(status)
        }
    }

    #[test]
    fn format_matches_the_core_display() {
        let core = StateChange {
            id: InstanceId::from_u64(0x0123_4567_89ab_cdef),
            from: InstanceState::Running,
            to: InstanceState::Stopping,
            cause: Operation::Stop,
            reason: Some(StateReason::UserInitiatedShutdown),
            at: Instant::from_secs(30),
        };
        let c = fc_state_change::from(core);
        assert_eq!(c.to_core(), Ok(core));
        assert_eq!(
            format(&c, FC_STATE_CHANGE_TEXT_SIZE).unwrap(),
            "i-00123456789abcdef running -> stopping (stop: Client.UserInitiatedShutdown)"
        );
        assert_eq!(format(&c, 20), Err(fc_status::BufferTooSmall));
        let mut bad = c;
        bad.cause = 99;
        assert_eq!(format(&bad, 200), Err(fc_status::InvalidEnumValue));
        bad = c;
        bad.to = 5;
        assert_eq!(format(&bad, 200), Err(fc_status::InvalidStateCode));
        bad = c;
        bad.reason = 40;
        assert_eq!(format(&bad, 200), Err(fc_status::InvalidEnumValue));
    }

    #[test]
    fn the_longest_change_fits_the_advertised_size() {
        let id = InstanceId::from_u64(u64::MAX);
        let reasons = core::iter::once(None).chain(StateReason::ALL.iter().copied().map(Some));
        let mut longest = 0;
        for &from in InstanceState::ALL {
            for &to in InstanceState::ALL {
                for cause in OPERATIONS {
                    for reason in reasons.clone() {
                        let change = StateChange {
                            id,
                            from,
                            to,
                            cause,
                            reason,
                            at: Instant::MAX,
                        };
                        longest = longest.max(change.to_string().len());
                    }
                }
            }
        }
        assert!(longest < FC_STATE_CHANGE_TEXT_SIZE, "{longest}");
    }
}
