#!/usr/bin/env bash
# The no_std tiers (STYLE.md, "Testing tiers" 4 and 7): fleetcore built for microcontroller
# targets, and the example firmware in core/firmware run in QEMU against its expected output.
#
#   scripts/firmware.sh                 thumb-builds, qemu, panic-never, then m0
#   scripts/firmware.sh thumb-builds    fleetcore for thumbv6m-none-eabi, thumbv7m-none-eabi and
#                                       thumbv7em-none-eabihf (the latter also with --features defmt)
#   scripts/firmware.sh qemu            build the firmware binaries (release), run each in QEMU,
#                                       compare with core/firmware/expected/<bin>.txt, print sizes;
#                                       lines `golden <name>: …` (bin `golden`, which runs on the
#                                       Cortex-M3 lm3s6965evb, the others on the Cortex-M4
#                                       mps2-an386) are compared byte for byte with
#                                       golden/<name>.txt instead, and every golden/*.txt must be
#                                       matched (golden/README.md); bin `golden_doc` (board
#                                       mps2-4m: mps2-an386 with its 4 MiB of code and data RAM)
#                                       runs once per document scenario, reading the document and
#                                       the trace at run time through semihosting
#   scripts/firmware.sh m0              the group_m0 binary (thumbv6m-none-eabi) on the Cortex-M0
#                                       micro:bit (16K of RAM): exit status 0, its one summary line,
#                                       and the budget: static RAM + stack high-water <= 8192 B,
#                                       flash <= 48 KiB
#   scripts/firmware.sh panic-never     prove no panic is reachable: build every binary
#                                       with --features panic-never (a panic handler that calls an
#                                       undefined symbol) in release (LTO); a link failure fails the
#                                       stage. Then run them in QEMU as in `qemu` (group_m0 as in
#                                       `m0`, without the budget), and check that the control
#                                       binary panic_canary, which can panic, does not link
#   scripts/firmware.sh show            run the text firmware and print all of its output
#   scripts/firmware.sh doc-build       build the golden_doc binary (board mps2-4m) only
#   scripts/firmware.sh doc-run DOCUMENT TRACE ROWS NAME
#                                       run the built golden_doc on DOCUMENT and the first ROWS
#                                       rows of TRACE (paths from the repository root), printing
#                                       its output (`golden NAME: …` lines); its exit status
#                                       (`make demo` replays build/chosen.json this way)
#
#   FLEETCORE_BLESS=1 scripts/firmware.sh qemu     rewrite the expected files from this run
#   FLEETCORE_ROUTE=A|B                            force a toolchain route (default: A if usable)
#   FLEETCORE_M0_BOARD=lm3s6965 scripts/firmware.sh m0
#                                                  link and run group_m0 on another board (its
#                                                  memory map and QEMU machine): lm3s6965 (64K
#                                                  of RAM) or mps2 (96K), e.g. to try a bigger
#                                                  group type than the micro:bit's RAM holds
#
# The golden files are never rewritten here: the Rust test blesses them
# (FLEETCORE_BLESS=1 cargo test -p fleetcore --test golden).
# Lines starting `info:` (the stack high-water mark, which moves with the compiler) are left out
# of the comparison; sizes are printed, never compared. This script installs nothing:
# scripts/setup.sh does (rustup targets, qemu-system-arm, binutils-arm-none-eabi, defmt-print).
# Ends with `firmware: N passed, N failed` (or `thumb-builds: …` for that stage alone).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fw=core/firmware
# Each binary's target and board (core/firmware/build.rs links memory-<board>.x; the QEMU
# command is the runner of the board's target in core/firmware/.cargo/config.toml).
fw_target=thumbv7em-none-eabihf # board mps2 (mps2-an386, Cortex-M4): the other binaries
golden_target=thumbv7m-none-eabi # board lm3s6965 (lm3s6965evb, Cortex-M3): golden
m0_target=thumbv6m-none-eabi     # board microbit (nRF51822, Cortex-M0): group_m0
m0_board=${FLEETCORE_M0_BOARD:-microbit}
# group_m0's budget on the micro:bit: half its RAM, under a fifth of its flash.
m0_budget_ram=8192
m0_budget_flash=49152
bins=(lifecycle lifecycle_defmt group_c golden)
# The document scenarios the `golden_doc` binary plays (DOCUMENTS in golden/scenarios.rs): its
# golden log's name and the document, each through the first day (48 rows) of nyc_taxi.csv.
golden_docs=("doc_controller examples/controller.json" "doc_taxi examples/taxi.json")
golden_doc_rows=48
traces=${FLEETCORE_TRACES:-../shared/traces}
# The binaries proven panic-free (core/firmware/README.md, "No panics, proven"): all of them,
# and group_m0.
panic_never_bins=("${bins[@]}")
# The undefined symbols the panic-never handlers call (core/firmware/src/lib.rs, ffi/src/lib.rs).
panic_never_symbol='_panic_never__a_panic_path_is_reachable__'
qemu_timeout=60
# defmt-print's line format: level and message, no timestamp or location, so output is stable.
defmt_format='{L} {s}'

say() { printf 'firmware: %s\n' "$*"; }
die() {
    printf 'firmware: error: %s\n' "$*" >&2
    exit 2
}
need_tool() { # tool, hint
    command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2 (scripts/setup.sh installs it)"
}

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    say "ok: $*"
}
fail() {
    failed=$((failed + 1))
    say "FAILED: $*"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- toolchain route (TOOLCHAIN.md §1) ----
# A: rustup's toolchain with the targets added (scripts/setup.sh runs `rustup target add`).
# B: Debian's rustc-web and cargo-web with their library source, building `core` with
#    -Zbuild-std; setup.sh falls back to installing it when `rustup target add` fails.
cargo_cmd=()
build_std=()
route=""
route_a_ok() { # targets...
    command -v rustup >/dev/null 2>&1 || return 1
    command -v cargo >/dev/null 2>&1 || return 1
    local installed
    installed=$(rustup target list --installed 2>/dev/null) || return 1
    local t
    for t in "$@"; do
        grep -qx "$t" <<<"$installed" || return 1
    done
}
route_b_ok() {
    [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] || return 1
    local sysroot
    sysroot=$(/usr/bin/rustc --print sysroot 2>/dev/null) || return 1
    [ -d "$sysroot/lib/rustlib/src/rust/library/core" ] || return 1
    # rust-web-llvm alone leaves rust-lld dangling; lld-22 completes it.
    [ -e /usr/bin/rust-lld ] || command -v rust-lld >/dev/null 2>&1
}
choose_route() { # targets...
    local want=${FLEETCORE_ROUTE:-}
    if [ "$want" != B ] && route_a_ok "$@"; then
        route=A
        cargo_cmd=(cargo)
        build_std=()
    elif [ "$want" != A ] && route_b_ok; then
        route=B
        export RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
        cargo_cmd=(/usr/bin/cargo)
        build_std=(-Zbuild-std=core)
    else
        die "cannot build for $*: route A needs \`rustup target add $*\`; route B needs Debian's" \
            "rustc-web cargo-web rust-web-src rust-web-llvm lld-22 (TOOLCHAIN.md §1)"
    fi
    say "toolchain route $route ($("${cargo_cmd[@]}" --version 2>/dev/null), for $*)"
}

# ---- stage: thumb-builds ----
stage_thumb_builds() {
    choose_route thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf
    local spec target features
    for spec in "thumbv6m-none-eabi" "thumbv7m-none-eabi" "thumbv7em-none-eabihf" \
        "thumbv7em-none-eabihf defmt"; do
        read -r target features <<<"$spec"
        local args=(build -p fleetcore --target "$target" --locked "${build_std[@]}")
        local name="fleetcore for $target"
        if [ -n "${features:-}" ]; then
            args+=(--features "$features")
            name+=" --features $features"
        fi
        if "${cargo_cmd[@]}" "${args[@]}"; then
            pass "$name"
        else
            fail "$name"
        fi
    done
}

# ---- stage: qemu ----
# The board a binary is linked for, and the target whose runner is that board's QEMU machine.
bin_board() { # bin
    case $1 in
        golden) echo lm3s6965 ;;
        golden_doc) echo mps2-4m ;;
        group_m0) echo "$m0_board" ;;
        *) echo mps2 ;;
    esac
}
bin_target() { # bin
    case $1 in
        golden) echo "$golden_target" ;;
        group_m0) echo "$m0_target" ;;
        *) echo "$fw_target" ;;
    esac
}
board_target() { # board
    case $1 in
        mps2 | mps2-4m) echo thumbv7em-none-eabihf ;;
        lm3s6965) echo thumbv7m-none-eabi ;;
        microbit) echo thumbv6m-none-eabi ;;
        *) die "unknown board '$1' (mps2, lm3s6965 or microbit)" ;;
    esac
}

runner=()
load_runner() { # board
    # One source of truth for the QEMU command: the runner of the board's target in
    # core/firmware/.cargo/config.toml.
    local target line
    target=$(board_target "$1")
    line=$(sed -n "/^\[target\.$target\]/,/^\[/ s/^runner *= *\"\(.*\)\"\$/\1/p" \
        "$fw/.cargo/config.toml")
    [ -n "$line" ] || die "no runner for [target.$target] in $fw/.cargo/config.toml"
    read -r -a runner <<<"$line"
    need_tool "${runner[0]}" "Debian package qemu-system-arm"
}

size_tool=""
find_size_tool() {
    if command -v arm-none-eabi-size >/dev/null 2>&1; then
        size_tool=arm-none-eabi-size
    elif command -v llvm-size >/dev/null 2>&1; then
        size_tool=llvm-size
    else
        die "arm-none-eabi-size not found: Debian package binutils-arm-none-eabi (or llvm-size)"
    fi
}

# Prints "flash N B, static RAM N B" for an ELF (Berkeley format: text data bss).
sizes() {
    local text data bss
    read -r text data bss _ < <("$size_tool" "$1" | awk 'NR == 2')
    printf 'flash %d B (text %d + data %d), static RAM %d B (data %d + bss %d)' \
        $((text + data)) "$text" "$data" $((data + bss)) "$data" "$bss"
}

elf_dir() { # target
    local dir=${CARGO_TARGET_DIR:-target}
    case $dir in
        /*) ;;
        *) dir=$root/$fw/$dir ;;
    esac
    printf '%s/%s/release' "$dir" "$1"
}

# Extra cargo features for every firmware build (the panic-never stage sets it).
extra_features=""

build_firmware() { # bin
    local args=(build --release --locked "${build_std[@]}" --target "$(bin_target "$1")" --bin "$1")
    [ "$1" = lifecycle_defmt ] && args+=(--features defmt)
    # The C `main` needs arm-none-eabi-gcc (scripts/setup.sh installs it).
    if [ "$1" = group_c ]; then
        need_tool arm-none-eabi-gcc "Debian package gcc-arm-none-eabi"
        args+=(--features c-main)
    fi
    [ -n "$extra_features" ] && args+=(--features "$extra_features")
    local log=$tmp/$1.build board
    board=$(bin_board "$1")
    if ! (cd "$fw" && FLEETCORE_BOARD=$board "${cargo_cmd[@]}" "${args[@]}") 2>&1 |
        tee "$log" >&2; then
        if grep -q "will not fit in region 'RAM'" "$log"; then
            say "$1: its statics do not fit board $board's RAM:" \
                "$(grep -o "section '[^']*' will not fit in region 'RAM': overflowed by [0-9]* bytes" \
                    "$log" | head -n1)"
            return 1
        fi
        if grep -q "undefined symbol: .*$panic_never_symbol" "$log"; then
            say "$1: a panic path is reachable: the panic-never handler was linked (see" \
                "$fw/README.md, \"No panics\", for how to find it)"
            return 1
        fi
        say "hint: after a change to fleetcore's dependencies, run \`cargo update -p fleetcore\`" \
            "in $fw and commit its Cargo.lock"
        return 1
    fi
}

# Runs one binary in QEMU; writes its decoded output to $tmp/<bin>.out. Returns QEMU's status.
run_firmware() { # bin
    local bin=$1 elf
    elf=$(elf_dir "$(bin_target "$bin")")/$bin
    load_runner "$(bin_board "$bin")"
    local out=$tmp/$bin.out err=$tmp/$bin.err
    local st=0
    if [ "$bin" = lifecycle_defmt ]; then
        set +e
        timeout "$qemu_timeout" "${runner[@]}" "$elf" </dev/null 2>"$err" |
            env -u CLICOLOR_FORCE NO_COLOR=1 defmt-print -e "$elf" --log-format "$defmt_format" \
                >"$out" 2>>"$err"
        local codes=("${PIPESTATUS[@]}")
        set -e
        st=${codes[0]}
        if [ "$st" -eq 0 ] && [ "${codes[1]}" -ne 0 ]; then
            say "defmt-print exited with ${codes[1]}"
            st=${codes[1]}
        fi
    else
        timeout "$qemu_timeout" "${runner[@]}" "$elf" </dev/null >"$out" 2>"$err" || st=$?
    fi
    if [ "$st" -eq 124 ]; then
        say "$bin: QEMU timed out after ${qemu_timeout}s"
    fi
    if [ -s "$err" ]; then
        sed 's/^/  stderr: /' "$err" >&2
    fi
    return "$st"
}

check_firmware() { # bin [what the build proves, for the messages]
    local bin=$1 elf st=0
    local proof=${2:+ ($2)}
    elf=$(elf_dir "$(bin_target "$bin")")/$bin
    if ! build_firmware "$bin"; then
        fail "$bin$proof: build"
        return
    fi
    [ -n "$proof" ] && pass "$bin$proof: links in release (LTO): no panic path is reachable"
    run_firmware "$bin" || st=$?
    local out=$tmp/$bin.out
    local got=$tmp/$bin.txt expected=$fw/expected/$bin.txt
    # `info:` lines (after defmt's level column, if any) vary with the compiler: not compared.
    grep -Ev '^([A-Z]+ +)?info: ' "$out" >"$got" || true
    check_golden_logs "$bin" "$got"
    local stack
    stack=$(sed -nE 's/^([A-Z]+ +)?info: stack high-water ([0-9]+) of ([0-9]+) bytes$/\2 B of \3 B/p' \
        "$out")
    say "$bin (board $(bin_board "$bin")): $(sizes "$elf"), stack high-water ${stack:-unknown}"
    if [ "$st" -ne 0 ]; then
        sed 's/^/  | /' "$out"
        fail "$bin: exit status $st (0 means every in-firmware check held)"
        return
    fi
    if [ "${FLEETCORE_BLESS:-0}" = 1 ]; then
        mkdir -p "$(dirname "$expected")"
        cp "$got" "$expected"
        pass "$bin: blessed $expected ($(wc -l <"$got") lines)"
        return
    fi
    if [ ! -f "$expected" ]; then
        fail "$bin: $expected is missing (FLEETCORE_BLESS=1 $0 qemu writes it)"
        return
    fi
    if diff -u --label "$expected" --label "$bin output" "$expected" "$got"; then
        pass "$bin: output matches $expected ($(wc -l <"$got") lines)"
    else
        fail "$bin: output differs from $expected (FLEETCORE_BLESS=1 $0 qemu rewrites it)"
    fi
}

# Compares each `golden <name>: ` log in a run's output with golden/<name>.txt, then leaves
# only the other lines in the output file for the comparison with expected/<bin>.txt.
check_golden_logs() { # bin, output file
    local bin=$1 got=$2 name file
    grep -q '^golden ' "$got" || return 0
    for name in $(sed -n 's/^golden \([a-z0-9_]*\): .*/\1/p' "$got" | sort -u); do
        golden_matched+=("$name")
        file=golden/$name.txt
        if [ ! -f "$file" ]; then
            fail "$bin: prints golden log '$name' but $file does not exist"
        elif sed -n "s/^golden $name: //p" "$got" | diff -u --label "$file" --label "$bin $name" "$file" -; then
            pass "$bin: golden log '$name' matches $file ($(wc -l <"$file") lines)"
        else
            fail "$bin: golden log '$name' differs from $file"
        fi
    done
    grep -v '^golden ' "$got" >"$got.rest" || true
    mv "$got.rest" "$got"
}

golden_matched=()
check_golden_all() {
    local file name
    for file in golden/*.txt; do
        name=$(basename "$file" .txt)
        case " ${golden_matched[*]} " in
            *" $name "*) ;;
            *) fail "no firmware printed golden log '$name' ($file)" ;;
        esac
    done
}

# golden_doc: built once, run once per document scenario with the document and the trace
# named on its command line (QEMU -append), each run's `golden <name>:` lines compared with
# golden/<name>.txt; prints the binary's size and each run's stack figures.
check_golden_docs() {
    local bin=golden_doc elf spec name doc st out
    elf=$(elf_dir "$(bin_target "$bin")")/$bin
    if ! build_firmware "$bin"; then
        fail "$bin: build"
        return
    fi
    load_runner "$(bin_board "$bin")"
    say "$bin (board $(bin_board "$bin")): $(sizes "$elf")"
    for spec in "${golden_docs[@]}"; do
        read -r name doc <<<"$spec"
        out=$tmp/$bin-$name.out
        st=0
        timeout "$qemu_timeout" "${runner[@]}" "$elf" \
            -append "$doc $traces/nyc_taxi.csv $golden_doc_rows $name" </dev/null >"$out" \
            2>"$tmp/$bin-$name.err" || st=$?
        grep -E '^info: ' "$out" | sed "s/^info: /$bin $name: /" || true
        if [ "$st" -ne 0 ]; then
            sed 's/^/  | /' "$out" "$tmp/$bin-$name.err" | grep -v '^  | golden ' || true
            fail "$bin $name: exit status $st (0 means the scenario ran)"
            continue
        fi
        grep -Ev '^info: ' "$out" >"$out.txt" || true
        check_golden_logs "$bin" "$out.txt"
    done
}

stage_qemu() {
    choose_route "$fw_target" "$golden_target"
    load_runner mps2
    need_tool defmt-print "\`cargo install defmt-print --locked\`"
    need_tool timeout "coreutils"
    need_tool diff "diffutils"
    find_size_tool
    local bin
    for bin in "${bins[@]}"; do
        check_firmware "$bin"
    done
    check_golden_docs
    check_golden_all
}

stage_panic_never() {
    choose_route "$fw_target" "$golden_target" "$m0_target"
    load_runner mps2
    need_tool defmt-print "\`cargo install defmt-print --locked\`"
    need_tool timeout "coreutils"
    need_tool diff "diffutils"
    find_size_tool
    extra_features=panic-never
    local bin
    for bin in "${panic_never_bins[@]}"; do
        # Built, then run and compared as in the qemu stage: the binary proven is the one tested.
        check_firmware "$bin" panic-never
    done
    check_m0 panic-never
    # The control: a binary with a reachable panic must fail to link, naming the symbol.
    local log=$tmp/panic_canary.build
    if (cd "$fw" && "${cargo_cmd[@]}" build --release --locked "${build_std[@]}" \
        --bin panic_canary --features panic-never) >"$log" 2>&1; then
        fail "panic_canary (panic-never): linked although it can panic: the check proves nothing"
    elif grep -q "undefined symbol: .*$panic_never_symbol" "$log"; then
        pass "panic_canary (panic-never): fails to link as it must (it can panic)"
    else
        sed 's/^/  | /' "$log"
        fail "panic_canary (panic-never): failed to build for another reason"
    fi
    extra_features=""
}

# group_m0: builds it for $m0_board, runs it, checks its exit status and its one summary line,
# and (in the m0 stage, not for the proof) the micro:bit budget.
check_m0() { # [what the build proves]
    local bin=group_m0 st=0 elf
    local proof=${1:+ ($1)}
    local name="$bin on $m0_board$proof"
    elf=$(elf_dir "$m0_target")/$bin
    if ! build_firmware "$bin"; then
        [ "$m0_board" = microbit ] && say "hint: FLEETCORE_M0_BOARD=lm3s6965 $0 m0 links it" \
            "for the Cortex-M3's 64K and runs it there"
        fail "$name: build"
        return
    fi
    [ -n "$proof" ] && pass "$name: links in release (LTO): no panic path is reachable"
    run_firmware "$bin" || st=$?
    local out=$tmp/$bin.out
    say "$bin: $(sizes "$elf") (arm-none-eabi-size)"
    local pattern="^$bin on $m0_board: flash ([0-9]+) B, static RAM ([0-9]+) B, stack high-water"
    pattern+=" ([0-9]+) B, checks passed ([0-9]+), failed ([0-9]+)$"
    local lines
    lines=$(grep -cE "$pattern" "$out" || true)
    if [ "$st" -ne 0 ] || [ "$lines" -ne 1 ]; then
        sed 's/^/  | /' "$out"
        fail "$name: exit status $st, $lines summary lines (0 and 1 mean every check held)"
        return
    fi
    local summary flash ram stack
    summary=$(grep -E "$pattern" "$out")
    grep -E '^info: ' "$out" | sed "s/^info: /$bin: /" || true
    printf '%s\n' "$summary"
    read -r flash ram stack < <(sed -nE "s/$pattern/\1 \2 \3/p" <<<"$summary")
    pass "$name: exit status 0, every check held"
    [ -n "$proof" ] && return
    local total=$((ram + stack))
    if [ "$total" -le "$m0_budget_ram" ] && [ "$flash" -le "$m0_budget_flash" ]; then
        pass "$name: within budget (static RAM + stack $total B <= $m0_budget_ram B," \
            "flash $flash B <= $m0_budget_flash B)"
    else
        fail "$name: over budget: static RAM + stack $total B (budget $m0_budget_ram B)," \
            "flash $flash B (budget $m0_budget_flash B)"
    fi
}

stage_m0() {
    choose_route "$m0_target"
    need_tool timeout "coreutils"
    find_size_tool
    board_target "$m0_board" >/dev/null
    check_m0
}

stage_show() {
    choose_route "$fw_target"
    load_runner mps2
    build_firmware lifecycle
    local st=0
    run_firmware lifecycle || st=$?
    cat "$tmp/lifecycle.out"
    return "$st"
}

start=$SECONDS
what=${1:-all}
case "$what" in
    thumb-builds)
        stage_thumb_builds
        label=thumb-builds
        ;;
    qemu)
        stage_qemu
        label=firmware
        ;;
    all)
        stage_thumb_builds
        stage_qemu
        stage_panic_never
        stage_m0
        label=firmware
        ;;
    panic-never)
        stage_panic_never
        label=panic-never
        ;;
    m0)
        stage_m0
        label=m0
        ;;
    show)
        stage_show
        exit
        ;;
    doc-build)
        choose_route "$fw_target"
        build_firmware golden_doc
        exit
        ;;
    doc-run)
        [ $# -eq 5 ] || die "usage: $0 doc-run DOCUMENT TRACE ROWS NAME"
        need_tool timeout "coreutils"
        load_runner mps2-4m
        elf=$(elf_dir "$(bin_target golden_doc)")/golden_doc
        [ -f "$elf" ] || die "$elf is not built (run \`$0 doc-build\` first)"
        exec timeout "$qemu_timeout" "${runner[@]}" "$elf" -append "$2 $3 $4 $5" </dev/null
        ;;
    *)
        echo "usage: $0 [thumb-builds|qemu|panic-never|m0|show|all|doc-build|doc-run ...]" >&2
        exit 2
        ;;
esac
say "done in $((SECONDS - start))s"
printf '%s: %d passed, %d failed\n' "$label" "$passed" "$failed"
[ "$failed" -eq 0 ]
