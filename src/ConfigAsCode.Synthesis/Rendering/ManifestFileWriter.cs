using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>What a write changed.</summary>
public sealed record WriteSummary(IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Deleted);

/// <summary>
/// Writes rendered files atomically: each goes to a temporary file in the same folder and is renamed over the
/// target, so a reader never sees a partial file. Files whose bytes are unchanged are not touched (their
/// timestamps stay, so incremental builds and file watchers stay quiet).
/// </summary>
public static class ManifestFileWriter
{
    /// <summary>The file that marks a folder as the tool's own output, which it may empty.</summary>
    public const string OutputMarker = ".configascode-output";

    /// <summary>
    /// Writes <paramref name="files"/> under <paramref name="root"/>. With <paramref name="deleteOthers"/>, files
    /// under root that are not in the set are deleted; that is allowed only for a folder the tool owns entirely (it
    /// does not exist, is empty, or carries <see cref="OutputMarker"/>), and links are removed, never followed.
    /// Returns null and writes nothing when <paramref name="root"/> is a folder the tool does not own.
    /// </summary>
    public static WriteSummary? Write(string root, IReadOnlyList<RenderedFile> files, bool deleteOthers)
    {
        ArgumentNullException.ThrowIfNull(files);
        var fullRoot = Path.GetFullPath(root);
        if (deleteOthers && !IsOwnedOutput(fullRoot))
        {
            return null;
        }

        // A link at the fresh tree's own path (beside the output folder's marker, so it passes the ownership check) is
        // unlinked: emptying it would empty the folder it points to.
        if (deleteOthers && IsLink(fullRoot))
        {
            RemoveLink(fullRoot);
        }

        Directory.CreateDirectory(fullRoot);
        var written = new List<string>();
        var unchanged = new List<string>();
        var targets = files.Select(f => (File: f, Target: Resolve(fullRoot, f.Path))).ToArray();
        var deleted = new List<string>();
        if (deleteOthers)
        {
            // Cleared first, every link included (at an expected path too), so no read or write below can go through
            // a link planted in the folder.
            var expected = new HashSet<string>(targets.Select(t => t.Target), StringComparer.Ordinal) { Path.Combine(fullRoot, OutputMarker) };
            DeleteOthers(fullRoot, fullRoot, expected, deleted);
            MarkOutputFolder(fullRoot);
        }

        foreach (var (file, target) in targets)
        {
            var bytes = file.Utf8;
            if (!deleteOthers && IsLink(target))
            {
                // Without deleteOthers no link was cleared: one at an expected path is replaced, never read through.
                RemoveLink(target);
            }

            if (File.Exists(target) && new FileInfo(target).Length == bytes.Length && File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes))
            {
                unchanged.Add(file.Path);
                continue;
            }

            WriteAtomically(target, bytes);
            written.Add(file.Path);
        }

        return new WriteSummary(written, unchanged, deleted);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a sibling temporary file and renames it over <paramref name="target"/>.
    /// With <paramref name="durable"/> the bytes are flushed to disk before the rename (for a commit point such as a
    /// journal); output under obj/ is intermediate and skips the flush, which costs more than the write itself.
    /// </summary>
    public static void WriteAtomically(string target, byte[] bytes, bool durable = false)
    {
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// True when the tool may empty <paramref name="root"/>: it does not exist, is empty, or it or its parent (the
    /// output folder, whose ownership the gate checks first) carries the marker. A folder that merely holds a
    /// ConfigAsCode index is not enough: that is what a snapshot folder looks like.
    /// </summary>
    public static bool IsOwnedOutput(string root) =>
        !Directory.Exists(root) || File.Exists(Path.Combine(root, OutputMarker))
        || (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) is { } parent && File.Exists(Path.Combine(parent, OutputMarker)))
        || !Directory.EnumerateFileSystemEntries(root).Any();

    /// <summary>
    /// True when the gate may write and delete its reports in <paramref name="folder"/>: it does not exist, is empty,
    /// carries the marker, or is an output folder of version 0.1 (its stamp and snapshot list, and no marker yet).
    /// </summary>
    public static bool IsOwnedOutputFolder(string folder) =>
        !Directory.Exists(folder) || File.Exists(Path.Combine(folder, OutputMarker))
        || (File.Exists(Path.Combine(folder, "configascode.stamp")) && File.Exists(Path.Combine(folder, "snapshot-files.txt")))
        || !Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>
    /// Marks <paramref name="folder"/> as the tool's output folder. With <paramref name="owner"/> (see
    /// <see cref="OwnerOf"/>), a marker that names no owner yet (new, or empty as earlier versions wrote it) is claimed
    /// for it; a marker that names an owner is never rewritten here (SnapshotFolder.ClaimOutputFolder takes one over for ConfigAsCodeTakeOwnershipFrom).
    /// A marker without an owner is only ever created where none is (never renamed over one another build claimed).
    /// </summary>
    public static void MarkOutputFolder(string folder, string? owner = null)
    {
        Directory.CreateDirectory(folder);
        var marker = Path.Combine(folder, OutputMarker);

        // File.Exists is true for a link, dangling or not: a link at the marker's path is replaced by the file, never
        // followed (to truncate or create its target).
        if (IsLink(marker))
        {
            RemoveLink(marker);
        }

        if (!File.Exists(marker))
        {
            CreateIfAbsent(marker, owner is null ? [] : System.Text.Encoding.UTF8.GetBytes(owner));
        }
        else if (owner is not null && new FileInfo(marker).Length == 0)
        {
            WriteAtomically(marker, System.Text.Encoding.UTF8.GetBytes(owner));
        }
    }

    /// <summary>
    /// The line of a marker that says its project folder was recorded with the links on the way resolved (markers of
    /// the version before recorded it as the paths were spelled).
    /// </summary>
    public const string LinksResolved = "links=resolved";

    /// <summary>
    /// The owner a config project writes into its output folder's marker: its folder as a path from the output folder
    /// (so a moved clone, obj/ with it, is still the same owner), both with every link on the way resolved (so the
    /// checkout reached through a link, or obj/ spelled by another route than the project folder, writes the same
    /// owner by every route), <see cref="LinksResolved"/>, and the config assembly's name, when known.
    /// </summary>
    public static string OwnerOf(string projectDirectory, string outputFolder, string? assemblyName) =>
        "project-folder=" + Path.GetRelativePath(Gate.SnapshotFolder.RealPath(outputFolder), Gate.SnapshotFolder.RealPath(projectDirectory)).Replace('\\', '/') + "\n"
        + LinksResolved + "\n"
        + (string.IsNullOrEmpty(assemblyName) ? string.Empty : "assembly=" + assemblyName + "\n");

    /// <summary>
    /// The owner the marker of <paramref name="folder"/> names, or null when it names none (no marker, an empty one, a
    /// link or a pipe, which is replaced and never read through). A marker too large to be one of ours is returned as read so far,
    /// which is no owner's.
    /// </summary>
    public static string? RecordedOwner(string folder)
    {
        var marker = Path.Combine(folder, OutputMarker);

        // A pipe or a device is never opened (a pipe waits for a writer forever): no owner, and the claim replaces it.
        if (IsLink(marker) || !File.Exists(marker) || Gate.FileStatus.IsSpecial(marker))
        {
            return null;
        }

        using var stream = new FileStream(marker, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[4096];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    // Written beside the target and moved there only when nothing is at the target: a marker another build created or
    // claimed in the meantime stays.
    private static void CreateIfAbsent(string target, byte[] bytes)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> is a symbolic link, a junction or another reparse point, to a file or a folder,
    /// whether or not its target exists.
    /// </summary>
    public static bool IsLink(string path)
    {
        var info = new FileInfo(path);
        var attributes = info.Attributes; // -1 when nothing is there
        return info.LinkTarget is not null || ((int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0);
    }

    /// <summary>Removes the link at <paramref name="path"/> itself; what it points to is never touched.</summary>
    public static void RemoveLink(string path)
    {
        // unlink removes any link on Unix; on Windows a link to a folder (or a junction) is a directory entry, which
        // File.Delete refuses.
        if (OperatingSystem.IsWindows() && (File.GetAttributes(path) & FileAttributes.Directory) != 0)
        {
            Directory.Delete(path, recursive: false);
        }
        else
        {
            File.Delete(path);
        }
    }

    private static void DeleteOthers(string root, string directory, HashSet<string> expected, List<string> deleted)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options).OrderBy(e => e.Name, StringComparer.Ordinal).ToArray())
        {
            var isLink = entry.LinkTarget is not null || (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            if (entry is DirectoryInfo folder && !isLink)
            {
                DeleteOthers(root, folder.FullName, expected, deleted);
                if (!folder.EnumerateFileSystemInfos().Any())
                {
                    folder.Delete();
                }
            }
            else if (isLink || !expected.Contains(entry.FullName))
            {
                // A link is removed itself, even where a file is expected (the file is written in its place); what it
                // points to is never touched.
                entry.Delete();
                if (!expected.Contains(entry.FullName))
                {
                    deleted.Add(Path.GetRelativePath(root, entry.FullName).Replace('\\', '/'));
                }
            }
        }
    }

    private static string Resolve(string root, string relative)
    {
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"'{relative}' is not a relative path inside the output folder.", nameof(relative));
        }

        return Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
    }
}
