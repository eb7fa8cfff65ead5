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

    /// <summary>
    /// How long the engine takes from container start until it serves, with the weights already on a local volume,
    /// if measured; otherwise it is estimated from the weight bytes. A download by the engine itself (a per-pod cache)
    /// comes on top.
    /// </summary>
    public TimeSpan? LoadTime { get; init; }

    /// <summary>
    /// Where the weights come from: the Hugging Face Hub (or a mirror), an object store, a pre-populated claim or an
    /// OCI image. Null is the Hub for vLLM and TGI and <see cref="TritonEngine.ModelRepository"/> for Triton.
    /// </summary>
    public ModelSource? Source { get; init; }

    /// <summary>
    /// Where fetched weights are kept between pods: a shared claim, a node-local claim or a per-pod download. Null
    /// picks one for the source (see <see cref="WeightsCache"/>).
    /// </summary>
    public WeightsCache? Cache { get; init; }

    /// <summary>The declared facts, or the catalog's, or null when neither knows the model.</summary>
    public ModelArchitecture? ResolveArchitecture() => Architecture ?? ModelCatalog.Find(Id)?.Architecture;
}
