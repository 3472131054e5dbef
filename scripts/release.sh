#!/usr/bin/env bash
# Builds the release binaries a server runs: `.build/release/strata` (and any other product named,
# e.g. `scripts/release.sh strata strata-ceiling`), with the Swift runtime and Foundation linked in,
# so the binary runs on a Linux machine without a Swift toolchain (it needs glibc, libstdc++ and
# zlib; libvips only for image formats, loaded when needed).
#
# Linked with lld: position-independent (ASLR kept) with packed relative relocations, without
# exporting every Swift symbol to the dynamic linker, and with functions in the order of
# scripts/release.order (the request path, then start-up; `scripts/release-order.py` regenerates
# it), so the code a server runs sits together instead of across 35 MB. Against a default
# `swift build -c release`: idle RSS 44 -> 26 MB, requests as fast or faster (bench/FINDINGS.md).
# STRATA_RELEASE_ORDER names another order file.
set -euo pipefail
cd "$(dirname "$0")/.."

flags=(-c release --static-swift-stdlib)
# lld ships with Swift toolchains for Linux; without it, fall back to the default linker.
if command -v ld.lld >/dev/null 2>&1 || [ -x "$(dirname "$(command -v swift)")/ld.lld" ]; then
  order=${STRATA_RELEASE_ORDER:-scripts/release.order}
  # SwiftPM relinks when flags change, not when a file they name does: name the copy after its content.
  mkdir -p .build
  kept=".build/release-order-$(sha256sum "$order" | cut -c1-16).txt"
  [ -f "$kept" ] || cp "$order" "$kept"
  flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic
          -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
          -Xlinker "--symbol-ordering-file=$PWD/$kept" -Xlinker --no-warn-symbol-ordering)
else
  echo "scripts/release.sh: ld.lld not found; linking with the default linker" >&2
fi

# Strata's own modules are always compiled afresh (about two minutes; the dependencies stay cached):
# incremental release builds here have kept a module compiled against an older layout of another,
# and the binary then corrupted its heap at random (`corrupted size vs. prev_size`, 1 start in 50).
# STRATA_RELEASE_RELINK=1 skips that when nothing but the link changes (the rounds of
# scripts/release-order.py, which only reorder functions).
[ -n "${STRATA_RELEASE_RELINK:-}" ] || find Sources bench -name '*.swift' -exec touch {} +

products=("$@")
[ ${#products[@]} -eq 0 ] && products=(strata)
for product in "${products[@]}"; do
  swift build "${flags[@]}" --product "$product"
done
