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
internal static class Verify<TAnalyzer, TFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing ConfigAsCode;\n";

    public static Task Analyzer(string source, string? editorConfig = null, bool referenceConfigAsCode = true, CancellationToken cancellationToken = default)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> { TestCode = source };
        Configure(test, editorConfig, referenceConfigAsCode);
        return test.RunAsync(cancellationToken);
    }

    public static Task Fix(string source, string fixedSource, string? equivalenceKey = null, int iterations = 1)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
            // Fix-all fixes every occurrence in one pass; one-by-one takes one pass per diagnostic.
            NumberOfFixAllIterations = 1,
            NumberOfIncrementalIterations = iterations,
        };
        Configure(test, null, true);
        return test.RunAsync();
    }

    private static void Configure(CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier> test, string? editorConfig, bool referenceConfigAsCode)
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
