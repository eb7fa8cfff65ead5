using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Secrets;
using DiffPlex.Renderer;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// The full drift as one unified diff (DiffPlex), for CI to keep as an artifact. Both sides pass through the run's
/// redactor (known secret values and token formats), so a credential in a snapshot or in fresh output never
/// reaches the file.
/// </summary>
public static class UnifiedDiff
{
    public static string Render(DriftResult drift, IReadOnlyList<RenderedFile> fresh, SnapshotFolder folder, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(drift);
        ArgumentNullException.ThrowIfNull(redactor);
        var byPath = fresh.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var file in drift.Files)
        {
            var before = file.Kind == FileChangeKind.Added ? string.Empty : Normalize(File.ReadAllText(folder.FullPath(file.Path)));
            var after = file.Kind == FileChangeKind.Removed ? string.Empty : byPath[file.Path].Content;
            var diff = UnidiffRenderer.GenerateUnidiff(RedactManifest(before, redactor), RedactManifest(after, redactor), "a/" + file.Path, "b/" + file.Path, ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
            text.Append(Normalize(diff));
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }
        }

        return redactor.Redact(text.ToString());
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// A manifest's text with every credential hidden as the field diff hides it: known values and formats, plus what
    /// only the YAML shows — a <c>value:</c> under an environment variable with a credential name, and a scalar that is
    /// a credential as a whole (a high-entropy key). A snapshot committed before a secret was moved to a Secret still
    /// holds the literal: the "before" side of the diff must not print it.
    /// </summary>
    internal static string RedactManifest(string yaml, Redactor redactor)
    {
        if (yaml.Length == 0)
        {
            return yaml;
        }

        var lines = redactor.Redact(yaml).Split('\n');
        string? name = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart(' ', '-');
            var colon = trimmed.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = trimmed.Substring(0, colon);
            var value = trimmed.Substring(colon + 2).Trim().Trim('"', '\'');
            if (key == "name")
            {
                name = value;
                continue;
            }

            if ((key == "value" && SecretDetector.Explain(name, value) is not null) || SecretDetector.DetectTokenFormat(value) is not null)
            {
                lines[i] = line.Substring(0, line.Length - trimmed.Length + colon + 2) + SecretDetector.Placeholder;
            }
        }

        return string.Join('\n', lines);
    }
}
