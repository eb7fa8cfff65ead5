namespace ConfigAsCode;

/// <summary>
/// The facts about a transformer that GPU-fit rules need: KV-cache size per token, weight bytes,
/// and the head counts tensor parallelism must divide. Taken from the model's <c>config.json</c>.
/// </summary>
public sealed record ModelArchitecture
{
    /// <summary>Parameter count in billions (for weight bytes).</summary>
    public required double ParametersBillions { get; init; }

    /// <summary><c>num_hidden_layers</c>.</summary>
    public required int Layers { get; init; }

    /// <summary><c>num_attention_heads</c>.</summary>
    public required int AttentionHeads { get; init; }

    /// <summary><c>num_key_value_heads</c> (equal to attention heads without grouped-query attention).</summary>
    public required int KvHeads { get; init; }

    /// <summary>Dimension of one attention head (<c>hidden_size / num_attention_heads</c> unless stated).</summary>
    public required int HeadDim { get; init; }

    /// <summary><c>max_position_embeddings</c>: the longest context the model supports.</summary>
    public required int MaxContextTokens { get; init; }

    /// <summary>The dtype the weights are published in.</summary>
    public WeightDtype Dtype { get; init; } = WeightDtype.BFloat16;

    /// <summary>Where these facts come from (a config.json URL, a paper); shown in reports.</summary>
    public string? Source { get; init; }
}
