using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// MSBuild's warning switches applied to the gate's diagnostics, in the host, so that the gate's own decisions (may
/// this accept write?) see the same errors the build reports: <c>NoWarn</c> turns a warning into a message,
/// <c>WarningsAsErrors</c> or <c>TreatWarningsAsErrors</c> into an error unless <c>WarningsNotAsErrors</c> lists it.
/// </summary>
public sealed record WarningPolicy(bool TreatWarningsAsErrors, IReadOnlySet<string> WarningsAsErrors, IReadOnlySet<string> WarningsNotAsErrors, IReadOnlySet<string> NoWarn)
{
    public static WarningPolicy None { get; } = new(false, new HashSet<string>(), new HashSet<string>(), new HashSet<string>());

    /// <summary>A policy from MSBuild's property values (codes separated by ';', ',' or spaces).</summary>
    public static WarningPolicy From(bool treatWarningsAsErrors, string? warningsAsErrors, string? warningsNotAsErrors, string? noWarn) =>
        new(treatWarningsAsErrors, Codes(warningsAsErrors), Codes(warningsNotAsErrors), Codes(noWarn));

    /// <summary>The severity MSBuild will report for a diagnostic of <paramref name="code"/> raised at <paramref name="severity"/>.</summary>
    public RuleSeverity Apply(string code, RuleSeverity severity)
    {
        if (severity != RuleSeverity.Warning)
        {
            return severity;
        }

        if (NoWarn.Contains(code))
        {
            return RuleSeverity.Info;
        }

        return !WarningsNotAsErrors.Contains(code) && (TreatWarningsAsErrors || WarningsAsErrors.Contains(code)) ? RuleSeverity.Error : severity;
    }

    private static HashSet<string> Codes(string? list) =>
        (list ?? string.Empty).Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
