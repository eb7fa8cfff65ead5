#!/usr/bin/env bash
# No-op incremental build of the sample with the gate, against the same build with the gate turned off
# (ConfigAsCodeEnabled=false), and the full-build overhead of the gate. Results go in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-7}
project=samples/InferencePlatform
dotnet build-server shutdown >/dev/null 2>&1 || true
time_build() { # prints milliseconds of one build with the given extra arguments
  local start end
  start=$(date +%s%N)
  dotnet build "$project" --no-restore -nodeReuse:false "$@" >/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

dotnet build "$project" >/dev/null                      # warm: everything built, snapshots clean
with=$(for _ in $(seq "$runs"); do time_build; done | median)
dotnet build "$project" -p:ConfigAsCodeEnabled=false >/dev/null
without=$(for _ in $(seq "$runs"); do time_build -p:ConfigAsCodeEnabled=false; done | median)
echo "no-op build, median of $runs: with gate ${with} ms, without ${without} ms, ratio $(awk "BEGIN {printf \"%.2f\", $with / $without}")"

# Full-build overhead: the gate's own target after a change to the config assembly (touch forces a recompile).
full_with=$(for _ in $(seq "$runs"); do touch $project/Deployments.cs; time_build; done | median)
full_without=$(for _ in $(seq "$runs"); do touch $project/Deployments.cs; time_build -p:ConfigAsCodeEnabled=false; done | median)
echo "rebuild after a source change, median of $runs: with gate ${full_with} ms, without ${full_without} ms, overhead $(( full_with - full_without )) ms"
