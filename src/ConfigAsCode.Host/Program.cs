using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ConfigAsCode.Host;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;

// On Linux, .NET takes an advisory flock() on every file it opens and releases it on close: two system calls per
// snapshot (126,000 at 10,000 deployments; about 15% of a populated run there, docs/performance.md) for locks nothing
// else takes. Set before any file is opened. The one lock the host needs is a region lock (OutputLock), which this
// switch does not affect; macOS has no region locks in .NET, so there the open-time lock stays and OutputLock uses it.
if (!OperatingSystem.IsMacOS())
{
    AppContext.SetSwitch("System.IO.DisableFileLocking", true);
}

// Everything the host prints and writes must not depend on the build machine's culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

Dictionary<string, string> options;
try
{
    options = Arguments.Parse(args);
}
catch (ArgumentException e)
{
    Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.ToolFailure.Id, null, 0, "bad host arguments: " + e.Message + " The ConfigAsCode package's targets and host are from different versions; restore the package again.");
    return 2;
}

var handshake = options.GetValueOrDefault("handshake", string.Empty);
var redactor = new Redactor();
Protocol.Redactor = redactor;
var problems = new List<string>();
var timeoutSeconds = Math.Min(Arguments.Count(options, "timeout-seconds", "ConfigAsCodeTimeoutSeconds", problems, minimum: 1) ?? 600, MaximumTimeoutSeconds);
var phase = "starting";
var exitCode = 3;
var timings = new PhaseTimings();

// An exception on a thread user code started would end the process with the runtime's own message, unredacted and
// without a code: it is reported through the protocol, redacted, and the process ends without the handshake.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.HostDidNotComplete.Id, null, 0,
        $"user code failed on a thread of its own ({(e.ExceptionObject as Exception)?.GetType().Name}: {(e.ExceptionObject as Exception)?.Message}). Nothing was written.");
    Environment.Exit(5);
};

// User code runs on its own thread, so a Declare() that never returns is a coded error after the timeout, not a
// build that hangs. Environment.Exit in user code ends the process before the handshake line: the task reports
// that as an incomplete run whatever the exit code.
var worker = new Thread(() => exitCode = Run(options, redactor, problems, p => timings.Enter(phase = p))) { IsBackground = true, Name = "ConfigAsCode evaluation" };
worker.Start();
if (!worker.Join(TimeSpan.FromSeconds(timeoutSeconds)))
{
    Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.HostDidNotComplete.Id, null, 0,
        $"the evaluation did not finish within {timeoutSeconds} s (ConfigAsCodeTimeoutSeconds); it was {phase}. A Declare() or a constructor that loops or waits forever is the usual cause. Nothing was written; raise the timeout only if the platform is that large.");
    Protocol.Done(handshake, 4);
    Environment.Exit(4);
}

timings.Enter("done");
Protocol.Diagnostic(RuleSeverity.Info, string.Empty, null, 0, "ConfigAsCode: time per step: " + timings);
Protocol.Done(handshake, exitCode);

// Exit, not return: a foreground thread user code left running would keep the process (and the build) alive.
Environment.Exit(exitCode);
return exitCode;

static int Run(Dictionary<string, string> options, Redactor redactor, List<string> problems, Action<string> progress)
{
    string? outputDirectory = null;

    // Set once the folder checks passed: only then may host-error.txt be written there.
    string? checkedOutput = null;
    var userOutput = new StringWriter(CultureInfo.InvariantCulture);
    var (stdout, stderr) = (Console.Out, Console.Error);
    try
    {
        var assemblyPath = Path.GetFullPath(options["assembly"]);
        var projectDirectory = Path.GetFullPath(options.GetValueOrDefault("project-dir", Path.GetDirectoryName(assemblyPath)!));
        outputDirectory = Path.GetFullPath(options["output-dir"]);
        var (ciReason, ciProblem) = CiDetector.Detect(Environment.GetEnvironmentVariables(), options.GetValueOrDefault("ci"), Arguments.Bool(options, "ci-build", "ContinuousIntegrationBuild", problems), options.GetValueOrDefault("ci-property"));
        if (ciProblem is not null)
        {
            problems.Add(ciProblem);
        }

        // The severities and thresholds the analyzer sees (.editorconfig, .globalconfig, the Strict preset; not None),
        // under ConfigAsCodeRuleSeverities; paths the compiler recorded under a /pathmap are mapped back.
        var pathMap = PathMap.Parse(options.GetValueOrDefault("path-map"));
        var analyzerConfig = AnalyzerConfigRules.Load(
            options.GetValueOrDefault("analyzer-config", string.Empty).Split(Path.PathSeparator),
            Arguments.Severities(options.GetValueOrDefault("severity", string.Empty), problems),
            pathMap,
            problems);
        var gate = new GateOptions
        {
            ProjectDirectory = projectDirectory,
            SnapshotDirectory = Path.GetFullPath(options.GetValueOrDefault("snapshot-dir", Path.Combine(projectDirectory, "deploy")), projectDirectory),
            OutputDirectory = outputDirectory,
            AllowedRoot = options.TryGetValue("allowed-root", out var root) && root.Trim().Length > 0 ? Path.GetFullPath(root, projectDirectory) : null,
            Accept = Arguments.Bool(options, "accept", "ConfigAsCodeAcceptChanges", problems),
            AllowRemovals = Arguments.Count(options, "allow-removals", "ConfigAsCodeAllowRemovals", problems, minimum: 1),
            ConfigAssemblyName = Path.GetFileNameWithoutExtension(assemblyPath),
            TakeOwnershipFrom = options.TryGetValue("take-ownership-from", out var takeOver) && takeOver.Trim().Length > 0 ? takeOver.Trim() : null,
            CiReason = ciReason,
            MapSourcePath = pathMap.Original,
            SettingDiagnostics = () => analyzerConfig.Warnings.Select(w => new GateDiagnostic(RuleSeverity.Warning, RuleCatalog.InvalidOption.Id, null, 0, w)),
            Rules = analyzerConfig.Platform with { ForSourceFile = analyzerConfig.ForSourceFile, Today = Arguments.Day(options, "today", "ConfigAsCodeToday", problems) },
            Warnings = WarningPolicy.From(
                Arguments.Bool(options, "treat-warnings-as-errors", "TreatWarningsAsErrors", problems),
                options.GetValueOrDefault("warnings-as-errors"),
                options.GetValueOrDefault("warnings-not-as-errors"),
                options.GetValueOrDefault("no-warn")),
            AcceptCommand = options.GetValueOrDefault("accept-command", "dotnet build -p:ConfigAsCodeAcceptChanges=true"),
            PriceFile = options.TryGetValue("price-file", out var priceFile) && priceFile.Trim().Length > 0 ? Path.GetFullPath(priceFile, projectDirectory) : null,
            CostBaseline = options.TryGetValue("cost-baseline", out var baseline) && baseline.Trim().Length > 0 ? baseline.Trim() : null,
            WriteFullTree = Arguments.Bool(options, "write-full-tree", "ConfigAsCodeWriteFullTree", problems),
            Render = new RenderOptions { Layout = Arguments.Layout(options, "layout", "ConfigAsCodeLayout", problems) },
            BaseReport = options.TryGetValue("base-report", out var baseReport) && baseReport.Trim().Length > 0 ? Path.GetFullPath(baseReport.Trim(), projectDirectory) : null,
            DiffLink = options.TryGetValue("diff-link", out var diffLink) && diffLink.Trim().Length > 0 ? diffLink.Trim() : null,
            Redactor = redactor,
            Progress = progress,
        };

        // Checked before anything is read or written: a refused folder gets no reports, no lock file, nothing.
        if (SnapshotFolder.CheckLocations(gate) is { } unsafeFolder)
        {
            Protocol.Diagnostic(unsafeFolder.Severity, unsafeFolder.Code, null, 0, unsafeFolder.Message);
            return 1;
        }

        ManifestFileWriter.MarkOutputFolder(outputDirectory);
        using var exclusive = OutputLock.Acquire(outputDirectory, TimeSpan.FromSeconds(60), progress);
        if (exclusive is null)
        {
            Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.HostDidNotComplete.Id, null, 0, $"another build of this project held '{Path.Combine(outputDirectory, OutputLock.Name)}' for 60 s; nothing was compared or written. Build again when it has finished.");
            return 1;
        }

        // Claimed under the lock, so that of two projects pointed at one new (or earlier version's) output folder at
        // once, one owns it and the other is refused, before either removes a report of the other's.
        if (SnapshotFolder.ClaimOutputFolder(gate))
        {
            gate = gate with { TookOverOutputFolder = true };
        }

        if (SnapshotFolder.CheckLocations(gate) is { } taken)
        {
            Protocol.Diagnostic(taken.Severity, taken.Code, null, 0, taken.Message);
            return 1;
        }

        checkedOutput = outputDirectory;

        // Under the lock: the reports and fresh manifests there may be another build's, still being written. A run
        // that may reuse the last verdict holds them aside instead, where no CI job or reader takes them for this run's.
        var reuseEnabled = !options.TryGetValue("reuse-verdict", out var reuseSetting) || reuseSetting.Trim().Length == 0 || Arguments.Bool(options, "reuse-verdict", "ConfigAsCodeReuseVerdict", problems);
        var inputsFile = options.TryGetValue("inputs-file", out var inputs) && inputs.Trim().Length > 0 ? Path.GetFullPath(inputs.Trim()) : null;
        var notReused = VerdictReuse.Refusal(gate, reuseEnabled, inputsFile);
        var held = problems.Count == 0 && notReused is null && File.Exists(assemblyPath) ? VerdictReuse.Hold(gate) : null;
        if (held is null)
        {
            Reports.RemoveStale(gate);
            notReused ??= "no passing run of these outputs is recorded";
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems.Distinct(StringComparer.Ordinal))
            {
                Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.InvalidOption.Id, null, 0, problem + " Nothing was compared or written.");
            }

            return 1;
        }

        if (!File.Exists(assemblyPath))
        {
            Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.ToolFailure.Id, null, 0, $"the config assembly '{assemblyPath}' does not exist; build the project first.");
            return 2;
        }

        // A run that may reuse the last verdict takes the snapshot folder's listing on the thread pool from now on, while
        // the config assembly loads and is evaluated and fingerprinted: the one the last run recorded when no folder in
        // it has changed since (one status read per folder), or a new listing of every file.
        var listing = held is not null ? System.Threading.Tasks.Task.Run(() => VerdictReuse.RecordedListing(gate.SnapshotDirectory, held) ?? VerdictReuse.SnapshotListing(gate.SnapshotDirectory)) : null;

        // A git: cost baseline is read once, beside the evaluation: the gate judges against these bytes, and a reused
        // verdict is keyed by them (the commit alone can show other bytes).
        var gitBaseline = gate.CostBaseline is { } spec && spec.StartsWith("git:", StringComparison.Ordinal) ? System.Threading.Tasks.Task.Run(() => CostBaseline.ReadGit(spec, gate)) : null;

        progress("loading the config assembly");
        var mayReuse = VerdictReuse.Refusal(gate, reuseEnabled, inputsFile) is null;
        var processState = mayReuse ? ProcessState() : null;
        Console.SetOut(userOutput);
        Console.SetError(userOutput);
        EvaluationResult evaluation;

        // Whose snapshot folder it is, recorded by an accept: the config assembly's name, the same on every machine.
        string? projectName;
        try
        {
            var context = new ConfigAssemblyLoadContext(assemblyPath);
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            projectName = assembly.GetName().Name;
            evaluation = PlatformEvaluator.Evaluate(assembly, progress);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }

        gate = gate with
        {
            Render = gate.Render with { PlatformName = evaluation.PlatformNames.FirstOrDefault() ?? Path.GetFileNameWithoutExtension(assemblyPath), ProjectName = projectName },
            GitBaseline = gitBaseline?.GetAwaiter().GetResult(),
        };

        // The key of this run, when it may reuse or record a verdict: user code that printed is printed redacted by the
        // values only a full run's scan registers. The files the key hashes are hashed again once the run has read them:
        // a verdict is recorded only under the key of what it read.
        string? fingerprint = null;
        var sourceFiles = new HashSet<string>(StringComparer.Ordinal);
        string[]? parts = null;
        string? key = null;
        if (mayReuse)
        {
            progress("fingerprinting the evaluation");
            (fingerprint, var unsupported) = userOutput.GetStringBuilder().Length > 0 ? (null, "user code printed to the console")
                : !string.Equals(ProcessState(), processState, StringComparison.Ordinal) ? (null, "user code changed an environment variable or the current folder, which the gate (and git, for a git: baseline) reads besides the evaluated values")
                : ModelFingerprint.Of(evaluation, sourceFiles);
            parts = fingerprint is null ? null : KeyParts(options, gate, inputsFile!, sourceFiles, analyzerConfig).ToArray();
            key = fingerprint is null || listing is null ? null : VerdictReuse.Key(fingerprint, parts!.Append(listing.GetAwaiter().GetResult()));
            notReused = unsupported is not null ? "it cannot be fingerprinted: " + unsupported : notReused;
        }

        if (held is not null)
        {
            progress("checking the last verdict");
            var matches = key is not null && string.Equals(key, held.Key, StringComparison.Ordinal) && VerdictReuse.HeldOutputsMatch(gate, held);
            try
            {
                if (matches)
                {
                    VerdictReuse.Restore(gate, held);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Put back in part: none of it may stand beside the full run's reports.
                Reports.RemoveStale(gate);
                matches = false;
                key = null;
                notReused = "the last run's outputs could not be put back (" + e.Message + ")";
            }

            if (matches)
            {
                Protocol.Summary("ConfigAsCode: nothing the gate reads has changed since it last passed (the evaluated deployments, the settings and the snapshots are the same): its verdict and reports are reused. -p:ConfigAsCodeReuseVerdict=false runs it in full.");
                foreach (var line in held.Lines)
                {
                    if (line.Kind == "summary")
                    {
                        Protocol.Summary(line.Message);
                    }
                    else
                    {
                        Protocol.Diagnostic(line.Severity, line.Code, line.File, line.Line, line.Message);
                    }
                }

                return 0;
            }

            notReused = key is null ? notReused : string.Equals(key, held.Key, StringComparison.Ordinal) ? "an output of the last run was changed or removed" : "the evaluated deployments or an input of the gate changed (a setting, a file it reads, the snapshot folder)";
            VerdictReuse.RemoveHeld(outputDirectory);
        }

        if (notReused is not null)
        {
            Protocol.Diagnostic(RuleSeverity.Info, string.Empty, null, 0, "ConfigAsCode: the gate runs in full: " + notReused + ".");
        }

        var outcome = GateRunner.Run(evaluation, gate with { ProveListing = fingerprint is not null });

        // What user code printed, after the run registered its secrets, so it is redacted by value too.
        foreach (var line in userOutput.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Protocol.UserOutput(line.TrimEnd('\r'));
        }

        foreach (var line in outcome.Summary)
        {
            Protocol.Summary(line);
        }

        var diagnostics = outcome.Diagnostics;
        foreach (var d in diagnostics)
        {
            Protocol.Diagnostic(d.Severity, d.Code, d.File, d.Line, d.Message);
        }

        // The warnings of a run that passed are replayed by the builds the gate is skipped in (up to date), as the
        // compiler's are not: a later -warnaserror build must still see them.
        var warnings = diagnostics.Where(d => d.Severity == RuleSeverity.Warning).Select(d => Protocol.Line("warning", d.Code, d.File, d.Line, d.Message));
        // Replaced through a temporary file, never written through: a link planted at this path (a clone can carry
        // one under obj/) is replaced, and its target left alone.
        ManifestFileWriter.WriteAtomically(Path.Combine(outputDirectory, Protocol.WarningsFile), new UTF8Encoding(false).GetBytes(string.Concat(warnings.Select(w => w + Environment.NewLine))));
        // Recorded only when the files the key hashed are still as hashed (the gate read them after the key was taken),
        // the evaluation still has the fingerprint it was keyed by and the process its environment and folder (config
        // code that left a thread changing them could have had the gate judge other values), and no snapshot file of
        // someone else's was read for its content (nothing signs it), under the listing the run's own opening of the
        // snapshot folder made (no second listing of 73,000 files). Best effort: a pass that cannot be recorded is still
        // a pass.
        if (fingerprint is not null && parts is not null && outcome.SnapshotListing is { } listed && !outcome.Failed && !outcome.ReadForeignSnapshots
            && KeyParts(options, gate, inputsFile!, sourceFiles).SequenceEqual(parts, StringComparer.Ordinal)
            && string.Equals(ProcessState(), processState, StringComparison.Ordinal)
            && string.Equals(ModelFingerprint.Of(evaluation).Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            progress("recording the verdict");
            try
            {
                var proof = listed.Value;
                VerdictReuse.Record(gate, VerdictReuse.Key(fingerprint, parts.Append(proof.Listing)), [
                .. outcome.Summary.Select(line => new VerdictLine("summary", RuleSeverity.Info, string.Empty, null, 0, line)),
                .. diagnostics.Select(d => new VerdictLine("diagnostic", d.Severity, d.Code, d.File, d.Line, d.Message)),
                ], proof);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Protocol.Diagnostic(RuleSeverity.Info, string.Empty, null, 0, "ConfigAsCode: this verdict was not recorded for reuse (" + e.Message + ").");
            }
        }

        return outcome.Failed ? 1 : 0;
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.SetOut(stdout);
        Console.SetError(stderr);

        // The tool itself failed: one coded error, the stack in a file, both redacted.
        // Written only into an output folder the location checks accepted (never a folder they refused or had not
        // looked at yet), through a temporary file and a rename, like every output.
        var log = checkedOutput is null ? "(not written: the failure came before the output folder was checked)" : Path.Combine(checkedOutput, "host-error.txt");
        try
        {
            if (checkedOutput is not null)
            {
                ManifestFileWriter.WriteAtomically(log, new UTF8Encoding(false).GetBytes(redactor.Redact(e.ToString())));
            }
        }
        catch (Exception write) when (write is IOException or UnauthorizedAccessException)
        {
            log = "(could not be written: " + write.Message + ")";
        }

        // The last run's outputs held aside for reuse go as well: a failed run leaves no report of another run behind.
        if (checkedOutput is not null)
        {
            try
            {
                VerdictReuse.RemoveHeld(checkedOutput);
            }
            catch (Exception remove) when (remove is IOException or UnauthorizedAccessException)
            {
                log += $" (the last run's reports held in '{Path.Combine(checkedOutput, VerdictReuse.HeldFolder)}' could not be removed: {remove.Message})";
            }
        }

        Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.ToolFailure.Id, null, 0, $"ConfigAsCode failed internally ({e.GetType().Name}: {e.Message}). Details: {log}. Please report it.");
        return 3;
    }
}

/// <summary>Constants of the host.</summary>
internal static partial class Program
{
    /// <summary>
    /// The process state user code can change and the gate reads besides the evaluated values: the environment
    /// variables (git reads GIT_DIR for a <c>git:</c> cost baseline) and the current folder.
    /// </summary>
    private static string ProcessState()
    {
        string folder;
        try
        {
            folder = Environment.CurrentDirectory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            folder = "unreadable " + Guid.NewGuid().ToString("N"); // a current folder deleted by config code: changed
        }

        return string.Join('\n', Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => e.Key + "=" + e.Value).Order(StringComparer.Ordinal))
            + "\ncwd=" + folder;
    }

    /// <summary>
    /// Everything the gate's verdict depends on besides the evaluation and the snapshot listing, as key parts: the host's
    /// own build, every option (the handshake is new on every run and decides nothing), the day rules are judged
    /// against, the inputs file (the snapshot folder's signature taken just before this run, the price file, cost
    /// baseline and base report by content), those files again, and the analyzer config files by content. With
    /// <paramref name="analyzerConfig"/>, those as the rules read them (the key); without, as they are now (the check
    /// that nothing the key hashed changed before the verdict is recorded).
    /// </summary>
    private static IEnumerable<string> KeyParts(Dictionary<string, string> options, GateOptions gate, string inputsFile, IEnumerable<string> sourceFiles, AnalyzerConfigRules? analyzerConfig = null)
    {
        // The runtime the host rolled forward to, and the builds of its own assemblies and of the runtime's.
        yield return System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + " " + Environment.Version;
        foreach (var assembly in new[] { typeof(Arguments).Assembly, typeof(GateRunner).Assembly, typeof(ConfigAsCode.InferenceDeployment).Assembly, typeof(object).Assembly, typeof(System.Text.Json.JsonSerializer).Assembly, typeof(System.Collections.Immutable.ImmutableArray).Assembly })
        {
            yield return assembly.GetName().Name + " " + assembly.ManifestModule.ModuleVersionId.ToString("N");
        }

        foreach (var reference in typeof(GateRunner).Assembly.GetReferencedAssemblies().Select(a => a.FullName).Order(StringComparer.Ordinal))
        {
            yield return reference;
        }

        foreach (var (name, value) in options.Where(o => o.Key != "handshake").OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            yield return name;
            yield return value;
        }

        yield return "today=" + (gate.Rules.Today?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none");
        yield return VerdictReuse.FilePart(inputsFile);

        // A git: baseline by what was read (read once, before the run, and judged against those bytes).
        yield return gate.GitBaseline?.KeyPart ?? "git-baseline none";

        // The files the gate reads by content, as they are now (the inputs file hashed them before the compile).
        foreach (var name in new[] { "price-file", "base-report", "cost-baseline" })
        {
            if (options.TryGetValue(name, out var file) && file.Trim().Length > 0 && !file.Trim().StartsWith("git:", StringComparison.Ordinal))
            {
                yield return VerdictReuse.FilePart(Path.GetFullPath(file.Trim(), gate.ProjectDirectory));
            }
        }

        foreach (var file in options.GetValueOrDefault("analyzer-config", string.Empty).Split(Path.PathSeparator).Where(f => f.Trim().Length > 0).Select(f => Path.GetFullPath(f.Trim())))
        {
            yield return analyzerConfig?.ReadPart(file) ?? VerdictReuse.FilePart(file);
        }

        // Where each declaration's file is on this machine (every source location in the evaluation: deployments',
        // budgets'...): a path the compiler recorded under a /pathmap goes to whichever candidate file exists, and
        // diagnostics and per-file settings carry it.
        if (gate.MapSourcePath is { } map)
        {
            foreach (var file in sourceFiles.Where(f => f.Length > 0).Order(StringComparer.Ordinal))
            {
                yield return "source " + file + "=" + map(file);
            }
        }
    }

    /// <summary>A week: anything longer is a typo, and Thread.Join takes milliseconds in an int.</summary>
    private const int MaximumTimeoutSeconds = 7 * 24 * 3600;
}
