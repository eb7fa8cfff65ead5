using System;
using System.Collections.Generic;

namespace ConfigAsCode.Benchmarks;

/// <summary>
/// N deployments spread over three environments, four engines/GPU shapes and twenty namespaces, each
/// compliant enough to render, with overlays whose differences are declared (so drift detection runs in full).
/// With <c>rollouts</c>, every deployment has SLOs (PodMonitor and PrometheusRule) and production ones roll out
/// through a canary (vLLM) or a ramp (TGI, Triton): the shape of a fleet that uses everything. Abstract, so a
/// generated config project (gate.sh) declares its own public platform with a parameterless constructor.
/// </summary>
public abstract class SyntheticPlatform(int count, bool rollouts = false) : InferencePlatform
{
    private static readonly ServiceLevelObjectives Slos = new() { Availability = 0.999, P95Latency = TimeSpan.FromSeconds(10), P95TimeToFirstToken = TimeSpan.FromSeconds(1) };

    private static readonly RolloutStrategy Canary = new CanaryRollout
    {
        Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(10)), CanaryStep.SetWeight(30), CanaryStep.Analysis(), CanaryStep.SetWeight(60), CanaryStep.Pause(TimeSpan.FromMinutes(10))],
        TrafficRouter = TrafficRouter.Istio("gateway"),
    };

    private static readonly RolloutStrategy Ramp = new RampRollout
    {
        Stages = [new RampStage(20, TimeSpan.FromMinutes(10)), new RampStage(50, TimeSpan.FromMinutes(10)), new RampStage(100, TimeSpan.FromMinutes(10))],
    };

    private const string Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3";
    private const string Revision = "0e9e39f249a16976918f6564b8830bc894c89659";

    public override IEnumerable<InferenceDeployment> Declare()
    {
        DeploymentEnvironment[] environments = [DeploymentEnvironment.Dev, DeploymentEnvironment.Staging, DeploymentEnvironment.Prod];
        var emitted = 0;
        for (var app = 0; emitted < count; app++)
        {
            var baseline = rollouts ? Shape(app) with { Slos = app % 4 < 2 ? Slos : new ServiceLevelObjectives { Availability = 0.999 } } : Shape(app);
            foreach (var environment in environments)
            {
                if (emitted == count)
                {
                    yield break;
                }

                yield return environment.IsProduction
                    ? baseline.In(environment) with
                    {
                        Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 6 },
                        Rollout = !rollouts ? baseline.Rollout : app % 4 < 2 ? Canary : Ramp,
                        IntendedDifferences = ["Scaling", "Rollout"],
                    }
                    : baseline.In(environment);
                emitted++;
            }
        }
    }

    /// <summary>Weights cached on a shared ReadWriteMany class, downloads through the egress proxy (as a real cluster would).</summary>
    private static readonly ClusterProfile Cluster = new() { SharedStorageClass = "efs-sc", EgressProxy = "http://egress-proxy.egress:3128" };

    private static InferenceDeployment Shape(int app)
    {
        var name = $"app-{app:D5}";
        var ns = $"team-{app % 20:D2}";
        var cost = new CostAttribution { Team = ns, CostCenter = $"cc-{app % 7}", Owner = "oncall" };
        var image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = Digest };
        var triton = new TritonEngine { MaxBatchSize = 64, DynamicBatching = new TritonDynamicBatching() };
        return ((app % 4) switch
        {
            0 => new InferenceDeployment
            {
                Name = name, Namespace = ns, Environment = DeploymentEnvironment.Dev, Cost = cost, Image = image,
                Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = Revision },
                Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 8192 },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4 },
                Load = new ExpectedLoad { RequestsPerSecond = 1, InputTokens = 1000, OutputTokens = 200 },
            },
            1 => new InferenceDeployment
            {
                Name = name, Namespace = ns, Environment = DeploymentEnvironment.Dev, Cost = cost, Image = image,
                Model = new ModelSpec { Id = "meta-llama/Llama-3.1-70B-Instruct", Revision = Revision },
                Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 16384, MaxModelLen = 16384, TensorParallelSize = 4 },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 4 },
                Resources = new PodResources { CpuRequestMillicores = 16000, MemoryRequestMiB = 131072, MemoryLimitMiB = 131072, SharedMemoryMiB = 16384 },
                Probes = HealthProbes.For("/health", TimeSpan.FromMinutes(20)),
                Load = new ExpectedLoad { RequestsPerSecond = 2, InputTokens = 2000, OutputTokens = 400 },
                Env = [EnvVar.FromSecret("HF_TOKEN", "hf-token", "token")],
            },
            2 => new InferenceDeployment
            {
                Name = name, Namespace = ns, Environment = DeploymentEnvironment.Dev, Cost = cost,
                Image = image with { Repository = "ghcr.io/huggingface/text-generation-inference", Tag = "2.4.0" },
                Model = new ModelSpec { Id = "mistralai/Mistral-7B-Instruct-v0.3", Revision = Revision },
                Engine = new TgiEngine { MaxInputTokens = 4096, MaxTotalTokens = 8192, MaxBatchPrefillTokens = 8192, MaxBatchTotalTokens = 65536 },
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L40S },
            },
            _ => new InferenceDeployment
            {
                Name = name, Namespace = ns, Environment = DeploymentEnvironment.Dev, Cost = cost,
                Image = image with { Repository = "nvcr.io/nvidia/tritonserver", Tag = "24.10-py3" },
                Model = new ModelSpec { Id = "BAAI/bge-reranker-v2-m3", Revision = Revision },
                Engine = triton,
                Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.T4 },
                Probes = HealthProbes.For(triton, TimeSpan.FromMinutes(5)),
            } with
            {
                Model = new ModelSpec
                {
                    Id = "BAAI/bge-reranker-v2-m3", Revision = Revision,
                    Source = ModelSource.S3("s3://models/rerankers", endpoint: "https://s3.us-east-1.amazonaws.com") with { FetchImage = ObjectStoreSource.DefaultFetchImage with { Digest = Digest } },
                },
            },
        }) with { Cluster = Cluster };
    }
}
