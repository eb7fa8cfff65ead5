extern alias synthesis;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Outcome = synthesis::ConfigAsCode.Synthesis.Validation.FindingOutcome;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// Analyzer and build-time validator agree. Each corpus file is compiled, analyzed, then executed and validated;
/// for every rule the analyzer can decide from source, both must report the same IDs. A disagreement is a bug in one.
/// </summary>
public sealed class ParityTests
{
    private static readonly ImmutableHashSet<string> StaticRules =
        synthesis::ConfigAsCode.Synthesis.Rules.RuleCatalog.All.Where(r => r.IsStaticallyCheckable).Select(r => r.Id).ToImmutableHashSet();

    public static IEnumerable<object[]> Corpus() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Parity"), "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Fact]
    public void The_corpus_has_at_least_40_configs() => Assert.True(Corpus().Count() >= 40);

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Analyzer_and_validator_report_the_same_statically_decidable_rules(string file)
    {
        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Parity", file));
        var compilation = CSharpCompilation.Create(
            "Parity_" + Path.GetFileNameWithoutExtension(file).Replace('-', '_'),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: file)],
            Net80.References.All.Append(MetadataReference.CreateFromFile(typeof(InferenceDeployment).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var analyzed = await compilation.WithAnalyzers([new DeploymentAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var fromAnalyzer = analyzed.Select(d => d.Id).Where(StaticRules.Contains).ToHashSet(StringComparer.Ordinal);

        var (failures, findings, deployments) = CorpusBuild.Run(compilation);
        Assert.Empty(failures);
        var fromValidator = findings
            .Where(f => f.Outcome == Outcome.Violation && StaticRules.Contains(f.Id))
            .Select(f => f.Id)
            .ToHashSet(StringComparer.Ordinal);

        // The corpus names what each file must trigger, so agreement on nothing cannot pass.
        var expected = file.StartsWith("cac", StringComparison.Ordinal) ? "CAC" + file.Substring(3, 4) : null;
        Assert.Equal(1, deployments);
        if (expected is not null)
        {
            Assert.Contains(expected, fromValidator);
        }
        else if (file.StartsWith("compliant", StringComparison.Ordinal))
        {
            Assert.Empty(fromValidator);
        }
        else
        {
            Assert.NotEmpty(fromValidator);
        }

        Assert.True(fromAnalyzer.SetEquals(fromValidator),
            $"{file}: analyzer [{string.Join(", ", fromAnalyzer.Order())}] vs validator [{string.Join(", ", fromValidator.Order())}]");
    }
}
