namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// The one definition of a rule's identity. The build-time validator and the Roslyn analyzer both read it,
/// so an ID, title, category, severity or help link can never differ between edit time and build time.
/// </summary>
/// <param name="Id">The stable ID, <c>CAC</c> and four digits.</param>
/// <param name="Title">A short imperative-free statement of the problem.</param>
/// <param name="Category">The category; matches the ID's range.</param>
/// <param name="DefaultSeverity">The severity unless <c>.editorconfig</c> or build options change it.</param>
/// <param name="IsStaticallyCheckable">True when the analyzer can decide it from C# source constants.</param>
/// <param name="RefusesSuppression">True for error-level security rules that no justification can silence.</param>
public sealed record RuleDescriptor(
    string Id,
    string Title,
    RuleCategory Category,
    RuleSeverity DefaultSeverity,
    bool IsStaticallyCheckable,
    bool RefusesSuppression = false)
{
    /// <summary>The rule's documentation page.</summary>
    public string HelpLink => RuleCatalog.HelpLinkBase + Id + ".md";

    /// <summary>The page's path relative to the repository root.</summary>
    public string DocumentationPath => "docs/rules/" + Id + ".md";
}
