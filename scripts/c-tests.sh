#!/usr/bin/env bash
# The C surface of fleetcore (STYLE.md, testing tier 5), in named stages:
#   header    the committed ffi/include/fleetcore.h matches the source (cargo test --test header)
#   build     the host staticlib and cdylib (release), and the native libs a static link needs
#   asan      ffi/tests/c/*.c against the staticlib with -fsanitize=address,undefined
#   valgrind  the same tests against the cdylib, no sanitizers, under valgrind
#   cxx       the header compiles as C++ (cpp_compat)
#   thumb     the no_std staticlib for Cortex-M (thumbv7em-none-eabihf), its exports and size
#   example   ffi/examples/trace_group as a C programmer builds it: scripts/c-install.sh into a
#             temporary prefix, `make` with PKG_CONFIG_PATH, a run on the NYC taxi trace
# Golden scenarios: a test's lines "golden <name>: <text>" are compared, in asan and valgrind,
# byte for byte with golden/<name>.txt (test_golden.c prints every scenario), the
# files Rust, Python and the firmware check too (golden/README.md); every golden/*.txt must be
# matched by some test. The taxi scenario reads $FLEETCORE_TRACES (default ../shared/traces).
# Logs only C and Rust share (the forecaster's, ffi/tests/golden/<name>.txt) are compared the
# same way.
# Usage: scripts/c-tests.sh [stage ...]   (no argument runs every stage, in this order)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export FLEETCORE_TRACES="${FLEETCORE_TRACES:-$root/../shared/traces}"

target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-$root/target}"
lib_dir="$target_dir/release"
out_dir="$target_dir/c-tests"
include_dir="$root/ffi/include"
tests=("$root"/ffi/tests/c/*.c)
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -g -I "$include_dir")
thumb=thumbv7em-none-eabihf

stage() { printf '\n==> %s\n' "$*"; }
die() { printf 'c-tests.sh: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required for stage '$2' but is not installed${3:+ ($3)}"; }

# The last line of a test's output must be "N passed, 0 failed".
check_summary() {
    local log="$1" name="$2" last
    last="$(tail -n 1 "$log")"
    [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || die "$name: unexpected summary line: '$last'"
    printf '%s: %s\n' "$name" "$last"
}

# Each "golden <name>: " log in a test's output must equal golden/<name>.txt byte for byte.
golden_matched=()
check_golden() {
    local log="$1" test="$2" name golden
    for name in $(sed -n 's/^golden \([a-z0-9_]*\): .*/\1/p' "$log" | sort -u); do
        golden="$root/golden/$name.txt"
        # Logs only C and Rust share (the forecaster's) live beside the C tests.
        [[ -f "$golden" ]] || golden="$root/ffi/tests/golden/$name.txt"
        [[ -f "$golden" ]] || die "$test prints a golden log '$name' but $golden does not exist"
        if ! cmp -s <(sed -n "s/^golden $name: //p" "$log") "$golden"; then
            diff <(sed -n "s/^golden $name: //p" "$log") "$golden" >&2 || true
            die "$test: golden log '$name' (<) differs from $golden (>)"
        fi
        printf '%s: golden log matches %s (%s lines)\n' "$test" "${golden#"$root"/}" \
            "$(wc -l <"$golden")"
        golden_matched+=("$name")
    done
}

# Every golden/<name>.txt was matched by some test in the stage.
check_golden_all() {
    local file name
    for file in "$root"/golden/*.txt; do
        name="$(basename "$file" .txt)"
        [[ " ${golden_matched[*]} " == *" $name "* ]] || die "no C test printed golden log '$name'"
    done
    golden_matched=()
}

native_libs=""
build() {
    stage "build: fleetcore-ffi staticlib + cdylib (release)"
    need cargo build
    local log
    log="$(mktemp)"
    # `--print native-static-libs` is replayed by cargo from its cache when nothing changed.
    if ! cargo rustc -p fleetcore-ffi --release --lib -- --print native-static-libs 2>"$log"; then
        cat "$log" >&2
        die "cargo build of fleetcore-ffi failed"
    fi
    native_libs="$(sed -n 's/.*native-static-libs: //p' "$log" | tail -n 1)"
    rm -f "$log"
    if [[ -z "$native_libs" ]]; then
        native_libs="-lpthread -ldl -lm"
        printf 'native-static-libs not reported; using %s\n' "$native_libs"
    else
        printf 'native-static-libs: %s\n' "$native_libs"
    fi
    [[ -f "$lib_dir/libfleetcore_ffi.a" ]] || die "missing $lib_dir/libfleetcore_ffi.a"
    [[ -f "$lib_dir/libfleetcore_ffi.so" ]] || die "missing $lib_dir/libfleetcore_ffi.so"
    mkdir -p "$out_dir"
}

header() {
    stage "header: ffi/include/fleetcore.h is up to date"
    cargo test -p fleetcore-ffi --test header --quiet
}

asan() {
    stage "asan: C tests against the staticlib with -fsanitize=address,undefined"
    need gcc asan
    [[ -n "$native_libs" ]] || build
    local src name exe st
    for src in "${tests[@]}"; do
        name="$(basename "$src" .c)"
        exe="$out_dir/$name-asan"
        # shellcheck disable=SC2086 # native_libs is a list of linker flags
        gcc "${cflags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer "$src" "$lib_dir/libfleetcore_ffi.a" $native_libs -o "$exe"
        st=0
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
            "$exe" >"$out_dir/$name-asan.log" || st=$?
        # Golden logs are compared below, not echoed.
        grep -v '^golden ' "$out_dir/$name-asan.log" || true
        ((st == 0)) || die "$name (asan+ubsan) exited with status $st"
        check_summary "$out_dir/$name-asan.log" "$name (asan+ubsan)"
        check_golden "$out_dir/$name-asan.log" "$name"
    done
    check_golden_all
}

valgrind_stage() {
    stage "valgrind: C tests against the cdylib"
    need gcc valgrind
    need valgrind valgrind "apt-get install valgrind"
    [[ -n "$native_libs" ]] || build
    local src name exe st
    for src in "${tests[@]}"; do
        name="$(basename "$src" .c)"
        exe="$out_dir/$name-shared"
        gcc "${cflags[@]}" "$src" -L "$lib_dir" -l:libfleetcore_ffi.so \
            -Wl,-rpath,"$lib_dir" -o "$exe"
        st=0
        valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible \
            "$exe" >"$out_dir/$name-valgrind.log" || st=$?
        grep -v '^golden ' "$out_dir/$name-valgrind.log" || true
        ((st == 0)) || die "$name (valgrind) exited with status $st"
        check_summary "$out_dir/$name-valgrind.log" "$name (valgrind)"
        check_golden "$out_dir/$name-valgrind.log" "$name"
    done
    check_golden_all
}

cxx() {
    stage "cxx: the header compiles as C++"
    need g++ cxx
    printf '#include "fleetcore.h"\nint main() { char t[FC_STATUS_MESSAGE_SIZE]; size_t n; return (int)fc_status_message(FC_STATUS_OK, t, sizeof t, &n); }\n' \
        | g++ -std=c++11 -Wall -Wextra -Werror -pedantic -I "$include_dir" -x c++ - \
            -fsyntax-only
    echo "fleetcore.h: ok as C++11"
}

thumb() {
    stage "thumb: no_std staticlib for $thumb"
    rustup target list --installed 2>/dev/null | grep -qx "$thumb" \
        || die "target $thumb is not installed (rustup target add $thumb)"
    cargo rustc -p fleetcore-ffi --lib --release --target "$thumb" \
        --no-default-features --features panic-handler --crate-type staticlib
    local lib="$target_dir/$thumb/release/libfleetcore_ffi.a" nm size
    [[ -f "$lib" ]] || die "missing $lib"
    nm="$(command -v arm-none-eabi-nm || command -v llvm-nm || true)"
    size="$(command -v arm-none-eabi-size || command -v llvm-size || true)"
    [[ -n "$nm" && -n "$size" ]] || die "arm-none-eabi-binutils (or llvm) needed for nm and size"

    # The firmware library exports exactly the functions the header declares.
    local declared exported
    declared="$(sed -n 's/^[a-z0-9_ ]*[ *]\(fc_[a-z0-9_]*\)(.*/\1/p' "$include_dir/fleetcore.h" | sort -u)"
    exported="$("$nm" -g --defined-only "$lib" 2>/dev/null | awk '$2 == "T" && $3 ~ /^fc_/ {print $3}' | sort -u)"
    [[ -n "$declared" ]] || die "found no function declarations in fleetcore.h"
    if [[ "$declared" != "$exported" ]]; then
        diff <(echo "$declared") <(echo "$exported") >&2 || true
        die "fleetcore.h declarations (<) and $thumb exports (>) differ"
    fi
    printf '%s fc_ functions declared and exported\n' "$(echo "$exported" | wc -l)"

    printf 'archive: %s bytes (%s)\n' "$(stat -c %s "$lib")" "$lib"
    # Totals over every member (core and compiler_builtins included); a linked firmware keeps
    # only what it calls.
    "$size" -t "$lib" 2>/dev/null | tail -n 1 | awk '{printf "text %s, data %s, bss %s (all members)\n", $1, $2, $3}'
    # The library's own object, after LTO.
    "$size" "$lib" 2>/dev/null | awk '$6 ~ /fleetcore_ffi/ {printf "text %s, data %s, bss %s (%s)\n", $1, $2, $3, $6}'
}

example() {
    stage "example: ffi/examples/trace_group against an installed library (pkg-config)"
    need make example
    need pkg-config example
    local trace="$root/../shared/traces/nyc_taxi.csv" tmp summary steps launches terms peak cost rows
    [[ -f "$trace" ]] || die "trace $trace not found"
    tmp="$(mktemp -d)"
    bash "$root/scripts/c-install.sh" "$tmp/prefix"
    # A copy, as a C programmer would have it: the example knows only pkg-config.
    cp "$root/ffi/examples/trace_group/main.c" "$root/ffi/examples/trace_group/Makefile" "$tmp/"
    PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" make -C "$tmp" CFLAGS="-O2 -g -Werror"
    "$tmp/trace_group" "$trace" | tee "$tmp/run.log"
    summary="$(grep '^summary: ' "$tmp/run.log")" || die "trace_group printed no summary line"
    read -r steps launches terms peak cost < <(sed -n \
        's/^summary: steps=\([0-9]*\) launches=\([0-9]*\) terminations=\([0-9]*\) peak=\([0-9]*\) cost_micros=\([0-9]*\)$/\1 \2 \3 \4 \5/p' \
        <<<"$summary")
    [[ -n "${cost:-}" ]] || die "unexpected summary line: '$summary'"
    rows=$(($(awk 'END { print NR }' "$trace") - 1)) # the last row may lack its newline
    # Sane: one step per row; the group scaled both ways within min 2 and max 60; it cost
    # something, and no more than max size for every step at 0.096 per hour.
    ((steps == rows)) || die "steps $steps != trace rows $rows"
    ((launches > 2 && terms > 0 && terms <= launches)) || die "launches $launches, terminations $terms"
    ((peak >= 2 && peak <= 60)) || die "peak $peak outside 2-60"
    ((cost > 0 && cost <= 60 * 96000 * steps / 60 + 96000)) || die "cost $cost micros not sane"
    printf 'trace_group: %s (sane)\n' "$summary"
    rm -rf "$tmp"
}

run_stage() {
    case "$1" in
        header) header ;;
        build) build ;;
        asan) asan ;;
        valgrind) valgrind_stage ;;
        cxx) cxx ;;
        thumb) thumb ;;
        example) example ;;
        *) die "unknown stage '$1' (header build asan valgrind cxx thumb example)" ;;
    esac
}

stages=("$@")
[[ ${#stages[@]} -gt 0 ]] || stages=(header build asan valgrind cxx thumb example)
for s in "${stages[@]}"; do
    run_stage "$s"
done
printf '\nc-tests.sh: all stages passed (%s)\n' "${stages[*]}"
