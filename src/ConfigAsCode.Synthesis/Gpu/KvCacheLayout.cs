using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>One layer group as it sits on the busiest GPU of an engine.</summary>
/// <param name="Kind">How its layers keep state.</param>
/// <param name="Layers">Layers of the group on that GPU: ⌈layers / pipeline parallel⌉.</param>
/// <param name="BytesPerTokenPerLayer">KV bytes one token costs in one layer on that GPU (0 for state-space layers).</param>
/// <param name="Window">Sliding window or chunk in tokens; 0 for unbounded layers.</param>
/// <param name="StateBytesPerLayer">Constant bytes per request in one state-space layer on that GPU.</param>
public sealed record RankLayerGroup(AttentionKind Kind, int Layers, long BytesPerTokenPerLayer, int Window, long StateBytesPerLayer);

/// <summary>
/// The KV cache of one model on one GPU of an engine, as vLLM's V1 engine sizes it (<c>vllm/v1/kv_cache_interface.py</c>):
/// <list type="bullet">
/// <item>full attention: <c>kv_heads_per_rank × (head_size_k + head_size_v) × dtype</c> per token per layer, where
/// <c>kv_heads_per_rank = max(1, kv_heads / tp)</c>: below one head per rank the heads are replicated
/// (<c>ModelConfig.get_num_kv_heads</c>, <c>QKVParallelLinear</c>);</item>
/// <item>MLA: one latent of <c>kv_lora_rank + qk_rope_head_dim</c> per token per layer, no factor 2, on every rank
/// (<c>MLAAttentionSpec</c>; <c>fp8_ds_mla</c> stores 656 bytes);</item>
/// <item>per request, in blocks of 16 tokens: <c>⌈L / 16⌉</c> for full and MLA layers,
/// <c>⌈min(window − 1 + B, L) / 16⌉ + 1</c> for sliding layers (<c>SlidingWindowSpec.max_memory_usage_bytes</c>),
/// <c>⌈min(chunk + B, L) / 16⌉</c> for chunked layers (<c>ChunkedLocalAttentionSpec</c>), a constant for state-space
/// layers (<c>MambaSpec</c>), with L the request's tokens and B max-num-batched-tokens;</item>
/// <item>layers split over pipeline ranks as <c>get_pp_indices</c> does: the busiest rank holds ⌈layers / pp⌉;</item>
/// <item>a model whose layers keep state in more than one way (sliding + full, chunked + full, state-space + full)
/// goes through the hybrid KV-cache manager, which cuts every kind into groups of one common size and pads the last
/// group of a kind (<c>_get_kv_cache_groups_uniform_page_size</c> in <c>vllm/v1/core/kv_cache_utils.py</c>): the size
/// is the smallest per-kind layer count, or the largest when that is below 1.5 × the smallest; a kind of n layers
/// then costs ⌈n / size⌉ × size layers (Gemma-3-27B: 52 sliding + 10 full → size 10, the sliding layers cost 60).
/// Memory is <c>size × page × Σ blocks per group</c> (<c>_max_memory_usage_bytes_from_groups</c>). Under pipeline
/// parallelism the groups are formed over the whole model and each rank holds ⌈size / pp⌉ layers of every group
/// (the interleaved <c>layers[i::num_groups]</c> assignment spreads a group evenly over the ranks).</item>
/// </list>
/// </summary>
public sealed class KvCacheLayout
{
    /// <summary>vLLM's default KV block size in tokens (<c>CacheConfig.DEFAULT_BLOCK_SIZE</c>).</summary>
    public const int BlockSize = 16;

    private KvCacheLayout(IReadOnlyList<RankLayerGroup> groups, IReadOnlyList<RankLayerGroup> modelGroups, int kvHeadsPerRank, int kvReplication, int paddingLayers, int unboundedWindowLayers)
    {
        UnboundedWindowLayers = unboundedWindowLayers;
        Groups = groups;
        ModelGroups = modelGroups;
        KvHeadsPerRank = kvHeadsPerRank;
        KvReplication = kvReplication;
        PaddingLayers = paddingLayers;
    }

    /// <summary>The layer groups on the busiest GPU.</summary>
    public IReadOnlyList<RankLayerGroup> Groups { get; }

    /// <summary>KV heads each GPU holds for its attention layers (0 for MLA-only models).</summary>
    public int KvHeadsPerRank { get; }

    /// <summary>How many GPUs hold each KV head: tp / kv_heads when tensor parallel exceeds the KV heads, else 1.</summary>
    public int KvReplication { get; }

    /// <summary>The model's own layer groups on the busiest GPU, without the hybrid manager's padding (for messages).</summary>
    public IReadOnlyList<RankLayerGroup> ModelGroups { get; }

    /// <summary>
    /// Layers on this GPU that the hybrid KV-cache manager allocates without the model having them: the padding that
    /// evens out its layer groups (0 for models whose layers all keep state the same way). Included in <see cref="Groups"/>.
    /// </summary>
    public int PaddingLayers { get; }

    /// <summary>
    /// Sliding-window and chunked layers of the model (all of it, not one GPU) that keep every token because the engine
    /// runs without the hybrid KV-cache manager (<c>boundedWindows</c> false); 0 when they are bounded.
    /// </summary>
    public int UnboundedWindowLayers { get; }

    /// <summary>
    /// KV bytes one token costs on this GPU across every attention layer, before windows bound the sliding and
    /// chunked ones: what vLLM's "GPU KV cache size" in tokens divides by.
    /// </summary>
    public long BytesPerToken => Groups.Sum(g => g.BytesPerTokenPerLayer * g.Layers);

    /// <summary>KV bytes per token of the layers that keep every token (full attention and MLA).</summary>
    public long UnboundedBytesPerToken => Groups.Where(g => g.Window == 0).Sum(g => g.BytesPerTokenPerLayer * g.Layers);

    /// <summary>
    /// The layout of <paramref name="architecture"/> on one GPU of an engine with <paramref name="tensorParallel"/> x
    /// <paramref name="pipelineParallel"/> ranks and a KV cache of <paramref name="kvCacheDtype"/> (<see cref="KvCacheDtype.Auto"/>
    /// resolves to the model's). <paramref name="boundedWindows"/> is false for engines without the hybrid KV-cache
    /// manager: sliding and chunked layers of a mixed model then keep every token, and no layer group is padded (there
    /// are no groups). <paramref name="padGroups"/> false leaves the hybrid manager's padding out: the layers a decode
    /// step reads, for bandwidth (the padding is allocated, never read).
    /// </summary>
    public static KvCacheLayout For(ModelArchitecture architecture, int tensorParallel, int pipelineParallel, KvCacheDtype kvCacheDtype, bool boundedWindows = true, bool padGroups = true)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var tp = Math.Max(1, tensorParallel);
        var pp = Math.Max(1, pipelineParallel);
        var kvHeads = Math.Max(1, architecture.KvHeads);
        var kvHeadsPerRank = Math.Max(1, kvHeads / tp);
        var replication = kvHeads < tp ? tp / kvHeads : 1;
        var dtype = Resolve(kvCacheDtype, architecture);
        var autoBytes = architecture.Dtype == WeightDtype.Float32 ? 4 : 2;
        var groups = architecture.EffectiveLayerGroups;
        var mixed = groups.Any(g => g.Kind is AttentionKind.SlidingWindow or AttentionKind.ChunkedLocal) && groups.Any(g => g.Kind is AttentionKind.Full or AttentionKind.Mla);

        // First the whole model's layers, one entry per distinct spec (vLLM groups layers by equal KVCacheSpec).
        var specs = new List<RankLayerGroup>();
        var hasAttention = false;
        var unboundedWindows = 0L;
        foreach (var group in groups)
        {
            var layers = Math.Max(0, group.Layers);
            RankLayerGroup spec;
            switch (group.Kind)
            {
                case AttentionKind.Mla:
                    spec = new RankLayerGroup(group.Kind, layers, MlaBytesPerToken(group, dtype, autoBytes), 0, 0);
                    break;
                case AttentionKind.StateSpace:
                    spec = new RankLayerGroup(group.Kind, layers, 0, 0, (long)Math.Ceiling(Math.Max(0, group.StateBytesPerRequest) / (double)tp));
                    break;
                default:
                    hasAttention = true;
                    var window = group.Kind == AttentionKind.Full || (mixed && !boundedWindows) ? 0 : Math.Max(1, group.Window);
                    unboundedWindows += group.Kind != AttentionKind.Full && window == 0 ? layers : 0;
                    spec = new RankLayerGroup(window == 0 ? AttentionKind.Full : group.Kind, layers, AttentionBytesPerToken(kvHeadsPerRank, architecture.HeadDim, dtype, autoBytes), window, 0);
                    break;
            }

            var same = specs.FindIndex(s => s with { Layers = 0 } == spec with { Layers = 0 });
            if (same >= 0)
            {
                specs[same] = specs[same] with { Layers = (int)Math.Min(int.MaxValue, (long)specs[same].Layers + layers) };
            }
            else
            {
                specs.Add(spec);
            }
        }

        // One spec: every layer in one group, split over the pipeline ranks. Several: vLLM's hybrid grouping, padded.
        var kinds = specs.Where(s => s.Layers > 0).ToList();
        var unpadded = specs.Select(s => s with { Layers = CeilingDivide(s.Layers, pp) }).ToList();
        var onRank = new List<RankLayerGroup>(specs.Count);
        var padding = 0L;
        if (kinds.Count <= 1 || !boundedWindows || !padGroups)
        {
            onRank.AddRange(unpadded);
        }
        else
        {
            var fewest = kinds.Min(s => s.Layers);
            var most = kinds.Max(s => s.Layers);
            var groupSize = most < fewest * 1.5 ? most : fewest;
            var perRank = CeilingDivide(groupSize, pp);
            foreach (var spec in specs)
            {
                var layers = (int)Math.Min(int.MaxValue, (long)CeilingDivide(spec.Layers, groupSize) * perRank);
                padding += Math.Max(0, (long)layers - CeilingDivide(spec.Layers, pp));
                onRank.Add(spec with { Layers = layers });
            }
        }

        return new KvCacheLayout(onRank, unpadded, hasAttention ? kvHeadsPerRank : 0, hasAttention ? replication : 1, (int)Math.Min(int.MaxValue, padding), (int)Math.Min(int.MaxValue, unboundedWindows));
    }

    /// <summary>
    /// Bytes one request of <paramref name="tokens"/> tokens may occupy on this GPU: the sum over layers of vLLM's
    /// <c>max_memory_usage_bytes</c>, which <c>check_enough_kv_cache_memory</c> compares with the KV budget.
    /// </summary>
    public double BytesForRequest(long tokens, int maxNumBatchedTokens)
    {
        var total = 0.0;
        foreach (var group in Groups)
        {
            var blocks = group.Kind switch
            {
                AttentionKind.StateSpace => 0,
                AttentionKind.SlidingWindow => Blocks(Math.Min((long)group.Window - 1 + maxNumBatchedTokens, tokens)) + 1,
                AttentionKind.ChunkedLocal => Blocks(Math.Min((long)group.Window + maxNumBatchedTokens, tokens)),
                _ => Blocks(tokens),
            };
            total += ((double)blocks * BlockSize * group.BytesPerTokenPerLayer * group.Layers) + ((double)group.StateBytesPerLayer * group.Layers);
        }

        return total;
    }

    /// <summary>
    /// The longest request, at most <paramref name="upperBound"/> tokens, whose <see cref="BytesForRequest"/> fits
    /// <paramref name="kvBytes"/>; 0 when not even one token fits. vLLM's <c>estimate_max_model_len</c>, which
    /// <c>--max-model-len auto</c> and the "estimated maximum model length" of its start-up error use.
    /// </summary>
    public long LongestRequestThatFits(double kvBytes, int maxNumBatchedTokens, long upperBound)
    {
        if (upperBound < 1 || BytesForRequest(1, maxNumBatchedTokens) > kvBytes)
        {
            return 0;
        }

        long low = 1, high = upperBound, best = 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (BytesForRequest(middle, maxNumBatchedTokens) <= kvBytes)
            {
                best = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return best;
    }

    /// <summary>Requests of <paramref name="tokens"/> tokens that fit <paramref name="kvBytes"/> at once.</summary>
    public long RequestsThatFit(double kvBytes, long tokens, int maxNumBatchedTokens)
    {
        var perRequest = BytesForRequest(Math.Max(1, tokens), maxNumBatchedTokens);
        return kvBytes <= 0 || perRequest <= 0 ? 0 : (long)Math.Floor(kvBytes / perRequest);
    }

    /// <summary>Bytes per element of a KV dtype; <see cref="KvCacheDtype.Auto"/> must be resolved first.</summary>
    public static double ElementBytes(KvCacheDtype dtype) => dtype switch
    {
        KvCacheDtype.Fp8 or KvCacheDtype.Fp8E4M3 or KvCacheDtype.Fp8E5M2 or KvCacheDtype.Fp8PerTokenHead or KvCacheDtype.Int8PerTokenHead or KvCacheDtype.Fp8DsMla => 1,
        KvCacheDtype.Nvfp4 => 0.5625,
        _ => 2,
    };

    /// <summary><paramref name="dtype"/>, with <see cref="KvCacheDtype.Auto"/> replaced by the model's declared default when it has one (Auto then means the activation dtype).</summary>
    public static KvCacheDtype Resolve(KvCacheDtype dtype, ModelArchitecture architecture) =>
        dtype != KvCacheDtype.Auto ? dtype : architecture.DefaultKvCacheDtype is { } declared && declared != KvCacheDtype.Auto ? declared : KvCacheDtype.Auto;

    private static long AttentionBytesPerToken(int kvHeadsPerRank, int headDim, KvCacheDtype dtype, int autoBytes)
    {
        var head = Math.Max(1, headDim);
        return dtype switch
        {
            // FullAttentionSpec.real_page_size_bytes with nvfp4: head_size / 2 bytes of values and head_size / 16 of scales, for K and for V.
            KvCacheDtype.Nvfp4 => kvHeadsPerRank * 2L * ((head / 2) + (head / 16)),

            // AttentionSpec.page_size_bytes adds a float32 scale per token and head for K and for V.
            KvCacheDtype.Fp8PerTokenHead or KvCacheDtype.Int8PerTokenHead => (kvHeadsPerRank * 2L * head) + (kvHeadsPerRank * 2L * 4),
            KvCacheDtype.Auto => kvHeadsPerRank * 2L * head * autoBytes,
            _ => (long)(kvHeadsPerRank * 2L * head * ElementBytes(dtype)),
        };
    }

    private static long MlaBytesPerToken(LayerGroup group, KvCacheDtype dtype, int autoBytes) => dtype switch
    {
        KvCacheDtype.Fp8DsMla => 656,
        KvCacheDtype.Auto => (Math.Max(0, group.KvLoraRank) + Math.Max(0, group.RopeHeadDim)) * (long)autoBytes,
        _ => (long)((Math.Max(0, group.KvLoraRank) + Math.Max(0, group.RopeHeadDim)) * ElementBytes(dtype)),
    };

    private static int CeilingDivide(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);

    private static long Blocks(long tokens) => (Math.Max(0, tokens) + BlockSize - 1) / BlockSize;
}
