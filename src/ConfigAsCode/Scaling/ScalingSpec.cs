namespace ConfigAsCode;

/// <summary>Replica bounds and the autoscaling signal. Production defaults to at least two replicas.</summary>
public sealed record ScalingSpec
{
    /// <summary>Replicas kept running. 0 on GPUs means every first request waits for a model load (CAC1009).</summary>
    public int MinReplicas { get; init; } = 2;

    /// <summary>Upper bound for the autoscaler; equal to <see cref="MinReplicas"/> for a fixed size.</summary>
    public int MaxReplicas { get; init; } = 2;

    /// <summary>What the autoscaler follows. Queue depth by default; CPU is wrong for GPU pods (CAC1008).</summary>
    public ScalingSignal Signal { get; init; } = ScalingSignal.QueueDepth(5);

    /// <summary>
    /// Scale with a KEDA <c>ScaledObject</c> (a Prometheus trigger on <see cref="Signal"/>, optionally KV-cache usage)
    /// instead of a HorizontalPodAutoscaler; null renders the HPA. <c>Keda = new()</c> takes every default.
    /// </summary>
    public KedaScaling? Keda { get; init; }

    /// <summary>True when an autoscaler owns the replica count (rendered manifests then omit <c>replicas</c>).</summary>
    public bool IsAutoscaled => MaxReplicas > MinReplicas;
}

/// <summary>The kind of metric an autoscaler follows.</summary>
public enum ScalingSignalKind
{
    /// <summary>Requests waiting in the engine's queue, for example <c>vllm:num_requests_waiting</c>.</summary>
    QueueDepth,

    /// <summary>Requests in flight, for example <c>vllm:num_requests_running</c>.</summary>
    Concurrency,

    /// <summary>CPU utilisation: meaningless for GPU-bound inference.</summary>
    Cpu,
}

/// <summary>An autoscaling signal: a metric and its per-replica target.</summary>
/// <param name="Kind">The kind of signal.</param>
/// <param name="Metric">The metric name as the metrics adapter exposes it.</param>
/// <param name="TargetPerReplica">The average value per replica the autoscaler aims for (percent for CPU).</param>
public sealed record ScalingSignal(ScalingSignalKind Kind, string Metric, double TargetPerReplica)
{
    /// <summary>Scale on requests waiting per replica (<c>vllm:num_requests_waiting</c>).</summary>
    public static ScalingSignal QueueDepth(double targetPerReplica, string metric = "vllm:num_requests_waiting") =>
        new(ScalingSignalKind.QueueDepth, metric, targetPerReplica);

    /// <summary>Scale on requests running per replica (<c>vllm:num_requests_running</c>).</summary>
    public static ScalingSignal Concurrency(double targetPerReplica, string metric = "vllm:num_requests_running") =>
        new(ScalingSignalKind.Concurrency, metric, targetPerReplica);

    /// <summary>Scale on CPU utilisation percent. Reported by CAC1008 on GPU deployments.</summary>
    public static ScalingSignal Cpu(double utilizationPercent) =>
        new(ScalingSignalKind.Cpu, "cpu", utilizationPercent);
}

/// <summary>The PodDisruptionBudget. Exactly one of the two fields is used; <see cref="MaxUnavailable"/> wins.</summary>
public sealed record DisruptionBudget
{
    /// <summary>Pods that may be evicted at once. 0 blocks node drains.</summary>
    public int? MaxUnavailable { get; init; } = 1;

    /// <summary>Pods that must stay available.</summary>
    public int? MinAvailable { get; init; }
}
