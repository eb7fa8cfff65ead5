using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// Compiles sources against .NET 8 and ConfigAsCode and runs the analyzer the way the compiler does: diagnostics a
/// RuleSuppression suppressed are returned marked, and any exception the analyzer throws is collected (the compiler
/// would turn it into AD0001) instead of being lost.
/// </summary>
internal sealed class AnalyzerRun
{
    private AnalyzerRun(Compilation compilation, ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<string> exceptions)
    {
        Compilation = compilation;
        Diagnostics = diagnostics;
        Exceptions = exceptions;
    }

    public Compilation Compilation { get; }

    /// <summary>Analyzer diagnostics, suppressed ones included (<see cref="Diagnostic.IsSuppressed"/>).</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>Exceptions thrown by the analyzer, and AD0001 diagnostics.</summary>
    public IReadOnlyList<string> Exceptions { get; }

    public IEnumerable<Diagnostic> Reported => Diagnostics.Where(d => !d.IsSuppressed);

    public IEnumerable<Diagnostic> Suppressed => Diagnostics.Where(d => d.IsSuppressed);

    public static Task<AnalyzerRun> Of(string source, string assemblyName = "Test") => Of([source], assemblyName);

    public static async Task<AnalyzerRun> Of(IEnumerable<string> sources, string assemblyName = "Test")
    {
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"File{i}.cs")).ToArray();
        var compilation = CSharpCompilation.Create(
            assemblyName,
            trees,
            Net80.References.All.Append(MetadataReference.CreateFromFile(typeof(InferenceDeployment).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException("the test source does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }

        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        var analyzers = compilation.WithAnalyzers([new DeploymentAnalyzer()], options);
        var diagnostics = await analyzers.GetAnalyzerDiagnosticsAsync();
        foreach (var failure in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Enqueue(failure.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new AnalyzerRun(compilation, diagnostics, exceptions.ToArray());
    }
}
