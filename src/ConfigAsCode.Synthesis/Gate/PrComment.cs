using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Readiness;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// <c>pr-comment.md</c>: one pull-request comment with the verdict, what changes in the cluster (risky first, capped),
/// the cost change against the base branch and what caused it, findings new in this change and resolved by it, and the
/// readiness delta. Findings and readiness are compared with the base branch's <c>report.json</c>
/// (<c>ConfigAsCodeBaseReport</c>); without it the comment says so and shows the current findings. Built from the
/// same redacted data as the other reports.
/// </summary>
public static class PrComment
{
    /// <summary>The file name in the output folder.</summary>
    public const string FileName = "pr-comment.md";

    /// <summary>The first line: a marker a CI script finds to update the one sticky comment instead of adding another.</summary>
    public const string Marker = "<!-- configascode-pr-comment -->";

    /// <summary>GitHub refuses comments over 65,536 characters; GitLab notes allow 1,000,000.</summary>
    internal const int Limit = 60_000;

    private const int MaxFiles = 15;
    private const int MaxFieldsPerFile = 5;
    private const int MaxFindings = 20;
    private const int MaxCostRows = 10;

    /// <summary>A finding as both reports carry it, keyed without line numbers or numbers in the text that move with unrelated edits.</summary>
    internal sealed record Item(string Code, string Severity, string Where, string Message)
    {
        /// <summary>Code plus the <c>[env/deployment] Property</c> the message starts with, or the whole message.</summary>
        public string Key
        {
            get
            {
                var end = Message.StartsWith("[", StringComparison.Ordinal) ? Message.IndexOf(": ", StringComparison.Ordinal) : -1;
                return Code + " " + (end > 0 ? Message.Substring(0, end) : Message);
            }
        }
    }

    /// <summary>What the base branch's report says: its findings and its readiness results.</summary>
    internal sealed record BaseReport(IReadOnlyList<Item> Findings, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Readiness);

    internal static string Build(
        GateOptions options,
        DriftResult? drift,
        IReadOnlyList<GateDiagnostic> diagnostics,
        CostReport? cost,
        IReadOnlyList<ReadinessChecklist> readiness,
        IReadOnlyList<Reports.ActiveSuppression> suppressions)
    {
        var current = Findings(diagnostics.Select(d => new Item(d.Code, d.Severity.ToString().ToLowerInvariant(), d.File is null ? string.Empty : $"{d.File}:{d.Line.ToString(CultureInfo.InvariantCulture)}", d.Message)));
        var (baseReport, baseProblem) = LoadBase(options.BaseReport);
        var md = new StringBuilder();
        md.Append(Marker).Append('\n');
        md.Append(Verdict(diagnostics, drift, cost)).Append("\n\n");

        AppendDrift(md, drift, options.DiffLink);
        AppendCost(md, cost);
        AppendFindings(md, current, baseReport, baseProblem, options.BaseReport);
        AppendReadiness(md, readiness, baseReport);
        if (suppressions.Count > 0)
        {
            var expiring = suppressions.Where(s => s.DaysLeft is <= 30).ToArray();
            md.Append(CultureInfo.InvariantCulture, $"**Suppressions:** {suppressions.Count} active")
                .Append(expiring.Length > 0 ? $", {expiring.Length} expiring within 30 days ({string.Join(", ", expiring.Select(s => OneLine($"{s.Environment}/{s.Deployment} {s.Rule}")))})" : string.Empty)
                .Append(" (report.md lists owners and ages).\n\n");
        }

        md.Append("<sub>ConfigAsCode · full details in report.md, report.json and drift.diff</sub>\n");
        var text = md.ToString();
        return Cut(text);
    }

    /// <summary>
    /// <paramref name="text"/> within <see cref="Limit"/>: cut at a line end, and whatever the cut left open (a code
    /// fence, a <c>&lt;details&gt;</c> block) closed, so the rest of the page does not render as code or stay folded.
    /// </summary>
    internal static string Cut(string text)
    {
        if (text.Length <= Limit)
        {
            return text;
        }

        const string Note = "\n… truncated; see report.md.\n";
        var budget = Limit - Note.Length - "```\n".Length - (3 * "</details>\n".Length);
        var end = text.LastIndexOf('\n', budget - 1);
        var kept = new StringBuilder(text, 0, end < 0 ? 0 : end + 1, Limit);
        var fences = 0;
        var open = 0;
        foreach (var line in kept.ToString().Split('\n'))
        {
            fences += line.StartsWith("```", StringComparison.Ordinal) ? 1 : 0;
            open += line.StartsWith("<details", StringComparison.Ordinal) ? 1 : line.StartsWith("</details>", StringComparison.Ordinal) ? -1 : 0;
        }

        if (fences % 2 == 1)
        {
            kept.Append("```\n");
        }

        for (; open > 0; open--)
        {
            kept.Append("</details>\n");
        }

        return kept.Append(Note).ToString();
    }

    private static string Verdict(IReadOnlyList<GateDiagnostic> diagnostics, DriftResult? drift, CostReport? cost)
    {
        var errors = diagnostics.Count(d => d.Severity == RuleSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == RuleSeverity.Warning);
        var parts = new List<string>
        {
            errors > 0 ? $"{errors} error(s)" : "no errors",
            $"{warnings} warning(s)",
            drift is null ? "drift not compared" : drift.IsClean ? "no drift" : $"drift: {drift.Summary}",
        };
        if (cost is not null && cost.Baseline.Count > 0)
        {
            var (before, after) = (cost.Baseline.Values.Sum(e => e.MonthlyExpected), cost.Estimates.Sum(e => e.MonthlyExpected));
            parts.Add(before == after ? "cost unchanged" : $"cost {Signed(after - before)}/month{Percent(before, after)}");
        }

        return $"### ConfigAsCode: {(errors > 0 ? "❌ fails" : "✅ passes")} — {string.Join(" · ", parts)}";
    }

    private static void AppendDrift(StringBuilder md, DriftResult? drift, string? diffLink)
    {
        if (drift is null)
        {
            md.Append("**Cluster changes:** not compared: the run stopped before the manifests were compared (see the findings).\n\n");
            return;
        }

        if (drift.IsClean)
        {
            md.Append("**Cluster changes:** none: the rendered manifests equal the committed ones.\n\n");
            return;
        }

        // A per-app file counts as the objects in it that changed.
        var objects = drift.Objects.ToArray();
        md.Append(CultureInfo.InvariantCulture, $"**Cluster changes:** {objects.Count(k => k == FileChangeKind.Added)} object(s) added, {objects.Count(k => k == FileChangeKind.Changed)} changed, {objects.Count(k => k == FileChangeKind.Removed)} removed");
        var moved = drift.MovedObjects;
        md.Append(moved > 0 ? $"; {moved} moved to another file without a change (a layout switch: Argo CD applies them as they are)" : string.Empty);
        var other = drift.Files.Count(f => !f.IsObject);
        md.Append(other > 0 ? $"; {other} other file(s) (kustomizations, cost snapshot)" : string.Empty).Append(".\n\n");

        var ordered = drift.Files.OrderBy(f => f.Risks.Any() ? 0 : 1).ThenBy(f => f.IsObject ? 0 : 1).ThenBy(f => f.Path, StringComparer.Ordinal).ToArray();
        md.Append("```diff\n");
        foreach (var file in ordered.Take(MaxFiles))
        {
            var marker = file.Kind switch { FileChangeKind.Added => "+", FileChangeKind.Removed => "-", _ => "!" };
            var risks = file.Risks.ToArray();
            md.Append(marker).Append(' ').Append(OneLine(file.Path)).Append(risks.Length > 0 ? $"   RISKY: {OneLine(string.Join("; ", risks))}" : string.Empty).Append('\n');
            var fields = GateRunner.Meaningful(file);
            foreach (var field in fields.Take(MaxFieldsPerFile))
            {
                md.Append("    ").Append(OneLine(field.Path)).Append(": ").Append(OneLine(field.Before)).Append(" → ").Append(OneLine(field.After)).Append('\n');
            }

            if (fields.Count > MaxFieldsPerFile)
            {
                md.Append(CultureInfo.InvariantCulture, $"    … and {fields.Count - MaxFieldsPerFile} more field(s)\n");
            }
        }

        md.Append("```\n");
        if (ordered.Length > MaxFiles)
        {
            md.Append(CultureInfo.InvariantCulture, $"… and {ordered.Length - MaxFiles} more file(s).");
        }

        // The comment is posted where every reader of the pull request sees it: a link that carries a credential (a
        // presigned or tokened artifact URL: ?token=, X-Amz-Signature=, user:password@) is left out, as CAC2013 refuses
        // one in a deployment's URL. Only the name of the parameter is said, never its value.
        if (!string.IsNullOrWhiteSpace(diffLink) && Rules.RuleFacts.EndpointCredentials(diffLink) is { } credential)
        {
            md.Append(CultureInfo.InvariantCulture, $" Full diff: `drift.diff` in the build's output folder (ConfigAsCodeDiffLink is not shown: {credential}; link to the CI run's page instead).\n\n");
            return;
        }

        md.Append(string.IsNullOrWhiteSpace(diffLink) ? " Full diff: `drift.diff` in the build's output folder.\n\n" : $" [Full diff](<{diffLink!.Replace(" ", "%20", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal)}>) (`drift.diff`).\n\n");
    }

    private static void AppendCost(StringBuilder md, CostReport? cost)
    {
        if (cost is null)
        {
            return;
        }

        var after = cost.Estimates.Sum(e => e.MonthlyExpected);
        if (cost.Baseline.Count == 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"**Cost:** {CostDeltaExplainer.Money(after)}/month; nothing to compare with ({OneLine(cost.BaselineDescription)}).\n\n");
            return;
        }

        var before = cost.Baseline.Values.Sum(e => e.MonthlyExpected);
        md.Append(CultureInfo.InvariantCulture, $"**Cost against {OneLine(cost.BaselineDescription)}:** {CostDeltaExplainer.Money(before)} → {CostDeltaExplainer.Money(after)}/month");
        md.Append(before == after ? " (unchanged)" : $" ({Signed(after - before)}{Percent(before, after)})").Append(".\n\n");
        var moved = cost.Deltas.Where(d => d.Delta != 0).OrderByDescending(d => Math.Abs(d.Delta)).ThenBy(d => d.Key, StringComparer.Ordinal).ToArray();
        if (moved.Length > 0)
        {
            md.Append("| Deployment | Before | After | Change | Why |\n|---|---:|---:|---:|---|\n");
            foreach (var d in moved.Take(MaxCostRows))
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Cell(d.Key)} | {(d.Baseline is { } b ? CostDeltaExplainer.Money(b) : "new")} | {CostDeltaExplainer.Money(d.Current)} | {Signed(d.Delta)} | {Cell(d.Explanation)} |\n");
            }

            if (moved.Length > MaxCostRows)
            {
                md.Append(CultureInfo.InvariantCulture, $"\n… and {moved.Length - MaxCostRows} more deployment(s) in report.md.\n");
            }

            md.Append('\n');
        }

        foreach (var ack in cost.Acknowledgments)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Acknowledged increase for {OneLine(ack.Key)} ({ack.State}): \"{Cell(ack.Reason)}\", covers up to {CostDeltaExplainer.Money(ack.UpToMonthly)}/month, now {CostDeltaExplainer.Money(ack.Current)}.\n");
        }

        if (cost.Acknowledgments.Count > 0)
        {
            md.Append('\n');
        }
    }

    private static void AppendFindings(StringBuilder md, IReadOnlyList<Item> current, BaseReport? baseReport, string? baseProblem, string? basePath)
    {
        if (baseReport is null)
        {
            var why = basePath is null ? "no base report was given (ConfigAsCodeBaseReport)" : baseProblem!;
            md.Append(CultureInfo.InvariantCulture, $"**Findings:** {current.Count(i => i.Severity == "error")} error(s), {current.Count(i => i.Severity == "warning")} warning(s) (the drift errors, CAC9001–CAC9003, are the cluster changes above); new and resolved cannot be told apart: {why}.\n\n");
            AppendList(md, "Current findings", current);
            return;
        }

        var baseKeys = baseReport.Findings.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var currentKeys = current.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var added = current.Where(f => !baseKeys.Contains(f.Key)).ToArray();
        var resolved = baseReport.Findings.Where(f => !currentKeys.Contains(f.Key)).ToArray();
        md.Append(CultureInfo.InvariantCulture, $"**Findings against the base branch:** {added.Length} new, {resolved.Length} resolved, {current.Count - added.Length} unchanged.\n\n");
        AppendList(md, "New in this change", added);
        AppendList(md, "Resolved by this change", resolved);
    }

    private static void AppendList(StringBuilder md, string title, IReadOnlyList<Item> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        md.Append("<details open><summary>").Append(title).Append(CultureInfo.InvariantCulture, $" ({items.Count})</summary>\n\n");
        foreach (var i in items.OrderBy(i => i.Severity == "error" ? 0 : 1).ThenBy(i => i.Code, StringComparer.Ordinal).ThenBy(i => i.Message, StringComparer.Ordinal).Take(MaxFindings))
        {
            md.Append("- ").Append(OneLine(i.Severity)).Append(' ').Append(OneLine(i.Code)).Append(": ").Append(OneLine(i.Message)).Append(i.Where.Length > 0 ? $" ({OneLine(i.Where)})" : string.Empty).Append('\n');
        }

        if (items.Count > MaxFindings)
        {
            md.Append(CultureInfo.InvariantCulture, $"- … and {items.Count - MaxFindings} more in report.md\n");
        }

        md.Append("\n</details>\n\n");
    }

    private static void AppendReadiness(StringBuilder md, IReadOnlyList<ReadinessChecklist> readiness, BaseReport? baseReport)
    {
        if (readiness.Count == 0)
        {
            return;
        }

        var ready = readiness.Count(r => r.IsReady);
        md.Append(CultureInfo.InvariantCulture, $"**Production readiness:** {ready} of {readiness.Count} deployment(s) pass every item that applies");
        if (baseReport is null)
        {
            md.Append(".\n\n");
            return;
        }

        var changes = new List<string>();
        foreach (var checklist in readiness)
        {
            var key = $"{checklist.Environment}/{checklist.Deployment}";
            if (!baseReport.Readiness.TryGetValue(key, out var before))
            {
                changes.Add($"{key}: new, {(checklist.IsReady ? "ready" : $"fails {string.Join(", ", checklist.Items.Where(i => i.Status == ReadinessStatus.Fail).Select(i => i.Id))}")}");
                continue;
            }

            foreach (var item in checklist.Items)
            {
                var now = item.Status switch { ReadinessStatus.Pass => "pass", ReadinessStatus.NotApplicable => "not-applicable", _ => "fail" };
                if (before.TryGetValue(item.Id, out var was) && !string.Equals(was, now, StringComparison.Ordinal))
                {
                    changes.Add($"{key} {item.Id}: {was} → {now}{(now == "fail" ? $" ({OneLine(item.Reason)})" : string.Empty)}");
                }
            }
        }

        var gone = baseReport.Readiness.Keys.Except(readiness.Select(r => $"{r.Environment}/{r.Deployment}"), StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        changes.AddRange(gone.Select(k => $"{k}: removed"));
        md.Append(changes.Count == 0 ? "; no change against the base branch.\n\n" : $"; {changes.Count} change(s) against the base branch:\n\n");
        foreach (var change in changes.Take(MaxFindings))
        {
            md.Append("- ").Append(OneLine(change)).Append('\n');
        }

        if (changes.Count > MaxFindings)
        {
            md.Append(CultureInfo.InvariantCulture, $"- … and {changes.Count - MaxFindings} more in report.md\n");
        }

        if (changes.Count > 0)
        {
            md.Append('\n');
        }
    }

    /// <summary>Warnings and errors, without the drift errors (the drift section shows those files).</summary>
    private static IReadOnlyList<Item> Findings(IEnumerable<Item> items) =>
        items.Where(i => i.Severity is "error" or "warning" && i.Code is not ("CAC9001" or "CAC9002" or "CAC9003")).ToArray();

    internal static (BaseReport? Report, string? Problem) LoadBase(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(UserFile.ReadAllBytes(path));
            var root = document.RootElement;
            var findings = new List<Item>();
            if (Property(root, "diagnostics") is { ValueKind: JsonValueKind.Array } diagnostics)
            {
                foreach (var d in diagnostics.EnumerateArray())
                {
                    var line = Property(d, "line") is { ValueKind: JsonValueKind.Number } l && l.TryGetInt32(out var number) ? number : 0;
                    var file = Text(d, "file");
                    findings.Add(new Item(Text(d, "code"), Text(d, "severity"), file.Length > 0 ? $"{file}:{line.ToString(CultureInfo.InvariantCulture)}" : string.Empty, Text(d, "message")));
                }
            }
            else
            {
                return (null, $"the base report '{Path.GetFileName(path)}' is not a ConfigAsCode report.json (no diagnostics)");
            }

            var readiness = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            if (Property(root, "readiness") is { ValueKind: JsonValueKind.Array } checklists)
            {
                foreach (var c in checklists.EnumerateArray())
                {
                    var items = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (Property(c, "items") is { ValueKind: JsonValueKind.Array } list)
                    {
                        foreach (var item in list.EnumerateArray())
                        {
                            items[Text(item, "id")] = Text(item, "result");
                        }
                    }

                    readiness[$"{Text(c, "environment")}/{Text(c, "deployment")}"] = items;
                }
            }

            return (new BaseReport(Findings(findings), readiness), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return (null, $"the base report '{Path.GetFileName(path)}' could not be read ({e.GetType().Name})");
        }
    }

    /// <summary>The property of an object, or null (for anything that is not an object too: the base report is not trusted).</summary>
    private static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    private static string Text(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? string.Empty : string.Empty;

    /// <summary>Text that stays on its line and inside its code fence (a committed snapshot's keys and values reach it).</summary>
    internal static string OneLine(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("```", "'''", StringComparison.Ordinal);

    /// <summary>A Markdown table cell: <see cref="OneLine"/>, and a '|' that would start another cell escaped.</summary>
    internal static string Cell(string text) => OneLine(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Signed(decimal amount) => (amount >= 0 ? "+" : "−") + CostDeltaExplainer.Money(Math.Abs(amount));

    private static string Percent(decimal before, decimal after) =>
        before > 0 ? $", {(after >= before ? "+" : "−")}{Math.Abs(Math.Round((after - before) / before * 100m, 1)).ToString(CultureInfo.InvariantCulture)}%" : string.Empty;
}
