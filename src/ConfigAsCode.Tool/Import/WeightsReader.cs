using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Weights;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>What <see cref="WeightsReader"/> read: the deployment with its weights source and cache, and what it used.</summary>
/// <param name="Deployment">The deployment, with <see cref="ModelSpec.Source"/> and <see cref="ModelSpec.Cache"/> set when they were read.</param>
/// <param name="FetchRead">True when the <c>fetch-weights</c> init container was read as the source (the comparison judges it).</param>
/// <param name="Claim">The input's PersistentVolumeClaim the shared cache renders; compared with the rendered one.</param>
internal sealed record WeightsReading(InferenceDeployment Deployment, bool FetchRead, SourceObject? Claim);

/// <summary>
/// Reads where the weights come from and where they are kept, from what the pod shows: the <c>fetch-weights</c> init
/// container (a Hugging Face snapshot of the model id and revision, or an rclone copy of an S3 or GCS prefix), its
/// <c>HF_ENDPOINT</c> and <c>HF_TOKEN</c> (a Secret reference), and the weights volume (a ReadWriteMany claim of the
/// input is a shared cache with its storage class, another claim a node-local cache, none a per-pod download). A reading
/// is kept only when the toolkit's own <see cref="WeightsPlan"/> for it names the same claim and path as the input
/// (both carry a hash of the source), so a mirror, a bucket or an endpoint is never guessed; otherwise nothing is
/// declared and the comparison lists the init container and the volumes.
/// </summary>
internal static class WeightsReader
{
    private const string HubFetchInterpreter = "python3";

    public static WeightsReading Read(InferenceDeployment draft, YamlMappingNode podSpec, YamlMappingNode container, IReadOnlyList<SourceObject> sameNamespace)
    {
        var fetch = Yaml.Maps(podSpec, "initContainers").FirstOrDefault(c => Yaml.Text(c, "name") == WeightsPlan.FetchContainer);
        var volumes = Yaml.Maps(podSpec, "volumes").ToArray();
        var weights = volumes.FirstOrDefault(v => Yaml.Text(v, "name") == WeightsPlan.WeightsVolume);
        var claimName = Yaml.Text(Yaml.Map(weights, "persistentVolumeClaim"), "claimName");
        var cacheSize = Quantity.Mebibytes(Yaml.Text(Yaml.Map(volumes.FirstOrDefault(v => Yaml.Text(v, "name") == "cache"), "emptyDir"), "sizeLimit"));

        if (fetch is null)
        {
            // The engine downloads itself: a mirror and a token on its own environment are the Hub source.
            var mirror = Literal(container, "HF_ENDPOINT");
            var token = SecretOf(container, "HF_TOKEN");
            if (draft.Engine is TritonEngine || weights is not null || (mirror is null && token is null))
            {
                return new WeightsReading(draft, false, null);
            }

            var hub = draft with { Model = draft.Model with { Source = ModelSource.HuggingFace(mirror, token) } };
            hub = hub with { Env = hub.Env.Where(e => e.Name is not ("HF_ENDPOINT" or "HF_TOKEN")).ToArray() };
            var plan = WeightsPlan.For(hub);
            return plan.Delivery == WeightsDelivery.EngineDownload && plan.Problems.Count == 0 ? new WeightsReading(hub, false, null) : new WeightsReading(draft, false, null);
        }

        var candidates = Sources(draft, fetch).ToArray();
        foreach (var (source, engine) in candidates)
        {
            var withSource = draft with { Engine = engine, Model = draft.Model with { Source = source } };
            SourceObject? claim = null;
            WeightsCache cache;
            if (claimName is not null)
            {
                var input = sameNamespace.FirstOrDefault(o => o.Kind == "PersistentVolumeClaim" && o.Name == claimName);
                var spec = Yaml.Map(input?.Node, "spec");
                var shared = Yaml.Sequence(spec, "accessModes")?.Children.Any(m => Yaml.Text(m) == "ReadWriteMany") == true;
                var storageClass = Yaml.Text(spec, "storageClassName");
                if (input is not null && shared && storageClass is not null)
                {
                    claim = input;
                    var size = Quantity.Mebibytes(Yaml.Text(Yaml.Map(Yaml.Map(spec, "resources"), "requests"), "storage"));
                    var derived = WeightsPlan.For(withSource with { Model = withSource.Model with { Cache = WeightsCache.Shared(storageClass) } }).VolumeGiB;
                    cache = size is { } mib && mib % 1024 == 0 && mib / 1024 != derived ? WeightsCache.Shared(storageClass, mib / 1024) : WeightsCache.Shared(storageClass);
                }
                else
                {
                    cache = WeightsCache.NodeLocal(claimName);
                }
            }
            else if (weights is null)
            {
                var derived = WeightsPlan.For(withSource with { Model = withSource.Model with { Cache = WeightsCache.PodLocal } }).VolumeGiB;
                cache = cacheSize is { } mib && mib % 1024 == 0 && mib / 1024 != derived ? new PodLocalCache { SizeGiB = mib / 1024 } : WeightsCache.PodLocal;
            }
            else
            {
                // An image or another kind of volume holds the weights: not a cache the import can name.
                return new WeightsReading(draft, false, null);
            }

            var read = withSource with { Model = withSource.Model with { Cache = cache } };
            var plan = WeightsPlan.For(read);
            if (plan.Problems.Count == 0 && plan.Delivery == WeightsDelivery.InitFetch
                && (claimName is null || plan.MountedClaimName == claimName)
                && (source is not ObjectStoreSource || plan.LocalModelPath == Args(fetch).ElementAtOrDefault(2)))
            {
                return new WeightsReading(read, true, claim);
            }
        }

        return new WeightsReading(draft, false, null);
    }

    /// <summary>The sources the init container can be, each with the engine it implies (Triton is pointed at the source's folder).</summary>
    private static IEnumerable<(ModelSource Source, InferenceEngine Engine)> Sources(InferenceDeployment draft, YamlMappingNode fetch)
    {
        var command = WorkloadImporter.Strings(Yaml.Sequence(fetch, "command"));
        var args = Args(fetch);
        if (command is [HubFetchInterpreter, "-c", _] && args is [var id, var revision] && id == draft.Model.Id && revision == (draft.Model.Revision ?? string.Empty))
        {
            yield return (ModelSource.HuggingFace(Literal(fetch, "HF_ENDPOINT"), SecretOf(fetch, "HF_TOKEN")), draft.Engine);
            yield break;
        }

        if (command is not ["rclone"] || args is not ["copy", var remote, ..])
        {
            yield break;
        }

        var image = WorkloadImporter.Image(Yaml.Text(fetch, "image") ?? string.Empty);
        var fetchImage = image == ObjectStoreSource.DefaultFetchImage ? ObjectStoreSource.DefaultFetchImage : image;
        var credentials = Yaml.Maps(fetch, "envFrom").Select(e => Yaml.Text(Yaml.Map(e, "secretRef"), "name")).OfType<string>().ToArray() is [var secret] ? secret : null;
        var engine = draft.Engine is TritonEngine triton ? triton with { ModelRepository = null } : draft.Engine;
        string? uri = null;
        var endpoints = new List<string?>();
        if (remote.StartsWith(":s3:", StringComparison.Ordinal))
        {
            uri = "s3://" + remote[":s3:".Length..];
            var endpoint = Literal(fetch, "RCLONE_S3_ENDPOINT");
            var region = Literal(fetch, "RCLONE_S3_REGION");
            endpoints.Add(endpoint);
            if (endpoint is null && region is { Length: > 0 })
            {
                // The renderer writes a regional AWS endpoint as its region; the path's hash tells which spelling it was.
                endpoints.Add($"https://s3.{region}.amazonaws.com");
            }
        }
        else if (remote.StartsWith(":gcs:", StringComparison.Ordinal))
        {
            uri = "gs://" + remote[":gcs:".Length..];
            endpoints.Add(null);
        }

        if (uri is null)
        {
            yield break;
        }

        foreach (var endpoint in endpoints)
        {
            yield return (new ObjectStoreSource { Uri = uri, Endpoint = endpoint, CredentialsSecret = credentials, FetchImage = fetchImage }, engine);
        }
    }

    private static string[] Args(YamlMappingNode fetch) => WorkloadImporter.Strings(Yaml.Sequence(fetch, "args"));

    private static string? Literal(YamlMappingNode container, string name) =>
        Yaml.Maps(container, "env").Where(e => Yaml.Text(e, "name") == name && Yaml.Node(e, "valueFrom") is null).Select(e => Yaml.Text(e, "value")).FirstOrDefault();

    private static SecretReference? SecretOf(YamlMappingNode container, string name)
    {
        var reference = Yaml.Maps(container, "env").Where(e => Yaml.Text(e, "name") == name).Select(e => Yaml.Map(Yaml.Map(e, "valueFrom"), "secretKeyRef")).FirstOrDefault();
        var secret = Yaml.Text(reference, "name");
        var key = Yaml.Text(reference, "key");
        return KubernetesName.IsSubdomain(secret) && KubernetesName.IsSecretKey(key) ? new SecretReference(secret!, key!) : null;
    }

    /// <summary>The engine's variables the renderer writes itself for this deployment's weights; the input's equal ones are not declared again.</summary>
    public static IReadOnlyList<EnvVar> WithoutRenderedWeightsVariables(InferenceDeployment d, IReadOnlyList<EnvVar> env)
    {
        var rendered = WeightsVolumes.EngineEnvironment(d, WeightsPlan.For(d)).ToArray();
        return env.Where(e => !rendered.Any(r => r.Name == e.Name && (e.Secret is null ? r.Secret is null && r.Value == e.Value : Equals(r.Secret, e.Secret)))).ToArray();
    }
}
