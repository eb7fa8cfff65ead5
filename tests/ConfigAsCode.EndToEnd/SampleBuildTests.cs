using System;
using System.Collections.Generic;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace ConfigAsCode.EndToEnd;

/// <summary>The README's first command: building the in-repo sample runs the whole gate and passes against its committed deploy/.</summary>
public sealed class SampleBuildTests(ITestOutputHelper output)
{
    [Fact]
    public void Building_the_sample_in_CI_runs_the_gate_and_finds_no_drift()
    {
        var sample = Path.Combine(DotNet.RepositoryRoot, "samples", "InferencePlatform");

        // `dotnet test` has just built the sample; without its stamp the gate runs again instead of being skipped.
        var obj = Path.Combine(sample, "obj");
        foreach (var stamp in Directory.Exists(obj) ? Directory.GetFiles(obj, "configascode.stamp", SearchOption.AllDirectories) : [])
        {
            File.Delete(stamp);
        }

        DotNet.Result build;
        lock (DotNet.RepositoryBuilds)
        {
            build = DotNet.Run(sample, "build -nodeReuse:false -p:ConfigAsCodeEnabled=true", new Dictionary<string, string> { ["CI"] = "true" });
        }

        output.WriteLine(build.ToString());

        Assert.True(build.Succeeded, build.ToString());
        Assert.Contains("ConfigAsCode: 16 deployments", build.Output, StringComparison.Ordinal);
        Assert.Contains("no drift against deploy", build.Output, StringComparison.Ordinal);
        Assert.Contains("0 Warning(s)", build.Output, StringComparison.Ordinal);
    }
}
