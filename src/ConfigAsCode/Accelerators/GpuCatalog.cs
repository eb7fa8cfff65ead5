using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode;

/// <summary>
/// Data-centre GPUs used for inference. Memory is the usable MiB reported by <c>nvidia-smi</c> (<c>rocm-smi</c>
/// for AMD); bandwidth, dense bf16 TFLOPS (without sparsity), fp8 support and compute capability are from the
/// vendors' data sheets. GPUs per node is the largest common server of that GPU: 8 for SXM/OAM boards
/// (DGX/HGX, AWS p4/p5/p6, Azure ND), 8 for the PCIe cards AWS sells in its largest g-instances.
/// </summary>
public static class GpuCatalog
{
    public static GpuKind H100_80GB { get; } = new() { Name = "H100-80GB", MemoryMiB = 81_559, SupportsFp8 = true, MemoryBandwidthGBps = 3_350, DenseTflopsBf16 = 989, PriceKey = "h100-80gb", ProductLabel = "NVIDIA-H100-80GB-HBM3", GpusPerNode = 8, ComputeCapability = 9.0 };

    /// <summary>H100 NVL (PCIe, 94 GB HBM3): servers hold up to 8 cards in NVLink pairs; Azure NC H100 v5 gives at most 2.</summary>
    public static GpuKind H100_NVL { get; } = new() { Name = "H100-NVL", MemoryMiB = 95_830, SupportsFp8 = true, MemoryBandwidthGBps = 3_900, DenseTflopsBf16 = 835, PriceKey = "h100-nvl", ProductLabel = "NVIDIA-H100-NVL", GpusPerNode = 8, ComputeCapability = 9.0 };

    public static GpuKind H200 { get; } = new() { Name = "H200", MemoryMiB = 143_771, SupportsFp8 = true, MemoryBandwidthGBps = 4_800, DenseTflopsBf16 = 989, PriceKey = "h200", ProductLabel = "NVIDIA-H200", GpusPerNode = 8, ComputeCapability = 9.0 };

    /// <summary>B200 (HGX/DGX B200, AWS p6-b200: 8 per node).</summary>
    public static GpuKind B200 { get; } = new() { Name = "B200", MemoryMiB = 183_359, SupportsFp8 = true, MemoryBandwidthGBps = 8_000, DenseTflopsBf16 = 2_250, PriceKey = "b200", ProductLabel = "NVIDIA-B200", GpusPerNode = 8, ComputeCapability = 10.0 };

    /// <summary>
    /// AMD Instinct MI300X (Azure ND MI300X v5: 8 per node). Requested as <c>amd.com/gpu</c>; no node selector is
    /// rendered because AMD's node labeller is optional. vLLM runs it through ROCm, without Marlin kernels.
    /// </summary>
    public static GpuKind MI300X { get; } = new() { Name = "MI300X", MemoryMiB = 196_288, SupportsFp8 = true, MemoryBandwidthGBps = 5_300, DenseTflopsBf16 = 1_307, PriceKey = "mi300x", GpusPerNode = 8, Vendor = GpuVendor.Amd };

    public static GpuKind A100_80GB { get; } = new() { Name = "A100-80GB", MemoryMiB = 81_920, SupportsFp8 = false, MemoryBandwidthGBps = 2_039, DenseTflopsBf16 = 312, PriceKey = "a100-80gb", ProductLabel = "NVIDIA-A100-SXM4-80GB", GpusPerNode = 8, ComputeCapability = 8.0 };

    public static GpuKind A100_40GB { get; } = new() { Name = "A100-40GB", MemoryMiB = 40_960, SupportsFp8 = false, MemoryBandwidthGBps = 1_555, DenseTflopsBf16 = 312, PriceKey = "a100-40gb", ProductLabel = "NVIDIA-A100-SXM4-40GB", GpusPerNode = 8, ComputeCapability = 8.0 };

    public static GpuKind L40S { get; } = new() { Name = "L40S", MemoryMiB = 46_068, SupportsFp8 = true, MemoryBandwidthGBps = 864, DenseTflopsBf16 = 362, PriceKey = "l40s", ProductLabel = "NVIDIA-L40S", GpusPerNode = 8, ComputeCapability = 8.9 };

    public static GpuKind L4 { get; } = new() { Name = "L4", MemoryMiB = 23_034, SupportsFp8 = true, MemoryBandwidthGBps = 300, DenseTflopsBf16 = 121, PriceKey = "l4", ProductLabel = "NVIDIA-L4", GpusPerNode = 8, ComputeCapability = 8.9 };

    public static GpuKind A10G { get; } = new() { Name = "A10G", MemoryMiB = 23_028, SupportsFp8 = false, MemoryBandwidthGBps = 600, DenseTflopsBf16 = 70, PriceKey = "a10g", ProductLabel = "NVIDIA-A10G", GpusPerNode = 8, ComputeCapability = 8.6 };

    public static GpuKind T4 { get; } = new() { Name = "T4", MemoryMiB = 15_360, SupportsFp8 = false, MemoryBandwidthGBps = 320, DenseTflopsBf16 = 65, PriceKey = "t4", ProductLabel = "Tesla-T4", GpusPerNode = 8, ComputeCapability = 7.5 };

    /// <summary>Every catalog GPU, in a fixed order.</summary>
    public static IReadOnlyList<GpuKind> All { get; } = [H100_80GB, H200, A100_80GB, A100_40GB, L40S, L4, A10G, T4, B200, H100_NVL, MI300X];

    /// <summary>The GPU with this catalog name, or null.</summary>
    public static GpuKind? Find(string? name) =>
        All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
}
