using System;
using System.Collections.Generic;
using System.Linq;

namespace ConfigAsCode.Synthesis.Rollouts;

/// <summary>
/// The limits one progressive rollout is judged against: the declared <see cref="Guardrails"/> with every null
/// limit filled from the SLOs, and which limits were filled.
/// </summary>
public sealed record ResolvedGuardrails(Guardrails Limits, IReadOnlyList<string> DerivedFromSlos)
{
    /// <summary>True when at least one limit is set.</summary>
    public bool Any => Limits.MaxErrorRate is not null || Limits.MaxP95Latency is not null || Limits.MaxP95TimeToFirstToken is not null;
}

/// <summary>One traffic share the new version receives, and the step that sets it (null for the final promotion).</summary>
public readonly record struct WeightChange(int Percent, string? StepPath);

/// <summary>
/// The facts about a deployment's rollout that the renderer, the rules and the readiness checklist share: whether
/// it is progressive, its guardrails (declared, else derived from the SLOs), and the traffic shares it moves through.
/// </summary>
public static class RolloutPlan
{
    /// <summary>Canary, ramp and shadow render as an Argo Rollout; a rolling update as a Deployment.</summary>
    public static bool IsProgressive(RolloutStrategy? strategy) => strategy is CanaryRollout or RampRollout or ShadowRollout;

    /// <summary>The declared guardrails of a progressive strategy; null for a rolling update.</summary>
    public static Guardrails? Declared(RolloutStrategy? strategy) => strategy switch
    {
        CanaryRollout c => c.Guardrails,
        RampRollout r => r.Guardrails,
        ShadowRollout s => s.Guardrails,
        _ => null,
    };

    /// <summary>True when a progressive strategy adopts the live Deployment (<c>workloadRef</c>) rather than replacing it.</summary>
    public static bool MigratesFromDeployment(RolloutStrategy? strategy) => strategy switch
    {
        CanaryRollout c => c.MigrateFromDeployment,
        RampRollout r => r.MigrateFromDeployment,
        ShadowRollout s => s.MigrateFromDeployment,
        _ => false,
    };

    /// <summary>The router of a progressive strategy; null for replica-ratio canaries and rolling updates.</summary>
    public static TrafficRouter? Router(RolloutStrategy? strategy) => strategy switch
    {
        CanaryRollout c => c.TrafficRouter,
        RampRollout r => r.TrafficRouter,
        ShadowRollout s => s.TrafficRouter,
        _ => null,
    };

    /// <summary>
    /// Each limit as declared, else derived from the SLO it protects: error rate from <c>MaxErrorRate</c> (else
    /// 1 − availability), p95 latency and p95 time to first token from their SLOs.
    /// </summary>
    public static ResolvedGuardrails Resolve(InferenceDeployment d) => Resolve(Declared(d.Rollout), d.Slos);

    /// <summary>
    /// The guardrails a pool canary judges its candidate by: the canary's declared limits, each null one derived from
    /// the SLOs of the deployment whose route it splits (the candidate serves the same requests).
    /// </summary>
    public static ResolvedGuardrails ResolvePoolCanary(InferenceDeployment d) => Resolve(d.Pool?.Canary?.Guardrails, d.Slos);

    /// <summary>The <paramref name="declaredGuardrails"/> with every null limit filled from <paramref name="slos"/>.</summary>
    public static ResolvedGuardrails Resolve(Guardrails? declaredGuardrails, ServiceLevelObjectives? slos)
    {
        var declared = declaredGuardrails ?? new Guardrails();
        var derived = new List<string>();
        T? Pick<T>(T? value, T? fromSlo, string name)
            where T : struct
        {
            if (value is not null)
            {
                return value;
            }

            if (fromSlo is not null)
            {
                derived.Add(name);
            }

            return fromSlo;
        }

        var limits = declared with
        {
            MaxErrorRate = Pick(declared.MaxErrorRate, SloErrorRate(slos), "MaxErrorRate"),
            MaxP95Latency = Pick(declared.MaxP95Latency, slos?.P95Latency, "MaxP95Latency"),
            MaxP95TimeToFirstToken = Pick(declared.MaxP95TimeToFirstToken, slos?.P95TimeToFirstToken, "MaxP95TimeToFirstToken"),
        };
        return new ResolvedGuardrails(limits, derived);
    }

    /// <summary>The guardrails the deployment's engine exports metrics for.</summary>
    public static IReadOnlyList<string> Measurable(InferenceDeployment d, ResolvedGuardrails g)
    {
        var metrics = EngineMetrics.For(d.Engine);
        var measurable = new List<string>();
        if (g.Limits.MaxErrorRate is not null)
        {
            measurable.Add("error rate");
        }

        if (g.Limits.MaxP95Latency is not null && metrics.LatencyHistogram is not null)
        {
            measurable.Add("p95 latency");
        }

        if (g.Limits.MaxP95TimeToFirstToken is not null && metrics.TtftHistogram is not null)
        {
            measurable.Add("p95 time to first token");
        }

        return measurable;
    }

    /// <summary>The error ratio an SLO allows: <c>MaxErrorRate</c>, else 1 − <c>Availability</c>; null when neither is set.</summary>
    public static double? SloErrorRate(ServiceLevelObjectives? slos) =>
        slos?.MaxErrorRate ?? (slos?.Availability is { } availability ? Math.Round(1 - availability, 9) : null);

    /// <summary>
    /// The traffic shares live traffic moves through, ending with the promotion to 100% Argo Rollouts performs
    /// after the last step. Shadow mode's mirror phase moves no live traffic; its promotion steps do.
    /// </summary>
    public static IReadOnlyList<WeightChange> Weights(RolloutStrategy? strategy)
    {
        var weights = new List<WeightChange>();
        switch (strategy)
        {
            case CanaryRollout canary:
                AddSteps(weights, canary.Steps, "Rollout.Steps");
                break;
            case RampRollout ramp:
                for (var i = 0; i < (ramp.Stages?.Count ?? 0); i++)
                {
                    if (ramp.Stages![i] is { } stage)
                    {
                        weights.Add(new WeightChange(stage.Percent, $"Rollout.Stages[{i}].Percent"));
                    }
                }

                break;
            case ShadowRollout shadow:
                AddSteps(weights, shadow.PromotionSteps, "Rollout.PromotionSteps");
                break;
            default:
                return weights;
        }

        if (weights.Count == 0 || weights[weights.Count - 1].Percent != 100)
        {
            weights.Add(new WeightChange(100, null));
        }

        return weights;
    }

    /// <summary>The canary steps a strategy declares (ramp stages are weights and holds; shadow adds its promotion steps).</summary>
    public static IEnumerable<(CanaryStep? Step, string Path)> Steps(RolloutStrategy? strategy) => strategy switch
    {
        CanaryRollout c => (c.Steps ?? []).Select((s, i) => ((CanaryStep?)s, $"Rollout.Steps[{i}]")),
        ShadowRollout s => (s.PromotionSteps ?? []).Select((p, i) => ((CanaryStep?)p, $"Rollout.PromotionSteps[{i}]")),
        _ => [],
    };

    private static void AddSteps(List<WeightChange> weights, IReadOnlyList<CanaryStep>? steps, string path)
    {
        for (var i = 0; i < (steps?.Count ?? 0); i++)
        {
            if (steps![i] is SetWeightStep weight)
            {
                weights.Add(new WeightChange(weight.Percent, $"{path}[{i}]"));
            }
        }
    }
}
