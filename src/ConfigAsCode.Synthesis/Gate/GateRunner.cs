using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>What one build asks of the gate.</summary>
public sealed record GateOptions
{
    /// <summary>The config project's folder; report paths are relative to it.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The committed snapshot folder (<c>ConfigAsCodeSnapshotDirectory</c>, default <c>deploy/</c>).</summary>
    public required string SnapshotDirectory { get; init; }

    /// <summary>Where fresh output and reports go (<c>$(IntermediateOutputPath)configascode/</c>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary><c>ConfigAsCodeAcceptChanges</c>.</summary>
    public bool Accept { get; init; }

    /// <summary>Why the build counts as CI (accepting is refused), or null.</summary>
    public string? CiReason { get; init; }

    /// <summary>Thresholds and severities.</summary>
    public RuleOptions Rules { get; init; } = RuleOptions.Default;

    /// <summary>Rendering options.</summary>
    public RenderOptions Render { get; init; } = new();

    /// <summary>A price file (<c>ConfigAsCodePriceFile</c>) applied over the shipped catalog, or null.</summary>
    public string? PriceFile { get; init; }

    /// <summary>The command that accepts drift, shown in messages.</summary>
    public string AcceptCommand { get; init; } = "dotnet build -p:ConfigAsCodeAcceptChanges=true";
}

/// <summary>A coded diagnostic for MSBuild: severity, code, where, and what.</summary>
public sealed record GateDiagnostic(RuleSeverity Severity, string Code, string? File, int Line, string Message);

/// <summary>Everything one gate run concluded.</summary>
public sealed record GateOutcome(
    IReadOnlyList<GateDiagnostic> Diagnostics,
    IReadOnlyList<string> Summary,
    ValidationReport? Validation,
    DriftResult? Drift,
    bool Accepted)
{
    /// <summary>The cost of every priced deployment, its change against the committed cost snapshot, and the budgets.</summary>
    public CostReport? Cost { get; init; }

    /// <summary>The production-readiness checklist of every deployment, by environment and name.</summary>
    public IReadOnlyList<Readiness.ReadinessChecklist> Readiness { get; init; } = [];

    public bool Failed => Diagnostics.Any(d => d.Severity == RuleSeverity.Error);
}

/// <summary>
/// The build-time pipeline after evaluation: validate, render, write fresh output, compare with the committed
/// snapshots, accept when asked (and allowed), and write the reports. Snapshots are written only on an accepted
/// run; when user code threw, nothing but the reports is written.
/// </summary>
public static class GateRunner
{
    public const string FreshFolder = "deploy";

    public static GateOutcome Run(EvaluationResult evaluation, GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(options);
        var diagnostics = new List<GateDiagnostic>();
        var summary = new List<string>();
        Directory.CreateDirectory(options.OutputDirectory);

        if (evaluation.Failed)
        {
            diagnostics.AddRange(evaluation.Failures.Select(f => new GateDiagnostic(RuleSeverity.Error, f.Id, null, 0, f.Message)));
            summary.Add($"ConfigAsCode: generation failed; nothing was generated and the snapshots in {Relative(options, options.SnapshotDirectory)} were left untouched.");
            Reports.Write(options, null, null, diagnostics, summary, null);
            return new GateOutcome(diagnostics, summary, null, null, Accepted: false);
        }

        var deployments = evaluation.Deployments;
        var validation = PlatformValidator.Validate(deployments, options.Rules);
        foreach (var finding in validation.Findings)
        {
            var severity = finding.Outcome == FindingOutcome.Violation ? finding.Severity : RuleSeverity.Info;
            var prefix = finding.Outcome switch
            {
                FindingOutcome.Suppressed => $"suppressed ({finding.Justification}): ",
                FindingOutcome.Undecided => "undecided: ",
                _ => string.Empty,
            };
            diagnostics.Add(new GateDiagnostic(severity, finding.Id, NullIfEmpty(finding.Location.FilePath), finding.Location.Line,
                $"{prefix}[{finding.Environment}/{finding.Deployment}] {(finding.PropertyPath.Length > 0 ? finding.PropertyPath + ": " : string.Empty)}{finding.Message}"));
        }

        var rendered = ManifestRenderer.Render(deployments, options.Render);
        foreach (var finding in rendered.Findings)
        {
            diagnostics.Add(new GateDiagnostic(finding.Severity, finding.Id, NullIfEmpty(finding.Location.FilePath), finding.Location.Line, $"[{finding.Environment}/{finding.Deployment}] {finding.PropertyPath}: {finding.Message}"));
        }

        var cost = CostReport.Build(evaluation, options, diagnostics);
        var files = rendered.Files.Append(new RenderedFile(CostSnapshot.Path, cost.SnapshotJson)).OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        ManifestFileWriter.Write(Path.Combine(options.OutputDirectory, FreshFolder), files, deleteOthers: true);
        var drift = SnapshotComparer.Compare(files, options.SnapshotDirectory);
        var accepted = false;
        var snapshots = Relative(options, options.SnapshotDirectory);
        summary.Add($"ConfigAsCode: {deployments.Count} deployments, {rendered.Objects.Count} objects; rules: {validation.CompliantCount} compliant, {validation.NonCompliantCount} non-compliant, {validation.UndecidedCount} undecided, {validation.SuppressedCount} suppressed.");
        summary.AddRange(cost.SummaryLines());

        if (drift.IsClean)
        {
            summary.Add($"ConfigAsCode: no drift against {snapshots}.");
        }
        else
        {
            summary.Add($"ConfigAsCode: drift against {snapshots}: {drift.Summary}.");
            summary.AddRange(DriftLines(drift));
            var diffPath = Path.Combine(options.OutputDirectory, "drift.diff");
            ManifestFileWriter.WriteAtomically(diffPath, new System.Text.UTF8Encoding(false).GetBytes(UnifiedDiff.Render(drift, files, options.SnapshotDirectory)));
            summary.Add($"  Full diff: {Relative(options, diffPath)}");

            if (options.Accept && options.CiReason is not null)
            {
                diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.AcceptRefusedInCi.Id, null, 0,
                    $"accepting snapshot changes is refused in CI ({options.CiReason}): CI must never rewrite {snapshots}. Run '{options.AcceptCommand}' locally, review 'git diff', and commit."));
                diagnostics.AddRange(DriftDiagnostics(drift, deployments, options));
            }
            else if (options.Accept)
            {
                var written = SnapshotComparer.Accept(files, options.SnapshotDirectory);
                accepted = true;
                summary.Add($"ConfigAsCode: accepted: {written.Written.Count} files written, {written.Deleted.Count} removed in {snapshots}. Review with 'git diff' and commit.");
            }
            else
            {
                diagnostics.AddRange(DriftDiagnostics(drift, deployments, options));
                summary.Add($"  Accept with: {options.AcceptCommand}");
            }
        }


        var readiness = deployments
            .Where(d => d.Environment is not null)
            .Select(d => Readiness.ReadinessChecklist.For(d, validation.Findings))
            .OrderBy(c => c.Environment, StringComparer.Ordinal).ThenBy(c => c.Deployment, StringComparer.Ordinal)
            .ToArray();
        summary.Add($"ConfigAsCode: production readiness: {readiness.Count(r => r.PassedCount == r.Items.Count)} of {readiness.Length} deployments pass every item (report.md).");
        Reports.Write(options, validation, drift, diagnostics, summary, cost, readiness);
        return new GateOutcome(diagnostics, summary, validation, drift, accepted) { Cost = cost, Readiness = readiness };
    }

    internal static IEnumerable<string> DriftLines(DriftResult drift)
    {
        foreach (var file in drift.Files)
        {
            var marker = file.Kind switch { FileChangeKind.Added => "+", FileChangeKind.Removed => "-", _ => "~" };
            var risks = file.Risks.ToArray();
            yield return $"  {marker} {file.Path}" + (risks.Length > 0 ? $"  [RISKY: {string.Join(", ", risks)}]" : string.Empty);
            foreach (var field in Meaningful(file))
            {
                yield return "      " + field;
            }
        }
    }

    private static IEnumerable<GateDiagnostic> DriftDiagnostics(DriftResult drift, IReadOnlyList<InferenceDeployment> deployments, GateOptions options)
    {
        var byApp = deployments.GroupBy(d => $"{d.Environment.Name}/{d.Name}", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        // New objects are reported once per app folder: a first build of ten deployments is one line each, not sixty.
        foreach (var app in drift.Files.Where(f => f.IsObject && f.Kind == FileChangeKind.Added).GroupBy(f => AppFolder(f.Path), StringComparer.Ordinal))
        {
            byApp.TryGetValue(app.Key, out var owner);
            var kinds = string.Join(", ", app.Select(f => f.ObjectKind));
            yield return new GateDiagnostic(RuleSeverity.Error, RuleCatalog.SnapshotMissing.Id, NullIfEmpty(owner?.DeclaredAt.FilePath), owner?.DeclaredAt.Line ?? 0,
                $"{app.Key}: {app.Count()} new object(s) without a committed snapshot ({kinds}). Accept with: {options.AcceptCommand}");
        }

        foreach (var file in drift.Files.Where(f => (f.IsObject && f.Kind != FileChangeKind.Added) || (f.Kind == FileChangeKind.Removed && !f.IsObject)))
        {
            var segments = file.Path.Split('/');
            byApp.TryGetValue(segments.Length > 2 ? $"{segments[0]}/{segments[1]}" : string.Empty, out var owner);
            var risks = file.Risks.ToArray();
            var risky = risks.Length > 0 ? $" RISKY ({string.Join(", ", risks)})." : string.Empty;
            var (code, text) = file.Kind switch
            {
                FileChangeKind.Added => (RuleCatalog.SnapshotMissing.Id, $"{file.Path}: no committed snapshot (new {file.ObjectKind ?? "file"})."),
                FileChangeKind.Removed => (RuleCatalog.SnapshotOrphaned.Id, $"{file.Path}: committed snapshot is no longer generated (orphaned {file.ObjectKind ?? "file"})."),
                _ => (RuleCatalog.SnapshotChanged.Id, $"{file.Path}: {string.Join("; ", Meaningful(file).Take(5).Select(f => $"{f.Path}: {f.Before} → {f.After}"))}{(Meaningful(file).Count > 5 ? $"; and {Meaningful(file).Count - 5} more" : string.Empty)}.{risky}"),
            };
            yield return new GateDiagnostic(RuleSeverity.Error, code, NullIfEmpty(owner?.DeclaredAt.FilePath), owner?.DeclaredAt.Line ?? 0, $"{text} Accept with: {options.AcceptCommand}");
        }
    }

    /// <summary>The changes a reviewer needs: the config hash moves with every change, so it is listed only alone.</summary>
    internal static IReadOnlyList<FieldChange> Meaningful(FileDrift file)
    {
        var fields = file.Fields.Where(f => !f.Path.EndsWith("[configascode.io/config-hash]", StringComparison.Ordinal)).ToArray();
        return fields.Length > 0 ? fields : file.Fields;
    }

    private static string AppFolder(string path)
    {
        var segments = path.Split('/');
        return segments.Length > 2 ? $"{segments[0]}/{segments[1]}" : path;
    }

    internal static string Relative(GateOptions options, string path)
    {
        var relative = Path.GetRelativePath(options.ProjectDirectory, path).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFileName(path) : relative;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
