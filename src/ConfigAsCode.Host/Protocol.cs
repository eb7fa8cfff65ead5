using System;
using System.IO;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Secrets;

namespace ConfigAsCode.Host;

/// <summary>
/// The prefixed-line protocol the MSBuild task reads from standard output:
/// <c>##configascode|&lt;kind&gt;|&lt;code&gt;|&lt;file&gt;|&lt;line&gt;|&lt;text&gt;</c>, with kind one of error, warning,
/// info (a normal-importance message), summary (a high-importance message), output (what user code printed, a
/// low-importance message) or done (the last line of a run that completed; its code is the handshake the task
/// passed). The text is last and may contain '|'; in the fields before it a '|' is written '¦'; line breaks are
/// replaced with spaces everywhere. Every line passes the run's
/// redactor. The protocol writes to the real standard output, which user code cannot reach: the host redirects
/// <see cref="Console.Out"/> while user code runs.
/// </summary>
internal static class Protocol
{
    public const string Prefix = "##configascode|";

    /// <summary>The warnings of the last run, as protocol lines, for builds that skip an up-to-date gate.</summary>
    public const string WarningsFile = "warnings.log";

    private static readonly TextWriter Out = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    private static readonly object Gate = new();

    /// <summary>The run's redactor; every line passes it.</summary>
    public static Redactor Redactor { get; set; } = new();

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

    public static void UserOutput(string text) => Write("output", string.Empty, null, 0, text);

    /// <summary>The completion handshake: the task treats a run without it as incomplete, whatever the exit code.</summary>
    public static void Done(string handshake, int exitCode) => Write("done", handshake, null, exitCode, "completed");

    /// <summary>One protocol line, redacted: the file as well as the text (a source path is user-controlled too).</summary>
    public static string Line(string kind, string code, string? file, int line, string text) =>
        FormattableString.Invariant($"{Prefix}{kind}|{Field(code)}|{(file is null ? string.Empty : Field(Redactor.Redact(file)))}|{line}|{OneLine(Redactor.Redact(text))}");

    /// <summary>
    /// A field before the text: on one line, or a path such as <c>a\n##configascode|summary|…</c> would forge a line of
    /// its own (hide an error, fake a summary); and without '|' (written '¦'), or the fields after it would shift.
    /// </summary>
    internal static string Field(string value) => OneLine(value).Replace('|', '\u00A6');

    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');

    private static void Write(string kind, string code, string? file, int line, string text)
    {
        var protocolLine = Line(kind, code, file, line, text);
        lock (Gate)
        {
            Out.WriteLine(protocolLine);
            Out.Flush();
        }
    }
}
