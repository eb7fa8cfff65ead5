using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using ConfigAsCode.Synthesis.Cost;
using ConfigAsCode.Synthesis.Rendering;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>How a snapshot file differs from fresh output.</summary>
public enum FileChangeKind
{
    /// <summary>New output without a committed snapshot (CAC9002).</summary>
    Added,

    /// <summary>The committed snapshot differs from fresh output (CAC9001).</summary>
    Changed,

    /// <summary>A committed snapshot that nothing generates any more (CAC9003).</summary>
    Removed,
}

/// <summary>One file's drift.</summary>
/// <param name="Path">The path inside the snapshot folder.</param>
/// <param name="Kind">Added, changed or removed.</param>
/// <param name="ObjectKind">The Kubernetes kind, <c>Kustomization</c>, <c>(per-app file)</c> for a per-app file of several objects, or null for the cost snapshot.</param>
/// <param name="Fields">The changed fields, with exact paths.</param>
public sealed record FileDrift(string Path, FileChangeKind Kind, string? ObjectKind, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>True for Kubernetes objects; false for kustomizations and the cost snapshot.</summary>
    public bool IsObject => ObjectKind is not null && !string.Equals(ObjectKind, "Kustomization", StringComparison.Ordinal);

    /// <summary>
    /// True when an added file would land on a file the tool does not own (written by hand, or by another tool):
    /// accept refuses to overwrite it.
    /// </summary>
    public bool OverwritesForeignFile { get; init; }

    /// <summary>
    /// What stands where an added file must be written, other than a file the tool does not own: a folder at its path,
    /// a file where a folder must be on the way to it, or a pipe, socket or device (<c>a folder is at that path</c>).
    /// Accept refuses to write it, as it refuses to overwrite a foreign file: the tool never removes what it does not own.
    /// For a removed file (an owned snapshot nothing renders any more): why accept will not remove it, when its bytes
    /// are not those the ownership index records (<see cref="SnapshotFolder.NotAsWritten"/>).
    /// </summary>
    public string? InTheWay { get; init; }

    /// <summary>
    /// In a per-app file (<c>manifests.yaml</c>), the objects added, removed or changed; <see cref="Fields"/> then lists
    /// their fields prefixed with the object (<c>[Deployment/chat] spec.replicas</c>). Empty for one-object files.
    /// </summary>
    public IReadOnlyList<DocumentDrift> Documents { get; init; } = [];

    /// <summary>Risks of the file as a whole rather than of one field (a workload switch that deletes live pods).</summary>
    public IReadOnlyList<string> FileRisks { get; init; } = [];

    public IEnumerable<string> Risks => FileRisks.Concat(Fields.Where(f => f.Risk is not null).Select(f => f.Risk!)).Distinct(StringComparer.Ordinal);
}

/// <summary>The comparison of fresh output with the committed snapshot folder. Counts are of files, as listed.</summary>
public sealed record DriftResult(IReadOnlyList<FileDrift> Files)
{
    public int Added => Files.Count(f => f.Kind == FileChangeKind.Added);

    public int Changed => Files.Count(f => f.Kind == FileChangeKind.Changed);

    public int Removed => Files.Count(f => f.Kind == FileChangeKind.Removed);

    public bool IsClean => Files.Count == 0;

    /// <summary>
    /// Terraform-style summary: <c>1 to add, 2 to change, 0 to remove</c> (files; each object is one file). With per-app
    /// files, the objects too: <c>0 to add, 1 to change, 0 to remove (objects: 1 added, 2 changed, 0 removed)</c>, and
    /// those that only move between a per-object file and a per-app file (a layout switch).
    /// </summary>
    public string Summary
    {
        get
        {
            var files = $"{Added} to add, {Changed} to change, {Removed} to remove";
            if (!HasPerAppFiles)
            {
                return files;
            }

            var (objects, moved) = CountObjects();
            return files + $" (objects: {objects.Count(k => k == FileChangeKind.Added)} added, {objects.Count(k => k == FileChangeKind.Changed)} changed, {objects.Count(k => k == FileChangeKind.Removed)} removed"
                + (moved > 0 ? $", {moved} moved between files" : string.Empty) + ")";
        }
    }

    /// <summary>
    /// How each changed object changed: a file per object, or each object that changed inside a per-app file (none
    /// when only its order or line endings did). An object that leaves its own file for its folder's per-app file, or
    /// the reverse, is not here: it is counted in <see cref="MovedObjects"/>.
    /// </summary>
    public IEnumerable<FileChangeKind> Objects => CountObjects().Changes;

    /// <summary>True when a per-app file (<c>manifests.yaml</c>) drifted: the counts of files then say less than the counts of objects.</summary>
    public bool HasPerAppFiles => Files.Any(f => f.Documents.Count > 0 || SnapshotComparer.IsBundle(f.Path));

    /// <summary>Objects that only move between their per-object file and their folder's <c>manifests.yaml</c> (a layout switch).</summary>
    public int MovedObjects => CountObjects().Moved;

    private (IReadOnlyList<FileChangeKind> Changes, int Moved) CountObjects()
    {
        // Each object added or removed, named by the file the per-object layout gives it (<folder>/<kind>-<name>.yaml).
        var changes = new List<(string? Key, FileChangeKind Change)>();
        foreach (var file in Files.Where(f => f.IsObject))
        {
            if (file.Documents.Count > 0 || SnapshotComparer.IsBundle(file.Path))
            {
                var folder = file.Path.Substring(0, file.Path.LastIndexOf('/') + 1);
                changes.AddRange(file.Documents.Select(d => (d.Change == FileChangeKind.Changed ? null : $"{folder}{d.Kind.ToLowerInvariant()}-{d.Name}.yaml", d.Change)));
            }
            else
            {
                changes.Add((file.Kind == FileChangeKind.Changed ? null : file.Path, file.Kind));
            }
        }

        var added = changes.Where(c => c.Change == FileChangeKind.Added && c.Key is not null).Select(c => c.Key!).ToHashSet(StringComparer.Ordinal);
        var moved = changes.Where(c => c.Change == FileChangeKind.Removed && c.Key is not null && added.Contains(c.Key)).Select(c => c.Key!).ToHashSet(StringComparer.Ordinal);
        return (changes.Where(c => c.Key is null || !moved.Contains(c.Key)).Select(c => c.Change).ToArray(), moved.Count);
    }
}

/// <summary>
/// Compares rendered files with the files the tool owns in the snapshot folder, every owned file alike: manifests,
/// kustomizations and the cost snapshot. Each rendered file is read from its snapshot and compared byte for byte, in
/// parallel; only a file that differs is decoded and diffed field by field. The provenance sidecar (the ownership
/// index) is written on accept and never counts as drift, so a generator upgrade alone does not fail a build.
/// </summary>
public static class SnapshotComparer
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static DriftResult Compare(IReadOnlyList<RenderedFile> fresh, SnapshotFolder folder)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var comparison = new SnapshotComparison(folder, keepAll: false);
        Parallel.ForEach(fresh, file => comparison.Observe(file));
        return comparison.Finish();
    }

    internal static FileDrift? CompareOne(RenderedFile file, SnapshotFolder folder)
    {
        if (!folder.Owned.Contains(file.Path))
        {
            // A folder, or a file where a folder must be on the way, is never read, compared or removed.
            if (folder.Exists && folder.InTheWay(file.Path) is { } inTheWay)
            {
                return new FileDrift(file.Path, FileChangeKind.Added, KindOf(file.Utf8, file.Path), []) { InTheWay = inTheWay, Documents = IsBundle(file.Path) ? ManifestDiff.ListDocuments(file.Content, added: true) : [] };
            }

            var foreignPath = folder.FullPath(file.Path);
            var foreign = folder.IsForeign(file.Path);
            if (foreign)
            {
                folder.NoteForeignContentRead();
            }

            if (foreign && File.ReadAllBytes(foreignPath).AsSpan().SequenceEqual(file.Utf8))
            {
                // Identical to what the tool would write: adopting it changes nothing on disk.
                return null;
            }

            return new FileDrift(file.Path, FileChangeKind.Added, KindOf(file.Utf8, file.Path), []) { OverwritesForeignFile = foreign, Documents = IsBundle(file.Path) ? ManifestDiff.ListDocuments(file.Content, added: true) : [] };
        }

        var path = folder.FullPath(file.Path);
        if (SameBytes(path, file.Utf8))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);

        var kind = KindOf(file.Utf8, file.Path);
        // A per-app file is compared object by object; the same objects in another order are a formatting change.
        IReadOnlyList<DocumentDrift> documents = IsBundle(file.Path) ? ManifestDiff.DiffDocuments(Utf8NoBom.GetString(bytes), file.Content) : [];
        var fields = IsCostSnapshot(file.Path)
            ? CostSnapshotDiff.Diff(bytes, file.Utf8).ToList()
            : IsBundle(file.Path) ? ManifestDiff.Flatten(documents).ToList()
            : ManifestDiff.Diff(Utf8NoBom.GetString(bytes), file.Content, kind ?? string.Empty).ToList();
        if (bytes.AsSpan().IndexOf((byte)'\r') >= 0)
        {
            fields.Insert(0, new FieldChange("(line endings)", "CRLF", "LF", "line endings: the snapshot has CR characters; check .gitattributes (eol=lf)"));
        }
        else if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            fields.Insert(0, new FieldChange("(encoding)", "UTF-8 with BOM", "UTF-8", null));
        }

        if (fields.Count == 0)
        {
            fields.Add(new FieldChange("(formatting)", "differs", "canonical", null));
        }

        return new FileDrift(file.Path, FileChangeKind.Changed, kind, fields) { Documents = documents };
    }

    // Most files are unchanged: compare the length first, then the bytes through a pooled buffer, so a 60,000-file
    // fleet does not allocate (and collect) every snapshot's bytes.
    private static bool SameBytes(string path, byte[] expected)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (RandomAccess.GetLength(handle) != expected.Length)
        {
            return false;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(1, expected.Length));
        try
        {
            var read = 0;
            while (read < expected.Length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, expected.Length - read), read);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return buffer.AsSpan(0, expected.Length).SequenceEqual(expected);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static bool IsProvenance(string path) => string.Equals(path, ManifestRenderer.ProvenancePath, StringComparison.Ordinal);

    internal static bool IsCostSnapshot(string path) => string.Equals(path, CostSnapshot.Path, StringComparison.Ordinal);

    /// <summary>
    /// What a per-app file (<c>manifests.yaml</c>, several objects) is reported as instead of a kind: not a Kubernetes
    /// kind (a <c>List</c> would be), so a consumer of report.json filtering by kind never mistakes it for one object.
    /// </summary>
    public const string BundleKind = "(per-app file)";

    /// <summary>True for a per-app file: <c>&lt;env&gt;/&lt;folder&gt;/manifests.yaml</c>.</summary>
    internal static bool IsBundle(string path) =>
        path.EndsWith("/" + ManifestRenderer.BundleFileName, StringComparison.Ordinal) && path.AsSpan().Count('/') == 2 && !path.StartsWith(SnapshotFolder.StateFolder + "/", StringComparison.Ordinal);

    // The "kind:" of a manifest, read from its first lines without decoding the whole file; null for the cost snapshot.
    internal static string? KindOf(byte[] yaml, string path)
    {
        if (IsCostSnapshot(path))
        {
            return null;
        }

        if (IsBundle(path))
        {
            return BundleKind;
        }

        var text = yaml.AsSpan();
        var marker = "\nkind: "u8;
        var start = text.StartsWith("kind: "u8) ? 6 : text.IndexOf(marker) is var at and >= 0 ? at + marker.Length : -1;
        if (start < 0)
        {
            return null;
        }

        var rest = text.Slice(start);
        var end = rest.IndexOf((byte)'\n');
        return Utf8NoBom.GetString(end < 0 ? rest : rest.Slice(0, end)).Trim().Trim('"');
    }
}

/// <summary>
/// A comparison fed one rendered file at a time, from any thread, as the renderer writes them: each file is compared
/// with its snapshot at once and hashed for the ownership index, and only files that differ (or every file, when the
/// full tree is asked for) are kept. The gate never holds the 60,000 files of a large fleet.
/// </summary>
public sealed class SnapshotComparison(SnapshotFolder folder, bool keepAll, bool hashForIndex = true)
{
    private readonly System.Collections.Concurrent.ConcurrentBag<FileDrift> _drift = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);

    /// <summary>Compares <paramref name="file"/>; true when the caller should keep it (it differs, or the full tree is kept).</summary>
    public bool Observe(RenderedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (SnapshotComparer.IsProvenance(file.Path))
        {
            return false;
        }

        // The index is written only by an accept; other runs need the paths, not the hashes.
        _hashes[file.Path] = hashForIndex ? Provenance.Sha256(file.Utf8) : string.Empty;
        var drift = SnapshotComparer.CompareOne(file, folder);
        if (drift is not null)
        {
            _drift.Add(drift);
        }

        return keepAll || drift is not null;
    }

    /// <summary>Every file observed, with its SHA-256 (when hashing was asked for): the ownership index an accept writes.</summary>
    public IEnumerable<(string Path, string Sha256)> Hashes => _hashes.Select(h => (h.Key, h.Value));

    /// <summary>The drift of every observed file, plus the owned snapshots nothing generated (orphans).</summary>
    public DriftResult Finish()
    {
        var drift = _drift.ToList();
        foreach (var orphan in folder.Owned.Where(o => !_hashes.ContainsKey(o)))
        {
            var bytes = File.ReadAllBytes(folder.FullPath(orphan));
            drift.Add(new FileDrift(orphan, FileChangeKind.Removed, SnapshotComparer.KindOf(bytes, orphan), [])
            {
                InTheWay = folder.NotAsWritten(orphan, bytes),
                Documents = SnapshotComparer.IsBundle(orphan) ? ManifestDiff.ListDocuments(Encoding.UTF8.GetString(bytes), added: false) : [],
            });
        }

        return new DriftResult(drift.OrderBy(d => d.Path, StringComparer.Ordinal).ToArray());
    }
}
