using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConfigAsCode.Synthesis.Rendering;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>What an accept changes in the snapshot folder: files to write (added or changed) and files to remove.</summary>
public sealed record AcceptPlan(IReadOnlyList<RenderedFile> Writes, IReadOnlyList<string> Removals, byte[] Index);

/// <summary>
/// Applies an accept as a whole. Every new file is first written to <c>.configascode/staging/</c> (same volume, so
/// the final step is a rename); then a journal listing every rename and removal is written atomically — the commit
/// point; then the journal is carried out and removed. A crash before the journal leaves the snapshots untouched and
/// the next build discards the staging files; a crash after it leaves a journal the next build replays, so the
/// folder always ends up wholly old or wholly new. Each file switches atomically (rename); a reader that looks while
/// the journal is carried out can see some files new and others old, for the milliseconds that takes.
/// </summary>
internal static class AcceptTransaction
{
    public static void Commit(SnapshotFolder folder, AcceptPlan plan)
    {
        var root = folder.Root;
        Directory.CreateDirectory(root);
        Discard(root);
        var staging = SnapshotFolder.Full(root, SnapshotFolder.StagingFolder);
        Directory.CreateDirectory(staging);

        var writes = new List<(string Path, string Staged)>(plan.Writes.Count);
        for (var i = 0; i < plan.Writes.Count; i++)
        {
            var staged = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.WriteAllBytes(Path.Combine(staging, staged), plan.Writes[i].Utf8);
            writes.Add((plan.Writes[i].Path, staged));
        }

        File.WriteAllBytes(Path.Combine(staging, "index"), plan.Index);
        var journal = SnapshotFolder.Full(root, SnapshotFolder.JournalPath);
        ManifestFileWriter.WriteAtomically(journal, Journal(writes, plan.Removals), durable: true);
        Replay(root);
    }

    /// <summary>Carries out the journal in <paramref name="root"/> (whatever of it is left); returns the number of changes it lists.</summary>
    public static int Recover(string root) => Replay(root);

    /// <summary>Removes staging files of an accept that never reached its journal.</summary>
    public static void Discard(string root)
    {
        var staging = SnapshotFolder.Full(root, SnapshotFolder.StagingFolder);
        if (Directory.Exists(staging))
        {
            foreach (var file in Directory.EnumerateFiles(staging))
            {
                File.Delete(file);
            }

            Directory.Delete(staging);
        }

        RemoveIfEmpty(root, SnapshotFolder.Full(root, SnapshotFolder.StateFolder));
    }

    private static int Replay(string root)
    {
        var journalPath = SnapshotFolder.Full(root, SnapshotFolder.JournalPath);
        var staging = SnapshotFolder.Full(root, SnapshotFolder.StagingFolder);
        var (writes, removals) = ReadJournal(journalPath);
        var indexPath = SnapshotFolder.Full(root, ManifestRenderer.ProvenancePath);
        var owned = OwnedBy(indexPath);

        foreach (var (path, staged) in writes)
        {
            var source = Path.Combine(staging, staged);
            var target = SnapshotFolder.Full(root, path);

            // A journal (perhaps one committed by someone else) never overwrites a file the tool does not own: the
            // target must be owned by the old index, or not exist yet.
            if (File.Exists(source) && (owned.Contains(path) || !File.Exists(target)))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(source, target, overwrite: true);
            }
        }

        // Only files the index (still the old one until the step below) lists are removed: a journal never
        // removes a file the tool does not own.
        foreach (var path in removals.Where(owned.Contains))
        {
            var target = SnapshotFolder.Full(root, path);
            if (File.Exists(target))
            {
                File.Delete(target);
            }

            RemoveEmptyParents(root, Path.GetDirectoryName(target)!);
        }

        var stagedIndex = Path.Combine(staging, "index");
        if (File.Exists(stagedIndex))
        {
            File.Move(stagedIndex, indexPath, overwrite: true);
        }

        File.Delete(journalPath);
        Discard(root);
        return writes.Count + removals.Count;
    }

    private static byte[] Journal(IReadOnlyList<(string Path, string Staged)> writes, IReadOnlyList<string> removals)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("writes");
            foreach (var (path, staged) in writes)
            {
                json.WriteStartObject();
                json.WriteString("path", path);
                json.WriteString("staged", staged);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("removals");
            foreach (var path in removals)
            {
                json.WriteStringValue(path);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static (IReadOnlyList<(string Path, string Staged)> Writes, IReadOnlyList<string> Removals) ReadJournal(string path)
    {
        if (!File.Exists(path))
        {
            return ([], []);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var writes = document.RootElement.GetProperty("writes").EnumerateArray()
                .Select(w => (Path: w.GetProperty("path").GetString() ?? string.Empty, Staged: w.GetProperty("staged").GetString() ?? string.Empty))
                .Where(w => SnapshotFolder.IsOwnablePath(w.Path) && w.Staged.Length > 0 && w.Staged.All(char.IsAsciiDigit))
                .ToArray();
            var removals = document.RootElement.GetProperty("removals").EnumerateArray()
                .Select(r => r.GetString() ?? string.Empty).Where(SnapshotFolder.IsOwnablePath).ToArray();
            return (writes, removals);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // A journal that cannot be read was never committed (it is written atomically): nothing to replay.
            return ([], []);
        }
    }

    private static HashSet<string> OwnedBy(string indexPath)
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(indexPath))
        {
            return owned;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            foreach (var file in document.RootElement.GetProperty("files").EnumerateArray())
            {
                owned.Add(file.GetProperty("path").GetString() ?? string.Empty);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            owned.Clear();
        }

        return owned;
    }

    private static void RemoveEmptyParents(string root, string directory)
    {
        var top = SnapshotFolder.Normalize(root);
        for (var current = SnapshotFolder.Normalize(directory); !string.Equals(current, top, StringComparison.Ordinal) && SnapshotFolder.IsInside(current, top); current = SnapshotFolder.Normalize(Path.GetDirectoryName(current)!))
        {
            if (!RemoveIfEmpty(top, current))
            {
                return;
            }
        }
    }

    private static bool RemoveIfEmpty(string root, string directory)
    {
        if (!Directory.Exists(directory) || string.Equals(SnapshotFolder.Normalize(directory), SnapshotFolder.Normalize(root), StringComparison.Ordinal) || Directory.EnumerateFileSystemEntries(directory).Any())
        {
            return false;
        }

        Directory.Delete(directory);
        return true;
    }
}
