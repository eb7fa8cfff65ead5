using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rules;

/// <summary>
/// "Did you mean": the known names closest to a mistyped one, by edit distance with transpositions (a swapped pair of
/// letters is one edit, so <c>Instrcut</c> is one edit from <c>Instruct</c>). Compared without regard to case; ties
/// in a fixed ordinal order, so the suggestion is the same on every machine.
/// </summary>
public static class NearestNames
{
    /// <summary>
    /// Up to <paramref name="count"/> of <paramref name="known"/> within <paramref name="maxDistance"/> edits of
    /// <paramref name="wanted"/> (by default a quarter of its length, at least 2), nearest first.
    /// </summary>
    public static IReadOnlyList<string> Of(string? wanted, IEnumerable<string> known, int count = 3, int? maxDistance = null)
    {
        if (string.IsNullOrEmpty(wanted))
        {
            return [];
        }

        var limit = maxDistance ?? Math.Max(2, wanted.Length / 4);
        var target = wanted.ToLowerInvariant();
        return known.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(name => (Name: name, Distance: Distance(target, name.ToLowerInvariant())))
            .Where(x => x.Distance <= limit && x.Distance > 0)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Name)
            .ToArray();
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
