//! Instruction counts of the benchmark operations on a Cortex-M4, for BENCHMARKS.md.
//!
//! Runs the operations of `core/benches/shared/workloads.rs` (the same code the host's
//! criterion benches time) and prints, for each, one line
//! `count <name> reps=<K> ticks=<T>`: `T` `SysTick` ticks (core clock) over `K` repetitions.
//! Under `qemu-system-arm -icount shift=0` every guest instruction advances the virtual clock by
//! exactly 1 ns, and mps2-an386's core clock is 25 MHz, so one tick is 40 instructions;
//! `scripts/bench.sh` runs it so and `scripts/bench_report.py` divides. The `calibrate` line
//! times a block of 4000 `nop`s (4000 instructions plus the timer reads) to check that scale on
//! the QEMU at hand. Also prints the stack high-water mark (`info:` line) and exits 0 when
//! every case was set up, 1 otherwise.
//!
//! Every group and simulator is built in place in a static (`Slots`): the stack holds no group
//! (the high-water line shows it), and the board's 4 MiB of data SSRAM holds the statics
//! (`memory-mps2-bench.x`).
//!
//! It also links the configuration parser and the snapshot encoder (not timed), so that its
//! flash is that of firmware using every module of the core.

#![no_std]
#![no_main]

use core::hint::black_box;
use core::mem::MaybeUninit;

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_rt::entry;
use fleetcore_firmware::stack;
use semihosting::{println, process};

// Formatted with the root workspace's rustfmt.toml (it lives in core/benches), not this one's.
#[rustfmt::skip]
#[path = "../../../benches/shared/workloads.rs"]
#[allow(dead_code, missing_docs)]
mod workloads;

use fleetcore::group::Group;
use workloads::{ImdsCase, Out, Scaling, SgCase, Sim};

/// `SysTick`'s reload: it counts down from here, 24 bits.
const RELOAD: u32 = 0x00FF_FFFF;

/// The current `SysTick` value (counts down).
fn ticks_now() -> u32 {
    SYST::get_current()
}

/// Ticks from `start` to `end` of a down-counter that wrapped at most once.
fn elapsed(start: u32, end: u32) -> u32 {
    start.wrapping_sub(end) & RELOAD
}

/// Runs `op` `reps` times between two timer reads and prints the total (the loop's own few
/// instructions included: the `overhead` line measures them with an empty `op`).
fn count(name: impl core::fmt::Display, reps: u32, mut op: impl FnMut() -> u32) {
    let start = ticks_now();
    for _ in 0..reps {
        black_box(op());
    }
    let end = ticks_now();
    println!("count {name} reps={reps} ticks={}", elapsed(start, end));
}

/// Like [`count`], with an untimed `prepare` before each repetition (a fresh copy of a group),
/// so each repetition is timed on its own: ±1 tick (40 instructions) per repetition, which
/// averages out over the repetitions as the timer's phase moves.
fn count_prepared<S>(
    name: impl core::fmt::Display,
    reps: u32,
    state: &mut S,
    mut prepare: impl FnMut(&mut S),
    mut op: impl FnMut(&mut S) -> u32,
) {
    let mut total = 0u64;
    for _ in 0..reps {
        prepare(state);
        let start = ticks_now();
        let r = op(state);
        let end = ticks_now();
        black_box(r);
        black_box(&*state);
        total += u64::from(elapsed(start, end));
    }
    println!("count {name} reps={reps} ticks={total}");
}

#[inline(never)]
fn calibrate() {
    let start = ticks_now();
    // 4000 single-instruction `nop`s (inline asm, not reordered across the volatile reads).
    for _ in 0..100 {
        seq_macro_nops();
    }
    let end = ticks_now();
    println!("calibrate nops=4000 ticks={} loop=100", elapsed(start, end));
}

/// 40 `nop`s.
#[inline(always)]
fn seq_macro_nops() {
    macro_rules! nop10 {
        () => {
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
            cortex_m::asm::nop();
        };
    }
    nop10!();
    nop10!();
    nop10!();
    nop10!();
}

/// Storage for the groups and simulators of one capacity `N`, placed in a static: the bench
/// builds everything in place (`Group::init`, `Simulator::init`, copies through
/// `Group::restore_into`), so its stack holds no group.
struct Slots<const N: usize> {
    /// The quiet tick's group, then the busy tick's probe.
    a: MaybeUninit<Group<N>>,
    /// The busy tick's group with one stopped member, copied before every repetition.
    b: MaybeUninit<Group<N>>,
    /// The group each busy repetition ticks.
    c: MaybeUninit<Group<N>>,
    sim: MaybeUninit<Sim<N>>,
}

impl<const N: usize> Slots<N> {
    const EMPTY: Self = Self {
        a: MaybeUninit::uninit(),
        b: MaybeUninit::uninit(),
        c: MaybeUninit::uninit(),
        sim: MaybeUninit::uninit(),
    };
}

static mut SLOTS_8: Slots<8> = Slots::EMPTY;
static mut SLOTS_64: Slots<64> = Slots::EMPTY;
static mut SLOTS_1024: Slots<1024> = Slots::EMPTY;
/// Room for the snapshot of a `Group<1024>` (64 bytes a member at most, and the rest).
static mut SNAPSHOT: [u8; 80 * 1024] = [0; 80 * 1024];

#[inline(never)]
fn ticks<const N: usize>(reps: u32, slots: &mut Slots<N>, buf: &mut [u8]) -> bool {
    let Slots { a, b, c, .. } = slots;
    let (Some(quiet), Some(stopped), Some(work)) =
        (workloads::group_in::<N>(a), workloads::group_in::<N>(b), workloads::group_in::<N>(c))
    else {
        println!("FAIL groups of {N}");
        return false;
    };
    if workloads::steady::<N>(quiet, u32::try_from(N).unwrap_or(0)).is_none() {
        println!("FAIL steady group of {N}");
        return false;
    }
    let mut out = Out::new();
    count(format_args!("tick/quiet/{N}"), reps, || {
        u32::try_from(workloads::tick(quiet, &mut out)).unwrap_or(0)
    });
    if workloads::one_stopped::<N>(stopped, quiet, buf).is_none() {
        println!("FAIL busy group of {N}");
        return false;
    }
    let mut copied = true;
    count_prepared(
        format_args!("tick/busy/{N}"),
        reps,
        work,
        |w| copied &= workloads::copy(stopped, w, buf).is_some(),
        |w| u32::try_from(workloads::tick(w, &mut out)).unwrap_or(0),
    );
    if !copied {
        println!("FAIL copy of the busy group of {N}");
    }
    copied
}

#[inline(never)]
fn sims<const N: usize>(reps: u32, slots: &mut Slots<N>) -> bool {
    let Some((sim, mut i)) = workloads::simulator::<N>(&mut slots.sim) else {
        println!("FAIL simulator of {N}");
        return false;
    };
    count(format_args!("sim/step/{N}"), reps, || {
        let d = workloads::sim_step(sim, i).unwrap_or(0);
        i += 1;
        d
    });
    true
}

/// The untimed part: parse a group document and encode a group's snapshot, so the flash
/// figure covers the config and snapshot modules too.
#[inline(never)]
fn link_the_rest(slots: &mut Slots<8>, buf: &mut [u8]) -> bool {
    let doc =
        br#"{"name": "g", "launch_template": "lt", "min_size": 0, "max_size": 2, "zones": ["z"]}"#;
    let parsed = fleetcore::config::from_slice::<fleetcore::config::GroupDoc>(black_box(doc));
    let Some(group) = workloads::group_in::<8>(&mut slots.a) else {
        return false;
    };
    if workloads::steady::<8>(group, 8).is_none() {
        return false;
    }
    let snap = group.snapshot(buf);
    println!(
        "info: config document {}, snapshot of a group of 8: {:?} bytes",
        if parsed.is_ok() { "parsed" } else { "refused" },
        snap.ok()
    );
    parsed.is_ok()
}

#[entry]
fn main() -> ! {
    let Some(mut p) = cortex_m::Peripherals::take() else {
        println!("FAIL peripherals");
        process::exit(1)
    };
    p.SYST.set_clock_source(SystClkSource::Core);
    p.SYST.set_reload(RELOAD);
    p.SYST.clear_current();
    p.SYST.enable_counter();
    println!("fleetcore benchmark counts on cortex-m4 (qemu mps2-an386)");
    calibrate();
    count("overhead", 1000, || black_box(0));

    let storage: (*mut Slots<8>, *mut Slots<64>, *mut Slots<1024>, *mut [u8; 80 * 1024]) =
        (&raw mut SLOTS_8, &raw mut SLOTS_64, &raw mut SLOTS_1024, &raw mut SNAPSHOT);
    // SAFETY: `main` runs once and is the only code that names these statics, so each
    // `&mut` below is the only reference to its static for the rest of the program. They are
    // valid and aligned (statics), and `MaybeUninit` and a byte array need no initialised
    // contents beyond what their initialisers wrote.
    let (s8, s64, s1024, buf) =
        unsafe { (&mut *storage.0, &mut *storage.1, &mut *storage.2, &mut *storage.3) };
    let mut ok = ticks::<8>(1000, s8, buf) & ticks::<64>(200, s64, buf);
    ok &= ticks::<1024>(20, s1024, buf);
    ok &= sims::<8>(240, s8) & sims::<64>(240, s64) & sims::<1024>(120, s1024);

    ok &= decisions(s8, buf);
    println!(
        "info: size_of Group<8> {} Group<64> {} Group<1024> {}",
        core::mem::size_of::<Group<8>>(),
        core::mem::size_of::<Group<64>>(),
        core::mem::size_of::<Group<1024>>()
    );
    let s = stack::high_water();
    println!("info: stack high-water {} of {} bytes", s.used, s.size);
    process::exit(i32::from(!ok))
}

/// The scaling decisions, an IMDS answer and a security-group evaluation.
#[inline(never)]
fn decisions(slots: &mut Slots<8>, buf: &mut [u8]) -> bool {
    let mut ok = true;
    if let Some(mut s) = Scaling::new() {
        let metric = fleetcore::scaling::Value::from_int(87);
        count("scaling/alarm", 1000, || u32::from(s.alarm()));
        count("scaling/step", 2000, || s.step(black_box(metric)));
        count("scaling/target", 2000, || s.target(black_box(metric)));
        count("scaling/hpa", 1000, || s.hpa());
    } else {
        println!("FAIL scaling");
        ok = false;
    }
    if let Some(mut case) = ImdsCase::new() {
        let mut out = [0u8; 1024];
        ok &= case.serve(&mut out) > 0;
        count("imds/get", 100, || u32::try_from(case.serve(&mut out)).unwrap_or(0));
    } else {
        println!("FAIL imds");
        ok = false;
    }
    if let Some(case) = SgCase::new() {
        count("network/sg_evaluate", 1000, || u32::from(black_box(&case).evaluate().is_allowed()));
    } else {
        println!("FAIL security groups");
        ok = false;
    }
    ok & link_the_rest(slots, buf)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    println!("panic: {info}");
    process::exit(101)
}
