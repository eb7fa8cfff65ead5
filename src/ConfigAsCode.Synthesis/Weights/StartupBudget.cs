using System;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Weights;

/// <summary>
/// How long a pod takes to serve, split where Kubernetes times it: the init container's fetch (timed only by the
/// rollout's progress deadline) and the engine container's start (timed by the startup probe). A per-pod download by
/// the engine itself falls in the second part; a fetch into a shared or node-local cache in the first, and only the
/// first pod after a new revision pays it in full.
/// </summary>
/// <param name="Fetch">The init container's download; zero when nothing is fetched before the engine starts; null when the checkpoint size is unknown.</param>
/// <param name="EngineStart">Container start to serving (download by the engine, if any, plus load); null when unknown.</param>
/// <param name="Download">The whole download, wherever it happens; zero when nothing is downloaded; null when unknown.</param>
/// <param name="Load">The load alone (declared <c>Model.LoadTime</c>, or estimated from the checkpoint), without any download; null when unknown.</param>
public sealed record StartupBudget(TimeSpan? Fetch, TimeSpan? EngineStart, TimeSpan? Download, TimeSpan? Load)
{
    /// <summary>The smallest progress deadline rendered, as before this budget existed.</summary>
    public const int MinimumProgressDeadlineSeconds = 600;

    /// <summary>The budget of <paramref name="d"/> under <paramref name="options"/> (the defaults when null).</summary>
    public static StartupBudget For(InferenceDeployment d, RuleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        options ??= RuleOptions.Default;
        var plan = WeightsPlan.For(d);
        var gib = plan.CheckpointGiB;
        var downloads = plan.Delivery is WeightsDelivery.EngineDownload or WeightsDelivery.InitFetch;
        TimeSpan? download = !downloads ? TimeSpan.Zero
            : gib is { } size && options.ModelDownloadGiBPerSecond > 0 ? Saturated(size / options.ModelDownloadGiBPerSecond)
            : null;

        // Loading reads the checkpoint as published from the volume (an fp8 engine quantizes the 16-bit files it reads).
        var load = d.Model?.LoadTime;
        if (load is null && gib is { } weights && options.ModelLoadGiBPerSecond > 0)
        {
            load = Saturated(options.EngineStartOverhead.TotalSeconds + (weights / options.ModelLoadGiBPerSecond));
        }

        var engineStart = plan.Delivery == WeightsDelivery.EngineDownload
            ? download is { } inContainer && load is { } loading ? Saturated(inContainer.TotalSeconds + loading.TotalSeconds) : null
            : load;
        var fetch = plan.Delivery == WeightsDelivery.InitFetch ? download : TimeSpan.Zero;
        return new StartupBudget(fetch, engineStart, download, load);
    }

    /// <summary>Whole seconds, rounded up; absurd declared sizes load "for ever" (TimeSpan.MaxValue) instead of overflowing.</summary>
    private static TimeSpan? Saturated(double seconds) =>
        double.IsNaN(seconds) ? null : seconds >= 9e11 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Math.Ceiling(Math.Max(0, seconds)));

    /// <summary>
    /// The rollout's progress deadline: the startup probe's whole tolerance, plus the init container's fetch, plus five
    /// minutes for scheduling and the image pull; at least ten minutes. A slow load is then never mistaken for a stuck rollout.
    /// </summary>
    public static int ProgressDeadlineSeconds(InferenceDeployment d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var startup = d.Probes?.Startup?.Tolerance.TotalSeconds ?? 0;
        var fetch = For(d).Fetch?.TotalSeconds ?? 0;

        // Huge declared timings saturate at int's maximum instead of overflowing into a negative deadline.
        return (int)Math.Min(int.MaxValue, Math.Max(MinimumProgressDeadlineSeconds, Math.Ceiling(startup + fetch) + 300));
    }
}
