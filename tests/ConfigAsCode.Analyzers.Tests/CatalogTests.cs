extern alias synthesis;

using System;
using System.IO;
using System.Linq;
using Xunit;
using Catalog = synthesis::ConfigAsCode.Synthesis.Rules.RuleCatalog;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>The analyzer's descriptors come from the same catalog as the build-time validator.</summary>
public sealed class CatalogTests
{
    [Fact]
    public void Every_statically_decidable_rule_has_a_descriptor_with_the_catalogs_identity()
    {
        var descriptors = new DeploymentAnalyzer().SupportedDiagnostics.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var rules = Catalog.All.Where(r => r.IsStaticallyCheckable).ToArray();

        Assert.Equal(rules.Select(r => r.Id).Order(StringComparer.Ordinal), descriptors.Keys.Order(StringComparer.Ordinal));
        foreach (var rule in rules)
        {
            var d = descriptors[rule.Id];
            Assert.Equal(rule.Title, d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("ConfigAsCode." + rule.Category, d.Category);
            Assert.Equal(rule.HelpLink, d.HelpLinkUri);
            Assert.Equal(rule.DefaultSeverity.ToString(), d.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Info ? "Info" : d.DefaultSeverity.ToString());
        }
    }

    [Fact]
    public void Release_tracking_lists_exactly_the_analyzer_rules()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "ConfigAsCode.sln")))
        {
            root = root.Parent;
        }

        var unshipped = File.ReadAllLines(Path.Combine(root.FullName, "analyzers", "ConfigAsCode.Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Where(l => l.StartsWith("CAC", StringComparison.Ordinal)).Select(l => l.Split('|')[0].Trim());

        Assert.Equal(new DeploymentAnalyzer().SupportedDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal), unshipped.Order(StringComparer.Ordinal));
    }
}
