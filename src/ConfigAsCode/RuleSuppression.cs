namespace ConfigAsCode;

/// <summary>
/// Suppresses one rule on one deployment. The justification must be at least ten characters; error-level
/// security rules refuse suppression. Suppressions are counted in every report, which lists each with its owner and
/// age. A suppression with <see cref="Expires"/> stops suppressing after that day, and the build then fails with
/// CAC9016 naming its owner, so an exception granted for a migration does not become permanent.
/// </summary>
/// <param name="RuleId">The rule, for example <c>CAC1006</c>.</param>
/// <param name="Justification">Why the finding is acceptable here.</param>
public sealed record RuleSuppression(string RuleId, string Justification)
{
    /// <summary>The shortest justification accepted.</summary>
    public const int MinimumJustificationLength = 10;

    /// <summary>The date format of <see cref="Since"/> and <see cref="Expires"/>: ISO 8601, <c>2027-03-31</c>.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Who answers for the exception (a person, team or channel), named when it expires.</summary>
    public string? Owner { get; init; }

    /// <summary>The day the exception was granted (<c>yyyy-MM-dd</c>); the reports show its age.</summary>
    public string? Since { get; init; }

    /// <summary>The last day the suppression applies (<c>yyyy-MM-dd</c>, inclusive); from the next day it is CAC9016.</summary>
    public string? Expires { get; init; }
}
