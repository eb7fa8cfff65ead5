using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>A GPU price: dollars per GPU-hour for one GPU, provider, region and purchase option, with its date and source.</summary>
public sealed record GpuPrice(string Gpu, string Provider, string Region, string PurchaseOption, decimal UsdPerGpuHour, bool IncludesHost, string Date, string Source);

/// <summary>CPU and memory prices for providers whose GPU prices exclude the host.</summary>
public sealed record HostPrice(string Provider, string Region, string PurchaseOption, decimal UsdPerVcpuHour, decimal UsdPerGibHour, string Date, string Source);

/// <summary>
/// Prices by GPU kind, provider, region and purchase option. The catalog ships in the package (dated, sourced);
/// a price file (MSBuild property <c>ConfigAsCodePriceFile</c>, same JSON shape) and prices declared in code
/// override it, in that order. A missing price is never zero: the caller reports CAC4004.
/// </summary>
public sealed class PriceCatalog
{
    private readonly Dictionary<(string, string, string, string), GpuPrice> _gpu = new();
    private readonly Dictionary<(string, string, string), HostPrice> _host = new();
    private readonly Dictionary<string, string> _unpriced = new(StringComparer.Ordinal);

    private PriceCatalog()
    {
    }

    /// <summary>The date of the shipped catalog.</summary>
    public string CatalogDate { get; private set; } = string.Empty;

    /// <summary>The shipped catalog.</summary>
    public static PriceCatalog Shipped()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream("ConfigAsCode.prices.json")
            ?? throw new InvalidOperationException("the shipped price catalog is missing from the assembly");
        var catalog = new PriceCatalog();
        catalog.Merge(JsonDocument.Parse(stream));
        return catalog;
    }

    /// <summary>Applies a price file over this catalog; returns an error message for a malformed file, or null.</summary>
    public string? MergeFile(string path)
    {
        try
        {
            // Decoded as File.ReadAllText decodes (a byte order mark decides).
            using var reader = new StreamReader(new MemoryStream(Gate.UserFile.ReadAllBytes(path)), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            using var document = JsonDocument.Parse(reader.ReadToEnd());
            Merge(document);
            return null;
        }
        catch (FileNotFoundException)
        {
            return $"the price file '{Path.GetFileName(path)}' (ConfigAsCodePriceFile) does not exist: no price from it was applied, and prices it set would silently fall back to the shipped catalog.";
        }
        catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return $"the price file '{Path.GetFileName(path)}' cannot be read: {e.Message}";
        }
    }

    /// <summary>The most a GPU-hour or a host vCPU/GiB-hour may cost before a price is taken for a typo (2026: about $15).</summary>
    public const decimal MaximumUsdPerHour = 1_000m;

    /// <summary>
    /// The least a GPU-hour may cost before its price is taken for a typo (a price per second or per minute, a misplaced
    /// decimal point): the cheapest spot GPU-hours of 2026 cost about $0.10. Below it every figure printed $0.00.
    /// </summary>
    public const decimal MinimumUsdPerGpuHour = 0.01m;

    /// <summary>Applies prices declared in code; returns one message per price that was refused (and not applied).</summary>
    public IReadOnlyList<string> Merge(IEnumerable<GpuPriceOverride?> overrides)
    {
        var problems = new List<string>();
        foreach (var o in overrides)
        {
            if (o is null)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(o.GpuPriceKey) || o.Target is null || string.IsNullOrWhiteSpace(o.Target.Provider) || string.IsNullOrWhiteSpace(o.Target.Region) || string.IsNullOrWhiteSpace(o.Target.PurchaseOption))
            {
                problems.Add($"a price declared in Prices() has no GPU price key, provider, region or purchase option; it was not applied.");
                continue;
            }

            if (PriceProblem(o.UsdPerGpuHour) is { } problem)
            {
                problems.Add($"the price declared in Prices() for '{o.GpuPriceKey}' at {o.Target.Provider}/{o.Target.Region}/{o.Target.PurchaseOption} {problem}; it was not applied.");
                continue;
            }

            var price = new GpuPrice(o.GpuPriceKey, o.Target.Provider, o.Target.Region, o.Target.PurchaseOption, o.UsdPerGpuHour, o.IncludesHost, "declared", o.Source ?? "declared in code");
            _gpu[Key(price.Gpu, price.Provider, price.Region, price.PurchaseOption)] = price;
        }

        return problems;
    }

    /// <summary>Why <paramref name="usdPerHour"/> cannot be a price, or null: prices are positive (a GPU-hour at least <see cref="MinimumUsdPerGpuHour"/>) and below <see cref="MaximumUsdPerHour"/>.</summary>
    public static string? PriceProblem(decimal usdPerHour, bool allowZero = false) =>
        usdPerHour < 0 || (!allowZero && usdPerHour == 0) ? $"is {usdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} $/hour: a price must be {(allowZero ? "zero or more" : "positive")}"
        : !allowZero && usdPerHour < MinimumUsdPerGpuHour ? $"is {usdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} $/hour, below the {MinimumUsdPerGpuHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} $/hour a GPU-hour can plausibly cost (a price per second or per minute?)"
        : usdPerHour > MaximumUsdPerHour ? $"is {usdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} $/hour, above the {MaximumUsdPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)} $/hour a price can plausibly be (a typo?)"
        : null;

    public GpuPrice? FindGpu(string gpuPriceKey, PricingTarget target) =>
        _gpu.TryGetValue(Key(gpuPriceKey, target.Provider, target.Region, target.PurchaseOption), out var price) ? price : null;

    public HostPrice? FindHost(PricingTarget target) =>
        _host.TryGetValue((Lower(target.Provider), Lower(target.Region), Lower(target.PurchaseOption)), out var price) ? price : null;

    /// <summary>
    /// Why the catalog has no price for a GPU it knows (the <c>unpriced</c> rows: no dated public list price was
    /// verified), or null. An unpriced GPU is reported as CAC4004, never priced at $0.
    /// </summary>
    public string? UnpricedReason(string gpuPriceKey) => _unpriced.TryGetValue(Lower(gpuPriceKey), out var reason) ? reason : null;

    public IEnumerable<GpuPrice> GpuPrices => _gpu.Values.OrderBy(p => p.Gpu, StringComparer.Ordinal).ThenBy(p => p.Provider, StringComparer.Ordinal).ThenBy(p => p.Region, StringComparer.Ordinal);

    private void Merge(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.TryGetProperty("catalogDate", out var date))
        {
            CatalogDate = date.GetString() ?? CatalogDate;
        }

        if (root.TryGetProperty("gpu", out var gpus))
        {
            foreach (var row in gpus.EnumerateArray())
            {
                var price = new GpuPrice(
                    Required(row, "gpu"), Required(row, "provider"), Required(row, "region"),
                    row.TryGetProperty("purchaseOption", out var option) ? option.GetString() ?? throw new FormatException("'purchaseOption' is null") : "on-demand",
                    row.GetProperty("usdPerGpuHour").GetDecimal(),
                    !row.TryGetProperty("includesHost", out var host) || host.GetBoolean(),
                    row.TryGetProperty("date", out var d) ? d.GetString() ?? string.Empty : string.Empty,
                    row.TryGetProperty("source", out var s) ? s.GetString() ?? string.Empty : string.Empty);
                if (PriceProblem(price.UsdPerGpuHour) is { } problem)
                {
                    throw new FormatException($"the GPU price of {price.Gpu} at {price.Provider}/{price.Region}/{price.PurchaseOption} {problem}");
                }

                _gpu[Key(price.Gpu, price.Provider, price.Region, price.PurchaseOption)] = price;
            }
        }

        if (root.TryGetProperty("unpriced", out var unpriced))
        {
            foreach (var row in unpriced.EnumerateArray())
            {
                var gpu = Lower(row.GetProperty("gpu").GetString()!);
                var reason = row.GetProperty("reason").GetString()!;
                _unpriced[gpu] = row.TryGetProperty("date", out var d) && d.GetString() is { Length: > 0 } when ? $"{reason} ({when})" : reason;
            }
        }

        if (root.TryGetProperty("host", out var hosts))
        {
            foreach (var row in hosts.EnumerateArray())
            {
                var price = new HostPrice(
                    Required(row, "provider"), Required(row, "region"),
                    row.TryGetProperty("purchaseOption", out var option) ? option.GetString() ?? throw new FormatException("'purchaseOption' is null") : "on-demand",
                    row.GetProperty("usdPerVcpuHour").GetDecimal(), row.GetProperty("usdPerGibHour").GetDecimal(),
                    row.TryGetProperty("date", out var d) ? d.GetString() ?? string.Empty : string.Empty,
                    row.TryGetProperty("source", out var s) ? s.GetString() ?? string.Empty : string.Empty);
                if ((PriceProblem(price.UsdPerVcpuHour, allowZero: true) ?? PriceProblem(price.UsdPerGibHour, allowZero: true)) is { } problem)
                {
                    throw new FormatException($"the host price at {price.Provider}/{price.Region}/{price.PurchaseOption} {problem}");
                }

                _host[(Lower(price.Provider), Lower(price.Region), Lower(price.PurchaseOption))] = price;
            }
        }
    }

    private static string Required(JsonElement row, string name) =>
        row.GetProperty(name).GetString() is { Length: > 0 } value ? value : throw new FormatException($"a row has no '{name}'");

    private static (string, string, string, string) Key(string gpu, string provider, string region, string option) =>
        (Lower(gpu), Lower(provider), Lower(region), Lower(option));

    private static string Lower(string value) => value.Trim().ToLowerInvariant();
}
