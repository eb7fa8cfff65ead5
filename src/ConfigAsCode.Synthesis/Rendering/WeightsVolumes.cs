using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Network;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The parts of the pod that bring the weights to the engine: the volumes (a per-pod <c>emptyDir</c>, a shared or
/// node-local claim, the source's claim or image), the engine's mounts (weights read-only unless it downloads them
/// itself), the init container that fetches into a cache, the environment that points the engine at the files (offline
/// when they are already there) and the proxy variables when external endpoints go through the cluster's proxy.
/// </summary>
internal static class WeightsVolumes
{
    /// <summary>The engine's writable scratch when the weights live elsewhere (module cache, compile caches).</summary>
    private const long ScratchGiB = 10;

    /// <summary>The fetch script: the pinned revision's files, without the duplicate consolidated checkpoints some repositories ship under original/.</summary>
    private const string HubFetchScript = "import sys; from huggingface_hub import snapshot_download; snapshot_download(repo_id=sys.argv[1], revision=sys.argv[2] or None, ignore_patterns=['original/*'])";

    public static ListNode Volumes(InferenceDeployment d, WeightsPlan plan)
    {
        var cacheGiB = plan.Delivery == WeightsDelivery.EngineDownload || plan.Cache is PodLocalCache ? plan.VolumeGiB : ScratchGiB;
        var volumes = ListNode.Of(new MapNode().Set("name", "cache").Set("emptyDir", new MapNode().Set("sizeLimit", Quantities.MemoryMiB(cacheGiB * 1024))));
        volumes.Add(WeightsVolume(plan));
        volumes.Add(new MapNode().Set("name", "tmp").Set("emptyDir", new MapNode().Set("sizeLimit", "1Gi")));
        if (d.Resources.SharedMemoryMiB is > 0 and var shm)
        {
            volumes.Add(new MapNode().Set("name", "dshm").Set("emptyDir", new MapNode().Set("medium", "Memory").Set("sizeLimit", Quantities.MemoryMiB(shm))));
        }

        return volumes;
    }

    public static ListNode EngineMounts(InferenceDeployment d, WeightsPlan plan)
    {
        var mounts = ListNode.Of(new MapNode().Set("name", "cache").Set("mountPath", WeightsPlan.CacheMountPath));
        if (HasWeightsVolume(plan))
        {
            mounts.Add(new MapNode().Set("name", WeightsPlan.WeightsVolume).Set("mountPath", WeightsPlan.ModelsMountPath).Set("readOnly", true));
        }

        mounts.Add(new MapNode().Set("name", "tmp").Set("mountPath", "/tmp"));
        if (d.Resources.SharedMemoryMiB is > 0)
        {
            mounts.Add(new MapNode().Set("name", "dshm").Set("mountPath", "/dev/shm"));
        }

        return mounts;
    }

    /// <summary>The init container that fetches the weights before the engine starts, or null when the engine needs none.</summary>
    public static ListNode? InitContainers(InferenceDeployment d, WeightsPlan plan, TrafficPlan traffic, MapNode securityContext)
    {
        if (plan.Delivery != WeightsDelivery.InitFetch)
        {
            return null;
        }

        var intoCache = plan.Cache is PodLocalCache;
        var mounts = ListNode.Of(
            intoCache
                ? new MapNode().Set("name", "cache").Set("mountPath", WeightsPlan.CacheMountPath)
                : new MapNode().Set("name", WeightsPlan.WeightsVolume).Set("mountPath", WeightsPlan.ModelsMountPath),
            new MapNode().Set("name", "tmp").Set("mountPath", "/tmp"));
        var resources = new MapNode()
            .Set("requests", new MapNode().Set("cpu", "1").Set("memory", "1Gi"))
            .Set("limits", new MapNode().Set("memory", "4Gi"));

        var container = new MapNode().Set("name", WeightsPlan.FetchContainer);
        var env = new ListNode();
        switch (plan.Source)
        {
            case HuggingFaceHubSource hub:
                container
                    .Set("image", d.Image.Reference)
                    .Set("imagePullPolicy", PullPolicy(d.Image))
                    .Set("command", ListNode.Of("python3", "-c", HubFetchScript))
                    .Set("args", ListNode.Of(d.Model.Id, d.Model.Revision ?? string.Empty));
                env.Add(Literal("HF_HOME", plan.WeightsMountPath + "/huggingface"));
                env.Add(Literal("HF_HUB_DISABLE_TELEMETRY", "1"));
                AddHubAccess(env, d, hub);
                break;
            case ObjectStoreSource store:
                var uri = ObjectStoreUri.Parse(store.Uri);
                container
                    .Set("image", store.FetchImage.Reference)
                    .Set("imagePullPolicy", PullPolicy(store.FetchImage))
                    .Set("command", ListNode.Of("rclone"))
                    .Set("args", ListNode.Of("copy", uri.RcloneRemote, plan.LocalModelPath!, "--fast-list", "--transfers=16", "--checkers=16"));
                env.Add(Literal("HOME", "/tmp"));
                env.Add(Literal("RCLONE_CONFIG", "/tmp/rclone.conf"));
                foreach (var (name, value) in RcloneEnvironment(store, uri))
                {
                    env.Add(Literal(name, value));
                }

                if (!string.IsNullOrWhiteSpace(store.CredentialsSecret))
                {
                    container.Set("envFrom", ListNode.Of(new MapNode().Set("secretRef", new MapNode().Set("name", store.CredentialsSecret))));
                }

                break;
        }

        if (traffic.Proxies(IsSourcePath))
        {
            AddProxy(env, traffic);
        }

        return ListNode.Of(container
            .Set("env", env)
            .Set("resources", resources)
            .Set("securityContext", securityContext)
            .Set("volumeMounts", mounts));
    }

    /// <summary>The engine's variables for its weights: where the Hugging Face cache is, offline when it is filled already, and Hub access when it downloads itself.</summary>
    public static IEnumerable<(string Name, string? Value, SecretReference? Secret)> EngineEnvironment(InferenceDeployment d, WeightsPlan plan)
    {
        if (d.Engine is TritonEngine)
        {
            yield break;
        }

        yield return ("HF_HOME", plan.HfHome, null);
        if (plan.EngineOffline)
        {
            // The files are on a volume the engine cannot write and no download is allowed out: never try the Hub.
            yield return ("HF_HUB_OFFLINE", "1", null);
            yield return ("HF_MODULES_CACHE", WeightsPlan.CacheMountPath + "/huggingface/modules", null);
        }
        else if (plan.Delivery == WeightsDelivery.EngineDownload && plan.Source is HuggingFaceHubSource hub)
        {
            if (!string.IsNullOrWhiteSpace(hub.Mirror))
            {
                yield return ("HF_ENDPOINT", hub.Mirror, null);
            }

            if (hub.Token is { } token)
            {
                yield return ("HF_TOKEN", null, token);
            }
        }
    }

    /// <summary>
    /// The engine's proxy variables: only when the engine itself reaches an external endpoint through the proxy (it
    /// downloads its weights, or exports traces or calls a dependency outside the cluster).
    /// </summary>
    public static IEnumerable<(string Name, string Value)> EngineProxyEnvironment(TrafficPlan traffic, WeightsPlan plan) =>
        traffic.Proxies(path => !IsSourcePath(path) || plan.Delivery == WeightsDelivery.EngineDownload) ? ProxyEnvironment(traffic) : [];

    /// <summary>The proxy variables, upper and lower case (Go and curl read one, gRPC the other), when external endpoints go through the proxy.</summary>
    public static IEnumerable<(string Name, string Value)> ProxyEnvironment(TrafficPlan traffic)
    {
        if (traffic.Proxy is not { } proxy)
        {
            yield break;
        }

        var url = "http://" + proxy.Host + ":" + TrafficPlan.PortText(proxy);
        var noProxy = string.Join(",", traffic.NoProxy);
        yield return ("HTTPS_PROXY", url);
        yield return ("HTTP_PROXY", url);
        yield return ("NO_PROXY", noProxy);
        yield return ("https_proxy", url);
        yield return ("http_proxy", url);
        yield return ("no_proxy", noProxy);
    }

    private static bool IsSourcePath(string path) =>
        path.StartsWith("Model.Source", StringComparison.Ordinal) || path.StartsWith("Engine.ModelRepository", StringComparison.Ordinal);

    private static void AddProxy(ListNode env, TrafficPlan traffic)
    {
        foreach (var (name, value) in ProxyEnvironment(traffic))
        {
            env.Add(Literal(name, value));
        }
    }

    private static void AddHubAccess(ListNode env, InferenceDeployment d, HuggingFaceHubSource hub)
    {
        if (!string.IsNullOrWhiteSpace(hub.Mirror))
        {
            env.Add(Literal("HF_ENDPOINT", hub.Mirror!));
        }

        // The token of the source, else the one the engine was given (deployments declared before model sources existed).
        var token = hub.Token ?? (d.Env ?? []).FirstOrDefault(e => e is { Name: "HF_TOKEN", Secret: not null })?.Secret;
        if (token is not null)
        {
            env.Add(new MapNode().Set("name", "HF_TOKEN").Set("valueFrom", new MapNode().Set("secretKeyRef", new MapNode().Set("name", token.Name).Set("key", token.Key))));
        }
    }

    private static IEnumerable<(string Name, string Value)> RcloneEnvironment(ObjectStoreSource store, ObjectStoreUri uri)
    {
        switch (uri.Kind)
        {
            case ObjectStoreKind.S3:
                var endpoint = !string.IsNullOrWhiteSpace(store.Endpoint) ? store.Endpoint : uri.HostPort is { } hostPort ? "http://" + hostPort : null;
                var aws = AwsRegion(endpoint);
                yield return ("RCLONE_S3_PROVIDER", endpoint is null || aws is not null ? "AWS" : "Other");
                yield return ("RCLONE_S3_ENV_AUTH", "true");
                if (aws is { Length: > 0 })
                {
                    // A regional AWS endpoint (through an interface endpoint's private DNS): rclone signs for its region.
                    yield return ("RCLONE_S3_REGION", aws);
                }
                else if (endpoint is not null && aws is null)
                {
                    yield return ("RCLONE_S3_ENDPOINT", endpoint);
                }

                break;
            case ObjectStoreKind.Gcs:
                yield return ("RCLONE_GCS_ENV_AUTH", "true");
                yield return ("RCLONE_GCS_BUCKET_POLICY_ONLY", "true");
                break;
            case ObjectStoreKind.AzureBlob:
                yield return ("RCLONE_AZUREBLOB_ACCOUNT", uri.Account ?? string.Empty);
                yield return ("RCLONE_AZUREBLOB_ENV_AUTH", "true");
                break;
        }
    }

    /// <summary>The region of an AWS S3 endpoint (<c>https://s3.us-east-1.amazonaws.com</c>), empty for the global one, null for any other host.</summary>
    private static string? AwsRegion(string? endpoint)
    {
        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host == "s3.amazonaws.com")
        {
            return string.Empty;
        }

        var labels = host.Split('.');
        return labels.Length == 4 && labels[0] == "s3" && labels[2] == "amazonaws" && labels[3] == "com" ? labels[1] : null;
    }

    private static bool HasWeightsVolume(WeightsPlan plan) =>
        plan.MountedClaimName is not null || plan.Origin == WeightsOrigin.Image;

    private static MapNode? WeightsVolume(WeightsPlan plan)
    {
        if (plan.Origin == WeightsOrigin.Image && plan.Source is OciImageSource image)
        {
            return new MapNode().Set("name", WeightsPlan.WeightsVolume).Set("image", new MapNode().Set("reference", image.Reference).Set("pullPolicy", "IfNotPresent"));
        }

        if (plan.MountedClaimName is not { } claim)
        {
            return null;
        }

        // A claim that already holds the weights is read-only everywhere; a cache is written by the fetcher.
        return new MapNode().Set("name", WeightsPlan.WeightsVolume).Set("persistentVolumeClaim", new MapNode()
            .Set("claimName", claim)
            .Set("readOnly", plan.Origin == WeightsOrigin.Claim ? (ManifestNode)true : null));
    }

    private static MapNode Literal(string name, string value) => new MapNode().Set("name", name).Set("value", new ScalarNode(value, ScalarKind.String));

    private static string PullPolicy(ContainerImage image) => string.IsNullOrEmpty(image.Digest) ? "Always" : "IfNotPresent";
}
