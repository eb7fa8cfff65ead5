using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace ConfigAsCode.Synthesis.Evaluation;

/// <summary>
/// Flattens a deployment into <c>property path → value</c> pairs (<c>Scaling.MinReplicas → 2</c>,
/// <c>Env[HF_TOKEN].Secret.Name → hf-token</c>), with invariant formatting. Only settable properties are read,
/// so derived values (an image's reference, a GPU's GiB) are not counted twice. Used by environment drift.
/// </summary>
public static class DeploymentFlattener
{
    /// <summary>Properties that identify the declaration rather than configure it.</summary>
    private static readonly HashSet<string> Excluded = new(StringComparer.Ordinal)
    {
        nameof(InferenceDeployment.Environment),
        nameof(InferenceDeployment.DeclaredAt),
        nameof(InferenceDeployment.IntendedDifferences),
        nameof(InferenceDeployment.Suppressions),
    };

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertyCache = new();

    /// <summary>The deployment's configuration as ordinal-sorted path/value pairs.</summary>
    public static SortedDictionary<string, string> Flatten(InferenceDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in SettableProperties(typeof(InferenceDeployment)))
        {
            if (!Excluded.Contains(property.Name))
            {
                Visit(property.Name, property.GetValue(deployment), result, depth: 0);
            }
        }

        return result;
    }

    /// <summary>True when the declared path <paramref name="declared"/> is <paramref name="path"/> or one of its parents.</summary>
    public static bool Covers(string declared, string path) =>
        string.Equals(declared, path, StringComparison.Ordinal)
        || (path.StartsWith(declared, StringComparison.Ordinal) && path.Length > declared.Length && (path[declared.Length] == '.' || path[declared.Length] == '['));

    private static void Visit(string path, object? value, IDictionary<string, string> result, int depth)
    {
        if (depth > 16)
        {
            result[path] = "<too deep>";
            return;
        }

        switch (value)
        {
            case null:
                result[path] = "null";
                return;
            case string s:
                result[path] = s;
                return;
            case bool b:
                result[path] = b ? "true" : "false";
                return;
            case double d:
                result[path] = d.ToString("R", CultureInfo.InvariantCulture);
                return;
            case TimeSpan t:
                result[path] = t.ToString("c", CultureInfo.InvariantCulture);
                return;
            case Enum e:
                result[path] = e.ToString();
                return;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal:
                result[path] = f.ToString(null, CultureInfo.InvariantCulture);
                return;
            case IDictionary dictionary:
                var keys = dictionary.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty).OrderBy(k => k, StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    Visit($"{path}[{key}]", dictionary[key], result, depth + 1);
                }

                return;
            case IEnumerable sequence:
                var index = 0;
                foreach (var item in sequence)
                {
                    var itemKey = item is EnvVar env ? env.Name : index.ToString(CultureInfo.InvariantCulture);
                    Visit($"{path}[{itemKey}]", item, result, depth + 1);
                    index++;
                }

                return;
        }

        var type = value.GetType();
        if (type.IsAbstract || type.BaseType is { IsAbstract: true } && type.BaseType != typeof(object))
        {
            result[path + ".$type"] = type.Name;
        }

        foreach (var property in SettableProperties(type))
        {
            Visit(path + "." + property.Name, property.GetValue(value), result, depth + 1);
        }
    }

    private static PropertyInfo[] SettableProperties(Type type) =>
        PropertyCache.GetOrAdd(type, t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is not null && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray());
}
