using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Microsoft.CodeAnalysis;

namespace ConfigAsCode.Analyzers;

/// <summary>Roslyn descriptors built from the shared <see cref="RuleCatalog"/>: one ID, title, category, severity and help link per rule.</summary>
internal static class AnalyzerDescriptors
{
    private static readonly Dictionary<string, DiagnosticDescriptor> ById = RuleCatalog.All.ToDictionary(r => r.Id, Create);

    /// <summary>The rules the analyzer decides from source.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Static { get; } =
        RuleCatalog.All.Where(r => r.IsStaticallyCheckable).Select(r => ById[r.Id]).ToImmutableArray();

    public static DiagnosticDescriptor For(RuleDescriptor rule) => ById[rule.Id];

    private static DiagnosticDescriptor Create(RuleDescriptor rule) => new(
        rule.Id,
        rule.Title,
        "{0}",
        "ConfigAsCode." + rule.Category,
        rule.DefaultSeverity switch
        {
            RuleSeverity.Error => DiagnosticSeverity.Error,
            RuleSeverity.Warning => DiagnosticSeverity.Warning,
            RuleSeverity.Info => DiagnosticSeverity.Info,
            _ => DiagnosticSeverity.Hidden,
        },
        isEnabledByDefault: rule.DefaultSeverity != RuleSeverity.None,
        description: rule.Title + ".",
        helpLinkUri: rule.HelpLink,
        customTags: rule.RefusesSuppression ? [WellKnownDiagnosticTags.NotConfigurable] : []);
}
