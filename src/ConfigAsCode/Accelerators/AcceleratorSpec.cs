namespace ConfigAsCode;

/// <summary>The GPUs one replica gets: <see cref="Count"/> on each of <see cref="Nodes"/> nodes.</summary>
public sealed record AcceleratorSpec
{
    /// <summary>The GPU model.</summary>
    public required GpuKind Gpu { get; init; }

    /// <summary>
    /// GPUs on each node of a replica, that is per pod; rendered as <c>nvidia.com/gpu</c> in requests and limits. A
    /// single-node replica has all its GPUs here.
    /// </summary>
    public int Count { get; init; } = 1;

    /// <summary>
    /// Nodes one replica spans, one pod on each; 1 by default. More than one renders a LeaderWorkerSet: a leader pod that
    /// serves the API and <c>Nodes − 1</c> worker pods, each with <see cref="Count"/> GPUs, joined by vLLM's multi-node
    /// runtime. Tensor parallelism stays inside a node and pipeline parallelism spans the nodes (CAC3025):
    /// <c>TensorParallelSize × PipelineParallelSize = Count × Nodes</c>.
    /// </summary>
    public int Nodes { get; init; } = 1;

    /// <summary>
    /// What joins the nodes of a multi-node replica. <see cref="NodeInterconnect.Network"/> (the default) carries
    /// pipeline-parallel activations well and tensor-parallel all-reduces badly, so tensor parallelism must stay inside a
    /// node; declare <see cref="NodeInterconnect.MultiNodeNvLink"/> only for an NVLink domain that spans nodes.
    /// </summary>
    public NodeInterconnect Interconnect { get; init; } = NodeInterconnect.Network;

    /// <summary>
    /// Set when GPUs are time-sliced or shared between deployments (for example an MPS or time-slicing pool):
    /// deployments in one environment with the same group must keep their gpu-memory-utilization sum at or under 1 (CAC3003).
    /// </summary>
    public string? SharedGpuGroup { get; init; }

    /// <summary>GPUs one replica uses and is priced at: <see cref="Count"/> × <see cref="Nodes"/>.</summary>
    public long GpusPerReplica => (long)Count * Nodes;
}

/// <summary>How the nodes of a multi-node replica exchange tensors.</summary>
public enum NodeInterconnect
{
    /// <summary>
    /// The cluster network between nodes (Ethernet, or InfiniBand/RoCE through NCCL's network plugins). Pipeline
    /// parallelism sends one activation per layer group across it; tensor parallelism would all-reduce every layer over
    /// it, so it must stay inside a node.
    /// </summary>
    Network,

    /// <summary>
    /// One NVLink domain across the nodes (rack-scale systems such as GB200/GB300 NVL72, with NVIDIA IMEX): tensor
    /// parallelism may span the nodes of a replica.
    /// </summary>
    MultiNodeNvLink,
}
