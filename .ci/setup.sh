#!/usr/bin/env bash
# Installs what the tests need, only where it is missing, so a second run is quick:
#   Debian: chromium (browser tests), fonts-noto-cjk (Chinese in the browser),
#           postgresql (the suites run on PostgreSQL 15 too; .ci/postgres.sh starts a throwaway cluster)
#   npm:    maildev 2.2.1 (a real SMTP server on loopback for the mail tests), into .tools/
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .tools/maildev/node_modules/.bin/maildev ]; then
  echo "setup: installing maildev 2.2.1"
  mkdir -p .tools/maildev
  npm install --prefix .tools/maildev --no-audit --no-fund --loglevel=error maildev@2.2.1 >/dev/null
fi
