namespace ConfigAsCode;

/// <summary>The GPUs one replica gets.</summary>
public sealed record AcceleratorSpec
{
    /// <summary>The GPU model.</summary>
    public required GpuKind Gpu { get; init; }

    /// <summary>GPUs per replica; rendered as <c>nvidia.com/gpu</c> in requests and limits.</summary>
    public int Count { get; init; } = 1;

    /// <summary>
    /// Set when GPUs are time-sliced or shared between deployments (for example an MPS or time-slicing pool):
    /// deployments in one environment with the same group must keep their gpu-memory-utilization sum at or under 1 (CAC3003).
    /// </summary>
    public string? SharedGpuGroup { get; init; }
}
