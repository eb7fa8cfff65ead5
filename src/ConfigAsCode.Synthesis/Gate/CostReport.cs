using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// The gate's cost step: estimates, the fresh cost snapshot, attribution and budgets against the baseline (the base
/// branch's snapshot when given, else the committed one), and what every acknowledgment covers.
/// </summary>
public sealed record CostReport(
    IReadOnlyList<CostEstimate> Estimates,
    IReadOnlyList<CostDelta> Deltas,
    IReadOnlyList<BudgetStatus> Budgets,
    IReadOnlyDictionary<string, CostSnapshot.Entry> Baseline,
    byte[] SnapshotUtf8)
{
    /// <summary>What the change is measured against, for the build log and the reports.</summary>
    public string BaselineDescription { get; init; } = "the committed snapshot";

    /// <summary>True when the baseline was named (ConfigAsCodeCostBaseline): the build log always says which it was.</summary>
    public bool ExplicitBaseline { get; init; }

    /// <summary>Every acknowledged increase, with what it covers now.</summary>
    public IReadOnlyList<AcknowledgmentStatus> Acknowledgments { get; init; } = [];

    internal static CostReport Build(IReadOnlyList<InferenceDeployment> deployments, EvaluationResult evaluation, GateOptions options, SnapshotFolder folder, List<GateDiagnostic> diagnostics)
    {
        var catalog = PriceCatalog.Shipped();
        if (options.PriceFile is { Length: > 0 } file && catalog.MergeFile(file) is { } fileProblem)
        {
            diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.UnknownPrice.Id, file, 0, fileProblem + " Fix the file (same JSON shape as the shipped catalog, docs/cost-model.md) or unset ConfigAsCodePriceFile."));
        }

        foreach (var problem in catalog.Merge(evaluation.PriceOverrides))
        {
            diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.UnknownPrice.Id, null, 0, problem + " Fix InferencePlatform.Prices()."));
        }

        var (estimates, findings) = CostEstimator.Estimate(deployments, catalog, evaluation.Pricing, options.Rules);
        foreach (var f in findings)
        {
            diagnostics.Add(new GateDiagnostic(f.Severity, f.Id, string.IsNullOrEmpty(f.Location.FilePath) ? null : f.Location.FilePath, f.Location.Line, $"[{f.Environment}/{f.Deployment}] {f.PropertyPath}: {f.Message}"));
        }

        // A damaged committed snapshot is drift on its own file (CAC9001); here it only means there is nothing to compare with.
        var committed = CostSnapshot.Parse(folder.ReadOwned(CostSnapshot.Path)) ?? new Dictionary<string, CostSnapshot.Entry>();
        var (loaded, baselineProblem) = CostBaseline.Load(options.CostBaseline, options, committed);
        if (baselineProblem is not null)
        {
            diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.CostBaselineUnreadable.Id, null, 0, baselineProblem));
        }

        var baseline = loaded ?? new CostBaseline("no baseline (it could not be read)", committed);
        var acknowledgments = BudgetChecker.Acknowledgments(deployments, estimates, baseline.Entries);
        var deltas = CostDeltaExplainer.Explain(estimates, baseline.Entries);
        var (budgets, violations) = BudgetChecker.Check(evaluation.Budgets, estimates, baseline.Entries, acknowledgments);
        diagnostics.AddRange(violations.Concat(BudgetChecker.CoveringNothing(evaluation.Budgets, deployments)).Select(v => new GateDiagnostic(options.Rules.For(v.Budget.DeclaredAt).SeverityOf(v.Rule), v.Rule.Id,
            string.IsNullOrEmpty(v.Budget.DeclaredAt?.FilePath) ? null : v.Budget.DeclaredAt.FilePath, v.Budget.DeclaredAt?.Line ?? 0, v.Message))
            .Where(d => d.Severity != RuleSeverity.None));
        return new CostReport(estimates, deltas, budgets, baseline.Entries, CostSnapshot.Write(estimates, catalog.CatalogDate, BudgetChecker.ToRecord(acknowledgments)))
        {
            BaselineDescription = baseline.Description,
            ExplicitBaseline = !string.IsNullOrWhiteSpace(options.CostBaseline),
            Acknowledgments = acknowledgments.Values.OrderBy(a => a.Key, StringComparer.Ordinal).ToArray(),
        };
    }

    /// <summary>
    /// Rows of the cost table, and cost changes, the build log shows before it points to report.json: a fleet of
    /// thousands would print thousands of lines on every build that runs the gate.
    /// </summary>
    public const int LogRows = 25;

    /// <summary>
    /// The cost table and, where the cost moved, the attribution and the budgets, for the build log. Up to
    /// <see cref="LogRows"/> rows and changes are listed in full; beyond that the most expensive rows and the largest
    /// changes, and a line with how many more there are and where to find them.
    /// </summary>
    public IEnumerable<string> SummaryLines()
    {
        yield return "ConfigAsCode: cost (USD/month at the expected replicas; 730 h):";
        yield return "    " + Row("deployment", "replicas", "$/month", "$/1M out", "tok/s/replica");
        var rows = Estimates.Count <= LogRows ? Estimates
            : Estimates.OrderByDescending(e => e.MonthlyExpected).ThenBy(e => e.Key, StringComparer.Ordinal).Take(LogRows).ToArray();
        foreach (var e in rows)
        {
            yield return "    " + Row(e.Key, e.ExpectedReplicas.ToString(CultureInfo.InvariantCulture), CostDeltaExplainer.Money(e.MonthlyExpected),
                e.UsdPerMillionOutputTokens is { } pm ? CostDeltaExplainer.Money(pm) : "-", e.OutputTokensPerSecondPerReplica?.ToString("0", CultureInfo.InvariantCulture) ?? "-");
        }

        var total = Estimates.Sum(e => e.MonthlyExpected);
        if (Estimates.Count > LogRows)
        {
            var rest = Estimates.Count - LogRows;
            yield return $"    … the {LogRows.ToString(CultureInfo.InvariantCulture)} most expensive of {Estimates.Count.ToString("N0", CultureInfo.InvariantCulture)}; {rest.ToString("N0", CultureInfo.InvariantCulture)} more, {CostDeltaExplainer.Money(total - rows.Sum(e => e.MonthlyExpected))}/month, in report.json (cost.deployments)";
        }

        var baseline = Baseline.Values.Sum(c => c.MonthlyExpected);
        yield return "    " + Row("total", string.Empty, CostDeltaExplainer.Money(total), string.Empty, string.Empty);
        if (ExplicitBaseline)
        {
            yield return $"ConfigAsCode: cost baseline: {BaselineDescription}, {CostDeltaExplainer.Money(baseline)}/month.";
        }
        if (Baseline.Count > 0 && total != baseline)
        {
            var percent = baseline > 0 ? $" ({(total >= baseline ? "+" : "−")}{Math.Abs(Math.Round((total - baseline) / baseline * 100m, 1)).ToString(CultureInfo.InvariantCulture)}%)" : string.Empty;
            yield return $"ConfigAsCode: cost change against {BaselineDescription}: {CostDeltaExplainer.Money(baseline)} → {CostDeltaExplainer.Money(total)}/month{percent}";
        }

        var deltas = Baseline.Count > 0 ? Deltas : [];
        foreach (var delta in deltas.Count <= LogRows ? deltas
            : deltas.OrderByDescending(d => Math.Abs(d.Delta)).ThenBy(d => d.Key, StringComparer.Ordinal).Take(LogRows))
        {
            yield return "    " + delta.Explanation;
        }

        if (deltas.Count > LogRows)
        {
            yield return $"    … the {LogRows.ToString(CultureInfo.InvariantCulture)} largest of {deltas.Count.ToString("N0", CultureInfo.InvariantCulture)} cost changes; every one is in report.json (cost.attributions)";
        }

        foreach (var budget in Budgets)
        {
            yield return $"ConfigAsCode: budget '{budget.Budget.Name}': {CostDeltaExplainer.Money(budget.Current)} of {CostDeltaExplainer.Money(budget.Budget.MonthlyUsd)}/month" + (budget.IncreasePercent is { } p && p != 0 ? $" ({(p > 0 ? "+" : string.Empty)}{p.ToString(CultureInfo.InvariantCulture)}% against the baseline{(budget.DepartedDeployments.Count > 0 ? ", counting " + string.Join("; ", budget.DepartedDeployments) : string.Empty)})" : string.Empty);
        }

        foreach (var ack in Acknowledgments)
        {
            yield return $"ConfigAsCode: cost acknowledgment for {ack.Key} ({ack.State}): \"{ack.Reason}\", covers up to {CostDeltaExplainer.Money(ack.UpToMonthly)}/month, now {CostDeltaExplainer.Money(ack.Current)}.";
        }
    }

    private static string Row(string key, string replicas, string monthly, string perMillion, string tps) =>
        $"{key,-32} {replicas,8} {monthly,14} {perMillion,10} {tps,14}";
}
