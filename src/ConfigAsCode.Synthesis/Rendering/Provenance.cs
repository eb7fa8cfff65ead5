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
    public static string Write(RenderOptions options, IEnumerable<RenderedFile> files)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("generator", "ConfigAsCode");
            json.WriteString("generatorVersion", options.GeneratorVersion);
            json.WriteString("platform", options.PlatformName);
            json.WriteStartArray("files");
            foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteString("sha256", Convert.ToHexString(SHA256.HashData(file.Utf8)).ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
