using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// Writes a <see cref="ManifestNode"/> tree as one YAML document under the
/// determinism contract: LF endings, one trailing newline, no BOM (the caller encodes UTF-8 without one),
/// a fixed key order (apiVersion, kind, metadata, spec first at the top; <c>name</c> first in any mapping;
/// then ordinal), invariant numbers, and quotes on every string a YAML 1.1 or 1.2 parser would read as
/// something else (<c>yes</c>, <c>on</c>, <c>1e3</c>, <c>0755</c>, <c>12:30</c>, <c>2024-01-01</c>, <c>~</c>).
/// </summary>
public static class YamlManifestWriter
{
    private static readonly string[] TopLevelOrder = ["apiVersion", "kind", "metadata", "spec"];

    // YAML 1.1 and 1.2 core-schema plain scalars that do not resolve to strings. Go's yaml.v2 and yaml.v3 (kubectl,
    // the API server's sigs.k8s.io/yaml, Argo CD, kustomize) are wider than both schemas: they drop every '_' and then
    // parse with strconv.ParseInt(s, 0, 64), which takes 0X, 0O and 0B as well as 0x, 0o and 0b, so '-_1', '1e1_0' and
    // '0X1F' are numbers to them; NeedsQuotes also matches the text without its underscores. Sexagesimal numbers
    // (YAML 1.1: PyYAML reads '0:30.5' as 30.5) may start with 0.
    private static readonly Regex NonString = new(
        "^(" +
        "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF" +
        "|~|null|Null|NULL" +
        "|[-+]?(0|[1-9][0-9_]*)" +
        "|[-+]?0[0-7_]+|[-+]?0[oO][0-7_]+|[-+]?0[xX][0-9a-fA-F_]+|[-+]?0[bB][01_]+" +
        "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?" +
        "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?" +
        "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)" +
        "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?" +
        "|=|<<" +
        ")$",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly HashSet<string> NonStringWords = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
    };

    // Strings written plain: letters, digits and the punctuation of names, paths, image references, URLs and
    // flags. A colon is allowed only inside a word (repo:tag, http://host:port). Everything else is double-quoted,
    // so no emitter heuristic decides how user text is written.
    private static bool IsPlainSafe(string text)
    {
        var first = text[0];
        if (!(IsWordChar(first) && first is not ('@' or '+' or '=' or ',')) || (first == '-' && text.Length == 1))
        {
            // A lone "-" is a block sequence entry.
            return false;
        }

        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ':')
            {
                if (i + 1 >= text.Length || !IsWordChar(text[i + 1]))
                {
                    return false;
                }
            }
            else if (!IsWordChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '/' or '@' or '+' or '=' or ',';

    /// <summary>Compares mapping keys in the documented order.</summary>
    internal sealed class KeyOrder(bool topLevel) : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            var rankX = Rank(x!);
            var rankY = Rank(y!);
            return rankX != rankY ? rankX.CompareTo(rankY) : string.CompareOrdinal(x, y);
        }

        private int Rank(string key)
        {
            if (topLevel)
            {
                var index = Array.IndexOf(TopLevelOrder, key);
                return index >= 0 ? index : TopLevelOrder.Length;
            }

            return string.Equals(key, "name", StringComparison.Ordinal) ? 0 : 1;
        }
    }

    // Comparisons, not comparers: Array.Sort with an IComparer wraps it in a new delegate on every call (67 MB at
    // 10,000 deployments); sorting a span with a Comparison allocates nothing. Keys of a map are unique, so the
    // unstable sort gives one order.
    private static readonly Comparison<KeyValuePair<string, ManifestNode>> TopLevelEntries = EntryOrder(new KeyOrder(topLevel: true));
    private static readonly Comparison<KeyValuePair<string, ManifestNode>> NestedEntries = EntryOrder(new KeyOrder(topLevel: false));

    private static Comparison<KeyValuePair<string, ManifestNode>> EntryOrder(KeyOrder keys) => (x, y) => keys.Compare(x.Key, y.Key);

    /// <summary>True when a plain scalar <paramref name="text"/> would not be read back as this exact string.</summary>
    public static bool NeedsQuotes(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return true;
        }

        var first = text[0];
        if (first is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'))
        {
            // Only the keyword forms of booleans and null can start with a letter.
            return text.Length <= 5 && NonStringWords.Contains(text);
        }

        return first is (>= '0' and <= '9') or '-' or '+' or '.' or '~' or '=' or '<'
            && (NonString.IsMatch(text) || (text.Contains('_', StringComparison.Ordinal) && NonString.IsMatch(text.Replace("_", string.Empty, StringComparison.Ordinal))));
    }

    /// <summary>The document as YAML text with <c>\n</c> line endings and one trailing newline.</summary>
    public static string Write(ManifestNode document)
    {
        var builder = Build(document);
        var text = builder.ToString();
        Release(builder);
        return text;
    }

    /// <summary>The UTF-8 bytes (no BOM) of <see cref="Write"/>, encoded from the text without a string in between.</summary>
    public static byte[] WriteUtf8(ManifestNode document)
    {
        var builder = Build(document);
        byte[] bytes;
        var chunks = builder.GetChunks();
        if (chunks.MoveNext() && chunks.Current.Length == builder.Length)
        {
            var text = chunks.Current.Span;
            bytes = new byte[Utf8NoBom.GetByteCount(text)];
            Utf8NoBom.GetBytes(text, bytes);
        }
        else
        {
            bytes = Utf8NoBom.GetBytes(builder.ToString());
        }

        Release(builder);
        return bytes;
    }

    // One builder per thread, reused: at 10,000 deployments a new builder, its growth and the string made from it were
    // about 0.8 GB of the 1.3 GB that rendering 63,000 files allocated. After Clear() a builder is one chunk again, so
    // WriteUtf8 encodes it in one pass.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private const int MaxKeptBuilderCapacity = 1 << 20;

    private static StringBuilder Build(ManifestNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var builder = t_builder ?? new StringBuilder(8192);
        t_builder = null;
        builder.Clear();
        switch (document)
        {
            case MapNode map when !map.IsEmpty && map.Count > 0:
                WriteMapEntries(builder, map, indent: 0, topLevel: true, firstOnCurrentLine: false);
                break;
            case ListNode list when !list.IsEmpty:
                WriteListItems(builder, list, indent: 0);
                break;
            default:
                builder.Append(Inline(document)).Append('\n');
                break;
        }

        return builder;
    }

    private static void Release(StringBuilder builder)
    {
        if (builder.Capacity <= MaxKeptBuilderCapacity)
        {
            t_builder = builder;
        }
    }

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // Block layout in kubectl's style: two-space indentation, sequences under a key not indented further.
    // Structure is this simple by construction (keys and plain scalars come from a safe character set); every
    // string that needs quoting goes through YamlDotNet's emitter (QuotedScalar), which owns escaping.
    private static void WriteMapEntries(StringBuilder builder, MapNode map, int indent, bool topLevel, bool firstOnCurrentLine)
    {
        // Sorted in a pooled copy: the map itself is never reordered (a node may be shared between documents).
        var count = map.Count;
        var entries = System.Buffers.ArrayPool<KeyValuePair<string, ManifestNode>>.Shared.Rent(count);
        try
        {
            WriteSortedEntries(builder, map, entries, count, indent, topLevel, firstOnCurrentLine);
        }
        finally
        {
            System.Buffers.ArrayPool<KeyValuePair<string, ManifestNode>>.Shared.Return(entries, clearArray: true);
        }
    }

    private static void WriteSortedEntries(StringBuilder builder, MapNode map, KeyValuePair<string, ManifestNode>[] entries, int count, int indent, bool topLevel, bool firstOnCurrentLine)
    {
        for (var i = 0; i < count; i++)
        {
            entries[i] = map.Entries[i];
        }

        entries.AsSpan(0, count).Sort(topLevel ? TopLevelEntries : NestedEntries);
        for (var i = 0; i < count; i++)
        {
            if (i > 0 || !firstOnCurrentLine)
            {
                builder.Append(' ', indent);
            }

            builder.Append(Scalar(entries[i].Key, ScalarKind.String)).Append(':');
            switch (entries[i].Value)
            {
                case MapNode { Count: > 0 } child:
                    builder.Append('\n');
                    WriteMapEntries(builder, child, indent + 2, topLevel: false, firstOnCurrentLine: false);
                    break;
                case ListNode { IsEmpty: false } list:
                    builder.Append('\n');
                    WriteListItems(builder, list, indent);
                    break;
                default:
                    builder.Append(' ').Append(Inline(entries[i].Value)).Append('\n');
                    break;
            }
        }
    }

    private static void WriteListItems(StringBuilder builder, ListNode list, int indent)
    {
        // By index: foreach over the IReadOnlyList boxes an enumerator per list.
        var items = list.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            builder.Append(' ', indent).Append('-');
            switch (item)
            {
                case MapNode { Count: > 0 } map:
                    builder.Append(' ');
                    WriteMapEntries(builder, map, indent + 2, topLevel: false, firstOnCurrentLine: true);
                    break;
                case ListNode { IsEmpty: false } nested:
                    builder.Append('\n');
                    WriteListItems(builder, nested, indent + 2);
                    break;
                default:
                    builder.Append(' ').Append(Inline(item)).Append('\n');
                    break;
            }
        }
    }

    private static string Inline(ManifestNode node) => node switch
    {
        ScalarNode scalar => Scalar(scalar.Text, scalar.Kind),
        MapNode => "{}",
        ListNode => "[]",
        _ => throw new InvalidOperationException("Unknown node type " + node.GetType().Name),
    };

    private static string Scalar(string text, ScalarKind kind) =>
        kind != ScalarKind.String || (!NeedsQuotes(text) && IsPlainSafe(text)) ? text
        : text.Length <= CachedScalarLength ? QuotedScalars.GetOrAdd(text, QuotedScalar)
        : QuotedPrintableAscii(text) ?? QuotedScalar(text);

    /// <summary>
    /// Short quoted strings repeat (label values such as "true", port numbers as strings), so each is emitted once.
    /// Long ones (PromQL queries, alert descriptions) are unique per deployment: caching them would only hold every
    /// query of the platform in memory for the life of the process.
    /// </summary>
    private const int CachedScalarLength = 64;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> QuotedScalars = new(StringComparer.Ordinal);

    /// <summary>
    /// The double-quoted form of a string of printable ASCII (PromQL, descriptions), without the emitter: inside
    /// double quotes only <c>"</c> and <c>\</c> need escaping, and YamlDotNet writes exactly that (a test compares
    /// both on random strings). Null for anything else, which goes through YamlDotNet. At 10,000 deployments with
    /// SLOs the emitter's per-call setup was most of the rendering time.
    /// </summary>
    internal static string? QuotedPrintableAscii(string text)
    {
        var extra = 0;
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return null;
            }

            if (c is '"' or '\\')
            {
                extra++;
            }
        }

        var builder = new StringBuilder(text.Length + extra + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A double-quoted scalar as YamlDotNet's emitter writes it (it owns escaping of quotes, breaks and control characters).</summary>
    internal static string QuotedScalar(string text)
    {
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, skipAnchorName: true, indentSequences: false, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));

        // As a mapping value, so a root-level special case (an empty string gets a "---" marker) cannot apply.
        emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
        emitter.Emit(new Scalar(null, null, "k", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: true));
        emitter.Emit(new Scalar(null, null, text, ScalarStyle.DoubleQuoted, isPlainImplicit: true, isQuotedImplicit: true));
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        var output = writer.ToString().TrimEnd('\n');
        var written = output.StartsWith("k: ", StringComparison.Ordinal) ? output.Substring(3) : string.Empty;
        if (written.Contains('\n', StringComparison.Ordinal) || written.Length < 2 || written[0] != '"' || written[^1] != '"')
        {
            throw new InvalidOperationException("YamlDotNet did not write a single-line double-quoted scalar; refusing to embed it.");
        }

        return written;
    }
}
