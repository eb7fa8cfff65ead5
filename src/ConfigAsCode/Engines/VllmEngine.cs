namespace ConfigAsCode;

/// <summary>
/// vLLM's OpenAI-compatible server. Every batching knob is nullable so the rules can tell "left to the
/// hardware-dependent default" (CAC5004) apart from an explicit choice.
/// </summary>
public sealed record VllmEngine : InferenceEngine
{
    /// <summary>
    /// <c>MaxModelLen = VllmEngine.MaxModelLenAuto</c> renders <c>--max-model-len=auto</c>: vLLM (0.12 and later)
    /// takes the model's full context if its KV cache fits, else the longest length that does.
    /// </summary>
    public const int MaxModelLenAuto = -1;

    public override string Kind => "vllm";

    public override int HttpPort { get; init; } = 8000;

    public override string HealthPath => "/health";

    public override string MetricsPath => "/metrics";

    /// <summary><c>--max-num-seqs</c>: sequences batched per step; the engine's concurrency limit.</summary>
    public int? MaxNumSeqs { get; init; }

    /// <summary><c>--max-num-batched-tokens</c>: tokens processed per step (the prefill chunk budget).</summary>
    public int? MaxNumBatchedTokens { get; init; }

    /// <summary>
    /// <c>--max-model-len</c>: the longest prompt plus completion; null means the model's full context, and
    /// <see cref="MaxModelLenAuto"/> the longest that fits the KV cache (decided by vLLM at start-up).
    /// </summary>
    public int? MaxModelLen { get; init; }

    /// <summary>
    /// <c>--gpu-memory-utilization</c>: the share of each GPU's memory this instance may claim, in (0, 1]. Always
    /// rendered; 0.90 here, while vLLM's own default is 0.92 (<c>vllm/config/cache.py</c>).
    /// </summary>
    public double GpuMemoryUtilization { get; init; } = 0.90;

    /// <summary><c>--tensor-parallel-size</c>.</summary>
    public int TensorParallelSize { get; init; } = 1;

    /// <summary><c>--pipeline-parallel-size</c>: layers split over this many ranks.</summary>
    public int PipelineParallelSize { get; init; } = 1;

    /// <summary>
    /// <c>--data-parallel-size</c>: engine copies in this pod, each with tensor x pipeline parallel GPUs of its own,
    /// behind one API server. Their KV caches are separate.
    /// </summary>
    public int DataParallelSize { get; init; } = 1;

    /// <summary>
    /// <c>--enable-expert-parallel</c>: a mixture of experts places whole experts on the tensor x data parallel ranks
    /// instead of splitting every expert over them (without it vLLM shards each expert over tensor x data parallel
    /// ranks; the weights per GPU are the same either way).
    /// </summary>
    public bool EnableExpertParallel { get; init; }

    /// <summary>
    /// <c>--kv-cache-memory-bytes</c>: the KV cache of each GPU in bytes. It replaces the budget
    /// gpu-memory-utilization would leave, so weights, activations and this must fit the GPU by themselves.
    /// </summary>
    public long? KvCacheMemoryBytes { get; init; }

    /// <summary>
    /// The vLLM release the image runs, for example <c>0.11.0</c>. Defaults and limits differ between releases;
    /// when null the version is read from the image tag (<c>v0.11.0</c>).
    /// </summary>
    public string? Version { get; init; }

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

    /// <summary>True when <see cref="MaxModelLen"/> is <see cref="MaxModelLenAuto"/>.</summary>
    public bool IsMaxModelLenAuto => MaxModelLen == MaxModelLenAuto;

    public override int GpusPerInstance => TensorParallelSize * PipelineParallelSize * DataParallelSize;

    public override bool TrustsRemoteCode => TrustRemoteCode;
}
