using System.Linq;
using System.Threading.Tasks;
using Xunit;
using V = ConfigAsCode.Analyzers.Tests.Verify<ConfigAsCode.Analyzers.DeploymentAnalyzer>;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>The rules issue #15 moved to edit time or added: CAC1020, CAC1021, CAC9020, and the as-you-type halves of CAC5002, CAC1011, CAC1012 and CAC3004.</summary>
public sealed class NewRuleAnalyzerTests
{
    private const string Deployment = """
        var d = new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = MODEL,
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
            EXTRA
        };
        """;

    private const string Model = "new ModelSpec { Id = \"meta-llama/Llama-3.1-8B-Instruct\", Revision = \"0e9e39f249a16976918f6564b8830bc894c89659\" }";

    private static string Class(string body) => V.Usings + "class C\n{\n    void M()\n    {\n" + body + "\n    }\n}\n";

    private static string With(string model = Model, string extra = "") => Class(Deployment.Replace("MODEL", model, System.StringComparison.Ordinal).Replace("EXTRA", extra, System.StringComparison.Ordinal));

    private static string LoadTime(string load) => Model.Replace(" }", $", LoadTime = {load} }}", System.StringComparison.Ordinal);

    [Fact]
    public Task A_declared_load_time_over_the_default_startup_budget_is_CAC1020() =>
        V.Analyzer(With(LoadTime("{|CAC1020:TimeSpan.FromMinutes(25)|}")));

    [Fact]
    public Task A_load_time_within_the_budget_passes() => V.Analyzer(With(LoadTime("TimeSpan.FromMinutes(15)")));

    [Fact]
    public Task The_budget_follows_the_probes_the_declaration_writes()
    {
        string Body(string load, string probes) => Deployment.Replace("MODEL", LoadTime(load), System.StringComparison.Ordinal).Replace("EXTRA", probes, System.StringComparison.Ordinal);
        return V.Analyzer(Class(
            Body("TimeSpan.FromMinutes(25)", "Probes = HealthProbes.For(\"/health\", TimeSpan.FromMinutes(40)),")
            + "\n" + Body("{|CAC1020:TimeSpan.FromMinutes(2)|}", "Probes = new HealthProbes { Startup = new Probe { Path = \"/health\", InitialDelaySeconds = 30, FailureThreshold = 5 } },").Replace("var d =", "var e =", System.StringComparison.Ordinal)
            + "\n" + Body("TimeSpan.FromMinutes(2)", "Probes = new HealthProbes { Startup = HealthProbes.StartupFor(TimeSpan.FromMinutes(3)) with { Path = \"/ready\" } },").Replace("var d =", "var f =", System.StringComparison.Ordinal)));
    }

    [Fact]
    public Task A_load_time_from_a_static_readonly_field_is_followed() =>
        V.Analyzer(Class("""
            var m = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659", LoadTime = {|CAC1020:Slow|} };
            var d = new InferenceDeployment { Name = "a", Namespace = "b", Environment = DeploymentEnvironment.Dev, Model = m, Engine = new VllmEngine { MaxNumSeqs = 1, MaxNumBatchedTokens = 512 }, Image = new ContainerImage { Repository = "r", Tag = "v1" }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 }, Cost = new CostAttribution { Team = "t", CostCenter = "c" } };
            """).Replace("class C\n{", "class C\n{\n    static readonly TimeSpan Slow = TimeSpan.FromMinutes(20);", System.StringComparison.Ordinal)
            // The ModelSpec is a local: its load time is visible, the probes are the defaults.
            .Replace("{|CAC1020:Slow|}", "Slow", System.StringComparison.Ordinal).Replace("Model = m,", "Model = m with { LoadTime = {|CAC1020:Slow|} },", System.StringComparison.Ordinal));

    [Fact]
    public Task Objectives_impossible_on_their_own_are_CAC1021() =>
        V.Analyzer(Class("""
            var a = new ServiceLevelObjectives { Availability = {|CAC1021:1.0|}, MaxErrorRate = {|CAC1021:0.0|} };
            var b = new ServiceLevelObjectives { P95Latency = TimeSpan.FromSeconds(4), P99Latency = {|CAC1021:TimeSpan.FromSeconds(2)|} };
            var c = new ServiceLevelObjectives { P95Latency = {|CAC1021:TimeSpan.FromMilliseconds(300)|}, P95TimeToFirstToken = TimeSpan.FromMilliseconds(500) };
            var d = new ServiceLevelObjectives { P95TimeToFirstToken = {|CAC1021:TimeSpan.Zero|} };
            var ok = new ServiceLevelObjectives { Availability = 0.999, P95Latency = TimeSpan.FromSeconds(4), P99Latency = TimeSpan.FromSeconds(8), P95TimeToFirstToken = TimeSpan.FromMilliseconds(1) };
            """));

    [Fact]
    public Task A_timespan_the_runtime_refuses_is_CAC9020_and_the_deployments_other_checks_still_run() =>
        V.Analyzer(Class(Deployment.Replace("MODEL", Model, System.StringComparison.Ordinal).Replace("EXTRA",
            """
            Slos = new ServiceLevelObjectives { P95Latency = {|CAC9020:TimeSpan.FromSeconds(8e12)|}, P99Latency = {|CAC9020:TimeSpan.FromMinutes(double.NaN)|} },
                Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50)], Guardrails = new Guardrails { MaxP95Latency = {|CAC9020:new TimeSpan(int.MaxValue, 0, 0)|} } },
                Scaling = new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = 2 },
            """, System.StringComparison.Ordinal)));

    [Fact]
    public Task Timespans_within_range_are_quiet() =>
        V.Analyzer(Class("var a = TimeSpan.FromDays(10_000_000);\nvar b = TimeSpan.MaxValue;\nvar c = new TimeSpan(1, 2, 3);\nvar d = TimeSpan.FromTicks(long.MaxValue);"));

    [Fact]
    public Task A_malformed_production_digest_is_CAC5002() =>
        V.Analyzer(Class(Deployment.Replace("MODEL", Model, System.StringComparison.Ordinal).Replace("EXTRA", string.Empty, System.StringComparison.Ordinal)
            .Replace("Digest = \"sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3\"", "Digest = {|CAC5002:\"sha256:ABC\"|}", System.StringComparison.Ordinal)));

    [Fact]
    public Task A_memory_limit_below_its_request_is_CAC1011_with_the_models_defaults() =>
        V.Analyzer(Class("""
            var a = new PodResources { MemoryRequestMiB = 65536, MemoryLimitMiB = {|CAC1011:32768|} };
            var b = new PodResources { MemoryLimitMiB = {|CAC1011:16384|} };
            var c = new PodResources { CpuRequestMillicores = 8000, CpuLimitMillicores = {|CAC1011:4000|} };
            var d = new PodResources { SharedMemoryMiB = {|CAC1011:32768|} };
            var ok = new PodResources { MemoryRequestMiB = 16384 };
            var unknown = a with { MemoryLimitMiB = 40000 };
            """));

    [Fact]
    public Task Probe_timing_and_paths_are_CAC1012() =>
        V.Analyzer(Class("""
            var a = new Probe { Path = "/health", PeriodSeconds = 5, TimeoutSeconds = {|CAC1012:10|} };
            var b = new Probe { Path = "/health", TimeoutSeconds = {|CAC1012:11|} };
            var c = new Probe { Path = {|CAC1012:"health"|} };
            var d = new HealthProbes { Liveness = new Probe { Path = "/health", SuccessThreshold = {|CAC1012:2|} }, Readiness = new Probe { Path = "/health", SuccessThreshold = 2 } };
            var ok = new Probe { Path = "/health", PeriodSeconds = 5, TimeoutSeconds = 5 };
            """));

    [Fact]
    public Task Tgi_num_shard_is_checked_against_the_gpu_count() =>
        V.Analyzer(Class("""
            var d = new InferenceDeployment
            {
                Name = "tgi", Namespace = "inference", Environment = DeploymentEnvironment.Dev,
                Model = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                Engine = {|CAC3004:new TgiEngine { MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192 }|},
                Image = new ContainerImage { Repository = "tgi", Tag = "2.4.0" },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L40S, Count = 2 },
                Resources = new PodResources { SharedMemoryMiB = 8192 },
                Cost = new CostAttribution { Team = "t", CostCenter = "c" },
            };
            var e = d with { Engine = new TgiEngine { MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192, NumShard = {|CAC3004:0|} } };
            """));

    [Fact]
    public Task Messages_end_with_what_to_do_for_the_rules_that_only_described_the_problem() =>
        V.Analyzer(Class("""
            var s = new SecuritySpec { HostPid = {|CAC2005:true|}, ReadOnlyRootFilesystem = {|CAC2007:false|}, AddCapabilities = [{|CAC2006:"NET_ADMIN"|}] };
            var z = new ScalingSpec { MinReplicas = {|CAC1009:0|} };
            var d = new DisruptionBudget { MaxUnavailable = {|CAC1007:0|} };
            """));

    [Fact]
    public Task A_with_on_an_engine_keeps_the_pipeline_and_data_parallel_sizes_it_does_not_set() =>
        // Base's pipeline parallel 2 stays under the overlay: 2 x 2 = 4 GPUs is right, and "Set TensorParallelSize = 4"
        // would have made it 8. What the overlay leaves out is the operand's, not the default: the build judges it.
        V.Analyzer(V.Usings + """
            class C
            {
                static readonly VllmEngine Base = new() { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, TensorParallelSize = 2, PipelineParallelSize = 2 };

                InferenceDeployment M(InferenceDeployment template) =>
                    template with { Engine = Base with { TensorParallelSize = 2 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 4 }, Resources = new PodResources { SharedMemoryMiB = 16384 } };

                InferenceDeployment N(InferenceDeployment template) =>
                    template with { Engine = ((VllmEngine)template.Engine) with { TensorParallelSize = 2 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8 }, Resources = new PodResources { SharedMemoryMiB = 16384 } };
            }
            """);

    [Fact]
    public async Task Messages_read_the_same_in_every_culture()
    {
        // Swedish writes a negative number with U+2212 ("−2"): the compiler runs the analyzer under the user's culture.
        var source = V.Usings + "class C { object M() => new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1, Nodes = -2 }; object N() => new TgiEngine { MaxInputTokens = -5, NumShard = -1 }; }";
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("sv-SE");
        AnalyzerRun run;
        try
        {
            run = await AnalyzerRun.Of(source);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }

        var messages = run.Reported.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Contains(messages, m => m.StartsWith("-2 nodes per replica", System.StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("MaxInputTokens is -5;", System.StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("num-shard -1 is refused", System.StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain("\u2212", m, System.StringComparison.Ordinal));
    }
}
