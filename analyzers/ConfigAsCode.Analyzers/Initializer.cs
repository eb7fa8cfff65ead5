using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// The property assignments of one object initializer or <c>with</c> expression, seen through conversions, with
/// constants resolved through <see cref="ValueResolver"/>. <see cref="IsComplete"/> is true for <c>new T { ... }</c>,
/// where an unassigned property has its default; a <c>with</c> expression only tells what it changes. An initializer
/// reached through a field or local (<c>Accelerator = SharedGpus</c>) reports every finding at that reference, its
/// <see cref="Site"/>: the field's own values are checked where the field is declared.
/// </summary>
internal sealed class Initializer
{
    private readonly Dictionary<string, IOperation> _values;
    private readonly ValueResolver _resolver;

    private Initializer(IOperation creation, ITypeSymbol type, Dictionary<string, IOperation> values, bool isComplete, IOperation? withOperand, ValueResolver resolver, SyntaxNode site)
    {
        Creation = creation;
        Type = type;
        _values = values;
        IsComplete = isComplete;
        WithOperand = withOperand;
        _resolver = resolver;
        Site = site;
    }

    public IOperation Creation { get; }

    public ITypeSymbol Type { get; }

    public bool IsComplete { get; }

    /// <summary>The resolved operand of a <c>with</c> expression (for example <c>chat.In(DeploymentEnvironment.Prod)</c>).</summary>
    public IOperation? WithOperand { get; }

    /// <summary>Where findings about this initializer as a whole are reported: the creation, or the reference that led to it.</summary>
    public SyntaxNode Site { get; }

    /// <summary>True when the initializer is written where it is used, not reached through a field or local.</summary>
    public bool IsInline => Site == Creation.Syntax;

    public ValueResolver Resolver => _resolver;

    public static Initializer? From(IOperation? operation, ValueResolver resolver) => From(operation, resolver, site: null);

    public bool Has(string property) => _values.ContainsKey(property);

    /// <summary>The assigned value as written, seen through conversions; null when unassigned.</summary>
    public IOperation? Value(string property) => _values.TryGetValue(property, out var value) ? value : null;

    /// <summary>The assigned value resolved to where it is written (see <see cref="ValueResolver"/>).</summary>
    public IOperation? Resolved(string property) => _resolver.Resolve(Value(property));

    /// <summary>The assigned constant, or null when unassigned or not decidable.</summary>
    public object? Constant(string property) => _resolver.Constant(Value(property));

    public bool IsConstant(string property) => Resolved(property)?.ConstantValue.HasValue == true;

    /// <summary>True when the property is assigned <c>null</c> (directly or through a constant or readonly field).</summary>
    public bool IsNull(string property) => Has(property) && _resolver.IsNull(Value(property));

    /// <summary>The initializer the property is assigned, reported at the assignment when it comes from elsewhere.</summary>
    public Initializer? Child(string property) => Value(property) is { } value ? From(_resolver.Resolve(value), _resolver, IsInline ? value.Syntax : Site) : null;

    /// <summary>Where a finding about <paramref name="property"/> goes: its value, or the whole initializer's site when it is not written here.</summary>
    public Location LocationOf(string property) => (IsInline ? Value(property)?.Syntax ?? Site : Site).GetLocation();

    /// <summary>Where a finding about the initializer as a whole goes.</summary>
    public Location Location => Site.GetLocation();

    /// <summary>The value of the argument for <paramref name="parameter"/> of a creation's constructor, whatever the argument order.</summary>
    public IOperation? Argument(string parameter) => Creation is IObjectCreationOperation creation ? ArgumentOf(creation.Arguments, parameter) : null;

    /// <summary>The elements of a literal list, resolved: a collection expression, an array, or a collection initializer.</summary>
    public static IEnumerable<IOperation> Elements(IOperation? operation, ValueResolver resolver) => resolver.Resolve(operation) switch
    {
        IArrayCreationOperation array => array.Initializer?.ElementValues.Select(e => Unwrap(e)!) ?? [],
        ICollectionExpressionOperation collection => collection.Elements.Select(e => Unwrap(e)!),
        IObjectCreationOperation { Initializer: { } initializer } => initializer.Initializers.OfType<IInvocationOperation>().Where(add => add.Arguments.Length == 1).Select(add => Unwrap(add.Arguments[0].Value)!),
        _ => [],
    };

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is { Kind: OperationKind.Conversion })
        {
            operation = ((IConversionOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>The argument bound to <paramref name="parameter"/>, by the parameter's name: positional and named arguments in any order.</summary>
    public static IOperation? ArgumentOf(IEnumerable<IArgumentOperation> arguments, string parameter)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == parameter)
            {
                return Unwrap(argument.Value);
            }
        }

        return null;
    }

    private static Initializer? From(IOperation? operation, ValueResolver resolver, SyntaxNode? site)
    {
        operation = Unwrap(operation);
        if (operation is not { Kind: OperationKind.ObjectCreation or OperationKind.With, Type: not null })
        {
            return null;
        }

        // A creation is read once as itself and again as a part of the deployment around it: collect it once.
        if (site is null || site == operation.Syntax)
        {
            return resolver.Collected(operation);
        }

        return Create(operation, resolver, site);
    }

    /// <summary>The initializer of a creation or <c>with</c> read where it is written (for <see cref="ValueResolver.Collected"/>).</summary>
    internal static Initializer CreateInline(IOperation operation, ValueResolver resolver) => Create(operation, resolver, site: null)!;

    private static Initializer? Create(IOperation operation, ValueResolver resolver, SyntaxNode? site)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation when creation.Type is not null:
                return new Initializer(creation, creation.Type, Collect(creation.Initializer), isComplete: true, withOperand: null, resolver, site ?? creation.Syntax);
            case IWithOperation with when with.Type is not null:
                return new Initializer(with, with.Type, Collect(with.Initializer), isComplete: false, withOperand: resolver.Resolve(with.Operand), resolver, site ?? with.Syntax);
            default:
                return null;
        }
    }

    private static Dictionary<string, IOperation> Collect(IObjectOrCollectionInitializerOperation? initializer)
    {
        var values = new Dictionary<string, IOperation>(System.StringComparer.Ordinal);
        if (initializer is null)
        {
            return values;
        }

        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
            {
                values[property.Property.Name] = Unwrap(assignment.Value)!;
            }
        }

        return values;
    }
}
