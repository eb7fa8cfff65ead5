using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>Rules across the parts of one deployment: production, parallelism against GPUs, shared memory, remote code, fp8, the startup budget.</summary>
public sealed partial class DeploymentAnalyzer
{
    /// <summary>Catalog GPUs without fp8 tensor cores (<c>GpuKind.SupportsFp8</c> is false for these).</summary>
    private static readonly HashSet<string> NoFp8Gpus = new(StringComparer.Ordinal) { "A100_80GB", "A100_40GB", "A10G", "T4" };

    /// <summary>Parts of a deployment that must not be null, the rule that reports it, and what to do.</summary>
    private static readonly (string Property, RuleDescriptor Rule, string Message)[] NullParts =
    [
        ("Resources", RuleCatalog.ResourcesMissing, "Resources is null: the pod gets no CPU or memory request or limit. Remove the assignment to keep the defaults, or set requests and a memory limit."),
        ("Scaling", RuleCatalog.ReplicaBoundsInvalid, "Scaling is null. Remove the assignment to keep the defaults, or set MinReplicas and MaxReplicas."),
        ("Probes", RuleCatalog.ProbeTimingInvalid, "Probes is null. Remove the assignment to keep the defaults, or set each probe."),
        ("Security", RuleCatalog.RunsAsRoot, "Security is null, so nothing keeps the container from running as root. Remove the assignment to keep the restricted defaults."),
        ("Accelerator", RuleCatalog.GpuCountInvalid, "no GPU is declared. Set Accelerator = new() { Gpu = GpuCatalog.L4, Count = 1 }."),
    ];

    private static void AnalyzeDeployment(Analysis context, ConfigAsCodeSymbols symbols, Initializer deployment)
    {
        if (deployment.Constant("Namespace") is string ns && RuleFacts.IsReservedNamespace(ns))
        {
            Report(context, RuleCatalog.DefaultNamespace, deployment.LocationOf("Namespace"), $"{Quote(ns)} has no quota, policy or owner of yours (default) or belongs to the cluster (kube-*). Use a namespace per team or platform, for example 'inference'.");
        }

        if (deployment.IsNull("DisruptionBudget"))
        {
            Report(context, RuleCatalog.DisruptionBudgetMissing, deployment.LocationOf("DisruptionBudget"), "no PodDisruptionBudget: a node drain may evict every replica at once. Set DisruptionBudget = new() { MaxUnavailable = 1 }.");
        }

        foreach (var (property, rule, message) in NullParts)
        {
            if (deployment.IsNull(property))
            {
                Report(context, rule, deployment.LocationOf(property), message);
            }
        }

        if (deployment.IsComplete && (!deployment.Has("Cost") || deployment.IsNull("Cost")))
        {
            Report(context, RuleCatalog.CostAttributionMissing, deployment.Has("Cost") ? deployment.LocationOf("Cost") : deployment.Location, "no cost attribution: GPU spend cannot be allocated. Set Cost = new() { Team = \"...\", CostCenter = \"...\" }.");
        }

        // MinAvailable at or above the minimum replicas leaves no pod the eviction API may take: no node can be drained.
        if (deployment.Child("DisruptionBudget") is { } budget && budget.IsNull("MaxUnavailable") && Int(budget.Constant("MinAvailable")) is { } minAvailable
            && (deployment.Has("Scaling") ? Int(deployment.Child("Scaling")?.Constant("MinReplicas")) ?? (deployment.Child("Scaling") is { IsComplete: true } s && !s.Has("MinReplicas") ? 2 : null) : deployment.IsComplete ? 2 : null) is > 0 and var minReplicas
            && minAvailable >= minReplicas)
        {
            Report(context, RuleCatalog.DisruptionBudgetMissing, budget.LocationOf("MinAvailable"), FormattableString.Invariant($"MinAvailable = {minAvailable} with {minReplicas} minimum replicas blocks every node drain. Use MaxUnavailable = 1."));
        }

        var production = IsProduction(deployment, symbols, depth: 0);
        AnalyzeDeploymentRollout(context, symbols, deployment, production);
        AnalyzeMultiNode(context, symbols, deployment, production);
        var scaling = deployment.Child("Scaling");
        if (production && scaling is not null && Int(scaling.Constant("MinReplicas")) == 1)
        {
            Report(context, RuleCatalog.SingleReplicaInProduction, scaling.LocationOf("MinReplicas"), "production runs one replica: a node drain or GPU fault takes the model offline. Set MinReplicas to at least 2.", TwoReplicasFix(scaling));
        }

        if (production && deployment.Child("Image") is { } image)
        {
            var digest = image.Constant("Digest") as string;
            if (image.IsComplete && (!image.Has("Digest") || image.IsNull("Digest") || digest is ""))
            {
                Report(context, RuleCatalog.ImageDigestMissingInProduction, image.Location, "production images must be pinned by digest so every node runs the bytes that were tested. Set Digest = \"sha256:<64 hex>\" (docker buildx imagetools inspect <image> prints it).");
            }
            else if (digest is { Length: > 0 } && !RuleFacts.IsImageDigest(digest))
            {
                Report(context, RuleCatalog.ImageDigestMissingInProduction, image.LocationOf("Digest"), "the digest is not 'sha256:' followed by 64 lowercase hex digits, so the image cannot be pulled by it. Copy the digest printed by docker buildx imagetools inspect <image>.");
            }
        }

        var engine = deployment.Child("Engine");
        var accelerator = deployment.Child("Accelerator");
        var perNode = accelerator is null ? null : Int(accelerator.Constant("Count")) ?? (accelerator.IsComplete && !accelerator.Has("Count") ? 1 : null);
        var nodes = accelerator is null ? null : Int(accelerator.Constant("Nodes")) ?? (accelerator.IsComplete && !accelerator.Has("Nodes") ? 1 : null);
        var count = perNode is > 0 && nodes is > 0 ? (long)perNode.Value * nodes.Value : (long?)null;
        if (engine is not null && ConfigAsCodeSymbols.Is(engine.Type, symbols.Vllm))
        {
            AnalyzeVllmFit(context, symbols, deployment, engine, accelerator, perNode, nodes, count);
        }
        else if (engine is not null && ConfigAsCodeSymbols.Is(engine.Type, symbols.Tgi))
        {
            var shards = Int(engine.Constant("NumShard")) ?? (engine.IsComplete && !engine.Has("NumShard") ? 1 : null);
            if (shards is > 0 && count is > 0 && shards != count)
            {
                // No lightbulb on a multi-node replica, which TGI cannot run (the build refuses it): NumShard = GPUs x nodes
                // is wrong again once Nodes is back to 1.
                var fix = nodes == 1 ? new[] { ("property", "NumShard"), ("value", count.Value.ToString(CultureInfo.InvariantCulture)) } : [];
                Report(context, RuleCatalog.ParallelismGpuMismatch, engine.Has("NumShard") ? engine.LocationOf("NumShard") : engine.Location,
                    FormattableString.Invariant($"num-shard is {shards} but the replica has {count} GPUs: TGI refuses to start or leaves GPUs idle. Set NumShard = {count}."), fix);
            }

            if (shards is > 1)
            {
                CheckSharedMemory(context, deployment, shards.Value);
            }

            if (EnumMember(engine.Resolved("Quantization")) == "Fp8" && GpuWithoutFp8(accelerator, symbols) is { } gpu)
            {
                Report(context, RuleCatalog.Fp8WithoutHardwareSupport, engine.LocationOf("Quantization"), $"{gpu} has no fp8 tensor cores: fp8 weights run through slower kernels and throughput is lower than planned. Use a Hopper or Ada GPU (H100, H200, L40S, L4), or AWQ/GPTQ.");
            }

            CheckRemoteCode(context, deployment, engine);
        }

        CheckStartupBudget(context, symbols, deployment);
    }

    /// <summary>
    /// What the CAC1006 lightbulb sets to 2, as the "set" property: MinReplicas, and MaxReplicas when it is written in the
    /// same initializer below 2. Nothing where two replicas would not be valid: the maximum is not known (a 'with' keeps
    /// its operand's, a value computed at run time), or KEDA, which refuses MinReplicas equal to MaxReplicas (CAC1033),
    /// is or may be on and the maximum would be 2.
    /// </summary>
    private static (string Key, string Value)[] TwoReplicasFix(Initializer scaling)
    {
        var max = Int(scaling.Constant("MaxReplicas")) ?? (scaling.IsComplete && !scaling.Has("MaxReplicas") ? 2 : null);
        var noKeda = scaling.Has("Keda") ? scaling.IsNull("Keda") : scaling.IsComplete;
        return max switch
        {
            >= 3 => [("set", "MinReplicas")],
            2 when noKeda => [("set", "MinReplicas")],
            < 2 when noKeda && scaling.Has("MaxReplicas") => [("set", "MinReplicas,MaxReplicas")],
            _ => [],
        };
    }

    /// <summary>
    /// CAC3004 against the replica's GPUs (GPUs per node x nodes), with data parallelism; the lightbulb sets
    /// TensorParallelSize only where that alone fits the GPUs and keeps tensor parallelism inside a node.
    /// </summary>
    private static void AnalyzeVllmFit(Analysis context, ConfigAsCodeSymbols symbols, Initializer deployment, Initializer engine, Initializer? accelerator, int? perNode, int? nodes, long? count)
    {
        var tp = Int(engine.Constant("TensorParallelSize")) ?? (engine.IsComplete && !engine.Has("TensorParallelSize") ? 1 : null);
        var pp = Int(engine.Constant("PipelineParallelSize")) ?? (engine.IsComplete && !engine.Has("PipelineParallelSize") ? 1 : null);
        var dp = Int(engine.Constant("DataParallelSize")) ?? (engine.IsComplete && !engine.Has("DataParallelSize") ? 1 : null);
        if (tp is > 0 && pp is > 0 && dp is > 0 && count is > 0 && (long)tp.Value * pp.Value * dp.Value != count)
        {
            var location = engine.Has("TensorParallelSize") ? engine.LocationOf("TensorParallelSize") : engine.Location;
            var parts = dp > 1 ? FormattableString.Invariant($"tensor x pipeline x data parallel = {tp} x {pp} x {dp}") : FormattableString.Invariant($"tensor x pipeline parallel = {tp} x {pp}");
            var product = (long)tp.Value * pp.Value * dp.Value;
            var others = (long)pp.Value * dp.Value;
            var size = count.Value % others == 0 ? count.Value / others : 0;
            // The lightbulb keeps tensor parallelism inside a node, and stays off where the build refuses the replica
            // anyway (data parallelism across nodes): a size that matches now is wrong again once DataParallelSize is 1.
            var fits = size is > 0 and <= int.MaxValue && (nodes == 1 || (perNode!.Value % size == 0 && dp == 1));
            var fix = fits ? new[] { ("property", "TensorParallelSize"), ("value", size.ToString(CultureInfo.InvariantCulture)) } : [];
            if (nodes > 1)
            {
                Report(context, RuleCatalog.ParallelismGpuMismatch, location, FormattableString.Invariant($"{parts} = {product}, but the replica has {nodes} nodes x {perNode} GPUs = {count}: vLLM refuses to start or leaves GPUs idle. Keep tensor parallel inside a node and let pipeline parallel span the nodes: TensorParallelSize = {perNode}, PipelineParallelSize = {nodes}."), fix);
            }
            else if (size > 0)
            {
                Report(context, RuleCatalog.ParallelismGpuMismatch, location, FormattableString.Invariant($"{parts} = {product}, but the replica has {count} GPUs: vLLM refuses to start or leaves GPUs idle. Set TensorParallelSize = {size}."), fix);
            }
            else
            {
                Report(context, RuleCatalog.ParallelismGpuMismatch, location, FormattableString.Invariant($"{parts} = {product}, but the replica has {count} GPUs, which {(dp > 1 ? $"pipeline x data parallel {others}" : $"pipeline parallel {pp}")} does not divide. Set PipelineParallelSize{(dp > 1 ? " and DataParallelSize" : string.Empty)} to divide {count} and TensorParallelSize to the quotient."));
            }
        }

        if (tp is > 0 && pp is > 0 && (long)tp * pp > 1)
        {
            CheckSharedMemory(context, deployment, (long)tp.Value * pp.Value);
        }

        CheckRemoteCode(context, deployment, engine);

        if (GpuWithoutFp8(accelerator, symbols) is { } gpu)
        {
            if (EnumMember(engine.Resolved("Quantization")) == "Fp8")
            {
                Report(context, RuleCatalog.Fp8WithoutHardwareSupport, engine.LocationOf("Quantization"), $"{gpu} has no fp8 tensor cores: fp8 weights run through slower kernels and throughput is lower than planned. Use a Hopper or Ada GPU (H100, H200, L40S, L4), or AWQ/GPTQ.");
            }
            else if (EnumMember(engine.Resolved("KvCacheDtype")) is { } kv && kv != "Auto")
            {
                Report(context, RuleCatalog.Fp8WithoutHardwareSupport, engine.LocationOf("KvCacheDtype"), $"{gpu} has no fp8 tensor cores: an fp8 KV cache saves memory but is dequantized in software. Check the throughput profile, or use a Hopper or Ada GPU.");
            }
        }
    }

    private static void CheckSharedMemory(Analysis context, Initializer deployment, long gpus)
    {
        var resources = deployment.Child("Resources");
        var hasShm = resources is not null && resources.Has("SharedMemoryMiB") && !resources.IsNull("SharedMemoryMiB") && Int(resources.Constant("SharedMemoryMiB")) is null or > 0;
        if (deployment.IsComplete && !hasShm && (resources is { IsComplete: true } || !deployment.Has("Resources")))
        {
            Report(context, RuleCatalog.SharedMemoryMissing, resources?.Location ?? deployment.Location, FormattableString.Invariant($"the instance spans {gpus} GPUs and NCCL needs /dev/shm. Set Resources.SharedMemoryMiB, for example 16384."));
        }
    }

    private static void CheckRemoteCode(Analysis context, Initializer deployment, Initializer engine)
    {
        if (engine.Constant("TrustRemoteCode") is true && deployment.Child("Model") is { } model
            && (model.IsComplete ? !(model.Constant("Revision") is string r && RuleFacts.IsPinnedRevision(r)) : model.Constant("Revision") is string r2 && !RuleFacts.IsPinnedRevision(r2)))
        {
            Report(context, RuleCatalog.RemoteCodeUnpinned, engine.LocationOf("TrustRemoteCode"), "trust-remote-code executes the model repository's Python. Pin Model.Revision to a 40-hex commit, or turn TrustRemoteCode off.");
        }
    }

    /// <summary>The catalog name of the replica's GPU when it is known to lack fp8 tensor cores; null otherwise or when unknown.</summary>
    private static string? GpuWithoutFp8(Initializer? accelerator, ConfigAsCodeSymbols symbols)
    {
        switch (accelerator?.Resolved("Gpu"))
        {
            case IPropertyReferenceOperation gpu when ConfigAsCodeSymbols.Is(gpu.Property.ContainingType, symbols.GpuCatalog):
                return NoFp8Gpus.Contains(gpu.Property.Name) ? gpu.Property.Name : null;
            case { } declared when Initializer.From(declared, symbols.Resolver) is { IsComplete: true } kind && ConfigAsCodeSymbols.Is(kind.Type, symbols.GpuKind):
                return kind.Constant("SupportsFp8") is false ? kind.Constant("Name") as string ?? "this GPU" : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// CAC1020: a declared <c>Model.LoadTime</c> against the startup probe's budget (initial delay + period x failure
    /// threshold), when both are written in the declaration. An estimated load time needs the model catalog: build time.
    /// </summary>
    private static void CheckStartupBudget(Analysis context, ConfigAsCodeSymbols symbols, Initializer deployment)
    {
        if (deployment.Child("Model") is not { } model || model.Value("LoadTime") is null
            || TimeSpanConstant.Of(model.Value("LoadTime"), symbols.Resolver).Seconds is not { } load || !(load > 0)
            || StartupTiming(deployment, symbols) is not { } startup)
        {
            return;
        }

        var budget = RuleFacts.ProbeToleranceSeconds(startup.Delay, startup.Period, startup.Failures);
        if (load > budget)
        {
            var minutes = (long)Math.Ceiling(load * 1.5 / 60);
            var failures = (long)Math.Ceiling((load - startup.Delay) / startup.Period);
            Report(context, RuleCatalog.ModelLoadExceedsStartupBudget, model.LocationOf("LoadTime"), FormattableString.Invariant(
                $"loading the model takes {(long)Math.Ceiling(load)} s (Model.LoadTime) but the startup probe gives up after {RuleFacts.Seconds(budget)} s (initial delay {startup.Delay} s + period {startup.Period} s x failure threshold {startup.Failures}): the kubelet restarts the container before the model has loaded, again and again. Set Probes = HealthProbes.For(\"<health path>\", TimeSpan.FromMinutes({minutes})), or raise Probes.Startup.FailureThreshold to at least {failures}."));
        }
    }

    /// <summary>The startup probe's timing as the declaration writes it, with the model's defaults for what a complete initializer leaves out.</summary>
    private static (double Delay, double Period, double Failures)? StartupTiming(Initializer deployment, ConfigAsCodeSymbols symbols)
    {
        if (!deployment.Has("Probes"))
        {
            return deployment.IsComplete ? StartupFor(RuleFacts.DefaultLoadAllowanceSeconds) : null;
        }

        return ProbesStartup(deployment.Resolved("Probes"), symbols, depth: 0);
    }

    private static (double Delay, double Period, double Failures)? ProbesStartup(IOperation? probes, ConfigAsCodeSymbols symbols, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        if (probes is IInvocationOperation { TargetMethod.Name: "For" } call && ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.Probes))
        {
            return TimeSpanConstant.Of(Initializer.ArgumentOf(call.Arguments, "loadTime"), symbols.Resolver).Seconds is { } load ? StartupFor(load) : null;
        }

        if (Initializer.From(probes, symbols.Resolver) is not { } init || !ConfigAsCodeSymbols.Is(init.Type, symbols.Probes))
        {
            return null;
        }

        if (init.Has("Startup"))
        {
            return ProbeTiming(init.Resolved("Startup"), symbols, depth + 1);
        }

        return init.IsComplete ? StartupFor(RuleFacts.DefaultLoadAllowanceSeconds) : ProbesStartup(init.WithOperand, symbols, depth + 1);
    }

    private static (double Delay, double Period, double Failures)? ProbeTiming(IOperation? probe, ConfigAsCodeSymbols symbols, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        if (probe is IInvocationOperation { TargetMethod.Name: "StartupFor" } call && ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.Probes))
        {
            return TimeSpanConstant.Of(Initializer.ArgumentOf(call.Arguments, "loadTime"), symbols.Resolver).Seconds is { } load ? StartupFor(load) : null;
        }

        if (Initializer.From(probe, symbols.Resolver) is not { } init || !ConfigAsCodeSymbols.Is(init.Type, symbols.Probe))
        {
            return null; // null (no startup probe) is CAC1002's; anything else is not decidable here
        }

        (double Delay, double Period, double Failures)? inherited = init.IsComplete
            ? (RuleFacts.ProbeInitialDelaySeconds, RuleFacts.ProbePeriodSeconds, RuleFacts.ProbeFailureThreshold)
            : ProbeTiming(init.WithOperand, symbols, depth + 1);
        if (inherited is not { } baseline)
        {
            return null;
        }

        double? Part(string property, double fallback) => init.Has(property) ? Int(init.Constant(property)) : fallback;
        if (Part("InitialDelaySeconds", baseline.Delay) is not { } delay || Part("PeriodSeconds", baseline.Period) is not { } period || Part("FailureThreshold", baseline.Failures) is not { } failures
            || delay < 0 || period <= 0 || failures <= 0)
        {
            return null; // not constant, or invalid timing (CAC1012)
        }

        return (delay, period, failures);
    }

    private static (double Delay, double Period, double Failures) StartupFor(double loadSeconds) =>
        (0, RuleFacts.StartupPeriodSeconds, RuleFacts.StartupForToleranceSeconds(loadSeconds) / RuleFacts.StartupPeriodSeconds);

    /// <summary>True when the deployment is declared for a production environment, as far as the source says.</summary>
    private static bool IsProduction(Initializer deployment, ConfigAsCodeSymbols symbols, int depth)
    {
        if (deployment.Has("Environment"))
        {
            return IsProductionEnvironment(deployment.Resolved("Environment"), symbols);
        }

        // A 'with' keeps its operand's environment: chat.In(Prod) with { ... }, a chain of withs, or a local holding one.
        switch (deployment.WithOperand)
        {
            case IInvocationOperation { TargetMethod.Name: "In" } overlay when ConfigAsCodeSymbols.Is(overlay.TargetMethod.ContainingType, symbols.Deployment):
                return IsProductionEnvironment(symbols.Resolver.Resolve(Initializer.ArgumentOf(overlay.Arguments, "environment")), symbols);
            case IObjectCreationOperation or IWithOperation when depth < 6 && Initializer.From(deployment.WithOperand, symbols.Resolver) is { } inner && ConfigAsCodeSymbols.Is(inner.Type, symbols.Deployment):
                return IsProduction(inner, symbols, depth + 1);
            default:
                return false;
        }
    }

    private static bool IsProductionEnvironment(IOperation? environment, ConfigAsCodeSymbols symbols)
    {
        switch (environment)
        {
            case IPropertyReferenceOperation { Property.Name: "Prod" } p:
                return ConfigAsCodeSymbols.Is(p.Property.ContainingType, symbols.Environment);
            case IObjectCreationOperation or IWithOperation when Initializer.From(environment, symbols.Resolver) is { } init && ConfigAsCodeSymbols.Is(init.Type, symbols.Environment):
                if (init.Has("IsProduction"))
                {
                    return init.Constant("IsProduction") is true;
                }

                return init.WithOperand is { } operand
                    ? IsProductionEnvironment(operand, symbols)
                    : symbols.Resolver.Constant(init.Argument("isProduction")) is true;
            default:
                return false;
        }
    }
}
