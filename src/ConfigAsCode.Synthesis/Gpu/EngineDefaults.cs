namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// The values engines pick when a knob is left unset, which depend on the node's GPU
/// (vLLM <c>engine/arg_utils.py</c>: 1024/8192 on GPUs with at least 70 GiB other than A100, 256/2048 otherwise).
/// </summary>
public static class EngineDefaults
{
    public static int VllmMaxNumSeqs(GpuKind gpu) => IsLargeNonA100(gpu) ? 1024 : 256;

    public static int VllmMaxNumBatchedTokens(GpuKind gpu) => IsLargeNonA100(gpu) ? 8192 : 2048;

    private static bool IsLargeNonA100(GpuKind gpu) =>
        gpu.MemoryGiB >= 70 && !gpu.Name.StartsWith("A100", System.StringComparison.OrdinalIgnoreCase);
}
