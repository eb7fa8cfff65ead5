namespace ConfigAsCode;

/// <summary>The traffic a deployment is sized for; the cost model turns it into replicas and $/1M tokens.</summary>
public sealed record ExpectedLoad
{
    /// <summary>Peak requests per second.</summary>
    public required double RequestsPerSecond { get; init; }

    /// <summary>Mean prompt tokens per request.</summary>
    public required int InputTokens { get; init; }

    /// <summary>Mean completion tokens per request.</summary>
    public required int OutputTokens { get; init; }

    /// <summary>Target utilisation of each replica's concurrency, in (0, 1].</summary>
    public double TargetUtilization { get; init; } = 0.8;
}
