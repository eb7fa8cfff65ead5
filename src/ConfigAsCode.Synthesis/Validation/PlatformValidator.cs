using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>
/// Runs every rule of the catalog over evaluated deployments, applies severities and suppressions, and
/// returns the findings in a deterministic order. Never throws on bad values: nonsense becomes a coded finding.
/// </summary>
public static class PlatformValidator
{
    /// <summary>Every per-deployment rule, by ID.</summary>
    public static IReadOnlyList<DeploymentRule> DeploymentRules { get; } =
        ReliabilityRules.All.Concat(RolloutRules.All).Concat(AutoscalerRules.All).Concat(SecurityRules.All).Concat(GpuFitRules.All).Concat(CostRules.All).Concat(ReproducibilityRules.All).Concat(ClusterRules.All)
            .OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();

    /// <summary>Every rule over the whole platform, by ID.</summary>
    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
        GpuFitRules.PlatformRules.Concat(InferencePoolRules.PlatformRules).Concat(ReproducibilityRules.PlatformRules).Concat(ClusterRules.PlatformRules).OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();

    /// <summary>Validates <paramref name="deployments"/> with <paramref name="options"/> (the defaults when null).</summary>
    public static ValidationReport Validate(IReadOnlyList<InferenceDeployment> deployments, RuleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        options ??= RuleOptions.Default;

        // Messages format numbers; the rules must not depend on the culture of the machine that builds.
        return InvariantCultureScope.Run(() => ValidateInvariant(deployments, options));
    }

    private static ValidationReport ValidateInvariant(IReadOnlyList<InferenceDeployment> deployments, RuleOptions options)
    {
        var findings = new List<Finding>();
        var evaluations = 0;
        var raw = new List<(InferenceDeployment Deployment, RuleDescriptor Rule, string Path, string Message, FindingOutcome Outcome)>();

        foreach (var duplicate in deployments.GroupBy(d => (d.Environment?.Name ?? string.Empty, d.Name)).Where(g => g.Count() > 1))
        {
            foreach (var d in duplicate.Skip(1))
            {
                raw.Add((d, RuleCatalog.DuplicateDeployment, "Name", $"'{d.Name}' is declared twice in environment '{duplicate.Key.Item1}': first at {Where(duplicate.First())}, again at {Where(d)}. Only the first is rendered. Rename one, or move one to another environment with In(...) (an overlay that forgot In(DeploymentEnvironment.Prod) is the usual cause).", FindingOutcome.Violation));
            }
        }

        // Each deployment's rules read only that deployment, so deployments are checked side by side; their findings
        // are then taken in the order of the deployments, as a loop in order would give them.
        var perDeployment = new (List<(InferenceDeployment, RuleDescriptor, string, string, FindingOutcome)>? Found, int Evaluations)[deployments.Count];
        InvariantCultureScope.ForEach(deployments.Count, i => perDeployment[i] = CheckDeployment(deployments[i], options));
        foreach (var (found, count) in perDeployment)
        {
            if (found is not null)
            {
                raw.AddRange(found);
            }

            evaluations += count;
        }

        foreach (var rule in PlatformRules)
        {
            // Off everywhere only when no file can turn it on; a finding on a deployment whose file turns it off is
            // dropped below.
            if (options.SeverityOf(rule.Descriptor) == RuleSeverity.None && options.ForSourceFile is null)
            {
                continue;
            }

            evaluations += deployments.Count;
            rule.Check(deployments, options, (d, path, message) => raw.Add((d, rule.Descriptor, path, message, FindingOutcome.Violation)));
        }

        var byDeployment = raw.ToLookup(r => r.Deployment, ReferenceEqualityComparer.Instance);
        foreach (var deployment in deployments.Distinct(ReferenceEqualityComparer.Instance).Cast<InferenceDeployment>())
        {
            var suppressions = ResolveSuppressions(deployment, findings, options.Today);
            var local = options.For(deployment.DeclaredAt);
            foreach (var item in byDeployment[deployment])
            {
                if (local.SeverityOf(item.Rule) != RuleSeverity.None)
                {
                    findings.Add(ToFinding(item.Deployment, item.Rule, item.Path, item.Message, item.Outcome, local, suppressions));
                }
            }
        }

        return new ValidationReport(findings, evaluations);
    }

    // The findings of the per-deployment rules on one deployment (null when none), and how many rules ran.
    private static (List<(InferenceDeployment, RuleDescriptor, string, string, FindingOutcome)>? Found, int Evaluations) CheckDeployment(InferenceDeployment deployment, RuleOptions options)
    {
        List<(InferenceDeployment, RuleDescriptor, string, string, FindingOutcome)>? raw = null;
        var evaluations = 0;

        // The options of the file that declares the deployment (its .editorconfig sections), else the platform's.
        var local = options.For(deployment.DeclaredAt);
        var context = new RuleContext(deployment, local);
        foreach (var rule in DeploymentRules)
        {
            if (local.SeverityOf(rule.Descriptor) == RuleSeverity.None)
            {
                continue;
            }

            evaluations++;
            context.Clear();
            try
            {
                rule.Check(context);
            }
            catch (Exception e) when (e is NullReferenceException or InvalidCastException or ArgumentException or OverflowException or InvalidOperationException)
            {
                // A rule tripping over a half-built model is reported, never thrown at the user.
                context.Undecided(string.Empty, $"the rule could not evaluate this deployment ({e.GetType().Name}); check that every required property is set.");
            }

            // A loop, not Select: most checks find nothing, and an iterator and a closure per check were 130 MB
            // at 10,000 deployments.
            var found = context.Findings;
            for (var k = 0; k < found.Count; k++)
            {
                (raw ??= []).Add((deployment, rule.Descriptor, found[k].PropertyPath, found[k].Message, found[k].Outcome));
            }
        }

        return (raw, evaluations);
    }

    private static string Where(InferenceDeployment d) =>
        d.DeclaredAt is { IsKnown: true } at ? $"{System.IO.Path.GetFileName(at.FilePath)}({at.Line})" : "an unknown place";

    private static Dictionary<string, RuleSuppression> ResolveSuppressions(InferenceDeployment deployment, List<Finding> findings, DateTime? today)
    {
        var valid = new Dictionary<string, RuleSuppression>(StringComparer.Ordinal);
        var declared = deployment.Suppressions ?? [];
        for (var index = 0; index < declared.Count; index++)
        {
            var suppression = declared[index];
            if (suppression is null)
            {
                continue;
            }

            var rule = RuleCatalog.Find(suppression.RuleId);
            string? problem = null;
            if (rule is null)
            {
                problem = $"'{suppression.RuleId}' is not a ConfigAsCode rule ID; the suppression does nothing. Check docs/rules for the ID.";
            }
            else if (rule.RefusesSuppression)
            {
                problem = $"{rule.Id} ({rule.Title}) is an error-level security or tool rule and cannot be suppressed. Fix the configuration instead.";
            }
            else if ((suppression.Justification ?? string.Empty).Trim().Length < RuleSuppression.MinimumJustificationLength)
            {
                problem = $"the suppression of {rule.Id} has no justification of at least {RuleSuppression.MinimumJustificationLength} characters. Say why the finding is acceptable for this deployment.";
            }
            else if (SuppressionDates.Problem(suppression) is { } dates)
            {
                problem = $"the suppression of {rule.Id}: {dates}";
            }
            else if (today is { } day && SuppressionDates.Parse(suppression.Expires) is { } expires && expires < day.Date)
            {
                // Expired: it no longer suppresses, and the build fails naming who answers for it.
                var owner = string.IsNullOrWhiteSpace(suppression.Owner) ? "no owner was named" : $"owner: {suppression.Owner!.Trim()}";
                var ago = SuppressionDates.Days(expires, day);
                findings.Add(new Finding(RuleCatalog.SuppressionExpired, RuleCatalog.SuppressionExpired.DefaultSeverity, FindingOutcome.Violation,
                    deployment.Name, deployment.Environment?.Name ?? string.Empty, $"Suppressions[{index}].Expires", deployment.DeclaredAt ?? SourceLocation.Unknown,
                    $"the suppression of {rule.Id} ({owner}) expired on {suppression.Expires} ({ago} day(s) ago), so {rule.Id} is reported again. Fix the finding and remove the suppression, or, if the exception still holds, agree a new Expires date with its owner."));
                continue;
            }

            if (problem is null)
            {
                valid[rule!.Id] = suppression with { Justification = suppression.Justification!.Trim() };
            }
            else
            {
                findings.Add(new Finding(RuleCatalog.InvalidSuppression, RuleCatalog.InvalidSuppression.DefaultSeverity, FindingOutcome.Violation,
                    deployment.Name, deployment.Environment?.Name ?? string.Empty, "Suppressions", deployment.DeclaredAt ?? SourceLocation.Unknown, problem));
            }
        }

        return valid;
    }

    private static Finding ToFinding(
        InferenceDeployment deployment,
        RuleDescriptor rule,
        string path,
        string message,
        FindingOutcome outcome,
        RuleOptions options,
        IReadOnlyDictionary<string, RuleSuppression> suppressions)
    {
        var severity = options.SeverityOf(rule);
        RuleSuppression? applied = null;
        if (outcome == FindingOutcome.Undecided)
        {
            severity = RuleSeverity.Info;
        }
        else if (suppressions.TryGetValue(rule.Id, out var suppression))
        {
            outcome = FindingOutcome.Suppressed;
            applied = suppression;
        }

        return new Finding(rule, severity, outcome, deployment.Name, deployment.Environment?.Name ?? string.Empty, path,
            deployment.DeclaredAt ?? SourceLocation.Unknown, message, applied?.Justification) { Suppression = applied };
    }
}
