using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

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
    /// <summary>
    /// Writes <paramref name="files"/> under <paramref name="root"/>. With <paramref name="deleteOthers"/>, files
    /// under root that are not in the set are deleted (for a folder the tool owns entirely, such as fresh output).
    /// </summary>
    public static WriteSummary Write(string root, IReadOnlyList<RenderedFile> files, bool deleteOthers)
    {
        ArgumentNullException.ThrowIfNull(files);
        var fullRoot = Path.GetFullPath(root);
        Directory.CreateDirectory(fullRoot);
        var written = new List<string>();
        var unchanged = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);

        foreach (var file in files)
        {
            var target = Resolve(fullRoot, file.Path);
            expected.Add(target);
            var bytes = file.Utf8;
            if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(bytes))
            {
                unchanged.Add(file.Path);
                continue;
            }

            WriteAtomically(target, bytes);
            written.Add(file.Path);
        }

        var deleted = new List<string>();
        if (deleteOthers)
        {
            foreach (var existing in Directory.EnumerateFiles(fullRoot, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal))
            {
                if (!expected.Contains(existing))
                {
                    File.Delete(existing);
                    deleted.Add(Path.GetRelativePath(fullRoot, existing).Replace('\\', '/'));
                }
            }

            foreach (var directory in Directory.EnumerateDirectories(fullRoot, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
            {
                if (!Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
        }

        return new WriteSummary(written, unchanged, deleted);
    }

    /// <summary>Writes <paramref name="bytes"/> to a sibling temporary file and renames it over <paramref name="target"/>.</summary>
    public static void WriteAtomically(string target, byte[] bytes)
    {
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
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

    private static string Resolve(string root, string relative)
    {
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"'{relative}' is not a relative path inside the output folder.", nameof(relative));
        }

        return Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
    }
}
