using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>A field of the input that the rendered manifest does not carry, or carries with another value.</summary>
/// <param name="Path">The field path, <c>spec.template.spec.containers[vllm].ports[metrics]</c>.</param>
/// <param name="Line">The input line of the field.</param>
/// <param name="Original">The input's value, printable (credentials redacted).</param>
/// <param name="Rebuilt">The rendered value, printable; null when the field is absent there.</param>
/// <param name="Kind">Changed (or absent), moved to another list position, or added by the rendering.</param>
internal sealed record FieldDifference(string Path, int Line, string Original, string? Rebuilt, DifferenceKind Kind = DifferenceKind.Changed)
{
    public override string ToString() => Kind switch
    {
        DifferenceKind.Added => $"{Path}: the rendering adds {Rebuilt}, which the input does not have",
        DifferenceKind.Moved => $"{Path}: {Original} is rendered as item [{Rebuilt}]",
        _ => Rebuilt is null ? $"{Path}: {Original} is not reproduced" : $"{Path}: {Original} → {Rebuilt}",
    };
}

/// <summary>What kind of difference a <see cref="FieldDifference"/> is.</summary>
internal enum DifferenceKind
{
    /// <summary>The input's value is rendered differently, or not at all.</summary>
    Changed,

    /// <summary>The input's list item is rendered at another position (<see cref="FieldDifference.Rebuilt"/> holds it).</summary>
    Moved,

    /// <summary>The rendering has a list item the input does not (<see cref="FieldDifference.Original"/> is empty).</summary>
    Added,
}

/// <summary>
/// Compares an input object with the object the toolkit renders for the imported declaration, field by field, and
/// lists every field of the input that the rendering does not reproduce. Fields only the rendering has (the toolkit's
/// safe defaults) are not differences. Values are compared as Kubernetes reads them: <c>0.90</c> equals <c>0.9</c>,
/// <c>1000m</c> equals <c>1</c>, <c>True</c> equals <c>true</c>; lists of named items (containers, env, ports, volumes)
/// are matched by name, other lists by position (an item the rendering moved is reported with its new position).
/// </summary>
internal sealed class ObjectDiff
{
    private readonly Func<string, bool> _skip;
    private readonly Func<string, string, string> _itemKey;
    private readonly Func<string, bool> _addedMatters;

    /// <param name="skip">Paths not compared (server-owned fields, settings compared as settings).</param>
    /// <param name="itemKey">The rendered name of a named list item (the engine container is renamed).</param>
    /// <param name="addedMatters">Lists of unnamed items where an item only the rendering has is a difference too.</param>
    public ObjectDiff(Func<string, bool> skip, Func<string, string, string>? itemKey = null, Func<string, bool>? addedMatters = null)
    {
        _skip = skip;
        _itemKey = itemKey ?? ((_, name) => name);
        _addedMatters = addedMatters ?? (_ => false);
    }

    public List<FieldDifference> Differences { get; } = [];

    public ObjectDiff Compare(YamlNode original, YamlNode? rebuilt, string path)
    {
        if (_skip(path))
        {
            return this;
        }

        switch (original)
        {
            case YamlMappingNode map:
                if (rebuilt is not YamlMappingNode rebuiltMap)
                {
                    if (map.Children.Count > 0)
                    {
                        Report(path, original, rebuilt);
                    }

                    return this;
                }

                foreach (var pair in map.Children)
                {
                    if (pair.Key is YamlScalarNode { Value: { } key })
                    {
                        Compare(pair.Value, Yaml.Node(rebuiltMap, key), Join(path, key));
                    }
                }

                return this;

            case YamlSequenceNode sequence:
                if (rebuilt is not YamlSequenceNode rebuiltSequence)
                {
                    if (sequence.Children.Count > 0)
                    {
                        Report(path, original, rebuilt);
                    }

                    return this;
                }

                CompareSequence(sequence, rebuiltSequence, path);
                return this;

            case YamlScalarNode scalar:
                if (Yaml.Text(scalar) is null && (rebuilt is null || (rebuilt is YamlScalarNode r && Yaml.Text(r) is null)))
                {
                    return this;
                }

                if (rebuilt is not YamlScalarNode rebuiltScalar || !Equivalent(scalar.Value, rebuiltScalar.Value))
                {
                    Report(path, original, rebuilt);
                }

                return this;
        }

        return this;
    }

    private void CompareSequence(YamlSequenceNode original, YamlSequenceNode rebuilt, string path)
    {
        var items = original.Children;
        if (items.Count > 0 && items.All(i => i is YamlMappingNode m && Yaml.Text(m, "name") is not null))
        {
            foreach (YamlMappingNode item in items)
            {
                var key = _itemKey(path, Yaml.Text(item, "name")!);
                var match = rebuilt.Children.OfType<YamlMappingNode>().FirstOrDefault(r => Yaml.Text(r, "name") == key);
                Compare(item, match, $"{path}[{key}]");
            }

            return;
        }

        // Position matters: readers (git diff, kubectl diff, the round-trip test) see item i against item i, and a
        // list that is a union for Kubernetes (NetworkPolicy peers) still changes meaning when an item is replaced.
        var rebuiltItems = rebuilt.Children.ToList();
        var rebuiltCanonical = rebuiltItems.Select(Canonical).ToArray();
        var accounted = new bool[rebuiltItems.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var canonical = Canonical(items[i]);
            if (i < rebuiltItems.Count && rebuiltCanonical[i] == canonical)
            {
                accounted[i] = true;
                continue;
            }

            var itemPath = $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var elsewhere = Array.IndexOf(rebuiltCanonical, canonical);
            if (elsewhere >= 0)
            {
                accounted[elsewhere] = true;
                Differences.Add(new FieldDifference(itemPath, Yaml.Line(items[i]), Show(items[i], LeafName(path)), elsewhere.ToString(CultureInfo.InvariantCulture), DifferenceKind.Moved));
            }
            else if (items[i] is YamlScalarNode || i >= rebuiltItems.Count)
            {
                Report(itemPath, items[i], i < rebuiltItems.Count ? rebuiltItems[i] : null);
            }
            else
            {
                accounted[i] = true;
                Compare(items[i], rebuiltItems[i], itemPath);
            }
        }

        // Items only the rendering has are not differences (the toolkit's additions), except where an added item
        // widens what the object allows: a NetworkPolicy rule, peer or port. An item compared with an input item
        // above is judged there.
        if (_addedMatters(path))
        {
            var originalCanonical = items.Select(Canonical).ToHashSet(StringComparer.Ordinal);
            for (var j = 0; j < rebuiltItems.Count; j++)
            {
                if (!accounted[j] && !originalCanonical.Contains(rebuiltCanonical[j]))
                {
                    Differences.Add(new FieldDifference($"{path}[+{j.ToString(CultureInfo.InvariantCulture)}]", Yaml.Line(original), string.Empty, Show(rebuiltItems[j], LeafName(path)), DifferenceKind.Added));
                }
            }
        }
    }

    private void Report(string path, YamlNode original, YamlNode? rebuilt)
    {
        var leaf = LeafName(path);
        Differences.Add(new FieldDifference(path, Yaml.Line(original), Show(original, leaf), rebuilt is null ? null : Show(rebuilt, leaf)));
    }

    /// <summary>True when two scalars mean the same to Kubernetes.</summary>
    public static bool Equivalent(string? a, string? b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        if (a is null || b is null)
        {
            return false;
        }

        if (IsBoolean(a) && IsBoolean(b))
        {
            return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        }

        return Quantity.Parse(a) is { } x && Quantity.Parse(b) is { } y && x == y;
    }

    private static bool IsBoolean(string text) => text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static string Join(string path, string key) =>
        key.Contains('.', StringComparison.Ordinal) || key.Contains('/', StringComparison.Ordinal)
            ? $"{path}[{key}]"
            : path.Length == 0 ? key : path + "." + key;

    private static string? LeafName(string path)
    {
        var end = path.EndsWith(']') ? path.LastIndexOf('[') : -1;
        if (end >= 0)
        {
            return path[(end + 1)..^1];
        }

        var dot = path.LastIndexOf('.');
        return dot >= 0 ? path[(dot + 1)..] : path;
    }

    /// <summary>A one-line, credential-free rendering of a node: scalars as text, maps and lists in flow style, cut at 100 characters.</summary>
    public static string Show(YamlNode node, string? name = null)
    {
        var builder = new StringBuilder();
        Append(builder, node, name);
        var text = builder.ToString();
        return text.Length <= 100 ? text : text[..97] + "...";
    }

    private static void Append(StringBuilder builder, YamlNode node, string? name)
    {
        if (builder.Length > 200)
        {
            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                builder.Append(Yaml.Text(scalar) is { } text ? Printable.Value(name, text) : "null");
                break;
            case YamlSequenceNode sequence:
                builder.Append('[');
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    builder.Append(i > 0 ? ", " : string.Empty);
                    Append(builder, sequence.Children[i], name);
                }

                builder.Append(']');
                break;
            case YamlMappingNode map:
                builder.Append('{');
                var first = true;
                var entryName = map.Children.Where(p => p.Key is YamlScalarNode { Value: "name" }).Select(p => Yaml.Text(p.Value)).FirstOrDefault();
                foreach (var pair in map.Children)
                {
                    var key = (pair.Key as YamlScalarNode)?.Value ?? "?";
                    builder.Append(first ? string.Empty : ", ").Append(Printable.Text(key)).Append(": ");

                    // An env entry's value is judged by the variable's name.
                    Append(builder, pair.Value, key == "value" && entryName is not null ? entryName : key);
                    first = false;
                }

                builder.Append('}');
                break;
        }
    }

    private static string Canonical(YamlNode node)
    {
        var builder = new StringBuilder();
        void Walk(YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode s:
                    builder.Append('"').Append(Normalized(s.Value)).Append('"');
                    break;
                case YamlSequenceNode seq:
                    builder.Append('[');
                    foreach (var c in seq.Children)
                    {
                        Walk(c);
                        builder.Append(',');
                    }

                    builder.Append(']');
                    break;
                case YamlMappingNode m:
                    builder.Append('{');
                    foreach (var pair in m.Children.OrderBy(p => (p.Key as YamlScalarNode)?.Value, StringComparer.Ordinal))
                    {
                        builder.Append((pair.Key as YamlScalarNode)?.Value).Append(':');
                        Walk(pair.Value);
                        builder.Append(',');
                    }

                    builder.Append('}');
                    break;
            }
        }

        Walk(node);
        return builder.ToString();
    }

    private static string? Normalized(string? value) =>
        value is null ? null
        : IsBoolean(value) ? value.ToLowerInvariant()
        : Quantity.Parse(value) is { } number ? number.ToString("G29", CultureInfo.InvariantCulture)
        : value;
}
