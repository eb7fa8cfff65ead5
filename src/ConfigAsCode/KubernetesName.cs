using System;
using System.Text.RegularExpressions;

namespace ConfigAsCode;

/// <summary>
/// Validates Kubernetes object names at construction time, so a bad name fails where it is typed
/// rather than when the cluster rejects the manifest.
/// </summary>
public static class KubernetesName
{
    /// <summary>The longest RFC 1123 label, and so the longest name usable as a label value.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The longest RFC 1123 subdomain.</summary>
    public const int MaxSubdomainLength = 253;

    private static readonly Regex Label = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant);
    private static readonly Regex Subdomain = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant);

    private static readonly Regex Dns1035 = new("^[a-z]([-a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant);
    private static readonly Regex ConfigKey = new("^[-._a-zA-Z0-9]+\\z", RegexOptions.CultureInvariant);

    /// <summary>
    /// True when <paramref name="value"/> is a DNS-1035 label: a DNS-1123 label that starts with a letter. A Service's
    /// name must be one, so a deployment named '7b-chat' is a valid Deployment name but not a valid Service name.
    /// </summary>
    public static bool IsDns1035Label(string? value) =>
        value is { Length: > 0 and <= MaxLabelLength } && Dns1035.IsMatch(value);

    /// <summary>
    /// True when <paramref name="value"/> is a key the API server accepts in a Secret or ConfigMap (and so in a
    /// <c>secretKeyRef</c>): 1-253 of letters, digits, '-', '_' and '.', and not '.', '..' or anything starting with '..'.
    /// </summary>
    public static bool IsSecretKey(string? value) =>
        value is { Length: > 0 and <= MaxSubdomainLength }
        && ConfigKey.IsMatch(value)
        && value != "."
        && !value.StartsWith("..", StringComparison.Ordinal);

    /// <summary>True when <paramref name="value"/> is a DNS-1123 label (names, namespaces).</summary>
    public static bool IsLabel(string? value) =>
        value is { Length: > 0 and <= MaxLabelLength } && Label.IsMatch(value);

    /// <summary>True when <paramref name="value"/> is a DNS-1123 subdomain (Secret names, for example).</summary>
    public static bool IsSubdomain(string? value) =>
        value is { Length: > 0 and <= MaxSubdomainLength } && Subdomain.IsMatch(value);

    /// <summary>Returns <paramref name="value"/> or throws an <see cref="ArgumentException"/> that says how to fix it.</summary>
    public static string EnsureLabel(string? value, string parameterName)
    {
        if (IsLabel(value))
        {
            return value!;
        }

        throw new ArgumentException(
            $"'{value}' is not a valid Kubernetes name for {parameterName}: use 1-{MaxLabelLength} lowercase letters, digits or '-', starting and ending with a letter or digit (RFC 1123 label), for example 'llama-70b-chat'.",
            parameterName);
    }

    /// <summary>Returns <paramref name="value"/> or throws an <see cref="ArgumentException"/> that says how to fix it.</summary>
    public static string EnsureSubdomain(string? value, string parameterName) =>
        SubdomainProblem(value, parameterName) is { } problem ? throw new ArgumentException(problem, parameterName) : value!;

    /// <summary>
    /// Why <see cref="EnsureSubdomain"/> refuses <paramref name="value"/>, or null when it is a subdomain. Also compiled
    /// into the analyzer (netstandard2.0, BCL only), which reports a constant it refuses as CAC9020 with these words.
    /// </summary>
    internal static string? SubdomainProblem(string? value, string parameterName) => IsSubdomain(value)
        ? null
        : $"'{value}' is not a valid Kubernetes name for {parameterName}: use 1-{MaxSubdomainLength} lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (RFC 1123 subdomain), for example 'hf-token'.";

    /// <summary>
    /// Why <c>SecretReference.Key</c> refuses <paramref name="key"/>, or null when it is a key the API server accepts. The
    /// message never repeats the key: a careless key may be the secret itself. Also compiled into the analyzer (CAC9020).
    /// </summary>
    internal static string? SecretKeyProblem(string? key) =>
        string.IsNullOrEmpty(key) ? "A secret key must not be empty; name the key inside the Secret, for example 'token'."
        : IsSecretKey(key) ? null
        : $"A secret key {Why(key!)}, so the Kubernetes API server refuses the secretKeyRef: use 1-{MaxSubdomainLength} letters, digits, '-', '_' or '.' (a key of '.' alone, or one starting with '..', is refused too), for example 'token' or 'hf_token'.";

    // What is wrong with a key, without echoing it.
    private static string Why(string key)
    {
        if (key.Length > MaxSubdomainLength)
        {
            return $"has {key.Length} characters (at most {MaxSubdomainLength})";
        }

        if (key == "." || key.StartsWith("..", StringComparison.Ordinal))
        {
            return key == "." ? "is '.'" : "starts with '..'";
        }

        foreach (var c in key)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return c is >= ' ' and < (char)0x7F ? $"contains '{c}'" : $"contains U+{(int)c:X4}";
            }
        }

        return "is not valid";
    }
}
