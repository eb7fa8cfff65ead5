using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

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

    /// <summary>True when the file was rewritten.</summary>
    [Output]
    public bool Changed { get; set; }

    public override bool Execute()
    {
        var lines = new List<string>();
        lines.AddRange(Properties.Select(p => p.ItemSpec));
        lines.Add("tool=" + HashFiles(ToolFiles.Select(t => t.GetMetadata("FullPath")).Where(System.IO.File.Exists).OrderBy(p => p, StringComparer.Ordinal)));
        lines.Add("snapshots=" + SignFolder(SnapshotDirectory));
        if (CostBaseline is { Length: > 4 } baseline && baseline.StartsWith("git:", StringComparison.Ordinal))
        {
            lines.Add("baseline-commit=" + ResolveCommit(baseline.Substring(4).Trim()));
        }

        var content = string.Join("\n", lines) + "\n";
        var existing = System.IO.File.Exists(File) ? System.IO.File.ReadAllText(File) : null;
        if (!string.Equals(existing, content, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
            System.IO.File.WriteAllText(File, content, new UTF8Encoding(false));
            Changed = true;
        }

        return !Log.HasLoggedErrors;
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

    private static string SignFolder(string? folder)
    {
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return "absent";
        }

        var root = Path.GetFullPath(folder!);
        var files = new List<string>();
        Collect(root, files);
        files.Sort(StringComparer.Ordinal);
        var hashes = new byte[files.Count][];
        System.Threading.Tasks.Parallel.For(0, files.Count, () => SHA256.Create(), (i, _, sha) =>
        {
            var relative = Encoding.UTF8.GetBytes(files[i].Substring(root.Length) + "\n");
            sha.Initialize();
            sha.TransformBlock(relative, 0, relative.Length, null, 0);
            var bytes = System.IO.File.ReadAllBytes(files[i]);
            sha.TransformFinalBlock(bytes, 0, bytes.Length);
            hashes[i] = sha.Hash!;
            return sha;
        }, sha => sha.Dispose());

        using var all = SHA256.Create();
        foreach (var hash in hashes)
        {
            all.TransformBlock(hash, 0, hash.Length, null, 0);
        }

        all.TransformFinalBlock([], 0, 0);
        return files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + Hex(all.Hash!);
    }

    // Files only; links are signed by their target text, never followed (the gate refuses them anyway).
    private static void Collect(string directory, List<string> files)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                files.Add(entry.FullName);
            }
            else if (entry is DirectoryInfo)
            {
                Collect(entry.FullName, files);
            }
            else
            {
                files.Add(entry.FullName);
            }
        }
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
