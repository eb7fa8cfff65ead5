namespace ConfigAsCode;

/// <summary>
/// vLLM's OpenAI-compatible server. Every batching knob is nullable so the rules can tell "left to the
/// hardware-dependent default" (CAC5004) apart from an explicit choice.
/// </summary>
public sealed record VllmEngine : InferenceEngine
{
    public override string Kind => "vllm";

    public override int HttpPort { get; init; } = 8000;

    public override string HealthPath => "/health";

    public override string MetricsPath => "/metrics";

    /// <summary><c>--max-num-seqs</c>: sequences batched per step; the engine's concurrency limit.</summary>
    public int? MaxNumSeqs { get; init; }

    /// <summary><c>--max-num-batched-tokens</c>: tokens processed per step (the prefill chunk budget).</summary>
    public int? MaxNumBatchedTokens { get; init; }

    /// <summary><c>--max-model-len</c>: the longest prompt plus completion; null means the model's full context.</summary>
    public int? MaxModelLen { get; init; }

    /// <summary><c>--gpu-memory-utilization</c>: the share of each GPU's memory this instance may claim, in (0, 1].</summary>
    public double GpuMemoryUtilization { get; init; } = 0.90;

    /// <summary><c>--tensor-parallel-size</c>.</summary>
    public int TensorParallelSize { get; init; } = 1;

    /// <summary><c>--pipeline-parallel-size</c>.</summary>
    public int PipelineParallelSize { get; init; } = 1;

    /// <summary><c>--kv-cache-dtype</c>.</summary>
    public KvCacheDtype KvCacheDtype { get; init; } = KvCacheDtype.Auto;

    /// <summary><c>--quantization</c>.</summary>
    public Quantization Quantization { get; init; } = Quantization.None;

    /// <summary><c>--enforce-eager</c>: no CUDA graphs (less memory, lower throughput).</summary>
    public bool EnforceEager { get; init; }

    /// <summary><c>--enable-prefix-caching</c>.</summary>
    public bool? EnablePrefixCaching { get; init; }

    /// <summary><c>--trust-remote-code</c>: runs Python shipped with the model. Requires a pinned revision (CAC2009).</summary>
    public bool TrustRemoteCode { get; init; }

    /// <summary><c>--api-key</c>, always from a Secret. Note it protects only <c>/v1</c>, <c>/v2</c> and <c>/inference</c>.</summary>
    public SecretReference? ApiKey { get; init; }

    /// <summary><c>--served-model-name</c>; the model id when null.</summary>
    public string? ServedModelName { get; init; }

    public override int GpusPerInstance => TensorParallelSize * PipelineParallelSize;

    public override bool TrustsRemoteCode => TrustRemoteCode;
}
