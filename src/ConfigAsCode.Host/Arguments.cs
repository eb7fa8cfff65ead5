using System;
using System.Collections.Generic;
using System.Globalization;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Host;

/// <summary><c>--name value</c> pairs, as the MSBuild task passes them.</summary>
internal static class Arguments
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "assembly", "project-dir", "snapshot-dir", "output-dir", "allowed-root", "accept", "allow-removals", "take-ownership-from", "ci", "ci-build", "ci-property", "severity",
        "accept-command", "price-file", "cost-baseline", "today", "base-report", "diff-link", "write-full-tree", "timeout-seconds", "handshake",
        "treat-warnings-as-errors", "warnings-as-errors", "warnings-not-as-errors", "no-warn", "analyzer-config", "path-map", "layout",
        "inputs-file", "reuse-verdict",
    };

    public static Dictionary<string, string> Parse(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' at '{args[i]}'.");
            }

            var name = args[i].Substring(2);
            if (!Known.Contains(name))
            {
                throw new ArgumentException($"unknown option '--{name}'.");
            }

            result[name] = args[i + 1];
        }

        foreach (var required in new[] { "assembly", "output-dir" })
        {
            if (!result.ContainsKey(required))
            {
                throw new ArgumentException($"--{required} is required.");
            }
        }

        return result;
    }

    /// <summary>A true/false property; anything else is a problem the build reports (CAC9015).</summary>
    public static bool Bool(IReadOnlyDictionary<string, string> options, string name, string property, List<string> problems)
    {
        if (!options.TryGetValue(name, out var value) || value.Trim().Length == 0)
        {
            return false;
        }

        if (bool.TryParse(value.Trim(), out var parsed))
        {
            return parsed;
        }

        problems.Add($"{property} is '{value}'; it must be true or false.");
        return false;
    }

    /// <summary><c>ConfigAsCodeLayout</c>: <c>object</c> (the default, also when unset) or <c>app</c>; anything else is a problem.</summary>
    public static ConfigAsCode.Synthesis.Rendering.ManifestLayout Layout(IReadOnlyDictionary<string, string> options, string name, string property, List<string> problems)
    {
        // Case-insensitive, as MSBuild compares property values.
        var value = options.TryGetValue(name, out var text) ? text.Trim().ToLowerInvariant() : string.Empty;
        switch (value)
        {
            case "" or "object":
                return ConfigAsCode.Synthesis.Rendering.ManifestLayout.PerObject;
            case "app":
                return ConfigAsCode.Synthesis.Rendering.ManifestLayout.PerApp;
            default:
                // Refused rather than guessed: a layout typo would otherwise show every snapshot as removed and re-added.
                problems.Add($"{property} is '{text}'; it must be object (one object per file, the default) or app (one manifests.yaml per app and environment).");
                return ConfigAsCode.Synthesis.Rendering.ManifestLayout.PerObject;
        }
    }

    /// <summary>
    /// The day suppression expiry is judged against: <c>yyyy-MM-dd</c>, or today's UTC date when unset (the targets
    /// always pass it, and it is a line of the inputs file, so the gate re-runs once a day); anything else is a problem.
    /// </summary>
    public static DateTime Day(IReadOnlyDictionary<string, string> options, string name, string property, List<string> problems)
    {
        if (!options.TryGetValue(name, out var value) || value.Trim().Length == 0)
        {
            return DateTime.UtcNow.Date;
        }

        if (ConfigAsCode.Synthesis.Validation.SuppressionDates.Parse(value) is { } day)
        {
            return day;
        }

        problems.Add($"{property} is '{value}'; it must be a date written yyyy-MM-dd.");
        return DateTime.UtcNow.Date;
    }

    /// <summary>A positive whole number, or null when unset; anything else is a problem.</summary>
    public static int? Count(IReadOnlyDictionary<string, string> options, string name, string property, List<string> problems, int minimum = 0)
    {
        if (!options.TryGetValue(name, out var value) || value.Trim().Length == 0)
        {
            return null;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= minimum)
        {
            return parsed;
        }

        problems.Add($"{property} is '{value}'; it must be a whole number of at least {minimum}.");
        return null;
    }

    /// <summary><c>CAC1006=error;CAC4001=none</c>; an entry that is not <c>ID=severity</c> is a problem.</summary>
    public static Dictionary<string, RuleSeverity> Severities(string text, List<string> problems)
    {
        var result = new Dictionary<string, RuleSeverity>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && RuleCatalog.Find(parts[0]) is { } rule
                && Enum.TryParse<RuleSeverity>(parts[1] is "suggestion" or "silent" ? "Info" : parts[1] == "warn" ? "Warning" : parts[1], ignoreCase: true, out var severity)
                && Enum.IsDefined(severity))
            {
                if (rule.RefusesSuppression && severity < rule.DefaultSeverity)
                {
                    // A rule that refuses a justified suppression cannot be switched off by a property either.
                    problems.Add($"ConfigAsCodeRuleSeverities lowers {rule.Id} ({rule.Title}) to {parts[1]}; it is an error that cannot be suppressed or lowered. Fix the configuration instead.");
                    continue;
                }

                result[parts[0]] = severity;
            }
            else
            {
                problems.Add($"ConfigAsCodeRuleSeverities has '{pair}'; each entry is <rule ID>=<error|warning|suggestion|none>, for example CAC1006=error.");
            }
        }

        return result;
    }
}
