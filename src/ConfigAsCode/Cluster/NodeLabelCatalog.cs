using System;
using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// The node labels each cloud sets on its GPU nodes, per catalog GPU it offers (as of 2026; docs/recipes/node-placement.md
/// lists the sources). A GPU a cloud does not offer (L40S on GKE, A10G outside AWS) has no entry: CAC1028 reports it
/// unless the placement declares one with <see cref="NodePlacement.With"/>.
/// </summary>
public static class NodeLabelCatalog
{
    /// <summary>GPU Feature Discovery's product label, valued from <see cref="GpuKind.ProductLabel"/>.</summary>
    public const string GpuFeatureDiscoveryProduct = "nvidia.com/gpu.product";

    /// <summary>GKE's accelerator label.</summary>
    public const string GkeAccelerator = "cloud.google.com/gke-accelerator";

    /// <summary>Karpenter's GPU name label (lower-case EC2 GPU name).</summary>
    public const string KarpenterGpuName = "karpenter.k8s.aws/instance-gpu-name";

    /// <summary>Karpenter's per-GPU memory label, in MiB: tells p4d (A100 40 GB) and p4de (A100 80 GB) apart.</summary>
    public const string KarpenterGpuMemory = "karpenter.k8s.aws/instance-gpu-memory";

    /// <summary>The well-known instance-type label; AKS sets the VM size.</summary>
    public const string InstanceType = "node.kubernetes.io/instance-type";

    private static readonly Dictionary<string, string[]> GkeAccelerators = new(StringComparer.OrdinalIgnoreCase)
    {
        // A3 High and A3 Mega both carry H100 80GB SXM.
        ["H100-80GB"] = ["nvidia-h100-80gb", "nvidia-h100-mega-80gb"],
        ["H200"] = ["nvidia-h200-141gb"],
        ["B200"] = ["nvidia-b200"],
        ["A100-80GB"] = ["nvidia-a100-80gb"],
        ["A100-40GB"] = ["nvidia-tesla-a100"],
        ["L4"] = ["nvidia-l4"],
        ["T4"] = ["nvidia-tesla-t4"],
    };

    private static readonly Dictionary<string, (string Name, string? MemoryMiB)> KarpenterGpus = new(StringComparer.OrdinalIgnoreCase)
    {
        ["H100-80GB"] = ("h100", null),
        ["H200"] = ("h200", null),
        ["B200"] = ("b200", null),
        ["A100-80GB"] = ("a100", "81920"),
        ["A100-40GB"] = ("a100", "40960"),
        ["L40S"] = ("l40s", null),
        ["L4"] = ("l4", null),
        ["A10G"] = ("a10g", null),
        ["T4"] = ("t4", null),
    };

    private static readonly Dictionary<string, string[]> AksVmSizes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["H100-80GB"] = ["Standard_ND96isr_H100_v5"],
        ["H100-NVL"] = ["Standard_NC40ads_H100_v5", "Standard_NC80adis_H100_v5"],
        ["H200"] = ["Standard_ND96isr_H200_v5"],
        ["A100-80GB"] = ["Standard_NC24ads_A100_v4", "Standard_NC48ads_A100_v4", "Standard_NC96ads_A100_v4", "Standard_ND96amsr_A100_v4"],
        ["A100-40GB"] = ["Standard_ND96asr_v4"],
        ["T4"] = ["Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3", "Standard_NC16as_T4_v3", "Standard_NC64as_T4_v3"],
        ["MI300X"] = ["Standard_ND96isr_MI300X_v5"],
    };

    /// <summary>
    /// The built-in labels that select <paramref name="gpu"/> under <paramref name="scheme"/>; empty when the cloud has
    /// none. Each call returns its own lists: the catalog's tables are never handed out, so no caller can change them.
    /// </summary>
    public static IReadOnlyList<GpuNodeLabel> For(NodeLabelScheme scheme, GpuKind gpu)
    {
        if (gpu is null)
        {
            return [];
        }

        switch (scheme)
        {
            case NodeLabelScheme.GpuFeatureDiscovery:
                return string.IsNullOrEmpty(gpu.ProductLabel) ? [] : [new GpuNodeLabel(gpu.Name, GpuFeatureDiscoveryProduct, [gpu.ProductLabel!])];
            case NodeLabelScheme.Gke when GkeAccelerators.TryGetValue(gpu.Name, out var accelerators):
                return [new GpuNodeLabel(gpu.Name, GkeAccelerator, [.. accelerators])];
            case NodeLabelScheme.Karpenter when KarpenterGpus.TryGetValue(gpu.Name, out var karpenter):
                return karpenter.MemoryMiB is null
                    ? [new GpuNodeLabel(gpu.Name, KarpenterGpuName, [karpenter.Name])]
                    : [new GpuNodeLabel(gpu.Name, KarpenterGpuName, [karpenter.Name]), new GpuNodeLabel(gpu.Name, KarpenterGpuMemory, [karpenter.MemoryMiB])];
            case NodeLabelScheme.Aks when AksVmSizes.TryGetValue(gpu.Name, out var sizes):
                return [new GpuNodeLabel(gpu.Name, InstanceType, [.. sizes])];
            default:
                return [];
        }
    }
}
