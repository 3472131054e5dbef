#!/usr/bin/env bash
# Runs Strata's whole test suite on a fresh machine: checks the toolchain, builds (warnings are
# errors in every Strata target), refuses disabled tests, and runs every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# How long each step took, printed last (also when a step fails or the run is killed), so the
# tail of a CI log says where the time went.
timings=()
step_started=$SECONDS
step() { timings+=("$1 $((SECONDS - step_started)) s"); step_started=$SECONDS; }
cleanup() {
  [ -n "${postgres_started:-}" ] && scripts/postgres.sh stop
  [ -n "${test_tmp:-}" ] && rm -rf "$test_tmp"
  [ ${#timings[@]} -gt 0 ] && echo "scripts/test.sh: ${timings[*]}; total ${SECONDS} s"
  return 0
}
trap cleanup EXIT
# A pass that hangs fails after this long instead of eating the CI budget.
pass_limit=${STRATA_TEST_PASS_LIMIT:-1500}

# Swift and the C libraries Strata links (zlib, libvips).
scripts/setup.sh

# Tools the tests drive as a user would: tar and gzip read our archives, openssl and Python's
# scrypt decrypt them (proof that the encrypted format is the documented one, not a private one).
scripts/require.sh tar=tar gzip=gzip openssl=openssl python3=python3 pip3=python3-pip

# The S3 provider is tested against a real S3 API on 127.0.0.1: moto's server mode.
if ! python3 -c 'import moto.server, flask, flask_cors' >/dev/null 2>&1; then
  python3 -m pip install --quiet 'moto[server]' || python3 -m pip install --quiet --break-system-packages 'moto[server]'
fi

# Disabled or focused tests must not slip in unnoticed.
if grep -rnE '\.disabled\(|@Test\(.*\.disabled' Tests >/dev/null 2>&1; then
  echo "Disabled tests found:" >&2
  grep -rnE '\.disabled\(' Tests >&2
  exit 1
fi

step setup
swift build --build-tests
step build

# Projects, archives and uploads the tests write go to one folder per run, removed at the end.
test_tmp=$(mktemp -d "${TMPDIR:-/tmp}/strata-tests.XXXXXX")
export TMPDIR=$test_tmp

# Runs one pass, its output also kept in .build/test-logs/<pass>.log. When it fails, the lines
# that say why (failed expectations, watchdog reports, fatal errors) are repeated at the end,
# where a CI log's tail shows them, instead of above a crash's backtrace.
run_pass() {
  local name=$1
  shift
  mkdir -p .build/test-logs
  local log=.build/test-logs/$name.log
  if ! "$@" 2>&1 | tee "$log"; then
    echo "scripts/test.sh: the $name pass failed (full output: $log). What it reported:"
    grep -aE '✘|TestStrata watchdog|Fatal error|error:' "$log" | cut -c1-400 | tail -n 60
    return 1
  fi
}

# First pass: every test on SQLite (in memory, one database per test).
run_pass sqlite env -u STRATA_TEST_POSTGRES_URL timeout --foreground -k 10 "$pass_limit" swift test --skip-build --parallel "$@"
step sqlite

# Second pass: the same suite on a real PostgreSQL server, a schema per test, plus the tests that
# need Postgres (two instances on one database, connection errors). A throwaway cluster on
# 127.0.0.1 is started (PostgreSQL is installed from Debian if missing) unless
# STRATA_TEST_POSTGRES_URL names a server; STRATA_TEST_POSTGRES=0 skips this pass.
if [ "${STRATA_TEST_POSTGRES:-1}" != 0 ]; then
  if [ -z "${STRATA_TEST_POSTGRES_URL:-}" ]; then
    STRATA_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
    postgres_started=1
  fi
  run_pass postgres env STRATA_TEST_POSTGRES_URL="$STRATA_TEST_POSTGRES_URL" timeout --foreground -k 10 "$pass_limit" swift test --skip-build --parallel "$@"
  step postgres
fi
