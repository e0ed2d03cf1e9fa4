#!/usr/bin/env bash
# `make bench`: every figure of BENCHMARKS.md, then the report itself. Three to six minutes on two
# cores; nothing here is a test (no figure is compared with anything).
#
#   1. criterion (core/benches/ops.rs): tick for groups of 8 to 4096, simulator steps, alarm
#      evaluation, step / target-tracking / HPA decisions, IMDS answers, security groups;
#   2. the Cortex-M4 firmware in QEMU: instruction counts (core/firmware/src/bin/bench.rs under
#      `-icount shift=0`), flash and static RAM of three binaries, stack high-water marks;
#      then `scripts/firmware.sh m0`: group_m0 (a lean group of 8 with target tracking) on the
#      Cortex-M0 micro:bit, its flash, static RAM, stack high-water and per-call stack;
#   3. Python (scripts/bench_python.py in .venv): simulate throughput and the moto comparison;
#   4. scripts/bench_report.py writes BENCHMARKS.md from build/bench/, beside the figures of
#      the BENCHMARKS.md committed at $FLEETCORE_BENCH_BEFORE (default a6c4d1d, the last report
#      before group parts, 64-byte members and decide/drain; `git show REV:BENCHMARKS.md`).
#
# Env: FLEETCORE_BENCH_WARMUP_MS / _MEASURE_MS / _SAMPLES (criterion, see core/benches/ops.rs),
# FLEETCORE_BENCH_RUNS (simulate repetitions, default 5), FLEETCORE_BENCH_MOTO_RUNS (default 5;
# one moto run of 1,000 operations takes 30-40 s here), FLEETCORE_BENCH_BEFORE (above).
# CARGO_TARGET_DIR is honoured: the root workspace builds there, the firmware workspace in
# $CARGO_TARGET_DIR/firmware (its own target directory otherwise). Installs nothing itself:
# `make bench` runs scripts/setup.sh bench first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=build/bench
fw=core/firmware
fw_target=thumbv7em-none-eabihf
say() { printf 'bench: %s\n' "$*"; }
# Where cargo puts the root workspace's builds and criterion's estimates, and the firmware's.
target_dir=${CARGO_TARGET_DIR:-target}
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
    fw_target_dir=$CARGO_TARGET_DIR/firmware
else
    fw_target_dir=$root/$fw/target
fi
case $fw_target_dir in
    /*) ;;
    *) fw_target_dir=$root/$fw_target_dir ;;
esac

rm -rf "$out"
mkdir -p "$out"
start=$SECONDS
cat /proc/loadavg >"$out/load-start.txt"
date -u '+%Y-%m-%d %H:%M UTC' >"$out/date.txt"
# The tree measured: HEAD and any uncommitted changes at the start (the report names them).
git rev-parse --short HEAD >"$out/git-head.txt" 2>/dev/null || echo unknown >"$out/git-head.txt"
git status --porcelain 2>/dev/null >"$out/git-status.txt" || true

# ---- 1. criterion ----
say "criterion (cargo bench -p fleetcore --bench ops)"
# Earlier runs' estimates would be read as this run's: start clean.
for d in tick sim scaling imds network; do
    rm -rf "${target_dir:?}/criterion/$d"
done
if ! cargo bench -p fleetcore --bench ops >"$out/criterion.log" 2>&1; then
    tail -n 30 "$out/criterion.log"
    say "cargo bench failed (all of it in $out/criterion.log)"
    exit 1
fi
grep -E '^(fleetcore-size|[a-z_]+/[a-z_/0-9]+ +time:)' "$out/criterion.log" || true
mkdir -p "$out/criterion"
for d in tick sim scaling imds network; do
    cp -r "$target_dir/criterion/$d" "$out/criterion/"
done

# ---- 1b. x86-64 instruction counts (callgrind), N up to 4096 ----
say "callgrind: instructions per sim/step, tick/busy and tick/quiet (core/benches/insns.rs)"
cargo bench -p fleetcore --bench insns --no-run >"$out/insns-build.log" 2>&1
insns=$(sed -n 's/.*Executable .*(\(.*\))$/\1/p' "$out/insns-build.log" | tail -n1)
count() { # KIND N COUNT FUNCTION -> instructions inside FUNCTION, per call
    local total
    total=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="*$4*" \
        "$insns" "$1" "$2" "$3" 2>&1 >/dev/null | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
    echo $((total / $3))
}
for n in 8 64 1024 4096; do
    # Ten whole load periods of the simulator; a hundred busy ticks.
    echo "sim/step $n $(count sim "$n" 1200 measured_step)"
    echo "tick/busy $n $(count busy "$n" 100 measured_tick)"
    echo "tick/quiet $n $(count quiet "$n" 1000 measured_tick)"
done | tee "$out/callgrind.txt"

# ---- 2. firmware ----
say "firmware: release builds of bench (feature bench), group_only and lifecycle"
(cd "$fw" && CARGO_TARGET_DIR=$fw_target_dir cargo build --release --locked --features bench --bin bench)
(cd "$fw" && CARGO_TARGET_DIR=$fw_target_dir cargo build --release --locked --bin group_only --bin lifecycle)
elf_dir=$fw_target_dir/$fw_target/release
# The QEMU command of $fw_target in core/firmware/.cargo/config.toml (as scripts/firmware.sh
# reads it; the file has a runner for each board's target).
read -r -a runner <<<"$(sed -n "/^\[target\.$fw_target\]/,/^\[/ s/^runner *= *\"\(.*\)\"\$/\1/p" \
    "$fw/.cargo/config.toml")"
say "firmware: instruction counts (${runner[*]} … with -icount shift=0)"
timeout 120 "${runner[@]:0:${#runner[@]}-1}" -icount shift=0 "${runner[-1]}" "$elf_dir/bench" \
    </dev/null >"$out/firmware-bench.txt"
for bin in group_only lifecycle; do
    timeout 60 "${runner[@]}" "$elf_dir/$bin" </dev/null >"$out/firmware-$bin.txt"
done
for bin in bench group_only lifecycle; do
    printf '%s ' "$bin"
    arm-none-eabi-size "$elf_dir/$bin" | awk 'NR == 2 {print $1, $2, $3}'
done >"$out/firmware-sizes.txt"
qemu-system-arm --version | head -n1 >"$out/qemu-version.txt"
cat "$out/firmware-sizes.txt"

# ---- 2b. group_m0 on the Cortex-M0 micro:bit ----
# The m0 stage of scripts/firmware.sh: builds group_m0 for thumbv6m, runs it in QEMU (microbit),
# checks its exit status, summary line and budget, and prints the summary line, its `info:`
# line (per-call stack, as `group_m0: …`) and arm-none-eabi-size's figures. A failed check or
# budget is recorded for the report, not fatal here.
say "firmware: group_m0 on the micro:bit (scripts/firmware.sh m0)"
m0_status=0
CARGO_TARGET_DIR=$fw_target_dir bash scripts/firmware.sh m0 >"$out/firmware-group_m0.txt" 2>&1 ||
    m0_status=$?
echo "$m0_status" >"$out/firmware-group_m0.status"
grep -E '^(group_m0|firmware: (ok|FAILED|group_m0))' "$out/firmware-group_m0.txt" || true
[ "$m0_status" -eq 0 ] || say "group_m0: scripts/firmware.sh m0 exited with $m0_status" \
    "(all of it in $out/firmware-group_m0.txt)"

# ---- 2c. the forecaster against the forecasts people use (accuracy, not time) ----
say "forecast: cargo run -p fleetcore --example forecast_eval --release"
cargo run -q -p fleetcore --example forecast_eval --release >"$out/forecast.txt"

# ---- 3. Python ----
say "python: the module from this tree into .venv, with numpy, pandas, distributed, moto and boto3"
PYTHON_ENV_TAG=bench bash scripts/python-env.sh numpy pandas 'distributed>=2024.1' 'moto[autoscaling]' boto3
.venv/bin/python scripts/bench_python.py --out "$out/python.json" \
    --runs "${FLEETCORE_BENCH_RUNS:-5}" --moto-runs "${FLEETCORE_BENCH_MOTO_RUNS:-5}"

# ---- 4. the report ----
cat /proc/loadavg >"$out/load-end.txt"
# The tree again: if it changed while this ran, the stages may have built different code.
git rev-parse --short HEAD >"$out/git-head-end.txt" 2>/dev/null || echo unknown >"$out/git-head-end.txt"
git status --porcelain 2>/dev/null >"$out/git-status-end.txt" || true
echo $((SECONDS - start)) >"$out/seconds.txt"
python3 scripts/bench_report.py --dir "$out" --out "$root/BENCHMARKS.md" \
    --before "${FLEETCORE_BENCH_BEFORE:-a6c4d1d}"
say "wrote BENCHMARKS.md in $((SECONDS - start)) s"
