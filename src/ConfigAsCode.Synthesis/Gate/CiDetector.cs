using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// Decides whether the build runs in CI, where accepting snapshots is refused. An explicit answer (the MSBuild
/// property <c>ConfigAsCodeIsCI</c>, <c>true</c> or <c>false</c>) always wins, and any other explicit value is an error
/// (CAC9015) rather than a silent "no": <c>ConfigAsCodeIsCI=yes</c> must never switch CI protection off. Otherwise
/// <c>ContinuousIntegrationBuild=true</c>, a <c>CI</c> variable with any value but false/0/no/off (GitHub, GitLab,
/// Woodpecker and most others set it, some to their own name), the MSBuild property <c>CI</c> with such a value (a
/// <c>-p:CI=true</c> the environment does not have), or a provider's own variable counts.
/// </summary>
public static class CiDetector
{
    /// <summary>Provider variables that mark CI even without <c>CI</c> (documented in docs/msbuild-reference.md).</summary>
    public static IReadOnlyList<string> ProviderVariables { get; } =
    [
        "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "JENKINS_URL", "HUDSON_URL", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER",
        "BUILDKITE", "CIRCLECI", "TRAVIS", "APPVEYOR", "CODEBUILD_BUILD_ID", "DRONE", "WOODPECKER_CI", "CI_SYSTEM_NAME",
        "BITRISE_IO", "SEMAPHORE", "CIRRUS_CI", "CF_BUILD_ID", "HARNESS_BUILD_ID", "GO_PIPELINE_NAME", "BUDDY_WORKSPACE_ID",
        "SCREWDRIVER", "APPCENTER_BUILD_ID", "bamboo_buildKey", "BUILD_ID_GOOGLE_CLOUD_BUILD", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI",
    ];

    private static readonly HashSet<string> Falsy = new(StringComparer.OrdinalIgnoreCase) { "false", "0", "no", "off", "n" };

    /// <summary>The reason the build counts as CI (or null), or the problem with an explicit answer.</summary>
    public static (string? Reason, string? Problem) Detect(IDictionary environment, string? explicitValue, bool continuousIntegrationBuild, string? ciProperty = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(explicitValue))
        {
            var value = explicitValue.Trim();
            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
            {
                return ("ConfigAsCodeIsCI=true", null);
            }

            if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
            {
                return (null, null);
            }

            return ("ConfigAsCodeIsCI=" + value, $"ConfigAsCodeIsCI is '{value}'; it must be true or false (or unset, to detect CI from the environment). The build is treated as CI until it is fixed.");
        }

        if (continuousIntegrationBuild)
        {
            return ("ContinuousIntegrationBuild=true", null);
        }

        var ci = (environment["CI"] as string)?.Trim();
        if (!string.IsNullOrEmpty(ci) && !Falsy.Contains(ci))
        {
            return ("CI=" + ci, null);
        }

        var property = ciProperty?.Trim();
        if (!string.IsNullOrEmpty(property) && !Falsy.Contains(property))
        {
            return ("CI=" + property + " (MSBuild property)", null);
        }

        var provider = ProviderVariables.FirstOrDefault(v => !string.IsNullOrEmpty(environment[v] as string));
        return (provider is null ? null : provider + " is set", null);
    }
}
