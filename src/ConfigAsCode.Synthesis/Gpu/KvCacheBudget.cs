using System;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// The memory arithmetic of one engine instance (DOMAIN.md §1):
/// KV bytes/token = 2 (K and V) x layers x kv_heads x head_dim x dtype bytes, and
/// KV budget = utilisation x GPU memory x GPUs - weights - activation overhead x GPUs.
/// A lower bound: it ignores block rounding and sliding-window or MLA attention.
/// </summary>
public sealed record KvCacheBudget(
    long BytesPerToken,
    double WeightBytes,
    double UsableBytes,
    double OverheadBytes,
    int Gpus)
{
    public const double BytesPerGiB = 1024d * 1024 * 1024;

    /// <summary>Bytes left for the KV cache; negative when the weights alone do not fit.</summary>
    public double KvBytes => UsableBytes - WeightBytes - OverheadBytes;

    /// <summary>Tokens the KV cache holds across all sequences; 0 when nothing is left.</summary>
    public long TokenCapacity => TokensThatFit(KvBytes, BytesPerToken);

    /// <summary>KV bytes per token for <paramref name="architecture"/> with a KV cache stored as <paramref name="kvDtype"/>.</summary>
    public static long KvBytesPerToken(ModelArchitecture architecture, KvCacheDtype kvDtype)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var elementBytes = kvDtype == KvCacheDtype.Auto ? KvElementBytes(architecture.Dtype) : 1;
        return 2L * architecture.Layers * architecture.KvHeads * architecture.HeadDim * elementBytes;
    }

    /// <summary>How many tokens of <paramref name="bytesPerToken"/> fit in <paramref name="kvBytes"/>.</summary>
    public static long TokensThatFit(double kvBytes, long bytesPerToken) =>
        kvBytes <= 0 || bytesPerToken <= 0 ? 0 : (long)Math.Floor(kvBytes / bytesPerToken);

    /// <summary>Bytes of weights resident across the instance's GPUs.</summary>
    public static double WeightBytesOf(ModelArchitecture architecture, Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var bytesPerParameter = quantization switch
        {
            Quantization.Fp8 => 1.0,
            Quantization.Awq or Quantization.Gptq or Quantization.BitsAndBytes => 0.5,
            _ => architecture.Dtype.BytesPerElement(),
        };
        return architecture.ParametersBillions * 1e9 * bytesPerParameter;
    }

    /// <summary>The budget of a vLLM instance of <paramref name="engine"/> on <paramref name="gpu"/>.</summary>
    public static KvCacheBudget ForVllm(ModelArchitecture architecture, VllmEngine engine, GpuKind gpu, double overheadGiBPerGpu)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(gpu);
        var gpus = Math.Max(1, engine.GpusPerInstance);
        var usable = engine.GpuMemoryUtilization * gpu.MemoryMiB * 1024d * 1024d * gpus;
        var overhead = (engine.EnforceEager ? overheadGiBPerGpu / 2 : overheadGiBPerGpu) * BytesPerGiB * gpus;
        return new KvCacheBudget(
            KvBytesPerToken(architecture, engine.KvCacheDtype),
            WeightBytesOf(architecture, engine.Quantization),
            usable,
            overhead,
            gpus);
    }

    private static int KvElementBytes(WeightDtype modelDtype) => modelDtype switch
    {
        WeightDtype.Float32 => 4,
        // Quantized checkpoints still keep activations and the KV cache in 16-bit unless told otherwise.
        _ => 2,
    };
}
