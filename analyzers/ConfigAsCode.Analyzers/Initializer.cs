using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// The property assignments of one object initializer or <c>with</c> expression, seen through conversions.
/// <see cref="IsComplete"/> is true for <c>new T { ... }</c>, where an unassigned property has its default; a
/// <c>with</c> expression only tells what it changes.
/// </summary>
internal sealed class Initializer
{
    private readonly Dictionary<string, IOperation> _values;

    private Initializer(IOperation creation, ITypeSymbol type, Dictionary<string, IOperation> values, bool isComplete, IOperation? withOperand)
    {
        Creation = creation;
        Type = type;
        _values = values;
        IsComplete = isComplete;
        WithOperand = withOperand;
    }

    public IOperation Creation { get; }

    public ITypeSymbol Type { get; }

    public bool IsComplete { get; }

    /// <summary>The operand of a <c>with</c> expression (for example <c>chat.In(DeploymentEnvironment.Prod)</c>).</summary>
    public IOperation? WithOperand { get; }

    public static Initializer? From(IOperation? operation)
    {
        operation = Unwrap(operation);
        switch (operation)
        {
            case IObjectCreationOperation creation when creation.Type is not null:
                return new Initializer(creation, creation.Type, Collect(creation.Initializer), isComplete: true, withOperand: null);
            case IWithOperation with when with.Type is not null:
                return new Initializer(with, with.Type, Collect(with.Initializer), isComplete: false, withOperand: Unwrap(with.Operand));
            default:
                return null;
        }
    }

    public bool Has(string property) => _values.ContainsKey(property);

    public IOperation? Value(string property) => _values.TryGetValue(property, out var value) ? Unwrap(value) : null;

    /// <summary>The assigned constant, or null when unassigned or not constant.</summary>
    public object? Constant(string property) => Value(property) is { ConstantValue.HasValue: true } v ? v.ConstantValue.Value : null;

    public bool IsConstant(string property) => Value(property)?.ConstantValue.HasValue == true;

    /// <summary>True when the property is assigned the literal <c>null</c>.</summary>
    public bool IsNull(string property) => Value(property) is { ConstantValue: { HasValue: true, Value: null } };

    public Initializer? Child(string property) => From(Value(property));

    public Location LocationOf(string property) => (Value(property) ?? Creation).Syntax.GetLocation();

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static Dictionary<string, IOperation> Collect(IObjectOrCollectionInitializerOperation? initializer)
    {
        var values = new Dictionary<string, IOperation>(System.StringComparer.Ordinal);
        foreach (var assignment in initializer?.Initializers.OfType<ISimpleAssignmentOperation>() ?? [])
        {
            if (assignment.Target is IPropertyReferenceOperation property)
            {
                values[property.Property.Name] = assignment.Value;
            }
        }

        return values;
    }
}
