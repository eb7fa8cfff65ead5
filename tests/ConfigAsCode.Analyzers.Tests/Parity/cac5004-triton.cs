using System;
using System.Collections.Generic;
using ConfigAsCode;

namespace Parity;

public sealed class Platform : InferencePlatform
{
    public override IEnumerable<InferenceDeployment> Declare()
    {
        yield return new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            // Staging: in production the default image that fetches ModelRepository is not pinned, CAC5002 at build time only.
            Environment = DeploymentEnvironment.Staging,
            Model = new ModelSpec { Id = "BAAI/bge-reranker-v2-m3", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new TritonEngine { ModelRepository = "s3://models/rerankers", DynamicBatching = new TritonDynamicBatching() },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Resources = new PodResources { CpuRequestMillicores = 4000, MemoryRequestMiB = 32768, MemoryLimitMiB = 32768 },
            Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4 },
            Probes = new HealthProbes(),
            Security = new SecuritySpec(),
            Env = new List<EnvVar> { EnvVar.FromSecret("HF_TOKEN", "hf-token", "token") },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
            
            DisruptionBudget = new DisruptionBudget { MaxUnavailable = 1 },
        };
    }
}
