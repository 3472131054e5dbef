#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests and benchmarks.
#   scripts/postgres.sh start   # initdb + start (installs PostgreSQL from Debian if missing); prints the URL
#   scripts/postgres.sh stop    # stops the cluster and deletes its data
# The port is $STRATA_PG_PORT (55432 by default, clear of a system cluster on 5432). Trust
# authentication on loopback only; fsync is off, as the data is thrown away.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${STRATA_PG_PORT:-55432}
state=.tmp/postgres-$port.dir

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

# Runs a server binary as the `postgres` user when we are root (initdb refuses root).
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
      scripts/require.sh /usr/lib/postgresql=postgresql >&2
      bin=$(find_bin)
    fi
    mkdir -p .tmp
    if [ -f "$state" ] && [ -d "$(cat "$state")" ]; then
      as_owner "$bin/pg_ctl" -D "$(cat "$state")" -m immediate -w stop >/dev/null 2>&1 || true
      rm -rf "$(cat "$state")"
    fi
    data=$(mktemp -d /tmp/strata-pgdata.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000" \
      start >/dev/null || { cat "$data/server.log" >&2; exit 1; }
    echo "$data" > "$state"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    data=$(cat "$state")
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$data" "$state"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop" >&2
    exit 2
    ;;
esac
