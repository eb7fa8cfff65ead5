using System;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>The batching values one vLLM engine runs with: the declared ones, or the defaults its version picks on its GPU.</summary>
/// <param name="MaxNumSeqs">Sequences batched per step.</param>
/// <param name="MaxNumBatchedTokens">Tokens processed per step (the prefill chunk).</param>
/// <param name="ChunkedPrefill">True when long prompts are split into chunks of <paramref name="MaxNumBatchedTokens"/>.</param>
public sealed record VllmBatching(int MaxNumSeqs, int MaxNumBatchedTokens, bool ChunkedPrefill);

/// <summary>
/// The values vLLM picks when a batching knob is left unset, which depend on the node's GPU and the release.
/// V1 engine (0.8 and later, <c>engine/arg_utils.py</c> <c>_set_default_args</c>, OpenAI server): 1024 sequences and
/// 8,192 tokens on GPUs with at least 70 GiB other than A100, 256 and 2,048 otherwise; from 0.28, 16,384 tokens on
/// GPUs with at least 160 GiB; max-num-seqs never above max-num-batched-tokens. Chunked prefill is always on.
/// V0 engine (before 0.8, <c>EngineArgs.create_engine_config</c>): chunked prefill only for contexts over 32,768
/// tokens without sliding windows or MLA on NVIDIA GPUs, 512 tokens then; otherwise max(max-model-len, 2,048);
/// 256 sequences.
/// </summary>
public static class EngineDefaults
{
    /// <summary>V0 turns chunked prefill on by itself above this context length.</summary>
    public const int V0LongContext = 32_768;

    /// <summary>
    /// The batching of <paramref name="engine"/> on <paramref name="gpu"/> under <paramref name="version"/>.
    /// <paramref name="maxModelLen"/> is the context the engine runs with (V0 sizes its step by it) and
    /// <paramref name="architecture"/> the model (V0's chunked-prefill conditions); either is null when unknown.
    /// </summary>
    public static VllmBatching ForVllm(VllmEngine engine, GpuKind gpu, VllmVersion version, int? maxModelLen, ModelArchitecture? architecture)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(gpu);
        if (version.IsV0)
        {
            var chunked = V0ChunkedPrefill(gpu, maxModelLen, architecture);
            var tokens = engine.MaxNumBatchedTokens ?? (chunked ? 512 : Math.Max(maxModelLen ?? 2048, 2048));
            return new VllmBatching(engine.MaxNumSeqs ?? 256, tokens, chunked);
        }

        var (seqs, batched) = V1Defaults(gpu, version);
        var maxNumBatchedTokens = engine.MaxNumBatchedTokens ?? batched;
        return new VllmBatching(engine.MaxNumSeqs ?? Math.Min(seqs, maxNumBatchedTokens), maxNumBatchedTokens, ChunkedPrefill: true);
    }

    /// <summary>V1's default max-num-seqs on <paramref name="gpu"/> (the newest known release when the version is not given).</summary>
    public static int VllmMaxNumSeqs(GpuKind gpu, VllmVersion? version = null) => V1Defaults(gpu, version ?? VllmVersion.NewestKnown).Seqs;

    /// <summary>V1's default max-num-batched-tokens on <paramref name="gpu"/> (the newest known release when the version is not given).</summary>
    public static int VllmMaxNumBatchedTokens(GpuKind gpu, VllmVersion? version = null) => V1Defaults(gpu, version ?? VllmVersion.NewestKnown).Batched;

    /// <summary>True when V0 splits prefill into chunks without being asked.</summary>
    public static bool V0ChunkedPrefill(GpuKind gpu, int? maxModelLen, ModelArchitecture? architecture)
    {
        if (maxModelLen is not > V0LongContext || gpu.Vendor != GpuVendor.Nvidia || architecture is null)
        {
            return false;
        }

        foreach (var group in architecture.EffectiveLayerGroups)
        {
            if (group.Kind is AttentionKind.SlidingWindow or AttentionKind.ChunkedLocal or AttentionKind.Mla)
            {
                return false;
            }
        }

        return true;
    }

    private static (int Seqs, int Batched) V1Defaults(GpuKind gpu, VllmVersion version)
    {
        if (version >= VllmVersion.LargeGpuBatchTier && gpu.MemoryGiB >= 160)
        {
            return (1024, 16_384);
        }

        // vLLM compares the device name: large A100s lose throughput with 8,192-token steps (vllm-project/vllm#17885).
        return gpu.MemoryGiB >= 70 && !gpu.Name.Contains("A100", StringComparison.OrdinalIgnoreCase) ? (1024, 8192) : (256, 2048);
    }
}
