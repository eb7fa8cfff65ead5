using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// The facts rules decide with, defined once for the build-time validator and the analyzer (which compiles this
/// file as source, like <see cref="RuleCatalog"/>), so the two can never disagree on what a pinned revision or a
/// baseline capability is. BCL only.
/// </summary>
public static class RuleFacts
{
    /// <summary>Capabilities the Kubernetes "baseline" pod-security profile allows to be added (CAC2006).</summary>
    public static IReadOnlyCollection<string> BaselineCapabilities { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>Tags every release moves (CAC5001), compared without regard to case.</summary>
    public static IReadOnlyList<string> MutableTags { get; } = ["latest", "main", "master", "nightly", "dev", "stable", "edge"];

    /// <summary>
    /// GPUs per node of each <c>GpuCatalog</c> member, by member name, for the analyzer's CAC3014 (it sees the member,
    /// not its value). A test keeps this equal to <c>GpuKind.GpusPerNode</c> of the catalog.
    /// </summary>
    public static IReadOnlyDictionary<string, int> GpusPerNode { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["H100_80GB"] = 8, ["H100_NVL"] = 8, ["H200"] = 8, ["B200"] = 8, ["MI300X"] = 8,
        ["A100_80GB"] = 8, ["A100_40GB"] = 8, ["L40S"] = 8, ["L4"] = 8, ["A10G"] = 8, ["T4"] = 8,
    };

    /// <summary>The largest traffic step, in percentage points, a rollout may take before CAC1016 fires.</summary>
    public const int MaxWeightStep = 50;

    private static readonly Regex EnvVarName = new("^[-._a-zA-Z][-._a-zA-Z0-9]*\\z", RegexOptions.CultureInvariant);
    private static readonly Regex CommitSha = new("^[0-9a-f]{40}\\z", RegexOptions.CultureInvariant);
    private static readonly Regex LabelValue = new("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\\z", RegexOptions.CultureInvariant);

    /// <summary>
    /// Namespaces a deployment must never use (CAC2008): <c>default</c> has no quota, policy or owner, and the
    /// <c>kube-</c> namespaces belong to the cluster (a rendered Namespace object would relabel them).
    /// </summary>
    public static bool IsReservedNamespace(string? name) =>
        name is not null && (string.Equals(name, "default", StringComparison.Ordinal) || name.StartsWith("kube-", StringComparison.Ordinal));

    /// <summary>
    /// An environment variable name the Kubernetes API server accepts everywhere (<c>IsEnvVarName</c>: letters,
    /// digits, '_', '-', '.', not starting with a digit). Names with '=' or spaces are rejected by every version.
    /// </summary>
    public static bool IsEnvVarName(string? name) => name is { Length: > 0 } && EnvVarName.IsMatch(name);

    /// <summary>A model revision pinned to a commit: 40 lower-case hex digits (CAC2009, CAC5003).</summary>
    public static bool IsPinnedRevision(string? revision) => revision is not null && CommitSha.IsMatch(revision);

    /// <summary>A valid Kubernetes label value: at most 63 characters, alphanumeric at both ends, '-', '_' and '.' inside (CAC4002).</summary>
    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValue.IsMatch(value);

    /// <summary>
    /// Why an endpoint URL would put a credential into the manifests: a <c>user:password@</c> part, or a token in
    /// the query; null when it carries none. The reason never repeats the credential.
    /// </summary>
    public static string? EndpointCredentials(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        // A user name alone (ssh://git@host) is not a credential; a password is, unless it is a $(VAR) reference that
        // Kubernetes fills from a Secret-backed variable.
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.IndexOf(":", StringComparison.Ordinal) is var colon and >= 0
            && colon < uri.UserInfo.Length - 1 && !Secrets.SecretDetector.IsReference(Uri.UnescapeDataString(uri.UserInfo.Substring(colon + 1))))
        {
            return "the URL has a password in its user-info part (user:password@)";
        }

        var query = url!.IndexOf("?", StringComparison.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in url.Substring(query + 1).Split('&'))
            {
                var equals = pair.IndexOf("=", StringComparison.Ordinal);
                var name = equals < 0 ? pair : pair.Substring(0, equals);
                var value = equals < 0 ? string.Empty : pair.Substring(equals + 1);
                if (value.Length > 0 && (Secrets.SecretDetector.IsSensitiveName(name) || Secrets.SecretDetector.DetectTokenFormat(value) is not null))
                {
                    return $"the query parameter '{name}' carries a credential";
                }
            }
        }

        return null;
    }

    /// <summary>A capability name as the profile lists it: upper case, without <c>CAP_</c>.</summary>
    public static string NormalizeCapability(string capability)
    {
        var normalized = capability.Trim().ToUpperInvariant();
        return normalized.StartsWith("CAP_", StringComparison.Ordinal) ? normalized.Substring(4) : normalized;
    }
}
