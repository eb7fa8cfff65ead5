using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Network;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rollouts;
using ConfigAsCode.Synthesis.Validation;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Readiness;

/// <summary>The verdict of one readiness item.</summary>
public enum ReadinessStatus
{
    /// <summary>The rendered manifests prove it: <see cref="ReadinessItem.Evidence"/> names the fields.</summary>
    Pass,

    /// <summary>Not proven: the reason says what is missing.</summary>
    Fail,

    /// <summary>The item does not apply to this deployment (the reason says why); it neither passes nor fails.</summary>
    NotApplicable,
}

/// <summary>
/// A manifest field that proves a readiness item: the file (as in the GitOps layout), the field path in the drift
/// output's syntax, and what the field says.
/// </summary>
/// <param name="File">The file, for example <c>prod/chat-70b/rollout-chat-70b.yaml</c>.</param>
/// <param name="Field">The field path, for example <c>spec.template.spec.containers[vllm].startupProbe</c>.</param>
/// <param name="Value">What the field holds, in short.</param>
public sealed record ReadinessEvidence(string File, string Field, string Value)
{
    // Every checklist is held until the reports are written: at 10,000 deployments that is 260,000 evidence entries,
    // whose field paths and values repeat from one deployment to the next. One copy of each is kept.
    public string Field { get; init; } = Shared(Field);

    public string Value { get; init; } = Shared(Value);

    public override string ToString() => $"{File}: {Field} = {Value}";

    // A pool of its own, not string.Intern: the runtime's intern table takes a process-wide lock on every call, and
    // the render threads called it 260,000 times at 10,000 deployments (a tenth of the host's busy time in a profile,
    // docs/performance.md). Reads here take no lock. The pool stops growing at MaxShared strings: past that, text
    // is kept as it is, so an unusual platform costs memory in proportion to itself, never more.
    private const int MaxShared = 1 << 20;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);
    private static int _pooled;

    internal static string Shared(string text)
    {
        if (text is null)
        {
            return text!;
        }

        if (Pool.TryGetValue(text, out var shared))
        {
            return shared;
        }

        return System.Threading.Interlocked.Increment(ref _pooled) <= MaxShared ? Pool.GetOrAdd(text, text) : text;
    }
}

/// <summary>
/// One item of the production-readiness checklist. It passes only when a rendered manifest field proves it
/// (<see cref="Evidence"/> is then never empty); otherwise it fails or does not apply, with the reason.
/// </summary>
public sealed record ReadinessItem(string Id, string Title, bool Passed, string Reason)
{
    /// <summary>Why the item passed, failed or does not apply (one copy of each text, as for the evidence).</summary>
    public string Reason { get; init; } = ReadinessEvidence.Shared(Reason);

    /// <summary>Pass, fail or not applicable; <see cref="Passed"/> is true exactly for <see cref="ReadinessStatus.Pass"/>.</summary>
    public ReadinessStatus Status { get; init; } = Passed ? ReadinessStatus.Pass : ReadinessStatus.Fail;

    /// <summary>The manifest fields that prove the item (for a pass) or that were looked at (for a fail).</summary>
    public IReadOnlyList<ReadinessEvidence> Evidence { get; init; } = [];
}

/// <summary>The checklist of one deployment in one environment.</summary>
public sealed record ReadinessChecklist(string Deployment, string Environment, IReadOnlyList<ReadinessItem> Items)
{
    /// <summary>Items that pass.</summary>
    public int PassedCount => Items.Count(i => i.Status == ReadinessStatus.Pass);

    /// <summary>Items that do not apply to this deployment.</summary>
    public int NotApplicableCount => Items.Count(i => i.Status == ReadinessStatus.NotApplicable);

    /// <summary>True when every item that applies passes.</summary>
    public bool IsReady => Items.All(i => i.Status != ReadinessStatus.Fail);

    /// <summary>
    /// The checklist with its evidence pointing where <paramref name="layout"/> writes it: in the per-app layout the
    /// app's <c>manifests.yaml</c>, each field path prefixed with its object as the drift output names it
    /// (<c>[Deployment/chat] spec.replicas</c>). <paramref name="documents"/> are the deployment's objects, by per-object path.
    /// </summary>
    internal ReadinessChecklist InLayout(IReadOnlyList<ObjectDocument> documents, ManifestLayout layout)
    {
        if (layout != ManifestLayout.PerApp)
        {
            return this;
        }

        var objects = new Dictionary<string, (string File, string Label)>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var kind = document.Document.TryGet("kind", out var k) && k is ScalarNode kindText ? kindText.Text : string.Empty;
            var name = document.Document.TryGet("metadata", out var m) && m is MapNode metadata && metadata.TryGet("name", out var n) && n is ScalarNode nameText ? nameText.Text : string.Empty;
            objects[document.Path] = (document.Path.Substring(0, document.Path.LastIndexOf('/') + 1) + ManifestRenderer.BundleFileName, $"[{kind}/{name}] ");
        }

        return this with
        {
            Items = Items.Select(i => i with
            {
                Evidence = i.Evidence.Select(e => objects.TryGetValue(e.File, out var o) ? e with { File = o.File, Field = o.Label + e.Field } : e).ToArray(),
            }).ToArray(),
        };
    }

    /// <summary>
    /// The items, decided from the manifests rendered for the deployment and its rule findings (a suppressed finding
    /// counts as covered: its justification is in the report). An item passes only with the manifest fields that prove
    /// it; a setting that reaches no manifest proves nothing.
    /// </summary>
    public static ReadinessChecklist For(InferenceDeployment d, IEnumerable<Finding> findings) => For(d, findings, null, null);

    /// <summary>
    /// As <see cref="For(InferenceDeployment, IEnumerable{Finding}, IReadOnlyList{ObjectDocument}?, string?)"/>, for the
    /// gate's parallel render: a checklist that cannot be decided fails every item with the reason, never throws.
    /// </summary>
    internal static ReadinessChecklist Safe(InferenceDeployment d, IEnumerable<Finding> findings, IReadOnlyList<ObjectDocument>? documents, string? problem)
    {
        try
        {
            return For(d, findings, documents, problem);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidCastException or ArgumentException or OverflowException or InvalidOperationException or KeyNotFoundException)
        {
            return new ReadinessChecklist(d.Name, d.Environment?.Name ?? string.Empty,
                Titles.Select(t => new ReadinessItem(t.Value.Id, t.Value.Title, false, $"the checklist could not be decided for this deployment ({e.GetType().Name}); check that every required property is set")).ToArray());
        }
    }

    /// <summary>As <see cref="For(InferenceDeployment, IEnumerable{Finding})"/>, from manifests already built for <paramref name="d"/> (null: build them).</summary>
    internal static ReadinessChecklist For(InferenceDeployment d, IEnumerable<Finding> findings, IReadOnlyList<ObjectDocument>? documents, string? problem)
    {
        ArgumentNullException.ThrowIfNull(d);
        var own = findings.Where(f => f.Outcome == FindingOutcome.Violation && f.Deployment == d.Name && f.Environment == (d.Environment?.Name ?? string.Empty)).ToArray();
        return InvariantCultureScope.Run(() =>
        {
            var rendered = documents is null ? RenderedManifests.Of(d) : RenderedManifests.From(documents, problem);
            var items = new (string Key, Func<InferenceDeployment, RenderedManifests, IReadOnlyList<Finding>, ReadinessItem> Decide)[]
            {
                (nameof(Probes), Probes), (nameof(Metrics), Metrics), (nameof(Logs), Logs), (nameof(Traces), Traces), (nameof(FailureModes), FailureModes),
                (nameof(Rollback), Rollback), (nameof(Resources), Resources), (nameof(Access), Access), (nameof(NetworkPolicy), NetworkPolicy),
                (nameof(Weights), Weights), (nameof(Placement), Placement), (nameof(Alerts), Alerts),
            };
            return new ReadinessChecklist(d.Name, d.Environment?.Name ?? string.Empty, items.Select(item => rendered.Problem is { } problem
                ? Fail(item.Key, "no manifest was rendered for this deployment: " + problem)
                : item.Decide(d, rendered, own)).ToArray());
        });
    }

    private static readonly Dictionary<string, (string Id, string Title)> Titles = new(StringComparer.Ordinal)
    {
        [nameof(Probes)] = ("probes", "Health and readiness probes exist and cover the model load"),
        [nameof(Metrics)] = ("metrics", "Metrics are scraped"),
        [nameof(Logs)] = ("logs", "Logs are structured (JSON)"),
        [nameof(Traces)] = ("traces", "Traces are exported"),
        [nameof(FailureModes)] = ("failure-modes", "Failure modes are covered"),
        [nameof(Rollback)] = ("rollback", "Rollback or canary is defined"),
        [nameof(Resources)] = ("resources", "Resource limits and quotas are set"),
        [nameof(Access)] = ("access", "Least-privilege access and secrets handling"),
        [nameof(NetworkPolicy)] = ("network", "The NetworkPolicy allows every endpoint the deployment uses"),
        [nameof(Weights)] = ("weights", "Weights load from a cache, not a per-pod download"),
        [nameof(Placement)] = ("placement", "Pods land on nodes with their GPU"),
        [nameof(Alerts)] = ("alerts", "Alert thresholds are mapped to SLOs"),
    };

    private static ReadinessItem Pass(string key, string reason, IEnumerable<ReadinessEvidence?> evidence)
    {
        var proof = evidence.OfType<ReadinessEvidence>().ToArray();
        var (id, title) = Titles[key];

        // The invariant of the checklist: nothing passes without a manifest field that proves it.
        return proof.Length == 0
            ? new ReadinessItem(id, title, false, reason + "; but no rendered manifest field proves it")
            : new ReadinessItem(id, title, true, reason) { Evidence = proof };
    }

    private static ReadinessItem Fail(string key, string reason, IEnumerable<ReadinessEvidence?>? looked = null)
    {
        var (id, title) = Titles[key];
        return new ReadinessItem(id, title, false, reason) { Evidence = (looked ?? []).OfType<ReadinessEvidence>().ToArray() };
    }

    private static ReadinessItem NotApplicable(string key, string reason)
    {
        var (id, title) = Titles[key];
        return new ReadinessItem(id, title, false, reason) { Status = ReadinessStatus.NotApplicable };
    }

    private static string ContainerPath(InferenceDeployment d, RenderedManifests m) => $"{m.PodTemplate}.spec.containers[{d.Engine?.Kind}]";

    private static ReadinessItem Probes(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var pod = m.PodOwner;
        var container = ContainerPath(d, m);
        var p = d.Probes;
        var missing = new[] { ("startup", p?.Startup), ("readiness", p?.Readiness), ("liveness", p?.Liveness) }.Where(x => x.Item2 is null).Select(x => x.Item1).ToArray();
        var group = d.Accelerator is { Nodes: > 1 and var nodes }
            ? $" on each {nodes}-node group's leader (its workers serve no API; a group restarts as one when any pod does)"
            : string.Empty;
        if (missing.Length > 0)
        {
            return Fail(nameof(Probes), $"no {string.Join(", no ", missing)} probe{group}");
        }

        var startup = RenderedManifests.Evidence(pod, container + ".startupProbe", node => Tolerance(node));
        var readiness = RenderedManifests.Evidence(pod, container + ".readinessProbe.httpGet.path");
        var liveness = RenderedManifests.Evidence(pod, container + ".livenessProbe.httpGet.path");
        var deadline = RenderedManifests.Evidence(pod, "spec.progressDeadlineSeconds", node => RenderedManifests.Describe(node) + " s");
        var evidence = new[] { startup, readiness, liveness, deadline };
        var gaps = own.Where(f => f.Id is "CAC1005" or "CAC1027" or "CAC1029" or "CAC1012" or "CAC1004").Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        if (gaps.Length > 0)
        {
            return Fail(nameof(Probes), $"probe findings {string.Join(", ", gaps)}", evidence);
        }

        var budget = StartupBudget.For(d);
        if (budget.EngineStart is not { } start)
        {
            return Fail(nameof(Probes), "the model's load time is unknown, so nothing shows the startup probe covers it; declare Model.LoadTime", evidence);
        }

        var fetch = budget.Fetch is { } f && f > TimeSpan.Zero ? $", fetch of {Minutes(f)} before the engine starts inside the progress deadline" : string.Empty;
        return Pass(nameof(Probes), $"startup tolerates {Minutes(p!.Startup!.Tolerance)} against an estimated {Minutes(start)} to load{fetch}; readiness on {p.Readiness!.Path}, liveness on {p.Liveness!.Path}{group}", evidence);
    }

    private static ReadinessItem Metrics(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        if (d.Observability is not { ScrapeMetrics: true } o)
        {
            return Fail(nameof(Metrics), "metrics are not scraped (Observability.ScrapeMetrics = false)");
        }

        var podMonitor = m.Find("PodMonitor");
        var scrape = podMonitor is not null
            ? RenderedManifests.Evidence(podMonitor, "spec.podMetricsEndpoints[0]")
            : RenderedManifests.Evidence(m.PodOwner, m.PodTemplate + ".metadata.annotations[prometheus.io/scrape]");
        var (_, metricsPort) = TrafficPlan.Ports(d.Engine);
        var admitted = IngressRule(m, metricsPort, TrafficPlan.For(d).Ingress.FirstOrDefault(p => p.Purpose == "metrics scraping")?.Namespace);
        if (admitted is null)
        {
            return Fail(nameof(Metrics), $"the NetworkPolicy admits no scraper on the metrics port {metricsPort.ToString(CultureInfo.InvariantCulture)}" + Findings(own, "CAC2015"), [scrape]);
        }

        return Pass(nameof(Metrics), $"scraped every {o.ScrapeIntervalSeconds.ToString(CultureInfo.InvariantCulture)}s {(podMonitor is null ? "by annotation" : "by a PodMonitor")}, port {metricsPort.ToString(CultureInfo.InvariantCulture)} open to the scraper", [scrape, admitted]);
    }

    private static ReadinessItem Logs(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        if (d.Observability is null)
        {
            return Fail(nameof(Logs), "Observability is not set");
        }

        if (!d.Observability.StructuredLogs)
        {
            // A declared choice, visible as such: the log pipeline parses the engine's text lines.
            return NotApplicable(nameof(Logs), "JSON logs are not asked for (Observability.StructuredLogs = false): the log pipeline parses the engine's text format");
        }

        var json = ArgEvidence(m, d, "--json-output");
        return json is not null
            ? Pass(nameof(Logs), "the engine writes JSON logs", [json])
            : Fail(nameof(Logs), d.Engine switch
            {
                VllmEngine => "vLLM has no JSON log switch, so no manifest field makes its logs JSON (its logging is a Python dictConfig file, VLLM_LOGGING_CONFIG_PATH, with a JSON formatter the image must ship). Parse its text format in the log pipeline and set Observability.StructuredLogs = false to say so",
                TritonEngine => "Triton writes text logs (--log-format is default or ISO8601); no manifest field makes them JSON. Parse them in the log pipeline and set Observability.StructuredLogs = false to say so",
                _ => "no manifest field makes the engine's logs JSON",
            });
    }

    private static ReadinessItem Traces(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        if (d.Observability?.Traces is not { } traces)
        {
            return Fail(nameof(Traces), "no trace export (Observability.Traces)");
        }

        var flag = d.Engine is TgiEngine ? "--otlp-endpoint" : "--otlp-traces-endpoint";
        var export = ArgEvidence(m, d, flag);
        if (export is null)
        {
            return Fail(nameof(Traces), $"{d.Engine?.Kind} exports no traces from any rendered setting (Triton's --trace-config is not rendered)");
        }

        var endpoint = TrafficPlan.For(d).Egress.FirstOrDefault(e => e.PropertyPath == "Observability.Traces.OtlpEndpoint");
        if (endpoint is null or { Route: EgressRoute.Unreachable or EgressRoute.Invalid })
        {
            return Fail(nameof(Traces), $"the NetworkPolicy does not allow the collector at {traces.OtlpEndpoint}" + Findings(own, "CAC2015", "CAC2017"), [export]);
        }

        var allowed = EgressEvidence(m, d, endpoint);
        return Pass(nameof(Traces), $"traces go to {traces.OtlpEndpoint} at {traces.SamplingRatio.ToString("0.###", CultureInfo.InvariantCulture)}, allowed by the NetworkPolicy", [export, allowed]);
    }

    private static ReadinessItem FailureModes(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var uncovered = own.Where(f => f.Id.StartsWith("CAC1", StringComparison.Ordinal) || f.Id.StartsWith("CAC3", StringComparison.Ordinal)).Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        var replicas = d.Scaling?.MinReplicas ?? 0;
        var pdb = RenderedManifests.Evidence(m.Find("PodDisruptionBudget"), "spec.maxUnavailable") ?? RenderedManifests.Evidence(m.Find("PodDisruptionBudget"), "spec.minAvailable");
        var count = RenderedManifests.Evidence(m.Find("HorizontalPodAutoscaler"), "spec.minReplicas") ?? RenderedManifests.Evidence(m.Find("ScaledObject"), "spec.minReplicaCount")
            ?? RenderedManifests.Evidence(m.Find("Rollout") ?? m.Find("Deployment") ?? m.Find("LeaderWorkerSet"), "spec.replicas");
        var grace = RenderedManifests.Evidence(m.PodOwner, m.PodTemplate + ".spec.terminationGracePeriodSeconds", node => RenderedManifests.Describe(node) + " s");
        var evidence = new[] { count, pdb, grace };
        var gaps = new List<string>();
        if (pdb is null)
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
            ? Pass(nameof(FailureModes), $"{replicas}+ replicas, {budget}KV cache and parallelism fit the GPUs, graceful drain of in-flight requests", evidence)
            : Fail(nameof(FailureModes), string.Join("; ", gaps), evidence);
    }

    private static ReadinessItem Rollback(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var strategy = d.Rollout;
        if (strategy is null)
        {
            return Fail(nameof(Rollback), "Rollout is not set");
        }

        if (strategy.RevisionHistoryLimit < 1)
        {
            return Fail(nameof(Rollback), "RevisionHistoryLimit 0: no previous version is kept to roll back to");
        }

        if (strategy is RollingUpdate rolling)
        {
            var deployment = m.Find("Deployment");
            return Pass(nameof(Rollback), $"rolling update (surge {rolling.MaxSurge}, unavailable {rolling.MaxUnavailable}); roll back by reverting the commit, {strategy.RevisionHistoryLimit} revisions kept; no automatic rollback",
                [RenderedManifests.Evidence(deployment, "spec.revisionHistoryLimit"), RenderedManifests.Evidence(deployment, "spec.strategy.rollingUpdate.maxUnavailable")]);
        }

        var kind = strategy switch { CanaryRollout => "canary", RampRollout => "ramp", _ => "shadow" };
        var rollout = m.Find("Rollout");
        var analysis = RenderedManifests.Evidence(rollout, "spec.strategy.canary.analysis.templates[0].templateName");
        if (analysis is null)
        {
            return Fail(nameof(Rollback), $"{kind} without measurable guardrails: a bad version is not rolled back automatically", [RenderedManifests.Evidence(rollout, "spec.strategy.canary.steps")]);
        }

        var measurable = RolloutPlan.Measurable(d, RolloutPlan.Resolve(d));
        return Pass(nameof(Rollback), $"{kind} with guardrails on {string.Join(", ", measurable)}; a failed analysis or a missed progress deadline aborts and returns traffic to the stable version",
            [analysis, RenderedManifests.Evidence(rollout, "spec.progressDeadlineAbort"), RenderedManifests.Evidence(rollout, "spec.workloadRef.scaleDown")]);
    }

    private static ReadinessItem Resources(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var container = ContainerPath(d, m);
        var requests = RenderedManifests.Evidence(m.PodOwner, container + ".resources.requests");
        var limits = RenderedManifests.Evidence(m.PodOwner, container + ".resources.limits");
        var r = d.Resources;
        if (r is null || r.CpuRequestMillicores is not > 0 || r.MemoryRequestMiB is not > 0 || r.MemoryLimitMiB is not > 0
            || RenderedManifests.Get(m.PodOwner, container + ".resources.limits.memory") is null)
        {
            return Fail(nameof(Resources), "CPU and memory requests and a memory limit must be set", [requests, limits]);
        }

        return Pass(nameof(Resources), $"{(d.Accelerator?.Gpu is { } gpuKind ? Rendering.DeploymentManifest.GpuResourceName(gpuKind) : "nvidia.com/gpu")} {d.Accelerator?.Count}{(d.Accelerator is { Nodes: > 1 and var podNodes } ? $" per pod on {podNodes} pods per replica" : string.Empty)}; replicas bounded {d.Scaling?.MinReplicas}–{d.Scaling?.MaxReplicas} (namespace ResourceQuota is the cluster's, not generated)", [requests, limits]);
    }

    private static ReadinessItem Access(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var security = own.Where(f => f.Id.StartsWith("CAC2", StringComparison.Ordinal)).Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        var pod = m.PodOwner;
        var evidence = new[]
        {
            RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.securityContext.runAsNonRoot"),
            RenderedManifests.Evidence(pod, ContainerPath(d, m) + ".securityContext.allowPrivilegeEscalation"),
            RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.automountServiceAccountToken"),
            RenderedManifests.Evidence(m.Find("NetworkPolicy"), "spec.policyTypes"),
        };
        if (security.Length > 0)
        {
            return Fail(nameof(Access), $"security findings {string.Join(", ", security)}", evidence);
        }

        var secrets = (d.Env ?? []).Count(e => e?.Secret is not null) + (d.Engine is VllmEngine { ApiKey: not null } ? 1 : 0);
        return Pass(nameof(Access), $"non-root, no privilege escalation, own ServiceAccount{(d.Security?.AutomountServiceAccountToken == false ? " without API token" : string.Empty)}, NetworkPolicy, {secrets} secret(s) by reference and none in plain text", evidence);
    }

    private static ReadinessItem NetworkPolicy(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var plan = TrafficPlan.For(d);
        var blocked = plan.Egress.Where(e => e.Route is EgressRoute.Unreachable or EgressRoute.Invalid).ToArray();
        var policy = m.Find("NetworkPolicy");
        if (blocked.Length > 0 || plan.Unreachable.Count > 0 || plan.Invalid.Count > 0)
        {
            var named = blocked.Select(e => $"{e.Purpose} {e.Endpoint.Url}").Concat(plan.Unreachable.Where(u => blocked.All(b => b.PropertyPath != u.Path)).Select(u => u.Path)).ToArray();
            return Fail(nameof(NetworkPolicy), $"blocked or invalid: {string.Join("; ", named.Length > 0 ? named : plan.Invalid.Select(i => i.Path))}" + Findings(own, "CAC2015", "CAC2017"), [RenderedManifests.Evidence(policy, "spec.egress")]);
        }

        var evidence = plan.Egress.Where(e => e.Route != EgressRoute.Loopback).Select(e => EgressEvidence(m, d, e)).ToList();
        evidence.Insert(0, RenderedManifests.Evidence(policy, "spec.policyTypes"));
        var used = plan.Egress.Count(e => e.Route != EgressRoute.Loopback);
        var wide = own.Any(f => f.Id == "CAC2016") ? "; but egress is open to most of the internet (CAC2016)" : string.Empty;
        if (wide.Length > 0)
        {
            return Fail(nameof(NetworkPolicy), $"{used} endpoint(s) allowed{wide}", evidence);
        }

        return Pass(nameof(NetworkPolicy), used == 0
            ? "no endpoint besides DNS is used, and the policy allows nothing else"
            : $"{used} endpoint(s) used, each allowed by a rule for its namespace, range or the egress proxy: {string.Join(", ", plan.Egress.Where(e => e.Route != EgressRoute.Loopback).Select(e => e.Endpoint.HostPort))}", evidence);
    }

    private static ReadinessItem Weights(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var plan = WeightsPlan.For(d);
        var pod = m.PodOwner;
        switch (plan.Delivery)
        {
            case WeightsDelivery.EngineDownload or WeightsDelivery.InitFetch when plan.Cache is PodLocalCache:
                var emptyDir = RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.volumes[cache].emptyDir.sizeLimit");
                return d.Environment?.IsProduction == true
                    ? Fail(nameof(Weights), "every pod downloads the weights into its own emptyDir (CAC1025)", [emptyDir])
                    : NotApplicable(nameof(Weights), $"{d.Environment?.Name}: the per-pod download is allowed outside production");
            case WeightsDelivery.InitFetch:
                var claim = RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.volumes[weights].persistentVolumeClaim.claimName");
                var size = RenderedManifests.Evidence(m.Find("PersistentVolumeClaim"), "spec.resources.requests.storage");
                var offline = RenderedManifests.Evidence(pod, ContainerPath(d, m) + ".env[HF_HUB_OFFLINE].value");
                var fetcher = RenderedManifests.Evidence(pod, $"{m.PodTemplate}.spec.initContainers[{WeightsPlan.FetchContainer}].image");
                var kind = plan.Cache is NodeLocalCache ? "a node-local claim: each node fetches once" : "a shared claim: the first pod of a revision fetches, every later pod mounts it read-only";
                return claim is null ? Fail(nameof(Weights), "no weights volume is rendered", [fetcher]) : Pass(nameof(Weights), $"weights cached on {kind}", [claim, size, fetcher, offline]);
            case WeightsDelivery.Mounted:
                var mounted = RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.volumes[weights]");
                return Pass(nameof(Weights), plan.Origin == WeightsOrigin.Image ? "weights mounted from an OCI image the node keeps in its image store" : "weights mounted read-only from a claim that already holds them", [mounted, RenderedManifests.Evidence(pod, ContainerPath(d, m) + ".volumeMounts[weights].readOnly")]);
            default:
                return Pass(nameof(Weights), "the model repository is inside the container image", [ArgEvidence(m, d, "--model-repository")]);
        }
    }

    private static ReadinessItem Placement(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        var pod = m.PodOwner;
        var selector = RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.nodeSelector") ?? RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions", node => Expressions(node));
        var tolerations = RenderedManifests.Evidence(pod, m.PodTemplate + ".spec.tolerations", node => string.Join(", ", ((ListNode)node).Items.OfType<MapNode>().Select(t => RenderedManifests.Describe(t))));
        if (selector is null)
        {
            return Fail(nameof(Placement), $"no node label selects {d.Accelerator?.Gpu?.Name}: the pods may land on any GPU node" + Findings(own, "CAC1028"), [tolerations]);
        }

        return Pass(nameof(Placement), $"{d.Cluster?.Placement?.Scheme} labels select {d.Accelerator?.Gpu?.Name}, GPU taints tolerated", [selector, tolerations]);
    }

    private static ReadinessItem Alerts(InferenceDeployment d, RenderedManifests m, IReadOnlyList<Finding> own)
    {
        if (d.Slos is null)
        {
            return Fail(nameof(Alerts), "no Slos: no alert threshold can be derived");
        }

        if (d.Observability?.ScrapeMetrics != true)
        {
            return Fail(nameof(Alerts), "metrics are not scraped, so no SLO can be measured");
        }

        var (objectives, unmeasurable) = SloObjectives.For(d);
        if (objectives.Count == 0 || unmeasurable.Count > 0)
        {
            var reasons = unmeasurable.Select(u => $"{u.Property}: {u.Reason}").ToList();
            if (objectives.Count == 0 && reasons.Count == 0)
            {
                reasons.Add("the Slos declare no objective an alert can measure (Availability, MaxErrorRate or a latency)");
            }

            return Fail(nameof(Alerts), string.Join("; ", reasons));
        }

        var rule = m.Find("PrometheusRule");
        return Pass(nameof(Alerts), $"PrometheusRule {d.Name}-slos: fast (14.4x, 6x) and slow (3x, 1x) burn-rate alerts on {string.Join(", ", objectives.Select(o => o.Name))}",
            [RenderedManifests.Evidence(rule, $"spec.groups[{d.Name}-slo-alerts].rules", node => string.Join(", ", ((ListNode)node).Items.OfType<MapNode>().Select(r => RenderedManifests.Describe(r["alert"])).Distinct(StringComparer.Ordinal)))]);
    }

    /// <summary>The engine argument <paramref name="flag"/> as evidence, whatever its value.</summary>
    private static ReadinessEvidence? ArgEvidence(RenderedManifests m, InferenceDeployment d, string flag)
    {
        var pod = m.PodOwner;
        if (RenderedManifests.Get(pod, ContainerPath(d, m) + ".args") is not ListNode args)
        {
            return null;
        }

        var arg = args.Items.OfType<ScalarNode>().FirstOrDefault(a => a.Text == flag || a.Text.StartsWith(flag + "=", StringComparison.Ordinal));
        return arg is null ? null : new ReadinessEvidence(pod!.Path, ContainerPath(d, m) + ".args " + flag, arg.Text.Length > flag.Length ? arg.Text.Substring(flag.Length + 1) : "(set)");
    }

    /// <summary>The rendered egress rule that allows <paramref name="endpoint"/>: its index and peer.</summary>
    private static ReadinessEvidence? EgressEvidence(RenderedManifests m, InferenceDeployment d, UsedEndpoint endpoint)
    {
        var policy = m.Find("NetworkPolicy");
        if (RenderedManifests.Get(policy, "spec.egress") is not ListNode rules)
        {
            return null;
        }

        var target = endpoint.Route == EgressRoute.Proxy ? TrafficPlan.For(d).Proxy ?? endpoint.Endpoint : endpoint.Endpoint;
        var ownNamespace = target.Placement == EndpointPlacement.SameNamespace || string.Equals(target.Namespace, ClusterLayout.NamespaceOf(d), StringComparison.Ordinal);
        for (var i = 0; i < rules.Items.Count; i++)
        {
            if (rules.Items[i] is not MapNode rule || !HasPort(rule, target.Port))
            {
                continue;
            }

            var peers = rule.TryGet("to", out var to) && to is ListNode list ? list.Items.OfType<MapNode>().ToArray() : [];
            var match = endpoint.Route switch
            {
                EgressRoute.Cidrs => peers.Any(p => p.TryGet("ipBlock", out _)),
                _ when ownNamespace => peers.Any(p => p.TryGet("podSelector", out _) && !p.TryGet("namespaceSelector", out _)),
                _ => peers.Any(p => RenderedManifests.Get(new ObjectDocument(string.Empty, p), "namespaceSelector.matchLabels[kubernetes.io/metadata.name]") is ScalarNode ns && ns.Text == target.Namespace),
            };
            if (match)
            {
                var via = endpoint.Route == EgressRoute.Proxy ? $" via the egress proxy {target.HostPort}" : string.Empty;
                return new ReadinessEvidence(policy!.Path, $"spec.egress[{i.ToString(CultureInfo.InvariantCulture)}]", $"{endpoint.Purpose} {endpoint.Endpoint.HostPort}{via}");
            }
        }

        return null;
    }

    /// <summary>The rendered ingress rule that admits <paramref name="ns"/> (null: the pod's own namespace) on <paramref name="port"/>.</summary>
    private static ReadinessEvidence? IngressRule(RenderedManifests m, int port, string? ns)
    {
        var policy = m.Find("NetworkPolicy");
        if (RenderedManifests.Get(policy, "spec.ingress") is not ListNode rules)
        {
            return null;
        }

        for (var i = 0; i < rules.Items.Count; i++)
        {
            if (rules.Items[i] is not MapNode rule || !HasPort(rule, port))
            {
                continue;
            }

            if (!rule.TryGet("from", out var from) || from is not ListNode peers
                || peers.Items.OfType<MapNode>().Any(p => ns is null
                    ? p.TryGet("podSelector", out _) && !p.TryGet("namespaceSelector", out _)
                    : RenderedManifests.Get(new ObjectDocument(string.Empty, p), "namespaceSelector.matchLabels[kubernetes.io/metadata.name]") is ScalarNode s && s.Text == ns))
            {
                return new ReadinessEvidence(policy!.Path, $"spec.ingress[{i.ToString(CultureInfo.InvariantCulture)}]", $"{ns ?? "own namespace"} on port {port.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        return null;
    }

    private static bool HasPort(MapNode rule, int port) =>
        !rule.TryGet("ports", out var ports) || (ports is ListNode list && list.Items.OfType<MapNode>().Any(p => p.TryGet("port", out var value) && value is ScalarNode s && s.Text == port.ToString(CultureInfo.InvariantCulture)));

    private static string Tolerance(ManifestNode probe)
    {
        var map = (MapNode)probe;
        var period = map.TryGet("periodSeconds", out var p) ? int.Parse(((ScalarNode)p).Text, CultureInfo.InvariantCulture) : 10;
        var threshold = map.TryGet("failureThreshold", out var t) ? int.Parse(((ScalarNode)t).Text, CultureInfo.InvariantCulture) : 3;
        var delay = map.TryGet("initialDelaySeconds", out var i) ? int.Parse(((ScalarNode)i).Text, CultureInfo.InvariantCulture) : 0;
        var path = RenderedManifests.Get(new ObjectDocument(string.Empty, map), "httpGet.path") is ScalarNode s ? s.Text : "?";
        return $"{path}, failureThreshold {threshold.ToString(CultureInfo.InvariantCulture)} x periodSeconds {period.ToString(CultureInfo.InvariantCulture)} = {(delay + (threshold * period)).ToString(CultureInfo.InvariantCulture)} s";
    }

    private static string Expressions(ManifestNode node) =>
        string.Join("; ", ((ListNode)node).Items.OfType<MapNode>().Select(e => $"{RenderedManifests.Describe(e["key"])} in ({RenderedManifests.Describe(e["values"])})"));

    private static string Findings(IReadOnlyList<Finding> own, params string[] ids)
    {
        var found = own.Where(f => ids.Contains(f.Id)).Select(f => f.Id).Distinct().OrderBy(i => i, StringComparer.Ordinal).ToArray();
        return found.Length == 0 ? string.Empty : $" ({string.Join(", ", found)})";
    }

    private static string Minutes(TimeSpan value) => value.TotalMinutes >= 1 ? $"{value.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : $"{value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
}
