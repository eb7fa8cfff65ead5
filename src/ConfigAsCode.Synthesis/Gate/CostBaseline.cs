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
        return spec.StartsWith("git:", StringComparison.Ordinal) ? FromGit(spec.Substring(4).Trim(), options) : FromFile(spec, options);
    }

    private static (CostBaseline?, string?) FromFile(string path, GateOptions options)
    {
        var full = Path.GetFullPath(path, options.ProjectDirectory);
        if (!File.Exists(full))
        {
            return (null, $"the cost baseline '{path}' (ConfigAsCodeCostBaseline) does not exist. Point it at the base branch's cost.json, or use git:<revision>.");
        }

        return CostSnapshot.Parse(File.ReadAllBytes(full)) is { } entries
            ? (new CostBaseline($"'{path}'", entries), null)
            : (null, $"the cost baseline '{path}' is not a ConfigAsCode cost snapshot. Point it at the base branch's .configascode/cost.json.");
    }

    private static (CostBaseline?, string?) FromGit(string revision, GateOptions options)
    {
        if (revision.Length == 0 || revision.StartsWith('-') || revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return (null, $"'git:{revision}' does not name a revision. Use git:<branch, tag or commit>, for example git:origin/main.");
        }

        var root = SnapshotFolder.RepositoryRoot(options.ProjectDirectory);
        if (root is null)
        {
            return (null, $"ConfigAsCodeCostBaseline=git:{revision} needs a Git repository, and '{options.ProjectDirectory}' is not in one.");
        }

        var (verified, commit, error) = Git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"]);
        if (!verified)
        {
            return (null, $"the cost baseline revision '{revision}' is not in this clone{(error.Length > 0 ? $" ({error})" : string.Empty)}. In CI, fetch the base branch first (GitHub Actions: actions/checkout with fetch-depth: 0, or 'git fetch origin <base> --depth=1').");
        }

        commit = commit.Trim();
        var inRepository = Path.GetRelativePath(root, Path.Combine(options.SnapshotDirectory, CostSnapshot.Path)).Replace('\\', '/');
        var described = $"git:{revision} ({commit.Substring(0, Math.Min(12, commit.Length))}:{inRepository})";
        var (exists, _, _) = Git(root, ["cat-file", "-e", $"{commit}:{inRepository}"]);
        if (!exists)
        {
            // A change that moves the snapshot folder (or renames the project) must not empty its own baseline: the
            // base revision's one cost snapshot elsewhere is the baseline; several, and the build cannot guess.
            var (listed, tree, listError) = Git(root, ["ls-tree", "-r", "--name-only", "--end-of-options", commit]);
            if (!listed)
            {
                return (null, $"'git ls-tree {commit}' failed ({listError}).");
            }

            var candidates = tree.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p == CostSnapshot.Path || p.EndsWith("/" + CostSnapshot.Path, StringComparison.Ordinal))
                .ToArray();
            if (candidates.Length > 1)
            {
                return (null, $"{revision} has no cost snapshot at {inRepository}, and {candidates.Length} elsewhere ({string.Join(", ", candidates.Take(5))}); the build cannot tell which one this project's was. Point ConfigAsCodeCostBaseline at the file (git show {revision}:<path> > base-cost.json).");
            }

            if (candidates.Length == 0)
            {
                return (new CostBaseline(described + ", which has no cost snapshot: every deployment is new", new Dictionary<string, CostSnapshot.Entry>()), null);
            }

            inRepository = candidates[0];
            described = $"git:{revision} ({commit.Substring(0, Math.Min(12, commit.Length))}:{inRepository}, where the snapshot folder was at that revision)";
        }

        var (shown, content, showError) = Git(root, ["show", $"{commit}:{inRepository}"]);
        if (!shown)
        {
            return (null, $"'git show {commit}:{inRepository}' failed ({showError}).");
        }

        return CostSnapshot.Parse(System.Text.Encoding.UTF8.GetBytes(content)) is { } entries
            ? (new CostBaseline(described, entries), null)
            : (null, $"{inRepository} at {revision} is not a readable cost snapshot.");
    }

    private static (bool Succeeded, string Output, string Error) Git(string root, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(root);
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
