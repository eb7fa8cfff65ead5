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
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new VllmEngine { MaxNumSeqs = 0, MaxNumBatchedTokens = 8192, MaxModelLen = 8192, GpuMemoryUtilization = 0.90 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.12.0", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Resources = new PodResources { CpuRequestMillicores = 4000, MemoryRequestMiB = 32768, MemoryLimitMiB = 32768 },
            Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4 },
            Probes = new HealthProbes(),
            Security = new SecuritySpec(),
            Env = new List<EnvVar> { EnvVar.FromSecret("HF_TOKEN", "hf-token", "token") },
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
            Load = new ExpectedLoad { RequestsPerSecond = 2, InputTokens = 1000, OutputTokens = 200 },
            DisruptionBudget = new DisruptionBudget { MaxUnavailable = 1 },
        };
    }
}
