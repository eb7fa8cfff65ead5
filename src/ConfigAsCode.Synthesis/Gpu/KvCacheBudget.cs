using System;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// The memory of the busiest GPU of one vLLM engine, the way vLLM's V1 worker budgets it
/// (<c>vllm/v1/worker/gpu_worker.py</c> <c>determine_available_memory</c>):
/// KV bytes = gpu-memory-utilization × GPU memory − weights on the GPU − peak activation − non-torch memory −
/// CUDA-graph memory (charged since 0.21, none with enforce-eager); with <c>--kv-cache-memory-bytes</c> the KV bytes
/// are that value instead. Everything is per GPU: tensor and pipeline parallelism divide the weights and layers,
/// they never add one GPU's free memory to another's.
/// </summary>
/// <param name="GpuBytes">The GPU's memory.</param>
/// <param name="UsableBytes">What gpu-memory-utilization lets this engine claim on the GPU.</param>
/// <param name="WeightBytes">Weights on the GPU.</param>
/// <param name="ActivationBytes">Peak activation of the profiling step (an estimate, see <see cref="ActivationBytesOf"/>).</param>
/// <param name="OverheadBytes">Non-torch memory and charged CUDA graphs (estimates from <see cref="RuleOptions"/>).</param>
/// <param name="KvBytes">Bytes left for the KV cache; negative when nothing is left.</param>
/// <param name="Layout">The KV layout on the GPU.</param>
/// <param name="TensorParallel">Tensor-parallel ranks of the engine.</param>
/// <param name="PipelineParallel">Pipeline-parallel ranks of the engine.</param>
/// <param name="DataParallel">Engines in the pod; each has its own weights (or expert shards) and KV cache.</param>
/// <param name="KvFromDeclaredBytes">True when <c>--kv-cache-memory-bytes</c> set the KV bytes.</param>
public sealed record KvCacheBudget(
    double GpuBytes,
    double UsableBytes,
    double WeightBytes,
    double ActivationBytes,
    double OverheadBytes,
    double KvBytes,
    KvCacheLayout Layout,
    int TensorParallel,
    int PipelineParallel,
    int DataParallel,
    bool KvFromDeclaredBytes)
{
    public const double BytesPerGiB = 1024d * 1024 * 1024;

    /// <summary>A vocabulary size assumed for the logits when the architecture does not declare one (Llama 3's).</summary>
    public const int AssumedVocabSize = 128_256;

    /// <summary>GPUs one engine spans: tensor × pipeline parallel. A pod holds <see cref="DataParallel"/> of them.</summary>
    public int GpusPerEngine => TensorParallel * PipelineParallel;

    /// <summary>Tokens the KV cache of the engine holds at full-attention cost per token (vLLM's "GPU KV cache size").</summary>
    public long TokenCapacity => TokensThatFit(KvBytes, Layout.BytesPerToken);

    /// <summary>Everything the engine keeps on the GPU besides the KV cache.</summary>
    public double NonKvBytes => WeightBytes + ActivationBytes + OverheadBytes;

    /// <summary>How many tokens of <paramref name="bytesPerToken"/> fit in <paramref name="kvBytes"/>.</summary>
    public static long TokensThatFit(double kvBytes, long bytesPerToken) =>
        kvBytes <= 0 || bytesPerToken <= 0 ? 0 : (long)Math.Floor(kvBytes / bytesPerToken);

    /// <summary>The weight format an engine loads: its quantization when it sets one, else the checkpoint's.</summary>
    public static WeightDtype LoadedFormat(ModelArchitecture architecture, Quantization quantization) => quantization switch
    {
        Quantization.Fp8 => WeightDtype.Fp8,
        Quantization.Awq or Quantization.Gptq or Quantization.AwqMarlin or Quantization.GptqMarlin or Quantization.BitsAndBytes => WeightDtype.Int4,
        _ => architecture.Dtype,
    };

    /// <summary>
    /// Bytes of all weights of the model as loaded: the declared checkpoint size when the engine keeps the checkpoint's
    /// format, else parameters × bytes per parameter of the format (with scales). Quantized formats keep the embeddings
    /// and output head (vocabulary × hidden, twice) in 16-bit; MXFP4 releases quantize only the experts.
    /// </summary>
    public static double WeightBytesOf(ModelArchitecture architecture, Quantization quantization)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var format = LoadedFormat(architecture, quantization);
        if (architecture.CheckpointGiB is > 0 and var checkpoint && format == architecture.Dtype)
        {
            return checkpoint * BytesPerGiB;
        }

        var parameters = architecture.ParametersBillions * 1e9;
        if (!format.IsQuantized())
        {
            return parameters * format.BytesPerParameter();
        }

        if (format == WeightDtype.Mxfp4 && architecture.ExpertParametersBillions is > 0 and var experts)
        {
            var expertParameters = Math.Min(parameters, experts * 1e9);
            return (expertParameters * format.BytesPerParameter()) + ((parameters - expertParameters) * 2);
        }

        var embeddings = architecture.VocabSize is > 0 and var vocab && architecture.HiddenSize is > 0 and var hidden ? Math.Min(parameters, 2.0 * vocab * hidden) : 0;
        return ((parameters - embeddings) * format.BytesPerParameter()) + (embeddings * 2);
    }

    /// <summary>
    /// Weights on the busiest GPU: all weights / (tp × pp), except the routed experts of a mixture of experts under data
    /// parallelism, which are spread over tp × dp ranks (/ pp) with or without expert parallelism: with
    /// <c>--enable-expert-parallel</c> each rank holds a share of the experts, without it every rank holds every expert
    /// sharded over the tensor-parallel size flattened across the data-parallel ranks (vLLM's
    /// <c>FusedMoEParallelConfig.make</c>, <c>flatten_tp_across_dp</c>: "TP = 1, DP = 2 and EP = False … the tensors are
    /// sharded across 2 devices"). Embeddings are counted as evenly split (an estimate: the first and last pipeline ranks
    /// also hold the embedding and the head).
    /// </summary>
    public static double WeightBytesPerGpu(ModelArchitecture architecture, VllmEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var total = WeightBytesOf(architecture, engine.Quantization);
        var tp = Math.Max(1, engine.TensorParallelSize);
        var pp = Math.Max(1, engine.PipelineParallelSize);
        var dp = Math.Max(1, engine.DataParallelSize);
        if (architecture.ExpertParametersBillions is not > 0 || dp == 1)
        {
            return total / (tp * pp);
        }

        var expertShare = Math.Min(1, architecture.ExpertParametersBillions.Value / Math.Max(architecture.ParametersBillions, 1e-9));
        var experts = total * expertShare;
        return ((total - experts) / (tp * pp)) + (experts / (tp * dp * pp));
    }

    /// <summary>
    /// Peak activation of vLLM's profiling step on one GPU, an estimate: the step runs max-num-batched-tokens (B)
    /// tokens, whose feed-forward holds about B × hidden × (2 + 10.5 / tp) 16-bit values (residual, input and a
    /// gated MLP 3.5 × wider than the hidden state, split by tensor parallelism), and samples min(max-num-seqs, B)
    /// rows of float32 logits over the vocabulary, with one copy. Compared with vLLM's "PyTorch activation peak memory"
    /// log lines it errs low by 14-60% (up to a GiB; docs/model.md).
    /// </summary>
    public static double ActivationBytesOf(ModelArchitecture architecture, int tensorParallel, int maxNumBatchedTokens, int maxNumSeqs)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var hidden = (double)(architecture.HiddenSize ?? (architecture.AttentionHeads * architecture.HeadDim));
        var vocab = (double)(architecture.VocabSize ?? AssumedVocabSize);
        var tokens = Math.Max(1, maxNumBatchedTokens);
        var rows = Math.Max(1, Math.Min(maxNumSeqs, tokens));
        return (tokens * hidden * 2 * (2 + (10.5 / Math.Max(1, tensorParallel)))) + (rows * vocab * 4 * 2);
    }

    /// <summary>
    /// The environment variable that keeps vLLM's hybrid KV-cache manager on (1) or off (0) for models with chunked
    /// local attention, from 0.10.1 (<c>vllm/envs.py</c>).
    /// </summary>
    public const string ChunkedLocalHybridVariable = "VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE";

    /// <summary>
    /// True when vLLM <paramref name="version"/> runs <paramref name="architecture"/> with the hybrid KV-cache manager,
    /// which bounds its sliding and chunked layers: from 0.10.0, except chunked local attention (Llama 4) from 0.10.1
    /// until <see cref="VllmVersion.ChunkedLocalWithHybridManager"/>, where <c>VllmConfig.__post_init__</c> turns the manager
    /// off unless <c>VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE</c> is 1. <paramref name="allowChunkedLocal"/>
    /// is that variable as the deployment sets it (null when unset).
    /// </summary>
    public static bool HybridManagerBoundsWindows(ModelArchitecture architecture, VllmVersion version, bool? allowChunkedLocal = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (version < VllmVersion.HybridKvCacheManager)
        {
            return false;
        }

        var chunked = false;
        foreach (var group in architecture.EffectiveLayerGroups)
        {
            chunked |= group.Kind == AttentionKind.ChunkedLocal;
        }

        return !chunked || version < VllmVersion.ChunkedLocalWithoutHybridManager || (allowChunkedLocal ?? version >= VllmVersion.ChunkedLocalWithHybridManager);
    }

    /// <summary>
    /// The budget of the busiest GPU of a vLLM engine. <paramref name="allowChunkedLocalHybrid"/> is the deployment's
    /// <c>VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE</c> (null when unset; see <see cref="HybridManagerBoundsWindows"/>).
    /// </summary>
    public static KvCacheBudget ForVllm(ModelArchitecture architecture, VllmEngine engine, GpuKind gpu, VllmBatching batching, VllmVersion version, RuleOptions? options = null, bool? allowChunkedLocalHybrid = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(batching);
        options ??= RuleOptions.Default;
        var gpuBytes = gpu.MemoryMiB * 1024d * 1024d;
        var usable = engine.GpuMemoryUtilization * gpuBytes;
        var weights = WeightBytesPerGpu(architecture, engine);
        var activation = ActivationBytesOf(architecture, engine.TensorParallelSize, batching.MaxNumBatchedTokens, batching.MaxNumSeqs);
        var cudaGraphs = engine.EnforceEager || version < VllmVersion.CudaGraphMemoryCharged ? 0 : options.CudaGraphGiBPerGpu;
        var overhead = (options.NonTorchGiBPerGpu + cudaGraphs) * BytesPerGiB;
        var layout = KvCacheLayout.For(architecture, engine.TensorParallelSize, engine.PipelineParallelSize, engine.KvCacheDtype, boundedWindows: HybridManagerBoundsWindows(architecture, version, allowChunkedLocalHybrid));
        var declared = engine.KvCacheMemoryBytes is > 0;
        var kv = declared ? engine.KvCacheMemoryBytes!.Value : usable - weights - activation - overhead;
        return new KvCacheBudget(gpuBytes, declared ? gpuBytes : usable, weights, activation, overhead, kv, layout,
            Math.Max(1, engine.TensorParallelSize), Math.Max(1, engine.PipelineParallelSize), Math.Max(1, engine.DataParallelSize), declared);
    }
}
