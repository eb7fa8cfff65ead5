using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Every rule fires on a config that violates it, at the expected property, and stays quiet on compliant configs.</summary>
public sealed class RuleFiringTests
{
    private static readonly string HfToken = "hf_" + new string('a', 10) + new string('B', 10) + new string('c', 14);

    /// <summary>Rule ID → the deployments that violate it and the property path the finding must name.</summary>
    private static readonly Dictionary<string, (Func<InferenceDeployment[]> Build, string Path)> Violations = new()
    {
        ["CAC1001"] = (() => [Fixtures.Compliant() with { Probes = new HealthProbes { Readiness = null } }], "Probes.Readiness"),
        ["CAC1002"] = (() => [Fixtures.Compliant() with { Probes = new HealthProbes { Startup = null } }], "Probes.Startup"),
        ["CAC1003"] = (() => [Fixtures.Compliant() with { Probes = new HealthProbes { Liveness = null } }], "Probes.Liveness"),
        ["CAC1004"] = (() => [Fixtures.Compliant() with { Probes = new HealthProbes { Liveness = new HealthProbes().Readiness } }], "Probes.Liveness"),
        ["CAC1005"] = (() => [Fixtures.CompliantMultiGpu() with { Probes = new HealthProbes { Startup = null } }], "Probes.Liveness"),
        ["CAC1006"] = (() => [Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 } }], "Scaling.MinReplicas"),
        ["CAC1007"] = (() => [Fixtures.Compliant() with { DisruptionBudget = null }], "DisruptionBudget"),
        ["CAC1008"] = (() => [Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4, Signal = ScalingSignal.Cpu(70) } }], "Scaling.Signal"),
        ["CAC1009"] = (() => [Fixtures.Compliant(DeploymentEnvironment.Dev) with { Scaling = new ScalingSpec { MinReplicas = 0, MaxReplicas = 2 } }], "Scaling.MinReplicas"),
        ["CAC1010"] = (() => [Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = -1, MaxReplicas = 2 } }], "Scaling.MinReplicas"),
        ["CAC1011"] = (() => [Fixtures.Compliant() with { Resources = new PodResources { MemoryLimitMiB = null } }], "Resources.MemoryLimitMiB"),
        ["CAC1012"] = (() => [Fixtures.Compliant() with { Probes = new HealthProbes { Readiness = new Probe { Path = "/health", PeriodSeconds = 0 } } }], "Probes.Readiness"),
        ["CAC1013"] = (() => [RolloutFixtures.Canary() with { Slos = null }], "Rollout.Guardrails"),
        ["CAC1014"] = (() => [RolloutFixtures.Canary() with { Rollout = ((CanaryRollout)RolloutFixtures.Canary().Rollout) with { Guardrails = new Guardrails { MaxErrorRate = 0.05 } } }], "Rollout.Guardrails.MaxErrorRate"),
        ["CAC1015"] = (() => [RolloutFixtures.Canary() with { Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(null), CanaryStep.SetWeight(50), CanaryStep.Pause(TimeSpan.FromMinutes(5))] } }], "Rollout.Steps[1]"),
        ["CAC1016"] = (() => [RolloutFixtures.Canary() with { Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(80), CanaryStep.Pause(TimeSpan.FromMinutes(5))] } }], "Rollout.Steps[2]"),
        ["CAC1017"] = (() => [RolloutFixtures.Canary() with { Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(100), CanaryStep.Pause(TimeSpan.FromMinutes(5))] } }], "Rollout.Steps[0]"),
        ["CAC1018"] = (() => [RolloutFixtures.Shadow() with { Rollout = ((ShadowRollout)RolloutFixtures.Shadow().Rollout) with { TrafficRouter = TrafficRouter.Nginx("chat") } }], "Rollout.TrafficRouter"),
        ["CAC1020"] = (() => [Fixtures.Compliant() with { Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = Fixtures.Revision, LoadTime = TimeSpan.FromMinutes(25) } }], "Probes.Startup"),
        ["CAC1021"] = (() => [Fixtures.Compliant() with { Slos = new ServiceLevelObjectives { P95TimeToFirstToken = TimeSpan.FromMilliseconds(1) } }], "Slos.P95TimeToFirstToken"),
        ["CAC1025"] = (() => [Fixtures.Compliant() with { Cluster = Fixtures.Cluster with { SharedStorageClass = null } }], "Model.Cache"),
        ["CAC1026"] = (() => [Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Source = ModelSource.Claim("llama-8b-weights"), Cache = WeightsCache.Shared("efs-sc") } }], "Model.Cache"),
        ["CAC1027"] = (() => [ClusterFixtures.HubPerPod() with { Model = ClusterFixtures.HubPerPod().Model with { Id = "meta-llama/Llama-3.1-70B-Instruct" }, Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(10)) }], "Probes.Startup"),
        ["CAC1028"] = (() => [Fixtures.Compliant() with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.A10G }, Cluster = Fixtures.Cluster with { Placement = NodePlacement.Gke } }], "Accelerator.Gpu"),
        ["CAC1029"] = (() => [Triton() with { Probes = HealthProbes.For("/v2/health/ready", TimeSpan.FromMinutes(5)) }], "Probes.Liveness"),
        ["CAC1030"] = (() => [MultiNodeFixtures.Llama405B() with { Pool = null, Rollout = RolloutFixtures.Canary().Rollout }], "Rollout"),
        ["CAC1031"] = (() => [Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 0, MaxReplicas = 2 } }], "Scaling.MinReplicas"),
        ["CAC1032"] = (() => [MultiNodeFixtures.KedaScaled() with { Environment = DeploymentEnvironment.Dev, Scaling = MultiNodeFixtures.KedaScaled().Scaling with { MinReplicas = 0, Keda = new KedaScaling { InitialCooldownPeriod = TimeSpan.FromSeconds(10), CooldownPeriod = TimeSpan.FromSeconds(30) } } }], "Scaling.Keda.InitialCooldownPeriod"),
        ["CAC1033"] = (() => [MultiNodeFixtures.KedaScaled() with { Scaling = MultiNodeFixtures.KedaScaled().Scaling with { Keda = new KedaScaling { KvCacheUsageTarget = 1.5 } } }], "Scaling.Keda.KvCacheUsageTarget"),
        ["CAC1034"] = (() => [Fixtures.Compliant() with { Pool = new InferencePoolSpec { Gateway = "Inference_Gateway" } }], "Pool.Gateway"),
        ["CAC2001"] = (() => [Fixtures.Compliant() with { Env = [EnvVar.Literal("HF_HUB_TOKEN_FILE_UNUSED", HfToken)] }], "Env[HF_HUB_TOKEN_FILE_UNUSED]"),
        ["CAC2002"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { RunAsUser = 0 } }], "Security.RunAsUser"),
        ["CAC2003"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { Privileged = true } }], "Security.Privileged"),
        ["CAC2004"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { AllowPrivilegeEscalation = true } }], "Security.AllowPrivilegeEscalation"),
        ["CAC2005"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { HostIpc = true } }], "Security.HostIpc"),
        ["CAC2006"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { AddCapabilities = ["SYS_ADMIN"] } }], "Security.AddCapabilities"),
        ["CAC2007"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { ReadOnlyRootFilesystem = false } }], "Security.ReadOnlyRootFilesystem"),
        ["CAC2008"] = (() => [Fixtures.Compliant() with { Namespace = "default" }], "Namespace"),
        ["CAC2009"] = (() => [Fixtures.Compliant() with { Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "main" }, Engine = Vllm() with { TrustRemoteCode = true } }], "Model.Revision"),
        ["CAC2010"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowIngressFromAnywhere = true } } }], "Security.Network.AllowIngressFromAnywhere"),
        ["CAC2011"] = (() => [Fixtures.Compliant() with { Env = [EnvVar.Literal("VLLM_SERVER_DEV_MODE", "1")] }], "Env[VLLM_SERVER_DEV_MODE]"),
        ["CAC2012"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { AutomountServiceAccountToken = true } }], "Security.AutomountServiceAccountToken"),
        ["CAC2013"] = (() => [Fixtures.Compliant() with { Observability = new ObservabilitySpec { PrometheusUrl = "http://admin:hunter2@prometheus.monitoring:9090" } }], "Observability.PrometheusUrl"),
        ["CAC2014"] = (() => [Fixtures.Compliant() with { Cost = new CostAttribution { Team = "ml-platform", CostCenter = "cc-4200", Labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["owner-token"] = HfToken } } }], "Cost.Labels[owner-token]"),
        ["CAC2015"] = (() => [Fixtures.Compliant() with { Cluster = Fixtures.Cluster with { EgressProxy = null } }], "Model.Source"),
        ["CAC2016"] = (() => [Fixtures.Compliant() with { Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowEgressCidrs = ["0.0.0.0/0"] } } }], "Security.Network.AllowEgressCidrs[0]"),
        ["CAC2017"] = (() => [Fixtures.Compliant() with { Observability = new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = "otel-collector:4317" } } }], "Observability.Traces.OtlpEndpoint"),
        ["CAC2018"] = (() =>
        {
            var shared = Fixtures.Compliant() with { Namespace = "assistant", Cluster = Fixtures.Cluster with { Topology = ClusterTopology.SharedCluster } };
            return [shared, Fixtures.Compliant() with { Name = "chat-8b-eu", Namespace = "assistant-prod" }];
        }, "Namespace"),
        ["CAC3001"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { GpuMemoryUtilization = 1.2 } }], "Engine.GpuMemoryUtilization"),
        ["CAC3002"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { GpuMemoryUtilization = 0.97 } }], "Engine.GpuMemoryUtilization"),
        ["CAC3003"] = (() => SharedPool(0.6, 0.6), "Engine.GpuMemoryUtilization"),
        ["CAC3004"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { TensorParallelSize = 2 } }], "Engine.TensorParallelSize"),
        ["CAC3005"] = (() => [Fixtures.CompliantMultiGpu() with { Model = new ModelSpec { Id = "Qwen/Qwen2.5-7B-Instruct", Revision = Fixtures.Revision }, Engine = Vllm() with { TensorParallelSize = 8 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 8 } }], "Engine.TensorParallelSize"),
        ["CAC3006"] = (() => [Fixtures.CompliantMultiGpu() with { Resources = new PodResources { SharedMemoryMiB = null } }], "Resources.SharedMemoryMiB"),
        ["CAC3007"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxModelLen = 200_000 } }], "Engine.MaxModelLen"),
        ["CAC3008"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxModelLen = 131_072 } }], "Engine.MaxModelLen"),
        ["CAC3009"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxNumSeqs = 1024 } }], "Engine.MaxNumSeqs"),
        ["CAC3010"] = (() => [Fixtures.Compliant() with { Model = new ModelSpec { Id = "acme/house-model-13b", Revision = Fixtures.Revision } }], "Model.Architecture"),
        ["CAC3011"] = (() => [Tgi() with { Engine = TgiEngineCompliant() with { MaxInputTokens = 4096, MaxTotalTokens = 4000 } }], "Engine.MaxInputTokens"),
        ["CAC3012"] = (() => [Fixtures.Compliant() with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 0 } }], "Accelerator.Count"),
        ["CAC3013"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { Quantization = Quantization.Fp8 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.A100_40GB } }], "Engine.Quantization"),
        ["CAC3014"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { TensorParallelSize = 16 }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 16 } }], "Accelerator.Count"),
        ["CAC3015"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxNumBatchedTokens = 4096 } }], "Engine.MaxNumBatchedTokens"),
        ["CAC3016"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { Quantization = Quantization.Awq }, Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.T4 } }], "Engine.Quantization"),
        ["CAC3017"] = (() => [Fixtures.Compliant() with { Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 8_000, OutputTokens = 1_000 } }], "Engine.MaxModelLen"),
        ["CAC3018"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxModelLen = VllmEngine.MaxModelLenAuto } }], "Engine.MaxModelLen"),
        ["CAC3019"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxNumSeqs = 64, MaxNumBatchedTokens = 32 } }], "Engine.MaxNumBatchedTokens"),
        ["CAC3025"] = (() => [MultiNodeFixtures.Llama405B() with { Pool = null, Engine = ((VllmEngine)MultiNodeFixtures.Llama405B().Engine) with { TensorParallelSize = 16, PipelineParallelSize = 1 } }], "Engine.TensorParallelSize"),
        ["CAC3026"] = (() => [MultiNodeFixtures.Llama405B() with { Pool = null, Engine = ((VllmEngine)MultiNodeFixtures.Llama405B().Engine) with { PipelineParallelSize = 1, DataParallelSize = 2 } }], "Engine.DataParallelSize"),
        ["CAC3027"] = (() => [MultiNodeFixtures.Llama405B() with { Pool = null }, MultiNodeFixtures.Llama405BFp8Candidate() with { Name = "chat-405b-0", Pool = null }], "Name"),
        ["CAC4001"] = (() => [Fixtures.Compliant() with { Cost = null }], "Cost"),
        ["CAC4002"] = (() => [Fixtures.Compliant() with { Cost = new CostAttribution { Team = "ML Platform", CostCenter = "cc-1" } }], "Cost.Team"),
        ["CAC4003"] = (() => [Fixtures.Compliant() with { Load = new ExpectedLoad { RequestsPerSecond = double.NaN, InputTokens = 100, OutputTokens = 100 } }], "Load.RequestsPerSecond"),
        ["CAC4007"] = (() => [RolloutFixtures.Shadow() with { Rollout = ((ShadowRollout)RolloutFixtures.Shadow().Rollout) with { CostAcknowledgment = null } }], "Rollout.CostAcknowledgment"),
        ["CAC4008"] = (() => [Fixtures.Compliant() with { Load = new ExpectedLoad { RequestsPerSecond = 40, InputTokens = 1000, OutputTokens = 200 } }], "Scaling.MaxReplicas"),
        ["CAC5001"] = (() => [Fixtures.Compliant(DeploymentEnvironment.Dev) with { Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "latest" } }], "Image.Tag"),
        ["CAC5002"] = (() => [Fixtures.Compliant() with { Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4" } }], "Image.Digest"),
        ["CAC5003"] = (() => [Fixtures.Compliant() with { Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct" } }], "Model.Revision"),
        ["CAC5004"] = (() => [Fixtures.Compliant() with { Engine = Vllm() with { MaxNumSeqs = null } }], "Engine.MaxNumSeqs"),
        ["CAC5005"] = (() =>
        {
            var staging = Fixtures.Compliant(DeploymentEnvironment.Staging);
            var prod = staging.In(DeploymentEnvironment.Prod) with { Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 3 } };
            return [staging, prod];
        }, "Scaling.MaxReplicas"),
        ["CAC9006"] = (() => [Fixtures.Compliant(), Fixtures.Compliant()], "Name"),
        ["CAC9010"] = (() => [Fixtures.Compliant() with { Suppressions = [new RuleSuppression("CAC1006", "ok")] }], "Suppressions"),
    };

    /// <summary>Every violating config of the table, for tests over the messages.</summary>
    internal static IEnumerable<(string RuleId, InferenceDeployment[] Deployments)> ViolatingConfigs() =>
        Violations.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value.Build()));

    public static IEnumerable<object[]> RuleIds => Violations.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_fires_on_a_violating_config_at_the_offending_property(string ruleId)
    {
        var (build, path) = Violations[ruleId];

        var report = Fixtures.Validate(build());

        var findings = report.Violations.Where(f => f.Id == ruleId).ToArray();
        Assert.True(findings.Length > 0, $"{ruleId} did not fire. Findings: {string.Join(Environment.NewLine, report.Findings)}");
        Assert.Contains(findings, f => f.PropertyPath == path);
        Assert.All(findings, f => Assert.Equal(RuleCatalog.Find(ruleId)!.DefaultSeverity, f.Severity));
    }

    [Fact]
    public void Every_rule_that_judges_deployments_has_a_firing_case()
    {
        // Tool codes other than CAC9006 and CAC9010 come from evaluation, rendering and the drift gate, tested there.
        var notValidatorRules = RuleCatalog.All.Where(r => r.Category == RuleCategory.Tool && r.Id != RuleCatalog.InvalidSuppression.Id && r.Id != RuleCatalog.DuplicateDeployment.Id).Select(r => r.Id)
            .Concat([RuleCatalog.UnknownPrice.Id, RuleCatalog.BudgetExceeded.Id, RuleCatalog.CostIncreaseOverThreshold.Id, RuleCatalog.CostBaselineUnreadable.Id, RuleCatalog.BudgetCoversNothing.Id]).ToArray(); // CostModelTests, VerdictTests (CAC4010)
        var judged = RuleCatalog.All.Where(r => !notValidatorRules.Contains(r.Id)).Select(r => r.Id);

        Assert.Empty(judged.Except(Violations.Keys));
    }

    public static IEnumerable<object[]> CompliantConfigs()
    {
        yield return ["vllm-8b-l4-prod", new[] { Fixtures.Compliant() }];
        yield return ["vllm-70b-4xh100-prod", new[] { Fixtures.CompliantMultiGpu() }];
        yield return ["tgi-mistral-l40s", new[] { Tgi() }];
        yield return ["triton-reranker", new[] { Triton() }];
        yield return ["shared-pool-within-budget", SharedPool(0.45, 0.45)];
        yield return ["overlay-with-declared-differences", DeclaredOverlay()];
        yield return ["canary-istio-70b", new[] { RolloutFixtures.Canary() }];
        yield return ["ramp-replica-ratio-8b", new[] { RolloutFixtures.Ramp() }];
        yield return ["shadow-istio-70b", new[] { RolloutFixtures.Shadow() }];
        yield return ["canary-nginx-tgi", new[] { RolloutFixtures.TgiCanary() }];
        yield return ["canary-gateway-api-triton", new[] { RolloutFixtures.TritonCanary() }];
        yield return ["multinode-lws-pool-canary-keda", MultiNodeFixtures.Platform()];
    }

    [Theory]
    [MemberData(nameof(CompliantConfigs))]
    public void Compliant_configs_produce_no_findings(string name, InferenceDeployment[] deployments)
    {
        var report = Fixtures.Validate(deployments);

        Assert.True(report.Findings.Count == 0, $"{name}: {string.Join(Environment.NewLine, report.Findings)}");
        Assert.Equal(report.Evaluations, report.CompliantCount);
    }

    [Fact]
    public void A_rule_set_to_none_is_not_evaluated()
    {
        var options = new RuleOptions { SeverityOverrides = new Dictionary<string, RuleSeverity> { ["CAC4001"] = RuleSeverity.None } };

        var report = Fixtures.Validate(options, Fixtures.Compliant() with { Cost = null });

        Assert.DoesNotContain(report.Findings, f => f.Id == "CAC4001");
    }

    [Fact]
    public void Severity_overrides_apply_to_findings()
    {
        var options = new RuleOptions { SeverityOverrides = new Dictionary<string, RuleSeverity> { ["CAC4001"] = RuleSeverity.Error } };

        var report = Fixtures.Validate(options, Fixtures.Compliant() with { Cost = null });

        Assert.Equal(RuleSeverity.Error, Assert.Single(report.Findings, f => f.Id == "CAC4001").Severity);
        Assert.True(report.HasErrors);
    }

    [Fact]
    public void Threshold_options_move_the_gpu_memory_limit()
    {
        var deployment = Fixtures.Compliant() with { Engine = Vllm() with { GpuMemoryUtilization = 0.93 } };

        Assert.DoesNotContain("CAC3002", Fixtures.Validate(deployment).ViolationIds());
        Assert.Contains("CAC3002", Fixtures.Validate(new RuleOptions { MaxGpuMemoryUtilization = 0.92 }, deployment).ViolationIds());
    }

    [Fact]
    public void Gpu_memory_advice_stays_below_a_threshold_of_090_or_less()
    {
        // "Use 0.90" under a threshold of 0.90 asked for a value the gate still reports (the lightbulb is off there too).
        var options = new RuleOptions { MaxGpuMemoryUtilization = 0.90 };
        var high = Fixtures.Validate(options, Fixtures.Compliant() with { Engine = Vllm() with { GpuMemoryUtilization = 0.93 } }).Findings.Single(f => f.Id == "CAC3002");
        var outOfRange = Fixtures.Validate(options, Fixtures.Compliant() with { Engine = Vllm() with { GpuMemoryUtilization = 1.5 } }).Findings.Single(f => f.Id == "CAC3001");

        Assert.All(new[] { high.Message, outOfRange.Message }, message =>
        {
            Assert.DoesNotContain("Use 0.90", message, StringComparison.Ordinal);
            Assert.Contains("Use a value below 0.9, the configured threshold.", message, StringComparison.Ordinal);
        });
        Assert.Contains("Use 0.90.", Fixtures.Validate(Fixtures.Compliant() with { Engine = Vllm() with { GpuMemoryUtilization = 0.97 } }).Findings.Single(f => f.Id == "CAC3002").Message, StringComparison.Ordinal);
    }

    internal static VllmEngine Vllm() => (VllmEngine)Fixtures.Compliant().Engine;

    internal static TgiEngine TgiEngineCompliant() => new()
    {
        MaxInputTokens = 4096, MaxTotalTokens = 8192, MaxBatchPrefillTokens = 8192, MaxBatchTotalTokens = 65536, MaxConcurrentRequests = 128,
    };

    internal static InferenceDeployment Tgi() => Fixtures.Compliant() with
    {
        Name = "support-mistral",
        Model = new ModelSpec { Id = "mistralai/Mistral-7B-Instruct-v0.3", Revision = Fixtures.Revision },
        Engine = TgiEngineCompliant(),
        Image = new ContainerImage { Repository = "ghcr.io/huggingface/text-generation-inference", Tag = "2.4.0", Digest = Fixtures.Digest },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L40S },
    };

    internal static TritonEngine TritonEngine() => new() { MaxBatchSize = 64, DynamicBatching = new TritonDynamicBatching { PreferredBatchSizes = [16, 32] } };

    internal static InferenceDeployment Triton() => Fixtures.Compliant() with
    {
        Name = "reranker",
        Model = new ModelSpec
        {
            Id = "BAAI/bge-reranker-v2-m3",
            Revision = Fixtures.Revision,
            LoadTime = TimeSpan.FromMinutes(2),
            Source = ModelSource.S3("s3://models/rerankers") with { FetchImage = ObjectStoreSource.DefaultFetchImage with { Digest = Fixtures.Digest } },
        },
        Engine = TritonEngine(),
        Image = new ContainerImage { Repository = "nvcr.io/nvidia/tritonserver", Tag = "24.10-py3", Digest = Fixtures.Digest },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.T4 },
        Probes = HealthProbes.For(TritonEngine(), TimeSpan.FromMinutes(5)),
        Load = null,
    };

    private static InferenceDeployment[] SharedPool(double first, double second)
    {
        var a = Fixtures.Compliant(DeploymentEnvironment.Dev) with
        {
            Name = "summarize",
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, SharedGpuGroup = "h100-timesliced" },
            Engine = Vllm() with { GpuMemoryUtilization = first, MaxNumSeqs = 64, MaxNumBatchedTokens = 8192 },
        };
        var b = a with { Name = "classify", Engine = Vllm() with { GpuMemoryUtilization = second, MaxNumSeqs = 64, MaxNumBatchedTokens = 8192 } };
        return [a, b];
    }

    private static InferenceDeployment[] DeclaredOverlay()
    {
        var staging = Fixtures.Compliant(DeploymentEnvironment.Staging);
        var prod = staging.In(DeploymentEnvironment.Prod) with
        {
            Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 },
            IntendedDifferences = ["Scaling.MinReplicas", "Scaling.MaxReplicas"],
        };
        return [staging, prod];
    }
}
