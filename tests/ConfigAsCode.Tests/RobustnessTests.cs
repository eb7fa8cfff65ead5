using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Nonsense values become coded findings, never exceptions; undecided rules say so.</summary>
public sealed class RobustnessTests
{
    public static IEnumerable<object[]> Nonsense()
    {
        yield return ["negative replicas", Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = -3, MaxReplicas = -1 } }, "CAC1010"];
        yield return ["NaN gpu-memory-utilization", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { GpuMemoryUtilization = double.NaN } }, "CAC3001"];
        yield return ["negative gpu-memory-utilization", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { GpuMemoryUtilization = -0.5 } }, "CAC3001"];
        yield return ["zero GPUs with a GPU model", Fixtures.Compliant() with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 0 } }, "CAC3012"];
        yield return ["negative GPUs", Fixtures.Compliant() with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = -2 } }, "CAC3012"];
        yield return ["zero tensor parallel", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { TensorParallelSize = 0 } }, "CAC3004"];
        yield return ["unknown model without facts", Fixtures.Compliant() with { Model = new ModelSpec { Id = "acme/mystery", Revision = Fixtures.Revision } }, "CAC3010"];
        yield return ["infinite scaling target", Fixtures.Compliant() with { Scaling = new ScalingSpec { Signal = ScalingSignal.QueueDepth(double.PositiveInfinity) } }, "CAC1010"];
        yield return ["negative max-model-len", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxModelLen = -5 } }, "CAC3007"];
        yield return ["negative kv-cache bytes", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { KvCacheMemoryBytes = -1 } }, "CAC3008"];
        yield return ["layer groups that do not add up", Fixtures.Compliant() with { Model = new ModelSpec { Id = "x/y", Revision = Fixtures.Revision, Architecture = ModelCatalog.Llama31_8B.Architecture with { LayerGroups = [LayerGroup.Full(10)] } } }, "CAC3010"];
        yield return ["zero data parallel", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { DataParallelSize = 0 } }, "CAC3004"];
        yield return ["zero-layer architecture", Fixtures.Compliant() with { Model = new ModelSpec { Id = "x/y", Revision = Fixtures.Revision, Architecture = ModelCatalog.Llama31_8B.Architecture with { Layers = 0 } } }, "CAC3010"];
        yield return ["null scaling", Fixtures.Compliant() with { Scaling = null! }, "CAC1010"];
        yield return ["null probes", Fixtures.Compliant() with { Probes = null! }, "CAC1012"];
        yield return ["null accelerator", Fixtures.Compliant() with { Accelerator = null! }, "CAC3012"];
        yield return ["huge token counts", Fixtures.Compliant() with { Load = new ExpectedLoad { RequestsPerSecond = 1e300, InputTokens = int.MaxValue, OutputTokens = int.MaxValue } }, "CAC3009"];
        yield return ["zero max-num-seqs", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 0 } }, "CAC3019"];
        yield return ["int.MinValue max-num-batched-tokens", Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumBatchedTokens = int.MinValue } }, "CAC3019"];
        yield return ["negative TGI budget", RuleFiringTests.Tgi() with { Engine = RuleFiringTests.TgiEngineCompliant() with { MaxBatchTotalTokens = -5 } }, "CAC3011"];
        yield return ["NaN load", Fixtures.Compliant() with { Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 1, OutputTokens = 1, TargetUtilization = double.NaN } }, "CAC4003"];
        yield return ["zero nodes", MultiNodeFixtures.Llama405B() with { Pool = null, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = 0 } }, "CAC3012"];
        yield return ["negative nodes", MultiNodeFixtures.Llama405B() with { Pool = null, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = -2 } }, "CAC3012"];
        yield return ["int.MaxValue nodes and GPUs", MultiNodeFixtures.Llama405B() with { Pool = null, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = int.MaxValue, Nodes = int.MaxValue } }, "CAC3014"];
        yield return ["undefined interconnect", MultiNodeFixtures.Llama405B() with { Pool = null, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = 2, Interconnect = (NodeInterconnect)7 } }, "CAC3026"];
        yield return ["multi-node TGI", RuleFiringTests.Tgi() with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L40S, Count = 1, Nodes = 2 } }, "CAC3026"];
        yield return ["null pool strings", Fixtures.Compliant() with { Pool = new InferencePoolSpec { Gateway = null!, Hostnames = null!, HeaderMatches = null!, PathPrefix = null!, Canary = new PoolCanary { Candidate = null!, Weight = 500 } } }, "CAC1034"];
        yield return ["null hostname and header value", Fixtures.Compliant() with { Pool = new InferencePoolSpec { Gateway = "gw", Hostnames = [null!], HeaderMatches = new Dictionary<string, string> { ["x-model"] = null! } } }, "CAC1034"];
        yield return ["zero route timeout", Fixtures.Compliant() with { Pool = new InferencePoolSpec { Gateway = "gw", RequestTimeout = TimeSpan.Zero } }, "CAC1034"];
        yield return ["NaN KV-cache target", MultiNodeFixtures.KedaScaled() with { Scaling = MultiNodeFixtures.KedaScaled().Scaling with { Keda = new KedaScaling { KvCacheUsageTarget = double.NaN } } }, "CAC1033"];
        yield return ["negative KEDA cooldown", MultiNodeFixtures.KedaScaled() with { Scaling = MultiNodeFixtures.KedaScaled().Scaling with { Keda = new KedaScaling { CooldownPeriod = TimeSpan.FromSeconds(-1), PollingInterval = TimeSpan.MaxValue } } }, "CAC1033"];
        yield return ["KEDA on a metric name that breaks PromQL", MultiNodeFixtures.KedaScaled() with { Scaling = MultiNodeFixtures.KedaScaled().Scaling with { Signal = ScalingSignal.QueueDepth(5, "vllm:waiting\"}) or vector(1e9") } }, "CAC1033"];
    }

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void Nonsense_values_render_or_are_refused_without_an_exception(string what, InferenceDeployment deployment, string expectedCode)
    {
        _ = expectedCode;
        var result = Synthesis.Rendering.ManifestRenderer.Render([deployment]);

        Assert.True(result.Files.Count > 0 || result.Findings.Count > 0, what);
        Assert.All(result.Findings, f => Assert.StartsWith("CAC9", f.Id, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void Nonsense_values_get_coded_findings_and_never_an_exception(string what, InferenceDeployment deployment, string expectedCode)
    {
        var report = Fixtures.Validate(deployment);

        Assert.True(report.Findings.Any(f => f.Id == expectedCode), $"{what}: expected {expectedCode}, got {string.Join(Environment.NewLine, report.Findings)}");
        Assert.All(report.Findings, f => Assert.StartsWith("CAC", f.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Probe_timings_whose_product_exceeds_a_timespan_render_instead_of_throwing()
    {
        var deployment = Fixtures.Compliant() with { Probes = new HealthProbes { Startup = new Probe { Path = "/health", PeriodSeconds = int.MaxValue, FailureThreshold = int.MaxValue } } };

        Assert.Equal(TimeSpan.MaxValue, deployment.Probes.Startup!.Tolerance);
        Assert.Empty(Fixtures.Validate(deployment).Findings);
        var rendered = Synthesis.Rendering.ManifestRenderer.Render([deployment]);
        Assert.Contains(rendered.Files, f => f.Path.EndsWith("deployment-chat-8b.yaml", StringComparison.Ordinal) && System.Text.Encoding.UTF8.GetString(f.Utf8).Contains("progressDeadlineSeconds: 2147483647", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_models_report_gpu_fit_rules_as_undecided_not_passed()
    {
        var deployment = Fixtures.CompliantMultiGpu() with { Model = new ModelSpec { Id = "acme/house-model-70b", Revision = Fixtures.Revision } };

        var report = Fixtures.Validate(deployment);

        var undecided = report.Findings.Where(f => f.Outcome == FindingOutcome.Undecided).Select(f => f.Id).ToArray();
        Assert.Contains("CAC3005", undecided);
        Assert.Contains("CAC3008", undecided);
        Assert.Contains("CAC3009", undecided);
        Assert.All(report.Findings.Where(f => f.Outcome == FindingOutcome.Undecided), f => Assert.Equal(RuleSeverity.Info, f.Severity));
        Assert.Equal(undecided.Length, report.UndecidedCount);
        Assert.Contains("CAC3010", report.ViolationIds());
    }

    [Fact]
    public void Concurrency_is_undecided_without_an_expected_load()
    {
        var report = Fixtures.Validate(Fixtures.Compliant() with { Load = null });

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("CAC3009", FindingOutcome.Undecided), (finding.Id, finding.Outcome));
        Assert.Contains("expected load", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_carry_deployment_environment_path_and_source_line()
    {
        var deployment = Fixtures.Compliant() with { Namespace = "default" };

        var finding = Assert.Single(Fixtures.Validate(deployment).Findings);

        Assert.Equal(("chat-8b", "prod", "Namespace"), (finding.Deployment, finding.Environment, finding.PropertyPath));
        Assert.EndsWith("Fixtures.cs", finding.Location.FilePath, StringComparison.Ordinal);
        Assert.True(finding.Location.Line > 0);
        Assert.Matches(@"^.+Fixtures\.cs\(\d+\): error CAC2008: \[prod/chat-8b\] Namespace: the 'default' namespace", finding.ToString());
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    [InlineData("ar-SA")]
    [InlineData("ja-JP")]
    [InlineData("sv-SE")]
    public void Messages_are_identical_under_every_culture(string culture)
    {
        var deployments = new[]
        {
            Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { GpuMemoryUtilization = 0.975, MaxModelLen = 131_072 }, Scaling = new ScalingSpec { MinReplicas = -1, MaxReplicas = 2 } },
        };
        var invariant = Render(deployments);

        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            Assert.Equal(invariant, Render(deployments));
            Assert.Equal(previous.Name, previous.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        static string Render(InferenceDeployment[] d) => string.Join("\n", Fixtures.Validate(d).Findings.Select(f => f.ToString()));
    }

    [Fact]
    public void Validation_restores_the_callers_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Fixtures.Validate(Fixtures.Compliant());
            Assert.Equal("de-DE", CultureInfo.CurrentCulture.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Findings_are_sorted_deterministically()
    {
        var a = Fixtures.Compliant() with { Name = "b-model", Cost = null, Namespace = "default" };
        var b = Fixtures.Compliant(DeploymentEnvironment.Dev) with { Name = "a-model", Cost = null };

        var forward = Fixtures.Validate(a, b).Findings.Select(f => f.ToString()).ToArray();
        var backward = Fixtures.Validate(b, a).Findings.Select(f => f.ToString()).ToArray();

        Assert.Equal(forward, backward);
        Assert.StartsWith("[dev/a-model]", forward[0].Substring(forward[0].IndexOf('[', StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
