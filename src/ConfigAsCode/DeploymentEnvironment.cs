using System;

namespace ConfigAsCode;

/// <summary>
/// An environment a deployment is rendered for. Rules that only matter in production (replicas, digests,
/// dev mode) use <see cref="IsProduction"/>, so a user-defined name such as "prod-eu" works the same as "prod".
/// </summary>
public sealed record DeploymentEnvironment
{
    private readonly string _name = string.Empty;

    /// <summary>Creates an environment; <paramref name="name"/> must be a DNS-1123 label.</summary>
    public DeploymentEnvironment(string name, bool isProduction = false)
    {
        Name = name;
        IsProduction = isProduction;
    }

    /// <summary>The development environment.</summary>
    public static DeploymentEnvironment Dev { get; } = new("dev");

    /// <summary>The staging environment.</summary>
    public static DeploymentEnvironment Staging { get; } = new("staging");

    /// <summary>The production environment.</summary>
    public static DeploymentEnvironment Prod { get; } = new("prod", isProduction: true);

    /// <summary>The environment's name, used as the first folder of the GitOps layout and the <c>env</c> label.</summary>
    public string Name
    {
        get => _name;
        init => _name = KubernetesName.EnsureLabel(value, nameof(Name));
    }

    /// <summary>True for environments that serve real traffic; production-only rules apply.</summary>
    public bool IsProduction { get; init; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
