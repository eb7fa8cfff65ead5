using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Cost;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// The cost snapshot a change is measured against (CAC4006 and the cost attribution). By default the committed one;
/// with <c>ConfigAsCodeCostBaseline</c>, the base branch's: a path to a cost.json, or <c>git:&lt;revision&gt;</c>, read
/// with <c>git show &lt;revision&gt;:&lt;snapshot folder&gt;/.configascode/cost.json</c>. A baseline that cannot be read is an
/// error (CAC4009), never an empty one: an empty baseline would make every increase look new and unjudged.
/// </summary>
public sealed record CostBaseline(string Description, IReadOnlyDictionary<string, CostSnapshot.Entry> Entries)
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Loads the baseline named by <paramref name="spec"/>, or returns why it cannot be read.</summary>
    public static (CostBaseline? Baseline, string? Problem) Load(string? spec, GateOptions options, IReadOnlyDictionary<string, CostSnapshot.Entry> committed)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = GateRunner.Relative(options, Path.Combine(options.SnapshotDirectory, CostSnapshot.Path));
        if (string.IsNullOrWhiteSpace(spec))
        {
            return (new CostBaseline($"the committed snapshot {snapshot}", committed), null);
        }

        spec = spec.Trim();
        if (!spec.StartsWith("git:", StringComparison.Ordinal))
        {
            return FromFile(spec, options);
        }

        // What the host read before the run (and keyed a reused verdict by), else read now.
        var read = options.GitBaseline is { } before && string.Equals(before.Spec, spec, StringComparison.Ordinal) ? before : ReadGit(spec, options);
        if (read.Problem is not null)
        {
            return (null, read.Problem);
        }

        if (read.Content is null)
        {
            return (new CostBaseline(read.Described + ", which has no cost snapshot: every deployment is new", new Dictionary<string, CostSnapshot.Entry>()), null);
        }

        return CostSnapshot.Parse(read.Content) is { } entries
            ? (new CostBaseline(read.Described, entries), null)
            : (null, $"{read.PathInRepository} at {read.Spec.Substring(4).Trim()} is not a readable cost snapshot.");
    }

    /// <summary>
    /// What a <c>git:</c> baseline read: the commit the revision named, the path in it, and the bytes there (null when
    /// that revision has no cost snapshot), or why it could not be read. The host reads it once, before the run, so a
    /// reused verdict is keyed by exactly what the gate judged against (<see cref="KeyPart"/>), not only by the commit:
    /// the same commit can show other bytes (a replace ref, a repository root found elsewhere).
    /// </summary>
    public sealed record GitRead(string Spec, string? Commit, string? PathInRepository, string Described, byte[]? Content, string? Problem)
    {
        /// <summary>One line for the reuse key: the commit, the path and the SHA-256 of the bytes, or the problem.</summary>
        public string KeyPart => $"git-baseline {Spec}\n{Commit}\n{PathInRepository}\n"
            + (Problem ?? (Content is null ? "no cost snapshot" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Content))));
    }

    /// <summary>Reads the <c>git:&lt;revision&gt;</c> baseline <paramref name="spec"/> names (see <see cref="GitRead"/>).</summary>
    public static GitRead ReadGit(string spec, GateOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        spec = spec.Trim();
        var revision = spec.StartsWith("git:", StringComparison.Ordinal) ? spec.Substring(4).Trim() : spec;
        var (commit, inRepository, described, content, problem) = FromGit(revision, options);
        return new GitRead(spec, commit, inRepository, described ?? spec, content, problem);
    }

    private static (CostBaseline?, string?) FromFile(string path, GateOptions options)
    {
        var full = Path.GetFullPath(path, options.ProjectDirectory);
        if (!File.Exists(full))
        {
            return (null, $"the cost baseline '{path}' (ConfigAsCodeCostBaseline) does not exist. Point it at the base branch's cost.json, or use git:<revision>.");
        }

        byte[] bytes;
        try
        {
            bytes = UserFile.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"the cost baseline '{path}' (ConfigAsCodeCostBaseline) cannot be read: {e.Message}.");
        }

        return CostSnapshot.Parse(bytes) is { } entries
            ? (new CostBaseline($"'{path}'", entries), null)
            : (null, $"the cost baseline '{path}' is not a ConfigAsCode cost snapshot. Point it at the base branch's .configascode/cost.json.");
    }

    private static (string? Commit, string? InRepository, string? Described, byte[]? Content, string? Problem) FromGit(string revision, GateOptions options)
    {
        if (revision.Length == 0 || revision.StartsWith('-') || revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return (null, null, null, null, $"'git:{revision}' does not name a revision. Use git:<branch, tag or commit>, for example git:origin/main.");
        }

        // Git says where the project is in the repository (a stray .git folder on the way is not a repository to it),
        // and every command runs from the project folder, as the task resolves the commit.
        var project = options.ProjectDirectory;
        var (inRepository, prefix, prefixError) = Git(project, ["rev-parse", "--show-prefix"]);
        if (!inRepository)
        {
            return (null, null, null, null, $"ConfigAsCodeCostBaseline=git:{revision} needs a Git repository, and '{project}' is not in one{(prefixError.Length > 0 ? $" ({prefixError})" : string.Empty)}.");
        }

        var (verified, commit, error) = Git(project, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"]);
        if (!verified)
        {
            return (null, null, null, null, $"the cost baseline revision '{revision}' is not in this clone{(error.Length > 0 ? $" ({error})" : string.Empty)}. In CI, fetch the base branch first (GitHub Actions: actions/checkout with fetch-depth: 0, or 'git fetch origin <base> --depth=1').");
        }

        commit = commit.Trim();
        var path = InRepository(prefix.Trim(), Path.GetRelativePath(project, Path.Combine(options.SnapshotDirectory, CostSnapshot.Path)));
        if (path is null)
        {
            return (commit, null, null, null, $"the snapshot folder '{options.SnapshotDirectory}' is not inside the Git repository of '{project}', so ConfigAsCodeCostBaseline=git:{revision} has nothing to read. Point it at a cost.json file instead.");
        }

        var described = $"git:{revision} ({commit.Substring(0, Math.Min(12, commit.Length))}:{path})";
        var (exists, _, _) = Git(project, ["cat-file", "-e", $"{commit}:{path}"]);
        if (!exists)
        {
            // A change that moves the snapshot folder (or renames the project) must not empty its own baseline: the
            // base revision's one cost snapshot elsewhere is the baseline; several, and the build cannot guess.
            var (listed, tree, listError) = Git(project, ["ls-tree", "-r", "--full-tree", "--name-only", "--end-of-options", commit]);
            if (!listed)
            {
                return (commit, path, described, null, $"'git ls-tree {commit}' failed ({listError}).");
            }

            var candidates = tree.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p == CostSnapshot.Path || p.EndsWith("/" + CostSnapshot.Path, StringComparison.Ordinal))
                .ToArray();
            if (candidates.Length > 1)
            {
                return (commit, path, described, null, $"{revision} has no cost snapshot at {path}, and {candidates.Length} elsewhere ({string.Join(", ", candidates.Take(5))}); the build cannot tell which one this project's was. Point ConfigAsCodeCostBaseline at the file (git show {revision}:<path> > base-cost.json).");
            }

            if (candidates.Length == 0)
            {
                return (commit, path, described, null, null);
            }

            path = candidates[0];
            described = $"git:{revision} ({commit.Substring(0, Math.Min(12, commit.Length))}:{path}, where the snapshot folder was at that revision)";
        }

        var (shown, content, showError) = Git(project, ["show", $"{commit}:{path}"]);
        return shown
            ? (commit, path, described, System.Text.Encoding.UTF8.GetBytes(content), null)
            : (commit, path, described, null, $"'git show {commit}:{path}' failed ({showError}).");
    }

    // The path from the repository's top to the file: Git's prefix of the project folder, then the way from the project
    // folder ("../deploy" included); null when that way leaves the repository.
    private static string? InRepository(string prefix, string fromProject)
    {
        var segments = new List<string>();
        foreach (var segment in (prefix + "/" + fromProject.Replace('\\', '/')).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return string.Join("/", segments);
    }

    private static (bool Succeeded, string Output, string Error) Git(string folder, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(folder);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(GitTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (false, string.Empty, $"git did not answer within {GitTimeout.TotalSeconds:0} s");
            }

            return (process.ExitCode == 0, output.Result, error.Result.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (false, string.Empty, "git is not installed or not on PATH: " + e.Message);
        }
    }
}
