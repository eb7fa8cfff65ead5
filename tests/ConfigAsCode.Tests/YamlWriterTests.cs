using System;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Tests.Support;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("y")]
    [InlineData("true")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("1e3")]
    [InlineData("0755")]
    [InlineData("0x1F")]
    [InlineData("12:30")]
    [InlineData("2024-01-01")]
    [InlineData(".inf")]
    [InlineData("-.5")]
    [InlineData("42")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("a: b")]
    [InlineData("# not a comment")]
    [InlineData("- item")]
    [InlineData("-")]
    [InlineData("---")]
    [InlineData("...")]
    [InlineData("?")]
    [InlineData("a:")]
    [InlineData("http://host:4317")]
    [InlineData("line\nbreak")]
    [InlineData("ünïcødé ✓ 日本語")]
    [InlineData("\"quoted\"")]
    [InlineData("*alias")]
    [InlineData("&anchor")]
    [InlineData("!tag")]
    [InlineData("%directive")]
    [InlineData("@at")]
    [InlineData("`tick")]
    [InlineData("{flow}")]
    [InlineData("[flow]")]
    [InlineData("=")]
    [InlineData("<<")]
    public void Hostile_strings_round_trip_as_strings(string value)
    {
        var document = new MapNode().Set("apiVersion", "v1").Set("kind", "ConfigMap").Set("data", new MapNode().Set("key", new ScalarNode(value, ScalarKind.String)));

        var yaml = YamlManifestWriter.Write(document);

        YamlDocuments.AssertEquivalent(document, YamlDocuments.Parse(yaml));
    }

    [Fact]
    public void Random_adversarial_strings_round_trip()
    {
        // Seeded, so a failure reproduces; 20,000 strings drawn from the characters YAML treats specially.
        var random = new Random(20261126);
        const string alphabet = "aZ09 :-#&*!|>'\"%@`{}[],?~=<.\\\t\n\u00e9\u2713\u65e5\u0000\u001f\u0085\u2028";
        for (var i = 0; i < 20000; i++)
        {
            var value = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var scalar = new ScalarNode(value, ScalarKind.String);
            var document = new MapNode()
                .Set("v", scalar)
                .Set("list", ListNode.Of(scalar, new MapNode().Set("k", scalar)))
                .Set("keys", new MapNode().Set(value, "x"));

            YamlDocuments.AssertEquivalent(document, YamlDocuments.Parse(YamlManifestWriter.Write(document)), "case " + i);
        }
    }

    [Fact]
    public void The_printable_ascii_fast_path_writes_exactly_what_YamlDotNet_writes()
    {
        // PromQL and alert descriptions skip the emitter; the bytes must be the emitter's, or snapshots would churn.
        var random = new Random(20261127);
        const string alphabet = "azAZ09 :-#&*!|>'\"%@`{}[],?~=<.\\/()+^$_;";
        for (var i = 0; i < 20000; i++)
        {
            var value = new string(Enumerable.Range(0, random.Next(1, 300)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            Assert.Equal(YamlManifestWriter.QuotedScalar(value), YamlManifestWriter.QuotedPrintableAscii(value));
        }

        Assert.Null(YamlManifestWriter.QuotedPrintableAscii("tab\there"));
        Assert.Null(YamlManifestWriter.QuotedPrintableAscii("caf\u00e9"));
    }

    [Fact]
    public void Long_adversarial_strings_round_trip()
    {
        var random = new Random(20261128);
        const string alphabet = "aZ09 :-#&*!|>'\"%@`{}[],?~=<.\\\t\n\u00e9\u2713\u65e5\u0000\u001f\u0085\u2028";
        for (var i = 0; i < 5000; i++)
        {
            var value = new string(Enumerable.Range(0, random.Next(65, 400)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var document = new MapNode().Set("v", new ScalarNode(value, ScalarKind.String)).Set("list", ListNode.Of(new ScalarNode(value, ScalarKind.String)));

            YamlDocuments.AssertEquivalent(document, YamlDocuments.Parse(YamlManifestWriter.Write(document)), "case " + i);
        }
    }

    [Fact]
    public void Keys_follow_the_kubernetes_order_then_name_then_ordinal()
    {
        var document = new MapNode()
            .Set("spec", new MapNode().Set("zeta", 1).Set("Alpha", 2).Set("name", "first").Set("beta", 3))
            .Set("metadata", new MapNode().Set("name", "x"))
            .Set("kind", "Service")
            .Set("apiVersion", "v1")
            .Set("data", "d");

        Assert.Equal("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  name: first\n  Alpha: 2\n  beta: 3\n  zeta: 1\ndata: d\n", YamlManifestWriter.Write(document));
    }

    [Fact]
    public void Empty_maps_and_lists_are_never_written_unless_meant()
    {
        var document = new MapNode().Set("a", new MapNode()).Set("b", new ListNode()).Set("c", MapNode.EmptyOnPurpose()).Set("d", (string?)null);

        Assert.Equal("c: {}\n", YamlManifestWriter.Write(document));
    }

    [Fact]
    public void A_key_is_found_by_string_and_by_span_and_a_null_key_finds_nothing()
    {
        var map = new MapNode().Set("", "empty").Set("a", "x");

        Assert.True(map.TryGet("a", out var byString));
        Assert.True(map.TryGet("a".AsSpan(), out var bySpan));
        Assert.Same(byString, bySpan);
        Assert.True(map.TryGet("", out _));
        Assert.False(map.TryGet((string)null!, out _));
        Assert.False(map.TryGet("b", out _));
    }

    [Theory]
    [InlineData("0X1F")] // Go's yaml.v2/v3 (kubectl, sigs.k8s.io/yaml, Argo CD, kustomize) parse with strconv.ParseInt(s, 0, 64): 31
    [InlineData("-0X1F")]
    [InlineData("0B1")]
    [InlineData("0O777")]
    [InlineData("0x_1F")]
    [InlineData("0_x1F")] // yaml.v2/v3 drop every '_' first: 0x1F
    [InlineData("-_1")] // -1
    [InlineData("1e1_0")] // 1e10
    [InlineData("1e_10")]
    [InlineData(".5_0")] // strconv.ParseFloat takes '_' between digits
    [InlineData(".5e1_0")]
    [InlineData("1__0")]
    [InlineData("0:30.5")] // YAML 1.1 sexagesimal float (PyYAML: 30.5)
    public void Strings_a_Go_or_YAML_1_1_parser_reads_as_numbers_reach_the_manifest_quoted(string value)
    {
        var d = Fixtures.Compliant() with { Env = [EnvVar.Literal("VALUE", value)] };
        var deployment = ManifestRenderer.BuildDocuments(d, new RenderOptions { PlatformName = "p" }).Documents.Single(o => o.Path.Contains("/deployment-", StringComparison.Ordinal));

        var parsed = (YamlMappingNode)YamlDocuments.Parse(YamlManifestWriter.Write(deployment.Document));
        var container = (YamlMappingNode)((YamlSequenceNode)parsed["spec"]["template"]["spec"]["containers"]).Children[0];
        var env = ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>().Single(e => ((YamlScalarNode)e["name"]).Value == "VALUE");
        var scalar = (YamlScalarNode)env["value"];

        Assert.Equal(value, scalar.Value);
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, scalar.Style);
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("v1.0")]
    [InlineData("7b-chat")]
    [InlineData("1_000_abc")]
    [InlineData("-_")]
    public void Strings_no_parser_reads_as_numbers_stay_plain(string value) => Assert.False(YamlManifestWriter.NeedsQuotes(value));

    [Theory]
    [InlineData(0.9, "0.9")]
    [InlineData(1e-7, "0.0000001")]
    [InlineData(1e6, "1000000")]
    [InlineData(12345678901234.5, "12345678901234.5")]
    public void Numbers_are_invariant_and_never_exponents(double value, string expected)
    {
        Assert.Equal(expected, ScalarNode.Number((decimal)value).Text);
    }

    [Theory]
    [InlineData(1000, "1")]
    [InlineData(500, "500m")]
    [InlineData(16000, "16")]
    [InlineData(1500, "1500m")]
    public void Cpu_quantities_are_canonical(int millicores, string expected) => Assert.Equal(expected, Quantities.Cpu(millicores));

    [Theory]
    [InlineData(1024, "1Gi")]
    [InlineData(1536, "1536Mi")]
    [InlineData(131072, "128Gi")]
    [InlineData(1048576, "1Ti")]
    [InlineData(512, "512Mi")]
    public void Memory_quantities_are_canonical(long mebibytes, string expected) => Assert.Equal(expected, Quantities.MemoryMiB(mebibytes));

    [Theory]
    [InlineData("meta-llama/Llama-3.1-70B-Instruct", "llama-3.1-70b-instruct")]
    [InlineData("org/Model With Spaces!", "model-with-spaces")]
    [InlineData("---", null)]
    public void Label_values_are_sanitised(string input, string? expected) => Assert.Equal(expected, LabelValues.Sanitize(input));
}
