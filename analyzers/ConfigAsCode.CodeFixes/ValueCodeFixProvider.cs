using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConfigAsCode.CodeFixes;

/// <summary>
/// Fixes with one obvious answer: gpu-memory-utilization to 0.90, a single production replica to 2, tensor
/// parallel to match the GPUs, a secret literal to a secret reference, a missing readiness or startup probe to
/// the default, an indefinite pause to 10 minutes. Each has a public equivalence key and supports fix-all.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ValueCodeFixProvider))]
[Shared]
public sealed class ValueCodeFixProvider : CodeFixProvider
{
    public const string GpuMemoryUtilizationKey = "ConfigAsCode.CAC3002.Use090";
    public const string TwoReplicasKey = "ConfigAsCode.CAC1006.UseTwoReplicas";
    public const string TensorParallelKey = "ConfigAsCode.CAC3004.MatchGpuCount";
    public const string SecretReferenceKey = "ConfigAsCode.CAC2001.UseSecretReference";
    public const string DefaultProbeKey = "ConfigAsCode.CAC1001.UseDefaultProbe";
    public const string TimedPauseKey = "ConfigAsCode.CAC1015.PauseTenMinutes";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC3002", "CAC1006", "CAC3004", "CAC2001", "CAC1001", "CAC1002", "CAC1015"];

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value)
            {
                continue;
            }

            switch (diagnostic.Id)
            {
                case "CAC3002":
                    Register(context, diagnostic, root, value, Literal(0.90), "Use gpu-memory-utilization 0.90", GpuMemoryUtilizationKey);
                    break;
                case "CAC1006":
                    Register(context, diagnostic, root, value, Literal(2), "Run 2 replicas in production", TwoReplicasKey);
                    break;
                case "CAC3004" when diagnostic.Properties.TryGetValue("tensorParallel", out var tp) && int.TryParse(tp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size):
                    Register(context, diagnostic, root, value, Literal(size), $"Set TensorParallelSize to {size}", TensorParallelKey);
                    break;
                case "CAC2001" when value.Parent?.Parent is ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } arguments && arguments.Arguments.Count == 2:
                    var name = diagnostic.Properties.TryGetValue("name", out var n) ? n ?? "SECRET" : "SECRET";
                    var secret = name.ToLowerInvariant().Replace('_', '-');
                    var replacement = SyntaxFactory.ParseExpression($"EnvVar.FromSecret({arguments.Arguments[0]}, \"{secret}\", \"value\")").WithTriviaFrom(invocation);
                    Register(context, diagnostic, root, invocation, replacement, "Read it from a Kubernetes Secret", SecretReferenceKey);
                    break;
                case "CAC1001" or "CAC1002" when diagnostic.Properties.TryGetValue("property", out var property) && value.IsKind(SyntaxKind.NullLiteralExpression):
                    Register(context, diagnostic, root, value, SyntaxFactory.ParseExpression($"new HealthProbes().{property}"), $"Use the default {property?.ToLowerInvariant()} probe", DefaultProbeKey);
                    break;
                case "CAC1015" when value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression):
                    Register(context, diagnostic, root, value, SyntaxFactory.ParseExpression("System.TimeSpan.FromMinutes(10)"), "Pause for 10 minutes", TimedPauseKey);
                    break;
            }
        }
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node, ExpressionSyntax replacement, string title, string key) =>
        context.RegisterCodeFix(
            CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(node, replacement.WithTriviaFrom(node)))), key),
            diagnostic);

    private static ExpressionSyntax Literal(double value) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value.ToString("0.00", CultureInfo.InvariantCulture), value));

    private static ExpressionSyntax Literal(int value) =>
        SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));
}
