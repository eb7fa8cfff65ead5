using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode;

/// <summary>
/// Data-centre GPUs used for inference. Memory is the usable MiB reported by <c>nvidia-smi</c>;
/// bandwidth and fp8 support are from NVIDIA's data sheets.
/// </summary>
public static class GpuCatalog
{
    public static GpuKind H100_80GB { get; } = new() { Name = "H100-80GB", MemoryMiB = 81_559, SupportsFp8 = true, MemoryBandwidthGBps = 3_350, DenseTflopsBf16 = 989, PriceKey = "h100-80gb", ProductLabel = "NVIDIA-H100-80GB-HBM3" };

    public static GpuKind H200 { get; } = new() { Name = "H200", MemoryMiB = 143_771, SupportsFp8 = true, MemoryBandwidthGBps = 4_800, DenseTflopsBf16 = 989, PriceKey = "h200", ProductLabel = "NVIDIA-H200" };

    public static GpuKind A100_80GB { get; } = new() { Name = "A100-80GB", MemoryMiB = 81_920, SupportsFp8 = false, MemoryBandwidthGBps = 2_039, DenseTflopsBf16 = 312, PriceKey = "a100-80gb", ProductLabel = "NVIDIA-A100-SXM4-80GB" };

    public static GpuKind A100_40GB { get; } = new() { Name = "A100-40GB", MemoryMiB = 40_960, SupportsFp8 = false, MemoryBandwidthGBps = 1_555, DenseTflopsBf16 = 312, PriceKey = "a100-40gb", ProductLabel = "NVIDIA-A100-SXM4-40GB" };

    public static GpuKind L40S { get; } = new() { Name = "L40S", MemoryMiB = 46_068, SupportsFp8 = true, MemoryBandwidthGBps = 864, DenseTflopsBf16 = 362, PriceKey = "l40s", ProductLabel = "NVIDIA-L40S" };

    public static GpuKind L4 { get; } = new() { Name = "L4", MemoryMiB = 23_034, SupportsFp8 = true, MemoryBandwidthGBps = 300, DenseTflopsBf16 = 121, PriceKey = "l4", ProductLabel = "NVIDIA-L4" };

    public static GpuKind A10G { get; } = new() { Name = "A10G", MemoryMiB = 23_028, SupportsFp8 = false, MemoryBandwidthGBps = 600, DenseTflopsBf16 = 70, PriceKey = "a10g", ProductLabel = "NVIDIA-A10G" };

    public static GpuKind T4 { get; } = new() { Name = "T4", MemoryMiB = 15_360, SupportsFp8 = false, MemoryBandwidthGBps = 320, DenseTflopsBf16 = 65, PriceKey = "t4", ProductLabel = "Tesla-T4" };

    /// <summary>Every catalog GPU, in a fixed order.</summary>
    public static IReadOnlyList<GpuKind> All { get; } = [H100_80GB, H200, A100_80GB, A100_40GB, L40S, L4, A10G, T4];

    /// <summary>The GPU with this catalog name, or null.</summary>
    public static GpuKind? Find(string? name) =>
        All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
}
