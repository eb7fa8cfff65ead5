using System;
using System.Collections.Generic;
using System.Globalization;
using ConfigAsCode.Synthesis.Gpu;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Weights;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC1xxx: probes, replicas, disruption budgets and the autoscaling signal.</summary>
internal static class ReliabilityRules
{
    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.ReadinessProbeMissing, c =>
        {
            if (c.Deployment.Probes?.Readiness is null)
            {
                c.Report("Probes.Readiness", $"no readiness probe: the Service sends traffic to pods that are still loading the model. Set Probes.Readiness to a probe on '{c.Deployment.Engine?.HealthPath}'.");
            }
        }),
        new(RuleCatalog.StartupProbeMissing, c =>
        {
            if (c.Deployment.Probes?.Startup is null)
            {
                c.Report("Probes.Startup", "no startup probe: a model load of minutes is judged by liveness and readiness timings. Set Probes.Startup = HealthProbes.StartupFor(<load time>).");
            }
        }),
        new(RuleCatalog.LivenessProbeMissing, c =>
        {
            if (c.Deployment.Probes?.Liveness is null)
            {
                c.Report("Probes.Liveness", "no liveness probe: a wedged engine (a stuck CUDA stream, a deadlocked scheduler) keeps its GPUs forever. Set Probes.Liveness.");
            }
        }),
        new(RuleCatalog.IdenticalLivenessAndReadiness, c =>
        {
            var probes = c.Deployment.Probes;
            if (probes?.Liveness is { } liveness && probes.Readiness is { } readiness && liveness == readiness)
            {
                c.Report("Probes.Liveness", "liveness and readiness probes are identical: a slow engine is restarted instead of being taken out of rotation. Give liveness a longer period or a higher failure threshold.");
            }
        }),
        new(RuleCatalog.LivenessKillsBeforeModelLoads, c =>
        {
            var probes = c.Deployment.Probes;
            if (probes?.Liveness is not { } liveness || probes.Startup is not null)
            {
                return;
            }

            var load = EstimatedLoadTime(c);
            if (load is null)
            {
                c.Undecided("Probes.Liveness", "liveness runs without a startup probe and the model's load time is unknown. Add a startup probe, or declare Model.LoadTime or Model.Architecture.");
                return;
            }

            if (liveness.Tolerance < load.Value)
            {
                c.Report("Probes.Liveness", $"liveness gives up after {Seconds(liveness.Tolerance)} s but loading the model takes about {Seconds(load.Value)} s, and there is no startup probe: the pod is restarted before it ever serves. Add Probes.Startup = HealthProbes.StartupFor(TimeSpan.FromSeconds({Seconds(load.Value) * 2})).");
            }
        }),
        new(RuleCatalog.SingleReplicaInProduction, c =>
        {
            var min = c.Deployment.Scaling?.MinReplicas;
            if (c.IsProduction && min == 1)
            {
                c.Report("Scaling.MinReplicas", "production runs one replica: a node drain, a GPU fault or a rollout takes the model offline. Set Scaling.MinReplicas to at least 2.");
            }
        }),
        new(RuleCatalog.DisruptionBudgetMissing, c =>
        {
            var budget = c.Deployment.DisruptionBudget;
            var min = c.Deployment.Scaling?.MinReplicas ?? 0;
            if (budget is null)
            {
                c.Report("DisruptionBudget", "no PodDisruptionBudget: a node drain may evict every replica at once. Set DisruptionBudget = new() { MaxUnavailable = 1 }.");
            }
            else if (budget.MaxUnavailable is { } maxUnavailable && maxUnavailable <= 0)
            {
                c.Report("DisruptionBudget.MaxUnavailable", "MaxUnavailable = 0 blocks every node drain and cluster upgrade. Use MaxUnavailable = 1.");
            }
            else if (budget.MaxUnavailable is null && budget.MinAvailable is { } minAvailable && minAvailable >= min && min > 0)
            {
                c.Report("DisruptionBudget.MinAvailable", $"MinAvailable = {minAvailable} with {min} minimum replicas blocks every node drain. Use MaxUnavailable = 1.");
            }
        }),
        new(RuleCatalog.CpuAutoscalingOnGpu, c =>
        {
            if (c.Deployment.Scaling?.Signal?.Kind == ScalingSignalKind.Cpu)
            {
                c.Report("Scaling.Signal", "GPU inference is not CPU-bound: CPU utilisation stays low while requests queue. Scale on queue depth: Signal = ScalingSignal.QueueDepth(5).");
            }
        }),
        new(RuleCatalog.ScaleToZeroOnGpu, c =>
        {
            if (c.Deployment.Scaling is { MinReplicas: 0 } scaling && !AutoscalerRules.Acknowledged(scaling))
            {
                c.Report("Scaling.MinReplicas", "MinReplicas = 0: the first request after idle waits for a GPU node and a full model load (minutes). Keep at least 1 replica, or scale with KEDA and say why: Keda = new() { ScaleToZeroAcknowledgment = \"...\" }.");
            }
        }),
        new(RuleCatalog.ReplicaBoundsInvalid, c =>
        {
            var scaling = c.Deployment.Scaling;
            if (scaling is null)
            {
                c.Report("Scaling", "Scaling is null. Remove the assignment to use the defaults, or set MinReplicas and MaxReplicas.");
                return;
            }

            if (scaling.MinReplicas < 0)
            {
                c.Report("Scaling.MinReplicas", $"MinReplicas is {scaling.MinReplicas}: replica counts cannot be negative. Set MinReplicas to 2 or more (0 only with a justification, CAC1009).");
            }

            if (scaling.MaxReplicas < 1)
            {
                c.Report("Scaling.MaxReplicas", $"MaxReplicas is {scaling.MaxReplicas}: no replica may run. Set MaxReplicas to at least MinReplicas.");
            }
            else if (scaling.MaxReplicas < scaling.MinReplicas)
            {
                c.Report("Scaling.MaxReplicas", $"MaxReplicas ({scaling.MaxReplicas}) is below MinReplicas ({scaling.MinReplicas}). Raise MaxReplicas or lower MinReplicas.");
            }

            if (scaling.Signal is { } signal && !(signal.TargetPerReplica > 0 && !double.IsInfinity(signal.TargetPerReplica)))
            {
                c.Report("Scaling.Signal.TargetPerReplica", $"a scaling target of {Format(signal.TargetPerReplica)} per replica cannot be followed. Set a positive target, for example ScalingSignal.QueueDepth(5).");
            }
        }),
        new(RuleCatalog.ResourcesMissing, c =>
        {
            var r = c.Deployment.Resources;
            if (r is null)
            {
                c.Report("Resources", "Resources is null: set CPU and memory requests and a memory limit.");
                return;
            }

            if (r.CpuRequestMillicores is not > 0)
            {
                c.Report("Resources.CpuRequestMillicores", "no positive CPU request: the scheduler may pack the pod onto a node whose CPUs cannot keep the GPUs fed. Set CpuRequestMillicores.");
            }

            if (r.MemoryRequestMiB is not > 0)
            {
                c.Report("Resources.MemoryRequestMiB", "no positive memory request. Set MemoryRequestMiB.");
            }

            if (r.MemoryLimitMiB is not > 0)
            {
                c.Report("Resources.MemoryLimitMiB", "no positive memory limit: a leaking engine takes the node down with it. Set MemoryLimitMiB.");
            }
            else if (r.MemoryRequestMiB is > 0 && r.MemoryLimitMiB < r.MemoryRequestMiB)
            {
                c.Report("Resources.MemoryLimitMiB", $"the memory limit ({r.MemoryLimitMiB} MiB) is below the request ({r.MemoryRequestMiB} MiB); Kubernetes rejects the pod. Raise MemoryLimitMiB to at least {r.MemoryRequestMiB}.");
            }

            if (r.CpuLimitMillicores is { } cpuLimit && r.CpuRequestMillicores is > 0 && cpuLimit < r.CpuRequestMillicores)
            {
                c.Report("Resources.CpuLimitMillicores", $"the CPU limit ({cpuLimit}m) is below the request ({r.CpuRequestMillicores}m); Kubernetes rejects the pod. Raise CpuLimitMillicores to at least {r.CpuRequestMillicores}, or remove it.");
            }

            if (r.SharedMemoryMiB is > 0 && r.MemoryLimitMiB is > 0 && r.SharedMemoryMiB >= r.MemoryLimitMiB)
            {
                c.Report("Resources.SharedMemoryMiB", $"/dev/shm ({r.SharedMemoryMiB} MiB) counts against the memory limit ({r.MemoryLimitMiB} MiB) and would leave nothing for the engine. Raise MemoryLimitMiB.");
            }
        }),
        new(RuleCatalog.ProbeTimingInvalid, c =>
        {
            var probes = c.Deployment.Probes;
            if (probes is null)
            {
                c.Report("Probes", "Probes is null. Remove the assignment to use the defaults, or set each probe.");
                return;
            }

            CheckProbe(c, "Probes.Startup", probes.Startup, mustSucceedOnce: true);
            CheckProbe(c, "Probes.Readiness", probes.Readiness, mustSucceedOnce: false);
            CheckProbe(c, "Probes.Liveness", probes.Liveness, mustSucceedOnce: true);
        }),
        new(RuleCatalog.ModelLoadExceedsStartupBudget, c =>
        {
            var startup = c.Deployment.Probes?.Startup;
            if (startup is null || startup.PeriodSeconds <= 0 || startup.FailureThreshold <= 0 || startup.InitialDelaySeconds < 0)
            {
                return; // no startup probe is CAC1002 and CAC1005; invalid timing is CAC1012
            }

            if (LoadTime(c) is not { } load || !(load > TimeSpan.Zero))
            {
                return; // without Model.LoadTime or a known architecture there is nothing to compare (CAC3010 reports the architecture)
            }

            var budget = RuleFacts.ProbeToleranceSeconds(startup.InitialDelaySeconds, startup.PeriodSeconds, startup.FailureThreshold);
            var loadSeconds = load.TotalSeconds;
            if (loadSeconds <= budget)
            {
                return;
            }

            var declared = c.Deployment.Model?.LoadTime is not null;
            var source = declared ? "Model.LoadTime" : $"estimated: {Seconds(c.Options.EngineStartOverhead)} s start-up plus the weights at {Format(c.Options.ModelLoadGiBPerSecond)} GiB/s; declare Model.LoadTime if you measured it";
            var minutes = (long)Math.Ceiling(loadSeconds * 1.5 / 60);
            var failures = (long)Math.Ceiling((loadSeconds - startup.InitialDelaySeconds) / startup.PeriodSeconds);
            c.Report("Probes.Startup", string.Create(CultureInfo.InvariantCulture,
                $"loading the model takes {(long)Math.Ceiling(loadSeconds)} s ({source}) but the startup probe gives up after {RuleFacts.Seconds(budget)} s (initial delay {startup.InitialDelaySeconds} s + period {startup.PeriodSeconds} s x failure threshold {startup.FailureThreshold}): the kubelet restarts the container before the model has loaded, again and again. Set Probes = HealthProbes.For(\"{c.Deployment.Engine?.HealthPath ?? "/health"}\", TimeSpan.FromMinutes({minutes})), or raise Probes.Startup.FailureThreshold to at least {failures}."));
        }),
        new(RuleCatalog.SloCannotBeMet, c =>
        {
            if (c.Deployment.Slos is not { } slos)
            {
                return;
            }

            foreach (var (property, message) in RuleFacts.ImpossibleObjectives(slos.Availability, slos.MaxErrorRate, slos.P95Latency?.TotalSeconds, slos.P99Latency?.TotalSeconds, slos.P95TimeToFirstToken?.TotalSeconds))
            {
                c.Report("Slos." + property, message);
            }

            if (ForwardPassFloor(c) is not { } floor)
            {
                return;
            }

            foreach (var (property, objective) in new[] { ("P95TimeToFirstToken", slos.P95TimeToFirstToken), ("P95Latency", slos.P95Latency), ("P99Latency", slos.P99Latency) })
            {
                if (objective is { } o && o > TimeSpan.Zero && o.TotalSeconds < floor.Seconds)
                {
                    c.Report("Slos." + property, string.Create(CultureInfo.InvariantCulture,
                        $"{RuleFacts.Seconds(o.TotalSeconds)} s is less than one forward pass of the model can take: its {floor.WeightGiB:0.##} GiB of weights are read from memory for every token, which takes at least {floor.Seconds * 1000:0.##} ms on {floor.Gpus} x {floor.Gpu} at their full {floor.BandwidthGBps:0} GB/s each, before any scheduling or network time; no engine produces a first token sooner. Set it above {RuleFacts.Seconds(floor.Seconds)} s, from a load test of this deployment."));
                }
            }
        }),
    ];

    /// <summary>
    /// Container start to serving: the declared load time, or one estimated from the checkpoint, plus the download when
    /// the engine fetches the weights itself; null when neither is known.
    /// </summary>
    internal static TimeSpan? EstimatedLoadTime(RuleContext c) => ModelLoadTime.Of(c.Deployment, c.Options);

    /// <summary>
    /// The load alone, for CAC1020: the declared <c>Model.LoadTime</c>, or one estimated from the checkpoint, without
    /// any download (a download's share of the startup budget is CAC1027's); null when neither is known.
    /// </summary>
    internal static TimeSpan? LoadTime(RuleContext c) => c.Deployment.Model is null || c.Deployment.Engine is null ? null : StartupBudget.For(c.Deployment, c.Options).Load;

    /// <summary>
    /// The hardware floor of CAC1021: the time one forward pass needs to read every weight once at the GPUs' full memory
    /// bandwidth (weights split over the tensor-parallel ranks, which read in parallel; pipeline stages run one after the
    /// other, so they do not shorten it). Every token, the first included, takes at least this long. Null when the model,
    /// GPU or parallelism is unknown. The record has no active-parameter count yet, so a mixture-of-experts model is
    /// counted with all its experts (see docs/rules/CAC1021.md).
    /// </summary>
    internal static (double Seconds, double WeightGiB, int Gpus, string Gpu, double BandwidthGBps)? ForwardPassFloor(RuleContext c)
    {
        var (tensorParallel, quantization) = c.Deployment.Engine switch
        {
            VllmEngine v => (v.TensorParallelSize, v.Quantization),
            TgiEngine t => (t.NumShard, t.Quantization),
            _ => (0, Quantization.None),
        };
        if (c.Architecture is not { ParametersBillions: > 0 } a || double.IsInfinity(a.ParametersBillions) || tensorParallel <= 0
            || c.Deployment.Accelerator?.Gpu is not { MemoryBandwidthGBps: > 0 } gpu || double.IsInfinity(gpu.MemoryBandwidthGBps))
        {
            return null;
        }

        var weightBytes = KvCacheBudget.WeightBytesOf(a, quantization);
        var seconds = weightBytes / (gpu.MemoryBandwidthGBps * 1e9 * tensorParallel);
        return (seconds, weightBytes / KvCacheBudget.BytesPerGiB, tensorParallel, gpu.Name, gpu.MemoryBandwidthGBps);
    }

    private static void CheckProbe(RuleContext c, string path, Probe? probe, bool mustSucceedOnce)
    {
        if (probe is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(probe.Path) || !probe.Path.StartsWith("/", StringComparison.Ordinal))
        {
            c.Report(path + ".Path", "the probe path does not start with '/'; the kubelet cannot request it. Use the engine's health path, for example '/health'.");
        }

        if (probe.PeriodSeconds <= 0 || probe.TimeoutSeconds <= 0 || probe.FailureThreshold <= 0 || probe.SuccessThreshold <= 0 || probe.InitialDelaySeconds < 0)
        {
            c.Report(path, "a period, timeout or threshold below 1, or a negative initial delay, makes Kubernetes reject the pod. Set them positive and the initial delay to zero or more.");
        }
        else if (probe.TimeoutSeconds > probe.PeriodSeconds)
        {
            c.Report(path + ".TimeoutSeconds", $"the timeout ({probe.TimeoutSeconds} s) is longer than the period ({probe.PeriodSeconds} s): probes overlap. Make TimeoutSeconds at most PeriodSeconds.");
        }

        if (mustSucceedOnce && probe.SuccessThreshold != 1 && probe.SuccessThreshold > 0)
        {
            c.Report(path + ".SuccessThreshold", "Kubernetes rejects startup and liveness probes whose SuccessThreshold is not 1. Set SuccessThreshold = 1.");
        }
    }

    private static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
