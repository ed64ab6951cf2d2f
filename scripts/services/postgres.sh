#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for tests, benchmarks and the local cluster.
#   scripts/services/postgres.sh start DATADIR PORT   # installs the Debian package if missing,
#                                                      # prints the database URL
#   scripts/services/postgres.sh stop DATADIR
#   scripts/services/postgres.sh restart DATADIR PORT
# Database "tracer", user "tracer", password "tracer" (loopback only, never for production).
set -euo pipefail
action=${1:?usage: $0 start|stop|restart DATADIR [PORT]}
datadir=$(realpath -m "${2:?DATADIR missing}")
port=${3:-55432}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && echo "$dir"
}

ensure_installed() {
  if [ -z "$(pg_bin)" ]; then
    [ "$(id -u)" = 0 ] || { echo "error: PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; }
    echo "Installing PostgreSQL (Debian package)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  ensure_installed
  local bin; bin=$(pg_bin)
  mkdir -p "$datadir"
  [ "$(id -u)" = 0 ] && chown postgres: "$datadir"
  chmod 700 "$datadir"
  if [ ! -f "$datadir/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$datadir" -A trust -U postgres --no-sync >/dev/null
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 start \
      -o "-p $port -k $datadir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >/dev/null
  fi
  local psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$(as_postgres "${psql[@]}" -c "select 1 from pg_roles where rolname='tracer'")" ]; then
    as_postgres "${psql[@]}" -c "create role tracer login password 'tracer' createdb" >/dev/null
  fi
  if [ -z "$(as_postgres "${psql[@]}" -c "select 1 from pg_database where datname='tracer'")" ]; then
    as_postgres "${psql[@]}" -c "create database tracer owner tracer" >/dev/null
  fi
  echo "postgresql://tracer:tracer@127.0.0.1:$port/tracer"
}

stop() {
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] && [ -f "$datadir/PG_VERSION" ] || return 0
  as_postgres "$bin/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
}

case "$action" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: $0 start|stop|restart DATADIR [PORT]" >&2; exit 2 ;;
esac
