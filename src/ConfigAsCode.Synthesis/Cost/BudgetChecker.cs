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

/// <summary>Checks monthly budgets (CAC4005) and the largest increase allowed without acknowledgment (CAC4006).</summary>
public static class BudgetChecker
{
    public static (IReadOnlyList<BudgetStatus> Statuses, IReadOnlyList<(RuleDescriptor Rule, string Message)> Violations) Check(
        IEnumerable<CostBudget> budgets, IReadOnlyList<CostEstimate> current, IReadOnlyDictionary<string, CostSnapshot.Entry> committed, IReadOnlyList<InferenceDeployment> deployments)
    {
        var statuses = new List<BudgetStatus>();
        var violations = new List<(RuleDescriptor, string)>();
        foreach (var budget in budgets.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            bool Matches(string key, string? team) =>
                (budget.Team is null || string.Equals(budget.Team, team, StringComparison.Ordinal))
                && (budget.Environment is null || key.StartsWith(budget.Environment + "/", StringComparison.Ordinal));

            var members = current.Where(e => Matches(e.Key, e.Team)).ToArray();
            var total = members.Sum(e => e.MonthlyExpected);
            var baseline = committed.Values.Where(c => Matches(c.Key, c.Team)).Sum(c => c.MonthlyExpected);
            var drivers = members.OrderByDescending(e => e.MonthlyExpected).ThenBy(e => e.Key, StringComparer.Ordinal).Take(3)
                .Select(e => $"{e.Key} {CostDeltaExplainer.Money(e.MonthlyExpected)}").ToArray();
            var status = new BudgetStatus(budget, baseline, total, drivers);
            statuses.Add(status);

            if (total > budget.MonthlyUsd)
            {
                violations.Add((RuleCatalog.BudgetExceeded,
                    $"budget '{budget.Name}' is {CostDeltaExplainer.Money(budget.MonthlyUsd)}/month but its deployments cost {CostDeltaExplainer.Money(total)}/month (over by {CostDeltaExplainer.Money(total - budget.MonthlyUsd)}); largest: {string.Join(", ", drivers)}. Reduce replicas or GPUs, or raise the budget in InferencePlatform.Budgets()."));
            }

            if (budget.MaxIncreasePercent is { } limit && status.IncreasePercent is { } increase && increase > limit)
            {
                var growing = members
                    .Where(e => !committed.TryGetValue(e.Key, out var before) || e.MonthlyExpected > before.MonthlyExpected)
                    .Select(e => e.Key)
                    .ToArray();
                var unacknowledged = growing.Where(key => deployments.FirstOrDefault(d => d.Environment.Name + "/" + d.Name == key)?.CostIncreaseAcknowledgment is not { Reason.Length: >= 10 }).ToArray();
                if (unacknowledged.Length > 0)
                {
                    violations.Add((RuleCatalog.CostIncreaseOverThreshold,
                        $"budget '{budget.Name}' rises {increase}% ({CostDeltaExplainer.Money(baseline)} → {CostDeltaExplainer.Money(total)}/month), above its {limit}% threshold; driven by {string.Join(", ", unacknowledged)}. Revert the change, or set CostIncreaseAcknowledgment = new(\"<why>\") on those deployments."));
                }
            }
        }

        return (statuses, violations);
    }
}
