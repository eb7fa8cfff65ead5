using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConfigAsCode.Synthesis.Readiness;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// <c>report.json</c>, <c>report.md</c> (fit for a pull-request comment) and <c>report.sarif</c> in the output
/// folder. No timestamps, no absolute paths (source files are relative to the project), secrets redacted,
/// everything sorted.
/// </summary>
public static class Reports
{
    /// <summary>GitHub stops PR comments at 65,536 characters; the Markdown report stays under it.</summary>
    private const int MarkdownLimit = 60_000;

    /// <summary>The files a run writes into the output folder besides the changed manifests.</summary>
    public static IReadOnlyList<string> Names { get; } = ["report.json", "report.md", "report.sarif", PrComment.FileName, "drift.diff", "host-error.txt", "warnings.log", VerdictReuse.FileName];

    /// <summary>Removes an earlier run's reports, so a run that fails half-way never leaves a stale verdict behind.</summary>
    public static void RemoveStale(GateOptions options)
    {
        // Another project's output folder (its marker names it) is not this run's to clean.
        if (!SnapshotFolder.IsOwnOutputFolder(options))
        {
            return;
        }

        foreach (var name in Names)
        {
            var path = Path.Combine(options.OutputDirectory, name);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        VerdictReuse.RemoveHeld(options.OutputDirectory);

        // The fresh manifests of an earlier run go too: a run that stops early (a property refused, user code that
        // threw) must not leave manifests of another input beside its reports, for a CI job to publish.
        var fresh = Path.Combine(options.OutputDirectory, GateRunner.FreshFolder);
        if (Directory.Exists(fresh) || File.Exists(fresh))
        {
            ManifestFileWriter.Write(fresh, [], deleteOthers: true);
        }
    }

    public static void Write(GateOptions options, ValidationReport? validation, DriftResult? drift, IReadOnlyList<GateDiagnostic> diagnostics, IReadOnlyList<string> summary, CostReport? cost, IReadOnlyList<ReadinessChecklist>? readiness = null)
    {
        readiness ??= [];
        var redactor = options.Redactor;

        // Every string that can carry user content passes the whole redactor (values and formats) before it is
        // serialised: messages, field values, reasons, names, price sources. Generated text (readiness reasons, cost
        // keys and numbers) cannot, and is not scanned string by string at 10,000 deployments.
        if (drift is not null)
        {
            // Field paths and object names too: a hand-edited snapshot's keys and names reach them.
            drift = drift with
            {
                Files = drift.Files.Select(f => f with
                {
                    Path = redactor.Redact(f.Path),
                    Fields = f.Fields.Select(x => x with { Path = redactor.Redact(x.Path), Before = redactor.Redact(x.Before), After = redactor.Redact(x.After) }).ToArray(),
                    Documents = f.Documents.Count == 0 ? f.Documents : f.Documents.Select(d => d with { Kind = redactor.Redact(d.Kind), Name = redactor.Redact(d.Name) }).ToArray(),
                }).ToArray(),
            };
        }

        if (redactor.HasValues)
        {
            readiness = readiness.Select(r => r with
            {
                Items = r.Items.Select(i => i with
                {
                    Reason = redactor.ReplaceValues(i.Reason),
                    Evidence = i.Evidence.Select(e => e with { Value = redactor.ReplaceValues(e.Value) }).ToArray(),
                }).ToArray(),
            }).ToArray();
        }

        var ordered = diagnostics
            .Select(d => d with { File = d.File is null ? null : redactor.Redact(GateRunner.Relative(options, d.File)), Message = redactor.Redact(d.Message) })
            .OrderBy(d => d.File ?? string.Empty, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Code, StringComparer.Ordinal).ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToArray();

        var suppressions = ActiveSuppressions(validation, options.Rules.Today, redactor);

        // report.json can be tens of megabytes at 10,000 deployments: it is written straight to its file, never held,
        // while the other three are written beside it (they read the same values; the redactor is safe to share).
        InvariantCultureScope.ForEach(2, part =>
        {
            if (part == 0)
            {
                WriteJsonFile(Path.Combine(options.OutputDirectory, "report.json"), json => Json(json, validation, drift, ordered, cost, readiness, redactor, suppressions));
                return;
            }

            Save(options, "report.md", Markdown(validation, drift, ordered, summary, cost, readiness, suppressions));
            Save(options, "report.sarif", Sarif(ordered));
            Save(options, PrComment.FileName, PrComment.Build(options, drift, ordered, cost, readiness, suppressions));
        });
    }

    // The small reports pass the redactor once more as a whole: a value that reached the text by a path nobody
    // foresaw is still replaced.
    private static void Save(GateOptions options, string name, string content) =>
        ManifestFileWriter.WriteAtomically(Path.Combine(options.OutputDirectory, name), options.Redactor.RedactToUtf8(content.Replace("\r\n", "\n", StringComparison.Ordinal)));

    /// <summary>One suppression that applied in this build: where, which rule, who answers for it, how old, how long left.</summary>
    internal sealed record ActiveSuppression(string Environment, string Deployment, string Rule, int Findings, string Justification, string? Owner, string? Since, int? AgeDays, string? Expires, int? DaysLeft);

    internal static IReadOnlyList<ActiveSuppression> ActiveSuppressions(ValidationReport? validation, DateTime? today, Secrets.Redactor redactor) =>
        validation is null ? [] : validation.Findings
            .Where(f => f.Outcome == FindingOutcome.Suppressed && f.Suppression is not null)
            .GroupBy(f => (f.Environment, f.Deployment, f.Id))
            .Select(g =>
            {
                var s = g.First().Suppression!;
                var since = SuppressionDates.Parse(s.Since);
                var expires = SuppressionDates.Parse(s.Expires);
                return new ActiveSuppression(g.Key.Environment, g.Key.Deployment, g.Key.Id, g.Count(), redactor.Redact(s.Justification),
                    s.Owner is null ? null : redactor.Redact(s.Owner.Trim()), s.Since, since is { } a && today is { } t1 ? SuppressionDates.Days(a, t1) : null,
                    s.Expires, expires is { } e && today is { } t2 ? SuppressionDates.Days(t2, e) : null);
            })
            .OrderBy(a => a.Environment, StringComparer.Ordinal).ThenBy(a => a.Deployment, StringComparer.Ordinal).ThenBy(a => a.Rule, StringComparer.Ordinal)
            .ToArray();

    private static void Json(Utf8JsonWriter json, ValidationReport? validation, DriftResult? drift, IReadOnlyList<GateDiagnostic> diagnostics, CostReport? cost, IReadOnlyList<ReadinessChecklist> readiness, Secrets.Redactor redactor, IReadOnlyList<ActiveSuppression> suppressions)
    {
        json.WriteStartObject();
        json.WriteString("tool", "ConfigAsCode");
        if (cost is not null)
        {
            json.WriteStartObject("cost");
            json.WriteString("currency", "USD");
            json.WriteNumber("monthlyTotal", cost.Estimates.Sum(e => e.MonthlyExpected));
            json.WriteNumber("monthlyBaseline", cost.Baseline.Values.Sum(c => c.MonthlyExpected));
            json.WriteString("baseline", cost.BaselineDescription);
            json.WriteStartArray("deployments");
            foreach (var e in cost.Estimates)
            {
                Drain(json);
                json.WriteStartObject();
                json.WriteString("key", e.Key);
                json.WriteNumber("hourlyAtMin", Math.Round(e.HourlyAtMin, 4));
                json.WriteNumber("hourlyAtMax", Math.Round(e.HourlyAtMax, 4));
                json.WriteNumber("monthlyAtMin", e.MonthlyAtMin);
                json.WriteNumber("monthlyAtMax", e.MonthlyAtMax);
                json.WriteNumber("monthlyExpected", e.MonthlyExpected);
                json.WriteNumber("expectedReplicas", e.ExpectedReplicas);
                if (e.UsdPerMillionOutputTokens is { } pm)
                {
                    json.WriteNumber("usdPerMillionOutputTokens", pm);
                }

                json.WriteString("priceSource", redactor.Redact(e.PriceSource));
                if (e.ProfileSource is not null)
                {
                    json.WriteString("throughputProfile", e.ProfileSource);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("attributions");
            foreach (var d in cost.Deltas)
            {
                json.WriteStringValue(d.Explanation);
            }

            json.WriteEndArray();
            json.WriteStartArray("acknowledgments");
            foreach (var a in cost.Acknowledgments)
            {
                json.WriteStartObject();
                json.WriteString("key", a.Key);
                json.WriteString("reason", redactor.Redact(a.Reason));
                json.WriteString("state", a.State);
                json.WriteNumber("upToMonthly", a.UpToMonthly);
                json.WriteNumber("current", a.Current);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("budgets");
            foreach (var b in cost.Budgets)
            {
                json.WriteStartObject();
                json.WriteString("name", redactor.Redact(b.Budget.Name));
                json.WriteNumber("monthlyUsd", b.Budget.MonthlyUsd);
                json.WriteNumber("current", b.Current);
                json.WriteNumber("baseline", b.Baseline);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (validation is not null)
        {
            json.WriteStartObject("rules");
            json.WriteNumber("evaluations", validation.Evaluations);
            json.WriteNumber("compliant", validation.CompliantCount);
            json.WriteNumber("nonCompliant", validation.NonCompliantCount);
            json.WriteNumber("undecided", validation.UndecidedCount);
            json.WriteNumber("suppressed", validation.SuppressedCount);
            json.WriteStartArray("suppressions");
            foreach (var a in suppressions)
            {
                json.WriteStartObject();
                json.WriteString("environment", a.Environment);
                json.WriteString("deployment", a.Deployment);
                json.WriteString("rule", a.Rule);
                json.WriteNumber("findings", a.Findings);
                json.WriteString("justification", a.Justification);
                WriteOptional(json, "owner", a.Owner);
                WriteOptional(json, "since", a.Since);
                if (a.AgeDays is { } age)
                {
                    json.WriteNumber("ageDays", age);
                }

                WriteOptional(json, "expires", a.Expires);
                if (a.DaysLeft is { } left)
                {
                    json.WriteNumber("daysLeft", left);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (drift is not null)
        {
            json.WriteStartObject("drift");
            json.WriteNumber("added", drift.Added);
            json.WriteNumber("changed", drift.Changed);
            json.WriteNumber("removed", drift.Removed);
            if (drift.HasPerAppFiles)
            {
                // The counts above are of files; with per-app files, the objects' counts too.
                var objects = drift.Objects.ToArray();
                json.WriteStartObject("objects");
                json.WriteNumber("added", objects.Count(k => k == FileChangeKind.Added));
                json.WriteNumber("changed", objects.Count(k => k == FileChangeKind.Changed));
                json.WriteNumber("removed", objects.Count(k => k == FileChangeKind.Removed));
                json.WriteNumber("moved", drift.MovedObjects);
                json.WriteEndObject();
            }

            json.WriteStartArray("files");
            foreach (var file in drift.Files)
            {
                Drain(json);
                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteString("change", file.Kind.ToString().ToLowerInvariant());
                if (file.ObjectKind is not null)
                {
                    json.WriteString("kind", file.ObjectKind);
                }

                if (file.Documents.Count > 0)
                {
                    // A per-app file: which of its objects came, went or changed.
                    json.WriteStartArray("objects");
                    foreach (var document in file.Documents)
                    {
                        json.WriteStartObject();
                        json.WriteString("kind", document.Kind);
                        json.WriteString("name", document.Name);
                        json.WriteString("change", document.Change.ToString().ToLowerInvariant());
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                if (file.FileRisks.Count > 0)
                {
                    json.WriteStartArray("risks");
                    foreach (var risk in file.FileRisks)
                    {
                        json.WriteStringValue(risk);
                    }

                    json.WriteEndArray();
                }

                json.WriteStartArray("fields");
                foreach (var field in file.Fields)
                {
                    json.WriteStartObject();
                    json.WriteString("path", field.Path);
                    json.WriteString("before", field.Before);
                    json.WriteString("after", field.After);
                    if (field.Risk is not null)
                    {
                        json.WriteString("risk", field.Risk);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (readiness.Count > 0)
        {
            json.WriteStartArray("readiness");
            foreach (var checklist in readiness)
            {
                Drain(json);
                json.WriteStartObject();
                json.WriteString("deployment", checklist.Deployment);
                json.WriteString("environment", checklist.Environment);
                json.WriteBoolean("ready", checklist.IsReady);
                json.WriteNumber("passed", checklist.PassedCount);
                json.WriteNumber("notApplicable", checklist.NotApplicableCount);
                json.WriteNumber("total", checklist.Items.Count);
                json.WriteStartArray("items");
                foreach (var item in checklist.Items)
                {
                    json.WriteStartObject();
                    json.WriteString("id", item.Id);
                    json.WriteString("title", item.Title);
                    json.WriteString("result", Result(item.Status));
                    json.WriteString("reason", item.Reason);
                    json.WriteStartArray("evidence");
                    foreach (var e in item.Evidence)
                    {
                        json.WriteStartObject();
                        json.WriteString("file", e.File);
                        json.WriteString("field", e.Field);
                        json.WriteString("value", e.Value);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("diagnostics");
        foreach (var d in diagnostics)
        {
            Drain(json);
            json.WriteStartObject();
            json.WriteString("code", d.Code);
            json.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
            if (d.File is not null)
            {
                json.WriteString("file", d.File);
                json.WriteNumber("line", d.Line);
            }

            json.WriteString("message", d.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Markdown(ValidationReport? validation, DriftResult? drift, IReadOnlyList<GateDiagnostic> diagnostics, IReadOnlyList<string> summary, CostReport? cost, IReadOnlyList<ReadinessChecklist> readiness, IReadOnlyList<ActiveSuppression> suppressions)
    {
        var md = new StringBuilder();
        md.Append("## ConfigAsCode\n\n");
        if (cost is not null)
        {
            md.Append("| Deployment | Env | Baseline $/month | New $/month | Δ | $/1M tokens |\n|---|---|---:|---:|---:|---:|\n");
            foreach (var e in cost.Estimates)
            {
                var baseline = cost.Baseline.TryGetValue(e.Key, out var before) ? before.MonthlyExpected : (decimal?)null;
                var delta = baseline is { } b ? e.MonthlyExpected - b : e.MonthlyExpected;
                md.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"| {PrComment.Cell(e.Deployment)} | {PrComment.Cell(e.Environment)} | {(baseline is { } bl ? Cost.CostDeltaExplainer.Money(bl) : "new")} | {Cost.CostDeltaExplainer.Money(e.MonthlyExpected)} | {(delta >= 0 ? "+" : "−")}{Cost.CostDeltaExplainer.Money(Math.Abs(delta))} | {(e.UsdPerMillionOutputTokens is { } pm ? Cost.CostDeltaExplainer.Money(pm) : "–")} |\n");
            }

            md.Append('\n').Append("Baseline: ").Append(PrComment.OneLine(cost.BaselineDescription)).Append(".\n\n");
            var attributions = cost.Baseline.Count > 0 ? cost.Deltas : [];
            if (attributions.Count > 0)
            {
                md.Append("**Cost changes**\n\n");
                foreach (var d in attributions)
                {
                    md.Append("- ").Append(PrComment.OneLine(d.Explanation)).Append('\n');
                }

                md.Append('\n');
            }

            if (cost.Acknowledgments.Count > 0)
            {
                md.Append("**Cost acknowledgments**\n\n| Deployment | Reason | Covers up to $/month | Now $/month | State |\n|---|---|---:|---:|---|\n");
                foreach (var a in cost.Acknowledgments)
                {
                    md.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {PrComment.Cell(a.Key)} | {PrComment.Cell(a.Reason)} | {Cost.CostDeltaExplainer.Money(a.UpToMonthly)} | {Cost.CostDeltaExplainer.Money(a.Current)} | {a.State} |\n");
                }

                md.Append('\n');
            }

            if (cost.Budgets.Count > 0)
            {
                md.Append("| Budget | Limit $/month | Current | Baseline |\n|---|---:|---:|---:|\n");
                foreach (var b in cost.Budgets)
                {
                    md.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {PrComment.Cell(b.Budget.Name)} | {Cost.CostDeltaExplainer.Money(b.Budget.MonthlyUsd)} | {Cost.CostDeltaExplainer.Money(b.Current)} | {Cost.CostDeltaExplainer.Money(b.Baseline)} |\n");
                }

                md.Append('\n');
            }
        }

        if (drift is not null)
        {
            md.Append(drift.IsClean ? "**No drift.**\n\n" : $"**Drift: {PrComment.OneLine(drift.Summary)}.**\n\n");
            if (!drift.IsClean)
            {
                md.Append("```diff\n");
                foreach (var line in GateRunner.DriftLines(drift))
                {
                    md.Append(PrComment.OneLine(line)).Append('\n');
                }

                md.Append("```\n\n");
            }
        }

        if (validation is not null)
        {
            md.Append(System.Globalization.CultureInfo.InvariantCulture, $"Rules: {validation.CompliantCount} compliant, {validation.NonCompliantCount} non-compliant, {validation.UndecidedCount} undecided, {validation.SuppressedCount} suppressed.\n\n");
            AppendSuppressions(md, suppressions);
        }

        var shown = diagnostics.Where(d => d.Severity >= RuleSeverity.Warning).ToArray();
        if (shown.Length > 0)
        {
            md.Append("| Severity | Code | Where | Message |\n|---|---|---|---|\n");
            foreach (var d in shown)
            {
                var where = d.File is null ? string.Empty : $"{d.File}:{d.Line}";
                md.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {d.Severity.ToString().ToLowerInvariant()} | [{d.Code}]({RuleCatalog.HelpLinkBase}{d.Code}.md) | {PrComment.Cell(where)} | {PrComment.Cell(d.Message)} |\n");
            }
        }

        if (readiness.Count > 0)
        {
            AppendReadiness(md, readiness);
        }

        var text = md.ToString();
        return text.Length <= MarkdownLimit ? text : text.Substring(0, MarkdownLimit) + "\n\n… truncated; see report.json for everything.\n";
    }

    private static void AppendSuppressions(StringBuilder md, IReadOnlyList<ActiveSuppression> suppressions)
    {
        if (suppressions.Count == 0)
        {
            return;
        }

        md.Append("**Active suppressions**\n\n| Deployment | Env | Rule | Owner | Age | Expires | Justification |\n|---|---|---|---|---|---|---|\n");
        foreach (var a in suppressions.TakeWhile(_ => md.Length <= MarkdownLimit))
        {
            var age = a.AgeDays is { } days ? $"{days} d (since {a.Since})" : "unknown (no Since)";
            var expires = a.Expires is null ? "never" : a.DaysLeft is { } left ? $"{a.Expires} ({left} d left)" : a.Expires;
            md.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {PrComment.Cell(a.Deployment)} | {PrComment.Cell(a.Environment)} | {PrComment.Cell(a.Rule)} | {PrComment.Cell(a.Owner ?? "—")} | {PrComment.Cell(age)} | {PrComment.Cell(expires)} | {PrComment.Cell(a.Justification)} |\n");
        }

        md.Append('\n');
    }

    private static string Result(ReadinessStatus status) => status switch
    {
        ReadinessStatus.Pass => "pass",
        ReadinessStatus.NotApplicable => "not-applicable",
        _ => "fail",
    };

    private static string Cell(ReadinessStatus status) => status switch
    {
        ReadinessStatus.Pass => "pass",
        ReadinessStatus.NotApplicable => "n/a",
        _ => "**fail**",
    };

    private static void AppendReadiness(StringBuilder md, IReadOnlyList<ReadinessChecklist> readiness)
    {
        var items = readiness[0].Items;
        md.Append("\n**Production readiness**\n\n| Deployment | Env | ").Append(string.Join(" | ", items.Select(i => i.Id))).Append(" |\n|---|---|").Append(string.Concat(items.Select(_ => "---|"))).Append('\n');
        // The comment is cut at MarkdownLimit anyway: nothing past it is built (10,000 deployments would be megabytes).
        foreach (var checklist in readiness.TakeWhile(_ => md.Length <= MarkdownLimit))
        {
            md.Append("| ").Append(PrComment.Cell(checklist.Deployment)).Append(" | ").Append(PrComment.Cell(checklist.Environment)).Append(" | ")
                .Append(string.Join(" | ", checklist.Items.Select(i => Cell(i.Status)))).Append(" |\n");
        }

        md.Append('\n');
        foreach (var checklist in readiness.TakeWhile(_ => md.Length <= MarkdownLimit))
        {
            md.Append("<details><summary>").Append(PrComment.OneLine(checklist.Environment)).Append('/').Append(PrComment.OneLine(checklist.Deployment)).Append(": ")
                .Append(checklist.PassedCount.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('/')
                .Append((checklist.Items.Count - checklist.NotApplicableCount).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" passed")
                .Append(checklist.NotApplicableCount > 0 ? $", {checklist.NotApplicableCount.ToString(System.Globalization.CultureInfo.InvariantCulture)} not applicable" : string.Empty)
                .Append("</summary>\n\n");
            foreach (var item in checklist.Items)
            {
                md.Append("- ").Append(Cell(item.Status)).Append(" — ").Append(PrComment.OneLine(item.Title)).Append(": ").Append(PrComment.OneLine(item.Reason)).Append('\n');
                foreach (var e in item.Evidence)
                {
                    md.Append("  - `").Append(PrComment.OneLine(e.File)).Append("`: `").Append(PrComment.OneLine(e.Field)).Append("` = ").Append(PrComment.OneLine(e.Value)).Append('\n');
                }
            }

            md.Append("\n</details>\n");
        }
    }

    private static string Sarif(IReadOnlyList<GateDiagnostic> diagnostics) => WriteJson(json =>
    {
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "ConfigAsCode");
        json.WriteString("informationUri", RuleCatalog.HelpLinkBase.Replace("docs/rules/", string.Empty, StringComparison.Ordinal));
        json.WriteStartArray("rules");
        foreach (var rule in RuleCatalog.All)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Title);
            json.WriteEndObject();
            json.WriteString("helpUri", rule.HelpLink);
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (var d in diagnostics.Where(d => d.Severity >= RuleSeverity.Info))
        {
            json.WriteStartObject();
            json.WriteString("ruleId", d.Code);
            json.WriteString("level", Level(d.Severity));
            json.WriteStartObject("message");
            json.WriteString("text", d.Message);
            json.WriteEndObject();
            if (d.File is not null)
            {
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", SarifUri(d.File));
                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", Math.Max(1, d.Line));
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    /// <summary>
    /// A report's (relative, '/'-separated) file as a SARIF artifact URI: a URI reference, so each segment is escaped
    /// (a space, '#' or '%' in a folder name would otherwise be read as a fragment or a broken escape).
    /// </summary>
    internal static string SarifUri(string file) =>
        string.Join("/", file.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    private static string Level(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Error => "error",
        RuleSeverity.Warning => "warning",
        _ => "note",
    };

    // Relaxed escaping writes '+', '<', '>' and '&' as they are, so the format pass over the whole text sees a
    // credential exactly as it would appear anywhere else (a base64 key with '+' is not hidden as \u002B).
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    // Utf8JsonWriter over a stream buffers everything until it is flushed: report.json (about 100 MB at 10,000
    // deployments) was held whole in a growing buffer (138 MB of byte arrays at the end). Each list entry hands what
    // is pending to the file once it passes 64 KB.
    private static void Drain(Utf8JsonWriter json)
    {
        if (json.BytesPending > 1 << 16)
        {
            json.Flush();
        }
    }

    // Written to a temporary file beside the target and renamed over it, like every output file.
    private static void WriteJsonFile(string path, Action<Utf8JsonWriter> write)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var json = new Utf8JsonWriter(stream, JsonOptions))
                {
                    write(json);
                }

                stream.WriteByte((byte)'\n');
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
