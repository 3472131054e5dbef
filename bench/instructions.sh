#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: a measure this noisy, shared machine
# cannot blur (requests/s moved by ±15 % between identical runs). Serves PATH from PROJECT with the
# release `strata` and with the ceiling on the same SQLite file, counts the user-space instructions
# both execute while wrk sends requests for SECONDS (start-up and a warm-up excluded), and prints
# instructions per request and their ratio.
#
#   bench/instructions.sh PROJECT PATH [SECONDS]
#   bench/instructions.sh /tmp/bench/project-100000 /api/articles/<documentId> 10
#
# Under callgrind the threads run one at a time, so this counts work, not waiting or scheduling:
# compare it with the requests/s of bench/run.sh, not instead of them. Build first with
# `scripts/release.sh strata strata-ceiling`; writes its callgrind files to $OUT (a temporary
# directory by default) for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
project=${1:?usage: bench/instructions.sh PROJECT PATH [SECONDS]}
path=${2:?usage: bench/instructions.sh PROJECT PATH [SECONDS]}
seconds=${3:-10}
scripts/require.sh valgrind=valgrind callgrind_control=valgrind wrk=wrk curl=curl strip=binutils
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
# valgrind 3.19 cannot read the DWARF 5 debug information Swift writes; symbols are enough.
for binary in strata strata-ceiling; do
  strip --strip-debug -o "$out/$binary" ".build/release/$binary"
done

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# measure NAME PORT COMMAND...: prints the instructions per request of the server COMMAND starts.
measure() {
  local name=$1 port=$2
  shift 2
  # callgrind_control finds the process through files named after HOST and USER.
  export HOST=127.0.0.1 USER=${USER:-root} LOGNAME=${LOGNAME:-root}
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/$name.out" "$@" > "$out/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/_health" > /dev/null && break
    kill -0 "$pid" 2> /dev/null || { echo "$name exited; see $out/$name.log" >&2; exit 1; }
    sleep 0.2
  done
  wrk -t1 -c4 -d3s "http://127.0.0.1:$port$path" > /dev/null
  callgrind_control -i on "$pid" > /dev/null 2>&1
  local result
  result=$(wrk -t1 -c4 -d"${seconds}s" "http://127.0.0.1:$port$path")
  callgrind_control -i off "$pid" > /dev/null 2>&1
  callgrind_control -d "$pid" > /dev/null 2>&1
  kill "$pid"
  wait "$pid" 2> /dev/null || true
  local requests instructions dump
  requests=$(echo "$result" | awk '/requests in/ {print $1}')
  dump=$(ls -S "$out/$name.out"* | head -1)
  instructions=$(callgrind_annotate "$dump" 2> /dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
  echo "$name $requests $instructions $dump"
}

port=$(free_port)
export PORT=$port LOG_LEVEL=warning
strata=$(measure strata "$port" "$out/strata" start --project "$project")
port=$(free_port)
ceiling=$(measure ceiling "$port" "$out/strata-ceiling" --database "$project/.tmp/data.db" --port "$port")
python3 - "$strata" "$ceiling" "$path" <<'PY'
import sys
rows = [line.split() for line in sys.argv[1:3]]
per = {name: int(instructions) / int(requests) for name, requests, instructions, _ in rows}
print(f"GET {sys.argv[3]}")
for name, requests, instructions, dump in rows:
    print(f"  {name:8s} {per[name]:9.0f} instructions/request over {requests} requests ({dump})")
print(f"  strata / ceiling: {per['strata'] / per['ceiling']:.2f}")
PY
