using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;

namespace ConfigAsCode.Synthesis.Readiness;

/// <summary>
/// The manifests rendered for one deployment, searchable by kind and field path, so a readiness item can point at the
/// exact field that proves it. Paths use the drift output's syntax: <c>spec.template.spec.containers[vllm].startupProbe</c>
/// (a list item by its <c>name</c>, or by index), <c>metadata.annotations[prometheus.io/scrape]</c> (a key with dots).
/// </summary>
internal sealed class RenderedManifests
{
    private readonly IReadOnlyList<ObjectDocument> _documents;

    private RenderedManifests(IReadOnlyList<ObjectDocument> documents, string? problem)
    {
        _documents = documents;
        Problem = problem;
    }

    /// <summary>Why nothing was rendered, or null.</summary>
    public string? Problem { get; }

    /// <summary>Manifests already built (by the gate's render), or the reason none were.</summary>
    public static RenderedManifests From(IReadOnlyList<ObjectDocument> documents, string? problem) => new(documents, problem);

    public static RenderedManifests Of(InferenceDeployment d)
    {
        var (documents, problem) = ManifestRenderer.BuildDocuments(d);
        return new RenderedManifests(documents, problem?.Message);
    }

    /// <summary>The first object of <paramref name="kind"/>, or null.</summary>
    public ObjectDocument? Find(string kind)
    {
        for (var i = 0; i < _documents.Count; i++)
        {
            var o = _documents[i];
            if (o.Document.TryGet("kind", out var k) && k is ScalarNode s && string.Equals(s.Text, kind, StringComparison.Ordinal))
            {
                return o;
            }
        }

        return null;
    }

    /// <summary>
    /// The object that holds the pod template: the Deployment (also while a Rollout adopts it), else the Rollout, else
    /// a multi-node replica's LeaderWorkerSet (whose leader pod serves the API and carries the probes).
    /// </summary>
    public ObjectDocument? PodOwner => Find("Deployment") ?? Find("Rollout") ?? Find("LeaderWorkerSet");

    /// <summary>The path of <see cref="PodOwner"/>'s pod template: <c>spec.template</c>, or the LeaderWorkerSet's leader template.</summary>
    public string PodTemplate => Find("Deployment") is null && Find("Rollout") is null && Find("LeaderWorkerSet") is not null
        ? "spec.leaderWorkerTemplate.leaderTemplate"
        : "spec.template";

    /// <summary>The node at <paramref name="path"/> in <paramref name="document"/>, or null.</summary>
    public static ManifestNode? Get(ObjectDocument? document, string path)
    {
        // Walked over spans of the path: a checklist asks for dozens of paths per deployment, and substrings for
        // every segment were a third of what readiness allocated at 10,000 deployments.
        ManifestNode? node = document?.Document;
        var i = 0;
        while (i < path.Length)
        {
            var end = i;
            while (end < path.Length && path[end] != '.' && path[end] != '[')
            {
                end++;
            }

            if (end > i && node is MapNode map)
            {
                node = map.TryGet(path.AsSpan(i, end - i), out var value) ? value : null;
            }

            if (end < path.Length && path[end] == '[')
            {
                var close = path.IndexOf(']', end);
                node = Select(node, path.AsSpan(end + 1, close - end - 1));
                end = close + 1;
            }

            if (node is null)
            {
                return null;
            }

            i = end < path.Length && path[end] == '.' ? end + 1 : end;
        }

        return node;
    }

    // A list item by index or by its name, or a map entry by key.
    private static ManifestNode? Select(ManifestNode? node, ReadOnlySpan<char> selector)
    {
        switch (node)
        {
            case ListNode list when int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var index):
                return index < list.Items.Count ? list.Items[index] : null;
            case ListNode list:
                foreach (var item in list.Items)
                {
                    if (item is MapNode m && m.TryGet("name", out var name) && name is ScalarNode s && selector.SequenceEqual(s.Text))
                    {
                        return m;
                    }
                }

                return null;
            case MapNode map:
                return map.TryGet(selector, out var value) ? value : null;
            default:
                return null;
        }
    }

    public static string? Text(ObjectDocument? document, string path) => Get(document, path) is ScalarNode scalar ? scalar.Text : null;

    /// <summary>An evidence entry for the field at <paramref name="path"/> of <paramref name="document"/>; null when the field is absent.</summary>
    public static ReadinessEvidence? Evidence(ObjectDocument? document, string path, Func<ManifestNode, string>? describe = null)
    {
        var node = Get(document, path);
        return node is null || document is null ? null : new ReadinessEvidence(document.Path, path, describe is null ? Describe(node) : describe(node));
    }

    /// <summary>A short rendering of a node: a scalar's text, a flag list's length, a map's keys.</summary>
    public static string Describe(ManifestNode node) => node switch
    {
        ScalarNode scalar => scalar.Text,
        ListNode list => string.Join(", ", list.Items.Select(i => i is ScalarNode s ? s.Text : i is MapNode m && m.TryGet("name", out var n) && n is ScalarNode name ? name.Text : "{…}")),
        MapNode map => "{" + string.Join(", ", map.Entries.Select(e => e.Value is ScalarNode s ? $"{e.Key}: {s.Text}" : e.Key)) + "}",
        _ => "?",
    };
}
