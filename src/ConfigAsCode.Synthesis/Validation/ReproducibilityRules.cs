using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC5xxx: mutable tags, unpinned digests and revisions, hardware-dependent defaults, environment drift.</summary>
internal static class ReproducibilityRules
{
    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.MutableImageTag, c =>
        {
            var image = c.Deployment.Image;
            if (image is null || !string.IsNullOrEmpty(image.Digest))
            {
                return;
            }

            if (string.IsNullOrEmpty(image.Tag))
            {
                c.Report("Image.Tag", "no tag and no digest: the image resolves to 'latest', which changes under you. Set Image.Tag to a release and Image.Digest to its sha256.");
            }
            else if (c.Options.MutableTags.Any(t => string.Equals(t, image.Tag, StringComparison.OrdinalIgnoreCase)))
            {
                c.Report("Image.Tag", $"tag '{image.Tag}' is moved by every release: two nodes can run different engines. Use a release tag and Image.Digest.");
            }
        }),
        new(RuleCatalog.ImageDigestMissingInProduction, c =>
        {
            var image = c.Deployment.Image;
            if (!c.IsProduction || image is null)
            {
                return;
            }

            if (string.IsNullOrEmpty(image.Digest))
            {
                c.Report("Image.Digest", "production images must be pinned by digest so every node runs the bytes that were tested. Set Image.Digest = \"sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it).");
            }
            else if (!RuleFacts.IsImageDigest(image.Digest))
            {
                c.Report("Image.Digest", "the digest is not 'sha256:' followed by 64 lowercase hex digits, so the image cannot be pulled by it. Copy the digest printed by docker buildx imagetools inspect <image>.");
            }

            // The images that bring the weights are production images too: a fetcher, or the weights themselves.
            var source = c.Deployment.Model is null || c.Deployment.Engine is null ? null : Weights.WeightsPlan.For(c.Deployment).Source;
            switch (source)
            {
                case ObjectStoreSource { FetchImage: { } fetch } when c.Deployment.Model!.Source is null:
                    // A Triton repository URL is fetched by the default image, which a declared source can pin.
                    CheckDigest(c, "Engine.ModelRepository", fetch.Digest, "the repository is fetched by the default rclone image, which is not pinned. Declare Model.Source = ModelSource.S3(\"<repository>\") with { FetchImage = <image with a digest> } and remove ModelRepository");
                    break;
                case ObjectStoreSource { FetchImage: { } fetch }:
                    CheckDigest(c, "Model.Source.FetchImage.Digest", fetch.Digest);
                    break;
                case OciImageSource { Reference: { } reference }:
                    var at = reference.IndexOf('@', StringComparison.Ordinal);
                    CheckDigest(c, "Model.Source.Reference", at < 0 ? null : reference.Substring(at + 1));
                    break;
            }
        }),
        new(RuleCatalog.ModelRevisionUnpinned, c =>
        {
            // A revision pins Hub downloads; claims, images and object-store prefixes are pinned by what they hold.
            if (c.Deployment.Model is { } model && c.Deployment.Engine is not null && Weights.WeightsPlan.For(c.Deployment).Origin == Weights.WeightsOrigin.HuggingFace && !IsPinnedRevision(model.Revision))
            {
                c.Report("Model.Revision", model.Revision is null
                    ? "no model revision: every pod start downloads whatever the repository's main branch holds. Pin Model.Revision to a 40-hex commit."
                    : $"revision '{model.Revision}' is not a commit: branches and tags move. Pin Model.Revision to a 40-hex commit.");
            }
        }),
        new(RuleCatalog.EngineBatchDefaultsUnset, c =>
        {
            var gpu = c.Deployment.Accelerator?.Gpu;
            switch (c.Deployment.Engine)
            {
                case VllmEngine v when v.MaxNumSeqs is null || v.MaxNumBatchedTokens is null:
                    var missing = string.Join(" and ", new[] { v.MaxNumSeqs is null ? "MaxNumSeqs" : null, v.MaxNumBatchedTokens is null ? "MaxNumBatchedTokens" : null }.Where(s => s is not null));
                    var version = VllmVersion.Assumed(c.Deployment);
                    var picked = gpu is null ? null : EngineDefaults.ForVllm(v with { MaxNumSeqs = null, MaxNumBatchedTokens = null }, gpu, version, v.MaxModelLen is > 0 and var length ? length : c.Architecture?.MaxContextTokens, c.Architecture);
                    var defaults = picked is null ? string.Empty : $" (on {gpu!.Name} vLLM {version} picks {picked.MaxNumSeqs}/{picked.MaxNumBatchedTokens}; on another GPU or release, something else)";
                    c.Report(v.MaxNumSeqs is null ? "Engine.MaxNumSeqs" : "Engine.MaxNumBatchedTokens", $"{missing} left unset: the engine chooses by GPU model{defaults}, so throughput and cost change with the node. Set both explicitly.");
                    break;
                case TgiEngine t when t.MaxBatchTotalTokens is null || t.MaxBatchPrefillTokens is null:
                    c.Report(t.MaxBatchTotalTokens is null ? "Engine.MaxBatchTotalTokens" : "Engine.MaxBatchPrefillTokens", "TGI infers its batch token budgets from free GPU memory at start-up, so they change with the node. Set MaxBatchTotalTokens and MaxBatchPrefillTokens explicitly.");
                    break;
                case TritonEngine { DynamicBatching: not null, MaxBatchSize: null }:
                    c.Report("Engine.MaxBatchSize", "dynamic batching without max_batch_size takes the model configuration's value, which is not reviewed here. Set MaxBatchSize.");
                    break;
            }
        }),
    ];

    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
    [
        new(RuleCatalog.EnvironmentDrift, EnvironmentDriftDetector.Check),
    ];

    private static void CheckDigest(RuleContext c, string path, string? digest, string? unpinned = null)
    {
        if (string.IsNullOrEmpty(digest))
        {
            c.Report(path, unpinned is not null
                ? $"production images must be pinned by digest: {unpinned}."
                : "production images must be pinned by digest so every node gets the bytes that were tested. Append the digest, \"@sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it).");
        }
        else if (!RuleFacts.IsImageDigest(digest))
        {
            c.Report(path, "the digest is not 'sha256:' followed by 64 lowercase hex digits, so the image cannot be pulled by it. Copy the digest printed by docker buildx imagetools inspect <image>.");
        }
    }

    internal static bool IsPinnedRevision(string? revision) => RuleFacts.IsPinnedRevision(revision);
}
