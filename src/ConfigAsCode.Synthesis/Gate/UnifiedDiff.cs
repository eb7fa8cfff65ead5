using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Secrets;
using DiffPlex.Renderer;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>The full drift as one unified diff (DiffPlex), for CI to keep as an artifact. Secrets are redacted.</summary>
public static class UnifiedDiff
{
    public static string Render(DriftResult drift, IReadOnlyList<RenderedFile> fresh, string snapshotRoot)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var byPath = fresh.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var file in drift.Files)
        {
            var snapshot = Path.Combine(snapshotRoot, file.Path.Replace('/', Path.DirectorySeparatorChar));
            var before = file.Kind == FileChangeKind.Added ? string.Empty : File.ReadAllText(snapshot).Replace("\r\n", "\n", StringComparison.Ordinal);
            var after = file.Kind == FileChangeKind.Removed ? string.Empty : byPath[file.Path];
            var diff = UnidiffRenderer.GenerateUnidiff(before, after, "a/" + file.Path, "b/" + file.Path, ignoreWhitespace: false, ignoreCase: false, contextLines: 3);
            text.Append(diff.Replace("\r\n", "\n", StringComparison.Ordinal));
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }
        }

        return SecretDetector.Redact(text.ToString());
    }
}
