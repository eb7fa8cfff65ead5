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
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 8192, GpuMemoryUtilization = 0.90 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0F6BD6D1" },
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
