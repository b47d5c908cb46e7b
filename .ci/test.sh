#!/usr/bin/env bash
# Runs every test: installs what is missing (.ci/setup.sh), starts maildev and a throwaway PostgreSQL
# cluster on loopback, builds once, runs the test projects — the web suite twice, on SQLite and on
# PostgreSQL — and stops both servers. Prints one closing line: "Tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash .ci/setup.sh || { echo "setup failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MAILDEV_SMTP_PORT=${MAILDEV_SMTP_PORT:-1025} MAILDEV_WEB_PORT=${MAILDEV_WEB_PORT:-1080}

# maildev: a real SMTP server for the mail tests, on loopback only.
maildev_log=$(mktemp)
.tools/maildev/node_modules/.bin/maildev --smtp "$MAILDEV_SMTP_PORT" --web "$MAILDEV_WEB_PORT" \
  --ip 127.0.0.1 --web-ip 127.0.0.1 >"$maildev_log" 2>&1 &
maildev_pid=$!
trap 'kill $maildev_pid 2>/dev/null; wait $maildev_pid 2>/dev/null; rm -f "$maildev_log"; bash .ci/postgres.sh stop' EXIT
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$MAILDEV_WEB_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# PostgreSQL 15 from Debian, a fresh cluster on 127.0.0.1 (its data folder is deleted at the end).
pg_env=$(bash .ci/postgres.sh start) || { echo "Tests: 0 passed, 1 failed (PostgreSQL did not start)"; exit 1; }
eval "$pg_env"

dotnet build PolicyMatch.sln -c Release --nologo -v quiet || { echo "Tests: 0 passed, 1 failed (build)"; exit 1; }

passed=0; failed=0; status=0
# "project" or "project@postgres": the second runs the same suite with POLICYMATCH_TEST_DATABASE=postgres.
for run in tests/PolicyMatch.Rules.Tests tests/PolicyMatch.Components.Tests tests/PolicyMatch.Web.Tests tests/PolicyMatch.Web.Tests@postgres tests/PolicyMatch.Browser.Tests; do
  project=${run%@*}; database=sqlite
  [ "$run" != "$project" ] && database=${run#*@}
  echo "== $project on $database"
  log=$(mktemp)
  POLICYMATCH_TEST_DATABASE=$database dotnet test "$project" -c Release --no-build --nologo 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -ne 0 ] && status=1
  # "Passed!  - Failed:     0, Passed:   277, Skipped:     0, Total:   277, …"
  p=$(grep -oE 'Passed: +[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  f=$(grep -oE 'Failed: +[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  if [ -z "$p" ] || [ "$p" = 0 ]; then status=1; fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  rm -f "$log"
done

echo "Tests: $passed passed, $failed failed"
exit $status
