using System;
using System.Text.RegularExpressions;

namespace ConfigAsCode.Tool.Import;

/// <summary>
/// Environments from folder names and labels: <c>deploy/prod/...</c> is prod. The three well-known names and their
/// usual spellings map to <see cref="DeploymentEnvironment.Dev"/>, <see cref="DeploymentEnvironment.Staging"/> and
/// <see cref="DeploymentEnvironment.Prod"/>; a suffixed name such as <c>prod-eu</c> becomes an environment of its own
/// (production when it starts with <c>prod</c>). Anything else is not an environment name.
/// </summary>
internal static class EnvironmentNames
{
    private static readonly Regex Suffixed = new("^(dev|staging|prod)-[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    /// <summary>The canonical environment name for a folder or label value, or null.</summary>
    public static string? Canonical(string? segment)
    {
        var value = segment?.Trim().ToLowerInvariant();
        return value switch
        {
            null or "" => null,
            "dev" or "development" => "dev",
            "staging" or "stage" or "stg" => "staging",
            "prod" or "production" or "prd" => "prod",
            _ when value.Length <= ConfigAsCode.KubernetesName.MaxLabelLength && Suffixed.IsMatch(value) => value,
            _ => null,
        };
    }

    /// <summary>The environment named by the folder nearest to the file, or null.</summary>
    public static string? FromPath(string relativePath)
    {
        var segments = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 2; i >= 0; i--)
        {
            if (Canonical(segments[i]) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The model's environment for a canonical name.</summary>
    public static DeploymentEnvironment ToEnvironment(string name) => name switch
    {
        "dev" => DeploymentEnvironment.Dev,
        "staging" => DeploymentEnvironment.Staging,
        "prod" => DeploymentEnvironment.Prod,
        _ => new DeploymentEnvironment(name, isProduction: name.StartsWith("prod", StringComparison.Ordinal)),
    };

    /// <summary>Declaration order: dev, staging, prod, then others by name.</summary>
    public static int Order(string name) => name switch
    {
        "dev" => 0,
        "staging" => 1,
        "prod" => 2,
        _ => 3,
    };
}
