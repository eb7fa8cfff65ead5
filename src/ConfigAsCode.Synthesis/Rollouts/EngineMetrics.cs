using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rollouts;

/// <summary>
/// The Prometheus series each engine exports for the SLIs, as scraped through the generated PodMonitor (which
/// copies the pod labels <c>app.kubernetes.io/name</c> and <c>rollouts-pod-template-hash</c> onto every series as
/// <c>app_kubernetes_io_name</c> and <c>rollouts_pod_template_hash</c>; Prometheus adds <c>namespace</c>).
/// </summary>
public sealed record EngineMetrics
{
    /// <summary>The label that tells the new version's pods from the stable ones during a rollout.</summary>
    public const string PodTemplateHashLabel = "rollouts_pod_template_hash";

    /// <summary>The Argo Rollouts analysis argument that carries the new version's pod-template hash.</summary>
    public const string CanaryHashArgument = "canary-hash";

    private EngineMetrics(string engine, Func<string, string, string> errorRatio, string? latencyHistogram, string? ttftHistogram, IReadOnlyList<string>? latencyBuckets, IReadOnlyList<string>? ttftBuckets, string source)
    {
        Engine = engine;
        ErrorRatioQuery = errorRatio;
        LatencyHistogram = latencyHistogram;
        TtftHistogram = ttftHistogram;
        LatencyBuckets = latencyBuckets;
        TtftBuckets = ttftBuckets;
        Source = source;
    }

    public string Engine { get; }

    /// <summary>PromQL for the share of failed inference requests over a window: (selector, window) → expression.</summary>
    public Func<string, string, string> ErrorRatioQuery { get; }

    /// <summary>End-to-end request latency histogram (seconds); null when the engine exports none.</summary>
    public string? LatencyHistogram { get; }

    /// <summary>Time-to-first-token histogram (seconds); null when the engine exports none.</summary>
    public string? TtftHistogram { get; }

    /// <summary>The <c>le</c> labels of <see cref="LatencyHistogram"/> exactly as exported; null when not fixed by the engine.</summary>
    public IReadOnlyList<string>? LatencyBuckets { get; }

    public IReadOnlyList<string>? TtftBuckets { get; }

    /// <summary>Where the names come from.</summary>
    public string Source { get; }

    /// <summary>vLLM: HTTP status of the OpenAI endpoints (prometheus-fastapi-instrumentator) and the engine's request histograms.</summary>
    public static EngineMetrics Vllm { get; } = new(
        "vllm",
        (selector, window) =>
            $"(sum(rate(http_requests_total{{{selector},handler=~\"/v1/.*\",status=\"5xx\"}}[{window}])) or vector(0)) / sum(rate(http_requests_total{{{selector},handler=~\"/v1/.*\"}}[{window}]))",
        "vllm:e2e_request_latency_seconds",
        "vllm:time_to_first_token_seconds",
        ["0.3", "0.5", "0.8", "1.0", "1.5", "2.0", "2.5", "5.0", "10.0", "15.0", "20.0", "30.0", "40.0", "50.0", "60.0", "120.0", "240.0", "480.0", "960.0", "1920.0", "7680.0"],
        ["0.001", "0.005", "0.01", "0.02", "0.04", "0.06", "0.08", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "20.0", "40.0", "80.0", "160.0", "640.0", "2560.0"],
        "vLLM /metrics (vllm:* histograms, buckets as in vLLM 0.8–0.11; http_requests_total from prometheus-fastapi-instrumentator)");

    /// <summary>TGI: request counters and the request-duration histogram; TGI exports no time to first token.</summary>
    public static EngineMetrics Tgi { get; } = new(
        "tgi",
        (selector, window) =>
            $"(sum(rate(tgi_request_failure{{{selector}}}[{window}])) or vector(0)) / sum(rate(tgi_request_count{{{selector}}}[{window}]))",
        "tgi_request_duration",
        null,
        null,
        null,
        "TGI /metrics (tgi_request_count, tgi_request_failure, tgi_request_duration)");

    /// <summary>Triton: success and failure counters; latency is exported as sums, not histograms, by default.</summary>
    public static EngineMetrics Triton { get; } = new(
        "triton",
        (selector, window) =>
            $"(sum(rate(nv_inference_request_failure{{{selector}}}[{window}])) or vector(0)) / (sum(rate(nv_inference_request_success{{{selector}}}[{window}])) + (sum(rate(nv_inference_request_failure{{{selector}}}[{window}])) or vector(0)))",
        null,
        null,
        null,
        null,
        "Triton /metrics (nv_inference_request_success, nv_inference_request_failure)");

    public static EngineMetrics For(InferenceEngine engine) => engine switch
    {
        TgiEngine => Tgi,
        TritonEngine => Triton,
        _ => Vllm,
    };

    /// <summary>The series of one deployment in one environment: <c>namespace="…",app_kubernetes_io_name="…",env="…"</c>.</summary>
    public static string Selector(InferenceDeployment d) => Selector(d.Namespace, d.Name, d.Environment.Name);

    /// <summary>The series of the deployment <paramref name="name"/> in a namespace and environment (a pool canary's candidate).</summary>
    public static string Selector(string ns, string name, string environment) => $"namespace=\"{ns}\",app_kubernetes_io_name=\"{name}\",env=\"{environment}\"";

    /// <summary>The series of the new version's pods during a rollout.</summary>
    public static string CanarySelector(InferenceDeployment d) => $"{Selector(d)},{PodTemplateHashLabel}=\"{{{{args.{CanaryHashArgument}}}}}\"";

    /// <summary>p95 (or another quantile) of a histogram over a window.</summary>
    public static string Quantile(double quantile, string histogram, string selector, string window) =>
        $"histogram_quantile({quantile.ToString("0.###", CultureInfo.InvariantCulture)}, sum by (le) (rate({histogram}_bucket{{{selector}}}[{window}])))";

    /// <summary>The share of requests slower than the bucket <paramref name="le"/> over a window.</summary>
    public static string SlowerThan(string histogram, string le, string selector, string window) =>
        $"1 - (sum(rate({histogram}_bucket{{{selector},le=\"{le}\"}}[{window}])) / sum(rate({histogram}_count{{{selector}}}[{window}])))";

    /// <summary>
    /// The largest exported bucket at or below <paramref name="threshold"/>: counting the requests between it and the
    /// threshold as slow makes the alert stricter, never looser, than the SLO. Null when every bucket is above it.
    /// </summary>
    public static string? BucketAtOrBelow(IReadOnlyList<string>? buckets, TimeSpan threshold)
    {
        var seconds = (decimal)threshold.TotalSeconds;
        return buckets?.Where(b => decimal.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture) <= seconds)
            .OrderBy(b => decimal.Parse(b, NumberStyles.Float, CultureInfo.InvariantCulture))
            .LastOrDefault();
    }

    /// <summary>Seconds as PromQL and Argo expressions want them: <c>0.3</c>, <c>2</c>.</summary>
    public static string Seconds(TimeSpan value) => ((decimal)value.TotalSeconds).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A ratio without float noise: <c>0.01</c>, <c>0.0144</c>.</summary>
    public static string Ratio(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>A duration as Argo Rollouts and Prometheus write it: <c>90s</c>, <c>5m</c>, <c>2h</c>.</summary>
    public static string Duration(TimeSpan value)
    {
        var seconds = (long)Math.Ceiling(value.TotalSeconds);
        return seconds % 3600 == 0 && seconds > 0 ? $"{seconds / 3600}h"
            : seconds % 60 == 0 && seconds > 0 ? $"{seconds / 60}m"
            : $"{seconds}s";
    }
}
