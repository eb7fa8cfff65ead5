using System.Text;
using ConfigAsCode.Synthesis.Secrets;

namespace ConfigAsCode.Tool.Import;

/// <summary>
/// Text from the input as messages and comments may show it: one line, control characters escaped, and any
/// credential (by format, or under a credential's name) replaced, so nothing printed or generated carries a secret.
/// </summary>
internal static class Printable
{
    public const string Redacted = "<redacted>";

    /// <summary>One line, at most <paramref name="maxLength"/> characters (the whole line when it is null).</summary>
    public static string Text(string text, int? maxLength = 120)
    {
        var redacted = SecretDetector.Redact(text);
        var builder = new StringBuilder(redacted.Length);
        for (var i = 0; i < redacted.Length; i++)
        {
            var c = redacted[i];
            if (char.IsHighSurrogate(c) && i + 1 < redacted.Length && char.IsLowSurrogate(redacted[i + 1]))
            {
                builder.Append(c).Append(redacted[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085')
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        var line = builder.ToString();
        return maxLength is not { } max || line.Length <= max ? line : line[..(max - 3)] + "...";
    }

    /// <summary>A value as shown next to its name: redacted whole when the name is a credential's or the value has a credential's format.</summary>
    public static string Value(string? name, string value) =>
        SecretDetector.IsSensitiveName(name) || SecretDetector.DetectTokenFormat(value) is not null ? Redacted : Text(value);

    public static string Setting(EngineSetting setting) =>
        setting.Value is null ? setting.Flag : Text(setting.Written.Replace(setting.Value, Value(setting.Flag.TrimStart('-'), setting.Value), System.StringComparison.Ordinal));
}
