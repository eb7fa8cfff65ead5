namespace ConfigAsCode;

/// <summary>
/// A monthly budget for a team, an environment, or both (null matches all), and the largest increase one change
/// may make without an acknowledgment. Declared by overriding <see cref="InferencePlatform.Budgets"/>.
/// </summary>
public sealed record CostBudget
{
    /// <summary>
    /// Creates a budget and records where it was declared, so CAC4005/CAC4006 point at it. The compiler fills the
    /// caller-info parameters, also for object initializers; do not pass them.
    /// </summary>
    public CostBudget([System.Runtime.CompilerServices.CallerFilePath] string declaredInFile = "", [System.Runtime.CompilerServices.CallerLineNumber] int declaredAtLine = 0)
    {
        DeclaredAt = new SourceLocation(declaredInFile ?? string.Empty, declaredAtLine);
    }

    /// <summary>Where the budget was declared (file and line), for diagnostics.</summary>
    public SourceLocation DeclaredAt { get; init; }

    /// <summary>A name for messages, for example <c>assistant-prod</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The team it covers (the deployments' <c>Cost.Team</c>); null for every team.</summary>
    public string? Team { get; init; }

    /// <summary>The environment it covers; null for every environment.</summary>
    public string? Environment { get; init; }

    /// <summary>The monthly limit in US dollars (730 hours a month).</summary>
    public required decimal MonthlyUsd { get; init; }

    /// <summary>The largest increase, in percent of the committed monthly cost, allowed without an acknowledgment.</summary>
    public decimal? MaxIncreasePercent { get; init; }
}

/// <summary>
/// Accepts a cost increase above a budget's threshold for one deployment, with a reason (at least 10 characters).
/// An acknowledgment covers the increase it was given for, not later ones: the first accept records the monthly cost
/// it covers in the cost snapshot, and a later increase under the same reason fails CAC4006 again. Give a new reason
/// for a new increase, or state the ceiling yourself with <see cref="UpToMonthlyUsd"/>.
/// </summary>
/// <param name="Reason">Why the increase is accepted, for example a launch.</param>
public sealed record CostIncreaseAcknowledgment(string Reason)
{
    /// <summary>The highest monthly cost (USD) of the deployment this acknowledgment accepts; null for the cost at the time it is first accepted.</summary>
    public decimal? UpToMonthlyUsd { get; init; }
}

/// <summary>Where the platform runs, for price lookup: provider, region and purchase option.</summary>
/// <param name="Provider">For example <c>aws</c>, <c>gcp</c>, <c>azure</c>, or your own key in a price file.</param>
/// <param name="Region">For example <c>us-east-1</c>.</param>
/// <param name="PurchaseOption">For example <c>on-demand</c>, <c>reserved-1y</c>, <c>spot</c>.</param>
public sealed record PricingTarget(string Provider, string Region, string PurchaseOption = "on-demand")
{
    /// <summary>AWS us-east-1, on demand.</summary>
    public static PricingTarget AwsUsEast1 { get; } = new("aws", "us-east-1");
}

/// <summary>A negotiated price declared in code; it wins over the shipped catalog and over price files.</summary>
public sealed record GpuPriceOverride(string GpuPriceKey, PricingTarget Target, decimal UsdPerGpuHour, bool IncludesHost = true, string Source = "declared in code");
