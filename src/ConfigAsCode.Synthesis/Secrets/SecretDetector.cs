using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ConfigAsCode.Synthesis.Secrets;

/// <summary>
/// Recognises credentials by format (gitleaks and detect-secrets patterns, plus the shapes people paste into
/// inference configs: bearer headers, URL user-info, connection strings, JWTs) and by the name of the variable that
/// holds them (Polaris). It reports only which kind of secret it saw, never the value. Written against
/// netstandard2.0 without dependencies, so the analyzer compiles the same source. The patterns and the
/// false-positive policy are documented in docs/threat-model.md.
/// </summary>
public static class SecretDetector
{
    /// <summary>What replaces a credential whose rule is not known (format matches in free text).</summary>
    public const string Placeholder = "<redacted>";

    // Shortest value any format below can match ("://:p@", a password in a URL): shorter strings skip the regexes.
    // It was 20 until a review found credentials of 7 to 19 characters ("amqp://u:hunter2@mq", "apikey=" and 12)
    // that were never found, so they were rendered into manifests and accepted into Git; MayHaveFormat keeps short
    // values cheap. SecretDetectionTests holds a shortest match of every format (one row per format) to it.
    private const int ShortestFormat = 6;

    private static readonly (string Kind, Regex Pattern)[] TokenFormats =
    [
        ("OpenAI API key", new Regex(@"\bsk-(proj|svcacct|admin)-[A-Za-z0-9_-]{20,}", RegexOptions.CultureInvariant)),
        ("OpenAI API key", new Regex(@"\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b", RegexOptions.CultureInvariant)),
        ("Anthropic API key", new Regex(@"\bsk-ant-(api03|admin01)-[A-Za-z0-9_-]{93}AA\b", RegexOptions.CultureInvariant)),
        ("Hugging Face token", new Regex(@"\bhf_[A-Za-z]{34}\b", RegexOptions.CultureInvariant)),
        ("Hugging Face token", new Regex(@"\bapi_org_[A-Za-z]{34}\b", RegexOptions.CultureInvariant)),
        ("GitHub token", new Regex(@"\b(ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36}\b", RegexOptions.CultureInvariant)),
        ("GitHub token", new Regex(@"\bgithub_pat_\w{82}\b", RegexOptions.CultureInvariant)),
        ("AWS access key", new Regex(@"\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b", RegexOptions.CultureInvariant)),
        ("Slack token", new Regex(@"\bxox[baprs]-[0-9A-Za-z-]{10,}", RegexOptions.CultureInvariant)),
        ("Slack token", new Regex(@"\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+", RegexOptions.CultureInvariant)),
        ("Google API key", new Regex(@"\bAIza[\w-]{35}\b", RegexOptions.CultureInvariant)),
        ("Stripe secret key", new Regex(@"\b[rs]k_(live|test)_[0-9A-Za-z]{16,}", RegexOptions.CultureInvariant)),
        ("JSON Web Token", new Regex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant)),
        ("Azure storage key", new Regex(@"\b[Aa]ccount[Kk]ey=[A-Za-z0-9+/]{20,}={0,2}", RegexOptions.CultureInvariant)),
        ("Azure storage key", new Regex(@"\b[Ss]hared[Aa]ccess[Kk]ey=[A-Za-z0-9+/]{20,}={0,2}", RegexOptions.CultureInvariant)),
        ("Azure shared access signature", new Regex(@"(?i)\bSharedAccessSignature=[^;\s""']{16,}", RegexOptions.CultureInvariant)),
        ("Azure shared access signature", new Regex(@"[?&]sig=[A-Za-z0-9%+/]{16,}={0,2}", RegexOptions.CultureInvariant)),
        ("bearer token", new Regex(@"(?i)\bbearer(\s+|%20)(?!\$[({])(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*", RegexOptions.CultureInvariant)),
        ("basic credential", new Regex(@"(?i)\bauthorization\s*[=:]\s*basic(\s+|%20)[A-Za-z0-9+/]{8,}={0,2}", RegexOptions.CultureInvariant)),
        ("API key header", new Regex(@"(?i)\bapi-?key\s*[=:]\s*(?!\$[({])[^\s,;""']{12,}", RegexOptions.CultureInvariant)),
        ("API key header", new Regex(@"(?i)\b(x-auth|private)-token\s*[=:]\s*(?!\$[({])[^\s,;""']{12,}", RegexOptions.CultureInvariant)),
        // From the "://" on: the scheme adds nothing to the finding, and a pattern that starts with a literal is
        // searched with a vectorised IndexOf (the scheme-first form took 0.4 s on a 23 MB report). The user name may be
        // empty ("redis://:password@cache", Redis's own form). User-info holds no '/', '?' or '#' (RFC 3986), so an
        // '@' in a query ("http://host:8000?user=a@b.com") is not one, nor is an image digest after a tag
        // ("docker://nginx:1.25@sha256:...").
        ("password in a URL", new Regex(@"://[^/?#\s:@""']*:(?!\$[({])[^/?#\s@""']+@(?!sha(256|512):)", RegexOptions.CultureInvariant)),
        ("private key", new Regex(@"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----", RegexOptions.CultureInvariant)),

        // The URL is the credential: whoever has it can post to the channel. Its variable is often *_WEBHOOK_URL, a
        // name that says where a credential is, so only its format finds it.
        ("Slack webhook URL", new Regex(@"(?i)\bhooks\.slack(-gov)?\.com/(services|workflows|triggers)/[A-Za-z0-9_/-]{20,}", RegexOptions.CultureInvariant)),
    ];

    // A whole PEM block, header to footer (or to the end when the footer is missing), for redaction.
    private static readonly Regex PrivateKeyBlock = new(
        @"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----|\z)", RegexOptions.CultureInvariant);

    // Name segments that mark a credential on their own, and pairs that do (API_KEY, ACCESS_KEY...).
    private static readonly HashSet<string> CredentialSegments = new(StringComparer.Ordinal)
    {
        "PASSWORD", "PASSWD", "PASS", "PWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "BEARER", "APIKEY", "CREDENTIAL",
        "CREDENTIALS", "PRIVATEKEY", "SAS", "CONNECTIONSTRING",
    };

    private static readonly HashSet<string> KeyQualifiers = new(StringComparer.Ordinal)
    {
        "API", "ACCESS", "PRIVATE", "SECRET", "ACCOUNT", "SIGNING", "ENCRYPTION", "MASTER", "STORAGE", "SERVICE", "LICENSE", "SHARED",
    };

    // Names that say where a credential is, not what it is: PASSWORD_FILE=/run/secrets/db, HF_TOKEN_PATH=...
    private static readonly HashSet<string> ReferenceSuffixes = new(StringComparer.Ordinal)
    {
        "FILE", "PATH", "DIR", "NAME", "REF", "MOUNT", "LENGTH", "TTL", "EXPIRY", "ENABLED", "DISABLED", "HEADER", "TYPE", "ID", "URL", "URI",
        "ENDPOINT", "FROM", "SOURCE", "PROVIDER", "BACKEND", "STORE", "KIND", "MODE", "SIZE", "COUNT", "LIMIT", "TIMEOUT", "SECONDS", "BYTES",
        "CHECK", "VERIFY", "ROTATION",
    };

    // Whole names that only look like credentials: the shell's working directories.
    private static readonly HashSet<string> NotCredentialNames = new(StringComparer.Ordinal) { "PWD", "OLDPWD", "OLD_PWD" };

    private static readonly Regex OnlyReferences = new(@"^(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]+\})+\z", RegexOptions.CultureInvariant);

    private static readonly char[] NameSeparators = ['_', '-', '.'];

    // Every format above contains one of these (compared without regard to case): a value with none of them needs no
    // regex at all, which is most values (model ids, images, digests, paths) of a 10,000-deployment fleet.
    internal static readonly string[] FormatTriggers =
    [
        "sk-", "sk_", "rk_", "hf_", "api_org_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "asia", "abia", "acca", "a3t",
        "xox", "xapp-", "aiza", "eyj", "key=", "signature=", "sig=", "bearer", "basic", "api", "-token", "://", "-----begin",
        "hooks.slack",
    ];

    // The triggers by their first character (all are lower-case ASCII): one pass over a value finds them all.
    private static readonly string[]?[] TriggersByFirst = Enumerable.Range(0, 128)
        .Select(c => FormatTriggers.Where(t => t[0] == c).ToArray() is { Length: > 0 } starting ? starting : null)
        .ToArray();

    /// <summary>
    /// False only when <paramref name="value"/> certainly holds no trigger, compared without regard to case: then no
    /// format can match. An ASCII value is read once, each position compared with the triggers that start with its
    /// letter (29 searches per value took 2% of a 10,000-deployment gate run: the host runs with invariant
    /// globalization, where a search without regard to case compares character by character). A value with any
    /// character outside ASCII is always searched by the formats: their case-insensitive parts match letters that
    /// ordinal comparison does not take for ASCII ones (the Kelvin sign for 'k' in "x-auth-to\u212Aen"), which a search
    /// for the triggers let through unredacted.
    /// </summary>
    internal static bool MayHaveFormat(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 128)
            {
                return true;
            }

            if (TriggersByFirst[AsciiLower(c)] is { } candidates)
            {
                foreach (var trigger in candidates)
                {
                    if (StartsAt(value, i, trigger))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static char AsciiLower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;

    // Whether lower-case ASCII trigger occurs at value[at], compared without regard to ASCII case.
    private static bool StartsAt(string value, int at, string trigger)
    {
        if (value.Length - at < trigger.Length)
        {
            return false;
        }

        for (var j = 1; j < trigger.Length; j++)
        {
            if (AsciiLower(value[at + j]) != trigger[j])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How many formats there are (for the tests that hold a row per format).</summary>
    internal static int FormatCount => TokenFormats.Length;

    /// <summary>The index of the first format <paramref name="value"/> matches, past the length floor and the triggers, or -1.</summary>
    internal static int FormatIndex(string value) =>
        value.Length < ShortestFormat || !MayHaveFormat(value) ? -1 : Array.FindIndex(TokenFormats, format => format.Pattern.IsMatch(value));

    /// <summary>The kind of credential <paramref name="value"/> looks like, or null.</summary>
    public static string? DetectTokenFormat(string? value)
    {
        if (string.IsNullOrEmpty(value) || value!.Length < ShortestFormat)
        {
            return null;
        }

        foreach (var (kind, pattern) in MayHaveFormat(value) ? TokenFormats : [])
        {
            if (pattern.IsMatch(value))
            {
                return kind;
            }
        }

        return LooksLikeHighEntropyKey(value) ? "high-entropy key" : null;
    }

    /// <summary>
    /// The parts of <paramref name="value"/> that are credentials by format (a token inside an argument, the
    /// user-info of a URL, the key of a connection string), for redaction by value; empty when there is none.
    /// A value that is a credential as a whole (a high-entropy key) is returned whole.
    /// </summary>
    public static IReadOnlyList<string> CredentialParts(string? value)
    {
        if (string.IsNullOrEmpty(value) || value!.Length < ShortestFormat)
        {
            return [];
        }

        // Match/NextMatch allocates only for a match (a MatchCollection per value did, 56 MB at 10,000 deployments).
        List<string>? parts = null;
        foreach (var (_, pattern) in MayHaveFormat(value) ? TokenFormats : [])
        {
            for (var match = pattern.Match(value); match.Success; match = match.NextMatch())
            {
                (parts ??= []).Add(match.Value);
            }
        }

        for (var match = PrivateKeyBlock.Match(value); match.Success; match = match.NextMatch())
        {
            (parts ??= []).Add(match.Value);
        }

        if (parts is null && LooksLikeHighEntropyKey(value))
        {
            return [value];
        }

        return parts is null ? [] : parts.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// True when a variable of this name must never hold a literal (Polaris <c>sensitiveContainerEnvVar</c>):
    /// a segment such as <c>PASSWORD</c>, <c>PASS</c>, <c>PWD</c>, <c>SECRET</c>, <c>TOKEN</c>, or a qualified key
    /// (<c>API_KEY</c>, <c>ACCESS_KEY</c>, <c>AZURE_*KEY</c>). Segments are split on '_', '-' and '.', so
    /// <c>MAX_INPUT_TOKENS</c> and <c>BYPASS_CACHE</c> are not credentials, and a name ending in <c>_FILE</c>,
    /// <c>_PATH</c> or <c>_NAME</c> says where a credential is, not what it is.
    /// </summary>
    public static bool IsSensitiveName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var upper = name!.ToUpperInvariant();
        var segments = upper.Split(NameSeparators, StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || NotCredentialNames.Contains(upper) || (segments.Length > 1 && ReferenceSuffixes.Contains(segments[segments.Length - 1])))
        {
            return false;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (CredentialSegments.Contains(segment)
                || (segment == "KEY" && i > 0 && (KeyQualifiers.Contains(segments[i - 1]) || segments[0] == "AZURE"))
                || (segment.EndsWith("APIKEY", StringComparison.Ordinal) || segment.EndsWith("PASSWORD", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
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
            return $"its value has the format of {Article(format)} {format}";
        }

        if (IsSensitiveName(name) && !string.IsNullOrEmpty(value) && !IsSetting(value!) && value!.IndexOf("$(", StringComparison.Ordinal) < 0)
        {
            return $"'{name}' is a credential name and must not carry a literal";
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="value"/> is made only of Kubernetes <c>$(VAR)</c> (or shell <c>${VAR}</c>)
    /// references: the value comes from variables, not from the literal.
    /// </summary>
    public static bool IsReference(string? value) => !string.IsNullOrEmpty(value) && OnlyReferences.IsMatch(value);

    // A flag or a small count under a credential-like name (TOKEN_BUCKET=100, SKIP_TOKEN_CHECK=1, PASS_THROUGH=true)
    // is a setting, not a secret: booleans and integers of up to five digits.
    private static bool IsSetting(string value)
    {
        var v = value.Trim();
        if (v.Length is > 0 and <= 5 && v.All(char.IsDigit))
        {
            return true;
        }

        return v.ToUpperInvariant() is "TRUE" or "FALSE" or "YES" or "NO" or "ON" or "OFF" or "ENABLED" or "DISABLED" or "NONE";
    }

    /// <summary>Replaces every credential recognised by format in <paramref name="text"/> with <see cref="Placeholder"/>.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || text.Length < ShortestFormat)
        {
            return text;
        }

        text = PrivateKeyBlock.Replace(text, Placeholder);
        foreach (var (_, pattern) in TokenFormats)
        {
            text = pattern.Replace(text, Placeholder);
        }

        return text;
    }

    private static string Article(string kind) => kind[0] is 'A' or 'E' or 'I' or 'O' or 'U' or 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";

    // detect-secrets thresholds: 4.5 bits/char for base64-like strings. Only unbroken runs of key characters are
    // considered, so URLs ("://"), model ids with '.', digests ("sha256:") and dotted paths are never flagged; a
    // '/' is allowed because AWS secret access keys and base64 contain it, but a value that starts with '/' or has
    // two '/' in a row is a path, and one with three or more '-' is a name made of words (model ids such as
    // "Qwen/Qwen2-72B-Instruct-GPTQ-Int4" come within 0.1 bit of the threshold).
    private static bool LooksLikeHighEntropyKey(string value)
    {
        if (value.Length < 32 || value.Length > 512 || value[0] == '/' || value.IndexOf("//", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var slashes = 0;
        var dashes = 0;
        foreach (var c in value)
        {
            var keyChar = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '=' or '_' or '-' or '/';
            if (!keyChar)
            {
                return false;
            }

            slashes += c == '/' ? 1 : 0;
            dashes += c == '-' ? 1 : 0;
        }

        if (slashes > 3 || dashes >= 3 || WordRuns(value) >= 3)
        {
            return false;
        }

        var hasUpper = value.Any(c => c is >= 'A' and <= 'Z');
        var hasLower = value.Any(c => c is >= 'a' and <= 'z');
        var hasDigit = value.Any(c => c is >= '0' and <= '9');
        return hasUpper && hasLower && hasDigit && ShannonEntropy(value) >= 4.5;
    }

    // Runs of four or more lower-case letters: names made of words (LlamaGuard3_8B_FinetunedCustomerSupportV2) have
    // several; a random 40-character key has about one in twenty of having three.
    private static int WordRuns(string value)
    {
        var runs = 0;
        var length = 0;
        foreach (var c in value)
        {
            length = c is >= 'a' and <= 'z' ? length + 1 : 0;
            runs += length == 4 ? 1 : 0;
        }

        return runs;
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
