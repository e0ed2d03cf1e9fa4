#!/usr/bin/env bash
# Installs what `make test` and `make demo` need on a fresh Debian machine with rustup, and says
# what it does. Safe to run again: each step checks first and skips what is already there.
#
#   scripts/setup.sh            everything `make test` needs
#   scripts/setup.sh demo       only what `make demo` needs (Python's venv; the thumb target and
#                               QEMU for the replay of build/chosen.json on the Cortex-M4)
#   scripts/setup.sh firmware   only what `make demo-firmware` needs (thumb target, QEMU)
#   scripts/setup.sh bench      what `make bench` needs (Python's venv, thumb target, QEMU,
#                               binutils; scripts/bench.sh pip-installs moto and boto3)
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
say() { printf '[setup] %s\n' "$*"; }

apt_updated=0
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "apt packages present: $*"
        return
    fi
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ $apt_updated -eq 0 ]; then
        say "apt-get update"
        $sudo apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

cargo_install() { # crate binary
    if command -v "$2" >/dev/null 2>&1; then
        say "$2 present ($("$2" --version 2>/dev/null | head -n1))"
    else
        say "cargo install $1 --locked (one to two minutes, once)"
        cargo install "$1" --locked --quiet
    fi
}

thumb_targets() {
    local targets=(thumbv7em-none-eabihf thumbv7m-none-eabi thumbv6m-none-eabi)
    local installed
    installed=$(rustup target list --installed 2>/dev/null || true)
    local need=()
    for t in "${targets[@]}"; do
        grep -qx "$t" <<<"$installed" || need+=("$t")
    done
    if [ ${#need[@]} -eq 0 ]; then
        say "rustup targets present: ${targets[*]}"
        return
    fi
    say "rustup target add ${need[*]} (route A of TOOLCHAIN.md)"
    if timeout 300 rustup target add "${need[@]}"; then
        return
    fi
    # Route B: Debian's compiler with its library source, building `core` with -Zbuild-std.
    say "rustup target add failed: falling back to route B (Debian rustc-web + build-std)"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
}

rust_components() {
    local have
    have=$(rustup component list --installed 2>/dev/null || true)
    for c in rustfmt clippy; do
        if ! grep -q "^$c" <<<"$have"; then
            say "rustup component add $c"
            rustup component add "$c"
        fi
    done
}

# The Python module's venv (scripts/python-env.sh then installs maturin and the rest by pip).
python_venv() {
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        apt_install python3-venv
    fi
}

case "$what" in
    demo)
        python_venv
        thumb_targets
        apt_install qemu-system-arm
        ;;
    firmware)
        thumb_targets
        apt_install qemu-system-arm binutils-arm-none-eabi gcc-arm-none-eabi libnewlib-arm-none-eabi
        ;;
    bench)
        python_venv
        thumb_targets
        apt_install qemu-system-arm binutils-arm-none-eabi
        ;;
    all)
        rust_components
        python_venv
        thumb_targets
        apt_install qemu-system-arm binutils-arm-none-eabi gcc-arm-none-eabi libnewlib-arm-none-eabi \
            gcc libc6-dev valgrind
        cargo_install defmt-print defmt-print
        cargo_install cargo-fuzz cargo-fuzz
        ;;
    *)
        echo "usage: $0 [all|demo|firmware|bench]" >&2
        exit 2
        ;;
esac
say "done"
