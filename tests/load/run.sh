#!/usr/bin/env bash
# Load test of the real portal (Release build, Production environment, on loopback) with wrk:
#   bash tests/load/run.sh                       # SQLite, 20 s per scenario
#   bash tests/load/run.sh --db postgres         # PostgreSQL on a throwaway cluster (.ci/postgres.sh)
#   bash tests/load/run.sh --duration 60 --threads 2 --connections 64 --warmup 10 --no-build
# Scenarios: "api-match" (POST /api/match, 8 profiles rotated) and "matches-page" (GET /check?…,
# the quick check's result page, 6 profiles rotated). Prints one table row per scenario.
# wrk runs on the same machine and takes CPU from the portal: keep its threads few (1–2).
# Each scenario is warmed up for 30 s by default: with tiered compilation the runtime was still
# compiling about 200 methods/s to tier 1 after 20 s of load on 2 cores (dotnet-counters,
# dotnet.jit.compiled_methods), so a shorter warm-up measures the JIT as much as the portal.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/tests/load

db=sqlite duration=20 warmup=30 threads=2 connections=64 port=5090 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --db) db=$2; shift 2 ;;
    --duration) duration=${2%s}; shift 2 ;;
    --warmup) warmup=${2%s}; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$db" in sqlite|postgres) ;; *) echo "run.sh: --db sqlite or postgres" >&2; exit 2 ;; esac

if ! command -v wrk >/dev/null 2>&1; then
  echo "load: installing wrk"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

tmp=$(mktemp -d /tmp/policymatch-load.XXXXXX)
log=${TMPDIR:-/tmp}/policymatch-load-portal.log   # the portal's output, kept after the run
portal_pid="" pg_started=0
# A port of its own for the throwaway cluster, so a test run's cluster on the default port is
# neither reused nor stopped by this script.
export PG_PORT=${LOAD_PG_PORT:-55442}
export PG_STATE=/tmp/policymatch-load-pg-$PG_PORT   # not under $tmp: the postgres user must reach it
cleanup() {
  if [ -n "$portal_pid" ] && kill -0 "$portal_pid" 2>/dev/null; then
    kill "$portal_pid" 2>/dev/null || true
    wait "$portal_pid" 2>/dev/null || true
  fi
  [ "$pg_started" = 1 ] && bash "$root/.ci/postgres.sh" stop || true
  cp "$tmp/portal.log" "$log" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$build" = 1 ]; then
  echo "load: building the portal (Release)"
  dotnet build src/PolicyMatch.Web -c Release -nologo -v q >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
fi
dll=$root/src/PolicyMatch.Web/bin/Release/net10.0/PolicyMatch.Web.dll
[ -f "$dll" ] || { echo "load: $dll is missing (run without --no-build)" >&2; exit 1; }

export ASPNETCORE_ENVIRONMENT=Production
export Mail__PickupDirectory=$tmp/mail
export Logging__LogLevel__Default=Warning
if [ "$db" = postgres ]; then
  pg_started=1
  pg_env=$(bash .ci/postgres.sh start) || { echo "load: could not start PostgreSQL" >&2; exit 1; }
  eval "$pg_env"
  dbname=policymatch_load_$$
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $dbname" >/dev/null
  export Database__Provider=PostgreSql
  export ConnectionStrings__PolicyMatch="${POLICYMATCH_TEST_POSTGRES/Database=postgres/Database=$dbname}"
else
  export ConnectionStrings__PolicyMatch="Data Source=$tmp/pm.db"
fi

echo "load: starting the portal on http://127.0.0.1:$port ($db)"
dotnet "$dll" --urls "http://127.0.0.1:$port" >"$tmp/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/api/plans" 2>/dev/null; then break; fi
  kill -0 "$portal_pid" 2>/dev/null || { echo "load: the portal exited" >&2; cat "$tmp/portal.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/plans" || { echo "load: the portal does not answer" >&2; cat "$tmp/portal.log" >&2; exit 1; }

export LOAD_DIR=$here
declare -a rows
run() { # scenario seconds → the LOADRESULT line
  wrk -t"$threads" -c"$connections" -d"${2}s" --timeout 5s --latency -s "$here/$1.lua" "http://127.0.0.1:$port" \
    >"$tmp/$1.out" 2>&1 || { cat "$tmp/$1.out" >&2; exit 1; }
  grep '^LOADRESULT' "$tmp/$1.out"
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

echo "load: load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this machine skew the figures)"
echo "load: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $threads thread(s), $connections connections, ${duration}s per scenario after ${warmup}s warm-up; $(nproc) cores"
for scenario in api-match matches-page; do
  w=$(run "$scenario" "$warmup")
  [ "$(field non2xx "$w")" = 0 ] || echo "load: warning: $(field non2xx "$w") non-2xx answers during the $scenario warm-up" >&2
  r=$(run "$scenario" "$duration")
  rows+=("$(printf '%-14s %-9s %10s %9s %9s %8s' "$scenario" "$db" "$(field rps "$r")" "$(field p50_ms "$r")" "$(field p99_ms "$r")" \
    "$(( $(field non2xx "$r") + $(field socket_errors "$r") ))")")
done

printf '\n%-14s %-9s %10s %9s %9s %8s\n' scenario database requests/s "p50 ms" "p99 ms" errors
printf '%s\n' "${rows[@]}"
echo "(errors: non-2xx answers plus socket errors and timeouts; wrk -t$threads -c$connections, ${duration}s; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
if grep -qiE '\b(fail|crit)' "$tmp/portal.log"; then
  echo "load: the portal logged $(grep -ciE '\b(fail|crit)' "$tmp/portal.log") failures; see $log" >&2
fi
