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

    public override string HealthPath => "/v2/health/ready";

    public override string MetricsPath => "/metrics";

    /// <summary><c>--model-repository</c>, for example <c>s3://models/rerankers</c> or a mounted path.</summary>
    public required string ModelRepository { get; init; }

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
