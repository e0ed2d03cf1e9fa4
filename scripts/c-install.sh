#!/usr/bin/env bash
# Installs the fleetcore C library into a prefix, for C programs that find it with pkg-config:
#   <prefix>/lib/libfleetcore_ffi.a          the host staticlib (release)
#   <prefix>/include/fleetcore.h             the generated header
#   <prefix>/lib/pkgconfig/fleetcore.pc      from ffi/fleetcore.pc.in
# Usage: scripts/c-install.sh [prefix]   (default: build/prefix)
# Then: PKG_CONFIG_PATH=<prefix>/lib/pkgconfig make -C ffi/examples/trace_group
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
prefix="${1:-$root/build/prefix}"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"

die() { printf 'c-install.sh: %s\n' "$*" >&2; exit 1; }
command -v cargo >/dev/null 2>&1 || die "cargo is required"

target_dir="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-$root/target}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# `--print native-static-libs` names the system libraries a static link needs; cargo replays it
# from its cache when nothing changed.
if ! cargo rustc -p fleetcore-ffi --release --lib -- --print native-static-libs 2>"$log"; then
    cat "$log" >&2
    die "cargo build of fleetcore-ffi failed"
fi
libs_private="$(sed -n 's/.*native-static-libs: //p' "$log" | tail -n 1)"
libs_private="${libs_private:--lpthread -ldl -lm}"
version="$(cargo metadata --format-version 1 --no-deps \
    | sed -n 's/.*"name":"fleetcore-ffi","version":"\([^"]*\)".*/\1/p')"
[[ -n "$version" ]] || die "could not read the version of fleetcore-ffi"

install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 644 "$target_dir/release/libfleetcore_ffi.a" "$prefix/lib/libfleetcore_ffi.a"
install -m 644 ffi/include/fleetcore.h "$prefix/include/fleetcore.h"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" -e "s|@LIBS_PRIVATE@|$libs_private|" \
    ffi/fleetcore.pc.in >"$prefix/lib/pkgconfig/fleetcore.pc"
printf 'installed fleetcore %s into %s\n' "$version" "$prefix"
printf '  PKG_CONFIG_PATH=%s/lib/pkgconfig pkg-config --cflags --libs --static fleetcore\n' "$prefix"
