using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConfigAsCode.CodeFixes;

/// <summary>CAC1015: <c>CanaryStep.Pause(null)</c> pauses for ten minutes instead of waiting for a human.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CAC1015TimedPauseCodeFix))]
[Shared]
public sealed class CAC1015TimedPauseCodeFix : ConfigAsCodeCodeFix
{
    public const string Key = "ConfigAsCode.CAC1015.PauseTenMinutes";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC1015"];

    protected override string EquivalenceKey => Key;

    protected override string Title(Diagnostic diagnostic) => "Pause for 10 minutes";

    protected override Edit? EditFor(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = NodeAt(root, diagnostic);
        if (node is not ExpressionSyntax || node.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } }
            || call.Expression is not (MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Pause" } or IdentifierNameSyntax { Identifier.ValueText: "Pause" }))
        {
            return null;
        }

        return new Edit(node, current => InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, InitializerEdits.Qualified("System.TimeSpan"), IdentifierName("FromMinutes")),
                ArgumentList(SingletonSeparatedList(Argument(InitializerEdits.Literal(10)))))
            .WithTriviaFrom(current));
    }
}
