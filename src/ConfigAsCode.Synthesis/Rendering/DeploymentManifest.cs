using System;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>The <c>apps/v1</c> Deployment: the engine container, its probes, security context, GPUs and volumes.</summary>
internal static class DeploymentManifest
{
    /// <summary>Seconds given to in-flight generations when a pod is stopped.</summary>
    private const int TerminationGraceSeconds = 120;

    public static MapNode Build(WorkloadIdentity id)
    {
        var d = id.Deployment;
        var rolling = d.Rollout as RollingUpdate ?? new RollingUpdate();

        var spec = new MapNode()
            .Set("replicas", d.Scaling.IsAutoscaled ? null : d.Scaling.MinReplicas)
            .Set("revisionHistoryLimit", rolling.RevisionHistoryLimit)
            .Set("selector", id.SelectorNode())
            .Set("strategy", new MapNode()
                .Set("type", "RollingUpdate")
                .Set("rollingUpdate", new MapNode().Set("maxSurge", rolling.MaxSurge).Set("maxUnavailable", rolling.MaxUnavailable)))
            .Set("progressDeadlineSeconds", ProgressDeadlineSeconds(d))
            .Set("template", PodTemplate(id));

        return new MapNode()
            .Set("apiVersion", "apps/v1")
            .Set("kind", "Deployment")
            .Set("metadata", id.Metadata(withAnnotations: true))
            .Set("spec", spec);
    }

    /// <summary>A slow fetch or model load must not be mistaken for a stuck rollout: the deadline covers the init container's fetch and the startup probe.</summary>
    internal static int ProgressDeadlineSeconds(InferenceDeployment d) => Weights.StartupBudget.ProgressDeadlineSeconds(d);

    /// <summary>The pod template; a multi-node replica's worker pods (<paramref name="role"/>) serve no API, probes or metrics.</summary>
    internal static MapNode PodTemplate(WorkloadIdentity id, PodRole role = PodRole.Single)
    {
        var d = id.Deployment;
        var security = d.Security;
        var annotations = MapNode.Of(id.PodAnnotations);
        if (d.Observability.ScrapeMetrics && role != PodRole.Worker)
        {
            annotations
                .Set("prometheus.io/scrape", "true")
                .Set("prometheus.io/port", (d.Engine is TritonEngine triton ? triton.MetricsPort : d.Engine.HttpPort).ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("prometheus.io/path", d.Engine.MetricsPath);
        }

        var podSecurity = new MapNode()
            .Set("runAsNonRoot", security.RunAsNonRoot)
            .Set("runAsUser", security.RunAsUser is { } uid ? (ManifestNode)uid : null)
            .Set("runAsGroup", security.RunAsUser is { } gid ? (ManifestNode)gid : null)
            .Set("fsGroup", security.RunAsUser is { } fs ? (ManifestNode)fs : null)
            .Set("seccompProfile", new MapNode().Set("type", "RuntimeDefault"));

        var weights = Weights.WeightsPlan.For(d);
        var pod = new MapNode()
            .Set("serviceAccountName", id.ServiceAccountName)
            .Set("automountServiceAccountToken", security.AutomountServiceAccountToken)
            .Set("hostNetwork", security.HostNetwork ? true : null)
            .Set("hostIPC", security.HostIpc ? true : null)
            .Set("hostPID", security.HostPid ? true : null)
            .Set("securityContext", podSecurity)
            .Set("terminationGracePeriodSeconds", TerminationGraceSeconds)
            .Set("nodeSelector", NodeSelection.NodeSelector(d))
            .Set("affinity", NodeSelection.Affinity(d))
            .Set("tolerations", NodeSelection.Tolerations(d))
            .Set("initContainers", WeightsVolumes.InitContainers(d, weights, Network.TrafficPlan.For(d), ContainerSecurity(d.Security)))
            .Set("containers", ListNode.Of(Container(id, role, weights)))
            .Set("volumes", WeightsVolumes.Volumes(d, weights));

        return new MapNode()
            .Set("metadata", new MapNode().Set("labels", MapNode.Of(id.Labels)).Set("annotations", annotations))
            .Set("spec", pod);
    }

    private static MapNode Container(WorkloadIdentity id, PodRole role, Weights.WeightsPlan weights)
    {
        var d = id.Deployment;
        var (command, args) = EngineContainer.CommandLine(d, weights, role);
        var serves = role != PodRole.Worker;
        var gpus = d.Accelerator.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var requests = new MapNode()
            .Set("cpu", d.Resources.CpuRequestMillicores is > 0 and var cpu ? Quantities.Cpu(cpu) : null)
            .Set("memory", d.Resources.MemoryRequestMiB is > 0 and var memory ? Quantities.MemoryMiB(memory) : null)
            .Set(GpuResourceName(d.Accelerator.Gpu), gpus);
        var limits = new MapNode()
            .Set("cpu", d.Resources.CpuLimitMillicores is > 0 and var cpuLimit ? Quantities.Cpu(cpuLimit) : null)
            .Set("memory", d.Resources.MemoryLimitMiB is > 0 and var memoryLimit ? Quantities.MemoryMiB(memoryLimit) : null)
            .Set(GpuResourceName(d.Accelerator.Gpu), gpus);

        return new MapNode()
            .Set("name", d.Engine.Kind)
            .Set("image", d.Image.Reference)
            .Set("imagePullPolicy", string.IsNullOrEmpty(d.Image.Digest) ? "Always" : "IfNotPresent")
            .Set("command", ListNode.Strings(command))
            .Set("args", ListNode.Strings(args))
            .Set("env", Env(d, weights))
            .Set("ports", serves ? Ports(d) : null)
            .Set("resources", new MapNode().Set("requests", requests).Set("limits", limits))
            .Set("startupProbe", serves ? Probe(d.Probes.Startup) : null)
            .Set("readinessProbe", serves ? Probe(d.Probes.Readiness) : null)
            .Set("livenessProbe", serves ? Probe(d.Probes.Liveness) : null)
            .Set("securityContext", ContainerSecurity(d.Security))
            .Set("volumeMounts", WeightsVolumes.EngineMounts(d, weights));
    }

    /// <summary>The container security context, the same for the engine and the weights fetcher.</summary>
    private static MapNode ContainerSecurity(SecuritySpec security) => new MapNode()
        .Set("allowPrivilegeEscalation", security.AllowPrivilegeEscalation)
        .Set("privileged", security.Privileged ? true : null)
        .Set("readOnlyRootFilesystem", security.ReadOnlyRootFilesystem)
        .Set("capabilities", new MapNode()
            .Set("drop", ListNode.Of("ALL"))
            .Set("add", ListNode.Strings(security.AddCapabilities.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal))));

    private static ListNode Env(InferenceDeployment d, Weights.WeightsPlan weights)
    {
        var list = new ListNode();
        var declared = d.Env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var variable in d.Env)
        {
            list.Add(EnvEntry(variable.Name, variable.Value, variable.Secret));
        }

        foreach (var (name, value, secret) in EngineContainer.ImpliedEnv(d, weights))
        {
            if (!declared.Contains(name))
            {
                list.Add(EnvEntry(name, value, secret));
            }
        }

        return list;
    }

    private static MapNode EnvEntry(string name, string? value, SecretReference? secret) => secret is null
        ? new MapNode().Set("name", name).Set("value", new ScalarNode(value ?? string.Empty, ScalarKind.String))
        : new MapNode().Set("name", name).Set("valueFrom", new MapNode().Set("secretKeyRef", new MapNode().Set("name", secret.Name).Set("key", secret.Key)));

    internal static ListNode Ports(InferenceDeployment d)
    {
        var ports = ListNode.Of(new MapNode().Set("name", "http").Set("containerPort", d.Engine.HttpPort));
        if (d.Engine is TritonEngine triton)
        {
            ports.Add(new MapNode().Set("name", "grpc").Set("containerPort", triton.GrpcPort));
            ports.Add(new MapNode().Set("name", "metrics").Set("containerPort", triton.MetricsPort));
        }

        return ports;
    }

    private static MapNode? Probe(Probe? probe)
    {
        if (probe is null)
        {
            return null;
        }

        return new MapNode()
            .Set("httpGet", new MapNode().Set("path", probe.Path).Set("port", probe.Port is { } port ? (ManifestNode)port : "http"))
            .Set("initialDelaySeconds", probe.InitialDelaySeconds > 0 ? probe.InitialDelaySeconds : null)
            .Set("periodSeconds", probe.PeriodSeconds)
            .Set("timeoutSeconds", probe.TimeoutSeconds)
            .Set("failureThreshold", probe.FailureThreshold)
            .Set("successThreshold", probe.SuccessThreshold != 1 ? probe.SuccessThreshold : null);
    }

    /// <summary>The device plugin's extended resource: <c>nvidia.com/gpu</c>, or <c>amd.com/gpu</c> for AMD GPUs.</summary>
    internal static string GpuResourceName(GpuKind gpu) => gpu.Vendor == GpuVendor.Amd ? "amd.com/gpu" : "nvidia.com/gpu";
}
