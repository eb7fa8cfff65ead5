using System.Globalization;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// The values of one part of a deployment that the Kubernetes API server refuses, each with the message CAC9008 gives
/// for it, defined once for the renderer (<c>ManifestRenderer.RefusedValue</c>, which adds what needs the whole
/// deployment) and the analyzer (which compiles this file and <c>KubernetesName</c> as source for netstandard2.0 and
/// reports a constant it refuses as you type), so the two never disagree on a value or its words. BCL only: no newer APIs.
/// </summary>
public static class RefusedValues
{
    /// <summary>Why Kubernetes refuses <paramref name="name"/> as an environment variable name, or null when it accepts it.</summary>
    public static string? EnvVarName(string? name) => RuleFacts.IsEnvVarName(name)
        ? null
        : $"'{Printable(name ?? string.Empty)}' is not an environment variable name Kubernetes accepts (letters, digits, '_', '-' and '.', not starting with a digit). Rename it.";

    /// <summary>Why the API server refuses <paramref name="account"/> as a ServiceAccount name, or null when it accepts it (or it is unset).</summary>
    public static string? ServiceAccountName(string? account) => account is null || KubernetesName.IsSubdomain(account)
        ? null
        : $"'{Printable(account)}' is not a ServiceAccount name the API server accepts: use 1-{KubernetesName.MaxSubdomainLength.ToString(CultureInfo.InvariantCulture)} lowercase letters, digits, '-' or '.', starting and ending with a letter or digit (RFC 1123 subdomain), or leave it unset for the deployment's name.";

    /// <summary>Why the API server refuses <paramref name="port"/> as a container or probe port (1-65535), or null when it accepts it.</summary>
    public static string? Port(long port) => port is >= 1 and <= 65535
        ? null
        : $"{port.ToString(CultureInfo.InvariantCulture)} is not a port (1-65535): the API server refuses the manifest. Use the engine's port (vLLM 8000, TGI 8080, Triton 8000/8001/8002).";

    /// <summary><paramref name="value"/> with control characters and halves of surrogate pairs shown as '?', for a message.</summary>
    public static string Printable(string value) => new(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}
