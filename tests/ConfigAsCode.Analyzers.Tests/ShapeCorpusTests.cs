extern alias synthesis;

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using Outcome = synthesis::ConfigAsCode.Synthesis.Validation.FindingOutcome;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// The shapes issues #12 and #15 listed, written as a user would (tests/ConfigAsCode.Analyzers.Tests/Shapes): each file
/// names its rule and where it is expected to be caught. Each is compiled and analysed, then built as the host builds it,
/// and classified: caught as you type, caught at build, suppressed in both, or missed. A shape that moves fails here.
/// </summary>
public sealed class ShapeCorpusTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Corpus() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Shapes"), "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Each_shape_is_caught_where_its_file_says(string file)
    {
        var (shape, expected, actual) = await Classify(file);

        Assert.True(expected == actual, $"{file} ({shape.Rule}): expected {expected}, was {actual}");
    }

    [Fact]
    public async Task Summary()
    {
        var rows = new List<(string File, string Rule, string Actual)>();
        foreach (var file in Corpus().Select(c => (string)c[0]))
        {
            var (shape, _, actual) = await Classify(file);
            rows.Add((file, shape.Rule, actual));
        }

        var text = new StringBuilder("shape | rule | caught\n");
        foreach (var row in rows)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(row.File)} | {row.Rule} | {row.Actual}\n");
        }

        foreach (var group in rows.GroupBy(r => r.Actual).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{group.Key}: {group.Count()}\n");
        }

        output.WriteLine(text.ToString());
        Assert.Equal(Corpus().Count(), rows.Count);
    }

    private static async Task<((string Description, string Rule, string Expected) Shape, string Expected, string Actual)> Classify(string file)
    {
        var source = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Shapes", file));
        var shape = Header(source);
        var run = await AnalyzerRun.Of(source, "Shape_" + Path.GetFileNameWithoutExtension(file).Replace('-', '_'));
        Assert.True(run.Exceptions.Count == 0, string.Join("\n", run.Exceptions));

        var (failures, findings, _) = CorpusBuild.Run(run.Compilation);
        var analyzer = run.Reported.Any(d => d.Id == shape.Rule);
        var analyzerSuppressed = run.Suppressed.Any(d => d.Id == shape.Rule);
        var build = findings.Any(f => f.Id == shape.Rule && f.Outcome == Outcome.Violation) || (shape.Rule == "CAC9020" && failures.Count > 0);
        var buildSuppressed = findings.Any(f => f.Id == shape.Rule && f.Outcome == Outcome.Suppressed);
        var actual = analyzer ? "as-you-type"
            : analyzerSuppressed && buildSuppressed ? "suppressed"
            : build ? "build"
            : "missed";
        return (shape, shape.Expected, actual);
    }

    private static (string Description, string Rule, string Expected) Header(string source)
    {
        string Field(string name) => source.Split('\n').First(l => l.StartsWith("// " + name + ": ", StringComparison.Ordinal)).Substring(name.Length + 5).Trim();
        return (Field("shape"), Field("rule"), Field("expected"));
    }
}
