using System;
using System.Collections.Generic;
using ConfigAsCode;

namespace InferencePlatform.Problems;

/// <summary>
/// Deliberately unsafe, compiled only with <c>dotnet build -p:ShowProblems=true</c>: every marked line is reported
/// as you type (CACnnnn squiggles) and again by the build, and the new deployment is drift (CAC9002).
/// </summary>
public sealed class UnsafeExamples : ConfigAsCode.InferencePlatform
{
    public override IEnumerable<InferenceDeployment> Declare()
    {
        yield return new InferenceDeployment
        {
            Name = "unsafe-demo",
            Namespace = "default",                                               // CAC2008
            Environment = DeploymentEnvironment.Prod,
            Model = new ModelSpec { Id = "meta-llama/Llama-3.1-8B-Instruct" },    // CAC5003: no pinned revision; CAC2015: no route to the Hub; CAC1025: every pod downloads
            Engine = new VllmEngine
            {
                MaxNumSeqs = 32,
                MaxNumBatchedTokens = 8192,
                GpuMemoryUtilization = 0.97,                                     // CAC3002
                TensorParallelSize = 2,                                          // CAC3004: 2 GPUs of parallelism, 1 GPU
            },
            Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = "latest" }, // CAC5001, CAC5002
            Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.L4, Count = 1 },
            Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },      // CAC1006
            Security = new SecuritySpec { Privileged = true },                   // CAC2003
            Env = [EnvVar.Literal("HF_TOKEN", "paste-your-token-here")],         // CAC2001
            Cost = new CostAttribution { Team = "demo", CostCenter = "cc-0" },
            Rollout = new CanaryRollout                                          // CAC1013: production canary, no SLOs or guardrails
            {
                Steps =
                [
                    CanaryStep.SetWeight(10),
                    CanaryStep.Pause(null),                                      // CAC1015: waits for a human forever
                    CanaryStep.SetWeight(90),                                    // CAC1016: 10% → 90% in one step
                ],
            },
        };
    }
}
