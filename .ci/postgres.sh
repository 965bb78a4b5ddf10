#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on loopback and print its URL.
# Usage: .ci/postgres.sh start|stop   (installs Debian's postgresql when missing)
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA="${PGDATA:-/tmp/innovatieregister-pg}"
DBNAME="${PGDATABASE:-innovatieregister_test}"

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

case "${1:-start}" in
start)
  if [ -z "$(bin_dir)" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  BIN="$(bin_dir)"
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
    as_pg "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off" start >/dev/null
  fi
  as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1 ||
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DBNAME"
  echo "postgresql://postgres@127.0.0.1:$PGPORT/$DBNAME"
  ;;
stop)
  BIN="$(bin_dir)"
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" stop -m fast || true
  else "$BIN/pg_ctl" -D "$PGDATA" stop -m fast || true; fi
  ;;
esac
