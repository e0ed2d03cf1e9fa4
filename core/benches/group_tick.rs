//! Criterion benchmarks of [`Group::tick`], the call a controller makes on every loop.
//!
//! Cases:
//! - `tick/steady/{64,1024}`: every member in service and healthy, desired reached, three
//!   zones balanced. Nothing to do, so `tick` is only the scan; it leaves the group unchanged
//!   and the same group is ticked again and again.
//! - `tick/replace/1024`: the steady 1024 group after one member reported EC2 `stopped`; the
//!   tick terminates it and launches its replacement. Each iteration ticks a fresh clone.
//! - `next_deadline/steady/1024`: the scan a controller does to know how long to sleep.
//!
//! The sizes of the group and of a member are printed once before the runs. These are figures
//! for the notes, never assertions (STYLE.md, "Testing tiers"); the setup checks only that each
//! case is in the state it claims. Run with `cargo bench -p fleetcore --bench group_tick`.

use core::hint::black_box;
use core::mem::size_of;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use fleetcore::Instant;
use fleetcore::catalog::{TemplateSource, VersionSpec};
use fleetcore::error::CatalogError;
use fleetcore::group::{Action, Event, Group, GroupConfig, Member, MemberState};
use fleetcore::id::TemplateId;
use fleetcore::lifecycle::InstanceState;

/// A template source whose every version resolves to 1, without a catalog lookup, so the
/// figures are the group's own work.
struct Fixed;

impl TemplateSource for Fixed {
    fn resolve(&self, _id: TemplateId, _version: VersionSpec) -> Result<u32, CatalogError> {
        Ok(1)
    }
}

/// The action buffer a controller would pass to each tick.
type Out = heapless::Vec<Action, 16>;

const ZONES: [&str; 3] = ["zone-a", "zone-b", "zone-c"];

/// The instant every tick of a case runs at (the setup settles the group at this time too).
fn now() -> Instant {
    Instant::from_secs(1_000)
}

/// A group of capacity `N` at `desired` in three zones, every member booted and in service.
fn steady<const N: usize>(desired: u32) -> Group<N> {
    let max = u32::try_from(N).expect("capacity fits u32");
    let mut config = GroupConfig::new(0, max, TemplateId::from_u64(1), ZONES[0]).expect("config");
    for zone in &ZONES[1..] {
        config.add_zone(zone).expect("zone");
    }
    config.desired_capacity = Some(desired);
    let mut group = Group::<N>::new(config, 7).expect("group");
    // Each tick writes as many launches as fit in `out`; the rest stay owed for the next one.
    loop {
        let mut out = Out::new();
        group.tick(now(), &Fixed, &mut out);
        if out.is_empty() {
            break;
        }
        for action in &out {
            if let Action::Launch { id, .. } = *action {
                group.observe(now(), Event::Booted(id)).expect("booted");
            }
        }
    }
    let steady = group.members().len() == usize::try_from(desired).expect("desired fits usize")
        && group
            .members()
            .iter()
            .all(|m| m.state() == MemberState::InService);
    assert!(steady, "setup: the group did not settle at {desired}");
    group
}

/// The steady group after the member in the middle reported EC2 `stopped`.
fn one_stopped<const N: usize>(desired: u32) -> Group<N> {
    let mut group = steady::<N>(desired);
    let id = group.members()[group.members().len() / 2].id();
    group
        .observe(now(), Event::Ec2State(id, InstanceState::Stopped))
        .expect("ec2 state");
    // The case claims one termination and one replacement launch.
    let mut probe = group.clone();
    let mut out = Out::new();
    probe.tick(now(), &Fixed, &mut out);
    let terminates = out
        .iter()
        .filter(|a| matches!(a, Action::Terminate { id: t } if *t == id))
        .count();
    let launches = out
        .iter()
        .filter(|a| matches!(a, Action::Launch { .. }))
        .count();
    assert!(
        out.len() == 2 && terminates == 1 && launches == 1,
        "setup: the replace tick wrote {out:?}"
    );
    group
}

fn sizes(_c: &mut Criterion) {
    println!(
        "size_of: Group<64> = {} B, Group<1024> = {} B, Member = {} B, Action = {} B",
        size_of::<Group<64>>(),
        size_of::<Group<1024>>(),
        size_of::<Member>(),
        size_of::<Action>(),
    );
}

fn tick(c: &mut Criterion) {
    let mut bench = c.benchmark_group("tick");

    let mut g64 = steady::<64>(64);
    bench.bench_function(BenchmarkId::new("steady", 64), |b| {
        let mut out = Out::new();
        b.iter(|| {
            out.clear();
            g64.tick(black_box(now()), &Fixed, &mut out);
            black_box(out.len())
        });
    });

    let mut g1024 = steady::<1024>(1000);
    bench.bench_function(BenchmarkId::new("steady", 1024), |b| {
        let mut out = Out::new();
        b.iter(|| {
            out.clear();
            g1024.tick(black_box(now()), &Fixed, &mut out);
            black_box(out.len())
        });
    });

    // The group is about 230 kB: `LargeInput` keeps few clones alive at once, and the
    // by-reference variant keeps the move of the group out of the timed routine.
    let stopped = one_stopped::<1024>(1000);
    bench.bench_function(BenchmarkId::new("replace", 1024), |b| {
        b.iter_batched_ref(
            || stopped.clone(),
            |group| {
                let mut out = Out::new();
                group.tick(black_box(now()), &Fixed, &mut out);
                out
            },
            BatchSize::LargeInput,
        );
    });

    bench.finish();
}

fn next_deadline(c: &mut Criterion) {
    let mut bench = c.benchmark_group("next_deadline");
    let group = steady::<1024>(1000);
    bench.bench_function(BenchmarkId::new("steady", 1024), |b| {
        b.iter(|| black_box(&group).next_deadline());
    });
    bench.finish();
}

criterion_group!(benches, sizes, tick, next_deadline);
criterion_main!(benches);
