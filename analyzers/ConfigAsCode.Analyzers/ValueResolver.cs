using System.Collections.Concurrent;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// Follows a value to where it is written, as far as that is decidable from this compilation alone: through
/// conversions, compile-time constants, <c>static readonly</c> fields and get-only static auto-properties declared here
/// with an initializer, and locals that are assigned once, where they are declared. Anything else (a parameter, a
/// loop variable, a method call, a field written elsewhere) is returned as it is, and the rules stay silent on it:
/// the build checks the evaluated value.
/// </summary>
internal sealed class ValueResolver
{
    // Chains longer than this are not worth following (and cycles such as A = B, B = A end here).
    private const int MaxDepth = 8;

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<ISymbol, IOperation?> _initializers = new(SymbolEqualityComparer.Default);

    public ValueResolver(Compilation compilation)
    {
        _compilation = compilation;
    }

    /// <summary>The operation that produces <paramref name="operation"/>'s value, or the operation itself.</summary>
    public IOperation? Resolve(IOperation? operation)
    {
        operation = Initializer.Unwrap(operation);
        for (var depth = 0; depth < MaxDepth && operation is not null && !operation.ConstantValue.HasValue; depth++)
        {
            var source = operation switch
            {
                IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true, IsConst: false } field } => InitializerOf(field),
                IPropertyReferenceOperation { Property: { IsStatic: true, SetMethod: null, IsIndexer: false } property } => InitializerOf(property),
                ILocalReferenceOperation { Local: { IsConst: false, IsRef: false } local } => InitializerOf(local),
                _ => null,
            };
            if (source is null)
            {
                break;
            }

            operation = Initializer.Unwrap(source);
        }

        return operation;
    }

    /// <summary>The constant <paramref name="operation"/> resolves to, or null when it is not constant.</summary>
    public object? Constant(IOperation? operation) => Resolve(operation) is { ConstantValue.HasValue: true } resolved ? resolved.ConstantValue.Value : null;

    /// <summary>True when <paramref name="operation"/> resolves to the constant <c>null</c> or <c>default</c> of a reference type.</summary>
    public bool IsNull(IOperation? operation) => Resolve(operation) switch
    {
        { ConstantValue: { HasValue: true, Value: null } } => true,
        IDefaultValueOperation { Type.IsReferenceType: true } => true,
        _ => false,
    };

    private IOperation? InitializerOf(ISymbol symbol) => _initializers.GetOrAdd(symbol, Find);

    private IOperation? Find(ISymbol symbol)
    {
        // Only source of this compilation is followed; a value from a referenced assembly is not visible here.
        if (!SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly) || symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var declaration = symbol.DeclaringSyntaxReferences[0].GetSyntax();
        ExpressionSyntax? value = declaration switch
        {
            VariableDeclaratorSyntax { Initializer.Value: { } v } when symbol is IFieldSymbol => v,
            PropertyDeclarationSyntax { Initializer.Value: { } v, AccessorList: { } accessors } when accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null) && accessors.Accessors.All(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) => v,
            VariableDeclaratorSyntax { Initializer.Value: { } v, Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } } } when symbol is ILocalSymbol local && !IsWrittenAfterDeclaration(local, declaration) => v,
            _ => null,
        };
        if (value is null || !_compilation.ContainsSyntaxTree(value.SyntaxTree))
        {
            return null;
        }

#pragma warning disable RS1030 // The analyzer driver gives the compilation a caching semantic model provider, so this returns the model it already built; it is only needed for a field declared in another file.
        var model = _compilation.GetSemanticModel(value.SyntaxTree);
#pragma warning restore RS1030
        return model.GetOperation(value);
    }

    /// <summary>
    /// True when the local may hold another value than its initializer: it is assigned, incremented, or passed by
    /// reference anywhere in its scope. Decided on syntax by name, which errs towards "written" (then the rules stay silent).
    /// </summary>
    private static bool IsWrittenAfterDeclaration(ILocalSymbol local, SyntaxNode declarator)
    {
        var scope = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax or CompilationUnitSyntax);
        if (scope is null)
        {
            return true;
        }

        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name)
            {
                continue;
            }

            switch (identifier.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == identifier:
                case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }:
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }:
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0 }:
                case RefExpressionSyntax:
                    return true;
            }
        }

        return false;
    }
}
