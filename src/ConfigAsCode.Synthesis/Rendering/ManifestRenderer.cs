using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>Options of a rendering run.</summary>
public sealed record RenderOptions
{
    /// <summary>The platform's name, stamped as <c>app.kubernetes.io/part-of</c>.</summary>
    public string PlatformName { get; init; } = "inference-platform";

    /// <summary>Recorded in the provenance sidecar only, never in a manifest.</summary>
    public string GeneratorVersion { get; init; } = typeof(ManifestRenderer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}

/// <summary>One Kubernetes object and where it is written.</summary>
public sealed record RenderedObject(string Environment, string App, string ApiVersion, string Kind, string Name, string Path, MapNode Document);

/// <summary>One file of the GitOps folder: a path relative to the snapshot root (always <c>/</c>-separated) and its text.</summary>
public sealed record RenderedFile(string Path, string Content);

/// <summary>The files, the objects they hold, and the deployments that could not be rendered.</summary>
public sealed record RenderResult(IReadOnlyList<RenderedFile> Files, IReadOnlyList<RenderedObject> Objects, IReadOnlyList<Finding> Findings);

/// <summary>
/// Renders deployments into the GitOps layout <c>&lt;env&gt;/&lt;app&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>, one object per
/// file, with a <c>kustomization.yaml</c> per app and per environment, namespaces under <c>&lt;env&gt;/_namespaces/</c>
/// and provenance in <c>.configascode/provenance.json</c>, outside every applied folder. Pure: the same
/// deployments give the same bytes on any machine, culture or time zone.
/// </summary>
public static class ManifestRenderer
{
    public const string NamespacesFolder = "_namespaces";
    public const string ProvenancePath = ".configascode/provenance.json";

    public static RenderResult Render(IReadOnlyList<InferenceDeployment> deployments, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        options ??= new RenderOptions();
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return RenderInvariant(deployments, options);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static RenderResult RenderInvariant(IReadOnlyList<InferenceDeployment> deployments, RenderOptions options)
    {
        var perDeployment = new (List<RenderedObject> Objects, Finding? Problem)[deployments.Count];
        Parallel.For(0, deployments.Count, i =>
        {
            // Each worker renders under the invariant culture too; the pool's threads do not inherit ours.
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            perDeployment[i] = RenderDeployment(deployments[i], options);
        });

        var objects = new List<RenderedObject>();
        var findings = new List<Finding>();
        foreach (var (rendered, problem) in perDeployment)
        {
            objects.AddRange(rendered);
            if (problem is not null)
            {
                findings.Add(problem);
            }
        }

        var renderable = deployments.Where((_, i) => perDeployment[i].Problem is null || perDeployment[i].Objects.Count > 0).ToArray();
        foreach (var group in renderable.GroupBy(d => (Environment: d.Environment.Name, d.Namespace)).OrderBy(g => g.Key.Environment, StringComparer.Ordinal).ThenBy(g => g.Key.Namespace, StringComparer.Ordinal))
        {
            var document = NamespaceManifest.Build(group.Key.Namespace, group.ToArray(), options.PlatformName);
            objects.Add(new RenderedObject(group.Key.Environment, NamespacesFolder, "v1", "Namespace", group.Key.Namespace, $"{group.Key.Environment}/{NamespacesFolder}/namespace-{group.Key.Namespace}.yaml", document));
        }

        var ordered = objects.OrderBy(o => o.Path, StringComparer.Ordinal).ToArray();
        var files = new RenderedFile[ordered.Length];
        Parallel.For(0, ordered.Length, i => files[i] = new RenderedFile(ordered[i].Path, YamlManifestWriter.Write(ordered[i].Document)));

        var all = new List<RenderedFile>(files);
        foreach (var app in ordered.GroupBy(o => (o.Environment, o.App)))
        {
            all.Add(new RenderedFile($"{app.Key.Environment}/{app.Key.App}/kustomization.yaml", YamlManifestWriter.Write(Kustomization.Build(app.Select(o => o.Path.Substring(o.Path.LastIndexOf('/') + 1))))));
        }

        foreach (var environment in ordered.GroupBy(o => o.Environment))
        {
            all.Add(new RenderedFile($"{environment.Key}/kustomization.yaml", YamlManifestWriter.Write(Kustomization.Build(environment.Select(o => o.App)))));
        }

        all.Add(new RenderedFile(ProvenancePath, Provenance.Write(options, all)));
        return new RenderResult(all.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray(), ordered, findings);
    }

    private static (List<RenderedObject>, Finding?) RenderDeployment(InferenceDeployment d, RenderOptions options)
    {
        var missing = MissingPart(d);
        if (missing is not null)
        {
            return ([], Problem(d, RuleCatalog.NotRenderable, missing, $"{missing} is not set, so no manifest can be written for this deployment. Fix the findings on {missing}."));
        }

        if (d.Rollout is not RollingUpdate)
        {
            return ([], Problem(d, RuleCatalog.RolloutNotRendered, "Rollout", $"{d.Rollout.GetType().Name} is declared, but this version renders only RollingUpdate. Nothing was rendered for this deployment rather than a Deployment that would roll out without the declared guardrails."));
        }

        var id = new WorkloadIdentity(d, options.PlatformName);
        var env = d.Environment.Name;
        var result = new List<RenderedObject>(6);
        void Add(MapNode? document)
        {
            if (document is null)
            {
                return;
            }

            var kind = ((ScalarNode)document["kind"]).Text;
            var name = ((ScalarNode)((MapNode)document["metadata"])["name"]).Text;
            result.Add(new RenderedObject(env, d.Name, ((ScalarNode)document["apiVersion"]).Text, kind, name, $"{env}/{d.Name}/{kind.ToLowerInvariant()}-{name}.yaml", document));
        }

        Add(DeploymentManifest.Build(id));
        Add(ServiceManifests.Service(id));
        Add(ServiceManifests.ServiceAccount(id));
        Add(ServiceManifests.HorizontalPodAutoscaler(id));
        Add(ServiceManifests.PodDisruptionBudget(id));
        Add(NetworkPolicyManifest.Build(id));
        return (result, null);
    }

    private static string? MissingPart(InferenceDeployment d) =>
        d.Environment is null ? "Environment"
        : d.Model is null ? "Model"
        : d.Engine is null ? "Engine"
        : d.Image is null ? "Image"
        : d.Accelerator?.Gpu is null ? "Accelerator"
        : d.Resources is null ? "Resources"
        : d.Scaling?.Signal is null ? "Scaling"
        : d.Probes is null ? "Probes"
        : d.Rollout is null ? "Rollout"
        : d.Observability is null ? "Observability"
        : d.Security?.Network is null ? "Security"
        : d.Env is null || d.Env.Any(e => e is null) ? "Env"
        : d.Security.AddCapabilities is null || d.Security.Network.AllowIngressFromNamespaces is null || d.Security.Network.AllowEgressCidrs is null ? "Security"
        : null;

    private static Finding Problem(InferenceDeployment d, RuleDescriptor rule, string path, string message) =>
        new(rule, rule.DefaultSeverity, FindingOutcome.Violation, d.Name, d.Environment?.Name ?? string.Empty, path, d.DeclaredAt ?? SourceLocation.Unknown, message);
}
