using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>The gate's cost step: estimates, the fresh cost snapshot, attribution against the committed one, and budgets.</summary>
public sealed record CostReport(
    IReadOnlyList<CostEstimate> Estimates,
    IReadOnlyList<CostDelta> Deltas,
    IReadOnlyList<BudgetStatus> Budgets,
    IReadOnlyDictionary<string, CostSnapshot.Entry> Committed,
    string SnapshotJson)
{
    internal static CostReport Build(EvaluationResult evaluation, GateOptions options, List<GateDiagnostic> diagnostics)
    {
        var catalog = PriceCatalog.Shipped();
        if (options.PriceFile is { Length: > 0 } file)
        {
            if (catalog.MergeFile(file) is { } problem)
            {
                diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.UnknownPrice.Id, file, 0, problem + " Fix the file (same JSON shape as the shipped catalog, docs/cost-model.md)."));
            }
        }

        catalog.Merge(evaluation.PriceOverrides);
        var (estimates, findings) = CostEstimator.Estimate(evaluation.Deployments, catalog, evaluation.Pricing, options.Rules);
        foreach (var f in findings)
        {
            diagnostics.Add(new GateDiagnostic(f.Severity, f.Id, string.IsNullOrEmpty(f.Location.FilePath) ? null : f.Location.FilePath, f.Location.Line, $"[{f.Environment}/{f.Deployment}] {f.PropertyPath}: {f.Message}"));
        }

        var committed = CostSnapshot.Read(options.SnapshotDirectory);
        var deltas = CostDeltaExplainer.Explain(estimates, committed);
        var (budgets, violations) = BudgetChecker.Check(evaluation.Budgets, estimates, committed, evaluation.Deployments);
        diagnostics.AddRange(violations.Select(v => new GateDiagnostic(v.Rule.DefaultSeverity, v.Rule.Id, null, 0, v.Message)));
        return new CostReport(estimates, deltas, budgets, committed, CostSnapshot.Write(estimates, catalog.CatalogDate));
    }

    /// <summary>The cost table and, where the cost moved, the attribution and the budgets, for the build log.</summary>
    public IEnumerable<string> SummaryLines()
    {
        yield return "ConfigAsCode: cost (USD/month at the expected replicas; 730 h):";
        yield return "    " + Row("deployment", "replicas", "$/month", "$/1M out", "tok/s/replica");
        foreach (var e in Estimates)
        {
            yield return "    " + Row(e.Key, e.ExpectedReplicas.ToString(CultureInfo.InvariantCulture), CostDeltaExplainer.Money(e.MonthlyExpected),
                e.UsdPerMillionOutputTokens is { } pm ? CostDeltaExplainer.Money(pm) : "-", e.OutputTokensPerSecondPerReplica?.ToString("0", CultureInfo.InvariantCulture) ?? "-");
        }

        var total = Estimates.Sum(e => e.MonthlyExpected);
        var baseline = Committed.Values.Sum(c => c.MonthlyExpected);
        yield return "    " + Row("total", string.Empty, CostDeltaExplainer.Money(total), string.Empty, string.Empty);
        if (Committed.Count > 0 && total != baseline)
        {
            var percent = baseline > 0 ? $" ({(total >= baseline ? "+" : "−")}{Math.Abs(Math.Round((total - baseline) / baseline * 100m, 1)).ToString(CultureInfo.InvariantCulture)}%)" : string.Empty;
            yield return $"ConfigAsCode: cost change: {CostDeltaExplainer.Money(baseline)} → {CostDeltaExplainer.Money(total)}/month{percent}";
        }

        foreach (var delta in Committed.Count > 0 ? Deltas : [])
        {
            yield return "    " + delta.Explanation;
        }

        foreach (var budget in Budgets)
        {
            yield return $"ConfigAsCode: budget '{budget.Budget.Name}': {CostDeltaExplainer.Money(budget.Current)} of {CostDeltaExplainer.Money(budget.Budget.MonthlyUsd)}/month" + (budget.IncreasePercent is { } p && p != 0 ? $" ({(p > 0 ? "+" : string.Empty)}{p.ToString(CultureInfo.InvariantCulture)}% against the committed snapshot)" : string.Empty);
        }
    }

    private static string Row(string key, string replicas, string monthly, string perMillion, string tps) =>
        $"{key,-32} {replicas,8} {monthly,14} {perMillion,10} {tps,14}";
}
