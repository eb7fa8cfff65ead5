using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>
/// The outcome of validating a platform, with compliant, non-compliant, undecided and suppressed counts
/// (the way cdk-nag reports), and the findings in a deterministic order.
/// </summary>
public sealed class ValidationReport
{
    internal ValidationReport(IReadOnlyList<Finding> findings, int evaluations)
    {
        Findings = findings
            .OrderBy(f => f.Environment, System.StringComparer.Ordinal)
            .ThenBy(f => f.Deployment, System.StringComparer.Ordinal)
            .ThenBy(f => f.Id, System.StringComparer.Ordinal)
            .ThenBy(f => f.PropertyPath, System.StringComparer.Ordinal)
            .ThenBy(f => f.Message, System.StringComparer.Ordinal)
            .ToArray();
        Evaluations = evaluations;
    }

    /// <summary>All findings, sorted by environment, deployment, rule, property path and message (ordinal).</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Rule x deployment checks performed.</summary>
    public int Evaluations { get; }

    /// <summary>Findings that count against the build.</summary>
    public IEnumerable<Finding> Violations => Findings.Where(f => f.Outcome == FindingOutcome.Violation);

    public int NonCompliantCount => Findings.Where(f => f.Outcome == FindingOutcome.Violation).Select(f => (f.Environment, f.Deployment, f.Id)).Distinct().Count();

    public int UndecidedCount => Findings.Count(f => f.Outcome == FindingOutcome.Undecided);

    public int SuppressedCount => Findings.Count(f => f.Outcome == FindingOutcome.Suppressed);

    /// <summary>Checks that passed: evaluations that produced no finding.</summary>
    public int CompliantCount => Evaluations - Findings.Select(f => (f.Environment, f.Deployment, f.Id)).Distinct().Count();

    /// <summary>True when any violation has error severity.</summary>
    public bool HasErrors => Violations.Any(f => f.Severity == RuleSeverity.Error);
}
