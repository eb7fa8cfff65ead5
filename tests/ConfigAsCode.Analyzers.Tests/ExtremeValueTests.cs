using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>
/// The analyzer never throws: every numeric and TimeSpan property of every record of the model is set to extreme values
/// (int and long limits, double.MaxValue, NaN, ±∞, long.MaxValue ticks, TimeSpans the runtime refuses), written inline
/// and through a static readonly field, on its own and inside a whole deployment, and the run must end without an
/// exception or AD0001. The properties are found by reflection, so a property added to the model is covered here
/// without a change to this test.
/// </summary>
public sealed class ExtremeValueTests
{
    private static readonly Assembly Model = typeof(InferenceDeployment).Assembly;

    private static readonly Dictionary<Type, string[]> Extremes = new()
    {
        [typeof(int)] = ["int.MinValue", "int.MaxValue", "0", "-1"],
        [typeof(long)] = ["long.MinValue", "long.MaxValue", "0L", "-1L"],
        [typeof(double)] = ["double.MaxValue", "double.MinValue", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "double.Epsilon", "0.0", "-1.0"],
        [typeof(float)] = ["float.MaxValue", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity", "0f"],
        [typeof(decimal)] = ["decimal.MaxValue", "decimal.MinValue", "0m", "-1m"],
        [typeof(TimeSpan)] =
        [
            "TimeSpan.MaxValue", "TimeSpan.MinValue", "TimeSpan.Zero", "TimeSpan.FromTicks(long.MaxValue)", "TimeSpan.FromTicks(long.MinValue)",
            "new TimeSpan(long.MaxValue)", "TimeSpan.FromSeconds(8e12)", "TimeSpan.FromSeconds(double.NaN)", "TimeSpan.FromDays(double.PositiveInfinity)",
            "TimeSpan.FromMilliseconds(double.MaxValue)", "TimeSpan.FromHours(double.NegativeInfinity)", "TimeSpan.FromMinutes(-1)", "new TimeSpan(int.MaxValue, 0, 0)",
        ],
    };

    /// <summary>(type, property) for every record of the model with a numeric or TimeSpan property, nullable or not.</summary>
    public static TheoryData<string, string> Properties()
    {
        var data = new TheoryData<string, string>();
        foreach (var type in Records().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            foreach (var property in Settable(type).Where(p => Extremes.ContainsKey(Underlying(p.PropertyType))).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                data.Add(type.Name, property.Name);
            }
        }

        return data;
    }

    [Fact]
    public void The_model_has_the_properties_this_test_is_about()
    {
        var covered = Properties().Select(row => $"{row[0]}.{row[1]}").ToArray();

        Assert.True(covered.Length >= 40, string.Join(", ", covered));
        Assert.Contains("ServiceLevelObjectives.P95TimeToFirstToken", covered);
        Assert.Contains("ModelSpec.LoadTime", covered);
        Assert.Contains("Probe.FailureThreshold", covered);
        Assert.Contains("ScalingSignal.TargetPerReplica", covered);
        Assert.Contains("RampStage.Hold", covered);
        Assert.Contains("VllmEngine.GpuMemoryUtilization", covered);
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public async Task No_extreme_value_makes_the_analyzer_throw(string typeName, string propertyName)
    {
        var type = Records().Single(t => t.Name == typeName);
        var property = Settable(type).Single(p => p.Name == propertyName);
        var values = Extremes[Underlying(property.PropertyType)].Concat(Nullable.GetUnderlyingType(property.PropertyType) is null ? [] : ["null"]).ToArray();

        var fields = new StringBuilder();
        var body = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            var fieldType = CSharpName(property.PropertyType);
            fields.Append(CultureInfo.InvariantCulture, $"    static readonly {fieldType} Field{i} = {values[i]};\n");
            foreach (var value in new[] { values[i], $"Field{i}" })
            {
                var builder = new SourceBuilder(type, property.Name, value);
                body.Append(CultureInfo.InvariantCulture, $"        _ = {builder.Expression(type)};\n");
                if (type != typeof(InferenceDeployment) && builder.Reaches(typeof(InferenceDeployment), type))
                {
                    body.Append(CultureInfo.InvariantCulture, $"        _ = {builder.Expression(typeof(InferenceDeployment))};\n");
                }
            }
        }

        var source = $"using System;\nusing System.Collections.Generic;\nusing ConfigAsCode;\n\n#pragma warning disable\npublic static class Extremes\n{{\n{fields}\n    public static void Run()\n    {{\n{body}    }}\n}}\n";

        var run = await AnalyzerRun.Of(source);

        Assert.True(run.Exceptions.Count == 0, string.Join("\n", run.Exceptions));
    }

    private static IEnumerable<Type> Records() =>
        Model.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null);

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static string CSharpName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
        {
            return CSharpName(inner) + "?";
        }

        if (type.IsGenericType)
        {
            var name = type.Name.Substring(0, type.Name.IndexOf('`', StringComparison.Ordinal));
            return $"{type.Namespace}.{name}<{string.Join(", ", type.GetGenericArguments().Select(CSharpName))}>";
        }

        return type == typeof(int) ? "int" : type == typeof(long) ? "long" : type == typeof(double) ? "double" : type == typeof(float) ? "float"
            : type == typeof(decimal) ? "decimal" : type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type.FullName!.Replace('+', '.');
    }

    /// <summary>Writes a C# expression that creates a model type with every settable property given a plain value, and the one under test the extreme value.</summary>
    private sealed class SourceBuilder(Type target, string property, string extreme)
    {
        public string Expression(Type type, int depth = 0)
        {
            var underlying = Underlying(type);
            if (underlying == typeof(string))
            {
                return "\"x\"";
            }

            if (underlying == typeof(bool))
            {
                return "false";
            }

            if (Extremes.ContainsKey(underlying))
            {
                return underlying == typeof(TimeSpan) ? "TimeSpan.FromMinutes(1)" : underlying == typeof(decimal) ? "1m" : "1";
            }

            if (underlying.IsEnum)
            {
                return $"{CSharpName(underlying)}.{Enum.GetNames(underlying)[0]}";
            }

            if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                return $"[{Expression(underlying.GetGenericArguments()[0], depth + 1)}]";
            }

            if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            {
                return "new Dictionary<string, string> { [\"k\"] = \"v\" }";
            }

            if (depth > 6)
            {
                return $"default({CSharpName(underlying)})!";
            }

            if (underlying == typeof(EnvVar))
            {
                return "EnvVar.Literal(\"K\", \"v\")";
            }

            var concrete = underlying.IsAbstract ? Concrete(underlying) : underlying;
            return concrete is null ? $"default({CSharpName(underlying)})!" : Create(concrete, depth);
        }

        /// <summary>True when a value of <paramref name="from"/> can contain a <paramref name="wanted"/> through its properties.</summary>
        public bool Reaches(Type from, Type wanted, int depth = 0)
        {
            from = Element(Underlying(from));
            if (from == wanted || (from.IsAbstract && wanted.IsSubclassOf(from)))
            {
                return true;
            }

            if (depth > 6 || from.Assembly != Model)
            {
                return false;
            }

            var candidates = from.IsAbstract ? Model.GetExportedTypes().Where(t => t.IsSubclassOf(from) && !t.IsAbstract) : [from];
            return candidates.Any(c => Settable(c).Any(p => Reaches(p.PropertyType, wanted, depth + 1)));
        }

        private static Type Element(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : type;

        /// <summary>The subtype to build for an abstract property: the one under test, or one that leads to it, or the first.</summary>
        private Type? Concrete(Type abstractType)
        {
            var subtypes = Model.GetExportedTypes().Where(t => t.IsSubclassOf(abstractType) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            return subtypes.FirstOrDefault(t => t == target) ?? subtypes.FirstOrDefault(t => Reaches(t, target)) ?? subtypes.FirstOrDefault();
        }

        private string Create(Type type, int depth)
        {
            var constructor = type.GetConstructors().Where(c => !(c.GetParameters().Length == 1 && c.GetParameters()[0].ParameterType == type))
                .OrderByDescending(c => c.GetParameters().Count(p => !p.IsOptional)).FirstOrDefault();
            if (constructor is null)
            {
                return $"default({CSharpName(type)})!";
            }

            // Caller-info parameters are filled by the compiler; positional record parameters are the properties.
            var parameters = constructor.GetParameters().Where(p => !p.GetCustomAttributes().Any(a => a.GetType().Namespace == "System.Runtime.CompilerServices")).ToArray();
            var arguments = parameters.Select(p => $"{p.Name}: {Value(type, p.Name!, p.ParameterType, depth)}");
            var byConstructor = new HashSet<string>(parameters.Select(p => p.Name!), StringComparer.OrdinalIgnoreCase);
            var assignments = Settable(type).Where(p => !byConstructor.Contains(p.Name)).Select(p => $"{p.Name} = {Value(type, p.Name, p.PropertyType, depth)}");
            return $"new {CSharpName(type)}({string.Join(", ", arguments)}) {{ {string.Join(", ", assignments)} }}";
        }

        private string Value(Type owner, string name, Type type, int depth) =>
            owner == target && string.Equals(name, property, StringComparison.OrdinalIgnoreCase) ? extreme : Expression(type, depth + 1);
    }
}
