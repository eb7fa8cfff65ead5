using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gpu;

namespace ConfigAsCode.Synthesis.Weights;

/// <summary>What a deployment's weights come from, once defaults are applied.</summary>
public enum WeightsOrigin
{
    /// <summary>The Hugging Face Hub or a mirror of it.</summary>
    HuggingFace,

    /// <summary>An S3, GCS or Azure Blob prefix.</summary>
    ObjectStore,

    /// <summary>A claim that already holds them.</summary>
    Claim,

    /// <summary>An OCI image volume.</summary>
    Image,

    /// <summary>Already in the container image (a Triton repository path): nothing to fetch or mount.</summary>
    InImage,
}

/// <summary>How the weights reach the engine.</summary>
public enum WeightsDelivery
{
    /// <summary>The engine downloads them itself at start-up into a per-pod <c>emptyDir</c> (inside the startup probe's time).</summary>
    EngineDownload,

    /// <summary>An init container fetches them into a volume before the engine starts (per pod, per node or once for all pods).</summary>
    InitFetch,

    /// <summary>A volume already holds them (a claim or an image): nothing is downloaded.</summary>
    Mounted,

    /// <summary>They are in the container image.</summary>
    InImage,
}

/// <summary>
/// The weights of one deployment, resolved: source and cache with defaults applied, where they are mounted, the path
/// the engine loads, the endpoint a download reaches and the claim a shared cache renders. The renderer, the rules,
/// the NetworkPolicy and the readiness checklist all read this one plan. <see cref="Problems"/> lists what is invalid
/// (CAC1026); the rest of the plan is still usable for rendering.
/// </summary>
public sealed record WeightsPlan
{
    /// <summary>Where volumes holding weights are mounted when they are not a per-pod download.</summary>
    public const string ModelsMountPath = "/models";

    /// <summary>The engine's writable scratch volume (and the per-pod download's home).</summary>
    public const string CacheMountPath = "/cache";

    /// <summary>The volume name of a weights claim or image.</summary>
    public const string WeightsVolume = "weights";

    /// <summary>The init container's name.</summary>
    public const string FetchContainer = "fetch-weights";

    public required WeightsOrigin Origin { get; init; }

    public required WeightsDelivery Delivery { get; init; }

    /// <summary>The effective cache; null when the source is its own cache (claim, image) or there is nothing to cache.</summary>
    public WeightsCache? Cache { get; init; }

    /// <summary>True when <see cref="Cache"/> was picked by default, not declared.</summary>
    public bool CacheIsDefault { get; init; }

    /// <summary>The source, resolved (a Triton object-store repository becomes an object-store source).</summary>
    public ModelSource? Source { get; init; }

    /// <summary>Where the files are fetched from: the Hub or mirror, or the store's endpoint; null when nothing is downloaded.</summary>
    public string? DownloadUrl { get; init; }

    /// <summary>The setting that names <see cref="DownloadUrl"/>, for messages.</summary>
    public string DownloadUrlPath { get; init; } = "Model.Source";

    /// <summary>
    /// The local path the engine loads (<c>--model</c>, <c>--model-id</c>, <c>--model-repository</c>); null when a vLLM or
    /// TGI engine loads the Hugging Face id from its cache.
    /// </summary>
    public string? LocalModelPath { get; init; }

    /// <summary>The claim a shared cache renders (<c>&lt;name&gt;-weights-&lt;hash&gt;</c>); null otherwise.</summary>
    public string? SharedClaimName { get; init; }

    /// <summary>The claim the pods mount: the shared one, the node-local one or the source's.</summary>
    public string? MountedClaimName { get; init; }

    /// <summary>The size of the weights volume (shared claim or per-pod emptyDir) in GiB.</summary>
    public long VolumeGiB { get; init; }

    /// <summary>The checkpoint's size in GiB as published, when the model is known.</summary>
    public double? CheckpointGiB { get; init; }

    /// <summary>What is invalid: property path and message (CAC1026).</summary>
    public IReadOnlyList<(string Path, string Message)> Problems { get; init; } = [];

    /// <summary>True when the engine reads a Hugging Face id from a cache it must not write to (offline mode).</summary>
    public bool EngineOffline => Delivery is WeightsDelivery.InitFetch or WeightsDelivery.Mounted;

    /// <summary>The mount path of the volume that holds the weights.</summary>
    public string WeightsMountPath => Delivery == WeightsDelivery.EngineDownload || (Delivery == WeightsDelivery.InitFetch && Cache is PodLocalCache) ? CacheMountPath : ModelsMountPath;

    /// <summary>Where <c>HF_HOME</c> points for the engine: under the weights volume for Hub sources, else the scratch volume.</summary>
    public string HfHome => Origin == WeightsOrigin.HuggingFace ? WeightsMountPath + "/huggingface" : CacheMountPath + "/huggingface";

    /// <summary>Resolves the weights of <paramref name="d"/>. Never throws on bad values: they are listed in <see cref="Problems"/>.</summary>
    public static WeightsPlan For(InferenceDeployment d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return Plans.Get(d);
    }

    // Rendering, readiness and the rules each ask for the plan of one deployment (instances are immutable):
    // resolved once per instance, not once per question.
    private static readonly DeploymentMemo<WeightsPlan> Plans = new(Resolve);

    private static WeightsPlan Resolve(InferenceDeployment d)
    {
        var problems = new List<(string, string)>();
        var model = d.Model;
        var cluster = d.Cluster ?? ClusterProfile.Default;
        var architecture = model?.ResolveArchitecture();
        double? checkpoint = architecture is { ParametersBillions: > 0 and < 100_000 } ? KvCacheBudget.WeightBytesOf(architecture, Quantization.None) / KvCacheBudget.BytesPerGiB : null;
        var source = ResolveSource(d, problems);
        var origin = source switch
        {
            HuggingFaceHubSource => WeightsOrigin.HuggingFace,
            ObjectStoreSource => WeightsOrigin.ObjectStore,
            VolumeClaimSource => WeightsOrigin.Claim,
            OciImageSource => WeightsOrigin.Image,
            _ => WeightsOrigin.InImage,
        };

        var declaredCache = model?.Cache;
        WeightsCache? cache = null;
        var cacheIsDefault = false;
        if (origin is WeightsOrigin.HuggingFace or WeightsOrigin.ObjectStore)
        {
            if (declaredCache is null)
            {
                cacheIsDefault = true;
                cache = string.IsNullOrWhiteSpace(cluster.SharedStorageClass) ? WeightsCache.PodLocal : WeightsCache.Shared(cluster.SharedStorageClass);
            }
            else
            {
                cache = declaredCache;
            }
        }
        else if (declaredCache is not null)
        {
            problems.Add(("Model.Cache", origin == WeightsOrigin.InImage
                ? "the model repository is inside the container image, so there is nothing to cache. Remove Model.Cache."
                : $"a {(origin == WeightsOrigin.Claim ? "claim" : "image")} source is mounted read-only and is its own cache; nothing is downloaded. Remove Model.Cache."));
        }

        var delivery = origin switch
        {
            WeightsOrigin.HuggingFace when cache is PodLocalCache && d.Engine is not TritonEngine => WeightsDelivery.EngineDownload,
            WeightsOrigin.HuggingFace or WeightsOrigin.ObjectStore => WeightsDelivery.InitFetch,
            WeightsOrigin.Claim or WeightsOrigin.Image => WeightsDelivery.Mounted,
            _ => WeightsDelivery.InImage,
        };

        string? sharedClaim = null;
        string? mountedClaim = null;
        long volumeGiB = 0;
        switch (cache)
        {
            case SharedVolumeCache shared:
                sharedClaim = d.Name + "-weights-" + SourceHash(d, source);
                mountedClaim = sharedClaim;
                volumeGiB = shared.SizeGiB ?? DerivedSize(checkpoint);
                if (string.IsNullOrWhiteSpace(shared.StorageClass ?? cluster.SharedStorageClass))
                {
                    problems.Add(("Model.Cache", "a shared cache needs a storage class with ReadWriteMany access (EFS, Filestore, Azure Files); the default class of most clusters is ReadWriteOnce and the claim would stay Pending. Name one: WeightsCache.Shared(\"efs-sc\"), or set Cluster.SharedStorageClass."));
                }
                else if (!KubernetesName.IsSubdomain(shared.StorageClass ?? cluster.SharedStorageClass))
                {
                    problems.Add((shared.StorageClass is null ? "Cluster.SharedStorageClass" : "Model.Cache.StorageClass", $"'{shared.StorageClass ?? cluster.SharedStorageClass}' is not a storage class name (a DNS-1123 subdomain)."));
                }

                CheckSize(shared.SizeGiB, "Model.Cache.SizeGiB", checkpoint, problems);
                break;
            case NodeLocalCache local:
                mountedClaim = local.ClaimName;
                if (!KubernetesName.IsSubdomain(local.ClaimName))
                {
                    problems.Add(("Model.Cache.ClaimName", $"'{local.ClaimName}' is not a claim name (a DNS-1123 subdomain)."));
                }

                break;
            case PodLocalCache podLocal:
                volumeGiB = podLocal.SizeGiB ?? DerivedSize(checkpoint);
                CheckSize(podLocal.SizeGiB, "Model.Cache.SizeGiB", checkpoint, problems);
                break;
        }

        if (source is VolumeClaimSource claim)
        {
            mountedClaim = claim.ClaimName;
            if (!KubernetesName.IsSubdomain(claim.ClaimName))
            {
                problems.Add(("Model.Source.ClaimName", $"'{claim.ClaimName}' is not a claim name (a DNS-1123 subdomain)."));
            }
        }

        var (downloadUrl, downloadPath) = source switch
        {
            HuggingFaceHubSource hub => (hub.Endpoint, string.IsNullOrWhiteSpace(hub.Mirror) ? "Model.Source" : "Model.Source.Mirror"),
            ObjectStoreSource store => (ObjectStoreUri.EndpointOf(store), string.IsNullOrWhiteSpace(store.Endpoint) ? SourcePath(d, "Uri") : "Model.Source.Endpoint"),
            _ => ((string?)null, "Model.Source"),
        };

        return new WeightsPlan
        {
            Origin = origin,
            Delivery = delivery,
            Cache = cache,
            CacheIsDefault = cacheIsDefault,
            Source = source,
            DownloadUrl = downloadUrl,
            DownloadUrlPath = downloadPath,
            LocalModelPath = LocalPath(d, source, origin, cache),
            SharedClaimName = sharedClaim,
            MountedClaimName = mountedClaim,
            VolumeGiB = volumeGiB,
            CheckpointGiB = checkpoint,
            Problems = problems,
        };
    }

    /// <summary>Room for the weights plus a margin, in whole tens of GiB; 50 GiB when the model is unknown.</summary>
    internal static long DerivedSize(double? checkpointGiB) =>
        checkpointGiB is > 0 and var gib ? (long)Math.Ceiling(gib * 1.2 / 10) * 10 : 50;

    private static void CheckSize(int? declared, string path, double? checkpoint, List<(string, string)> problems)
    {
        if (declared is { } size && size <= 0)
        {
            problems.Add((path, $"the cache size must be a positive number of GiB, not {size}."));
        }
        else if (declared is { } small && checkpoint is { } weights && small < weights)
        {
            problems.Add((path, $"{small} GiB cannot hold the {Math.Ceiling(weights).ToString(System.Globalization.CultureInfo.InvariantCulture)} GiB checkpoint; the fetch would fail with a full disk. Raise it, or leave it unset to size it from the checkpoint."));
        }
    }

    private static ModelSource? ResolveSource(InferenceDeployment d, List<(string, string)> problems)
    {
        var declared = d.Model?.Source;
        if (d.Engine is TritonEngine triton)
        {
            var repository = triton.ModelRepository;
            if (declared is not null)
            {
                if (!string.IsNullOrWhiteSpace(repository))
                {
                    problems.Add(("Engine.ModelRepository", "both Model.Source and Engine.ModelRepository name the model repository. Keep Model.Source and remove ModelRepository: Triton is pointed at the folder the source is mounted at."));
                }

                if (declared is HuggingFaceHubSource)
                {
                    problems.Add(("Model.Source", "Triton serves a model repository (a config.pbtxt per model), which the Hugging Face Hub does not hold. Use an object-store, claim or image source."));
                }
            }
            else if (string.IsNullOrWhiteSpace(repository))
            {
                problems.Add(("Engine.ModelRepository", "Triton needs a model repository: set Model.Source (an object store, a claim or an image), or Engine.ModelRepository to a path inside the image."));
                return null;
            }
            else if (repository!.StartsWith("/", StringComparison.Ordinal))
            {
                return null;
            }
            else
            {
                declared = new ObjectStoreSource { Uri = repository };
            }
        }

        declared ??= new HuggingFaceHubSource();
        switch (declared)
        {
            case HuggingFaceHubSource hub when !string.IsNullOrWhiteSpace(hub.Mirror) && !IsHttpUrl(hub.Mirror!):
                problems.Add(("Model.Source.Mirror", $"'{hub.Mirror}' is not an http(s) URL; a mirror is named like https://hf-mirror.models.internal."));
                break;
            case ObjectStoreSource store:
                if (ObjectStoreUri.Parse(store.Uri) is { Problem: { } problem })
                {
                    problems.Add((SourcePath(d, "Uri"), problem));
                }

                if (!string.IsNullOrWhiteSpace(store.Endpoint) && !IsHttpUrl(store.Endpoint!))
                {
                    problems.Add(("Model.Source.Endpoint", $"'{store.Endpoint}' is not an http(s) URL, for example http://minio.storage:9000."));
                }

                if (store.CredentialsSecret is { } secret && !KubernetesName.IsSubdomain(secret))
                {
                    problems.Add(("Model.Source.CredentialsSecret", $"'{secret}' is not a Secret name (a DNS-1123 subdomain)."));
                }

                if (store.FetchImage is null || string.IsNullOrWhiteSpace(store.FetchImage.Repository))
                {
                    problems.Add(("Model.Source.FetchImage", "the fetch image is not set. Remove the assignment to use rclone, or name an image with rclone in it."));
                }

                break;
            case OciImageSource image when string.IsNullOrWhiteSpace(image.Reference) || image.Reference.Any(char.IsWhiteSpace):
                problems.Add(("Model.Source.Reference", $"'{image.Reference}' is not an image reference, for example registry.example.com/models/llama-70b@sha256:<64 hex digits>."));
                break;
        }

        var subPath = declared switch
        {
            VolumeClaimSource c => c.SubPath,
            OciImageSource i => i.SubPath,
            _ => null,
        };
        if (subPath is not null && (subPath.StartsWith("/", StringComparison.Ordinal) || subPath.Split('/').Contains("..") || subPath.Trim().Length == 0))
        {
            problems.Add(("Model.Source.SubPath", $"'{subPath}' must be a relative folder inside the volume, without '..', for example 'llama-3.1-70b'."));
        }

        return declared;
    }

    private static string SourcePath(InferenceDeployment d, string member) =>
        d.Model?.Source is null && d.Engine is TritonEngine ? "Engine.ModelRepository" : "Model.Source." + member;

    private static string? LocalPath(InferenceDeployment d, ModelSource? source, WeightsOrigin origin, WeightsCache? cache)
    {
        var root = cache is PodLocalCache ? CacheMountPath : ModelsMountPath;
        switch (origin)
        {
            case WeightsOrigin.HuggingFace:
                return null;
            case WeightsOrigin.ObjectStore:
                return root + "/" + Folder(d, source);
            case WeightsOrigin.Claim or WeightsOrigin.Image:
                var sub = (source as VolumeClaimSource)?.SubPath ?? (source as OciImageSource)?.SubPath;
                return string.IsNullOrEmpty(sub) ? ModelsMountPath : ModelsMountPath + "/" + sub!.Trim('/');
            default:
                return (d.Engine as TritonEngine)?.ModelRepository;
        }
    }

    // Object-store files of different sources never share a folder of a node-local claim.
    private static string Folder(InferenceDeployment d, ModelSource? source) =>
        (Rendering.LabelValues.Sanitize(d.Model?.Id) ?? "model") + "-" + SourceHash(d, source);

    private static string SourceHash(InferenceDeployment d, ModelSource? source)
    {
        var identity = source switch
        {
            HuggingFaceHubSource hub => "hf|" + hub.Endpoint + "|" + d.Model?.Id + "|" + d.Model?.Revision,
            ObjectStoreSource store => "store|" + store.Endpoint + "|" + store.Uri,
            _ => "other|" + d.Model?.Id,
        };
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)), 0, 4).ToLowerInvariant();
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
