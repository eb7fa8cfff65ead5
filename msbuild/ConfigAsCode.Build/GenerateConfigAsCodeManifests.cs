using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ConfigAsCode.Build;

/// <summary>
/// Runs the ConfigAsCode host out of process (<c>dotnet exec … ConfigAsCode.Host.dll</c>) against the built config
/// assembly, and turns its protocol lines into MSBuild errors, warnings and messages with code, file and line.
/// MSBuild never loads user code, so nothing locks the user's assembly in a long-lived build node.
/// </summary>
public sealed class GenerateConfigAsCodeManifests : ToolTask
{
    private const string Prefix = "##configascode|";
    private readonly HashSet<string> _noWarn = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _warningsAsErrors = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _warningsNotAsErrors = new(StringComparer.OrdinalIgnoreCase);
    private bool _reportedError;

    /// <summary>The host's entry assembly (<c>tools/host/ConfigAsCode.Host.dll</c> in the package).</summary>
    [Required]
    public string HostPath { get; set; } = string.Empty;

    /// <summary>The built config assembly.</summary>
    [Required]
    public string AssemblyPath { get; set; } = string.Empty;

    [Required]
    public string ProjectDirectory { get; set; } = string.Empty;

    [Required]
    public string SnapshotDirectory { get; set; } = string.Empty;

    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    public bool AcceptChanges { get; set; }

    /// <summary>Explicit CI answer (<c>true</c>/<c>false</c>); empty to detect from the environment.</summary>
    public string? IsCI { get; set; }

    public bool ContinuousIntegrationBuild { get; set; }

    public string? NoWarn { get; set; }

    public string? WarningsAsErrors { get; set; }

    public string? WarningsNotAsErrors { get; set; }

    public bool TreatWarningsAsErrors { get; set; }

    /// <summary>Per-rule severities, <c>CAC1006=error;CAC4001=none</c>.</summary>
    public string? RuleSeverities { get; set; }

    /// <summary>A price file applied over the shipped catalog.</summary>
    public string? PriceFile { get; set; }

    /// <summary>The command shown to accept drift.</summary>
    public string? AcceptCommand { get; set; }

    protected override string ToolName => "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

    public override bool Execute()
    {
        Fill(_noWarn, NoWarn);
        Fill(_warningsAsErrors, WarningsAsErrors);
        Fill(_warningsNotAsErrors, WarningsNotAsErrors);
        if (!File.Exists(HostPath))
        {
            Log.LogError(null, "CAC9009", null, null, 0, 0, 0, 0, $"The ConfigAsCode host was not found at '{HostPath}'. Restore the ConfigAsCode package, or set ConfigAsCodeHostPath.");
            return false;
        }

        var succeeded = base.Execute();
        if (!succeeded && !_reportedError && !Log.HasLoggedErrors)
        {
            Log.LogError(null, "CAC9009", null, null, 0, 0, 0, 0, $"The ConfigAsCode host exited with code {ExitCode} without reporting an error. Run the build with -v:detailed to see its output.");
        }

        return succeeded && !Log.HasLoggedErrors;
    }

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
        builder.AppendSwitchIfNotNull("--accept ", AcceptChanges ? "true" : "false");
        if (!string.IsNullOrWhiteSpace(IsCI))
        {
            builder.AppendSwitchIfNotNull("--ci ", IsCI!.Trim().ToLowerInvariant());
        }

        builder.AppendSwitchIfNotNull("--ci-build ", ContinuousIntegrationBuild ? "true" : "false");
        if (!string.IsNullOrWhiteSpace(RuleSeverities))
        {
            builder.AppendSwitchIfNotNull("--severity ", RuleSeverities);
        }

        if (!string.IsNullOrWhiteSpace(PriceFile))
        {
            builder.AppendSwitchIfNotNull("--price-file ", Path.GetFullPath(PriceFile));
        }

        builder.AppendSwitchIfNotNull("--accept-command ", string.IsNullOrWhiteSpace(AcceptCommand) ? "dotnet build -p:ConfigAsCodeAcceptChanges=true" : AcceptCommand);
        return builder.ToString();
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (singleLine is null || !singleLine.StartsWith(Prefix, StringComparison.Ordinal))
        {
            base.LogEventsFromTextOutput(singleLine, messageImportance);
            return;
        }

        var parts = singleLine.Substring(Prefix.Length).Split(new[] { '|' }, 5);
        if (parts.Length < 5)
        {
            base.LogEventsFromTextOutput(singleLine, messageImportance);
            return;
        }

        var kind = parts[0];
        var code = parts[1];
        var file = parts[2].Length == 0 ? null : parts[2];
        int.TryParse(parts[3], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var line);
        var text = parts[4];

        if (kind == "warning" && _noWarn.Contains(code))
        {
            Log.LogMessage(MessageImportance.Low, $"{code} (NoWarn): {text}");
            return;
        }

        if (kind == "warning" && !_warningsNotAsErrors.Contains(code) && (TreatWarningsAsErrors || _warningsAsErrors.Contains(code)))
        {
            kind = "error";
        }

        switch (kind)
        {
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
            default:
                Log.LogMessage(MessageImportance.Normal, code.Length == 0 ? text : $"{(file is null ? string.Empty : $"{file}({line}): ")}{code}: {text}");
                break;
        }
    }

    private static string HelpKeyword(string code) => "ConfigAsCode." + code;

    private static void Fill(HashSet<string> set, string? codes)
    {
        foreach (var code in (codes ?? string.Empty).Split(new[] { ';', ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            set.Add(code.Trim());
        }
    }
}
