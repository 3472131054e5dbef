#!/usr/bin/env bash
# Builds a release `strata`, generates the bench data sets, measures export/import and the Content
# API under load, and writes bench/RESULTS.md and bench/results.json.
#   bench/run.sh                       # 1k, 10k and 100k documents, 10 s per HTTP scenario
#   SIZES=1000,10000 DURATION=5 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/require.sh wrk=wrk /usr/bin/time=time python3=python3

swift build -c release --product strata
exec python3 bench/bench.py --binary .build/release/strata --sizes "${SIZES:-1000,10000,100000}" --duration "${DURATION:-10}" "$@"
