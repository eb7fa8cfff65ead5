using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rollouts;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Readiness;

/// <summary>One item of the production-readiness checklist: passed or not, and why.</summary>
public sealed record ReadinessItem(string Id, string Title, bool Passed, string Reason);

/// <summary>The checklist of one deployment in one environment.</summary>
public sealed record ReadinessChecklist(string Deployment, string Environment, IReadOnlyList<ReadinessItem> Items)
{
    public int PassedCount => Items.Count(i => i.Passed);

    /// <summary>
    /// The seven items, decided from the effective configuration and the rule findings of this deployment (a
    /// suppressed finding counts as covered: its justification is in the report).
    /// </summary>
    public static ReadinessChecklist For(InferenceDeployment d, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(d);
        var own = findings.Where(f => f.Outcome == FindingOutcome.Violation && f.Deployment == d.Name && f.Environment == (d.Environment?.Name ?? string.Empty)).ToArray();
        return InvariantCultureScope.Run(() => new ReadinessChecklist(d.Name, d.Environment?.Name ?? string.Empty,
        [
            Probes(d),
            Observability(d),
            FailureModes(d, own),
            Rollback(d),
            Resources(d),
            Access(d, own),
            Alerts(d),
        ]));
    }

    private static ReadinessItem Probes(InferenceDeployment d)
    {
        const string Title = "Health and readiness probes exist";
        var p = d.Probes;
        var missing = new[] { ("startup", p?.Startup), ("readiness", p?.Readiness), ("liveness", p?.Liveness) }.Where(x => x.Item2 is null).Select(x => x.Item1).ToArray();
        var group = d.Accelerator is { Nodes: > 1 and var nodes }
            ? $" on each {nodes}-node group's leader (its workers serve no API; a group restarts as one when any pod does)"
            : string.Empty;
        return missing.Length == 0
            ? new ReadinessItem("probes", Title, true, $"startup (tolerates {Minutes(p!.Startup!.Tolerance)} of model load), readiness on {p.Readiness!.Path}, liveness on {p.Liveness!.Path}{group}")
            : new ReadinessItem("probes", Title, false, $"no {string.Join(", no ", missing)} probe{group}");
    }

    private static ReadinessItem Observability(InferenceDeployment d)
    {
        const string Title = "Metrics, logs and traces are wired";
        var o = d.Observability;
        if (o is null)
        {
            return new ReadinessItem("observability", Title, false, "Observability is not set");
        }

        var gaps = new List<string>();
        if (!o.ScrapeMetrics)
        {
            gaps.Add("metrics are not scraped");
        }

        if (!o.StructuredLogs)
        {
            gaps.Add("logs are not structured");
        }

        if (o.Traces is null)
        {
            gaps.Add("no trace export (Observability.Traces)");
        }

        var monitor = d.Slos is not null || RolloutPlan.IsProgressive(d.Rollout) ? " by a PodMonitor" : " by annotation";
        return gaps.Count == 0
            ? new ReadinessItem("observability", Title, true, $"metrics scraped every {o.ScrapeIntervalSeconds}s{monitor}, JSON logs, traces to {o.Traces!.OtlpEndpoint} at {o.Traces.SamplingRatio.ToString("0.###", CultureInfo.InvariantCulture)}")
            : new ReadinessItem("observability", Title, false, string.Join("; ", gaps));
    }

    private static ReadinessItem FailureModes(InferenceDeployment d, IReadOnlyList<Finding> own)
    {
        const string Title = "Failure modes are covered";
        var uncovered = own.Where(f => f.Id.StartsWith("CAC1", StringComparison.Ordinal) || f.Id.StartsWith("CAC3", StringComparison.Ordinal)).Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        var replicas = d.Scaling?.MinReplicas ?? 0;
        var gaps = new List<string>();
        if (d.DisruptionBudget is null)
        {
            gaps.Add("no disruption budget: a node drain can take every replica");
        }

        if (d.Environment?.IsProduction == true && replicas < 2)
        {
            gaps.Add($"{replicas} replica(s): one GPU fault is an outage");
        }

        if (uncovered.Length > 0)
        {
            gaps.Add($"reliability and GPU-fit findings {string.Join(", ", uncovered)}");
        }

        var budget = d.Accelerator is { Nodes: > 1 and var nodes } && d.DisruptionBudget is { } declared
            ? (declared.MaxUnavailable is { } most
                ? $"disruption budget of {(long)most * nodes} pods ({most} {nodes}-pod group(s) at a time), "
                : $"disruption budget keeping {(long)(declared.MinAvailable ?? 0) * nodes} pods ({declared.MinAvailable} {nodes}-pod groups) available, ")
            : "disruption budget, ";
        return gaps.Count == 0
            ? new ReadinessItem("failure-modes", Title, true, $"{replicas}+ replicas, {budget}KV cache and parallelism fit the GPUs, graceful drain of in-flight requests")
            : new ReadinessItem("failure-modes", Title, false, string.Join("; ", gaps));
    }

    private static ReadinessItem Rollback(InferenceDeployment d)
    {
        const string Title = "Rollback or canary is defined";
        var strategy = d.Rollout;
        if (strategy is null)
        {
            return new ReadinessItem("rollback", Title, false, "Rollout is not set");
        }

        if (strategy.RevisionHistoryLimit < 1)
        {
            return new ReadinessItem("rollback", Title, false, "RevisionHistoryLimit 0: no previous version is kept to roll back to");
        }

        if (strategy is RollingUpdate)
        {
            return new ReadinessItem("rollback", Title, true, $"rolling update (surge {((RollingUpdate)strategy).MaxSurge}, unavailable {((RollingUpdate)strategy).MaxUnavailable}); roll back by reverting the commit, {strategy.RevisionHistoryLimit} revisions kept; no automatic rollback");
        }

        var kind = strategy switch { CanaryRollout => "canary", RampRollout => "ramp", _ => "shadow" };
        var g = RolloutPlan.Resolve(d);
        var measurable = d.Engine is null ? [] : RolloutPlan.Measurable(d, g);
        if (d.Observability?.ScrapeMetrics != true || measurable.Count == 0)
        {
            return new ReadinessItem("rollback", Title, false, $"{kind} without measurable guardrails: a bad version is not rolled back automatically");
        }

        return new ReadinessItem("rollback", Title, true, $"{kind} with guardrails on {string.Join(", ", measurable)}; a failed analysis or a missed progress deadline aborts and returns traffic to the stable version");
    }

    private static ReadinessItem Resources(InferenceDeployment d)
    {
        const string Title = "Resource limits and quotas are set";
        var r = d.Resources;
        if (r is null || r.CpuRequestMillicores is not > 0 || r.MemoryRequestMiB is not > 0 || r.MemoryLimitMiB is not > 0)
        {
            return new ReadinessItem("resources", Title, false, "CPU and memory requests and a memory limit must be set");
        }

        return new ReadinessItem("resources", Title, true,
            $"requests cpu {Quantities.Cpu(r.CpuRequestMillicores.Value)}, memory {Quantities.MemoryMiB(r.MemoryRequestMiB.Value)}; limits memory {Quantities.MemoryMiB(r.MemoryLimitMiB.Value)}, {(d.Accelerator?.Gpu is { } gpuKind ? Rendering.DeploymentManifest.GpuResourceName(gpuKind) : "nvidia.com/gpu")} {d.Accelerator?.Count}{(d.Accelerator is { Nodes: > 1 and var podNodes } ? $" per pod on {podNodes} pods per replica" : string.Empty)}; replicas bounded {d.Scaling?.MinReplicas}–{d.Scaling?.MaxReplicas} (namespace ResourceQuota is the cluster's, not generated)");
    }

    private static ReadinessItem Access(InferenceDeployment d, IReadOnlyList<Finding> own)
    {
        const string Title = "Least-privilege access and secrets handling";
        var security = own.Where(f => f.Id.StartsWith("CAC2", StringComparison.Ordinal)).Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        if (security.Length > 0)
        {
            return new ReadinessItem("access", Title, false, $"security findings {string.Join(", ", security)}");
        }

        var secrets = (d.Env ?? []).Count(e => e?.Secret is not null) + (d.Engine is VllmEngine { ApiKey: not null } ? 1 : 0);
        return new ReadinessItem("access", Title, true,
            $"non-root, no privilege escalation, own ServiceAccount{(d.Security?.AutomountServiceAccountToken == false ? " without API token" : string.Empty)}, NetworkPolicy, {secrets} secret(s) by reference and none in plain text");
    }

    private static ReadinessItem Alerts(InferenceDeployment d)
    {
        const string Title = "Alert thresholds are mapped to SLOs";
        if (d.Slos is null)
        {
            return new ReadinessItem("alerts", Title, false, "no Slos: no alert threshold can be derived");
        }

        if (d.Observability?.ScrapeMetrics != true)
        {
            return new ReadinessItem("alerts", Title, false, "metrics are not scraped, so no SLO can be measured");
        }

        var (objectives, unmeasurable) = SloObjectives.For(d);
        if (objectives.Count == 0 || unmeasurable.Count > 0)
        {
            var reasons = unmeasurable.Select(u => $"{u.Property}: {u.Reason}").ToList();
            if (objectives.Count == 0 && reasons.Count == 0)
            {
                reasons.Add("the Slos declare no objective an alert can measure (Availability, MaxErrorRate or a latency)");
            }

            return new ReadinessItem("alerts", Title, false, string.Join("; ", reasons));
        }

        return new ReadinessItem("alerts", Title, true, $"PrometheusRule {d.Name}-slos: fast (14.4x, 6x) and slow (3x, 1x) burn-rate alerts on {string.Join(", ", objectives.Select(o => o.Name))}");
    }

    private static string Minutes(TimeSpan value) => value.TotalMinutes >= 1 ? $"{value.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : $"{value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
}
