using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// The value of a <see cref="TimeSpan"/> written with constants (<c>TimeSpan.FromMinutes(25)</c>, <c>new TimeSpan(0, 5, 0)</c>,
/// <c>TimeSpan.Zero</c>), computed the way the runtime would, but in <see cref="double"/> seconds so that nothing here
/// can overflow. A value the runtime refuses (out of range, NaN) is returned as <see cref="Throws"/> with the reason,
/// never thrown.
/// </summary>
internal readonly struct TimeSpanConstant
{
    private const double TicksPerSecond = 1e7;

    // The runtime compares ticks with long.MaxValue as a double: the same test here.
    private const double MaxTicks = long.MaxValue;

    private TimeSpanConstant(double? seconds, string? throws)
    {
        Seconds = seconds;
        Throws = throws;
    }

    /// <summary>The duration in seconds; null when the runtime would throw or the value is not constant.</summary>
    public double? Seconds { get; }

    /// <summary>Why evaluating it throws (for CAC9020); null otherwise.</summary>
    public string? Throws { get; }

    public static TimeSpanConstant Unknown => default;

    /// <summary>
    /// False when every argument is a literal number within ±10,000,000 (not NaN): no unit from ticks to days can then
    /// leave TimeSpan's range, so the common <c>TimeSpan.FromMinutes(5)</c> costs no evaluation.
    /// </summary>
    public static bool MayThrow(IOperation operation)
    {
        var arguments = operation switch
        {
            IInvocationOperation call => call.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => default,
        };
        if (arguments.IsDefaultOrEmpty)
        {
            return false;
        }

        foreach (var argument in arguments)
        {
            var value = Initializer.Unwrap(argument.Value);
            if (value is not { ConstantValue.HasValue: true } || Number(value.ConstantValue.Value) is not { } number || !(number is >= -1e7 and <= 1e7))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Evaluates <paramref name="operation"/>, resolved through <paramref name="resolver"/>, when it is a TimeSpan written with constants.</summary>
    public static TimeSpanConstant Of(IOperation? operation, ValueResolver resolver)
    {
        switch (resolver.Resolve(operation))
        {
            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType: { Name: "TimeSpan", ContainingNamespace.Name: "System" } } method } call:
                return Factory(method, call, resolver);
            case IObjectCreationOperation { Type: { Name: "TimeSpan", ContainingNamespace.Name: "System" } } creation:
                return Constructor(creation, resolver);
            case IFieldReferenceOperation { Field: { ContainingType: { Name: "TimeSpan", ContainingNamespace.Name: "System" } } field }:
                return field.Name switch
                {
                    "Zero" => new TimeSpanConstant(0, null),
                    "MaxValue" => new TimeSpanConstant(long.MaxValue / TicksPerSecond, null),
                    "MinValue" => new TimeSpanConstant(long.MinValue / TicksPerSecond, null),
                    _ => Unknown,
                };
            case IDefaultValueOperation { Type: { Name: "TimeSpan", ContainingNamespace.Name: "System" } }:
                return new TimeSpanConstant(0, null);
            default:
                return Unknown;
        }
    }

    /// <summary><c>TimeSpan.FromX(...)</c>: the double overloads take one <c>value</c>; the integer ones (.NET 9) name each unit.</summary>
    private static TimeSpanConstant Factory(IMethodSymbol method, IInvocationOperation call, ValueResolver resolver)
    {
        var unit = method.Name switch
        {
            "FromDays" => 864e9,
            "FromHours" => 36e9,
            "FromMinutes" => 6e8,
            "FromSeconds" => 1e7,
            "FromMilliseconds" => 1e4,
            "FromMicroseconds" => 10,
            "FromTicks" => 1,
            _ => (double?)null,
        };
        if (unit is null)
        {
            return Unknown;
        }

        var ticks = 0.0;
        var floating = false;
        foreach (var argument in call.Arguments)
        {
            if (Number(resolver.Constant(argument.Value)) is not { } value)
            {
                return Unknown;
            }

            var parameter = argument.Parameter?.Name ?? string.Empty;
            var scale = parameter is "value" or "ticks" ? unit.Value : UnitTicks(parameter);
            if (scale is null)
            {
                return Unknown;
            }

            floating |= argument.Parameter?.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
            if (double.IsNaN(value))
            {
                return new TimeSpanConstant(null, $"TimeSpan.{method.Name} of NaN throws ArgumentException");
            }

            ticks += value * scale.Value;
        }

        return FromTicks(ticks, $"TimeSpan.{method.Name}", floating ? "OverflowException" : "ArgumentOutOfRangeException");
    }

    /// <summary><c>new TimeSpan(ticks)</c>, <c>(h, m, s)</c>, <c>(d, h, m, s)</c>, <c>(d, h, m, s, ms)</c>, <c>(d, h, m, s, ms, µs)</c>.</summary>
    private static TimeSpanConstant Constructor(IObjectCreationOperation creation, ValueResolver resolver)
    {
        var ticks = 0.0;
        foreach (var argument in creation.Arguments)
        {
            if (Number(resolver.Constant(argument.Value)) is not { } value || UnitTicks(argument.Parameter?.Name ?? string.Empty) is not { } scale)
            {
                return Unknown;
            }

            ticks += value * scale;
        }

        return FromTicks(ticks, "new TimeSpan(...)", "ArgumentOutOfRangeException");
    }

    private static TimeSpanConstant FromTicks(double ticks, string what, string exception) =>
        ticks > MaxTicks || ticks < -MaxTicks
            ? new TimeSpanConstant(null, $"{what} is {(ticks / TicksPerSecond).ToString("0.###e+0", CultureInfo.InvariantCulture)} s, beyond TimeSpan's range of about 29,227 years, and throws {exception}")
            : new TimeSpanConstant(ticks / TicksPerSecond, null);

    /// <summary>Ticks in one unit, named as TimeSpan's factory and constructor parameters name them.</summary>
    private static double? UnitTicks(string unit) => unit switch
    {
        "days" => 864e9,
        "hours" => 36e9,
        "minutes" => 6e8,
        "seconds" => 1e7,
        "milliseconds" => 1e4,
        "microseconds" => 10,
        "ticks" => 1,
        _ => null,
    };

    private static double? Number(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        uint u => u,
        ulong ul => ul,
        decimal m => (double)m,
        _ => null,
    };
}
