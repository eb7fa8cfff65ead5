using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;

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
    /// <summary>
    /// Carries out <paramref name="plan"/>; null when it was, or the coded reason it was not: CAC9013 when something
    /// stands in the way before any snapshot changed (the journal and the staged files are then removed: nothing was
    /// written), CAC9011 when carrying out the journal stopped half-way (it is kept, for the next build to finish).
    /// <paramref name="snapshots"/> is the folder as messages name it.
    /// </summary>
    public static GateDiagnostic? Commit(SnapshotFolder folder, AcceptPlan plan, string snapshots)
    {
        var root = folder.Root;
        var current = string.Empty;
        try
        {
            Directory.CreateDirectory(root);
            Discard(root);
            var staging = SnapshotFolder.Full(root, SnapshotFolder.StagingFolder);
            current = SnapshotFolder.StagingFolder;
            Directory.CreateDirectory(staging);

            var writes = new List<(string Path, string Staged)>(plan.Writes.Count);
            for (var i = 0; i < plan.Writes.Count; i++)
            {
                var staged = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                current = SnapshotFolder.StagingFolder + "/" + staged;
                File.WriteAllBytes(Path.Combine(staging, staged), plan.Writes[i].Utf8);
                writes.Add((plan.Writes[i].Path, staged));
            }

            current = SnapshotFolder.StagingFolder + "/index";
            File.WriteAllBytes(Path.Combine(staging, "index"), plan.Index);
            current = SnapshotFolder.JournalPath;
            var journal = SnapshotFolder.Full(root, SnapshotFolder.JournalPath);
            ManifestFileWriter.WriteAtomically(journal, Journal(writes, plan.Removals), durable: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or AcceptStoppedException)
        {
            var stopped = e as AcceptStoppedException ?? new AcceptStoppedException(current, e.Message, 0, 0, beforeAnyChange: true, e);
            TryDiscard(root);
            return Refused(snapshots, stopped);
        }

        try
        {
            Replay(root);
            return null;
        }
        catch (AcceptStoppedException e) when (e.BeforeAnyChange)
        {
            // Checked before the first rename (something came in the way since the folder was listed): nothing
            // changed, so the journal is withdrawn rather than left for the next build.
            try
            {
                File.Delete(SnapshotFolder.Full(root, SnapshotFolder.JournalPath));
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                return Unfinished(snapshots, e);
            }

            TryDiscard(root);
            return Refused(snapshots, e);
        }
        catch (AcceptStoppedException e)
        {
            return Unfinished(snapshots, e);
        }
    }

    /// <summary>
    /// Carries out the journal in <paramref name="root"/> (whatever of it is left); returns the number of changes it
    /// lists. Throws <see cref="AcceptStoppedException"/>, leaving the journal, when something stands in the way.
    /// </summary>
    public static int Recover(string root) => Replay(root);

    /// <summary>
    /// Removes staging files of an accept that never reached its journal. Throws <see cref="AcceptStoppedException"/>
    /// when one cannot be removed (a folder put into the staging folder).
    /// </summary>
    public static void Discard(string root)
    {
        var staging = SnapshotFolder.Full(root, SnapshotFolder.StagingFolder);
        var current = SnapshotFolder.StagingFolder;
        try
        {
            if (Directory.Exists(staging))
            {
                foreach (var file in Directory.EnumerateFiles(staging))
                {
                    current = SnapshotFolder.StagingFolder + "/" + Path.GetFileName(file);
                    File.Delete(file);
                }

                current = SnapshotFolder.StagingFolder;
                Directory.Delete(staging);
            }

            current = SnapshotFolder.StateFolder;
            RemoveIfEmpty(root, SnapshotFolder.Full(root, SnapshotFolder.StateFolder));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AcceptStoppedException(current, e.Message, 0, 0, beforeAnyChange: true, e);
        }
    }

    /// <summary>
    /// CAC9011 for a journal that could not be carried out: where it stopped and why, that the journal and the staged
    /// files are kept, how to let the next build finish it (move the obstacle away) and how to abandon it instead.
    /// </summary>
    public static GateDiagnostic Unfinished(string snapshots, AcceptStoppedException stopped)
    {
        var progress = stopped.Done == stopped.Total && stopped.Total > 0 && stopped.Path == SnapshotFolder.JournalPath
            ? "Every change was made and the new ownership index installed; only the journal could not be removed. "
            : stopped.Done > 0
            ? $"{stopped.Done} of {stopped.Total} change(s) were made before it stopped, and the ownership index is still the old one. "
            : "This build changed nothing in it. ";
        return new(RuleSeverity.Error, RuleCatalog.UnsafeFolder.Id, null, 0,
            $"{snapshots} holds an accept that did not finish ({snapshots}/{SnapshotFolder.JournalPath}), and carrying it out stopped at {snapshots}/{stopped.Path}: {stopped.Reason}. {progress}"
            + $"The journal and the staged files ({snapshots}/{SnapshotFolder.StagingFolder}) are kept: move what is at {snapshots}/{stopped.Path} out of the way (ConfigAsCode never removes what it did not write) and build again, which finishes the accept. "
            + $"To abandon the accept instead, delete the journal and the staging folder, then restore {snapshots} from Git ('git status -- {snapshots}' lists what it changed so far).");
    }

    /// <summary>CAC9011 for staged files (no journal) that could not be removed: the snapshots are untouched.</summary>
    public static GateDiagnostic Undiscarded(string snapshots, AcceptStoppedException stopped) =>
        new(RuleSeverity.Error, RuleCatalog.UnsafeFolder.Id, null, 0,
            $"{snapshots} holds the staged files of an accept that was interrupted before it changed anything ({snapshots}/{SnapshotFolder.StagingFolder}), and removing them stopped at {snapshots}/{stopped.Path}: {stopped.Reason}. "
            + $"The snapshots are untouched. {snapshots}/{SnapshotFolder.StagingFolder} is ConfigAsCode's own: delete it (with what was put in it), then build again.");

    private static GateDiagnostic Refused(string snapshots, AcceptStoppedException stopped) =>
        new(RuleSeverity.Error, RuleCatalog.AcceptRefused.Id, null, 0,
            $"accept refused: {snapshots}/{stopped.Path}: {stopped.Reason}. ConfigAsCode never removes what it did not write: move it out of the way (or delete it), then accept. Nothing was written.");

    private static void TryDiscard(string root)
    {
        try
        {
            Discard(root);
        }
        catch (AcceptStoppedException)
        {
            // The next build discards what is left (or names it).
        }
    }

    private static int Replay(string root)
    {
        var journalPath = SnapshotFolder.Full(root, SnapshotFolder.JournalPath);
        var staging = SnapshotFolder.Full(root, SnapshotFolder.StagingFolder);
        var (writes, removals, readable) = ReadJournal(journalPath);
        var indexPath = SnapshotFolder.Full(root, ManifestRenderer.ProvenancePath);
        var stagedIndex = Path.Combine(staging, "index");
        if (!readable)
        {
            // A journal that cannot be read was never committed (it is written atomically, after everything it
            // names): nothing of it is carried out, and its staged index is never installed.
            try
            {
                File.Delete(journalPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AcceptStoppedException(SnapshotFolder.JournalPath, e.Message, 0, 0, beforeAnyChange: true, e);
            }

            TryDiscard(root);
            return 0;
        }

        var owned = OwnedBy(indexPath);
        var total = writes.Count + removals.Count;

        // Before the first rename, every rename left has its place: a folder (or a pipe, a device, a link) at a
        // target, or a file where a folder must be created on the way, stops the journal here, before it changed
        // anything, rather than half-way. A journal (perhaps one committed by someone else) never overwrites a file
        // the tool does not own: the target must be owned by the old index, or not exist yet.
        var real = new HashSet<string>(StringComparer.Ordinal);
        var moves = new List<(string Path, string Source, string Target)>(writes.Count);
        foreach (var (path, staged) in writes)
        {
            var source = Path.Combine(staging, staged);
            if (!File.Exists(source))
            {
                continue; // carried out already
            }

            if (SnapshotFolder.Obstacle(root, path, real) is { } obstacle)
            {
                throw new AcceptStoppedException(path, obstacle, 0, total, beforeAnyChange: true);
            }

            // Skipping such a write would still install the staged index, which lists the path: the file would then
            // count as the tool's, for a later accept to overwrite or remove. So the journal stops here instead.
            var target = SnapshotFolder.Full(root, path);
            if (!owned.ContainsKey(path) && File.Exists(target))
            {
                throw new AcceptStoppedException(path, "a file ConfigAsCode did not write is at that path", 0, total, beforeAnyChange: true);
            }

            moves.Add((path, source, target));
        }

        // The staged index becomes the ownership index. A path it lists that the old index did not and that this
        // journal does not write must hold what the staged index says it holds (an accept adopts a file only with the
        // bytes it rendered): anything else there is someone else's file, which installing the index would make the
        // tool's, for a later accept to overwrite or remove.
        if (File.Exists(stagedIndex))
        {
            if (SnapshotFolder.Obstacle(root, ManifestRenderer.ProvenancePath, real) is { } inTheWay)
            {
                throw new AcceptStoppedException(ManifestRenderer.ProvenancePath, inTheWay, 0, total, beforeAnyChange: true);
            }

            // Checked as the live index is checked when a folder is opened: an index no build could read again is never
            // installed.
            if (SnapshotFolder.ReadIndex(stagedIndex).Error is { } damaged)
            {
                throw new AcceptStoppedException(SnapshotFolder.StagingFolder + "/index", $"the accept's staged ownership index is damaged ({damaged})", 0, total, beforeAnyChange: true);
            }

            // Only the renames this replay makes are exempt: a write whose staged file is gone ("carried out already")
            // must have left what the index records, as any other path the index adds must hold it.
            var written = new HashSet<string>(moves.Select(m => m.Path), StringComparer.Ordinal);
            foreach (var (path, sha256) in IndexEntries(SnapshotFolder.StagingFolder + "/index", stagedIndex))
            {
                var target = SnapshotFolder.Full(root, path);
                if (!owned.ContainsKey(path) && !written.Contains(path) && File.Exists(target) && !string.Equals(Provenance.Sha256(Read(path, target)), sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new AcceptStoppedException(path, "a file ConfigAsCode did not write is at that path, and the accept's staged ownership index lists it", 0, total, beforeAnyChange: true);
                }
            }
        }

        // A removal takes only what the tool wrote: a file whose bytes are not those the old index records (a hand
        // edit, or a path listed in that index for a file of someone else's) stops the journal here too.
        var removing = removals.Where(owned.ContainsKey).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var path in removing)
        {
            var target = SnapshotFolder.Full(root, path);
            if (File.Exists(target) && !string.Equals(Provenance.Sha256(Read(path, target)), owned[path], StringComparison.OrdinalIgnoreCase))
            {
                throw new AcceptStoppedException(path, "the journal would remove it, but its content is not what ConfigAsCode wrote there (the ownership index does not record these bytes for it)", 0, total, beforeAnyChange: true);
            }
        }

        var done = 0;
        var current = SnapshotFolder.JournalPath;
        try
        {
            foreach (var (path, source, target) in moves)
            {
                current = path;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(source, target, overwrite: true);
                done++;
            }

            // Only files the index (still the old one until the step below) lists are removed: a journal never
            // removes a file the tool does not own, nor a folder that came where an owned file was.
            foreach (var path in removing)
            {
                current = path;
                var target = SnapshotFolder.Full(root, path);
                if (File.Exists(target))
                {
                    File.Delete(target);
                }

                done++;
                RemoveEmptyParents(root, Path.GetDirectoryName(target)!);
            }

            if (File.Exists(stagedIndex))
            {
                current = ManifestRenderer.ProvenancePath;
                File.Move(stagedIndex, indexPath, overwrite: true);
            }

            current = SnapshotFolder.JournalPath;
            File.Delete(journalPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Named, and the journal kept: the next build finishes it once what stood in the way is gone.
            throw new AcceptStoppedException(current, e.Message, done, total, beforeAnyChange: done == 0 && current != SnapshotFolder.JournalPath, e);
        }

        // The accept is whole now; staged files that cannot be removed are named by the next build (Discard).
        TryDiscard(root);
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

    private static (IReadOnlyList<(string Path, string Staged)> Writes, IReadOnlyList<string> Removals, bool Readable) ReadJournal(string path)
    {
        if (!File.Exists(path))
        {
            return ([], [], true);
        }

        try
        {
            using var document = JsonDocument.Parse(Read(SnapshotFolder.JournalPath, path));
            var writes = document.RootElement.GetProperty("writes").EnumerateArray()
                .Select(w => (Path: w.GetProperty("path").GetString() ?? string.Empty, Staged: w.GetProperty("staged").GetString() ?? string.Empty))
                .Where(w => SnapshotFolder.IsOwnablePath(w.Path) && w.Staged.Length > 0 && w.Staged.All(char.IsAsciiDigit))
                .ToArray();
            var removals = document.RootElement.GetProperty("removals").EnumerateArray()
                .Select(r => r.GetString() ?? string.Empty).Where(SnapshotFolder.IsOwnablePath).ToArray();
            return (writes, removals, true);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ([], [], false);
        }
    }

    // A file of the tool's state read whole; one that cannot be read (a permission) stops the accept, named, instead of
    // failing the build as the tool's own fault.
    private static byte[] Read(string relative, string full)
    {
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AcceptStoppedException(relative, e.Message, 0, 0, beforeAnyChange: true, e);
        }
    }

    // The paths and SHA-256s an index lists (one SnapshotFolder.ReadIndex has accepted).
    private static IEnumerable<(string Path, string Sha256)> IndexEntries(string relative, string full)
    {
        try
        {
            return SnapshotFolder.IndexHashes(Read(relative, full)).Select(e => (e.Key, e.Value)).ToArray();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new AcceptStoppedException(relative, "the accept's staged ownership index cannot be read", 0, 0, beforeAnyChange: true, e);
        }
    }

    // The files the index lists, with the SHA-256 it records for each ("" where it records none).
    private static Dictionary<string, string> OwnedBy(string indexPath)
    {
        if (!File.Exists(indexPath))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        try
        {
            var owned = SnapshotFolder.IndexHashes(Read(ManifestRenderer.ProvenancePath, indexPath));

            // As SnapshotFolder.Open counts it: indexes written by version 0.1 did not list the cost snapshot, which the
            // tool has always written there.
            owned.TryAdd(Cost.CostSnapshot.Path, string.Empty);
            return owned;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
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

/// <summary>
/// Why an accept's journal (or its staged files) could not be carried out: the path inside the snapshot folder, what
/// stood there (or the system's message), and how many of the journal's changes this run made before it stopped.
/// </summary>
internal sealed class AcceptStoppedException(string path, string reason, int done, int total, bool beforeAnyChange, Exception? inner = null)
    : Exception($"{path}: {reason}", inner)
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;

    public int Done { get; } = done;

    public int Total { get; } = total;

    /// <summary>True when it stopped before this run renamed, removed or wrote any snapshot.</summary>
    public bool BeforeAnyChange { get; } = beforeAnyChange;
}
