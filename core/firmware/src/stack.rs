//! Stack high-water mark.
//!
//! cortex-m-rt's `paint-stack` feature fills everything between `_stack_end` (just above the
//! statics) and `_stack_start` (the top of RAM) with [`cortex_m_rt::STACK_PAINT_VALUE`] before
//! `main`. The stack grows down from `_stack_start`, so the first word from the bottom that no
//! longer holds the paint marks the deepest point the stack has reached.

use core::sync::atomic::Ordering;

/// How much of the stack has been used so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackUsage {
    /// Bytes from the top of the stack down to the deepest word written.
    pub used: usize,
    /// Bytes between `_stack_end` and `_stack_start`.
    pub size: usize,
}

/// The deepest point seen before [`measure`] painted the stack again (it erases the marks).
static PEAK: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// Scans the painted stack from the bottom up for the first word that was written (or the
/// deepest point seen before a [`measure`], if deeper).
pub fn high_water() -> StackUsage {
    unsafe extern "C" {
        // Linker-script symbols from cortex-m-rt's link.x: only their addresses are meaningful.
        static _stack_start: u32;
        static _stack_end: u32;
    }
    let top = &raw const _stack_start as usize;
    let bottom = &raw const _stack_end as usize;
    let used = (top - first_written(bottom, top)).max(PEAK.load(Ordering::Relaxed));
    StackUsage { used, size: top - bottom }
}

/// The lowest word of `[bottom, top)` that no longer holds the paint (`top` if none).
fn first_written(bottom: usize, top: usize) -> usize {
    let mut p = bottom;
    while p < top {
        // SAFETY: callers pass stack RAM reserved by the linker script (or a part of it), 4-byte
        // aligned (link.x asserts it), and reading it has no side effects.
        let word = unsafe { core::ptr::read_volatile(p as *const u32) };
        if word != cortex_m_rt::STACK_PAINT_VALUE {
            break;
        }
        p += 4;
    }
    p
}

/// Runs `f` and returns what it returned with the bytes of stack it used below the caller's
/// frame: the stack under the current stack pointer is painted again first, then scanned as
/// [`high_water`] does. Only for code that runs without interrupts (these binaries have none).
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, usize) {
    unsafe extern "C" {
        // Linker-script symbol from cortex-m-rt's link.x: only its address is meaningful.
        static _stack_end: u32;
    }
    let bottom = &raw const _stack_end as usize;
    // Painting again erases the deepest marks so far: keep them first (load and store only:
    // the Cortex-M0 has no atomic read-modify-write, and nothing else runs).
    let deepest = high_water().used;
    PEAK.store(deepest, Ordering::Relaxed);
    // Keep clear of this function's own frame, which sits just below the pointer read here.
    let sp = cortex_m::register::msp::read() as usize;
    let top = sp.saturating_sub(256) & !3;
    let mut p = bottom;
    while p < top {
        // SAFETY: [bottom, top) is stack below every live frame (the pointer read above, less
        // a margin for this frame); nothing else uses it without interrupts.
        unsafe { core::ptr::write_volatile(p as *mut u32, cortex_m_rt::STACK_PAINT_VALUE) };
        p += 4;
    }
    let r = f();
    (r, sp.saturating_sub(first_written(bottom, top)))
}
