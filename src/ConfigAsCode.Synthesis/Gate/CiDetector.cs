using System;
using System.Collections;
using System.Linq;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// Decides whether the build runs in CI, where accepting snapshots is refused. An explicit answer (the MSBuild
/// property <c>ConfigAsCodeIsCI</c>) always wins; otherwise <c>ContinuousIntegrationBuild=true</c>, <c>CI=true</c>
/// or a provider's own variable counts.
/// </summary>
public static class CiDetector
{
    private static readonly string[] ProviderVariables =
    [
        "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER",
        "BUILDKITE", "CIRCLECI", "TRAVIS", "APPVEYOR", "CODEBUILD_BUILD_ID", "DRONE", "BUILD_ID_GOOGLE_CLOUD_BUILD",
    ];

    /// <summary>The reason the build counts as CI, or null.</summary>
    public static string? Detect(IDictionary environment, bool? explicitCi, bool continuousIntegrationBuild)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (explicitCi is { } value)
        {
            return value ? "ConfigAsCodeIsCI=true" : null;
        }

        if (continuousIntegrationBuild)
        {
            return "ContinuousIntegrationBuild=true";
        }

        var ci = environment["CI"] as string;
        if (ci is not null && (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1"))
        {
            return "CI=" + ci;
        }

        var provider = ProviderVariables.FirstOrDefault(v => !string.IsNullOrEmpty(environment[v] as string));
        return provider is null ? null : provider + " is set";
    }
}
