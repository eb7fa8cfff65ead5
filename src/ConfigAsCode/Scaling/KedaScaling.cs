using System;

namespace ConfigAsCode;

/// <summary>
/// A KEDA <c>ScaledObject</c> in place of the HorizontalPodAutoscaler: a Prometheus trigger on the scaling signal
/// (requests waiting per replica by default) and, when <see cref="KvCacheUsageTarget"/> is set, a second one on
/// KV-cache usage. KEDA can scale to zero (<c>MinReplicas = 0</c>), which production must acknowledge (CAC1031), and
/// its cooldowns, which govern scaling to zero only, must outlast a model load (CAC1032).
/// </summary>
public sealed record KedaScaling
{
    /// <summary>How often KEDA queries Prometheus; 15 s.</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// With <c>MinReplicas = 0</c>: how long after the last request KEDA waits before scaling to zero. The model's load
    /// time when null (at least 5 minutes, KEDA's default), so a replica is not removed sooner than it took to load.
    /// </summary>
    public TimeSpan? CooldownPeriod { get; init; }

    /// <summary>
    /// With <c>MinReplicas = 0</c>: how long after the ScaledObject is created KEDA waits before it may scale to zero, so
    /// the first replicas are not removed before they have loaded. The model's load time when null.
    /// </summary>
    public TimeSpan? InitialCooldownPeriod { get; init; }

    /// <summary>
    /// Also scale on KV-cache usage: the average <c>vllm:kv_cache_usage_perc</c> per replica to aim for, in (0, 1], for
    /// example 0.8. Null scales on the signal alone.
    /// </summary>
    public double? KvCacheUsageTarget { get; init; }

    /// <summary>Replicas KEDA holds while Prometheus cannot be queried; <c>MinReplicas</c> (at least 1) when null.</summary>
    public int? FallbackReplicas { get; init; }

    /// <summary>Failed queries in a row before the fallback applies; 3.</summary>
    public int FallbackAfterFailures { get; init; } = 3;

    /// <summary>Why scaling a production deployment to zero (every first request waits for a GPU and a model load) is accepted (CAC1031).</summary>
    public string? ScaleToZeroAcknowledgment { get; init; }
}
