using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// The facts about a transformer that GPU-fit rules need: KV-cache size per token, weight bytes,
/// and the head counts tensor parallelism must divide. Taken from the model's <c>config.json</c>
/// (<c>FromConfigJson</c> reads one on .NET 8 and later).
/// The common case is one line: parameters, layers, heads, KV heads, head dim and context. The optional
/// members describe models that are not plain full-attention transformers (MoE, MLA, sliding windows,
/// state-space layers, quantized checkpoints).
/// </summary>
public sealed partial record ModelArchitecture
{
    /// <summary>Parameter count in billions (all of them, including every expert of a mixture of experts).</summary>
    public required double ParametersBillions { get; init; }

    /// <summary><c>num_hidden_layers</c>.</summary>
    public required int Layers { get; init; }

    /// <summary><c>num_attention_heads</c>.</summary>
    public required int AttentionHeads { get; init; }

    /// <summary><c>num_key_value_heads</c> (equal to attention heads without grouped-query attention).</summary>
    public required int KvHeads { get; init; }

    /// <summary>Dimension of one attention head (<c>head_dim</c>, else <c>hidden_size / num_attention_heads</c>).</summary>
    public required int HeadDim { get; init; }

    /// <summary><c>max_position_embeddings</c>: the longest context the model supports.</summary>
    public required int MaxContextTokens { get; init; }

    /// <summary>The format the weights are published in (bf16, fp8, int4 AWQ/GPTQ, MXFP4, NVFP4...).</summary>
    public WeightDtype Dtype { get; init; } = WeightDtype.BFloat16;

    /// <summary>Where these facts come from (a config.json URL, a paper); shown in reports.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Mixture of experts: parameters one token passes through, in billions (Mixtral 12.9 of 46.7). Decode reads
    /// these weights per step and prefill costs about twice these in FLOPs per token. Null for dense models.
    /// </summary>
    public double? ActiveParametersBillions { get; init; }

    /// <summary>
    /// Mixture of experts: parameters held in routed experts, in billions. Under data parallelism vLLM spreads these
    /// over the data-parallel ranks too (by expert with expert parallelism, by slice of every expert without it); the
    /// other weights are copied to each. Null when unknown or dense.
    /// </summary>
    public double? ExpertParametersBillions { get; init; }

    /// <summary>
    /// How the layers keep per-request state, in groups that add up to <see cref="Layers"/>. Null means every
    /// layer is full attention over <see cref="KvHeads"/> x <see cref="HeadDim"/>.
    /// </summary>
    public IReadOnlyList<LayerGroup>? LayerGroups { get; init; }

    /// <summary><c>hidden_size</c>; sizes activations. Null estimates it as attention heads x head dim.</summary>
    public int? HiddenSize { get; init; }

    /// <summary><c>vocab_size</c>; sizes the logits and the 16-bit embeddings of quantized checkpoints.</summary>
    public int? VocabSize { get; init; }

    /// <summary>
    /// The size of the weights as published, in GiB, when it is known (gpt-oss-120b: 60.8). It replaces the
    /// estimate from parameters x format, which cannot see formats that mix precisions.
    /// </summary>
    public double? CheckpointGiB { get; init; }

    /// <summary>
    /// The KV-cache dtype vLLM picks for <c>--kv-cache-dtype auto</c> when it is not the model's 16-bit dtype
    /// (DeepSeek-V3.2 defaults to fp8). Null means the activation dtype.
    /// </summary>
    public KvCacheDtype? DefaultKvCacheDtype { get; init; }

    /// <summary>Active parameters per token: <see cref="ActiveParametersBillions"/> for a mixture of experts, else all of them.</summary>
    public double ActiveParameters => ActiveParametersBillions ?? ParametersBillions;

    /// <summary>The layer groups, or one full-attention group of every layer.</summary>
    public IReadOnlyList<LayerGroup> EffectiveLayerGroups => LayerGroups ?? [LayerGroup.Full(Layers)];
}
