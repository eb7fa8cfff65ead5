using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using ConfigAsCode.Synthesis.Rules;
using Microsoft.CodeAnalysis;

namespace ConfigAsCode.Host;

/// <summary>
/// The rule severities and thresholds the analyzer sees, for the gate: the project's <c>.editorconfig</c> files,
/// <c>.globalconfig</c> files and the Strict preset of <c>ConfigAsCodeAnalysisMode</c> (the targets leave out None, which
/// turns only the edit-time rules off), read with Roslyn's own parser and
/// precedence (<see cref="AnalyzerConfigSet"/>), so a setting that silences or raises a rule as you type does the same
/// in the build. A deployment gets the options of the file that declares it.
/// </summary>
/// <remarks>
/// For one rule and one file, the first that is set wins: <c>ConfigAsCodeRuleSeverities</c>;
/// <c>dotnet_diagnostic.&lt;ID&gt;.severity</c> (an <c>.editorconfig</c> section matching the file over a global
/// config, as Roslyn orders them); <c>dotnet_analyzer_diagnostic.category-ConfigAsCode.&lt;Category&gt;.severity</c>;
/// <c>dotnet_analyzer_diagnostic.severity</c>; the rule's default. A rule that refuses suppression is never lowered
/// (a CAC9015 warning says so). docs/msbuild-reference.md documents the same order.
/// </remarks>
internal sealed class AnalyzerConfigRules
{
    private const string GpuUtilizationKey = "configascode.max_gpu_memory_utilization";
    private const string KvFactorKey = "configascode.concurrency_kv_factor";
    private const string WeightStepKey = "configascode.max_weight_step";

    // A rule's own key is dotnet_diagnostic.<ID>.severity, and every ID starts with CAC: the SDK's analysis-level
    // .globalconfig and most .editorconfig files set dotnet_diagnostic.CA… and IDE… keys only.
    private static readonly string[] Keys = ["dotnet_diagnostic.cac", "dotnet_analyzer_diagnostic", GpuUtilizationKey, KvFactorKey, WeightStepKey];

    private readonly RuleOptions _platform;
    private readonly IReadOnlyDictionary<string, RuleSeverity> _properties;
    private readonly PathMap _paths;
    private readonly object? _set;
    private readonly ConcurrentDictionary<string, RuleOptions> _byFile = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _warnings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _read;

    private AnalyzerConfigRules(RuleOptions platform, IReadOnlyDictionary<string, RuleSeverity> properties, PathMap paths, object? set, Dictionary<string, string> read)
    {
        _read = read;
        _platform = platform;
        _properties = properties;
        _paths = paths;
        _set = set;
    }

    /// <summary>
    /// What <see cref="Load"/> read of <paramref name="file"/> (a full path), as a verdict key part in the form of
    /// <see cref="ConfigAsCode.Synthesis.Gate.VerdictReuse.FilePart"/> ("absent" for a file it did not find), or null for a
    /// file it was not given. The key holds what the rules were built from, not what the file holds by the time the key
    /// is taken: a file saved while the config code is evaluated must not put its new content in a record of a run
    /// judged by the old one.
    /// </summary>
    public string? ReadPart(string file) => _read.GetValueOrDefault(file);

    /// <summary>Problems worth a CAC9015 warning (a rule that cannot be lowered, a value that is not a number), once each.</summary>
    public IEnumerable<string> Warnings => _warnings.Keys.OrderBy(w => w, StringComparer.Ordinal);

    /// <summary>
    /// Reads <paramref name="files"/>. When none of them mentions a key the gate reads, none is parsed, so a project
    /// without such settings never loads Roslyn (≈ 0.1 s of every gate run: every SDK project passes the analysis-level
    /// .globalconfig, and most have an .editorconfig).
    /// </summary>
    public static AnalyzerConfigRules Load(IEnumerable<string> files, IReadOnlyDictionary<string, RuleSeverity> properties, PathMap paths, List<string> problems)
    {
        var texts = new List<(string Path, string Text)>();
        var read = new Dictionary<string, string>(StringComparer.Ordinal);
        var anyKey = false;
        foreach (var file in files.Where(f => f.Trim().Length > 0).Select(f => Path.GetFullPath(f.Trim())).Distinct(StringComparer.Ordinal))
        {
            // @(GlobalAnalyzerConfigFiles) lists a .globalconfig in every folder above the sources; the compiler reads
            // the ones that exist.
            if (!File.Exists(file))
            {
                read[file] = file + "=absent";
                continue;
            }

            try
            {
                // Decoded as File.ReadAllText decodes (a byte order mark decides), from the bytes the key part hashes.
                var bytes = ConfigAsCode.Synthesis.Gate.UserFile.ReadAllBytes(file);
                read[file] = file + "=" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));
                using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                var text = reader.ReadToEnd();
                // A file that sets none of the keys still matters when it says root = true, if another file sets one:
                // it stops the search upwards.
                var hasKey = Keys.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase));
                anyKey |= hasKey;
                if (hasKey || text.Contains("root", StringComparison.OrdinalIgnoreCase))
                {
                    texts.Add((file, text));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"the analyzer config file '{file}' could not be read ({e.GetType().Name}); the gate would not see the severities the analyzer sees.");
            }
        }

        var platform = RuleOptions.Default with { SeverityOverrides = properties };
        var rules = new AnalyzerConfigRules(platform, properties, paths, anyKey ? Parse(texts) : null, read);
        return rules;
    }

    /// <summary>The options for what has no source file (and the base of every file's): global configs and properties.</summary>
    public RuleOptions Platform => _set is null ? _platform : _byFile.GetOrAdd(string.Empty, _ => FromSet(null));

    /// <summary>The options of a source file, as the compiler passed its path (a /pathmap'd path is mapped back first).</summary>
    public RuleOptions? ForSourceFile(string file) =>
        _set is null ? null : _byFile.GetOrAdd(_paths.Original(file), FromSet);

    // Roslyn is touched only here and in FromSet, in methods of their own, so it is loaded only when a file needs it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object Parse(List<(string Path, string Text)> texts) =>
        AnalyzerConfigSet.Create(texts.Select(t => AnalyzerConfig.Parse(t.Text, t.Path)).ToArray(), out _);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RuleOptions FromSet(string? file)
    {
        var set = (AnalyzerConfigSet)_set!;
        var result = file is null || file.Length == 0 ? set.GlobalConfigOptions : set.GetOptionsForSourcePath(file);
        var where = file is null || file.Length == 0 ? "a global analyzer config" : $"the .editorconfig of {Path.GetFileName(file)}";
        var severities = new Dictionary<string, RuleSeverity>(StringComparer.Ordinal);
        foreach (var rule in RuleCatalog.All)
        {
            if (_properties.TryGetValue(rule.Id, out var property))
            {
                severities[rule.Id] = property;
                continue;
            }

            // A global config's dotnet_diagnostic.<ID>.severity is not among a file's TreeOptions: Roslyn keeps it in
            // the global options (the compiler applies them to the whole compilation), below the file's own sections.
            var fromGlobal = !(result.TreeOptions.TryGetValue(rule.Id, out var specific) && specific != ReportDiagnostic.Default)
                && set.GlobalConfigOptions.TreeOptions.TryGetValue(rule.Id, out specific) && specific != ReportDiagnostic.Default;
            var (configured, key) = specific != ReportDiagnostic.Default
                ? (Map(specific), $"dotnet_diagnostic.{rule.Id}.severity")
                : Bulk(result.AnalyzerOptions, rule);
            if (configured is not { } severity)
            {
                continue;
            }

            if (rule.RefusesSuppression && severity < rule.DefaultSeverity)
            {
                _warnings.TryAdd($"{(fromGlobal ? "a global analyzer config" : where)} sets {key} to {Name(severity)}; {rule.Id} ({rule.Title}) cannot be lowered, so the gate keeps it at {Name(rule.DefaultSeverity)} (the analyzer follows the setting as you type).", 0);
                continue;
            }

            severities[rule.Id] = severity;
        }

        var options = _platform with
        {
            SeverityOverrides = severities,
            MaxGpuMemoryUtilization = Number(result.AnalyzerOptions, GpuUtilizationKey, _platform.MaxGpuMemoryUtilization, where),
            ConcurrencyKvFactor = Number(result.AnalyzerOptions, KvFactorKey, _platform.ConcurrencyKvFactor, where),
            MaxWeightStep = (int)Number(result.AnalyzerOptions, WeightStepKey, _platform.MaxWeightStep, where, whole: true),
            ForSourceFile = null,
        };
        return options;
    }

    // dotnet_analyzer_diagnostic.category-<category>.severity, then dotnet_analyzer_diagnostic.severity (keys are lower case).
    private static (RuleSeverity? Severity, string Key) Bulk(IReadOnlyDictionary<string, string> options, RuleDescriptor rule)
    {
        var category = $"dotnet_analyzer_diagnostic.category-configascode.{rule.Category.ToString().ToLowerInvariant()}.severity";
        foreach (var key in new[] { category, "dotnet_analyzer_diagnostic.severity" })
        {
            if (options.TryGetValue(key, out var text) && Parse(text) is { } parsed)
            {
                return (parsed, key);
            }
        }

        return (null, string.Empty);
    }

    private static RuleSeverity? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" => RuleSeverity.None,
        "silent" or "suggestion" => RuleSeverity.Info,
        "warning" => RuleSeverity.Warning,
        "error" => RuleSeverity.Error,
        _ => null,
    };

    // Silent (hidden) is shown nowhere in a build; the gate keeps it as a message, as ConfigAsCodeRuleSeverities does.
    private static RuleSeverity? Map(ReportDiagnostic value) => value switch
    {
        ReportDiagnostic.Suppress => RuleSeverity.None,
        ReportDiagnostic.Hidden or ReportDiagnostic.Info => RuleSeverity.Info,
        ReportDiagnostic.Warn => RuleSeverity.Warning,
        ReportDiagnostic.Error => RuleSeverity.Error,
        _ => null,
    };

    private static string Name(RuleSeverity severity) => severity switch
    {
        RuleSeverity.None => "none",
        RuleSeverity.Info => "suggestion",
        RuleSeverity.Warning => "warning",
        _ => "error",
    };

    // Read as the analyzer reads it (an invariant number; a step a positive whole number), so both use the same value;
    // what the analyzer would ignore is ignored here too, with a warning instead of silence.
    private double Number(IReadOnlyDictionary<string, string> options, string key, double fallback, string where, bool whole = false)
    {
        if (!options.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (whole ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var step) && step > 0 : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        _warnings.TryAdd($"{where} sets {key} = {text.Trim()}, which is not {(whole ? "a positive whole number" : "a number")}; the analyzer and the gate use {fallback.ToString(CultureInfo.InvariantCulture)}.", 0);
        return fallback;
    }
}

/// <summary>
/// The compiler's <c>/pathmap</c> (MSBuild's <c>PathMap</c>, set by deterministic CI builds to <c>/_/</c>), read
/// backwards: the paths the compiler recorded in caller information become the files on this machine again.
/// </summary>
internal sealed class PathMap
{
    private readonly (string From, string To)[] _pairs;

    private PathMap((string From, string To)[] pairs) => _pairs = pairs;

    public static PathMap Parse(string? text) => new(
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0)
            .Select(parts => (parts[0], parts[1]))
            .OrderByDescending(p => p.Item2.Length)
            .ToArray());

    /// <summary>
    /// The path on this machine of a path the compiler recorded; the path itself when no mapping applies. When several
    /// folders map to the same prefix (a hand-set PathMap beside the SDK's), the one where the file exists wins.
    /// </summary>
    public string Original(string recorded)
    {
        string? first = null;
        foreach (var (from, to) in _pairs)
        {
            if (recorded.StartsWith(to, StringComparison.Ordinal))
            {
                var candidate = from + recorded.Substring(to.Length);
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                first ??= candidate;
            }
        }

        return first ?? recorded;
    }
}
