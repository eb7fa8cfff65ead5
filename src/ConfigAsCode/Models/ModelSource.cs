namespace ConfigAsCode;

/// <summary>
/// Where the model's weights come from. The source decides the engine's arguments, the credentials (Secret
/// references only), the volumes, how long a pod takes to start and which endpoint the NetworkPolicy must allow.
/// Unset (<see cref="ModelSpec.Source"/> null) means the Hugging Face Hub for vLLM and TGI, and the object store
/// named by <see cref="TritonEngine.ModelRepository"/> for Triton.
/// </summary>
public abstract record ModelSource
{
    private protected ModelSource()
    {
    }

    /// <summary>
    /// The Hugging Face Hub, or a mirror or caching proxy of it (<c>HF_ENDPOINT</c>), for example
    /// <c>https://hf-mirror.models.internal</c> in an air-gapped cluster. <paramref name="token"/> is the Secret key
    /// holding a read token for gated models (<c>HF_TOKEN</c>).
    /// </summary>
    public static HuggingFaceHubSource HuggingFace(string? mirror = null, SecretReference? token = null) =>
        new HuggingFaceHubSource { Mirror = mirror, Token = token };

    /// <summary>
    /// An S3 bucket or an S3-compatible store: <c>s3://bucket/prefix</c>. <paramref name="endpoint"/> names a
    /// non-AWS store (MinIO, Ceph), for example <c>http://minio.storage:9000</c>; <paramref name="credentialsSecret"/>
    /// is a Secret whose keys (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>) become the fetcher's environment.
    /// Without it the fetcher uses the pod's identity (IRSA, EKS Pod Identity).
    /// </summary>
    public static ObjectStoreSource S3(string uri, string? endpoint = null, string? credentialsSecret = null) =>
        new ObjectStoreSource { Uri = uri, Endpoint = endpoint, CredentialsSecret = credentialsSecret };

    /// <summary>A Google Cloud Storage prefix, <c>gs://bucket/prefix</c>; the pod's Workload Identity reads it unless a Secret is named.</summary>
    public static ObjectStoreSource Gcs(string uri, string? credentialsSecret = null) =>
        new ObjectStoreSource { Uri = uri, CredentialsSecret = credentialsSecret };

    /// <summary>An Azure Blob Storage prefix, <c>https://account.blob.core.windows.net/container/prefix</c>.</summary>
    public static ObjectStoreSource AzureBlob(string uri, string? credentialsSecret = null) =>
        new ObjectStoreSource { Uri = uri, CredentialsSecret = credentialsSecret };

    /// <summary>
    /// A PersistentVolumeClaim that already holds the weights (filled by your own job or a storage snapshot),
    /// mounted read-only; <paramref name="subPath"/> is the model's folder inside it. Nothing is downloaded.
    /// </summary>
    public static VolumeClaimSource Claim(string claimName, string? subPath = null) =>
        new VolumeClaimSource { ClaimName = claimName, SubPath = subPath };

    /// <summary>
    /// An OCI image (or artifact) holding the weights, mounted read-only as an image volume (Kubernetes 1.33+ with
    /// the ImageVolume feature). The kubelet pulls it once per node and keeps it in the node's image store, so the
    /// node is the cache. Pin it by digest: <c>registry.example.com/models/llama-70b@sha256:...</c>.
    /// </summary>
    public static OciImageSource Image(string reference, string? subPath = null) =>
        new OciImageSource { Reference = reference, SubPath = subPath };
}

/// <summary>The Hugging Face Hub, directly or through a mirror.</summary>
public sealed record HuggingFaceHubSource : ModelSource
{
    /// <summary>The default endpoint of the Hub.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>A mirror or proxy of the Hub (<c>HF_ENDPOINT</c>); null for <see cref="DefaultEndpoint"/>.</summary>
    public string? Mirror { get; init; }

    /// <summary>The Secret key with a read token (<c>HF_TOKEN</c>), for gated models; never a value.</summary>
    public SecretReference? Token { get; init; }

    /// <summary>The endpoint the pods download from.</summary>
    public string Endpoint => string.IsNullOrWhiteSpace(Mirror) ? DefaultEndpoint : Mirror!;
}

/// <summary>An object store prefix holding the model's files (S3, GCS or Azure Blob).</summary>
public sealed record ObjectStoreSource : ModelSource
{
    /// <summary>The default image that copies the files: rclone, which reads all three stores.</summary>
    public static ContainerImage DefaultFetchImage { get; } = new() { Repository = "rclone/rclone", Tag = "1.68.2" };

    /// <summary><c>s3://bucket/prefix</c>, <c>gs://bucket/prefix</c> or <c>https://account.blob.core.windows.net/container/prefix</c>.</summary>
    public required string Uri { get; init; }

    /// <summary>The store's endpoint when it is not the cloud's default one (an S3-compatible store), for example <c>http://minio.storage:9000</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>A Secret whose keys become the fetcher's environment (access keys); null uses the pod's cloud identity.</summary>
    public string? CredentialsSecret { get; init; }

    /// <summary>The image of the init container that copies the files; production requires a digest (CAC5002).</summary>
    public ContainerImage FetchImage { get; init; } = DefaultFetchImage;
}

/// <summary>A PersistentVolumeClaim that already holds the weights.</summary>
public sealed record VolumeClaimSource : ModelSource
{
    /// <summary>The claim's name, in the deployment's namespace.</summary>
    public required string ClaimName { get; init; }

    /// <summary>The model's folder inside the claim; null for its root.</summary>
    public string? SubPath { get; init; }
}

/// <summary>An OCI image holding the weights, mounted as an image volume.</summary>
public sealed record OciImageSource : ModelSource
{
    /// <summary>The image reference, pinned by digest in production.</summary>
    public required string Reference { get; init; }

    /// <summary>The model's folder inside the image; null for its root.</summary>
    public string? SubPath { get; init; }
}
