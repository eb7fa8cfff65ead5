using System;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// How long an engine takes from start to serving: the declared <see cref="ModelSpec.LoadTime"/>, else the engine's
/// start-up overhead plus the weight bytes at the load rate of <see cref="RuleOptions"/> (both estimates).
/// </summary>
public static class ModelLoadTime
{
    /// <summary>The declared or estimated load time; null when the model declares none and its architecture is unknown.</summary>
    public static TimeSpan? Of(InferenceDeployment deployment, RuleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        options ??= RuleOptions.Default;
        if (deployment.Model?.LoadTime is { } declared)
        {
            return declared;
        }

        if (deployment.Model?.ResolveArchitecture() is not { } architecture || !(options.ModelLoadGiBPerSecond > 0))
        {
            return null;
        }

        var quantization = deployment.Engine switch
        {
            VllmEngine v => v.Quantization,
            TgiEngine t => t.Quantization,
            _ => Quantization.None,
        };
        var weightGiB = KvCacheBudget.WeightBytesOf(architecture, quantization) / KvCacheBudget.BytesPerGiB;
        var seconds = options.EngineStartOverhead.TotalSeconds + (weightGiB / options.ModelLoadGiBPerSecond);
        return double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
