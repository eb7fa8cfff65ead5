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
            ParametersBillions = 8.03, Layers = 32, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072,
            Source = "meta-llama/llama-models models/llama3_1/api/sku_list.py; huggingface.co/meta-llama/Llama-3.1-8B-Instruct config.json",
        });

    public static CatalogModel Llama31_70B { get; } = new(
        "Llama-3.1-70B",
        ["meta-llama/Llama-3.1-70B", "meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Meta-Llama-3.1-70B", "meta-llama/Meta-Llama-3.1-70B-Instruct"],
        new ModelArchitecture
        {
            ParametersBillions = 70.55, Layers = 80, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072,
            Source = "meta-llama/llama-models models/llama3_1/api/sku_list.py; huggingface.co/meta-llama/Llama-3.1-70B-Instruct config.json",
        });

    public static CatalogModel Llama33_70B { get; } = new(
        "Llama-3.3-70B",
        ["meta-llama/Llama-3.3-70B-Instruct"],
        new ModelArchitecture
        {
            ParametersBillions = 70.55, Layers = 80, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 131_072,
            Source = "huggingface.co/meta-llama/Llama-3.3-70B-Instruct config.json (same architecture as Llama-3.1-70B)",
        });

    public static CatalogModel Mistral7BInstruct { get; } = new(
        "Mistral-7B-Instruct",
        ["mistralai/Mistral-7B-Instruct-v0.3", "mistralai/Mistral-7B-v0.3"],
        new ModelArchitecture
        {
            ParametersBillions = 7.25, Layers = 32, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 32_768,
            Source = "huggingface.co/mistralai/Mistral-7B-Instruct-v0.3 config.json",
        });

    public static CatalogModel Mixtral8x7B { get; } = new(
        "Mixtral-8x7B",
        ["mistralai/Mixtral-8x7B-Instruct-v0.1", "mistralai/Mixtral-8x7B-v0.1"],
        new ModelArchitecture
        {
            // All 46.7 B parameters are resident even though ~12.9 B are active per token.
            ParametersBillions = 46.7, Layers = 32, AttentionHeads = 32, KvHeads = 8, HeadDim = 128, MaxContextTokens = 32_768,
            Source = "huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1 config.json; Mixtral of Experts (arXiv:2401.04088)",
        });

    public static CatalogModel Qwen25_7B { get; } = new(
        "Qwen2.5-7B",
        ["Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B"],
        new ModelArchitecture
        {
            // config.json ships 32,768; 131,072 needs YaRN rope scaling, which the user must declare.
            ParametersBillions = 7.61, Layers = 28, AttentionHeads = 28, KvHeads = 4, HeadDim = 128, MaxContextTokens = 32_768,
            Source = "huggingface.co/Qwen/Qwen2.5-7B-Instruct config.json",
        });

    public static CatalogModel Qwen25_72B { get; } = new(
        "Qwen2.5-72B",
        ["Qwen/Qwen2.5-72B-Instruct", "Qwen/Qwen2.5-72B"],
        new ModelArchitecture
        {
            ParametersBillions = 72.7, Layers = 80, AttentionHeads = 64, KvHeads = 8, HeadDim = 128, MaxContextTokens = 32_768,
            Source = "huggingface.co/Qwen/Qwen2.5-72B-Instruct config.json",
        });

    /// <summary>Every catalog entry, in a fixed order.</summary>
    public static IReadOnlyList<CatalogModel> All { get; } =
        [Llama31_8B, Llama31_70B, Llama33_70B, Mistral7BInstruct, Mixtral8x7B, Qwen25_7B, Qwen25_72B];

    /// <summary>The entry publishing <paramref name="id"/>, or null.</summary>
    public static CatalogModel? Find(string? id) =>
        id is null ? null : All.FirstOrDefault(m => m.Ids.Any(known => string.Equals(known, id, StringComparison.OrdinalIgnoreCase)));
}
