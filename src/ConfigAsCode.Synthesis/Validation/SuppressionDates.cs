using System;
using System.Globalization;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>The dates of a <see cref="RuleSuppression"/>: exact ISO 8601 days, read the same in every culture.</summary>
public static class SuppressionDates
{
    /// <summary>The day <paramref name="text"/> names, or null when it is absent or not <c>yyyy-MM-dd</c>.</summary>
    public static DateTime? Parse(string? text) =>
        text is not null && DateTime.TryParseExact(text.Trim(), RuleSuppression.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day.Date : null;

    /// <summary>What is wrong with the dates of <paramref name="suppression"/>, or null.</summary>
    public static string? Problem(RuleSuppression suppression)
    {
        foreach (var (name, value) in new[] { ("Since", suppression.Since), ("Expires", suppression.Expires) })
        {
            if (value is not null && Parse(value) is null)
            {
                return $"{name} = \"{value}\" is not a date. Write it as yyyy-MM-dd, for example \"2027-03-31\".";
            }
        }

        return Parse(suppression.Since) is { } since && Parse(suppression.Expires) is { } expires && expires < since
            ? $"it expires ({suppression.Expires}) before it was granted ({suppression.Since}). Check the two dates."
            : null;
    }

    /// <summary>Whole days from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static int Days(DateTime from, DateTime to) => (int)Math.Round((to.Date - from.Date).TotalDays);
}
