using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>The GPU a pod asks for: a catalog entry, or the name the input gives for one the catalog does not have.</summary>
/// <param name="Gpu">The catalog GPU; null when the input names none the catalog has.</param>
/// <param name="UnknownName">The input's name for a GPU the catalog does not have (never guessed into a catalog entry); null otherwise.</param>
/// <param name="Evidence">Where the kind was read, for messages: <c>nodeSelector nvidia.com/gpu.product</c>.</param>
/// <param name="FromProductLabel">True when it came from <c>nvidia.com/gpu.product</c>, the label the renderer selects nodes by.</param>
/// <param name="Count">GPUs per replica from <c>nvidia.com/gpu</c> (or <c>amd.com/gpu</c>) limits or requests; null when the pod asks for none.</param>
internal sealed record GpuRequest(GpuKind? Gpu, string? UnknownName, string? Evidence, bool FromProductLabel, int? Count);

/// <summary>
/// Finds the GPU kind in node selectors, required node affinity and tolerations, matching values against
/// <see cref="GpuCatalog"/> names and GPU Feature Discovery product labels (<c>NVIDIA-H100-80GB-HBM3</c>, GKE's
/// <c>nvidia-l4</c>, Karpenter's <c>l40s</c>). Only an exact match after dropping vendor words counts: an ambiguous value
/// such as <c>nvidia-tesla-a100</c> (40 or 80 GB) or <c>h100</c> (SXM or NVL) is reported as unknown, never guessed.
/// </summary>
internal static class GpuResolver
{
    public const string ProductLabelKey = "nvidia.com/gpu.product";

    // Node labels that name a GPU model on common clusters; any other key with "gpu" or "accelerator" in it is tried too.
    private static readonly string[] KnownKeys =
    [
        ProductLabelKey, "cloud.google.com/gke-accelerator", "karpenter.k8s.aws/instance-gpu-name", "amd.com/gpu.product-name", "accelerator",
    ];

    public static GpuRequest Resolve(YamlMappingNode podSpec, YamlMappingNode container)
    {
        var count = Count(container);
        GpuRequest? unknown = null;
        foreach (var (key, value, evidence) in Candidates(podSpec))
        {
            if (Match(value) is { } gpu)
            {
                return new GpuRequest(gpu, null, evidence, string.Equals(key, ProductLabelKey, StringComparison.Ordinal), count);
            }

            // "gpu: true" marks a GPU node without naming a GPU; a value that names something is an unknown GPU.
            if (unknown is null && value.Trim().ToLowerInvariant() is not ("true" or "false" or "yes" or "no" or "present" or ""))
            {
                unknown = new GpuRequest(null, value, evidence, string.Equals(key, ProductLabelKey, StringComparison.Ordinal), count);
            }
        }

        return unknown ?? new GpuRequest(null, null, null, false, count);
    }

    /// <summary>
    /// The GPU and the placement scheme whose labels, from the toolkit's own <see cref="NodeLabelCatalog"/>, are exactly
    /// the pod's GPU node labels (a nodeSelector entry, or a required node affinity <c>In</c> the same values): the
    /// renderer selects nodes the same way. Null unless exactly one catalog GPU matches, with the most labels (Karpenter
    /// tells A100 40 and 80 GB apart by memory).
    /// </summary>
    public static (GpuKind Gpu, NodePlacement Placement, string Evidence)? Placement(YamlMappingNode podSpec)
    {
        var selector = Yaml.Pairs(Yaml.Map(podSpec, "nodeSelector")).ToDictionary(p => p.Key, p => new[] { p.Value }, StringComparer.Ordinal);
        var required = Yaml.Map(Yaml.Map(Yaml.Map(podSpec, "affinity"), "nodeAffinity"), "requiredDuringSchedulingIgnoredDuringExecution");
        var terms = Yaml.Maps(required, "nodeSelectorTerms").ToArray();
        if (terms.Length == 1)
        {
            foreach (var expression in Yaml.Maps(terms[0], "matchExpressions").Where(e => Yaml.Text(e, "operator") == "In" && Yaml.Text(e, "key") is not null))
            {
                selector[Yaml.Text(expression, "key")!] = Yaml.Sequence(expression, "values")?.Children.Select(Yaml.Text).OfType<string>().ToArray() ?? [];
            }
        }

        var schemes = new[] { NodePlacement.GpuFeatureDiscovery, NodePlacement.Gke, NodePlacement.Karpenter, NodePlacement.Aks };
        var matches = (from placement in schemes
                       from gpu in GpuCatalog.All
                       let labels = placement.LabelsFor(gpu)
                       where labels.Count > 0 && labels.All(l => selector.TryGetValue(l.Key, out var values) && values.OrderBy(v => v, StringComparer.Ordinal).SequenceEqual(l.Values.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal), StringComparer.Ordinal))
                       select (Gpu: gpu, Placement: placement, Labels: labels)).ToArray();
        if (matches.Length == 0)
        {
            return null;
        }

        var most = matches.Max(m => m.Labels.Count);
        var best = matches.Where(m => m.Labels.Count == most).ToArray();
        if (best.Select(m => m.Gpu).Distinct().Count() != 1 || best.Select(m => m.Placement).Distinct().Count() != 1)
        {
            return null;
        }

        var evidence = string.Join(", ", best[0].Labels.Select(l => $"{l.Key}={string.Join("|", l.Values)}"));
        return (best[0].Gpu, best[0].Placement, evidence);
    }

    /// <summary>The catalog GPU <paramref name="value"/> names exactly (vendor words and punctuation aside), or null.</summary>
    public static GpuKind? Match(string? value)
    {
        var wanted = Normalize(value);
        if (wanted.Length == 0)
        {
            return null;
        }

        var matches = GpuCatalog.All.Where(g => Normalize(g.Name) == wanted || (g.ProductLabel is { } label && Normalize(label) == wanted)).ToArray();
        return matches.Length == 1 ? matches[0] : null;
    }

    private static IEnumerable<(string Key, string Value, string Evidence)> Candidates(YamlMappingNode podSpec)
    {
        var selectors = Yaml.Pairs(Yaml.Map(podSpec, "nodeSelector"));
        foreach (var key in KnownKeys)
        {
            foreach (var pair in selectors.Where(p => string.Equals(p.Key, key, StringComparison.Ordinal)))
            {
                yield return (pair.Key, pair.Value, $"nodeSelector {pair.Key}={pair.Value}");
            }
        }

        foreach (var pair in selectors.Where(p => !KnownKeys.Contains(p.Key, StringComparer.Ordinal) && IsGpuKey(p.Key)))
        {
            yield return (pair.Key, pair.Value, $"nodeSelector {pair.Key}={pair.Value}");
        }

        // requiredDuringSchedulingIgnoredDuringExecution: a GPU key "In" exactly one value.
        var required = Yaml.Map(Yaml.Map(Yaml.Map(podSpec, "affinity"), "nodeAffinity"), "requiredDuringSchedulingIgnoredDuringExecution");
        foreach (var term in Yaml.Maps(required, "nodeSelectorTerms"))
        {
            foreach (var expression in Yaml.Maps(term, "matchExpressions"))
            {
                var key = Yaml.Text(expression, "key");
                var values = Yaml.Sequence(expression, "values")?.Children.Select(Yaml.Text).OfType<string>().ToArray() ?? [];
                if (key is not null && IsGpuKey(key) && string.Equals(Yaml.Text(expression, "operator"), "In", StringComparison.Ordinal) && values.Length == 1)
                {
                    yield return (key, values[0], $"node affinity {key} In [{values[0]}]");
                }
            }
        }

        foreach (var toleration in Yaml.Maps(podSpec, "tolerations"))
        {
            var key = Yaml.Text(toleration, "key");
            var value = Yaml.Text(toleration, "value");
            if (key is not null && value is not null && IsGpuKey(key))
            {
                yield return (key, value, $"toleration {key}={value}");
            }
        }
    }

    private static bool IsGpuKey(string key) =>
        key.Contains("gpu", StringComparison.OrdinalIgnoreCase) || key.Contains("accelerator", StringComparison.OrdinalIgnoreCase);

    private static int? Count(YamlMappingNode container)
    {
        var resources = Yaml.Map(container, "resources");
        foreach (var section in new[] { "limits", "requests" })
        {
            foreach (var name in new[] { "nvidia.com/gpu", "amd.com/gpu" })
            {
                if (Yaml.Text(Yaml.Map(resources, section), name) is { } text && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
                {
                    return count;
                }
            }
        }

        return null;
    }

    private static string Normalize(string? value)
    {
        var text = (value ?? string.Empty).ToLowerInvariant();
        foreach (var vendor in new[] { "nvidia", "tesla", "amd", "instinct" })
        {
            text = text.Replace(vendor, string.Empty, StringComparison.Ordinal);
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
