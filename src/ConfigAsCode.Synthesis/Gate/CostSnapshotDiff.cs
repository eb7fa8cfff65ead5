using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// Compares two cost snapshots field by field, deployments matched by key, so adding one deployment reads as
/// <c>deployments[staging/embed-bge]: (absent) → $713.94/month</c> and not as every later entry shifting by one
/// (<c>deployments[6].key: staging/qwen-72b → staging/embed-bge</c>).
/// </summary>
public static class CostSnapshotDiff
{
    public static IReadOnlyList<FieldChange> Diff(byte[] before, byte[] after)
    {
        var left = Read(before);
        var right = Read(after);
        if (left is null || right is null)
        {
            return [new FieldChange("(document)", left is null ? "(unreadable)" : "(document)", right is null ? "(unreadable)" : "(document)", "cost snapshot")];
        }

        var changes = new List<FieldChange>();
        foreach (var key in left.Value.Top.Keys.Union(right.Value.Top.Keys, StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
        {
            Compare(key, left.Value.Top, right.Value.Top, key, changes);
        }

        foreach (var key in left.Value.Deployments.Keys.Union(right.Value.Deployments.Keys, StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
        {
            var path = $"deployments[{key}]";
            var hasLeft = left.Value.Deployments.TryGetValue(key, out var l);
            var hasRight = right.Value.Deployments.TryGetValue(key, out var r);
            if (!hasLeft || !hasRight)
            {
                changes.Add(new FieldChange(path, hasLeft ? Summary(l!) : ManifestDiff.Absent, hasRight ? Summary(r!) : ManifestDiff.Absent, null));
                continue;
            }

            foreach (var field in l!.Keys.Union(r!.Keys, StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                Compare(field, l, r, $"{path}.{field}", changes);
            }
        }

        return changes;
    }

    private static void Compare(string key, IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right, string path, List<FieldChange> changes)
    {
        var before = left.TryGetValue(key, out var b) ? b : ManifestDiff.Absent;
        var after = right.TryGetValue(key, out var a) ? a : ManifestDiff.Absent;
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange(path, before, after, key.StartsWith("acknowledgment", StringComparison.Ordinal) ? "cost acknowledgment" : null));
        }
    }

    private static string Summary(IReadOnlyDictionary<string, string> entry) =>
        entry.TryGetValue("monthlyExpected", out var monthly) ? $"${monthly}/month" : "(entry)";

    // Each deployment flattened to field → value ("inputs.gpu" → "L4"), keyed by its "key"; other top-level fields as they are.
    private static (Dictionary<string, string> Top, Dictionary<string, Dictionary<string, string>> Deployments)? Read(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var top = new Dictionary<string, string>(StringComparer.Ordinal);
            var deployments = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "deployments" && property.Value.ValueKind == JsonValueKind.Array)
                {
                    var index = 0;
                    foreach (var row in property.Value.EnumerateArray())
                    {
                        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                        Flatten(string.Empty, row, fields);
                        var key = fields.TryGetValue("key", out var k) ? k : $"#{index}";
                        fields.Remove("key");
                        deployments[deployments.ContainsKey(key) ? $"{key}#{index}" : key] = fields;
                        index++;
                    }
                }
                else
                {
                    Flatten(property.Name, property.Value, top);
                }
            }

            return (top, deployments);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Flatten(string path, JsonElement element, Dictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(path.Length == 0 ? property.Name : path + "." + property.Name, property.Value, into);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten($"{path}[{i++}]", item, into);
                }

                break;
            case JsonValueKind.String:
                into[path] = element.GetString() ?? string.Empty;
                break;
            default:
                into[path] = element.GetRawText();
                break;
        }
    }
}
