namespace ConfigAsCode;

/// <summary>How the layers of a <see cref="LayerGroup"/> keep state for a request, as vLLM's V1 engine allocates it.</summary>
public enum AttentionKind
{
    /// <summary>Full attention: K and V of every token of the request (vLLM <c>FullAttentionSpec</c>).</summary>
    Full,

    /// <summary>Sliding-window attention: the last <see cref="LayerGroup.Window"/> tokens plus one step's new tokens (vLLM <c>SlidingWindowSpec</c>).</summary>
    SlidingWindow,

    /// <summary>Chunked local attention (Llama 4): the current chunk of <see cref="LayerGroup.Window"/> tokens plus one step's new tokens (vLLM <c>ChunkedLocalAttentionSpec</c>).</summary>
    ChunkedLocal,

    /// <summary>Multi-head latent attention (DeepSeek-V2/V3/R1, Kimi K2): one compressed latent per token, replicated on every tensor-parallel rank (vLLM <c>MLAAttentionSpec</c>).</summary>
    Mla,

    /// <summary>State-space or linear-attention layers (Mamba, gated delta net): a constant state per request, whatever its length (vLLM <c>MambaSpec</c>).</summary>
    StateSpace,
}

/// <summary>
/// A run of layers that share one attention kind. A model's layers are the sum of its groups:
/// <c>LayerGroups = [LayerGroup.Sliding(52, window: 1024), LayerGroup.Full(10)]</c> for Gemma-3-27B.
/// Models without groups are all full attention, which is the common case and needs none of this.
/// </summary>
public sealed record LayerGroup
{
    /// <summary>Layers in the group.</summary>
    public required int Layers { get; init; }

    /// <summary>How the layers keep state.</summary>
    public required AttentionKind Kind { get; init; }

    /// <summary>The sliding window or the local-attention chunk, in tokens (sliding and chunked groups).</summary>
    public int Window { get; init; }

    /// <summary>MLA: <c>kv_lora_rank</c>, the width of the compressed latent (512 for DeepSeek-V3).</summary>
    public int KvLoraRank { get; init; }

    /// <summary>MLA: <c>qk_rope_head_dim</c>, the rotary part stored beside the latent (64 for DeepSeek-V3).</summary>
    public int RopeHeadDim { get; init; }

    /// <summary>
    /// State-space layers: bytes of state one request keeps in one layer before tensor parallelism splits it
    /// (convolution state plus recurrent state, at the dtype the engine keeps them in).
    /// </summary>
    public long StateBytesPerRequest { get; init; }

    /// <summary><paramref name="layers"/> full-attention layers.</summary>
    public static LayerGroup Full(int layers) => new() { Layers = layers, Kind = AttentionKind.Full };

    /// <summary><paramref name="layers"/> sliding-window layers attending to the last <paramref name="window"/> tokens.</summary>
    public static LayerGroup Sliding(int layers, int window) => new() { Layers = layers, Kind = AttentionKind.SlidingWindow, Window = window };

    /// <summary><paramref name="layers"/> chunked local-attention layers with chunks of <paramref name="chunkSize"/> tokens.</summary>
    public static LayerGroup Chunked(int layers, int chunkSize) => new() { Layers = layers, Kind = AttentionKind.ChunkedLocal, Window = chunkSize };

    /// <summary><paramref name="layers"/> MLA layers storing a latent of <paramref name="kvLoraRank"/> plus <paramref name="ropeHeadDim"/> per token.</summary>
    public static LayerGroup Mla(int layers, int kvLoraRank, int ropeHeadDim) => new() { Layers = layers, Kind = AttentionKind.Mla, KvLoraRank = kvLoraRank, RopeHeadDim = ropeHeadDim };

    /// <summary><paramref name="layers"/> state-space layers keeping <paramref name="stateBytesPerRequest"/> bytes per request each.</summary>
    public static LayerGroup StateSpace(int layers, long stateBytesPerRequest) => new() { Layers = layers, Kind = AttentionKind.StateSpace, StateBytesPerRequest = stateBytesPerRequest };
}
