using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ConfigAsCode.Synthesis.Evaluation;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>The labels, selector and annotations every object of one deployment shares.</summary>
internal sealed class WorkloadIdentity
{
    public const string ManagedBy = "configascode";
    public const string AnnotationPrefix = "configascode.io/";

    public WorkloadIdentity(InferenceDeployment deployment, string platformName)
    {
        Deployment = deployment;
        Name = deployment.Name;
        Namespace = Network.ClusterLayout.NamespaceOf(deployment);
        ConfigHash = HashOf(deployment);

        Selector = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/instance"] = deployment.Name,
            ["app.kubernetes.io/name"] = deployment.Name,
        };

        var labels = new SortedDictionary<string, string>(Selector, StringComparer.Ordinal)
        {
            ["app.kubernetes.io/component"] = "inference-server",
            ["app.kubernetes.io/managed-by"] = ManagedBy,
            ["app.kubernetes.io/part-of"] = LabelValues.Sanitize(platformName) ?? "platform",
            ["env"] = deployment.Environment.Name,

            // OpenCost's default "app" allocation label.
            ["app"] = deployment.Name,
        };
        AddIfPresent(labels, "app.kubernetes.io/version", LabelValues.Sanitize(deployment.Image.Tag));
        AddIfPresent(labels, "model", LabelValues.Sanitize(deployment.Model.Id));
        foreach (var pair in CostLabels(deployment))
        {
            labels[pair.Key] = pair.Value;
        }

        Labels = labels.ToArray();
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [AnnotationPrefix + "config-hash"] = ConfigHash,
            [AnnotationPrefix + "model-id"] = deployment.Model.Id,
        };
        if (!string.IsNullOrEmpty(deployment.Model.Revision))
        {
            annotations[AnnotationPrefix + "model-revision"] = deployment.Model.Revision!;
        }

        Annotations = annotations.ToArray();

        // The pod template changes by itself when a setting that reaches the pod changes; the config hash there would
        // also restart every GPU pod (minutes of model load) for a new MaxReplicas, load, SLO or canary step.
        PodAnnotations = annotations.Where(a => a.Key != AnnotationPrefix + "config-hash").ToArray();
        SelectorPairs = Selector.ToArray();
    }

    public InferenceDeployment Deployment { get; }

    public string Name { get; }

    /// <summary>The namespace the objects are created in (environment-suffixed on a shared cluster).</summary>
    public string Namespace { get; }

    /// <summary>SHA-256 of the effective configuration, 16 hex digits; changes whenever any setting does.</summary>
    public string ConfigHash { get; }

    /// <summary>The immutable selector: name and instance only.</summary>
    public SortedDictionary<string, string> Selector { get; }

    public KeyValuePair<string, string>[] SelectorPairs { get; }

    public KeyValuePair<string, string>[] Labels { get; }

    public KeyValuePair<string, string>[] Annotations { get; }

    /// <summary>The annotations of the pod template: the model's identity, not the config hash.</summary>
    public KeyValuePair<string, string>[] PodAnnotations { get; }

    public string ServiceAccountName => Deployment.Security.ServiceAccountName ?? Deployment.Name;

    /// <summary>Metadata for an object of this deployment.</summary>
    public MapNode Metadata(string? name = null, bool withAnnotations = false) => new MapNode()
        .Set("name", name ?? Name)
        .Set("namespace", Namespace)
        .Set("labels", MapNode.Of(Labels))
        .Set("annotations", withAnnotations ? MapNode.Of(Annotations) : null);

    public MapNode SelectorNode() => new MapNode().Set("matchLabels", MapNode.Of(SelectorPairs));

    /// <summary><c>team</c>, <c>owner</c>, <c>cost-center</c> and free-form labels of the deployment's cost attribution.</summary>
    public static IEnumerable<KeyValuePair<string, string>> CostLabels(InferenceDeployment deployment)
    {
        var cost = deployment.Cost;
        if (cost is null)
        {
            yield break;
        }

        foreach (var pair in (cost.Labels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return pair;
        }

        if (!string.IsNullOrEmpty(cost.Team))
        {
            yield return new("team", cost.Team!);
        }

        if (!string.IsNullOrEmpty(cost.Owner))
        {
            yield return new("owner", cost.Owner!);
        }

        if (!string.IsNullOrEmpty(cost.CostCenter))
        {
            yield return new("cost-center", cost.CostCenter!);
        }
    }

    private static void AddIfPresent(IDictionary<string, string> labels, string key, string? value)
    {
        if (value is not null)
        {
            labels[key] = value;
        }
    }

    private static string HashOf(InferenceDeployment deployment) => DeploymentFlattener.Hash(deployment);
}
