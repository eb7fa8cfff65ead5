using System;
using System.Linq;
using ConfigAsCode.Synthesis.Network;
using ConfigAsCode.Synthesis.Readiness;
using ConfigAsCode.Synthesis.Weights;
using Xunit;

namespace ConfigAsCode.Tests;

/// <summary>Endpoint URLs, object-store URIs, CIDRs and the weights plan read as Kubernetes and the tools read them.</summary>
public sealed class EndpointParsingTests
{
    [Theory]
    [InlineData("http://otel-collector.observability:4317", EndpointPlacement.InCluster, "observability", 4317)]
    [InlineData("http://otel-collector:4317", EndpointPlacement.SameNamespace, "assistant", 4317)]
    [InlineData("grpc://otel-collector.observability.svc:4317", EndpointPlacement.InCluster, "observability", 4317)]
    [InlineData("http://prometheus-operated.monitoring.svc.cluster.local:9090/api", EndpointPlacement.InCluster, "monitoring", 9090)]
    [InlineData("http://pod-0.engine.models.svc.cluster.local:8000", EndpointPlacement.InCluster, "models", 8000)]
    [InlineData("https://huggingface.co", EndpointPlacement.External, null, 443)]
    [InlineData("https://hf-mirror.acme.internal", EndpointPlacement.External, null, 443)]
    [InlineData("http://example.com", EndpointPlacement.External, null, 80)]
    [InlineData("https://s3.us-east-1.amazonaws.com", EndpointPlacement.External, null, 443)]
    [InlineData("http://10.40.3.7:8080", EndpointPlacement.External, null, 8080)]
    [InlineData("http://[2001:db8::1]:4317", EndpointPlacement.External, null, 4317)]
    [InlineData("http://localhost:4317", EndpointPlacement.Loopback, null, 4317)]
    [InlineData("http://svc:pw@minio.storage:9000/bucket", EndpointPlacement.InCluster, "storage", 9000)]
    public void Urls_are_placed_as_pod_dns_resolves_them(string url, EndpointPlacement placement, string? ns, int port)
    {
        var endpoint = NetworkEndpoint.Parse(url, "assistant");

        Assert.Equal((placement, ns, port), (endpoint.Placement, endpoint.Namespace, endpoint.Port));
        Assert.Null(endpoint.Problem);
    }

    [Theory]
    [InlineData("otel-collector:4317", "no scheme")]
    [InlineData("grpc://otel-collector.observability", "no default port")]
    [InlineData("http://otel collector:4317", "not a host name")]
    [InlineData("http://otel-collector:99999", "not a port")]
    [InlineData("", "empty")]
    public void Urls_that_cannot_be_read_say_why(string url, string why)
    {
        var endpoint = NetworkEndpoint.Parse(url, "assistant");

        Assert.Equal(EndpointPlacement.Invalid, endpoint.Placement);
        Assert.Contains(why, endpoint.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://acme-models/rerankers", ObjectStoreKind.S3, "acme-models", "rerankers", null, ":s3:acme-models/rerankers")]
    [InlineData("s3://minio.internal:9000/models/llama/", ObjectStoreKind.S3, "models", "llama", "minio.internal:9000", ":s3:models/llama")]
    [InlineData("gs://bucket", ObjectStoreKind.Gcs, "bucket", "", null, ":gcs:bucket")]
    [InlineData("https://acct.blob.core.windows.net/models/a/b", ObjectStoreKind.AzureBlob, "models", "a/b", null, ":azureblob:models/a/b")]
    [InlineData("as://acct/models/a", ObjectStoreKind.AzureBlob, "models", "a", null, ":azureblob:models/a")]
    public void Object_store_uris_are_read_in_every_form_triton_and_the_clouds_use(string uri, ObjectStoreKind kind, string bucket, string prefix, string? hostPort, string remote)
    {
        var parsed = ObjectStoreUri.Parse(uri);

        Assert.Null(parsed.Problem);
        Assert.Equal((kind, bucket, prefix, hostPort, remote), (parsed.Kind, parsed.Bucket, parsed.Prefix, parsed.HostPort, parsed.RcloneRemote));
    }

    [Theory]
    [InlineData("ftp://bucket/x")]
    [InlineData("https://example.com/models")]
    [InlineData("s3://")]
    public void Other_uris_are_refused_with_the_forms_that_work(string uri)
    {
        Assert.Contains("use s3://bucket/prefix", ObjectStoreUri.Parse(uri).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.40.0.0/16", true, false)]
    [InlineData("0.0.0.0/0", true, true)]
    [InlineData("128.0.0.0/1", true, true)]
    [InlineData("10.0.0.0/8", true, false)]
    [InlineData("2001:db8::/32", true, false)]
    [InlineData("::/0", true, true)]
    [InlineData("10.40.0.0/33", false, false)]
    [InlineData("10.40/16", false, false)]
    [InlineData("not-a-cidr", false, false)]
    public void Cidrs_are_read_canonically_and_the_internet_is_recognised(string text, bool valid, bool internet)
    {
        Assert.Equal(valid, Cidr.TryParse(text, out var range, out var problem));
        Assert.Equal(valid, problem is null);
        if (valid)
        {
            Assert.Equal(internet, Cidr.IsOpenToInternet(range));
        }
    }

    [Fact]
    public void The_default_cache_follows_the_source_and_the_cluster()
    {
        var hub = Fixtures.Compliant() with { Cluster = ClusterProfile.Default };
        var shared = Fixtures.Compliant();
        var claim = Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Source = ModelSource.Claim("weights") } };
        var inImage = RuleFiringTests.Triton() with { Model = RuleFiringTests.Triton().Model with { Source = null }, Engine = RuleFiringTests.TritonEngine() with { ModelRepository = "/opt/models" } };

        Assert.Equal((WeightsDelivery.EngineDownload, true), (WeightsPlan.For(hub).Delivery, WeightsPlan.For(hub).Cache is PodLocalCache));
        Assert.Equal((WeightsDelivery.InitFetch, "efs-sc"), (WeightsPlan.For(shared).Delivery, ((SharedVolumeCache)WeightsPlan.For(shared).Cache!).StorageClass));
        Assert.Equal((WeightsDelivery.Mounted, (WeightsCache?)null), (WeightsPlan.For(claim).Delivery, WeightsPlan.For(claim).Cache));
        Assert.Equal((WeightsDelivery.InImage, "/opt/models"), (WeightsPlan.For(inImage).Delivery, WeightsPlan.For(inImage).LocalModelPath));
        Assert.Empty(WeightsPlan.For(inImage).Problems);
    }

    [Fact]
    public void A_new_revision_gets_a_new_claim_and_the_same_revision_keeps_its_own()
    {
        var first = WeightsPlan.For(Fixtures.Compliant());
        var again = WeightsPlan.For(Fixtures.Compliant() with { Scaling = new ScalingSpec { MinReplicas = 4, MaxReplicas = 4 } });
        var next = WeightsPlan.For(Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Revision = new string('a', 40) } });

        Assert.Equal(first.SharedClaimName, again.SharedClaimName);
        Assert.NotEqual(first.SharedClaimName, next.SharedClaimName);
        Assert.Matches("^chat-8b-weights-[0-9a-f]{8}$", first.SharedClaimName);
    }

    [Theory]
    [InlineData("cache-on-claim")]
    [InlineData("no-storage-class")]
    [InlineData("too-small")]
    [InlineData("triton-hub")]
    [InlineData("triton-both")]
    [InlineData("bad-uri")]
    [InlineData("escaping-subpath")]
    public void Invalid_sources_and_caches_are_reported_at_the_setting(string which)
    {
        var triton = RuleFiringTests.Triton();
        var (deployment, path) = which switch
        {
            "cache-on-claim" => (Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Source = ModelSource.Image("r/m@" + Fixtures.Digest), Cache = WeightsCache.PodLocal } }, "Model.Cache"),
            "no-storage-class" => (Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Cache = WeightsCache.Shared() }, Cluster = Fixtures.Cluster with { SharedStorageClass = null } }, "Model.Cache"),
            "too-small" => (Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Cache = WeightsCache.Shared("efs-sc", sizeGiB: 10) } }, "Model.Cache.SizeGiB"),
            "triton-hub" => (triton with { Model = triton.Model with { Source = ModelSource.HuggingFace() } }, "Model.Source"),
            "triton-both" => (triton with { Engine = RuleFiringTests.TritonEngine() with { ModelRepository = "s3://models/x" } }, "Engine.ModelRepository"),
            "bad-uri" => (Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Source = ModelSource.S3("bucket/prefix") } }, "Model.Source.Uri"),
            _ => (Fixtures.Compliant() with { Model = Fixtures.Compliant().Model with { Source = ModelSource.Claim("weights", subPath: "../other") } }, "Model.Source.SubPath"),
        };

        Assert.Contains(Fixtures.Validate(deployment).Violations, f => f.Id == "CAC1026" && f.PropertyPath == path);
    }

    [Fact]
    public void Deployments_of_one_namespace_that_disagree_on_the_topology_are_reported()
    {
        var shared = Fixtures.Compliant() with { Cluster = Fixtures.Cluster with { Topology = ClusterTopology.SharedCluster } };
        var perEnvironment = Fixtures.Compliant() with { Name = "chat-8b-eu" };

        var findings = Fixtures.Validate(shared, perEnvironment).Violations;

        Assert.Equal(2, findings.Count(f => f.Id == "CAC2018" && f.PropertyPath == "Cluster.Topology"));
    }

    [Fact]
    public void The_readiness_checklist_fails_what_the_cluster_would_block_and_skips_the_dev_download()
    {
        var blocked = Fixtures.Compliant() with { Cluster = Fixtures.Cluster with { EgressProxy = null } };
        var dev = ClusterFixtures.HubPerPod();
        var unplaced = Fixtures.Compliant() with { Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.A10G }, Cluster = Fixtures.Cluster with { Placement = NodePlacement.Gke } };

        var network = ReadinessChecklist.For(blocked, Fixtures.Validate(blocked).Findings).Items.Single(i => i.Id == "network");
        var weights = ReadinessChecklist.For(dev, []).Items.Single(i => i.Id == "weights");
        var placement = ReadinessChecklist.For(unplaced, Fixtures.Validate(unplaced).Findings).Items.Single(i => i.Id == "placement");

        Assert.Equal(ReadinessStatus.Fail, network.Status);
        Assert.Contains("model download (Hugging Face Hub) https://huggingface.co", network.Reason, StringComparison.Ordinal);
        Assert.Contains("(CAC2015)", network.Reason, StringComparison.Ordinal);
        Assert.Equal(ReadinessStatus.NotApplicable, weights.Status);
        Assert.False(weights.Passed);
        Assert.Equal(ReadinessStatus.Fail, placement.Status);
        Assert.Contains("(CAC1028)", placement.Reason, StringComparison.Ordinal);
    }
}
