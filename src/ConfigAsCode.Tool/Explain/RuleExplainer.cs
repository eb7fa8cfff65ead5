using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Tool.Explain;

/// <summary>
/// <c>configascode explain CACnnnn</c>: the rule's page (docs/rules/CACnnnn.md, embedded in the tool's assembly as
/// <c>rules/CACnnnn.md</c>, so it works from an installed tool), with its front matter shown as a header line.
/// </summary>
internal static class RuleExplainer
{
    /// <summary>The embedded page of <paramref name="id"/>, or null when the tool carries none.</summary>
    public static string? Page(string id)
    {
        using var stream = typeof(RuleExplainer).Assembly.GetManifestResourceStream("rules/" + id + ".md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The page to print for <paramref name="id"/>; an unknown id throws <see cref="ToolInputException"/> naming the nearest ids.</summary>
    public static string Explain(string id)
    {
        var wanted = (id ?? string.Empty).Trim().ToUpperInvariant();
        if (wanted.Length == 4 && wanted.All(char.IsAsciiDigit))
        {
            wanted = "CAC" + wanted;
        }

        var rule = RuleCatalog.Find(wanted);
        if (rule is null)
        {
            var near = Nearest(wanted).ToArray();
            throw new ToolInputException(new ToolMessage(ToolCodes.InvalidArgument, null, 0,
                $"'{Import.Printable.Text(id ?? string.Empty)}' is not a rule id. Nearest: {string.Join(", ", near.Select(r => $"{r.Id} ({r.Title})"))}. Run `configascode explain <id>` with one of them; docs/rules/README.md lists all {RuleCatalog.All.Count}."));
        }

        var page = Page(rule.Id) ?? throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, rule.Id + ".md", 0,
            $"this build of the tool carries no page for {rule.Id} ({rule.Title}). Read {rule.HelpLink}, and update the tool."));
        return Render(page.Replace("\r\n", "\n", StringComparison.Ordinal), rule);
    }

    /// <summary>The page without its YAML front matter, which becomes one summary line.</summary>
    internal static string Render(string markdown, RuleDescriptor rule)
    {
        var body = markdown;
        if (body.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = body.IndexOf("\n---\n", 4, StringComparison.Ordinal);
            if (end > 0)
            {
                body = body[(end + 5)..];
            }
        }

        var header = $"{rule.Id} · {rule.Category} · default severity {rule.DefaultSeverity.ToString().ToLowerInvariant()}{(rule.RefusesSuppression ? " · cannot be suppressed" : string.Empty)}";
        return header + "\n\n" + body.TrimStart('\n').TrimEnd() + "\n";
    }

    /// <summary>Up to three ids closest to <paramref name="wanted"/>: fewest differing digits, then nearest number.</summary>
    internal static IEnumerable<RuleDescriptor> Nearest(string wanted)
    {
        var digits = new string(wanted.Where(char.IsAsciiDigit).ToArray());
        var number = int.TryParse(digits.Length > 4 ? digits[..4] : digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return RuleCatalog.All
            .OrderBy(r => NearestNames.Distance(digits, r.Id[3..]))
            .ThenBy(r => Math.Abs(int.Parse(r.Id[3..], System.Globalization.CultureInfo.InvariantCulture) - number))
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(3);
    }
}
