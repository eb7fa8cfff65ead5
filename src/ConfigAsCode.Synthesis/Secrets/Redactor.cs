using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ConfigAsCode.Synthesis.Secrets;

/// <summary>
/// The one redactor every output passes through: the build log (protocol lines), the reports, <c>drift.diff</c>,
/// <c>host-error.txt</c> and exception messages. It knows the exact values the rules classified as secrets in this
/// run (by value: a password with no recognisable format is still hidden) as well as the token formats
/// (<see cref="SecretDetector.Redact"/>). Thread-safe: values are registered once, before anything is written.
/// </summary>
public sealed class Redactor
{
    /// <summary>Values shorter than this are replaced only where they were found, never in free text.</summary>
    public const int MinimumFreeTextLength = 4;

    private readonly object _gate = new();
    private (string Value, string Placeholder)[] _values = [];

    /// <summary>The placeholder for a secret a rule found: <c>&lt;redacted:CAC2001&gt;</c> (valid YAML, visible in a diff).</summary>
    public static string PlaceholderFor(string ruleId) => "<redacted:" + ruleId + ">";

    /// <summary>True when values are known; formats are always redacted.</summary>
    public bool HasValues => _values.Length > 0;

    /// <summary>The registered values, longest first (so a value never leaves a fragment of a longer one).</summary>
    internal IReadOnlyList<(string Value, string Placeholder)> Values => _values;

    /// <summary>Registers every value of <paramref name="secrets"/>.</summary>
    public void Register(IEnumerable<DetectedSecret> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        lock (_gate)
        {
            var all = _values.ToDictionary(v => v.Value, v => v.Placeholder, StringComparer.Ordinal);
            foreach (var secret in secrets)
            {
                foreach (var value in secret.Values)
                {
                    if (value.Length < MinimumFreeTextLength)
                    {
                        continue;
                    }

                    // Also the forms the value takes once user code or a serialiser encodes it: JSON-escaped and URL-encoded.
                    foreach (var form in new[] { value, System.Text.Json.JsonEncodedText.Encode(value).ToString(), Uri.EscapeDataString(value) })
                    {
                        all.TryAdd(form, secret.Placeholder);
                    }
                }
            }

            _values = all.Select(p => (p.Key, p.Value)).OrderByDescending(v => v.Key.Length).ThenBy(v => v.Key, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary><paramref name="text"/> with every known value and every recognised token format replaced.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        return SecretDetector.Redact(ReplaceValues(text));
    }

    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);

    /// <summary>
    /// The number of <paramref name="original"/> among the names this run has redacted, from 1, in the order they were
    /// first asked for: two names that each held a secret (two deployments, two environments) must stay two names,
    /// and a number says nothing about the value (a hash of it would let a weak password be guessed offline).
    /// </summary>
    internal int NameNumber(string original)
    {
        lock (_gate)
        {
            if (!_names.TryGetValue(original, out var number))
            {
                number = _names.Count + 1;
                _names[original] = number;
            }

            return number;
        }
    }

    /// <summary>UTF-8 bytes of <paramref name="text"/>, redacted.</summary>
    public byte[] RedactToUtf8(string text) => new UTF8Encoding(false).GetBytes(Redact(text));

    /// <summary>
    /// Replaces known values only (no formats): for strings inside a manifest, where the value is a setting, and for
    /// the strings of a report before it is serialised (escaping would hide a value from the pass over the whole text,
    /// which then handles the formats).
    /// </summary>
    public string ReplaceValues(string text)
    {
        var values = _values;
        if (values.Length == 0 || text.Length < MinimumFreeTextLength)
        {
            return text;
        }

        StringBuilder? builder = null;
        foreach (var (value, placeholder) in values)
        {
            if ((builder?.ToString() ?? text).Contains(value, StringComparison.Ordinal))
            {
                builder ??= new StringBuilder(text);
                builder.Replace(value, placeholder);
            }
        }

        return builder?.ToString() ?? text;
    }
}
