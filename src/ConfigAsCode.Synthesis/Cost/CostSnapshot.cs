using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>
/// The committed cost snapshot, <c>.configascode/cost.json</c> beside the manifests but outside every applied
/// folder. It records each estimate and the inputs that drive it, so a later build can say which setting moved the
/// cost. Sorted, rounded, no timestamps.
/// </summary>
public static class CostSnapshot
{
    public const string Path = ".configascode/cost.json";

    /// <summary>A committed entry, as read back.</summary>
    public sealed record Entry(string Key, string? Team, decimal MonthlyExpected, int ExpectedReplicas, decimal? UsdPerMillionOutputTokens, double? OutputTokensPerSecondPerReplica, IReadOnlyDictionary<string, string> Inputs);

    public static string Write(IReadOnlyList<CostEstimate> estimates, string catalogDate)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("currency", "USD");
            json.WriteNumber("hoursPerMonth", CostEstimator.HoursPerMonth);
            json.WriteString("priceCatalogDate", catalogDate);
            json.WriteStartArray("deployments");
            foreach (var e in estimates)
            {
                json.WriteStartObject();
                json.WriteString("key", e.Key);
                if (e.Team is not null)
                {
                    json.WriteString("team", e.Team);
                }

                json.WriteNumber("monthlyExpected", e.MonthlyExpected);
                json.WriteNumber("monthlyAtMin", e.MonthlyAtMin);
                json.WriteNumber("monthlyAtMax", e.MonthlyAtMax);
                json.WriteNumber("expectedReplicas", e.ExpectedReplicas);
                if (e.UsdPerMillionOutputTokens is { } perMillion)
                {
                    json.WriteNumber("usdPerMillionOutputTokens", perMillion);
                }

                if (e.OutputTokensPerSecondPerReplica is { } tps)
                {
                    json.WriteNumber("outputTokensPerSecondPerReplica", Math.Round(tps, 1));
                }

                json.WriteStartObject("inputs");
                foreach (var (name, value) in Inputs(e))
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The committed entries by key, or an empty map when there is no snapshot yet or it cannot be read.</summary>
    public static IReadOnlyDictionary<string, Entry> Read(string snapshotRoot)
    {
        var path = System.IO.Path.Combine(snapshotRoot, Path.Replace('/', System.IO.Path.DirectorySeparatorChar));
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return entries;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var row in document.RootElement.GetProperty("deployments").EnumerateArray())
            {
                var inputs = row.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
                var key = row.GetProperty("key").GetString()!;
                entries[key] = new Entry(
                    key,
                    row.TryGetProperty("team", out var team) ? team.GetString() : null,
                    row.GetProperty("monthlyExpected").GetDecimal(),
                    row.GetProperty("expectedReplicas").GetInt32(),
                    row.TryGetProperty("usdPerMillionOutputTokens", out var pm) ? pm.GetDecimal() : null,
                    row.TryGetProperty("outputTokensPerSecondPerReplica", out var tps) ? tps.GetDouble() : null,
                    inputs);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // An unreadable snapshot is drift like any other (CAC9001 on the file); attribution just has no baseline.
            entries.Clear();
        }

        return entries;
    }

    /// <summary>The settings a cost depends on, by the names users know (engine flags, catalog names).</summary>
    public static IEnumerable<(string Name, string Value)> Inputs(CostEstimate e)
    {
        yield return ("gpu", e.Gpu);
        yield return ("gpus-per-replica", e.GpusPerReplica.ToString(CultureInfo.InvariantCulture));
        yield return ("usd-per-gpu-hour", e.UsdPerGpuHour.ToString(CultureInfo.InvariantCulture));
        yield return ("min-replicas", e.MinReplicas.ToString(CultureInfo.InvariantCulture));
        yield return ("max-replicas", e.MaxReplicas.ToString(CultureInfo.InvariantCulture));
        if (e.ShadowReplicas > 0)
        {
            yield return ("shadow-replicas", e.ShadowReplicas.ToString(CultureInfo.InvariantCulture));
        }

        if (e.MaxNumSeqs is { } seqs)
        {
            yield return ("max-num-seqs", seqs.ToString(CultureInfo.InvariantCulture));
        }

        if (e.Concurrency is { } c)
        {
            yield return ("concurrency", c.ToString("0", CultureInfo.InvariantCulture) + " (" + e.ConcurrencyLimit + ")");
        }
    }
}
