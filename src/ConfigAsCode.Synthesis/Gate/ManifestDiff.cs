using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Secrets;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>One changed field: its exact path (down to list items), the values before and after, and why it is risky.</summary>
public sealed record FieldChange(string Path, string Before, string After, string? Risk)
{
    public override string ToString() => $"{Path}: {Before} → {After}" + (Risk is null ? string.Empty : $"  [risky: {Risk}]");
}

/// <summary>One object of a per-app file (<c>manifests.yaml</c>) that was added, removed or changed, with its changed fields.</summary>
/// <param name="Kind">The object's kind.</param>
/// <param name="Name">Its <c>metadata.name</c>.</param>
/// <param name="Change">Added, changed or removed inside the file.</param>
/// <param name="Fields">The changed fields, paths as in a one-object file (<c>spec.replicas</c>).</param>
public sealed record DocumentDrift(string Kind, string Name, FileChangeKind Change, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>How the object is named in a field path: <c>[Deployment/chat]</c>.</summary>
    public string Label => $"[{Kind}/{Name}]";
}

/// <summary>
/// Compares two versions of one manifest field by field. List items are matched the way a reviewer reads them:
/// by <c>name</c> (<c>containers[vllm]</c>, <c>env[HF_TOKEN]</c>), engine arguments by flag
/// (<c>args --max-num-seqs</c>), anything else by index. Values that look like secrets are redacted.
/// </summary>
public static class ManifestDiff
{
    public const string Absent = "(absent)";

    public static IReadOnlyList<FieldChange> Diff(string before, string after, string kind)
    {
        var changes = new Changes();
        var (left, leftCount) = Parse(before);
        var (right, rightCount) = Parse(after);
        if (leftCount > 1 || rightCount > 1)
        {
            // A second object appended to a one-object file: told object by object, so it is not read as formatting.
            return Flatten(DiffDocuments(before, after));
        }

        if (left is null || right is null)
        {
            changes.Add(new FieldChange("(document)", left is null ? "(unparseable)" : "(document)", right is null ? "(unparseable)" : "(document)", null));
            return changes;
        }

        Compare(string.Empty, left, right, changes, kind, envName: null);
        return changes;
    }

    /// <summary>
    /// Compares two versions of a multi-document file object by object: documents are matched by kind and
    /// <c>metadata.name</c>, so an object added in the middle shows as one added object, not every later one changed.
    /// The file is split at its <c>---</c> lines and each document parsed on its own, as kustomize reads it: one
    /// document that is not YAML (a merge-conflict marker) is reported as such, and every other object is still compared.
    /// </summary>
    public static IReadOnlyList<DocumentDrift> DiffDocuments(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var left = ParseAll(before);
        var right = ParseAll(after);
        var result = new List<DocumentDrift>();
        foreach (var key in left.Keys.Concat(right.Keys).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
        {
            left.TryGetValue(key, out var l);
            right.TryGetValue(key, out var r);
            var (kind, name, _, _) = (l ?? r)!.Value;
            if (l is { Node: null } || r is { Node: null })
            {
                // A document that is not YAML, on either side: unless it is the same text, say so at its place.
                if (l is null || r is null || !string.Equals(l.Value.Text, r.Value.Text, StringComparison.Ordinal))
                {
                    result.Add(new DocumentDrift(kind, name, l is null ? FileChangeKind.Added : r is null ? FileChangeKind.Removed : FileChangeKind.Changed,
                        [new FieldChange("(document)", l is null ? Absent : l.Value.Node is null ? "(unparseable)" : "(object)", r is null ? Absent : r.Value.Node is null ? "(unparseable)" : "(object)", null)]));
                }

                continue;
            }

            if (l is null || r is null)
            {
                result.Add(WholeObject(kind, name, added: l is null));
                continue;
            }

            var changes = new Changes();
            Compare(string.Empty, l.Value.Node, r.Value.Node, changes, kind, envName: null);
            if (changes.Count > 0)
            {
                result.Add(new DocumentDrift(kind, name, FileChangeKind.Changed, changes));
            }
        }

        return result;
    }

    /// <summary>
    /// The objects of a multi-document file that comes or goes as a whole, named from each document's <c>kind:</c> and
    /// <c>metadata.name</c> lines without parsing it (a first build of a large fleet adds thousands of such files).
    /// </summary>
    public static IReadOnlyList<DocumentDrift> ListDocuments(string text, bool added)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<DocumentDrift>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in SplitDocuments(text))
        {
            var (kind, name) = Scan(document);
            var (k, n) = (Label(kind, "(no kind)"), Label(name, "(no name)"));
            var unique = n;
            for (var copy = 2; !seen.Add($"{k}/{unique}"); copy++)
            {
                unique = $"{n}#{copy}";
            }

            result.Add(WholeObject(k, unique, added));
        }

        return result.OrderBy(d => $"{d.Kind}/{d.Name}", StringComparer.Ordinal).ToArray();
    }

    /// <summary>The fields of <paramref name="documents"/> as one list, each path prefixed with its object (<c>[Deployment/chat] spec.replicas</c>).</summary>
    public static IReadOnlyList<FieldChange> Flatten(IEnumerable<DocumentDrift> documents) =>
        documents.SelectMany(d => d.Fields.Select(f => f with { Path = f.Path == "(object)" ? d.Label : $"{d.Label} {f.Path}" })).ToArray();

    // The whole object comes or goes: a network policy still deserves the reviewer's eye.
    private static DocumentDrift WholeObject(string kind, string name, bool added) =>
        new(kind, name, added ? FileChangeKind.Added : FileChangeKind.Removed, [new FieldChange("(object)", added ? Absent : "(object)", added ? "(object)" : Absent, RiskOf(string.Empty, kind, added ? "(object)" : Absent))]);

    /// <summary>
    /// The documents of a YAML stream, split before each line that starts one (<c>---</c>, which stays with its
    /// document: <c>--- {kind: ConfigMap, …}</c> is that document's content); documents with nothing but blank lines
    /// and comments are left out.
    /// </summary>
    internal static IReadOnlyList<string> SplitDocuments(string text)
    {
        var documents = new List<string>();
        var start = 0;
        for (var at = 0; ; )
        {
            var end = text.IndexOf('\n', at);
            if (at > start && IsDocumentStart(text.AsSpan(at, (end < 0 ? text.Length : end) - at)))
            {
                Add(text.Substring(start, at - start));
                start = at;
            }

            if (end < 0)
            {
                break;
            }

            at = end + 1;
        }

        Add(text.Substring(start));
        return documents;

        void Add(string document)
        {
            foreach (var line in document.Split('\n'))
            {
                var content = line.AsSpan().Trim();
                if (content.StartsWith("---", StringComparison.Ordinal) && IsDocumentStart(line))
                {
                    content = content.Slice(3).Trim();
                }

                if (!content.IsEmpty && content[0] != '#')
                {
                    documents.Add(document);
                    return;
                }
            }
        }
    }

    private static bool IsDocumentStart(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd('\r');
        return line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || line[3] is ' ' or '\t');
    }

    // The "kind:" and "metadata.name" lines of a document in the block style the writer uses, without parsing it.
    private static (string? Kind, string? Name) Scan(string document)
    {
        string? kind = null;
        string? name = null;
        var inMetadata = false;
        foreach (var line in document.Split('\n'))
        {
            if (line.Length > 0 && line[0] != ' ' && line[0] != '#')
            {
                inMetadata = line.TrimEnd() == "metadata:";
                kind ??= line.StartsWith("kind:", StringComparison.Ordinal) ? Unquoted(line.Substring(5)) : null;
            }
            else if (inMetadata && name is null && line.StartsWith("  name:", StringComparison.Ordinal))
            {
                name = Unquoted(line.Substring(7));
            }
        }

        return (kind, name);
    }

    // Each document keyed by "kind/name"; a key seen twice (a hand-edited file) gets "#2", so neither copy is hidden.
    // A document that is not YAML is kept without a tree, named from its kind and name lines when it has them (a
    // conflict marker in a Deployment is still the Deployment), else "(unparseable)/document N". A piece the split
    // left with several documents (line breaks other than \n) has each of them keyed.
    private static Dictionary<string, (string Kind, string Name, YamlNode? Node, string Text)?> ParseAll(string text)
    {
        var result = new Dictionary<string, (string Kind, string Name, YamlNode? Node, string Text)?>(StringComparer.Ordinal);
        void Add(string kind, string name, YamlNode? node, string document)
        {
            var unique = name;
            for (var copy = 2; result.ContainsKey($"{kind}/{unique}"); copy++)
            {
                unique = $"{name}#{copy}";
            }

            result[$"{kind}/{unique}"] = (kind, unique, node, document);
        }

        var documents = SplitDocuments(text);
        for (var i = 0; i < documents.Count; i++)
        {
            YamlStream stream;
            try
            {
                stream = new YamlStream();
                stream.Load(new StringReader(documents[i]));
            }
            catch (Exception e) when (e is YamlException or ArgumentException or InvalidOperationException)
            {
                var (scannedKind, scannedName) = Scan(documents[i]);
                if (scannedKind is null)
                {
                    Add("(unparseable)", $"document {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}", null, documents[i]);
                }
                else
                {
                    Add(Label(scannedKind, "(no kind)"), Label(scannedName, "(no name)"), null, documents[i]);
                }

                continue;
            }

            foreach (var root in stream.Documents.Select(d => d.RootNode))
            {
                if (root is YamlScalarNode { Value: null or "" })
                {
                    continue;
                }

                var kind = Label(root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("kind"), out var k) && k is YamlScalarNode ks ? ks.Value : null, "(no kind)");
                var name = Label(root is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
                    && meta.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode ns ? ns.Value : null, "(no name)");
                Add(kind, name, root, stream.Documents.Count == 1 ? documents[i] : documents[i] + "#" + kind + "/" + name);
            }
        }

        return result;
    }

    // A kind or name as printed: a hand-edited snapshot can carry anything there, so a value shaped like a token is
    // never printed, and a control character, a backtick or a bracket cannot break the line or the label it is in.
    private static string Label(string? value, string missing)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return missing;
        }

        // Control and format characters (bidirectional overrides among them) and line or paragraph separators too.
        var redacted = Redact(value.Trim());
        return new string(redacted.Select(c => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator || c is '`' or '[' or ']' ? '?' : c).ToArray());
    }

    private static string Unquoted(string value) => value.Trim().Trim('"', '\'');

    private static (YamlNode? Root, int Documents) Parse(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return (stream.Documents.Count == 0 ? new YamlMappingNode() : stream.Documents[0].RootNode, stream.Documents.Count);
        }
        catch (Exception e) when (e is YamlException or ArgumentException or InvalidOperationException)
        {
            return (null, 0);
        }
    }

    /// <summary>
    /// The changes of one comparison, and how far it may go: a committed document can hold an alias to itself (a cycle)
    /// or aliases nested to expand exponentially; generated manifests are a few hundred nodes, 15 levels deep.
    /// </summary>
    private sealed class Changes : List<FieldChange>
    {
        public const int MaximumDepth = 64;

        public int Nodes { get; set; } = 200_000;

        public int Depth { get; set; }

        /// <summary>False (once reported as a field) when the comparison has gone as far as it may.</summary>
        public bool Enter(string path)
        {
            if (--Nodes >= 0 && Depth < MaximumDepth)
            {
                Depth++;
                return true;
            }

            if (!this.Any(c => c.After == TooLarge))
            {
                Add(new FieldChange(path.Length == 0 ? "(document)" : path, "(not compared)", TooLarge, null));
            }

            return false;
        }

        public void Leave() => Depth--;
    }

    private const string TooLarge = "(too deep or too large to compare: aliases?)";

    private static void Compare(string path, YamlNode? left, YamlNode? right, Changes changes, string kind, string? envName)
    {
        if (!changes.Enter(path))
        {
            return;
        }

        try
        {
            CompareNodes(path, left, right, changes, kind, envName);
        }
        finally
        {
            changes.Leave();
        }
    }

    private static void CompareNodes(string path, YamlNode? left, YamlNode? right, Changes changes, string kind, string? envName)
    {
        switch (left, right)
        {
            case (YamlMappingNode l, YamlMappingNode r):
                var keys = l.Children.Keys.Concat(r.Children.Keys).Select(Text).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    l.Children.TryGetValue(new YamlScalarNode(key), out var lv);
                    r.Children.TryGetValue(new YamlScalarNode(key), out var rv);
                    Compare(Join(path, key), lv, rv, changes, kind, envName);
                }

                return;
            case (YamlSequenceNode l, YamlSequenceNode r):
                CompareSequences(path, l, r, changes, kind);
                return;
            case (YamlScalarNode l, YamlScalarNode r) when string.Equals(l.Value, r.Value, StringComparison.Ordinal):
                return;
        }

        if (left is null && right is null)
        {
            return;
        }

        var risk = RiskOf(path, kind, Show(right, path, envName))
            ?? (Mentions(left, "secretKeyRef", changes, 0) || Mentions(right, "secretKeyRef", changes, 0) ? "secret reference" : null);
        changes.Add(new FieldChange(path, Show(left, path, envName), Show(right, path, envName), risk));
    }

    // Bounded like Compare: past the budget or the depth, it answers yes (a reviewer looks rather than not).
    private static bool Mentions(YamlNode? node, string key, Changes budget, int depth) => --budget.Nodes < 0 || depth > Changes.MaximumDepth || node switch
    {
        YamlMappingNode map => map.Children.Any(c => Text(c.Key) == key || Mentions(c.Value, key, budget, depth + 1)),
        YamlSequenceNode sequence => sequence.Children.Any(c => Mentions(c, key, budget, depth + 1)),
        _ => false,
    };

    private static void CompareSequences(string path, YamlSequenceNode left, YamlSequenceNode right, Changes changes, string kind)
    {
        if (IsFlagList(left) && IsFlagList(right))
        {
            var l = Flags(left);
            var r = Flags(right);
            foreach (var flag in l.Keys.Concat(r.Keys).Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal))
            {
                var before = l.TryGetValue(flag, out var lv) ? lv : Absent;
                var after = r.TryGetValue(flag, out var rv) ? rv : Absent;
                if (!string.Equals(before, after, StringComparison.Ordinal))
                {
                    changes.Add(new FieldChange($"{path} {flag}", Redact(before), Redact(after), RiskOf(path, kind, after)));
                }
            }

            return;
        }

        if (IsScalarList(left) && IsScalarList(right))
        {
            // Plain lists (a kustomization's resources, capabilities, CIDRs) are read as sets: removing one entry
            // shows that entry, not every later one shifted by an index.
            var l = left.Children.Select(Text).ToArray();
            var r = right.Children.Select(Text).ToArray();
            var found = changes.Count;
            foreach (var removed in l.Except(r, StringComparer.Ordinal))
            {
                changes.Add(new FieldChange(path, Redact(removed), Absent, RiskOf(path, kind, Absent)));
            }

            foreach (var added in r.Except(l, StringComparer.Ordinal))
            {
                changes.Add(new FieldChange(path, Absent, Redact(added), RiskOf(path, kind, added)));
            }

            if (changes.Count == found && !l.SequenceEqual(r, StringComparer.Ordinal))
            {
                changes.Add(new FieldChange(path + " (order)", string.Join(", ", l.Select(Redact)), string.Join(", ", r.Select(Redact)), RiskOf(path, kind, string.Empty)));
            }

            return;
        }

        if (IsNamedList(left) && IsNamedList(right))
        {
            var l = left.Children.Cast<YamlMappingNode>().ToDictionary(NameOf, StringComparer.Ordinal);
            var r = right.Children.Cast<YamlMappingNode>().ToDictionary(NameOf, StringComparer.Ordinal);
            var order = left.Children.Concat(right.Children).Cast<YamlMappingNode>().Select(NameOf).Distinct(StringComparer.Ordinal);
            foreach (var name in order)
            {
                l.TryGetValue(name, out var lv);
                r.TryGetValue(name, out var rv);
                Compare($"{path}[{name}]", lv, rv, changes, kind, path.EndsWith("env", StringComparison.Ordinal) ? name : null);
            }

            return;
        }

        for (var i = 0; i < Math.Max(left.Children.Count, right.Children.Count); i++)
        {
            Compare($"{path}[{i}]", i < left.Children.Count ? left.Children[i] : null, i < right.Children.Count ? right.Children[i] : null, changes, kind, null);
        }
    }

    private static bool IsFlagList(YamlSequenceNode node) =>
        node.Children.Count > 0 && node.Children.All(c => c is YamlScalarNode s && (s.Value ?? string.Empty).StartsWith("--", StringComparison.Ordinal));

    private static bool IsScalarList(YamlSequenceNode node) => node.Children.Count > 0 && node.Children.All(c => c is YamlScalarNode);

    private static bool IsNamedList(YamlSequenceNode node)
    {
        if (node.Children.Count == 0 || !node.Children.All(c => c is YamlMappingNode m && m.Children.ContainsKey(new YamlScalarNode("name"))))
        {
            return false;
        }

        var names = node.Children.Cast<YamlMappingNode>().Select(NameOf).ToArray();
        return names.Distinct(StringComparer.Ordinal).Count() == names.Length;
    }

    private static string NameOf(YamlMappingNode node) => Text(node.Children[new YamlScalarNode("name")]);

    private static Dictionary<string, string> Flags(YamlSequenceNode node)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in node.Children.Select(Text))
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var flag = equals < 0 ? value : value.Substring(0, equals);
            flags[flag] = equals < 0 ? "(set)" : value.Substring(equals + 1);
        }

        return flags;
    }

    private static string Join(string path, string key)
    {
        var segment = key.IndexOfAny(['.', '/']) >= 0 ? $"[{key}]" : key;
        return path.Length == 0 ? segment : segment.StartsWith("[", StringComparison.Ordinal) ? path + segment : path + "." + segment;
    }

    // Never YamlNode.ToString() on a mapping or a list: a committed document's alias cycle would make it recurse.
    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? string.Empty,
        YamlMappingNode => "{…}",
        YamlSequenceNode => "[…]",
        _ => "?",
    };

    private static string Show(YamlNode? node, string path, string? envName) => node switch
    {
        null => Absent,
        YamlScalarNode s when envName is not null && path.EndsWith(".value", StringComparison.Ordinal) && SecretDetector.Explain(envName, s.Value) is not null => SecretDetector.Placeholder,
        YamlScalarNode s => Redact(s.Value ?? string.Empty),
        YamlMappingNode m => m.Children.Count == 0 ? "{}" : "{…}",
        YamlSequenceNode q => q.Children.Count == 0 ? "[]" : "[…]",
        _ => "?",
    };

    private static string Redact(string value) => SecretDetector.DetectTokenFormat(value) is null ? value : SecretDetector.Placeholder;

    /// <summary>Why a change deserves a reviewer's attention, or null.</summary>
    internal static string? RiskOf(string path, string kind, string after)
    {
        if (string.Equals(kind, "NetworkPolicy", StringComparison.Ordinal))
        {
            return "network policy";
        }

        if (string.Equals(kind, "Kustomization", StringComparison.Ordinal))
        {
            return "kustomization (what Argo CD applies)";
        }

        if (path.Contains("securityContext", StringComparison.Ordinal) || path.Contains("hostNetwork", StringComparison.Ordinal) || path.Contains("hostPID", StringComparison.Ordinal) || path.Contains("hostIPC", StringComparison.Ordinal) || path.Contains("automountServiceAccountToken", StringComparison.Ordinal))
        {
            return "security context";
        }

        if (path.Contains("secretKeyRef", StringComparison.Ordinal) || (path.Contains(".env[", StringComparison.Ordinal) && path.Contains("valueFrom", StringComparison.Ordinal)))
        {
            return "secret reference";
        }

        if ((path.EndsWith("replicas", StringComparison.Ordinal) || path.EndsWith("minReplicas", StringComparison.Ordinal) || path.EndsWith("maxReplicas", StringComparison.Ordinal)) && after == "0")
        {
            return "replicas → 0";
        }

        return null;
    }
}
