using System;
using System.Collections.Generic;

namespace ConfigAsCode.Tests;

/// <summary>
/// Compliant multi-node, inference-pool and KEDA deployments: Llama-3.1-405B on 2 x 8 H100 per replica (TP 8 x PP 2,
/// a LeaderWorkerSet) behind an InferencePool whose route sends 10% to an FP8 candidate on one 8 x H100 node, and an 8B
/// tier scaled by KEDA on queue depth and KV-cache usage.
/// </summary>
internal static class MultiNodeFixtures
{
    public const string VllmDigest = "sha256:9f8c2c1ac5e7c0f4a0d0b3e65e0d8a7d0c9e3b1a2f4d5c6b7a8e9f0a1b2c3d4e";

    public static ServiceLevelObjectives Slos { get; } = new()
    {
        Availability = 0.999,
        MaxErrorRate = 0.01,
        P95Latency = TimeSpan.FromSeconds(30),
        P95TimeToFirstToken = TimeSpan.FromSeconds(2),
    };

    /// <summary>Llama-3.1-405B (bf16) on 2 nodes x 8 H100 per replica, TP 8 x PP 2, in prod, behind an InferencePool.</summary>
    public static InferenceDeployment Llama405B() => Fixtures.Compliant() with
    {
        Name = "chat-405b",
        Namespace = "assistant",
        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-405B-Instruct", Revision = "be673f326cab4cd22ccfef76109faf68e41aa5f1", LoadTime = TimeSpan.FromMinutes(25) },
        Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 16_384, TensorParallelSize = 8, PipelineParallelSize = 2 },
        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = VllmDigest },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8, Nodes = 2 },
        Resources = new PodResources { CpuRequestMillicores = 32_000, MemoryRequestMiB = 262_144, MemoryLimitMiB = 262_144, SharedMemoryMiB = 32_768 },
        Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 2 },
        Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(40)),
        Slos = Slos,
        Observability = RolloutFixtures.Observability,
        Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowIngressFromNamespaces = ["gateway", "monitoring"], AllowEgressCidrs = ["10.20.0.0/16"] } },
        Cost = new CostAttribution { Team = "assistant", CostCenter = "cc-1100", Owner = "assistant-oncall" },
        Load = new ExpectedLoad { RequestsPerSecond = 0.5, InputTokens = 2_000, OutputTokens = 400 },
        Pool = new InferencePoolSpec
        {
            Gateway = "inference-gateway",
            GatewayNamespace = "gateway",
            Hostnames = ["llm.example.com"],
            HeaderMatches = new Dictionary<string, string> { ["X-Gateway-Model-Name"] = "meta-llama/Llama-3.1-405B-Instruct" },
            Canary = new PoolCanary { Candidate = "chat-405b-fp8", Weight = 10 },
        },
    };

    /// <summary>The canary candidate: Llama-3.1-405B-FP8 on one 8 x H100 node, reached only through chat-405b's route.</summary>
    public static InferenceDeployment Llama405BFp8Candidate() => Llama405B() with
    {
        Name = "chat-405b-fp8",
        Model = new ModelSpec { Id = "meta-llama/Llama-3.1-405B-Instruct-FP8", Revision = "64a54b704768dfd589a3e4ac05d546052f67f4fd", LoadTime = TimeSpan.FromMinutes(15) },
        Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 16_384, TensorParallelSize = 8 },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 8 },
        Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 2 },
        Pool = new InferencePoolSpec { Gateway = "inference-gateway", GatewayNamespace = "gateway", HttpRoute = false },
    };

    /// <summary>Llama-3.1-8B on L4 in prod, scaled by KEDA on queue depth and KV-cache usage.</summary>
    public static InferenceDeployment KedaScaled() => Fixtures.Compliant() with
    {
        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = VllmDigest },
        Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 6, Signal = ScalingSignal.QueueDepth(5), Keda = new KedaScaling { KvCacheUsageTarget = 0.8 } },
    };

    /// <summary>The three, as one platform.</summary>
    public static InferenceDeployment[] Platform() => [Llama405B(), Llama405BFp8Candidate(), KedaScaled()];
}
