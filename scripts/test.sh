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
missing=()
for tool in tar gzip openssl python3 zlib; do
  case "$tool" in
    zlib) [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev) ;;
    python3) command -v python3 >/dev/null 2>&1 || missing+=(python3) ;;
    *) command -v "$tool" >/dev/null 2>&1 || missing+=("$tool") ;;
  esac
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Please install: ${missing[*]}" >&2
    exit 1
  fi
fi

# Disabled or focused tests must not slip in unnoticed.
if grep -rnE '\.disabled\(|@Test\(.*\.disabled' Tests >/dev/null 2>&1; then
  echo "Disabled tests found:" >&2
  grep -rnE '\.disabled\(' Tests >&2
  exit 1
fi

swift build --build-tests
swift test --skip-build --parallel "$@"
