#!/usr/bin/env bash
# The gate as users wait for it (issue #20): the host command as the MSBuild task runs it, one cold process per run,
# on the synthetic fleet packed into a real config project, with a fresh output folder (CI) and a populated one; and a
# whole `dotnet build` (fresh obj/, no-op, a one-line edit that changes no value, and one built with the gate in full) with the gate on and off; and the cdk8s peer (cdk8s/synth.js,
# the same fleet as cdk8s-plus constructs, one file per chart) into a fresh and a populated folder. Medians of RUNS runs
# (default 5; CDK8S_RUNS, default 3, for the peer), peak RSS.
# Usage: gate.sh [N ...]   (default: 1000 10000). HOST_ONLY=1 skips the builds, CDK8S=0 the peer; LAYOUT=app
# measures the per-app layout (ConfigAsCodeLayout=app, one manifests.yaml per app) in its own fleet-N-app project;
# the peer runs only up to CDK8S_MAX deployments (default 2000: cdk8s takes minutes beyond).
# Results go in docs/performance.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-5}
layout=${LAYOUT:-object}
[ $# -gt 0 ] || set -- 1000 10000
sizes=("$@")
work=${WORK:-$(mktemp -d)}
export NUGET_PACKAGES="$work/packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
unset CI GITHUB_ACTIONS TF_BUILD GITLAB_CI
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

dotnet pack "$repo/msbuild/ConfigAsCode.Build/ConfigAsCode.Build.csproj" -c Release -o "$work/feed" -p:Version=0.1.0-bench -v q -nologo >/dev/null
# A reused WORK folder keeps the extracted package of an earlier run under the same version: drop it, so the
# projects below restore the package just packed.
rm -rf "$NUGET_PACKAGES/configascode"
host="$NUGET_PACKAGES/configascode/0.1.0-bench/tools/host/ConfigAsCode.Host.dll"

project() { # $1 size, $2 optional suffix of the folder: a config project whose platform is the synthetic fleet of that size
  local dir="$work/fleet-$1"
  [ "$layout" = object ] || dir="$dir-$layout"
  dir="$dir${2:-}"
  mkdir -p "$dir"
  cat > "$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="bench" value="$work/feed" /></packageSources></configuration>
XML
  cat > "$dir/Fleet.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings><ConfigAsCodeLayout>$layout</ConfigAsCodeLayout></PropertyGroup>
  <ItemGroup><PackageReference Include="ConfigAsCode" Version="0.1.0-bench" /></ItemGroup>
  <ItemGroup><Compile Include="$repo/tests/ConfigAsCode.Benchmarks/SyntheticPlatform.cs" /></ItemGroup>
</Project>
XML
  echo "public sealed class Fleet() : ConfigAsCode.Benchmarks.SyntheticPlatform($1) { }" > "$dir/Fleet.cs"
  echo "$dir"
}

# Runs a command once and writes "<seconds> <peak RSS MB>" to $work/measured.txt; a command that fails stops the script
# (a failed build's time is not a measurement).
measure() {
  if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1; then
    echo "gate.sh: failed: $* (its output: $work/out.txt)" >&2
    exit 1
  fi
  awk '{printf "%.2f %.0f\n", $1, $2 / 1024}' "$work/time.txt" >"$work/measured.txt"
}

# Prints "<GC pause ms> <MB allocated>" from the timing line of the host run just measured (its -v:n summary).
collections() {
  sed -n 's/.*garbage collection: [0-9,]* collections, \([0-9,]*\) ms paused, \([0-9,]*\) MB allocated.*/\1 \2/p' "$work/out.txt" | tr -d , | head -n 1
}

host_command() { # $1 project dir: the command the task runs (from the binlog of a real build, without the handshake)
  local dir=$1 out="$1/obj/Debug/net10.0/configascode/"
  echo dotnet exec --runtimeconfig "${host%.dll}.runtimeconfig.json" --depsfile "${host%.dll}.deps.json" "$host" \
    --assembly "$dir/bin/Debug/net10.0/Fleet.dll" --project-dir "$dir" --snapshot-dir "$dir/deploy" --output-dir "$out" --accept false --layout $layout --handshake bench
}

for n in "${sizes[@]}"; do
  dir=$(project "$n")
  dotnet restore "$dir" --force -v q >/dev/null
  dotnet build "$dir" -p:ConfigAsCodeAcceptChanges=true -v q -nologo >/dev/null || true
  dotnet build "$dir" -v q -nologo >/dev/null   # must pass: the fleet is compliant and accepted
  files=$(find "$dir/deploy" -type f | wc -l)
  read -r -a cmd <<<"$(host_command "$dir")"

  fresh=(); populated=(); rss_fresh=(); rss_populated=(); pauses=(); allocated=()
  for _ in $(seq "$runs"); do
    rm -rf "$dir/obj/Debug/net10.0/configascode"
    measure "${cmd[@]}"; read -r t m <"$work/measured.txt"; fresh+=("$t"); rss_fresh+=("$m")
    measure "${cmd[@]}"; read -r t m <"$work/measured.txt"; populated+=("$t"); rss_populated+=("$m")
    read -r p a <<<"$(collections)"; pauses+=("$p"); allocated+=("$a")
  done
  # The GC figures (of the populated runs) move far less than times on a shared machine: compare them between runs.
  echo "host n=$n layout=$layout files=$files fresh_s=$(printf '%s\n' "${fresh[@]}" | median) fresh_rss_mb=$(printf '%s\n' "${rss_fresh[@]}" | median) populated_s=$(printf '%s\n' "${populated[@]}" | median) populated_rss_mb=$(printf '%s\n' "${rss_populated[@]}" | median) gc_paused_ms=$(printf '%s\n' "${pauses[@]}" | median) allocated_mb=$(printf '%s\n' "${allocated[@]}" | median)"

  if [ "${CDK8S:-1}" = 1 ] && [ "$n" -le "${CDK8S_MAX:-2000}" ]; then
    peer="$work/cdk8s"
    if [ ! -d "$peer/node_modules" ]; then
      mkdir -p "$peer" && cp "$repo/tests/ConfigAsCode.Benchmarks/cdk8s/"{package.json,package-lock.json,synth.js} "$peer/"
      (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    fresh=(); populated=(); rss_fresh=(); rss_populated=()
    for _ in $(seq "${CDK8S_RUNS:-3}"); do
      rm -rf "$peer/dist"
      measure node "$peer/synth.js" "$n" "$peer/dist"; read -r t m <"$work/measured.txt"; fresh+=("$t"); rss_fresh+=("$m")
      measure node "$peer/synth.js" "$n" "$peer/dist"; read -r t m <"$work/measured.txt"; populated+=("$t"); rss_populated+=("$m")
    done
    echo "cdk8s n=$n files=$(find "$peer/dist" -type f | wc -l) fresh_s=$(printf '%s\n' "${fresh[@]}" | median) fresh_rss_mb=$(printf '%s\n' "${rss_fresh[@]}" | median) populated_s=$(printf '%s\n' "${populated[@]}" | median) populated_rss_mb=$(printf '%s\n' "${rss_populated[@]}" | median)"
  fi

  if [ "${HOST_ONLY:-0}" = 1 ]; then continue; fi
  # The builds with the gate on and off alternate round by round, in two copies of the project (the same package and
  # sources; the second always builds with -p:ConfigAsCodeEnabled=false, so neither copy's no-op is disturbed by the
  # other's setting): this machine's speed drifts by a third within an hour, and five runs of one after five of the
  # other put that drift into the ratio. Which of the two goes first alternates too.
  off=$(project "$n" -off)
  rm -rf "$off/deploy" && cp -r "$dir/deploy" "$off/deploy"   # the same tree for the SDK's globs to skip
  dotnet restore "$off" --force -v q >/dev/null
  declare -A clean=() noop=() edit=() full=()
  for i in $(seq "$runs"); do
    order="true false"
    [ $((i % 2)) = 1 ] || order="false true"   # on first in odd rounds, off first in even ones
    for gate in $order; do
      d=$dir
      [ "$gate" = true ] || d=$off
      rm -rf "$d/obj" "$d/bin"
      measure dotnet build "$d" -p:ConfigAsCodeEnabled=$gate -nologo; read -r t _ <"$work/measured.txt"; clean[$gate]+=" $t"
      measure dotnet build "$d" --no-restore -p:ConfigAsCodeEnabled=$gate -nologo; read -r t _ <"$work/measured.txt"; noop[$gate]+=" $t"
      echo "// edit $i" >> "$d/Fleet.cs"
      measure dotnet build "$d" --no-restore -p:ConfigAsCodeEnabled=$gate -nologo; read -r t _ <"$work/measured.txt"; edit[$gate]+=" $t"
      # The same edit with the gate made to run in full (ConfigAsCodeReuseVerdict=false): what an edit that changes an
      # evaluated value costs, without drift to stop the build. The property does nothing with the gate off.
      echo "// edit $i again" >> "$d/Fleet.cs"
      measure dotnet build "$d" --no-restore -p:ConfigAsCodeEnabled=$gate -p:ConfigAsCodeReuseVerdict=false -nologo; read -r t _ <"$work/measured.txt"; full[$gate]+=" $t"
    done
  done
  dotnet restore "$dir" -v q >/dev/null
  for gate in true false; do
    echo "build n=$n layout=$layout gate=$gate fresh_s=$(printf '%s\n' ${clean[$gate]} | median) noop_s=$(printf '%s\n' ${noop[$gate]} | median) edit_s=$(printf '%s\n' ${edit[$gate]} | median) edit_full_s=$(printf '%s\n' ${full[$gate]} | median)"
  done
done
