using System;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Host;

/// <summary>
/// The prefixed-line protocol the MSBuild task reads from standard output:
/// <c>##configascode|&lt;kind&gt;|&lt;code&gt;|&lt;file&gt;|&lt;line&gt;|&lt;text&gt;</c>, with kind one of error, warning,
/// info (a normal-importance message) or summary (a high-importance message). The text is last and may contain
/// '|'; line breaks are replaced with spaces. Anything else on standard output is a low-importance message.
/// </summary>
internal static class Protocol
{
    public const string Prefix = "##configascode|";

    public static void Diagnostic(RuleSeverity severity, string code, string? file, int line, string text)
    {
        var kind = severity switch
        {
            RuleSeverity.Error => "error",
            RuleSeverity.Warning => "warning",
            _ => "info",
        };
        Write(kind, code, file, line, text);
    }

    public static void Summary(string text) => Write("summary", string.Empty, null, 0, text);

    private static void Write(string kind, string code, string? file, int line, string text) =>
        Console.Out.WriteLine(FormattableString.Invariant($"{Prefix}{kind}|{code}|{file}|{line}|{text.Replace('\r', ' ').Replace('\n', ' ')}"));
}
