namespace ConfigAsCode;

/// <summary>Who makes a GPU: decides the device plugin resource and which kernels vLLM has for it.</summary>
public enum GpuVendor
{
    Nvidia,
    Amd,
}

/// <summary>A GPU model. Use the entries of <see cref="GpuCatalog"/>, or declare your own.</summary>
public sealed record GpuKind
{
    /// <summary>Catalog name, for example <c>H100-80GB</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Usable memory in MiB as <c>nvidia-smi</c> (or <c>rocm-smi</c>) reports it (slightly under the marketing figure).</summary>
    public required int MemoryMiB { get; init; }

    /// <summary>True for Hopper, Ada, Blackwell and CDNA 3 parts with fp8 tensor cores.</summary>
    public required bool SupportsFp8 { get; init; }

    /// <summary>HBM/GDDR bandwidth in GB/s; the cost model derives weight-bound step times from it.</summary>
    public required double MemoryBandwidthGBps { get; init; }

    /// <summary>Dense bf16 tensor throughput in TFLOPS (doubled for fp8 where supported); derives prefill time.</summary>
    public double DenseTflopsBf16 { get; init; }

    /// <summary>Key into the price catalog.</summary>
    public required string PriceKey { get; init; }

    /// <summary>Value of the <c>nvidia.com/gpu.product</c> node label (GPU Feature Discovery), for node selection.</summary>
    public string? ProductLabel { get; init; }

    /// <summary>
    /// GPUs in the largest common node of this GPU (8 in an H100 SXM server). A pod cannot get more GPUs than one
    /// node has (CAC3014); larger replicas span nodes with pipeline parallelism. 8 unless declared.
    /// </summary>
    public int GpusPerNode { get; init; } = 8;

    /// <summary>The maker; NVIDIA unless declared.</summary>
    public GpuVendor Vendor { get; init; } = GpuVendor.Nvidia;

    /// <summary>NVIDIA compute capability (9.0 for Hopper); null when unknown or not NVIDIA. Marlin kernels need 8.0 or later.</summary>
    public double? ComputeCapability { get; init; }

    /// <summary>Memory in GiB.</summary>
    public double MemoryGiB => MemoryMiB / 1024.0;

    /// <inheritdoc />
    public override string ToString() => Name;
}
