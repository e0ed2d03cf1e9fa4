//! JSON configuration documents through the core's parser and validators
//! (`fleetcore::config`): `fc_config_check` is Python's `check_config`, and
//! `fc_group_init_json` builds a group from a controller document.
//!
//! The schema is the workspace README's "Configuration"; `examples/controller.json` is a
//! complete document. A refused document returns its `FC_STATUS_CONFIG_*` status (the core's
//! 1300s codes) and fills an `fc_config_error` with where: the field's path
//! (`groups[0].policies[2].target`), byte offset, line and column, the core's message, and, for
//! a value a validator refused (`FC_STATUS_CONFIG_CATALOG`, `_GROUP`, `_SCALING`, `_NETWORK`),
//! the validator's own status in `detail` (`ScalingError::InvalidCron` ...).
//!
//! Stack: the core reads a whole controller document (about 26 KiB) list by list; reading one
//! takes about 100 KiB of stack in a release build on x86-64 (the core's figure) and several
//! times more unoptimised. Check and build documents on a thread with room for that.

// Errors carry their path by value, as the core's do: there is no allocator to box them.
#![allow(clippy::result_large_err)]

use core::ffi::c_char;
use core::fmt::Write as _;

use fleetcore::config::{
    self, ConfigError, ControllerDoc, DocKind, GroupDoc, InstanceTypeDoc, LaunchTemplateDoc,
    LocatedError, PATH_MAX, PolicyDoc, ScheduledActionDoc, SecurityGroupDoc,
};

use crate::boundary::{Out, TextBuf, boundary, enum_value, input_slice};
use crate::catalog::fill_array;
use crate::status::fc_status;

/// Bytes of `fc_config_error.path`: the core's longest path and the NUL.
pub const FC_CONFIG_PATH_SIZE: usize = 97;
/// Bytes of `fc_config_error.message` (a longer message is cut, and still NUL-terminated).
pub const FC_CONFIG_MESSAGE_SIZE: usize = 256;
/// The longest document accepted, in bytes: more than the core writes for the largest document
/// (so a document the core wrote always reads back).
pub const FC_CONFIG_MAX_DOCUMENT: usize = 196_608;

const _: () = assert!(FC_CONFIG_PATH_SIZE == PATH_MAX + 1);
const _: () = assert!(FC_CONFIG_MAX_DOCUMENT == config::MAX_DOCUMENT);

/// Where and why a document was refused: written by `fc_config_check` and `fc_group_init_json`
/// when they return an `FC_STATUS_CONFIG_*` status, and only then.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_config_error {
    /// For `FC_STATUS_CONFIG_CATALOG`, `_GROUP`, `_SCALING` and `_NETWORK`: the validator's
    /// status (`ScalingError::InvalidCron` ...); otherwise the returned status.
    pub detail: u32,
    /// Byte offset of the value in the document.
    pub offset: usize,
    /// Line of the value, from 1; 0 when the position is not known (an entry refused while
    /// the group is built: `path` names it).
    pub line: u32,
    /// Column of the value in bytes, from 1; 0 when `line` is 0.
    pub column: u32,
    /// The field, such as `"groups[0].policies[2].target"`; empty for the whole document.
    pub path: [c_char; FC_CONFIG_PATH_SIZE],
    /// The core's message, such as `"groups[0].min_size: wrong type: expected an integer
    /// (line 3, column 17, byte 40)"`.
    pub message: [c_char; FC_CONFIG_MESSAGE_SIZE],
}

/// The status of a configuration error, and the validator's status under it.
pub(crate) fn statuses(e: ConfigError) -> (fc_status, fc_status) {
    let detail = match e {
        ConfigError::Catalog(c) => c.into(),
        ConfigError::Group(g) => g.into(),
        ConfigError::Scaling(s) => s.into(),
        ConfigError::Network(n) => n.into(),
        other => other.into(),
    };
    (e.into(), detail)
}

impl fc_config_error {
    /// The C form of a located error.
    pub(crate) fn located(e: &LocatedError) -> Self {
        let mut message = TextBuf::<FC_CONFIG_MESSAGE_SIZE>::new();
        // A message too long for the buffer keeps what fitted.
        let _ = write!(message, "{e}");
        Self {
            detail: statuses(e.error).1.code(),
            offset: e.location.offset,
            line: e.location.line,
            column: e.location.column,
            path: fill_array(e.location.path.as_str()),
            message: fill_array(core::str::from_utf8(message.as_bytes()).unwrap_or("")),
        }
    }

    /// An error found after parsing, at `path`, whose position is not known.
    pub(crate) fn at_path(error: ConfigError, path: &str) -> Self {
        let mut message = TextBuf::<FC_CONFIG_MESSAGE_SIZE>::new();
        let _ = write!(message, "{path}: {error}");
        Self {
            detail: statuses(error).1.code(),
            offset: 0,
            line: 0,
            column: 0,
            path: fill_array(path),
            message: fill_array(core::str::from_utf8(message.as_bytes()).unwrap_or("")),
        }
    }
}

/// An optional out-pointer for an `fc_config_error`: NULL means "not wanted".
pub(crate) struct Where<'a>(Option<Out<'a, fc_config_error>>);

impl Where<'_> {
    /// Checks `p` (NULL is allowed).
    ///
    /// # Safety
    /// `p` is NULL or valid for writing an `fc_config_error` that no other pointer of the call
    /// overlaps.
    pub(crate) unsafe fn new(p: *mut fc_config_error) -> Result<Self, fc_status> {
        if p.is_null() {
            return Ok(Self(None));
        }
        // SAFETY: forwarded from this function's contract.
        Ok(Self(Some(unsafe { Out::new(p) }?)))
    }

    /// Writes `e` (when wanted) and returns its status.
    pub(crate) fn fail(self, e: &fc_config_error, status: fc_status) -> fc_status {
        if let Some(out) = self.0 {
            out.write(*e);
        }
        status
    }

    /// Reports a located error.
    pub(crate) fn located(self, e: &LocatedError) -> fc_status {
        self.fail(&fc_config_error::located(e), statuses(e.error).0)
    }
}

fn check<D: config::Document>(json: &[u8]) -> Result<(), LocatedError> {
    config::from_slice::<D>(json).map(|_| ())
}

/// Checks a configuration document of kind `kind` (`FC_CONFIG_KIND_*`) with the core's parser and
/// every validator, as a controller reads it: Python's `check_config`. `json` is `len` bytes of
/// UTF-8 JSON (no NUL needed). On a refused document the status is its `FC_STATUS_CONFIG_*` code
/// and `*out_where` (unless NULL) says where and why. Errors: `FC_STATUS_NULL_ARGUMENT` (`json` may
/// be NULL only with `len` 0, which is then `ConfigError::Truncated`),
/// `FC_STATUS_INVALID_ENUM_VALUE` (`kind`), `FC_STATUS_CONFIG_*` (1300-1330). Needs the stack of
/// the module docs. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_config_check(
    json: *const u8,
    len: usize,
    kind: u32,
    out_where: *mut fc_config_error,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for both pointers.
        let (json, at) = unsafe { (input_slice(json, len)?, Where::new(out_where)?) };
        let result = match enum_value::<DocKind>(kind)? {
            DocKind::Controller => check::<ControllerDoc>(json),
            DocKind::InstanceType => check::<InstanceTypeDoc>(json),
            DocKind::LaunchTemplate => check::<LaunchTemplateDoc>(json),
            DocKind::SecurityGroup => check::<SecurityGroupDoc>(json),
            DocKind::Group => check::<GroupDoc>(json),
            DocKind::Policy => check::<PolicyDoc>(json),
            DocKind::ScheduledAction => check::<ScheduledActionDoc>(json),
        };
        match result {
            Ok(()) => Ok(()),
            Err(e) => Err(at.located(&e)),
        }
    })
}
