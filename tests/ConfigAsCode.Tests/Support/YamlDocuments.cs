using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConfigAsCode.Synthesis.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tests.Support;

/// <summary>Parses rendered YAML back with YamlDotNet and turns it into JSON (YAML 1.2 core schema) or a comparable tree.</summary>
internal static class YamlDocuments
{
    private static readonly Regex Integer = new("^[-+]?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant);
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    public static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        Xunit.Assert.Single(stream.Documents);
        return stream.Documents[0].RootNode;
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    /// <summary>True when the parsed tree equals the tree that was rendered, key for key and type for type.</summary>
    public static void AssertEquivalent(ManifestNode expected, YamlNode actual, string path = "$")
    {
        switch (expected)
        {
            case MapNode map:
                var parsedMap = Xunit.Assert.IsType<YamlMappingNode>(actual);
                Xunit.Assert.Equal(map.Count, parsedMap.Children.Count);
                foreach (var entry in map.Entries)
                {
                    AssertEquivalent(entry.Value, parsedMap.Children[new YamlScalarNode(entry.Key)], path + "." + entry.Key);
                }

                break;
            case ListNode list:
                var parsedList = Xunit.Assert.IsType<YamlSequenceNode>(actual);
                Xunit.Assert.Equal(list.Items.Count, parsedList.Children.Count);
                for (var i = 0; i < list.Items.Count; i++)
                {
                    AssertEquivalent(list.Items[i], parsedList.Children[i], $"{path}[{i}]");
                }

                break;
            case ScalarNode scalar:
                var parsed = Xunit.Assert.IsType<YamlScalarNode>(actual);
                Xunit.Assert.True(string.Equals(scalar.Text, parsed.Value, StringComparison.Ordinal), $"{path}: rendered '{scalar.Text}', parsed '{parsed.Value}'");
                var json = Scalar(parsed);
                var kind = json is null ? "null" : json.GetValueKind().ToString();
                var expectedKind = scalar.Kind switch
                {
                    ScalarKind.String => "String",
                    ScalarKind.Boolean => scalar.Text == "true" ? "True" : "False",
                    _ => "Number",
                };
                Xunit.Assert.True(expectedKind == kind, $"{path}: '{scalar.Text}' was rendered as {scalar.Kind} but reads back as {kind}");
                break;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        // A plain scalar that a YAML 1.1 parser would type must not have been written for a string.
        if (YamlManifestWriter.NeedsQuotes(value) && !(Integer.IsMatch(value) || Float.IsMatch(value) || value is "true" or "false"))
        {
            return JsonValue.Create("<<ambiguous plain scalar: " + value + ">>");
        }

        return value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when Integer.IsMatch(value) => JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture)),
            _ when Float.IsMatch(value) => JsonValue.Create(decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(value),
        };
    }
}
