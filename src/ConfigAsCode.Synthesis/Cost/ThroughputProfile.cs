using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Gpu;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>
/// The decode model of DOMAIN.md §3 for one model × GPU × parallelism × dtype: inter-token latency
/// <c>ITL(c) = t_w + t_e·(1 − (1 − p)^c) + k·c</c> and time to first token <c>TTFT(c) = ttft₁ + s·(c−1)</c>, with k
/// scaled by the context length and TTFT by the prompt length, relative to the reference the parameters were
/// measured at. t_e and p describe a mixture of experts: reading all routed experts takes t_e, and a token routes to
/// a share p of them, so a step of c sequences reads the share 1 − (1 − p)^c (p at one sequence, nearly all of them
/// at large batches). Output tokens/s at concurrency c: <c>X(c) = c·O / (TTFT(c) + O·ITL(c))</c>.
/// </summary>
public sealed record ThroughputProfile(
    string Model,
    string Gpu,
    int Gpus,
    string Dtype,
    double WeightStepMs,
    double PerSequenceStepMs,
    int ReferenceContextTokens,
    double TtftSeconds,
    double TtftPerSequenceSeconds,
    int ReferenceInputTokens,
    bool Derived,
    string Source,
    double ExpertStepMs = 0,
    double ExpertTokenShare = 0)
{
    /// <summary>Inter-token latency in seconds at concurrency <paramref name="concurrency"/>.</summary>
    public double InterTokenLatency(double concurrency, int input, int output) =>
        (WeightStepMs + ExpertReadMs(concurrency) + (PerSequenceStepMs * (input + (output / 2.0)) / ReferenceContextTokens * concurrency)) / 1000.0;

    /// <summary>Milliseconds a step of <paramref name="concurrency"/> sequences spends reading the experts they route to.</summary>
    public double ExpertReadMs(double concurrency) =>
        ExpertStepMs <= 0 ? 0 : ExpertStepMs * (1 - Math.Pow(1 - Math.Clamp(ExpertTokenShare, 0, 1), Math.Max(1, concurrency)));

    /// <summary>Time to first token in seconds.</summary>
    public double TimeToFirstToken(double concurrency, int input) =>
        (TtftSeconds + (TtftPerSequenceSeconds * Math.Max(0, concurrency - 1))) * input / ReferenceInputTokens;

    /// <summary>Output tokens per second of one replica.</summary>
    public double OutputTokensPerSecond(double concurrency, int input, int output) =>
        concurrency * output / (TimeToFirstToken(concurrency, input) + (output * InterTokenLatency(concurrency, input, output)));

    /// <summary>Seconds one request occupies a sequence slot.</summary>
    public double RequestSeconds(double concurrency, int input, int output) =>
        TimeToFirstToken(concurrency, input) + (output * InterTokenLatency(concurrency, input, output));
}

/// <summary>Built-in profiles, measured where a public measurement exists and derived from the hardware otherwise.</summary>
public static class ThroughputProfiles
{
    /// <summary>NVIDIA NIM, Llama-3.3-70B FP8 on 2×H100, 5,000 input / 500 output tokens (DOMAIN.md §3).</summary>
    public static ThroughputProfile Llama70BFp8On2xH100 { get; } = new(
        "Llama-3.3-70B", "H100-80GB", 2, "fp8", 17.7, 0.84, 5_250, 0.41, 0.42 / 49, 5_000, Derived: false,
        "NVIDIA NIM benchmark, Llama-3.3-70B FP8 on 2×H100, 5000/500 tokens: ITL 18.6 ms at 1 to 92.9 ms at 100; TTFT 0.41 s at 1, 0.83 s at 50");

    private static readonly ThroughputProfile[] Measured = [Llama70BFp8On2xH100];

    /// <summary>
    /// The measured profile for this model, GPU, GPU count and weight dtype (Llama-3.1-70B and 3.3-70B share one
    /// architecture), or one derived from the hardware, per engine of <paramref name="gpus"/> GPUs, tp of them tensor
    /// parallel and the rest pipeline parallel:
    /// t_w = weight bytes read per token / (0.6 × bandwidth × tp), where a mixture of experts reads its active share
    /// (active / total parameters); k = 2 × KV bytes per GPU of the reference context / (0.6 × bandwidth), with the
    /// per-GPU KV layout (KV heads per rank and their replication, MLA latents, windows);
    /// ttft₁ = 2 × active parameters × prompt / (0.4 × dense TFLOPS × tp), TFLOPS doubled for fp8 weights on fp8
    /// hardware; s = ttft₁ / 50. The factors are calibrated on the measured 70B profile. Pipeline parallelism adds
    /// memory, not speed: a token passes the stages one after another, each reading its share of the weights, and
    /// vLLM keeps pp batches in flight to fill the pipeline (<c>VllmConfig.max_concurrent_batches</c>,
    /// <c>EngineCore.step_with_batch_queue</c>), so a sequence waits for all stages per token while the concurrency
    /// is split over pp batches (which leaves the KV term as c × k of one stage). <c>tensorParallel</c> is the
    /// engine's tensor-parallel size; all of <c>gpus</c> when null.
    /// </summary>
    public static ThroughputProfile? For(ModelArchitecture? architecture, string modelName, GpuKind gpu, int gpus, Quantization quantization, KvCacheDtype kvDtype, IEnumerable<ThroughputProfile>? userProfiles = null, int? tensorParallel = null)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        var dtype = architecture is null
            ? quantization == Quantization.Fp8 ? "fp8" : quantization is Quantization.Awq or Quantization.Gptq or Quantization.AwqMarlin or Quantization.GptqMarlin ? "int4" : "bf16"
            : DtypeLabel(KvCacheBudget.LoadedFormat(architecture, quantization));
        var family = modelName.Replace("Llama-3.1-70B", "Llama-3.3-70B", StringComparison.Ordinal);
        var match = (userProfiles ?? []).Concat(Measured).FirstOrDefault(p =>
            string.Equals(p.Model.Replace("Llama-3.1-70B", "Llama-3.3-70B", StringComparison.Ordinal), family, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Gpu, gpu.Name, StringComparison.OrdinalIgnoreCase) && p.Gpus == gpus && string.Equals(p.Dtype, dtype, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        if (architecture is null || gpus <= 0 || gpu.MemoryBandwidthGBps <= 0 || gpu.DenseTflopsBf16 <= 0 || !(architecture.ParametersBillions > 0))
        {
            return null;
        }

        const int referenceContext = 1_000;
        const int referenceInput = 1_000;
        var tp = Math.Clamp(tensorParallel ?? gpus, 1, gpus);
        var perGpuBandwidth = 0.6 * gpu.MemoryBandwidthGBps * 1e9;
        var weights = KvCacheBudget.WeightBytesOf(architecture, quantization);
        var (denseBytes, expertBytes, share) = ExpertSplit(architecture, quantization, weights);
        var weightStepMs = denseBytes / (perGpuBandwidth * tp) * 1000;
        var expertStepMs = expertBytes / (perGpuBandwidth * tp) * 1000;
        // The layers a decode step reads: the hybrid manager's padding layers are allocated, never read.
        var layout = KvCacheLayout.For(architecture, tp, Math.Max(1, gpus / tp), kvDtype, padGroups: false);
        var perSequenceMs = 2 * layout.BytesForRequest(referenceContext, 1) / perGpuBandwidth * 1000;
        var fp8Weights = dtype == "fp8" && gpu.SupportsFp8;
        var tflops = gpu.DenseTflopsBf16 * (fp8Weights ? 2 : 1);
        var ttft = 2 * architecture.ActiveParameters * 1e9 * referenceInput / (0.4 * tflops * 1e12 * tp);
        var active = architecture.ActiveParametersBillions is { } a ? $"{a} B active of {architecture.ParametersBillions} B" : $"{architecture.ParametersBillions} B";
        return new ThroughputProfile(modelName, gpu.Name, gpus, dtype, weightStepMs, perSequenceMs, referenceContext, ttft, ttft / 50, referenceInput, Derived: true,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"derived from {gpu.Name} bandwidth ({gpu.MemoryBandwidthGBps} GB/s) and {gpu.DenseTflopsBf16} TFLOPS with {active} parameters"),
            expertStepMs, share);
    }

    /// <summary>
    /// Bytes every decode step reads (attention, shared layers, embeddings) and bytes of routed experts, with the share
    /// of experts one token routes to: (active − dense) / experts. Without a known expert size a mixture of experts is
    /// read at its active share, which holds at one sequence and is optimistic at large batches.
    /// </summary>
    private static (double Dense, double Experts, double Share) ExpertSplit(ModelArchitecture architecture, Quantization quantization, double weights)
    {
        if (architecture.ActiveParametersBillions is not { } active || active >= architecture.ParametersBillions)
        {
            return (weights, 0, 0);
        }

        if (architecture.ExpertParametersBillions is not { } experts || experts <= 0 || experts >= architecture.ParametersBillions)
        {
            return (weights * active / architecture.ParametersBillions, 0, 0);
        }

        var format = KvCacheBudget.LoadedFormat(architecture, quantization);
        var expertBytes = Math.Min(weights, experts * 1e9 * format.BytesPerParameter());
        var dense = architecture.ParametersBillions - experts;
        var share = Math.Clamp((active - dense) / experts, 0, 1);
        return (weights - expertBytes, expertBytes, share);
    }

    private static string DtypeLabel(WeightDtype format) => format switch
    {
        WeightDtype.Fp8 => "fp8",
        WeightDtype.Int4 => "int4",
        WeightDtype.Int8 => "int8",
        WeightDtype.Mxfp4 => "mxfp4",
        WeightDtype.Nvfp4 => "nvfp4",
        WeightDtype.Float16 => "fp16",
        WeightDtype.Float32 => "fp32",
        _ => "bf16",
    };
}
