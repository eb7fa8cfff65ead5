using System;
using ConfigAsCode.Synthesis.Gpu;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The per-GPU memory model against vLLM V1's arithmetic (<c>vllm/v1/kv_cache_interface.py</c>,
/// <c>ModelConfig.get_num_kv_heads</c>, <c>get_pp_indices</c>) and the figures of SERVING-2026.md §2.
/// </summary>
public sealed class KvCacheBudgetTests
{
    private const int Batched = 8192;

    private static KvCacheLayout Layout(CatalogModel model, int tp = 1, int pp = 1, KvCacheDtype dtype = KvCacheDtype.Auto) =>
        KvCacheLayout.For(model.Architecture, tp, pp, dtype);

    [Fact]
    public void Llama_8B_needs_128_KiB_per_token_in_bf16()
    {
        Assert.Equal(128 * 1024, Layout(ModelCatalog.Llama31_8B).BytesPerToken);
    }

    [Fact]
    public void Llama_70B_needs_320_KiB_per_token_in_bf16_on_one_GPU()
    {
        Assert.Equal(320 * 1024, Layout(ModelCatalog.Llama31_70B).BytesPerToken);
    }

    [Fact]
    public void Llama_70B_at_TP_4_holds_2_KV_heads_per_GPU_and_a_quarter_of_the_bytes()
    {
        var layout = Layout(ModelCatalog.Llama31_70B, tp: 4);

        Assert.Equal(2, layout.KvHeadsPerRank);
        Assert.Equal(1, layout.KvReplication);
        AssertWithin1Percent(80 * 2 * (128 + 128) * 2, layout.BytesPerToken); // 81,920 B per token per GPU
    }

    [Fact]
    public void Qwen3_235B_at_TP_8_replicates_its_4_KV_heads_so_each_GPU_holds_one()
    {
        var layout = Layout(ModelCatalog.Qwen3_235BA22B, tp: 8);

        Assert.Equal(1, layout.KvHeadsPerRank);
        Assert.Equal(2, layout.KvReplication);
        AssertWithin1Percent(94 * 1 * 256 * 2, layout.BytesPerToken); // 48,128 B, not the 24,064 a sum over GPUs gives
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void DeepSeek_V3_stores_one_576_wide_latent_per_layer_on_every_GPU(int tp)
    {
        var layout = Layout(ModelCatalog.DeepSeekV3, tp: tp);

        AssertWithin1Percent(70_272, layout.BytesPerToken); // 61 x (512 + 64) x 2 B, the same at any TP
        Assert.Equal(0, layout.KvHeadsPerRank);
        Assert.Equal(61 * 656, KvCacheLayout.For(ModelCatalog.DeepSeekV3.Architecture, tp, 1, KvCacheDtype.Fp8DsMla).BytesPerToken);
        Assert.Equal(61 * 576, KvCacheLayout.For(ModelCatalog.DeepSeekV3.Architecture, tp, 1, KvCacheDtype.Fp8).BytesPerToken);
    }

    [Fact]
    public void Gemma_3_27B_bounds_its_52_sliding_layers_by_window_plus_batched_tokens()
    {
        var layout = Layout(ModelCatalog.Gemma3_27B);
        const long tokens = 131_072;

        // Full layers: 10 x 16 heads x 256 x 2 B per token; sliding layers hold ⌈min(1023 + 8192, L) / 16⌉ + 1 blocks,
        // in 60 layers: the hybrid manager pads the 52 to six groups of 10 (see the padding test below).
        var perLayerToken = 16L * 256 * 2;
        AssertWithin1Percent(10 * perLayerToken, layout.UnboundedBytesPerToken);
        var expected = (10.0 * tokens * perLayerToken) + (60.0 * (((1023 + Batched + 15) / 16) + 1) * 16 * perLayerToken);
        AssertWithin1Percent(expected, layout.BytesForRequest(tokens, Batched));

        // The plain formula counts every layer for every token: 4.3 times as much.
        Assert.True(62.0 * tokens * perLayerToken / layout.BytesForRequest(tokens, Batched) > 4.3);
    }

    [Fact]
    public void Gemma_3_27B_pays_for_60_sliding_layers_because_vllm_pads_its_layer_groups()
    {
        // vLLM V1, _get_kv_cache_groups_uniform_page_size (vllm/v1/core/kv_cache_utils.py): 52 sliding + 10 full
        // layers; the smallest count is 10 and 52 is not below 1.5 x 10, so the group size is 10: the sliding layers
        // become ⌈52 / 10⌉ = 6 groups (8 padding layers), the full ones 1 group, 7 groups of 10 layers.
        // Page = 16 tokens x 16 KV heads x (128 + 128) x 2 B = 131,072 B per layer.
        // "GPU KV cache size" = num_blocks // 7 x 16 with num_blocks = memory // (page x 10): 7 x 10 = 70 layers per token.
        var layout = Layout(ModelCatalog.Gemma3_27B);
        Assert.Equal(70L * 8192, layout.BytesPerToken); // 573,440 B, not 62 x 8,192 = 507,904
        Assert.Equal(8, layout.PaddingLayers);

        // _max_memory_usage_bytes_from_groups = group size x page x Σ blocks per group, at 131,072 tokens and 8,192
        // batched: full 131,072 / 16 = 8,192 blocks; sliding ⌈min(1,023 + 8,192, 131,072) / 16⌉ + 1 = 577 blocks each.
        // 10 x 131,072 x (8,192 + 6 x 577) = 15,275,130,880 B (52 unpadded layers would give 14,670,102,528).
        Assert.Equal(15_275_130_880.0, layout.BytesForRequest(131_072, Batched));

        // At PP 2 the groups are formed over the whole model and each rank holds ⌈10 / 2⌉ = 5 layers of each of the
        // 7 groups: 35 layers per token on the busiest rank, not 26 sliding + 5 full.
        Assert.Equal(35L * 8192, Layout(ModelCatalog.Gemma3_27B, pp: 2).BytesPerToken);
    }

    [Fact]
    public void Hybrid_groups_take_the_largest_count_when_it_is_below_one_and_a_half_times_the_smallest_and_need_no_padding_when_counts_divide()
    {
        // Llama-4-Scout: 36 chunked + 12 full: group size 12, 3 + 1 groups, no padding: 48 x 8 heads x 256 x 2 B.
        var scout = Layout(ModelCatalog.Llama4Scout);
        Assert.Equal(48L * 4096, scout.BytesPerToken);
        Assert.Equal(0, scout.PaddingLayers);

        // vLLM's own example (gpt-oss-20b with an EAGLE drafter's extra full layer): 12 sliding + 13 full. 13 is
        // below 1.5 x 12, so the group size is 13 and the sliding layers are padded to 13 (not the full ones to 24):
        // 26 layers x 8 KV heads x (64 + 64) x 2 B per token.
        var drafted = ModelCatalog.GptOss20B.Architecture with { Layers = 25, LayerGroups = [LayerGroup.Sliding(12, 128), LayerGroup.Full(13)] };
        var layout = KvCacheLayout.For(drafted, 1, 1, KvCacheDtype.Auto);
        Assert.Equal(26L * 2048, layout.BytesPerToken);
        Assert.Equal(1, layout.PaddingLayers);

        // Without the hybrid manager every layer is full attention: one group, nothing padded.
        Assert.Equal(0, KvCacheLayout.For(ModelCatalog.Gemma3_27B.Architecture, 1, 1, KvCacheDtype.Auto, boundedWindows: false).PaddingLayers);
    }

    [Fact]
    public void Gpt_oss_120b_bounds_its_18_sliding_layers_by_128_plus_batched_tokens()
    {
        var layout = Layout(ModelCatalog.GptOss120B);
        const long tokens = 131_072;
        var perLayerToken = 8L * 128 * 2;

        AssertWithin1Percent(18 * perLayerToken, layout.UnboundedBytesPerToken); // 36,864 B
        var expected = (18.0 * tokens * perLayerToken) + (18.0 * (((127 + Batched + 15) / 16) + 1) * 16 * perLayerToken);
        AssertWithin1Percent(expected, layout.BytesForRequest(tokens, Batched));
    }

    [Fact]
    public void A_hybrid_model_pays_per_token_only_for_its_attention_layers_and_a_constant_for_its_state_layers()
    {
        var architecture = ModelArchitecture.FromConfigJson(ConfigJsons.Qwen3Next80B);

        var tp1 = KvCacheLayout.For(architecture, 1, 1, KvCacheDtype.Auto);
        var tp4 = KvCacheLayout.For(architecture, 4, 1, KvCacheDtype.Auto);

        // 12 full-attention layers of 2 KV heads x 256; 36 gated-delta-net layers with conv (3 x 8192 x 2 B) and
        // recurrent (32 x 128 x 128 x 4 B, mamba_ssm_dtype float32) state.
        AssertWithin1Percent(12 * 2 * 512 * 2, tp1.BytesPerToken);
        const long state = (3 * 8192 * 2) + (32 * 128 * 128 * 4);
        AssertWithin1Percent((16.0 * 12 * 2 * 512 * 2) + (36.0 * state), tp1.BytesForRequest(16, Batched));
        Assert.Equal(100.0 * 16 * 12 * 2 * 512 * 2, tp1.BytesForRequest(1_616, Batched) - tp1.BytesForRequest(16, Batched), 3); // the state does not grow

        // At TP 4 the 2 KV heads are replicated (one per GPU) and the state splits four ways.
        Assert.Equal(2, tp4.KvReplication);
        AssertWithin1Percent(12 * 1 * 512 * 2, tp4.BytesPerToken);
        AssertWithin1Percent((16.0 * 12 * 1 * 512 * 2) + (36.0 * state / 4), tp4.BytesForRequest(16, Batched));
    }

    [Fact]
    public void Absurd_layer_counts_saturate_instead_of_wrapping_negative()
    {
        // Two groups of one spec are summed into one vLLM group; int.MaxValue + 1 layers must not wrap to a negative size.
        var huge = ModelCatalog.Llama31_8B.Architecture with { LayerGroups = [LayerGroup.Full(int.MaxValue), LayerGroup.Full(1)] };
        Assert.True(KvCacheLayout.For(huge, 1, 1, KvCacheDtype.Auto).BytesPerToken > 0);

        var hybrid = ModelCatalog.Gemma3_27B.Architecture with { LayerGroups = [LayerGroup.Sliding(int.MaxValue, 1024), LayerGroup.Full(int.MaxValue - 1)] };
        var layout = KvCacheLayout.For(hybrid, 1, 1, KvCacheDtype.Auto);
        Assert.True(layout.BytesPerToken > 0);
        Assert.True(layout.PaddingLayers >= 0);
    }

    [Fact]
    public void Pipeline_parallel_ranks_hold_the_ceiling_of_layers_over_ranks()
    {
        var layout = Layout(ModelCatalog.DeepSeekV3, tp: 8, pp: 2);

        Assert.Equal(31 * 576 * 2, layout.BytesPerToken); // 61 layers over 2 ranks: 31 and 30
    }

    [Fact]
    public void Fp8_halves_and_nvfp4_and_per_token_head_scales_follow_the_page_layout()
    {
        var architecture = ModelCatalog.Llama31_8B.Architecture;

        Assert.Equal(64 * 1024, KvCacheLayout.For(architecture, 1, 1, KvCacheDtype.Fp8).BytesPerToken);
        Assert.Equal(32 * 8 * 2 * ((128 / 2) + (128 / 16)), KvCacheLayout.For(architecture, 1, 1, KvCacheDtype.Nvfp4).BytesPerToken);
        Assert.Equal(32 * ((8 * 2 * 128) + (8 * 2 * 4)), KvCacheLayout.For(architecture, 1, 1, KvCacheDtype.Fp8PerTokenHead).BytesPerToken);
        Assert.Equal(64 * 1024, KvCacheLayout.For(architecture with { DefaultKvCacheDtype = KvCacheDtype.Fp8 }, 1, 1, KvCacheDtype.Auto).BytesPerToken);
    }

    [Fact]
    public void Without_the_hybrid_manager_sliding_layers_of_a_mixed_model_keep_every_token()
    {
        var bounded = KvCacheLayout.For(ModelCatalog.Gemma3_27B.Architecture, 1, 1, KvCacheDtype.Auto, boundedWindows: true);
        var unbounded = KvCacheLayout.For(ModelCatalog.Gemma3_27B.Architecture, 1, 1, KvCacheDtype.Auto, boundedWindows: false);

        Assert.Equal(62L * 16 * 256 * 2, unbounded.UnboundedBytesPerToken);
        Assert.True(unbounded.BytesForRequest(131_072, Batched) > 4 * bounded.BytesForRequest(131_072, Batched));
    }

    [Fact]
    public void Requests_are_rounded_up_to_16_token_blocks()
    {
        var layout = Layout(ModelCatalog.Llama31_8B);

        Assert.Equal(16.0 * 128 * 1024, layout.BytesForRequest(1, Batched));
        Assert.Equal(32.0 * 128 * 1024, layout.BytesForRequest(17, Batched));
    }

    [Fact]
    public void The_longest_request_that_fits_is_the_binary_search_vLLM_runs_for_max_model_len_auto()
    {
        var layout = Layout(ModelCatalog.Llama31_8B);
        var kv = 2.89 * KvCacheBudget.BytesPerGiB;

        var longest = layout.LongestRequestThatFits(kv, Batched, 131_072);

        Assert.True(layout.BytesForRequest(longest, Batched) <= kv);
        Assert.True(layout.BytesForRequest(longest + 1, Batched) > kv);
        Assert.Equal(0, layout.LongestRequestThatFits(1_000, Batched, 131_072));
        Assert.Equal(8192, layout.LongestRequestThatFits(kv, Batched, 8192));
    }

    [Fact]
    public void A_2_89_GiB_cache_holds_about_23_600_tokens_of_8B_as_vllm_issue_10517_observed()
    {
        var tokens = KvCacheBudget.TokensThatFit(2.89 * KvCacheBudget.BytesPerGiB, Layout(ModelCatalog.Llama31_8B).BytesPerToken);

        // vLLM reported 23,648 (block-rounded).
        Assert.InRange(tokens, 23_648 * 0.99, 23_648 * 1.01);
    }

    [Theory]
    [InlineData(8_192, 1.0)]
    [InlineData(131_072, 16.0)]
    public void One_sequence_of_8B_needs_the_documented_KV(int tokens, double gib)
    {
        Assert.Equal(gib, Layout(ModelCatalog.Llama31_8B).BytesForRequest(tokens, Batched) / KvCacheBudget.BytesPerGiB, 6);
    }

    [Fact]
    public void Weights_follow_the_format_the_checkpoint_and_the_engine_load()
    {
        static double GiB(ModelArchitecture a, Quantization q = Quantization.None) => KvCacheBudget.WeightBytesOf(a, q) / KvCacheBudget.BytesPerGiB;

        Assert.InRange(GiB(ModelCatalog.Llama31_8B.Architecture), 14.9, 15.0);
        Assert.Equal(60.8, GiB(ModelCatalog.GptOss120B.Architecture), 6); // the declared MXFP4 checkpoint, not 233.6 GB of bf16
        Assert.InRange(GiB(ModelCatalog.GptOss120B.Architecture with { CheckpointGiB = null }), 60, 62); // experts in MXFP4, the rest in bf16
        Assert.InRange(GiB(ModelCatalog.DeepSeekV3.Architecture), 625, 628); // fp8 with 16-bit embeddings
        Assert.InRange(GiB(ModelCatalog.Llama31_8B.Architecture, Quantization.Awq), 5.2, 5.4); // the published AWQ checkpoint is 5.73 GB
        Assert.InRange(GiB(ModelCatalog.Llama31_405BFp8.Architecture), 453, 454);
    }

    [Fact]
    public void Data_parallelism_spreads_the_experts_over_its_ranks_with_or_without_expert_parallelism()
    {
        // vLLM's FusedMoEParallelConfig.make: without expert parallelism the expert tensors are sharded over tp × dp
        // devices (flatten_tp_across_dp); with it each device holds a share of the experts. Either way 1/(tp × dp) of
        // them per GPU. Before, DP 8 without EP counted every expert on every GPU: 671 GB of DeepSeek-V3 on one H100.
        var architecture = ModelCatalog.DeepSeekV3.Architecture;
        var all = KvCacheBudget.WeightBytesOf(architecture, Quantization.None);
        var plain = KvCacheBudget.WeightBytesPerGpu(architecture, new VllmEngine { TensorParallelSize = 1, DataParallelSize = 8 });
        var expertParallel = KvCacheBudget.WeightBytesPerGpu(architecture, new VllmEngine { TensorParallelSize = 1, DataParallelSize = 8, EnableExpertParallel = true });

        var experts = all * 653.9 / 671;
        Assert.Equal(all - experts + (experts / 8), expertParallel, 0);
        Assert.Equal(expertParallel, plain, 0);
        Assert.Equal(all, KvCacheBudget.WeightBytesPerGpu(architecture, new VllmEngine { TensorParallelSize = 1 }), 0);
    }

    [Fact]
    public void Mixtral_with_two_data_parallel_ranks_fits_an_H100_as_vLLM_loads_it()
    {
        // Mixtral-8x7B in bf16 (46.7 B parameters, 45.1 B in experts), DP 2 × TP 1: vLLM puts ≈ 45 GiB on each GPU.
        var architecture = ModelCatalog.Mixtral8x7B.Architecture;
        var engine = new VllmEngine { TensorParallelSize = 1, DataParallelSize = 2, MaxModelLen = 8192 };
        var perGpu = KvCacheBudget.WeightBytesPerGpu(architecture, engine) / KvCacheBudget.BytesPerGiB;
        Assert.InRange(perGpu, 40, 50);

        var batching = EngineDefaults.ForVllm(engine, GpuCatalog.H100_80GB, VllmVersion.NewestKnown, 8192, architecture);
        Assert.True(KvCacheBudget.ForVllm(architecture, engine, GpuCatalog.H100_80GB, batching, VllmVersion.NewestKnown).KvBytes > 0);
    }

    [Fact]
    public void The_budget_is_per_GPU_utilised_memory_minus_weights_activations_and_overhead()
    {
        var engine = new VllmEngine { GpuMemoryUtilization = 0.9, TensorParallelSize = 4, MaxNumSeqs = 64, MaxNumBatchedTokens = 8192 };
        var batching = EngineDefaults.ForVllm(engine, GpuCatalog.H100_80GB, VllmVersion.NewestKnown, 16_384, ModelCatalog.Llama31_70B.Architecture);

        var budget = KvCacheBudget.ForVllm(ModelCatalog.Llama31_70B.Architecture, engine, GpuCatalog.H100_80GB, batching, VllmVersion.NewestKnown);

        var usable = 0.9 * GpuCatalog.H100_80GB.MemoryMiB * 1024d * 1024d;
        var activation = (8192.0 * 8192 * 2 * (2 + (10.5 / 4))) + (64.0 * 128_256 * 8);
        var overhead = (0.25 + 0.75) * KvCacheBudget.BytesPerGiB;
        Assert.Equal(usable - (70.55e9 * 2 / 4) - activation - overhead, budget.KvBytes, 0);
        Assert.Equal(4, budget.GpusPerEngine);
    }

    [Fact]
    public void Cuda_graphs_are_charged_from_0_21_and_never_with_enforce_eager()
    {
        var architecture = ModelCatalog.Llama31_8B.Architecture;
        var engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192 };
        var batching = EngineDefaults.ForVllm(engine, GpuCatalog.L4, VllmVersion.NewestKnown, 8192, architecture);

        var charged = KvCacheBudget.ForVllm(architecture, engine, GpuCatalog.L4, batching, new VllmVersion(0, 21, 0));
        var older = KvCacheBudget.ForVllm(architecture, engine, GpuCatalog.L4, batching, new VllmVersion(0, 20, 0));
        var eager = KvCacheBudget.ForVllm(architecture, engine with { EnforceEager = true }, GpuCatalog.L4, batching, new VllmVersion(0, 21, 0));

        Assert.Equal(0.75 * KvCacheBudget.BytesPerGiB, older.KvBytes - charged.KvBytes, 0);
        Assert.Equal(older.KvBytes, eager.KvBytes, 0);
    }

    [Fact]
    public void A_declared_kv_cache_size_replaces_the_utilisation_budget()
    {
        var engine = new VllmEngine { MaxNumSeqs = 32, MaxNumBatchedTokens = 8192, KvCacheMemoryBytes = 2L << 30 };
        var batching = EngineDefaults.ForVllm(engine, GpuCatalog.L4, VllmVersion.NewestKnown, 8192, ModelCatalog.Llama31_8B.Architecture);

        var budget = KvCacheBudget.ForVllm(ModelCatalog.Llama31_8B.Architecture, engine, GpuCatalog.L4, batching, VllmVersion.NewestKnown);

        Assert.True(budget.KvFromDeclaredBytes);
        Assert.Equal(2L << 30, budget.KvBytes, 0);
    }

    [Fact]
    public void Weights_that_do_not_fit_leave_no_capacity()
    {
        var engine = new VllmEngine();
        var batching = EngineDefaults.ForVllm(engine, GpuCatalog.L4, VllmVersion.NewestKnown, null, null);

        var budget = KvCacheBudget.ForVllm(ModelCatalog.Llama31_70B.Architecture, engine, GpuCatalog.L4, batching, VllmVersion.NewestKnown);

        Assert.True(budget.KvBytes < 0);
        Assert.Equal(0, budget.TokenCapacity);
    }

    /// <summary>Llama-4-Scout on 4 x H100 (TP 4) asking for 1,048,576 tokens of context on a given vLLM image.</summary>
    private static InferenceDeployment Scout(string tag, params EnvVar[] env) => Fixtures.Compliant() with
    {
        Name = "scout",
        Model = new ModelSpec { Id = "meta-llama/Llama-4-Scout-17B-16E-Instruct", Revision = Fixtures.Revision },
        Engine = new VllmEngine { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = 1_048_576, TensorParallelSize = 4 },
        Image = new ContainerImage { Repository = "vllm/vllm-openai", Tag = tag, Digest = Fixtures.Digest },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.H100_80GB, Count = 4 },
        Env = env,
    };

    [Fact]
    public void Llama_4_chunked_layers_keep_every_token_from_vLLM_0_10_1_until_the_hybrid_manager_is_allowed_again()
    {
        // vllm-project/vllm#21761 (0.10.1): VllmConfig turns the hybrid KV-cache manager off for chunked local
        // attention unless VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=1 (vllm.envs: False in 0.10.1.1 to
        // 0.12.0, True in 0.16.0), and unify_hybrid_kv_cache_specs turns the chunked specs into full attention.
        // Per GPU at TP 4: 2 KV heads x (128 + 128) x 2 B = 1,024 B per token per layer.
        const long context = 1_048_576;
        var whole = GpuFitEstimate.For(Scout("v0.12.0"))!;
        Assert.Equal(48.0 * 1024 * context, whole.BytesForMaxModelLen, 0); // 48 GiB: all 48 layers keep every token
        Assert.Equal(36, whole.Budget.Layout.UnboundedWindowLayers);
        Assert.False(whole.MaxModelLenFits);

        // Bounded (0.10.0, 0.16.0, or the variable set to 1): 12 full layers keep every token, the 36 chunked ones
        // ⌈min(8,192 + 8,192, L) / 16⌉ blocks: 12.56 GiB, which fits the ~18 GiB left on each GPU.
        var bounded = (12.0 * 1024 * context) + (36.0 * 1024 * (8192 + 8192));
        foreach (var fit in new[] { GpuFitEstimate.For(Scout("v0.10.0"))!, GpuFitEstimate.For(Scout("v0.16.0"))!, GpuFitEstimate.For(Scout("v0.12.0", EnvVar.Literal(KvCacheBudget.ChunkedLocalHybridVariable, "1")))! })
        {
            Assert.Equal(bounded, fit.BytesForMaxModelLen, 0);
            Assert.True(fit.MaxModelLenFits);
        }

        // ... and the variable set to 0 turns the manager off again on a release that has it on.
        Assert.Equal(48.0 * 1024 * context, GpuFitEstimate.For(Scout("v0.16.0", EnvVar.Literal(KvCacheBudget.ChunkedLocalHybridVariable, "0")))!.BytesForMaxModelLen, 0);

        // The gate's verdict follows: vLLM 0.12 refuses to start, and the message says why the layers are not bounded.
        var finding = Assert.Single(Fixtures.Validate(Scout("v0.12.0")).Violations, f => f.Id == "CAC3008");
        Assert.Contains("36 sliding or chunked layers keep every token", finding.Message, StringComparison.Ordinal);
        Assert.Contains(KvCacheBudget.ChunkedLocalHybridVariable + "=1", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Fixtures.Validate(Scout("v0.16.0")).Violations, f => f.Id == "CAC3008");

        // Sliding-window models keep the hybrid manager from 0.10.0 on (the exception is for chunked attention only).
        Assert.True(KvCacheBudget.HybridManagerBoundsWindows(ModelCatalog.Gemma3_27B.Architecture, new VllmVersion(0, 12, 0)));
        Assert.False(KvCacheBudget.HybridManagerBoundsWindows(ModelCatalog.Gemma3_27B.Architecture, new VllmVersion(0, 9, 2)));
    }

    private static void AssertWithin1Percent(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Abs(expected) * 0.01, $"expected {expected} within 1%, got {actual}");
}
