//! The scenario runner (`fleetcore::sim::Simulator`) for `fleetcore.simulate`: the trace is
//! read and resampled here, the steps run with the GIL released, and the per-step columns go
//! back to Python as little-endian bytes for `numpy.frombuffer`.
//!
//! Resampling: the trace is a step function (each value holds until the next timestamp, the
//! last one to the end of the last step). Steps start at the first timestamp and cover it up to
//! the last timestamp; each step's load is the time-weighted mean of the trace over the step,
//! in exact integer arithmetic, rounded to the nearest thousandth. When the steps are no longer
//! than the trace's intervals and aligned with them, that is the trace's value at the step's
//! start.

use std::fmt::Write as _;

use fleetcore::group::{self, Source};
use fleetcore::id::InstanceId;
use fleetcore::scaling::Value;
use fleetcore::sim::{PoolRisk, Simulator, SpotRisk, Totals, World};
use fleetcore::{Duration, Instant};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyDict};

use crate::errors::{IntoPyResult, value_error};
use crate::group::{
    CoreGroup, GROUP_CAPACITY, Group, HISTORY, MetricRef, SCHEDULED, action_id, action_kind,
};
use crate::time::{Seconds, to_seconds};
use crate::value::{Milli, to_float};

type CoreSimulator = Simulator<GROUP_CAPACITY, fleetcore::group::AllParts<HISTORY, SCHEDULED>>;

/// A trace point: milliseconds since the epoch and the load in thousandths.
type Point = (u64, i64);

/// The little-endian `f64`s of a trace column, read in place (no copy of 2.5 MB a column).
fn f64s(bytes: &[u8]) -> PyResult<impl ExactSizeIterator<Item = f64> + '_> {
    if !bytes.len().is_multiple_of(8) {
        return Err(value_error(
            "trace columns must be whole little-endian f64 values",
        ));
    }
    Ok(bytes.chunks_exact(8).map(|c| {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        f64::from_le_bytes(a)
    }))
}

/// Checks and converts the trace: times in seconds to milliseconds, loads to thousandths.
fn trace_points(times: &[u8], values: &[u8]) -> PyResult<Vec<Point>> {
    let (times, values) = (f64s(times)?, f64s(values)?);
    if times.len() != values.len() {
        return Err(value_error(format!(
            "trace has {} times but {} values",
            times.len(),
            values.len()
        )));
    }
    if times.len() == 0 {
        return Err(value_error("trace is empty"));
    }
    let mut points: Vec<Point> = Vec::with_capacity(times.len());
    for (i, (t, v)) in times.zip(values).enumerate() {
        let at = Seconds::from_f64(t).map_err(|_| {
            value_error(format!(
                "trace time {t} at row {i} is not a time in seconds since the epoch"
            ))
        })?;
        if v.is_nan() || v < 0.0 {
            return Err(value_error(format!(
                "trace load {v} at row {i} must be a non-negative number"
            )));
        }
        let load = Milli::from_f64(v)?.0.milli();
        let ms = at.instant().total_millis();
        if points.last().is_some_and(|&(prev, _)| ms < prev) {
            return Err(value_error(format!(
                "trace times must not decrease (row {i})"
            )));
        }
        points.push((ms, load));
    }
    Ok(points)
}

/// [`resample_into`] a new vector (the tests' form).
#[cfg(test)]
fn resample(points: &[Point], step_ms: u64) -> Vec<Value> {
    resample_into(points, step_ms, Vec::new())
}

/// The time-weighted mean load of each step (see the module docs), into `loads` (emptied
/// first), so that a run reuses the storage a dropped run gave back ([`lists::take_loads`]:
/// 2.5 MB for 7 months of minutes, 600 page faults a run when fresh).
///
/// The steps that one trace point covers whole (all of them for a trace at the step's own
/// interval, 29 of 30 for the taxi trace's half hours at one-minute steps) take its value as a
/// run, found by one division, not step by step (preparing a 7-month run cost 15 M
/// instructions, issue 20); the others take [`step_mean`].
#[allow(clippy::many_single_char_names)] // Step bounds and indices, as in the docs.
fn resample_into(points: &[Point], step_ms: u64, mut loads: Vec<Value>) -> Vec<Value> {
    loads.clear();
    let (Some(&(t0, _)), Some(&(end, _))) = (points.first(), points.last()) else {
        return loads;
    };
    let n = (end - t0) / step_ms + 1;
    loads.reserve(usize::try_from(n).unwrap_or(0));
    let mut j = 0; // the point in force at the start of step `k`
    let mut k = 0;
    while k < n {
        let a = t0 + k * step_ms;
        while points.get(j + 1).is_some_and(|&(t, _)| t <= a) {
            j += 1;
        }
        let Some(&(_, v)) = points.get(j) else {
            break;
        };
        // The steps from `k` that end by the next point's time are covered by point `j`
        // alone: its value is their mean (loads are non-negative, so `step_mean`'s rounding
        // gives it too). The last point covers every step left.
        let whole = points
            .get(j + 1)
            .map_or(n - k, |&(t, _)| ((t - a) / step_ms).min(n - k));
        if whole == 0 {
            // The next point falls inside the step.
            loads.push(step_mean(points, j, a, a + step_ms));
            k += 1;
            continue;
        }
        let run = usize::try_from(whole).unwrap_or(0);
        loads.extend(core::iter::repeat_n(Value::from_milli(v), run));
        k += whole;
    }
    loads
}

/// The reference [`resample`] must agree with: every step's time-weighted mean taken on its
/// own by [`step_mean`], with no shortcut.
#[cfg(test)]
fn resample_step_by_step(points: &[Point], step_ms: u64) -> Vec<Value> {
    let (Some(&(t0, _)), Some(&(end, _))) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let n = (end - t0) / step_ms + 1;
    let mut loads = Vec::new();
    let mut j = 0;
    for k in 0..n {
        let (a, b) = (t0 + k * step_ms, t0 + (k + 1) * step_ms);
        while points.get(j + 1).is_some_and(|&(t, _)| t <= a) {
            j += 1;
        }
        loads.push(step_mean(points, j, a, b));
    }
    loads
}

/// The time-weighted mean over `[a, b)` of the trace from point `j` (the one in force at
/// `a`), rounded to the nearest thousandth: the reference `resample`'s shortcut must agree
/// with.
fn step_mean(points: &[Point], j: usize, a: u64, b: u64) -> Value {
    let mut sum: i128 = 0;
    let mut i = j;
    let mut from = a;
    while let Some(&(_, v)) = points.get(i) {
        let next = points.get(i + 1).map_or(b, |&(t, _)| t.min(b));
        sum += i128::from(v) * i128::from(next.saturating_sub(from));
        if next >= b {
            break;
        }
        from = next;
        i += 1;
    }
    let step = i128::from(b - a);
    let mean = (sum + step / 2) / step;
    Value::from_milli(i64::try_from(mean).unwrap_or(i64::MAX))
}

/// One column's bytes, written in place into the bytearray `columns()` hands over: created
/// at its full size (one row per step) and uninitialised, so that its pages are touched once,
/// by the steps, and handed over without a copy. Building the bytes in a `Vec` and copying
/// them into a bytearray at the end cost 6 ms of a 7-month run's 40 MB (issue 20).
struct Column {
    /// The owner of the storage; `None` once handed over (or when nothing is recorded).
    array: Option<Py<PyByteArray>>,
    /// The bytearray's storage: `cap` bytes, of which the first `len` are written.
    base: *mut u8,
    cap: usize,
    len: usize,
}

// SAFETY: `base` points into the storage of the bytearray `array` owns. That bytearray is
// created here and never exposed to Python before `take` hands it over (and forgets `base`),
// so no Python code can resize or free it while `base` is used; the steps that write through
// `base` run with the GIL released but hold `&mut` to the column (the pyclass' borrow), so
// one thread at a time writes.
unsafe impl Send for Column {}

// SAFETY: through `&Column` nothing writes the storage (only `put` and `take`, which take
// `&mut`), so sharing references between threads shares reads only.
unsafe impl Sync for Column {}

impl Default for Column {
    fn default() -> Self {
        Self {
            array: None,
            base: core::ptr::null_mut(),
            cap: 0,
            len: 0,
        }
    }
}

impl Column {
    /// A column of `rows` rows of `width` bytes, uninitialised (no step's bytes yet).
    fn new(py: Python<'_>, rows: usize, width: usize) -> PyResult<Self> {
        let cap = rows.saturating_mul(width);
        if let Some(array) = spare::take(py, cap) {
            return Ok(Self::over(array, cap));
        }
        let size = pyo3::ffi::Py_ssize_t::try_from(cap)
            .map_err(|_| value_error("the trace is too long to record"))?;
        // SAFETY: a null source asks CPython for an uninitialised bytearray of `size` bytes;
        // the new reference is owned by the `Bound` (or the error is taken).
        let array = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                pyo3::ffi::PyByteArray_FromStringAndSize(core::ptr::null(), size),
            )?
            .cast_into_unchecked::<PyByteArray>()
        };
        Ok(Self::over(array.unbind(), cap))
    }

    /// A column writing into `array`, a bytearray of `cap` bytes that only this column holds.
    fn over(array: Py<PyByteArray>, cap: usize) -> Self {
        // SAFETY: `array` is a bytearray of `cap` bytes that nothing else references (new, or
        // a spare whose only holder was the pool); its storage stays where it is while
        // nothing resizes it (see `Send` above).
        let base = unsafe { pyo3::ffi::PyByteArray_AsString(array.as_ptr()) }.cast::<u8>();
        Self {
            array: Some(array),
            base,
            cap,
            len: 0,
        }
    }

    /// Appends rows of 8 bytes, each given as the `u64` whose little-endian bytes it is,
    /// bypassing the cache where the target allows (written step by step, the columns' new
    /// lines were first read from memory and pushed the simulator's own state out of the
    /// cache, issue 20); the rows past the column's size are not kept.
    fn put_words(&mut self, words: &[u64]) {
        let room = self.cap.saturating_sub(self.len) / 8;
        let words = words.get(..room).unwrap_or(words);
        // SAFETY: `len + 8 × words.len() <= cap` (cut to the room above), so every row lands
        // inside the bytearray's storage (`base` is non-null whenever `cap > 0`), which
        // nothing else reads or writes meanwhile.
        unsafe {
            let at = self.base.add(self.len);
            for (i, &w) in words.iter().enumerate() {
                store_word(at.add(i * 8), w);
            }
        }
        self.len = self.len.saturating_add(words.len() * 8);
    }

    /// Appends `rows` rows of 8 bytes, each the little-endian bytes of `word`, bypassing the
    /// cache where the target allows (as [`Column::put_words`]); the rows past the column's
    /// size are not kept.
    fn fill_words(&mut self, word: u64, rows: usize) {
        let rows = rows.min(self.cap.saturating_sub(self.len) / 8);
        // SAFETY: `len + 8 × rows <= cap` (cut to the room above), so every row lands inside
        // the bytearray's storage (`base` is non-null whenever `cap > 0`), which nothing else
        // reads or writes meanwhile.
        unsafe {
            let at = self.base.add(self.len);
            for i in 0..rows {
                store_word(at.add(i * 8), word);
            }
        }
        self.len = self.len.saturating_add(rows * 8);
    }

    /// Appends `rows` one-byte rows of `byte`; the rows past the column's size are not kept.
    fn fill_bytes(&mut self, byte: u8, rows: usize) {
        let rows = rows.min(self.cap.saturating_sub(self.len));
        // SAFETY: `len + rows <= cap` (cut to the room above), so the rows land inside the
        // bytearray's storage (`base` is non-null whenever `cap > 0`), which nothing else
        // reads or writes meanwhile.
        unsafe {
            self.base.add(self.len).write_bytes(byte, rows);
        }
        self.len = self.len.saturating_add(rows);
    }

    /// The bytes written so far, for tests.
    #[cfg(test)]
    fn bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the first `len` bytes of the storage are written (by `put`).
        unsafe { core::slice::from_raw_parts(self.base, self.len) }
    }

    /// Hands the bytearray over, cut to the rows written (a run that stopped early wrote
    /// fewer than the trace has), so no unwritten byte reaches Python.
    fn take<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyByteArray>> {
        let len = self.len;
        let Some(array) = core::mem::take(self).array else {
            return Ok(PyByteArray::new(py, &[]));
        };
        let array = array.into_bound(py);
        if array.len() != len {
            array.resize(len)?;
        }
        spare::keep(&array);
        Ok(array)
    }
}

/// Writes the little-endian bytes of `w` at `dst`, around the cache where the target allows
/// ([`Column::put_words`], [`Column::fill_words`]).
///
/// # Safety
/// `dst` must be valid for writes of 8 bytes that nothing else reads or writes meanwhile.
#[inline]
unsafe fn store_word(dst: *mut u8, w: u64) {
    // A non-temporal store needs no alignment beyond the byte (`movnti`, SSE2, part of every
    // x86-64); it writes around the cache, so a run's 40 MB neither read their lines first
    // nor evict the simulator's own state. The storage comes from the allocator (8-aligned at
    // least) and rows are 8 bytes, so `dst` is aligned anyway.
    // SAFETY: the caller's promise: 8 writable bytes at `dst`, no one else using them.
    #[cfg(target_arch = "x86_64")]
    #[allow(clippy::cast_ptr_alignment)]
    unsafe {
        core::arch::x86_64::_mm_stream_si64(dst.cast::<i64>(), w.cast_signed());
    }
    // SAFETY: as above.
    #[cfg(not(target_arch = "x86_64"))]
    unsafe {
        dst.copy_from_nonoverlapping(w.to_le_bytes().as_ptr(), 8);
    }
}

/// The storage of the columns handed over by the last two runs, reused by a later run once
/// Python has dropped the result that held it (issue 20).
///
/// A 7-month run writes 40 MB of columns. Written into fresh memory, every 4 KiB page costs
/// a page fault (about 10,700 a run, 10-20 ms of a 0.1 s run), and the allocator gives a
/// dropped result's memory back to the system, so a loop of runs paid them on every run. A
/// spare is reused only when the pool is its only holder (its reference count is 1: no
/// result, array or view of it is left; every buffer view holds a reference), and only at
/// the same size, so no caller ever sees its bytes change; the rows a run writes overwrite
/// the old ones and `take` cuts the column to them, so no old byte is handed over either.
/// The pool holds at most two runs' columns and [`spare::LIMIT`] bytes: that is what a
/// dropped result can keep from the system until the next run.
mod spare {
    use pyo3::prelude::*;
    use pyo3::types::PyByteArray;
    use std::sync::Mutex;

    /// At most this many bytes of columns are kept (two 7-month runs fit).
    pub(super) const LIMIT: usize = 128 << 20;

    /// The columns of one run, 17 of them; two runs' worth are kept.
    const ENTRIES: usize = 2 * 17;

    /// Oldest first. Touched only with the GIL held (every caller has a `Python` token), so
    /// the lock is never contended; it is there because a `static` must be `Sync`.
    static POOL: Mutex<Vec<Py<PyByteArray>>> = Mutex::new(Vec::new());

    /// A spare of exactly `len` bytes that nothing but the pool holds, taken out of the pool.
    pub(super) fn take(py: Python<'_>, len: usize) -> Option<Py<PyByteArray>> {
        if len == 0 {
            return None;
        }
        let mut pool = POOL.lock().ok()?;
        // SAFETY: reading the reference count of an object the pool holds (so it is alive),
        // with the GIL held.
        let only_ours = |a: &Py<PyByteArray>| unsafe { pyo3::ffi::Py_REFCNT(a.as_ptr()) } == 1;
        // The newest first: its pages are the likeliest to be still in the cache.
        let at = pool
            .iter()
            .rposition(|a| only_ours(a) && a.bind(py).len() == len)?;
        Some(pool.remove(at))
    }

    /// Keeps `array` (just handed over) for a later run, dropping the oldest spares beyond
    /// two runs' worth or [`LIMIT`] bytes.
    pub(super) fn keep(array: &Bound<'_, PyByteArray>) {
        let py = array.py();
        let Ok(mut pool) = POOL.lock() else {
            return;
        };
        if array.len() == 0 || array.len() > LIMIT {
            return;
        }
        pool.push(array.clone().unbind());
        let mut bytes: usize = pool.iter().map(|a| a.bind(py).len()).sum();
        while pool.len() > ENTRIES || bytes > LIMIT {
            let oldest = pool.remove(0);
            bytes = bytes.saturating_sub(oldest.bind(py).len());
        }
    }
}

/// Rows gathered before they are written out: 64 rows fill 8 cache lines of an 8-byte column.
const BLOCK: usize = 64;

/// The recorded steps, kept as what changed from one step to the next, and expanded into a
/// column only when Python first reads it (issue 20).
///
/// Most of a step's fields are those of the step before (the taxi run's 309,571 steps change
/// about 516,000 of their 5 million fields, most of them the three costs), so a run writes
/// about 6 MB here instead of its 40 MB of columns, which cost a 7-month run about 10 ms of
/// stores to memory while the steps ran, and a figure is converted (`f64` divisions) only when
/// it changes. Each field keeps its own changes, each with its step, so that a column is built
/// by filling each run of equal rows between its field's changes, not step by step (reading
/// 11 columns looked at every step's changed fields 11 times: 126 M instructions for the taxi
/// run). `t` is not kept at all: it is the step's start, `t0 + k × step` (see
/// [`step_start`]).
struct Changes {
    /// Steps pushed.
    len: usize,
    /// Per field (numbered in the order of [`NAMES`] after `t`), the steps at which it
    /// changed: the first step, then each step whose field differs from the step before.
    at: [Vec<u32>; FIELDS],
    /// Per field, its word at each of those steps: `f64` bits for a figure (NaN for an absent
    /// one), `i64` for a count, 0 or 1 for `slo_breach`.
    words: [Vec<u64>; FIELDS],
    /// The last step pushed, compared with the next.
    last: Option<fleetcore::sim::Step>,
}

impl Changes {
    /// Room for each field to change at one step in 16 of `steps` (the taxi run's figures
    /// that change more often, the costs, grow their lists a few times), in lists a dropped
    /// run gave back when there are some ([`lists`]).
    fn with_capacity(steps: usize) -> Self {
        let changes = steps / FIELDS;
        let (mut at, mut words) = if steps == 0 {
            Default::default()
        } else {
            lists::take().unwrap_or_default()
        };
        for list in &mut at {
            list.reserve(changes);
        }
        for list in &mut words {
            list.reserve(changes);
        }
        Self {
            len: 0,
            at,
            words,
            last: None,
        }
    }

    /// Appends one step: the words of the fields that differ from the last step's. A step
    /// from [`MAX_RECORDED`] on is not kept (`_Simulation` records no run that long).
    #[allow(clippy::many_single_char_names)] // The step, the last one and three encodings.
    fn push(&mut self, s: &fleetcore::sim::Step) {
        let Some(step) = u32::try_from(self.len).ok().filter(|&n| n < MAX_RECORDED) else {
            return;
        };
        let p = self.last.as_ref();
        let f = |x: Value| to_float(x).to_bits();
        let o = |x: Option<Value>| x.map_or(f64::NAN, to_float).to_bits();
        let i = |x: u32| u64::from(x);
        let (at, words) = (&mut self.at, &mut self.words);
        // A field's word is a function of the field alone: an equal field has an equal word,
        // which is neither converted again nor stored.
        macro_rules! field {
            ($bit:literal, $name:ident, $word:expr) => {
                if p.is_none_or(|p| p.$name != s.$name) {
                    at[$bit].push(step);
                    words[$bit].push($word(s.$name));
                }
            };
        }
        field!(0, load, f);
        field!(1, desired, i);
        field!(2, capacity, i);
        field!(3, in_service, i);
        field!(4, utilisation, o);
        field!(5, launched, i);
        field!(6, terminated, i);
        field!(7, cost, f);
        field!(8, forecast, o);
        field!(9, on_demand_units, i);
        field!(10, spot_units, i);
        field!(11, interruptions, i);
        field!(12, cost_on_demand, f);
        field!(13, cost_reserved, f);
        field!(14, cost_spot, f);
        field!(15, slo_breach, u64::from);
        self.len += 1;
        self.last = Some(*s);
    }

    /// Column `index` of [`NAMES`] for the steps pushed, the `k`-th step starting at
    /// `step_start(t0, step_ms, k)`: each step's row is its field's last word up to it. One
    /// column alone, so that reading one writes 2.5 MB of a 7-month run, not 40 (issue 20).
    fn column(&self, py: Python<'_>, index: usize, t0: Instant, step_ms: u64) -> PyResult<Column> {
        let breach = index + 1 == NAMES.len();
        let mut column = Column::new(py, self.len, if breach { 1 } else { 8 })?;
        // `t` (index 0) is no field: it is the step's start.
        match index.checked_sub(1) {
            None => {
                let mut block = [0u64; BLOCK];
                let mut n = 0;
                for k in 0..self.len {
                    let t = to_seconds(step_start(t0, step_ms, k).total_millis()).to_bits();
                    if let Some(slot) = block.get_mut(n) {
                        *slot = t;
                    }
                    n += 1;
                    if n == BLOCK {
                        column.put_words(&block);
                        n = 0;
                    }
                }
                column.put_words(block.get(..n).unwrap_or(&block));
            }
            Some(field) => {
                // Each change of the field holds until its next one, the last to the end.
                let mut fill = |word: u64, rows: usize| {
                    if breach {
                        column.fill_bytes(u8::from(word != 0), rows);
                    } else {
                        column.fill_words(word, rows);
                    }
                };
                let (Some(at), Some(words)) = (self.at.get(field), self.words.get(field)) else {
                    return Ok(column);
                };
                let ends = at.iter().skip(1).map(|&k| k as usize).chain([self.len]);
                for ((&from, &word), to) in at.iter().zip(words).zip(ends) {
                    fill(word, to.saturating_sub(from as usize));
                }
            }
        }
        // SAFETY: `sfence` only orders this thread's earlier (non-temporal) stores before its
        // later ones; it reads and writes nothing.
        #[cfg(target_arch = "x86_64")]
        unsafe {
            core::arch::x86_64::_mm_sfence();
        }
        Ok(column)
    }
}

impl Drop for Changes {
    /// Gives the lists, emptied, to the next run ([`lists`]).
    fn drop(&mut self) {
        lists::keep((
            core::mem::take(&mut self.at),
            core::mem::take(&mut self.words),
        ));
    }
}

/// The lists of [`Changes`] and the action log that a dropped run gave back, for the next
/// run (issue 20). A 7-month run fills about 6 MB of lists and 1 MB of log; fresh from the
/// allocator, they cost a run of the taxi trace about 3,450 page faults in a loop that drops
/// each result unread (11 to 19 ms of kernel time beside a run of 0.1 s, `perf stat`;
/// BENCHMARKS.md, issue 20, stop 26), and each list's growth copies it. Kept here, they
/// stay mapped and keep the room they grew to. Nothing is shrunk, so a loop of `simulate`
/// holds at most three runs' worth: the result it still holds, the new run's and one kept.
mod lists {
    use super::{FIELDS, Logged, Value};
    use std::sync::{Mutex, PoisonError};

    /// One run's lists: the steps and the words of each field.
    pub(super) type Lists = ([Vec<u32>; FIELDS], [Vec<u64>; FIELDS]);

    /// Lists holding more than this many bytes are not kept (a run of years).
    const LIMIT: usize = 64 << 20;

    /// One run's emptied lists, if kept. A `Mutex` because runs are dropped on any thread;
    /// never held while anything else is locked.
    static LISTS: Mutex<Option<Lists>> = Mutex::new(None);

    /// One run's emptied action log, if kept.
    static LOG: Mutex<Option<Vec<Logged>>> = Mutex::new(None);

    /// One run's emptied loads, if kept.
    static LOADS: Mutex<Option<Vec<Value>>> = Mutex::new(None);

    /// The lists of a dropped run, emptied, if one was kept.
    pub(super) fn take() -> Option<Lists> {
        LISTS.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// Keeps `lists` (emptied here) for a later run, unless they hold nothing or too much,
    /// or a run's are kept already.
    pub(super) fn keep((mut at, mut words): Lists) {
        let bytes = at.iter().map(Vec::capacity).sum::<usize>() * 4
            + words.iter().map(Vec::capacity).sum::<usize>() * 8;
        if bytes == 0 || bytes > LIMIT {
            return;
        }
        at.iter_mut().for_each(Vec::clear);
        words.iter_mut().for_each(Vec::clear);
        LISTS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert((at, words));
    }

    /// The action log of a dropped run, emptied, or a new one.
    pub(super) fn take_log() -> Vec<Logged> {
        take_vec(&LOG)
    }

    /// Keeps `log` (emptied here) for a later run, as [`keep`] keeps lists.
    pub(super) fn keep_log(log: Vec<Logged>) {
        keep_vec(&LOG, log);
    }

    /// The loads of a dropped run, emptied, or new ones.
    pub(super) fn take_loads() -> Vec<Value> {
        take_vec(&LOADS)
    }

    /// Keeps `loads` (emptied here) for a later run, as [`keep`] keeps lists.
    pub(super) fn keep_loads(loads: Vec<Value>) {
        keep_vec(&LOADS, loads);
    }

    /// The vector kept in `slot`, or a new one.
    fn take_vec<T>(slot: &Mutex<Option<Vec<T>>>) -> Vec<T> {
        slot.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default()
    }

    /// Keeps `v`, emptied, in `slot`, unless it holds nothing or too much, or one is kept.
    fn keep_vec<T>(slot: &Mutex<Option<Vec<T>>>, mut v: Vec<T>) {
        let bytes = v.capacity() * size_of::<T>();
        if bytes == 0 || bytes > LIMIT {
            return;
        }
        v.clear();
        slot.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(v);
    }
}

/// The Spot draws that may hit, remembered across the runs of this process (issue 20).
///
/// Which of a run's Spot draws may fall under a pool's chance depends only on the draws' seed
/// and the largest chance per step ([`DrawSieve`]), not on the design: a sweep's designs (one
/// seed, one table of chances) and a loop of `simulate` all search the same counters. The
/// simulator finds them about 16,000 draws ahead at a time, about 10 instructions a draw:
/// 94 M instructions, 9 % of a 7-month taxi run. Remembered, a later run with the same sieve
/// reads them from a sorted list instead. About one draw in 4,000 passes the sieve, so the
/// 9.3 M draws of the taxi run leave about 2,300 counters (18 KB).
///
/// Kept: [`KEYS`] sieves, each one range of counters searched in full, with at most
/// [`MAX_HITS`] counters (8 MB); past that the draws are computed as without a memo. The
/// answers are the ones [`DrawSieve::first_passing`] computes, so results are the same.
mod hits {
    use fleetcore::sim::DrawSieve;
    use std::sync::{Mutex, PoisonError};

    /// Sieves remembered; the least recently used is dropped for a new one.
    const KEYS: usize = 4;

    /// Counters remembered for one sieve at most.
    const MAX_HITS: usize = 1 << 20;

    /// One sieve's counters in `from..to` that pass it, all of them, ascending.
    struct Known {
        sieve: DrawSieve,
        from: u64,
        to: u64,
        hits: Vec<u64>,
    }

    /// The sieves remembered, most recently used last. A `Mutex` because runs go on any
    /// thread; the simulator asks about once per 500 steps, so it is seldom waited for.
    static KNOWN: Mutex<Vec<Known>> = Mutex::new(Vec::new());

    /// [`DrawSieve::first_passing`], answered from the counters remembered, which are first
    /// extended to `to` when they stop short of it.
    pub(super) fn first_passing(sieve: &DrawSieve, from: u64, to: u64) -> u64 {
        let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
        search(&mut known, sieve, from, to, MAX_HITS)
    }

    /// [`first_passing`] over the sieves `known`, each remembering at most `max_hits`
    /// counters: past them, the range a sieve remembers stops growing and what lies beyond is
    /// computed each time.
    fn search(
        known: &mut Vec<Known>,
        sieve: &DrawSieve,
        from: u64,
        to: u64,
        max_hits: usize,
    ) -> u64 {
        if from >= to {
            return to;
        }
        let at = known
            .iter()
            .rposition(|k| k.sieve == *sieve && k.from <= from && from <= k.to);
        let mut k = if let Some(i) = at {
            known.remove(i)
        } else {
            if known.len() >= KEYS {
                known.remove(0);
            }
            Known {
                sieve: *sieve,
                from,
                to: from,
                hits: Vec::new(),
            }
        };
        // Extended only up to `max_hits` counters, so that the list never grows past them; a
        // passing counter found when it is full ends the range searched (`to` is exclusive).
        if to > k.to && k.hits.len() < max_hits {
            let mut p = sieve.first_passing(k.to, to);
            while p < to && k.hits.len() < max_hits {
                k.hits.push(p);
                p = sieve.first_passing(p.saturating_add(1), to);
            }
            k.to = p.min(to);
        }
        let i = k.hits.partition_point(|&h| h < from);
        let first = match k.hits.get(i) {
            // Every counter remembered is below `k.to`, so nothing before it was missed.
            Some(&h) if h < to => h,
            _ if k.to >= to => to,
            _ => sieve.first_passing(from.max(k.to), to),
        };
        known.push(k);
        first
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// Whatever the order of the questions (runs resumed, sieves interleaved, ranges
        /// before, inside and past what is remembered), the memo answers what the sieve
        /// computes, and so do memos full after 1, 3 or 50 counters, which never hold more.
        #[test]
        fn remembered_answers_are_the_computed_ones() {
            // Seeds and the chances of a minute, an hour and a day at the Advisor's bands.
            let sieves: Vec<DrawSieve> = [0u64, 7, u64::MAX]
                .into_iter()
                .flat_map(|seed| {
                    [1_157_407u64, 69_444_444, 1_666_666_666, 3_333_333_333]
                        .map(|chance| DrawSieve::new(seed, chance).unwrap())
                })
                .collect();
            let mut state = 0x9E37_79B9_7F4A_7C15u64;
            let mut next = |n: u64| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state % n
            };
            // The process's memo, and memos that fill up after a few counters.
            let (mut one, mut three, mut fifty) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..3000 {
                let sieve = sieves[usize::try_from(next(sieves.len() as u64)).unwrap()];
                let from = next(400_000);
                let to = from + next(40_000);
                let want = sieve.first_passing(from, to);
                assert_eq!(
                    first_passing(&sieve, from, to),
                    want,
                    "{sieve:?} {from}..{to}"
                );
                for (known, cap) in [(&mut one, 1), (&mut three, 3), (&mut fifty, 50)] {
                    assert_eq!(search(known, &sieve, from, to, cap), want, "cap {cap}");
                    assert!(
                        known
                            .iter()
                            .all(|k| k.hits.len() <= cap && k.hits.iter().all(|&h| h < k.to))
                    );
                }
            }
        }
    }
}

/// A run's loads, one a step, given to the next run when dropped ([`lists`]).
struct Loads(Vec<Value>);

impl Drop for Loads {
    fn drop(&mut self) {
        lists::keep_loads(core::mem::take(&mut self.0));
    }
}

/// One action of the log: time in milliseconds, kind, instance.
type Logged = (u64, &'static str, Option<InstanceId>);

/// The action log of a run, given to the next run when dropped ([`lists`]).
#[derive(Default)]
struct ActionLog(Vec<Logged>);

impl Drop for ActionLog {
    fn drop(&mut self) {
        lists::keep_log(core::mem::take(&mut self.0));
    }
}

/// A run records fewer steps: [`Changes`] keeps a step's number in 32 bits (8,000 years of
/// one-minute steps; the columns would take 550 GB).
const MAX_RECORDED: u32 = u32::MAX;

/// The fields [`Changes`] keeps: the columns of [`NAMES`] after `t`.
const FIELDS: usize = 16;

/// The columns' names, as `columns()` and `column()` give them: `t`, then the fields of
/// [`Changes`] in bit order (`slo_breach`, the one-byte column, last).
const NAMES: [&str; 17] = [
    "t",
    "load",
    "desired",
    "capacity",
    "in_service",
    "utilisation",
    "launched",
    "terminated",
    "cost",
    "forecast",
    "on_demand_units",
    "spot_units",
    "interruptions",
    "cost_on_demand",
    "cost_reserved",
    "cost_spot",
    "slo_breach",
];

/// The start of step `k` of a run from `t0` in steps of `step_ms`.
fn step_start(t0: Instant, step_ms: u64, k: usize) -> Instant {
    let offset = u64::try_from(k).unwrap_or(u64::MAX).saturating_mul(step_ms);
    t0.saturating_add(Duration::from_millis(offset))
}

/// A scenario in progress (used by ``fleetcore.simulate``).
#[pyclass(module = "fleetcore")]
pub struct _Simulation {
    sim: Box<CoreSimulator>,
    t0: Instant,
    step: Duration,
    loads: Loads,
    done: usize,
    /// The steps recorded, built into columns by `column()` and `columns()`.
    changes: Changes,
    /// Each action: time in milliseconds, kind, instance.
    actions: ActionLog,
    /// Whether the columns and the action log are kept (a sweep reads the totals only).
    record: bool,
}

#[pymethods]
impl _Simulation {
    #[new]
    #[pyo3(signature = (
        group, times, values, *, step_s, member_capacity, boot_time_s, slo_utilisation,
        price_per_hour, utilisation_metric = None, load_metric = None, spot_risk = None,
        spot_seed = 0, rebalance_lead_s = None, record = true
    ))]
    #[allow(clippy::too_many_arguments)] // Mirrors the keyword arguments of `simulate`.
    fn new(
        py: Python<'_>,
        group: &Group,
        times: &[u8],
        values: &[u8],
        step_s: Seconds,
        member_capacity: Milli,
        boot_time_s: Seconds,
        slo_utilisation: Milli,
        price_per_hour: Milli,
        utilisation_metric: Option<MetricRef>,
        load_metric: Option<MetricRef>,
        spot_risk: Option<Vec<(String, String, f64)>>,
        #[pyo3(from_py_with = crate::args::spot_seed_u64)] spot_seed: u64,
        rebalance_lead_s: Option<Seconds>,
        record: bool,
    ) -> PyResult<Self> {
        let step = step_s.duration();
        if step.total_millis() < 1000 || step.subsec_millis() != 0 {
            return Err(value_error(format!(
                "step_s must be a whole number of seconds, at least 1, got {}",
                to_seconds(step.total_millis())
            )));
        }
        if member_capacity.0.milli() <= 0 {
            return Err(value_error("member_capacity must be positive"));
        }
        if price_per_hour.0.milli() < 0 {
            return Err(value_error("price_per_hour must not be negative"));
        }
        let points = trace_points(times, values)?;
        let core: &CoreGroup = &group.inner;
        let utilisation_metric = match utilisation_metric {
            Some(m) => Some(group.metric_index(py, &m)?),
            // The group's first per-member metric, if any.
            None => core
                .metrics()
                .iter()
                .position(|m| m.source() == Source::Members)
                .and_then(|i| u8::try_from(i).ok()),
        };
        let load_metric = load_metric
            .map(|m| group.metric_index(py, &m))
            .transpose()?;
        for (m, want, name) in [
            (utilisation_metric, Source::Members, "utilisation_metric"),
            (load_metric, Source::Group, "load_metric"),
        ] {
            if let Some(i) = m {
                match core.metrics().get(usize::from(i)) {
                    Some(x) if x.source() == want => {}
                    Some(_) => {
                        return Err(value_error(format!(
                            "{name} must be a {} metric",
                            if want == Source::Members {
                                "per-member"
                            } else {
                                "group"
                            }
                        )));
                    }
                    None => {
                        return Err(crate::errors::to_py_err(
                            py,
                            &fleetcore::group::GroupError::UnknownMetric { metric: i },
                        ));
                    }
                }
            }
        }
        let world = World {
            member_capacity: member_capacity.0,
            boot_time: boot_time_s.duration(),
            slo_utilisation: slo_utilisation.0,
            price_per_hour: price_per_hour.0,
            utilisation_metric,
            load_metric,
        };
        let t0 = Instant::from_millis(points.first().map_or(0, |p| p.0));
        let loads = Loads(resample_into(
            &points,
            step.total_millis(),
            lists::take_loads(),
        ));
        if record && loads.0.len() >= MAX_RECORDED as usize {
            return Err(value_error("the trace is too long to record"));
        }
        let risk = spot_risk
            .map(|pools| {
                risk_of(
                    core,
                    &pools,
                    spot_seed,
                    rebalance_lead_s.map_or(Duration::ZERO, Seconds::duration),
                )
            })
            .transpose()?;
        let mut sim = Box::new(Simulator::new((*group.inner).clone(), world));
        if let Some(risk) = risk {
            sim.set_spot_risk(risk);
            sim.set_hit_search(hits::first_passing);
        }
        Ok(Self {
            sim,
            t0,
            step,
            changes: Changes::with_capacity(if record { loads.0.len() } else { 0 }),
            loads,
            done: 0,
            actions: if record {
                ActionLog(lists::take_log())
            } else {
                ActionLog::default()
            },
            record,
        })
    }

    /// Steps in the scenario.
    fn __len__(&self) -> usize {
        self.loads.0.len()
    }

    /// Steps run so far.
    #[getter]
    fn done(&self) -> usize {
        self.done
    }

    /// Runs up to `max_steps` more steps with the GIL released; returns the steps run so far.
    fn run(
        &mut self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::max_steps_usize)] max_steps: usize,
    ) -> PyResult<usize> {
        py.detach(|| self.run_steps(max_steps)).py_err(py)
    }

    /// The per-step columns as little-endian bytes: `t`, `load`, `utilisation`, `cost`,
    /// `forecast` (NaN without one) as `f64`; `desired`, `capacity`, `in_service`, `launched`, `terminated` as `i64`;
    /// `slo_breach` as one byte each.
    /// The columns are handed over: the simulation keeps no copy of them (a 7-month run's are
    /// about 40 MB), so a second call returns empty columns.
    fn columns<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let changes = core::mem::replace(&mut self.changes, Changes::with_capacity(0));
        let d = PyDict::new(py);
        for (index, name) in NAMES.iter().enumerate() {
            let mut column = changes.column(py, index, self.t0, self.step.total_millis())?;
            d.set_item(*name, column.take(py)?)?;
        }
        Ok(d)
    }

    /// One per-step column by name (a key of `columns()`), built from the steps recorded,
    /// which the simulation keeps: each call builds the column anew.
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyByteArray>> {
        let index = NAMES
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| value_error(format!("no column {name:?}")))?;
        self.changes
            .column(py, index, self.t0, self.step.total_millis())?
            .take(py)
    }

    /// The running totals.
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let t: &Totals = self.sim.totals();
        let d = PyDict::new(py);
        d.set_item("steps", t.steps)?;
        #[allow(clippy::cast_precision_loss)] // Member-seconds far below 2^53.
        let hours = t.member_seconds as f64 / 3600.0;
        d.set_item("capacity_hours", hours)?;
        d.set_item("member_seconds", t.member_seconds)?;
        d.set_item("cost", to_float(t.cost))?;
        #[allow(clippy::cast_precision_loss)] // Seconds far below 2^53.
        let minutes = t.slo_breach_seconds as f64 / 60.0;
        d.set_item("slo_breach_minutes", minutes)?;
        d.set_item("launches", t.launches)?;
        d.set_item("terminations", t.terminations)?;
        d.set_item("scaling_changes", t.scaling_changes)?;
        d.set_item("interruptions", t.interruptions)?;
        if let Some(spend) = t.spend {
            // Millionths and per-mille figures are far below 2^53.
            #[allow(clippy::cast_precision_loss)]
            let money = |m: fleetcore::purchase::Money| m.micros() as f64 / 1e6;
            #[allow(clippy::cast_precision_loss)]
            let fraction = |p: u64| p as f64 / 1000.0;
            d.set_item("cost_on_demand", money(spend.on_demand))?;
            d.set_item("cost_reserved", money(spend.reserved))?;
            d.set_item("cost_spot", money(spend.spot))?;
            d.set_item(
                "reservation_coverage",
                spend.coverage_permille().map(fraction),
            )?;
            d.set_item(
                "reservation_utilisation",
                spend.utilisation_permille().map(fraction),
            )?;
        }
        Ok(d)
    }

    /// The action log: `(t_s, kind, id)` for each action, in order.
    fn actions(&self) -> Vec<(f64, &'static str, String)> {
        self.actions
            .0
            .iter()
            .map(|(t, k, id)| {
                (
                    to_seconds(*t),
                    *k,
                    id.map(|i| i.to_string()).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// The action log as text, one `t_s kind id` line per action (whole seconds).
    fn action_log(&self) -> String {
        let mut s = String::new();
        for (t, k, id) in &self.actions.0 {
            let id = id.map(|i| i.to_string()).unwrap_or_default();
            let _ = writeln!(s, "{} {k} {id}", t / 1000);
        }
        s
    }

    /// The group as it is now.
    fn group(&self) -> Group {
        Group {
            inner: Box::new(self.sim.group().clone()),
        }
    }
}

/// The Spot risk of `pools`, each `(instance type, zone, chance per month)` with the chance
/// as a fraction (0.05 for the Advisor's "<5 %" band), over the group's price table and zones.
fn risk_of(
    core: &CoreGroup,
    pools: &[(String, String, f64)],
    seed: u64,
    lead: Duration,
) -> PyResult<SpotRisk> {
    let prices = core
        .prices()
        .ok_or_else(|| value_error("spot_risk needs a price table: call Group.set_prices first"))?;
    let mut risk = SpotRisk {
        seed,
        rebalance_lead: lead,
        pools: heapless::Vec::new(),
    };
    for (ty, zone, chance) in pools {
        let instance_type = prices
            .index(ty)
            .ok_or_else(|| value_error(format!("spot_risk: {ty:?} is not in the price table")))?;
        let zone_index = core
            .config()
            .zones
            .iter()
            .position(|z| z.as_str() == zone)
            .and_then(|z| u8::try_from(z).ok())
            .ok_or_else(|| {
                value_error(format!("spot_risk: {zone:?} is not a zone of the group"))
            })?;
        if !(0.0..=1.0).contains(chance) {
            return Err(value_error(format!(
                "spot_risk: the chance of interruption per month must be 0..1, got {chance}"
            )));
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..=1000.
        let monthly_permille = (chance * 1000.0).round() as u32;
        risk.pools
            .push(PoolRisk {
                instance_type,
                zone: zone_index,
                monthly_permille,
            })
            .map_err(|_| value_error("spot_risk: too many pools"))?;
    }
    Ok(risk)
}

impl _Simulation {
    fn run_steps(&mut self, max_steps: usize) -> Result<usize, fleetcore::group::GroupError> {
        let end = self.done.saturating_add(max_steps).min(self.loads.0.len());
        let step_ms = self.step.total_millis();
        let changes = &mut self.changes;
        let actions = &mut self.actions.0;
        let record = self.record;
        for (k, &load) in self.loads.0.iter().enumerate().take(end).skip(self.done) {
            // `columns()` gives `t` from the same start (the step's own `at`).
            let at = step_start(self.t0, step_ms, k);
            let s = self.sim.step(at, self.step, load, |t, a: &group::Action| {
                if record {
                    actions.push((t.total_millis(), action_kind(a), action_id(a)));
                }
            })?;
            self.done = k + 1;
            if record {
                changes.push(&s);
            }
        }
        Ok(self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `resample`'s one-point shortcut gives what the full time-weighted mean gives, on
    /// regular traces (where it applies to every step), irregular ones and steps longer or
    /// shorter than the trace's interval.
    #[test]
    fn resampling_shortcut_agrees_with_the_full_mean() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for case in 0..200 {
            let regular = case % 2 == 0;
            let mut t = next() % 1_000_000;
            let mut points = Vec::new();
            for _ in 0..=(next() % 60) {
                points.push((t, i64::try_from(next() % 5_000_000).unwrap()));
                // Irregular: gaps shorter and longer than a step, and repeated times.
                t += if regular {
                    60_000
                } else {
                    next() % 200_000 * (next() % 4).min(1)
                };
            }
            let step = [30_000, 60_000, 90_000, 300_000][usize::try_from(next() % 4).unwrap()];
            let got = resample(&points, step);
            assert_eq!(got, resample_step_by_step(&points, step), "case {case}");
            let t0 = points[0].0;
            for (k, v) in got.iter().enumerate() {
                let a = t0 + u64::try_from(k).unwrap() * step;
                let j = points.iter().rposition(|&(t, _)| t <= a).unwrap();
                assert_eq!(
                    *v,
                    step_mean(&points, j, a, a + step),
                    "case {case} step {k}"
                );
            }
        }
    }

    #[test]
    fn resampling_holds_each_value_and_averages_over_a_step() {
        let p = [(0, 10_000), (300_000, 20_000), (600_000, 40_000)];
        let one_minute = resample(&p, 60_000);
        assert_eq!(one_minute.len(), 11);
        assert_eq!(one_minute.first(), Some(&Value::from_int(10)));
        assert_eq!(one_minute.get(5), Some(&Value::from_int(20)));
        assert_eq!(one_minute.get(10), Some(&Value::from_int(40)));
        // Ten-minute steps: the first is the mean of 10 and 20.
        let ten = resample(&p, 600_000);
        assert_eq!(ten, [Value::from_int(15), Value::from_int(40)]);
    }

    /// The columns built from the recorded changes hold what the typed columns they
    /// replaced held, encoded as `columns()` encoded those (the reference): every field of
    /// many varied steps, in order, whether it changed at a step or not.
    #[test]
    fn byte_columns_hold_each_step_as_the_typed_columns_encoded_it() {
        Python::initialize();
        Python::attach(|py| {
            // Fields from wide ranges (nearly every one changes every step), from a few values
            // (runs of equal ones) and mostly constant.
            for spread in [u64::MAX, 3, 1] {
                byte_columns_hold_each_step(py, spread);
            }
        });
    }

    fn byte_columns_hold_each_step(py: Python<'_>, spread: u64) {
        let state = core::cell::Cell::new(0x2545_f491_4f6c_dd1d_u64);
        let next = || {
            // xorshift64: varied values, negative ones and `None`s included.
            let mut x = state.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            state.set(x);
            // Mostly `spread + 1` values, and now and then any.
            if spread == u64::MAX || x.is_multiple_of(97) {
                x
            } else {
                x % (spread + 1)
            }
        };
        // Wide values from the top bits; few values taken whole.
        let (vshift, cshift) = if spread == u64::MAX { (20, 40) } else { (0, 0) };
        let value = || Value::from_milli(i64::from_le_bytes(next().to_le_bytes()) >> vshift);
        let count = || u32::try_from(next() >> cshift).unwrap_or(u32::MAX);
        let (t0, step_ms) = (Instant::from_millis(1_404_172_800_123), 60_000);
        let mut changes = Changes::with_capacity(0);
        let mut steps = Vec::new();
        for k in 0..500 {
            let step = fleetcore::sim::Step {
                at: step_start(t0, step_ms, k),
                load: value(),
                desired: count(),
                in_service: count(),
                capacity: count(),
                utilisation: (next() % 3 != 0).then(value),
                launched: count(),
                terminated: count(),
                slo_breach: next() % 2 == 0,
                cost: value(),
                forecast: (next() % 3 != 0).then(value),
                on_demand_units: count(),
                spot_units: count(),
                interruptions: count(),
                cost_on_demand: value(),
                cost_reserved: value(),
                cost_spot: value(),
            };
            changes.push(&step);
            steps.push(step);
        }
        let floats = |get: &dyn Fn(&fleetcore::sim::Step) -> f64| -> Vec<u8> {
            steps.iter().flat_map(|s| get(s).to_le_bytes()).collect()
        };
        let ints = |get: &dyn Fn(&fleetcore::sim::Step) -> u32| -> Vec<u8> {
            steps
                .iter()
                .flat_map(|s| i64::from(get(s)).to_le_bytes())
                .collect()
        };
        let nan = |v: Option<Value>| v.map_or(f64::NAN, to_float);
        for (index, name) in NAMES.iter().enumerate() {
            let want = match *name {
                "t" => floats(&|s| to_seconds(s.at.total_millis())),
                "load" => floats(&|s| to_float(s.load)),
                "desired" => ints(&|s| s.desired),
                "capacity" => ints(&|s| s.capacity),
                "in_service" => ints(&|s| s.in_service),
                "utilisation" => floats(&|s| nan(s.utilisation)),
                "launched" => ints(&|s| s.launched),
                "terminated" => ints(&|s| s.terminated),
                "slo_breach" => steps.iter().map(|s| u8::from(s.slo_breach)).collect(),
                "cost" => floats(&|s| to_float(s.cost)),
                "forecast" => floats(&|s| nan(s.forecast)),
                "on_demand_units" => ints(&|s| s.on_demand_units),
                "spot_units" => ints(&|s| s.spot_units),
                "interruptions" => ints(&|s| s.interruptions),
                "cost_on_demand" => floats(&|s| to_float(s.cost_on_demand)),
                "cost_reserved" => floats(&|s| to_float(s.cost_reserved)),
                "cost_spot" => floats(&|s| to_float(s.cost_spot)),
                other => panic!("no reference for the column {other:?}"),
            };
            let mut column = changes.column(py, index, t0, step_ms).unwrap();
            assert_eq!(column.bytes(), want, "{name} (spread {spread})");
            // Handed over whole, once; a second hand-over is empty.
            assert_eq!(column.take(py).unwrap().to_vec(), want, "{name}");
            assert_eq!(column.take(py).unwrap().len(), 0);
        }
    }

    /// A run that stopped early hands over only the rows it wrote; a row past the column's
    /// size is not written past its end.
    #[test]
    fn columns_are_cut_to_the_rows_written_and_never_overrun() {
        Python::initialize();
        Python::attach(|py| {
            let mut c = Column::new(py, 3, 8).unwrap();
            c.put_words(&[1.5f64.to_bits()]);
            assert_eq!(c.take(py).unwrap().to_vec(), 1.5f64.to_le_bytes());
            let mut c = Column::new(py, 1, 8).unwrap();
            c.fill_words(1, 1);
            c.fill_words(2, 1);
            assert_eq!(c.bytes(), 1i64.to_le_bytes());
            assert_eq!(c.take(py).unwrap().to_vec(), 1i64.to_le_bytes());
            // Runs past the column's size are cut too, bytes and words.
            let mut c = Column::new(py, 4, 1).unwrap();
            c.fill_bytes(1, 3);
            c.fill_bytes(0, 3);
            assert_eq!(c.bytes(), [1, 1, 1, 0]);
            let mut c = Column::new(py, 3, 8).unwrap();
            c.fill_words(7, 2);
            c.fill_words(9, 5);
            assert_eq!(c.bytes().get(8..16), Some(&7u64.to_le_bytes()[..]));
            assert_eq!(c.bytes().get(16..), Some(&9u64.to_le_bytes()[..]));
            // Blocks of rows past the columns' size are cut, not written past their end.
            let mut c = Column::new(py, 3, 8).unwrap();
            c.put_words(&[1, 2]);
            c.put_words(&[3, 4, 5]);
            assert_eq!(c.bytes().len(), 24);
            assert_eq!(c.bytes().get(16..), Some(&3u64.to_le_bytes()[..]));
            c.put_words(&[6]);
            assert_eq!(c.take(py).unwrap().len(), 24);
        });
    }
}
