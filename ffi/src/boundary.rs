//! Everything an exported function does before and after it calls the core: the panic boundary,
//! and the checked conversions of C pointers, strings and buffers into Rust values.
//!
//! Every pointer from C goes through one of these helpers; none is dereferenced anywhere else.
//! Each helper returns `FC_STATUS_NULL_ARGUMENT` for NULL and `FC_STATUS_MISALIGNED_ARGUMENT`
//! for a pointer not aligned for its type, so the `unsafe` left to the caller's contract is only
//! "this non-NULL pointer points at valid memory of the right size for the call".
//!
//! Outputs are written only on success: functions check every pointer first, compute the result,
//! and only then write through [`Out`] and [`OutText`], whose writes cannot fail.

use core::ffi::{CStr, c_char};
use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::status::fc_status;

/// The core value C number `v` stands for: the numbers are the core's own
/// ([`fleetcore::vocab::Vocabulary`]), which the header's `FC_*` enumerators are generated
/// from; `FC_STATUS_INVALID_ENUM_VALUE` for any other number.
pub(crate) fn enum_value<T: fleetcore::vocab::Vocabulary>(v: u32) -> Result<T, fc_status> {
    T::from_number(v).ok_or(fc_status::InvalidEnumValue)
}

/// Runs `f`; under the `std` feature a panic inside it returns `on_panic` instead of unwinding
/// into C (which would abort the process).
///
/// Without `std` there is nothing to catch: the firmware's panic handler runs.
pub(crate) fn guard<T: Copy>(on_panic: T, f: impl FnOnce() -> T) -> T {
    #[cfg(feature = "std")]
    {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(on_panic)
    }
    #[cfg(not(feature = "std"))]
    {
        let _ = on_panic;
        f()
    }
}

/// The body of every fallible exported function: `Ok(())` becomes `FC_STATUS_OK`, `Err(s)`
/// becomes `s`, and a panic becomes `FC_STATUS_PANIC`.
pub(crate) fn boundary(f: impl FnOnce() -> Result<(), fc_status>) -> fc_status {
    guard(fc_status::Panic, || match f() {
        Ok(()) => fc_status::Ok,
        Err(status) => status,
    })
}

/// Borrows an input object.
///
/// # Safety
/// `p` is NULL or points to a valid, initialised `T` that nothing writes during `'a`.
pub(crate) unsafe fn input<'a, T>(p: *const T) -> Result<&'a T, fc_status> {
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    // SAFETY: aligned (checked above); valid and unaliased by the caller's contract. `as_ref`
    // turns NULL into `None`.
    unsafe { p.as_ref() }.ok_or(fc_status::NullArgument)
}

/// Borrows an input string: NUL-terminated UTF-8 text.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that stays valid and unchanged during `'a`.
pub(crate) unsafe fn input_str<'a>(p: *const c_char) -> Result<&'a str, fc_status> {
    if p.is_null() {
        return Err(fc_status::NullArgument);
    }
    // SAFETY: not NULL (checked above); NUL-terminated and valid for `'a` by the caller's contract.
    let text = unsafe { CStr::from_ptr(p) };
    text.to_str().map_err(|_| fc_status::NotUtf8)
}

/// A checked out-pointer: the caller's storage for one `T`, written at most once, on success.
///
/// Writing uses `ptr::write`, so the storage may be uninitialised and the old value (if any) is
/// neither read nor dropped.
pub(crate) struct Out<'a, T> {
    ptr: NonNull<T>,
    _storage: PhantomData<&'a mut T>,
}

impl<T> Out<'_, T> {
    /// Checks an out-pointer without writing it.
    ///
    /// # Safety
    /// `p` is NULL or valid for writes of one `T`, and no other pointer the call uses overlaps it.
    pub(crate) unsafe fn new(p: *mut T) -> Result<Self, fc_status> {
        let ptr = NonNull::new(p).ok_or(fc_status::NullArgument)?;
        if !p.is_aligned() {
            return Err(fc_status::MisalignedArgument);
        }
        Ok(Self {
            ptr,
            _storage: PhantomData,
        })
    }

    /// Writes the result.
    pub(crate) fn write(self, value: T) {
        // SAFETY: `new` checked NULL and alignment; the caller of `new` promised the storage is
        // writable and not otherwise in use for the lifetime of `self`.
        unsafe { self.ptr.as_ptr().write(value) }
    }
}

/// Borrows an input array of `len` elements. `(NULL, 0)` is the empty array; NULL with a
/// nonzero length is `FC_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `p` is NULL or points to `len` valid, initialised `T`s that nothing writes during `'a`.
pub(crate) unsafe fn input_slice<'a, T>(p: *const T, len: usize) -> Result<&'a [T], fc_status> {
    if p.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(fc_status::NullArgument)
        };
    }
    if !p.is_aligned() {
        return Err(fc_status::MisalignedArgument);
    }
    // SAFETY: not NULL and aligned (checked above); `len` valid elements that stay unchanged
    // during 'a by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// A checked output array: the caller's storage for `len` values of `T`, written only on
/// success.
pub(crate) struct OutSlice<'a, T> {
    ptr: NonNull<T>,
    len: usize,
    _storage: PhantomData<&'a mut [T]>,
}

impl<T> OutSlice<'_, T> {
    /// Checks an output array without writing it.
    ///
    /// # Safety
    /// `p` is NULL or valid for writes of `len` values of `T`, and no other pointer the call
    /// uses overlaps them.
    pub(crate) unsafe fn new(p: *mut T, len: usize) -> Result<Self, fc_status> {
        let ptr = NonNull::new(p).ok_or(fc_status::NullArgument)?;
        if !p.is_aligned() {
            return Err(fc_status::MisalignedArgument);
        }
        Ok(Self {
            ptr,
            len,
            _storage: PhantomData,
        })
    }

    /// The number of values the storage holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Writes `value` at `index`; returns false (writing nothing) past the storage's end.
    pub(crate) fn put(&mut self, index: usize, value: T) -> bool {
        if index >= self.len {
            return false;
        }
        // SAFETY: `index < len`, so the slot is inside the storage `new` was given; the caller
        // of `new` promised it is writable and not otherwise in use.
        unsafe { self.ptr.as_ptr().add(index).write(value) };
        true
    }
}

impl<'a> OutSlice<'a, u8> {
    /// The first `n` bytes of the storage, zeroed, for a core function that fills a
    /// `&mut [u8]`.
    ///
    /// # Errors
    /// `FC_STATUS_BUFFER_TOO_SMALL` if `n` is more than the storage holds; nothing is written
    /// then.
    pub(crate) fn zeroed(self, n: usize) -> Result<&'a mut [u8], fc_status> {
        if n > self.len {
            return Err(fc_status::BufferTooSmall);
        }
        let p = self.ptr.as_ptr();
        // SAFETY: `n <= len` bytes are writable and unaliased for 'a (contract of `new`); after
        // `write_bytes` they are initialised, so the slice is valid.
        unsafe {
            p.write_bytes(0, n);
            Ok(core::slice::from_raw_parts_mut(p, n))
        }
    }
}

/// A checked output buffer of `len` bytes for NUL-terminated text.
pub(crate) struct OutText<'a> {
    ptr: NonNull<u8>,
    len: usize,
    _storage: PhantomData<&'a mut [u8]>,
}

impl OutText<'_> {
    /// Checks a `(buffer, length)` pair without writing it.
    ///
    /// # Safety
    /// `p` is NULL or valid for writes of `len` bytes, and no other pointer the call uses
    /// overlaps those bytes.
    pub(crate) unsafe fn new(p: *mut c_char, len: usize) -> Result<Self, fc_status> {
        let ptr = NonNull::new(p.cast::<u8>()).ok_or(fc_status::NullArgument)?;
        Ok(Self {
            ptr,
            len,
            _storage: PhantomData,
        })
    }

    /// Copies `text` and a terminating NUL into the buffer and returns `text.len()`.
    ///
    /// # Errors
    /// `FC_STATUS_BUFFER_TOO_SMALL` if `text` and the NUL do not fit; nothing is written then.
    pub(crate) fn write(self, text: &[u8]) -> Result<usize, fc_status> {
        let needed = text.len().checked_add(1).ok_or(fc_status::BufferTooSmall)?;
        if needed > self.len {
            return Err(fc_status::BufferTooSmall);
        }
        let dst = self.ptr.as_ptr();
        // SAFETY: `needed <= len` bytes from `dst` are writable (contract of `new`); `text` is a
        // Rust slice, so it cannot overlap the caller's buffer, which nothing else borrows.
        unsafe {
            dst.copy_from_nonoverlapping(text.as_ptr(), text.len());
            dst.add(text.len()).write(0);
        }
        Ok(text.len())
    }
}

/// A fixed buffer that `core::fmt` writes into, for text built with `Display`.
pub(crate) struct TextBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> TextBuf<N> {
    /// An empty buffer.
    pub(crate) const fn new() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    /// The text written so far.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl<const N: usize> fmt::Write for TextBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write as _;

    #[test]
    fn boundary_maps_results_and_panics() {
        assert_eq!(boundary(|| Ok(())), fc_status::Ok);
        assert_eq!(boundary(|| Err(fc_status::FleetFull)), fc_status::FleetFull);
        assert_eq!(boundary(|| panic!("boom")), fc_status::Panic);
        assert_eq!(guard(1, || -> i32 { panic!("boom") }), 1);
    }

    #[test]
    fn null_and_misaligned_pointers_are_refused() {
        // SAFETY: NULL and misaligned pointers are rejected before any dereference.
        unsafe {
            assert_eq!(
                input::<u64>(core::ptr::null()).err(),
                Some(fc_status::NullArgument)
            );
            assert_eq!(
                Out::<u64>::new(core::ptr::null_mut()).err(),
                Some(fc_status::NullArgument)
            );
            assert_eq!(
                input_str(core::ptr::null()).err(),
                Some(fc_status::NullArgument)
            );
            assert_eq!(
                OutText::new(core::ptr::null_mut(), 8).err(),
                Some(fc_status::NullArgument)
            );
            let words = [0u64; 2];
            let odd = words.as_ptr().wrapping_byte_add(1);
            assert_eq!(input(odd).err(), Some(fc_status::MisalignedArgument));
            assert_eq!(
                Out::new(odd.cast_mut()).err(),
                Some(fc_status::MisalignedArgument)
            );
        }
    }

    #[test]
    fn strings_must_be_utf8() {
        let bad = [0xffu8, 0xfe, 0];
        // SAFETY: both are NUL-terminated arrays that outlive the calls.
        unsafe {
            assert_eq!(
                input_str(bad.as_ptr().cast()).err(),
                Some(fc_status::NotUtf8)
            );
            assert_eq!(input_str(c"running".as_ptr()), Ok("running"));
        }
    }

    #[test]
    fn text_needs_room_for_the_nul_and_is_untouched_when_short() {
        let mut buf = [b'x'; 4];
        // SAFETY: `buf` is 4 writable bytes, borrowed by nothing else during the calls.
        unsafe {
            let short = OutText::new(buf.as_mut_ptr().cast(), 4).unwrap();
            assert_eq!(short.write(b"abcd"), Err(fc_status::BufferTooSmall));
            assert_eq!(buf, *b"xxxx");
            let fits = OutText::new(buf.as_mut_ptr().cast(), 4).unwrap();
            assert_eq!(fits.write(b"abc"), Ok(3));
        }
        assert_eq!(buf, *b"abc\0");
    }

    #[test]
    fn text_buf_refuses_to_overflow() {
        let mut t = TextBuf::<4>::new();
        assert!(write!(t, "abc").is_ok());
        assert!(write!(t, "de").is_err());
        assert_eq!(t.as_bytes(), b"abc");
    }
}
