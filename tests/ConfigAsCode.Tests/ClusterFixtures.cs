using System;
using System.Collections.Generic;

namespace ConfigAsCode.Tests;

/// <summary>Compliant deployments, one per model source, cache, cloud placement and topology.</summary>
internal static class ClusterFixtures
{
    public const string RcloneDigest = "sha256:7c3e1f0a9b8d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e";

    /// <summary>The Hub through an in-cluster mirror, cached on a shared claim: no route outside the cluster needed.</summary>
    public static InferenceDeployment HubMirrorShared() => Fixtures.CompliantMultiGpu() with
    {
        Name = "mirror-70b",
        Model = Fixtures.CompliantMultiGpu().Model with { Source = ModelSource.HuggingFace(mirror: "http://hf-mirror.models:8080", token: new SecretReference("hf-token", "token")) },
        Cluster = new ClusterProfile { SharedStorageClass = "efs-sc" },
    };

    /// <summary>The public Hub, downloaded per pod (dev), through the egress proxy.</summary>
    public static InferenceDeployment HubPerPod() => Fixtures.Compliant(DeploymentEnvironment.Dev) with
    {
        Name = "download-8b",
        Model = Fixtures.Compliant().Model with { Source = ModelSource.HuggingFace(token: new SecretReference("hf-token", "token")) },
        Cluster = Fixtures.Cluster with { SharedStorageClass = null },
        Scaling = new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
        Load = Fixtures.Compliant().Load! with { RequestsPerSecond = 0.2 },
    };

    /// <summary>An S3-compatible store inside the cluster (MinIO), with access keys from a Secret, cached on a node-local claim.</summary>
    public static InferenceDeployment MinioNodeLocal() => Fixtures.Compliant() with
    {
        Name = "minio-8b",
        Model = Fixtures.Compliant().Model with
        {
            Source = ModelSource.S3("s3://models/llama-3.1-8b-instruct", endpoint: "http://minio.storage:9000", credentialsSecret: "minio-reader") with
            {
                FetchImage = ObjectStoreSource.DefaultFetchImage with { Digest = RcloneDigest },
            },
            Cache = WeightsCache.NodeLocal("gpu-node-cache"),
        },
    };

    /// <summary>GCS through Workload Identity on GKE, the egress reaching Google's ranges declared as CIDRs.</summary>
    public static InferenceDeployment GcsOnGke() => Fixtures.Compliant() with
    {
        Name = "gcs-8b",
        Model = Fixtures.Compliant().Model with
        {
            Source = ModelSource.Gcs("gs://acme-models/llama-3.1-8b-instruct") with { FetchImage = ObjectStoreSource.DefaultFetchImage with { Digest = RcloneDigest } },
        },
        Cluster = ClusterProfile.Gke(sharedStorageClass: "standard-rwx"),
        Security = new SecuritySpec { Network = new NetworkPolicySpec { AllowEgressCidrs = ["199.36.153.8/30"] } },
    };

    /// <summary>Azure Blob on AKS, through the cluster's proxy, on A100 80GB VM sizes.</summary>
    public static InferenceDeployment AzureBlobOnAks() => Fixtures.Compliant() with
    {
        Name = "blob-8b",
        Model = Fixtures.Compliant().Model with
        {
            Source = ModelSource.AzureBlob("https://acmemodels.blob.core.windows.net/models/llama-3.1-8b-instruct") with { FetchImage = ObjectStoreSource.DefaultFetchImage with { Digest = RcloneDigest } },
        },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.A100_80GB },
        Cluster = ClusterProfile.Aks() with { EgressProxy = "http://egress-proxy.egress:3128" },
    };

    /// <summary>A pre-populated claim, mounted read-only, on EKS with Karpenter (A100 40GB: name and memory labels).</summary>
    public static InferenceDeployment ClaimOnKarpenter() => Fixtures.Compliant() with
    {
        Name = "claim-8b",
        Model = Fixtures.Compliant().Model with { Source = ModelSource.Claim("llama-8b-weights", subPath: "llama-3.1-8b-instruct") },
        Accelerator = new AcceleratorSpec { Gpu = GpuCatalog.A100_40GB },
        Cluster = ClusterProfile.EksKarpenter(),
    };

    /// <summary>An OCI image volume pinned by digest, on a custom label with a custom taint.</summary>
    public static InferenceDeployment ImageOnCustomLabel() => Fixtures.Compliant() with
    {
        Name = "image-8b",
        Model = Fixtures.Compliant().Model with { Source = ModelSource.Image("registry.example.com/models/llama-3.1-8b-instruct@" + Fixtures.Digest) },
        Cluster = new ClusterProfile
        {
            Placement = NodePlacement.Custom("example.com/gpu", new Dictionary<string, string>(StringComparer.Ordinal) { ["L4"] = "l4-24gb" }, new NodeToleration("example.com/dedicated", "inference")),
        },
    };

    /// <summary>One cluster for every environment: namespaces get the environment as a suffix.</summary>
    public static InferenceDeployment SharedCluster(DeploymentEnvironment environment) => Fixtures.Compliant(environment) with
    {
        Name = "shared-8b",
        Namespace = "assistant",
        Cluster = Fixtures.Cluster with { Topology = ClusterTopology.SharedCluster, GatewayNamespace = "gateway" },
        Observability = new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = "http://otel-collector:4317" } },
        Security = new SecuritySpec { Network = new NetworkPolicySpec { Dependencies = ["tcp://session-cache:6379", "http://embeddings.search.svc.cluster.local:8000"] } },
        Scaling = environment.IsProduction ? new ScalingSpec() : new ScalingSpec { MinReplicas = 1, MaxReplicas = 1 },
        Load = environment.IsProduction ? Fixtures.Compliant().Load : Fixtures.Compliant().Load! with { RequestsPerSecond = 0.2 },
        IntendedDifferences = ["Scaling", "Load"],
    };

    /// <summary>Traces to a vendor outside the cluster, through the cluster's proxy.</summary>
    public static InferenceDeployment ExternalTracesThroughProxy() => Fixtures.Compliant() with
    {
        Name = "traced-8b",
        Observability = new ObservabilitySpec { Traces = new TraceExport { OtlpEndpoint = "https://otlp.vendor.example.com:4317" } },
    };

    /// <summary>A live Deployment's first canary, adopting it through workloadRef.</summary>
    public static InferenceDeployment MigratingCanary() => RolloutFixtures.Canary() with
    {
        Rollout = ((CanaryRollout)RolloutFixtures.Canary().Rollout) with { MigrateFromDeployment = true },
    };

    /// <summary>Every fixture of this file.</summary>
    public static IReadOnlyList<InferenceDeployment> All() =>
    [
        HubMirrorShared(), HubPerPod(), MinioNodeLocal(), GcsOnGke(), AzureBlobOnAks(), ClaimOnKarpenter(), ImageOnCustomLabel(),
        SharedCluster(DeploymentEnvironment.Staging), SharedCluster(DeploymentEnvironment.Prod), ExternalTracesThroughProxy(), MigratingCanary() with { Name = "migrating-70b" },
    ];
}
