using System;
using System.Globalization;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Tool;

/// <summary>The tool's own codes (CAC9030–CAC9034), defined in <see cref="RuleCatalog"/> with a page under docs/rules/.</summary>
internal static class ToolCodes
{
    /// <summary>An input file or command line cannot be read.</summary>
    public static readonly string InputUnreadable = RuleCatalog.ImportInputUnreadable.Id;

    /// <summary>No vLLM, TGI or Triton workload was found in the input.</summary>
    public static readonly string NoWorkload = RuleCatalog.ImportFoundNoWorkload.Id;

    /// <summary>A setting of the input is not reproduced by the generated declaration.</summary>
    public static readonly string NotMapped = RuleCatalog.ImportNotCarried.Id;

    /// <summary>A literal that looks like a credential was found and not copied.</summary>
    public static readonly string CredentialNotCopied = RuleCatalog.ImportCredentialNotCopied.Id;

    /// <summary>The command was called with an argument it cannot use (an unknown rule id, conflicting options).</summary>
    public static readonly string InvalidArgument = RuleCatalog.ToolArgumentInvalid.Id;
}

/// <summary>
/// One coded line of tool output: <c>CAC90xx: file(line): what. what to do</c>. The same text goes to the console and
/// into the comment block of a generated file, so it never carries a credential (callers redact values first).
/// </summary>
internal sealed record ToolMessage(string Code, string? File, int Line, string Text)
{
    public override string ToString()
    {
        var where = File is null ? string.Empty : Line > 0 ? $"{File}({Line.ToString(CultureInfo.InvariantCulture)}): " : $"{File}: ";
        return $"{Code}: {where}{Text}";
    }

    /// <summary>Ordinal order by file, line, code and text, so output never depends on discovery order.</summary>
    public static int Compare(ToolMessage? a, ToolMessage? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        var order = string.CompareOrdinal(a.File, b.File);
        order = order != 0 ? order : a.Line.CompareTo(b.Line);
        order = order != 0 ? order : string.CompareOrdinal(a.Code, b.Code);
        return order != 0 ? order : string.CompareOrdinal(a.Text, b.Text);
    }
}

/// <summary>Bad input that stops a command: reported as one coded message and a non-zero exit, never a stack trace.</summary>
internal sealed class ToolInputException : Exception
{
    public ToolInputException(ToolMessage message)
        : base(message.ToString())
    {
        Coded = message;
    }

    public ToolMessage Coded { get; }
}
