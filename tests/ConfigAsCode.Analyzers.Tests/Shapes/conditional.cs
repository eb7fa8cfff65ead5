// shape: replicas from a conditional on a run-time value
// rule: CAC1006
// expected: build
using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode;

namespace Shapes;

public sealed class Platform : InferencePlatform
{

    public override IEnumerable<InferenceDeployment> Declare()
    {
        var small = System.Environment.ProcessorCount > 0;
        yield return new InferenceDeployment
        {
            Name = "chat",
            Namespace = "inference",
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct", Revision = "0e9e39f249a16976918f6564b8830bc894c89659" },
            Engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, MaxModelLen = 8192 },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "v0.6.4", Digest = "sha256:0f6bd6d1d2cb2b7f5e0e4a1a3a4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3" },
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Resources = new PodResources(),
            Scaling = new ScalingSpec { MinReplicas = small ? 1 : 2, MaxReplicas = 4 },
            Probes = new HealthProbes(),
            Env = [EnvVar.FromSecret("HF_TOKEN", "hf-token", "token")],
            Cost = new CostAttribution { Team = "ml", CostCenter = "cc-1" },
        };
    }
}
