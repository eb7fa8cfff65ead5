using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>
/// Reports every rule that can be decided from source on the offending value: object initializers, <c>with</c>
/// expressions, constructors and factory calls of the ConfigAsCode model, with constants followed through
/// <see cref="ValueResolver"/>, including rules across one deployment's parts (tensor parallel against the GPU count,
/// production against replicas and digests, model load time against the startup probe). Registers nothing in
/// compilations that do not reference ConfigAsCode. Nothing here throws on a value: a constant the runtime would
/// refuse is CAC9020, a constant the API server would refuse is CAC9008, and a value that cannot be decided leaves the
/// rule to the build.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class DeploymentAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => AnalyzerDescriptors.Static;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ConfigAsCodeSymbols.Resolve(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeInitializer(new Analysis(c, symbols), symbols), OperationKind.ObjectCreation, OperationKind.With);
            start.RegisterOperationAction(c => AnalyzeInvocation(new Analysis(c, symbols), symbols), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(Analysis context, ConfigAsCodeSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var type = invocation.TargetMethod.ContainingType;
        if (ConfigAsCodeSymbols.Is(type, symbols.TimeSpan))
        {
            CheckTimeSpan(context, symbols, invocation);
            return;
        }

        if (type is null || !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, symbols.Deployment.ContainingAssembly))
        {
            return;
        }

        var name = invocation.TargetMethod.Name;
        if (ConfigAsCodeSymbols.Is(type, symbols.EnvVar) && name is "Literal" or "FromSecret")
        {
            CheckEnvVarFactory(context, symbols, invocation);
            if (name == "Literal")
            {
                AnalyzeEnvLiteral(context, symbols, invocation);
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.CanaryStep))
        {
            AnalyzeCanaryStep(context, symbols, invocation);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.ScalingSignal))
        {
            if (name == "Cpu")
            {
                Report(context, RuleCatalog.CpuAutoscalingOnGpu, invocation.Syntax.GetLocation(), "GPU inference is not CPU-bound: CPU utilisation stays low while requests queue. Scale on queue depth: ScalingSignal.QueueDepth(5).");
            }

            var target = Initializer.ArgumentOf(invocation.Arguments, name == "Cpu" ? "utilizationPercent" : "targetPerReplica");
            CheckScalingTarget(context, symbols, target);
        }
    }

    private static void AnalyzeInitializer(Analysis context, ConfigAsCodeSymbols symbols)
    {
        var operationType = context.Operation.Type;
        if (ConfigAsCodeSymbols.Is(operationType, symbols.TimeSpan))
        {
            CheckTimeSpan(context, symbols, context.Operation);
            return;
        }

        // Every object creation in the compilation arrives here: leave foreign types before reading their initializers.
        if (operationType?.ContainingAssembly is not { } assembly || !SymbolEqualityComparer.Default.Equals(assembly, symbols.Deployment.ContainingAssembly)
            || Initializer.From(context.Operation, symbols.Resolver) is not { } init)
        {
            return;
        }

        var type = init.Type;
        CheckRefusedValues(context, symbols, init);
        if (ConfigAsCodeSymbols.Is(type, symbols.Deployment))
        {
            AnalyzeDeployment(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Vllm))
        {
            AnalyzeVllm(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Tgi))
        {
            AnalyzeTgi(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Triton))
        {
            if (init.IsComplete && init.Has("DynamicBatching") && !init.IsNull("DynamicBatching") && (!init.Has("MaxBatchSize") || init.IsNull("MaxBatchSize")))
            {
                Report(context, RuleCatalog.EngineBatchDefaultsUnset, init.LocationOf("DynamicBatching"), "dynamic batching without max_batch_size takes the model configuration's value, which is not reviewed here. Set MaxBatchSize.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.RollingUpdate) || ConfigAsCodeSymbols.Is(type, symbols.Canary) || ConfigAsCodeSymbols.Is(type, symbols.Ramp) || ConfigAsCodeSymbols.Is(type, symbols.Shadow))
        {
            AnalyzeStrategy(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Guardrails))
        {
            AnalyzeGuardrails(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Slos))
        {
            AnalyzeSlos(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Observability) || ConfigAsCodeSymbols.Is(type, symbols.TraceExport))
        {
            foreach (var property in new[] { "PrometheusUrl", "OtlpEndpoint" })
            {
                if (init.Constant(property) is string url && RuleFacts.EndpointCredentials(url) is { } reason)
                {
                    Report(context, RuleCatalog.EndpointCredentials, init.LocationOf(property), $"{reason}: it would be written into the manifests and committed. Remove it and authenticate through the network path or a Secret the collector or controller reads.");
                }
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Security))
        {
            AnalyzeSecurity(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Scaling))
        {
            AnalyzeScaling(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Keda))
        {
            AnalyzeKeda(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.ScalingSignal))
        {
            if (EnumMember(init.Resolved("Kind") ?? init.Resolver.Resolve(init.Argument("Kind"))) == "Cpu")
            {
                Report(context, RuleCatalog.CpuAutoscalingOnGpu, init.Has("Kind") ? init.LocationOf("Kind") : init.Location, "GPU inference is not CPU-bound: CPU utilisation stays low while requests queue. Scale on queue depth: ScalingSignal.QueueDepth(5).");
            }

            CheckScalingTarget(context, symbols, init.Value("TargetPerReplica") ?? init.Argument("TargetPerReplica"));
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Image))
        {
            AnalyzeImage(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Probes))
        {
            AnalyzeProbes(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Probe))
        {
            AnalyzeProbe(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Accelerator))
        {
            if (Int(init.Constant("Nodes")) is <= 0 and var nodes)
            {
                Report(context, RuleCatalog.GpuCountInvalid, init.LocationOf("Nodes"), FormattableString.Invariant($"{nodes} nodes per replica: a replica runs on at least 1 node. Remove Nodes for a single-node replica."));
            }

            if (Int(init.Constant("Count")) is <= 0 and var count)
            {
                Report(context, RuleCatalog.GpuCountInvalid, init.LocationOf("Count"), FormattableString.Invariant($"{count} GPUs per replica cannot run an engine. Set Count to at least 1."));
            }
            else if (Int(init.Constant("Count")) is > 0 and var gpus && init.Resolved("Gpu") is IPropertyReferenceOperation gpu
                && ConfigAsCodeSymbols.Is(gpu.Property.ContainingType, symbols.GpuCatalog) && RuleFacts.GpusPerNode.TryGetValue(gpu.Property.Name, out var perNode) && gpus > perNode)
            {
                Report(context, RuleCatalog.GpusExceedNode, init.LocationOf("Count"), FormattableString.Invariant($"{gpus} x {gpu.Property.Name} in one pod, but the largest common node of that GPU has {perNode}: the pod never schedules, since Count is GPUs per node. Keep a pod within one node and span nodes with Nodes and pipeline parallelism."));
            }

            if (init.IsNull("Gpu"))
            {
                Report(context, RuleCatalog.GpuCountInvalid, init.LocationOf("Gpu"), "no GPU is declared. Set Gpu to a GpuCatalog entry, for example GpuCatalog.L4.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.GpuKind))
        {
            if (Int(init.Constant("MemoryMiB")) is <= 0 and var memory)
            {
                Report(context, RuleCatalog.GpuCountInvalid, init.LocationOf("MemoryMiB"), FormattableString.Invariant($"a GPU with {memory} MiB of memory cannot hold a model. Use a GpuCatalog entry or the real figure from nvidia-smi."));
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Model))
        {
            if (init.IsComplete && (!init.Has("Revision") || init.IsNull("Revision")))
            {
                Report(context, RuleCatalog.ModelRevisionUnpinned, init.Location, "no model revision: every pod start downloads whatever the main branch holds. Pin Revision to a 40-hex commit.");
            }
            else if (init.Constant("Revision") is string revision && !RuleFacts.IsPinnedRevision(revision))
            {
                Report(context, RuleCatalog.ModelRevisionUnpinned, init.LocationOf("Revision"), $"revision {Quote(revision)} is not a commit: branches and tags move. Pin Revision to a 40-hex commit.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Resources))
        {
            AnalyzeResources(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.DisruptionBudget))
        {
            if (Int(init.Constant("MaxUnavailable")) is <= 0)
            {
                Report(context, RuleCatalog.DisruptionBudgetMissing, init.LocationOf("MaxUnavailable"), "MaxUnavailable = 0 blocks every node drain and cluster upgrade. Use MaxUnavailable = 1.");
            }
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Cost))
        {
            AnalyzeCost(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Load))
        {
            AnalyzeLoad(context, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.EnvVar))
        {
            AnalyzeEnvWith(context, symbols, init);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Suppression))
        {
            AnalyzeSuppression(context, init);
        }
    }

    /// <summary>The gpu-memory-utilization CAC3001 and CAC3002 advise and their code fix writes, when it is below the threshold.</summary>
    private const double RecommendedUtilization = 0.90;

    private static void AnalyzeVllm(Analysis context, Initializer init)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
        var max = options.TryGetValue("configascode.max_gpu_memory_utilization", out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0.95;
        if (Number(init.Constant("GpuMemoryUtilization")) is { } utilization)
        {
            // 0.90 is the advice and the lightbulb's value only below the threshold: at or above it, it would still be CAC3002.
            var recommended = RecommendedUtilization < max;
            var advice = recommended ? "Use 0.90." : $"Use a value below {Format(max)}, the configured threshold.";
            var fix = recommended ? new[] { ("value", "0.90") } : [];
            if (!(utilization > 0 && utilization <= 1))
            {
                Report(context, RuleCatalog.GpuMemoryUtilizationOutOfRange, init.LocationOf("GpuMemoryUtilization"), $"gpu-memory-utilization is {Format(utilization)}; vLLM accepts (0, 1]. {advice}", fix);
            }
            else if (utilization >= max)
            {
                Report(context, RuleCatalog.GpuMemoryUtilizationTooHigh, init.LocationOf("GpuMemoryUtilization"), $"gpu-memory-utilization {Format(utilization)} is at or above {Format(max)}: warm-up and CUDA-graph capture can run out of memory. {advice}", fix);
            }
        }

        if (init.IsComplete && (!init.Has("MaxNumSeqs") || !init.Has("MaxNumBatchedTokens") || init.IsNull("MaxNumSeqs") || init.IsNull("MaxNumBatchedTokens")))
        {
            Report(context, RuleCatalog.EngineBatchDefaultsUnset, init.Location, "MaxNumSeqs and MaxNumBatchedTokens left unset: vLLM picks them by GPU model, so throughput and cost change with the node. Set both explicitly.");
        }

        foreach (var (property, message) in RuleFacts.ImpossibleVllmBatchLimits(Int(init.Constant("MaxNumSeqs")), Int(init.Constant("MaxNumBatchedTokens"))))
        {
            Report(context, RuleCatalog.VllmBatchLimitsInvalid, init.LocationOf(property), message);
        }

        var tp = Int(init.Constant("TensorParallelSize"));
        if (tp is <= 0 || Int(init.Constant("PipelineParallelSize")) is <= 0)
        {
            var property = tp is <= 0 ? "TensorParallelSize" : "PipelineParallelSize";
            Report(context, RuleCatalog.ParallelismGpuMismatch, init.LocationOf(property), $"{property} below 1 is refused by vLLM. Set it to at least 1, with tensor x pipeline parallel equal to the GPU count.");
        }
    }

    private static void AnalyzeTgi(Analysis context, Initializer tgi)
    {
        var budgets = new[] { "MaxInputTokens", "MaxTotalTokens", "MaxBatchPrefillTokens", "MaxBatchTotalTokens" };
        foreach (var name in budgets)
        {
            if (Int(tgi.Constant(name)) is <= 0 and var value)
            {
                Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf(name), FormattableString.Invariant($"{name} is {value}; TGI refuses a budget below 1. Set it to a positive number of tokens."));
            }
        }

        var input = Positive(tgi.Constant("MaxInputTokens"));
        var total = Positive(tgi.Constant("MaxTotalTokens"));
        var prefill = Positive(tgi.Constant("MaxBatchPrefillTokens"));
        var batch = Positive(tgi.Constant("MaxBatchTotalTokens"));
        if (input is { } i && total is { } t && i >= t)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxInputTokens"), FormattableString.Invariant($"max-input-tokens ({i}) is not below max-total-tokens ({t}), leaving no room for output. Lower MaxInputTokens or raise MaxTotalTokens."));
        }

        if (total is { } t2 && batch is { } b && t2 > b)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxBatchTotalTokens"), FormattableString.Invariant($"max-batch-total-tokens ({b}) is below max-total-tokens ({t2}): one request cannot fit a batch. Raise MaxBatchTotalTokens to at least {t2}."));
        }

        if (input is { } i2 && prefill is { } p && i2 > p)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxBatchPrefillTokens"), FormattableString.Invariant($"max-batch-prefill-tokens ({p}) is below max-input-tokens ({i2}): the longest prompt cannot be prefilled. Raise MaxBatchPrefillTokens to at least {i2}."));
        }

        if (prefill is { } p2 && batch is { } b2 && p2 > b2)
        {
            Report(context, RuleCatalog.TgiTokenBudgetInvalid, tgi.LocationOf("MaxBatchPrefillTokens"), FormattableString.Invariant($"max-batch-prefill-tokens ({p2}) exceeds max-batch-total-tokens ({b2}). Lower MaxBatchPrefillTokens to at most {b2}."));
        }

        if (tgi.IsComplete && (!tgi.Has("MaxBatchTotalTokens") || !tgi.Has("MaxBatchPrefillTokens") || tgi.IsNull("MaxBatchTotalTokens") || tgi.IsNull("MaxBatchPrefillTokens")))
        {
            Report(context, RuleCatalog.EngineBatchDefaultsUnset, tgi.Location, "TGI infers its batch token budgets from free GPU memory at start-up, so they change with the node. Set MaxBatchTotalTokens and MaxBatchPrefillTokens explicitly.");
        }

        if (Int(tgi.Constant("NumShard")) is <= 0 and var shards)
        {
            Report(context, RuleCatalog.ParallelismGpuMismatch, tgi.LocationOf("NumShard"), FormattableString.Invariant($"num-shard {shards} is refused by TGI. Set NumShard to the GPU count of the replica."));
        }
    }

    private static void AnalyzeImage(Analysis context, Initializer init)
    {
        var hasDigest = init.Has("Digest") && !init.IsNull("Digest") && init.Constant("Digest") is not "";
        if (!hasDigest && (init.IsComplete || init.Has("Tag")))
        {
            var tag = init.Constant("Tag") as string;
            if ((init.IsComplete && (!init.Has("Tag") || init.IsNull("Tag") || tag is "")) || (tag is not null && RuleFacts.MutableTags.Contains(tag, StringComparer.OrdinalIgnoreCase)))
            {
                Report(context, RuleCatalog.MutableImageTag, init.Has("Tag") ? init.LocationOf("Tag") : init.Location,
                    string.IsNullOrEmpty(tag) ? "no tag and no digest: the image resolves to 'latest'. Set a release tag and a digest." : $"tag {Quote(tag!)} is moved by every release. Use a release tag and Image.Digest.");
            }
        }
    }

    private static void AnalyzeProbes(Analysis context, Initializer probes)
    {
        foreach (var (property, rule) in new[] { ("Readiness", RuleCatalog.ReadinessProbeMissing), ("Startup", RuleCatalog.StartupProbeMissing), ("Liveness", RuleCatalog.LivenessProbeMissing) })
        {
            if (probes.IsNull(property))
            {
                // The lightbulb writes the default probe, on /health: only where every other probe is known to be there too.
                var fix = OthersOnDefaultPath(probes, property, context.Symbols) ? new[] { ("property", property), ("path", DefaultProbePath) } : new[] { ("property", property) };
                Report(context, rule, probes.LocationOf(property), $"no {property.ToLowerInvariant()} probe. Keep the default: {property} = new HealthProbes().{property}.", fix);
            }
        }

        // Kubernetes accepts only 1 for startup and liveness probes; readiness may ask for more successes.
        foreach (var property in new[] { "Startup", "Liveness" })
        {
            if (probes.Child(property) is { IsInline: true } probe && Int(probe.Constant("SuccessThreshold")) is > 1)
            {
                Report(context, RuleCatalog.ProbeTimingInvalid, probe.LocationOf("SuccessThreshold"), "Kubernetes rejects startup and liveness probes whose SuccessThreshold is not 1. Set SuccessThreshold = 1.");
            }
        }
    }

    /// <summary>The path of every probe <c>new HealthProbes()</c> and <c>HealthProbes.StartupFor</c> write.</summary>
    private const string DefaultProbePath = "/health";

    /// <summary>
    /// True when each probe of <paramref name="probes"/> other than <paramref name="property"/> is left out, null, or
    /// known to poll <see cref="DefaultProbePath"/>: then the default probe the CAC1001–CAC1003 fix writes polls what the
    /// others poll. False for a probe on another path (Triton's <c>/v2/health/ready</c>) or one the analyzer cannot read.
    /// </summary>
    private static bool OthersOnDefaultPath(Initializer probes, string property, ConfigAsCodeSymbols symbols)
    {
        foreach (var other in new[] { "Readiness", "Startup", "Liveness" })
        {
            if (other != property && probes.Has(other) && !probes.IsNull(other) && !OnDefaultPath(probes.Resolved(other), symbols, depth: 0))
            {
                return false;
            }
        }

        return true;
    }

    private static bool OnDefaultPath(IOperation? probe, ConfigAsCodeSymbols symbols, int depth)
    {
        if (depth > 4)
        {
            return false;
        }

        // HealthProbes.StartupFor(...), and new HealthProbes().Readiness as the fix writes it.
        if (probe is IInvocationOperation { TargetMethod.Name: "StartupFor" } call && ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.Probes))
        {
            return true;
        }

        if (probe is IPropertyReferenceOperation { Instance: IObjectCreationOperation { Initializer: null or { Initializers.Length: 0 } } defaults } && ConfigAsCodeSymbols.Is(defaults.Type, symbols.Probes))
        {
            return true;
        }

        if (Initializer.From(probe, symbols.Resolver) is not { } init || !ConfigAsCodeSymbols.Is(init.Type, symbols.Probe))
        {
            return false;
        }

        return init.Has("Path") ? init.Constant("Path") is DefaultProbePath : !init.IsComplete && OnDefaultPath(init.WithOperand, symbols, depth + 1);
    }

    private static void AnalyzeProbe(Analysis context, Initializer probe)
    {
        var invalid = false;
        foreach (var property in new[] { "PeriodSeconds", "TimeoutSeconds", "FailureThreshold", "SuccessThreshold" })
        {
            if (Int(probe.Constant(property)) is <= 0)
            {
                invalid = true;
                Report(context, RuleCatalog.ProbeTimingInvalid, probe.LocationOf(property), $"{property} below 1 makes Kubernetes reject the pod. Set it to at least 1.");
            }
        }

        if (Int(probe.Constant("InitialDelaySeconds")) is < 0)
        {
            invalid = true;
            Report(context, RuleCatalog.ProbeTimingInvalid, probe.LocationOf("InitialDelaySeconds"), "a negative InitialDelaySeconds makes Kubernetes reject the pod. Set it to 0 or more.");
        }

        if (probe.Constant("Path") is string path && (path.Trim().Length == 0 || !path.StartsWith("/", StringComparison.Ordinal)))
        {
            Report(context, RuleCatalog.ProbeTimingInvalid, probe.LocationOf("Path"), "the probe path does not start with '/'; the kubelet cannot request it. Use the engine's health path, for example '/health'.");
        }

        var period = Int(probe.Constant("PeriodSeconds")) ?? (probe.IsComplete && !probe.Has("PeriodSeconds") ? RuleFacts.ProbePeriodSeconds : null);
        var timeout = Int(probe.Constant("TimeoutSeconds")) ?? (probe.IsComplete && !probe.Has("TimeoutSeconds") ? RuleFacts.ProbeTimeoutSeconds : null);
        if (!invalid && period is > 0 && timeout is > 0 && timeout > period)
        {
            Report(context, RuleCatalog.ProbeTimingInvalid, probe.Has("TimeoutSeconds") ? probe.LocationOf("TimeoutSeconds") : probe.LocationOf("PeriodSeconds"), FormattableString.Invariant($"the timeout ({timeout} s) is longer than the period ({period} s): probes overlap. Make TimeoutSeconds at most PeriodSeconds."));
        }
    }

    private static void AnalyzeResources(Analysis context, Initializer init)
    {
        if (init.IsNull("MemoryLimitMiB") || Int(init.Constant("MemoryLimitMiB")) is <= 0)
        {
            Report(context, RuleCatalog.ResourcesMissing, init.LocationOf("MemoryLimitMiB"), "no positive memory limit: a leaking engine takes the node down with it. Set MemoryLimitMiB.");
        }

        foreach (var property in new[] { "CpuRequestMillicores", "MemoryRequestMiB" })
        {
            if (init.IsNull(property) || Int(init.Constant(property)) is <= 0)
            {
                Report(context, RuleCatalog.ResourcesMissing, init.LocationOf(property), $"no positive {(property.StartsWith("Cpu", StringComparison.Ordinal) ? "CPU" : "memory")} request: the scheduler may pack the pod where it cannot run. Set {property} to a positive value.");
            }
        }

        // The model's defaults apply to what a complete initializer leaves out; a 'with' keeps values not visible here.
        int? Known(string property, int? fallback) => Int(init.Constant(property)) ?? (init.IsComplete && !init.Has(property) ? fallback : null);
        var memoryRequest = Known("MemoryRequestMiB", 32_768);
        var memoryLimit = Known("MemoryLimitMiB", 32_768);
        var cpuRequest = Known("CpuRequestMillicores", 4_000);
        if (memoryLimit is > 0 && memoryRequest is > 0 && memoryLimit < memoryRequest)
        {
            Report(context, RuleCatalog.ResourcesMissing, init.Has("MemoryLimitMiB") ? init.LocationOf("MemoryLimitMiB") : init.LocationOf("MemoryRequestMiB"), FormattableString.Invariant($"the memory limit ({memoryLimit} MiB) is below the request ({memoryRequest} MiB); Kubernetes rejects the pod. Raise MemoryLimitMiB to at least {memoryRequest}."));
        }

        if (Int(init.Constant("CpuLimitMillicores")) is { } cpuLimit && cpuRequest is > 0 && cpuLimit < cpuRequest)
        {
            Report(context, RuleCatalog.ResourcesMissing, init.LocationOf("CpuLimitMillicores"), FormattableString.Invariant($"the CPU limit ({cpuLimit}m) is below the request ({cpuRequest}m); Kubernetes rejects the pod. Raise CpuLimitMillicores to at least {cpuRequest}, or remove it."));
        }

        if (Int(init.Constant("SharedMemoryMiB")) is > 0 and var shm && memoryLimit is > 0 && shm >= memoryLimit)
        {
            Report(context, RuleCatalog.ResourcesMissing, init.LocationOf("SharedMemoryMiB"), FormattableString.Invariant($"/dev/shm ({shm} MiB) counts against the memory limit ({memoryLimit} MiB) and would leave nothing for the engine. Raise MemoryLimitMiB."));
        }
    }

    private static void AnalyzeCost(Analysis context, Initializer init)
    {
        foreach (var property in new[] { "Team", "CostCenter" })
        {
            if ((init.IsComplete && !init.Has(property)) || init.IsNull(property) || (init.Constant(property) is string s && s.Trim().Length == 0))
            {
                Report(context, RuleCatalog.CostAttributionMissing, init.Has(property) ? init.LocationOf(property) : init.Location, $"no {property}: GPU spend cannot be allocated. Set Cost.{property}.");
            }
        }

        foreach (var property in new[] { "Team", "CostCenter", "Owner" })
        {
            if (init.Constant(property) is string value && value.Trim().Length > 0 && !RuleFacts.IsLabelValue(value))
            {
                Report(context, RuleCatalog.CostLabelInvalid, init.LocationOf(property), $"{Quote(value)} is not a valid label value: at most 63 letters, digits, '-', '_' or '.', no '/'. Shorten or rename it.");
            }
        }
    }

    private static void AnalyzeLoad(Analysis context, Initializer init)
    {
        if (Number(init.Constant("RequestsPerSecond")) is { } rps && !(rps > 0 && !double.IsInfinity(rps)))
        {
            Report(context, RuleCatalog.ExpectedLoadInvalid, init.LocationOf("RequestsPerSecond"), $"{Format(rps)} requests per second cannot size replicas. Set RequestsPerSecond to a positive finite number.");
        }

        foreach (var property in new[] { "InputTokens", "OutputTokens" })
        {
            if (Int(init.Constant(property)) is <= 0)
            {
                Report(context, RuleCatalog.ExpectedLoadInvalid, init.LocationOf(property), $"{property} below 1 cannot size the KV cache. Set it to a positive mean.");
            }
        }

        if (Number(init.Constant("TargetUtilization")) is { } u && !(u > 0 && u <= 1))
        {
            Report(context, RuleCatalog.ExpectedLoadInvalid, init.LocationOf("TargetUtilization"), $"a target utilisation of {Format(u)} cannot size replicas. Set TargetUtilization in (0, 1], for example 0.8.");
        }
    }

    private static void AnalyzeSecurity(Analysis context, Initializer s)
    {
        if (s.Constant("RunAsNonRoot") is false)
        {
            Report(context, RuleCatalog.RunsAsRoot, s.LocationOf("RunAsNonRoot"), "the container may run as root. Set RunAsNonRoot = true.");
        }

        if (Long(s.Constant("RunAsUser")) == 0)
        {
            Report(context, RuleCatalog.RunsAsRoot, s.LocationOf("RunAsUser"), "UID 0 is root. Use a non-zero RunAsUser.");
        }

        if (s.Constant("Privileged") is true)
        {
            Report(context, RuleCatalog.PrivilegedContainer, s.LocationOf("Privileged"), "a privileged container has every device and capability of the host; GPUs need no privilege. Set Privileged = false.");
        }

        if (s.Constant("AllowPrivilegeEscalation") is true)
        {
            Report(context, RuleCatalog.PrivilegeEscalationAllowed, s.LocationOf("AllowPrivilegeEscalation"), "setuid binaries could gain root. Set AllowPrivilegeEscalation = false.");
        }

        foreach (var name in new[] { "HostNetwork", "HostIpc", "HostPid" })
        {
            if (s.Constant(name) is true)
            {
                Report(context, RuleCatalog.HostNamespaces, s.LocationOf(name), $"{name} = true shares the node's namespace with the engine. Set {name} = false; multi-GPU instances need Resources.SharedMemoryMiB, not host IPC.");
            }
        }

        if (s.Constant("ReadOnlyRootFilesystem") is false)
        {
            Report(context, RuleCatalog.WritableRootFilesystem, s.LocationOf("ReadOnlyRootFilesystem"), "a writable root filesystem lets an attacker persist inside the container. Set ReadOnlyRootFilesystem = true; caches go to mounted volumes.");
        }

        if (s.Constant("AutomountServiceAccountToken") is true)
        {
            Report(context, RuleCatalog.ServiceAccountTokenMounted, s.LocationOf("AutomountServiceAccountToken"), "an inference server never calls the Kubernetes API; a mounted token only helps an attacker. Set AutomountServiceAccountToken = false.");
        }

        foreach (var element in Elements(s.Resolved("AddCapabilities"), s.Resolver))
        {
            if (s.Resolver.Constant(element) is string capability && !RuleFacts.BaselineCapabilities.Contains(RuleFacts.NormalizeCapability(capability)))
            {
                Report(context, RuleCatalog.CapabilitiesBeyondBaseline, s.IsInline ? element.Syntax.GetLocation() : s.Location, $"capability {Quote(capability)} is outside the pod-security baseline. Remove it from AddCapabilities; inference engines need none.");
            }
        }
    }

    private static void AnalyzeScaling(Analysis context, ConfigAsCodeSymbols symbols, Initializer scaling)
    {
        var min = Int(scaling.Constant("MinReplicas")) ?? (scaling.IsComplete && !scaling.Has("MinReplicas") ? 2 : null);
        var max = Int(scaling.Constant("MaxReplicas")) ?? (scaling.IsComplete && !scaling.Has("MaxReplicas") ? 2 : null);
        AnalyzeKedaScaling(context, symbols, scaling, min, max);
        if (min == 0 && ScaleToZeroAcknowledged(scaling) == false)
        {
            Report(context, RuleCatalog.ScaleToZeroOnGpu, scaling.LocationOf("MinReplicas"), "MinReplicas = 0: the first request after idle waits for a GPU node and a model load. Keep at least 1 replica, or suppress with a justification for batch-only tiers.");
        }

        if (min is < 0)
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, scaling.LocationOf("MinReplicas"), "replica counts cannot be negative. Set MinReplicas to 2 or more.");
        }

        if (max is < 1)
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, scaling.LocationOf("MaxReplicas"), "no replica may run. Set MaxReplicas to at least MinReplicas.");
        }
        else if (min is { } lo && max is { } hi && hi < lo)
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, scaling.Has("MaxReplicas") ? scaling.LocationOf("MaxReplicas") : scaling.LocationOf("MinReplicas"), FormattableString.Invariant($"MaxReplicas ({hi}) is below MinReplicas ({lo}). Raise MaxReplicas or lower MinReplicas."));
        }
    }

    /// <summary>CAC1010 for a scaling target that no autoscaler can follow.</summary>
    private static void CheckScalingTarget(Analysis context, ConfigAsCodeSymbols symbols, IOperation? target)
    {
        if (target is not null && Number(symbols.Resolver.Constant(target)) is { } value && !(value > 0 && !double.IsInfinity(value)))
        {
            Report(context, RuleCatalog.ReplicaBoundsInvalid, target.Syntax.GetLocation(), $"a scaling target of {Format(value)} per replica cannot be followed. Set a positive target, for example ScalingSignal.QueueDepth(5).");
        }
    }

    /// <summary>CAC1021 on what the objectives themselves say; the hardware floor needs the model and is checked at build time.</summary>
    private static void AnalyzeSlos(Analysis context, Initializer slos)
    {
        double? Latency(string property) => TimeSpanConstant.Of(slos.Value(property), slos.Resolver).Seconds;
        foreach (var (property, message) in RuleFacts.ImpossibleObjectives(
            Number(slos.Constant("Availability")), Number(slos.Constant("MaxErrorRate")), Latency("P95Latency"), Latency("P99Latency"), Latency("P95TimeToFirstToken")))
        {
            Report(context, RuleCatalog.SloCannotBeMet, slos.LocationOf(property), message);
        }
    }

    private static void AnalyzeSuppression(Analysis context, Initializer suppression)
    {
        var idValue = suppression.Value("RuleId") ?? suppression.Argument("RuleId");
        var justificationValue = suppression.Value("Justification") ?? suppression.Argument("Justification");
        var resolver = suppression.Resolver;
        var id = resolver.Resolve(idValue)?.ConstantValue ?? default;
        var rule = id.HasValue ? RuleCatalog.Find(id.Value as string) : null;
        if (idValue is not null && id.HasValue && rule is null)
        {
            Report(context, RuleCatalog.InvalidSuppression, idValue.Syntax.GetLocation(), $"{Quote(id.Value as string ?? "null")} is not a ConfigAsCode rule ID, so the suppression does nothing. Use an ID from docs/rules.");
        }
        else if (idValue is not null && rule is { RefusesSuppression: true })
        {
            Report(context, RuleCatalog.InvalidSuppression, idValue.Syntax.GetLocation(), $"{rule.Id} cannot be suppressed. Fix the configuration instead.");
        }
        else if (justificationValue is not null && resolver.Resolve(justificationValue) is { ConstantValue: { HasValue: true, Value: var j } } && ((j as string) ?? string.Empty).Trim().Length < RuleFacts.MinimumJustificationLength)
        {
            Report(context, RuleCatalog.InvalidSuppression, justificationValue.Syntax.GetLocation(), FormattableString.Invariant($"a suppression needs a justification of at least {RuleFacts.MinimumJustificationLength} characters. Say why the finding is acceptable for this deployment."));
        }
    }

    /// <summary>CAC9020: a TimeSpan built from constants the runtime refuses, so evaluating the declaration throws.</summary>
    private static void CheckTimeSpan(Analysis context, ConfigAsCodeSymbols symbols, IOperation operation)
    {
        if (!TimeSpanConstant.MayThrow(operation))
        {
            return;
        }

        if (TimeSpanConstant.Of(operation, symbols.Resolver).Throws is { } reason)
        {
            Report(context, RuleCatalog.ConstantOutOfRange, operation.Syntax.GetLocation(), $"{reason} when the declaration is evaluated, so the build stops with CAC9004 before any rule runs. Use a duration within range, for example TimeSpan.FromSeconds(30).");
        }
    }

    private static IEnumerable<IOperation> Elements(IOperation? operation, ValueResolver resolver) => Initializer.Elements(operation, resolver);

    /// <summary>The name of the enum member an operation resolves to (<c>ScalingSignalKind.Cpu</c> → "Cpu"), or null.</summary>
    private static string? EnumMember(IOperation? operation) => operation switch
    {
        IFieldReferenceOperation { Field: { HasConstantValue: true, ContainingType.TypeKind: TypeKind.Enum } field } => field.Name,
        { ConstantValue.HasValue: true, Type: INamedTypeSymbol { TypeKind: TypeKind.Enum } type } constant =>
            type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.ConstantValue.Value))?.Name,
        _ => null,
    };

    /// <summary>
    /// A literal quoted for a message, unless it looks like a credential: no message ever repeats a secret. A credential
    /// is what the build's scanner finds: a token format, or a password or credential query parameter in a URL (which
    /// the build redacts from its own messages; the analyzer's reach the log as they are).
    /// </summary>
    private static string Quote(string value) =>
        value.Length <= 80 && Synthesis.Secrets.SecretDetector.DetectTokenFormat(value) is null && RuleFacts.EndpointCredentials(value) is null ? "'" + value + "'" : "the value";

    /// <summary>
    /// Reports a finding, marked suppressed when the deployment declaration around it carries a justified
    /// <c>RuleSuppression</c> for the rule (see <see cref="DeploymentSuppressions"/>).
    /// </summary>
    private static void Report(Analysis context, RuleDescriptor rule, Location location, string message, params (string Key, string Value)[] properties)
    {
        var descriptor = AnalyzerDescriptors.For(rule);
        var values = properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value);
        var model = context.Operation.SemanticModel;
        var suppressed = !rule.RefusesSuppression && model is not null && location.SourceTree == model.SyntaxTree && context.Symbols.Resolver.MayHaveSuppressions
            && DeploymentSuppressions.Suppress(location.SourceTree.GetRoot(context.CancellationToken).FindNode(location.SourceSpan, getInnermostNodeForTie: true), model, context.Symbols, rule);
        context.ReportDiagnostic(suppressed
            ? Diagnostic.Create(descriptor.Id, descriptor.Category, message, descriptor.DefaultSeverity, descriptor.DefaultSeverity, descriptor.IsEnabledByDefault,
                descriptor.DefaultSeverity == DiagnosticSeverity.Error ? 0 : 1, isSuppressed: true, descriptor.Title, descriptor.Description, descriptor.HelpLinkUri,
                location, additionalLocations: null, customTags: descriptor.CustomTags, properties: values)
            : Diagnostic.Create(descriptor, location, values, message));
    }

    /// <summary>One operation being analysed, with the compilation's ConfigAsCode symbols that every check and report needs.</summary>
    private readonly struct Analysis
    {
        private readonly OperationAnalysisContext _context;

        public Analysis(OperationAnalysisContext context, ConfigAsCodeSymbols symbols)
        {
            _context = context;
            Symbols = symbols;
        }

        public ConfigAsCodeSymbols Symbols { get; }

        public IOperation Operation => _context.Operation;

        public AnalyzerOptions Options => _context.Options;

        public System.Threading.CancellationToken CancellationToken => _context.CancellationToken;

        public void ReportDiagnostic(Diagnostic diagnostic) => _context.ReportDiagnostic(diagnostic);
    }

    private static int? Int(object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => null,
    };

    private static int? Positive(object? value) => Int(value) is > 0 and var i ? i : null;

    private static long? Long(object? value) => value switch
    {
        int i => i,
        long l => l,
        _ => null,
    };

    private static double? Number(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        decimal m => (double)m,
        _ => null,
    };

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
