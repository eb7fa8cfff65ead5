namespace ConfigAsCode;

/// <summary>
/// A monthly budget for a team, an environment, or both (null matches all), and the largest increase one change
/// may make without an acknowledgment. Declared by overriding <see cref="InferencePlatform.Budgets"/>.
/// </summary>
public sealed record CostBudget
{
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

/// <summary>Accepts a cost increase above a budget's threshold for one deployment, with a reason (at least 10 characters).</summary>
/// <param name="Reason">Why the increase is accepted, for example a launch.</param>
public sealed record CostIncreaseAcknowledgment(string Reason);

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
