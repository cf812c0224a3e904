#!/usr/bin/env bash
# A private PostgreSQL 15 server for the ingest tests, never the machine's
# own cluster: its data folder and socket in $PULSE_PG_DIR (default
# /tmp/pulse-pg), port $PULSE_PG_PORT (default 55432), no TCP listener.
#   scripts/pg.sh start   # prints the connection string
#   scripts/pg.sh stop    # stops it and removes the folder
set -euo pipefail
dir=${PULSE_PG_DIR:-/tmp/pulse-pg}
port=${PULSE_PG_PORT:-55432}
bin=/usr/lib/postgresql/15/bin
# initdb refuses to run as root: the server runs as the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    if [ ! -x "$bin/initdb" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -w stop -m fast >&2 || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log"
    as_pg "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses='' -c fsync=off" \
      -l "$dir/log" -w start >&2
    echo "host=$dir port=$port user=postgres dbname=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -w stop -m fast >&2
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/pg.sh start|stop" >&2
    exit 2
    ;;
esac
