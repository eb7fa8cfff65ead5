namespace ConfigAsCode;

/// <summary>How the deployment is wired to metrics, logs and traces.</summary>
public sealed record ObservabilitySpec
{
    /// <summary>Scrape the engine's metrics endpoint (annotations and a ServiceMonitor-compatible port name).</summary>
    public bool ScrapeMetrics { get; init; } = true;

    /// <summary>Scrape interval in seconds.</summary>
    public int ScrapeIntervalSeconds { get; init; } = 15;

    /// <summary>Emit JSON logs.</summary>
    public bool StructuredLogs { get; init; } = true;

    /// <summary>Trace export; null when tracing is off.</summary>
    public TraceExport? Traces { get; init; }

    /// <summary>The Prometheus that rollout guardrails query (Argo Rollouts' analysis runs from the controller's namespace).</summary>
    public string PrometheusUrl { get; init; } = "http://prometheus-operated.monitoring.svc:9090";
}

/// <summary>OTLP trace export.</summary>
public sealed record TraceExport
{
    /// <summary>The OTLP endpoint, for example <c>http://otel-collector.observability:4317</c>.</summary>
    public required string OtlpEndpoint { get; init; }

    /// <summary>Share of traces sampled, in [0, 1].</summary>
    public double SamplingRatio { get; init; } = 0.05;
}
