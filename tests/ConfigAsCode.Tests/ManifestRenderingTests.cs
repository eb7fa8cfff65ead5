using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Tests.Support;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace ConfigAsCode.Tests;

public sealed class ManifestRenderingTests
{
    private static readonly RenderOptions Options = new() { PlatformName = "InferencePlatform", GeneratorVersion = "0.1.0" };

    private static RenderResult Render() => ManifestRenderer.Render(RepresentativePlatform.Deployments(), Options);

    [Fact]
    public void The_rendered_platform_matches_its_golden_files()
    {
        var text = new StringBuilder();
        foreach (var file in Render().Files)
        {
            text.Append("# ").Append(file.Path).Append('\n').Append(file.Content).Append('\n');
        }

        Approver.Verify(text.ToString(), "representative-platform", "yaml.txt");
    }

    [Fact]
    public void Every_generated_object_passes_the_kubernetes_schema_validator()
    {
        var result = Render();

        var files = result.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        var results = SchemaValidator.Validate(result.Objects.Select(o => (o.Path, YamlDocuments.ToJson(YamlDocuments.Parse(files[o.Path]))!)));

        Assert.Equal(result.Objects.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Ok, $"{r.Path}: {r.Error}"));
    }

    [Fact]
    public void The_schema_validator_rejects_a_broken_manifest()
    {
        var broken = System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"template":{}}}""")!;

        var result = Assert.Single(SchemaValidator.Validate([("broken.yaml", broken)]));

        Assert.False(result.Ok);
        Assert.Contains("selector", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_document_parses_back_to_the_tree_that_was_rendered()
    {
        var written = Render().Files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal) && !f.Path.EndsWith("kustomization.yaml", StringComparison.Ordinal)).ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        var documents = RepresentativePlatform.Deployments().SelectMany(d => ManifestRenderer.BuildDocuments(d, Options).Documents).ToArray();

        Assert.Equal(written.Count - written.Keys.Count(p => p.Contains("/_namespaces/", StringComparison.Ordinal)), documents.Length);
        foreach (var o in documents)
        {
            YamlDocuments.AssertEquivalent(o.Document, YamlDocuments.Parse(written[o.Path]), o.Path);
        }
    }

    [Fact]
    public void The_layout_is_env_app_kind_name_with_kustomizations_and_a_provenance_sidecar()
    {
        var paths = Render().Files.Select(f => f.Path).ToArray();

        Assert.Contains("prod/chat-70b/deployment-chat-70b.yaml", paths);
        Assert.Contains("prod/chat-70b/horizontalpodautoscaler-chat-70b.yaml", paths);
        Assert.Contains("prod/chat-70b/kustomization.yaml", paths);
        Assert.Contains("prod/_namespaces/namespace-inference.yaml", paths);
        Assert.Contains("prod/_namespaces/namespace-search.yaml", paths);
        Assert.Contains("prod/kustomization.yaml", paths);
        Assert.Contains(".configascode/provenance.json", paths);
        Assert.DoesNotContain("staging/chat-70b/horizontalpodautoscaler-chat-70b.yaml", paths);
        Assert.Equal(paths.OrderBy(p => p, StringComparer.Ordinal), paths);
        Assert.All(paths.Where(p => !p.StartsWith(".configascode/", StringComparison.Ordinal)), p => Assert.Matches(@"^(dev|staging|prod)/[a-z0-9_-]+/[a-z]+(-[a-z0-9-]+)?\.yaml$|^(dev|staging|prod)/kustomization\.yaml$", p));
    }

    [Fact]
    public void Kustomizations_list_exactly_their_folders_resources()
    {
        var files = Render().Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);

        Assert.Equal(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- _namespaces\n- chat-70b\n- reranker\n- support-mistral\n",
            files["prod/kustomization.yaml"]);
        var app = (YamlSequenceNode)((YamlMappingNode)YamlDocuments.Parse(files["prod/chat-70b/kustomization.yaml"])).Children[new YamlScalarNode("resources")];
        var listed = app.Children.Select(c => ((YamlScalarNode)c).Value).ToArray();
        var present = files.Keys.Where(p => p.StartsWith("prod/chat-70b/", StringComparison.Ordinal) && !p.EndsWith("kustomization.yaml", StringComparison.Ordinal)).Select(Path.GetFileName).ToArray();
        Assert.Equal(present, listed);
    }

    [Fact]
    public void The_pod_spec_follows_the_rendering_rules()
    {
        var deployment = Document("prod/chat-70b/deployment-chat-70b.yaml");
        var spec = (MapNode)deployment["spec"];
        var pod = (MapNode)((MapNode)spec["template"])["spec"];
        var container = (MapNode)((ListNode)pod["containers"]).Items[0];
        var resources = (MapNode)container["resources"];
        var args = ((ListNode)container["args"]).Items.Select(a => ((ScalarNode)a).Text).ToArray();

        Assert.False(spec.TryGet("replicas", out _), "an autoscaler owns the replicas");
        Assert.Equal("4", Text(((MapNode)resources["limits"])["nvidia.com/gpu"]));
        Assert.Equal("4", Text(((MapNode)resources["requests"])["nvidia.com/gpu"]));
        Assert.Contains("--max-num-seqs=64", args);
        Assert.Contains("--max-num-batched-tokens=8192", args);
        Assert.Contains("--tensor-parallel-size=4", args);
        Assert.Contains("--gpu-memory-utilization=0.9", args);
        Assert.DoesNotContain(args, a => a.StartsWith("--api-key", StringComparison.Ordinal));

        var volumes = ((ListNode)pod["volumes"]).Items.Cast<MapNode>().ToArray();
        var dshm = (MapNode)volumes.Single(v => Text(v["name"]) == "dshm")["emptyDir"];
        Assert.Equal(("Memory", "16Gi"), (Text(dshm["medium"]), Text(dshm["sizeLimit"])));
        Assert.Contains(((ListNode)container["volumeMounts"]).Items.Cast<MapNode>(), m => Text(m["mountPath"]) == "/dev/shm");

        var env = ((ListNode)container["env"]).Items.Cast<MapNode>().ToDictionary(e => Text(e["name"]), e => e);
        Assert.Equal("hf-token", Text(((MapNode)((MapNode)env["HF_TOKEN"]["valueFrom"])["secretKeyRef"])["name"]));
        Assert.Equal("chat-api", Text(((MapNode)((MapNode)env["VLLM_API_KEY"]["valueFrom"])["secretKeyRef"])["name"]));

        Assert.NotNull(container["startupProbe"]);
        Assert.NotNull(container["readinessProbe"]);
        Assert.NotNull(container["livenessProbe"]);
        Assert.Equal("false", Text(pod["automountServiceAccountToken"]));

        var labels = (MapNode)((MapNode)((MapNode)spec["template"])["metadata"])["labels"];
        Assert.Equal("assistant", Text(labels["team"]));
        Assert.Equal("platform-oncall", Text(labels["owner"]));
        Assert.Equal("cc-1100", Text(labels["cost-center"]));
        Assert.Equal("prod", Text(labels["env"]));
        Assert.Equal("llama-3.1-70b-instruct", Text(labels["model"]));
        var annotations = (MapNode)((MapNode)deployment["metadata"])["annotations"];
        Assert.Equal("meta-llama/Llama-3.1-70B-Instruct", Text(annotations["configascode.io/model-id"]));
        Assert.Matches("^[0-9a-f]{16}$", Text(annotations["configascode.io/config-hash"]));
    }

    [Fact]
    public void Fixed_size_deployments_set_replicas_and_get_no_autoscaler()
    {
        var spec = (MapNode)Document("staging/chat-70b/deployment-chat-70b.yaml")["spec"];

        Assert.Equal("2", Text(spec["replicas"]));
    }

    [Fact]
    public void The_autoscaler_follows_the_queue_depth_through_the_adapter_metric_name()
    {
        var spec = (MapNode)Document("prod/chat-70b/horizontalpodautoscaler-chat-70b.yaml")["spec"];
        var pods = (MapNode)((MapNode)((ListNode)spec["metrics"]).Items[0])["pods"];

        Assert.Equal("vllm_num_requests_waiting", Text(((MapNode)pods["metric"])["name"]));
        Assert.Equal("2500m", Text(((MapNode)pods["target"])["averageValue"]));
        Assert.Equal(("3", "8"), (Text(spec["minReplicas"]), Text(spec["maxReplicas"])));
    }

    [Fact]
    public void Yaml_hostile_strings_are_quoted_and_read_back_as_strings()
    {
        var content = Render().Files.Single(f => f.Path == "prod/chat-70b/deployment-chat-70b.yaml").Content;

        Assert.Contains("value: \"yes\"", content, StringComparison.Ordinal);
        Assert.Contains("prometheus.io/scrape: \"true\"", content, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu: \"4\"", content, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_changes_change_the_hash_and_nothing_else_moves_it()
    {
        var first = Render().Files.Single(f => f.Path == "prod/chat-70b/deployment-chat-70b.yaml").Content;
        var again = Render().Files.Single(f => f.Path == "prod/chat-70b/deployment-chat-70b.yaml").Content;
        var changed = RepresentativePlatform.Deployments().Select(d => d.Name == "chat-70b" && d.Environment.IsProduction ? d with { Engine = ((VllmEngine)d.Engine) with { MaxNumSeqs = 32 } } : d).ToArray();
        var after = ManifestRenderer.Render(changed, Options).Files.Single(f => f.Path == "prod/chat-70b/deployment-chat-70b.yaml").Content;

        Assert.Equal(first, again);
        Assert.NotEqual(HashLine(first), HashLine(after));

        static string HashLine(string yaml) => yaml.Split('\n').First(l => l.Contains("config-hash", StringComparison.Ordinal));
    }

    [Fact]
    public void Namespaces_carry_only_the_cost_labels_their_deployments_agree_on()
    {
        var labels = NamespaceLabels("prod/_namespaces/namespace-inference.yaml");

        Assert.False(labels.ContainsKey("team"), "chat-70b and support-mistral belong to different teams");
        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
        var search = NamespaceLabels("prod/_namespaces/namespace-search.yaml");
        Assert.Equal("ml-platform", search["team"]);
        Assert.Equal("cc-4200", search["cost-center"]);

        static IReadOnlyDictionary<string, string> NamespaceLabels(string path)
        {
            var yaml = Render().Files.Single(f => f.Path == path).Content;
            var json = YamlDocuments.ToJson(YamlDocuments.Parse(yaml))!;
            return json["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);
        }
    }

    [Fact]
    public void Settings_that_do_not_reach_the_pod_do_not_change_the_pod_template()
    {
        // A new pod template restarts every GPU pod and reloads the model; scaling bounds, load, SLOs and rollout steps must not.
        static string PodTemplate(InferenceDeployment d) => YamlManifestWriter.Write((MapNode)((MapNode)ManifestRenderer.BuildDocuments(d, Options).Documents
            .Single(o => o.Path.Contains("/rollout-", StringComparison.Ordinal) || o.Path.Contains("/deployment-", StringComparison.Ordinal)).Document["spec"])["template"]);
        var before = RolloutFixtures.Canary();
        var after = before with
        {
            Scaling = before.Scaling with { MaxReplicas = 12 },
            Load = before.Load! with { RequestsPerSecond = 9 },
            Slos = before.Slos! with { Availability = 0.9995 },
            Rollout = ((CanaryRollout)before.Rollout) with { Steps = [CanaryStep.SetWeight(10), CanaryStep.Pause(TimeSpan.FromMinutes(30)), CanaryStep.SetWeight(60)] },
        };

        Assert.Equal(PodTemplate(before), PodTemplate(after));
        Assert.NotEqual(PodTemplate(before), PodTemplate(before with { Engine = ((VllmEngine)before.Engine) with { MaxNumSeqs = 32 } }));
    }

    [Fact]
    public void A_deployment_with_missing_parts_is_reported_not_thrown()
    {
        var broken = Fixtures.Compliant() with { Accelerator = null!, Scaling = null! };

        var result = ManifestRenderer.Render([broken, Fixtures.Compliant(DeploymentEnvironment.Dev)]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("CAC9008", "Accelerator"), (finding.Id, finding.PropertyPath));
        Assert.Contains(result.Files, f => f.Path == "dev/chat-8b/deployment-chat-8b.yaml");
    }

    public static TheoryData<string, string> Cultures => new()
    {
        { "tr-TR", "Europe/Istanbul" },
        { "de-DE", "Europe/Berlin" },
        { "ar-SA", "Asia/Riyadh" },
        { "ja-JP", "Asia/Tokyo" },
        { "fr-FR", "Pacific/Kiritimati" },
    };

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Output_is_byte_identical_under_every_culture_and_time_zone(string culture, string timeZone)
    {
        // The representative platform plus one deployment per rollout strategy (durations, ratios and PromQL thresholds),
        // one per model source, cache, cloud placement and topology (hashed claim names, CIDRs, proxy lists), and a
        // LeaderWorkerSet behind a pool canary and a KEDA-scaled deployment (KEDA thresholds, route weights and timeouts).
        static RenderResult Render() => ManifestRenderer.Render(
            RepresentativePlatform.Deployments().Concat([RolloutFixtures.Canary() with { Name = "canary-70b" }, RolloutFixtures.Ramp() with { Name = "ramp-8b" }, RolloutFixtures.Shadow() with { Name = "shadow-70b" }])
                .Concat(ClusterFixtures.All()).Concat(MultiNodeFixtures.Platform()).ToArray(),
            Options);

        var reference = Snapshot(Render());
        var previousCulture = CultureInfo.CurrentCulture;
        var previousUiCulture = CultureInfo.CurrentUICulture;
        var previousTz = Environment.GetEnvironmentVariable("TZ");
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Environment.SetEnvironmentVariable("TZ", timeZone);
            TimeZoneInfo.ClearCachedData();
            Assert.Equal(timeZone, TimeZoneInfo.Local.Id);

            Assert.Equal(reference, Snapshot(Render()));
        }
        finally
        {
            CultureInfo.CurrentCulture = previousCulture;
            CultureInfo.CurrentUICulture = previousUiCulture;
            Environment.SetEnvironmentVariable("TZ", previousTz);
            TimeZoneInfo.ClearCachedData();
        }

        static string Snapshot(RenderResult r) => string.Join("\u0000", r.Files.Select(f => f.Path + "\u0001" + f.Content));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Readiness_reasons_and_evidence_are_identical_under_every_culture(string culture, string timeZone)
    {
        static string Checklists() => string.Join("\n", ClusterFixtures.All().Concat(RepresentativePlatform.Deployments())
            .Select(d => Synthesis.Readiness.ReadinessChecklist.For(d, Fixtures.Validate(d).Findings))
            .SelectMany(c => c.Items.Select(i => $"{c.Environment}/{c.Deployment} {i.Id} {i.Status}: {i.Reason} [{string.Join("; ", i.Evidence)}]")));

        var reference = Checklists();
        var previous = CultureInfo.CurrentCulture;
        var previousTz = Environment.GetEnvironmentVariable("TZ");
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            Environment.SetEnvironmentVariable("TZ", timeZone);
            TimeZoneInfo.ClearCachedData();
            Assert.Equal(reference, Checklists());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            Environment.SetEnvironmentVariable("TZ", previousTz);
            TimeZoneInfo.ClearCachedData();
        }
    }

    [Fact]
    public void Files_are_utf8_without_bom_with_lf_endings_and_one_trailing_newline()
    {
        foreach (var file in Render().Files)
        {
            Assert.DoesNotContain('\r', file.Content);
            Assert.EndsWith("\n", file.Content, StringComparison.Ordinal);
            Assert.False(file.Content.EndsWith("\n\n", StringComparison.Ordinal), file.Path);
            Assert.DoesNotContain('\uFEFF', file.Content);
            // A number in exponent notation as a whole value (names with a hex hash, such as a weights claim, are not numbers).
            Assert.DoesNotMatch(@"(?m)(:|^\s*-)\s+""?[-+]?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]+""?\s*$", string.Join('\n', file.Content.Split('\n').Where(l => !l.Contains("sha256", StringComparison.Ordinal) && !l.Contains("config-hash", StringComparison.Ordinal) && !l.Contains("revision", StringComparison.Ordinal))));
        }
    }

    private static MapNode Document(string path) =>
        RepresentativePlatform.Deployments().SelectMany(d => ManifestRenderer.BuildDocuments(d, Options).Documents).Single(o => o.Path == path).Document;

    private static string Text(ManifestNode node) => ((ScalarNode)node).Text;
}
