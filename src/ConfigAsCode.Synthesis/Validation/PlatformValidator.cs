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
        ReliabilityRules.All.Concat(RolloutRules.All).Concat(SecurityRules.All).Concat(GpuFitRules.All).Concat(CostRules.All).Concat(ReproducibilityRules.All)
            .OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();

    /// <summary>Every rule over the whole platform, by ID.</summary>
    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
        GpuFitRules.PlatformRules.Concat(ReproducibilityRules.PlatformRules).OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();

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
                raw.Add((d, RuleCatalog.DuplicateDeployment, "Name", $"'{d.Name}' is already declared in environment '{duplicate.Key.Item1}' (at {duplicate.First().DeclaredAt}). Rename one, or move it to another environment with In(...).", FindingOutcome.Violation));
            }
        }

        foreach (var deployment in deployments)
        {
            var context = new RuleContext(deployment, options);
            foreach (var rule in DeploymentRules)
            {
                if (options.SeverityOf(rule.Descriptor) == RuleSeverity.None)
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

                raw.AddRange(context.Findings.Select(f => (deployment, rule.Descriptor, f.PropertyPath, f.Message, f.Outcome)));
            }
        }

        foreach (var rule in PlatformRules)
        {
            if (options.SeverityOf(rule.Descriptor) == RuleSeverity.None)
            {
                continue;
            }

            evaluations += deployments.Count;
            rule.Check(deployments, options, (d, path, message) => raw.Add((d, rule.Descriptor, path, message, FindingOutcome.Violation)));
        }

        foreach (var deployment in deployments)
        {
            var suppressions = ResolveSuppressions(deployment, findings);
            foreach (var item in raw.Where(r => ReferenceEquals(r.Deployment, deployment)))
            {
                findings.Add(ToFinding(item.Deployment, item.Rule, item.Path, item.Message, item.Outcome, options, suppressions));
            }
        }

        return new ValidationReport(findings, evaluations);
    }

    private static Dictionary<string, string> ResolveSuppressions(InferenceDeployment deployment, List<Finding> findings)
    {
        var valid = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var suppression in deployment.Suppressions ?? [])
        {
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

            if (problem is null)
            {
                valid[rule!.Id] = suppression.Justification!.Trim();
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
        IReadOnlyDictionary<string, string> suppressions)
    {
        var severity = options.SeverityOf(rule);
        string? justification = null;
        if (outcome == FindingOutcome.Undecided)
        {
            severity = RuleSeverity.Info;
        }
        else if (suppressions.TryGetValue(rule.Id, out var reason))
        {
            outcome = FindingOutcome.Suppressed;
            justification = reason;
        }

        return new Finding(rule, severity, outcome, deployment.Name, deployment.Environment?.Name ?? string.Empty, path,
            deployment.DeclaredAt ?? SourceLocation.Unknown, message, justification);
    }
}
