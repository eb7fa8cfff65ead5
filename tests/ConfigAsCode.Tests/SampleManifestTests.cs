using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConfigAsCode.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>
/// The sample's committed manifests (samples/InferencePlatform/deploy) as a cluster would get them: every object passes
/// the Kubernetes schema validator, and every NetworkPolicy allows each endpoint its pods are configured to reach and
/// nothing else, under the test-side evaluator.
/// </summary>
public sealed class SampleManifestTests
{
    private static readonly string Deploy = Path.Combine(Fixtures.RepositoryRoot, "samples", "InferencePlatform", "deploy");

    /// <summary>
    /// What the sample declares, written down here rather than read from it: the gateway (its cluster's
    /// GatewayNamespace) calls every model but the reranker, which only the search API calls; the Hub mirror and the S3
    /// interface endpoint are in the VPC range 10.40.0.0/16.
    /// </summary>
    private static TrafficExpectation Expected(string app) => new()
    {
        Callers = app == "reranker" ? ["search-api"] : ["gateway"],
        Scraper = "monitoring",
        DeclaredCidrs = ["10.40.0.0/16"],
        ExternalAddresses = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hf-mirror.acme.internal"] = "10.40.7.12",
            ["s3.us-east-1.amazonaws.com"] = "10.40.9.30",
            ["huggingface.co"] = "18.244.0.2",
        },
    };

    public static IEnumerable<object[]> Apps() =>
        Directory.GetDirectories(Deploy).SelectMany(env => Directory.GetDirectories(env))
            .Where(app => !Path.GetFileName(app).StartsWith("_", StringComparison.Ordinal))
            .Select(app => Path.GetRelativePath(Deploy, app).Replace('\\', '/'))
            .OrderBy(a => a, StringComparer.Ordinal)
            .Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(Apps))]
    public void The_network_policy_allows_every_configured_endpoint_and_nothing_else(string app)
    {
        var problems = TrafficCheck.Problems(TrafficCheck.Folder(Path.Combine(Deploy, app)), Expected(app.Split('/')[1]));

        Assert.True(problems.Count == 0, $"{app}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Fact]
    public void Every_app_of_every_environment_is_checked()
    {
        Assert.Equal(16, Apps().Count());
    }

    [Fact]
    public void Every_committed_object_passes_the_kubernetes_schema_validator()
    {
        var objects = Directory.GetFiles(Deploy, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(Deploy, f), YamlDocuments.ToJson(YamlDocuments.Parse(File.ReadAllText(f)))!))
            .ToArray();

        var results = SchemaValidator.Validate(objects);

        Assert.Equal(objects.Length, results.Count);
        Assert.Contains(results, r => r.Path.Contains("persistentvolumeclaim-", StringComparison.Ordinal));
        Assert.All(results, r => Assert.True(r.Ok, $"{r.Path}: {r.Error}"));
    }

    [Fact]
    public void The_70b_production_model_loads_from_a_cache_volume_within_a_startup_budget_that_includes_the_load()
    {
        var rollout = YamlDocuments.ToJson(YamlDocuments.Parse(File.ReadAllText(Path.Combine(Deploy, "prod", "chat-70b", "rollout-chat-70b.yaml"))))!;
        var pod = rollout["spec"]!["template"]!["spec"]!;
        var volumes = pod["volumes"]!.AsArray();
        var engine = pod["containers"]!.AsArray().Single(c => (string)c!["name"]! == "vllm")!;
        var weights = volumes.Single(v => (string)v!["name"]! == "weights")!;
        var claim = (string)weights["persistentVolumeClaim"]!["claimName"]!;
        var pvc = YamlDocuments.ToJson(YamlDocuments.Parse(File.ReadAllText(Path.Combine(Deploy, "prod", "chat-70b", $"persistentvolumeclaim-{claim}.yaml"))))!;

        // Weights on a shared ReadWriteMany claim, read-only for the engine, no emptyDir sized for them.
        Assert.Equal("ReadWriteMany", (string)pvc["spec"]!["accessModes"]![0]!);
        Assert.Equal("160Gi", (string)pvc["spec"]!["resources"]!["requests"]!["storage"]!);
        Assert.Contains(engine["volumeMounts"]!.AsArray(), m => (string)m!["name"]! == "weights" && (bool)m["readOnly"]!);
        Assert.Equal("10Gi", (string)volumes.Single(v => (string)v!["name"]! == "cache")!["emptyDir"]!["sizeLimit"]!);
        Assert.Contains(engine["env"]!.AsArray(), e => (string)e!["name"]! == "HF_HUB_OFFLINE" && (string)e["value"]! == "1");

        // The startup probe covers the declared 8-minute load; the progress deadline the fetch of 132 GiB at 0.2 GiB/s on top.
        var startup = engine["startupProbe"]!;
        var tolerance = (long)startup["failureThreshold"]! * (long)startup["periodSeconds"]!;
        Assert.True(tolerance >= 8 * 60, $"startup tolerance {tolerance} s");
        Assert.Equal(1200 + 658 + 300, (long)rollout["spec"]!["progressDeadlineSeconds"]!);
    }
}
