using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rollouts;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The prometheus-operator objects that make guardrails and SLO alerts measurable: a <c>PodMonitor</c> that scrapes
/// the engine and copies the labels the queries select on, and a <c>PrometheusRule</c> with recording rules per
/// SLI and window and multi-window, multi-burn-rate alerts per SLO.
/// </summary>
internal static class SloManifests
{
    public const string ApiVersion = "monitoring.coreos.com/v1";

    /// <summary>Pod labels copied onto every scraped series (as <c>app_kubernetes_io_name</c>, <c>env</c>, <c>rollouts_pod_template_hash</c>).</summary>
    private static readonly string[] PodTargetLabels = ["app.kubernetes.io/name", "env", "rollouts-pod-template-hash"];

    /// <summary>
    /// A PodMonitor when metrics are scraped and something queries them: SLOs, a progressive rollout, a KEDA trigger, or
    /// a pool canary's analysis (which may judge this deployment as the candidate).
    /// </summary>
    public static MapNode? PodMonitor(WorkloadIdentity id)
    {
        var d = id.Deployment;
        if (!d.Observability.ScrapeMetrics || (d.Slos is null && !RolloutPlan.IsProgressive(d.Rollout) && d.Scaling.Keda is null && d.Pool is null))
        {
            return null;
        }

        var port = d.Engine is TritonEngine ? "metrics" : "http";
        return new MapNode()
            .Set("apiVersion", ApiVersion)
            .Set("kind", "PodMonitor")
            .Set("metadata", id.Metadata())
            .Set("spec", new MapNode()
                .Set("selector", id.SelectorNode())
                .Set("podTargetLabels", ListNode.Strings(PodTargetLabels))
                .Set("podMetricsEndpoints", ListNode.Of(new MapNode()
                    .Set("port", port)
                    .Set("path", d.Engine.MetricsPath)
                    .Set("interval", d.Observability.ScrapeIntervalSeconds.ToString(CultureInfo.InvariantCulture) + "s"))));
    }

    /// <summary>The SLO alerts, or null when no SLO of the deployment can be measured.</summary>
    public static MapNode? PrometheusRule(WorkloadIdentity id)
    {
        var d = id.Deployment;
        var (objectives, _) = SloObjectives.For(d);
        if (!d.Observability.ScrapeMetrics || objectives.Count == 0)
        {
            return null;
        }

        var recordings = new ListNode();
        var alerts = new ListNode();
        foreach (var slo in objectives)
        {
            var sloName = $"{d.Name}-{slo.Name}";
            var labels = new MapNode().Set("slo", sloName).Set("deployment", d.Name).Set("env", d.Environment.Name);
            foreach (var window in SloObjectives.Windows)
            {
                recordings.Add(new MapNode()
                    .Set("record", Recording(window))
                    .Set("expr", slo.BadRatio(window))
                    .Set("labels", labels));
            }

            foreach (var severity in SloObjectives.BurnRates.GroupBy(b => b.Severity))
            {
                var expr = string.Join(
                    "\nor\n",
                    severity.Select(b =>
                    {
                        var threshold = EngineMetrics.Ratio(b.BurnRate * slo.ErrorBudget);
                        var series = $"{{slo=\"{sloName}\",env=\"{d.Environment.Name}\"}}";
                        return $"({Recording(b.Long)}{series} > {threshold} and {Recording(b.Short)}{series} > {threshold})";
                    }));
                var rates = string.Join(", ", severity.Select(b => $"{b.BurnRate.ToString("0.#", CultureInfo.InvariantCulture)}x over {b.Long} and {b.Short}"));
                alerts.Add(new MapNode()
                    .Set("alert", severity.Key == "page" ? "InferenceSloFastBurn" : "InferenceSloSlowBurn")
                    .Set("expr", expr)
                    .Set("labels", new MapNode().Set("severity", severity.Key).Set("slo", sloName).Set("deployment", d.Name).Set("namespace", d.Namespace).Set("env", d.Environment.Name))
                    .Set("annotations", new MapNode()
                        .Set("summary", $"{d.Name} ({d.Environment.Name}) is burning its {slo.Name} error budget")
                        .Set("description", $"SLO: {slo.Description}; error budget {EngineMetrics.Ratio(slo.ErrorBudget)}. Fires when the budget burns at {rates}.")));
            }
        }

        return new MapNode()
            .Set("apiVersion", ApiVersion)
            .Set("kind", "PrometheusRule")
            .Set("metadata", id.Metadata(d.Name + "-slos"))
            .Set("spec", new MapNode().Set("groups", ListNode.Of(
                new MapNode().Set("name", $"{d.Name}-slo-recordings").Set("rules", recordings),
                new MapNode().Set("name", $"{d.Name}-slo-alerts").Set("rules", alerts))));
    }

    private static string Recording(string window) => $"configascode:slo_bad_ratio:rate{window}";
}
