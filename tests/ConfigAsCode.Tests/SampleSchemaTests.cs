using System;
using System.IO;
using System.Linq;
using ConfigAsCode.Tests.Support;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>What the sample commits for Argo CD to apply is valid against each kind's schema, the new kinds included.</summary>
public sealed class SampleSchemaTests
{
    [Fact]
    public void Every_committed_manifest_of_the_sample_passes_its_schema()
    {
        var deploy = Path.Combine(Fixtures.RepositoryRoot, "samples", "InferencePlatform", "deploy");
        var manifests = Directory.GetFiles(deploy, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !string.Equals(Path.GetFileName(f), "kustomization.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(deploy, f).Replace('\\', '/'), YamlDocuments.ToJson(YamlDocuments.Parse(File.ReadAllText(f)))!))
            .ToArray();

        var results = SchemaValidator.Validate(manifests);

        Assert.Equal(manifests.Length, results.Count);
        Assert.All(results, r => Assert.True(r.Ok, $"{r.Path}: {r.Error}"));
        var paths = results.Select(r => r.Path).ToArray();
        Assert.Contains("prod/chat-405b/leaderworkerset-chat-405b.yaml", paths);
        Assert.Contains("prod/chat-405b/inferencepool-chat-405b.yaml", paths);
        Assert.Contains("prod/chat-405b/httproute-chat-405b.yaml", paths);
        Assert.Contains("prod/chat-405b/scaledobject-chat-405b.yaml", paths);
    }
}
