using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConfigAsCode.Synthesis.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ConfigAsCode.Analyzers;

/// <summary>CAC1013–CAC1018 and CAC4007 where the rollout's values are constants in the source.</summary>
public sealed partial class DeploymentAnalyzer
{
    /// <summary><c>CanaryStep.Pause(null)</c>: CAC1015 on the null.</summary>
    private static void AnalyzeCanaryStep(Analysis context, ConfigAsCodeSymbols symbols, IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        if (name == "Pause" && Initializer.ArgumentOf(invocation.Arguments, "duration") is { } duration)
        {
            if (IsNullValue(duration, symbols.Resolver))
            {
                Report(context, RuleCatalog.IndefinitePause, duration.Syntax.GetLocation(), "a pause without a duration waits for a human to promote: an automated rollout stalls, holding canary GPUs. Give it a duration, CanaryStep.Pause(TimeSpan.FromMinutes(10)), or suppress with the reason a manual gate is intended.");
            }
            else if (TimeSpanConstant.Of(duration, symbols.Resolver).Seconds is <= 0)
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, duration.Syntax.GetLocation(), "a pause of zero or less is skipped by Argo Rollouts. Give it a positive duration (or none, to wait for a human: CAC1015).");
            }
        }
        else if (name == "Analysis" && Int(symbols.Resolver.Constant(Initializer.ArgumentOf(invocation.Arguments, "measurements"))) is < 1)
        {
            Report(context, RuleCatalog.RolloutDefinitionInvalid, invocation.Syntax.GetLocation(), "an analysis gate with no measurement judges nothing. Use CanaryStep.Analysis() (5 measurements) or a positive count.");
        }
    }

    /// <summary>A strategy's own values: revision history, weights, stages, mirroring and the rolling-update surge.</summary>
    private static void AnalyzeStrategy(Analysis context, ConfigAsCodeSymbols symbols, Initializer strategy)
    {
        if (Int(strategy.Constant("RevisionHistoryLimit")) is < 1)
        {
            Report(context, RuleCatalog.NoRollbackPath, strategy.LocationOf("RevisionHistoryLimit"), "RevisionHistoryLimit 0 deletes the previous ReplicaSet: nothing is left to roll back to. Keep at least 1.");
        }

        var type = strategy.Type;
        if (ConfigAsCodeSymbols.Is(type, symbols.RollingUpdate))
        {
            var surge = Int(strategy.Constant("MaxSurge")) ?? (strategy.IsComplete && !strategy.Has("MaxSurge") ? 1 : null);
            var unavailable = Int(strategy.Constant("MaxUnavailable")) ?? (strategy.IsComplete && !strategy.Has("MaxUnavailable") ? 0 : null);
            if (surge is { } s && unavailable is { } u && (s < 0 || u < 0 || (s == 0 && u == 0)))
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, strategy.Has("MaxSurge") ? strategy.LocationOf("MaxSurge") : strategy.LocationOf("MaxUnavailable"), FormattableString.Invariant($"maxSurge {s} and maxUnavailable {u}: Kubernetes needs both non-negative and not both 0. Use MaxSurge = 1, MaxUnavailable = 0."));
            }

            return;
        }

        var maxStep = MaxWeightStep(context);
        if (ConfigAsCodeSymbols.Is(type, symbols.Canary))
        {
            CheckWeights(context, symbols, strategy, "Steps", maxStep, firstStepMatters: true);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Ramp))
        {
            CheckWeights(context, symbols, strategy, "Stages", maxStep, firstStepMatters: true);
        }
        else if (ConfigAsCodeSymbols.Is(type, symbols.Shadow))
        {
            if (Int(strategy.Constant("MirrorPercent")) is (< 1 or > 100) and var mirror)
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, strategy.LocationOf("MirrorPercent"), FormattableString.Invariant($"{mirror}% is not a share of requests in [1, 100]. Use a percentage between 1 and 100."));
            }

            if (Int(strategy.Constant("ShadowReplicas")) is < 1)
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, strategy.LocationOf("ShadowReplicas"), "the mirrored traffic has no shadow replica to land on. Set ShadowReplicas to at least 1.");
            }

            if (strategy.Value("TrafficRouter") is IInvocationOperation { TargetMethod.Name: "Nginx" or "GatewayApi" } router && ConfigAsCodeSymbols.Is(router.TargetMethod.ContainingType, symbols.TrafficRouter))
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, router.Syntax.GetLocation(), "this version renders setMirrorRoute for Istio only. Use TrafficRouter.Istio(...), or a canary.");
            }

            if (strategy.Has("PromotionSteps"))
            {
                CheckWeights(context, symbols, strategy, "PromotionSteps", maxStep, firstStepMatters: false);
            }
        }
    }

    /// <summary>Guardrail values that no analysis can use: CAC1018.</summary>
    private static void AnalyzeGuardrails(Analysis context, Initializer guardrails)
    {
        if (Number(guardrails.Constant("MaxErrorRate")) is { } e && !(e > 0 && e < 1))
        {
            Report(context, RuleCatalog.RolloutDefinitionInvalid, guardrails.LocationOf("MaxErrorRate"), $"{Format(e)} is not an error ratio in (0, 1). Use a ratio such as 0.01, or remove it to derive it from the SLO.");
        }

        foreach (var property in new[] { "MaxP95Latency", "MaxP95TimeToFirstToken" })
        {
            if (TimeSpanConstant.Of(guardrails.Value(property), guardrails.Resolver).Seconds is <= 0)
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, guardrails.LocationOf(property), "a latency limit of zero or less fails every measurement. Set a positive duration, or remove it to derive it from the SLO.");
            }
        }

        if (TimeSpanConstant.Of(guardrails.Value("Interval"), guardrails.Resolver).Seconds is <= 0)
        {
            Report(context, RuleCatalog.RolloutDefinitionInvalid, guardrails.LocationOf("Interval"), "an analysis needs a positive Interval between measurements. Set Interval above zero, for example TimeSpan.FromMinutes(1).");
        }

        if (TimeSpanConstant.Of(guardrails.Value("InitialDelay"), guardrails.Resolver).Seconds is < 0)
        {
            Report(context, RuleCatalog.RolloutDefinitionInvalid, guardrails.LocationOf("InitialDelay"), "a negative InitialDelay is refused by Argo Rollouts. Set it to zero or more.");
        }

        if (Int(guardrails.Constant("FailureLimit")) is < 0)
        {
            Report(context, RuleCatalog.RolloutDefinitionInvalid, guardrails.LocationOf("FailureLimit"), "a negative FailureLimit is refused by Argo Rollouts. Set it to zero or more.");
        }
    }

    /// <summary>Rules across a deployment and its rollout: production guardrails (CAC1013), guardrails looser than SLOs (CAC1014), shadow cost (CAC4007).</summary>
    private static void AnalyzeDeploymentRollout(Analysis context, ConfigAsCodeSymbols symbols, Initializer deployment, bool production)
    {
        if (deployment.Child("Rollout") is not { IsComplete: true } rollout)
        {
            return;
        }

        var progressive = ConfigAsCodeSymbols.Is(rollout.Type, symbols.Canary) || ConfigAsCodeSymbols.Is(rollout.Type, symbols.Ramp);
        var slos = deployment.Child("Slos");
        var guardrails = rollout.Child("Guardrails");

        // Only a complete declaration tells that no SLOs exist; a 'with' expression inherits its base's.
        if (production && progressive && deployment.IsComplete && (!deployment.Has("Slos") || deployment.IsNull("Slos")) && (!rollout.Has("Guardrails") || rollout.IsNull("Guardrails")))
        {
            Report(context, RuleCatalog.ProgressiveRolloutWithoutGuardrails, rollout.Location, "this production rollout moves live traffic with nothing to judge it by: no Guardrails and no Slos to derive them from. Declare Slos (MaxErrorRate, P95Latency) or Guardrails.");
        }

        if (production && ConfigAsCodeSymbols.Is(rollout.Type, symbols.Shadow) && (!rollout.Has("CostAcknowledgment") || rollout.IsNull("CostAcknowledgment") || (rollout.Constant("CostAcknowledgment") is string ack && ack.Trim().Length == 0)))
        {
            Report(context, RuleCatalog.ShadowWithoutCostAcknowledgment, rollout.Location, "shadow mode runs extra GPU replicas for every rollout and generates mirrored requests twice; the cost model counts them. Say why that spend is accepted: CostAcknowledgment = \"...\".");
        }

        if (slos is null || guardrails is null)
        {
            return;
        }

        var sloError = Number(slos.Constant("MaxErrorRate")) ?? (Number(slos.Constant("Availability")) is { } a ? Math.Round(1 - a, 9) : null);
        if (Number(guardrails.Constant("MaxErrorRate")) is { } e && sloError is { } se && e > se)
        {
            Report(context, RuleCatalog.GuardrailLooserThanSlo, guardrails.LocationOf("MaxErrorRate"), $"the guardrail accepts an error ratio of {Format(e)}, but the SLO allows {Format(se)}. Set it at or below the SLO, or remove it to derive it.");
        }

        foreach (var (guardrail, slo) in new[] { ("MaxP95Latency", "P95Latency"), ("MaxP95TimeToFirstToken", "P95TimeToFirstToken") })
        {
            if (TimeSpanConstant.Of(guardrails.Value(guardrail), guardrails.Resolver).Seconds is { } g && TimeSpanConstant.Of(slos.Value(slo), slos.Resolver).Seconds is { } s && g > s)
            {
                Report(context, RuleCatalog.GuardrailLooserThanSlo, guardrails.LocationOf(guardrail), $"the guardrail accepts {RuleFacts.Seconds(g)}s, but the SLO is {RuleFacts.Seconds(s)}s. Set it at or below the SLO, or remove it to derive it.");
            }
        }
    }

    /// <summary>
    /// The traffic shares of a literal list of <c>CanaryStep.SetWeight(n)</c> calls or <c>new RampStage(n, ...)</c>: out of range
    /// (CAC1018), all traffic first (CAC1017), jumps over the threshold including the final promotion (CAC1016). Skipped
    /// unless every share in the list is a constant.
    /// </summary>
    private static void CheckWeights(Analysis context, ConfigAsCodeSymbols symbols, Initializer strategy, string property, int maxStep, bool firstStepMatters)
    {
        var list = strategy.Value(property);
        var weights = new List<(int Percent, Location Location)>();
        foreach (var element in Elements(list, strategy.Resolver).Select(e => strategy.Resolver.Resolve(e)!))
        {
            IOperation? share = element switch
            {
                IInvocationOperation { TargetMethod.Name: "SetWeight", Arguments.Length: 1 } call when ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.CanaryStep) => call.Arguments[0].Value,
                IObjectCreationOperation { Arguments.Length: 2 } stage when ConfigAsCodeSymbols.Is(stage.Type, symbols.RampStage) => stage.Arguments[0].Value,
                IInvocationOperation { TargetMethod.Name: "Pause" or "Analysis" } call when ConfigAsCodeSymbols.Is(call.TargetMethod.ContainingType, symbols.CanaryStep) => null,
                _ => element,
            };
            if (share is null)
            {
                continue;
            }

            if (Int(strategy.Resolver.Constant(share)) is not { } percent)
            {
                return; // not decidable from source
            }

            weights.Add((percent, strategy.IsInline ? share.Syntax.GetLocation() : strategy.Location));
        }

        if (list is null)
        {
            return;
        }

        var previous = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var (percent, location) = weights[i];
            if (percent is < 0 or > 100)
            {
                Report(context, RuleCatalog.RolloutDefinitionInvalid, location, FormattableString.Invariant($"{percent} is not a share of traffic in [0, 100]. Use a percentage between 0 and 100."));
                return;
            }

            if (i == 0 && firstStepMatters && percent == 100)
            {
                Report(context, RuleCatalog.NoRollbackPath, location, "the first step sends all traffic to the new version: the old version serves nothing while the guardrails judge. Start with a small share, for example 5%.");
            }

            // A first step of 100% is CAC1017's finding; reporting it as a jump too would say the same thing twice.
            if (percent - previous > maxStep && previous < 100 && !(i == 0 && firstStepMatters && percent == 100))
            {
                Report(context, RuleCatalog.WeightJumpTooLarge, location, FormattableString.Invariant($"traffic jumps from {previous}% to {percent}% ({percent - previous} points, above {maxStep}). Add an intermediate step."));
            }

            previous = percent;
        }

        if (100 - previous > maxStep)
        {
            Report(context, RuleCatalog.WeightJumpTooLarge, strategy.IsInline ? list.Syntax.GetLocation() : strategy.Location, FormattableString.Invariant($"after the last step ({previous}%) the rollout is promoted to 100% at once: {100 - previous} points move without a guardrail having seen that share. Add steps up to {previous + maxStep}% or more."));
        }
    }

    private static int MaxWeightStep(Analysis context)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree);
        return options.TryGetValue("configascode.max_weight_step", out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : RuleFacts.MaxWeightStep;
    }

    private static bool IsNullValue(IOperation? operation, ValueResolver resolver) => resolver.Resolve(operation) switch
    {
        { ConstantValue: { HasValue: true, Value: null } } => true,
        IDefaultValueOperation { Type: { } type } => type.IsReferenceType || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
        _ => false,
    };
}
