using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>What one deployment in one environment costs, and why.</summary>
public sealed record CostEstimate
{
    public required string Environment { get; init; }

    public required string Deployment { get; init; }

    public string? Team { get; init; }

    public required string Gpu { get; init; }

    /// <summary>GPUs of one replica: per node times nodes (16 for 2 nodes of 8).</summary>
    public required int GpusPerReplica { get; init; }

    public required decimal UsdPerGpuHour { get; init; }

    public required string PriceSource { get; init; }

    /// <summary>CPU and memory per replica-hour, when the GPU price excludes the host.</summary>
    public decimal HostUsdPerHour { get; init; }

    public decimal ReplicaUsdPerHour => (UsdPerGpuHour * GpusPerReplica) + HostUsdPerHour;

    public required int MinReplicas { get; init; }

    public required int MaxReplicas { get; init; }

    /// <summary>Extra replicas a shadow rollout runs (counted in every figure; added as decimals, so that replicas near <see cref="int.MaxValue"/> never wrap to a negative cost).</summary>
    public int ShadowReplicas { get; init; }

    public decimal HourlyAtMin => ReplicaUsdPerHour * ((decimal)MinReplicas + ShadowReplicas);

    public decimal HourlyAtMax => ReplicaUsdPerHour * ((decimal)MaxReplicas + ShadowReplicas);

    public decimal MonthlyAtMin => Math.Round(HourlyAtMin * CostEstimator.HoursPerMonth, 2);

    public decimal MonthlyAtMax => Math.Round(HourlyAtMax * CostEstimator.HoursPerMonth, 2);

    /// <summary>Concurrent sequences one replica serves: max-num-seqs capped by the KV cache.</summary>
    public double? Concurrency { get; init; }

    /// <summary>What caps the concurrency: <c>max-num-seqs</c> or <c>KV cache</c>.</summary>
    public string? ConcurrencyLimit { get; init; }

    public int? MaxNumSeqs { get; init; }

    public double? OutputTokensPerSecondPerReplica { get; init; }

    /// <summary>Replicas the expected load needs (before the min/max bounds).</summary>
    public int? ReplicasForLoad { get; init; }

    public decimal? UsdPerMillionOutputTokens { get; init; }

    public string? ProfileSource { get; init; }

    /// <summary>Replicas the monthly figure is based on: the load's need within [min, max], or the minimum without a load.</summary>
    public int ExpectedReplicas => ReplicasForLoad is { } need ? Math.Clamp(need, MinReplicas, Math.Max(MinReplicas, MaxReplicas)) : MinReplicas;

    /// <summary>The monthly figure budgets and drift use.</summary>
    public decimal MonthlyExpected => Math.Round(ReplicaUsdPerHour * ((decimal)ExpectedReplicas + ShadowReplicas) * CostEstimator.HoursPerMonth, 2);

    public string Key => Environment + "/" + Deployment;
}

/// <summary>The cost model of DOMAIN.md §3 over evaluated deployments.</summary>
public static class CostEstimator
{
    /// <summary>Hours in a month (the Infracost convention).</summary>
    public const decimal HoursPerMonth = 730m;

    public static (IReadOnlyList<CostEstimate> Estimates, IReadOnlyList<Finding> Findings) Estimate(
        IReadOnlyList<InferenceDeployment> deployments, PriceCatalog prices, PricingTarget target, RuleOptions? options = null, IEnumerable<ThroughputProfile>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        options ??= RuleOptions.Default;
        var estimates = new List<CostEstimate>();
        var findings = new List<Finding>();
        var userProfiles = profiles?.ToArray() ?? [];
        foreach (var d in deployments)
        {
            if (d.Accelerator?.Gpu is not { } gpu || d.Scaling is null || d.Environment is null || d.Engine is null)
            {
                continue;
            }

            var price = prices.FindGpu(gpu.PriceKey, target);
            if (price is null)
            {
                findings.Add(new Finding(RuleCatalog.UnknownPrice, RuleCatalog.UnknownPrice.DefaultSeverity, FindingOutcome.Violation, d.Name, d.Environment.Name, "Accelerator.Gpu",
                    d.DeclaredAt, $"no price for {gpu.Name} (price key '{gpu.PriceKey}') at {target.Provider}/{target.Region}/{target.PurchaseOption}{(prices.UnpricedReason(gpu.PriceKey) is { } why ? $"; the shipped catalog leaves it unpriced: {why}" : string.Empty)}: the cost is unknown, not $0. Add the price to a price file (ConfigAsCodePriceFile) or override InferencePlatform.Prices()."));
                continue;
            }

            var hostPerHour = 0m;
            if (!price.IncludesHost)
            {
                var host = prices.FindHost(target);
                if (host is null)
                {
                    findings.Add(new Finding(RuleCatalog.UnknownPrice, RuleCatalog.UnknownPrice.DefaultSeverity, FindingOutcome.Violation, d.Name, d.Environment.Name, "Resources",
                        d.DeclaredAt, $"the {gpu.Name} price at {target.Provider}/{target.Region} excludes the host, and there is no CPU/memory price for it: the cost is unknown, not $0. Add a 'host' row to the price file."));
                    continue;
                }

                // CPU and memory are requested per pod, and a multi-node replica has a pod on each of its nodes. A
                // request below zero (CAC1011) is priced as none: it must not make the deployment cost less than its GPUs.
                var podsPerReplica = Math.Max(1, d.Accelerator.Nodes);
                hostPerHour = ((host.UsdPerVcpuHour * Math.Max(0, d.Resources?.CpuRequestMillicores ?? 0) / 1000m) + (host.UsdPerGibHour * Math.Max(0, d.Resources?.MemoryRequestMiB ?? 0) / 1024m)) * podsPerReplica;
            }

            var estimate = new CostEstimate
            {
                Environment = d.Environment.Name,
                Deployment = d.Name,
                Team = d.Cost?.Team,
                Gpu = gpu.Name,
                GpusPerReplica = GpusPerReplica(d.Accelerator),
                UsdPerGpuHour = price.UsdPerGpuHour,
                PriceSource = $"{price.Provider}/{price.Region}/{price.PurchaseOption} {price.Date}: {price.Source}",
                HostUsdPerHour = Math.Round(hostPerHour, 4),
                MinReplicas = Math.Max(0, d.Scaling.MinReplicas),
                MaxReplicas = Math.Max(0, d.Scaling.MaxReplicas),
                ShadowReplicas = d.Rollout is ShadowRollout shadow ? Math.Max(0, shadow.ShadowReplicas) : 0,
            };
            estimates.Add(WithThroughput(estimate, d, gpu, options, userProfiles));
        }

        return (estimates.OrderBy(e => e.Environment, StringComparer.Ordinal).ThenBy(e => e.Deployment, StringComparer.Ordinal).ToArray(), findings);
    }

    /// <summary>GPUs a replica is priced at: per node times nodes (0 for nonsense counts, which CAC3012 reports).</summary>
    internal static int GpusPerReplica(AcceleratorSpec accelerator) =>
        accelerator.Count <= 0 || accelerator.Nodes <= 0 ? 0 : (int)Math.Min(int.MaxValue, accelerator.GpusPerReplica);

    private static CostEstimate WithThroughput(CostEstimate estimate, InferenceDeployment d, GpuKind gpu, RuleOptions options, ThroughputProfile[] userProfiles)
    {
        if (Throughput(d, gpu, options, userProfiles) is not { } t)
        {
            return estimate;
        }

        if (t.ReplicasForLoad is not { } replicas)
        {
            return estimate with { MaxNumSeqs = t.MaxNumSeqs, Concurrency = 0, ConcurrencyLimit = t.ConcurrencyLimit };
        }

        var perMillion = estimate.ReplicaUsdPerHour / (decimal)(3600 * t.OutputTokensPerSecondPerReplica) * 1_000_000m;
        return estimate with
        {
            MaxNumSeqs = t.MaxNumSeqs,
            Concurrency = t.Concurrency,
            ConcurrencyLimit = t.ConcurrencyLimit,
            OutputTokensPerSecondPerReplica = Math.Round(t.OutputTokensPerSecondPerReplica, 1),
            ReplicasForLoad = replicas,
            UsdPerMillionOutputTokens = Math.Round(perMillion, 2),
            ProfileSource = t.ProfileSource,
        };
    }

    /// <summary>
    /// What the expected load asks of a vLLM deployment: the concurrency one replica runs (max-num-seqs, or the requests
    /// of input + output tokens the per-GPU KV cache holds, per engine, times the data-parallel engines of the pod),
    /// its output tokens/s from the throughput profile, and the replicas the load needs at the target utilisation.
    /// Null without a vLLM engine, a valid load, a known architecture or a profile; replicas are null when the KV cache
    /// cannot hold one request (CAC3008/CAC3009).
    /// </summary>
    internal static LoadThroughput? Throughput(InferenceDeployment d, GpuKind gpu, RuleOptions options, IEnumerable<ThroughputProfile>? userProfiles = null)
    {
        if (d.Engine is not VllmEngine v || d.Load is not { RequestsPerSecond: > 0, InputTokens: > 0, OutputTokens: > 0 } load || load.TargetUtilization is not (> 0 and <= 1)
            || double.IsInfinity(load.RequestsPerSecond) || GpuFitEstimate.For(d, options) is not { RequestsPerEngine: { } kvBound } fit)
        {
            return null;
        }

        var architecture = d.Model.ResolveArchitecture()!;
        var catalogName = ModelCatalog.Find(d.Model.Id)?.Name ?? d.Model.Id;
        var profile = ThroughputProfiles.For(architecture, catalogName, gpu, fit.Budget.GpusPerEngine, v.Quantization, v.KvCacheDtype, userProfiles ?? [], fit.Budget.TensorParallel);
        if (profile is null)
        {
            return null;
        }

        var engines = fit.Budget.DataParallel;
        var maxNumSeqs = fit.Batching.MaxNumSeqs;
        var source = (profile.Derived ? "derived: " : "measured: ") + profile.Source;
        if (kvBound < 1 || maxNumSeqs < 1 || !fit.NonKvFits)
        {
            return new LoadThroughput(maxNumSeqs, 0, "KV cache", 0, null, source);
        }

        var perEngine = (double)Math.Min(maxNumSeqs, kvBound);
        var perReplica = engines * profile.OutputTokensPerSecond(perEngine, load.InputTokens, load.OutputTokens);
        // Clamped before the cast (NaN as no load): an out-of-range double converts to int.MinValue on .NET 8 (x64) and
        // to int.MaxValue from .NET 9, and the host runs on whichever runtime the machine has; cost.json must not differ.
        var need = Math.Ceiling(load.RequestsPerSecond * profile.RequestSeconds(perEngine, load.InputTokens, load.OutputTokens) / (perEngine * engines * load.TargetUtilization));
        var replicas = double.IsNaN(need) ? 0 : (int)Math.Clamp(need, 0, int.MaxValue);
        return new LoadThroughput(maxNumSeqs, perEngine * engines, maxNumSeqs <= kvBound ? "max-num-seqs" : "KV cache", perReplica, replicas, source);
    }
}

/// <summary>What the expected load asks of one deployment (see <see cref="CostEstimator.Throughput"/>).</summary>
internal sealed record LoadThroughput(int MaxNumSeqs, double Concurrency, string ConcurrencyLimit, double OutputTokensPerSecondPerReplica, int? ReplicasForLoad, string ProfileSource);
