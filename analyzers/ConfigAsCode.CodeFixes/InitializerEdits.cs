using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ConfigAsCode.CodeFixes;

/// <summary>Syntax the fixes share: values of object-initializer assignments, and adding an assignment in the initializer's own layout.</summary>
internal static class InitializerEdits
{
    /// <summary>True when <paramref name="node"/> is the value of <c>Property = value</c> in an object initializer or <c>with</c>.</summary>
    public static bool IsValueOf(SyntaxNode node, params string[] properties) =>
        node is ExpressionSyntax && node.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name, Parent: InitializerExpressionSyntax } assignment
        && assignment.Right == node && properties.Contains(name.Identifier.ValueText);

    /// <summary>The initializer of an object creation or <c>with</c> expression, or null.</summary>
    public static InitializerExpressionSyntax? InitializerOf(SyntaxNode node) => node switch
    {
        BaseObjectCreationExpressionSyntax creation => creation.Initializer,
        WithExpressionSyntax with => with.Initializer,
        _ => null,
    };

    /// <summary>
    /// <paramref name="creation"/> with <c>property = value</c>: the existing assignment's value replaced, or a new
    /// assignment added after the last one with the same indentation and separators (a trailing comma stays trailing).
    /// </summary>
    public static SyntaxNode SetProperty(SyntaxNode creation, string property, ExpressionSyntax value)
    {
        var initializer = InitializerOf(creation);
        if (initializer?.Expressions.OfType<AssignmentExpressionSyntax>().FirstOrDefault(a => a.Left is IdentifierNameSyntax n && n.Identifier.ValueText == property) is { } existing)
        {
            return creation.ReplaceNode(existing.Right, value.WithTriviaFrom(existing.Right));
        }

        var assignment = AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(property), value)
            .WithOperatorToken(Token(SyntaxKind.EqualsToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space));
        if (initializer is null)
        {
            // new VllmEngine() becomes new VllmEngine() { Property = value }
            var created = ((BaseObjectCreationExpressionSyntax)creation).WithoutTrailingTrivia();
            var block = InitializerExpression(SyntaxKind.ObjectInitializerExpression, SingletonSeparatedList<ExpressionSyntax>(assignment.WithLeadingTrivia(Space).WithTrailingTrivia(Space)))
                .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(Space));
            return created.WithInitializer(block).WithTrailingTrivia(creation.GetTrailingTrivia());
        }

        var expressions = initializer.Expressions;
        if (expressions.Count == 0)
        {
            return creation.ReplaceNode(initializer, initializer.WithExpressions(SingletonSeparatedList<ExpressionSyntax>(assignment.WithLeadingTrivia(Space).WithTrailingTrivia(Space)))
                .WithOpenBraceToken(initializer.OpenBraceToken.WithTrailingTrivia()).WithCloseBraceToken(initializer.CloseBraceToken.WithLeadingTrivia()));
        }

        // The new assignment takes the last one's indentation and line end, never its comments or directives: a comment
        // above or after the last value describes that value, and a copied '#if' would duplicate or unbalance a region.
        var last = expressions[expressions.Count - 1];
        var added = assignment.WithLeadingTrivia(Indentation(last.GetLeadingTrivia()));
        var nodes = expressions.Take(expressions.Count - 1).Append(last.WithoutTrailingTrivia()).Append(added.WithTrailingTrivia(LineEnd(last.GetTrailingTrivia())));
        var separators = expressions.GetSeparators().ToList();
        if (separators.Count == expressions.Count)
        {
            // A trailing comma: the new assignment goes after it and gets its own.
            var trailing = separators[separators.Count - 1];
            separators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(LineEnd(trailing.TrailingTrivia)));
            nodes = expressions.Append(added);
        }
        else
        {
            separators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(last.GetTrailingTrivia().Any() ? last.GetTrailingTrivia() : TriviaList(Space)));
        }

        return creation.ReplaceNode(initializer, initializer.WithExpressions(SeparatedList(nodes, separators)));
    }

    /// <summary>
    /// False when adding an assignment to <paramref name="creation"/>'s initializer could not be done safely: the
    /// initializer holds a preprocessor directive, so an inactive region may set the property already (CS1912 once its
    /// symbol is defined) or the layout cannot be copied without the directive; or it is empty but for a comment, which
    /// the one-line rewrite of an empty initializer would drop.
    /// </summary>
    public static bool CanAddTo(SyntaxNode creation) => InitializerOf(creation) switch
    {
        null => true,
        { ContainsDirectives: true } => false,
        { Expressions.Count: 0 } empty => !empty.OpenBraceToken.TrailingTrivia.Concat(empty.CloseBraceToken.LeadingTrivia).Any(IsComment),
        _ => true,
    };

    private static bool IsComment(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia)
        || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia);

    /// <summary>True when a directive (<c>#if</c>, <c>#else</c>, <c>#endif</c>, ...) sits inside <paramref name="node"/>, not only in its outer trivia.</summary>
    public static bool HasInnerDirectives(SyntaxNode node) =>
        node.ContainsDirectives && node.WithoutLeadingTrivia().WithoutTrailingTrivia().ContainsDirectives;

    /// <summary>The whitespace that indents a line: what follows the last line break or comment of a leading trivia.</summary>
    private static SyntaxTriviaList Indentation(SyntaxTriviaList leading) =>
        TriviaList(leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());

    /// <summary>The line break of a trailing trivia when it has one, else its last whitespace: no comment.</summary>
    private static SyntaxTriviaList LineEnd(SyntaxTriviaList trailing)
    {
        var lineBreak = trailing.LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (lineBreak.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            return TriviaList(lineBreak);
        }

        var space = trailing.LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        return space.IsKind(SyntaxKind.WhitespaceTrivia) ? TriviaList(space) : TriviaList();
    }

    public static ExpressionSyntax Literal(int value) =>
        LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

    public static ExpressionSyntax Literal(double value, string text) =>
        LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(text, value));

    public static ExpressionSyntax Literal(string value) =>
        LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value));

    /// <summary>A fully qualified type, written back as short as the file's usings allow.</summary>
    public static TypeSyntax Qualified(string type) =>
        ParseTypeName("global::" + type).WithAdditionalAnnotations(Simplifier.Annotation);

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static T Formatted<T>(T node) where T : SyntaxNode => node.WithAdditionalAnnotations(Formatter.Annotation);
}
