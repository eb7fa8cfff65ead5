using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gate;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Rules;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tests;

/// <summary>
/// CAC9017: no two objects one environment's kustomization applies may share API group, kind, namespace and name. A
/// deployment named like another's suffixed object (<c>chat-70b-canary</c>, <c>chat-405b-group</c>) rendered a second
/// object of that identity: kustomize refused the environment, and a plain apply pointed one model's Service at the other's pods.
/// </summary>
public sealed class ObjectCollisionTests : IDisposable
{
    private readonly string _project = Path.Combine(Path.GetTempPath(), "cac-collision-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_project))
        {
            Directory.Delete(_project, recursive: true);
        }
    }

    private string Snapshots => Path.Combine(_project, "deploy");

    private GateOptions Options(bool accept = false, ManifestLayout layout = ManifestLayout.PerObject) => new()
    {
        ProjectDirectory = _project,
        SnapshotDirectory = Snapshots,
        OutputDirectory = Path.Combine(_project, "obj", "configascode"),
        AllowedRoot = _project,
        Accept = accept,
        Render = new RenderOptions { Layout = layout },
    };

    /// <summary>A canary rollout's canary Service is '&lt;name&gt;-canary'; here a deployment of its own has that name.</summary>
    private static InferenceDeployment[] CanaryCollision() =>
        [RolloutFixtures.Canary(), Fixtures.Compliant() with { Name = "chat-70b-canary", Namespace = "inference" }];

    /// <summary>A multi-node deployment's NetworkPolicy between leader and workers is '&lt;name&gt;-group'.</summary>
    private static InferenceDeployment[] GroupCollision() =>
        [MultiNodeFixtures.Llama405B(), Fixtures.Compliant() with { Name = "chat-405b-group", Namespace = "assistant" }];

    [Theory]
    [InlineData(ManifestLayout.PerObject)]
    [InlineData(ManifestLayout.PerApp)]
    public void A_deployment_named_like_a_canary_Service_fails_the_build_naming_both_declarations(ManifestLayout layout)
    {
        Directory.CreateDirectory(_project);
        var outcome = GateRunner.Run(new EvaluationResult(CanaryCollision(), []), Options(layout: layout));

        Assert.True(outcome.Failed);
        var collision = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9017");
        Assert.Equal(RuleSeverity.Error, collision.Severity);
        Assert.StartsWith("[prod/chat-70b-canary] Name: Service inference/chat-70b-canary is rendered by deployment 'chat-70b' (first at ", collision.Message, StringComparison.Ordinal);
        Assert.Matches(@"first at \w+\.cs\(\d+\)\) and again by deployment 'chat-70b-canary' \(again at \w+\.cs\(\d+\)\) in environment 'prod'", collision.Message);
        Assert.Contains("already registered id", collision.Message, StringComparison.Ordinal);
        Assert.NotNull(collision.File);
        Assert.True(collision.Line > 0);
    }

    [Fact]
    public void A_deployment_named_like_a_multi_node_group_policy_fails_the_build()
    {
        Directory.CreateDirectory(_project);
        var outcome = GateRunner.Run(new EvaluationResult(GroupCollision(), []), Options());

        var collision = Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9017");
        Assert.Contains("NetworkPolicy assistant/chat-405b-group is rendered by deployment 'chat-405b'", collision.Message, StringComparison.Ordinal);
        Assert.Contains("again by deployment 'chat-405b-group'", collision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_accept_is_refused_and_nothing_is_written()
    {
        Directory.CreateDirectory(_project);
        var outcome = GateRunner.Run(new EvaluationResult(CanaryCollision(), []), Options(accept: true));

        Assert.False(outcome.Accepted);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9017");
        Assert.Contains("CAC9017", Assert.Single(outcome.Diagnostics, d => d.Code == "CAC9013").Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Snapshots) && Directory.EnumerateFiles(Snapshots, "*.yaml", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void A_suppression_does_not_silence_it()
    {
        Directory.CreateDirectory(_project);
        var deployments = CanaryCollision();
        deployments[1] = deployments[1] with { Suppressions = [new RuleSuppression("CAC9017", "the canary is meant to share the Service")] };

        var outcome = GateRunner.Run(new EvaluationResult(deployments, []), Options());

        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9017" && d.Severity == RuleSeverity.Error);
        Assert.Contains(outcome.Diagnostics, d => d.Code == "CAC9010");
    }

    [Fact]
    public void Two_deployments_with_one_service_account_name_are_told_to_give_each_its_own()
    {
        var shared = new SecuritySpec { ServiceAccountName = "inference" };
        var result = ManifestRenderer.Render([Fixtures.Compliant() with { Security = shared }, Fixtures.CompliantMultiGpu() with { Security = shared }]);

        var collision = Assert.Single(result.Findings, f => f.Id == "CAC9017");
        Assert.Equal("chat-70b", collision.Deployment);
        Assert.StartsWith("ServiceAccount inference/inference is rendered by deployment 'chat-8b'", collision.Message, StringComparison.Ordinal);
        Assert.Contains("its own Security.ServiceAccountName", collision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_namespace_or_environment_is_another_identity()
    {
        var otherNamespace = ManifestRenderer.Render([RolloutFixtures.Canary(), Fixtures.Compliant() with { Name = "chat-70b-canary", Namespace = "assistant" }]);
        var otherEnvironment = ManifestRenderer.Render([RolloutFixtures.Canary(), Fixtures.Compliant(DeploymentEnvironment.Staging) with { Name = "chat-70b-canary", Namespace = "inference" }]);

        Assert.DoesNotContain(otherNamespace.Findings, f => f.Id == "CAC9017");
        Assert.DoesNotContain(otherEnvironment.Findings, f => f.Id == "CAC9017");
    }

    public static IEnumerable<object[]> Platforms() =>
    [
        ["rollouts", new[] { RolloutFixtures.Canary(), RolloutFixtures.Ramp() with { Name = "chat-8b-ramp" }, RolloutFixtures.Shadow() with { Name = "chat-70b-shadow" }, RolloutFixtures.TgiCanary(), RolloutFixtures.TritonCanary() }],
        ["multi-node", MultiNodeFixtures.Platform()],
        ["cluster", ClusterFixtures.All().ToArray()],
        ["one namespace", new[] { Fixtures.Compliant(), Fixtures.CompliantMultiGpu(), Fixtures.Compliant(DeploymentEnvironment.Staging) }],
    ];

    [Theory]
    [MemberData(nameof(Platforms))]
    public void Fixtures_that_share_namespaces_are_not_flagged(string platform, InferenceDeployment[] deployments)
    {
        foreach (var layout in new[] { ManifestLayout.PerObject, ManifestLayout.PerApp })
        {
            var result = ManifestRenderer.Render(deployments, new RenderOptions { Layout = layout });

            Assert.True(result.Findings.All(f => f.Id != "CAC9017"), $"{platform}: {string.Join("; ", result.Findings.Select(f => f.Message))}");
            Assert.Contains(result.Objects, o => o.Kind == "Namespace" && o.Namespace is null);
        }
    }

    [Fact]
    public void Every_rendered_object_carries_the_namespace_it_is_written_with()
    {
        var result = ManifestRenderer.Render([RolloutFixtures.Canary(), MultiNodeFixtures.Llama405B()]);

        Assert.All(result.Objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal(o.App == "chat-405b" ? "assistant" : "inference", o.Namespace));
    }

    /// <summary>The sample's committed manifests, read as kustomize would: no identity twice in one environment.</summary>
    [Fact]
    public void The_samples_committed_environments_have_no_identity_twice()
    {
        var deploy = Path.Combine(Fixtures.RepositoryRoot, "samples", "InferencePlatform", "deploy");
        foreach (var environment in Directory.GetDirectories(deploy).Where(e => !Path.GetFileName(e).StartsWith('.')))
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(environment, "*.yaml", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "kustomization.yaml").OrderBy(f => f, StringComparer.Ordinal))
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(File.ReadAllText(file)));
                foreach (var document in stream.Documents.Select(d => (YamlMappingNode)d.RootNode))
                {
                    var apiVersion = Scalar(document, "apiVersion")!;
                    var metadata = (YamlMappingNode)document.Children[new YamlScalarNode("metadata")];
                    var id = $"{(apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion.Split('/')[0] : string.Empty)} {Scalar(document, "kind")} {Scalar(metadata, "namespace")}/{Scalar(metadata, "name")}";
                    Assert.True(seen.TryAdd(id, file), $"{id}: {seen.GetValueOrDefault(id)} and {file}");
                }
            }

            Assert.NotEmpty(seen);
        }
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
