using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Network;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>
/// What a real cluster needs of a deployment: weights that arrive and are cached (CAC1025, CAC1026), a startup probe
/// that covers the load (CAC1027), nodes with the right GPU (CAC1028), a liveness probe that does not restart a pod for
/// reloading (CAC1029), a NetworkPolicy that allows every endpoint used and little else (CAC2015, CAC2016), valid
/// network and cluster settings (CAC2017) and namespaces that do not collide on a shared cluster (CAC2018).
/// </summary>
internal static class ClusterRules
{
    private static readonly HashSet<string> TaintEffects = new(StringComparer.Ordinal) { "NoSchedule", "PreferNoSchedule", "NoExecute" };

    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.WeightsDownloadedPerPodInProduction, c =>
        {
            if (!c.IsProduction || c.Deployment.Model is null || c.Deployment.Engine is null)
            {
                return;
            }

            var plan = WeightsPlan.For(c.Deployment);
            if (plan.Cache is not PodLocalCache)
            {
                return;
            }

            var size = plan.CheckpointGiB is { } gib ? $"the {Math.Ceiling(gib).ToString(CultureInfo.InvariantCulture)} GiB checkpoint" : "the checkpoint";
            var time = StartupBudget.For(c.Deployment, c.Options).Download is { } download && download > TimeSpan.Zero ? $" (about {Minutes(download)} at {c.Options.ModelDownloadGiBPerSecond.ToString("0.##", CultureInfo.InvariantCulture)} GiB/s)" : string.Empty;
            var why = plan.CacheIsDefault ? " The cluster names no shared storage class, so the default is a per-pod download." : string.Empty;
            c.Report("Model.Cache", $"every pod downloads {size} from {plan.DownloadUrl} into its own emptyDir at start-up{time}: a scale-out waits for it and pulls it again for each pod.{why} "
                + "Set Cluster.SharedStorageClass to a ReadWriteMany class (or Model.Cache = WeightsCache.Shared(\"<class>\")), use WeightsCache.NodeLocal(\"<claim>\"), or serve from ModelSource.Claim(...) or ModelSource.Image(...).");
        }),
        new(RuleCatalog.ModelSourceInvalid, c =>
        {
            if (c.Deployment.Model is null || c.Deployment.Engine is null)
            {
                return;
            }

            foreach (var (path, message) in WeightsPlan.For(c.Deployment).Problems)
            {
                c.Report(path, message);
            }
        }),
        new(RuleCatalog.StartupProbeShorterThanLoad, c =>
        {
            if (c.Deployment.Probes?.Startup is not { } startup || c.Deployment.Model is null || c.Deployment.Engine is null)
            {
                return;
            }

            var budget = StartupBudget.For(c.Deployment, c.Options);
            if (budget.EngineStart is not { } needed)
            {
                c.Undecided("Probes.Startup", "how long the engine takes to load the model is unknown (no catalog entry, no declared architecture). Declare Model.LoadTime with a measured start-up time.");
                return;
            }

            // The load alone past the probe is CAC1020 (an error, also as you type); this rule is the download's share.
            if (startup.Tolerance < needed && !(budget.Load is { } load && startup.Tolerance < load))
            {
                var download = WeightsPlan.For(c.Deployment).Delivery == WeightsDelivery.EngineDownload && budget.Download is { } d && d > TimeSpan.Zero
                    ? $" (a download of {Minutes(d)} by the engine itself, then the load)"
                    : string.Empty;
                c.Report("Probes.Startup", $"the startup probe gives up after {Minutes(startup.Tolerance)}, but the engine is estimated to need {Minutes(needed)} from container start to serving{download}: the pod is killed and restarted before it ever serves. "
                    + $"Set Probes = HealthProbes.For(Engine, TimeSpan.FromMinutes({Math.Ceiling(needed.TotalMinutes * 1.5).ToString(CultureInfo.InvariantCulture)})), or cache the weights so the engine only loads them.");
            }
        }),
        new(RuleCatalog.GpuNodeLabelUnknown, c =>
        {
            var gpu = c.Deployment.Accelerator?.Gpu;
            if (gpu is null)
            {
                return;
            }

            var placement = c.Deployment.Cluster?.Placement ?? NodePlacement.GpuFeatureDiscovery;
            if (placement.Scheme == NodeLabelScheme.GpuFeatureDiscovery && gpu.Vendor == GpuVendor.Amd && placement.LabelsFor(gpu).Count == 0)
            {
                // NVIDIA's feature discovery labels no AMD GPU; the amd.com/gpu resource alone keeps the pod on AMD nodes.
                return;
            }

            if (placement.LabelsFor(gpu).Count(l => l is not null && !string.IsNullOrWhiteSpace(l.Key) && l.Values is { Count: > 0 }) == 0)
            {
                var scheme = placement.Scheme switch
                {
                    NodeLabelScheme.GpuFeatureDiscovery => $"GPU Feature Discovery ({NodeLabelCatalog.GpuFeatureDiscoveryProduct}) needs GpuKind.ProductLabel, which {gpu.Name} does not declare",
                    NodeLabelScheme.Custom => $"the custom placement has no value for {gpu.Name}",
                    _ => $"{placement.Scheme} does not offer {gpu.Name}, as far as the built-in labels know",
                };
                c.Report("Accelerator.Gpu", $"no node label selects {gpu.Name}: {scheme}. Without one the pod lands on any node with {Rendering.DeploymentManifest.GpuResourceName(gpu)}, a GPU it was not sized for, or waits for a node that never comes. "
                    + $"Declare the label: Cluster = cluster with {{ Placement = cluster.Placement.With(\"{gpu.Name}\", \"<label>\", \"<value>\") }}.");
            }
        }),
        new(RuleCatalog.LivenessOnReadinessEndpoint, c =>
        {
            var engine = c.Deployment.Engine;
            if (engine is null || c.Deployment.Probes?.Liveness is not { } liveness || string.Equals(engine.LivenessPath, engine.HealthPath, StringComparison.Ordinal))
            {
                return;
            }

            if (string.Equals(liveness.Path, engine.HealthPath, StringComparison.Ordinal))
            {
                c.Report("Probes.Liveness", $"the liveness probe polls {engine.HealthPath}, which fails whenever a model is loading or reloading: the kubelet restarts a healthy server. Use {engine.LivenessPath} for liveness: Probes = HealthProbes.For(Engine, <load time>).");
            }
        }),
        new(RuleCatalog.EndpointBlockedByNetworkPolicy, c =>
        {
            if (c.Deployment.Model is null || c.Deployment.Engine is null)
            {
                return;
            }

            foreach (var (path, message) in TrafficPlan.For(c.Deployment).Unreachable)
            {
                c.Report(path, message);
            }
        }),
        new(RuleCatalog.EgressOpenToInternet, c =>
        {
            var cidrs = c.Deployment.Security?.Network?.AllowEgressCidrs ?? [];
            for (var i = 0; i < cidrs.Count; i++)
            {
                if (Cidr.TryParse(cidrs[i], out var range, out _) && Cidr.IsOpenToInternet(range))
                {
                    c.Report($"Security.Network.AllowEgressCidrs[{i}]", $"{cidrs[i]} opens egress to most of the internet: a compromised engine can send its weights, prompts or tokens anywhere. Restrict AllowEgressCidrs to the ranges the endpoints are in, or route external traffic through Cluster.EgressProxy (an allow-listing proxy).");
                }
            }
        }),
        new(RuleCatalog.NetworkSettingInvalid, c =>
        {
            if (c.Deployment.Model is null || c.Deployment.Engine is null)
            {
                return;
            }

            foreach (var (path, message) in TrafficPlan.For(c.Deployment).Invalid)
            {
                c.Report(path, message);
            }

            var cluster = c.Deployment.Cluster;
            if (cluster is null)
            {
                c.Report("Cluster", "Cluster is null. Remove the assignment to use ClusterProfile.Default, or name a profile.");
                return;
            }

            if (!KubernetesName.IsLabel(cluster.DnsNamespace))
            {
                c.Report("Cluster.DnsNamespace", $"'{cluster.DnsNamespace}' is not a namespace name (a DNS-1123 label).");
            }

            if (!KubernetesName.IsSubdomain(cluster.ClusterDomain))
            {
                c.Report("Cluster.ClusterDomain", $"'{cluster.ClusterDomain}' is not a DNS domain, for example cluster.local.");
            }

            if (c.Deployment.Environment is not null && ClusterLayout.NamespaceOf(c.Deployment) is var ns && !KubernetesName.IsLabel(ns))
            {
                c.Report("Namespace", $"on a shared cluster the namespace becomes '{ns}', longer than {KubernetesName.MaxLabelLength} characters. Shorten the namespace or the environment name.");
            }

            var placement = cluster.Placement;
            if (placement is null)
            {
                c.Report("Cluster.Placement", "Placement is null. Remove the assignment to use GPU Feature Discovery labels, or name a placement.");
                return;
            }

            var labels = placement.Labels ?? [];
            for (var i = 0; i < labels.Count; i++)
            {
                if (labels[i] is not { } label || !IsLabelKey(label.Key) || label.Values is null || label.Values.Count == 0 || label.Values.Any(v => v is null || !RuleFacts.IsLabelValue(v)))
                {
                    c.Report($"Cluster.Placement.Labels[{i}]", "a node label needs a key such as 'cloud.google.com/gke-accelerator' and at least one valid label value (63 characters at most, alphanumeric at both ends).");
                }
            }

            if (placement.Scheme == NodeLabelScheme.Custom && !IsLabelKey(placement.LabelKey))
            {
                c.Report("Cluster.Placement.LabelKey", $"'{placement.LabelKey}' is not a node label key, for example 'example.com/gpu'.");
            }

            var tolerations = placement.Tolerations ?? [];
            for (var i = 0; i < tolerations.Count; i++)
            {
                if (tolerations[i] is not { } toleration || !IsLabelKey(toleration.Key) || !TaintEffects.Contains(toleration.Effect ?? string.Empty)
                    || (toleration.Value is not null && !RuleFacts.IsLabelValue(toleration.Value)))
                {
                    c.Report($"Cluster.Placement.Tolerations[{i}]", "a toleration needs a taint key, a valid value or none, and an effect of NoSchedule, PreferNoSchedule or NoExecute.");
                }
            }
        }),
    ];

    /// <summary>CAC2018: two declarations that would own the same Namespace object in one environment.</summary>
    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
    [
        new(RuleCatalog.NamespacesClash, (deployments, _, report) =>
        {
            var valid = deployments.Where(d => d?.Environment is not null && d.Cluster is not null && !string.IsNullOrEmpty(d.Namespace)).ToArray();
            foreach (var environment in valid.GroupBy(d => d.Environment.Name, StringComparer.Ordinal))
            {
                // Two declared namespaces that become one on the cluster (assistant on a shared cluster and assistant-prod on its own).
                foreach (var clash in environment.GroupBy(ClusterLayout.NamespaceOf, StringComparer.Ordinal).Where(g => g.Select(d => d.Namespace).Distinct(StringComparer.Ordinal).Count() > 1))
                {
                    var declared = clash.Select(d => $"{d.Name} ('{d.Namespace}', {d.Cluster.Topology})").Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToArray();
                    foreach (var d in clash)
                    {
                        report(d, "Namespace", $"in {environment.Key}, {string.Join(" and ", declared)} all render into namespace '{clash.Key}': each declaration writes its own Namespace object for it, and Argo CD fights over which labels it keeps. Use one topology for the platform (one ClusterProfile), or distinct namespaces.");
                    }
                }

                // One declared namespace whose deployments disagree on the topology: its Namespace object would follow the first.
                foreach (var split in environment.GroupBy(d => d.Namespace, StringComparer.Ordinal).Where(g => g.Select(d => d.Cluster.Topology).Distinct().Count() > 1))
                {
                    foreach (var d in split)
                    {
                        report(d, "Cluster.Topology", $"in {environment.Key}, the deployments of namespace '{split.Key}' disagree on the cluster topology ({string.Join(", ", split.Select(x => $"{x.Name}: {x.Cluster.Topology}").OrderBy(x => x, StringComparer.Ordinal))}), so they render into different namespaces. Give them the same ClusterProfile.");
                    }
                }
            }
        }),
    ];

    private static bool IsLabelKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        var slash = key!.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key.Substring(slash + 1);
        return (slash < 0 || KubernetesName.IsSubdomain(key.Substring(0, slash))) && name.Length is > 0 and <= 63 && RuleFacts.IsLabelValue(name);
    }

    private static string Minutes(TimeSpan value) =>
        value.TotalMinutes >= 1 ? $"{Math.Ceiling(value.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min" : $"{Math.Ceiling(value.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s";
}
