using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Gate;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>The cost lines of the build log: in full for a small platform, capped for a fleet.</summary>
public sealed class CostSummaryTests
{
    private static CostEstimate Estimate(int i, int replicas) => new()
    {
        Environment = "prod",
        Deployment = "app-" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
        Gpu = "L4",
        GpusPerReplica = 1,
        UsdPerGpuHour = 1m,
        PriceSource = "test",
        MinReplicas = replicas,
        MaxReplicas = replicas,
    };

    private static CostReport Report(int count)
    {
        // Replicas 1..count in a shuffled order, so the most expensive rows are not the first ones; the last two
        // declared tie with the most expensive one, declared out of key order, so ties are broken by key.
        var estimates = Enumerable.Range(0, count).Select(i => Estimate(i, 1 + ((i * 7) % count)))
            .Concat([Estimate(count + 1, count), Estimate(count, count)]).ToArray();
        var baseline = estimates.ToDictionary(e => e.Key, e => new CostSnapshot.Entry(e.Key, null, 730m, 1, null, null, new Dictionary<string, string>()), StringComparer.Ordinal);
        var deltas = estimates.Select(e => new CostDelta(e.Key, null, 730m, e.MonthlyExpected, "change of " + e.Key)).ToArray();
        return new CostReport(estimates, deltas, [], baseline, []);
    }

    [Fact]
    public void A_small_platform_lists_every_row_and_every_change_in_declaration_order()
    {
        var report = Report(CostReport.LogRows - 2);
        var lines = report.SummaryLines().ToArray();

        Assert.Equal(report.Estimates.Select(e => e.Key), lines.Skip(2).Take(CostReport.LogRows).Select(l => l.Trim().Split(' ')[0]));
        Assert.Equal(report.Deltas.Select(d => "    " + d.Explanation), lines.Where(l => l.Contains("change of", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("report.json", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fleet_lists_the_most_expensive_rows_and_the_largest_changes_and_says_where_the_rest_is()
    {
        var report = Report(1000);
        var lines = report.SummaryLines().ToArray();

        var rows = lines.Skip(2).Take(CostReport.LogRows).ToArray();
        var expected = report.Estimates.OrderByDescending(e => e.MonthlyExpected).ThenBy(e => e.Key, StringComparer.Ordinal).Take(CostReport.LogRows).ToArray();
        Assert.Equal(expected.Select(e => e.Key), rows.Select(l => l.Trim().Split(' ')[0]));
        var rest = report.Estimates.Sum(e => e.MonthlyExpected) - expected.Sum(e => e.MonthlyExpected);
        Assert.Equal($"    … the 25 most expensive of 1,002; 977 more, {CostDeltaExplainer.Money(rest)}/month, in report.json (cost.deployments)", lines[2 + CostReport.LogRows]);

        // The total still counts every deployment.
        Assert.Contains(lines, l => l.TrimStart().StartsWith("total", StringComparison.Ordinal) && l.Contains(CostDeltaExplainer.Money(report.Estimates.Sum(e => e.MonthlyExpected)), StringComparison.Ordinal));

        var changes = lines.Where(l => l.Contains("change of", StringComparison.Ordinal)).ToArray();
        Assert.Equal(report.Deltas.OrderByDescending(d => Math.Abs(d.Delta)).ThenBy(d => d.Key, StringComparer.Ordinal).Take(CostReport.LogRows).Select(d => "    " + d.Explanation), changes);
        Assert.Contains("    … the 25 largest of 1,002 cost changes; every one is in report.json (cost.attributions)", lines);
        Assert.True(lines.Length < 80, $"{lines.Length} lines");
    }
}
