using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConfigAsCode.CodeFixes;

/// <summary>
/// CAC1006: a single production replica becomes two, and a MaxReplicas below two in the same initializer follows; offered
/// only where the analyzer knows two replicas are valid (the maximum known, KEDA left room).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CAC1006TwoReplicasCodeFix))]
[Shared]
public sealed class CAC1006TwoReplicasCodeFix : ConfigAsCodeCodeFix
{
    public const string Key = "ConfigAsCode.CAC1006.UseTwoReplicas";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC1006"];

    protected override string EquivalenceKey => Key;

    protected override string Title(Diagnostic diagnostic) => "Run 2 replicas in production";

    protected override Edit? EditFor(SyntaxNode root, Diagnostic diagnostic)
    {
        // The analyzer says what two replicas need ("set"), and nothing where they would not be valid (see CAC1006.md).
        var node = NodeAt(root, diagnostic);
        if (!diagnostic.Properties.TryGetValue("set", out var set) || set is null || !set.Split(',').Contains("MinReplicas")
            || !InitializerEdits.IsValueOf(node, "MinReplicas") || node.Parent?.Parent is not InitializerExpressionSyntax initializer)
        {
            return null;
        }

        var raiseMax = set.Split(',').Contains("MaxReplicas");
        return new Edit(initializer, current =>
        {
            var block = (InitializerExpressionSyntax)current;
            var values = block.Expressions.OfType<AssignmentExpressionSyntax>().Where(a => a.Left is IdentifierNameSyntax).ToArray();
            var min = values.FirstOrDefault(a => ((IdentifierNameSyntax)a.Left).Identifier.ValueText == "MinReplicas");
            var max = values.FirstOrDefault(a => ((IdentifierNameSyntax)a.Left).Identifier.ValueText == "MaxReplicas");

            // MaxReplicas 1 under MinReplicas 2 would trade CAC1006 for CAC1010: a maximum below 2, literal or constant, is raised with it.
            var replaced = new System.Collections.Generic.List<ExpressionSyntax>();
            if (min is not null)
            {
                replaced.Add(min.Right);
            }

            if (raiseMax && max is not null)
            {
                replaced.Add(max.Right);
            }

            return block.ReplaceNodes(replaced, (original, _) => InitializerEdits.Literal(2).WithTriviaFrom(original));
        });
    }
}
