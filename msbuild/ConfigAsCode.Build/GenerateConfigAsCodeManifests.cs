using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigAsCode.Build;

/// <summary>
/// Runs the ConfigAsCode host out of process (<c>dotnet exec … ConfigAsCode.Host.dll</c>) against the built config
/// assembly, and turns its protocol lines into MSBuild errors, warnings and messages with code, file and line.
/// MSBuild never loads user code, so nothing locks the user's assembly in a long-lived build node. Every decision
/// (severities, warnings as errors, CI) is the host's; this task only relays, and fails when the host did not
/// finish its run (no completion handshake: killed, crashed, or user code called Environment.Exit).
/// </summary>
public sealed class GenerateConfigAsCodeManifests : ToolTask
{
    private const string Prefix = "##configascode|";
    private readonly string _handshake = Guid.NewGuid().ToString("N");
    private bool _completed;
    private string? _crash;
    private bool _reportedError;

    /// <summary>The host's entry assembly (<c>tools/host/ConfigAsCode.Host.dll</c> in the package).</summary>
    [Required]
    public string HostPath { get; set; } = string.Empty;

    /// <summary>The built config assembly in the output folder, beside its dependencies.</summary>
    [Required]
    public string AssemblyPath { get; set; } = string.Empty;

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    [Required]
    public string SnapshotDirectory { get; set; } = string.Empty;

    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>The folder the snapshot and output folders must be inside; empty for the Git repository.</summary>
    public string? AllowedRoot { get; set; }

    /// <summary><c>true</c> or <c>false</c>; validated by the host (CAC9015).</summary>
    public string? AcceptChanges { get; set; }

    /// <summary>The number of snapshot files an accept may remove past the removal guard.</summary>
    public string? AllowRemovals { get; set; }

    /// <summary>The project whose snapshot folder this project takes over, exactly as the refusal named it.</summary>
    public string? TakeOwnershipFrom { get; set; }

    /// <summary>Explicit CI answer (<c>true</c>/<c>false</c>); empty to detect from the environment.</summary>
    public string? IsCI { get; set; }

    public string? ContinuousIntegrationBuild { get; set; }

    /// <summary>
    /// The MSBuild property <c>CI</c>: the environment variable of that name, or a <c>-p:CI=true</c> the host's
    /// environment does not have.
    /// </summary>
    public string? CiProperty { get; set; }

    public string? NoWarn { get; set; }

    public string? WarningsAsErrors { get; set; }

    public string? WarningsNotAsErrors { get; set; }

    public string? TreatWarningsAsErrors { get; set; }

    /// <summary><c>MSBuildTreatWarningsAsErrors</c>: the engine-level switch a project can set.</summary>
    public string? MSBuildTreatWarningsAsErrors { get; set; }

    /// <summary>Per-rule severities, <c>CAC1006=error;CAC4001=none</c>.</summary>
    public string? RuleSeverities { get; set; }

    /// <summary>
    /// The analyzer config files the compiler reads (<c>@(EditorConfigFiles)</c>, <c>@(GlobalAnalyzerConfigFiles)</c>):
    /// the host takes severities and thresholds from them as the analyzer does.
    /// </summary>
    public ITaskItem[]? AnalyzerConfigFiles { get; set; }

    /// <summary>The compiler's <c>PathMap</c>, to map caller-information paths of a deterministic build back.</summary>
    public string? PathMap { get; set; }

    /// <summary>A price file applied over the shipped catalog.</summary>
    public string? PriceFile { get; set; }

    /// <summary>The cost snapshot the change is measured against: a path or <c>git:&lt;revision&gt;</c>.</summary>
    public string? CostBaseline { get; set; }

    /// <summary>The base branch's report.json, for pr-comment.md's findings and readiness delta.</summary>
    public string? BaseReport { get; set; }

    /// <summary>A link to the full diff (a CI run's artifacts), for pr-comment.md.</summary>
    public string? DiffLink { get; set; }

    /// <summary>The day suppression expiry is judged against (<c>yyyy-MM-dd</c>).</summary>
    public string? Today { get; set; }

    /// <summary><c>true</c> to write every rendered file under the output folder, not only what changed.</summary>
    public string? WriteFullTree { get; set; }

    /// <summary><c>object</c> (one object per file, the default) or <c>app</c> (one <c>manifests.yaml</c> per app and environment).</summary>
    public string? Layout { get; set; }

    /// <summary>Seconds the evaluation may take before it is a coded error (CAC9014).</summary>
    public string? TimeoutSeconds { get; set; }

    /// <summary>The command shown to accept drift.</summary>
    public string? AcceptCommand { get; set; }

    /// <summary>
    /// The gate's inputs file (<c>configascode.inputs</c>, signed just before the host runs): with it, a build outside
    /// CI may reuse the last passing verdict when the evaluated deployments and every input are unchanged.
    /// </summary>
    public string? InputsFile { get; set; }

    /// <summary><c>ConfigAsCodeReuseVerdict</c>: false runs the gate in full on every build the gate runs in.</summary>
    public string? ReuseVerdict { get; set; }

    protected override string ToolName => "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    public override bool Execute()
    {
        if (!File.Exists(HostPath))
        {
            Log.LogError(null, "CAC9009", null, null, 0, 0, 0, 0, $"The ConfigAsCode host was not found at '{HostPath}'. Restore the ConfigAsCode package, or set ConfigAsCodeHostPath.");
            return false;
        }

        // A backstop only: the host enforces the timeout itself and says what was running. This catches a host that
        // cannot even report (a deadlock in the runtime, a machine under swap).
        var seconds = int.TryParse(TimeoutSeconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 600;
        Timeout = (int)Math.Min(int.MaxValue, (seconds + 60L) * 1000L);

        var succeeded = base.Execute();
        if (_completed && ExitCode == -1 && !_reportedError)
        {
            Log.LogError(null, "CAC9014", HelpKeyword("CAC9014"), null, 0, 0, 0, 0,
                "The ConfigAsCode evaluation completed but its process did not end: user code left a foreground thread running. The build step was stopped; end the threads Declare() starts.");
        }
        else if (!_completed && !_reportedError)
        {
            Log.LogError(null, "CAC9014", HelpKeyword("CAC9014"), null, 0, 0, 0, 0, IncompleteRun(ExitCode, _crash));
        }

        return succeeded && _completed && !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The error for a run without the completion handshake, with the runtime's one line on an unhandled exception
    /// when there was one: a host that cannot load the tool's own assemblies is a broken package, not user code.
    /// </summary>
    internal static string IncompleteRun(int exitCode, string? crash)
    {
        var text = $"The ConfigAsCode evaluation ended without completing (exit code {exitCode}): the host was killed, crashed, or user code called Environment.Exit. Nothing it printed counts; no stamp was written, so the next build runs the gate again. Run the build with -v:detailed to see its output.";
        if (crash is null)
        {
            return text;
        }

        text += " The host's runtime said: " + crash;
        // The tool's own assemblies by their exact names: a user's ConfigAsCodeHelpers or ConfigAsCode.Platform is not the package.
        return crash.IndexOf("Could not load file or assembly 'ConfigAsCode,", StringComparison.Ordinal) >= 0
            || crash.IndexOf("Could not load file or assembly 'ConfigAsCode.Synthesis,", StringComparison.Ordinal) >= 0
            ? text + " The ConfigAsCode package's host is incomplete (its deps.json or an assembly of the tool is missing): delete the package from the NuGet cache (dotnet nuget locals global-packages --clear, or its folder) and restore again; when building the package from source, pack it again."
            : text;
    }

    /// <summary>The runtime's line for an unhandled exception, redacted and cut to one short line, or null.</summary>
    internal static string? CrashLine(string line)
    {
        if (!line.StartsWith("Unhandled exception.", StringComparison.Ordinal))
        {
            return null;
        }

        var redacted = ConfigAsCode.Synthesis.Secrets.SecretDetector.Redact(line).Replace('\r', ' ').Replace('\n', ' ');
        return redacted.Length <= 400 ? redacted : redacted.Substring(0, 400) + "…";
    }

    // The host reports its own errors with codes; MSBuild's generic "exited with code N" (MSB6006) would be a second
    // error for the same failure.
    protected override bool HandleTaskExecutionErrors() => false;

    protected override string GenerateFullPathToTool()
    {
        // The dotnet that runs this build, so the host runs on the same SDK installation.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host! : ToolName;
    }

    protected override string GenerateCommandLineCommands()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(HostPath))!;
        var name = Path.GetFileNameWithoutExtension(HostPath);
        var builder = new CommandLineBuilder();
        builder.AppendSwitch("exec");
        builder.AppendSwitchIfNotNull("--runtimeconfig ", Path.Combine(directory, name + ".runtimeconfig.json"));
        builder.AppendSwitchIfNotNull("--depsfile ", Path.Combine(directory, name + ".deps.json"));
        builder.AppendFileNameIfNotNull(Path.GetFullPath(HostPath));
        builder.AppendSwitchIfNotNull("--assembly ", Path.GetFullPath(AssemblyPath));
        builder.AppendSwitchIfNotNull("--project-dir ", Path.GetFullPath(ProjectDirectory));
        builder.AppendSwitchIfNotNull("--snapshot-dir ", Path.GetFullPath(SnapshotDirectory));
        builder.AppendSwitchIfNotNull("--output-dir ", Path.GetFullPath(OutputDirectory));
        builder.AppendSwitchIfNotNull("--handshake ", _handshake);
        Append(builder, "--allowed-root ", AllowedRoot);
        Append(builder, "--accept ", AcceptChanges);
        Append(builder, "--allow-removals ", AllowRemovals);
        Append(builder, "--take-ownership-from ", TakeOwnershipFrom);
        Append(builder, "--ci ", IsCI);
        Append(builder, "--ci-build ", ContinuousIntegrationBuild);
        Append(builder, "--ci-property ", CiProperty);
        Append(builder, "--severity ", RuleSeverities);
        Append(builder, "--analyzer-config ", string.Join(Path.PathSeparator.ToString(), (AnalyzerConfigFiles ?? []).Select(f => f.GetMetadata("FullPath")).Distinct(StringComparer.Ordinal)));
        Append(builder, "--path-map ", PathMap);
        Append(builder, "--price-file ", PriceFile);
        Append(builder, "--cost-baseline ", CostBaseline);
        Append(builder, "--today ", Today);
        Append(builder, "--base-report ", BaseReport);
        Append(builder, "--diff-link ", DiffLink);
        Append(builder, "--write-full-tree ", WriteFullTree);
        Append(builder, "--layout ", Layout);
        Append(builder, "--timeout-seconds ", TimeoutSeconds);
        Append(builder, "--treat-warnings-as-errors ", string.Equals(MSBuildTreatWarningsAsErrors?.Trim(), "true", StringComparison.OrdinalIgnoreCase) ? "true" : TreatWarningsAsErrors);
        Append(builder, "--warnings-as-errors ", WarningsAsErrors + ";" + EngineWarningsAsErrors(BuildEngine));
        Append(builder, "--warnings-not-as-errors ", WarningsNotAsErrors);
        Append(builder, "--no-warn ", NoWarn);
        builder.AppendSwitchIfNotNull("--accept-command ", string.IsNullOrWhiteSpace(AcceptCommand) ? "dotnet build -p:ConfigAsCodeAcceptChanges=true" : AcceptCommand);
        Append(builder, "--inputs-file ", string.IsNullOrWhiteSpace(InputsFile) ? null : Path.GetFullPath(InputsFile));
        Append(builder, "--reuse-verdict ", ReuseVerdict);
        return builder.ToString();
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (singleLine is null || !singleLine.StartsWith(Prefix, StringComparison.Ordinal))
        {
            // Anything outside the protocol (a runtime message, a crash) is redacted by format before it is logged.
            _crash ??= singleLine is null ? null : CrashLine(singleLine);
            base.LogEventsFromTextOutput(singleLine is null ? null! : ConfigAsCode.Synthesis.Secrets.SecretDetector.Redact(singleLine), messageImportance);
            return;
        }

        if (Parse(singleLine) is not { } parsed)
        {
            // A line that starts like the protocol but is not one is redacted like any other foreign line.
            base.LogEventsFromTextOutput(ConfigAsCode.Synthesis.Secrets.SecretDetector.Redact(singleLine), messageImportance);
            return;
        }

        var (kind, code, file, line, text) = parsed;
        switch (kind)
        {
            case "done":
                _completed = string.Equals(code, _handshake, StringComparison.Ordinal);
                break;
            case "error":
                _reportedError = true;
                Log.LogError(null, code, HelpKeyword(code), file, line, 0, 0, 0, text);
                break;
            case "warning":
                Log.LogWarning(null, code, HelpKeyword(code), file, line, 0, 0, 0, text);
                break;
            case "summary":
                Log.LogMessage(MessageImportance.High, text);
                break;
            case "output":
                Log.LogMessage(MessageImportance.Low, "user code: " + text);
                break;
            default:
                Log.LogMessage(MessageImportance.Normal, code.Length == 0 ? text : $"{(file is null ? string.Empty : $"{file}({line}): ")}{code}: {text}");
                break;
        }
    }

    /// <summary>
    /// The rule codes the engine itself turns into errors (<c>-warnaserror</c>, <c>-warnaserror:CAC1006</c>), which no
    /// property shows: the host must know them, or an accept would go through while the build fails.
    /// </summary>
    internal static string EngineWarningsAsErrors(IBuildEngine? engine) =>
        engine is IBuildEngine8 asker
            ? string.Join(";", ConfigAsCode.Synthesis.Rules.RuleCatalog.All.Select(r => r.Id).Where(asker.ShouldTreatWarningAsError))
            : string.Empty;

    /// <summary>A protocol line's parts, or null for any other line.</summary>
    internal static (string Kind, string Code, string? File, int Line, string Text)? Parse(string singleLine)
    {
        if (!singleLine.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = singleLine.Substring(Prefix.Length).Split(new[] { '|' }, 5);
        if (parts.Length < 5)
        {
            return null;
        }

        int.TryParse(parts[3], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var line);
        return (parts[0], parts[1], parts[2].Length == 0 ? null : parts[2], line, parts[4]);
    }

    internal static string HelpKeywordOf(string code) => HelpKeyword(code);

    private static void Append(CommandLineBuilder builder, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            builder.AppendSwitchIfNotNull(name, value!.Trim());
        }
    }

    internal static string HelpKeyword(string code) => "ConfigAsCode." + code;
}
