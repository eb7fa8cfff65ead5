using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The tree a manifest is built as before it is written. Keeping our own tree (rather than serializing wire
/// types by reflection) puts key order, quoting and number formatting under the determinism contract.
/// </summary>
public abstract class ManifestNode
{
    private protected ManifestNode()
    {
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static implicit operator ManifestNode?(string? value) => value is null ? null : new ScalarNode(value, ScalarKind.String);

    public static implicit operator ManifestNode(int value) => new ScalarNode(value.ToString(CultureInfo.InvariantCulture), ScalarKind.Number);

    public static implicit operator ManifestNode(long value) => new ScalarNode(value.ToString(CultureInfo.InvariantCulture), ScalarKind.Number);

    public static implicit operator ManifestNode(bool value) => new ScalarNode(value ? "true" : "false", ScalarKind.Boolean);

    /// <summary>True for maps and lists without entries; such values are never written (no empty fields).</summary>
    public abstract bool IsEmpty { get; }
}

/// <summary>How a scalar is typed in YAML.</summary>
public enum ScalarKind
{
    /// <summary>Always read back as a string; quoted when a YAML 1.1 or 1.2 parser would read it as anything else.</summary>
    String,

    /// <summary>An integer or decimal, invariant, never in exponent notation.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>A scalar value.</summary>
public sealed class ScalarNode : ManifestNode
{
    public ScalarNode(string text, ScalarKind kind)
    {
        Text = text ?? throw new ArgumentNullException(nameof(text));
        Kind = kind;
    }

    public string Text { get; }

    public ScalarKind Kind { get; }

    public override bool IsEmpty => false;

    /// <summary>A decimal written in full (no exponent, no trailing zeros).</summary>
    public static ScalarNode Number(decimal value) =>
        new(value.ToString("0.############################", CultureInfo.InvariantCulture), ScalarKind.Number);

    public override string ToString() => Text;
}

/// <summary>
/// A mapping. Null and empty values are dropped on insert, so no empty field reaches the output. Entries are
/// kept in a small list: manifest maps have a handful of keys, where a linear scan beats hashing.
/// </summary>
public sealed class MapNode : ManifestNode
{
    private readonly List<KeyValuePair<string, ManifestNode>> _entries;
    private bool _keepWhenEmpty;

    public MapNode()
    {
        _entries = new List<KeyValuePair<string, ManifestNode>>(4);
    }

    private MapNode(int capacity)
    {
        _entries = new List<KeyValuePair<string, ManifestNode>>(capacity);
    }

    public override bool IsEmpty => _entries.Count == 0 && !_keepWhenEmpty;

    public int Count => _entries.Count;

    public IReadOnlyList<KeyValuePair<string, ManifestNode>> Entries => _entries;

    public ManifestNode this[string key] => TryGet(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>An empty map that is written as <c>{}</c> because it means something (a selector of everything).</summary>
    public static MapNode EmptyOnPurpose() => new() { _keepWhenEmpty = true };

    /// <summary>Sets <paramref name="key"/> unless <paramref name="value"/> is null or empty; returns this map for chaining.</summary>
    public MapNode Set(string key, ManifestNode? value)
    {
        if (value is null || value.IsEmpty)
        {
            return this;
        }

        for (var i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                _entries[i] = new KeyValuePair<string, ManifestNode>(key, value);
                return this;
            }
        }

        _entries.Add(new KeyValuePair<string, ManifestNode>(key, value));
        return this;
    }

    /// <summary>A map of string values; the pairs' keys must be distinct.</summary>
    public static MapNode Of(IReadOnlyCollection<KeyValuePair<string, string>> values)
    {
        var map = new MapNode(values.Count);
        foreach (var pair in values)
        {
            map.Set(pair.Key, pair.Value);
        }

        return map;
    }

    public bool TryGet(string key, out ManifestNode value)
    {
        // A null key names no entry (its span would be empty, and match an entry whose key is "").
        if (key is null)
        {
            value = null!;
            return false;
        }

        return TryGet(key.AsSpan(), out value);
    }

    /// <summary>The value under <paramref name="key"/>, looked up without a string for the key.</summary>
    public bool TryGet(ReadOnlySpan<char> key, out ManifestNode value)
    {
        foreach (var entry in _entries)
        {
            if (key.SequenceEqual(entry.Key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }
}

/// <summary>A sequence, in the order given (declaration order where order matters).</summary>
public sealed class ListNode : ManifestNode
{
    private readonly List<ManifestNode> _items = [];

    public ListNode()
    {
    }

    public ListNode(IEnumerable<ManifestNode> items)
    {
        foreach (var item in items)
        {
            Add(item);
        }
    }

    public override bool IsEmpty => _items.Count == 0;

    public IReadOnlyList<ManifestNode> Items => _items;

    public ListNode Add(ManifestNode? item)
    {
        if (item is not null && !(item is MapNode { IsEmpty: true }))
        {
            _items.Add(item);
        }

        return this;
    }

    public static ListNode Of(params ManifestNode[] items) => new(items);

    public static ListNode Strings(IEnumerable<string> items) => new(items.Select(i => (ManifestNode)i));
}
