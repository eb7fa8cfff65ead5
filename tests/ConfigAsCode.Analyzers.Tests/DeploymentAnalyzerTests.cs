using System.Threading.Tasks;
using ConfigAsCode.CodeFixes;
using Xunit;
using V = ConfigAsCode.Analyzers.Tests.Verify<ConfigAsCode.Analyzers.DeploymentAnalyzer>;

namespace ConfigAsCode.Analyzers.Tests;

public sealed class DeploymentAnalyzerTests
{
    private const string Good = """
        var d = new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, GpuMemoryUtilization = 0.90 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
        };
        """;

    private static string Class(string body) => V.Usings + "class C\n{\n    void M()\n    {\n" + body + "\n    }\n}\n";

    [Fact]
    public Task A_compliant_deployment_has_no_diagnostics() => V.Analyzer(Class(Good));

    [Fact]
    public Task Nothing_is_registered_without_a_ConfigAsCode_reference() =>
        V.Analyzer("class InferenceDeployment { public double GpuMemoryUtilization { get; set; } void M() { var x = new InferenceDeployment { GpuMemoryUtilization = 0.99 }; } }", referenceConfigAsCode: false);

    [Fact]
    public Task Gpu_memory_utilization_at_or_above_the_threshold_is_flagged_on_the_value() =>
        V.Analyzer(Class("var e = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.97|} };"));

    [Fact]
    public Task Gpu_memory_utilization_outside_the_range_is_an_error() =>
        V.Analyzer(Class("var e = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3001:1.5|} };"));

    [Fact]
    public Task The_threshold_is_an_editorconfig_option() =>
        V.Analyzer(Class("var e = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.93|} };"), "configascode.max_gpu_memory_utilization = 0.92\n");

    [Fact]
    public Task Severity_is_configurable_in_editorconfig() =>
        V.Analyzer(Class("var e = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = 0.97 };"), "dotnet_diagnostic.CAC3002.severity = none\n");

    [Fact]
    public Task Unset_batch_knobs_are_flagged_on_the_creation() =>
        V.Analyzer(Class("var e = {|CAC5004:new VllmEngine { MaxModelLen = 8192 }|};"));

    [Fact]
    public Task A_with_expression_is_checked_for_what_it_changes() =>
        V.Analyzer(Class("var e = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048 };\nvar f = e with { GpuMemoryUtilization = {|CAC3002:0.99|} };"));

    [Fact]
    public Task Pod_security_breaches_are_flagged() =>
        V.Analyzer(Class("var s = new SecuritySpec { RunAsUser = {|CAC2002:0|}, Privileged = {|CAC2003:true|}, AllowPrivilegeEscalation = {|CAC2004:true|}, HostIpc = {|CAC2005:true|}, ReadOnlyRootFilesystem = {|CAC2007:false|}, AutomountServiceAccountToken = {|CAC2012:true|}, AddCapabilities = [{|CAC2006:\"SYS_ADMIN\"|}, \"NET_BIND_SERVICE\"] };"));

    [Fact]
    public Task A_secret_literal_is_flagged_on_the_value() =>
        V.Analyzer(Class("var e = EnvVar.Literal(\"HF_TOKEN\", {|CAC2001:\"not-even-a-token\"|});\nvar ok = EnvVar.Literal(\"LOG_LEVEL\", \"info\");"));

    [Fact]
    public Task Cpu_autoscaling_and_scale_to_zero_are_flagged() =>
        V.Analyzer(Class("var s = new ScalingSpec { MinReplicas = {|CAC1009:0|}, MaxReplicas = 4, Signal = {|CAC1008:ScalingSignal.Cpu(70)|} };"));

    [Fact]
    public Task Missing_probes_are_flagged_on_the_null() =>
        V.Analyzer(Class("var p = new HealthProbes { Readiness = {|CAC1001:null|}, Startup = {|CAC1002:null|}, Liveness = {|CAC1003:null|} };"));

    [Fact]
    public Task Production_is_known_from_the_environment_and_from_overlays() =>
        V.Analyzer(Class(Good + """

            var known = d with { Scaling = new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = 1 } }; // d is a local assigned once: its environment is visible
            var dev = d.In(DeploymentEnvironment.Dev) with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } };
            var prod = dev.In(DeploymentEnvironment.Prod) with { Scaling = new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = 1 } };
            """));

    [Fact]
    public Task Tensor_parallel_is_checked_against_the_gpu_count_of_the_same_deployment() =>
        V.Analyzer(Class(Good.Replace("GpuMemoryUtilization = 0.90 }", "GpuMemoryUtilization = 0.90, TensorParallelSize = {|CAC3004:2|} }", System.StringComparison.Ordinal)
            .Replace("Count = 1", "Count = 4", System.StringComparison.Ordinal)
            .Replace("Cost = new", "Resources = new PodResources { SharedMemoryMiB = 16384 },\n    Cost = new", System.StringComparison.Ordinal)));

    [Fact]
    public Task More_gpus_in_a_pod_than_a_node_of_that_gpu_has_are_flagged_on_the_count() =>
        V.Analyzer(Class("""
            var big = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = {|CAC3014:16|} };
            var node = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8 };
            var mi300x = new AcceleratorSpec { Gpu = GpuCatalog.MI300X, Count = {|CAC3014:9|} };
            var custom = new AcceleratorSpec { Gpu = new GpuKind { Name = "x", MemoryMiB = 1, SupportsFp8 = false, MemoryBandwidthGBps = 1, PriceKey = "x" }, Count = 16 }; // not a catalog member: the build decides
            """));

    private const string MultiNode = """
        var d = new InferenceDeployment
        {
            Name = "chat-405b",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-405B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, TensorParallelSize = 8, PipelineParallelSize = 2 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = 2 },
            Resources = new PodResources { MemoryRequestMiB = 262144, MemoryLimitMiB = 262144, SharedMemoryMiB = 32768 },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
        };
        """;

    [Fact]
    public Task Two_nodes_of_eight_GPUs_with_TP8_and_PP2_have_no_diagnostics() => V.Analyzer(Class(MultiNode));

    [Fact]
    public Task Tensor_parallel_across_nodes_is_flagged_on_the_tensor_parallel_size() =>
        V.Analyzer(Class(MultiNode.Replace("TensorParallelSize = 8, PipelineParallelSize = 2", "TensorParallelSize = {|CAC3025:16|}", System.StringComparison.Ordinal)));

    [Fact]
    public Task Tensor_parallel_across_nodes_is_accepted_on_a_multi_node_NVLink_domain() =>
        V.Analyzer(Class(MultiNode.Replace("TensorParallelSize = 8, PipelineParallelSize = 2", "TensorParallelSize = 16", System.StringComparison.Ordinal)
            .Replace("Nodes = 2 }", "Nodes = 2, Interconnect = NodeInterconnect.MultiNodeNvLink }", System.StringComparison.Ordinal)));

    [Fact]
    public Task Parallelism_is_compared_with_GPUs_per_node_times_nodes() =>
        V.Analyzer(Class(MultiNode.Replace("TensorParallelSize = 8, PipelineParallelSize = 2", "TensorParallelSize = {|CAC3004:8|}", System.StringComparison.Ordinal)
            .Replace("Nodes = 2 }", "Nodes = 2 }", System.StringComparison.Ordinal)));

    [Fact]
    public Task Zero_nodes_are_flagged_on_the_value() =>
        V.Analyzer(Class("var a = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = {|CAC3012:0|} };"));

    [Fact]
    public Task An_Argo_strategy_on_a_multi_node_replica_is_flagged_on_the_strategy() =>
        V.Analyzer(Class(MultiNode.Replace("    Cost = new", "    Slos = new ServiceLevelObjectives { MaxErrorRate = 0.01 },\n    Rollout = {|CAC1030:new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(10)), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(10))] }|},\n    Cost = new", System.StringComparison.Ordinal)));

    [Fact]
    public Task Production_scale_to_zero_needs_an_acknowledgment() =>
        V.Analyzer(Class(MultiNode.Replace("    Cost = new", "    Scaling = new ScalingSpec { MinReplicas = {|CAC1009:{|CAC1031:0|}|}, MaxReplicas = 4, Keda = new KedaScaling() },\n    Cost = new", System.StringComparison.Ordinal)
            + "\nvar acknowledged = new ScalingSpec { MinReplicas = 0, MaxReplicas = 4, Keda = new KedaScaling { ScaleToZeroAcknowledgment = \"batch tier, cold starts accepted\" } };"));

    [Fact]
    public Task Keda_values_out_of_range_on_cpu_or_on_a_fixed_count_are_flagged() =>
        V.Analyzer(Class("""
            var k = new KedaScaling { KvCacheUsageTarget = {|CAC1033:1.5|}, FallbackReplicas = {|CAC1033:-1|}, FallbackAfterFailures = {|CAC1033:0|} };
            var cpu = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = {|CAC1008:{|CAC1033:ScalingSignal.Cpu(70)|}|}, Keda = new KedaScaling() };
            var fixedCount = new ScalingSpec { MinReplicas = 3, MaxReplicas = 3, Keda = {|CAC1033:new KedaScaling()|} };
            var ok = new ScalingSpec { MinReplicas = 2, MaxReplicas = 6, Keda = new KedaScaling { KvCacheUsageTarget = 0.8 } };
            """));

    [Fact]
    public Task Default_namespace_unpinned_revision_and_mutable_tag_are_flagged() =>
        V.Analyzer(Class("""
            var m = {|CAC5003:new ModelSpec { Id = "org/model" }|};
            var i = new ContainerImage { Repository = "vllm/vllm-openai", Tag = {|CAC5001:"latest"|} };
            """));

    [Fact]
    public Task Tgi_token_budgets_are_checked() =>
        V.Analyzer(Class("var t = new TgiEngine { MaxInputTokens = {|CAC3011:4096|}, MaxTotalTokens = 4000, MaxBatchPrefillTokens = 8192, MaxBatchTotalTokens = 65536 };"));

    [Fact]
    public Task Vllm_batch_limits_vllm_refuses_are_checked() =>
        V.Analyzer(Class("var a = new VllmEngine { MaxNumSeqs = {|CAC3019:0|}, MaxNumBatchedTokens = 8192 };\nvar b = new VllmEngine { MaxNumSeqs = 512, MaxNumBatchedTokens = {|CAC3019:256|} };\nvar c = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = {|CAC3019:-1|} };\nvar ok = new VllmEngine { MaxNumSeqs = 256, MaxNumBatchedTokens = 256 };"));

    [Fact]
    public Task A_short_suppression_justification_is_flagged() =>
        V.Analyzer(Class("var s = new RuleSuppression(\"CAC1006\", {|CAC9010:\"ok\"|});\nvar r = new RuleSuppression({|CAC9010:\"CAC2003\"|}, \"the driver needs it, honestly\");"));

    [Fact]
    public Task Fix_gpu_memory_utilization_to_090_with_fix_all() => V.Fix<CAC3002GpuMemoryUtilizationCodeFix>(
        Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.97|} };\nvar b = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = {|CAC3002:0.99|} };"),
        Class("var a = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = 0.90 };\nvar b = new VllmEngine { MaxNumSeqs = 8, MaxNumBatchedTokens = 2048, GpuMemoryUtilization = 0.90 };"),
        CAC3002GpuMemoryUtilizationCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task Fix_single_production_replica_to_two() => V.Fix<CAC1006TwoReplicasCodeFix>(
        Class(Good + "\nvar one = d.In(DeploymentEnvironment.Prod) with { Scaling = new ScalingSpec { MinReplicas = {|CAC1006:1|}, MaxReplicas = 1 } };"),
        Class(Good + "\nvar one = d.In(DeploymentEnvironment.Prod) with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 2 } };"),
        CAC1006TwoReplicasCodeFix.Key);

    [Fact]
    public Task Fix_tensor_parallel_to_match_the_gpus() => V.Fix<CAC3004ParallelismCodeFix>(
        Class(Good.Replace("GpuMemoryUtilization = 0.90 }", "GpuMemoryUtilization = 0.90, TensorParallelSize = {|CAC3004:2|} }", System.StringComparison.Ordinal).Replace("Count = 1", "Count = 4", System.StringComparison.Ordinal).Replace("Cost = new", "Resources = new PodResources { SharedMemoryMiB = 16384 },\n    Cost = new", System.StringComparison.Ordinal)),
        Class(Good.Replace("GpuMemoryUtilization = 0.90 }", "GpuMemoryUtilization = 0.90, TensorParallelSize = 4 }", System.StringComparison.Ordinal).Replace("Count = 1", "Count = 4", System.StringComparison.Ordinal).Replace("Cost = new", "Resources = new PodResources { SharedMemoryMiB = 16384 },\n    Cost = new", System.StringComparison.Ordinal)),
        CAC3004ParallelismCodeFix.Key);

    [Fact]
    public Task Fix_tensor_parallel_on_a_multi_node_replica_to_the_GPUs_of_a_node() => V.Fix<CAC3004ParallelismCodeFix>(
        Class(MultiNode.Replace("TensorParallelSize = 8, PipelineParallelSize = 2", "TensorParallelSize = {|CAC3004:4|}, PipelineParallelSize = 2", System.StringComparison.Ordinal)),
        Class(MultiNode),
        CAC3004ParallelismCodeFix.Key);

    [Fact]
    public Task Fix_secret_literal_to_secret_reference_with_fix_all() => V.Fix<CAC2001SecretReferenceCodeFix>(
        Class("var a = EnvVar.Literal(\"HF_TOKEN\", {|CAC2001:\"abc\"|});\nvar b = EnvVar.Literal(\"DB_PASSWORD\", {|CAC2001:\"hunter2\"|});"),
        Class("var a = EnvVar.FromSecret(\"HF_TOKEN\", \"hf-token\", \"value\");\nvar b = EnvVar.FromSecret(\"DB_PASSWORD\", \"db-password\", \"value\");"),
        CAC2001SecretReferenceCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task Fix_missing_probes_to_the_defaults() => V.Fix<CAC1001DefaultProbeCodeFix>(
        Class("var p = new HealthProbes { Readiness = {|CAC1001:null|}, Startup = {|CAC1002:null|} };"),
        Class("var p = new HealthProbes { Readiness = new HealthProbes().Readiness, Startup = new HealthProbes().Startup };"),
        CAC1001DefaultProbeCodeFix.Key,
        iterations: 2);

    [Fact]
    public Task An_indefinite_pause_is_flagged_on_the_null() =>
        V.Analyzer(Class("var steps = new[] { CanaryStep.SetWeight(10), CanaryStep.Pause({|CAC1015:null|}), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(5)) };"));

    [Fact]
    public Task A_weight_jump_is_flagged_on_the_step_and_the_final_promotion_on_the_list() =>
        V.Analyzer(Class("var r = new CanaryRollout { Steps = {|CAC1016:[CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight({|CAC1016:70|}), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(40)]|} };"));

    [Fact]
    public Task The_weight_step_threshold_is_an_editorconfig_option() =>
        V.Analyzer(Class("var r = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.SetWeight({|CAC1016:40|}), CanaryStep.SetWeight({|CAC1016:70|}), CanaryStep.SetWeight(90)] };"), "configascode.max_weight_step = 25\n");

    [Fact]
    public Task Steps_that_are_not_constants_are_left_to_the_build() =>
        V.Analyzer(Class("int w = System.Environment.ProcessorCount;\nvar r = new CanaryRollout { Steps = [CanaryStep.SetWeight(w)] };"));

    [Fact]
    public Task All_traffic_first_and_no_revision_history_have_no_rollback_path() =>
        V.Analyzer(Class("var r = new RampRollout { Stages = [new RampStage({|CAC1017:100|}, TimeSpan.FromMinutes(10))], RevisionHistoryLimit = {|CAC1017:0|} };"));

    [Fact]
    public Task Out_of_range_rollout_values_are_invalid() =>
        V.Analyzer(Class("var r = new ShadowRollout { MirrorPercent = {|CAC1018:0|}, Duration = TimeSpan.FromHours(1), TrafficRouter = {|CAC1018:TrafficRouter.GatewayApi(\"chat\")|}, ShadowReplicas = {|CAC1018:0|}, CostAcknowledgment = \"x\" };\nvar u = new RollingUpdate { MaxSurge = {|CAC1018:0|} };\nvar g = new Guardrails { MaxErrorRate = {|CAC1018:1.5|} };"));

    [Fact]
    public Task A_production_canary_without_slos_or_guardrails_and_a_shadow_without_acknowledgment_are_flagged() =>
        V.Analyzer(Class(Good.Replace("Cost = new", "Rollout = {|CAC1013:new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50)] }|},\n    Cost = new", System.StringComparison.Ordinal)
            + "\nvar p = d.In(DeploymentEnvironment.Prod) with { Rollout = {|CAC4007:new ShadowRollout { MirrorPercent = 10, Duration = TimeSpan.FromHours(1), TrafficRouter = TrafficRouter.Istio(\"chat\") }|} };"));

    [Fact]
    public Task A_guardrail_looser_than_its_slo_is_flagged_on_the_guardrail() =>
        V.Analyzer(Class(Good.Replace("Cost = new", "Slos = new ServiceLevelObjectives { Availability = 0.999, P95Latency = TimeSpan.FromMilliseconds(300) },\n    Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(50)], Guardrails = new Guardrails { MaxErrorRate = {|CAC1014:0.01|}, MaxP95Latency = {|CAC1014:TimeSpan.FromSeconds(1)|} } },\n    Cost = new", System.StringComparison.Ordinal)));

    [Fact]
    public Task A_guarded_production_canary_has_no_diagnostics() =>
        V.Analyzer(Class(Good.Replace("Cost = new", "Slos = new ServiceLevelObjectives { MaxErrorRate = 0.01 },\n    Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.Analysis(), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(5))], TrafficRouter = TrafficRouter.Istio(\"chat\") },\n    Cost = new", System.StringComparison.Ordinal)));

    [Fact]
    public Task An_indefinite_pause_is_fixed_to_ten_minutes() =>
        V.Fix<CAC1015TimedPauseCodeFix>(
            Class("var s = CanaryStep.Pause({|CAC1015:null|});"),
            Class("var s = CanaryStep.Pause(TimeSpan.FromMinutes(10));"),
            CAC1015TimedPauseCodeFix.Key);

    [Fact]
    public Task Credentials_in_endpoint_urls_are_errors() =>
        V.Analyzer(Class("var o = new ObservabilitySpec { PrometheusUrl = {|CAC2013:\"http://admin:pw@prometheus:9090\"|}, Traces = new TraceExport { OtlpEndpoint = {|CAC2013:\"https://otlp.example.com/v1/traces?api_key=abc123\"|} } };\nvar ok = new TraceExport { OtlpEndpoint = \"http://otel-collector.observability:4317\" };"));
}
