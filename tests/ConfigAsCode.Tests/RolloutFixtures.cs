using System;

namespace ConfigAsCode.Tests;

/// <summary>Compliant canary, ramp and shadow deployments, one per strategy and router.</summary>
internal static class RolloutFixtures
{
    public static ServiceLevelObjectives Slos { get; } = new()
    {
        Availability = 0.999,
        MaxErrorRate = 0.01,
        P95Latency = TimeSpan.FromSeconds(20),
        P95TimeToFirstToken = TimeSpan.FromSeconds(1),
    };

    public static ObservabilitySpec Observability { get; } = new() { Traces = new TraceExport { OtlpEndpoint = "http://otel-collector.observability:4317" } };

    /// <summary>Llama-3.1-70B on 4 x H100 in prod, Istio canary 10 → 25 → 50 with a gate, guardrails from the SLOs.</summary>
    public static InferenceDeployment Canary() => Fixtures.CompliantMultiGpu() with
    {
        Slos = Slos,
        Observability = Observability,
        Scaling = new ScalingSpec { MinReplicas = 3, MaxReplicas = 8, Signal = ScalingSignal.QueueDepth(4) },
        Rollout = new CanaryRollout
        {
            Steps =
            [
                CanaryStep.SetWeight(10),
                CanaryStep.Pause(TimeSpan.FromMinutes(10)),
                CanaryStep.SetWeight(25),
                CanaryStep.Analysis(),
                CanaryStep.SetWeight(50),
                CanaryStep.Pause(TimeSpan.FromMinutes(15)),
            ],
            TrafficRouter = TrafficRouter.Istio("chat-70b"),
        },
    };

    /// <summary>Llama-3.1-8B on L4 in prod, a replica-ratio ramp ending with a hold at 100%.</summary>
    public static InferenceDeployment Ramp() => Fixtures.Compliant() with
    {
        Slos = Slos with { P95TimeToFirstToken = null },
        Observability = Observability,
        Scaling = new ScalingSpec { MinReplicas = 4, MaxReplicas = 4 },
        Rollout = new RampRollout
        {
            Stages = [new RampStage(10, TimeSpan.FromMinutes(15)), new RampStage(30, TimeSpan.FromMinutes(15)), new RampStage(60, TimeSpan.FromMinutes(30)), new RampStage(100, TimeSpan.FromMinutes(30))],
            Guardrails = new Guardrails { MaxErrorRate = 0.005, InitialDelay = TimeSpan.FromMinutes(5), NoData = NoDataPolicy.Pause },
        },
    };

    /// <summary>Llama-3.1-70B in prod, 20% of requests mirrored to one shadow replica for an hour, then promoted.</summary>
    public static InferenceDeployment Shadow() => Canary() with
    {
        Rollout = new ShadowRollout
        {
            MirrorPercent = 20,
            Duration = TimeSpan.FromHours(1),
            TrafficRouter = TrafficRouter.Istio("chat-70b"),
            ShadowReplicas = 1,
            CostAcknowledgment = "one extra 4xH100 replica for an hour per release; approved by FinOps in PLAT-412",
        },
    };

    /// <summary>TGI in prod behind an NGINX Ingress: error-rate and latency guardrails only (TGI has no TTFT histogram).</summary>
    public static InferenceDeployment TgiCanary() => RuleFiringTests.Tgi() with
    {
        Slos = new ServiceLevelObjectives { MaxErrorRate = 0.02, P95Latency = TimeSpan.FromSeconds(8) },
        Observability = Observability,
        Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(20), CanaryStep.Pause(TimeSpan.FromMinutes(10)), CanaryStep.SetWeight(60), CanaryStep.Pause(TimeSpan.FromMinutes(10))], TrafficRouter = TrafficRouter.Nginx("support-mistral") },
    };

    /// <summary>Triton in prod through the Gateway API plugin: error rate only.</summary>
    public static InferenceDeployment TritonCanary() => RuleFiringTests.Triton() with
    {
        Slos = new ServiceLevelObjectives { Availability = 0.995 },
        Observability = Observability,
        Rollout = new CanaryRollout { Steps = [CanaryStep.SetWeight(25), CanaryStep.Pause(TimeSpan.FromMinutes(5)), CanaryStep.SetWeight(75), CanaryStep.Pause(TimeSpan.FromMinutes(5))], TrafficRouter = TrafficRouter.GatewayApi("reranker") },
    };
}
