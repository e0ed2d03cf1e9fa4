#!/usr/bin/env bash
# Testing tier 8 (STYLE.md): fuzz smoke on stable. Builds every target of fuzz/ with
# `cargo fuzz build -s none`, then runs each for FUZZ_SECONDS (default: the smoke budget
# FUZZ_BUDGET, 200 s, shared evenly by all the targets, at least 5 s each) over its working
# corpus fuzz/corpus/<target> (created here, git-ignored) and the committed seeds
# fuzz/seeds/<target>. A crash fails the run; its input stays in fuzz/artifacts/<target>/
# (reproduce with `cargo fuzz run -s none <target> <file>`, then make it a #[test]).
#
# Installs nothing: scripts/setup.sh installs cargo-fuzz (`cargo install cargo-fuzz --locked`).
#
#   scripts/fuzz.sh                 every target
#   scripts/fuzz.sh id_parse        only the named targets
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."


if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz is missing; run scripts/setup.sh (cargo install cargo-fuzz --locked)" >&2
    exit 1
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
fi
if [[ ${#targets[@]} -eq 0 ]]; then
    echo "fuzz: no targets found" >&2
    exit 1
fi
# The smoke pass keeps one time budget however many targets there are (it was 10 targets at
# 20 s); a campaign sets FUZZ_SECONDS per target.
budget=${FUZZ_BUDGET:-200}
share=$((budget / $(cargo fuzz list --fuzz-dir fuzz | wc -l)))
seconds=${FUZZ_SECONDS:-$((share > 5 ? share : 5))}

echo "fuzz: building ${targets[*]}"
cargo fuzz build -s none --fuzz-dir fuzz

passed=0
failed=0
failed_names=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    seeds=()
    [[ -d "fuzz/seeds/$t" ]] && seeds=("fuzz/seeds/$t")
    echo "fuzz: $t for ${seconds}s"
    log=$(mktemp)
    if cargo fuzz run -s none --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
        passed=$((passed + 1))
        # The last status line: runs, coverage and corpus size.
        grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true
    else
        failed=$((failed + 1))
        failed_names+=("$t")
        tail -n 60 "$log"
        echo "fuzz: $t FAILED; crash inputs are in fuzz/artifacts/$t/" >&2
    fi
    rm -f "$log"
done

[[ $failed -eq 0 ]] || echo "fuzz: failed: ${failed_names[*]}"
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
