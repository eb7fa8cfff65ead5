using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ConfigAsCode.CodeFixes;

/// <summary>CAC3001 and CAC3002: gpu-memory-utilization back to 0.90, inside (0, 1]; offered only where 0.90 is below the headroom threshold.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CAC3002GpuMemoryUtilizationCodeFix))]
[Shared]
public sealed class CAC3002GpuMemoryUtilizationCodeFix : ConfigAsCodeCodeFix
{
    public const string Key = "ConfigAsCode.CAC3002.Use090";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["CAC3001", "CAC3002"];

    protected override string EquivalenceKey => Key;

    protected override string Title(Diagnostic diagnostic) => "Use gpu-memory-utilization 0.90";

    protected override Edit? EditFor(SyntaxNode root, Diagnostic diagnostic)
    {
        // The analyzer passes the value only when it is below the configured threshold (configascode.max_gpu_memory_utilization):
        // at a threshold of 0.90 or less, 0.90 would still be CAC3002.
        var node = NodeAt(root, diagnostic);
        return diagnostic.Properties.TryGetValue("value", out var value) && value == "0.90" && InitializerEdits.IsValueOf(node, "GpuMemoryUtilization")
            ? new Edit(node, current => InitializerEdits.Literal(0.90, "0.90").WithTriviaFrom(current))
            : null;
    }
}
