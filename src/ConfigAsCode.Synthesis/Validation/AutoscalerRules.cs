using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC1031–CAC1033: scaling to zero in production, cooldowns against the model load, and the KEDA definition.</summary>
internal static class AutoscalerRules
{
    /// <summary>A Prometheus metric name (the scaling signal is put into the KEDA trigger's query as one).</summary>
    private static readonly Regex MetricName = new("^[a-zA-Z_:][a-zA-Z0-9_:]*\\z", RegexOptions.CultureInvariant);

    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.ScaleToZeroInProductionUnacknowledged, c =>
        {
            if (c.IsProduction && c.Deployment.Scaling is { MinReplicas: 0 } scaling && !Acknowledged(scaling))
            {
                c.Report("Scaling.MinReplicas", scaling.Keda is null
                    ? "production scales to zero: after an idle period every request waits for a GPU node and a full model load, and a HorizontalPodAutoscaler cannot scale to zero anyway. Keep MinReplicas at 2 or more, or scale with KEDA and say why the wait is accepted: Keda = new() { ScaleToZeroAcknowledgment = \"...\" }."
                    : "production scales to zero: after an idle period every request waits for a GPU node and a full model load. Keep MinReplicas at 2 or more, or say why the wait is accepted: Keda = new() { ScaleToZeroAcknowledgment = \"...\" }.");
            }
        }),
        new(RuleCatalog.CooldownShorterThanModelLoad, c =>
        {
            // KEDA's cooldowns only govern scaling to zero; from 1 to N replicas its HPA's behaviour applies.
            if (c.Deployment.Scaling is not { Keda: { } keda, MinReplicas: 0 } || (keda.InitialCooldownPeriod is null && keda.CooldownPeriod is null))
            {
                return;
            }

            if (ReliabilityRules.EstimatedLoadTime(c) is not { } load)
            {
                c.Undecided("Scaling.Keda", "the model's load time is unknown, so the declared cooldowns cannot be compared with it. Declare Model.LoadTime or Model.Architecture.");
                return;
            }

            if (keda.InitialCooldownPeriod is { } initial && initial >= TimeSpan.Zero && initial < load)
            {
                c.Report("Scaling.Keda.InitialCooldownPeriod", $"KEDA may scale to zero {Seconds(initial)} s after the ScaledObject is created, but loading the model takes about {Seconds(load)} s: the first replicas can be removed for idleness before they ever served. Remove InitialCooldownPeriod to use the load time, or set it to at least {Seconds(load)} s.");
            }

            if (keda.CooldownPeriod is { } cooldown && cooldown >= TimeSpan.Zero && cooldown < load)
            {
                c.Report("Scaling.Keda.CooldownPeriod", $"KEDA scales to zero {Seconds(cooldown)} s after the last request, sooner than the {Seconds(load)} s a replica takes to load: a short lull costs the next request a full model load. Remove CooldownPeriod to use the load time, or set it to at least {Seconds(load)} s.");
            }
        }),
        new(RuleCatalog.KedaScalingInvalid, c =>
        {
            var d = c.Deployment;
            if (d.Scaling is not { Keda: { } keda } scaling)
            {
                return;
            }

            if (scaling.Signal is { Kind: ScalingSignalKind.Cpu })
            {
                c.Report("Scaling.Signal", "KEDA scales here on a Prometheus query of the engine's queue, and CPU is no signal for GPU inference (CAC1008). Use Signal = ScalingSignal.QueueDepth(5).");
            }
            else if (scaling.Signal is { } signal && (string.IsNullOrEmpty(signal.Metric) || !MetricName.IsMatch(signal.Metric)))
            {
                c.Report("Scaling.Signal.Metric", $"'{signal.Metric}' is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), and it is written into the KEDA trigger's query. Use the engine's metric, for example vllm:num_requests_waiting.");
            }

            if (scaling.MinReplicas >= 0 && scaling.MaxReplicas > 0 && scaling.MaxReplicas == scaling.MinReplicas)
            {
                c.Report("Scaling.Keda", $"MinReplicas and MaxReplicas are both {scaling.MinReplicas}: there is nothing to scale, so no ScaledObject would be rendered. Raise MaxReplicas, or remove Keda.");
            }

            if (keda.PollingInterval < TimeSpan.FromSeconds(1) || keda.PollingInterval > MaxKedaSeconds || keda.PollingInterval.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                c.Report("Scaling.Keda.PollingInterval", $"KEDA polls in whole seconds, from 1 to {MaxKedaSeconds.TotalSeconds:0}, not {keda.PollingInterval}. Use TimeSpan.FromSeconds(15).");
            }

            foreach (var (value, name) in new[] { (keda.CooldownPeriod, "CooldownPeriod"), (keda.InitialCooldownPeriod, "InitialCooldownPeriod") })
            {
                if (value is { } span && (span < TimeSpan.Zero || span > MaxKedaSeconds || span.Ticks % TimeSpan.TicksPerSecond != 0))
                {
                    c.Report("Scaling.Keda." + name, $"{name} is {span}; KEDA takes whole seconds from 0 to {MaxKedaSeconds.TotalSeconds:0}. Remove it to use the model's load time.");
                }
            }

            if (keda.KvCacheUsageTarget is { } kv && !(kv > 0 && kv <= 1))
            {
                c.Report("Scaling.Keda.KvCacheUsageTarget", $"{Format(kv)} is not a KV-cache usage in (0, 1]; vLLM reports usage as a fraction. Use 0.8.");
            }
            else if (keda.KvCacheUsageTarget is not null && d.Engine is not null and not VllmEngine)
            {
                c.Report("Scaling.Keda.KvCacheUsageTarget", $"KV-cache usage is read from vLLM's vllm:kv_cache_usage_perc, which {d.Engine.Kind} does not export: the trigger would always read 0. Remove KvCacheUsageTarget.");
            }

            if (keda.FallbackReplicas is { } fallback && (fallback < 0 || (scaling.MaxReplicas >= 0 && fallback > scaling.MaxReplicas)))
            {
                c.Report("Scaling.Keda.FallbackReplicas", $"{fallback} fallback replicas, outside [0, MaxReplicas = {scaling.MaxReplicas}]. Remove it to hold MinReplicas while Prometheus is unreachable.");
            }

            if (keda.FallbackAfterFailures < 1)
            {
                c.Report("Scaling.Keda.FallbackAfterFailures", $"{keda.FallbackAfterFailures} failed queries before the fallback: KEDA needs at least 1. Use 3.");
            }

            if (d.Observability is { ScrapeMetrics: false })
            {
                c.Report("Observability.ScrapeMetrics", "the KEDA trigger queries the engine's series that the generated PodMonitor scrapes, but ScrapeMetrics is false: KEDA would see no data and hold the fallback. Set Observability.ScrapeMetrics = true.");
            }
            else if (d.Observability is { } observability && !Uri.TryCreate(observability.PrometheusUrl, UriKind.Absolute, out _))
            {
                c.Report("Observability.PrometheusUrl", $"'{observability.PrometheusUrl}' is not an absolute URL, and KEDA's Prometheus trigger needs one (serverAddress). Use the in-cluster Prometheus, for example http://prometheus-operated.monitoring.svc:9090.");
            }
        }),
    ];

    /// <summary>KEDA's periods are 32-bit counts of seconds.</summary>
    private static readonly TimeSpan MaxKedaSeconds = TimeSpan.FromSeconds(int.MaxValue);

    /// <summary>True when scaling to zero is acknowledged with a reason (through KEDA, the only autoscaler rendered that reaches zero).</summary>
    internal static bool Acknowledged(ScalingSpec scaling) => !string.IsNullOrWhiteSpace(scaling.Keda?.ScaleToZeroAcknowledgment);

    private static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
