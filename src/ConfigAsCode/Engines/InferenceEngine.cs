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

    /// <summary>
    /// Path that says the server process is alive, for liveness probes. The same as <see cref="HealthPath"/> unless the
    /// engine separates "alive" from "ready to serve" (Triton's <c>/v2/health/live</c>): a liveness probe on readiness
    /// restarts a pod that is only reloading a model (CAC1029).
    /// </summary>
    public virtual string LivenessPath => HealthPath;

    /// <summary>Path the engine publishes Prometheus metrics on.</summary>
    public abstract string MetricsPath { get; }

    /// <summary>GPUs one engine instance spans (tensor x pipeline parallel, or shards).</summary>
    public abstract int GpusPerInstance { get; }

    /// <summary>True when the engine will run code shipped with the model.</summary>
    public abstract bool TrustsRemoteCode { get; }
}

/// <summary>
/// Weight quantization. <see cref="Fp8"/> and <see cref="BitsAndBytes"/> quantize a 16-bit checkpoint at load
/// time; the others describe a pre-quantized checkpoint.
/// </summary>
public enum Quantization
{
    None,

    /// <summary>fp8 weights, quantized at load time or published as fp8 (<c>--quantization=fp8</c>).</summary>
    Fp8,

    /// <summary>
    /// An AWQ checkpoint. vLLM renders no <c>--quantization</c> flag: it reads the method from the checkpoint and
    /// picks the Marlin kernel where the GPU has one (<c>awq_marlin</c>). An explicit <c>--quantization awq</c>
    /// would force the slow kernel (vLLM logs "...so forcing awq. Use quantization=awq_marlin").
    /// </summary>
    Awq,

    /// <summary>A GPTQ checkpoint: rendered like <see cref="Awq"/>, so vLLM picks <c>gptq_marlin</c> where it can.</summary>
    Gptq,

    /// <summary>Bitsandbytes 4-bit quantization at load time (<c>--quantization=bitsandbytes</c>).</summary>
    BitsAndBytes,

    /// <summary>An AWQ checkpoint with the Marlin kernel asked for explicitly (<c>--quantization=awq_marlin</c>): vLLM refuses to start where Marlin cannot run.</summary>
    AwqMarlin,

    /// <summary>A GPTQ checkpoint with the Marlin kernel asked for explicitly (<c>--quantization=gptq_marlin</c>).</summary>
    GptqMarlin,
}

/// <summary>vLLM <c>--kv-cache-dtype</c>.</summary>
public enum KvCacheDtype
{
    /// <summary>The model's activation dtype (or the model's declared default, for example fp8 for DeepSeek-V3.2).</summary>
    Auto,
    Fp8,
    Fp8E4M3,
    Fp8E5M2,

    /// <summary>bfloat16, whatever the model's dtype.</summary>
    BFloat16,

    /// <summary>float16, whatever the model's dtype.</summary>
    Float16,

    /// <summary>DeepSeek's fp8 MLA layout: 656 bytes per token per layer (MLA models only).</summary>
    Fp8DsMla,

    /// <summary>4-bit values with fp8 block scales (Blackwell): head size / 2 + head size / 16 bytes per head for K and for V.</summary>
    Nvfp4,

    /// <summary>fp8 with a float32 scale per token and head for K and for V.</summary>
    Fp8PerTokenHead,

    /// <summary>int8 with a float32 scale per token and head for K and for V.</summary>
    Int8PerTokenHead,
}
