namespace ConfigAsCode;

/// <summary>
/// Numeric format of model weights: how a checkpoint is published. Quantized formats keep activations and
/// the KV cache in 16-bit unless <c>--kv-cache-dtype</c> says otherwise.
/// </summary>
public enum WeightDtype
{
    BFloat16,
    Float16,
    Float32,

    /// <summary>fp8 weights (per-tensor or block scales; DeepSeek-V3, the -FP8 releases).</summary>
    Fp8,

    /// <summary>8-bit integer weights (compressed-tensors W8A8).</summary>
    Int8,

    /// <summary>4-bit integer weights with group scales (AWQ, GPTQ, compressed-tensors W4A16).</summary>
    Int4,

    /// <summary>OCP microscaling fp4: 4-bit values with an 8-bit scale per 32 (gpt-oss experts).</summary>
    Mxfp4,

    /// <summary>NVIDIA fp4: 4-bit values with an fp8 scale per 16 (Blackwell).</summary>
    Nvfp4,
}

/// <summary>Byte widths of <see cref="WeightDtype"/> values.</summary>
public static class WeightDtypeExtensions
{
    /// <summary>Bytes per element of the format's values, without scales; 0.5 for 4-bit formats.</summary>
    public static double BytesPerElement(this WeightDtype dtype) => dtype switch
    {
        WeightDtype.Float32 => 4,
        WeightDtype.BFloat16 or WeightDtype.Float16 => 2,
        WeightDtype.Fp8 or WeightDtype.Int8 => 1,
        WeightDtype.Int4 or WeightDtype.Mxfp4 or WeightDtype.Nvfp4 => 0.5,
        _ => 2,
    };

    /// <summary>
    /// Bytes per parameter including the format's scales: group-128 int4 adds an fp16 scale and a 4-bit zero
    /// point per 128 values, MXFP4 one byte per 32, NVFP4 one byte per 16. Block and per-channel scales of fp8
    /// and int8 are under 0.1% and left out.
    /// </summary>
    public static double BytesPerParameter(this WeightDtype dtype) => dtype switch
    {
        WeightDtype.Int4 => 0.5 + (2.5 / 128),
        WeightDtype.Mxfp4 => 0.5 + (1.0 / 32),
        WeightDtype.Nvfp4 => 0.5 + (1.0 / 16),
        _ => dtype.BytesPerElement(),
    };

    /// <summary>True for formats narrower than 16 bits, whose embeddings and output head stay in 16-bit.</summary>
    public static bool IsQuantized(this WeightDtype dtype) =>
        dtype is WeightDtype.Fp8 or WeightDtype.Int8 or WeightDtype.Int4 or WeightDtype.Mxfp4 or WeightDtype.Nvfp4;
}
