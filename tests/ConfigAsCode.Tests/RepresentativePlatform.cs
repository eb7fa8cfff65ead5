using System;
using System.Collections.Generic;

namespace ConfigAsCode.Tests;

/// <summary>A small but realistic platform used by the rendering and golden-file tests.</summary>
internal static class RepresentativePlatform
{
    public static IReadOnlyList<InferenceDeployment> Deployments()
    {
        var chat70 = Fixtures.CompliantMultiGpu() with
        {
            Environment = DeploymentEnvironment.Staging,
            Scaling = new ScalingSpec { MinReplicas = 2, MaxReplicas = 2 },
            Env = [EnvVar.FromSecret("HF_TOKEN", "hf-token", "token"), EnvVar.Literal("VLLM_LOGGING_LEVEL", "INFO"), EnvVar.Literal("FEATURE_FLAG", "yes")],
            Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 64, MaxModelLen = 16384, TensorParallelSize = 4, ApiKey = new SecretReference("chat-api", "key"), EnablePrefixCaching = true },
            Observability = new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = "http://otel-collector.observability:4317", SamplingRatio = 0.05 } },
            Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowIngressFromNamespaces = ["gateway", "monitoring"], AllowEgressCidrs = ["10.20.0.0/16"] } },
            Cost = new CostAttribution { Team = "assistant", CostCenter = "cc-1100", Owner = "platform-oncall", Labels = new Dictionary<string, string> { ["product"] = "chat" } },
        };
        var chat70Prod = chat70.In(DeploymentEnvironment.Prod) with
        {
            Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 8, Signal = ScalingSignal.QueueDepth(2.5) },
            IntendedDifferences = ["Scaling"],
        };

        var chat8 = Fixtures.Compliant(DeploymentEnvironment.Dev) with
        {
            Name = "chat-8b",
            Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
            Resources = new PodResources { CpuRequestMillicores = 1500, CpuLimitMillicores = 4000, MemoryRequestMiB = 24576, MemoryLimitMiB = 24576 },
        };

        var tgi = RuleFiringTests.Tgi() with { Environment = DeploymentEnvironment.Prod };
        var triton = RuleFiringTests.Triton() with { Environment = DeploymentEnvironment.Prod, Namespace = "search" };
        return [chat70, chat70Prod, chat8, tgi, triton];
    }
}
