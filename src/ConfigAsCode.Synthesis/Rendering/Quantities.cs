using System.Globalization;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// Canonical Kubernetes quantities, in the form the API server itself writes back, so Argo CD never sees a
/// permanent difference between <c>1000m</c> and <c>1</c> or <c>1024Mi</c> and <c>1Gi</c>.
/// </summary>
public static class Quantities
{
    /// <summary>Whole cores as <c>"8"</c>, fractions as millicores <c>"500m"</c>.</summary>
    public static string Cpu(int millicores) =>
        millicores % 1000 == 0
            ? (millicores / 1000).ToString(CultureInfo.InvariantCulture)
            : millicores.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>The largest binary unit that divides the value exactly: <c>"32Gi"</c>, <c>"1536Mi"</c>.</summary>
    public static string MemoryMiB(long mebibytes)
    {
        if (mebibytes != 0 && mebibytes % (1024L * 1024) == 0)
        {
            return (mebibytes / (1024L * 1024)).ToString(CultureInfo.InvariantCulture) + "Ti";
        }

        return mebibytes != 0 && mebibytes % 1024 == 0
            ? (mebibytes / 1024).ToString(CultureInfo.InvariantCulture) + "Gi"
            : mebibytes.ToString(CultureInfo.InvariantCulture) + "Mi";
    }

    /// <summary>A plain count (GPUs, averages): <c>"4"</c>, or milli-units for fractions: <c>"2500m"</c>.</summary>
    public static string Decimal(decimal value)
    {
        if (decimal.Truncate(value) == value)
        {
            return decimal.Truncate(value).ToString(CultureInfo.InvariantCulture);
        }

        var milli = decimal.Round(value * 1000m, 0, System.MidpointRounding.AwayFromZero);
        return milli.ToString("0", CultureInfo.InvariantCulture) + "m";
    }
}
