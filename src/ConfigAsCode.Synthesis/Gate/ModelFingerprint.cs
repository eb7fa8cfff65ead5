using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ConfigAsCode.Synthesis.Evaluation;

namespace ConfigAsCode.Synthesis.Gate;

/// <summary>
/// A SHA-256 of everything an evaluation produced, exact enough that two evaluations with the same fingerprint give the
/// gate the same input: every instance field (private ones too) of every object the deployments and the platforms'
/// settings reach, with its runtime type, strings and numbers by their bits, collections in the order they enumerate,
/// and shared objects as references to where they were first met. <see cref="VerdictReuse"/> reuses the last passing
/// verdict only when this and every other input of the gate are unchanged.
/// <para>
/// A value whose behaviour is code rather than data cannot be fingerprinted, and then there is no fingerprint (the gate
/// runs in full): an object of a type declared outside the ConfigAsCode library and the .NET runtime (a collection class
/// of the user's runs user code when it is enumerated), a delegate, a lazy sequence (LINQ), a collection with a comparer
/// that is not the runtime's plain or ordinal one, and any other runtime type that is not a primitive, a string, a date,
/// an enum, a tuple, an array, one of the runtime's lists, dictionaries, sets, queues and stacks (mutable or immutable)
/// or a read-only wrapper of one.
/// </para>
/// </summary>
public static class ModelFingerprint
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> Fields = new();
    private static readonly ConcurrentDictionary<Type, Kind> Kinds = new();
    private static readonly ConcurrentDictionary<Assembly, bool> RuntimeAssemblies = new();
    private static readonly Assembly Library = typeof(InferenceDeployment).Assembly;
    private static readonly string[] ComparerProperties = ["Comparer", "KeyComparer", "ValueComparer"];

    private enum Kind
    {
        Unsupported,
        Primitive,
        Enum,
        Array,
        Collection,
        Fields,
    }

    /// <summary>
    /// The fingerprint of <paramref name="evaluation"/> (64 hex digits), or null and what could not be fingerprinted.
    /// An evaluation that failed has none.
    /// </summary>
    public static (string? Fingerprint, string? Unsupported) Of(EvaluationResult evaluation) => Of(evaluation, sourceFiles: null);

    /// <summary>
    /// <see cref="Of(EvaluationResult)"/>, adding to <paramref name="sourceFiles"/> the file of every source location the
    /// walk meets (a deployment's, a budget's, any other declaration's): the paths the gate maps back through
    /// <see cref="GateOptions.MapSourcePath"/> and reports.
    /// </summary>
    public static (string? Fingerprint, string? Unsupported) Of(EvaluationResult evaluation, ISet<string>? sourceFiles)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        if (evaluation.Failed)
        {
            return (null, "the evaluation failed");
        }

        var walker = new Walker(sourceFiles);
        try
        {
            walker.Value(evaluation.PlatformNames);
            walker.Value(evaluation.IgnoredPlatforms);
            walker.Value(evaluation.Pricing);
            walker.Value(evaluation.Budgets);
            walker.Value(evaluation.PriceOverrides);
            walker.Value(evaluation.Deployments);
            return (walker.Finish(), null);
        }
        catch (UnsupportedValueException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or NotSupportedException)
        {
            // A collection that cannot be enumerated (a default ImmutableArray): the gate meets it in full.
            return (null, $"a collection that could not be enumerated ({e.GetType().Name})");
        }
    }

    private static Kind KindOf(Type type) => Kinds.GetOrAdd(type, static t =>
    {
        if (t.IsEnum)
        {
            return Kind.Enum;
        }

        if (t.IsPrimitive || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(DateTimeOffset)
            || t == typeof(TimeSpan) || t == typeof(DateOnly) || t == typeof(TimeOnly) || t == typeof(Guid))
        {
            return t == typeof(IntPtr) || t == typeof(UIntPtr) ? Kind.Unsupported : Kind.Primitive;
        }

        if (t.IsArray)
        {
            return t.GetArrayRank() == 1 && !t.GetElementType()!.IsPointer ? Kind.Array : Kind.Unsupported;
        }

        if (t.Assembly == Library)
        {
            return Kind.Fields;
        }

        // The read-only lists C# emits into the user's assembly for a collection expression ([a, b] as an
        // IReadOnlyList<T>): code of the compiler, not of the user, holding an array, a list or one item in its fields.
        if (!IsRuntime(t.Assembly))
        {
            return t.Name.StartsWith("<>z__ReadOnly", StringComparison.Ordinal) && t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false)
                ? Kind.Fields
                : Kind.Unsupported;
        }

        if (!t.IsGenericType)
        {
            return Kind.Unsupported;
        }

        // A dictionary's entries, tuples, and the read-only wrappers hold only what their fields hold: what a wrapped
        // collection is (a user's own IList runs user code on every enumeration) is checked as it is met.
        var definition = t.GetGenericTypeDefinition();
        if (Wrappers.Contains(definition) || (t.Namespace == "System" && (t.Name.StartsWith("ValueTuple`", StringComparison.Ordinal) || t.Name.StartsWith("Tuple`", StringComparison.Ordinal))))
        {
            return Kind.Fields;
        }

        // The runtime's own collections: their content is what they enumerate, their comparers are checked. Any other
        // enumerable (LINQ's lazy sequences, a concurrent or frozen collection, a wrapper not listed) is refused.
        return Collections.Contains(definition) ? Kind.Collection : Kind.Unsupported;
    });

    private static readonly HashSet<Type> Wrappers =
    [
        typeof(KeyValuePair<,>), typeof(System.Collections.ObjectModel.ReadOnlyCollection<>), typeof(System.Collections.ObjectModel.Collection<>),
        typeof(System.Collections.ObjectModel.ReadOnlyDictionary<,>),
    ];

    private static readonly HashSet<Type> Collections =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(SortedDictionary<,>), typeof(SortedSet<>), typeof(SortedList<,>),
        typeof(LinkedList<>), typeof(Queue<>), typeof(Stack<>),
        typeof(System.Collections.Immutable.ImmutableArray<>), typeof(System.Collections.Immutable.ImmutableList<>),
        typeof(System.Collections.Immutable.ImmutableDictionary<,>), typeof(System.Collections.Immutable.ImmutableHashSet<>),
        typeof(System.Collections.Immutable.ImmutableSortedDictionary<,>), typeof(System.Collections.Immutable.ImmutableSortedSet<>),
        typeof(System.Collections.Immutable.ImmutableQueue<>), typeof(System.Collections.Immutable.ImmutableStack<>),
    ];

    // The runtime's comparers whose behaviour is the type's own equality or order, or ordinal: any other (a culture's,
    // EqualityComparer<T>.Create with a delegate, one of the user's) is code the fingerprint cannot see.
    private static readonly HashSet<string> PlainComparers = new(StringComparer.Ordinal)
    {
        "GenericEqualityComparer`1", "StringEqualityComparer", "ObjectEqualityComparer`1", "EnumEqualityComparer`1", "NullableEqualityComparer`1", "ByteEqualityComparer",
        "GenericComparer`1", "ObjectComparer`1", "EnumComparer`1", "NullableComparer`1", "OrdinalComparer", "OrdinalIgnoreCaseComparer",

        // StringComparer.Ordinal itself, as a sorted or immutable collection keeps it (a Dictionary swaps in its own).
        "OrdinalCaseSensitiveComparer",
    };

    // An assembly of the .NET runtime: loaded from the runtime's own folder, so a user's assembly that calls itself
    // System.Something is not taken for one.
    private static bool IsRuntime(Assembly assembly) => RuntimeAssemblies.GetOrAdd(assembly, static a =>
    {
        var folder = Path.GetDirectoryName(typeof(object).Assembly.Location);
        return !a.IsDynamic && a.Location.Length > 0 && folder is not null
            && string.Equals(Path.GetDirectoryName(a.Location), folder, StringComparison.Ordinal);
    });

    // Every instance field of the type and its bases, in a fixed order: the declaring type's depth, then the name.
    private static FieldInfo[] FieldsOf(Type type) => Fields.GetOrAdd(type, static t =>
    {
        var chain = new List<Type>();
        for (var current = t; current is not null && current != typeof(object); current = current.BaseType)
        {
            chain.Add(current);
        }

        return chain
            .SelectMany((declaring, depth) => declaring
                .GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Select(f => (Depth: depth, Field: f)))
            .OrderBy(f => f.Depth)
            .ThenBy(f => f.Field.Name, StringComparer.Ordinal)
            .Select(f => f.Field)
            .ToArray();
    });

    private sealed class UnsupportedValueException(string message) : Exception(message);

    private sealed class Walker(ISet<string>? sourceFiles)
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Dictionary<object, int> _seen = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Type, int> _types = [];
        private const int MaximumDepth = 200;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _used;
        private int _depth;

        public string Finish()
        {
            Flush();
            return Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();
        }

        public void Value(object? value)
        {
            // A model is a few levels deep; thousands of levels (wrappers around wrappers) would overflow the stack.
            if (++_depth > MaximumDepth)
            {
                throw new UnsupportedValueException($"values nested more than {MaximumDepth} levels deep");
            }

            try
            {
                Walk(value);
            }
            finally
            {
                _depth--;
            }
        }

        private void Walk(object? value)
        {
            if (value is null)
            {
                Byte(0);
                return;
            }

            if (value is string text)
            {
                Byte(1);
                Int(text.Length);
                Bytes(MemoryMarshal.AsBytes(text.AsSpan()));
                return;
            }

            var type = value.GetType();
            var kind = KindOf(type);
            if (kind == Kind.Unsupported)
            {
                throw new UnsupportedValueException($"a value of type {type.FullName} ({(type.Assembly == Library || IsRuntime(type.Assembly) ? "not a plain value or collection" : "declared outside the ConfigAsCode library")})");
            }

            // Shared objects are written once; later meetings (and cycles) refer to the first.
            if (!type.IsValueType)
            {
                if (_seen.TryGetValue(value, out var first))
                {
                    Byte(2);
                    Int(first);
                    return;
                }

                _seen.Add(value, _seen.Count);
            }

            Type(type);
            switch (kind)
            {
                case Kind.Primitive:
                    Primitive(value);
                    break;
                case Kind.Enum:
                    Long(Enum.GetUnderlyingType(type) == typeof(ulong)
                        ? unchecked((long)Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture))
                        : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case Kind.Array:
                    var array = (Array)value;
                    Int(array.Length);
                    foreach (var item in array)
                    {
                        Value(item);
                    }

                    break;
                case Kind.Collection:
                    Comparer(value, type);
                    foreach (var item in (IEnumerable)value)
                    {
                        Byte(3);
                        Value(item);
                    }

                    Byte(4);
                    break;
                default:
                    if (value is SourceLocation { FilePath: { } file })
                    {
                        sourceFiles?.Add(file);
                    }

                    foreach (var field in FieldsOf(type))
                    {
                        Value(field.GetValue(value));
                    }

                    break;
            }
        }

        // A dictionary or a set compares its keys (and an immutable one its values) with its comparers, which the gate's
        // lookups follow: the runtime's plain ones are written by type; any other is code.
        private void Comparer(object collection, Type type)
        {
            foreach (var name in ComparerProperties)
            {
                var property = type.GetProperty(name, BindingFlags.Instance | BindingFlags.Public);
                if (property is null || property.GetIndexParameters().Length > 0)
                {
                    continue;
                }

                var comparerType = property.GetValue(collection)?.GetType();
                if (comparerType is not null && (!IsRuntime(comparerType.Assembly) || !PlainComparers.Contains(comparerType.Name)))
                {
                    throw new UnsupportedValueException($"a {type.Name} with the comparer {comparerType.FullName}");
                }

                Value(comparerType?.FullName);
            }
        }

        private void Type(Type type)
        {
            if (_types.TryGetValue(type, out var id))
            {
                Byte(5);
                Int(id);
                return;
            }

            _types.Add(type, _types.Count);
            Byte(6);
            Value(type.AssemblyQualifiedName);
        }

        private void Primitive(object value)
        {
            switch (value)
            {
                case bool b: Byte(b ? (byte)1 : (byte)0); break;
                case char c: Int(c); break;
                case byte b: Byte(b); break;
                case sbyte s: Byte(unchecked((byte)s)); break;
                case short s: Int(s); break;
                case ushort s: Int(s); break;
                case int i: Int(i); break;
                case uint u: Int(unchecked((int)u)); break;
                case long l: Long(l); break;
                case ulong u: Long(unchecked((long)u)); break;
                case float f: Int(BitConverter.SingleToInt32Bits(f)); break;
                case double d: Long(BitConverter.DoubleToInt64Bits(d)); break;
                case decimal m:
                    foreach (var part in decimal.GetBits(m))
                    {
                        Int(part);
                    }

                    break;
                case DateTime t: Long(t.Ticks); Byte((byte)t.Kind); break;
                case DateTimeOffset t: Long(t.Ticks); Long(t.Offset.Ticks); break;
                case TimeSpan t: Long(t.Ticks); break;
                case DateOnly d: Int(d.DayNumber); break;
                case TimeOnly t: Long(t.Ticks); break;
                case Guid g:
                    Span<byte> bytes = stackalloc byte[16];
                    g.TryWriteBytes(bytes);
                    Bytes(bytes);
                    break;
                default:
                    throw new UnsupportedValueException($"a value of type {value.GetType().FullName}");
            }
        }

        private void Byte(byte value)
        {
            if (_used == _buffer.Length)
            {
                Flush();
            }

            _buffer[_used++] = value;
        }

        private void Int(int value)
        {
            Span<byte> bytes = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            Bytes(bytes);
        }

        private void Long(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            Bytes(bytes);
        }

        private void Bytes(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                if (_used == _buffer.Length)
                {
                    Flush();
                }

                var take = Math.Min(bytes.Length, _buffer.Length - _used);
                bytes[..take].CopyTo(_buffer.AsSpan(_used));
                _used += take;
                bytes = bytes[take..];
            }
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }
}
