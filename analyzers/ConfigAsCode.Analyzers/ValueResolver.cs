using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
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
    private readonly Func<ISymbol, IOperation?> _find;
    private readonly Lazy<bool> _mentionsSuppressions;

    public ValueResolver(Compilation compilation)
    {
        _compilation = compilation;
        _find = Find;
        _createInitializer = operation => Initializer.CreateInline(operation, this);
        _mentionsSuppressions = new Lazy<bool>(() => compilation.SyntaxTrees.Any(t => t.GetText().ToString().IndexOf("Suppressions", StringComparison.Ordinal) >= 0));
    }

    private readonly ConditionalWeakTable<IOperation, Initializer> _initializersByOperation = new();
    private readonly ConditionalWeakTable<IOperation, Initializer>.CreateValueCallback _createInitializer;

    /// <summary>
    /// The initializer of a creation or <c>with</c> as written, collected once: a creation is read as itself and again
    /// as a part of the deployment around it. Held weakly, so it lives as long as the operation tree.
    /// </summary>
    public Initializer Collected(IOperation operation) => _initializersByOperation.GetValue(operation, _createInitializer);

    /// <summary>
    /// False when no source file of the compilation contains the word "Suppressions": then no deployment can carry a
    /// RuleSuppression and reporting need not look for one. Computed once per compilation.
    /// </summary>
    public bool MayHaveSuppressions => _mentionsSuppressions.Value;

    /// <summary>The operation that produces <paramref name="operation"/>'s value, or the operation itself.</summary>
    public IOperation? Resolve(IOperation? operation)
    {
        operation = Initializer.Unwrap(operation);
        for (var depth = 0; depth < MaxDepth && operation is not null; depth++)
        {
            // Most values are literals or creations: decide on the kind before any type test.
            var kind = operation.Kind;
            if (kind is not (OperationKind.FieldReference or OperationKind.PropertyReference or OperationKind.LocalReference) || operation.ConstantValue.HasValue)
            {
                break;
            }

            var source = operation switch
            {
                IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true, IsConst: false } field } when IsOwn(field) && !MayBeReadBeforeInitialized(operation, field) => InitializerOf(field),
                IPropertyReferenceOperation { Property: { IsStatic: true, SetMethod: null, IsIndexer: false } property } when IsOwn(property) && !MayBeReadBeforeInitialized(operation, property) => InitializerOf(property),
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

    /// <summary>True for a member declared in this compilation's source, the only ones whose initializer is visible.</summary>
    private bool IsOwn(ISymbol member) => SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, _compilation.Assembly);

    /// <summary>The constant <paramref name="operation"/> resolves to, or null when it is not constant.</summary>
    public object? Constant(IOperation? operation) => Resolve(operation) is { ConstantValue.HasValue: true } resolved ? resolved.ConstantValue.Value : null;

    /// <summary>True when <paramref name="operation"/> resolves to the constant <c>null</c> or <c>default</c> of a reference type.</summary>
    public bool IsNull(IOperation? operation) => Resolve(operation) switch
    {
        { ConstantValue: { HasValue: true, Value: null } } => true,
        IDefaultValueOperation { Type.IsReferenceType: true } => true,
        _ => false,
    };

    private IOperation? InitializerOf(ISymbol symbol) => _initializers.GetOrAdd(symbol, _find);

    private IOperation? Find(ISymbol symbol)
    {
        // Only source of this compilation is followed; a value from a referenced assembly is not visible here.
        if (!SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly) || symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var declaration = symbol.DeclaringSyntaxReferences[0].GetSyntax();
        if (symbol is not ILocalSymbol && IsAssignedInStaticConstructor(symbol))
        {
            return null;
        }

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
    /// Static initializers run in text order: read from another static initializer of the same type, a member declared
    /// further down (or in another file of a partial type) still holds its default, not the value written for it.
    /// </summary>
    private static bool MayBeReadBeforeInitialized(IOperation reference, ISymbol member)
    {
        var site = reference.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (site is not (FieldDeclarationSyntax or PropertyDeclarationSyntax) || site.Modifiers.All(m => !m.IsKind(SyntaxKind.StaticKeyword)))
        {
            return false;
        }

        if (member.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel?.GetEnclosingSymbol(reference.Syntax.SpanStart) is not { } enclosing)
        {
            return true;
        }

        var declaringType = enclosing as INamedTypeSymbol ?? enclosing.ContainingType;
        if (!SymbolEqualityComparer.Default.Equals(declaringType, member.ContainingType))
        {
            return false; // another type's initializer runs, in full, before its member is read
        }

        var declaration = member.DeclaringSyntaxReferences[0];
        return declaration.SyntaxTree != reference.Syntax.SyntaxTree || declaration.Span.Start > reference.Syntax.SpanStart;
    }

    /// <summary>True when a static constructor of the member's type assigns it, so its initializer is not its value.</summary>
    private static bool IsAssignedInStaticConstructor(ISymbol member)
    {
        foreach (var constructor in member.ContainingType.StaticConstructors.Where(c => !c.IsImplicitlyDeclared))
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (Writes(reference.GetSyntax(), member.Name))
                {
                    return true;
                }
            }
        }

        return false;
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

        return Writes(scope, local.Name);
    }

    /// <summary>True when <paramref name="scope"/> assigns, increments or passes by reference something named <paramref name="name"/>.</summary>
    private static bool Writes(SyntaxNode scope, string name)
    {
        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != name)
            {
                continue;
            }

            // C.Field = ... writes Field too.
            SyntaxNode target = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
            switch (target.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == target:
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
