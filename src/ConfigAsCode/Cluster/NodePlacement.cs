using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode;

/// <summary>Which node labels tell the GPU model apart on a cluster.</summary>
public enum NodeLabelScheme
{
    /// <summary>NVIDIA GPU Feature Discovery (GPU Operator, or NFD with GFD): <c>nvidia.com/gpu.product</c>.</summary>
    GpuFeatureDiscovery,

    /// <summary>GKE: <c>cloud.google.com/gke-accelerator</c>, set on every GPU node pool.</summary>
    Gke,

    /// <summary>EKS with Karpenter: <c>karpenter.k8s.aws/instance-gpu-name</c> (and <c>instance-gpu-memory</c>).</summary>
    Karpenter,

    /// <summary>AKS: the node's VM size, <c>node.kubernetes.io/instance-type</c>, plus <c>kubernetes.azure.com/accelerator</c>.</summary>
    Aks,

    /// <summary>A label of your own (<see cref="NodePlacement.LabelKey"/>) with a value per GPU.</summary>
    Custom,
}

/// <summary>A taint GPU nodes carry that the pods must tolerate, besides the GPU resource's own (<c>nvidia.com/gpu</c>).</summary>
/// <param name="Key">The taint key, for example <c>sku</c>.</param>
/// <param name="Value">The taint value; null tolerates any value (operator Exists).</param>
/// <param name="Effect">NoSchedule, PreferNoSchedule or NoExecute.</param>
public sealed record NodeToleration(string Key, string? Value = null, string Effect = "NoSchedule");

/// <summary>Label values for one GPU: the node must carry <paramref name="Key"/> with one of <paramref name="Values"/>.</summary>
/// <param name="Gpu">The GPU's catalog name (<see cref="GpuKind.Name"/>), for example <c>H100-80GB</c>.</param>
/// <param name="Key">The node label.</param>
/// <param name="Values">Accepted values; a node with any of them qualifies.</param>
public sealed record GpuNodeLabel(string Gpu, string Key, IReadOnlyList<string> Values);

/// <summary>
/// How the pods of a deployment land on nodes with the GPU they were sized for: a label scheme (GPU Feature Discovery,
/// GKE, Karpenter, AKS or your own label), the label values per GPU (built in for the catalog GPUs each cloud offers,
/// see <see cref="NodeLabelCatalog"/>), and the taints GPU nodes carry. A GPU the scheme has no value for is reported
/// (CAC1028), never left to land on any GPU node.
/// </summary>
public sealed record NodePlacement
{
    /// <summary>NVIDIA GPU Feature Discovery labels (<c>nvidia.com/gpu.product</c> from <see cref="GpuKind.ProductLabel"/>).</summary>
    public static NodePlacement GpuFeatureDiscovery { get; } = new() { Scheme = NodeLabelScheme.GpuFeatureDiscovery };

    /// <summary>GKE's <c>cloud.google.com/gke-accelerator</c>; GKE taints GPU nodes <c>nvidia.com/gpu=present:NoSchedule</c>.</summary>
    public static NodePlacement Gke { get; } = new() { Scheme = NodeLabelScheme.Gke };

    /// <summary>Karpenter's <c>karpenter.k8s.aws/instance-gpu-name</c>; GPU NodePools are usually tainted <c>nvidia.com/gpu:NoSchedule</c>.</summary>
    public static NodePlacement Karpenter { get; } = new() { Scheme = NodeLabelScheme.Karpenter };

    /// <summary>AKS VM sizes, tolerating <c>sku=gpu:NoSchedule</c>, the taint AKS documents for GPU node pools.</summary>
    public static NodePlacement Aks { get; } = new() { Scheme = NodeLabelScheme.Aks, Tolerations = [new NodeToleration("sku", "gpu")] };

    /// <summary>Your own label: <paramref name="labelKey"/> with the value <paramref name="valuesByGpu"/> gives for each GPU name.</summary>
    public static NodePlacement Custom(string labelKey, IReadOnlyDictionary<string, string> valuesByGpu, params NodeToleration[] tolerations) => new()
    {
        Scheme = NodeLabelScheme.Custom,
        LabelKey = labelKey,
        Labels = (valuesByGpu ?? new Dictionary<string, string>())
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new GpuNodeLabel(p.Key, labelKey, [p.Value]))
            .ToArray(),
        Tolerations = tolerations ?? [],
    };

    /// <summary>The label scheme.</summary>
    public NodeLabelScheme Scheme { get; init; }

    /// <summary>The label of a <see cref="NodeLabelScheme.Custom"/> scheme.</summary>
    public string? LabelKey { get; init; }

    /// <summary>Label values per GPU that replace or add to the built-in ones (a GPU of your own, A3 Mega instead of A3 High).</summary>
    public IReadOnlyList<GpuNodeLabel> Labels { get; init; } = [];

    /// <summary>Taints to tolerate besides the GPU resource's own.</summary>
    public IReadOnlyList<NodeToleration> Tolerations { get; init; } = [];

    /// <summary>
    /// This placement with <paramref name="gpu"/> selected by <paramref name="key"/> in <paramref name="values"/>. Declared
    /// labels of a GPU replace its built-in ones; call it once per label when a GPU needs two.
    /// </summary>
    public NodePlacement With(string gpu, string key, params string[] values) => this with
    {
        Labels = (Labels ?? [])
            .Where(l => !(string.Equals(l?.Gpu, gpu, StringComparison.OrdinalIgnoreCase) && string.Equals(l?.Key, key, StringComparison.Ordinal)))
            .Append(new GpuNodeLabel(gpu, key, values ?? []))
            .ToArray(),
    };

    /// <summary>The node labels that select <paramref name="gpu"/>: a declared entry, else the scheme's built-in one; empty when none is known.</summary>
    public IReadOnlyList<GpuNodeLabel> LabelsFor(GpuKind gpu)
    {
        if (gpu is null)
        {
            return [];
        }

        var declared = (Labels ?? []).Where(l => l is not null && string.Equals(l.Gpu, gpu.Name, StringComparison.OrdinalIgnoreCase)).ToArray();
        return declared.Length > 0 ? declared : NodeLabelCatalog.For(Scheme, gpu);
    }
}
