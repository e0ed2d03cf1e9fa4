//! `insns sim N STEPS`, `insns busy N REPS` and `insns quiet N REPS`: the `sim/step/N`,
//! `tick/busy/N` and `tick/quiet/N` workloads of `ops.rs`, for counting instructions rather
//! than timing. `make bench` runs them under
//! `valgrind --tool=callgrind --toggle-collect=<the measured function>`, so only the measured
//! operation is counted (not the setup, nor the fresh copy of the group each busy tick needs):
//! exact, free of the machine's load and caches, and for N up to 4096 (the M4 stops at 1024).
//! STEPS should be whole load periods (multiples of 120): a step's cost depends on its phase.

use core::hint::black_box;
use core::mem::MaybeUninit;

#[path = "shared/workloads.rs"]
#[allow(dead_code)] // the other workloads are for ops.rs and the firmware
mod workloads;

/// The measured step: `--toggle-collect=*measured_step*`.
#[inline(never)]
fn measured_step<const N: usize>(sim: &mut workloads::Sim<N>, i: u64) -> Option<u32> {
    workloads::sim_step(sim, i)
}

/// The measured busy tick: `--toggle-collect=*measured_tick*`.
#[inline(never)]
fn measured_tick<const N: usize>(
    group: &mut fleetcore::group::Group<N>,
    out: &mut workloads::Out,
) -> usize {
    workloads::tick(group, out)
}

#[inline(never)]
fn sim<const N: usize>(steps: u64) -> Option<u64> {
    let mut slot = Box::new(MaybeUninit::uninit());
    let (sim, first) = workloads::simulator::<N>(&mut slot)?;
    let mut sum = 0u64;
    for i in first..first + steps {
        sum += u64::from(measured_step(black_box(&mut *sim), i)?);
    }
    Some(sum)
}

#[inline(never)]
fn quiet<const N: usize>(reps: u64) -> Option<u64> {
    let mut slot = Box::new(MaybeUninit::uninit());
    let group = workloads::group_in::<N>(&mut slot)?;
    workloads::steady::<N>(group, u32::try_from(N).ok()?)?;
    let mut out = workloads::Out::new();
    let mut sum = 0u64;
    for _ in 0..reps {
        sum += u64::try_from(measured_tick(black_box(&mut *group), &mut out)).ok()?;
    }
    Some(sum)
}

#[inline(never)]
fn busy<const N: usize>(reps: u64) -> Option<u64> {
    let mut slots = [
        Box::new(MaybeUninit::uninit()),
        Box::new(MaybeUninit::uninit()),
    ];
    let [a, b] = &mut slots;
    let stopped = workloads::group_in::<N>(a)?;
    let group = workloads::group_in::<N>(b)?;
    let mut buf = vec![0u8; 64 * N + 4096];
    workloads::one_stopped::<N>(stopped, group, &mut buf)?;
    let mut out = workloads::Out::new();
    let mut sum = 0u64;
    for _ in 0..reps {
        workloads::copy(stopped, group, &mut buf)?;
        out.clear();
        sum += u64::try_from(measured_tick(black_box(&mut *group), &mut out)).ok()?;
    }
    Some(sum)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(kind), Some(n), Some(count)) = (
        args.first().map(String::as_str),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
        args.get(2).and_then(|a| a.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: insns sim|busy|quiet N COUNT (N = 8, 64, 1024 or 4096)");
        std::process::exit(2);
    };
    let kind = kind.to_owned();
    // Groups are built in place on the heap; the thread's stack covers the snapshot decoder's
    // check of unique ids (8 bytes per member) and debug builds' larger frames.
    let run = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || run(&kind, n, count));
    match run.map(std::thread::JoinHandle::join) {
        Ok(Ok(true)) => {}
        _ => std::process::exit(1),
    }
}

fn run(kind: &str, n: usize, count: u64) -> bool {
    let sum = match (kind, n) {
        ("sim", 8) => sim::<8>(count),
        ("sim", 64) => sim::<64>(count),
        ("sim", 1024) => sim::<1024>(count),
        ("sim", 4096) => sim::<4096>(count),
        ("busy", 8) => busy::<8>(count),
        ("busy", 64) => busy::<64>(count),
        ("busy", 1024) => busy::<1024>(count),
        ("busy", 4096) => busy::<4096>(count),
        ("quiet", 8) => quiet::<8>(count),
        ("quiet", 64) => quiet::<64>(count),
        ("quiet", 1024) => quiet::<1024>(count),
        ("quiet", 4096) => quiet::<4096>(count),
        _ => None,
    };
    let Some(sum) = sum else {
        eprintln!("insns: {kind} {n}: no such case, or its setup failed");
        return false;
    };
    println!("insns {kind} {n} {count}: {sum}");
    true
}
