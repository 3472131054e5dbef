#!/usr/bin/env bash
# Runs Strata's whole test suite on a fresh machine: checks the toolchain, builds (warnings are
# errors in every Strata target), refuses disabled tests, and runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not installed; Strata needs Swift 6.2 or later (https://www.swift.org/install)." >&2
  exit 1
fi

# Tools the tests drive as a user would: tar and gzip read our archives, openssl and Python's
# scrypt decrypt them (proof that the encrypted format is the documented one, not a private one).
scripts/require.sh tar=tar gzip=gzip openssl=openssl python3=python3 /usr/include/zlib.h=zlib1g-dev

# Disabled or focused tests must not slip in unnoticed.
if grep -rnE '\.disabled\(|@Test\(.*\.disabled' Tests >/dev/null 2>&1; then
  echo "Disabled tests found:" >&2
  grep -rnE '\.disabled\(' Tests >&2
  exit 1
fi

swift build --build-tests
swift test --skip-build --parallel "$@"
