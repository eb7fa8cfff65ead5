using System;
using System.Collections.Generic;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Host;

/// <summary><c>--name value</c> pairs, as the MSBuild task passes them.</summary>
internal static class Arguments
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "assembly", "project-dir", "snapshot-dir", "output-dir", "accept", "ci", "ci-build", "severity", "accept-command", "price-file",
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

    public static bool Bool(IReadOnlyDictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    public static bool? NullableBool(IReadOnlyDictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && value.Length > 0 ? string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) : null;

    /// <summary><c>CAC1006=error;CAC4001=none</c>.</summary>
    public static Dictionary<string, RuleSeverity> Severities(string text)
    {
        var result = new Dictionary<string, RuleSeverity>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && Enum.TryParse<RuleSeverity>(parts[1] == "suggestion" || parts[1] == "silent" ? "Info" : parts[1], ignoreCase: true, out var severity))
            {
                result[parts[0]] = severity;
            }
        }

        return result;
    }
}
