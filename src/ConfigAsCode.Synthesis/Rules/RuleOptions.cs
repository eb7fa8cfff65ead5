using System;
using System.Collections.Generic;

namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// Rule thresholds and severity overrides. At edit time they come from <c>.editorconfig</c>
/// (<c>configascode.max_gpu_memory_utilization</c>, <c>dotnet_diagnostic.CACnnnn.severity</c>); at build time from
/// the same files, which the MSBuild task passes to the host, and from <c>ConfigAsCodeRuleSeverities</c>. An
/// <c>.editorconfig</c> section applies to the source files it matches, so a deployment is checked with the options of
/// the file that declares it (<see cref="For"/>).
/// </summary>
public sealed record RuleOptions
{
    /// <summary>The defaults documented on each rule page.</summary>
    public static RuleOptions Default { get; } = new();

    /// <summary>CAC3002 fires at or above this gpu-memory-utilization (<c>configascode.max_gpu_memory_utilization</c>).</summary>
    public double MaxGpuMemoryUtilization { get; init; } = 0.95;

    /// <summary>CAC3009 fires when max-num-seqs exceeds the KV-bounded concurrency by this factor (<c>configascode.concurrency_kv_factor</c>).</summary>
    public double ConcurrencyKvFactor { get; init; } = 2.0;

    /// <summary>CAC1016 fires when one step moves more than this many percentage points of traffic (<c>configascode.max_weight_step</c>).</summary>
    public int MaxWeightStep { get; init; } = RuleFacts.MaxWeightStep;

    /// <summary>
    /// Memory outside PyTorch's allocator per GPU (CUDA context growth, NCCL and cuBLAS workspaces) that vLLM's profile
    /// charges before the KV cache, in GiB. An estimate: vLLM logs report 0.05-0.2 GiB on one GPU, more with NCCL.
    /// </summary>
    public double NonTorchGiBPerGpu { get; init; } = 0.25;

    /// <summary>
    /// CUDA-graph memory per GPU, in GiB, charged to the KV budget from vLLM 0.21 unless enforce-eager is set. An
    /// estimate: vLLM's "Graph capturing finished ... took" lines report 0.1-1.1 GiB.
    /// </summary>
    public double CudaGraphGiBPerGpu { get; init; } = 0.75;

    /// <summary>Weight loading throughput used to estimate load time when the model declares none, in GiB/s.</summary>
    public double ModelLoadGiBPerSecond { get; init; } = 1.0;

    /// <summary>
    /// Download throughput from the Hugging Face Hub, a mirror or an object store, in GiB/s, used to estimate how long
    /// a pod fetches the weights (CAC1027, the rollout's progress deadline). 0.2 GiB/s is ~1.7 Gbit/s, what one
    /// unaccelerated Hub download reaches on a cloud VM; a mirror in the same VPC is faster.
    /// </summary>
    public double ModelDownloadGiBPerSecond { get; init; } = 0.2;

    /// <summary>Fixed engine start-up time added to the load estimate.</summary>
    public TimeSpan EngineStartOverhead { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tags treated as mutable by CAC5001 (compared without regard to case).</summary>
    public IReadOnlyList<string> MutableTags { get; init; } = RuleFacts.MutableTags;

    /// <summary>
    /// The day the build judges suppression expiry against (<c>RuleSuppression.Expires</c>, CAC9016) and measures
    /// their age from; null checks no expiry. The build passes it explicitly (<c>ConfigAsCodeToday</c>, the UTC date by
    /// default), so a run can be reproduced on another day.
    /// </summary>
    public System.DateTime? Today { get; init; }

    /// <summary>Per-rule severities; <see cref="RuleSeverity.None"/> disables a rule.</summary>
    public IReadOnlyDictionary<string, RuleSeverity> SeverityOverrides { get; init; } = new Dictionary<string, RuleSeverity>(StringComparer.Ordinal);

    /// <summary>
    /// The options for a declaration in a source file (its <c>.editorconfig</c> sections), or null for these; unset
    /// for options that do not depend on the file.
    /// </summary>
    public Func<string, RuleOptions?>? ForSourceFile { get; init; }

    /// <summary>The options for what is declared at <paramref name="location"/>: its file's, else these.</summary>
    public RuleOptions For(SourceLocation? location) =>
        ForSourceFile is not null && location is { IsKnown: true } && ForSourceFile(location.FilePath) is { } local ? local : this;

    /// <summary>The effective severity of <paramref name="rule"/>.</summary>
    /// <remarks>A rule that refuses suppression is never below its default, whatever the overrides say.</remarks>
    public RuleSeverity SeverityOf(RuleDescriptor rule) =>
        !SeverityOverrides.TryGetValue(rule.Id, out var overridden) ? rule.DefaultSeverity
        : rule.RefusesSuppression && overridden < rule.DefaultSeverity ? rule.DefaultSeverity
        : overridden;
}
