using System;

namespace ConfigAsCode;

/// <summary>
/// Startup, readiness and liveness probes. The startup probe covers the model load, so liveness only starts
/// judging once the weights are in memory. Set a probe to null to omit it (reported by CAC1001–CAC1003).
/// </summary>
public sealed record HealthProbes
{
    /// <summary>Default load allowance: 15 minutes, enough to pull and load a 70B model from a warm cache.</summary>
    public static TimeSpan DefaultLoadAllowance { get; } = TimeSpan.FromMinutes(15);

    /// <summary>Gates liveness and readiness until the engine has loaded the model.</summary>
    public Probe? Startup { get; init; } = StartupFor(DefaultLoadAllowance);

    /// <summary>Takes the pod out of the Service while it cannot serve.</summary>
    public Probe? Readiness { get; init; } = new() { Path = "/health", PeriodSeconds = 5, TimeoutSeconds = 3, FailureThreshold = 3 };

    /// <summary>Restarts a wedged engine.</summary>
    public Probe? Liveness { get; init; } = new() { Path = "/health", PeriodSeconds = 15, TimeoutSeconds = 5, FailureThreshold = 4 };

    /// <summary>Probes for an engine whose health endpoint is <paramref name="path"/>, with a startup allowance of <paramref name="loadTime"/>.</summary>
    public static HealthProbes For(string path, TimeSpan loadTime) => new()
    {
        Startup = StartupFor(loadTime) with { Path = path },
        Readiness = new Probe { Path = path, PeriodSeconds = 5, TimeoutSeconds = 3, FailureThreshold = 3 },
        Liveness = new Probe { Path = path, PeriodSeconds = 15, TimeoutSeconds = 5, FailureThreshold = 4 },
    };

    /// <summary>
    /// Probes for <paramref name="engine"/>: startup and readiness on its health path, liveness on its liveness path
    /// (Triton: <c>/v2/health/ready</c> and <c>/v2/health/live</c>), with a startup allowance of <paramref name="loadTime"/>.
    /// </summary>
    public static HealthProbes For(InferenceEngine engine, TimeSpan loadTime)
    {
        var probes = For((engine ?? throw new ArgumentNullException(nameof(engine))).HealthPath, loadTime);
        return probes with { Liveness = probes.Liveness! with { Path = engine.LivenessPath } };
    }

    /// <summary>A startup probe polling every 10 s for <paramref name="loadTime"/> before giving up.</summary>
    public static Probe StartupFor(TimeSpan loadTime) => new()
    {
        Path = "/health",
        PeriodSeconds = 10,
        TimeoutSeconds = 5,
        // Clamped before the cast: an out-of-range double converts to int.MinValue on .NET 8 (x64) and to int.MaxValue
        // from .NET 9, and the host runs on whichever the machine has; the manifest must not depend on it.
        FailureThreshold = (int)Math.Min(Math.Max(Math.Ceiling(loadTime.TotalSeconds / 10), 1), int.MaxValue), // no Math.Clamp in netstandard2.0
    };
}
