using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace ConfigAsCode.Synthesis.Evaluation;

/// <summary>
/// Walks a deployment as <c>property path → value</c> pairs (<c>Scaling.MinReplicas → 2</c>,
/// <c>Env[HF_TOKEN].Secret.Name → hf-token</c>), with invariant formatting, in a fixed order (properties by
/// name, lists in order, dictionaries by key). Only settable properties are read, so derived values (an image's
/// reference, a GPU's GiB) are not counted twice. Environment drift compares the pairs; the config hash
/// digests them.
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
        nameof(InferenceDeployment.CostIncreaseAcknowledgment),
    };

    private static readonly ConcurrentDictionary<Type, Accessor[]> PropertyCache = new();

    /// <summary>The deployment's configuration as path/value pairs sorted by path (ordinal), each path once.</summary>
    public static KeyValuePair<string, string>[] Flatten(InferenceDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);

        // The leaves collect in one buffer kept per thread and are sorted where they are, by path and then by walk
        // order: that is a stable sort, so the last of equal paths (as a later Env entry of the same name would win
        // in Kubernetes) is the one kept. At 10,000 deployments, sorting through LINQ into new lists allocated 110 MB.
        // The buffer is taken while in use: a getter of user code that flattened another deployment on this thread
        // gets a buffer of its own instead of emptying this one.
        var leaves = t_leaves ?? new List<Leaf>(256);
        t_leaves = null;
        try
        {
            Walk(deployment, (path, value) => leaves.Add(new Leaf(path.ToString(), value, leaves.Count)));
            var sorted = CollectionsMarshal.AsSpan(leaves);
            sorted.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path) is var order and not 0 ? order : a.Order.CompareTo(b.Order));

            var unique = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                unique += IsLastOfPath(sorted, i) ? 1 : 0;
            }

            var pairs = new KeyValuePair<string, string>[unique];
            for (int i = 0, next = 0; i < sorted.Length; i++)
            {
                if (IsLastOfPath(sorted, i))
                {
                    pairs[next++] = new(sorted[i].Path, sorted[i].Value);
                }
            }

            return pairs;
        }
        finally
        {
            leaves.Clear();
            t_leaves = leaves;
        }
    }

    [ThreadStatic]
    private static List<Leaf>? t_leaves;

    private static bool IsLastOfPath(ReadOnlySpan<Leaf> sorted, int i) => i + 1 == sorted.Length || !string.Equals(sorted[i].Path, sorted[i + 1].Path, StringComparison.Ordinal);

    /// <summary>A leaf of the walk and its place in walk order.</summary>
    private readonly record struct Leaf(string Path, string Value, int Order);

    /// <summary>SHA-256 of the walk (environment name first), as 16 lowercase hex digits: changes whenever any setting does.</summary>
    public static string Hash(InferenceDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);

        // The UTF-8 of "environment=<name>\n" and "<path>=<value>\n" per leaf, streamed into the hash through one
        // small buffer: at 10,000 deployments, building the text and its bytes first allocated about 35 KB each.
        using var digest = new Utf8Digest();
        digest.Append("environment=").Append(deployment.Environment?.Name).Append("\n");
        Walk(deployment, (path, value) =>
        {
            foreach (var chunk in path.GetChunks())
            {
                digest.Append(chunk.Span);
            }

            digest.Append("=").Append(value).Append("\n");
        });
        return digest.Finish();
    }

    /// <summary>
    /// SHA-256 of text appended in pieces, as the UTF-8 encoding of the whole text would give it (the encoder keeps a
    /// surrogate pair split between two pieces together, and replaces a lone one as Encoding.UTF8 does).
    /// </summary>
    private sealed class Utf8Digest : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
        private readonly byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
        private int _filled;

        public Utf8Digest Append(string? text) => Append(text.AsSpan());

        public Utf8Digest Append(ReadOnlySpan<char> text)
        {
            Encode(text, flush: false);
            return this;
        }

        public string Finish()
        {
            Encode([], flush: true);
            _hash.AppendData(_buffer, 0, _filled);
            _filled = 0;
            Span<byte> sha = stackalloc byte[32];
            _hash.GetHashAndReset(sha);
            return Convert.ToHexString(sha[..8]).ToLowerInvariant();
        }

        public void Dispose()
        {
            _hash.Dispose();
            System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
        }

        // Bytes collect in the buffer and reach the hash when it is nearly full: one call into the hash per leaf (four
        // per leaf, 6 million at 10,000 deployments) cost more than building the whole text had.
        private void Encode(ReadOnlySpan<char> text, bool flush)
        {
            var completed = false;
            while (!completed)
            {
                if (_buffer.Length - _filled < 16)
                {
                    _hash.AppendData(_buffer, 0, _filled);
                    _filled = 0;
                }

                _encoder.Convert(text, _buffer.AsSpan(_filled), flush, out var charsUsed, out var bytesUsed, out completed);
                _filled += bytesUsed;
                text = text[charsUsed..];
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for every leaf of the walk, in walk order (duplicates included). The path
    /// builder is reused between calls: read it only inside the call (most visitors never need it, so no path string
    /// is allocated unless one is wanted).
    /// </summary>
    public static void VisitLeaves(InferenceDeployment deployment, Action<StringBuilder, string> visit) => VisitLeaves(deployment, visit, null);

    /// <summary>
    /// As <see cref="VisitLeaves(InferenceDeployment, Action{StringBuilder, string})"/>, and <paramref name="keys"/> is
    /// called with every key of every dictionary on the way (labels, selectors), at the dictionary's path: a key reaches a
    /// manifest as a name, yet is only a part of the leaves' paths.
    /// </summary>
    public static void VisitLeaves(InferenceDeployment deployment, Action<StringBuilder, string> visit, Action<StringBuilder, string>? keys)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(visit);
        Walk(deployment, visit, keys);
    }

    /// <summary>True when the declared path <paramref name="declared"/> is <paramref name="path"/> or one of its parents.</summary>
    public static bool Covers(string declared, string path) =>
        string.Equals(declared, path, StringComparison.Ordinal)
        || (path.StartsWith(declared, StringComparison.Ordinal) && path.Length > declared.Length && (path[declared.Length] == '.' || path[declared.Length] == '['));

    private static void Walk(InferenceDeployment deployment, Action<StringBuilder, string> emit, Action<StringBuilder, string>? keys = null)
    {
        var path = new StringBuilder(128);
        foreach (var property in SettableProperties(typeof(InferenceDeployment)))
        {
            if (!Excluded.Contains(property.Name))
            {
                path.Clear().Append(property.Name);
                VisitProperty(path, property, deployment, emit, depth: 0, keys);
            }
        }
    }

    private static void Visit(StringBuilder path, object? value, Action<StringBuilder, string> emit, int depth, Action<StringBuilder, string>? keys = null)
    {
        if (depth > MaxDepth)
        {
            emit(path, "<too deep>");
            return;
        }

        switch (value)
        {
            case null:
                emit(path, "null");
                return;
            case string s:
                emit(path, s);
                return;
            case bool b:
                emit(path, b ? "true" : "false");
                return;
            case double d:
                emit(path, d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case TimeSpan t:
                emit(path, t.ToString("c", CultureInfo.InvariantCulture));
                return;
            case Enum e:
                emit(path, e.ToString());
                return;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal:
                emit(path, f.ToString(null, CultureInfo.InvariantCulture));
                return;
        }

        var length = path.Length;
        switch (value)
        {
            case IDictionary dictionary:
                var names = dictionary.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty).OrderBy(k => k, StringComparer.Ordinal).ToArray();
                foreach (var key in names)
                {
                    path.Length = length;
                    keys?.Invoke(path, key);
                    path.Append('[').Append(key).Append(']');
                    Visit(path, dictionary[key], emit, depth + 1, keys);
                }

                path.Length = length;
                return;
            case IEnumerable sequence:
                var index = 0;
                foreach (var item in sequence)
                {
                    path.Length = length;
                    path.Append('[');
                    if (item is EnvVar env)
                    {
                        path.Append(env.Name);
                    }
                    else
                    {
                        path.Append(index);
                    }

                    path.Append(']');
                    Visit(path, item, emit, depth + 1, keys);
                    index++;
                }

                path.Length = length;
                return;
        }

        var type = value.GetType();
        if (type.BaseType is { IsAbstract: true } && type.BaseType != typeof(object))
        {
            path.Append(".$type");
            emit(path, type.Name);
            path.Length = length;
        }

        foreach (var property in SettableProperties(type))
        {
            path.Length = length;
            path.Append('.').Append(property.Name);
            VisitProperty(path, property, value, emit, depth + 1, keys);
        }

        path.Length = length;
    }

    /// <summary>
    /// Visits the value of <paramref name="property"/> on <paramref name="owner"/> at <paramref name="depth"/>. A number,
    /// a flag or a duration is formatted by a compiled getter of its own, exactly as <see cref="Visit"/> formats it, but
    /// without boxing it first (three walks of 10,000 deployments boxed 44 MB of them).
    /// </summary>
    private static void VisitProperty(StringBuilder path, Accessor property, object owner, Action<StringBuilder, string> emit, int depth, Action<StringBuilder, string>? keys = null)
    {
        if (property.Text is { } text && depth <= MaxDepth)
        {
            emit(path, text(owner));
        }
        else
        {
            Visit(path, property.Get(owner), emit, depth, keys);
        }
    }

    private const int MaxDepth = 16;

    private static Accessor[] SettableProperties(Type type) =>
        PropertyCache.GetOrAdd(type, static t => t
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is not null && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new Accessor(p.Name, Compile(p), CompileText(p)))
            .ToArray());

    // A compiled getter is two orders of magnitude faster than PropertyInfo.GetValue at 10,000 deployments.
    private static Func<object, object?> Compile(PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var body = Expression.Convert(Expression.Property(Expression.Convert(instance, property.DeclaringType!), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }

    /// <summary>
    /// For a property of a number, bool or TimeSpan type (or a nullable one), a getter that returns the text
    /// <see cref="Visit"/> gives its value: <c>true</c>/<c>false</c>, a double round-trip ("R"), a TimeSpan in the
    /// constant format ("c"), any other number with the invariant culture, and <c>null</c> for a nullable without a
    /// value. Null for every other type.
    /// </summary>
    private static Func<object, string>? CompileText(PropertyInfo property)
    {
        var underlying = Nullable.GetUnderlyingType(property.PropertyType);
        var type = underlying ?? property.PropertyType;
        if (!Array.Exists(TextTypes, t => t == type))
        {
            return null;
        }

        var invariant = Expression.Constant(CultureInfo.InvariantCulture, typeof(IFormatProvider));
        Expression Format(Expression value) =>
            type == typeof(bool) ? Expression.Condition(value, Expression.Constant("true"), Expression.Constant("false"))
            : type == typeof(double) ? Expression.Call(value, typeof(double).GetMethod(nameof(double.ToString), [typeof(string), typeof(IFormatProvider)])!, Expression.Constant("R"), invariant)
            : type == typeof(TimeSpan) ? Expression.Call(value, typeof(TimeSpan).GetMethod(nameof(TimeSpan.ToString), [typeof(string), typeof(IFormatProvider)])!, Expression.Constant("c"), invariant)
            : Expression.Call(value, type.GetMethod(nameof(ToString), [typeof(string), typeof(IFormatProvider)])!, Expression.Constant(null, typeof(string)), invariant);

        var instance = Expression.Parameter(typeof(object), "instance");
        var read = Expression.Property(Expression.Convert(instance, property.DeclaringType!), property);
        Expression body;
        if (underlying is null)
        {
            body = Format(read);
        }
        else
        {
            var held = Expression.Variable(property.PropertyType, "held");
            body = Expression.Block(
                typeof(string),
                [held],
                Expression.Assign(held, read),
                Expression.Condition(Expression.Property(held, "HasValue"), Format(Expression.Property(held, "Value")), Expression.Constant("null")));
        }

        return Expression.Lambda<Func<object, string>>(body, instance).Compile();
    }

    private static readonly Type[] TextTypes =
    [
        typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong),
        typeof(float), typeof(double), typeof(decimal), typeof(TimeSpan),
    ];

    private sealed record Accessor(string Name, Func<object, object?> Get, Func<object, string>? Text);
}
