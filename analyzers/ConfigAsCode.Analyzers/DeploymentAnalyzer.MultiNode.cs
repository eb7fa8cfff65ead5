using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Analyzers;

/// <summary>CAC1030, CAC1031, CAC1033 and CAC3025 where nodes, parallel sizes and KEDA values are constants in the source.</summary>
public sealed partial class DeploymentAnalyzer
{
    /// <summary>Tensor parallelism across nodes (CAC3025), an Argo strategy on a multi-node replica (CAC1030), production scale to zero (CAC1031).</summary>
    private static void AnalyzeMultiNode(Analysis context, ConfigAsCodeSymbols symbols, Initializer deployment, bool production)
    {
        var accelerator = deployment.Child("Accelerator");
        var nodes = accelerator is null ? null : Int(accelerator.Constant("Nodes")) ?? (accelerator.IsComplete && !accelerator.Has("Nodes") ? 1 : null);
        if (nodes is > 1 && accelerator is not null)
        {
            if (deployment.Resolved("Rollout") is IObjectCreationOperation rollout
                && (ConfigAsCodeSymbols.Is(rollout.Type, symbols.Canary) || ConfigAsCodeSymbols.Is(rollout.Type, symbols.Ramp) || ConfigAsCodeSymbols.Is(rollout.Type, symbols.Shadow)))
            {
                Report(context, RuleCatalog.MultiNodeRolloutUnsupported, deployment.LocationOf("Rollout"), FormattableString.Invariant($"a {nodes}-node replica is a LeaderWorkerSet group, which rolls out with its own rolling update: Argo Rollouts cannot run this strategy. Use new RollingUpdate(), and a pool canary (Pool.Canary) to judge a new version."));
            }

            var engine = deployment.Child("Engine");
            var interconnect = accelerator.Value("Interconnect");
            var network = interconnect is null ? accelerator.IsComplete : EnumMember(accelerator.Resolved("Interconnect")) == "Network";
            var perNode = Int(accelerator.Constant("Count")) ?? (accelerator.IsComplete && !accelerator.Has("Count") ? 1 : null);
            var tp = engine is null || !ConfigAsCodeSymbols.Is(engine.Type, symbols.Vllm) ? null : Int(engine.Constant("TensorParallelSize")) ?? (engine.IsComplete && !engine.Has("TensorParallelSize") ? 1 : null);
            if (network && perNode is > 0 && tp is > 0 && (tp > perNode || perNode % tp != 0))
            {
                Report(context, RuleCatalog.TensorParallelSpansNodes, engine!.Has("TensorParallelSize") ? engine.LocationOf("TensorParallelSize") : engine.Location,
                    FormattableString.Invariant($"tensor parallel {tp} spans nodes: each node of this replica has {perNode} GPUs (Accelerator.Count, the per-node limit: at most {perNode} and a divisor of it). Keep tensor parallelism inside a node: TensorParallelSize = {perNode}, PipelineParallelSize = {nodes}."));
            }
        }

        var scaling = deployment.Child("Scaling");
        if (production && scaling is not null && Int(scaling.Constant("MinReplicas")) == 0 && ScaleToZeroAcknowledged(scaling) == false)
        {
            Report(context, RuleCatalog.ScaleToZeroInProductionUnacknowledged, scaling.LocationOf("MinReplicas"), "production scales to zero: every request after idle waits for a GPU node and a model load. Keep MinReplicas at 2 or more, or say why with Keda = new() { ScaleToZeroAcknowledgment = \"...\" }.");
        }
    }

    /// <summary>True or false when the source says whether scaling to zero is acknowledged; null when it cannot be seen.</summary>
    private static bool? ScaleToZeroAcknowledged(Initializer scaling)
    {
        if (!scaling.Has("Keda"))
        {
            return scaling.IsComplete ? false : null;
        }

        if (scaling.IsNull("Keda"))
        {
            return false;
        }

        if (scaling.Child("Keda") is not { IsComplete: true } keda)
        {
            return null;
        }

        return !keda.Has("ScaleToZeroAcknowledgment") || keda.IsNull("ScaleToZeroAcknowledgment") ? false
            : keda.Constant("ScaleToZeroAcknowledgment") is string reason ? reason.Trim().Length > 0
            : null;
    }

    /// <summary>KEDA on CPU or on a fixed replica count (CAC1033).</summary>
    private static void AnalyzeKedaScaling(Analysis context, ConfigAsCodeSymbols symbols, Initializer scaling, int? min, int? max)
    {
        if (!scaling.Has("Keda") || scaling.IsNull("Keda"))
        {
            return;
        }

        if (scaling.Resolved("Signal") is IInvocationOperation { TargetMethod.Name: "Cpu" } cpu && ConfigAsCodeSymbols.Is(cpu.TargetMethod.ContainingType, symbols.ScalingSignal))
        {
            Report(context, RuleCatalog.KedaScalingInvalid, scaling.LocationOf("Signal"), "KEDA scales here on a Prometheus query of the engine's queue; CPU is no signal for GPU inference. Use ScalingSignal.QueueDepth(5).");
        }

        if (min is >= 0 && max is > 0 && min == max)
        {
            Report(context, RuleCatalog.KedaScalingInvalid, scaling.LocationOf("Keda"), FormattableString.Invariant($"MinReplicas and MaxReplicas are both {min}: KEDA has nothing to scale. Raise MaxReplicas, or remove Keda."));
        }
    }

    /// <summary>KEDA values out of range (CAC1033).</summary>
    private static void AnalyzeKeda(Analysis context, Initializer keda)
    {
        if (Number(keda.Constant("KvCacheUsageTarget")) is { } kv && !(kv > 0 && kv <= 1))
        {
            Report(context, RuleCatalog.KedaScalingInvalid, keda.LocationOf("KvCacheUsageTarget"), $"{Format(kv)} is not a KV-cache usage in (0, 1]. Use 0.8.");
        }

        if (Int(keda.Constant("FallbackReplicas")) is < 0)
        {
            Report(context, RuleCatalog.KedaScalingInvalid, keda.LocationOf("FallbackReplicas"), "fallback replicas cannot be negative.");
        }

        if (Int(keda.Constant("FallbackAfterFailures")) is < 1)
        {
            Report(context, RuleCatalog.KedaScalingInvalid, keda.LocationOf("FallbackAfterFailures"), "KEDA needs at least 1 failed query before the fallback. Use 3.");
        }
    }
}
