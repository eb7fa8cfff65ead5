using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// The quickstart's commands work as written: every `sh` block's commands use paths that exist, and each
/// `sed` edit matches exactly one line of the sample. The sample build and the test command themselves run in
/// <see cref="SampleBuildTests"/> and in .ci/run.
/// </summary>
public sealed class DocsTests
{
    private static string Root => DotNet.RepositoryRoot;

    private static string[] Commands() =>
        Regex.Matches(File.ReadAllText(Path.Combine(Root, "docs", "quickstart.md")), "```sh\\n(.*?)```", RegexOptions.Singleline)
            .SelectMany(m => m.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .ToArray();

    [Fact]
    public void Every_quickstart_command_is_one_of_the_documented_tools_and_its_paths_exist()
    {
        var commands = Commands();

        Assert.Contains("dotnet build samples/InferencePlatform", commands);
        Assert.Contains("dotnet test ConfigAsCode.sln", commands);
        foreach (var command in commands)
        {
            Assert.Matches("^(dotnet|git|sed|ls|cat) ", command);
            foreach (Match path in Regex.Matches(command, @"(samples/InferencePlatform[^\s']*|ConfigAsCode\.sln)"))
            {
                var relative = path.Value.Replace("obj/Debug/net8.0/configascode/", string.Empty, StringComparison.Ordinal);
                if (!relative.Contains("report.md", StringComparison.Ordinal))
                {
                    Assert.True(File.Exists(Path.Combine(Root, relative)) || Directory.Exists(Path.Combine(Root, relative)), $"{command}: {relative} does not exist");
                }
            }
        }
    }

    [Fact]
    public void Every_sed_edit_in_the_quickstart_matches_exactly_one_line_of_the_sample()
    {
        var sample = File.ReadAllText(Path.Combine(Root, "samples", "InferencePlatform", "Deployments.cs"));

        foreach (var command in Commands().Where(c => c.StartsWith("sed ", StringComparison.Ordinal)))
        {
            var pattern = Regex.Match(command, "s/(.*?)/").Groups[1].Value;
            Assert.Single(Regex.Matches(sample, Regex.Escape(pattern)));
        }
    }

    [Fact]
    public void Every_docs_page_the_issues_require_exists()
    {
        foreach (var page in new[] { "quickstart.md", "concepts.md", "troubleshooting.md", "msbuild-reference.md", "cost-model.md", "compatibility.md", "versioning.md", "threat-model.md", "performance.md", "rules/README.md", "analyzers.md", "manifests.md" })
        {
            Assert.True(File.Exists(Path.Combine(Root, "docs", page)), page);
        }

        var recipes = Directory.GetFiles(Path.Combine(Root, "docs", "recipes"), "*.md").Select(Path.GetFileName).Where(f => f != "README.md").ToArray();
        var required = new[]
        {
            "add-a-deployment.md", "promote-staging-to-prod.md", "investigate-a-cost-spike.md", "accept-a-drift.md", "set-budgets.md",
            "canary-rollout.md", "gradual-ramp.md", "shadow-mode.md", "adopt-incrementally.md", "run-in-ci.md",
        };
        Assert.Empty(required.Except(recipes));
        var index = File.ReadAllText(Path.Combine(Root, "docs", "recipes", "README.md"));
        Assert.All(recipes, recipe => Assert.Contains($"]({recipe})", index, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Root, "docs", "rollouts.md")));
    }
}
