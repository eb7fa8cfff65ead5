using System.Collections.Generic;

namespace ConfigAsCode;

/// <summary>
/// The pod's security posture. Defaults meet the Kubernetes "restricted" pod-security profile: non-root,
/// read-only root filesystem, no privilege escalation, no host namespaces, all capabilities dropped.
/// </summary>
public sealed record SecuritySpec
{
    public bool RunAsNonRoot { get; init; } = true;

    /// <summary>The UID; 0 is root (CAC2002).</summary>
    public long? RunAsUser { get; init; } = 1000;

    public bool ReadOnlyRootFilesystem { get; init; } = true;

    public bool Privileged { get; init; }

    public bool AllowPrivilegeEscalation { get; init; }

    public bool HostNetwork { get; init; }

    public bool HostIpc { get; init; }

    public bool HostPid { get; init; }

    /// <summary>Linux capabilities added back after dropping ALL.</summary>
    public IReadOnlyList<string> AddCapabilities { get; init; } = [];

    /// <summary>The ServiceAccount; the deployment's name when null. Created with least privilege (no role bindings).</summary>
    public string? ServiceAccountName { get; init; }

    /// <summary>Mount the API token into the pod. Inference servers never need it (CAC2012).</summary>
    public bool AutomountServiceAccountToken { get; init; }

    /// <summary>The NetworkPolicy.</summary>
    public NetworkPolicySpec Network { get; init; } = new();
}

/// <summary>
/// Who may reach the engine and where it may connect. The NetworkPolicy is derived from what the deployment uses:
/// ingress from its own namespace, the namespaces listed here and the cluster's gateway, and from the monitoring
/// namespace on the metrics port; egress to DNS and to every endpoint it is configured with (the model source, the
/// trace collector, <see cref="Dependencies"/>). An endpoint outside the cluster needs a route: its ranges in
/// <see cref="AllowEgressCidrs"/>, or the cluster's egress proxy; otherwise CAC2015 names it.
/// </summary>
public sealed record NetworkPolicySpec
{
    /// <summary>Namespaces whose pods may call the engine, besides its own.</summary>
    public IReadOnlyList<string> AllowIngressFromNamespaces { get; init; } = [];

    /// <summary>Allow ingress from anywhere, including outside the cluster (CAC2010 without an API key).</summary>
    public bool AllowIngressFromAnywhere { get; init; }

    /// <summary>Accept traffic from the cluster's gateway (<see cref="ClusterProfile.GatewayNamespace"/>) when it has one.</summary>
    public bool AllowIngressFromGateway { get; init; } = true;

    /// <summary>
    /// The ranges the endpoints outside the cluster are reached in (a mirror's subnet, VPC endpoints, a NAT range):
    /// the pods may reach them on 443 and on each external endpoint's port. Empty: no external endpoint is reachable
    /// except through the cluster's egress proxy.
    /// </summary>
    public IReadOnlyList<string> AllowEgressCidrs { get; init; } = [];

    /// <summary>
    /// Other services the engine calls, as URLs with a port where the scheme has none: <c>http://embeddings.search:8000</c>,
    /// <c>tcp://session-cache.assistant:6379</c>. In-cluster services are allowed by namespace and port; external
    /// ones need a route like every external endpoint.
    /// </summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];
}
