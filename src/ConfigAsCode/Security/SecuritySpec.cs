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

/// <summary>Who may reach the engine and where it may connect. Default: same namespace in, DNS and HTTPS out.</summary>
public sealed record NetworkPolicySpec
{
    /// <summary>Namespaces whose pods may call the engine, besides its own.</summary>
    public IReadOnlyList<string> AllowIngressFromNamespaces { get; init; } = [];

    /// <summary>Allow ingress from anywhere, including outside the cluster (CAC2010 without an API key).</summary>
    public bool AllowIngressFromAnywhere { get; init; }

    /// <summary>CIDRs the pod may reach on 443 (model hub, object storage); empty blocks all egress but DNS.</summary>
    public IReadOnlyList<string> AllowEgressCidrs { get; init; } = [];
}
