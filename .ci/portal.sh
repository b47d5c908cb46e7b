#!/usr/bin/env bash
# Runs the portal on http://localhost:5080 with the embedded SQLite database (data/policymatch.db)
# and the embedded email folder (data/mail). On first start it creates the database, applies the
# migrations, loads the catalog from seeds/ and starts the job scheduler.
# Override with the environment: ConnectionStrings__PolicyMatch, Mail__PickupDirectory, Mail__Smtp__Host, …
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export ConnectionStrings__PolicyMatch="${ConnectionStrings__PolicyMatch:-Data Source=$root/data/policymatch.db}"
export Mail__PickupDirectory="${Mail__PickupDirectory:-$root/data/mail}"
exec dotnet run --project src/PolicyMatch.Web -c Release --no-launch-profile --urls "${URLS:-http://localhost:5080}"
