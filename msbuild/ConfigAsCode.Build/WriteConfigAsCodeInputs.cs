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
/// baseline and the commit it resolves to), the tool's identity (a hash of the host's assemblies), and a content
/// signature of the snapshot folder (a hash of every file's path and bytes: an edit that keeps the timestamp, a
/// deleted or an added file all change it). Links are not followed, and the signature is computed in parallel.
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

    /// <summary>True when the file was rewritten.</summary>
    [Output]
    public bool Changed { get; set; }

    /// <summary>
    /// The content hash of a file the gate reads, "absent", or "unreadable": the host reports an unreadable price file,
    /// baseline or base report with its own code (CAC4004, CAC4009, the PR comment); a task stack trace helps nobody.
    /// </summary>
    private static string ContentSignature(string file)
    {
        try
        {
            return System.IO.File.Exists(file) ? HashFiles([file]) : "absent";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable (" + e.GetType().Name + ")";
        }
    }

    public override bool Execute()
    {
        if (!string.IsNullOrEmpty(Stamp) && !ClearStamp(Path.GetFullPath(Stamp)))
        {
            return false;
        }

        var lines = new List<string>();
        lines.AddRange(Properties.Select(p => p.ItemSpec));
        lines.Add("tool=" + HashFiles(ToolFiles.Select(t => t.GetMetadata("FullPath")).Where(System.IO.File.Exists).OrderBy(p => p, StringComparer.Ordinal)));
        lines.Add("engine-warnings-as-errors=" + GenerateConfigAsCodeManifests.EngineWarningsAsErrors(BuildEngine));
        foreach (var file in ContentFiles.Select(f => f.GetMetadata("FullPath")).Where(f => f.Length > 0).OrderBy(p => p, StringComparer.Ordinal))
        {
            lines.Add("content " + file + "=" + ContentSignature(file));
        }

        lines.Add("snapshots=" + SignFolder(SnapshotDirectory));
        if (CostBaseline is { Length: > 4 } baseline && baseline.StartsWith("git:", StringComparison.Ordinal))
        {
            lines.Add("baseline-commit=" + ResolveCommit(baseline.Substring(4).Trim()));
        }

        var content = string.Join("\n", lines) + "\n";
        var target = Path.GetFullPath(File);

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
        return Hex(sha.Hash!);
    }

    // The files the gate owns, as its index lists them, plus the index itself and any interrupted accept: only those
    // decide the verdict (files it does not own are never compared), and a folder the gate would refuse is never
    // walked here (a snapshot folder set to '..' must not be read before the host refuses it). An owned path that is
    // a link is signed as a link, never followed; a file that cannot be read is signed as such.
    private static string SignFolder(string? folder)
    {
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return "absent";
        }

        var root = Path.GetFullPath(folder!);
        var state = Path.Combine(root, ".configascode");
        var files = new List<string>();
        foreach (var name in new[] { "provenance.json", "cost.json", "accept-journal.json" })
        {
            files.Add(Path.Combine(state, name));
        }

        files.AddRange(OwnedPaths(Path.Combine(state, "provenance.json")).Select(p => Path.Combine(root, p.Replace('/', Path.DirectorySeparatorChar))));
        var staging = Path.Combine(state, "staging");
        var stagingMark = Directory.Exists(staging) ? "staging" : string.Empty;

        // Files are hashed in a fixed number of runs (the same signature on every machine), one incremental hash and
        // one read buffer per run: at 10,000 deployments (73,400 files, 109 MB) a hash object and an array per file
        // cost a third of the task's time on every build.
        var runs = new byte[SignatureRuns][];
        System.Threading.Tasks.Parallel.For(0, SignatureRuns, run =>
        {
            using var signature = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            for (var i = run * files.Count / SignatureRuns; i < (run + 1) * files.Count / SignatureRuns; i++)
            {
                // Each file adds a fixed-shape record (its path's length, the path, its state, its content's digest),
                // so no two folder states feed the same bytes.
                var relative = files[i].Substring(root.Length);
                var state = SignFile(content, files[i], buffer);
                Append(signature, relative.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + relative + "=" + state + ":");
                var digest = content.GetHashAndReset();
                signature.AppendData(digest, 0, digest.Length);
            }

            runs[run] = signature.GetHashAndReset();
        });

        using var all = SHA256.Create();
        foreach (var run in runs)
        {
            all.TransformBlock(run, 0, run.Length, null, 0);
        }

        all.TransformFinalBlock([], 0, 0);
        return files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Hex(all.Hash!) + stagingMark;
    }

    private const int SignatureRuns = 16;

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        hash.AppendData(bytes, 0, bytes.Length);
    }

    /// <summary>
    /// Adds a file's content to <paramref name="content"/> and returns "content", or returns "absent", "link" (never
    /// followed) or "unreadable".
    /// </summary>
    private static string SignFile(IncrementalHash content, string path, byte[] buffer)
    {
        try
        {
            var info = new FileInfo(path);
            var attributes = info.Attributes;
            if ((int)attributes == -1)
            {
                return "absent"; // nothing there: the attributes read as -1, which has the link bit
            }

            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                return "link";
            }

            if (!info.Exists)
            {
                return "absent"; // a folder where a file is owned
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                content.AppendData(buffer, 0, read);
            }

            return "content";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }

    private static IEnumerable<string> OwnedPaths(string index)
    {
        string text;
        try
        {
            // Never through a link (a committed one to /dev/zero would never end): the host refuses it (CAC9011).
            var info = new FileInfo(index);
            text = info.Exists && (info.Attributes & FileAttributes.ReparsePoint) == 0 ? System.IO.File.ReadAllText(index) : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        // The index is JSON; its paths are the values of "path" keys. A damaged one is the host's to report. Found
        // with IndexOf (a regex over the 12 MB index of 10,000 deployments took 0.4 s on every build); a value with
        // an escape is skipped, as no path the gate writes has one.
        const string key = "\"path\"";
        var at = 0;
        while ((at = text.IndexOf(key, at, StringComparison.Ordinal)) >= 0)
        {
            var i = SkipSpace(text, at + key.Length);
            if (i >= text.Length || text[i] != ':')
            {
                at++; // as the regex, which tries again one character on
                continue;
            }

            i = SkipSpace(text, i + 1);
            if (i >= text.Length || text[i] != '"')
            {
                at++;
                continue;
            }

            var end = text.IndexOfAny(QuoteOrEscape, i + 1);
            if (end < 0)
            {
                yield break;
            }

            at = end + 1;
            var path = text.Substring(i + 1, end - i - 1);

            // A path no file system accepts (a control character, or one .NET Framework refuses in a path) would
            // throw from Path.Combine or FileInfo: a task stack trace instead of the host's CAC9011 for the index.
            if (text[end] == '"' && path.Length > 0 && !path.StartsWith("/", StringComparison.Ordinal) && path.IndexOf("..", StringComparison.Ordinal) < 0 && path.IndexOf(':') < 0
                && path.IndexOfAny(Unusable) < 0)
            {
                yield return path;
            }
        }
    }

    private static readonly char[] QuoteOrEscape = ['"', '\\'];

    private static readonly char[] Unusable = Path.GetInvalidPathChars().Concat(Enumerable.Range(0, 32).Select(c => (char)c)).Concat(['*', '?', '|', '<', '>', '"']).Distinct().ToArray();

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private string ResolveCommit(string revision)
    {
        try
        {
            var start = new ProcessStartInfo("git", $"rev-parse --verify --quiet \"{revision.Replace("\"", string.Empty)}^{{commit}}\"")
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

    private static string Hex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
