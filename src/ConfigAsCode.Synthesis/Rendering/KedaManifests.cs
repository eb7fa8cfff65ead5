using System;
using System.Globalization;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rollouts;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The <c>keda.sh/v1alpha1</c> ScaledObject that replaces the HorizontalPodAutoscaler when <c>Scaling.Keda</c> is set:
/// a Prometheus trigger on the scaling signal summed over the deployment's pods (KEDA divides it by the threshold,
/// as an average per replica), optionally one on KV-cache usage, cooldowns from the model's load time, a fallback
/// while Prometheus is unreachable, and the HPA's GPU-friendly scaling behaviour.
/// </summary>
internal static class KedaManifests
{
    public const string ApiVersion = "keda.sh/v1alpha1";

    /// <summary>The release that exports <c>vllm:kv_cache_usage_perc</c>; <c>vllm:gpu_cache_usage_perc</c> before.</summary>
    private static readonly VllmVersion KvCacheUsageRenamed = new(0, 10, 0);

    /// <summary>KEDA's own cooldown default, the floor of a derived one.</summary>
    private static readonly TimeSpan DefaultCooldown = TimeSpan.FromMinutes(5);

    /// <summary>The ScaledObject, or null when KEDA is not declared or the replica count is fixed.</summary>
    public static MapNode? ScaledObject(WorkloadIdentity id)
    {
        var d = id.Deployment;
        if (d.Scaling is not { Keda: { } keda, IsAutoscaled: true } scaling)
        {
            return null;
        }

        var load = ModelLoadTime.Of(d);
        var cooldown = keda.CooldownPeriod ?? (load is { } l && l > DefaultCooldown ? l : DefaultCooldown);
        var initialCooldown = keda.InitialCooldownPeriod ?? load ?? DefaultCooldown;
        var selector = EngineMetrics.Selector(d);
        var triggers = ListNode.Of(Trigger(d, "queue-depth", $"sum({scaling.Signal.Metric}{{{selector}}}) or vector(0)", scaling.Signal.TargetPerReplica));
        if (keda.KvCacheUsageTarget is { } kv)
        {
            triggers.Add(Trigger(d, "kv-cache-usage", $"sum({KvCacheUsageMetric(d)}{{{selector}}}) or vector(0)", kv));
        }

        var spec = new MapNode()
            .Set("scaleTargetRef", ServiceManifests.ScaleTargetRef(id))
            .Set("pollingInterval", Seconds(keda.PollingInterval))
            .Set("cooldownPeriod", Seconds(cooldown))
            .Set("initialCooldownPeriod", Seconds(initialCooldown))
            .Set("minReplicaCount", scaling.MinReplicas)
            .Set("maxReplicaCount", scaling.MaxReplicas)
            .Set("fallback", new MapNode()
                .Set("failureThreshold", keda.FallbackAfterFailures)
                .Set("replicas", keda.FallbackReplicas ?? Math.Max(1, scaling.MinReplicas)))
            .Set("advanced", new MapNode().Set("horizontalPodAutoscalerConfig", new MapNode().Set("behavior", ServiceManifests.ScalingBehavior())))
            .Set("triggers", triggers);

        return new MapNode()
            .Set("apiVersion", ApiVersion)
            .Set("kind", "ScaledObject")
            .Set("metadata", id.Metadata())
            .Set("spec", spec);
    }

    /// <summary>
    /// vLLM's KV-cache usage gauge: <c>vllm:kv_cache_usage_perc</c> from 0.10 (vllm-project/vllm#18354 renamed it; the old
    /// <c>vllm:gpu_cache_usage_perc</c> is no longer exported by default in later releases), the old name before.
    /// </summary>
    internal static string KvCacheUsageMetric(InferenceDeployment d) =>
        VllmVersion.Assumed(d) < KvCacheUsageRenamed ? "vllm:gpu_cache_usage_perc" : "vllm:kv_cache_usage_perc";

    private static MapNode Trigger(InferenceDeployment d, string name, string query, double threshold) => new MapNode()
        .Set("type", "prometheus")
        .Set("name", name)

        // AverageValue: KEDA's HPA divides the summed value by the threshold, so the threshold is a per-replica target.
        .Set("metricType", "AverageValue")
        .Set("metadata", new MapNode()
            .Set("serverAddress", d.Observability.PrometheusUrl)
            .Set("query", query)
            .Set("threshold", EngineContainer.Number(threshold)));

    private static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);
}
