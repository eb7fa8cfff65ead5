using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The scheduling part of the pod spec: the node labels that select the GPU the deployment was sized for (a
/// <c>nodeSelector</c> when each label has one value, a required node affinity when one has several, as AKS VM sizes
/// do) and the tolerations of GPU nodes' taints.
/// </summary>
internal static class NodeSelection
{
    /// <summary>The labels a node must carry, from the cluster's placement; empty when none is known.</summary>
    public static IReadOnlyList<GpuNodeLabel> Labels(InferenceDeployment d) =>
        (d.Cluster?.Placement ?? NodePlacement.GpuFeatureDiscovery).LabelsFor(d.Accelerator.Gpu)
            .Where(l => l is not null && !string.IsNullOrWhiteSpace(l.Key) && l.Values is { Count: > 0 })
            .ToArray();

    public static MapNode? NodeSelector(InferenceDeployment d)
    {
        var labels = Labels(d);
        if (labels.Count == 0 || labels.Any(l => l.Values.Count != 1))
        {
            return null;
        }

        var selector = new MapNode();
        foreach (var label in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            selector.Set(label.Key, label.Values[0]);
        }

        return selector;
    }

    public static MapNode? Affinity(InferenceDeployment d)
    {
        var labels = Labels(d);
        if (labels.Count == 0 || labels.All(l => l.Values.Count == 1))
        {
            return null;
        }

        var expressions = new ListNode(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => (ManifestNode)new MapNode()
            .Set("key", l.Key)
            .Set("operator", "In")
            .Set("values", ListNode.Strings(l.Values.Distinct(StringComparer.Ordinal)))));
        return new MapNode().Set("nodeAffinity", new MapNode()
            .Set("requiredDuringSchedulingIgnoredDuringExecution", new MapNode()
                .Set("nodeSelectorTerms", ListNode.Of(new MapNode().Set("matchExpressions", expressions)))));
    }

    /// <summary>The GPU resource's own taint (<c>nvidia.com/gpu</c> or <c>amd.com/gpu</c>, any value) and the placement's extra ones.</summary>
    public static ListNode Tolerations(InferenceDeployment d)
    {
        var list = ListNode.Of(new MapNode().Set("key", DeploymentManifest.GpuResourceName(d.Accelerator.Gpu)).Set("operator", "Exists").Set("effect", "NoSchedule"));
        foreach (var toleration in (d.Cluster?.Placement?.Tolerations ?? []).Where(t => t is not null && !string.IsNullOrWhiteSpace(t.Key)).Distinct())
        {
            list.Add(toleration.Value is null
                ? new MapNode().Set("key", toleration.Key).Set("operator", "Exists").Set("effect", toleration.Effect)
                : new MapNode().Set("key", toleration.Key).Set("operator", "Equal").Set("value", toleration.Value).Set("effect", toleration.Effect));
        }

        return list;
    }
}
