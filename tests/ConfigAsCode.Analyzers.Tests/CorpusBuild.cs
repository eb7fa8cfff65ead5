extern alias synthesis;

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;
using Evaluator = synthesis::ConfigAsCode.Synthesis.Evaluation.PlatformEvaluator;
using Finding = synthesis::ConfigAsCode.Synthesis.Validation.Finding;
using Validator = synthesis::ConfigAsCode.Synthesis.Validation.PlatformValidator;

namespace ConfigAsCode.Analyzers.Tests;

/// <summary>What the build does with a corpus config: emit, load in isolation (sharing the model, as the host does), evaluate, validate.</summary>
internal static class CorpusBuild
{
    /// <summary>The evaluation's failures (user code that threw: CAC9004 at build time) and the validator's findings.</summary>
    public static (IReadOnlyList<string> Failures, IReadOnlyList<Finding> Findings, int Deployments) Run(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var context = new SharedModelLoadContext();
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image.ToArray()));
            var evaluation = Evaluator.Evaluate(assembly);
            var failures = evaluation.Failures.Select(f => f.ToString() ?? string.Empty).ToArray();
            return (failures, Validator.Validate(evaluation.Deployments).Findings.ToArray(), evaluation.Deployments.Count);
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class SharedModelLoadContext() : AssemblyLoadContext(isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
