using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConfigAsCode.Host;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;

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
    Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.ToolFailure.Id, null, 0, "bad host arguments: " + e.Message);
    return 2;
}

try
{
    var assemblyPath = Path.GetFullPath(options["assembly"]);
    var projectDirectory = Path.GetFullPath(options.GetValueOrDefault("project-dir", Path.GetDirectoryName(assemblyPath)!));
    var gate = new GateOptions
    {
        ProjectDirectory = projectDirectory,
        SnapshotDirectory = Path.GetFullPath(options.GetValueOrDefault("snapshot-dir", Path.Combine(projectDirectory, "deploy"))),
        OutputDirectory = Path.GetFullPath(options["output-dir"]),
        Accept = Arguments.Bool(options, "accept"),
        CiReason = CiDetector.Detect(Environment.GetEnvironmentVariables(), Arguments.NullableBool(options, "ci"), Arguments.Bool(options, "ci-build")),
        Rules = RuleOptions.Default with { SeverityOverrides = Arguments.Severities(options.GetValueOrDefault("severity", string.Empty)) },
        AcceptCommand = options.GetValueOrDefault("accept-command", "dotnet build -p:ConfigAsCodeAcceptChanges=true"),
        PriceFile = options.TryGetValue("price-file", out var priceFile) && priceFile.Length > 0 ? Path.GetFullPath(priceFile, projectDirectory) : null,
    };

    if (!File.Exists(assemblyPath))
    {
        Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.ToolFailure.Id, null, 0, $"the config assembly '{assemblyPath}' does not exist; build the project first.");
        return 2;
    }

    var context = new ConfigAssemblyLoadContext(assemblyPath);
    var assembly = context.LoadFromAssemblyPath(assemblyPath);
    var evaluation = PlatformEvaluator.Evaluate(assembly);
    if (!evaluation.Failed && evaluation.Deployments.Count == 0)
    {
        Protocol.Diagnostic(RuleSeverity.Warning, RuleCatalog.ToolFailure.Id, null, 0,
            $"'{Path.GetFileName(assemblyPath)}' declares no deployments: add a public class deriving from ConfigAsCode.InferencePlatform (docs/discovery.md), or set ConfigAsCodeEnabled=false.");
    }

    gate = gate with { Render = new RenderOptions { PlatformName = evaluation.PlatformNames.FirstOrDefault() ?? Path.GetFileNameWithoutExtension(assemblyPath) } };
    var outcome = GateRunner.Run(evaluation, gate);
    foreach (var line in outcome.Summary)
    {
        Protocol.Summary(line);
    }

    foreach (var d in outcome.Diagnostics)
    {
        Protocol.Diagnostic(d.Severity, d.Code, d.File, d.Line, d.Message);
    }

    return outcome.Failed ? 1 : 0;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // The tool itself failed: say so with a code, and keep the stack out of the build log's error line.
    var log = Path.Combine(Path.GetFullPath(options.GetValueOrDefault("output-dir", ".")), "host-error.txt");
    try
    {
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.WriteAllText(log, e.ToString());
    }
    catch (IOException)
    {
    }

    Protocol.Diagnostic(RuleSeverity.Error, RuleCatalog.ToolFailure.Id, null, 0, $"ConfigAsCode failed internally ({e.GetType().Name}: {ConfigAsCode.Synthesis.Secrets.SecretDetector.Redact(e.Message)}). Details: {log}. Please report it.");
    return 3;
}
