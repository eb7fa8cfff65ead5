using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Rollouts;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The Gateway API Inference Extension objects of a deployment with a <c>Pool</c>: the <c>InferencePool</c> over its
/// serving pods with the endpoint picker's reference, the <c>HTTPRoute</c> from the Gateway to the pool (split with a
/// candidate's pool when a pool canary is declared), and the Argo Rollouts <c>AnalysisRun</c> that judges the
/// candidate at the declared weight. The endpoint picker is not rendered: it comes from the upstream chart.
/// </summary>
internal static class InferencePoolManifests
{
    public const string PoolApiVersion = "inference.networking.k8s.io/v1";
    public const string PoolGroup = "inference.networking.k8s.io";
    public const string RouteApiVersion = "gateway.networking.k8s.io/v1";

    public static MapNode? InferencePool(WorkloadIdentity id)
    {
        var d = id.Deployment;
        if (d.Pool is not { } pool)
        {
            return null;
        }

        return new MapNode()
            .Set("apiVersion", PoolApiVersion)
            .Set("kind", "InferencePool")
            .Set("metadata", id.Metadata())
            .Set("spec", new MapNode()
                .Set("selector", new MapNode().Set("matchLabels", ServiceManifests.ServingPodSelector(id)))
                .Set("targetPorts", ListNode.Of(new MapNode().Set("number", d.Engine.HttpPort)))
                .Set("endpointPickerRef", new MapNode()
                    .Set("name", InferencePoolRules.EndpointPickerName(d))
                    .Set("port", new MapNode().Set("number", pool.EndpointPickerPort))
                    .Set("failureMode", pool.FailureMode.ToString())));
    }

    public static MapNode? HttpRoute(WorkloadIdentity id)
    {
        var d = id.Deployment;
        if (d.Pool is not { HttpRoute: true } pool)
        {
            return null;
        }

        var canary = pool.Canary is { Weight: >= 0 and <= 100 } c ? c : null;
        var backends = ListNode.Of(Backend(d.Name, canary is null ? null : 100 - canary.Weight));
        if (canary is not null)
        {
            backends.Add(Backend(canary.Candidate, canary.Weight));
        }

        var match = new MapNode().Set("path", new MapNode().Set("type", "PathPrefix").Set("value", pool.PathPrefix));
        var headers = (pool.HeaderMatches ?? new Dictionary<string, string>()).OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => (ManifestNode)new MapNode().Set("type", "Exact").Set("name", h.Key).Set("value", h.Value));
        match.Set("headers", new ListNode(headers));

        return new MapNode()
            .Set("apiVersion", RouteApiVersion)
            .Set("kind", "HTTPRoute")
            .Set("metadata", id.Metadata())
            .Set("spec", new MapNode()
                .Set("parentRefs", ListNode.Of(new MapNode()
                    .Set("group", "gateway.networking.k8s.io")
                    .Set("kind", "Gateway")
                    .Set("name", pool.Gateway)
                    .Set("namespace", pool.GatewayNamespace)))
                .Set("hostnames", ListNode.Strings((pool.Hostnames ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)))
                .Set("rules", ListNode.Of(new MapNode()
                    .Set("matches", ListNode.Of(match))
                    .Set("backendRefs", backends)
                    .Set("timeouts", new MapNode().Set("request", GatewayDuration(pool.RequestTimeout))))));
    }

    /// <summary>
    /// The analysis of a pool canary at its weight: the guardrails measured on the candidate's pods, a fixed number of
    /// times. Named after the candidate and the weight, so each weight step is a new run (Argo CD prunes the old one).
    /// Null without a canary, at weight 0 (no traffic to judge) or without a measurable guardrail.
    /// </summary>
    public static MapNode? CanaryAnalysisRun(WorkloadIdentity id)
    {
        var d = id.Deployment;
        if (d.Pool is not { HttpRoute: true, Canary: { Weight: > 0 and <= 100, Measurements: > 0 } canary } || !d.Observability.ScrapeMetrics)
        {
            return null;
        }

        var resolved = RolloutPlan.ResolvePoolCanary(d);
        var g = resolved.Limits;
        var metrics = EngineMetrics.For(d.Engine);
        var selector = EngineMetrics.Selector(d.Namespace, canary.Candidate, d.Environment.Name);
        var list = new ListNode();
        if (g.MaxErrorRate is { } errors)
        {
            list.Add(RolloutManifests.Metric(d, g, canary.Measurements, "error-rate", metrics.ErrorRatioQuery(selector, "5m"), EngineMetrics.Ratio(Math.Round((decimal)errors, 9))));
        }

        if (g.MaxP95Latency is { } latency && metrics.LatencyHistogram is { } e2e)
        {
            list.Add(RolloutManifests.Metric(d, g, canary.Measurements, "p95-latency", EngineMetrics.Quantile(0.95, e2e, selector, "5m"), EngineMetrics.Seconds(latency)));
        }

        if (g.MaxP95TimeToFirstToken is { } ttft && metrics.TtftHistogram is { } ttftHistogram)
        {
            list.Add(RolloutManifests.Metric(d, g, canary.Measurements, "p95-time-to-first-token", EngineMetrics.Quantile(0.95, ttftHistogram, selector, "5m"), EngineMetrics.Seconds(ttft)));
        }

        if (list.IsEmpty)
        {
            return null;
        }

        return new MapNode()
            .Set("apiVersion", RolloutManifests.ApiVersion)
            .Set("kind", "AnalysisRun")
            .Set("metadata", id.Metadata(CanaryAnalysisRunName(canary)))
            .Set("spec", new MapNode().Set("metrics", list));
    }

    /// <summary><c>&lt;candidate&gt;-canary-&lt;weight&gt;</c>.</summary>
    public static string CanaryAnalysisRunName(PoolCanary canary) => $"{canary.Candidate}-canary-{canary.Weight.ToString(CultureInfo.InvariantCulture)}";

    private static MapNode Backend(string pool, int? weight) => new MapNode()
        .Set("group", PoolGroup)
        .Set("kind", "InferencePool")
        .Set("name", pool)
        .Set("weight", weight is { } w ? w : null);

    /// <summary>A Gateway API duration (<c>5m</c>, <c>1h30m</c>, <c>1500ms</c>): up to four parts of at most five digits each.</summary>
    internal static string GatewayDuration(TimeSpan value)
    {
        var milliseconds = (long)Math.Round(Math.Max(0, value.TotalMilliseconds));
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var seconds = milliseconds / 1000 % 60;
        var millis = milliseconds % 1000;
        var text = new StringBuilder();
        void Part(long amount, string unit)
        {
            if (amount > 0)
            {
                text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }

        Part(hours, "h");
        Part(minutes, "m");
        Part(seconds, "s");
        Part(millis, "ms");
        return text.Length == 0 ? "0s" : text.ToString();
    }
}
