using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// Honours a deployment's <c>Suppressions = [new RuleSuppression("CAC1006", "why")]</c> as you type: a finding inside that
/// deployment's declaration (or inside an overlay that inherits the list through <c>with</c>) is reported as suppressed,
/// with the checks the build applies: a known rule that accepts suppression and a justification of at least ten
/// characters. The analyzer asks before it reports, rather than leaving it to a <see cref="DiagnosticSuppressor"/>: the
/// compiler offers a suppressor only diagnostics whose default severity is not Error, and half of the suppressible
/// rules are errors (CAC5002 among them), which would then still fail the compile. A diagnostic reported as suppressed
/// is dropped from the build output and the IDE's list like a <c>#pragma</c>, and kept, marked suppressed, in SARIF logs.
/// </summary>
internal static class DeploymentSuppressions
{
    private const int MaxDepth = 8;

    /// <summary>True when the deployment declaration around <paramref name="node"/> suppresses <paramref name="rule"/> with a valid justification.</summary>
    public static bool Suppress(SyntaxNode node, SemanticModel model, ConfigAsCodeSymbols symbols, RuleDescriptor rule) =>
        !rule.RefusesSuppression && symbols.Resolver.MayHaveSuppressions && EnclosingDeployment(node, model, symbols) is { } deployment && IsJustified(SuppressionsOf(deployment, symbols, depth: 0), rule.Id, symbols);

    /// <summary>
    /// The deployment declaration the diagnostic is in: the innermost <c>new InferenceDeployment { ... }</c> or <c>with</c>
    /// around it, widened to the outermost link of a <c>with</c> chain (the last link's list is the one the deployment keeps).
    /// </summary>
    private static IOperation? EnclosingDeployment(SyntaxNode node, SemanticModel model, ConfigAsCodeSymbols symbols)
    {
        SyntaxNode? found = null;
        for (var current = node; current is not null and not MemberDeclarationSyntax; current = current.Parent)
        {
            if (current is BaseObjectCreationExpressionSyntax or WithExpressionSyntax && ConfigAsCodeSymbols.Is(model.GetTypeInfo(current).Type, symbols.Deployment))
            {
                found = current;
                break;
            }
        }

        if (found is null)
        {
            return null;
        }

        while (Parent(found) is WithExpressionSyntax outer && Skip(outer.Expression) == found)
        {
            found = outer;
        }

        return Initializer.Unwrap(model.GetOperation(found));
    }

    private static SyntaxNode? Parent(SyntaxNode node)
    {
        var parent = node.Parent;
        while (parent is ParenthesizedExpressionSyntax)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    private static SyntaxNode Skip(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>The suppression entries a deployment keeps: its own list, or, for a <c>with</c> that does not set one, its operand's.</summary>
    private static IEnumerable<IOperation> SuppressionsOf(IOperation? deployment, ConfigAsCodeSymbols symbols, int depth)
    {
        if (depth > MaxDepth)
        {
            return [];
        }

        if (deployment is IInvocationOperation { TargetMethod.Name: "In", Instance: { } instance } overlay && ConfigAsCodeSymbols.Is(overlay.TargetMethod.ContainingType, symbols.Deployment))
        {
            return SuppressionsOf(symbols.Resolver.Resolve(instance), symbols, depth + 1);
        }

        if (Initializer.From(deployment, symbols.Resolver) is not { } init || !ConfigAsCodeSymbols.Is(init.Type, symbols.Deployment))
        {
            return [];
        }

        if (init.Has("Suppressions"))
        {
            return Initializer.Elements(init.Value("Suppressions"), symbols.Resolver).Select(e => symbols.Resolver.Resolve(e)!);
        }

        return init.IsComplete ? [] : SuppressionsOf(init.WithOperand, symbols, depth + 1);
    }

    /// <summary>Stands for a date the analyzer cannot read as a constant: never a valid day, so the suppression does not apply.</summary>
    private const string Unknown = "?";

    /// <summary>
    /// True when the dates let the suppression apply, as the build decides: absent, or ISO days (<c>yyyy-MM-dd</c>) with
    /// <paramref name="since"/> not after <paramref name="expires"/> and <paramref name="expires"/> not before today (UTC;
    /// the build judges against <c>ConfigAsCodeToday</c>). A malformed or non-constant date does not suppress here, and
    /// the build reports it (CAC9010), so the squiggle and the build agree.
    /// </summary>
    private static bool Current(string? expires, string? since)
    {
        static bool Day(string? text, out System.DateTime day) =>
            System.DateTime.TryParseExact((text ?? string.Empty).Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day);

        System.DateTime until = default, from = default;
        if ((expires is not null && !Day(expires, out until)) || (since is not null && !Day(since, out from)))
        {
            return false;
        }

        return (expires is null || until.Date >= System.DateTime.UtcNow.Date) && (expires is null || since is null || from <= until);
    }

    /// <summary>True when one entry suppresses <paramref name="ruleId"/> with a justification the build would accept.</summary>
    private static bool IsJustified(IEnumerable<IOperation> entries, string ruleId, ConfigAsCodeSymbols symbols)
    {
        var resolver = symbols.Resolver;
        foreach (var entry in entries)
        {
            if (Initializer.From(entry, resolver) is not { IsComplete: true } suppression || !ConfigAsCodeSymbols.Is(suppression.Type, symbols.Suppression))
            {
                continue;
            }

            var id = resolver.Constant(suppression.Value("RuleId") ?? suppression.Argument("RuleId")) as string;
            var justification = resolver.Constant(suppression.Value("Justification") ?? suppression.Argument("Justification")) as string;
            if (string.Equals(id, ruleId, System.StringComparison.Ordinal) && (justification ?? string.Empty).Trim().Length >= RuleFacts.MinimumJustificationLength
                && Current(suppression.Has("Expires") ? resolver.Constant(suppression.Value("Expires")) as string ?? Unknown : null, suppression.Has("Since") ? resolver.Constant(suppression.Value("Since")) as string ?? Unknown : null))
            {
                return true;
            }
        }

        return false;
    }
}
