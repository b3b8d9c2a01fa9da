#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on a free local port (used by .ci/run and benchmarks).
#   scripts/pg-throwaway.sh start [DIR]   → prints the DATABASE_URL on the last line
#   scripts/pg-throwaway.sh stop [DIR]
# initdb and pg_ctl refuse to run as root, so as root they run as the postgres user.
set -euo pipefail
action="${1:-start}"
dir="${2:-/tmp/nextleipzig-pg}"

pg_bin() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local found; found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$found"
}
BIN=$(pg_bin)

as_owner() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "$action" in
  start)
    if [ -f "$dir/port" ] && as_owner "'$BIN/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
      port=$(cat "$dir/port")
    else
      rm -rf "$dir"; mkdir -p "$dir"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$dir"
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
      as_owner "'$BIN/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
      as_owner "'$BIN/pg_ctl' -D '$dir/data' -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" -w start >/dev/null"
      echo "$port" > "$dir/port"
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "'$BIN/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
