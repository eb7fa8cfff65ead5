using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigAsCode.Build;

/// <summary>
/// Writes the gate's inputs file, and rewrites it only when its content changes (the pattern of MSBuild's
/// <c>CoreCompileInputs.cache</c>), so the gate's target re-runs exactly when something it reads changed: every
/// property it is given (severities, warnings as errors, folders, CI answer, price file and whether it exists, cost
/// baseline and the commit it resolves to), the tool's identity (a hash of the host's assemblies), and the signature
/// of the snapshot folder (<see cref="SnapshotSignature"/>: an edit that keeps the timestamp, a deleted or an added
/// file all change it).
/// </summary>
public sealed class WriteConfigAsCodeInputs : Task
{
    /// <summary>The file to write (in the output folder).</summary>
    [Required]
    public string File { get; set; } = string.Empty;

    /// <summary><c>name=value</c> lines, one per property the gate reads.</summary>
    public ITaskItem[] Properties { get; set; } = [];

    /// <summary>The snapshot folder to sign.</summary>
    public string? SnapshotDirectory { get; set; }

    /// <summary>Files that make up the tool (the host and its ConfigAsCode assemblies).</summary>
    public ITaskItem[] ToolFiles { get; set; } = [];

    /// <summary>The cost baseline; for <c>git:&lt;revision&gt;</c> the commit it names now is part of the inputs.</summary>
    public string? CostBaseline { get; set; }

    /// <summary>The project folder (where git runs for a git baseline).</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>Files whose content the gate reads (the price file, a file baseline): hashed when they exist.</summary>
    public ITaskItem[] ContentFiles { get; set; } = [];

    /// <summary>
    /// The gate's stamp (the up-to-date check's output). A link there, or a stamp dated in the future, is removed here,
    /// before MSBuild's up-to-date check reads its date: either (a restored obj/ cache keeps both) would skip the gate
    /// until that date.
    /// </summary>
    public string? Stamp { get; set; }

    /// <summary>
    /// The ticket of the signature <see cref="BeginConfigAsCodeSignature"/> started when the build started; without one
    /// (or when it cannot be taken) the folder is signed here.
    /// </summary>
    public string? SignatureTicket { get; set; }

    /// <summary>
    /// Signs the snapshot folder again into the existing inputs file, changing nothing else: run just before the host
    /// when the signature was taken as the build started, so that the stamp the passing run leaves vouches for the
    /// folder the host read, not for the one the build started with (the folder may change during the compile).
    /// </summary>
    public bool ResignSnapshots { get; set; }

    /// <summary>True when the signature started as the build started was taken (the folder is then signed again before the host runs).</summary>
    [Output]
    public bool SignedEarly { get; set; }

    /// <summary>True when the file was rewritten.</summary>
    [Output]
    public bool Changed { get; set; }

    /// <summary>
    /// The content hash of a file the gate reads, "absent", or "unreadable": the host reports an unreadable price file,
    /// baseline or base report with its own code (CAC4004, CAC4009, the PR comment); a task stack trace helps nobody.
    /// </summary>
    private static string ContentSignature(string file, bool noFollow)
    {
        try
        {
            // A file of the gate's own under obj/ (the output folder's marker) is never read through a link planted there
            // (a restored obj/ cache can carry one, to /dev/zero even), and a pipe or a device is never opened: reading
            // one could wait forever.
            if (noFollow)
            {
                var attributes = new FileInfo(file).Attributes;
                if ((int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0)
                {
                    return "link";
                }
            }

            // Through a link too (a price file linked to a pipe): the read below would follow it.
            if (ConfigAsCode.Synthesis.Gate.FileStatus.IsSpecial(file, followLinks: true))
            {
                return "special";
            }

            return System.IO.File.Exists(file) ? HashFiles([file]) : "absent";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable (" + e.GetType().Name + ")";
        }
    }

    public override bool Execute()
    {
        if (ResignSnapshots)
        {
            return Resign(Path.GetFullPath(File));
        }

        if (!string.IsNullOrEmpty(Stamp) && !ClearStamp(Path.GetFullPath(Stamp)))
        {
            return false;
        }

        var lines = new List<string>();
        lines.AddRange(Properties.Select(p => p.ItemSpec));
        lines.Add("tool=" + HashFiles(ToolFiles.Select(t => t.GetMetadata("FullPath")).Where(System.IO.File.Exists).OrderBy(p => p, StringComparer.Ordinal)));
        lines.Add("engine-warnings-as-errors=" + GenerateConfigAsCodeManifests.EngineWarningsAsErrors(BuildEngine));
        foreach (var (file, noFollow) in ContentFiles.Select(f => (f.GetMetadata("FullPath"), string.Equals(f.GetMetadata("NoFollow"), "true", StringComparison.OrdinalIgnoreCase))).Where(f => f.Item1.Length > 0).OrderBy(f => f.Item1, StringComparer.Ordinal))
        {
            lines.Add("content " + file + "=" + ContentSignature(file, noFollow));
        }

        var started = PendingSignature.Take(BuildEngine, SignatureTicket, SnapshotDirectory);
        SignedEarly = started is not null;
        if (started is not null)
        {
            Log.LogMessage(MessageImportance.Low, "ConfigAsCode: the snapshot folder was signed as the build started.");
        }

        lines.Add(SignatureKey + (started ?? SnapshotSignature.Sign(SnapshotDirectory)));
        // Trimmed as the host trims it: a value written over several lines in a project file is still a git: baseline.
        if (CostBaseline?.Trim() is { Length: > 4 } baseline && baseline.StartsWith("git:", StringComparison.Ordinal))
        {
            lines.Add("baseline-commit=" + ResolveCommit(baseline.Substring(4).Trim()));
        }

        var content = string.Join("\n", lines) + "\n";
        var target = Path.GetFullPath(File);

        return Write(target, content);
    }

    private const string SignatureKey = "snapshot-signature=";

    /// <summary>The inputs file with its signature line taken now (see <see cref="ResignSnapshots"/>).</summary>
    private bool Resign(string target)
    {
        var existing = Existing(target);
        var lines = existing?.Split('\n').ToList();
        // The last such line: only the baseline's commit follows it, while a property value written before it could
        // hold a line break and the key.
        var at = lines?.FindLastIndex(line => line.StartsWith(SignatureKey, StringComparison.Ordinal)) ?? -1;
        if (lines is null || at < 0)
        {
            // Written by _ConfigAsCodePrepare moments ago: gone or changed by something else. Nothing may vouch for it.
            Log.LogError(null, "CAC9011", GenerateConfigAsCodeManifests.HelpKeyword("CAC9011"), target, 0, 0, 0, 0,
                "The gate's inputs file changed, went missing or became unreadable or a link while the build ran (this build wrote it moments ago). Build again; if this repeats, something else writes obj/.");
            return false;
        }

        lines[at] = SignatureKey + SnapshotSignature.Sign(SnapshotDirectory);
        return Write(target, string.Join("\n", lines));
    }

    private bool Write(string target, string content)
    {
        // Rewritten when it is dated in the future too (a restored obj/ cache): as an input of the gate it would stay
        // newer than the stamp, and the gate would run on every build until that date.
        if (!string.Equals(Existing(target), content, StringComparison.Ordinal) || DatedInTheFuture(target))
        {
            try
            {
                Replace(target, content);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.LogError(null, "CAC9011", GenerateConfigAsCodeManifests.HelpKeyword("CAC9011"), target, 0, 0, 0, 0,
                    $"The gate's inputs file could not be written ({e.GetType().Name}: {e.Message}). Check that obj/ is writable, or delete the file.");
                return false;
            }

            Changed = true;
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// What the inputs file holds now, or null when it is absent, unreadable, or a link (a link planted at this path
    /// under obj/ is never read through: its target may be a pipe or a file that is not ours).
    /// </summary>
    private static string? Existing(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0 ? System.IO.File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool DatedInTheFuture(string path)
    {
        try
        {
            return System.IO.File.Exists(path) && System.IO.File.GetLastWriteTimeUtc(path) > DateTime.UtcNow;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the stamp at <paramref name="path"/> when it is a link (the link itself, never what it points to) or is
    /// dated in the future (a restored obj/ cache or a clock set back): MSBuild's up-to-date check would skip the gate
    /// until that date. False, with CAC9011, when it cannot be checked or removed.
    /// </summary>
    private bool ClearStamp(string path)
    {
        try
        {
            // GetAttributes reads the entry itself, not what a link points to, and throws when nothing is there.
            var attributes = System.IO.File.GetAttributes(path);
            var isLink = (attributes & FileAttributes.ReparsePoint) != 0;
            if (!isLink && !DatedInTheFuture(path))
            {
                return true;
            }

            // unlink removes any link on Unix; on Windows a link to a folder (or a junction) is a directory entry.
            if ((attributes & FileAttributes.Directory) != 0 && Path.DirectorySeparatorChar == '\\')
            {
                Directory.Delete(path, recursive: false);
            }
            else
            {
                System.IO.File.Delete(path);
            }

            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError(null, "CAC9011", GenerateConfigAsCodeManifests.HelpKeyword("CAC9011"), path, 0, 0, 0, 0,
                $"The gate's stamp could not be checked or removed ({e.GetType().Name}: {e.Message}). Delete it.");
            return false;
        }
    }

    /// <summary>
    /// Writes the content beside <paramref name="target"/> and moves it over: a link at the path is replaced, never
    /// written through. netstandard2.0 has no move that overwrites, so the old file is deleted first; when another build
    /// of the project moves its copy in between, the delete and move are tried again. No temporary file is left.
    /// </summary>
    private static void Replace(string target, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            System.IO.File.WriteAllText(temporary, content, new UTF8Encoding(false));
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    System.IO.File.Delete(target);
                    System.IO.File.Move(temporary, target);
                    return;
                }
                catch (IOException) when (attempt < 5)
                {
                    // Another build's move, or a scanner holding the file open on Windows: give it a moment.
                    Thread.Sleep(50 * attempt);
                }
            }
        }
        finally
        {
            if (System.IO.File.Exists(temporary))
            {
                System.IO.File.Delete(temporary);
            }
        }
    }

    private static string HashFiles(IEnumerable<string> paths)
    {
        using var sha = SHA256.Create();
        foreach (var path in paths)
        {
            var name = Encoding.UTF8.GetBytes(Path.GetFileName(path) + "\n");
            sha.TransformBlock(name, 0, name.Length, null, 0);
            var bytes = System.IO.File.ReadAllBytes(path);
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }

        sha.TransformFinalBlock([], 0, 0);
        return SnapshotSignature.Hex(sha.Hash!);
    }

    private string ResolveCommit(string revision)
    {
        try
        {
            var start = new ProcessStartInfo("git", $"rev-parse --verify --quiet \"{string.Concat(revision.Split('"'))}^{{commit}}\"")
            {
                WorkingDirectory = ProjectDirectory ?? Directory.GetCurrentDirectory(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit(30_000);

            // Unresolvable is an input too: the gate reports it (CAC4009) on every build until it resolves.
            return process.ExitCode == 0 ? output : "unresolved";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "no-git";
        }
    }
}
