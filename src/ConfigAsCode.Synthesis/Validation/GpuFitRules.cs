using System;
using System.Collections.Generic;
using System.Globalization;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC3xxx: memory, KV cache, parallelism, context length, token budgets and shared memory.</summary>
internal static class GpuFitRules
{
    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.GpuMemoryUtilizationOutOfRange, c =>
        {
            if (c.Deployment.Engine is VllmEngine v && !(v.GpuMemoryUtilization > 0 && v.GpuMemoryUtilization <= 1))
            {
                c.Report("Engine.GpuMemoryUtilization", $"gpu-memory-utilization is {Format(v.GpuMemoryUtilization)}; vLLM accepts (0, 1]. Use 0.90.");
            }
        }),
        new(RuleCatalog.GpuMemoryUtilizationTooHigh, c =>
        {
            if (c.Deployment.Engine is VllmEngine v && v.GpuMemoryUtilization >= c.Options.MaxGpuMemoryUtilization && v.GpuMemoryUtilization <= 1)
            {
                c.Report("Engine.GpuMemoryUtilization", $"gpu-memory-utilization {Format(v.GpuMemoryUtilization)} is at or above {Format(c.Options.MaxGpuMemoryUtilization)}: warm-up and CUDA-graph capture can run out of memory and the allocator fragments. Use 0.90.");
            }
        }),
        new(RuleCatalog.ParallelismGpuMismatch, c =>
        {
            var gpus = c.Deployment.Accelerator?.Count ?? 0;
            switch (c.Deployment.Engine)
            {
                case VllmEngine v when v.TensorParallelSize <= 0 || v.PipelineParallelSize <= 0:
                    c.Report("Engine.TensorParallelSize", $"tensor ({v.TensorParallelSize}) and pipeline ({v.PipelineParallelSize}) parallel sizes below 1 are refused by vLLM. Set both to at least 1, with their product equal to the GPU count ({gpus}).");
                    break;
                case VllmEngine v when gpus > 0 && v.TensorParallelSize * v.PipelineParallelSize != gpus:
                    c.Report("Engine.TensorParallelSize", $"tensor x pipeline parallel = {v.TensorParallelSize} x {v.PipelineParallelSize} = {v.TensorParallelSize * v.PipelineParallelSize}, but the replica has {gpus} GPUs: vLLM refuses to start or leaves GPUs idle. Set TensorParallelSize = {gpus / Math.Max(1, v.PipelineParallelSize)}.");
                    break;
                case TgiEngine t when t.NumShard <= 0 || (gpus > 0 && t.NumShard != gpus):
                    c.Report("Engine.NumShard", $"num-shard is {t.NumShard} but the replica has {gpus} GPUs. Set NumShard = {Math.Max(1, gpus)}.");
                    break;
            }
        }),
        new(RuleCatalog.TensorParallelHeadsMismatch, c =>
        {
            var tp = c.Deployment.Engine switch
            {
                VllmEngine v => v.TensorParallelSize,
                TgiEngine t => t.NumShard,
                _ => 1,
            };
            if (tp <= 1)
            {
                return;
            }

            if (c.Architecture is not { } a)
            {
                c.Undecided("Engine.TensorParallelSize", $"the model's head counts are unknown, so tensor parallel {tp} cannot be checked. Declare Model.Architecture.");
                return;
            }

            if (a.AttentionHeads % tp != 0)
            {
                c.Report("Engine.TensorParallelSize", $"tensor parallel {tp} does not divide the {a.AttentionHeads} attention heads; the engine refuses to start. Use a divisor of {a.AttentionHeads}.");
            }
            else if (a.KvHeads >= tp ? a.KvHeads % tp != 0 : tp % a.KvHeads != 0)
            {
                c.Report("Engine.TensorParallelSize", $"tensor parallel {tp} and the {a.KvHeads} KV heads cannot be split evenly (one must divide the other). Use a divisor of {a.KvHeads}, or a multiple of it.");
            }
        }),
        new(RuleCatalog.SharedMemoryMissing, c =>
        {
            var gpusPerInstance = c.Deployment.Engine?.GpusPerInstance ?? 1;
            if (gpusPerInstance > 1 && c.Deployment.Resources?.SharedMemoryMiB is not > 0)
            {
                c.Report("Resources.SharedMemoryMiB", $"the instance spans {gpusPerInstance} GPUs and NCCL exchanges tensors through /dev/shm, which is 64 MiB by default: expect bus errors or hangs. Set Resources.SharedMemoryMiB, for example 16384.");
            }
        }),
        new(RuleCatalog.ContextLengthExceedsModel, c =>
        {
            var (requested, path) = c.Deployment.Engine switch
            {
                VllmEngine v => (v.MaxModelLen, "Engine.MaxModelLen"),
                TgiEngine t => (t.MaxTotalTokens, "Engine.MaxTotalTokens"),
                _ => ((int?)null, string.Empty),
            };
            if (requested is null)
            {
                return;
            }

            if (requested <= 0)
            {
                c.Report(path, $"a context length of {requested} is refused by the engine. Set it to a positive number of tokens, or leave it unset for the model's full context.");
            }
            else if (c.Architecture is not { } a)
            {
                c.Undecided(path, "the model's maximum context is unknown. Declare Model.Architecture.");
            }
            else if (requested > a.MaxContextTokens)
            {
                c.Report(path, $"{requested} tokens exceed the model's maximum context of {a.MaxContextTokens}; the engine refuses to start. Use at most {a.MaxContextTokens}.");
            }
        }),
        new(RuleCatalog.KvCacheTooSmall, c =>
        {
            if (c.Deployment.Engine is not VllmEngine v || c.Deployment.Accelerator?.Gpu is not { } gpu || !ParametersValid(v))
            {
                return;
            }

            if (c.Architecture is not { } a)
            {
                c.Undecided("Engine.MaxModelLen", "the model's size and KV layout are unknown, so GPU memory fit cannot be checked. Declare Model.Architecture.");
                return;
            }

            var budget = KvCacheBudget.ForVllm(a, v, gpu, c.Options.ActivationOverheadGiBPerGpu);
            var sequence = v.MaxModelLen ?? a.MaxContextTokens;
            if (budget.KvBytes <= 0)
            {
                c.Report("Accelerator", $"the weights ({GiB(budget.WeightBytes)} GiB) and activations ({GiB(budget.OverheadBytes)} GiB) exceed the {GiB(budget.UsableBytes)} GiB that gpu-memory-utilization {Format(v.GpuMemoryUtilization)} allows on {budget.Gpus} x {gpu.Name}: nothing is left for the KV cache. Use more or larger GPUs, or quantize.");
            }
            else if (budget.TokenCapacity < sequence)
            {
                c.Report("Engine.MaxModelLen", $"the KV cache holds {budget.TokenCapacity} tokens ({GiB(budget.KvBytes)} GiB at {budget.BytesPerToken / 1024} KiB/token) but one sequence may be {sequence} tokens; vLLM refuses to start. Set MaxModelLen to at most {budget.TokenCapacity}, use an fp8 KV cache, or add GPUs.");
            }
        }),
        new(RuleCatalog.ConcurrencyExceedsKvBudget, c =>
        {
            if (c.Deployment.Engine is not VllmEngine v || c.Deployment.Accelerator?.Gpu is not { } gpu || !ParametersValid(v))
            {
                return;
            }

            if (c.Architecture is not { } a)
            {
                c.Undecided("Engine.MaxNumSeqs", "the model's KV layout is unknown, so concurrency cannot be compared with the KV budget. Declare Model.Architecture.");
                return;
            }

            if (c.Deployment.Load is not { InputTokens: > 0, OutputTokens: > 0 } load)
            {
                c.Undecided("Engine.MaxNumSeqs", "no expected load is declared, so the sequence length that sizes concurrency is unknown. Declare Load with input and output tokens.");
                return;
            }

            var budget = KvCacheBudget.ForVllm(a, v, gpu, c.Options.ActivationOverheadGiBPerGpu);
            var perSequence = (long)load.InputTokens + load.OutputTokens;
            var kvBound = budget.TokenCapacity / perSequence;
            var maxNumSeqs = v.MaxNumSeqs ?? EngineDefaults.VllmMaxNumSeqs(gpu);
            if (kvBound == 0)
            {
                c.Report("Engine.MaxNumSeqs", $"one request of {perSequence} tokens does not fit the {budget.TokenCapacity}-token KV cache, so no concurrency is possible for the expected load. Shorten the requests, use an fp8 KV cache, or add GPUs.");
            }
            else if (maxNumSeqs > c.Options.ConcurrencyKvFactor * kvBound)
            {
                c.Report("Engine.MaxNumSeqs", $"max-num-seqs {maxNumSeqs} is over {Format(c.Options.ConcurrencyKvFactor)}x the {kvBound} sequences of {perSequence} tokens the KV cache holds: the scheduler preempts and recomputes instead of batching. Set MaxNumSeqs near {kvBound}.");
            }
        }),
        new(RuleCatalog.ModelArchitectureUnknown, c =>
        {
            if (c.Architecture is null && c.Deployment.Engine is VllmEngine or TgiEngine)
            {
                c.Report("Model.Architecture", $"'{c.Deployment.Model?.Id}' is not in the built-in catalog and declares no architecture, so memory fit, KV cache and tensor-parallel checks are undecided. Declare Model.Architecture from the model's config.json.");
            }
            else if (c.Architecture is { } a && (a.Layers <= 0 || a.AttentionHeads <= 0 || a.KvHeads <= 0 || a.HeadDim <= 0 || a.MaxContextTokens <= 0 || !(a.ParametersBillions > 0) || double.IsInfinity(a.ParametersBillions)))
            {
                c.Report("Model.Architecture", "the declared architecture has non-positive or non-finite values. Copy layers, heads, KV heads, head dim and max_position_embeddings from the model's config.json.");
            }
        }),
        new(RuleCatalog.TgiTokenBudgetInvalid, c =>
        {
            if (c.Deployment.Engine is not TgiEngine t)
            {
                return;
            }

            foreach (var (value, name) in new[] { (t.MaxInputTokens, "MaxInputTokens"), (t.MaxTotalTokens, "MaxTotalTokens"), (t.MaxBatchPrefillTokens, "MaxBatchPrefillTokens"), (t.MaxBatchTotalTokens, "MaxBatchTotalTokens") })
            {
                if (value is <= 0)
                {
                    c.Report("Engine." + name, $"{name} is {value}; TGI refuses a budget below 1. Set it to a positive number of tokens.");
                    return;
                }
            }

            if (t.MaxInputTokens is { } input && t.MaxTotalTokens is { } total && input >= total)
            {
                c.Report("Engine.MaxInputTokens", $"max-input-tokens ({input}) is not below max-total-tokens ({total}), leaving no room for output; TGI refuses to start. Lower MaxInputTokens or raise MaxTotalTokens.");
            }

            if (t.MaxTotalTokens is { } total2 && t.MaxBatchTotalTokens is { } batchTotal && total2 > batchTotal)
            {
                c.Report("Engine.MaxBatchTotalTokens", $"max-batch-total-tokens ({batchTotal}) is below max-total-tokens ({total2}): one request cannot fit a batch. Raise MaxBatchTotalTokens to at least {total2}.");
            }

            if (t.MaxInputTokens is { } input2 && t.MaxBatchPrefillTokens is { } prefill && input2 > prefill)
            {
                c.Report("Engine.MaxBatchPrefillTokens", $"max-batch-prefill-tokens ({prefill}) is below max-input-tokens ({input2}): the longest prompt cannot be prefilled. Raise MaxBatchPrefillTokens to at least {input2}.");
            }

            if (t.MaxBatchPrefillTokens is { } prefill2 && t.MaxBatchTotalTokens is { } batchTotal2 && prefill2 > batchTotal2)
            {
                c.Report("Engine.MaxBatchPrefillTokens", $"max-batch-prefill-tokens ({prefill2}) exceeds max-batch-total-tokens ({batchTotal2}); TGI refuses to start. Lower MaxBatchPrefillTokens to at most {batchTotal2}.");
            }
        }),
        new(RuleCatalog.GpuCountInvalid, c =>
        {
            var accelerator = c.Deployment.Accelerator;
            if (accelerator is null || accelerator.Gpu is null)
            {
                c.Report("Accelerator", "no GPU is declared. Set Accelerator = new() { Gpu = GpuCatalog.L4, Count = 1 }.");
            }
            else if (accelerator.Count <= 0)
            {
                c.Report("Accelerator.Count", $"{accelerator.Count} GPUs of {accelerator.Gpu.Name} per replica cannot run an engine. Set Accelerator.Count to at least 1.");
            }
            else if (accelerator.Gpu.MemoryMiB <= 0)
            {
                c.Report("Accelerator.Gpu.MemoryMiB", $"GPU '{accelerator.Gpu.Name}' declares {accelerator.Gpu.MemoryMiB} MiB of memory. Use a GpuCatalog entry or the real figure from nvidia-smi.");
            }
        }),
        new(RuleCatalog.Fp8WithoutHardwareSupport, c =>
        {
            if (c.Deployment.Accelerator?.Gpu is not { SupportsFp8: false } gpu)
            {
                return;
            }

            switch (c.Deployment.Engine)
            {
                case VllmEngine { Quantization: Quantization.Fp8 }:
                    c.Report("Engine.Quantization", $"{gpu.Name} has no fp8 tensor cores: fp8 weights run through weight-only kernels and throughput is lower than planned. Use a Hopper or Ada GPU, or AWQ/GPTQ.");
                    break;
                case VllmEngine { KvCacheDtype: not KvCacheDtype.Auto }:
                    c.Report("Engine.KvCacheDtype", $"{gpu.Name} has no fp8 tensor cores: an fp8 KV cache saves memory but is dequantized in software. Check the throughput profile, or use a Hopper or Ada GPU.");
                    break;
                case TgiEngine { Quantization: Quantization.Fp8 }:
                    c.Report("Engine.Quantization", $"{gpu.Name} has no fp8 tensor cores. Use a Hopper or Ada GPU, or AWQ/GPTQ.");
                    break;
            }
        }),
    ];

    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
    [
        new(RuleCatalog.SharedGpuOversubscribed, (deployments, _, report) =>
        {
            var groups = new SortedDictionary<(string Environment, string Group), List<InferenceDeployment>>();
            foreach (var d in deployments)
            {
                if (d.Accelerator?.SharedGpuGroup is { Length: > 0 } group && d.Engine is VllmEngine && d.Environment is not null)
                {
                    var key = (d.Environment.Name, group);
                    if (!groups.TryGetValue(key, out var members))
                    {
                        groups[key] = members = [];
                    }

                    members.Add(d);
                }
            }

            foreach (var ((_, group), members) in groups)
            {
                var sum = 0.0;
                foreach (var member in members)
                {
                    sum += ((VllmEngine)member.Engine).GpuMemoryUtilization;
                }

                if (sum > 1.0 + 1e-9)
                {
                    var names = string.Join(", ", members.ConvertAll(m => $"{m.Name} ({Format(((VllmEngine)m.Engine).GpuMemoryUtilization)})"));
                    foreach (var member in members)
                    {
                        report(member, "Engine.GpuMemoryUtilization", $"shared GPU group '{group}' sums to {Format(Math.Round(sum, 4))} > 1: {names}. The last instance to start runs out of memory. Lower the utilisations so they sum to at most 1.");
                    }
                }
            }
        }),
    ];

    internal static bool ParametersValid(VllmEngine v) =>
        v.GpuMemoryUtilization > 0 && v.GpuMemoryUtilization <= 1 && v.TensorParallelSize > 0 && v.PipelineParallelSize > 0;

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string GiB(double bytes) => (bytes / KvCacheBudget.BytesPerGiB).ToString("0.##", CultureInfo.InvariantCulture);
}
