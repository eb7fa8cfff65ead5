using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ConfigAsCode.Synthesis.Rules;
using ConfigAsCode.Synthesis.Validation;

namespace ConfigAsCode.Synthesis.Evaluation;

/// <summary>The deployments a config assembly declares, and the coded failures met while asking for them.</summary>
public sealed record EvaluationResult(IReadOnlyList<InferenceDeployment> Deployments, IReadOnlyList<Finding> Failures)
{
    /// <summary>The names of the evaluated platforms, in evaluation order.</summary>
    public IReadOnlyList<string> PlatformNames { get; init; } = [];

    /// <summary>Where prices are looked up (the first platform's choice).</summary>
    public PricingTarget Pricing { get; init; } = PricingTarget.AwsUsEast1;

    /// <summary>Every platform's budgets.</summary>
    public IReadOnlyList<CostBudget> Budgets { get; init; } = [];

    /// <summary>Every platform's negotiated prices.</summary>
    public IReadOnlyList<GpuPriceOverride> PriceOverrides { get; init; } = [];

    /// <summary>True when user code threw: nothing downstream may be written.</summary>
    public bool Failed => Failures.Count > 0;
}

/// <summary>
/// Runs the discovery contract: every public, non-abstract <see cref="InferencePlatform"/> subclass with a
/// public parameterless constructor is instantiated and its <see cref="InferencePlatform.Declare"/> enumerated.
/// User code that throws becomes one CAC9004 naming the member and the exception; nothing is skipped silently.
/// </summary>
public static class PlatformEvaluator
{
    /// <summary>The platform types an assembly declares, ordered by full name (ordinal).</summary>
    public static IReadOnlyList<Type> FindPlatformTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).Cast<Type>().Where(t => t.IsPublic).ToArray();
        }

        return types
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && t.IsSubclassOf(typeof(InferencePlatform)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Instantiates and evaluates every platform in <paramref name="assembly"/>.</summary>
    public static EvaluationResult Evaluate(Assembly assembly)
    {
        var failures = new List<Finding>();
        var platforms = new List<InferencePlatform>();
        foreach (var type in FindPlatformTypes(assembly))
        {
            var constructor = type.GetConstructor(Type.EmptyTypes);
            if (constructor is null)
            {
                failures.Add(Failure(type.FullName + "..ctor", $"platform '{type.FullName}' has no public parameterless constructor; the build cannot create it. Add one."));
                continue;
            }

            try
            {
                platforms.Add((InferencePlatform)constructor.Invoke(null));
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                failures.Add(Threw(type.FullName + "..ctor", e.InnerException));
            }
        }

        var result = Evaluate(platforms);
        return result with { Failures = failures.Concat(result.Failures).ToArray() };
    }

    /// <summary>Evaluates the given platforms in order.</summary>
    public static EvaluationResult Evaluate(IEnumerable<InferencePlatform> platforms)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        var deployments = new List<InferenceDeployment>();
        var failures = new List<Finding>();
        var names = new List<string>();
        var budgets = new List<CostBudget>();
        var prices = new List<GpuPriceOverride>();
        PricingTarget? pricing = null;
        foreach (var platform in platforms)
        {
            var type = platform.GetType().FullName;
            Guard(failures, type + "." + nameof(InferencePlatform.Pricing), () => pricing ??= platform.Pricing);
            Guard(failures, type + "." + nameof(InferencePlatform.Budgets) + "()", () => budgets.AddRange(platform.Budgets() ?? []));
            Guard(failures, type + "." + nameof(InferencePlatform.Prices) + "()", () => prices.AddRange(platform.Prices() ?? []));
            var member = platform.GetType().FullName + "." + nameof(InferencePlatform.Declare) + "()";
            try
            {
                names.Add(platform.Name);
                // Materialise inside the try: iterator methods only run (and throw) while enumerated.
                var declared = platform.Declare()?.ToList();
                if (declared is null)
                {
                    failures.Add(Failure(member, $"{member} returned null. Return the deployments, or an empty sequence."));
                    continue;
                }

                for (var i = 0; i < declared.Count; i++)
                {
                    if (declared[i] is null)
                    {
                        failures.Add(Failure(member, $"{member} yielded null at position {i}. Every element must be a deployment."));
                    }
                    else
                    {
                        deployments.Add(declared[i]);
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add(Threw(member, e));
            }
        }

        return new EvaluationResult(deployments, failures)
        {
            PlatformNames = names,
            Pricing = pricing ?? PricingTarget.AwsUsEast1,
            Budgets = budgets.Where(b => b is not null).ToArray(),
            PriceOverrides = prices.Where(p => p is not null).ToArray(),
        };
    }

    private static void Guard(List<Finding> failures, string member, Action read)
    {
        try
        {
            read();
        }
        catch (Exception e)
        {
            failures.Add(Threw(member, e));
        }
    }

    private static Finding Threw(string member, Exception e)
    {
        var location = SourceLocation.Unknown;
        var message = Secrets.SecretDetector.Redact(e.Message);
        return new Finding(RuleCatalog.GenerationFailed, RuleSeverity.Error, FindingOutcome.Violation, string.Empty, string.Empty, member, location,
            $"{member} threw {e.GetType().FullName}: {message}. Nothing was generated and the snapshots were left untouched. Fix the exception and build again.");
    }

    private static Finding Failure(string member, string message) =>
        new(RuleCatalog.GenerationFailed, RuleSeverity.Error, FindingOutcome.Violation, string.Empty, string.Empty, member, SourceLocation.Unknown, message);
}
