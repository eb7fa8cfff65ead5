using System.Text;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>Turns free text (a model id, an image tag) into a valid label value: at most 63 characters, no <c>/</c>.</summary>
public static class LabelValues
{
    /// <summary>The last path segment of <paramref name="text"/>, lower-cased, with invalid characters as <c>-</c>; null when nothing is left.</summary>
    public static string? Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var slash = text.LastIndexOf('/');
        var segment = slash >= 0 ? text.Substring(slash + 1) : text;
        var builder = new StringBuilder(segment.Length);
        foreach (var c in segment)
        {
            var lower = char.ToLowerInvariant(c);
            builder.Append(lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' ? lower : '-');
        }

        var value = builder.ToString();
        if (value.Length > 63)
        {
            value = value.Substring(0, 63);
        }

        value = value.Trim('-', '.', '_');
        return value.Length == 0 ? null : value;
    }
}
