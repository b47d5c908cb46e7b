#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests, from Debian's postgresql package:
#   eval "$(bash .ci/postgres.sh start)"   # prints the export of POLICYMATCH_TEST_POSTGRES
#   bash .ci/postgres.sh stop
# The cluster lives in a temporary folder, listens on 127.0.0.1 only (port PG_PORT, default 55432),
# trusts local connections (nothing else can reach it) and is deleted by "stop".
set -euo pipefail
cmd=${1:?start or stop}
port=${PG_PORT:-55432}
state=${PG_STATE:-/tmp/policymatch-pg-$port}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (run .ci/setup.sh)" >&2; exit 1; }

# initdb refuses to run as root: as root, the cluster belongs to Debian's postgres user.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    if [ -f "$state/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
      echo "export POLICYMATCH_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
      exit 0
    fi
    rm -rf "$state"; mkdir -p "$state"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$state"
    as_owner "$bin/initdb" -D "$state/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 \
      || { cat "$state/initdb.log" >&2; exit 1; }
    # Sized for tests: fsync off (the cluster is thrown away), room for two portal nodes' pools.
    as_owner "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$state -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" >/dev/null \
      || { cat "$state/server.log" >&2; exit 1; }
    echo "export POLICYMATCH_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
    ;;
  stop)
    if [ -d "$state/data" ]; then
      as_owner "$bin/pg_ctl" -D "$state/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$state"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
