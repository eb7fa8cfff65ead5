using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The provenance sidecar: generator version and a SHA-256 per file. It lives outside the applied folders so
/// that a generator upgrade never makes every manifest drift.
/// </summary>
internal static class Provenance
{
    public static string Write(RenderOptions options, IEnumerable<RenderedFile> files) =>
        Write(options, files.Select(f => (f.Path, Sha256(f.Utf8))));

    /// <summary>The layout's name as <c>ConfigAsCodeLayout</c> takes it: <c>object</c> or <c>app</c>.</summary>
    public static string LayoutName(ManifestLayout layout) => layout == ManifestLayout.PerApp ? "app" : "object";

    /// <summary>The SHA-256 of a file's bytes, as the sidecar records it (64 lowercase hex digits).</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>The sidecar for files already hashed (path and SHA-256).</summary>
    public static string Write(RenderOptions options, IEnumerable<(string Path, string Sha256)> files)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("generator", "ConfigAsCode");
            json.WriteString("generatorVersion", options.GeneratorVersion);
            json.WriteString("platform", options.PlatformName);
            if (!string.IsNullOrEmpty(options.ProjectName))
            {
                json.WriteString("project", options.ProjectName);
            }

            if (options.Layout == ManifestLayout.PerApp)
            {
                // Written only for the per-app layout, so an index of the default layout keeps its bytes.
                json.WriteString("layout", LayoutName(options.Layout));
            }

            json.WriteStartArray("files");
            foreach (var (path, sha256) in files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("path", path);
                json.WriteString("sha256", sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
