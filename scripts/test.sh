#!/usr/bin/env bash
# Every test of the project, as named stages (STYLE.md, "Testing tiers"). `make test` runs
# scripts/setup.sh first; this script installs nothing and fails clearly if a tool is missing.
#
#   scripts/test.sh                 all stages
#   scripts/test.sh static unit     only the named stages
#
# Stages: static unit thumb firmware m0 c python fuzz
set -uo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
export PROPTEST_CASES=${PROPTEST_CASES:-256}
# The fuzz smoke pass keeps scripts/fuzz.sh's budget (FUZZ_BUDGET, shared by every target);
# FUZZ_SECONDS, when set, is a campaign's time per target.

stage_static() {
    cargo fmt --all --check &&
        (cd fuzz && cargo fmt --check) &&
        (cd core/firmware && cargo fmt --check) &&
        cargo clippy --workspace --all-targets --locked -- -D warnings &&
        cargo clippy -p fleetcore --lib --target thumbv7em-none-eabihf --features defmt --locked \
            -- -D warnings &&
        RUSTDOCFLAGS="-D warnings" cargo doc -p fleetcore -p fleetcore-ffi --no-deps --locked
}

stage_unit() {
    # Unit, doc and property tests; never with defmt (host binaries cannot link its logger).
    # The Python module's own Rust tests start an interpreter (no extension-module feature).
    cargo test -p fleetcore -p fleetcore-ffi -p fleetcore-py --locked &&
        # With the IANA table: the cron and zone tests only (the rest of the crate does not
        # read the feature; running all of scaling:: again cost ~450 s of CI in debug), built
        # at opt-level 0 (they are quick; the optimised rebuild cost 85 s more).
        cargo --config 'profile.test.package.fleetcore.opt-level=0' \
            test -p fleetcore --features tz-names --locked --lib -- \
            scaling::tests::tz_tests scaling::tests::cron_tests
}

stage_thumb() { bash scripts/firmware.sh thumb-builds; }
stage_firmware() {
    # Both always run: the QEMU regression, then the proof that no panic path is reachable.
    local st=0
    bash scripts/firmware.sh qemu || st=1
    bash scripts/firmware.sh panic-never || st=1
    return "$st"
}
# group_m0 on the Cortex-M0 micro:bit (16K of RAM) within its budget (core/firmware/README.md).
stage_m0() { bash scripts/firmware.sh m0; }
stage_c() { bash scripts/c-tests.sh; }
stage_python() { bash scripts/python-tests.sh; }
stage_fuzz() { bash scripts/fuzz.sh; }

all=(static unit thumb firmware m0 c python fuzz)
if [ $# -gt 0 ]; then stages=("$@"); else stages=("${all[@]}"); fi

passed=0
failed=0
failed_names=()
start=$SECONDS
for s in "${stages[@]}"; do
    if ! declare -F "stage_$s" >/dev/null; then
        echo "unknown stage: $s (stages: ${all[*]})" >&2
        exit 2
    fi
    printf '\n==== stage %s ====\n' "$s"
    t0=$SECONDS
    if "stage_$s"; then
        passed=$((passed + 1))
        printf '==== stage %s: ok (%ss)\n' "$s" $((SECONDS - t0))
    else
        failed=$((failed + 1))
        failed_names+=("$s")
        printf '==== stage %s: FAILED (%ss)\n' "$s" $((SECONDS - t0))
    fi
done

printf '\nstages run in %ss' $((SECONDS - start))
[ $failed -eq 0 ] || printf '; failed: %s' "${failed_names[*]}"
printf '\nstages: %d passed, %d failed\n' "$passed" "$failed"
[ $failed -eq 0 ]
