using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>An acknowledged cost increase as the snapshot records it: the reason and the monthly cost it covers.</summary>
public sealed record RecordedAcknowledgment(string Reason, decimal UpToMonthly);

/// <summary>
/// The committed cost snapshot, <c>.configascode/cost.json</c> beside the manifests but outside every applied
/// folder. It records each estimate, the inputs that drive it and the acknowledged increases, so a later build can
/// say which setting moved the cost and whether an acknowledgment still covers it. Sorted, rounded, no timestamps.
/// It is an owned file like any manifest: a change to it is drift.
/// </summary>
public static class CostSnapshot
{
    public const string Path = ".configascode/cost.json";

    /// <summary>A committed entry, as read back.</summary>
    public sealed record Entry(string Key, string? Team, decimal MonthlyExpected, int ExpectedReplicas, decimal? UsdPerMillionOutputTokens, double? OutputTokensPerSecondPerReplica, IReadOnlyDictionary<string, string> Inputs)
    {
        /// <summary>The acknowledged increase recorded for this deployment, or null.</summary>
        public RecordedAcknowledgment? Acknowledgment { get; init; }
    }

    /// <summary>The snapshot (UTF-8 bytes) for <paramref name="estimates"/> with the acknowledgments to record, by deployment key.</summary>
    public static byte[] Write(IReadOnlyList<CostEstimate> estimates, string catalogDate, IReadOnlyDictionary<string, RecordedAcknowledgment>? acknowledgments = null)
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
                if (acknowledgments is not null && acknowledgments.TryGetValue(e.Key, out var acknowledged))
                {
                    json.WriteStartObject("acknowledgment");
                    json.WriteString("reason", acknowledged.Reason);
                    json.WriteNumber("upToMonthly", acknowledged.UpToMonthly);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        // UTF-8 bytes as they are written (4.5 MB at 10,000 deployments): no UTF-16 copy of the file.
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>
    /// The entries of a snapshot's bytes by key; empty when there are no bytes. A snapshot that cannot be read
    /// gives null: the caller reports it (a damaged snapshot is drift, and never a silent $0 baseline).
    /// </summary>
    public static IReadOnlyDictionary<string, Entry>? Parse(byte[]? json)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (json is null)
        {
            return entries;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var row in document.RootElement.GetProperty("deployments").EnumerateArray())
            {
                var inputs = row.GetProperty("inputs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
                var key = row.GetProperty("key").GetString() ?? throw new FormatException("a deployment has no key");
                RecordedAcknowledgment? acknowledgment = null;
                if (row.TryGetProperty("acknowledgment", out var ack))
                {
                    acknowledgment = new RecordedAcknowledgment(ack.GetProperty("reason").GetString() ?? string.Empty, ack.GetProperty("upToMonthly").GetDecimal());
                }

                var monthly = row.GetProperty("monthlyExpected").GetDecimal();
                if (monthly < 0 || !entries.TryAdd(key, new Entry(
                    key,
                    row.TryGetProperty("team", out var team) ? team.GetString() : null,
                    monthly,
                    row.GetProperty("expectedReplicas").GetInt32(),
                    row.TryGetProperty("usdPerMillionOutputTokens", out var pm) ? pm.GetDecimal() : null,
                    row.TryGetProperty("outputTokensPerSecondPerReplica", out var tps) ? tps.GetDouble() : null,
                    inputs) { Acknowledgment = acknowledgment }))
                {
                    throw new FormatException($"'{key}' is listed twice or has a negative cost");
                }
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
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
