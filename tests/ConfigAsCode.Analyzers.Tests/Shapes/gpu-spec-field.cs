// shape: a GPU spec shared through a static readonly field
// rule: CAC3004
// expected: as-you-type
using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode;

namespace Shapes;

public sealed class Platform : InferencePlatform
{
    private static readonly AcceleratorSpec FourH100 = new() { Gpu = GpuCatalog.H100_80GB, Count = 4 };
    public override IEnumerable<InferenceDeployment> Declare()
    {
        yield return new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-70B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 8192, TensorParallelSize = 2 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = FourH100,
            Resources = new PodResources { SharedMemoryMiB = 16384 },
            Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 4 },
            Probes = new HealthProbes(),
            Env = [EnvVar.FromSecret("HF_TOKEN", "hf-token", "token")],
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
        };
    }
}
