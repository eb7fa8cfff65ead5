using System;

namespace ConfigAsCode;

/// <summary>The model a deployment serves.</summary>
public sealed record ModelSpec
{
    /// <summary>Hugging Face-style id, for example <c>meta-llama/Llama-3.1-70B-Instruct</c>.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The pinned revision: a 40-hex commit of the model repository. A branch name such as <c>main</c>
    /// or no revision at all means the next download may be a different model.
    /// </summary>
    public string? Revision { get; init; }

    /// <summary>
    /// Architecture facts. When null they are looked up in <see cref="ModelCatalog"/> by <see cref="Id"/>;
    /// for a model the catalog does not know, declare them here or the GPU-fit rules are reported as undecided.
    /// </summary>
    public ModelArchitecture? Architecture { get; init; }

    /// <summary>How long the engine takes to load the weights, if measured; otherwise it is estimated from the weight bytes.</summary>
    public TimeSpan? LoadTime { get; init; }

    /// <summary>The declared facts, or the catalog's, or null when neither knows the model.</summary>
    public ModelArchitecture? ResolveArchitecture() => Architecture ?? ModelCatalog.Find(Id)?.Architecture;
}
