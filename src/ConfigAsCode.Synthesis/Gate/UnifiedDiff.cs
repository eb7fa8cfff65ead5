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
            var diff = UnidiffRenderer.GenerateUnidiff(redactor.Redact(before), redactor.Redact(after), "a/" + file.Path, "b/" + file.Path, ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
            text.Append(Normalize(diff));
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }
        }

        return redactor.Redact(text.ToString());
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
