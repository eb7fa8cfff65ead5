using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>The one verifier of this project: .NET 8 reference assemblies from a package (no download) plus ConfigAsCode.</summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing ConfigAsCode;\n";

    public static Task Analyzer(string source, string? editorConfig = null, bool referenceConfigAsCode = true, CancellationToken cancellationToken = default)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { TestCode = source };
        Configure(test, editorConfig, referenceConfigAsCode);
        return test.RunAsync(cancellationToken);
    }

    /// <summary>
    /// Applies <typeparamref name="TFix"/> one diagnostic at a time and with Fix All, and requires <paramref name="fixedSource"/>
    /// from both, with no compiler error in it (the harness reports any as an unexpected diagnostic).
    /// </summary>
    public static Task Fix<TFix>(string source, string fixedSource, string? equivalenceKey = null, int iterations = 1, int fixAllIterations = 1, string? editorConfig = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            // Fix-all fixes every occurrence in one pass; one-by-one takes one pass per diagnostic.
            NumberOfFixAllIterations = fixAllIterations,
            NumberOfIncrementalIterations = iterations,
        };
        Configure(test, editorConfig, true);
        return test.RunAsync();
    }

    private static void Configure<TVerifier>(AnalyzerTest<TVerifier> test, string? editorConfig, bool referenceConfigAsCode)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net8.0");
        test.TestState.AdditionalReferences.AddRange(Net80.References.All);
        if (referenceConfigAsCode)
        {
            test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(InferenceDeployment).Assembly.Location));
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
        }
    }
}
