namespace ConfigAsCode;

/// <summary>The serving engine and its typed knobs. See <see cref="VllmEngine"/>, <see cref="TgiEngine"/> and <see cref="TritonEngine"/>.</summary>
public abstract record InferenceEngine
{
    private protected InferenceEngine()
    {
    }

    /// <summary>The engine's short name, used in labels and messages.</summary>
    public abstract string Kind { get; }

    /// <summary>The HTTP port the engine serves inference and health on.</summary>
    public abstract int HttpPort { get; init; }

    /// <summary>Path of the engine's health endpoint, used by default probes.</summary>
    public abstract string HealthPath { get; }

    /// <summary>Path the engine publishes Prometheus metrics on.</summary>
    public abstract string MetricsPath { get; }

    /// <summary>GPUs one engine instance spans (tensor x pipeline parallel, or shards).</summary>
    public abstract int GpusPerInstance { get; }

    /// <summary>True when the engine will run code shipped with the model.</summary>
    public abstract bool TrustsRemoteCode { get; }
}

/// <summary>Weight quantization an engine applies at load time.</summary>
public enum Quantization
{
    None,
    Fp8,
    Awq,
    Gptq,
    BitsAndBytes,
}

/// <summary>vLLM <c>--kv-cache-dtype</c>.</summary>
public enum KvCacheDtype
{
    /// <summary>Same as the model's dtype.</summary>
    Auto,
    Fp8,
    Fp8E4M3,
    Fp8E5M2,
}
