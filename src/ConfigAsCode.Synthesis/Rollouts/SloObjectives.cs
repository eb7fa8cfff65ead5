using System;
using System.Collections.Generic;
using System.Globalization;

namespace ConfigAsCode.Synthesis.Rollouts;

/// <summary>One SLO turned into an SLI: the share of bad requests over a window, and how much of it the SLO allows.</summary>
public sealed record SloObjective(string Name, string Description, decimal ErrorBudget, Func<string, string> BadRatio);

/// <summary>An SLO no alert can be generated for, and why.</summary>
public sealed record UnmeasurableSlo(string Property, string Reason);

/// <summary>
/// Maps a deployment's SLOs to SLIs, in the manner of Sloth and Pyrra: availability (or the error-rate SLO) becomes
/// the failed-request ratio with budget 1 − objective; a p95 (p99) latency SLO becomes the share of requests slower
/// than the threshold with a 5% (1%) budget.
/// </summary>
public static class SloObjectives
{
    /// <summary>The windows of the multi-window, multi-burn-rate alerts (Google SRE Workbook, ch. 5, for a 30-day SLO).</summary>
    public static IReadOnlyList<string> Windows { get; } = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];

    /// <summary>(severity, burn rate, long window, short window): page at 14.4× over 1h/5m and 6× over 6h/30m, ticket at 3× over 1d/2h and 1× over 3d/6h.</summary>
    public static IReadOnlyList<(string Severity, decimal BurnRate, string Long, string Short)> BurnRates { get; } =
    [
        ("page", 14.4m, "1h", "5m"),
        ("page", 6m, "6h", "30m"),
        ("ticket", 3m, "1d", "2h"),
        ("ticket", 1m, "3d", "6h"),
    ];

    public static (IReadOnlyList<SloObjective> Objectives, IReadOnlyList<UnmeasurableSlo> Unmeasurable) For(InferenceDeployment d)
    {
        var objectives = new List<SloObjective>();
        var unmeasurable = new List<UnmeasurableSlo>();
        if (d.Slos is not { } slos || d.Engine is null)
        {
            return (objectives, unmeasurable);
        }

        var metrics = EngineMetrics.For(d.Engine);
        var selector = EngineMetrics.Selector(d);
        if (slos.Availability is { } availability && availability is > 0 and < 1)
        {
            var budget = 1m - Math.Round((decimal)availability, 9);
            objectives.Add(new SloObjective("availability", $"{Percent(1m - budget)} of inference requests succeed over 30 days", budget, w => metrics.ErrorRatioQuery(selector, w)));
        }
        else if (slos.MaxErrorRate is { } errors && errors is > 0 and < 1)
        {
            var budget = Math.Round((decimal)errors, 9);
            objectives.Add(new SloObjective("errors", $"at most {Percent(budget)} of inference requests fail over 30 days", budget, w => metrics.ErrorRatioQuery(selector, w)));
        }

        AddLatency(objectives, unmeasurable, "latency-p95", "Slos.P95Latency", slos.P95Latency, 0.05m, "95%", metrics.LatencyHistogram, metrics.LatencyBuckets, "end-to-end", selector, metrics);
        AddLatency(objectives, unmeasurable, "latency-p99", "Slos.P99Latency", slos.P99Latency, 0.01m, "99%", metrics.LatencyHistogram, metrics.LatencyBuckets, "end-to-end", selector, metrics);
        AddLatency(objectives, unmeasurable, "ttft-p95", "Slos.P95TimeToFirstToken", slos.P95TimeToFirstToken, 0.05m, "95%", metrics.TtftHistogram, metrics.TtftBuckets, "time-to-first-token", selector, metrics);
        return (objectives, unmeasurable);
    }

    private static void AddLatency(List<SloObjective> objectives, List<UnmeasurableSlo> unmeasurable, string name, string property, TimeSpan? threshold, decimal budget, string share, string? histogram, IReadOnlyList<string>? buckets, string what, string selector, EngineMetrics metrics)
    {
        if (threshold is not { } t)
        {
            return;
        }

        if (histogram is null)
        {
            unmeasurable.Add(new UnmeasurableSlo(property, $"{metrics.Engine} exports no {what} latency histogram, so no alert can measure this SLO"));
            return;
        }

        if (EngineMetrics.BucketAtOrBelow(buckets, t) is not { } le)
        {
            unmeasurable.Add(new UnmeasurableSlo(property, buckets is null
                ? $"{metrics.Engine}'s {histogram} has no fixed bucket boundaries, so the share of requests over {EngineMetrics.Seconds(t)}s cannot be counted"
                : $"{EngineMetrics.Seconds(t)}s is below {histogram}'s smallest bucket ({buckets[0]}s)"));
            return;
        }

        objectives.Add(new SloObjective(name, $"{share} of inference requests complete their {what} within {le}s (SLO {EngineMetrics.Seconds(t)}s)", budget, w => EngineMetrics.SlowerThan(histogram, le, selector, w)));
    }

    private static string Percent(decimal ratio) => (ratio * 100m).ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
