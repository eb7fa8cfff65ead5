using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using ConfigAsCode.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using V = ConfigAsCode.Analyzers.Tests.Verify<ConfigAsCode.Analyzers.DeploymentAnalyzer>;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// Every fix produces compiling code (the harness fails on a compiler error in the fixed source) for values written
/// inline, through constants, with named arguments and with the property left out; and Fix All works the way
/// <c>dotnet format analyzers --diagnostics A B</c> drives it.
/// </summary>
public sealed class CodeFixTests
{
    private const string Prod = """
        var d = new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-70B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = ENGINE,
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 4 },
            Resources = new PodResources { SharedMemoryMiB = 16384 },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
        };
        """;

    private static string Class(string body, string members = "") => V.Usings + "class C\n{\n" + members + "    void M()\n    {\n" + body + "\n    }\n}\n";

    private static string Deployment(string engine) => Class(Prod.Replace("ENGINE", engine, StringComparison.Ordinal));

    [Theory]
    [InlineData("{|CAC3004:new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 }|}", "new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, TensorParallelSize = 4 }")]
    [InlineData("new VllmEngine { TensorParallelSize = {|CAC3004:2|}, MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 }", "new VllmEngine { TensorParallelSize = 4, MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 }")]
    [InlineData("{|CAC3004:new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, PipelineParallelSize = 2 }|}", "new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, PipelineParallelSize = 2, TensorParallelSize = 2 }")]
    [InlineData("{|CAC3004:{|CAC5004:new VllmEngine()|}|}", "{|CAC5004:new VllmEngine() { TensorParallelSize = 4 }|}")]
    [InlineData("{|CAC3004:{|CAC5004:new VllmEngine { }|}|}", "{|CAC5004:new VllmEngine { TensorParallelSize = 4 }|}")]
    [InlineData("{|CAC3004:new TgiEngine { MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192 }|}", "new TgiEngine { MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192, NumShard = 4 }")]
    [InlineData("new TgiEngine { NumShard = {|CAC3004:8|}, MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192 }", "new TgiEngine { NumShard = 4, MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192 }")]
    public Task The_parallelism_fix_sets_or_adds_the_property(string engine, string fixedEngine) =>
        V.Fix<CAC3004ParallelismCodeFix>(Deployment(engine), Deployment(fixedEngine), CAC3004ParallelismCodeFix.Key);

    [Fact]
    public Task The_parallelism_fix_keeps_a_multi_line_initializer_and_its_trailing_comma() => V.Fix<CAC3004ParallelismCodeFix>(
        Deployment("""
            {|CAC3004:new VllmEngine
                {
                    MaxNumSeqs = 32,
                    MaxNumBatchedTokens = 8192,
                }|}
            """),
        Deployment("""
            new VllmEngine
                {
                    MaxNumSeqs = 32,
                    MaxNumBatchedTokens = 8192,
                    TensorParallelSize = 4,
                }
            """),
        CAC3004ParallelismCodeFix.Key);

    [Fact]
    public Task A_parallelism_that_no_tensor_size_can_fix_gets_no_fix() =>
        V.Fix<CAC3004ParallelismCodeFix>(
            Deployment("{|CAC3004:new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, PipelineParallelSize = 3 }|}"),
            Deployment("{|CAC3004:new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, PipelineParallelSize = 3 }|}"),
            CAC3004ParallelismCodeFix.Key,
            iterations: 0,
            fixAllIterations: 0);

    [Fact]
    public Task The_replica_fix_replaces_a_constant_and_raises_a_literal_maximum() => V.Fix<CAC1006TwoReplicasCodeFix>(
        Class("""
            var a = new InferenceDeployment { Name = "a", Namespace = "b", Environment = DeploymentEnvironment.Prod, Model = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" }, Engine = new VllmEngine { MaxNumSeqs = 1, MaxNumBatchedTokens = 512 }, Image = new ContainerImage { Repository = "r", Tag = "v1", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 }, Cost = new CostAttribution { Team = "t", CostCenter = "c" },
                Scaling = new ScalingSpec { MaxReplicas = 1, MinReplicas = {|CAC1006:One|} } };
            var b = a with { Scaling = new ScalingSpec { MinReplicas = {|CAC1006:1|} } };
            """, "    const int One = 1;\n"),
        Class("""
            var a = new InferenceDeployment { Name = "a", Namespace = "b", Environment = DeploymentEnvironment.Prod, Model = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" }, Engine = new VllmEngine { MaxNumSeqs = 1, MaxNumBatchedTokens = 512 }, Image = new ContainerImage { Repository = "r", Tag = "v1", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 }, Cost = new CostAttribution { Team = "t", CostCenter = "c" },
                Scaling = new ScalingSpec { MaxReplicas = 2, MinReplicas = 2 } };
            var b = a with { Scaling = new ScalingSpec { MinReplicas = 2 } };
            """, "    const int One = 1;\n"),
        CAC1006TwoReplicasCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task The_pause_fix_keeps_a_named_argument() => V.Fix<CAC1015TimedPauseCodeFix>(
        Class("var a = CanaryStep.Pause(duration: {|CAC1015:null|});\nvar b = CanaryStep.Pause({|CAC1015:default|});"),
        Class("var a = CanaryStep.Pause(duration: TimeSpan.FromMinutes(10));\nvar b = CanaryStep.Pause(TimeSpan.FromMinutes(10));"),
        CAC1015TimedPauseCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task The_probe_fix_restores_each_default_including_liveness() => V.Fix<CAC1001DefaultProbeCodeFix>(
        Class("var p = new HealthProbes { Liveness = {|CAC1003:null|}, Readiness = {|CAC1001:NoProbe|} };", "    static readonly Probe? NoProbe = null;\n"),
        Class("var p = new HealthProbes { Liveness = new HealthProbes().Liveness, Readiness = new HealthProbes().Readiness };", "    static readonly Probe? NoProbe = null;\n"),
        CAC1001DefaultProbeCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task The_utilisation_fix_covers_out_of_range_values_too() => V.Fix<CAC3002GpuMemoryUtilizationCodeFix>(
        Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3001:1.5|} };\nvar b = new VllmEngine { GpuMemoryUtilization = {|CAC3002:High|}, MaxNumSeqs = 8, MaxNumBatchedTokens = 2048 };", "    const double High = 0.99;\n"),
        Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = 0.90 };\nvar b = new VllmEngine { GpuMemoryUtilization = 0.90, MaxNumSeqs = 8, MaxNumBatchedTokens = 2048 };", "    const double High = 0.99;\n"),
        CAC3002GpuMemoryUtilizationCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task The_parallelism_fix_copies_no_comment_of_the_last_property_to_the_one_it_adds() => V.Fix<CAC3004ParallelismCodeFix>(
        TwoDeployments(
            """
            {|CAC3004:new VllmEngine
                {
                    MaxNumSeqs = 32,
                    // measured in the March load test
                    MaxNumBatchedTokens = 8192 // tuned for H100
                }|}
            """,
            """
            {|CAC3004:new VllmEngine
                {
                    MaxNumSeqs = 32,
                    // measured in the March load test
                    MaxNumBatchedTokens = 8192, // tuned for H100
                }|}
            """),
        TwoDeployments(
            """
            new VllmEngine
                {
                    MaxNumSeqs = 32,
                    // measured in the March load test
                    MaxNumBatchedTokens = 8192, // tuned for H100
                    TensorParallelSize = 4
                }
            """,
            """
            new VllmEngine
                {
                    MaxNumSeqs = 32,
                    // measured in the March load test
                    MaxNumBatchedTokens = 8192, // tuned for H100
                    TensorParallelSize = 4,
                }
            """),
        CAC3004ParallelismCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task No_parallelism_fix_is_offered_on_an_empty_initializer_that_holds_a_comment()
    {
        // The empty-initializer rewrite writes '{ TensorParallelSize = 4 }' on one line and dropped the comment with the
        // braces' trivia.
        var source = Deployment("""
            {|CAC3004:{|CAC5004:new VllmEngine
                {
                    // every other value left to vLLM: measured in the March load test
                }|}|}
            """);
        return V.Fix<CAC3004ParallelismCodeFix>(source, source, CAC3004ParallelismCodeFix.Key, iterations: 0, fixAllIterations: 0);
    }

    private static string TwoDeployments(string first, string second) =>
        Class(Prod.Replace("ENGINE", first, StringComparison.Ordinal) + "\n" + Prod.Replace("ENGINE", second, StringComparison.Ordinal).Replace("var d =", "var e =", StringComparison.Ordinal));

    [Fact]
    public Task No_parallelism_fix_is_offered_where_a_preprocessor_region_may_set_the_property() =>
        // Copying the '#if' that leads the last assignment unbalances the directives; adding the property after an inactive
        // region that sets it is CS1912 (duplicate initialization) once the symbol is defined.
        V.Fix<CAC3004ParallelismCodeFix>(
            Deployment("""
                {|CAC3004:new VllmEngine
                    {
                        MaxNumSeqs = 32,
                #if MULTI_GPU
                        TensorParallelSize = 4,
                #endif
                        MaxNumBatchedTokens = 8192,
                    }|}
                """),
            Deployment("""
                {|CAC3004:new VllmEngine
                    {
                        MaxNumSeqs = 32,
                #if MULTI_GPU
                        TensorParallelSize = 4,
                #endif
                        MaxNumBatchedTokens = 8192,
                    }|}
                """),
            CAC3004ParallelismCodeFix.Key,
            iterations: 0,
            fixAllIterations: 0);

    private const string ProdScaling = """
        var a = new InferenceDeployment { Name = "a", Namespace = "b", Environment = DeploymentEnvironment.Prod, Model = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" }, Engine = new VllmEngine { MaxNumSeqs = 1, MaxNumBatchedTokens = 512 }, Image = new ContainerImage { Repository = "r", Tag = "v1", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 }, Cost = new CostAttribution { Team = "t", CostCenter = "c" },
            Scaling = SCALING };
        """;

    [Theory]
    // KEDA refuses MinReplicas == MaxReplicas (CAC1033, an error): raising the minimum to a maximum of 2 trades a warning for it.
    [InlineData("new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = 2, Keda = new KedaScaling() }")]
    [InlineData("new ScalingSpec { MinReplicas = {|CAC1006:1|}, Keda = new KedaScaling() }")]
    // A 'with' keeps its operand's maximum, which may be 1: MinReplicas 2 above it is CAC1010, an error.
    [InlineData("Shared with { MinReplicas = {|CAC1006:1|} }")]
    // A maximum the analyzer cannot read.
    [InlineData("new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = System.Environment.ProcessorCount }")]
    public Task No_replica_fix_is_offered_where_two_replicas_would_be_invalid_or_the_maximum_is_unknown(string scaling)
    {
        var source = Class(ProdScaling.Replace("SCALING", scaling, StringComparison.Ordinal), "    static readonly ScalingSpec Shared = new() { MinReplicas = 1, MaxReplicas = 1 };\n");
        return V.Fix<CAC1006TwoReplicasCodeFix>(source, source, CAC1006TwoReplicasCodeFix.Key, iterations: 0, fixAllIterations: 0);
    }

    [Theory]
    [InlineData("new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = One }", "new ScalingSpec { MinReplicas = 2, MaxReplicas = 2 }")]
    [InlineData("Shared with { MinReplicas = {|CAC1006:1|}, MaxReplicas = 4 }", "Shared with { MinReplicas = 2, MaxReplicas = 4 }")]
    [InlineData("new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = 3, Keda = new KedaScaling() }", "new ScalingSpec { MinReplicas = 2, MaxReplicas = 3, Keda = new KedaScaling() }")]
    public Task The_replica_fix_raises_a_constant_maximum_below_two_and_keeps_a_known_one(string scaling, string fixedScaling)
    {
        const string members = "    const int One = 1;\n    static readonly ScalingSpec Shared = new() { MinReplicas = 1, MaxReplicas = 1 };\n";
        return V.Fix<CAC1006TwoReplicasCodeFix>(
            Class(ProdScaling.Replace("SCALING", scaling, StringComparison.Ordinal), members),
            Class(ProdScaling.Replace("SCALING", fixedScaling, StringComparison.Ordinal), members),
            CAC1006TwoReplicasCodeFix.Key);
    }

    [Fact]
    public Task No_utilisation_fix_is_offered_where_090_is_at_or_above_the_configured_threshold() =>
        V.Fix<CAC3002GpuMemoryUtilizationCodeFix>(
            Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.93|} };\nvar b = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3001:1.5|} };"),
            Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.93|} };\nvar b = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3001:1.5|} };"),
            CAC3002GpuMemoryUtilizationCodeFix.Key,
            iterations: 0,
            fixAllIterations: 0,
            editorConfig: "configascode.max_gpu_memory_utilization = 0.90\n");

    [Fact]
    public Task The_utilisation_fix_is_offered_under_a_threshold_above_090() =>
        V.Fix<CAC3002GpuMemoryUtilizationCodeFix>(
            Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.93|} };"),
            Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = 0.90 };"),
            CAC3002GpuMemoryUtilizationCodeFix.Key,
            editorConfig: "configascode.max_gpu_memory_utilization = 0.92\n");

    [Fact]
    public Task No_probe_fix_is_offered_in_a_with_whose_operand_has_its_own_probes() =>
        // HealthProbes.For(Triton, ...) polls /v2/health/ready with a 40-minute allowance; new HealthProbes().Readiness
        // would poll /health, which Triton does not serve (the pod never becomes ready), and Startup would give up at 15.
        V.Fix<CAC1001DefaultProbeCodeFix>(
            Class("var p = HealthProbes.For(new TritonEngine(), TimeSpan.FromMinutes(40)) with { Readiness = {|CAC1001:null|}, Startup = {|CAC1002:null|} };"),
            Class("var p = HealthProbes.For(new TritonEngine(), TimeSpan.FromMinutes(40)) with { Readiness = {|CAC1001:null|}, Startup = {|CAC1002:null|} };"),
            CAC1001DefaultProbeCodeFix.Key,
            iterations: 0,
            fixAllIterations: 0);

    [Theory]
    // TGI has no multi-node runtime (the build refuses Nodes > 1 for it): NumShard = 4 across two nodes is wrong again once
    // Nodes is set back to 1.
    [InlineData("{|CAC3004:new TgiEngine { MaxBatchTotalTokens = 65536, MaxBatchPrefillTokens = 8192 }|}")]
    // Data parallelism inside a multi-node replica is refused by the build: the TensorParallelSize that makes the product
    // match is wrong again once DataParallelSize is set back to 1.
    [InlineData("{|CAC3004:new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, DataParallelSize = 2 }|}")]
    public Task No_parallelism_fix_is_offered_for_a_multi_node_replica_the_build_refuses(string engine)
    {
        var source = Deployment(engine).Replace("Count = 4 }", "Count = 2, Nodes = 2 }", StringComparison.Ordinal);
        return V.Fix<CAC3004ParallelismCodeFix>(source, source, CAC3004ParallelismCodeFix.Key, iterations: 0, fixAllIterations: 0);
    }

    [Fact]
    public Task No_fix_is_offered_where_the_rewritten_value_holds_a_preprocessor_region() =>
        // Replacing the whole value drops the '#if' and '#else' inside it and leaves the '#endif' after it: CS1028. Replacing
        // the EnvVar.Literal call keeps only the active branch of its name, silently renaming the variable in the other.
        V.Fix<CAC3002GpuMemoryUtilizationCodeFix>(
            Class("""
                var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.5 +
                #if BIG_GPU
                    0.47
                #else
                    0.49|}
                #endif
                };
                """),
            Class("""
                var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.5 +
                #if BIG_GPU
                    0.47
                #else
                    0.49|}
                #endif
                };
                """),
            CAC3002GpuMemoryUtilizationCodeFix.Key,
            iterations: 0,
            fixAllIterations: 0);

    [Fact]
    public Task No_secret_fix_is_offered_where_the_call_holds_a_preprocessor_region()
    {
        var source = Class("""
            var e = EnvVar.Literal(
            #if PROD
                "PROD_HF_TOKEN",
            #else
                "HF_TOKEN",
            #endif
                {|CAC2001:"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"|});
            """);
        return V.Fix<CAC2001SecretReferenceCodeFix>(source, source, CAC2001SecretReferenceCodeFix.Key, iterations: 0, fixAllIterations: 0);
    }

    [Theory]
    // Triton's probes, written out: a readiness probe on /health (the model's default) fails on every poll, so the pod
    // that served without one would never become ready.
    [InlineData("Liveness = new Probe { Path = \"/v2/health/live\" }")]
    [InlineData("Startup = HealthProbes.StartupFor(TimeSpan.FromMinutes(20)) with { Path = \"/v2/health/ready\" }")]
    [InlineData("Liveness = TritonLive")]
    // A probe the analyzer cannot read may be on any path.
    [InlineData("Liveness = MakeProbe()")]
    public Task No_probe_fix_is_offered_where_another_probe_is_on_another_path(string sibling)
    {
        const string members = "    static readonly Probe TritonLive = new() { Path = \"/v2/health/live\" };\n    static Probe MakeProbe() => TritonLive;\n";
        var source = Class($"var p = new HealthProbes {{ Readiness = {{|CAC1001:null|}}, {sibling} }};", members);
        return V.Fix<CAC1001DefaultProbeCodeFix>(source, source, CAC1001DefaultProbeCodeFix.Key, iterations: 0, fixAllIterations: 0);
    }

    [Theory]
    [InlineData("Startup = HealthProbes.StartupFor(TimeSpan.FromMinutes(30))")]
    [InlineData("Startup = HealthProbes.StartupFor(TimeSpan.FromMinutes(30)) with { FailureThreshold = 200 }")]
    [InlineData("Liveness = new Probe { Path = \"/health\", PeriodSeconds = 20 }")]
    public Task The_probe_fix_is_offered_where_the_other_probes_are_on_health(string sibling) => V.Fix<CAC1001DefaultProbeCodeFix>(
        Class($"var p = new HealthProbes {{ Readiness = {{|CAC1001:null|}}, {sibling} }};"),
        Class($"var p = new HealthProbes {{ Readiness = new HealthProbes().Readiness, {sibling} }};"),
        CAC1001DefaultProbeCodeFix.Key);

    public static TheoryData<string> FixedIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in AllFixes.SelectMany(f => f.FixableDiagnosticIds).Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    private static readonly CodeFixProvider[] AllFixes =
    [
        new CAC1001DefaultProbeCodeFix(), new CAC1006TwoReplicasCodeFix(), new CAC1015TimedPauseCodeFix(), new CAC2001SecretReferenceCodeFix(),
        new CAC3002GpuMemoryUtilizationCodeFix(), new CAC3004ParallelismCodeFix(),
    ];

    private const string EveryFixableProblem = """
        using System;
        using ConfigAsCode;

        public static class Platform
        {
            public static object[] All() =>
            [
                new InferenceDeployment
                {
                    Name = "chat", Namespace = "inference", Environment = DeploymentEnvironment.Prod,
                    Model = new ModelSpec { Id = "x/y", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
                    Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, GpuMemoryUtilization = 0.99 },
                    Image = new ContainerImage { Repository = "r", Tag = "v1", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
                    Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 2 },
                    Resources = new PodResources { SharedMemoryMiB = 8192 },
                    Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
                    Probes = new HealthProbes { Readiness = null, Startup = null, Liveness = null },
                    Env = [EnvVar.Literal(value: "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", name: "HF_TOKEN")],
                    Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
                },
                CanaryStep.Pause(null),
                new VllmEngine { MaxNumSeqs = 1, MaxNumBatchedTokens = 64, GpuMemoryUtilization = 7 },
            ];
        }
        """;

    /// <summary>
    /// What <c>dotnet format analyzers --diagnostics</c> with several IDs does: for each ID it registers fixes for the first
    /// diagnostic of any requested ID, takes that action's equivalence key (none, when the diagnostic is another fix's),
    /// and asks the fix's Fix All provider for a solution-wide action over that one ID. It must get one, and it must
    /// remove every diagnostic of the ID and compile.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixedIds))]
    public async Task Fix_all_works_whichever_diagnostic_came_first_as_dotnet_format_drives_it(string id)
    {
        var fix = AllFixes.Single(f => f.FixableDiagnosticIds.Contains(id));
        var document = CreateDocument(EveryFixableProblem);
        var diagnostics = await AnalyzeAsync(document);
        Assert.Contains(diagnostics, d => d.Id == id);
        var first = diagnostics.Where(d => d.Id != id).OrderBy(d => d.Location.SourceSpan.Start).First();

        CodeAction? registered = null;
        await fix.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => registered ??= action, CancellationToken.None));
        var provider = fix.GetFixAllProvider();
        Assert.Contains(FixAllScope.Solution, provider!.GetSupportedFixAllScopes());
        var context = new FixAllContext(document, fix, FixAllScope.Solution, registered?.EquivalenceKey, [id], new Diagnostics(diagnostics), CancellationToken.None);
        var fixAll = await provider!.GetFixAsync(context);

        Assert.NotNull(fixAll);
        var operations = await fixAll!.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution.GetDocument(document.Id)!;
        var compilation = (await changed.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.DoesNotContain(await AnalyzeAsync(changed), d => d.Id == id);
        if (id == "CAC2001")
        {
            Assert.DoesNotContain("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", (await changed.GetTextAsync()).ToString(), StringComparison.Ordinal);
        }
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Fixes", "Fixes", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: Net80.References.All.Append(MetadataReference.CreateFromFile(typeof(InferenceDeployment).Assembly.Location))));
        return workspace.AddDocument(project.Id, "Platform.cs", Microsoft.CodeAnalysis.Text.SourceText.From(source));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        return await compilation.WithAnalyzers([new DeploymentAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }

    private sealed class Diagnostics(IEnumerable<Diagnostic> all) : FixAllContext.DiagnosticProvider
    {
        // Like dotnet format: every diagnostic of the file, of every requested ID; the Fix All context filters by its IDs.
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult(all);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult(all);

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult(all);
    }
}
