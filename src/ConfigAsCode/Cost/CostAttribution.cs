using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// Who pays. Stamped as labels on the namespace, the workload and the pod template so OpenCost and
/// Kubecost can allocate GPU spend (CAC4001 when missing).
/// </summary>
public sealed record CostAttribution
{
    /// <summary>The owning team (<c>team</c> label).</summary>
    public string? Team { get; init; }

    /// <summary>The cost centre (<c>cost-center</c> label).</summary>
    public string? CostCenter { get; init; }

    /// <summary>The accountable owner (<c>owner</c> label).</summary>
    public string? Owner { get; init; }

    /// <summary>Further labels, for example <c>product</c>. Keys and values must be valid Kubernetes labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
