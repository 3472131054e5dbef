#!/usr/bin/env bash
# Installs what building Strata needs beyond Swift: Debian's development packages for the C
# libraries it links (zlib for gzip archives, libvips for responsive image formats).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not installed; Strata needs Swift 6.2 or later (https://www.swift.org/install)." >&2
  exit 1
fi
scripts/require.sh /usr/include/zlib.h=zlib1g-dev /usr/include/vips/vips.h=libvips-dev
