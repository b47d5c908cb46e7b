#!/usr/bin/env bash
# Side-by-side: the same 1,000 rules x 2,000 profiles through json-logic-js 2.0.5, json-logic-engine 5.0.7
# (compiled) and PolicyMatch.Rules, single thread; checks all three agree and prints evaluations/s and ratios.
# Usage (from anywhere): tests/PolicyMatch.Benchmarks/sidebyside/run.sh      (ROUNDS=n to change the rounds)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
cd "$here"

# Install the pinned JavaScript engines only if missing (package-lock.json pins them).
if [ ! -d node_modules/json-logic-js ] || [ ! -d node_modules/json-logic-engine ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Release build of the benchmark project (it hosts the workload generator and the C# runner).
dotnet build "$project/PolicyMatch.Benchmarks.csproj" -c Release --nologo -v quiet -clp:NoSummary >/dev/null
dll="$project/bin/Release/net10.0/PolicyMatch.Benchmarks.dll"

# The workload is generated deterministically (fixed seeds) by the same code the benchmarks use.
workload="${WORKLOAD:-$here/workload.json}"
dotnet "$dll" generate "$workload"

node run.js "$workload" "dotnet \"$dll\" sidebyside \"$workload\""
