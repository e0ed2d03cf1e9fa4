//! Instance ids (`i-0123456789abcdef0`) as a fixed-size C value, with parse and format.

use core::ffi::c_char;

use fleetcore::id::{Id, IdKind, InstanceId, LONG_DIGITS, TemplateId};

use crate::boundary::{Out, OutText, boundary, input, input_str};
use crate::status::fc_status;

/// Most hex digits in an instance id (the current 17-digit form; legacy ids have 8).
pub const FC_INSTANCE_ID_DIGITS: usize = 17;

/// Bytes a buffer needs for any instance id's text: `"i-"`, 17 digits and the NUL.
pub const FC_INSTANCE_ID_TEXT_SIZE: usize = 20;

const _: () = assert!(FC_INSTANCE_ID_DIGITS == LONG_DIGITS);
const _: () = assert!(FC_INSTANCE_ID_TEXT_SIZE == "i-".len() + LONG_DIGITS + 1);

/// An instance id as a plain value: its hex digits without the `i-` prefix.
///
/// `digits[0..len]` are ASCII lowercase hex digits; `len` is 17 (or 8 for a legacy id); the bytes
/// after `len` are zero in every id this library writes, so two ids can be compared with
/// `memcmp`. Copy it freely. Make one with `fc_instance_id_parse` or receive one from
/// `fc_fleet_launch`; an id whose fields were set by hand is checked wherever it is passed in.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_instance_id {
    /// ASCII hex digits; only the first `len` count.
    pub digits: [u8; FC_INSTANCE_ID_DIGITS],
    /// Number of digits: 17, or 8 for a legacy id.
    pub len: u8,
}

impl From<InstanceId> for fc_instance_id {
    fn from(id: InstanceId) -> Self {
        let (digits, len) = digits_of(&id);
        Self { digits, len }
    }
}

impl fc_instance_id {
    /// The core id, after checking the fields as `fc_instance_id_parse` checks text.
    pub(crate) fn to_core(self) -> Result<InstanceId, fc_status> {
        id_from_digits(&self.digits, self.len)
    }
}

/// A launch template id (`lt-0123456789abcdef0`) as a plain value: its hex digits without the
/// `lt-` prefix, laid out as `fc_instance_id`. `fc_group_action_format` prints it.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct fc_template_id {
    /// ASCII hex digits; only the first `len` count, the rest are zero.
    pub digits: [u8; FC_INSTANCE_ID_DIGITS],
    /// Number of digits: 17, or 8 for a legacy id.
    pub len: u8,
}

impl From<TemplateId> for fc_template_id {
    fn from(id: TemplateId) -> Self {
        let (digits, len) = digits_of(&id);
        Self { digits, len }
    }
}

impl fc_template_id {
    /// The core id, after checking the fields.
    pub(crate) fn to_core(self) -> Result<TemplateId, fc_status> {
        id_from_digits(&self.digits, self.len)
    }
}

/// The digits of a core id, zero-padded, and their count.
fn digits_of<K: IdKind>(id: &Id<K>) -> ([u8; FC_INSTANCE_ID_DIGITS], u8) {
    let mut digits = [0u8; FC_INSTANCE_ID_DIGITS];
    let text = id.digits().as_bytes();
    for (dst, src) in digits.iter_mut().zip(text) {
        *dst = *src;
    }
    // The core stores at most 17 digits, so this never saturates.
    let len = u8::try_from(text.len().min(FC_INSTANCE_ID_DIGITS)).unwrap_or(u8::MAX);
    (digits, len)
}

/// Checks C id fields as the core's parser checks text, and makes the id.
fn id_from_digits<K: IdKind>(
    digits: &[u8; FC_INSTANCE_ID_DIGITS],
    len: u8,
) -> Result<Id<K>, fc_status> {
    const PREFIX_MAX: usize = 8;
    let len = usize::from(len);
    let digits = digits.get(..len).ok_or(fc_status::IdBadLength)?;
    let prefix = K::PREFIX.as_bytes();
    let mut text = [0u8; PREFIX_MAX + FC_INSTANCE_ID_DIGITS];
    let head = prefix.len().min(PREFIX_MAX);
    let (dst, rest) = text.split_at_mut(head);
    dst.copy_from_slice(prefix.get(..head).ok_or(fc_status::IdWrongPrefix)?);
    rest.get_mut(..len)
        .ok_or(fc_status::IdBadLength)?
        .copy_from_slice(digits);
    let text = text
        .get(..len.saturating_add(head))
        .ok_or(fc_status::IdBadLength)?;
    // A byte that is not ASCII cannot be a hex digit; the parser reports the rest.
    let text = core::str::from_utf8(text).map_err(|_| fc_status::IdNotHex)?;
    Ok(Id::<K>::parse(text)?)
}

/// Parses an instance id in the AWS form, `i-` and 17 (or legacy 8) lowercase hex digits.
///
/// `text` is borrowed for the call only. On success `*out_id` is set; on error it is not written.
/// Errors: `FC_STATUS_NOT_UTF8`, `IdError::WrongPrefix`, `IdError::BadLength`,
/// `IdError::NotHex` (uppercase digits are refused, so an id has one spelling). Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_instance_id_parse(
    text: *const c_char,
    out_id: *mut fc_instance_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `text` and `out_id`.
        let (text, out) = unsafe { (input_str(text)?, Out::new(out_id)?) };
        out.write(InstanceId::parse(text)?.into());
        Ok(())
    })
}

/// Writes an id's text (`i-0123456789abcdef0`) and a NUL into `out_buf`.
///
/// `len` is the size of `out_buf` in bytes; `FC_INSTANCE_ID_TEXT_SIZE` is always enough. On success
/// the text and NUL are written and `*out_written` is set to the text's length without the NUL (19,
/// or 10 for a legacy id); on error neither output is written. Errors: `FC_STATUS_BUFFER_TOO_SMALL`
/// if `len` is less than the text's length plus one, or an an `IdError` code for an `id` whose
/// fields are not a valid id. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_instance_id_format(
    id: *const fc_instance_id,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `id`, `out_buf`/`len` and `out_written`.
        let (id, buf, written) = unsafe {
            (
                input(id)?,
                OutText::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let id = id.to_core()?;
        let mut text = [0u8; FC_INSTANCE_ID_TEXT_SIZE];
        let n = id.write_to(&mut text)?;
        written.write(buf.write(text.get(..n).ok_or(fc_status::BufferTooSmall)?)?);
        Ok(())
    })
}

/// Parses a launch template id, `lt-` and 17 (or legacy 8) lowercase hex digits, as
/// `fc_instance_id_parse` parses instance ids. Errors: `FC_STATUS_NOT_UTF8`,
/// `IdError::WrongPrefix`, `IdError::BadLength`, `IdError::NotHex`. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_template_id_parse(
    text: *const c_char,
    out_id: *mut fc_template_id,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `text` and `out_id`.
        let (text, out) = unsafe { (input_str(text)?, Out::new(out_id)?) };
        out.write(TemplateId::parse(text)?.into());
        Ok(())
    })
}

/// Bytes a buffer needs for any launch template id's text: `"lt-"`, 17 digits and the NUL.
pub const FC_TEMPLATE_ID_TEXT_SIZE: usize = 21;

/// Writes `*id` as text (`"lt-0123456789abcdef0"`) and a NUL into `out_buf` (`len` bytes;
/// `FC_TEMPLATE_ID_TEXT_SIZE` always suffice), for `fc_group_config.template_id`. On success
/// `*out_written` is the text's length without the NUL. Errors: an `IdError` (fields set by
/// hand wrongly), `FC_STATUS_BUFFER_TOO_SMALL`. Thread-safe.
/// # Safety
/// Pointers follow the header's rules: NULL or valid for their use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn fc_template_id_format(
    id: *const fc_template_id,
    out_buf: *mut c_char,
    len: usize,
    out_written: *mut usize,
) -> fc_status {
    boundary(|| {
        // SAFETY: the caller's contract for `id`, `out_buf`/`len` and `out_written`.
        let (id, buf, written) = unsafe {
            (
                input(id)?,
                OutText::new(out_buf, len)?,
                Out::new(out_written)?,
            )
        };
        let id = id.to_core()?;
        let mut text = [0u8; FC_TEMPLATE_ID_TEXT_SIZE];
        let n = id.write_to(&mut text)?;
        written.write(buf.write(text.get(..n).ok_or(fc_status::BufferTooSmall)?)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ffi::CStr;

    fn parse(text: &CStr) -> Result<fc_instance_id, fc_status> {
        let mut id = fc_instance_id {
            digits: [9; 17],
            len: 9,
        };
        // SAFETY: a C string and a valid out-pointer.
        match unsafe { fc_instance_id_parse(text.as_ptr(), &raw mut id) } {
            fc_status::Ok => Ok(id),
            e => {
                assert_eq!(
                    id,
                    fc_instance_id {
                        digits: [9; 17],
                        len: 9
                    },
                    "written on error"
                );
                Err(e)
            }
        }
    }

    fn format(id: &fc_instance_id, len: usize) -> Result<String, fc_status> {
        let mut buf = vec![b'#'; len + 1];
        let mut written = usize::MAX;
        // SAFETY: `buf` has `len` writable bytes (plus a guard byte); valid out-pointer.
        let status =
            unsafe { fc_instance_id_format(id, buf.as_mut_ptr().cast(), len, &raw mut written) };
        assert_eq!(buf[len], b'#', "wrote past len");
        if status != fc_status::Ok {
            assert!(
                buf.iter().all(|&b| b == b'#') && written == usize::MAX,
                "written on error"
            );
            return Err(status);
        }
        assert_eq!(buf[written], 0);
        Ok(String::from_utf8(buf[..written].to_vec()).unwrap())
    }

    #[test]
    fn parse_and_format_round_trip() {
        for text in [c"i-0123456789abcdef0", c"i-12345678"] {
            let id = parse(text).unwrap();
            assert_eq!(
                format(&id, FC_INSTANCE_ID_TEXT_SIZE).unwrap(),
                text.to_str().unwrap()
            );
        }
        let legacy = parse(c"i-12345678").unwrap();
        assert_eq!(legacy.len, 8);
        assert_eq!(&legacy.digits[8..], &[0; 9]);
    }

    #[test]
    fn core_ids_convert_both_ways() {
        let core = InstanceId::from_u64(0xdead_beef);
        let c = fc_instance_id::from(core);
        assert_eq!(c.to_core(), Ok(core));
        let lt = TemplateId::parse("lt-12345678").unwrap();
        let c = fc_template_id::from(lt);
        assert_eq!((c.len, &c.digits[8..]), (8, &[0u8; 9][..]));
        assert_eq!(c.to_core(), Ok(lt));
        let mut bad = c;
        bad.digits[0] = b'X';
        assert_eq!(bad.to_core(), Err(fc_status::IdNotHex));
        bad.len = 18;
        assert_eq!(bad.to_core(), Err(fc_status::IdBadLength));
    }

    #[test]
    fn malformed_text_gives_the_core_code() {
        assert_eq!(
            parse(c"ami-0123456789abcdef0"),
            Err(fc_status::IdWrongPrefix)
        );
        assert_eq!(parse(c"i-0123"), Err(fc_status::IdBadLength));
        assert_eq!(parse(c"i-0123456789ABCDEF0"), Err(fc_status::IdNotHex));
        assert_eq!(parse(c"i-\xff"), Err(fc_status::NotUtf8));
        let mut out = fc_instance_id {
            digits: [0; 17],
            len: 0,
        };
        // SAFETY: NULL is refused before any dereference.
        unsafe {
            assert_eq!(
                fc_instance_id_parse(core::ptr::null(), &raw mut out),
                fc_status::NullArgument
            );
            assert_eq!(
                fc_instance_id_parse(c"i-12345678".as_ptr(), core::ptr::null_mut()),
                fc_status::NullArgument
            );
        }
    }

    #[test]
    fn format_needs_room_for_the_nul() {
        let id = parse(c"i-0123456789abcdef0").unwrap();
        assert_eq!(format(&id, 19), Err(fc_status::BufferTooSmall));
        assert_eq!(format(&id, 0), Err(fc_status::BufferTooSmall));
        assert_eq!(format(&id, 20).unwrap().len(), 19);
    }

    #[test]
    fn hand_made_ids_are_checked() {
        let mut id = parse(c"i-0123456789abcdef0").unwrap();
        id.len = 18;
        assert_eq!(format(&id, 64), Err(fc_status::IdBadLength));
        id.len = 200;
        assert_eq!(format(&id, 64), Err(fc_status::IdBadLength));
        id.len = 10;
        assert_eq!(format(&id, 64), Err(fc_status::IdBadLength));
        id.len = 17;
        id.digits[3] = b'G';
        assert_eq!(format(&id, 64), Err(fc_status::IdNotHex));
        id.digits[3] = 0xc3;
        assert_eq!(format(&id, 64), Err(fc_status::IdNotHex));
    }
}
