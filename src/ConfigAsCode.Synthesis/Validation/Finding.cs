using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>What a rule concluded about one deployment.</summary>
public enum FindingOutcome
{
    /// <summary>The rule fired.</summary>
    Violation,

    /// <summary>The rule could not be decided because facts are missing; never treated as a pass.</summary>
    Undecided,

    /// <summary>The rule fired but a justified suppression applies.</summary>
    Suppressed,
}

/// <summary>
/// One coded diagnostic: rule, severity, deployment, environment, property path, source location and a
/// message that says how to fix it. Messages never contain secret values.
/// </summary>
public sealed record Finding(
    RuleDescriptor Rule,
    RuleSeverity Severity,
    FindingOutcome Outcome,
    string Deployment,
    string Environment,
    string PropertyPath,
    SourceLocation Location,
    string Message,
    string? Justification = null)
{
    /// <summary>The rule ID.</summary>
    public string Id => Rule.Id;

    /// <summary>The suppression that applied (owner, since, expiry), for a suppressed finding.</summary>
    public RuleSuppression? Suppression { get; init; }

    /// <summary>Canonical one-line form, like a compiler diagnostic: <c>file(line): error CAC3004: [prod/chat] Engine.TensorParallelSize: message</c>.</summary>
    public override string ToString()
    {
        var where = Location.IsKnown ? $"{Location.FilePath}({Location.Line}): " : string.Empty;
        var outcome = Outcome switch
        {
            FindingOutcome.Undecided => "undecided: ",
            FindingOutcome.Suppressed => "suppressed: ",
            _ => string.Empty,
        };
        var severity = Severity switch
        {
            RuleSeverity.Error => "error",
            RuleSeverity.Warning => "warning",
            _ => "info",
        };
        var path = PropertyPath.Length == 0 ? string.Empty : PropertyPath + ": ";
        return $"{where}{severity} {Id}: {outcome}[{Environment}/{Deployment}] {path}{Message}";
    }
}
