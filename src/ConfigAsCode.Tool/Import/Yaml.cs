using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>Null-tolerant reads from YamlDotNet's representation model: a missing or mistyped node is null, never an exception.</summary>
internal static class Yaml
{
    public static YamlNode? Node(YamlMappingNode? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var pair in map.Children)
        {
            if (pair.Key is YamlScalarNode { Value: { } k } && string.Equals(k, key, StringComparison.Ordinal))
            {
                return pair.Value;
            }
        }

        return null;
    }

    public static YamlMappingNode? Map(YamlMappingNode? map, string key) => Node(map, key) as YamlMappingNode;

    public static YamlSequenceNode? Sequence(YamlMappingNode? map, string key) => Node(map, key) as YamlSequenceNode;

    public static IEnumerable<YamlMappingNode> Maps(YamlMappingNode? map, string key) =>
        Sequence(map, key)?.Children.OfType<YamlMappingNode>() ?? [];

    /// <summary>The scalar's text; null when absent, not a scalar, or YAML null (<c>~</c>, <c>null</c>, empty plain).</summary>
    public static string? Text(YamlMappingNode? map, string key) => Text(Node(map, key));

    public static string? Text(YamlNode? node) =>
        node is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value : null;

    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    /// <summary>String-to-string pairs of a mapping (labels, selectors), in document order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(YamlMappingNode? map)
    {
        if (map is null)
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in map.Children)
        {
            if (pair.Key is YamlScalarNode { Value: { } key } && Text(pair.Value) is { } value)
            {
                pairs.Add(new(key, value));
            }
        }

        return pairs;
    }

    public static int Line(YamlNode node) => (int)Math.Min(int.MaxValue, node.Start.Line);
}
