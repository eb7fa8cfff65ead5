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
            Model = new ModelSpec { Id = "mistralai/Mistral-7B-Instruct-v0.3", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new TgiEngine { MaxInputTokens = 4096, MaxTotalTokens = 8192, MaxBatchPrefillTokens = 8192, MaxBatchTotalTokens = 65536 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L40S, Count = 2 },
            Resources = new PodResources { CpuRequestMillicores = 4000, MemoryRequestMiB = 32768, MemoryLimitMiB = 32768, SharedMemoryMiB = 8192 },
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
