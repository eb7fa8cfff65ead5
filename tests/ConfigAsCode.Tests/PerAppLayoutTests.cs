using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rollouts;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tests;

/// <summary>
/// <c>ConfigAsCodeLayout=app</c>: one <c>manifests.yaml</c> per app and environment. The objects are the per-object
/// layout's, byte for byte (so the schema tests of that layout hold for these too); only the files change. The gate
/// still says which object and field moved, still marks workload switches risky, and refuses to switch layouts
/// without the removal count.
/// </summary>
public sealed class PerAppLayoutTests : IDisposable
{
    private static readonly RenderOptions PerObject = new() { PlatformName = "InferencePlatform", GeneratorVersion = "0.1.0" };
    private static readonly RenderOptions PerApp = PerObject with { Layout = ManifestLayout.PerApp };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cac-layout-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static InferenceDeployment[] Platform() => [.. RepresentativePlatform.Deployments(), RolloutFixtures.Canary() with { Name = "canary-70b" }];

    private GateOptions Options(ManifestLayout layout, bool accept = false) => new()
    {
        ProjectDirectory = _root,
        SnapshotDirectory = Path.Combine(_root, "deploy"),
        OutputDirectory = Path.Combine(_root, "obj", "configascode"),
        Accept = accept,
        Render = new RenderOptions { Layout = layout },
    };

    private static EvaluationResult Evaluated(params InferenceDeployment[] deployments) => new(deployments, []);

    [Fact]
    public void Each_app_file_is_the_per_object_files_of_its_folder_in_path_order()
    {
        var objects = ManifestRenderer.Render(Platform(), PerObject);
        var apps = ManifestRenderer.Render(Platform(), PerApp);

        var manifests = objects.Files.Where(f => !f.Path.EndsWith("kustomization.yaml", StringComparison.Ordinal) && f.Path != ManifestRenderer.ProvenancePath).ToArray();
        var folders = manifests.GroupBy(f => f.Path.Substring(0, f.Path.LastIndexOf('/') + 1), StringComparer.Ordinal).ToArray();
        Assert.Contains(folders, f => f.Key.EndsWith("/_namespaces/", StringComparison.Ordinal));
        foreach (var folder in folders)
        {
            var expected = string.Join("---\n", folder.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => f.Content));
            var bundle = Assert.Single(apps.Files, f => f.Path == folder.Key + ManifestRenderer.BundleFileName);
            Assert.Equal(expected, bundle.Content);

            // Each object is one YAML document of the file, as kustomize reads it.
            var stream = new YamlStream();
            stream.Load(new StringReader(bundle.Content));
            Assert.Equal(folder.Count(), stream.Documents.Count);

            var kustomization = Assert.Single(apps.Files, f => f.Path == folder.Key + "kustomization.yaml");
            Assert.Equal("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- manifests.yaml\n", kustomization.Content);
        }

        // Nothing else: the app files, the same kustomizations per folder and environment, and the index.
        Assert.Equal(
            objects.Files.Select(f => f.Path).Where(p => p.EndsWith("kustomization.yaml", StringComparison.Ordinal)).Concat(folders.Select(f => f.Key + ManifestRenderer.BundleFileName)).Append(ManifestRenderer.ProvenancePath).OrderBy(p => p, StringComparer.Ordinal),
            apps.Files.Select(f => f.Path));
        Assert.Equal(objects.Files.Single(f => f.Path == "prod/kustomization.yaml").Content, apps.Files.Single(f => f.Path == "prod/kustomization.yaml").Content);

        // Every object is still listed, with the file it is in.
        Assert.Equal(objects.Objects.Count, apps.Objects.Count);
        Assert.All(apps.Objects, o => Assert.EndsWith("/" + ManifestRenderer.BundleFileName, o.Path, StringComparison.Ordinal));
        Assert.Contains("\"layout\": \"app\"", apps.Files.Single(f => f.Path == ManifestRenderer.ProvenancePath).Content, StringComparison.Ordinal);
        Assert.DoesNotContain("\"layout\"", objects.Files.Single(f => f.Path == ManifestRenderer.ProvenancePath).Content, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_layout_renders_byte_identically_twice()
    {
        var first = ManifestRenderer.Render(Platform(), PerApp).Files;
        var second = ManifestRenderer.Render(Platform().Reverse().ToArray(), PerApp).Files;

        Assert.Equal(first.Select(f => (f.Path, f.Content)), second.Select(f => (f.Path, f.Content)));
    }

    [Fact]
    public void A_changed_field_names_the_object_inside_the_app_file()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp, accept: true));
        Assert.True(File.Exists(Path.Combine(_root, "deploy", "prod", "chat-8b", "manifests.yaml")));
        Assert.False(File.Exists(Path.Combine(_root, "deploy", "prod", "chat-8b", "deployment-chat-8b.yaml")));
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp)).Drift!.IsClean);

        var changed = Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 8 } };
        var outcome = GateRunner.Run(Evaluated(changed), Options(ManifestLayout.PerApp));

        var error = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9001" && d.Message.StartsWith("prod/", StringComparison.Ordinal));
        Assert.Contains("prod/chat-8b/manifests.yaml: [Deployment/chat-8b] spec.template.spec.containers[vllm].args --max-num-seqs: 32 → 8", error.Message, StringComparison.Ordinal);
        var file = Assert.Single(outcome.Drift!.Files, f => f.Path == "prod/chat-8b/manifests.yaml");
        Assert.Equal((FileChangeKind.Changed, SnapshotComparer.BundleKind), (file.Kind, file.ObjectKind));
        Assert.Contains(file.Documents, d => (d.Kind, d.Name, d.Change) == ("Deployment", "chat-8b", FileChangeKind.Changed));
        Assert.Equal($"0 to add, 2 to change, 0 to remove (objects: 0 added, {file.Documents.Count} changed, 0 removed)", outcome.Drift.Summary);

        var report = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.json"));
        Assert.Contains("\"objects\": [", report, StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse(report))
        {
            var objects = json.RootElement.GetProperty("drift").GetProperty("objects");
            Assert.Equal((0, file.Documents.Count, 0, 0), (objects.GetProperty("added").GetInt32(), objects.GetProperty("changed").GetInt32(), objects.GetProperty("removed").GetInt32(), objects.GetProperty("moved").GetInt32()));
        }

        var comment = File.ReadAllText(Path.Combine(_root, "obj", "configascode", PrComment.FileName));
        Assert.Contains($"0 object(s) added, {file.Documents.Count} changed, 0 removed", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Readiness_evidence_points_into_the_app_file_and_names_the_object()
    {
        var perObject = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerObject)).Readiness.Single();
        var perApp = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp)).Readiness.Single();

        var before = perObject.Items.SelectMany(i => i.Evidence).ToArray();
        var after = perApp.Items.SelectMany(i => i.Evidence).ToArray();
        Assert.NotEmpty(before);
        Assert.Equal(before.Length, after.Length);
        Assert.All(after, e => Assert.Equal("prod/chat-8b/manifests.yaml", e.File));
        Assert.Contains(after, e => e.Field.StartsWith("[NetworkPolicy/chat-8b] spec.", StringComparison.Ordinal));
        Assert.Equal(before.Select(e => e.Field.Split(' ')[^1]), after.Select(e => e.Field.Split(' ')[^1]));
        Assert.Equal(perObject.Items.Select(i => (i.Id, i.Status)), perApp.Items.Select(i => (i.Id, i.Status)));
    }

    [Fact]
    public void Objects_added_and_removed_inside_a_file_are_told_apart_from_changed_ones()
    {
        const string before = "apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\nspec:\n  port: 80\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: chat\nspec: {}\n";
        const string after = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chat\ndata: {}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: chat\nspec:\n  port: 8080\n";

        var documents = ManifestDiff.DiffDocuments(before, after)!;

        Assert.Equal(
            [("ConfigMap", "chat", FileChangeKind.Added), ("NetworkPolicy", "chat", FileChangeKind.Removed), ("Service", "chat", FileChangeKind.Changed)],
            documents.Select(d => (d.Kind, d.Name, d.Change)));
        Assert.Equal("network policy", documents.Single(d => d.Kind == "NetworkPolicy").Fields.Single().Risk);
        Assert.Equal(
            ["[ConfigMap/chat]: (absent) → (object)", "[NetworkPolicy/chat]: (object) → (absent)  [risky: network policy]", "[Service/chat] spec.port: 80 → 8080"],
            ManifestDiff.Flatten(documents).Select(f => f.ToString()));
        Assert.Equal(
            ["[?unclosed/(no name)] (document): (absent) → (unparseable)", "[NetworkPolicy/chat]: (object) → (absent)  [risky: network policy]", "[Service/chat]: (object) → (absent)"],
            ManifestDiff.Flatten(ManifestDiff.DiffDocuments(before, "kind: [unclosed\n")).Select(f => f.ToString()));
    }

    [Fact]
    public void A_hand_copied_object_is_not_hidden_behind_its_twin_and_token_shaped_names_are_redacted()
    {
        const string service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\n";
        var token = "ghp_" + new string('a', 36);
        var value = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {token}\n";

        var documents = ManifestDiff.DiffDocuments(service, service + "---\n" + service + "---\n" + value)!;

        Assert.Equal(["Secret/" + Synthesis.Secrets.SecretDetector.Placeholder, "Service/chat#2"], documents.Select(d => $"{d.Kind}/{d.Name}"));
        Assert.DoesNotContain(token, string.Join("\n", ManifestDiff.Flatten(documents)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployment_replaced_by_a_rollout_inside_one_app_file_is_a_risky_switch()
    {
        var live = RolloutFixtures.Canary() with { Rollout = new RollingUpdate() };
        GateRunner.Run(Evaluated(live), Options(ManifestLayout.PerApp, accept: true));

        var outcome = GateRunner.Run(Evaluated(RolloutFixtures.Canary()), Options(ManifestLayout.PerApp));

        Assert.Contains(outcome.Summary, l => l.Contains("~ prod/chat-70b/manifests.yaml", StringComparison.Ordinal) && l.Contains("[RISKY: " + WorkloadSwitches.ReplacesLiveDeploymentRisk, StringComparison.Ordinal));
        Assert.Contains(outcome.Summary, l => l.Contains("prod/chat-70b: " + WorkloadSwitches.ReplacesLiveDeploymentRisk, StringComparison.Ordinal));
        Assert.Contains(outcome.Summary, l => l.Contains("[Deployment/chat-70b]: (object) → (absent)", StringComparison.Ordinal));

        // Adopting the Deployment (the safe first step) is recognised inside the file too.
        var adopting = GateRunner.Run(Evaluated(ClusterFixtures.MigratingCanary()), Options(ManifestLayout.PerApp));
        var adopted = Assert.Single(WorkloadSwitches.Find(adopting.Drift!, ManifestRenderer.Render([ClusterFixtures.MigratingCanary()], PerApp).Files));
        Assert.Equal((WorkloadSwitchKind.AdoptsDeployment, (string?)null), (adopted.Kind, adopted.Risk));
        Assert.Equal(["prod/chat-70b/manifests.yaml"], adopted.Files);
    }

    [Fact]
    public void Switching_layouts_is_explained_and_needs_the_removal_count_then_leaves_no_old_file()
    {
        InferenceDeployment[] deployments = [Fixtures.Compliant(), Fixtures.Compliant(DeploymentEnvironment.Staging), RolloutFixtures.Canary() with { Rollout = new RollingUpdate() }, ClusterFixtures.MigratingCanary() with { Name = "migrating-70b" }];
        Assert.True(GateRunner.Run(Evaluated(deployments), Options(ManifestLayout.PerObject, accept: true)).Accepted);
        var before = Directory.GetFiles(Path.Combine(_root, "deploy"), "*", SearchOption.AllDirectories).Length;

        var refused = GateRunner.Run(Evaluated(deployments), Options(ManifestLayout.PerApp, accept: true));

        Assert.False(refused.Accepted);
        Assert.Contains(refused.Summary, l => l.Contains("was accepted in the 'object' layout and ConfigAsCodeLayout is 'app'", StringComparison.Ordinal));
        var refusal = Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("-p:ConfigAsCodeAllowRemovals=", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(Path.Combine(_root, "deploy"), "*", SearchOption.AllDirectories).Length);

        // The reviewer's view counts the move as a move, not as every object removed and added again.
        var objectFiles = Directory.GetFiles(Path.Combine(_root, "deploy"), "*.yaml", SearchOption.AllDirectories).Count(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal));
        Assert.EndsWith($"(objects: 0 added, 0 changed, 0 removed, {objectFiles} moved between files)", refused.Drift!.Summary, StringComparison.Ordinal);
        Assert.Contains($"**Cluster changes:** 0 object(s) added, 0 changed, 0 removed; {objectFiles} moved to another file without a change", File.ReadAllText(Path.Combine(_root, "obj", "configascode", PrComment.FileName)), StringComparison.Ordinal);

        // Every message names the accept that works, and a kustomization listing other files is no risk in a pure move.
        Assert.All(refused.Diagnostics.Where(d => d.Code is "CAC9001" or "CAC9002" or "CAC9003"), d => Assert.EndsWith($"Accept with: dotnet build -p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeAllowRemovals={refused.Drift.Removed}", d.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(refused.Drift.Files, f => f.Risks.Any());

        // A Rollout and the Deployment it adopts, moved from their files into manifests.yaml, are not a workload switch.
        Assert.Contains(refused.Drift!.Files, f => f.Path == "prod/migrating-70b/rollout-migrating-70b.yaml" && f.Kind == FileChangeKind.Removed);
        Assert.Empty(WorkloadSwitches.Find(refused.Drift!, ManifestRenderer.Render(deployments, PerApp).Files));
        Assert.DoesNotContain(refused.Summary, l => l.Contains("workload switch", StringComparison.Ordinal));

        var accepted = GateRunner.Run(Evaluated(deployments), Options(ManifestLayout.PerApp, accept: true) with { AllowRemovals = refused.Drift!.Removed });

        Assert.True(accepted.Accepted);
        var left = Directory.GetFiles(Path.Combine(_root, "deploy"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(f)).Distinct().OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(["kustomization.yaml", "manifests.yaml"], left);
        var clean = GateRunner.Run(Evaluated(deployments), Options(ManifestLayout.PerApp));
        Assert.True(clean.Drift!.IsClean);
        Assert.DoesNotContain(clean.Summary, l => l.Contains("layout", StringComparison.Ordinal));
    }

    [Fact]
    public void An_index_naming_an_unknown_layout_is_damaged()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp, accept: true));
        var index = Path.Combine(_root, "deploy", ".configascode", "provenance.json");
        File.WriteAllText(index, File.ReadAllText(index).Replace("\"layout\": \"app\"", "\"layout\": \"flat\"", StringComparison.Ordinal));

        var outcome = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp));

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal("CAC9011", error.Code);
        Assert.Contains("is damaged (its \"layout\" is neither \"object\" nor \"app\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layout_switch_with_another_change_is_refused_and_the_change_is_told_in_the_accepted_layout()
    {
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerObject, accept: true)).Accepted);
        var before = Snapshots();
        var changed = Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 8 } };
        var removals = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp)).Drift!.Removed;

        // Even with the exact removal count: the move would hide the field change from review.
        var outcome = GateRunner.Run(Evaluated(changed), Options(ManifestLayout.PerApp, accept: true) with { AllowRemovals = removals });

        Assert.False(outcome.Accepted);
        var refusal = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains("A layout switch must be a change of its own", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshots());

        // Everything the build writes tells the change in the layout the snapshots are in, with the command that accepts it.
        var build = GateRunner.Run(Evaluated(changed), Options(ManifestLayout.PerApp));
        Assert.Equal("0 to add, 2 to change, 0 to remove", build.Drift!.Summary);
        var error = Assert.Single(build.Diagnostics, d => d.Code == "CAC9001" && d.Message.StartsWith("prod/", StringComparison.Ordinal));
        Assert.StartsWith("prod/chat-8b/deployment-chat-8b.yaml: spec.template.spec.containers[vllm].args --max-num-seqs: 32 → 8", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Accept with: dotnet build -p:ConfigAsCodeAcceptChanges=true -p:ConfigAsCodeLayout=object", error.Message, StringComparison.Ordinal);
        Assert.Contains(build.Summary, l => l.Contains("this change does more than move the manifests: the drift here is told in the 'object' layout", StringComparison.Ordinal));
        Assert.DoesNotContain(build.Summary, l => l.Contains("stay the same", StringComparison.Ordinal));
        var output = Path.Combine(_root, "obj", "configascode");
        Assert.Contains("+++ b/prod/chat-8b/deployment-chat-8b.yaml", File.ReadAllText(Path.Combine(output, "drift.diff")), StringComparison.Ordinal);
        using (var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))))
        {
            Assert.Contains("prod/chat-8b/deployment-chat-8b.yaml", report.RootElement.GetProperty("drift").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()));
        }


        // Accepted in the old layout as told, the switch is then a pure move.
        Assert.True(GateRunner.Run(Evaluated(changed), Options(ManifestLayout.PerObject, accept: true)).Accepted);
        Assert.Contains(GateRunner.Run(Evaluated(changed), Options(ManifestLayout.PerApp)).Summary, l => l.Contains("nothing differs, so the objects Argo CD applies stay the same", StringComparison.Ordinal));
    }

    [Fact]
    public void Switching_back_to_one_object_per_file_needs_the_removal_count_too()
    {
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp, accept: true)).Accepted);
        var before = Snapshots();

        var refused = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerObject, accept: true));

        Assert.False(refused.Accepted);
        var refusal = Assert.Single(refused.Diagnostics, d => d.Code == "CAC9013");
        Assert.Contains($"remove {refused.Drift!.Removed} snapshot file(s), every manifest file of the 'app' layout (ConfigAsCodeLayout is 'object')", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(refused.Summary, l => l.Contains("Rendered in the 'app' layout nothing differs, so the objects Argo CD applies stay the same", StringComparison.Ordinal));
        Assert.Equal(before, Snapshots());
        Assert.True(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerObject, accept: true) with { AllowRemovals = refused.Drift.Removed }).Accepted);
        Assert.True(File.Exists(Path.Combine(_root, "deploy", "prod", "chat-8b", "deployment-chat-8b.yaml")));
        Assert.False(File.Exists(Path.Combine(_root, "deploy", "prod", "chat-8b", "manifests.yaml")));
    }

    [Fact]
    public void A_broken_document_is_reported_at_its_place_and_every_other_object_is_still_compared()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp, accept: true));
        var file = Path.Combine(_root, "deploy", "prod", "chat-8b", "manifests.yaml");
        var text = File.ReadAllText(file);
        var service = text.IndexOf("kind: Service\n", StringComparison.Ordinal);
        File.WriteAllText(file, text.Insert(service, "<<<<<<< HEAD\n"));
        var changed = Fixtures.Compliant() with { Engine = RuleFiringTests.Vllm() with { MaxNumSeqs = 8 } };

        var drift = Assert.Single(GateRunner.Run(Evaluated(changed), Options(ManifestLayout.PerApp)).Drift!.Files, f => f.Path == "prod/chat-8b/manifests.yaml");

        // Still named from its kind and name lines: a conflict marker in the Service is a change of the Service.
        Assert.Contains(drift.Fields, f => f.Path == "[Service/chat-8b] (document)" && (f.Before, f.After) == ("(unparseable)", "(object)"));
        Assert.Contains(drift.Fields, f => f.Path == "[Deployment/chat-8b] spec.template.spec.containers[vllm].args --max-num-seqs");
    }

    [Fact]
    public void The_same_objects_in_another_order_are_a_formatting_change_not_field_changes()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp, accept: true));
        var file = Path.Combine(_root, "deploy", "prod", "chat-8b", "manifests.yaml");
        var documents = File.ReadAllText(file).Split("---\n");
        File.WriteAllText(file, string.Join("---\n", documents.Reverse()));

        var drift = Assert.Single(GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp)).Drift!.Files);

        Assert.Equal("(formatting): differs → canonical", Assert.Single(drift.Fields).ToString());
        Assert.Equal("0 to add, 1 to change, 0 to remove (objects: 0 added, 0 changed, 0 removed)", new DriftResult([drift]).Summary);
        Assert.Empty(drift.Documents);
        Assert.Contains("0 object(s) added, 0 changed, 0 removed", File.ReadAllText(Path.Combine(_root, "obj", "configascode", PrComment.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_and_names_a_hand_edit_put_in_a_document_cannot_break_a_line_or_throw()
    {
        const string before = "kind: Service\nmetadata:\n  name: chat\n";
        const string after = "kind: {nested: secret}\nmetadata:\n  name: \"x\\n```y[z]\"\n---\nkind: ConfigMap\nmetadata:\n  name: a\na: &k x\n*k : 1\nx: 2\n";

        var labels = ManifestDiff.DiffDocuments(before, after).Select(d => d.Label).ToArray();

        // The ConfigMap's document is not YAML (a duplicate key through an alias) but keeps its kind and name lines.
        Assert.Equal(["[(no kind)/x????y?z?]", "[ConfigMap/a]", "[Service/chat]"], labels);
        Assert.DoesNotContain(labels, l => l.Contains("secret", StringComparison.Ordinal) || l.Contains('\n', StringComparison.Ordinal));
        Assert.Equal("(document)", Assert.Single(ManifestDiff.Diff("a: 1\n", "a: &k x\n*k : 1\nx: 2\n", "ConfigMap")).Path);
    }

    [Fact]
    public void A_new_app_lists_its_object_kinds_and_an_orphaned_app_file_says_what_it_held()
    {
        var other = Fixtures.Compliant() with { Name = "other" };
        GateRunner.Run(Evaluated(Fixtures.Compliant(), other), Options(ManifestLayout.PerApp, accept: true));

        var removed = GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerApp));
        var added = GateRunner.Run(Evaluated(Fixtures.Compliant(), other, Fixtures.Compliant() with { Name = "third" }), Options(ManifestLayout.PerApp));

        Assert.Contains(removed.Diagnostics, d => d.Code == "CAC9003" && d.Message.StartsWith("prod/other/manifests.yaml: committed snapshot is no longer generated (orphaned per-app file: Deployment, ", StringComparison.Ordinal));
        Assert.Contains(added.Diagnostics, d => d.Code == "CAC9002" && d.Message.StartsWith("prod/third: 2 new file(s) without a committed snapshot (Kustomization, Deployment, NetworkPolicy, ", StringComparison.Ordinal));
        Assert.Contains("\"kind\": \"(per-app file)\"", File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.json")), StringComparison.Ordinal);
    }

    private Dictionary<string, string> Snapshots() =>
        Directory.GetFiles(Path.Combine(_root, "deploy"), "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText, StringComparer.Ordinal);

    [Fact]
    public void An_object_on_the_line_of_its_document_marker_or_after_another_line_break_is_not_lost()
    {
        const string service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: chat\n";
        const string inline = "--- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n";

        Assert.Equal([("ConfigMap", "x", FileChangeKind.Removed)], ManifestDiff.DiffDocuments(service + inline, service).Select(d => (d.Kind, d.Name, d.Change)));
        Assert.Equal(["[ConfigMap/b]", "[Service/a]"], ManifestDiff.DiffDocuments(string.Empty, "kind: Service\rmetadata:\r  name: a\r---\rkind: ConfigMap\rmetadata:\r  name: b\r").Select(d => d.Label));

        // A second object appended to a one-object file is an object, not formatting.
        Assert.Equal("[ConfigMap/x]: (object) → (absent)", Assert.Single(ManifestDiff.Diff(service + inline, service, "Service")).ToString());
    }

    [Fact]
    public void A_document_whose_aliases_loop_or_explode_is_compared_within_bounds()
    {
        var bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            bomb.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var changes = ManifestDiff.Diff("kind: ConfigMap\n" + bomb + "b: 1\n", "kind: ConfigMap\n" + bomb + "b: 2\n", "ConfigMap");
        var cycle = ManifestDiff.Diff("kind: ConfigMap\na: &x {b: *x}\n", "kind: ConfigMap\na: {b: 1}\n", "ConfigMap");

        // The loop is walked only so deep (a stack overflow would end the host without a diagnostic) ...
        Assert.Equal("a.b", Assert.Single(cycle).Path);

        // ... and the expansion only so far (9^10 paths), saying where it stopped.
        Assert.Single(changes, c => c.Before == "(not compared)" && c.After.StartsWith("(too deep or too large to compare", StringComparison.Ordinal));
    }

    [Fact]
    public void Names_cannot_reorder_or_break_the_line_they_are_printed_on()
    {
        var labels = ManifestDiff.DiffDocuments(string.Empty, "kind: Service\nmetadata:\n  name: \"a\u202Eb\u2028c\u0085d\"\n").Select(d => d.Label);

        Assert.Equal(["[Service/a?b?c?d]"], labels);
    }

    [Fact]
    public void A_key_a_hand_edit_put_in_a_snapshot_cannot_close_the_code_fence_of_report_md()
    {
        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerObject, accept: true));
        var file = Path.Combine(_root, "deploy", "prod", "chat-8b", "service-chat-8b.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("metadata:\n", "metadata:\n  \"x\\n```y\": 1\n", StringComparison.Ordinal));

        GateRunner.Run(Evaluated(Fixtures.Compliant()), Options(ManifestLayout.PerObject));

        var report = File.ReadAllText(Path.Combine(_root, "obj", "configascode", "report.md"));
        Assert.Contains("metadata.x '''y: 1 → (absent)", report, StringComparison.Ordinal);
        Assert.DoesNotContain("```y", report, StringComparison.Ordinal);
    }
}
