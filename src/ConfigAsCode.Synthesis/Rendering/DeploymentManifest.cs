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

    /// <summary>A slow model load must not be mistaken for a stuck rollout: the deadline covers the startup probe.</summary>
    internal static int ProgressDeadlineSeconds(InferenceDeployment d) =>
        (int)Math.Min(int.MaxValue, Math.Max(600, Math.Ceiling(d.Probes.Startup?.Tolerance.TotalSeconds ?? 0) + 300));

    internal static MapNode PodTemplate(WorkloadIdentity id)
    {
        var d = id.Deployment;
        var security = d.Security;
        var annotations = MapNode.Of(id.PodAnnotations);
        if (d.Observability.ScrapeMetrics)
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

        var pod = new MapNode()
            .Set("serviceAccountName", id.ServiceAccountName)
            .Set("automountServiceAccountToken", security.AutomountServiceAccountToken)
            .Set("hostNetwork", security.HostNetwork ? true : null)
            .Set("hostIPC", security.HostIpc ? true : null)
            .Set("hostPID", security.HostPid ? true : null)
            .Set("securityContext", podSecurity)
            .Set("terminationGracePeriodSeconds", TerminationGraceSeconds)
            .Set("nodeSelector", d.Accelerator.Gpu.ProductLabel is { } product ? new MapNode().Set("nvidia.com/gpu.product", product) : null)
            .Set("tolerations", ListNode.Of(new MapNode().Set("key", "nvidia.com/gpu").Set("operator", "Exists").Set("effect", "NoSchedule")))
            .Set("containers", ListNode.Of(Container(id)))
            .Set("volumes", Volumes(d));

        return new MapNode()
            .Set("metadata", new MapNode().Set("labels", MapNode.Of(id.Labels)).Set("annotations", annotations))
            .Set("spec", pod);
    }

    private static MapNode Container(WorkloadIdentity id)
    {
        var d = id.Deployment;
        var (command, args) = EngineContainer.CommandLine(d);
        var gpus = d.Accelerator.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var requests = new MapNode()
            .Set("cpu", d.Resources.CpuRequestMillicores is > 0 and var cpu ? Quantities.Cpu(cpu) : null)
            .Set("memory", d.Resources.MemoryRequestMiB is > 0 and var memory ? Quantities.MemoryMiB(memory) : null)
            .Set("nvidia.com/gpu", gpus);
        var limits = new MapNode()
            .Set("cpu", d.Resources.CpuLimitMillicores is > 0 and var cpuLimit ? Quantities.Cpu(cpuLimit) : null)
            .Set("memory", d.Resources.MemoryLimitMiB is > 0 and var memoryLimit ? Quantities.MemoryMiB(memoryLimit) : null)
            .Set("nvidia.com/gpu", gpus);

        var security = d.Security;
        var containerSecurity = new MapNode()
            .Set("allowPrivilegeEscalation", security.AllowPrivilegeEscalation)
            .Set("privileged", security.Privileged ? true : null)
            .Set("readOnlyRootFilesystem", security.ReadOnlyRootFilesystem)
            .Set("capabilities", new MapNode()
                .Set("drop", ListNode.Of("ALL"))
                .Set("add", ListNode.Strings(security.AddCapabilities.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal))));

        return new MapNode()
            .Set("name", d.Engine.Kind)
            .Set("image", d.Image.Reference)
            .Set("imagePullPolicy", string.IsNullOrEmpty(d.Image.Digest) ? "Always" : "IfNotPresent")
            .Set("command", ListNode.Strings(command))
            .Set("args", ListNode.Strings(args))
            .Set("env", Env(d))
            .Set("ports", Ports(d))
            .Set("resources", new MapNode().Set("requests", requests).Set("limits", limits))
            .Set("startupProbe", Probe(d.Probes.Startup))
            .Set("readinessProbe", Probe(d.Probes.Readiness))
            .Set("livenessProbe", Probe(d.Probes.Liveness))
            .Set("securityContext", containerSecurity)
            .Set("volumeMounts", VolumeMounts(d));
    }

    private static ListNode Env(InferenceDeployment d)
    {
        var list = new ListNode();
        var declared = d.Env.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var variable in d.Env)
        {
            list.Add(EnvEntry(variable.Name, variable.Value, variable.Secret));
        }

        foreach (var (name, value, secret) in EngineContainer.ImpliedEnv(d))
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

    private static ListNode VolumeMounts(InferenceDeployment d)
    {
        var mounts = ListNode.Of(
            new MapNode().Set("name", "cache").Set("mountPath", EngineContainer.CacheMountPath),
            new MapNode().Set("name", "tmp").Set("mountPath", "/tmp"));
        if (d.Resources.SharedMemoryMiB is > 0)
        {
            mounts.Add(new MapNode().Set("name", "dshm").Set("mountPath", "/dev/shm"));
        }

        return mounts;
    }

    private static ListNode Volumes(InferenceDeployment d)
    {
        // The root filesystem is read-only, so the weight cache and /tmp are volumes.
        var volumes = ListNode.Of(
            new MapNode().Set("name", "cache").Set("emptyDir", new MapNode().Set("sizeLimit", CacheSize(d))),
            new MapNode().Set("name", "tmp").Set("emptyDir", new MapNode().Set("sizeLimit", "1Gi")));
        if (d.Resources.SharedMemoryMiB is > 0 and var shm)
        {
            volumes.Add(new MapNode().Set("name", "dshm").Set("emptyDir", new MapNode().Set("medium", "Memory").Set("sizeLimit", Quantities.MemoryMiB(shm))));
        }

        return volumes;
    }

    /// <summary>Room for the weights plus a margin, in whole GiB; 50 GiB when the model is unknown.</summary>
    private static string CacheSize(InferenceDeployment d)
    {
        var architecture = d.Model.ResolveArchitecture();
        if (architecture is null || !(architecture.ParametersBillions > 0) || architecture.ParametersBillions > 100_000)
        {
            return "50Gi";
        }

        var gib = Gpu.KvCacheBudget.WeightBytesOf(architecture, Quantization.None) / Gpu.KvCacheBudget.BytesPerGiB;
        var rounded = (long)Math.Ceiling((gib * 1.2) / 10) * 10;
        return Quantities.MemoryMiB(rounded * 1024);
    }
}
