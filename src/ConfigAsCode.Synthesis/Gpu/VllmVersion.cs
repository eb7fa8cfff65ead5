using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// A vLLM release, read from <see cref="VllmEngine.Version"/> or the image tag (<c>v0.11.0</c>,
/// <c>rocm6.4_vllm_0.10.1</c>). Defaults and limits that changed between releases are keyed by these versions.
/// </summary>
public readonly record struct VllmVersion(int Major, int Minor, int Patch) : IComparable<VllmVersion>
{
    /// <summary>0.8.0 made the V1 engine the default; before it the V0 engine ran (its scheduler and memory rules differ).</summary>
    public static readonly VllmVersion V1EngineDefault = new(0, 8, 0);

    /// <summary>0.10.0: the hybrid KV-cache manager bounds sliding-window and chunked layers of mixed models (vllm-project/vllm#11382).</summary>
    public static readonly VllmVersion HybridKvCacheManager = new(0, 10, 0);

    /// <summary>
    /// 0.10.1: models with chunked local attention (Llama 4) run without the hybrid KV-cache manager unless
    /// <c>VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE=1</c> (vllm-project/vllm#21761, a latency regression):
    /// their chunked layers then keep every token, like full attention (<c>unify_hybrid_kv_cache_specs</c>).
    /// </summary>
    public static readonly VllmVersion ChunkedLocalWithoutHybridManager = new(0, 10, 1);

    /// <summary>
    /// 0.16.0: the first release known to default <c>VLLM_ALLOW_CHUNKED_LOCAL_ATTN_WITH_HYBRID_KV_CACHE</c> to 1
    /// (vllm-project/vllm#29627; the <c>vllm.envs</c> API docs show False for 0.10.1.1 to 0.12.0 and True for 0.16.0).
    /// 0.13 to 0.15 are not confirmed and are taken as off, the larger of the two KV estimates.
    /// </summary>
    public static readonly VllmVersion ChunkedLocalWithHybridManager = new(0, 16, 0);

    /// <summary>
    /// 0.11.1: the multiprocessing executor across nodes (<c>--nnodes</c>, <c>--node-rank</c>, <c>--master-addr</c>,
    /// <c>--headless</c>; vllm-project/vllm#23691), which multi-node replicas are rendered with instead of a Ray cluster.
    /// </summary>
    public static readonly VllmVersion MultiNodeMultiprocessing = new(0, 11, 1);

    /// <summary>0.12.0: <c>--max-model-len auto</c> (vllm-project/vllm#29431).</summary>
    public static readonly VllmVersion MaxModelLenAuto = new(0, 12, 0);

    /// <summary>
    /// 0.21.0: CUDA-graph memory is profiled and charged before the KV cache is sized (added off by default in
    /// vllm-project/vllm#30515; <c>gpu_worker.py</c> logs "CUDA graph memory profiling is enabled (default since v0.21.0)").
    /// </summary>
    public static readonly VllmVersion CudaGraphMemoryCharged = new(0, 21, 0);

    /// <summary>0.28.0: GPUs with 160 GiB or more default to 16,384 batched tokens (<c>arg_utils.py</c> <c>get_batch_defaults</c>).</summary>
    public static readonly VllmVersion LargeGpuBatchTier = new(0, 28, 0);

    /// <summary>The newest release whose defaults ConfigAsCode encodes; assumed when the version is unknown.</summary>
    public static readonly VllmVersion NewestKnown = new(0, 28, 0);

    private static readonly Regex LeadingVersion = new(@"^v?(\d+)\.(\d+)(?:\.(\d+))?", RegexOptions.CultureInvariant);
    private static readonly Regex EmbeddedVersion = new(@"vllm[-_]v?(\d+)\.(\d+)(?:\.(\d+))?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>True before 0.8.0, when the V0 engine was the default.</summary>
    public bool IsV0 => this < V1EngineDefault;

    /// <summary>The version in <paramref name="text"/> (<c>0.11.0</c>, <c>v0.10.1.1</c>, <c>v0.11</c>), or null.</summary>
    public static VllmVersion? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = LeadingVersion.Match(text!.Trim());
        if (!match.Success)
        {
            match = EmbeddedVersion.Match(text);
        }

        return match.Success ? From(match) : null;
    }

    /// <summary>The vLLM version a deployment declares or its image tag names; null when neither says.</summary>
    public static VllmVersion? Of(InferenceDeployment deployment) =>
        deployment.Engine is VllmEngine { Version: { } declared } ? Parse(declared) : Parse(deployment.Image?.Tag);

    /// <summary>The version to decide with: the declared or tagged one, else <see cref="NewestKnown"/>.</summary>
    public static VllmVersion Assumed(InferenceDeployment deployment) => Of(deployment) ?? NewestKnown;

    public static bool operator <(VllmVersion left, VllmVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(VllmVersion left, VllmVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(VllmVersion left, VllmVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(VllmVersion left, VllmVersion right) => left.CompareTo(right) >= 0;

    public int CompareTo(VllmVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    private static VllmVersion? From(Match match) =>
        int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
        && int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            ? new VllmVersion(major, minor, match.Groups[3].Success && int.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var patch) ? patch : 0)
            : null;
}
