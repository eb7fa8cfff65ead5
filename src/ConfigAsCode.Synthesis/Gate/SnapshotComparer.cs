using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
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
public sealed record FileDrift(string Path, FileChangeKind Kind, string? ObjectKind, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>True for Kubernetes objects; false for kustomizations.</summary>
    public bool IsObject => ObjectKind is not null && !string.Equals(ObjectKind, "Kustomization", StringComparison.Ordinal);

    public IEnumerable<string> Risks => Fields.Where(f => f.Risk is not null).Select(f => f.Risk!).Distinct(StringComparer.Ordinal);
}

/// <summary>The comparison of fresh output with the committed snapshot folder.</summary>
public sealed record DriftResult(IReadOnlyList<FileDrift> Files)
{
    public int Added => Files.Count(f => f.Kind == FileChangeKind.Added && f.IsObject);

    public int Changed => Files.Count(f => f.Kind == FileChangeKind.Changed && f.IsObject);

    public int Removed => Files.Count(f => f.Kind == FileChangeKind.Removed && f.IsObject);

    public bool IsClean => Files.Count == 0;

    /// <summary>Terraform-style summary: <c>Drift: 1 to add, 2 to change, 0 to remove.</c></summary>
    public string Summary => $"{Added} to add, {Changed} to change, {Removed} to remove";
}

/// <summary>
/// Compares rendered files with a snapshot folder. Only what the tool owns is compared: YAML and JSON files under
/// the folder (Argo CD would apply them); other files such as a README are left alone. The provenance sidecar is
/// written on accept but never counts as drift, so a generator upgrade alone does not fail a build.
/// </summary>
public static class SnapshotComparer
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static DriftResult Compare(IReadOnlyList<RenderedFile> fresh, string snapshotRoot)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var drift = new List<FileDrift>();
        var committed = Enumerate(snapshotRoot);
        var freshByPath = fresh.Where(f => !IsProvenance(f.Path)).ToDictionary(f => f.Path, StringComparer.Ordinal);

        foreach (var file in freshByPath.Values.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            var kind = KindOf(file.Content);
            if (!committed.TryGetValue(file.Path, out var snapshotPath))
            {
                drift.Add(new FileDrift(file.Path, FileChangeKind.Added, kind, []));
                continue;
            }

            var bytes = File.ReadAllBytes(snapshotPath);
            if (bytes.AsSpan().SequenceEqual(file.Utf8))
            {
                continue;
            }

            var before = Utf8NoBom.GetString(bytes);
            var fields = ManifestDiff.Diff(before, file.Content, kind ?? string.Empty).ToList();
            if (before.Contains('\r', StringComparison.Ordinal))
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

            drift.Add(new FileDrift(file.Path, FileChangeKind.Changed, kind, fields));
        }

        foreach (var orphan in committed.Keys.Where(p => !freshByPath.ContainsKey(p) && !IsProvenance(p)).OrderBy(p => p, StringComparer.Ordinal))
        {
            drift.Add(new FileDrift(orphan, FileChangeKind.Removed, KindOf(File.ReadAllText(committed[orphan], Utf8NoBom)), []));
        }

        return new DriftResult(drift);
    }

    /// <summary>Writes fresh output over the snapshot folder: added and changed files atomically, orphans deleted.</summary>
    public static WriteSummary Accept(IReadOnlyList<RenderedFile> fresh, string snapshotRoot)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var summary = ManifestFileWriter.Write(snapshotRoot, fresh, deleteOthers: false);
        var freshPaths = fresh.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var deleted = new List<string>();
        foreach (var (path, full) in Enumerate(snapshotRoot).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!freshPaths.Contains(path))
            {
                File.Delete(full);
                deleted.Add(path);
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(snapshotRoot, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
        {
            if (!Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }

        return summary with { Deleted = deleted };
    }

    private static bool IsProvenance(string path) => string.Equals(path, ManifestRenderer.ProvenancePath, StringComparison.Ordinal);

    private static Dictionary<string, string> Enumerate(string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return files;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var extension = Path.GetExtension(file);
            if (extension is ".yaml" or ".yml" or ".json")
            {
                files[Path.GetRelativePath(root, file).Replace('\\', '/')] = file;
            }
        }

        return files;
    }

    private static string? KindOf(string yaml)
    {
        foreach (var line in yaml.Split('\n'))
        {
            if (line.StartsWith("kind: ", StringComparison.Ordinal))
            {
                return line.Substring(6).Trim().Trim('"');
            }
        }

        return null;
    }
}
