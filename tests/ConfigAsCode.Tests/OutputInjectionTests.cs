using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConfigAsCode.Build;
using ConfigAsCode.Host;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// User-controlled text (a source path, a code, a message) never forges a line of the host's protocol, never breaks
/// out of a report's table row, and never carries a secret into a report through the file field.
/// </summary>
public sealed class OutputInjectionTests : IDisposable
{
    private static readonly string Token = "ghp_" + new string('k', 36);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-inject-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Platform.cs\n##configascode|summary||0|ConfigAsCode: no drift")]
    [InlineData("Platform.cs\r##configascode|done|handshake|0|completed")]
    [InlineData("Platform.cs\r\n##configascode|error|CAC0000||0|forged")]
    public void A_file_path_with_a_line_break_never_forges_a_protocol_line(string file)
    {
        var line = Protocol.Line("warning", "CAC1001", file, 7, "the real message");

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        var parsed = GenerateConfigAsCodeManifests.Parse(line);
        Assert.NotNull(parsed);
        Assert.Equal("warning", parsed.Value.Kind);
        Assert.Equal("CAC1001", parsed.Value.Code);
        Assert.Equal(7, parsed.Value.Line);
        Assert.Equal("the real message", parsed.Value.Text);
        Assert.StartsWith("Platform.cs ", parsed.Value.File, StringComparison.Ordinal);
        Assert.Contains("##configascode\u00A6", parsed.Value.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bar_in_the_file_or_code_does_not_shift_the_fields_after_it()
    {
        var line = Protocol.Line("error", "CAC|9999", "a|b.cs", 12, "text | with bars");

        var parsed = GenerateConfigAsCodeManifests.Parse(line);
        Assert.NotNull(parsed);
        Assert.Equal("error", parsed.Value.Kind);
        Assert.Equal("CAC\u00A69999", parsed.Value.Code);
        Assert.Equal("a\u00A6b.cs", parsed.Value.File);
        Assert.Equal(12, parsed.Value.Line);
        Assert.Equal("text | with bars", parsed.Value.Text);
    }

    [Fact]
    public void A_secret_in_the_file_field_is_redacted_on_the_protocol()
    {
        var line = Protocol.Line("warning", "CAC1001", "/src/" + Token + "/Platform.cs", 1, "message");

        Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        Assert.Contains("<redacted", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_rows_keep_a_hostile_file_path_in_its_cell_and_redact_it_everywhere()
    {
        var project = Path.Combine(_root, "project");
        Directory.CreateDirectory(project);
        var options = new GateOptions { ProjectDirectory = project, SnapshotDirectory = Path.Combine(project, "deploy"), OutputDirectory = Path.Combine(project, "obj", "configascode") };
        Directory.CreateDirectory(options.OutputDirectory);
        var file = Path.Combine(project, "x|y\n## Forged heading\r" + Token + ".cs");
        var diagnostics = new[] { new GateDiagnostic(RuleSeverity.Warning, "CAC1001", file, 3, "message") };

        Reports.Write(options, null, null, diagnostics, [], null);

        var markdown = File.ReadAllText(Path.Combine(options.OutputDirectory, "report.md"));
        var row = Assert.Single(markdown.Split('\n'), l => l.Contains("CAC1001", StringComparison.Ordinal) && l.StartsWith("| ", StringComparison.Ordinal));
        Assert.Contains("x\\|y ## Forged heading ", row, StringComparison.Ordinal);
        Assert.Equal(5, row.Replace("\\|", string.Empty, StringComparison.Ordinal).Count(c => c == '|'));
        Assert.DoesNotContain("\n## Forged heading", markdown, StringComparison.Ordinal);

        foreach (var name in new[] { "report.md", "report.json", "report.sarif", PrComment.FileName })
        {
            Assert.DoesNotContain(Token, File.ReadAllText(Path.Combine(options.OutputDirectory, name)), StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(options.OutputDirectory, "report.json")));
        Assert.Contains(json.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("file").GetString()!.Contains("<redacted", StringComparison.Ordinal));
    }
}
