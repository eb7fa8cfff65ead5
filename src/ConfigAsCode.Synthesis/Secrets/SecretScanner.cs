using System;
using System.Collections.Generic;
using System.Text;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Secrets;

/// <summary>
/// A credential found in a deployment: the rule that owns it, where it is, why it is one, and the exact strings to
/// redact (never printed). <see cref="Values"/> may be shorter than the whole setting: the user-info of a URL, a
/// token inside an argument.
/// </summary>
public sealed record DetectedSecret(RuleDescriptor Rule, string PropertyPath, string Reason, IReadOnlyList<string> Values)
{
    /// <summary>What replaces the value in every output: <c>&lt;redacted:CAC2001&gt;</c>.</summary>
    public string Placeholder => Redactor.PlaceholderFor(Rule.Id);
}

/// <summary>
/// Looks at every string of a deployment that can reach a manifest, an argument or a message (the same walk as
/// the config hash and environment drift, so a new model property is covered without change here, with every dictionary's
/// keys and the environment's name) and classifies
/// credentials: literal environment variables (CAC2001), URLs with user-info or credential query parameters
/// (CAC2013), and token formats anywhere else (CAC2014). The result is cached per deployment instance, since the
/// validator and the gate both ask.
/// </summary>
public static class SecretScanner
{
    private static readonly DeploymentMemo<ScanResult> Cache = new(ScanUncached);

    /// <summary>The credentials in <paramref name="deployment"/>, in walk order.</summary>
    public static IReadOnlyList<DetectedSecret> Scan(InferenceDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return Cache.Get(deployment).Secrets;
    }

    /// <summary>
    /// The first setting whose string has half of a UTF-16 surrogate pair (UTF-8 cannot encode it), or null. Found by
    /// the same walk as the credentials, so a 10,000-deployment fleet is walked once for both.
    /// </summary>
    public static string? UnencodablePath(InferenceDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return Cache.Get(deployment).Unencodable;
    }

    private sealed record ScanResult(IReadOnlyList<DetectedSecret> Secrets, string? Unencodable);

    private static ScanResult ScanUncached(InferenceDeployment deployment)
    {
        List<DetectedSecret>? found = null;
        string? unencodable = null;
        DeploymentFlattener.VisitLeaves(deployment, (path, value) =>
        {
            if (unencodable is null && HasLoneSurrogate(value))
            {
                unencodable = path.ToString();
            }

            if (Classify(path, value) is { } secret)
            {
                (found ??= []).Add(secret);
            }
        },
        (path, key) =>
        {
            // A dictionary's key (a cost label's name) is written into the manifests as a name.
            if (FreeText(path + " (a key)", key) is { } secret)
            {
                (found ??= []).Add(secret);
            }
        });

        // Free text the walk leaves out (it configures nothing) still reaches the cost snapshot and the reports.
        void Free(string path, string? text)
        {
            if (FreeText(path, text) is { } secret)
            {
                (found ??= []).Add(secret);
            }
        }

        // The environment's name is left out of the walk (it identifies the deployment), yet it names a folder of the
        // GitOps layout, a label and a cost key.
        Free("Environment", deployment.Environment?.Name);
        Free("CostIncreaseAcknowledgment.Reason", deployment.CostIncreaseAcknowledgment?.Reason);
        var suppressions = deployment.Suppressions ?? [];
        for (var i = 0; i < suppressions.Count; i++)
        {
            // Every text of a suppression reaches the reports or a message: the owner the suppression table lists and
            // CAC9016 names, the rule ID and dates CAC9010 quotes when they are wrong.
            Free($"Suppressions[{i}].Justification", suppressions[i]?.Justification);
            Free($"Suppressions[{i}].Owner", suppressions[i]?.Owner);
            Free($"Suppressions[{i}].RuleId", suppressions[i]?.RuleId);
            Free($"Suppressions[{i}].Since", suppressions[i]?.Since);
            Free($"Suppressions[{i}].Expires", suppressions[i]?.Expires);
        }

        var intended = deployment.IntendedDifferences ?? [];
        for (var i = 0; i < intended.Count; i++)
        {
            Free($"IntendedDifferences[{i}]", intended[i]);
        }

        return new ScanResult(found is null ? Array.Empty<DetectedSecret>() : found, unencodable);
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A credential format in free text (a reason, a name, a source), as CAC2014 at <paramref name="path"/>, or null.</summary>
    public static DetectedSecret? FreeText(string path, string? text)
    {
        var parts = SecretDetector.CredentialParts(text);
        return parts.Count == 0 ? null : new DetectedSecret(RuleCatalog.CredentialInSetting, path, $"it has the format of {Article(SecretDetector.DetectTokenFormat(text) ?? "credential")}", parts);
    }

    private static DetectedSecret? Classify(StringBuilder path, string value)
    {
        // Most leaves are numbers, names and short words: nothing below can match them.
        if (value.Length == 0 || value == "null")
        {
            return null;
        }

        if (EnvName(path) is { } name)
        {
            return RuleFacts.SecretLiteralReason(name, value) is { } reason
                ? new DetectedSecret(RuleCatalog.SecretLiteral, path.ToString(), reason, [value])
                : null;
        }

        if (value.IndexOf("://", StringComparison.Ordinal) > 0 && RuleFacts.EndpointCredentials(value) is { } urlReason)
        {
            return new DetectedSecret(RuleCatalog.EndpointCredentials, path.ToString(), urlReason, UrlCredentials(value));
        }

        var parts = SecretDetector.CredentialParts(value);
        return parts.Count == 0
            ? null
            : new DetectedSecret(RuleCatalog.CredentialInSetting, path.ToString(), $"it has the format of {Article(SecretDetector.DetectTokenFormat(value) ?? "credential")}", parts);
    }

    /// <summary>The variable name when <paramref name="path"/> is <c>Env[NAME].Value</c>, else null.</summary>
    private static string? EnvName(StringBuilder path)
    {
        const string prefix = "Env[";
        const string suffix = "].Value";
        if (path.Length <= prefix.Length + suffix.Length || path[0] != 'E' || path[path.Length - 1] != 'e')
        {
            return null;
        }

        var text = path.ToString();
        return text.StartsWith(prefix, StringComparison.Ordinal) && text.EndsWith(suffix, StringComparison.Ordinal)
            ? text.Substring(prefix.Length, text.Length - prefix.Length - suffix.Length)
            : null;
    }

    // The user-info ("user:password") and every credential query value, plus any token inside the URL.
    private static IReadOnlyList<string> UrlCredentials(string url)
    {
        var values = new List<string>();
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], scheme + 3);
        var authority = authorityEnd < 0 ? url.Substring(scheme + 3) : url.Substring(scheme + 3, authorityEnd - scheme - 3);
        var at = authority.LastIndexOf('@');
        if (at > 0)
        {
            values.Add(authority.Substring(0, at));
        }

        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            foreach (var pair in url.Substring(query + 1).Split('&', '#'))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && equals < pair.Length - 1
                    && (SecretDetector.IsSensitiveName(pair.Substring(0, equals)) || SecretDetector.DetectTokenFormat(pair.Substring(equals + 1)) is not null))
                {
                    values.Add(pair.Substring(equals + 1));
                }
            }
        }

        values.AddRange(SecretDetector.CredentialParts(url));
        return values.Count > 0 ? values : [url];
    }

    private static string Article(string kind) => ("AEIOU".IndexOf(kind[0], StringComparison.Ordinal) >= 0 ? "an " : "a ") + kind;
}
