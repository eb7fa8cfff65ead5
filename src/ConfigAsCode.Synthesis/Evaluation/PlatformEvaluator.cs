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

    /// <summary>Classes that derive from InferencePlatform but are not evaluated, and why (not public, for example).</summary>
    public IReadOnlyList<string> IgnoredPlatforms { get; init; } = [];

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

    /// <summary>
    /// Platform classes the discovery contract skips: not public (the most common one-word mistake, which would
    /// otherwise look like a platform with no deployments), or nested in a class that is not.
    /// </summary>
    public static IReadOnlyList<string> FindIgnoredPlatformTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).Cast<Type>().ToArray();
        }

        return types
            .Where(t => t is { IsClass: true, IsAbstract: false } && !t.IsVisible && t.IsSubclassOf(typeof(InferencePlatform)) && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
            .Select(t => $"{t.FullName} is not public")
            .OrderBy(t => t, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Instantiates and evaluates every platform in <paramref name="assembly"/>; <paramref name="progress"/> is told which member runs.</summary>
    public static EvaluationResult Evaluate(Assembly assembly, Action<string>? progress = null)
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
                progress?.Invoke($"constructing {type.FullName}");
                platforms.Add((InferencePlatform)constructor.Invoke(null));
            }
            catch (Exception e) when (e is TargetInvocationException or TypeInitializationException)
            {
                failures.Add(Threw(type.FullName + "..ctor", e));
            }
        }

        var result = Evaluate(platforms, progress);
        return result with { Failures = failures.Concat(result.Failures).ToArray(), IgnoredPlatforms = FindIgnoredPlatformTypes(assembly) };
    }

    /// <summary>Evaluates the given platforms in order; <paramref name="progress"/> is told which member runs.</summary>
    public static EvaluationResult Evaluate(IEnumerable<InferencePlatform> platforms, Action<string>? progress = null)
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
            progress?.Invoke($"evaluating {type}");
            Guard(failures, type + "." + nameof(InferencePlatform.Pricing), () => pricing ??= platform.Pricing);
            Guard(failures, type + "." + nameof(InferencePlatform.Budgets) + "()", () => budgets.AddRange(platform.Budgets() ?? []));
            Guard(failures, type + "." + nameof(InferencePlatform.Prices) + "()", () => prices.AddRange(platform.Prices() ?? []));
            var member = platform.GetType().FullName + "." + nameof(InferencePlatform.Declare) + "()";
            try
            {
                names.Add(platform.Name);
                progress?.Invoke($"enumerating {member}");
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

    /// <summary>
    /// One CAC9004 for an exception from user code: unwrapped to its cause (reflection and static-constructor
    /// wrappers say nothing about what went wrong), located at the user's own frame when the PDB gives a line.
    /// Its message passes the format redactor here and the run's value redactor when it is printed.
    /// </summary>
    private static Finding Threw(string member, Exception e)
    {
        var wrappers = new List<string>();
        var cause = e;
        while (true)
        {
            if (cause is TypeInitializationException { InnerException: { } init })
            {
                wrappers.Add($"the static initializer of {((TypeInitializationException)cause).TypeName}");
                cause = init;
            }
            else if (cause is TargetInvocationException { InnerException: { } invoked })
            {
                cause = invoked;
            }
            else if (cause is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                cause = aggregate.InnerExceptions[0];
            }
            else
            {
                break;
            }
        }

        var location = UserFrame(cause) ?? SourceLocation.Unknown;
        var via = wrappers.Count > 0 ? $" (in {string.Join(", in ", wrappers)})" : string.Empty;
        var message = Secrets.SecretDetector.Redact(cause.Message);
        return new Finding(RuleCatalog.GenerationFailed, RuleSeverity.Error, FindingOutcome.Violation, string.Empty, string.Empty, member, location,
            $"{member} threw {cause.GetType().FullName}{via}: {message}. Nothing was generated and the snapshots were left untouched. Fix the exception and build again.");
    }

    // The deepest frame of the exception in code that is neither ConfigAsCode's nor the runtime's, with a file.
    private static SourceLocation? UserFrame(Exception exception)
    {
        var ours = typeof(InferencePlatform).Assembly;
        var synthesis = typeof(PlatformEvaluator).Assembly;
        foreach (var frame in new System.Diagnostics.StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            var assembly = frame.GetMethod()?.DeclaringType?.Assembly;
            if (assembly is null || assembly == ours || assembly == synthesis || assembly.GetName().Name?.StartsWith("System", StringComparison.Ordinal) == true)
            {
                continue;
            }

            if (frame.GetFileName() is { Length: > 0 } file && frame.GetFileLineNumber() > 0)
            {
                return new SourceLocation(file, frame.GetFileLineNumber());
            }
        }

        return null;
    }

    private static Finding Failure(string member, string message) =>
        new(RuleCatalog.GenerationFailed, RuleSeverity.Error, FindingOutcome.Violation, string.Empty, string.Empty, member, SourceLocation.Unknown, message);
}
