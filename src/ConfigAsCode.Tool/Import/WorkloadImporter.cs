using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Network;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Weights;
using ConfigAsCode.Synthesis.Secrets;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>One imported workload: the deployment it declares, what it was read from, and what could not be carried.</summary>
internal sealed record ImportedWorkload(
    SourceObject Source,
    string Environment,
    InferenceDeployment Deployment,
    string EngineContainer,
    EngineCommandLine Command,
    IReadOnlyList<SourceObject> Attached,
    IReadOnlySet<string> ConsumedVariables,
    IReadOnlyList<ToolMessage> Messages);

/// <summary>
/// Reads one Deployment, StatefulSet or Argo Rollout that runs vLLM, TGI or Triton (with the Services, autoscalers,
/// disruption budgets and network policies that select it) into an <see cref="InferenceDeployment"/>. Values Kubernetes
/// defaults when a field is absent (one replica, a 1 s probe timeout, privilege escalation allowed) are imported as
/// those defaults, so the declaration states what ran; what the model cannot hold is reported, never dropped silently.
/// </summary>
internal static class WorkloadImporter
{
    public const string ModelIdAnnotation = "configascode.io/model-id";
    public const string ModelRevisionAnnotation = "configascode.io/model-revision";

    /// <summary>Labels the renderer stamps from the deployment itself; they are not cost labels.</summary>
    internal static readonly HashSet<string> DerivedLabels = new(StringComparer.Ordinal)
    {
        "app", "env", "model", "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component", "app.kubernetes.io/managed-by",
        "app.kubernetes.io/part-of", "app.kubernetes.io/version",
    };

    /// <summary>Labels tools add for their own bookkeeping (Helm, controllers); never cost labels.</summary>
    private static readonly HashSet<string> BookkeepingLabels = new(StringComparer.Ordinal)
    {
        "helm.sh/chart", "chart", "release", "heritage", "pod-template-hash", "controller-revision-hash", "rollouts-pod-template-hash",
        "statefulset.kubernetes.io/pod-name",
    };

    public static bool IsWorkload(SourceObject o) => o.Kind is "Deployment" or "StatefulSet" || (o.Kind == "Rollout" && o.ApiVersion.StartsWith("argoproj.io/", StringComparison.Ordinal));

    /// <summary>The engine container of a workload and its command line, or null when it runs no engine the import knows.</summary>
    public static (YamlMappingNode Container, EngineCommandLine Command)? FindEngine(SourceObject workload)
    {
        var podSpec = PodSpec(workload.Node);
        foreach (var container in Yaml.Maps(podSpec, "containers"))
        {
            var command = Strings(Yaml.Sequence(container, "command"));
            var args = Strings(Yaml.Sequence(container, "args"));
            var literalEnv = Yaml.Maps(container, "env")
                .Where(e => Yaml.Node(e, "valueFrom") is null && Yaml.Text(e, "name") is not null)
                .Select(e => new KeyValuePair<string, string>(Yaml.Text(e, "name")!, Yaml.Text(e, "value") ?? string.Empty))
                .ToArray();
            if (EngineCommandLine.Read(command, args, Yaml.Text(container, "image"), literalEnv) is { } line)
            {
                return (container, line);
            }
        }

        return null;
    }

    public static YamlMappingNode? PodSpec(YamlMappingNode workload) => Yaml.Map(Yaml.Map(Yaml.Map(workload, "spec"), "template"), "spec");

    public static ImportedWorkload Import(
        SourceObject workload,
        string environment,
        YamlMappingNode container,
        EngineCommandLine command,
        IReadOnlyList<SourceObject> neighbours,
        string? defaultNamespace,
        Func<string, GpuKind> unknownGpu)
    {
        var messages = new List<ToolMessage>();
        void Note(YamlNode? at, string code, string text) => messages.Add(new ToolMessage(code, workload.File, at is null ? workload.Line : Yaml.Line(at), $"{environment}/{workload.Name}: {text}"));

        var spec = Yaml.Map(workload.Node, "spec");
        var template = Yaml.Map(spec, "template");
        var podSpec = Yaml.Map(template, "spec")!;
        var podAnnotations = Yaml.Pairs(Yaml.Map(Yaml.Map(template, "metadata"), "annotations")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var annotations = Yaml.Pairs(Yaml.Map(Yaml.Map(workload.Node, "metadata"), "annotations")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        string? Annotation(string key) => annotations.TryGetValue(key, out var v) ? v : podAnnotations.TryGetValue(key, out var p) ? p : null;

        var name = workload.Name;
        if (!KubernetesName.IsLabel(name))
        {
            var label = LabelValues.Sanitize(name.Replace('.', '-')) ?? "imported";
            Note(Yaml.Map(workload.Node, "metadata"), ToolCodes.NotMapped, $"the name '{name}' is not a DNS-1123 label, which deployment names must be; declared as '{label}'. Rename the Kubernetes objects when you apply the rendered manifests.");
            name = label;
        }

        var ns = workload.Namespace ?? defaultNamespace;
        if (ns is null)
        {
            Note(Yaml.Map(workload.Node, "metadata"), ToolCodes.NotMapped, "the object has no metadata.namespace, so it ran wherever it was applied; declared in 'default' (CAC2008 reports it). Pass --namespace <name> or set Namespace.");
            ns = "default";
        }

        // Ports the container declares: the engine's own port when the command line leaves it to the default.
        var ports = Yaml.Maps(container, "ports").Select(p => (Name: Yaml.Text(p, "name"), Port: Int(Yaml.Text(p, "containerPort")))).ToArray();
        var containerPort = ports.FirstOrDefault(p => p.Name == "http").Port ?? ports.FirstOrDefault().Port;
        var engineImport = EngineSettingsMapper.Map(command, containerPort);
        var engineName = command.Kind switch { EngineKind.Vllm => "vLLM", EngineKind.Tgi => "TGI", _ => "Triton" };
        var argsNode = (YamlNode?)Yaml.Sequence(container, "args") ?? (YamlNode?)Yaml.Sequence(container, "command") ?? container;
        foreach (var problem in command.Problems)
        {
            Note(argsNode, ToolCodes.NotMapped, $"{Printable.Text(problem)}. The generated declaration runs the engine without it.");
        }

        foreach (var (setting, reason) in engineImport.NotMapped)
        {
            Note(argsNode, ToolCodes.NotMapped, $"{engineName} setting '{Printable.Setting(setting)}' is not carried: {reason}. The generated declaration runs without it.");
        }

        foreach (var setting in engineImport.Credentials)
        {
            var fix = setting.Flag == "--api-key" && command.Kind == EngineKind.Vllm
                ? "Store the key in a Secret and set ApiKey = new SecretReference(\"<secret>\", \"<key>\") on the engine."
                : "Store it in a Secret and pass it as an environment variable with EnvVar.FromSecret.";
            Note(argsNode, ToolCodes.CredentialNotCopied, $"{engineName} setting '{setting.Flag}' carries a literal credential; it was not copied. {fix}");
        }

        if (EngineSettingsMapper.DefaultReplaced(command, engineImport.Engine) is { } replaced)
        {
            Note(argsNode, ToolCodes.NotMapped, replaced + ".");
        }

        // Model identity: the engine's arguments first, then the renderer's own annotations (Triton has no model flag).
        var modelId = engineImport.ModelId ?? Annotation(ModelIdAnnotation);
        if (string.IsNullOrEmpty(modelId))
        {
            Note(argsNode, ToolCodes.NotMapped, $"no model id was found ({(command.Kind == EngineKind.Triton ? "Triton serves a model repository" : "no --model argument")}); declared as '{name}'. Set Model.Id to the served model's Hugging Face id.");
            modelId = name;
        }

        var revision = engineImport.Revision ?? Annotation(ModelRevisionAnnotation);
        var engine = engineImport.Engine;
        if (engine is TritonEngine { ModelRepository.Length: 0 } triton)
        {
            Note(argsNode, ToolCodes.NotMapped, "tritonserver has no --model-repository; declared as '/models'. Set ModelRepository.");
            engine = triton with { ModelRepository = "/models" };
        }

        // Environment variables: secret references stay references; credentials are never copied.
        var consumed = new HashSet<string>(command.ConsumedVariables, StringComparer.Ordinal);
        var env = new List<EnvVar>();
        var envEntries = Yaml.Maps(container, "env").ToArray();
        string? samplerArg = null;
        var hasTraces = engineImport.OtlpEndpoint is not null && command.Kind != EngineKind.Triton;
        foreach (var entry in envEntries)
        {
            var variable = Yaml.Text(entry, "name");
            if (variable is null || consumed.Contains(variable))
            {
                continue;
            }

            var valueFrom = Yaml.Map(entry, "valueFrom");
            var secretRef = Yaml.Map(valueFrom, "secretKeyRef");
            var literal = valueFrom is null ? Yaml.Text(entry, "value") ?? string.Empty : null;
            if (variable == "VLLM_API_KEY" && engine is VllmEngine vllm && secretRef is not null && SecretReferenceOf(secretRef) is { } apiKey)
            {
                engine = vllm with { ApiKey = apiKey };
                consumed.Add(variable);
                continue;
            }

            if (literal is not null && command.Kind != EngineKind.Triton && variable == "HF_HOME" && literal == ConfigAsCode.Synthesis.Weights.WeightsPlan.CacheMountPath + "/huggingface")
            {
                consumed.Add(variable);
                continue;
            }

            if (literal is not null && hasTraces && variable == "OTEL_TRACES_SAMPLER" && literal == "parentbased_traceidratio")
            {
                consumed.Add(variable);
                continue;
            }

            if (literal is not null && hasTraces && variable == "OTEL_TRACES_SAMPLER_ARG" && Double(literal) is not null)
            {
                samplerArg = literal;
                consumed.Add(variable);
                continue;
            }

            if (literal is not null)
            {
                if (SecretDetector.Explain(variable, literal) is { } reason)
                {
                    Note(entry, ToolCodes.CredentialNotCopied, $"env {Printable.Text(variable)}: {reason}; the value was not copied. Store it in a Secret and declare EnvVar.FromSecret(\"{Printable.Text(variable)}\", \"<secret>\", \"<key>\").");
                    consumed.Add(variable);
                    continue;
                }

                env.Add(EnvVar.Literal(variable, literal));
            }
            else if (secretRef is not null)
            {
                if (SecretReferenceOf(secretRef) is { } reference)
                {
                    env.Add(EnvVar.FromSecret(variable, reference));
                    if (string.Equals(Yaml.Text(secretRef, "optional"), "true", StringComparison.OrdinalIgnoreCase))
                    {
                        Note(entry, ToolCodes.NotMapped, $"env {Printable.Text(variable)} is an optional secretKeyRef; the model's references are required, so a missing Secret now stops the pod. Create the Secret before applying.");
                    }
                }
                else
                {
                    Note(entry, ToolCodes.NotMapped, $"env {Printable.Text(variable)}: the secretKeyRef has no valid name and key; not carried. Declare EnvVar.FromSecret with the Secret's name and key.");
                }
            }
            else
            {
                var source = valueFrom!.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).FirstOrDefault() ?? "valueFrom";
                Note(entry, ToolCodes.NotMapped, $"env {Printable.Text(variable)} comes from {source}, which the model does not hold (only literals and secretKeyRef); not carried. Declare it as a literal or a secret reference.");
                consumed.Add(variable);
            }
        }

        var observability = new ObservabilitySpec();
        if (hasTraces)
        {
            var traces = new TraceExport { OtlpEndpoint = engineImport.OtlpEndpoint! };
            observability = observability with { Traces = samplerArg is not null ? traces with { SamplingRatio = Double(samplerArg)!.Value } : traces };
        }

        if (command.Kind == EngineKind.Tgi)
        {
            observability = observability with { StructuredLogs = engineImport.JsonOutput };
        }

        if (podAnnotations.TryGetValue("prometheus.io/scrape", out var scrape) && string.Equals(scrape, "false", StringComparison.OrdinalIgnoreCase))
        {
            observability = observability with { ScrapeMetrics = false };
        }

        var gpuRequest = GpuResolver.Resolve(podSpec, container);
        GpuKind gpu;
        var placement = GpuResolver.Placement(podSpec);
        if (placement is { } placed)
        {
            // The pod's labels are the ones the toolkit's catalog gives this GPU under a cloud's scheme: declared as that placement.
            gpu = placed.Gpu;
        }
        else if (gpuRequest.Gpu is { } known)
        {
            gpu = known;
            if (!gpuRequest.FromProductLabel && gpu.ProductLabel is { } product)
            {
                Note(podSpec, ToolCodes.NotMapped, $"the GPU was read from {gpuRequest.Evidence} ({gpu.Name}); the rendered pod selects nodes by {GpuResolver.ProductLabelKey}={product} instead. Make sure the GPU nodes carry that label (GPU Feature Discovery sets it).");
            }
        }
        else
        {
            var unknownName = gpuRequest.UnknownName ?? "unknown-gpu";
            gpu = unknownGpu(unknownName) with { ProductLabel = gpuRequest.FromProductLabel ? unknownName : null };
            var where = gpuRequest.Evidence is null ? "no node selector, node affinity or toleration names the GPU" : $"{gpuRequest.Evidence} names a GPU GpuCatalog does not have";
            Note(podSpec, ToolCodes.NotMapped, $"{where}; the declaration uses a placeholder GpuKind '{Printable.Text(unknownName)}' with no memory, bandwidth or price (the import never guesses them). Use a GpuCatalog entry or fill in its facts.");
        }

        if (gpuRequest.Count is null)
        {
            Note(Yaml.Map(container, "resources") ?? container, ToolCodes.NotMapped, "the container requests no nvidia.com/gpu; declared with Accelerator.Count = 0 (CAC3012 reports it). Set the GPUs per replica.");
        }

        var resources = Yaml.Map(container, "resources");
        var requests = Yaml.Map(resources, "requests");
        var limits = Yaml.Map(resources, "limits");
        int? Cpu(YamlMappingNode? section)
        {
            var text = Yaml.Text(section, "cpu");
            var value = Quantity.Millicores(text);
            if (text is not null && value is null)
            {
                Note(section, ToolCodes.NotMapped, $"cpu '{Printable.Text(text)}' is not a whole number of millicores; not carried. Set it in PodResources.");
            }

            return value;
        }

        int? Memory(YamlMappingNode? section)
        {
            var text = Yaml.Text(section, "memory");
            var value = Quantity.Mebibytes(text);
            if (text is not null && value is null)
            {
                Note(section, ToolCodes.NotMapped, $"memory '{Printable.Text(text)}' is not a whole number of MiB; not carried. Set it in PodResources.");
            }

            return value;
        }

        var podResources = new PodResources
        {
            CpuRequestMillicores = Cpu(requests),
            CpuLimitMillicores = Cpu(limits),
            MemoryRequestMiB = Memory(requests),
            MemoryLimitMiB = Memory(limits),
            SharedMemoryMiB = SharedMemory(podSpec, container, Note),
        };

        var security = Security(podSpec, container, name);
        var attached = new List<SourceObject>();
        var podLabels = Yaml.Pairs(Yaml.Map(Yaml.Map(template, "metadata"), "labels")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var sameNamespace = neighbours.Where(o => string.Equals(o.Namespace ?? defaultNamespace ?? "default", ns, StringComparison.Ordinal) || (o.Namespace is null && workload.Namespace is null)).ToArray();

        var policy = sameNamespace.FirstOrDefault(o => o.Kind == "NetworkPolicy" && Selects(Yaml.Map(Yaml.Map(o.Node, "spec"), "podSelector"), podLabels));
        string? scraper = null;
        if (policy is not null)
        {
            attached.Add(policy);
            NetworkPolicySpec network;
            (network, scraper) = NetworkPolicy(policy, engine);
            security = security with { Network = network };
        }
        else
        {
            Note(podSpec, ToolCodes.NotMapped, "no NetworkPolicy in the input selects these pods; the rendered one admits the namespace and lets the pods reach only cluster DNS, so a download from the model hub would fail. List the hub's or the object store's CIDRs in Security.Network.AllowEgressCidrs.");
        }

        var hpa = sameNamespace.FirstOrDefault(o => o.Kind == "HorizontalPodAutoscaler" && Yaml.Text(Yaml.Map(Yaml.Map(o.Node, "spec"), "scaleTargetRef"), "name") == workload.Name);
        var replicas = Int(Yaml.Text(spec, "replicas")) ?? 1;
        var scaling = new ScalingSpec { MinReplicas = replicas, MaxReplicas = replicas };
        if (hpa is not null)
        {
            attached.Add(hpa);
            scaling = Autoscaling(hpa, scaling, Note);
        }

        var pdb = sameNamespace.FirstOrDefault(o => o.Kind == "PodDisruptionBudget" && Selects(Yaml.Map(Yaml.Map(o.Node, "spec"), "selector"), podLabels));
        DisruptionBudget? budget = null;
        if (pdb is not null)
        {
            attached.Add(pdb);
            budget = Budget(pdb, Note);
        }

        foreach (var service in sameNamespace.Where(o => o.Kind == "Service" && Selects(Yaml.Map(o.Node, "spec"), "selector", podLabels)))
        {
            attached.Add(service);
        }

        var serviceAccount = sameNamespace.FirstOrDefault(o => o.Kind == "ServiceAccount" && o.Name == (security.ServiceAccountName ?? name));
        if (serviceAccount is not null)
        {
            attached.Add(serviceAccount);
        }

        var rollout = Rollout(workload, spec, Note);
        foreach (var other in Yaml.Maps(podSpec, "containers").Where(c => !ReferenceEquals(c, container)))
        {
            Note(other, ToolCodes.NotMapped, $"sidecar container '{Printable.Text(Yaml.Text(other, "name") ?? "?")}' ({Printable.Text(Yaml.Text(other, "image") ?? "no image")}) is not modelled; the rendered pod runs the engine alone.");
        }

        var labels = Yaml.Pairs(Yaml.Map(Yaml.Map(workload.Node, "metadata"), "labels")).Concat(podLabels)
            .GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var cost = Cost(labels);

        var cluster = placement is { } nodes && nodes.Placement != NodePlacement.GpuFeatureDiscovery ? new ClusterProfile { Placement = nodes.Placement } : ClusterProfile.Default;
        var deployment = new InferenceDeployment
        {
            Name = name,
            Namespace = ns,
            Environment = EnvironmentNames.ToEnvironment(environment),
            Model = new ModelSpec { Id = modelId!, Revision = revision },
            Engine = engine,
            Image = Image(Yaml.Text(container, "image") ?? string.Empty),
            Accelerator = new AcceleratorSpec { Gpu = gpu, Count = gpuRequest.Count ?? 0 },
            Resources = podResources,
            Scaling = scaling,
            DisruptionBudget = budget,
            Probes = new HealthProbes
            {
                Startup = Probe(container, "startupProbe", Note),
                Readiness = Probe(container, "readinessProbe", Note),
                Liveness = Probe(container, "livenessProbe", Note),
            },
            Rollout = rollout,
            Observability = observability,
            Security = security,
            Env = env,
            Cost = cost,
            Cluster = cluster,
        };

        // The namespace the input admits on the metrics port alone is the scraper's: declared only when the
        // toolkit would not derive it from the Prometheus URL.
        if (scraper is not null && !TrafficPlan.For(deployment).Ingress.Any(p => p.Purpose == "metrics scraping" && p.Namespace == scraper))
        {
            deployment = deployment with { Cluster = deployment.Cluster with { MonitoringNamespace = scraper } };
        }

        var weights = WeightsReader.Read(deployment, podSpec, container, sameNamespace);
        deployment = weights.Deployment with { Env = WeightsReader.WithoutRenderedWeightsVariables(weights.Deployment, weights.Deployment.Env) };
        if (weights.Claim is not null)
        {
            attached.Add(weights.Claim);
        }

        foreach (var init in Yaml.Maps(podSpec, "initContainers").Where(i => !(weights.FetchRead && Yaml.Text(i, "name") == WeightsPlan.FetchContainer)))
        {
            Note(init, ToolCodes.NotMapped, $"init container '{Printable.Text(Yaml.Text(init, "name") ?? "?")}' ({Printable.Text(Yaml.Text(init, "image") ?? "no image")}) is not modelled; the rendered pod has none. Keep its work in the image or a separate job.");
        }

        return new ImportedWorkload(workload, environment, deployment, Yaml.Text(container, "name") ?? engine.Kind, command, attached, consumed, messages);
    }

    private static SecretReference? SecretReferenceOf(YamlMappingNode secretRef)
    {
        var secret = Yaml.Text(secretRef, "name");
        var key = Yaml.Text(secretRef, "key");
        return KubernetesName.IsSubdomain(secret) && KubernetesName.IsSecretKey(key) ? new SecretReference(secret!, key!) : null;
    }

    private static int? SharedMemory(YamlMappingNode podSpec, YamlMappingNode container, Action<YamlNode?, string, string> note)
    {
        var mount = Yaml.Maps(container, "volumeMounts").FirstOrDefault(m => Yaml.Text(m, "mountPath") == "/dev/shm");
        var volume = mount is null ? null : Yaml.Maps(podSpec, "volumes").FirstOrDefault(v => Yaml.Text(v, "name") == Yaml.Text(mount, "name"));
        var emptyDir = Yaml.Map(volume, "emptyDir");
        if (emptyDir is null || !string.Equals(Yaml.Text(emptyDir, "medium"), "Memory", StringComparison.Ordinal))
        {
            return null;
        }

        var size = Quantity.Mebibytes(Yaml.Text(emptyDir, "sizeLimit"));
        if (size is null or 0)
        {
            note(volume, ToolCodes.NotMapped, "the /dev/shm volume has no sizeLimit in whole MiB; not carried. Set Resources.SharedMemoryMiB (NCCL needs it for more than one GPU).");
            return null;
        }

        return size;
    }

    private static SecuritySpec Security(YamlMappingNode podSpec, YamlMappingNode container, string name)
    {
        var pod = Yaml.Map(podSpec, "securityContext");
        var own = Yaml.Map(container, "securityContext");
        bool? Flag(YamlMappingNode? map, string key) => Yaml.Text(map, key) is { } text ? string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) : null;
        var user = Yaml.Text(own, "runAsUser") ?? Yaml.Text(pod, "runAsUser");
        var account = Yaml.Text(podSpec, "serviceAccountName") ?? Yaml.Text(podSpec, "serviceAccount");
        return new SecuritySpec
        {
            // Kubernetes' defaults where the YAML is silent: no non-root check, a writable root, escalation allowed, a mounted token.
            RunAsNonRoot = Flag(own, "runAsNonRoot") ?? Flag(pod, "runAsNonRoot") ?? false,
            RunAsUser = long.TryParse(user, NumberStyles.Integer, CultureInfo.InvariantCulture, out var uid) ? uid : null,
            ReadOnlyRootFilesystem = Flag(own, "readOnlyRootFilesystem") ?? false,
            Privileged = Flag(own, "privileged") ?? false,
            AllowPrivilegeEscalation = Flag(own, "allowPrivilegeEscalation") ?? true,
            HostNetwork = Flag(podSpec, "hostNetwork") ?? false,
            HostIpc = Flag(podSpec, "hostIPC") ?? false,
            HostPid = Flag(podSpec, "hostPID") ?? false,
            AddCapabilities = Yaml.Sequence(Yaml.Map(own, "capabilities"), "add")?.Children.Select(Yaml.Text).OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToArray() ?? [],
            ServiceAccountName = account is null || account == name ? null : account,
            AutomountServiceAccountToken = Flag(podSpec, "automountServiceAccountToken") ?? true,
        };
    }

    /// <summary>
    /// The policy's namespaces and CIDRs, and the namespace admitted on the metrics port alone (the scraper's, when the
    /// metrics port is not a serving port): that one is not a caller of the serving ports.
    /// </summary>
    private static (NetworkPolicySpec Network, string? Scraper) NetworkPolicy(SourceObject policy, InferenceEngine engine)
    {
        var spec = Yaml.Map(policy.Node, "spec");
        var ingress = Yaml.Maps(spec, "ingress").ToArray();
        var anywhere = ingress.Any(rule => Yaml.Sequence(rule, "from") is null);
        var (serving, metrics) = TrafficPlan.Ports(engine);
        string[] Ports(YamlMappingNode rule) => Yaml.Maps(rule, "ports").Select(p => Yaml.Text(p, "port")).OfType<string>().ToArray();
        var metricsOnly = serving.Contains(metrics) ? [] : ingress.Where(rule => Ports(rule) is [var only] && Int(only) == metrics).ToArray();
        string? Namespace(YamlMappingNode peer) => Yaml.Text(Yaml.Map(Yaml.Map(peer, "namespaceSelector"), "matchLabels"), "kubernetes.io/metadata.name");
        var scrapers = metricsOnly.SelectMany(rule => Yaml.Maps(rule, "from")).Select(Namespace).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var namespaces = ingress.Except(scrapers.Length == 1 ? metricsOnly : []).SelectMany(rule => Yaml.Maps(rule, "from"))
            .Select(peer => Yaml.Text(Yaml.Map(Yaml.Map(peer, "namespaceSelector"), "matchLabels"), "kubernetes.io/metadata.name"))
            .OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var cidrs = Yaml.Maps(spec, "egress").SelectMany(rule => Yaml.Maps(rule, "to"))
            .Select(peer => Yaml.Text(Yaml.Map(peer, "ipBlock"), "cidr"))
            .OfType<string>().Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToArray();
        return (new NetworkPolicySpec { AllowIngressFromAnywhere = anywhere, AllowIngressFromNamespaces = anywhere ? [] : namespaces, AllowEgressCidrs = cidrs }, scrapers.Length == 1 ? scrapers[0] : null);
    }

    private static ScalingSpec Autoscaling(SourceObject hpa, ScalingSpec scaling, Action<YamlNode?, string, string> note)
    {
        var spec = Yaml.Map(hpa.Node, "spec");
        var min = Int(Yaml.Text(spec, "minReplicas")) ?? 1;
        var max = Int(Yaml.Text(spec, "maxReplicas")) ?? min;
        scaling = scaling with { MinReplicas = min, MaxReplicas = max };
        var metrics = Yaml.Maps(spec, "metrics").ToArray();
        if (metrics.Length != 1)
        {
            note(spec, ToolCodes.NotMapped, $"HorizontalPodAutoscaler {hpa.Name} has {metrics.Length} metrics; the model scales on one signal, so the default (vllm:num_requests_waiting, 5 per replica) is declared. Set Scaling.Signal.");
            return scaling;
        }

        var metric = metrics[0];
        var type = Yaml.Text(metric, "type");
        if (type == "Resource" && Yaml.Text(Yaml.Map(metric, "resource"), "name") == "cpu"
            && Double(Yaml.Text(Yaml.Map(Yaml.Map(metric, "resource"), "target"), "averageUtilization")) is { } cpu)
        {
            return scaling with { Signal = ScalingSignal.Cpu(cpu) };
        }

        var pods = Yaml.Map(metric, "pods");
        var metricName = Yaml.Text(Yaml.Map(pods, "metric"), "name");
        var target = Quantity.Parse(Yaml.Text(Yaml.Map(pods, "target"), "averageValue"));
        if (type == "Pods" && metricName is not null && target is { } perReplica)
        {
            var value = (double)perReplica;
            var defaultQueue = ScalingSignal.QueueDepth(value);
            var defaultRunning = ScalingSignal.Concurrency(value);
            if (metricName == ServiceManifests.AdapterMetricName(defaultQueue.Metric))
            {
                return scaling with { Signal = defaultQueue };
            }

            if (metricName == ServiceManifests.AdapterMetricName(defaultRunning.Metric))
            {
                return scaling with { Signal = defaultRunning };
            }

            return scaling with
            {
                Signal = metricName.Contains("running", StringComparison.Ordinal) || metricName.Contains("concurren", StringComparison.Ordinal)
                    ? ScalingSignal.Concurrency(value, metricName)
                    : ScalingSignal.QueueDepth(value, metricName),
            };
        }

        note(metric, ToolCodes.NotMapped, $"HorizontalPodAutoscaler {hpa.Name} scales on a {type ?? "?"} metric the model does not hold (a per-pod average or CPU utilisation); the default signal is declared. Set Scaling.Signal.");
        return scaling;
    }

    private static DisruptionBudget Budget(SourceObject pdb, Action<YamlNode?, string, string> note)
    {
        var spec = Yaml.Map(pdb.Node, "spec");
        var maxUnavailable = Yaml.Text(spec, "maxUnavailable");
        var minAvailable = Yaml.Text(spec, "minAvailable");
        if (maxUnavailable is not null && Int(maxUnavailable) is { } max)
        {
            return new DisruptionBudget { MaxUnavailable = max };
        }

        if (maxUnavailable is null && minAvailable is not null && Int(minAvailable) is { } min)
        {
            return new DisruptionBudget { MaxUnavailable = null, MinAvailable = min };
        }

        note(spec, ToolCodes.NotMapped, $"PodDisruptionBudget {pdb.Name} uses a percentage; the model holds a count, so maxUnavailable 1 is declared. Set DisruptionBudget.");
        return new DisruptionBudget();
    }

    private static RolloutStrategy Rollout(SourceObject workload, YamlMappingNode? spec, Action<YamlNode?, string, string> note)
    {
        var history = Int(Yaml.Text(spec, "revisionHistoryLimit")) ?? 10;
        var rolling = new RollingUpdate { RevisionHistoryLimit = history };
        switch (workload.Kind)
        {
            case "StatefulSet":
                note(spec, ToolCodes.NotMapped, "a StatefulSet is rendered as a Deployment: stable pod names, volumeClaimTemplates and the update strategy are not carried. Keep weights in an image or a cache volume the Deployment can share.");
                return rolling;
            case "Rollout":
                var strategy = Yaml.Map(spec, "strategy");
                var kind = strategy?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).FirstOrDefault() ?? "none";
                note(strategy, ToolCodes.NotMapped, $"the Argo Rollouts {kind} strategy (steps, traffic routing, analysis) is not imported; the declaration rolls out as a Deployment. Declare Rollout = new CanaryRollout {{ Steps = [...] }} (or RampRollout) to keep progressive delivery.");
                return rolling;
        }

        var strategyNode = Yaml.Map(spec, "strategy");
        var type = Yaml.Text(strategyNode, "type") ?? "RollingUpdate";
        if (type != "RollingUpdate")
        {
            note(strategyNode, ToolCodes.NotMapped, $"the {type} strategy is not modelled; the declaration uses a rolling update (surge 1, unavailable 0), which keeps serving while a GPU pod loads. Check that the nodes have room for the extra pod.");
            return rolling;
        }

        var update = Yaml.Map(strategyNode, "rollingUpdate");
        var surge = Yaml.Text(update, "maxSurge");
        var unavailable = Yaml.Text(update, "maxUnavailable");
        if ((surge is not null && Int(surge) is null) || (unavailable is not null && Int(unavailable) is null))
        {
            note(update, ToolCodes.NotMapped, "the rolling update uses percentages; the model holds counts, so surge 1 and unavailable 0 are declared. Set Rollout = new RollingUpdate { MaxSurge = ..., MaxUnavailable = ... }.");
            return rolling;
        }

        return rolling with { MaxSurge = Int(surge) ?? rolling.MaxSurge, MaxUnavailable = Int(unavailable) ?? rolling.MaxUnavailable };
    }

    private static Probe? Probe(YamlMappingNode container, string key, Action<YamlNode?, string, string> note)
    {
        var probe = Yaml.Map(container, key);
        if (probe is null)
        {
            return null;
        }

        var http = Yaml.Map(probe, "httpGet");
        if (http is null)
        {
            var kind = probe.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).FirstOrDefault(k => k is "tcpSocket" or "exec" or "grpc") ?? "a non-HTTP check";
            note(probe, ToolCodes.NotMapped, $"{key} uses {kind}; the model holds HTTP probes, so none is declared. Declare an HTTP probe on the engine's health path.");
            return null;
        }

        int? port = null;
        var portText = Yaml.Text(http, "port");
        if (Int(portText) is { } number)
        {
            port = number;
        }
        else if (portText is not null && portText != "http")
        {
            port = Yaml.Maps(container, "ports").Where(p => Yaml.Text(p, "name") == portText).Select(p => Int(Yaml.Text(p, "containerPort"))).FirstOrDefault();
        }

        // Absent fields take Kubernetes' defaults (period 10 s, timeout 1 s, 3 failures, 1 success), which is what ran.
        return new Probe
        {
            Path = Yaml.Text(http, "path") ?? "/",
            Port = port,
            InitialDelaySeconds = Int(Yaml.Text(probe, "initialDelaySeconds")) ?? 0,
            PeriodSeconds = Int(Yaml.Text(probe, "periodSeconds")) ?? 10,
            TimeoutSeconds = Int(Yaml.Text(probe, "timeoutSeconds")) ?? 1,
            FailureThreshold = Int(Yaml.Text(probe, "failureThreshold")) ?? 3,
            SuccessThreshold = Int(Yaml.Text(probe, "successThreshold")) ?? 1,
        };
    }

    private static CostAttribution? Cost(IReadOnlyDictionary<string, string> labels)
    {
        string? Take(string key) => labels.TryGetValue(key, out var value) ? value : null;
        var free = labels.Where(p => !DerivedLabels.Contains(p.Key) && !BookkeepingLabels.Contains(p.Key) && !p.Key.StartsWith("app.kubernetes.io/", StringComparison.Ordinal)
                && p.Key is not ("team" or "owner" or "cost-center"))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var cost = new CostAttribution { Team = Take("team"), Owner = Take("owner"), CostCenter = Take("cost-center"), Labels = free };
        return cost.Team is null && cost.Owner is null && cost.CostCenter is null && free.Count == 0 ? null : cost;
    }

    /// <summary>Repository, tag and digest of an image reference; a registry port (<c>host:5000/repo</c>) is not a tag.</summary>
    internal static ContainerImage Image(string reference)
    {
        string? digest = null;
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = reference[(at + 1)..];
            reference = reference[..at];
        }

        string? tag = null;
        var colon = reference.LastIndexOf(':');
        if (colon > reference.LastIndexOf('/'))
        {
            tag = reference[(colon + 1)..];
            reference = reference[..colon];
        }

        return new ContainerImage { Repository = reference, Tag = tag, Digest = digest };
    }

    /// <summary>True when <paramref name="selector"/> (a label selector's matchLabels, or a Service's plain selector) selects the pod labels.</summary>
    private static bool Selects(YamlMappingNode? selector, IReadOnlyDictionary<string, string> podLabels)
    {
        if (selector is null)
        {
            return false;
        }

        var matchLabels = Yaml.Map(selector, "matchLabels");
        var pairs = Yaml.Pairs(matchLabels ?? selector);
        return pairs.Count > 0 && Yaml.Node(selector, "matchExpressions") is null && pairs.All(p => podLabels.TryGetValue(p.Key, out var v) && v == p.Value);
    }

    private static bool Selects(YamlMappingNode? spec, string key, IReadOnlyDictionary<string, string> podLabels)
    {
        var selector = Yaml.Map(spec, key);
        return selector is not null && Selects(selector, podLabels);
    }

    internal static string[] Strings(YamlSequenceNode? sequence) =>
        sequence?.Children.Select(c => c is YamlScalarNode s ? s.Value ?? string.Empty : string.Empty).ToArray() ?? [];

    internal static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static double? Double(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
