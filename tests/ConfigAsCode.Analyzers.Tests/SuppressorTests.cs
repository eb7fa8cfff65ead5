using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>A justified RuleSuppression in the same declaration suppresses the analyzer's diagnostic, with the build's checks, errors included.</summary>
public sealed class SuppressorTests
{
    private const string Deployment = """
        using System;
        using ConfigAsCode;

        public static class Platform
        {
            public static InferenceDeployment Chat() => new InferenceDeployment
            {
                Name = "chat",
                Namespace = "inference",
                Environment = DeploymentEnvironment.Prod,
                Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 },
                Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4" },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
                Security = new SecuritySpec { Privileged = true },
                Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                SUPPRESSIONS
            };
        }
        """;

    private static Task<AnalyzerRun> Run(string suppressions, string extra = "")
    {
        var source = Deployment.Replace("SUPPRESSIONS", suppressions, System.StringComparison.Ordinal);
        return AnalyzerRun.Of(source.Substring(0, source.LastIndexOf('}')) + extra + "\n}\n");
    }

    [Theory]
    [InlineData("Suppressions = [new RuleSuppression(\"CAC1006\", \"a batch tier; one replica is enough\")],")]
    [InlineData("Suppressions = [new RuleSuppression(Justification: \"a batch tier; one replica is enough\", RuleId: \"CAC1006\")],")]
    [InlineData("Suppressions = new[] { new RuleSuppression(RuleId: \"CAC1006\", Justification: \"a batch tier; one replica is enough\") },")]
    [InlineData("Suppressions = new System.Collections.Generic.List<RuleSuppression> { new(\"CAC1006\", Why) },")]
    public async Task A_justified_suppression_in_any_argument_order_suppresses_the_diagnostic_and_raises_no_CAC9010(string suppressions)
    {
        var run = await Run(suppressions, "    private const string Why = \"a batch tier; one replica is enough\";");

        Assert.Empty(run.Exceptions);
        Assert.DoesNotContain(run.Reported, d => d.Id is "CAC1006" or "CAC9010");
        var suppressed = Assert.Single(run.Suppressed, d => d.Id == "CAC1006");
        Assert.Contains(run.Reported, d => d.Id == "CAC5002"); // other findings stay
    }

    [Fact]
    public async Task A_suppression_that_expired_no_longer_suppresses_and_one_with_a_future_expiry_does()
    {
        var expired = await Run("Suppressions = [new RuleSuppression(\"CAC1006\", \"a batch tier; one replica is enough\") { Owner = \"team-evals\", Expires = \"2000-01-31\" }],");
        var current = await Run("Suppressions = [new RuleSuppression(\"CAC1006\", \"a batch tier; one replica is enough\") { Owner = \"team-evals\", Expires = \"2999-12-31\" }],");

        Assert.Contains(expired.Reported, d => d.Id == "CAC1006");
        Assert.Empty(expired.Suppressed);
        Assert.DoesNotContain(current.Reported, d => d.Id == "CAC1006");
        Assert.Single(current.Suppressed, d => d.Id == "CAC1006");
    }

    [Theory]
    [InlineData("Expires = \"31/12/2999\"")]
    [InlineData("Expires = \"2999-13-01\"")]
    [InlineData("Since = \"2999-06-01\", Expires = \"2999-01-01\"")]
    [InlineData("Expires = System.DateTime.UtcNow.AddDays(30).ToString(\"yyyy-MM-dd\")")]
    public async Task Dates_the_build_refuses_or_cannot_be_read_as_constants_do_not_suppress(string dates)
    {
        var run = await Run("Suppressions = [new RuleSuppression(\"CAC1006\", \"a batch tier; one replica is enough\") { " + dates + " }],");

        Assert.Empty(run.Exceptions);
        Assert.Contains(run.Reported, d => d.Id == "CAC1006");
        Assert.Empty(run.Suppressed);
    }

    [Fact]
    public async Task Without_a_suppression_the_diagnostic_is_reported()
    {
        var run = await Run(string.Empty);

        Assert.Contains(run.Reported, d => d.Id == "CAC1006");
        Assert.Empty(run.Suppressed);
    }

    [Theory]
    [InlineData("Suppressions = [new RuleSuppression(\"CAC1006\", \"too short\")],", "CAC1006")]
    [InlineData("Suppressions = [new RuleSuppression(\"CAC2003\", \"the driver needs privileged mode, really\")],", "CAC2003")]
    [InlineData("Suppressions = [new RuleSuppression(\"CAC5001\", \"not the rule that fires here at all\")],", "CAC1006")]
    public async Task A_short_justification_an_unsuppressible_rule_or_another_rule_suppresses_nothing(string suppressions, string stillReported)
    {
        var run = await Run(suppressions);

        Assert.Contains(run.Reported, d => d.Id == stillReported);
        Assert.DoesNotContain(run.Suppressed, d => d.Id == stillReported);
    }

    [Fact]
    public async Task An_error_level_rule_that_accepts_suppression_no_longer_fails_the_compile()
    {
        var run = await Run("Suppressions = [new RuleSuppression(\"CAC5002\", \"digest pinned by the admission controller\")],");

        Assert.Single(run.Suppressed, d => d.Id == "CAC5002");
        Assert.DoesNotContain(run.Reported, d => d.Id == "CAC5002");
    }

    [Fact]
    public async Task An_overlay_inherits_its_bases_suppressions_and_its_own_list_replaces_them()
    {
        var run = await AnalyzerRun.Of("""
            using ConfigAsCode;

            public static class Platform
            {
                public static InferenceDeployment[] All()
                {
                    var staging = new InferenceDeployment
                    {
                        Name = "chat", Namespace = "inference", Environment = DeploymentEnvironment.Staging,
                        Model = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                        Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 },
                        Image = new ContainerImage { Repository = "r", Tag = "v1", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
                        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                        Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                        Suppressions = [new RuleSuppression("CAC1006", "a batch tier; one replica is enough")],
                    };
                    var inherits = staging.In(DeploymentEnvironment.Prod) with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } };
                    var chained = staging.In(DeploymentEnvironment.Prod) with { Name = "chat-b" } with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } };
                    var replaces = staging.In(DeploymentEnvironment.Prod) with { Name = "chat-c", Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 }, Suppressions = [] };
                    var laterLink = staging.In(DeploymentEnvironment.Prod) with { Name = "chat-d", Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 }, Suppressions = [] } with { Suppressions = [new RuleSuppression("CAC1006", "restored for the later link")] };
                    return [staging, inherits, chained, replaces, laterLink];
                }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Equal(3, run.Suppressed.Count(d => d.Id == "CAC1006"));
        var reported = Assert.Single(run.Reported, d => d.Id == "CAC1006");
        Assert.Contains("chat-c", reported.Location.SourceTree!.GetText().GetSubText(reported.Location.SourceTree.GetLineSpan(reported.Location.SourceSpan).StartLinePosition.Line is var line ? reported.Location.SourceTree.GetText().Lines[line].Span : default).ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finding_outside_any_deployment_declaration_is_not_suppressed()
    {
        var run = await AnalyzerRun.Of("""
            using ConfigAsCode;

            public static class Shared
            {
                public static readonly ScalingSpec Single = new() { MinReplicas = 0, MaxReplicas = 1 };
            }
            """);

        Assert.Contains(run.Reported, d => d.Id == "CAC1009");
    }
}
