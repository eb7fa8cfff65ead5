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
/// <param name="ObjectKind">The Kubernetes kind, <c>Kustomization</c>, or null for the cost snapshot.</param>
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

    public IEnumerable<string> Risks => Fields.Where(f => f.Risk is not null).Select(f => f.Risk!).Distinct(StringComparer.Ordinal);
}

/// <summary>The comparison of fresh output with the committed snapshot folder. Counts are of files, as listed.</summary>
public sealed record DriftResult(IReadOnlyList<FileDrift> Files)
{
    public int Added => Files.Count(f => f.Kind == FileChangeKind.Added);

    public int Changed => Files.Count(f => f.Kind == FileChangeKind.Changed);

    public int Removed => Files.Count(f => f.Kind == FileChangeKind.Removed);

    public bool IsClean => Files.Count == 0;

    /// <summary>Terraform-style summary: <c>1 to add, 2 to change, 0 to remove</c> (files; each object is one file).</summary>
    public string Summary => $"{Added} to add, {Changed} to change, {Removed} to remove";
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
        ArgumentNullException.ThrowIfNull(folder);
        var files = fresh.Where(f => !IsProvenance(f.Path)).OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        var results = new FileDrift?[files.Length];
        Parallel.For(0, files.Length, i => results[i] = CompareOne(files[i], folder));

        var drift = results.Where(r => r is not null).Select(r => r!).ToList();
        var rendered = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (orphan, full) in folder.Owned.Where(o => !rendered.Contains(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            drift.Add(new FileDrift(orphan, FileChangeKind.Removed, KindOf(File.ReadAllBytes(full), orphan), []));
        }

        return new DriftResult(drift.OrderBy(d => d.Path, StringComparer.Ordinal).ToArray());
    }

    private static FileDrift? CompareOne(RenderedFile file, SnapshotFolder folder)
    {
        if (!folder.Owned.TryGetValue(file.Path, out var snapshotPath))
        {
            var foreignPath = folder.FullPath(file.Path);
            var foreign = folder.IsForeign(file.Path);
            if (foreign && File.ReadAllBytes(foreignPath).AsSpan().SequenceEqual(file.Utf8))
            {
                // Identical to what the tool would write: adopting it changes nothing on disk.
                return null;
            }

            return new FileDrift(file.Path, FileChangeKind.Added, KindOf(file.Utf8, file.Path), []) { OverwritesForeignFile = foreign };
        }

        var bytes = File.ReadAllBytes(snapshotPath);
        if (bytes.AsSpan().SequenceEqual(file.Utf8))
        {
            return null;
        }

        var kind = KindOf(file.Utf8, file.Path);
        var fields = IsCostSnapshot(file.Path)
            ? CostSnapshotDiff.Diff(bytes, file.Utf8).ToList()
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

        return new FileDrift(file.Path, FileChangeKind.Changed, kind, fields);
    }

    internal static bool IsProvenance(string path) => string.Equals(path, ManifestRenderer.ProvenancePath, StringComparison.Ordinal);

    internal static bool IsCostSnapshot(string path) => string.Equals(path, CostSnapshot.Path, StringComparison.Ordinal);

    // The "kind:" of a manifest, read from its first lines without decoding the whole file; null for the cost snapshot.
    private static string? KindOf(byte[] yaml, string path)
    {
        if (IsCostSnapshot(path))
        {
            return null;
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
