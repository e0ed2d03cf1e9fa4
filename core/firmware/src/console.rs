//! Lines of text over semihosting, without a reachable panic.
//!
//! `semihosting::println!` formats through `semihosting::io::Write::write_fmt`, whose adapter
//! reaches two panics: its "formatting trait returned an error" `panic!`, and the
//! `assert!(fd != -1)` in `BorrowedFd::borrow_raw`, which the optimiser cannot rule out once
//! the file descriptor has gone through `core::fmt`'s `dyn Write`. Here each line is formatted
//! into a fixed buffer first (a line too long is cut and marked, never a panic), then written
//! in one call next to the `open` that checked the descriptor, so the `panic-never` build links.

use core::fmt::{self, Write as _};

use semihosting::fd::{AsFd as _, BorrowedFd};
use semihosting::io;
use semihosting::sys::arm_compat::sys_write_orig;

/// Longest line printed whole; the firmware's lines are well under it.
const LINE: usize = 256;

/// Ends a line that did not fit in [`LINE`] bytes.
const CUT: &[u8] = b" [line cut]\n";

/// A line being formatted.
struct Line {
    buf: [u8; LINE],
    len: usize,
}

impl fmt::Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let dst = self.buf.get_mut(self.len..).ok_or(fmt::Error)?;
        let n = s.len().min(dst.len());
        let (Some(dst), Some(src)) = (dst.get_mut(..n), s.as_bytes().get(..n)) else {
            return Err(fmt::Error);
        };
        dst.copy_from_slice(src);
        self.len += n;
        if n < s.len() { Err(fmt::Error) } else { Ok(()) }
    }
}

/// Prints `args` and a newline to the semihosting console (QEMU's stdout).
pub fn line(args: fmt::Arguments<'_>) {
    let mut l = Line { buf: [0; LINE], len: 0 };
    let whole = l.write_fmt(args).is_ok() && l.write_str("\n").is_ok();
    let text = l.buf.get(..l.len).unwrap_or_default();
    let Ok(out) = io::stdout() else {
        return;
    };
    // Borrowed here, next to the `open` that returned it: `as_fd` asserts the descriptor is not
    // -1, which the optimiser can see `open` checked only within the one function.
    let fd = out.as_fd();
    write_all(fd, text);
    if !whole {
        write_all(fd, CUT);
    }
}

/// Writes all of `bytes`; console output has nowhere to report a failure to, so one ends the
/// line (as `println!` drops it).
fn write_all(fd: BorrowedFd<'_>, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SYS_WRITE answers how many bytes were *not* written.
        let Ok(left) = sys_write_orig(fd, bytes) else {
            return;
        };
        match bytes.len().checked_sub(left) {
            Some(done) if done > 0 => bytes = bytes.get(done..).unwrap_or_default(),
            _ => return,
        }
    }
}

/// Writes `bytes` as they are (the defmt binary's frames) to the semihosting console.
pub fn write(bytes: &[u8]) {
    if let Ok(out) = io::stdout() {
        write_all(out.as_fd(), bytes);
    }
}

/// `println!` through [`line`].
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::console::line(::core::format_args!($($arg)*))
    };
}

/// A scenario's log as it is written: each complete line printed with the scenario's prefix
/// (`golden NAME: …`), the form `scripts/firmware.sh` compares with the golden files. Shared by
/// the `golden` and `golden_doc` binaries.
pub struct GoldenLines<'a> {
    name: &'a str,
    line: heapless::String<192>,
}

impl<'a> GoldenLines<'a> {
    /// An empty log for the scenario `name`.
    pub fn new(name: &'a str) -> Self {
        Self { name, line: heapless::String::new() }
    }
}

impl core::fmt::Write for GoldenLines<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for c in s.chars() {
            if c == '\n' {
                crate::say!("golden {}: {}", self.name, self.line);
                self.line.clear();
            } else {
                self.line.push(c).map_err(|_| core::fmt::Error)?;
            }
        }
        Ok(())
    }
}
