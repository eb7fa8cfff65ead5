namespace ConfigAsCode.Synthesis.Rules;

/// <summary>Severity of a finding, ordered like Roslyn's: <see cref="None"/> disables a rule.</summary>
public enum RuleSeverity
{
    None = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
}
