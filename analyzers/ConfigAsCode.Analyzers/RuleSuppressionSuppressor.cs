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
/// Honours a deployment's <c>Suppressions = [new RuleSuppression("CAC1006", "why")]</c> as you type: a diagnostic inside
/// that deployment's declaration (or inside an overlay that inherits the list through <c>with</c>) is reported as
/// suppressed, with the same checks the build applies: a known rule that accepts suppression and a justification of
/// at least ten characters. Rules that refuse suppression have no suppression descriptor, so nothing can silence them.
/// A <see cref="DiagnosticSuppressor"/> rather than a check inside the analyzer: Roslyn then records the diagnostic as
/// suppressed (SARIF and the IDE show it with the suppression), <c>.editorconfig</c> severities keep working, and every
/// rule gets the same treatment without each check looking for suppressions.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RuleSuppressionSuppressor : DiagnosticSuppressor
{
    private const int MaxDepth = 8;

    private static readonly ImmutableDictionary<string, SuppressionDescriptor> ByRule = RuleCatalog.All
        .Where(r => r.IsStaticallyCheckable && !r.RefusesSuppression)
        .ToImmutableDictionary(r => r.Id, r => new SuppressionDescriptor(SuppressionId(r.Id), r.Id, $"A RuleSuppression with a justification on this deployment suppresses {r.Id}; the build applies the same suppression and counts it in its reports."), System.StringComparer.Ordinal);

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } =
        ByRule.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray();

    /// <summary>The suppression descriptor's ID for a rule: <c>CACS</c> and the rule's number (CAC1006 → CACS1006).</summary>
    public static string SuppressionId(string ruleId) => "CACS" + ruleId.Substring(3);

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        ConfigAsCodeSymbols? symbols = null;
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            if (!ByRule.TryGetValue(diagnostic.Id, out var descriptor) || diagnostic.Location.SourceTree is not { } tree)
            {
                continue;
            }

            symbols ??= ConfigAsCodeSymbols.Resolve(context.Compilation);
            if (symbols is null)
            {
                return;
            }

            var model = context.GetSemanticModel(tree);
            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (EnclosingDeployment(node, model, symbols) is { } deployment && IsJustified(SuppressionsOf(deployment, symbols, depth: 0), diagnostic.Id, symbols))
            {
                context.ReportSuppression(Suppression.Create(descriptor, diagnostic));
            }
        }
    }

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
            if (string.Equals(id, ruleId, System.StringComparison.Ordinal) && (justification ?? string.Empty).Trim().Length >= RuleFacts.MinimumJustificationLength)
            {
                return true;
            }
        }

        return false;
    }
}
