namespace ConfigAsCode;

/// <summary>
/// Where a pod keeps the weights it fetched from a Hugging Face or object-store source, so a scale-out does not pull
/// the whole checkpoint again. Unset (<see cref="ModelSpec.Cache"/> null) picks one per source: a shared volume when
/// the cluster names a shared storage class (<see cref="ClusterProfile.SharedStorageClass"/>), else a per-pod
/// download (reported in production by CAC1025). A claim or image source is its own cache and takes none.
/// </summary>
public abstract record WeightsCache
{
    private protected WeightsCache()
    {
    }

    /// <summary>
    /// Every pod downloads the weights into its own <c>emptyDir</c> at start-up: simple, and right for dev, but a
    /// scale-out of a 70B model pulls ~140 GB per pod and waits minutes for it (CAC1025 in production).
    /// </summary>
    public static WeightsCache PodLocal { get; } = new PodLocalCache();

    /// <summary>
    /// One ReadWriteMany PersistentVolumeClaim per model revision, rendered beside the deployment and sized from the
    /// checkpoint: the first pod fetches, every later pod mounts the files read-only. <paramref name="storageClass"/>
    /// must offer ReadWriteMany (EFS, Filestore, Azure Files); null takes the cluster's shared storage class.
    /// </summary>
    public static SharedVolumeCache Shared(string? storageClass = null, int? sizeGiB = null) =>
        new SharedVolumeCache { StorageClass = storageClass, SizeGiB = sizeGiB };

    /// <summary>
    /// A node-local cache the platform provides as a claim in the namespace (a hostPath or local PersistentVolume per
    /// GPU node group, as KServe's LocalModelNodeGroup creates): the first pod on each node fetches, later pods on the
    /// node mount the files read-only.
    /// </summary>
    public static NodeLocalCache NodeLocal(string claimName) => new NodeLocalCache { ClaimName = claimName };
}

/// <summary>A per-pod download into an <c>emptyDir</c>.</summary>
public sealed record PodLocalCache : WeightsCache
{
    /// <summary>The emptyDir's size limit in GiB; derived from the checkpoint when null.</summary>
    public int? SizeGiB { get; init; }
}

/// <summary>A shared ReadWriteMany claim per model revision, rendered with the deployment.</summary>
public sealed record SharedVolumeCache : WeightsCache
{
    /// <summary>A storage class with ReadWriteMany; the cluster's <see cref="ClusterProfile.SharedStorageClass"/> when null.</summary>
    public string? StorageClass { get; init; }

    /// <summary>The claim's size in GiB; derived from the checkpoint (1.2x, rounded up to 10 GiB) when null.</summary>
    public int? SizeGiB { get; init; }
}

/// <summary>A node-local cache provided by the platform as a claim.</summary>
public sealed record NodeLocalCache : WeightsCache
{
    /// <summary>The claim, in the deployment's namespace, backed by storage on each GPU node.</summary>
    public required string ClaimName { get; init; }
}
