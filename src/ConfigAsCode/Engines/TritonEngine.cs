using System;
using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>NVIDIA Triton Inference Server, typically for embedding, reranking and classic models.</summary>
public sealed record TritonEngine : InferenceEngine
{
    public override string Kind => "triton";

    public override int HttpPort { get; init; } = 8000;

    /// <summary>Triton's gRPC port.</summary>
    public int GrpcPort { get; init; } = 8001;

    /// <summary>Triton's Prometheus metrics port.</summary>
    public int MetricsPort { get; init; } = 8002;

    /// <summary>Ready only when every model is loaded (with <c>--strict-readiness</c>): the readiness and startup path.</summary>
    public override string HealthPath => "/v2/health/ready";

    /// <summary>Alive while the server runs, even during a model reload: the liveness path.</summary>
    public override string LivenessPath => "/v2/health/live";

    public override string MetricsPath => "/metrics";

    /// <summary>
    /// Where the model repository comes from when <see cref="ModelSpec.Source"/> is not set: an object store
    /// (<c>s3://models/rerankers</c>, <c>gs://...</c>), fetched into the weights volume like any object-store source, or an
    /// absolute path already inside the image. With a source set, leave it null: <c>--model-repository</c> is the folder
    /// the source is mounted at.
    /// </summary>
    public string? ModelRepository { get; init; }

    /// <summary>The model's <c>max_batch_size</c>.</summary>
    public int? MaxBatchSize { get; init; }

    /// <summary>Dynamic batching; null disables it.</summary>
    public TritonDynamicBatching? DynamicBatching { get; init; }

    /// <summary>Model instances per GPU (<c>instance_group.count</c>).</summary>
    public int InstancesPerGpu { get; init; } = 1;

    public override int GpusPerInstance => 1;

    public override bool TrustsRemoteCode => false;
}

/// <summary>Triton's <c>dynamic_batching</c> block.</summary>
public sealed record TritonDynamicBatching
{
    /// <summary><c>preferred_batch_size</c>.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary><c>max_queue_delay_microseconds</c>.</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(5);
}
