using System;
using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>How a new version replaces the old one. Rolling by default; canary, ramp and shadow render as Argo Rollouts.</summary>
public abstract record RolloutStrategy
{
    private protected RolloutStrategy()
    {
    }
}

/// <summary>
/// A Kubernetes rolling update. The defaults (surge 1, unavailable 0) never drop capacity while a slow-loading
/// GPU pod starts.
/// </summary>
public sealed record RollingUpdate : RolloutStrategy
{
    public int MaxSurge { get; init; } = 1;

    public int MaxUnavailable { get; init; }
}

/// <summary>An Argo Rollouts canary: weighted steps, pauses and analyses, aborted and rolled back when a guardrail fails.</summary>
public sealed record CanaryRollout : RolloutStrategy
{
    /// <summary>The steps, in order.</summary>
    public required IReadOnlyList<CanaryStep> Steps { get; init; }

    /// <summary>The guardrails analysed during the rollout; derived from the SLOs when null.</summary>
    public Guardrails? Guardrails { get; init; }

    /// <summary>The traffic router that splits weights (for example <c>istio</c>, <c>nginx</c>, <c>gateway-api</c>); replica-ratio when null.</summary>
    public string? TrafficRouter { get; init; }
}

/// <summary>One step of a canary.</summary>
public abstract record CanaryStep
{
    private protected CanaryStep()
    {
    }

    /// <summary>Send <paramref name="percent"/> of traffic to the canary.</summary>
    public static CanaryStep SetWeight(int percent) => new SetWeightStep(percent);

    /// <summary>Pause for <paramref name="duration"/>; null pauses until a human promotes.</summary>
    public static CanaryStep Pause(TimeSpan? duration) => new PauseStep(duration);

    /// <summary>Run the guardrail analysis inline and wait for its verdict.</summary>
    public static CanaryStep Analysis() => new AnalysisStep();
}

public sealed record SetWeightStep(int Percent) : CanaryStep;

public sealed record PauseStep(TimeSpan? Duration) : CanaryStep;

public sealed record AnalysisStep : CanaryStep;

/// <summary>A gradual ramp: traffic percentages held for durations, with the same guardrails as a canary.</summary>
public sealed record RampRollout : RolloutStrategy
{
    /// <summary>The stages, in order; the last should reach 100.</summary>
    public required IReadOnlyList<RampStage> Stages { get; init; }

    public Guardrails? Guardrails { get; init; }

    public string? TrafficRouter { get; init; }
}

/// <summary>Hold <paramref name="Percent"/> of traffic on the new version for <paramref name="Hold"/>.</summary>
public sealed record RampStage(int Percent, TimeSpan Hold);

/// <summary>
/// Shadow mode: a copy of live traffic is mirrored to the new version and its answers are discarded. Only for
/// idempotent inference endpoints. The shadow replicas cost GPUs; production requires an acknowledgment.
/// </summary>
public sealed record ShadowRollout : RolloutStrategy
{
    /// <summary>Share of requests mirrored, 1–100.</summary>
    public required int MirrorPercent { get; init; }

    /// <summary>How long to mirror before promotion is considered.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The traffic router that mirrors (<c>setMirrorRoute</c> needs a plugin such as Gateway API or Istio).</summary>
    public required string TrafficRouter { get; init; }

    /// <summary>Replicas of the shadow version; counted by the cost model.</summary>
    public int ShadowReplicas { get; init; } = 1;

    /// <summary>Why paying for shadow GPUs is accepted; required in production.</summary>
    public string? CostAcknowledgment { get; init; }

    public Guardrails? Guardrails { get; init; }
}

/// <summary>Limits a rollout is judged against; a failed analysis aborts and rolls back.</summary>
public sealed record Guardrails
{
    /// <summary>Largest acceptable error ratio, for example 0.01.</summary>
    public double? MaxErrorRate { get; init; }

    /// <summary>Largest acceptable p95 end-to-end latency.</summary>
    public TimeSpan? MaxP95Latency { get; init; }

    /// <summary>Largest acceptable p95 time to first token.</summary>
    public TimeSpan? MaxP95TimeToFirstToken { get; init; }

    /// <summary>How often each metric is measured.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to let the canary take traffic before judging it.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed measurements tolerated before the analysis fails.</summary>
    public int FailureLimit { get; init; } = 2;
}
