using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// CAC2001: a secret literal in an environment variable, found by parameter (named arguments in any order), through
/// <c>with { Value = ... }</c>, constants and <c>static readonly</c> fields. A value computed at run time (a helper
/// method, <c>.Trim()</c>, a dictionary) is left to the build. No message repeats the value.
/// </summary>
public sealed partial class DeploymentAnalyzer
{
    /// <summary><c>EnvVar.Literal(name, value)</c>.</summary>
    private static void AnalyzeEnvLiteral(Analysis context, ConfigAsCodeSymbols symbols, IInvocationOperation invocation)
    {
        var value = Initializer.ArgumentOf(invocation.Arguments, "value");
        var name = symbols.Resolver.Constant(Initializer.ArgumentOf(invocation.Arguments, "name")) as string;
        if (value is not null)
        {
            ReportSecretLiteral(context, symbols, name, value);
        }
    }

    /// <summary><c>env with { Value = ... }</c> or <c>with { Name = ... }</c>: the literal the resulting variable carries.</summary>
    private static void AnalyzeEnvWith(Analysis context, ConfigAsCodeSymbols symbols, Initializer env)
    {
        if (env.Creation is not IWithOperation || !(env.Has("Value") || env.Has("Name")))
        {
            return;
        }

        var name = env.Has("Name") ? env.Constant("Name") as string : NameOf(env.WithOperand, symbols, depth: 0);
        if (env.Has("Value"))
        {
            if (env.Value("Value") is { } value)
            {
                ReportSecretLiteral(context, symbols, name, value);
            }
        }
        else if (LiteralOf(env.WithOperand, symbols, depth: 0) is { } inherited && symbols.Resolver.Constant(inherited) is string literal
            && SecretReason(name, literal) is { } reason)
        {
            // The literal is fine under its old name; the new name makes it a credential.
            Report(context, RuleCatalog.SecretLiteral, env.LocationOf("Name"), $"{reason}; the value would be stored in plain text in Git. {SecretAdvice(name, inherited)}", NameProperty(name));
        }
    }

    private static void ReportSecretLiteral(Analysis context, ConfigAsCodeSymbols symbols, string? name, IOperation value)
    {
        if (symbols.Resolver.Constant(value) is string literal && SecretReason(name, literal) is { } reason)
        {
            Report(context, RuleCatalog.SecretLiteral, value.Syntax.GetLocation(), $"{reason}; the value would be stored in plain text in Git. {SecretAdvice(name, value)}", NameProperty(name));
        }
    }

    /// <summary>Why the literal is a secret; a name that itself looks like a credential is never quoted.</summary>
    private static string? SecretReason(string? name, string literal)
    {
        var reason = RuleFacts.SecretLiteralReason(name, literal);

        // Only a reason that quotes the name needs the name checked, so the common case runs the formats once.
        return reason is not null && name is { Length: > 0 } && reason.IndexOf(name, System.StringComparison.Ordinal) >= 0 && SecretDetector.DetectTokenFormat(name) is not null
            ? RuleFacts.SecretLiteralReason(null, literal)
            : reason;
    }

    private static string SecretAdvice(string? name, IOperation value)
    {
        var shown = name is not null && SecretDetector.DetectTokenFormat(name) is null ? name : "<NAME>";
        var holder = value switch
        {
            IFieldReferenceOperation field => $" and delete the literal from {field.Field.Name}",
            ILocalReferenceOperation local => $" and delete the literal from {local.Local.Name}",
            IPropertyReferenceOperation property => $" and delete the literal from {property.Property.Name}",
            _ => string.Empty,
        };
        return $"Read it from a Kubernetes Secret, EnvVar.FromSecret(\"{shown}\", \"<secret-name>\", \"<key>\"){holder}.";
    }

    private static (string Key, string Value)[] NameProperty(string? name) =>
        name is not null && SecretDetector.DetectTokenFormat(name) is null ? [("name", name)] : [];

    /// <summary>The variable name an EnvVar expression carries: the name argument of its factory, or the last <c>with { Name = ... }</c>.</summary>
    private static string? NameOf(IOperation? env, ConfigAsCodeSymbols symbols, int depth) => depth > 6 ? null : env switch
    {
        IInvocationOperation call when ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.EnvVar) => symbols.Resolver.Constant(Initializer.ArgumentOf(call.Arguments, "name")) as string,
        IWithOperation when Initializer.From(env, symbols.Resolver) is { } with => with.Has("Name") ? with.Constant("Name") as string : NameOf(with.WithOperand, symbols, depth + 1),
        _ => null,
    };

    /// <summary>The literal value an EnvVar expression carries, as written: <c>EnvVar.Literal</c>'s value, or the last <c>with { Value = ... }</c>.</summary>
    private static IOperation? LiteralOf(IOperation? env, ConfigAsCodeSymbols symbols, int depth) => depth > 6 ? null : env switch
    {
        IInvocationOperation { TargetMethod.Name: "Literal" } call when ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.EnvVar) => Initializer.ArgumentOf(call.Arguments, "value"),
        IWithOperation when Initializer.From(env, symbols.Resolver) is { } with => with.Has("Value") ? with.Value("Value") : LiteralOf(with.WithOperand, symbols, depth + 1),
        _ => null,
    };
}
