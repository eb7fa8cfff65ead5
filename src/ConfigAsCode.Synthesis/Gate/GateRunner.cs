using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>What one build asks of the gate.</summary>
public sealed record GateOptions
{
    /// <summary>The config project's folder; report paths are relative to it.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The committed snapshot folder (<c>ConfigAsCodeSnapshotDirectory</c>, default <c>deploy/</c>).</summary>
    public required string SnapshotDirectory { get; init; }

    /// <summary>Where changed output and reports go (<c>$(IntermediateOutputPath)configascode/</c>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>
    /// The folder both the snapshot and the output folder must be inside (<c>ConfigAsCodeAllowedRoot</c>); null for
    /// the Git repository that holds the project (or the project folder when there is none).
    /// </summary>
    public string? AllowedRoot { get; init; }

    /// <summary><c>ConfigAsCodeAcceptChanges</c>.</summary>
    public bool Accept { get; init; }

    /// <summary>
    /// <c>ConfigAsCodeAllowRemovals</c>: the number of snapshot files an accept may remove when it would remove an
    /// environment's every manifest or more than half of all files (the count the refusal showed), or null.
    /// </summary>
    public int? AllowRemovals { get; init; }

    /// <summary>
    /// <c>ConfigAsCodeTakeOwnershipFrom</c>: the project (or, in an index written before projects were recorded, the
    /// platform) whose snapshot folder this project takes over, exactly as the refusal named it; or null.
    /// </summary>
    public string? TakeOwnershipFrom { get; init; }

    /// <summary>
    /// The config assembly's file name without its extension, known before it is loaded: with the project folder, the
    /// owner the output folder's marker records (a second project pointed at the same output folder is refused,
    /// CAC9011). Null names the owner by the project folder alone.
    /// </summary>
    public string? ConfigAssemblyName { get; init; }

    /// <summary>
    /// True when this run's ConfigAsCodeTakeOwnershipFrom took the output folder over from the project it names: the
    /// setting did something, so a snapshot folder with nothing to take over is said in the summary, not warned about.
    /// </summary>
    public bool TookOverOutputFolder { get; init; }

    /// <summary>Why the build counts as CI (accepting is refused), or null.</summary>
    public string? CiReason { get; init; }

    /// <summary>Thresholds and severities.</summary>
    public RuleOptions Rules { get; init; } = RuleOptions.Default;

    /// <summary>How warnings become errors or messages (<c>TreatWarningsAsErrors</c>, <c>WarningsAsErrors</c>, <c>NoWarn</c>...).</summary>
    public WarningPolicy Warnings { get; init; } = WarningPolicy.None;

    /// <summary>Rendering options.</summary>
    public RenderOptions Render { get; init; } = new();

    /// <summary>A price file (<c>ConfigAsCodePriceFile</c>) applied over the shipped catalog, or null.</summary>
    public string? PriceFile { get; init; }

    /// <summary><c>ConfigAsCodeCostBaseline</c>: a cost.json path or <c>git:&lt;revision&gt;</c>; null for the committed snapshot.</summary>
    public string? CostBaseline { get; init; }

    /// <summary>
    /// The <c>git:</c> baseline as the host read it before the run (a reused verdict is keyed by it); when null, or for
    /// another spec, the gate reads it itself.
    /// </summary>
    public CostBaseline.GitRead? GitBaseline { get; init; }

    /// <summary><c>ConfigAsCodeWriteFullTree</c>: write every rendered file under the output folder, not only what changed.</summary>
    public bool WriteFullTree { get; init; }

    /// <summary>The base branch's <c>report.json</c>, for the findings and readiness delta of <c>pr-comment.md</c>; null when none.</summary>
    public string? BaseReport { get; init; }

    /// <summary>Where the full diff can be read (a CI run's artifacts page), linked from <c>pr-comment.md</c>.</summary>
    public string? DiffLink { get; init; }

    /// <summary>Maps a source path as the compiler recorded it (a deterministic build's <c>/_/…</c>) back to the file; identity when null.</summary>
    public Func<string, string>? MapSourcePath { get; init; }

    /// <summary>
    /// Diagnostics about the settings the run read (analyzer config entries the gate refuses), asked for once the rules
    /// have read their per-file settings, and judged and reported with the rest.
    /// </summary>
    public Func<IEnumerable<GateDiagnostic>>? SettingDiagnostics { get; init; }

    /// <summary>The redactor every output of this run passes through; the gate registers the secrets it finds.</summary>
    public Redactor Redactor { get; init; } = new();

    /// <summary>The command that accepts drift, shown in messages.</summary>
    public string AcceptCommand { get; init; } = "dotnet build -p:ConfigAsCodeAcceptChanges=true";

    /// <summary>
    /// True when this run may record its verdict for reuse: the snapshot folder's statuses are then read as soon as it
    /// is listed (<see cref="SnapshotFolder.ListedState"/>), one <c>statx</c> per folder.
    /// </summary>
    public bool ProveListing { get; init; }

    /// <summary>Told what the gate is doing, so a host that times out can say where it stopped.</summary>
    public Action<string>? Progress { get; init; }
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
    /// <summary>The cost of every priced deployment, its change against the baseline, and the budgets.</summary>
    public CostReport? Cost { get; init; }

    /// <summary>The production-readiness checklist of every deployment, by environment and name.</summary>
    public IReadOnlyList<Readiness.ReadinessChecklist> Readiness { get; init; } = [];

    /// <summary>The credentials found (never their values in any output).</summary>
    public IReadOnlyList<DetectedSecret> Secrets { get; init; } = [];

    /// <summary>True when a snapshot file the gate does not own was read and compared: such a verdict is never reused.</summary>
    public bool ReadForeignSnapshots { get; init; }

    /// <summary>
    /// The snapshot folder's listing as this run found it (<see cref="VerdictReuse.SnapshotListing"/>) and what proves it
    /// on the next run (<see cref="VerdictReuse.ProofOf(SnapshotFolder)"/>), taken only when asked for (a CI run never records a
    /// verdict, and 73,000 names cost tens of milliseconds), or null when the run did not get that far or opening the
    /// folder changed it.
    /// </summary>
    public Lazy<VerdictReuse.ListingProof>? SnapshotListing { get; init; }

    public bool Failed => Diagnostics.Any(d => d.Severity == RuleSeverity.Error);
}

/// <summary>
/// The build-time pipeline after evaluation: check the folders, validate, redact, render, price, compare with the
/// owned snapshots, accept when asked and allowed, and write the reports. Snapshots are written only by an accept
/// that no error, secret or suspicious removal stands against; when user code threw, nothing but the reports is
/// written. Every message, report and diff passes through the run's redactor.
/// </summary>
public static class GateRunner
{
    public const string FreshFolder = "deploy";

    /// <summary>How many drifted files the build log lists before it refers to drift.diff and report.json.</summary>
    public const int LoggedDriftFiles = 100;

    private static readonly HashSet<string> DriftCodes = new(StringComparer.Ordinal) { RuleCatalog.SnapshotChanged.Id, RuleCatalog.SnapshotMissing.Id, RuleCatalog.SnapshotOrphaned.Id };

    public static GateOutcome Run(EvaluationResult evaluation, GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(options);

        // What rendering, readiness and the rules work out per deployment is held for this run only, in plain
        // dictionaries rather than weak tables (DeploymentMemo says why).
        using var memo = DeploymentMemo.Run();
        var diagnostics = new List<GateDiagnostic>();
        var summary = new List<string>();

        // Listing the snapshot folder (73,401 files at 10,000 deployments, two threads) overlaps the credential scan and
        // the validation, which take one core (the library's code there never reads the folder). Its verdict is still
        // taken first: nothing is registered, reported or written before it, in the order it always had.
        var deployments = evaluation.Deployments;
        var early = !evaluation.Failed && deployments.Count > 0 ? ScanAndValidateWhileOpening(evaluation, options) : null;
        if (early is null)
        {
            options.Progress?.Invoke("checking the snapshot folder");
        }

        var (folder, folderProblem) = early?.Folder ?? SnapshotFolder.Open(options);
        if (folder is null)
        {
            diagnostics.Add(folderProblem!);
            return Finish(options, diagnostics, summary, null, null, null, [], accepted: false, []);
        }

        if (SnapshotFolder.ClaimOutputFolder(options))
        {
            options = options with { TookOverOutputFolder = true };
        }

        Reports.RemoveStale(options);
        if (early?.Failure is { } failure)
        {
            // Where the sequential order failed: after the last run's reports were removed (none may stand beside the
            // failure), with the scan's credentials known to the redactor the host reports the failure through.
            options.Redactor.Register(early.Secrets.SelectMany(s => s.Secrets).Concat(early.PlatformSecrets));
            failure.Throw();
        }

        summary.AddRange(folder.Notes);
        var snapshots = Relative(options, options.SnapshotDirectory);

        if (evaluation.Failed)
        {
            diagnostics.AddRange(evaluation.Failures.Select(f => new GateDiagnostic(RuleSeverity.Error, f.Id, NullIfEmpty(f.Location.FilePath), f.Location.Line, f.Message)));
            summary.Add($"ConfigAsCode: generation failed; nothing was generated and the snapshots in {snapshots} were left untouched.");
            return Finish(options, diagnostics, summary, null, null, null, [], accepted: false, []);
        }

        if (OwnedElsewhere(folder, evaluation, options, snapshots, diagnostics, summary, out var takingOver))
        {
            summary.Add($"ConfigAsCode: {snapshots} is another project's snapshot folder; nothing was compared, and its files were left untouched.");
            return Finish(options, diagnostics, summary, null, null, null, [], accepted: false, []);
        }

        if (evaluation.Deployments.Count == 0)
        {
            var ignored = evaluation.IgnoredPlatforms.Count > 0 ? $" Found but not evaluated: {string.Join("; ", evaluation.IgnoredPlatforms)}." : string.Empty;
            var contract = "Platforms are public, non-abstract classes deriving from ConfigAsCode.InferencePlatform with a public parameterless constructor (docs/discovery.md).";
            if (folder.Owned.Count > 0)
            {
                diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.NoDeployments.Id, null, 0,
                    $"no deployments were found, but {snapshots} holds {folder.Owned.Count} snapshot file(s). Is the platform class still public?{ignored} {contract} Nothing was compared, and accepting is refused: it would remove every manifest."));
                summary.Add($"ConfigAsCode: no deployments found; the {folder.Owned.Count} snapshot files in {snapshots} were left untouched.");
            }
            else
            {
                diagnostics.Add(new GateDiagnostic(RuleSeverity.Warning, RuleCatalog.NoDeployments.Id, null, 0,
                    $"the config assembly declares no deployments.{ignored} {contract} Or set ConfigAsCodeEnabled=false."));
            }

            return Finish(options, diagnostics, summary, null, null, null, [], accepted: false, []);
        }

        // Every credential is known before anything is printed or written, whatever the rules' severities: in the
        // deployments, and in what the platform declares beside them (budget names, price sources).
        var (secrets, platformSecrets, validation) = (early!.Secrets, early.PlatformSecrets, early.Validation!);
        options.Redactor.Register(secrets.SelectMany(s => s.Secrets).Concat(platformSecrets));
        foreach (var secret in platformSecrets)
        {
            diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, secret.Rule.Id, null, 0,
                $"[platform] {secret.PropertyPath}: {secret.Reason}: it would be written into cost.json and the reports (redacted here as {secret.Placeholder}). Remove it."));
        }

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

        // A deployment declared twice (CAC9006, reported by the validator with both places) is rendered and priced once.
        var seen = new HashSet<(string, string)>();
        var unique = new List<InferenceDeployment>(deployments.Count);
        foreach (var (deployment, found) in secrets)
        {
            if (seen.Add((deployment.Environment?.Name ?? string.Empty, deployment.Name)))
            {
                unique.Add(ModelRedactor.Redact(deployment, found, options.Redactor));
            }
        }

        options.Progress?.Invoke("rendering and comparing");
        var comparison = new SnapshotComparison(folder, keepAll: options.WriteFullTree, hashForIndex: options.Accept && options.CiReason is null);
        // Readiness is decided from the trees the render builds anyway, while they exist: never a second render.
        var findingsByDeployment = validation.Findings.ToLookup(f => (f.Environment, f.Deployment));
        var checklists = new Readiness.ReadinessChecklist?[unique.Count];
        var rendered = ManifestRenderer.Render(unique, options.Render with
        {
            Keep = comparison.Observe,
            Inspect = (i, documents, problem) =>
            {
                var d = unique[i];
                if (d.Environment is not null)
                {
                    checklists[i] = Readiness.ReadinessChecklist.Safe(d, findingsByDeployment[(d.Environment.Name, d.Name)], documents, problem?.Message).InLayout(documents, options.Render.Layout);
                }
            },
        });
        foreach (var finding in rendered.Findings)
        {
            diagnostics.Add(new GateDiagnostic(finding.Severity, finding.Id, NullIfEmpty(finding.Location.FilePath), finding.Location.Line, $"[{finding.Environment}/{finding.Deployment}] {finding.PropertyPath}: {finding.Message}"));
        }

        // Deployments nothing was rendered for (CAC9008): their committed files are not orphans, and no accept is the fix.
        var unrendered = rendered.Findings.Where(f => f.Id == RuleCatalog.NotRenderable.Id).Select(f => $"{f.Environment}/{f.Deployment}").ToHashSet(StringComparer.Ordinal);

        options.Progress?.Invoke("pricing");
        var cost = CostReport.Build(unique, evaluation, options, folder, diagnostics);
        var costFile = new RenderedFile(CostSnapshot.Path, cost.SnapshotUtf8);
        var kept = comparison.Observe(costFile) ? rendered.Files.Append(costFile).ToArray() : rendered.Files;
        // Files that depend on a deployment nothing was rendered for are set aside before anything reads the drift.
        var (drift, notCompared) = SetAsideUnrendered(comparison.Finish(), unique, unrendered);
        var differing = drift.Files.Where(d => d.Kind != FileChangeKind.Removed).Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        var changedFiles = kept.Where(f => differing.Contains(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();

        // A Deployment replaced by a Rollout (or back) in one change deletes the live pods before the new ones have
        // loaded the model: the files carry the risk, and the summary says how to migrate instead.
        (drift, var switches) = WithSwitches(drift, changedFiles);

        // A layout switch moves every manifest, which would hide any other change from review: the output is rendered
        // again in the layout the snapshots are in. A pure move is said to be one; anything else becomes the drift,
        // told in that layout, and the switch waits for a change of its own.
        string? layoutNote = null;
        GateDiagnostic? layoutRefusal = null;
        var advice = options;
        if (folder.HasIndex && folder.Layout != options.Render.Layout && !drift.IsClean)
        {
            options.Progress?.Invoke("comparing in the layout the snapshots are in");
            var (was, now) = (Provenance.LayoutName(folder.Layout), Provenance.LayoutName(options.Render.Layout));
            var recorded = InRecordedLayout(unique, options, folder, costFile);
            recorded.Drift = SetAsideUnrendered(recorded.Drift, unique, unrendered).Drift;
            if (recorded.Drift.IsClean)
            {
                // Proven a pure move: the kustomizations list other files, but nothing Argo CD applies changes, and the
                // accept that switches names the count its removal check asks for.
                var removed = drift.Removed.ToString(System.Globalization.CultureInfo.InvariantCulture);
                advice = options with { AcceptCommand = $"{options.AcceptCommand} -p:ConfigAsCodeAllowRemovals={removed}" };
                drift = drift with { Files = drift.Files.Select(f => f.ObjectKind == "Kustomization" ? f with { Fields = f.Fields.Select(x => x with { Risk = null }).ToArray() } : f).ToArray() };
                layoutNote = $"ConfigAsCode: {snapshots} was accepted in the '{was}' layout and ConfigAsCodeLayout is '{now}': every manifest moves to another file. Rendered in the '{was}' layout nothing differs, so the objects Argo CD applies stay the same. Switch with '{advice.AcceptCommand}' (the {removed} files of the '{was}' layout go), committing the project file and {snapshots} together; or set ConfigAsCodeLayout={was}.";
            }
            else
            {
                (drift, switches, changedFiles) = recorded;
                advice = options with { AcceptCommand = $"{options.AcceptCommand} -p:ConfigAsCodeLayout={was}" };
                layoutNote = $"ConfigAsCode: ConfigAsCodeLayout is '{now}' but {snapshots} was accepted in the '{was}' layout, and this change does more than move the manifests: the drift here is told in the '{was}' layout. Accept it in that layout first ('{advice.AcceptCommand}'), then switch layouts in a change of its own.";
                layoutRefusal = new GateDiagnostic(RuleSeverity.Error, RuleCatalog.AcceptRefused.Id, null, 0,
                    $"accept refused: ConfigAsCodeLayout changes from '{was}' to '{now}' in the same change as {drift.Summary} (listed in the '{was}' layout). A layout switch must be a change of its own, so that review sees every object change as a field change: accept with '{advice.AcceptCommand}' first (or revert those changes), then switch. Nothing was written.");
            }
        }

        var notRendered = unrendered.Count > 0 ? $" ({unrendered.Count} not rendered: {RuleCatalog.NotRenderable.Id})" : string.Empty;
        diagnostics.AddRange(NotComparedDiagnostics(notCompared, deployments));
        summary.Add($"ConfigAsCode: {deployments.Count} deployments{notRendered}, {rendered.Objects.Count} objects; rules: {validation.CompliantCount} compliant, {validation.NonCompliantCount} non-compliant, {validation.UndecidedCount} undecided, {validation.SuppressedCount} suppressed.");
        summary.AddRange(cost.SummaryLines());
        var foreignManifests = folder.Foreign.Where(f => !f.StartsWith(SnapshotFolder.StateFolder + "/", StringComparison.Ordinal) && (f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))).ToArray();
        if (foreignManifests.Length > 0)
        {
            // Not drift (kustomize applies only what the kustomization lists), but an Argo CD app in directory mode
            // would apply them unchecked: say so, every build.
            summary.Add($"ConfigAsCode: {foreignManifests.Length} manifest file(s) in {snapshots} are not ConfigAsCode's and are never compared, overwritten or removed: {string.Join(", ", foreignManifests.Take(5))}{(foreignManifests.Length > 5 ? ", …" : string.Empty)}.");
        }

        var accepted = false;
        AddSettingDiagnostics(diagnostics, options);
        var effective = Effective(diagnostics, options);
        if (drift.IsClean)
        {
            summary.Add(notCompared.Count == 0 ? $"ConfigAsCode: no drift against {snapshots}."
                : $"ConfigAsCode: no drift against {snapshots} in what was compared; {notCompared.Count} committed file(s) that depend on a deployment nothing was rendered for were not compared ({RuleCatalog.NotRenderable.Id} above).");
            if (options.Accept && options.CiReason is null && notCompared.Count > 0)
            {
                // Nothing compared differs, but the accept would have had the set-aside files to settle: say it did nothing.
                var apps = unrendered.OrderBy(a => a, StringComparer.Ordinal).ToArray();
                diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.AcceptRefused.Id, null, 0,
                    $"accept refused: nothing was rendered for {string.Join(", ", apps.Take(5))}{(apps.Length > 5 ? ", …" : string.Empty)} ({RuleCatalog.NotRenderable.Id} above), so {notCompared.Count} committed file(s) that depend on it were not compared. Fix that error first, then build again. Nothing was written."));
                summary.Add($"ConfigAsCode: accept refused; {snapshots} was left untouched.");
            }
            else if (takingOver && options.Accept && options.CiReason is null)
            {
                // Nothing else to write: the index alone changes hands, or the folder would stay the old owner's.
                options.Progress?.Invoke("accepting");
                var index = new RenderedFile(ManifestRenderer.ProvenancePath, Provenance.Write(options.Render, comparison.Hashes));
                if (AcceptTransaction.Commit(folder, new AcceptPlan([], [], index.Utf8), snapshots) is { } stopped)
                {
                    diagnostics.Add(stopped);
                }
                else
                {
                    accepted = true;
                    summary.Add($"ConfigAsCode: accepted: {snapshots} is this project's now ({index.Path}). Review with 'git diff' and commit, and remove ConfigAsCodeTakeOwnershipFrom.");
                }
            }
        }
        else
        {
            summary.Add($"ConfigAsCode: drift against {snapshots}: {drift.Summary}.");
            if (layoutNote is not null)
            {
                summary.Add(layoutNote);
            }

            summary.AddRange(DriftLines(drift, LoggedDriftFiles));
            foreach (var change in switches)
            {
                summary.Add($"  {change.Environment}/{change.App}: {change.Risk ?? "workload switch: a Rollout adopts the live Deployment (two-step migration)"}.");
                summary.AddRange(change.Steps.Select((step, i) => $"      {i + 1}. {step}"));
            }

            var diffPath = Path.Combine(options.OutputDirectory, "drift.diff");
            ManifestFileWriter.WriteAtomically(diffPath, new System.Text.UTF8Encoding(false).GetBytes(UnifiedDiff.Render(drift, changedFiles, folder, options.Redactor)));
            summary.Add($"  Full diff: {Relative(options, diffPath)}");

            if (options.Accept && options.CiReason is not null)
            {
                diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.AcceptRefusedInCi.Id, null, 0,
                    $"accepting snapshot changes is refused in CI ({options.CiReason}): CI must never rewrite {snapshots}. Run '{advice.AcceptCommand}' locally, review 'git diff', and commit."));
                diagnostics.AddRange(DriftDiagnostics(drift, deployments, advice));
            }
            else if (options.Accept && AcceptGuard.Refusals(drift, folder, effective,
                secrets.SelectMany(s => s.Secrets.Select(x => ($"{s.Deployment.Environment?.Name}/{s.Deployment.Name}", (SourceLocation?)s.Deployment.DeclaredAt, x))).Concat(platformSecrets.Select(x => ("the platform", (SourceLocation?)null, x))), options)
                .Prepend(layoutRefusal).OfType<GateDiagnostic>().ToArray() is { Length: > 0 } refusals)
            {
                diagnostics.AddRange(refusals);
                diagnostics.AddRange(DriftDiagnostics(drift, deployments, advice));
                summary.Add($"ConfigAsCode: accept refused; {snapshots} was left untouched.");
            }
            else if (options.Accept)
            {
                var removals = drift.Files.Where(d => d.Kind == FileChangeKind.Removed).Select(d => d.Path).ToArray();
                options.Progress?.Invoke("accepting");
                var index = new RenderedFile(ManifestRenderer.ProvenancePath, Provenance.Write(options.Render, comparison.Hashes));
                if (AcceptTransaction.Commit(folder, new AcceptPlan(changedFiles, removals, index.Utf8), snapshots) is { } stopped)
                {
                    // Something came in the way after the folder was listed: refused before any change, or stopped
                    // half-way with the journal kept for the next build.
                    diagnostics.Add(stopped);
                    summary.Add(stopped.Code == RuleCatalog.AcceptRefused.Id
                        ? $"ConfigAsCode: accept refused; {snapshots} was left untouched."
                        : $"ConfigAsCode: the accept stopped before it finished; its journal is kept in {snapshots}/{SnapshotFolder.JournalPath}.");
                }
                else
                {
                    accepted = true;
                    summary.Add($"ConfigAsCode: accepted: {drift.Added} added, {drift.Changed} changed, {drift.Removed} removed in {snapshots}. Review with 'git diff' and commit.");
                }
            }
            else
            {
                diagnostics.AddRange(DriftDiagnostics(drift, deployments, advice));
                summary.Add($"  Accept with: {advice.AcceptCommand}");
            }
        }

        // Fresh output is for reading what changed; an accept just wrote it where it belongs.
        WriteFreshOutput(options, accepted ? [] : options.WriteFullTree ? kept : changedFiles, diagnostics);

        var readiness = checklists
            .OfType<Readiness.ReadinessChecklist>()
            .OrderBy(c => c.Environment, StringComparer.Ordinal).ThenBy(c => c.Deployment, StringComparer.Ordinal)
            .ToArray();
        summary.Add($"ConfigAsCode: production readiness: {readiness.Count(r => r.IsReady)} of {readiness.Length} deployments pass every item that applies (report.md).");
        var outcome = Finish(options, diagnostics, summary, validation, drift, cost, readiness, accepted, secrets.SelectMany(s => s.Secrets).ToArray());
        // What a verdict reuse compares with: the folder as listed, when opening it changed nothing (no leftover
        // removed, no interrupted accept finished, which the notes of this run would say again if replayed).
        return outcome with
        {
            ReadForeignSnapshots = folder.ForeignContentRead,
            SnapshotListing = folder.Notes.Count == 0 ? new Lazy<VerdictReuse.ListingProof>(() => VerdictReuse.ProofOf(folder)) : null,
        };
    }

    private static (DriftResult Drift, IReadOnlyList<Rollouts.WorkloadSwitch> Switches) WithSwitches(DriftResult drift, IReadOnlyList<RenderedFile> changedFiles)
    {
        var switches = Rollouts.WorkloadSwitches.Find(drift, changedFiles);
        if (switches.Count == 0)
        {
            return (drift, switches);
        }

        var risks = switches.Where(w => w.Risk is not null).SelectMany(w => w.Files.Select(f => (File: f, Risk: w.Risk!))).ToLookup(x => x.File, x => x.Risk, StringComparer.Ordinal);
        return (drift with { Files = drift.Files.Select(f => risks.Contains(f.Path) ? f with { FileRisks = risks[f.Path].ToArray() } : f).ToArray() }, switches);
    }

    /// <summary>
    /// The drift against the snapshots in the layout they were accepted in (rendered a second time, only when the
    /// layout changes): empty when the switch only moves objects between files.
    /// </summary>
    private static (DriftResult Drift, IReadOnlyList<Rollouts.WorkloadSwitch> Switches, RenderedFile[] Changed) InRecordedLayout(IReadOnlyList<InferenceDeployment> deployments, GateOptions options, SnapshotFolder folder, RenderedFile costFile)
    {
        var comparison = new SnapshotComparison(folder, keepAll: false, hashForIndex: false);
        var rendered = ManifestRenderer.Render(deployments, options.Render with { Layout = folder.Layout, Keep = comparison.Observe, Inspect = null });
        var kept = comparison.Observe(costFile) ? rendered.Files.Append(costFile).ToArray() : rendered.Files.ToArray();
        var (drift, switches) = WithSwitches(comparison.Finish(), kept);
        return (drift, switches, kept.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray());
    }

    /// <summary>Adds the settings' diagnostics that are not in <paramref name="diagnostics"/> yet (the accept decision and the end both ask).</summary>
    private static void AddSettingDiagnostics(List<GateDiagnostic> diagnostics, GateOptions options)
    {
        foreach (var d in options.SettingDiagnostics?.Invoke() ?? [])
        {
            if (!diagnostics.Contains(d))
            {
                diagnostics.Add(d);
            }
        }
    }

    /// <summary>Applies the warning policy, writes the reports (replacing any earlier run's), and returns the outcome.</summary>
    private static GateOutcome Finish(GateOptions options, List<GateDiagnostic> diagnostics, List<string> summary, ValidationReport? validation, DriftResult? drift, CostReport? cost, IReadOnlyList<Readiness.ReadinessChecklist> readiness, bool accepted, IReadOnlyList<DetectedSecret> secrets)
    {
        options.Progress?.Invoke("writing the reports");
        AddSettingDiagnostics(diagnostics, options);
        var effective = Effective(diagnostics, options);
        var redactedSummary = summary.Select(options.Redactor.Redact).ToArray();
        // Reports go to the output folder only when it is where it may be: never into a folder the checks refused.
        if (SnapshotFolder.CheckLocations(options) is null)
        {
            SnapshotFolder.ClaimOutputFolder(options);
            Reports.Write(options, validation, drift, effective, redactedSummary, cost, readiness);
        }

        return new GateOutcome(effective, redactedSummary, validation, drift, accepted) { Cost = cost, Readiness = readiness, Secrets = secrets };
    }

    private sealed record EarlyWork(
        (SnapshotFolder? Folder, GateDiagnostic? Problem) Folder,
        (InferenceDeployment Deployment, IReadOnlyList<DetectedSecret> Secrets)[] Secrets,
        IReadOnlyList<DetectedSecret> PlatformSecrets,
        ValidationReport? Validation,
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure);

    // The snapshot folder is opened on the thread pool while this thread scans for credentials and validates. What the
    // run reports is what the order before gave (open, then scan, then validate): a refusal, or a failure to open,
    // ends the run whatever happened beside it; a failure of the scan or the validation is handed back, to be thrown
    // where the run would have failed before (Run), never while the folder is still being opened (opening it may
    // finish an interrupted accept).
    private static EarlyWork ScanAndValidateWhileOpening(EvaluationResult evaluation, GateOptions options)
    {
        var opening = System.Threading.Tasks.Task.Run(() => SnapshotFolder.Open(options));
        (InferenceDeployment Deployment, IReadOnlyList<DetectedSecret> Secrets)[]? secrets = null;
        IReadOnlyList<DetectedSecret>? platformSecrets = null;
        ValidationReport? validation = null;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        try
        {
            options.Progress?.Invoke("scanning for credentials");
            var deployments = evaluation.Deployments;
            var scanned = new (InferenceDeployment Deployment, IReadOnlyList<DetectedSecret> Secrets)[deployments.Count];
            InvariantCultureScope.ForEach(deployments.Count, i => scanned[i] = (deployments[i], SecretScanner.Scan(deployments[i])));
            secrets = scanned;
            platformSecrets = PlatformSecrets(evaluation);
            options.Progress?.Invoke("validating");
            validation = PlatformValidator.Validate(evaluation.Deployments, options.Rules);
        }
        catch (OutOfMemoryException)
        {
            // Not handed back (the host ends at once), but not thrown while the folder is still being opened either.
            ((IAsyncResult)opening).AsyncWaitHandle.WaitOne();
            throw;
        }
        catch (Exception e)
        {
            // Thrown again by Run, as itself, once the folder's verdict is known.
            failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
        }

        // What is left of the listing, if the scan and the validation ended first; a failure to open is thrown here.
        options.Progress?.Invoke("checking the snapshot folder");
        var folder = opening.GetAwaiter().GetResult();
        return new EarlyWork(folder, secrets ?? [], platformSecrets ?? [], validation, folder.Folder is null ? null : failure);
    }

    private static IReadOnlyList<DetectedSecret> PlatformSecrets(EvaluationResult evaluation)
    {
        var found = new List<DetectedSecret>();
        void Scan(string path, string? text)
        {
            if (SecretScanner.FreeText(path, text) is { } secret)
            {
                found.Add(secret);
            }
        }

        for (var i = 0; i < evaluation.Budgets.Count; i++)
        {
            Scan($"Budgets()[{i}].Name", evaluation.Budgets[i].Name);
            Scan($"Budgets()[{i}].Team", evaluation.Budgets[i].Team);
            Scan($"Budgets()[{i}].Environment", evaluation.Budgets[i].Environment);
        }

        for (var i = 0; i < evaluation.PriceOverrides.Count; i++)
        {
            Scan($"Prices()[{i}].Source", evaluation.PriceOverrides[i].Source);
            Scan($"Prices()[{i}].GpuPriceKey", evaluation.PriceOverrides[i].GpuPriceKey);
        }

        for (var i = 0; i < evaluation.PlatformNames.Count; i++)
        {
            Scan($"Platform[{i}].Name", evaluation.PlatformNames[i]);
        }

        return found;
    }

    private static IReadOnlyList<GateDiagnostic> Effective(IEnumerable<GateDiagnostic> diagnostics, GateOptions options) =>
        diagnostics.Select(d => d with
        {
            Severity = options.Warnings.Apply(d.Code, d.Severity),
            Message = options.Redactor.Redact(d.Message),
            File = d.File is not null && options.MapSourcePath is { } map ? map(d.File) : d.File,
        }).ToArray();

    private static void WriteFreshOutput(GateOptions options, IReadOnlyList<RenderedFile> files, List<GateDiagnostic> diagnostics)
    {
        var fresh = Path.Combine(options.OutputDirectory, FreshFolder);

        // The model was rendered with every detected value replaced; a value that is also text the renderer writes
        // itself (a password that is a common word: "inference") is replaced here too, as the reports are as a whole.
        // Such a run cannot be accepted, so these files are never snapshots.
        if (options.Redactor.HasValues)
        {
            files = files.Select(f => f with { Utf8 = new System.Text.UTF8Encoding(false).GetBytes(options.Redactor.ReplaceValues(System.Text.Encoding.UTF8.GetString(f.Utf8))) }).ToArray();
        }

        if (ManifestFileWriter.Write(fresh, files, deleteOthers: true) is null)
        {
            diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.UnsafeFolder.Id, null, 0,
                $"'{fresh}' holds files ConfigAsCode did not write (it has no {ManifestFileWriter.OutputMarker} marker), so it was not emptied and nothing was written into it. Set ConfigAsCodeOutputDirectory to a folder of its own under obj/."));
        }
    }

    internal static IEnumerable<string> DriftLines(DriftResult drift, int maximum = int.MaxValue)
    {
        // Risky files first, so a capped list never hides them; then objects, kustomizations, and the cost snapshot
        // last (the cost table above already tells its story).
        var ordered = drift.Files.OrderBy(f => f.Risks.Any() ? 0 : 1).ThenBy(f => f.IsObject ? 0 : f.ObjectKind is not null ? 1 : 2).ThenBy(f => f.Path, StringComparer.Ordinal).ToArray();
        foreach (var file in ordered.Take(maximum))
        {
            var marker = file.Kind switch { FileChangeKind.Added => "+", FileChangeKind.Removed => "-", _ => "~" };
            var risks = file.Risks.ToArray();
            var foreign = file.OverwritesForeignFile ? "  [a file ConfigAsCode did not write is in the way]"
                : file.InTheWay is not null ? file.Kind == FileChangeKind.Removed ? $"  [not removed by accept: {file.InTheWay}]" : $"  [in the way: {file.InTheWay}]" : string.Empty;
            yield return $"  {marker} {file.Path}" + (risks.Length > 0 ? $"  [RISKY: {string.Join(", ", risks)}]" : string.Empty) + foreign;
            foreach (var field in Meaningful(file))
            {
                yield return "      " + field;
            }
        }

        if (ordered.Length > maximum)
        {
            yield return $"  … and {ordered.Length - maximum} more file(s): see drift.diff and report.json.";
        }
    }

    /// <summary>
    /// Sets aside the files that depend on a deployment the renderer refused (CAC9008): its app folder's committed files
    /// (all "no longer generated"), and its environment's kustomizations and its namespace's manifest, which would be
    /// told as losing it. None of that is a change anyone made: the drift keeps what was compared, and
    /// <see cref="NotComparedDiagnostics"/> names the rest once. An accept is refused while CAC9008 stands, so nothing set
    /// aside is ever removed or rewritten; the next build after the fix compares it all again.
    /// </summary>
    private static (DriftResult Drift, IReadOnlyList<FileDrift> NotCompared) SetAsideUnrendered(DriftResult drift, IReadOnlyList<InferenceDeployment> deployments, IReadOnlySet<string> unrendered)
    {
        if (unrendered.Count == 0)
        {
            return (drift, []);
        }

        var dependent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            if (d.Environment?.Name is { } environment && unrendered.Contains($"{environment}/{d.Name}"))
            {
                dependent.Add($"{environment}/kustomization.yaml");
                dependent.Add($"{environment}/{ManifestRenderer.NamespacesFolder}/kustomization.yaml");
                dependent.Add($"{environment}/{ManifestRenderer.NamespacesFolder}/{ManifestRenderer.BundleFileName}");
                if (d.Namespace is { } ns)
                {
                    dependent.Add($"{environment}/{ManifestRenderer.NamespacesFolder}/namespace-{ns}.yaml");
                }
            }
        }

        // A file in the way of the gate is told as it always is: it is not the refused deployment's.
        bool SetAside(FileDrift f) => f.InTheWay is null && !f.OverwritesForeignFile
            && (dependent.Contains(f.Path) || (f.Kind == FileChangeKind.Removed && AppFolder(f.Path) is { } app && unrendered.Contains(app)));
        var aside = drift.Files.Where(SetAside).ToArray();
        return aside.Length == 0 ? (drift, aside) : (drift with { Files = drift.Files.Where(f => !SetAside(f)).ToArray() }, aside);
    }

    /// <summary>
    /// One line per refused deployment's app folder, instead of an orphan per file that each suggests the accept (refused
    /// anyway while the error stands), and one for the environment files that list it.
    /// </summary>
    private static IEnumerable<GateDiagnostic> NotComparedDiagnostics(IReadOnlyList<FileDrift> notCompared, IReadOnlyList<InferenceDeployment> deployments)
    {
        if (notCompared.Count == 0)
        {
            yield break;
        }

        var byApp = new Dictionary<string, InferenceDeployment>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            byApp.TryAdd($"{d.Environment?.Name}/{d.Name}", d);
        }

        var inApps = notCompared.Where(f => AppFolder(f.Path) is { } app && byApp.ContainsKey(app)).ToArray();
        foreach (var app in inApps.GroupBy(f => AppFolder(f.Path)!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var owner = byApp[app.Key];
            yield return new GateDiagnostic(RuleSeverity.Error, RuleCatalog.SnapshotOrphaned.Id, NullIfEmpty(owner.DeclaredAt.FilePath), owner.DeclaredAt.Line,
                $"{app.Key}: {app.Count()} committed snapshot(s) not compared: nothing was rendered for this deployment ({RuleCatalog.NotRenderable.Id} above). They are not orphans; fix that error and build again (an accept is refused while it stands).");
        }

        var shared = notCompared.Except(inApps).Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal).ToArray();
        if (shared.Length > 0)
        {
            yield return new GateDiagnostic(RuleSeverity.Error, RuleCatalog.SnapshotOrphaned.Id, null, 0,
                $"{string.Join(", ", shared)}: not compared: they list or label a deployment nothing was rendered for ({RuleCatalog.NotRenderable.Id} above), so as rendered they would drop it. Fix that error and build again (an accept is refused while it stands).");
        }
    }

    private static IEnumerable<GateDiagnostic> DriftDiagnostics(DriftResult drift, IReadOnlyList<InferenceDeployment> deployments, GateOptions options)
    {
        var byApp = new Dictionary<string, InferenceDeployment>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            byApp.TryAdd($"{d.Environment?.Name}/{d.Name}", d);
        }

        // New files are reported once per app folder: a first build of ten deployments is one line each, not sixty.
        foreach (var app in drift.Files.Where(f => f.Kind == FileChangeKind.Added && !f.OverwritesForeignFile && f.InTheWay is null && AppFolder(f.Path) is not null).GroupBy(f => AppFolder(f.Path)!, StringComparer.Ordinal))
        {
            byApp.TryGetValue(app.Key, out var owner);
            var kinds = string.Join(", ", app.SelectMany(f => f.Documents.Count > 0 ? f.Documents.Select(d => d.Kind).Distinct(StringComparer.Ordinal) : [f.ObjectKind ?? "file"]));
            yield return new GateDiagnostic(RuleSeverity.Error, RuleCatalog.SnapshotMissing.Id, NullIfEmpty(owner?.DeclaredAt.FilePath), owner?.DeclaredAt.Line ?? 0,
                $"{app.Key}: {app.Count()} new file(s) without a committed snapshot ({kinds}). Accept with: {options.AcceptCommand}");
        }

        foreach (var file in drift.Files.Where(f => (f.Kind != FileChangeKind.Added || f.OverwritesForeignFile || f.InTheWay is not null || AppFolder(f.Path) is null)))
        {
            // The cost snapshot points at the first deployment whose entry changed.
            var key = SnapshotComparer.IsCostSnapshot(file.Path) ? file.Fields.Select(f => CostKey(f.Path)).FirstOrDefault(k => k is not null) : AppFolder(file.Path);
            byApp.TryGetValue(key ?? string.Empty, out var owner);
            var risks = file.Risks.ToArray();
            var risky = risks.Length > 0 ? $" RISKY ({string.Join(", ", risks)})." : string.Empty;
            var what = file.Documents.Count > 0 ? $"per-app file: {string.Join(", ", file.Documents.Select(d => d.Kind).Distinct(StringComparer.Ordinal))}"
                : file.ObjectKind ?? (SnapshotComparer.IsCostSnapshot(file.Path) ? "cost snapshot" : "file");
            var fields = Meaningful(file);
            var (code, text) = file.Kind switch
            {
                FileChangeKind.Added when file.OverwritesForeignFile => (RuleCatalog.SnapshotMissing.Id, $"{file.Path}: new {what}, but a file ConfigAsCode did not write is at that path; accept will not overwrite it. Move it away."),
                FileChangeKind.Added when file.InTheWay is not null => (RuleCatalog.SnapshotMissing.Id, $"{file.Path}: new {what}, but {file.InTheWay}; accept will not write it, nor remove what ConfigAsCode did not write. Move it away."),
                FileChangeKind.Added => (RuleCatalog.SnapshotMissing.Id, $"{file.Path}: no committed snapshot (new {what})."),
                FileChangeKind.Removed when file.InTheWay is not null => (RuleCatalog.SnapshotOrphaned.Id, $"{file.Path}: committed snapshot is no longer generated (orphaned {what}), but {file.InTheWay}; accept will not remove it. Restore it from Git if it is the old snapshot, or delete it yourself.{risky}"),
                FileChangeKind.Removed => (RuleCatalog.SnapshotOrphaned.Id, $"{file.Path}: committed snapshot is no longer generated (orphaned {what}).{risky}"),
                _ => (RuleCatalog.SnapshotChanged.Id, $"{file.Path}: {string.Join("; ", fields.Take(5).Select(f => $"{f.Path}: {f.Before} → {f.After}"))}{(fields.Count > 5 ? $"; and {fields.Count - 5} more" : string.Empty)}.{risky}"),
            };
            var acceptWith = file.Kind == FileChangeKind.Removed && file.InTheWay is not null ? string.Empty : $" Accept with: {options.AcceptCommand}";
            yield return new GateDiagnostic(RuleSeverity.Error, code, NullIfEmpty(owner?.DeclaredAt.FilePath), owner?.DeclaredAt.Line ?? 0, text + acceptWith);
        }
    }

    /// <summary>
    /// The changes a reviewer needs. The config hash moves with every setting, so it is never listed as a field; a
    /// file whose only change is the hash says which kind of setting changed instead.
    /// </summary>
    internal static IReadOnlyList<FieldChange> Meaningful(FileDrift file)
    {
        var fields = file.Fields.Where(f => !f.Path.EndsWith("[configascode.io/config-hash]", StringComparison.Ordinal)).ToArray();
        return fields.Length > 0 || file.Fields.Count == 0
            ? fields
            : [new FieldChange("(settings)", "a setting that is not rendered in this object changed", "see the other files and cost.json", null)];
    }

    private static string? CostKey(string fieldPath) =>
        fieldPath.StartsWith("deployments[", StringComparison.Ordinal) && fieldPath.IndexOf(']', StringComparison.Ordinal) is var end and > 12
            ? fieldPath.Substring(12, end - 12)
            : null;

    private static string? AppFolder(string path)
    {
        var segments = path.Split('/');
        return segments.Length > 2 && !path.StartsWith(SnapshotFolder.StateFolder + "/", StringComparison.Ordinal) ? $"{segments[0]}/{segments[1]}" : null;
    }

    /// <summary>
    /// True (with the refusal added) when the ownership index says the folder is another project's: its files are not
    /// this project's orphans, and an accept would remove them. An index written before projects were recorded is
    /// judged by its platform. A library caller that names no project is never refused.
    /// ConfigAsCodeTakeOwnershipFrom, naming the owner exactly, lets the build take the folder over (said in the
    /// summary); naming anything else, it is a warning, so that no setting left in a project file takes a folder later.
    /// </summary>
    private static bool OwnedElsewhere(SnapshotFolder folder, EvaluationResult evaluation, GateOptions options, string snapshots, List<GateDiagnostic> diagnostics, List<string> summary, out bool takingOver)
    {
        takingOver = false;
        var project = options.Render.ProjectName;
        var (recordedProject, recordedPlatform) = folder.Owner;
        string? owner = null;
        string? what = null;
        if (project is not null && folder.HasIndex)
        {
            if (recordedProject is not null && !string.Equals(recordedProject, project, StringComparison.Ordinal))
            {
                (owner, what) = (recordedProject, $"the config project '{recordedProject}'");
            }
            else if (recordedProject is null && recordedPlatform is not null
                && !string.Equals(recordedPlatform, options.Render.PlatformName, StringComparison.Ordinal)
                && !evaluation.PlatformNames.Contains(recordedPlatform, StringComparer.Ordinal))
            {
                (owner, what) = (recordedPlatform, $"the platform '{recordedPlatform}'");
            }
        }

        var wanted = options.TakeOwnershipFrom;
        var index = $"{snapshots}/{ManifestRenderer.ProvenancePath}";
        if (owner is not null && string.Equals(wanted, owner, StringComparison.Ordinal))
        {
            summary.Add($"ConfigAsCode: {snapshots} was the snapshot folder of {what}; ConfigAsCodeTakeOwnershipFrom={owner} lets this project ('{project}') take it over: "
                + (options.Accept ? $"this accept records it in {index}." : $"an accept records it, and removes every file of {owner} this project does not render."));
            takingOver = true;
            return false;
        }

        if (wanted is not null && owner is null && options.TookOverOutputFolder)
        {
            // A renamed project whose snapshot index names no project (written before projects were recorded) needs the
            // setting for its output folder only: that takeover is done, and a warning would fail a -warnaserror build once.
            summary.Add($"ConfigAsCode: ConfigAsCodeTakeOwnershipFrom={wanted} took the output folder over for this project ('{project}'); {snapshots} had nothing to take over. Remove the setting.");
        }
        else if (wanted is not null)
        {
            diagnostics.Add(new GateDiagnostic(RuleSeverity.Warning, RuleCatalog.InvalidOption.Id, null, 0, owner is null
                ? $"ConfigAsCodeTakeOwnershipFrom is '{wanted}', but {snapshots} is {(folder.HasIndex ? "this project's" : "no project's yet")}: there is nothing to take over. Remove the setting, so that no later build takes another project's snapshot folder unasked."
                : $"ConfigAsCodeTakeOwnershipFrom is '{wanted}', but {snapshots} is the snapshot folder of {what}: it takes over only the folder of the project it names exactly."));
        }

        if (owner is null)
        {
            return false;
        }

        diagnostics.Add(new GateDiagnostic(RuleSeverity.Error, RuleCatalog.UnsafeFolder.Id, null, 0,
            $"{snapshots} holds the snapshots of {what} (its ownership index, {index}, says so), not of this project ('{project}'). Two projects cannot share a snapshot folder: each would call the other's files orphans, and its accept would remove them. Set ConfigAsCodeSnapshotDirectory to a folder of this project's own. Only if this project replaces {owner} (a renamed project or platform), take the folder over with -p:ConfigAsCodeTakeOwnershipFrom={owner}: its next accept removes every file of {owner} this project does not render. Nothing was compared, and accepting is refused."));
        return true;
    }

    internal static string Relative(GateOptions options, string path)
    {
        // A folder set with a trailing separator (deploy/, ../deploy/) is named as without one: a folder outside the
        // project is named by its last segment, which Path.GetFileName finds only without it.
        path = Path.TrimEndingDirectorySeparator(path);
        var relative = Path.GetRelativePath(options.ProjectDirectory, path).Replace('\\', '/');
        return relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFileName(path) : relative;
    }

    internal static bool IsDrift(string code) => DriftCodes.Contains(code);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
