#!/usr/bin/env bash
# Synthesis benchmark: evaluate + validate + render for N = 1,000 and 10,000 synthetic deployments,
# each N in a fresh Release process. Results go in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release --nologo -v q >/dev/null
for n in "${@:-1000 10000}"; do
  for size in $n; do
    dotnet bin/Release/net10.0/ConfigAsCode.Benchmarks.dll synthesis "$size" 5 | tail -n 2
    # The same fleet with SLOs everywhere and canaries/ramps in production (more objects per deployment).
    dotnet bin/Release/net10.0/ConfigAsCode.Benchmarks.dll synthesis "$size" 5 --rollouts | tail -n 2
  done
done
