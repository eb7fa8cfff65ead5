using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rollouts;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The Argo Rollouts objects of a canary, ramp or shadow: the <c>Rollout</c> that replaces the Deployment, its canary
/// and stable Services, and the <c>AnalysisTemplate</c> of guardrails that aborts and rolls back a failing version.
/// </summary>
internal static class RolloutManifests
{
    public const string ApiVersion = "argoproj.io/v1alpha1";
    public const string MirrorRoute = "mirror";

    public static string CanaryService(WorkloadIdentity id) => id.Name + "-canary";

    public static string StableService(WorkloadIdentity id) => id.Name + "-stable";

    public static string GuardrailsTemplate(WorkloadIdentity id) => id.Name + "-guardrails";

    public static string GateTemplate(WorkloadIdentity id) => id.Name + "-gate";

    /// <summary>Whether the deployment has guardrails the analysis can measure: metrics scraped and a limit its engine exports a metric for.</summary>
    public static bool HasAnalysis(InferenceDeployment d) => d.Observability.ScrapeMetrics && RolloutPlan.Measurable(d, RolloutPlan.Resolve(d)).Count > 0;

    public static MapNode Rollout(WorkloadIdentity id)
    {
        var d = id.Deployment;
        var steps = new ListNode();
        int? analysisStart = null;
        var hasAnalysis = HasAnalysis(d);
        // While it adopts a live Deployment, the Rollout routes no traffic itself: the Services and routes that reach the
        // Deployment's pods keep serving until the Rollout's own pods are healthy (docs/manifests.md#migrating-a-live-deployment-to-a-rollout).
        var migrating = RolloutPlan.MigratesFromDeployment(d.Rollout);
        var router = migrating ? null : RolloutPlan.Router(d.Rollout);
        void Add(MapNode step) => steps.Add(step);
        void MarkTraffic() => analysisStart ??= steps.Items.Count - 1;

        switch (d.Rollout)
        {
            case CanaryRollout canary:
                AddCanarySteps(id, canary.Steps, Add, MarkTraffic, hasAnalysis);
                break;
            case RampRollout ramp:
                foreach (var stage in ramp.Stages)
                {
                    Add(new MapNode().Set("setWeight", stage.Percent));
                    MarkTraffic();
                    Add(Pause(stage.Hold));
                }

                break;
            case ShadowRollout shadow when migrating:
                AddCanarySteps(id, shadow.PromotionSteps, Add, MarkTraffic, hasAnalysis);
                break;
            case ShadowRollout shadow:
                Add(new MapNode().Set("setCanaryScale", new MapNode().Set("replicas", shadow.ShadowReplicas)));
                Add(new MapNode().Set("setMirrorRoute", new MapNode()
                    .Set("name", MirrorRoute)
                    .Set("percentage", shadow.MirrorPercent)
                    .Set("match", ListNode.Of(new MapNode()
                        .Set("method", new MapNode().Set("exact", "POST"))
                        .Set("path", new MapNode().Set("prefix", InferencePathPrefix(d.Engine)))))));
                MarkTraffic();
                Add(Pause(shadow.Duration));
                Add(new MapNode().Set("setMirrorRoute", new MapNode().Set("name", MirrorRoute)));
                Add(new MapNode().Set("setCanaryScale", new MapNode().Set("matchTrafficWeight", true)));
                AddCanarySteps(id, shadow.PromotionSteps, Add, MarkTraffic, hasAnalysis);
                break;
        }

        var canaryStrategy = new MapNode()
            .Set("canaryService", CanaryService(id))
            .Set("stableService", StableService(id))
            // Never drop serving GPU capacity to make room for the new version.
            .Set("maxSurge", "25%")
            .Set("maxUnavailable", 0)
            .Set("trafficRouting", TrafficRouting(id, router, d.Rollout is ShadowRollout && !migrating))
            .Set("analysis", hasAnalysis
                ? new MapNode()
                    .Set("templates", ListNode.Of(new MapNode().Set("templateName", GuardrailsTemplate(id))))
                    .Set("startingStep", analysisStart is > 0 and var start ? start : null)
                    .Set("args", CanaryHashArgs())
                : null)
            .Set("steps", steps);

        var spec = new MapNode()
            .Set("replicas", d.Scaling.IsAutoscaled ? null : d.Scaling.MinReplicas)
            .Set("revisionHistoryLimit", d.Rollout.RevisionHistoryLimit)
            .Set("selector", id.SelectorNode())
            .Set("progressDeadlineSeconds", DeploymentManifest.ProgressDeadlineSeconds(d))
            // A rollout stuck past its deadline is aborted and sent back to the stable version, not left half-done.
            .Set("progressDeadlineAbort", true)
            .Set("workloadRef", migrating ? WorkloadRef(id) : null)
            .Set("template", migrating ? null : DeploymentManifest.PodTemplate(id))
            .Set("strategy", new MapNode().Set("canary", canaryStrategy));

        return new MapNode()
            .Set("apiVersion", ApiVersion)
            .Set("kind", "Rollout")
            .Set("metadata", id.Metadata(withAnnotations: true))
            .Set("spec", spec);
    }

    /// <summary>
    /// The live Deployment the Rollout takes its pod template from, scaled down by Argo Rollouts only once the Rollout is
    /// healthy (and back up if it fails), so capacity never drops while the Rollout's pods load the model.
    /// </summary>
    private static MapNode WorkloadRef(WorkloadIdentity id) => new MapNode()
        .Set("apiVersion", "apps/v1")
        .Set("kind", "Deployment")
        .Set("name", id.Name)
        .Set("scaleDown", "onsuccess");

    /// <summary>
    /// The guardrails as an AnalysisTemplate. Without <paramref name="count"/> it measures until the rollout ends (the
    /// background analysis); with it, it is a gate of that many measurements.
    /// </summary>
    public static MapNode AnalysisTemplate(WorkloadIdentity id, string name, int? count)
    {
        var d = id.Deployment;
        var g = RolloutPlan.Resolve(d).Limits;
        var metrics = EngineMetrics.For(d.Engine);
        var selector = EngineMetrics.CanarySelector(d);
        var list = new ListNode();
        if (g.MaxErrorRate is { } errors)
        {
            list.Add(Metric(d, g, count, "error-rate", metrics.ErrorRatioQuery(selector, "5m"), EngineMetrics.Ratio(Math.Round((decimal)errors, 9))));
        }

        if (g.MaxP95Latency is { } latency && metrics.LatencyHistogram is { } e2e)
        {
            list.Add(Metric(d, g, count, "p95-latency", EngineMetrics.Quantile(0.95, e2e, selector, "5m"), EngineMetrics.Seconds(latency)));
        }

        if (g.MaxP95TimeToFirstToken is { } ttft && metrics.TtftHistogram is { } ttftHistogram)
        {
            list.Add(Metric(d, g, count, "p95-time-to-first-token", EngineMetrics.Quantile(0.95, ttftHistogram, selector, "5m"), EngineMetrics.Seconds(ttft)));
        }

        return new MapNode()
            .Set("apiVersion", ApiVersion)
            .Set("kind", "AnalysisTemplate")
            .Set("metadata", id.Metadata(name))
            .Set("spec", new MapNode()
                .Set("args", ListNode.Of(new MapNode().Set("name", EngineMetrics.CanaryHashArgument)))
                .Set("metrics", list));
    }

    /// <summary>True when some step of the rollout is an inline analysis gate.</summary>
    public static bool HasGate(InferenceDeployment d) => RolloutPlan.Steps(d.Rollout).Any(s => s.Step is AnalysisStep);

    /// <summary>
    /// One guardrail. Success needs data: <c>len(result) &gt; 0</c> and not NaN (0/0 when nothing was served). With
    /// <see cref="NoDataPolicy.Fail"/> anything else is a failed measurement; with <see cref="NoDataPolicy.Pause"/> a
    /// failure condition is added, so no data is inconclusive and pauses the rollout for a human.
    /// </summary>
    internal static MapNode Metric(InferenceDeployment d, Guardrails g, int? count, string name, string query, string limit)
    {
        const string HasData = "len(result) > 0 && !isNaN(result[0])";
        return new MapNode()
            .Set("name", name)
            .Set("interval", EngineMetrics.Duration(g.Interval))
            .Set("initialDelay", g.InitialDelay > TimeSpan.Zero ? EngineMetrics.Duration(g.InitialDelay) : null)
            .Set("count", count is { } measurements ? measurements : null)
            .Set("successCondition", $"{HasData} && result[0] <= {limit}")
            .Set("failureCondition", g.NoData == NoDataPolicy.Pause ? $"{HasData} && result[0] > {limit}" : null)
            .Set("failureLimit", g.FailureLimit)
            .Set("consecutiveErrorLimit", 4)
            .Set("provider", new MapNode().Set("prometheus", new MapNode()
                .Set("address", d.Observability.PrometheusUrl)
                .Set("query", query)));
    }

    private static void AddCanarySteps(WorkloadIdentity id, IReadOnlyList<CanaryStep> steps, Action<MapNode> add, Action markTraffic, bool hasAnalysis)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case SetWeightStep weight:
                    add(new MapNode().Set("setWeight", weight.Percent));
                    if (weight.Percent > 0)
                    {
                        markTraffic();
                    }

                    break;
                case PauseStep pause:
                    add(pause.Duration is { } duration ? Pause(duration) : new MapNode().Set("pause", MapNode.EmptyOnPurpose()));
                    break;
                case AnalysisStep when hasAnalysis:
                    add(new MapNode().Set("analysis", new MapNode()
                        .Set("templates", ListNode.Of(new MapNode().Set("templateName", GateTemplate(id))))
                        .Set("args", CanaryHashArgs())));
                    break;
            }
        }
    }

    private static MapNode Pause(TimeSpan duration) => new MapNode().Set("pause", new MapNode().Set("duration", EngineMetrics.Duration(duration)));

    private static ListNode CanaryHashArgs() => ListNode.Of(new MapNode()
        .Set("name", EngineMetrics.CanaryHashArgument)
        .Set("valueFrom", new MapNode().Set("podTemplateHashValue", "Latest")));

    private static MapNode? TrafficRouting(WorkloadIdentity id, TrafficRouter? router, bool mirrors)
    {
        var routing = router switch
        {
            IstioRouter istio => new MapNode().Set("istio", new MapNode().Set("virtualService", new MapNode()
                .Set("name", istio.VirtualService)
                .Set("routes", ListNode.Of(istio.Route)))),
            NginxRouter nginx => new MapNode().Set("nginx", new MapNode().Set("stableIngress", nginx.StableIngress)),
            GatewayApiRouter gateway => new MapNode().Set("plugins", new MapNode().Set("argoproj-labs/gatewayAPI", new MapNode()
                .Set("httpRoute", gateway.HttpRoute)
                .Set("namespace", id.Namespace))),
            _ => null,
        };
        if (routing is not null && mirrors)
        {
            routing.Set("managedRoutes", ListNode.Of(new MapNode().Set("name", MirrorRoute)));
        }

        return routing;
    }

    /// <summary>The inference API mirrored in shadow mode: generation endpoints only, never admin or health paths.</summary>
    private static string InferencePathPrefix(InferenceEngine engine) => engine switch
    {
        TritonEngine => "/v2/models/",
        TgiEngine => "/generate",
        _ => "/v1/",
    };
}
