using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Tests.Support;

/// <summary>
/// Every scalar of a YAML object with its path, written independently of the tool's own differ: map keys joined by
/// '.', list items by their <c>name</c> when they have one, else by index.
/// </summary>
internal static class YamlLeaves
{
    public static Dictionary<string, string> Of(YamlNode node)
    {
        var leaves = new Dictionary<string, string>(System.StringComparer.Ordinal);
        Walk(node, string.Empty, leaves);
        return leaves;
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var pair in map.Children)
                {
                    Walk(pair.Value, path.Length == 0 ? ((YamlScalarNode)pair.Key).Value! : path + "." + ((YamlScalarNode)pair.Key).Value, leaves);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var item = sequence.Children[i];
                    var key = item is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode s ? s.Value : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Walk(item, path + "[" + key + "]", leaves);
                }

                break;
            case YamlScalarNode scalar:
                leaves[path] = scalar.Value ?? string.Empty;
                break;
        }
    }
}
