using System;
using System.Collections.Generic;
using System.Globalization;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Rendering;

/// <summary>
/// The engine's command line and environment, rendered from the typed knobs. Every batching knob is explicit:
/// one left unset is written with the value the engine would pick on this GPU, so the manifest states what
/// runs and does not depend on the node.
/// </summary>
internal static class EngineContainer
{
    /// <summary>vLLM's torch.distributed rendezvous port on the leader of a multi-node replica (its default, stated in the manifest).</summary>
    public const int MasterPort = 29501;

    public static (IReadOnlyList<string> Command, IReadOnlyList<string> Args) CommandLine(InferenceDeployment d, WeightsPlan weights, PodRole role = PodRole.Single) => d.Engine switch
    {
        VllmEngine v => ([], VllmArgs(d, v, weights, role)),
        TgiEngine t => ([], TgiArgs(d, t, weights)),
        TritonEngine t => (["tritonserver"], TritonArgs(t, weights)),
        _ => throw new NotSupportedException("Unknown engine " + d.Engine.GetType().Name),
    };

    /// <summary>Variables the engine needs besides the user's: where its weights are, the API key, trace sampling and the egress proxy.</summary>
    public static IEnumerable<(string Name, string? Value, SecretReference? Secret)> ImpliedEnv(InferenceDeployment d, WeightsPlan weights)
    {
        foreach (var variable in WeightsVolumes.EngineEnvironment(d, weights))
        {
            yield return variable;
        }

        if (d.Engine is VllmEngine { ApiKey: { } apiKey })
        {
            // vLLM reads VLLM_API_KEY, so the key never appears in the pod's arguments.
            yield return ("VLLM_API_KEY", null, apiKey);
        }

        if (d.Observability.Traces is { } traces && d.Engine is not TritonEngine)
        {
            yield return ("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", null);
            yield return ("OTEL_TRACES_SAMPLER_ARG", Number(traces.SamplingRatio), null);
        }

        foreach (var (name, value) in WeightsVolumes.EngineProxyEnvironment(Network.TrafficPlan.For(d), weights))
        {
            yield return (name, value, null);
        }
    }

    private static List<string> VllmArgs(InferenceDeployment d, VllmEngine v, WeightsPlan weights, PodRole role)
    {
        var gpu = d.Accelerator.Gpu;
        var architecture = d.Model.ResolveArchitecture();
        var batching = EngineDefaults.ForVllm(v, gpu, VllmVersion.Assumed(d), v.MaxModelLen is > 0 and var declared ? declared : architecture?.MaxContextTokens, architecture);
        // A Hub model is loaded by id and revision (from the cache when one is filled); anything else from its folder,
        // served under the model's id so clients do not see the path.
        var args = new List<string>
        {
            "--model=" + (weights.LocalModelPath ?? d.Model.Id),
        };
        if (weights.LocalModelPath is null)
        {
            AddIf(args, "--revision", d.Model.Revision);
        }

        AddIf(args, "--served-model-name", v.ServedModelName ?? (weights.LocalModelPath is null ? null : d.Model.Id));
        args.Add("--port=" + Int(v.HttpPort));
        args.Add("--max-num-seqs=" + Int(batching.MaxNumSeqs));
        args.Add("--max-num-batched-tokens=" + Int(batching.MaxNumBatchedTokens));
        if (v.IsMaxModelLenAuto)
        {
            args.Add("--max-model-len=auto");
        }
        else if (v.MaxModelLen is { } maxModelLen)
        {
            args.Add("--max-model-len=" + Int(maxModelLen));
        }

        args.Add("--gpu-memory-utilization=" + Number(v.GpuMemoryUtilization));
        if (v.KvCacheMemoryBytes is { } kvBytes)
        {
            args.Add("--kv-cache-memory-bytes=" + kvBytes.ToString(CultureInfo.InvariantCulture));
        }

        args.Add("--tensor-parallel-size=" + Int(v.TensorParallelSize));
        args.Add("--pipeline-parallel-size=" + Int(v.PipelineParallelSize));
        if (role != PodRole.Single)
        {
            // vLLM's multiprocessing executor across nodes: every pod runs the same engine arguments; LeaderWorkerSet injects
            // the group size, the pod's index (0 for the leader) and the leader's address, which Kubernetes expands in args.
            args.Add("--nnodes=$(" + LeaderWorkerSetManifest.GroupSizeVariable + ")");
            args.Add("--node-rank=$(" + LeaderWorkerSetManifest.WorkerIndexVariable + ")");
            args.Add("--master-addr=$(" + LeaderWorkerSetManifest.LeaderAddressVariable + ")");
            args.Add("--master-port=" + Int(MasterPort));
        }

        if (v.DataParallelSize != 1)
        {
            args.Add("--data-parallel-size=" + Int(v.DataParallelSize));
        }

        if (v.EnableExpertParallel)
        {
            args.Add("--enable-expert-parallel");
        }

        args.Add("--kv-cache-dtype=" + KvCacheDtypeFlag(v.KvCacheDtype));

        // AWQ and GPTQ checkpoints carry their method in config.json. Naming it (--quantization=awq) forces vLLM's slow
        // kernel; leaving it out lets vLLM detect the checkpoint and pick Marlin where the GPU has it.
        if (VllmQuantizationFlag(v.Quantization) is { } method)
        {
            args.Add("--quantization=" + method);
        }

        if (v.EnforceEager)
        {
            args.Add("--enforce-eager");
        }

        if (v.EnablePrefixCaching is { } prefix)
        {
            args.Add(prefix ? "--enable-prefix-caching" : "--no-enable-prefix-caching");
        }

        if (v.TrustRemoteCode)
        {
            args.Add("--trust-remote-code");
        }

        if (d.Observability.Traces is { } traces)
        {
            args.Add("--otlp-traces-endpoint=" + traces.OtlpEndpoint);
        }

        // A worker runs exactly the leader's engine arguments, without the API server.
        if (role == PodRole.Worker)
        {
            args.Add("--headless");
        }

        return args;
    }

    private static List<string> TgiArgs(InferenceDeployment d, TgiEngine t, WeightsPlan weights)
    {
        var args = new List<string> { "--model-id=" + (weights.LocalModelPath ?? d.Model.Id) };
        if (weights.LocalModelPath is null)
        {
            AddIf(args, "--revision", d.Model.Revision);
        }

        args.Add("--port=" + Int(t.HttpPort));
        args.Add("--num-shard=" + Int(t.NumShard));
        AddIf(args, "--max-input-tokens", t.MaxInputTokens);
        AddIf(args, "--max-total-tokens", t.MaxTotalTokens);
        AddIf(args, "--max-batch-prefill-tokens", t.MaxBatchPrefillTokens);
        AddIf(args, "--max-batch-total-tokens", t.MaxBatchTotalTokens);
        AddIf(args, "--max-concurrent-requests", t.MaxConcurrentRequests);
        if (t.Quantization != Quantization.None)
        {
            args.Add("--quantize=" + QuantizationName(t.Quantization));
        }

        if (t.TrustRemoteCode)
        {
            args.Add("--trust-remote-code");
        }

        if (d.Observability.StructuredLogs)
        {
            args.Add("--json-output");
        }

        if (d.Observability.Traces is { } traces)
        {
            args.Add("--otlp-endpoint=" + traces.OtlpEndpoint);
        }

        return args;
    }

    private static List<string> TritonArgs(TritonEngine t, WeightsPlan weights)
    {
        var args = new List<string>
        {
            "--model-repository=" + (weights.LocalModelPath ?? t.ModelRepository),
            "--http-port=" + Int(t.HttpPort),
            "--grpc-port=" + Int(t.GrpcPort),
            "--metrics-port=" + Int(t.MetricsPort),
            "--strict-readiness=true",
        };
        return args;
    }

    private static void AddIf(List<string> args, string flag, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            args.Add(flag + "=" + value);
        }
    }

    private static void AddIf(List<string> args, string flag, int? value)
    {
        if (value is { } v)
        {
            args.Add(flag + "=" + Int(v));
        }
    }

    /// <summary>vLLM's <c>--quantization</c> value, or null where the checkpoint's own config must decide.</summary>
    internal static string? VllmQuantizationFlag(Quantization quantization) => quantization switch
    {
        Quantization.Fp8 => "fp8",
        Quantization.BitsAndBytes => "bitsandbytes",
        Quantization.AwqMarlin => "awq_marlin",
        Quantization.GptqMarlin => "gptq_marlin",
        _ => null,
    };

    /// <summary>vLLM's <c>--kv-cache-dtype</c> value.</summary>
    internal static string KvCacheDtypeFlag(KvCacheDtype dtype) => dtype switch
    {
        KvCacheDtype.Fp8 => "fp8",
        KvCacheDtype.Fp8E4M3 => "fp8_e4m3",
        KvCacheDtype.Fp8E5M2 => "fp8_e5m2",
        KvCacheDtype.BFloat16 => "bfloat16",
        KvCacheDtype.Float16 => "float16",
        KvCacheDtype.Fp8DsMla => "fp8_ds_mla",
        KvCacheDtype.Nvfp4 => "nvfp4",
        KvCacheDtype.Fp8PerTokenHead => "fp8_per_token_head",
        KvCacheDtype.Int8PerTokenHead => "int8_per_token_head",
        _ => "auto",
    };

    /// <summary>TGI's <c>--quantize</c> value.</summary>
    internal static string QuantizationName(Quantization quantization) => quantization switch
    {
        Quantization.Fp8 => "fp8",
        Quantization.Awq or Quantization.AwqMarlin => "awq",
        Quantization.Gptq or Quantization.GptqMarlin => "gptq",
        Quantization.BitsAndBytes => "bitsandbytes",
        _ => "none",
    };

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Number(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 1e15
            ? ((decimal)value).ToString("0.############", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
