using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>Options of a rendering run.</summary>
public sealed record RenderOptions
{
    /// <summary>The platform's name, stamped as <c>app.kubernetes.io/part-of</c>.</summary>
    public string PlatformName { get; init; } = "inference-platform";

    /// <summary>
    /// The config project that owns the snapshot folder (its assembly's name), recorded in the ownership index only,
    /// never in a manifest: another project's build refuses the folder (<c>CAC9011</c>) instead of calling its files
    /// orphans. Null (library callers, the tool) records none.
    /// </summary>
    public string? ProjectName { get; init; }

    /// <summary>Recorded in the provenance sidecar only, never in a manifest.</summary>
    public string GeneratorVersion { get; init; } = typeof(ManifestRenderer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Streaming: when set, every file is handed to it as soon as it is written (from worker threads), and only the
    /// files it returns true for are kept in the result; no provenance file is produced (the caller, which saw every
    /// file, writes its own). The gate compares each file with its snapshot here, so 60,000 files are never held.
    /// </summary>
    public Func<RenderedFile, bool>? Keep { get; init; }

    /// <summary>
    /// Called with each deployment's index, its object trees (or the reason none were built), from worker threads,
    /// before the trees are dropped: the gate decides readiness from them here instead of building them a second time.
    /// </summary>
    public Action<int, IReadOnlyList<ObjectDocument>, Finding?>? Inspect { get; init; }

    /// <summary><c>ConfigAsCodeLayout</c>: one object per file (the default), or one multi-document file per app.</summary>
    public ManifestLayout Layout { get; init; } = ManifestLayout.PerObject;
}

/// <summary>How the objects of the GitOps folder are spread over files.</summary>
public enum ManifestLayout
{
    /// <summary><c>&lt;env&gt;/&lt;app&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>: one object per file (<c>ConfigAsCodeLayout=object</c>, the default).</summary>
    PerObject,

    /// <summary>
    /// <c>&lt;env&gt;/&lt;app&gt;/manifests.yaml</c>: every object of one app and environment in one multi-document file, in the
    /// order and with the bytes the per-object layout gives them, separated by <c>---</c> (<c>ConfigAsCodeLayout=app</c>).
    /// </summary>
    PerApp,
}

/// <summary>One Kubernetes object and the file it is written to.</summary>
public sealed record RenderedObject(string Environment, string App, string ApiVersion, string Kind, string Name, string Path)
{
    /// <summary>The object's <c>metadata.namespace</c>; null for a cluster-scoped object (a Namespace).</summary>
    public string? Namespace { get; init; }
}

/// <summary>A built object tree, before it is written (for tests and tools that inspect structure).</summary>
public sealed record ObjectDocument(string Path, MapNode Document);

/// <summary>
/// One file of the GitOps folder: a path relative to the snapshot root (always <c>/</c>-separated) and its
/// UTF-8 bytes (no BOM). Bytes, not strings: at 60,000 files UTF-16 copies would double the memory.
/// </summary>
public sealed record RenderedFile(string Path, byte[] Utf8)
{
    private static readonly System.Text.UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A file with this text.</summary>
    public RenderedFile(string path, string content)
        : this(path, Utf8NoBom.GetBytes(content))
    {
    }

    /// <summary>The text, decoded.</summary>
    public string Content => Utf8NoBom.GetString(Utf8);
}

/// <summary>The files, the objects they hold, and the deployments that could not be rendered.</summary>
public sealed record RenderResult(IReadOnlyList<RenderedFile> Files, IReadOnlyList<RenderedObject> Objects, IReadOnlyList<Finding> Findings);

/// <summary>
/// Renders deployments into the GitOps layout <c>&lt;env&gt;/&lt;app&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>, one object per
/// file, with a <c>kustomization.yaml</c> per app and per environment, namespaces under <c>&lt;env&gt;/_namespaces/</c>
/// and provenance in <c>.configascode/provenance.json</c>, outside every applied folder. Pure: the same
/// deployments give the same bytes on any machine, culture or time zone.
/// </summary>
public static class ManifestRenderer
{
    public const string NamespacesFolder = "_namespaces";
    public const string ProvenancePath = ".configascode/provenance.json";

    /// <summary>The one manifest file of an app folder (and of <c>_namespaces</c>) in the per-app layout.</summary>
    public const string BundleFileName = "manifests.yaml";

    /// <summary>What separates two objects in a per-app file.</summary>
    internal static ReadOnlySpan<byte> DocumentSeparator => "---\n"u8;

    public static RenderResult Render(IReadOnlyList<InferenceDeployment> deployments, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        options ??= new RenderOptions();
        return InvariantCultureScope.Run(() => RenderInvariant(deployments, options));
    }

    private static RenderResult RenderInvariant(IReadOnlyList<InferenceDeployment> deployments, RenderOptions options)
    {
        var perDeployment = new (List<(RenderedObject Object, RenderedFile? File)> Objects, Finding? Problem)[deployments.Count];
        InvariantCultureScope.ForEach(deployments.Count, i =>
        {
            var (documents, problem) = BuildDocuments(deployments[i], options);
            options.Inspect?.Invoke(i, documents, problem);

            // Written at once so the trees die young: holding 50,000 trees costs more in GC than writing them.
            perDeployment[i] = (Files(documents, options), problem);
        });

        var objects = new List<(RenderedObject Object, RenderedFile? File)>();
        var findings = new List<Finding>();
        foreach (var (rendered, problem) in perDeployment)
        {
            objects.AddRange(rendered);
            if (problem is not null)
            {
                findings.Add(problem);
            }
        }

        // Two objects of one environment with the same identity: kustomize refuses the environment, a plain apply keeps
        // whichever comes last. The environment's namespaces are rendered below, once each, and cannot collide.
        findings.AddRange(Collisions(deployments, perDeployment));

        var renderable = deployments.Where((_, i) => perDeployment[i].Problem is null || perDeployment[i].Objects.Count > 0).ToArray();
        foreach (var environment in renderable.GroupBy(d => d.Environment.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var namespaces = environment.GroupBy(d => d.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(group => new ObjectDocument($"{environment.Key}/{NamespacesFolder}/namespace-{group.Key}.yaml", NamespaceManifest.Build(group.Key, group.ToArray(), options.PlatformName)))
                .ToArray();
            objects.AddRange(Files(namespaces, options));
        }

        var ordered = objects.OrderBy(o => o.Object.Path, StringComparer.Ordinal).ToArray();
        var all = new List<RenderedFile>(options.Keep is null ? ordered.Length + 1024 : 1024);
        all.AddRange(ordered.Where(o => o.File is not null).Select(o => o.File!));
        void Add(RenderedFile file)
        {
            if (options.Keep is null || options.Keep(file))
            {
                all.Add(file);
            }
        }

        foreach (var app in ordered.Select(o => o.Object).GroupBy(o => (o.Environment, o.App)))
        {
            Add(new RenderedFile($"{app.Key.Environment}/{app.Key.App}/kustomization.yaml", YamlManifestWriter.Write(Kustomization.Build(app.Select(o => o.Path.Substring(o.Path.LastIndexOf('/') + 1))))));
        }

        foreach (var environment in ordered.Select(o => o.Object).GroupBy(o => o.Environment))
        {
            Add(new RenderedFile($"{environment.Key}/kustomization.yaml", YamlManifestWriter.Write(Kustomization.Build(environment.Select(o => o.App)))));
        }

        if (options.Keep is null)
        {
            all.Add(new RenderedFile(ProvenancePath, Provenance.Write(options, all)));
        }

        return new RenderResult(all.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray(), ordered.Select(o => o.Object).ToArray(), findings);
    }

    /// <summary>
    /// CAC9017: an object whose API group, kind, namespace and name another object of the same environment has too (one
    /// <c>deploy/&lt;env&gt;</c> kustomization applies both). Objects are named after their deployment, often with a suffix
    /// (<c>&lt;name&gt;-canary</c>, <c>&lt;name&gt;-group</c>), so a deployment named like another's object takes its name.
    /// One dictionary pass over the identities the renderer already has; the later deployment, in declaration order, is told.
    /// </summary>
    private static List<Finding> Collisions(IReadOnlyList<InferenceDeployment> deployments, (List<(RenderedObject Object, RenderedFile? File)> Objects, Finding? Problem)[] perDeployment)
    {
        var findings = new List<Finding>();
        var owners = new Dictionary<(string Environment, string Group, string Kind, string? Namespace, string Name), int>();
        for (var i = 0; i < perDeployment.Length; i++)
        {
            foreach (var (o, _) in perDeployment[i].Objects)
            {
                var slash = o.ApiVersion.IndexOf('/', StringComparison.Ordinal);
                var key = (o.Environment, slash < 0 ? string.Empty : o.ApiVersion.Substring(0, slash), o.Kind, o.Namespace, o.Name);
                if (owners.TryAdd(key, i))
                {
                    continue;
                }

                var (first, again) = (deployments[owners[key]], deployments[i]);
                var what = $"{o.Kind} {(o.Namespace is null ? string.Empty : o.Namespace + "/")}{o.Name}";
                var by = ReferenceEquals(first, again)
                    ? $"twice by deployment '{again.Name}' ({Where(again)})"
                    : $"by deployment '{first.Name}' (first at {Where(first)}) and again by deployment '{again.Name}' (again at {Where(again)})";
                var fix = o.Kind == "ServiceAccount"
                    ? "Give each deployment its own Security.ServiceAccountName (or leave it unset: the deployment's name)."
                    : $"Rename '{again.Name}' (or '{first.Name}'): a deployment's objects are named after it, some with a suffix ('<name>-canary', '<name>-stable', '<name>-group', …), and another deployment must not be named like one of them; or move one to another namespace.";
                findings.Add(Problem(again, RuleCatalog.ObjectRenderedTwice, "Name",
                    $"{what} is rendered {by} in environment '{o.Environment}'. 'kubectl kustomize' refuses deploy/{o.Environment} (already registered id), so Argo CD cannot sync it, and a plain apply keeps only the last one. {fix}"));
            }
        }

        return findings;
    }

    private static string Where(InferenceDeployment d) =>
        d.DeclaredAt is { IsKnown: true } at ? $"{System.IO.Path.GetFileName(at.FilePath)}({at.Line})" : "an unknown place";

    private static (RenderedObject Object, RenderedFile? File) Kept((RenderedObject Object, RenderedFile File) rendered, RenderOptions options) =>
        options.Keep is null || options.Keep(rendered.File) ? rendered : (rendered.Object, null);

    /// <summary>
    /// The objects of one folder (one deployment's, or one environment's namespaces) and their files: a file each, or,
    /// in the per-app layout, one file holding them all in path order. Only the first object of a per-app file carries it.
    /// </summary>
    private static List<(RenderedObject Object, RenderedFile? File)> Files(IReadOnlyList<ObjectDocument> documents, RenderOptions options)
    {
        var result = new List<(RenderedObject, RenderedFile?)>(documents.Count);
        if (options.Layout != ManifestLayout.PerApp)
        {
            foreach (var document in documents)
            {
                result.Add(Kept(ToObject(document), options));
            }

            return result;
        }

        foreach (var folder in documents.Select(ToObject).GroupBy(o => o.Object.Path.Substring(0, o.Object.Path.LastIndexOf('/') + 1), StringComparer.Ordinal))
        {
            var parts = folder.OrderBy(o => o.Object.Path, StringComparer.Ordinal).ToArray();
            var path = folder.Key + BundleFileName;
            var bytes = new byte[parts.Sum(p => p.File.Utf8.Length) + ((parts.Length - 1) * DocumentSeparator.Length)];
            var at = 0;
            foreach (var (_, file) in parts)
            {
                if (at > 0)
                {
                    DocumentSeparator.CopyTo(bytes.AsSpan(at));
                    at += DocumentSeparator.Length;
                }

                file.Utf8.CopyTo(bytes, at);
                at += file.Utf8.Length;
            }

            var (first, bundle) = Kept((parts[0].Object with { Path = path }, new RenderedFile(path, bytes)), options);
            result.Add((first, bundle));
            result.AddRange(parts.Skip(1).Select(p => (p.Object with { Path = path }, (RenderedFile?)null)));
        }

        return result;
    }

    /// <summary>
    /// A value the Kubernetes API server would refuse, or that no manifest can carry: an environment variable name
    /// with '=' or a space (the API rejects it; an older kubectl silently splits it); a ServiceAccount name that is not a
    /// DNS-1123 subdomain; a Service name (the deployment's, and '&lt;name&gt;-canary' and '&lt;name&gt;-stable' of a
    /// progressive rollout) that is not a DNS-1035 label; a port outside 1-65535, or two of Triton's ports that are the
    /// same (the Service lists each port once); an autoscaling target written as 0 or past its type; a PodDisruptionBudget
    /// count that is negative or past int32; or a string with half of a UTF-16 surrogate pair (UTF-8 cannot encode it:
    /// it would be written as U+FFFD, silently not what was declared). Called once <see cref="MissingPart"/> is null.
    /// </summary>
    internal static (string Path, string Message)? RefusedValue(InferenceDeployment d)
    {
        foreach (var env in d.Env ?? [])
        {
            if (env is not null && RefusedValues.EnvVarName(env.Name) is { } name)
            {
                return ($"Env[{Printable(env.Name)}]", name);
            }
        }

        if (RefusedValues.ServiceAccountName(d.Security?.ServiceAccountName) is { } account)
        {
            return ("Security.ServiceAccountName", account);
        }

        if (RefusedServiceName(d) is { } service)
        {
            return ("Name", service);
        }

        if (RefusedPort(d) is { } port)
        {
            return port;
        }

        if (RefusedScalingTarget(d) is { } target)
        {
            return target;
        }

        // MaxUnavailable wins over MinAvailable, as in ServiceManifests.PodDisruptionBudget.
        var (budgetPath, budgetCount) = d.DisruptionBudget?.MaxUnavailable is { } maxUnavailable
            ? ("DisruptionBudget.MaxUnavailable", (int?)maxUnavailable)
            : ("DisruptionBudget.MinAvailable", d.DisruptionBudget?.MinAvailable);
        if (budgetCount is { } pods)
        {
            // Rendered per pod: a multi-node replica's pods count once each (ServiceManifests.PodDisruptionBudget).
            var perPod = (long)pods * Math.Max(1, d.Accelerator.Nodes);
            if (perPod is < 0 or > int.MaxValue)
            {
                return (budgetPath, $"{pods.ToString(CultureInfo.InvariantCulture)} replicas{(d.Accelerator.Nodes > 1 ? $" ({perPod.ToString(CultureInfo.InvariantCulture)} pods at {d.Accelerator.Nodes.ToString(CultureInfo.InvariantCulture)} per replica)" : string.Empty)} is not a PodDisruptionBudget count the API server accepts: it is a non-negative 32-bit integer. Use MaxUnavailable = 1.");
            }
        }

        return Secrets.SecretScanner.UnencodablePath(d) is { } path
            ? (path, "the value contains half of a UTF-16 surrogate pair, which UTF-8 cannot encode; the manifest would silently carry U+FFFD instead. Fix the string (a truncated emoji or a bad escape).")
            : null;
    }

    /// <summary>Why a Service of <paramref name="d"/> would be refused: its name must be a DNS-1035 label (a letter first, at most 63 characters).</summary>
    private static string? RefusedServiceName(InferenceDeployment d)
    {
        if (d.Name is not { Length: > 0 } name)
        {
            return null;
        }

        if (!KubernetesName.IsDns1035Label(name))
        {
            return $"'{Printable(name)}' is not a DNS-1035 label (a letter first, then lowercase letters, digits or '-', at most {KubernetesName.MaxLabelLength} characters): the deployment's Service is named after it, so the API server refuses the Service and Argo CD cannot sync. Start the name with a letter.";
        }

        if (Rollouts.RolloutPlan.IsProgressive(d.Rollout) && !LeaderWorkerSetManifest.IsMultiNode(d))
        {
            foreach (var suffix in new[] { "-canary", "-stable" })
            {
                if (!KubernetesName.IsDns1035Label(name + suffix))
                {
                    return $"'{name}' has {name.Length} characters: its {d.Rollout.GetType().Name} adds the Services '{name}-canary' and '{name}-stable', and a Service's name may have at most {KubernetesName.MaxLabelLength} characters (DNS-1035 label), so the API server refuses them. Shorten the name to at most {KubernetesName.MaxLabelLength - suffix.Length} characters.";
                }
            }
        }

        return null;
    }

    /// <summary>A container or probe port outside 1-65535, or two of Triton's ports that are the same.</summary>
    private static (string Path, string Message)? RefusedPort(InferenceDeployment d)
    {
        var ports = new List<(string Path, int Port)> { ("Engine.HttpPort", d.Engine.HttpPort) };
        if (d.Engine is TritonEngine triton)
        {
            ports.Add(("Engine.GrpcPort", triton.GrpcPort));
            ports.Add(("Engine.MetricsPort", triton.MetricsPort));
        }

        // The leader of a multi-node replica also listens on vLLM's rendezvous port: the API server accepts the
        // collision, but the engine cannot bind both servers to it and the pod crashes at start.
        var rendezvous = d.Engine is VllmEngine && LeaderWorkerSetManifest.IsMultiNode(d) && d.Engine.HttpPort == EngineContainer.MasterPort;
        if (rendezvous)
        {
            return ("Engine.HttpPort", $"{EngineContainer.MasterPort.ToString(CultureInfo.InvariantCulture)} is the port the leader of a multi-node replica keeps for vLLM's torch.distributed rendezvous (--master-port): the API server accepts it, but the engine cannot bind its HTTP server there too and the pod crashes at start. Use another port (vLLM's default is 8000).");
        }

        var probes = new List<(string Path, int Port)>();
        foreach (var (probePath, probe) in new[] { ("Probes.Startup.Port", d.Probes.Startup), ("Probes.Readiness.Port", d.Probes.Readiness), ("Probes.Liveness.Port", d.Probes.Liveness) })
        {
            if (probe?.Port is { } probePort)
            {
                probes.Add((probePath, probePort));
            }
        }

        foreach (var (path, port) in ports.Concat(probes))
        {
            if (RefusedValues.Port(port) is { } refused)
            {
                return (path, refused);
            }
        }

        for (var i = 1; i < ports.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (ports[i].Port == ports[j].Port)
                {
                    return (ports[i].Path, $"{ports[i].Port.ToString(CultureInfo.InvariantCulture)} is also {ports[j].Path}: the Service would list the same port twice (the API server refuses it) and Triton cannot bind both servers to it. Give Triton's HTTP, gRPC and metrics servers three different ports (8000, 8001, 8002 by default).");
                }
            }
        }

        return null;
    }

    /// <summary>The largest per-replica metric target written: KEDA turns a threshold into int64 milli-units (9.2e15), and the HPA's quantity is a decimal.</summary>
    internal const double MaxMetricTarget = 1e15;

    /// <summary>
    /// An autoscaling target the manifest cannot carry as declared. The HPA's <c>averageUtilization</c> is a whole percent
    /// of at least 1; its <c>averageValue</c> is written to 3 decimals and must be positive; KEDA reads a threshold in
    /// thousandths (int64), so below 0.001 it is 0. A 0 target is refused by the API server (or by KEDA's HPA), a target
    /// that overflows was a stack trace. Refused, not clamped: a clamped target is a different scaling policy than the one
    /// reviewed, written without anyone seeing it.
    /// </summary>
    private static (string Path, string Message)? RefusedScalingTarget(InferenceDeployment d)
    {
        var scaling = d.Scaling;
        if (!scaling.IsAutoscaled)
        {
            return null;
        }

        var target = scaling.Signal.TargetPerReplica;
        if (scaling.Keda is null && scaling.Signal.Kind == ScalingSignalKind.Cpu)
        {
            var percent = Math.Round(target);
            if (!(percent >= 1 && percent <= int.MaxValue))
            {
                return ("Scaling.Signal.TargetPerReplica", $"a CPU target of {EngineContainer.Number(target)}% is written as the HorizontalPodAutoscaler's averageUtilization, a whole percent from 1 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}, and it rounds to {EngineContainer.Number(percent)}: the API server refuses the autoscaler (or the int would overflow). Set a CPU target of at least 1%.");
            }
        }
        else if (!IsMetricTarget(target, keda: scaling.Keda is not null))
        {
            return ("Scaling.Signal.TargetPerReplica", $"a target of {EngineContainer.Number(target)} per replica cannot be written: {(scaling.Keda is null ? "the HorizontalPodAutoscaler's averageValue" : "KEDA's threshold")} is kept to thousandths, from 0.001 to {EngineContainer.Number(MaxMetricTarget)}, and a target of 0 is refused. Set a target in that range, for example ScalingSignal.QueueDepth(5).");
        }

        if (scaling.Keda?.KvCacheUsageTarget is { } kv && !IsMetricTarget(kv, keda: true))
        {
            return ("Scaling.Keda.KvCacheUsageTarget", $"a KV-cache usage target of {EngineContainer.Number(kv)} cannot be written: KEDA reads its threshold in thousandths, so it would be 0 (or overflow), and a target of 0 is refused. Use a usage from 0.001 to 1, for example 0.8.");
        }

        return null;
    }

    // The HPA's averageValue is written rounded to thousandths; KEDA truncates its threshold to milli-units
    // (GetMetricTargetMili: int64(threshold * 1000)), so 0.0006 is 0 there while it rounds to 0.001 here.
    private static bool IsMetricTarget(double value, bool keda) =>
        (keda ? Math.Floor(value * 1000) >= 1 : Math.Round(value, 3) >= 0.001) && value <= MaxMetricTarget;

    private static string Printable(string value) => RefusedValues.Printable(value);

    /// <summary>The object trees of one deployment (paths in the layout), or the reason none can be built.</summary>
    public static (IReadOnlyList<ObjectDocument> Documents, Finding? Problem) BuildDocuments(InferenceDeployment d, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        options ??= new RenderOptions();
        var missing = MissingPart(d);
        if (missing is not null)
        {
            return ([], Problem(d, RuleCatalog.NotRenderable, missing, $"{missing} is not set, so no manifest can be written for this deployment. Fix the findings on {missing}."));
        }

        if (RefusedValue(d) is { } refused)
        {
            return ([], Problem(d, RuleCatalog.NotRenderable, refused.Path, refused.Message));
        }

        if (d.Rollout is not RollingUpdate && !Rollouts.RolloutPlan.IsProgressive(d.Rollout))
        {
            return ([], Problem(d, RuleCatalog.RolloutNotRendered, "Rollout", $"{d.Rollout.GetType().Name} is not a strategy this version can render. Nothing was rendered for this deployment rather than a Deployment that would roll out without the declared guardrails."));
        }

        if (LeaderWorkerSetManifest.RenderProblem(d) is { } multiNode)
        {
            return ([], Problem(d, multiNode.Rule, multiNode.Path, multiNode.Message));
        }

        var id = new WorkloadIdentity(d, options.PlatformName);
        var env = d.Environment.Name;
        var result = new List<ObjectDocument>(6);
        void Add(MapNode? document)
        {
            if (document is not null)
            {
                result.Add(new ObjectDocument($"{env}/{d.Name}/{Text(document, "kind").ToLowerInvariant()}-{Text((MapNode)document["metadata"], "name")}.yaml", document));
            }
        }

        if (LeaderWorkerSetManifest.IsMultiNode(d))
        {
            Add(LeaderWorkerSetManifest.Build(id));
            Add(LeaderWorkerSetManifest.GroupNetworkPolicy(id));
        }
        else if (Rollouts.RolloutPlan.IsProgressive(d.Rollout))
        {
            Add(RolloutManifests.Rollout(id));
            if (Rollouts.RolloutPlan.MigratesFromDeployment(d.Rollout))
            {
                // The Rollout adopts the live Deployment: it stays, unchanged, until the Rollout is healthy.
                Add(DeploymentManifest.Build(id));
            }

            Add(ServiceManifests.Service(id, RolloutManifests.CanaryService(id)));
            Add(ServiceManifests.Service(id, RolloutManifests.StableService(id)));
            if (RolloutManifests.HasAnalysis(d))
            {
                Add(RolloutManifests.AnalysisTemplate(id, RolloutManifests.GuardrailsTemplate(id), count: null));
                if (RolloutManifests.HasGate(d))
                {
                    Add(RolloutManifests.AnalysisTemplate(id, RolloutManifests.GateTemplate(id), count: GateMeasurements(d)));
                }
            }
        }
        else
        {
            Add(DeploymentManifest.Build(id));
        }

        Add(ServiceManifests.Service(id));
        Add(ServiceManifests.ServiceAccount(id));
        Add(ServiceManifests.HorizontalPodAutoscaler(id));
        Add(KedaManifests.ScaledObject(id));
        Add(ServiceManifests.PodDisruptionBudget(id));
        Add(NetworkPolicyManifest.Build(id));
        Add(WeightsClaimManifest.Build(id, Weights.WeightsPlan.For(d)));
        Add(SloManifests.PodMonitor(id));
        Add(SloManifests.PrometheusRule(id));
        Add(InferencePoolManifests.InferencePool(id));
        Add(InferencePoolManifests.HttpRoute(id));
        Add(InferencePoolManifests.CanaryAnalysisRun(id));
        return (result, null);
    }

    /// <summary>One gate template serves every inline analysis step: the most measurements any of them asks for.</summary>
    private static int GateMeasurements(InferenceDeployment d) =>
        Rollouts.RolloutPlan.Steps(d.Rollout).Select(s => s.Step).OfType<AnalysisStep>().Max(a => Math.Max(1, a.Measurements));

    private static (RenderedObject Object, RenderedFile File) ToObject(ObjectDocument o)
    {
        var segments = o.Path.Split('/');
        return (
            new RenderedObject(segments[0], segments[1], Text(o.Document, "apiVersion"), Text(o.Document, "kind"), Text((MapNode)o.Document["metadata"], "name"), o.Path)
            {
                Namespace = ((MapNode)o.Document["metadata"]).TryGet("namespace", out var ns) ? ((ScalarNode)ns).Text : null,
            },
            new RenderedFile(o.Path, YamlManifestWriter.WriteUtf8(o.Document)));
    }

    private static string Text(MapNode map, string key) => ((ScalarNode)map[key]).Text;

    private static string? MissingPart(InferenceDeployment d) =>
        d.Environment is null ? "Environment"
        : d.Model is null ? "Model"
        : d.Engine is null ? "Engine"
        : d.Image is null ? "Image"
        : d.Accelerator?.Gpu is null ? "Accelerator"
        : d.Resources is null ? "Resources"
        : d.Scaling?.Signal is null ? "Scaling"
        : d.Probes is null ? "Probes"
        : d.Rollout is null ? "Rollout"
        : d.Observability is null ? "Observability"
        : d.Security?.Network is null ? "Security"
        : d.Env is null || d.Env.Any(e => e is null) ? "Env"
        : d.Security.AddCapabilities is null || d.Security.Network.AllowIngressFromNamespaces is null || d.Security.Network.AllowEgressCidrs is null ? "Security"
        : null;

    private static Finding Problem(InferenceDeployment d, RuleDescriptor rule, string path, string message) =>
        new(rule, rule.DefaultSeverity, FindingOutcome.Violation, d.Name, d.Environment?.Name ?? string.Empty, path, d.DeclaredAt ?? SourceLocation.Unknown, message);
}
