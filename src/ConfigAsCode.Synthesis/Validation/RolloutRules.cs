using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rollouts;
using ConfigAsCode.Synthesis.Rules;

namespace ConfigAsCode.Synthesis.Validation;

/// <summary>CAC1013–CAC1018 and CAC4007: canary, ramp and shadow rollouts, their guardrails and their rollback path.</summary>
internal static class RolloutRules
{
    public static IReadOnlyList<DeploymentRule> All { get; } =
    [
        new(RuleCatalog.ProgressiveRolloutWithoutGuardrails, c =>
        {
            var d = c.Deployment;
            if (c.IsProduction && d.Pool?.Canary is { Weight: > 0 } poolCanary && d.Engine is not null)
            {
                var canaryGuardrails = RolloutPlan.ResolvePoolCanary(d);
                if (!canaryGuardrails.Any || d.Observability is { ScrapeMetrics: false } || RolloutPlan.Measurable(d, canaryGuardrails).Count == 0)
                {
                    c.Report("Pool.Canary", $"this production pool canary sends {poolCanary.Weight}% of live traffic to '{poolCanary.Candidate}' with nothing measurable to judge it by (no Slos or Pool.Canary.Guardrails the engine exports metrics for, or ScrapeMetrics off), so a bad version is never caught. Declare Slos (MaxErrorRate, P95Latency) on this deployment, or Guardrails on the canary.");
                }
            }

            if (!c.IsProduction || d.Rollout is not (CanaryRollout or RampRollout))
            {
                return;
            }

            var guardrails = RolloutPlan.Resolve(d);
            if (!guardrails.Any)
            {
                c.Report("Rollout.Guardrails", "this production rollout moves live traffic with nothing to judge it by: no Guardrails and no Slos to derive them from, so a bad version is never rolled back automatically. Declare Slos (MaxErrorRate, P95Latency) or Guardrails.");
            }
            else if (d.Observability is { ScrapeMetrics: false })
            {
                c.Report("Observability.ScrapeMetrics", "the guardrails need the engine's metrics, but ScrapeMetrics is false: every analysis would measure nothing. Set Observability.ScrapeMetrics = true.");
            }
            else if (d.Engine is not null && RolloutPlan.Measurable(d, guardrails).Count == 0)
            {
                c.Report("Rollout.Guardrails", $"none of the guardrails can be measured on {EngineMetrics.For(d.Engine).Engine} ({EngineMetrics.For(d.Engine).Source}). Add MaxErrorRate, which every engine exports.");
            }
        }),
        new(RuleCatalog.GuardrailLooserThanSlo, c =>
        {
            var d = c.Deployment;
            if (RolloutPlan.Declared(d.Rollout) is not { } g || d.Slos is not { } slos)
            {
                return;
            }

            var sloError = RolloutPlan.SloErrorRate(slos);
            if (g.MaxErrorRate is { } e && sloError is { } se && e > se)
            {
                c.Report("Rollout.Guardrails.MaxErrorRate", $"the guardrail lets the new version fail {Format(e)} of requests, but the SLO allows {Format(se)}: a version that breaks the SLO passes the rollout. Remove it to derive it from the SLO, or set it at or below {Format(se)}.");
            }

            if (g.MaxP95Latency is { } l && slos.P95Latency is { } sl && l > sl)
            {
                c.Report("Rollout.Guardrails.MaxP95Latency", $"the guardrail accepts a p95 latency of {EngineMetrics.Seconds(l)}s, but the SLO is {EngineMetrics.Seconds(sl)}s. Set it at or below the SLO, or remove it to derive it.");
            }

            if (g.MaxP95TimeToFirstToken is { } t && slos.P95TimeToFirstToken is { } st && t > st)
            {
                c.Report("Rollout.Guardrails.MaxP95TimeToFirstToken", $"the guardrail accepts a p95 time to first token of {EngineMetrics.Seconds(t)}s, but the SLO is {EngineMetrics.Seconds(st)}s. Set it at or below the SLO, or remove it to derive it.");
            }
        }),
        new(RuleCatalog.IndefinitePause, c =>
        {
            foreach (var (step, path) in RolloutPlan.Steps(c.Deployment.Rollout))
            {
                if (step is PauseStep { Duration: null })
                {
                    c.Report(path, "a pause without a duration waits for someone to run 'kubectl argo rollouts promote': an automated rollout stalls, holding canary GPUs, until a human notices. Give it a duration, CanaryStep.Pause(TimeSpan.FromMinutes(10)), or suppress with the reason a manual gate is intended.");
                }
            }
        }),
        new(RuleCatalog.WeightJumpTooLarge, c =>
        {
            var weights = RolloutPlan.Weights(c.Deployment.Rollout);
            if (weights.Any(w => w.Percent is < 0 or > 100))
            {
                return; // CAC1018 reports the share itself
            }

            var previous = 0;
            var allAtOnceIsCac1017 = c.Deployment.Rollout is CanaryRollout or RampRollout;
            for (var i = 0; i < weights.Count; i++)
            {
                var weight = weights[i];
                var jump = weight.Percent - previous;

                // A first step of 100% is CAC1017's finding; reporting it as a jump too would say the same thing twice.
                var firstStepAllTraffic = allAtOnceIsCac1017 && i == 0 && weight.Percent == 100 && weight.StepPath is not null;
                if (jump > c.Options.MaxWeightStep && previous < 100 && !firstStepAllTraffic)
                {
                    c.Report(
                        weight.StepPath ?? "Rollout",
                        weight.StepPath is null
                            ? $"after the last step ({previous}%) Argo Rollouts promotes to 100% at once: {jump} points of traffic move without a guardrail having seen that share. Add steps up to {previous + c.Options.MaxWeightStep}% or more before the end."
                            : $"traffic jumps from {previous}% to {weight.Percent}% ({jump} points, above {c.Options.MaxWeightStep}): most users meet the new version before the guardrails have judged a smaller share. Add an intermediate step.");
                }

                previous = weight.Percent;
            }
        }),
        new(RuleCatalog.NoRollbackPath, c =>
        {
            var rollout = c.Deployment.Rollout;
            if (rollout is null)
            {
                return;
            }

            if (rollout.RevisionHistoryLimit < 1)
            {
                c.Report("Rollout.RevisionHistoryLimit", "RevisionHistoryLimit 0 deletes the previous ReplicaSet: there is nothing to roll back to but a new rollout of an old commit. Keep at least 1 (10 by default).");
            }

            var weights = RolloutPlan.Weights(rollout);
            if (RolloutPlan.IsProgressive(rollout) && rollout is not ShadowRollout && weights.Count > 0 && weights[0].Percent == 100 && weights[0].StepPath is not null)
            {
                c.Report(weights[0].StepPath ?? "Rollout", "the first step sends all traffic to the new version: the old version serves nothing while the guardrails judge, so an abort has no healthy traffic split to return to. Start with a small share, for example 5%.");
            }
        }),
        new(RuleCatalog.RolloutDefinitionInvalid, CheckDefinition),
        new(RuleCatalog.MultiNodeRolloutUnsupported, c =>
        {
            if (c.Deployment.Accelerator is { Nodes: > 1 and var nodes } && RolloutPlan.IsProgressive(c.Deployment.Rollout))
            {
                var kind = c.Deployment.Rollout switch { CanaryRollout => "canary", RampRollout => "ramp", _ => "shadow" };
                c.Report("Rollout", $"a {nodes}-node replica is a LeaderWorkerSet group, which LeaderWorkerSet replaces with its own rolling update; Argo Rollouts manages ReplicaSets of single pods and cannot run this {kind}, so nothing would be rendered with its guardrails. Use Rollout = new RollingUpdate() (MaxSurge and MaxUnavailable count whole groups), and to judge a new version against live traffic declare it as a second deployment behind a pool canary (Pool.Canary, docs/inference-pools.md).");
            }
        }),
        new(RuleCatalog.ShadowWithoutCostAcknowledgment, c =>
        {
            if (c.IsProduction && c.Deployment.Rollout is ShadowRollout shadow && string.IsNullOrWhiteSpace(shadow.CostAcknowledgment))
            {
                var gpus = (long)Math.Max(0, shadow.ShadowReplicas) * (c.Deployment.Accelerator is { } accelerator ? Cost.CostEstimator.GpusPerReplica(accelerator) : 0);
                c.Report("Rollout.CostAcknowledgment", $"shadow mode runs {shadow.ShadowReplicas} extra replica(s) ({gpus} {c.Deployment.Accelerator?.Gpu?.Name ?? "GPU"}(s)) for {EngineMetrics.Duration(shadow.Duration)} of every rollout and sends {shadow.MirrorPercent}% of requests through the model twice; the cost model counts them. Say why that spend is accepted: CostAcknowledgment = \"...\".");
            }
        }),
    ];

    private static void CheckDefinition(RuleContext c)
    {
        var d = c.Deployment;
        switch (d.Rollout)
        {
            case RollingUpdate rolling:
                if (rolling.MaxSurge < 0 || rolling.MaxUnavailable < 0 || (rolling.MaxSurge == 0 && rolling.MaxUnavailable == 0))
                {
                    c.Report("Rollout.MaxSurge", $"maxSurge {rolling.MaxSurge} and maxUnavailable {rolling.MaxUnavailable}: both must be non-negative and not both 0, or Kubernetes rejects the Deployment. Use MaxSurge = 1, MaxUnavailable = 0.");
                }

                break;
            case CanaryRollout canary:
                if (canary.Steps is null || canary.Steps.Count == 0)
                {
                    c.Report("Rollout.Steps", "a canary without steps is promoted at once. Add steps, for example SetWeight(10), Pause(10 minutes), SetWeight(50), Pause(10 minutes).");
                }

                CheckSteps(c, RolloutPlan.Steps(canary));
                break;
            case RampRollout ramp:
                if (ramp.Stages is null || ramp.Stages.Count == 0)
                {
                    c.Report("Rollout.Stages", "a ramp without stages is promoted at once. Add stages, for example new RampStage(10, TimeSpan.FromMinutes(15)).");
                }

                for (var i = 0; i < (ramp.Stages?.Count ?? 0); i++)
                {
                    var stage = ramp.Stages![i];
                    if (stage is null || stage.Percent is < 0 or > 100)
                    {
                        c.Report($"Rollout.Stages[{i}].Percent", $"{stage?.Percent} is not a share of traffic in [0, 100]. Use a percentage between 0 and 100.");
                    }
                    else if (stage.Hold <= TimeSpan.Zero)
                    {
                        c.Report($"Rollout.Stages[{i}].Hold", "a stage with no positive hold is never judged by the guardrails. Give it a positive Hold, for example TimeSpan.FromMinutes(10).");
                    }
                }

                break;
            case ShadowRollout shadow:
                if (shadow.MirrorPercent is < 1 or > 100)
                {
                    c.Report("Rollout.MirrorPercent", $"{shadow.MirrorPercent}% is not a share of requests in [1, 100]. Use a percentage between 1 and 100.");
                }

                if (shadow.ShadowReplicas < 1)
                {
                    c.Report("Rollout.ShadowReplicas", "the mirrored traffic has no shadow replica to land on. Set ShadowReplicas to at least 1.");
                }

                if (shadow.Duration <= TimeSpan.Zero)
                {
                    c.Report("Rollout.Duration", "a mirror phase without a positive duration is never judged. Set Duration to a positive time, for example TimeSpan.FromHours(1).");
                }

                if (shadow.TrafficRouter is null)
                {
                    c.Report("Rollout.TrafficRouter", "mirroring needs a traffic router. Use TrafficRouter.Istio(\"<virtual-service>\").");
                }
                else if (!shadow.TrafficRouter.SupportsMirroring)
                {
                    c.Report("Rollout.TrafficRouter", $"this version renders setMirrorRoute for Istio only; {shadow.TrafficRouter.GetType().Name.Replace("Router", string.Empty, StringComparison.Ordinal)} cannot mirror here. Use TrafficRouter.Istio(...), or a canary.");
                }

                CheckSteps(c, RolloutPlan.Steps(shadow));
                break;
        }

        if (RolloutPlan.Router(d.Rollout) is { } router && string.IsNullOrWhiteSpace(router.RouteObject))
        {
            c.Report("Rollout.TrafficRouter", "the traffic router names no route object for Argo Rollouts to rewrite. Name the VirtualService, Ingress or HTTPRoute the platform team owns.");
        }

        if (RolloutPlan.Declared(d.Rollout) is { } g)
        {
            if (g.MaxErrorRate is { } e && !(e > 0 && e < 1))
            {
                c.Report("Rollout.Guardrails.MaxErrorRate", $"{Format(e)} is not an error ratio in (0, 1). Use a ratio such as 0.01, or remove it to derive it from the SLO.");
            }

            foreach (var (value, name) in new[] { (g.MaxP95Latency, "MaxP95Latency"), (g.MaxP95TimeToFirstToken, "MaxP95TimeToFirstToken") })
            {
                if (value is { } v && v <= TimeSpan.Zero)
                {
                    c.Report($"Rollout.Guardrails.{name}", "a latency limit of zero or less fails every measurement. Set a positive duration, or remove it to derive it from the SLO.");
                }
            }

            if (g.Interval <= TimeSpan.Zero || g.InitialDelay < TimeSpan.Zero || g.FailureLimit < 0)
            {
                c.Report("Rollout.Guardrails", "an analysis with a non-positive Interval, or a negative InitialDelay or FailureLimit, is refused by Argo Rollouts. Set Interval above zero and InitialDelay and FailureLimit to zero or more.");
            }
        }

        if (RolloutPlan.IsProgressive(d.Rollout) && RolloutPlan.Steps(d.Rollout).Any(s => s.Step is AnalysisStep) && !(d.Observability?.ScrapeMetrics == true && d.Engine is not null && RolloutPlan.Measurable(d, RolloutPlan.Resolve(d)).Count > 0))
        {
            var path = RolloutPlan.Steps(d.Rollout).First(s => s.Step is AnalysisStep).Path;
            c.Report(path, "an analysis step needs guardrails to measure (Slos or Guardrails, and ScrapeMetrics); without them it would be dropped. Declare them, or remove the step.");
        }
    }

    private static void CheckSteps(RuleContext c, IEnumerable<(CanaryStep? Step, string Path)> steps)
    {
        foreach (var (step, path) in steps)
        {
            switch (step)
            {
                case null:
                    c.Report(path, "the step is null. Remove it, or use CanaryStep.SetWeight, Pause or Analysis.");
                    break;
                case SetWeightStep { Percent: < 0 or > 100 } weight:
                    c.Report(path, $"{weight.Percent} is not a share of traffic in [0, 100]. Use a percentage between 0 and 100.");
                    break;
                case PauseStep { Duration: { } duration } when duration <= TimeSpan.Zero:
                    c.Report(path, "a pause of zero or less is skipped by Argo Rollouts. Give it a positive duration (or none, to wait for a human: CAC1015).");
                    break;
                case AnalysisStep { Measurements: < 1 }:
                    c.Report(path, "an analysis gate with no measurement judges nothing. Use CanaryStep.Analysis() (5 measurements) or a positive count.");
                    break;
            }
        }
    }

    private static string Format(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
