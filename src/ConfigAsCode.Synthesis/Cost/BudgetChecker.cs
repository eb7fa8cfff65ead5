using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>A budget's standing after this change.</summary>
public sealed record BudgetStatus(CostBudget Budget, decimal Baseline, decimal Current, IReadOnlyList<string> Drivers)
{
    public decimal? IncreasePercent => Baseline > 0 ? Math.Round((Current - Baseline) / Baseline * 100m, 1) : null;
}

/// <summary>A budget rule that fired, with the budget's declaration.</summary>
public sealed record BudgetViolation(RuleDescriptor Rule, CostBudget Budget, string Message);

/// <summary>What one deployment's acknowledgment covers now.</summary>
/// <param name="Key">The deployment, <c>env/name</c>.</param>
/// <param name="Reason">The reason given in code.</param>
/// <param name="UpToMonthly">The monthly cost it covers (declared, recorded by an earlier accept, or the current cost for a new one).</param>
/// <param name="Current">The deployment's monthly cost now.</param>
/// <param name="State"><c>new</c> (given in this change), <c>covers</c>, <c>exceeded</c> (a later, larger increase) or <c>invalid</c> (reason too short).</param>
public sealed record AcknowledgmentStatus(string Key, string Reason, decimal UpToMonthly, decimal Current, string State)
{
    public bool Covers => State is "new" or "covers";
}

/// <summary>
/// Checks monthly budgets (CAC4005) and the largest increase allowed without acknowledgment (CAC4006). The increase
/// is measured against the baseline — the base branch's cost snapshot when one is given (ConfigAsCodeCostBaseline),
/// else the committed one — so accepting a change does not make its own increase disappear. An acknowledgment covers
/// the cost it was given for: the amount recorded when it was first accepted (or declared with UpToMonthlyUsd), not
/// a later, larger increase under the same reason.
/// </summary>
public static class BudgetChecker
{
    /// <summary>The shortest reason an acknowledgment may give.</summary>
    public const int MinimumReasonLength = 10;

    public static (IReadOnlyList<BudgetStatus> Statuses, IReadOnlyList<BudgetViolation> Violations) Check(
        IEnumerable<CostBudget> budgets,
        IReadOnlyList<CostEstimate> current,
        IReadOnlyDictionary<string, CostSnapshot.Entry> baseline,
        IReadOnlyDictionary<string, AcknowledgmentStatus> acknowledgments)
    {
        var statuses = new List<BudgetStatus>();
        var violations = new List<BudgetViolation>();
        foreach (var budget in budgets.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            bool Matches(string key, string? team) =>
                (budget.Team is null || string.Equals(budget.Team, team, StringComparison.Ordinal))
                && (budget.Environment is null || key.StartsWith(budget.Environment + "/", StringComparison.Ordinal));

            var members = current.Where(e => Matches(e.Key, e.Team)).ToArray();
            var total = members.Sum(e => e.MonthlyExpected);
            var before = baseline.Values.Where(c => Matches(c.Key, c.Team)).Sum(c => c.MonthlyExpected);
            var drivers = members.OrderByDescending(e => e.MonthlyExpected).ThenBy(e => e.Key, StringComparer.Ordinal).Take(3)
                .Select(e => $"{e.Key} {CostDeltaExplainer.Money(e.MonthlyExpected)}").ToArray();
            var status = new BudgetStatus(budget, before, total, drivers);
            statuses.Add(status);

            if (total > budget.MonthlyUsd)
            {
                violations.Add(new BudgetViolation(RuleCatalog.BudgetExceeded, budget,
                    $"budget '{budget.Name}' is {CostDeltaExplainer.Money(budget.MonthlyUsd)}/month but its deployments cost {CostDeltaExplainer.Money(total)}/month (over by {CostDeltaExplainer.Money(total - budget.MonthlyUsd)}); largest: {string.Join(", ", drivers)}. Reduce replicas or GPUs, or raise the budget in InferencePlatform.Budgets()."));
            }

            if (budget.MaxIncreasePercent is { } limit && status.IncreasePercent is { } increase && increase > limit)
            {
                var growing = members.Where(e => !baseline.TryGetValue(e.Key, out var was) || e.MonthlyExpected > was.MonthlyExpected).ToArray();
                var uncovered = growing.Where(e => !acknowledgments.TryGetValue(e.Key, out var ack) || !ack.Covers).ToArray();
                if (uncovered.Length > 0)
                {
                    var why = uncovered.Select(e => acknowledgments.TryGetValue(e.Key, out var ack)
                        ? ack.State == "invalid"
                            ? $"{e.Key} (its acknowledgment's reason is shorter than {MinimumReasonLength} characters)"
                            : $"{e.Key} (its acknowledgment '{ack.Reason}' covers up to {CostDeltaExplainer.Money(ack.UpToMonthly)}/month, now {CostDeltaExplainer.Money(e.MonthlyExpected)})"
                        : e.Key);
                    violations.Add(new BudgetViolation(RuleCatalog.CostIncreaseOverThreshold, budget,
                        $"budget '{budget.Name}' rises {increase}% ({CostDeltaExplainer.Money(before)} → {CostDeltaExplainer.Money(total)}/month), above its {limit}% threshold; driven by {string.Join(", ", why)}. Revert the change, or set CostIncreaseAcknowledgment = new(\"<why>\") on those deployments (a new reason for a new increase)."));
                }
            }
        }

        return (statuses, violations);
    }

    /// <summary>
    /// What every acknowledgment covers now. The ceiling is the declared <c>UpToMonthlyUsd</c>, else the amount the
    /// baseline recorded for the same reason; a reason the baseline does not record is new and covers the change it
    /// comes with (its ceiling is the cost now, which the fresh snapshot records). Only the baseline is trusted: a
    /// ceiling raised by hand in the committed snapshot differs from what the gate writes, so it is drift.
    /// </summary>
    public static IReadOnlyDictionary<string, AcknowledgmentStatus> Acknowledgments(
        IReadOnlyList<InferenceDeployment> deployments,
        IReadOnlyList<CostEstimate> current,
        IReadOnlyDictionary<string, CostSnapshot.Entry> baseline)
    {
        var byKey = current.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var statuses = new Dictionary<string, AcknowledgmentStatus>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            if (d.CostIncreaseAcknowledgment is not { } ack || d.Environment is null)
            {
                continue;
            }

            var key = d.Environment.Name + "/" + d.Name;
            if (!byKey.TryGetValue(key, out var estimate) || statuses.ContainsKey(key))
            {
                continue;
            }

            var reason = (ack.Reason ?? string.Empty).Trim();
            var recorded = Recorded(baseline, key, reason);
            var ceiling = ack.UpToMonthlyUsd ?? recorded ?? estimate.MonthlyExpected;
            var state = reason.Length < MinimumReasonLength ? "invalid"
                : ack.UpToMonthlyUsd is null && recorded is null ? "new"
                : estimate.MonthlyExpected <= ceiling ? "covers"
                : "exceeded";
            statuses[key] = new AcknowledgmentStatus(key, reason, ceiling, estimate.MonthlyExpected, state);
        }

        return statuses;
    }

    /// <summary>
    /// The acknowledgments the fresh cost snapshot records: a new one records the cost it is given for; an existing
    /// one keeps its ceiling (an accept never raises it, even with the cost rules silenced).
    /// </summary>
    public static IReadOnlyDictionary<string, RecordedAcknowledgment> ToRecord(IReadOnlyDictionary<string, AcknowledgmentStatus> acknowledgments) =>
        acknowledgments.Values.Where(a => a.State != "invalid").ToDictionary(
            a => a.Key,
            a => new RecordedAcknowledgment(a.Reason, a.State == "new" ? a.Current : a.UpToMonthly),
            StringComparer.Ordinal);

    private static decimal? Recorded(IReadOnlyDictionary<string, CostSnapshot.Entry> snapshot, string key, string reason) =>
        snapshot.TryGetValue(key, out var entry) && entry.Acknowledgment is { } recorded && string.Equals(recorded.Reason, reason, StringComparison.Ordinal)
            ? recorded.UpToMonthly
            : null;
}
