namespace ConfigAsCode;

/// <summary>The engine's container image. Production requires a digest (CAC5002); tags such as <c>latest</c> are mutable (CAC5001).</summary>
public sealed record ContainerImage
{
    /// <summary>Registry and repository, for example <c>vllm/vllm-openai</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>The tag, for example <c>v0.6.4</c>.</summary>
    public string? Tag { get; init; }

    /// <summary>The content digest, <c>sha256:</c> followed by 64 hex digits.</summary>
    public string? Digest { get; init; }

    /// <summary>The reference a pod spec uses: <c>repo:tag@digest</c>, with either part omitted when unset.</summary>
    public string Reference =>
        Repository + (string.IsNullOrEmpty(Tag) ? string.Empty : ":" + Tag) + (string.IsNullOrEmpty(Digest) ? string.Empty : "@" + Digest);

    /// <inheritdoc />
    public override string ToString() => Reference;
}
