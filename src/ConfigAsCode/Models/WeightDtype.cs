namespace ConfigAsCode;

/// <summary>Numeric format of model weights or of the KV cache.</summary>
public enum WeightDtype
{
    BFloat16,
    Float16,
    Float32,
    Fp8,
    Int8,
    Int4,
}

/// <summary>Byte widths of <see cref="WeightDtype"/> values.</summary>
public static class WeightDtypeExtensions
{
    /// <summary>Bytes per element; 0.5 for 4-bit formats.</summary>
    public static double BytesPerElement(this WeightDtype dtype) => dtype switch
    {
        WeightDtype.Float32 => 4,
        WeightDtype.BFloat16 or WeightDtype.Float16 => 2,
        WeightDtype.Fp8 or WeightDtype.Int8 => 1,
        WeightDtype.Int4 => 0.5,
        _ => 2,
    };
}
