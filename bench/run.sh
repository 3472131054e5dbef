#!/usr/bin/env bash
# Builds a release `strata`, generates the bench data sets, measures export/import and the Content
# API under load, and writes bench/RESULTS.md and bench/results.json.
#   bench/run.sh                       # 1k, 10k and 100k documents, 10 s per HTTP scenario
#   SIZES=1000,10000 DURATION=5 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Please install: ${need[*]}" >&2
    exit 1
  fi
fi

swift build -c release --product strata
exec python3 bench/bench.py --binary .build/release/strata --sizes "${SIZES:-1000,10000,100000}" --duration "${DURATION:-10}" "$@"
