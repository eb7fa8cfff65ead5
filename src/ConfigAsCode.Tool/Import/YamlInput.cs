using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ConfigAsCode.Synthesis.Gate;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>
/// Reads YAML files and folders (every <c>*.yaml</c>/<c>*.yml</c> below a folder, in ordinal path order) as multi-document
/// streams: <c>---</c> separators, empty documents and Helm's <c># Source:</c> comments, and <c>kind: List</c> items.
/// </summary>
internal static class YamlInput
{
    /// <summary>Generated manifests nest about 15 levels; a CustomResourceDefinition's schema some 40.</summary>
    private const int MaximumDepth = 256;

    /// <summary>Nodes of one document with every alias expanded: far above any manifest, far below what exhausts memory or time.</summary>
    private const int MaximumNodes = 1_000_000;

    private static readonly string TooDeep = $"the document nests deeper than {MaximumDepth} levels or its aliases expand past {MaximumNodes} nodes (an alias that contains itself does both), which no Kubernetes manifest does. Write the objects out without anchors and aliases and import again.";

    private static readonly string TooManyAliases = $"aliases expand past {MaximumNodes} nodes in the files imported together (each document below the limit, many documents above it), which no Kubernetes manifest does. Write the objects out without anchors and aliases and import again.";

    /// <summary>What alias expansions may still cost, shared by every document of one import: a limit per document alone let many documents each just below it take minutes.</summary>
    public sealed class AliasBudget
    {
        internal int Left { get; set; } = MaximumNodes;
    }

    private static readonly Regex HelmSource = new(@"^#\s*Source:\s*(?<source>\S.*?)\s*$", RegexOptions.CultureInvariant);

    /// <summary>Every object in <paramref name="paths"/>; a path that cannot be read throws <see cref="ToolInputException"/>.</summary>
    public static IReadOnlyList<SourceObject> Read(IReadOnlyList<string> paths, string workingDirectory)
    {
        var files = new List<(string Full, string Display, string? Environment)>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, workingDirectory);
            if (Directory.Exists(full))
            {
                string[] found;
                try
                {
                    found = Directory.EnumerateFiles(full, "*.*", SearchOption.AllDirectories)
                        .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                        .Where(f => !IsHidden(Path.GetRelativePath(full, f)))
                        .OrderBy(f => f.Replace('\\', '/'), StringComparer.Ordinal)
                        .ToArray();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A folder below that cannot be listed (its permissions, a link into /proc) is not skipped in silence.
                    throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, Display(full, workingDirectory), 0, $"a folder below it cannot be listed ({e.GetType().Name}). Check the permissions of the folders below it, or name the YAML files or folders to import."));
                }

                foreach (var file in found)
                {
                    // A pipe or a device named *.yaml (or a link to one) would be read forever; one named on the command
                    // line (/dev/stdin) is read.
                    if (FileStatus.IsSpecial(file, followLinks: true))
                    {
                        throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, Display(file, workingDirectory), 0, "is a pipe, socket or device, not a file; nothing was read. Remove it, or name the files to import."));
                    }

                    // The folder the user named and the folders below it say the environment (deploy/prod/chat/x.yaml).
                    var relative = Path.GetRelativePath(Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar)) ?? full, file);
                    files.Add((file, Display(file, workingDirectory), EnvironmentNames.FromPath(relative)));
                }
            }
            else if (File.Exists(full))
            {
                files.Add((full, Display(full, workingDirectory), EnvironmentNames.FromPath(Display(full, workingDirectory))));
            }
            else
            {
                throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, Display(full, workingDirectory), 0, "no such file or folder. Name YAML files or folders that hold them."));
            }
        }

        var objects = new List<SourceObject>();
        var aliases = new AliasBudget();
        foreach (var (full, display, environment) in files.DistinctBy(f => f.Full, StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(full);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, display, 0, $"cannot be read ({e.GetType().Name}). Check the file's permissions."));
            }

            objects.AddRange(Parse(text, display, environment, aliases));
        }

        return objects;
    }

    /// <summary>The objects of one YAML text; invalid YAML throws <see cref="ToolInputException"/> with its line.</summary>
    public static IReadOnlyList<SourceObject> Parse(string text, string display, string? environment, AliasBudget? aliases = null)
    {
        aliases ??= new AliasBudget();
        var stream = new YamlStream();
        try
        {
            // The loader builds nodes recursively, so nesting is measured on the parser's events first: 200,000
            // opening brackets would overflow the stack, which no coded message can report.
            var parser = new Parser(new StringReader(text));
            var depth = 0;
            while (parser.MoveNext())
            {
                if (parser.Current is YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart && ++depth > MaximumDepth)
                {
                    throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, display, (int)Math.Min(int.MaxValue, parser.Current.Start.Line), TooDeep));
                }

                if (parser.Current is YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd)
                {
                    depth--;
                }
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var hint = text.Contains("{{", StringComparison.Ordinal)
                ? "It looks like an unrendered Helm template: render it first (helm template <release> <chart> > rendered.yaml) and import the output."
                : "Fix the YAML (a tab in the indentation, an unclosed quote) and import again.";
            var reason = e.Message.Replace('\n', ' ');
            var position = reason.IndexOf("): ", StringComparison.Ordinal);
            if (reason.StartsWith('(') && position > 0)
            {
                reason = reason[(position + 3)..];
            }

            throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, display, (int)Math.Min(int.MaxValue, e.Start.Line), $"not valid YAML: {reason.TrimEnd('.')}. {hint}"));
        }

        var sources = HelmSources(text);
        var objects = new List<SourceObject>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                // Empty documents (a bare ---, or a Helm template that rendered nothing) hold no object.
                continue;
            }

            if (Unreadable(root, aliases) is { } unreadable)
            {
                throw new ToolInputException(new ToolMessage(ToolCodes.InputUnreadable, display, Yaml.Line(unreadable.Node), unreadable.Problem));
            }

            var line = Yaml.Line(root);
            var source = sources.LastOrDefault(s => s.Line < line).Source;
            if (string.Equals(Yaml.Text(root, "kind"), "List", StringComparison.Ordinal))
            {
                foreach (var item in Yaml.Maps(root, "items"))
                {
                    objects.Add(new SourceObject(display, Yaml.Line(item), source, environment, item));
                }
            }
            else
            {
                objects.Add(new SourceObject(display, line, source, environment, root));
            }
        }

        return objects;
    }

    /// <summary>
    /// The first node that makes a document unreadable as a manifest, walked without recursion and within bounds: a
    /// mapping key that is itself a mapping or a list, an alias that contains itself (a cycle), aliases that expand
    /// past <see cref="MaximumNodes"/> nodes, or nesting deeper than <see cref="MaximumDepth"/>. Every later reader
    /// (the importer, the comparison, the credential check) walks the document as a tree, so it is refused here, as
    /// kubectl refuses excessive aliasing.
    /// </summary>
    private static (YamlNode Node, string Problem)? Unreadable(YamlNode root, AliasBudget aliases)
    {
        var budget = MaximumNodes;
        var seen = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(YamlNode Node, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (--budget < 0 || depth > MaximumDepth)
            {
                return (node, TooDeep);
            }

            // A node reached again is an alias expanded: counted against what the whole import may expand.
            if (!seen.Add(node) && --aliases.Left < 0)
            {
                return (node, TooManyAliases);
            }

            switch (node)
            {
                case YamlMappingNode map:
                    if (map.Children.Keys.FirstOrDefault(k => k is not YamlScalarNode) is { } key)
                    {
                        // "name: {{ .Release.Name }}" is valid YAML (a flow mapping used as a key), but no manifest has such keys.
                        return (key, "a mapping key is itself a mapping, which no Kubernetes manifest has. It looks like an unrendered Helm template: render it first (helm template <release> <chart> > rendered.yaml) and import the output.");
                    }

                    foreach (var value in map.Children.Values.Reverse())
                    {
                        pending.Push((value, depth + 1));
                    }

                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children.Reverse())
                    {
                        pending.Push((item, depth + 1));
                    }

                    break;
            }
        }

        return null;
    }

    // Helm writes "# Source: chart/templates/x.yaml" above each document; a document takes the nearest one above it.
    private static List<(int Line, string Source)> HelmSources(string text)
    {
        var sources = new List<(int, string)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = HelmSource.Match(lines[i].TrimEnd('\r'));
            if (match.Success)
            {
                sources.Add((i + 1, match.Groups["source"].Value));
            }
            else if (lines[i].StartsWith("---", StringComparison.Ordinal))
            {
                // A separator ends the previous document's source; the next "# Source:" starts a new one.
                sources.Add((i + 1, null!));
            }
        }

        return sources.Select(s => (s.Item1, s.Item2)).ToList();
    }

    private static bool IsHidden(string relative) =>
        relative.Replace('\\', '/').Split('/').Any(s => s.StartsWith('.'));

    /// <summary>A path as messages show it: relative to the working directory with '/' when below it, else as given.</summary>
    public static string Display(string full, string workingDirectory)
    {
        var relative = Path.GetRelativePath(workingDirectory, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative).Replace('\\', '/');
    }
}
