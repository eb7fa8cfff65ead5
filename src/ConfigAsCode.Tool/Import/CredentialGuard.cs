using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Secrets;
using YamlDotNet.RepresentationModel;

namespace ConfigAsCode.Tool.Import;

/// <summary>
/// The last line of defence: every value of the input that the secret detector classifies as a credential (by format,
/// or as the literal of a credential-named variable or flag), checked against the text about to be written. A match
/// stops the command before anything is written.
/// </summary>
internal static class CredentialGuard
{
    public static IReadOnlyCollection<string> Credentials(IEnumerable<SourceObject> objects)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            Walk(o.Node, null, found);
        }

        return found;
    }

    public static IReadOnlyCollection<string> Credentials(EngineCommandLine line, IEnumerable<EngineSetting> flagged)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var setting in line.Settings)
        {
            foreach (var part in SecretDetector.CredentialParts(setting.Value))
            {
                found.Add(part);
            }
        }

        foreach (var setting in flagged.Where(s => !string.IsNullOrEmpty(s.Value)))
        {
            found.Add(setting.Value!);
        }

        return found;
    }

    /// <summary>The first credential <paramref name="output"/> contains, or null.</summary>
    public static bool Leaks(string output, IReadOnlyCollection<string> credentials) =>
        credentials.Any(c => c.Length >= 4 && output.Contains(c, StringComparison.Ordinal));

    private static void Walk(YamlNode node, YamlMappingNode? parent, HashSet<string> found)
    {
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Value is { Length: > 0 } value:
                foreach (var part in SecretDetector.CredentialParts(value))
                {
                    found.Add(part);
                }

                // An env entry { name: HF_TOKEN, value: ... } or a flag value under a credential's name.
                if (parent is not null && Yaml.Text(parent, "value") == value && SecretDetector.Explain(Yaml.Text(parent, "name"), value) is not null)
                {
                    found.Add(value);
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Walk(sequence.Children[i], null, found);
                    if (sequence.Children[i] is YamlScalarNode { Value: { } flag } && i + 1 < sequence.Children.Count
                        && flag.StartsWith("--", StringComparison.Ordinal) && SecretDetector.IsSensitiveName(flag.TrimStart('-').Split('=')[0])
                        && sequence.Children[i + 1] is YamlScalarNode { Value: { Length: > 0 } next } && !next.StartsWith('-'))
                    {
                        found.Add(next);
                    }

                    if (sequence.Children[i] is YamlScalarNode { Value: { } joined } && joined.StartsWith("--", StringComparison.Ordinal) && joined.Contains('=', StringComparison.Ordinal)
                        && SecretDetector.IsSensitiveName(joined[2..joined.IndexOf('=', StringComparison.Ordinal)]) && joined[(joined.IndexOf('=', StringComparison.Ordinal) + 1)..] is { Length: > 0 } inline)
                    {
                        found.Add(inline);
                    }
                }

                break;
            case YamlMappingNode map:
                foreach (var pair in map.Children)
                {
                    Walk(pair.Value, map, found);
                }

                break;
        }
    }
}
