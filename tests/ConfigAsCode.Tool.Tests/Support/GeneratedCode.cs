using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Basic.Reference.Assemblies;
using ConfigAsCode.Synthesis.Evaluation;
using ConfigAsCode.Synthesis.Rendering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace ConfigAsCode.Tool.Tests.Support;

/// <summary>Compiles generated C# in memory against the ConfigAsCode model (as a user's project would), evaluates and renders it.</summary>
internal static class GeneratedCode
{
    public static Assembly Compile(string code, string name)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.CSharp12), path: name + ".cs");
        var compilation = CSharpCompilation.Create(
            name,
            [tree],
            Net80.References.All.Append(MetadataReference.CreateFromFile(typeof(InferenceDeployment).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();
        Assert.True(emitted.Success && problems.Length == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", problems) + "\n" + code);
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>The platform the generated code declares, evaluated as the build's host evaluates it, and rendered.</summary>
    public static (InferencePlatform Platform, EvaluationResult Evaluation, RenderResult Rendered) Build(string code, string name)
    {
        var assembly = Compile(code, name);
        var types = PlatformEvaluator.FindPlatformTypes(assembly);
        var platform = (InferencePlatform)Activator.CreateInstance(Assert.Single(types))!;
        var evaluation = PlatformEvaluator.Evaluate(assembly);
        Assert.Empty(evaluation.Failures);
        return (platform, evaluation, ManifestRenderer.Render(evaluation.Deployments, new RenderOptions { PlatformName = platform.Name }));
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ConfigAsCode.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("ConfigAsCode.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Inputs => Path.Combine(AppContext.BaseDirectory, "Inputs");
}
