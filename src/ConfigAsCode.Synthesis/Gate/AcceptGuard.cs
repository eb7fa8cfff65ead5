using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// Decides whether an accept may write. It may not (CAC9013, snapshots untouched) while a credential is in the
/// configuration (even one whose rule was silenced: a secret never lands in deploy/), while any other error than the
/// drift itself stands, when it would overwrite a file the tool did not write, when a folder (or a pipe or a device)
/// stands where it must write a file or a file stands where it must create a folder on the way (its own state files
/// included), when a file it would remove does not hold what it wrote there, when it would be the first accept into a folder that already holds other files, or when it would remove
/// every manifest of an environment or more than half of all snapshot files — unless <c>ConfigAsCodeAllowRemovals</c>
/// names exactly that number.
/// </summary>
internal static class AcceptGuard
{
    private const int Listed = 5;

    public static IReadOnlyList<GateDiagnostic> Refusals(
        DriftResult drift,
        SnapshotFolder folder,
        IReadOnlyList<GateDiagnostic> diagnostics,
        IEnumerable<(string Owner, SourceLocation? At, DetectedSecret Secret)> secrets,
        GateOptions options)
    {
        var refusals = new List<GateDiagnostic>();
        var snapshots = GateRunner.Relative(options, options.SnapshotDirectory);

        var credentials = secrets.ToArray();
        if (credentials.Length > 0)
        {
            var first = credentials[0];
            refusals.Add(Refuse(first.At?.FilePath, first.At?.Line ?? 0,
                $"the configuration carries {credentials.Length} credential(s) ({List(credentials.Select(c => $"{c.Owner} {c.Secret.PropertyPath} ({c.Secret.Rule.Id})"))}). A secret never goes into {snapshots}: replace each with a Secret reference (EnvVar.FromSecret) and build again."));
        }

        var errors = diagnostics.Where(d => d.Severity == RuleSeverity.Error && !GateRunner.IsDrift(d.Code) && !IsSecretRule(d.Code)).ToArray();
        if (errors.Length > 0)
        {
            refusals.Add(Refuse(errors[0].File, errors[0].Line,
                $"{errors.Length} error(s) besides the drift stand against this change ({List(errors.Select(e => e.Code + (e.Message.StartsWith('[') ? " " + e.Message.Substring(0, e.Message.IndexOf(']', StringComparison.Ordinal) + 1) : string.Empty)))}). Accepting would commit a configuration the gate rejects: fix them first, then accept."));
        }

        // What the accept writes beside the snapshots (the index, the journal, the staged files) must have its place too.
        var state = folder.Exists
            ? new[] { ManifestRenderer.ProvenancePath, SnapshotFolder.JournalPath, SnapshotFolder.StagingFolder + "/index" }
                .Select(p => folder.InTheWay(p) is { } what ? $"{p}: {what}" : null).OfType<string>()
            : [];
        var blocked = drift.Files.Where(f => f.InTheWay is not null && f.Kind != FileChangeKind.Removed).Select(f => $"{f.Path}: {f.InTheWay}").Concat(state).ToArray();
        if (blocked.Length > 0)
        {
            refusals.Add(Refuse(null, 0, $"{blocked.Length} path(s) in {snapshots} where ConfigAsCode must write a file hold something it did not write ({List(blocked)}). It never removes what it does not own: move each out of the way (or delete it), then accept."));
        }

        var edited = drift.Files.Where(f => f.InTheWay is not null && f.Kind == FileChangeKind.Removed).Select(f => f.Path).ToArray();
        if (edited.Length > 0)
        {
            refusals.Add(Refuse(null, 0, $"{edited.Length} file(s) in {snapshots} that nothing renders any more do not hold what ConfigAsCode wrote there ({List(edited)}): the ownership index does not record those bytes, so each was edited by hand or listed in the index for a file ConfigAsCode did not write. It removes only what it wrote: restore each from Git ('git checkout -- <path>') if it is the old snapshot, or delete it yourself, then accept."));
        }

        var foreign = drift.Files.Where(f => f.OverwritesForeignFile).Select(f => f.Path).ToArray();
        if (foreign.Length > 0)
        {
            refusals.Add(Refuse(null, 0, $"{foreign.Length} file(s) in {snapshots} that ConfigAsCode did not write are where it would write ({List(foreign)}). It never overwrites files it does not own: move them out of the way (or delete them), then accept."));
        }
        else if (folder.Exists && !folder.HasIndex && folder.Foreign.Count > 0)
        {
            refusals.Add(Refuse(null, 0, $"{snapshots} already holds {folder.Foreign.Count} file(s) that ConfigAsCode did not write ({List(folder.Foreign)}) and no ownership index ({ManifestRenderer.ProvenancePath}). The first accept goes into an empty folder: point ConfigAsCodeSnapshotDirectory at a new folder, or move those files."));
        }

        var removals = drift.Files.Where(f => f.Kind == FileChangeKind.Removed).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        if (removals.Count > 0 && options.AllowRemovals != removals.Count)
        {
            var manifests = folder.Owned.Where(p => !p.StartsWith(SnapshotFolder.StateFolder + "/", StringComparison.Ordinal)).ToArray();
            var emptied = manifests.GroupBy(p => p.Substring(0, p.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? slash : p.Length), StringComparer.Ordinal)
                .Where(env => env.All(removals.Contains))
                .Select(env => env.Key)
                .ToArray();
            // A layout switch removes every manifest file in either direction (from the per-app layout, fewer than half
            // the files: each app keeps its kustomization), so it asks for the count whatever the share.
            var switchesLayout = folder.HasIndex && folder.Layout != options.Render.Layout;
            if (emptied.Length > 0 || removals.Count * 2 > folder.Owned.Count || switchesLayout)
            {
                var why = switchesLayout ? $"every manifest file of the '{Provenance.LayoutName(folder.Layout)}' layout (ConfigAsCodeLayout is '{Provenance.LayoutName(options.Render.Layout)}')"
                    : emptied.Length > 0 ? $"every manifest of {string.Join(", ", emptied)}" : $"more than half of the {folder.Owned.Count} snapshot files";
                var consequence = switchesLayout
                    ? "The objects move into other files; check that every Argo CD Application and kustomization that points at those files follows."
                    : "Argo CD with pruning would then delete those workloads.";
                refusals.Add(Refuse(null, 0, $"this accept would remove {removals.Count} snapshot file(s), {why}. {consequence} If that is intended, accept with -p:ConfigAsCodeAllowRemovals={removals.Count.ToString(CultureInfo.InvariantCulture)} (the exact count){(options.AllowRemovals is { } allowed ? $"; {allowed} was given" : string.Empty)}."));
            }
        }

        return refusals;
    }

    private static bool IsSecretRule(string code) => code is "CAC2001" or "CAC2013" or "CAC2014";

    private static GateDiagnostic Refuse(string? file, int line, string message) =>
        new(RuleSeverity.Error, RuleCatalog.AcceptRefused.Id, string.IsNullOrEmpty(file) ? null : file, line, "accept refused: " + message + " Nothing was written.");

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToArray();
        return string.Join(", ", all.Take(Listed)) + (all.Length > Listed ? $", and {all.Length - Listed} more" : string.Empty);
    }
}
