//! `sim_steps N STEPS`: the `sim/step/N` workload of `ops.rs`, STEPS one-minute steps after
//! its warm-up, for counting instructions rather than timing: `make bench` runs it under
//! `valgrind --tool=callgrind` with 1 and with 1,201 steps, and the difference over 1,200
//! steps (ten whole load periods) is the instructions per step, exact and free of the
//! machine's load and caches, for N up to 4096 (the M4 stops at 1024).

use core::hint::black_box;

#[path = "shared/workloads.rs"]
#[allow(dead_code)] // the other workloads are for ops.rs and the firmware
mod workloads;

fn run<const N: usize>(steps: u64) -> Option<u64> {
    let (mut sim, first) = workloads::simulator::<N>()?;
    let mut sum = 0u64;
    for i in first..first + steps {
        sum += u64::from(workloads::sim_step(black_box(&mut sim), i)?);
    }
    Some(sum)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(n), Some(steps)) = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1).and_then(|a| a.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: sim_steps N STEPS (N = 8, 64, 1024 or 4096)");
        std::process::exit(2);
    };
    let sum = match n {
        8 => run::<8>(steps),
        64 => run::<64>(steps),
        1024 => run::<1024>(steps),
        4096 => run::<4096>(steps),
        _ => None,
    };
    let Some(sum) = sum else {
        eprintln!("sim_steps: N = {n}: no such size, or the simulator failed");
        std::process::exit(1);
    };
    println!("sim_steps {n} {steps}: desired summed {sum}");
}
