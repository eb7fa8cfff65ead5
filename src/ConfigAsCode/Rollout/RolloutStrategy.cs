using System;
using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// How a new version replaces the old one. <see cref="RollingUpdate"/> renders a Deployment; <see cref="CanaryRollout"/>,
/// <see cref="RampRollout"/> and <see cref="ShadowRollout"/> render an Argo Rollouts <c>Rollout</c> whose guardrails,
/// derived from the deployment's SLOs, abort and roll back a failing version automatically.
/// </summary>
public abstract record RolloutStrategy
{
    private protected RolloutStrategy()
    {
    }

    /// <summary>Old ReplicaSets kept to roll back to; 0 leaves no rollback path (CAC1017).</summary>
    public int RevisionHistoryLimit { get; init; } = 10;
}

/// <summary>
/// A Kubernetes rolling update. The defaults (surge 1, unavailable 0) never drop capacity while a slow-loading
/// GPU pod starts. There is no automatic rollback: revert the commit to roll back.
/// </summary>
public sealed record RollingUpdate : RolloutStrategy
{
    public int MaxSurge { get; init; } = 1;

    public int MaxUnavailable { get; init; }
}

/// <summary>An Argo Rollouts canary: weighted steps, pauses and analyses, aborted and rolled back when a guardrail fails.</summary>
public sealed record CanaryRollout : RolloutStrategy
{
    /// <summary>The steps, in order. After the last step the canary is promoted to 100%.</summary>
    public required IReadOnlyList<CanaryStep> Steps { get; init; }

    /// <summary>
    /// Limits the canary is judged against for the whole rollout. A limit left null is derived from the SLOs; a limit
    /// looser than its SLO is reported (CAC1014).
    /// </summary>
    public Guardrails? Guardrails { get; init; }

    /// <summary>The router that splits traffic by weight; null splits by replica count (weights are then approximate).</summary>
    public TrafficRouter? TrafficRouter { get; init; }

    /// <summary>
    /// Adopt the live Deployment instead of replacing it: the Rollout references it (<c>workloadRef</c>, scaled down by
    /// Argo Rollouts only once the Rollout is healthy) and the Deployment stays in the manifests, so Argo CD does not
    /// delete it while the Rollout's pods load the model. Set it for the first change that turns a rolling update into
    /// this strategy, and remove it once the Rollout is healthy (docs/recipes/canary-rollout.md, docs/manifests.md#migrating-a-live-deployment-to-a-rollout).
    /// </summary>
    public bool MigrateFromDeployment { get; init; }
}

/// <summary>One step of a canary.</summary>
public abstract record CanaryStep
{
    private protected CanaryStep()
    {
    }

    /// <summary>Send <paramref name="percent"/> of traffic to the canary.</summary>
    public static CanaryStep SetWeight(int percent) => new SetWeightStep(percent);

    /// <summary>Hold for <paramref name="duration"/>; null waits for a human to promote (CAC1015).</summary>
    public static CanaryStep Pause(TimeSpan? duration) => new PauseStep(duration);

    /// <summary>
    /// A gate: measure the guardrails <paramref name="measurements"/> times and continue only if they pass. The
    /// guardrails also run in the background for the whole rollout.
    /// </summary>
    public static CanaryStep Analysis(int measurements = 5) => new AnalysisStep(measurements);
}

public sealed record SetWeightStep(int Percent) : CanaryStep;

public sealed record PauseStep(TimeSpan? Duration) : CanaryStep;

public sealed record AnalysisStep(int Measurements = 5) : CanaryStep;

/// <summary>A gradual ramp: traffic percentages held for durations, with the same guardrails as a canary.</summary>
public sealed record RampRollout : RolloutStrategy
{
    /// <summary>The stages, in order. A last stage of 100 keeps the guardrails watching full traffic before the old version goes.</summary>
    public required IReadOnlyList<RampStage> Stages { get; init; }

    /// <inheritdoc cref="CanaryRollout.Guardrails"/>
    public Guardrails? Guardrails { get; init; }

    /// <inheritdoc cref="CanaryRollout.TrafficRouter"/>
    public TrafficRouter? TrafficRouter { get; init; }

    /// <inheritdoc cref="CanaryRollout.MigrateFromDeployment"/>
    public bool MigrateFromDeployment { get; init; }
}

/// <summary>Hold <paramref name="Percent"/> of traffic on the new version for <paramref name="Hold"/>.</summary>
public sealed record RampStage(int Percent, TimeSpan Hold);

/// <summary>
/// Shadow mode: a copy of live traffic is mirrored to the new version and its answers are discarded, while the
/// guardrails judge it; then it is promoted through <see cref="PromotionSteps"/>. Only for idempotent inference
/// endpoints: every mirrored request runs twice. The shadow replicas cost GPUs, which the cost model counts;
/// production requires <see cref="CostAcknowledgment"/> (CAC4007).
/// </summary>
public sealed record ShadowRollout : RolloutStrategy
{
    /// <summary>Share of requests mirrored, 1–100.</summary>
    public required int MirrorPercent { get; init; }

    /// <summary>How long to mirror before promotion starts.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The router that mirrors; it must support mirroring (Istio in this version).</summary>
    public required TrafficRouter TrafficRouter { get; init; }

    /// <summary>Replicas of the shadow version; counted by the cost model.</summary>
    public int ShadowReplicas { get; init; } = 1;

    /// <summary>Why paying for shadow GPUs is accepted; required in production (CAC4007).</summary>
    public string? CostAcknowledgment { get; init; }

    /// <inheritdoc cref="CanaryRollout.Guardrails"/>
    public Guardrails? Guardrails { get; init; }

    /// <inheritdoc cref="CanaryRollout.MigrateFromDeployment"/>
    public bool MigrateFromDeployment { get; init; }

    /// <summary>Canary steps that move live traffic after the mirror phase passed; 25% and 50% with 10-minute holds by default.</summary>
    public IReadOnlyList<CanaryStep> PromotionSteps { get; init; } =
    [
        CanaryStep.SetWeight(25),
        CanaryStep.Pause(TimeSpan.FromMinutes(10)),
        CanaryStep.SetWeight(50),
        CanaryStep.Pause(TimeSpan.FromMinutes(10)),
    ];
}

/// <summary>What to do when a guardrail's query returns no data (no traffic, or pods that never became ready).</summary>
public enum NoDataPolicy
{
    /// <summary>Count it as a failed measurement: a canary that serves nothing is not healthy. The default.</summary>
    Fail,

    /// <summary>Count it as inconclusive: the rollout pauses until a human promotes or aborts it.</summary>
    Pause,
}

/// <summary>Limits a rollout is judged against; a failed analysis aborts the rollout and rolls back.</summary>
public sealed record Guardrails
{
    /// <summary>Largest acceptable error ratio, for example 0.01; derived from the SLOs when null.</summary>
    public double? MaxErrorRate { get; init; }

    /// <summary>Largest acceptable p95 end-to-end latency; derived from the SLOs when null.</summary>
    public TimeSpan? MaxP95Latency { get; init; }

    /// <summary>Largest acceptable p95 time to first token; derived from the SLOs when null.</summary>
    public TimeSpan? MaxP95TimeToFirstToken { get; init; }

    /// <summary>How often each metric is measured.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to let the new version take traffic before judging it.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed measurements tolerated; one more fails the analysis.</summary>
    public int FailureLimit { get; init; } = 2;

    /// <summary>What a measurement without data counts as.</summary>
    public NoDataPolicy NoData { get; init; } = NoDataPolicy.Fail;
}

/// <summary>The component that moves traffic between the stable and the new version.</summary>
public abstract record TrafficRouter
{
    private protected TrafficRouter()
    {
    }

    /// <summary>The name of the router's object (VirtualService, Ingress or HTTPRoute) that the platform team owns.</summary>
    public abstract string RouteObject { get; }

    /// <summary>Whether Argo Rollouts can mirror traffic through this router (<c>setMirrorRoute</c>).</summary>
    public abstract bool SupportsMirroring { get; }

    /// <summary>An Istio VirtualService and the HTTP route in it that Argo Rollouts rewrites.</summary>
    public static TrafficRouter Istio(string virtualService, string route = "primary") => new IstioRouter(virtualService, route);

    /// <summary>An NGINX Ingress; Argo Rollouts creates the canary Ingress next to it.</summary>
    public static TrafficRouter Nginx(string stableIngress) => new NginxRouter(stableIngress);

    /// <summary>A Gateway API HTTPRoute, through the <c>argoproj-labs/gatewayAPI</c> plugin.</summary>
    public static TrafficRouter GatewayApi(string httpRoute) => new GatewayApiRouter(httpRoute);
}

public sealed record IstioRouter(string VirtualService, string Route) : TrafficRouter
{
    public override string RouteObject => VirtualService;

    public override bool SupportsMirroring => true;
}

public sealed record NginxRouter(string StableIngress) : TrafficRouter
{
    public override string RouteObject => StableIngress;

    public override bool SupportsMirroring => false;
}

public sealed record GatewayApiRouter(string HttpRoute) : TrafficRouter
{
    public override string RouteObject => HttpRoute;

    public override bool SupportsMirroring => false;
}
