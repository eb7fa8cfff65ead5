using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode;

/// <summary>A model known to the built-in catalog, with the ids it is published under.</summary>
public sealed record CatalogModel(string Name, IReadOnlyList<string> Ids, ModelArchitecture Architecture);

/// <summary>
/// Architecture facts for common open models, each with its source. Ids are matched without regard to case,
/// and the base and instruct variants share one entry because they share an architecture.
/// </summary>
public static class ModelCatalog
{
    public static CatalogModel Llama31_8B { get; } = new(
        "Llama-3.1-8B",
        ["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Meta-Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B-Instruct"],
        new ModelArchitecture
        {
            ParametersBillions = 8.03, Layers = 32, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 4096, VocabSize = 128_256,
            Source = "meta-llama/llama-models models/llama3_1/api/sku_list.py; huggingface.co/meta-llama/Llama-3.1-8B-Instruct config.json",
        });

    public static CatalogModel Llama31_70B { get; } = new(
        "Llama-3.1-70B",
        ["meta-llama/Llama-3.1-70B", "meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Meta-Llama-3.1-70B", "meta-llama/Meta-Llama-3.1-70B-Instruct"],
        new ModelArchitecture
        {
            ParametersBillions = 70.55, Layers = 80, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 8192, VocabSize = 128_256,
            Source = "meta-llama/llama-models models/llama3_1/api/sku_list.py; huggingface.co/meta-llama/Llama-3.1-70B-Instruct config.json",
        });

    public static CatalogModel Llama33_70B { get; } = new(
        "Llama-3.3-70B",
        ["meta-llama/Llama-3.3-70B-Instruct"],
        new ModelArchitecture
        {
            ParametersBillions = 70.55, Layers = 80, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 8192, VocabSize = 128_256,
            Source = "huggingface.co/meta-llama/Llama-3.3-70B-Instruct config.json (same architecture as Llama-3.1-70B)",
        });

    public static CatalogModel Mistral7BInstruct { get; } = new(
        "Mistral-7B-Instruct",
        ["mistralai/Mistral-7B-Instruct-v0.3", "mistralai/Mistral-7B-v0.3"],
        new ModelArchitecture
        {
            ParametersBillions = 7.25, Layers = 32, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 32_768, HiddenSize = 4096, VocabSize = 32_768,
            Source = "huggingface.co/mistralai/Mistral-7B-Instruct-v0.3 config.json",
        });

    public static CatalogModel Mixtral8x7B { get; } = new(
        "Mixtral-8x7B",
        ["mistralai/Mixtral-8x7B-Instruct-v0.1", "mistralai/Mixtral-8x7B-v0.1"],
        new ModelArchitecture
        {
            // All 46.7 B parameters are resident even though ~12.9 B are active per token (2 of 8 experts):
            // 32 layers x 8 experts x 3 x 4096 x 14336 = 45.1 B in experts.
            ParametersBillions = 46.7, Layers = 32, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 32_768, HiddenSize = 4096, VocabSize = 32_000,
            ActiveParametersBillions = 12.9, ExpertParametersBillions = 45.1,
            Source = "huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1 config.json; Mixtral of Experts (arXiv:2401.04088)",
        });

    public static CatalogModel Qwen25_7B { get; } = new(
        "Qwen2.5-7B",
        ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B"],
        new ModelArchitecture
        {
            // config.json ships 32,768; 131,072 needs YaRN rope scaling, which the user must declare.
            ParametersBillions = 7.61, Layers = 28, AttentionHeads = 28, KvHeads = 4, HeadDim = 128, MaxContextTokens = 32_768, HiddenSize = 3584, VocabSize = 152_064,
            Source = "huggingface.co/Qwen/Qwen2.5-7B-Instruct config.json",
        });

    public static CatalogModel Qwen25_72B { get; } = new(
        "Qwen2.5-72B",
        ["Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-72B"],
        new ModelArchitecture
        {
            ParametersBillions = 72.7, Layers = 80, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 32_768, HiddenSize = 8192, VocabSize = 152_064,
            Source = "huggingface.co/Qwen/Qwen2.5-72B-Instruct config.json",
        });

    private static readonly ModelArchitecture Llama31_405BArchitecture = new()
    {
        ParametersBillions = 405.9, Layers = 126, AttentionHeads = 128, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 16_384, VocabSize = 128_256,
        Source = "meta-llama/llama-models models/sku_list.py; huggingface.co/meta-llama/Llama-3.1-405B-Instruct config.json",
    };

    public static CatalogModel Llama31_405B { get; } = new(
        "Llama-3.1-405B",
        ["meta-llama/Llama-3.1-405B-Instruct", "meta-llama/Llama-3.1-405B", "meta-llama/Meta-Llama-3.1-405B-Instruct", "meta-llama/Meta-Llama-3.1-405B"],
        Llama31_405BArchitecture);

    public static CatalogModel Llama31_405BFp8 { get; } = new(
        "Llama-3.1-405B-FP8",
        ["meta-llama/Llama-3.1-405B-Instruct-FP8", "meta-llama/Meta-Llama-3.1-405B-Instruct-FP8"],
        Llama31_405BArchitecture with
        {
            // Meta quantizes the feed-forward layers of layers 1-124 to fp8 and keeps attention, the first and last
            // layers, the embeddings and the head in bf16 (The Llama 3 Herd of Models, arXiv:2407.21783, §6.2):
            // 124 x 2.617 B in fp8 + 81.3 B in bf16 = 487.1 GB = 453.6 GiB.
            Dtype = WeightDtype.Fp8,
            CheckpointGiB = 453.6,
            Source = "huggingface.co/meta-llama/Llama-3.1-405B-Instruct-FP8 config.json (fbgemm_fp8); size derived from arXiv:2407.21783 §6.2",
        });

    private static readonly ModelArchitecture Llama4Attention = new()
    {
        // 48 layers: every fourth is global (NoPE) attention, the other 36 use 8,192-token chunked local attention.
        ParametersBillions = 109, Layers = 48, AttentionHeads = 40, KvHeads = 8, HeadDim = 128, MaxContextTokens = 10_485_760, HiddenSize = 5120, VocabSize = 202_048,
        LayerGroups = [LayerGroup.Chunked(36, 8192), LayerGroup.Full(12)],
    };

    public static CatalogModel Llama4Scout { get; } = new(
        "Llama-4-Scout-17B-16E",
        ["meta-llama/Llama-4-Scout-17B-16E-Instruct", "meta-llama/Llama-4-Scout-17B-16E"],
        Llama4Attention with
        {
            // 48 MoE layers x 16 experts x 3 x 5120 x 8192 = 96.6 B in routed experts, one active per token plus a shared expert.
            ActiveParametersBillions = 17, ExpertParametersBillions = 96.6,
            Source = "huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct config.json (text_config: attention_chunk_size 8192, no_rope_layers)",
        });

    private static readonly ModelArchitecture Llama4MaverickArchitecture = Llama4Attention with
    {
        // MoE on every second layer: 24 x 128 experts x 3 x 5120 x 8192 = 386.5 B in routed experts.
        ParametersBillions = 400, MaxContextTokens = 1_048_576, ActiveParametersBillions = 17, ExpertParametersBillions = 386.5,
        Source = "huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct config.json (text_config: interleave_moe_layer_step 2)",
    };

    public static CatalogModel Llama4Maverick { get; } = new(
        "Llama-4-Maverick-17B-128E",
        ["meta-llama/Llama-4-Maverick-17B-128E-Instruct", "meta-llama/Llama-4-Maverick-17B-128E"],
        Llama4MaverickArchitecture);

    public static CatalogModel Llama4MaverickFp8 { get; } = new(
        "Llama-4-Maverick-17B-128E-FP8",
        ["meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8"],
        Llama4MaverickArchitecture with { Dtype = WeightDtype.Fp8, Source = "huggingface.co/meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8 config.json" });

    public static CatalogModel DeepSeekV3 { get; } = new(
        "DeepSeek-V3",
        ["deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3-Base", "deepseek-ai/DeepSeek-V3-0324", "deepseek-ai/DeepSeek-R1", "deepseek-ai/DeepSeek-R1-0528", "deepseek-ai/DeepSeek-V3.1"],
        new ModelArchitecture
        {
            // MLA: one 512 + 64 latent per token per layer, replicated on every tensor-parallel rank. Head dim is
            // qk_nope_head_dim + qk_rope_head_dim. 58 MoE layers x 256 experts x 3 x 7168 x 2048 = 653.9 B in experts.
            ParametersBillions = 671, Layers = 61, AttentionHeads = 128, KvHeads = 128, HeadDim = 192, MaxContextTokens = 163_840, HiddenSize = 7168, VocabSize = 129_280,
            Dtype = WeightDtype.Fp8, LayerGroups = [LayerGroup.Mla(61, kvLoraRank: 512, ropeHeadDim: 64)],
            ActiveParametersBillions = 37, ExpertParametersBillions = 653.9,
            Source = "huggingface.co/deepseek-ai/DeepSeek-V3 config.json (kv_lora_rank 512, qk_rope_head_dim 64, fp8 block quantization)",
        });

    public static CatalogModel DeepSeekR1DistillQwen32B { get; } = new(
        "DeepSeek-R1-Distill-Qwen-32B",
        ["deepseek-ai/DeepSeek-R1-Distill-Qwen-32B"],
        new ModelArchitecture
        {
            ParametersBillions = 32.5, Layers = 64, AttentionHeads = 40, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 5120, VocabSize = 152_064,
            Source = "huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Qwen-32B config.json (Qwen2.5-32B architecture)",
        });

    private static readonly ModelArchitecture Qwen3_8BArchitecture = new()
    {
        ParametersBillions = 8.2, Layers = 36, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 40_960, HiddenSize = 4096, VocabSize = 151_936,
        Source = "huggingface.co/Qwen/Qwen3-8B config.json",
    };

    public static CatalogModel Qwen3_8B { get; } = new("Qwen3-8B", ["Qwen/Qwen3-8B", "Qwen/Qwen3-8B-Base"], Qwen3_8BArchitecture);

    public static CatalogModel Qwen3_8BFp8 { get; } = new("Qwen3-8B-FP8", ["Qwen/Qwen3-8B-FP8"], Qwen3_8BArchitecture with { Dtype = WeightDtype.Fp8, Source = "huggingface.co/Qwen/Qwen3-8B-FP8 config.json" });

    private static readonly ModelArchitecture Qwen3_32BArchitecture = new()
    {
        // hidden_size 5120 is not heads x head_dim (64 x 128).
        ParametersBillions = 32.8, Layers = 64, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 40_960, HiddenSize = 5120, VocabSize = 151_936,
        Source = "huggingface.co/Qwen/Qwen3-32B config.json",
    };

    public static CatalogModel Qwen3_32B { get; } = new("Qwen3-32B", ["Qwen/Qwen3-32B"], Qwen3_32BArchitecture);

    public static CatalogModel Qwen3_32BFp8 { get; } = new("Qwen3-32B-FP8", ["Qwen/Qwen3-32B-FP8"], Qwen3_32BArchitecture with { Dtype = WeightDtype.Fp8, Source = "huggingface.co/Qwen/Qwen3-32B-FP8 config.json" });

    private static readonly ModelArchitecture Qwen3_30BA3BArchitecture = new()
    {
        // 48 layers x 128 experts x 3 x 2048 x 768 = 29.0 B in experts, 8 active per token.
        ParametersBillions = 30.5, Layers = 48, AttentionHeads = 32, KvHeads = 4, HeadDim = 128, MaxContextTokens = 40_960, HiddenSize = 2048, VocabSize = 151_936,
        ActiveParametersBillions = 3.3, ExpertParametersBillions = 29.0,
        Source = "huggingface.co/Qwen/Qwen3-30B-A3B config.json",
    };

    public static CatalogModel Qwen3_30BA3B { get; } = new("Qwen3-30B-A3B", ["Qwen/Qwen3-30B-A3B", "Qwen/Qwen3-30B-A3B-Base"], Qwen3_30BA3BArchitecture);

    public static CatalogModel Qwen3_30BA3BFp8 { get; } = new("Qwen3-30B-A3B-FP8", ["Qwen/Qwen3-30B-A3B-FP8"], Qwen3_30BA3BArchitecture with { Dtype = WeightDtype.Fp8, Source = "huggingface.co/Qwen/Qwen3-30B-A3B-FP8 config.json" });

    private static readonly ModelArchitecture Qwen3_235BA22BArchitecture = new()
    {
        // 4 KV heads: at tensor parallel 8 every rank holds one head, replicated twice (vLLM QKVParallelLinear).
        // 94 layers x 128 experts x 3 x 4096 x 1536 = 227.1 B in experts, 8 active per token.
        ParametersBillions = 235, Layers = 94, AttentionHeads = 64, KvHeads = 4, HeadDim = 128, MaxContextTokens = 40_960, HiddenSize = 4096, VocabSize = 151_936,
        ActiveParametersBillions = 22, ExpertParametersBillions = 227.1,
        Source = "huggingface.co/Qwen/Qwen3-235B-A22B config.json",
    };

    public static CatalogModel Qwen3_235BA22B { get; } = new("Qwen3-235B-A22B", ["Qwen/Qwen3-235B-A22B"], Qwen3_235BA22BArchitecture);

    public static CatalogModel Qwen3_235BA22BFp8 { get; } = new("Qwen3-235B-A22B-FP8", ["Qwen/Qwen3-235B-A22B-FP8"], Qwen3_235BA22BArchitecture with { Dtype = WeightDtype.Fp8, Source = "huggingface.co/Qwen/Qwen3-235B-A22B-FP8 config.json" });

    public static CatalogModel Gemma3_27B { get; } = new(
        "Gemma-3-27B",
        ["google/gemma-3-27b-it", "google/gemma-3-27b-pt"],
        new ModelArchitecture
        {
            // Five 1,024-token sliding-window layers to one global layer: 52 + 10. hidden_size 5376 is not 32 x 128.
            ParametersBillions = 27.4, Layers = 62, AttentionHeads = 32, KvHeads = 16, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 5376, VocabSize = 262_208,
            LayerGroups = [LayerGroup.Sliding(52, 1024), LayerGroup.Full(10)],
            Source = "huggingface.co/google/gemma-3-27b-it config.json (text_config: sliding_window 1024, sliding_window_pattern 6)",
        });

    public static CatalogModel GptOss120B { get; } = new(
        "gpt-oss-120b",
        ["openai/gpt-oss-120b"],
        new ModelArchitecture
        {
            // Alternating 128-token sliding and full attention. MXFP4 experts with bf16 attention: the 60.8 GiB
            // checkpoint fits one 80 GB GPU. 36 layers x 128 experts x 3 x 2880 x 2880 = 114.7 B in experts, 4 active.
            ParametersBillions = 116.8, Layers = 36, AttentionHeads = 64, KvHeads = 8, HeadDim = 64, MaxContextTokens = 131_072, HiddenSize = 2880, VocabSize = 201_088,
            Dtype = WeightDtype.Mxfp4, CheckpointGiB = 60.8, LayerGroups = [LayerGroup.Sliding(18, 128), LayerGroup.Full(18)],
            ActiveParametersBillions = 5.1, ExpertParametersBillions = 114.7,
            Source = "huggingface.co/openai/gpt-oss-120b config.json and model card",
        });

    public static CatalogModel GptOss20B { get; } = new(
        "gpt-oss-20b",
        ["openai/gpt-oss-20b"],
        new ModelArchitecture
        {
            // 24 layers x 32 experts x 3 x 2880 x 2880 = 19.1 B in experts, 4 active.
            ParametersBillions = 20.9, Layers = 24, AttentionHeads = 64, KvHeads = 8, HeadDim = 64, MaxContextTokens = 131_072, HiddenSize = 2880, VocabSize = 201_088,
            Dtype = WeightDtype.Mxfp4, CheckpointGiB = 12.8, LayerGroups = [LayerGroup.Sliding(12, 128), LayerGroup.Full(12)],
            ActiveParametersBillions = 3.6, ExpertParametersBillions = 19.1,
            Source = "huggingface.co/openai/gpt-oss-20b config.json and model card",
        });

    public static CatalogModel MistralSmall31 { get; } = new(
        "Mistral-Small-3.1-24B",
        ["mistralai/Mistral-Small-3.1-24B-Instruct-2503", "mistralai/Mistral-Small-3.1-24B-Base-2503"],
        new ModelArchitecture
        {
            // head_dim 128 is declared: hidden_size / heads would give 160.
            ParametersBillions = 24.0, Layers = 40, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072, HiddenSize = 5120, VocabSize = 131_072,
            Source = "huggingface.co/mistralai/Mistral-Small-3.1-24B-Instruct-2503 config.json (text_config)",
        });

    /// <summary>Every catalog entry, in a fixed order.</summary>
    public static IReadOnlyList<CatalogModel> All { get; } =
    [
        Llama31_8B, Llama31_70B, Llama33_70B, Mistral7BInstruct, Mixtral8x7B, Qwen25_7B, Qwen25_72B,
        Llama31_405B, Llama31_405BFp8, Llama4Scout, Llama4Maverick, Llama4MaverickFp8, DeepSeekV3, DeepSeekR1DistillQwen32B,
        Qwen3_8B, Qwen3_8BFp8, Qwen3_32B, Qwen3_32BFp8, Qwen3_30BA3B, Qwen3_30BA3BFp8, Qwen3_235BA22B, Qwen3_235BA22BFp8,
        Gemma3_27B, GptOss120B, GptOss20B, MistralSmall31,
    ];

    /// <summary>The entry publishing <paramref name="id"/>, or null.</summary>
    public static CatalogModel? Find(string? id) =>
        id is null ? null : All.FirstOrDefault(m => m.Ids.Any(known => string.Equals(known, id, StringComparison.OrdinalIgnoreCase)));
}
