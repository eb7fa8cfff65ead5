namespace ConfigAsCode;

/// <summary>Where a deployment was declared; build-time diagnostics point here.</summary>
/// <param name="FilePath">The source file, as the compiler saw it (mapped by PathMap in CI builds).</param>
/// <param name="Line">The 1-based line.</param>
public sealed record SourceLocation(string FilePath, int Line)
{
    /// <summary>A location for deployments built without caller information.</summary>
    public static SourceLocation Unknown { get; } = new(string.Empty, 0);

    /// <summary>True when the compiler supplied a file.</summary>
    public bool IsKnown => FilePath.Length > 0;

    /// <inheritdoc />
    public override string ToString() => IsKnown ? $"{FilePath}({Line})" : "<unknown>";
}
