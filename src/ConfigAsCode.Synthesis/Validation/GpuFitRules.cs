using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
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
                c.Report("Engine.GpuMemoryUtilization", $"gpu-memory-utilization is {Format(v.GpuMemoryUtilization)}; vLLM accepts (0, 1]. {UtilizationAdvice(c.Options.MaxGpuMemoryUtilization)}");
            }
        }),
        new(RuleCatalog.GpuMemoryUtilizationTooHigh, c =>
        {
            if (c.Deployment.Engine is VllmEngine v && v.GpuMemoryUtilization >= c.Options.MaxGpuMemoryUtilization && v.GpuMemoryUtilization <= 1)
            {
                c.Report("Engine.GpuMemoryUtilization", $"gpu-memory-utilization {Format(v.GpuMemoryUtilization)} is at or above {Format(c.Options.MaxGpuMemoryUtilization)}: warm-up and CUDA-graph capture can run out of memory and the allocator fragments. {UtilizationAdvice(c.Options.MaxGpuMemoryUtilization)}");
            }
        }),
        new(RuleCatalog.ParallelismGpuMismatch, c =>
        {
            var accelerator = c.Deployment.Accelerator;
            var nodes = accelerator?.Nodes ?? 1;
            var gpus = nodes > 0 ? accelerator?.GpusPerReplica ?? 0 : 0;
            switch (c.Deployment.Engine)
            {
                case VllmEngine v when v.TensorParallelSize <= 0 || v.PipelineParallelSize <= 0 || v.DataParallelSize <= 0:
                    c.Report(v.DataParallelSize <= 0 ? "Engine.DataParallelSize" : "Engine.TensorParallelSize", $"tensor ({v.TensorParallelSize}), pipeline ({v.PipelineParallelSize}) and data ({v.DataParallelSize}) parallel sizes below 1 are refused by vLLM. Set each to at least 1, with their product equal to the GPU count ({gpus}).");
                    break;
                case VllmEngine v when gpus > 0 && (long)v.TensorParallelSize * v.PipelineParallelSize * v.DataParallelSize != gpus:
                    var parts = v.DataParallelSize > 1 ? $"tensor x pipeline x data parallel = {v.TensorParallelSize} x {v.PipelineParallelSize} x {v.DataParallelSize}" : $"tensor x pipeline parallel = {v.TensorParallelSize} x {v.PipelineParallelSize}";
                    var product = (long)v.TensorParallelSize * v.PipelineParallelSize * v.DataParallelSize;
                    c.Report("Engine.TensorParallelSize", nodes > 1
                        ? $"{parts} = {product}, but the replica has {nodes} nodes x {accelerator!.Count} GPUs = {gpus}: vLLM refuses to start or leaves GPUs idle. Keep tensor parallel inside a node and let pipeline parallel span the nodes: TensorParallelSize = {accelerator.Count}, PipelineParallelSize = {nodes}."
                        : $"{parts} = {product}, but the replica has {gpus} GPUs: vLLM refuses to start or leaves GPUs idle. Set TensorParallelSize = {gpus / Math.Max(1, (long)v.PipelineParallelSize * v.DataParallelSize)}.");
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
            else if (!a.EffectiveLayerGroups.Any(g => g.Kind == AttentionKind.Mla) && (a.KvHeads >= tp ? a.KvHeads % tp != 0 : tp % a.KvHeads != 0))
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

            if (c.Deployment.Engine is VllmEngine { IsMaxModelLenAuto: true })
            {
                return;
            }

            if (requested <= 0)
            {
                c.Report(path, c.Deployment.Engine is VllmEngine
                    ? $"a context length of {requested} is refused by the engine. Set it to a positive number of tokens, VllmEngine.MaxModelLenAuto for the longest that fits, or leave it unset for the model's full context."
                    : $"a context length of {requested} is refused by the engine. Set it to a positive number of tokens, or leave it unset for the model's full context.");
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
            if (c.Deployment.Engine is not VllmEngine v || c.Deployment.Accelerator?.Gpu is not { MemoryMiB: > 0 } gpu || !GpuFitEstimate.EngineSettingsValid(v) || v.MaxModelLen is <= 0 and not VllmEngine.MaxModelLenAuto)
            {
                if (c.Deployment.Engine is VllmEngine { KvCacheMemoryBytes: <= 0 } declared)
                {
                    c.Report("Engine.KvCacheMemoryBytes", $"kv-cache-memory-bytes must be positive, not {declared.KvCacheMemoryBytes}. Remove it to let gpu-memory-utilization size the KV cache.");
                }

                return;
            }

            if (c.Architecture is null || c.GpuFit is not { } fit)
            {
                c.Undecided("Engine.MaxModelLen", "the model's size and KV layout are unknown (or invalid, CAC3010), so GPU memory fit cannot be checked. Declare Model.Architecture.");
                return;
            }

            var b = fit.Budget;
            var where = $"{gpu.Name} ({Layout(b)})";
            if (!fit.NonKvFits)
            {
                c.Report("Accelerator", b.KvFromDeclaredBytes
                    ? $"on each GPU the weights ({GiB(b.WeightBytes)} GiB), activations ({GiB(b.ActivationBytes)} GiB, estimated) and runtime overhead ({GiB(b.OverheadBytes)} GiB) plus kv-cache-memory-bytes ({GiB(b.KvBytes)} GiB) exceed the {GiB(b.GpuBytes)} GiB of {where}: the engine runs out of memory at start. Lower KvCacheMemoryBytes, use more or larger GPUs, or quantize."
                    : $"on each GPU the weights ({GiB(b.WeightBytes)} GiB), activations ({GiB(b.ActivationBytes)} GiB, estimated) and runtime overhead ({GiB(b.OverheadBytes)} GiB) exceed the {GiB(b.UsableBytes)} GiB that gpu-memory-utilization {Format(v.GpuMemoryUtilization)} allows on {where}: nothing is left for the KV cache. Use more or larger GPUs, or quantize.");
            }
            else if (!fit.MaxModelLenFits)
            {
                var longest = fit.LongestFittingRequest;
                var advice = longest > 0 ? $"Set MaxModelLen to at most {longest} (or VllmEngine.MaxModelLenAuto), use an fp8 KV cache, or add GPUs." : "Use more or larger GPUs, or quantize.";
                c.Report("Engine.MaxModelLen", $"one sequence of {fit.MaxModelLen} tokens needs {GiB(fit.BytesForMaxModelLen)} GiB of KV cache on each GPU ({PerToken(b)}), but each GPU of {where} has {GiB(b.KvBytes)} GiB for it after {GiB(b.WeightBytes)} GiB of weights; vLLM refuses to start. {advice}");
            }
        }),
        new(RuleCatalog.ConcurrencyExceedsKvBudget, c =>
        {
            if (c.Deployment.Engine is not VllmEngine v || c.Deployment.Accelerator?.Gpu is null || !GpuFitEstimate.EngineSettingsValid(v))
            {
                return;
            }

            if (c.Architecture is null || c.GpuFit is not { } fit)
            {
                c.Undecided("Engine.MaxNumSeqs", "the model's KV layout is unknown, so concurrency cannot be compared with the KV budget. Declare Model.Architecture.");
                return;
            }

            if (fit.RequestTokens is not { } perSequence || fit.RequestsPerEngine is not { } kvBound)
            {
                c.Undecided("Engine.MaxNumSeqs", "no expected load is declared, so the sequence length that sizes concurrency is unknown. Declare Load with input and output tokens.");
                return;
            }

            if (!fit.NonKvFits)
            {
                return;
            }

            var maxNumSeqs = fit.Batching.MaxNumSeqs;
            if (kvBound == 0)
            {
                c.Report("Engine.MaxNumSeqs", $"one request of {perSequence} tokens needs {GiB(fit.Budget.Layout.BytesForRequest(perSequence, fit.Batching.MaxNumBatchedTokens))} GiB of KV cache per GPU but each GPU has {GiB(fit.Budget.KvBytes)} GiB, so no concurrency is possible for the expected load. Shorten the requests, use an fp8 KV cache, or add GPUs.");
            }
            else if (maxNumSeqs > c.Options.ConcurrencyKvFactor * kvBound)
            {
                c.Report("Engine.MaxNumSeqs", $"max-num-seqs {maxNumSeqs} is over {Format(c.Options.ConcurrencyKvFactor)}x the {kvBound} sequences of {perSequence} tokens the KV cache of one engine holds ({PerToken(fit.Budget)}): the scheduler preempts and recomputes instead of batching. Set MaxNumSeqs near {kvBound}.");
            }
        }),
        new(RuleCatalog.ModelArchitectureUnknown, c =>
        {
            if (c.Architecture is null && c.Deployment.Engine is VllmEngine or TgiEngine)
            {
                var near = NearestNames.Of(c.Deployment.Model?.Id, ModelCatalog.All.SelectMany(m => m.Ids));
                var suggestion = near.Count > 0 ? $" Did you mean {string.Join(" or ", near.Select(n => $"'{n}'"))}? A misspelt id also ships as the pods' model label and in the engine's --model." : string.Empty;
                c.Report("Model.Architecture", $"'{c.Deployment.Model?.Id}' is not in the built-in catalog and declares no architecture, so memory fit, KV cache and tensor-parallel checks are undecided.{suggestion} Declare Model.Architecture from the model's config.json (ModelArchitecture.FromConfigJson reads it), or correct the id.");
            }
            else if (c.Architecture is { } a && !GpuFitEstimate.ArchitectureValid(a))
            {
                var groups = a.LayerGroups is { } declared && declared.Sum(g => (long)(g?.Layers ?? 0)) != a.Layers
                    ? $" The layer groups add up to {declared.Sum(g => (long)(g?.Layers ?? 0))} layers, not {a.Layers}."
                    : string.Empty;
                c.Report("Model.Architecture", $"the declared architecture has non-positive, non-finite or inconsistent values.{groups} Copy layers, heads, KV heads, head dim, max_position_embeddings and the layer pattern from the model's config.json (ModelArchitecture.FromConfigJson reads it).");
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
            else if (accelerator.Nodes <= 0)
            {
                c.Report("Accelerator.Nodes", $"{accelerator.Nodes} nodes per replica: a replica runs on at least 1 node. Remove Nodes for a single-node replica.");
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
                case VllmEngine { KvCacheDtype: KvCacheDtype.Fp8 or KvCacheDtype.Fp8E4M3 or KvCacheDtype.Fp8E5M2 or KvCacheDtype.Fp8DsMla or KvCacheDtype.Fp8PerTokenHead }:
                    c.Report("Engine.KvCacheDtype", $"{gpu.Name} has no fp8 tensor cores: an fp8 KV cache saves memory but is dequantized in software. Check the throughput profile, or use a Hopper or Ada GPU.");
                    break;
                case TgiEngine { Quantization: Quantization.Fp8 }:
                    c.Report("Engine.Quantization", $"{gpu.Name} has no fp8 tensor cores. Use a Hopper or Ada GPU, or AWQ/GPTQ.");
                    break;
            }
        }),
        new(RuleCatalog.GpusExceedNode, c =>
        {
            if (c.Deployment.Accelerator is { Gpu: { GpusPerNode: > 0 } gpu, Count: var count } && count > gpu.GpusPerNode)
            {
                c.Report("Accelerator.Count", $"{count} x {gpu.Name} in one pod, but the largest common {gpu.Name} node has {gpu.GpusPerNode}: the pod never schedules, since Count is GPUs per node. Keep a pod within one node (tensor parallel inside the node) and span nodes with Accelerator.Nodes and pipeline parallelism, for example Count = {gpu.GpusPerNode}, Nodes = {(count + gpu.GpusPerNode - 1) / gpu.GpusPerNode}, or use a GPU with more memory.");
            }
        }),
        new(RuleCatalog.BatchedTokensBelowContext, c =>
        {
            if (c.Deployment.Engine is not VllmEngine v || v.MaxNumBatchedTokens is not > 0 || c.Deployment.Accelerator?.Gpu is not { } gpu
                || VllmVersion.Of(c.Deployment) is not { IsV0: true } version || v.IsMaxModelLenAuto)
            {
                return;
            }

            var maxModelLen = v.MaxModelLen is > 0 and var declared ? declared : c.Architecture?.MaxContextTokens;
            if (maxModelLen is not { } length)
            {
                c.Undecided("Engine.MaxNumBatchedTokens", $"vLLM {version} refuses max-num-batched-tokens below max-model-len without chunked prefill, and the model's context is unknown. Declare MaxModelLen or Model.Architecture.");
                return;
            }

            if (v.MaxNumBatchedTokens < length && !EngineDefaults.V0ChunkedPrefill(gpu, length, c.Architecture))
            {
                c.Report("Engine.MaxNumBatchedTokens", $"vLLM {version} runs the V0 engine, which leaves chunked prefill off here (it turns it on only above {EngineDefaults.V0LongContext} tokens of context, for models without sliding windows or MLA, on NVIDIA GPUs) and then refuses to start: \"max_num_batched_tokens ({v.MaxNumBatchedTokens}) is smaller than max_model_len ({length})\". Set MaxNumBatchedTokens to at least {length}, lower MaxModelLen, or move to vLLM 0.8 or later, whose V1 engine splits long prompts.");
            }
        }),
        new(RuleCatalog.VllmBatchLimitsInvalid, c =>
        {
            if (c.Deployment.Engine is not VllmEngine v)
            {
                return;
            }

            // A value left unset is the default vLLM picks on this GPU and release: V1 caps its default max-num-seqs
            // at max-num-batched-tokens, but a declared max-num-seqs above the default token budget (or V0's 256
            // sequences above a declared budget) is refused all the same.
            int? seqs = v.MaxNumSeqs, tokens = v.MaxNumBatchedTokens;
            string? seqsDefault = null, tokensDefault = null;
            if ((seqs is null) != (tokens is null) && seqs is not < 1 && tokens is not < 1 && c.Deployment.Accelerator?.Gpu is { } gpu)
            {
                var version = VllmVersion.Assumed(c.Deployment);
                var picked = EngineDefaults.ForVllm(v, gpu, version, v.MaxModelLen is > 0 and var length ? length : c.Architecture?.MaxContextTokens, c.Architecture);
                var where = VllmVersion.Of(c.Deployment) is null ? $"the default of vLLM {version} (the newest known release: the image does not say) on {gpu.Name}" : $"vLLM {version}'s default on {gpu.Name}";
                if (seqs is null)
                {
                    (seqs, seqsDefault) = (picked.MaxNumSeqs, where);
                }
                else
                {
                    (tokens, tokensDefault) = (picked.MaxNumBatchedTokens, where);
                }
            }

            foreach (var (property, message) in RuleFacts.ImpossibleVllmBatchLimits(seqs, tokens, seqsDefault, tokensDefault))
            {
                c.Report("Engine." + property, message);
            }
        }),
        new(RuleCatalog.SlowQuantizationKernel, c =>
        {
            if (c.Deployment.Engine is not VllmEngine { Quantization: Quantization.Awq or Quantization.Gptq } v || c.Deployment.Accelerator?.Gpu is not { } gpu)
            {
                return;
            }

            if (MarlinSupport(gpu) is not { } marlin)
            {
                c.Undecided("Accelerator.Gpu.ComputeCapability", $"{gpu.Name} declares no compute capability, so whether vLLM can run the {v.Quantization} checkpoint on its Marlin kernel is unknown. Set ComputeCapability on the GpuKind.");
            }
            else if (!marlin)
            {
                c.Report("Engine.Quantization", $"vLLM has no Marlin kernel on {gpu.Name} ({MarlinRequirement}), so the {v.Quantization} checkpoint runs on the plain {v.Quantization.ToString().ToLowerInvariant()} kernel: decode is up to ~10x slower than the throughput profile assumes (6.5 against 67.7 tokens/s measured at batch 1). Use an NVIDIA GPU of compute capability 8.0 or later, or an fp8 or bf16 checkpoint.");
            }
        }),
        new(RuleCatalog.RequestLongerThanContext, c =>
        {
            if (c.Deployment.Engine is not VllmEngine || c.GpuFit is not { RequestTokens: { } tokens, RequestFitsMaxModelLen: false } fit || (fit.MaxModelLenAuto && fit.MaxModelLen == 0))
            {
                return;
            }

            var why = fit.MaxModelLenAuto
                ? $"max-model-len auto gives {fit.MaxModelLen} tokens on {c.Deployment.Accelerator.Gpu.Name} ({Layout(fit.Budget)}): the longest request whose KV cache fits one GPU's {GiB(fit.Budget.KvBytes)} GiB"
                : $"the engine runs with max-model-len {fit.MaxModelLen}";
            c.Report("Engine.MaxModelLen", $"the expected load sends requests of {tokens} tokens ({c.Deployment.Load!.InputTokens} in + {c.Deployment.Load.OutputTokens} out), but {why}; vLLM rejects longer requests with HTTP 400. {(fit.MaxModelLenAuto ? "Add GPUs, use an fp8 KV cache, or shorten the requests." : $"Raise MaxModelLen to at least {tokens} (the KV cache holds {fit.LongestFittingRequest}), or shorten the requests.")}");
        }),
        new(RuleCatalog.EngineOptionUnsupported, c =>
        {
            if (c.Deployment.Engine is not VllmEngine v)
            {
                return;
            }

            if (v.IsMaxModelLenAuto && VllmVersion.Of(c.Deployment) is { } version && version < VllmVersion.MaxModelLenAuto)
            {
                c.Report("Engine.MaxModelLen", $"vLLM {version} does not accept --max-model-len auto, which arrived in {VllmVersion.MaxModelLenAuto} (vllm-project/vllm#29431): the engine refuses to start. Set MaxModelLen to a number, or use vLLM {VllmVersion.MaxModelLenAuto} or later.");
            }

            if (c.Deployment.Accelerator is { Nodes: > 1 } && VllmVersion.Of(c.Deployment) is { } multiNodeVersion && multiNodeVersion < VllmVersion.MultiNodeMultiprocessing)
            {
                c.Report("Accelerator.Nodes", $"vLLM {multiNodeVersion} cannot join {c.Deployment.Accelerator.Nodes} nodes without a Ray cluster: --nnodes, --node-rank, --master-addr and --headless, which the LeaderWorkerSet pods are started with, arrived in {VllmVersion.MultiNodeMultiprocessing} (vllm-project/vllm#23691), and the engine refuses the flags. Use vLLM {VllmVersion.MultiNodeMultiprocessing} or later.");
            }

            if (v.Quantization is Quantization.AwqMarlin or Quantization.GptqMarlin && c.Deployment.Accelerator?.Gpu is { } gpu && MarlinSupport(gpu) == false)
            {
                c.Report("Engine.Quantization", $"{v.Quantization} asks vLLM for the Marlin kernel, which {gpu.Name} cannot run ({MarlinRequirement}): the engine refuses to start. Use Quantization.{(v.Quantization == Quantization.AwqMarlin ? "Awq" : "Gptq")} to let vLLM pick the kernel this GPU has, or an Ampere or newer NVIDIA GPU.");
            }
        }),
        new(RuleCatalog.TensorParallelSpansNodes, c =>
        {
            if (c.Deployment.Engine is not VllmEngine { TensorParallelSize: > 0 and var tp } v
                || c.Deployment.Accelerator is not { Nodes: > 1 and var nodes, Count: > 0 and var perNode, Gpu: { } gpu, Interconnect: NodeInterconnect.Network })
            {
                return;
            }

            if (tp > perNode || perNode % tp != 0)
            {
                var within = tp > perNode ? $"tensor parallel {tp} is larger than the {perNode} {gpu.Name} GPUs on each node of this replica" : $"tensor parallel {tp} does not divide the {perNode} {gpu.Name} GPUs on each node of this replica, so some tensor-parallel groups straddle two nodes";
                c.Report("Engine.TensorParallelSize", $"{within} (Accelerator.Count, the per-node limit: at most {perNode} and a divisor of it). A tensor-parallel group all-reduces every layer; across nodes that traffic leaves NVLink for the network and decoding slows several-fold. Keep tensor parallelism inside a node and let pipeline parallelism span the nodes: TensorParallelSize = {perNode}, PipelineParallelSize = {nodes} (pipeline parallel = nodes x stages per node). Declare Accelerator.Interconnect = NodeInterconnect.MultiNodeNvLink only for an NVLink domain that spans nodes.");
            }
        }),
        new(RuleCatalog.MultiNodeUnsupported, c =>
        {
            var d = c.Deployment;
            if (d.Accelerator is { } declared && !Enum.IsDefined(declared.Interconnect))
            {
                c.Report("Accelerator.Interconnect", $"{(int)declared.Interconnect} is not a node interconnect. Use NodeInterconnect.Network (the default), or NodeInterconnect.MultiNodeNvLink for an NVLink domain across nodes.");
            }

            if (d.Accelerator is not { Nodes: > 1 and var nodes } accelerator)
            {
                return;
            }

            switch (d.Engine)
            {
                case VllmEngine { DataParallelSize: > 1 } v:
                    c.Report("Engine.DataParallelSize", $"data parallel {v.DataParallelSize} inside a {nodes}-node replica is not rendered (each node would need its own --data-parallel-* rank flags). Set DataParallelSize = 1 and raise Scaling.MinReplicas: run the copies as replicas instead.");
                    break;
                case TgiEngine or TritonEngine:
                    c.Report("Accelerator.Nodes", $"{nodes} nodes per replica are rendered for vLLM only (a LeaderWorkerSet whose pods join through vLLM's multi-node runtime); {d.Engine.Kind} has no such runtime here. Use one node per replica (Nodes = 1) or serve the model with vLLM.");
                    break;
            }

            if (!string.IsNullOrEmpty(accelerator.SharedGpuGroup))
            {
                c.Report("Accelerator.SharedGpuGroup", $"a {nodes}-node replica needs its nodes' GPUs to itself: tensor and pipeline ranks run in lockstep and a time-sliced GPU stalls all of them. Remove SharedGpuGroup, or use one node.");
            }

            if (d.Name is { Length: > 0 } name && !(name[0] is >= 'a' and <= 'z'))
            {
                c.Report("Name", $"'{name}' starts with a digit: a LeaderWorkerSet's name must be a DNS-1035 label (it names the group's headless Services), so the LeaderWorkerSet webhook refuses it. Start the name with a letter.");
            }

            var longestReplicaDigits = Math.Max(1, Math.Max(0, (d.Scaling?.MaxReplicas ?? 1) - 1).ToString(CultureInfo.InvariantCulture).Length);
            var longest = MaxStatefulSetName - 1 - longestReplicaDigits;
            if (d.Name is { } n && n.Length > longest)
            {
                c.Report("Name", $"'{n}' has {n.Length} characters; the LeaderWorkerSet names each replica's worker StatefulSet '{n}-<replica>', and a StatefulSet's name plus its 10-character revision hash must fit a 63-character label, so with up to {d.Scaling?.MaxReplicas} replicas the name may have at most {longest}. Shorten the name.");
            }
        }),
    ];

    public static IReadOnlyList<PlatformRule> PlatformRules { get; } =
    [
        new(RuleCatalog.MultiNodeServiceCollision, (deployments, _, report) =>
        {
            // A multi-node replica's LeaderWorkerSet gives every replica a headless Service '<name>-<replica>' (subdomain policy
            // UniquePerReplica, so the client Service can keep '<name>'); another deployment's Service of that name collides.
            foreach (var d in deployments)
            {
                if (d?.Accelerator is not { Nodes: > 1 } || d.Environment is null || string.IsNullOrEmpty(d.Name))
                {
                    continue;
                }

                foreach (var other in deployments)
                {
                    if (other is not null && !ReferenceEquals(other, d) && other.Environment?.Name == d.Environment.Name && other.Namespace == d.Namespace
                        && other.Name is { } otherName && otherName.Length > d.Name.Length + 1 && otherName.StartsWith(d.Name + "-", StringComparison.Ordinal)
                        && otherName.AsSpan(d.Name.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0)
                    {
                        report(d, "Name", $"the LeaderWorkerSet of '{d.Name}' creates a headless Service '{otherName}' for replica {otherName.Substring(d.Name.Length + 1)}, which is also the Service of deployment '{otherName}' in namespace '{d.Namespace}': one of them would take the other's name. Rename one of the deployments.");
                    }
                }
            }
        }),
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

    /// <summary>The longest StatefulSet name whose pods' controller-revision-hash label (name, '-', 10-character hash) fits 63 characters.</summary>
    private const int MaxStatefulSetName = 52;

    private const string MarlinRequirement = "Marlin needs an NVIDIA GPU of compute capability 8.0 or later; vLLM's awq_marlin.py and gptq_marlin.py check it";

    /// <summary>Whether vLLM's Marlin kernels run on <paramref name="gpu"/>; null when its compute capability is unknown.</summary>
    internal static bool? MarlinSupport(GpuKind gpu) =>
        gpu.Vendor != GpuVendor.Nvidia ? false : gpu.ComputeCapability is { } capability ? capability >= 8.0 : null;

    /// <summary>How the engine's GPUs are laid out, for messages: "TP 8", "TP 4 x PP 2", with data-parallel copies.</summary>
    internal static string Layout(KvCacheBudget b) =>
        (b.PipelineParallel > 1 ? $"TP {b.TensorParallel} x PP {b.PipelineParallel}" : $"TP {b.TensorParallel}") + (b.DataParallel > 1 ? $", {b.DataParallel} data-parallel engines" : string.Empty);

    /// <summary>KV bytes per token on one GPU with what decides them: KV heads per rank (and replication), MLA latents, windows.</summary>
    internal static string PerToken(KvCacheBudget b)
    {
        var layout = b.Layout;
        var heads = layout.KvHeadsPerRank == 0 ? "MLA latent per layer, replicated on every rank"
            : layout.KvReplication > 1 ? $"{layout.KvHeadsPerRank} KV head per rank, each replicated {layout.KvReplication}x"
            : $"{layout.KvHeadsPerRank} KV heads per rank";
        // The model's own layers in the counts (the padding is named on its own): on the busiest rank, unpadded.
        var real = layout.ModelGroups;
        var bounded = real.Any(g => g.Window > 0) ? $"; {real.Where(g => g.Window > 0).Sum(g => g.Layers)} windowed layers bounded" : string.Empty;
        var state = real.Any(g => g.Kind == AttentionKind.StateSpace) ? $"; {real.Where(g => g.Kind == AttentionKind.StateSpace).Sum(g => g.Layers)} state-space layers constant" : string.Empty;
        var padding = layout.PaddingLayers > 0 ? $"; {layout.PaddingLayers} padding layers vLLM allocates to even out its hybrid layer groups" : string.Empty;
        var whole = layout.UnboundedWindowLayers > 0 ? $"; {layout.UnboundedWindowLayers} sliding or chunked layers keep every token, as this vLLM runs the model without its hybrid KV-cache manager (before 0.10; for chunked local attention from 0.10.1 unless {KvCacheBudget.ChunkedLocalHybridVariable}=1)" : string.Empty;
        return $"{layout.UnboundedBytesPerToken} B per token per GPU: {heads}{bounded}{state}{padding}{whole}";
    }

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>CAC3001 and CAC3002's advice: 0.90, unless the threshold is at or below it (the analyzer says the same).</summary>
    private static string UtilizationAdvice(double threshold) =>
        0.90 < threshold ? "Use 0.90." : $"Use a value below {Format(threshold)}, the configured threshold.";

    private static string GiB(double bytes) => (bytes / KvCacheBudget.BytesPerGiB).ToString("0.##", CultureInfo.InvariantCulture);
}
