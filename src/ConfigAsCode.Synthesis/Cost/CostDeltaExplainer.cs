using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>One deployment's cost change against the committed snapshot, and the chain of causes.</summary>
public sealed record CostDelta(string Key, string? Team, decimal? Baseline, decimal Current, string Explanation)
{
    public decimal Delta => Current - (Baseline ?? 0m);

    public decimal? Percent => Baseline is > 0 ? Math.Round(Delta / Baseline.Value * 100m, 1) : null;
}

/// <summary>
/// Attributes a cost change to the settings that caused it, in the form
/// <c>prod/chat: max-num-seqs 256 → 32 ⇒ per-replica throughput −71% ⇒ replicas 3 → 9 ⇒ +$X/month (+41%)</c>.
/// </summary>
public static class CostDeltaExplainer
{
    public static IReadOnlyList<CostDelta> Explain(IReadOnlyList<CostEstimate> current, IReadOnlyDictionary<string, CostSnapshot.Entry> committed)
    {
        var deltas = new List<CostDelta>();
        foreach (var estimate in current)
        {
            committed.TryGetValue(estimate.Key, out var before);
            if (before is null)
            {
                deltas.Add(new CostDelta(estimate.Key, estimate.Team, null, estimate.MonthlyExpected, $"{estimate.Key}: new ⇒ {Money(estimate.MonthlyExpected)}/month"));
                continue;
            }

            if (before.MonthlyExpected == estimate.MonthlyExpected)
            {
                continue;
            }

            var causes = CostSnapshot.Inputs(estimate)
                .Where(i => i.Name != "concurrency")
                .Select(i => (i.Name, Before: before.Inputs.TryGetValue(i.Name, out var b) ? b : "(unset)", After: i.Value))
                .Where(i => !string.Equals(i.Before, i.After, StringComparison.Ordinal))
                .Select(i => $"{i.Name} {i.Before} → {i.After}")
                .ToList();
            var steps = new List<string>();
            steps.Add(causes.Count > 0 ? string.Join(", ", causes) : "load or model");
            if (before.OutputTokensPerSecondPerReplica is > 0 && estimate.OutputTokensPerSecondPerReplica is { } tps && Math.Abs(tps - before.OutputTokensPerSecondPerReplica.Value) > 0.05)
            {
                var change = (tps - before.OutputTokensPerSecondPerReplica.Value) / before.OutputTokensPerSecondPerReplica.Value * 100;
                steps.Add($"per-replica throughput {Signed(change, "0")}%");
            }

            if (before.ExpectedReplicas != estimate.ExpectedReplicas)
            {
                steps.Add($"replicas {before.ExpectedReplicas} → {estimate.ExpectedReplicas}");
            }

            var delta = new CostDelta(estimate.Key, estimate.Team, before.MonthlyExpected, estimate.MonthlyExpected, string.Empty);
            var percent = delta.Percent is { } p ? $" ({Signed((double)p, "0")}%)" : string.Empty;
            steps.Add($"{(delta.Delta >= 0 ? "+" : "−")}{Money(Math.Abs(delta.Delta))}/month{percent}");
            deltas.Add(delta with { Explanation = $"{estimate.Key}: {string.Join(" ⇒ ", steps)}" });
        }

        var keys = current.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var removed in committed.Values.Where(c => !keys.Contains(c.Key)))
        {
            deltas.Add(new CostDelta(removed.Key, removed.Team, removed.MonthlyExpected, 0m, $"{removed.Key}: removed ⇒ −{Money(removed.MonthlyExpected)}/month"));
        }

        return deltas.OrderBy(d => d.Key, StringComparer.Ordinal).ToArray();
    }

    public static string Money(decimal value) => "$" + value.ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Signed(double value, string format) =>
        (value >= 0 ? "+" : "−") + Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);
}
