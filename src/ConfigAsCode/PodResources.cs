namespace ConfigAsCode;

/// <summary>CPU, memory and shared memory for the engine container. Quantities are integers so they render canonically.</summary>
public sealed record PodResources
{
    /// <summary>CPU request in millicores (1000 = one core).</summary>
    public int? CpuRequestMillicores { get; init; } = 4_000;

    /// <summary>CPU limit in millicores; null leaves CPU unthrottled, which suits tokenisation bursts.</summary>
    public int? CpuLimitMillicores { get; init; }

    /// <summary>Memory request in MiB.</summary>
    public int? MemoryRequestMiB { get; init; } = 32_768;

    /// <summary>Memory limit in MiB; required so a leaking engine is killed rather than its node.</summary>
    public int? MemoryLimitMiB { get; init; } = 32_768;

    /// <summary>
    /// Size of the memory-backed <c>emptyDir</c> at <c>/dev/shm</c>. NCCL needs it when one instance spans
    /// several GPUs (CAC3006); counted against the memory limit.
    /// </summary>
    public int? SharedMemoryMiB { get; init; }
}
