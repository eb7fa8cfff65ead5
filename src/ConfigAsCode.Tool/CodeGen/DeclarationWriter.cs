using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using static ConfigAsCode.Tool.CodeGen.CSharpLiteral;

namespace ConfigAsCode.Tool.CodeGen;

/// <summary>
/// Writes the model's values as C# with the toolkit's own types: <c>GpuCatalog.L4</c>, <c>HealthProbes.For(...)</c>,
/// <c>EnvVar.FromSecret(...)</c>. A member is written only when it differs from the type's default (compared as written
/// C#), so a declaration lists what the input set and nothing else; a default the input changed to null is written as null.
/// </summary>
internal sealed class DeclarationWriter
{
    private static readonly Dictionary<GpuKind, string> CatalogNames = typeof(GpuCatalog)
        .GetProperties(BindingFlags.Public | BindingFlags.Static)
        .Where(p => p.PropertyType == typeof(GpuKind))
        .ToDictionary(p => (GpuKind)p.GetValue(null)!, p => "GpuCatalog." + p.Name, ReferenceEqualityComparer.Instance as IEqualityComparer<GpuKind> ?? EqualityComparer<GpuKind>.Default);

    private readonly IReadOnlyDictionary<GpuKind, string> _gpuFields;

    /// <param name="gpuFields">Fields of the generated class holding GPUs the catalog does not have; others are written inline.</param>
    public DeclarationWriter(IReadOnlyDictionary<GpuKind, string>? gpuFields = null)
    {
        _gpuFields = gpuFields ?? new Dictionary<GpuKind, string>();
    }

    /// <summary>The top-level members of a deployment that differ from the defaults, in the order the sample writes them.</summary>
    public IReadOnlyList<(string Name, Code Value)> Members(InferenceDeployment d) => Members(d, all: false);

    /// <summary>Every top-level member, defaults included, for comparing two environments' declarations.</summary>
    public IReadOnlyList<(string Name, Code Value)> AllMembers(InferenceDeployment d) => Members(d, all: true);

    private IReadOnlyList<(string Name, Code Value)> Members(InferenceDeployment d, bool all)
    {
        var members = new List<(string, Code)>
        {
            ("Name", new Atom(String(d.Name))),
            ("Namespace", new Atom(String(d.Namespace))),
            ("Environment", Environment(d.Environment)),
            ("Model", Object("new ModelSpec", ModelMembers(d.Model), [], always: ["Id"])),
            ("Engine", Engine(d.Engine)),
            ("Image", Object("new ContainerImage", ImageMembers(d.Image), [], always: ["Repository"])),
            ("Accelerator", new Initializer("new AcceleratorSpec", [("Gpu", Gpu(d.Accelerator.Gpu)), ("Count", new Atom(Int(d.Accelerator.Count)))])),
        };

        void Optional(string name, Code value, Code defaultValue)
        {
            if (all || value.Inline() != defaultValue.Inline())
            {
                members.Add((name, value));
            }
        }

        var defaults = new InferenceDeployment { Name = "x", Namespace = "x", Environment = d.Environment, Model = d.Model, Engine = d.Engine, Image = d.Image, Accelerator = d.Accelerator };
        Optional("Resources", Resources(d.Resources), Resources(defaults.Resources));
        Optional("Scaling", Scaling(d.Scaling), Scaling(defaults.Scaling));
        Optional("DisruptionBudget", Budget(d.DisruptionBudget), Budget(defaults.DisruptionBudget));
        Optional("Probes", Probes(d.Probes), Probes(defaults.Probes));
        Optional("Rollout", Rollout(d.Rollout), Rollout(defaults.Rollout));
        Optional("Observability", Observability(d.Observability), Observability(defaults.Observability));
        Optional("Security", Security(d.Security), Security(defaults.Security));
        Optional("Env", Env(d.Env), Env(defaults.Env));
        Optional("Cost", Cost(d.Cost), Cost(defaults.Cost));
        Optional("Cluster", Cluster(d.Cluster), Cluster(defaults.Cluster));
        Optional("IntendedDifferences", Strings(d.IntendedDifferences), Strings(defaults.IntendedDifferences));
        return members;
    }

    public Code Gpu(GpuKind gpu) =>
        CatalogNames.TryGetValue(gpu, out var name) ? new Atom(name)
        : _gpuFields.TryGetValue(gpu, out var field) ? new Atom(field)
        : GpuInline(gpu);

    /// <summary>A GpuKind with every fact written out (used for GPUs the catalog does not have).</summary>
    public static Code GpuInline(GpuKind gpu)
    {
        var members = new List<(string, Code)>
        {
            ("Name", new Atom(String(gpu.Name))),
            ("MemoryMiB", new Atom(Int(gpu.MemoryMiB))),
            ("SupportsFp8", new Atom(Bool(gpu.SupportsFp8))),
            ("MemoryBandwidthGBps", new Atom(Double(gpu.MemoryBandwidthGBps))),
            ("PriceKey", new Atom(String(gpu.PriceKey))),
        };
        if (gpu.ProductLabel is { } label)
        {
            members.Add(("ProductLabel", new Atom(String(label))));
        }

        if (gpu.Vendor != GpuVendor.Nvidia)
        {
            members.Add(("Vendor", new Atom("GpuVendor." + gpu.Vendor)));
        }

        return new Initializer("new GpuKind", members);
    }

    public static Code Environment(DeploymentEnvironment environment) =>
        environment == DeploymentEnvironment.Dev ? new Atom("DeploymentEnvironment.Dev")
        : environment == DeploymentEnvironment.Staging ? new Atom("DeploymentEnvironment.Staging")
        : environment == DeploymentEnvironment.Prod ? new Atom("DeploymentEnvironment.Prod")
        : new Atom($"new DeploymentEnvironment({String(environment.Name)}{(environment.IsProduction ? ", isProduction: true" : string.Empty)})");

    private static IEnumerable<(string, Code)> ModelMembers(ModelSpec m)
    {
        yield return ("Id", new Atom(String(m.Id)));
        yield return ("Revision", NullableString(m.Revision));
        yield return ("Source", Source(m.Source));
        yield return ("Cache", Cache(m.Cache));
    }

    /// <summary>The weights source through the model's factories: <c>ModelSource.HuggingFace(mirror: ..., token: ...)</c>.</summary>
    public static Code Source(ModelSource? source)
    {
        static string Arguments(params (string Name, string? Value)[] arguments) =>
            string.Join(", ", arguments.Where(a => a.Value is not null).Select(a => $"{a.Name}: {a.Value}"));
        switch (source)
        {
            case null:
                return new Atom("null");
            case HuggingFaceHubSource hub:
                return new Atom($"ModelSource.HuggingFace({Arguments(("mirror", hub.Mirror is null ? null : String(hub.Mirror)), ("token", hub.Token is null ? null : SecretReference(hub.Token).Inline()))})");
            case ObjectStoreSource store:
                var scheme = store.Uri.StartsWith("gs://", StringComparison.Ordinal) ? "Gcs" : store.Uri.StartsWith("https://", StringComparison.Ordinal) ? "AzureBlob" : "S3";
                var call = $"ModelSource.{scheme}({String(store.Uri)}{(Arguments(("endpoint", scheme == "S3" && store.Endpoint is not null ? String(store.Endpoint) : null), ("credentialsSecret", store.CredentialsSecret is null ? null : String(store.CredentialsSecret))) is { Length: > 0 } rest ? ", " + rest : string.Empty)})";
                return store.FetchImage == ObjectStoreSource.DefaultFetchImage
                    ? new Atom(call)
                    : new Initializer(call + " with", [("FetchImage", Object("new ContainerImage", ImageMembers(store.FetchImage), [], always: ["Repository"]))]);
            case VolumeClaimSource claim:
                return new Atom($"ModelSource.Claim({String(claim.ClaimName)}{(claim.SubPath is null ? string.Empty : ", " + String(claim.SubPath))})");
            case OciImageSource image:
                return new Atom($"ModelSource.Image({String(image.Reference)}{(image.SubPath is null ? string.Empty : ", " + String(image.SubPath))})");
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source.GetType().Name, "a model source the writer does not know");
        }
    }

    /// <summary>The weights cache through the model's factories.</summary>
    public static Code Cache(WeightsCache? cache) => cache switch
    {
        null => new Atom("null"),
        PodLocalCache { SizeGiB: null } => new Atom("WeightsCache.PodLocal"),
        PodLocalCache local => new Atom($"new PodLocalCache {{ SizeGiB = {Int(local.SizeGiB!.Value)} }}"),
        SharedVolumeCache shared => new Atom($"WeightsCache.Shared({string.Join(", ", new[] { shared.StorageClass is null ? null : "storageClass: " + String(shared.StorageClass), shared.SizeGiB is null ? null : "sizeGiB: " + Int(shared.SizeGiB.Value) }.OfType<string>())})"),
        NodeLocalCache node => new Atom($"WeightsCache.NodeLocal({String(node.ClaimName)})"),
        _ => throw new ArgumentOutOfRangeException(nameof(cache), cache.GetType().Name, "a weights cache the writer does not know"),
    };

    /// <summary>The cluster facts the import read: the GPU placement scheme and the monitoring namespace.</summary>
    public static Code Cluster(ClusterProfile? cluster)
    {
        if (cluster is null)
        {
            return new Atom("null");
        }

        static Code Placement(NodePlacement p) =>
            p == NodePlacement.Gke ? new Atom("NodePlacement.Gke")
            : p == NodePlacement.Karpenter ? new Atom("NodePlacement.Karpenter")
            : p == NodePlacement.Aks ? new Atom("NodePlacement.Aks")
            : p == NodePlacement.GpuFeatureDiscovery ? new Atom("NodePlacement.GpuFeatureDiscovery")
            : throw new ArgumentOutOfRangeException(nameof(cluster), p.Scheme.ToString(), "a node placement the import does not write");
        IEnumerable<(string, Code)> Of(ClusterProfile c)
        {
            yield return ("Placement", Placement(c.Placement));
            yield return ("SharedStorageClass", NullableString(c.SharedStorageClass));
            yield return ("GatewayNamespace", NullableString(c.GatewayNamespace));
            yield return ("MonitoringNamespace", NullableString(c.MonitoringNamespace));
        }

        return Object("new ClusterProfile", Of(cluster), Of(ClusterProfile.Default));
    }

    private static IEnumerable<(string, Code)> ImageMembers(ContainerImage i)
    {
        yield return ("Repository", new Atom(String(i.Repository)));
        yield return ("Tag", NullableString(i.Tag));
        yield return ("Digest", NullableString(i.Digest));
    }

    public static Code Engine(InferenceEngine engine) => engine switch
    {
        VllmEngine v => Object("new VllmEngine", VllmMembers(v), VllmMembers(new VllmEngine()), always: ["GpuMemoryUtilization"]),
        TgiEngine t => Object("new TgiEngine", TgiMembers(t), TgiMembers(new TgiEngine())),
        TritonEngine t => Object("new TritonEngine", TritonMembers(t), TritonMembers(new TritonEngine { ModelRepository = t.ModelRepository }), always: ["ModelRepository"]),
        _ => throw new NotSupportedException(engine.GetType().Name),
    };

    private static IEnumerable<(string, Code)> VllmMembers(VllmEngine v)
    {
        yield return ("HttpPort", new Atom(Int(v.HttpPort)));
        yield return ("MaxNumSeqs", NullableInt(v.MaxNumSeqs));
        yield return ("MaxNumBatchedTokens", NullableInt(v.MaxNumBatchedTokens));
        yield return ("MaxModelLen", v.IsMaxModelLenAuto ? new Atom("VllmEngine.MaxModelLenAuto") : NullableInt(v.MaxModelLen));
        yield return ("GpuMemoryUtilization", new Atom(Double(v.GpuMemoryUtilization)));
        yield return ("KvCacheMemoryBytes", v.KvCacheMemoryBytes is { } bytes ? new Atom(Int(bytes)) : new Atom("null"));
        yield return ("TensorParallelSize", new Atom(Int(v.TensorParallelSize)));
        yield return ("PipelineParallelSize", new Atom(Int(v.PipelineParallelSize)));
        yield return ("DataParallelSize", new Atom(Int(v.DataParallelSize)));
        yield return ("EnableExpertParallel", new Atom(Bool(v.EnableExpertParallel)));
        yield return ("Version", NullableString(v.Version));
        yield return ("KvCacheDtype", new Atom("KvCacheDtype." + v.KvCacheDtype));
        yield return ("Quantization", new Atom("Quantization." + v.Quantization));
        yield return ("EnforceEager", new Atom(Bool(v.EnforceEager)));
        yield return ("EnablePrefixCaching", v.EnablePrefixCaching is { } prefix ? new Atom(Bool(prefix)) : new Atom("null"));
        yield return ("TrustRemoteCode", new Atom(Bool(v.TrustRemoteCode)));
        yield return ("ApiKey", v.ApiKey is { } key ? SecretReference(key) : new Atom("null"));
        yield return ("ServedModelName", NullableString(v.ServedModelName));
    }

    private static IEnumerable<(string, Code)> TgiMembers(TgiEngine t)
    {
        yield return ("HttpPort", new Atom(Int(t.HttpPort)));
        yield return ("MaxInputTokens", NullableInt(t.MaxInputTokens));
        yield return ("MaxTotalTokens", NullableInt(t.MaxTotalTokens));
        yield return ("MaxBatchPrefillTokens", NullableInt(t.MaxBatchPrefillTokens));
        yield return ("MaxBatchTotalTokens", NullableInt(t.MaxBatchTotalTokens));
        yield return ("MaxConcurrentRequests", NullableInt(t.MaxConcurrentRequests));
        yield return ("NumShard", new Atom(Int(t.NumShard)));
        yield return ("Quantization", new Atom("Quantization." + t.Quantization));
        yield return ("TrustRemoteCode", new Atom(Bool(t.TrustRemoteCode)));
    }

    private static IEnumerable<(string, Code)> TritonMembers(TritonEngine t)
    {
        yield return ("ModelRepository", NullableString(t.ModelRepository));
        yield return ("HttpPort", new Atom(Int(t.HttpPort)));
        yield return ("GrpcPort", new Atom(Int(t.GrpcPort)));
        yield return ("MetricsPort", new Atom(Int(t.MetricsPort)));
        yield return ("MaxBatchSize", NullableInt(t.MaxBatchSize));
        yield return ("InstancesPerGpu", new Atom(Int(t.InstancesPerGpu)));
    }

    private static Code Resources(PodResources r) => Object("new PodResources", ResourceMembers(r), ResourceMembers(new PodResources()));

    private static IEnumerable<(string, Code)> ResourceMembers(PodResources r)
    {
        yield return ("CpuRequestMillicores", NullableInt(r.CpuRequestMillicores));
        yield return ("CpuLimitMillicores", NullableInt(r.CpuLimitMillicores));
        yield return ("MemoryRequestMiB", NullableInt(r.MemoryRequestMiB));
        yield return ("MemoryLimitMiB", NullableInt(r.MemoryLimitMiB));
        yield return ("SharedMemoryMiB", NullableInt(r.SharedMemoryMiB));
    }

    private static Code Scaling(ScalingSpec s)
    {
        var defaults = new ScalingSpec();
        var members = new List<(string, Code)> { ("MinReplicas", new Atom(Int(s.MinReplicas))), ("MaxReplicas", new Atom(Int(s.MaxReplicas))) };
        if (Signal(s.Signal).Inline() != Signal(defaults.Signal).Inline())
        {
            members.Add(("Signal", Signal(s.Signal)));
        }

        return new Initializer("new ScalingSpec", members);
    }

    private static Code Signal(ScalingSignal signal)
    {
        var target = Double(signal.TargetPerReplica).Replace(".0", string.Empty, StringComparison.Ordinal);
        return signal.Kind switch
        {
            ScalingSignalKind.Cpu => new Atom($"ScalingSignal.Cpu({target})"),
            ScalingSignalKind.Concurrency => new Atom(signal.Metric == ScalingSignal.Concurrency(1).Metric ? $"ScalingSignal.Concurrency({target})" : $"ScalingSignal.Concurrency({target}, {String(signal.Metric)})"),
            _ => new Atom(signal.Metric == ScalingSignal.QueueDepth(1).Metric ? $"ScalingSignal.QueueDepth({target})" : $"ScalingSignal.QueueDepth({target}, {String(signal.Metric)})"),
        };
    }

    private static Code Budget(DisruptionBudget? budget) => budget is null
        ? new Atom("null")
        : Object("new DisruptionBudget", [("MaxUnavailable", NullableInt(budget.MaxUnavailable)), ("MinAvailable", NullableInt(budget.MinAvailable))], [("MaxUnavailable", new Atom("1")), ("MinAvailable", new Atom("null"))]);

    private static Code Probes(HealthProbes probes)
    {
        // The sample's idiom when the probes are exactly the standard set for a path and a load time.
        if (probes.Startup is { } startup && HealthProbes.For(startup.Path, TimeSpan.FromSeconds(startup.FailureThreshold * 10L)) == probes)
        {
            return new Atom($"HealthProbes.For({String(startup.Path)}, {TimeSpanOf(TimeSpan.FromSeconds(startup.FailureThreshold * 10L))})");
        }

        var defaults = new HealthProbes();
        var members = new List<(string, Code)>();
        foreach (var (name, probe, standard) in new[] { ("Startup", probes.Startup, defaults.Startup), ("Readiness", probes.Readiness, defaults.Readiness), ("Liveness", probes.Liveness, defaults.Liveness) })
        {
            if (probe != standard)
            {
                members.Add((name, probe is null ? new Atom("null") : Probe(probe)));
            }
        }

        return new Initializer("new HealthProbes", members);
    }

    private static Code Probe(Probe p)
    {
        var defaults = new Probe { Path = p.Path };
        IEnumerable<(string, Code)> Of(Probe x)
        {
            yield return ("Path", new Atom(String(x.Path)));
            yield return ("Port", NullableInt(x.Port));
            yield return ("InitialDelaySeconds", new Atom(Int(x.InitialDelaySeconds)));
            yield return ("PeriodSeconds", new Atom(Int(x.PeriodSeconds)));
            yield return ("TimeoutSeconds", new Atom(Int(x.TimeoutSeconds)));
            yield return ("FailureThreshold", new Atom(Int(x.FailureThreshold)));
            yield return ("SuccessThreshold", new Atom(Int(x.SuccessThreshold)));
        }

        return Object("new Probe", Of(p), Of(defaults), always: ["Path"]);
    }

    private static Code Rollout(RolloutStrategy rollout) => rollout switch
    {
        RollingUpdate r => Object(
            "new RollingUpdate",
            [("MaxSurge", new Atom(Int(r.MaxSurge))), ("MaxUnavailable", new Atom(Int(r.MaxUnavailable))), ("RevisionHistoryLimit", new Atom(Int(r.RevisionHistoryLimit)))],
            [("MaxSurge", new Atom("1")), ("MaxUnavailable", new Atom("0")), ("RevisionHistoryLimit", new Atom("10"))]),
        _ => throw new NotSupportedException("The import declares rolling updates only; " + rollout.GetType().Name),
    };

    private static Code Observability(ObservabilitySpec o)
    {
        IEnumerable<(string, Code)> Of(ObservabilitySpec x)
        {
            yield return ("ScrapeMetrics", new Atom(Bool(x.ScrapeMetrics)));
            yield return ("ScrapeIntervalSeconds", new Atom(Int(x.ScrapeIntervalSeconds)));
            yield return ("StructuredLogs", new Atom(Bool(x.StructuredLogs)));
            yield return ("Traces", x.Traces is { } t
                ? Object("new TraceExport", [("OtlpEndpoint", new Atom(String(t.OtlpEndpoint))), ("SamplingRatio", new Atom(Double(t.SamplingRatio)))], [("SamplingRatio", new Atom(Double(0.05)))], always: ["OtlpEndpoint"])
                : new Atom("null"));
            yield return ("PrometheusUrl", new Atom(String(x.PrometheusUrl)));
        }

        return Object("new ObservabilitySpec", Of(o), Of(new ObservabilitySpec()));
    }

    private static Code Security(SecuritySpec s)
    {
        IEnumerable<(string, Code)> Of(SecuritySpec x)
        {
            yield return ("RunAsNonRoot", new Atom(Bool(x.RunAsNonRoot)));
            yield return ("RunAsUser", x.RunAsUser is { } uid ? new Atom(Int(uid)) : new Atom("null"));
            yield return ("ReadOnlyRootFilesystem", new Atom(Bool(x.ReadOnlyRootFilesystem)));
            yield return ("Privileged", new Atom(Bool(x.Privileged)));
            yield return ("AllowPrivilegeEscalation", new Atom(Bool(x.AllowPrivilegeEscalation)));
            yield return ("HostNetwork", new Atom(Bool(x.HostNetwork)));
            yield return ("HostIpc", new Atom(Bool(x.HostIpc)));
            yield return ("HostPid", new Atom(Bool(x.HostPid)));
            yield return ("AddCapabilities", Strings(x.AddCapabilities));
            yield return ("ServiceAccountName", NullableString(x.ServiceAccountName));
            yield return ("AutomountServiceAccountToken", new Atom(Bool(x.AutomountServiceAccountToken)));
            yield return ("Network", Network(x.Network));
        }

        return Object("new SecuritySpec", Of(s), Of(new SecuritySpec()));
    }

    private static Code Network(NetworkPolicySpec n)
    {
        IEnumerable<(string, Code)> Of(NetworkPolicySpec x)
        {
            yield return ("AllowIngressFromNamespaces", Strings(x.AllowIngressFromNamespaces));
            yield return ("AllowIngressFromAnywhere", new Atom(Bool(x.AllowIngressFromAnywhere)));
            yield return ("AllowEgressCidrs", Strings(x.AllowEgressCidrs));
        }

        return Object("new NetworkPolicySpec", Of(n), Of(new NetworkPolicySpec()));
    }

    private static Code Env(IReadOnlyList<EnvVar> env) => new ListCode(env.Select(e => (Code)new Atom(e.Secret is { } secret
        ? $"EnvVar.FromSecret({String(e.Name)}, {String(secret.Name)}, {String(secret.Key)})"
        : $"EnvVar.Literal({String(e.Name)}, {String(e.Value ?? string.Empty)})")).ToArray());

    private static Code Cost(CostAttribution? cost)
    {
        if (cost is null)
        {
            return new Atom("null");
        }

        var members = new List<(string, Code)>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                members.Add((name, new Atom(String(value))));
            }
        }

        Add("Team", cost.Team);
        Add("CostCenter", cost.CostCenter);
        Add("Owner", cost.Owner);
        if (cost.Labels.Count > 0)
        {
            members.Add(("Labels", new DictionaryCode(cost.Labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToArray())));
        }

        return new Initializer("new CostAttribution", members);
    }

    private static Code SecretReference(SecretReference secret) => new Atom($"new SecretReference({String(secret.Name)}, {String(secret.Key)})");

    private static Code Strings(IReadOnlyList<string> values) => new ListCode(values.Select(v => (Code)new Atom(String(v))).ToArray());

    private static Code NullableString(string? value) => new Atom(value is null ? "null" : String(value));

    private static Code NullableInt(int? value) => new Atom(value is { } v ? Int(v) : "null");

    /// <summary>An initializer of the members that differ from <paramref name="defaults"/>, those in <paramref name="always"/>, and non-null members without a default.</summary>
    private static Initializer Object(string head, IEnumerable<(string Name, Code Value)> members, IEnumerable<(string Name, Code Value)> defaults, IReadOnlyCollection<string>? always = null)
    {
        var standard = defaults.ToDictionary(d => d.Name, d => d.Value.Inline(), StringComparer.Ordinal);
        bool Differs((string Name, Code Value) m) =>
            (always?.Contains(m.Name) ?? false)
            || (standard.TryGetValue(m.Name, out var d) ? m.Value.Inline() != d : m.Value.Inline() != "null");
        return new Initializer(head, members.Where(Differs).ToArray());
    }
}
