using System;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// Issue #18 as a user sees it through <c>dotnet build</c> against the packed package: the pull-request verdict
/// against a base branch's reports, and a suppression that expires.
/// </summary>
public sealed class PrVerdictScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private static string Source(int replicas, string acknowledgment = "", string extra = "") => $$"""
        using ConfigAsCode;

        namespace E2E;

        public sealed class Platform : InferencePlatform
        {
            public override IEnumerable<CostBudget> Budgets() => [new CostBudget { Name = "ml-prod", Team = "ml", MonthlyUsd = 100_000m, MaxIncreasePercent = 10m }];

            public override IEnumerable<InferenceDeployment> Declare()
            {
                yield return new InferenceDeployment
                {
                    Name = "chat",
                    Namespace = "inference",
                    Environment = DeploymentEnvironment.Prod,
                    Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                    Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = 8192 },
                    Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
                    Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                    Scaling = new ScalingSpec { MinReplicas = {{replicas}}, MaxReplicas = 6 },
                    Cluster = new ClusterProfile { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" },
                    Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                    Load = new ExpectedLoad { RequestsPerSecond = 2, InputTokens = 500, OutputTokens = 100 },
                    {{acknowledgment}}
                    {{extra}}
                };
            }
        }
        """;

    [Fact]
    public void The_pr_comment_compares_with_the_base_branchs_reports_and_shows_an_acknowledgments_reason()
    {
        var project = new ConfigProject(feed, output, "Verdict");
        project.WriteDeploymentsSource(Source(2));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true").Succeeded);
        Assert.True(project.Build().Succeeded);
        var reports = Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode");
        var baseReport = Path.Combine(project.Directory, "base-report.json");
        var baseCost = Path.Combine(project.Directory, "base-cost.json");
        File.Copy(Path.Combine(reports, "report.json"), baseReport);
        File.Copy(Path.Combine(project.Snapshots, ".configascode", "cost.json"), baseCost);
        var against = $"-p:ConfigAsCodeCostBaseline={baseCost} -p:ConfigAsCodeBaseReport={baseReport} -p:ConfigAsCodeDiffLink=https://ci.example/runs/7";

        // The change as first pushed: one more replica, +50%, not acknowledged: the increase refuses the accept.
        project.WriteDeploymentsSource(Source(3));
        var refused = project.Build("-p:ConfigAsCodeAcceptChanges=true " + against);
        var first = File.ReadAllText(Path.Combine(reports, "pr-comment.md"));

        // Acknowledged, accepted locally, then built as CI builds it.
        project.WriteDeploymentsSource(Source(3, "CostIncreaseAcknowledgment = new(\"launch week: one more replica\"),"));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true").Succeeded);
        var ci = project.Build(against, new System.Collections.Generic.Dictionary<string, string> { ["CI"] = "true" });
        var second = File.ReadAllText(Path.Combine(reports, "pr-comment.md"));

        Assert.False(refused.Succeeded);
        Assert.StartsWith("<!-- configascode-pr-comment -->\n### ConfigAsCode: ❌ fails — ", first, StringComparison.Ordinal);
        Assert.Contains("+50%", first, StringComparison.Ordinal);
        Assert.Contains("min-replicas 2 → 3", first, StringComparison.Ordinal);
        Assert.Contains("<summary>New in this change (", first, StringComparison.Ordinal);
        Assert.Contains("error CAC4006", first, StringComparison.Ordinal);
        Assert.Contains("[Full diff](<https://ci.example/runs/7>)", first, StringComparison.Ordinal);

        Assert.True(ci.Succeeded, ci.ToString());
        Assert.Contains("### ConfigAsCode: ✅ passes — no errors", second, StringComparison.Ordinal);
        Assert.Contains("\"launch week: one more replica\"", second, StringComparison.Ordinal);
        Assert.Contains("**Findings against the base branch:** 0 new, 0 resolved", second, StringComparison.Ordinal);
    }

    [Fact]
    public void A_suppression_that_expired_fails_the_build_naming_its_owner_and_the_report_lists_it_before()
    {
        var project = new ConfigProject(feed, output, "Expiry");
        project.WriteDeploymentsSource(Source(2, extra: """
            DisruptionBudget = null,
                    Suppressions = [new RuleSuppression("CAC1007", "drained by hand during the GPU migration") { Owner = "team-platform", Since = "2026-11-01", Expires = "2026-12-31" }],
            """));
        Assert.True(project.Build("-p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeToday=2026-12-01").Succeeded);

        var before = project.Build("-p:ConfigAsCodeToday=2026-12-31");
        var markdown = File.ReadAllText(Path.Combine(project.Directory, "obj", "Debug", "net10.0", "configascode", "report.md"));
        var after = project.Build("-p:ConfigAsCodeToday=2027-01-01");
        var badDay = project.Build("-p:ConfigAsCodeToday=01/01/2027");

        Assert.True(before.Succeeded, before.ToString());
        Assert.Contains("| chat | prod | CAC1007 | team-platform | 60 d (since 2026-11-01) | 2026-12-31 (0 d left) |", markdown, StringComparison.Ordinal);
        Assert.False(after.Succeeded);
        Assert.Contains("error CAC9016", after.Output, StringComparison.Ordinal);
        Assert.Contains("owner: team-platform", after.Output, StringComparison.Ordinal);
        Assert.Contains("warning CAC1007", after.Output, StringComparison.Ordinal);
        Assert.False(badDay.Succeeded);
        Assert.Contains("ConfigAsCodeToday is '01/01/2027'", badDay.Output, StringComparison.Ordinal);
    }
}
