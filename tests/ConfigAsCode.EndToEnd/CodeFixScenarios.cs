using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>
/// The analyzers and code fixes as a user gets them from the packed package: every fix run through
/// <c>dotnet format analyzers --diagnostics &lt;ID&gt;</c> (and all of them in one run, which is where fixes without a
/// usable Fix All were skipped), then a real build that must compile and no longer report the ID; and a justified
/// suppression that keeps CAC1006 out of an analyzers-only build while the gate counts it as suppressed.
/// </summary>
public sealed class CodeFixScenarios(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    // Every diagnostic a code fix exists for, each in a shape the fix used to break or skip: TensorParallelSize left out,
    // named arguments in reverse order, a named pause argument, probes set to null, a literal maximum below two.
    private const string Problems = """
        using ConfigAsCode;

        namespace E2E;

        public sealed class Platform : InferencePlatform
        {
            public override IEnumerable<InferenceDeployment> Declare()
            {
                yield return new InferenceDeployment
                {
                    Name = "chat",
                    Namespace = "inference",
                    Environment = DeploymentEnvironment.Prod,
                    Model = new ModelSpec { Id = "meta-llama/Llama-3.1-70B-Instruct", Revision = "945c8663693130f8be2ee66210e062158b2a9693" },
                    Engine = new VllmEngine
                    {
                        MaxNumSeqs = 64,
                        MaxNumBatchedTokens = 8192,
                        GpuMemoryUtilization = 0.98,
                    },
                    Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
                    Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 4 },
                    Resources = new PodResources { CpuRequestMillicores = 16000, MemoryRequestMiB = 131072, MemoryLimitMiB = 131072, SharedMemoryMiB = 16384 },
                    Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
                    Probes = new HealthProbes { Readiness = null, Startup = null, Liveness = null },
                    Env = [EnvVar.Literal(value: "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", name: "HF_TOKEN")],
                    Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(duration: null), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(10))] },
                    Slos = new ServiceLevelObjectives { MaxErrorRate = 0.01 },
                    Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                };
            }
        }
        """;

    private static readonly string[] FixedIds = ["CAC1001", "CAC1002", "CAC1003", "CAC1006", "CAC1015", "CAC2001", "CAC3002", "CAC3004"];

    [Fact]
    public void Each_fix_run_by_dotnet_format_compiles_and_removes_its_diagnostic()
    {
        var project = Project("OneByOne");
        var before = AnalyzersOnlyBuild(project);
        Assert.All(FixedIds, id => Assert.Contains(id, Codes(before.Output)));

        foreach (var id in FixedIds)
        {
            var format = Format(project, id);
            Assert.True(format.Succeeded, format.ToString());
            Assert.DoesNotContain("Unable to fix", format.Output, StringComparison.Ordinal);

            var build = AnalyzersOnlyBuild(project);
            Assert.DoesNotMatch(@"error CS\d{4}", build.Output);
            Assert.DoesNotContain(id, Codes(build.Output));
        }

        var source = File.ReadAllText(Path.Combine(project.Directory, "Deployments.cs"));
        Assert.Contains("TensorParallelSize = 4,", source, StringComparison.Ordinal);
        Assert.Contains("EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\")", source, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_abcdefghij", source, StringComparison.Ordinal);
        Assert.True(AnalyzersOnlyBuild(project).Succeeded);
    }

    [Fact]
    public void All_fixes_in_one_dotnet_format_run_are_applied()
    {
        var project = Project("AllAtOnce");

        var format = Format(project, string.Join(" ", FixedIds));
        var build = AnalyzersOnlyBuild(project);

        Assert.True(format.Succeeded, format.ToString());
        Assert.DoesNotContain("Unable to fix", format.Output, StringComparison.Ordinal);
        Assert.True(build.Succeeded, build.ToString());
        Assert.Empty(Codes(build.Output).Intersect(FixedIds));
    }

    [Fact]
    public void A_justified_suppression_hides_the_analyzer_diagnostic_even_an_error_and_the_gate_counts_it_as_suppressed()
    {
        var project = new ConfigProject(feed, output, "Suppressed");
        var deployments = Path.Combine(project.Directory, "Deployments.cs");
        var source = File.ReadAllText(deployments);
        var digest = Regex.Match(source, @", Digest = ""sha256:[0-9a-f]{64}""").Value;
        Assert.NotEmpty(digest);
        File.WriteAllText(deployments, source.Replace(digest, string.Empty, StringComparison.Ordinal).Replace(
            "Load = new ExpectedLoad { RequestsPerSecond = 2,",
            """
            Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
                        Suppressions =
                        [
                            new RuleSuppression(Justification: "internal tool, one replica is enough", RuleId: "CAC1006"),
                            new RuleSuppression("CAC5002", "pinned by the registry's admission policy"),
                        ],
                        Load = new ExpectedLoad { RequestsPerSecond = 0.2,
            """,
            StringComparison.Ordinal));

        var analyzersOnly = project.Build("-p:ConfigAsCodeEnabled=false");
        var gate = project.Build();

        // CAC5002 is an error: without the suppression this compile fails.
        Assert.True(analyzersOnly.Succeeded, analyzersOnly.ToString());
        Assert.DoesNotContain("CAC1006", analyzersOnly.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CAC5002", analyzersOnly.Output, StringComparison.Ordinal);
        Assert.Equal(["CAC9002"], DotNet.ErrorCodes(gate.Output)); // no snapshots yet: the gate ran, and only that fails
        Assert.Matches(@"rules: \d+ compliant, 0 non-compliant, \d+ undecided, 4 suppressed", gate.Output); // chat and summarize share both suppressions
    }

    private ConfigProject Project(string name)
    {
        var project = new ConfigProject(feed, output, name);
        File.WriteAllText(Path.Combine(project.Directory, "Deployments.cs"), Problems);
        var restore = DotNet.Run(project.Directory, $"restore \"{project.ProjectFile}\"", null, feed.Packages);
        Assert.True(restore.Succeeded, restore.ToString());
        return project;
    }

    private DotNet.Result Format(ConfigProject project, string ids)
    {
        var result = DotNet.Run(project.Directory, $"format analyzers \"{project.ProjectFile}\" --no-restore --diagnostics {ids} --severity info -v diag", null, feed.Packages);
        output.WriteLine($"$ dotnet format analyzers --diagnostics {ids}\n{result}");
        return result;
    }

    // The gate is off: this is the compile (with analyzers) an IDE runs, and warnings stay warnings.
    private static DotNet.Result AnalyzersOnlyBuild(ConfigProject project) =>
        project.Build("--no-restore -p:ConfigAsCodeEnabled=false -p:TreatWarningsAsErrors=false");

    private static string[] Codes(string output) =>
        Regex.Matches(output, @"(?:error|warning) (CAC\d{4}):").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToArray();
}
