using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// One <c>v1</c> Namespace per namespace and environment, carrying the cost labels its deployments agree on
/// (OpenCost and Kubecost read namespace labels) and the strictest pod-security level they all meet.
/// </summary>
internal static class NamespaceManifest
{
    /// <summary>
    /// The Namespace of <paramref name="members"/>, declared as <paramref name="name"/>; on a shared cluster its object is
    /// named with the environment as a suffix (CAC2018 reports two declarations that would meet in one).
    /// </summary>
    public static MapNode Build(string name, IReadOnlyList<InferenceDeployment> members, string platformName)
    {
        name = Network.ClusterLayout.NamespaceOf(members[0]);
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = WorkloadIdentity.ManagedBy,
            ["app.kubernetes.io/part-of"] = LabelValues.Sanitize(platformName) ?? "platform",
            ["env"] = members[0].Environment.Name,
            ["pod-security.kubernetes.io/enforce"] = members.All(MeetsRestricted) ? "restricted" : "baseline",
        };

        // A label is stamped only when every deployment in the namespace agrees on it; the pods carry their own.
        var perDeployment = members.Select(m => WorkloadIdentity.CostLabels(m).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)).ToArray();
        foreach (var key in perDeployment.SelectMany(p => p.Keys).Distinct(StringComparer.Ordinal))
        {
            var values = perDeployment.Select(p => p.TryGetValue(key, out var v) ? v : null).Distinct(StringComparer.Ordinal).ToArray();
            if (values.Length == 1 && values[0] is not null)
            {
                labels[key] = values[0]!;
            }
        }

        return new MapNode()
            .Set("apiVersion", "v1")
            .Set("kind", "Namespace")
            .Set("metadata", new MapNode().Set("name", name).Set("labels", MapNode.Of(labels)));
    }

    private static bool MeetsRestricted(InferenceDeployment d)
    {
        var s = d.Security;
        return s.RunAsNonRoot && s.RunAsUser != 0 && !s.Privileged && !s.AllowPrivilegeEscalation && !s.HostNetwork && !s.HostIpc && !s.HostPid
            && s.AddCapabilities.All(c => string.Equals(c, "NET_BIND_SERVICE", StringComparison.Ordinal));
    }
}
