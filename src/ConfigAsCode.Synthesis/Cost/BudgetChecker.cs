using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>A budget's standing after this change.</summary>
/// <param name="Budget">The budget, as declared.</param>
/// <param name="Baseline">What the baseline's deployments of this budget cost (by the team and environment the baseline recorded).</param>
/// <param name="Current">What the deployments it covers now cost: the figure its limit (CAC4005) holds.</param>
/// <param name="Drivers">Its largest deployments now, with their monthly cost.</param>
public sealed record BudgetStatus(CostBudget Budget, decimal Baseline, decimal Current, IReadOnlyList<string> Drivers)
{
    /// <summary>
    /// What the deployments the baseline counted here and another team or environment now holds cost now. The
    /// increase is measured with them: the baseline counts them in this budget, so leaving them out would show a
    /// move (with any increase it carries) as this budget falling, and no budget would judge the increase.
    /// </summary>
    public decimal Departed { get; init; }

    /// <summary>The deployments <see cref="Departed"/> counts, each as <c>key, which moved to …</c>.</summary>
    public IReadOnlyList<string> DepartedDeployments { get; init; } = [];

    public decimal? IncreasePercent => ExactIncreasePercent is { } exact ? Math.Round(exact, 1) : null;

    /// <summary>The increase unrounded: what the threshold is held to (15.04% is above 15%, though it shows as 15.0%).</summary>
    public decimal? ExactIncreasePercent => Baseline > 0 ? (Current + Departed - Baseline) / Baseline * 100m : null;

    /// <summary>
    /// True when the baseline counted deployments here at $0 (scaled to zero without an expected load) and they, or
    /// others, cost something now: an increase from nothing is above every threshold, not an increase of no percent.
    /// </summary>
    public bool RisesFromNothing { get; init; }
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
        var byKey = current.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var arrived = current.Where(e => !baseline.ContainsKey(e.Key)).ToLookup(e => e.Deployment, StringComparer.Ordinal);
        var departedByName = baseline.Values.Where(c => !byKey.ContainsKey(c.Key)).ToLookup(c => DeploymentName(c.Key), StringComparer.Ordinal);
        foreach (var budget in budgets.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            bool Matches(string key, string? team) =>
                (budget.Team is null || string.Equals(budget.Team, team, StringComparison.Ordinal))
                && (budget.Environment is null || key.StartsWith(budget.Environment + "/", StringComparison.Ordinal));

            var members = current.Where(e => Matches(e.Key, e.Team)).ToArray();
            var total = members.Sum(e => e.MonthlyExpected);
            var counted = baseline.Values.Where(c => Matches(c.Key, c.Team)).ToArray();
            var before = counted.Sum(c => c.MonthlyExpected);

            // A deployment the baseline counted here that now belongs to another team or environment is still judged
            // here for the increase (its cost now in "after", as its cost then is in "before"): otherwise a move that
            // also raises the cost shows this budget falling, and no budget (or one without a threshold) rising.
            var departed = counted
                .SelectMany(was => MovedTo(was, byKey, arrived, departedByName).Where(now => !Matches(now.Key, now.Team)).Select(now => (Was: was, Now: now)))
                .DistinctBy(m => m.Now.Key, StringComparer.Ordinal)
                .ToArray();
            var drivers = members.OrderByDescending(e => e.MonthlyExpected).ThenBy(e => e.Key, StringComparer.Ordinal).Take(3)
                .Select(e => $"{e.Key} {CostDeltaExplainer.Money(e.MonthlyExpected)}").ToArray();
            var status = new BudgetStatus(budget, before, total, drivers)
            {
                RisesFromNothing = counted.Length > 0 && before == 0 && total + departed.Sum(m => m.Now.MonthlyExpected) > 0,
                Departed = departed.Sum(m => m.Now.MonthlyExpected),
                DepartedDeployments = departed.Select(m => Moved(m.Was, m.Now)).ToArray(),
            };
            statuses.Add(status);

            // The limit is on what the budget covers now; a deployment that left it is judged here for its increase only.
            if (total > budget.MonthlyUsd)
            {
                violations.Add(new BudgetViolation(RuleCatalog.BudgetExceeded, budget,
                    $"budget '{budget.Name}' is {CostDeltaExplainer.Money(budget.MonthlyUsd)}/month but its deployments cost {CostDeltaExplainer.Money(total)}/month (over by {CostDeltaExplainer.Money(total - budget.MonthlyUsd)}); largest: {string.Join(", ", drivers)}. Reduce replicas or GPUs, or raise the budget in InferencePlatform.Budgets()."));
            }

            if (budget.MaxIncreasePercent is { } limit && ((status.ExactIncreasePercent is { } exact && exact > limit) || status.RisesFromNothing))
            {
                // Shown to one decimal, or to as many as it takes to be seen above the threshold.
                var increase = status.ExactIncreasePercent is not { } percent ? null
                    : Math.Round(percent, 1) > limit ? Math.Round(percent, 1).ToString(CultureInfo.InvariantCulture) : percent.ToString("0.0#########", CultureInfo.InvariantCulture);
                var growing = members.Where(e => !baseline.TryGetValue(e.Key, out var was) || e.MonthlyExpected > was.MonthlyExpected)
                    .Select(e => (Estimate: e, Name: e.Key))
                    .Concat(departed.Where(m => m.Now.MonthlyExpected > m.Was.MonthlyExpected).Select(m => (Estimate: m.Now, Name: Moved(m.Was, m.Now))))
                    .ToArray();
                var uncovered = growing.Where(g => !acknowledgments.TryGetValue(g.Estimate.Key, out var ack) || !ack.Covers).ToArray();
                if (uncovered.Length > 0)
                {
                    var why = uncovered.Select(g => acknowledgments.TryGetValue(g.Estimate.Key, out var ack)
                        ? ack.State == "invalid"
                            ? $"{g.Name} (its acknowledgment's reason is shorter than {MinimumReasonLength} characters)"
                            : $"{g.Name} (its acknowledgment '{ack.Reason}' covers up to {CostDeltaExplainer.Money(ack.UpToMonthly)}/month, now {CostDeltaExplainer.Money(g.Estimate.MonthlyExpected)})"
                        : g.Name);
                    var after = total + status.Departed;
                    violations.Add(new BudgetViolation(RuleCatalog.CostIncreaseOverThreshold, budget,
                        $"budget '{budget.Name}' rises {(increase is null ? "from nothing" : increase + "%")} ({CostDeltaExplainer.Money(before)} → {CostDeltaExplainer.Money(after)}/month{(departed.Length > 0 ? ", counting the deployments that left it since the baseline" : string.Empty)}), above its {limit}% threshold; driven by {string.Join(", ", why)}. Revert the change, or set CostIncreaseAcknowledgment = new(\"<why>\") on those deployments (a new reason for a new increase)."));
                }
            }
        }

        return (statuses, violations);
    }

    /// <summary>
    /// CAC4010: a budget whose team and environment match no declared deployment. Both are matched exactly, so a budget
    /// for <c>Team = "Assistant"</c> over deployments of team <c>assistant</c>, or for <c>Environment = "production"</c>
    /// on a platform whose environment is <c>prod</c>, covers nothing: it costs $0, can never be exceeded and never
    /// rises, so it passes every change while its reviewers believe the spend is held. Judged on the declared
    /// deployments (a deployment without a price still counts: CAC4004 tells its own story), and only when there is
    /// at least one.
    /// </summary>
    public static IReadOnlyList<BudgetViolation> CoveringNothing(IEnumerable<CostBudget> budgets, IReadOnlyList<InferenceDeployment> deployments)
    {
        var declared = deployments.Where(d => d.Environment is not null).Select(d => (Team: d.Cost?.Team, Environment: d.Environment.Name)).ToArray();
        if (declared.Length == 0)
        {
            return [];
        }

        var violations = new List<BudgetViolation>();
        foreach (var budget in budgets.OrderBy(b => b.Name, StringComparer.Ordinal))
        {
            if (declared.Any(d => (budget.Team is null || string.Equals(budget.Team, d.Team, StringComparison.Ordinal))
                && (budget.Environment is null || string.Equals(budget.Environment, d.Environment, StringComparison.Ordinal))))
            {
                continue;
            }

            var why = new List<string>();
            if (budget.Team is { } team && !declared.Any(d => string.Equals(team, d.Team, StringComparison.Ordinal)))
            {
                why.Add($"no deployment has Cost.Team '{team}'{Nearest(team, declared.Select(d => d.Team), "teams")}");
            }

            if (budget.Environment is { } environment && !declared.Any(d => string.Equals(environment, d.Environment, StringComparison.Ordinal)))
            {
                why.Add($"no deployment is in environment '{environment}'{Nearest(environment, declared.Select(d => d.Environment), "environments")}");
            }

            if (why.Count == 0)
            {
                why.Add($"no deployment of team '{budget.Team}' is in environment '{budget.Environment}'");
            }

            violations.Add(new BudgetViolation(RuleCatalog.BudgetCoversNothing, budget,
                $"budget '{budget.Name}' covers no deployment: {string.Join(", and ", why)}. Team and environment are matched exactly (case-sensitive), and a budget that matches nothing costs $0: it is never exceeded and never rises, so it would pass every change unseen. Fix its Team or Environment in InferencePlatform.Budgets(), or remove it."));
        }

        return violations;
    }

    // "(did you mean 'assistant'?)" when a declared name differs only in case; otherwise the names there are (up to five).
    private static string Nearest(string wanted, IEnumerable<string?> names, string what)
    {
        var known = names.OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        if (known.FirstOrDefault(n => string.Equals(n, wanted.Trim(), StringComparison.OrdinalIgnoreCase)) is { } near)
        {
            return $" (did you mean '{near}'?)";
        }

        return known.Length == 0 ? $" (no deployment declares any {what[..^1]})"
            : $" ({what}: {string.Join(", ", known.Take(5).Select(n => $"'{n}'"))}{(known.Length > 5 ? ", …" : string.Empty)})";
    }

    /// <summary>
    /// What every acknowledgment covers now. The ceiling is the declared <c>UpToMonthlyUsd</c>, else the amount the
    /// baseline recorded for the same reason (compared as <see cref="ComparableReason"/>, at the deployment's key, or at
    /// the key it moved from when its environment changed); a reason the baseline does not record is new and covers
    /// the change it comes with (its ceiling is the cost now, which the fresh snapshot records). Only the baseline is
    /// trusted: a ceiling raised by hand in the committed snapshot differs from what the gate writes, so it is drift.
    /// </summary>
    public static IReadOnlyDictionary<string, AcknowledgmentStatus> Acknowledgments(
        IReadOnlyList<InferenceDeployment> deployments,
        IReadOnlyList<CostEstimate> current,
        IReadOnlyDictionary<string, CostSnapshot.Entry> baseline)
    {
        var byKey = current.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var gone = baseline.Values.Where(c => !byKey.ContainsKey(c.Key)).ToLookup(c => DeploymentName(c.Key), StringComparer.Ordinal);
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
            var recorded = Recorded(baseline.TryGetValue(key, out var entry) ? [entry] : gone[d.Name], reason);
            var ceiling = ack.UpToMonthlyUsd ?? recorded ?? estimate.MonthlyExpected;
            var state = ComparableReason(reason).Length < MinimumReasonLength ? "invalid"
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

    /// <summary>
    /// A reason as acknowledgments compare it (and count its length): without format characters (zero-width spaces
    /// and joiners, direction marks, the byte order mark, soft hyphens), in NFKC, with every run of white space one
    /// space. Two reasons a reviewer cannot tell apart are the same reason, held to the ceiling recorded for it: an
    /// invisible edit must not make an old reason new, which would cover any amount.
    /// </summary>
    public static string ComparableReason(string? reason)
    {
        // Format characters go first, so that they cannot keep NFKC from composing what they separate; runes, so that
        // a lone surrogate (which Normalize refuses) is read as U+FFFD. After NFKC, what still renders as nothing goes
        // too: combining marks left uncomposed (variation selectors, the grapheme joiner), controls, unassigned and
        // private code points, and the letters and symbol Unicode draws blank (the Hangul fillers, the braille blank).
        // Letter case does not make a reason new either. Reasons that differ only in such ways are one reason, held to
        // one ceiling: a stricter reading is the safe one.
        var visible = new StringBuilder();
        foreach (var rune in (reason ?? string.Empty).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            {
                visible.Append(rune.ToString());
            }
        }

        var shown = new StringBuilder();
        foreach (var rune in visible.ToString().Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                shown.Append(' ');
            }
            else if (!RendersAsNothing(rune))
            {
                shown.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        return string.Join(' ', shown.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool RendersAsNothing(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        || rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    /// <summary>
    /// Where a baseline entry's deployment is now: the deployment with its key; else, when its environment changed
    /// (and with it the key), the one deployment of the same name the baseline does not know, when that name left one
    /// place only. A deployment is declared once and placed per environment (<c>In</c>), so its name is what stays when
    /// it moves.
    /// </summary>
    private static IEnumerable<CostEstimate> MovedTo(CostSnapshot.Entry was, IReadOnlyDictionary<string, CostEstimate> byKey, ILookup<string, CostEstimate> arrived, ILookup<string, CostSnapshot.Entry> departed) =>
        byKey.TryGetValue(was.Key, out var now) ? [now]
        : departed[DeploymentName(was.Key)].Count() == 1 && arrived[DeploymentName(was.Key)].Count() == 1 ? arrived[DeploymentName(was.Key)]
        : []; // one name gone from one place and come to several (or the reverse) is no move that can be told: each counts where it is

    /// <summary>A deployment that left a budget, for messages: <c>prod/chat-70b, which moved to team 'assistant-inference'</c>.</summary>
    private static string Moved(CostSnapshot.Entry was, CostEstimate now)
    {
        var team = string.Equals(was.Team, now.Team, StringComparison.Ordinal) ? null
            : now.Team is null ? "no team" : $"team '{now.Team}'";
        return string.Equals(was.Key, now.Key, StringComparison.Ordinal)
            ? $"{was.Key}, which moved to {team}"
            : $"{was.Key}, which moved to {now.Key}{(team is null ? string.Empty : " and " + team)}";
    }

    /// <summary>The deployment's name in a key (<c>env/name</c>; an environment name is a DNS label, so it has no slash).</summary>
    private static string DeploymentName(string key) => key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>
    /// The ceiling the baseline recorded for this reason, at the deployment's entry (or the entries it moved from; the
    /// lowest when several record the reason), or null.
    /// </summary>
    private static decimal? Recorded(IEnumerable<CostSnapshot.Entry> entries, string reason)
    {
        var comparable = ComparableReason(reason);
        return entries
            .Where(e => e.Acknowledgment is { } recorded && string.Equals(ComparableReason(recorded.Reason), comparable, StringComparison.Ordinal))
            .Select(e => (decimal?)e.Acknowledgment!.UpToMonthly)
            .Min();
    }
}
