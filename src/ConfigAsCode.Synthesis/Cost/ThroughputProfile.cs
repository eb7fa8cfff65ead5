using System;
using System.Collections.Generic;
using System.Linq;
using ConfigAsCode.Synthesis.Gpu;

namespace ConfigAsCode.Synthesis.Cost;

/// <summary>
/// The decode model of DOMAIN.md §3 for one model × GPU × parallelism × dtype: inter-token latency
/// <c>ITL(c) = t_w + k·c</c> and time to first token <c>TTFT(c) = ttft₁ + s·(c−1)</c>, with k scaled by the context
/// length and TTFT by the prompt length, relative to the reference the parameters were measured at.
/// Output tokens/s at concurrency c: <c>X(c) = c·O / (TTFT(c) + O·ITL(c))</c>.
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
    string Source)
{
    /// <summary>Inter-token latency in seconds at concurrency <paramref name="concurrency"/>.</summary>
    public double InterTokenLatency(double concurrency, int input, int output) =>
        (WeightStepMs + (PerSequenceStepMs * (input + (output / 2.0)) / ReferenceContextTokens * concurrency)) / 1000.0;

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
    /// architecture), or one derived from the hardware: t_w = weight bytes / (0.6 × bandwidth × GPUs);
    /// k = 2 × KV bytes of the reference context / (0.6 × bandwidth × GPUs); ttft₁ = 2 × parameters × prompt /
    /// (0.4 × dense TFLOPS × GPUs); s = ttft₁ / 50. The factors are calibrated on the measured 70B profile.
    /// </summary>
    public static ThroughputProfile? For(ModelArchitecture? architecture, string modelName, GpuKind gpu, int gpus, Quantization quantization, KvCacheDtype kvDtype, IEnumerable<ThroughputProfile>? userProfiles = null)
    {
        var dtype = quantization == Quantization.Fp8 ? "fp8" : quantization is Quantization.Awq or Quantization.Gptq ? "int4" : "bf16";
        var family = modelName.Replace("Llama-3.1-70B", "Llama-3.3-70B", StringComparison.Ordinal);
        var match = (userProfiles ?? []).Concat(Measured).FirstOrDefault(p =>
            string.Equals(p.Model.Replace("Llama-3.1-70B", "Llama-3.3-70B", StringComparison.Ordinal), family, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Gpu, gpu.Name, StringComparison.OrdinalIgnoreCase) && p.Gpus == gpus && string.Equals(p.Dtype, dtype, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        if (architecture is null || gpus <= 0 || gpu.MemoryBandwidthGBps <= 0 || gpu.DenseTflopsBf16 <= 0)
        {
            return null;
        }

        const int referenceContext = 1_000;
        const int referenceInput = 1_000;
        var bandwidth = 0.6 * gpu.MemoryBandwidthGBps * 1e9 * gpus;
        var weightStepMs = KvCacheBudget.WeightBytesOf(architecture, quantization) / bandwidth * 1000;
        var kvBytes = KvCacheBudget.KvBytesPerToken(architecture, kvDtype) * (double)referenceContext;
        var perSequenceMs = 2 * kvBytes / bandwidth * 1000;
        var tflops = gpu.DenseTflopsBf16 * (quantization == Quantization.Fp8 && gpu.SupportsFp8 ? 2 : 1);
        var ttft = 2 * architecture.ParametersBillions * 1e9 * referenceInput / (0.4 * tflops * 1e12 * gpus);
        return new ThroughputProfile(modelName, gpu.Name, gpus, dtype, weightStepMs, perSequenceMs, referenceContext, ttft, ttft / 50, referenceInput, Derived: true,
            $"derived from {gpu.Name} bandwidth ({gpu.MemoryBandwidthGBps} GB/s) and {gpu.DenseTflopsBf16} TFLOPS with {architecture.ParametersBillions} B parameters");
    }
}
