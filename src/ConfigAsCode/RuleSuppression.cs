namespace ConfigAsCode;

/// <summary>
/// Suppresses one rule on one deployment. The justification must be at least ten characters; error-level
/// security rules refuse suppression. Suppressions are counted in every report.
/// </summary>
/// <param name="RuleId">The rule, for example <c>CAC1006</c>.</param>
/// <param name="Justification">Why the finding is acceptable here.</param>
public sealed record RuleSuppression(string RuleId, string Justification)
{
    /// <summary>The shortest justification accepted.</summary>
    public const int MinimumJustificationLength = 10;
}
