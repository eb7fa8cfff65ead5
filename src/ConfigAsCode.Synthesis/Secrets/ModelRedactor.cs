using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace ConfigAsCode.Synthesis.Secrets;

/// <summary>
/// Returns a copy of a deployment in which every detected secret is replaced by its placeholder
/// (<c>&lt;redacted:CAC2001&gt;</c>): the flagged settings whole, and every other string that contains a known
/// value. Rendering, the config hash and the cost model then never see a credential, so no manifest, annotation or
/// hash carries one (a hash of a config with a weak password would let anyone holding the rest of the config test
/// guesses offline). Records are copied through their compiler-generated clone; nothing is mutated.
/// </summary>
public static class ModelRedactor
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();
    private static readonly HashSet<string> Untouched = new(StringComparer.Ordinal) { nameof(InferenceDeployment.DeclaredAt) };

    /// <summary><paramref name="deployment"/> itself when nothing needs redacting, else a redacted copy.</summary>
    public static InferenceDeployment Redact(InferenceDeployment deployment, IReadOnlyList<DetectedSecret> secrets, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(redactor);
        if (secrets.Count == 0 && !redactor.HasValues)
        {
            return deployment;
        }

        var flagged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            flagged.TryAdd(secret.PropertyPath, secret.Placeholder);
        }

        return (InferenceDeployment)Rewrite(deployment, string.Empty, flagged, redactor, depth: 0)!;
    }

    private static object? Rewrite(object? value, string path, IReadOnlyDictionary<string, string> flagged, Redactor redactor, int depth)
    {
        switch (value)
        {
            case null:
                return null;
            case string s when flagged.TryGetValue(path, out var placeholder):
                // A name must stay a name the cluster accepts (an environment variable named like a token is
                // redacted, not made unrenderable): "REDACTED_CAC2014" instead of "<redacted:CAC2014>".
                return path.EndsWith(".Name", StringComparison.Ordinal) ? "REDACTED_" + placeholder.Trim('<', '>').Split(':')[^1] : placeholder;
            case string s:
                return redactor.ReplaceValues(s);
            case IDictionary<string, string> map:
                var rewritten = new Dictionary<string, string>(StringComparer.Ordinal);
                var mapChanged = false;
                foreach (var (key, item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    var next = (string?)Rewrite(item, $"{path}[{key}]", flagged, redactor, depth + 1) ?? item;

                    // A key is a name in the manifest (a label's): one that holds a secret becomes a name of the
                    // placeholder, numbered when several would meet.
                    var name = redactor.ReplaceValues(key);
                    if (!string.Equals(name, key, StringComparison.Ordinal))
                    {
                        name = NameOf(name, redactor.NameNumber(key));
                    }

                    mapChanged |= !ReferenceEquals(next, item) || !string.Equals(name, key, StringComparison.Ordinal);
                    rewritten[name] = next;
                }

                return mapChanged ? rewritten : value;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is decimal or TimeSpan || depth > 16)
        {
            return value;
        }

        if (value is IEnumerable sequence && type.IsArray | type.IsGenericType)
        {
            var elementType = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            var items = sequence.Cast<object?>().ToArray();
            var changed = false;
            for (var i = 0; i < items.Length; i++)
            {
                var key = items[i] is EnvVar env ? env.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var next = Rewrite(items[i], $"{path}[{key}]", flagged, redactor, depth + 1);
                changed |= !ReferenceEquals(next, items[i]);
                items[i] = next;
            }

            if (!changed)
            {
                return value;
            }

            var array = Array.CreateInstance(elementType, items.Length);
            Array.Copy(items, array, items.Length);
            return array;
        }

        var clone = type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance);
        if (clone is null)
        {
            return value;
        }

        object? copy = null;
        foreach (var property in SettableProperties(type))
        {
            if (depth == 0 && Untouched.Contains(property.Name))
            {
                continue;
            }

            var current = property.GetValue(value);
            var propertyPath = path.Length == 0 ? property.Name : path + "." + property.Name;
            var next = depth == 0 && property.Name == nameof(InferenceDeployment.Environment)
                ? Environment((DeploymentEnvironment?)current, flagged, redactor)
                : Rewrite(current, propertyPath, flagged, redactor, depth + 1);
            if (!ReferenceEquals(next, current))
            {
                copy ??= clone.Invoke(value, null);
                try
                {
                    property.SetValue(copy, Assignable(property, next));
                }
                catch (TargetInvocationException e) when (e.InnerException is ArgumentException && next is string text && current is string original)
                {
                    // A name the record checks (a namespace, a deployment's name) that held a secret: the placeholder
                    // as a name the record and the cluster accept, so the run reports the credential instead of failing.
                    property.SetValue(copy, NameOf(text, redactor.NameNumber(original)));
                }
            }
        }

        return copy ?? value;
    }

    // The environment identifies the deployment and is left as declared, unless its name holds a secret: it names a
    // folder of the GitOps layout, a label and a cost key.
    private static DeploymentEnvironment? Environment(DeploymentEnvironment? environment, IReadOnlyDictionary<string, string> flagged, Redactor redactor)
    {
        if (environment is null)
        {
            return null;
        }

        var name = flagged.TryGetValue("Environment", out var placeholder) ? placeholder : redactor.ReplaceValues(environment.Name);
        return string.Equals(name, environment.Name, StringComparison.Ordinal) ? environment : environment with { Name = NameOf(name, redactor.NameNumber(environment.Name)) };
    }

    /// <summary>
    /// A text with placeholders (<c>&lt;redacted:CAC2014&gt;</c>) as a DNS-1123 label numbered by the original name
    /// (<see cref="Redactor.NameNumber"/>): <c>redacted-cac2014-1</c>, kept as is around it when that is a label, else
    /// the placeholder's name alone. Two names that held secrets stay two names (one key each for the cost, the budgets).
    /// </summary>
    internal static string NameOf(string redacted, int number)
    {
        var suffix = "-" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = System.Text.RegularExpressions.Regex.Replace(redacted, "<redacted:(CAC[0-9]{4})>", m => "redacted-" + m.Groups[1].Value.ToLowerInvariant(), System.Text.RegularExpressions.RegexOptions.CultureInvariant) + suffix;
        if (KubernetesName.IsLabel(name))
        {
            return name;
        }

        var first = System.Text.RegularExpressions.Regex.Match(redacted, "<redacted:(CAC[0-9]{4})>", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        return (first.Success ? "redacted-" + first.Groups[1].Value.ToLowerInvariant() : "redacted") + suffix;
    }

    // Sequences come back as arrays; a property typed List<T> (or another collection with an IEnumerable<T>
    // constructor) gets that type. A secret that cannot be written back is a failure, never a silent leak.
    private static object? Assignable(PropertyInfo property, object? value)
    {
        if (value is null || property.PropertyType.IsInstanceOfType(value))
        {
            return value;
        }

        return Activator.CreateInstance(property.PropertyType, value)
            ?? throw new InvalidOperationException($"the redacted value of {property.DeclaringType?.Name}.{property.Name} cannot be written back.");
    }

    private static PropertyInfo[] SettableProperties(Type type) =>
        Properties.GetOrAdd(type, static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToArray());
}
