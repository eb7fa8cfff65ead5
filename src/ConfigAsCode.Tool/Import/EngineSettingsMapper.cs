using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rendering;
using ConfigAsCode.Synthesis.Secrets;

namespace ConfigAsCode.Tool.Import;

/// <summary>What an engine's settings say, in the model's terms, and what they say that the model cannot hold.</summary>
internal sealed record EngineImport(
    InferenceEngine Engine,
    string? ModelId,
    string? Revision,
    string? OtlpEndpoint,
    bool JsonOutput,
    IReadOnlyList<(EngineSetting Setting, string Reason)> NotMapped,
    IReadOnlyList<EngineSetting> Credentials);

/// <summary>
/// Turns engine settings into <see cref="VllmEngine"/>, <see cref="TgiEngine"/> or <see cref="TritonEngine"/>. The flag
/// values are the renderer's own (<see cref="EngineContainer"/>), read in reverse, so a value the renderer writes is a
/// value the import reads.
/// </summary>
internal static class EngineSettingsMapper
{
    private static readonly Dictionary<string, KvCacheDtype> KvCacheDtypes =
        Enum.GetValues<KvCacheDtype>().ToDictionary(EngineContainer.KvCacheDtypeFlag, d => d, StringComparer.Ordinal);

    // The renderer's --quantization values, plus the checkpoint methods it leaves to the checkpoint (awq, gptq).
    private static readonly Dictionary<string, Quantization> VllmQuantizations = Enum.GetValues<Quantization>()
        .Select(q => (Flag: EngineContainer.VllmQuantizationFlag(q), Method: q))
        .Where(p => p.Flag is not null)
        .Select(p => new KeyValuePair<string, Quantization>(p.Flag!, p.Method))
        .Append(new("awq", Quantization.Awq))
        .Append(new("gptq", Quantization.Gptq))
        .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static readonly Dictionary<string, Quantization> TgiQuantizations = Enum.GetValues<Quantization>()
        .GroupBy(EngineContainer.QuantizationName, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>Hosts that mean "every interface", which is what the engines do when the renderer writes no host.</summary>
    private static readonly HashSet<string> AllInterfaces = new(StringComparer.Ordinal) { "0.0.0.0", "::", "[::]" };

    /// <summary>
    /// What the declaration changes where the input left an engine default: the renderer always writes
    /// <c>--gpu-memory-utilization</c> (0.90 unless declared), while vLLM's own default is 0.92 in current releases.
    /// </summary>
    public static string? DefaultReplaced(EngineCommandLine line, InferenceEngine engine) =>
        line.Kind == EngineKind.Vllm && engine is VllmEngine vllm && !line.Has("--gpu-memory-utilization")
            ? $"--gpu-memory-utilization is not set, so vLLM used its own default (0.92 in current releases, vllm/config/cache.py); the declaration renders --gpu-memory-utilization={vllm.GpuMemoryUtilization.ToString(CultureInfo.InvariantCulture)}. Set GpuMemoryUtilization = 0.92 to keep vLLM's current default"
            : null;

    public static EngineImport Map(EngineCommandLine line, int? containerPort) => line.Kind switch
    {
        EngineKind.Vllm => Vllm(line, containerPort),
        EngineKind.Tgi => Tgi(line, containerPort),
        _ => Triton(line, containerPort),
    };

    private static EngineImport Vllm(EngineCommandLine line, int? containerPort)
    {
        var reader = new SettingReader(line, "vLLM");
        var engine = new VllmEngine();
        string? model = null, revision = null, otlp = null;
        foreach (var setting in Effective(line))
        {
            switch (setting.Flag)
            {
                case "--model": model = reader.Text(setting); break;
                case "--revision": revision = reader.Text(setting); break;
                case "--served-model-name": engine = engine with { ServedModelName = reader.Text(setting) }; break;
                case "--port": engine = reader.Int(setting) is { } port ? engine with { HttpPort = port } : engine; break;
                case "--host": reader.AllInterfacesOnly(setting); break;
                case "--max-num-seqs": engine = engine with { MaxNumSeqs = reader.Int(setting) }; break;
                case "--max-num-batched-tokens": engine = engine with { MaxNumBatchedTokens = reader.Int(setting) }; break;
                case "--max-model-len":
                    engine = setting.Value is "auto" or "-1" ? engine with { MaxModelLen = VllmEngine.MaxModelLenAuto } : engine with { MaxModelLen = reader.Int(setting) };
                    break;
                case "--gpu-memory-utilization": engine = reader.Double(setting) is { } share ? engine with { GpuMemoryUtilization = share } : engine; break;
                case "--kv-cache-memory-bytes": engine = engine with { KvCacheMemoryBytes = reader.Long(setting) }; break;
                case "--tensor-parallel-size": engine = reader.Int(setting) is { } tp ? engine with { TensorParallelSize = tp } : engine; break;
                case "--pipeline-parallel-size": engine = reader.Int(setting) is { } pp ? engine with { PipelineParallelSize = pp } : engine; break;
                case "--data-parallel-size": engine = reader.Int(setting) is { } dp ? engine with { DataParallelSize = dp } : engine; break;
                case "--enable-expert-parallel": engine = engine with { EnableExpertParallel = reader.Switch(setting) }; break;
                case "--kv-cache-dtype": engine = reader.Choice(setting, KvCacheDtypes) is { } dtype ? engine with { KvCacheDtype = dtype } : engine; break;
                case "--quantization": engine = reader.Choice(setting, VllmQuantizations) is { } method ? engine with { Quantization = method } : engine; break;
                case "--enforce-eager": engine = engine with { EnforceEager = reader.Switch(setting) }; break;
                case "--enable-prefix-caching": engine = engine with { EnablePrefixCaching = reader.Switch(setting) }; break;
                case "--no-enable-prefix-caching": engine = engine with { EnablePrefixCaching = !reader.Switch(setting) }; break;
                case "--trust-remote-code": engine = engine with { TrustRemoteCode = reader.Switch(setting) }; break;
                case "--api-key": reader.Credential(setting); break;
                case "--otlp-traces-endpoint": otlp = reader.Text(setting); break;
                default: reader.Unknown(setting); break;
            }
        }

        if (!line.Has("--port") && containerPort is { } served)
        {
            engine = engine with { HttpPort = served };
        }

        return new EngineImport(engine, model, revision, otlp, false, reader.NotMapped, reader.Credentials);
    }

    private static EngineImport Tgi(EngineCommandLine line, int? containerPort)
    {
        var reader = new SettingReader(line, "TGI");
        var engine = new TgiEngine();
        string? model = null, revision = null, otlp = null;
        var json = false;
        foreach (var setting in Effective(line))
        {
            switch (setting.Flag)
            {
                case "--model-id": model = reader.Text(setting); break;
                case "--revision": revision = reader.Text(setting); break;
                case "--port": engine = reader.Int(setting) is { } port ? engine with { HttpPort = port } : engine; break;
                case "--hostname": reader.AllInterfacesOnly(setting); break;
                case "--num-shard": engine = reader.Int(setting) is { } shards ? engine with { NumShard = shards } : engine; break;
                case "--max-input-tokens": engine = engine with { MaxInputTokens = reader.Int(setting) }; break;
                case "--max-total-tokens": engine = engine with { MaxTotalTokens = reader.Int(setting) }; break;
                case "--max-batch-prefill-tokens": engine = engine with { MaxBatchPrefillTokens = reader.Int(setting) }; break;
                case "--max-batch-total-tokens": engine = engine with { MaxBatchTotalTokens = reader.Int(setting) }; break;
                case "--max-concurrent-requests": engine = engine with { MaxConcurrentRequests = reader.Int(setting) }; break;
                case "--quantize": engine = reader.Choice(setting, TgiQuantizations) is { } method ? engine with { Quantization = method } : engine; break;
                case "--trust-remote-code": engine = engine with { TrustRemoteCode = reader.Switch(setting) }; break;
                case "--json-output": json = reader.Switch(setting); break;
                case "--otlp-endpoint": otlp = reader.Text(setting); break;
                case "--api-key": reader.Credential(setting); break;
                default: reader.Unknown(setting); break;
            }
        }

        if (!line.Has("--port") && containerPort is { } served)
        {
            engine = engine with { HttpPort = served };
        }

        return new EngineImport(engine, model, revision, otlp, json, reader.NotMapped, reader.Credentials);
    }

    private static EngineImport Triton(EngineCommandLine line, int? containerPort)
    {
        var reader = new SettingReader(line, "Triton");
        string repository = string.Empty;
        int? http = null, grpc = null, metrics = null;
        foreach (var setting in Effective(line))
        {
            switch (setting.Flag)
            {
                case "--model-repository": repository = reader.Text(setting) ?? string.Empty; break;
                case "--http-port": http = reader.Int(setting); break;
                case "--grpc-port": grpc = reader.Int(setting); break;
                case "--metrics-port": metrics = reader.Int(setting); break;
                case "--strict-readiness":
                    // The renderer always asks for strict readiness; only "false" differs.
                    if (setting.Value is { } strict && !string.Equals(strict, "true", StringComparison.OrdinalIgnoreCase))
                    {
                        reader.Unknown(setting, "the toolkit always runs Triton with --strict-readiness=true");
                    }

                    break;
                default: reader.Unknown(setting); break;
            }
        }

        var engine = new TritonEngine { ModelRepository = repository };
        engine = engine with
        {
            HttpPort = http ?? containerPort ?? engine.HttpPort,
            GrpcPort = grpc ?? engine.GrpcPort,
            MetricsPort = metrics ?? engine.MetricsPort,
        };
        return new EngineImport(engine, null, null, null, false, reader.NotMapped, reader.Credentials);
    }

    // The engines take the last of a repeated flag.
    private static IEnumerable<EngineSetting> Effective(EngineCommandLine line) =>
        line.Settings.Where((s, i) => !line.Settings.Skip(i + 1).Any(later => string.Equals(later.Flag, s.Flag, StringComparison.Ordinal)));

    /// <summary>Reads typed values and collects what it cannot map, with the reason.</summary>
    private sealed class SettingReader(EngineCommandLine line, string engineName)
    {
        public List<(EngineSetting, string)> NotMapped { get; } = [];

        public List<EngineSetting> Credentials { get; } = [];

        public string? Text(EngineSetting setting)
        {
            if (string.IsNullOrEmpty(setting.Value))
            {
                NotMapped.Add((setting, "it has no value"));
                return null;
            }

            return setting.Value;
        }

        public int? Int(EngineSetting setting)
        {
            if (int.TryParse(setting.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            NotMapped.Add((setting, "its value is not a whole number the model can hold"));
            return null;
        }

        public long? Long(EngineSetting setting)
        {
            if (long.TryParse(setting.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            NotMapped.Add((setting, "its value is not a whole number of bytes"));
            return null;
        }

        public double? Double(EngineSetting setting)
        {
            if (double.TryParse(setting.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return value;
            }

            NotMapped.Add((setting, "its value is not a number"));
            return null;
        }

        public bool Switch(EngineSetting setting)
        {
            if (setting.Value is null)
            {
                return true;
            }

            switch (setting.Value.Trim().ToLowerInvariant())
            {
                case "true" or "1" or "yes" or "on":
                    return true;
                case "false" or "0" or "no" or "off":
                    return false;
                default:
                    NotMapped.Add((setting, "a switch takes no value"));
                    return false;
            }
        }

        public T? Choice<T>(EngineSetting setting, IReadOnlyDictionary<string, T> choices)
            where T : struct
        {
            if (setting.Value is { } value && choices.TryGetValue(value, out var choice))
            {
                return choice;
            }

            NotMapped.Add((setting, $"the model knows {string.Join(", ", choices.Keys.OrderBy(k => k, StringComparer.Ordinal))}"));
            return null;
        }

        public void AllInterfacesOnly(EngineSetting setting)
        {
            if (setting.Value is null || !AllInterfaces.Contains(setting.Value))
            {
                NotMapped.Add((setting, $"the toolkit runs {engineName} on every interface, as the engine does by default"));
            }
        }

        public void Credential(EngineSetting setting) => Credentials.Add(setting);

        public void Unknown(EngineSetting setting, string? reason = null)
        {
            var written = setting.Written;
            if (SecretDetector.DetectTokenFormat(setting.Value) is not null || SecretDetector.IsSensitiveName(setting.Flag.TrimStart('-')))
            {
                // A credential passed under a flag the model does not know is still a credential: never quoted, never copied.
                Credentials.Add(setting);
                return;
            }

            NotMapped.Add((setting, reason ?? $"it is not a {engineName} setting the toolkit models" + (line.Kind == EngineKind.Tgi && written.Contains('=', StringComparison.Ordinal) && !written.StartsWith('-') ? " (read from the environment)" : string.Empty)));
        }
    }
}
