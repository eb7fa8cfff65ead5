using System;
using System.Globalization;
using System.Text;

namespace ConfigAsCode.Tool.CodeGen;

/// <summary>C# literals that read back as exactly the value: escaped strings, invariant numbers, readable digit groups.</summary>
internal static class CSharpLiteral
{
    /// <summary>A regular string literal. Quotes, backslashes, control characters, line separators and lone surrogates are escaped; other non-ASCII text stays readable.</summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>An integer, with '_' between thousands from five digits on (<c>32_768</c>), as the sample writes them.</summary>
    public static string Int(long value)
    {
        var digits = Math.Abs(value).ToString(CultureInfo.InvariantCulture);
        if (digits.Length >= 5)
        {
            var grouped = new StringBuilder();
            for (var i = 0; i < digits.Length; i++)
            {
                if (i > 0 && (digits.Length - i) % 3 == 0)
                {
                    grouped.Append('_');
                }

                grouped.Append(digits[i]);
            }

            digits = grouped.ToString();
        }

        return value < 0 ? "-" + digits : digits;
    }

    /// <summary>A double that round-trips (<c>0.9</c>, <c>1E-05</c>).</summary>
    public static string Double(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A TimeSpan in the largest whole unit: <c>TimeSpan.FromMinutes(20)</c>.</summary>
    public static string TimeSpanOf(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerMinute == 0 ? $"TimeSpan.FromMinutes({Int(value.Ticks / TimeSpan.TicksPerMinute)})"
        : value.Ticks % TimeSpan.TicksPerSecond == 0 ? $"TimeSpan.FromSeconds({Int(value.Ticks / TimeSpan.TicksPerSecond)})"
        : $"TimeSpan.FromMilliseconds({Double(value.TotalMilliseconds)})";

    /// <summary>A C# identifier from a Kubernetes name: <c>chat-70b</c> becomes <c>Chat70b</c> (pascal) or <c>chat70b</c>.</summary>
    public static string Identifier(string name, bool pascal)
    {
        var builder = new StringBuilder();
        var upper = pascal;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, pascal ? "Deployment" : "deployment");
        }

        var text = builder.ToString();
        return Keywords.Contains(text) ? "@" + text : text;
    }

    /// <summary>True for a C# keyword, which cannot name a class or a namespace without an <c>@</c>.</summary>
    public static bool IsKeyword(string name) => Keywords.Contains(name);

    private static readonly System.Collections.Generic.HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal", "default",
        "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto",
        "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc",
        "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using",
        "virtual", "void", "volatile", "while",
    };
}
