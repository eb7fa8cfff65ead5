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
/// Writes a <see cref="ManifestNode"/> tree as one YAML document through YamlDotNet's emitter, under the
/// determinism contract: LF endings, one trailing newline, no BOM (the caller encodes UTF-8 without one),
/// a fixed key order (apiVersion, kind, metadata, spec first at the top; <c>name</c> first in any mapping;
/// then ordinal), invariant numbers, and quotes on every string a YAML 1.1 or 1.2 parser would read as
/// something else (<c>yes</c>, <c>on</c>, <c>1e3</c>, <c>0755</c>, <c>12:30</c>, <c>2024-01-01</c>, <c>~</c>).
/// </summary>
public static class YamlManifestWriter
{
    private static readonly string[] TopLevelOrder = ["apiVersion", "kind", "metadata", "spec"];

    // YAML 1.1 and 1.2 core-schema plain scalars that do not resolve to strings.
    private static readonly Regex NonString = new(
        "^(" +
        "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF" +
        "|~|null|Null|NULL" +
        "|[-+]?(0|[1-9][0-9_]*)" +
        "|[-+]?0[0-7_]+|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+" +
        "|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?" +
        "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?" +
        "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)" +
        "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?" +
        "|=|<<" +
        ")$",
        RegexOptions.CultureInvariant);

    // Strings written plain: letters, digits and the punctuation of names, paths, image references, URLs and
    // flags. A colon is allowed only inside a word (repo:tag, http://host:port). Everything else is double-quoted,
    // so no emitter heuristic decides how user text is written.
    private static readonly Regex PlainSafe = new(
        "^[A-Za-z0-9/_.-][-A-Za-z0-9_./@+=,]*(:[-A-Za-z0-9_./@+=,]+)*$",
        RegexOptions.CultureInvariant);

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

    private static readonly KeyOrder TopLevelKeys = new(topLevel: true);
    private static readonly KeyOrder NestedKeys = new(topLevel: false);

    /// <summary>True when a plain scalar <paramref name="text"/> would not be read back as this exact string.</summary>
    public static bool NeedsQuotes(string text) =>
        text.Length == 0 || NonString.IsMatch(text) || !string.Equals(text.Trim(), text, StringComparison.Ordinal);

    /// <summary>The document as YAML text with <c>\n</c> line endings and one trailing newline.</summary>
    public static string Write(ManifestNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, skipAnchorName: true, indentSequences: false, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, document, topLevel: true);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        var text = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.TrimEnd('\n') + "\n";
    }

    /// <summary>The UTF-8 bytes (no BOM) of <see cref="Write"/>.</summary>
    public static byte[] WriteUtf8(ManifestNode document) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Write(document));

    private static void Emit(IEmitter emitter, ManifestNode node, bool topLevel)
    {
        switch (node)
        {
            case MapNode map:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
                foreach (var pair in map.Entries.OrderBy(e => e.Key, topLevel ? TopLevelKeys : NestedKeys))
                {
                    EmitScalar(emitter, pair.Key, ScalarKind.String);
                    Emit(emitter, pair.Value, topLevel: false);
                }

                emitter.Emit(new MappingEnd());
                break;
            case ListNode list:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in list.Items)
                {
                    Emit(emitter, item, topLevel: false);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case ScalarNode scalar:
                EmitScalar(emitter, scalar.Text, scalar.Kind);
                break;
            default:
                throw new InvalidOperationException("Unknown node type " + node.GetType().Name);
        }
    }

    private static void EmitScalar(IEmitter emitter, string text, ScalarKind kind)
    {
        var style = kind switch
        {
            ScalarKind.String when NeedsQuotes(text) || !PlainSafe.IsMatch(text) || text.StartsWith("- ", StringComparison.Ordinal) => ScalarStyle.DoubleQuoted,
            ScalarKind.String => ScalarStyle.Plain,
            _ => ScalarStyle.Plain,
        };
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }
}
