using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ConfigAsCode.Tool.CodeGen;

/// <summary>
/// A C# expression as the writer lays it out: on one line when it fits, else one member or item per line, so the
/// generated file reads like the hand-written sample and the same values always give the same bytes.
/// </summary>
internal abstract record Code
{
    private const int LineWidth = 140;

    /// <summary>The expression on one line.</summary>
    public abstract string Inline();

    /// <summary>The expression starting at column <paramref name="indent"/>, broken over lines when it does not fit.</summary>
    public virtual string Render(int indent, int used = 0)
    {
        var inline = Inline();
        return indent + used + inline.Length <= LineWidth || !CanBreak ? inline : Broken(indent);
    }

    protected virtual bool CanBreak => false;

    protected virtual string Broken(int indent) => Inline();

    protected static string Pad(int indent) => new(' ', indent);
}

/// <summary>Text that is already an expression: a literal, a member access, a call.</summary>
internal sealed record Atom(string Text) : Code
{
    public override string Inline() => Text;
}

/// <summary><c>new T { A = ..., B = ... }</c>, or any head followed by an initializer (<c>x with { ... }</c>).</summary>
internal sealed record Initializer(string Head, IReadOnlyList<(string Name, Code Value)> Members, bool AlwaysBreak = false) : Code
{
    public override string Inline() => Members.Count == 0
        ? (Head.StartsWith("new ", System.StringComparison.Ordinal) ? Head + "()" : Head + " { }")
        : Head + " { " + string.Join(", ", Members.Select(m => m.Name + " = " + m.Value.Inline())) + " }";

    protected override bool CanBreak => Members.Count > 0;

    public override string Render(int indent, int used = 0) => AlwaysBreak && Members.Count > 0 ? Broken(indent) : base.Render(indent, used);

    protected override string Broken(int indent)
    {
        var inner = indent + 4;
        var builder = new StringBuilder(Head).Append('\n').Append(Pad(indent)).Append("{\n");
        foreach (var (name, value) in Members)
        {
            builder.Append(Pad(inner)).Append(name).Append(" = ").Append(value.Render(inner, name.Length + 3)).Append(",\n");
        }

        return builder.Append(Pad(indent)).Append('}').ToString();
    }
}

/// <summary>A collection expression <c>[a, b]</c>.</summary>
internal sealed record ListCode(IReadOnlyList<Code> Items) : Code
{
    public override string Inline() => "[" + string.Join(", ", Items.Select(i => i.Inline())) + "]";

    protected override bool CanBreak => Items.Count > 0;

    protected override string Broken(int indent)
    {
        var inner = indent + 4;
        var builder = new StringBuilder("[\n");
        foreach (var item in Items)
        {
            builder.Append(Pad(inner)).Append(item.Render(inner)).Append(",\n");
        }

        return builder.Append(Pad(indent)).Append(']').ToString();
    }
}

/// <summary><c>new Dictionary&lt;string, string&gt; { ["k"] = "v" }</c>.</summary>
internal sealed record DictionaryCode(IReadOnlyList<(string Key, string Value)> Pairs) : Code
{
    public override string Inline() => Pairs.Count == 0
        ? "new Dictionary<string, string>()"
        : "new Dictionary<string, string> { " + string.Join(", ", Pairs.Select(p => $"[{CSharpLiteral.String(p.Key)}] = {CSharpLiteral.String(p.Value)}")) + " }";
}
