//! The document scenarios of `../../golden` (`doc_controller`, `doc_taxi`) and `make demo`'s
//! replay of `build/chosen.json`, through the Rust core API on a Cortex-M4 (QEMU
//! `mps2-an386`, board `mps2-4m`: the board's 4 MiB of code and 4 MiB of data SSRAM,
//! `memory-mps2-4m.x`; the parser and a full group take more than 512K of flash, and the parser's
//! stack about 300 KiB, far more than the LM3S6965's 64 KiB of RAM).
//!
//! The document and the trace are read when it runs, through semihosting file I/O (paths on the
//! host, relative to QEMU's working directory), so any document runs without rebuilding:
//!
//! ```text
//! qemu-system-arm … -kernel golden_doc -append "<document> <trace.csv> <rows> <name>"
//! ```
//!
//! `<rows>` rows of the NAB trace (`YYYY-MM-DD hh:mm:ss,value`, half-hourly) go through the
//! document's group in the world of `golden::document`; each log line is printed as
//! `golden <name>: <line>`. The document, the group and both files' text live in statics: the
//! document is parsed straight into its static and the group built in place
//! (`ControllerDoc::init_group`); `info:` lines give their sizes and the stack each step used.
//!
//! Exit status 0 when the scenario ran, 1 when it failed (the reason is printed), 101 on a
//! panic.

#![no_std]
#![no_main]

use core::ffi::CStr;
use core::fmt::Write;
use core::mem::MaybeUninit;

use cortex_m as _; // the critical-section implementation
use cortex_m_rt::entry;
use fleetcore::config::{self, ControllerDoc, LocatedError};
use fleetcore_firmware::console::GoldenLines;
use fleetcore_firmware::golden::{self, DocGroup, Row};
use fleetcore_firmware::{say, stack};
use semihosting::experimental::env;
use semihosting::fs::File;
use semihosting::io::Read;
use semihosting::process;

/// The most trace rows a run plays: a week of half hours.
const MAX_ROWS: usize = 7 * 48;

/// The bytes of the trace read: the header and `MAX_ROWS` rows fit many times over.
const TRACE_BYTES: usize = 64 * 1024;

/// The parsed document, written in place by the parser's caller.
static mut DOC: MaybeUninit<Result<ControllerDoc, LocatedError>> = MaybeUninit::uninit();
/// The group, built in place.
static mut GROUP: MaybeUninit<DocGroup> = MaybeUninit::uninit();
/// The document's text (up to the parser's limit).
static mut DOC_TEXT: [u8; config::MAX_DOCUMENT] = [0; config::MAX_DOCUMENT];
/// The start of the trace file.
static mut TRACE_TEXT: [u8; TRACE_BYTES] = [0; TRACE_BYTES];
/// The trace rows played.
static mut ROWS: heapless::Vec<Row, MAX_ROWS> = heapless::Vec::new();

/// Reads the start of the host file `path` into `buf`; returns the bytes read and whether the
/// whole file fitted.
fn read_file(path: &str, buf: &mut [u8]) -> Result<(usize, bool), &'static str> {
    let mut name: heapless::Vec<u8, 256> = heapless::Vec::new();
    name.extend_from_slice(path.as_bytes()).map_err(|_| "a path longer than 255 bytes")?;
    name.push(0).map_err(|_| "a path longer than 255 bytes")?;
    let name = CStr::from_bytes_with_nul(&name).map_err(|_| "a path with a NUL byte")?;
    let mut file = File::open(name).map_err(|_| "cannot open the file")?;
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..) {
        if rest.is_empty() {
            // Full: is there more?
            let mut probe = [0u8; 1];
            let more = file.read(&mut probe).map_err(|_| "cannot read the file")?;
            return Ok((n, more == 0));
        }
        let got = file.read(rest).map_err(|_| "cannot read the file")?;
        if got == 0 {
            break;
        }
        n += got;
    }
    Ok((n, true))
}

/// The first `count` rows of a NAB trace's text (after its header).
fn parse_rows(
    text: &[u8],
    count: usize,
    rows: &mut heapless::Vec<Row, MAX_ROWS>,
) -> Result<(), &'static str> {
    let text = core::str::from_utf8(text).map_err(|_| "the trace is not UTF-8")?;
    rows.clear();
    for line in text.lines().skip(1).take(count) {
        let row =
            golden::parse_row(line).ok_or("a trace row is not `YYYY-MM-DD hh:mm:ss,value`")?;
        rows.push(row).map_err(|_| "more rows than the firmware holds")?;
    }
    if rows.len() == count { Ok(()) } else { Err("the trace has fewer rows than asked for") }
}

/// Parses `text` straight into its static. Not inlined, so that [`stack::measure`] sees every
/// temporary the parser makes.
#[inline(never)]
fn parse(slot: &mut MaybeUninit<Result<ControllerDoc, LocatedError>>, text: &[u8]) {
    slot.write(config::from_slice::<ControllerDoc>(text));
}

/// Plays the scenario. Not inlined, for [`stack::measure`].
#[inline(never)]
fn play(
    doc: &ControllerDoc,
    slot: &mut MaybeUninit<DocGroup>,
    rows: &[Row],
    log: &mut dyn Write,
) -> Result<(), golden::Failure> {
    golden::document(doc, slot, rows, log)
}

/// The run: `Err` names what failed.
fn run() -> Result<(), &'static str> {
    let args = env::args::<512>().map_err(|_| "no command line (QEMU -append)")?;
    let mut it = &args;
    let mut next = || it.next().and_then(Result::ok);
    let _program = next();
    let (Some(doc_path), Some(trace_path), Some(rows), Some(name)) =
        (next(), next(), next(), next())
    else {
        return Err("usage: -append \"<document> <trace.csv> <rows> <name>\"");
    };
    let count: usize = rows.parse().map_err(|_| "<rows> is not a number")?;
    if count == 0 || count > MAX_ROWS {
        return Err("<rows> must be 1 to 336 (a week of half hours)");
    }
    // SAFETY: `main` runs once and `run` is called once from it; nothing else names these
    // statics, so each `&mut` here is the only reference to its static for the rest of the
    // program. They are valid and aligned statics; a `MaybeUninit` needs no initialised value.
    let (doc_slot, group_slot, doc_text, trace_text, table) = unsafe {
        (
            &mut *(&raw mut DOC),
            &mut *(&raw mut GROUP),
            &mut *(&raw mut DOC_TEXT),
            &mut *(&raw mut TRACE_TEXT),
            &mut *(&raw mut ROWS),
        )
    };
    let (len, whole) = read_file(doc_path, doc_text)?;
    if !whole {
        return Err("the document is longer than the parser reads");
    }
    let (tlen, _) = read_file(trace_path, trace_text)?;
    parse_rows(trace_text.get(..tlen).unwrap_or_default(), count, table)?;
    let text = doc_text.get(..len).unwrap_or_default();
    let ((), parse_stack) = stack::measure(|| parse(doc_slot, text));
    // SAFETY: written just above.
    let parsed = unsafe { doc_slot.assume_init_ref() };
    let doc = match parsed {
        Ok(doc) => doc,
        Err(e) => {
            say!("{doc_path}: {e}");
            return Err("the document is refused");
        }
    };
    say!("info: {doc_path}: {len} bytes parsed with {parse_stack} bytes of stack");
    let mut log = GoldenLines::new(name);
    let (result, run_stack) = stack::measure(|| play(doc, group_slot, table, &mut log));
    say!("info: {name}: {count} rows played with {run_stack} bytes of stack");
    result.map_err(|e| {
        say!("{name}: {e}");
        "the scenario failed"
    })
}

#[entry]
fn main() -> ! {
    say!("fleetcore document scenarios on {}, core API", env!("FLEETCORE_BOARD_CPU"));
    say!(
        "info: size_of::<ControllerDoc>() = {} bytes, size_of::<DocGroup>() = {} bytes",
        core::mem::size_of::<ControllerDoc>(),
        core::mem::size_of::<DocGroup>()
    );
    let status = match run() {
        Ok(()) => 0,
        Err(why) => {
            say!("FAIL: {why}");
            1
        }
    };
    let s = stack::high_water();
    say!("info: stack high-water {} of {} bytes", s.used, s.size);
    process::exit(status)
}

fleetcore_firmware::panic_handlers!();
