using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ConfigAsCode.CodeFixes;

/// <summary>
/// CAC3004: the engine's parallelism set to match the replica's GPUs (vLLM <c>TensorParallelSize</c>, TGI <c>NumShard</c>),
/// on the value when it is written, or added to the engine's initializer when it was left to its default of 1.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CAC3004ParallelismCodeFix))]
[Shared]
public sealed class CAC3004ParallelismCodeFix : ConfigAsCodeCodeFix
{
    public const string Key = "ConfigAsCode.CAC3004.MatchGpuCount";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC3004"];

    protected override string EquivalenceKey => Key;

    protected override string Title(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue("property", out var property) && diagnostic.Properties.TryGetValue("value", out var value)
            ? $"Set {property} to {value}"
            : "Match the GPU count";

    protected override Edit? EditFor(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue("property", out var property) || property is not ("TensorParallelSize" or "NumShard")
            || !diagnostic.Properties.TryGetValue("value", out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
        {
            return null;
        }

        var node = NodeAt(root, diagnostic);
        if (InitializerEdits.IsValueOf(node, property))
        {
            return new Edit(node, current => InitializerEdits.Literal(size).WithTriviaFrom(current));
        }

        // Left to its default: the diagnostic is on the engine's creation or 'with', which gets the assignment, unless a
        // preprocessor region in its initializer may set the property already (see InitializerEdits.CanAddTo).
        return node is BaseObjectCreationExpressionSyntax or WithExpressionSyntax && InitializerEdits.CanAddTo(node)
            ? new Edit(node, current => InitializerEdits.SetProperty(current, property, InitializerEdits.Literal(size)))
            : null;
    }
}
