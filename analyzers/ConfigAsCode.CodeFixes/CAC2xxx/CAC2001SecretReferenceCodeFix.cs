using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConfigAsCode.CodeFixes;

/// <summary>
/// CAC2001: a secret literal becomes a reference to a Kubernetes Secret, <c>EnvVar.FromSecret(name, "hf-token", "value")</c>.
/// The variable's name expression is kept as written and found by parameter, so named arguments in any order work;
/// the Secret's name is derived from the variable's name only, never from the literal. A <c>with { Value = ... }</c> on a
/// variable that already reads a Secret loses the literal and keeps that reference; where a Secret may be set but is not
/// visible (a field operand, a <c>with</c> that sets Secret), no fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CAC2001SecretReferenceCodeFix))]
[Shared]
public sealed class CAC2001SecretReferenceCodeFix : ConfigAsCodeCodeFix
{
    public const string Key = "ConfigAsCode.CAC2001.UseSecretReference";

    /// <summary>The Secret name used when the variable's name is not a constant.</summary>
    public const string FallbackSecretName = "app-secret";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC2001"];

    protected override string EquivalenceKey => Key;

    protected override string Title(Diagnostic diagnostic) => "Read it from a Kubernetes Secret";

    /// <summary>A DNS-1123 subdomain from an environment variable name: HF_TOKEN → hf-token.</summary>
    public static string SecretNameFor(string? variable)
    {
        var name = new StringBuilder();
        foreach (var c in (variable ?? string.Empty).ToLowerInvariant())
        {
            var mapped = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' ? c : '-';
            if (!(mapped == '-' && name.Length > 0 && name[name.Length - 1] == '-'))
            {
                name.Append(mapped);
            }
        }

        // Each dot-separated label starts and ends with a letter or digit: "a..b" and "a.-b" are not names.
        var trimmed = string.Join(".", name.ToString().Split('.').Select(label => label.Trim('-')).Where(label => label.Length > 0));
        trimmed = trimmed.Length > 253 ? trimmed.Substring(0, 253).TrimEnd('-', '.') : trimmed;
        return trimmed.Length == 0 ? FallbackSecretName : trimmed;
    }

    protected override Edit? EditFor(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = NodeAt(root, diagnostic);
        var secretName = SecretNameFor(diagnostic.Properties.TryGetValue("name", out var variable) ? variable : null);

        // EnvVar.Literal(name, value) with either argument named, in any order.
        if (node.FirstAncestorOrSelf<ArgumentSyntax>() is { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } arguments } argument
            && call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Literal" } && argument.Expression.Span.Contains(diagnostic.Location.SourceSpan)
            && NameArgument(arguments) is { } name)
        {
            return new Edit(call, current => FromSecret(name, secretName).WithTriviaFrom(current));
        }

        // env with { Value = "..." } (or with { Name = ... } over a literal).
        if (node.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax { Parent: WithExpressionSyntax with } } assignment)
        {
            switch (SecretOf(with))
            {
                // A literal all the way down: the whole 'with' becomes the reference.
                case Reference.None when NameOfWith(with) is { } withName:
                    return new Edit(with, current => FromSecret(withName, secretName).WithTriviaFrom(current));

                // The variable already reads a Secret (which wins over a Value when rendered): the literal goes and the
                // reference stays, instead of a derived Secret name the cluster may not have.
                case Reference.Operand when with.Initializer.Expressions.Count == 1 && assignment.Left is IdentifierNameSyntax { Identifier.ValueText: "Value" }:
                    return new Edit(with, current => ((WithExpressionSyntax)current).Expression.WithTriviaFrom(current));

                // The 'with' sets a Secret itself, or its operand may hold one (a field, a helper): no rewrite replaces a
                // reference the diagnostic did not name.
                default:
                    return null;
            }
        }

        return null;
    }

    private enum Reference
    {
        /// <summary>No secret reference: the operand is <c>EnvVar.Literal</c>, through <c>with</c>s that set no Secret.</summary>
        None,

        /// <summary>The operand reads a Secret: <c>EnvVar.FromSecret</c>, or a <c>with</c> that sets one.</summary>
        Operand,

        /// <summary>This <c>with</c> sets Secret itself, or the operand is not visible here (a field, a local, a call).</summary>
        Unknown,
    }

    /// <summary>Whether the variable a <c>with</c> on an EnvVar produces reads a Kubernetes Secret, as far as the syntax shows.</summary>
    private static Reference SecretOf(WithExpressionSyntax with)
    {
        if (AssignsSecret(with))
        {
            return Reference.Unknown;
        }

        var operand = with.Expression;
        for (var depth = 0; depth < 8; depth++)
        {
            switch (operand)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    operand = parenthesized.Expression;
                    continue;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromSecret" } }:
                    return Reference.Operand;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Literal" } }:
                    return Reference.None;
                // A 'with' that sets Secret may set it to null ('with { Secret = null }'): what it reads is not certain.
                case WithExpressionSyntax inner when AssignsSecret(inner):
                    return Reference.Unknown;
                case WithExpressionSyntax inner:
                    operand = inner.Expression;
                    continue;
            }

            break;
        }

        return Reference.Unknown;
    }

    private static bool AssignsSecret(WithExpressionSyntax with) =>
        with.Initializer.Expressions.OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "Secret" });

    private static ExpressionSyntax FromSecret(ExpressionSyntax name, string secretName) =>
        InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, InitializerEdits.Qualified("ConfigAsCode.EnvVar"), IdentifierName("FromSecret")),
            ArgumentList(SeparatedList(new[]
            {
                Argument(name.WithoutTrivia()),
                Argument(InitializerEdits.Literal(secretName)),
                Argument(InitializerEdits.Literal("value")),
            })));

    /// <summary>The expression passed for the <c>name</c> parameter: named <c>name:</c>, or the first positional argument.</summary>
    private static ExpressionSyntax? NameArgument(ArgumentListSyntax arguments)
    {
        if (arguments.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "name") is { } named)
        {
            return named.Expression;
        }

        // Positional arguments come before named ones, so the first positional one binds the first parameter, name.
        return arguments.Arguments.FirstOrDefault() is { NameColon: null } first ? first.Expression : null;
    }

    /// <summary>The name a <c>with</c> on an EnvVar gives: its own <c>Name = ...</c>, or its operand's factory's name argument.</summary>
    private static ExpressionSyntax? NameOfWith(WithExpressionSyntax with)
    {
        if (with.Initializer.Expressions.OfType<AssignmentExpressionSyntax>().FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "Name" }) is { } assigned)
        {
            return assigned.Right;
        }

        return with.Expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Literal" or "FromSecret" } } factory => NameArgument(factory.ArgumentList),
            WithExpressionSyntax inner => NameOfWith(inner),
            ParenthesizedExpressionSyntax { Expression: WithExpressionSyntax inner } => NameOfWith(inner),
            _ => null,
        };
    }
}
