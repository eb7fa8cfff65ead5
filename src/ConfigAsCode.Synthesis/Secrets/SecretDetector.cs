using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace ConfigAsCode.Synthesis.Secrets;

/// <summary>
/// Recognises credentials by format (gitleaks and detect-secrets patterns) and by sensitive variable names
/// (Polaris). It reports only which kind of secret it saw, never the value. Written without dependencies so
/// the analyzer compiles the same source.
/// </summary>
public static class SecretDetector
{
    private static readonly (string Kind, Regex Pattern)[] TokenFormats =
    [
        ("OpenAI API key", new Regex(@"\bsk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}", RegexOptions.CultureInvariant)),
        ("OpenAI API key", new Regex(@"\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b", RegexOptions.CultureInvariant)),
        ("Anthropic API key", new Regex(@"\bsk-ant-(api03|admin01)-[A-Za-z0-9_-]{93}AA\b", RegexOptions.CultureInvariant)),
        ("Hugging Face token", new Regex(@"\b(hf_|api_org_)[A-Za-z]{34}\b", RegexOptions.CultureInvariant)),
        ("GitHub token", new Regex(@"\b(ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}\b", RegexOptions.CultureInvariant)),
        ("GitHub token", new Regex(@"\bgithub_pat_\w{82}\b", RegexOptions.CultureInvariant)),
        ("AWS access key", new Regex(@"\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b", RegexOptions.CultureInvariant)),
        ("Slack token", new Regex(@"\bxox[baprs]-[0-9A-Za-z-]{10,}", RegexOptions.CultureInvariant)),
        ("Slack token", new Regex(@"\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+", RegexOptions.CultureInvariant)),
        ("Google API key", new Regex(@"\bAIza[\w-]{35}\b", RegexOptions.CultureInvariant)),
        ("private key", new Regex(@"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----", RegexOptions.CultureInvariant)),
    ];

    private static readonly string[] SensitiveNameParts = ["PASSWORD", "PASSWD", "TOKEN", "BEARER", "SECRET", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"];

    private static readonly Regex AzureKeyName = new("^AZURE_.*KEY$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The kind of credential <paramref name="value"/> looks like, or null.</summary>
    public static string? DetectTokenFormat(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        foreach (var (kind, pattern) in TokenFormats)
        {
            if (pattern.IsMatch(value))
            {
                return kind;
            }
        }

        return LooksLikeHighEntropyKey(value!) ? "high-entropy key" : null;
    }

    /// <summary>True when a variable of this name must never hold a literal (Polaris <c>sensitiveContainerEnvVar</c>).</summary>
    public static bool IsSensitiveName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var upper = name!.ToUpperInvariant();
        return SensitiveNameParts.Any(part => upper.IndexOf(part, StringComparison.Ordinal) >= 0) || AzureKeyName.IsMatch(upper);
    }

    /// <summary>
    /// Why the literal <paramref name="value"/> of variable <paramref name="name"/> is a secret, or null.
    /// The reason never quotes the value.
    /// </summary>
    public static string? Explain(string? name, string? value)
    {
        var format = DetectTokenFormat(value);
        if (format is not null)
        {
            return $"its value has the format of a {format}";
        }

        if (IsSensitiveName(name) && !string.IsNullOrEmpty(value))
        {
            return $"'{name}' is a credential name and must not carry a literal";
        }

        return null;
    }

    /// <summary>Replaces every recognised token in <paramref name="text"/> with <c>***</c>.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var (_, pattern) in TokenFormats)
        {
            text = pattern.Replace(text, "***");
        }

        return text;
    }

    // detect-secrets thresholds: 4.5 bits/char for base64-like strings. Only unbroken runs of key characters are
    // considered, so URLs, model ids ("org/name"), digests ("sha256:...") and paths are never flagged.
    private static bool LooksLikeHighEntropyKey(string value)
    {
        if (value.Length < 32 || value.Length > 512)
        {
            return false;
        }

        foreach (var c in value)
        {
            var keyChar = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '=' or '_' or '-';
            if (!keyChar)
            {
                return false;
            }
        }

        var hasUpper = value.Any(c => c is >= 'A' and <= 'Z');
        var hasLower = value.Any(c => c is >= 'a' and <= 'z');
        var hasDigit = value.Any(c => c is >= '0' and <= '9');
        return hasUpper && hasLower && hasDigit && ShannonEntropy(value) >= 4.5;
    }

    private static double ShannonEntropy(string value)
    {
        var entropy = 0.0;
        foreach (var group in value.GroupBy(c => c))
        {
            var p = (double)group.Count() / value.Length;
            entropy -= p * Math.Log(p, 2);
        }

        return entropy;
    }
}
