namespace ConfigAsCode;

/// <summary>
/// Hugging Face Text Generation Inference. Its token budgets must satisfy
/// <c>max_input_tokens &lt; max_total_tokens &lt;= max_batch_total_tokens</c> and
/// <c>max_input_tokens &lt;= max_batch_prefill_tokens &lt;= max_batch_total_tokens</c> (CAC3011).
/// </summary>
public sealed record TgiEngine : InferenceEngine
{
    public override string Kind => "tgi";

    public override int HttpPort { get; init; } = 8080;

    public override string HealthPath => "/health";

    public override string MetricsPath => "/metrics";

    /// <summary><c>--max-input-tokens</c>.</summary>
    public int? MaxInputTokens { get; init; }

    /// <summary><c>--max-total-tokens</c>: prompt plus completion for one request.</summary>
    public int? MaxTotalTokens { get; init; }

    /// <summary><c>--max-batch-prefill-tokens</c>.</summary>
    public int? MaxBatchPrefillTokens { get; init; }

    /// <summary><c>--max-batch-total-tokens</c>: the KV budget of the whole batch.</summary>
    public int? MaxBatchTotalTokens { get; init; }

    /// <summary><c>--max-concurrent-requests</c>.</summary>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary><c>--num-shard</c>: tensor-parallel shards (GPUs per instance).</summary>
    public int NumShard { get; init; } = 1;

    /// <summary><c>--quantize</c>.</summary>
    public Quantization Quantization { get; init; } = Quantization.None;

    /// <summary><c>--trust-remote-code</c>.</summary>
    public bool TrustRemoteCode { get; init; }

    public override int GpusPerInstance => NumShard;

    public override bool TrustsRemoteCode => TrustRemoteCode;
}
