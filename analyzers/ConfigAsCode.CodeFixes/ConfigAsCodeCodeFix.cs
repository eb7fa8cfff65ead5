using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace ConfigAsCode.CodeFixes;

/// <summary>
/// A fix with one obvious answer per diagnostic. The lightbulb and Fix All (document, project, solution) run the same
/// rewrite, and Fix All applies it to every diagnostic of the provider's IDs it is given, whatever code action the first
/// diagnostic offered: <c>dotnet format analyzers --diagnostics A B</c> asks each provider to fix all of one ID starting
/// from a diagnostic of any of them, and an equivalence-key filter would then fix nothing. A diagnostic whose code
/// cannot be rewritten into compiling code (its value comes from a field, say), or whose rewrite would cross a
/// preprocessor directive, gets no fix.
/// </summary>
public abstract class ConfigAsCodeCodeFix : CodeFixProvider
{
    /// <summary>The code action's equivalence key, a public constant on each fix that tests reuse.</summary>
    protected abstract string EquivalenceKey { get; }

    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics.Where(d => FixableDiagnosticIds.Contains(d.Id)))
        {
            if (SafeEditFor(root, diagnostic) is not null)
            {
                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(Title(diagnostic), cancellation => ApplyAsync(document, [diagnostic], cancellation), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The lightbulb's text for <paramref name="diagnostic"/>.</summary>
    protected abstract string Title(Diagnostic diagnostic);

    /// <summary>The node to replace for <paramref name="diagnostic"/> and how; null when no rewrite would compile.</summary>
    protected abstract Edit? EditFor(SyntaxNode root, Diagnostic diagnostic);

    /// <summary>
    /// <see cref="EditFor"/>, unless the node it replaces holds a preprocessor directive inside it (its own leading and
    /// trailing trivia are kept): the rewrite would drop the inactive branch, change what another configuration compiles,
    /// or leave an '#endif' without its '#if'. Then no fix is offered.
    /// </summary>
    private Edit? SafeEditFor(SyntaxNode root, Diagnostic diagnostic) =>
        EditFor(root, diagnostic) is { } edit && !InitializerEdits.HasInnerDirectives(edit.Target) ? edit : null;

    /// <summary>The node the diagnostic is reported on.</summary>
    protected static SyntaxNode NodeAt(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);

    private async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        await ApplyAsync(document, diagnostics.Where(d => FixableDiagnosticIds.Contains(d.Id)), context.CancellationToken).ConfigureAwait(false);

    private async Task<Document> ApplyAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        var targets = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            // One rewrite per node: two diagnostics on the same value ask for the same change.
            if (SafeEditFor(root, diagnostic) is { } edit && targets.Add(edit.Target))
            {
                editor.ReplaceNode(edit.Target, (current, _) => edit.Rewrite(current));
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>A replacement computed from the node as it is when applied (nested fixes may have changed it).</summary>
    protected sealed class Edit
    {
        public Edit(SyntaxNode target, Func<SyntaxNode, SyntaxNode> rewrite)
        {
            Target = target;
            Rewrite = rewrite;
        }

        public SyntaxNode Target { get; }

        public Func<SyntaxNode, SyntaxNode> Rewrite { get; }
    }
}
