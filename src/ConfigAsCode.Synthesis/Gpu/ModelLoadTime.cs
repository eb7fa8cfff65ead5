using System;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Gpu;

/// <summary>
/// How long an engine takes from container start to serving: the declared <see cref="ModelSpec.LoadTime"/> or one
/// estimated from the checkpoint, plus the download when the engine fetches the weights itself
/// (<see cref="StartupBudget.EngineStart"/>). One estimate for the rules and the rendered cooldowns, so a derived
/// cooldown never falls short of the load the rules compare it with.
/// </summary>
public static class ModelLoadTime
{
    /// <summary>The declared or estimated time to serve; null when neither the load time nor the checkpoint size is known.</summary>
    public static TimeSpan? Of(InferenceDeployment deployment, RuleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return deployment.Model is null || deployment.Engine is null ? null : StartupBudget.For(deployment, options).EngineStart;
    }
}
