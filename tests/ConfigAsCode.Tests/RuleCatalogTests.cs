using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>The catalog is the one source of rule identity, and every rule has its documentation page.</summary>
public sealed class RuleCatalogTests
{
    [Fact]
    public void There_are_at_least_25_rules_over_evaluated_values_in_CAC1xxx_to_CAC5xxx()
    {
        Assert.True(RuleCatalog.All.Count(r => r.Category != RuleCategory.Tool) >= 25);
    }

    [Fact]
    public void Ids_are_unique_well_formed_and_in_their_categorys_range()
    {
        Assert.Equal(RuleCatalog.All.Count, RuleCatalog.All.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(RuleCatalog.All, r =>
        {
            Assert.Matches("^CAC[0-9]{4}$", r.Id);
            Assert.Equal((int)r.Category, r.Id[3] - '0');
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
        });
    }

    [Fact]
    public void Every_catalog_rule_is_implemented_exactly_once()
    {
        var implemented = PlatformValidator.DeploymentRules.Select(r => r.Descriptor.Id)
            .Concat(PlatformValidator.PlatformRules.Select(r => r.Descriptor.Id))
            .ToArray();
        var toolRules = RuleCatalog.All.Where(r => r.Category == RuleCategory.Tool).Select(r => r.Id)
            .Concat([RuleCatalog.UnknownPrice.Id, RuleCatalog.BudgetExceeded.Id, RuleCatalog.CostIncreaseOverThreshold.Id, RuleCatalog.CostBaselineUnreadable.Id, RuleCatalog.BudgetCoversNothing.Id]).ToArray(); // the cost model owns CAC4004-CAC4006, CAC4009 and CAC4010

        Assert.Equal(implemented.Length, implemented.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            RuleCatalog.All.Select(r => r.Id).Except(toolRules).Concat(implemented.Where(i => i is "CAC9006" or "CAC9010")).Distinct().OrderBy(i => i, StringComparer.Ordinal),
            implemented.OrderBy(i => i, StringComparer.Ordinal));
    }

    [Fact]
    public void Only_error_rules_refuse_suppression()
    {
        Assert.All(RuleCatalog.All.Where(r => r.RefusesSuppression), r => Assert.Equal(RuleSeverity.Error, r.DefaultSeverity));
    }

    [Fact]
    public void Every_rule_has_a_documentation_page_with_the_required_sections_and_its_help_link_points_to_it()
    {
        foreach (var rule in RuleCatalog.All)
        {
            var page = Path.Combine(Fixtures.RepositoryRoot, rule.DocumentationPath);
            Assert.True(File.Exists(page), $"{rule.Id}: missing {rule.DocumentationPath}");
            Assert.EndsWith("/" + rule.DocumentationPath, rule.HelpLink, StringComparison.Ordinal);

            var text = File.ReadAllText(page);
            Assert.StartsWith("---\n", text, StringComparison.Ordinal);
            Assert.Contains($"id: {rule.Id}", text, StringComparison.Ordinal);
            Assert.Contains($"title: \"{rule.Title}\"", text, StringComparison.Ordinal);
            Assert.Contains($"severity: {rule.DefaultSeverity.ToString().ToLowerInvariant()}", text, StringComparison.Ordinal);
            Assert.Contains($"decidable-from-source: {(rule.IsStaticallyCheckable ? "yes" : "no")}", text, StringComparison.Ordinal);
            foreach (var section in new[] { "## Cause", "## Why it matters", "## How to fix", "## Example that violates", "## Example that does not violate", "## How to suppress" })
            {
                Assert.True(text.Contains(section, StringComparison.Ordinal), $"{rule.Id}: missing section '{section}'");
            }
        }
    }

    [Fact]
    public void The_rules_index_lists_every_rule_and_nothing_else()
    {
        var index = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "rules", "README.md"));

        var listed = Regex.Matches(index, @"\[(CAC\d{4})\]\(CAC\d{4}\.md\)").Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(RuleCatalog.All.Select(r => r.Id), listed);
        foreach (var rule in RuleCatalog.All)
        {
            Assert.Contains($"[{rule.Id}]({rule.Id}.md) | {rule.Title} |", index, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("None", "none")]
    [InlineData("Strict", "error")]
    public void Each_analyzer_preset_sets_every_edit_time_rule_and_nothing_else(string mode, string severity)
    {
        var preset = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "msbuild", "ConfigAsCode.Build", "build", $"ConfigAsCode.{mode}.globalconfig"));

        var listed = Regex.Matches(preset, @"dotnet_diagnostic\.(CAC\d{4})\.severity = (\w+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToArray();

        Assert.Equal(RuleCatalog.All.Where(r => r.IsStaticallyCheckable).Select(r => (r.Id, severity)), listed);
    }

    [Fact]
    public void No_page_documents_a_rule_that_does_not_exist()
    {
        var pages = Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot, "docs", "rules"), "CAC*.md").Select(Path.GetFileNameWithoutExtension);

        Assert.Empty(pages.Except(RuleCatalog.All.Select(r => r.Id)));
    }
}
