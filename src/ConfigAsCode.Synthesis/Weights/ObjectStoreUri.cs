using System;

namespace ConfigAsCode.Synthesis.Weights;

/// <summary>The object stores a source can name.</summary>
public enum ObjectStoreKind
{
    S3,
    Gcs,
    AzureBlob,
}

/// <summary>
/// An object-store location: <c>s3://bucket/prefix</c> (or Triton's <c>s3://host:port/bucket/prefix</c> for an
/// S3-compatible store), <c>gs://bucket/prefix</c>, <c>https://account.blob.core.windows.net/container/prefix</c> (or
/// Triton's <c>as://account/container/prefix</c>).
/// </summary>
/// <param name="Kind">The store.</param>
/// <param name="Bucket">The bucket or container.</param>
/// <param name="Prefix">The folder inside it, without slashes at either end; empty for the root.</param>
/// <param name="Account">The Azure storage account.</param>
/// <param name="HostPort">An S3-compatible store's <c>host:port</c> from a Triton-style URI.</param>
/// <param name="Problem">Why the URI cannot be read, or null.</param>
public sealed record ObjectStoreUri(ObjectStoreKind Kind, string Bucket, string Prefix, string? Account, string? HostPort, string? Problem)
{
    private const string AzureBlobHost = ".blob.core.windows.net";

    /// <summary>The remote rclone copies from (on-the-fly backend syntax, configured by environment variables).</summary>
    public string RcloneRemote => Kind switch
    {
        ObjectStoreKind.S3 => ":s3:" + Path,
        ObjectStoreKind.Gcs => ":gcs:" + Path,
        _ => ":azureblob:" + Path,
    };

    private string Path => Prefix.Length == 0 ? Bucket : Bucket + "/" + Prefix;

    /// <summary>Reads <paramref name="uri"/>; an unreadable one has <see cref="Problem"/> set.</summary>
    public static ObjectStoreUri Parse(string? uri)
    {
        var text = (uri ?? string.Empty).Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return Bad(text, "is not an object-store URI");
        }

        var scheme = text.Substring(0, schemeEnd).ToLowerInvariant();
        var segments = text.Substring(schemeEnd + 3).Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (scheme)
        {
            case "s3" when segments.Length >= 2 && segments[0].IndexOf(':', StringComparison.Ordinal) > 0:
                return new ObjectStoreUri(ObjectStoreKind.S3, segments[1], Join(segments, 2), null, segments[0], null);
            case "s3" when segments.Length >= 1:
                return new ObjectStoreUri(ObjectStoreKind.S3, segments[0], Join(segments, 1), null, null, null);
            case "gs" when segments.Length >= 1:
                return new ObjectStoreUri(ObjectStoreKind.Gcs, segments[0], Join(segments, 1), null, null, null);
            case "as" when segments.Length >= 2:
                return new ObjectStoreUri(ObjectStoreKind.AzureBlob, segments[1], Join(segments, 2), segments[0], null, null);
            case "https" when segments.Length >= 2 && segments[0].EndsWith(AzureBlobHost, StringComparison.OrdinalIgnoreCase):
                return new ObjectStoreUri(ObjectStoreKind.AzureBlob, segments[1], Join(segments, 2), segments[0].Substring(0, segments[0].Length - AzureBlobHost.Length).ToLowerInvariant(), null, null);
            default:
                return Bad(text, "is not an object-store URI");
        }
    }

    /// <summary>The endpoint the files are fetched from: the declared one, a Triton-style host, else the cloud's.</summary>
    public static string? EndpointOf(ObjectStoreSource store)
    {
        if (store is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(store.Endpoint))
        {
            return store.Endpoint;
        }

        var parsed = Parse(store.Uri);
        return parsed.Problem is not null ? null : parsed switch
        {
            { HostPort: { } hostPort } => "http://" + hostPort,
            { Kind: ObjectStoreKind.S3 } => "https://s3.amazonaws.com",
            { Kind: ObjectStoreKind.Gcs } => "https://storage.googleapis.com",
            _ => "https://" + parsed.Account + AzureBlobHost,
        };
    }

    private static string Join(string[] segments, int from) => string.Join("/", segments, from, segments.Length - from);

    private static ObjectStoreUri Bad(string text, string what) => new(ObjectStoreKind.S3, string.Empty, string.Empty, null, null,
        $"'{text}' {what}: use s3://bucket/prefix, gs://bucket/prefix or https://<account>.blob.core.windows.net/<container>/<prefix>.");
}
