using System;
using System.Globalization;

namespace ConfigAsCode.Tool.Import;

/// <summary>Kubernetes resource quantities (<c>500m</c>, <c>4</c>, <c>32Gi</c>, <c>34359738368</c>, <c>1e3</c>) as exact decimals.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024), ("Pi", 1024m * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1000_000m), ("G", 1000_000_000m), ("T", 1000_000_000_000m), ("P", 1000_000_000_000_000m),
    ];

    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal) && value.Length > suffix.Length
                && decimal.TryParse(value[..^suffix.Length], NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                // 100000000000000Pi is a quantity beyond any decimal: not a number the import can use, not an exception.
                return factor < 1m || Math.Abs(number) <= decimal.MaxValue / factor ? number * factor : null;
            }
        }

        return decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
    }

    /// <summary>Millicores, when the quantity is a whole number of them.</summary>
    public static int? Millicores(string? text) =>
        Parse(text) is { } cores && cores is >= 0 and <= int.MaxValue / 1000m && cores * 1000m == decimal.Truncate(cores * 1000m) ? (int)(cores * 1000m) : null;

    /// <summary>MiB, when the quantity is a whole number of them.</summary>
    public static int? Mebibytes(string? text) =>
        Parse(text) is { } bytes && bytes / (1024m * 1024) == decimal.Truncate(bytes / (1024m * 1024)) && bytes / (1024m * 1024) is >= 0 and <= int.MaxValue ? (int)(bytes / (1024m * 1024)) : null;
}
