using System;

namespace ConfigAsCode;

/// <summary>What the service promises. Guardrails and alerts are derived from these, never picked separately.</summary>
public sealed record ServiceLevelObjectives
{
    /// <summary>Availability target over 30 days, for example 0.999.</summary>
    public double? Availability { get; init; }

    /// <summary>Largest acceptable error ratio, for example 0.01.</summary>
    public double? MaxErrorRate { get; init; }

    /// <summary>p95 end-to-end request latency.</summary>
    public TimeSpan? P95Latency { get; init; }

    /// <summary>p99 end-to-end request latency.</summary>
    public TimeSpan? P99Latency { get; init; }

    /// <summary>p95 time to first token.</summary>
    public TimeSpan? P95TimeToFirstToken { get; init; }
}
