using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// The constant values the build refuses, as you type and on the value. CAC9008: what the renderer refuses in one part of
/// a deployment (<see cref="RefusedValues"/>, shared with <c>ManifestRenderer.RefusedValue</c>, with its words): a
/// ServiceAccount name, an engine or probe port, an environment variable name. CAC9020: a SecretReference name or key
/// the model throws on while the declaration is evaluated (<see cref="KubernetesName"/>, the model's own source).
/// A CAC9008 value is reported only when no <c>with</c> visible in the compilation may replace it before it reaches a
/// deployment: the object carrying it is not the operand of a <c>with</c> that sets it (or the part around it), nor
/// kept in a field, property, local, parameter or method result that such a <c>with</c> copies, nor returned by a
/// lambda or a method group (whose results are not followed). What cannot be followed (a computed value, a default)
/// is left to the build.
/// </summary>
public sealed partial class DeploymentAnalyzer
{
    // Bounds the search for a replacing 'with' (references of fields, locals and methods, followed transitively).
    private const int MaxReplacementSteps = 256;

    /// <summary>CAC9008 and CAC9020 on the constants of a creation or <c>with</c> of a ConfigAsCode part.</summary>
    private static void CheckRefusedValues(Analysis context, ConfigAsCodeSymbols symbols, Initializer init)
    {
        var type = init.Type;
        if (ConfigAsCodeSymbols.Is(type, symbols.Vllm) || ConfigAsCodeSymbols.Is(type, symbols.Tgi))
        {
            CheckPorts(context, init, "HttpPort");
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Triton))
        {
            CheckPorts(context, init, "HttpPort", "GrpcPort", "MetricsPort");
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Probe))
        {
            CheckPorts(context, init, "Port");
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Security))
        {
            if (init.Constant("ServiceAccountName") is string account && RefusedValues.ServiceAccountName(account) is { } message && !MayBeReplaced(context, init.Creation, "ServiceAccountName"))
            {
                Report(context, RuleCatalog.NotRenderable, init.LocationOf("ServiceAccountName"), SecretDetector.Redact(message));
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.EnvVar))
        {
            if (init.Has("Name"))
            {
                CheckEnvVarName(context, init.Resolver, init.Creation, init.Value("Name"));
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.SecretReference))
        {
            // The constructor's arguments are assigned first, then the initializer's: each one throws on its own.
            CheckSecretName(context, init.Resolver, init.Argument("name"));
            CheckSecretKey(context, init.Resolver, init.Argument("key"));
            CheckSecretName(context, init.Resolver, init.Value("Name"));
            CheckSecretKey(context, init.Resolver, init.Value("Key"));
        }
    }

    /// <summary><c>EnvVar.Literal(name, value)</c>, <c>EnvVar.FromSecret(name, secretName, key)</c> and <c>EnvVar.FromSecret(name, secret)</c>.</summary>
    private static void CheckEnvVarFactory(Analysis context, ConfigAsCodeSymbols symbols, IInvocationOperation invocation)
    {
        CheckEnvVarName(context, symbols.Resolver, invocation, Initializer.ArgumentOf(invocation.Arguments, "name"));
        CheckSecretName(context, symbols.Resolver, Initializer.ArgumentOf(invocation.Arguments, "secretName"));
        CheckSecretKey(context, symbols.Resolver, Initializer.ArgumentOf(invocation.Arguments, "key"));
    }

    private static void CheckPorts(Analysis context, Initializer init, params string[] properties)
    {
        foreach (var property in properties)
        {
            if (Long(init.Constant(property)) is { } port && RefusedValues.Port(port) is { } message && !MayBeReplaced(context, init.Creation, property))
            {
                Report(context, RuleCatalog.NotRenderable, init.LocationOf(property), message);
            }
        }
    }

    /// <summary>An empty name is not the API server's refusal: <c>EnvVar</c> throws on it, and the build reports CAC9004.</summary>
    private static void CheckEnvVarName(Analysis context, ValueResolver resolver, IOperation envVar, IOperation? name)
    {
        if (name is not null && resolver.Constant(name) is string { Length: > 0 } text && RefusedValues.EnvVarName(text) is { } message && !MayBeReplaced(context, envVar, "Name"))
        {
            Report(context, RuleCatalog.NotRenderable, name.Syntax.GetLocation(), SecretDetector.Redact(message));
        }
    }

    private static void CheckSecretName(Analysis context, ValueResolver resolver, IOperation? name)
    {
        if (name is not null && resolver.Resolve(name) is { ConstantValue.HasValue: true } constant && KubernetesName.SubdomainProblem(constant.ConstantValue.Value as string, "Name") is { } problem)
        {
            ReportThrows(context, name, SecretDetector.Redact(problem));
        }
    }

    private static void CheckSecretKey(Analysis context, ValueResolver resolver, IOperation? key)
    {
        // The message never repeats the key: a careless key may be the secret itself.
        if (key is not null && resolver.Resolve(key) is { ConstantValue.HasValue: true } constant && KubernetesName.SecretKeyProblem(constant.ConstantValue.Value as string) is { } problem)
        {
            ReportThrows(context, key, problem);
        }
    }

    private static void ReportThrows(Analysis context, IOperation value, string problem) =>
        Report(context, RuleCatalog.ConstantOutOfRange, value.Syntax.GetLocation(), $"{problem} SecretReference throws this when the declaration is evaluated, so the build stops with CAC9004 before any rule runs.");

    /// <summary>
    /// True when a <c>with</c> visible in this compilation may set <paramref name="property"/> of <paramref name="carrier"/>
    /// (or a part around it) before it reaches a deployment, so its value is not certainly the one rendered; also true
    /// when the search is too long to finish. False when the value visibly flows on unchanged.
    /// </summary>
    private static bool MayBeReplaced(Analysis context, IOperation carrier, string property)
    {
        if (context.Operation.SemanticModel?.Compilation is not { } compilation)
        {
            return true;
        }

        var search = new ReplacementSearch(compilation);
        return Replaced(carrier, property, search);
    }

    private static bool Replaced(IOperation carrier, string property, ReplacementSearch search)
    {
        var current = carrier;
        while (search.Steps++ < MaxReplacementSteps)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case null:
                    return false;
                case IConversionOperation or ICollectionExpressionOperation or ISpreadOperation or IArrayInitializerOperation or IArrayCreationOperation or IConditionalOperation or ICoalesceOperation:
                    current = parent;
                    continue;
                case IWithOperation with when with.Operand == current:
                    if (Sets(with.Initializer, property))
                    {
                        return true;
                    }

                    current = with;
                    continue;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target, Parent: IObjectOrCollectionInitializerOperation { Parent: { } owner } } assignment when assignment.Value == current:
                    // The value of a part: from here on, what matters is whether the part is replaced.
                    property = target.Property.Name;
                    current = owner;
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation { Parent: IObjectOrCollectionInitializerOperation { Parent: { } collection } } }:
                    current = collection; // an element of a collection initializer: new List<EnvVar> { ... }
                    continue;
                case IArgumentOperation argument:
                    // A method of this project may replace the value in any way ('p with { ... }', or a new object built
                    // from it: 'p.Port == 0 ? new Probe { ... } : p'): an error here would break a compile that
                    // deploys a valid value, so a value passed to one is never reported. A library method that returns
                    // the same type is followed as a copy (x.In(DeploymentEnvironment.Prod)).
                    if (argument.Parameter is { DeclaringSyntaxReferences.Length: > 0 })
                    {
                        return true;
                    }

                    if (argument.Parent is IInvocationOperation copy && SymbolEqualityComparer.Default.Equals(copy.Type, current.Type))
                    {
                        current = copy;
                        continue;
                    }

                    return false;
                case IDelegateCreationOperation:
                    return true; // a method group: where its results go is not followed
                case IInvocationOperation call when call.Instance == current && SymbolEqualityComparer.Default.Equals(call.Type, current.Type):
                    current = call;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return ReferenceReplaced(declarator.Symbol, property, search);
                case IFieldInitializerOperation field:
                    return field.InitializedFields.Any(f => ReferenceReplaced(f, property, search));
                case IPropertyInitializerOperation initialized:
                    return initialized.InitializedProperties.Any(p => ReferenceReplaced(p, property, search));
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    return assignment.Target switch
                    {
                        ILocalReferenceOperation local => ReferenceReplaced(local.Local, property, search),
                        IFieldReferenceOperation field => ReferenceReplaced(field.Field, property, search),
                        IPropertyReferenceOperation target => ReferenceReplaced(target.Property, property, search),
                        _ => true,
                    };
                case IReturnOperation:
                    // A method's result is followed to its callers; a lambda's is not (a later Select may replace it).
                    return parent.SemanticModel?.GetEnclosingSymbol(parent.Syntax.SpanStart) is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet } method
                        || ReferenceReplaced(method.MethodKind == MethodKind.PropertyGet ? method.AssociatedSymbol ?? method : method, property, search);
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>True when a reference to <paramref name="symbol"/> (a field, property, local or method) flows into a <c>with</c> that may replace <paramref name="property"/>.</summary>
    private static bool ReferenceReplaced(ISymbol symbol, string property, ReplacementSearch search)
    {
        if (!search.Visited.Add(symbol))
        {
            return false;
        }

        var trees = symbol is ILocalSymbol or IParameterSymbol or IMethodSymbol { MethodKind: MethodKind.LocalFunction }
            ? symbol.DeclaringSyntaxReferences.Select(r => r.SyntaxTree).Distinct()
            : search.Compilation.SyntaxTrees;
        foreach (var tree in trees)
        {
            SemanticModel? model = null;
            foreach (var identifier in tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText != symbol.Name)
                {
                    continue;
                }

                if (search.Steps++ >= MaxReplacementSteps)
                {
                    return true;
                }

#pragma warning disable RS1030 // The analyzer driver gives the compilation a caching semantic model provider (see ValueResolver); this runs only for a value already found refused.
                model ??= search.Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier).Symbol?.OriginalDefinition, symbol.OriginalDefinition))
                {
                    continue;
                }

                SyntaxNode node = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? access : identifier;
                if (node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == node)
                {
                    node = invocation;
                }

                if (model.GetOperation(node) is { } reference && Replaced(reference, property, search))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Sets(IObjectOrCollectionInitializerOperation? initializer, string property) =>
        initializer is not null && initializer.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } && target.Property.Name == property);

    private sealed class ReplacementSearch
    {
        public ReplacementSearch(Compilation compilation) => Compilation = compilation;

        public Compilation Compilation { get; }

        public HashSet<ISymbol> Visited { get; } = new(SymbolEqualityComparer.Default);

        public int Steps { get; set; }
    }
}
