#!/usr/bin/env bash
# Analyzer cost: builds a generated config project with N deployments (default 2000) with -p:ReportAnalyzer=true
# and prints the ConfigAsCode analyzer's time against the compile, then the same for a project that does not
# reference ConfigAsCode. With a second argument R (default 1) each project is rebuilt R times and the run with the
# smallest share is printed last as "best": on a shared machine the other runs measure the neighbours' load too.
# Results go in docs/performance.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-2000}
runs=${2:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build "$repo/analyzers/ConfigAsCode.CodeFixes" -c Release -v q -nologo >/dev/null
dotnet build "$repo/src/ConfigAsCode" -c Release -v q -nologo >/dev/null
analyzers="$repo/analyzers/ConfigAsCode.Analyzers/bin/Release/netstandard2.0/ConfigAsCode.Analyzers.dll"
model="$repo/src/ConfigAsCode/bin/Release/net8.0/ConfigAsCode.dll"

project() { # $1 folder, $2 "with"|"without"
  mkdir -p "$1"
  local reference=""
  [ "$2" = with ] && reference="<Reference Include=\"ConfigAsCode\" HintPath=\"$model\" />"
  cat > "$1/Bench.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings><NoWarn>CS8321;CS0219</NoWarn><TreatWarningsAsErrors>false</TreatWarningsAsErrors></PropertyGroup>
  <ItemGroup>$reference<Analyzer Include="$analyzers" /></ItemGroup>
</Project>
XML
}

project "$work/with" with
project "$work/without" without
for file in $(seq 0 19); do
  {
    echo "using ConfigAsCode; namespace Bench; public static class Part$file { public static IEnumerable<InferenceDeployment> All() {"
    for i in $(seq 1 $((n / 20))); do
      echo "yield return new InferenceDeployment { Name = \"app-$file-$i\", Namespace = \"team-$file\", Environment = DeploymentEnvironment.Prod,"
      echo "  Model = new ModelSpec { Id = \"meta-llama/Llama-3.1-8B-Instruct\", Revision = \"0e9e39f249a16976918f6564b8830bc894c89659\" },"
      echo "  Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, GpuMemoryUtilization = 0.9$((i % 9)) },"
      echo "  Image = new ContainerImage { Repository = \"vllm/vllm-openai\", Tag = \"v0.6.4\", Digest = \"sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3\" },"
      echo "  Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 }, Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4 },"
      echo "  Env = [EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"token\"), EnvVar.Literal(\"LOG_LEVEL\", \"info\")],"
      echo "  Slos = new ServiceLevelObjectives { MaxErrorRate = 0.01 },"
      echo "  Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(5))] },"
      echo "  Cost = new CostAttribution { Team = \"team-$file\", CostCenter = \"cc-1\" } };"
    done
    echo "} }"
  } > "$work/with/Part$file.cs"
done
# Without the reference, a structurally similar project of plain classes.
for file in $(seq 0 19); do
  {
    echo "namespace Bench;"
    [ "$file" = 0 ] && echo "public sealed class Item { public string? Name { get; init; } public double Value { get; init; } }"
    echo "public static class Part$file { public static IEnumerable<Item> All() {"
    for i in $(seq 1 $((n / 20))); do echo "yield return new Item { Name = \"app-$file-$i\", Value = 0.9$((i % 9)) };"; done
    echo "} }"
  } > "$work/without/Part$file.cs"
done

report() { # $1 folder
  local best="" best_share=""
  for run in $(seq 1 "$runs"); do
    dotnet build "$1/Bench.csproj" -c Release -nodeReuse:false -t:Rebuild -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary > "$1/build.log" 2>&1 || { tail -20 "$1/build.log"; exit 1; }
    local compile total ours seconds share line
    compile=$(grep -E "^ +[0-9]+ ms +Csc +[0-9]+ calls" "$1/build.log" | head -1 | awk '{print $1}' || true)
    total=$(grep -m1 "Total analyzer execution time" "$1/build.log" | grep -oE "[0-9.]+ seconds" || true)
    ours=$(grep -E "^ +[0-9.]+ +[0-9<]+ +ConfigAsCode.Analyzers, Version" "$1/build.log" | head -1 | awk '{print $1 " s (" $2 "% of analyzer time)"}' || true)
    seconds=$(echo "${ours:-0}" | awk '{print $1}')
    share=$(awk -v s="$seconds" -v c="${compile:-0}" 'BEGIN { if (c > 0) printf "%.1f", s * 100000 / c; else print "?" }')
    line="$(basename "$1"): Csc task ${compile:-?} ms; all analyzers ${total:-?}; ConfigAsCode analyzer ${ours:-0 (not listed)}; ${share}% of the compile"
    echo "$line"
    if [ -z "$best_share" ] || awk -v a="$share" -v b="$best_share" 'BEGIN { exit !(a < b) }'; then best="$line"; best_share="$share"; fi
  done
  [ "$runs" -gt 1 ] && echo "best: $best"
  return 0
}
report "$work/with"
report "$work/without"
