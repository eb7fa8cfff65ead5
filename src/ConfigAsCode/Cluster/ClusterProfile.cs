namespace ConfigAsCode;

/// <summary>How a platform's environments map onto Kubernetes clusters.</summary>
public enum ClusterTopology
{
    /// <summary>One cluster per environment: every environment uses the declared namespaces as they are.</summary>
    ClusterPerEnvironment,

    /// <summary>
    /// One cluster for every environment: each namespace gets the environment as a suffix (<c>assistant-prod</c>,
    /// <c>assistant-staging</c>), so environments never share an object and each one's NetworkPolicy admits only its own
    /// namespace.
    /// </summary>
    SharedCluster,
}

/// <summary>
/// What the cluster a deployment runs on looks like: how its GPU nodes are labelled and tainted, whether environments
/// share it, which storage class can hold a shared weights cache, and where its gateway, monitoring, DNS and egress
/// proxy run. Declare one per platform and set it on each base declaration
/// (<c>Cluster = AcmeCluster</c>); the default is a cluster per environment with NVIDIA's GPU Feature Discovery labels.
/// </summary>
public sealed record ClusterProfile
{
    /// <summary>A cluster per environment, GPU Operator (GPU Feature Discovery) labels, no shared storage class.</summary>
    public static ClusterProfile Default { get; } = new();

    /// <summary>
    /// GKE: nodes selected by <c>cloud.google.com/gke-accelerator</c>. <paramref name="sharedStorageClass"/> is a
    /// ReadWriteMany class, for example <c>standard-rwx</c> once the Filestore CSI driver is enabled.
    /// </summary>
    public static ClusterProfile Gke(string? sharedStorageClass = null) =>
        new() { Placement = NodePlacement.Gke, SharedStorageClass = sharedStorageClass };

    /// <summary>
    /// EKS with Karpenter: nodes selected by <c>karpenter.k8s.aws/instance-gpu-name</c> (and GPU memory where one name
    /// covers two sizes). <paramref name="sharedStorageClass"/> is a ReadWriteMany class such as an EFS one (<c>efs-sc</c>).
    /// </summary>
    public static ClusterProfile EksKarpenter(string? sharedStorageClass = null) =>
        new() { Placement = NodePlacement.Karpenter, SharedStorageClass = sharedStorageClass };

    /// <summary>
    /// AKS: nodes selected by VM size (<c>node.kubernetes.io/instance-type</c>), tolerating the <c>sku=gpu</c> taint AKS
    /// recommends for GPU pools. <c>azurefile-csi-premium</c> ships with every AKS cluster and offers ReadWriteMany.
    /// </summary>
    public static ClusterProfile Aks(string? sharedStorageClass = "azurefile-csi-premium") =>
        new() { Placement = NodePlacement.Aks, SharedStorageClass = sharedStorageClass };

    /// <summary>How GPU nodes are selected and tolerated.</summary>
    public NodePlacement Placement { get; init; } = NodePlacement.GpuFeatureDiscovery;

    /// <summary>One cluster per environment, or one shared cluster with environment-suffixed namespaces.</summary>
    public ClusterTopology Topology { get; init; } = ClusterTopology.ClusterPerEnvironment;

    /// <summary>
    /// A storage class with ReadWriteMany access for shared weight caches; when set, Hugging Face and object-store
    /// sources cache there by default. Null leaves them downloading per pod.
    /// </summary>
    public string? SharedStorageClass { get; init; }

    /// <summary>
    /// An in-cluster HTTP(S) proxy or egress gateway every endpoint outside the cluster is reached through, for example
    /// <c>http://egress-proxy.egress:3128</c>. The pods get <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c>/<c>NO_PROXY</c> and the
    /// NetworkPolicy allows the proxy instead of the internet.
    /// </summary>
    public string? EgressProxy { get; init; }

    /// <summary>The namespace of the cluster's ingress gateway; deployments accept its traffic unless they opt out.</summary>
    public string? GatewayNamespace { get; init; }

    /// <summary>
    /// The namespace metrics are scraped from; null takes the namespace of the deployment's
    /// <see cref="ObservabilitySpec.PrometheusUrl"/>.
    /// </summary>
    public string? MonitoringNamespace { get; init; }

    /// <summary>The namespace of the cluster DNS (pods labelled <c>k8s-app: kube-dns</c>, as CoreDNS is on GKE, EKS and AKS).</summary>
    public string DnsNamespace { get; init; } = "kube-system";

    /// <summary>The cluster's DNS domain; service names ending in <c>.svc.&lt;domain&gt;</c> are in-cluster endpoints.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";
}
