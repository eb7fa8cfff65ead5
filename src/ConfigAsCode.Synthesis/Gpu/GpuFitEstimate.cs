using System;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// What one vLLM deployment gets from its GPUs: the per-GPU memory budget, the context length it runs with
/// (including what <c>--max-model-len auto</c> will pick), and how many requests of the expected load its KV cache
/// holds. The GPU-fit rules, the cost model and the reports read this one estimate.
/// </summary>
public sealed record GpuFitEstimate
{
    /// <summary>The vLLM release the figures follow.</summary>
    public required VllmVersion Version { get; init; }

    /// <summary>False when the version is neither declared nor in the image tag, and <see cref="VllmVersion.NewestKnown"/> was assumed.</summary>
    public required bool VersionKnown { get; init; }

    /// <summary>Batching the engine runs with (declared, or the version's default on this GPU).</summary>
    public required VllmBatching Batching { get; init; }

    /// <summary>The busiest GPU's memory.</summary>
    public required KvCacheBudget Budget { get; init; }

    /// <summary>The model's maximum context.</summary>
    public required int ModelContext { get; init; }

    /// <summary>True for <c>--max-model-len auto</c>.</summary>
    public required bool MaxModelLenAuto { get; init; }

    /// <summary>The longest request the KV cache of one engine holds, up to the model's context (vLLM's <c>estimate_max_model_len</c>).</summary>
    public required long LongestFittingRequest { get; init; }

    /// <summary>The context length the engine runs with: the declared one, the model's when unset, or what auto picks.</summary>
    public required int MaxModelLen { get; init; }

    /// <summary>KV bytes one request of <see cref="MaxModelLen"/> tokens may need on the busiest GPU.</summary>
    public required double BytesForMaxModelLen { get; init; }

    /// <summary>The expected load's input + output tokens per request; null without a valid load.</summary>
    public long? RequestTokens { get; init; }

    /// <summary>Requests of <see cref="RequestTokens"/> one engine's KV cache holds at once; null without a valid load.</summary>
    public long? RequestsPerEngine { get; init; }

    /// <summary>True when the weights, activations and overheads leave room for a KV cache (or a declared one fits the GPU).</summary>
    public bool NonKvFits => Budget.KvFromDeclaredBytes ? Budget.NonKvBytes + Budget.KvBytes <= Budget.GpuBytes : Budget.KvBytes > 0;

    /// <summary>True when one request of <see cref="MaxModelLen"/> tokens fits the KV cache, so vLLM starts.</summary>
    public bool MaxModelLenFits => NonKvFits && MaxModelLen >= 1 && BytesForMaxModelLen <= Budget.KvBytes;

    /// <summary>True when a request of the expected load fits the context length; null without a load.</summary>
    public bool? RequestFitsMaxModelLen => RequestTokens is { } tokens ? tokens <= MaxModelLen : null;

    /// <summary>
    /// The estimate for <paramref name="deployment"/>, or null when it is not a vLLM deployment on a known GPU with a
    /// known, valid architecture and valid parallelism and utilisation (the rules report those cases).
    /// </summary>
    public static GpuFitEstimate? For(InferenceDeployment deployment, RuleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Engine is not VllmEngine engine || deployment.Accelerator?.Gpu is not { MemoryMiB: > 0 } gpu || !EngineSettingsValid(engine)
            || deployment.Model?.ResolveArchitecture() is not { } architecture || !ArchitectureValid(architecture))
        {
            return null;
        }

        var declared = VllmVersion.Of(deployment);
        var version = declared ?? VllmVersion.NewestKnown;
        var requested = engine.MaxModelLen is > 0 and var explicitLength ? explicitLength : architecture.MaxContextTokens;
        var batching = EngineDefaults.ForVllm(engine, gpu, version, requested, architecture);
        var budget = KvCacheBudget.ForVllm(architecture, engine, gpu, batching, version, options, ChunkedLocalHybridSetting(deployment));
        var longest = budget.KvBytes > 0 ? budget.Layout.LongestRequestThatFits(budget.KvBytes, batching.MaxNumBatchedTokens, architecture.MaxContextTokens) : 0;
        var maxModelLen = engine.IsMaxModelLenAuto ? (int)longest : requested;
        long? requestTokens = deployment.Load is { InputTokens: > 0, OutputTokens: > 0 } load ? (long)load.InputTokens + load.OutputTokens : null;
        return new GpuFitEstimate
        {
            Version = version,
            VersionKnown = declared is not null,
            Batching = batching,
            Budget = budget,
            ModelContext = architecture.MaxContextTokens,
            MaxModelLenAuto = engine.IsMaxModelLenAuto,
            LongestFittingRequest = longest,
            MaxModelLen = maxModelLen,
            BytesForMaxModelLen = budget.Layout.BytesForRequest(maxModelLen, batching.MaxNumBatchedTokens),
            RequestTokens = requestTokens,
            RequestsPerEngine = requestTokens is { } tokens ? budget.Layout.RequestsThatFit(budget.KvBytes, tokens, batching.MaxNumBatchedTokens) : null,
        };
    }

    /// <summary>
    /// <c>VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE</c> as the deployment sets it: true or false for a literal
    /// whole number (vLLM reads <c>bool(int(value))</c>; the last entry wins, as in Kubernetes), null when it is unset,
    /// a secret or not a number.
    /// </summary>
    public static bool? ChunkedLocalHybridSetting(InferenceDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        bool? setting = null;
        foreach (var variable in deployment.Env ?? [])
        {
            if (variable is not null && string.Equals(variable.Name, KvCacheBudget.ChunkedLocalHybridVariable, StringComparison.Ordinal))
            {
                setting = int.TryParse(variable.Value?.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number != 0 : null;
            }
        }

        return setting;
    }

    /// <summary>Utilisation in (0, 1], parallel sizes at least 1, a positive declared KV size.</summary>
    public static bool EngineSettingsValid(VllmEngine engine) =>
        engine.GpuMemoryUtilization > 0 && engine.GpuMemoryUtilization <= 1 && engine.TensorParallelSize > 0 && engine.PipelineParallelSize > 0
        && engine.DataParallelSize > 0 && engine.KvCacheMemoryBytes is null or > 0;

    /// <summary>Positive, finite facts, and layer groups that add up to the layers (CAC3010 reports the others).</summary>
    public static bool ArchitectureValid(ModelArchitecture a) =>
        a.Layers > 0 && a.AttentionHeads > 0 && a.KvHeads > 0 && a.HeadDim > 0 && a.MaxContextTokens > 0
        && a.ParametersBillions > 0 && !double.IsInfinity(a.ParametersBillions)
        && a.ActiveParametersBillions is null or (> 0 and < double.PositiveInfinity) && a.ExpertParametersBillions is null or (>= 0 and < double.PositiveInfinity)
        && a.CheckpointGiB is null or (> 0 and < double.PositiveInfinity) && a.HiddenSize is null or > 0 && a.VocabSize is null or > 0
        && (a.LayerGroups is null || (a.LayerGroups.All(GroupValid) && a.LayerGroups.Sum(g => (long)g.Layers) == a.Layers));

    private static bool GroupValid(LayerGroup? g) => g is not null && g.Layers > 0 && g.Kind switch
    {
        AttentionKind.SlidingWindow or AttentionKind.ChunkedLocal => g.Window > 0,
        AttentionKind.Mla => g.KvLoraRank > 0 && g.RopeHeadDim >= 0,
        AttentionKind.StateSpace => g.StateBytesPerRequest >= 0,
        _ => true,
    };
}
