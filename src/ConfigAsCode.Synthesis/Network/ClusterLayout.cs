using System;

namespace ConfigAsCode.Synthesis.Network;

/// <summary>Where a deployment's objects land on its cluster: the namespace, as the topology makes it.</summary>
public static class ClusterLayout
{
    /// <summary>
    /// The namespace the objects are created in: the declared one on a cluster per environment, or the declared one with
    /// the environment as a suffix (<c>assistant-prod</c>) on a cluster shared by environments.
    /// </summary>
    public static string NamespaceOf(InferenceDeployment d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return (d.Cluster?.Topology ?? ClusterTopology.ClusterPerEnvironment) == ClusterTopology.SharedCluster && d.Environment is not null
            ? d.Namespace + "-" + d.Environment.Name
            : d.Namespace;
    }
}
