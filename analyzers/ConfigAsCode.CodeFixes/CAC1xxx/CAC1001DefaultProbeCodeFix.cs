using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConfigAsCode.CodeFixes;

/// <summary>
/// CAC1001–CAC1003: a probe set to null in <c>new HealthProbes { ... }</c> gets the model's default back,
/// <c>new HealthProbes().Readiness</c>; not offered in a <c>with</c>, whose operand's probe the default would not restore.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(CAC1001DefaultProbeCodeFix))]
[Shared]
public sealed class CAC1001DefaultProbeCodeFix : ConfigAsCodeCodeFix
{
    public const string Key = "ConfigAsCode.CAC1001.UseDefaultProbe";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC1001", "CAC1002", "CAC1003"];

    protected override string EquivalenceKey => Key;

    protected override string Title(Diagnostic diagnostic) =>
        $"Use the default {(diagnostic.Properties.TryGetValue("property", out var p) ? p?.ToLowerInvariant() : "probe")} probe";

    protected override Edit? EditFor(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = NodeAt(root, diagnostic);
        // The analyzer passes the default's path only where the other probes poll it too (see CAC1001.md).
        if (!diagnostic.Properties.TryGetValue("property", out var property) || property is not ("Readiness" or "Startup" or "Liveness")
            || !diagnostic.Properties.ContainsKey("path") || !InitializerEdits.IsValueOf(node, property))
        {
            return null;
        }

        // In 'probes with { Readiness = null }' the operand's own probe (HealthProbes.For's path and load allowance, Triton's
        // /v2/health/ready) is what null replaced: the model's default on /health would change both, so no fix is offered.
        if (node.Parent?.Parent is InitializerExpressionSyntax { Parent: WithExpressionSyntax })
        {
            return null;
        }

        return new Edit(node, current => MemberAccessExpression(
                Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleMemberAccessExpression,
                ObjectCreationExpression(InitializerEdits.Qualified("ConfigAsCode.HealthProbes")).WithArgumentList(ArgumentList()),
                IdentifierName(property))
            .WithTriviaFrom(current));
    }
}
