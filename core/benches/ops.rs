//! Criterion benchmarks behind BENCHMARKS.md (`make bench` runs them and writes the report).
//!
//! The operations live in `shared/workloads.rs`, which the Cortex-M4 firmware
//! (`core/firmware/src/bin/bench.rs`) includes too, so host times and instruction counts are
//! for the same code:
//! - `tick/quiet/N`: a full group of capacity N (8, 64, 1024, 4096), every member in service;
//!   nothing to do. `tick` is `decide` (which stops at its quiet check: nothing changed since a
//!   decision that found nothing to do) then the pass that emits owed actions (none). The same
//!   group is ticked again and again.
//! - `tick/next_deadline/N`: `Group::next_deadline` on the quiet group, the scan a controller
//!   makes to know how long to sleep (measured, not in the report).
//! - `tick/busy/N`: a group of N − 1 members after one reported EC2 `stopped`: the tick
//!   terminates it and launches a replacement. Each iteration ticks a fresh copy (the copy is
//!   not timed).
//! - `sim/step/N`: one one-minute step of the scenario runner around a target-tracking group of
//!   capacity N whose load swings between 20 % and 100 % every two hours (members boot, launch
//!   and terminate in bursts); criterion's thousands of steps average over whole periods.
//! - `scaling/alarm`, `scaling/step`, `scaling/target`, `scaling/hpa`: an alarm evaluation and
//!   the three kinds of scaling decision.
//! - `imds/get`: an `IMDSv2` GET with a session token, from raw request bytes to the response.
//! - `network/sg_evaluate`: a packet judged against two security groups' eight inbound rules.
//!
//! Times are short on purpose (the report must regenerate in minutes on two cores):
//! `FLEETCORE_BENCH_WARMUP_MS` (default 300), `FLEETCORE_BENCH_MEASURE_MS` (default 1000) and
//! `FLEETCORE_BENCH_SAMPLES` (default 20) change them. Figures for the notes, never assertions.
//! Lines starting `fleetcore-size` give `size_of` figures for the report: `Group<N>` is the
//! default `Full` group (every part); `Group<N,Lean<8,0,1,1,0>>` (no spaces, one token) is the
//! lean group the Cortex-M0 firmware `group_m0` runs (8 activities, no scheduled actions, one
//! policy, one metric, no alarms, none of the optional parts), at several capacities for the
//! per-member slope.

use core::hint::black_box;
use core::mem::{MaybeUninit, size_of};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion};
use fleetcore::group::{Group, Lean, Member};

#[path = "shared/workloads.rs"]
mod workloads;

use workloads::{ImdsCase, Out, Scaling, SgCase, Sim};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The lean group of `group_m0` (`core/firmware/src/bin/group_m0.rs`), at capacity `N`.
type LeanGroup<const N: usize> = Group<N, Lean<8, 0, 1, 1, 0>>;

fn sizes() {
    let lines = [
        ("Group<8>", size_of::<Group<8>>()),
        ("Group<64>", size_of::<Group<64>>()),
        ("Group<128>", size_of::<Group<128>>()),
        ("Group<1024>", size_of::<Group<1024>>()),
        ("Group<4096>", size_of::<Group<4096>>()),
        ("Group<8,Lean<8,0,1,1,0>>", size_of::<LeanGroup<8>>()),
        ("Group<64,Lean<8,0,1,1,0>>", size_of::<LeanGroup<64>>()),
        ("Group<128,Lean<8,0,1,1,0>>", size_of::<LeanGroup<128>>()),
        ("Group<1024,Lean<8,0,1,1,0>>", size_of::<LeanGroup<1024>>()),
        ("Group<4096,Lean<8,0,1,1,0>>", size_of::<LeanGroup<4096>>()),
        ("Member", size_of::<Member>()),
        ("Simulator<64>", size_of::<Sim<64>>()),
        ("Simulator<128>", size_of::<Sim<128>>()),
        ("Imds", size_of::<fleetcore::imds::Imds>()),
        ("Network<4,16,16,8,64,32>", size_of::<workloads::Net>()),
    ];
    for (name, bytes) in lines {
        println!("fleetcore-size {name} {bytes}");
    }
}

fn tick_n<const N: usize>(c: &mut Criterion) {
    let mut bench = c.benchmark_group("tick");
    let mut slot = Box::new(MaybeUninit::uninit());
    let quiet = workloads::group_in::<N>(&mut slot).expect("setup: group");
    workloads::steady::<N>(quiet, u32::try_from(N).unwrap_or(0))
        .expect("setup: the group did not settle");
    bench.bench_function(BenchmarkId::new("quiet", N), |b| {
        let mut out = Out::new();
        b.iter(|| workloads::tick(black_box(&mut *quiet), &mut out));
    });
    // The scan a controller makes to know how long to sleep (not in the report).
    bench.bench_function(BenchmarkId::new("next_deadline", N), |b| {
        b.iter(|| black_box(&*quiet).next_deadline());
    });
    // The quiet group is the probe now; its storage is reused.
    let probe = quiet;
    let mut stopped_slot = Box::new(MaybeUninit::uninit());
    let stopped = workloads::group_in::<N>(&mut stopped_slot).expect("setup: group");
    let mut buf = vec![0u8; 64 * N + 4096];
    workloads::one_stopped::<N>(stopped, probe, &mut buf)
        .expect("setup: the replace tick is not 2 actions");
    bench.bench_function(BenchmarkId::new("busy", N), |b| {
        b.iter_batched_ref(
            || (Box::new(stopped.clone()), Out::new()),
            |(group, out)| workloads::tick(black_box(group), out),
            BatchSize::LargeInput,
        );
    });
    bench.finish();
}

fn sim_n<const N: usize>(c: &mut Criterion) {
    let mut bench = c.benchmark_group("sim");
    let mut slot = Box::new(MaybeUninit::uninit());
    let (sim, mut i) = workloads::simulator::<N>(&mut slot).expect("setup: simulator");
    bench.bench_function(BenchmarkId::new("step", N), |b| {
        b.iter(|| {
            let d = workloads::sim_step(black_box(&mut *sim), i);
            i += 1;
            d
        });
    });
    bench.finish();
}

fn decisions(c: &mut Criterion) {
    let mut bench = c.benchmark_group("scaling");
    let mut s = Scaling::new().expect("setup: scaling");
    bench.bench_function("alarm", |b| b.iter(|| black_box(&mut s).alarm()));
    let metric = fleetcore::scaling::Value::from_int(87);
    bench.bench_function("step", |b| b.iter(|| s.step(black_box(metric))));
    bench.bench_function("target", |b| b.iter(|| s.target(black_box(metric))));
    bench.bench_function("hpa", |b| b.iter(|| black_box(&mut s).hpa()));
    bench.finish();
}

fn imds(c: &mut Criterion) {
    let mut bench = c.benchmark_group("imds");
    let mut case = ImdsCase::new().expect("setup: imds");
    let mut out = [0u8; 1024];
    assert!(case.serve(&mut out) > 0, "setup: the GET was not answered");
    bench.bench_function("get", |b| b.iter(|| black_box(&mut case).serve(&mut out)));
    bench.finish();
}

fn network(c: &mut Criterion) {
    let mut bench = c.benchmark_group("network");
    let case = SgCase::new().expect("setup: security groups");
    bench.bench_function("sg_evaluate", |b| b.iter(|| black_box(&case).evaluate()));
    bench.finish();
}

fn run() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(env_u64(
            "FLEETCORE_BENCH_WARMUP_MS",
            300,
        )))
        .measurement_time(Duration::from_millis(env_u64(
            "FLEETCORE_BENCH_MEASURE_MS",
            1000,
        )))
        .sample_size(usize::try_from(env_u64("FLEETCORE_BENCH_SAMPLES", 20)).unwrap_or(20))
        .configure_from_args();
    sizes();
    tick_n::<8>(&mut c);
    tick_n::<64>(&mut c);
    tick_n::<1024>(&mut c);
    tick_n::<4096>(&mut c);
    sim_n::<8>(&mut c);
    sim_n::<64>(&mut c);
    sim_n::<1024>(&mut c);
    sim_n::<4096>(&mut c);
    decisions(&mut c);
    imds(&mut c);
    network(&mut c);
    c.final_summary();
}

fn main() {
    // A group of 4096 is about a megabyte and setup moves it by value: a big stack.
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(run)
        .expect("spawn the benchmark thread")
        .join()
        .expect("benchmarks");
}
